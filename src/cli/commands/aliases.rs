//! `attrib import aliases`, and the alias tables `import stix --aliases` reads too.

use super::stix;
use crate::cli::Failure;
use crate::cli::args::ImportAliasesArgs;
use crate::cli::input::{ALIAS_TABLE, load_input, read_input, read_input_of, refuse_stdin_twice};
use crate::cli::output::output_syntax;
use attrib::diagnostic::{self, Diagnostic};
use attrib::escape;
use attrib::format::Syntax;
use attrib::load;
use attrib::stix::aliases::{self, AliasTable, Merged};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `attrib import aliases`: alias tables merged into a case, conflicts reported.
pub fn run(args: ImportAliasesArgs, colour: bool) -> Result<ExitCode, Failure> {
    crate::cli::output::refuse_misnamed_case(args.output.as_deref())?;
    refuse_stdin_twice(
        std::iter::once(Path::new(&args.case)).chain(args.tables.iter().map(PathBuf::as_path)),
    )?;
    let mut input = read_input(Some(&args.case))?;
    // Neither the case nor a table is written over; checked before the merge, which reports
    // what it added.
    let case_paths: Vec<std::path::PathBuf> =
        input.paths().into_iter().map(|p| p.to_path_buf()).collect();
    let inputs: Vec<&std::path::Path> = (case_paths.iter().chain(&args.tables))
        .map(|p| p.as_path())
        .collect();
    crate::cli::output::refuse_unwritable(args.output.as_deref(), &inputs)?;
    let syntax = output_syntax(args.output.as_deref(), input.syntax);
    // The text as written, to add the aliases into, when written in its own syntax (a large
    // file's bytes do not stay after loading).
    let text = (syntax == input.syntax)
        .then(|| String::from_utf8(input.bytes.clone()).ok())
        .flatten();
    let loaded = load_input(&mut input, colour, &args.lint)?;
    let tables = read_tables(&args.tables, colour)?;
    let before = loaded.file;
    let mut file = before.clone();
    let merged = aliases::merge(&mut file, &tables);
    report_merge(&merged);
    // In the file's own syntax (the only one `text` is kept for), the aliases go into its
    // text, comments and order kept.
    if let Some(edited) = text
        .as_deref()
        .and_then(|t| aliases::added_in_text(t, syntax, &before, &file))
    {
        return stix::write_text(edited, args.output.as_deref(), &inputs, syntax, colour);
    }
    if !merged.added.is_empty() {
        let kept = match input.syntax {
            Syntax::Ron => "comments and layout are",
            Syntax::Json => "its layout is",
        };
        let _ = writeln!(
            io::stderr(),
            "note: the case is written whole, sorted by id: {kept} not kept"
        );
    }
    file.normalise();
    stix::write_case(&file, args.output.as_deref(), &inputs, syntax, colour)
}

/// Reads alias tables (Microsoft's naming map, MISP galaxy clusters); a table that cannot be
/// read is refused with its diagnostic drawn on its text, as a case's are.
pub(super) fn read_tables(paths: &[PathBuf], colour: bool) -> Result<Vec<AliasTable>, Failure> {
    paths
        .iter()
        .map(|p| {
            let path = p.to_str().ok_or_else(|| {
                Failure::unreadable(format!(
                    "cannot read `{}`: its name is not UTF-8; rename it",
                    escape::terminal::text(&p.to_string_lossy())
                ))
            })?;
            let input = read_input_of(Some(path), ALIAS_TABLE)?;
            let refused = |d: Diagnostic, text: &str| Failure {
                exit: 2,
                message: diagnostic::render(&[d], &input.name, text, colour),
            };
            let text = load::text_as(&input.bytes, load::Expected::AliasTable)
                .map_err(|d| refused(d, &String::from_utf8_lossy(&input.bytes)))?;
            aliases::parse_table(text, &input.name).map_err(|d| refused(d, text))
        })
        .collect()
}

/// What a merge added and every conflict it left out, on stderr.
pub(super) fn report_merge(merged: &Merged) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "aliases: {} added", merged.added.len());
    for c in &merged.conflicts {
        let _ = writeln!(
            err,
            "alias conflict: {}",
            escape::terminal::text(&c.to_string())
        );
    }
    for d in &merged.dropped {
        let _ = writeln!(err, "alias left out: {}", escape::terminal::text(d));
    }
}
