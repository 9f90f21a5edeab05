//! Properties of the opinion algebra and of the engine that must hold for every input.

use attrib::assess::assess;
use attrib::format::*;
use attrib::opinion::Opinion;
use attrib::reason::Scenario;
use attrib::validate::validate;
use proptest::prelude::*;

fn opinion() -> impl Strategy<Value = Opinion> {
    (0.0f64..=1.0, 0.0f64..=1.0, 0.0f64..=1.0, 0.0f64..=1.0).prop_map(|(x, y, z, a)| {
        let sum = x + y + z;
        if sum == 0.0 {
            Opinion::vacuous(a)
        } else {
            Opinion::new(x / sum, y / sum, z / sum, a).unwrap()
        }
    })
}

fn valid(o: &Opinion) -> bool {
    let parts = [o.belief(), o.disbelief(), o.uncertainty(), o.base_rate()];
    parts.iter().all(|x| (0.0..=1.0).contains(x))
        && (o.belief() + o.disbelief() + o.uncertainty() - 1.0).abs() < 1e-9
}

/// One claim on "incident x was carried out by a": family, grade, stated probability,
/// confidence.
type ClaimSpec = (u8, u8, f64, u8);

fn claim_spec() -> impl Strategy<Value = ClaimSpec> {
    (0u8..4, 0u8..6, 0.01f64..0.99, 0u8..3)
}

fn case_of(claims: &[ClaimSpec]) -> attrib::model::Case {
    let grades = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E, Grade::F];
    let confs = [Confidence::Low, Confidence::Moderate, Confidence::High];
    let mut file = CaseFile {
        title: "property".into(),
        description: None,
        analyst: None,
        as_of: None,
        prior: None,
        actors: vec![ActorFile {
            id: "a".into(),
            name: "A".into(),
            kind: ActorKind::State,
            aliases: vec![],
            part_of: None,
            description: None,
        }],
        groups: vec![],
        incidents: vec![IncidentFile {
            id: "x".into(),
            name: "X".into(),
            aliases: vec![],
            start: None,
            end: None,
            victim: None,
            description: None,
            references: vec![],
        }],
        sources: vec![],
        claims: vec![],
        hypotheses: vec![HypothesisFile {
            incident: "x".into(),
            actor: "a".into(),
            prior: None,
            note: None,
        }],
        exclusive: vec![],
        stix: None,
    };
    for (i, &(family, grade, p, conf)) in claims.iter().enumerate() {
        file.sources.push(SourceFile {
            id: format!("s{i}"),
            name: format!("S{i}"),
            kind: SourceKind::Government,
            reliability: Some(grades[grade as usize]),
            track_record: None,
            family: Some(format!("f{family}")),
            url: None,
            note: None,
        });
        file.claims.push(ClaimFile {
            id: format!("c{i}"),
            source: format!("s{i}"),
            date: None,
            subject: "x".into(),
            relation: Relation::AttributedTo,
            object: Some("a".into()),
            wording: None,
            likelihood: Some(Likelihood::Probability(p)),
            confidence: Some(confs[conf as usize]),
            url: None,
            derived_from: vec![],
            note: None,
        });
    }
    validate(&file).case.expect("generated cases are valid")
}

fn p_of(claims: &[ClaimSpec]) -> f64 {
    let case = case_of(claims);
    assess(&case, Scenario::default()).incidents[0].hypotheses[0].p
}

proptest! {
    #[test]
    fn operators_keep_the_invariant(a in opinion(), b in opinion(), t in opinion(), x in 0.0f64..=1.0) {
        prop_assert!(valid(&a.trust_discount(&t)));
        prop_assert!(valid(&a.chain_discount(x)));
        prop_assert!(valid(&a.uncertainty_maximised()));
        prop_assert!(valid(&Opinion::cumulative_fuse(&[a, b])));
        let (r, s) = a.evidence();
        if r.is_finite() && s.is_finite() {
            prop_assert!(valid(&Opinion::from_evidence(r, s, a.base_rate())));
        }
    }

    #[test]
    fn fusion_is_order_independent(mut v in proptest::collection::vec(opinion(), 1..6)) {
        let v: Vec<Opinion> = v.iter_mut().map(|o| o.with_base_rate(0.5)).collect();
        let forward = Opinion::cumulative_fuse(&v);
        let mut rev = v.clone();
        rev.reverse();
        let backward = Opinion::cumulative_fuse(&rev);
        prop_assert!((forward.belief() - backward.belief()).abs() < 1e-9);
        prop_assert!((forward.uncertainty() - backward.uncertainty()).abs() < 1e-9);
    }

    #[test]
    fn vacuous_is_neutral(a in opinion()) {
        let a = a.with_base_rate(0.5);
        let f = Opinion::cumulative_fuse(&[a, Opinion::vacuous(0.5)]);
        prop_assert!((f.belief() - a.belief()).abs() < 1e-9);
        prop_assert!((f.disbelief() - a.disbelief()).abs() < 1e-9);
    }

    #[test]
    fn case_results_keep_the_invariant_and_ignore_claim_order(
        claims in proptest::collection::vec(claim_spec(), 1..8)
    ) {
        let case = case_of(&claims);
        let j = &assess(&case, Scenario::default()).incidents[0].hypotheses[0];
        prop_assert!(valid(&j.opinion));
        let mut reversed = claims.clone();
        reversed.reverse();
        prop_assert!((p_of(&reversed) - j.p).abs() < 1e-12);
    }

    #[test]
    fn support_never_lowers_and_opposition_never_raises_p(
        claims in proptest::collection::vec(claim_spec(), 0..6),
        extra in claim_spec(),
    ) {
        let base = p_of(&claims);
        let mut more = claims.clone();
        more.push(extra);
        let after = p_of(&more);
        if extra.2 >= 0.5 {
            prop_assert!(after >= base - 1e-12, "support lowered P: {base} -> {after}");
        } else {
            prop_assert!(after <= base + 1e-12, "opposition raised P: {base} -> {after}");
        }
    }

    #[test]
    fn a_repeat_from_the_same_family_changes_nothing(
        claims in proptest::collection::vec(claim_spec(), 1..6),
        pick in 0usize..6,
    ) {
        let base = p_of(&claims);
        let mut more = claims.clone();
        more.push(claims[pick % claims.len()]);
        prop_assert!((p_of(&more) - base).abs() < 1e-12);
    }
}
