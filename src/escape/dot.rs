//! The one place untrusted text becomes DOT.
//!
//! `dot-writer` writes ids and values verbatim, so an evidence file written by someone else
//! could otherwise inject attributes (`x", URL="file:///etc/passwd`), break out of a quoted
//! string with a trailing backslash, or smuggle markup into an HTML-like label. Every id,
//! label, tooltip and cluster title goes through [`quoted`] (or [`push_quoted`]); every piece
//! of text inside an HTML-like label goes through [`html`].

/// A DOT double-quoted string: `\` and `"` escaped, `&` as `&amp;`, a newline as `\n` (a
/// centred line break in Graphviz), carriage returns dropped and every other invisible
/// character shown by its stand-in ([`super::visible`]). The result is always one well-formed
/// quoted string, whatever the input. Graphviz decodes character references in every string,
/// so a case's `&#27;` would otherwise reach an SVG as a raw escape character (not even
/// well-formed XML) and its `&lt;` would be drawn as `<`.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, &[text]);
    out
}

/// Graphviz refuses a quoted string or an HTML-like label longer than 16,384 bytes (2.43:
/// "syntax error ... longer than 16384?"), and with it the whole figure. Every string a case
/// supplies is cut to [`TEXT_CHARS`] characters, a name to [`NAME_CHARS`]; escaped, a
/// character takes at most 13 bytes (`⟨U+10FFFF⟩`), so no string reaches the limit.
pub const TEXT_CHARS: usize = 1000;

/// What a name (of an actor, a group, an incident, a source, a victim), an alias or an id
/// is cut to in a label: a figure cannot show more of it, and its tooltip shows up to
/// [`TEXT_CHARS`].
pub const NAME_CHARS: usize = 200;

/// `text` cut to `max` characters, an ellipsis in place of the rest.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    // Up to `max` bytes it holds no more than `max` characters: nothing to count.
    if text.len() <= max {
        return text.into();
    }
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((at, _)) => format!("{}…", &text[..at]).into(),
    }
}

/// [`quoted`] of `parts` written one after another, appended to `out`: a node id such as
/// `"claim:d5"` is quoted from its prefix and the case's id without joining them first (every
/// node and edge of a large figure writes two).
pub fn push_quoted(out: &mut String, parts: &[&str]) {
    push_escaped(out, parts, "\\\\");
}

/// What stands for a backslash in a tooltip: U+29F5 REVERSE SOLIDUS OPERATOR, which looks
/// like one.
pub const TOOLTIP_BACKSLASH: char = '\u{29f5}';

/// [`push_quoted`] for a tooltip, with each backslash drawn as [`TOOLTIP_BACKSLASH`]. No
/// quoting of a backslash survives every Graphviz: 2.43 reads a tooltip's escapes twice (its
/// `\\N` comes out as the node's name), later versions once. Any backslash left in a
/// tooltip would let a case's text (a Windows path, `C:\Temp\Nlaunch.exe`) pull the node's
/// name, the graph's or a label into it.
pub fn push_tooltip(out: &mut String, text: &str) {
    let mut backslash = [0; 4];
    push_escaped(out, &[text], TOOLTIP_BACKSLASH.encode_utf8(&mut backslash));
}

/// A quoted string of `parts`, with `backslash` written for each backslash, each part cut to
/// [`TEXT_CHARS`].
fn push_escaped(out: &mut String, parts: &[&str], backslash: &str) {
    out.push('"');
    for text in parts {
        let text = clip(text, TEXT_CHARS);
        // Nearly every id and label is printable text with nothing to escape: runs of it are
        // copied whole, and only the characters that need a look are decoded (every node and
        // edge of a large figure passes through here; a hypothesis's tooltip has an arrow).
        let mut rest = &*text;
        while let Some(at) = rest
            .bytes()
            .position(|b| !matches!(b, b' '..=b'~') || matches!(b, b'\\' | b'"' | b'&'))
        {
            out.push_str(&rest[..at]);
            let ch = rest[at..].chars().next().expect("a character starts here");
            match ch {
                '\\' => out.push_str(backslash),
                '"' => out.push_str("\\\""),
                '&' => out.push_str("&amp;"),
                '\n' => out.push_str("\\n"),
                '\r' => {}
                c if super::is_invisible(c) => out.push_str(&super::visible(c)),
                c => out.push(c),
            }
            rest = &rest[at + ch.len_utf8()..];
        }
        out.push_str(rest);
    }
    out.push('"');
}

/// Text for inside an HTML-like label: XML-escaped, a backslash doubled, invisible characters
/// shown by their stand-ins. The caller wraps the markup it builds in `<` `>`; no input
/// character can open or close a tag. Graphviz reads the escapes of an escString in a label's
/// text (`\N` is the node's name, `\G` the graph's) and `\\` as one backslash; an XML
/// character reference would not help, as it is decoded before them.
pub fn html(text: &str) -> String {
    // As in `quoted`: printable ASCII with no markup character is copied whole.
    if text.bytes().all(|b| {
        matches!(b, b' '..=b'~') && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\\')
    }) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("<BR/>"),
            '\r' => {}
            c if super::is_invisible(c) => out.push_str(&super::visible(c)),
            c => out.push(c),
        }
    }
    out
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
        assert_eq!(quoted("a\u{0}b\u{7}c"), "\"a␀b␇c\"");
        assert_eq!(quoted("\u{202e}x"), "\"⟨U+202E⟩x\"");
        assert_eq!(quoted("{ } ; -> <b>"), r#""{ } ; -> <b>""#);
        // Graphviz decodes character references: the case's text is drawn as written.
        assert_eq!(
            quoted("&#27; &lt;b&gt; &"),
            r#""&amp;#27; &amp;lt;b&amp;gt; &amp;""#
        );
        assert_eq!(
            quoted("a\u{fffe}b\u{ffff}c\u{fffd}"),
            "\"a⟨U+FFFE⟩b⟨U+FFFF⟩c\u{fffd}\""
        );
    }

    #[test]
    fn every_ascii_character_is_escaped_the_same_in_a_plain_string_and_a_marked_one() {
        // A string of printable ASCII takes the whole-copy path, one with a character to
        // escape the per-character path: both must treat each character alike.
        for b in 0u8..128 {
            let c = char::from(b);
            let quoted_as = match c {
                '\\' => "\\\\".to_string(),
                '&' => "&amp;".to_string(),
                '"' => "\\\"".to_string(),
                '\n' => "\\n".to_string(),
                '\r' => String::new(),
                c if c.is_control() => crate::escape::visible(c),
                c => c.to_string(),
            };
            assert_eq!(
                quoted(&format!("a{c}b")),
                format!("\"a{quoted_as}b\""),
                "{b}"
            );
            assert_eq!(
                quoted(&format!("a{c}b\u{7}")),
                format!("\"a{quoted_as}b\u{2407}\""),
                "{b}"
            );
            let html_as = match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                '\\' => "\\\\".to_string(),
                '\n' => "<BR/>".to_string(),
                '\r' => String::new(),
                c if c.is_control() => crate::escape::visible(c),
                c => c.to_string(),
            };
            assert_eq!(html(&format!("a{c}b")), format!("a{html_as}b"), "{b}");
            assert_eq!(html(&format!("a{c}b<")), format!("a{html_as}b&lt;"), "{b}");
        }
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc…");
        assert_eq!(clip("ééé", 3), "ééé", "six bytes, three characters");
        assert_eq!(clip("éééé", 3), "ééé…");
        // Escaped, the longest string a case can make stays under Graphviz's 16,384 bytes.
        let worst = "\u{10fffe}".repeat(TEXT_CHARS * 2);
        assert!(quoted(&worst).len() < 16_384);
    }

    #[test]
    fn a_tooltip_keeps_no_backslash() {
        let mut out = String::new();
        push_tooltip(&mut out, "C:\\Temp\\Nlaunch.exe \"x\"\nnext\\");
        assert_eq!(out, "\"C:⧵Temp⧵Nlaunch.exe \\\"x\\\"\\nnext⧵\"");
    }

    /// The escaping of every character one at a time, as `quoted` was first written.
    fn quoted_per_character(text: &str) -> String {
        let mut out = String::from("\"");
        for ch in text.chars() {
            match ch {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '&' => out.push_str("&amp;"),
                '\n' => out.push_str("\\n"),
                '\r' => {}
                c if crate::escape::is_invisible(c) => out.push_str(&crate::escape::visible(c)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn runs_of_plain_text_are_escaped_as_each_character_would_be() {
        // Every character of the first planes that need a look (controls, markup, arrows,
        // bidirectional marks, non-characters), alone, between plain text and side by side.
        let marked: Vec<char> = (0u32..0x3000)
            .chain(0xfff0..=0xffff)
            .filter_map(char::from_u32)
            .filter(|c| !matches!(c, ' '..='~') || matches!(c, '\\' | '"' | '&'))
            .collect();
        for (i, c) in marked.iter().enumerate() {
            let next = marked[(i + 1) % marked.len()];
            for text in [
                c.to_string(),
                format!("ab{c}cd"),
                format!("{c}{next}x"),
                format!("x{c}{c}"),
            ] {
                assert_eq!(quoted(&text), quoted_per_character(&text), "{text:?}");
                let mut parts = String::new();
                push_quoted(&mut parts, &["claim:", &text, "", "→"]);
                assert_eq!(
                    parts,
                    quoted_per_character(&format!("claim:{text}→")),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html(r#"<B>x</B> & "y" 'z'"#),
            "&lt;B&gt;x&lt;/B&gt; &amp; &quot;y&quot; &#39;z&#39;"
        );
        assert_eq!(
            html("a\u{fffe}b\u{ffff}c\u{fffd}"),
            "a⟨U+FFFE⟩b⟨U+FFFF⟩c\u{fffd}"
        );
    }
}
