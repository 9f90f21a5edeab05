//! Hostile input never panics the loader: arbitrary bytes, and arbitrary mutations of a valid
//! case, always give `Ok` or diagnostics, and every diagnostic renders.

use attrib::diagnostic::render;
use attrib::format::Syntax;
use attrib::load::load_bytes;
use proptest::prelude::*;

const VALID: &str = include_str!("../graphs/albania-2022.ron");

fn load_and_render(bytes: &[u8], syntax: Syntax) {
    if let Err(diags) = load_bytes(bytes, syntax) {
        assert!(!diags.is_empty());
        let text = String::from_utf8_lossy(bytes);
        let shown = render(&diags, "fuzz.ron", &text, false);
        assert!(!shown.is_empty());
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
}

#[test]
fn json_of_the_same_schema_loads() {
    let loaded = attrib::load::load(VALID, Syntax::Ron).unwrap();
    let json = loaded.file.to_json();
    let again = attrib::load::load(&json, Syntax::Json).unwrap();
    assert_eq!(loaded.case.claims.len(), again.case.claims.len());
}
