//! JSON strings: what serde_json escapes (a quote, a backslash, C0 controls), and every other
//! invisible character ([`super::is_invisible`]: DEL, C1 controls, bidirectional controls,
//! line and paragraph separators, zero-width spaces) as a `\u` escape of four hex digits
//! (`\u202e`).
//!
//! JSON is data: the escapes read back to the very characters of the case, so a report, a
//! converted case or a STIX bundle loses nothing. serde_json alone writes the invisible ones
//! raw, which is valid JSON but not safe to look at: `cat report.json` or `jq -r` on a
//! terminal, or a diff in a code review, shows an actor whose name holds a right-to-left
//! override reversed. Escaped, it reads `Act\u202eor`.
//!
//! Everything attrib writes as JSON goes through here: the hand-driven writers of the JSON
//! report and the STIX bundle (through [`needs_escape`] and [`Compact`]), and serde's through
//! a formatter whose string fragments [`fragment`] writes ([`Compact`], and the pretty layout
//! `report::Pretty`).

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// Whether `s` is written other than as it is between quotes: it holds a quote, a backslash,
/// a control character or another invisible one. Eight bytes at a time for the plain ASCII
/// that makes up most strings of a report (ids, labels, numbers' names); text with other
/// characters is checked a character at a time.
#[inline]
pub fn needs_escape(s: &str) -> bool {
    if plain_ascii(s.as_bytes()) {
        return false;
    }
    s.chars()
        .any(|c| c == '"' || c == '\\' || super::is_invisible(c))
}

/// Whether every byte is printable ASCII other than a quote or a backslash. A word has a byte
/// below `n` (n ≤ 128) exactly when `(x - n·0x01…01) & !x & 0x80…80` is not zero, and a byte
/// equal to `c` when `x ^ c·0x01…01` has a byte below 1; a byte of 0x80 or more has its high
/// bit set.
#[inline]
fn plain_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bits of the bytes below `n`, or equal to `c`; with those of bytes of 0x7f or more
    // (see `below_del`), one test of all four for each word.
    let below = |x: u64, n: u64| x.wrapping_sub(n * ONES) & !x;
    let equal = |x: u64, c: u8| below(x ^ (u64::from(c) * ONES), 1);
    let plain_word = |x: u64| {
        let found = below(x, 0x20) | equal(x, b'"') | equal(x, b'\\') | x | x.wrapping_add(ONES);
        found & HIGH == 0
    };
    let plain = |word: &[u8]| plain_word(u64::from_le_bytes(word.try_into().expect("eight bytes")));
    let n = bytes.len();
    if n >= 8 {
        // The last word overlaps the one before it rather than leaving bytes to check one by
        // one.
        return bytes.chunks_exact(8).all(plain) && plain(&bytes[n - 8..]);
    }
    // Fewer than eight bytes (most ids) make one word: two overlapping halves, or the first,
    // middle and last bytes (every byte of three or fewer), the rest spaces.
    let word = if n >= 4 {
        let half = |at: usize| {
            u64::from(u32::from_le_bytes(
                bytes[at..at + 4].try_into().expect("four bytes"),
            ))
        };
        half(0) | half(n - 4) << 32
    } else if n > 0 {
        u64::from_le_bytes([
            bytes[0],
            bytes[n / 2],
            bytes[n - 1],
            b' ',
            b' ',
            b' ',
            b' ',
            b' ',
        ])
    } else {
        return true;
    };
    plain_word(word)
}

/// Whether every byte is below DEL (0x7f), eight at a time: a byte of 0x7f or more has its
/// high bit set once one is added to it (a carry comes only out of 0xff, itself so).
#[inline]
fn below_del(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if (x | x.wrapping_add(ONES)) & HIGH != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|&b| b < 0x7f)
}

/// Writes a run of a string that serde_json found nothing to escape in, with each invisible
/// character in it as a `\u` escape of four hex digits (every one of them is in the Basic
/// Multilingual Plane, so one escape each). serde_json calls this between the escapes it
/// writes itself.
#[inline]
pub fn fragment<W: ?Sized + Write>(w: &mut W, fragment: &str) -> io::Result<()> {
    // Every invisible character is DEL or beyond ASCII; serde_json escaped what is below.
    if below_del(fragment.as_bytes()) {
        return w.write_all(fragment.as_bytes());
    }
    let mut start = 0;
    for (at, c) in fragment.char_indices() {
        if super::is_invisible(c) {
            w.write_all(&fragment.as_bytes()[start..at])?;
            write!(w, "\\u{:04x}", c as u32)?;
            start = at + c.len_utf8();
        }
    }
    w.write_all(&fragment.as_bytes()[start..])
}

/// serde_json's compact layout, with strings escaped as this module escapes them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Compact;

impl Formatter for Compact {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, s: &str) -> io::Result<()> {
        fragment(w, s)
    }
}

/// `s` as a JSON string, between quotes.
pub fn write_str<W: ?Sized + Write>(w: &mut W, s: &str) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Compact);
    s.serialize(&mut ser).map_err(io::Error::from)
}

/// `value` as compact JSON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Compact);
    value
        .serialize(&mut ser)
        .expect("serialising plain data into memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Invisible characters are escaped, and what is written reads back to the same string.
    #[test]
    fn invisible_characters_are_escaped_and_read_back_unchanged() {
        for (s, written) in [
            ("Act\u{202e}or", r#""Act\u202eor""#),
            ("a\u{7f}b", r#""a\u007fb""#),
            ("x\u{85}y\u{2028}z", r#""x\u0085y\u2028z""#),
            ("zero\u{200b}width", r#""zero\u200bwidth""#),
            ("tab\tquote\"back\\", r#""tab\tquote\"back\\""#),
            ("\u{1b}[2J", r#""\u001b[2J""#),
        ] {
            assert_eq!(quoted(s), written, "{s:?}");
            assert_eq!(serde_json::from_str::<String>(written).unwrap(), s);
            assert!(needs_escape(s), "{s:?}");
        }
    }

    /// Text a reader sees as it is stays as it is: Persian with its zero-width non-joiner,
    /// emoji, accents.
    #[test]
    fn visible_text_is_written_as_it_is() {
        for s in [
            "MuddyWater",
            "وزارت اطلاعات\u{200c}ها",
            "Gruppe Ä 🐻",
            "a-longer-plain-ascii-identifier_0123456789",
            "",
        ] {
            assert!(!needs_escape(s), "{s:?}");
            assert_eq!(quoted(s), format!("\"{s}\""));
        }
    }

    /// The word-at-a-time check agrees with a byte-at-a-time one at every position of a word.
    #[test]
    fn the_fast_check_sees_every_byte() {
        for len in 0..20 {
            for at in 0..len {
                for bad in [b'"', b'\\', 0x00, 0x1f, 0x7f, 0xc3] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = bad;
                    assert!(!plain_ascii(&bytes), "{bad:#x} at {at} of {len}");
                }
                assert!(plain_ascii(&vec![b'~'; len]));
                for good in [b' ', b'!', b'#', b'[', b']', b'~'] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = good;
                    assert!(plain_ascii(&bytes), "{good:#x} at {at} of {len}");
                }
                for high in [0x7f, 0x80, 0xc3, 0xff] {
                    let mut bytes = vec![b'~'; len];
                    bytes[at] = high;
                    assert!(!below_del(&bytes), "{high:#x} at {at} of {len}");
                }
                assert!(below_del(&vec![b'~'; len]));
            }
        }
    }
}
