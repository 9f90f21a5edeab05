//! The terminal table of `attrib assess`.

use super::number::{write_count, write_fixed};
use super::{claim_label, entity_label, incident_label, scenario_lines};
use crate::assess::{Assessment, CONFLICT_FLAG, IncidentAssessment, Judgement};
use crate::escape::terminal;
use crate::model::Case;
use crate::terms::IcdTerm;
use anstyle::{AnsiColor, Style};
use std::borrow::Cow;
use std::fmt::Write;
use std::io;

/// The cells of a table, row after row, in one buffer: a large case's table has millions of
/// cells, and a `String` each cost more than writing them.
pub(crate) struct Cells {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
    /// Where each row's cells start in `ends`.
    rows: Vec<usize>,
}

impl Cells {
    pub(crate) fn new() -> Cells {
        Cells {
            text: String::new(),
            ends: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Starts a row.
    pub(crate) fn row(&mut self) {
        self.rows.push(self.ends.len());
    }

    /// Ends the cell written into [`Cells::text`] since the last one ended.
    pub(crate) fn end(&mut self) {
        self.ends.push(self.text.len());
    }

    /// A cell from text at hand.
    pub(crate) fn cell(&mut self, text: &str) {
        self.text.push_str(text);
        self.end();
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    /// The cells of row `r`.
    fn cells(&self, r: usize) -> impl Iterator<Item = &str> {
        let first = self.rows[r];
        let last = self.rows.get(r + 1).copied().unwrap_or(self.ends.len());
        (first..last).map(move |k| {
            let start = if k == 0 { 0 } else { self.ends[k - 1] };
            &self.text[start..self.ends[k]]
        })
    }
}

/// One aligned table: a rule, the header, a rule, the rows, a rule. Widths are counted in
/// characters; colour codes wrap a cell after it is padded, so they never disturb alignment.
/// (A table crate did this until a 10^6-claim case's 1.6 million rows took seconds to lay out.)
pub(crate) fn table(
    out: &mut String,
    header: &[&str],
    rows: &[Vec<String>],
    colours: &[Option<Style>],
) {
    let mut cells = Cells::new();
    for row in rows {
        cells.row();
        for c in row {
            cells.cell(c);
        }
    }
    lay_out(out, header, &cells, colours);
}

/// [`table`] over cells in one buffer. Each cell is escaped and measured once; a printable
/// ASCII cell (nearly every cell of a large table) is measured by its length.
pub(crate) fn lay_out(out: &mut String, header: &[&str], cells: &Cells, colours: &[Option<Style>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    // Cells quote the case: no control character, escape sequence or line break gets through.
    let mut escaped: Vec<(Cow<'_, str>, usize)> = Vec::with_capacity(cells.ends.len());
    let mut row_ends: Vec<usize> = Vec::with_capacity(cells.len());
    for r in 0..cells.len() {
        for (k, cell) in cells.cells(r).enumerate() {
            let cell = terminal::text(cell);
            let width = width_of(&cell);
            if let Some(w) = widths.get_mut(k) {
                *w = (*w).max(width);
            }
            escaped.push((cell, width));
        }
        row_ends.push(escaped.len());
    }
    let total: usize = widths.iter().map(|w| w + 3).sum::<usize>() + 1;
    let rule = "─".repeat(total);
    out.push_str(&rule);
    out.push('\n');
    line(
        out,
        &widths,
        header.iter().map(|h| (*h, h.chars().count(), None)),
    );
    out.push_str(&rule);
    out.push('\n');
    let mut at = 0;
    for (&end, colour) in row_ends.iter().zip(colours) {
        let row = &escaped[at..end];
        at = end;
        line(
            out,
            &widths,
            row.iter()
                .enumerate()
                .map(|(i, (c, w))| (c.as_ref(), *w, if i == 1 { *colour } else { None })),
        );
    }
    out.push_str(&rule);
    out.push('\n');
}

/// One line of a table: each cell (with its width in characters) padded to its column's width,
/// coloured after padding; trailing blanks cut.
fn line<'a>(
    out: &mut String,
    widths: &[usize],
    cells: impl Iterator<Item = (&'a str, usize, Option<Style>)>,
) {
    let start = out.len();
    for ((cell, width, colour), w) in cells.zip(widths) {
        out.push(' ');
        match colour {
            Some(c) => {
                let _ = write!(out, "{c}{cell}{c:#}");
            }
            None => out.push_str(cell),
        }
        spaces(out, w - width + 2);
    }
    let kept = out[start..].trim_end().len();
    out.truncate(start + kept);
    out.push('\n');
}

/// A cell's width in characters.
fn width_of(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// `n` spaces.
fn spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
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
    let mut cells = Cells::new();
    for j in &ia.hypotheses {
        row(&mut cells, case, j);
    }
    let colours: Vec<Option<Style>> = ia
        .hypotheses
        .iter()
        .map(|j| colour.then(|| term_colour(j.term())))
        .collect();
    if ia.hypotheses.is_empty() {
        out.push_str("No claim names anyone as responsible for this incident yet.\n");
    } else {
        lay_out(
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
            &cells,
            &colours,
        );
    }
    notes(out, case, ia);
}

/// A hypothesis's row, written into `cells`.
fn row(cells: &mut Cells, case: &Case, j: &Judgement) {
    let o = j.opinion();
    cells.row();
    let e = case.entity(j.actor);
    let text = &mut cells.text;
    if e.name == e.id {
        text.push_str(&e.id);
    } else {
        text.push_str(&e.name);
        text.push_str(" (");
        text.push_str(&e.id);
        text.push(')');
    }
    cells.end();
    cells.cell(super::band_of(j.term()));
    cells.cell(j.confidence().word());
    super::write_probability_digits(&mut cells.text, j.p(), 3);
    cells.end();
    let text = &mut cells.text;
    write_fixed(text, o.belief(), 2);
    text.push_str(" / ");
    write_fixed(text, o.disbelief(), 2);
    text.push_str(" / ");
    write_fixed(text, o.uncertainty(), 2);
    cells.end();
    write_count(&mut cells.text, j.lines as u64);
    cells.text.push_str(" / ");
    write_count(&mut cells.text, j.lines_against as u64);
    cells.end();
    write_fixed(&mut cells.text, j.conflict, 3);
    if j.conflict > CONFLICT_FLAG {
        cells.text.push_str(" !");
    }
    cells.end();
    for (k, c) in j.carriers.iter().enumerate() {
        if k > 0 {
            cells.text.push_str(", ");
        }
        cells.text.push_str(&case.claim(*c).id);
    }
    cells.end();
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
