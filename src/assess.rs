//! Judgements: the propagated evidence worded as ICD 203 asks (model §5b and §7).
//!
//! For every incident, the competing hypotheses are every actor or group with any contribution,
//! every hypothesis the case lists, and every member of an exclusive set. Each gets a likelihood
//! term from its projected probability and, separately, a confidence level from its
//! uncertainty and the independence and quality of its lines of evidence.

use crate::model::{Case, ClaimId, EntityId, IncidentId, Statement};
use crate::opinion::Opinion;
use crate::reason::{Engine, IncidentResult, Origin, Removal, Scenario};
use crate::terms::{Confidence, IcdTerm};
use std::collections::BTreeSet;

/// Above this uncertainty there is no basis for a likelihood: "insufficient evidence".
pub const MAX_UNCERTAINTY_FOR_TERM: f64 = 0.8;
/// Uncertainty at or below which confidence can be high (with two strong lines).
pub const HIGH_CONFIDENCE_UNCERTAINTY: f64 = 0.2;
/// Uncertainty at or below which confidence is at least moderate.
pub const MODERATE_CONFIDENCE_UNCERTAINTY: f64 = 0.5;
/// Degree of conflict above which it is flagged.
pub const CONFLICT_FLAG: f64 = 0.2;

/// One hypothesis "incident I was carried out by X", judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub actor: EntityId,
    /// Base rate used for P.
    pub prior: f64,
    /// Supporting evidence after fusion.
    pub r: f64,
    /// Opposing evidence after fusion, including what competing exclusive hypotheses add.
    pub s: f64,
    /// The part of `s` that comes from competing members of exclusive sets.
    pub s_exclusive: f64,
    pub opinion: Opinion,
    pub p: f64,
    /// `None` when the evidence is insufficient for a likelihood (u > 0.8).
    pub term: Option<IcdTerm>,
    pub confidence: Confidence,
    /// Independent lines (dependence families) with supporting evidence.
    pub lines: usize,
    /// Of those, lines resting on a source rated B or better.
    pub strong_lines: usize,
    /// Degree of conflict between the supporting and the opposing evidence.
    pub conflict: f64,
    /// The claims that carry the judgement, strongest line first (at most three).
    pub carriers: Vec<ClaimId>,
    /// Claims directly against the hypothesis (denials, low likelihoods).
    pub opposing: Vec<ClaimId>,
}

impl Judgement {
    pub fn term_word(&self) -> &'static str {
        self.term.map_or("insufficient evidence", IcdTerm::word)
    }

    /// Orders terms for thresholds: insufficient evidence is below every term.
    pub fn term_rank(&self) -> i32 {
        self.term.map_or(-1, |t| t as i32)
    }
}

/// The judgements on one incident, most probable first.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentAssessment {
    pub incident: IncidentId,
    pub hypotheses: Vec<Judgement>,
    /// Claims that condemn the incident without naming anyone.
    pub condemnations: Vec<ClaimId>,
    pub result: IncidentResult,
}

impl IncidentAssessment {
    pub fn judgement(&self, actor: EntityId) -> Option<&Judgement> {
        self.hypotheses.iter().find(|j| j.actor == actor)
    }
}

/// Every incident of a case, judged under a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub incidents: Vec<IncidentAssessment>,
}

/// Assesses every incident.
pub fn assess(case: &Case, scenario: Scenario) -> Assessment {
    assess_all(&Engine::new(case, scenario))
}

/// Assesses every incident of an engine's case, in incident-id order (not file order).
pub fn assess_all(engine: &Engine<'_>) -> Assessment {
    let case = engine.case;
    let mut ids: Vec<IncidentId> = (0..case.incidents.len())
        .map(|i| IncidentId(i as u32))
        .collect();
    ids.sort_by(|a, b| case.incident(*a).id.cmp(&case.incident(*b).id));
    Assessment {
        incidents: ids
            .into_iter()
            .map(|i| assess_incident(engine, i, &[]))
            .collect(),
    }
}

/// Assesses one incident, with `removed` set aside.
pub fn assess_incident(
    engine: &Engine<'_>,
    incident: IncidentId,
    removed: &[Removal],
) -> IncidentAssessment {
    let case = engine.case;
    let result = engine.incident_without(incident, removed);

    // Candidates: contributions, listed hypotheses, exclusive-set members.
    let mut candidates: BTreeSet<EntityId> = result.fused.keys().copied().collect();
    candidates.extend(
        case.hypotheses
            .iter()
            .filter(|h| h.incident == incident)
            .map(|h| h.actor),
    );
    for set in case.exclusive.iter().filter(|s| s.incident == incident) {
        candidates.extend(set.members.iter().copied());
    }
    let mut hypotheses: Vec<Judgement> = candidates
        .into_iter()
        .map(|actor| judgement_of(engine, &result, actor))
        .collect();
    hypotheses.sort_by(|a, b| {
        b.p.total_cmp(&a.p)
            .then_with(|| case.entity(a.actor).id.cmp(&case.entity(b.actor).id))
    });
    let mut condemnations: Vec<ClaimId> = engine
        .incident_claims(incident)
        .iter()
        .copied()
        .filter(|&c| matches!(case.claim(c).statement, Statement::Condemns { .. }))
        .collect();
    condemnations.sort_by(|a, b| case.claim(*a).id.cmp(&case.claim(*b).id));
    IncidentAssessment {
        incident,
        hypotheses,
        condemnations,
        result,
    }
}

/// The judgement on one hypothesis of a propagated incident: its fused evidence, what
/// competing members of its exclusive sets add against it (§5b), and its base rate.
pub fn judgement_of(engine: &Engine<'_>, result: &IncidentResult, actor: EntityId) -> Judgement {
    let case = engine.case;
    let incident = result.incident;
    let evidence = |x: &EntityId| result.fused.get(x).map_or((0.0, 0.0), |f| (f.r, f.s));
    let (r, s) = evidence(&actor);
    let mut sx = 0.0;
    for set in case
        .exclusive
        .iter()
        .filter(|set| set.incident == incident && set.members.contains(&actor))
    {
        let members: Vec<(f64, f64)> = set.members.iter().map(&evidence).collect();
        let me = set.members.iter().position(|m| *m == actor).unwrap_or(0);
        sx += exclusive_evidence(&members)[me].1 - s;
    }
    let listed_prior = case
        .hypotheses
        .iter()
        .find(|h| h.incident == incident && h.actor == actor)
        .and_then(|h| h.prior);
    let prior = engine.scenario.prior.or(listed_prior).unwrap_or(case.prior);
    judge(engine, result, actor, r, s + sx, sx, prior)
}

/// Mutually exclusive hypotheses (model §5b): each member keeps its supporting evidence `r_i`
/// and gains the others' support as opposing evidence, `s_i + Σ_{j≠i} r_j`.
pub fn exclusive_evidence(members: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let total: f64 = members.iter().map(|m| m.0).sum();
    members.iter().map(|&(r, s)| (r, s + total - r)).collect()
}

#[allow(clippy::too_many_arguments)]
fn judge(
    engine: &Engine<'_>,
    result: &IncidentResult,
    actor: EntityId,
    r: f64,
    s: f64,
    s_exclusive: f64,
    prior: f64,
) -> Judgement {
    let opinion = Opinion::from_evidence(r, s, prior);
    let p = opinion.projected();
    let u = opinion.uncertainty();
    let term = (u <= MAX_UNCERTAINTY_FOR_TERM).then(|| IcdTerm::from_probability(p));
    let fused = result.fused.get(&actor);
    let (lines, strong_lines) = fused.map_or((0, 0), |f| {
        let supporting = f.lines.iter().filter(|l| l.r > 0.0);
        (
            supporting.clone().count(),
            supporting.filter(|l| l.strong).count(),
        )
    });
    let confidence = if u <= HIGH_CONFIDENCE_UNCERTAINTY && strong_lines >= 2 {
        Confidence::High
    } else if u <= MODERATE_CONFIDENCE_UNCERTAINTY {
        Confidence::Moderate
    } else {
        Confidence::Low
    };
    let supporting = Opinion::from_evidence(r, 0.0, prior);
    let opposing = Opinion::from_evidence(0.0, s, prior);
    let conflict = supporting.conflict(&opposing);
    Judgement {
        actor,
        prior,
        r,
        s,
        s_exclusive,
        opinion,
        p,
        term,
        confidence,
        lines,
        strong_lines,
        conflict,
        carriers: carriers(engine, result, actor),
        opposing: fused.map_or_else(Vec::new, |f| {
            f.contributions
                .iter()
                .filter_map(|c| match c.origin {
                    Origin::Direct(id) if c.s > c.r => Some(id),
                    _ => None,
                })
                .collect()
        }),
    }
}

/// The claims that carry a hypothesis: for each supporting line of evidence, strongest line
/// first, the claim that gave that line its share (for a chain or same-as contribution, the
/// link's own claims). At most three.
fn carriers(engine: &Engine<'_>, result: &IncidentResult, actor: EntityId) -> Vec<ClaimId> {
    let mut out: Vec<ClaimId> = Vec::new();
    let Some(f) = result.fused.get(&actor) else {
        return out;
    };
    let mut lines: Vec<&crate::reason::Line> = f.lines.iter().filter(|l| l.r > 0.0).collect();
    lines.sort_by(|a, b| b.r.total_cmp(&a.r));
    for line in lines {
        // The first contribution (canonical order) whose share made this line's maximum.
        let Some(c) = f.contributions.iter().find(|c| {
            c.families.iter().any(|t| t.family == line.family)
                && c.r / c.families.len().max(1) as f64 >= line.r - 1e-12
        }) else {
            continue;
        };
        match c.origin {
            Origin::Direct(id) => push_unique(&mut out, id),
            Origin::Chain { link, .. } => {
                for &id in &engine.links[link].claims {
                    push_unique(&mut out, id);
                }
            }
            Origin::SameAs { pair, .. } => {
                for &id in &engine.pairs[pair].claims {
                    push_unique(&mut out, id);
                }
            }
        }
        if out.len() >= 3 {
            break;
        }
    }
    out.truncate(3);
    out
}

fn push_unique(v: &mut Vec<ClaimId>, id: ClaimId) {
    if !v.contains(&id) {
        v.push(id);
    }
}

/// The effect of setting one claim or source aside on one hypothesis.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub item: Removal,
    pub p: f64,
    pub delta: f64,
    pub term: Option<IcdTerm>,
    pub confidence: Confidence,
    /// The likelihood term or the confidence level changes without it.
    pub pivotal: bool,
}

/// For every claim and source behind a hypothesis, the judgement without it. Only the
/// incident is recomputed, and only the links and pairs the removal touches are re-fused.
pub fn sensitivity(
    engine: &Engine<'_>,
    assessed: &IncidentAssessment,
    actor: EntityId,
) -> Vec<Sensitivity> {
    let Some(base) = assessed.judgement(actor) else {
        return Vec::new();
    };
    let (claims, sources) = engine.behind(&assessed.result, actor);
    // Only the actors whose evidence can reach this judgement are propagated again: those
    // linked upward to it (or to a competitor in one of its exclusive sets).
    let mut targets = vec![actor];
    for set in engine
        .case
        .exclusive
        .iter()
        .filter(|s| s.incident == assessed.incident && s.members.contains(&actor))
    {
        targets.extend(set.members.iter().copied());
    }
    let relevant = engine.ancestors(&targets);
    let items = claims
        .into_iter()
        .map(Removal::Claim)
        .chain(sources.into_iter().map(Removal::Source));
    items
        .map(|item| {
            let without = engine.incident_restricted(assessed.incident, &[item], Some(&relevant));
            let j = judgement_of(engine, &without, actor);
            Sensitivity {
                item,
                p: j.p,
                delta: j.p - base.p,
                term: j.term,
                confidence: j.confidence,
                pivotal: j.term != base.term || j.confidence != base.confidence,
            }
        })
        .collect()
}

/// The judgement on a hypothesis nothing bears on: no evidence, no term, low confidence.
pub fn vacuous_judgement(actor: EntityId, prior: f64) -> Judgement {
    let opinion = Opinion::vacuous(prior);
    Judgement {
        actor,
        prior,
        r: 0.0,
        s: 0.0,
        s_exclusive: 0.0,
        opinion,
        p: opinion.projected(),
        term: None,
        confidence: Confidence::Low,
        lines: 0,
        strong_lines: 0,
        conflict: 0.0,
        carriers: Vec::new(),
        opposing: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Model §5b: r_NK = 6.8, s_NK = 1.3, r_insider = 0.9, s_insider = 0 →
    /// North Korea (6.8, 2.2), the insider (0.9, 6.8).
    #[test]
    fn exclusive_sets_vector() {
        let out = exclusive_evidence(&[(6.8, 1.3), (0.9, 0.0)]);
        assert!((out[0].0 - 6.8).abs() < 1e-12 && (out[0].1 - 2.2).abs() < 1e-12);
        assert!((out[1].0 - 0.9).abs() < 1e-12 && (out[1].1 - 6.8).abs() < 1e-12);
    }
}
