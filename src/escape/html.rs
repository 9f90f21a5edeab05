//! Case text inside an HTML document: element content and double- or single-quoted attribute
//! values. `&`, `<`, `>`, `"` and `'` become character references; invisible characters their
//! visible stand-ins, so a bidirectional override cannot reorder a judgement sentence.

/// Text for element content or a quoted attribute value.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            '\r' => {}
            c if super::is_invisible(c) => out.push_str(&super::visible(c)),
            c => out.push(c),
        }
    }
    out
}

/// A URL for an `href`: only `http`, `https` and `mailto` URLs are linked, as a URI
/// ([`super::uri::link`]) escaped as an attribute value.
pub fn href(url: &str) -> Option<String> {
    super::uri::link(url).map(|uri| text(&uri))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_inert() {
        assert_eq!(
            text(r#"<script>x</script> & "y" 'z'"#),
            "&lt;script&gt;x&lt;/script&gt; &amp; &quot;y&quot; &#39;z&#39;"
        );
        assert_eq!(text("\u{202e}a"), "⟨U+202E⟩a");
        assert_eq!(href("javascript:alert(1)"), None);
        assert_eq!(
            href("https://x.org/?a=1&b=\"").as_deref(),
            Some("https://x.org/?a=1&amp;b=%22")
        );
    }
}
