//! `attrib check`.

use crate::cli::Failure;
use crate::cli::args::CheckArgs;
use crate::cli::input::{load_input, read_input};
use crate::cli::output::write_output;
use attrib::diagnostic;
use attrib::load;
use attrib::report::plural;
use std::io::{self, Write};
use std::process::ExitCode;

/// `attrib check`: every diagnostic, then a one-line summary of the case.
pub fn run(args: CheckArgs, colour: bool) -> Result<ExitCode, Failure> {
    let input = read_input(args.file.as_deref())?;
    let loaded = load_input(&input, colour)?;
    let text = load::text_of(&input.bytes).unwrap_or_default();
    let case = &loaded.case;
    if !loaded.warnings.is_empty() {
        let _ = io::stderr()
            .write_all(diagnostic::render(&loaded.warnings, &input.name, text, colour).as_bytes());
    }
    let actors = case
        .entities
        .iter()
        .filter(|e| matches!(e.kind, attrib::model::EntityKind::Actor(_)))
        .count();
    let summary = format!(
        "{}: ok: {}, {}, {}, {}, {} ({})\n",
        input.name,
        plural(actors, "actor"),
        plural(case.entities.len() - actors, "group"),
        plural(case.incidents.len(), "incident"),
        plural(case.sources.len(), "source"),
        plural(case.claims.len(), "claim"),
        plural(loaded.warnings.len(), "warning"),
    );
    write_output(None, None, summary.as_bytes())
}
