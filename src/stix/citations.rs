//! MITRE ATT&CK's markup in descriptions. ATT&CK cites the sources of a relationship inline,
//! as `(Citation: Name)` markers that each name one of the object's `external_references`,
//! and links the objects it mentions as Markdown (`[APT41](https://attack.mitre.org/groups/G0096)`).
//! A claim's wording is the source's words, so the import reads them without the markup, and
//! it links the claim to the report the description cites first: ATT&CK lists its references
//! in no particular order, so the first reference is not the one the sentence rests on.

/// A description read: its words without markup, and the names it cites, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read<'a> {
    /// The words, or none when the description was nothing but citations.
    pub words: Option<String>,
    /// Each name cited, once, in the order of first citation.
    pub cited: Vec<&'a str>,
}

const MARKER: &str = "(Citation:";

/// Reads a description: drops its `(Citation: …)` markers, keeps the text of its web links.
/// A marker without its closing parenthesis, and anything that is not a web link, stays as
/// written.
pub fn read(description: &str) -> Read<'_> {
    let mut cited: Vec<&str> = Vec::new();
    let mut words = String::with_capacity(description.len());
    let mut rest = description;
    while let Some(at) = rest.find(MARKER) {
        let Some(len) = rest[at..].find(')') else {
            break;
        };
        words.push_str(&unlinked(&rest[..at]));
        // The space before a marker goes with it: "used X. (Citation: A)" reads "used X.".
        words.truncate(words.trim_end().len());
        let name = rest[at + MARKER.len()..at + len].trim();
        if !name.is_empty() && !cited.contains(&name) {
            cited.push(name);
        }
        rest = &rest[at + len + 1..];
    }
    words.push_str(&unlinked(rest));
    let words = words.trim();
    Read {
        words: (!words.is_empty()).then(|| words.to_string()),
        cited,
    }
}

/// `[text](https://…)` → `text`, for every web link in `s`; any other bracket stays.
fn unlinked(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| {
            let text = &after[..close];
            let target = &after[close + 2..];
            let end = target.find(')')?;
            let url = &target[..end];
            let web = url.starts_with("https://") || url.starts_with("http://");
            let plain = !text.contains(['[', ']']) && !url.contains(char::is_whitespace);
            (web && plain).then_some((text, close + 2 + end + 1))
        });
        match link {
            Some((text, len)) => {
                out.push_str(&rest[..open]);
                out.push_str(text);
                rest = &after[len..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_keeps_its_words_and_loses_its_markup() {
        // As ATT&CK 18.1 writes the HomeLand Justice relationship.
        let r = read(
            "[HEXANE](https://attack.mitre.org/groups/G1001) probed victim infrastructure in \
             support of [HomeLand Justice](https://attack.mitre.org/campaigns/C0038).\
             (Citation: Microsoft Albanian Government Attacks September 2022)",
        );
        assert_eq!(
            r.words.as_deref(),
            Some("HEXANE probed victim infrastructure in support of HomeLand Justice.")
        );
        assert_eq!(
            r.cited,
            ["Microsoft Albanian Government Attacks September 2022"]
        );
    }

    #[test]
    fn citations_alone_leave_no_words_and_keep_their_order() {
        let r = read(
            "(Citation: NSA Joint Advisory SVR SolarWinds April 2021)(Citation: UK NSCS Russia \
             SolarWinds April 2021) (Citation: NSA Joint Advisory SVR SolarWinds April 2021) ",
        );
        assert_eq!(r.words, None);
        assert_eq!(
            r.cited,
            [
                "NSA Joint Advisory SVR SolarWinds April 2021",
                "UK NSCS Russia SolarWinds April 2021"
            ]
        );
    }

    #[test]
    fn a_citation_between_words_leaves_one_space() {
        let r = read("Used by A (Citation: X) and later by B.(Citation: Y)");
        assert_eq!(r.words.as_deref(), Some("Used by A and later by B."));
        assert_eq!(r.cited, ["X", "Y"]);
    }

    #[test]
    fn what_is_not_markup_stays_as_written() {
        for s in [
            "An open (Citation: never closed",
            "[not a link] and [a file](file:///etc/passwd) and [x](https://a b)",
            "nested [[x]](https://example.org) and a lone ] and [",
            "(Citation:)",
        ] {
            let r = read(s);
            let expected = if s == "(Citation:)" { None } else { Some(s) };
            assert_eq!(r.words.as_deref(), expected, "{s}");
            assert!(r.cited.is_empty(), "{s}");
        }
    }

    #[test]
    fn multibyte_text_around_markup_is_kept() {
        let r =
            read("Juniper Networks’ routers — [UNC3886](https://x.org/é).(Citation: Mandiant ‘A’)");
        assert_eq!(
            r.words.as_deref(),
            Some("Juniper Networks’ routers — UNC3886.")
        );
        assert_eq!(r.cited, ["Mandiant ‘A’"]);
    }
}
