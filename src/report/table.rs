//! The terminal table of `attrib assess`.

use super::number::{write_count, write_fixed};
use super::scenario_lines;
use crate::assess::{Assessment, CONFLICT_FLAG, IncidentAssessment, Judgement};
use crate::escape::terminal;
use crate::model::Case;
use crate::terms::IcdTerm;
use anstyle::{AnsiColor, Style};
use std::borrow::Cow;
use std::fmt::Write;
use std::io;

/// The cells of a table, row after row, in one buffer: a large case's table has millions of
/// cells, and a `String` each cost more than writing them. Cells quote the case, so each is
/// escaped for the terminal as it ends (no control character, escape sequence or line break
/// gets through) and measured then, once.
pub(crate) struct Cells {
    text: String,
    /// Where each cell ends in `text`, and its width in characters.
    ends: Vec<(usize, usize)>,
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

    /// Empties the cells, keeping their buffers for the next table.
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.rows.clear();
    }

    /// Starts a row.
    pub(crate) fn row(&mut self) {
        self.rows.push(self.ends.len());
    }

    /// Ends the cell written into [`Cells::text`] since the last one ended: escapes it and
    /// measures it. Printable ASCII (nearly every cell) is neither copied nor counted.
    pub(crate) fn end(&mut self) {
        let start = self.ends.last().map_or(0, |e| e.0);
        let cell = &self.text[start..];
        let width = if terminal::printable_ascii(cell) {
            cell.len()
        } else {
            if let Cow::Owned(escaped) = terminal::text(cell) {
                self.text.truncate(start);
                self.text.push_str(&escaped);
            }
            self.text[start..].chars().count()
        };
        self.ends.push((self.text.len(), width));
    }

    /// A cell of attrib's own words (a likelihood band, a confidence level): nothing to
    /// escape, only to measure.
    fn constant(&mut self, text: &'static str) {
        self.text.push_str(text);
        self.ends.push((self.text.len(), text.chars().count()));
    }

    /// A cell from text at hand.
    pub(crate) fn cell(&mut self, text: &str) {
        self.text.push_str(text);
        self.end();
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    /// The cells of row `r`, each with its width.
    fn cells(&self, r: usize) -> impl Iterator<Item = (&str, usize)> {
        let first = self.rows[r];
        let last = self.rows.get(r + 1).copied().unwrap_or(self.ends.len());
        (first..last).map(move |k| {
            let start = if k == 0 { 0 } else { self.ends[k - 1].0 };
            let (end, width) = self.ends[k];
            (&self.text[start..end], width)
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

/// [`table`] over cells in one buffer, escaped and measured as they were written.
pub(crate) fn lay_out(out: &mut String, header: &[&str], cells: &Cells, colours: &[Option<Style>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in 0..cells.len() {
        for (w, (_, width)) in widths.iter_mut().zip(cells.cells(r)) {
            *w = (*w).max(width);
        }
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
    for (r, colour) in (0..cells.len()).zip(colours) {
        line(
            out,
            &widths,
            cells
                .cells(r)
                .enumerate()
                .map(|(i, (c, w))| (c, w, if i == 1 { *colour } else { None })),
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
    let mut cells = Cells::new();
    let mut scratch = String::new();
    for ia in assessment.each(case) {
        w.write_all(out.as_bytes())?;
        out.clear();
        cells.clear();
        incident(&mut out, &mut cells, &mut scratch, case, &ia, colour);
    }
    out.push_str(
        "\nLikelihood (ICD 203) and confidence are separate judgements: see `attrib explain` for \
         the derivation and what would change it.\n",
    );
    w.write_all(out.as_bytes())
}

/// One incident: its table of hypotheses, then what the table does not show. `cells` (empty)
/// and `scratch` are buffers kept from one incident to the next.
fn incident(
    out: &mut String,
    cells: &mut Cells,
    scratch: &mut String,
    case: &Case,
    ia: &IncidentAssessment,
    colour: bool,
) {
    let i = case.incident(ia.incident);
    out.push_str("\nIncident: ");
    push_text(out, &i.name);
    out.push_str(" (");
    push_text(out, &i.id);
    out.push_str(")\n");
    for j in &ia.hypotheses {
        row(cells, case, j);
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
            cells,
            &colours,
        );
    }
    notes(out, scratch, case, ia);
}

/// Case text escaped for the terminal. Escaping goes character by character, so pieces
/// escaped one by one read as the whole escaped at once.
fn push_text(out: &mut String, s: &str) {
    out.push_str(&terminal::text(s));
}

/// A hypothesis's row, written into `cells`.
fn row(cells: &mut Cells, case: &Case, j: &Judgement) {
    let reading = j.reading();
    let o = reading.opinion;
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
    cells.constant(super::band_of(reading.term));
    cells.constant(reading.confidence.word());
    super::write_probability_digits(&mut cells.text, reading.p, 3);
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
/// weight, echoes set aside, and condemnations that name no one. Written piece by piece, each
/// piece of case text escaped (see [`push_text`]).
fn notes(out: &mut String, scratch: &mut String, case: &Case, ia: &IncidentAssessment) {
    for j in &ia.hypotheses {
        scratch.clear();
        if super::write_borrowed_reason(scratch, case, j) {
            let start = out.len();
            super::write_entity_label(out, case, j.actor);
            escape_from(out, start);
            out.push_str(": ");
            out.push_str(j.term_word());
            out.push_str(" only because ");
            push_text(out, scratch);
            out.push_str("; no evidence bears on it itself.\n");
        }
    }
    let mut weightless = ia
        .hypotheses
        .iter()
        .flat_map(|j| &j.weightless)
        .filter(|(_, why)| *why != crate::assess::Weightless::Echo)
        .peekable();
    if weightless.peek().is_some() {
        out.push_str("Claims that carry no weight: ");
        for (k, (c, why)) in weightless.enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            // "c10 (Bluefin Threat Labs, vacuous)": the source and the reason in one aside.
            push_claim_aside(out, case, *c, &why.word().replace('_', " "));
        }
        out.push('\n');
    }
    if !ia.derivation.echoes.is_empty() {
        out.push_str("Set aside as echoes of claims present: ");
        for (k, c) in ia.derivation.echoes.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            push_claim_label(out, case, *c);
        }
        out.push('\n');
    }
    if !ia.condemnations.is_empty() {
        out.push_str("Condemned without naming a perpetrator: ");
        for (k, c) in ia.condemnations.iter().enumerate() {
            if k > 0 {
                out.push_str("; ");
            }
            push_text(out, &case.source(case.claim(*c).source).name);
        }
        out.push('\n');
    }
}

/// A claim's label ([`super::claim_label`]), escaped.
fn push_claim_label(out: &mut String, case: &Case, id: crate::model::ClaimId) {
    push_claim_aside(out, case, id, "");
}

/// "c10 (Bluefin Threat Labs)", with `more` after the source's name in the parentheses
/// (", " between) when there is any.
fn push_claim_aside(out: &mut String, case: &Case, id: crate::model::ClaimId, more: &str) {
    let c = case.claim(id);
    push_text(out, &c.id);
    out.push_str(" (");
    push_text(out, &case.source(c.source).name);
    if !more.is_empty() {
        out.push_str(", ");
        out.push_str(more);
    }
    out.push(')');
}

/// Escapes in place what was written into `out` from `start` on.
fn escape_from(out: &mut String, start: usize) {
    if let Cow::Owned(escaped) = terminal::text(&out[start..]) {
        out.truncate(start);
        out.push_str(&escaped);
    }
}
