//! Case text inside an HTML document: element content and double- or single-quoted attribute
//! values. `&`, `<`, `>`, `"` and `'` become character references; invisible characters their
//! visible stand-ins, so a bidirectional override cannot reorder a judgement sentence; and
//! right-to-left text is isolated, so that it does not take the sentence's punctuation and
//! numbers with it (`super::bidi`).

/// Text for element content or a quoted attribute value, its right-to-left stretches
/// isolated (`super::bidi`).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut isolates = Isolates::of(s);
    push_text(&mut out, s, 0, &mut isolates);
    isolates.end(&mut out);
    out
}

/// Writes `piece`, which begins at byte `from` of the text `isolates` was made for.
fn push_text(out: &mut String, piece: &str, from: usize, isolates: &mut Isolates) {
    for (i, c) in piece.char_indices() {
        isolates.before(out, from + i);
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
}

pub use super::LONG_RUN;
use super::bidi::Isolates;

/// [`text`], with each run of more than [`LONG_RUN`] characters without white space wrapped
/// in `<span class="long">`, which the report's style lets break anywhere. A table sizes its
/// columns by their longest unbreakable run: a name of thousands of characters without a
/// space would set the width of its table, and of the page, while breaking every cell
/// anywhere would break ordinary words of narrow columns when printed.
pub fn text_breaking_long_runs(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut isolates = Isolates::of(s);
    let mut at = 0;
    while at < s.len() {
        let rest = &s[at..];
        let run_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let run = &rest[..run_end];
        if run.chars().count() > LONG_RUN {
            out.push_str("<span class=\"long\">");
            push_text(&mut out, run, at, &mut isolates);
            out.push_str("</span>");
        } else {
            push_text(&mut out, run, at, &mut isolates);
        }
        let after = &rest[run_end..];
        let space_end = after
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(after.len());
        push_text(&mut out, &after[..space_end], at + run_end, &mut isolates);
        at += run_end + space_end;
    }
    isolates.end(&mut out);
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
        let long = "X".repeat(LONG_RUN + 1);
        assert_eq!(
            text_breaking_long_runs(&format!("through: <{long}> → Bundesnachrichtendienst")),
            format!(
                "through: <span class=\"long\">&lt;{}&gt;</span> → Bundesnachrichtendienst",
                "X".repeat(LONG_RUN + 1)
            )
        );
        assert_eq!(text_breaking_long_runs(" a\tb "), " a\tb ");
        assert_eq!(text_breaking_long_runs(""), "");
        assert_eq!(
            href("https://x.org/?a=1&b=\"").as_deref(),
            Some("https://x.org/?a=1&amp;b=%22")
        );
    }
}
