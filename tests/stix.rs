//! STIX 2.1 import and export on real bundles, the OASIS validator, and round trips.

use crate::{attrib, graphs, root, run};
use attrib::format::{CaseFile, Relation, Syntax};
use attrib::load::{load, parse};
use std::path::PathBuf;

fn data(name: &str) -> String {
    root()
        .join("tests/data/stix")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// Imports a bundle through the CLI; returns (case file, stderr).
fn import(bundle: &str, extra: &[&str]) -> (CaseFile, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("case.ron");
    let mut args = vec!["import", "stix", bundle, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, _, err) = run(&args, &root());
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    // The imported case passes the checker and assess runs on it.
    let (code, _, cerr) = run(&["check", out.to_str().unwrap()], &root());
    assert_eq!(code, 0, "{cerr}");
    let (code, _, aerr) = run(&["assess", out.to_str().unwrap()], &root());
    assert_eq!(code, 0, "{aerr}");
    (parse(&text, Syntax::Ron).unwrap(), err)
}

#[test]
fn apt1_keeps_the_apt1_to_unit_61398_chain() {
    let (file, err) = import(&data("oasis-apt1.json"), &[]);
    assert!(err.contains("skipped: "), "{err}");
    assert!(err.contains("12 indicator"), "counted, not fatal: {err}");
    let apt1 = file
        .groups
        .iter()
        .find(|g| g.name == "APT1")
        .expect("APT1 imported");
    assert!(apt1.aliases.contains(&"Comment Crew".to_string()));
    let unit = file
        .actors
        .iter()
        .find(|a| a.name == "Unit 61398")
        .expect("Unit 61398");
    assert!(
        file.claims.iter().any(|c| c.subject == apt1.id
            && c.relation == Relation::OperatedBy
            && c.object.as_deref() == Some(unit.id.as_str())),
        "APT1 attributed-to Unit 61398 becomes a link claim"
    );
    // DOTA and SuperHard share aliases in the bundle: reported, not silently kept.
    assert!(err.contains("also names another object"), "{err}");
}

#[test]
fn attack_enterprise_campaigns_are_attributed_to_their_groups() {
    let bundle = data("enterprise-attack-18.1-actors-subset.stix21.json");
    let (file, err) = import(&bundle, &[]);
    // Count independently in the bundle: campaign attributed-to intrusion-set, neither end
    // revoked or deprecated.
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    let objects = raw["objects"].as_array().unwrap();
    let live = |id: &str| {
        objects
            .iter()
            .any(|o| o["id"] == id && o["revoked"] != true && o["x_mitre_deprecated"] != true)
    };
    let expected = objects
        .iter()
        .filter(|o| {
            o["type"] == "relationship"
                && o["relationship_type"] == "attributed-to"
                && o["source_ref"].as_str().unwrap().starts_with("campaign--")
                && live(o["source_ref"].as_str().unwrap())
                && live(o["target_ref"].as_str().unwrap())
        })
        .count();
    assert_eq!(expected, 25);
    let attributed: Vec<_> = file
        .claims
        .iter()
        .filter(|c| c.relation == Relation::AttributedTo)
        .collect();
    assert_eq!(attributed.len(), expected, "{err}");
    assert!(file.incidents.iter().any(|i| i.name == "HomeLand Justice"));
    let hj = file
        .incidents
        .iter()
        .find(|i| i.name == "HomeLand Justice")
        .unwrap();
    let hexane = file.groups.iter().find(|g| g.name == "HEXANE").unwrap();
    assert!(
        attributed
            .iter()
            .any(|c| c.subject == hj.id && c.object.as_deref() == Some(hexane.id.as_str()))
    );
    assert!(err.contains("revoked or deprecated"), "{err}");
}

#[test]
fn the_invalid_attack_flow_bundle_imports_with_a_warning() {
    let (file, err) = import(&data("attackflow-NotPetya.json"), &[]);
    assert!(
        err.contains(
            "attack-flow--dd875c61-26a9-4b8b-879e-9f00346300fd: `start_refs` is an empty list"
        ),
        "{err}"
    );
    assert!(
        err.contains("1 attack-flow"),
        "custom types are skipped and counted: {err}"
    );
    assert_eq!(file.actors.len(), 4, "the four indicted officers");
}

#[test]
fn malformed_bundles_name_the_object_and_the_field() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        ("not json", "not JSON"),
        ("[1, 2]", "not a STIX bundle"),
        (r#"{"type": "bundle"}"#, "missing field `objects`"),
        (
            r#"{"type": "bundle", "objects": [{"id": "x"}]}"#,
            "object #0 (x): missing field `type`",
        ),
        (
            r#"{"type": "bundle", "objects": [{"type": "relationship", "id": "relationship--1", "relationship_type": "attributed-to", "target_ref": "x"}]}"#,
            "relationship--1: missing field `source_ref`",
        ),
        (
            r#"{"type": "bundle", "objects": [{"type": "intrusion-set", "id": "intrusion-set--1", "name": 7}]}"#,
            "intrusion-set--1: field `name` must be a non-empty string",
        ),
        (
            r#"{"type": "bundle", "objects": [{"type": "intrusion-set", "id": "intrusion-set--1", "name": "a"}, {"type": "intrusion-set", "id": "intrusion-set--2", "name": "b"}, {"type": "relationship", "id": "relationship--9", "relationship_type": "related-to", "source_ref": "intrusion-set--1", "target_ref": "intrusion-set--2", "confidence": 140}]}"#,
            "relationship--9: field `confidence` must be an integer from 0 to 100",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let path = tmp.path().join(format!("b{i}.json"));
        std::fs::write(&path, text).unwrap();
        let (code, out, err) = run(&["import", "stix", path.to_str().unwrap()], &root());
        assert_eq!(code, 2, "{text}");
        assert!(out.is_empty());
        assert!(err.contains(expected), "{text}\n→ {err}");
    }
}

fn validator() -> PathBuf {
    if let Some(p) = std::env::var_os("STIX2_VALIDATOR") {
        return PathBuf::from(p);
    }
    let found = std::process::Command::new("stix2_validator")
        .arg("--help")
        .output()
        .is_ok();
    assert!(
        found,
        "this test needs the OASIS validator: `pip install stix2-validator` (in a virtual \
         environment; .ci/run does it), or set STIX2_VALIDATOR to its path"
    );
    PathBuf::from("stix2_validator")
}

#[test]
#[ignore = "needs stix2-validator"]
fn exports_pass_the_oasis_validator_and_round_trip() {
    let validator = validator();
    let tmp = tempfile::tempdir().unwrap();
    for g in graphs() {
        let name = g.file_stem().unwrap().to_str().unwrap();
        let bundle = tmp.path().join(format!("{name}.json"));
        let (code, _, err) = run(
            &[
                "export",
                "stix",
                g.to_str().unwrap(),
                "-o",
                bundle.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(code, 0, "{err}");
        let out = std::process::Command::new(&validator)
            .arg(&bundle)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: validator failed:\n{report}");
        assert!(report.contains("STIX JSON: Valid"), "{report}");
        assert!(
            !report.contains("[X]"),
            "{name}: validator errors:\n{report}"
        );

        // Deterministic ids and timestamps: the same bytes again.
        let again = run(&["export", "stix", g.to_str().unwrap()], &root()).1;
        assert_eq!(std::fs::read_to_string(&bundle).unwrap(), again);

        // Import gives back the same case, and so the same assessment.
        let back = tmp.path().join(format!("{name}.ron"));
        let (code, _, err) = run(
            &[
                "import",
                "stix",
                bundle.to_str().unwrap(),
                "-o",
                back.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(code, 0, "{err}");
        let mut original = parse(&std::fs::read_to_string(&g).unwrap(), Syntax::Ron).unwrap();
        original.normalise();
        let returned = parse(&std::fs::read_to_string(&back).unwrap(), Syntax::Ron).unwrap();
        assert_eq!(
            original, returned,
            "{name}: the case changed in the round trip"
        );
        let a = run(
            &["assess", g.to_str().unwrap(), "--format", "json"],
            &root(),
        )
        .1;
        let b = run(
            &["assess", back.to_str().unwrap(), "--format", "json"],
            &root(),
        )
        .1;
        assert_eq!(a, b, "{name}: the assessment changed");
    }
}

#[test]
fn alias_tables_resolve_vendor_names_and_report_conflicts() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case.ron");
    std::fs::write(
        &case,
        r#"Case(title: "aliases",
    groups: [Group(id: "muddywater", name: "MuddyWater"), Group(id: "oilrig", name: "OilRig"), Group(id: "hazel", name: "Hazel Sandstorm")],
    incidents: [Incident(id: "x", name: "X")],
    sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "s", subject: "x", relation: AttributedTo, object: "muddywater", likelihood: Icd("likely"), wording: "w", url: "u"),
        Claim(id: "c2", source: "s", subject: "oilrig", relation: PossiblySameAs, object: "hazel", likelihood: Icd("likely"), wording: "w", url: "u"),
    ])"#,
    )
    .unwrap();
    let out = tmp.path().join("merged.ron");
    let table = data("microsoft-threat-actor-mapping.json");
    let (code, _, err) = run(
        &[
            "import",
            "aliases",
            case.to_str().unwrap(),
            &table,
            "-o",
            out.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let merged = load(&std::fs::read_to_string(&out).unwrap(), Syntax::Ron)
        .unwrap()
        .case;
    let mw = merged.find_entity("muddywater").unwrap();
    for name in ["SeedWorm", "MERCURY", "Mango Sandstorm", "temp.zagros"] {
        assert_eq!(
            merged.find_entity(name),
            Some(mw),
            "{name} resolves to MuddyWater"
        );
    }
    // Microsoft's row joins OilRig and Hazel Sandstorm, which the case keeps apart.
    assert!(err.contains("alias conflict:"), "{err}");
    assert!(
        err.contains("`hazel` and `oilrig`") || err.contains("`oilrig` and `hazel`"),
        "{err}"
    );
    // The merged case's names work on the command line.
    let (code, out, _) = run(
        &[
            "explain",
            out.to_str().unwrap(),
            "--actor",
            "Mango Sandstorm",
        ],
        &root(),
    );
    assert_eq!(code, 0);
    assert!(out.contains("MuddyWater (muddywater)"));
    let _ = attrib;
}
