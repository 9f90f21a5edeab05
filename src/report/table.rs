//! The terminal table of `attrib assess`.

use super::{claim_label, entity_label, incident_label, scenario_lines, term_with_band};
use crate::assess::{Assessment, CONFLICT_FLAG};
use crate::model::Case;
use crate::reason::Scenario;
use comfy_table::{Cell, Color, ContentArrangement, LineStyle, Table, TableStyle};

/// Rules above, below and under the header; no lines between rows.
const STYLE: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('─').junction('─'))
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .bottom_border(LineStyle::none().fill('─').junction('─'));

/// Renders every incident's hypotheses as a table. Colour only when `colour` is set.
pub fn render(case: &Case, scenario: &Scenario, assessment: &Assessment, colour: bool) -> String {
    let mut out = String::new();
    out.push_str(&case.title);
    if let Some(d) = case.as_of {
        out.push_str(&format!(" (as of {d})"));
    }
    out.push('\n');
    for line in scenario_lines(case, scenario) {
        out.push_str(&format!("what-if: {line}\n"));
    }
    for ia in &assessment.incidents {
        out.push_str(&format!(
            "\nIncident: {}\n",
            incident_label(case, ia.incident)
        ));
        let mut table = Table::new();
        table
            .load_style(STYLE)
            .set_content_arrangement(ContentArrangement::Disabled);
        if colour {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table.set_header(vec![
            "Hypothesis",
            "Likelihood",
            "Confidence",
            "P",
            "b / d / u",
            "Lines",
            "Conflict",
            "Carried by",
        ]);
        for j in &ia.hypotheses {
            let mut term = Cell::new(term_with_band(j.term));
            if colour {
                term = term.fg(match j.term {
                    None => Color::DarkGrey,
                    Some(t) if t >= crate::terms::IcdTerm::Likely => Color::Green,
                    Some(t) if t <= crate::terms::IcdTerm::Unlikely => Color::Red,
                    Some(_) => Color::Yellow,
                });
            }
            let o = j.opinion;
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
            table.add_row(vec![
                Cell::new(entity_label(case, j.actor)),
                term,
                Cell::new(j.confidence.word()),
                Cell::new(format!("{:.3}", j.p)),
                Cell::new(format!(
                    "{:.2} / {:.2} / {:.2}",
                    o.belief(),
                    o.disbelief(),
                    o.uncertainty()
                )),
                Cell::new(j.lines),
                Cell::new(conflict),
                Cell::new(carriers),
            ]);
        }
        out.push_str(&table.trim_fmt());
        out.push('\n');
        if !ia.result.echoes.is_empty() {
            let echoes: Vec<String> = ia
                .result
                .echoes
                .iter()
                .map(|c| claim_label(case, *c))
                .collect();
            out.push_str(&format!(
                "Set aside as echoes of claims present: {}\n",
                echoes.join(", ")
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
                who.join("; ")
            ));
        }
    }
    out.push_str(
        "\nLikelihood (ICD 203) and confidence are separate judgements: see `attrib explain` for \
         the derivation and what would change it.\n",
    );
    out
}
