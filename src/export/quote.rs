//! The one place untrusted text becomes DOT.
//!
//! `dot-writer` writes ids and values verbatim, so an evidence file written by someone else
//! could otherwise inject attributes (`x", URL="file:///etc/passwd`), break out of a quoted
//! string with a trailing backslash, or smuggle markup into an HTML-like label. Every id,
//! label, tooltip and cluster title goes through [`quoted`]; every piece of text inside an
//! HTML-like label goes through [`html`].

/// A DOT double-quoted string: `\` and `"` escaped, a newline as `\n` (a centred line break in
/// Graphviz), carriage returns, every other control character and the XML non-characters
/// dropped. The result is always one well-formed quoted string, whatever the input.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() || not_xml(c) => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for inside an HTML-like label: XML-escaped, control characters and the XML
/// non-characters dropped. The caller wraps the markup it builds in `<` `>`; no input character
/// can open or close a tag.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<BR/>"),
            c if c.is_control() || not_xml(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// U+FFFE and U+FFFF, the only characters a Rust string can hold that XML 1.0 forbids besides
/// control characters. Graphviz parses HTML-like labels as XML (and fails on them) and copies
/// quoted strings into SVG (which then is not well-formed).
fn not_xml(c: char) -> bool {
    matches!(c, '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_neutralises_injection() {
        assert_eq!(
            quoted(r#"x", URL="file:///etc/passwd"#),
            r#""x\", URL=\"file:///etc/passwd""#
        );
        assert_eq!(quoted("ends with \\"), r#""ends with \\""#);
        assert_eq!(quoted("two\nlines\r"), r#""two\nlines""#);
        assert_eq!(quoted("a\u{0}b\u{7}c"), r#""abc""#);
        assert_eq!(quoted("{ } ; -> <b>"), r#""{ } ; -> <b>""#);
        assert_eq!(quoted("a\u{fffe}b\u{ffff}c\u{fffd}"), "\"abc\u{fffd}\"");
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html(r#"<B>x</B> & "y" 'z'"#),
            "&lt;B&gt;x&lt;/B&gt; &amp; &quot;y&quot; &#39;z&#39;"
        );
        assert_eq!(html("a\u{fffe}b\u{ffff}c\u{fffd}"), "abc\u{fffd}");
    }
}
