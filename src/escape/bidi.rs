//! Right-to-left case text inside the reports' left-to-right sentences.
//!
//! A report writes "…through the competing hypothesis روسيا الاتحادية. 2 claims argue against
//! it". By the Unicode bidirectional algorithm the full stop and the number that follow the
//! Arabic name join its right-to-left run, and a browser shows "…hypothesis 2 .روسيا الاتحادية
//! claims argue…": the count reads as part of the sentence before. Each stretch of
//! right-to-left text is therefore put between a first-strong isolate (U+2068) and a pop
//! directional isolate (U+2069) in the HTML and Markdown reports, which every browser and
//! Markdown viewer lays out as one unit, in its own direction, that nothing around it joins.
//!
//! The escapers know the case's text, not where a name begins in a sentence made of names,
//! so a stretch is found from the text itself: from a right-to-left letter to the last one
//! before a left-to-right letter or a separator of names (an arrow, a comma, a semicolon, a
//! bar) or the end, with what stands between them, the marks right after it, and the numbers
//! right after it (`الوحدة 8200` is one name), but not the punctuation (the sentence's own). The case's own isolate controls never reach an output raw
//! ([`super::is_invisible`]), so every isolate in it is one of these, and they pair.

use std::ops::Range;

/// First strong isolate: opens a stretch laid out in the direction of its first letter.
const OPEN: char = '\u{2068}';
/// Pop directional isolate: closes it.
const CLOSE: char = '\u{2069}';

/// The stretches of right-to-left text of one string, and where an escaper writing it is.
pub(crate) struct Isolates {
    runs: Vec<Range<usize>>,
    next: usize,
    open_until: Option<usize>,
}

impl Isolates {
    /// The stretches of `s` to isolate (none, without allocating, for ASCII and other text
    /// without a right-to-left letter).
    pub(crate) fn of(s: &str) -> Isolates {
        Isolates {
            runs: if s.is_ascii() { Vec::new() } else { runs(s) },
            next: 0,
            open_until: None,
        }
    }

    /// To call before writing the character at byte `at` of the string: closes the stretch
    /// that ends there, opens the one that begins there.
    #[inline]
    pub(crate) fn before(&mut self, out: &mut String, at: usize) {
        if self.open_until == Some(at) {
            out.push(CLOSE);
            self.open_until = None;
        }
        if let Some(run) = self.runs.get(self.next)
            && run.start == at
        {
            out.push(OPEN);
            self.open_until = Some(run.end);
            self.next += 1;
        }
    }

    /// To call once the whole string is written: closes a stretch that runs to its end.
    pub(crate) fn end(&mut self, out: &mut String) {
        if self.open_until.take().is_some() {
            out.push(CLOSE);
        }
    }
}

/// Whether `c` is a right-to-left letter: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan,
/// Mandaic and their presentation forms, and the historic right-to-left scripts of the
/// supplementary planes.
fn right_to_left(c: char) -> bool {
    in_right_to_left_block(c) && c.is_alphabetic()
}

/// Whether `c` is in a block of right-to-left scripts (their letters, marks, signs and
/// digits alike).
fn in_right_to_left_block(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'
            | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
}

/// Whether `c` is a digit the stretch before it keeps: ASCII, Arabic-Indic or extended
/// Arabic-Indic.
fn digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// Whether `c` continues the right-to-left text right before it: a mark or sign of a
/// right-to-left script (Hebrew points and cantillation, Arabic harakat, Arabic punctuation),
/// a joiner or non-joiner, a variation selector or a combining diacritic.
fn continues(c: char) -> bool {
    in_right_to_left_block(c)
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

/// Whether `c` separates names in the reports' sentences (a chain `A → B`, a list `A, B`, a
/// rename `old → new`): right-to-left names on both sides are isolated apart, so that each
/// reads in its own direction and the sentence keeps their order.
fn separates(c: char) -> bool {
    matches!(c, '→' | '←' | '↔' | ',' | ';' | '|')
}

/// The byte ranges of `s` to isolate ([`Isolates`]).
fn runs(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut last_end = 0;
    for (i, c) in s.char_indices() {
        if right_to_left(c) {
            start.get_or_insert(i);
            last_end = i + c.len_utf8();
        } else if start.is_some() && i == last_end && continues(c) {
            last_end = i + c.len_utf8();
        } else if (c.is_alphabetic() || separates(c))
            && let Some(from) = start.take()
        {
            out.push(from..with_numbers(s, last_end));
        }
    }
    if let Some(from) = start {
        out.push(from..with_numbers(s, last_end));
    }
    out
}

/// `end`, moved past the numbers that follow it, each after spaces.
fn with_numbers(s: &str, mut end: usize) -> usize {
    loop {
        let rest = &s[end..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let digits: usize = rest[spaces..]
            .chars()
            .take_while(|&c| digit(c))
            .map(char::len_utf8)
            .sum();
        if digits == 0 {
            return end;
        }
        end += spaces + digits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isolated(s: &str) -> String {
        let mut out = String::new();
        let mut iso = Isolates::of(s);
        for (i, c) in s.char_indices() {
            iso.before(&mut out, i);
            out.push(c);
        }
        iso.end(&mut out);
        out.replace(OPEN, "⁅").replace(CLOSE, "⁆")
    }

    #[test]
    fn right_to_left_stretches_are_isolated_without_the_sentence_around_them() {
        assert_eq!(
            isolated("the competing hypothesis روسيا الاتحادية. 2 claims argue"),
            "the competing hypothesis ⁅روسيا الاتحادية⁆. 2 claims argue"
        );
        assert_eq!(isolated("תולעת החול."), "⁅תולעת החול⁆.");
        assert_eq!(
            isolated("by الوحدة 8200 and ١٢ وزارة ٣ (MOIS)"),
            "by ⁅الوحدة 8200⁆ and ١٢ ⁅وزارة ٣⁆ (MOIS)"
        );
        assert_eq!(
            isolated("Sandworm (Voodoo Bear), 2022"),
            "Sandworm (Voodoo Bear), 2022"
        );
        assert_eq!(isolated("Iran: وزارت اطلاعات"), "Iran: ⁅وزارت اطلاعات⁆");
        // Names apart in a chain, a list, a rename: each in its own isolate.
        assert_eq!(
            isolated("through أسود → קופר הרון → الوحدة"),
            "through ⁅أسود⁆ → ⁅קופר הרון⁆ → ⁅الوحدة⁆"
        );
        assert_eq!(
            isolated("روسيا, ايران; اسرائيل"),
            "⁅روسيا⁆, ⁅ايران⁆; ⁅اسرائيل⁆"
        );
        // A point, a sign or a joiner after the last letter stays with it.
        assert_eq!(isolated("שָׁלוֹם\u{591}."), "⁅שָׁלוֹם\u{591}⁆.");
        assert_eq!(isolated("روسيا؟ x"), "⁅روسيا؟⁆ x");
        assert_eq!(isolated("می\u{200c}خواهم."), "⁅می\u{200c}خواهم⁆.");
        assert!(Isolates::of("plain ASCII").runs.is_empty());
    }
}
