//! `attrib diff`: the numbers agree with `assess` on each version, each part is the move of
//! that change alone, git revisions are read, and the output is safe and stable.

use crate::{Test, root};
use serde_json::Value;
use std::path::Path;

const JULY: &str = "graphs/albania/2022-07.ron";
const SEPTEMBER: &str = "graphs/albania/2022-09.ron";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// P of every hypothesis in an `assess --format json` report, by (incident, actor).
fn assessed(args: &[&str], dir: &Path) -> std::collections::BTreeMap<(String, String), f64> {
    let out = Test::new()
        .args(["assess", "--format", "json", "--no-sensitivity"])
        .args(args)
        .current_dir(dir)
        .run()
        .stdout;
    let mut m = std::collections::BTreeMap::new();
    for i in json(&out)["incidents"].as_array().unwrap() {
        for h in i["hypotheses"].as_array().unwrap() {
            m.insert(
                (
                    i["id"].as_str().unwrap().to_string(),
                    h["actor"].as_str().unwrap().to_string(),
                ),
                h["p"].as_f64().unwrap(),
            );
        }
    }
    m
}

fn diff_json(args: &[&str], dir: &Path) -> Value {
    let out = Test::new()
        .args(["diff", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .run()
        .stdout;
    json(&out)
}

/// `attrib diff old.ron new.ron ARGS…` on two versions written to a directory of their own.
fn diff_texts(old: &str, new: &str, args: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), new).unwrap();
    Test::new()
        .args(["diff", "old.ron", "new.ron"])
        .args(args)
        .current_dir(tmp.path())
        .run()
        .stdout
}

/// The hypothesis of `actor` in a diff's JSON report.
fn hypothesis<'a>(d: &'a Value, actor: &str) -> &'a Value {
    (d["hypotheses"].as_array().unwrap().iter())
        .find(|h| h["actor"] == actor)
        .unwrap_or_else(|| panic!("no {actor}: {d}"))
}

/// `attrib diff ARGS… --width 0` in `dir`: the table as wide as its content.
fn diff_table(args: &[&str], dir: &Path) -> String {
    Test::new()
        .args(["diff"])
        .args(args)
        .args(["--width", "0"])
        .current_dir(dir)
        .run()
        .stdout
}

/// The change to `id` in a JSON diff.
fn change_of<'d>(d: &'d Value, id: &str) -> &'d Value {
    d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no change to {id}"))
}

#[test]
fn every_move_is_the_difference_of_the_two_assessments() {
    let old = assessed(&[JULY], &root());
    let new = assessed(&[SEPTEMBER], &root());
    let d = diff_json(&[JULY, SEPTEMBER], &root());
    assert_eq!(d["schema"], "attrib-diff/1");
    let hyps = d["hypotheses"].as_array().unwrap();
    assert!(hyps.len() >= 5, "{d}");
    for h in hyps {
        let key = (
            h["incident"].as_str().unwrap().to_string(),
            h["actor"].as_str().unwrap().to_string(),
        );
        let dp = h["delta_p"].as_f64().unwrap();
        match h["status"].as_str().unwrap() {
            "moved" => {
                let (o, n) = (old[&key], new[&key]);
                assert_eq!(h["old"]["p"].as_f64().unwrap(), o, "{key:?}");
                assert_eq!(h["new"]["p"].as_f64().unwrap(), n, "{key:?}");
                // JSON parsing may be a unit in the last place off; the library test below
                // checks the exact equality.
                assert!(
                    (dp - (n - o)).abs() < 1e-15,
                    "ΔP = P_new − P_old for {key:?}"
                );
            }
            "appeared" => {
                assert!(!old.contains_key(&key) && h["old"].is_null());
                let n = new[&key];
                assert!((dp - (n - h["new"]["prior"].as_f64().unwrap())).abs() < 1e-15);
            }
            other => panic!("nothing disappears between July and September: {other}"),
        }
        let parts: f64 = h["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["delta_p"].as_f64().unwrap())
            .sum();
        let residual = h["residual"].as_f64().unwrap();
        assert!(
            (dp - parts - residual).abs() < 1e-12,
            "parts + residual = move"
        );
    }
    // Every hypothesis of either version is either listed or counted as unchanged.
    let listed = hyps.len() as u64 + d["unchanged"].as_u64().unwrap();
    let all: std::collections::BTreeSet<_> = old.keys().chain(new.keys()).collect();
    assert_eq!(listed, all.len() as u64);
    // Iran moves from insufficient evidence to very likely; the US claim d7 moves it most.
    let iran = hyps.iter().find(|h| h["actor"] == "iran").unwrap();
    assert_eq!(iran["old"]["likelihood"], "insufficient evidence");
    assert_eq!(iran["new"]["likelihood"], "very likely");
    assert_eq!(iran["parts"][0]["id"], "d7");
    assert_eq!(
        iran["interacting"], true,
        "evidence saturates: the parts overshoot"
    );
    // NATO's echo of d6, d7 and d8 stands in for them when applied alone.
    let d11 = change_of(&d, "d11");
    assert_eq!(
        d11["stands_in_for"],
        serde_json::json!(["claim d6", "claim d7", "claim d8"])
    );
}

/// With the US government's line set aside, NATO's echo restates d7 of that line: applied
/// alone it is d7's echo, not its stand-in, and the diff said "standing in for d6, d7, d8".
/// The line holds other sources in each version, and each version's reading is named.
#[test]
fn an_echo_of_a_line_set_aside_is_no_stand_in_in_the_diff() {
    let d = diff_json(&[JULY, SEPTEMBER, "--without", "us-gov"], &root());
    let d11 = change_of(&d, "d11");
    assert_eq!(
        d11["stands_in_for"],
        serde_json::json!(["claim d6", "claim d8"])
    );
    assert_eq!(d11["restates_aside"], serde_json::json!(["claim d7"]));
    let what_if: Vec<&str> = d["what_if"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(what_if.len(), 2, "{what_if:?}");
    assert!(what_if[0].starts_with(
        "in the new version, without line of evidence us-gov (sources aa22-055a, aa22-264a"
    ));
    assert!(what_if[1].starts_with(
        "in the old version, without line of evidence us-gov (sources aa22-055a, cybercom;"
    ));
    let text = Test::new()
        .args([
            "diff",
            JULY,
            SEPTEMBER,
            "--without",
            "us-gov",
            "--width",
            "0",
        ])
        .run()
        .stdout;
    assert!(
        text.contains("standing in for d6, d8; restating d7, set aside with its line of evidence)"),
        "{text}"
    );
}

/// Two versions: Lazarus blamed; then also a person blamed, whom a second new claim makes a
/// member of Lazarus, so that the claim on the person moves Lazarus only with that one.
fn person_and_membership() -> (&'static str, String) {
    let old = r#"Case(title: "T",
    groups: [Group(id: "lazarus", name: "Lazarus Group")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a")],
    claims: [
        Claim(id: "c0", source: "a", subject: "i", relation: AttributedTo, object: "lazarus",
              likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let new = old
        .replace(
            "groups: [",
            "actors: [Actor(id: \"park\", name: \"Park\", kind: Person)],\n    groups: [",
        )
        .replace(
            "    ])\n",
            r#"        Claim(id: "c1", source: "a", subject: "i", relation: ConductedBy, object: "park",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c2", source: "a", subject: "park", relation: PartOf, object: "lazarus",
              likelihood: Icd("very likely"), wording: "w"),
    ])
"#,
        );
    (old, new)
}

/// A hypothesis moved only by changes together (a claim on a person, and the claim that ties
/// the person to a group) has no list of parts: its paragraph follows the heading after one
/// blank line, not two.
#[test]
fn a_move_by_changes_together_alone_reads_without_an_empty_list() {
    let (old, new) = person_and_membership();
    let md = diff_texts(old, &new, &["--format", "markdown"]);
    assert!(md.contains("No change moves it alone"), "{md}");
    assert!(!md.contains("\n\n\n"), "{md}");
}

/// Where the changes that move a hypothesis only together are all its changes, their figure
/// applied together is its whole move, and the report says so rather than repeating it.
#[test]
fn changes_that_make_the_whole_move_together_are_said_to() {
    let (old, new) = person_and_membership();
    let out = diff_texts(old, &new, &["--width", "0"]);
    assert!(
        out.contains(
            "Among them: + claim c1, + claim c2; applied together they make the whole move."
        ),
        "{out}"
    );
}

/// Under `--min-delta 0` moves of a ten-thousandth are shown; the sentence on changes that
/// interact then takes as many decimals as the lines above it, and as it takes for what their
/// combination adds not to read as nothing (it read "alone they add up to +0.000, together
/// they move it +0.000 (+0.000 from their combination)").
#[test]
fn interacting_changes_of_tiny_moves_are_written_to_the_digits_that_show_them() {
    let sources: String = (0..8)
        .map(|k| {
            format!(
                "        Source(id: \"s{k}\", name: \"S{k}\", kind: Government, reliability: A, \
                 url: \"https://e.org/s{k}\"),\n"
            )
        })
        .collect();
    let claims: String = (0..8)
        .map(|k| {
            format!(
                "        Claim(id: \"c{k}\", source: \"s{k}\", subject: \"i\", relation: \
                 AttributedTo, object: \"g\", likelihood: Icd(\"almost certain\"), wording: \"w\"),\n"
            )
        })
        .collect();
    let old = format!(
        "Case(title: \"T\", groups: [Group(id: \"g\", name: \"G\")],\n    \
         incidents: [Incident(id: \"i\", name: \"I\")],\n    sources: [\n{sources}        \
         Source(id: \"n\", name: \"N\", kind: Media, reliability: C, url: \"https://e.org/n\"),\n    \
         ],\n    claims: [\n{claims}    ])\n"
    );
    let new = old.replace(
        "    ])\n",
        "        Claim(id: \"n1\", source: \"n\", subject: \"i\", relation: AttributedTo, \
         object: \"g\", likelihood: Icd(\"likely\"), wording: \"w\"),\n        \
         Claim(id: \"n2\", source: \"n\", subject: \"i\", relation: AttributedTo, \
         object: \"g\", likelihood: Icd(\"likely\"), wording: \"x\"),\n    ])\n",
    );
    let out = diff_texts(&old, &new, &["--min-delta", "0", "--width", "0"]);
    assert!(out.contains("Why G (g) on i moved (+0.0003):"), "{out}");
    assert!(out.contains("  +0.0003  + claim n1"), "{out}");
    assert!(
        out.contains(
            "The changes interact: alone they add up to +0.0006, together they move it \
             +0.0003 (-0.0003 from their combination)."
        ),
        "{out}"
    );
    assert!(!out.contains("+0.000 "), "{out}");
}

/// A new restatement stands in only for the claims it restates that make its statement
/// (model §6): Canada repeating the White House and the Foreign Office on North Korea stands
/// in for both, not for the NCSC's claim on Lazarus that the Foreign Office restates in turn,
/// which is added with it only to be set aside; nor for a claim on another actor it restates
/// itself.
#[test]
fn a_restatement_is_said_to_stand_in_only_for_what_makes_its_statement() {
    let old = r#"Case(title: "T",
    actors: [Actor(id: "dprk", name: "DPRK", kind: State)],
    groups: [Group(id: "lazarus", name: "Lazarus Group")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "wh", name: "WH", kind: Government, reliability: B, url: "https://e.org/wh"),
        Source(id: "ncsc", name: "NCSC", kind: Government, reliability: B, url: "https://e.org/n"),
        Source(id: "fco", name: "FCO", kind: Government, reliability: B, url: "https://e.org/f"),
        Source(id: "ca", name: "CA", kind: Government, reliability: B, url: "https://e.org/c"),
        Source(id: "v", name: "V", kind: Vendor, reliability: B, url: "https://e.org/v"),
    ],
    claims: [
        Claim(id: "v1", source: "v", subject: "i", relation: AttributedTo, object: "lazarus",
              likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let new = old.replace(
        "    ])\n",
        r#"        Claim(id: "c12", source: "wh", subject: "i", relation: AttributedTo, object: "dprk",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c13", source: "ncsc", subject: "i", relation: AttributedTo, object: "lazarus",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c14", source: "fco", subject: "i", relation: AttributedTo, object: "dprk",
              likelihood: Icd("very likely"), wording: "w", derived_from: ["c13"]),
        Claim(id: "c15", source: "ca", subject: "i", relation: AttributedTo, object: "dprk",
              likelihood: Icd("very likely"), wording: "w", derived_from: ["c12", "c14"]),
        Claim(id: "c16", source: "ca", subject: "i", relation: AttributedTo, object: "dprk",
              likelihood: Icd("very likely"), wording: "x", derived_from: ["c13"]),
    ])
"#,
    );
    let out = diff_texts(old, &new, &["--width", "0"]);
    let line = |id: &str| {
        let start = out
            .find(&format!("+ claim {id}: "))
            .expect("the claim's part");
        out[start..].lines().next().unwrap().to_string()
    };
    assert!(line("c15").contains("(standing in for c12, c14)"), "{out}");
    assert!(!line("c16").contains("standing in"), "{out}");
    let json = json(&diff_texts(old, &new, &["--format", "json"]));
    let c15 = change_of(&json, "c15");
    assert_eq!(
        c15["stands_in_for"],
        serde_json::json!(["claim c12", "claim c14"])
    );
}

/// A case with Lazarus attributed by two sources, and the same with a person (Park) and the
/// claims `added` (RON claims, one per line): what the two tests below compare.
fn lazarus_versions(added: &str) -> (String, String) {
    let old = r#"Case(title: "T",
    groups: [Group(id: "lazarus", name: "Lazarus Group")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
        Source(id: "t", name: "T", kind: Government, reliability: B, url: "https://e.org/t"),
    ],
    claims: [
        Claim(id: "c0", source: "a", subject: "i", relation: AttributedTo, object: "lazarus",
              likelihood: Icd("likely"), wording: "w"),
        Claim(id: "t0", source: "t", subject: "i", relation: AttributedTo, object: "lazarus",
              likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let new = old
        .replace(
            "groups: [",
            "actors: [Actor(id: \"park\", name: \"Park\", kind: Person)],\n    groups: [",
        )
        .replace("    ])\n", &format!("{added}    ])\n"));
    (old.to_string(), new)
}

/// The paragraph of the text diff on why Lazarus moved.
fn why_lazarus(out: &str) -> &str {
    let why = &out[out.find("Why Lazarus Group").expect("lazarus moved")..];
    &why[..why.find("\n\n").unwrap_or(why.len())]
}

/// A new claim restated by another new claim (the DOJ's complaint, Treasury's designation
/// repeating it) moves what it reaches only with the link it needs, and set aside alone moves
/// nothing, since the restatement stands in for it: it is still named among the changes that
/// move the hypothesis together, the restatement not.
#[test]
fn a_new_claim_a_new_restatement_repeats_is_named_among_those_moving_together() {
    let (old, new) = lazarus_versions(
        r#"        Claim(id: "c1", source: "a", subject: "i", relation: ConductedBy, object: "park",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c2", source: "a", subject: "park", relation: PartOf, object: "lazarus",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c3", source: "t", subject: "i", relation: ConductedBy, object: "park",
              likelihood: Icd("very likely"), wording: "w", derived_from: ["c1"]),
"#,
    );
    let out = diff_texts(&old, &new, &["--width", "0"]);
    let why = why_lazarus(&out);
    assert!(why.contains("Among them: + claim c1, + claim c2"), "{out}");
    assert!(!why.contains("c3"), "{out}");
}

/// A new claim whose new restatement stands in for it is named only for what it carries
/// itself: one weaker than its line's strongest once the restatement is set aside too moves
/// nothing and is not named, however much the restatement carries.
#[test]
fn a_new_claim_weaker_than_its_line_is_not_named_for_its_restatement() {
    let (old, new) = lazarus_versions(
        r#"        Claim(id: "c1", source: "a", subject: "i", relation: ConductedBy, object: "park",
              likelihood: Icd("almost certain"), wording: "w"),
        Claim(id: "c4", source: "a", subject: "i", relation: ConductedBy, object: "park",
              likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c2", source: "a", subject: "park", relation: PartOf, object: "lazarus",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c3", source: "t", subject: "i", relation: ConductedBy, object: "park",
              likelihood: Icd("likely"), wording: "w", derived_from: ["c4"]),
"#,
    );
    let out = diff_texts(&old, &new, &["--width", "0"]);
    let why = why_lazarus(&out);
    assert!(why.contains("+ claim c1"), "{out}");
    assert!(!why.contains("c4"), "{out}");
    assert!(!why.contains("c3"), "{out}");
}

/// Changes that move a hypothesis only with others (a claim on a person, and the claim that
/// ties the person to a group) are measured applied together, without the other changes: the
/// figure is the P of the old version with just those edits, judged as `assess` judges it.
#[test]
fn changes_that_move_a_hypothesis_only_together_are_measured_together() {
    let old = r#"Case(title: "T",
    groups: [Group(id: "lazarus", name: "Lazarus Group")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
              Source(id: "b", name: "B", kind: Vendor, reliability: B, url: "https://e.org/b")],
    claims: [
        Claim(id: "c0", source: "a", subject: "i", relation: AttributedTo, object: "lazarus",
              likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let person = old.replace(
        "groups: [",
        "actors: [Actor(id: \"park\", name: \"Park\", kind: Person)],\n    groups: [",
    );
    let pair = r#"        Claim(id: "c1", source: "a", subject: "i", relation: ConductedBy, object: "park",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c2", source: "b", subject: "park", relation: PartOf, object: "lazarus",
              likelihood: Icd("very likely"), wording: "w"),
"#;
    let direct = r#"        Claim(id: "c3", source: "b", subject: "i", relation: AttributedTo, object: "lazarus",
              likelihood: Icd("likely"), wording: "w"),
"#;
    let with = |claims: &str| person.replace("    ])\n", &format!("{claims}    ])\n"));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), with(&format!("{pair}{direct}"))).unwrap();
    std::fs::write(tmp.path().join("pair.ron"), with(pair)).unwrap();
    let p = |file: &str| {
        let out = Test::new()
            .args(["assess", file, "--format", "json", "--no-sensitivity"])
            .current_dir(tmp.path())
            .run()
            .stdout;
        let v = json(&out);
        let h = (v["incidents"][0]["hypotheses"].as_array().unwrap().iter())
            .find(|h| h["actor"] == "lazarus")
            .unwrap()
            .clone();
        (
            h["p"].as_f64().unwrap(),
            h["likelihood"].clone(),
            h["confidence"].clone(),
        )
    };
    let (old_p, pair_p) = (p("old.ron"), p("pair.ron"));
    let d = diff_json(&["old.ron", "new.ron"], tmp.path());
    let h = (d["hypotheses"].as_array().unwrap().iter())
        .find(|h| h["actor"] == "lazarus")
        .unwrap();
    assert_eq!(
        h["together"],
        serde_json::json!(["+ claim c1", "+ claim c2"]),
        "{h}"
    );
    let t = &h["together_move"];
    assert_eq!(t["delta_p"].as_f64().unwrap(), pair_p.0 - old_p.0, "{h}");
    assert_eq!(t["alone"]["likelihood"], pair_p.1, "{h}");
    assert_eq!(t["alone"]["confidence"], pair_p.2, "{h}");
    assert!(
        pair_p.0 - old_p.0 > 0.01,
        "the pair moves it: {pair_p:?} {old_p:?}"
    );
    let text = Test::new()
        .args(["diff", "old.ron", "new.ron", "--width", "0"])
        .current_dir(tmp.path())
        .run()
        .stdout;
    let figure = format!(
        "Moving it only in combination with other changes: + claim c1, + claim c2; applied \
         together but without the other changes, they move it +{:.3}",
        pair_p.0 - old_p.0
    );
    assert!(text.contains(&figure), "{text}");
    // Park's move is c1's alone: nothing is measured together there.
    let park = (d["hypotheses"].as_array().unwrap().iter())
        .find(|h| h["actor"] == "park")
        .unwrap();
    assert!(park["together_move"].is_null(), "{park}");
}

/// Claims that name an actor the same revision adds bring it with them when applied alone;
/// where they add nothing of their own (made after the `--as-of` date), each moved the new
/// actor exactly as the actor alone does (a part of a state that denies it, whose denial comes
/// down to it), and the report listed that one move once per claim, summed them and called
/// the changes interacting. The actor is the part, once.
#[test]
fn a_move_a_required_change_makes_alone_is_listed_once_as_its_own() {
    let old = r#"Case(title: "T",
    actors: [Actor(id: "russia", name: "Russia", kind: State)],
    incidents: [Incident(id: "i", name: "I", start: "2017-06-27")],
    sources: [Source(id: "k", name: "Kremlin", kind: Government, reliability: C, url: "https://e.org/k"),
              Source(id: "a", name: "A", kind: Government, reliability: A, url: "https://e.org/a")],
    claims: [
        Claim(id: "c0", source: "k", date: "2018-02-15", subject: "i", relation: ConductedBy, object: "russia",
              likelihood: Icd("almost no chance"), wording: "w"),
    ])
"#;
    let new = old
        .replace(
            r#"kind: State)],"#,
            r#"kind: State),
        Actor(id: "unit", name: "Unit 74455", kind: MilitaryUnit, part_of: "russia")],"#,
        )
        .replace(
            "    ])\n",
            r#"        Claim(id: "c1", source: "a", date: "2020-10-19", subject: "i", relation: ConductedBy, object: "unit",
              likelihood: Icd("almost certain"), wording: "w"),
        Claim(id: "c2", source: "a", date: "2020-10-19", subject: "i", relation: AttributedTo, object: "unit",
              likelihood: Icd("almost certain"), wording: "w"),
    ])
"#,
        );
    let out = diff_texts(old, &new, &["--as-of", "2018-12-31", "--width", "0"]);
    let out = out.split("Changes (").next().unwrap();
    assert!(out.contains("Why Unit 74455 (unit) on i appeared"), "{out}");
    assert!(
        out.contains("+ actor unit: Unit 74455 (military unit)  [alone:"),
        "{out}"
    );
    assert!(!out.contains("+ claim c1: a: i"), "{out}");
    assert!(!out.contains("The changes interact"), "{out}");
    // So with one such claim: listed, it read as evidence the what-if sets aside moving the
    // judgement.
    let one = new.replace(
        r#"        Claim(id: "c2", source: "a", date: "2020-10-19", subject: "i", relation: AttributedTo, object: "unit",
              likelihood: Icd("almost certain"), wording: "w"),
"#,
        "",
    );
    assert!(!one.contains("\"c2\""));
    let out = diff_texts(old, &one, &["--as-of", "2018-12-31", "--width", "0"]);
    let out = out.split("Changes (").next().unwrap();
    assert!(
        out.contains("+ actor unit: Unit 74455 (military unit)  [alone:"),
        "{out}"
    );
    assert!(!out.contains("+ claim c1"), "{out}");
    // Without the what-if, the claims carry the move, and each names the actor it brings.
    let out = diff_texts(old, &new, &["--width", "0"]);
    assert!(out.contains("+ claim c1: a: i conducted by unit"), "{out}");
    assert!(out.contains("(with + actor unit)"), "{out}");
}

/// The sentence on changes that interact adds up as a reader sums the lines above it: the
/// sum of the parts shown, and the move shown minus that sum, to the last digit shown.
#[test]
fn the_interaction_sentence_adds_up_to_the_figures_shown() {
    let out = Test::new()
        .args(["diff", JULY, SEPTEMBER, "--width", "0"])
        .run()
        .stdout;
    let thousandths = |s: &str| -> i64 {
        let v: f64 = s.trim_end_matches(['.', ',', ')']).parse().unwrap();
        (v * 1000.0).round() as i64
    };
    let mut checked = 0;
    for block in out.split("\nWhy ").skip(1) {
        let Some(sentence) = block.lines().find(|l| l.contains("The changes interact")) else {
            continue;
        };
        let parts: i64 = (block.lines().skip(1))
            .take_while(|l| !l.contains("The changes interact"))
            .map(|l| thousandths(l.split_whitespace().next().unwrap()))
            .sum();
        let words: Vec<&str> = sentence.split_whitespace().collect();
        let after = |w: &str| {
            let i = words.iter().position(|x| *x == w).unwrap();
            thousandths(words[i + 1].trim_start_matches('('))
        };
        let (sum, moved) = (after("to"), after("it"));
        let residual = words.iter().position(|x| *x == "it").unwrap() + 2;
        let residual = thousandths(words[residual].trim_start_matches('('));
        assert_eq!(sum, parts, "{sentence}");
        assert_eq!(moved - sum, residual, "{sentence}");
        checked += 1;
    }
    assert!(checked >= 2, "{out}");
}

/// A new claim that names a group by an alias the same revision added (Microsoft's
/// `NOBELIUM` for Mandiant's `UNC2452`) is measured alone: the alias was not taken along, so
/// the claim "could not be applied alone" and its whole move was put down to the changes
/// together.
#[test]
fn a_claim_naming_a_new_alias_is_measured_alone() {
    let old = r#"Case(title: "T",
    actors: [Actor(id: "russia", name: "Russia", kind: State)],
    groups: [Group(id: "unc2452", name: "UNC2452", aliases: ["Dark Halo"])],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Vendor, reliability: B, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Vendor, reliability: B, url: "https://e.org/b"),
    ],
    claims: [
        Claim(id: "c0", source: "a", subject: "i", relation: AttributedTo, object: "unc2452",
              likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let new = old
        .replace(r#"["Dark Halo"]"#, r#"["Dark Halo", "NOBELIUM"]"#)
        .replace(
            r#"kind: State)],"#,
            r#"kind: State, aliases: ["Russian Federation"]),
        Actor(id: "svr", name: "SVR", kind: Agency, part_of: "Russian Federation")],"#,
        )
        .replace(
            "    ])\n",
            r#"        Claim(id: "c1", source: "b", subject: "i", relation: ConductedBy, object: "NOBELIUM",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c2", source: "b", subject: "i", relation: ConductedBy, object: "svr",
              likelihood: Icd("likely"), wording: "w"),
    ])
"#,
        );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), new).unwrap();
    let d = diff_json(&["old.ron", "new.ron"], tmp.path());
    for id in ["c1", "c2", "svr"] {
        let c = change_of(&d, id);
        assert!(c.get("unmeasured").is_none_or(Value::is_null), "{c}");
    }
    let out = Test::new()
        .args(["diff", "old.ron", "new.ron"])
        .current_dir(tmp.path())
        .run()
        .stdout;
    assert!(!out.contains("not measured alone"), "{out}");
    assert!(!out.contains("No change moves it alone"), "{out}");
    assert!(
        out.contains("+ claim c1: b: i conducted by unc2452"),
        "{out}"
    );
}

/// A revision of the Albania case with three edits: Mandiant's claim restated, Mandiant
/// re-graded, Iran's denial dropped. Returns the directory and each edit alone.
fn revision() -> (tempfile::TempDir, [(&'static str, String); 3]) {
    let text = std::fs::read_to_string(root().join("graphs/albania-2022.ron")).unwrap();
    let d5 = (
        "            likelihood: Icd(\"likely\"),\n            confidence: Moderate,\n            url: \"https://cloud.google.com",
        "            likelihood: Icd(\"very likely\"),\n            confidence: Moderate,\n            url: \"https://cloud.google.com",
    );
    let grade = (
        "            name: \"Mandiant\",\n            kind: Vendor,\n            reliability: B,",
        "            name: \"Mandiant\",\n            kind: Vendor,\n            reliability: C,",
    );
    let start = text.find("        // D9\n").unwrap();
    let end = text.find("        // D10\n").unwrap();
    let d9 = text[start..end].to_string();
    for (from, _) in [d5, grade] {
        assert_eq!(text.matches(from).count(), 1, "{from}");
    }
    let edits = [
        ("d5", text.replace(d5.0, d5.1)),
        ("mandiant", text.replace(grade.0, grade.1)),
        ("d9", text.replace(&d9, "")),
    ];
    let all = text
        .replace(d5.0, d5.1)
        .replace(grade.0, grade.1)
        .replace(&d9, "");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.ron"), &text).unwrap();
    std::fs::write(dir.path().join("new.ron"), all).unwrap();
    for (name, t) in &edits {
        std::fs::write(dir.path().join(format!("only-{name}.ron")), t).unwrap();
    }
    (dir, edits)
}

#[test]
fn each_part_is_the_move_of_that_change_alone() {
    let (dir, edits) = revision();
    let d = diff_json(&["old.ron", "new.ron", "--min-delta", "0"], dir.path());
    let ids: Vec<&str> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["mandiant", "d5", "d9"],
        "sources before claims, by id"
    );
    let grade = &d["changes"][0];
    assert_eq!(grade["op"], "changed");
    assert_eq!(grade["fields"][0]["field"], "reliability");
    assert_eq!(grade["fields"][0]["old"], "B");
    assert_eq!(grade["fields"][0]["new"], "C");
    assert_eq!(d["changes"][2]["op"], "removed");
    let old = assessed(&["old.ron"], dir.path());
    let iran = d["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["actor"] == "iran")
        .expect("Iran moved");
    for (id, _) in &edits {
        let alone = assessed(&[&format!("only-{id}.ron")], dir.path());
        let key = ("albania-2022".to_string(), "iran".to_string());
        let expected = alone[&key] - old[&key];
        let part = iran["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == *id)
            .unwrap_or_else(|| panic!("no part for {id}: {iran}"));
        let got = part["delta_p"].as_f64().unwrap();
        assert!((got - expected).abs() < 1e-12, "{id}: {got} vs {expected}");
        assert!(expected.abs() > 1e-4, "{id} moves Iran");
    }
    // Ranked by how much each explains.
    let sizes: Vec<f64> = iran["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["delta_p"].as_f64().unwrap().abs())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
}

#[test]
fn the_same_case_in_ron_and_json_has_no_changes_and_passes_fail_on_change() {
    let dir = tempfile::tempdir().unwrap();
    let json_case = Test::new()
        .args(["convert", JULY, "--to", "json"])
        .run()
        .stdout;
    std::fs::write(dir.path().join("july.json"), json_case).unwrap();
    let july = root().join(JULY);
    Test::new()
        .args([
            "diff",
            july.to_str().unwrap(),
            "july.json",
            "--fail-on-change",
        ])
        .current_dir(dir.path())
        .stdout_has("Changes (0):")
        .stdout_has("Judgements that moved: 0")
        .run();
    // Standard input for one side.
    let out = Test::new()
        .args(["diff", "-", july.to_str().unwrap(), "--format", "json"])
        .stdin(std::fs::read(dir.path().join("july.json")).unwrap())
        .run()
        .stdout;
    assert_eq!(json(&out)["moved"], false);
}

#[test]
fn fail_on_change_exits_1_when_a_judgement_moved() {
    Test::new()
        .args(["diff", JULY, SEPTEMBER, "--fail-on-change"])
        .stdout_has("Why Government of Iran (iran) on albania-2022 moved")
        .stderr_has("judgements moved")
        .code(1)
        .run();
    // A threshold above every move of P still reports changed words and levels.
    let d = diff_json(&[JULY, SEPTEMBER, "--min-delta", "1"], &root());
    assert!(
        d["hypotheses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["status"] != "moved"
                || h["old"]["likelihood"] != h["new"]["likelihood"]
                || h["old"]["confidence"] != h["new"]["confidence"])
    );
}

#[test]
fn what_ifs_apply_to_both_versions_and_are_named() {
    // With Mandiant set aside, a revision that only restates Mandiant's claim moves nothing.
    let (dir, _) = revision();
    std::fs::write(
        dir.path().join("d5.ron"),
        std::fs::read_to_string(dir.path().join("only-d5.ron")).unwrap(),
    )
    .unwrap();
    let d = diff_json(&["old.ron", "d5.ron", "--without", "mandiant"], dir.path());
    assert_eq!(d["moved"], false, "{d}");
    assert_eq!(d["what_if"], serde_json::json!(["without source mandiant"]));
    // And a restatement on the command line undoes the edit.
    let d = diff_json(
        &[
            "old.ron",
            "d5.ron",
            "--restate",
            "d5=likely",
            "--min-delta",
            "0",
        ],
        dir.path(),
    );
    assert_eq!(d["moved"], false, "{d}");
    Test::new()
        .args(["diff", "old.ron", "d5.ron", "--without", "nope"])
        .current_dir(dir.path())
        .stderr_has("--without nope: no claim, source or line of evidence (`family`) has this id in either version")
        .code(2)
        .run();
}

#[test]
fn markdown_and_table_name_the_move_and_its_reasons() {
    let markdown = || {
        Test::new()
            .args(["diff", JULY, SEPTEMBER, "--format", "markdown"])
            .stdout_has("| albania-2022 | Government of Iran (iran) | insufficient evidence → very likely | low → high | 0.463 → 0.925 | +0.463 |")
            .stdout_has("### Why Government of Iran (iran) on albania-2022 moved (+0.463)")
            .run()
            .stdout
    };
    let md = markdown();
    assert!(
        md.starts_with("# Judgement diff: graphs/albania/2022-07.ron → "),
        "{md}"
    );
    let again = markdown();
    assert_eq!(md, again, "byte-identical run after run");
}

#[test]
fn hostile_names_reach_no_output_raw() {
    let (name, hostile_name) = (
        "name: \"Government of Iran\"",
        "name: \"Gov\\u{1b}[2J <img src=x onerror=alert(1)> *x*\"",
    );
    let text = std::fs::read_to_string(root().join(JULY)).unwrap();
    assert_ne!(text, text.replace(name, hostile_name));
    let sept = std::fs::read_to_string(root().join(SEPTEMBER))
        .unwrap()
        .replace(name, hostile_name);
    let diff = |format: &[&str]| diff_texts(&text, &sept, format);
    let table = diff(&[]);
    assert!(
        !table.contains('\u{1b}') && table.contains("Gov␛[2J"),
        "{table}"
    );
    let md = diff(&["--format", "markdown"]);
    assert!(!md.contains("<img") && md.contains("&lt;img"), "{md}");
    let js = diff(&["--format", "json"]);
    assert!(json(&js)["changes"].to_string().contains("\\u001b[2J"));
}

/// Through the library, at full precision: ΔP is P_new − P_old exactly, both as `assess`
/// gives them.
#[test]
fn the_library_diff_is_exact() {
    use attrib::assess::Scenario;
    use attrib::assess::assess;
    let load = |p: &str| {
        let text = std::fs::read_to_string(root().join(p)).unwrap();
        attrib::load::load(&text, attrib::format::Syntax::Ron).unwrap()
    };
    let (old, new) = (load(JULY), load(SEPTEMBER));
    let d = attrib::diff::diff(&old, &new, &|_| Scenario::default(), 0.005);
    let p = |l: &attrib::load::Loaded, actor: &str| {
        let a = assess(&l.case, Scenario::default());
        let id = l.case.find_entity(actor).unwrap();
        a.incidents[0].judgement(id).unwrap().p()
    };
    for h in d
        .hypotheses
        .iter()
        .filter(|h| h.old.is_some() && h.new.is_some())
    {
        let (o, n) = (p(&old, &h.actor), p(&new, &h.actor));
        assert_eq!(h.old.unwrap().p, o);
        assert_eq!(h.new.unwrap().p, n);
        assert_eq!(h.delta_p, n - o, "{}", h.actor);
    }
    assert!(d.hypotheses.iter().any(|h| h.actor == "iran"));
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `HEAD:cases/link.ron`, a symbolic link in git, was read as the text of its target
/// (`expected Case(…), found odd(…)`) while the working tree's side followed the link: a link
/// in a revision or the index is followed there too, relative to its directory; one out of
/// the repository, or one of a loop, is a clear error.
#[cfg(unix)]
#[test]
fn a_symbolic_link_in_a_git_revision_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join("albania/2022")).unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["config", "user.name", "Analyst"]);
    git(repo, &["config", "user.email", "analyst@example.org"]);
    std::fs::copy(root().join(JULY), repo.join("albania/2022/july case.ron")).unwrap();
    let link =
        |target: &str, name: &str| std::os::unix::fs::symlink(target, repo.join(name)).unwrap();
    link("2022/july case.ron", "albania/latest.ron");
    link("../latest.ron", "albania/2022/current.ron");
    link("/etc/hostname", "albania/outside.ron");
    link("../../around.ron", "albania/climbs.ron");
    link("loop-b.ron", "albania/loop-a.ron");
    link("loop-a.ron", "albania/loop-b.ron");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "July"]);
    let expected = diff_json(&[JULY, JULY], &root());
    for old in [
        "HEAD:albania/latest.ron",
        "HEAD:albania/2022/current.ron",
        ":albania/latest.ron",
    ] {
        let read = diff_json(&[old, "albania/latest.ron"], repo);
        assert_eq!(read["hypotheses"], expected["hypotheses"], "{old}");
        assert_eq!(read["old"]["name"], old);
    }
    for (old, why) in [
        (
            "HEAD:albania/outside.ron",
            "(to `/etc/hostname`), out of the repository",
        ),
        ("HEAD:albania/loop-a.ron", "one of more than 8 in a row"),
        // Out of the repository by `..`, into whatever holds it.
        (
            "HEAD:albania/climbs.ron",
            "(to `../../around.ron`), out of the repository",
        ),
    ] {
        Test::new()
            .args(["diff", old, "albania/latest.ron"])
            .current_dir(repo)
            .stderr_has(why)
            .stderr_has("is a symbolic link there")
            .code(2)
            .run();
    }
    Test::new()
        .args(["diff", "HEAD:albania/2022", "albania/latest.ron"])
        .current_dir(repo)
        .stderr_has("`albania/2022` is a directory there; name a case file in it")
        .code(2)
        .run();
}

#[test]
fn revisions_are_read_from_git_and_git_diff_uses_attrib_as_a_driver() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("cases");
    std::fs::create_dir_all(repo.join("albania")).unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "user.name", "Analyst"]);
    git(&repo, &["config", "user.email", "analyst@example.org"]);
    let case = repo.join("albania/case.ron");
    std::fs::copy(root().join(JULY), &case).unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "July"]);
    std::fs::copy(root().join(SEPTEMBER), &case).unwrap();
    git(&repo, &["commit", "-q", "-a", "-m", "September"]);

    // REV:PATH against the file, from inside the repository and from outside it.
    let expected = diff_json(&[JULY, SEPTEMBER], &root());
    let numbers = |v: &Value| v["hypotheses"].clone();
    let inside = diff_json(&["HEAD~1:albania/case.ron", "albania/case.ron"], &repo);
    assert_eq!(numbers(&inside), numbers(&expected));
    assert_eq!(inside["old"]["name"], "HEAD~1:albania/case.ron");
    let outside = diff_json(
        &[
            "HEAD~1:cases/albania/case.ron",
            "HEAD:cases/albania/case.ron",
        ],
        dir.path(),
    );
    assert_eq!(numbers(&outside), numbers(&expected));
    // An unknown revision, and a REV:PATH outside any repository, are clear errors.
    Test::new()
        .args(["diff", "nope:albania/case.ron", "albania/case.ron"])
        .current_dir(&repo)
        .stderr_has("cannot read `nope:albania/case.ron` from git")
        .code(2)
        .run();
    let plain = tempfile::tempdir().unwrap();
    let ceiling = plain.path().parent().unwrap().to_str().unwrap();
    Test::new()
        .args(["diff", "HEAD:case.ron", "case.ron"])
        .current_dir(plain.path())
        .env("GIT_CEILING_DIRECTORIES", Some(ceiling))
        .stderr_has("is not in a git repository")
        .code(2)
        .run();
    // A revision shaped like one of git's options is refused, and git writes nothing.
    std::fs::create_dir(plain.path().join("out:.")).unwrap();
    let target = format!("--output={}/out:case.ron", plain.path().display());
    Test::new()
        .args(["diff", "--", &target, "albania/case.ron"])
        .current_dir(&repo)
        .stderr_has("a git revision cannot begin with `-`")
        .code(2)
        .run();
    assert!(!plain.path().join("out:./case.ron").exists());
    // An existing file whose name has a colon is a file, not a revision.
    std::fs::copy(root().join(JULY), plain.path().join("v:1.ron")).unwrap();
    Test::new()
        .args(["diff", "v:1.ron", "v:1.ron"])
        .current_dir(plain.path())
        .stdout_has("Changes (0):")
        .run();

    // `:PATH` is the version staged for the next commit.
    std::fs::copy(root().join(JULY), &case).unwrap();
    git(&repo, &["add", "albania/case.ron"]);
    let staged = diff_json(&["HEAD:albania/case.ron", ":albania/case.ron"], &repo);
    let back = diff_json(&[SEPTEMBER, JULY], &root());
    assert_eq!(numbers(&staged), numbers(&back));
    git(&repo, &["checkout", "-q", "HEAD", "--", "albania/case.ron"]);
    // With GIT_DIR set (a bare repository's work tree, a wrapper), git runs where attrib was
    // run, on the path as given: it was run in the file's directory, where `.git` is not.
    let with_git_dir = Test::new()
        .args([
            "diff",
            "HEAD~1:albania/case.ron",
            "albania/case.ron",
            "--format",
            "json",
        ])
        .current_dir(&repo)
        .env("GIT_DIR", Some(".git"))
        .run();
    let v: Value = serde_json::from_str(&with_git_dir.stdout).unwrap();
    assert_eq!(numbers(&v), numbers(&expected));

    git_diff_uses_attrib_as_a_driver(&repo);
}

/// The diff driver of docs/diff.md: `git diff` in `repo` (two commits of albania/case.ron,
/// July then September) prints attrib's diff.
fn git_diff_uses_attrib_as_a_driver(repo: &Path) {
    let bin = assert_cmd::cargo::cargo_bin("attrib");
    std::fs::write(repo.join(".gitattributes"), "*.ron diff=attrib\n").unwrap();
    git(
        repo,
        &[
            "config",
            "diff.attrib.command",
            &format!("{} diff", bin.display()),
        ],
    );
    // What `git ARGS` prints in the repository, which must succeed.
    let git_diff = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "git {args:?}: {err}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = git_diff(&["diff", "HEAD~1", "HEAD", "--", "albania/case.ron"]);
    assert!(
        text.starts_with("attrib diff: a/albania/case.ron → b/albania/case.ron\n"),
        "{text}"
    );
    assert!(
        text.contains("Why Government of Iran (iran) on albania-2022 moved (+0.463)"),
        "{text}"
    );
    // A file renamed: git gives nine arguments, the new path and what it says of the rename.
    // They stopped `git diff` ("external diff died").
    git(repo, &["mv", "albania/case.ron", "albania/2022.ron"]);
    let text = git_diff(&["diff", "--cached", "-M", "HEAD"]);
    assert!(
        text.starts_with("attrib diff: a/albania/case.ron → b/albania/2022.ron\n"),
        "{text}"
    );
    assert!(text.contains("Changes (0):"), "{text}");
}

/// git gives a driver `/dev/null` for the side of a file that a commit adds or deletes: one
/// line says so, ending in a line break (it was written as a visible `␊`, so the next output
/// ran on after it).
#[test]
fn a_driver_on_an_added_or_deleted_file_says_so_in_one_line() {
    for (old, new, side) in [("/dev/null", JULY, "new"), (JULY, "/dev/null", "deleted")] {
        let args = [
            "diff",
            "albania/case.ron",
            old,
            ".",
            "100644",
            new,
            ".",
            "100644",
        ];
        Test::new()
            .args(args)
            .stdout(format!(
                "albania/case.ron: a {side} case file; there is no other version to compare\n"
            ))
            .run();
    }
}

/// A version that does not load made the driver exit 2, and git stops at a driver that fails:
/// `git diff` showed no file after it, `git log -p` no commit before it. The driver says the
/// file was not compared, the errors on standard error, and exits 0 for git to go on; given
/// two files outside git, the same version fails the command.
#[test]
fn a_driver_on_a_version_that_does_not_load_lets_git_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("broken.ron");
    std::fs::write(&broken, "Case(title: \"t\", claims: [Claim(id: \"c\")])").unwrap();
    let broken = broken.to_str().unwrap();
    let args = [
        "diff",
        "albania/case.ron",
        broken,
        ".",
        "100644",
        JULY,
        ".",
        "100644",
    ];
    Test::new()
        .args(args)
        .stdout(
            "albania/case.ron: not compared, a version does not load (the errors are above); \
             `git diff --no-ext-diff` shows the text\n",
        )
        .stderr_has("error[E012]")
        .stderr_has("a/albania/case.ron")
        .run();
    Test::new()
        .args(["diff", broken, JULY])
        .stderr_has("error[E012]")
        .code(2)
        .run();
}

/// The driver's command is one for every case file of the repository: an option naming what
/// one file does not hold (`--incident`, a what-if's id) made the driver exit 2 on it, and git
/// stopped there. The file is said not compared, and git goes on; outside git, the same
/// options fail the command.
#[test]
fn a_driver_whose_options_do_not_apply_to_a_file_lets_git_go_on() {
    let driver = |option: &[&str]| {
        let mut args = vec!["diff"];
        args.extend(option);
        args.extend([
            "albania/case.ron",
            JULY,
            ".",
            "100644",
            SEPTEMBER,
            ".",
            "100644",
        ]);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    for (option, error) in [
        (&["--incident", "sony-2014"][..], "sony-2014"),
        (
            &["--without", "mandiant-2014"][..],
            "--without mandiant-2014",
        ),
    ] {
        Test::new()
            .args(driver(option))
            .stdout(
                "albania/case.ron: not compared, an option of the driver's command does not \
                 apply to these versions (the errors are above); `git diff --no-ext-diff` \
                 shows the text\n",
            )
            .stderr_has(error)
            .run();
        let mut outside = vec!["diff".to_string()];
        outside.extend(option.iter().map(|o| o.to_string()));
        outside.extend([JULY.to_string(), SEPTEMBER.to_string()]);
        Test::new().args(outside).stderr_has(error).code(2).run();
    }
    // Warnings denied: said so, not that the version does not load (an actor nobody names
    // warns, W101).
    let tmp = tempfile::tempdir().unwrap();
    let warns = tmp.path().join("warns.ron");
    let text = std::fs::read_to_string(SEPTEMBER).unwrap().replacen(
        "actors: [",
        "actors: [Actor(id: \"lone\", name: \"Lone\", kind: State), ",
        1,
    );
    std::fs::write(&warns, text).unwrap();
    let mut args = driver(&["--deny-warnings"]);
    args[6] = warns.to_str().unwrap().to_string();
    Test::new()
        .args(args)
        .stdout_has("not compared, a version does not load, or warns under --deny-warnings")
        .stderr_has("lone")
        .run();
}

/// The note that a version's warnings are not shown named a command that does not read it:
/// `attrib check -` for `HEAD~1:case.ron` (it waits on standard input), and `attrib check
/// a/case.ron` for git's driver (no such file). It names one that does.
#[test]
fn the_note_on_warnings_names_a_command_that_reads_the_version() {
    let warns = "Case(title: \"t\", actors: [Actor(id: \"x\", name: \"X\", kind: State)],\n\
        incidents: [Incident(id: \"i\", name: \"I\")],\n\
        sources: [Source(id: \"s\", name: \"S\", kind: Vendor, reliability: B)],\n\
        claims: [Claim(id: \"c\", source: \"s\", subject: \"i\", relation: AttributedTo, \
        object: \"x\", wording: \"w\", likelihood: Icd(\"likely\"))])\n";
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    git(repo, &["config", "user.name", "Analyst"]);
    git(repo, &["config", "user.email", "analyst@example.org"]);
    std::fs::create_dir(repo.join("cases")).unwrap();
    std::fs::write(repo.join("cases/case.ron"), warns).unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "one"]);
    Test::new()
        .args(["diff", "HEAD:cases/case.ron", "cases/case.ron"])
        .current_dir(repo)
        .stderr_has(
            "note: HEAD:cases/case.ron: 1 warning not shown (W102); \
             `git show HEAD:./cases/case.ron | attrib check -` shows it",
        )
        .stderr_has("`attrib check cases/case.ron` shows it")
        .run();
    // An absolute path is read in its own directory, and so is the note's.
    let absolute = format!("HEAD:{}", repo.join("cases/case.ron").to_str().unwrap());
    let dir = repo.join("cases");
    Test::new()
        .args(["diff", absolute.as_str(), "cases/case.ron"])
        .current_dir(repo)
        .stderr_has(format!(
            "`git -C {} show HEAD:./case.ron | attrib check -` shows it",
            dir.to_str().unwrap()
        ))
        .run();
    let hex = "6b4ed6afee32408cd0f11837379cc2515ba94930";
    let zeros = "0000000000000000000000000000000000000000";
    let args = [
        "diff",
        "cases/case.ron",
        "cases/case.ron",
        hex,
        "100644",
        "cases/case.ron",
        zeros,
        "100644",
    ];
    Test::new()
        .args(args)
        .current_dir(repo)
        .stderr_has(format!(
            "note: a/cases/case.ron: 1 warning not shown (W102); \
             `git cat-file -p {hex} | attrib check -` shows it"
        ))
        .stderr_has(
            "note: b/cases/case.ron: 1 warning not shown (W102); \
             `attrib check cases/case.ron` shows it",
        )
        .run();
}

/// A new claim restating another new one moved the hypothesis as much measured alone (it
/// stands in for what it restates), and the two "interacted" by the whole of one of them,
/// which read as two independent reports weakening each other: the sentence says that one
/// restates the other and is counted once together.
#[test]
fn an_interaction_of_a_claim_and_its_restatement_says_so() {
    let case = |claims: &str| {
        format!(
            "Case(title: \"t\", actors: [Actor(id: \"p\", name: \"Park\", kind: Person)],\n\
             incidents: [Incident(id: \"i\", name: \"I\")],\n\
             sources: [Source(id: \"doj\", name: \"DOJ\", kind: Government, reliability: B, \
             family: \"us-gov\"), Source(id: \"ofac\", name: \"OFAC\", kind: Government, \
             reliability: B, family: \"us-gov\")],\n\
             claims: [{claims}],\n\
             hypotheses: [Hypothesis(incident: \"i\", actor: \"p\")])\n"
        )
    };
    let claim = |id: &str, source: &str, derived: &str| {
        format!(
            "Claim(id: \"{id}\", source: \"{source}\", subject: \"i\", relation: ConductedBy, \
             object: \"p\", wording: \"w\", url: \"https://example.org\", \
             likelihood: Icd(\"very likely\"){derived})"
        )
    };
    let old = case("");
    let new = case(&format!(
        "{}, {}",
        claim("c1", "doj", ""),
        claim("c2", "ofac", ", derived_from: [\"c1\"]")
    ));
    let out = diff_texts(&old, &new, &[]);
    assert!(
        out.contains(
            "(-0.307 from their combination). c2 restates c1, which is new too: measured \
             alone, a restatement stands in for what it restates; together it is an echo, \
             counted once."
        ),
        "{out}"
    );
}

/// git gives a driver the text of a symbolic link's target for its side (mode 120000), which
/// was read as a case (E013, then "not compared"): one line says it is a link.
#[test]
fn a_driver_on_a_symbolic_link_says_so_in_one_line() {
    let args = [
        "diff",
        "cases/link.ron",
        JULY,
        ".",
        "100644",
        JULY,
        ".",
        "120000",
    ];
    Test::new()
        .args(args)
        .stdout(
            "cases/link.ron: a symbolic link in the new version; not compared (`git diff \
             --no-ext-diff` shows where it points)\n",
        )
        .run();
}

#[test]
fn bad_arguments_are_usage_errors() {
    for (args, expect) in [
        (vec!["diff", JULY], "required by '<OLD> <NEW>...'"),
        (vec!["diff", "-", "-"], "only one of OLD and NEW"),
        (
            vec!["diff", JULY, SEPTEMBER, "--min-delta", "2"],
            "--min-delta 2",
        ),
        (
            vec!["diff", JULY, "no/such.ron"],
            "cannot read `no/such.ron`",
        ),
        (vec!["diff", JULY, SEPTEMBER, JULY], "not 3"),
        (
            vec!["diff", JULY, JULY, JULY, JULY, JULY, JULY, JULY, JULY],
            "not 8",
        ),
    ] {
        Test::new()
            .args(args)
            .stdout("")
            .stderr_has(expect)
            .code(2)
            .run();
    }
}

/// A judgement only one version makes is measured from its prior, and the report says so:
/// the P column shows the prior on the side that does not judge it, and its "why" names it,
/// so that a hypothesis that vanished does not read as one that rose or fell for a reason.
#[test]
fn a_judgement_that_disappeared_is_measured_from_its_prior_and_says_so() {
    let out = Test::new()
        .args(["diff", SEPTEMBER, JULY, "--prior", "0.2", "--width", "0"])
        .run()
        .stdout;
    let row = (out.lines())
        .find(|l| l.contains("DEV-0861 (dev-0861)"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("0.691 → prior 0.2 "), "{row}");
    assert!(row.trim_end().ends_with("-0.491"), "{row}");
    assert!(
        out.contains(
            "Why DEV-0861 (dev-0861) on albania-2022 disappeared (-0.491 back to its prior 0.2):"
        ),
        "{out}"
    );
    let md = Test::new()
        .args(["diff", JULY, SEPTEMBER, "--format", "markdown"])
        .run()
        .stdout;
    assert!(
        md.contains(
            "### Why DEV-0861 (dev-0861) on albania-2022 appeared (+0.307 from its prior 0.5)"
        ),
        "{md}"
    );
    assert!(md.contains("prior 0.5 → 0.807"), "{md}");
}

/// docs/diff.md shows the diff attrib prints today, of two versions that check clean.
#[test]
fn the_worked_example_in_the_docs_is_current() {
    for v in [JULY, SEPTEMBER] {
        Test::new()
            .args(["check", v])
            .stdout_has("(0 warnings)")
            .run();
    }
    let doc = std::fs::read_to_string(root().join("docs/diff.md")).unwrap();
    let start = "$ attrib diff graphs/albania/2022-07.ron graphs/albania/2022-09.ron\n";
    let shown = &doc[doc.find(start).expect("the example is in the doc") + start.len()..];
    let shown = &shown[..shown.find("```\n").unwrap()];
    let out = Test::new().args(["diff", JULY, SEPTEMBER]).run().stdout;
    assert_eq!(shown, out, "regenerate the example in docs/diff.md");
    // What moved comes first, as in Markdown; the forty changes after it.
    let at = |s: &str, what: &str| s.find(what).unwrap_or_else(|| panic!("{what} in {s}"));
    assert!(at(&out, "Judgements that moved") < at(&out, "\nChanges (40):"));
    let markdown = Test::new()
        .args(["diff", JULY, SEPTEMBER, "--format", "markdown"])
        .run()
        .stdout;
    assert!(at(&markdown, "## Judgements that moved") < at(&markdown, "## Changes (40)"));
}

/// A removed exclusive set is named once: its line repeated the members ("…: dprk, insider:
/// dprk, insider exclude each other on …").
#[test]
fn a_removed_exclusive_set_is_named_once() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("graphs/tutorial.ron")).unwrap();
    let start = text
        .find("    exclusive: [")
        .expect("the tutorial has an exclusive set");
    let end = start + text[start..].find("\n    ],\n").unwrap() + "\n    ],\n".len();
    let without = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(tmp.path().join("new.ron"), without).unwrap();
    let old = root().join("graphs/tutorial.ron");
    let out = Test::new()
        .args(["diff", old.to_str().unwrap(), "new.ron"])
        .current_dir(tmp.path())
        .stdout_has(
            "- exclusive set marlin-outage: marlin-union, port-insider, ruritania: mutually \
             exclusive hypotheses",
        )
        .run()
        .stdout;
    assert!(!out.contains("exclude each other"), "{out}");
}

/// EUROPIUM rests on DEV-0861's claim d10c only through the possible alias d10g: neither moves
/// it alone, and "why it appeared" listed only d10h. The changes that move it only together
/// are named.
#[test]
fn changes_that_move_a_hypothesis_only_together_are_named() {
    let d = diff_json(&[JULY, SEPTEMBER], &root());
    let europium = d["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["actor"] == "europium")
        .expect("EUROPIUM appeared");
    assert_eq!(europium["interacting"], true);
    let together: Vec<&str> = europium["together"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(together.contains(&"+ claim d10c"), "{together:?}");
    assert!(together.contains(&"+ claim d10g"), "{together:?}");
    assert!(
        !together.contains(&"+ claim d10h"),
        "d10h has a part of its own"
    );
}

/// A claim the new version adds is named as moving a judgement only with others when setting
/// it aside there, with every other change in place, would move it. (An analyst's diff
/// credited a press echo of a government statement that was still in force.) Here the new
/// version also adds an echo of d10c: the echo moves nothing, and is not named; d10c, set
/// aside alone, would be replaced by its echo, but the echo is as new as it is, and with the
/// echo set aside d10c moves EUROPIUM: it is named (the news is Microsoft's, not its echo's).
/// With d10c set aside on both sides, the echo carries its line.
#[test]
fn a_claim_that_moves_nothing_with_the_other_changes_is_not_named_with_them() {
    let tmp = tempfile::tempdir().unwrap();
    let september = std::fs::read_to_string(root().join(SEPTEMBER)).unwrap();
    let echo = r#"        Claim(
            id: "e1",
            source: "mandiant",
            date: "2022-09-10",
            subject: "albania-2022",
            relation: ConductedBy,
            object: "dev-0861",
            wording: "[restates Microsoft's finding that DEV-0861 gained access]",
            likelihood: Icd("very likely"),
            derived_from: ["d10c"],
        ),
        Claim(
            id: "d10g","#;
    let with_echo = september.replacen("        Claim(\n            id: \"d10g\",", echo, 1);
    assert!(with_echo.contains("id: \"e1\""));
    let new = tmp.path().join("2022-09-echo.ron");
    std::fs::write(&new, with_echo).unwrap();
    let d = diff_json(
        &[&root().join(JULY).to_string_lossy(), &new.to_string_lossy()],
        &root(),
    );
    let europium = (d["hypotheses"].as_array().unwrap().iter())
        .find(|h| h["actor"] == "europium")
        .expect("EUROPIUM appeared");
    let together = europium["together"].to_string();
    assert!(together.contains("+ claim d10g"), "{together}");
    assert!(!together.contains("e1"), "{together}");
    assert!(together.contains("+ claim d10c"), "{together}");
    // Set aside with what it restates, it would stand in for it: it is behind EUROPIUM.
    let d = diff_json(
        &[
            &root().join(JULY).to_string_lossy(),
            &new.to_string_lossy(),
            "--without",
            "d10c",
        ],
        &root(),
    );
    let europium = (d["hypotheses"].as_array().unwrap().iter())
        .find(|h| h["actor"] == "europium")
        .expect("EUROPIUM appeared");
    assert!(
        europium["together"].to_string().contains("+ claim e1"),
        "{europium:#}"
    );
}

/// A hypothesis moved only by changes acting together names them, also when no change moves
/// it alone; a change of wording, which cannot move anything, is never among them.
#[test]
fn changes_acting_only_together_are_named_and_wording_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    let head = r#"Case(title: "T",
    actors: [Actor(id: "s", name: "S", kind: State)],
    groups: [Group(id: "g", name: "G"), Group(id: "g2", name: "G2")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "a", name: "A", kind: Vendor, reliability: B, url: "https://e.org")],
    claims: [
        Claim(id: "x0", source: "a", subject: "g", relation: OperatedBy, object: "s",
              likelihood: Probability(0.3), wording: "w"),
"#;
    let old = format!(
        "{head}        Claim(id: \"x1\", source: \"a\", subject: \"i\", relation: ConductedBy, \
         object: \"g\", likelihood: Probability(0.8), wording: \"old\"),\n    ])\n"
    );
    let new = format!(
        "{head}        Claim(id: \"x1\", source: \"a\", subject: \"i\", relation: ConductedBy, \
         object: \"g\", likelihood: Probability(0.8), wording: \"new\"),\n        \
         Claim(id: \"x2\", source: \"a\", subject: \"i\", relation: ConductedBy, object: \"g2\", \
         likelihood: Probability(0.8), wording: \"w\"),\n        \
         Claim(id: \"x3\", source: \"a\", subject: \"g2\", relation: OperatedBy, object: \"s\", \
         likelihood: Probability(0.9), wording: \"w\"),\n    ])\n"
    );
    std::fs::write(tmp.path().join("old.ron"), old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), new).unwrap();
    let out = Test::new()
        .args(["diff", "old.ron", "new.ron"])
        .current_dir(tmp.path())
        .run()
        .stdout;
    let why = out
        .split("\n\n")
        .find(|s| s.starts_with("Why S (s) on i"))
        .unwrap_or_else(|| panic!("S moved: {out}"));
    assert!(why.contains("+ claim x2"), "{why}");
    assert!(why.contains("+ claim x3"), "{why}");
    assert!(!why.contains("~ claim x1"), "{why}");
}

/// A source re-graded beside a new claim of its own moves the hypothesis only with it: the
/// re-grade alone moves nothing there, the claim alone less than both. "Moving it only with
/// others" names the re-grade; a new claim's new source, named with it already, is not named.
#[test]
fn a_regrade_that_moves_only_with_others_is_named() {
    let case = |grade: &str, extra: &str| {
        format!(
            r#"Case(title: "Re-grade", as_of: "2024-01-01",
    groups: [Group(id: "g", name: "Group"), Group(id: "h", name: "Other")],
    incidents: [Incident(id: "a", name: "A"), Incident(id: "b", name: "B")],
    sources: [Source(id: "eset", name: "ESET", kind: Vendor, reliability: {grade}, url: "https://example.org/")],
    claims: [
        Claim(id: "c1", source: "eset", subject: "a", relation: AttributedTo, object: "h", wording: "w", likelihood: Icd("likely")),
        {extra}
    ],
)"#
        )
    };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), case("B", "")).unwrap();
    std::fs::write(
        tmp.path().join("new.ron"),
        case(
            "A",
            r#"Claim(id: "c2", source: "eset", subject: "b", relation: AttributedTo, object: "g", wording: "w", likelihood: Icd("likely")),"#,
        ),
    )
    .unwrap();
    let out = Test::new()
        .current_dir(tmp.path())
        .args(["diff", "old.ron", "new.ron", "--format", "json"])
        .run()
        .stdout;
    let v: Value = serde_json::from_str(&out).unwrap();
    let g = v["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["incident"] == "b" && h["actor"] == "g")
        .expect("g on b appeared");
    assert_eq!(g["interacting"], true, "{g:#}");
    assert_eq!(g["together"], serde_json::json!(["~ source eset"]), "{g:#}");
}

/// A source removed with its claims is one part, the claims' removal with it: listed apart
/// too, each claim's move was counted twice and read as an interaction of the two.
#[test]
fn a_removed_source_and_its_claims_are_one_part() {
    let case = |extra: &str| {
        format!(
            r#"Case(title: "Removed source", as_of: "2024-01-01",
    groups: [Group(id: "g", name: "Group")],
    incidents: [Incident(id: "a", name: "A")],
    sources: [
        Source(id: "eset", name: "ESET", kind: Vendor, reliability: B, url: "https://example.org/"),
        {extra}
    ],
    claims: [
        Claim(id: "c1", source: "eset", subject: "a", relation: AttributedTo, object: "g", wording: "w", likelihood: Icd("likely")),
        {}
    ],
)"#,
            if extra.is_empty() {
                ""
            } else {
                r#"Claim(id: "c2", source: "symantec", subject: "a", relation: AttributedTo, object: "g", wording: "w", likelihood: Icd("very likely")),"#
            }
        )
    };
    let tmp = tempfile::tempdir().unwrap();
    let old = case(
        r#"Source(id: "symantec", name: "Symantec", kind: Vendor, reliability: B, url: "https://example.org/"),"#,
    );
    std::fs::write(tmp.path().join("old.ron"), old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), case("")).unwrap();
    let v = diff_json(&["old.ron", "new.ron"], tmp.path());
    let ops: Vec<(&str, &str)> = (v["changes"].as_array().unwrap().iter())
        .map(|c| (c["op"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(ops, [("removed", "symantec"), ("removed", "c2")]);
    let g = &v["hypotheses"][0];
    assert_eq!(g["actor"], "g", "{v:#}");
    let parts = g["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 1, "{g:#}");
    assert_eq!(parts[0]["id"], "symantec", "{g:#}");
    // The one part is the whole move.
    let (delta, part) = (
        g["delta_p"].as_f64().unwrap(),
        parts[0]["delta_p"].as_f64().unwrap(),
    );
    assert!(delta < -0.01 && (delta - part).abs() < 1e-12, "{g:#}");
    assert_eq!(g["interacting"], false, "{g:#}");
}

/// `--incident` keeps the judgements on one incident, named as `assess` names it; the changes
/// listed are still all of them.
#[test]
fn incident_keeps_the_judgements_on_one_incident() {
    let text = std::fs::read_to_string(root().join("graphs/tutorial.ron")).unwrap();
    let edit = |t: &str, id: &str, from: &str, to: &str| {
        let at = t.find(&format!("id: \"{id}\"")).unwrap();
        let grade = at + t[at..].find(from).unwrap();
        format!("{}{to}{}", &t[..grade], &t[grade + from.len()..])
    };
    // A claim on one incident made firmer, a source on the other re-graded.
    let new = edit(
        &text,
        "t15",
        "Icd(\"roughly even chance\")",
        "Icd(\"likely\")",
    );
    let new = edit(&new, "northlight", "reliability: B", "reliability: D");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), &text).unwrap();
    std::fs::write(tmp.path().join("new.ron"), &new).unwrap();
    let all = diff_json(&["old.ron", "new.ron"], tmp.path());
    let on = |h: &Value| h["incident"].as_str().unwrap().to_string();
    let incidents: std::collections::BTreeSet<String> = all["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .map(on)
        .collect();
    assert_eq!(incidents.len(), 2, "both incidents moved: {all:#}");
    let new_assessed = assessed(&["new.ron"], tmp.path());
    for (name, id) in [
        ("Leak of port contracts", "marlin-leak"),
        ("Operation Glass Harbour", "marlin-outage"),
    ] {
        let one = diff_json(&["old.ron", "new.ron", "--incident", name], tmp.path());
        let hypotheses = one["hypotheses"].as_array().unwrap();
        assert!(
            !hypotheses.is_empty() && hypotheses.iter().all(|h| on(h) == id),
            "{one:#}"
        );
        assert_eq!(one["changes"], all["changes"]);
        let judged = new_assessed.keys().filter(|(i, _)| i == id).count();
        let counted = hypotheses.len() + one["unchanged"].as_u64().unwrap() as usize;
        assert_eq!(
            counted, judged,
            "{id}: every judgement is moved or unchanged"
        );
    }
    Test::new()
        .current_dir(tmp.path())
        .args(["diff", "old.ron", "new.ron", "--incident", "marlin"])
        .stderr_has("--incident marlin: no incident has this id, name or alias; the case has `marlin-outage`, `marlin-leak`")
        .code(2)
        .run();
}

/// A likelihood that rests mostly on the base rate is marked in the diff as `assess` marks it:
/// DEV-0166 is "likely" at 0.643 from one Microsoft claim, its prior 0.5 times u 0.71 above
/// its belief.
#[test]
fn a_likelihood_resting_on_the_base_rate_is_marked_as_assess_marks_it() {
    let d = diff_json(&[JULY, SEPTEMBER], &root());
    let side = |actor: &str| {
        (d["hypotheses"].as_array().unwrap().iter())
            .find(|h| h["actor"] == actor)
            .unwrap()["new"]
            .clone()
    };
    assert_eq!(side("dev-0166")["mostly_prior"], true);
    assert_eq!(side("iran")["mostly_prior"], false);
    let out = Test::new().args(["diff", JULY, SEPTEMBER]).run().stdout;
    assert!(out.contains("— → likely *"), "{out}");
    assert!(
        out.contains("\n* The likelihood rests mostly on the base rate"),
        "{out}"
    );
    let assessed = Test::new().args(["assess", SEPTEMBER]).run().stdout;
    let row = assessed.lines().find(|l| l.contains("(dev-0166)")).unwrap();
    assert!(row.contains("likely (55–80 %) *"), "{row}");
    // And assess's own JSON says so.
    let report = json(
        &Test::new()
            .args(["assess", SEPTEMBER, "--format", "json"])
            .run()
            .stdout,
    );
    let hypotheses = report["incidents"][0]["hypotheses"].as_array().unwrap();
    let of = |actor: &str| {
        hypotheses.iter().find(|h| h["actor"] == actor).unwrap()["mostly_prior"].clone()
    };
    assert_eq!(of("dev-0166"), true);
    assert_eq!(of("iran"), false);
}

/// A changed prior reads once: `~ prior: 0.5 → 0.3`, in the list of changes and in each
/// judgement it moved, in every format.
#[test]
fn a_changed_prior_is_named_once() {
    let old = r#"Case(title: "T",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a")],
    claims: [
        Claim(id: "c0", source: "a", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let new = old.replace(r#"Case(title: "T","#, r#"Case(title: "T", prior: 0.3,"#);
    // Markdown escapes the tilde, and the dot after a digit a line may start with.
    for (format, line) in [
        ("table", "~ prior: 0.5 → 0.3"),
        ("markdown", "\\~ prior: 0\\.5 → 0.3"),
    ] {
        let out = diff_texts(old, &new, &["--format", format]);
        assert!(out.contains(line), "{out}");
        assert!(
            !out.contains("prior prior") && !out.contains("prior: prior"),
            "{out}"
        );
    }
    // An item whose id is its kind's word keeps its id and its field's name.
    let old = old.replace("\"c0\"", "\"claim\"");
    let new = old.replace("Icd(\"likely\")", "Icd(\"very likely\")");
    let out = diff_texts(&old, &new, &[]);
    assert!(out.contains("~ claim claim: likelihood: "), "{out}");
}

/// An id changed in the new version is a rename, not a removal and an addition: a group
/// renamed as vendors rename them (DEV-0861 to Storm-0861, the old name kept as an alias), an
/// incident and a source given new ids. Each is one change with its id among its fields, the
/// claims that name them are no change, and the judgements on them are matched under the new
/// ids: only the regrade of the renamed source moves anything, by what it moves alone.
#[test]
fn renamed_items_are_one_change_and_their_judgements_are_matched() {
    let old = std::fs::read_to_string(root().join("graphs/albania-2022.ron")).unwrap();
    let group = "            id: \"dev-0861\",\n            name: \"DEV-0861\",";
    let source = "            id: \"uk-gov\",\n            name: \"UK government (NCSC and Foreign Secretary)\",\n            kind: Government,\n            reliability: B,";
    assert!(old.contains(group) && old.contains(source));
    let new = old
        .replace(
            group,
            "            id: \"storm-0861\",\n            name: \"Storm-0861\",\n            aliases: [\"DEV-0861\"],",
        )
        .replace(
            source,
            "            id: \"uk-hmg\",\n            name: \"UK government (NCSC and Foreign Secretary)\",\n            kind: Government,\n            reliability: E,",
        )
        .replace("\"dev-0861\"", "\"storm-0861\"")
        .replace("source: \"uk-gov\"", "source: \"uk-hmg\"")
        .replace("\"albania-2022\"", "\"albania-gov-2022\"");
    let d = json(&diff_texts(&old, &new, &["--format", "json"]));
    let changes = d["changes"].as_array().unwrap();
    let ids: Vec<&str> = changes.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["storm-0861", "albania-gov-2022", "uk-hmg"], "{d:#}");
    assert!(changes.iter().all(|c| c["op"] == "changed"));
    let id_field = |c: &Value| c["fields"][0].clone();
    assert_eq!(
        id_field(&changes[0]),
        serde_json::json!({"field": "id", "old": "dev-0861", "new": "storm-0861"})
    );
    assert_eq!(
        id_field(&changes[1]),
        serde_json::json!({"field": "id", "old": "albania-2022", "new": "albania-gov-2022"})
    );
    assert_eq!(changes[2]["fields"][1]["field"], "reliability", "{d:#}");
    // Every judgement that moved is on the renamed incident, under its new id, and moved by
    // the regrade alone; none appeared or disappeared.
    let moved = d["hypotheses"].as_array().unwrap();
    assert!(!moved.is_empty(), "the regrade moves something: {d:#}");
    for h in moved {
        assert_eq!(h["status"], "moved", "{h:#}");
        assert_eq!(h["incident"], "albania-gov-2022");
        assert_eq!(h["parts"].as_array().unwrap().len(), 1, "{h:#}");
        assert_eq!(h["parts"][0]["id"], "uk-hmg", "{h:#}");
    }
    // And by what the regrade moves in the old version under the old ids.
    let regraded = assessed(&["graphs/albania-2022.ron", "--grade", "uk-gov=E"], &root());
    let iran = moved
        .iter()
        .find(|h| h["actor"] == "iran")
        .expect("Iran moved");
    assert_eq!(
        iran["new"]["p"].as_f64(),
        Some(regraded[&("albania-2022".to_string(), "iran".to_string())])
    );
    // The table says it in words.
    let table = diff_texts(&old, &new, &["--width", "0"]);
    assert!(
        table
            .contains("~ group storm-0861: id: dev-0861 → storm-0861; name: DEV-0861 → Storm-0861"),
        "{table}"
    );
    assert!(
        !table.contains("- group") && !table.contains("~ claim"),
        "{table}"
    );
}

/// An item given a new id and a new name, sharing no spelling with what it was, is still the
/// same item when the same claims name it (a source: when it made the same claims); items no
/// claim names are not paired that way, since nothing says they are one.
#[test]
fn an_item_renamed_outright_is_known_by_the_claims_naming_it() {
    let case = |crooks: &str, crooks_name: &str, vendor: &str, vendor_name: &str| {
        format!(
            "Case(title: \"t\", actors: [Actor(id: \"dprk\", name: \"DPRK\", kind: State), \
             Actor(id: \"{crooks}\", name: \"{crooks_name}\", kind: Unidentified), \
             Actor(id: \"{crooks}-x\", name: \"{crooks_name} X\", kind: Unidentified)], \
             incidents: [Incident(id: \"wannacry\", name: \"WannaCry\", start: \"2017-05-12\")], \
             sources: [Source(id: \"{vendor}\", name: \"{vendor_name}\", kind: Vendor, reliability: B), \
             Source(id: \"usg\", name: \"US government\", kind: Government, reliability: B)], \
             claims: [\
             Claim(id: \"c1\", source: \"usg\", subject: \"wannacry\", relation: AttributedTo, \
             object: \"dprk\", likelihood: Icd(\"likely\")), \
             Claim(id: \"c2\", source: \"{vendor}\", subject: \"wannacry\", relation: AttributedTo, \
             object: \"{crooks}\", likelihood: Icd(\"unlikely\"))], \
             exclusive: [Exclusive(incident: \"wannacry\", members: [\"dprk\", \"{crooks}\"])])"
        )
    };
    let old = case(
        "cybercriminals",
        "Unaffiliated cybercriminals",
        "symantec",
        "Symantec",
    );
    let new = case(
        "criminals",
        "Financially motivated criminals",
        "broadcom",
        "Broadcom",
    );
    let d = json(&diff_texts(&old, &new, &["--format", "json"]));
    let changes: Vec<(&str, &str, &str)> = (d["changes"].as_array().unwrap().iter())
        .map(|c| {
            let op = c["op"].as_str().unwrap();
            (op, c["kind"].as_str().unwrap(), c["id"].as_str().unwrap())
        })
        .collect();
    // `cybercriminals-x`, named by no claim, is removed and `criminals-x` added.
    assert_eq!(
        changes,
        [
            ("changed", "actor", "criminals"),
            ("added", "actor", "criminals-x"),
            ("removed", "actor", "cybercriminals-x"),
            ("changed", "source", "broadcom"),
        ],
        "{d:#}"
    );
    assert_eq!(
        d["changes"][0]["fields"][0],
        serde_json::json!({"field": "id", "old": "cybercriminals", "new": "criminals"})
    );
    assert_eq!(d["hypotheses"].as_array().unwrap().len(), 0, "{d:#}");
    // A claim id used again for another statement does not make a new item the old one: an
    // incident replaced by another, its claim `c2` blaming someone else, and an actor of
    // another kind that a claim is pointed at instead, are removed and added.
    let replaced = old
        .replace(
            "Incident(id: \"wannacry\", name: \"WannaCry\", start: \"2017-05-12\")",
            "Incident(id: \"notpetya\", name: \"NotPetya\", start: \"2017-06-27\")",
        )
        .replace("subject: \"wannacry\"", "subject: \"notpetya\"")
        .replace("incident: \"wannacry\"", "incident: \"notpetya\"")
        .replace(
            "object: \"cybercriminals\", likelihood: Icd(\"unlikely\")",
            "object: \"cybercriminals\", likelihood: Icd(\"likely\")",
        );
    let d = json(&diff_texts(&old, &replaced, &["--format", "json"]));
    let ops: Vec<(&str, &str)> = (d["changes"].as_array().unwrap().iter())
        .filter(|c| c["kind"] == "incident")
        .map(|c| (c["op"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [("added", "notpetya"), ("removed", "wannacry")],
        "{d:#}"
    );
    let person = old
        .replace("Actor(id: \"cybercriminals\", name: \"Unaffiliated cybercriminals\", kind: Unidentified)", "Actor(id: \"insider\", name: \"A disgruntled insider\", kind: Person)")
        .replace("\"cybercriminals\"", "\"insider\"");
    let d = json(&diff_texts(&old, &person, &["--format", "json"]));
    let ops: Vec<(&str, &str)> = (d["changes"].as_array().unwrap().iter())
        .filter(|c| c["kind"] == "actor")
        .map(|c| (c["op"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert!(
        ops.contains(&("added", "insider")) && ops.contains(&("removed", "cybercriminals")),
        "{d:#}"
    );
}

/// A removed item that two new items could have become is no rename: which one is a guess.
#[test]
fn a_rename_with_two_candidates_is_not_guessed() {
    let group = "            id: \"dev-0861\",\n            name: \"DEV-0861\",";
    let old = std::fs::read_to_string(root().join("graphs/albania-2022.ron"))
        .unwrap()
        .replace(
            group,
            &format!("{group}\n            aliases: [\"Tin Lizard\"],"),
        );
    // One new group goes by the old one's name, the other by its alias.
    let new = old
        .replace(
            &format!("{group}\n            aliases: [\"Tin Lizard\"],"),
            "            id: \"storm-0861\",\n            name: \"Storm-0861\",\n            aliases: [\"DEV-0861\"],\n        ),\n        Group(\n            id: \"storm-0862\",\n            name: \"Storm-0862\",\n            kind: IntrusionSet,\n            aliases: [\"Tin Lizard\"],",
        )
        .replace("\"dev-0861\"", "\"storm-0861\"");
    let d = json(&diff_texts(&old, &new, &["--format", "json"]));
    let ops: Vec<(&str, &str)> = (d["changes"].as_array().unwrap().iter())
        .filter(|c| c["kind"] == "group")
        .map(|c| (c["op"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [
            ("removed", "dev-0861"),
            ("added", "storm-0861"),
            ("added", "storm-0862")
        ],
        "{d:#}"
    );
}

/// Judgements that moved are listed incident by incident in the order reports list incidents
/// (by start), not by id.
#[test]
fn moved_judgements_follow_the_incidents_in_the_order_they_happened() {
    let case = |word: &str| {
        format!(
            "Case(title: \"Order\", actors: [Actor(id: \"iran\", name: \"Iran\", kind: State)], \
             incidents: [Incident(id: \"a-late\", name: \"Late\", start: \"2023-05\"), \
             Incident(id: \"z-early\", name: \"Early\", start: \"2021-01-02\")], \
             sources: [Source(id: \"nsc\", name: \"NSC\", kind: Government, reliability: B)], \
             claims: [\
             Claim(id: \"c1\", source: \"nsc\", subject: \"a-late\", relation: AttributedTo, \
             object: \"iran\", likelihood: Icd(\"{word}\")), \
             Claim(id: \"c2\", source: \"nsc\", subject: \"z-early\", relation: AttributedTo, \
             object: \"iran\", likelihood: Icd(\"{word}\"))])"
        )
    };
    let d = json(&diff_texts(
        &case("likely"),
        &case("very likely"),
        &["--format", "json"],
    ));
    let incidents: Vec<&str> = (d["hypotheses"].as_array().unwrap().iter())
        .map(|h| h["incident"].as_str().unwrap())
        .collect();
    assert_eq!(incidents, ["z-early", "a-late"], "{d:#}");
}

/// What a rename must not hide or break: a source without a family is its own family, named
/// by its id, so renaming it renames the family another source declares, which is a change
/// that moves a judgement; an actor renamed to what an incident was called is renamed once; an
/// incident named by its old id with `--incident` is the renamed one; and a what-if naming a
/// renamed source by its old id is refused with the new id, not silently ignored.
#[test]
fn renames_keep_families_and_old_ids_are_answered() {
    let case = |msft: &str, group: &str, incident: &str| {
        format!(
            "Case(title: \"t\", actors: [Actor(id: \"iran\", name: \"Iran\", kind: State)], \
             groups: [Group(id: \"{group}\", name: \"Kite\")], \
             incidents: [Incident(id: \"{incident}\", name: \"Port outage\", start: \"2024-01-01\")], \
             sources: [Source(id: \"{msft}\", name: \"Microsoft\", kind: Vendor, reliability: B), \
             Source(id: \"blog\", name: \"Microsoft blog\", kind: Vendor, reliability: B, family: \"msft\")], \
             claims: [\
             Claim(id: \"c1\", source: \"{msft}\", subject: \"{incident}\", relation: AttributedTo, object: \"iran\", likelihood: Icd(\"likely\")), \
             Claim(id: \"c2\", source: \"blog\", subject: \"{incident}\", relation: AttributedTo, object: \"iran\", likelihood: Icd(\"likely\")), \
             Claim(id: \"c3\", source: \"blog\", subject: \"{incident}\", relation: AttributedTo, object: \"{group}\", likelihood: Icd(\"likely\"))])"
        )
    };
    // The group takes the id the incident had, and the incident a new one.
    let (old, new) = (
        case("msft", "kite", "op-x"),
        case("microsoft", "op-x", "port-2024"),
    );
    let d = json(&diff_texts(&old, &new, &["--format", "json"]));
    let ops: Vec<(&str, &str)> = (d["changes"].as_array().unwrap().iter())
        .map(|c| (c["op"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [
            ("changed", "op-x"),
            ("changed", "port-2024"),
            ("changed", "microsoft")
        ],
        "{d:#}"
    );
    let source = change_of(&d, "microsoft");
    assert_eq!(source["fields"][1]["field"], "family", "{source:#}");
    // Two lines of evidence where there was one: Iran moved, by the family's change.
    let iran = (d["hypotheses"].as_array().unwrap().iter())
        .find(|h| h["actor"] == "iran")
        .expect("Iran moved");
    assert!(iran["delta_p"].as_f64().unwrap() > 0.0, "{iran:#}");
    // --incident by the old id.
    let d = json(&diff_texts(
        &old,
        &new,
        &["--format", "json", "--incident", "op-x"],
    ));
    assert!(
        d["hypotheses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["actor"] == "iran"),
        "{d:#}"
    );
    // A what-if by the old id.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), &old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), &new).unwrap();
    Test::new()
        .args(["diff", "old.ron", "new.ron", "--without", "msft"])
        .current_dir(tmp.path())
        .stderr_has("`msft` is renamed `microsoft` in the new version")
        .code(2)
        .run();
}

/// A claim given a new id (an analyst moving from d1, d2 … to ids that say what each is) is
/// one change, its id among its fields, not a removal and an addition; the claims restating it
/// under its new id are no change. Its other fields may change with it (a new address), its
/// source may be renamed too; a claim that also says something else (a likelihood) is another
/// claim, and two claims alike leave which one was renamed a guess.
#[test]
fn a_claim_given_a_new_id_is_one_change() {
    let old = std::fs::read_to_string(root().join("graphs/albania-2022.ron")).unwrap();
    assert!(old.contains("derived_from: [\"d1\"]"));
    let url = "https://therecord.media/cyber-command-ties-hacking-group-to-iranian-intelligence";
    let new = old
        .replace("id: \"d1\",", "id: \"cybercom-2022-01-12\",")
        .replace("[\"d1\"]", "[\"cybercom-2022-01-12\"]")
        .replace(url, "https://www.cybercom.mil/Media/News/Article/2897570/")
        .replace("id: \"d3\",", "id: \"akshi-2022-07\",");
    let d = json(&diff_texts(&old, &new, &["--format", "json"]));
    let changes = d["changes"].as_array().unwrap();
    let fields = |c: &Value| -> Vec<String> {
        (c["fields"].as_array().unwrap().iter())
            .map(|f| f["field"].as_str().unwrap().to_string())
            .collect()
    };
    let got: Vec<(&str, &str, Vec<String>)> = (changes.iter())
        .map(|c| {
            (
                c["op"].as_str().unwrap(),
                c["id"].as_str().unwrap(),
                fields(c),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("changed", "akshi-2022-07", vec!["id".to_string()]),
            (
                "changed",
                "cybercom-2022-01-12",
                vec!["id".to_string(), "url".to_string()]
            ),
        ],
        "{d:#}"
    );
    assert_eq!(
        changes[1]["fields"][0],
        serde_json::json!({"field": "id", "old": "d1", "new": "cybercom-2022-01-12"})
    );
    assert!(d["hypotheses"].as_array().unwrap().is_empty(), "{d:#}");
    let table = diff_texts(&old, &new, &["--width", "0"]);
    assert!(
        table.contains("~ claim akshi-2022-07: id: d3 → akshi-2022-07"),
        "{table}"
    );
    // A what-if naming the claim by its old id names nothing once renamed: refused.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), &old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), &new).unwrap();
    for what_if in [
        ["--without", "d1"],
        ["--restate", "d1=likely"],
        ["--confidence", "d1=high"],
    ] {
        Test::new()
            .args(["diff", "old.ron", "new.ron"])
            .args(what_if)
            .current_dir(tmp.path())
            .stderr_has("`d1` is renamed `cybercom-2022-01-12` in the new version")
            .code(2)
            .run();
    }

    // Renamed with its source.
    let source = "id: \"akshi\",";
    assert!(old.contains(source));
    let both = new
        .replace(source, "id: \"akshi-al\",")
        .replace("source: \"akshi\"", "source: \"akshi-al\"");
    let d = json(&diff_texts(&old, &both, &["--format", "json"]));
    let ids: Vec<&str> = (d["changes"].as_array().unwrap().iter())
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["akshi-al", "akshi-2022-07", "cybercom-2022-01-12"],
        "{d:#}"
    );

    // Saying something else as well, it is another claim.
    let other = old.replace("id: \"d3\",", "id: \"akshi-2022-07\",").replace(
        "likelihood: Icd(\"very likely\"),\n            confidence: Low,\n            url: \"https://news.cyberfreakz.com/\"",
        "likelihood: Icd(\"likely\"),\n            confidence: Low,\n            url: \"https://news.cyberfreakz.com/\"",
    );
    assert_ne!(other, old.replace("id: \"d3\",", "id: \"akshi-2022-07\","));
    let d = json(&diff_texts(&old, &other, &["--format", "json"]));
    let ops: Vec<(&str, &str)> = (d["changes"].as_array().unwrap().iter())
        .map(|c| (c["op"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [("added", "akshi-2022-07"), ("removed", "d3")],
        "{d:#}"
    );

    // Two claims alike in the new version: either could be the old one.
    let d3 = old.find("        // D3\n").unwrap();
    let d4 = old.find("        // D4\n").unwrap();
    let claim = &old[d3..d4];
    let twice = format!(
        "{}{}{}{}",
        &old[..d3],
        claim.replace("id: \"d3\",", "id: \"d3-a\","),
        claim.replace("id: \"d3\",", "id: \"d3-b\","),
        &old[d4..]
    );
    let d = json(&diff_texts(&old, &twice, &["--format", "json"]));
    let ops: Vec<(&str, &str)> = (d["changes"].as_array().unwrap().iter())
        .map(|c| (c["op"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [("removed", "d3"), ("added", "d3-a"), ("added", "d3-b")],
        "{d:#}"
    );
}

/// A change that makes no valid case applied alone is listed, unmeasured, with the error the
/// old version gives with it: here c1 restating c2 while c2 (changed with it) still restates
/// c1 in the old version, a circle of restatements.
#[test]
fn a_change_invalid_alone_says_why_it_is_unmeasured() {
    let case = |c1: &str, c2: &str| {
        format!(
            r#"Case(title: "T",
    actors: [Actor(id: "x", name: "X", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B),
        Source(id: "b", name: "B", kind: Media, reliability: C),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "x",
              likelihood: Icd("likely"), wording: "w", derived_from: [{c1}]),
        Claim(id: "c2", source: "b", subject: "i", relation: AttributedTo, object: "x",
              likelihood: Icd("likely"), wording: "w", derived_from: [{c2}]),
    ],
)
"#
        )
    };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), case("", r#""c1""#)).unwrap();
    std::fs::write(tmp.path().join("new.ron"), case(r#""c2""#, "")).unwrap();
    let d = diff_json(&["old.ron", "new.ron"], tmp.path());
    let why = change_of(&d, "c1")["unmeasured"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(why.starts_with("applied alone, "), "{d}");
    assert!(why.contains("restate"), "{d}");
}

/// Listing a hypothesis its claims already bring to judgement neither adds nor removes a
/// judgement, and the change says so beside "unchanged"; listing one nothing else judges
/// adds it, and says nothing of the kind.
#[test]
fn listing_a_hypothesis_already_judged_says_so() {
    let old = std::fs::read_to_string(root().join("graphs/albania-2022.ron")).unwrap();
    let listed = r#"        Hypothesis(incident: "albania-2022", actor: "mois"),
"#;
    assert!(old.contains(listed));
    let new = old.replace(listed, "");
    let out = diff_texts(&old, &new, &[]);
    assert!(
        out.contains(
            "- hypothesis albania-2022/mois: mois on albania-2022 (no longer listed; still \
             judged from its claims)"
        ),
        "{out}"
    );
    assert!(out.contains("(11 hypotheses unchanged"), "{out}");
    let out = diff_texts(&new, &old, &[]);
    assert!(
        out.contains("+ hypothesis albania-2022/mois: mois on albania-2022 (listed; judged from its claims before)"),
        "{out}"
    );
    // The same, narrowed to the incident.
    let out = diff_texts(&new, &old, &["--incident", "albania-2022"]);
    assert!(
        out.contains("+ hypothesis albania-2022/mois: mois on albania-2022 (listed; judged from its claims before)"),
        "{out}"
    );
    // A group no claim names is judged only because it is listed.
    let with_group = old
        .replacen(
            "    groups: [\n",
            "    groups: [\n        Group(id: \"newgroup\", name: \"New Group\"),\n",
            1,
        )
        .replacen(
            listed,
            &format!(
                "{listed}        Hypothesis(incident: \"albania-2022\", actor: \"newgroup\"),\n"
            ),
            1,
        );
    let out = diff_texts(&old, &with_group, &[]);
    assert!(
        out.contains("+ hypothesis albania-2022/newgroup: newgroup on albania-2022\n"),
        "{out}"
    );
}

/// A version with its `tlp` field set: `field` added after the case opens.
fn with_field(path: &str, field: &str) -> String {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    assert!(text.contains("\nCase(\n"), "the case opens on its own line");
    text.replacen("\nCase(\n", &format!("\nCase(\n    {field},\n"), 1)
}

/// A diff quotes both versions, so it is shared under the more restrictive of their TLP
/// levels, at its head and foot as every report is, whichever version holds it.
#[test]
fn a_diff_carries_the_more_restrictive_tlp_of_the_two_versions() {
    let (amber, green) = (
        with_field(JULY, "tlp: \"amber\""),
        with_field(SEPTEMBER, "tlp: \"green\""),
    );
    let pairs = [
        (&amber, &green, "tlp: amber → green"),
        (&green, &amber, "tlp: green → amber"),
    ];
    for (old, new, change) in pairs {
        let table = diff_texts(old, new, &[]);
        assert!(table.starts_with("TLP:AMBER\nattrib diff: "), "{table}");
        assert!(table.contains(change), "{table}");
        assert!(table.ends_with("\n\nTLP:AMBER\n"), "{table}");
        let md = diff_texts(old, new, &["--format", "markdown"]);
        assert!(md.starts_with("**TLP:AMBER**\n\n# Judgement diff"), "{md}");
        assert!(md.ends_with("\n\n**TLP:AMBER**\n"), "{md}");
        let js = json(&diff_texts(old, new, &["--format", "json"]));
        assert_eq!(js["tlp"], "amber");
    }
    // Neither marked: nothing said.
    let plain = diff_texts(
        &std::fs::read_to_string(root().join(JULY)).unwrap(),
        &std::fs::read_to_string(root().join(SEPTEMBER)).unwrap(),
        &["--format", "json"],
    );
    assert!(json(&plain)["tlp"].is_null());
}

/// The note on the base-rate mark (` *`) goes where the mark is: after the sections on why
/// each judgement moved when only a change alone is marked there (no row of the table is),
/// in the table and in Markdown alike.
#[test]
fn the_base_rate_note_follows_the_marks_it_explains() {
    let dir = root().join("tests/data/diff");
    for (format, note) in [
        ("table", "* The likelihood"),
        ("markdown", "\\* The likelihood"),
    ] {
        let out = Test::new()
            .current_dir(&dir)
            .args(["diff", "sony-2014.ron", "sony-2018.ron", "--format", format])
            .args(["--width", "0"])
            .run()
            .stdout;
        let first_mark = (out.find("unlikely *,"))
            .or_else(|| out.find("unlikely \\*,"))
            .expect("a part marked");
        let last_why = out.rfind("Why ").unwrap();
        let at = out.find(note).expect("the note");
        assert!(at > first_mark && at > last_why, "{format}: {out}");
        assert_eq!(out.matches(note).count(), 1, "{format}");
    }
}

/// A list is written by the entries it gained and lost: joined whole and cut to the width, a
/// long list of aliases hid the one added in its middle (`Waterbug`, after an alias import).
#[test]
fn a_changed_list_names_the_entries_added_and_removed() {
    let old = r#"Case(title: "T",
    groups: [Group(id: "turla", name: "Turla", aliases: ["G0010", "KRYPTON", "Secret Blizzard",
        "Snake", "Uroburos", "Venomous Bear", "Iron Hunter", "Pensive Ursa"])],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "a", name: "A", kind: Vendor, reliability: B)],
    claims: [Claim(id: "c0", source: "a", subject: "i", relation: AttributedTo, object: "turla",
                   likelihood: Icd("likely"))])
"#;
    let new = old
        .replace(r#""Uroburos", "#, r#""Uroburos", "Waterbug", "#)
        .replace(r#""Iron Hunter", "#, "");
    let text = diff_texts(old, &new, &[]);
    assert!(
        text.contains("~ group turla: aliases: + Waterbug, − Iron Hunter\n"),
        "{text}"
    );
    let d = json(&diff_texts(old, &new, &["--format", "json"]));
    let field = &change_of(&d, "turla")["fields"][0];
    assert_eq!(field["field"], "aliases");
    assert_eq!(field["added"], serde_json::json!(["Waterbug"]));
    assert_eq!(field["removed"], serde_json::json!(["Iron Hunter"]));
    // The whole lists stay, for programs.
    assert!(
        field["new"].as_str().unwrap().contains("Waterbug"),
        "{field}"
    );
    // A field that is no list has neither.
    let renamed = diff_texts(
        old,
        &old.replace(r#"name: "Turla""#, r#"name: "Turla Team""#),
        &["--format", "json"],
    );
    let renamed = json(&renamed);
    let field = &change_of(&renamed, "turla")["fields"][0];
    assert!(
        field.get("added").is_none() && field.get("removed").is_none(),
        "{field}"
    );
}

/// Why a judgement moved names a change by the fields that moved it: a source re-graded with
/// its note rewritten repeated the two notes, cut, on every line of every judgement it moved.
/// The list of changes keeps every field.
#[test]
fn why_a_judgement_moved_names_the_fields_that_move_it() {
    let old = r#"Case(title: "T",
    groups: [Group(id: "g", name: "G")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "k", name: "K", kind: Vendor, reliability: C,
                     note: "Strong; graded C for this case because the overlap is circumstantial")],
    claims: [Claim(id: "c0", source: "k", subject: "i", relation: AttributedTo, object: "g",
                   likelihood: Icd("likely"))])
"#;
    let new = old
        .replace("reliability: C", "reliability: B")
        .replace("graded C", "regraded B");
    for format in ["table", "markdown"] {
        let text = diff_texts(old, &new, &["--format", format]);
        let lines: Vec<&str> = (text.lines())
            .filter(|l| l.contains("source k: reliability: C → B"))
            .collect();
        // One in the list of changes, with the note; one under why the judgement moved.
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(
            lines.iter().filter(|l| l.contains("; note: ")).count(),
            1,
            "{text}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("(alone: ") || l.contains("[alone: ")),
            "{text}"
        );
    }
}

/// A claim linking an actor up to a whole that is denied lowers the actor (the whole's
/// opposition comes down the link, model §5): the "why" says so, in the table and the JSON,
/// and says nothing of the kind for the claims that raise it.
#[test]
fn a_link_that_lowers_its_subject_says_the_opposition_comes_down_it() {
    let old = r#"Case(
    title: "Link",
    actors: [Actor(id: "ruritania", name: "Ruritania", kind: State)],
    groups: [Group(id: "kite", name: "Kite")],
    incidents: [Incident(id: "outage", name: "Outage", start: "2024-01-01")],
    sources: [
        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B),
        Source(id: "gov", name: "Gov", kind: Government, reliability: B),
        Source(id: "mfa", name: "Ruritania MFA", kind: Adversary, reliability: B),
    ],
    claims: [
        Claim(id: "c1", source: "vendor", subject: "outage", relation: AttributedTo, object: "kite", likelihood: Icd("likely")),
        Claim(id: "d1", source: "mfa", subject: "outage", relation: AttributedTo, object: "ruritania", likelihood: Icd("almost no chance"), confidence: High),
    ],
)"#;
    let new = old.replace(
        r#"confidence: High),
    ],"#,
        r#"confidence: High),
        Claim(id: "l1", source: "gov", subject: "kite", relation: SponsoredBy, object: "ruritania", likelihood: Icd("very likely")),
    ],"#,
    );
    let table = diff_texts(old, &new, &["--width", "0"]);
    let why: Vec<&str> = (table.lines())
        .skip_while(|l| !l.starts_with("Why Kite (kite) on outage"))
        .take(2)
        .collect();
    assert!(
        why.len() == 2
            && why[1].starts_with("  -0.")
            && why[1].contains("+ claim l1: gov: kite sponsored by ruritania")
            && why[1]
                .contains("; a link up to ruritania, whose opposition comes down it (model §5)"),
        "{table}"
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), &new).unwrap();
    let d = diff_json(&["old.ron", "new.ron"], tmp.path());
    let hypotheses = d["hypotheses"].as_array().unwrap();
    let of = |actor: &str| {
        (hypotheses.iter())
            .find(|h| h["actor"] == actor)
            .unwrap_or_else(|| panic!("{d:#}"))
    };
    assert_eq!(of("kite")["parts"][0]["down_from"], "ruritania", "{d:#}");
    // Ruritania gains Kite's support through the link: no opposition came down to it.
    let up = &of("ruritania")["parts"][0];
    assert!(up["delta_p"].as_f64().unwrap() > 0.0, "{d:#}");
    assert_eq!(up["down_from"], Value::Null, "{d:#}");
    // The link taken away raises Kite: less of Ruritania's opposition comes down to it.
    let back = diff_texts(&new, old, &["--width", "0"]);
    let why: Vec<&str> = (back.lines())
        .skip_while(|l| !l.starts_with("Why Kite (kite) on outage"))
        .take(2)
        .collect();
    assert!(
        why.len() == 2
            && why[1].starts_with("  +0.")
            && why[1].contains("- claim l1: gov: kite sponsored by ruritania")
            && why[1].contains(
                "; a link up to ruritania, whose opposition comes down it less (model §5)"
            ),
        "{back}"
    );
}

/// A claim for one member of an exclusive set lowers the others (its support counts against
/// them, model §5b): the "why" names the member it raises, in the table and the JSON, and a
/// denial that lowers a member raises none.
#[test]
fn a_claim_for_a_competitor_says_which_member_it_moves() {
    let old = r#"Case(
    title: "Competitors",
    actors: [Actor(id: "dprk", name: "North Korea", kind: State)],
    groups: [Group(id: "crooks", name: "Crooks")],
    incidents: [Incident(id: "wiper", name: "Wiper", start: "2024-01-01")],
    sources: [
        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B),
        Source(id: "lab", name: "Lab", kind: Vendor, reliability: B),
        Source(id: "gov", name: "Gov", kind: Government, reliability: B),
    ],
    claims: [
        Claim(id: "c1", source: "vendor", subject: "wiper", relation: AttributedTo, object: "dprk", likelihood: Icd("likely")),
    ],
    exclusive: [Exclusive(incident: "wiper", members: ["dprk", "crooks"])],
)"#;
    let new = old.replace(
        r#"likelihood: Icd("likely")),
    ],"#,
        r#"likelihood: Icd("likely")),
        Claim(id: "c2", source: "lab", subject: "wiper", relation: AttributedTo, object: "crooks", likelihood: Icd("very likely")),
        Claim(id: "c3", source: "gov", subject: "wiper", relation: AttributedTo, object: "dprk", likelihood: Icd("unlikely")),
    ],"#,
    );
    let table = diff_texts(old, &new, &["--width", "0"]);
    let why: Vec<&str> = (table.lines())
        .skip_while(|l| !l.starts_with("Why North Korea (dprk) on wiper"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    let line = |claim: &str| {
        (why.iter())
            .find(|l| l.contains(&format!("+ claim {claim}:")))
            .unwrap_or_else(|| panic!("{table}"))
    };
    assert!(
        line("c2").starts_with("  -0.")
            && line("c2").contains("; raises crooks, exclusive with it (model §5b)"),
        "{table}"
    );
    assert!(
        line("c3").starts_with("  -0.") && !line("c3").contains("raises"),
        "{table}"
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), &new).unwrap();
    let d = diff_json(&["old.ron", "new.ron"], tmp.path());
    let parts = |actor: &str| {
        (d["hypotheses"].as_array().unwrap().iter())
            .find(|h| h["actor"] == actor)
            .unwrap_or_else(|| panic!("{d:#}"))["parts"]
            .as_array()
            .unwrap()
            .clone()
    };
    let part = |actor: &str, claim: &str| {
        parts(actor)
            .into_iter()
            .find(|p| p["id"] == claim)
            .unwrap_or_else(|| panic!("{d:#}"))
    };
    assert_eq!(
        part("dprk", "c2")["competitors"],
        serde_json::json!(["crooks"])
    );
    assert_eq!(part("dprk", "c3")["competitors"], serde_json::json!([]));
    // Crooks rises with its own claim, and North Korea, which c2 lowers, does not move it.
    assert_eq!(part("crooks", "c2")["competitors"], serde_json::json!([]));
    // The other way, the claim for Crooks taken away raises North Korea by lowering Crooks;
    // the denial taken away raises it and moves no competitor.
    let back = diff_texts(&new, old, &["--width", "0"]);
    let why: Vec<&str> = (back.lines())
        .skip_while(|l| !l.starts_with("Why North Korea (dprk) on wiper"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    let line = |claim: &str| {
        (why.iter())
            .find(|l| l.contains(&format!("- claim {claim}:")))
            .unwrap_or_else(|| panic!("{back}"))
    };
    assert!(
        line("c2").starts_with("  +0.")
            && line("c2").contains("; lowers crooks, exclusive with it (model §5b)"),
        "{back}"
    );
    assert!(
        line("c3").starts_with("  +0.") && !line("c3").contains("exclusive"),
        "{back}"
    );
    // North Korea's own support taken away lowers it and raises Crooks (less against it):
    // the loss is the reason, not Crooks; Crooks rises because North Korea's support went.
    let without_c1 = new.replace(
        r#"Claim(id: "c1", source: "vendor", subject: "wiper", relation: AttributedTo, object: "dprk", likelihood: Icd("likely")),"#,
        "",
    );
    let lost = diff_texts(&new, &without_c1, &["--width", "0"]);
    let why = |actor: &str| -> String {
        (lost.lines())
            .skip_while(|l| !l.starts_with(&format!("Why {actor}")))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        why("North Korea").starts_with("  -0.") && !why("North Korea").contains("exclusive"),
        "{lost}"
    );
    assert!(
        why("Crooks").contains("- claim c1:")
            && why("Crooks").contains("; lowers dprk, exclusive with it (model §5b)"),
        "{lost}"
    );
}

/// A what-if that a version refuses — a claim the new version adds restated twice, or a
/// condemnation it adds restated — is refused before anything is judged: applied to a version
/// it was read as no what-if at all, every other what-if with it.
#[test]
fn a_what_if_one_version_refuses_is_refused_for_the_diff() {
    let (old, new) = lazarus_versions(
        "        Claim(id: \"t1\", source: \"t\", subject: \"i\", relation: AttributedTo,
              object: \"lazarus\", likelihood: Icd(\"unlikely\"), wording: \"w\"),
        Claim(id: \"cond\", source: \"a\", subject: \"i\", relation: Condemns, wording: \"w\"),
",
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.ron"), old).unwrap();
    std::fs::write(tmp.path().join("new.ron"), new).unwrap();
    for (args, said) in [
        (
            &["--restate", "t1=likely", "--restate", "t1=unlikely"][..],
            "--restate t1=… is given twice",
        ),
        (
            &["--prior", "0.2", "--confidence", "cond=high"][..],
            "claim `cond` condemns i without naming anyone",
        ),
    ] {
        Test::new()
            .args(["diff", "old.ron", "new.ron"])
            .args(args)
            .current_dir(tmp.path())
            .stderr_has(said)
            .code(2)
            .run();
    }
}

/// A change whose part in a move reads as nothing at the figures shown (`-0.000`) and leaves
/// the words as they were is not listed on its own: one line names such changes together,
/// in the table and in Markdown, while the JSON report keeps every part with its exact move.
/// Undoing SentinelLabs' VPNFilter link moves Russia by a few ten-thousandths each.
#[test]
fn changes_that_move_a_judgement_by_nothing_shown_are_named_together() {
    let dir = root().join("tests/data/diff");
    let run = |format: &str| {
        Test::new()
            .current_dir(&dir)
            .args(["diff", "viasat-2022-vpnfilter.ron", "viasat-2022-05.ron"])
            .args(["--format", format, "--width", "0"])
            .run()
            .stdout
    };
    let table = run("table");
    let why = &table[table.find("Why Russian Federation").unwrap()..];
    let why = &why[..why.find("\n\n").unwrap()];
    assert!(
        why.contains(
            "  3 more changes move it by less than 0.0005 each: - group vpnfilter-actor, \
             - source fbi, - source sentinel"
        ),
        "{why}"
    );
    assert!(why.contains("-0.031  ~ source uk-fcdo"), "{why}");
    assert!(!table.contains("0.000  "), "{table}");
    let markdown = run("markdown");
    assert!(
        markdown.contains(
            "- 3 more changes move it by less than 0.0005 each: - group vpnfilter-actor, - \
             source fbi, - source sentinel\n"
        ),
        "{markdown}"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let russia = (json["hypotheses"].as_array().unwrap().iter())
        .find(|h| h["actor"] == "russia")
        .unwrap();
    let parts = russia["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 5);
    let small = (parts.iter())
        .filter(|p| p["delta_p"].as_f64().unwrap().abs() < 0.0005)
        .count();
    assert_eq!(small, 3);
}

/// SolarWinds from January to April 2021: the White House's and the NSA's attributions to
/// the SVR (c13, c15) are both new, as strong as each other and on one line (the US
/// government's), so each leaves APT29 as it is without the other; together they carry the
/// line, and are named among the changes that move it only with others. Russia's US line was
/// already carried by Pompeo's remark (c6) as strongly, so neither is named there.
#[test]
fn new_claims_as_strong_on_one_line_are_named_together() {
    let dir = root().join("tests/data/diff");
    let d = diff_json(&["solarwinds-2021-01.ron", "solarwinds-2021-04.ron"], &dir);
    let apt29 = hypothesis(&d, "apt29");
    let together: Vec<&str> = (apt29["together"].as_array().unwrap().iter())
        .map(|v| v.as_str().unwrap())
        .collect();
    for claim in ["+ claim c13", "+ claim c15", "+ claim c14", "+ claim c17"] {
        assert!(together.contains(&claim), "{claim}: {apt29}");
    }
    // With them, the changes named carry the whole move between them (+0.228).
    let (moved, carried) = (
        apt29["delta_p"].as_f64().unwrap(),
        apt29["together_move"]["delta_p"].as_f64().unwrap(),
    );
    assert!((moved - carried).abs() < 0.005, "{apt29}");
    let russia = hypothesis(&d, "russia");
    let together = russia["together"].to_string();
    assert!(
        !together.contains("c13") && !together.contains("c15"),
        "{russia}"
    );
    // A third alike (the NSA's attribution stated twice): any two set aside leave the third,
    // and all three are named.
    let tmp = tempfile::tempdir().unwrap();
    let april = std::fs::read_to_string(dir.join("solarwinds-2021-04.ron")).unwrap();
    let c15 = "        Claim(id: \"c15\", source: \"nsa\", date: \"2021-04-15\", subject: \"solarwinds\", relation: AttributedTo, object: \"svr\",\n            wording: \"[The US Government attributes the SolarWinds supply-chain compromise to the SVR]\",\n            likelihood: Icd(\"very likely\"), confidence: High),\n";
    assert!(april.contains(c15));
    let thrice = april.replace(c15, &format!("{c15}{}", c15.replace("\"c15\"", "\"c15b\"")));
    std::fs::write(tmp.path().join("april.ron"), thrice).unwrap();
    std::fs::copy(
        dir.join("solarwinds-2021-01.ron"),
        tmp.path().join("january.ron"),
    )
    .unwrap();
    let d = diff_json(&["january.ron", "april.ron"], tmp.path());
    let apt29 = hypothesis(&d, "apt29");
    for claim in ["+ claim c13", "+ claim c15", "+ claim c15b"] {
        assert!(
            apt29["together"].to_string().contains(claim),
            "{claim}: {apt29}"
        );
    }
}

/// A hypothesis the new version brings (the FSB, a new actor) is not "no longer judged" by
/// changes that, without the others, do not make it a hypothesis: it never was.
#[test]
fn a_new_hypothesis_is_not_said_to_be_no_longer_judged() {
    let dir = root().join("tests/data/diff");
    let out = diff_table(&["solarwinds-2021-01.ron", "solarwinds-2021-04.ron"], &dir);
    let fsb = (out.split("\n\n"))
        .find(|p| p.starts_with("Why Federal Security Service"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        fsb.contains(
            "applied together but without the other changes, they do not make it a hypothesis \
             at all."
        ),
        "{fsb}"
    );
    assert!(!fsb.contains("no longer judged"), "{fsb}");
    let d = diff_json(&["solarwinds-2021-01.ron", "solarwinds-2021-04.ron"], &dir);
    assert!(hypothesis(&d, "fsb")["together_move"]["alone"].is_null());
}

/// Back from April to January, Dark Halo comes back as a group of its own, and the changes
/// that bring it (the group, Volexity's claim on it and its possible alias) cannot be applied
/// alone (the April UNC2452 still holds the name). The report names them rather than saying
/// only that no change moves it alone, as the forward diff names them in its list.
#[test]
fn changes_that_could_not_be_measured_alone_are_named_where_they_move_a_judgement() {
    let dir = root().join("tests/data/diff");
    let out = diff_table(&["solarwinds-2021-04.ron", "solarwinds-2021-01.ron"], &dir);
    assert!(
        out.contains(
            "Why Dark Halo (dark-halo) on solarwinds appeared (+0.325 from its prior 0.5; split \
             from UNC2452 (unc2452)):\n  \
             No change measured alone moves it: the whole move (+0.325) comes from the changes \
             together. Not measured alone: + group dark-halo, ~ claim c3, + claim c4 (applied \
             alone, each leaves no valid case: the list of changes says why).\n"
        ),
        "{out}"
    );
    let d = diff_json(&["solarwinds-2021-04.ron", "solarwinds-2021-01.ron"], &dir);
    assert_eq!(
        hypothesis(&d, "dark-halo")["unmeasured"],
        serde_json::json!(["+ group dark-halo", "~ claim c3", "+ claim c4"])
    );
    // Where every change behind it is measured, there are none.
    assert_eq!(hypothesis(&d, "china")["unmeasured"], serde_json::json!([]));
}

/// Volexity's Dark Halo merged into UNC2452 (its name kept as an alias) reads as a merge, not
/// as a group found not to exist: in the list of changes and where its judgement disappears.
/// Back from April to January, it reads as a group split out of UNC2452.
#[test]
fn a_group_merged_into_another_is_named_so_and_split_the_other_way() {
    let dir = root().join("tests/data/diff");
    let (january, april) = ("solarwinds-2021-01.ron", "solarwinds-2021-04.ron");
    let out = diff_table(&[january, april], &dir);
    assert!(
        out.contains(
            "  - group dark-halo: Dark Halo (intrusion set); merged into unc2452 (`Dark Halo` \
             names it now)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Why Dark Halo (dark-halo) on solarwinds disappeared (-0.325 back to its prior 0.5; \
             merged into UNC2452 (unc2452)):\n"
        ),
        "{out}"
    );
    let d = diff_json(&[january, april], &dir);
    assert_eq!(change_of(&d, "dark-halo")["merged_into"], "unc2452");
    assert_eq!(hypothesis(&d, "dark-halo")["merged_into"], "unc2452");
    // A group new to the case under a name of its own, and one judged in both, are neither.
    assert!(change_of(&d, "turla")["split_from"].is_null());
    assert!(hypothesis(&d, "unc2452")["merged_into"].is_null());

    let out = diff_table(&[april, january], &dir);
    assert!(
        out.contains(
            "  + group dark-halo: Dark Halo (intrusion set); split from unc2452 (`Dark Halo` \
             named it before)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Why Dark Halo (dark-halo) on solarwinds appeared (+0.325 from its prior 0.5; split \
             from UNC2452 (unc2452)):\n"
        ),
        "{out}"
    );
    let d = diff_json(&[april, january], &dir);
    assert_eq!(change_of(&d, "dark-halo")["split_from"], "unc2452");
    assert_eq!(hypothesis(&d, "dark-halo")["split_from"], "unc2452");
    assert!(change_of(&d, "turla")["merged_into"].is_null());
}

/// A merge names the group that took the other in with its name as the case gives it: escaped
/// for the terminal and for Markdown like every name from a case. And a group divided between
/// two new ones (or two merged into a new one) is neither merged into nor split from a group
/// the other version lacks: read so, one diff said "bravo merged into charlie" beside
/// "charlie split from bravo".
#[test]
fn merges_name_escaped_groups_both_versions_hold() {
    let case = |groups: &str, blamed: &str| {
        format!(
            r#"Case(
    title: "T",
    groups: [{groups}],
    incidents: [Incident(id: "inc", name: "Incident One")],
    sources: [Source(id: "s1", name: "S1", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "s1", subject: "inc", relation: ConductedBy, object: "{blamed}", likelihood: Icd("very likely")),
    ],
)"#
        )
    };
    let old = case(
        r#"Group(id: "alpha", name: "Dark Halo"), Group(id: "beta", name: "Beta\u{1b}[2J*b*")"#,
        "alpha",
    );
    let new = case(
        r#"Group(id: "beta", name: "Beta\u{1b}[2J*b*", aliases: ["Dark Halo"])"#,
        "beta",
    );
    let table = diff_texts(&old, &new, &["--width", "0"]);
    assert!(
        table.contains("back to its prior 0.5; merged into Beta␛[2J*b* (beta)):"),
        "{table}"
    );
    assert!(!table.contains('\u{1b}'), "{table}");
    let markdown = diff_texts(&old, &new, &["--format", "markdown"]);
    assert!(
        markdown.contains("merged into Beta␛\\[2J\\*b\\* (beta))"),
        "{markdown}"
    );

    let old = case(
        r#"Group(id: "bravo", name: "Bravo", aliases: ["X", "Y"])"#,
        "bravo",
    );
    let new = case(
        r#"Group(id: "charlie", name: "Charlie", aliases: ["X"]), Group(id: "delta", name: "Delta", aliases: ["Y"])"#,
        "charlie",
    );
    for (old, new) in [(&old, &new), (&new, &old)] {
        let out = diff_texts(old, new, &["--width", "0"]);
        assert!(!out.contains("merged into"), "{out}");
        assert!(!out.contains("split from"), "{out}");
    }
}
