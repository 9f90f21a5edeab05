//! A URL from a case where it becomes a link, in the form RFC 3986 gives a URI: what STIX's
//! `url` must be (the OASIS validator refuses `https://gov.al/sulmi kibernetik` and
//! `https://gov.al/çështje`) and what the reports link to. An analyst pastes an address as the
//! browser shows it, with spaces and letters of their language; the link carries the same
//! address with those characters percent-encoded as UTF-8, as a browser sends it.

use std::borrow::Cow;
use std::fmt::Write;

use iri_string::types::UriStr;

/// The URL as a link, or `None` when it may not be one: not `http`, `https` or `mailto`
/// ([`web_scheme`]), or no URI even once every character a URI cannot hold is
/// percent-encoded (a port that is no number, a host that is no host: `https://a:b:c/`).
/// Borrowed, trimmed of outer white space, when it already is a URI.
pub fn link(url: &str) -> Option<Cow<'_, str>> {
    if plainly_a_uri(url) {
        return Some(Cow::Borrowed(url));
    }
    let url = url.trim();
    if !web_scheme(url) {
        return None;
    }
    if UriStr::new(url).is_ok() {
        return Some(Cow::Borrowed(url));
    }
    let encoded = encode(url);
    UriStr::new(&encoded).is_ok().then_some(Cow::Owned(encoded))
}

/// A file's path, as named on the command line, as the URI reference that names it (what
/// SARIF's `artifactLocation.uri` holds): a relative path as a relative reference, read from
/// where the tool ran (`./` dropped, since GitHub matches the rest against the repository's
/// paths), an absolute one as a `file:` URI. Every byte of a segment but RFC 3986's
/// unreserved characters and sub-delimiters is percent-encoded (`%`, `?`, `#`, a space, a
/// letter outside ASCII), and so is `:` (a relative reference whose first segment held one
/// would be read as a scheme), so that the reference resolves to the very file.
pub fn file_reference(path: &str) -> String {
    let (prefix, rest) = match path.strip_prefix('/') {
        Some(rest) => ("file:///", rest.trim_start_matches('/')),
        None => ("", strip_dot_segments(path)),
    };
    let mut out = String::with_capacity(prefix.len() + rest.len() + 8);
    out.push_str(prefix);
    for &b in rest.as_bytes() {
        let keep = b == b'/' || (unescaped(b) && !matches!(b, b':' | b'?'));
        if keep {
            out.push(char::from(b));
        } else {
            write!(out, "%{b:02X}").expect("writing to a String cannot fail");
        }
    }
    out
}

/// A relative path without its leading `./` segments (`./graphs/a.ron` is `graphs/a.ron`).
fn strip_dot_segments(mut path: &str) -> &str {
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/');
    }
    path
}

/// Whether a URL begins with `http://`, `https://` or `mailto:`, in any case.
pub fn web_scheme(url: &str) -> bool {
    let url = url.trim().as_bytes();
    [&b"https://"[..], b"http://", b"mailto:"]
        .iter()
        .any(|scheme| begins_with(url, scheme))
}

/// Whether `url` begins with `scheme`, in any case.
fn begins_with(url: &[u8], scheme: &[u8]) -> bool {
    url.get(..scheme.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
}

/// Whether a URL is, at a glance, an RFC 3986 URI: `http` or `https`, a host of letters,
/// digits, `-` and `.` with perhaps a port, and a path, query and fragment of the characters
/// they may hold unescaped (no `%`, no second `#`). The addresses cases cite nearly all are,
/// and a million of them are linked in a large export: the full grammar is for the rest.
fn plainly_a_uri(url: &str) -> bool {
    let b = url.as_bytes();
    let start = match () {
        () if begins_with(b, b"https://") => 8,
        () if begins_with(b, b"http://") => 7,
        () => return false,
    };
    let mut i = start;
    while i < b.len() && CLASS[usize::from(b[i])] & HOST != 0 {
        i += 1;
    }
    if i == start {
        return false;
    }
    if b.get(i) == Some(&b':') {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if b.get(i).is_some_and(|c| !matches!(c, b'/' | b'?' | b'#')) {
        return false;
    }
    let mut fragment = false;
    for &c in &b[i..] {
        if CLASS[usize::from(c)] & UNESCAPED == 0 {
            if c != b'#' || fragment {
                return false;
            }
            fragment = true;
        }
    }
    true
}

/// [`CLASS`]: the byte may stand unescaped anywhere after a URI's scheme ([`unescaped`]).
const UNESCAPED: u8 = 1;
/// [`CLASS`]: the byte may stand in a host [`plainly_a_uri`] passes (letters, digits, `-`, `.`).
const HOST: u8 = 2;
/// What each byte may be, looked up once per byte of a million URLs.
static CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if unescaped(c) {
            class[b] |= UNESCAPED;
        }
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'.' {
            class[b] |= HOST;
        }
        b += 1;
    }
    class
};

/// Whether a byte stands unescaped anywhere after a URI's scheme: ASCII letters and digits and
/// RFC 3986's unreserved and reserved marks but `#`, `[` and `]`, which only one place holds.
const fn unescaped(b: u8) -> bool {
    matches!(b,
        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9'
        | b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'@' | b'!' | b'$' | b'&' | b'\''
        | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=')
}

/// `url` with every byte a URI cannot hold where it stands percent-encoded: anything but
/// [`unescaped`] bytes; a `%` that begins no
/// `%XX` escape; `[` and `]` outside the host (where they bracket an IPv6 address); a `#`
/// after the first (a fragment holds none).
fn encode(url: &str) -> String {
    let bytes = url.as_bytes();
    let host = authority(url);
    let fragment = url.find('#');
    let mut out = String::with_capacity(url.len() + 16);
    for (i, &b) in bytes.iter().enumerate() {
        let keep = match b {
            b'%' => bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
            b'[' | b']' => host.contains(&i),
            b'#' => fragment == Some(i),
            _ => unescaped(b),
        };
        if keep {
            out.push(char::from(b));
        } else {
            write!(out, "%{b:02X}").expect("writing to a String cannot fail");
        }
    }
    out
}

/// The byte range of the authority (`//` to the first `/`, `?` or `#` after it), empty when
/// there is none (`mailto:`).
fn authority(url: &str) -> std::ops::Range<usize> {
    let Some(start) = url.find("://").map(|colon| colon + 3) else {
        return 0..0;
    };
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |end| start + end);
    start..end
}

#[cfg(test)]
mod tests {
    use super::{UriStr, file_reference, link, plainly_a_uri};
    use iri_string::types::UriReferenceStr;
    use proptest::prelude::*;

    proptest! {
        /// The glance never passes what the grammar refuses, and every link is a URI.
        #[test]
        fn every_link_is_a_uri(url in "(https?|HTTP|mailto):(//)?[a-z0-9.:@\\[\\]%#?/ é|{}-]{0,24}") {
            if plainly_a_uri(&url) {
                prop_assert!(UriStr::new(&url).is_ok(), "{}", url);
            }
            if let Some(uri) = link(&url) {
                prop_assert!(UriStr::new(&uri).is_ok(), "{}", uri);
            }
        }
    }

    proptest! {
        /// Every path is a URI reference that decodes back to it (less a leading `./`), and a
        /// relative one stays relative: no scheme, no authority.
        #[test]
        fn a_path_is_a_reference_to_it(path in "(/|\\./)?[a-zA-Z0-9 .:%?#@+é/\\[\\]-]{1,24}") {
            let reference = file_reference(&path);
            prop_assert!(UriReferenceStr::new(&reference).is_ok(), "{}", reference);
            let decoded = percent_decoded(reference.strip_prefix("file://").unwrap_or(&reference));
            if path.starts_with('/') {
                prop_assert!(reference.starts_with("file:///"), "{}", reference);
                prop_assert_eq!(decoded.trim_start_matches('/'), path.trim_start_matches('/'));
            } else {
                let relative = UriReferenceStr::new(&reference).unwrap();
                prop_assert!(relative.scheme_str().is_none() && relative.authority_str().is_none());
                prop_assert!(path.ends_with(&decoded), "{} {}", path, decoded);
            }
        }
    }

    fn percent_decoded(s: &str) -> String {
        let mut bytes = Vec::new();
        let mut rest = s.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            if b == b'%' {
                let hex = std::str::from_utf8(&tail[..2]).unwrap();
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
                rest = &tail[2..];
            } else {
                bytes.push(b);
                rest = tail;
            }
        }
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn paths_are_written_as_references() {
        for (path, reference) in [
            ("graphs/albania-2022.ron", "graphs/albania-2022.ron"),
            ("./graphs/a.ron", "graphs/a.ron"),
            (
                "cases/Viasat 2022 (draft).ron",
                "cases/Viasat%202022%20(draft).ron",
            ),
            ("c:a.ron", "c%3Aa.ron"),
            ("50%#?.json", "50%25%23%3F.json"),
            ("çështje.ron", "%C3%A7%C3%ABshtje.ron"),
            ("/home/me/a b.ron", "file:///home/me/a%20b.ron"),
        ] {
            assert_eq!(file_reference(path), reference, "{path}");
        }
    }

    #[test]
    fn a_uri_is_linked_as_it_is() {
        for url in [
            "https://www.cisa.gov/news-events/cybersecurity-advisories/aa22-264a",
            "https://x.org/a%20b?q=1&r=(2)#frag",
            "http://[2001:db8::1]:8080/p",
            "mailto:cert@example.org",
        ] {
            assert_eq!(link(url).as_deref(), Some(url), "{url}");
        }
        assert_eq!(
            link("  https://x.org/ \n").as_deref(),
            Some("https://x.org/")
        );
    }

    #[test]
    fn what_a_uri_cannot_hold_is_percent_encoded_as_utf8() {
        for (url, uri) in [
            (
                "https://www.gov.al/lajme/sulmi kibernetik",
                "https://www.gov.al/lajme/sulmi%20kibernetik",
            ),
            (
                "https://example.com/çështje?q=ë#x",
                "https://example.com/%C3%A7%C3%ABshtje?q=%C3%AB#x",
            ),
            ("https://x.org/100%", "https://x.org/100%25"),
            (
                "http://[2001:db8::1]/a [b]",
                "http://[2001:db8::1]/a%20%5Bb%5D",
            ),
            (
                "https://x.org/a[1]|b^{c}",
                "https://x.org/a%5B1%5D%7Cb%5E%7Bc%7D",
            ),
            ("https://x.org/a#b#c", "https://x.org/a#b%23c"),
            (
                "https://x.org/\"<x>\"\\`",
                "https://x.org/%22%3Cx%3E%22%5C%60",
            ),
            ("https://x.org/a\u{202e}b", "https://x.org/a%E2%80%AEb"),
            (
                "mailto:cert team@example.org",
                "mailto:cert%20team@example.org",
            ),
        ] {
            assert_eq!(link(url).as_deref(), Some(uri), "{url}");
        }
    }

    #[test]
    fn no_link_where_no_uri_can_be_written() {
        for url in [
            "javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "file:///etc/passwd",
            "www.example.org",
            "https://x.org:port/",
            "https://a:1:2/",
            "http://[not-ipv6]/",
        ] {
            assert_eq!(link(url), None, "{url}");
        }
    }
}
