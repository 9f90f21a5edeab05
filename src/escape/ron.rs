//! Case text in the RON files attrib writes (`convert`, `import stix`, `generate`).
//!
//! The ron crate escapes a string as Rust's `char::escape_debug` does: quotes, backslashes,
//! control and invisible characters become escapes, so a hostile name cannot reach a terminal
//! that shows the file. It escapes the apostrophe as well (`\'`), which a double-quoted RON
//! string does not need and which makes "Iran's" read `Iran\'s` in the file an analyst edits
//! next. [`Apostrophes`] passes the crate's output on with that one escape undone.
//!
//! Why undoing it is exact: the crate writes every apostrophe as `\'` (RON has no other place
//! for one in a case file: no field is a `char`), so the byte before each apostrophe is the
//! backslash of its own escape, never the second half of an escaped backslash (`\\`).

use std::io::{self, Write};

/// A writer that drops the backslash before each apostrophe written through it. A backslash
/// that ends one write is held until the next shows whether an apostrophe follows.
pub struct Apostrophes<W: Write> {
    inner: W,
    held: bool,
}

impl<W: Write> Apostrophes<W> {
    /// A writer into `inner`.
    pub fn new(inner: W) -> Apostrophes<W> {
        Apostrophes { inner, held: false }
    }

    /// Writes a backslash still held (none, after a whole RON document) and gives the writer
    /// back.
    pub fn finish(mut self) -> io::Result<W> {
        if std::mem::take(&mut self.held) {
            self.inner.write_all(b"\\")?;
        }
        Ok(self.inner)
    }
}

impl<W: Write> Write for Apostrophes<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        // Nearly every piece the serializer writes is a key, a bracket or a word.
        if !self.held && !buf.iter().any(|&b| b == b'\'' || b == b'\\') {
            return self.inner.write_all(buf);
        }
        self.undo(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Apostrophes<W> {
    /// Writes `buf`, dropping each apostrophe's backslash, and holding one that ends it.
    fn undo(&mut self, mut buf: &[u8]) -> io::Result<()> {
        let Some(&first) = buf.first() else {
            return Ok(());
        };
        if std::mem::take(&mut self.held) && first != b'\'' {
            self.inner.write_all(b"\\")?;
        }
        while let Some(at) = memchr::memchr(b'\'', buf) {
            let cut = if at > 0 && buf[at - 1] == b'\\' {
                at - 1
            } else {
                at
            };
            self.inner.write_all(&buf[..cut])?;
            self.inner.write_all(b"'")?;
            buf = &buf[at + 1..];
        }
        if let [rest @ .., b'\\'] = buf {
            self.held = true;
            buf = rest;
        }
        self.inner.write_all(buf)
    }
}

/// `s` as a RON string between quotes, escaped as the files attrib writes hold it.
pub fn string(s: &str) -> String {
    let mut w = Apostrophes::new(Vec::new());
    let escaped = ron::to_string(s).expect("a string serialises");
    w.write_all(escaped.as_bytes())
        .expect("writing into memory cannot fail");
    let bytes = w.finish().expect("writing into memory cannot fail");
    String::from_utf8(bytes).expect("ron writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate's escaped text, written through [`Apostrophes`] in pieces of `step` bytes.
    fn undone(escaped: &str, step: usize) -> String {
        let mut w = Apostrophes::new(Vec::new());
        for piece in escaped.as_bytes().chunks(step) {
            w.write_all(piece).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn only_the_escape_of_an_apostrophe_is_undone() {
        let escaped = ron::to_string(&"Iran's \\' \"quoted\" \u{1b}[2J\n'").unwrap();
        assert_eq!(escaped, r#""Iran\'s \\\' \"quoted\" \u{1b}[2J\n\'""#);
        for step in 1..=escaped.len() {
            assert_eq!(
                undone(&escaped, step),
                r#""Iran's \\' \"quoted\" \u{1b}[2J\n'""#,
                "{step}"
            );
        }
    }

    proptest::proptest! {
        /// Any text written through the ron crate and [`Apostrophes`], in pieces of any size,
        /// reads back as it was, with no apostrophe escaped.
        #[test]
        fn strings_read_back_as_they_were(
            s in "([a-z '\"\\\\#\n\u{1b}\u{202e}é]){0,40}",
            step in 1usize..8,
        ) {
            let escaped = ron::to_string(&s).unwrap();
            let written = undone(&escaped, step);
            // An apostrophe after an odd run of backslashes would still be escaped.
            for (at, _) in written.match_indices('\'') {
                let run = written[..at].bytes().rev().take_while(|&b| b == b'\\').count();
                proptest::prop_assert!(run % 2 == 0, "{}", written);
            }
            proptest::prop_assert_eq!(ron::from_str::<String>(&written).unwrap(), s);
        }
    }
}
