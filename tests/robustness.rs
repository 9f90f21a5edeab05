//! Hostile input never panics the loader: arbitrary bytes, and arbitrary mutations of a valid
//! case (RON and JSON) or STIX bundle, always give `Ok` or diagnostics, and every diagnostic
//! renders. The fuzz targets in `fuzz/` (docs/fuzzing.md) search further; what they find is
//! pinned here.

use attrib::diagnostic::render;
use attrib::export::dot::{View, figure, write};
use attrib::format::Syntax;
use attrib::load::load_bytes;
use proptest::prelude::*;
use std::sync::LazyLock;

const VALID: &str = include_str!("../graphs/albania-2022.ron");

/// The same case as JSON, as `attrib convert --to json` writes it.
static VALID_JSON: LazyLock<String> = LazyLock::new(|| {
    let mut file = attrib::load::load(VALID, Syntax::Ron).unwrap().file;
    file.normalise();
    file.to_json()
});

/// The case exported as a STIX bundle, as `attrib export stix` writes it.
static VALID_STIX: LazyLock<String> = LazyLock::new(|| {
    let loaded = attrib::load::load(VALID, Syntax::Ron).unwrap();
    let assessment = attrib::assess(&loaded.case, Default::default());
    let mut bundle = Vec::new();
    attrib::stix::export::export(
        &loaded.file,
        &loaded.case,
        &assessment,
        &Default::default(),
        &mut bundle,
    )
    .unwrap();
    String::from_utf8(bundle).unwrap()
});

fn load_and_render(bytes: &[u8], syntax: Syntax) {
    if let Err(diags) = load_bytes(bytes, syntax) {
        assert!(!diags.is_empty());
        let text = String::from_utf8_lossy(bytes);
        let shown = render(&diags, "fuzz.ron", &text, false);
        assert!(!shown.is_empty());
    }
}

/// Text that trips positions and escapes: multi-byte UTF-8 (2, 3 and 4 bytes, a byte-order
/// mark), control characters, quotes, backslashes and escapes, brackets and separators.
const HOSTILE: &[&str] = &[
    "é", "—", "ע", "😀", "\u{feff}", "\u{0}", "\u{1}", "\t", "\r", "\n", "\r\n", "\u{7f}", "\"",
    "\\", "\\u00e9", "\\ud800", "\\n", "{", "}", "[", "]", ":", ",", "\"x\":1,", "null", "-1e400",
    "0.5", "true", "//", "/*",
];

/// Pieces of JSON keys: field names of the schema, near misses and multi-byte text.
const KEY_PIECES: &[&str] = &[
    "title", "id", "name", "kind", "actors", "claims", "ab", "é", "—", "😀", "\t", "\\", " ",
];

/// Applies edits to a text: each inserts hostile text or a byte, deletes a run of bytes,
/// overwrites a byte, or truncates. Positions are taken modulo the current length, so they need
/// not fall on character boundaries.
fn mutate(base: &str, edits: &[(usize, u8, usize)]) -> Vec<u8> {
    let mut bytes = base.as_bytes().to_vec();
    for &(at, op, arg) in edits {
        let at = at % (bytes.len() + 1);
        match op % 5 {
            0 => {
                let piece = HOSTILE[arg % HOSTILE.len()].as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
            1 => bytes.insert(at, arg as u8),
            2 => {
                let end = (at + arg % 8).min(bytes.len());
                bytes.drain(at..end);
            }
            3 if at < bytes.len() => bytes[at] = arg as u8,
            _ => bytes.truncate(at.max(bytes.len() / 2)),
        }
    }
    bytes
}

fn import_and_render(bytes: &[u8]) {
    let Ok(text) = attrib::load::text_of(bytes) else {
        return;
    };
    let options = attrib::stix::import::ImportOptions {
        reliability: attrib::terms::Grade::B,
        title: "Imported".into(),
        confidence: Default::default(),
        case: None,
    };
    match attrib::stix::import::import(text, &options) {
        Err(e) => assert!(!e.message.is_empty()),
        Ok(mut imported) => {
            imported.file.normalise();
            let ron = imported.file.to_ron();
            attrib::load::parse(&ron, Syntax::Ron).expect("the imported case parses");
            load_and_render(ron.as_bytes(), Syntax::Ron);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        load_and_render(&bytes, Syntax::Ron);
        load_and_render(&bytes, Syntax::Json);
    }

    #[test]
    fn mutations_of_a_valid_case_never_panic(
        edits in proptest::collection::vec((0usize..VALID.len(), 0usize..8, any::<u8>()), 1..6)
    ) {
        let mut bytes = VALID.as_bytes().to_vec();
        for (at, len, byte) in edits {
            let at = at.min(bytes.len());
            match len % 3 {
                0 => bytes.insert(at, byte),
                1 => { let end = (at + len).min(bytes.len()); bytes.drain(at..end); }
                _ => if at < bytes.len() { bytes[at] = byte },
            }
        }
        load_and_render(&bytes, Syntax::Ron);
    }

    #[test]
    fn structured_mutations_never_panic(
        pick in 0usize..10_000,
        replacement in prop_oneof![
            Just("\"\""), Just("NaN"), Just("inf"), Just("-1"), Just("1e308"), Just("\"x\""),
            Just("[]"), Just("("), Just(")"), Just("Some(\"iran\")"), Just("\"\\u{0}\""),
            Just("\"mois\""), Just("\"d1\""), Just("\"2022-02-29\""), Just("Icd(\"x\")"),
        ]
    ) {
        // Replace one quoted value of the case with something hostile.
        let values: Vec<(usize, usize)> = VALID
            .match_indices(": \"")
            .filter_map(|(i, _)| {
                let start = i + 2;
                VALID[start + 1..].find('"').map(|e| (start, start + e + 2))
            })
            .collect();
        let (s, e) = values[pick % values.len()];
        let mutated = format!("{}{}{}", &VALID[..s], replacement, &VALID[e..]);
        load_and_render(mutated.as_bytes(), Syntax::Ron);
    }

    #[test]
    fn mutations_of_a_valid_json_case_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<usize>()), 1..6)
    ) {
        load_and_render(&mutate(&VALID_JSON, &edits), Syntax::Json);
    }

    #[test]
    fn hostile_text_in_a_json_key_or_value_never_panics(
        pick in any::<usize>(),
        inside in any::<usize>(),
        piece in 0usize..HOSTILE.len(),
    ) {
        // Unknown fields and bad values are reported at a position counted from the start of
        // the line: put hostile text inside one quoted key or value, before that position.
        let quotes: Vec<usize> = VALID_JSON.match_indices('"').map(|(i, _)| i).collect();
        let open = quotes[(pick % (quotes.len() / 2)) * 2];
        let close = VALID_JSON[open + 1..].find('"').unwrap() + open + 1;
        let at = open + 1 + inside % (close - open);
        let at = (at..).find(|&i| VALID_JSON.is_char_boundary(i)).unwrap();
        let mutated = format!("{}{}{}", &VALID_JSON[..at], HOSTILE[piece], &VALID_JSON[at..]);
        load_and_render(mutated.as_bytes(), Syntax::Json);
    }

    #[test]
    fn small_json_objects_with_hostile_keys_and_values_never_panic(
        fields in proptest::collection::vec(
            (
                proptest::collection::vec(0usize..KEY_PIECES.len(), 1..4),
                proptest::collection::vec(0usize..HOSTILE.len(), 0..4),
                any::<bool>(),
            ),
            1..4,
        ),
        nested in any::<bool>(),
    ) {
        // Every field on one line, so that positions within a line count many characters.
        let members: Vec<String> = fields
            .iter()
            .map(|(key, value, quoted)| {
                let key: String = key.iter().map(|&i| KEY_PIECES[i]).collect();
                let value: String = value.iter().map(|&i| HOSTILE[i]).collect();
                let value = if *quoted { format!("{value:?}") } else { value };
                format!("{key:?}:{value}")
            })
            .collect();
        let object = format!("{{{}}}", members.join(","));
        let text = if nested {
            format!("{{\"title\":\"t\",\"actors\":[{object}]}}")
        } else {
            object
        };
        load_and_render(text.as_bytes(), Syntax::Json);
    }

    #[test]
    fn mutations_of_a_stix_bundle_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<usize>()), 1..4)
    ) {
        import_and_render(&mutate(&VALID_STIX, &edits));
    }
}

/// Found by the `load_json` fuzz target: serde_json counts columns in bytes, and an unknown
/// field after a multi-byte character on its line put the key lookup inside that character.
#[test]
fn json_unknown_field_after_a_multibyte_character() {
    load_and_render(r#"{"ab":"—"}"#.as_bytes(), Syntax::Json);
    load_and_render(
        b"{\n  \"tise\",\n o\xd7\xa2,d\": \"ir`n\" ], t",
        Syntax::Json,
    );
}

/// Found by the `load_ron` fuzz target: the check for a bare likelihood took the identifier
/// before a colon from one byte past the last other character, inside a two-byte one (NEL).
#[test]
fn ron_field_after_a_multibyte_character() {
    load_and_render(
        "Case(   \u{85}description: \"Microsr".as_bytes(),
        Syntax::Ron,
    );
    load_and_render("Case(é:likelihood: \"likely\"".as_bytes(), Syntax::Ron);
    load_and_render("(\u{85}likelihood: 0.8".as_bytes(), Syntax::Ron);
}

/// A value that is no variant, in JSON as in RON: the field named, the quoted value
/// underlined, the allowed values listed and the nearest suggested.
#[test]
fn json_unknown_variants_are_located_and_suggested() {
    for (text, found, allowed, suggested) in [
        (
            r#"{"title": "T", "actors": [{"id": "a", "name": "A", "kind": "Agencyy"}]}"#,
            "Agencyy",
            "State, Agency, MilitaryUnit, Organisation, Company, Person, Unidentified",
            "Agency",
        ),
        (
            r#"{"title": "T", "actors": [{"id": "a", "name": "A", "kind": "Stat"}]}"#,
            "Stat",
            "State, Agency, MilitaryUnit, Organisation, Company, Person, Unidentified",
            "State",
        ),
    ] {
        let diags = attrib::load::load(text, Syntax::Json).unwrap_err();
        let d = &diags[0];
        assert_eq!(d.code, attrib::diagnostic::Code::BadValue, "{d:?}");
        assert_eq!(
            d.message,
            format!("`{found}` is not a valid value for `kind`")
        );
        let quoted = format!("\"{found}\"");
        let start = text.find(&quoted).unwrap();
        assert_eq!(
            d.at,
            attrib::diagnostic::Location::Span(start..start + quoted.len())
        );
        assert_eq!(d.notes, [format!("allowed values: {allowed}")]);
        assert_eq!(
            d.help.as_deref(),
            Some(&*format!("did you mean `{suggested}`?"))
        );
    }
}

/// serde lists two allowed names as "`a` or `b`", not with commas: a misspelled field of a
/// two-field declaration still gets the list and the suggestion.
#[test]
fn json_unknown_field_of_two_is_listed_and_suggested() {
    let text = r#"{"title": "T", "sources": [{"id": "s", "name": "S", "kind": "Vendor",
        "track_record": {"valid": 1, "invlid": 2}}]}"#;
    let diags = attrib::load::load(text, Syntax::Json).unwrap_err();
    let d = &diags[0];
    assert_eq!(d.message, "unknown field `invlid`");
    assert_eq!(d.notes, ["allowed fields: valid, invalid"]);
    assert_eq!(d.help.as_deref(), Some("did you mean `invalid`?"));
}

#[test]
fn json_of_the_same_schema_loads() {
    let loaded = attrib::load::load(VALID, Syntax::Ron).unwrap();
    let json = loaded.file.to_json();
    let again = attrib::load::load(&json, Syntax::Json).unwrap();
    assert_eq!(loaded.case.claims.len(), again.case.claims.len());
}

/// The tutorial case with XML non-characters (U+FFFE, U+FFFF) in its title, a name, a
/// description, a victim and a claim's wording (ids and aliases may not hold them: E013).
fn tutorial_with_noncharacters() -> String {
    include_str!("../graphs/tutorial.ron")
        .replacen("title: \"", "title: \"\u{ffff}", 1)
        .replacen("description: \"", "description: \"\u{fffe}", 1)
        .replacen("victim: \"Port", "victim: \"\u{ffff}Port", 1)
        .replacen("name: \"", "name: \"\u{fffe}\u{ffff}", 1)
        .replacen("wording: \"", "wording: \"\u{ffff}", 1)
}

/// Found by the `dot_writer` fuzz target: Graphviz parses HTML-like labels as XML and rejects
/// U+FFFE and U+FFFF (`dot` exits 1), and it copies quoted strings into SVG, which then is not
/// well-formed XML. Neither character may reach the DOT text.
#[test]
fn xml_noncharacters_never_reach_dot() {
    let text = tutorial_with_noncharacters();
    let loaded = attrib::load::load(&text, Syntax::Ron).unwrap();
    assert!(
        loaded.case.title.contains('\u{ffff}'),
        "the case keeps them"
    );
    let assessment = attrib::assess(&loaded.case, Default::default());
    for view in [View::Assessment, View::Evidence] {
        let mut dot = Vec::new();
        write(&figure(&loaded.case, &assessment, view, None), &mut dot).unwrap();
        let dot = String::from_utf8(dot).unwrap();
        assert!(dot.contains("Ruritania"), "{view:?}");
        assert!(!dot.contains(['\u{fffe}', '\u{ffff}']), "{view:?}:\n{dot}");
        for label in dot.split("label=<").skip(1) {
            let mut depth = 1;
            let end = label
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '<' => 1,
                        '>' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map(|(i, _)| i)
                .expect("a closed HTML-like label");
            let xml = format!("<l>{}</l>", &label[..end]);
            if let Err(e) = roxmltree::Document::parse(&xml) {
                panic!("{view:?}: {e}: {xml}");
            }
        }
    }
}

#[test]
#[ignore = "needs graphviz"]
fn xml_noncharacters_render_to_well_formed_svg() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("noncharacters.ron");
    std::fs::write(&file, tutorial_with_noncharacters()).unwrap();
    for view in ["assessment", "evidence"] {
        let svg = crate::Test::new()
            .args([
                "dot",
                file.to_str().unwrap(),
                "--view",
                view,
                "--render",
                "svg",
            ])
            .current_dir(tmp.path())
            .run()
            .stdout;
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        if let Err(e) = roxmltree::Document::parse_with_options(&svg, options) {
            panic!("{view}: the SVG is not well-formed: {e}");
        }
    }
}

/// A chain of 200,000 subordinate groups (each part of the next) overflowed the stack of
/// `check` and `assess`: the strongly connected components of the link graph were found by a
/// recursive search. Now every command reads it, and refuses it as longer than the 64 links
/// attrib follows (E035), having measured it without recursion either.
#[test]
fn a_long_chain_of_links_does_not_overflow_the_stack() {
    let n = 200_000;
    let mut text = String::from(
        "Case(title: \"chain\", incidents: [Incident(id: \"i\", name: \"I\")],\n\
         sources: [Source(id: \"s\", name: \"S\", kind: Vendor, reliability: B)],\ngroups: [\n",
    );
    for i in 0..n {
        text.push_str(&format!("Group(id: \"g{i}\", name: \"G{i}\"),\n"));
    }
    text.push_str("], claims: [\n");
    let claim = |id: &str, subject: &str, relation: &str, object: &str| {
        format!(
            "Claim(id: \"{id}\", source: \"s\", subject: \"{subject}\", relation: {relation}, \
             object: \"{object}\", wording: \"w\", url: \"https://example.org\", \
             likelihood: Icd(\"likely\")),\n"
        )
    };
    text.push_str(&claim("a", "i", "AttributedTo", "g0"));
    for i in 0..n - 1 {
        text.push_str(&claim(
            &format!("c{i}"),
            &format!("g{i}"),
            "SubordinateOf",
            &format!("g{}", i + 1),
        ));
    }
    text.push_str("])\n");
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("chain.ron");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    for args in [
        &["check", path][..],
        &["assess", path, "--format", "json", "--no-sensitivity"],
    ] {
        crate::Test::new()
            .args(args)
            .stderr_has("error[E035]: a chain of 199999 responsibility links")
            .stderr_has("g0 → g1 → g2 → … 199994 more … → g199997 → g199998 → g199999")
            .stdout("")
            .code(2)
            .run();
    }
}
