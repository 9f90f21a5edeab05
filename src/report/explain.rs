//! The audit tree of `attrib explain`: how one hypothesis was derived, claim by claim, and what
//! would change it.

use super::{entity_label, incident_label, removal_label, scenario_lines, term_with_band};
use crate::assess::{
    Assessment, Contribution, Derivation, IncidentAssessment, Judgement, Origin, Share, Weightless,
};
use crate::escape::terminal::{self, text};
use crate::format::{ActorKind, GroupKind, Relation};
use crate::model::{Case, ClaimId, EntityId, EntityKind, Originals, Statement, is_declared_whole};
use crate::opinion::WithoutBaseRate;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::io;

/// Deepest chain shown; deeper derivations are summarised.
const MAX_DEPTH: usize = 12;

/// Writes the explanation of the judgement on `actor` in each incident assessed (an assessment
/// made for `explain` holds one, with the actor [named](crate::assess::Request::actor) and its
/// sensitivity asked for). The text passes through [`terminal::block`] on its way out, and is
/// wrapped to `width` when one is given (the terminal's), the derivation tree's branches
/// carried on to the wrapped lines.
pub fn render(
    case: &Case,
    assessment: &Assessment,
    actor: EntityId,
    width: Option<usize>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    // The case's TLP heads and closes the text, as it does every report (docs/report.md).
    let tlp = super::tlp_label(case).map(|label| format!("{label}\n"));
    out.write_all(tlp.as_deref().unwrap_or_default().as_bytes())?;
    for assessed in assessment.each(case) {
        if let Some(j) = assessed.judgement(actor) {
            let text = explain(case, assessment, &assessed, j, width);
            let mut text = terminal::block(&text);
            if width.is_some() {
                super::fit::prose_from(text.to_mut(), 0, width);
            }
            out.write_all(text.as_bytes())?;
        }
    }
    if let Some(tlp) = tlp {
        out.write_all(format!("\n{tlp}").as_bytes())?;
    }
    Ok(())
}

/// The explanation of one judgement, as text not yet made safe for the terminal: the
/// judgement, its lines of evidence, the claims that carry no weight, the derivation tree and
/// the sensitivity table.
fn explain(
    case: &Case,
    assessment: &Assessment,
    assessed: &IncidentAssessment,
    j: &Judgement,
    width: Option<usize>,
) -> String {
    let mut out = String::new();
    summary(&mut out, case, assessment, assessed, j);
    let result = &assessed.derivation;
    lines(&mut out, case, result, j);
    // Each echo's originals, read from one index by the reasons and the stand-in sentences
    // alike: walking each echo's chain made a chain of thousands of restatements quadratic.
    let index = case.originals();
    weightless(&mut out, case, assessment, index.as_ref(), j);
    if result.fused.contains_key(&j.actor) {
        let _ = writeln!(out, "\nDerivation:");
        let mut tree = Tree {
            case,
            assessment,
            result,
            out: &mut out,
            homes: homes(result, j.actor),
            judged: j.actor,
            seen: BTreeSet::new(),
        };
        tree.node((j.actor, Side::Both), &[j.actor], "", 0);
    } else if j.weightless.is_empty() {
        let _ = writeln!(
            out,
            "\nNo claim bears on this hypothesis, directly, through a link or through a competing hypothesis."
        );
    }
    sensitivity(&mut out, case, j, width);
    stand_ins(&mut out, case, assessment, index.as_ref(), result, j);
    links_down(&mut out, case, j);
    aliases_carrying_nothing(&mut out, case, assessment, assessed, j);
    refuted_competitors(&mut out, case, assessed, j);
    out
}

/// A believed "possibly same as" pair that carries nothing to this hypothesis because the
/// other actor's support on the incident reaches it otherwise than by claims on it: a pair
/// passes only direct support, one hop (model §5, step 2), so a chain of possible aliases
/// stops after the first and what comes up a link stays where it arrived. Said, since a
/// reader who stated the pair expects it to pass what the other actor has.
fn aliases_carrying_nothing(
    out: &mut String,
    case: &Case,
    assessment: &Assessment,
    assessed: &IncidentAssessment,
    j: &Judgement,
) {
    let fused = &assessed.derivation.fused;
    // The actors paired with this one by a believed pair, and the pairs.
    let paired: Vec<(usize, EntityId)> = (assessment.pairs.iter().enumerate())
        .filter(|&(k, _)| assessment.pair_beliefs[k] > 0.0)
        .filter_map(|(k, pair)| match (pair.a == j.actor, pair.b == j.actor) {
            (true, _) => Some((k, pair.b)),
            (_, true) => Some((k, pair.a)),
            _ => None,
        })
        .collect();
    for &(k, other) in &paired {
        let pair = &assessment.pairs[k];
        let Some(theirs) = fused.get(&other) else {
            continue;
        };
        // What reaches the other actor from this one, or across a pair from an actor this
        // one is paired with itself (its direct support, which that pair carries too), is no
        // support the pair fails to carry. What comes up a link to the other actor is.
        let own = |c: &Contribution| match c.origin {
            Origin::SameAs { from, .. } => {
                from == j.actor || paired.iter().any(|&(_, p)| p == from)
            }
            origin => origin.from() == Some(j.actor),
        };
        let supporting = || (theirs.contributions.iter()).filter(|c| c.r > 0.0 && !own(c));
        let direct = supporting().any(|c| matches!(c.origin, Origin::Direct(_)));
        if direct || supporting().next().is_none() {
            continue;
        }
        let ways: BTreeSet<&str> = supporting()
            .map(|c| match c.origin {
                Origin::SameAs { .. } => "through a possible alias",
                Origin::Chain { .. } => "up a link from a part",
                _ => "otherwise",
            })
            .collect();
        let ways: Vec<&str> = ways.into_iter().collect();
        let _ = writeln!(
            out,
            "{claims} say{s} {me} may be {them}, but carr{ies} nothing to it here: a possible \
             alias passes on only what claims on the incident say of the other actor directly, \
             one hop (model §5), and what supports {them} here reaches it {ways}. If the case \
             takes the two for one actor, declare them as one, the other's name among its \
             `aliases`.",
            claims = match pair.claims.len() {
                1 => format!("Claim {}", text(&claim_ids(case, &pair.claims))),
                _ => format!("Claims {}", text(&claim_ids(case, &pair.claims))),
            },
            s = if pair.claims.len() == 1 { "s" } else { "" },
            ies = if pair.claims.len() == 1 { "ies" } else { "y" },
            me = text(&case.entity(j.actor).id),
            them = text(&case.entity(other).id),
            ways = ways.join(" and "),
        );
    }
}

/// A competitor whose support counts against this hypothesis though the evidence is against
/// it: only support crosses an exclusive set (model §5b), so what refutes the competitor does
/// not raise this hypothesis, and the competitor's support still lowers it. Said, since a
/// reader expects a refuted alternative to strengthen the others.
fn refuted_competitors(
    out: &mut String,
    case: &Case,
    assessed: &IncidentAssessment,
    j: &Judgement,
) {
    for &k in &j.competitors {
        let Some(c) = assessed.judgement(k) else {
            continue;
        };
        // Refuted by evidence of its own: lines against that do not come through the
        // exclusive set (this hypothesis's support crossing to it is no refutation).
        let refuting = c.lines_against - c.lines_against_from.competing;
        if c.p() >= 0.5 || refuting == 0 {
            continue;
        }
        let _ = writeln!(
            out,
            "The competing hypothesis {id} is itself improbable (P {p}, {against} against it \
             besides the exclusive set), yet \
             its support still counts against this one: within an exclusive set only support \
             crosses (model §5b), so what refutes {id} does not raise this hypothesis.",
            id = text(&case.entity(k).id),
            p = crate::report::probability_digits(c.p(), 3),
            against = crate::report::plural(refuting, "line"),
        );
    }
}

/// Why a claim that ties the actor (or a whole it is part of) to another can lower its P:
/// opposition to the one acted for passes down the link and support does not (model §5), so
/// such a claim weighs against the actor when the other is opposed (a state's denial) and
/// carries nothing up to it. Read as support, the negative weight surprises; said here.
fn links_down(out: &mut String, case: &Case, j: &Judgement) {
    for s in j.sensitivity.as_deref().unwrap_or(&[]) {
        let crate::assess::Removal::Claim(c) = s.item else {
            continue;
        };
        let Statement::Link { from, to } = case.claim(c).statement else {
            continue;
        };
        let below = from == j.actor || is_declared_whole(&case.entities, from, j.actor);
        if !below || s.delta <= 1e-9 {
            continue;
        }
        let (from_id, to_id) = (text(&case.entity(from).id), text(&case.entity(to).id));
        // An intrusion set tied to a unit, an agency or another set may be one actor known by
        // two names (Sandworm, Unit 74455); a persona or a state is not another's name.
        let may_be_alias = matches!(
            case.entity(from).kind,
            EntityKind::Group(GroupKind::IntrusionSet)
        ) && !matches!(
            case.entity(to).kind,
            EntityKind::Group(GroupKind::Persona) | EntityKind::Actor(ActorKind::State)
        );
        let alias = if may_be_alias {
            format!(
                " If {from_id} and {to_id} are one actor known by two names, a `PossiblySameAs` \
                 claim says that instead, and direct support crosses it both ways."
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "Without claim {id}, P rises ({delta}): {id} ties {from_id} to {to_id}, and what \
             opposes {to_id} (its denials, the support of its competitors) passes down to \
             {from_id} with it, while what supports {to_id} does not (model §5).{alias}",
            id = text(&case.claim(c).id),
            delta = crate::report::change_figure(s.delta, 3),
        );
    }
}

/// Why setting aside a claim or source can change little or nothing: an echo that restates it
/// stands in for it in its line (model §6), so a ΔP of 0 does not mean it carried no weight.
fn stand_ins(
    out: &mut String,
    case: &Case,
    assessment: &Assessment,
    index: Option<&Originals>,
    result: &Derivation,
    j: &Judgement,
) {
    let echoes = &result.echoes;
    // An echo stands in for a claim it restates on the same statement only, and carries
    // something only where both carry evidence on the same side: it gives the line no more
    // than the original would (model §6), so an echo of a claim that carries nothing (an
    // Admiralty 6, an even chance), or of one saying something else, carries nothing either.
    let same_statement =
        |e: ClaimId, o: ClaimId| case.claim(e).statement.same_as(case.claim(o).statement);
    let carries_for = |e: ClaimId, o: ClaimId| {
        let (e, o) = (assessment.claim(e), assessment.claim(o));
        (e.r > 0.0 && o.r > 0.0) || (e.s > 0.0 && o.s > 0.0)
    };
    // The echoes restating each original, at any remove, once: asking every echo of every
    // row made a chain of thousands of restatements quadratic.
    let mut restating: BTreeMap<ClaimId, Vec<usize>> = BTreeMap::new();
    for (i, &e) in echoes.iter().enumerate() {
        for &o in case.originals_in(index, e).iter() {
            restating.entry(o).or_default().push(i);
        }
    }
    let rows = j.sensitivity.as_deref().unwrap_or(&[]);
    let by_source = restated_by_source(case, restating.keys().copied(), rows);
    for s in rows {
        // What the row removes, and the originals it removes.
        let (removed, originals): (&dyn Fn(ClaimId) -> bool, &[ClaimId]) = match &s.item {
            crate::assess::Removal::Claim(x) => (&move |c| c == *x, std::slice::from_ref(x)),
            crate::assess::Removal::Source(x) => (
                &move |c| case.claim(c).source == *x,
                by_source.get(x).map_or(&[][..], Vec::as_slice),
            ),
            // What restates a line set aside goes with it: nothing stands in for it.
            crate::assess::Removal::Family(_) => continue,
        };
        // What an echo stands in for: its originals missing (`Case::missing_roots`) that the
        // row removes, with the claim beside each that holds its line as strongly, if any.
        let hits = (originals.iter())
            .filter(|&&o| !assessment.claim(o).echoed(true))
            .filter_map(|&o| Some((o, restating.get(&o)?)))
            .flat_map(|(o, by)| {
                (by.iter().copied())
                    .filter(move |&i| same_statement(echoes[i], o) && carries_for(echoes[i], o))
                    .map(move |i| (i, o))
            })
            .filter(|&(i, _)| !removed(echoes[i]));
        // By echo, in the order of `echoes`: one that stands in for any original its line
        // needs, or else held beside every original it stands in for, by the claims named.
        let mut by_echo: BTreeMap<usize, Option<BTreeSet<ClaimId>>> = BTreeMap::new();
        for (i, o) in hits {
            let held = held_beside(case, assessment, result, o, echoes[i], removed);
            let entry = by_echo.entry(i).or_insert_with(|| Some(BTreeSet::new()));
            match (entry.as_mut(), held) {
                (Some(holders), Some(y)) => {
                    holders.insert(y);
                }
                _ => *entry = None,
            }
        }
        let id = |c: ClaimId| case.claim(c).id.as_str();
        let (standing, held): (Vec<_>, Vec<_>) =
            (by_echo.iter()).partition(|(_, holders)| holders.is_none());
        let holders: BTreeSet<ClaimId> = (by_echo.values().flatten().flatten()).copied().collect();
        let ids = |v: Vec<(&usize, _)>| v.into_iter().map(|(&i, _)| id(echoes[i])).collect();
        let holders: Vec<&str> = holders.into_iter().map(id).collect();
        let label = removal_label(case, s.item);
        let (stands_for, one_line) = removed_words(case, s.item, originals);
        let what = (stands_for.as_str(), one_line);
        stand_in_sentences(out, &label, what, ids(standing), ids(held), &holders);
    }
}

/// What a row removes, in the words of its stand-in sentences (what a restatement stands in
/// for), and whether that is one line of evidence: a claim's, or a source's one restated claim.
fn removed_words(
    case: &Case,
    item: crate::assess::Removal,
    originals: &[ClaimId],
) -> (String, bool) {
    match (item, originals) {
        (crate::assess::Removal::Claim(_), _) => ("it in its line".to_string(), true),
        (_, [one]) => (
            format!("its claim {} in its line", case.claim(*one).id),
            true,
        ),
        _ => ("its claims in their lines".to_string(), false),
    }
}

/// The row's sentences: the restatements that stand in for what it removes, and those that
/// stand in only mechanically, their line held beside them by the claims named. Saying only
/// that the latter stand in would credit them with what those claims hold.
fn stand_in_sentences(
    out: &mut String,
    label: &str,
    (stands_for, one_line): (&str, bool),
    standing: Vec<&str>,
    held: Vec<&str>,
    holders: &[&str],
) {
    let agreeing = |ids: &[&str], verb: (&'static str, &'static str)| match ids {
        [_] => (format!("the restatement {}", and_list(ids)), verb.0),
        _ => (format!("the restatements {}", and_list(ids)), verb.1),
    };
    if !standing.is_empty() {
        let (restatements, stand) = agreeing(&standing, ("stands", "stand"));
        let _ = writeln!(
            out,
            "Without {label}, {restatements} {stand} in for {stands_for} (model §6)."
        );
    }
    if !held.is_empty() {
        let (restatements, adds) = agreeing(&held, ("adds", "add"));
        let one_holder = holders.len() == 1;
        let (holders, hold) = match holders {
            [_] => (format!("claim {}", and_list(holders)), "holds"),
            _ => (format!("claims {}", and_list(holders)), "hold"),
        };
        // One claim holding them all holds one line: a source's claims are in its line.
        let (line, it) = if one_line || one_holder {
            ("its line", "it")
        } else {
            ("their lines", "them")
        };
        let they = match held.as_slice() {
            [one] => one,
            _ => "they",
        };
        let _ = writeln!(
            out,
            "Without {label}, {restatements} {adds} nothing to {line}: {holders} {hold} {it} \
             at least as strongly as {they} would (model §6)."
        );
    }
}

/// "c3", "c3 and c5", "c3, c5 and c7".
fn and_list(ids: &[&str]) -> String {
    match ids.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => ids.join(""),
    }
}

/// A claim beside original `o`, on its statement and in its line of evidence, not removed by
/// the row, that holds the line at least as strongly as restatement `e` could standing in for
/// `o` (a stand-in gives a line no more than the original would, model §6): without `o`, `e`
/// then adds nothing to the line. None where that cannot be told from `o`'s own contribution
/// (a claim on a link or a pair, which discounts rather than forming a line).
fn held_beside(
    case: &Case,
    assessment: &Assessment,
    result: &Derivation,
    o: ClaimId,
    e: ClaimId,
    removed: &dyn Fn(ClaimId) -> bool,
) -> Option<ClaimId> {
    let Statement::Responsible { actor, .. } = case.claim(o).statement else {
        return None;
    };
    let fused = result.fused.get(&actor)?;
    let family = assessment.claim(o).family;
    let share = |c: &Contribution| {
        (c.shares.iter())
            .find(|s| s.family == family)
            .map(|s| (s.r, s.s, s.strong))
    };
    let (or, os, o_strong) = (fused.contributions.iter())
        .find(|c| c.origin == Origin::Direct(o))
        .and_then(share)?;
    // The most the stand-in could give the line, side by side, and whether it would make the
    // line strong (model §7: both its source and the original's rated B or better), which
    // counts towards confidence whatever the figures.
    let stand_in = assessment.claim(e);
    let (er, es) = (stand_in.r.min(or), stand_in.s.min(os));
    let strong = stand_in.strong && o_strong;
    // The strongest such claim, the first in the canonical order among equals: the one the
    // line rests on without `o`.
    (fused.contributions.iter().enumerate())
        .filter_map(|(i, c)| match c.origin {
            Origin::Direct(y) if y != o && !removed(y) && case.claim(y).derived_from.is_empty() => {
                let (yr, ys, y_strong) = share(c)?;
                (yr >= er && ys >= es && (y_strong || !strong)).then_some((
                    yr + ys,
                    std::cmp::Reverse(i),
                    y,
                ))
            }
            _ => None,
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, _, y)| y)
}

/// The `restated` originals that bear on a judgement (a sensitivity row of their own each), by
/// source: a source's claim on another actor, restated there, stands in for nothing here.
fn restated_by_source(
    case: &Case,
    restated: impl Iterator<Item = ClaimId>,
    rows: &[crate::assess::Sensitivity],
) -> BTreeMap<crate::model::SourceId, Vec<ClaimId>> {
    let behind: std::collections::BTreeSet<ClaimId> = (rows.iter())
        .filter_map(|s| match s.item {
            crate::assess::Removal::Claim(c) => Some(c),
            _ => None,
        })
        .collect();
    let mut by_source: BTreeMap<crate::model::SourceId, Vec<ClaimId>> = BTreeMap::new();
    for o in restated.filter(|o| behind.contains(o)) {
        by_source.entry(case.claim(o).source).or_default().push(o);
    }
    by_source
}

/// Said first, not after a page of zeros: an actor nothing bears on is explained when asked,
/// though `assess` reports it only when the case lists it.
fn nothing_bears(out: &mut String, case: &Case, assessed: &IncidentAssessment, j: &Judgement) {
    if !assessed.derivation.fused.contains_key(&j.actor) && j.weightless.is_empty() {
        let listed = case
            .listed_pairs()
            .any(|pair| pair == (assessed.incident, j.actor));
        let _ = writeln!(
            out,
            "No claim bears on it: {}; what follows is its prior alone.",
            if listed {
                "the case lists it, and `assess` reports it as such"
            } else {
                "it is no hypothesis `assess` reports on this incident"
            }
        );
    }
}

/// The hypothesis, the what-ifs in force, and the judgement: likelihood, confidence, the
/// evidence in numbers, and why it stands when it rests on no evidence of its own.
fn summary(
    out: &mut String,
    case: &Case,
    assessment: &Assessment,
    assessed: &IncidentAssessment,
    j: &Judgement,
) {
    let _ = writeln!(
        out,
        "Hypothesis: {} carried out {}",
        text(&entity_label(case, j.actor)),
        text(&incident_label(case, assessed.incident))
    );
    for line in scenario_lines(case, &assessment.scenario) {
        let _ = writeln!(out, "What-if: {}", text(&line));
    }
    // Before the incident began, as `assess` says under its heading: nothing could be known.
    if let Some(note) = super::not_begun(case, assessment, assessed) {
        let _ = writeln!(out, "{}", text(&note));
    }
    nothing_bears(out, case, assessed, j);
    let o = j.opinion();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Likelihood: {} (P {} = b {:.3} + prior {} × u {})",
        term_with_band(j.term()),
        super::probability_digits(j.p(), 3),
        o.belief(),
        prior_figure(j.prior),
        super::uncertainty_digits(o.uncertainty(), 3)
    );
    let _ = writeln!(
        out,
        "Confidence: {} (u {}; {} independent {} for, {} against; {})",
        j.confidence().word(),
        super::uncertainty_digits(o.uncertainty(), 3),
        j.lines,
        if j.lines == 1 { "line" } else { "lines" },
        j.lines_against,
        match j.strong_lines {
            0 => "none of them resting on a source rated B or better".to_string(),
            1 => "1 of them resting on a source rated B or better".to_string(),
            n => format!("{n} of them resting on sources rated B or better"),
        }
    );
    let _ = writeln!(
        out,
        "Evidence: supporting r {:.3}, opposing s {:.3}{}; degree of conflict {:.3}{}",
        j.r,
        j.s,
        if j.s_exclusive > 0.0 {
            format!(
                " (of which {:.3} from competing exclusive hypotheses)",
                j.s_exclusive
            )
        } else {
            String::new()
        },
        j.conflict,
        if j.conflict_flagged() {
            " (flagged)"
        } else {
            ""
        }
    );
    if let Some(why) = super::borrowed_reason(case, j) {
        let _ = writeln!(
            out,
            "\nNo evidence bears on this hypothesis itself: it {} only because {}.",
            crate::terms::IcdTerm::predicate_of(j.term()),
            text(&why)
        );
    }
}

/// The lines for and then against: how many, where they come from, and each family's value.
fn lines(out: &mut String, case: &Case, result: &Derivation, j: &Judgement) {
    let fused = result.fused.get(&j.actor);
    let lines = fused.map_or(&[][..], |f| &f.lines[..]);
    for for_side in [true, false] {
        let value = |l: &&crate::assess::Line| if for_side { l.r } else { l.s };
        let mut mine: Vec<_> = lines.iter().filter(|l| value(l) > 0.0).collect();
        // Strongest first, as a reader weighs them (the sums run in family-name order, the
        // order of the lines kept, which ties keep).
        mine.sort_by(|a, b| value(b).total_cmp(&value(a)));
        let tally = if for_side {
            &j.lines_for_from
        } else {
            &j.lines_against_from
        };
        let _ = write!(
            out,
            "\nLines {} ({}",
            if for_side { "for" } else { "against" },
            mine.len()
        );
        let mut kinds = Vec::new();
        for (n, word) in [
            (tally.direct, "direct"),
            (tally.same_as, "through a possible alias"),
            (tally.chain, "through chains"),
            (tally.competing, "through competing hypotheses"),
            (tally.inherited, "inherited down links"),
        ] {
            if n > 0 {
                kinds.push(format!("{n} {word}"));
            }
        }
        if !kinds.is_empty() {
            let _ = write!(out, ": {}", kinds.join(", "));
        }
        let _ = writeln!(out, "){}", if mine.is_empty() { "" } else { ":" });
        for l in mine {
            let (word, value, strong) = if for_side {
                ("r", l.r, l.strong_for)
            } else {
                ("s", l.s, l.strong_against)
            };
            let _ = writeln!(
                out,
                "  {:<16} {word} {:>7.3}{}  from {}",
                case.family(l.family),
                value,
                if strong { "  (B or better)" } else { "" },
                text(&super::line_origin_of(case, result, j.actor, l, for_side))
            );
        }
    }
}

/// The claims that name the hypothesis but carry no weight, each with the reason.
fn weightless(
    out: &mut String,
    case: &Case,
    assessment: &Assessment,
    index: Option<&Originals>,
    j: &Judgement,
) {
    if j.weightless.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nClaims naming it that carry no weight:");
    for (c, why) in &j.weightless {
        let claim = case.claim(*c);
        let reason = if why.is_echo() {
            echo_reason(case, assessment, index, *c, *why)
        } else {
            why.reason().to_string()
        };
        let _ = writeln!(
            out,
            "  {} [{}, {}]: {reason}",
            claim.id,
            text(&case.source(claim.source).name),
            super::scenario_likelihood(case, &assessment.scenario, *c),
        );
    }
}

/// Why an echo carries no weight, naming what it restates: the claims counted instead, and
/// those a what-if sets aside with their line of evidence, which take the echo with them.
/// Through a restatement saying something else, the claims that one restates: the echo's
/// originals ([`Case::originals_in`]) that are present or set aside with their line. `why` is
/// [`Weightless::EchoOfOther`] when none of them states what the echo states (W108).
fn echo_reason(
    case: &Case,
    assessment: &Assessment,
    index: Option<&Originals>,
    c: ClaimId,
    why: Weightless,
) -> String {
    let statement = case.claim(c).statement;
    // Counted "instead" only where what an original states is what the echo states (or it is
    // followed up): otherwise nothing is counted for this hypothesis in its place (W108).
    let (mut same, mut other, mut aside) = (Vec::new(), Vec::new(), Vec::new());
    for &o in case.originals_in(index, c).iter() {
        let w = assessment.claim(o);
        if !w.echoed(false) {
            continue;
        }
        let id = case.claim(o).id.as_str();
        if w.line_aside {
            aside.push(id);
        } else if statement.restates(case.claim(o).statement, &case.entities) {
            same.push(id);
        } else {
            other.push(id);
        }
    }
    // By id, so that the order of the file does not show.
    for ids in [&mut same, &mut other, &mut aside] {
        ids.sort_unstable_by(|a, b| crate::ids::cmp(a, b));
    }
    // `check` warns of an echo none of whose originals states what it states.
    let counted_part = counted_words(&same, &other, why == Weightless::EchoOfOther);
    let counted = [same, other].concat();
    // An echo whose originals all go with their lines goes with them; one that also restates
    // a claim counted is set aside as its echo.
    let (its, line, it) = if aside.len() == 1 {
        ("its", "line", "it")
    } else {
        ("their", "lines", "them")
    };
    let aside_part = match (aside.is_empty(), counted.is_empty()) {
        (true, _) => String::new(),
        (false, true) => format!(
            "it restates {}, set aside with {its} {line} of evidence, and this restatement with \
             {it}",
            aside.join(", ")
        ),
        (false, false) => format!(
            "and {}, set aside with {its} {line} of evidence",
            aside.join(", ")
        ),
    };
    match (counted_part.is_empty(), aside_part.is_empty()) {
        (false, false) => format!("{counted_part}; {aside_part}"),
        (true, false) => aside_part,
        _ => counted_part,
    }
}

/// The part of an echo's reason about the originals it restates that are counted: those
/// stating what it states (`same`), counted instead of it, and those saying something else
/// (`other`); `warned` when none of its originals states it (W108).
fn counted_words(same: &[&str], other: &[&str], warned: bool) -> String {
    let says = |n: usize| if n == 1 { "says" } else { "say" };
    match (same.is_empty(), other.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!(
            "it restates claims present in the case, counted instead ({})",
            same.join(", ")
        ),
        (false, false) => format!(
            "it restates claims present in the case, counted instead ({}), and {}, which {} \
             something else",
            same.join(", "),
            other.join(", "),
            says(other.len())
        ),
        (true, false) => format!(
            "it restates {} present in the case that {} something else ({}): a restatement is \
             set aside while what it restates stands, so what it says of its own is not counted \
             (model §6{})",
            if other.len() == 1 {
                "a claim"
            } else {
                "claims"
            },
            says(other.len()),
            other.join(", "),
            if warned {
                "; `check` warns of it, W108"
            } else {
                ""
            }
        ),
    }
}

/// The sensitivity table: the judgement without each claim and source behind it and each line
/// of evidence two or more of those sources share (or one, whose claims others restate), and
/// whether any one of them is pivotal.
fn sensitivity(out: &mut String, case: &Case, j: &Judgement, width: Option<usize>) {
    use super::table::{Column, table};
    let sensitivity = j.sensitivity.as_deref().unwrap_or(&[]);
    let _ = writeln!(
        out,
        "\nSensitivity (the judgement without each claim and source behind it, and each line of \
         evidence two or more of them share, or whose claims others restate):"
    );
    if sensitivity.is_empty() {
        let _ = writeln!(out, "  (no claim or source is behind this hypothesis)");
        return;
    }
    let rows: Vec<Vec<String>> = sensitivity
        .iter()
        .map(|s| {
            vec![
                removal_label(case, s.item),
                // Never a band edge P is below: 0.0498 is not "0.050 almost no chance".
                super::probability_digits(s.p, 3),
                super::change_figure(s.delta, 3),
                s.term
                    .map_or("insufficient evidence", |t| t.word())
                    .to_string(),
                s.confidence.word().to_string(),
                if s.pivotal { "yes" } else { "no" }.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &[
            Column::wrapping("Set aside"),
            Column::whole("P without"),
            Column::whole("ΔP"),
            Column::wrapping("Likelihood without"),
            Column::whole("Confidence"),
            Column::whole("Pivotal"),
        ],
        &rows,
        width,
    );
    if sensitivity.iter().any(|s| s.pivotal) {
        let _ = writeln!(
            out,
            "\nPivotal items change the likelihood term or the confidence level on their own."
        );
        // A weak item that tips P over a band edge nearby is no item the judgement hinges on.
        let pivotal: Vec<_> = sensitivity.iter().filter(|s| s.pivotal).collect();
        if let Some((note, _)) = super::edge_note(case, j, &pivotal, true, &BTreeMap::new()) {
            let _ = writeln!(out, "{}", text(&note));
        }
    } else {
        let _ = writeln!(
            out,
            "\nNo claim, source or line of evidence set aside on its own changes the likelihood \
             term or the confidence level."
        );
    }
}

/// Which contributions a subtree shows: all of them at the root, only support below a chain
/// or a competitor, only opposition below an inheritance. Support only ever flows up and
/// opposition only down, so no subtree can lead back to itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Both,
    For,
    Against,
}

impl Side {
    /// Whether contribution `c` is shown on this side of its actor.
    fn shows(self, c: &Contribution) -> bool {
        let evidence = match self {
            Side::Both => true,
            Side::For => c.r > 0.0,
            Side::Against => c.s > 0.0,
        };
        evidence && (!matches!(c.origin, Origin::Direct(_)) || c.r > 0.0 || c.s > 0.0)
    }

    /// The evidence contribution `c` brings on this side of its actor.
    fn evidence(self, c: &Contribution) -> f64 {
        match self {
            Side::Both => c.r + c.s,
            Side::For => c.r,
            Side::Against => c.s,
        }
    }

    /// The subtree contribution `c` leads on to, if any: a part's support up a link, a
    /// whole's opposition down one, a competitor's support.
    fn next(c: &Contribution) -> Option<(EntityId, Side)> {
        match c.origin {
            Origin::Chain { from, .. } => Some((from, Side::For)),
            Origin::Inherited { from, .. } => Some((from, Side::Against)),
            Origin::Competing { from } => Some((from, Side::For)),
            Origin::Direct(_) | Origin::SameAs { .. } => None,
        }
    }
}

/// A subtree of the derivation: an actor and the side of it shown.
type Node = (EntityId, Side);

/// Where each subtree is shown in full, as the contribution (its actor's subtree and its index
/// there) it is reached through: on the strongest way from the hypothesis judged, the way
/// whose weakest step brings the most evidence (ties to the way found first, by the fewest
/// steps). A subtree reached several ways is shown there, where the line of evidence that
/// sets its weight runs, and referred to from the others: shown at the first way met, a claim
/// stood under a weak claimed link while the declared `part_of` that carried its weight said
/// "shown above". Ways longer than [`MAX_DEPTH`] are not taken, and one as long as it only
/// where no shorter way reaches the subtree.
fn homes(result: &Derivation, actor: EntityId) -> BTreeMap<Node, (Node, usize)> {
    use std::cmp::Ordering;
    /// A way to a subtree, ordered so that the heap gives the strongest, then the shortest,
    /// then the first found.
    struct Way {
        strength: f64,
        depth: usize,
        order: usize,
        node: Node,
        via: Option<(Node, usize)>,
    }
    impl Ord for Way {
        fn cmp(&self, other: &Way) -> Ordering {
            // A way as deep as the cap shows the subtree's own claims but cuts what is
            // under them: any shorter way is taken first.
            ((self.depth < MAX_DEPTH).cmp(&(other.depth < MAX_DEPTH)))
                .then(self.strength.total_cmp(&other.strength))
                .then(other.depth.cmp(&self.depth))
                .then(other.order.cmp(&self.order))
        }
    }
    impl PartialOrd for Way {
        fn partial_cmp(&self, other: &Way) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl PartialEq for Way {
        fn eq(&self, other: &Way) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Way {}

    let mut homes = BTreeMap::new();
    let mut done = BTreeSet::new();
    let mut heap = std::collections::BinaryHeap::new();
    let mut order = 0;
    heap.push(Way {
        strength: f64::INFINITY,
        depth: 0,
        order,
        node: (actor, Side::Both),
        via: None,
    });
    while let Some(way) = heap.pop() {
        if !done.insert(way.node) {
            continue;
        }
        if let Some(via) = way.via {
            homes.insert(way.node, via);
        }
        if way.depth >= MAX_DEPTH {
            continue;
        }
        let Some(f) = result.fused.get(&way.node.0) else {
            continue;
        };
        let side = way.node.1;
        for (i, c) in f.contributions.iter().enumerate() {
            let Some(next) = Side::next(c).filter(|_| side.shows(c)) else {
                continue;
            };
            if done.contains(&next) {
                continue;
            }
            order += 1;
            heap.push(Way {
                strength: way.strength.min(side.evidence(c)),
                depth: way.depth + 1,
                order,
                node: next,
                via: Some((way.node, i)),
            });
        }
    }
    homes
}

/// The derivation tree of one incident's judgement, written into `out`: one line per
/// contribution, one method per kind of origin, chains and competitors as subtrees.
struct Tree<'a> {
    case: &'a Case,
    assessment: &'a Assessment,
    result: &'a Derivation,
    out: &'a mut String,
    /// Where each subtree is shown in full ([`homes`]).
    homes: BTreeMap<Node, (Node, usize)>,
    /// The hypothesis judged, at the root of the tree.
    judged: EntityId,
    /// The subtrees already shown, each shown once.
    seen: BTreeSet<Node>,
}

/// Where a contribution's line stands in the tree.
struct At<'p> {
    /// The indentation of the line, its branch (`├─ ` or `└─ `), and of the lines under it.
    indent: &'p str,
    branch: &'static str,
    child: String,
    /// The actors from the one judged down to this one.
    path: &'p [EntityId],
    depth: usize,
    /// The contribution's families, listed.
    families: String,
    /// The contribution: its actor's subtree and its index there.
    via: (Node, usize),
}

impl Tree<'_> {
    /// The contributions on `actor` that `side` shows, each a line and, for a chain or a
    /// competitor, a subtree; a subtree shown elsewhere ([`homes`]), or too deep, is referred
    /// to.
    fn node(&mut self, (actor, side): Node, path: &[EntityId], indent: &str, depth: usize) {
        let (case, result) = (self.case, self.result);
        let Some(f) = result.fused.get(&actor) else {
            return;
        };
        let shown: Vec<_> = (f.contributions.iter().enumerate())
            .filter(|(_, c)| side.shows(c))
            .collect();
        let n = shown.len();
        for (k, (i, c)) in shown.into_iter().enumerate() {
            let (branch, cont) = if k + 1 == n {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            let at = At {
                indent,
                branch,
                child: format!("{indent}{cont}"),
                path,
                depth,
                families: family_list(case, &c.shares),
                via: ((actor, side), i),
            };
            match c.origin {
                Origin::Direct(id) => self.direct(c, id, actor, &at),
                Origin::SameAs { from, pair } => self.same_as(c, from, pair, &at),
                Origin::Chain { from, link } | Origin::Inherited { from, link } => {
                    self.link(c, from, link, actor, &at)
                }
                Origin::Competing { from } => self.competing(c, from, &at),
            }
        }
    }

    /// The subtree `next`, reached through the contribution at `at`: shown in full where it
    /// is at home ([`homes`]; one with no home, at the first way it is met), referred to
    /// elsewhere.
    fn subtree(&mut self, next: Node, path: &[EntityId], at: &At<'_>) {
        let (indent, depth) = (at.child.as_str(), at.depth + 1);
        let name = &self.case.entity(next.0).id;
        let home = self.homes.get(&next).copied();
        if self.seen.contains(&next) || home.is_some_and(|h| h != at.via) {
            let place = if self.seen.contains(&next) {
                "above"
            } else {
                "below"
            };
            // Named by the actor it hangs under, unless that is the hypothesis judged.
            let under = home
                .map(|((under, _), _)| under)
                .filter(|&u| u != self.judged);
            let _ = match under {
                Some(u) => writeln!(
                    self.out,
                    "{indent}└─ (derivation of {name} shown {place}, under {})",
                    self.case.entity(u).id
                ),
                None => writeln!(self.out, "{indent}└─ (derivation of {name} shown {place})"),
            };
            return;
        }
        // Past the depth cap, a subtree shown nowhere else is cut off: the sensitivity table
        // after the tree still lists every claim beneath it.
        if depth > MAX_DEPTH {
            let _ = writeln!(
                self.out,
                "{indent}└─ (derivation of {name} not shown: deeper than {MAX_DEPTH} links; the \
                 sensitivity table below lists every claim behind the judgement)",
            );
            return;
        }
        self.seen.insert(next);
        self.node(next, path, indent, depth);
    }

    /// A claim on `actor`: who made it, how it was stated and weighed, and the path its
    /// evidence took.
    fn direct(&mut self, c: &Contribution, id: ClaimId, actor: EntityId, at: &At<'_>) {
        let (case, assessment, result) = (self.case, self.assessment, self.result);
        let At {
            indent,
            branch,
            child,
            families,
            ..
        } = at;
        let claim = case.claim(id);
        let source = case.source(claim.source);
        let weight = assessment.claim(id);
        let reliability = weight.reliability;
        let incident = &case.incident(result.incident).id;
        let (subject, object) = if claim.relation == Relation::ClaimsResponsibility {
            (&case.entity(actor).id, incident)
        } else {
            (incident, &case.entity(actor).id)
        };
        let line_word = if claim.derived_from.is_empty() {
            "line"
        } else {
            "standing in for"
        };
        let out = &mut *self.out;
        let _ = writeln!(
            out,
            "{indent}{branch}claim {} by {} [{}, {line_word} {}]: {subject} {} {object}",
            claim.id,
            text(&source.name),
            reliability.label(),
            families,
            claim.relation.phrase(),
        );
        // Whole: an audit quotes the source's words as they are, and a terminal's width
        // wraps them under the claim's branch.
        if let Some(w) = claim.wording.as_deref().filter(|w| super::is_summary(w)) {
            let _ = writeln!(out, "{child}summary: {}", text(w.trim()));
        } else if let Some(w) = &claim.wording {
            let _ = writeln!(out, "{child}wording: \"{}\"", text(w));
        }
        let scenario = &assessment.scenario;
        let stated = super::scenario_likelihood(case, scenario, id);
        let confidence = scenario.confidence(id, claim);
        let conf = match (scenario.confidences.contains_key(&id), confidence) {
            (true, Some(c)) => format!("{} (restated)", c.word()),
            (_, Some(c)) => c.word().to_string(),
            (_, None) => "unstated (moderate)".to_string(),
        };
        let p = scenario.probability(id, claim).unwrap_or(0.5);
        let own = weight.stated;
        let _ = writeln!(
            out,
            "{child}stated: {stated}, confidence {conf} → p {p:.3} → claim opinion {own}"
        );
        if let Some(note) = spread_note(p, confidence) {
            let _ = writeln!(out, "{child}{note}");
        }
        let _ = writeln!(
            out,
            "{child}discounted by trust P {:.3} → {}  (r {:.3}, s {:.3})",
            weight.trust.projected(),
            c.opinion(&assessment.claims),
            c.r,
            c.s
        );
        let _ = writeln!(out, "{child}path: {}", path_text(case, result, at.path));
    }

    /// Support across a "possibly same as" pair, with the alias's own supporting claims
    /// (only those cross a pair: listed, no deeper).
    fn same_as(&mut self, c: &Contribution, from: EntityId, pair: usize, at: &At<'_>) {
        let (case, assessment, result) = (self.case, self.assessment, self.result);
        let At {
            indent,
            branch,
            child,
            families,
            ..
        } = at;
        let _ = writeln!(
            self.out,
            "{indent}{branch}possibly same as {} (claims {}) [lines {families}]: {}  (r {:.3}, s {:.3})",
            case.entity(from).id,
            claim_ids(case, &assessment.pairs[pair].claims),
            WithoutBaseRate(&c.opinion(&assessment.claims)),
            c.r,
            c.s
        );
        if let Some(g) = result.fused.get(&from) {
            let direct: Vec<&str> = g
                .contributions
                .iter()
                .filter_map(|d| match d.origin {
                    Origin::Direct(id) if d.r > 0.0 => Some(case.claim(id).id.as_str()),
                    _ => None,
                })
                .collect();
            let _ = writeln!(
                self.out,
                "{child}└─ from {}'s direct claims {}",
                case.entity(from).id,
                direct.join(", ")
            );
        }
    }

    /// Support up a link from a part, or opposition down one from a whole, and the subtree
    /// of where it came from.
    fn link(
        &mut self,
        c: &Contribution,
        from: EntityId,
        link: usize,
        actor: EntityId,
        at: &At<'_>,
    ) {
        let case = self.case;
        let down = matches!(c.origin, Origin::Inherited { .. });
        let (step, sub) = if down {
            (
                format!(
                    "inherited from {} ({})",
                    case.entity(from).id,
                    self.how_link(link)
                ),
                Side::Against,
            )
        } else {
            (
                format!(
                    "via {} → {} ({})",
                    case.entity(from).id,
                    case.entity(actor).id,
                    self.how_link(link)
                ),
                Side::For,
            )
        };
        let At {
            indent,
            branch,
            families,
            ..
        } = at;
        let _ = writeln!(
            self.out,
            "{indent}{branch}{step} [lines {families}]: {}  (r {:.3}, s {:.3})",
            WithoutBaseRate(&c.opinion(&self.assessment.claims)),
            c.r,
            c.s
        );
        let mut p = vec![from];
        p.extend_from_slice(at.path);
        self.subtree((from, sub), &p, at);
    }

    /// Opposition from a competing, mutually exclusive hypothesis, and the subtree of its
    /// support.
    fn competing(&mut self, c: &Contribution, from: EntityId, at: &At<'_>) {
        let At {
            indent,
            branch,
            families,
            ..
        } = at;
        let _ = writeln!(
            self.out,
            "{indent}{branch}competing hypothesis {} (mutually exclusive) [lines {families}]: {}  (r {:.3}, s {:.3})",
            text(&super::entity_label(self.case, from)),
            WithoutBaseRate(&c.opinion(&self.assessment.claims)),
            c.r,
            c.s
        );
        self.subtree((from, Side::For), &[from], at);
    }

    /// How a link holds: declared, or by which claims.
    fn how_link(&self, link: usize) -> String {
        let l = &self.assessment.links[link];
        if l.structural {
            "declared part_of, certain".to_string()
        } else {
            format!("link claims {}", claim_ids(self.case, &l.claims))
        }
    }
}

/// A stated confidence that the term's own spread overrides (model §2): "very likely" is u 0.25
/// whether the source's confidence was high or moderate, which a reader of "confidence high"
/// would not guess. `None` when the confidence sets u, or allows exactly the spread ("very
/// likely" with moderate confidence: both 0.25, nothing is overridden); with none stated,
/// [`unstated_note`].
fn spread_note(p: f64, confidence: Option<crate::terms::Confidence>) -> Option<String> {
    let spread = crate::terms::term_spread(p);
    let Some(c) = confidence else {
        return unstated_note(spread);
    };
    if spread <= c.min_uncertainty() + 1e-9 || p == 0.5 {
        return None;
    }
    Some(format!(
        "(u is the term's own spread, {spread:.3}: {} confidence would allow as little as {:.2})",
        c.word(),
        c.min_uncertainty()
    ))
}

/// An unstated confidence, read as moderate, that holds a strong term back (model §2):
/// "almost certain" with no confidence weighs as "very likely" does, which the source's word
/// does not show. `None` when the term's own spread sets u anyway.
fn unstated_note(spread: f64) -> Option<String> {
    let moderate = crate::terms::Confidence::Moderate.min_uncertainty();
    (spread < moderate).then(|| {
        format!(
            "(no confidence stated, so read as moderate: u is at least {moderate:.2}, where the \
             term alone would give {spread:.3}; write `confidence: High` if the source stated \
             high confidence)"
        )
    })
}

fn claim_ids(case: &Case, claims: &[crate::model::ClaimId]) -> String {
    claims
        .iter()
        .map(|c| case.claim(*c).id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "marlin-outage → unit-4471 → rds": the incident, then for support, which flows up from the
/// claim, the actors from the one it names up to this one; for opposition, which flows down,
/// from the one it names down to this one. A direct claim either way reads "marlin-outage →
/// rds".
fn path_text(case: &Case, result: &Derivation, path: &[EntityId]) -> String {
    let incident = case.incident(result.incident).id.as_str();
    let ids: Vec<&str> = std::iter::once(incident)
        .chain(path.iter().map(|e| case.entity(*e).id.as_str()))
        .collect();
    super::path_words(ids.into_iter())
}

fn family_list(case: &Case, tags: &[Share]) -> String {
    tags.iter()
        .map(|t| case.family(t.family))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A base rate to two decimals (`0.50`), or as the case or `--prior` gives it when that holds
/// more (`0.3497`): rounded, the sum beside it would not add up.
fn prior_figure(prior: f64) -> String {
    let two = format!("{prior:.2}");
    if two.parse::<f64>() == Ok(prior) {
        two
    } else {
        format!("{prior}")
    }
}

#[cfg(test)]
mod tests {
    use super::{prior_figure, spread_note};

    /// The base rate in the sum of P is the one used, never rounded out of adding up.
    #[test]
    fn a_prior_is_written_as_given_when_two_decimals_would_round_it() {
        assert_eq!(prior_figure(0.5), "0.50");
        assert_eq!(prior_figure(0.25), "0.25");
        assert_eq!(prior_figure(0.3497), "0.3497");
        assert_eq!(prior_figure(0.125), "0.125");
    }
    use crate::terms::Confidence;

    /// Model §2: u = max(2·min(p, 1 − p), u_c). The note is given where the term sets u.
    #[test]
    fn the_spread_note_is_given_where_the_term_sets_u() {
        // "very likely" (0.875): u 0.25 from the term, above high's 0.10.
        let note = spread_note(0.875, Some(Confidence::High)).unwrap();
        assert!(
            note.contains("0.250: high confidence would allow as little as 0.10"),
            "{note}"
        );
        // "almost certain" (0.97): the term's 0.06 is below high's 0.10, which sets u.
        assert_eq!(spread_note(0.97, Some(Confidence::High)), None);
        // "very likely" with moderate confidence: both allow 0.25, nothing is overridden.
        assert_eq!(spread_note(0.875, Some(Confidence::Moderate)), None);
        // Unstated, read as moderate: "almost certain" is held back to u 0.25, "very likely"
        // (u 0.25 of its own) is not; even chance is vacuous whatever the confidence.
        let note = spread_note(0.97, None).unwrap();
        assert!(
            note.contains("u is at least 0.25, where the term alone would give 0.060"),
            "{note}"
        );
        assert_eq!(spread_note(0.875, None), None);
        assert_eq!(spread_note(0.5, Some(Confidence::Low)), None);
    }
}
