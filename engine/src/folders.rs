//! Which folders reclaim wrote, and the output guard that knows them.
//!
//! [`crate::output`] guards every output path but knows nothing of what the writers
//! above it write; this module tells each kind of folder by its marker (an audit's
//! `summary.json`, a shard's `partial.json`, an assessment's `accuracy.json`, a
//! discovery's files, the demo's configurations) and lists what an audit reads.

use crate::error::Error;
use crate::output::{vector_inputs, InputPath, OutputKind};
use std::path::Path;

/// [`crate::output::check_out_with`] with reclaim's own folder markers: refuses an
/// output path that would destroy data. Call it before any work.
///
/// # Errors
/// As [`crate::output::check_out_with`].
pub fn check_out(out: &Path, kind: OutputKind, inputs: &[InputPath]) -> Result<(), Error> {
    crate::output::check_out_with(out, kind, inputs, is_reclaims)
}

/// Everything an audit reads: its configuration file, the imagery, mask, pits and
/// licences (with sidecars), the previous audit's folder and the inputs its
/// `summary.json` records (when it can be read).
pub fn audit_inputs(
    cfg: &crate::audit::AuditConfig,
    config: Option<&Path>,
    previous: Option<&Path>,
) -> Vec<InputPath> {
    let mut v = Vec::new();
    if let Some(c) = config {
        v.push(("config".to_string(), c.to_path_buf()));
    }
    let im = &cfg.imagery;
    for (role, p) in [
        ("imagery", &im.path),
        ("imagery.red", &im.red_path),
        ("imagery.nir", &im.nir_path),
        ("mask", &im.mask_path),
    ] {
        if let Some(p) = p {
            v.push((role.to_string(), p.clone()));
        }
    }
    v.extend(vector_inputs("pits", &cfg.pits.path));
    if let Some(l) = &cfg.licenses {
        v.extend(vector_inputs("licenses", &l.path));
    }
    if let Some(a) = &cfg.accuracy {
        v.extend(vector_inputs("accuracy reference", &a.reference));
    }
    if let Some(dir) = previous {
        v.push(("previous audit".to_string(), dir.to_path_buf()));
        if let Ok(f) = crate::report::read_summary_file(dir) {
            for i in f.provenance.inputs {
                v.push((format!("previous {}", i.role), i.path));
            }
        }
    }
    v
}

/// Whether the existing folder `dir` carries reclaim's marker for `kind`.
pub fn is_reclaims(dir: &Path, kind: OutputKind) -> bool {
    match kind {
        OutputKind::File => false,
        OutputKind::AuditFolder | OutputKind::PartialFolder => {
            crate::report::read_summary_file(dir).is_ok_and(|f| {
                f.format.is_empty() || f.format == crate::report::summary::SUMMARY_FORMAT
            }) || crate::audit::partial::read_partial(
                &dir.join(crate::audit::partial::PARTIAL_FILE),
            )
            .is_ok()
        }
        OutputKind::AccuracyFolder => crate::accuracy::output::is_accuracy_folder(dir),
        OutputKind::DiscoveryFolder => crate::discover::files::is_discovery_folder(dir),
        OutputKind::DemoFolder => {
            dir.join("inputs").is_dir()
                && ["audit-2020.toml", "audit-2024.toml"].iter().all(|name| {
                    let p = dir.join(name);
                    crate::input::read_capped(&p, 1 << 20, crate::input::Cap::Config)
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok())
                        .is_some_and(|t| crate::audit::AuditConfig::from_toml(&t, &p).is_ok())
                })
        }
    }
}
