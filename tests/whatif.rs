//! Claim-level what-ifs (`--restate`, `--confidence`): the same numbers as editing the file,
//! named in every output, refused with a clear message when malformed.

use crate::{Test, root};

/// The Albania case with claim d5 (Mandiant, `Icd("likely")`, moderate) edited by hand.
fn albania_with_d5(likelihood: &str, confidence: &str) -> tempfile::TempDir {
    let text = std::fs::read_to_string(root().join("graphs/albania-2022.ron")).unwrap();
    let old = "            likelihood: Icd(\"likely\"),\n            confidence: Moderate,\n            url: \"https://cloud.google.com";
    assert!(text.contains(old), "d5 is as the test expects");
    let new = format!(
        "            likelihood: {likelihood},\n            confidence: {confidence},\n            url: \"https://cloud.google.com"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("edited.ron"), text.replace(old, &new)).unwrap();
    dir
}

/// The JSON report without its `what_if` list, to compare numbers.
fn numbers(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_object_mut().unwrap().remove("what_if");
    v
}

#[test]
fn a_restated_claim_gives_the_numbers_of_the_edited_file() {
    let dir = albania_with_d5("Phia(\"highly likely\")", "High");
    let edited = Test::new()
        .args(["assess", "edited.ron", "--format", "json"])
        .current_dir(dir.path())
        .run()
        .stdout;
    let restated = Test::new()
        .args(["assess", "graphs/albania-2022.ron", "--format", "json"])
        .args([
            "--restate",
            "d5=Phia(\"highly likely\")",
            "--confidence",
            "d5=high",
        ])
        .run()
        .stdout;
    assert_eq!(numbers(&edited), numbers(&restated));
    let plain = Test::new()
        .args(["assess", "graphs/albania-2022.ron", "--format", "json"])
        .run()
        .stdout;
    assert_ne!(
        numbers(&plain),
        numbers(&restated),
        "the what-if moves something"
    );
    let v: serde_json::Value = serde_json::from_str(&restated).unwrap();
    assert_eq!(
        v["what_if"],
        serde_json::json!([
            "claim d5 restated as PHIA \"highly likely\", read as p 0.85",
            "claim d5 at high confidence"
        ])
    );
}

#[test]
fn every_scale_and_the_short_forms_are_accepted() {
    // A bare ICD 203 term, a bare probability and the JSON form read like the RON forms.
    let cases = [
        ("d5=very likely", "d5=Icd(\"very likely\")"),
        ("d5=0.3", "d5=Probability(0.3)"),
        ("d5={\"Stix\": 70}", "d5=Stix(70)"),
    ];
    for (short, long) in cases {
        let p = |arg: &str| {
            let out = Test::new()
                .args(["assess", "graphs/albania-2022.ron", "--format", "json"])
                .args(["--no-sensitivity", "--restate", arg])
                .run()
                .stdout;
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            v["incidents"][0]["hypotheses"][0]["p"].as_f64().unwrap()
        };
        assert_eq!(p(short), p(long), "{short} and {long}");
    }
}

#[test]
fn a_restated_likelihood_with_a_grade_and_a_date_combine() {
    let dir = albania_with_d5("Icd(\"very likely\")", "Moderate");
    let assess = |file: &str| {
        Test::new()
            .args(["assess", file, "--format", "json", "--grade", "mandiant=C"])
            .args(["--as-of", "2022-08-31", "--prior", "0.4"])
            .current_dir(dir.path())
    };
    let edited = assess("edited.ron").run().stdout;
    let file = root().join("graphs/albania-2022.ron");
    let restated = assess(file.to_str().unwrap())
        .args(["--restate", "d5=very likely"])
        .run()
        .stdout;
    assert_eq!(numbers(&edited), numbers(&restated));
    let v: serde_json::Value = serde_json::from_str(&restated).unwrap();
    let lines: Vec<&str> = v["what_if"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "source mandiant re-graded C",
            "claim d5 restated as ICD 203 \"very likely\", read as p 0.875",
            "only claims made by 2022-08-31",
            "prior 0.4"
        ]
    );
}

#[test]
fn every_output_names_the_what_ifs_in_force() {
    let base = [
        "graphs/albania-2022.ron",
        "--restate",
        "d5=unlikely",
        "--confidence",
        "d10=low",
    ];
    let with = |cmd: &[&str]| Test::new().args(cmd).args(base).run().stdout;
    for (cmd, expect) in [
        (
            vec!["assess"],
            "what-if: claim d5 restated as ICD 203 \"unlikely\"",
        ),
        (
            vec!["assess", "--format", "markdown"],
            "claim d5 restated as ICD 203 \"unlikely\"",
        ),
        (
            vec!["explain", "--actor", "iran"],
            "What-if: claim d5 restated as ICD 203 \"unlikely\"",
        ),
        (
            vec!["dot"],
            "\\nwhat-if: claim d5 restated as ICD 203 \\\"unlikely\\\"",
        ),
        (
            vec!["dot", "--view", "evidence"],
            "what-if: claim d10 at low confidence",
        ),
    ] {
        let out = with(&cmd);
        assert!(
            out.contains(expect),
            "{cmd:?} does not name the what-if:\n{out}"
        );
        assert!(
            out.contains("claim d10 at low confidence"),
            "{cmd:?}:\n{out}"
        );
    }
    // explain shows the claim as restated, and the probability it is read at.
    let out = with(&["explain", "--actor", "iran"]);
    assert!(
        out.contains("stated: ICD 203 \"unlikely\" (restated), confidence moderate → p 0.325"),
        "{out}"
    );
}

#[test]
fn malformed_what_ifs_are_usage_errors() {
    for (arg, value, expect) in [
        ("--restate", "d5", "write CLAIM=VALUE"),
        (
            "--restate",
            "d55=likely",
            "no claim has the id `d55`; did you mean `d5`?",
        ),
        ("--restate", "d5=likly", "did you mean `likely`?"),
        ("--restate", "d5=1.5", "1.5 is not a probability"),
        (
            "--restate",
            "d5=Phia(\"sure thing\")",
            "not a UK PHIA yardstick term",
        ),
        ("--restate", "d5=Stix(170)", "outside 0–100"),
        ("--restate", "d5=Icd(likely", "is not a likelihood"),
        (
            "--confidence",
            "d5=sure",
            "`sure` is not a confidence level",
        ),
        ("--confidence", "d5=hgh", "did you mean `high`?"),
        ("--confidence", "d5=medium", "did you mean `moderate`?"),
        // A condemnation names no one and states no likelihood: nothing to change.
        (
            "--restate",
            "d12-eu=almost certain",
            "claim `d12-eu` condemns albania-2022 without naming anyone",
        ),
        (
            "--confidence",
            "d12-eu=high",
            "no likelihood or confidence to change",
        ),
    ] {
        Test::new()
            .args(["assess", "graphs/albania-2022.ron", arg, value])
            .stdout("")
            .stderr_has(expect)
            .stderr_lacks("panicked")
            .code(2)
            .run();
    }
    // One claim or source given two readings keeps neither silently.
    for (flag, first, second, expect) in [
        (
            "--restate",
            "d5=likely",
            "d5=unlikely",
            "--restate d5=… is given twice",
        ),
        (
            "--confidence",
            "d5=low",
            "d5=high",
            "--confidence d5=… is given twice",
        ),
        ("--grade", "nsc=C", "nsc=B", "--grade nsc=… is given twice"),
        (
            "--grade",
            "us-gov=C",
            "us-gov=B",
            "--grade us-gov=… is given twice: give each line of evidence one --grade",
        ),
    ] {
        Test::new()
            .args([
                "assess",
                "graphs/albania-2022.ron",
                flag,
                first,
                flag,
                second,
            ])
            .stdout("")
            .stderr_has(expect)
            .code(2)
            .run();
    }
}

#[test]
fn assess_takes_several_files_and_exits_with_the_worst_status() {
    let out = Test::new()
        .args(["assess", "graphs/albania", "graphs/tutorial.ron"])
        .run()
        .stdout;
    let heads: Vec<&str> = out.lines().filter(|l| l.starts_with("==> ")).collect();
    assert_eq!(
        heads,
        [
            "==> graphs/albania/2022-07.ron <==",
            "==> graphs/albania/2022-09.ron <==",
            "==> graphs/tutorial.ron <=="
        ]
    );
    // JSON: one document, each report as for one file.
    // One file is invalid.
    let out = Test::new()
        .args([
            "assess",
            "graphs/albania",
            "tests/data/invalid/bad-grade.ron",
        ])
        .args(["--format", "json"])
        .code(2)
        .run()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "attrib-assessments/1");
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[2]["exit"], 2);
    let single = Test::new()
        .args(["assess", "graphs/albania/2022-09.ron", "--format", "json"])
        .run()
        .stdout;
    let single: serde_json::Value = serde_json::from_str(&single).unwrap();
    assert_eq!(files[1]["report"], single);
    // --fail-below fails the run when one file is below, naming it.
    Test::new()
        .args(["assess", "graphs/albania", "--fail-below", "very likely"])
        .args(["--actor", "iran"])
        .stderr_has(
            "attrib: graphs/albania/2022-07.ron: Government of Iran (iran) rests on insufficient evidence",
        )
        // September is very likely.
        .stderr_lacks("2022-09.ron:")
        .code(1)
        .run();
    // A file without the actor is named in the error.
    Test::new()
        .args(["assess", "graphs/albania-2022.ron", "graphs/tutorial.ron"])
        .args(["--fail-below", "likely", "--actor", "iran"])
        .stderr_has(
            "error: graphs/tutorial.ron: --actor iran: no actor or group has this id, name or alias",
        )
        .code(2)
        .run();
    // --deny-warnings turns a warning into an error for assess too.
    Test::new()
        .args([
            "assess",
            "tests/data/warnings/suspicious.ron",
            "--deny-warnings",
        ])
        .stderr_has("6 warnings denied")
        .code(2)
        .run();
}

/// Under `--as-of`, the header and the JSON say the date the information is current to, not
/// the case's own: the table read "(as of 2025-11-13)" above "what-if: only claims made by
/// 2022-09-08".
#[test]
fn as_of_dates_the_output_it_makes() {
    Test::new()
        .args(["assess", "--as-of", "2022-09-08"])
        .stdout_has("Cyberattack on the Government of Albania, July 2022 (as of 2022-09-08)\n")
        .run();
    let out = Test::new()
        .args([
            "assess",
            "--as-of",
            "2022-09-08",
            "--format",
            "json",
            "--no-sensitivity",
        ])
        .run()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["case"]["as_of"], "2022-09-08");
}

/// An --as-of later than the case's own date is noted: the case holds nothing made later.
#[test]
fn as_of_after_the_cases_date_is_noted() {
    Test::new()
        .args(["assess", "graphs/albania-2022.ron", "--as-of", "2030-01-01"])
        .stderr_has("note: --as-of 2030-01-01 is after the case's as_of (2025-11-13)")
        // The title gives the date of what is known, as the note does.
        .stdout_has("July 2022 (as of 2025-11-13)\n")
        .run();
    let before = Test::new()
        .args(["assess", "graphs/albania-2022.ron", "--as-of", "2022-09"])
        .run();
    assert!(
        !before.stderr.contains("after the case's as_of"),
        "{}",
        before.stderr
    );
    assert!(
        before.stdout.contains("(as of 2022-09)"),
        "{}",
        before.stdout
    );
}

/// `--as-of` leaves out undated claims, even at the case's own date; the what-if says which,
/// or a judgement moved with no word of why (the NSC's claim undated: Iran lost a line).
#[test]
fn as_of_names_the_undated_claims_it_leaves_out() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("graphs/albania-2022.ron")).unwrap();
    let dated = "            id: \"d7\",\n            source: \"nsc\",\n            date: \"2022-09-07\",\n";
    assert!(text.contains(dated));
    let case = tmp.path().join("undated.ron");
    std::fs::write(
        &case,
        text.replace(
            dated,
            "            id: \"d7\",\n            source: \"nsc\",\n",
        ),
    )
    .unwrap();
    let case = case.to_str().unwrap();
    Test::new()
        .args(["assess", case, "--as-of", "2025-11-13"])
        .stdout_has("what-if: only claims made by 2025-11-13\n")
        .stdout_has("what-if: undated, so left out by --as-of: d7\n")
        .run();
    Test::new()
        .args(["assess", case, "--as-of", "2025-11-13", "--format", "json"])
        .stdout_has(
            "\"what_if\": [\"only claims made by 2025-11-13\", \"undated, so left out by --as-of: d7\"]",
        )
        .run();
    // Without --as-of nothing is left out, and a case with every claim dated says nothing more.
    let plain = Test::new().args(["assess", case]).run().stdout;
    assert!(!plain.contains("undated"), "{plain}");
    let dated = Test::new()
        .args(["assess", "graphs/albania-2022.ron", "--as-of", "2025-11-13"])
        .stdout_has("what-if: only claims made by 2025-11-13\n")
        .run()
        .stdout;
    assert!(!dated.contains("undated"), "{dated}");
    // Two versions under one --as-of share its line, and differ in what each leaves out.
    let albania = root().join("graphs/albania-2022.ron");
    let diff = Test::new()
        .args([
            "diff",
            albania.to_str().unwrap(),
            case,
            "--as-of",
            "2025-11-13",
        ])
        .run()
        .stdout;
    assert!(
        diff.contains("what-if: only claims made by 2025-11-13\n"),
        "{diff}"
    );
    assert!(
        diff.contains("in the new version, undated, so left out by --as-of: d7"),
        "{diff}"
    );
}

/// A link claim the what-if sets aside is not named as carrying anything: under `--as-of
/// 2022-09-01` MuddyWater inherited MOIS's opposition "through link claims d1, d2,
/// d13-muddywater, d16b", two of them made later, and both sat in its sensitivity table.
#[test]
fn a_link_claim_set_aside_is_named_nowhere() {
    let args = [
        "explain",
        "graphs/albania-2022.ron",
        "--actor",
        "muddywater",
        "--as-of",
        "2022-09-01",
    ];
    let out = Test::new()
        .args(args)
        .stdout_has("inherited from mois (link claims d1, d2) [")
        .run()
        .stdout;
    for later in ["d13-muddywater", "d16b"] {
        assert!(!out.contains(later), "{later}: {out}");
    }
    let json = Test::new()
        .args(["assess", "graphs/albania-2022.ron", "--as-of", "2022-09-01"])
        .args(["--format", "json"])
        .run()
        .stdout;
    assert!(json.contains("\"link_claims\": [\"d1\", \"d2\"]"), "{json}");
    assert!(!json.contains("d16b"), "{json}");
    // The same with the claim set aside by name.
    let out = Test::new()
        .args([
            "explain",
            "graphs/albania-2022.ron",
            "--actor",
            "muddywater",
        ])
        .args(["--without", "d16b"])
        .run()
        .stdout;
    assert!(
        out.contains("(link claims d1, d2, d13-muddywater) ["),
        "{out}"
    );
    assert_eq!(
        out.matches("d16b").count(),
        1,
        "the what-if line only: {out}"
    );
}

/// A condemnation is a statement like any other: a what-if that goes back before it was made,
/// or sets it or its source aside, takes it out of every output.
#[test]
fn condemnations_follow_the_what_if() {
    let condemned = |args: &[&str]| -> Vec<String> {
        let out = Test::new()
            .args(["assess", "graphs/albania-2022.ron", "--format", "json"])
            .args(args)
            .run()
            .stdout;
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["incidents"][0]["condemnations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let all = condemned(&[]);
    assert!(all.contains(&"d12-es".to_string()), "{all:?}");
    assert!(all.contains(&"d12-fr".to_string()), "{all:?}");
    assert_eq!(condemned(&["--as-of", "2022-07-31"]), Vec::<String>::new());
    let without_spain = condemned(&["--without", "spain"]);
    assert!(!without_spain.contains(&"d12-es".to_string()));
    assert_eq!(without_spain.len(), all.len() - 1, "{without_spain:?}");
    let without_claim = condemned(&["--without", "d12-fr"]);
    assert!(!without_claim.contains(&"d12-fr".to_string()));
    assert_eq!(without_claim.len(), all.len() - 1, "{without_claim:?}");
    let table = Test::new()
        .args(["assess", "graphs/albania-2022.ron", "--as-of", "2022-07-31"])
        .run()
        .stdout;
    assert!(!table.contains("Condemned"), "{table}");
}

/// An --as-of before an incident began says so in every report and in `explain`, rather than
/// leaving a table of "insufficient evidence" to read as a gap in the evidence; a month that
/// holds the start has begun.
#[test]
fn as_of_before_the_incident_began_says_so() {
    let said = "As of 2022-01-01 the incident had not begun (it began 2022-07-15)";
    let case = "graphs/albania-2022.ron";
    for format in ["table", "markdown"] {
        Test::new()
            .args(["assess", case, "--as-of", "2022-01-01", "--format", format])
            .stdout_has(said)
            .run();
    }
    Test::new()
        .env("PATH", Some(""))
        .args(["report", case, "--as-of", "2022-01-01", "--format", "html"])
        .stdout_has(format!("<p class=\"banner\">{said}"))
        .run();
    Test::new()
        .args(["explain", case, "--as-of", "2022-01-01", "--actor", "iran"])
        .stdout_has(format!("What-if: only claims made by 2022-01-01\n{said}"))
        .run();
    let begun = Test::new()
        .args(["assess", case, "--as-of", "2022-07"])
        .run()
        .stdout;
    assert!(!begun.contains("had not begun"), "{begun}");
    // A claim made before the recorded start (a start that is when the incident was found)
    // speaks for itself: nothing says that no claim could have been made.
    let tmp = tempfile::tempdir().unwrap();
    let early = tmp.path().join("early.ron");
    std::fs::write(
        &early,
        r#"Case(title: "t", as_of: "2022-12-01",
    actors: [Actor(id: "x", name: "Xland", kind: State)],
    incidents: [Incident(id: "m", name: "M", start: "2022-07"), Incident(id: "n", name: "N", start: "2022-07")],
    sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "s", date: "2022-06-01", subject: "m", relation: AttributedTo, object: "x", likelihood: Icd("likely")),
        Claim(id: "c2", source: "s", date: "2022-09-01", subject: "n", relation: AttributedTo, object: "x", likelihood: Icd("likely")),
    ])"#,
    )
    .unwrap();
    let out = Test::new()
        .args(["assess", early.to_str().unwrap(), "--as-of", "2022-06-30"])
        .run()
        .stdout;
    assert_eq!(out.matches("had not begun").count(), 1, "{out}");
    let (m, n) = out.split_once("Incident: N").unwrap();
    assert!(
        !m.contains("had not begun") && n.contains("had not begun"),
        "{out}"
    );
    // An incident no claim names anyone for says so in every report, not "insufficient
    // evidence" nor an empty section.
    let early = early.to_str().unwrap();
    for args in [
        vec![
            "assess",
            early,
            "--as-of",
            "2022-06-30",
            "--format",
            "markdown",
        ],
        vec!["report", early, "--as-of", "2022-06-30", "--format", "html"],
    ] {
        let out = Test::new().env("PATH", Some("")).args(args).run().stdout;
        assert_eq!(
            out.matches("No claim names anyone as responsible for this incident yet.")
                .count(),
            1,
            "{out}"
        );
    }
}

/// A claim both set aside and re-read: where nothing restates it (Mandiant's d5), the
/// re-reading changes nothing, and a note says so (the judgements are those of setting it
/// aside alone); where a restatement stands in for it (NATO's d11 restating the NSC's d7),
/// it bears on what that restatement may carry (no more than d7 as re-read, model §6): the
/// judgement is the row for d7 under the re-reading alone, and d11, held to what a d7 read
/// at 0.1 carries for Iran, carries nothing.
#[test]
fn a_re_read_claim_that_is_set_aside_is_noted() {
    let json = |args: &[&str], note: &str| {
        let out = Test::new()
            .args(["assess", "graphs/albania-2022.ron", "--format", "json"])
            .args(args);
        let out = match note {
            "" => out.stderr_lacks("note:"),
            said => out.stderr_has(said),
        };
        numbers(&out.run().stdout)
    };
    let both = json(
        &["--without", "mandiant", "--restate", "d5=0.1"],
        "note: --restate d5 changes nothing: --without sets claim d5 aside",
    );
    let alone = json(&["--without", "mandiant"], "");
    assert_eq!(both["incidents"], alone["incidents"]);
    // With NATO's restatement set aside too, nothing stands in for d7.
    let both = json(
        &[
            "--without",
            "nsc",
            "--without",
            "d11",
            "--restate",
            "d7=0.1",
        ],
        "note: --restate d7 changes nothing: --without sets claim d7 aside",
    );
    let alone = json(&["--without", "nsc", "--without", "d11"], "");
    assert_eq!(both["incidents"], alone["incidents"]);
    // A claim made after `--as-of` is out of the what-if as surely.
    let both = json(
        &["--as-of", "2022-08-01", "--restate", "d5=0.1"],
        "note: --restate d5 changes nothing: claim d5 was made 2022-08-04, after --as-of \
         2022-08-01",
    );
    let alone = json(&["--as-of", "2022-08-01"], "");
    assert_eq!(both["incidents"], alone["incidents"]);
    json(&["--as-of", "2022-08-04", "--restate", "d5=0.1"], "");
    // Dated by its month (July 2022), d3 may have been made after the 15th.
    json(
        &["--as-of", "2022-07-15", "--restate", "d3=0.1"],
        "note: --restate d3 changes nothing: claim d3 is dated 2022-07, which may be after \
         --as-of 2022-07-15",
    );

    // Undated, d5 counts under no cut.
    let tmp = tempfile::tempdir().unwrap();
    let case = std::fs::read_to_string(root().join("graphs/albania-2022.ron")).unwrap();
    let undated = case.replacen("date: \"2022-08-04\",", "", 1);
    assert_ne!(undated, case);
    std::fs::write(tmp.path().join("undated.ron"), undated).unwrap();
    Test::new()
        .args([
            "assess",
            "undated.ron",
            "--as-of",
            "2022-09-01",
            "--restate",
            "d5=0.1",
        ])
        .current_dir(tmp.path())
        .stderr_has(
            "note: --restate d5 changes nothing: claim d5 is undated, and --as-of 2022-09-01 \
             counts only dated claims",
        )
        .run();

    let iran = |v: &serde_json::Value| {
        let hypotheses = v["incidents"][0]["hypotheses"].as_array().unwrap().clone();
        (hypotheses.into_iter())
            .find(|h| h["actor"] == "iran")
            .expect("Iran judged")
    };
    let both = iran(&json(
        &["--without", "nsc", "--restate", "d7=0.1"],
        "note: --restate d7 bears only on what restates it: --without sets claim d7 aside, and \
         a restatement standing in for it carries no more than d7 would carry as re-read",
    ));
    let reread = iran(&json(&["--restate", "d7=0.1"], ""));
    let row = (reread["sensitivity"].as_array().unwrap().iter())
        .find(|r| r["id"] == "d7")
        .expect("a row for d7");
    assert_eq!(both["p"], row["p_without"]);
    let capped = |h: &serde_json::Value| {
        (h["weightless"].as_array().unwrap().iter())
            .any(|w| w["claim"] == "d11" && w["reason"] == "capped")
    };
    assert!(capped(&both), "{both}");
    assert!(!capped(&iran(&json(&["--without", "nsc"], ""))));
}

/// Small mistakes on the what-if and layout options get answers that fit them: a negative
/// width or depth was taken for an option (clap's tip, `-- -5`, makes it a file); a PHIA term
/// restated as ICD 203 got no pointer to the other scale; `family:` with a typo got no
/// suggestion; one source's line read "what restates their claims".
#[test]
fn small_option_mistakes_get_fitting_answers() {
    for (args, says) in [
        (
            &["assess", "--width", "-5"][..],
            "a width is a whole number of columns, 0 or more",
        ),
        (
            &["explain", "--actor", "iran", "--width", "5"][..],
            "attrib lays text out in 20 columns or more: give a width of 20 or more",
        ),
        (
            &["dot", "--focus", "iran", "--depth", "-1"][..],
            "a depth is a whole number of hops, 0 or more",
        ),
        (
            &["assess", "--restate", "d7=Icd(\"highly likely\")"][..],
            "it is a UK PHIA term, `Phia(\"highly likely\")`",
        ),
        (
            &["assess", "--without", "family:us-go"][..],
            "did you mean `family:us-gov`?",
        ),
        (
            &["explain", "--actor", "albania-2022"][..],
            "`albania-2022` is an incident: give it with --incident",
        ),
        (
            &["explain", "--actor", "nsc"][..],
            "`nsc` is a source, which has no judgement of its own: `--without nsc` sets it aside",
        ),
        (
            &["explain", "--actor", "iran", "--incident", "mois"][..],
            "`mois` is an actor or group, not an incident",
        ),
        (
            &["generate", "--claims", "-5"][..],
            "`-5` is not a number of claims: 1 to 20000000",
        ),
        (
            &["generate", "--claims", "3", "--seed", "-5"][..],
            "a seed is a whole number from 0 to 18446744073709551615",
        ),
    ] {
        Test::new()
            .args(args.iter().copied())
            .stderr_has(says)
            .stderr_lacks("-- -")
            .code(2)
            .run();
    }
    let file = root().join("graphs/albania-2022.ron");
    let file = file.to_str().unwrap();
    Test::new()
        .args(["diff", file, file, "--min-delta", "-1"])
        .stderr_has("--min-delta -1: a change in P is a number from 0 to 1")
        .code(2)
        .run();
    Test::new()
        .args([
            "explain",
            "--actor",
            "iran",
            "--without",
            "family:microsoft",
        ])
        .stdout_has("(source microsoft; nothing stands in for its claims)")
        .run();
}

/// `--grade` names a line of evidence too: every source of the family takes the grade, but
/// for those a `--grade` of their own grades otherwise; the numbers are those of grading each
/// source by itself. A name that is neither is refused with the nearest of both.
#[test]
fn a_line_of_evidence_is_graded_as_its_sources_are() {
    let case = "graphs/albania-2022.ron";
    let json = Test::new()
        .args(["convert", case, "--to", "json"])
        .run()
        .stdout;
    let file: serde_json::Value = serde_json::from_str(&json).unwrap();
    let us: Vec<String> = (file["sources"].as_array().unwrap().iter())
        .filter(|s| s["family"] == "us-gov")
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert!(us.len() >= 3 && us.contains(&"nsc".to_string()), "{us:?}");
    let assess = |grades: Vec<String>| {
        let mut args = vec![
            "assess".to_string(),
            case.into(),
            "--format".into(),
            "json".into(),
        ];
        for g in grades {
            args.push("--grade".into());
            args.push(g);
        }
        Test::new().args(args).run().stdout
    };
    let by_line = assess(vec!["nsc=A".into(), "us-gov=C".into()]);
    let each = assess(
        us.iter()
            .map(|s| format!("{s}={}", if s == "nsc" { "A" } else { "C" }))
            .collect(),
    );
    assert_eq!(numbers(&by_line), numbers(&each));
    // `family:` names the line where a source might have its name.
    let prefixed = assess(vec!["nsc=A".into(), "family:us-gov=C".into()]);
    assert_eq!(numbers(&prefixed), numbers(&each));
    assert_ne!(numbers(&by_line), numbers(&assess(Vec::new())));
    // The line is named once, at the grade most of its sources have, and its source graded
    // otherwise after it; so are the same grades given source by source.
    let said = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["what_if"].clone()
    };
    let line = serde_json::json!([
        "line of evidence us-gov re-graded C (sources aa22-055a, aa22-264a, cybercom, treasury)",
        "source nsc re-graded A"
    ]);
    assert_eq!(said(&by_line), line);
    assert_eq!(said(&each), line);
    // Without a majority, each source is named: two of five at B, two at C, one at A.
    let split = assess(
        [
            "aa22-055a=B",
            "aa22-264a=B",
            "cybercom=C",
            "treasury=C",
            "nsc=A",
        ]
        .map(String::from)
        .to_vec(),
    );
    assert_eq!(
        said(&split),
        serde_json::json!([
            "source aa22-055a re-graded B",
            "source aa22-264a re-graded B",
            "source cybercom re-graded C",
            "source nsc re-graded A",
            "source treasury re-graded C"
        ])
    );
    // `diff` applies it to both versions alike; the July version has fewer of the line's
    // sources, so each version's line is its own.
    Test::new()
        .args([
            "diff",
            "graphs/albania/2022-07.ron",
            "graphs/albania/2022-09.ron",
        ])
        .args(["--grade", "us-gov=C"])
        .stdout_has("what-if: in the new version, line of evidence us-gov re-graded C (sources aa22-055a, aa22-264a, cybercom, nsc, treasury)")
        .run();
    Test::new()
        .args(["assess", case, "--grade", "us-gof=C"])
        .stderr_has("--grade us-gof=C: no source or line of evidence (`family`) `us-gof`; did you mean `us-gov`?")
        .code(2)
        .run();
    // `family:` looks among the lines only, and the suggestion keeps the prefix.
    Test::new()
        .args(["assess", case, "--grade", "family:us-gof=C"])
        .stderr_has("--grade family:us-gof=C: no line of evidence (`family`) has the name `us-gof`; did you mean `family:us-gov`?")
        .code(2)
        .run();
}

/// `--prior` gives every hypothesis one base rate, an exclusive set's too: at 0.5 the three
/// competing hypotheses of the tutorial's outage held 1.5 together before any evidence, which
/// `check` warns of in a file (W114) and the what-if passed over in silence.
#[test]
fn a_prior_that_makes_an_exclusive_set_incoherent_is_noted() {
    Test::new()
        .args(["assess", "graphs/tutorial.ron", "--prior", "0.5"])
        .stderr_has(
            "note: --prior 0.5 gives each of the 3 competing hypotheses on `marlin-outage` \
             that prior, 1.5 together",
        )
        .stderr_has("a prior of 1/3 (0.33) or less keeps them coherent")
        .run();
    Test::new()
        .args(["assess", "graphs/tutorial.ron", "--prior", "0.3"])
        .stderr_lacks("--prior")
        .run();
}
