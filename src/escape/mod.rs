//! Every string from a case is untrusted, in every output syntax. Each syntax has one module
//! here, and every renderer passes case text through it:
//!
//! - [`terminal`] — text for a terminal: no escape sequence, control or bidirectional
//!   override reaches it raw (an actor named `Act\e[2Jor` must not clear the screen);
//! - [`markdown`] — inline Markdown text and table cells: no markup, raw HTML or line break;
//! - [`html`] — HTML element text and attribute values;
//! - [`dot`] — Graphviz DOT quoted strings and HTML-like labels;
//! - [`ron`] — the RON files attrib writes: the ron crate's escapes, the apostrophe's undone;
//! - [`json`] — JSON strings (the JSON report, JSON cases, diffs, STIX bundles): serde_json's
//!   escapes, and `\u` escapes (`\u202e`) for the invisible characters it writes raw;
//! - [`sarif`] — SARIF plain-text messages: no bracket of the case's makes an embedded link;
//! - [`roff`] — the man pages: text outside ASCII as roff's escapes;
//! - [`uri`] — URLs that become links (STIX `url`, HTML `href`, Markdown link targets): in
//!   RFC 3986's form, percent-encoded where a URI cannot hold what the case wrote.
//!
//! What the modules share is the notion of an *invisible* character: one that changes how
//! the text around it is shown without being seen itself (C0 and C1 controls, DEL, the Unicode
//! bidirectional controls, line and paragraph separators, the zero-width space and word
//! joiners, U+FFFE and U+FFFF). Each is replaced by a visible stand-in ([`visible`]), so a
//! reader sees that it is there and a display cannot be subverted: `ir⟨U+200B⟩an` in a
//! diagnostic, not an `iran` that is not `iran`.

/// Whether a URL from a case may become a link in any output: only `http`, `https` and
/// `mailto` (any case, outer white space ignored) that can be written as a URI ([`uri::link`]).
/// Anything else — `javascript:`, `data:`, `file:`, a relative path — is shown as text, never
/// followed. The one rule for the HTML and Markdown reports and the STIX export.
pub fn linkable(url: &str) -> bool {
    uri::link(url).is_some()
}

/// Whether `text` shows nothing: only white space and invisible characters ([`is_invisible`]).
/// Such a name or id is empty, however many characters it holds.
pub fn blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Runs of more characters than this without a space may be broken anywhere, in an HTML
/// table ([`html::text_breaking_long_runs`]) and a diagram's label (`export::dot`): longer
/// than any word of a report or of a name in use ("Bundesnachrichtendienst" is 23), so that
/// no ordinary word is ever broken, while a name of hundreds of characters without a space
/// (a file made by a program, or a hostile one) cannot set the width of a page or a figure.
pub const LONG_RUN: usize = 32;

mod bidi;
pub mod dot;
pub mod html;
pub mod json;
pub mod markdown;
pub mod roff;
pub mod ron;
pub mod sarif;
pub mod svg;
pub mod terminal;
pub mod uri;

/// Whether `c` must never be emitted raw: controls (C0, DEL, C1), the bidirectional embedding,
/// override and isolate controls and marks, the line and paragraph separators, the zero-width
/// space, the word joiner and the zero-width no-break space (U+200B, U+2060, U+FEFF: nothing
/// shows them, so a name holding one reads as another), the other format characters nothing
/// draws (the combining grapheme joiner U+034F, the Khmer inherent vowels U+17B4 and U+17B5,
/// which Unicode advises against using, the invisible mathematical operators U+2061–U+2064,
/// the deprecated format controls
/// U+206A–U+206F, the Mongolian vowel separator, the interlinear annotation marks
/// U+FFF9–U+FFFB, the musical format controls U+1D173–U+1D17A and the tag characters
/// U+E0000–U+E007F, which can spell hidden ASCII), the Hangul fillers that draw as a blank
/// (U+115F, U+1160, U+3164, U+FFA0), and the non-characters U+FFFE and U+FFFF (which XML, and
/// so SVG and HTML, forbid). The zero-width joiner and non-joiner stay: Persian and emoji
/// spell with them; so do the variation selectors, which choose an emoji's or an ideograph's
/// form, and the soft hyphen, which text copied from web pages holds and a line break at it
/// shows.
#[inline]
pub fn is_invisible(c: char) -> bool {
    // Most text is printable ASCII, asked about for every character of every output: answered
    // by two comparisons (the controls are U+0000–U+001F and U+007F–U+009F).
    if c < '\u{7f}' {
        return c < ' ';
    }
    c <= '\u{9f}'
        || matches!(
            c,
            '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
                | '\u{180E}' | '\u{200B}' | '\u{200E}'
                | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}' | '\u{2028}' | '\u{2029}' | '\u{3164}'
                | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{FFFE}'
                | '\u{FFFF}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}'
        )
}

/// The first invisible character ([`is_invisible`]) of `text`: what an id, an alias or a
/// family may not hold (a reader cannot see it, and it cannot be typed on the command line).
pub fn first_invisible(text: &str) -> Option<char> {
    text.chars().find(|&c| is_invisible(c))
}

/// `text` as a terminal shows it: without its invisible characters ([`is_invisible`]) and
/// the terminal escape sequences they begin (`ESC [ 31 m`, colour red, shows nothing). What an
/// id pasted from a coloured terminal reads as, to match a reference to it written plainly.
pub fn shown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            match chars.peek() {
                // A control sequence: parameters and intermediates up to a final byte.
                Some('[') => {
                    chars.next();
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // A string (operating system command, device control, privacy message,
                // application program command, start of string): its text up to BEL or the
                // string terminator `ESC \`, as a terminal hides a hyperlink's address or
                // a window title.
                Some(']' | 'P' | '^' | '_' | 'X') => {
                    chars.next();
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' {
                            break;
                        }
                        if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                            chars.next();
                            break;
                        }
                    }
                }
                // ESC and one character.
                Some(_) => {
                    chars.next();
                }
                None => {}
            }
        } else if !is_invisible(c) {
            out.push(c);
        }
    }
    out
}

/// The visible stand-in of an invisible character: a Unicode control picture for C0 controls
/// and DEL (`␛` for ESC, `␊` for a line feed), else the code point in angle brackets
/// (`⟨U+202E⟩`). None of these characters is markup in any syntax attrib writes.
pub fn visible(c: char) -> String {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32)
            .map(String::from)
            .unwrap_or_default(),
        '\u{7f}' => "\u{2421}".to_string(),
        c => format!("\u{27e8}U+{:04X}\u{27e9}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_text_drops_what_a_terminal_does_not_show() {
        assert_eq!(shown_text("tele\u{1b}[31mbots"), "telebots");
        assert_eq!(shown_text("a\u{1b}[1;38;5;196mb\u{1b}[0m"), "ab");
        assert_eq!(shown_text("x\u{200b}y\u{202e}z"), "xyz");
        assert_eq!(shown_text("\u{1b}"), "");
        assert_eq!(shown_text("plain"), "plain");
        // ESC and one character (reverse index), then a hyperlink whose address and
        // terminators a terminal hides, by BEL and by `ESC \`.
        assert_eq!(shown_text("a\u{1b}Mb"), "ab");
        assert_eq!(
            shown_text("\u{1b}]8;;https://x.org\u{7}gru\u{1b}]8;;\u{1b}\\"),
            "gru"
        );
        assert_eq!(shown_text("\u{1b}]0;title"), "");
    }

    /// Only the three schemes, in any case, with white space around; nothing that merely
    /// contains one.
    #[test]
    fn only_http_https_and_mailto_are_links() {
        for url in [
            "https://x.org",
            " HTTP://x.org ",
            "mailto:a@b.org",
            "HttpS://x",
        ] {
            assert!(linkable(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "x.org/https://",
            "http:/x",
            "",
            "ftp://x.org",
        ] {
            assert!(!linkable(url), "{url}");
        }
    }

    #[test]
    fn stand_ins_are_themselves_visible() {
        for c in [
            '\u{0}', '\u{1b}', '\n', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{2028}',
            '\u{200b}', '\u{2060}', '\u{feff}', '\u{34f}', '\u{17b4}',
        ] {
            assert!(is_invisible(c), "{c:?}");
            let v = visible(c);
            assert!(!v.is_empty());
            assert!(!v.chars().any(is_invisible), "{c:?} -> {v}");
        }
        assert_eq!(visible('\u{1b}'), "␛");
        assert_eq!(visible('\u{202e}'), "⟨U+202E⟩");
        assert!(!is_invisible('é') && !is_invisible(' ') && !is_invisible('\u{200d}'));
        assert!(!is_invisible('\u{200c}'), "the non-joiner spells Persian");
        assert!(
            !is_invisible('\u{fe0f}'),
            "a variation selector chooses an emoji's form"
        );
    }

    /// Below U+0100 exactly the controls are invisible: the short way for ASCII and the C1
    /// controls answers as `char::is_control` does.
    #[test]
    fn the_first_characters_are_invisible_exactly_when_controls() {
        for c in '\u{0}'..='\u{ff}' {
            assert_eq!(is_invisible(c), c.is_control(), "{c:?}");
        }
    }
}
