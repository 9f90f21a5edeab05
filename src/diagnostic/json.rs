//! `attrib check --format json`: every file's diagnostics as data (schema `attrib-check/1`,
//! documented in `docs/format.md`, "Diagnostics as JSON"), for a script, an editor or a CI
//! step that places them on the file's lines itself.
//!
//! The diagnostics are the ones the terminal shows, in the same order (the whole file's first,
//! then by place), with the place as line and column (1-based, counted in characters, as the
//! terminal shows them) and byte offsets, and the help written for the file's syntax. Nothing
//! is shown of the file itself: a tool that wants the excerpt has the file and the offsets.

use super::{Diagnostic, Location, Severity, short_quotes, spans};
use crate::escape::terminal;
use crate::load::Counts;
use serde::Serialize;
use std::io;

/// The schema the document names; bumped on any incompatible change.
pub const SCHEMA: &str = "attrib-check/1";

/// One file as `check` found it.
pub struct Checked<'a> {
    /// The file as named on the command line (`<stdin>` for standard input).
    pub file: &'a str,
    /// The file's bytes, to place the diagnostics in ([`super::diagnosed_text`]); empty when it
    /// could not be read (the diagnostics are then placed nowhere).
    pub bytes: &'a [u8],
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
    pub(super) file: String,
    pub(super) ok: bool,
    pub(super) counts: Option<CountsOut>,
    pub(super) errors: usize,
    pub(super) warnings: usize,
    pub(super) allowed: usize,
    pub(super) diagnostics: Vec<DiagnosticOut>,
    /// The file's size in bytes, when it was read (SARIF's artifact length).
    #[serde(skip)]
    pub(super) length: Option<usize>,
}

#[derive(Serialize)]
pub(super) struct CountsOut {
    actors: usize,
    groups: usize,
    incidents: usize,
    sources: usize,
    claims: usize,
}

#[derive(Serialize)]
pub(super) struct DiagnosticOut {
    pub(super) code: &'static str,
    pub(super) severity: &'static str,
    pub(super) message: String,
    #[serde(flatten)]
    pub(super) place: Place,
    pub(super) label: Option<String>,
    pub(super) help: Option<String>,
    pub(super) notes: Vec<String>,
    pub(super) related: Vec<Related>,
}

/// Where a diagnostic or a related place points: the path into the file the validator named
/// (`claims[3].source`), and the span's ends; all `null` for the whole file.
#[derive(Serialize)]
pub(super) struct Place {
    pub(super) path: Option<String>,
    pub(super) start: Option<Position>,
    pub(super) end: Option<Position>,
}

#[derive(Serialize)]
pub(super) struct Related {
    #[serde(flatten)]
    pub(super) place: Place,
    pub(super) label: String,
}

#[derive(Serialize, Clone, Copy)]
pub(super) struct Position {
    pub(super) line: usize,
    pub(super) column: usize,
    /// The byte offset into the file (before a byte-order mark is left out, and before a
    /// byte that is not UTF-8 is shown as U+FFFD).
    pub(super) offset: usize,
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
    crate::report::write_laid_out(&report, out)
}

/// One file's part of the document.
pub fn place(f: &Checked<'_>) -> Placed {
    let json = crate::format::Syntax::sniff(f.bytes) == crate::format::Syntax::Json;
    let mut places = places(f).into_iter();
    let mut diagnostics: Vec<DiagnosticOut> = (f.diagnostics.iter())
        .map(|d| described(d, json, &mut places))
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
        length: (!f
            .diagnostics
            .iter()
            .any(|d| d.code == super::Code::Unreadable))
        .then_some(f.bytes.len()),
    }
}

/// The place of each diagnostic of `f` followed by its related places, in order: one scan of
/// the text for the paths, one walk for the lines and columns.
fn places(f: &Checked<'_>) -> Vec<Place> {
    let text = super::diagnosed_text(f.bytes);
    let at = super::locations_of(f.diagnostics);
    let found = spans(&text, &at);
    let offsets: Vec<usize> = (found.iter().flatten())
        .flat_map(|s| [s.start, s.end])
        .collect();
    let ends = super::line_columns(&text, offsets.iter().copied());
    let in_file = file_offsets(f.bytes, &text, &offsets);
    let mut ends = ends.into_iter().zip(in_file);
    (at.iter().zip(&found))
        .map(|(at, span)| {
            let path = match at {
                Location::Path(p) => Some(p.clone()),
                _ => None,
            };
            let mut position = || {
                let ((line, column), offset) =
                    ends.next().expect("a position for each end of each span");
                Position {
                    line,
                    column,
                    offset,
                }
            };
            let (start, end) = match span {
                Some(_) => (Some(position()), Some(position())),
                None => (None, None),
            };
            Place { path, start, end }
        })
        .collect()
}

/// A diagnostic in the terminal's words, its place and its related places taken in turn
/// from `places`; the help for a JSON file when `json`.
fn described(
    d: &Diagnostic,
    json: bool,
    places: &mut impl Iterator<Item = Place>,
) -> DiagnosticOut {
    let place = places.next().expect("a place for each diagnostic");
    let related = (d.related.iter())
        .map(|(_, label)| Related {
            place: places.next().expect("a place for each related place"),
            label: terminal::text(&short_quotes(label)).into_owned(),
        })
        .collect();
    let help = if json { d.help_json.as_ref() } else { None };
    DiagnosticOut {
        code: d.code.as_str(),
        severity: super::severity_word(d.severity()),
        message: terminal::text(&short_quotes(&d.message)).into_owned(),
        place,
        label: (!d.label.is_empty()).then(|| terminal::text(&short_quotes(&d.label)).into_owned()),
        help: (help.or(d.help.as_ref())).map(|h| terminal::block(&short_quotes(h)).into_owned()),
        notes: (d.notes.iter())
            .map(|n| terminal::block(&short_quotes(n)).into_owned())
            .collect(),
        related,
    }
}

/// Each offset into `text` ([`super::diagnosed_text`] of `bytes`) as an offset into the file: past
/// a byte-order mark the text leaves out, and with each run of bytes that are not UTF-8 (one
/// U+FFFD in the text, three bytes) counted as the bytes it stands for.
fn file_offsets(bytes: &[u8], text: &str, offsets: &[usize]) -> Vec<usize> {
    if std::str::from_utf8(bytes).is_ok() {
        let mark = bytes.len() - text.len();
        return offsets.iter().map(|o| o + mark).collect();
    }
    // Where each run of the text begins, in the text and in the file: a run of valid UTF-8,
    // then a replacement character, and so on.
    let mut runs = vec![(0, 0, false)];
    let (mut in_text, mut in_file) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        in_text += chunk.valid().len();
        in_file += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            runs.push((in_text, in_file, true));
            in_text += char::REPLACEMENT_CHARACTER.len_utf8();
            in_file += chunk.invalid().len();
            runs.push((in_text, in_file, false));
        }
    }
    (offsets.iter())
        .map(|&o| {
            let (t, f, replaced) = runs[runs.partition_point(|&(t, _, _)| t <= o) - 1];
            // Within a replacement character (never, for an offset at a character's
            // boundary): where its bytes begin.
            if replaced { f } else { f + (o - t) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::file_offsets;

    /// Every character boundary of the lossy text maps to where that character's bytes begin
    /// in the file: runs of one invalid byte, two in a row, a sequence cut short, a mark.
    #[test]
    fn offsets_into_the_text_are_offsets_into_the_file() {
        let bytes = b"a\xff\xfeb\xe2\x82c\xc3\xa9";
        let text = String::from_utf8_lossy(bytes);
        assert_eq!(text, "a\u{fffd}\u{fffd}b\u{fffd}cé");
        let boundaries: Vec<usize> = (text.char_indices().map(|(i, _)| i))
            .chain([text.len()])
            .collect();
        let found = file_offsets(bytes, &text, &boundaries);
        assert_eq!(found, vec![0, 1, 2, 3, 4, 6, 7, 9]);
        let marked = "\u{feff}ab".as_bytes();
        assert_eq!(file_offsets(marked, "ab", &[0, 2]), vec![3, 5]);
    }
}
