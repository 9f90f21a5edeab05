//! The JSON report of `attrib assess --format json`: every number the table shows, the full
//! explanation (lines and contributions) and the sensitivity of each hypothesis. The schema is
//! documented in `docs/json.md`; `schema` names its version.

use crate::assess::{Assessment, CONFLICT_FLAG, sensitivity};
use crate::model::Case;
use crate::reason::{Engine, Origin, Removal};
use serde::Serialize;

pub const SCHEMA: &str = "attrib-assessment/1";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    case: CaseInfo<'a>,
    what_if: Vec<String>,
    incidents: Vec<Incident<'a>>,
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
    lines: usize,
    strong_lines: usize,
    conflict: f64,
    conflict_flagged: bool,
    carriers: Vec<&'a str>,
    opposing: Vec<&'a str>,
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
    families: Vec<&'a str>,
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

/// Rounds for a stable, readable file (six decimals is far below any reported precision).
fn r6(x: f64) -> f64 {
    let y = (x * 1e6).round() / 1e6;
    if y == 0.0 { 0.0 } else { y }
}

/// Renders the report; `with_sensitivity` adds the sensitivity table of every hypothesis.
pub fn render(engine: &Engine<'_>, assessment: &Assessment, with_sensitivity: bool) -> String {
    let case: &Case = engine.case;
    let incidents = assessment
        .incidents
        .iter()
        .map(|ia| {
            let inc = case.incident(ia.incident);
            let hypotheses = ia
                .hypotheses
                .iter()
                .map(|j| {
                    let e = case.entity(j.actor);
                    let fused = ia.result.fused.get(&j.actor);
                    let lines = fused.map_or_else(Vec::new, |f| {
                        f.lines
                            .iter()
                            .map(|l| Line {
                                family: case.family(l.family),
                                supporting: r6(l.r),
                                opposing: r6(l.s),
                                strong: l.strong,
                            })
                            .collect()
                    });
                    let contributions = fused.map_or_else(Vec::new, |f| {
                        f.contributions
                            .iter()
                            .map(|c| {
                                let (kind, claim, from, link_claims, structural) = match c.origin {
                                    Origin::Direct(id) => (
                                        "direct",
                                        Some(case.claim(id).id.as_str()),
                                        None,
                                        vec![],
                                        false,
                                    ),
                                    Origin::Chain { from, link } => {
                                        let l = &engine.links[link];
                                        (
                                            "chain",
                                            None,
                                            Some(case.entity(from).id.as_str()),
                                            l.claims
                                                .iter()
                                                .map(|c| case.claim(*c).id.as_str())
                                                .collect(),
                                            l.structural,
                                        )
                                    }
                                    Origin::SameAs { from, pair } => (
                                        "same_as",
                                        None,
                                        Some(case.entity(from).id.as_str()),
                                        engine.pairs[pair]
                                            .claims
                                            .iter()
                                            .map(|c| case.claim(*c).id.as_str())
                                            .collect(),
                                        false,
                                    ),
                                };
                                Contribution {
                                    kind,
                                    claim,
                                    from,
                                    link_claims,
                                    structural,
                                    belief: r6(c.opinion.belief()),
                                    disbelief: r6(c.opinion.disbelief()),
                                    uncertainty: r6(c.opinion.uncertainty()),
                                    supporting: r6(c.r),
                                    opposing: r6(c.s),
                                    families: c
                                        .families
                                        .iter()
                                        .map(|t| case.family(t.family))
                                        .collect(),
                                }
                            })
                            .collect()
                    });
                    let rows = if with_sensitivity {
                        sensitivity(engine, ia, j.actor)
                    } else {
                        Vec::new()
                    };
                    let sens = rows
                        .into_iter()
                        .map(|s| {
                            let (item, id) = match s.item {
                                Removal::Claim(c) => ("claim", case.claim(c).id.as_str()),
                                Removal::Source(src) => ("source", case.source(src).id.as_str()),
                            };
                            Sensitivity {
                                item,
                                id,
                                p_without: r6(s.p),
                                delta_p: r6(s.delta),
                                likelihood_without: s
                                    .term
                                    .map_or("insufficient evidence", |t| t.word()),
                                confidence_without: s.confidence.word(),
                                pivotal: s.pivotal,
                            }
                        })
                        .collect();
                    Hypothesis {
                        actor: &e.id,
                        name: &e.name,
                        kind: e.kind.word(),
                        likelihood: j.term_word(),
                        band: j.term.map(|t| {
                            let (lo, hi) = t.band();
                            [lo, hi]
                        }),
                        confidence: j.confidence.word(),
                        p: r6(j.p),
                        belief: r6(j.opinion.belief()),
                        disbelief: r6(j.opinion.disbelief()),
                        uncertainty: r6(j.opinion.uncertainty()),
                        prior: j.prior,
                        evidence: Evidence {
                            supporting: r6(j.r),
                            opposing: r6(j.s),
                            opposing_from_exclusive: r6(j.s_exclusive),
                        },
                        lines: j.lines,
                        strong_lines: j.strong_lines,
                        conflict: r6(j.conflict),
                        conflict_flagged: j.conflict > CONFLICT_FLAG,
                        carriers: j
                            .carriers
                            .iter()
                            .map(|c| case.claim(*c).id.as_str())
                            .collect(),
                        opposing: j
                            .opposing
                            .iter()
                            .map(|c| case.claim(*c).id.as_str())
                            .collect(),
                        explanation: Explanation {
                            lines,
                            contributions,
                        },
                        sensitivity: sens,
                    }
                })
                .collect();
            Incident {
                id: &inc.id,
                name: &inc.name,
                hypotheses,
                echoes: ia
                    .result
                    .echoes
                    .iter()
                    .map(|c| case.claim(*c).id.as_str())
                    .collect(),
                condemnations: ia
                    .condemnations
                    .iter()
                    .map(|c| case.claim(*c).id.as_str())
                    .collect(),
            }
        })
        .collect();
    let report = Report {
        schema: SCHEMA,
        case: CaseInfo {
            title: &case.title,
            as_of: case.as_of.map(|d| d.to_string()),
            prior: engine.scenario.prior.unwrap_or(case.prior),
        },
        what_if: super::scenario_lines(case, &engine.scenario),
        incidents,
    };
    let mut s = serde_json::to_string_pretty(&report).expect("plain data serialises");
    s.push('\n');
    s
}
