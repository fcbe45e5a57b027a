//! What an output path holds ([`OutputKind`]) and how it meets an input
//! ([`Relation`]): the words of the output guard's errors.

use std::path::Path;

/// What is written at an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputKind {
    /// One file (`zonal`'s CSV), written atomically.
    File,
    /// An audit folder (`audit`, `merge`), replaced as a whole.
    AuditFolder,
    /// A shard's partial result (`audit --shard`).
    PartialFolder,
    /// The demo county and its audits (`demo`).
    DemoFolder,
    /// An accuracy assessment (`accuracy`): `accuracy.json`, `accuracy.csv`.
    AccuracyFolder,
    /// A discovery's folder (`discover`), replaced as a whole.
    DiscoveryFolder,
}

impl OutputKind {
    /// What makes an existing folder reclaim's own.
    pub fn marker(self) -> &'static str {
        match self {
            OutputKind::File => "file",
            OutputKind::AuditFolder | OutputKind::PartialFolder => {
                "summary.json of a reclaim audit or partial.json of a reclaim shard"
            }
            OutputKind::DemoFolder => {
                "demo layout (audit-2020.toml and audit-2024.toml of the demo county, inputs/)"
            }
            OutputKind::AccuracyFolder => "accuracy.json of a reclaim accuracy assessment",
            OutputKind::DiscoveryFolder => "summary.json of a reclaim discovery",
        }
    }

    /// "a file", "an audit folder" …
    pub fn article(self) -> &'static str {
        match self {
            OutputKind::File => "a file",
            OutputKind::AuditFolder => "an audit folder",
            OutputKind::PartialFolder => "a shard's folder",
            OutputKind::DemoFolder => "the demo folder",
            OutputKind::AccuracyFolder => "an accuracy folder",
            OutputKind::DiscoveryFolder => "a discovery folder",
        }
    }

    /// An example of a good `--out`.
    pub fn example(self) -> &'static str {
        match self {
            OutputKind::File => ", e.g. --out classes.csv",
            OutputKind::AuditFolder => ", e.g. --out audit-2025",
            OutputKind::PartialFolder => ", e.g. --out parts/0",
            OutputKind::DemoFolder => ", e.g. --out demo",
            OutputKind::AccuracyFolder => ", e.g. --out accuracy-2025",
            OutputKind::DiscoveryFolder => ", e.g. --out discovery-2025",
        }
    }

    /// Whether the output is a folder (replaced as a whole).
    pub fn is_folder(self) -> bool {
        self != OutputKind::File
    }
}

/// How an output path meets an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Relation {
    /// The output is the input itself.
    Same,
    /// The output is a folder holding the input (at any depth).
    Ancestor,
}

/// The message of [`Error::OutputIsInput`](crate::Error::OutputIsInput).
pub fn describe_is_input(out: &Path, role: &str, input: &Path, rel: Relation) -> String {
    match rel {
        Relation::Same => format!(
            "output {}: it is the {role} input {}; writing there would destroy it; give an output path that is not an input",
            out.display(),
            input.display()
        ),
        Relation::Ancestor => format!(
            "output {}: the folder holds the {role} input {}; reclaim replaces an output folder as a whole, which would delete it; give a new folder outside the inputs, e.g. --out audit-2025",
            out.display(),
            input.display()
        ),
    }
}
