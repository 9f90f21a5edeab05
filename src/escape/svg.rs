//! An SVG drawing made inert for embedding in an HTML page.
//!
//! The report embeds the SVG Graphviz draws. Graphviz is an outside program and the drawing
//! carries text from the case, so the SVG is not trusted either: it is re-written from an
//! allow-list. Elements that draw (`svg`, `g`, `path`, `polygon`, `text`, …) are kept with
//! their geometry and paint attributes; a link (`a`) becomes a group of its content, titled
//! with the link's `xlink:title` (the tooltip attrib gave the node or edge), and Graphviz's own
//! `<title>`s, which name nodes by their DOT ids (`incident:sony->entity:dprk`, `cluster_0`)
//! and would show as the tooltip instead, are dropped; anything else — `script`,
//! `foreignObject`, `image`, `use`, `style`, comments, processing instructions, doctypes with
//! their entity declarations — is dropped with its content. No
//! event handler, `href`, `style` or unknown attribute survives, and every attribute value and
//! text is decoded and re-escaped by [`super::html::text`], so no markup from the drawing can
//! reach the page.

use super::html;

/// Elements kept, with their allowed attributes after the common ones.
const ELEMENTS: &[(&str, &[&str])] = &[
    ("svg", &["width", "height", "viewBox"]),
    ("g", &[]),
    ("path", &["d"]),
    ("polygon", &["points"]),
    ("polyline", &["points"]),
    ("ellipse", &["cx", "cy", "rx", "ry"]),
    ("circle", &["cx", "cy", "r"]),
    ("rect", &["x", "y", "width", "height", "rx", "ry"]),
    ("line", &["x1", "y1", "x2", "y2"]),
    (
        "text",
        &[
            "x",
            "y",
            "text-anchor",
            "font-family",
            "font-size",
            "font-weight",
            "font-style",
            "text-decoration",
            "baseline-shift",
        ],
    ),
    (
        "tspan",
        &["x", "y", "dx", "dy", "font-weight", "font-style"],
    ),
];

/// Attributes every kept element may carry. Not `id`: Graphviz numbers the nodes of every
/// drawing from one (`node1`), so a page of several drawings would repeat ids, and nothing
/// refers to them.
const COMMON: &[&str] = &[
    "class",
    "transform",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
];

/// A link: written as a group of its content, with its title.
const LINK: &str = "a";

/// The drawing, rewritten from the allow-list: only `<svg>` and what it may hold, nothing
/// before or after it. Returns `None` when no `<svg>` element is found.
pub fn sanitize(svg: &str) -> Option<String> {
    let mut s = Sanitizer {
        out: String::with_capacity(svg.len()),
        dropping: Vec::new(),
        open: Vec::new(),
        seen_svg: false,
    };
    let mut rest = svg;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            s.text(rest);
            break;
        };
        s.text(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map_or("", |e| &r[e + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = skip_declaration(rest);
            continue;
        }
        let (tag, after) = read_tag(rest);
        rest = after;
        let Some(tag) = tag else {
            continue;
        };
        if tag.end {
            s.end_tag(&tag);
        } else if s.start_tag(tag) {
            break;
        }
    }
    s.finish()
}

/// The state of a rewrite: what is written, and where in the input's elements it stands.
struct Sanitizer {
    out: String,
    /// Depth inside a dropped element (its content is dropped too).
    dropping: Vec<String>,
    /// Open elements, to close what the input left open and to know what an end tag ends;
    /// with the element each was written as (none: unwrapped).
    open: Vec<(String, Option<&'static str>)>,
    seen_svg: bool,
}

impl Sanitizer {
    fn text(&mut self, t: &str) {
        text(&mut self.out, t, &self.dropping, &self.open);
    }

    /// An end tag: closes a dropped element, or every open element up to the one it ends.
    fn end_tag(&mut self, tag: &Tag) {
        if let Some(top) = self.dropping.last() {
            if *top == tag.name {
                self.dropping.pop();
            }
            return;
        }
        if let Some(pos) = self.open.iter().rposition(|(n, _)| *n == tag.name) {
            while self.open.len() > pos {
                let (_, written) = self.open.pop().expect("non-empty");
                if let Some(name) = written {
                    self.out.push_str(&format!("</{name}>"));
                }
            }
        }
    }

    /// A link's start tag: a group titled with its `xlink:title`, or nothing (its content
    /// unwrapped) when it has none.
    fn link(&mut self, tag: Tag) {
        if tag.self_closing {
            return;
        }
        let title = tag
            .attrs
            .iter()
            .find(|(k, _)| k == "xlink:title")
            .map(|(_, v)| decode(v))
            .filter(|t| !t.trim().is_empty());
        let written = title.map(|t| {
            self.out.push_str("<g><title>");
            self.out.push_str(&html::text(&t));
            self.out.push_str("</title>");
            "g"
        });
        self.open.push((tag.name, written));
    }

    /// A start tag: dropped (with its content) unless allowed inside the drawing, unwrapped,
    /// or written with its allowed attributes. True when the drawing is complete: a second
    /// `<svg>` after the first, or the first closing itself.
    fn start_tag(&mut self, tag: Tag) -> bool {
        if !self.dropping.is_empty() {
            if !tag.self_closing && self.dropping.last() == Some(&tag.name) {
                self.dropping.push(tag.name);
            }
            return false;
        }
        if !self.seen_svg && tag.name != "svg" {
            if !tag.self_closing {
                self.dropping.push(tag.name);
            }
            return false;
        }
        if tag.name == LINK {
            self.link(tag);
            return false;
        }
        let Some(&(name, allowed)) = ELEMENTS.iter().find(|(n, _)| *n == tag.name) else {
            if !tag.self_closing {
                self.dropping.push(tag.name);
            }
            return false;
        };
        if tag.name == "svg" {
            if self.seen_svg && self.open.is_empty() {
                // A second drawing after the first: not ours.
                return true;
            }
            self.seen_svg = true;
        }
        self.element(name, tag, allowed);
        self.open.is_empty() && self.seen_svg
    }

    /// Writes an allowed element's start tag with the attributes allowed on it (common or
    /// its own), values decoded and re-escaped, any `url(` reference dropped.
    fn element(&mut self, name: &'static str, tag: Tag, allowed: &[&str]) {
        let out = &mut self.out;
        out.push('<');
        out.push_str(&tag.name);
        for (k, v) in &tag.attrs {
            if COMMON.contains(&k.as_str()) || allowed.contains(&k.as_str()) {
                let v = decode(v);
                if v.to_ascii_lowercase().contains("url(") {
                    continue;
                }
                out.push_str(&format!(" {k}=\"{}\"", html::text(&v)));
            }
        }
        if tag.self_closing {
            out.push_str("/>");
        } else {
            out.push('>');
            self.open.push((tag.name, Some(name)));
        }
    }

    /// Closes what the input left open; `None` when there was no drawing.
    fn finish(mut self) -> Option<String> {
        while let Some((_, written)) = self.open.pop() {
            if let Some(name) = written {
                self.out.push_str(&format!("</{name}>"));
            }
        }
        self.seen_svg.then_some(self.out)
    }
}

fn text(out: &mut String, t: &str, dropping: &[String], open: &[(String, Option<&str>)]) {
    if dropping.is_empty() && !open.is_empty() {
        out.push_str(&html::text(&decode(t)));
    }
}

/// Skips `<!DOCTYPE …>` (with an internal subset in brackets) or `<?…?>`.
fn skip_declaration(s: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '>' if depth == 0 => return &s[i + 1..],
            _ => {}
        }
    }
    ""
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    end: bool,
    self_closing: bool,
}

/// Reads one tag from `<`; quoted attribute values may hold `>`. Names are lowercased only
/// for comparison where SVG is case-insensitive in practice; here they are kept exact, so a
/// `<SCRIPT>` is simply unknown, and dropped.
fn read_tag(s: &str) -> (Option<Tag>, &str) {
    let b = s.as_bytes();
    let mut i = 1;
    let end = b.get(1) == Some(&b'/');
    if end {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = s[name_start..i].to_string();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return (None, "");
        }
        match b[i] {
            b'>' => {
                i += 1;
                break;
            }
            b'/' => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let k_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = s[k_start..i].to_string();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let v_start = i + 1;
                    let Some(len) = s[v_start..].find(q as char) else {
                        return (None, "");
                    };
                    value = s[v_start..v_start + len].to_string();
                    i = v_start + len + 1;
                }
                _ => {
                    let v_start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = s[v_start..i].to_string();
                }
            }
        }
        if key.is_empty() {
            i += 1;
        } else {
            attrs.push((key, value));
        }
    }
    let tag = (!name.is_empty()).then_some(Tag {
        name,
        attrs,
        end,
        self_closing,
    });
    (tag, &s[i..])
}

/// XML character references decoded (`&amp;`, `&#45;`, `&#x2d;`); an unknown or malformed
/// one is kept as text (and so escaped on the way out).
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is short: its `;` is within the first bytes (found as a byte, since
        // the text after `&` may be any character).
        let semi = rest.bytes().take(12).position(|b| b == b';');
        let decoded = semi.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
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
    fn drawing_is_kept_and_anything_active_is_dropped() {
        let input = r#"<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x" [ <!ENTITY e "<script>"> ]>
<!-- Generated by graphviz -->
<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg" onload="alert(1)">
<g id="graph0" class="graph" transform="scale(1 1)">
<title>G</title>
<a xlink:href="javascript:alert(1)" xlink:title="t"><text x="1" y="2" font-size="9.00">Iran &amp; &lt;b&gt; &#45;&gt;</text></a>
<script>alert(2)</script><foreignObject><div>x</div></foreignObject>
<image href="https://evil.example/x.png"/>
<path d="M0,0L1,1" style="fill:url(https://evil.example/)" fill="url(#x)" stroke="black"/>
</g>
</svg>
<script>alert(3)</script>"#;
        let out = sanitize(input).expect("an svg");
        assert!(out.starts_with("<svg width=\"100pt\" height=\"50pt\" viewBox=\"0 0 100 50\">"));
        assert!(out.ends_with("</svg>"));
        for bad in [
            "script",
            "onload",
            "href",
            "javascript",
            "foreignObject",
            "image",
            "url(",
            "style",
            "ENTITY",
            "<!",
            "<?",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains(
            "<text x=\"1\" y=\"2\" font-size=\"9.00\">Iran &amp; &lt;b&gt; -&gt;</text>"
        ));
        assert!(out.contains("<path d=\"M0,0L1,1\" stroke=\"black\"/>"));
    }

    /// A tooltip holds a case's text in any script, next to a reference (`&gt;entity:中国`
    /// broke a byte slice inside `中`).
    #[test]
    fn text_in_any_script_beside_a_reference_is_kept() {
        for (text, kept) in [
            ("&gt;entity:中国", ">entity:中国"),
            ("a&gt;иран", "a&gt;иран"),
            ("&#45;&gt;中", "-&gt;中"),
            ("&中国;", "&amp;中国;"),
            ("&amp;a中国中国中国", "&amp;a中国中国中国"),
        ] {
            let out = sanitize(&format!(
                "<svg><a xlink:title=\"{text}\"><text>x</text></a></svg>"
            ))
            .expect("an svg");
            let kept = kept.replace('>', "&gt;");
            assert_eq!(
                out,
                format!("<svg><g><title>{kept}</title><text>x</text></g></svg>")
            );
        }
        assert_eq!(decode("&gt;entity:中国"), ">entity:中国");
        assert_eq!(decode("&中国;x"), "&中国;x");
    }

    /// A drawing Graphviz wrote after others in one run differs from the same drawing alone
    /// in its ids (`page0,1_graph0` for `graph0`) and the number of its unnamed graph (`%7`
    /// for `%3`): neither is kept, so both come out the same. Graphviz's titles, which name
    /// nodes by their DOT ids, give way to the tooltips attrib wrote, which a link carries.
    #[test]
    fn ids_and_graphviz_titles_are_dropped_and_tooltips_kept() {
        let drawing = |graph_id: &str, number: &str| {
            format!(
                "<svg width=\"9pt\"><g id=\"{graph_id}\" class=\"graph\"><title>{number}</title>\
                 <g id=\"node1\" class=\"node\"><title>entity:iran</title>\
                 <g id=\"a_node1\"><a xlink:title=\"Iran (iran)&#10;a &lt;state&gt;\">\
                 <text>Iran %3</text></a></g></g>\
                 <g id=\"node2\"><title>cluster_0</title><a><text>x</text></a></g></g></svg>"
            )
        };
        let alone = sanitize(&drawing("graph0", "%3")).expect("an svg");
        let batched = sanitize(&drawing("page0,1_graph0", "%7")).expect("an svg");
        assert_eq!(alone, batched);
        assert_eq!(
            alone,
            "<svg width=\"9pt\"><g class=\"graph\"><g class=\"node\">\
             <g><g><title>Iran (iran)\na &lt;state&gt;</title><text>Iran %3</text></g></g></g>\
             <g><text>x</text></g></g></svg>"
        );
    }

    proptest::proptest! {
        /// Any text, references and all, decodes without a panic.
        #[test]
        fn any_text_decodes(s in "([&;#xa-f0-9gtlmp中иé]){0,30}") {
            let _ = decode(&s);
        }
    }

    #[test]
    fn unterminated_or_missing_drawings() {
        assert_eq!(sanitize("no drawing here"), None);
        assert_eq!(sanitize("<svg width=\"1"), None);
        let out = sanitize("<svg><g><text>a<b").expect("an svg");
        assert_eq!(out, "<svg><g><text>a</text></g></svg>");
    }
}
