//! [`ReadOptions`]: what a layer read may use — encoding override, caps on features,
//! vertices and file bytes, and whether to repair invalid geometry.

/// Options for reading a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Text encoding of the attributes, overriding `.cpg` and detection: "utf-8", "gbk",
    /// "gb18030", "big5", "latin1", "936", "cp1252" … (the CLI's `--encoding`).
    pub encoding: Option<String>,
    /// Most features (records) a layer may have.
    pub max_features: usize,
    /// Most vertices (positions, all rings of all features) a layer may have.
    pub max_vertices: usize,
    /// Repair self-intersecting or overlapping geometry
    /// ([`validate::repair`](super::validate::repair)) instead of refusing it (the
    /// CLI's `--repair`; default false).
    pub repair: bool,
    /// Most bytes one file of the layer (.geojson, .shp, .dbf, .shx) may hold
    /// (default 2 GiB; `max_vector_mib` under an audit's `[limits]`).
    pub max_file_bytes: u64,
}

impl Default for ReadOptions {
    /// No explicit encoding; 5 million features; 200 million vertices; no repair;
    /// 2 GiB per file.
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            max_features: 5_000_000,
            max_vertices: 200_000_000,
            repair: false,
            max_file_bytes: 2 << 30,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_generous() {
        let o = ReadOptions::default();
        assert_eq!(o.encoding, None);
        assert_eq!(o.max_features, 5_000_000);
        assert_eq!(o.max_vertices, 200_000_000);
    }
}
