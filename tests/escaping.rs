//! The escaping modules against real parsers, on arbitrary Unicode: whatever a case holds, the
//! Markdown a reader's previewer parses is one paragraph of plain text saying exactly that, the
//! terminal sees no control or bidirectional character, HTML text cannot open a tag, and JSON
//! holds every invisible character as an escape that reads back to it.

use crate::Test;
use attrib::escape::{self, html, json, markdown, terminal};
use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Text as a reader should see it: invisible characters by their stand-ins, line breaks and
/// tabs as spaces, outer white space dropped.
fn as_seen(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim_matches(|c: char| c.is_whitespace()).chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if escape::is_invisible(c) => out.push_str(&escape::visible(c)),
            c => out.push(c),
        }
    }
    out
}

/// `out` without the isolates the HTML and Markdown escapers put around right-to-left text
/// (U+2068 … U+2069), which must pair, one after the other, each around text: no other
/// isolate or bidirectional control reaches the output.
fn without_isolates(out: &str) -> Result<String, String> {
    let mut open = None;
    let mut rest = String::new();
    for c in out.chars() {
        match (c, open) {
            ('\u{2068}', None) => open = Some(rest.len()),
            ('\u{2069}', Some(at)) if rest.len() > at => open = None,
            ('\u{2068}' | '\u{2069}', _) => return Err(format!("unpaired isolate in {out:?}")),
            (c, _) => rest.push(c),
        }
    }
    match open {
        None => Ok(rest),
        Some(_) => Err(format!("unclosed isolate in {out:?}")),
    }
}

/// Markdown-heavy text: every character CommonMark gives a meaning, digits, spaces, controls,
/// bidirectional overrides and arbitrary code points.
fn hostile() -> impl Strategy<Value = String> {
    let special = prop::sample::select(
        "\\`*_[]()<>#+-=:|~!$&;.0123456789 \n\r\t\u{1b}\u{7f}\u{9b}\u{202e}\u{2066}\u{2069}\u{2028}é—اש٣"
            .chars()
            .collect::<Vec<_>>(),
    );
    prop::collection::vec(
        prop_oneof![3 => special, 1 => any::<char>(), 2 => prop::char::range('a', 'z')],
        0..40,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn markdown_text_parses_as_one_plain_paragraph(s in hostile()) {
        let md = markdown::text(&s);
        without_isolates(&md).map_err(TestCaseError::fail)?;
        let expected = as_seen(&s);
        let mut seen = String::new();
        let mut blocks = 0;
        for event in Parser::new(&md) {
            match event {
                Event::Start(Tag::Paragraph) => blocks += 1,
                Event::End(TagEnd::Paragraph) => {}
                Event::Text(t) => seen.push_str(&t),
                other => prop_assert!(false, "{md:?} parsed as markup: {other:?}"),
            }
        }
        prop_assert!(blocks <= 1, "{md:?}");
        let seen = without_isolates(&seen).map_err(TestCaseError::fail)?;
        prop_assert_eq!(seen.trim_end(), expected.trim_end(), "from {:?}", md);
    }

    /// Reports put names in headings (`## Op #`): a heading reads as the text, whole.
    #[test]
    fn markdown_text_in_a_heading_is_the_heading_whole(s in hostile()) {
        let md = format!("## {}\n", markdown::text(&s));
        let expected = as_seen(&s);
        let mut seen = String::new();
        for event in Parser::new(&md) {
            match event {
                Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_)) => {}
                Event::Text(t) => seen.push_str(&t),
                other => prop_assert!(false, "{md:?} parsed as markup: {other:?}"),
            }
        }
        let seen = without_isolates(&seen).map_err(TestCaseError::fail)?;
        prop_assert_eq!(seen.trim(), expected.trim(), "from {:?}", md);
    }

    #[test]
    fn markdown_text_in_a_table_cell_stays_in_its_cell(s in hostile()) {
        let row = format!("| a | b |\n|---|---|\n| {} | end |\n", markdown::text(&s));
        let mut cells = 0;
        let mut last = String::new();
        let mut options = pulldown_cmark::Options::empty();
        options.insert(pulldown_cmark::Options::ENABLE_TABLES);
        for event in Parser::new_ext(&row, options) {
            match event {
                Event::Start(Tag::TableCell) => { cells += 1; last.clear(); }
                Event::Text(t) => last.push_str(&t),
                Event::Html(_) | Event::InlineHtml(_) => prop_assert!(false, "{row:?}"),
                _ => {}
            }
        }
        prop_assert_eq!(cells, 4, "{:?}", row);
        prop_assert_eq!(last.trim(), "end");
    }

    #[test]
    fn terminal_text_has_no_invisible_character(s in any::<String>()) {
        let t = terminal::text(&s);
        prop_assert!(!t.chars().any(escape::is_invisible), "{t:?}");
        let b = terminal::block(&s);
        prop_assert!(!b.chars().any(|c| escape::is_invisible(c) && c != '\n' && c != '\t'));
        // Visible text passes unchanged.
        let plain: String = s.chars().filter(|c| !escape::is_invisible(*c)).collect();
        prop_assert_eq!(terminal::text(&plain), plain.as_str());
    }

    #[test]
    fn json_strings_read_back_and_show_no_invisible_character(s in any::<String>()) {
        let j = json::to_string(&s);
        prop_assert!(!j.chars().any(escape::is_invisible), "{j:?}");
        prop_assert_eq!(serde_json::from_str::<String>(&j).unwrap(), s.clone());
        // A string with nothing to escape is written between quotes as it is.
        if !json::needs_escape(&s) {
            prop_assert_eq!(j, format!("\"{s}\""));
        }
    }

    #[test]
    fn html_text_cannot_open_a_tag_or_leave_an_attribute(s in any::<String>()) {
        let h = without_isolates(&html::text(&s)).map_err(TestCaseError::fail)?;
        prop_assert!(!h.contains(['<', '>', '"', '\'']), "{h:?}");
        prop_assert!(!h.chars().any(|c| escape::is_invisible(c) && c != '\n' && c != '\t'));
        // Every `&` starts one of the references it writes.
        for (i, _) in h.match_indices('&') {
            let rest = &h[i..];
            prop_assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|r| rest.starts_with(r)),
                "{h:?}"
            );
        }
    }
}

/// Every command that writes JSON writes a name holding a right-to-left override, a DEL and a
/// C1 control as escapes: `cat` or `jq` on a terminal shows them, and the JSON reads back to
/// the very name.
#[test]
fn every_json_output_escapes_invisible_characters() {
    let name = "COPPER\u{202e}HE\u{7f}R\u{85}ON";
    let case = include_str!("../graphs/tutorial.ron").replacen(
        "name: \"COPPER HERON\"",
        &format!("name: \"{name}\""),
        1,
    );
    assert!(case.contains(name));
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("case.ron");
    std::fs::write(&file, &case).unwrap();
    // A later version: the claim that COPPER HERON conducted the intrusion, hedged.
    let later = tmp.path().join("later.ron");
    std::fs::write(
        &later,
        case.replacen("Probability(0.8)", "Probability(0.6)", 1),
    )
    .unwrap();
    let (file, later) = (file.to_str().unwrap(), later.to_str().unwrap());
    let runs: [&[&str]; 4] = [
        &["assess", file, "--format", "json"],
        &["convert", file, "--to", "json"],
        &["export", "stix", file],
        &["diff", file, later, "--format", "json"],
    ];
    for args in runs {
        let out = Test::new().args(args).run().stdout;
        assert!(
            !out.chars().any(|c| escape::is_invisible(c) && c != '\n'),
            "{args:?}"
        );
        assert!(
            out.contains("COPPER\\u202eHE\\u007fR\\u0085ON"),
            "{args:?}:\n{out}"
        );
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        // serde_json writes the characters themselves again.
        assert!(value.to_string().contains(name), "{args:?}");
    }
}

/// clap quotes an option's value or an unknown word as given: an escape sequence in one
/// reached the terminal (on a pipe, clap drops the sequences it knows but lets a C1 control
/// and a bidirectional override through). Every invisible character of the arguments is
/// shown by its stand-in, in clap's messages and in those of attrib's own value parsers.
#[test]
fn an_argument_with_escape_sequences_is_shown_not_obeyed_in_clap_messages() {
    let hostile = "lik\u{1b}]52;c;aGk\u{7}\u{9b}2J\u{202e}ely";
    for args in [
        vec!["assess", "--as-of", hostile],
        vec!["assess", "--grade", hostile],
        vec!["assess", "--actor", "iran", "--fail-below", hostile],
        vec!["assess", "--format", hostile],
        vec![hostile],
        vec!["assess", &format!("--{hostile}")],
    ] {
        Test::new()
            .args(args.clone())
            .code(2)
            .stderr_has("␛]52;c;aGk␇⟨U+009B⟩2J⟨U+202E⟩ely")
            .stderr_lacks("\u{1b}")
            .stderr_lacks("\u{9b}")
            .stderr_lacks("\u{202e}")
            .run();
    }
    // A correct argument whose stand-in would not be (a carriage return `--width` trims) is
    // not blamed for another's error.
    Test::new()
        .args(["assess", "--width", "80\r", "--format", "bogus"])
        .code(2)
        .stderr_has("invalid value 'bogus' for '--format <FORMAT>'")
        .stderr_lacks("--width")
        .run();
}

/// An argument that is no UTF-8 was kept as given, and a message about it left its other
/// invisible characters raw.
#[cfg(unix)]
#[test]
fn an_argument_that_is_no_utf8_is_shown_with_stand_ins() {
    use std::os::unix::ffi::OsStrExt;
    let word = std::ffi::OsStr::from_bytes(b"\xff\xe2\x80\xae\xc2\x9b2J");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("attrib"))
        .arg(word)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("\u{fffd}⟨U+202E⟩⟨U+009B⟩2J"), "{err}");
}

/// A word wider than the table's column, holding characters of several bytes and then an
/// invisible one (shown as a stand-in), is broken beside the stand-in: looking for stand-ins
/// stepped through the text a byte at a time and sliced it inside `§` (a panic, found by
/// fuzzing).
#[test]
fn a_long_name_with_a_stand_in_after_wide_characters_wraps() {
    let name = format!(
        "Amber{}§é\u{feff}Vole{}",
        "Vole".repeat(20),
        "Vole".repeat(20)
    );
    let case = format!(
        "Case(title: \"T\", actors: [Actor(id: \"a\", name: \"{name}\", kind: State)], \
         incidents: [Incident(id: \"i\", name: \"I\")], \
         sources: [Source(id: \"s\", name: \"S\", kind: Vendor, reliability: B, url: \"https://example.org/\")], \
         claims: [Claim(id: \"c\", source: \"s\", subject: \"i\", relation: AttributedTo, object: \"a\", \
         wording: \"w\", likelihood: Icd(\"likely\"))])"
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("c.ron"), case).unwrap();
    let out = Test::new()
        .current_dir(tmp.path())
        .args(["assess", "c.ron", "--width", "40"])
        .run();
    assert!(out.stdout.contains("⟨U+FEFF⟩"), "{}", out.stdout);
    for line in out.stdout.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 40, "{line}");
        assert!(!line.ends_with("⟨U+FEFF"), "{line}");
    }
}
