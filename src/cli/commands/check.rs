//! `attrib check`.

use crate::cli::Failure;
use crate::cli::args::{CheckArgs, CheckFormat, LintArgs};
use crate::cli::files::{self, Unlisted};
use crate::cli::input::{Input, check_case_allowing, check_case_diagnosed, read_input};
use crate::cli::output::write_output;
use attrib::diagnostic::{self, Code, Diagnostic, Location};
use attrib::load;
use attrib::report::plural;
use std::io::{self, Write};
use std::process::ExitCode;

/// `attrib check FILE…`: for each file every diagnostic, then a one-line summary of the case.
/// The exit status is the worst of the files'.
pub fn run(args: CheckArgs, colour: bool) -> Result<ExitCode, Failure> {
    if args.stdin_name.is_some() && !args.files.iter().any(|f| f == "-") {
        return Err(Failure::usage(
            "--stdin-name names standard input, which `check` reads only when a FILE is `-`",
        ));
    }
    let files = files::expand(&args.files)?;
    let stdin_name = args.stdin_name.as_deref();
    if args.format != CheckFormat::Text {
        return document(files, &args.lint, args.format, stdin_name);
    }
    let mut worst = 0u8;
    for f in files {
        let checked = (f.map_err(|u| u.failure))
            .and_then(|f| one(f.as_deref(), &args.lint, colour, stdin_name));
        let status = match checked {
            Ok((s, summary)) => {
                // Standard output that cannot be written (a full disk) fails the run once, not
                // once for every file after it.
                write_output(None, &[], summary.as_bytes())?;
                s
            }
            Err(e) => {
                e.print();
                e.exit
            }
        };
        worst = worst.max(status);
    }
    Ok(ExitCode::from(worst))
}

/// Checks one file: warnings (less the allowed ones) on stderr. Returns the exit status of
/// this file (2 when `--deny-warnings` and it warns) and the summary for stdout (none for a
/// file that fails).
fn one(
    file: Option<&str>,
    lint: &LintArgs,
    colour: bool,
    stdin_name: Option<&str>,
) -> Result<(u8, String), Failure> {
    let mut input = read_named(file, stdin_name)?;
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
            "{}",
            files::denied(&input.name, warnings.len())
        );
        return Ok((2, String::new()));
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
    Ok((0, summary))
}

/// `attrib check --format json` or `sarif`: every file checked, then one document on stdout
/// with each file's diagnostics (`attrib-check/1`, or a SARIF log); nothing on stderr but
/// what stops the run. The exit status is the text format's.
fn document(
    files: Vec<Result<Option<String>, Unlisted>>,
    lint: &LintArgs,
    format: CheckFormat,
    stdin_name: Option<&str>,
) -> Result<ExitCode, Failure> {
    let placed: Vec<diagnostic::json::Placed> = (files.into_iter())
        .map(|f| match f {
            Ok(f) => json_one(f.as_deref(), lint, stdin_name),
            Err(unlisted) => unreadable(&unlisted.name, &unlisted.failure),
        })
        .collect();
    let mut out = Vec::new();
    let written = match format {
        CheckFormat::Sarif => diagnostic::sarif::write(&placed, &mut out),
        _ => diagnostic::json::write(&placed, &mut out),
    };
    written.map_err(|e| Failure::usage(format!("cannot write the report: {e}")))?;
    write_output(None, &[], &out)?;
    let ok = placed.iter().all(diagnostic::json::Placed::ok);
    Ok(ExitCode::from(if ok { 0 } else { 2 }))
}

/// One file's part of `check --format json`, named as given on the command line (JSON
/// escapes what the terminal's names show escaped).
fn json_one(
    file: Option<&str>,
    lint: &LintArgs,
    stdin_name: Option<&str>,
) -> diagnostic::json::Placed {
    let name = |input_name: &str| match file {
        Some(path) if path != "-" => path.to_string(),
        _ => input_name.to_string(),
    };
    // Standard input's name as given, where the terminal's is made safe.
    let stdin = (file == Some("-")).then_some(stdin_name).flatten();
    let mut input = match read_named(file, stdin_name) {
        Ok(input) => input,
        Err(failure) => return unreadable(&name(stdin.unwrap_or("<stdin>")), &failure),
    };
    let (counts, diagnostics, allowed) =
        match check_case_diagnosed(&mut input, &lint.warnings.allow) {
            Ok(checked) => {
                let all = checked.warnings.len();
                let shown = files::counted(lint, checked.warnings);
                let allowed = all - shown.len();
                (Some(checked.counts), shown, allowed)
            }
            Err(rejected) => (None, rejected.diagnostics, rejected.allowed),
        };
    // A case that loads lists only warnings: denied, they fail it.
    let denied = lint.deny_warnings && !diagnostics.is_empty();
    let ok = counts.is_some() && !denied;
    diagnostic::json::place(&diagnostic::json::Checked {
        file: &name(stdin.unwrap_or(&input.name)),
        bytes: &input.bytes,
        counts,
        diagnostics: &diagnostics,
        allowed,
        ok,
    })
}

/// Reads `file`, standard input going by `stdin_name` when one is given (`--stdin-name`).
fn read_named(file: Option<&str>, stdin_name: Option<&str>) -> Result<Input, Failure> {
    let mut input = read_input(file)?;
    if let (Some("-"), Some(name)) = (file, stdin_name) {
        // As every input's name, made safe for the terminal (JSON and SARIF take it as given).
        input.name = attrib::escape::terminal::text(name).into_owned();
    }
    Ok(input)
}

/// The entry of a file that could not be read: one E001, placed nowhere.
fn unreadable(name: &str, failure: &Failure) -> diagnostic::json::Placed {
    let unreadable = Diagnostic::new(Code::Unreadable, failure.reason(), Location::File);
    diagnostic::json::place(&diagnostic::json::Checked {
        file: name,
        bytes: &[],
        counts: None,
        diagnostics: &[unreadable],
        allowed: 0,
        ok: false,
    })
}
