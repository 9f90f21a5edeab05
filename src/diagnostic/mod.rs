//! Problems found in an evidence file, and how they are shown.
//!
//! Every problem has a stable code (documented in `docs/format.md`, never reused), a message,
//! the place it points at and a help line that says what to change. The validator names places
//! by path ([`Location::Path`]); [`render`] turns paths into line and column with
//! the crate's `locate` module and draws the source line with a caret through `codespan-reporting`.

mod excerpt;
pub mod json;
pub mod sarif;

use crate::escape::terminal;
use crate::locate::Locations;
use codespan_reporting::diagnostic::{self as cs, Label};
use codespan_reporting::term;
use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
/// Whether a diagnostic stops the case from loading.
pub enum Severity {
    /// The case cannot be used: no model is produced.
    Error,
    /// Suspicious but legal: the case loads.
    Warning,
}

/// The codes, each with its number and what it means, written once: the enum, its numbers,
/// the list of them all and each one's summary (the variant's doc comment) come from this
/// table.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal,)+) => {
        /// Stable diagnostic codes. The numbers are part of the interface: scripts and docs
        /// refer to them, so a code is never renumbered or reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every code, in order: the corpus test checks that each is exercised.
            pub const ALL: &[Code] = &[$(Code::$variant),+];

            /// The stable code as printed, e.g. `E003`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            /// What the code means, in a sentence (its doc comment, on one line): the
            /// description of its rule in SARIF.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),+).trim_ascii_start(),)+
                }
            }
        }
    };
}

codes! {
    /// The file could not be read.
    Unreadable = "E001",
    /// The file is empty or only white space and comments.
    Empty = "E002",
    /// The file is binary or not UTF-8.
    NotText = "E003",
    /// RON or JSON syntax error.
    Syntax = "E010",
    /// A field the schema does not have.
    UnknownField = "E011",
    /// A required field is absent.
    MissingField = "E012",
    /// A value of the wrong type or an unknown variant.
    BadValue = "E013",
    /// Two declarations with one id.
    DuplicateId = "E020",
    /// A name that matches no entity, incident or claim.
    UnknownName = "E021",
    /// A name that matches two entities.
    AmbiguousName = "E022",
    /// A claim by a source that is not declared.
    UnknownSource = "E023",
    /// A relation between the wrong kinds of thing.
    WrongKind = "E024",
    /// A date that is malformed or does not exist.
    BadDate = "E025",
    /// A probability or number outside its range, NaN or infinite.
    BadNumber = "E026",
    /// A likelihood term not in the scale named.
    UnknownTerm = "E027",
    /// Something that refers to itself.
    SelfReference = "E028",
    /// A claim that, through `derived_from`, restates itself.
    EchoCycle = "E029",
    /// A cycle in part-of / subordinate-of / operated-by / sponsored-by.
    LinkCycle = "E030",
    /// A value needed by this kind of declaration is missing.
    MissingValue = "E031",
    /// Fields that exclude each other.
    Conflicting = "E032",
    /// A claim dated after the case's `as_of`.
    AfterAsOf = "E033",
    /// An exclusive set holding an actor and one of its declared wholes.
    ExclusiveWithWhole = "E034",
    /// A chain of part-of / subordinate-of / operated-by / sponsored-by links longer than
    /// attrib follows.
    DeepChain = "E035",
    /// An incident's exclusive sets holding more actors than attrib weighs against each other.
    TooManyExclusive = "E036",
    /// An actor with more wholes above it, through links and `part_of`, than attrib follows.
    TooManyWholes = "E037",
    /// A claim without its verbatim wording.
    NoWording = "W101",
    /// A claim without a URL.
    NoUrl = "W102",
    /// A source whose reliability cannot be judged (F).
    UngradedSource = "W103",
    /// An entity or incident that nothing refers to.
    Unreferenced = "W104",
    /// A source that made no claim.
    SilentSource = "W105",
    /// A claim whose partial date may fall after the case's `as_of`.
    MaybeAfterAsOf = "W106",
    /// An exclusive set holding an actor and a whole it is linked to by claims only.
    ExclusiveWithLinkedWhole = "W107",
    /// A claim that restates another (`derived_from`) but says something else.
    RestatesOther = "W108",
    /// A claim on an incident dated before the incident began.
    BeforeIncident = "W109",
    /// A `url` that no report makes a link (not `http`, `https` or `mailto`).
    NotLinkable = "W110",
    /// A claim in PHIA "realistic possibility", read as slight doubt of what it states.
    HedgeAgainst = "W111",
    /// A claim dated before a claim it restates.
    RestatesLater = "W112",
    /// A prior of 0 or 1: certain before any evidence.
    CertainPrior = "W113",
    /// An exclusive set whose members' priors add up to more than 1.
    ExclusivePriors = "W114",
    /// A family of one source spelt almost as another family.
    LoneFamily = "W115",
    /// A claim that restates another but takes the other side of even chance.
    RestatesOpposite = "W116",
    /// Two names that look the same, spelt with letters of other scripts.
    Lookalike = "W117",
    /// A condemnation given a likelihood, which it has nothing to be likely of.
    CondemnsLikelihood = "W118",
    /// A link or `part_of` from an actor up to what it stands above (a unit operated by the
    /// group it runs, a state part of its agency).
    UpsideDown = "W119",
    /// A STIX record (the `stix` section) that names nothing in the case, or holds what a
    /// STIX 2.1 bundle cannot carry.
    StixRecord = "W120",
    /// A declared part with a higher prior than its whole on an incident.
    PartPrior = "W121",
    /// A source without a family whose id is the name of other sources' family: it joins it.
    FamilyOfItsId = "W122",
    /// An `OperatedBy` claim whose wording names one actor by the other's name ("Unit 74455,
    /// known as Sandworm"): the two are one actor, which a link between them misstates.
    NamedAsLink = "W123",
}

impl Code {
    /// Error or warning; fixed per code.
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The whole file.
    File,
    /// A value named by its path in the file (`claims[3].source`).
    Path(String),
    /// A byte range of the text.
    Span(Range<usize>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// One problem found in a case, with its stable code and where it is.
pub struct Diagnostic {
    /// The stable code (documented in docs/format.md).
    pub code: Code,
    /// What is wrong, in one line.
    pub message: String,
    /// Where: a path into the file (resolved to a span when rendered) or a span.
    pub at: Location,
    /// Short text under the caret.
    pub label: String,
    /// What to change.
    pub help: Option<String>,
    /// What to change, written for a JSON file where `help` shows RON (`reliability: B`
    /// there, `"reliability": "B"` here).
    pub help_json: Option<String>,
    /// Further context (the members of a cycle, allowed fields).
    pub notes: Vec<String>,
    /// Other places worth showing (where a duplicate was first declared).
    pub related: Vec<(Location, String)>,
}

impl Diagnostic {
    /// A diagnostic at a location.
    pub fn new(code: Code, message: impl Into<String>, at: Location) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            at,
            label: String::new(),
            help: None,
            help_json: None,
            notes: Vec::new(),
            related: Vec::new(),
        }
    }

    /// A diagnostic at a path into the file (`claims[3].source`).
    pub fn at_path(code: Code, message: impl Into<String>, path: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, message, Location::Path(path.into()))
    }

    /// The text under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    /// How to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// How to fix it, in a RON file and in a JSON one, when the fix quotes the file's syntax.
    pub fn help_in(mut self, ron: impl Into<String>, json: impl Into<String>) -> Diagnostic {
        self.help = Some(ron.into());
        self.help_json = Some(json.into());
        self
    }

    /// A further remark.
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// A second place that explains the first (where a duplicate was first declared).
    pub fn related(mut self, at: Location, label: impl Into<String>) -> Diagnostic {
        self.related.push((at, label.into()));
        self
    }

    /// Error or warning, from the code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Whether it stops the case from loading.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The 1-based line and column (in characters) it points at in `text`, the case it was
    /// found in (as given to [`crate::load()`], a byte order mark and all): `None` for the whole
    /// file. For many diagnostics of one large text, [`positions`] finds every path's in one
    /// scan.
    pub fn line_and_column(&self, text: &str) -> Option<(usize, usize)> {
        // Spans count from after the mark, which the loader skips.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        match &self.at {
            Location::File => None,
            Location::Span(span) => Some(line_and_column(text, span.start)),
            Location::Path(path) => positions(text, &[path.as_str()]).pop().flatten(),
        }
    }
}

/// One line, as the first line of [`render`]'s report: `error[E021]: unknown actor `irn``,
/// without the place (a path or a span, which needs the text to be shown as a line and column)
/// or the help. For logs and for `?` into an error type of the caller's; the message's
/// invisible characters are written as they are (see [`crate::escape`] for a terminal).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = severity_word(self.severity());
        write!(f, "{severity}[{}]: {}", self.code, self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Renders diagnostics for one file, in order, with source snippets. Colour is for terminals
/// only; the caller decides.
///
/// The file is untrusted: every piece of it that is shown — the excerpt, and the names quoted in
/// messages — passes through [`crate::escape::terminal`], and a long line (a minified JSON
/// case is one line of gigabytes) is cut to a window around the caret (the `excerpt` module).
pub fn render(diagnostics: &[Diagnostic], file_name: &str, text: &str, colour: bool) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let mut found = spans(text, &locations_of(diagnostics)).into_iter();
    let file_name = terminal::text(file_name);
    let json = crate::format::Syntax::sniff(text.as_bytes()) == crate::format::Syntax::Json;
    let config = term::Config::default();
    let mut out = Vec::new();
    // Each diagnostic with its span and its related places' (in `locations_of`'s order).
    let mut next = || found.next().expect("a span for each location");
    type Spanned<'d> = (
        Option<Range<usize>>,
        Vec<(Range<usize>, &'d str)>,
        &'d Diagnostic,
    );
    let mut ordered: Vec<Spanned<'_>> = (diagnostics.iter())
        .map(|d| {
            let span = next();
            let related = (d.related.iter())
                .filter_map(|(_, label)| Some((next()?, label.as_str())))
                .collect();
            (span, related, d)
        })
        .collect();
    // Show problems in file order, whole-file problems first; equal places keep their order.
    ordered.sort_by_key(|(span, _, _)| span.as_ref().map(|s| s.start));
    let lines = excerpt::LineIndex::new(
        text,
        (ordered.iter())
            .flat_map(|(span, related, _)| span.iter().chain(related.iter().map(|(s, _)| s)))
            .flat_map(|s| [s.start, s.end]),
    );
    for (span, related, d) in ordered {
        let mut notes = Vec::new();
        let mut spans = Vec::new();
        match span {
            Some(span) => {
                spans.push((span, terminal::text(&d.label).into_owned()));
                for (span, label) in related {
                    spans.push((span, terminal::text(label).into_owned()));
                }
            }
            None => notes.push(format!("in {file_name}")),
        }
        let shown = excerpt::Excerpt::new(&file_name, text, &lines, &spans);
        let cd = codespan_diagnostic(d, &shown.labels, notes, json);
        let result = if colour {
            let mut writer = term::termcolor::Ansi::new(&mut out);
            term::emit_to_write_style(&mut writer, &config, &shown, &cd)
        } else {
            term::emit_to_io_write(&mut out, &config, &shown, &cd)
        };
        if result.is_err() {
            // Rendering into memory only fails on an inconsistent span; say it plainly.
            out.extend_from_slice(plainly(d, &file_name).as_bytes());
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A diagnostic on one line, without its excerpt.
fn plainly(d: &Diagnostic, file_name: &str) -> String {
    format!(
        "{}[{}]: {} ({file_name})\n",
        severity_word(d.severity()),
        d.code,
        terminal::text(&short_quotes(&d.message))
    )
}

/// Longest a quoted value (`` `…` ``) is shown in a message: a name or id may be a megabyte
/// long, and a headline that repeats it whole buries the excerpt that says where it is.
const QUOTED_SHOWN: usize = 80;

/// `text` with each quoted value longer than [`QUOTED_SHOWN`] characters cut to its beginning,
/// followed by how long it is.
fn short_quotes(text: &str) -> std::borrow::Cow<'_, str> {
    let long = |q: &str| q.chars().nth(QUOTED_SHOWN).is_some();
    if !text.split('`').skip(1).step_by(2).any(long) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(1024));
    for (i, piece) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && long(piece) {
            let head: String = piece.chars().take(QUOTED_SHOWN - 20).collect();
            let n = piece.chars().count();
            out.push_str(&format!("{head}… ({n} characters)"));
        } else {
            out.push_str(piece);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A diagnostic as codespan-reporting draws it: `labels` in the excerpt's coordinates (the
/// primary first), then `notes` followed by the diagnostic's own notes and its help, escaped.
fn codespan_diagnostic(
    d: &Diagnostic,
    labels: &[(Range<usize>, String)],
    mut notes: Vec<String>,
    json: bool,
) -> cs::Diagnostic<()> {
    let labels: Vec<Label<()>> = labels
        .iter()
        .enumerate()
        .map(|(i, (range, message))| {
            let message = short_quotes(message).into_owned();
            if i == 0 {
                Label::primary((), range.clone()).with_message(message)
            } else {
                Label::secondary((), range.clone()).with_message(message)
            }
        })
        .collect();
    notes.extend((d.notes.iter()).map(|n| terminal::block(&short_quotes(n)).into_owned()));
    let help = if json { d.help_json.as_ref() } else { None };
    if let Some(help) = help.or(d.help.as_ref()) {
        notes.push(format!("help: {}", terminal::block(&short_quotes(help))));
    }
    match d.severity() {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    }
    .with_code(d.code.as_str())
    .with_message(terminal::text(&short_quotes(&d.message)))
    .with_labels(labels)
    .with_notes(notes)
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn clamp_to_char_boundaries(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The 1-based line and 1-based column, counted in characters, of the byte offset `at`: the
/// inverse of [`offset_of`], for a message that names a place without a snippet.
pub fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..crate::load::floor_char_boundary(text, at.min(text.len()))];
    let start = before.rfind('\n').map_or(0, |n| n + 1);
    (
        before.matches('\n').count() + 1,
        before[start..].chars().count() + 1,
    )
}

/// The 1-based line and column ([`line_and_column`]) of the value at each of `paths`
/// (`objects[3].id`) in `text` (JSON or RON), or of its nearest enclosing value; `None` only
/// when the text holds no value at all. One scan of the text for every path, and one walk of
/// it for every position, however many there are ([`line_and_column`] would walk it once
/// each).
pub fn positions(text: &str, paths: &[&str]) -> Vec<Option<(usize, usize)>> {
    let locations = crate::locate::Locations::scan_for(text, paths.iter().copied());
    let starts: Vec<Option<usize>> = (paths.iter())
        .map(|p| Some(locations.find(p)?.start))
        .collect();
    let found = line_columns(text, starts.iter().flatten().copied());
    let mut found = found.into_iter();
    starts
        .iter()
        .map(|s| s.and_then(|_| found.next()))
        .collect()
}

/// The 1-based line and column ([`line_and_column`]) of each byte offset, in the order given,
/// from one walk of the text: the offsets are visited in order, and each line's characters are
/// counted once however many offsets it holds (a minified JSON case is one line).
pub(crate) fn line_columns(
    text: &str,
    offsets: impl IntoIterator<Item = usize>,
) -> Vec<(usize, usize)> {
    let offsets: Vec<usize> = (offsets.into_iter())
        .map(|o| crate::load::floor_char_boundary(text, o))
        .collect();
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut found = vec![(1, 1); offsets.len()];
    // The line and column of the byte at `at`.
    let (mut line, mut column, mut at) = (1, 1, 0);
    for i in order {
        let bytes = &text.as_bytes()[at..offsets[i]];
        let after_break = match memchr::memrchr(b'\n', bytes) {
            Some(k) => {
                line += memchr::memchr_iter(b'\n', bytes).count();
                column = 1;
                &bytes[k + 1..]
            }
            None => bytes,
        };
        // A character is a byte that does not continue one (UTF-8 continuation bytes are
        // 0b10xx_xxxx).
        column += after_break.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        at = offsets[i];
        found[i] = (line, column);
    }
    found
}

/// The text a file's diagnostics are placed in: the text the loader read (without a
/// byte-order mark), or the bytes as they read lossily when they are not text (a byte that is
/// not UTF-8 is placed where it shows, as U+FFFD).
pub fn diagnosed_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match crate::load::text_of(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Where each diagnostic points, followed by its related places, in order: what [`spans`]
/// places for the terminal and for `check --format json` alike.
pub(crate) fn locations_of(diagnostics: &[Diagnostic]) -> Vec<&Location> {
    (diagnostics.iter())
        .flat_map(|d| std::iter::once(&d.at).chain(d.related.iter().map(|(at, _)| at)))
        .collect()
}

/// The byte span of each location in `text`, clamped to character boundaries: `None` for the
/// whole file ([`Location::File`]), and for a path when the text holds no value at all.
pub(crate) fn spans(text: &str, at: &[&Location]) -> Vec<Option<Range<usize>>> {
    let paths: Vec<&str> = (at.iter())
        .filter_map(|a| match a {
            Location::Path(p) => Some(p.as_str()),
            _ => None,
        })
        .collect();
    let locations = if paths.is_empty() {
        Locations::default()
    } else {
        Locations::scan_for(text, paths)
    };
    at.iter().map(|a| resolved(&locations, text, a)).collect()
}

/// The span of `at` in `text`, its paths found in `locations`, clamped to character
/// boundaries; `None` for the whole file.
fn resolved(locations: &Locations, text: &str, at: &Location) -> Option<Range<usize>> {
    match at {
        Location::File => None,
        Location::Path(p) => locations.find(p),
        Location::Span(s) => Some(s.clone()),
    }
    .map(|s| clamp_to_char_boundaries(text, s))
}

/// Converts a 1-based line and a 1-based column counted in characters (as RON reports them) to
/// a byte offset.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1);
            return offset
                + l.char_indices()
                    .nth(col)
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

/// `s` with the leading zeros of each run of digits dropped (`c007-a01` → `c7-a1`; a run of
/// zeros keeps one).
fn unpadded(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let leading_zero = c == '0' && !in_run && chars.peek().is_some_and(char::is_ascii_digit);
        if !leading_zero {
            out.push(c);
        }
        in_run = c.is_ascii_digit() && !leading_zero;
    }
    out
}

/// The closest spelling to `wrong` among `candidates`, if close enough to be a likely typo.
/// Of two alike but for case (an id and its name), the first given: callers give candidates
/// in file order, never a hash table's (which changes with the table's size).
pub fn suggest<'a>(wrong: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let w = wrong.to_lowercase();
    let all: Vec<&'a str> = candidates.collect();
    // Words analysts use for a value under another name ("medium confidence").
    const SYNONYMS: [(&str, &str); 2] = [("medium", "moderate"), ("med", "moderate")];
    let meant = SYNONYMS
        .iter()
        .find(|(said, _)| *said == w)
        .and_then(|(_, meant)| all.iter().copied().find(|c| c.to_lowercase() == *meant));
    if meant.is_some() {
        return meant;
    }
    // An id holding a terminal's colour codes or another invisible character (refused on its
    // own, E013) reads as its visible letters, which is what a reference to it spells.
    let shown = (all.iter().copied())
        .filter(|c| crate::escape::first_invisible(c).is_some())
        .find(|c| crate::escape::shown_text(c).to_lowercase() == w);
    if shown.is_some() {
        return shown;
    }
    // The same number written with other leading zeros (`c02` for `c2`): one edit from `c2`
    // and from `c12` alike, but only one of them is the number written.
    // The one differing only in case first, then the fewest edits, then the id.
    // (Edits counted between spellings of [`LONGEST_SUGGESTED`] characters at most.)
    let number = unpadded(&w);
    if number != w && w.chars().count() <= LONGEST_SUGGESTED {
        let mut same: Vec<&'a str> = (all.iter().copied())
            .filter(|c| c.chars().count() <= LONGEST_SUGGESTED)
            .filter(|c| unpadded(&c.to_lowercase()) == number)
            .collect();
        same.sort_by_cached_key(|c| (c.to_lowercase() != w, strsim::levenshtein(wrong, c), *c));
        if let Some(&c) = same.first() {
            return Some(c);
        }
    }
    by_edits(wrong, &w, all)
}

/// [`suggest`]'s last resort: the candidate fewest edits from `w` (`wrong` lower-cased), or
/// else one `w` is a part of ([`part_of_a_spelling`]).
fn by_edits<'a>(wrong: &str, w: &str, all: Vec<&'a str>) -> Option<&'a str> {
    let mut candidates = all.into_iter();
    if w.chars().count() < 3 {
        // One or two characters are too short to guess from, unless only their case differs
        // (`W8` for `w8`).
        return candidates.find(|c| c.to_lowercase() == w);
    }
    // Two edits of a word of three or four characters leave half of it or less (`nsc` is not
    // `bbc`): one edit there, then a third of the word, and at least two.
    let limit = match w.chars().count() {
        ..=4 => 1,
        n => (n / 3).max(2),
    };
    // Fewest edits first; among equals, the most similar by Jaro-Winkler (which favours a
    // shared beginning: `irn` is `iran` rather than `ir`), then the fewest edits counting case
    // (`moiss` is the id `mois` rather than the name `MOIS`), then alphabetical; and by the
    // way, what each candidate is part of `w`, for when none is near.
    //
    // Edit distances take time in the product of the lengths: nothing longer than
    // [`LONGEST_SUGGESTED`] is weighed (a reference that long is no slip of the keyboard), and
    // a candidate longer or shorter than `w` by more than `limit` is more than `limit` edits
    // away.
    let length = w.chars().count();
    if length > LONGEST_SUGGESTED {
        return None;
    }
    let mut parts = Spellings::default();
    let several_words = words(w) >= 2;
    let numbered = digits(w);
    let nearest = candidates
        .filter(|c| c.len() <= 4 * LONGEST_SUGGESTED && c.chars().count() <= LONGEST_SUGGESTED)
        .filter_map(|c| {
            let lc = c.to_lowercase();
            parts.note(w, several_words, &lc, c);
            if lc.chars().count().abs_diff(length) > limit || !same_number(&numbered, &digits(&lc))
            {
                return None;
            }
            // Two neighbours swapped count as one edit (`MIOS` for `MOIS`).
            let d = strsim::osa_distance(w, &lc);
            if d > limit {
                return None;
            }
            let jw = strsim::jaro_winkler(w, &lc);
            let cased = strsim::levenshtein(wrong, c);
            Some((d, std::cmp::Reverse((jw * 1e6) as u64), cased, c))
        })
        .min()
        .map(|(.., c)| c);
    nearest.or_else(|| part_of_a_spelling(w, &parts))
}

/// The digits of a spelling, in order.
fn digits(s: &str) -> Vec<u8> {
    s.bytes().filter(u8::is_ascii_digit).collect()
}

/// Whether two spellings' digits ([`digits`]) may be one number, slipped: the same, one of
/// them without any (a stray key), one digit doubled (`c11` for `c1`) or two neighbours
/// swapped (`c21` for `c12`). Numbered names are told apart by their numbers otherwise:
/// `APT44` is no slip for `APT28`, `APT29` names another group, and `c13` another claim than
/// `c12` (as families are, W115).
fn same_number(a: &[u8], b: &[u8]) -> bool {
    if a == b || a.is_empty() || b.is_empty() {
        return true;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() == short.len() + 1 {
        // A digit doubled: leaving out one of two equal neighbours gives the other.
        return (1..long.len())
            .filter(|&k| long[k] == long[k - 1])
            .any(|k| long[..k] == short[..k] && long[k + 1..] == short[k..]);
    }
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
    matches!(differ[..], [i, j] if j == i + 1 && a[i] == b[j] && a[j] == b[i])
}

/// The longest spelling, in characters, [`suggest`] compares by edits.
const LONGEST_SUGGESTED: usize = 200;

/// The spellings a wrong one holds or begins, gathered by [`suggest`] for
/// [`part_of_a_spelling`], each lower-cased beside the spelling as written, one of each.
#[derive(Default)]
struct Spellings<'a> {
    /// The spellings it is the beginning of.
    begun: Vec<(String, &'a str)>,
    /// The spellings it stands in as whole words, looked for only when it has two words or
    /// more.
    words_within: Vec<(String, &'a str)>,
    /// The spellings that are its first words (`volexity` for `volexity-labs`).
    first_words: Vec<(String, &'a str)>,
    /// The spellings that are its last words (`gru` for `russia-gru`).
    last_words: Vec<(String, &'a str)>,
}

impl<'a> Spellings<'a> {
    /// Files candidate `c` (lower-cased `lc`) under each way it is part of `w`.
    fn note(&mut self, w: &str, several_words: bool, lc: &str, c: &'a str) {
        // A word boundary: what is left of `w` around the candidate starts or ends there.
        let boundary = |x: char| !x.is_alphanumeric();
        if lc.starts_with(w) {
            push_once(&mut self.begun, lc, c);
        }
        if several_words && within_as_words(w, lc) {
            push_once(&mut self.words_within, lc, c);
        }
        if lc.chars().count() >= 4
            && (w.strip_prefix(lc)).is_some_and(|rest| rest.starts_with(boundary))
        {
            push_once(&mut self.first_words, lc, c);
        }
        if lc.chars().count() >= 3
            && (w.strip_suffix(lc)).is_some_and(|rest| rest.ends_with(boundary))
        {
            push_once(&mut self.last_words, lc, c);
        }
    }
}

/// When no spelling is a few edits from `w` (lower-cased): the one spelling it is the
/// beginning of (`roughly even` → `roughly even chance`), from four characters on; else the
/// one it stands in as whole words, from two words on (`Russian Federation` → `Government of
/// the Russian Federation`): a name of several words inside another is rarely some other
/// thing's; else the longest spelling that is its last words (`gru` for `russia-gru`): an id
/// qualified by its whole names the part, and suggesting the whole would move a judgement up
/// to it; else the longest that is its first words (`exchange-mass` for
/// `exchange-mass-exploitation`, not `exchange`): a name with a word added is most often the
/// name.
fn part_of_a_spelling<'a>(w: &str, parts: &Spellings<'a>) -> Option<&'a str> {
    match parts.begun.as_slice() {
        [(_, c)] if w.chars().count() >= 4 => return Some(*c),
        _ => {}
    }
    if let [(_, c)] = parts.words_within.as_slice() {
        return Some(*c);
    }
    let longest = |list: &[(String, &'a str)]| {
        (list.iter())
            .max_by_key(|(lc, _)| lc.len())
            .map(|(_, c)| *c)
    };
    longest(&parts.last_words).or_else(|| longest(&parts.first_words))
}

/// Adds spelling `c` (lower-cased `lc`) to `list` unless a spelling alike but for case is in it:
/// an id and a name that differ only so are one spelling.
fn push_once<'a>(list: &mut Vec<(String, &'a str)>, lc: &str, c: &'a str) {
    if !list.iter().any(|(b, _)| b == lc) {
        list.push((lc.to_string(), c));
    }
}

/// The words of three or more letters or digits in `text`: "of the" has one, too few to
/// point at a name.
fn words(text: &str) -> usize {
    (text.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 3)
        .count()
}

/// Whether `phrase` stands in `text` as whole words (both lower-cased, spaces as written), at
/// any of the places it starts, overlapping ones included.
fn within_as_words(phrase: &str, text: &str) -> bool {
    (text.char_indices()).any(|(at, _)| {
        text[at..].starts_with(phrase) && {
            let before = text[..at].chars().next_back();
            let after = text[at + phrase.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        }
    })
}

/// [`suggest`] among the values a field allows (`kind`, `relation`, `reliability`), or else the
/// one value `wrong` is the end of, from four characters on (`Unit` for `MilitaryUnit`). Not for
/// ids and names, where the end of one is as often another thing (`muddywater` is a group, not
/// the claim `d13-muddywater`).
pub fn suggest_value<'a>(wrong: &str, allowed: &[&'a str]) -> Option<&'a str> {
    suggest(wrong, allowed.iter().copied()).or_else(|| {
        let w = wrong.trim().to_lowercase();
        let mut ending = allowed.iter().filter(|a| a.to_lowercase().ends_with(&w));
        match (ending.next(), ending.next()) {
            (Some(&a), None) if w.chars().count() >= 4 => Some(a),
            _ => None,
        }
    })
}

/// "; did you mean `x`?" when one of `candidates` is a likely misspelling of `wrong`, else
/// nothing: the tail every "unknown name" message ends with.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    suggest(wrong, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{
        Code, Diagnostic, Location, QUOTED_SHOWN, line_and_column, line_columns, positions, render,
        short_quotes, suggest, unpadded,
    };

    /// A library caller gets one line from a diagnostic, as `?` into its own error type
    /// shows it; an empty text is said to be empty as an empty file is, not to end too early.
    #[test]
    fn a_diagnostic_is_an_error_of_one_line() {
        let errors = crate::load("", crate::format::Syntax::Ron).unwrap_err();
        assert_eq!(errors[0].to_string(), "error[E002]: the file is empty");
        let boxed: Box<dyn std::error::Error> = Box::new(errors[0].clone());
        assert!(boxed.to_string().starts_with("error[E002]"));
        let text = "Case(\n  title: \"t\",\n  claims: [Claim(id: 1)],\n)";
        let errors = crate::load(text, crate::format::Syntax::Ron).unwrap_err();
        assert_eq!(
            errors[0].line_and_column(text),
            Some((3, 22)),
            "{}",
            errors[0]
        );
        let marked = format!("\u{feff}{text}");
        let errors = crate::load(&marked, crate::format::Syntax::Ron).unwrap_err();
        assert_eq!(errors[0].line_and_column(&marked), Some((3, 22)));
        let warning = Diagnostic::at_path(Code::NoWording, "claim `c` has no wording", "c");
        assert_eq!(
            warning.to_string(),
            "warning[W101]: claim `c` has no wording"
        );
    }

    /// A number is not suggested for another: only a slip of its digits (a stray digit, one
    /// doubled, two swapped) is.
    #[test]
    fn numbered_names_are_told_apart_by_their_numbers() {
        let names = ["APT28", "c1", "c12", "nsc", "unit-74455"];
        for (wrong, meant) in [
            ("APT44", None),
            ("APT29", None),
            ("apt28", Some("APT28")),
            ("APT82", Some("APT28")),
            ("APT288", Some("APT28")),
            ("c11", Some("c1")),
            ("c21", Some("c12")),
            ("c13", None),
            ("nsc2", Some("nsc")),
            ("unit74455", Some("unit-74455")),
            ("unit-74454", None),
            ("c1234", None),
        ] {
            assert_eq!(suggest(wrong, names.iter().copied()), meant, "{wrong}");
        }
    }

    /// The one-walk count agrees with [`line_and_column`] at every offset of a text with
    /// several characters of two, three and four bytes on a line, asked out of order and
    /// twice; an offset inside a character is that character's.
    #[test]
    fn line_columns_agree_with_line_and_column_at_every_offset() {
        let text = "ab\né🦀x\n\nжж€z\nend";
        let mut offsets: Vec<usize> = (0..=text.len()).rev().collect();
        offsets.extend(0..=text.len());
        let found = line_columns(text, offsets.iter().copied());
        for (&offset, &at) in offsets.iter().zip(&found) {
            assert_eq!(at, line_and_column(text, offset), "at byte {offset}");
        }
        let crab = text.find('🦀').unwrap();
        assert_eq!(line_columns(text, [crab + 2]), vec![(2, 2)]);
    }

    /// Positions asked in any order come out in that order, counted in characters (a `é`
    /// before a value is one column, where it is two bytes), a path the text lacks at its
    /// nearest enclosing value (the whole text, at worst).
    #[test]
    fn positions_are_lines_and_columns_in_the_order_asked() {
        let text = "{\"objects\": [\n  {\"id\": \"a\"},\n  {\"n\": \"é\", \"id\": \"b\"}\n]}";
        let found = positions(
            text,
            &[
                "objects[1].id",
                "objects[0].id",
                "objects[0].x",
                "nothing[3]",
            ],
        );
        assert_eq!(
            found,
            [Some((3, 20)), Some((2, 10)), Some((2, 3)), Some((1, 1))]
        );
    }

    /// Of spellings alike but for case, the one given first is suggested (callers give them
    /// in file order, an id before its name): the order given, and nothing else, decides.
    #[test]
    fn of_spellings_alike_but_for_case_the_first_given_is_suggested() {
        for (wrong, candidates) in [
            ("XY", ["xy", "Xy"]),
            ("acme-gru", ["gru", "GRU"]),
            ("medium", ["moderate", "Moderate"]),
        ] {
            let mut reversed = candidates;
            reversed.reverse();
            assert_eq!(suggest(wrong, candidates.into_iter()), Some(candidates[0]));
            assert_eq!(suggest(wrong, reversed.into_iter()), Some(reversed[0]));
        }
    }

    /// A long quoted value is cut in every part of a message, with its length; short ones,
    /// and what is not quoted, stay as they are.
    #[test]
    fn long_quoted_values_are_cut() {
        let long = "é".repeat(1000);
        let d = Diagnostic::new(
            Code::AmbiguousName,
            format!("`{long}` names both `a` and `b`"),
            Location::File,
        )
        .note(format!("`{long}` again"))
        .help(format!("unquoted {long}"));
        let shown = render(&[d], "case.ron", "", false);
        let cut = format!("`{}… (1000 characters)`", "é".repeat(60));
        assert!(
            shown.contains(&format!("{cut} names both `a` and `b`")),
            "{shown}"
        );
        assert!(shown.contains(&format!("{cut} again")), "{shown}");
        assert!(shown.contains(&format!("unquoted {long}")), "{shown}");
        assert_eq!(short_quotes("`a` and `b"), "`a` and `b");
        let exactly = "x".repeat(QUOTED_SHOWN);
        assert_eq!(
            short_quotes(&format!("`{exactly}`")),
            format!("`{exactly}`")
        );
    }

    /// A value written as the end of an allowed one (`Unit` for `MilitaryUnit`) is that one,
    /// when it is the end of one alone and no nearer spelling or beginning matches.
    #[test]
    fn the_end_of_one_allowed_value_is_that_value() {
        use super::suggest_value;
        let kinds = [
            "State",
            "Agency",
            "MilitaryUnit",
            "Organisation",
            "Company",
            "Person",
        ];
        assert_eq!(suggest_value("Unit", &kinds), Some("MilitaryUnit"));
        assert_eq!(suggest_value("unit", &kinds), Some("MilitaryUnit"));
        // The end of two: no guess; too short to guess from: none.
        assert_eq!(suggest_value("unit", &["MilitaryUnit", "PoliceUnit"]), None);
        assert_eq!(suggest_value("any", &["Company"]), None);
        // A nearer spelling is the better guess.
        assert_eq!(
            suggest_value("unit", &["Units", "MilitaryUnit"]),
            Some("Units")
        );
    }

    /// `c02` is `c2` written with a leading zero, though `c12` is as few edits away.
    #[test]
    fn a_number_written_with_leading_zeros_is_that_number() {
        let ids = ["c1", "c12", "c2", "c20"];
        assert_eq!(suggest("c02", ids.into_iter()), Some("c2"));
        assert_eq!(suggest("C002", ids.into_iter()), Some("c2"));
        assert_eq!(suggest("c020", ids.into_iter()), Some("c20"));
        // Differing only in case beats differing in zeros, in whatever order they come.
        for ids in [["a1", "a01"], ["a01", "a1"]] {
            assert_eq!(suggest("A01", ids.into_iter()), Some("a01"));
        }
        // As near as each other: the same one, whatever the order.
        for ids in [["a1", "a001"], ["a001", "a1"]] {
            assert_eq!(suggest("a01", ids.into_iter()), Some("a001"));
        }
        assert_eq!(unpadded("c007-a01"), "c7-a1");
        assert_eq!(unpadded("c100"), "c100");
        assert_eq!(unpadded("c00"), "c0");
    }

    #[test]
    fn a_typo_gets_the_nearest_spelling() {
        let names = ["iran", "mois", "MuddyWater", "homeland-justice"];
        assert_eq!(suggest("irn", names.into_iter()), Some("iran"));
        assert_eq!(
            suggest("nsc", ["bbc", "fbi"].into_iter()),
            None,
            "half the word"
        );
        assert_eq!(suggest("MIOS", ["MOIS", "iran"].into_iter()), Some("MOIS"));
        assert_eq!(suggest("Muddywatr", names.into_iter()), Some("MuddyWater"));
        assert_eq!(
            suggest("ir", names.into_iter()),
            None,
            "too short to guess from"
        );
        assert_eq!(suggest("europium", names.into_iter()), None, "nothing near");
        assert_eq!(
            suggest("IR", ["ir", "iran"].into_iter()),
            Some("ir"),
            "short, but only its case differs"
        );
    }

    #[test]
    fn medium_confidence_is_moderate() {
        let levels = ["Low", "Moderate", "High"];
        assert_eq!(suggest("Medium", levels.into_iter()), Some("Moderate"));
        assert_eq!(suggest("med", levels.into_iter()), Some("Moderate"));
        assert_eq!(suggest("medium", ["iran"].into_iter()), None);
    }

    /// A name of two words or more inside one spelling, as whole words, gets that spelling;
    /// inside two, or inside a word, or one word alone, nothing.
    #[test]
    fn whole_words_inside_one_spelling_get_that_spelling() {
        let names = [
            "Government of the Russian Federation",
            "russia",
            "Main Intelligence Directorate",
            "GRU",
        ];
        assert_eq!(
            suggest("Russian Federation", names.into_iter()),
            Some("Government of the Russian Federation")
        );
        assert_eq!(
            suggest("intelligence directorate", names.into_iter()),
            Some("Main Intelligence Directorate")
        );
        assert_eq!(suggest("Federation", names.into_iter()), None);
        // Words too short to point at a name, and a match found past an overlapping one.
        assert_eq!(suggest("of the", names.into_iter()), None);
        assert_eq!(suggest("- -", ["A - - B"].into_iter()), None);
        assert_eq!(
            suggest("abc abc", ["xabc abc abc"].into_iter()),
            Some("xabc abc abc")
        );
        assert_eq!(suggest("ssian Federation", names.into_iter()), None);
        let two = [
            "Foreign Intelligence Service",
            "Foreign Intelligence Agency",
        ];
        assert_eq!(suggest("foreign intelligence", two.into_iter()), None);
    }

    /// An id with a word added (`volexity-labs`) is the id, the longest one when several
    /// begin it; one too short to tell says nothing, nor does a word run on.
    #[test]
    fn a_spelling_with_a_word_added_gets_the_spelling() {
        let ids = ["volexity", "microsoft", "exchange", "exchange-mass", "c2"];
        assert_eq!(suggest("volexity-labs", ids.into_iter()), Some("volexity"));
        assert_eq!(
            suggest("exchange-mass-exploitation", ids.into_iter()),
            Some("exchange-mass")
        );
        assert_eq!(
            suggest("Microsoft MSTIC", ids.into_iter()),
            Some("microsoft")
        );
        assert_eq!(suggest("exchangeserver", ids.into_iter()), None);
        assert_eq!(suggest("c2-b", ids.into_iter()), None);
    }

    /// An id pasted with a terminal's colour codes is what a plain reference to it means.
    #[test]
    fn an_id_holding_colour_codes_is_found_by_its_visible_letters() {
        let ids = ["tele\u{1b}[31mbots", "sandworm", "zero\u{200b}width"];
        assert_eq!(
            suggest("telebots", ids.into_iter()),
            Some("tele\u{1b}[31mbots")
        );
        assert_eq!(
            suggest("ZeroWidth", ids.into_iter()),
            Some("zero\u{200b}width")
        );
    }

    #[test]
    fn a_part_qualified_by_its_whole_gets_the_part_not_the_whole() {
        let ids = ["russia", "gru", "iran", "mois", "apt28"];
        assert_eq!(suggest("russia-gru", ids.into_iter()), Some("gru"));
        assert_eq!(suggest("iran-mois", ids.into_iter()), Some("mois"));
        assert_eq!(suggest("Russia GRU", ids.into_iter()), Some("gru"));
        // Nothing declared at the end: the first words are still the likeliest meaning.
        assert_eq!(suggest("russia-svr", ids.into_iter()), Some("russia"));
    }

    #[test]
    fn the_beginning_of_one_spelling_gets_that_spelling() {
        let terms = [
            "unlikely",
            "roughly even chance",
            "very likely",
            "very unlikely",
        ];
        assert_eq!(
            suggest("roughly even", terms.into_iter()),
            Some("roughly even chance")
        );
        assert_eq!(
            suggest("Roughly Even", terms.into_iter()),
            Some("roughly even chance")
        );
        // The beginning of two spellings says nothing, nor does a beginning of three letters.
        assert_eq!(suggest("very", terms.into_iter()), None);
        assert_eq!(suggest("rou", ["roughly even chance"].into_iter()), None);
        // One spelling in two letter cases (an id and a name) is one spelling.
        assert_eq!(
            suggest(
                "government",
                ["Government of X", "government of x"].into_iter()
            ),
            Some("Government of X")
        );
    }

    /// Edit distances cost the product of the lengths: a spelling longer than 200 characters
    /// is not weighed by edits, as the wrong one or as a candidate, however close.
    #[test]
    fn spellings_past_200_characters_are_not_weighed_by_edits() {
        let long = "x".repeat(199) + "a";
        let longer = "x".repeat(200) + "a";
        assert_eq!(
            suggest(&("x".repeat(199) + "b"), [long.as_str()].into_iter()),
            Some(long.as_str())
        );
        assert_eq!(
            suggest(&("x".repeat(200) + "b"), [longer.as_str()].into_iter()),
            None
        );
        assert_eq!(
            suggest(&("x".repeat(199) + "b"), [longer.as_str()].into_iter()),
            None
        );
    }
}
