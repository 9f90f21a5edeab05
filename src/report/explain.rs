//! The audit tree of `attrib explain`: how one hypothesis was derived, claim by claim, and what
//! would change it.

use super::{
    entity_label, incident_label, removal_label, scenario_lines, stated_likelihood, term_with_band,
};
use crate::assess::{CONFLICT_FLAG, IncidentAssessment, Judgement, Sensitivity};
use crate::format::Relation;
use crate::model::{EntityId, Statement};
use crate::reason::{Engine, FamilyTag, IncidentResult, Origin, trust_opinion};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Deepest chain shown; deeper derivations are summarised.
const MAX_DEPTH: usize = 12;

pub fn render(
    engine: &Engine<'_>,
    assessed: &IncidentAssessment,
    judgement: &Judgement,
    sensitivity: &[Sensitivity],
) -> String {
    let case = engine.case;
    let mut out = String::new();
    let j = judgement;
    let _ = writeln!(
        out,
        "Hypothesis: {} carried out {}",
        entity_label(case, j.actor),
        incident_label(case, assessed.incident)
    );
    for line in scenario_lines(case, &engine.scenario) {
        let _ = writeln!(out, "What-if: {line}");
    }
    let o = j.opinion;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Likelihood: {} (P {:.3} = b {:.3} + prior {:.2} × u {:.3})",
        term_with_band(j.term),
        j.p,
        o.belief(),
        j.prior,
        o.uncertainty()
    );
    let _ = writeln!(
        out,
        "Confidence: {} (u {:.3}; {} independent supporting lines, {} from sources rated B or better)",
        j.confidence.word(),
        o.uncertainty(),
        j.lines,
        j.strong_lines
    );
    let _ = writeln!(
        out,
        "Evidence: supporting r {:.3}, opposing s {:.3}{}; degree of conflict {:.3}{}",
        j.r,
        j.s,
        if j.s_exclusive > 0.0 {
            format!(
                " (of which {:.3} from competing exclusive hypotheses)",
                j.s_exclusive
            )
        } else {
            String::new()
        },
        j.conflict,
        if j.conflict > CONFLICT_FLAG {
            " (flagged)"
        } else {
            ""
        }
    );

    let result = &assessed.result;
    if let Some(f) = result.fused.get(&j.actor) {
        let _ = writeln!(
            out,
            "\nLines of evidence (each family counts once, with its strongest share):"
        );
        for l in &f.lines {
            let _ = writeln!(
                out,
                "  {:<16} r {:>7.3}  s {:>7.3}{}",
                case.family(l.family),
                l.r,
                l.s,
                if l.strong { "  (B or better)" } else { "" }
            );
        }
        let _ = writeln!(out, "\nDerivation:");
        let mut seen = BTreeSet::new();
        tree(
            &mut out,
            engine,
            result,
            j.actor,
            &[j.actor],
            "",
            &mut seen,
            0,
        );
    } else {
        let _ = writeln!(
            out,
            "\nNo claim bears on this hypothesis, directly or through a link."
        );
    }

    let echoes: Vec<_> = result
        .echoes
        .iter()
        .filter(|&&c| matches!(case.claim(c).statement, Statement::Responsible { actor, .. } if actor == j.actor))
        .collect();
    if !echoes.is_empty() {
        let _ = writeln!(
            out,
            "\nSet aside as echoes (they restate claims already counted):"
        );
        for &&c in &echoes {
            let claim = case.claim(c);
            let origins: Vec<&str> = claim
                .derived_from
                .iter()
                .map(|o| case.claim(*o).id.as_str())
                .collect();
            let _ = writeln!(
                out,
                "  {} [{}] restates {}",
                claim.id,
                case.source(claim.source).name,
                origins.join(", ")
            );
        }
    }

    let _ = writeln!(
        out,
        "\nSensitivity (the judgement without each claim and source behind it):"
    );
    let _ = writeln!(
        out,
        "  {:<28} {:>9} {:>8}  {:<24} {:<10} pivotal",
        "set aside", "P without", "ΔP", "likelihood without", "confidence"
    );
    for s in sensitivity {
        let _ = writeln!(
            out,
            "  {:<28} {:>9.3} {:>+8.3}  {:<24} {:<10} {}",
            removal_label(case, s.item),
            s.p,
            s.delta,
            s.term.map_or("insufficient evidence", |t| t.word()),
            s.confidence.word(),
            if s.pivotal { "yes" } else { "no" }
        );
    }
    if sensitivity.is_empty() {
        let _ = writeln!(out, "  (no claim or source is behind this hypothesis)");
    } else if sensitivity.iter().any(|s| s.pivotal) {
        let _ = writeln!(
            out,
            "\nPivotal items change the likelihood term or the confidence level on their own."
        );
    } else {
        let _ = writeln!(
            out,
            "\nNo single claim or source changes the likelihood term or the confidence level."
        );
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn tree(
    out: &mut String,
    engine: &Engine<'_>,
    result: &IncidentResult,
    actor: EntityId,
    path: &[EntityId],
    indent: &str,
    seen: &mut BTreeSet<EntityId>,
    depth: usize,
) {
    let case = engine.case;
    let Some(f) = result.fused.get(&actor) else {
        return;
    };
    if depth > MAX_DEPTH || !seen.insert(actor) {
        let _ = writeln!(
            out,
            "{indent}└─ (derivation of {} shown above)",
            case.entity(actor).id
        );
        return;
    }
    let n = f.contributions.len();
    for (i, c) in f.contributions.iter().enumerate() {
        let last = i + 1 == n;
        let (branch, cont) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        let child = format!("{indent}{cont}");
        let families = family_list(engine, &c.families);
        match c.origin {
            Origin::Direct(id) => {
                let claim = case.claim(id);
                let source = case.source(claim.source);
                let reliability = engine
                    .scenario
                    .grades
                    .get(&claim.source)
                    .copied()
                    .unwrap_or(source.reliability);
                let incident = &case.incident(result.incident).id;
                let (subject, object) = if claim.relation == Relation::ClaimsResponsibility {
                    (&case.entity(actor).id, incident)
                } else {
                    (incident, &case.entity(actor).id)
                };
                let line_word = if claim.derived_from.is_empty() {
                    "line"
                } else {
                    "standing in for"
                };
                let _ = writeln!(
                    out,
                    "{indent}{branch}claim {} by {} [{}, {line_word} {}]: {subject} {} {object}",
                    claim.id,
                    source.name,
                    reliability.label(),
                    families,
                    claim.relation.phrase(),
                );
                if let Some(w) = &claim.wording {
                    let _ = writeln!(out, "{child}wording: \"{}\"", super::shorten(w, 160));
                }
                let stated = stated_likelihood(claim);
                let conf = claim.confidence.map_or("unstated (moderate)", |c| c.word());
                let p = claim.probability().unwrap_or(0.5);
                let own = crate::reason::claim_opinion(p, claim.confidence);
                let _ = writeln!(
                    out,
                    "{child}stated: {stated}, confidence {conf} → p {p:.3} → claim opinion {own}"
                );
                let _ = writeln!(
                    out,
                    "{child}discounted by trust P {:.3} → {}  (r {:.3}, s {:.3})",
                    trust_opinion(reliability).projected(),
                    c.opinion,
                    c.r,
                    c.s
                );
                let _ = writeln!(out, "{child}path: {}", path_text(engine, result, path));
            }
            Origin::Chain { .. } | Origin::SameAs { .. } => {
                let (from, step, how) = match c.origin {
                    Origin::Chain { from, link } => {
                        let l = &engine.links[link];
                        let how = if l.structural {
                            "structural part_of (certain)".to_string()
                        } else {
                            format!("link claims {}", claim_ids(engine, &l.claims))
                        };
                        let step =
                            format!("via {} → {}", case.entity(from).id, case.entity(actor).id);
                        (from, step, how)
                    }
                    Origin::SameAs { from, pair } => (
                        from,
                        format!("possibly same as {}", case.entity(from).id),
                        format!("claims {}", claim_ids(engine, &engine.pairs[pair].claims)),
                    ),
                    Origin::Direct(_) => continue,
                };
                let _ = writeln!(
                    out,
                    "{indent}{branch}{step} ({how}) [lines {families}]: {}  (r {:.3}, s {:.3})",
                    c.opinion, c.r, c.s
                );
                let mut p = vec![from];
                p.extend_from_slice(path);
                tree(out, engine, result, from, &p, &child, seen, depth + 1);
            }
        }
    }
}

fn claim_ids(engine: &Engine<'_>, claims: &[crate::model::ClaimId]) -> String {
    claims
        .iter()
        .map(|c| engine.case.claim(*c).id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn path_text(engine: &Engine<'_>, result: &IncidentResult, path: &[EntityId]) -> String {
    let case = engine.case;
    let mut parts = vec![case.incident(result.incident).id.clone()];
    parts.extend(path.iter().map(|e| case.entity(*e).id.clone()));
    parts.join(" → ")
}

fn family_list(engine: &Engine<'_>, tags: &[FamilyTag]) -> String {
    tags.iter()
        .map(|t| engine.case.family(t.family))
        .collect::<Vec<_>>()
        .join(", ")
}
