//! The layering ARCHITECTURE.md promises, checked on the source where the compiler cannot check
//! it: the library does no I/O, and renderers read the assessment and the model, never the
//! engine nor the file.

use crate::root;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively, sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without its comments, so that a doc comment naming a forbidden item
/// does not count.
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_library_does_no_io() {
    let src = root().join("src");
    // The TAXII client is the one part of the library that talks to the outside (a server,
    // and the credentials in its environment); it is behind the `taxii` feature.
    let allowed = [src.join("stix/taxii.rs"), src.join("main.rs")];
    let forbidden = [
        "std::fs",
        "std::process",
        "stdout()",
        "stderr()",
        "stdin()",
        "env::var",
        "println!",
        "eprintln!",
    ];
    let mut found = Vec::new();
    for file in sources(&src) {
        if file.starts_with(src.join("cli")) || allowed.contains(&file) {
            continue;
        }
        // Unit tests may read fixtures.
        let text = code(&file);
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for f in forbidden {
            if text.contains(f) {
                found.push(format!("{} uses {f}", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "I/O outside the binary:\n{}",
        found.join("\n")
    );
}

#[test]
fn renderers_read_the_assessment_not_the_engine() {
    let src = root().join("src");
    let mut files = sources(&src.join("report"));
    files.extend(sources(&src.join("export")));
    files.push(src.join("stix/export.rs"));
    // The diff compares two versions' assessments, each made by `assess` like any other.
    files.push(src.join("diff.rs"));
    let mut found = Vec::new();
    for file in files {
        let text = code(&file);
        for f in ["crate::reason", "Engine"] {
            if text.contains(f) {
                found.push(format!("{} uses {f}", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a renderer reaches into the engine:\n{}",
        found.join("\n")
    );
}

#[test]
fn renderers_read_the_model_not_the_file() {
    let src = root().join("src");
    let mut files = sources(&src.join("report"));
    files.extend(sources(&src.join("export")));
    // `stix/export.rs` is not listed: its bundle carries the file's records verbatim, so that
    // an import gives the same file back (ARCHITECTURE.md says why the model cannot).
    let mut found = Vec::new();
    for file in files {
        let text = code(&file);
        // The file's records are the `format` types named `…File`; `Loaded` holds the file.
        let words = text.split(|c: char| !c.is_alphanumeric() && c != '_');
        for w in words {
            let record = w.ends_with("File") && w.starts_with(|c: char| c.is_ascii_uppercase());
            if record || w == "Loaded" {
                found.push(format!("{} uses {w}", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a renderer reads the file rather than the model:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_library_never_calls_into_the_command_line() {
    let src = root().join("src");
    let mut found = Vec::new();
    for file in sources(&src) {
        if file.starts_with(src.join("cli")) || file == src.join("main.rs") {
            continue;
        }
        if code(&file).contains("cli::") {
            found.push(file.display().to_string());
        }
    }
    assert!(
        found.is_empty(),
        "library code names the CLI:\n{}",
        found.join("\n")
    );
}
