//! The engine on real cases: the Albania judgements the model document predicts, the worked
//! example of docs/model.md (numbers computed by hand there), and what-if behaviour.

use crate::{Test, root, run};
use attrib::assess::{
    Assessment, Judgement, Request, Scenario, SensitivityFor, assess, assess_with,
};
use attrib::format::Syntax;
use attrib::load::load;
use attrib::model::Case;
use attrib::terms::{Confidence, IcdTerm};

fn case(path: &str) -> Case {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    load(&text, Syntax::Ron).unwrap().case
}

fn judgement<'a>(case: &Case, a: &'a Assessment, actor: &str) -> &'a Judgement {
    let id = case.find_entity(actor).unwrap();
    a.incidents[0].judgement(id).unwrap()
}

fn albania() -> Case {
    case("graphs/albania-2022.ron")
}

#[test]
fn iran_is_very_likely_or_stronger_with_high_confidence_from_several_lines() {
    let case = albania();
    let a = assess(&case, Scenario::default());
    let iran = judgement(&case, &a, "iran");
    assert!(
        iran.term() >= Some(IcdTerm::VeryLikely),
        "{:?}",
        iran.term()
    );
    assert_eq!(iran.confidence(), Confidence::High);
    assert!(iran.lines >= 6, "{} lines", iran.lines);
    // It is the leading hypothesis.
    assert_eq!(a.incidents[0].hypotheses[0].actor, iran.actor);
}

#[test]
fn natos_acknowledgement_changes_nothing() {
    let case = albania();
    let with = assess(&case, Scenario::default());
    let mut scenario = Scenario::default();
    scenario
        .without_sources
        .insert(case.find_source("nato").unwrap());
    let without = assess(&case, scenario);
    // NATO's claim was recognised as an echo of claims present, and is listed as weightless.
    let d11 = case.find_claim("d11").unwrap();
    assert!(with.incidents[0].derivation.echoes.contains(&d11));
    let iran = judgement(&case, &with, "iran");
    assert!(
        iran.weightless
            .contains(&(d11, attrib::assess::Weightless::Echo))
    );
    let numbers = |a: &Assessment| -> Vec<Judgement> {
        a.incidents[0]
            .hypotheses
            .iter()
            .cloned()
            .map(|mut j| {
                j.weightless.retain(|(c, _)| *c != d11);
                j
            })
            .collect()
    };
    assert_eq!(
        numbers(&with),
        numbers(&without),
        "every judgement is identical with and without NATO"
    );
}

#[test]
fn no_single_source_flips_iran_below_likely() {
    let case = albania();
    for (id, s) in case.source_ids().zip(&case.sources) {
        let mut scenario = Scenario::default();
        scenario.without_sources.insert(id);
        let a = assess(&case, scenario);
        let iran = judgement(&case, &a, "iran");
        assert!(
            iran.term() >= Some(IcdTerm::Likely),
            "without {}: {:?}",
            s.id,
            iran.term()
        );
    }
}

#[test]
fn muddywater_is_not_judged_responsible() {
    let case = albania();
    let a = assess(&case, Scenario::default());
    let mw = judgement(&case, &a, "MuddyWater");
    assert_eq!(mw.term(), None, "insufficient evidence");
    assert_eq!(mw.confidence(), Confidence::Low);
    assert_eq!(mw.r, 0.0, "nothing flows down from MOIS");
    // MOIS itself is supported: the downward inference would have had something to pass on.
    let mois = judgement(&case, &a, "mois");
    assert!(mois.term() >= Some(IcdTerm::Likely));
    assert!(
        mois.p() < judgement(&case, &a, "iran").p(),
        "MOIS lower than Iran"
    );
}

#[test]
fn irans_denial_is_opposing_evidence_with_its_conflict() {
    let case = albania();
    let a = assess(&case, Scenario::default());
    let iran = judgement(&case, &a, "iran");
    let d9 = case.find_claim("d9").unwrap();
    assert!(iran.opposing.contains(&d9));
    // Hand computation (model §2–3): "almost no chance", moderate → (0, 0.75, 0.25); trust E
    // P = 0.1 → d = 0.075, u = 0.925 → s = 2·0.075/0.925 = 0.16216. The exclusive competitor
    // (the persona's "Albanian hacktivists" story, same numbers for "almost certain" at E:
    // b = 0.075, r = 0.16216) adds as much again.
    assert!((iran.s - 2.0 * 0.162162).abs() < 1e-4, "s = {}", iran.s);
    assert!(iran.conflict > 0.0);
    let mut scenario = Scenario::default();
    scenario.without_claims.insert(d9);
    let without = assess(&case, scenario);
    assert!(
        judgement(&case, &without, "iran").p() > iran.p(),
        "removing the denial raises P"
    );
}

/// The worked example of docs/model.md, computed by hand there.
#[test]
fn worked_example_matches_the_hand_computation() {
    let case = case("tests/data/worked/worked.ron");
    let a = assess(&case, Scenario::default());
    let j = judgement(&case, &a, "a");
    // r = max(5.5862, 3.1765) [family f1] + 0.56 [s3]; s = 0.16216 [s4]; c5 is an echo of c1.
    assert!((j.r - 6.146207).abs() < 1e-4, "r {}", j.r);
    assert!((j.s - 0.162162).abs() < 1e-4, "s {}", j.s);
    assert!((j.opinion().belief() - 0.739761).abs() < 1e-4);
    assert!((j.opinion().disbelief() - 0.019518).abs() < 1e-4);
    assert!((j.opinion().uncertainty() - 0.240721).abs() < 1e-4);
    assert!((j.p() - 0.860122).abs() < 1e-4, "P {}", j.p());
    assert_eq!(j.term(), Some(IcdTerm::VeryLikely));
    assert_eq!(j.confidence(), Confidence::Moderate, "u 0.24 > 0.2");
    assert!((j.conflict - 0.023469).abs() < 1e-4, "DC {}", j.conflict);
    assert_eq!(j.lines, 2, "f1 and s3 support; s4 opposes");
}

#[test]
fn an_echo_stands_in_for_a_missing_origin_within_its_line() {
    let case = case("tests/data/worked/worked.ron");
    let mut scenario = Scenario::default();
    scenario
        .without_claims
        .insert(case.find_claim("c1").unwrap());
    let a = assess(&case, scenario);
    let j = judgement(&case, &a, "a");
    // c5 (A, "almost certain", moderate): (0.75, 0, 0.25) · 0.975 → r = 2·0.73125/0.26875
    // = 5.44186; it joins family f1 (c1's), where it beats c2's 3.1765.
    assert!((j.r - (5.441860 + 0.56)).abs() < 1e-4, "r {}", j.r);
    assert_eq!(j.lines, 2, "the stand-in opens no new line");
}

#[test]
fn as_of_keeps_only_claims_made_by_then() {
    let case = albania();
    let scenario = Scenario {
        as_of: Some(attrib::date::Date::parse("2022-08-31").unwrap()),
        ..Default::default()
    };
    let a = assess(&case, scenario);
    let iran = judgement(&case, &a, "iran");
    // Before 7 September only Mandiant ("likely", moderate, B) spoke of Iran.
    assert_eq!(iran.lines, 1);
    assert!(iran.term() <= Some(IcdTerm::Likely));
    assert!(iran.confidence() < Confidence::High);
}

#[test]
fn sensitivity_recomputes_and_flags_pivotal_items() {
    // In the worked example, without f1's claims only s3 supports: the term falls.
    let case = case("tests/data/worked/worked.ron");
    let a = case.find_entity("a").unwrap();
    let assessment = assess_with(
        &case,
        Request {
            sensitivity: SensitivityFor::Actor(a),
            ..Request::default()
        },
    );
    let judgement = assessment.incidents[0].judgement(a).unwrap();
    let rows = judgement.sensitivity.as_deref().unwrap();
    let base = judgement.p();
    let by = |id: &str| {
        rows.iter()
            .find(|r| attrib::report::removal_label(&case, r.item) == id)
            .unwrap_or_else(|| panic!("{id} in sensitivity"))
    };
    assert_eq!(by("claim c5").delta, 0.0, "an echo changes nothing");
    assert_eq!(
        by("claim c2").delta,
        0.0,
        "a weaker repeat within a family changes nothing"
    );
    assert!(by("claim c4").delta > 0.0, "without the denial P rises");
    assert!(by("claim c1").delta < 0.0);
    assert!((by("claim c1").p - base - by("claim c1").delta).abs() < 1e-12);
    let s3 = by("source s3");
    assert!(s3.delta < 0.0 && !s3.pivotal);
}

#[test]
fn what_if_options_on_the_command_line() {
    let (code, out, _) = run(
        &[
            "assess",
            "--without",
            "nsc",
            "--grade",
            "uk-gov=E",
            "--as-of",
            "2022-12-31",
            "--prior",
            "0.3",
        ],
        &root(),
    );
    assert_eq!(code, 0);
    assert!(out.contains("what-if: without source nsc"));
    assert!(out.contains("what-if: source uk-gov re-graded E"));
    let (code, _, err) = run(&["assess", "--without", "nsx"], &root());
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `nsc`?"), "{err}");
    let (code, _, err) = run(&["assess", "--grade", "nsc=Z"], &root());
    assert_eq!(code, 2);
    assert!(err.contains("not an Admiralty grade"), "{err}");
    assert!(!err.contains("the letter"), "no Admiralty code: {err}");
    // An Admiralty code: the letter is the source's, the digit a claim's.
    let (code, _, err) = run(&["assess", "--grade", "nsc=b2"], &root());
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "the source's reliability is the letter (`--grade nsc=B`); the digit grades the \
             information of a claim (`--restate CLAIM='Admiralty(2)'`)"
        ),
        "{err}"
    );
    let (code, _, err) = run(&["assess", "--prior", "2"], &root());
    assert_eq!(code, 2, "{err}");
}

/// A line of evidence is set aside by its family's name: one step for what each of its
/// equally strong claims, set aside alone, shows as changing nothing. Its sources go, and so
/// does what restates their claims: NATO's acknowledgement restates the NSC's statement
/// among others, and with the US government's sources set aside one by one it stands in for
/// that statement in the US government's line (model §6), which so stays standing. With the
/// line set aside it is an echo, and the line is gone.
#[test]
fn without_a_family_sets_aside_its_line() {
    let explain = |without: &[&str]| {
        let mut args = vec!["explain", "--actor", "iran", "--width", "0"];
        for w in without {
            args.extend(["--without", w]);
        }
        let (code, out, err) = run(&args, &root());
        assert_eq!(code, 0, "{err}");
        out
    };
    let us = ["cybercom", "aa22-055a", "nsc", "treasury", "aa22-264a"];
    let family = explain(&["us-gov"]);
    assert!(
        family.contains(
            "What-if: without line of evidence us-gov (sources aa22-055a, aa22-264a, cybercom, \
             nsc, treasury; nothing stands in for their claims)\n"
        ),
        "{family}"
    );
    let line = |out: &str| out.lines().any(|l| l.trim_start().starts_with("us-gov "));
    assert!(!line(&family), "{family}");
    assert!(
        family.contains("counted instead (d6, d8); and d7, set aside with its line of evidence\n"),
        "{family}"
    );
    let (code, table, err) = run(&["assess", "--without", "us-gov", "--width", "0"], &root());
    assert_eq!(code, 0, "{err}");
    assert!(
        table.contains(
            "Set aside as echoes of claims present or set aside with their line of evidence: d11"
        ),
        "{table}"
    );
    let sources = explain(&us);
    assert!(line(&sources), "{sources}");
    assert!(sources.contains("standing in for us-gov"), "{sources}");
    let p = |out: &str| {
        let at = out.find("(P ").unwrap() + 3;
        out[at..at + 5].parse::<f64>().unwrap()
    };
    assert!(p(&family) < p(&sources), "{family}\n{sources}");
    let (code, diff, err) = run(
        &[
            "diff",
            "graphs/albania-2022.ron",
            "graphs/albania-2022.ron",
            "--without",
            "us-gov",
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(diff.contains("without line of evidence us-gov"), "{diff}");
    // The diagram's legend reads the echo as the table does.
    let legend = |args: &[&str]| {
        let (code, dot, err) = run(args, &root());
        assert_eq!(code, 0, "{err}");
        // (A legend entry's lines are broken at spaces.)
        crate::unwrapped(&dot)
            .contains("restates claims present or set aside with their line of evidence")
    };
    assert!(legend(&[
        "dot",
        "--view",
        "evidence",
        "--without",
        "us-gov"
    ]));
    assert!(!legend(&["dot", "--view", "evidence"]));
    let (code, _, err) = run(&["assess", "--without", "us-gv"], &root());
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `us-gov`?"), "{err}");
}

/// A family named after one of its sources (`family: "northlight"` on a second source): the
/// name sets aside the source, with a note on how to set aside the line, and
/// `family:NAME` sets aside the line.
#[test]
fn a_family_named_after_its_source_is_set_aside_by_family_prefix() {
    let tmp = tempfile::tempdir().unwrap();
    let mut case = std::fs::read_to_string(root().join("graphs/tutorial.ron")).unwrap();
    let at = case.find("id: \"freedonia-mod\"").unwrap();
    let old = "family: \"freedonia-gov\"";
    let family = at + case[at..].find(old).unwrap();
    case.replace_range(family..family + old.len(), "family: \"northlight\"");
    std::fs::write(tmp.path().join("t.ron"), &case).unwrap();
    let (code, out, err) = run(&["assess", "t.ron", "--without", "northlight"], tmp.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("what-if: without source northlight\n"),
        "{out}"
    );
    assert!(!out.contains("without source freedonia-mod"), "{out}");
    assert!(err.contains("`--without family:northlight`"), "{err}");
    let (code, out, err) = run(
        &["assess", "t.ron", "--without", " family:northlight"],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "what-if: without line of evidence northlight (sources freedonia-mod, northlight; \
             nothing stands in for their claims)\n"
        ),
        "{out}"
    );
}

#[test]
fn fail_below_sets_the_exit_code() {
    let (code, _, _) = run(
        &["assess", "--fail-below", "likely", "--actor", "iran"],
        &root(),
    );
    assert_eq!(code, 0, "Iran is above likely");
    let (code, _, err) = run(
        &[
            "assess",
            "--fail-below",
            "almost certain",
            "--actor",
            "iran",
        ],
        &root(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("below almost certain"), "{err}");
    let (code, _, _) = run(
        &[
            "assess",
            "--fail-below",
            "unlikely",
            "--actor",
            "muddywater",
        ],
        &root(),
    );
    assert_eq!(code, 1, "insufficient evidence is below every term");
    let (code, _, err) = run(
        &["assess", "--fail-below", "likley", "--actor", "iran"],
        &root(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `likely`?"), "{err}");
}

#[test]
fn assess_without_a_file_says_it_uses_the_bundled_case() {
    let (code, out, err) = run(&["assess"], &root());
    assert_eq!(code, 0);
    assert!(err.contains("bundled Albania 2022 case"), "{err}");
    assert!(out.contains("Government of Iran (iran)"));
}

/// Output snapshots of every format on every graph: any change is reviewed.
#[test]
fn report_snapshots() {
    for g in crate::graphs() {
        let name = g.file_stem().unwrap().to_str().unwrap().to_string();
        for format in ["table", "markdown", "json"] {
            let (code, out, err) = run(
                &["assess", g.to_str().unwrap(), "--format", format],
                &root(),
            );
            assert_eq!(code, 0, "{err}");
            let (again, _, _) = (
                run(
                    &["assess", g.to_str().unwrap(), "--format", format],
                    &root(),
                )
                .1,
                0,
                0,
            );
            assert_eq!(out, again, "deterministic");
            insta::assert_snapshot!(format!("assess-{name}-{format}"), out);
        }
    }
    let (code, out, _) = run(
        &[
            "explain",
            "graphs/albania-2022.ron",
            "--incident",
            "albania-2022",
            "--actor",
            "iran",
        ],
        &root(),
    );
    assert_eq!(code, 0);
    insta::assert_snapshot!("explain-albania-iran", out);
    let (_, out, _) = run(
        &[
            "explain",
            "graphs/albania-2022.ron",
            "--actor",
            "muddywater",
        ],
        &root(),
    );
    insta::assert_snapshot!("explain-albania-muddywater", out);
}

#[test]
fn markdown_keeps_likelihood_and_confidence_in_separate_sentences() {
    let (_, out, _) = run(&["assess", "--format", "markdown"], &root());
    for sentence in out.split(['.', '\n']) {
        let has_term = IcdTerm::ALL
            .iter()
            .any(|t| sentence.contains(&format!("**{}**", t.word())));
        let has_conf = sentence.contains("confidence**");
        assert!(!(has_term && has_conf), "mixed sentence: {sentence}");
    }
    // Only row-1 terms of the ICD 203 table.
    for row2 in [
        "highly probable",
        "nearly certain",
        "roughly even odds",
        "highly improbable",
    ] {
        assert!(!out.contains(row2));
    }
}

#[test]
fn json_report_is_valid_and_versioned() {
    let (_, out, _) = run(&["assess", "--format", "json"], &root());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "attrib-assessment/2");
    let iran = &v["incidents"][0]["hypotheses"][0];
    assert_eq!(iran["actor"], "iran");
    assert!(iran["sensitivity"].as_array().unwrap().len() > 10);
    let b = iran["belief"].as_f64().unwrap();
    let d = iran["disbelief"].as_f64().unwrap();
    let u = iran["uncertainty"].as_f64().unwrap();
    assert!((b + d + u - 1.0).abs() < 1e-5);
}

/// A prior written as `-0.0` is a prior of 0: the report writes every number, the prior and
/// the band bounds included, without a sign on zero.
#[test]
fn json_report_never_writes_a_negative_zero() {
    let text = std::fs::read_to_string(root().join("tests/data/worked/worked.ron")).unwrap();
    assert!(text.contains("prior: 0.5,"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.ron");
    std::fs::write(&path, text.replacen("prior: 0.5,", "prior: -0.0,", 1)).unwrap();
    let (code, out, err) = run(
        &["assess", "--format", "json", path.to_str().unwrap()],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    fn negative_zeros(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Number(n) => {
                usize::from(n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()))
            }
            serde_json::Value::Array(a) => a.iter().map(negative_zeros).sum(),
            serde_json::Value::Object(o) => o.values().map(negative_zeros).sum(),
            _ => 0,
        }
    }
    assert_eq!(negative_zeros(&v), 0, "{out}");
    assert_eq!(v["case"]["prior"].as_f64(), Some(0.0));
    assert_eq!(
        v["incidents"][0]["hypotheses"][0]["prior"].as_f64(),
        Some(0.0)
    );
}

/// Model §5 on the shipped cases: no declared part is more likely than its whole (MOIS never
/// above Iran), on every incident.
#[test]
fn no_part_is_above_its_whole_in_the_shipped_cases() {
    for g in crate::graphs() {
        let text = std::fs::read_to_string(&g).unwrap();
        let case = load(&text, Syntax::Ron).unwrap().case;
        let a = assess(&case, Scenario::default());
        for ia in &a.incidents {
            for j in &ia.hypotheses {
                let Some(whole) = case.entity(j.actor).part_of else {
                    continue;
                };
                if let Some(w) = ia.judgement(whole) {
                    assert!(
                        w.p() >= j.p(),
                        "{}: {} above its whole",
                        g.display(),
                        case.entity(j.actor).id
                    );
                }
            }
        }
    }
}

/// The fictional form of the case that showed v1's fault: a directorate declared part of a
/// state, attributed by two vendors, while the state's own ministry denies it. The part must
/// not come out above the whole, and the explanation of a hypothesis opposed only through a
/// competitor says so instead of "no claim bears".
#[test]
fn a_denied_whole_is_never_below_its_part_and_borrowed_verdicts_say_why() {
    let text = r#"Case(
        title: "Ostravia (fictional)",
        actors: [
            Actor(id: "ostravia", name: "Republic of Ostravia", kind: State),
            Actor(id: "ofid", name: "Ostravian Foreign Intelligence Directorate", kind: Agency, part_of: "ostravia"),
            Actor(id: "rival", name: "Rival state", kind: State),
        ],
        incidents: [Incident(id: "breach", name: "Supply-chain breach")],
        sources: [
            Source(id: "v1", name: "Vendor One", kind: Vendor, reliability: B),
            Source(id: "v2", name: "Vendor Two", kind: Vendor, reliability: B),
            Source(id: "mfa", name: "Ostravian MFA", kind: Adversary, reliability: E),
            Source(id: "v3", name: "Vendor Three", kind: Vendor, reliability: C),
        ],
        claims: [
            Claim(id: "c1", source: "v1", subject: "breach", relation: AttributedTo, object: "ofid", likelihood: Icd("very likely")),
            Claim(id: "c2", source: "v2", subject: "breach", relation: AttributedTo, object: "ofid", likelihood: Icd("likely")),
            Claim(id: "c3", source: "mfa", subject: "breach", relation: AttributedTo, object: "ostravia", likelihood: Icd("almost no chance")),
            Claim(id: "c4", source: "v3", subject: "breach", relation: AttributedTo, object: "rival", likelihood: Icd("roughly even chance")),
        ],
        exclusive: [Exclusive(incident: "breach", members: ["ostravia", "rival"])],
    )"#;
    let case = load(text, Syntax::Ron).unwrap().case;
    let a = assess(&case, Scenario::default());
    let state = judgement(&case, &a, "ostravia");
    let part = judgement(&case, &a, "ofid");
    assert!(
        state.p() >= part.p(),
        "part {} above whole {}",
        part.p(),
        state.p()
    );
    assert_eq!((state.lines, state.lines_against), (2, 1));
    assert_eq!(
        part.lines_against_from.inherited, 1,
        "the denial passes down"
    );
    let rival = judgement(&case, &a, "rival");
    assert_eq!(rival.lines, 0);
    assert_eq!(rival.lines_against_from.competing, 2);
    assert!(rival.only_borrowed());
    let c4 = case.find_claim("c4").unwrap();
    assert_eq!(
        rival.weightless,
        vec![(c4, attrib::assess::Weightless::Vacuous)]
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ostravia.ron");
    std::fs::write(&file, text).unwrap();
    let (code, out, _) = run(
        &["explain", file.to_str().unwrap(), "--actor", "rival"],
        &root(),
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("only because the competing hypothesis Republic of Ostravia"),
        "{out}"
    );
    assert!(out.contains("c4 [Vendor Three"), "{out}");
    assert!(out.contains("an even chance"), "{out}");
    assert!(!out.contains("No claim bears"), "{out}");
    // The report's confidence, beside "no evidence bears on it", says whose lines it rests on.
    let html = dir.path().join("r.html");
    let (code, _, err) = run(
        &[
            "report",
            file.to_str().unwrap(),
            "-o",
            html.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(
        html.contains(
            "0 independent lines of evidence for it and 2 against it; 2 of these lines rest on \
             sources rated B or better. Of the lines \
             against it, 2 through the competing hypothesis Republic of Ostravia."
        ),
        "{html}"
    );
}

/// The display width of a line: what a terminal gives it.
fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

/// `--width` fits the table to a terminal: wrapped cells where a narrowed table fits, each
/// hypothesis stacked over its figures where none does, notes wrapped at spaces; no width (a
/// pipe, a file, `--width 0`) writes the table as wide as its content.
#[test]
fn the_table_fits_the_width_it_is_given() {
    let plain = Test::new().args(["assess"]).run().stdout;
    assert!(plain.lines().any(|l| columns(l) > 160), "{plain}");
    let unlimited = Test::new().args(["assess", "--width", "0"]).run().stdout;
    assert_eq!(unlimited, plain);
    for width in [140, 120, 100, 80, 60, 40] {
        let out = Test::new()
            .args(["assess", "--width", &width.to_string()])
            .run()
            .stdout;
        for line in out.lines() {
            assert!(columns(line) <= width, "{width}: {line}");
        }
        // Every hypothesis, figure and carrier is still there.
        for text in [
            "(albanian-hacktivists)",
            "0.925",
            "0.87 / 0.02 / 0.11",
            "d13-mois,",
            "0.066",
        ] {
            assert!(out.contains(text), "{width}: {text}\n{out}");
        }
    }
    // An incident nobody has been named for yet: its one line wraps too.
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.ron");
    std::fs::write(
        &bare,
        r#"Case(
    title: "An incident without claims",
    actors: [Actor(id: "iran", name: "Government of Iran", kind: State)],
    incidents: [Incident(id: "attack", name: "Attack", start: "2023-07-15")],
    sources: [Source(id: "nsc", name: "NSC", kind: Government, reliability: B)],
)"#,
    )
    .unwrap();
    let out = Test::new()
        .args(["assess", bare.to_str().unwrap(), "--width", "40"])
        .run()
        .stdout;
    assert!(
        out.contains("No claim names anyone as responsible"),
        "{out}"
    );
    assert!(out.lines().all(|l| columns(l) <= 40), "{out}");
    for (width, name) in [(120, "narrowed"), (80, "stacked")] {
        let out = Test::new()
            .args(["assess", "--width", &width.to_string()])
            .run()
            .stdout;
        insta::assert_snapshot!(format!("assess-albania-2022-table-{name}-{width}"), out);
    }
}

#[test]
fn diff_fits_the_width_it_is_given() {
    let args = |width: &str| {
        Test::new()
            .args([
                "diff",
                "graphs/albania/2022-07.ron",
                "graphs/albania/2022-09.ron",
                "--width",
                width,
            ])
            .run()
            .stdout
    };
    let plain = args("0");
    assert!(plain.lines().any(|l| columns(l) > 100), "{plain}");
    let fitted = args("72");
    for line in fitted.lines() {
        assert!(columns(line) <= 72, "{line}\n{fitted}");
    }
    let words = |s: &str| {
        let mut w: Vec<String> = s
            .split(|c: char| c.is_whitespace() || c == ';')
            .filter(|w| !w.is_empty() && !w.starts_with('─'))
            .map(str::to_string)
            .collect();
        w.sort();
        w
    };
    let (a, b) = (words(&plain), words(&fitted));
    // The table's headings may be stacked beside their values: compare what is not a heading.
    let headings = [
        "Incident",
        "Hypothesis",
        "Likelihood",
        "Confidence",
        "P",
        "ΔP",
    ];
    let strip = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .filter(|w| !headings.contains(&w.trim_end_matches(':')))
            .collect()
    };
    assert_eq!(strip(a), strip(b));
}

/// `explain --width` wraps every line to the width, carrying the derivation tree's branches
/// on to the wrapped lines, and loses no word.
#[test]
fn explain_fits_the_width_it_is_given() {
    let explain = |width: &str| {
        Test::new()
            .args(["explain", "--actor", "iran", "--width", width])
            .run()
            .stdout
    };
    let plain = explain("0");
    assert!(plain.lines().any(|l| columns(l) > 150), "{plain}");
    let words = |s: &str| {
        let mut w: Vec<String> = s
            .split(|c: char| c.is_whitespace() || "│├└─".contains(c))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        w.sort();
        w
    };
    for width in [100, 72] {
        let fitted = explain(&width.to_string());
        assert!(fitted.lines().all(|l| columns(l) <= width), "{fitted}");
        assert_eq!(words(&fitted), words(&plain));
        // A wrapped derivation line continues under its branch.
        let tree: Vec<&str> = fitted
            .lines()
            .skip_while(|l| *l != "Derivation:")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(tree.len() > 20, "{fitted}");
        for line in tree {
            assert!(line.starts_with(['│', '├', '└', ' ']), "{line}");
        }
    }
}

/// What carries a judgement names the link and pair claims its evidence crosses: EUROPIUM is
/// carried by DEV-0861's claim across the possible alias d10g; MOIS by claims on Void
/// Manticore and HomeLand Justice across d15b (Void Manticore sponsored by MOIS) and d15;
/// Iran, by its own claims, across nothing.
#[test]
fn carriers_name_the_links_and_pairs_they_cross() {
    let case = albania();
    let a = assess(&case, Scenario::default());
    let ids = |v: &[attrib::model::ClaimId]| -> Vec<String> {
        v.iter().map(|&c| case.claim(c).id.clone()).collect()
    };
    let europium = judgement(&case, &a, "europium");
    assert_eq!(ids(&europium.carriers), ["d10c"]);
    assert_eq!(ids(&europium.carried_via), ["d10g"]);
    let mois = judgement(&case, &a, "mois");
    assert!(
        ids(&mois.carried_via).contains(&"d15b".to_string()),
        "{:?}",
        ids(&mois.carried_via)
    );
    assert!(judgement(&case, &a, "iran").carried_via.is_empty());
    // A claim carrying its own hypothesis crosses nothing.
    let dev = judgement(&case, &a, "dev-0861");
    assert_eq!(ids(&dev.carriers), ["d10c"]);
    assert!(dev.carried_via.is_empty());
}

/// The model's §7: a line is strong when it rests on a source rated A or B, or on a track
/// record with `P_trust ≥ 0.8`. Records of 3 valid / 0 invalid and 7 / 1 are exactly on that
/// line (P_trust 4/5 and 8/10, below grade B's 0.818); 2 / 0 and 6 / 1 are below it. With an
/// A-rated third line and u = 0.149, confidence is high only when all three lines are strong.
#[test]
fn a_track_record_of_trust_exactly_point_eight_makes_a_strong_line() {
    let text = |(v1, i1): (u32, u32), (v2, i2): (u32, u32)| {
        format!(
            r#"{{
  "title": "Track records on the line",
  "actors": [{{ "id": "x", "name": "X", "kind": "State" }}],
  "incidents": [{{ "id": "i1", "name": "I1" }}],
  "sources": [
    {{ "id": "r1", "name": "R1", "kind": "Vendor", "track_record": {{ "valid": {v1}, "invalid": {i1} }} }},
    {{ "id": "r2", "name": "R2", "kind": "Vendor", "track_record": {{ "valid": {v2}, "invalid": {i2} }} }},
    {{ "id": "a", "name": "A", "kind": "Vendor", "reliability": "A" }}
  ],
  "claims": [
    {{ "id": "c1", "source": "r1", "subject": "i1", "relation": "AttributedTo", "object": "x", "likelihood": {{ "Icd": "almost certain" }} }},
    {{ "id": "c2", "source": "r2", "subject": "i1", "relation": "AttributedTo", "object": "x", "likelihood": {{ "Icd": "almost certain" }} }},
    {{ "id": "c3", "source": "a", "subject": "i1", "relation": "AttributedTo", "object": "x", "likelihood": {{ "Icd": "very likely" }} }}
  ]
}}"#
        )
    };
    for (records, strong, confidence) in [
        (((3, 0), (7, 1)), 3, Confidence::High),
        (((11, 2), (3, 0)), 3, Confidence::High),
        (((2, 0), (7, 1)), 2, Confidence::High),
        (((2, 0), (6, 1)), 1, Confidence::Moderate),
    ] {
        let case = load(&text(records.0, records.1), Syntax::Json)
            .unwrap()
            .case;
        let a = assess(&case, Default::default());
        let j = judgement(&case, &a, "x");
        assert_eq!(j.strong_lines, strong, "{records:?}");
        assert_eq!(j.confidence(), confidence, "{records:?}");
    }
}

/// Incidents are reported in the order they happened: by start (a month before the days in
/// it), undated ones last, the same start by id in natural order; never in file order or in
/// plain id order.
#[test]
fn incidents_are_reported_in_the_order_they_happened() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("order.ron");
    let incident = |id: &str, start: &str| {
        let start = if start.is_empty() {
            String::new()
        } else {
            format!(", start: \"{start}\"")
        };
        format!("Incident(id: \"{id}\", name: \"Attack {id}\"{start})")
    };
    let incidents = [
        incident("a-undated", ""),
        incident("i10", "2022-03-04"),
        incident("z-first", "2021-11-30"),
        incident("i2", "2022-03-04"),
        incident("b-march", "2022-03"),
    ];
    let claims: Vec<String> = ["a-undated", "i10", "z-first", "i2", "b-march"]
        .iter()
        .enumerate()
        .map(|(k, id)| {
            format!(
                "Claim(id: \"c{k}\", source: \"nsc\", subject: \"{id}\", \
                 relation: AttributedTo, object: \"iran\", likelihood: Icd(\"likely\"))"
            )
        })
        .collect();
    std::fs::write(
        &file,
        format!(
            "Case(title: \"Order\", actors: [Actor(id: \"iran\", name: \"Iran\", kind: State)], \
             incidents: [{}], sources: [Source(id: \"nsc\", name: \"NSC\", kind: Government, \
             reliability: B)], claims: [{}])",
            incidents.join(", "),
            claims.join(", ")
        ),
    )
    .unwrap();
    let expected = ["z-first", "b-march", "i2", "i10", "a-undated"];
    let json = Test::new()
        .args(["assess", file.to_str().unwrap(), "--format", "json"])
        .run()
        .stdout;
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ids: Vec<&str> = report["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, expected);
    // The table and the Markdown report follow the same order.
    for format in ["table", "markdown"] {
        let out = Test::new()
            .args(["assess", file.to_str().unwrap(), "--format", format])
            .run()
            .stdout;
        let at: Vec<usize> = expected
            .iter()
            .map(|id| out.find(&format!("Attack {id}")).expect(id))
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "{format}: {at:?}\n{out}"
        );
    }
}

/// The Markdown report lists its sources alphabetically as a reader looks one up: a name
/// written in lower case first ("iSIGHT Partners") among the i's, not after every capital.
#[test]
fn markdown_sources_are_listed_without_regard_to_case() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sources.ron");
    let source = |id: &str, name: &str| {
        format!("Source(id: \"{id}\", name: \"{name}\", kind: Vendor, reliability: B)")
    };
    let claim = |id: &str, source: &str| {
        format!(
            "Claim(id: \"{id}\", source: \"{source}\", subject: \"attack\", \
             relation: AttributedTo, object: \"iran\", likelihood: Icd(\"likely\"))"
        )
    };
    std::fs::write(
        &file,
        format!(
            "Case(title: \"Sources\", actors: [Actor(id: \"iran\", name: \"Iran\", kind: State)], \
             incidents: [Incident(id: \"attack\", name: \"Attack\")], sources: [{}], claims: [{}])",
            [
                source("wh", "White House"),
                source("isight", "iSIGHT Partners"),
                source("talos", "Cisco Talos"),
            ]
            .join(", "),
            [
                claim("c1", "wh"),
                claim("c2", "isight"),
                claim("c3", "talos")
            ]
            .join(", ")
        ),
    )
    .unwrap();
    let md = Test::new()
        .args(["assess", file.to_str().unwrap(), "--format", "markdown"])
        .run()
        .stdout;
    let list = &md[md.find("## Sources").expect("a sources section")..];
    let at = |name: &str| list.find(&format!("- {name}, reliability")).expect(name);
    assert!(at("Cisco Talos") < at("iSIGHT Partners"), "{list}");
    assert!(at("iSIGHT Partners") < at("White House"), "{list}");
}

/// A hypothesis no judgement can be made on names the claims that bear on it, and the "possibly
/// same as" pair (or link) those claims reach it through: without the pair, "for it, c1" reads
/// as a claim on Heron, which c1 is not.
#[test]
fn a_hypothesis_without_a_judgement_names_the_pair_its_support_crosses() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("via.ron");
    std::fs::write(
        &file,
        r#"Case(
    title: "Via",
    actors: [Actor(id: "iran", name: "Iran", kind: State)],
    groups: [Group(id: "kite", name: "Kite"), Group(id: "heron", name: "Heron")],
    incidents: [Incident(id: "outage", name: "Outage", start: "2024-01-01")],
    sources: [
        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B),
        Source(id: "blog", name: "Blog", kind: Media, reliability: E),
    ],
    claims: [
        Claim(id: "c1", source: "vendor", subject: "outage", relation: AttributedTo, object: "kite", likelihood: Icd("likely")),
        Claim(id: "c2", source: "blog", subject: "heron", relation: PossiblySameAs, object: "kite", likelihood: Icd("likely")),
    ],
)"#,
    )
    .unwrap();
    let md = Test::new()
        .args(["assess", file.to_str().unwrap(), "--format", "markdown"])
        .run()
        .stdout;
    assert!(
        md.contains(
            "- Heron (heron): for it, c1 (Vendor)[^1]; carried to it through c2 (Blog)[^2]."
        ),
        "{md}"
    );
}

/// A possible alias passes only direct support, one hop (model §5): Egret, possibly Heron,
/// which is possibly Kite, the actor the claim names, receives nothing, and `explain` says
/// why, naming the pair's claim and how Heron's support reaches it. Heron's own explanation
/// has no such note: its pair with Kite carries Kite's direct support.
#[test]
fn explain_says_why_a_possible_alias_carries_nothing() {
    let hop = r#"Case(
    title: "Hop",
    groups: [Group(id: "kite", name: "Kite"), Group(id: "heron", name: "Heron"), Group(id: "egret", name: "Egret")],
    incidents: [Incident(id: "outage", name: "Outage", start: "2024-01-01")],
    sources: [
        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B),
        Source(id: "blog", name: "Blog", kind: Media, reliability: C),
    ],
    claims: [
        Claim(id: "c1", source: "vendor", subject: "outage", relation: AttributedTo, object: "kite", likelihood: Icd("likely")),
        Claim(id: "c2", source: "blog", subject: "heron", relation: PossiblySameAs, object: "kite", likelihood: Icd("likely")),
        Claim(id: "c3", source: "blog", subject: "egret", relation: PossiblySameAs, object: "heron", likelihood: Icd("very likely")),
    ],
    hypotheses: [Hypothesis(incident: "outage", actor: "egret")],
)"#;
    let explain = |case: &str, actor: &str| crate::regressions::explain_actor(case, actor, &[]);
    let egret = explain(hop, "egret");
    assert!(
        egret.contains(
            "Claim c3 says egret may be heron, but carries nothing to it here: a possible alias \
             passes on only what claims on the incident say of the other actor directly, one \
             hop (model §5), and what supports heron here reaches it through a possible alias."
        ),
        "{egret}"
    );
    assert!(egret.contains("Lines for (0)"), "{egret}");
    let heron = explain(hop, "heron");
    assert!(!heron.contains("carries nothing"), "{heron}");
    assert!(
        heron.contains("Lines for (1: 1 through a possible alias)"),
        "{heron}"
    );
    // Kite's own support is what crosses to Heron: Kite is owed nothing.
    let kite = explain(hop, "kite");
    assert!(!kite.contains("carries nothing"), "{kite}");
    // Paired with Kite too, Egret has Kite's support across that pair: no note on either.
    let triangle = hop.replace(
        "    ],\n    hypotheses",
        "        Claim(id: \"c4\", source: \"blog\", subject: \"egret\", relation: PossiblySameAs, object: \"kite\", likelihood: Icd(\"likely\")),\n    ],\n    hypotheses",
    );
    let egret = explain(&triangle, "egret");
    assert!(
        egret.contains("Lines for (1: 1 through a possible alias)"),
        "{egret}"
    );
    assert!(!egret.contains("carries nothing"), "{egret}");
    // What comes up a link to a paired actor is not carried by another pair either: J, possibly
    // the agency and possibly the state a unit claimed is part of, gets a note for each.
    let chain = r#"Case(
    title: "Chain",
    actors: [
        Actor(id: "state", name: "State", kind: State),
        Actor(id: "agency", name: "Agency", kind: Agency, part_of: "state"),
        Actor(id: "unit", name: "Unit", kind: Agency, part_of: "agency"),
        Actor(id: "j", name: "J", kind: State),
    ],
    incidents: [Incident(id: "outage", name: "Outage", start: "2024-01-01")],
    sources: [
        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B),
        Source(id: "blog", name: "Blog", kind: Media, reliability: C),
    ],
    claims: [
        Claim(id: "c1", source: "vendor", subject: "outage", relation: AttributedTo, object: "unit", likelihood: Icd("likely")),
        Claim(id: "c2", source: "blog", subject: "j", relation: PossiblySameAs, object: "agency", likelihood: Icd("likely")),
        Claim(id: "c3", source: "blog", subject: "j", relation: PossiblySameAs, object: "state", likelihood: Icd("likely")),
    ],
)"#;
    let j = explain(chain, "j");
    for (claim, other) in [("c2", "agency"), ("c3", "state")] {
        let note = format!(
            "Claim {claim} says j may be {other}, but carries nothing to it here: a possible \
             alias passes on only what claims on the incident say of the other actor directly, \
             one hop (model §5), and what supports {other} here reaches it up a link from a part."
        );
        assert!(j.contains(&note), "{j}");
    }
}

/// A source that disputes a pair ("APT38 is a distinct group": `PossiblySameAs` at
/// "unlikely"), where no claim holds the pair up, carries nothing across it (doubt only weakens
/// a link, model §5): it is listed among the claims that carry no weight, with that reason,
/// once per incident, where the other end has evidence the pair would carry; the diagram calls
/// the pair doubted. A second source holding the pair up makes the dispute weigh: it lowers
/// the pair's belief, and is listed no longer.
#[test]
fn a_disputed_pair_is_listed_as_carrying_no_weight() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, extra: &str| {
        let file = dir.path().join(name);
        std::fs::write(
            &file,
            format!(
                r#"Case(
    title: "Disputed",
    groups: [Group(id: "lazarus", name: "Lazarus"), Group(id: "apt38", name: "APT38")],
    incidents: [
        Incident(id: "heist", name: "Heist", start: "2016-02-04"),
        Incident(id: "wiper", name: "Wiper", start: "2014-11-24"),
    ],
    sources: [
        Source(id: "fireeye", name: "FireEye", kind: Vendor, reliability: B),
        Source(id: "kaspersky", name: "Kaspersky", kind: Vendor, reliability: B),
        Source(id: "fbi", name: "FBI", kind: Government, reliability: B),
    ],
    claims: [
        Claim(id: "b1", source: "fireeye", subject: "heist", relation: ConductedBy, object: "apt38", likelihood: Icd("very likely")),
        Claim(id: "b2", source: "kaspersky", subject: "heist", relation: AttributedTo, object: "lazarus", likelihood: Icd("likely")),
        Claim(id: "s1", source: "fbi", subject: "wiper", relation: AttributedTo, object: "lazarus", likelihood: Icd("likely")),
        Claim(id: "l3", source: "fireeye", subject: "apt38", relation: PossiblySameAs, object: "lazarus", likelihood: Icd("unlikely")),
        {extra}
    ],
)"#
            ),
        )
        .unwrap();
        file.to_str().unwrap().to_string()
    };
    let disputed = write("disputed.ron", "");
    let table = Test::new()
        .args(["assess", &disputed, "--width", "0"])
        .run()
        .stdout;
    // The wiper, earlier, is listed first.
    let wiper = &table[table.find("(wiper)").unwrap()..table.find("(heist)").unwrap()];
    let heist = &table[table.find("(heist)").unwrap()..];
    assert_eq!(
        heist
            .matches(
                "Claims that carry no weight: l3 (FireEye, doubts a link, which carries nothing)\n"
            )
            .count(),
        1,
        "{table}"
    );
    // On the wiper only Lazarus is judged: the pair would carry its evidence to APT38, which
    // is no hypothesis there, and nothing from APT38.
    assert!(!wiper.contains("carry no weight"), "{table}");
    let json: serde_json::Value = serde_json::from_str(
        &Test::new()
            .args(["assess", &disputed, "--format", "json"])
            .run()
            .stdout,
    )
    .unwrap();
    let heist = &json["incidents"][1];
    assert_eq!(heist["id"], "heist", "{json:#}");
    for h in heist["hypotheses"].as_array().unwrap() {
        assert_eq!(
            h["weightless"],
            serde_json::json!([{"claim": "l3", "reason": "doubted_link"}]),
            "{h:#}"
        );
    }
    let dot = Test::new().args(["dot", &disputed]).run().stdout;
    assert!(
        dot.contains("possibly same as\\ndoubted (b 0.00)\\nl3"),
        "{dot}"
    );
    // A pair carries only the support of its ends' direct claims: where Lazarus is only
    // denied, the pair would carry nothing to APT38, and is listed on Lazarus alone.
    let denied = write("denied.ron", "");
    let b2 = r#"subject: "heist", relation: AttributedTo, object: "lazarus", likelihood: Icd("#;
    let text = std::fs::read_to_string(&denied).unwrap();
    assert!(text.contains(&format!("{b2}\"likely\")")), "{text}");
    let text = text.replace(
        &format!("{b2}\"likely\")"),
        &format!("{b2}\"very unlikely\")"),
    );
    std::fs::write(&denied, &text).unwrap();
    let json: serde_json::Value = serde_json::from_str(
        &Test::new()
            .args(["assess", &denied, "--format", "json"])
            .run()
            .stdout,
    )
    .unwrap();
    let weightless = |actor: &str| {
        (json["incidents"][1]["hypotheses"]
            .as_array()
            .unwrap()
            .iter())
        .find(|h| h["actor"] == actor)
        .map(|h| h["weightless"].clone())
    };
    assert_eq!(weightless("apt38"), Some(serde_json::json!([])), "{json:#}");
    assert_eq!(
        weightless("lazarus"),
        Some(serde_json::json!([{"claim": "l3", "reason": "doubted_link"}])),
        "{json:#}"
    );
    // Held up by another source, the dispute weighs: no longer listed.
    let held = write(
        "held.ron",
        r#"Claim(id: "l4", source: "kaspersky", subject: "apt38", relation: PossiblySameAs, object: "lazarus", likelihood: Icd("very likely")),"#,
    );
    let table = Test::new()
        .args(["assess", &held, "--width", "0"])
        .run()
        .stdout;
    assert!(!table.contains("carry no weight"), "{table}");
}

/// A case of an agency and a part a claim may link to it, Kite, on one incident, written to
/// `dir` as `name`: the path.
fn nested(dir: &std::path::Path, name: &str, sources: &str, claims: &str) -> String {
    let file = dir.join(name);
    let case = format!(
        r#"Case(
    title: "Nested",
    actors: [
        Actor(id: "agency", name: "Agency", kind: State),
        Actor(id: "kite", name: "Kite", kind: Agency),
    ],
    incidents: [Incident(id: "outage", name: "Outage", start: "2024-01-01")],
    sources: [
{sources}
    ],
    claims: [
{claims}
    ],
)"#
    );
    std::fs::write(&file, case).unwrap();
    file.to_str().unwrap().to_string()
}

/// The judgement of `actor` in an `assess --format json` report of one incident.
fn judged_in<'a>(json: &'a serde_json::Value, actor: &str) -> &'a serde_json::Value {
    (json["incidents"][0]["hypotheses"]
        .as_array()
        .unwrap()
        .iter())
    .find(|h| h["actor"] == actor)
    .unwrap_or_else(|| panic!("no {actor}: {json:#}"))
}

/// A part with no evidence of its own is above a whole a claim links it to because the whole's
/// opposition (here a denial) comes down only as far as the link is believed: the note says
/// so, and not that the part's evidence goes up, which the line above it says there is none of.
#[test]
fn a_part_above_its_claimed_whole_for_less_opposition_is_told_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = nested(
        dir.path(),
        "down.ron",
        r#"        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B),
        Source(id: "gov", name: "Gov", kind: Government, reliability: A),"#,
        r#"        Claim(id: "d1", source: "gov", subject: "outage", relation: AttributedTo, object: "agency", likelihood: Icd("almost no chance"), confidence: High),
        Claim(id: "l1", source: "vendor", subject: "kite", relation: SubordinateOf, object: "agency", likelihood: Icd("almost certain"), confidence: High),"#,
    );
    let table = Test::new()
        .args(["assess", &file, "--width", "0"])
        .run()
        .stdout;
    assert!(
        table.contains("no evidence bears on it itself.\nKite (kite) is judged more likely than Agency (agency), which claim l1 links it to (subordinate of, b 0.74): a claimed link carries opposition to the whole down only as far as it is believed (model §5).\n"),
        "{table}"
    );
    let md = Test::new()
        .args(["assess", &file, "--format", "markdown"])
        .run()
        .stdout;
    assert!(
        md.contains("a claimed link carries opposition to the whole down only as far as the link is believed (b 0.74)"),
        "{md}"
    );
    let json = |file: &str| {
        let out = Test::new()
            .args(["assess", file, "--format", "json", "--no-sensitivity"])
            .run()
            .stdout;
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let down = json(&file);
    assert_eq!(
        judged_in(&down, "kite")["above_wholes"][0]["why"],
        serde_json::json!(["opposition_down"])
    );
    // A part with support of its own under a whole with more of its own (and a link held at
    // even chance): its support is not what keeps it above, the whole's opposition is.
    let both = json(&nested(
        dir.path(),
        "both.ron",
        r#"        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: C),
        Source(id: "gov", name: "Gov", kind: Government, reliability: A),
        Source(id: "other", name: "Other", kind: Government, reliability: A),"#,
        r#"        Claim(id: "c1", source: "vendor", subject: "outage", relation: AttributedTo, object: "kite", likelihood: Icd("likely")),
        Claim(id: "c2", source: "gov", subject: "outage", relation: AttributedTo, object: "agency", likelihood: Icd("very likely"), confidence: High),
        Claim(id: "d1", source: "other", subject: "outage", relation: AttributedTo, object: "agency", likelihood: Icd("almost no chance"), confidence: High),
        Claim(id: "l1", source: "vendor", subject: "kite", relation: SubordinateOf, object: "agency", likelihood: Icd("roughly even chance")),"#,
    ));
    let (kite, agency) = (judged_in(&both, "kite"), judged_in(&both, "agency"));
    let r = |h: &serde_json::Value| h["evidence"]["supporting"].as_f64().unwrap();
    assert!(r(agency) > r(kite) && r(kite) > 0.0, "{both:#}");
    assert!(kite["p"].as_f64() > agency["p"].as_f64(), "{both:#}");
    assert_eq!(
        kite["above_wholes"][0]["why"],
        serde_json::json!(["opposition_down"])
    );
}

/// An agency judged more likely than the state a claim links it to reads as a contradiction;
/// the reports say why (a claimed link carries the part's evidence up only as far as it is
/// believed). A declared `part_of` carries it whole, the agency is at least as likely, and
/// nothing is said.
#[test]
fn a_part_above_its_claimed_whole_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, part_of: &str, link: &str, hypotheses: &str| {
        let file = dir.path().join(name);
        std::fs::write(
            &file,
            format!(
                r#"Case(
    title: "Nested",
    actors: [
        Actor(id: "agency", name: "Agency", kind: State),
        Actor(id: "kite", name: "Kite", kind: Agency{part_of}),
    ],
    incidents: [Incident(id: "outage", name: "Outage", start: "2024-01-01")],
    sources: [
        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B),
        Source(id: "gov", name: "Gov", kind: Government, reliability: B),
    ],
    claims: [
        Claim(id: "c1", source: "vendor", subject: "outage", relation: AttributedTo, object: "kite", likelihood: Icd("very likely"), confidence: High),
        {link}
    ],
    hypotheses: [{hypotheses}],
)"#
            ),
        )
        .unwrap();
        file.to_str().unwrap().to_string()
    };
    let link = r#"Claim(id: "l1", source: "gov", subject: "kite", relation: SubordinateOf, object: "agency", likelihood: Icd("likely")),"#;
    let claimed = write("claimed.ron", "", link, "");
    let table = Test::new()
        .args(["assess", &claimed, "--width", "0"])
        .run()
        .stdout;
    assert!(
        table.contains(
            "Kite (kite) is judged more likely than Agency (agency), which claim l1 links it to \
             (subordinate of, b "
        ),
        "{table}"
    );
    let md = Test::new()
        .args(["assess", &claimed, "--format", "markdown"])
        .run()
        .stdout;
    assert!(md.contains("a declared part\\_of is a certain tie"), "{md}");
    // JSON readers get the same facts: the whole, its P, the link's claims and belief.
    let json = Test::new()
        .args(["assess", &claimed, "--format", "json", "--no-sensitivity"])
        .run()
        .stdout;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hypotheses = json["incidents"][0]["hypotheses"].as_array().unwrap();
    let of = |id: &str| hypotheses.iter().find(|h| h["actor"] == id).unwrap();
    let above = of("kite")["above_wholes"].as_array().unwrap();
    assert_eq!(above.len(), 1, "{json:#}");
    assert_eq!(above[0]["whole"], "agency");
    assert_eq!(above[0]["whole_p"], of("agency")["p"]);
    assert_eq!(above[0]["link_claims"], serde_json::json!(["l1"]));
    let b = above[0]["link_belief"].as_f64().unwrap();
    assert!(b > 0.0 && b < 1.0, "{json:#}");
    // Nothing opposes the agency: the part is above for its own support alone.
    assert_eq!(above[0]["why"], serde_json::json!(["support_up"]));
    assert!(
        table.contains("a claimed link carries a part's evidence up only as far as it is believed"),
        "{table}"
    );
    assert_eq!(of("agency")["above_wholes"], serde_json::json!([]));
    let declared = write("declared.ron", r#", part_of: "agency""#, "", "");
    let table = Test::new()
        .args(["assess", &declared, "--width", "0"])
        .run()
        .stdout;
    assert!(table.contains("Agency (agency)"), "{table}");
    assert!(!table.contains("more likely than"), "{table}");
    // A whole with a lower prior: the link is named where the part stays above the whole at
    // the whole's prior, and the priors beside it, since they lift the part further.
    let lower = r#"Hypothesis(incident: "outage", actor: "agency", prior: 0.1)"#;
    let table = Test::new()
        .args([
            "assess",
            &write("lower.ron", "", link, lower),
            "--width",
            "0",
        ])
        .run()
        .stdout;
    assert!(
        table.contains("which claim l1 links it to (subordinate of, b ")
            && table.contains(", the part's prior 0.5 above the whole's 0.1): a claimed link"),
        "{table}"
    );
    // Declared, the part is above its whole by the priors alone: no link to blame, and
    // `check` warns of the priors (W121).
    let declared_lower = write("declared-lower.ron", r#", part_of: "agency""#, "", lower);
    let table = Test::new()
        .args(["assess", &declared_lower, "--width", "0"])
        .run()
        .stdout;
    assert!(!table.contains("more likely than"), "{table}");
    Test::new()
        .args(["check", &declared_lower])
        .stderr_has("warning[W121]: on `outage`, `agency`'s prior (0.1) is below that of `kite`")
        .run();
    // A claim denying the link is no claim that links the part to the whole: named as
    // denying it, and its relation is not the link's.
    let mixed = format!(
        "{link}\n        {}",
        r#"Claim(id: "l2", source: "vendor", subject: "kite", relation: SponsoredBy, object: "agency", likelihood: Icd("unlikely")),"#
    );
    let mixed = write("mixed.ron", "", &mixed, "");
    let table = Test::new()
        .args(["assess", &mixed, "--width", "0"])
        .run()
        .stdout;
    assert!(
        table.contains("which claim l1 links it to (subordinate of, b ")
            && table.contains(", denied by claim l2): a claimed link"),
        "{table}"
    );
    let md = Test::new()
        .args(["assess", &mixed, "--format", "markdown"])
        .run()
        .stdout;
    assert!(
        md.contains("which claim l1 links it to (subordinate of, denied by claim l2)"),
        "{md}"
    );
}

/// A state's denial reaches every part of it: the table says once what they all borrow, and
/// names each with its verdict, instead of a line apiece. Two parts above the wholes claims
/// link them to share one note as well, each with its whole, claim and belief.
#[test]
fn notes_shared_by_several_hypotheses_are_written_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shared.ron");
    std::fs::write(
        &file,
        r#"Case(
    title: "Shared notes",
    actors: [
        Actor(id: "ruritania", name: "Ruritania", kind: State),
        Actor(id: "mod", name: "Ministry", kind: Agency, part_of: "ruritania"),
        Actor(id: "guard", name: "Guard", kind: Agency, part_of: "ruritania"),
        Actor(id: "kite", name: "Kite", kind: State),
        Actor(id: "hawk", name: "Hawk", kind: Agency),
        Actor(id: "owl", name: "Owl", kind: Agency),
    ],
    incidents: [
        Incident(id: "outage", name: "Outage", start: "2024-01-01"),
        Incident(id: "leak", name: "Leak", start: "2024-02-01"),
    ],
    sources: [
        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B),
        Source(id: "gov", name: "Gov", kind: Government, reliability: B),
    ],
    claims: [
        Claim(id: "d1", source: "vendor", subject: "outage", relation: AttributedTo, object: "ruritania", likelihood: Icd("very unlikely"), confidence: High),
        Claim(id: "c1", source: "vendor", subject: "leak", relation: AttributedTo, object: "hawk", likelihood: Icd("very likely"), confidence: High),
        Claim(id: "c2", source: "vendor", subject: "leak", relation: AttributedTo, object: "owl", likelihood: Icd("very likely"), confidence: High),
        Claim(id: "l1", source: "gov", subject: "hawk", relation: SubordinateOf, object: "kite", likelihood: Icd("likely")),
        Claim(id: "l2", source: "gov", subject: "owl", relation: SubordinateOf, object: "kite", likelihood: Icd("roughly even chance")),
    ],
)"#,
    )
    .unwrap();
    let table = Test::new()
        .args(["assess", file.to_str().unwrap(), "--width", "0"])
        .run()
        .stdout;
    let borrowed: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("only because"))
        .collect();
    assert_eq!(
        borrowed,
        [
            "No evidence bears on these themselves; each is judged only because of opposition to \
          Ruritania (ruritania), which it is part of or linked to: Guard (guard) very unlikely, \
          Ministry (mod) very unlikely."
        ],
        "{table}"
    );
    let above: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("more likely than"))
        .collect();
    assert_eq!(above.len(), 1, "{table}");
    assert!(
        above[0].starts_with("Parts judged more likely than the wholes claims link them to"),
        "{table}"
    );
    for part in [
        "Hawk (hawk) above Kite (kite), claim l1 (subordinate of, b 0.",
        // Held at even chance, the link carries nothing: a belief of 0, not -0.
        "Owl (owl) above Kite (kite), claim l2 (subordinate of, b 0.00).",
    ] {
        assert!(above[0].contains(part), "{table}");
    }
}

/// A line with a sliver of the strongest line's weight names no carrier, though it counts as
/// a line: COPPER HERON's three lines for are the CERT's (r 5.44), NorthLight's (r 1.93) and
/// the Harbour Lions channel's, an E-graded self-claim passed up a chain (r 0.05).
#[test]
fn a_line_under_a_tenth_of_the_strongest_names_no_carrier() {
    let out = Test::new()
        .args([
            "assess",
            "graphs/tutorial.ron",
            "--format",
            "json",
            "--no-sensitivity",
        ])
        .current_dir(root())
        .run()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let heron = (v["incidents"].as_array().unwrap().iter())
        .flat_map(|i| i["hypotheses"].as_array().unwrap())
        .find(|h| h["actor"] == "copper-heron")
        .unwrap();
    assert_eq!(heron["lines_for"], 3);
    assert_eq!(heron["carriers"], serde_json::json!(["t1", "t2"]));
    // The link t4 was crossed only by the channel's line.
    assert_eq!(heron["carried_via"], serde_json::json!([]));
}

/// An echo of a claim that says something else is not counted "instead" of anything for the
/// hypothesis it names: `explain` says what it restates says something else and that its own
/// statement is not counted (W108); an echo of a claim that says the same is counted instead.
#[test]
fn an_echo_saying_something_else_is_not_said_to_be_counted_instead() {
    let (code, out, _) = run(
        &[
            "explain",
            "tests/data/warnings/restates-another-claim.ron",
            "--actor",
            "iran",
        ],
        &root(),
    );
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "c3 [A news agency, ICD 203 \"likely\"]: it restates a claim present in the case \
             that says something else (c1): a restatement is set aside while what it restates \
             stands, so what it says of its own is not counted"
        ),
        "{out}"
    );
    assert!(
        out.contains("c6 [A news agency, ICD 203 \"likely\"]: it restates claims present in the case, counted instead (c5)"),
        "{out}"
    );
    // The report's list of claims set aside says the same.
    let html = Test::new()
        .env("PATH", Some(""))
        .args([
            "report",
            "tests/data/warnings/restates-another-claim.ron",
            "--format",
            "html",
        ])
        .run()
        .stdout;
    assert!(
        html.contains(
            "(A news agency): it restates claims present in the case that say something else: a \
             restatement is set aside while what it restates stands"
        ),
        "{html}"
    );
    assert_eq!(
        html.matches("(A news agency): it restates claims present in the case, counted instead.")
            .count(),
        2,
        "c2 under MuddyWater, c6 under Iran: {html}"
    );
}

/// An echo restating one claim that says what it says and one that says something else is
/// counted instead of the first only; with the first's line set aside, the reports say the
/// echo restates claims that say something else, present or set aside with their line.
#[test]
fn an_echo_of_two_originals_is_counted_instead_of_the_one_that_says_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.ron"),
        r#"Case(
    title: "Mixed",
    actors: [Actor(id: "iran", name: "Iran", kind: State), Actor(id: "rus", name: "Russia", kind: State)],
    incidents: [Incident(id: "attack", name: "Attack", start: "2022-07-15")],
    sources: [
        Source(id: "nsc", name: "NSC", family: "usgov", kind: Government, reliability: B, url: "https://example.org/nsc"),
        Source(id: "uk", name: "UK", kind: Government, reliability: B, url: "https://example.org/uk"),
        Source(id: "news", name: "A news agency", kind: Media, reliability: C, url: "https://example.org/news"),
    ],
    claims: [
        Claim(id: "c1", source: "nsc", subject: "attack", relation: ConductedBy, object: "rus", wording: "w", likelihood: Icd("likely")),
        Claim(id: "c5", source: "uk", subject: "attack", relation: ConductedBy, object: "iran", wording: "w", likelihood: Icd("likely")),
        Claim(id: "c3", source: "news", subject: "attack", relation: AttributedTo, object: "rus", wording: "w", likelihood: Icd("likely"), derived_from: ["c1", "c5"]),
    ],
)"#,
    )
    .unwrap();
    let explain = |extra: &[&str]| {
        let mut args = vec!["explain", "m.ron", "--actor", "rus"];
        args.extend(extra);
        let (code, out, err) = run(&args, dir.path());
        assert_eq!(code, 0, "{err}");
        out
    };
    let all = explain(&[]);
    assert!(
        all.contains(
            "it restates claims present in the case, counted instead (c1), and c5, which says \
             something else\n"
        ),
        "{all}"
    );
    let aside = explain(&["--without", "usgov"]);
    assert!(
        aside.contains(
            "it restates a claim present in the case that says something else (c5): a \
             restatement is set aside while what it restates stands, so what it says of its own \
             is not counted (model §6); and c1, set aside with its line of evidence"
        ),
        "{aside}"
    );
    // Russia judged on a claim of its own, c2 an echo of a claim on MOIS, whose line is set
    // aside.
    std::fs::write(
        dir.path().join("e.ron"),
        r#"Case(
    title: "Echo of something else",
    actors: [Actor(id: "mois", name: "MOIS", kind: Agency), Actor(id: "rus", name: "Russia", kind: State)],
    incidents: [Incident(id: "attack", name: "Attack", start: "2022-07-15")],
    sources: [
        Source(id: "nsc", name: "NSC", family: "usgov", kind: Government, reliability: B, url: "https://example.org/nsc"),
        Source(id: "news", name: "A news agency", kind: Media, reliability: C, url: "https://example.org/news"),
        Source(id: "blog", name: "Blog", kind: Media, reliability: C, url: "https://example.org/blog"),
    ],
    claims: [
        Claim(id: "c1", source: "nsc", subject: "attack", relation: ConductedBy, object: "mois", wording: "w", likelihood: Icd("likely")),
        Claim(id: "c2", source: "news", subject: "attack", relation: AttributedTo, object: "rus", wording: "w", likelihood: Icd("likely"), derived_from: ["c1"]),
        Claim(id: "c4", source: "blog", subject: "attack", relation: AttributedTo, object: "rus", wording: "w", likelihood: Icd("unlikely")),
    ],
)"#,
    )
    .unwrap();
    let html = Test::new()
        .current_dir(dir.path())
        .env("PATH", Some(""))
        .args(["report", "e.ron", "--format", "html", "--without", "usgov"])
        .run()
        .stdout;
    assert!(
        html.contains(
            "(A news agency): it restates claims that say something else, present in the case \
             or set aside with their line of evidence"
        ),
        "{html}"
    );
}

/// A judgement names at most 32 of its actor's aliases and counts the rest: an actor with
/// thousands, each naming it in an incident of its own, made the Markdown report grow with
/// the square of them (8,000: 1.2 GB).
#[test]
fn a_judgement_names_at_most_32_aliases() {
    let aliases: Vec<String> = (0..40).map(|k| format!("\"alias{k}\"")).collect();
    let case = format!(
        "Case(title: \"t\", groups: [Group(id: \"g\", name: \"G\", aliases: [{}])],\n\
         incidents: [Incident(id: \"i\", name: \"I\", start: \"2024\")],\n\
         sources: [Source(id: \"s\", name: \"S\", kind: Vendor, reliability: B)],\n\
         claims: [Claim(id: \"c\", source: \"s\", date: \"2024\", subject: \"i\", \
         relation: AttributedTo, object: \"alias39\", wording: \"w\", url: \"https://example.org\", \
         likelihood: Icd(\"likely\"))])\n",
        aliases.join(", ")
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("c.ron"), case).unwrap();
    let shown: Vec<String> = (0..32).map(|k| format!("alias{k}")).collect();
    let out = Test::new()
        .current_dir(tmp.path())
        .args(["assess", "c.ron", "--format", "markdown"])
        .stdout_has(format!(
            "*Also known as {} and 8 more names the case lists.*",
            shown.join(", ")
        ))
        .run();
    assert!(!out.stdout.contains("alias32"), "{}", out.stdout);
}

/// One "almost no chance" claim from a source whose record makes its trust 4/5 is the opinion
/// (0, 0.6, 0.4): P = 0.2 exactly, on the edge between "very unlikely" and "unlikely", which
/// belongs to the band above (docs/model.md §7). Floating point computes it a hair below
/// (0.19999999999999993) for the record 3/0 and on the edge for 7/1, trust 8/10; both read
/// "unlikely", as the same opinion must, and print 0.200.
#[test]
fn a_probability_on_a_band_edge_is_worded_by_the_band_above_however_computed() {
    for (valid, invalid) in [(3, 0), (7, 1)] {
        let text = format!(
            r#"Case(
                title: "edge",
                groups: [Group(id: "x", name: "X")],
                incidents: [Incident(id: "i", name: "Incident")],
                sources: [Source(id: "s", name: "S", kind: Vendor,
                    track_record: (valid: {valid}, invalid: {invalid}), url: "https://example.org/s")],
                claims: [Claim(id: "c1", source: "s", subject: "i", relation: AttributedTo,
                    object: "x", wording: "w", likelihood: Icd("almost no chance"))],
            )"#
        );
        let case = load(&text, Syntax::Ron).unwrap().case;
        let a = assess(&case, Scenario::default());
        let j = judgement(&case, &a, "x");
        assert!((j.p() - 0.2).abs() < 1e-12, "{}", j.p());
        assert_eq!(
            j.term(),
            Some(IcdTerm::Unlikely),
            "record {valid}/{invalid}"
        );
        assert_eq!(attrib::report::probability_text(j.p()), "P = 0.20");
        // STIX's five-point opinion reads the edge as the term does.
        assert_eq!(attrib::stix::vocab::opinion_word(j.p()), "disagree");
    }
    // A u on a confidence bound computed a hair past it (0.20000000000000007) is printed on
    // it, as the confidence reads it.
    assert_eq!(
        attrib::report::uncertainty_digits(0.20000000000000007, 3),
        "0.200"
    );
}

/// Hypotheses tied in P, neither a part of the other, go by id in natural order, as every list
/// of ids: `g2` before `g10` (byte order put `g10` first).
#[test]
fn tied_hypotheses_are_in_natural_order_of_their_ids() {
    let case = r#"Case(title: "t",
  groups: [Group(id: "g10", name: "Ten"), Group(id: "g2", name: "Two")],
  incidents: [Incident(id: "i", name: "I")],
  sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B)],
  claims: [
    Claim(id: "c1", source: "s", subject: "i", relation: AttributedTo, object: "g10", wording: "w", likelihood: Icd("likely"), url: "https://example.org/1"),
    Claim(id: "c2", source: "s", subject: "i", relation: AttributedTo, object: "g2", wording: "w", likelihood: Icd("likely"), url: "https://example.org/2"),
  ])
"#;
    let out = Test::new()
        .args(["assess", "-", "--format", "json"])
        .stdin(case)
        .run();
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let actors: Vec<&str> = report["incidents"][0]["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors, ["g2", "g10"]);
}

/// The JSON report names the case by its `id` (the one that scopes its STIX ids), so that a
/// report read apart from its file says which case it is; null for a case without one.
#[test]
fn the_json_report_names_the_case_by_its_id() {
    let id_of = |path: &str| {
        let (code, out, err) = run(&["assess", "--format", "json", path], &root());
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["case"]["id"].clone()
    };
    assert_eq!(id_of("tests/data/diff/sony-2014.ron"), "sony-2014");
    assert!(id_of("graphs/tutorial.ron").is_null());
}
