//! The layering ARCHITECTURE.md promises, checked on the source where the compiler cannot check
//! it: the library does no I/O, renderers read the assessment and the model, never the
//! engine nor the file, and no function runs over 80 lines without saying why.

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

/// The name of the function a line of rustfmt'd code declares, if it declares one.
fn declared_fn(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    let qualifiers = [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ];
    while let Some(r) = qualifiers.iter().find_map(|q| rest.strip_prefix(q)) {
        rest = r;
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(|c: char| !c.is_alphanumeric() && c != '_')?;
    Some(&rest[..end])
}

/// Every function of a rustfmt'd file with a body over `limit` lines (signature to closing
/// brace) and no reason given in a plain `//` comment among the doc comments and attributes
/// above it: `(line, name, lines)`.
fn long_functions(text: &str, limit: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = declared_fn(line) else {
            continue;
        };
        let indent = &line[..line.len() - line.trim_start().len()];
        // The line that opens the body; a declaration without one, or a body on one line,
        // is not long.
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';') || l.ends_with('}')
        }) else {
            continue;
        };
        if !lines[open].trim_end().ends_with('{') {
            continue;
        }
        let close = format!("{indent}}}");
        let Some(end) = (open + 1..lines.len()).find(|&k| lines[k].trim_end() == close) else {
            continue;
        };
        let length = end - i + 1;
        if length <= limit {
            continue;
        }
        let reason = lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim_start())
            .take_while(|l| l.starts_with("//") || l.starts_with("#["))
            .any(|l| l.starts_with("// "));
        if !reason {
            found.push((i + 1, name.to_string(), length));
        }
    }
    found
}

#[test]
fn long_functions_are_found() {
    let body = "    x();\n".repeat(3);
    let text = format!(
        "/// Doc.\nfn short() {{\n{body}}}\n\nfn one() {{ 1 }}\n\n/// Doc.\npub(crate) fn long() {{\n{body}    if x {{\n{body}    }}\n}}\n\n/// Doc.\n// Kept whole: a table.\nfn explained() {{\n{body}{body}}}\n"
    );
    assert_eq!(long_functions(&text, 5), vec![(11, "long".to_string(), 10)]);
}

/// No function over 80 lines without a reason given in a comment above it: a long function
/// is split along the concepts it holds (a section, a phase, a kind of object each), or says
/// why it is best read whole (`// Kept whole: …`, e.g. one arm per case of a table).
#[test]
fn no_long_function_without_a_reason() {
    let src = root().join("src");
    let mut found = Vec::new();
    for file in sources(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, name, length) in long_functions(&text, 80) {
            found.push(format!("{}:{line} {name} ({length} lines)", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "functions over 80 lines with no reason given:\n{}",
        found.join("\n")
    );
}
