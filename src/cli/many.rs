//! `check` and `assess` over several files and directories: each file is reported on its own,
//! and the exit status is the worst of them (2 invalid, 1 below a `--fail-below` term, 0).

use super::{
    AssessArgs, CheckArgs, ColourWhen, Failure, Format, LintArgs, assess_one, check_one, same_file,
    write_output,
};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::escape;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which warnings count: the allowed codes are dropped; `deny` makes the rest errors.
pub struct Lint {
    pub deny: bool,
    allow: Vec<Code>,
}

impl Lint {
    fn new(args: &LintArgs) -> Result<Lint, Failure> {
        let mut allow = Vec::new();
        for a in &args.allow {
            let wanted = a.trim().to_ascii_uppercase();
            match Code::ALL.iter().find(|c| c.as_str() == wanted) {
                Some(c) if c.severity() == Severity::Warning => allow.push(*c),
                Some(_) => {
                    return Err(Failure::usage(format!(
                        "--allow {a}: {wanted} is an error, and errors cannot be allowed"
                    )));
                }
                None => {
                    let warnings: Vec<&str> = Code::ALL
                        .iter()
                        .filter(|c| c.severity() == Severity::Warning)
                        .map(|c| c.as_str())
                        .collect();
                    return Err(Failure::usage(format!(
                        "--allow {a}: no such warning code (warnings: {}; docs/format.md lists them)",
                        warnings.join(", ")
                    )));
                }
            }
        }
        Ok(Lint {
            deny: args.deny_warnings,
            allow,
        })
    }

    /// The warnings that are not allowed.
    pub fn filter(&self, warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
        warnings
            .into_iter()
            .filter(|d| !self.allow.contains(&d.code))
            .collect()
    }
}

/// The files to read: each argument as given, a directory as every `.ron` and `.json` file
/// under it (hidden entries skipped), sorted by path. No argument: the bundled case (`None`).
fn expand(files: &[String]) -> Result<Vec<Option<String>>, Failure> {
    if files.is_empty() {
        return Ok(vec![None]);
    }
    let mut out = Vec::new();
    for f in files {
        let p = Path::new(f);
        if f != "-" && p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)
                .map_err(|e| Failure::usage(format!("[E001] cannot read `{f}`: {e}")))?;
            if found.is_empty() {
                return Err(Failure::usage(format!(
                    "[E001] cannot read `{f}`: it is a directory with no .ron or .json case in it"
                )));
            }
            found.sort();
            out.extend(
                found
                    .into_iter()
                    .map(|p| Some(p.to_string_lossy().into_owned())),
            );
        } else {
            out.push(Some(f.clone()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("ron") || e.eq_ignore_ascii_case("json"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Prints a failure as `main` would.
fn print(f: &Failure) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(f.message.as_bytes());
    if !f.message.ends_with('\n') {
        let _ = err.write_all(b"\n");
    }
}

/// `attrib check FILE…`.
pub(super) fn check(args: CheckArgs, colour: bool) -> Result<ExitCode, Failure> {
    let lint = Lint::new(&args.lint)?;
    let files = expand(&args.files)?;
    let mut worst = 0u8;
    for f in &files {
        let status = match check_one(f.as_deref(), &lint, colour) {
            Ok(s) => s,
            Err(e) => {
                print(&e);
                e.exit
            }
        };
        worst = worst.max(status);
    }
    Ok(ExitCode::from(worst))
}

/// `attrib assess FILE…`. One file writes its report as before; several write one report
/// after another (JSON: one document listing them).
pub(super) fn assess(args: AssessArgs, colour: ColourWhen) -> Result<ExitCode, Failure> {
    let lint = Lint::new(&args.lint)?;
    let files = expand(&args.files)?;
    if files.len() == 1 {
        let one = assess_one(files[0].as_deref(), &args, &lint, colour)?;
        write_output(
            args.output.as_deref(),
            one.path.as_deref(),
            one.text.as_bytes(),
        )?;
        if !one.below.is_empty() {
            return Err(below_failure(&one.below));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut worst = 0u8;
    let mut sections: Vec<(String, Result<String, u8>)> = Vec::new();
    let mut below = Vec::new();
    let mut inputs = Vec::new();
    for f in &files {
        let name = f.clone().unwrap_or_default();
        match assess_one(f.as_deref(), &args, &lint, colour) {
            Ok(one) => {
                below.extend(one.below.iter().map(|b| format!("{name}: {b}")));
                if !one.below.is_empty() {
                    worst = worst.max(1);
                }
                inputs.extend(one.path);
                sections.push((name, Ok(one.text)));
            }
            Err(e) => {
                print(&e);
                worst = worst.max(e.exit);
                sections.push((name, Err(e.exit)));
            }
        }
    }
    if let Some(out) = args.output.as_deref()
        && let Some(input) = inputs.iter().find(|i| same_file(out, i))
    {
        return Err(Failure::usage(format!(
            "refusing to overwrite the input file `{}`; choose another output with -o",
            input.display()
        )));
    }
    let text = match args.format {
        Format::Json => json_of(&sections),
        Format::Table | Format::Markdown => {
            let mut text = String::new();
            for (name, section) in &sections {
                if let Ok(s) = section {
                    if args.format == Format::Table {
                        text.push_str(&format!("==> {} <==\n", escape::terminal::text(name)));
                    }
                    text.push_str(s);
                    text.push('\n');
                }
            }
            text
        }
    };
    write_output(args.output.as_deref(), None, text.as_bytes())?;
    if !below.is_empty() {
        print(&below_failure(&below));
    }
    Ok(ExitCode::from(worst))
}

fn below_failure(below: &[String]) -> Failure {
    Failure {
        exit: 1,
        message: escape::terminal::block(&format!("attrib: {}", below.join("\nattrib: ")))
            .into_owned(),
    }
}

/// `{"schema": "attrib-assessments/1", "files": [{"file": …, "report": {…}} | {"file": …,
/// "exit": 2}]}`: each report as `assess --format json` writes it for one file.
fn json_of(sections: &[(String, Result<String, u8>)]) -> String {
    let mut out = String::from("{\n  \"schema\": \"attrib-assessments/1\",\n  \"files\": [");
    for (i, (name, section)) in sections.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let file = serde_json::to_string(name).expect("a string serialises");
        match section {
            Ok(report) => {
                // A JSON string holds no raw line break, so indenting every line is safe.
                let nested = report.trim_end().replace('\n', "\n      ");
                out.push_str(&format!(
                    "    {{\n      \"file\": {file},\n      \"report\": {nested}\n    }}"
                ));
            }
            Err(code) => out.push_str(&format!(
                "    {{\n      \"file\": {file},\n      \"exit\": {code}\n    }}"
            )),
        }
    }
    out.push_str("\n  ]\n}\n");
    out
}
