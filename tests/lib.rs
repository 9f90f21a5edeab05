//! Integration tests: they run the real `attrib` binary (and the library's public API) on the
//! files under `graphs/` and `tests/data/`.

mod assess;
mod check;
mod cli;
mod convert;
mod diff;
mod dot;
mod escaping;
mod properties;
mod regressions;
mod robustness;
mod stix;
mod taxii;
mod whatif;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `attrib` binary, with a clean colour environment.
pub fn attrib() -> Command {
    let mut cmd = Command::cargo_bin("attrib").expect("the attrib binary is built");
    cmd.env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("NO_COLOR", "1");
    cmd
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every evidence graph shipped under `graphs/`, sorted.
pub fn graphs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("graphs"))
        .expect("graphs/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron" || e == "json"))
        .collect();
    out.sort();
    out
}

/// Runs the binary and returns (exit code, stdout, stderr).
pub fn run(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = attrib()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("attrib runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
