//! The JSON report of `attrib assess --format json`: every number the table shows, at full
//! precision, the full explanation (lines for and against with where each came from, and every
//! contribution) and the sensitivity of each hypothesis. The schema is documented in
//! `docs/json.md`; `schema` names its version.

use crate::assess::{
    Assessment, CONFLICT_FLAG, Derivation, IncidentAssessment, Judgement, Origin, Removal, Tally,
    trace,
};
use crate::model::{Case, ClaimId, EntityId};
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};
use std::io::{self, Write};

/// The schema version the report names; bumped on any incompatible change (docs/json.md).
pub const SCHEMA: &str = "attrib-assessment/2";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    case: CaseInfo<'a>,
    what_if: Vec<String>,
    incidents: Incidents<'a>,
}

/// The incidents, each turned into its report only as it is written, so that a large case's
/// report never sits in memory whole.
struct Incidents<'a> {
    case: &'a Case,
    assessment: &'a Assessment,
}

impl Serialize for Incidents<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.assessment.count()))?;
        for ia in self.assessment.each(self.case) {
            seq.serialize_element(&incident(self.case, self.assessment, &ia))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct CaseInfo<'a> {
    title: &'a str,
    as_of: Option<String>,
    prior: f64,
}

#[derive(Serialize)]
struct Incident<'a> {
    id: &'a str,
    name: &'a str,
    hypotheses: Vec<Hypothesis<'a>>,
    echoes: Vec<&'a str>,
    condemnations: Vec<&'a str>,
}

#[derive(Serialize)]
struct Hypothesis<'a> {
    actor: &'a str,
    name: &'a str,
    kind: &'static str,
    likelihood: &'static str,
    band: Option<[f64; 2]>,
    confidence: &'static str,
    p: f64,
    belief: f64,
    disbelief: f64,
    uncertainty: f64,
    prior: f64,
    evidence: Evidence,
    lines_for: usize,
    lines_against: usize,
    strong_lines: usize,
    lines_for_from: Tally,
    lines_against_from: Tally,
    competitors: Vec<&'a str>,
    inherited_from: Vec<&'a str>,
    only_because: Option<String>,
    conflict: f64,
    conflict_flagged: bool,
    carriers: Vec<&'a str>,
    opposing: Vec<&'a str>,
    weightless: Vec<Weightless<'a>>,
    explanation: Explanation<'a>,
    sensitivity: Vec<Sensitivity<'a>>,
}

#[derive(Serialize)]
struct Evidence {
    supporting: f64,
    opposing: f64,
    opposing_from_exclusive: f64,
}

#[derive(Serialize)]
struct Weightless<'a> {
    claim: &'a str,
    reason: &'static str,
}

#[derive(Serialize)]
struct Explanation<'a> {
    lines: Vec<Line<'a>>,
    contributions: Vec<Contribution<'a>>,
}

#[derive(Serialize)]
struct Line<'a> {
    family: &'a str,
    supporting: f64,
    opposing: f64,
    strong: bool,
    supporting_from: Option<LineOrigin<'a>>,
    opposing_from: Option<LineOrigin<'a>>,
}

/// Where a line's strongest share starts and the actors it passed through.
#[derive(Serialize)]
struct LineOrigin<'a> {
    kind: &'static str,
    claim: Option<&'a str>,
    competitor: Option<&'a str>,
    path: Vec<&'a str>,
}

#[derive(Serialize)]
struct Contribution<'a> {
    kind: &'static str,
    claim: Option<&'a str>,
    from: Option<&'a str>,
    link_claims: Vec<&'a str>,
    structural: bool,
    belief: f64,
    disbelief: f64,
    uncertainty: f64,
    supporting: f64,
    opposing: f64,
    shares: Vec<Share<'a>>,
}

#[derive(Serialize)]
struct Share<'a> {
    family: &'a str,
    supporting: f64,
    opposing: f64,
    strong: bool,
}

#[derive(Serialize)]
struct Sensitivity<'a> {
    item: &'static str,
    id: &'a str,
    p_without: f64,
    delta_p: f64,
    likelihood_without: &'static str,
    confidence_without: &'static str,
    pivotal: bool,
}

/// Full precision (serde_json writes the shortest text that reads back to the same `f64`),
/// so that other tools can check every number; only a negative zero is written as 0.
fn num(x: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x }
}

fn ids<'a>(case: &'a Case, v: &[EntityId]) -> Vec<&'a str> {
    v.iter().map(|e| case.entity(*e).id.as_str()).collect()
}

/// A line's origin, traced back to where it starts.
fn line_origin<'a>(
    case: &'a Case,
    result: &Derivation,
    actor: EntityId,
    family: crate::model::FamilyId,
    for_side: bool,
) -> LineOrigin<'a> {
    let t = trace(result, actor, family, for_side);
    LineOrigin {
        kind: match t.origin {
            Origin::Direct(_) if t.path.len() > 1 => {
                if for_side {
                    "chain"
                } else {
                    "inherited"
                }
            }
            Origin::Competing { .. } if t.path.len() > 1 => "inherited",
            o => o.kind(),
        },
        claim: t.claim.map(|c| case.claim(c).id.as_str()),
        competitor: match t.origin {
            Origin::Competing { from } => Some(case.entity(from).id.as_str()),
            _ => None,
        },
        path: ids(case, &t.path),
    }
}

/// Writes the report, with the sensitivity tables the assessment holds (an empty table where
/// it holds none).
pub fn render(case: &Case, assessment: &Assessment, out: &mut dyn io::Write) -> io::Result<()> {
    let report = Report {
        schema: SCHEMA,
        case: CaseInfo {
            title: &case.title,
            as_of: super::information_date(case, assessment).map(|d| d.to_string()),
            prior: assessment.scenario.prior.unwrap_or(case.prior),
        },
        what_if: super::scenario_lines(case, &assessment.scenario),
        incidents: Incidents { case, assessment },
    };
    let mut chunked = super::Chunked::new(out);
    let mut ser = serde_json::Serializer::with_formatter(&mut chunked, super::Pretty::default());
    report.serialize(&mut ser)?;
    chunked.write_all(b"\n")?;
    chunked.finish()
}

/// One incident's part of the report.
fn incident<'a>(
    case: &'a Case,
    assessment: &'a Assessment,
    ia: &'a IncidentAssessment,
) -> Incident<'a> {
    let inc = case.incident(ia.incident);
    Incident {
        id: &inc.id,
        name: &inc.name,
        hypotheses: ia
            .hypotheses
            .iter()
            .map(|j| hypothesis(case, assessment, ia, j))
            .collect(),
        echoes: claim_ids(case, &ia.derivation.echoes),
        condemnations: claim_ids(case, &ia.condemnations),
    }
}

fn claim_ids<'a>(case: &'a Case, v: &[ClaimId]) -> Vec<&'a str> {
    v.iter().map(|c| case.claim(*c).id.as_str()).collect()
}

/// One hypothesis of an incident: a field per documented key.
fn hypothesis<'a>(
    case: &'a Case,
    assessment: &'a Assessment,
    ia: &'a IncidentAssessment,
    j: &'a Judgement,
) -> Hypothesis<'a> {
    let e = case.entity(j.actor);
    let fused = ia.derivation.fused.get(&j.actor);
    let lines = fused.map_or_else(Vec::new, |f| {
        f.lines
            .iter()
            .map(|l| line(case, &ia.derivation, j.actor, l))
            .collect()
    });
    let contributions = fused.map_or_else(Vec::new, |f| {
        f.contributions
            .iter()
            .map(|c| contribution(case, assessment, c))
            .collect()
    });
    Hypothesis {
        actor: &e.id,
        name: &e.name,
        kind: e.kind.word(),
        likelihood: j.term_word(),
        band: j.term().map(|t| {
            let (lo, hi) = t.band();
            [lo, hi]
        }),
        confidence: j.confidence().word(),
        p: num(j.p()),
        belief: num(j.opinion().belief()),
        disbelief: num(j.opinion().disbelief()),
        uncertainty: num(j.opinion().uncertainty()),
        prior: j.prior,
        evidence: Evidence {
            supporting: num(j.r),
            opposing: num(j.s),
            opposing_from_exclusive: num(j.s_exclusive),
        },
        lines_for: j.lines,
        lines_against: j.lines_against,
        strong_lines: j.strong_lines,
        lines_for_from: j.lines_for_from,
        lines_against_from: j.lines_against_from,
        competitors: ids(case, &j.competitors),
        inherited_from: ids(case, &j.inherited_from),
        only_because: super::borrowed_reason(case, j),
        conflict: num(j.conflict),
        conflict_flagged: j.conflict > CONFLICT_FLAG,
        carriers: claim_ids(case, &j.carriers),
        opposing: claim_ids(case, &j.opposing),
        weightless: j
            .weightless
            .iter()
            .map(|(c, why)| Weightless {
                claim: case.claim(*c).id.as_str(),
                reason: why.word(),
            })
            .collect(),
        explanation: Explanation {
            lines,
            contributions,
        },
        sensitivity: j
            .sensitivity
            .iter()
            .flatten()
            .map(|s| sensitivity(case, s))
            .collect(),
    }
}

/// A family's line on a hypothesis, each side traced back to where it starts.
fn line<'a>(
    case: &'a Case,
    result: &Derivation,
    actor: EntityId,
    l: &crate::assess::Line,
) -> Line<'a> {
    Line {
        family: case.family(l.family),
        supporting: num(l.r),
        opposing: num(l.s),
        strong: l.strong(),
        supporting_from: (l.r > 0.0).then(|| line_origin(case, result, actor, l.family, true)),
        opposing_from: (l.s > 0.0).then(|| line_origin(case, result, actor, l.family, false)),
    }
}

/// A contribution, with the claims that carried it across a link or a pair.
fn contribution<'a>(
    case: &'a Case,
    assessment: &'a Assessment,
    c: &crate::assess::Contribution,
) -> Contribution<'a> {
    let (claim, link_claims, structural) = match c.origin {
        Origin::Direct(id) => (Some(case.claim(id).id.as_str()), vec![], false),
        Origin::Chain { link: k, .. } | Origin::Inherited { link: k, .. } => {
            let l = &assessment.links[k];
            (None, claim_ids(case, &l.claims), l.structural)
        }
        Origin::SameAs { pair, .. } => {
            (None, claim_ids(case, &assessment.pairs[pair].claims), false)
        }
        Origin::Competing { .. } => (None, vec![], false),
    };
    let opinion = c.opinion(&assessment.claims);
    Contribution {
        kind: c.origin.kind(),
        claim,
        from: c.origin.from().map(|e| case.entity(e).id.as_str()),
        link_claims,
        structural,
        belief: num(opinion.belief()),
        disbelief: num(opinion.disbelief()),
        uncertainty: num(opinion.uncertainty()),
        supporting: num(c.r),
        opposing: num(c.s),
        shares: c
            .shares
            .iter()
            .map(|sh| Share {
                family: case.family(sh.family),
                supporting: num(sh.r),
                opposing: num(sh.s),
                strong: sh.strong,
            })
            .collect(),
    }
}

/// One row of a sensitivity table.
fn sensitivity<'a>(case: &'a Case, s: &crate::assess::Sensitivity) -> Sensitivity<'a> {
    let (item, id) = match s.item {
        Removal::Claim(c) => ("claim", case.claim(c).id.as_str()),
        Removal::Source(src) => ("source", case.source(src).id.as_str()),
    };
    Sensitivity {
        item,
        id,
        p_without: num(s.p),
        delta_p: num(s.delta),
        likelihood_without: s.term.map_or("insufficient evidence", |t| t.word()),
        confidence_without: s.confidence.word(),
        pivotal: s.pivotal,
    }
}
