//! Renderers for judgements: a terminal table, report-ready Markdown, JSON, and the audit tree
//! of `explain`. Each renders into a `String`; the CLI decides where it goes.

pub mod explain;
pub mod json;
pub mod markdown;
pub mod table;

use crate::format::Likelihood;
use crate::model::{Case, Claim, ClaimId, EntityId, IncidentId};
use crate::reason::{Removal, Scenario};
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
        Some((l, _)) => match l {
            Likelihood::Icd(t) => format!("ICD 203 \"{t}\""),
            Likelihood::Phia(t) => format!("PHIA \"{t}\""),
            Likelihood::Probability(p) => format!("probability {p}"),
            Likelihood::Stix(n) => format!("STIX confidence {n}"),
            Likelihood::Admiralty(n) => format!("Admiralty credibility {n}"),
        },
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
    for c in &s.without_claims {
        out.push(format!("without claim {}", case.claim(*c).id));
    }
    for src in &s.without_sources {
        out.push(format!("without source {}", case.source(*src).id));
    }
    for (src, g) in &s.grades {
        out.push(format!(
            "source {} re-graded {}",
            case.source(*src).id,
            g.label()
        ));
    }
    if let Some(d) = s.as_of {
        out.push(format!("only claims made by {d}"));
    }
    if let Some(p) = s.prior {
        out.push(format!("prior {p}"));
    }
    out
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
