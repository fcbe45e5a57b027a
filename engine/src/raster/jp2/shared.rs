//! [`SharedTiles`]: decoded JPEG 2000 tiles shared by the readers of many files
//! on many threads, under one memory budget.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex};

use super::super::buffer::BandBuffer;
use crate::grid::Window;

/// What is kept of one decoded tile: parts of it (image cells), each with one
/// buffer per band; the whole tile is a single part.
#[derive(Debug)]
pub(super) struct Tile {
    pub parts: Vec<(Window, Vec<BandBuffer>)>,
}

impl Tile {
    /// Bytes the samples take.
    fn byte_len(&self) -> usize {
        self.parts
            .iter()
            .flat_map(|(_, b)| b.iter())
            .map(BandBuffer::byte_len)
            .sum()
    }
}

/// One decoded tile, shared between readers.
pub(super) type Bands = Arc<Tile>;

/// A cache key: the file, what of its tiles readers keep, and the tile.
pub(super) type Key = (usize, usize, usize);

/// Decoded tiles kept for every reader attached with
/// [`Jp2Raster::share_tiles`](super::Jp2Raster::share_tiles): a tile one worker
/// decoded is found by the others, and the least recently used tiles are dropped
/// once the budget is passed. Without it each reader (each file, each thread)
/// keeps its own few tiles, and a worker crossing a tile row twice decodes it twice.
#[derive(Debug)]
pub struct SharedTiles {
    budget: usize,
    inner: Mutex<Inner>,
    /// Signalled when a tile being decoded is put or given up.
    done: Condvar,
}

#[derive(Debug, Default)]
struct Inner {
    /// Key → (bands, bytes, last use).
    tiles: HashMap<Key, (Bands, usize, u64)>,
    /// Tiles some reader is decoding now: others wait for it rather than
    /// decoding the same tile twice.
    pending: HashSet<Key>,
    bytes: usize,
    clock: u64,
}

impl SharedTiles {
    /// A cache holding about `budget` bytes of decoded tiles (at least one tile).
    pub fn new(budget: usize) -> SharedTiles {
        SharedTiles {
            budget,
            inner: Mutex::new(Inner::default()),
            done: Condvar::new(),
        }
    }

    /// The tile of `key` if held (waiting for it if another reader is decoding
    /// it); else `None`, and the caller is to decode it and [`put`](Self::put) it
    /// (or [`give_up`](Self::give_up) on error).
    pub(super) fn get_or_claim(&self, key: Key) -> Option<Bands> {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            g.clock += 1;
            let now = g.clock;
            if let Some(hit) = g.tiles.get_mut(&key) {
                hit.2 = now;
                return Some(Arc::clone(&hit.0));
            }
            if g.pending.insert(key) {
                return None;
            }
            g = self.done.wait(g).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The claim of [`get_or_claim`](Self::get_or_claim) on `key` ends without a tile.
    pub(super) fn give_up(&self, key: Key) {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.pending.remove(&key);
        self.done.notify_all();
    }

    /// Keeps the tile of `key`, dropping the least recently used tiles beyond the
    /// budget.
    pub(super) fn put(&self, key: Key, bands: &Bands) {
        let bytes = bands.byte_len().max(1);
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.clock += 1;
        let now = g.clock;
        g.pending.remove(&key);
        if let Some(old) = g.tiles.insert(key, (Arc::clone(bands), bytes, now)) {
            g.bytes -= old.1;
        }
        g.bytes += bytes;
        while g.bytes > self.budget && g.tiles.len() > 1 {
            let Some((&key, _)) = g.tiles.iter().min_by_key(|(_, v)| v.2) else {
                break;
            };
            if let Some(v) = g.tiles.remove(&key) {
                g.bytes -= v.1;
            }
        }
        self.done.notify_all();
    }

    /// Bytes of decoded tiles held now.
    pub fn bytes(&self) -> usize {
        self.inner.lock().map_or(0, |g| g.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::SampleType;

    fn tile(cells: usize) -> Bands {
        let w = Window {
            col_off: 0,
            row_off: 0,
            width: cells,
            height: 1,
        };
        Arc::new(Tile {
            parts: vec![(w, vec![BandBuffer::zeros(SampleType::U16, cells)])],
        })
    }

    #[test]
    fn the_least_recently_used_tiles_go_first_and_the_budget_holds() {
        let c = SharedTiles::new(3 * 200);
        for i in 0..3 {
            c.put((7, 0, i), &tile(100));
        }
        assert_eq!(c.bytes(), 600);
        assert!(c.get_or_claim((7, 0, 0)).is_some()); // 0 is now the most recent
        c.put((8, 0, 0), &tile(100)); // drops tile 1 of file 7
        assert_eq!(c.bytes(), 600);
        assert!(c.get_or_claim((7, 0, 1)).is_none());
        assert!(
            c.get_or_claim((7, 0, 0)).is_some()
                && c.get_or_claim((7, 0, 2)).is_some()
                && c.get_or_claim((8, 0, 0)).is_some()
        );
        // A tile larger than the budget is still kept (alone).
        c.put((9, 0, 0), &tile(1000));
        assert_eq!(c.bytes(), 2000);
        assert!(c.get_or_claim((9, 0, 0)).is_some() && c.get_or_claim((7, 0, 0)).is_none());
    }

    #[test]
    fn a_tile_being_decoded_is_waited_for_not_decoded_again() {
        let c = Arc::new(SharedTiles::new(1 << 20));
        assert!(c.get_or_claim((1, 0, 5)).is_none()); // this thread decodes it
        let other = {
            let c = Arc::clone(&c);
            std::thread::spawn(move || c.get_or_claim((1, 0, 5)).map(|t| t.parts[0].0.width))
        };
        std::thread::sleep(std::time::Duration::from_millis(50));
        c.put((1, 0, 5), &tile(42));
        assert_eq!(other.join().ok().flatten(), Some(42));
        // Given up: the next asker decodes it.
        assert!(c.get_or_claim((1, 0, 6)).is_none());
        c.give_up((1, 0, 6));
        assert!(c.get_or_claim((1, 0, 6)).is_none());
    }
}
