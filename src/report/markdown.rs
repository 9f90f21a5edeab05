//! Report-ready Markdown that follows ICD 203: one estimative scale (row 1 of the directive's
//! table), likelihood and confidence in separate sentences, the sourcing in a table with a
//! footnote per claim (source, date, wording, URL), the ACH matrix, and a sources section.
//!
//! Sentences name no actor where grammar would want an article ("that this state carried out
//! the incident", under a heading with the name as written), so any name reads right. Every
//! string from the case goes through [`crate::escape::markdown`]; URLs are linked only when
//! they are http(s) or mailto.

use super::ach;
use super::{
    basis_sentence, entity_label, information_date, probability_text, scenario_lines, stance,
    stated_with_confidence, term_with_band, this_kind,
};
use crate::assess::{Assessment, IncidentAssessment, Judgement};
use crate::escape::markdown::{link_target, text as md};
use crate::model::{Case, ClaimId};
use crate::terms::IcdTerm;
use std::io;

/// Writes the whole assessment, one incident at a time, then the sources.
pub fn render(case: &Case, assessment: &Assessment, w: &mut dyn io::Write) -> io::Result<()> {
    let mut cites = Cites::default();
    let notes = super::HypothesisNotes::of(case);
    let tlp = super::tlp_label(case).map(|label| format!("**{label}**\n\n"));
    let mut out = tlp.clone().unwrap_or_default();
    out.push_str(&format!("# Assessment: {}\n\n", md(&case.title)));
    let what_if = scenario_lines(case, &assessment.scenario);
    if !what_if.is_empty() {
        out.push_str(&format!(
            "> **What-if assessment.** Not the case as it stands but under these changes: {}. \
             Every judgement and count below reflects them.\n\n",
            md(&what_if.join("; "))
        ));
    }
    let mut intro = Vec::new();
    if let Some(d) = information_date(case, assessment) {
        intro.push(format!("Information as of {d}."));
    }
    if let Some(a) = &case.analyst {
        intro.push(format!("Analyst: {}.", md(a)));
    }
    let counted = super::counted_claims(case, assessment);
    intro.push(md(&basis_sentence(case, assessment, &counted)));
    out.push_str(&intro.join(" "));
    out.push_str("\n\n");
    if case.incidents.is_empty() {
        out.push_str(&format!("{}\n\n", super::no_incident(case)));
    }
    for ia in assessment.each(case) {
        let ia = &*ia;
        w.write_all(out.as_bytes())?;
        out.clear();
        let incident = case.incident(ia.incident);
        out.push_str(&format!("## {}\n\n", md(&incident.name)));
        let facts = super::incident_facts(incident);
        if !facts.is_empty() {
            out.push_str(&format!("*{}*\n\n", md(&facts.join("; "))));
        }
        if let Some(note) = super::not_begun(case, assessment, ia) {
            out.push_str(&format!("{}\n\n", md(&note)));
        }
        if let Some(d) = &incident.description {
            out.push_str(&format!("{}\n\n", md(d)));
        }
        references(&mut out, &incident.references);
        let (judged, open): (Vec<&Judgement>, Vec<&Judgement>) =
            ia.hypotheses.iter().partition(|j| j.term().is_some());
        if ia.hypotheses.is_empty() {
            out.push_str(&format!("{}\n\n", super::NO_CLAIM));
        }
        for j in judged {
            hypothesis(&mut out, (case, &notes), assessment, ia, j, &mut cites);
        }
        open_hypotheses(&mut out, (case, &notes), ia, &open, &mut cites);
        if !ia.condemnations.is_empty() {
            let who: Vec<String> = ia
                .condemnations
                .iter()
                .map(|c| {
                    format!(
                        "{}{}",
                        md(&case.source(case.claim(*c).source).name),
                        cite(&mut cites, case, *c)
                    )
                })
                .collect();
            out.push_str(&format!(
                "Condemned without naming a perpetrator by: {}.\n\n",
                who.join("; ")
            ));
        }
        matrix(&mut out, case, ia);
    }
    foot(&mut out, case, &counted, &cites, tlp.as_deref());
    w.write_all(out.as_bytes())
}

/// The scales' legend, the sources and the TLP label, if any, after the last incident.
fn foot(out: &mut String, case: &Case, counted: &[ClaimId], cites: &Cites, tlp: Option<&str>) {
    out.push_str(
        "---\n\nLikelihood terms follow ICD 203 (almost no chance 1–5 %, very unlikely 5–20 %, \
         unlikely 20–45 %, roughly even chance 45–55 %, likely 55–80 %, very likely 80–95 %, \
         almost certain 95–99 %; an edge belongs to the band above). Confidence reflects the \
         quality, independence and corroboration of the sourcing, not the likelihood.\n",
    );
    sources(out, case, &cites.list, counted);
    let label = |c: &crate::model::Claim, source: &str| format!("{} ({})", md(&c.id), md(source));
    if let Some(sentence) = super::uncited(case, counted, &cites.list, label) {
        out.push_str(&format!("\n{sentence}\n"));
    }
    if let Some(t) = tlp {
        out.push('\n');
        out.push_str(t);
    }
}

/// Where the incident is documented: a web address as a link, anything else as written.
fn references(out: &mut String, references: &[String]) {
    if references.is_empty() {
        return;
    }
    let items: Vec<String> = references
        .iter()
        .map(|r| match link_target(r) {
            Some(url) => format!("<{url}>"),
            None => md(r),
        })
        .collect();
    out.push_str(&format!("References: {}.\n\n", items.join("; ")));
}

/// The hypotheses the evidence cannot judge, and the claims that name each (a denial is cited
/// even when it leaves its hypothesis uncertain).
fn open_hypotheses(
    out: &mut String,
    (case, notes): (&Case, &super::HypothesisNotes),
    ia: &IncidentAssessment,
    open: &[&Judgement],
    cites: &mut Cites,
) {
    if open.is_empty() {
        return;
    }
    let names: Vec<String> = open
        .iter()
        .map(|j| format!("**{}**", md(&entity_label(case, j.actor))))
        .collect();
    out.push_str(&format!(
        "### No judgement possible\n\nThe evidence is insufficient to judge: {}. {}.\n\n",
        names.join(", "),
        super::capitalised(&super::why_open(open)),
    ));
    let mut items = String::new();
    for j in open {
        let cited = |c| {
            format!(
                "{}{}",
                md(&super::claim_label(case, c)),
                cite(cites, case, c)
            )
        };
        let sentence = super::naming_sentence(j, cited).map(|s| format!(" {s}."));
        let note =
            (notes.get(ia.incident, j.actor)).map(|n| format!(" *Analyst's note:* {}", md(n)));
        if sentence.is_some() || note.is_some() {
            items.push_str(&format!(
                "- {}:{}{}\n",
                md(&entity_label(case, j.actor)),
                sentence.unwrap_or_default(),
                note.unwrap_or_default()
            ));
        }
    }
    if !items.is_empty() {
        out.push_str(&items);
        out.push('\n');
    }
}

/// The claims cited so far, in the order of first citation; `seen` gives a cited claim's
/// footnote number in constant time (a report of a large case cites hundreds of thousands of
/// claims).
#[derive(Default)]
struct Cites {
    list: Vec<ClaimId>,
    seen: rustc_hash::FxHashMap<ClaimId, usize>,
}

/// A footnote reference for a claim, `[^3]`, remembering it for the sources section. Claims are
/// numbered in the order the report first cites them, as footnotes are read: not by their place
/// in the file, which reordering the file would change, and with no id text in the label.
fn cite(cites: &mut Cites, _case: &Case, c: ClaimId) -> String {
    let next = cites.list.len() + 1;
    let n = *cites.seen.entry(c).or_insert_with(|| {
        cites.list.push(c);
        next
    });
    format!("[^{n}]")
}

/// The sources section: every source the report's basis counts (the head's "from 11 sources"),
/// one whose claims are all uncited marked so, then one footnote per cited claim with its
/// source, date, wording and link.
fn sources(out: &mut String, case: &Case, cites: &[ClaimId], counted: &[ClaimId]) {
    if cites.is_empty() && counted.is_empty() {
        return;
    }
    out.push_str("\n## Sources\n\n");
    let cited: std::collections::HashSet<_> = cites.iter().map(|c| case.claim(*c).source).collect();
    let mut by_source: Vec<_> = (cites.iter().chain(counted))
        .map(|c| case.claim(*c).source)
        .collect();
    // Alphabetical as a reader looks one up ("iSIGHT" among the i's), then as written, then
    // the declaration order, so that each source's claims sit together for `dedup`.
    by_source.sort_by(|a, b| {
        let (x, y) = (&case.source(*a).name, &case.source(*b).name);
        (crate::model::name_key(x).cmp(&crate::model::name_key(y)))
            .then_with(|| x.cmp(y))
            .then(a.0.cmp(&b.0))
    });
    by_source.dedup();
    for s in by_source {
        let source = case.source(s);
        let name = md(&source.name);
        let entry = match source.url.as_deref().and_then(link_target) {
            Some(url) => format!("[{name}]({url})"),
            None => name,
        };
        out.push_str(&format!(
            "- {entry}, reliability {}",
            md(&source.reliability.label())
        ));
        if !cited.contains(&s) {
            out.push_str(", none of its claims cited in the text (named below)");
        }
        if let Some(note) = &source.note {
            out.push_str(&format!(". *Analyst's note:* {}", md(note)));
        }
        out.push('\n');
    }
    if !cites.is_empty() {
        out.push('\n');
    }
    for (k, &c) in cites.iter().enumerate() {
        let claim = case.claim(c);
        let source = case.source(claim.source);
        let mut note = format!(
            "[^{}]: {}, {}, claim {}",
            k + 1,
            md(&source.name),
            claim
                .date
                .map_or_else(|| "undated".to_string(), |d| d.to_string()),
            md(&claim.id)
        );
        note.push_str(&super::cited_wording(
            claim.wording.as_deref(),
            md,
            "“",
            "”",
        ));
        match case.claim_url_whose(c) {
            Some((u, whose)) => {
                match link_target(u) {
                    Some(url) => note.push_str(&format!(" <{url}>")),
                    None => note.push_str(&format!(" {}", md(u))),
                }
                if whose {
                    note.push_str(" (the source's address)");
                }
            }
            None => note.push_str(" No URL recorded."),
        }
        if let Some(n) = &claim.note {
            note.push_str(&format!(" Analyst's note: {}", md(n)));
        }
        out.push_str(&note);
        out.push('\n');
    }
}

/// The ACH matrices of an incident: one legend, then each matrix (named by its columns when
/// there are several).
fn matrix(out: &mut String, case: &Case, ia: &IncidentAssessment) {
    let all = ach::matrices(case, ia);
    let shown: Vec<&ach::Matrix> = (all.iter())
        .filter(|m| !m.hypotheses.is_empty() && m.complete && !m.rows.is_empty())
        .collect();
    if shown.is_empty() {
        return;
    }
    out.push_str(
        "### Analysis of competing hypotheses\n\nC consistent (the claim raised the \
         hypothesis), I inconsistent (it lowered it), N neutral (it changes nothing set aside \
         alone: it carries no weight, its line of evidence holds another claim as strong or \
         stronger, or a restatement stands in for it), – not applicable; with the change in P \
         (±0.00: too small to show at two decimals; the letter gives its direction). \
         Diagnosticity is the spread of a claim's effect across the hypotheses; a claim \
         consistent with all of them has none.",
    );
    if shown.len() > 1 {
        out.push_str(&format!(
            " The incident declares {} exclusive sets: a matrix for each.",
            shown.len()
        ));
    }
    out.push_str("\n\n");
    let several = shown.len() > 1;
    for m in shown {
        let names: Vec<String> = (m.hypotheses.iter())
            .map(|a| md(&case.entity(*a).name))
            .collect();
        if several {
            out.push_str(&format!("#### {}\n\n", names.join(" against ")));
        }
        for note in &m.notes {
            out.push_str(&format!("*Analyst's note on the set:* {}\n\n", md(note)));
        }
        out.push_str(&format!(
            "{}\n\n| Claim | {} | Diagnosticity |\n|---|{}---|\n",
            m.columns_sentence(),
            names.join(" | "),
            "---|".repeat(m.hypotheses.len())
        ));
        let rows = (m.rows.iter())
            .map(|r| (md(&case.claim(r.claim).id), &r.cells, r.diagnosticity))
            .chain(m.lines.iter().map(|l| {
                let name = format!("line {} ({} claims)", case.family(l.family), l.claims);
                (md(&name), &l.cells, l.diagnosticity)
            }));
        for (label, cells, diagnosticity) in rows {
            let cells: Vec<String> = cells.iter().map(|c| c.text()).collect();
            out.push_str(&format!(
                "| {label} | {} | {} |\n",
                cells.join(" | "),
                super::ach::diagnosticity_text(diagnosticity),
            ));
        }
        if !m.lines.is_empty() {
            out.push_str(
                "\nA line's row sets the whole line of evidence aside: a line counts its \
                 strongest claim once, so each of two claims as strong is N alone.\n",
            );
        }
        if let Some(note) = m.none_decisive() {
            out.push_str(&format!("\n{note}\n"));
        }
        if let Some(left_out) = m.left_out_sentence() {
            out.push_str(&format!("\n{left_out}\n"));
        }
        out.push('\n');
    }
}

fn hypothesis(
    out: &mut String,
    (case, notes): (&Case, &super::HypothesisNotes),
    assessment: &Assessment,
    ia: &IncidentAssessment,
    j: &Judgement,
    cites: &mut Cites,
) {
    out.push_str(&format!(
        "### {} ({})\n\n",
        md(&case.entity(j.actor).name),
        md(case.entity(j.actor).kind.word())
    ));
    if let Some(aka) = super::entity_aliases_sentence(case, j.actor) {
        out.push_str(&format!("*{}*\n\n", md(&aka)));
    }
    if let Some(note) = notes.get(ia.incident, j.actor) {
        out.push_str(&format!("*Analyst's note:* {}\n\n", md(note)));
    }
    out.push_str(&likelihood_sentence(case, j));
    if let Some(note) = super::above_whole(case, assessment, ia, j) {
        out.push(' ');
        out.push_str(&md(&note));
    }
    out.push_str("\n\n");
    out.push_str(&confidence_paragraph(case, ia, j));
    out.push_str("\n\n");
    let ways = super::Ways::of(case, assessment, ia, j);
    evidence_table(out, case, assessment, ia, j, cites, &ways);
    lines_of_evidence(out, case, ia, j, &ways);
    pivotal(out, case, j);
}

/// Each line for and then against, and where it comes from, as the HTML report lists them.
fn lines_of_evidence(
    out: &mut String,
    case: &Case,
    ia: &IncidentAssessment,
    j: &Judgement,
    ways: &super::Ways,
) {
    let lines = super::lines_listed(case, ia, j, ways);
    if lines.is_empty() {
        return;
    }
    out.push_str("#### Lines of evidence\n\n");
    for l in &lines {
        let (side, weight) = l.side();
        out.push_str(&format!(
            "- {side}, line *{}* ({weight} = {:.2}): {}.\n",
            md(&l.family),
            l.weight,
            md(&l.origin)
        ));
    }
    out.push('\n');
}

/// The claims, sources and lines of evidence without which the likelihood term or the
/// confidence would change: what the judgement hinges on.
fn pivotal(out: &mut String, case: &Case, j: &Judgement) {
    let Some(p) = super::pivotal_evidence(case, j) else {
        return;
    };
    out.push_str("#### Pivotal evidence\n\n");
    if let Some(none) = p.none {
        out.push_str(none);
        out.push_str("\n\n");
    }
    for item in &p.items {
        out.push_str(&format!("- {}.\n", md(item)));
    }
    if !p.items.is_empty() {
        out.push('\n');
    }
    if let Some(note) = p.edge {
        out.push_str(&md(&note));
        out.push_str("\n\n");
    }
}

/// The likelihood judgement, in a sentence of its own (ICD 203 keeps it apart from the
/// confidence): "We judge it **likely** (55–80 %) that this state carried out the incident".
fn likelihood_sentence(case: &Case, j: &Judgement) -> String {
    let band = term_with_band(j.term());
    let band = band
        .split_once(" (")
        .map_or("", |(_, b)| b.trim_end_matches(')'));
    let who = this_kind(case, j.actor);
    let opening = match j.term() {
        Some(IcdTerm::AlmostNoChance) => {
            format!("We judge that there is **almost no chance** ({band}) that {who}")
        }
        Some(IcdTerm::RoughlyEvenChance) => {
            format!("We judge that there is a **roughly even chance** ({band}) that {who}")
        }
        Some(t) => format!("We judge it **{}** ({band}) that {who}", t.word()),
        None => format!("The evidence is insufficient to say whether {who}"),
    };
    format!(
        "{opening} carried out the incident ({}){}.",
        probability_text(j.p()),
        super::only_because(case, j, md)
    )
}

/// The confidence and what it rests on: lines for and against, where borrowed lines against
/// come from, direct opposition, and marked conflict.
fn confidence_paragraph(case: &Case, ia: &IncidentAssessment, j: &Judgement) -> String {
    let mut out = format!(
        "We hold this judgement with **{} confidence**. It rests on {} independent {} of \
         evidence for it and {} against it; {}.",
        j.confidence().word(),
        j.lines,
        if j.lines == 1 { "line" } else { "lines" },
        j.lines_against,
        super::strong_clause(j.strong_lines)
    );
    if let Some(borrowed) = super::borrowed_lines(case, j, md) {
        out.push_str(&format!(" Of the lines against it, {borrowed}."));
    }
    if let Some(shared) = super::shared_way_sentence(case, ia, j, md) {
        out.push(' ');
        out.push_str(&shared);
    }
    if let Some(opposing) = super::opposing_sentence(case, ia, j) {
        out.push(' ');
        out.push_str(&opposing);
    }
    if let Some(note) = super::base_rate_note(j) {
        out.push(' ');
        out.push_str(&note);
    }
    out.push_str(&super::conflict_sentence(j));
    out
}

/// The claims behind a hypothesis, one row each with its citation, stance and wording.
fn evidence_table(
    out: &mut String,
    case: &Case,
    assessment: &Assessment,
    ia: &IncidentAssessment,
    j: &Judgement,
    cites: &mut Cites,
    ways: &super::Ways,
) {
    let claims = assessment.bearings(case, ia, j.actor);
    if claims.is_empty() {
        return;
    }
    out.push_str("| Claim | Source | Grade | Date | Stance | Stated | Wording |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for (c, bearing) in claims {
        let claim = case.claim(c);
        let source = case.source(claim.source);
        out.push_str(&format!(
            "| {}{} | {} | {} | {} | {} | {} | {} |\n",
            md(&claim.id),
            cite(cites, case, c),
            md(&source.name),
            md(&assessment.claim(c).reliability.label()),
            claim
                .date
                .map_or_else(|| "undated".to_string(), |d| d.to_string()),
            md(&stance(case, assessment, j, ways, c, bearing)),
            md(&stated_with_confidence(claim)),
            claim
                .wording
                .as_deref()
                .map(|w| if super::is_summary(w) {
                    md(w)
                } else {
                    format!("“{}”", md(w))
                })
                .unwrap_or_default()
        ));
    }
    out.push('\n');
}
