//! The geometry of the demo county, built so that its 2020 audit must reproduce the
//! plan's baseline.
//!
//! 1. Licensed mines get irregular pits (vertices on the 10 m cell-corner lattice) and
//!    axis-aligned licence polygons around them; two licences cut a pit on purpose
//!    (the gold pit sticks out of its licence; the 大岭村 marble pit lies under a valid
//!    and an expired licence that overlap).
//! 2. Historical-legacy pits are placed in town clusters, away from licences, towns and
//!    the river; a few have holes, one has two parts, and one pair overlaps.
//! 3. Wherever a licence or yard edge crosses a pit, the crossing becomes a pit vertex,
//!    so every piece is a lattice polygon and every area is a multiple of 50 m².
//! 4. Restored land is a set of whole cells at least 8 m inside one pit and away from
//!    every licence edge; the number of such cells is chosen so that restored land is
//!    exactly 52 238 cells = 522.38 ha.
//! 5. Two rectilinear yards, one inside a valid licence and one legacy, close the gap
//!    to the baseline's unrestored figures exactly (areas 100·k − 50·e m²), and the
//!    legacy clusters are scaled so that the legacy yard keeps a plausible size.
//! 6. 2024: restoration progress, a re-disturbed pit, a flooded pit, a cloud.
//!
//! Parts (private; the public items are re-exported here):
//! - `mines`: step 1, the licensed mines' pits and their licence polygons.
//! - `build`: [`Layout::build`], every step in order, and the legacy placement.
//! - `restored`: the restorable cells of each pit, ranked, and the 2020 counts.
//! - `year_2024`: the 2024 scenario.
//! - `pits`: irregular lattice pits, cut by licence edges, and their validity.
//! - `lattice`: snapping, bounding rectangles, exact-area yards ([`yard`]), area under
//!   licences ([`area_in_union`]).
//! - `landscape`: the county boundary and the river ([`river_x`]).

mod build;
mod landscape;
mod lattice;
mod mines;
mod pits;
mod restored;
mod year_2024;

pub use landscape::river_x;
pub use lattice::{area_in_union, yard};

use crate::county::LicenceFact;
use crate::error::DemoError;
use crate::geom::{Pt, Rect, Shape};

/// The seed of everything random in the demo.
pub const SEED: u64 = 0x5954_2020_2024_0001;
/// Restored, water and flooded cells keep this distance (m) from every pit or licence
/// edge, so each lies wholly inside one pit and one attribution piece.
pub const INNER_MARGIN: f64 = 8.0;
/// A cell whose centre is within this distance (m) of a pit edge may touch the pit
/// (half the cell diagonal is 7.071 m); such cells are painted bare.
pub const TOUCH_DISTANCE: f64 = 7.08;
/// Statuses that make a licence liable (the audit's default set, in Chinese).
pub const LIABLE_STATUSES: [&str; 3] = ["有效", "过期", "停产"];
/// Nominal-area factor of the legacy clusters (tuned by the construction loop).
const LEGACY_FACTOR: f64 = 1.37;
/// Largest legacy scale the placement leaves room for.
const LEGACY_SCALE_MAX: f64 = 1.3;

/// One footprint (图斑) and what the imagery shows on it each year.
#[derive(Debug, Clone)]
pub struct PitPlan {
    /// 图斑编号.
    pub id: String,
    /// 类型.
    pub kind: &'static str,
    /// 乡镇.
    pub town: &'static str,
    /// 矿山名称, or 历史遗留.
    pub mine: String,
    /// Key of the licence the pit was dug under, if any.
    pub licence: Option<&'static str>,
    /// True when its restored land lies under a liable licence.
    pub liable: bool,
    /// The footprint.
    pub shape: Shape,
    /// Restored (vegetated) cells, [2020, 2024].
    pub restored: [Vec<usize>; 2],
    /// Water cells, [2020, 2024].
    pub water: [Vec<usize>; 2],
    order: Vec<usize>,
    share: f64,
    seed: u64,
}

/// One licence and its polygon (designed in UTM, written in Gauss–Krüger).
#[derive(Debug, Clone)]
pub struct LicencePlan {
    /// Its facts.
    pub fact: &'static LicenceFact,
    /// 许可证号.
    pub id: String,
    /// Its polygon in EPSG:32651.
    pub rect: Rect,
    /// True when its status is liable.
    pub liable: bool,
}

/// The whole construction.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Pits in id order.
    pub pits: Vec<PitPlan>,
    /// Licences in table order.
    pub licences: Vec<LicencePlan>,
    /// The county boundary (cells outside are nodata).
    pub county: Vec<Pt>,
    /// Indices of the overlapping pair, smaller id first.
    pub overlap: (usize, usize),
    /// 2024 cells under cloud (SCL 8 or 9) or cloud shadow (SCL 3), with their code.
    pub unobserved_2024: Vec<(usize, u8)>,
    /// Final area factor of the legacy clusters.
    pub legacy_scale: f64,
    /// Restored cells counted as responsible in 2020.
    pub restored_responsible_2020: usize,
}

/// True for a liable status.
pub fn is_liable(status: &str) -> bool {
    LIABLE_STATUSES.contains(&status)
}

fn broken(what: &'static str, feature: impl Into<String>) -> DemoError {
    DemoError::Construction {
        what,
        feature: feature.into(),
    }
}

fn pit_plan(
    kind: &'static str,
    town: &'static str,
    licence: Option<&'static LicenceFact>,
    shape: Shape,
    share: f64,
    seed: u64,
) -> PitPlan {
    PitPlan {
        id: String::new(),
        kind,
        town,
        mine: licence.map_or("历史遗留", |l| l.name).to_string(),
        licence: licence.map(|l| l.key),
        liable: licence.is_some_and(|l| is_liable(l.status)),
        shape,
        restored: [vec![], vec![]],
        water: [vec![], vec![]],
        order: vec![],
        share,
        seed,
    }
}

impl Layout {
    /// Liable licence polygons.
    pub fn liable_rects(&self) -> Vec<Rect> {
        self.licences
            .iter()
            .filter(|l| l.liable)
            .map(|l| l.rect)
            .collect()
    }

    /// Counted area of pit `i` (land of a smaller-id pit removed), m².
    pub fn counted_area(&self, i: usize) -> f64 {
        let a = self.pits[i].shape.area();
        if i == self.overlap.1 {
            a - self.overlap_area()
        } else {
            a
        }
    }

    /// Area shared by the overlapping pair, m².
    pub fn overlap_area(&self) -> f64 {
        let b = self.pits[self.overlap.1].shape.bbox();
        self.pits[self.overlap.0].shape.area_in_rect(&b)
    }
}
