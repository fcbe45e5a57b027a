//! The facts of the synthetic Yitong county: towns, licences (采矿权), mines and the
//! historical-legacy pit clusters, mirroring the 2021–2025 mineral resources plan.
//!
//! Positions are schematic (UTM 51N metres) but keep the plan's geography: zinc and
//! pyrite at 放牛沟 in 景台镇 (north-east), gold at 二道岭 in 营城子镇 (north-west),
//! building stone in 景台镇, 马鞍山镇, 伊丹镇 and 二道镇, mineral water in 河源镇, and the
//! closed coal and oil-field land of the central 伊舒 graben (大孤山镇, 小孤山镇).
//! Holders are invented ("甲/乙/丙 …" companies); no real company is named.

/// A town (乡镇) and the centre of its built-up area.
#[derive(Debug, Clone, Copy)]
pub struct Town {
    /// Chinese name, e.g. "景台镇".
    pub name: &'static str,
    /// Centre easting, m (EPSG:32651).
    pub x: f64,
    /// Centre northing, m.
    pub y: f64,
    /// Radius of the built-up area, m.
    pub radius: f64,
}

/// The towns painted on the imagery and used as pit attributes.
pub const TOWNS: &[Town] = &[
    Town {
        name: "伊通镇",
        x: 686_000.0,
        y: 4_801_500.0,
        radius: 900.0,
    },
    Town {
        name: "景台镇",
        x: 692_300.0,
        y: 4_807_300.0,
        radius: 380.0,
    },
    Town {
        name: "营城子镇",
        x: 674_200.0,
        y: 4_807_800.0,
        radius: 400.0,
    },
    Town {
        name: "马鞍山镇",
        x: 680_200.0,
        y: 4_799_300.0,
        radius: 380.0,
    },
    Town {
        name: "伊丹镇",
        x: 672_600.0,
        y: 4_795_200.0,
        radius: 360.0,
    },
    Town {
        name: "二道镇",
        x: 679_600.0,
        y: 4_791_000.0,
        radius: 330.0,
    },
    Town {
        name: "河源镇",
        x: 694_200.0,
        y: 4_792_800.0,
        radius: 340.0,
    },
    Town {
        name: "大孤山镇",
        x: 683_300.0,
        y: 4_797_600.0,
        radius: 330.0,
    },
    Town {
        name: "小孤山镇",
        x: 688_200.0,
        y: 4_798_000.0,
        radius: 320.0,
    },
];

/// One mining licence as listed in the licence table.
#[derive(Debug, Clone, Copy)]
pub struct LicenceFact {
    /// Short handle used by the layout.
    pub key: &'static str,
    /// Year and month of issue (part of the licence number).
    pub issued: (u32, u32),
    /// 采矿权人 (invented).
    pub holder: &'static str,
    /// 矿山名称.
    pub name: &'static str,
    /// 矿种.
    pub mineral: &'static str,
    /// 开采方式: 露天 / 地下.
    pub method: &'static str,
    /// 规模: 大型 / 中型 / 小型.
    pub scale: &'static str,
    /// 状态: 有效 / 过期 / 吊销 / 注销.
    pub status: &'static str,
    /// 有效期至, YYYY-MM-DD.
    pub valid_to: &'static str,
    /// 乡镇.
    pub town: &'static str,
}

/// The licence table: the plan's 13 valid mines (9 large, 1 medium, 3 small; 11 open
/// pit, 2 underground; zinc, gold, pyrite, cement marble, 2 granite, building marble,
/// 3 andesite, 2 diorite, mineral water), two expired licences (still liable) and one
/// revoked and one cancelled licence (not liable: their land is historical legacy).
pub const LICENCES: &[LicenceFact] = &[
    LicenceFact {
        key: "fng_pyrite",
        issued: (2008, 6),
        holder: "伊通满族自治县景台镇甲硫铁矿业有限公司",
        name: "伊通县景台镇放牛沟硫铁矿",
        mineral: "硫铁矿",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2028-06-30",
        town: "景台镇",
    },
    LicenceFact {
        key: "fng_zinc",
        issued: (2010, 9),
        holder: "伊通满族自治县景台镇乙多金属矿业有限公司",
        name: "伊通县景台镇放牛沟锌矿",
        mineral: "锌",
        method: "地下",
        scale: "中型",
        status: "有效",
        valid_to: "2026-09-30",
        town: "景台镇",
    },
    LicenceFact {
        key: "edl_gold",
        issued: (2012, 12),
        holder: "伊通满族自治县营城子镇丙黄金矿业有限公司",
        name: "伊通县营城子镇二道岭金矿",
        mineral: "金",
        method: "露天",
        scale: "小型",
        status: "有效",
        valid_to: "2025-12-31",
        town: "营城子镇",
    },
    LicenceFact {
        key: "mas_cement",
        issued: (2015, 5),
        holder: "伊通满族自治县马鞍山镇丁建材有限公司",
        name: "伊通县马鞍山镇水泥用大理岩矿",
        mineral: "水泥用大理岩",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2030-05-31",
        town: "马鞍山镇",
    },
    LicenceFact {
        key: "yd_granite",
        issued: (2017, 3),
        holder: "伊通满族自治县伊丹镇戊石材有限公司",
        name: "伊通县伊丹镇伊丹村建筑用花岗岩矿",
        mineral: "建筑用花岗岩",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2027-03-31",
        town: "伊丹镇",
    },
    LicenceFact {
        key: "hpl_granite",
        issued: (2019, 11),
        holder: "伊通满族自治县营城子镇己石材有限公司",
        name: "伊通县营城子镇后偏脸村建筑用花岗岩矿",
        mineral: "建筑用花岗岩",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2029-11-30",
        town: "营城子镇",
    },
    LicenceFact {
        key: "dl_marble",
        issued: (2020, 4),
        holder: "伊通满族自治县伊丹镇庚石料有限公司",
        name: "伊通县伊丹镇大岭村建筑用大理岩矿",
        mineral: "建筑用大理岩",
        method: "露天",
        scale: "小型",
        status: "有效",
        valid_to: "2026-04-30",
        town: "伊丹镇",
    },
    LicenceFact {
        key: "dhnw_andesite",
        issued: (2018, 8),
        holder: "伊通满族自治县景台镇辛石料有限公司",
        name: "伊通县景台镇大黑牛窝建筑用安山岩矿",
        mineral: "建筑用安山岩",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2028-08-31",
        town: "景台镇",
    },
    LicenceFact {
        key: "htb_andesite",
        issued: (2017, 10),
        holder: "伊通满族自治县景台镇壬石料有限公司",
        name: "伊通县景台镇核桃背村建筑用安山岩矿",
        mineral: "建筑用安山岩",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2027-10-31",
        town: "景台镇",
    },
    LicenceFact {
        key: "dys_andesite",
        issued: (2019, 7),
        holder: "伊通满族自治县景台镇癸石料有限公司",
        name: "伊通县景台镇大榆树村西山建筑用安山岩矿",
        mineral: "建筑用安山岩",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2029-07-31",
        town: "景台镇",
    },
    LicenceFact {
        key: "dys_diorite",
        issued: (2018, 12),
        holder: "伊通满族自治县景台镇子石材有限公司",
        name: "伊通县景台镇大榆树村建筑用闪长岩矿",
        mineral: "建筑用闪长岩",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2028-12-31",
        town: "景台镇",
    },
    LicenceFact {
        key: "sm_diorite",
        issued: (2020, 9),
        holder: "伊通满族自治县二道镇丑石材有限公司",
        name: "伊通县二道镇石门村建筑用闪长岩矿",
        mineral: "建筑用闪长岩",
        method: "露天",
        scale: "大型",
        status: "有效",
        valid_to: "2030-09-30",
        town: "二道镇",
    },
    LicenceFact {
        key: "hy_water",
        issued: (2016, 12),
        holder: "伊通满族自治县河源镇寅饮品有限公司",
        name: "伊通县河源镇矿泉水",
        mineral: "矿泉水",
        method: "地下",
        scale: "小型",
        status: "有效",
        valid_to: "2031-12-31",
        town: "河源镇",
    },
    LicenceFact {
        key: "dl_marble_old",
        issued: (2009, 12),
        holder: "伊通满族自治县伊丹镇卯石料有限公司",
        name: "伊通县伊丹镇大岭村建筑用大理岩矿（原）",
        mineral: "建筑用大理岩",
        method: "露天",
        scale: "小型",
        status: "过期",
        valid_to: "2019-12-31",
        town: "伊丹镇",
    },
    LicenceFact {
        key: "zjt_andesite",
        issued: (2012, 6),
        holder: "伊通满族自治县马鞍山镇辰石料有限公司",
        name: "伊通县马鞍山镇张家屯建筑用安山岩矿",
        mineral: "建筑用安山岩",
        method: "露天",
        scale: "小型",
        status: "过期",
        valid_to: "2020-06-30",
        town: "马鞍山镇",
    },
    LicenceFact {
        key: "ljt_stone",
        issued: (2011, 3),
        holder: "伊通满族自治县景台镇巳石料有限公司",
        name: "伊通县景台镇刘家屯建筑用石料矿",
        mineral: "建筑用安山岩",
        method: "露天",
        scale: "小型",
        status: "吊销",
        valid_to: "2021-12-31",
        town: "景台镇",
    },
    LicenceFact {
        key: "xgs_coal",
        issued: (2005, 12),
        holder: "伊通满族自治县小孤山镇午煤业有限公司",
        name: "伊通县小孤山镇煤矿",
        mineral: "煤",
        method: "地下",
        scale: "小型",
        status: "注销",
        valid_to: "2015-12-31",
        town: "小孤山镇",
    },
];

/// A footprint of a licensed mine, placed relative to the mine centre.
#[derive(Debug, Clone, Copy)]
pub struct MinePit {
    /// 类型: 采场 / 排土场 / 尾矿库 / 中转场地.
    pub kind: &'static str,
    /// Offset from the mine centre, m.
    pub dx: f64,
    /// Offset from the mine centre, m.
    pub dy: f64,
    /// Nominal area, ha.
    pub area_ha: f64,
    /// Share of the pit restored at the end of 2020 (before the exact count is set).
    pub restored_share: f64,
}

/// How a licence polygon is drawn around its mine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LicenceCut {
    /// The licence covers every pit with this margin, m.
    Around(f64),
    /// The licence's west edge runs through the first pit this far east of its centre (m):
    /// the land west of it lies outside the licence (historical legacy).
    WestEdgeAt(f64),
    /// The licence covers the first pit east of this line (m from its centre); an older
    /// licence (`partner`) covers it west of `partner_east_edge` (m): the two overlap.
    Overlapping {
        west_edge: f64,
        partner: &'static str,
        partner_east_edge: f64,
    },
    /// No footprint: a small square licence of this half-size, m.
    NoPit(f64),
}

/// One licensed (or formerly licensed) mine: where it is, its footprints and licence shape.
#[derive(Debug, Clone, Copy)]
pub struct Mine {
    /// Key of its licence in [`LICENCES`].
    pub licence: &'static str,
    /// Centre easting, m.
    pub x: f64,
    /// Centre northing, m.
    pub y: f64,
    /// Its footprints.
    pub pits: &'static [MinePit],
    /// How the licence polygon relates to the pits.
    pub cut: LicenceCut,
}

const fn pit(kind: &'static str, dx: f64, dy: f64, area_ha: f64, restored_share: f64) -> MinePit {
    MinePit {
        kind,
        dx,
        dy,
        area_ha,
        restored_share,
    }
}

/// The mines with licences (valid, expired, revoked, cancelled).
pub const MINES: &[Mine] = &[
    Mine {
        licence: "fng_pyrite",
        x: 694_300.0,
        y: 4_806_000.0,
        pits: &[
            pit("采场", 0.0, 0.0, 14.0, 0.2),
            pit("排土场", 650.0, -120.0, 9.0, 0.55),
        ],
        cut: LicenceCut::Around(120.0),
    },
    Mine {
        licence: "fng_zinc",
        x: 694_300.0,
        y: 4_804_000.0,
        pits: &[pit("尾矿库", 0.0, 0.0, 6.0, 0.5)],
        cut: LicenceCut::Around(110.0),
    },
    Mine {
        licence: "edl_gold",
        x: 671_800.0,
        y: 4_806_600.0,
        pits: &[pit("采场", 0.0, 0.0, 5.0, 0.15)],
        cut: LicenceCut::WestEdgeAt(-40.0),
    },
    Mine {
        licence: "mas_cement",
        x: 677_800.0,
        y: 4_801_800.0,
        pits: &[
            pit("采场", 0.0, 0.0, 9.0, 0.3),
            pit("排土场", 480.0, 60.0, 3.0, 0.6),
        ],
        cut: LicenceCut::Around(100.0),
    },
    Mine {
        licence: "yd_granite",
        x: 670_600.0,
        y: 4_793_600.0,
        pits: &[pit("采场", 0.0, 0.0, 5.0, 0.3)],
        cut: LicenceCut::Around(90.0),
    },
    Mine {
        licence: "hpl_granite",
        x: 676_800.0,
        y: 4_809_700.0,
        pits: &[pit("采场", 0.0, 0.0, 4.0, 0.25)],
        cut: LicenceCut::Around(90.0),
    },
    Mine {
        licence: "dl_marble",
        x: 674_600.0,
        y: 4_790_600.0,
        pits: &[pit("采场", 0.0, 0.0, 5.0, 0.3)],
        cut: LicenceCut::Overlapping {
            west_edge: -60.0,
            partner: "dl_marble_old",
            partner_east_edge: 70.0,
        },
    },
    Mine {
        licence: "dhnw_andesite",
        x: 689_600.0,
        y: 4_809_300.0,
        pits: &[pit("采场", 0.0, 0.0, 4.5, 0.35)],
        cut: LicenceCut::Around(90.0),
    },
    Mine {
        licence: "htb_andesite",
        x: 693_400.0,
        y: 4_809_400.0,
        pits: &[pit("采场", 0.0, 0.0, 4.0, 0.3)],
        cut: LicenceCut::Around(90.0),
    },
    Mine {
        licence: "dys_andesite",
        x: 689_300.0,
        y: 4_804_300.0,
        pits: &[pit("采场", 0.0, 0.0, 4.0, 0.4)],
        cut: LicenceCut::Around(90.0),
    },
    Mine {
        licence: "dys_diorite",
        x: 690_900.0,
        y: 4_803_200.0,
        pits: &[pit("采场", 0.0, 0.0, 4.0, 0.35)],
        cut: LicenceCut::Around(90.0),
    },
    Mine {
        licence: "sm_diorite",
        x: 683_200.0,
        y: 4_789_900.0,
        pits: &[pit("采场", 0.0, 0.0, 4.0, 0.3)],
        cut: LicenceCut::Around(90.0),
    },
    Mine {
        licence: "hy_water",
        x: 696_300.0,
        y: 4_790_300.0,
        pits: &[],
        cut: LicenceCut::NoPit(90.0),
    },
    Mine {
        licence: "zjt_andesite",
        x: 681_900.0,
        y: 4_803_600.0,
        pits: &[pit("采场", 0.0, 0.0, 3.0, 0.1)],
        cut: LicenceCut::Around(80.0),
    },
    Mine {
        licence: "ljt_stone",
        x: 686_900.0,
        y: 4_807_900.0,
        pits: &[
            pit("采场", 0.0, 0.0, 5.0, 0.2),
            pit("排土场", 420.0, -60.0, 3.0, 0.5),
        ],
        cut: LicenceCut::Around(100.0),
    },
    Mine {
        licence: "xgs_coal",
        x: 690_700.0,
        y: 4_791_300.0,
        pits: &[pit("排土场", 0.0, 0.0, 15.0, 0.6)],
        cut: LicenceCut::Around(150.0),
    },
];

/// A cluster of historical-legacy pits (no responsible holder) around a centre.
#[derive(Debug, Clone, Copy)]
pub struct LegacyCluster {
    /// 乡镇.
    pub town: &'static str,
    /// Cluster centre easting, m.
    pub x: f64,
    /// Cluster centre northing, m.
    pub y: f64,
    /// (类型, nominal area in ha, restored share at the end of 2020, holes).
    pub pits: &'static [(&'static str, f64, f64, usize)],
}

/// The historical-legacy clusters: old quarries, the closed coal mines and oil-field
/// land of the graben, and the old 放牛沟 dumps. Four of the big ones are the plan's
/// restoration projects (mostly re-vegetated).
pub const LEGACY: &[LegacyCluster] = &[
    LegacyCluster {
        town: "景台镇",
        x: 696_300.0,
        y: 4_801_200.0,
        pits: &[
            ("排土场", 80.0, 0.7, 1),
            ("采场", 45.0, 0.35, 0),
            ("尾矿库", 30.0, 0.5, 0),
            ("采场", 20.0, 0.2, 0),
            ("采场", 12.0, 0.1, 0),
            ("中转场地", 8.0, 0.0, 0),
        ],
    },
    LegacyCluster {
        town: "营城子镇",
        x: 672_300.0,
        y: 4_803_000.0,
        pits: &[
            ("采场", 40.0, 0.4, 0),
            ("排土场", 25.0, 0.3, 0),
            ("采场", 15.0, 0.1, 0),
            ("采场", 10.0, 0.0, 0),
            ("采场", 8.0, 0.2, 0),
        ],
    },
    LegacyCluster {
        town: "马鞍山镇",
        x: 677_300.0,
        y: 4_796_500.0,
        pits: &[
            ("采场", 35.0, 0.45, 0),
            ("采场", 20.0, 0.2, 0),
            ("排土场", 15.0, 0.5, 0),
            ("采场", 10.0, 0.0, 0),
        ],
    },
    LegacyCluster {
        town: "大孤山镇",
        x: 684_800.0,
        y: 4_794_900.0,
        pits: &[
            ("排土场", 70.0, 0.6, 1),
            ("采场", 30.0, 0.3, 0),
            ("采场", 12.0, 0.1, 0),
        ],
    },
    LegacyCluster {
        town: "小孤山镇",
        x: 689_800.0,
        y: 4_795_300.0,
        pits: &[
            ("排土场", 50.0, 0.65, 1),
            ("采场", 25.0, 0.3, 0),
            ("采场", 15.0, 0.2, 0),
        ],
    },
    LegacyCluster {
        town: "伊丹镇",
        x: 669_800.0,
        y: 4_798_200.0,
        pits: &[
            ("采场", 30.0, 0.4, 0),
            ("采场", 20.0, 0.3, 0),
            ("采场", 10.0, 0.1, 0),
            ("中转场地", 6.0, 0.0, 0),
        ],
    },
    LegacyCluster {
        town: "二道镇",
        x: 680_300.0,
        y: 4_788_600.0,
        pits: &[
            ("采场", 25.0, 0.35, 0),
            ("采场", 15.0, 0.2, 0),
            ("排土场", 10.0, 0.4, 0),
        ],
    },
    LegacyCluster {
        town: "河源镇",
        x: 697_000.0,
        y: 4_795_600.0,
        pits: &[
            ("采场", 60.0, 0.55, 2),
            ("采场", 20.0, 0.25, 0),
            ("排土场", 12.0, 0.3, 0),
        ],
    },
];

/// The special legacy pits: a pair that overlaps (a waste dump and a transfer yard
/// digitised over its edge) and a pit of two separate parts (a multipolygon).
pub const OVERLAP_PAIR: (&str, f64, f64, f64) = ("大孤山镇", 687_400.0, 4_793_800.0, 22.0);
/// Town, centre and nominal areas (ha) of the two parts of the multipolygon pit.
pub const MULTI_PART: (&str, f64, f64, f64, f64) = ("小孤山镇", 692_500.0, 4_797_900.0, 9.0, 6.0);
/// Where the rectilinear tuning yards go: the licensed one (inside the 放牛沟 zinc
/// licence, east of its tailings) and the legacy one (河源镇).
pub const RESPONSIBLE_YARD_SW: (f64, f64) = (694_600.0, 4_803_800.0);
/// South-west corner of the legacy tuning yard.
pub const LEGACY_YARD_SW: (f64, f64) = (692_300.0, 4_790_000.0);

/// The plan's 2020 baseline, in m² (ha × 10 000).
pub const BASELINE_RESTORED_M2: i64 = 5_223_800;
/// Unrestored, m².
pub const BASELINE_UNRESTORED_M2: i64 = 7_050_900;
/// Unrestored with a responsible holder, m².
pub const BASELINE_RESPONSIBLE_M2: i64 = 510_000;
/// Unrestored historical legacy, m².
pub const BASELINE_LEGACY_M2: i64 = 6_540_900;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_licence_table_matches_the_plan() {
        let valid: Vec<&LicenceFact> = LICENCES.iter().filter(|l| l.status == "有效").collect();
        assert_eq!(valid.len(), 13);
        let count = |f: &dyn Fn(&LicenceFact) -> bool| valid.iter().filter(|l| f(l)).count();
        assert_eq!(count(&|l| l.scale == "大型"), 9);
        assert_eq!(count(&|l| l.scale == "中型"), 1);
        assert_eq!(count(&|l| l.scale == "小型"), 3);
        assert_eq!(count(&|l| l.method == "露天"), 11);
        assert_eq!(count(&|l| l.method == "地下"), 2);
        for (mineral, n) in [
            ("锌", 1),
            ("金", 1),
            ("硫铁矿", 1),
            ("水泥用大理岩", 1),
            ("建筑用花岗岩", 2),
            ("建筑用大理岩", 1),
            ("建筑用安山岩", 3),
            ("建筑用闪长岩", 2),
            ("矿泉水", 1),
        ] {
            assert_eq!(count(&|l| l.mineral == mineral), n, "{mineral}");
        }
        assert_eq!(
            BASELINE_RESPONSIBLE_M2 + BASELINE_LEGACY_M2,
            BASELINE_UNRESTORED_M2
        );
        for m in MINES {
            assert!(LICENCES.iter().any(|l| l.key == m.licence), "{}", m.licence);
        }
    }
}
