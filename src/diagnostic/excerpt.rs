//! The part of a file that one diagnostic shows, made safe and small.
//!
//! `codespan-reporting` draws a snippet from whatever [`Files`] gives it. Handing it the whole
//! file would print a 50 MB line in full when the file is minified JSON, and would print escape
//! sequences and bidirectional overrides raw. So each diagnostic gets an [`Excerpt`]: only the
//! lines its labels touch, each cut to a window around the labels when it is long, with every
//! invisible character replaced by its visible stand-in. Line and column numbers are still the
//! original file's, columns counted in characters as editors count them.

use crate::escape;
use crate::load::floor_char_boundary;
use codespan_reporting::files::{Error, Files, Location};
use std::collections::BTreeMap;
use std::ops::Range;

/// Lines longer than this many characters are cut to a window.
const LONG_LINE: usize = 240;
/// Characters kept before the first label point of a cut line.
const BEFORE: usize = 80;
/// Characters kept after it.
const AFTER: usize = 160;
/// A label spanning more lines than this is shown on its first line only.
const MAX_LABEL_LINES: usize = 24;
/// Marks text left out of a cut line.
const ELLIPSIS: &str = "…";

/// Line numbers, starts and character columns of the byte offsets the diagnostics point at,
/// and the ends of their lines, found in one pass over the text (a file of gigabytes is not
/// indexed line by line). In one pass because a minified file is one line: finding a line's
/// end, or counting the characters before a column, once per diagnostic would read the whole
/// file once per diagnostic.
pub(crate) struct LineIndex {
    /// Offset → (0-based line, the line's start, characters from the start to the offset).
    at: BTreeMap<usize, (usize, usize, usize)>,
    /// Line start → line end (before its `\n`), for the lines of the offsets in `at`.
    ends: BTreeMap<usize, usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str, offsets: impl IntoIterator<Item = usize>) -> LineIndex {
        let mut wanted: Vec<usize> = offsets.into_iter().map(|o| o.min(text.len())).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut at = BTreeMap::new();
        let (mut pos, mut line, mut start, mut column) = (0, 0, 0, 0);
        for o in wanted {
            let o = floor_char_boundary(text, o);
            let segment = &text[pos..o];
            match segment.rfind('\n') {
                Some(last) => {
                    line += segment.bytes().filter(|&b| b == b'\n').count();
                    start = pos + last + 1;
                    column = text[start..o].chars().count();
                }
                None => column += segment.chars().count(),
            }
            pos = o;
            at.insert(o, (line, start, column));
        }
        // Each line once: the lines do not overlap, so this reads the text at most once.
        let starts: std::collections::BTreeSet<usize> = at.values().map(|v| v.1).collect();
        let ends = starts.into_iter().map(|s| (s, line_end(text, s))).collect();
        LineIndex { at, ends }
    }

    /// The end of the line that starts at `start` (before its `\n`).
    fn end(&self, text: &str, start: usize) -> usize {
        self.ends
            .get(&start)
            .copied()
            .unwrap_or_else(|| line_end(text, start))
    }

    /// The characters between the start of `offset`'s line and `offset`.
    fn column(&self, text: &str, offset: usize) -> usize {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        if let Some(&(_, _, column)) = self.at.get(&offset) {
            return column;
        }
        let (_, start) = self.get(text, offset);
        // From the nearest known offset before it on its line, else from the line's start.
        match self.at.range(start..offset).next_back() {
            Some((&o, &(_, _, column))) => column + text[o..offset].chars().count(),
            None => text[start..offset].chars().count(),
        }
    }

    /// The 0-based line index and the line's start, for an offset given to [`LineIndex::new`].
    fn get(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        self.at.get(&offset).map(|v| (v.0, v.1)).unwrap_or_else(|| {
            // Not precomputed: count from the nearest known offset before it.
            let (from, (mut line, mut start)) = self
                .at
                .range(..offset)
                .next_back()
                .map_or((0, (0, 0)), |(o, v)| (*o, (v.0, v.1)));
            for (i, b) in text.as_bytes()[from..offset].iter().enumerate() {
                if *b == b'\n' {
                    line += 1;
                    start = from + i + 1;
                }
            }
            (line, start)
        })
    }
}

/// One original line as shown.
struct Shown {
    /// 0-based line index in the original file.
    index: usize,
    /// Byte range in [`Excerpt::source`], including the closing newline.
    range: Range<usize>,
    /// Byte offset where the line's content starts (after a leading ellipsis).
    content: usize,
    /// For every character shown: (original byte offset, shown byte offset, 0-based original
    /// character column); a last entry marks the end of the window.
    map: Vec<(usize, usize, usize)>,
}

/// A diagnostic's view of the file.
pub(crate) struct Excerpt<'n> {
    name: &'n str,
    source: String,
    lines: Vec<Shown>,
    /// The labels in shown coordinates, the primary first.
    pub labels: Vec<(Range<usize>, String)>,
}

impl<'n> Excerpt<'n> {
    /// `spans` are byte ranges of `text` (on character boundaries) with their messages, the
    /// primary first.
    pub(crate) fn new(
        name: &'n str,
        text: &str,
        index: &LineIndex,
        spans: &[(Range<usize>, String)],
    ) -> Excerpt<'n> {
        // Which lines to show, and the label points on each (to centre a window on).
        let mut wanted: BTreeMap<usize, (usize, Vec<usize>)> = BTreeMap::new();
        let mut clipped = Vec::with_capacity(spans.len());
        for (span, message) in spans {
            let (first, first_start) = index.get(text, span.start);
            let (mut last, _) = index.get(text, span.end);
            let mut span = span.clone();
            if last - first > MAX_LABEL_LINES {
                span.end = index.end(text, first_start).max(span.start);
                last = first;
            }
            let mut line_start = first_start;
            for line in first..=last {
                let entry = wanted.entry(line).or_insert((line_start, Vec::new()));
                let end = index.end(text, line_start);
                for p in [span.start, span.end] {
                    if (line_start..=end).contains(&p) {
                        entry.1.push(p);
                    }
                }
                line_start = (end + 1).min(text.len());
            }
            clipped.push((span, message.clone()));
        }
        // codespan shows a one-line gap between two labelled lines rather than eliding it.
        let gaps: Vec<(usize, usize)> = wanted
            .iter()
            .zip(wanted.iter().skip(1))
            .filter(|((a, _), (b, _))| **b == **a + 2)
            .map(|((a, (start, _)), _)| (a + 1, (index.end(text, *start) + 1).min(text.len())))
            .collect();
        for (line, start) in gaps {
            wanted.entry(line).or_insert((start, Vec::new()));
        }
        let mut source = String::new();
        let mut lines = Vec::with_capacity(wanted.len());
        for (line, (start, points)) in wanted {
            lines.push(show_line(&mut source, (text, index), line, start, &points));
        }
        let mut excerpt = Excerpt {
            name,
            source,
            lines,
            labels: Vec::new(),
        };
        excerpt.labels = clipped
            .into_iter()
            .map(|(span, message)| {
                let start = excerpt.shown_offset(text, index, span.start);
                let end = excerpt.shown_offset(text, index, span.end).max(start);
                (start..end, message)
            })
            .collect();
        excerpt
    }

    /// Where an original offset appears in the excerpt (clamped into its line's window).
    fn shown_offset(&self, text: &str, index: &LineIndex, offset: usize) -> usize {
        let (line, _) = index.get(text, offset);
        let Some(shown) = self.lines.iter().find(|l| l.index == line) else {
            return 0;
        };
        match shown.map.binary_search_by_key(&offset, |e| e.0) {
            Ok(i) => shown.map[i].1,
            Err(0) => shown.content,
            Err(i) => shown.map[i - 1].1,
        }
    }

    fn line_at(&self, byte: usize) -> Option<&Shown> {
        let i = self.lines.partition_point(|l| l.range.end <= byte);
        self.lines.get(i).or(self.lines.last())
    }
}

/// The end of the line that starts at `start` (before its `\n`).
fn line_end(text: &str, start: usize) -> usize {
    text[start..].find('\n').map_or(text.len(), |i| start + i)
}

/// Appends one line to `source`, cut to a window around `points` when it is long.
fn show_line(
    source: &mut String,
    (text, lines): (&str, &LineIndex),
    index: usize,
    start: usize,
    points: &[usize],
) -> Shown {
    let mut end = lines.end(text, start);
    if text[..end].ends_with('\r') {
        end -= 1;
    }
    let line = &text[start..end];
    let long = line.len() > LONG_LINE && line.chars().nth(LONG_LINE).is_some();
    let (from, to) = if long {
        let centre = points
            .iter()
            .copied()
            .min()
            .unwrap_or(start)
            .clamp(start, end);
        let from = text[start..centre]
            .char_indices()
            .rev()
            .nth(BEFORE - 1)
            .map_or(start, |(i, _)| start + i);
        let to = text[centre..end]
            .char_indices()
            .nth(AFTER)
            .map_or(end, |(i, _)| centre + i);
        (from, to)
    } else {
        (start, end)
    };
    let first = source.len();
    if from > start {
        source.push_str(ELLIPSIS);
    }
    let content = source.len();
    // Counted back from a point the index knows, not from the start of a long line.
    let mut column = match points.iter().copied().filter(|&p| p >= from).min() {
        Some(p) if from > start => lines.column(text, p) - text[from..p].chars().count(),
        _ => text[start..from].chars().count(),
    };
    let mut map = Vec::with_capacity(to - from + 1);
    for (i, c) in text[from..to].char_indices() {
        map.push((from + i, source.len(), column));
        if escape::is_invisible(c) && c != '\t' {
            source.push_str(&escape::visible(c));
        } else {
            source.push(c);
        }
        column += 1;
    }
    map.push((to, source.len(), column));
    if to < end {
        source.push_str(ELLIPSIS);
    }
    source.push('\n');
    Shown {
        index,
        range: first..source.len(),
        content,
        map,
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self.line_at(byte_index).map_or(0, |l| l.index))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        self.lines
            .iter()
            .find(|l| l.index == line_index)
            .map(|l| l.range.clone())
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: self.lines.last().map_or(0, |l| l.index),
            })
    }

    /// The original line and column, whatever was cut or replaced on the way.
    fn location(&'a self, (): (), byte_index: usize) -> Result<Location, Error> {
        let Some(line) = self.line_at(byte_index) else {
            return Ok(Location {
                line_number: 1,
                column_number: 1,
            });
        };
        let i = line.map.partition_point(|e| e.1 <= byte_index);
        let column = line.map[i.saturating_sub(1)].2;
        Ok(Location {
            line_number: line.index + 1,
            column_number: column + 1,
        })
    }
}

#[cfg(test)]
mod tests {

    /// The index's lines, ends and columns are those counted afresh, on a minified line of
    /// multi-byte text with many offsets on it, offsets it was not given included.
    #[test]
    fn the_index_counts_as_a_fresh_count_does() {
        let line: String = (0..400)
            .map(|k| if k % 7 == 0 { "é😀," } else { "ab," })
            .collect();
        let text = format!("first\n{line}\n{line}");
        let given: Vec<usize> = (0..text.len())
            .step_by(13)
            .filter(|&o| text.is_char_boundary(o))
            .collect();
        let index = LineIndex::new(&text, given.iter().copied());
        for o in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let start = text[..o].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..o].matches('\n').count();
            assert_eq!(index.get(&text, o), (line, start), "{o}");
            assert_eq!(
                index.column(&text, o),
                text[start..o].chars().count(),
                "{o}"
            );
            assert_eq!(index.end(&text, start), line_end(&text, start), "{o}");
        }
    }

    use super::*;

    fn excerpt_of<'n>(text: &str, span: Range<usize>) -> Excerpt<'n> {
        let index = LineIndex::new(text, [span.start, span.end]);
        Excerpt::new("f", text, &index, &[(span, "here".to_string())])
    }

    #[test]
    fn columns_count_characters_after_multi_byte_text() {
        let text = "a\n\"é—x\": 1\n";
        let at = text.find('x').unwrap();
        let e = excerpt_of(text, at..at + 1);
        let loc = e.location((), e.labels[0].0.start).unwrap();
        assert_eq!((loc.line_number, loc.column_number), (2, 4));
    }

    #[test]
    fn a_long_line_is_cut_around_the_caret_and_keeps_its_column() {
        let text = format!("{}X{}", "a".repeat(1_000_000), "b".repeat(1_000_000));
        let e = excerpt_of(&text, 1_000_000..1_000_001);
        assert!(e.source.len() < 600, "{}", e.source.len());
        assert!(e.source.starts_with('…') && e.source.trim_end().ends_with('…'));
        let (range, _) = &e.labels[0];
        assert_eq!(&e.source[range.clone()], "X");
        let loc = e.location((), range.start).unwrap();
        assert_eq!((loc.line_number, loc.column_number), (1, 1_000_001));
    }

    #[test]
    fn escape_sequences_in_the_file_are_shown_not_obeyed() {
        let text = "x: \"\u{1b}[2J\u{202e}\"\n";
        let e = excerpt_of(text, 3..text.len() - 1);
        assert!(!e.source.contains('\u{1b}') && !e.source.contains('\u{202e}'));
        assert!(e.source.contains("␛[2J⟨U+202E⟩"));
    }
}
