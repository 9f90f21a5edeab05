//! Renderers for judgements: a terminal table, report-ready Markdown, JSON, and the audit tree
//! of `explain`.
//!
//! Every renderer reads `(&Case, &Assessment)` and nothing else, and writes into a
//! `&mut dyn io::Write` an incident at a time, so that the output of a large case never sits
//! in memory whole; the CLI hands it a buffered standard output or the temporary file of an
//! atomic write. The text helpers every output shares (labels, plurals, the stated likelihood,
//! the what-if lines) live here.

pub mod diff;
pub mod explain;
pub mod json;
pub mod markdown;
pub mod table;

use crate::assess::{Derivation, Origin, Removal, Scenario};
use crate::assess::{Judgement, trace};
use crate::format::Likelihood;
use crate::model::{Case, Claim, ClaimId, EntityId, FamilyId, IncidentId};
use crate::terms::IcdTerm;

/// "Government of Iran (iran)".
pub fn entity_label(case: &Case, id: EntityId) -> String {
    let e = case.entity(id);
    if e.name == e.id {
        e.id.clone()
    } else {
        format!("{} ({})", e.name, e.id)
    }
}

/// "Cyberattack on Albania's government systems (albania-2022)".
pub fn incident_label(case: &Case, id: IncidentId) -> String {
    let i = case.incident(id);
    format!("{} ({})", i.name, i.id)
}

/// "very likely (80–95 %)".
pub fn term_with_band(term: Option<IcdTerm>) -> String {
    match term {
        None => "insufficient evidence".to_string(),
        Some(t) => {
            let (lo, hi) = t.band();
            format!("{} ({:.0}–{:.0} %)", t.word(), lo * 100.0, hi * 100.0)
        }
    }
}

/// The likelihood as the source stated it, e.g. `Icd("very likely")`.
pub fn stated_likelihood(claim: &Claim) -> String {
    match &claim.likelihood {
        None => "none stated".to_string(),
        Some((l, _)) => likelihood_label(l),
    }
}

/// A likelihood in words with its scale: `ICD 203 "very likely"`, `probability 0.7`.
pub fn likelihood_label(l: &Likelihood) -> String {
    match l {
        Likelihood::Icd(t) => format!("ICD 203 \"{t}\""),
        Likelihood::Phia(t) => format!("PHIA \"{t}\""),
        Likelihood::Probability(p) => format!("probability {p}"),
        Likelihood::Stix(n) => format!("STIX confidence {n}"),
        Likelihood::Admiralty(n) => format!("Admiralty credibility {n}"),
    }
}

/// The likelihood a claim is read at under a scenario: restated (and marked so), or as stated.
pub fn scenario_likelihood(case: &Case, s: &Scenario, id: ClaimId) -> String {
    match s.restated.get(&id) {
        Some((l, _)) => format!("{} (restated)", likelihood_label(l)),
        None => stated_likelihood(case.claim(id)),
    }
}

/// "d7 (US National Security Council)".
pub fn claim_label(case: &Case, id: ClaimId) -> String {
    let c = case.claim(id);
    format!("{} ({})", c.id, case.source(c.source).name)
}

/// "claim d7" / "source nsc".
pub fn removal_label(case: &Case, item: Removal) -> String {
    match item {
        Removal::Claim(c) => format!("claim {}", case.claim(c).id),
        Removal::Source(s) => format!("source {}", case.source(s).id),
    }
}

/// Human description of the what-if scenario in force, one line per change.
pub fn scenario_lines(case: &Case, s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    // By id, so that the order of the file does not show.
    let mut claims: Vec<&str> = s
        .without_claims
        .iter()
        .map(|c| case.claim(*c).id.as_str())
        .collect();
    claims.sort_unstable();
    out.extend(claims.into_iter().map(|c| format!("without claim {c}")));
    let mut sources: Vec<&str> = s
        .without_sources
        .iter()
        .map(|c| case.source(*c).id.as_str())
        .collect();
    sources.sort_unstable();
    out.extend(sources.into_iter().map(|c| format!("without source {c}")));
    for (src, g) in &s.grades {
        out.push(format!(
            "source {} re-graded {}",
            case.source(*src).id,
            g.label()
        ));
    }
    let mut restated: Vec<(&str, String)> = s
        .restated
        .iter()
        .map(|(c, (l, p))| {
            let read = p.map_or_else(|| "no likelihood".to_string(), |p| format!("p {p}"));
            (
                case.claim(*c).id.as_str(),
                format!("{}, read as {read}", likelihood_label(l)),
            )
        })
        .collect();
    restated.sort();
    out.extend(
        restated
            .into_iter()
            .map(|(c, l)| format!("claim {c} restated as {l}")),
    );
    let mut confidences: Vec<(&str, &str)> = s
        .confidences
        .iter()
        .map(|(c, k)| (case.claim(*c).id.as_str(), k.word()))
        .collect();
    confidences.sort();
    out.extend(
        confidences
            .into_iter()
            .map(|(c, k)| format!("claim {c} at {k} confidence")),
    );
    if let Some(d) = s.as_of {
        out.push(format!("only claims made by {d}"));
    }
    if let Some(p) = s.prior {
        out.push(format!("prior {p}"));
    }
    out
}

/// "1 claim", "2 claims": a count with its noun, plural when it is not one.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Truncates long wording for tables, on a character boundary.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Where a line of evidence on `actor` comes from, in words: the claim or competing hypothesis
/// it starts at and the path it took ("claim c3 (Check Point) on hl, through hl → iran").
pub fn line_origin(
    case: &Case,
    result: &Derivation,
    actor: EntityId,
    family: FamilyId,
    for_side: bool,
) -> String {
    let t = trace(result, actor, family, for_side);
    let start = t.path[0];
    let head = match (t.origin, t.claim) {
        (Origin::Competing { from }, _) => format!(
            "the competing hypothesis {}{}",
            entity_label(case, from),
            if start == actor {
                String::new()
            } else {
                format!(" (against {})", case.entity(start).id)
            }
        ),
        (Origin::SameAs { .. }, Some(c)) => format!(
            "claim {} on {}, possibly the same as {}",
            claim_label(case, c),
            case.entity(start).id,
            case.entity(t.path[1]).id
        ),
        (_, Some(c)) if t.path.len() > 1 => {
            format!(
                "claim {} on {}",
                claim_label(case, c),
                case.entity(start).id
            )
        }
        (_, Some(c)) => format!("claim {}", claim_label(case, c)),
        (_, None) => "an unknown origin".to_string(),
    };
    let hops = match t.origin {
        Origin::SameAs { .. } => &t.path[1..],
        _ => &t.path[..],
    };
    if hops.len() <= 1 {
        head
    } else {
        let path: Vec<&str> = hops.iter().map(|e| case.entity(*e).id.as_str()).collect();
        let how = if for_side {
            "through"
        } else {
            "inherited through"
        };
        format!("{head}, {how} {}", path.join(" → "))
    }
}

/// For a verdict with no evidence of its own, why it is what it is: "the competing hypothesis
/// X is supported; opposition to Y, which it is part of". `None` when it has evidence of its
/// own, none at all, or too little for a likelihood.
pub fn borrowed_reason(case: &Case, j: &Judgement) -> Option<String> {
    if !j.only_borrowed() || j.term.is_none() {
        return None;
    }
    let names = |v: &[EntityId]| -> String {
        let labels: Vec<String> = v.iter().map(|e| entity_label(case, *e)).collect();
        match labels.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
        }
    };
    let mut parts = Vec::new();
    if !j.competitors.is_empty() {
        let (noun, verb) = if j.competitors.len() == 1 {
            ("the competing hypothesis", "is")
        } else {
            ("the competing hypotheses", "are")
        };
        parts.push(format!("{noun} {} {verb} supported", names(&j.competitors)));
    }
    if !j.inherited_from.is_empty() {
        parts.push(format!(
            "of opposition to {}, which it is part of or linked to",
            names(&j.inherited_from)
        ));
    }
    Some(parts.join(", and because "))
}
