//! The terminal table of `attrib assess`.

use super::fit;
use super::number::{write_count, write_fixed};
use super::scenario_lines;
use crate::assess::{Assessment, IncidentAssessment, Judgement, Weightless};
use crate::escape::terminal;
use crate::model::{Case, ClaimId, EntityId};
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
    /// Where each cell ends in `text`, and its width in terminal columns.
    ends: Vec<(usize, usize)>,
    /// Where each row's cells start in `ends`.
    rows: Vec<usize>,
    /// The width of each of attrib's own words measured so far ([`Cells::constant`]): a
    /// likelihood band holds an en dash, which sends its measure the long way, on every row.
    measured: Vec<(&'static str, usize)>,
}

impl Cells {
    pub(crate) fn new() -> Cells {
        Cells {
            text: String::new(),
            ends: Vec::new(),
            rows: Vec::new(),
            measured: Vec::new(),
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
            fit::width_of(&self.text[start..])
        };
        self.ends.push((self.text.len(), width));
    }

    /// A cell of attrib's own words (a likelihood band, a confidence level) and a mark of
    /// printable ASCII after them: nothing to escape, only to measure.
    fn constant(&mut self, text: &'static str, mark: &'static str) {
        self.text.push_str(text);
        self.text.push_str(mark);
        let width = match self.measured.iter().find(|(t, _)| std::ptr::eq(*t, text)) {
            Some(&(_, width)) => width,
            None => {
                let width = fit::width_of(text);
                self.measured.push((text, width));
                width
            }
        };
        self.ends.push((self.text.len(), width + mark.len()));
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

/// A column of a terminal table: its heading, and whether its cells may be wrapped at spaces
/// when the table must fit a width (names and lists may; figures are never broken).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub(crate) heading: &'static str,
    pub(crate) wraps: bool,
}

impl Column {
    /// A column whose cells wrap at spaces.
    pub(crate) const fn wrapping(heading: &'static str) -> Column {
        Column {
            heading,
            wraps: true,
        }
    }

    /// A column of figures: only its heading wraps.
    pub(crate) const fn whole(heading: &'static str) -> Column {
        Column {
            heading,
            wraps: false,
        }
    }
}

/// How a terminal report is written: in colour or not, and the width it must fit (`None`: as
/// wide as its content, what a file or a pipe gets).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Screen {
    /// ANSI colours on the likelihood column.
    pub colour: bool,
    /// The terminal's width in columns.
    pub width: Option<usize>,
}

/// One aligned table, without colour: a rule, the header, a rule, the rows, a rule. Widths
/// are counted in terminal columns. (A table crate did this until a 10^6-claim case's 1.6
/// million rows took seconds to lay out.)
pub(crate) fn table(
    out: &mut String,
    columns: &[Column],
    rows: &[Vec<String>],
    width: Option<usize>,
) {
    let mut cells = Cells::new();
    for row in rows {
        cells.row();
        for c in row {
            cells.cell(c);
        }
    }
    lay_out(out, columns, &cells, &vec![None; rows.len()], width);
}

/// [`table`] over cells in one buffer, escaped and measured as they were written, the second
/// cell of each row coloured by `colours` (after padding, so that colour codes never disturb
/// alignment). Within
/// `width`, as it is; wider, with the cells of wrapping columns (and headings) wrapped at
/// spaces, the widest column narrowed first; when even that cannot fit, each row stacked as its
/// first cell over the others' headings and values ([`stacked`]).
pub(crate) fn lay_out(
    out: &mut String,
    columns: &[Column],
    cells: &Cells,
    colours: &[Option<Style>],
    width: Option<usize>,
) {
    let headings: Vec<usize> = columns.iter().map(|c| fit::width_of(c.heading)).collect();
    let mut widths = headings.clone();
    for r in 0..cells.len() {
        for (w, (_, width)) in widths.iter_mut().zip(cells.cells(r)) {
            *w = (*w).max(width);
        }
    }
    if let Some(limit) = width.map(|w| w.max(fit::NARROWEST))
        && total(&widths) > limit
    {
        match narrowed(columns, cells, widths, limit) {
            Some(widths) if tallest(cells, &widths) <= TALLEST => {
                wrapped(out, columns, cells, colours, &widths)
            }
            _ => stacked(out, columns, cells, colours, limit),
        }
        return;
    }
    let rule = "─".repeat(total(&widths).min(LONGEST_RULE));
    out.push_str(&rule);
    out.push('\n');
    line(
        out,
        &widths,
        columns
            .iter()
            .zip(&headings)
            .map(|(c, &w)| (c.heading, w, None)),
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

/// The longest rule drawn above, under and below the header of a table not fitted to a width:
/// wider than any terminal, and a bound on what a case's longest name costs each incident (a
/// name of 100,000 characters drew three rules of 300 kB under every incident naming it).
const LONGEST_RULE: usize = 500;

/// The most lines a cell of a narrowed table may take: past it ("Government / of the /
/// Russian / Federation / (russia)") the rows are easier to read stacked.
const TALLEST: usize = 3;

/// The most lines any cell takes in columns of `widths`.
fn tallest(cells: &Cells, widths: &[usize]) -> usize {
    (0..cells.len())
        .flat_map(|r| cells.cells(r).zip(widths))
        .map(|((cell, width), &w)| {
            if width <= w {
                1
            } else {
                fit::wrap(cell, w, "", "").len()
            }
        })
        .max()
        .unwrap_or(1)
}

/// A table's width with columns of `widths`: a blank before each cell and two after.
fn total(widths: &[usize]) -> usize {
    widths.iter().map(|w| w + 3).sum::<usize>() + 1
}

/// Column widths that fit `limit`, from the content's: first headings are wrapped (a heading
/// wider than its column's cells costs a line of the header, not of every row), then cells of
/// wrapping columns; each time the widest column that can still give loses a column. A column
/// goes down to its widest word (a wrapping column) or its widest cell (a column of figures),
/// and its heading's widest word. `None` when the table cannot fit.
fn narrowed(
    columns: &[Column],
    cells: &Cells,
    mut widths: Vec<usize>,
    limit: usize,
) -> Option<Vec<usize>> {
    let headings: Vec<usize> = columns
        .iter()
        .map(|c| fit::widest_word(c.heading))
        .collect();
    let mut content = vec![0; columns.len()];
    let mut least = headings.clone();
    for r in 0..cells.len() {
        for (k, (column, (cell, width))) in columns.iter().zip(cells.cells(r)).enumerate() {
            content[k] = content[k].max(width);
            let need = if column.wraps && width > least[k] {
                fit::widest_word(cell)
            } else {
                width
            };
            least[k] = least[k].max(need);
        }
    }
    let headers_only: Vec<usize> = (content.iter().zip(&headings))
        .map(|(&c, &h)| c.max(h))
        .collect();
    let mut excess = total(&widths) - limit;
    for floor in [&headers_only, &least] {
        while excess > 0 {
            // The widest column that can give; the leftmost of equals.
            let Some((i, _)) = (widths.iter().enumerate())
                .filter(|&(i, &w)| w > floor[i])
                .rev()
                .max_by_key(|&(_, &w)| w)
            else {
                break;
            };
            widths[i] -= 1;
            excess -= 1;
        }
    }
    (excess == 0).then_some(widths)
}

/// The table with columns of `widths`, each cell wider than its column wrapped at spaces over
/// as many lines as it needs.
fn wrapped(
    out: &mut String,
    columns: &[Column],
    cells: &Cells,
    colours: &[Option<Style>],
    widths: &[usize],
) {
    let rule = "─".repeat(total(widths));
    out.push_str(&rule);
    out.push('\n');
    lines(
        out,
        widths,
        columns
            .iter()
            .map(|c| (c.heading, fit::width_of(c.heading), None)),
    );
    out.push_str(&rule);
    out.push('\n');
    for (r, colour) in (0..cells.len()).zip(colours) {
        lines(
            out,
            widths,
            cells
                .cells(r)
                .enumerate()
                .map(|(i, (c, w))| (c, w, if i == 1 { *colour } else { None })),
        );
    }
    out.push_str(&rule);
    out.push('\n');
}

/// One row of a narrowed table, over as many lines as its tallest cell.
fn lines<'a>(
    out: &mut String,
    widths: &[usize],
    cells: impl Iterator<Item = (&'a str, usize, Option<Style>)>,
) {
    let parts: Vec<(Vec<Cow<'a, str>>, Option<Style>)> = cells
        .zip(widths)
        .map(|((cell, width, colour), &w)| {
            let pieces = if width <= w {
                vec![Cow::Borrowed(cell)]
            } else {
                fit::wrap(cell, w, "", "")
            };
            (pieces, colour)
        })
        .collect();
    let height = parts.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
    for k in 0..height {
        line(
            out,
            widths,
            parts.iter().map(|(pieces, colour)| {
                let piece = pieces.get(k).map_or("", |p| p.as_ref());
                let colour = colour.filter(|_| !piece.is_empty());
                (piece, fit::width_of(piece), colour)
            }),
        );
    }
}

/// Each row as a record, for a width no table fits: its first cell on a line of its own, then
/// "Heading: value" for each other cell that is not empty, separated by "; " and wrapped
/// between them, indented.
fn stacked(
    out: &mut String,
    columns: &[Column],
    cells: &Cells,
    colours: &[Option<Style>],
    limit: usize,
) {
    const INDENT: &str = "    ";
    let rule = "─".repeat(limit);
    out.push_str(&rule);
    out.push('\n');
    for (r, colour) in (0..cells.len()).zip(colours) {
        let mut row = cells.cells(r);
        let Some((title, _)) = row.next() else {
            continue;
        };
        for piece in fit::wrap(title, limit, " ", INDENT) {
            out.push_str(&piece);
            out.push('\n');
        }
        let mut at = 0;
        for (i, (cell, width)) in row.enumerate() {
            if cell.is_empty() {
                continue;
            }
            let heading = columns.get(i + 1).map_or("", |c| c.heading);
            let item = fit::width_of(heading) + 2 + width;
            // A line keeps a column for the ";" that may end it.
            let room = limit - 1;
            if at > 0 && at + 2 + item <= room {
                out.push_str("; ");
                at += 2;
            } else {
                if at > 0 {
                    out.push_str(";\n");
                }
                if INDENT.len() + item > room {
                    // Wider than a line on its own: wrapped at spaces, without colour.
                    let text = format!("{heading}: {cell}");
                    let pieces = fit::wrap(&text, room, INDENT, INDENT);
                    out.push_str(&pieces.join("\n"));
                    at = pieces.last().map_or(0, |p| fit::width_of(p));
                    continue;
                }
                out.push_str(INDENT);
                at = INDENT.len();
            }
            let colour = if i == 0 { *colour } else { None };
            out.push_str(heading);
            out.push_str(": ");
            match colour {
                Some(c) => {
                    let _ = write!(out, "{c}{cell}{c:#}");
                }
                None => out.push_str(cell),
            }
            at += item;
        }
        if at > 0 {
            out.push('\n');
        }
    }
    out.push_str(&rule);
    out.push('\n');
}

/// One line of a table: each cell (with its width in columns) padded to its column's width,
/// coloured after padding; trailing blanks cut.
fn line<'a>(
    out: &mut String,
    widths: &[usize],
    cells: impl Iterator<Item = (&'a str, usize, Option<Style>)>,
) {
    let start = out.len();
    // The blanks before and after each cell are written only when something follows them:
    // padding the last cells to their columns' widths (a long list of carriers sets the last
    // one's) only for the blanks to be cut again was a tenth of the table's layout.
    let mut owed = 0;
    for ((cell, width, colour), w) in cells.zip(widths) {
        owed += 1;
        match colour {
            Some(c) => {
                spaces(out, std::mem::take(&mut owed));
                let _ = write!(out, "{c}{cell}{c:#}");
            }
            None if !cell.is_empty() => {
                spaces(out, std::mem::take(&mut owed));
                out.push_str(cell);
            }
            None => {}
        }
        owed += w - width + 2;
    }
    // A cell of the case's own text may end in blanks of its own.
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

/// Blue for likely and above, yellow for unlikely and below, as the diagrams' scale runs from
/// blue to orange (a pair told apart by readers who cannot tell red from green, and neither
/// read as good or bad); no colour between, grey when the evidence is insufficient.
fn term_colour(term: Option<IcdTerm>) -> Style {
    let colour = match term {
        None => AnsiColor::BrightBlack,
        Some(t) if t >= IcdTerm::Likely => AnsiColor::BrightBlue,
        Some(t) if t <= IcdTerm::Unlikely => AnsiColor::Yellow,
        Some(_) => return Style::new(),
    };
    colour.on_default()
}

/// The columns of an incident's table.
const COLUMNS: [Column; 8] = [
    Column::wrapping("Hypothesis"),
    Column::wrapping("Likelihood"),
    Column::whole("Confidence"),
    Column::whole("P"),
    Column::whole("b / d / u"),
    Column::whole("Lines for / against"),
    Column::whole("Conflict"),
    Column::wrapping("Carried by"),
];

/// Writes every incident's hypotheses as a table, one incident at a time, in colour and fitted
/// to a width as `screen` says: the caller decides, from the terminal and the environment.
pub fn render(
    case: &Case,
    assessment: &Assessment,
    screen: Screen,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    // The TLP of the data the case was built from heads and closes the output, as in the
    // Markdown and HTML reports.
    let tlp = super::tlp_label(case);
    let mut out = String::new();
    if let Some(label) = &tlp {
        out.push_str(label);
        out.push('\n');
    }
    out.push_str(&terminal::text(&case.title));
    if let Some(d) = super::information_date(case, assessment) {
        out.push_str(&format!(" (as of {d})"));
    }
    out.push('\n');
    for line in scenario_lines(case, &assessment.scenario) {
        out.push_str(&format!("what-if: {}\n", terminal::text(&line)));
    }
    if case.incidents.is_empty() {
        out.push_str(&format!("\n{}\n", super::no_incident(case)));
    }
    fit::prose_from(&mut out, 0, screen.width);
    let mut cells = Cells::new();
    let mut scratch = String::new();
    let lines_aside = !assessment.scenario.without_families.is_empty();
    for ia in assessment.each(case) {
        w.write_all(out.as_bytes())?;
        out.clear();
        cells.clear();
        let before = super::not_begun(case, assessment, &ia);
        incident(
            &mut out,
            &mut cells,
            &mut scratch,
            case,
            &ia,
            (before.as_deref(), lines_aside, assessment),
            screen,
        );
    }
    // The key to judgements, where there are any.
    if !case.incidents.is_empty() {
        let start = out.len();
        out.push_str(
            "\nLikelihood (ICD 203) and confidence are separate judgements: see `attrib explain` \
             for the derivation and what would change it.\n",
        );
        fit::prose_from(&mut out, start, screen.width);
    }
    if let Some(label) = &tlp {
        out.push_str(&format!("\n{label}\n"));
    }
    w.write_all(out.as_bytes())
}

/// One incident: its table of hypotheses, then what the table does not show. `cells` (empty)
/// and `scratch` are buffers kept from one incident to the next; `not_begun`, the sentence for
/// an incident that had not begun by the information date; `lines_aside`, whether the
/// scenario sets lines of evidence aside.
fn incident(
    out: &mut String,
    cells: &mut Cells,
    scratch: &mut String,
    case: &Case,
    ia: &IncidentAssessment,
    (not_begun, lines_aside, assessment): (Option<&str>, bool, &Assessment),
    screen: Screen,
) {
    let i = case.incident(ia.incident);
    let start = out.len();
    out.push_str("\nIncident: ");
    push_text(out, &i.name);
    out.push_str(" (");
    push_text(out, &i.id);
    out.push_str(")\n");
    if let Some(note) = not_begun {
        out.push_str(note);
        out.push('\n');
    }
    fit::prose_from(out, start, screen.width);
    let mut marks = Marks::default();
    for j in &ia.hypotheses {
        marks |= row(cells, case, j);
    }
    let colours: Vec<Option<Style>> = ia
        .hypotheses
        .iter()
        .map(|j| screen.colour.then(|| term_colour(j.term())))
        .collect();
    let start = if ia.hypotheses.is_empty() {
        let start = out.len();
        out.push_str(super::NO_CLAIM);
        out.push('\n');
        start
    } else {
        lay_out(out, &COLUMNS, cells, &colours, screen.width);
        out.len()
    };
    if marks.prior {
        out.push_str(PRIOR_NOTE);
    }
    if marks.conflict {
        out.push_str(CONFLICT_NOTE);
    }
    notes(out, scratch, (case, assessment), ia, lines_aside);
    fit::prose_from(out, start, screen.width);
}

/// Case text escaped for the terminal. Escaping goes character by character, so pieces
/// escaped one by one read as the whole escaped at once.
fn push_text(out: &mut String, s: &str) {
    out.push_str(&terminal::text(s));
}

/// The mark after a likelihood that rests mostly on the base rate, and its note.
pub(super) const PRIOR_MARK: &str = " *";
pub(super) const PRIOR_NOTE: &str = "* The likelihood rests mostly on the base rate: the prior times the \
                          uncertainty outweighs the evidence for and against (`attrib explain` \
                          gives the figures).\n";

/// The note under a table with a conflict flagged ("0.258 !").
const CONFLICT_NOTE: &str = "! The evidence for and the evidence against conflict: a degree \
                             of conflict above 0.2 (one firm claim against can reach it; \
                             `attrib explain` lists both sides).\n";

/// What a row marks, for the notes under its table.
#[derive(Default, Clone, Copy)]
struct Marks {
    /// The likelihood rests mostly on the base rate ([`PRIOR_MARK`]).
    prior: bool,
    /// The degree of conflict is flagged.
    conflict: bool,
}

impl std::ops::BitOrAssign for Marks {
    fn bitor_assign(&mut self, other: Marks) {
        self.prior |= other.prior;
        self.conflict |= other.conflict;
    }
}

/// A hypothesis's row, written into `cells`; what it marks.
fn row(cells: &mut Cells, case: &Case, j: &Judgement) -> Marks {
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
    let prior = super::mostly_prior(j.prior, o, reading.term);
    cells.constant(
        super::band_of(reading.term),
        if prior { PRIOR_MARK } else { "" },
    );
    cells.constant(reading.confidence.word(), "");
    super::write_probability_digits(&mut cells.text, reading.p, 3);
    cells.end();
    let text = &mut cells.text;
    write_fixed(text, o.belief(), 2);
    text.push_str(" / ");
    write_fixed(text, o.disbelief(), 2);
    text.push_str(" / ");
    super::write_uncertainty_digits(text, o.uncertainty(), 2);
    cells.end();
    write_count(&mut cells.text, j.lines as u64);
    cells.text.push_str(" / ");
    write_count(&mut cells.text, j.lines_against as u64);
    cells.end();
    write_fixed(&mut cells.text, j.conflict, 3);
    let conflict = j.conflict_flagged();
    if conflict {
        cells.text.push_str(" !");
    }
    cells.end();
    for (k, c) in j.carriers.iter().enumerate() {
        if k > 0 {
            cells.text.push_str(", ");
        }
        cells.text.push_str(&case.claim(*c).id);
    }
    // The link and pair claims their evidence crosses: without them it would not reach here.
    for (k, c) in j.carried_via.iter().enumerate() {
        // After a semicolon: "c4, c3 via c13" read as if c3 alone came via c13.
        if k == 0 {
            cells.text.push_str("; via ");
            cells.text.push_str(super::via_word(case, &j.carried_via));
            cells.text.push(' ');
        } else {
            cells.text.push_str(", ");
        }
        cells.text.push_str(&case.claim(*c).id);
    }
    cells.end();
    Marks { prior, conflict }
}

/// Under the table: judgements that stand only on borrowed evidence, claims that carry no
/// weight, echoes set aside, condemnations that name no one, and parts judged above a whole a
/// claim links them to. Written piece by piece, each piece of case text escaped (see
/// [`push_text`]).
fn notes(
    out: &mut String,
    scratch: &mut String,
    (case, assessment): (&Case, &Assessment),
    ia: &IncidentAssessment,
    lines_aside: bool,
) {
    borrowed(out, scratch, case, ia);
    // A link claim names both its ends: listed once.
    let mut listed = std::collections::BTreeSet::new();
    let mut weightless = ia
        .hypotheses
        .iter()
        .flat_map(|j| &j.weightless)
        .filter(|(c, why)| !why.is_echo() && listed.insert(*c))
        .peekable();
    if weightless.peek().is_some() {
        out.push_str("Claims that carry no weight: ");
        for (k, (c, why)) in weightless.enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            // "c10 (Bluefin Threat Labs, roughly even chance)": the source and the reason in one
            // aside.
            push_claim_aside(out, case, *c, why.short());
        }
        out.push('\n');
    }
    // An echo none of whose originals states what it states (W108) is set aside all the same,
    // but nothing is counted in its place: not "an echo of claims present" to a reader.
    let of_other: std::collections::BTreeSet<ClaimId> = (ia.hypotheses.iter())
        .filter(|_| !ia.derivation.echoes.is_empty())
        .flat_map(|j| &j.weightless)
        .filter(|(_, why)| *why == Weightless::EchoOfOther)
        .map(|(c, _)| *c)
        .collect();
    let (other, echoes): (Vec<ClaimId>, Vec<ClaimId>) =
        (ia.derivation.echoes.iter()).partition(|c| of_other.contains(c));
    for (list, words) in [
        (
            echoes,
            if lines_aside {
                "Set aside as echoes of claims present or set aside with their line of evidence: "
            } else {
                "Set aside as echoes of claims present: "
            },
        ),
        (
            other,
            "Set aside as restatements of claims present that say something else, nothing \
             counted in their place: ",
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push_str(words);
        for (k, c) in list.iter().enumerate() {
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
    above_whole(out, (case, assessment), ia);
}

/// The hypotheses that stand only on borrowed evidence (a competitor's support, a whole's
/// opposition), one line for those that borrow the same: a state's denial reaches every
/// agency, unit and group under it, and a line for each would say the same thing ten times.
fn borrowed(out: &mut String, scratch: &mut String, case: &Case, ia: &IncidentAssessment) {
    // The reason's text, with the hypotheses that give it, in the order of their first.
    let mut reasons: Vec<(String, Vec<&Judgement>)> = Vec::new();
    let mut index: std::collections::BTreeMap<(&[EntityId], &[EntityId]), usize> =
        std::collections::BTreeMap::new();
    for j in &ia.hypotheses {
        scratch.clear();
        if !super::write_borrowed_reason(scratch, case, j) {
            continue;
        }
        let k = *index
            .entry((&j.competitors[..], &j.inherited_from[..]))
            .or_insert_with(|| {
                reasons.push((scratch.clone(), Vec::new()));
                reasons.len() - 1
            });
        reasons[k].1.push(j);
    }
    for (reason, judged) in &reasons {
        if let [j] = judged[..] {
            push_entity(out, case, j.actor);
            out.push_str(": ");
            out.push_str(j.term_word());
            out.push_str(" only because ");
            push_text(out, reason);
            out.push_str("; no evidence bears on it itself.\n");
            continue;
        }
        out.push_str("No evidence bears on these themselves; each is judged only because ");
        push_text(out, reason);
        out.push_str(": ");
        for (k, j) in judged.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            push_entity(out, case, j.actor);
            out.push(' ');
            out.push_str(j.term_word());
        }
        out.push_str(".\n");
    }
}

/// Parts judged above a whole a claimed link ties them to ([`super::wholes_below`]): one
/// sentence for one, else the reason once and each part, whole and link after it.
fn above_whole(
    out: &mut String,
    (case, assessment): (&Case, &Assessment),
    ia: &IncidentAssessment,
) {
    // Each part, its link's index, the whole, and the link's claims stating and denying it
    // (those stating it are named, those denying it in the aside).
    type Found<'a> = (
        &'a Judgement,
        usize,
        &'a Judgement,
        Vec<ClaimId>,
        Vec<ClaimId>,
    );
    let found: Vec<Found> = (ia.hypotheses.iter())
        .flat_map(|j| {
            let wholes = super::wholes_below(case, assessment, ia, j);
            wholes.into_iter().map(move |(k, whole)| {
                let (stating, denying) = super::link_sides(assessment, k);
                (j, k, whole, stating, denying)
            })
        })
        .collect();
    let aside = |out: &mut String, (j, k, whole, stating, denying): &Found| {
        out.push_str(" (");
        out.push_str(&super::link_relations(case, stating));
        out.push_str(", b ");
        // A link held at even chance fuses to a belief of -0.0, which is none.
        let belief = assessment.link_beliefs.get(*k).copied().unwrap_or(0.0);
        write_fixed(out, super::unsigned_zero(belief, 2), 2);
        push_text(out, &super::denied_by(case, denying));
        out.push_str(&super::prior_aside(j, whole));
        out.push(')');
    };
    if let [one] = &found[..] {
        let (j, k, _, stating, _) = one;
        push_entity(out, case, j.actor);
        out.push_str(" is judged more likely than ");
        push_entity(out, case, assessment.links[*k].to);
        out.push_str(", which ");
        push_claim_ids(out, case, stating);
        out.push_str(if stating.len() == 1 {
            " links it to"
        } else {
            " link it to"
        });
        aside(out, one);
        out.push_str(": a claimed link carries ");
        out.push_str(super::Crossing::of(j, one.2).carried());
        out.push_str(" only as far as it is believed (model §5).\n");
        return;
    }
    let Some(crossing) = (found.iter())
        .map(|(j, _, whole, _, _)| super::Crossing::of(j, whole))
        .reduce(super::Crossing::and)
    else {
        return;
    };
    out.push_str(
        "Parts judged more likely than the wholes claims link them to, since a claimed link \
         carries ",
    );
    out.push_str(crossing.carried());
    out.push_str(" only as far as it is believed (model §5): ");
    for (n, each) in found.iter().enumerate() {
        if n > 0 {
            out.push_str("; ");
        }
        push_entity(out, case, each.0.actor);
        out.push_str(" above ");
        push_entity(out, case, assessment.links[each.1].to);
        out.push_str(", ");
        push_claim_ids(out, case, &each.3);
        aside(out, each);
    }
    out.push_str(".\n");
}

/// "claim c1" or "claims c1, c2", the ids escaped.
fn push_claim_ids(out: &mut String, case: &Case, claims: &[ClaimId]) {
    out.push_str(if claims.len() == 1 {
        "claim "
    } else {
        "claims "
    });
    for (n, &c) in claims.iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        push_text(out, &case.claim(c).id);
    }
}

/// An entity's label ([`super::entity_label`]), escaped.
fn push_entity(out: &mut String, case: &Case, id: EntityId) {
    let start = out.len();
    super::write_entity_label(out, case, id);
    escape_from(out, start);
}

/// A claim's label ([`super::claim_label`]), escaped.
fn push_claim_label(out: &mut String, case: &Case, id: ClaimId) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column::wrapping("Hypothesis"),
        Column::whole("P"),
        Column::wrapping("Carried by"),
    ];

    fn laid_out(rows: &[[&str; 3]], width: Option<usize>) -> String {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let mut out = String::new();
        table(&mut out, &COLS, &rows, width);
        out
    }

    /// Whether every line of `text` fits `width` terminal columns.
    fn fits(text: &str, width: usize) -> bool {
        text.lines().all(|l| fit::width_of(l) <= width)
    }

    /// The words of a table's text, rules and headings aside, sorted.
    fn words(text: &str) -> Vec<String> {
        let mut words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == ';')
            .filter(|w| !w.is_empty() && !w.starts_with('─'))
            .filter(|w| !["Hypothesis", "P", "P:", "Carried", "by", "by:"].contains(w))
            .map(str::to_string)
            .collect();
        words.sort();
        words
    }

    const ROWS: [[&str; 3]; 3] = [
        [
            "Ministry of Intelligence and Security (mois)",
            "0.777",
            "d13-mois, d10b, d4",
        ],
        ["伊朗政府 (iran)", "0.925", "d7"],
        ["HEXANE (hexane)", "0.643", ""],
    ];

    /// A row's line is what padding every cell to its column and cutting the trailing blanks
    /// writes, though the blanks after the last text are never written.
    #[test]
    fn a_line_is_its_cells_padded_with_the_trailing_blanks_cut() {
        let red = Some(AnsiColor::Red.on_default());
        let rows: [&[(&str, Option<Style>)]; 6] = [
            &[("a", None), ("bb", None), ("c", None)],
            &[("a", None), ("", None), ("c", None)],
            &[("a", None), ("", None), ("", None)],
            &[("", None), ("", None), ("", None)],
            &[("a", None), ("b  ", None), ("", None)],
            &[("a", None), ("", red), ("", None)],
        ];
        let widths = [3, 4, 5];
        for cells in rows {
            let mut expected = String::new();
            for (&(cell, colour), w) in cells.iter().zip(widths) {
                expected.push(' ');
                match colour {
                    Some(c) => expected.push_str(&format!("{c}{cell}{c:#}")),
                    None => expected.push_str(cell),
                }
                expected.push_str(&" ".repeat(w - cell.len() + 2));
            }
            let expected = format!("{}\n", expected.trim_end());
            let mut out = String::new();
            line(
                &mut out,
                &widths,
                cells.iter().map(|&(c, colour)| (c, c.len(), colour)),
            );
            assert_eq!(out, expected, "{cells:?}");
        }
    }

    #[test]
    fn the_conflict_note_names_the_threshold_flagged() {
        assert!(CONFLICT_NOTE.contains(&format!("above {} ", crate::assess::CONFLICT_FLAG)));
    }

    #[test]
    fn a_table_within_its_width_is_laid_out_as_without_one() {
        let plain = laid_out(&ROWS, None);
        let widest = plain.lines().map(fit::width_of).max().unwrap();
        assert_eq!(laid_out(&ROWS, Some(widest)), plain);
        assert_eq!(laid_out(&ROWS, Some(500)), plain);
    }

    /// A name of 100,000 characters drew three rules as wide under every incident naming it.
    #[test]
    fn the_rules_of_a_table_without_a_width_stop_at_500_columns() {
        let long = "x".repeat(2000);
        let plain = laid_out(&[[long.as_str(), "0.5", "c1"]], None);
        let rules: Vec<&str> = plain.lines().filter(|l| l.starts_with('─')).collect();
        assert_eq!(rules.len(), 3, "{plain}");
        assert!(rules.iter().all(|r| *r == "─".repeat(LONGEST_RULE)));
        assert!(plain.contains(&format!(" {long}   0.5")), "{plain}");
    }

    #[test]
    fn wide_characters_are_aligned_by_the_columns_they_take() {
        let plain = laid_out(&ROWS, None);
        // Each row's P starts in the same terminal column.
        let starts: Vec<usize> = plain
            .lines()
            .filter_map(|l| l.find("0.").map(|at| fit::width_of(&l[..at])))
            .collect();
        assert_eq!(starts.len(), 3);
        assert!(starts.iter().all(|&s| s == starts[0]), "{plain}");
    }

    #[test]
    fn a_narrowed_table_wraps_names_and_lists_and_keeps_figures_whole() {
        let text = laid_out(&ROWS, Some(50));
        assert!(fits(&text, 50), "{text}");
        assert!(text.contains(" Ministry of "), "{text}");
        assert!(text.lines().filter(|l| l.contains("0.777")).count() == 1);
        assert_eq!(words(&text), words(&laid_out(&ROWS, None)));
        // Narrowed, not stacked: the heading row is there.
        assert!(
            text.lines().nth(1).unwrap().starts_with(" Hypothesis"),
            "{text}"
        );
        // Narrower, the name would take more than three lines: stacked instead.
        let text = laid_out(&ROWS, Some(40));
        assert!(
            text.contains("\n Ministry of Intelligence and Security\n    (mois)\n    P: 0.777;"),
            "{text}"
        );
        assert!(!text.contains(" Hypothesis"), "{text}");
    }

    #[test]
    fn rows_are_stacked_when_no_table_fits() {
        let text = laid_out(&ROWS, Some(24));
        assert!(fits(&text, 24), "{text}");
        assert!(text.contains("\n    P: 0.777;"), "{text}");
        // An empty cell is left out, not written as "Carried by: ".
        assert!(!text.contains("Carried by: \n") && !text.ends_with("Carried by:\n"));
        assert!(
            text.contains("\n HEXANE (hexane)\n    P: 0.643\n─"),
            "{text}"
        );
        assert_eq!(words(&text), words(&laid_out(&ROWS, None)));
    }

    /// A one-letter word inside a longer one ("aa(a") is no label: "(a 0,0…" is not kept
    /// together, so no unit grows past what a stacked line holds.
    #[test]
    fn only_a_label_of_its_own_is_kept_with_its_figure() {
        let rows = [["a", "伊", "a ,,aa(a 0,0aa(a(,aa"]];
        let text = laid_out(&rows, Some(20));
        assert!(fits(&text, 20), "{text}");
        assert_eq!(words(&text), words(&laid_out(&rows, None)));
    }

    /// A figure wider than a stacked line is wrapped, and the ";" after it still fits.
    #[test]
    fn a_stacked_line_keeps_room_for_its_separator() {
        let rows = [["a", "a伊伊 0a,aa,a 0,a(a000(00a 0,00,,(0a ,a( (", "朗"]];
        let text = laid_out(&rows, Some(32));
        assert!(fits(&text, 32), "{text}");
        assert!(text.contains("; Carried by: 朗\n"), "{text}");
    }

    #[test]
    fn coloured_cells_stay_aligned_when_wrapped() {
        let mut cells = Cells::new();
        for r in &ROWS {
            cells.row();
            for c in r {
                cells.cell(c);
            }
        }
        let red = AnsiColor::Red.on_default();
        let colours = vec![Some(red); 3];
        for width in [40, 24] {
            let mut out = String::new();
            lay_out(&mut out, &COLS, &cells, &colours, Some(width));
            let bare = out
                .replace(&red.render().to_string(), "")
                .replace(&red.render_reset().to_string(), "");
            assert!(fits(&bare, width), "{bare}");
            assert!(out.contains(&format!("{red}0.777{red:#}")), "{out}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Fitted to any width, every line fits and every word of every cell is there (words
        /// of up to 12 columns, which a line of the narrowest width holds after its indent).
        #[test]
        fn every_fitted_table_fits_and_keeps_its_words(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-z伊朗]{1,6}( [a-z0-9,()-]{1,12}){0,5}", 3), 1..6),
            width in 20usize..140,
        ) {
            let rows: Vec<[&str; 3]> = rows.iter().map(|r| [r[0].as_str(), r[1].as_str(), r[2].as_str()]).collect();
            let text = laid_out(&rows, Some(width));
            for l in text.lines() {
                proptest::prop_assert!(fit::width_of(l) <= width, "{} > {}: {}", fit::width_of(l), width, text);
            }
            proptest::prop_assert_eq!(words(&text), words(&laid_out(&rows, None)));
        }
    }
}
