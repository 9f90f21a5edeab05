//! From bytes to a validated case: the checks a file must pass before anything reasons on it.
//!
//! Loading is pure: it takes the file's bytes and name and returns the case or every problem
//! found. Reading from disk or stdin is the CLI's business.

use crate::diagnostic::suggest;
use crate::diagnostic::{Code, Diagnostic, Location, offset_of};
use crate::format::{CaseFile, Syntax, ron_options};
use crate::model::Case;
use crate::validate::{validate, validate_counting, validate_keeping};

/// A case that passed validation, with the file it came from and its warnings.
#[derive(Debug)]
pub struct Loaded {
    /// The resolved case the engine reads.
    pub case: Case,
    /// The file as written, for `convert` and for lossless STIX export.
    pub file: CaseFile,
    /// Warnings found (errors would have stopped the load).
    pub warnings: Vec<Diagnostic>,
}

/// A case that passed validation, without the file it came from: see [`validated_case`].
#[derive(Debug)]
pub struct LoadedCase {
    /// The resolved case the engine reads.
    pub case: Case,
    /// Warnings found (errors would have stopped the load).
    pub warnings: Vec<Diagnostic>,
}

/// What `check` says of a case that passed validation: how much it holds, and its warnings.
/// Nothing reasons on it, so its text is never given to a case (see [`checked`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// How many of each kind of declaration the case holds.
    pub counts: Counts,
    /// Warnings found (errors would have stopped the load).
    pub warnings: Vec<Diagnostic>,
}

/// How many actors, groups, incidents, sources and claims a case holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// States, agencies, units and the like (`actors`).
    pub actors: usize,
    /// Threat groups and personas (`groups`).
    pub groups: usize,
    /// Incidents.
    pub incidents: usize,
    /// Sources.
    pub sources: usize,
    /// Claims, restatements included.
    pub claims: usize,
}

impl Counts {
    /// The counts of a case.
    pub fn of(case: &Case) -> Counts {
        let actors = (case.entities.iter())
            .filter(|e| matches!(e.kind, crate::model::EntityKind::Actor(_)))
            .count();
        Counts {
            actors,
            groups: case.entities.len() - actors,
            incidents: case.incidents.len(),
            sources: case.sources.len(),
            claims: case.claims.len(),
        }
    }
}

/// What a text file is read as: the messages of [`text_as`] name it, and their help says
/// what to give instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// An evidence case (RON or JSON).
    Case,
    /// A STIX 2.1 bundle (JSON).
    Bundle,
    /// An alias table (JSON): Microsoft's naming map or a MISP galaxy cluster file.
    AliasTable,
}

impl Expected {
    fn name(self) -> &'static str {
        match self {
            Expected::Case => "an evidence case",
            Expected::Bundle => "a STIX bundle",
            Expected::AliasTable => "an alias table",
        }
    }

    /// The help for a file that is not text, given the case's own.
    fn help(self, case: &str) -> String {
        match self {
            Expected::Case => case.to_string(),
            Expected::Bundle => "give a STIX 2.1 bundle, a JSON file in UTF-8".to_string(),
            Expected::AliasTable => {
                "give an alias table (Microsoft's naming map or a MISP galaxy cluster file), a \
                 JSON file in UTF-8"
                    .to_string()
            }
        }
    }

    /// What a file of this kind starts with, for an empty one.
    fn empty_help(self) -> &'static str {
        match self {
            Expected::Case => {
                "an evidence case starts with `Case(title: \"…\", …)` in RON, or `{\"title\": \"…\", …}` in JSON; see docs/format.md or graphs/tutorial.ron"
            }
            Expected::Bundle => {
                "a STIX 2.1 bundle is a JSON object: `{\"type\": \"bundle\", \"id\": \"bundle--…\", \"objects\": […]}`"
            }
            Expected::AliasTable => {
                "an alias table is Microsoft's naming map (a JSON list of rows with \"Threat actor name\") or a MISP galaxy cluster file (an object with \"values\")"
            }
        }
    }
}

/// Checks that the bytes are a non-empty UTF-8 text file and returns the text (without a
/// byte-order mark).
pub fn text_of(bytes: &[u8]) -> Result<&str, Diagnostic> {
    text_as(bytes, Expected::Case)
}

/// [`text_of`] for a file read as `expected`.
pub fn text_as(bytes: &[u8], expected: Expected) -> Result<&str, Diagnostic> {
    if let Some(encoding) = utf16(bytes) {
        return Err(Diagnostic::new(
            Code::NotText,
            format!("the file is {encoding}, not UTF-8"),
            Location::File,
        )
        .help(expected.help(
            "save the file as UTF-8 (for example `iconv -f UTF-16 -t UTF-8 in.ron > out.ron`)",
        )));
    }
    if let Some(pos) = memchr::memchr(0, bytes) {
        return Err(Diagnostic::new(
            Code::NotText,
            format!(
                "this is a binary file, not {} (NUL byte at offset {pos})",
                expected.name()
            ),
            Location::File,
        )
        .help(expected.help("give a RON (.ron) or JSON (.json) text file")));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // The message says where, in lines and characters; the span is the byte's place
            // in the text as `String::from_utf8_lossy` reads it (the same up to it, the byte
            // one U+FFFD), which a caller renders the excerpt from, `file:line:column` and all.
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |n| n + 1);
            let column = std::str::from_utf8(&bytes[line_start..at])
                .map_or(at - line_start, |t| t.chars().count())
                + 1;
            return Err(Diagnostic::new(
                Code::NotText,
                format!(
                    "the file is not valid UTF-8: byte 0x{:02X} at line {line}, column {column} \
                     (offset {at})",
                    bytes[at]
                ),
                Location::Span(at..at + '\u{fffd}'.len_utf8()),
            )
            .label("not UTF-8")
            .help(expected.help("save the file as UTF-8")));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Lines ended by a carriage return alone (classic Mac OS): to RON the file is one line, so
    // a `//` comment runs to its end, and every position would be on line 1. (JSON, which has
    // no comments, reads it as it is.)
    if expected == Expected::Case
        && !text.trim_start().starts_with('{')
        && !text.contains('\n')
        && memchr::memchr_iter(b'\r', text.as_bytes()).nth(1).is_some()
    {
        return Err(Diagnostic::new(
            Code::NotText,
            "the file's lines end in a carriage return alone (classic Mac OS line endings)",
            Location::File,
        )
        .help(expected.help(
            "save the file with Unix (LF) or Windows (CRLF) line endings, for example \
             `tr '\\r' '\\n' < in.ron > out.ron`",
        )));
    }
    if is_blank(text) {
        return Err(
            Diagnostic::new(Code::Empty, "the file is empty", Location::File)
                .help(expected.empty_help()),
        );
    }
    Ok(text)
}

/// Names UTF-16 text, by its byte-order mark or, without one, by the zero bytes that ASCII
/// characters leave in every other position (an editor's "Unicode" often means UTF-16).
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some("UTF-16 (little-endian)"),
        [0xFE, 0xFF, ..] => return Some("UTF-16 (big-endian)"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() < 4 {
        return None;
    }
    let (even, odd): (Vec<u8>, Vec<u8>) = head.chunks(2).map(|p| (p[0], p[1])).unzip();
    let ascii = |v: &[u8]| v.iter().all(|&b| b != 0 && b.is_ascii());
    let zero = |v: &[u8]| v.iter().all(|&b| b == 0);
    if ascii(&even) && zero(&odd) {
        Some("UTF-16 (little-endian)")
    } else if zero(&even) && ascii(&odd) {
        Some("UTF-16 (big-endian)")
    } else {
        None
    }
}

/// Whether the text holds nothing but white space and comments.
fn is_blank(text: &str) -> bool {
    let mut rest = text.trim_start();
    loop {
        if rest.is_empty() {
            return true;
        }
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(r) = rest.strip_prefix("/*") {
            match r.find("*/") {
                Some(end) => rest = r[end + 2..].trim_start(),
                None => return false,
            }
        } else {
            return false;
        }
    }
}

/// Parses text into the file types, mapping the parser's error to a located diagnostic.
pub fn parse(text: &str, syntax: Syntax) -> Result<CaseFile, Diagnostic> {
    // A claim takes some 350 bytes of JSON as attrib writes it, more in RON and with wording;
    // a minified case of terse claims may take 120.
    crate::format::expecting_claims(text.len() / 256, || parse_unreserved(text, syntax))
}

fn parse_unreserved(text: &str, syntax: Syntax) -> Result<CaseFile, Diagnostic> {
    match syntax {
        Syntax::Ron => ron_options()
            .from_str::<CaseFile>(text)
            .map_err(|e| match holds(text) {
                // JSON under a RON name (`-o case.ron` of a JSON case or a bundle).
                Holds::Bundle => a_bundle(text),
                Holds::Report => a_report(text),
                Holds::JsonCase => json_in_ron(text),
                _ => ron_diagnostic(text, e),
            }),
        Syntax::Json => {
            if let Some(d) = not_an_object(text) {
                return Err(d);
            }
            serde_json::from_str::<CaseFile>(text).map_err(|e| match holds(text) {
                Holds::Bundle => a_bundle(text),
                Holds::Report => a_report(text),
                _ => json_diagnostic(text, e),
            })
        }
    }
}

/// What a text holds, read at a glance when a command cannot read it: given a STIX bundle,
/// `assess` should say to import it rather than name its first field unknown, and given a
/// case, `import stix` should say to export it rather than call RON bad JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// An attrib case in RON: `Case(` or `(` first, after white space and comments.
    RonCase,
    /// An attrib case in JSON: an object with `title` or `claims` and no `type`.
    JsonCase,
    /// A STIX bundle: an object whose `type` is `"bundle"`.
    Bundle,
    /// A report attrib wrote (`assess --format json`, `diff --format json`): an object whose
    /// `schema` names one of attrib's (`attrib-assessment/2`).
    Report,
    /// Anything else, or JSON too broken to tell.
    Unknown,
}

/// What `text` holds ([`Holds`]). Reads the whole text when it starts as JSON: for messages
/// on the error path only.
pub fn holds(text: &str) -> Holds {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "type")]
        kind: Option<serde_json::Value>,
        title: Option<serde::de::IgnoredAny>,
        claims: Option<serde::de::IgnoredAny>,
        schema: Option<serde_json::Value>,
    }
    let rest = &text[content_start(text)..];
    if rest.starts_with("Case(") || rest.starts_with('(') || rest.starts_with("#![") {
        return Holds::RonCase;
    }
    if !rest.starts_with('{') {
        return Holds::Unknown;
    }
    match serde_json::from_str::<Probe>(rest) {
        Ok(p) if p.kind.as_ref().and_then(|k| k.as_str()) == Some("bundle") => Holds::Bundle,
        Ok(p)
            if (p.schema.as_ref().and_then(|s| s.as_str()))
                .is_some_and(|s| s.starts_with("attrib-")) =>
        {
            Holds::Report
        }
        Ok(p) if p.kind.is_none() && (p.title.is_some() || p.claims.is_some()) => Holds::JsonCase,
        _ => Holds::Unknown,
    }
}

/// Whether `head`, the start of a text, opens as every JSON report attrib writes does: its
/// first member `"schema": "attrib-…"` ([`Holds::Report`], told from the start alone, where
/// [`holds`] reads the whole text).
pub fn opens_as_report(head: &str) -> bool {
    let rest = head[content_start(head)..]
        .strip_prefix('{')
        .map(str::trim_start);
    rest.and_then(|r| r.strip_prefix("\"schema\""))
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix(':'))
        .is_some_and(|r| r.trim_start().starts_with("\"attrib-"))
}

/// A STIX bundle given as a case: said so, with the command that reads one.
fn a_bundle(text: &str) -> Diagnostic {
    at_first_brace(text, "this is a STIX bundle, not an attrib case")
        .label("a bundle")
        .help("read it into a case first: `attrib import stix FILE -o case.ron` (docs/stix.md)")
}

/// A report attrib wrote given as a case: said so, with where the case is.
fn a_report(text: &str) -> Diagnostic {
    at_first_brace(
        text,
        "this is a report attrib wrote (its `schema` says so), not an attrib case",
    )
    .label("a report")
    .help(
        "give the evidence case the report was made from (a .ron or .json file with `title` \
         and `claims`); a report's `case` names its title",
    )
}

/// Where what a text holds begins: after a byte-order mark, white space and `//` comment lines.
fn content_start(text: &str) -> usize {
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    while let Some(comment) = rest.strip_prefix("//") {
        rest = comment
            .find('\n')
            .map_or("", |end| comment[end..].trim_start());
    }
    text.len() - rest.len()
}

/// An error on what a whole JSON text is, pointed at its first brace (after white space and
/// comment lines).
fn at_first_brace(text: &str, message: &str) -> Diagnostic {
    let start = content_start(text);
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    Diagnostic::new(Code::Syntax, message, Location::Span(start..end))
}

/// The fields that take a list of texts: given one text, a message says to write it as a
/// list of one (RON and JSON alike).
const TEXT_LISTS: [&str; 4] = ["aliases", "derived_from", "references", "members"];

/// A case in JSON read as RON (its name does not end in `.json`): said so, rather than "expected
/// a declaration" at its first brace.
fn json_in_ron(text: &str) -> Diagnostic {
    at_first_brace(
        text,
        "this case is written in JSON, but its name does not end in `.json`",
    )
    .label("JSON")
    .help("rename the file to end in `.json` (then `attrib convert` writes it as RON, with `--to ron`)")
}

/// What is said of a comment in JSON, and what to do.
const JSON_COMMENT: (&str, &str) = (
    "a comment: JSON has none",
    "remove it, or keep the remark in a `note` or `description`; RON allows comments (`attrib convert FILE --to ron`)",
);

/// A JSON case that is not an object at the top level (an array, a string, a number): serde
/// would read an array as the case's fields in order and complain in its own terms ("invalid
/// length 0, expected struct CaseFile with 13 elements").
fn not_an_object(text: &str) -> Option<Diagnostic> {
    let start = text.len() - text.trim_start().len();
    let c = text[start..].chars().next()?;
    // After any comment lines: a RON case under a JSON name, or a JSON case with comments.
    let content = &text[content_start(text)..];
    if content.starts_with("Case") || content.starts_with('(') {
        return Some(
            at_first_brace(
                text,
                "this case is written in RON, but its name ends in `.json`",
            )
            .label("RON")
            .help("rename the file to end in `.ron` (then `attrib convert` writes it as JSON, with `--to json`)"),
        );
    }
    if text[start..].starts_with("//") {
        let comment = text[start..].find('\n').map_or(text.len(), |n| start + n);
        return Some(
            Diagnostic::new(
                Code::Syntax,
                format!("syntax error: {}", JSON_COMMENT.0),
                Location::Span(start..comment),
            )
            .label("a comment")
            .help(JSON_COMMENT.1),
        );
    }
    (c != '{').then(|| {
        Diagnostic::new(
            Code::Syntax,
            "a JSON case is an object at the top level",
            Location::Span(start..start + c.len_utf8()),
        )
        .label("not `{`")
        .help("write the case as `{ \"title\": …, \"actors\": [ … ], … }`, as in docs/format.md")
    })
}

/// Parses and validates `text`, read as [`text_of`] reads a file's bytes (an empty or blank
/// text is said to be so, a byte order mark is skipped). On failure, returns the diagnostics:
/// the one error that stops the parse, or every error and warning validation finds.
pub fn load(text: &str, syntax: Syntax) -> Result<Loaded, Vec<Diagnostic>> {
    load_bytes(text.as_bytes(), syntax)
}

/// Validates a parsed file ([`parse`]) into the case alone, the file's text moved into it
/// rather than copied: for a caller that does not need the file afterwards (every command but
/// `convert` and `export stix`), so that a large case is not held twice. The case and the
/// diagnostics are those [`validated`] gives. On failure, returns every diagnostic.
pub fn validated_case(file: CaseFile) -> Result<LoadedCase, Vec<Diagnostic>> {
    let validated = validate(file);
    match validated.case {
        Some(case) => Ok(LoadedCase {
            case,
            warnings: validated.diagnostics,
        }),
        None => Err(validated.diagnostics),
    }
}

/// Validates a parsed file ([`parse`]) for its diagnostics and counts alone: the checks and
/// diagnostics of [`validated_case`], without moving the file's text into a case nobody reads
/// (`check` on a large case spends a twentieth of its time on that otherwise).
pub fn checked(mut file: CaseFile) -> Result<Checked, Vec<Diagnostic>> {
    let validated = validate_counting(&mut file);
    match validated.case {
        Some(case) => Ok(Checked {
            counts: Counts::of(&case),
            warnings: validated.diagnostics,
        }),
        None => Err(validated.diagnostics),
    }
}

/// Validates a parsed file ([`parse`]); what [`load`] does after parsing, for a caller that
/// lets the text go in between. On failure, returns every diagnostic (errors and warnings).
pub fn validated(mut file: CaseFile) -> Result<Loaded, Vec<Diagnostic>> {
    let validated = validate_keeping(&mut file);
    match validated.case {
        Some(case) => Ok(Loaded {
            case,
            file,
            warnings: validated.diagnostics,
        }),
        None => Err(validated.diagnostics),
    }
}

/// Loads from raw bytes, as read from a file or stdin.
pub fn load_bytes(bytes: &[u8], syntax: Syntax) -> Result<Loaded, Vec<Diagnostic>> {
    let text = text_of(bytes).map_err(|d| vec![d])?;
    let file = parse(text, syntax).map_err(|d| vec![d])?;
    validated(file)
}

/// Where the fault the parser reports lies: its span, moved past white space where the parser
/// points after a colon (at a value that is no list or number) or at the end of the case, and
/// widened to a whole quoted text where a number or a list goes.
fn fault_span(text: &str, e: &ron::error::SpannedError) -> (usize, usize) {
    let mut start = offset_of(text, e.span.start.line, e.span.start.col);
    let mut end = offset_of(text, e.span.end.line, e.span.end.col).max(start);
    let value = matches!(
        e.code,
        ron::Error::ExpectedArray | ron::Error::ExpectedFloat | ron::Error::ExpectedInteger
    );
    if value || matches!(e.code, ron::Error::TrailingCharacters) {
        // The parser's span starts where the case ends, or after the colon before a value
        // that is no list or number; the fault is the first character after it that is not
        // white space.
        let rest = &text[start.min(text.len())..];
        if let Some((i, c)) = rest.char_indices().find(|(_, c)| !c.is_whitespace()) {
            start += i;
            end = start + c.len_utf8();
        }
    }
    // A quoted text where a number or a list goes is underlined whole, not by its quote; an
    // unclosed one by its quote alone (the next quote in the file opens some other text).
    if value
        && text.get(start..).is_some_and(|r| r.starts_with('"'))
        && let Some(close) = closing_quote(text.as_bytes(), start)
        && !text[start..close].contains('\n')
    {
        end = close + 1;
    }
    (start, end)
}

fn ron_diagnostic(text: &str, e: ron::error::SpannedError) -> Diagnostic {
    let (start, end) = fault_span(text, &e);
    if let Some(d) = ron_cut_at_a_string(text, start) {
        return d;
    }
    let comma = matches!(e.code, ron::Error::ExpectedComma);
    if let Some(d) = (ron_likelihood_shape(text, start))
        .or_else(|| ron_name_expected(text, start))
        .or_else(|| ron_unopened_declaration(text, start))
        .or_else(|| ron_unclosed_list(text, start))
        .or_else(|| ron_unclosed_declaration(text, start))
        .or_else(|| comma.then(|| ron_quote_in_string(text, start)).flatten())
        .or_else(|| comma.then(|| ron_missing_comma(text, start)).flatten())
        .or_else(|| ron_stray_comma(text, start))
    {
        return d;
    }
    if matches!(e.code, ron::Error::ExpectedMapColon)
        && let Some(d) = ron_missing_colon(text, start)
    {
        return d;
    }
    let at = Location::Span(start..end);
    if text[end.min(text.len())..].trim().is_empty()
        && !matches!(e.code, ron::Error::TrailingCharacters)
    {
        // Whatever the parser expected next, the real problem is that nothing follows: the
        // file was cut, or a comment opened and never closed took the rest of it.
        return unclosed_block_comment(text).map_or_else(|| truncated(at), unclosed_comment);
    }
    let identifier = matches!(e.code, ron::Error::ExpectedIdentifier);
    let string = matches!(e.code, ron::Error::ExpectedString);
    let closing = matches!(
        e.code,
        ron::Error::ExpectedStructLikeEnd | ron::Error::ExpectedOptionEnd
    );
    if closing && let Some(d) = ron_percent(text, start).or_else(|| ron_fraction(text, start)) {
        return d;
    }
    let missing = matches!(e.code, ron::Error::MissingStructField { .. });
    let list = matches!(e.code, ron::Error::ExpectedArray);
    let code = match e.code {
        // The parser names the value's type (`SourceKind`), which is no word of the file
        // format: the field it is the value of is.
        ron::Error::NoSuchEnumVariant {
            expected, found, ..
        } => ron::Error::NoSuchEnumVariant {
            expected,
            found,
            outer: ron_key_before(text, start).map(str::to_string),
        },
        code => code,
    };
    let d = ron_error(code, at);
    if missing {
        return with_id(text, start, d);
    }
    let d = misquoted(text, start, d, identifier, string);
    // `aliases: "VAJA"`: one text where a list goes.
    let rest = &text[start.min(text.len())..];
    let d = match rest.strip_prefix('"').and_then(|r| r.split_once('"')) {
        Some((one, _))
            if list
                && !one.contains('\\')
                && ron_key_before(text, start).is_some_and(|k| TEXT_LISTS.contains(&k)) =>
        {
            d.help(format!("this field takes a list: write `[\"{one}\"]`"))
        }
        _ => d,
    };
    after_open_string(text, start, d)
}

/// The help for a name written in quotes after `key` (`reliability: "B"`): the name without
/// them, as the field spells it (`confidence: "low"` is `Low`), or for an Admiralty code, where
/// each of its grades goes.
fn unquoted(key: Option<&str>, name: &str, d: Diagnostic) -> Diagnostic {
    if key == Some("reliability")
        && let Some((ron, json)) = admiralty_help(name)
    {
        return d.help_in(ron, json);
    }
    let name = key
        .and_then(|key| name_as_written(key, name))
        .unwrap_or_else(|| name.to_string());
    d.help(format!("write `{name}` without quotes"))
}

/// The parser's error `d` at `start`, where it expected a name (`identifier`) or a string
/// (`string`), made specific when the value is right but its quotes are not: quoted where a
/// name goes, typographic, missing, or a list where one text goes.
fn misquoted(
    text: &str,
    start: usize,
    d: Diagnostic,
    identifier: bool,
    string: bool,
) -> Diagnostic {
    let rest = &text[start.min(text.len())..];
    let after_colon = text[..start.min(text.len())].trim_end().ends_with(':');
    match quoted_name(rest) {
        // `reliability: "B"`, `kind: "State"`: the value is right, the quotes are not (and
        // `confidence: "low"`, its capital too: `Low`).
        Some(name) if identifier && after_colon => unquoted(ron_key_before(text, start), name, d),
        // `Actor("russia", "Russia", State)`: values where field names go. The first value
        // of a declaration is its id; a later one's field is not known.
        Some(name) if identifier => {
            let field = if text[..start.min(text.len())].trim_end().ends_with('(') {
                format!("`id: \"{name}\"`, say")
            } else {
                format!("`FIELD: \"{name}\"`, naming the field")
            };
            d.help(format!(
                "fields are written with their names, not by position: {field} \
                 (docs/format.md lists each declaration's fields)"
            ))
        }
        // `kind: “State”`: typographic quotes around a name, which goes without any.
        _ if identifier
            && let Some(name) = curly_quoted_text(rest.trim_start())
                .filter(|n| ron_key_before(text, start).is_some_and(|k| is_name_of(k, n))) =>
        {
            d.help(
                format!("write `{name}` without quotes (these are typographic quotes, as a word processor writes them)"),
            )
        }
        // `Icd(“likely”)`: typographic quotes, as a word processor writes them.
        _ if string
            && let Some(d) = curly_quoted(
                rest.trim_start(),
                start + (rest.len() - rest.trim_start().len()),
            ) =>
        {
            d
        }
        // A list where one text goes.
        _ if string && rest.trim_start().starts_with('[') => d.help(list_for_text(text, start)),
        // `date: 2014-12-24`, `Icd(unlikely)`: the value is right, the quotes are missing.
        _ if string => {
            let value = rest.trim_start();
            let term = text[..start].trim_end().ends_with("Icd(")
                || text[..start].trim_end().ends_with("Phia(");
            match bare_term(value, term) {
                Some(word) => {
                    let from = start + (rest.len() - value.len());
                    Diagnostic::new(
                        Code::BadValue,
                        "expected a quoted string",
                        Location::Span(from..from + word.len()),
                    )
                    .label("not in quotes")
                    .help(match (crate::date::Date::from_compact(word), percent(word)) {
                        // `Icd(80)`: a percentage where a term goes.
                        (_, Some(p)) if term => number_for_term(p, false),
                        // `date: 20141219`: quoted, it is still no date.
                        (Some(date), _) => format!("write it in double quotes, with hyphens: `\"{date}\"`"),
                        _ => format!("write it in double quotes: `\"{word}\"`"),
                    })
                }
                None => d,
            }
        }
        _ => d,
    }
}

/// What to say of a list where one text goes, at `start`: inside a list of texts (`aliases:
/// [["GOP"]]`), or as a field's one text (`family: ["a"]`).
fn list_for_text(text: &str, start: usize) -> String {
    if text[..start.min(text.len())]
        .trim_end()
        .ends_with(['[', ','])
    {
        "a list of texts holds texts, not lists: write each in double quotes without brackets \
         of its own, e.g. `[\"APT33\", \"Elfin\"]`"
            .to_string()
    } else {
        let first = first_text_of_list(text.get(start..).unwrap_or(""));
        one_text_for_a_list(ron_key_before(text, start), Syntax::Ron, first)
    }
}

/// The first text of the list `rest` starts with (`["dprk", "lazarus"]` → `dprk`), when it is
/// a plain one: the example a message gives is then the file's own.
fn first_text_of_list(rest: &str) -> Option<&str> {
    let inner = rest.trim_start().strip_prefix('[')?.trim_start();
    let body = inner.strip_prefix('"')?;
    let end = body.find(['"', '\\', '\n'])?;
    (body[end..].starts_with('"') && end > 0).then(|| &body[..end])
}

/// What to say of a list given to field `key`, which takes one text: a claim's subject or
/// object is one claim each (`object: ["a", "b"]` is two claims), any other field one text.
/// The example is the list's first text where it is known, else a placeholder: an example
/// naming an actor of another case reads as a suggestion.
fn one_text_for_a_list(key: Option<&str>, syntax: Syntax, first: Option<&str>) -> String {
    let one = first.unwrap_or("an-id");
    match (key, syntax) {
        (Some(field @ ("subject" | "object")), Syntax::Ron) => format!(
            "a claim relates one subject to one object: write one claim for each, in double \
             quotes without brackets, e.g. `{field}: \"{one}\"`"
        ),
        (Some(field @ ("subject" | "object")), Syntax::Json) => format!(
            "a claim relates one subject to one object: write one claim for each, in double \
             quotes without brackets, e.g. `\"{field}\": \"{one}\"`"
        ),
        _ => format!(
            "this field takes one text, not a list: write it in double quotes without brackets, \
             e.g. `\"{}\"`",
            first.unwrap_or("text")
        ),
    }
}

/// The text between the typographic quotes at the start of `rest`, and the width of it with
/// its quotes.
fn curly_quotes(rest: &str) -> Option<(&str, usize)> {
    // Each opening quote with the quotes that close it: an apostrophe (`’`) inside double
    // quotes (“People’s Liberation Army”) closes nothing.
    let open = rest.chars().next()?;
    let closing: &[char] = match open {
        '“' => &['”', '“'],
        '”' => &['”'],
        '„' => &['“', '”'],
        '«' => &['»'],
        '‘' => &['’'],
        '’' => &['’'],
        _ => return None,
    };
    let inner = &rest[open.len_utf8()..];
    let end = inner.find(|c: char| closing.contains(&c) || c == '\n')?;
    let close = inner[end..].chars().next().filter(|c| *c != '\n')?;
    Some((&inner[..end], open.len_utf8() + end + close.len_utf8()))
}

/// The text between typographic quotes at the start of `rest`, if it starts with them.
fn curly_quoted_text(rest: &str) -> Option<&str> {
    curly_quotes(rest).map(|(word, _)| word)
}

/// Text between typographic quotes at the start of `rest` (`“likely”`, `‘likely’`, `„…“`,
/// `«…»`), which the parser does not take for quotes: said so, with the text in straight
/// quotes. `start` is where `rest` begins in the file.
fn curly_quoted(rest: &str, start: usize) -> Option<Diagnostic> {
    let (word, width) = curly_quotes(rest)?;
    Some(
        Diagnostic::new(
            Code::BadValue,
            "typographic quotes do not quote text in a case file",
            Location::Span(start..start + width),
        )
        .label("curly quotes")
        .help(format!(
            "write straight double quotes: `\"{word}\"` (a word processor or chat tool may have \
             replaced them)"
        )),
    )
}

/// `word` as a percentage, when it is a number from 0 to 100.
fn percent(word: &str) -> Option<f64> {
    (word.trim().parse::<f64>().ok()).filter(|p| (0.0..=100.0).contains(p))
}

/// The help for a number written where an estimative term goes (`Icd(80)`): the terms are
/// words, and a percentage has likelihoods of its own.
fn number_for_term(p: f64, json: bool) -> String {
    let (ron, in_json) = crate::validate::likelihood_percent_help(p);
    let (example, percentage) = if json {
        ("{\"Icd\": \"likely\"}", in_json)
    } else {
        ("Icd(\"likely\")", ron)
    };
    format!("an estimative term is a word in quotes, such as `{example}`; {percentage}")
}

/// The unquoted value at the start of `text`: a word ([`bare_word`]), or inside `Icd(` or
/// `Phia(` (`term`) the words up to the bracket, since a term may have several (`very likely`).
fn bare_term(text: &str, term: bool) -> Option<&str> {
    if term {
        let words = text[..text.find(')')?].trim_end();
        let plain = !words.is_empty()
            && words
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '-');
        if plain {
            return Some(words);
        }
    }
    bare_word(text)
}

/// A parser error just after a string that runs across a line break (`wording: "…,` with its
/// closing quote missing): the string ran on to the next quote, and the parser stumbled over
/// what followed it, a line or more below the fault. Points at where the string opened.
fn after_open_string(text: &str, at: usize, d: Diagnostic) -> Diagnostic {
    let Some(open) = swallowing_string(text, at) else {
        return d;
    };
    let line = line_of(text, open);
    d.related(
        Location::Span(open..open + 1),
        "this string runs on past its line",
    )
    .help(format!(
        "a string ends at the next `\"`, on whatever line: if the one opened on line {line} \
         lacks its closing quote, add it where its value ends"
    ))
}

/// The opening quote of the last string before `at`, when it looks as if it swallowed what
/// followed it (it runs over lines and holds a field name and colon) and ends on the line of
/// `at`.
fn swallowing_string(text: &str, at: usize) -> Option<usize> {
    let (open, close) = last_string_before(text, at)?;
    let string = &text[open..close];
    // A string that holds a line break on purpose (a wording of two lines) is no suspect:
    // one that swallowed what follows it holds a field, a lower-case name and a colon
    // (`kind: Government`, `likelihood: …`).
    let swallowed = string.contains('\n')
        && string.match_indices(':').any(|(i, _)| {
            let name = string[..i]
                .bytes()
                .rev()
                .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
                .count();
            let before = string[..i - name].bytes().next_back();
            name > 0 && matches!(before, Some(b' ' | b'\t' | b'\n' | b',' | b'(' | b'"'))
        });
    (swallowed && !text[close..at].contains('\n')).then_some(open)
}

/// A field missing from the declaration or object the bracket at `close` (or the first after
/// white space from there) closes: named by the declaration's `id`, when it has one, since
/// the bracket may be many lines below the declaration's start (a claim without `source`).
fn with_id(text: &str, close: usize, mut d: Diagnostic) -> Diagnostic {
    let close = close
        + text
            .get(close..)
            .map_or(0, |t| t.len() - t.trim_start().len());
    if !matches!(text.as_bytes().get(close), Some(b')' | b'}')) {
        return d;
    }
    // On the declaration's opening (`Claim(`, or a JSON object's `{`), where a reader looks
    // for what it lacks: its closing bracket, where the parser stopped, may be many lines
    // below, after the last field given.
    d.at = Location::Span(close..close + 1);
    let opening = opening_of(text, close);
    if let Some(open) = opening {
        let name = text[..open].trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
        d.at = Location::Span(name.len()..open + 1);
    }
    if let Some(open) = opening
        && let Some(id) = id_within(text, open, close)
    {
        // RON names the declaration (`in `Claim``); JSON's objects have no name.
        let what = if d.message.contains(" in `") {
            ""
        } else {
            " in the object"
        };
        d.message = format!("{}{what} with id `{id}`", d.message);
    }
    d
}

/// The last string literal (`"…"`, `r#"…"#`) that closes before `at`: the byte offsets of
/// its opening and past its closing quote.
fn last_string_before(text: &str, at: usize) -> Option<(usize, usize)> {
    lexemes(text)
        .take_while(|l| l.start() < at)
        .filter_map(|l| match l {
            Lexeme::Str(open, close) if close <= at => Some((open, close)),
            _ => None,
        })
        .last()
}

/// The opening bracket of the declaration or object that the bracket at `close` closes.
fn opening_of(text: &str, close: usize) -> Option<usize> {
    let mut open = Vec::new();
    for l in lexemes(text) {
        match l {
            Lexeme::Open(i) => open.push(i),
            Lexeme::Close(i) if i == close => return open.pop(),
            Lexeme::Close(i) if i > close => return None,
            Lexeme::Close(_) => {
                open.pop();
            }
            Lexeme::Str(..) | Lexeme::Comment(..) => {}
        }
    }
    None
}

/// The `id` a declaration or object between the brackets at `open` and `close` gives itself
/// (`id: "c1"` in RON, `"id": "c1"` in JSON), if it gives one at its own level.
fn id_within(text: &str, open: usize, close: usize) -> Option<&str> {
    let inner = text.get(open + 1..close)?;
    let mut depth = 0usize;
    let mut after = 0;
    let mut key_was_id = false;
    for l in lexemes(inner) {
        match l {
            Lexeme::Open(i) => {
                depth += 1;
                after = i + 1;
            }
            Lexeme::Close(i) => {
                depth = depth.saturating_sub(1);
                after = i + 1;
            }
            Lexeme::Str(from, to) => {
                let before = inner[after..from].trim();
                let ron_key = before
                    .strip_suffix(':')
                    .map(str::trim_end)
                    .is_some_and(|b| {
                        b.strip_suffix("id").is_some_and(|rest| {
                            !rest.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                        })
                    });
                if depth == 0 && (ron_key || (key_was_id && before == ":")) {
                    // Between the first and the last quote: `"c1"`, `r#"c1"#`.
                    let literal = &inner[from..to];
                    let (first, last) = (literal.find('"')?, literal.rfind('"')?);
                    return literal.get(first + 1..last);
                }
                key_was_id = depth == 0 && &inner[from..to] == "\"id\"";
                after = to;
            }
            Lexeme::Comment(..) => {}
        }
    }
    None
}

/// A string literal or a bracket of RON or JSON text.
#[derive(Clone, Copy)]
enum Lexeme {
    /// A string, from its opening quote (or `r`) to past its closing quote.
    Str(usize, usize),
    /// `(`, `[` or `{`.
    Open(usize),
    /// `)`, `]` or `}`.
    Close(usize),
    /// A comment, `//` to the line's end or `/*` past `*/`.
    Comment(usize, usize),
}

impl Lexeme {
    fn start(self) -> usize {
        match self {
            Lexeme::Str(i, _) | Lexeme::Comment(i, _) | Lexeme::Open(i) | Lexeme::Close(i) => i,
        }
    }
}

/// The strings, comments and brackets of `text` in order, character literals skipped: what
/// a message needs to find where a string opened or which declaration a place is in (on the
/// error path only, so a pass over the text each time is cheap enough).
fn lexemes(text: &str) -> impl Iterator<Item = Lexeme> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let at = i;
            match b[i] {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                    return Some(Lexeme::Comment(at, i));
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = block_comment_end(b, i).unwrap_or(b.len());
                    return Some(Lexeme::Comment(at, i));
                }
                b'\'' => {
                    // 'x', '\'', '"': a character, whatever it holds.
                    let len = if b.get(i + 1) == Some(&b'\\') { 2 } else { 1 };
                    let body: usize = text
                        .get(i + 1..)
                        .map_or(0, |t| t.chars().take(len).map(char::len_utf8).sum());
                    i += 1 + body + 1;
                }
                b'r' if matches!(b.get(i + 1), Some(b'#' | b'"'))
                    && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
                {
                    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                    let open = i + 1 + hashes;
                    if b.get(open) != Some(&b'"') {
                        i += 1;
                        continue;
                    }
                    let end = format!("\"{}", "#".repeat(hashes));
                    i = text[open + 1..]
                        .find(&end)
                        .map_or(b.len(), |n| open + 1 + n + end.len());
                    return Some(Lexeme::Str(at, i));
                }
                b'"' => {
                    i = closing_quote(b, i).map_or(b.len(), |j| j + 1);
                    return Some(Lexeme::Str(at, i));
                }
                b'(' | b'[' | b'{' => {
                    i += 1;
                    return Some(Lexeme::Open(at));
                }
                b')' | b']' | b'}' => {
                    i += 1;
                    return Some(Lexeme::Close(at));
                }
                _ => i += 1,
            }
        }
        None
    })
}

/// The closing quote of the string whose opening quote is at `open`, past escaped quotes;
/// `None` when the text ends first.
fn closing_quote(b: &[u8], open: usize) -> Option<usize> {
    let mut j = open + 1;
    while j < b.len() && b[j] != b'"' {
        j += if b[j] == b'\\' { 2 } else { 1 };
    }
    (j < b.len()).then_some(j)
}

/// Past the `*/` that closes the block comment opening at `open`, the comments nested in it
/// closed first, as RON reads them; `None` when the text ends first.
pub(crate) fn block_comment_end(b: &[u8], open: usize) -> Option<usize> {
    let (mut depth, mut i) = (1usize, open + 2);
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            _ => i += 1,
        }
    }
    None
}

/// The unquoted word at the start of `text` (up to a comma, bracket or white space), when it
/// is plain enough to be a value missing its quotes.
fn bare_word(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| matches!(c, ',' | ')' | ']' | '(' | '[' | '"') || c.is_whitespace())
        .unwrap_or(text.len());
    let word = &text[..end];
    // `Some(…)`, `Icd(…)`: a declaration, not a word missing its quotes.
    let declaration = text[end..].trim_start().starts_with('(');
    let plain = !word.is_empty()
        && !declaration
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'));
    plain.then_some(word)
}

/// `Probability(30%)`: a likelihood given as a percentage with its sign, which the parser
/// sees as a missing `)` at the `%`. Said with the fraction to write, as a percentage without
/// the sign is (`Probability(30)`).
fn ron_percent(text: &str, at: usize) -> Option<Diagnostic> {
    let rest = text.get(at..)?;
    let sign = at + (rest.len() - rest.trim_start().len());
    text.get(sign..)?.strip_prefix('%')?;
    let before = text.get(..at)?;
    let open = before.rfind("Probability(")?;
    let number = before[open + "Probability(".len()..].trim();
    let p: f64 = number.parse().ok()?;
    let help = if (0.0..=100.0).contains(&p) {
        crate::validate::likelihood_percent_help(p).0
    } else {
        "a probability goes from 0 to 1: for 30 %, write `Probability(0.3)`".to_string()
    };
    Some(
        Diagnostic::new(
            Code::BadValue,
            "a probability is a fraction from 0 to 1, not a percentage",
            Location::Span(open..sign + 1),
        )
        .label("a percentage")
        .help(help),
    )
}

/// `Stix(0.9)`, `Admiralty(2.5)`: a fraction where the scale takes a whole number, which the
/// parser sees as a missing `)` at the decimal point. Said with the values to write instead.
fn ron_fraction(text: &str, at: usize) -> Option<Diagnostic> {
    let before = text.get(..at)?;
    let (scale, open) = ["Stix(", "Admiralty("]
        .into_iter()
        .filter_map(|s| before.rfind(s).map(|i| (s, i)))
        .max_by_key(|&(_, i)| i)?;
    let from = open + scale.len();
    let rest = text.get(from..)?;
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ' '))
        .unwrap_or(rest.len());
    let number = rest[..len].trim();
    if !number.contains('.') || from + len <= at {
        return None;
    }
    let x: f64 = number.parse().ok()?;
    let (message, help) = if scale == "Stix(" {
        let help = if x <= 1.0 {
            let percent = (x * 100.0).round();
            format!("for {percent} %, write `Stix({percent})` or `Probability({number})`")
        } else if x <= 100.0 {
            format!(
                "write `Stix({})`, or `Probability({})` to keep the fraction",
                x.round(),
                crate::validate::fraction_of_percent(x)
            )
        } else {
            "a STIX confidence goes from 0 to 100, e.g. `Stix(85)`".to_string()
        };
        ("a STIX confidence is a whole number from 0 to 100", help)
    } else {
        let (down, up) = (x.floor().clamp(1.0, 6.0), x.ceil().clamp(1.0, 6.0));
        let write = if down == up {
            format!("write `Admiralty({down})`")
        } else {
            format!("write `Admiralty({down})` or `Admiralty({up})`")
        };
        (
            "an Admiralty credibility is a whole number from 1 to 6",
            format!(
                "{write} (1 confirmed, 2 probably true, 3 possibly true, 4 doubtful, \
                 5 improbable, 6 cannot be judged)"
            ),
        )
    };
    let end = from + len + usize::from(rest[len..].starts_with(')'));
    Some(
        Diagnostic::new(Code::BadValue, message, Location::Span(open..end))
            .label("not a whole number")
            .help(help),
    )
}

/// The word between quotes at the start of `text`, when it could be a RON name (`"B"`,
/// `"Government"`).
fn quoted_name(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('"')?;
    let name = &inner[..inner.find('"')?];
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then_some(name)
}

/// A RON `likelihood` written as a bare term or number (`likelihood: "very likely"`,
/// `likelihood: 0.8`): the parser calls it a missing identifier or a bad raw identifier. Said
/// as what it is, with the scale to name: a term of ICD 203 or PHIA gets its own spelling.
fn ron_likelihood_shape(text: &str, at: usize) -> Option<Diagnostic> {
    let key = ron_key_before(text, at)?;
    let value = text.get(at..)?;
    if key != "likelihood"
        || !value.starts_with(|c: char| c.is_ascii_digit() || "\"+-.".contains(c))
    {
        return None;
    }
    let quoted = value
        .strip_prefix('"')
        .and_then(|v| v.split_once('"'))
        .map(|(term, _)| term);
    let width = match quoted {
        Some(term) => term.len() + 2,
        None => signed_word_len(value),
    };
    let help = match quoted {
        Some(term) if crate::terms::IcdTerm::parse(term).is_some() => {
            format!("write `Icd(\"{term}\")`, the ICD 203 term")
        }
        Some(term) if crate::terms::phia_probability(term).is_some() => {
            format!("write `Phia(\"{term}\")`, the PHIA term")
        }
        None if value[..width]
            .parse::<f64>()
            .is_ok_and(|p| p > 0.0 && p < 1.0) =>
        {
            let number = value[..width].trim_start_matches('+');
            format!("write `Probability({number})`")
        }
        _ => "write one of `Icd(\"likely\")`, `Phia(\"likely\")`, `Probability(0.7)`, \
              `Stix(70)` or `Admiralty(2)`"
            .to_string(),
    };
    Some(
        Diagnostic::new(
            Code::BadValue,
            "a likelihood names its scale",
            Location::Span(at..at + width.max(1)),
        )
        .label("not a likelihood")
        .help(help),
    )
}

/// Where a block comment (`/* … */`, which RON nests) opens that is still open at the end of
/// the file, read past strings and line comments ([`lexemes`]).
fn unclosed_block_comment(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    lexemes(text).find_map(|l| match l {
        Lexeme::Comment(at, _) if b[at + 1] == b'*' && block_comment_end(b, at).is_none() => {
            Some(at)
        }
        _ => None,
    })
}

/// A file cut at a text the parser stopped at (`start`): inside it (no quote closes it), or
/// just after it. Read before the other explanations of a stop at a string (a quote inside
/// the text, a missing comma), which would send the reader looking for a fault that is not
/// there.
fn ron_cut_at_a_string(text: &str, start: usize) -> Option<Diagnostic> {
    // Stopped inside the file's last text, which its closing quote ends.
    let tail = text.get(start..)?.trim_end();
    if let Some(inner) = tail.strip_suffix('"')
        && !inner.contains(['"', '\n'])
        && text[..start].ends_with('"')
    {
        let end = start + tail.len();
        return Some(truncated(Location::Span(end..end)));
    }
    // Stopped at a text's opening quote.
    if text.as_bytes().get(start) != Some(&b'"') {
        return None;
    }
    let Some(close) = closing_quote(text.as_bytes(), start) else {
        return Some(
            Diagnostic::new(
                Code::Syntax,
                "the file ends inside this text",
                Location::Span(start..start + 1),
            )
            .label("opened here, never closed")
            .help("the file looks truncated, or the text's closing `\"` is missing"),
        );
    };
    let after = close + 1;
    text[after..]
        .trim()
        .is_empty()
        .then(|| truncated(Location::Span(after..after)))
}

/// The diagnostic for a block comment opened at `open` and never closed.
fn unclosed_comment(open: usize) -> Diagnostic {
    Diagnostic::new(
        Code::Syntax,
        "a comment is never closed",
        Location::Span(open..open + 2),
    )
    .label("opened here, it runs to the end of the file")
    .help("close the comment with `*/` where it ends")
}

/// The diagnostic for a file that stops before its values are closed.
fn truncated(at: Location) -> Diagnostic {
    Diagnostic::new(Code::Syntax, "the file ends too early", at)
        .label("file ends here")
        .help("the file looks truncated: close every open `(`, `[` and `\"`")
}

/// What a RON parser error means to someone writing a case, located at `at`.
// Kept whole: one arm per kind of parser error, a table of messages best read in one place.
fn ron_error(code: ron::Error, at: Location) -> Diagnostic {
    use ron::Error as E;
    let within = |outer: &Option<String>| {
        outer
            .as_deref()
            .map(|o| format!(" in `{o}`"))
            .unwrap_or_default()
    };
    match code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let mut d = Diagnostic::new(
                Code::UnknownField,
                format!("unknown field `{found}`{}", within(&outer)),
                at,
            )
            .label("not a field of this declaration")
            .note(format!("allowed fields: {}", expected.join(", ")));
            d = match suggest(&found, expected.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("remove it, or move it to the declaration it belongs to"),
            };
            d
        }
        E::MissingStructField { field, outer } => {
            let values = crate::format::required_values(outer.as_deref().unwrap_or(""), field);
            let d = Diagnostic::new(
                Code::MissingField,
                format!("missing field `{field}`{}", within(&outer)),
                at,
            )
            .label(format!("`{field}` is required here"))
            .help(format!("add `{field}: …` to this declaration"));
            if values.is_empty() {
                d
            } else {
                d.note(format!("allowed values: {}", values.join(", ")))
            }
        }
        E::DuplicateStructField { field, outer } => Diagnostic::new(
            Code::Syntax,
            format!("field `{field}` is given twice{}", within(&outer)),
            at,
        )
        .label("given again here")
        .help("keep one of the two"),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            // `outer` is the field's name (`ron_diagnostic`), as the JSON message names it.
            let field = (outer.as_ref())
                .map(|o| format!(" for `{o}`"))
                .unwrap_or_default();
            let mut d = Diagnostic::new(
                Code::BadValue,
                format!("`{found}` is not a valid value{field}"),
                at,
            )
            .label("unknown variant")
            .note(format!("allowed values: {}", expected.join(", ")));
            d = match crate::diagnostic::suggest_value(&found, expected) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => other_section_kind(d, outer.as_deref(), &found),
            };
            d
        }
        E::InvalidValueForType { expected, found } => Diagnostic::new(
            Code::BadValue,
            format!("expected {expected}, found {found}"),
            at,
        )
        .label("wrong type of value")
        .help(format!("write {expected} here")),
        E::ExpectedDifferentStructName { expected, found } => {
            // A declaration of another section (`Group(…)` among the actors): moved, not renamed.
            let section = |name: &str| {
                crate::format::DECLARATION_NAMES
                    .iter()
                    .find(|d| d.ron == name)
                    .and_then(|d| d.section)
            };
            let help = match (section(expected), section(&found)) {
                (Some(here), Some(there)) => format!(
                    "a `{found}(…)` goes in `{there}`, not in `{here}`: move it there (or, if it \
                     is one of the {here}, write `{expected}(…)`)"
                ),
                _ => format!("write `{expected}(…)` or leave the name out"),
            };
            Diagnostic::new(
                Code::BadValue,
                format!("expected `{expected}(…)`, found `{found}(…)`"),
                at,
            )
            .label("wrong declaration name")
            .help(help)
        }
        E::Eof => truncated(at),
        E::TrailingCharacters => Diagnostic::new(
            Code::Syntax,
            "text after the end of the case",
            at,
        )
        .label("the case ended before this")
        .help("the file holds one `Case(…)`: remove what follows it, or look for a `)` or `]` that closes it too early"),
        E::ExceededRecursionLimit => Diagnostic::new(
            Code::Syntax,
            "values are nested too deeply",
            at,
        )
        .label("nesting limit reached here")
        .help("an evidence case nests a few levels only; check for unbalanced brackets"),
        E::Message(m) => {
            // serde's own messages ("invalid type: …", "invalid length …").
            Diagnostic::new(Code::BadValue, m, at)
                .label("here")
                .help("compare with the field's description in docs/format.md")
        }
        E::ExpectedFloat | E::ExpectedInteger => {
            Diagnostic::new(Code::BadValue, "expected a number", at)
                .label("not a number")
                .help("write a plain number here, e.g. `0.5` (no quotes)")
        }
        E::ExpectedString => Diagnostic::new(Code::BadValue, "expected a quoted string", at)
            .label("not a string")
            .help("write text in double quotes, e.g. `\"iran\"`"),
        E::ExpectedArray => Diagnostic::new(Code::BadValue, "expected a list", at)
            .label("not a list")
            .help("write a list in brackets, e.g. `[\"a\", \"b\"]`"),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => {
            Diagnostic::new(Code::BadValue, "expected a declaration `Name(field: value, …)`", at)
                .label("not a declaration")
                .help("compare with the examples in docs/format.md")
        }
        E::ExpectedIdentifier => Diagnostic::new(Code::BadValue, "expected a name (identifier)", at)
            .label("not an identifier")
            .help("write a field name or a value such as `State` without quotes"),
        other => Diagnostic::new(Code::Syntax, format!("syntax error: {}", lower_first(&other.to_string())), at)
            .label("here")
            .help("check the punctuation just before this point: commas between fields, balanced brackets and quotes"),
    }
}

/// The byte span of the character a serde_json error stopped on. serde_json counts columns in
/// bytes and points just past the offending character: this steps back onto that character,
/// whole, so that multi-byte text is never cut.
pub(crate) fn json_stop(text: &str, e: &serde_json::Error) -> std::ops::Range<usize> {
    let after = json_after(text, e);
    let start = floor_char_boundary(text, after.saturating_sub(1));
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    start..end
}

/// A JSON file that ends too early: the caret just past its last character (serde_json
/// points at that character).
fn json_eof(text: &str) -> Diagnostic {
    let end = text.trim_end().len();
    Diagnostic::new(
        Code::Syntax,
        "the file ends too early",
        Location::Span(end..end),
    )
    .label("file ends here")
    .help("the file looks truncated: close every open `{`, `[` and `\"`")
}

/// A JSON syntax error serde_json stopped on at `after` (`stop`: [`json_stop`]): a slip
/// [`json_slip`] recognises, else serde_json's message on the character it stopped on (a
/// syntax error's column is that character's; a value's error points past it).
fn json_syntax(
    text: &str,
    stop: std::ops::Range<usize>,
    after: usize,
    message: &str,
) -> Diagnostic {
    match json_slip(text, stop, message) {
        Some(slip) => Diagnostic::new(
            Code::Syntax,
            format!("syntax error: {}", slip.message),
            Location::Span(slip.at),
        )
        .label(slip.label)
        .help(slip.fix),
        None => Diagnostic::new(
            Code::Syntax,
            format!("syntax error: {message}"),
            Location::Span(json_char_at(text, after)),
        )
        .label("here")
        .help("check the punctuation just before this point: commas, colons, balanced brackets and quotes"),
    }
}

/// The byte span of the character at `at`, or an empty span at the end of the text.
fn json_char_at(text: &str, at: usize) -> std::ops::Range<usize> {
    let at = floor_char_boundary(text, at);
    at..text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

/// Where a serde_json error points: just past the character it stopped on, in bytes.
pub(crate) fn json_after(text: &str, e: &serde_json::Error) -> usize {
    if e.line() == 0 {
        text.len()
    } else {
        byte_offset_of(text, e.line(), e.column())
    }
}

fn json_diagnostic(text: &str, e: serde_json::Error) -> Diagnostic {
    let std::ops::Range { start, end } = json_stop(text, &e);
    let after = json_after(text, &e);
    let at = Location::Span(start..end);
    let message = json_message(&e);
    use serde_json::error::Category;
    if e.classify() == Category::Syntax
        && message == "expected value"
        && let Some(d) = json_name_expected(text, value_at(text, start))
    {
        return d;
    }
    match e.classify() {
        Category::Eof => json_eof(text),
        // Valid JSON, but no likelihood: serde_json, reading the enum, calls it a syntax error.
        Category::Syntax
            if message == "expected value" && likelihood_value(text, after_space(text, start)) =>
        {
            let value = after_space(text, start);
            let width = text[value..].chars().next().map_or(0, char::len_utf8);
            Diagnostic::new(
                Code::BadValue,
                "a likelihood is an object that names its scale",
                Location::Span(value..value + width),
            )
            .label("not a likelihood")
            .help("write one of `{\"Icd\": \"likely\"}`, `{\"Phia\": \"likely\"}`, `{\"Probability\": 0.7}`, `{\"Stix\": 70}` or `{\"Admiralty\": 2}`")
        }
        // `{"Icd": "likely", "Phia": "likely"}`: valid JSON, but a likelihood names one scale.
        // serde_json stops in or just after the first scale's value, before the comma.
        Category::Syntax
            if message == "expected value"
                && let Some(comma) = text[start.min(text.len())..]
                    .find([',', '}', '\n'])
                    .map(|k| start + k)
                    .filter(|&k| text.as_bytes()[k] == b',')
                && let Some(open) = innermost_open(&text[..comma])
                && text.as_bytes()[open] == b'{'
                && json_key_before(text, open) == Some("likelihood") =>
        {
            let second = after_space(text, comma + 1);
            let width = text[second..]
                .find(':')
                .map_or(1, |n| text[second..second + n].trim_end().len());
            Diagnostic::new(
                Code::BadValue,
                "a likelihood names one scale",
                Location::Span(second..second + width),
            )
            .label("a second key")
            .help("keep one scale and its value, e.g. `{\"Icd\": \"likely\"}`: a claim states its likelihood in one scale's words or numbers")
        }
        Category::Syntax if message == "number out of range" => Diagnostic::new(
            Code::BadValue,
            "a number too large to read",
            json_scalar_span(text, start).map_or(at, Location::Span),
        )
        .label("out of range")
        .help("check for extra digits or a misplaced exponent: probabilities go from 0 to 1, counts are whole numbers"),
        Category::Syntax => json_syntax(text, start..end, after, &message),
        Category::Io => Diagnostic::new(Code::Unreadable, message, at),
        Category::Data => json_data_diagnostic(text, &message, start, after, at),
    }
}

/// serde_json's errors about what a value is (an unknown field or variant, a field given twice
/// or missing, a value of the wrong type), located on the field or the value and said as the
/// file format says it.
fn json_data_diagnostic(
    text: &str,
    message: &str,
    start: usize,
    after: usize,
    at: Location,
) -> Diagnostic {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let found = rest.split('`').next().unwrap_or_default();
        let candidates = expected_names(rest);
        let at = json_key_span(text, start + found.len() + 3, found).unwrap_or(at);
        let mut d = Diagnostic::new(Code::UnknownField, format!("unknown field `{found}`"), at)
            .label("not a field of this declaration")
            .note(format!("allowed fields: {}", candidates.join(", ")));
        d = match suggest(found, candidates.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help("remove it, or move it to the declaration it belongs to"),
        };
        d
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        json_unknown_variant(text, rest, after, at)
    } else if let Some(rest) = message.strip_prefix("duplicate field `") {
        // A syntax slip, as RON's is: which of the two to read is not clear.
        let field = rest.split('`').next().unwrap_or_default();
        let at = json_key_span(text, after + 1, field).unwrap_or(at);
        Diagnostic::new(Code::Syntax, format!("field `{field}` is given twice"), at)
            .label("given again here")
            .help("keep one of the two")
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let d = Diagnostic::new(Code::MissingField, format!("missing field `{field}`"), at)
            .label(format!("`{field}` is required here"))
            .help(format!("add `\"{field}\": …` to this object"));
        // serde_json names the last character it read, before the closing brace.
        let next = start + text[start..].chars().next().map_or(0, char::len_utf8);
        with_id(text, next, d)
    } else {
        let span = json_scalar_span(text, start);
        let key = span.as_ref().and_then(|s| json_key_before(text, s.start));
        let help = json_type_help(message, key);
        let at = span.map_or(at, Location::Span);
        Diagnostic::new(Code::BadValue, plain_types(message), at)
            .label("this value")
            .help(help)
    }
}

/// The whole scalar value (a string with its quotes, a number, `true`, `false`, `null`) that
/// serde_json stopped in or at the end of, `stop` being the character it names: it reports a
/// type error at the value's last character, and a caret there reads as if the closing quote
/// were the mistake.
fn json_scalar_span(text: &str, stop: usize) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let bare = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-');
    let here = *bytes.get(stop)?;
    if matches!(here, b':' | b',' | b'[') || here.is_ascii_whitespace() {
        // A value of one character: serde_json stops just before it. A list or an object where
        // a declaration goes: its opening bracket.
        let value = after_space(text, stop + 1);
        if matches!(bytes.get(value), Some(b'[' | b'{')) {
            return Some(value..value + 1);
        }
        let end = bytes[value..].iter().position(|&b| !bare(b))? + value;
        return (end > value).then_some(value..end);
    }
    // serde_json stops on a string's last character (its opening quote when it is empty) or
    // on its closing quote; a closing quote followed by a colon ends a key, not a value.
    let next = stop + text[stop..].chars().next().map_or(1, char::len_utf8);
    let is_key = |q: usize| text[q + 1..].trim_start().starts_with(':');
    let close = [next, stop]
        .into_iter()
        .find(|&i| bytes.get(i) == Some(&b'"'));
    match close {
        // A list or an object where a scalar goes: its opening bracket, after the key.
        Some(close) if is_key(close) => {
            let value = value_at(text, close + 1);
            let c = text[value..].chars().next()?;
            Some(value..value + c.len_utf8())
        }
        Some(close) => {
            // The opening quote: the nearest one before that no backslash escapes.
            let mut open = close;
            loop {
                open = text[..open].rfind('"')?;
                let slashes = bytes[..open]
                    .iter()
                    .rev()
                    .take_while(|&&b| b == b'\\')
                    .count();
                if slashes % 2 == 0 {
                    return Some(open..close + 1);
                }
            }
        }
        None if bare(here) => {
            let start = bytes[..stop]
                .iter()
                .rposition(|&b| !bare(b))
                .map_or(0, |i| i + 1);
            let end = bytes[stop..]
                .iter()
                .position(|&b| !bare(b))
                .map_or(bytes.len(), |i| stop + i);
            Some(start..end)
        }
        None => None,
    }
}

/// Where the value after serde_json's stop at `stop` begins: past the colon it stops on in
/// compact JSON (`"reliability":2`), and past white space.
fn value_at(text: &str, stop: usize) -> usize {
    let at = after_space(text, stop);
    if text[at.min(text.len())..].starts_with(':') {
        after_space(text, at + 1)
    } else {
        at
    }
}

/// A name field (`reliability`, `kind`, `relation`, `confidence`) given a bare number, `true`,
/// `false`, `null` or a list where its name goes in quotes: serde_json, reading the name,
/// calls that a syntax error ("expected value") in a file that is valid JSON.
fn json_name_expected(text: &str, value: usize) -> Option<Diagnostic> {
    let key = json_key_before(text, value)?;
    let example = name_example(key, "\"", None)?;
    let first = *text.as_bytes().get(value)?;
    let end = match first {
        b'[' | b'{' => value + 1,
        b if b.is_ascii_alphanumeric() || b == b'-' => json_scalar_span(text, value)?.end,
        _ => return None,
    };
    if first == b'[' {
        return Some(listed_name(key, &text[value..], value, &example, "\""));
    }
    Some(
        Diagnostic::new(
            Code::BadValue,
            format!("`{key}` is a name, written in quotes"),
            Location::Span(value..end),
        )
        .label("not a name")
        .help(format!("write {example} (docs/format.md lists them)")),
    )
}

/// Whether `name` is one a name field (`kind`, `reliability`, `relation`, `confidence`)
/// takes, so that a fix never suggests one it does not (`kind: ["Stat"]`).
fn is_name_of(key: &str, name: &str) -> bool {
    fn reads<T: serde::de::DeserializeOwned>(name: &str) -> bool {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric())
            && ron::from_str::<T>(name).is_ok()
    }
    match key {
        "kind" => {
            reads::<crate::format::ActorKind>(name)
                || reads::<crate::format::GroupKind>(name)
                || reads::<crate::format::SourceKind>(name)
        }
        "reliability" => reads::<crate::terms::Grade>(name),
        "relation" => reads::<crate::format::Relation>(name),
        "confidence" => reads::<crate::terms::Confidence>(name),
        _ => false,
    }
}

/// The name of field `key` that `text` means, as the file writes it: `text` itself, or with
/// capitals (`low` is `Low`, `attributed to` is `AttributedTo`); `None` when it is none.
fn name_as_written(key: &str, text: &str) -> Option<String> {
    let capital = |word: &str| {
        let mut chars = word.chars();
        chars.next().map_or_else(String::new, |c| {
            c.to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        })
    };
    let words: String = (text.split(|c: char| !c.is_alphanumeric()))
        .map(capital)
        .collect();
    [text.to_string(), capital(text), words]
        .into_iter()
        .find(|n| is_name_of(key, n))
}

/// A name field given a list (`kind: ["State"]`, `"kind": ["State"]`), which takes one name:
/// the fix with the name in it, when the list holds one. `value` is the text from the
/// bracket on, at `at` in the file; names go between `quote`s ([`name_example`]).
fn listed_name(key: &str, value: &str, at: usize, example: &str, quote: &str) -> Diagnostic {
    let one = value[1..]
        .split_once(']')
        .map(|(inside, _)| inside.trim().trim_matches('"').trim())
        .filter(|n| is_name_of(key, n));
    let help = match one {
        Some(name) if quote.is_empty() => {
            format!("write `{key}: {name}`, without brackets or quotes")
        }
        Some(name) => format!("write `\"{key}\": \"{name}\"`, without brackets"),
        None => format!("write {example} (docs/format.md lists them)"),
    };
    Diagnostic::new(
        Code::BadValue,
        format!("`{key}` takes one name, not a list"),
        Location::Span(at..at + 1),
    )
    .label("a list")
    .help(help)
}

/// What to write in a name field (`reliability`, `relation`, `confidence`, `kind`), each name
/// between `quote`s (JSON writes names as strings, RON bare); a kind from those of the
/// `declaration` it is in, when known.
fn name_example(key: &str, quote: &str, declaration: Option<&str>) -> Option<String> {
    let q = |name: &str| format!("`{quote}{name}{quote}`");
    let how = if quote.is_empty() {
        "without quotes"
    } else {
        "in quotes"
    };
    Some(match key {
        "reliability" => format!(
            "a grade {how}, from {} (completely reliable) to {}",
            q("A"),
            q("F")
        ),
        "relation" => format!(
            "a relation {how}, e.g. {} or {}",
            q("AttributedTo"),
            q("SubordinateOf")
        ),
        "confidence" => format!("{}, {} or {}, {how}", q("Low"), q("Moderate"), q("High")),
        "kind" => {
            let kinds: &[&str] = match declaration {
                Some("Actor") => &["State", "Agency", "Organisation"],
                Some("Group") => &["IntrusionSet", "Persona"],
                Some("Source") => &["Government", "Vendor", "Media"],
                _ => &["State", "IntrusionSet", "Government"],
            };
            let (last, rest) = kinds.split_last()?;
            let rest: Vec<String> = rest.iter().map(|k| q(k)).collect();
            format!("a kind {how}, e.g. {} or {}", rest.join(", "), q(last))
        }
        _ => return None,
    })
}

/// The name of the declaration (`Actor`, `Source`…) whose brackets enclose `at` in RON text,
/// if it has one.
fn enclosing_declaration(text: &str, at: usize) -> Option<&str> {
    let mut open = Vec::new();
    for l in lexemes(text) {
        if l.start() >= at {
            break;
        }
        match l {
            Lexeme::Open(i) => open.push(i),
            Lexeme::Close(_) => {
                open.pop();
            }
            Lexeme::Str(..) | Lexeme::Comment(..) => {}
        }
    }
    let before = text[..*open.last()?].trim_end();
    let name = before
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()?;
    (!name.is_empty()).then_some(name)
}

/// A comma with nothing before it: a second comma after one (`…], ,`) or one right after an
/// opening bracket. The parser expected a field name or a value there and says so, which sends
/// the reader after quotes; the comma is the slip.
fn ron_stray_comma(text: &str, at: usize) -> Option<Diagnostic> {
    if !text.get(at..)?.starts_with(',') {
        return None;
    }
    let before = text.get(..at)?.trim_end();
    let what = match before.chars().last()? {
        ',' => "two commas in a row",
        '(' | '[' => "a comma with nothing before it",
        _ => return None,
    };
    Some(
        Diagnostic::new(
            Code::Syntax,
            format!("syntax error: {what}"),
            Location::Span(at..at + 1),
        )
        .label("remove this comma")
        .help("a comma separates two fields or two items of a list"),
    )
}

/// A declaration's name with its fields but no `(` between (`Claim` then `id: "c9", …`): the
/// parser, reading the name as a whole item, reports the list as not closed at the first
/// field, and closing it there breaks the file further.
fn ron_unopened_declaration(text: &str, at: usize) -> Option<Diagnostic> {
    let rest = text.get(at..)?;
    let field = rest.trim_start();
    let name_len = field
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|&n| n > 0 && field[n..].trim_start().starts_with(':'))?;
    let before = text[..at].trim_end();
    let word_at = (before.char_indices().rev())
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_at..];
    let opens_item = before[..word_at].trim_end().ends_with(['[', ',']);
    if !(opens_item && word.starts_with(|c: char| c.is_ascii_uppercase())) {
        return None;
    }
    let name = &field[..name_len];
    Some(
        Diagnostic::new(
            Code::Syntax,
            format!("`{word}` is not opened: `(` is missing after it"),
            Location::Span(word_at..word_at + word.len()),
        )
        .label(format!("its fields follow without `(`, from `{name}:` on"))
        .help(format!(
            "write `{word}(` before its first field, as in `{word}({name}: …)`"
        )),
    )
}

/// A field name (`note:`, `hypotheses:`) where a list goes on, after an item or a comma, with
/// a `[` before it still open: the list was not closed. The parser says it expected a string
/// or a declaration there, which sends the reader after the field name.
fn ron_unclosed_list(text: &str, at: usize) -> Option<Diagnostic> {
    let rest = &text[at.min(text.len())..];
    let after_comma = rest.strip_prefix(',').unwrap_or(rest);
    let field = after_comma.trim_start();
    let name_len = field
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|&n| n > 0 && field[n..].trim_start().starts_with(':'))?;
    let open = innermost_open(&text[..at.min(text.len())])?;
    if text.as_bytes()[open] != b'[' {
        return None;
    }
    let line = line_of(text, open);
    let name = &field[..name_len];
    let from = at + (rest.len() - field.len());
    Some(
        Diagnostic::new(
            Code::Syntax,
            format!("the list opened on line {line} is not closed"),
            Location::Span(from..from + name_len),
        )
        .label("a field where the list goes on")
        .help(format!(
            "write `]` after the list's last item, before `{name}:`"
        )),
    )
}

/// A declaration (`Claim(`) in a list not closed: the next declaration (`Claim(`), the
/// list's `]`, or a second comma (the `)` of a declaration on its own line deleted) stands
/// where its fields go on. The parser reads the next declaration's name as an unknown field
/// of this one, and helps to remove it (which would delete a claim), or expects a field name
/// at `]`, or reports two commas. Only for a declaration directly in a list: a stray `]`
/// elsewhere is no unclosed declaration.
fn ron_unclosed_declaration(text: &str, at: usize) -> Option<Diagnostic> {
    let stack = open_stack(text.get(..at)?);
    let (&open, rest_of_stack) = stack.split_last()?;
    let in_list = rest_of_stack
        .last()
        .is_some_and(|&l| text.as_bytes()[l] == b'[');
    if text.as_bytes()[open] != b'(' || !in_list {
        return None;
    }
    let word = text[..open]
        .trim_end()
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()?;
    if !is_declaration(word) {
        return None;
    }
    let line = line_of(text, open);
    let rest = &text[at..];
    let after_comma = rest.strip_prefix(',').map(str::trim_start);
    let (width, label, help) = if rest.starts_with(']') {
        (
            1,
            "the list ends here, with it still open".to_string(),
            format!("write `)` before `]` to close `{word}(`"),
        )
    } else if let Some(next) = after_comma {
        // `…,` then `,`: the first ends the last field, the second was the item's.
        let closes = next.starts_with(']') || declaration_opening(next).is_some();
        if !(closes && text[..at].trim_end().ends_with(',')) {
            return None;
        }
        (
            1,
            format!("a comma where the `)` of `{word}(` goes"),
            format!("write `)` before this comma to close `{word}(`"),
        )
    } else {
        let n = declaration_opening(rest)?;
        let next = &rest[..n];
        (
            n,
            format!("the next `{next}(` begins where its fields go on"),
            format!(
                "write `),` before this `{next}(`: `)` closes the one on line {line}, `,` \
                 separates the two"
            ),
        )
    };
    Some(
        Diagnostic::new(
            Code::Syntax,
            format!("`{word}(` opened on line {line} is not closed"),
            Location::Span(at..at + width),
        )
        .label(label)
        .help(help),
    )
}

/// Whether `word` is the name of a declaration of the file format (`Claim`, `Source`, …).
fn is_declaration(word: &str) -> bool {
    crate::format::DECLARATION_NAMES
        .iter()
        .any(|d| d.ron == word)
}

/// The length of the declaration's name `text` opens with, when `(` follows it (`Claim(`).
fn declaration_opening(text: &str) -> Option<usize> {
    let n = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    (is_declaration(&text[..n]) && text[n..].trim_start().starts_with('(')).then_some(n)
}

/// A comma missing between two fields or items: the parser stops on what follows, often on
/// the next line, and the reader looks there. The diagnostic points at the end of the value
/// the comma belongs after, passing over white space and line comments.
fn ron_missing_comma(text: &str, at: usize) -> Option<Diagnostic> {
    // What comes before `at`, without the comments between (read as the parser reads them:
    // a `//` inside a string, after an escaped quote, is no comment).
    let mut comments: Vec<(usize, usize)> = (lexemes(text.get(..at)?))
        .filter_map(|l| match l {
            Lexeme::Comment(from, to) => Some((from, to)),
            _ => None,
        })
        .collect();
    let mut before = text[..at].trim_end();
    while let Some(&(from, to)) = comments.last() {
        if from < before.len() && before.len() <= to {
            before = text[..from].trim_end();
        }
        if from >= before.len() {
            comments.pop();
        } else {
            break;
        }
    }
    let last = before.chars().next_back()?;
    // Only at a line's end, where the parser stops on the next line; a string that swallowed
    // what followed it is the fault there, not the comma.
    let line_end = text[before.len()..at].contains('\n');
    if !line_end
        || matches!(last, ',' | '(' | '[' | '{' | ':')
        || swallowing_string(text, at).is_some()
    {
        return None;
    }
    let end = before.len();
    let from = end - last.len_utf8();
    Some(
        Diagnostic::new(
            Code::Syntax,
            "syntax error: a comma is missing",
            Location::Span(from..end),
        )
        .label("write `,` after this")
        .help("a comma separates two fields, and two items of a list"),
    )
}

/// A quote inside a string's text (`wording: "the "Iranian" actor"`): the string ends there,
/// and the parser, expecting a comma, stops on the word glued to the quote.
fn ron_quote_in_string(text: &str, at: usize) -> Option<Diagnostic> {
    let quote = at
        .checked_sub(1)
        .filter(|&q| text.get(q..at) == Some("\""))?;
    let glued = text.get(at..)?.chars().next()?;
    // A field's name glued to the string (`"Iran"kind: State`) is a comma missing instead.
    let rest = &text[at..];
    let word = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    // A string run on past its line from an unclosed quote is the fault there instead.
    if !(glued.is_alphanumeric() || glued == '\'')
        || rest[word..].trim_start().starts_with(':')
        || swallowing_string(text, at).is_some()
    {
        return None;
    }
    Some(
        Diagnostic::new(
            Code::Syntax,
            "syntax error: a quote inside the text ends the string",
            Location::Span(quote..at),
        )
        .label("the string ends here")
        .help(
            "write a quote inside the text as `\\\"` (`\"the \\\"Iranian\\\" actor\"`), or use `'`",
        ),
    )
}

/// The line, counted from 1, of the byte at `at`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// The offset of the innermost `(`, `[` or `{` still open at the end of `text`, passing over
/// strings and comments ([`lexemes`]).
fn innermost_open(text: &str) -> Option<usize> {
    open_stack(text).pop()
}

/// The offsets of the `(`, `[` and `{` still open at the end of `text`, outermost first,
/// passing over strings and comments ([`lexemes`]).
fn open_stack(text: &str) -> Vec<usize> {
    let mut open = Vec::new();
    for l in lexemes(text) {
        match l {
            Lexeme::Open(i) => open.push(i),
            Lexeme::Close(_) => {
                open.pop();
            }
            Lexeme::Str(..) | Lexeme::Comment(..) => {}
        }
    }
    open
}

/// A RON name field (`reliability`, `kind`, `relation`, `confidence`) given a number or a
/// list where a bare name goes: the parser reads the number as a malformed name and suggests
/// a raw identifier (`r#2`), which is no help.
fn ron_name_expected(text: &str, at: usize) -> Option<Diagnostic> {
    let key = ron_key_before(text, at)?;
    let example = name_example(key, "", enclosing_declaration(text, at))?;
    let value = text.get(at..)?;
    let width = if value.starts_with('[') {
        1
    } else if value.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) {
        signed_word_len(value)
    } else {
        return None;
    };
    if value.starts_with('[') {
        return Some(listed_name(key, value, at, &example, ""));
    }
    // `-Moderate`, `+High`: a name with a sign, which only a number takes.
    let signed = value.strip_prefix(['-', '+']);
    if let Some(name) = signed.filter(|v| v.starts_with(char::is_alphabetic)) {
        let name = &name[..width - 1];
        return Some(
            Diagnostic::new(
                Code::BadValue,
                format!("`{key}` takes a name without a sign"),
                Location::Span(at..at + width),
            )
            .label(format!("a sign before `{name}`"))
            .help(format!("write {example} (docs/format.md lists them)")),
        );
    }
    Some(
        Diagnostic::new(
            Code::BadValue,
            format!("`{key}` takes a name, not a number"),
            Location::Span(at..at + width),
        )
        .label("a number, where a name goes")
        .help(format!("write {example} (docs/format.md lists them)")),
    )
}

/// The length in bytes of the number or signed name `value` starts with (`-0.5`, `+High`,
/// `-Modérate`): up to the first character that is no letter, digit, sign, `.` or `_`.
fn signed_word_len(value: &str) -> usize {
    value
        .find(|c: char| !(c.is_alphanumeric() || "+-._".contains(c)))
        .unwrap_or(value.len())
}

/// A field's name and its value with no colon between them (`likelihood Icd("likely")`),
/// the parser stopping at the value: the name before it is said, and where the colon goes.
fn ron_missing_colon(text: &str, at: usize) -> Option<Diagnostic> {
    let before = text.get(..at)?.trim_end();
    let after = text.get(at..)?;
    if after.trim_start().starts_with('=') {
        let eq = at + (after.len() - after.trim_start().len());
        return Some(
            Diagnostic::new(
                Code::Syntax,
                "syntax error: a field's value follows a `:`, not `=`",
                Location::Span(eq..eq + 1),
            )
            .label("`=` where `:` goes")
            .help("write `:` in its place, e.g. `source: \"nsc\"`"),
        );
    }
    // Past the last character that is no name's (which may be any character, of any width).
    let name_at = (before.char_indices().rev())
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let name = &before[name_at..];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let end = name_at + name.len();
    Some(
        Diagnostic::new(
            Code::Syntax,
            format!("syntax error: expected `:` after the field name `{name}`"),
            Location::Span(name_at..end),
        )
        .label("no `:` after this name")
        .help(format!(
            "put a `:` after `{name}`: a field is its name, a colon, then its value"
        )),
    )
}

/// The field name before the colon that precedes `at` in RON text, if any.
fn ron_key_before(text: &str, at: usize) -> Option<&str> {
    let before = text.get(..at)?.trim_end().strip_suffix(':')?.trim_end();
    // The identifier before the colon (split on characters: any may stand before it).
    Some(
        before
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or(before),
    )
}

/// The declaration serde's message says it expected ("expected struct ActorFile").
fn declaration_expected(message: &str) -> Option<&'static crate::format::DeclarationName> {
    let (_, rest) = message.split_once("expected struct ")?;
    let name = rest.split(' ').next()?;
    crate::format::DECLARATION_NAMES
        .iter()
        .find(|d| d.rust == name)
}

/// serde's message with Rust's names said as the file format says them ("expected f64" →
/// "expected a number", "expected struct ActorFile with 6 elements" → "expected an actor").
fn plain_types(message: &str) -> String {
    if let Some(crate::format::DeclarationName { words: what, .. }) = declaration_expected(message)
    {
        // serde reads a list as a declaration's fields in order, hence "invalid length".
        if message.starts_with("invalid length ") {
            return format!("a list where {what} goes");
        }
        if let Some((found, _)) = message
            .strip_prefix("invalid type: ")
            .and_then(|r| r.split_once(", expected "))
        {
            let found = match found {
                "sequence" => "a list",
                "map" => "an object",
                other => other,
            };
            return format!("{found} where {what} goes");
        }
        return format!("expected {what}");
    }
    if message == "invalid type: map, expected a sequence" {
        return "an object where a list goes".into();
    }
    if message == "invalid type: sequence, expected a string" {
        return "a list where a text goes".into();
    }
    let mut m = message.to_string();
    for (rust, plain) in [
        ("expected f64", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
    ] {
        if let Some(head) = m.strip_suffix(rust) {
            m = format!("{head}{plain}");
        }
    }
    m
}

/// What to write instead, for serde's "invalid type: …, expected …" on JSON: a `null` where a
/// list goes (what many tools write for none), a fraction where a whole number goes.
fn json_type_help(message: &str, key: Option<&str>) -> String {
    if let Some(crate::format::DeclarationName {
        words: what,
        json: example,
        ..
    }) = declaration_expected(message)
    {
        return format!("write {what} as an object: `{example}`");
    }
    if message == "invalid type: map, expected a sequence" {
        return "this field takes a list: write its elements in `[…]`".into();
    }
    let Some(rest) = message.strip_prefix("invalid type: ") else {
        return "compare with the field's description in docs/format.md".into();
    };
    let number_expected = [", expected f64", ", expected i64", ", expected u64"]
        .iter()
        .any(|e| rest.ends_with(e));
    if let Some(quoted) = rest
        .strip_prefix("string \"")
        .and_then(|r| r.rsplit_once("\", expected "))
        .map(|(s, _)| s)
        .filter(|s| number_expected && s.trim().parse::<f64>().is_ok())
    {
        format!(
            "a number goes here: write `{}`, without quotes",
            quoted.trim()
        )
    } else if rest.starts_with("string") && number_expected {
        "a number goes here, e.g. `0.5`, without quotes".into()
    } else if let Some(digits) = rest
        .strip_prefix("integer `")
        .and_then(|r| r.strip_suffix("`, expected a string"))
    {
        // A date written as a number (`20170630`, `2017`): text in quotes, with its dashes.
        let date = match digits.len() {
            8 => format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]),
            6 => format!("{}-{}", &digits[..4], &digits[4..]),
            _ => digits.to_string(),
        };
        let dated = matches!(key, Some("date" | "as_of" | "start" | "end"));
        if dated && crate::date::Date::parse(&date).is_ok() {
            format!("a date is text in quotes: write `\"{date}\"`")
        } else if let (Some("Icd" | "Phia"), Some(p)) = (key, percent(digits)) {
            number_for_term(p, true)
        } else {
            format!("text goes here, in quotes: write `\"{digits}\"`")
        }
    } else if let Some(one) = rest
        .strip_prefix("string \"")
        .and_then(|r| r.strip_suffix("\", expected a sequence"))
        .filter(|_| key.is_some_and(|k| TEXT_LISTS.contains(&k)))
    {
        // `"aliases": "VAJA"`: one text where a list of them goes.
        format!("this field takes a list: write `[\"{one}\"]`")
    } else if rest == "sequence, expected a string" {
        one_text_for_a_list(key, Syntax::Json, None)
    } else if rest.starts_with("null, expected a sequence") {
        "a list: write `[]` for none, or leave the field out".into()
    } else if rest.starts_with("null") {
        "this field needs a value (docs/format.md describes it)".into()
    } else if let Some(number) = rest
        .strip_prefix("floating point `")
        .and_then(|r| r.split_once("`, expected i64"))
        .and_then(|(n, _)| n.parse::<f64>().ok())
    {
        if number.fract() == 0.0 {
            format!("a whole number: write `{}`", number as i64)
        } else {
            "a whole number goes here, without a fraction".into()
        }
    } else {
        "compare with the field's description in docs/format.md".into()
    }
}

/// Where a JSON file read with serde_json into a `Value` (a STIX bundle, an alias table) went
/// wrong, and what to say of it: for a syntax error, the span of the character it stopped on
/// and the message, with [`json_slip`]'s reading of it (a comment, a trailing comma), its label
/// and its fix; for a data error (a key given twice), just past where it was read.
pub(crate) fn json_fault(text: &str, e: &serde_json::Error) -> JsonFault {
    let what = json_message(e);
    // serde_json reads at most 127 lists and objects inside each other: deeper is JSON
    // still, and no bundle or table needs it.
    if what == "recursion limit exceeded" {
        let at = json_after(text, e);
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        return JsonFault {
            at: at..end,
            message: "lists and objects nested more than 127 deep, more than attrib reads".into(),
            label: "the 128th",
            help: Some(
                "flatten or remove the value this is in: attrib keeps no property nested more \
                 than 32 levels deep, and reads none past 127",
            ),
        };
    }
    let slip = e
        .is_syntax()
        .then(|| json_slip(text, json_stop(text, e), &what))
        .flatten();
    match slip {
        Some(slip) => JsonFault {
            at: slip.at,
            message: format!("not JSON: {}", slip.message),
            label: slip.label,
            // These files are JSON only: RON, which takes comments, is no way out for them.
            help: Some(if slip.comment {
                "remove it: a bundle or a table is read as JSON only"
            } else {
                slip.fix
            }),
        },
        None => {
            let at = json_after(text, e);
            let message = if e.is_data() {
                what
            } else {
                format!("not JSON: {what}")
            };
            JsonFault {
                at: at..at,
                message,
                label: "here",
                help: None,
            }
        }
    }
}

/// A fault of a JSON file that is not a case, as [`json_fault`] reads it.
pub(crate) struct JsonFault {
    pub(crate) at: std::ops::Range<usize>,
    pub(crate) message: String,
    pub(crate) label: &'static str,
    pub(crate) help: Option<&'static str>,
}

impl JsonFault {
    /// As a diagnostic drawn on the file's text.
    pub(crate) fn diagnostic(self) -> Diagnostic {
        let d =
            Diagnostic::new(Code::Syntax, self.message, Location::Span(self.at)).label(self.label);
        match self.help {
            Some(help) => d.help(help),
            None => d,
        }
    }
}

/// serde_json's message without the position it appends (" at line 3 column 7").
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    full.rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string()
}

/// The first offset at or after `at` that is not white space.
fn after_space(text: &str, at: usize) -> usize {
    text.get(at..)
        .map_or(at, |t| at + (t.len() - t.trim_start().len()))
}

/// A JSON syntax slip that serde_json names tersely, or where it noticed it rather than where it
/// is, said plainly and placed on the slip itself: for cases and bundles alike.
pub(crate) struct JsonSlip {
    pub(crate) at: std::ops::Range<usize>,
    pub(crate) message: String,
    pub(crate) label: &'static str,
    pub(crate) fix: &'static str,
    /// A comment, whose fix for a case (write it in RON) is none for a file read as JSON only.
    pub(crate) comment: bool,
}

impl JsonSlip {
    fn new(
        at: std::ops::Range<usize>,
        message: impl Into<String>,
        label: &'static str,
        fix: &'static str,
    ) -> JsonSlip {
        JsonSlip {
            at,
            message: message.into(),
            label,
            fix,
            comment: false,
        }
    }
}

/// Where serde_json stopped on a syntax error (`at`, the byte span of the character it stopped
/// on, and its `message`):
/// - a comment or a single-quoted string there (after white space) is named as such, whatever
///   serde_json said ("key must be a string", a column early);
/// - "trailing comma" is noticed at the `]` or `}` after the comma, often a line below it: the
///   comma is shown;
/// - "lone leading surrogate in hex escape" (said of a second half with no first) and
///   "unexpected end of hex escape" (a first half with no second) stop inside or after the
///   escape: the escape is shown, and what it is half of.
///
/// `None` for every other error, which keeps serde_json's message and place.
pub(crate) fn json_slip(text: &str, at: std::ops::Range<usize>, message: &str) -> Option<JsonSlip> {
    if let Some(slip) = foreign(text, after_space(text, at.start)) {
        return Some(slip);
    }
    match message {
        "trailing comma" => {
            // serde_json stops on the comma itself when the bracket follows it directly, past
            // it (on the space or the bracket) otherwise.
            let upto = text.get(..at.end)?.trim_end();
            let before = upto.strip_suffix([']', '}']).unwrap_or(upto).trim_end();
            before.ends_with(',').then(|| {
                JsonSlip::new(
                    before.len() - 1..before.len(),
                    "a comma after the last element",
                    "this comma",
                    "JSON allows no comma before a closing `]` or `}`: remove it",
                )
            })
        }
        "lone leading surrogate in hex escape" | "unexpected end of hex escape" => {
            // The surrogate escapes that begin at or before the stop, nearest first (serde_json
            // stops inside the escape or just after it).
            let base = floor_char_boundary(text, at.start.saturating_sub(16));
            let near = &text[base..floor_char_boundary(text, at.start + 6)];
            let (offset, unit) = near
                .rmatch_indices("\\u")
                .filter(|&(i, _)| base + i <= at.start)
                .filter_map(|(i, _)| {
                    let hex = near.get(i + 2..i + 6)?;
                    let unit = u16::from_str_radix(hex, 16).ok()?;
                    (0xD800..=0xDFFF)
                        .contains(&unit)
                        .then_some((base + i, unit))
                })
                .next()?;
            let half = if unit < 0xDC00 {
                "the first, and no second half (`\\udc00` to `\\udfff`) follows it"
            } else {
                "the second, and no first half (`\\ud800` to `\\udbff`) comes before it"
            };
            Some(JsonSlip::new(
                offset..offset + 6,
                format!(
                    "`{}` is half of a UTF-16 surrogate pair, {half}",
                    &text[offset..offset + 6]
                ),
                "half a character",
                "write the character itself, or both halves of its escape (`\\ud83d\\ude00` for 😀); a half alone is no character",
            ))
        }
        // serde_json's words for a bare word JSON does not know: "expected ident" for one that
        // begins as `true`, `false` or `null` does (`nul`: it stops inside or past the word),
        // "expected value" for any other (`True`, `None`, an unquoted name: it stops on the
        // character before the word).
        "expected ident" => unknown_json_word(text, at.start),
        "expected value" => unknown_json_word(text, after_space(text, at.end)),
        _ => None,
    }
}

/// The bare word around `at` (letters, digits and `_`, from a letter on), said as no JSON
/// value with the word it may have meant.
fn unknown_json_word(text: &str, at: usize) -> Option<JsonSlip> {
    // Letters of any script, so that `trüe` is named whole, not as `tr`.
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    let at = floor_char_boundary(text, at);
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| word_char(c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[at..]
        .find(|c: char| !word_char(c))
        .map_or(text.len(), |i| at + i);
    let word = &text[start..end];
    // A word that begins the file says the file is no JSON, not that a value is misspelled.
    if !word.starts_with(|c: char| c.is_alphabetic()) || text[..start].trim().is_empty() {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    const WORDS: [&str; 3] = ["true", "false", "null"];
    let meant = match lower.as_str() {
        "none" | "nil" | "undefined" => Some("null"),
        w => suggest(w, WORDS.into_iter()),
    };
    let message = match meant {
        Some(m) if m == lower => format!("`{word}` is not a JSON value: JSON writes it `{m}`"),
        Some(m) => format!("`{word}` is not a JSON value; did you mean `{m}`?"),
        None => format!("`{word}` is not a JSON value; text goes in double quotes (`\"{word}\"`)"),
    };
    Some(JsonSlip::new(
        start..end,
        message,
        "not a value",
        "JSON's only bare words are `true`, `false` and `null`, in lower case; text goes in double quotes",
    ))
}

/// Text JSON cannot hold, at `at`: a comment or a single-quoted string, which hand-written JSON
/// often has.
fn foreign(text: &str, at: usize) -> Option<JsonSlip> {
    let rest = text.get(at..).unwrap_or_default();
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    if rest.starts_with("//") || rest.starts_with("/*") {
        let len = match rest.strip_prefix("/*").and_then(|r| r.find("*/")) {
            Some(end) if end + 4 <= line.len() => end + 4,
            _ => line.trim_end().len(),
        };
        return Some(JsonSlip {
            comment: true,
            ..JsonSlip::new(at..at + len, JSON_COMMENT.0, "a comment", JSON_COMMENT.1)
        });
    }
    rest.starts_with('\'').then(|| {
        let len = line[1..].find('\'').map_or(1, |end| end + 2);
        JsonSlip::new(
            at..at + len,
            "a string in single quotes: JSON takes double quotes",
            "single quotes",
            "write it in double quotes, `\"…\"`",
        )
    })
}

/// Whether the value at `at` (or the object or list it is the inside of) is a `likelihood`'s.
fn likelihood_value(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or_default().trim_end();
    let opened = before.strip_suffix(['{', '[']).map(|b| b.len());
    [Some(at), opened]
        .into_iter()
        .flatten()
        .any(|v| json_key_before(text, v) == Some("likelihood"))
}

/// The names serde lists after "expected" in an unknown field's or variant's message
/// ("expected `A`", "expected `A` or `B`", "expected one of `A`, `B`, …"): its quoted parts.
fn expected_names(message: &str) -> Vec<&str> {
    message
        .split_once("expected ")
        .map(|(_, a)| a.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default()
}

/// serde_json's "unknown variant `X`, expected …" (`rest`: what follows its first backtick), as
/// RON's is reported: the quoted value underlined where it ends at `after`, the allowed values
/// and the nearest of them.
fn json_unknown_variant(text: &str, rest: &str, after: usize, at: Location) -> Diagnostic {
    let found = rest.split('`').next().unwrap_or_default();
    let allowed = expected_names(rest);
    // serde_json stops on or just past the value's closing quote: the value, quoted, ends
    // there.
    let quoted = format!("\"{found}\"");
    let value = [after + 1, after]
        .into_iter()
        .find(|&end| text.get(..end).is_some_and(|t| t.ends_with(&quoted)))
        .map(|end| end - quoted.len()..end);
    // Which field it is the value of, as RON's message names the value's type.
    let key = value.as_ref().and_then(|v| json_key_before(text, v.start));
    let field = key.map(|k| format!(" for `{k}`")).unwrap_or_default();
    let at = value.map_or(at, Location::Span);
    // A likelihood given as its bare words: the object that names their scale.
    if key == Some("likelihood") {
        let scale = if crate::terms::IcdTerm::parse(found).is_some() {
            Some("Icd")
        } else if crate::terms::phia_probability(found).is_some() {
            Some("Phia")
        } else {
            None
        };
        if let Some(scale) = scale {
            let words = crate::escape::json::to_string(found);
            return Diagnostic::new(
                Code::BadValue,
                "a likelihood is an object that names its scale",
                at,
            )
            .label("words without their scale")
            .help(format!("write `{{\"{scale}\": {words}}}`"));
        }
    }
    let d = Diagnostic::new(
        Code::BadValue,
        format!("`{found}` is not a valid value{field}"),
        at,
    )
    .label("unknown variant")
    .note(format!("allowed values: {}", allowed.join(", ")));
    match crate::diagnostic::suggest_value(found, &allowed) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => other_section_kind(d, key, found),
    }
}

/// The names of the variants of the unit enum `T` (the kinds of actor or of group), as serde
/// knows them: read off the error a name none of them has gives, so that a kind added to the
/// format is known here too.
fn variants<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    match ron::from_str::<T>("NoVariantIsNamedSo") {
        Err(ron::error::SpannedError {
            code: ron::Error::NoSuchEnumVariant { expected, .. },
            ..
        }) => expected,
        _ => &[],
    }
}

/// The kinds of group and of actor, as written: a kind of the one given to the other (an
/// intrusion set declared as an actor) is a declaration in the wrong section.
fn group_kinds() -> &'static [&'static str] {
    variants::<crate::format::GroupKind>()
}

fn actor_kinds() -> &'static [&'static str] {
    variants::<crate::format::ActorKind>()
}

/// The help for a value of `field` that is no allowed one: where `field` is `kind` and the
/// value a kind of the other section's declarations (`IntrusionSet` on an actor, `State` on a
/// group), where to declare it; else to use an allowed value.
fn other_section_kind(d: Diagnostic, field: Option<&str>, found: &str) -> Diagnostic {
    let plain = |k: &str| -> String {
        (k.chars().filter(|c| c.is_alphanumeric()))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let is = |kinds: &[&'static str]| -> Option<&'static str> {
        kinds.iter().copied().find(|k| plain(k) == plain(found))
    };
    // "Denies", "Denial", "Rejects", "NotResponsible": a relation for a denial, which the
    // format writes as the claim it denies, held unlikely.
    let denial = [
        "deni",
        "deny",
        "reject",
        "refut",
        "notresponsible",
        "disput",
    ];
    if field == Some("relation") && denial.iter().any(|w| plain(found).contains(w)) {
        return d.help_in(
            "a denial is the claim it denies, held unlikely: `relation: ConductedBy` (or \
             `AttributedTo`) with `likelihood: Icd(\"almost no chance\")` (docs/format.md)",
            "a denial is the claim it denies, held unlikely: `\"relation\": \"ConductedBy\"` \
             (or `\"AttributedTo\"`) with `\"likelihood\": {\"Icd\": \"almost no chance\"}` \
             (docs/format.md)",
        );
    }
    if field == Some("reliability")
        && let Some((ron, json)) = admiralty_help(found)
    {
        return d.help_in(ron, json);
    }
    if field != Some("kind") {
        return d.help("use one of the allowed values");
    }
    if let Some(kind) = is(group_kinds()) {
        d.help_in(
            format!(
                "`{kind}` is a kind of group: declare it under `groups:` as `Group(id: …, \
                 name: …, kind: {kind})`, and tie it to an actor by a claim (`SubordinateOf`, \
                 `SponsoredBy`, `OperatedBy`)"
            ),
            format!(
                "`{kind}` is a kind of group: declare it in the `\"groups\"` list with \
                 `\"kind\": \"{kind}\"`, and tie it to an actor by a claim (`SubordinateOf`, \
                 `SponsoredBy`, `OperatedBy`)"
            ),
        )
    } else if let Some(kind) = is(actor_kinds()) {
        d.help_in(
            format!(
                "`{kind}` is a kind of actor: declare it under `actors:` as `Actor(id: …, \
                 name: …, kind: {kind})`"
            ),
            format!(
                "`{kind}` is a kind of actor: declare it in the `\"actors\"` list with \
                 `\"kind\": \"{kind}\"`"
            ),
        )
    } else {
        d.help("use one of the allowed values")
    }
}

/// The help for a reliability written as the Admiralty code's two grades together (`C3`, as
/// intelligence reports grade a report): the letter grades the source, the digit the
/// information, which the format takes on each claim: the help in RON and in JSON. `None`
/// for anything else.
fn admiralty_help(found: &str) -> Option<(String, String)> {
    let [letter, digit] = found.as_bytes() else {
        return None;
    };
    let letter = char::from(*letter).to_ascii_uppercase();
    let digit = char::from(*digit);
    if !('A'..='F').contains(&letter) || !('1'..='6').contains(&digit) {
        return None;
    }
    // 6, "truth cannot be judged", forms no likelihood: such a claim weighs nothing.
    let weighs = if digit == '6' {
        " (6, cannot be judged, forms no likelihood: the claim is reported and weighs nothing)"
    } else {
        ""
    };
    Some((
        format!(
            "`{found}` grades the source and the information together: the source's \
                 reliability is the letter (`reliability: {letter}`), and the information's \
                 credibility goes on each claim it grades, as `likelihood: \
                 Admiralty({digit})`{weighs}"
        ),
        format!(
            "`{found}` grades the source and the information together: the source's \
                 reliability is the letter (`\"reliability\": \"{letter}\"`), and the \
                 information's credibility goes on each claim it grades, as \
                 `\"likelihood\": {{\"Admiralty\": {digit}}}`{weighs}"
        ),
    ))
}

/// The key of the JSON member whose value starts at `value` (`"key": value`), when the value
/// is a member's and the key is a plain name (not escaped).
fn json_key_before(text: &str, value: usize) -> Option<&str> {
    let before = text.get(..value)?.trim_end();
    let before = before.strip_suffix(':')?.trim_end();
    let before = before.strip_suffix('"')?;
    let start = before.rfind('"')?;
    let key = &before[start + 1..];
    (!key.is_empty() && !key.contains('\\') && !before[..start].ends_with('\\')).then_some(key)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Converts a 1-based line and a 1-based column counted in bytes (as serde_json reports them)
/// to a byte offset on a character boundary.
fn byte_offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within = column.saturating_sub(1).min(l.trim_end_matches('\n').len());
            return floor_char_boundary(text, offset + within);
        }
        offset += l.len();
    }
    text.len()
}

/// The largest character boundary at or before `at`.
pub(crate) fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// serde_json places data errors after the offending token; point at the quoted key instead.
fn json_key_span(text: &str, before: usize, key: &str) -> Option<Location> {
    let quoted = format!("\"{key}\"");
    let start = text[..floor_char_boundary(text, before)].rfind(&quoted)?;
    Some(Location::Span(start..start + quoted.len()))
}

#[cfg(test)]
mod tests {
    use super::first_text_of_list;
    use super::unclosed_block_comment as open;

    /// The example of a list where one text goes is the list's own first text when it is a
    /// plain one, and none otherwise (an escape, an empty text, no text first).
    #[test]
    fn a_list_gives_its_first_text_as_the_example() {
        assert_eq!(first_text_of_list(r#"["dprk", "lazarus"])"#), Some("dprk"));
        assert_eq!(first_text_of_list(r#"  [ "a-b" ]"#), Some("a-b"));
        assert_eq!(first_text_of_list(r#"["a\"b"]"#), None);
        assert_eq!(first_text_of_list(r#"["", "x"]"#), None);
        assert_eq!(first_text_of_list(r#"[Foo("x")]"#), None);
        assert_eq!(first_text_of_list(r#""x""#), None);
        assert_eq!(first_text_of_list(r#"["unclosed"#), None);
    }

    /// A comment still open at the end is found at its opening, past strings (raw ones too,
    /// which may hold `/*`), line comments and comments nested and closed; none is found
    /// when every one closes.
    #[test]
    fn an_unclosed_comment_is_found_where_it_opens() {
        assert_eq!(open("a /* b"), Some(2));
        assert_eq!(open("a /* b /* c */ d"), Some(2));
        assert_eq!(open("a /* b /* c */ d */ e"), None);
        assert_eq!(open(r#"x: "/* in a string", y /* z"#), Some(23));
        assert_eq!(open(r#"x: "a \" /* still text", /* z"#), Some(25));
        assert_eq!(open(r##"x: r#"/* "raw" */ /*"#, y"##), None);
        assert_eq!(open("// a /* b\nc"), None);
        assert_eq!(open("bar\"/*"), None);
    }

    /// The first diagnostic on RON `text`, and the text it underlines.
    fn first_fault(text: &str) -> (crate::diagnostic::Diagnostic, String) {
        let Err(mut diagnostics) = super::load(text, crate::format::Syntax::Ron) else {
            panic!("{text} loads");
        };
        let d = diagnostics.swap_remove(0);
        let crate::diagnostic::Location::Span(span) = &d.at else {
            panic!("{d:?} has no span");
        };
        let under = text[span.clone()].to_string();
        (d, under)
    }

    /// The first diagnostic on a claim whose `field` is written `value`: its message, the
    /// text it underlines, its label and help.
    fn on_claim(field: &str, value: &str) -> (String, String, String, String) {
        let text = format!(
            "Case(title: \"t\", claims: [Claim(id: \"c1\", source: \"s\", subject: \"a\", \
             relation: ConductedBy, object: \"b\", {field}: {value}, wording: \"w\")])"
        );
        let (d, under) = first_fault(&text);
        (d.message, under, d.label, d.help.unwrap_or_default())
    }

    /// A quoted number is underlined to its closing quote, and one left unclosed by its quote
    /// alone, not on to the next quote in the file, lines below.
    #[test]
    fn a_quoted_number_is_underlined_on_its_line() {
        let underlined = |prior: &str| {
            let text = format!(
                "Case(title: \"t\", hypotheses: [\n  Hypothesis(incident: \"i\", actor: \"a\", \
                 prior: {prior}),\n  Hypothesis(incident: \"i\", actor: \"b\", prior: 0.5),\n])"
            );
            first_fault(&text).1
        };
        assert_eq!(underlined("\"0.5\""), "\"0.5\"");
        assert_eq!(underlined("\"0.5"), "\"");
    }

    /// The kinds each section's declarations take are the enums' own (what serde lists).
    #[test]
    fn the_kinds_of_each_section_are_the_formats() {
        for &kind in super::group_kinds() {
            let parsed: Result<crate::format::GroupKind, _> = ron::from_str(kind);
            assert!(parsed.is_ok(), "{kind}");
        }
        for &kind in super::actor_kinds() {
            let parsed: Result<crate::format::ActorKind, _> = ron::from_str(kind);
            assert!(parsed.is_ok(), "{kind}");
        }
    }

    /// A signed name (`+High`, `-Modérate`) is said to be one, underlined whole, letters
    /// outside ASCII included; a signed number where a name or a likelihood goes is a number,
    /// and a likelihood's advice drops the `+` (RON takes none before a number).
    #[test]
    fn a_signed_name_or_number_is_said_as_what_it_is() {
        let (message, under, label, _) = on_claim("confidence", "+High");
        assert_eq!(message, "`confidence` takes a name without a sign");
        assert_eq!(
            (under.as_str(), label.as_str()),
            ("+High", "a sign before `High`")
        );
        let (_, under, label, _) = on_claim("confidence", "-Modérate");
        assert_eq!(
            (under.as_str(), label.as_str()),
            ("-Modérate", "a sign before `Modérate`")
        );
        let (message, under, ..) = on_claim("confidence", "+0.5");
        assert_eq!(message, "`confidence` takes a name, not a number");
        assert_eq!(under, "+0.5");
        let (message, under, _, help) = on_claim("likelihood", "+0.8");
        assert_eq!(message, "a likelihood names its scale");
        assert_eq!(
            (under.as_str(), help.as_str()),
            ("+0.8", "write `Probability(0.8)`")
        );
    }
}
