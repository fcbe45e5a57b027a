//! Candidates' records on disk, and the small keys that rank them in memory.
//!
//! Two kinds of record go through spill files ([`super::spill`]):
//! - a [`PreRecord`] per listed patch as it closes (fixed size, read back in
//!   closing order to filter, label and measure the patches);
//! - a [`Candidate`] record per candidate once labelled and measured (read back
//!   in rank order by the writers).
//!
//! What stays in memory is one [`Ranked`] key per candidate (about 64 bytes):
//! what ranking, the counts by label and the map need.

use super::candidate::{Candidate, Change, Label, Nearest, OutlineRecord};
use super::error::DiscoverError;
use super::spill::{Span, Spill};
use std::io;

/// A listed patch as it closed: its measures and where its outline lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreRecord {
    pub cells: u64,
    pub area_m2: f64,
    pub before_m2: f64,
    /// Centre of its cells (map coordinates).
    pub centroid: (f64, f64),
    /// Top-left cell of its first run (row, column).
    pub first: (u32, u32),
    /// Whether its box meets a liable licence's (its runs were kept in memory).
    pub near: bool,
    pub outline: OutlineRecord,
}

/// Bytes of an encoded [`PreRecord`].
pub const PRE_RECORD_BYTES: usize = 8 * 3 + 16 + 8 + 1 + 16 + 8 * 3 + 1 + 32;

impl PreRecord {
    /// Appends the fixed-size encoding to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let o = &self.outline;
        out.extend_from_slice(&self.cells.to_le_bytes());
        out.extend_from_slice(&self.area_m2.to_le_bytes());
        out.extend_from_slice(&self.before_m2.to_le_bytes());
        f64s(out, &[self.centroid.0, self.centroid.1]);
        out.extend_from_slice(&self.first.0.to_le_bytes());
        out.extend_from_slice(&self.first.1.to_le_bytes());
        out.push(u8::from(self.near));
        out.extend_from_slice(&o.span.offset.to_le_bytes());
        out.extend_from_slice(&o.span.len.to_le_bytes());
        f64s(out, &[o.planar_area, o.perimeter]);
        out.extend_from_slice(&(o.holes as u64).to_le_bytes());
        out.push(u8::from(o.bbox.is_some()));
        let b = o.bbox.unwrap_or_default();
        f64s(out, &[b.0, b.1, b.2, b.3]);
    }

    /// Decodes one record of [`PRE_RECORD_BYTES`].
    ///
    /// # Errors
    /// `InvalidData` when `b` is not one record.
    pub fn decode(b: &[u8]) -> io::Result<PreRecord> {
        if b.len() != PRE_RECORD_BYTES {
            return Err(invalid("patch record of the wrong size"));
        }
        let mut c = Reader(b);
        let cells = c.u64()?;
        let area_m2 = c.f64()?;
        let before_m2 = c.f64()?;
        let centroid = (c.f64()?, c.f64()?);
        let first = (c.u32()?, c.u32()?);
        let near = c.u8()? != 0;
        let span = Span {
            offset: c.u64()?,
            len: c.u64()?,
        };
        let planar_area = c.f64()?;
        let perimeter = c.f64()?;
        let holes = usize::try_from(c.u64()?).map_err(|_| invalid("hole count"))?;
        let has_box = c.u8()? != 0;
        let bbox = (c.f64()?, c.f64()?, c.f64()?, c.f64()?);
        Ok(PreRecord {
            cells,
            area_m2,
            before_m2,
            centroid,
            first,
            near,
            outline: OutlineRecord {
                span,
                planar_area,
                perimeter,
                holes,
                bbox: has_box.then_some(bbox),
            },
        })
    }
}

/// What memory keeps of a candidate: its rank key, what the counts by label
/// and the map need, and where its record lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    pub cells: u64,
    pub area_ha: f64,
    pub first_cell: (u32, u32),
    pub label: Label,
    pub change: Option<Change>,
    pub outside_licence_ha: f64,
    /// Its outline in the outline spill.
    pub outline: Span,
    /// Its [`Candidate`] record in the record spill.
    pub record: Span,
}

/// The candidates of a run, in rank order: keys in memory, records on disk.
#[derive(Debug, Clone)]
pub struct Candidates {
    ranked: Vec<Ranked>,
    records: Option<Spill>,
}

impl Candidates {
    /// From keys already in rank order and the spill holding their records.
    pub fn new(ranked: Vec<Ranked>, records: Option<Spill>) -> Candidates {
        Candidates { ranked, records }
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.ranked.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.ranked.is_empty()
    }

    /// The keys, in rank order.
    pub fn ranked(&self) -> &[Ranked] {
        &self.ranked
    }

    /// The candidate of rank `i + 1`, read back from disk.
    ///
    /// # Errors
    /// [`DiscoverError::Spill`] when the record cannot be read back.
    pub fn get(&self, i: usize) -> Result<Candidate, DiscoverError> {
        self.get_io(i).map_err(|source| DiscoverError::Spill {
            dir: self
                .records
                .as_ref()
                .map(|s| s.dir().to_path_buf())
                .unwrap_or_default(),
            source,
        })
    }

    /// [`Candidates::get`] as an I/O error (for writers).
    ///
    /// # Errors
    /// As [`Candidates::get`].
    pub fn get_io(&self, i: usize) -> io::Result<Candidate> {
        let k = self
            .ranked
            .get(i)
            .ok_or_else(|| invalid("no candidate of that rank"))?;
        let spill = self
            .records
            .as_ref()
            .ok_or_else(|| invalid("no candidate records"))?;
        let bytes = spill.read_bytes_io(k.record)?;
        decode_candidate(&bytes, i + 1, k.outline)
    }

    /// Every candidate in rank order, each read back as it is reached.
    pub fn iter(&self) -> impl Iterator<Item = io::Result<Candidate>> + '_ {
        (0..self.len()).map(|i| self.get_io(i))
    }

    /// Every candidate in memory (for small runs and tests).
    ///
    /// # Errors
    /// As [`Candidates::get`].
    pub fn to_vec(&self) -> Result<Vec<Candidate>, DiscoverError> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

fn f64s(out: &mut Vec<u8>, v: &[f64]) {
    for x in v {
        out.extend_from_slice(&x.to_le_bytes());
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u64).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// A reader over a byte slice that refuses to read past its end.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or_else(|| invalid("record cut short"))?;
        self.0 = rest;
        Ok(*head)
    }
    fn u8(&mut self) -> io::Result<u8> {
        Ok(self.take::<1>()?[0])
    }
    fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(self.take()?))
    }
    fn f64(&mut self) -> io::Result<f64> {
        Ok(f64::from_le_bytes(self.take()?))
    }
    fn string(&mut self) -> io::Result<String> {
        let n = usize::try_from(self.u64()?).map_err(|_| invalid("string length"))?;
        if n > self.0.len() {
            return Err(invalid("string beyond the record"));
        }
        let (s, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8(s.to_vec()).map_err(|_| invalid("string not UTF-8"))
    }
}

fn label_code(l: Label) -> u8 {
    match l {
        Label::WithinLicence => 0,
        Label::BeyondLicence => 1,
        Label::Unlicensed => 2,
    }
}

fn change_code(c: Option<Change>) -> u8 {
    match c {
        None => 0,
        Some(Change::New) => 1,
        Some(Change::Persistent) => 2,
    }
}

/// A candidate's record (all but its id, rank and outline span, which its key holds).
pub fn encode_candidate(c: &Candidate, out: &mut Vec<u8>) {
    out.push(label_code(c.label));
    out.push(change_code(c.change));
    out.extend_from_slice(&c.cells.to_le_bytes());
    f64s(out, &[c.area_ha, c.inside_licence_ha, c.outside_licence_ha]);
    out.extend_from_slice(&(c.licence_ids.len() as u64).to_le_bytes());
    for id in &c.licence_ids {
        string(out, id);
    }
    match &c.nearest {
        None => out.push(0),
        Some(n) => {
            out.push(1);
            string(out, &n.licence_id);
            f64s(out, &[n.distance_m]);
            string(out, &n.status);
            out.push(u8::from(n.liable));
        }
    }
    f64s(
        out,
        &[
            c.centroid.0,
            c.centroid.1,
            c.centroid_lonlat.0,
            c.centroid_lonlat.1,
        ],
    );
    out.extend_from_slice(&(c.holes as u64).to_le_bytes());
    f64s(out, &[c.perimeter, c.compactness]);
    out.push(u8::from(c.bare_before_ha.is_some()));
    f64s(out, &[c.bare_before_ha.unwrap_or_default()]);
    out.extend_from_slice(&c.first_cell.0.to_le_bytes());
    out.extend_from_slice(&c.first_cell.1.to_le_bytes());
}

fn decode_candidate(b: &[u8], rank: usize, outline: Span) -> io::Result<Candidate> {
    let mut r = Reader(b);
    let label = match r.u8()? {
        0 => Label::WithinLicence,
        1 => Label::BeyondLicence,
        2 => Label::Unlicensed,
        _ => return Err(invalid("label code")),
    };
    let change = match r.u8()? {
        0 => None,
        1 => Some(Change::New),
        2 => Some(Change::Persistent),
        _ => return Err(invalid("change code")),
    };
    let cells = r.u64()?;
    let (area_ha, inside_licence_ha, outside_licence_ha) = (r.f64()?, r.f64()?, r.f64()?);
    let n = usize::try_from(r.u64()?).map_err(|_| invalid("licence count"))?;
    if n.saturating_mul(8) > r.0.len() {
        return Err(invalid("licence count beyond the record"));
    }
    let licence_ids = (0..n).map(|_| r.string()).collect::<io::Result<Vec<_>>>()?;
    let nearest = match r.u8()? {
        0 => None,
        _ => Some(Nearest {
            licence_id: r.string()?,
            distance_m: r.f64()?,
            status: r.string()?,
            liable: r.u8()? != 0,
        }),
    };
    let centroid = (r.f64()?, r.f64()?);
    let centroid_lonlat = (r.f64()?, r.f64()?);
    let holes = usize::try_from(r.u64()?).map_err(|_| invalid("hole count"))?;
    let perimeter = r.f64()?;
    let compactness = r.f64()?;
    let has_before = r.u8()? != 0;
    let before = r.f64()?;
    let first_cell = (r.u32()?, r.u32()?);
    if !r.0.is_empty() {
        return Err(invalid("bytes after the record"));
    }
    Ok(Candidate {
        id: format!("D{rank:04}"),
        rank,
        label,
        change,
        area_ha,
        cells,
        inside_licence_ha,
        outside_licence_ha,
        licence_ids,
        nearest,
        centroid,
        centroid_lonlat,
        holes,
        perimeter,
        compactness,
        bare_before_ha: has_before.then_some(before),
        first_cell,
        outline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_bit_for_bit() {
        let c = Candidate {
            id: "D0007".into(),
            rank: 7,
            label: Label::BeyondLicence,
            change: Some(Change::Persistent),
            area_ha: 0.1 + 0.2,
            cells: 30,
            inside_licence_ha: 1e-300,
            outside_licence_ha: 0.3,
            licence_ids: vec!["L1".into(), "许可证".into()],
            nearest: Some(Nearest {
                licence_id: "L1".into(),
                distance_m: 0.0,
                status: "有效".into(),
                liable: true,
            }),
            centroid: (686_000.5, 4_796_100.25),
            centroid_lonlat: (125.1234567891, 43.3),
            holes: 2,
            perimeter: 1234.5,
            compactness: 0.785,
            bare_before_ha: Some(0.0),
            first_cell: (12, 34),
            outline: Span { offset: 5, len: 9 },
        };
        let mut b = Vec::new();
        encode_candidate(&c, &mut b);
        assert_eq!(decode_candidate(&b, 7, c.outline).unwrap(), c);
        assert!(decode_candidate(&b[..b.len() - 1], 7, c.outline).is_err());
        let mut bad = b.clone();
        bad[0] = 9;
        assert!(decode_candidate(&bad, 7, c.outline).is_err());

        let p = PreRecord {
            cells: 5,
            area_m2: 500.0,
            before_m2: 0.0,
            centroid: (1.0, 2.0),
            first: (3, 4),
            near: true,
            outline: super::OutlineRecord {
                span: Span { offset: 1, len: 2 },
                planar_area: 500.0,
                perimeter: 120.0,
                holes: 0,
                bbox: Some((0.0, 1.0, 2.0, 3.0)),
            },
        };
        let mut b = Vec::new();
        p.encode(&mut b);
        assert_eq!(b.len(), PRE_RECORD_BYTES);
        assert_eq!(PreRecord::decode(&b).unwrap(), p);
    }
}
