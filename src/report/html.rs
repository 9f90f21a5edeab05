//! A report an analyst can ship: one self-contained HTML file, readable offline and printable.
//!
//! No script, no external style sheet, font or image: the style is inline, the figures are
//! inline SVG, and a Content-Security-Policy meta tag forbids loading anything at all. Per
//! incident it holds the key judgements as ICD 203 sentences (likelihood and confidence never
//! in one sentence), the assessment diagram, per hypothesis the evidence with citations, the
//! lines for and against, the claims set aside and the pivotal ones, the ACH matrix
//! ([`super::ach`]), the timeline ([`super::timeline`]) and, at the end, the bibliography.
//!
//! Every string from the case goes through [`crate::escape::html`]; the diagram, drawn by
//! Graphviz outside the library, through [`crate::escape::svg::sanitize`]. The same input
//! gives the same bytes.

use super::ach::{self, Cell};
use super::timeline::Timeline;
use super::{
    basis_sentence, entity_label, information_date, probability_text, scenario_lines, stance,
    stated_with_confidence, term_with_band, this_kind,
};
use crate::assess::{Assessment, IncidentAssessment, Judgement};
use crate::escape::html::{href, text as h, text_breaking_long_runs as hb};
use crate::export::figure::Shown;
use crate::model::{Case, ClaimId, EntityId, IncidentId};
use crate::terms::IcdTerm;
use std::collections::{BTreeMap, HashMap};
use std::io;

/// How many hypotheses an incident's diagram draws at most, the most probable: a star of
/// sixteen prints its names at 7 points or more on A4 (6.4–6.6 with `part_of` links to a
/// whole among them, which A3 gives room), twenty under it on A4, and hundreds at a point or
/// two, past reading; the text above the diagram judges every hypothesis.
pub const DRAWN_HYPOTHESES: usize = 16;

/// The assessment diagram of an incident, as the binary obtained it.
#[derive(Debug, Clone, PartialEq)]
pub enum Drawing {
    /// SVG as Graphviz wrote it (sanitised here before it is embedded).
    Svg {
        /// The drawing.
        svg: String,
        /// How many of the incident's hypotheses it draws, of how many (it draws the most
        /// probable [`DRAWN_HYPOTHESES`]): the caption says so when some are left out.
        shown: Shown,
    },
    /// No drawing, and why (shown in its place).
    Missing(String),
}

/// What the report holds beyond the case and the assessment: the drawings the binary had
/// Graphviz make, and the timelines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    /// Per incident, its assessment diagram.
    pub drawings: BTreeMap<IncidentId, Drawing>,
    /// Per incident, how its top hypotheses changed over time.
    pub timelines: BTreeMap<IncidentId, Timeline>,
}

/// The Content-Security-Policy of the report: nothing may be loaded or run; only the inline
/// style sheet applies.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; \
                       base-uri 'none'; form-action 'none'";

const STYLE: &str = "\
@page { size: A4; margin: 16mm 14mm; }
html { font: 10.5pt/1.45 Georgia, 'Times New Roman', serif; color: #1a1a1a; }
body { max-width: 48em; margin: 1.5em auto; padding: 0 1em; overflow-wrap: break-word; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
.tlp { display: inline-block; background: #000; padding: 0.1em 0.6em; font: bold 1em monospace;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.tlp-red { color: #ff2b2b; } .tlp-amber, .tlp-amber-strict { color: #ffc000; }
.tlp-green { color: #33ff00; } .tlp-clear { color: #fff; }
h2 { font-size: 1.35em; border-bottom: 1px solid #999; margin-top: 2em; page-break-after: avoid; }
h3 { font-size: 1.1em; margin-top: 1.5em; page-break-after: avoid; }
h4 { font-size: 1em; margin: 1em 0 0.3em; page-break-after: avoid; }
.meta { color: #444; }
.banner { border: 2px solid #b35806; background: #fff3e0; padding: 0.6em 0.9em; margin: 1em 0; }
.banner strong { color: #b35806; }
.key li { margin-bottom: 0.5em; }
figure { margin: 1em 0; page-break-inside: avoid; }
section.timeline { break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { font-size: 0.9em; color: #444; text-align: center; }
ul.legend { list-style: none; padding: 0; margin: 0.4em 0; display: flex; flex-wrap: wrap; justify-content: center; gap: 0.2em 1.4em; font-size: 0.85em; }
figure ul.legend svg { display: inline; vertical-align: middle; margin: 0 0.4em 0 0; }
.missing { border: 1px dashed #999; padding: 1em; color: #444; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; width: 100%; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.4em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
tr { page-break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; }
td.date, td.id, td.term { white-space: nowrap; }
td.text, .long { overflow-wrap: anywhere; }
td.c { background: #e5f5e0; }
td.i { background: #fde0dd; }
td.c.slight { background: #f4fbf2; box-shadow: inset 3px 0 #74c476; }
td.i.slight { background: #fef3f1; box-shadow: inset 3px 0 #fb6a4a; }
td.n { background: #f7f7f7; }
td.na { color: #999; }
q { font-style: italic; }
sup a, a { color: #08519c; }
.small { font-size: 0.85em; color: #444; }
ol.bib li { margin-bottom: 0.3em; word-break: break-word; }
@media print { body { max-width: none; margin: 0; padding: 0; } a { text-decoration: none; } }
@media screen and (max-width: 36em) {
  table { display: block; overflow-x: auto; }
  figure { overflow-x: auto; }
  figure svg { max-width: none; }
}
";

/// Writes the whole report, one incident at a time. The summary of a report of several
/// incidents reads them all before the first is written: an assessment held (`assess_with`,
/// as `attrib report` makes) is read twice, a streamed one assessed twice.
pub fn render(
    case: &Case,
    assessment: &Assessment,
    extras: &Extras,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let mut cites = Citations::default();
    let notes = super::HypothesisNotes::of(case);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>Assessment: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        h(&case.title)
    ));
    let tlp = super::tlp_label(case).map(|label| {
        // FIRST's TLP 2.0 colours, on black; the class is the level's word.
        let class = case.tlp.unwrap_or_default().replace('+', "-");
        format!(
            "<p class=\"tlp tlp-{class}\" role=\"note\">{}</p>\n",
            h(&label)
        )
    });
    out.push_str(tlp.as_deref().unwrap_or_default());
    out.push_str(&format!("<h1>Assessment: {}</h1>\n", h(&case.title)));
    let what_if = scenario_lines(case, &assessment.scenario);
    if !what_if.is_empty() {
        out.push_str(
            "<div class=\"banner\" role=\"note\"><strong>What-if assessment.</strong> This is \
             not the assessment of the case as it stands but under these changes:<ul>",
        );
        for l in &what_if {
            out.push_str(&format!("<li>{}</li>", h(l)));
        }
        out.push_str("</ul>Every judgement, count, matrix and chart below reflects them.</div>\n");
    }
    let mut meta = Vec::new();
    if let Some(d) = information_date(case, assessment) {
        meta.push(format!("Information as of {d}."));
    }
    if let Some(a) = &case.analyst {
        meta.push(format!("Analyst: {}.", h(a)));
    }
    let counted = super::counted_claims(case, assessment);
    meta.push(h(&basis_sentence(case, assessment, &counted)));
    out.push_str(&format!("<p class=\"meta\">{}</p>\n", meta.join(" ")));
    if let Some(d) = &case.description {
        out.push_str(&format!("<p>{}</p>\n", h(d)));
    }
    if case.incidents.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", super::no_incident(case)));
    }
    out.push_str(
        "<p class=\"small\">Likelihood terms follow ICD 203 (almost no chance 1–5 %, very \
         unlikely 5–20 %, unlikely 20–45 %, roughly even chance 45–55 %, likely 55–80 %, very \
         likely 80–95 %, almost certain 95–99 %; an edge belongs to the band above). Confidence \
         reflects the quality, independence and corroboration of the sourcing, not the \
         likelihood, and is stated in a sentence of its own.</p>\n",
    );
    summary(&mut out, case, assessment);
    for ia in assessment.each(case) {
        w.write_all(out.as_bytes())?;
        out.clear();
        incident(
            &mut out,
            (case, &notes),
            assessment,
            extras,
            &ia,
            &mut cites,
        );
    }
    bibliography(&mut out, case, &counted, &cites);
    out.push_str(tlp.as_deref().unwrap_or_default());
    out.push_str("</body>\n</html>\n");
    w.write_all(out.as_bytes())
}

/// For a report of two incidents or more, a table before them: each incident (a link to its
/// section) with its most probable judged hypothesis, likelihood, confidence and P, so that a
/// reader of many pages sees every answer first. A report of one incident opens on its key
/// judgements, which say it already.
fn summary(out: &mut String, case: &Case, assessment: &Assessment) {
    let rows: Vec<String> = (assessment.each(case))
        .map(|ia| {
            let name = format!(
                "<a href=\"#incident-{}\">{}</a>",
                ia.incident.index(),
                h(&case.incident(ia.incident).name)
            );
            match ia.hypotheses.iter().find(|j| j.term().is_some()) {
                Some(j) => {
                    let prior = if super::mostly_prior(j.prior, j.opinion(), j.term()) {
                        " (mostly the prior)"
                    } else {
                        ""
                    };
                    format!(
                        "<tr><td>{name}</td><td>{}</td><td class=\"term\">{}{prior}</td>\
                         <td>{}</td><td class=\"num\">{}</td></tr>\n",
                        h(&entity_label(case, j.actor)),
                        super::term_with_band(j.term()),
                        j.confidence().word(),
                        super::probability_figure(j.p())
                    )
                }
                None => format!(
                    "<tr><td>{name}</td><td colspan=\"4\">{}</td></tr>\n",
                    if ia.hypotheses.is_empty() {
                        "No claim names anyone yet."
                    } else {
                        "No hypothesis can be judged: the evidence is insufficient."
                    }
                ),
            }
        })
        .collect();
    if rows.len() < 2 {
        return;
    }
    out.push_str(
        "<h2>Summary</h2>\n<p class=\"small\">The most probable hypothesis judged on each \
         incident; each section below gives every judgement and what it rests on.</p>\n\
         <table class=\"summary\">\n<tr><th>Incident</th><th>Most probable</th>\
         <th>Likelihood</th><th>Confidence</th><th>P</th></tr>\n",
    );
    for row in rows {
        out.push_str(&row);
    }
    out.push_str("</table>\n");
}

/// Claims cited so far, numbered in order of first citation.
#[derive(Default)]
struct Citations {
    order: Vec<ClaimId>,
    /// Each cited claim's number, so that citing is not a search of every claim cited before.
    number: HashMap<ClaimId, usize>,
}

impl Citations {
    /// The citation mark for a claim: a superscript link to its bibliography entry.
    fn cite(&mut self, c: ClaimId) -> String {
        let next = self.order.len() + 1;
        let n = *self.number.entry(c).or_insert(next);
        if n == next {
            self.order.push(c);
        }
        format!("<sup><a href=\"#ref-{n}\">[{n}]</a></sup>")
    }
}

/// One incident's section: what is known of it, the key judgements, the diagram, then each
/// judged hypothesis, the ACH matrix and the timeline.
fn incident(
    out: &mut String,
    (case, notes): (&Case, &super::HypothesisNotes),
    assessment: &Assessment,
    extras: &Extras,
    ia: &IncidentAssessment,
    cites: &mut Citations,
) {
    let inc = case.incident(ia.incident);
    let anchor = ia.incident.index();
    out.push_str(&format!(
        "<section id=\"incident-{anchor}\">\n<h2>{}</h2>\n",
        h(&inc.name)
    ));
    let facts = super::incident_facts(inc);
    if !facts.is_empty() {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", h(&facts.join("; "))));
    }
    if let Some(note) = super::not_begun(case, assessment, ia) {
        out.push_str(&format!("<p class=\"banner\">{}</p>\n", h(&note)));
    }
    if let Some(d) = &inc.description {
        out.push_str(&format!("<p>{}</p>\n", h(d)));
    }
    references(out, &inc.references);
    let (judged, open): (Vec<&Judgement>, Vec<&Judgement>) =
        ia.hypotheses.iter().partition(|j| j.term().is_some());
    key_judgements(out, (case, notes), ia, (&judged, &open), cites);
    figure(out, extras, ia);
    for j in &judged {
        hypothesis(out, (case, notes), assessment, ia, j, cites);
    }
    matrix(out, case, ia);
    if let Some(t) = extras.timelines.get(&ia.incident) {
        timeline(out, case, t);
    }
    out.push_str("</section>\n");
}

/// Where the incident is documented: each reference linked when it is a web address, shown as
/// written otherwise (a report number, a citation).
fn references(out: &mut String, references: &[String]) {
    if references.is_empty() {
        return;
    }
    let items: Vec<String> = references
        .iter()
        .map(|r| match href(r) {
            Some(link) => format!("<a href=\"{link}\">{}</a>", h(r.trim())),
            None => h(r),
        })
        .collect();
    out.push_str(&format!(
        "<p class=\"small\">References: {}.</p>\n",
        items.join("; ")
    ));
}

/// The key judgements: one sentence of likelihood and one of confidence per judged
/// hypothesis, those that cannot be judged, and who condemned the incident.
fn key_judgements(
    out: &mut String,
    (case, notes): (&Case, &super::HypothesisNotes),
    ia: &IncidentAssessment,
    (judged, open): (&[&Judgement], &[&Judgement]),
    cites: &mut Citations,
) {
    out.push_str("<h3>Key judgements</h3>\n<ul class=\"key\">\n");
    for j in judged {
        let edge = super::edge_sentence(case, j).map(|e| format!(" {}", h(&e)));
        out.push_str(&format!(
            "<li><b>{}</b>. {} {}{}</li>\n",
            h(&case.entity(j.actor).name),
            likelihood_sentence(case, j),
            confidence_sentence(case, ia, j),
            edge.unwrap_or_default()
        ));
    }
    if ia.hypotheses.is_empty() {
        out.push_str(&format!("<li>{}</li>\n", super::NO_CLAIM));
    } else if judged.is_empty() {
        out.push_str("<li>No hypothesis can be judged: the evidence is insufficient.</li>\n");
    }
    out.push_str("</ul>\n");
    if !open.is_empty() {
        let names: Vec<String> = open
            .iter()
            .map(|j| format!("<b>{}</b>", h(&entity_label(case, j.actor))))
            .collect();
        out.push_str(&format!(
            "<p>No judgement is possible on {}: {}.</p>\n",
            names.join(", "),
            super::why_open(open),
        ));
        let mut items = String::new();
        for j in open {
            let cited = |c| format!("{}{}", h(&super::claim_label(case, c)), cites.cite(c));
            let sentence = super::naming_sentence(j, cited).map(|s| format!(" {s}."));
            let note = (notes.get(ia.incident, j.actor))
                .map(|n| format!(" <i>Analyst's note:</i> {}", h(n)));
            if sentence.is_some() || note.is_some() {
                items.push_str(&format!(
                    "<li>{}:{}{}</li>\n",
                    h(&entity_label(case, j.actor)),
                    sentence.unwrap_or_default(),
                    note.unwrap_or_default()
                ));
            }
        }
        if !items.is_empty() {
            out.push_str(&format!("<ul class=\"open\">\n{items}</ul>\n"));
        }
    }
    if !ia.condemnations.is_empty() {
        let who: Vec<String> = ia
            .condemnations
            .iter()
            .map(|&c| {
                format!(
                    "{}{}",
                    h(&case.source(case.claim(c).source).name),
                    cites.cite(c)
                )
            })
            .collect();
        out.push_str(&format!(
            "<p>Condemned without naming a perpetrator by: {}.</p>\n",
            who.join("; ")
        ));
    }
}

/// The incident's assessment diagram, as the binary had Graphviz draw it (sanitised), or why
/// there is none.
fn figure(out: &mut String, extras: &Extras, ia: &IncidentAssessment) {
    out.push_str("<figure>\n");
    let mut partial = None;
    match extras.drawings.get(&ia.incident) {
        Some(Drawing::Svg { svg, shown }) => match crate::escape::svg::sanitize(svg) {
            Some(clean) => {
                out.push_str(&clean);
                partial = Some(*shown).filter(|s| s.is_partial());
            }
            None => out.push_str(
                "<p class=\"missing\">The diagram could not be embedded: Graphviz's output \
                 held no drawing.</p>",
            ),
        },
        Some(Drawing::Missing(why)) => {
            out.push_str(&format!("<p class=\"missing\">{}</p>", h(why)));
        }
        None => out.push_str("<p class=\"missing\">No diagram was drawn.</p>"),
    }
    out.push_str(
        "\n<figcaption>Assessment diagram: colour is the likelihood, an arrow's line style the \
         confidence; claimed links are drawn by the strength of their fused claims.",
    );
    if let Some(shown) = partial {
        out.push_str(&format!(
            " It draws the {} most probable of the {} hypotheses; the judgements above cover \
             every one.",
            shown.drawn, shown.of
        ));
    }
    out.push_str("</figcaption>\n</figure>\n");
}

/// "We judge it likely (55–80 %) that this state carried out the incident (P = 0.71)."
fn likelihood_sentence(case: &Case, j: &Judgement) -> String {
    let band = term_with_band(j.term());
    let band = band
        .split_once(" (")
        .map_or("", |(_, b)| b.trim_end_matches(')'));
    let who = this_kind(case, j.actor);
    let mut s = match j.term() {
        Some(IcdTerm::AlmostNoChance) => format!(
            "We judge that there is <b>almost no chance</b> ({band}) that {who} carried out \
             the incident"
        ),
        Some(IcdTerm::RoughlyEvenChance) => format!(
            "We judge that there is a <b>roughly even chance</b> ({band}) that {who} carried \
             out the incident"
        ),
        Some(t) => format!(
            "We judge it <b>{}</b> ({band}) that {who} carried out the incident",
            t.word()
        ),
        None => {
            format!("The evidence is insufficient to judge whether {who} carried out the incident")
        }
    };
    s.push_str(&format!(" ({})", probability_text(j.p())));
    s.push_str(&super::only_because(case, j, h));
    s.push('.');
    s
}

/// "We hold this judgement with moderate confidence: …"
fn confidence_sentence(case: &Case, ia: &IncidentAssessment, j: &Judgement) -> String {
    let mut s = format!(
        "We hold this judgement with <b>{} confidence</b>: it rests on {} of evidence for it \
         and {} against it; {}.",
        j.confidence().word(),
        super::plural(j.lines, "independent line"),
        j.lines_against,
        super::strong_clause(j.strong_lines)
    );
    // As the Markdown report says it: where the lines against come from, when not all are
    // the hypothesis's own (beside "no evidence bears on it", the only ones there are).
    if let Some(borrowed) = super::borrowed_lines(case, j, h) {
        s.push_str(&format!(" Of the lines against it, {borrowed}."));
    }
    if let Some(shared) = super::shared_way_sentence(case, ia, j, h) {
        s.push(' ');
        s.push_str(&shared);
    }
    if let Some(opposing) = super::opposing_sentence(case, ia, j) {
        s.push(' ');
        s.push_str(&opposing);
    }
    if let Some(note) = super::base_rate_note(j) {
        s.push(' ');
        s.push_str(&note);
    }
    s.push_str(&super::conflict_sentence(j));
    s
}

/// One judged hypothesis: its judgement, the claims behind it, its lines of evidence, the
/// claims set aside, and the evidence it pivots on.
fn hypothesis(
    out: &mut String,
    (case, notes): (&Case, &super::HypothesisNotes),
    assessment: &Assessment,
    ia: &IncidentAssessment,
    j: &Judgement,
    cites: &mut Citations,
) {
    out.push_str(&format!(
        "<h3>{} <span class=\"small\">({})</span></h3>\n",
        h(&case.entity(j.actor).name),
        h(case.entity(j.actor).kind.word())
    ));
    if let Some(aka) = super::entity_aliases_sentence(case, j.actor) {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", h(&aka)));
    }
    if let Some(note) = notes.get(ia.incident, j.actor) {
        out.push_str(&format!("<p><i>Analyst's note:</i> {}</p>\n", h(note)));
    }
    out.push_str(&format!("<p>{}</p>\n", likelihood_sentence(case, j)));
    if let Some(note) = super::above_whole(case, assessment, ia, j) {
        out.push_str(&format!("<p>{}</p>\n", h(&note)));
    }
    out.push_str(&format!("<p>{}</p>\n", confidence_sentence(case, ia, j)));

    let ways = super::Ways::of(case, assessment, ia, j);
    evidence(out, case, assessment, ia, j, cites, &ways);
    lines_of_evidence(out, case, ia, j, &ways);
    let lines_aside = !assessment.scenario.without_families.is_empty();
    set_aside(out, case, j, cites, lines_aside);
    pivotal(out, case, j);
}

/// The claims behind a hypothesis, one row each, with their citation.
fn evidence(
    out: &mut String,
    case: &Case,
    assessment: &Assessment,
    ia: &IncidentAssessment,
    j: &Judgement,
    cites: &mut Citations,
    ways: &super::Ways,
) {
    let claims = assessment.bearings(case, ia, j.actor);
    if !claims.is_empty() {
        out.push_str(
            "<h4>Evidence</h4>\n<table>\n<tr><th>Claim</th><th>Source</th><th>Grade</th>\
             <th>Date</th><th>Stance</th><th>Stated</th><th>Wording</th></tr>\n",
        );
        for (c, bearing) in claims {
            let claim = case.claim(c);
            let source = case.source(claim.source);
            out.push_str(&format!(
                "<tr><td class=\"id\">{}{}</td><td>{}</td><td>{}</td><td class=\"date\">{}</td>\
                 <td>{}</td><td>{}</td><td class=\"text\">{}</td></tr>\n",
                h(&claim.id),
                cites.cite(c),
                hb(&source.name),
                h(&assessment.claim(c).reliability.label()),
                claim
                    .date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "undated".into()),
                hb(&stance(case, assessment, j, ways, c, bearing)),
                h(&stated_with_confidence(claim)),
                claim
                    .wording
                    .as_deref()
                    .map(|w| if super::is_summary(w) {
                        h(w)
                    } else {
                        format!("<q>{}</q>", h(w))
                    })
                    .unwrap_or_default()
            ));
        }
        out.push_str("</table>\n");
    }
}

/// Each line for and then against, and where it comes from.
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
    out.push_str("<h4>Lines of evidence</h4>\n<ul>\n");
    for (k, l) in lines.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let (side, weight) = l.side();
        out.push_str(&format!(
            "<li>{side}, line <i>{}</i> ({weight} = {:.2}): {}.</li>",
            h(&l.family),
            l.weight,
            h(&l.origin)
        ));
    }
    out.push_str("\n</ul>\n");
}

/// The claims that name the hypothesis but carry no weight, and why (`lines_aside`: the
/// scenario sets lines of evidence aside).
fn set_aside(
    out: &mut String,
    case: &Case,
    j: &Judgement,
    cites: &mut Citations,
    lines_aside: bool,
) {
    if !j.weightless.is_empty() {
        out.push_str("<h4>Set aside</h4>\n<ul>\n");
        for (c, why) in &j.weightless {
            out.push_str(&format!(
                "<li>Claim {}{} ({}): {}.</li>\n",
                h(&case.claim(*c).id),
                cites.cite(*c),
                h(&case.source(case.claim(*c).source).name),
                h(why.reason_under(lines_aside))
            ));
        }
        out.push_str("</ul>\n");
    }
}

/// The claims, sources and lines of evidence without which the likelihood term or the
/// confidence would change.
fn pivotal(out: &mut String, case: &Case, j: &Judgement) {
    let Some(p) = super::pivotal_evidence(case, j) else {
        return;
    };
    out.push_str("<h4>Pivotal evidence</h4>\n");
    if let Some(none) = p.none {
        out.push_str(&format!("<p>{none}</p>\n"));
    }
    if !p.items.is_empty() {
        out.push_str("<ul>\n");
        for item in &p.items {
            out.push_str(&format!("<li>{}.</li>\n", h(item)));
        }
        out.push_str("</ul>\n");
    }
    if let Some(note) = p.edge {
        out.push_str(&format!("<p>{}</p>\n", h(&note)));
    }
}

/// The ACH matrices of an incident: one legend, then each matrix (named by its columns when
/// there are several).
fn matrix(out: &mut String, case: &Case, ia: &IncidentAssessment) {
    let all = ach::matrices(case, ia);
    out.push_str("<h3>Analysis of competing hypotheses</h3>\n");
    if all.iter().all(|m| m.hypotheses.is_empty()) {
        out.push_str("<p>No hypothesis is judged, so there is no matrix.</p>\n");
        return;
    }
    if all.iter().any(|m| !m.complete) {
        out.push_str("<p>The matrix needs the sensitivity tables, which were not computed.</p>\n");
        return;
    }
    out.push_str(
        "<p class=\"small\">Each cell: C consistent (the claim raised the hypothesis), I \
         inconsistent (it lowered it), N neutral (behind it, but it changes nothing set aside \
         alone: it carries no weight, its line of evidence holds another claim as strong or \
         stronger, or a restatement stands in for it), – not applicable; with the change in P \
         the claim makes. Diagnosticity is the spread of a claim's effect across the hypotheses (max − min): a \
         claim consistent with every hypothesis has none. A lighter shade with a coloured edge: a \
         change too small to show at two decimals (±0.00), whose letter still gives its \
         direction. Most diagnostic first.</p>\n",
    );
    if all.len() > 1 {
        out.push_str(&format!(
            "<p class=\"small\">The incident declares {} exclusive sets: a matrix for each.</p>\n",
            all.len()
        ));
    }
    for m in &all {
        if all.len() > 1 {
            let names: Vec<String> = (m.hypotheses.iter())
                .map(|a| h(&case.entity(*a).name))
                .collect();
            out.push_str(&format!("<h4>{}</h4>\n", names.join(" against ")));
        }
        one_matrix(out, case, m);
    }
}

/// One ACH matrix: which columns, the table, and what it leaves out.
fn one_matrix(out: &mut String, case: &Case, m: &ach::Matrix) {
    for note in &m.notes {
        out.push_str(&format!(
            "<p><i>Analyst's note on the set:</i> {}</p>\n",
            h(note)
        ));
    }
    out.push_str(&format!(
        "<p class=\"small\">{}</p>\n",
        h(m.columns_sentence())
    ));
    out.push_str("<table>\n<tr><th>Claim</th>");
    for a in &m.hypotheses {
        out.push_str(&format!("<th>{}</th>", hb(&case.entity(*a).name)));
    }
    out.push_str("<th>Diagnosticity</th></tr>\n");
    for row in &m.rows {
        let claim = case.claim(row.claim);
        out.push_str(&format!(
            "<tr><td>{} <span class=\"small\">({})</span></td>",
            hb(&claim.id),
            hb(&case.source(claim.source).name)
        ));
        matrix_cells(out, &row.cells, row.diagnosticity);
    }
    if !m.lines.is_empty() {
        out.push_str(&format!(
            "<tr><th colspan=\"{}\" class=\"small\">Lines of evidence with two or more of \
             these claims, each set aside whole (a line counts its strongest claim once, so \
             each of two as strong is N alone)</th></tr>\n",
            m.hypotheses.len() + 2
        ));
    }
    for line in &m.lines {
        out.push_str(&format!(
            "<tr><td>line {} <span class=\"small\">({} claims)</span></td>",
            hb(case.family(line.family)),
            line.claims
        ));
        matrix_cells(out, &line.cells, line.diagnosticity);
    }
    out.push_str("</table>\n");
    if let Some(note) = m.none_decisive() {
        out.push_str(&format!("<p>{}</p>\n", h(&note)));
    }
    if let Some(left_out) = m.left_out_sentence() {
        out.push_str(&format!("<p class=\"small\">{left_out}</p>\n"));
    }
}

/// A matrix row's cells and its diagnosticity, closing the row.
fn matrix_cells(out: &mut String, cells: &[Cell], diagnosticity: f64) {
    for cell in cells {
        // An effect that shows as ±0.00 is shaded lighter: its direction is real, its size is
        // not worth the eye a full shade draws.
        let class = match cell {
            Cell::Consistent(_) if cell.too_small_to_show() => "c slight",
            Cell::Inconsistent(_) if cell.too_small_to_show() => "i slight",
            Cell::Consistent(_) => "c",
            Cell::Inconsistent(_) => "i",
            Cell::Neutral => "n",
            Cell::NotApplicable => "na",
        };
        out.push_str(&format!(
            "<td class=\"{class} num\" title=\"{}\">{}</td>",
            cell.word(),
            cell.text()
        ));
    }
    out.push_str(&format!(
        "<td class=\"num\">{}</td></tr>\n",
        super::ach::diagnosticity_text(diagnosticity)
    ));
}

/// Line colours and dash patterns, distinct in grey print too, and none of the blues, greys
/// and oranges that stand for likelihood terms elsewhere in the report (a hypothesis drawn in
/// orange beside an "unlikely" edge read as one).
const SERIES: [(&str, &str); 4] = [
    ("#252525", ""),
    ("#ce1256", "6 3"),
    ("#238b45", "2 3"),
    ("#6a51a3", "8 3 2 3"),
];

// The timeline's caption says how many hypotheses it follows in words.
const _: () = assert!(super::timeline::MAX_LINES == 4, "the caption says \"four\"");

/// An incident's timeline, its heading, notes and chart kept on one printed page
/// (`section.timeline`): the heading was left at the foot of a page, its chart on the next.
fn timeline(out: &mut String, case: &Case, t: &Timeline) {
    out.push_str("<section class=\"timeline\">\n<h3>Timeline</h3>\n");
    if t.actors.is_empty() || t.points.is_empty() {
        out.push_str(
            "<p>No hypothesis is judged, so there is nothing to follow.</p>\n</section>\n",
        );
        return;
    }
    out.push_str(
        "<p class=\"small\">P of at most four judged hypotheses (those the case lists or sets \
         against each other first, then the most probable, a line that would lie under \
         another giving its place to one that would not) on every date a claim was made \
         from the incident's start on, each point computed as <code>--as-of</code> that date \
         (only claims known to have been made by then); the last point is the assessment \
         above. The shaded bands are the ICD \
         203 terms. A hollow dot marks a date on which the evidence was too thin for a \
         judgement (insufficient evidence): its P is then mostly the base rate, not a term. \
         Dates stand in proportion to time, but a few pixels apart at least, so that claims \
         days apart stay apart.</p>\n",
    );
    if !t.unjudged.is_empty() {
        let names: Vec<String> = (t.unjudged.iter())
            .map(|&a| hb(&super::entity_label(case, a)))
            .collect();
        out.push_str(&format!(
            "<p class=\"small\">Named by the case as a hypothesis (listed, or in an exclusive \
             set) but not drawn, for insufficient evidence in the assessment: {}.</p>\n",
            names.join(", ")
        ));
    }
    if !t.alike.is_empty() {
        // Grouped by the line they would lie under, in the order those are first named.
        let mut groups: Vec<(EntityId, Vec<String>)> = Vec::new();
        for &(a, under) in &t.alike {
            let name = hb(&super::entity_label(case, a));
            match groups.iter_mut().find(|(u, _)| *u == under) {
                Some((_, names)) => names.push(name),
                None => groups.push((under, vec![name])),
            }
        }
        let groups: Vec<String> = (groups.iter())
            .map(|(under, names)| {
                let names = match names.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} and {last}", rest.join(", "))
                    }
                    _ => names.join(""),
                };
                format!(
                    "{names}, under the line of {}",
                    hb(&case.entity(*under).name)
                )
            })
            .collect();
        out.push_str(&format!(
            "<p class=\"small\">Not drawn, as each would lie under a line drawn (the same \
             judgement and P on every date it has one): {}.</p>\n",
            groups.join("; ")
        ));
    }
    if t.skipped > 0 {
        let skipped = if t.skipped == 1 {
            "One claim date is".to_owned()
        } else {
            format!("{} of the claim dates are", t.skipped)
        };
        out.push_str(&format!(
            "<p class=\"small\">{skipped} not drawn, to keep the chart to {} points.</p>\n",
            super::timeline::MAX_POINTS
        ));
    }
    out.push_str("<figure>\n");
    out.push_str(&chart(t));
    out.push('\n');
    legend(out, case, t);
    out.push_str("<figcaption>How the judgement came about</figcaption>\n</figure>\n</section>\n");
}

/// The timeline as an SVG chart: a step line per hypothesis (P holds until the next claim),
/// the ICD 203 bands shaded behind, dates along the bottom at their place in time. Its legend
/// is the list under it ([`legend`]), where a name of any length wraps as text does.
fn chart(t: &Timeline) -> String {
    let (width, height) = (640.0, 300.0);
    let (left, right, top, bottom) = (44.0, 16.0, 12.0, 70.0);
    let plot_w = width - left - right;
    let plot = Plot {
        left,
        top,
        plot_w,
        plot_h: height - top - bottom,
        xs: abscissas(t, left, plot_w),
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" \
         font-size=\"10\" role=\"img\" aria-label=\"Probability of the top hypotheses over \
         time\">"
    );
    plot.frame(&mut s);
    plot.dates(&mut s, t);
    for k in 0..t.actors.len() {
        plot.series(&mut s, t, k);
    }
    s.push_str("</svg>");
    s
}

/// The chart's legend: each hypothesis's line as drawn, beside its full name and id (the
/// table above names them so), in the order the lines are drawn. A line drawn over by a later
/// one with the same P at every date (a part that carries all of its whole's evidence), or
/// from some date to the end (a whole whose own evidence a part's came to outweigh in the same
/// family), is said to be under it: the legend lists a line the chart does not show, or not
/// after that date.
fn legend(out: &mut String, case: &Case, t: &Timeline) {
    out.push_str("<ul class=\"legend\">\n");
    for (k, actor) in t.actors.iter().enumerate() {
        let (colour, dash) = SERIES[k % SERIES.len()];
        let entity = case.entity(*actor);
        // Of the lines drawn later, the one it lies under longest; of two alike, the last
        // drawn, which is on top.
        let under = ((k + 1..t.actors.len()).rev())
            .filter_map(|m| under_from(t, k, m).map(|from| (from, m)))
            .min_by_key(|&(from, _)| from);
        let under = under.map_or_else(String::new, |(from, m)| {
            let since = match t.points[from].date {
                Some(date) if from > 0 => format!("from {date} on"),
                _ => "at every date".to_string(),
            };
            format!(
                " — under the line of {}: the same P {since}",
                hb(&case.entity(t.actors[m]).name)
            )
        });
        out.push_str(&format!(
            "<li><svg width=\"24\" height=\"8\" aria-hidden=\"true\"><line x1=\"0\" y1=\"4\" \
             x2=\"24\" y2=\"4\" stroke=\"{colour}\" stroke-width=\"2\"{}/></svg>{} ({}){under}</li>\n",
            dash_attribute(dash),
            hb(&entity.name),
            hb(&entity.id)
        ));
    }
    out.push_str("</ul>\n");
}

/// From which point on the line of hypothesis `k` lies under that of `m` to the end of the
/// chart (the same P and judgement, or neither drawn, at every point from there): `None`
/// when they part at the end, or share only the last point (its dot is all that is hidden).
fn under_from(t: &Timeline, k: usize, m: usize) -> Option<usize> {
    let same = |p: &super::timeline::Point| match (p.p[k], p.p[m]) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9 && p.judged[k] == p.judged[m],
        (None, None) => true,
        _ => false,
    };
    let n = t.points.len();
    let shared = t.points.iter().rev().take_while(|p| same(p)).count();
    (shared == n || shared >= 2).then_some(n - shared)
}

/// The `stroke-dasharray` attribute of a series' dash pattern, none for a solid line.
fn dash_attribute(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    }
}

/// The least room between two dates of the timeline, in pixels: a dot's width and a little.
/// Claims days apart in a case spanning years (the first week of an incident, then the
/// governments' attributions months later) were drawn on one spot.
const MIN_STEP: f64 = 7.0;

/// Where each point of a timeline is drawn across `plot_w` from `left`: in proportion to its
/// date, so that a gap of years looks like one, with [`MIN_STEP`] between any two (at most
/// half the width goes to that room, the rest to time); the final point without a date
/// (every claim counted) a little after the last dated one.
fn abscissas(t: &Timeline, left: f64, plot_w: f64) -> Vec<f64> {
    let days: Vec<Option<i64>> = t.points.iter().map(|p| p.date.map(|d| d.days())).collect();
    let dated: Vec<i64> = days.iter().flatten().copied().collect();
    let (Some(&first), Some(&last)) = (dated.first(), dated.last()) else {
        return vec![left + plot_w / 2.0; t.points.len()];
    };
    let undated = days.iter().any(Option::is_none);
    let span = (last - first) as f64;
    // Room after the last date for the undated point: a tenth of the span, or a day.
    let end = if undated {
        span + (span / 10.0).max(1.0)
    } else {
        span
    };
    if end == 0.0 {
        return vec![left + plot_w / 2.0; t.points.len()];
    }
    let gaps = t.points.len().saturating_sub(1) as f64;
    let step = if gaps > 0.0 {
        MIN_STEP.min(plot_w / 2.0 / gaps)
    } else {
        0.0
    };
    let timed = plot_w - step * gaps;
    (days.iter().enumerate())
        .map(|(i, d)| left + step * i as f64 + timed * d.map_or(end, |d| (d - first) as f64) / end)
        .collect()
}

/// Where the timeline chart draws: the plot area, and where each date is across it.
struct Plot {
    left: f64,
    top: f64,
    plot_w: f64,
    plot_h: f64,
    xs: Vec<f64>,
}

impl Plot {
    /// The abscissa of the `i`th date.
    fn x(&self, i: usize) -> f64 {
        self.xs[i]
    }

    /// The ordinate of probability `p`.
    fn y(&self, p: f64) -> f64 {
        self.top + (1.0 - p.clamp(0.0, 1.0)) * self.plot_h
    }

    /// Every other ICD 203 band shaded, the probability axis with the bands' edges, the frame.
    fn frame(&self, s: &mut String) {
        let Plot {
            left,
            top,
            plot_w,
            plot_h,
            ..
        } = *self;
        for (k, term) in IcdTerm::ALL.iter().enumerate() {
            let (lo, hi) = term.band();
            let (lo, hi) = (if k == 0 { 0.0 } else { lo }, if k == 6 { 1.0 } else { hi });
            if k % 2 == 0 {
                s.push_str(&format!(
                    "<rect x=\"{left}\" y=\"{:.1}\" width=\"{plot_w}\" height=\"{:.1}\" fill=\"#f2f2f2\"/>",
                    self.y(hi),
                    self.y(lo) - self.y(hi)
                ));
            }
        }
        // The edges between words are labelled; the frame's top and bottom (100 % and 0 %)
        // only ticked: their labels stood a line's height from 95 % and 5 % and crowded them.
        for tick in [0.0, 0.05, 0.2, 0.45, 0.55, 0.8, 0.95, 1.0] {
            s.push_str(&format!(
                "<line x1=\"{}\" y1=\"{:.1}\" x2=\"{left}\" y2=\"{:.1}\" stroke=\"#666\"/>",
                left - 4.0,
                self.y(tick),
                self.y(tick),
            ));
            if tick > 0.0 && tick < 1.0 {
                s.push_str(&format!(
                    "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{:.0} %</text>",
                    left - 6.0,
                    self.y(tick) + 3.5,
                    tick * 100.0
                ));
            }
        }
        s.push_str(&format!(
            "<rect x=\"{left}\" y=\"{top}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"none\" \
             stroke=\"#666\"/>"
        ));
    }

    /// A tick for every date along the bottom, and a label for as many as fit without
    /// overlapping: the first, each far enough from the one labelled before, and the last
    /// always (in place of the one before it when they would overlap, the first included).
    fn dates(&self, s: &mut String, t: &Timeline) {
        // Labels are 10 px text turned 40°: two labels `dx` apart stand `dx · sin 40°` apart
        // across their lines, so 20 px leaves 12.9 px for a line of text; at 16 (10.3 px) the
        // letters of neighbours touched.
        const APART: f64 = 20.0;
        let (top, plot_h) = (self.top, self.plot_h);
        let mut labelled: Vec<usize> = Vec::new();
        for i in 0..t.points.len() {
            if labelled
                .last()
                .is_none_or(|&j| self.x(i) - self.x(j) >= APART)
            {
                labelled.push(i);
            }
        }
        let last = t.points.len() - 1;
        if labelled.last() != Some(&last) {
            if let Some(&j) = labelled.last()
                && self.x(last) - self.x(j) < APART
            {
                labelled.pop();
            }
            labelled.push(last);
        }
        for i in 0..t.points.len() {
            let lx = self.x(i);
            s.push_str(&format!(
                "<line x1=\"{lx:.1}\" y1=\"{:.1}\" x2=\"{lx:.1}\" y2=\"{:.1}\" stroke=\"#666\"/>",
                top + plot_h,
                top + plot_h + 4.0,
            ));
        }
        for &i in &labelled {
            let label = t.points[i]
                .date
                .map_or_else(|| "all claims".to_string(), |d| d.to_string());
            let (lx, ly) = (self.x(i), top + plot_h + 10.0);
            s.push_str(&format!(
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"end\" \
                 transform=\"rotate(-40 {lx:.1} {ly:.1})\">{}</text>",
                h(&label)
            ));
        }
    }

    /// The `k`th hypothesis: its step line and a dot at each date it has a P.
    fn series(&self, s: &mut String, t: &Timeline, k: usize) {
        let (colour, dash) = SERIES[k % SERIES.len()];
        let mut d = String::new();
        let mut prev: Option<f64> = None;
        for (i, p) in t.points.iter().enumerate() {
            match (p.p[k], prev) {
                (Some(v), None) => d.push_str(&format!("M{:.1},{:.1}", self.x(i), self.y(v))),
                (Some(v), Some(_)) => {
                    d.push_str(&format!("H{:.1}V{:.1}", self.x(i), self.y(v)));
                }
                (None, _) => {}
            }
            prev = p.p[k].or(prev);
        }
        if !d.is_empty() {
            s.push_str(&format!(
                "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{}/>",
                dash_attribute(dash)
            ));
        }
        for (i, p) in t.points.iter().enumerate() {
            if let Some(v) = p.p[k] {
                // Hollow where no judgement was possible on that date.
                let fill = if p.judged[k] { colour } else { "#ffffff" };
                s.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{fill}\" \
                     stroke=\"{colour}\"/>",
                    self.x(i),
                    self.y(v)
                ));
            }
        }
    }
}

fn bibliography(out: &mut String, case: &Case, counted: &[ClaimId], cites: &Citations) {
    out.push_str("<section id=\"sources\">\n<h2>Sources</h2>\n");
    let label = |c: &crate::model::Claim, source: &str| format!("{} ({})", h(&c.id), h(source));
    let uncited = super::uncited(case, counted, &cites.order, label)
        .map(|sentence| format!("<p class=\"small\">{sentence}</p>\n"))
        .unwrap_or_default();
    if cites.order.is_empty() {
        out.push_str("<p>No claim is cited.</p>\n");
        out.push_str(&uncited);
        out.push_str("</section>\n");
        return;
    }
    out.push_str("<ol class=\"bib\">\n");
    for (k, &c) in cites.order.iter().enumerate() {
        let claim = case.claim(c);
        let source = case.source(claim.source);
        let mut entry = format!(
            "<li id=\"ref-{}\">{}, {} (reliability {}), {}. Claim {}",
            k + 1,
            h(&source.name),
            source_kind(source.kind),
            h(&source.reliability.label()),
            claim
                .date
                .map_or_else(|| "undated".to_string(), |d| d.to_string()),
            h(&claim.id)
        );
        entry.push_str(&super::cited_wording(
            claim.wording.as_deref(),
            h,
            "<q>",
            "</q>",
        ));
        match case.claim_url_whose(c) {
            Some((u, whose)) => {
                match href(u) {
                    Some(link) => {
                        entry.push_str(&format!(" <a href=\"{link}\">{}</a>", h(u.trim())))
                    }
                    None => entry.push_str(&format!(" {}", h(u))),
                }
                if whose {
                    entry.push_str(" (the source's address)");
                }
            }
            // As the Markdown report says it: a reader checking the citation learns there is
            // no address to follow, rather than wondering whether one was left out.
            None => entry.push_str(" No URL recorded."),
        }
        if let Some(n) = &claim.note {
            entry.push_str(&format!(" <i>Analyst's note:</i> {}", h(n)));
        }
        entry.push_str("</li>\n");
        out.push_str(&entry);
    }
    out.push_str("</ol>\n");
    grading_notes(out, case, cites);
    out.push_str(&uncited);
    out.push_str("</section>\n");
}

/// The analyst's notes on the cited sources (why each was graded so), once a source, in the
/// order the sources are first cited.
fn grading_notes(out: &mut String, case: &Case, cites: &Citations) {
    let mut seen = std::collections::HashSet::new();
    let items: String = (cites.order.iter())
        .map(|&c| case.claim(c).source)
        .filter(|&s| seen.insert(s))
        .filter_map(|s| {
            let source = case.source(s);
            let note = source.note.as_deref()?;
            Some(format!(
                "<li>{} (reliability {}): {}</li>\n",
                h(&source.name),
                h(&source.reliability.label()),
                h(note)
            ))
        })
        .collect();
    if !items.is_empty() {
        out.push_str(&format!(
            "<p class=\"small\">The analyst's notes on the sources:</p>\n<ul class=\"small\">\n{items}</ul>\n"
        ));
    }
}

fn source_kind(kind: crate::format::SourceKind) -> &'static str {
    use crate::format::SourceKind as K;
    match kind {
        K::Government => "government",
        K::Vendor => "security vendor",
        K::Victim => "victim",
        K::Adversary => "adversary",
        K::Media => "press",
        K::Alliance => "alliance",
        K::KnowledgeBase => "knowledge base",
        K::Researcher => "researcher",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::model::IncidentId;
    use crate::report::timeline::Point;

    fn timeline(dates: &[Option<&str>]) -> Timeline {
        Timeline {
            unjudged: Vec::new(),
            alike: Vec::new(),
            incident: IncidentId(0),
            actors: Vec::new(),
            points: dates
                .iter()
                .map(|d| Point {
                    date: d.map(|d| Date::parse(d).unwrap()),
                    p: Vec::new(),
                    judged: Vec::new(),
                })
                .collect(),
            skipped: 0,
        }
    }

    /// The caption says how many hypotheses the diagram draws only under a drawing that was
    /// embedded and leaves some out: not under one the sanitiser refused, nor a whole one.
    #[test]
    fn the_caption_tells_of_hypotheses_left_out_only_under_an_embedded_drawing() {
        let case = crate::load::load(
            r#"Case(title: "t", actors: [Actor(id: "a", name: "A", kind: State)],
                incidents: [Incident(id: "x", name: "X")],
                sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B)],
                claims: [Claim(id: "c1", source: "s", subject: "x", relation: AttributedTo,
                               object: "a", wording: "w", likelihood: Icd("likely"))])"#,
            crate::format::Syntax::Ron,
        )
        .unwrap()
        .case;
        let assessment = crate::assess::assess(&case, Default::default());
        let drawn = "<svg width=\"10pt\" height=\"10pt\" viewBox=\"0 0 10 10\" \
                     xmlns=\"http://www.w3.org/2000/svg\"><g class=\"graph\"></g></svg>";
        let html = |svg: &str, drawn: usize, of: usize| {
            let mut extras = Extras::default();
            extras.drawings.insert(
                IncidentId(0),
                Drawing::Svg {
                    svg: svg.to_string(),
                    shown: Shown { drawn, of },
                },
            );
            let mut out = Vec::new();
            render(&case, &assessment, &extras, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        const TOLD: &str = "It draws the 16 most probable of the 40 hypotheses";
        assert!(html(drawn, 16, 40).contains(TOLD));
        assert!(!html(drawn, 16, 16).contains("most probable of"));
        let refused = html("no drawing here", 16, 40);
        assert!(refused.contains("could not be embedded"), "{refused}");
        assert!(!refused.contains("most probable of"));
    }

    /// Date labels along the timeline never touch: each one drawn is at least 20 px from the
    /// one before (the dates of the Olympic Destroyer chart of a user's case, 16.7 px apart,
    /// were drawn touching), and the first and the last are drawn.
    #[test]
    fn timeline_date_labels_keep_apart() {
        let t = timeline(&[
            Some("2018-02-24"),
            Some("2018-03-08"),
            Some("2018-03-26"),
            Some("2020-10-19"),
            Some("2020-12-31"),
        ]);
        let plot = Plot {
            left: 44.0,
            top: 12.0,
            plot_w: 580.0,
            plot_h: 218.0,
            xs: vec![44.0, 52.0, 60.7, 583.3, 624.0],
        };
        let mut s = String::new();
        plot.dates(&mut s, &t);
        let labelled: Vec<f64> = (s.split("<text x=\"").skip(1))
            .map(|t| t.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(labelled, [44.0, 583.3, 624.0], "{s}");
        assert!(labelled.windows(2).all(|w| w[1] - w[0] >= 20.0));
        // Two dates too close for two labels: the last, the assessment's, is labelled.
        let plot = Plot {
            xs: vec![44.0, 50.0],
            ..plot
        };
        let mut s = String::new();
        plot.dates(&mut s, &timeline(&[Some("2018-02-24"), Some("2018-02-25")]));
        assert_eq!(s.matches("<text ").count(), 1, "{s}");
        assert!(s.contains(">2018-02-25</text>"), "{s}");
    }

    /// The probability axis labels the edges between likelihood words, each at least a line
    /// and a half from the next (16 px at a 10 px font); the frame's top and bottom are ticked
    /// only: "100 %" and "0 %" stood 11 px from "95 %" and "5 %" and crowded them.
    #[test]
    fn timeline_axis_labels_keep_apart() {
        let plot = Plot {
            left: 44.0,
            top: 12.0,
            plot_w: 580.0,
            plot_h: 218.0,
            xs: vec![],
        };
        let mut s = String::new();
        plot.frame(&mut s);
        let labels: Vec<(&str, f64)> = (s.split("<text x=\"38\" y=\"").skip(1))
            .map(|t| {
                let (y, rest) = t.split_once('"').unwrap();
                let label = rest.split('>').nth(1).unwrap().split('<').next().unwrap();
                (label, y.parse().unwrap())
            })
            .collect();
        let words: Vec<&str> = labels.iter().map(|l| l.0).collect();
        assert_eq!(
            words,
            ["5 %", "20 %", "45 %", "55 %", "80 %", "95 %"],
            "{s}"
        );
        assert!(
            labels.windows(2).all(|w| w[0].1 - w[1].1 >= 16.0),
            "{labels:?}"
        );
        assert_eq!(s.matches("<line ").count(), 8, "every edge ticked: {s}");
    }

    /// A day apart and years apart do not look alike: dates sit at their place in time, with
    /// a dot's width between any two, so that a day apart is not drawn on one spot either.
    #[test]
    fn timeline_dates_are_placed_in_proportion_to_time() {
        let xs = abscissas(
            &timeline(&[Some("2020-12-13"), Some("2020-12-14"), Some("2024-01-19")]),
            0.0,
            1000.0,
        );
        assert_eq!(xs[0], 0.0);
        assert_eq!(xs[2], 1000.0);
        // 7 px apart, and one day of the 1,132 of the span's remaining 986 px: 7.87.
        assert!((xs[1] - (7.0 + 986.0 / 1132.0)).abs() < 1e-9, "{xs:?}");
        // The final point without a date (every claim counted) comes after the last date:
        // two months, a tenth of them after, in the 1,086 px left after the room between.
        let xs = abscissas(
            &timeline(&[Some("2022-07"), Some("2022-09"), None]),
            0.0,
            1100.0,
        );
        assert_eq!(xs[0], 0.0);
        assert!((xs[1] - (7.0 + 1086.0 / 1.1)).abs() < 1e-9, "{xs:?}");
        assert!((xs[2] - 1100.0).abs() < 1e-9, "{xs:?}");
        // Sixty days in a row on a narrow plot: the room between takes no more than half.
        let dates: Vec<String> = (1..=30)
            .map(|d| format!("2022-06-{d:02}"))
            .chain((1..=30).map(|d| format!("2024-06-{d:02}")))
            .collect();
        let dates: Vec<Option<&str>> = dates.iter().map(|d| Some(d.as_str())).collect();
        let xs = abscissas(&timeline(&dates), 0.0, 300.0);
        let step = 150.0 / 59.0;
        assert!(xs.windows(2).all(|w| w[1] - w[0] >= step - 1e-9), "{xs:?}");
        assert!(
            (xs[59] - 300.0).abs() < 1e-9 && xs[30] - xs[29] > 140.0,
            "{xs:?}"
        );
        // One date, or one day: the middle.
        assert_eq!(abscissas(&timeline(&[Some("2022-07")]), 0.0, 100.0), [50.0]);
    }
}
