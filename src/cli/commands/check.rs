//! `attrib check`.

use crate::cli::Failure;
use crate::cli::args::{CheckArgs, LintArgs};
use crate::cli::files;
use crate::cli::input::{check_case_allowing, read_input};
use crate::cli::output::write_output;
use attrib::diagnostic;
use attrib::load;
use attrib::report::plural;
use std::io::{self, Write};
use std::process::ExitCode;

/// `attrib check FILE…`: for each file every diagnostic, then a one-line summary of the case.
/// The exit status is the worst of the files'.
pub fn run(args: CheckArgs, colour: bool) -> Result<ExitCode, Failure> {
    let files = files::expand(&args.files)?;
    let mut worst = 0u8;
    for f in &files {
        let status = match one(f.as_deref(), &args.lint, colour) {
            Ok(s) => s,
            Err(e) => {
                e.print();
                e.exit
            }
        };
        worst = worst.max(status);
    }
    Ok(ExitCode::from(worst))
}

/// Checks one file: warnings (less the allowed ones) on stderr, the summary on stdout.
/// Returns the exit status of this file (2 when `--deny-warnings` and it warns).
fn one(file: Option<&str>, lint: &LintArgs, colour: bool) -> Result<u8, Failure> {
    let mut input = read_input(file)?;
    let loaded = check_case_allowing(&mut input, colour, &lint.warnings.allow)?;
    let text = load::text_of(&input.bytes).unwrap_or_default();
    let counts = loaded.counts;
    let all = loaded.warnings.len();
    let warnings = files::counted(lint, loaded.warnings);
    // What `--allow` silenced is said, so that a clean summary is not taken for a clean case.
    let allowed = match all - warnings.len() {
        0 => String::new(),
        n => format!(", {n} allowed"),
    };
    if !warnings.is_empty() {
        let _ = io::stderr()
            .write_all(diagnostic::render(&warnings, &input.name, text, colour).as_bytes());
    }
    if lint.deny_warnings && !warnings.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "{}: {} denied (--deny-warnings)",
            input.name,
            plural(warnings.len(), "warning")
        );
        return Ok(2);
    }
    let summary = format!(
        "{}: ok: {}, {}, {}, {}, {} ({}{allowed})\n",
        input.name,
        plural(counts.actors, "actor"),
        plural(counts.groups, "group"),
        plural(counts.incidents, "incident"),
        plural(counts.sources, "source"),
        plural(counts.claims, "claim"),
        plural(warnings.len(), "warning"),
    );
    write_output(None, &[], summary.as_bytes())?;
    Ok(0)
}
