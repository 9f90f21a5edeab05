//! Terminal text fitted to a width: how wide text is on a terminal, and prose wrapped at
//! spaces. The terminal table ([`super::table`]) wraps its cells with these, and the lines
//! around it (a case's title, the notes under a table, `attrib diff`'s reasons) are wrapped
//! with a hanging indent, so that a report fits the terminal it is printed on instead of
//! being folded by the terminal mid-word.

use crate::escape::terminal;
use std::borrow::Cow;
use unicode_width::UnicodeWidthStr;

/// The narrowest width attrib fits text to: below it, a line of a table's stacked layout
/// could not hold a heading and its value.
pub const NARROWEST: usize = 20;

/// The columns `s` takes on a terminal (an East Asian wide character takes two). `s` has
/// been escaped for the terminal ([`terminal::text`]): it holds no control character.
pub(crate) fn width_of(s: &str) -> usize {
    if terminal::printable_ascii(s) {
        s.len()
    } else {
        s.width()
    }
}

/// What a kept space becomes while text is wrapped: a no-break space, which
/// `WordSeparator::AsciiSpace` does not break at.
const JOINED: char = '\u{a0}';

/// `s` with the spaces that are no place to break joined ([`JOINED`]), when it has any and no
/// no-break space of its own (which would be written back as a space): the space before a
/// percent sign, which keeps a band's "80–95 %" whole, and the space after a one-letter label
/// before its figure, which keeps explain's "(b 0.750, d 0.000, …)" in readable pairs.
fn joined(s: &str) -> Option<String> {
    if !s.contains(' ') || s.contains(JOINED) {
        return None;
    }
    let b = s.as_bytes();
    // A figure: digits and points, then the end of the word ("0.750", "0.750," or "0.50)").
    let figure = |from: usize| {
        let n = b[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b'.')
            .count();
        let ends = |at: usize| b.get(at).is_none_or(|c| *c == b' ');
        n > 0
            && b[from].is_ascii_digit()
            && (ends(from + n) || (matches!(b[from + n], b',' | b')' | b';') && ends(from + n + 1)))
    };
    let kept = |i: usize| {
        let percent = b.get(i + 1) == Some(&b'%');
        // The label is a word of its own: "b" or "(b".
        let starts = |at: usize| at == 0 || b[at - 1] == b' ';
        let label = i >= 1
            && b[i - 1].is_ascii_alphabetic()
            && (starts(i - 1) || (b[i - 2] == b'(' && starts(i - 2)))
            && figure(i + 1);
        percent || label
    };
    let mut out = String::with_capacity(s.len() + 8);
    let mut any = false;
    for (i, c) in s.char_indices() {
        if c == ' ' && kept(i) {
            out.push(JOINED);
            any = true;
        } else {
            out.push(c);
        }
    }
    any.then_some(out)
}

/// The widest run of `s` between spaces (a percent sign kept with its number, a label with its
/// figure): what a column that wraps at spaces cannot go below.
pub(crate) fn widest_word(s: &str) -> usize {
    if let Some(j) = joined(s) {
        return j.split(' ').map(width_of).max().unwrap_or(0);
    }
    s.split(' ').map(width_of).max().unwrap_or(0)
}

/// `s` wrapped at spaces into lines of at most `width` columns (a word wider than that is
/// broken; a percent sign stays with its number, a one-letter label with its figure), each line
/// starting with `first` (the first) or `rest` (the others).
pub(crate) fn wrap<'a>(
    s: &'a str,
    width: usize,
    first: &'a str,
    rest: &'a str,
) -> Vec<Cow<'a, str>> {
    // A stand-in for an invisible character (`⟨U+200B⟩`) is a place to break a long word at,
    // and is not broken itself: half of one on each line reads as two pieces of text.
    let separator = if s.contains('⟨') {
        textwrap::WordSeparator::Custom(stand_in_words)
    } else {
        textwrap::WordSeparator::AsciiSpace
    };
    let options = textwrap::Options::new(width.max(1))
        .word_separator(separator)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true)
        .initial_indent(first)
        .subsequent_indent(rest);
    if let Some(j) = joined(s) {
        return textwrap::wrap(&j, options)
            .into_iter()
            .map(|l| Cow::Owned(l.replace(JOINED, " ")))
            .collect();
    }
    textwrap::wrap(s, options)
}

/// The words of `line` between ASCII spaces, as `WordSeparator::AsciiSpace` finds them, each
/// also split before and after every stand-in it holds ([`stand_in_len`]): a word wider than
/// its column is then broken at a stand-in's edge before anywhere else, and a stand-in wider
/// than nothing but the column itself stays whole.
fn stand_in_words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let b = line.as_bytes();
    let mut cuts = vec![0];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b' ' {
            let end = i + b[i..].iter().take_while(|c| **c == b' ').count();
            cuts.push(end);
            i = end;
        } else if let Some(n) = stand_in_len(&line[i..]) {
            if cuts.last() != Some(&i) {
                cuts.push(i);
            }
            i += n;
            if b.get(i).is_some_and(|c| *c != b' ') {
                cuts.push(i);
            }
        } else {
            // The next character, whole: a stand-in starts only where a character does.
            i += line[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if cuts.last() != Some(&b.len()) {
        cuts.push(b.len());
    }
    let words: Vec<_> = cuts
        .windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| textwrap::core::Word::from(&line[w[0]..w[1]]))
        .collect();
    Box::new(words.into_iter())
}

/// The length in bytes of the stand-in `s` starts with (`⟨U+` four to six hex digits `⟩`,
/// as [`crate::escape`] writes one), if it starts with one.
fn stand_in_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("⟨U+")?;
    let digits = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
    ((4..=6).contains(&digits) && rest[digits..].starts_with('⟩'))
        .then(|| "⟨U+".len() + digits + "⟩".len())
}

/// Wraps, in place, every line of `out` from byte `start` on that is wider than `width`, at
/// spaces: a line's continuations are indented two columns deeper than it is, under the
/// branches of a tree it is part of ([`hanging`]). Nothing to do without a width, or when every
/// line fits.
pub(crate) fn prose_from(out: &mut String, start: usize, width: Option<usize>) {
    let Some(width) = width.map(|w| w.max(NARROWEST)) else {
        return;
    };
    // Bytes are at least as many as columns: a text whose lines are all short enough in
    // bytes fits, and is not measured again.
    if out[start..].split('\n').all(|l| l.len() <= width) {
        return;
    }
    let mut fitted = String::with_capacity(out.len() - start + 64);
    for (k, line) in out[start..].split('\n').enumerate() {
        if k > 0 {
            fitted.push('\n');
        }
        if width_of(line) <= width {
            fitted.push_str(line);
            continue;
        }
        let mut body = line.trim_start_matches(TREE);
        if width_of(&line[..line.len() - body.len()]) + NARROWEST / 2 > width {
            // Not an indent but text of its own (a name of box-drawing characters).
            body = line;
        }
        let indent = &line[..line.len() - body.len()];
        let hanging = hanging(indent);
        for (i, piece) in wrap(body, width, indent, &hanging).iter().enumerate() {
            if i > 0 {
                fitted.push('\n');
            }
            fitted.push_str(piece);
        }
    }
    out.truncate(start);
    out.push_str(&fitted);
}

/// What a line may start with before its text: indentation, and the branches of a tree
/// (`explain`'s derivation).
const TREE: &[char] = &[' ', '│', '├', '└', '─'];

/// The indentation of a line's continuations, from the line's own (`indent`): the branches of
/// a tree carried on (a `├─ ` node's text continues under `│    `, a `└─ ` node's under blanks)
/// and two columns deeper.
fn hanging(indent: &str) -> String {
    let mut out: String = indent
        .chars()
        .map(|c| match c {
            '│' | '├' => '│',
            _ => ' ',
        })
        .collect();
    out.push_str("  ");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_word_breaks_beside_its_stand_ins_not_inside_them() {
        let word = "ab⟨U+E0043⟩⟨U+200B⟩cdefghijklmnop⟨U+202E⟩";
        let lines = wrap(word, 12, "", "");
        assert_eq!(
            lines,
            ["ab⟨U+E0043⟩", "⟨U+200B⟩", "cdefghijklmn", "op⟨U+202E⟩"]
        );
        // Between spaces as before, and a word that fits is not broken at its stand-in.
        assert_eq!(wrap("a ⟨U+200B⟩b cc", 16, "", ""), ["a ⟨U+200B⟩b cc"]);
        assert_eq!(wrap("xx ⟨U+200B⟩bcd", 8, "", ""), ["xx", "⟨U+200B⟩", "bcd"]);
        // Characters of several bytes before a stand-in are stepped over whole.
        assert_eq!(wrap("§é⟨U+FEFF⟩漢字", 12, "", ""), ["§é⟨U+FEFF⟩", "漢字"]);
        // Not a stand-in: five-digit text in other brackets, or no closing one.
        assert_eq!(stand_in_len("⟨U+12⟩"), None);
        assert_eq!(stand_in_len("⟨U+12345"), None);
        assert_eq!(stand_in_len("⟨U+10FFFF⟩x"), Some("⟨U+10FFFF⟩".len()));
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width_of("MuddyWater"), 10);
        assert_eq!(width_of("伊朗情报部"), 10);
        assert_eq!(width_of("Anneé"), 5);
        assert_eq!(widest_word("Ministry of Intelligence"), 12);
    }

    #[test]
    fn long_lines_wrap_with_a_hanging_indent_and_short_ones_stay() {
        let mut out = String::from("kept\n");
        let start = out.len();
        out.push_str("  Group 1201 (g1201): very unlikely only because of opposition\nshort\n");
        prose_from(&mut out, start, Some(24));
        assert_eq!(
            out,
            "kept\n  Group 1201 (g1201):\n    very unlikely only\n    because of\n    opposition\nshort\n"
        );
        for line in out.lines() {
            assert!(width_of(line) <= 24, "{line}");
        }
        let before = out.clone();
        prose_from(&mut out, 0, None);
        assert_eq!(out, before);
    }

    #[test]
    fn a_tree_keeps_its_branches_on_wrapped_lines() {
        let mut out = String::from(
            "├─ claim d5 by Mandiant [B]: albania-2022 attributed to iran\n\
             │  └─ wording: \"Likely Iranian Threat Actor Conducts\"\n",
        );
        prose_from(&mut out, 0, Some(30));
        assert_eq!(
            out,
            "├─ claim d5 by Mandiant [B]:\n\
             │    albania-2022 attributed\n\
             │    to iran\n\
             │  └─ wording: \"Likely Iranian\n\
             │       Threat Actor Conducts\"\n"
        );
    }

    #[test]
    fn a_line_of_branches_alone_is_wrapped_as_text() {
        let mut out = "─".repeat(50) + " x\n";
        prose_from(&mut out, 0, Some(20));
        assert!(out.lines().all(|l| width_of(l) <= 20), "{out}");
        assert_eq!(out.replace(['\n', ' '], ""), "─".repeat(50) + "x");
    }

    #[test]
    fn a_percent_sign_stays_with_its_number() {
        assert_eq!(widest_word("very likely (80–95 %)"), 9);
        assert_eq!(
            wrap("likely (55–80 %)", 10, "", ""),
            ["likely", "(55–80 %)"]
        );
        let mut out = String::from("P is very likely (80–95 %) on this\n");
        prose_from(&mut out, 0, Some(24));
        assert!(out.contains("(80–95 %)"), "{out}");
    }

    #[test]
    fn a_label_stays_with_its_figure() {
        let text = "claim opinion (b 0.750, d 0.000, u 0.250, a 0.50) and P 0.925";
        for width in 12..40 {
            for line in wrap(text, width, "", "") {
                assert!(
                    !line.ends_with("(b") && !line.ends_with(" d"),
                    "{width}: {line}"
                );
                assert!(!line.ends_with(" P"), "{width}: {line}");
            }
        }
        // Words of one letter elsewhere still break: "a" before a word is no label.
        assert_eq!(wrap("a claim", 2, "", ""), ["a", "cl", "ai", "m"]);
        // A no-break space of the text's own is kept as it is.
        assert_eq!(wrap("b\u{a0}1 x", 20, "", ""), ["b\u{a0}1 x"]);
    }

    #[test]
    fn a_word_wider_than_the_width_is_broken() {
        let lines = wrap("see https://example.org/a/very/long/path", 20, "", "");
        assert!(lines.iter().all(|l| width_of(l) <= 20), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "seehttps://example.org/a/very/long/path"
        );
    }
}
