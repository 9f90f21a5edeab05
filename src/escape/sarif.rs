//! SARIF plain-text messages (`message.text`). Two of their characters are syntax there:
//!
//! - A square bracket begins an embedded link (`[text](target)`, SARIF 2.1.0 §3.11.6), which a
//!   viewer such as GitHub code scanning shows as a link. A case that names an actor
//!   `[see the fix](https://…)` must not put a link in front of the reviewer, so every bracket
//!   of case text is escaped with a backslash (`\[`, `\]`). The standard asks it only inside
//!   a link's text and lets brackets stand elsewhere, but a name outside a link could then
//!   make one; the viewers attrib is written for (GitHub's, CodeQL's, Visual Studio's) read
//!   `\[` as `[` anywhere. A backslash before a bracket or a backslash is doubled, lest it be
//!   read as an escape; inside a link's text ([`link_text`]) every backslash is, as the
//!   grammar of a link's text has it.
//! - A curly brace is a placeholder's (`{0}`, §3.11.5), so each is doubled (`{{`, `}}`): an
//!   id `{0}` is not an argument to fill in.
//!
//! The text has already been through [`super::terminal`] (no invisible character raw); JSON's
//! escaping follows.

use std::borrow::Cow;

/// `text` with `[` and `]` escaped, a backslash that stands before either or before another
/// backslash doubled, and braces doubled.
pub fn text(text: &str) -> Cow<'_, str> {
    escaped(text, false)
}

/// `text` as the text of an embedded link: as [`text`], and every backslash doubled.
pub fn link_text(text: &str) -> Cow<'_, str> {
    escaped(text, true)
}

fn escaped(text: &str, in_link: bool) -> Cow<'_, str> {
    let backslash = if in_link {
        text.contains('\\')
    } else {
        text.contains("\\\\")
    };
    if !text.contains(['[', ']', '{', '}']) && !backslash {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | ']' => out.push('\\'),
            '{' | '}' => out.push(c),
            '\\' if in_link || matches!(chars.peek(), Some('\\' | '[' | ']')) => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{link_text, text};

    /// Reads escaped text back as a viewer does: a backslash before `\`, `[` or `]` stands
    /// for that character; a `[` not escaped would begin a link.
    fn shown(escaped: &str) -> Option<String> {
        let mut out = String::new();
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.clone().next() {
                    Some(n @ ('\\' | '[' | ']')) => {
                        chars.next();
                        out.push(n);
                    }
                    _ => out.push('\\'),
                },
                '[' | ']' => return None,
                _ => out.push(c),
            }
        }
        Some(out)
    }

    #[test]
    fn brackets_never_make_a_link_and_read_back_as_written() {
        for case in [
            "unknown name `[see the fix](https://evil.example/)`",
            "claims[3].source",
            r"a\[b\]c",
            r"C:\cases\x.ron",
            r"ends in a backslash\",
            r"\\[",
            r"a\\b",
            r"\\\",
            "no brackets at all",
        ] {
            let escaped = text(case);
            assert_eq!(shown(&escaped).as_deref(), Some(case), "{escaped}");
        }
        assert_eq!(text("a[b]"), r"a\[b\]");
        assert_eq!(text("nothing refers to `{0}`"), "nothing refers to `{{0}}`");
        assert_eq!(
            link_text(r"`a\b` is named so here"),
            r"`a\\b` is named so here"
        );
        assert_eq!(link_text(r"ends\"), r"ends\\");
        assert_eq!(link_text("[x]"), r"\[x\]");
        assert!(matches!(text(r"C:\x"), std::borrow::Cow::Borrowed(_)));
    }
}
