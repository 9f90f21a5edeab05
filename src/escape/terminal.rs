//! Case text on its way to a terminal. A terminal interprets escape sequences (`\e[2J` clears
//! the screen, `\e]0;…\a` sets the window title) and reorders text around bidirectional
//! overrides, so every invisible character is shown by its stand-in instead
//! ([`super::visible`]); a newline in a name becomes `␊` and cannot break a table row.

use std::borrow::Cow;

/// Text safe to print: every invisible character replaced by its visible stand-in.
pub fn text(s: &str) -> Cow<'_, str> {
    // Printable ASCII holds no invisible character: checked a byte at a time first, since
    // every cell of a large table passes through here.
    if printable_ascii(s) || !s.chars().any(super::is_invisible) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if super::is_invisible(c) {
            out.push_str(&super::visible(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `s` is printable ASCII, which [`text`] passes as it is: every byte is looked at
/// (no early exit), which lets the check run over many bytes at once.
pub(crate) fn printable_ascii(s: &str) -> bool {
    s.bytes().fold(true, |ok, b| ok & (0x20..0x7f).contains(&b))
}

/// Like [`text`], but keeps line breaks and tabs: for multi-line blocks attrib lays out itself
/// (a diagnostic's source excerpt keeps its own lines).
pub fn block(s: &str) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t';
    if !s.chars().any(|c| super::is_invisible(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if super::is_invisible(c) && !keep(c) {
            out.push_str(&super::visible(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(text("Act\u{1b}[2Jor"), "Act␛[2Jor");
        assert_eq!(text("t\u{1b}]0;pwned\u{7}"), "t␛]0;pwned␇");
        assert_eq!(text("a\nb"), "a␊b");
        assert_eq!(text("\u{202e}cba"), "⟨U+202E⟩cba");
        assert_eq!(text("\u{9b}31m"), "⟨U+009B⟩31m");
        assert!(matches!(text("Government of Iran"), Cow::Borrowed(_)));
        assert_eq!(block("a\nb\u{1b}"), "a\nb␛");
    }
}
