//! `attrib check --format json`: every file's diagnostics as data (schema `attrib-check/1`,
//! documented in `docs/format.md`, "Diagnostics as JSON"), for a script, an editor or a CI
//! step that places them on the file's lines itself.
//!
//! The diagnostics are the ones the terminal shows, in the same order (the whole file's first,
//! then by place), with the place as line and column (1-based, counted in characters, as the
//! terminal shows them) and byte offsets, and the help written for the file's syntax. Nothing
//! is shown of the file itself: a tool that wants the excerpt has the file and the offsets.

use super::{Diagnostic, Location, Severity, short_quotes, spans};
use crate::load::Counts;
use serde::Serialize;
use std::io;
use std::ops::Range;

/// The schema the document names; bumped on any incompatible change.
pub const SCHEMA: &str = "attrib-check/1";

/// One file as `check` found it.
pub struct Checked<'a> {
    /// The file as named on the command line (`<stdin>` for standard input).
    pub file: &'a str,
    /// The file's text, to place the diagnostics in; empty when it could not be read (the
    /// diagnostics are then placed nowhere).
    pub text: &'a str,
    /// What the case holds, when it loads.
    pub counts: Option<Counts>,
    /// What is shown of the file's diagnostics (less the warnings `--allow` silenced).
    pub diagnostics: &'a [Diagnostic],
    /// How many warnings `--allow` silenced.
    pub allowed: usize,
    /// Whether the file passes: it loads, and its warnings are not denied.
    pub ok: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    ok: bool,
    files: &'a [Placed],
}

/// One file's part of the document, its diagnostics placed in its text: made as each file is
/// checked, so that no file's text is held while the others are read.
#[derive(Serialize)]
pub struct Placed {
    file: String,
    ok: bool,
    counts: Option<CountsOut>,
    errors: usize,
    warnings: usize,
    allowed: usize,
    diagnostics: Vec<DiagnosticOut>,
}

#[derive(Serialize)]
struct CountsOut {
    actors: usize,
    groups: usize,
    incidents: usize,
    sources: usize,
    claims: usize,
}

#[derive(Serialize)]
struct DiagnosticOut {
    code: &'static str,
    severity: &'static str,
    message: String,
    #[serde(flatten)]
    place: Place,
    label: Option<String>,
    help: Option<String>,
    notes: Vec<String>,
    related: Vec<Related>,
}

/// Where a diagnostic or a related place points: the path into the file the validator named
/// (`claims[3].source`), and the span's ends; all `null` for the whole file.
#[derive(Serialize)]
struct Place {
    path: Option<String>,
    start: Option<Position>,
    end: Option<Position>,
}

#[derive(Serialize)]
struct Related {
    #[serde(flatten)]
    place: Place,
    label: String,
}

#[derive(Serialize, Clone, Copy)]
struct Position {
    line: usize,
    column: usize,
    /// The byte offset into the file.
    offset: usize,
}

impl Placed {
    /// Whether the file passes.
    pub fn ok(&self) -> bool {
        self.ok
    }
}

/// Writes the document for `files`, in the order given.
pub fn write(files: &[Placed], out: &mut dyn io::Write) -> io::Result<()> {
    let report = Report {
        schema: SCHEMA,
        ok: files.iter().all(|f| f.ok),
        files,
    };
    let mut compact = Vec::new();
    let mut ser =
        serde_json::Serializer::with_formatter(&mut compact, crate::escape::json::Compact);
    report.serialize(&mut ser)?;
    crate::report::relayout(&compact, out)?;
    out.write_all(b"\n")
}

/// One file's part of the document.
pub fn place(f: &Checked<'_>) -> Placed {
    let json = crate::format::Syntax::sniff(f.text.as_bytes()) == crate::format::Syntax::Json;
    let at: Vec<&Location> = (f.diagnostics.iter())
        .flat_map(|d| std::iter::once(&d.at).chain(d.related.iter().map(|(at, _)| at)))
        .collect();
    let found = spans(f.text, &at);
    let ends = super::line_columns(
        f.text,
        found.iter().flatten().flat_map(|s| [s.start, s.end]),
    );
    let mut ends = ends.into_iter();
    let mut places = (at.iter().zip(&found)).map(|(at, span)| {
        let path = match at {
            Location::Path(p) => Some(p.clone()),
            _ => None,
        };
        let mut position = |offset| {
            let (line, column) = ends.next().expect("a position for each end of each span");
            Position {
                line,
                column,
                offset,
            }
        };
        let (start, end) = match span {
            Some(Range { start, end }) => (Some(position(*start)), Some(position(*end))),
            None => (None, None),
        };
        Place { path, start, end }
    });
    let mut diagnostics: Vec<DiagnosticOut> = (f.diagnostics.iter())
        .map(|d| {
            let place = places.next().expect("a place for each diagnostic");
            let related = (d.related.iter())
                .map(|(_, label)| Related {
                    place: places.next().expect("a place for each related place"),
                    label: short_quotes(label).into_owned(),
                })
                .collect();
            let help = if json { d.help_json.as_ref() } else { None };
            DiagnosticOut {
                code: d.code.as_str(),
                severity: super::severity_word(d.severity()),
                message: short_quotes(&d.message).into_owned(),
                place,
                label: (!d.label.is_empty()).then(|| short_quotes(&d.label).into_owned()),
                help: help
                    .or(d.help.as_ref())
                    .map(|h| short_quotes(h).into_owned()),
                notes: (d.notes.iter())
                    .map(|n| short_quotes(n).into_owned())
                    .collect(),
                related,
            }
        })
        .collect();
    // As the terminal shows them: the whole file's first, then in the file's order; equal
    // places keep the validator's order.
    diagnostics.sort_by_key(|d| d.place.start.map(|p| p.offset));
    let errors = (f.diagnostics.iter())
        .filter(|d| d.severity() == Severity::Error)
        .count();
    Placed {
        file: f.file.to_string(),
        ok: f.ok,
        counts: f.counts.map(|c| CountsOut {
            actors: c.actors,
            groups: c.groups,
            incidents: c.incidents,
            sources: c.sources,
            claims: c.claims,
        }),
        errors,
        warnings: f.diagnostics.len() - errors,
        allowed: f.allowed,
        diagnostics,
    }
}
