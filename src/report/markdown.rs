//! Report-ready Markdown that follows ICD 203: one estimative scale (row 1 of the directive's
//! table), likelihood and confidence in separate sentences, and the sourcing in a table.

use super::{entity_label, scenario_lines, stated_likelihood, term_with_band};
use crate::assess::{Assessment, CONFLICT_FLAG, IncidentAssessment, Judgement};
use crate::model::{Case, Statement};
use crate::terms::IcdTerm;
use std::io;

use crate::escape::markdown::text as md;

/// Writes the whole assessment, one incident at a time.
pub fn render(case: &Case, assessment: &Assessment, w: &mut dyn io::Write) -> io::Result<()> {
    let mut out = format!("# Assessment: {}\n\n", md(&case.title));
    let mut intro = Vec::new();
    if let Some(d) = case.as_of {
        intro.push(format!("Information as of {d}."));
    }
    if let Some(a) = &case.analyst {
        intro.push(format!("Analyst: {}.", md(a)));
    }
    intro.push(format!(
        "Based on {} claims from {} sources.",
        case.claims.len(),
        case.sources.len()
    ));
    out.push_str(&intro.join(" "));
    out.push_str("\n\n");
    let what_if = scenario_lines(case, &assessment.scenario);
    if !what_if.is_empty() {
        out.push_str(&format!(
            "This is a what-if assessment: {}.\n\n",
            md(&what_if.join("; "))
        ));
    }
    for ia in &assessment.incidents {
        w.write_all(out.as_bytes())?;
        out.clear();
        let incident = case.incident(ia.incident);
        out.push_str(&format!("## {}\n\n", md(&incident.name)));
        if let Some(d) = &incident.description {
            out.push_str(&format!("{}\n\n", md(d)));
        }
        let (judged, open): (Vec<&Judgement>, Vec<&Judgement>) =
            ia.hypotheses.iter().partition(|j| j.term.is_some());
        for j in judged {
            hypothesis(&mut out, case, assessment, ia, j);
        }
        if !open.is_empty() {
            let names: Vec<String> = open
                .iter()
                .map(|j| md(&entity_label(case, j.actor)))
                .collect();
            out.push_str(&format!(
                "### No judgement possible\n\nThe evidence is insufficient to judge whether {} \
                 carried out the {}: the claims that bear on it leave it almost entirely \
                 uncertain.\n\n",
                join_or(&names),
                md(&lower_first(&incident.name))
            ));
        }
        if !ia.condemnations.is_empty() {
            let who: Vec<String> = ia
                .condemnations
                .iter()
                .map(|c| md(&case.source(case.claim(*c).source).name))
                .collect();
            out.push_str(&format!(
                "Condemned without naming a perpetrator: {}.\n\n",
                who.join("; ")
            ));
        }
    }
    out.push_str(
        "---\n\nLikelihood terms follow ICD 203 (almost no chance 1–5 %, very unlikely 5–20 %, \
         unlikely 20–45 %, roughly even chance 45–55 %, likely 55–80 %, very likely 80–95 %, \
         almost certain 95–99 %). Confidence reflects the quality, independence and \
         corroboration of the sourcing, not the likelihood.\n",
    );
    w.write_all(out.as_bytes())
}

fn hypothesis(
    out: &mut String,
    case: &Case,
    assessment: &Assessment,
    ia: &IncidentAssessment,
    j: &Judgement,
) {
    let actor = case.entity(j.actor);
    let inc = case.incident(ia.incident);
    out.push_str(&format!("### {}\n\n", md(&actor.name)));
    let band = term_with_band(j.term);
    let band = band
        .split_once(" (")
        .map_or("", |(_, b)| b.trim_end_matches(')'));
    let opening = match j.term {
        Some(IcdTerm::AlmostNoChance) => format!("there is **almost no chance** ({band})"),
        Some(IcdTerm::RoughlyEvenChance) => format!("there is a **roughly even chance** ({band})"),
        Some(t) => format!("it **{}** ({band})", t.word()),
        None => "the evidence insufficient to say".to_string(),
    };
    out.push_str(&format!(
        "We judge {opening} that {} was responsible for the {} (P = {:.2}).\n\n",
        md(&actor.name),
        md(&lower_first(&inc.name)),
        j.p
    ));
    out.push_str(&format!(
        "We hold this judgement with **{} confidence**. It rests on {} independent {} of \
         evidence for it and {} against it, {} of them from sources rated B or better.",
        j.confidence.word(),
        j.lines,
        if j.lines == 1 { "line" } else { "lines" },
        j.lines_against,
        j.strong_lines
    ));
    let mut borrowed = Vec::new();
    if j.lines_against_from.competing > 0 {
        let names: Vec<String> = j
            .competitors
            .iter()
            .map(|e| md(&case.entity(*e).name))
            .collect();
        borrowed.push(format!(
            "{} through the competing {} {}",
            j.lines_against_from.competing,
            if names.len() == 1 {
                "hypothesis"
            } else {
                "hypotheses"
            },
            names.join(", ")
        ));
    }
    if j.lines_against_from.inherited > 0 {
        let names: Vec<String> = j
            .inherited_from
            .iter()
            .map(|e| md(&case.entity(*e).name))
            .collect();
        borrowed.push(format!(
            "{} inherited from {}, which it is part of",
            j.lines_against_from.inherited,
            names.join(", ")
        ));
    }
    if !borrowed.is_empty() {
        out.push_str(&format!(
            " Of the lines against it, {}.",
            borrowed.join("; ")
        ));
    }
    if !j.opposing.is_empty() {
        out.push_str(&format!(
            " {} {} against it directly.",
            j.opposing.len(),
            if j.opposing.len() == 1 {
                "claim argues"
            } else {
                "claims argue"
            }
        ));
    }
    if let Some(why) = super::borrowed_reason(case, j) {
        out.push_str(&format!(
            " No evidence bears on it itself: it is {} only because {}.",
            j.term_word(),
            md(&why)
        ));
    }
    if j.conflict > CONFLICT_FLAG {
        out.push_str(&format!(
            " The sources conflict markedly (degree of conflict {:.2}).",
            j.conflict
        ));
    }
    out.push_str("\n\n");
    let (claims, _) = assessment.behind(case, ia, j.actor);
    if claims.is_empty() {
        return;
    }
    out.push_str("| Claim | Source | Grade | Stance | Stated | Wording |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for c in claims {
        let claim = case.claim(c);
        let source = case.source(claim.source);
        let w = assessment.claim(c);
        let stance = if let Some((_, why)) = j.weightless.iter().find(|(w, _)| *w == c) {
            format!("no weight ({})", why.word().replace('_', " "))
        } else {
            match claim.statement {
                Statement::Responsible { actor, .. } if actor == j.actor => {
                    if w.s > w.r {
                        "opposes".to_string()
                    } else if w.r > 0.0 {
                        "supports".to_string()
                    } else {
                        "no weight".to_string()
                    }
                }
                Statement::Responsible { actor, .. } if w.s > w.r => {
                    format!("opposes {}, which it is part of", case.entity(actor).name)
                }
                Statement::Responsible { actor, .. } if j.competitors.contains(&actor) => {
                    format!("supports the competing {}", case.entity(actor).name)
                }
                Statement::Responsible { actor, .. } => {
                    format!("supports via {}", case.entity(actor).name)
                }
                Statement::Link { from, to } | Statement::SameAs { a: from, b: to } => {
                    format!(
                        "link: {} {} {}",
                        case.entity(from).name,
                        claim.relation.phrase(),
                        case.entity(to).name
                    )
                }
                Statement::Condemns { .. } => "condemns".to_string(),
            }
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            md(&claim.id),
            md(&source.name),
            source.reliability.label(),
            md(&stance),
            md(&stated_likelihood(claim)),
            claim
                .wording
                .as_deref()
                .map(|w| format!("\"{}\"", md(w)))
                .unwrap_or_default()
        ));
    }
    out.push('\n');
}

fn join_or(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}

/// "Cyberattack on …" → "cyberattack on …", keeping acronyms ("DDoS …") as written.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => a
            .to_lowercase()
            .chain(std::iter::once(b))
            .chain(chars)
            .collect(),
        _ => text.to_string(),
    }
}
