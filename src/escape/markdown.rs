//! Case text inside a Markdown document (CommonMark with GitHub tables).
//!
//! A name is inline text: it must not open emphasis, a link, a code span or a table cell, nor
//! carry raw HTML (`<img src=x onerror=…>` would run in many Markdown previewers), nor end the
//! line. Markdown's own characters are backslash-escaped, `<` and `>` become entities
//! (which every renderer shows as the character, in table cells too), an `&` that would start
//! a character reference is escaped, line breaks and tabs
//! become spaces, and other invisible characters their visible stand-ins. Right-to-left text
//! is isolated (`super::bidi`).

use super::bidi::Isolates;

/// Inline Markdown text, safe in a paragraph, a heading and a table cell. Leading and trailing
/// white space is dropped (Markdown would drop it too, or read four leading spaces as code).
pub fn text(s: &str) -> String {
    let s = s.trim_matches(|c: char| c.is_whitespace());
    let mut out = String::with_capacity(s.len() + 8);
    let mut isolates = Isolates::of(s);
    for (i, c) in s.char_indices() {
        isolates.before(&mut out, i);
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // Only markup at the start of a line, but the caller may place the text there.
            '#' | '+' | '-' | '=' | ':' | '>' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            // At the end of a heading, "Op #" would close it: the heading would read "Op".
            '#' if i + 1 == s.len() => out.push_str("\\#"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Only where it would begin a character reference (`&lt;`): "ATT&CK" stays as is.
            '&' if starts_reference(&s[i + 1..]) => out.push_str("\\&"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if super::is_invisible(c) => out.push_str(&super::visible(c)),
            c => out.push(c),
        }
    }
    isolates.end(&mut out);
    // A run of digits and a dot or parenthesis at the start would begin an ordered list.
    if let Some(end) = out.find(|c: char| !c.is_ascii_digit())
        && end > 0
        && matches!(out[end..].chars().next(), Some('.' | ')'))
    {
        out.insert(end, '\\');
    }
    out
}

/// Whether text after a `&` reads as a character reference: `#x41;`, `amp;`.
fn starts_reference(rest: &str) -> bool {
    let name = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .unwrap_or(rest.len());
    name > 0 && rest[name..].starts_with(';')
}

/// A URL as the target of a Markdown link `[text](url)`: only `http`, `https` and `mailto`
/// URLs are linked (a `javascript:` URL must never become a link), as a URI
/// ([`super::uri::link`]) whose parentheses are percent-encoded so the URL cannot end the link
/// early.
pub fn link_target(url: &str) -> Option<String> {
    let uri = super::uri::link(url)?;
    Some(uri.replace('(', "%28").replace(')', "%29"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_html_are_inert() {
        assert_eq!(
            text("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(text("a|b\nc"), r"a\|b c");
        assert_eq!(text("*bold* [x](y)"), r"\*bold\* \[x\](y)");
        assert_eq!(text("# heading"), r"\# heading");
        assert_eq!(text("1. first"), r"1\. first");
        assert_eq!(text("x\u{202e}y"), "x⟨U+202E⟩y");
        assert_eq!(text("U.S. Cyber Command"), "U.S. Cyber Command");
        assert_eq!(text("MITRE ATT&CK"), "MITRE ATT&CK");
        assert_eq!(text("a &lt; b"), r"a \&lt; b");
    }

    #[test]
    fn only_web_urls_become_links() {
        assert_eq!(link_target("javascript:alert(1)"), None);
        assert_eq!(
            link_target("https://example.org/a b(c)").as_deref(),
            Some("https://example.org/a%20b%28c%29")
        );
    }
}
