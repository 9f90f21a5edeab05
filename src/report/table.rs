//! The terminal table of `attrib assess`.

use super::{claim_label, entity_label, incident_label, scenario_lines, term_with_band};
use crate::assess::{Assessment, CONFLICT_FLAG, IncidentAssessment, Judgement};
use crate::escape::terminal;
use crate::model::Case;
use crate::terms::IcdTerm;
use anstyle::{AnsiColor, Style};
use std::borrow::Cow;
use std::fmt::Write;
use std::io;

/// One aligned table: a rule, the header, a rule, the rows, a rule. Widths are counted in
/// characters; colour codes wrap a cell after it is padded, so they never disturb alignment.
/// (A table crate did this until a 10^6-claim case's 1.6 million rows took seconds to lay out.)
pub(crate) fn table(
    out: &mut String,
    header: &[&str],
    rows: &[Vec<String>],
    colours: &[Option<Style>],
) {
    // Cells quote the case: no control character, escape sequence or line break gets through.
    let rows: Vec<Vec<Cow<'_, str>>> = rows
        .iter()
        .map(|row| row.iter().map(|c| terminal::text(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let total: usize = widths.iter().map(|w| w + 3).sum::<usize>() + 1;
    let rule = "─".repeat(total);
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = (&str, Option<Style>)>| {
        let mut text = String::new();
        for ((cell, colour), w) in cells.zip(&widths) {
            let pad = w - cell.chars().count();
            text.push(' ');
            match colour {
                Some(c) => {
                    let _ = write!(text, "{c}{cell}{c:#}");
                }
                None => text.push_str(cell),
            }
            text.extend(std::iter::repeat_n(' ', pad + 2));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    out.push_str(&rule);
    out.push('\n');
    line(out, &mut header.iter().map(|h| (*h, None)));
    out.push_str(&rule);
    out.push('\n');
    for (row, colour) in rows.iter().zip(colours) {
        line(
            out,
            &mut row
                .iter()
                .enumerate()
                .map(|(i, c)| (c.as_ref(), if i == 1 { *colour } else { None })),
        );
    }
    out.push_str(&rule);
    out.push('\n');
}

/// Green for likely and above, red for unlikely and below, yellow between, grey when the
/// evidence is insufficient.
fn term_colour(term: Option<IcdTerm>) -> Style {
    let colour = match term {
        None => AnsiColor::BrightBlack,
        Some(t) if t >= IcdTerm::Likely => AnsiColor::Green,
        Some(t) if t <= IcdTerm::Unlikely => AnsiColor::Red,
        Some(_) => AnsiColor::Yellow,
    };
    colour.on_default()
}

/// Writes every incident's hypotheses as a table, one incident at a time. Colour (ANSI styles)
/// only when `colour` is set: the caller decides, from the terminal and the environment.
pub fn render(
    case: &Case,
    assessment: &Assessment,
    colour: bool,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let mut out = String::new();
    out.push_str(&terminal::text(&case.title));
    if let Some(d) = super::information_date(case, assessment) {
        out.push_str(&format!(" (as of {d})"));
    }
    out.push('\n');
    for line in scenario_lines(case, &assessment.scenario) {
        out.push_str(&format!("what-if: {}\n", terminal::text(&line)));
    }
    if case.incidents.is_empty() {
        out.push_str(&format!("\n{}\n", super::NO_INCIDENT));
    }
    for ia in assessment.each(case) {
        w.write_all(out.as_bytes())?;
        out.clear();
        incident(&mut out, case, &ia, colour);
    }
    out.push_str(
        "\nLikelihood (ICD 203) and confidence are separate judgements: see `attrib explain` for \
         the derivation and what would change it.\n",
    );
    w.write_all(out.as_bytes())
}

/// One incident: its table of hypotheses, then what the table does not show.
fn incident(out: &mut String, case: &Case, ia: &IncidentAssessment, colour: bool) {
    out.push_str(&format!(
        "\nIncident: {}\n",
        terminal::text(&incident_label(case, ia.incident))
    ));
    let rows: Vec<Vec<String>> = ia.hypotheses.iter().map(|j| row(case, j)).collect();
    let colours: Vec<Option<Style>> = ia
        .hypotheses
        .iter()
        .map(|j| colour.then(|| term_colour(j.term())))
        .collect();
    if rows.is_empty() {
        out.push_str("No claim names anyone as responsible for this incident yet.\n");
    } else {
        table(
            out,
            &[
                "Hypothesis",
                "Likelihood",
                "Confidence",
                "P",
                "b / d / u",
                "Lines for / against",
                "Conflict",
                "Carried by",
            ],
            &rows,
            &colours,
        );
    }
    notes(out, case, ia);
}

/// A hypothesis's row.
fn row(case: &Case, j: &Judgement) -> Vec<String> {
    let o = j.opinion();
    let conflict = if j.conflict > CONFLICT_FLAG {
        format!("{:.3} !", j.conflict)
    } else {
        format!("{:.3}", j.conflict)
    };
    let carriers = j
        .carriers
        .iter()
        .map(|c| case.claim(*c).id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        entity_label(case, j.actor),
        term_with_band(j.term()),
        j.confidence().word().to_string(),
        super::probability_digits(j.p(), 3),
        format!(
            "{:.2} / {:.2} / {:.2}",
            o.belief(),
            o.disbelief(),
            o.uncertainty()
        ),
        format!("{} / {}", j.lines, j.lines_against),
        conflict,
        carriers,
    ]
}

/// Under the table: judgements that stand only on borrowed evidence, claims that carry no
/// weight, echoes set aside, and condemnations that name no one.
fn notes(out: &mut String, case: &Case, ia: &IncidentAssessment) {
    for j in &ia.hypotheses {
        if let Some(why) = super::borrowed_reason(case, j) {
            out.push_str(&format!(
                "{}: {} only because {}; no evidence bears on it itself.\n",
                terminal::text(&entity_label(case, j.actor)),
                j.term_word(),
                terminal::text(&why)
            ));
        }
    }
    let weightless: Vec<String> = ia
        .hypotheses
        .iter()
        .flat_map(|j| &j.weightless)
        .filter(|(_, why)| *why != crate::assess::Weightless::Echo)
        .map(|(c, why)| {
            format!(
                "{} ({})",
                claim_label(case, *c),
                why.word().replace('_', " ")
            )
        })
        .collect();
    if !weightless.is_empty() {
        out.push_str(&format!(
            "Claims that carry no weight: {}\n",
            terminal::text(&weightless.join(", "))
        ));
    }
    if !ia.derivation.echoes.is_empty() {
        let echoes: Vec<String> = ia
            .derivation
            .echoes
            .iter()
            .map(|c| claim_label(case, *c))
            .collect();
        out.push_str(&format!(
            "Set aside as echoes of claims present: {}\n",
            terminal::text(&echoes.join(", "))
        ));
    }
    if !ia.condemnations.is_empty() {
        let who: Vec<String> = ia
            .condemnations
            .iter()
            .map(|c| case.source(case.claim(*c).source).name.clone())
            .collect();
        out.push_str(&format!(
            "Condemned without naming a perpetrator: {}\n",
            terminal::text(&who.join("; "))
        ));
    }
}
