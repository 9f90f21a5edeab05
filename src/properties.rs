//! Properties of the opinion algebra and of the engine that must hold for every input.

use crate::assess::Scenario;
use crate::assess::assess;
use crate::format::*;
use crate::opinion::Opinion;
use crate::validate::validate;
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

fn case_of(claims: &[ClaimSpec]) -> crate::model::Case {
    let grades = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E, Grade::F];
    let confs = [Confidence::Low, Confidence::Moderate, Confidence::High];
    let mut file = CaseFile {
        title: "property".into(),
        actors: vec![ActorFile {
            id: "a".into(),
            name: "A".into(),
            kind: ActorKind::State,
            aliases: vec![],
            part_of: None,
            description: None,
        }],
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
        hypotheses: vec![HypothesisFile {
            incident: "x".into(),
            actor: "a".into(),
            prior: None,
            note: None,
        }],
        ..Default::default()
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
    validate(file).case.expect("generated cases are valid")
}

fn p_of(claims: &[ClaimSpec]) -> f64 {
    let case = case_of(claims);
    assess(&case, Scenario::default()).incidents[0].hypotheses[0].p()
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
        prop_assert!(valid(&j.opinion()));
        let mut reversed = claims.clone();
        reversed.reverse();
        prop_assert!((p_of(&reversed) - j.p()).abs() < 1e-12);
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

// ---- graph-shaped cases ------------------------------------------------------------------
//
// Small cases with the shapes the engine has to get right: `part_of` trees, claimed links of
// several relations (some doubted), "possibly same as" pairs, exclusive sets (never an actor
// with its declared ancestor), dependence families, echoes whose origins are present or set
// aside, denials, several incidents and every likelihood scale.

use crate::assess::Removal;
use crate::assess::{Judgement, judgement_of, judgement_without};
use crate::model::{Case, EntityId, IncidentId};
use crate::model::{ClaimId, FamilyId, SourceId};
use crate::reason::{ClaimIndex, Engine, Incremental, Verdict};
use std::collections::BTreeSet;

const ICD: [&str; 7] = [
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
];
const PHIA: [&str; 7] = [
    "remote chance",
    "highly unlikely",
    "unlikely",
    "realistic possibility",
    "likely",
    "highly likely",
    "almost certain",
];

/// A stated likelihood on one of the five scales: (scale, value).
fn likelihood() -> impl Strategy<Value = (u8, u8)> {
    prop_oneof![
        (Just(0u8), 0u8..7),
        (Just(1u8), 0u8..7),
        (Just(2u8), 1u8..99),
        (Just(3u8), 1u8..99),
        (Just(4u8), 1u8..7),
    ]
}

fn likelihood_of((scale, v): (u8, u8)) -> Likelihood {
    match scale {
        0 => Likelihood::Icd(ICD[v as usize].into()),
        1 => Likelihood::Phia(PHIA[v as usize].into()),
        2 => Likelihood::Probability(f64::from(v) / 100.0),
        3 => Likelihood::Stix(i64::from(v)),
        _ => Likelihood::Admiralty(i64::from(v)),
    }
}

/// A source: grade 0–5 (A–F), family 0–2 or none (3).
type SourceSpec = (u8, u8);
/// A claim on responsibility: incident, actor, source, likelihood, confidence (0–3, 3 unstated),
/// self-claim, restated claim (an earlier one, or none).
type RespSpec = (u8, u8, u8, (u8, u8), u8, bool, Option<u8>);
/// A claimed link: from (a later actor), to (an earlier one), relation, source, likelihood.
type LinkSpec = (u8, u8, u8, u8, (u8, u8));

#[derive(Debug, Clone)]
struct Graph {
    actors: usize,
    /// For actor i > 0, maybe a declared whole among the actors before it.
    parents: Vec<Option<u8>>,
    incidents: usize,
    sources: Vec<SourceSpec>,
    claims: Vec<RespSpec>,
    links: Vec<LinkSpec>,
    /// "Possibly same as" pairs: (a, b, source, likelihood).
    same: Vec<(u8, u8, u8, (u8, u8))>,
    /// Exclusive pairs: (incident, a, b).
    exclusive: Vec<(u8, u8, u8)>,
    /// Claims set aside by the scenario (so that some echoes lose their origins).
    removed: Vec<u8>,
    /// A line of evidence (family `f0`–`f2`) set aside by the scenario, with what restates it.
    aside_line: Option<u8>,
}

fn graph() -> impl Strategy<Value = Graph> {
    (2usize..7, 1usize..3, 1usize..5).prop_flat_map(|(actors, incidents, sources)| {
        let n = actors as u8;
        (
            proptest::collection::vec(proptest::option::weighted(0.6, 0u8..8), actors),
            proptest::collection::vec((0u8..6, 0u8..4), sources),
            proptest::collection::vec(
                (
                    0..incidents as u8,
                    0..n,
                    0u8..8,
                    likelihood(),
                    0u8..4,
                    proptest::bool::weighted(0.15),
                    proptest::option::weighted(0.25, 0u8..16),
                ),
                0..9,
            ),
            proptest::collection::vec((0..n, 0..n, 0u8..4, 0u8..8, likelihood()), 0..4),
            proptest::collection::vec((0..n, 0..n, 0u8..8, likelihood()), 0..2),
            proptest::collection::vec((0..incidents as u8, 0..n, 0..n), 0..3),
            (
                proptest::collection::vec(0u8..16, 0..2),
                proptest::option::weighted(0.3, 0u8..3),
            ),
        )
            .prop_map(
                move |(parents, sources, claims, links, same, exclusive, (removed, aside_line))| {
                    Graph {
                        actors,
                        parents: parents
                            .into_iter()
                            .enumerate()
                            .map(|(i, p)| p.filter(|_| i > 0).map(|p| p % i as u8))
                            .collect(),
                        incidents,
                        sources,
                        claims,
                        links,
                        same,
                        exclusive,
                        removed,
                        aside_line,
                    }
                },
            )
    })
}

/// A claim of the generated case, without a confidence or origins.
fn claim_file(
    id: String,
    source: String,
    subject: String,
    relation: Relation,
    object: String,
    l: (u8, u8),
) -> ClaimFile {
    ClaimFile {
        id,
        source,
        date: None,
        subject,
        relation,
        object: Some(object),
        wording: None,
        likelihood: Some(likelihood_of(l)),
        confidence: None,
        url: None,
        derived_from: vec![],
        note: None,
    }
}

impl Graph {
    fn declared_ancestor(&self, a: usize, b: usize) -> bool {
        let mut x = a;
        while let Some(p) = self.parents[x] {
            if p as usize == b {
                return true;
            }
            x = p as usize;
        }
        false
    }

    /// The case file; `extra` claims are appended (by a source of their own when they name one
    /// past the sources).
    fn file(&self, extra: &[ClaimFile], extra_sources: &[SourceFile]) -> CaseFile {
        let actor = |i: usize| format!("a{i}");
        let mut claims = self.claim_files();
        claims.extend_from_slice(extra);
        let mut sources = self.source_files();
        sources.extend_from_slice(extra_sources);
        let exclusive = self.exclusive_sets();
        CaseFile {
            title: "graph".into(),
            actors: (0..self.actors)
                .map(|i| ActorFile {
                    id: actor(i),
                    name: format!("A{i}"),
                    kind: ActorKind::Agency,
                    aliases: vec![],
                    part_of: self.parents[i].map(|p| actor(p as usize)),
                    description: None,
                })
                .collect(),
            incidents: (0..self.incidents)
                .map(|i| IncidentFile {
                    id: format!("x{i}"),
                    name: format!("X{i}"),
                    aliases: vec![],
                    start: None,
                    end: None,
                    victim: None,
                    description: None,
                    references: vec![],
                })
                .collect(),
            sources,
            claims,
            exclusive,
            ..Default::default()
        }
    }

    /// Attributions and claims of responsibility, then links, then possible identities.
    fn claim_files(&self) -> Vec<ClaimFile> {
        let confs = [Confidence::Low, Confidence::Moderate, Confidence::High];
        let actor = |i: usize| format!("a{i}");
        let src = |i: u8| format!("s{}", i as usize % self.sources.len());
        let mut claims: Vec<ClaimFile> = Vec::new();
        for (k, &(inc, a, s, l, conf, own, derived)) in self.claims.iter().enumerate() {
            let (subject, relation, object) = if own {
                (
                    actor(a as usize),
                    Relation::ClaimsResponsibility,
                    format!("x{inc}"),
                )
            } else {
                (format!("x{inc}"), Relation::AttributedTo, actor(a as usize))
            };
            let derived = derived
                .filter(|_| k > 0)
                .map(|d| vec![format!("c{}", d as usize % k)])
                .unwrap_or_default();
            claims.push(ClaimFile {
                confidence: confs.get(conf as usize).copied(),
                derived_from: derived,
                ..claim_file(format!("c{k}"), src(s), subject, relation, object, l)
            });
        }
        let relations = [
            Relation::PartOf,
            Relation::SubordinateOf,
            Relation::OperatedBy,
            Relation::SponsoredBy,
        ];
        for (k, &(a, b, rel, s, l)) in self.links.iter().enumerate() {
            let (hi, lo) = (a.max(b) as usize, a.min(b) as usize);
            if hi == lo {
                continue;
            }
            claims.push(claim_file(
                format!("l{k}"),
                src(s),
                actor(hi),
                relations[rel as usize],
                actor(lo),
                l,
            ));
        }
        for (k, &(a, b, s, l)) in self.same.iter().enumerate() {
            if a != b {
                claims.push(claim_file(
                    format!("p{k}"),
                    src(s),
                    actor(a as usize),
                    Relation::PossiblySameAs,
                    actor(b as usize),
                    l,
                ));
            }
        }
        claims
    }

    fn source_files(&self) -> Vec<SourceFile> {
        let grades = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E, Grade::F];
        self.sources
            .iter()
            .enumerate()
            .map(|(i, &(g, f))| SourceFile {
                id: format!("s{i}"),
                name: format!("S{i}"),
                kind: SourceKind::Government,
                reliability: Some(grades[g as usize]),
                track_record: None,
                family: (f < 3).then(|| format!("f{f}")),
                url: None,
                note: None,
            })
            .collect()
    }

    /// Pairs of distinct actors neither of which is declared part of the other, each pair
    /// once on an incident (a set declared twice is an error, E020).
    fn exclusive_sets(&self) -> Vec<ExclusiveFile> {
        let actor = |i: usize| format!("a{i}");
        let mut exclusive = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for &(inc, a, b) in &self.exclusive {
            let (a, b) = (a as usize, b as usize);
            if a != b
                && !self.declared_ancestor(a, b)
                && !self.declared_ancestor(b, a)
                && seen.insert((inc, a.min(b), a.max(b)))
            {
                exclusive.push(ExclusiveFile {
                    incident: format!("x{inc}"),
                    members: vec![actor(a), actor(b)],
                    note: None,
                });
            }
        }
        exclusive
    }

    fn case(&self, extra: &[ClaimFile], extra_sources: &[SourceFile]) -> Case {
        let v = validate(self.file(extra, extra_sources));
        let errors: Vec<_> = v.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "generated case invalid: {errors:?}");
        v.case.expect("no errors")
    }

    fn scenario(&self, case: &Case) -> Scenario {
        let mut s = Scenario::default();
        for &r in &self.removed {
            if let Some(c) = case.find_claim(&format!("c{}", r as usize % 16)) {
                s.without_claims.insert(c);
            }
        }
        if let Some(f) = self
            .aside_line
            .and_then(|f| case.find_family(&format!("f{f}")))
        {
            s.without_families.insert(f);
        }
        s
    }
}

/// Every judgement on every actor for every incident, keyed by ids (so that two cases with the
/// same ids compare), as exact numbers.
fn all_judgements(case: &Case, scenario: Scenario) -> Vec<(String, String, Judgement)> {
    let engine = Engine::new(case, scenario);
    let mut out = Vec::new();
    for i in 0..case.incidents.len() {
        let result = engine.incident(IncidentId(i as u32));
        for a in 0..case.entities.len() {
            out.push((
                case.incidents[i].id.clone(),
                case.entities[a].id.clone(),
                judgement_of(&engine, &result, EntityId(a as u32)),
            ));
        }
    }
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}

fn numbers(j: &Judgement) -> (f64, f64, f64, usize, usize, usize) {
    (j.r, j.s, j.p(), j.lines, j.lines_against, j.strong_lines)
}

/// Model §5's monotonicity between judgements `before` and `after` adding a claim of
/// probability `p` that names `named` on `incident`: support (p ≥ 0.5) lowers no P and a denial
/// raises none, except for actors in an exclusive set on the incident holding an actor the
/// claim reaches (`named`, its wholes, and across "possibly same as" pairs), and their parts.
fn monotone(
    case: &Case,
    (named, incident, p): (EntityId, IncidentId, f64),
    before: &[(String, String, Judgement)],
    after: &[(String, String, Judgement)],
) -> Result<(), TestCaseError> {
    let engine = Engine::new(case, Scenario::default());
    let mut reached: BTreeSet<EntityId> = engine.wholes(named);
    for pair in engine.pairs.iter() {
        if pair.a == named {
            reached.extend(engine.wholes(pair.b));
        }
        if pair.b == named {
            reached.extend(engine.wholes(pair.a));
        }
    }
    let mut exempt: BTreeSet<EntityId> = BTreeSet::new();
    for set in case.exclusive.iter().filter(|s| s.incident == incident) {
        if set.members.iter().any(|m| reached.contains(m)) {
            exempt.extend(set.members.iter().copied());
        }
    }
    let exempt_or_part = |e: EntityId| engine.wholes(e).iter().any(|w| exempt.contains(w));
    for ((inc_id, a, b), (_, _, c)) in before.iter().zip(after) {
        let e = case.find_entity(a).unwrap();
        if *inc_id == case.incident(incident).id && exempt_or_part(e) {
            continue;
        }
        if p >= 0.5 {
            prop_assert!(
                c.p() >= b.p() - 1e-12,
                "support lowered P({a}, {inc_id}): {} -> {}",
                b.p(),
                c.p()
            );
        } else {
            prop_assert!(
                c.p() <= b.p() + 1e-12,
                "a denial raised P({a}, {inc_id}): {} -> {}",
                b.p(),
                c.p()
            );
        }
    }
    Ok(())
}

/// The lines of evidence a hypothesis's sensitivity table has a row for, worked out from the
/// case: those two or more of the `sources` behind it are in, and those of one source whose
/// claim among `claims` a claim of another source restates, at any remove, making the same
/// statement, where setting the line aside reads otherwise than setting the source aside
/// (recomputed in full).
fn expected_lines(
    engine: &Engine<'_>,
    ia: &crate::assess::IncidentAssessment,
    actor: EntityId,
    (claims, sources): (&[ClaimId], &[SourceId]),
) -> BTreeSet<FamilyId> {
    let case = engine.case;
    // A line of evidence has a row when two or more of the sources are in it, or
    // one whose claim behind the judgement a claim of another source restates, at
    // any remove, making the same statement.
    let restated = |c: ClaimId| {
        case.claim_ids().any(|d| {
            let mut origins = case.claim(d).derived_from.clone();
            let mut reached = BTreeSet::new();
            while let Some(o) = origins.pop() {
                if reached.insert(o) {
                    origins.extend(&case.claim(o).derived_from);
                }
            }
            case.claim(d).source != case.claim(c).source
                && case.claim(d).statement.same_as(case.claim(c).statement)
                && reached.contains(&c)
        })
    };
    let lines: BTreeSet<FamilyId> = sources
        .iter()
        .map(|&s| case.source(s).family)
        .filter(|&f| {
            let of = |s: &&SourceId| case.source(**s).family == f;
            sources.iter().filter(of).count() > 1
                || claims
                    .iter()
                    .any(|&c| of(&&case.claim(c).source) && restated(c))
        })
        .collect();
    // A line of one source whose row would repeat the source's has none.
    let p_without = |item: Removal| {
        let j = judgement_of(
            engine,
            &engine.incident_without(ia.incident, &[item]),
            actor,
        );
        (j.p().to_bits(), j.term(), j.confidence())
    };
    lines
        .into_iter()
        .filter(|&f| {
            let mut of = sources.iter().filter(|&&s| case.source(s).family == f);
            match (of.next(), of.next()) {
                (Some(&s), None) => p_without(Removal::Family(f)) != p_without(Removal::Source(s)),
                _ => true,
            }
        })
        .collect()
}

/// A new claim on responsibility by a new source `sx` (grade, family).
fn new_claim(
    g: &Graph,
    inc: u8,
    actor: u8,
    l: (u8, u8),
    conf: u8,
    grade: u8,
    family: u8,
) -> (ClaimFile, SourceFile) {
    let grades = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E, Grade::F];
    let confs = [Confidence::Low, Confidence::Moderate, Confidence::High];
    (
        ClaimFile {
            id: "new".into(),
            source: "sx".into(),
            date: None,
            subject: format!("x{}", inc as usize % g.incidents),
            relation: Relation::AttributedTo,
            object: Some(format!("a{}", actor as usize % g.actors)),
            wording: None,
            likelihood: Some(likelihood_of(l)),
            confidence: confs.get(conf as usize).copied(),
            url: None,
            derived_from: vec![],
            note: None,
        },
        SourceFile {
            id: "sx".into(),
            name: "SX".into(),
            kind: SourceKind::Vendor,
            reliability: Some(grades[grade as usize % 6]),
            track_record: None,
            family: (family < 3).then(|| format!("f{family}")),
            url: None,
            note: None,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// An incident's judgements, made together (where inherited lines start is remembered
    /// from one judgement to the next), are each the judgement made alone.
    #[test]
    fn judgements_made_together_equal_each_made_alone(g in graph()) {
        let case = g.case(&[], &[]);
        let engine = Engine::new(&case, g.scenario(&case));
        for i in 0..case.incidents.len() {
            let ia = crate::assess::assess_incident(&engine, IncidentId(i as u32), &[]);
            for j in &ia.hypotheses {
                prop_assert_eq!(j, &judgement_of(&engine, &ia.derivation, j.actor));
            }
        }
    }

    /// Walks along lines, remembered from one actor to the next (in either order), end where
    /// each walked afresh does: the same last actor, claim, steps and claims crossed.
    #[test]
    fn remembered_walks_equal_walks_made_afresh(g in graph(), backwards in any::<bool>()) {
        let case = g.case(&[], &[]);
        let engine = Engine::new(&case, g.scenario(&case));
        for i in 0..case.incidents.len() {
            let d = engine.incident(IncidentId(i as u32));
            let mut walks = crate::assess::Walks::default();
            let mut actors: Vec<_> = d.fused.keys().copied().collect();
            if backwards {
                actors.reverse();
            }
            for x in actors {
                for l in &d.fused[&x].lines {
                    for (for_side, steps) in [(true, 1), (false, 1), (false, 2)] {
                        let fresh = crate::assess::walked_afresh(&engine, &d, x, l.family, for_side, steps);
                        let got = walks.walked(&engine, &d, x, l.family, for_side, steps);
                        prop_assert_eq!(got, fresh);
                    }
                }
            }
        }
    }

    /// Depths among declared parts, remembered from one actor to the next (in either order),
    /// are each chain of `part_of` counted afresh.
    #[test]
    fn remembered_depths_equal_depths_counted_afresh(g in graph(), backwards in any::<bool>()) {
        let case = g.case(&[], &[]);
        let mut depths = crate::assess::Depths::default();
        let mut actors: Vec<EntityId> = (0..case.entities.len() as u32).map(EntityId).collect();
        if backwards {
            actors.reverse();
        }
        for a in actors {
            let afresh =
                std::iter::successors(case.entity(a).part_of, |&w| case.entity(w).part_of).count();
            prop_assert_eq!(depths.of(&case, a), afresh);
        }
    }

    /// Model §5: for a declared `X part_of Y` (equal priors), P(Y) ≥ P(X), r_Y ≥ r_X and
    /// s_Y ≤ s_X, on every incident.
    #[test]
    fn a_part_is_never_more_likely_than_its_whole(g in graph()) {
        let case = g.case(&[], &[]);
        let all = all_judgements(&case, g.scenario(&case));
        let get = |inc: &str, a: &str| &all.iter().find(|j| j.0 == inc && j.1 == a).unwrap().2;
        for (i, e) in case.entities.iter().enumerate() {
            let Some(p) = e.part_of else { continue };
            for inc in &case.incidents {
                let x = get(&inc.id, &case.entities[i].id);
                let y = get(&inc.id, &case.entity(p).id);
                prop_assert!(y.r >= x.r && y.s <= x.s, "{}: r/s {:?} vs whole {:?}", e.id, (x.r, x.s), (y.r, y.s));
                prop_assert!(y.p() >= x.p() - 1e-12, "{} P {} above its whole's {}", e.id, x.p(), y.p());
            }
        }
    }

    /// Model §5: support from a new source never lowers any P and a denial never raises any,
    /// except for members of an exclusive set holding an actor the support reaches, and their
    /// parts.
    #[test]
    fn support_never_lowers_and_denial_never_raises_any_p(
        g in graph(),
        (inc, actor, l, conf, grade, family) in (0u8..3, 0u8..7, likelihood(), 0u8..4, 0u8..6, 0u8..4),
    ) {
        let case = g.case(&[], &[]);
        let before = all_judgements(&case, g.scenario(&case));
        let (claim, source) = new_claim(&g, inc, actor, l, conf, grade, family);
        let more = g.case(std::slice::from_ref(&claim), &[source]);
        let after = all_judgements(&more, g.scenario(&more));
        let Some(p) = more.claim(more.find_claim("new").unwrap()).probability() else {
            return Ok(()); // Admiralty 6: no likelihood, nothing changes (checked elsewhere)
        };
        let named = more.find_entity(claim.object.as_deref().unwrap()).unwrap();
        let incident = more.find_incident(&claim.subject).unwrap();
        monotone(&more, (named, incident, p), &before, &after)?;
    }

    /// Model §5 with §6: restoring a claim the scenario set aside is adding it, so support never
    /// lowers any P and a denial never raises any, even when a restatement of it stood in for it
    /// meanwhile from a source graded higher, or with a firmer word: the restatement carries no
    /// more than the claim it restates. Nor when the restatement names another actor (a whole
    /// the original's actor is only claimed to be part of, where the original's evidence
    /// arrives discounted): it then stands in for nothing. Nor when the claim restored is the
    /// middle of a chain whose end says what its start says and the middle something else:
    /// the middle carries nothing for the end's statement, so it does not make the end an
    /// echo either. Nor when the restatement also restates a claim set aside throughout: the
    /// restored claim, on the other side or an even chance, took part of the split.
    #[test]
    fn restoring_a_restated_claim_is_monotone(
        g in graph(),
        (inc, actor, l, conf, grade, family) in (0u8..3, 0u8..7, likelihood(), 0u8..4, 0u8..6, 0u8..4),
        (echo_l, echo_grade, echo_family, chain, elsewhere) in (likelihood(), 0u8..6, 0u8..4, any::<bool>(), proptest::option::of(0u8..7)),
        (end_names_original, restore_middle) in (any::<bool>(), any::<bool>()),
        side in proptest::option::of((likelihood(), 0u8..6, 0u8..4)),
        own in proptest::option::of((likelihood(), 0u8..6, 0u8..4)),
    ) {
        // The original, and its restatement (and perhaps a restatement of that) by other sources.
        let (original, source) = new_claim(&g, inc, actor, l, conf, grade, family);
        let named = elsewhere.unwrap_or(actor);
        let (mut echo, mut echo_source) = new_claim(&g, inc, named, echo_l, conf, echo_grade, echo_family);
        echo.id = "echo".into();
        echo.source = "sy".into();
        echo.derived_from = vec!["new".into()];
        echo_source.id = "sy".into();
        echo_source.name = "SY".into();
        let mut claims = vec![original.clone(), echo.clone()];
        if chain {
            let mut again = echo.clone();
            again.id = "again".into();
            again.derived_from = vec!["echo".into()];
            if end_names_original {
                again.object = original.object.clone();
            }
            claims.push(again);
        }
        let mut sources = vec![source, echo_source];
        // Perhaps the end of the chain has a source of its own, stronger or weaker than the
        // middle's, and its own word.
        if let (true, Some((own_l, own_grade, own_family))) = (chain, own) {
            let again = claims.last_mut().unwrap();
            let (with_word, mut own_source) = new_claim(&g, inc, 0, own_l, conf, own_grade, own_family);
            again.likelihood = with_word.likelihood;
            again.source = "sw".into();
            own_source.id = "sw".into();
            own_source.name = "SW".into();
            sources.push(own_source);
        }
        // Perhaps the restatement also restates a claim of its own statement, set aside
        // throughout.
        if let Some((side_l, side_grade, side_family)) = side {
            let (mut other, mut other_source) = new_claim(&g, inc, named, side_l, conf, side_grade, side_family);
            other.id = "side".into();
            other.source = "sz".into();
            other_source.id = "sz".into();
            other_source.name = "SZ".into();
            claims[1].derived_from.push("side".into());
            claims.push(other);
            sources.push(other_source);
        }
        let case = g.case(&claims, &sources);
        let side = case.find_claim("side");
        // Restored: the original, or (the original set aside throughout) its restatement.
        let (restored, mut present) = if restore_middle {
            let mut scenario = g.scenario(&case);
            scenario.without_claims.insert(case.find_claim("new").unwrap());
            (&echo, scenario)
        } else {
            (&original, g.scenario(&case))
        };
        let id = case.find_claim(&restored.id).unwrap();
        let Some(p) = case.claim(id).probability() else {
            return Ok(());
        };
        present.without_claims.retain(|&c| c != id);
        present.without_claims.extend(side);
        let mut aside = present.clone();
        aside.without_claims.insert(id);
        let before = all_judgements(&case, aside);
        let after = all_judgements(&case, present);
        let named = case.find_entity(restored.object.as_deref().unwrap()).unwrap();
        let incident = case.find_incident(&restored.subject).unwrap();
        monotone(&case, (named, incident, p), &before, &after)?;
    }

    /// Model §6: an echo of a claim present, and a repeat within a family, change no number.
    #[test]
    fn echoes_and_repeats_change_nothing(g in graph(), pick in 0usize..16) {
        let case = g.case(&[], &[]);
        let scenario = g.scenario(&case);
        let base = all_judgements(&case, scenario.clone());
        let present: Vec<usize> = (0..case.claims.len())
            .filter(|&i| !scenario.without_claims.contains(&crate::model::ClaimId(i as u32)))
            .collect();
        prop_assume!(!present.is_empty());
        let k = present[pick % present.len()];
        let file = g.file(&[], &[]);
        let original = file.claims.iter().find(|c| c.id == case.claims[k].id).unwrap().clone();
        // An echo: a restatement of a present claim, by a new source.
        let mut echo = original.clone();
        echo.id = "echo".into();
        echo.source = "sx".into();
        echo.derived_from = vec![original.id.clone()];
        let sx = SourceFile {
            id: "sx".into(), name: "SX".into(), kind: SourceKind::Media,
            reliability: Some(Grade::A), track_record: None, family: None, url: None, note: None,
        };
        let with_echo = g.case(&[echo], &[sx]);
        // An echo when the claim it restates is an original; when that one is a restatement,
        // only if the originals at its roots are present too (§6 rule 1): else it is one more
        // stand-in for them.
        let echo_id = with_echo.find_claim("echo").unwrap();
        if case.claims[k].derived_from.is_empty() {
            prop_assert!(g.scenario(&with_echo).is_echo(&with_echo, echo_id));
        } else {
            prop_assume!(g.scenario(&with_echo).is_echo(&with_echo, echo_id));
        }
        let after = all_judgements(&with_echo, g.scenario(&with_echo));
        for (x, y) in base.iter().zip(&after) {
            prop_assert_eq!(numbers(&x.2), numbers(&y.2), "an echo changed {:?}", x.1);
        }
        // A repeat: the same claim by another source of the same family and grade.
        let source = file.sources.iter().find(|s| s.id == original.source).unwrap();
        if source.family.is_some() && original.derived_from.is_empty() {
            let mut twin = source.clone();
            twin.id = "twin".into();
            let mut repeat = original.clone();
            repeat.id = "repeat".into();
            repeat.source = "twin".into();
            let with_repeat = g.case(&[repeat], &[twin]);
            let after = all_judgements(&with_repeat, g.scenario(&with_repeat));
            for (x, y) in base.iter().zip(&after) {
                prop_assert_eq!(numbers(&x.2), numbers(&y.2), "a repeat changed {:?}", x.1);
            }
        }
    }

    /// Model §6: the order of anything in the file changes nothing, byte for byte, in the full
    /// JSON report (explanations and sensitivity included).
    #[test]
    fn the_order_of_the_file_changes_nothing(g in graph(), seed in any::<u64>()) {
        let file = g.file(&[], &[]);
        let mut shuffled = file.clone();
        let mut state = seed | 1;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        fn shuffle<T>(v: &mut [T], next: &mut impl FnMut(usize) -> usize) {
            for i in (1..v.len()).rev() {
                v.swap(i, next(i + 1));
            }
        }
        shuffle(&mut shuffled.actors, &mut next);
        shuffle(&mut shuffled.groups, &mut next);
        shuffle(&mut shuffled.hypotheses, &mut next);
        shuffle(&mut shuffled.incidents, &mut next);
        shuffle(&mut shuffled.sources, &mut next);
        shuffle(&mut shuffled.claims, &mut next);
        shuffle(&mut shuffled.exclusive, &mut next);
        for set in &mut shuffled.exclusive {
            shuffle(&mut set.members, &mut next);
        }
        let render = |file: &CaseFile| {
            let case = validate(file.clone()).case.unwrap();
            let request = crate::assess::Request {
                scenario: g.scenario(&case),
                sensitivity: crate::assess::SensitivityFor::All,
                ..Default::default()
            };
            let assessment = crate::assess::assess_with(&case, request);
            let mut out = Vec::new();
            crate::report::json::render(&case, &assessment, &mut out).expect("into memory");
            out
        };
        prop_assert_eq!(render(&file), render(&shuffled));
    }

    /// What validation takes as judged on an incident (W121 warns only of those) holds every
    /// actor the engine judges there: no part above its whole goes unwarned.
    #[test]
    fn validation_reaches_every_actor_the_engine_judges(g in graph()) {
        let case = g.case(&[], &[]);
        let engine = Engine::new(&case, Scenario::default());
        let mut reach = crate::validate::Reach::new(
            &case.entities, &case.claims, &case.exclusive, &case.hypotheses,
        );
        for i in 0..case.incidents.len() {
            let incident = IncidentId(i as u32);
            let judged = reach.judged(incident);
            for j in crate::assess::assess_incident(&engine, incident, &[]).hypotheses {
                prop_assert!(judged.contains(&j.actor), "{} on {}", case.entity(j.actor).id, i);
            }
        }
    }

    /// The restricted recomputation of sensitivity equals a full recomputation without the
    /// item, for every item behind every hypothesis.
    #[test]
    fn restricted_recomputation_equals_full_recomputation(g in graph()) {
        let case = g.case(&[], &[]);
        let engine = Engine::new(&case, g.scenario(&case));
        for i in 0..case.incidents.len() {
            let incident = IncidentId(i as u32);
            let result = engine.incident(incident);
            for &actor in result.fused.keys() {
                let relevant = engine.relevant(incident, actor);
                let (claims, sources) = engine.behind(&result, actor);
                for item in claims.into_iter().map(Removal::Claim).chain(sources.into_iter().map(Removal::Source)) {
                    let full = judgement_of(&engine, &engine.incident_without(incident, &[item]), actor);
                    let restricted = judgement_without(&engine, incident, actor, item, &relevant);
                    prop_assert_eq!(&full, &restricted, "without {:?}", item);
                }
            }
        }
    }

    /// The incremental replay of a removal (what sensitivity runs) equals a full
    /// recomputation without the item, to the bit: for every claim and every source of the
    /// case (not only those behind some hypothesis), on every actor, the lines (family,
    /// evidence for and against, strong flags) and the sums and strong lines judgements read.
    #[test]
    fn incremental_recomputation_equals_full_recomputation(g in graph()) {
        let case = g.case(&[], &[]);
        replays_equal_full_recomputation(&case, &Engine::new(&case, g.scenario(&case)))?;
    }

    /// Every sensitivity row of the assessment equals the judgement recomputed in full
    /// without its item: the same probability to the bit, term, confidence and change.
    #[test]
    fn sensitivity_rows_equal_full_recomputation(g in graph()) {
        let case = g.case(&[], &[]);
        let scenario = g.scenario(&case);
        let engine = Engine::new(&case, scenario.clone());
        let assessment = crate::assess::assess_with(&case, crate::assess::Request {
            scenario: scenario.clone(),
            sensitivity: crate::assess::SensitivityFor::All,
            ..Default::default()
        });
        for ia in &assessment.incidents {
            for j in &ia.hypotheses {
                let rows = j.sensitivity.as_ref().expect("every judgement has a table");
                let (claims, sources) = engine.behind(&ia.derivation, j.actor);
                let lines = expected_lines(&engine, ia, j.actor, (&claims, &sources));
                prop_assert_eq!(rows.len(), claims.len() + sources.len() + lines.len());
                // The rows are those of the claims, sources and shared lines behind it, each once.
                for item in claims.iter().map(|&c| Removal::Claim(c))
                    .chain(sources.iter().map(|&s| Removal::Source(s)))
                    .chain(lines.iter().map(|&f| Removal::Family(f)))
                {
                    prop_assert_eq!(rows.iter().filter(|r| r.item == item).count(), 1, "{:?}", item);
                }
                for row in rows {
                    // A line's row is the judgement `--without` that line gives: the whole
                    // assessment again with the line set aside by the scenario.
                    if let Removal::Family(f) = row.item {
                        let mut without = scenario.clone();
                        without.without_families.insert(f);
                        let again = crate::assess::assess_with(&case, crate::assess::Request {
                            scenario: without,
                            incident: Some(ia.incident),
                            ..Default::default()
                        });
                        let p = again.incidents.iter()
                            .find(|a| a.incident == ia.incident)
                            .and_then(|a| a.judgement(j.actor))
                            .map(|k| (k.p().to_bits(), k.term(), k.confidence()));
                        // No judgement without it: no evidence, P the prior.
                        let none = (Opinion::from_evidence(0.0, 0.0, j.prior).projected().to_bits(), None, Confidence::Low);
                        prop_assert_eq!(
                            p.unwrap_or(none),
                            (row.p.to_bits(), row.term, row.confidence),
                            "{:?}", row.item
                        );
                    }
                    let full = judgement_of(&engine, &engine.incident_without(ia.incident, &[row.item]), j.actor);
                    prop_assert_eq!(row.p.to_bits(), full.p().to_bits(), "{:?}", row.item);
                    prop_assert_eq!(row.delta.to_bits(), (full.p() - j.p()).to_bits());
                    prop_assert_eq!((row.term, row.confidence), (full.term(), full.confidence()));
                    prop_assert_eq!(row.pivotal, full.term() != j.term() || full.confidence() != j.confidence());
                }
            }
        }
    }

    /// A line of evidence set aside leaves no line of its family anywhere, though a new source
    /// restates one of its claims together with a claim of another line (which that
    /// restatement would stand in for were the line's sources only set aside one by one), and
    /// a second restates the first.
    #[test]
    fn a_line_set_aside_leaves_no_line_behind(g in graph(), pick in 0usize..16, other in 0usize..16, f in 0u8..3) {
        let plain = g.case(&[], &[]);
        let Some(family) = plain.find_family(&format!("f{f}")) else {
            return Ok(());
        };
        let ours: Vec<usize> = (0..plain.claims.len())
            .filter(|&i| plain.source(plain.claims[i].source).family == family)
            .collect();
        prop_assume!(!ours.is_empty());
        let file = g.file(&[], &[]);
        let original = file.claims.iter().find(|c| c.id == plain.claims[ours[pick % ours.len()]].id).unwrap();
        let second = &file.claims[other % file.claims.len()];
        let source = |id: &str| SourceFile {
            id: id.into(), name: id.to_uppercase(), kind: SourceKind::Media,
            reliability: Some(Grade::A), track_record: None, family: None, url: None, note: None,
        };
        let mut e1 = original.clone();
        e1.id = "e1".into();
        e1.source = "sx".into();
        e1.derived_from = vec![original.id.clone(), second.id.clone()];
        e1.derived_from.dedup();
        let mut e2 = original.clone();
        e2.id = "e2".into();
        e2.source = "sy".into();
        e2.derived_from = vec!["e1".into()];
        let case = g.case(&[e1, e2], &[source("sx"), source("sy")]);
        let mut scenario = g.scenario(&case);
        scenario.without_families.insert(family);
        let engine = Engine::new(&case, scenario);
        for i in 0..case.incidents.len() {
            let result = engine.incident(IncidentId(i as u32));
            for (actor, fused) in &result.fused {
                prop_assert!(
                    fused.lines.iter().all(|l| l.family != family),
                    "a line of f{} on {} in {}", f, case.entity(*actor).id, case.incidents[i].id
                );
            }
        }
    }

    /// Model §6: setting aside an echo (weightless: the evidence it restates is all present)
    /// changes no number, even when other claims restate it in turn: they carry the evidence
    /// it restated, which is still present, and so stay echoes.
    #[test]
    fn setting_aside_an_echo_changes_nothing(g in graph(), pick in 0usize..16, which in 0usize..16) {
        // A chain of restatements by new sources, besides those the graph has: e2 restates
        // e1, which restates a claim present.
        let plain = g.case(&[], &[]);
        let scenario = g.scenario(&plain);
        let present: Vec<usize> = (0..plain.claims.len())
            .filter(|&i| !scenario.without_claims.contains(&ClaimId(i as u32)))
            .collect();
        prop_assume!(!present.is_empty());
        let file = g.file(&[], &[]);
        let k = present[pick % present.len()];
        let original = file.claims.iter().find(|c| c.id == plain.claims[k].id).unwrap();
        let source = |id: &str, grade| SourceFile {
            id: id.into(), name: id.to_uppercase(), kind: SourceKind::Media,
            reliability: Some(grade), track_record: None, family: None, url: None, note: None,
        };
        let mut e1 = original.clone();
        e1.id = "e1".into();
        e1.source = "sx".into();
        e1.derived_from = vec![original.id.clone()];
        let mut e2 = original.clone();
        e2.id = "e2".into();
        e2.source = "sy".into();
        e2.derived_from = vec!["e1".into()];
        let case = g.case(&[e1, e2], &[source("sx", Grade::B), source("sy", Grade::A)]);
        let scenario = g.scenario(&case);
        let engine = Engine::new(&case, scenario.clone());
        let echoes: Vec<ClaimId> = (0..case.claims.len() as u32)
            .map(ClaimId)
            .filter(|&c| !scenario.without_claims.contains(&c) && engine.is_echo(c, &[]))
            .collect();
        // e1 restates a claim present: an echo when that claim is an original, and when it is
        // a restatement, only if the originals at its roots are present too (§6 rule 1).
        let e1_echo = echoes.contains(&case.find_claim("e1").unwrap());
        if plain.claims[k].derived_from.is_empty() {
            prop_assert!(e1_echo);
        } else {
            prop_assume!(e1_echo);
        }
        let echo = echoes[which % echoes.len()];
        let base = all_judgements(&case, scenario.clone());
        let mut without = scenario;
        without.without_claims.insert(echo);
        let after = all_judgements(&case, without);
        for (x, y) in base.iter().zip(&after) {
            prop_assert_eq!(
                numbers(&x.2), numbers(&y.2),
                "setting aside echo {} changed {:?}", case.claim(echo).id, x.1
            );
        }
    }

    /// The echoes an assessment reads from the claims are those its derivations set aside.
    #[test]
    fn echoes_read_from_the_claims_are_the_derivations(g in graph()) {
        let case = g.case(&[], &[]);
        let assessment = assess(&case, g.scenario(&case));
        let derived: BTreeSet<ClaimId> = assessment
            .incidents
            .iter()
            .flat_map(|ia| ia.derivation.echoes.iter().copied())
            .collect();
        prop_assert_eq!(assessment.echoes(&case), derived);
    }
}

/// Every removal (each claim, source and line of the case, not only those behind some
/// hypothesis), replayed incrementally as sensitivity does (and replayed as the removal it
/// shares a replay with), equals a full recomputation without it, to the bit, on every actor of
/// every incident: the lines (family, evidence for and against, strong flags) and the sums and
/// strong lines judgements read.
/// Lines of evidence as their bits (family, evidence for and against, strong flags), to be
/// compared exactly.
fn plain(lines: &[crate::assess::Line]) -> Vec<(u32, u64, u64, bool, bool)> {
    (lines.iter())
        .map(|l| {
            (
                l.family.0,
                l.r.to_bits(),
                l.s.to_bits(),
                l.strong_for,
                l.strong_against,
            )
        })
        .collect()
}

fn replays_equal_full_recomputation(
    case: &Case,
    engine: &Engine<'_>,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let index = ClaimIndex::new(engine);
    let items: Vec<Removal> = (0..case.claims.len())
        .map(|c| Removal::Claim(ClaimId(c as u32)))
        .chain((0..case.sources.len()).map(|s| Removal::Source(SourceId(s as u32))))
        .chain((0..case.families.len()).map(|f| Removal::Family(FamilyId(f as u32))))
        .collect();
    fn lines_of(d: &crate::reason::Derivation, actor: EntityId) -> &[crate::assess::Line] {
        d.fused.get(&actor).map_or(&[][..], |f| &f.lines[..])
    }
    for i in 0..case.incidents.len() {
        let incident = IncidentId(i as u32);
        let base = engine.incident(incident);
        let replay = Incremental::new(engine, &index, &base);
        // Each removal, and the removal sensitivity replays in its place.
        for (item, replayed) in items
            .iter()
            .flat_map(|&i| [(i, i), (i, replay.equivalent(i))])
        {
            let full = engine.incident_without(incident, &[item]);
            let changed = replay.without(replayed);
            for actor in (0..case.entities.len()).map(|a| EntityId(a as u32)) {
                let expected = lines_of(&full, actor);
                let got = changed
                    .get(&actor)
                    .map_or_else(|| lines_of(&base, actor), |l| &l[..]);
                prop_assert_eq!(
                    plain(expected),
                    plain(got),
                    "{:?} ({:?}) on {:?}",
                    item,
                    replayed,
                    actor
                );
                let (e, g) = (Verdict::of(expected), Verdict::of(got));
                prop_assert_eq!(
                    (e.r.to_bits(), e.s.to_bits(), e.strong_lines),
                    (g.r.to_bits(), g.s.to_bits(), g.strong_lines)
                );
                if let Some(f) = full.fused.get(&actor) {
                    prop_assert_eq!(
                        (f.r.to_bits(), f.s.to_bits()),
                        (e.r.to_bits(), e.s.to_bits())
                    );
                }
            }
        }
    }
    Ok(())
}

/// The index of originals ([`Case::originals`]) lists what the walk finds for every claim, is
/// refused above its bound, and an engine reading it derives, under every removal, what one
/// walking the chains derives (the one a case too tangled to index gets), to the bit.
fn the_walk_equals_the_index(
    case: &Case,
    indexed: &Engine<'_>,
    walking: &Engine<'_>,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let index = case.originals().expect("a small case is indexed");
    let entries = index.entries();
    for c in (0..case.claims.len()).map(|c| ClaimId(c as u32)) {
        prop_assert_eq!(
            index.of(c),
            &case.missing_roots(c, |_| false)[..],
            "{:?}",
            c
        );
    }
    prop_assert!(case.originals_within(entries).is_some());
    if entries > 0 {
        prop_assert!(case.originals_within(entries - 1).is_none());
    }
    let items = (0..case.claims.len())
        .map(|c| Removal::Claim(ClaimId(c as u32)))
        .chain((0..case.sources.len()).map(|s| Removal::Source(SourceId(s as u32))))
        .chain((0..case.families.len()).map(|f| Removal::Family(FamilyId(f as u32))));
    let removals: Vec<Vec<Removal>> = std::iter::once(vec![])
        .chain(items.map(|i| vec![i]))
        .collect();
    // Each restatement's missing originals, read from the index, from the walk's memo (asked
    // in two orders, so that lists are both kept and read), and walked to the roots.
    for removed in &removals {
        let claims = || (0..case.claims.len()).map(|c| ClaimId(c as u32));
        for c in claims().chain(claims().rev()) {
            let roots = case.missing_roots(c, |o| walking.restated(o, removed));
            prop_assert_eq!(
                &walking.missing(c, removed),
                &roots,
                "{:?} {:?}",
                c,
                removed
            );
            prop_assert_eq!(
                &indexed.missing(c, removed),
                &roots,
                "{:?} {:?}",
                c,
                removed
            );
        }
    }
    for i in 0..case.incidents.len() {
        let incident = IncidentId(i as u32);
        for removed in &removals {
            let (a, b) = (
                indexed.incident_without(incident, removed),
                walking.incident_without(incident, removed),
            );
            prop_assert_eq!(
                (&a.echoes, &a.inert),
                (&b.echoes, &b.inert),
                "{:?}",
                removed
            );
            prop_assert_eq!(a.fused.len(), b.fused.len(), "{:?}", removed);
            for ((x, f), (y, g)) in a.fused.iter().zip(&b.fused) {
                prop_assert_eq!(x, y);
                prop_assert_eq!(plain(&f.lines), plain(&g.lines), "{:?} on {:?}", removed, x);
                prop_assert_eq!(
                    (f.r.to_bits(), f.s.to_bits()),
                    (g.r.to_bits(), g.s.to_bits())
                );
            }
        }
    }
    Ok(())
}

/// A graph's file with what [`Graph`] leaves out and line removals meet: responsibility claims
/// restating two claims, link and pair claims restating responsibility claims (so that setting
/// a line aside touches link claims through the restatements of another line's sources), and
/// dates (a what-if's `as_of` then leaves origins out of the scenario).
/// On `incident`, `removed` replayed under `engine`'s scenario gives every actor the judgement
/// the scenario `without` (the same with the item set aside) gives, to the bit.
fn removal_is_the_what_if(
    case: &Case,
    engine: &Engine<'_>,
    (incident, removed): (IncidentId, Removal),
    without: Scenario,
) -> Result<(), TestCaseError> {
    let aside = Engine::new(case, without);
    let set_aside = aside.incident(incident);
    let replayed = engine.incident_without(incident, &[removed]);
    for actor in (0..case.entities.len()).map(|a| EntityId(a as u32)) {
        let (r, s) = (
            judgement_of(engine, &replayed, actor),
            judgement_of(&aside, &set_aside, actor),
        );
        prop_assert_eq!(
            (r.p().to_bits(), r.term(), r.confidence()),
            (s.p().to_bits(), s.term(), s.confidence()),
            "{:?} on {:?}",
            removed,
            actor
        );
    }
    Ok(())
}

/// Grade `k` of A–F.
fn grade(k: u8) -> crate::model::Reliability {
    let grade = crate::terms::Grade::parse(["A", "B", "C", "D", "E", "F"][k as usize]);
    crate::model::Reliability::Grade(grade.expect("a grade"))
}

fn restating_file(
    g: &Graph,
    second_origins: &[(u8, u8)],
    link_origins: &[(u8, u8)],
    dates: &[u8],
) -> CaseFile {
    let mut file = g.file(&[], &[]);
    let n = g.claims.len();
    let total = file.claims.len();
    let mut restate = |k: usize, o: usize| {
        let origin = format!("c{o}");
        let c = &mut file.claims[k];
        if !c.derived_from.contains(&origin) {
            c.derived_from.push(origin);
        }
    };
    for &(k, o) in second_origins {
        let k = k as usize;
        if k > 0 && k < n {
            restate(k, o as usize % k);
        }
    }
    // The claims after the graph's own are its link and pair claims.
    for &(l, o) in link_origins {
        let k = n + l as usize;
        if n > 0 && k < total {
            restate(k, o as usize % n);
        }
    }
    for (c, &d) in file.claims.iter_mut().zip(dates) {
        if d < 5 {
            c.date = Some(format!("2020-01-0{}", d + 1));
        }
    }
    file
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10000))]
    /// On graphs with restatements across lines, restated link claims, dates and what-ifs
    /// (a date cut, a source set aside, a source re-graded), every removal's incremental
    /// replay equals a full recomputation on every actor, and a line removed equals the
    /// assessment with the line set aside by the what-if.
    #[test]
    fn line_removals_on_graphs_with_restatements_and_what_ifs(
        g in graph(),
        second_origins in proptest::collection::vec((0u8..9, 0u8..16), 0..4),
        link_origins in proptest::collection::vec((0u8..6, 0u8..16), 0..3),
        dates in proptest::collection::vec(0u8..7, 0..16),
        as_of in proptest::option::weighted(0.5, 0u8..5),
        aside in proptest::option::weighted(0.3, 0u8..5),
        regrade in proptest::option::weighted(0.3, (0u8..5, 0u8..6)),
    ) {
        let Some(case) = validate(restating_file(&g, &second_origins, &link_origins, &dates)).case else {
            return Ok(());
        };
        let mut scenario = g.scenario(&case);
        if let Some(d) = as_of {
            scenario.as_of = Some(crate::date::Date::parse(&format!("2020-01-0{}", d + 1)).expect("a date"));
        }
        if let Some(s) = aside.filter(|&s| (s as usize) < case.sources.len()) {
            scenario.without_sources.insert(SourceId(u32::from(s)));
        }
        if let Some((s, k)) = regrade.filter(|&(s, _)| (s as usize) < case.sources.len()) {
            scenario.grades.insert(SourceId(u32::from(s)), grade(k));
        }
        let engine = Engine::new(&case, scenario.clone());
        replays_equal_full_recomputation(&case, &engine)?;
        the_walk_equals_the_index(&case, &engine, &Engine::new(&case, scenario.clone()).walking())?;
        for i in 0..case.incidents.len() {
            let incident = IncidentId(i as u32);
            for f in (0..case.families.len()).map(|f| FamilyId(f as u32)) {
                if scenario.without_families.contains(&f) {
                    continue;
                }
                let mut without = scenario.clone();
                without.without_families.insert(f);
                removal_is_the_what_if(&case, &engine, (incident, Removal::Family(f)), without)?;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// Under a what-if that re-grades a source, re-reads a claim's likelihood and another's
    /// confidence, a claim removed (its sensitivity row) equals the assessment with the claim
    /// set aside by the what-if too, on every actor: a restatement standing in for it carries
    /// no more than it would carry present, re-graded and re-read, either way.
    #[test]
    fn claim_removals_equal_the_what_if_without_the_claim(
        g in graph(),
        second_origins in proptest::collection::vec((0u8..9, 0u8..16), 0..4),
        regrade in (0u8..5, 0u8..6),
        reread in (0u8..16, 1u8..99),
        doubted in (0u8..16, 0u8..3),
    ) {
        let Some(case) = validate(restating_file(&g, &second_origins, &[], &[])).case else {
            return Ok(());
        };
        let mut scenario = g.scenario(&case);
        let (s, k) = regrade;
        if (s as usize) < case.sources.len() {
            scenario.grades.insert(SourceId(u32::from(s)), grade(k));
        }
        let claim = |k: u8| case.find_claim(&format!("c{k}"));
        if let Some(c) = claim(reread.0) {
            let p = f64::from(reread.1) / 100.0;
            scenario.restated.insert(c, (Likelihood::Probability(p), Some(p)));
        }
        if let Some(c) = claim(doubted.0) {
            let level = [Confidence::Low, Confidence::Moderate, Confidence::High][doubted.1 as usize];
            scenario.confidences.insert(c, level);
        }
        let engine = Engine::new(&case, scenario.clone());
        for i in 0..case.incidents.len() {
            let incident = IncidentId(i as u32);
            for c in (0..case.claims.len()).map(|c| ClaimId(c as u32)) {
                if !scenario.admits(&case, c) {
                    continue;
                }
                let mut without = scenario.clone();
                without.without_claims.insert(c);
                removal_is_the_what_if(&case, &engine, (incident, Removal::Claim(c)), without)?;
            }
        }
    }
}
