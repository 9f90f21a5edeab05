//! SARIF plain-text messages (`message.text`): a square bracket is the syntax of an embedded
//! link there (`[text](target)`, SARIF 2.1.0 §3.11.6), which a viewer such as GitHub code
//! scanning shows as a link. A case that names an actor `[see the fix](https://…)` must not
//! put a link in front of the reviewer, so every bracket of case text is escaped with a
//! backslash (`\[`, `\]`), as the grammar of a link's text has it, and so is a backslash
//! before a bracket or another backslash, which would otherwise be read as an escape. The text has already been through
//! [`super::terminal`] (no invisible character raw); JSON's escaping follows.

use std::borrow::Cow;

/// `text` with `[` and `]` escaped, and a backslash that stands before either or before
/// another backslash doubled.
pub fn text(text: &str) -> Cow<'_, str> {
    if !text.contains(['[', ']']) && !text.contains("\\\\") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | ']' => out.push('\\'),
            '\\' if matches!(chars.peek(), Some('\\' | '[' | ']')) => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::text;

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
        assert!(matches!(text(r"C:\x"), std::borrow::Cow::Borrowed(_)));
    }
}
