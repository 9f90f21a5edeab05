//! `attrib check --format sarif`: the diagnostics as a SARIF 2.1.0 log (OASIS Static Analysis
//! Results Interchange Format), the file GitHub code scanning and editors' SARIF viewers read,
//! so that a pull request that breaks a case shows each problem on its line.
//!
//! The log is the JSON document's content ([`super::json`]) in SARIF's shape: one run of the
//! tool `attrib`, every code as a rule (its number as the id, its variant's name, its summary
//! and its severity as the default level), every file checked as an artifact, and each
//! diagnostic as a result at its place, its label as the location's message and its related
//! places as related locations. A viewer shows a result's message and little else of it, so
//! the message carries the rest on lines of their own: a link to each related place (which is
//! how GitHub shows them), then the help and the notes. Every text from a diagnostic goes
//! through [`crate::escape::sarif`], since a bracket there makes a link. Columns count code
//! points, as the terminal's do (`columnKind`); a diagnostic on the whole file is placed at
//! its first line, since code scanning places every result on a line. A warning that
//! `--deny-warnings` made fail the file is an error.

use super::Code;
use super::json::{DiagnosticOut, Place, Placed, Position};
use crate::escape::{sarif as escape, uri};
use serde::Serialize;
use std::io;

/// The schema the log names.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult<'a>>,
    invocations: [Invocation; 1],
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Message<'static>,
    full_description: Described,
    help: Described,
    default_configuration: Configuration,
}

/// A rule's text, plain and as Markdown (which GitHub shows).
#[derive(Serialize)]
struct Described {
    text: String,
    markdown: String,
}

/// The characters GitHub takes at most in a rule's description (its help has no bound).
const DESCRIPTION_CHARS: usize = 1024;

/// `text` cut at a space to at most `max` characters with `…` after it, or whole when it is
/// no longer. (The rows of the table are Markdown; a cut between backticks leaves one open,
/// which a reader of a cut sentence forgives.)
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let room: usize = (text.char_indices())
        .nth(max.saturating_sub(2))
        .map_or(text.len(), |(i, _)| i);
    // At the last space, unless that leaves out more than a fifth of the room.
    let cut = (text[..room].rfind(' '))
        .filter(|&space| space >= room - room / 5)
        .unwrap_or(room);
    format!("{} …", &text[..cut])
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message<'a> {
    text: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct Artifact {
    location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

/// Writes the log for `files`, in the order given: every file an artifact, every diagnostic
/// a result.
pub fn write(files: &[Placed], out: &mut dyn io::Write) -> io::Result<()> {
    let artifacts: Vec<Artifact> = (files.iter().enumerate())
        .map(|(index, f)| Artifact {
            location: ArtifactLocation {
                uri: uri::file_reference(&f.file),
                index,
            },
            length: f.length,
        })
        .collect();
    let results = (files.iter().zip(&artifacts))
        .flat_map(|(f, artifact)| {
            // A file that loads fails only for warnings `--deny-warnings` denied.
            let denied = f.counts.is_some() && !f.ok;
            (f.diagnostics.iter()).map(move |d| {
                let file = &artifact.location;
                SarifResult {
                    rule_id: d.code,
                    rule_index: rule_index(d.code),
                    level: if denied { "error" } else { d.severity },
                    message: message_of(d),
                    locations: [at(file, &d.place, None, d.label.as_deref())],
                    related_locations: (d.related.iter().zip(1..))
                        .map(|(r, id)| at(file, &r.place, Some(id), Some(&r.label)))
                        .collect(),
                }
            })
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "attrib",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: Code::ALL.iter().map(|&c| rule(c)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            artifacts,
            results,
            invocations: [Invocation {
                execution_successful: true,
            }],
        }],
    };
    crate::report::write_laid_out(&log, out)
}

/// A place in `file`, with its id among a result's related locations and its message.
fn at<'a>(
    file: &ArtifactLocation,
    place: &Place,
    id: Option<usize>,
    message: Option<&'a str>,
) -> Location<'a> {
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: file.clone(),
            region: region(place),
        },
        message: message.map(text),
    }
}

fn rule(code: Code) -> Rule {
    let meaning = meaning(code);
    let plain = |s: &str| escape::text(&s.replace('`', "")).into_owned();
    let full = shortened(meaning, DESCRIPTION_CHARS);
    Rule {
        id: code.as_str(),
        name: format!("{code:?}"),
        short_description: Message {
            text: plain(code.summary()).into(),
        },
        full_description: Described {
            text: plain(&full),
            markdown: full,
        },
        help: Described {
            text: plain(meaning),
            markdown: meaning.to_string(),
        },
        default_configuration: Configuration {
            level: super::severity_word(code.severity()),
        },
    }
}

/// The documentation of the codes, whose table says what each means: GitHub shows it as the
/// rule's description and help.
const FORMAT_DOCS: &str = include_str!("../../docs/format.md");

/// What `code` means, in Markdown: its row of the table of codes in `docs/format.md`, or its
/// summary (a test holds every code to a row).
fn meaning(code: Code) -> &'static str {
    (FORMAT_DOCS.lines())
        .find_map(|line| {
            let row = line.strip_prefix("| ")?.strip_prefix(code.as_str())?;
            row.strip_prefix(" | ")?.strip_suffix(" |")
        })
        .unwrap_or(code.summary())
}

/// Where `code` stands in the driver's rules.
fn rule_index(code: &str) -> usize {
    (Code::ALL.iter())
        .position(|c| c.as_str() == code)
        .expect("every diagnostic's code is one of the codes")
}

fn text(s: &str) -> Message<'_> {
    Message {
        text: escape::text(s),
    }
}

/// A result's message: the diagnostic's, then a link to each related place (`related: [first
/// declared here](1)`, the id its related location has), the help and each note, on lines of
/// their own.
fn message_of(d: &DiagnosticOut) -> Message<'_> {
    if d.related.is_empty() && d.help.is_none() && d.notes.is_empty() {
        return text(&d.message);
    }
    let mut all = escape::text(&d.message).into_owned();
    for (r, id) in d.related.iter().zip(1..) {
        all.push_str(&format!(
            "\nrelated: [{}]({id})",
            escape::link_text(&r.label)
        ));
    }
    let help = d.help.iter().map(|h| ("help", h));
    for (word, line) in help.chain(d.notes.iter().map(|n| ("note", n))) {
        all.push_str(&format!("\n{word}: {}", escape::text(line)));
    }
    Message { text: all.into() }
}

/// A place as a region: its span's ends (the end column is the one after the span, as in
/// SARIF) and its bytes; the first line for the whole file.
fn region(place: &Place) -> Region {
    match (place.start, place.end) {
        (Some(start), Some(end)) => Region {
            start_line: start.line,
            start_column: Some(start.column),
            end_line: Some(end.line),
            end_column: Some(end.column),
            byte_offset: Some(start.offset),
            byte_length: Some(length(start, end)),
        },
        _ => Region {
            start_line: 1,
            start_column: None,
            end_line: None,
            end_column: None,
            byte_offset: None,
            byte_length: None,
        },
    }
}

fn length(start: Position, end: Position) -> usize {
    end.offset.saturating_sub(start.offset)
}

#[cfg(test)]
mod tests {
    use super::{Code, FORMAT_DOCS, meaning, shortened};

    /// A description is cut at a space within the last fifth of its room, else where the room
    /// ends, never inside a character, and is at most `max` characters with its `…`.
    #[test]
    fn a_long_description_is_cut_to_its_room() {
        let words = "word ".repeat(300);
        let cut = shortened(&words, 1024);
        assert!(
            cut.chars().count() <= 1024 && cut.ends_with("word …"),
            "{cut}"
        );
        let one_space = format!("a {}", "é".repeat(2000));
        let cut = shortened(&one_space, 1024);
        assert_eq!(cut.chars().count(), 1024, "{cut}");
        assert!(cut.ends_with("é …"));
        assert_eq!(shortened("short", 1024), "short");
        assert!(shortened("abc", 1).ends_with('…'));
    }

    /// Every code has its row in the documentation's table, and a summary of one sentence.
    #[test]
    fn every_code_is_documented() {
        for &code in Code::ALL {
            assert_ne!(
                meaning(code),
                code.summary(),
                "{code} has no row in docs/format.md"
            );
            assert!(!meaning(code).contains('\n'));
            let summary = code.summary();
            assert!(
                summary.ends_with('.') && !summary.contains("  "),
                "{summary}"
            );
        }
        assert!(FORMAT_DOCS.contains("| W123 | an `OperatedBy` claim"));
    }
}
