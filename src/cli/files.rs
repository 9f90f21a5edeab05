//! `check` and `assess` over several files and directories: which files a list of arguments
//! names, which warnings count, and how a failure of one file is reported while the others go
//! on. The exit status of a run is the worst of its files' (2 invalid, 1 below a
//! `--fail-below` term, 0).

use super::Failure;
use super::args::LintArgs;
use attrib::diagnostic::Diagnostic;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The warnings that count: those whose code `--allow` does not name.
pub fn counted(lint: &LintArgs, warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    warnings
        .into_iter()
        .filter(|d| !lint.warnings.allow.contains(&d.code))
        .collect()
}

/// The line that says a file failed for its warnings under `--deny-warnings`, after them:
/// `case.ron: 6 warnings denied (--deny-warnings)`.
pub fn denied(name: &str, warnings: usize) -> String {
    format!(
        "{name}: {} denied (--deny-warnings)",
        attrib::report::plural(warnings, "warning")
    )
}

/// A name in a list of files that names nothing attrib can read: a directory that cannot be
/// read or holds no case, or a file under one whose name is not UTF-8 (which no argument can
/// name: attrib takes names as text).
pub struct Unlisted {
    /// The name as shown (what is not UTF-8 in it as U+FFFD).
    pub name: String,
    pub failure: Failure,
    /// The file, when it is one (a name that is not UTF-8): no output may overwrite it.
    pub path: Option<PathBuf>,
}

/// The files to read: each argument as given, a directory as every `.ron` and `.json` file
/// under it (hidden entries skipped), sorted by path; no argument, the bundled case (`None`).
/// What names nothing to read is kept in its place as an [`Unlisted`], so that `check` and
/// `assess` report it as a file that fails and go on with the others. Standard input named
/// twice is refused whole.
pub fn expand(files: &[String]) -> Result<Vec<Result<Option<String>, Unlisted>>, Failure> {
    if files.is_empty() {
        return Ok(vec![Ok(None)]);
    }
    super::input::refuse_stdin_twice(files.iter().map(Path::new))?;
    let mut out = Vec::new();
    for f in files {
        let p = Path::new(f);
        if f == "-" || !p.is_dir() {
            out.push(Ok(Some(f.clone())));
            continue;
        }
        let unlisted = |why: String| Unlisted {
            name: f.clone(),
            failure: Failure::unreadable(format!("cannot read `{f}`: {why}")),
            path: None,
        };
        let mut found = Found::default();
        if let Err(e) = walk(p, &mut found) {
            out.push(Err(unlisted(e.to_string())));
            continue;
        }
        found.reports.sort();
        for report in &found.reports {
            let _ = writeln!(
                io::stderr().lock(),
                "note: left out {}: a report attrib wrote, not a case",
                attrib::escape::terminal::text(&report.to_string_lossy())
            );
        }
        if found.cases.is_empty() {
            out.push(Err(unlisted(
                "it is a directory with no .ron or .json case in it".into(),
            )));
            continue;
        }
        found.cases.sort();
        out.extend(found.cases.into_iter().map(|(p, unreadable)| {
            let name = p.to_string_lossy().into_owned();
            let why = match (unreadable, p.to_str()) {
                (None, Some(text)) => return Ok(Some(text.to_string())),
                (Some(why), _) => why,
                (None, None) => "its name is not UTF-8 (shown here with U+FFFD), and attrib takes \
                                 names as text: rename it"
                    .to_string(),
            };
            Err(Unlisted {
                failure: Failure::unreadable(format!("cannot read `{name}`: {why}")),
                name,
                path: Some(p),
            })
        }));
    }
    Ok(out)
}

/// What [`walk`] finds under a directory.
#[derive(Default)]
struct Found {
    /// The cases, each with why it cannot be read when it is a link that leads nowhere (left
    /// behind by a case moved or deleted, or in a loop): reported as a file that fails, not
    /// passed over, so that a run over the directory does not pass without it.
    cases: Vec<(PathBuf, Option<String>)>,
    /// JSON reports attrib wrote, left out with a note.
    reports: Vec<PathBuf>,
}

/// Whether the JSON file at `path` is a report attrib wrote (its first member is the
/// `"schema": "attrib-…"` every JSON report and diff opens with): one written into a directory
/// of cases (`assess cases/ --format json -o cases/report.json`) is left out of the next run
/// over the directory, with a note, where it failed it. A file named on its own is read, and
/// refused as a report.
fn written_by_attrib(path: &Path) -> bool {
    use std::io::Read;
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return false;
    }
    let mut head = [0u8; 64];
    let Ok(n) = std::fs::File::open(path).and_then(|f| f.take(64).read(&mut head)) else {
        return false;
    };
    attrib::load::opens_as_report(&String::from_utf8_lossy(&head[..n]))
}

fn walk(dir: &Path, out: &mut Found) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
            continue;
        }
        let named_as_case = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("ron") || e.eq_ignore_ascii_case("json"));
        if !named_as_case {
            continue;
        }
        match std::fs::metadata(&path) {
            // A case is a file, or a link to one: never a pipe (reading it would wait for a
            // writer forever) or a device (`/dev/zero` never ends).
            Ok(m) if m.is_file() => {
                if written_by_attrib(&path) {
                    out.reports.push(path);
                } else {
                    out.cases.push((path, None));
                }
            }
            Err(e) if kind.is_symlink() => {
                let target = std::fs::read_link(&path).unwrap_or_default();
                let target = attrib::escape::terminal::text(&target.to_string_lossy()).into_owned();
                let why = if e.kind() == io::ErrorKind::NotFound {
                    format!(
                        "it is a link to `{target}`, which does not exist; mend or remove the link"
                    )
                } else {
                    format!("it is a link to `{target}`, which cannot be followed: {e}")
                };
                out.cases.push((path, Some(why)));
            }
            _ => {}
        }
    }
    Ok(())
}
