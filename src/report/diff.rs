//! Renderers for [`crate::diff::CaseDiff`]: a terminal report, Markdown for a pull request or
//! a review, and JSON (`attrib-diff/1`, `docs/diff.md`). Every string from a case goes through
//! the escaping module of its output syntax; JSON through serde.
//!
//! Each writes into the writer it is given, like every renderer. The terminal and Markdown
//! reports are laid out in a `String` first (a diff is a few dozen lines, and the table's
//! column widths depend on every row), then written at once.

use super::table::Column;
use crate::diff::{CaseDiff, Change, HypothesisDiff, Key, Op, Part, Side, Status};
use crate::escape::{markdown, terminal};
use serde::Serialize;
use std::fmt::Write;
use std::io;

/// The JSON report's schema name and version, the `schema` field of every diff written.
pub const SCHEMA: &str = "attrib-diff/1";

/// Long values (wording, notes) are cut in the terminal and Markdown reports; JSON keeps them.
const SHOWN: usize = 60;

/// A judgement's ΔP: three decimals, or as many more (up to six) as it takes not to read as a
/// move of `min_delta` or less, which the report says it leaves out: a move of 0.00534 under
/// the default 0.005 reads `+0.0053`, not `+0.005`.
fn move_figure(x: f64, min_delta: f64) -> String {
    super::change_figure(x, move_digits(x, min_delta))
}

/// The decimals of [`move_figure`]; the parts of a move are written with as many.
fn move_digits(x: f64, min_delta: f64) -> usize {
    (3..6)
        .find(|&digits| {
            let shown: f64 = super::change_figure(x, digits).parse().unwrap_or(0.0);
            shown.abs() > min_delta || x.abs() <= min_delta
        })
        .unwrap_or(6)
}

/// The decimals of every figure of a hypothesis's "why" ([`move_digits`] of its move), or as
/// many more (up to six) as it takes for what the changes' combination adds, when the report
/// says they interact, not to read as nothing: under `--min-delta 0` a move of 0.0012 whose
/// parts add up to 0.0019 read "(+0.000 from their combination)".
fn why_digits(d: &CaseDiff, h: &HypothesisDiff) -> usize {
    let first = move_digits(h.delta_p, d.min_delta);
    if !h.interacting || h.parts.is_empty() {
        return first;
    }
    (first..6)
        .find(|&digits| {
            let sum: i64 = h.parts.iter().map(|p| units(p.delta_p, digits)).sum();
            units(h.delta_p, digits) != sum
        })
        .unwrap_or(6)
}

/// `x` as written to `digits` decimals, in units of the last one: read back from the text
/// shown, which rounds as `format!` does, so that sums of figures are sums of what is shown.
fn units(x: f64, digits: usize) -> i64 {
    let text = super::change_figure(x, digits);
    let n: i64 = (text.chars().filter(char::is_ascii_digit))
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    if text.starts_with('-') { -n } else { n }
}

/// `likely → very likely`, or `likely` when it did not move; `—` for a side that does not
/// judge the hypothesis.
fn moved(old: Option<String>, new: Option<String>) -> String {
    let show = |s: Option<String>| s.unwrap_or_else(|| "—".to_string());
    if old == new {
        show(new)
    } else {
        format!("{} → {}", show(old), show(new))
    }
}

/// The likelihood, marked ` *` as the assessment table marks it when it rests mostly on the
/// base rate.
fn term(s: Option<&Side>) -> Option<String> {
    s.map(|s| {
        let mark = if s.mostly_prior {
            super::table::PRIOR_MARK
        } else {
            ""
        };
        format!("{}{mark}", s.term_word())
    })
}

/// Where the note on the base-rate mark goes: under the table when a row of it is marked,
/// else after the sections on why each judgement moved, when only a change alone is.
#[derive(Clone, Copy, PartialEq)]
enum PriorNote {
    None,
    UnderTable,
    AfterWhy,
}

/// Where the note goes, from which likelihoods the report shows are marked ` *`: in the table
/// of moved judgements, or only in a change's judgement alone.
fn prior_note(d: &CaseDiff) -> PriorNote {
    let marked = |s: &Option<Side>| s.is_some_and(|s| s.mostly_prior);
    if (d.hypotheses.iter()).any(|h| marked(&h.old) || marked(&h.new)) {
        PriorNote::UnderTable
    } else if (d.hypotheses.iter()).any(|h| h.parts.iter().any(|p| marked(&p.alone))) {
        PriorNote::AfterWhy
    } else {
        PriorNote::None
    }
}

fn confidence(s: Option<&Side>) -> Option<String> {
    s.map(|s| s.confidence.word().to_string())
}

/// P to three decimals, or as many more as it takes not to print a band edge it is below
/// (0.0498 is "almost no chance": "0.050" would read as the band above), as `assess` does.
fn p(s: Option<&Side>) -> Option<String> {
    s.map(|s| super::probability_digits(s.p, 3))
}

/// `~ claim d5`; `~ case` for the case's own fields, `~ prior` for the prior.
fn change_head(c: &Change) -> String {
    let id = c.key.id();
    if id.is_empty() || c.key == Key::Prior {
        format!("{} {}", c.op.sign(), c.kind)
    } else {
        format!("{} {} {id}", c.op.sign(), c.kind)
    }
}

/// What changed, in one line: the fields of a changed item, the summary of another.
fn change_detail(c: &Change) -> String {
    fields_detail(c, |_| true)
}

/// [`change_detail`] with the fields `shown` picks (all of them when it picks none).
fn fields_detail(c: &Change, shown: impl Fn(&str) -> bool) -> String {
    let any = c.fields.iter().any(|f| shown(f.field));
    if c.op == Op::Changed {
        c.fields
            .iter()
            .filter(|f| !any || shown(f.field))
            .map(|f| {
                // A list by the entries it gained and lost: joined whole, a long list hid
                // an alias added in its middle.
                if !f.added.is_empty() || !f.removed.is_empty() {
                    let entries = (f.added.iter().map(|x| format!("+ {x}")))
                        .chain(f.removed.iter().map(|x| format!("− {x}")))
                        .collect::<Vec<_>>()
                        .join(", ");
                    return format!("{}: {}", f.field, super::shorten(&entries, SHOWN * 2));
                }
                let (old, new) = shorten_pair(f.old.as_deref(), f.new.as_deref(), SHOWN);
                // `~ prior: 0.5 → 0.3`, not `~ prior prior: prior: …`.
                if c.key == Key::Prior {
                    format!("{old} → {new}")
                } else {
                    format!("{}: {old} → {new}", f.field)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        let regrouped = match (c.op, &c.regrouped) {
            (Op::Removed, Some(m)) => {
                format!("; merged into {} (`{}` names it now)", m.other, m.spelling)
            }
            (_, Some(m)) => format!(
                "; split from {} (`{}` named it before)",
                m.other, m.spelling
            ),
            _ => String::new(),
        };
        format!("{}{regrouped}", super::shorten(&c.summary, SHOWN * 2))
    }
}

/// Two versions of a value, each shortened to `max` characters around where they start to
/// differ: two long titles that differ at their end would otherwise both print as the same
/// beginning. `None` is "none".
fn shorten_pair(old: Option<&str>, new: Option<&str>, max: usize) -> (String, String) {
    let (Some(a), Some(b)) = (old, new) else {
        let one =
            |x: Option<&str>| x.map_or_else(|| "none".to_string(), |x| super::shorten(x, max));
        return (one(old), one(new));
    };
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    // Keep a third of the width as context before the first difference.
    let skip = common.saturating_sub(max / 3);
    let from = |x: &str| -> String {
        if skip == 0 || x.chars().count() <= max {
            super::shorten(x, max)
        } else {
            let rest: String = x.chars().skip(skip).collect();
            format!("…{}", super::shorten(&rest, max - 1))
        }
    };
    (from(a), from(b))
}

/// `(with + source nsc)` for the changes applied with this one, `(standing in for d6, d7)`
/// for the new claims it restates, `(restating d6, set aside with its line of evidence)` for
/// those the what-if sets aside with their line; `""` when none.
fn with(d: &CaseDiff, c: &Change) -> String {
    let mut parts = Vec::new();
    if !c.requires.is_empty() {
        let names: Vec<String> = c
            .requires
            .iter()
            .map(|&k| change_head(&d.changes[k]))
            .collect();
        parts.push(format!("with {}", names.join(", ")));
    }
    // The claims of other changes by id: "d6, d7".
    let ids = |of: &[usize]| -> String {
        of.iter()
            .map(|&k| d.changes[k].key.id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !c.stands_in_for.is_empty() {
        parts.push(format!("standing in for {}", ids(&c.stands_in_for)));
    }
    if !c.restates_aside.is_empty() {
        parts.push(format!(
            "restating {}, set aside with {} line of evidence",
            ids(&c.restates_aside),
            if c.restates_aside.len() == 1 {
                "its"
            } else {
                "their"
            }
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("({})", parts.join("; "))
    }
}

/// "1 hypothesis", "3 hypotheses".
fn hypotheses(n: usize) -> String {
    if n == 1 {
        "1 hypothesis".to_string()
    } else {
        format!("{n} hypotheses")
    }
}

/// The judgement a change gives `h` alone: `alone: very likely, high`.
fn alone(part: &Part, h: &HypothesisDiff) -> String {
    format!("alone: {}", judged_words(part.alone.as_ref(), h))
}

/// A judgement of `h` in words, `very likely, high`; for none, `no longer judged` where the
/// old version judges it, `not judged` where it is new.
fn judged_words(side: Option<&Side>, h: &HypothesisDiff) -> String {
    match side {
        Some(s) => format!(
            "{}, {}",
            term(Some(s)).unwrap_or_default(),
            s.confidence.word()
        ),
        None if h.old.is_some() => "no longer judged".to_string(),
        None => "not judged".to_string(),
    }
}

/// How the judgement moved, with ΔP: `moved (+0.052)`; a judgement only one version makes
/// is measured from its prior, and says so (`appeared (-0.171 from its prior 0.20)`), lest a
/// judgement that vanished read as one that rose. Names from the case are escaped by `esc`
/// for the output's syntax.
fn status_moved(d: &CaseDiff, h: &HypothesisDiff, esc: &dyn Fn(&str) -> String) -> String {
    let prior = |s: Option<&Side>| s.map_or_else(String::new, |s| prior_figure(s.prior));
    let delta = move_figure(h.delta_p, d.min_delta);
    match h.status {
        Status::Moved => format!("moved ({delta})"),
        Status::Appeared => format!(
            "appeared ({delta} from its prior {}{})",
            prior(h.new.as_ref()),
            regrouped(d, h, "split from", esc)
        ),
        Status::Disappeared => format!(
            "disappeared ({delta} back to its prior {}{})",
            prior(h.old.as_ref()),
            regrouped(d, h, "merged into", esc)
        ),
    }
}

/// `; merged into UNC2452 (unc2452)` for a hypothesis whose actor was merged into another or
/// split from one (`how`), else nothing.
fn regrouped(d: &CaseDiff, h: &HypothesisDiff, how: &str, esc: &dyn Fn(&str) -> String) -> String {
    (d.regrouped(&h.actor)).map_or_else(String::new, |r| {
        format!("; {how} {} ({})", esc(&r.name), esc(&r.other))
    })
}

/// A prior as the case writes it: `0.2`, `0.125`.
fn prior_figure(prior: f64) -> String {
    format!("{prior}")
}

/// The P column of a moved judgement: `0.640 → 0.712`; a side that does not judge it reads
/// as the prior it is measured from (`prior 0.2 → 0.029`).
fn p_moved(h: &HypothesisDiff) -> String {
    let base = |other: Option<&Side>| other.map(|s| format!("prior {}", prior_figure(s.prior)));
    let old = p(h.old.as_ref()).or_else(|| base(h.new.as_ref()));
    let new = p(h.new.as_ref()).or_else(|| base(h.old.as_ref()));
    moved(old, new)
}

/// The parts a "why" lists, and a line naming the others: those that move the judgement by
/// less than its figures show (`-0.000`) and leave its words as they were, which listed one
/// by one read as moves of nothing (`3 more changes move it by less than 0.0005 each: - group
/// x, - source y, - source z`). A part whose words differ is listed however small.
fn listed_parts<'a>(d: &CaseDiff, h: &'a HypothesisDiff) -> (Vec<&'a Part>, Option<String>) {
    let digits = why_digits(d, h);
    let words = |s: Option<&Side>| s.map(|s| (s.term, s.confidence));
    let (listed, small): (Vec<&Part>, Vec<&Part>) = (h.parts.iter()).partition(|p| {
        units(p.delta_p, digits) != 0 || words(p.alone.as_ref()) != words(h.old.as_ref())
    });
    if small.is_empty() {
        return (listed, None);
    }
    let names: Vec<String> = (small.iter())
        .map(|p| change_head(&d.changes[p.change]))
        .collect();
    let rest = format!(
        "{} move{} it by less than {:.*}{}: {}",
        super::plural(
            small.len(),
            if listed.is_empty() {
                "change"
            } else {
                "more change"
            }
        ),
        if small.len() == 1 { "s" } else { "" },
        digits + 1,
        0.5 * 10f64.powi(-(digits as i32)),
        if small.len() == 1 { "" } else { " each" },
        names.join(", ")
    );
    (listed, Some(rest))
}

/// The sentence on the parts that do not add up.
fn remainder(d: &CaseDiff, h: &HypothesisDiff) -> Option<String> {
    if h.parts.is_empty() {
        let mut out = format!(
            "No change {}: the whole move ({}) comes from the changes together.",
            if h.unmeasured.is_empty() {
                "moves it alone"
            } else {
                "measured alone moves it"
            },
            move_figure(h.delta_p, d.min_delta)
        );
        out.push_str(&unmeasured(d, h));
        if !h.together.is_empty() {
            out.push_str(&format!(
                " Among them: {}{}.",
                heads(d, &h.together).join(", "),
                together_move(d, h)
            ));
        }
        return Some(out);
    }
    // From the figures as shown, so that the sentence adds up to what a reader sums from the
    // lines above it (the JSON report keeps the exact residual).
    let digits = why_digits(d, h);
    let figure = |n: i64| super::change_figure(n as f64 / 10f64.powi(digits as i32), digits);
    let sum: i64 = h.parts.iter().map(|p| units(p.delta_p, digits)).sum();
    h.interacting.then(|| {
        let mut out = format!(
            "The changes interact: alone they add up to {}, together they move it {} ({} from \
             their combination).",
            figure(sum),
            super::change_figure(h.delta_p, digits),
            figure(units(h.delta_p, digits) - sum)
        );
        out.push_str(&restated_within(d, h));
        out.push_str(&unmeasured(d, h));
        if !h.together.is_empty() {
            out.push_str(&format!(
                " Moving it only in combination with other changes: {}{}.",
                heads(d, &h.together).join(", "),
                together_move(d, h)
            ));
        }
        out
    })
}

/// " c2 restates c1, which is new too: …" for new claims behind `h` that restate others new with
/// them. Measured alone, a restatement stands in for what it restates (model §6) and moves the
/// hypothesis as much; together it is an echo, counted once: the interaction is that, not
/// two pieces of evidence weakening each other. Empty when no part restates another.
fn restated_within(d: &CaseDiff, h: &HypothesisDiff) -> String {
    let measured: std::collections::BTreeSet<usize> = h.parts.iter().map(|p| p.change).collect();
    let pairs: Vec<String> = (h.parts.iter())
        .filter_map(|p| {
            let c = &d.changes[p.change];
            let of: Vec<String> = (c.stands_in_for.iter())
                .filter(|k| measured.contains(k))
                .map(|&k| d.changes[k].key.id())
                .collect();
            (!of.is_empty()).then(|| {
                let new = if of.len() == 1 { "is" } else { "are" };
                format!(
                    "{} restates {}, which {new} new too",
                    c.key.id(),
                    of.join(", ")
                )
            })
        })
        .collect();
    if pairs.is_empty() {
        return String::new();
    }
    format!(
        " {}: measured alone, a restatement stands in for what it restates; together it is an \
         echo, counted once.",
        pairs.join("; ")
    )
}

/// " Not measured alone: + group dark-halo, ~ claim c3 (each applied alone leaves no valid
/// case: the list of changes says why)." for the changes behind `h` whose part no figure
/// gives; empty when there are none. Without it, a move that such a change makes read as if
/// nothing in particular made it.
fn unmeasured(d: &CaseDiff, h: &HypothesisDiff) -> String {
    if h.unmeasured.is_empty() {
        return String::new();
    }
    let names = heads(d, &h.unmeasured);
    format!(
        " Not measured alone: {} (applied alone, {} no valid case: the list of changes says \
         why).",
        names.join(", "),
        if names.len() == 1 {
            "it leaves"
        } else {
            "each leaves"
        }
    )
}

/// What the changes that move a hypothesis only with others do applied together, to rank
/// beside the parts: `; applied together but without the other changes, they move it +0.028
/// (together: likely, moderate)`. Empty when they were not measured together.
fn together_move(d: &CaseDiff, h: &HypothesisDiff) -> String {
    let Some(t) = &h.together_part else {
        return String::new();
    };
    let words = |s: &Option<Side>| s.map(|s| (s.term, s.confidence));
    if h.parts.is_empty()
        && (t.delta_p - h.delta_p).abs() < 5e-4
        && words(&t.alone) == words(&h.new)
    {
        return "; applied together they make the whole move".to_string();
    }
    // A hypothesis the new version brings: without the others (its actor, a listed
    // hypothesis) these changes may not make it judged at all, which no figure says.
    if t.alone.is_none() && h.old.is_none() {
        return "; applied together but without the other changes, they do not make it a \
                hypothesis at all"
            .to_string();
    }
    format!(
        "; applied together but without the other changes, they move it {} (together: {})",
        move_figure(t.delta_p, d.min_delta),
        judged_words(t.alone.as_ref(), h)
    )
}

/// Changes (indices into [`CaseDiff::changes`]) named as in the list of changes
/// (`+ claim d10c`): those that move a hypothesis only together with others, those that could
/// not be measured alone.
fn heads(d: &CaseDiff, changes: &[usize]) -> Vec<String> {
    changes
        .iter()
        .map(|&k| change_head(&d.changes[k]))
        .collect()
}

/// The terminal report. `old_name` and `new_name` are what the user gave (files, `REV:PATH`);
/// `width`, the terminal's width to fit (`None`: as wide as the content).
pub fn table(
    d: &CaseDiff,
    old_name: &str,
    new_name: &str,
    width: Option<usize>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    out.write_all(table_text(d, old_name, new_name, width).as_bytes())
}

/// The terminal report: the versions, the judgements that moved as a table, why each moved,
/// and the changes.
fn table_text(d: &CaseDiff, old_name: &str, new_name: &str, width: Option<usize>) -> String {
    let t = |s: &str| terminal::text(s).into_owned();
    // The TLP of what the two versions hold heads and closes the output, as in every report.
    let tlp = d
        .tlp
        .map(|level| format!("{}\n", super::tlp_word_label(level)));
    let mut out = tlp.clone().unwrap_or_default();
    let _ = writeln!(out, "attrib diff: {} → {}", t(old_name), t(new_name));
    if d.old_title != d.new_title {
        let _ = writeln!(out, "title: {} → {}", t(&d.old_title), t(&d.new_title));
    } else {
        let _ = writeln!(out, "{}", t(&d.new_title));
    }
    for line in &d.what_if {
        let _ = writeln!(out, "what-if: {}", t(line));
    }
    let _ = writeln!(
        out,
        "\nJudgements that moved: {} ({} unchanged; P moves of {} or less are not shown \
         where the likelihood and confidence stay)",
        d.hypotheses.len(),
        hypotheses(d.unchanged),
        d.min_delta
    );
    super::fit::prose_from(&mut out, 0, width);
    if !d.hypotheses.is_empty() {
        table_moved(&mut out, d, width);
        let start = out.len();
        let note = prior_note(d);
        if note == PriorNote::UnderTable {
            out.push_str(super::table::PRIOR_NOTE);
        }
        for h in &d.hypotheses {
            table_why(&mut out, d, h);
        }
        if note == PriorNote::AfterWhy {
            out.push('\n');
            out.push_str(super::table::PRIOR_NOTE);
        }
        super::fit::prose_from(&mut out, start, width);
    }
    // The changes after the judgements, as in Markdown: what moved is the question, and a
    // new version's list of changes runs to a screen or more.
    let start = out.len();
    let _ = writeln!(out, "\nChanges ({}):", d.changes.len());
    if d.changes.is_empty() {
        out.push_str("  none\n");
    }
    for c in &d.changes {
        let _ = writeln!(out, "  {}: {}", t(&change_head(c)), t(&change_detail(c)));
        if let Some(why) = &c.unmeasured {
            let _ = writeln!(out, "      not measured alone: {}", t(why));
        }
    }
    super::fit::prose_from(&mut out, start, width);
    if let Some(label) = tlp {
        out.push('\n');
        out.push_str(&label);
    }
    out
}

/// The judgements that moved, a row each.
fn table_moved(out: &mut String, d: &CaseDiff, width: Option<usize>) {
    let rows: Vec<Vec<String>> = d
        .hypotheses
        .iter()
        .map(|h| {
            vec![
                h.incident.clone(),
                format!("{} ({})", h.name, h.actor),
                moved(term(h.old.as_ref()), term(h.new.as_ref())),
                moved(confidence(h.old.as_ref()), confidence(h.new.as_ref())),
                p_moved(h),
                move_figure(h.delta_p, d.min_delta),
            ]
        })
        .collect();
    super::table::table(
        out,
        &[
            Column::wrapping("Incident"),
            Column::wrapping("Hypothesis"),
            Column::wrapping("Likelihood"),
            Column::wrapping("Confidence"),
            Column::whole("P"),
            Column::whole("ΔP"),
        ],
        &rows,
        width,
    );
}

/// Why one judgement moved: each change's part, and what their combination adds.
fn table_why(out: &mut String, d: &CaseDiff, h: &HypothesisDiff) {
    let t = |s: &str| terminal::text(s).into_owned();
    let _ = writeln!(
        out,
        "\nWhy {} ({}) on {} {}:",
        t(&h.name),
        t(&h.actor),
        t(&h.incident),
        status_moved(d, h, &t),
    );
    let (listed, rest) = listed_parts(d, h);
    for part in listed {
        let _ = writeln!(
            out,
            "  {}  {}  [{}]",
            super::change_figure(part.delta_p, why_digits(d, h)),
            part_change(d, part, &t),
            alone(part, h)
        );
    }
    for line in rest.iter().chain(&remainder(d, h)) {
        let _ = writeln!(out, "  {}", t(line));
    }
}

/// The Markdown report, for a pull request or a review.
pub fn markdown(
    d: &CaseDiff,
    old_name: &str,
    new_name: &str,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    out.write_all(markdown_text(d, old_name, new_name).as_bytes())
}

/// The Markdown report: the versions, the judgements that moved and why, then the changes.
fn markdown_text(d: &CaseDiff, old_name: &str, new_name: &str) -> String {
    let md = markdown::text;
    let tlp = d
        .tlp
        .map(|level| format!("**{}**\n", super::tlp_word_label(level)));
    let mut out = tlp.as_ref().map(|l| format!("{l}\n")).unwrap_or_default();
    let _ = writeln!(
        out,
        "# Judgement diff: {} → {}\n",
        md(old_name),
        md(new_name)
    );
    if d.old_title != d.new_title {
        let _ = writeln!(out, "Title: {} → {}.\n", md(&d.old_title), md(&d.new_title));
    } else {
        let _ = writeln!(out, "{}\n", md(&d.new_title));
    }
    if !d.what_if.is_empty() {
        let _ = writeln!(out, "What-if in force: {}.\n", md(&d.what_if.join("; ")));
    }
    let _ = writeln!(out, "## Judgements that moved\n");
    if d.hypotheses.is_empty() {
        let _ = writeln!(
            out,
            "None ({} unchanged; P moves of {} or less are not shown where the likelihood \
             and confidence stay).\n",
            hypotheses(d.unchanged),
            d.min_delta
        );
    } else {
        markdown_moved(&mut out, d);
        for h in &d.hypotheses {
            markdown_why(&mut out, d, h);
        }
        if prior_note(d) == PriorNote::AfterWhy {
            out.push_str(&super::table::PRIOR_NOTE.replacen('*', "\\*", 1));
            out.push('\n');
        }
    }
    let _ = writeln!(out, "## Changes ({})\n", d.changes.len());
    if d.changes.is_empty() {
        out.push_str("None.\n");
    }
    for c in &d.changes {
        let _ = writeln!(out, "- {}: {}", md(&change_head(c)), md(&change_detail(c)));
        if let Some(why) = &c.unmeasured {
            let _ = writeln!(out, "  (not measured alone: {})", md(why));
        }
    }
    if let Some(label) = tlp {
        out.push('\n');
        out.push_str(&label);
    }
    out
}

/// The judgements that moved, as a Markdown table.
fn markdown_moved(out: &mut String, d: &CaseDiff) {
    let md = markdown::text;
    out.push_str("| Incident | Hypothesis | Likelihood | Confidence | P | ΔP |\n");
    out.push_str("|---|---|---|---|---|---:|\n");
    for h in &d.hypotheses {
        let _ = writeln!(
            out,
            "| {} | {} ({}) | {} | {} | {} | {} |",
            md(&h.incident),
            md(&h.name),
            md(&h.actor),
            moved(term(h.old.as_ref()), term(h.new.as_ref())),
            moved(confidence(h.old.as_ref()), confidence(h.new.as_ref())),
            p_moved(h),
            move_figure(h.delta_p, d.min_delta)
        );
    }
    if prior_note(d) == PriorNote::UnderTable {
        out.push('\n');
        out.push_str(&super::table::PRIOR_NOTE.replacen('*', "\\*", 1));
    }
    let _ = writeln!(
        out,
        "\n{} unchanged; P moves of {} or less are not shown where the likelihood and \
         confidence stay.\n",
        hypotheses(d.unchanged),
        d.min_delta
    );
}

/// The change behind a part, as the list of changes names it, with what goes with it; each
/// piece escaped by `esc` for the output's syntax.
fn part_change(d: &CaseDiff, part: &Part, esc: &dyn Fn(&str) -> String) -> String {
    let c = &d.changes[part.change];
    let w = with(d, c);
    // The fields that moved it: a note rewritten beside a new grade is in the list of changes.
    // A link up from the actor that lowers it: the whole's opposition came down it.
    let lowers = part.delta_p < 0.0;
    let down = (part.down_from.as_deref()).map_or_else(String::new, |to| {
        let less = if lowers { "" } else { " less" };
        format!("; a link up to {to}, whose opposition comes down it{less} (model §5)")
    });
    // Competitors moved the other way: support for one member of a set counts against the
    // others.
    let raises = if part.competitors.is_empty() {
        String::new()
    } else {
        format!(
            "; {} {}, exclusive with it (model §5b)",
            if lowers { "raises" } else { "lowers" },
            part.competitors.join(", ")
        )
    };
    format!(
        "{}: {}{}{}{}{}",
        esc(&change_head(c)),
        esc(&fields_detail(c, |f| !crate::diff::is_words(f))),
        if w.is_empty() { "" } else { " " },
        esc(&w),
        esc(&down),
        esc(&raises)
    )
}

/// Why one judgement moved, as a Markdown section.
fn markdown_why(out: &mut String, d: &CaseDiff, h: &HypothesisDiff) {
    let md = markdown::text;
    let _ = writeln!(
        out,
        "### Why {} ({}) on {} {}\n",
        md(&h.name),
        md(&h.actor),
        md(&h.incident),
        status_moved(d, h, &md),
    );
    let (listed, rest) = listed_parts(d, h);
    for part in &listed {
        let _ = writeln!(
            out,
            "- **{}** {} ({})",
            super::change_figure(part.delta_p, why_digits(d, h)),
            part_change(d, part, &md),
            alone(part, h)
        );
    }
    if let Some(rest) = rest {
        let _ = writeln!(out, "- {}", md(&rest));
    }
    if let Some(r) = remainder(d, h) {
        // A blank line between the list and the paragraph; none after the heading's.
        let gap = if h.parts.is_empty() { "" } else { "\n" };
        let _ = writeln!(out, "{gap}{}", md(&r));
    }
    out.push('\n');
}

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    tlp: Option<&'static str>,
    old: Version<'a>,
    new: Version<'a>,
    what_if: &'a [String],
    min_delta: f64,
    moved: bool,
    unchanged: usize,
    hypotheses: Vec<Hypothesis<'a>>,
    changes: Vec<ChangeOut<'a>>,
}

#[derive(Serialize)]
struct Version<'a> {
    name: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct Judged {
    likelihood: &'static str,
    confidence: &'static str,
    p: f64,
    prior: f64,
    mostly_prior: bool,
}

fn judged(s: &Option<Side>) -> Option<Judged> {
    s.as_ref().map(|s| Judged {
        likelihood: s.term_word(),
        confidence: s.confidence.word(),
        p: s.p,
        prior: s.prior,
        mostly_prior: s.mostly_prior,
    })
}

#[derive(Serialize)]
struct Hypothesis<'a> {
    incident: &'a str,
    actor: &'a str,
    name: &'a str,
    status: Status,
    old: Option<Judged>,
    new: Option<Judged>,
    delta_p: f64,
    parts: Vec<PartOut<'a>>,
    residual: f64,
    interacting: bool,
    /// The changes that move it only with others, as `+ claim d10c`.
    together: Vec<String>,
    /// What those changes do applied together without the others.
    together_move: Option<TogetherOut>,
    /// The changes behind it that could not be measured alone.
    unmeasured: Vec<String>,
    /// The actor or group its actor was merged into, when it disappeared so.
    merged_into: Option<&'a str>,
    /// The actor or group its actor was split from, when it appeared so.
    split_from: Option<&'a str>,
}

#[derive(Serialize)]
struct TogetherOut {
    delta_p: f64,
    alone: Option<Judged>,
}

#[derive(Serialize)]
struct PartOut<'a> {
    op: Op,
    kind: &'a str,
    id: String,
    delta_p: f64,
    alone: Option<Judged>,
    down_from: Option<&'a str>,
    competitors: &'a [String],
}

#[derive(Serialize)]
struct ChangeOut<'a> {
    op: Op,
    kind: &'a str,
    id: String,
    summary: &'a str,
    fields: Vec<FieldOut<'a>>,
    requires: Vec<String>,
    stands_in_for: Vec<String>,
    restates_aside: Vec<String>,
    unmeasured: Option<&'a str>,
    merged_into: Option<&'a str>,
    split_from: Option<&'a str>,
}

#[derive(Serialize)]
struct FieldOut<'a> {
    field: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    added: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    removed: &'a [String],
}

/// The JSON report (`attrib-diff/1`), every number at full precision.
pub fn json(
    d: &CaseDiff,
    old_name: &str,
    new_name: &str,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let report = Report {
        schema: SCHEMA,
        tlp: d.tlp,
        old: Version {
            name: old_name,
            title: &d.old_title,
        },
        new: Version {
            name: new_name,
            title: &d.new_title,
        },
        what_if: &d.what_if,
        min_delta: d.min_delta,
        moved: d.moved(),
        unchanged: d.unchanged,
        hypotheses: d.hypotheses.iter().map(|h| hypothesis(d, h)).collect(),
        changes: d.changes.iter().map(|c| change(d, c)).collect(),
    };
    // Laid out as the assessment's JSON report is (small: a diff lists what moved).
    super::write_laid_out(&report, out)
}

/// One judgement that moved, with each change's part.
fn hypothesis<'a>(d: &'a CaseDiff, h: &'a HypothesisDiff) -> Hypothesis<'a> {
    Hypothesis {
        incident: &h.incident,
        actor: &h.actor,
        name: &h.name,
        status: h.status,
        old: judged(&h.old),
        new: judged(&h.new),
        delta_p: h.delta_p,
        parts: h
            .parts
            .iter()
            .map(|p| {
                let c = &d.changes[p.change];
                PartOut {
                    op: c.op,
                    kind: c.kind,
                    id: c.key.id(),
                    delta_p: p.delta_p,
                    alone: judged(&p.alone),
                    down_from: p.down_from.as_deref(),
                    competitors: &p.competitors,
                }
            })
            .collect(),
        residual: h.residual,
        interacting: h.interacting,
        together: heads(d, &h.together),
        together_move: h.together_part.map(|t| TogetherOut {
            delta_p: t.delta_p,
            alone: judged(&t.alone),
        }),
        unmeasured: heads(d, &h.unmeasured),
        merged_into: (h.status == Status::Disappeared)
            .then(|| d.regrouped(&h.actor).map(|r| r.other.as_str()))
            .flatten(),
        split_from: (h.status == Status::Appeared)
            .then(|| d.regrouped(&h.actor).map(|r| r.other.as_str()))
            .flatten(),
    }
}

/// One change, with its fields and the changes it needs or stands in for.
fn change<'a>(d: &'a CaseDiff, c: &'a Change) -> ChangeOut<'a> {
    let named = |k: &usize| format!("{} {}", d.changes[*k].kind, d.changes[*k].key.id());
    // Merged into, for a removal; split from, for an addition.
    let regrouped = |op: Op| {
        (c.op == op)
            .then(|| c.regrouped.as_ref().map(|r| r.other.as_str()))
            .flatten()
    };
    ChangeOut {
        op: c.op,
        kind: c.kind,
        id: c.key.id(),
        summary: &c.summary,
        fields: c
            .fields
            .iter()
            .map(|f| FieldOut {
                field: f.field,
                old: f.old.as_deref(),
                new: f.new.as_deref(),
                added: &f.added,
                removed: &f.removed,
            })
            .collect(),
        requires: c.requires.iter().map(named).collect(),
        stands_in_for: c.stands_in_for.iter().map(named).collect(),
        restates_aside: c.restates_aside.iter().map(named).collect(),
        unmeasured: c.unmeasured.as_deref(),
        merged_into: regrouped(Op::Removed),
        split_from: regrouped(Op::Added),
    }
}

#[cfg(test)]
mod tests {
    use super::{Side, move_digits, move_figure, p, shorten_pair};
    use crate::terms::{Confidence, IcdTerm};

    #[test]
    fn p_is_never_printed_on_a_band_edge_it_is_below() {
        let side = |p: f64| Side {
            p,
            term: Some(IcdTerm::from_probability(p)),
            confidence: Confidence::Moderate,
            prior: 0.5,
            mostly_prior: false,
        };
        assert_eq!(p(Some(&side(0.0498))).as_deref(), Some("0.0498"));
        assert_eq!(p(Some(&side(0.7996))).as_deref(), Some("0.7996"));
        assert_eq!(p(Some(&side(0.057))).as_deref(), Some("0.057"));
        // At or above an edge, three decimals say it.
        assert_eq!(p(Some(&side(0.05))).as_deref(), Some("0.050"));
        assert_eq!(p(None), None);
    }

    #[test]
    fn long_values_are_shown_where_they_differ() {
        let a = format!("{} July 2022", "x".repeat(100));
        let b = format!("{} September 2022", "x".repeat(100));
        let (old, new) = shorten_pair(Some(&a), Some(&b), 30);
        assert!(
            old.contains("July") && new.contains("September"),
            "{old} / {new}"
        );
        assert!(old.starts_with('…') && old.chars().count() <= 30, "{old}");
        assert_eq!(
            shorten_pair(Some("short"), None, 30),
            ("short".to_string(), "none".to_string())
        );
        assert_eq!(
            shorten_pair(Some("a b"), Some("a c"), 30),
            ("a b".to_string(), "a c".to_string())
        );
    }

    /// A move the report shows is never written as one it says it leaves out (`P moves of
    /// 0.005 or less are not shown`): it takes the decimals that set it above the threshold.
    #[test]
    fn a_move_shown_never_reads_as_one_left_out() {
        assert_eq!(move_figure(0.052, 0.005), "+0.052");
        assert_eq!(move_figure(0.00534, 0.005), "+0.0053");
        assert_eq!(move_figure(-0.00534, 0.005), "-0.0053");
        assert_eq!(move_figure(0.0050004, 0.005), "+0.005000");
        assert_eq!(move_figure(0.0000012, 0.0), "+0.000001");
        // A move listed for its word or confidence alone keeps three decimals.
        assert_eq!(move_figure(0.004, 0.005), "+0.004");
        assert_eq!(move_figure(0.0, 0.005), "+0.000");
        assert_eq!(move_digits(0.00534, 0.005), 4);
    }
}
