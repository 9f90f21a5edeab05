//! The matrix of Analysis of Competing Hypotheses (Heuer, *Psychology of Intelligence
//! Analysis*, 1999, ch. 8): the hypotheses of an incident across, the claims behind them down,
//! and in each cell whether the claim is consistent or inconsistent with the hypothesis and by
//! how much.
//!
//! A cell is read from the same recomputation as the sensitivity table, so it means exactly
//! what the engine did with the claim, through chains, same-as pairs, competing hypotheses
//! and inherited opposition alike: the claim's **effect** on hypothesis *h* is
//!
//! ```text
//! effect(c, h) = P(h) − P(h without c)
//! ```
//!
//! positive when the claim is consistent with *h* (it raised it), negative when it is
//! inconsistent (it lowered it), zero when it is behind *h* but its line of evidence already
//! counts a stronger claim of the same family (neutral), and not applicable when it cannot
//! reach *h* at all.
//!
//! Heuer's point is that evidence consistent with every hypothesis has no diagnostic value,
//! however much it is cited. Diagnosticity here is the spread of a claim's effect across the
//! hypotheses:
//!
//! ```text
//! diagnosticity(c) = max_h effect(c, h) − min_h effect(c, h)     (not applicable counts as 0)
//! ```
//!
//! 0 for a claim that moves every hypothesis alike (or none), up to 2 for one that takes one
//! hypothesis from 0 to 1 and another from 1 to 0. Rows are sorted most diagnostic first.
//!
//! A line of evidence counts its strongest claim once, so two claims of one line as strong
//! are each neutral alone; each line with two or more claims among the rows has a row of its
//! own ([`LineRow`]), the line set aside whole.

use crate::assess::{IncidentAssessment, Judgement, Removal, Sensitivity};
use crate::model::{Case, ClaimId, EntityId, FamilyId};
use rustc_hash::FxHashMap as HashMap;

/// At most this many hypotheses are columns (the most probable of those eligible); the rest
/// are counted in [`Matrix::left_out`].
pub const MAX_COLUMNS: usize = 8;

/// Below this, an effect is zero (rounding of the recomputation).
const EPSILON: f64 = 1e-9;

/// One cell: the claim's bearing on one hypothesis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// The claim raised the hypothesis's P by this much.
    Consistent(f64),
    /// The claim lowered the hypothesis's P by this much (a positive number).
    Inconsistent(f64),
    /// The claim is behind the hypothesis but changed nothing (its line counts a stronger
    /// claim of the same family).
    Neutral,
    /// The claim cannot reach the hypothesis.
    NotApplicable,
}

impl Cell {
    /// The signed effect on P (0 for neutral and not applicable).
    pub fn effect(self) -> f64 {
        match self {
            Cell::Consistent(d) => d,
            Cell::Inconsistent(d) => -d,
            Cell::Neutral | Cell::NotApplicable => 0.0,
        }
    }

    /// Whether the cell's change shows as ±0.00 ([`Cell::text`]) though it has a direction.
    pub fn too_small_to_show(self) -> bool {
        matches!(self, Cell::Consistent(d) | Cell::Inconsistent(d) if d.abs() < 0.005)
    }

    /// "C", "I", "N" or "–", Heuer's abbreviations.
    pub fn letter(self) -> &'static str {
        match self {
            Cell::Consistent(_) => "C",
            Cell::Inconsistent(_) => "I",
            Cell::Neutral => "N",
            Cell::NotApplicable => "–",
        }
    }

    /// The cell as a report shows it: the letter, then the effect on P to two decimals
    /// ("C +0.39", "I -0.01"). An effect too small to show keeps the sign of its direction
    /// ("I -0.00"), so that the figure never contradicts its letter; one just under
    /// [`DECISIVE`] is cut short to three decimals as the row's diagnosticity is
    /// ([`diagnosticity_text`]: "C +0.049" beside a spread of 0.049, not "C +0.05").
    pub fn text(self) -> String {
        match self {
            Cell::Consistent(d) => format!("C +{}", diagnosticity_text(d.abs())),
            Cell::Inconsistent(d) => format!("I -{}", diagnosticity_text(d.abs())),
            Cell::Neutral | Cell::NotApplicable => self.letter().to_string(),
        }
    }

    /// The cell as words: "consistent", "inconsistent", "neutral", "not applicable".
    pub fn word(self) -> &'static str {
        match self {
            Cell::Consistent(_) => "consistent",
            Cell::Inconsistent(_) => "inconsistent",
            Cell::Neutral => "neutral",
            Cell::NotApplicable => "not applicable",
        }
    }
}

/// One claim's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The claim.
    pub claim: ClaimId,
    /// One cell per column, in [`Matrix::hypotheses`] order.
    pub cells: Vec<Cell>,
    /// The spread of its effect across the columns.
    pub diagnosticity: f64,
}

/// One line of evidence (a dependence family) set aside whole, for a line two or more of
/// whose claims are rows. A line counts its strongest claim once (model §6), so when two of
/// its claims are as strong, each row is N: the FBI's attribution and the Justice
/// Department's indictment, both of one government's line, each changes nothing set aside
/// alone, and the matrix would read as if that line told the hypotheses apart not at all.
/// This row shows what the line carries.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRow {
    /// The line.
    pub family: FamilyId,
    /// How many of its claims are rows.
    pub claims: usize,
    /// One cell per column, in [`Matrix::hypotheses`] order.
    pub cells: Vec<Cell>,
    /// The spread of its effect across the columns.
    pub diagnosticity: f64,
}

/// Which hypotheses are the columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// The judged members of one of the incident's exclusive sets: hypotheses the case
    /// declares competing, as Heuer's method requires (a group and the state behind it do not compete:
    /// one implies the other).
    Exclusive,
    /// No exclusive set with two judged members: the most probable judged hypotheses, some of
    /// which may be parts of others.
    MostProbable,
}

/// The ACH matrix of one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// The columns, most probable first.
    pub hypotheses: Vec<EntityId>,
    /// How the columns were chosen.
    pub columns: Columns,
    /// Eligible hypotheses (as [`Matrix::columns`] says) not shown as columns.
    pub left_out: usize,
    /// Every claim behind a column, most diagnostic first (ties by claim id).
    pub rows: Vec<Row>,
    /// Each line of evidence with two or more claims among the rows, set aside whole, most
    /// diagnostic first (ties by name).
    pub lines: Vec<LineRow>,
    /// Whether every column had its sensitivity table; without them no cell can be read.
    pub complete: bool,
    /// The analyst's notes on the exclusive sets the columns stand for (two sets with the
    /// same judged members make one matrix), in the order the case declares them.
    pub notes: Vec<String>,
}

/// Below this, no claim is diagnostic enough to name: see [`Matrix::none_decisive`].
pub const DECISIVE: f64 = 0.05;

/// A row's diagnosticity as the reports show it: to two decimals, or where two would round a
/// spread below [`DECISIVE`] up to it, to three cut short (0.0454 reads `0.045`, 0.0496
/// `0.049`, not `0.05`), since the matrix says then that no claim moves the hypotheses apart
/// by 0.05 or more.
pub fn diagnosticity_text(d: f64) -> String {
    if d < DECISIVE
        && format!("{d:.2}")
            .parse::<f64>()
            .is_ok_and(|shown| shown >= DECISIVE)
    {
        format!("{:.3}", (d * 1000.0).floor() / 1000.0)
    } else {
        format!("{d:.2}")
    }
}

impl Matrix {
    /// When every claim's diagnosticity is below [`DECISIVE`], a sentence saying that the
    /// hypotheses are told apart by the evidence together, not by any one claim (each is
    /// backed by other independent lines, so setting one aside changes little): a matrix of
    /// small effects reads otherwise as evidence that discriminates nothing.
    pub fn none_decisive(&self) -> Option<String> {
        let most = self.rows.first()?.diagnosticity;
        (most < DECISIVE && self.hypotheses.len() > 1).then(|| {
            format!(
                "No claim alone moves the hypotheses apart by {DECISIVE} or more: where they \
                 stand rests on several independent lines together, none decisive, so setting \
                 one claim aside changes little."
            )
        })
    }

    /// The sentence on the eligible hypotheses past [`MAX_COLUMNS`], when there are any.
    pub fn left_out_sentence(&self) -> Option<String> {
        (self.left_out > 0).then(|| {
            format!(
                "{} less probable judged {} not shown.",
                self.left_out,
                if self.left_out == 1 {
                    "hypothesis is"
                } else {
                    "hypotheses are"
                }
            )
        })
    }

    /// What a report says of its columns, in a sentence.
    pub fn columns_sentence(&self) -> &'static str {
        match self.columns {
            Columns::Exclusive => {
                "The columns are the judged members of an exclusive set declared on this \
                 incident: hypotheses that exclude each other."
            }
            Columns::MostProbable => {
                "No exclusive set declares two of this incident's hypotheses competing, so the \
                 columns are its most probable hypotheses, and one may be part of or acting for \
                 another: evidence that tells such a pair apart says which of the two did it, \
                 not who else might have."
            }
        }
    }
}

/// The hypotheses eligible as columns of each matrix, most probable first, and how they were
/// chosen: the judged members of each exclusive set of the incident with two or more judged
/// members, the set holding the most probable of them first (members of two sets need not
/// exclude each other, so sets are never merged); else every judged hypothesis, in one.
fn eligible<'a>(
    case: &Case,
    ia: &'a IncidentAssessment,
) -> Vec<(Columns, Vec<&'a Judgement>, Vec<String>)> {
    let judged: Vec<&Judgement> = (ia.hypotheses.iter())
        .filter(|j| j.term().is_some())
        .collect();
    let members = |set: &crate::model::ExclusiveSet| -> Vec<&'a Judgement> {
        (judged.iter())
            .filter(|j| set.members.contains(&j.actor))
            .copied()
            .collect()
    };
    let sets: Vec<(Vec<&Judgement>, Vec<String>)> = (case.exclusive.iter())
        .filter(|x| x.incident == ia.incident)
        .map(|x| (members(x), x.note.iter().cloned().collect()))
        .filter(|m| m.0.len() >= 2)
        .collect();
    // `judged` is most probable first, and so is each set's list: the set whose first member
    // comes first in `judged`.
    let rank = |j: &Judgement| judged.iter().position(|k| k.actor == j.actor);
    let mut sets = sets;
    // Stable: two sets led by one member keep the order the case declares them in.
    sets.sort_by_key(|m| rank(m.0[0]));
    sets.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1.append(&mut later.1);
        }
        same
    });
    if sets.is_empty() {
        return vec![(Columns::MostProbable, judged, Vec::new())];
    }
    (sets.into_iter())
        .map(|(set, notes)| (Columns::Exclusive, set, notes))
        .collect()
}

/// The first of an incident's [`matrices`]: its only one, unless it declares two exclusive
/// sets.
pub fn matrix(case: &Case, ia: &IncidentAssessment) -> Matrix {
    let (kind, judged, notes) = eligible(case, ia).swap_remove(0);
    build(case, kind, judged, notes, &ia.derivation.echoes)
}

/// The matrices of an incident assessed with sensitivity tables
/// ([`crate::assess::SensitivityFor::All`]): one per exclusive set with two or more judged
/// members, the set holding the most probable first (SVR against FSB beside Russia against
/// China: each set is a question of its own), else one of the most probable hypotheses. A
/// hypothesis without a table gives `complete: false` and no rows.
pub fn matrices(case: &Case, ia: &IncidentAssessment) -> Vec<Matrix> {
    (eligible(case, ia).into_iter())
        .map(|(kind, judged, notes)| build(case, kind, judged, notes, &ia.derivation.echoes))
        .collect()
}

/// The matrix with `judged` as its columns (up to [`MAX_COLUMNS`]), chosen as `kind` says;
/// `echoes`: the incident's claims set aside as echoes.
fn build(
    case: &Case,
    kind: Columns,
    judged: Vec<&Judgement>,
    notes: Vec<String>,
    echoes: &[ClaimId],
) -> Matrix {
    let columns: Vec<_> = judged.iter().take(MAX_COLUMNS).copied().collect();
    let left_out = judged.len() - columns.len();
    let hypotheses: Vec<EntityId> = columns.iter().map(|j| j.actor).collect();
    if columns.iter().any(|j| j.sensitivity.is_none()) {
        return Matrix {
            hypotheses,
            columns: kind,
            left_out,
            rows: Vec::new(),
            lines: Vec::new(),
            complete: false,
            notes,
        };
    }
    let mut claims: Vec<ClaimId> = columns
        .iter()
        .flat_map(|j| j.sensitivity.iter().flatten())
        .filter_map(|s| match s.item {
            Removal::Claim(c) => Some(c),
            Removal::Source(_) | Removal::Family(_) => None,
        })
        .collect();
    claims.sort_unstable();
    claims.dedup();
    let tables: Vec<Table<'_>> = columns.iter().map(|j| Table::of(case, j)).collect();
    let cells = settled_cells(case, &tables, &claims, echoes);
    // The lines count every claim shown, echoes among them.
    let shown: Vec<ClaimId> = cells.iter().map(|(c, _)| *c).collect();
    let mut rows: Vec<Row> = (cells.into_iter())
        .map(|(claim, cells)| Row {
            claim,
            diagnosticity: spread(&cells),
            cells,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.diagnosticity
            .total_cmp(&a.diagnosticity)
            .then_with(|| crate::ids::cmp(&case.claim(a.claim).id, &case.claim(b.claim).id))
    });
    Matrix {
        hypotheses,
        columns: kind,
        left_out,
        rows,
        lines: line_rows(case, &tables, &shown),
        complete: true,
        notes,
    }
}

/// The cells of every row: each claim of the columns' tables (`claims`), and each echo that
/// restates one of them and says what it says, or restates such an echo so (an echo of an indirect claim is in no
/// table: the FCO publishing the NCSC's claim on Lazarus is behind North Korea as the NCSC's
/// claim is). A restatement bears where what it restates bears, set aside as an echo: neutral
/// there, as in its own column, rather than "not applicable" (NATO's echo of the White House
/// on Russia read "–" under the criminals the White House's claim lowers), and so on down a
/// chain of restatements. Each claim is settled after what it restates, once: linear in the
/// rows and what they restate.
fn settled_cells(
    case: &Case,
    tables: &[Table<'_>],
    claims: &[ClaimId],
    echoes: &[ClaimId],
) -> Vec<(ClaimId, Vec<Cell>)> {
    let (rows, at) = rows_with_echoes(case, claims, echoes);
    let says = |e: ClaimId, o: ClaimId| says(case, e, o);
    let mut cells: Vec<Vec<Cell>> = (rows.iter())
        .map(|&c| {
            tables
                .iter()
                .map(|t| cell(t.row(Removal::Claim(c))))
                .collect()
        })
        .collect();
    // Settled in an order where what a claim restates among the rows comes first: a walk
    // down the restatements with a stack (a chain of thousands recursed too deep).
    let mut settled = vec![false; rows.len()];
    for start in 0..rows.len() {
        let mut stack = vec![start];
        while let Some(&x) = stack.last() {
            if settled[x] {
                stack.pop();
                continue;
            }
            let origins: Vec<usize> = (case.claim(rows[x]).derived_from.iter())
                .filter_map(|o| at.get(o).copied())
                .filter(|&o| o != x)
                .collect();
            let pending: Vec<usize> = origins.iter().copied().filter(|&o| !settled[o]).collect();
            if !pending.is_empty() {
                // (A circle of restatements was refused at loading: none to wait on forever.)
                stack.extend(pending);
                continue;
            }
            // Through a table's claim, as before echo rows were added; through an echo row,
            // only what says what it restates.
            let through = |o: usize| o < claims.len() || says(rows[x], rows[o]);
            let borne: Vec<bool> = (0..tables.len())
                .map(|col| {
                    (origins.iter())
                        .any(|&o| through(o) && !matches!(cells[o][col], Cell::NotApplicable))
                })
                .collect();
            for (cell, borne) in cells[x].iter_mut().zip(borne) {
                if borne && matches!(cell, Cell::NotApplicable) {
                    *cell = Cell::Neutral;
                }
            }
            settled[x] = true;
            stack.pop();
        }
    }
    rows.into_iter().zip(cells).collect()
}

/// Whether echo `e` says what `o`, which it restates, says (or follows it up, model §5): one
/// that says something else carries nothing of it, and can never reach the columns through it.
fn says(case: &Case, e: ClaimId, o: ClaimId) -> bool {
    (case.claim(e).statement).restates(case.claim(o).statement, &case.entities)
}

/// The rows of a matrix, each with its place: the tables' `claims`, then the `echoes` that
/// say what a row's claim says and restate it, reached from them.
fn rows_with_echoes(
    case: &Case,
    claims: &[ClaimId],
    echoes: &[ClaimId],
) -> (Vec<ClaimId>, HashMap<ClaimId, usize>) {
    let mut restated_by: HashMap<ClaimId, Vec<ClaimId>> = HashMap::default();
    for &e in echoes {
        for &o in &case.claim(e).derived_from {
            restated_by.entry(o).or_default().push(e);
        }
    }
    let mut at: HashMap<ClaimId, usize> = claims.iter().enumerate().map(|(k, &c)| (c, k)).collect();
    let mut rows: Vec<ClaimId> = claims.to_vec();
    let mut k = 0;
    while k < rows.len() {
        let o = rows[k];
        for &e in restated_by.get(&o).into_iter().flatten() {
            if says(case, e, o)
                && let std::collections::hash_map::Entry::Vacant(slot) = at.entry(e)
            {
                slot.insert(rows.len());
                rows.push(e);
            }
        }
        k += 1;
    }
    (rows, at)
}

/// The rows of a judgement's sensitivity table.
fn table(j: &Judgement) -> impl Iterator<Item = &Sensitivity> {
    j.sensitivity.iter().flatten()
}

/// A column's sensitivity table looked up by item, and its sources' rows by line of evidence:
/// a search of the table for every row of the matrix made the matrix quadratic in the claims
/// behind a judgement (thousands of restatements, thousands of rows).
struct Table<'a> {
    rows: std::collections::HashMap<Removal, &'a Sensitivity>,
    sources: std::collections::BTreeMap<FamilyId, Vec<&'a Sensitivity>>,
}

impl<'a> Table<'a> {
    fn of(case: &Case, j: &'a Judgement) -> Table<'a> {
        let mut t = Table {
            rows: Default::default(),
            sources: Default::default(),
        };
        for s in table(j) {
            // The first row of an item, as a search from the top would find.
            t.rows.entry(s.item).or_insert(s);
            if let Removal::Source(x) = s.item {
                t.sources.entry(case.source(x).family).or_default().push(s);
            }
        }
        t
    }

    fn row(&self, item: Removal) -> Option<&'a Sensitivity> {
        self.rows.get(&item).copied()
    }
}

/// The cell of a sensitivity row: the effect of setting its item aside, or not applicable
/// when the item is not behind the hypothesis (it has no row).
fn cell(row: Option<&Sensitivity>) -> Cell {
    let Some(s) = row else {
        return Cell::NotApplicable;
    };
    let effect = -s.delta;
    if effect > EPSILON {
        Cell::Consistent(effect)
    } else if effect < -EPSILON {
        Cell::Inconsistent(-effect)
    } else {
        Cell::Neutral
    }
}

/// The spread of a row's effect across the columns (not applicable counts as 0).
fn spread(cells: &[Cell]) -> f64 {
    let (lo, hi) = cells.iter().fold((0.0f64, 0.0f64), |(lo, hi), cell| {
        (lo.min(cell.effect()), hi.max(cell.effect()))
    });
    hi - lo
}

/// The [`LineRow`]s of the lines with two or more of `claims`. A column's cell is its table's
/// row for the line; a judgement's table has one when two or more of the line's sources are
/// behind it, or its one source's claims are restated (`assess::sensitivities`), and
/// otherwise the row of the line's one source behind it reads the same (setting the line
/// aside sets aside that source's claims, and nothing restates them); with no source of the
/// line behind it, the line cannot reach it.
fn line_rows(case: &Case, columns: &[Table<'_>], claims: &[ClaimId]) -> Vec<LineRow> {
    let mut count: std::collections::BTreeMap<FamilyId, usize> = Default::default();
    for &c in claims {
        *count
            .entry(case.source(case.claim(c).source).family)
            .or_default() += 1;
    }
    let mut lines: Vec<LineRow> = (count.into_iter())
        .filter(|&(_, n)| n >= 2)
        .map(|(family, n)| {
            let cells: Vec<Cell> = (columns.iter())
                .map(|t| {
                    let whole = t.row(Removal::Family(family));
                    cell(
                        whole.or_else(|| match t.sources.get(&family).map(Vec::as_slice) {
                            Some(&[one]) => Some(one),
                            _ => None,
                        }),
                    )
                })
                .collect();
            LineRow {
                family,
                claims: n,
                diagnosticity: spread(&cells),
                cells,
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        b.diagnosticity
            .total_cmp(&a.diagnosticity)
            .then_with(|| case.family(a.family).cmp(case.family(b.family)))
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{Request, SensitivityFor, assess_with};

    /// The figure keeps the direction of its letter, however small the effect.
    #[test]
    fn a_cell_never_contradicts_its_letter() {
        assert_eq!(Cell::Consistent(0.391).text(), "C +0.39");
        assert_eq!(Cell::Inconsistent(0.012).text(), "I -0.01");
        assert_eq!(Cell::Inconsistent(0.00036).text(), "I -0.00");
        assert_eq!(Cell::Consistent(1e-7).text(), "C +0.00");
        assert_eq!(Cell::Consistent(0.0496).text(), "C +0.049");
        assert_eq!(Cell::Inconsistent(0.0454).text(), "I -0.045");
        assert_eq!(Cell::Inconsistent(0.0504).text(), "I -0.05");
        assert_eq!(Cell::Neutral.text(), "N");
        assert_eq!(Cell::NotApplicable.text(), "–");
    }

    /// A spread below the threshold the matrix names never reads as the threshold: the
    /// sentence under the matrix says no claim moves the hypotheses apart by 0.05 or more.
    #[test]
    fn a_diagnosticity_below_the_threshold_never_reads_as_it() {
        assert_eq!(diagnosticity_text(0.0454), "0.045");
        assert_eq!(diagnosticity_text(0.0496), "0.049");
        assert_eq!(diagnosticity_text(0.04999), "0.049");
        assert_eq!(diagnosticity_text(0.044), "0.04");
        assert_eq!(diagnosticity_text(0.05), "0.05");
        assert_eq!(diagnosticity_text(0.391), "0.39");
        assert_eq!(diagnosticity_text(0.0), "0.00");
    }

    /// RON `text` loaded and assessed with every sensitivity table.
    fn assessed(text: &str) -> (Case, crate::assess::Assessment) {
        let case = crate::load::load(text, crate::format::Syntax::Ron)
            .expect("the case loads")
            .case;
        let a = assess_with(
            &case,
            Request {
                sensitivity: SensitivityFor::All,
                ..Request::default()
            },
        );
        (case, a)
    }

    fn albania() -> (Case, crate::assess::Assessment) {
        assessed(include_str!("../../graphs/albania-2022.ron"))
    }

    /// An echo of a claim behind a column only through a link (the FCO publishing the NCSC's
    /// claim on Lazarus, behind North Korea) is in no column's table, yet a row, neutral where
    /// what it restates bears; and an echo of that echo too; the lines count them.
    #[test]
    fn echoes_of_indirect_claims_and_their_echoes_are_rows() {
        let text = r#"Case(title: "t",
            actors: [Actor(id: "s", name: "S", kind: State), Actor(id: "k", name: "K", kind: Organisation),
                     Actor(id: "h", name: "H", kind: Organisation)],
            groups: [Group(id: "g", name: "G")],
            incidents: [Incident(id: "x", name: "X")],
            sources: [
                Source(id: "a", name: "A", kind: Vendor, reliability: B),
                Source(id: "b", name: "B", kind: Government, reliability: B),
                Source(id: "p", name: "P", kind: Media, reliability: C),
                Source(id: "q", name: "Q", kind: Media, reliability: C),
            ],
            claims: [
                Claim(id: "c1", source: "a", subject: "x", relation: AttributedTo, object: "g",
                      likelihood: Icd("very likely")),
                Claim(id: "l1", source: "b", subject: "g", relation: SponsoredBy, object: "s",
                      likelihood: Icd("very likely")),
                Claim(id: "e1", source: "p", subject: "x", relation: AttributedTo, object: "g",
                      likelihood: Icd("very likely"), derived_from: ["c1"]),
                Claim(id: "e2", source: "q", subject: "x", relation: AttributedTo, object: "g",
                      likelihood: Icd("very likely"), derived_from: ["e1"]),
                Claim(id: "k1", source: "q", subject: "x", relation: AttributedTo, object: "k",
                      likelihood: Icd("unlikely")),
                Claim(id: "e3", source: "p", subject: "x", relation: AttributedTo, object: "h",
                      likelihood: Icd("very likely"), derived_from: ["c1"]),
            ],
            exclusive: [Exclusive(incident: "x", members: ["s", "k"])],
        )"#;
        let (case, a) = assessed(text);
        let m = matrix(&case, &a.incidents[0]);
        let s = m.hypotheses.iter().position(|&h| case.entity(h).id == "s");
        let s = s.expect("a column for the state");
        let row = |id: &str| {
            let row = m.rows.iter().find(|r| case.claim(r.claim).id == id);
            row.unwrap_or_else(|| panic!("no row {id} in {:?}", m.rows))
        };
        assert!(matches!(row("c1").cells[s], Cell::Consistent(_)));
        for echo in ["e1", "e2"] {
            assert!(
                row(echo).cells.iter().all(|c| *c == Cell::Neutral),
                "{echo}"
            );
        }
        // An echo saying something else of what it restates carries nothing of it: no row.
        assert!(
            m.rows.iter().all(|r| case.claim(r.claim).id != "e3"),
            "{:?}",
            m.rows
        );
        // The line of the echoes' sources counts them.
        let q = (m.lines.iter()).find(|l| case.family(l.family) == "q");
        assert_eq!(q.map(|l| l.claims), Some(2), "{:?}", m.lines);
    }

    #[test]
    fn cells_agree_with_the_sensitivity_tables() {
        let (case, a) = albania();
        let ia = &a.incidents[0];
        let m = matrix(&case, ia);
        assert!(m.complete && !m.rows.is_empty());
        for row in &m.rows {
            for (k, cell) in row.cells.iter().enumerate() {
                let j = ia
                    .judgement(m.hypotheses[k])
                    .expect("a column is a hypothesis");
                let s = j
                    .sensitivity
                    .as_ref()
                    .expect("assessed with tables")
                    .iter()
                    .find(|s| s.item == Removal::Claim(row.claim));
                // No row: not applicable, or neutral for a restatement of a claim that bears
                // in this column (by a row of the table, or so in turn).
                let bears = |o: ClaimId| {
                    (m.rows.iter()).any(|r| r.claim == o && r.cells[k] != Cell::NotApplicable)
                };
                let restated = (case.claim(row.claim).derived_from.iter()).any(|&o| bears(o));
                match s {
                    None if restated => assert_eq!(*cell, Cell::Neutral),
                    None => assert_eq!(*cell, Cell::NotApplicable),
                    Some(s) => assert!((cell.effect() + s.delta).abs() < 1e-6),
                }
            }
            let effects: Vec<f64> = row.cells.iter().map(|c| c.effect()).collect();
            let spread = effects.iter().copied().fold(0.0, f64::max)
                - effects.iter().copied().fold(0.0, f64::min);
            assert!((row.diagnosticity - spread).abs() < 1e-12);
        }
        assert!(
            m.rows
                .windows(2)
                .all(|w| w[0].diagnosticity >= w[1].diagnosticity)
        );
        // The claims that name Iran directly raise Iran.
        let iran = case.find_entity("iran").expect("iran");
        let col = m
            .hypotheses
            .iter()
            .position(|h| *h == iran)
            .expect("column");
        assert!(
            m.rows
                .iter()
                .any(|r| matches!(r.cells[col], Cell::Consistent(d) if d > 0.0))
        );
    }

    /// The columns are the hypotheses declared competing (Iran and the Albanian hacktivists),
    /// not the groups and agencies nested in Iran; without the exclusive set, the most probable
    /// judged hypotheses, and the report says one may be part of another.
    #[test]
    fn the_columns_are_the_competing_hypotheses_when_declared() {
        let (case, a) = albania();
        let m = matrix(&case, &a.incidents[0]);
        let ids: Vec<&str> = (m.hypotheses.iter())
            .map(|&h| case.entity(h).id.as_str())
            .collect();
        assert_eq!(ids, ["iran", "albanian-hacktivists"]);
        assert_eq!(m.columns, Columns::Exclusive);
        // Each backed by several independent lines: no claim alone is decisive, and the
        // report says so.
        assert!(m.rows[0].diagnosticity < DECISIVE);
        assert!(m.none_decisive().is_some());
        assert_eq!(m.left_out, 0);
        // Members of two sets need not exclude each other: one set's members are the columns,
        // the set holding the most probable judged hypothesis.
        let id = |s: &str| case.find_entity(s).expect("declared");
        let mut two = case.clone();
        two.exclusive.push(crate::model::ExclusiveSet {
            incident: two.exclusive[0].incident,
            members: vec![id("mois"), id("homeland-justice")],
            note: None,
        });
        let columns = |c: &Case| {
            let a = assess_with(
                c,
                Request {
                    sensitivity: SensitivityFor::All,
                    ..Request::default()
                },
            );
            let m = matrix(c, &a.incidents[0]);
            (m.hypotheses.iter())
                .map(|&h| c.entity(h).id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(columns(&two), ["iran", "albanian-hacktivists"]);
        // Each set is a question of its own: a matrix for each, the set holding the most
        // probable first, and neither's columns mixed into the other's.
        let a = assess_with(
            &two,
            Request {
                sensitivity: SensitivityFor::All,
                ..Request::default()
            },
        );
        let each: Vec<Vec<String>> = (matrices(&two, &a.incidents[0]).iter())
            .map(|m| {
                assert_eq!(m.columns, Columns::Exclusive);
                let mut ids: Vec<String> = (m.hypotheses.iter())
                    .map(|&h| two.entity(h).id.clone())
                    .collect();
                ids.sort();
                ids
            })
            .collect();
        assert_eq!(
            each,
            [
                vec!["albanian-hacktivists", "iran"],
                vec!["homeland-justice", "mois"]
            ]
        );
        two.exclusive.remove(0);
        let mut only = columns(&two);
        only.sort();
        assert_eq!(only, ["homeland-justice", "mois"]);
        let mut open = case.clone();
        open.exclusive.clear();
        let a = assess_with(
            &open,
            Request {
                sensitivity: SensitivityFor::All,
                ..Request::default()
            },
        );
        let m = matrix(&open, &a.incidents[0]);
        assert_eq!(m.columns, Columns::MostProbable);
        assert_eq!(m.hypotheses.len(), MAX_COLUMNS);
        assert!(m.columns_sentence().contains("one may be part of"));
    }

    #[test]
    fn without_tables_the_matrix_says_so() {
        let (case, _) = albania();
        let a = crate::assess::assess(&case, Default::default());
        let m = matrix(&case, &a.incidents[0]);
        assert!(!m.complete);
        assert!(m.rows.is_empty());
    }
}
