//! Where each value of an evidence file stands in its text.
//!
//! serde hands the validator plain values without positions, yet every semantic problem (an
//! unknown source, a bad date) must point at its line and column. Rather than threading spans
//! through every format type, the validator names the value by its path (`claims[3].source`)
//! and this module finds that path in the text. The scanner understands the bracket structure
//! shared by RON and JSON (`name: value` or `"name": value` inside `(…)` / `{…}`, elements inside
//! `[…]`), strings, raw strings and comments. It only runs when there is something to report,
//! over text that has already parsed; on anything unexpected it skips ahead and never panics.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

/// Byte ranges of every value in a file, by path.
#[derive(Debug, Default)]
pub(crate) struct Locations {
    spans: HashMap<String, Range<usize>>,
}

impl Locations {
    /// Scans `text` (RON or JSON), recording every value.
    #[cfg(test)]
    pub(crate) fn scan(text: &str) -> Locations {
        Locations::scan_with(text, None)
    }

    /// Scans `text` for the values at `paths` and their enclosing values (what [`Self::find`]
    /// falls back on), recording nothing else: a case of 10^7 claims has hundreds of millions
    /// of values, and a located warning must not cost a map of all of them.
    pub(crate) fn scan_for<'p>(text: &str, paths: impl IntoIterator<Item = &'p str>) -> Locations {
        let mut wanted = HashSet::new();
        for path in paths {
            let mut path = path;
            loop {
                if !wanted.insert(path.to_string()) || path.is_empty() {
                    break;
                }
                let cut = path.rfind(['.', '[']).unwrap_or(0);
                path = &path[..cut];
            }
        }
        Locations::scan_with(text, Some(&wanted))
    }

    fn scan_with(text: &str, wanted: Option<&HashSet<String>>) -> Locations {
        let mut scanner = Scanner {
            text: text.as_bytes(),
            at: 0,
            ahead: VecDeque::new(),
            pos: 0,
            spans: HashMap::new(),
            wanted,
        };
        // RON attributes (`#![enable(implicit_some)]`) precede the value.
        while scanner
            .peek()
            .is_some_and(|t| t.kind == Kind::Atom && scanner.text_of(t).starts_with(b"#"))
            && scanner.peek_kind(1) == Some(Kind::Open(b'['))
        {
            scanner.advance();
            scanner.group("#attribute", 0, false, false);
        }
        scanner.value(String::new(), 0, true);
        Locations {
            spans: scanner.spans,
        }
    }

    /// The span of the value at `path` itself, if the text holds one.
    pub(crate) fn exactly(&self, path: &str) -> Option<Range<usize>> {
        self.spans.get(path).cloned()
    }

    /// The span of the value at `path`, or of its nearest enclosing value that exists.
    pub(crate) fn find(&self, path: &str) -> Option<Range<usize>> {
        let mut path = path;
        loop {
            if let Some(span) = self.spans.get(path) {
                return Some(span.clone());
            }
            if path.is_empty() {
                return None;
            }
            let cut = path.rfind(['.', '[']).unwrap_or(0);
            path = &path[..cut];
        }
    }
}

/// Joins a field name onto a path.
pub(crate) fn field(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// Joins a list index onto a path.
pub(crate) fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open(u8),
    Close(u8),
    Colon,
    Comma,
    Str,
    Atom,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// The next token of RON or JSON text from byte `i` on (advancing `i`); whitespace and
/// comments are skipped, and strings and atoms are kept whole without being interpreted.
/// Tokens are read as the scanner needs them rather than held: a large file has hundreds of
/// millions.
fn next_token(b: &[u8], i: &mut usize) -> Option<Token> {
    while *i < b.len() {
        let start = *i;
        let kind = match b[*i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                *i += 1;
                None
            }
            b'/' if b.get(*i + 1) == Some(&b'/') => {
                *i = skip_line_comment(b, *i);
                None
            }
            b'/' if b.get(*i + 1) == Some(&b'*') => {
                *i = skip_block_comment(b, *i);
                None
            }
            c @ (b'(' | b'[' | b'{') => {
                *i += 1;
                Some(Kind::Open(c))
            }
            c @ (b')' | b']' | b'}') => {
                *i += 1;
                Some(Kind::Close(c))
            }
            b':' => {
                *i += 1;
                Some(Kind::Colon)
            }
            b',' => {
                *i += 1;
                Some(Kind::Comma)
            }
            b'"' | b'\'' => {
                *i = skip_quoted(b, *i);
                Some(Kind::Str)
            }
            b'r' if matches!(b.get(*i + 1), Some(b'"') | Some(b'#')) => {
                *i = skip_raw(b, *i + 1);
                Some(Kind::Str)
            }
            b'b' if b.get(*i + 1) == Some(&b'"') => {
                *i = skip_quoted(b, *i + 1);
                Some(Kind::Str)
            }
            _ => {
                *i = skip_atom(b, *i);
                Some(Kind::Atom)
            }
        };
        if let Some(kind) = kind {
            return Some(Token {
                kind,
                start,
                end: *i,
            });
        }
    }
    None
}

/// Skips a `//` comment starting at `i`; returns the index of the line's end.
fn skip_line_comment(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] != b'\n' {
        i += 1;
    }
    i
}

/// Skips a `/* … */` comment starting at `i`, nested as RON nests them; returns the index after
/// it (the end of the text when it is not closed).
fn skip_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// Skips a bare word or number starting at `i`; returns the index of the first byte that ends
/// it (whitespace, punctuation or a quote).
fn skip_atom(b: &[u8], mut i: usize) -> usize {
    while i < b.len()
        && !matches!(
            b[i],
            b' ' | b'\t'
                | b'\n'
                | b'\r'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b':'
                | b','
                | b'"'
        )
    {
        i += 1;
    }
    i
}

/// Skips a `"…"` or `'…'` literal starting at `i`; returns the index after it.
fn skip_quoted(b: &[u8], i: usize) -> usize {
    let quote = b[i];
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            c if c == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// Skips a raw string body `#*"…"#*` starting at `i` (just after the `r`).
fn skip_raw(b: &[u8], i: usize) -> usize {
    let mut j = i;
    let mut hashes = 0;
    while j < b.len() && b[j] == b'#' {
        hashes += 1;
        j += 1;
    }
    if j >= b.len() || b[j] != b'"' {
        return j;
    }
    j += 1;
    while j < b.len() {
        if b[j] == b'"'
            && b[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return j + 1 + hashes;
        }
        j += 1;
    }
    b.len()
}

struct Scanner<'t> {
    text: &'t [u8],
    /// Where the next token not yet in `ahead` starts.
    at: usize,
    /// Tokens read but not consumed (at most two: the scanner looks one token ahead).
    ahead: VecDeque<Token>,
    /// Tokens consumed so far.
    pos: usize,
    spans: HashMap<String, Range<usize>>,
    /// The paths to record (`None`: every path).
    wanted: Option<&'t HashSet<String>>,
}

/// Deeper nesting than any evidence file has; past it the scanner stops descending.
const MAX_DEPTH: usize = 200;

impl Scanner<'_> {
    fn fill(&mut self, n: usize) {
        while self.ahead.len() < n {
            match next_token(self.text, &mut self.at) {
                Some(t) => self.ahead.push_back(t),
                None => break,
            }
        }
    }

    fn peek(&mut self) -> Option<Token> {
        self.fill(1);
        self.ahead.front().copied()
    }

    fn peek_kind(&mut self, ahead: usize) -> Option<Kind> {
        self.fill(ahead + 1);
        self.ahead.get(ahead).map(|t| t.kind)
    }

    /// Consumes the next token.
    fn advance(&mut self) {
        self.fill(1);
        if self.ahead.pop_front().is_some() {
            self.pos += 1;
        }
    }

    /// Whether values at `path` are recorded (and so whether their children can be).
    fn records(&self, path: &str) -> bool {
        self.wanted.is_none_or(|w| w.contains(path))
    }

    /// Reads one value, recording its span under `path` when `record` and the path is wanted;
    /// returns the span's end.
    fn value(&mut self, path: String, depth: usize, record: bool) -> Option<usize> {
        let first = self.peek()?;
        if depth > MAX_DEPTH {
            return None;
        }
        let record = record && self.records(&path);
        let end = match first.kind {
            Kind::Atom => {
                self.advance();
                if self.peek_kind(0) == Some(Kind::Open(b'(')) {
                    // `Some(x)`: the inner value is the field's value.
                    let transparent = self.text_of(first) == b"Some";
                    self.group(&path, depth, transparent, record)
                } else {
                    Some(first.end)
                }
            }
            Kind::Str => {
                self.advance();
                Some(first.end)
            }
            Kind::Open(_) => self.group(&path, depth, false, record),
            Kind::Close(_) | Kind::Colon | Kind::Comma => None,
        }?;
        if record {
            self.spans.insert(path, first.start..end);
        }
        Some(end)
    }

    fn text_of(&self, token: Token) -> &[u8] {
        &self.text[token.start..token.end]
    }

    /// Reads `( … )`, `[ … ]` or `{ … }` starting at the current token; its values are
    /// recorded only when `record` (an unrecorded value has no recorded children).
    fn group(
        &mut self,
        path: &str,
        depth: usize,
        transparent: bool,
        record: bool,
    ) -> Option<usize> {
        let open = self.peek()?;
        let Kind::Open(bracket) = open.kind else {
            return None;
        };
        self.advance();
        let keyed = matches!(self.peek_kind(0), Some(Kind::Atom) | Some(Kind::Str))
            && self.peek_kind(1) == Some(Kind::Colon);
        let mut element = 0usize;
        loop {
            let token = self.peek()?;
            match token.kind {
                Kind::Close(_) => {
                    self.advance();
                    return Some(token.end);
                }
                Kind::Comma => {
                    self.advance();
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            if keyed && bracket != b'[' && self.peek_kind(1) == Some(Kind::Colon) {
                let child = if record {
                    field(path, &self.key_text(token))
                } else {
                    String::new()
                };
                self.advance();
                self.advance();
                self.value(child, depth + 1, record);
            } else {
                let child = if !record {
                    String::new()
                } else if bracket == b'[' {
                    index(path, element)
                } else if transparent && element == 0 {
                    path.to_string()
                } else {
                    format!("{path}.{element}")
                };
                element += 1;
                self.value(child, depth + 1, record);
            }
            if self.pos == before {
                // Not a value (a stray colon): step over it.
                self.advance();
            }
        }
    }

    /// A field name: an identifier, or a quoted key as the file's reader decodes it (a map
    /// key holding an escape, `"entity:ir\"an"`, is found under the text it stands for).
    fn key_text(&self, token: Token) -> String {
        let raw = String::from_utf8_lossy(self.text_of(token));
        if token.kind == Kind::Str && (raw.contains('\\') || raw.starts_with('r')) {
            // JSON's escapes first (`\u0041`), then RON's (`\u{41}`, raw strings).
            let decoded = serde_json::from_str::<String>(&raw)
                .ok()
                .or_else(|| ron::from_str::<String>(&raw).ok());
            if let Some(key) = decoded {
                return key;
            }
        }
        raw.trim_matches('"').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(text: &'a str, l: &Locations, path: &str) -> &'a str {
        &text[l.find(path).unwrap()]
    }

    #[test]
    fn finds_values_in_ron() {
        let text = r##"#![enable(implicit_some)]
Case(title: "t", // comment ( [
  claims: [Claim(id: "a", source: r#"x"#), (id: "b", derived_from: ["a"], part_of: Some("p"))],
  /* (nested /* ) */ */ prior: 0.5)"##;
        let l = Locations::scan(text);
        assert_eq!(at(text, &l, "title"), "\"t\"");
        assert_eq!(at(text, &l, "claims[0].source"), "r#\"x\"#");
        assert_eq!(at(text, &l, "claims[1].derived_from[0]"), "\"a\"");
        assert_eq!(at(text, &l, "claims[1].part_of"), "Some(\"p\")");
        assert_eq!(at(text, &l, "prior"), "0.5");
        // A missing path falls back to its nearest enclosing value.
        assert!(at(text, &l, "claims[1].url").starts_with("(id: \"b\""));
    }

    #[test]
    fn finds_values_in_json() {
        let text = r#"{"title": "t", "claims": [{"id": "a\"b", "source": "s"}]}"#;
        let l = Locations::scan(text);
        assert_eq!(at(text, &l, "claims[0].source"), "\"s\"");
        assert_eq!(at(text, &l, "claims[0].id"), r#""a\"b""#);
    }

    #[test]
    fn finds_keys_holding_escapes_under_the_text_they_stand_for() {
        let ron =
            r##"(objects: {"entity:ir\"an": (a: 1), "entity:x\u{41}": (a: 2), r#"q"#: (a: 3)})"##;
        let l = Locations::scan(ron);
        assert_eq!(at(ron, &l, "objects.entity:ir\"an.a"), "1");
        assert_eq!(at(ron, &l, "objects.entity:xA.a"), "2");
        assert_eq!(at(ron, &l, "objects.q.a"), "3");
        let json = r#"{"objects": {"entity:x\u0041": {"a": 4}}}"#;
        assert_eq!(at(json, &Locations::scan(json), "objects.entity:xA.a"), "4");
    }

    #[test]
    fn never_panics_on_garbage() {
        for text in [
            "",
            "(",
            ")",
            "[[[",
            "\"unterminated",
            "r#\"x",
            "/* open",
            "a: : :",
            "#![",
            "{\"k\":",
        ] {
            let _ = Locations::scan(text).find("x[0].y");
        }
    }
}
