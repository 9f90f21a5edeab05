//! Renderers for judgements: a terminal table, report-ready Markdown, JSON, and the audit tree
//! of `explain`.
//!
//! Every renderer reads `(&Case, &Assessment)` and nothing else, and writes into a
//! `&mut dyn io::Write` an incident at a time, so that the output of a large case never sits
//! in memory whole; the CLI hands it a buffered standard output or the temporary file of an
//! atomic write. The text helpers every output shares (labels, plurals, the stated likelihood,
//! the what-if lines) live here.

pub mod ach;
pub mod diff;
pub mod explain;
pub mod fit;
pub mod html;
pub mod json;
pub mod markdown;
mod number;
pub mod table;
pub mod timeline;

use crate::assess::{Assessment, Bearing, Derivation, Origin, Removal, Scenario};
use crate::assess::{Judgement, Sensitivity, Weightless, trace};
use crate::model::{Case, Claim, ClaimId, EntityId, FamilyId, IncidentId, SourceId, Statement};
use crate::terms::{IcdTerm, at_or_above};
use std::collections::{BTreeMap, HashMap};

/// "Government of Iran (iran)".
pub fn entity_label(case: &Case, id: EntityId) -> String {
    let mut label = String::new();
    write_entity_label(&mut label, case, id);
    label
}

/// [`entity_label`] written into `out`.
pub(crate) fn write_entity_label(out: &mut String, case: &Case, id: EntityId) {
    let e = case.entity(id);
    if e.name == e.id {
        out.push_str(&e.id);
    } else {
        out.push_str(&e.name);
        out.push_str(" (");
        out.push_str(&e.id);
        out.push(')');
    }
}

/// "Cyberattack on Albania's government systems (albania-2022)".
pub fn incident_label(case: &Case, id: IncidentId) -> String {
    let i = case.incident(id);
    format!("{} ({})", i.name, i.id)
}

/// What a report says of an incident under its name, unescaped, one part each: when it
/// happened, whom it struck, and the other names it goes by (a reader who knows the attack as
/// NotPetya looks for that name, not the case's).
pub(crate) fn incident_facts(incident: &crate::model::Incident) -> Vec<String> {
    let mut facts = Vec::new();
    match (incident.start, incident.end) {
        (Some(s), Some(e)) => facts.push(format!("{s} – {e}")),
        (Some(s), None) => facts.push(s.to_string()),
        (None, Some(e)) => facts.push(format!("until {e}")),
        (None, None) => {}
    }
    if let Some(v) = &incident.victim {
        facts.push(format!("victim: {v}"));
    }
    if !incident.aliases.is_empty() {
        facts.push(format!("also known as {}", incident.aliases.join(", ")));
    }
    facts
}

/// "Also known as SeedWorm, TEMP.Zagros.", unescaped, under a hypothesis's heading (an
/// ATT&CK group has a dozen aliases: in the heading they would bury its name); `None` without
/// aliases.
pub(crate) fn entity_aliases_sentence(case: &Case, id: EntityId) -> Option<String> {
    let aliases = &case.entity(id).aliases;
    if aliases.len() > ALIASES_SHOWN {
        let more = aliases.len() - ALIASES_SHOWN;
        return Some(format!(
            "Also known as {} and {more} more {} the case lists.",
            aliases[..ALIASES_SHOWN].join(", "),
            if more == 1 { "name" } else { "names" }
        ));
    }
    (!aliases.is_empty()).then(|| format!("Also known as {}.", aliases.join(", ")))
}

/// The most aliases a judgement names: every one the most-named groups carry (APT28 has about
/// twenty), and a bound on what each judgement repeats, since an actor with thousands of
/// aliases, each naming it in an incident of its own, made the reports grow with the square.
const ALIASES_SHOWN: usize = 32;

/// "very likely (80–95 %)".
pub fn term_with_band(term: Option<IcdTerm>) -> String {
    band_of(term).to_string()
}

/// [`term_with_band`], worded once per term (every row of a large table has one).
pub(crate) fn band_of(term: Option<IcdTerm>) -> &'static str {
    static WORDED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let Some(t) = term else {
        return "insufficient evidence";
    };
    let worded = WORDED.get_or_init(|| {
        IcdTerm::ALL
            .iter()
            .map(|t| {
                let (lo, hi) = t.band();
                format!("{} ({:.0}–{:.0} %)", t.word(), lo * 100.0, hi * 100.0)
            })
            .collect()
    });
    let k = IcdTerm::ALL.iter().position(|x| *x == t).unwrap_or(0);
    &worded[k]
}

/// The likelihood as the source stated it, e.g. `Icd("very likely")`.
pub fn stated_likelihood(claim: &Claim) -> String {
    match &claim.likelihood {
        None => "none stated".to_string(),
        Some((l, _)) => l.label(),
    }
}

/// The likelihood and, when the source stated one, the confidence, as stated:
/// `ICD 203 "very likely", confidence high`. The confidence sets how uncertain the claim's
/// opinion is (model §2), so a table of what a judgement rests on shows it beside the word.
/// Only beside a likelihood that is read: a condemnation's is not (W118), and a confidence
/// without a likelihood qualifies nothing.
pub fn stated_with_confidence(claim: &Claim) -> String {
    let read = claim.likelihood.is_some() && !matches!(claim.statement, Statement::Condemns { .. });
    match claim.confidence {
        Some(c) if read => format!("{}, confidence {}", stated_likelihood(claim), c.word()),
        _ => stated_likelihood(claim),
    }
}

/// The likelihood a claim is read at under a scenario: restated (and marked so), or as stated.
pub fn scenario_likelihood(case: &Case, s: &Scenario, id: ClaimId) -> String {
    match s.restated.get(&id) {
        Some((l, _)) => format!("{} (restated)", l.label()),
        None => stated_likelihood(case.claim(id)),
    }
}

/// What the claims a hypothesis's evidence crosses are: "links", "pairs" (possibly the same
/// as), or "links and pairs".
pub fn via_word(case: &Case, via: &[ClaimId]) -> &'static str {
    let pair = |c: &ClaimId| matches!(case.claim(*c).statement, Statement::SameAs { .. });
    match (via.iter().any(pair), via.iter().all(pair)) {
        (true, true) => "pairs",
        (true, false) => "links and pairs",
        _ => "links",
    }
}

/// "d7 (US National Security Council)".
pub fn claim_label(case: &Case, id: ClaimId) -> String {
    let c = case.claim(id);
    format!("{} ({})", c.id, case.source(c.source).name)
}

/// The claims that name a hypothesis directly, by side ("for it, c4 (…); against it, c8 (…)"):
/// those that carry its lines for (and the link and pair claims they cross to it), those
/// against it, and those that carry no weight, each
/// written by `cited` (its label, escaped for the report's syntax, and its citation); `None`
/// when there are none. What a report cites for a hypothesis it cannot judge, so that a denial
/// is not left out because the evidence is insufficient.
pub(crate) fn naming_sentence(
    j: &Judgement,
    mut cited: impl FnMut(ClaimId) -> String,
) -> Option<String> {
    let weightless: Vec<ClaimId> = j.weightless.iter().map(|(c, _)| *c).collect();
    let sides: Vec<String> = [
        ("for it, ", &j.carriers),
        // The links and "possibly same as" pairs a claim for it crosses to reach it.
        ("carried to it through ", &j.carried_via),
        ("against it, ", &j.opposing),
        ("carrying no weight, ", &weightless),
    ]
    .into_iter()
    .filter(|(_, claims)| !claims.is_empty())
    .map(|(side, claims)| {
        let claims: Vec<String> = claims.iter().map(|&c| cited(c)).collect();
        format!("{side}{}", claims.join(", "))
    })
    .collect();
    (!sides.is_empty()).then(|| sides.join("; "))
}

/// Whether a quotation ends its sentence (a full stop, `!`, `?` or an ellipsis), so that a
/// citation does not add a second full stop after it.
pub(crate) fn ends_sentence(wording: &str) -> bool {
    wording.trim_end().ends_with(['.', '!', '?', '…'])
}

/// What ends a citation after a summary: nothing when the summary's last sentence ends inside
/// its brackets (`[… was behind the attack.]`), a full stop otherwise.
pub(crate) fn after_summary(summary: &str) -> &'static str {
    let inner = summary.trim();
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    if ends_sentence(inner) { "" } else { "." }
}

/// How a citation ends after the claim's id: ": " and its wording, a summary as written and the
/// source's own words between `open` and `close`, then the full stop that ends the citation's
/// sentence unless the wording already ended it; a bare full stop when there is no wording.
/// `escape` is the output syntax's escaper (Markdown, HTML).
pub(crate) fn cited_wording(
    wording: Option<&str>,
    escape: impl Fn(&str) -> String,
    open: &str,
    close: &str,
) -> String {
    match wording {
        Some(w) if is_summary(w) => format!(": {}{}", escape(w.trim()), after_summary(w)),
        Some(w) if ends_sentence(w) => format!(": {open}{}{close}", escape(w.trim_end())),
        Some(w) => format!(": {open}{}{close}.", escape(w)),
        None => ".".to_string(),
    }
}

/// Whether a claim's wording is the analyst's summary rather than the source's words: the file
/// format marks a summary by writing it whole in square brackets (`[condemns the attack
/// without naming anyone]`). Reports show a summary as it is, brackets and all, and quote only
/// the source's own words.
pub(crate) fn is_summary(wording: &str) -> bool {
    let w = wording.trim();
    w.len() >= 2 && w.starts_with('[') && w.ends_with(']')
}

/// "claim d7" / "source nsc".
pub fn removal_label(case: &Case, item: Removal) -> String {
    match item {
        Removal::Claim(c) => format!("claim {}", case.claim(c).id),
        Removal::Source(s) => format!("source {}", case.source(s).id),
        Removal::Family(f) => format!("line of evidence {}", case.family(f)),
    }
}

/// The source listed as claim `c` in `same` ([`same_as_its_claim`]), if any.
fn source_standing_for(same: &BTreeMap<SourceId, ClaimId>, c: ClaimId) -> Option<SourceId> {
    same.iter().find(|(_, k)| **k == c).map(|(&src, _)| src)
}

/// The sources among a judgement's sensitivity rows whose row is that of their one claim
/// among the rows (the same P, likelihood term and confidence), with that claim: setting
/// the source aside is setting the claim aside, and a list of pivotal items names the two as
/// one.
pub fn same_as_its_claim(case: &Case, rows: &[Sensitivity]) -> BTreeMap<SourceId, ClaimId> {
    let mut claims_of: BTreeMap<SourceId, Vec<&Sensitivity>> = BTreeMap::new();
    for row in rows {
        if let Removal::Claim(c) = row.item {
            claims_of.entry(case.claim(c).source).or_default().push(row);
        }
    }
    rows.iter()
        .filter_map(|row| match row.item {
            Removal::Source(src) => match claims_of.get(&src).map(Vec::as_slice) {
                Some([one])
                    if one.p == row.p
                        && one.term == row.term
                        && one.confidence == row.confidence =>
                {
                    match one.item {
                        Removal::Claim(c) => Some((src, c)),
                        Removal::Source(_) | Removal::Family(_) => None,
                    }
                }
                _ => None,
            },
            Removal::Claim(_) | Removal::Family(_) => None,
        })
        .collect()
}

/// "without line of evidence us-gov (sources …)" for each line the scenario sets aside, by name.
fn lines_set_aside(case: &Case, s: &Scenario) -> Vec<String> {
    let mut lines: Vec<(&str, Vec<&str>)> = s
        .without_families
        .iter()
        .map(|&f| {
            let mut sources: Vec<&str> = case
                .family_sources(f)
                .map(|src| case.source(src).id.as_str())
                .collect();
            sources.sort_unstable_by(|a, b| crate::ids::cmp(a, b));
            (case.family(f), sources)
        })
        .collect();
    lines.sort_unstable_by(|a, b| crate::ids::cmp(a.0, b.0));
    lines
        .into_iter()
        .map(|(name, sources)| {
            // What restates the line's claims is set aside with them (an echo of them, not
            // a stand-in); a restatement carrying another line's claim is not (§6 rule 1).
            let (what, whose) = if sources.len() == 1 {
                ("source", "its")
            } else {
                ("sources", "their")
            };
            format!(
                "without line of evidence {name} ({what} {}; nothing stands in for {whose} claims)",
                sources.join(", ")
            )
        })
        .collect()
}

/// Human description of the what-if scenario in force, one line per change.
pub fn scenario_lines(case: &Case, s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    // By id, so that the order of the file does not show.
    let mut claims: Vec<&str> = s
        .without_claims
        .iter()
        .map(|c| case.claim(*c).id.as_str())
        .collect();
    claims.sort_unstable_by(|a, b| crate::ids::cmp(a, b));
    out.extend(claims.into_iter().map(|c| format!("without claim {c}")));
    let mut sources: Vec<&str> = s
        .without_sources
        .iter()
        .map(|c| case.source(*c).id.as_str())
        .collect();
    sources.sort_unstable_by(|a, b| crate::ids::cmp(a, b));
    out.extend(sources.into_iter().map(|c| format!("without source {c}")));
    out.extend(lines_set_aside(case, s));
    out.extend(regrades(case, s));
    let mut restated: Vec<(&str, String)> = s
        .restated
        .iter()
        .map(|(c, (l, p))| {
            let read = p.map_or_else(|| "no likelihood".to_string(), |p| format!("p {p}"));
            (
                case.claim(*c).id.as_str(),
                format!("{}, read as {read}", l.label()),
            )
        })
        .collect();
    restated.sort();
    out.extend(
        restated
            .into_iter()
            .map(|(c, l)| format!("claim {c} restated as {l}")),
    );
    let mut confidences: Vec<(&str, &str)> = s
        .confidences
        .iter()
        .map(|(c, k)| (case.claim(*c).id.as_str(), k.word()))
        .collect();
    confidences.sort();
    out.extend(
        confidences
            .into_iter()
            .map(|(c, k)| format!("claim {c} at {k} confidence")),
    );
    if let Some(d) = s.as_of {
        out.push(format!("only claims made by {d}"));
        // A line of its own, so that two versions of a case under one --as-of share the line
        // above (`attrib diff`) and differ only in this one.
        out.extend(undated(case));
    }
    if let Some(p) = s.prior {
        out.push(format!("prior {p}"));
    }
    out
}

/// The sources re-graded, in words, by id: a line of evidence of two or more sources, every
/// one re-graded and more than half of them alike, is one line at that grade naming its
/// sources there, and each of its sources graded otherwise follows it (`--grade us-gov=C
/// --grade nsc=A`); every other source is a line of its own.
fn regrades(case: &Case, s: &Scenario) -> Vec<String> {
    let mut by_family: BTreeMap<FamilyId, Vec<(&str, String)>> = BTreeMap::new();
    for (&src, g) in &s.grades {
        let source = case.source(src);
        (by_family.entry(source.family).or_default()).push((source.id.as_str(), g.label()));
    }
    let source_line = |id: &str, grade: &str| format!("source {id} re-graded {grade}");
    // Each entry by the id it is listed under (the line's name, or the source's).
    let mut entries: Vec<(&str, Vec<String>)> = Vec::new();
    for (family, mut graded) in by_family {
        graded.sort_unstable_by(|a, b| crate::ids::cmp(a.0, b.0));
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, g) in &graded {
            *counts.entry(g.as_str()).or_default() += 1;
        }
        let most = (counts.iter()).fold(
            ("", 0),
            |best, (&g, &n)| {
                if n > best.1 { (g, n) } else { best }
            },
        );
        let whole = graded.len() >= 2
            && graded.len() == case.family_sources(family).count()
            && 2 * most.1 > graded.len();
        if !whole {
            entries.extend((graded.iter()).map(|(id, g)| (*id, vec![source_line(id, g)])));
            continue;
        }
        let at_line: Vec<&str> = (graded.iter())
            .filter(|(_, g)| g == most.0)
            .map(|(id, _)| *id)
            .collect();
        let name = case.family(family);
        let mut texts = vec![format!(
            "line of evidence {name} re-graded {} (sources {})",
            most.0,
            at_line.join(", ")
        )];
        texts.extend(
            (graded.iter())
                .filter(|(_, g)| g != most.0)
                .map(|(id, g)| source_line(id, g)),
        );
        entries.push((name, texts));
    }
    entries.sort_by(|a, b| crate::ids::cmp(a.0, b.0));
    entries.into_iter().flat_map(|(_, texts)| texts).collect()
}

/// What `--as-of` leaves out without a date to compare: every undated claim, even at the case's
/// own date, which can move a judgement a band with no claim of the case changed ("undated,
/// so left out by --as-of: po1").
fn undated(case: &Case) -> Option<String> {
    const SHOWN: usize = 5;
    let mut ids: Vec<&str> = case
        .claims
        .iter()
        .filter(|c| c.date.is_none())
        .map(|c| c.id.as_str())
        .collect();
    if ids.is_empty() {
        return None;
    }
    ids.sort_unstable_by(|a, b| crate::ids::cmp(a, b));
    let more = ids.len().saturating_sub(SHOWN);
    let mut listed = ids[..ids.len().min(SHOWN)].join(", ");
    if more > 0 {
        listed.push_str(&format!(" and {more} more"));
    }
    Some(format!("undated, so left out by --as-of: {listed}"))
}

/// "1 claim", "2 claims": a count with its noun, plural when it is not one.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Truncates long wording for tables, on a character boundary.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Where a line of evidence on `actor` comes from, in words: the claim or competing hypothesis
/// it starts at and the path it took ("claim c3 (Check Point) on hl, through hl → iran").
pub fn line_origin(
    case: &Case,
    result: &Derivation,
    actor: EntityId,
    family: FamilyId,
    for_side: bool,
) -> String {
    traced_origin(
        case,
        actor,
        &trace(result, actor, family, for_side),
        for_side,
        false,
    )
}

/// [`line_origin`] of one of `actor`'s lines at hand: a report that walks an actor's lines
/// traces each without searching the list for it again (quadratic in an actor's lines).
pub(crate) fn line_origin_of(
    case: &Case,
    result: &Derivation,
    actor: EntityId,
    line: &crate::assess::Line,
    for_side: bool,
) -> String {
    let t = crate::assess::trace_line(result, actor, line, for_side);
    traced_origin(case, actor, &t, for_side, false)
}

/// [`line_origin`] in words, from the line's trace: the actors on its path by id, or by name
/// (`names`) for a report to ship, whose reader knows them by name.
fn traced_origin(
    case: &Case,
    actor: EntityId,
    t: &crate::assess::Trace,
    for_side: bool,
    names: bool,
) -> String {
    let called = |e: EntityId| {
        let e = case.entity(e);
        if names {
            e.name.as_str()
        } else {
            e.id.as_str()
        }
    };
    let start = t.path[0];
    let head = match (t.origin, t.claim) {
        (Origin::Competing { from }, _) => format!(
            "the competing hypothesis {}{}",
            entity_label(case, from),
            if start == actor {
                String::new()
            } else {
                format!(" (against {})", called(start))
            }
        ),
        (Origin::SameAs { .. }, Some(c)) => format!(
            "claim {} on {}, possibly the same as {}",
            claim_label(case, c),
            called(start),
            called(t.path[1])
        ),
        (_, Some(c)) if t.path.len() > 1 => {
            format!("claim {} on {}", claim_label(case, c), called(start))
        }
        (_, Some(c)) => format!("claim {}", claim_label(case, c)),
        (_, None) => "an unknown origin".to_string(),
    };
    let hops = match t.origin {
        Origin::SameAs { .. } => &t.path[1..],
        _ => &t.path[..],
    };
    if hops.len() <= 1 {
        head
    } else {
        let how = if for_side {
            "through"
        } else {
            "inherited through"
        };
        let path = path_words(hops.iter().map(|&e| called(e)));
        format!("{head}, {how} {path}")
    }
}

/// The most steps (arrows) of a path a report writes out; a longer one keeps the first and
/// last six of its ids and leaves out two or more between them.
pub const PATH_SHOWN: usize = 12;

/// A path of ids joined by arrows, its middle left out past [`PATH_SHOWN`] steps ("a → b → …
/// 1994 more … → y → z"): each judgement on a chain prints its own path, so printing every
/// step made a report grow with the square of a chain's length (a chain of 20,000 declared
/// parts, 2 GB of HTML), and no reader follows a path that long step by step; its ends say
/// where the evidence starts and which actor it reaches.
pub fn path_words<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> String {
    path_words_turning(&ids.collect::<Vec<_>>(), None)
}

/// [`path_words`], with the step into `turn` (support for the id before it being opposition
/// to the one at it) written as `, a competitor of` and kept in sight when the middle is
/// left out ("a → b → … 3 more … → China, a competitor of Russia → … 4 more … → y → z"),
/// within a step or two of [`PATH_SHOWN`].
pub fn path_words_turning(ids: &[&str], turn: Option<usize>) -> String {
    let len = ids.len();
    let turn = turn.filter(|&k| k > 0 && k < len);
    let keep = PATH_SHOWN / 2;
    let shown: Vec<usize> = if len <= PATH_SHOWN + 1 {
        (0..len).collect()
    } else {
        match turn {
            // The turn falls in what the ends leave out: its two ids between shorter ends,
            // and an id alone between two shown written out rather than counted.
            Some(k) if k >= keep && k - 1 < len - keep => {
                let end = (PATH_SHOWN - 1) / 2;
                let mut v: Vec<usize> = (0..end).chain([k - 1, k]).chain(len - end..len).collect();
                v.sort_unstable();
                v.dedup();
                let gaps: Vec<usize> = (v.windows(2).filter(|w| w[1] == w[0] + 2))
                    .map(|w| w[0] + 1)
                    .collect();
                v.extend(gaps);
                v.sort_unstable();
                v
            }
            _ => (0..keep).chain(len - keep..len).collect(),
        }
    };
    let mut out = String::new();
    let mut before: Option<usize> = None;
    for i in shown {
        match before {
            Some(b) if i > b + 1 => out.push_str(&format!(" → … {} more … → ", i - b - 1)),
            Some(_) if turn == Some(i) => out.push_str(", a competitor of "),
            Some(_) => out.push_str(" → "),
            None => {}
        }
        out.push_str(ids[i]);
        before = Some(i);
    }
    out
}

/// "All 3 lines for it reach it through DarkSide: …": when every line of evidence for `j`
/// passes one actor on its way that is no declared part of it, the lines are independent as
/// sources but not as an inference, and stand or fall with what ties that actor to the
/// hypothesis (a claimed link, a "possibly same as" pair). "3 independent lines" alone read
/// as firmer than it is. Names through `esc`.
pub(crate) fn shared_way_sentence(
    case: &Case,
    ia: &crate::assess::IncidentAssessment,
    j: &Judgement,
    esc: impl Fn(&str) -> String,
) -> Option<String> {
    let fused = ia.derivation.fused.get(&j.actor)?;
    let lines: Vec<_> = fused.lines.iter().filter(|l| l.r > 0.0).collect();
    if lines.len() < 2 {
        return None;
    }
    // The actors every line passes before the hypothesis, in the first line's order.
    let mut shared: Option<Vec<EntityId>> = None;
    for l in &lines {
        let t = crate::assess::trace_line(&ia.derivation, j.actor, l, true);
        let on_way = &t.path[..t.path.len().saturating_sub(1)];
        let kept: Vec<EntityId> = match shared {
            None => on_way.to_vec(),
            Some(s) => s.into_iter().filter(|x| on_way.contains(x)).collect(),
        };
        if kept.is_empty() {
            return None;
        }
        shared = Some(kept);
    }
    // The one nearest the hypothesis that is no declared part of it: a declared part's
    // evidence reaches it for certain, a claimed tie on the way before it may fail.
    let x = (shared?.into_iter().rev())
        .find(|&x| !crate::model::is_declared_whole(&case.entities, j.actor, x))?;
    let name = esc(&case.entity(x).name);
    let all = match lines.len() {
        2 => "Both lines".to_string(),
        n => format!("All {n} lines"),
    };
    Some(format!(
        "{all} for it reach it through {name}: independent as they are, they stand or fall \
         with what ties {name} to it."
    ))
}

/// Where the lines against a hypothesis that are not its own come from ("2 through the
/// competing hypothesis Russia; 1 inherited from what it is part of or linked to (Iran)"),
/// the names escaped by `esc`; `None` when every line against it is its own. A confidence
/// resting on them is the competitor's evidence, which a reader must be told beside "no
/// evidence bears on it".
pub(crate) fn borrowed_lines(
    case: &Case,
    j: &Judgement,
    esc: impl Fn(&str) -> String,
) -> Option<String> {
    let names = |v: &[crate::model::EntityId]| -> String {
        v.iter()
            .map(|e| esc(&case.entity(*e).name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut borrowed = Vec::new();
    if j.lines_against_from.competing > 0 {
        borrowed.push(format!(
            "{} through the competing {} {}",
            j.lines_against_from.competing,
            if j.competitors.len() == 1 {
                "hypothesis"
            } else {
                "hypotheses"
            },
            names(&j.competitors)
        ));
    }
    if j.lines_against_from.inherited > 0 {
        borrowed.push(format!(
            "{} inherited from what it is part of or linked to ({})",
            j.lines_against_from.inherited,
            names(&j.inherited_from)
        ));
    }
    (!borrowed.is_empty()).then(|| borrowed.join("; "))
}

/// Each whole a claimed link (not only denied) ties `j`'s actor to that is judged less likely
/// than it on the same incident, with the link's index in [`Assessment::links`]: a claimed
/// link carries a part's evidence up, and the whole's opposition down, only as far as it is
/// believed ([`Crossing`]), so an analyst who reads "APT38 very likely,
/// the RGB only likely" beside Treasury's link sees no contradiction once told so. Only when
/// the part stays above the whole at the whole's prior, as the reports print them (two
/// decimals): a higher prior alone can put a part above its whole (the model keeps a whole at
/// least as likely only for equal priors), and then the link is not to blame ([`prior_aside`]
/// names the priors where they differ too). By the whole's id, whatever the order of the file.
pub(crate) fn wholes_below<'a>(
    case: &Case,
    assessment: &'a Assessment,
    ia: &'a crate::assess::IncidentAssessment,
    j: &'a Judgement,
) -> Vec<(usize, &'a Judgement)> {
    if j.term().is_none() {
        return Vec::new();
    }
    let shown = |p: f64| probability_digits(p, 2);
    let mut found: Vec<(usize, &Judgement)> = (assessment.links_from(j.actor).iter())
        .filter(|&&k| !assessment.links[k].structural)
        // A link its claims only deny (X "very unlikely" sponsored by Y) makes Y no whole of
        // X's to be below it; one held at even chance is still a link claimed, carrying nothing.
        .filter(|&&k| (assessment.links[k].claims.iter()).any(|&c| !assessment.claim(c).denies()))
        .filter_map(|&k| Some((k, ia.judgement(assessment.links[k].to)?)))
        .filter(|(_, whole)| {
            let at_its_prior = j.opinion().with_base_rate(whole.prior).projected();
            j.p() > whole.p()
                && at_its_prior > whole.p()
                && shown(j.p()) != shown(whole.p())
                && shown(at_its_prior) != shown(whole.p())
        })
        .collect();
    found.sort_by(|a, b| crate::ids::cmp(&case.entity(a.1.actor).id, &case.entity(b.1.actor).id));
    found
}

/// What a claimed link carries only as far as it is believed that leaves a part above its
/// whole ([`wholes_below`]): the part's support, up (`up`: the part has more than reaches the
/// whole), and the whole's opposition, down (`down`: the whole has more than reaches the part,
/// a competing hypothesis's or a denial's). At least one holds, since the part stays above at
/// the whole's prior; a part with no evidence for it is above only for the second, and to say
/// the first of it contradicts the line that says no evidence bears on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Crossing {
    pub up: bool,
    pub down: bool,
}

impl Crossing {
    pub(crate) fn of(part: &Judgement, whole: &Judgement) -> Crossing {
        let down = whole.s > part.s;
        Crossing {
            up: part.r > whole.r || !down,
            down,
        }
    }

    /// Both reasons, for a sentence on several parts.
    pub(crate) fn and(self, other: Crossing) -> Crossing {
        Crossing {
            up: self.up || other.up,
            down: self.down || other.down,
        }
    }

    /// What follows "a claimed link carries" and goes before "only as far as it is believed".
    pub(crate) fn carried(self) -> &'static str {
        match (self.up, self.down) {
            (true, true) => "a part's evidence up, and opposition to the whole down,",
            (false, true) => "opposition to the whole down",
            _ => "a part's evidence up",
        }
    }

    /// The reasons as the JSON report names them.
    pub(crate) fn words(self) -> impl Iterator<Item = &'static str> {
        [(self.up, "support_up"), (self.down, "opposition_down")]
            .into_iter()
            .filter_map(|(holds, word)| holds.then_some(word))
    }
}

/// ", the part's prior 0.5 above the whole's 0.33" where a part judged above its whole
/// ([`wholes_below`]) also has the higher prior, which lifts it further; empty otherwise.
pub(crate) fn prior_aside(part: &Judgement, whole: &Judgement) -> String {
    if part.prior > whole.prior {
        format!(
            ", the part's prior {} above the whole's {}",
            part.prior, whole.prior
        )
    } else {
        String::new()
    }
}

/// The analysts' notes on the hypotheses the case lists (`Hypothesis(…, note: …)`), which the
/// reports print under the judgement, as written (the notes are where format.md tells
/// analysts to keep what matters); read once for a report, since a scan of the list for each
/// judgement made a report quadratic in a case listing many.
pub struct HypothesisNotes<'a>(HashMap<(IncidentId, EntityId), &'a str>);

impl<'a> HypothesisNotes<'a> {
    /// The notes of `case`'s listed hypotheses.
    pub fn of(case: &'a Case) -> HypothesisNotes<'a> {
        HypothesisNotes(
            (case.hypotheses.iter())
                .filter_map(|h| Some(((h.incident, h.actor), h.note.as_deref()?)))
                .collect(),
        )
    }

    /// The note on the hypothesis that `actor` carried out `incident`.
    pub fn get(&self, incident: IncidentId, actor: EntityId) -> Option<&'a str> {
        self.0.get(&(incident, actor)).copied()
    }
}

/// Link `k`'s claims that state it (from even chances up) and those that deny it, each in
/// the link's order: a note saying which claims link a part to its whole names the first,
/// and the second as denying it, not among them.
pub(crate) fn link_sides(assessment: &Assessment, k: usize) -> (Vec<ClaimId>, Vec<ClaimId>) {
    (assessment.links[k].claims.iter()).partition(|&&c| !assessment.claim(c).denies())
}

/// The relations `claims` state, "subordinate of / sponsored by", in order.
pub(crate) fn link_relations(case: &Case, claims: &[ClaimId]) -> String {
    let relations: std::collections::BTreeSet<&str> = (claims.iter())
        .map(|&c| case.claim(c).relation.phrase())
        .collect();
    relations.into_iter().collect::<Vec<_>>().join(" / ")
}

/// ", denied by claim l2" (or "claims l2, l3") for the claims of a link that deny it; empty
/// when none does.
pub(crate) fn denied_by(case: &Case, denying: &[ClaimId]) -> String {
    if denying.is_empty() {
        return String::new();
    }
    let ids: Vec<&str> = denying.iter().map(|&c| case.claim(c).id.as_str()).collect();
    let noun = if ids.len() == 1 { "claim" } else { "claims" };
    format!(", denied by {noun} {}", ids.join(", "))
}

/// The note for a report (Markdown, HTML) on every whole `wholes_below` finds for `j`, as
/// plain text for the caller to escape; `None` when there is none.
pub fn above_whole(
    case: &Case,
    assessment: &Assessment,
    ia: &crate::assess::IncidentAssessment,
    j: &Judgement,
) -> Option<String> {
    let out: Vec<String> = wholes_below(case, assessment, ia, j)
        .into_iter()
        .map(|(k, whole)| {
            let link = &assessment.links[k];
            let (stating, denying) = link_sides(assessment, k);
            let claims: Vec<&str> = (stating.iter())
                .map(|&c| case.claim(c).id.as_str())
                .collect();
            let (noun, verb) = if claims.len() == 1 {
                ("claim", "links")
            } else {
                ("claims", "link")
            };
            let belief = unsigned_zero(assessment.link_beliefs.get(k).copied().unwrap_or(0.0), 2);
            let (part_p, whole_p) = probabilities_alike(j.p(), whole.p(), 2);
            format!(
                "{} is judged more likely than {} (P {} against {}{}), which {noun} {} {verb} it \
                 to ({}{}): a claimed link carries {} only as far as the link is believed \
                 (b {belief:.2}), so the whole can come out less likely than its part; a declared \
                 part_of is a certain tie and carries it whole (model §5).",
                entity_label(case, j.actor),
                entity_label(case, link.to),
                part_p,
                whole_p,
                prior_aside(j, whole),
                claims.join(", "),
                link_relations(case, &stating),
                denied_by(case, &denying),
                Crossing::of(j, whole).carried(),
            )
        })
        .collect();
    (!out.is_empty()).then(|| out.join(" "))
}

/// The end of a judgement's likelihood sentence when no evidence bears on the hypothesis
/// itself (", but only because of opposition to Iran (iran), which it is part of or linked
/// to: no evidence bears on it itself"), escaped by `esc`; empty otherwise. In the sentence
/// itself, since that is the one a reader quotes: "unlikely" alone reads as evidence against.
pub(crate) fn only_because(case: &Case, j: &Judgement, esc: impl Fn(&str) -> String) -> String {
    borrowed_reason(case, j).map_or_else(String::new, |why| {
        format!(
            ", but only because {}: no evidence bears on it itself",
            esc(&why)
        )
    })
}

/// For a verdict with no evidence of its own, why it is what it is: "the competing hypothesis
/// X is supported; opposition to Y, which it is part of". `None` when it has evidence of its
/// own, none at all, or too little for a likelihood.
pub fn borrowed_reason(case: &Case, j: &Judgement) -> Option<String> {
    let mut why = String::new();
    write_borrowed_reason(&mut why, case, j).then_some(why)
}

/// [`borrowed_reason`] written into `out`; whether there is one. A large case's table has one
/// for most hypotheses that only inherit opposition.
pub(crate) fn write_borrowed_reason(out: &mut String, case: &Case, j: &Judgement) -> bool {
    if !j.only_borrowed() || j.term().is_none() {
        return false;
    }
    // "a", "a and b", "a, b and c".
    let names = |out: &mut String, v: &[EntityId]| {
        for (k, e) in v.iter().enumerate() {
            if k > 0 {
                out.push_str(if k + 1 == v.len() { " and " } else { ", " });
            }
            write_entity_label(out, case, *e);
        }
    };
    if !j.competitors.is_empty() {
        let (noun, verb) = if j.competitors.len() == 1 {
            ("the competing hypothesis ", " is supported")
        } else {
            ("the competing hypotheses ", " are supported")
        };
        out.push_str(noun);
        names(out, &j.competitors);
        out.push_str(verb);
    }
    if !j.inherited_from.is_empty() {
        if !j.competitors.is_empty() {
            out.push_str(", and because ");
        }
        out.push_str("of opposition to ");
        names(out, &j.inherited_from);
        out.push_str(", which it is part of or linked to");
    }
    true
}

/// A change (ΔP, a move) at `digits` decimals with its sign: `+0.012`, `-0.000`. Float noise
/// (under 1e-9, what adding the same evidence in another order leaves) is no change and reads
/// `+0.000`; a real change too small for the digits keeps its sign, since its direction is
/// real (as the ACH matrix's `I -0.00`): a claim that lowered P by 0.0002 does not read as one
/// that changed nothing.
pub fn change_figure(x: f64, digits: usize) -> String {
    let x = if x.abs() < 1e-9 { 0.0 } else { x };
    if x < 0.0 {
        // `{:+.3}` of -0.0002 is "-0.000" already; of -0.0 it would be "-0.000" too, hence the
        // noise test above.
        format!("{x:+.digits$}")
    } else {
        format!("{:+.digits$}", x.abs())
    }
}

/// `x` for printing at `digits` decimals: a value that rounds to zero as zero itself, so that
/// no figure reads "-0.00" (a change of -1e-17 is no change).
pub fn unsigned_zero(x: f64, digits: i32) -> f64 {
    if (x * 10f64.powi(digits)).round() == 0.0 {
        0.0
    } else {
        x
    }
}

/// Whether a likelihood rests mostly on the base rate: `prior × u` outweighs both the belief
/// and the disbelief of opinion `o` (and there is a likelihood term at all).
pub(crate) fn mostly_prior(prior: f64, o: crate::opinion::Opinion, term: Option<IcdTerm>) -> bool {
    term.is_some() && prior * o.uncertainty() > o.belief().max(o.disbelief())
}

/// A caution for a likelihood that rests mostly on the base rate: when `prior × u` outweighs
/// both the belief and the disbelief, the word ("likely") says more about the prior than about
/// the evidence. `None` when the evidence decides, or when there is no likelihood.
pub fn base_rate_note(j: &Judgement) -> Option<String> {
    let o = j.opinion();
    let from_prior = j.prior * o.uncertainty();
    mostly_prior(j.prior, o, j.term()).then(|| {
        format!(
            "Most of this probability comes from the base rate: the prior {:.2} times the \
             uncertainty {} gives {:.2} of P = {}, the evidence itself a belief of {:.2}.",
            j.prior,
            uncertainty_digits(o.uncertainty(), 2),
            from_prior,
            probability_figure(j.p()),
            o.belief()
        )
    })
}

/// "3 of these lines rest on sources rated B or better": the strong lines among those for and
/// against just named (a line counts once, whichever side it is on).
pub fn strong_clause(strong: usize) -> String {
    match strong {
        0 => "none of these lines rests on a source rated B or better".to_string(),
        1 => "1 of these lines rests on a source rated B or better".to_string(),
        n => format!("{n} of these lines rest on sources rated B or better"),
    }
}

/// What every report says of a case with no incident, instead of an empty assessment.
pub fn no_incident(case: &Case) -> String {
    const NONE: &str = "The case has no incident, so there is nothing to assess yet.";
    // An imported bundle often holds only who is whose (APT1 and PLA Unit 61398): say what
    // its claims wait for, lest the case read as empty.
    let between = (case.claims.iter())
        .filter(|c| {
            matches!(
                c.statement,
                Statement::Link { .. } | Statement::SameAs { .. }
            )
        })
        .count();
    let (claims, they) = match between {
        0 => return NONE.to_string(),
        1 => ("one claim ties".to_string(), "it bears"),
        n => (format!("{n} claims tie"), "they bear"),
    };
    format!(
        "{NONE} Its {claims} actors and groups to one another; {they} on a judgement once an \
         incident is declared and a claim names who carried it out."
    )
}

/// The probability as reports print it: two decimals, except where two decimals would land on
/// a band edge the term is not on (0.7996 printed "0.80" beside "likely" reads as an error):
/// then three decimals and the edge named.
pub fn probability_text(p: f64) -> String {
    probability_text_at(p, 2)
}

/// [`probability_text`] with at least `digits` decimals.
pub fn probability_text_at(p: f64, digits: usize) -> String {
    match below_edge(p, digits) {
        Some(edge) => format!(
            "P = {}, just below the {:.0} % edge",
            probability_digits(p, digits),
            edge * 100.0
        ),
        None if p > SCALE.1 => format!(
            "P = {}, above the top band's {:.0} %",
            probability_digits(p, digits),
            SCALE.1 * 100.0
        ),
        None if p < SCALE.0 => format!(
            "P = {}, below the bottom band's {:.0} %",
            probability_digits(p, digits),
            SCALE.0 * 100.0
        ),
        None => format!("P = {p:.digits$}"),
    }
}

/// Where ICD 203's scale ends: the lower bound of "almost no chance" and the upper bound of
/// "almost certain". A P beyond them takes the end band's word, and is printed with the
/// decimals it takes to show it beyond ([`write_probability_digits`]): 0.994 is "0.994", not
/// "0.99" beside "almost certain (95–99 %)".
const SCALE: (f64, f64) = (0.01, 0.99);

/// The decimals, `min` or more (up to six), that print `p` on its side of each end of the
/// scale ([`SCALE`]), and of 0 and 1: `None` when `min` do, or `p` is not beyond an end.
fn beyond_scale_digits(p: f64, min: usize) -> Option<usize> {
    let shows = |d: usize| {
        let scale = 10f64.powi(d as i32);
        let x = (p * scale).round() / scale;
        if p > SCALE.1 {
            x > SCALE.1 && (x < 1.0 || p >= 1.0)
        } else {
            x < SCALE.0 && (x > 0.0 || p <= 0.0)
        }
    };
    if (SCALE.0..=SCALE.1).contains(&p) || shows(min) {
        return None;
    }
    Some((min + 1..=6).find(|&d| shows(d)).unwrap_or(6))
}

/// The probability as a bare figure for tight places (diagram labels, tooltips): two
/// decimals, or as many as it takes not to print a band edge P is below ("0.798", not "0.80"
/// beside "likely").
pub fn probability_figure(p: f64) -> String {
    probability_digits(p, 2)
}

/// `p` with at least `min` decimals, and more (up to six) where rounding would print a band
/// edge `p` is below; closer to the edge than six decimals tell, cut rather than rounded
/// ("0.799999", never "0.800000").
pub fn probability_digits(p: f64, min: usize) -> String {
    let mut out = String::new();
    write_probability_digits(&mut out, p, min);
    out
}

/// Two probabilities set side by side ("P 0.5496 against 0.5312"), each as
/// [`probability_digits`] writes it and both to as many decimals as the one that needs more:
/// one near an edge of its band takes more, and "0.5496 against 0.53" reads as if the two
/// were known to different precisions.
pub(crate) fn probabilities_alike(a: f64, b: f64, min: usize) -> (String, String) {
    let decimals = |s: &str| s.split_once('.').map_or(0, |(_, d)| d.len());
    let mut digits = min;
    loop {
        let (x, y) = (probability_digits(a, digits), probability_digits(b, digits));
        let most = decimals(&x).max(decimals(&y));
        if most <= digits || decimals(&x) == decimals(&y) {
            return (x, y);
        }
        digits = most;
    }
}

/// [`probability_digits`], written into `out`.
pub(crate) fn write_probability_digits(out: &mut String, p: f64, min: usize) {
    use std::fmt::Write;
    let _ = match below_edge(p, min) {
        Some(edge) => match (min + 1..=6)
            .find(|&d| format!("{p:.d$}").parse::<f64>().is_ok_and(|x| x < edge))
        {
            Some(digits) => write!(out, "{p:.digits$}"),
            None => write!(out, "{:.6}", (p * 1e6).floor() / 1e6),
        },
        None => {
            number::write_fixed(out, p, beyond_scale_digits(p, min).unwrap_or(min));
            Ok(())
        }
    };
}

/// The uncertainty `u` with at least `min` decimals, and more (up to six) where rounding would
/// print one of the confidence thresholds `u` is above: `u` 0.2048 printed "0.20" beside
/// "moderate" reads as an error, since u ≤ 0.2 is one condition of high confidence (and u ≤ 0.5
/// of moderate, u ≤ 0.8 of any likelihood). Above the threshold by less than six decimals
/// tell, rounded up ("0.200001", never "0.200000").
pub fn uncertainty_digits(u: f64, min: usize) -> String {
    let mut out = String::new();
    write_uncertainty_digits(&mut out, u, min);
    out
}

/// [`uncertainty_digits`], written into `out`.
pub(crate) fn write_uncertainty_digits(out: &mut String, u: f64, min: usize) {
    use std::fmt::Write;
    let scale = 10f64.powi(min as i32);
    let rounded = (u * scale).round() / scale;
    let edge = [0.2, 0.5, 0.8]
        .into_iter()
        .find(|e: &f64| (e - rounded).abs() < 1e-9)
        .filter(|&e| !crate::terms::at_or_below(u, e));
    let _ = match edge {
        Some(edge) => match (min + 1..=6)
            .find(|&d| format!("{u:.d$}").parse::<f64>().is_ok_and(|x| x > edge))
        {
            Some(digits) => write!(out, "{u:.digits$}"),
            None => write!(out, "{:.6}", (u * 1e6).ceil() / 1e6),
        },
        None => {
            number::write_fixed(out, u, min);
            Ok(())
        }
    };
}

/// Where one ICD 203 band gives way to the next: each band's lower bound but the first's.
fn band_edges() -> impl Iterator<Item = f64> {
    IcdTerm::ALL.iter().skip(1).map(|t| t.band().0)
}

/// The band edge `p` at `digits` decimals would print although `p` is below it.
fn below_edge(p: f64, digits: usize) -> Option<f64> {
    let scale = 10f64.powi(digits as i32);
    let rounded = (p * scale).round() / scale;
    band_edges()
        .find(|e| (e - rounded).abs() < 1e-9)
        .filter(|&edge| !crate::terms::at_or_above(p, edge))
}

/// One line of evidence as the reports list it, plain text for the caller to escape.
pub(crate) struct ListedLine {
    /// For the hypothesis, else against it.
    pub for_it: bool,
    /// The line's name (its dependence family).
    pub family: String,
    /// Its supporting evidence `r` (for) or opposing evidence `s` (against).
    pub weight: f64,
    /// Where it comes from ([`line_origin`]).
    pub origin: String,
}

impl ListedLine {
    /// "For" or "Against", and the name of its weight, "r" or "s".
    pub(crate) fn side(&self) -> (&'static str, &'static str) {
        if self.for_it {
            ("For", "r")
        } else {
            ("Against", "s")
        }
    }
}

/// A judgement's lines of evidence, for and then against: what the HTML and Markdown reports
/// list under "Lines of evidence".
pub(crate) fn lines_listed(
    case: &Case,
    ia: &crate::assess::IncidentAssessment,
    j: &Judgement,
    ways: &Ways,
) -> Vec<ListedLine> {
    let Some(f) = ia.derivation.fused.get(&j.actor) else {
        return Vec::new();
    };
    let side = |for_it: bool| {
        (f.lines.iter())
            .map(move |l| (l, if for_it { l.r } else { l.s }))
            .filter(|&(_, weight)| weight > 0.0)
            .map(move |(l, weight)| ListedLine {
                for_it,
                family: case.family(l.family).to_string(),
                weight,
                origin: {
                    let traced;
                    let t = match ways.support.get(&l.family).filter(|_| for_it) {
                        Some(t) => t,
                        None => {
                            traced = crate::assess::trace_line(&ia.derivation, j.actor, l, for_it);
                            &traced
                        }
                    };
                    let origin = traced_origin(case, j.actor, t, for_it, true);
                    match t.claim.map(|c| ways.tied_with(case, c, (l.family, for_it))) {
                        Some(others) if !others.is_empty() => {
                            let (claims, verb, count) = match others.len() {
                                1 => ("claim", "weighs", "the two"),
                                _ => ("claims", "weigh", "them"),
                            };
                            format!(
                                "{origin}; {claims} {} {verb} as much, and the line counts one \
                                 of {count}",
                                others.join(", ")
                            )
                        }
                        _ => origin,
                    }
                },
            })
    };
    side(true).chain(side(false)).collect()
}

/// What the reports say under "Pivotal evidence", plain text for the caller to escape.
pub(crate) struct PivotalEvidence {
    /// The items without which the likelihood term or the confidence changes, each a
    /// sentence without its full stop ("Without claim d7 (…): likely (55–80 %), moderate
    /// confidence (P = 0.7; change −0.21)").
    pub items: Vec<String>,
    /// When no item is listed, the sentence that says so.
    pub none: Option<&'static str>,
    /// The items that only tip P over a nearby band edge, said in a sentence ([`edge_note`]).
    pub edge: Option<String>,
}

/// The pivotal evidence of `j`, when its sensitivity was computed. A source whose one claim
/// behind the judgement is pivotal is listed with that claim, and the items that only move P
/// across a nearby band edge are named in a sentence instead: nothing the judgement hinges on.
pub(crate) fn pivotal_evidence(case: &Case, j: &Judgement) -> Option<PivotalEvidence> {
    let rows = j.sensitivity.as_ref()?;
    let pivotal: Vec<_> = rows.iter().filter(|s| s.pivotal).collect();
    if pivotal.is_empty() {
        return Some(PivotalEvidence {
            items: Vec::new(),
            none: Some(
                "No claim, source or line of evidence set aside on its own changes the \
                 likelihood term or the confidence.",
            ),
            edge: None,
        });
    }
    let same = same_as_its_claim(case, rows);
    let shown: Vec<_> = (pivotal.iter())
        .filter(|s| !matches!(s.item, Removal::Source(src) if same.contains_key(&src)))
        .copied()
        .collect();
    let edge = edge_note(case, j, &shown, false, &same);
    let at_edge =
        |s: &&crate::assess::Sensitivity| edge.as_ref().is_some_and(|(_, e)| e.contains(&s.item));
    let items: Vec<String> = (shown.iter().filter(|s| !at_edge(s)))
        .map(|s| {
            let label = match s.item {
                Removal::Claim(c) => match source_standing_for(&same, c) {
                    Some(src) => format!(
                        "{}, or its source {} (the same: its one claim behind this judgement)",
                        removal_label(case, s.item),
                        case.source(src).id
                    ),
                    None => removal_label(case, s.item),
                },
                Removal::Source(_) | Removal::Family(_) => removal_label(case, s.item),
            };
            format!(
                "Without {label}: {}, {} confidence ({}; change {}){}",
                term_with_band(s.term),
                s.confidence.word(),
                probability_text_at(s.p, 3),
                change_figure(s.delta, 3),
                raised_by_leaving_out(case, j, s)
            )
        })
        .collect();
    let none = items.is_empty().then_some(
        "No claim, source or line of evidence set aside on its own changes the confidence, or \
         the likelihood term by more than a nearby band edge.",
    );
    Some(PivotalEvidence {
        items,
        none,
        edge: edge.map(|(note, _)| note),
    })
}

/// A sentence for a judgement's summary (the HTML report's key judgements, the sentences
/// readers quote) when P lies so near a band edge that setting aside one item moves it by
/// little across that edge ([`edge_note`]'s items): "P lies near the 95 % edge: without any
/// one of 10 claims it would read very likely (80–95 %)." Plain text for the caller to escape.
pub(crate) fn edge_sentence(case: &Case, j: &Judgement) -> Option<String> {
    let rows = j.sensitivity.as_ref()?;
    let same = same_as_its_claim(case, rows);
    let shown: Vec<_> = (rows.iter())
        .filter(|s| s.pivotal)
        .filter(|s| !matches!(s.item, Removal::Source(src) if same.contains_key(&src)))
        .collect();
    let (_, items) = edge_note(case, j, &shown, false, &same)?;
    let across = shown.iter().find(|s| s.item == items[0])?;
    let (lo, hi) = j.term()?.band();
    let edge = if across.p < j.p() { lo } else { hi };
    let labels: Vec<String> = items.iter().map(|&r| removal_label(case, r)).collect();
    let without = match labels.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] if labels.len() <= 3 => format!("{} or {last}", rest.join(", ")),
        _ if items.iter().all(|r| matches!(r, Removal::Claim(_))) => {
            format!("any one of {} claims", items.len())
        }
        _ => {
            // The kinds among them, in the order the pivotal evidence lists them.
            let kinds: Vec<&str> = [
                (
                    items.iter().any(|r| matches!(r, Removal::Claim(_))),
                    "claims",
                ),
                (
                    items.iter().any(|r| matches!(r, Removal::Source(_))),
                    "sources",
                ),
                (
                    items.iter().any(|r| matches!(r, Removal::Family(_))),
                    "lines of evidence",
                ),
            ]
            .into_iter()
            .filter_map(|(any, kind)| any.then_some(kind))
            .collect();
            format!("any one of {} items ({})", items.len(), kinds.join(", "))
        }
    };
    Some(format!(
        "P lies near the {:.0} % edge: without {without} it would read {}.",
        edge * 100.0,
        term_with_band(across.term)
    ))
}

/// Why leaving out a claim of a link from the hypothesis to a whole raises it, which reads as
/// a mistake without a word: opposition to the whole comes down the link to its part (model
/// §5), and the link, left out, no longer brings it.
fn raised_by_leaving_out(case: &Case, j: &Judgement, s: &crate::assess::Sensitivity) -> String {
    let Removal::Claim(c) = s.item else {
        return String::new();
    };
    match case.claim(c).statement {
        Statement::Link { from, to } if from == j.actor && s.delta > 0.0 => format!(
            ": the link brought the evidence against {} down to this hypothesis",
            case.entity(to).name
        ),
        _ => String::new(),
    }
}

/// What a change smaller than this, crossing a band edge, says of the evidence: little.
const SMALL_CHANGE: f64 = 0.02;

/// The pivotal items that change only the likelihood word, each by less than
/// [`SMALL_CHANGE`], said in a sentence: P sits near a band edge, so that a reader does not
/// take a weak claim (a denial graded E) for one the judgement hinges on. With the sentence,
/// the items it names; when they are all of `pivotal` and `listed` above it, "each of these".
pub(crate) fn edge_note(
    case: &Case,
    j: &Judgement,
    pivotal: &[&crate::assess::Sensitivity],
    listed: bool,
    merged: &BTreeMap<SourceId, ClaimId>,
) -> Option<(String, Vec<Removal>)> {
    let p = j.p();
    j.term()?;
    // The band edge between P and P without the item, when it crosses one and only the word
    // changes (not the confidence, and not to "insufficient evidence").
    let crossed = |s: &crate::assess::Sensitivity| {
        let (lo, hi) = (p.min(s.p), p.max(s.p));
        // Read within the arithmetic's error, as the terms are (`terms::EDGE_SLACK`).
        let crosses = |e: f64| at_or_above(hi, e) && !at_or_above(lo, e);
        band_edges().find(|&e| crosses(e)).filter(|_| {
            s.delta.abs() < SMALL_CHANGE
                && s.term.is_some()
                && s.term != j.term()
                && s.confidence == j.confidence()
        })
    };
    let edge = pivotal.iter().find_map(|s| crossed(s))?;
    let items: Vec<Removal> = (pivotal.iter())
        .filter(|s| crossed(s) == Some(edge))
        .map(|s| s.item)
        .collect();
    // A source listed as its one claim ([`same_as_its_claim`]) is named with it, as the
    // pivotal items are, so that the note names what `explain` names.
    let small: Vec<String> = (items.iter())
        .map(|&r| match r {
            Removal::Claim(c) if let Some(src) = source_standing_for(merged, c) => format!(
                "{} (or its source {})",
                removal_label(case, r),
                case.source(src).id
            ),
            _ => removal_label(case, r),
        })
        .collect();
    let (who, crosses) = match small.len() {
        n if listed && n == pivotal.len() && n > 1 => {
            ("Each of these moves".to_string(), "each crosses")
        }
        1 => (format!("{} moves", capitalised(&small[0])), "it crosses"),
        _ => (
            format!("{} each move", capitalised(&small.join(", "))),
            "each crosses",
        ),
    };
    let note = format!(
        "{who} P by less than {SMALL_CHANGE}: P ({}) lies within {} of the {:.0} % edge \
         between two likelihood words, so {crosses} the edge while the evidence hardly changes.",
        probability_digits(p, 3),
        if (edge - p).abs() < 0.005 {
            "0.005"
        } else {
            "0.02"
        },
        edge * 100.0
    );
    Some((note, items))
}

/// Why hypotheses are not judged, in words: the claims bearing on them leave them almost
/// entirely uncertain, or no claim bears on them at all (a listed hypothesis, a member of an exclusive
/// set, on an incident no claim was made on by a what-if's date).
pub(crate) fn why_open(open: &[&Judgement]) -> String {
    let it = if open.len() == 1 { "it" } else { "them" };
    // A claim bears on it through a line of evidence (its own, or one it inherits, or a
    // competitor's), or carries no weight on it.
    let named = |j: &&Judgement| j.lines + j.lines_against > 0 || !j.weightless.is_empty();
    if open.iter().any(named) {
        format!("the claims that bear on {it} leave {it} almost entirely uncertain")
    } else {
        format!("no claim bears on {it}")
    }
}

/// `s` with its first letter in capitals ("claim no" → "Claim no").
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The sentence a report adds when the sources conflict markedly (model §7), with a space
/// before it; empty otherwise. Beside high confidence it says what that confidence rests on,
/// since "high confidence" next to "the sources conflict" reads as a contradiction: the
/// model's confidence measures how much evidence there is and how strong its sources are,
/// and the conflict how far the evidence for and against disagree.
pub(crate) fn conflict_sentence(j: &Judgement) -> String {
    if !j.conflict_flagged() {
        return String::new();
    }
    let mut s = format!(
        " The sources conflict markedly (degree of conflict {:.2})",
        j.conflict
    );
    if j.confidence() == crate::terms::Confidence::High {
        s.push_str(
            ": the high confidence rests on how much evidence there is and how strong its \
             sources are, not on their agreement",
        );
    }
    s.push('.');
    s
}

/// The claims a report of `assessment` bears on, whatever the what-if: those about the
/// incidents it assesses (every incident, unless `--incident` names one) and those about no
/// incident (links and possible aliases, which any incident's judgements may cross).
pub fn claims_in_scope(case: &Case, assessment: &Assessment) -> Vec<ClaimId> {
    let assessed = assessment.assessed();
    let every = assessed.len() == case.incidents.len();
    (case.claim_ids())
        .filter(|&c| match case.claim(c).statement {
            Statement::Responsible { incident, .. } | Statement::Condemns { incident } => {
                every || assessed.contains(&incident)
            }
            Statement::Link { .. } | Statement::SameAs { .. } => true,
        })
        .collect()
}

/// The claims that count under the scenario, in the case's order: those in the report's scope
/// ([`claims_in_scope`]) and in the scenario (not set aside, made by `--as-of`). A restatement
/// of claims whose line of evidence the what-if sets aside goes with them, and is not counted
/// either. A report reads them once, for its basis sentence at its head ([`basis_sentence`])
/// and the claims it leaves uncited at its foot ([`uncited`]).
pub fn counted_claims(case: &Case, assessment: &Assessment) -> Vec<ClaimId> {
    let index = case.originals();
    (claims_in_scope(case, assessment).into_iter())
        .filter(|&c| {
            // An echo of originals that all went with their lines (§6 rule 1: a chain ends
            // at its originals).
            let gone_with_line = !case.claim(c).derived_from.is_empty()
                && (case.originals_in(index.as_ref(), c).iter())
                    .all(|&o| assessment.claim(o).line_aside);
            assessment.claim(c).in_scenario && !gone_with_line
        })
        .collect()
}

/// "2 claims argue against it directly.": the claims that oppose the hypothesis themselves
/// (not through a whole, a competitor or a pair), said by the Markdown and HTML reports alike;
/// and how many of them add nothing, their lines resting on stronger evidence ("3 claims argue
/// against it directly; 2 of them are outweighed within their lines and add nothing."), so
/// that denials are not read as weighing where a competitor's support outweighs them.
pub fn opposing_sentence(
    case: &Case,
    ia: &crate::assess::IncidentAssessment,
    j: &Judgement,
) -> Option<String> {
    let rests_on = denials_rest_on(case, &ia.derivation, j);
    // A denial tied for its line's value is not outweighed ([`Ways::tied`]).
    let tied: std::collections::HashSet<ClaimId> = (rests_on.iter())
        .filter(|(_, c)| c.is_some())
        .flat_map(|(&f, _)| tied_at(&ia.derivation, j.actor, f, false))
        .collect();
    let outweighed = (j.opposing.iter())
        .filter(|&&c| !tied.contains(&c) && outweighed_in(case, &rests_on, c).is_some())
        .count();
    let all = j.opposing.len();
    let said = match all {
        0 => return None,
        1 => "1 claim argues against it directly".to_string(),
        n => format!("{n} claims argue against it directly"),
    };
    Some(match outweighed {
        0 => format!("{said}."),
        1 if all == 1 => format!("{said}; it is outweighed within its line and adds nothing."),
        n if n == all => format!("{said}; each is outweighed within its line and adds nothing."),
        1 => format!("{said}; 1 of them is outweighed within its line and adds nothing."),
        n => format!("{said}; {n} of them are outweighed within their lines and add nothing."),
    })
}

/// The claim each line holding a direct denial of `j` rests on, by family (`None`: the
/// line's strongest item is a competitor's or a whole's evidence, no claim on the hypothesis
/// itself): traced once per such line, for the Stance column and the confidence sentence.
fn denials_rest_on(
    case: &Case,
    derivation: &Derivation,
    j: &Judgement,
) -> HashMap<FamilyId, Option<ClaimId>> {
    let mut rests_on = HashMap::default();
    for &c in &j.opposing {
        let family = case.source(case.claim(c).source).family;
        rests_on
            .entry(family)
            .or_insert_with(|| trace(derivation, j.actor, family, false).claim);
    }
    rests_on
}

/// The line of claim `c` when that line rests on another item than `c` (`rests_on`: the claim
/// each line rests on, by family): a line counts its strongest item alone (model §6), so that
/// `c` adds nothing to the judgement (set aside, the judgement is the same).
fn outweighed_in(
    case: &Case,
    rests_on: &HashMap<FamilyId, Option<ClaimId>>,
    c: ClaimId,
) -> Option<FamilyId> {
    let family = case.source(case.claim(c).source).family;
    (*rests_on.get(&family)? != Some(c)).then_some(family)
}

/// How many claims the sentence of [`uncited`] names; the rest are counted.
const UNCITED_SHOWN: usize = 20;

/// The sentence closing a report's sources when some claims it counts in its basis
/// ([`basis_sentence`]) are cited nowhere in its text, which cites the claims that carry or
/// would change a judgement: a link a judgement crosses without resting on it, a same-as
/// pair below even chance, a claim on an actor no hypothesis reaches. Each is named, so that
/// every claim counted can be found. `label` writes a claim (its id and source) in the
/// report's syntax; `counted` is [`counted_claims`]. `None` when every one is cited.
pub fn uncited(
    case: &Case,
    counted: &[ClaimId],
    cited: &[ClaimId],
    label: impl Fn(&Claim, &str) -> String,
) -> Option<String> {
    let cited: std::collections::HashSet<ClaimId> = cited.iter().copied().collect();
    let mut left: Vec<ClaimId> = (counted.iter().copied())
        .filter(|c| !cited.contains(c))
        .collect();
    if left.is_empty() {
        return None;
    }
    left.sort_by(|&a, &b| crate::ids::cmp(&case.claim(a).id, &case.claim(b).id));
    let mut named: Vec<String> = (left.iter().take(UNCITED_SHOWN))
        .map(|&c| label(case.claim(c), &case.source(case.claim(c).source).name))
        .collect();
    if left.len() > UNCITED_SHOWN {
        named.push(format!("and {} more", left.len() - UNCITED_SHOWN));
    }
    Some(format!(
        "Counted in the basis above and not cited in the text ({}): {}.",
        plural(left.len(), "claim"),
        named.join(", ")
    ))
}

/// The Traffic Light Protocol label a report carries at its head and foot (`TLP:AMBER+STRICT`),
/// from the markings of the data it was built from ([`Case::tlp`]).
pub fn tlp_label(case: &Case) -> Option<String> {
    case.tlp.map(tlp_word_label)
}

/// `TLP:AMBER+STRICT` for the level `amber+strict`.
pub fn tlp_word_label(level: &str) -> String {
    format!("TLP:{}", level.to_ascii_uppercase())
}

/// "Based on 17 claims from 16 sources.", counted under the scenario (`counted` is
/// [`counted_claims`]), with what the what-if left out when it left anything out. A report of
/// some of the case's incidents counts what bears on them ([`claims_in_scope`]).
pub fn basis_sentence(case: &Case, assessment: &Assessment, counted: &[ClaimId]) -> String {
    let sources_of = |claims: &[ClaimId]| {
        (claims.iter().map(|&c| case.claim(c).source))
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let mut out = format!(
        "Based on {} from {}",
        plural(counted.len(), "claim"),
        plural(sources_of(counted), "source")
    );
    let scope = claims_in_scope(case, assessment);
    if counted.len() < scope.len() {
        // Counted as above: the sources that made claims (a source declared without one is
        // no source of anything), so that "15 of 16" reads as one source gone.
        let (whose, on) = match assessment.count() {
            _ if scope.len() == case.claims.len() => ("the case's", ""),
            1 => ("the", " on this incident and the links between actors"),
            _ => ("the", " on these incidents and the links between actors"),
        };
        out.push_str(&format!(
            " (of {whose} {} from {}{on})",
            plural(scope.len(), "claim"),
            plural(sources_of(&scope), "source")
        ));
    }
    out.push('.');
    out
}

/// What a report says of an incident no claim names anyone for (the table, Markdown and
/// HTML alike).
pub const NO_CLAIM: &str = "No claim names anyone as responsible for this incident yet.";

/// A sentence for an incident that had not begun by the information date and of which no
/// claim had been made: its judgements are the prior's alone, which a reader of a table of
/// "insufficient evidence" would otherwise take for a gap in the evidence. `None` for an
/// incident that had begun, whose start or the date is unknown, or on which a claim had been
/// made all the same (its start may be when it was found; the claims speak for themselves).
pub fn not_begun(
    case: &Case,
    assessment: &Assessment,
    ia: &crate::assess::IncidentAssessment,
) -> Option<String> {
    let as_of = information_date(case, assessment)?;
    let start = case.incident(ia.incident).start?;
    if as_of.latest_day() >= start.earliest_day() {
        // Nearly every incident of a table: decided without reading its derivation.
        return None;
    }
    let d = &ia.derivation;
    let claimed = !d.echoes.is_empty()
        || !d.inert.is_empty()
        || !ia.condemnations.is_empty()
        || (d.fused.values().flat_map(|f| &f.contributions))
            .any(|c| matches!(c.origin, Origin::Direct(_)));
    (!claimed).then(|| {
        format!(
            "As of {as_of} the incident had not begun (it began {start}): no claim on it could \
             have been made yet."
        )
    })
}

/// The date the information is current to under the scenario: the what-if's `--as-of` or the
/// case's, whichever is earlier (an `--as-of` after the case's adds no claim: what is known is
/// the case's).
pub fn information_date(case: &Case, assessment: &Assessment) -> Option<crate::date::Date> {
    match (assessment.scenario.as_of, case.as_of) {
        (Some(what_if), Some(own)) => Some(what_if.min(own)),
        (what_if, own) => what_if.or(own),
    }
}

/// Why each claim of `j.weightless` carries no weight, looked up by claim (the first reason
/// given for it): the evidence table asks of every claim behind the judgement, and a search
/// of the list for each made a judgement on thousands of echoes quadratic.
pub fn weightless_by_claim(j: &Judgement) -> HashMap<ClaimId, Weightless> {
    let mut by_claim = HashMap::with_capacity(j.weightless.len());
    for &(c, why) in &j.weightless {
        by_claim.entry(c).or_insert(why);
    }
    by_claim
}

/// What [`stance`] reads for one judgement's rows, built once for them all: the claims that
/// carry no weight and why, the way from each actor whose evidence reaches it, and the path
/// of each claim that carries a line of evidence for it.
pub struct Ways {
    weightless: HashMap<ClaimId, Weightless>,
    routes: crate::assess::Routes,
    /// The claims each line of support rests on, with the actors its strongest share passed
    /// through (the judged actor left out): the path that sets the line's value, which
    /// "Lines of evidence" names too. The routes are the widest ways over all the evidence,
    /// and a line of one family can pass another way (across a possible alias and a declared
    /// part, rather than up a doubted link).
    carried: HashMap<ClaimId, Vec<EntityId>>,
    /// The trace of each line of support, by family: traced once for the Stance column and
    /// "Lines of evidence" both.
    support: HashMap<FamilyId, crate::assess::Trace>,
    /// The claim each line holding a direct denial rests on ([`denials_rest_on`]).
    denials: HashMap<FamilyId, Option<ClaimId>>,
    /// The claims tied for their line's value ([`Ways::tied`]), by the line, whether it is
    /// for the hypothesis, and the claim.
    tied: std::collections::BTreeSet<(FamilyId, bool, ClaimId)>,
}

/// Adds to `out` the claims `family`'s support `value` at `at` arrives from: a claim on `at`
/// whose share is that value, and, through a part whose line passes it up (a declared part
/// passes it whole, a claimed link discounted), the claims the part's own line value arrives
/// from. Chains are acyclic and bounded (E035, E037).
fn arriving_from(
    derivation: &Derivation,
    at: EntityId,
    family: FamilyId,
    value: f64,
    out: &mut Vec<ClaimId>,
) {
    let Some(fused) = derivation.fused.get(&at) else {
        return;
    };
    for k in &fused.contributions {
        let Some(share) = k.shares.iter().find(|s| s.family == family) else {
            continue;
        };
        if share.r != value {
            continue;
        }
        match k.origin {
            Origin::Direct(c) => out.push(c),
            Origin::Chain { from, .. } => {
                let line = derivation.fused.get(&from).and_then(|f| f.line(family));
                if let Some(l) = line.filter(|l| l.r > 0.0) {
                    arriving_from(derivation, from, family, l.r, out);
                }
            }
            _ => {}
        }
    }
}

/// The claims on `at` whose share in `family`'s line (for it, or against it) is the line's
/// value there, when two or more are: each carries the line as well as the others.
fn tied_at(
    derivation: &Derivation,
    at: EntityId,
    family: FamilyId,
    for_side: bool,
) -> impl Iterator<Item = ClaimId> + '_ {
    let fused = derivation.fused.get(&at);
    let line = fused.and_then(|f| f.line(family));
    let value = line
        .map(|l| if for_side { l.r } else { l.s })
        .filter(|v| *v > 0.0);
    let at_value: Vec<ClaimId> = (fused.iter().flat_map(|f| &f.contributions))
        .filter_map(|k| match k.origin {
            Origin::Direct(c) => {
                let share = k.shares.iter().find(|s| s.family == family)?;
                let weight = if for_side { share.r } else { share.s };
                (Some(weight) == value).then_some(c)
            }
            _ => None,
        })
        .collect();
    let tied = at_value.len() >= 2;
    at_value.into_iter().filter(move |_| tied)
}

impl Ways {
    /// The ways to the judgement `j` of incident `ia`.
    pub fn of(
        case: &Case,
        assessment: &Assessment,
        ia: &crate::assess::IncidentAssessment,
        j: &Judgement,
    ) -> Ways {
        let result = &ia.derivation;
        let lines = result.fused.get(&j.actor).map_or(&[][..], |f| &f.lines[..]);
        let support: HashMap<FamilyId, crate::assess::Trace> = (lines.iter())
            .filter(|l| l.r > 0.0)
            .map(|l| {
                (
                    l.family,
                    crate::assess::trace_line(result, j.actor, l, true),
                )
            })
            .collect();
        let carried = (support.values())
            .filter_map(|t| {
                let path = &t.path[..t.path.len().saturating_sub(1)];
                t.claim.map(|c| (c, path.to_vec()))
            })
            .collect();
        let denials = denials_rest_on(case, result, j);
        // The claims each line's value at the hypothesis arrives from, where two or more do:
        // a line of support through the actors that pass it up, one of denial at the
        // hypothesis itself. In the lines' order, so that the result does not depend on a
        // map's.
        let mut tied = std::collections::BTreeSet::new();
        for l in lines {
            if l.r > 0.0 {
                let mut arriving = Vec::new();
                arriving_from(result, j.actor, l.family, l.r, &mut arriving);
                arriving.sort_unstable();
                arriving.dedup();
                if arriving.len() >= 2 {
                    tied.extend(arriving.into_iter().map(|c| (l.family, true, c)));
                }
            }
            if l.s > 0.0 && denials.get(&l.family).is_some_and(Option::is_some) {
                tied.extend(
                    tied_at(result, j.actor, l.family, false).map(|c| (l.family, false, c)),
                );
            }
        }
        Ways {
            weightless: weightless_by_claim(j),
            routes: assessment.routes(ia, j.actor),
            carried,
            denials,
            support,
            tied,
        }
    }

    /// The line of claim `c` when another item of it weighs exactly as much as `c` where
    /// both stand: the line counts one of them (model §6), which one a matter of order, not
    /// of weight, and setting either aside changes nothing. Neither is outweighed.
    /// (The first such line in the lines' order, for a restatement standing in for claims of
    /// several.)
    pub fn tied(&self, c: ClaimId) -> Option<FamilyId> {
        (self.tied.iter())
            .find(|&&(_, _, k)| k == c)
            .map(|&(f, _, _)| f)
    }

    /// The ids of the other claims tied with `c` for the value of `family`'s line for the
    /// hypothesis (`for_it`) or against it, in id order; empty when `c` is not one of them.
    fn tied_with<'c>(
        &self,
        case: &'c Case,
        c: ClaimId,
        (family, for_it): (FamilyId, bool),
    ) -> Vec<&'c str> {
        if !self.tied.contains(&(family, for_it, c)) {
            return Vec::new();
        }
        let mut others: Vec<&str> = (self.tied.iter())
            .filter(|&&(f, side, k)| f == family && side == for_it && k != c)
            .map(|&(_, _, k)| case.claim(k).id.as_str())
            .collect();
        others.sort_unstable_by(|a, b| crate::ids::cmp(a, b));
        others
    }

    /// The line of evidence of claim `c`, a claim on the hypothesis itself for it or against
    /// it (`denies`), when the line rests on stronger evidence than `c`'s: a line counts its
    /// strongest item alone (model §6), so that `c` adds nothing to the judgement.
    pub fn outweighed(&self, case: &Case, c: ClaimId, denies: bool) -> Option<FamilyId> {
        if self.tied(c).is_some() {
            return None;
        }
        if denies {
            return outweighed_in(case, &self.denials, c);
        }
        let family = case.source(case.claim(c).source).family;
        (self.support.get(&family)?.claim != Some(c)).then_some(family)
    }
}

/// What a claim does for the hypothesis on `j`'s actor, in words ("supports", "opposes",
/// "opposes, as support for a competitor: X", "opposes, through support for: X", "link: X part
/// of Y"), from how its evidence reaches the hypothesis (`bearing`), not only from what it
/// says of its own subject: what lowers the hypothesis begins "opposes", so that a column
/// scanned by its first word reads right. A name follows a colon or stands as a subject, so
/// that none needs an article.
/// A claim on another actor names the way its evidence takes to the hypothesis, when it
/// passes others ("UNC2452 → Turla → FSB, a competitor"): the actor alone read as nonsense
/// where the claim opposed the state behind it through a possible alias's agency.
/// Names are raw: the caller escapes.
pub fn stance(
    case: &Case,
    assessment: &Assessment,
    j: &Judgement,
    ways: &Ways,
    c: ClaimId,
    bearing: Bearing,
) -> String {
    let claim = case.claim(c);
    let w = assessment.claim(c);
    if let Some(why) = ways.weightless.get(&c) {
        // In the table's few words ("echo of something else", "roughly even chance"), not the
        // JSON report's stable word, which is "echo" for both kinds of echo.
        return format!("no weight ({})", why.short());
    }
    match claim.statement {
        Statement::Responsible { actor, .. } if actor == j.actor => {
            let denies = w.denies();
            let word = match (denies, w.r > 0.0) {
                (true, _) => "opposes",
                (false, true) => "supports",
                (false, false) => return "no weight".to_string(),
            };
            match (ways.tied(c), ways.outweighed(case, c, denies)) {
                (Some(f), _) => {
                    format!("{word}, tied within its line: {}", case.families[f.index()])
                }
                (None, Some(f)) => format!(
                    "{word}, outweighed within its line: {}",
                    case.families[f.index()]
                ),
                (None, None) => word.to_string(),
            }
        }
        Statement::Responsible { actor, .. } => {
            stance_through(case, j, ways, (c, actor, w.denies()), bearing)
        }
        Statement::Link { from, to } | Statement::SameAs { a: from, b: to } => {
            format!(
                "link: {} {} {}",
                case.entity(from).name,
                claim.relation.phrase(),
                case.entity(to).name
            )
        }
        Statement::Condemns { .. } => "condemns".to_string(),
    }
}

/// [`stance`] of claim `c` on `actor`, another actor than the hypothesis's, which it reaches
/// through a way [`Ways`] holds; `denies`: whether the claim denies that `actor` did it.
fn stance_through(
    case: &Case,
    j: &Judgement,
    ways: &Ways,
    (c, actor, denies): (ClaimId, EntityId, bool),
    bearing: Bearing,
) -> String {
    let only_supports = !denies && bearing.supports && !bearing.opposes;
    // Support that no line carries to the hypothesis: another item of its line is
    // stronger there (model §6), as the ACH matrix's N says.
    let mut outweighed = None;
    let (way, turn) = match ways.carried.get(&c) {
        Some(path) if !path.is_empty() && only_supports => (path.clone(), None),
        carried => {
            if only_supports && carried.is_none() {
                outweighed = ways.outweighed(case, c, false);
            }
            ways.routes.from(actor, denies)
        }
    };
    let names: Vec<&str> = way.iter().map(|&x| case.entity(x).name.as_str()).collect();
    // Support turned into opposition on the way, where an actor on it competes with a
    // whole of the hypothesis, which passes the opposition down: named there ("APT3 →
    // China, a competitor of Russia → Russian Armed Forces").
    let name = path_words_turning(&names, turn.filter(|_| !denies));
    // The competitor the way ends at, when the way passes others first.
    let last = way.last().filter(|_| way.len() > 1 && turn.is_none());
    let competitor = if last.is_some_and(|x| j.competitors.contains(x)) {
        ", a competitor"
    } else {
        ""
    };
    match (bearing.supports, bearing.opposes) {
        (true, false) => match (ways.tied(c), outweighed) {
            (Some(f), _) => format!(
                "supports, through: {name}; tied within its line: {}",
                case.families[f.index()]
            ),
            (None, Some(f)) => format!(
                "supports, through: {name}; outweighed within its line: {}",
                case.families[f.index()]
            ),
            (None, None) => format!("supports, through: {name}"),
        },
        (false, true) if denies => format!("opposes, through: {name}"),
        (false, true) if j.competitors.contains(&actor) => {
            format!("opposes, as support for a competitor: {name}")
        }
        (false, true) => format!("opposes, through support for: {name}{competitor}"),
        (true, true) => format!("supports and opposes, through: {name}"),
        (false, false) => "no weight".to_string(),
    }
}

/// "this state", "this intrusion set": how a judgement sentence refers to the hypothesis
/// named in its heading, so that no name needs an article.
pub fn this_kind(case: &Case, actor: EntityId) -> String {
    format!("this {}", case.entity(actor).kind.word())
}

/// A writer for serializers that make many small writes (serde_json's pretty printer writes
/// each bracket, comma and indentation on its own): they land in a local buffer through a
/// statically dispatched `write_all`, and reach `out` (a `dyn` writer) in pieces of 1 MiB.
/// Dynamic dispatch per write was a fifth of the JSON report's time. A piece is as large as
/// the binary's output buffers, which pass a write that fills them straight through: smaller
/// pieces were copied a second time, into those buffers, gigabytes of them for a large case.
///
/// Most writes are a few bytes (a bracket, a key, an indentation, a number), and a call to
/// `memcpy` for each was a tenth of the JSON report's time: the buffer is allocated once, with
/// room past a piece for two writes of [`Chunked::SMALL`] bytes, so that a short write is
/// copied inline, in two overlapping moves of a fixed size, and only the piece boundary is
/// ever checked; [`Chunked::pair`] and [`Chunked::quoted`] check it once for two pieces. The
/// layout's line breaks and the report's keys, the most frequent writes of all, are copied
/// from padded constants in one move each whatever their length ([`Chunked::padded`]).
pub(crate) struct Chunked<'a> {
    buf: Box<[u8]>,
    /// Bytes of `buf` in use; always below `piece` between writes (a short write that reaches
    /// it sends out all there is, a piece and a few bytes).
    len: usize,
    out: &'a mut dyn std::io::Write,
    piece: usize,
}

impl<'a> Chunked<'a> {
    const PIECE: usize = 1 << 20;

    /// Writes up to this long are copied inline; the buffer has room past a piece for two,
    /// and the quotes of one.
    const SMALL: usize = 32;

    /// Room in the buffer past a piece: for two short writes and the quotes of one, or two
    /// padded ones ([`Chunked::padded`]).
    const SLACK: usize = 128;

    pub(crate) fn new(out: &'a mut dyn std::io::Write) -> Chunked<'a> {
        Self::with_piece(out, Self::PIECE)
    }

    /// Pieces of `piece` bytes. Pieces at least as large as the binary's output buffer
    /// (1 MiB) pass through it uncopied: for an output of gigabytes (a STIX bundle) that is
    /// one copy of every byte fewer.
    pub(crate) fn with_piece(out: &'a mut dyn std::io::Write, piece: usize) -> Chunked<'a> {
        let piece = piece.max(1);
        Chunked {
            buf: vec![0; piece + Self::SLACK].into_boxed_slice(),
            len: 0,
            out,
            piece,
        }
    }

    /// Writes out what is buffered; dropping a `Chunked` without `finish` loses it.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        self.drain()
    }

    fn drain(&mut self) -> std::io::Result<()> {
        let len = std::mem::take(&mut self.len);
        self.out.write_all(&self.buf[..len])
    }

    /// `bytes`, as `write_all` writes them, inlined.
    #[inline(always)]
    pub(crate) fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if bytes.len() > Self::SMALL {
            return self.write_long(bytes);
        }
        copy_small(&mut self.buf[self.len..], bytes);
        self.len += bytes.len();
        self.end_short()
    }

    /// `a` then `b`, as two writes would put them.
    #[inline(always)]
    pub(crate) fn pair(&mut self, a: &[u8], b: &[u8]) -> std::io::Result<()> {
        if a.len() > Self::SMALL || b.len() > Self::SMALL {
            self.write_long(a)?;
            return self.write_long(b);
        }
        copy_small(&mut self.buf[self.len..], a);
        copy_small(&mut self.buf[self.len + a.len()..], b);
        self.len += a.len() + b.len();
        self.end_short()
    }

    /// The first `a.1` bytes of `a.0`, then the first `b.1` of `b.0`, each copied whole (what
    /// is wanted, then filler the next write covers): one move of a fixed size per piece
    /// whatever its length, which is known only at run time (an indentation), and no branch
    /// on it.
    #[inline(always)]
    pub(crate) fn padded<const A: usize, const B: usize>(
        &mut self,
        a: (&[u8; A], usize),
        b: (&[u8; B], usize),
    ) -> std::io::Result<()> {
        const { assert!(A + B <= Self::SLACK) };
        debug_assert!(a.1 <= A && b.1 <= B);
        self.buf[self.len..self.len + A].copy_from_slice(a.0);
        self.len += a.1;
        self.buf[self.len..self.len + B].copy_from_slice(b.0);
        self.len += b.1;
        self.end_short()
    }

    /// `s` between double quotes.
    #[inline(always)]
    pub(crate) fn quoted(&mut self, s: &[u8]) -> std::io::Result<()> {
        if s.len() > Self::SMALL {
            self.write_long(b"\"")?;
            self.write_long(s)?;
            return self.write_long(b"\"");
        }
        let at = self.len;
        self.buf[at] = b'"';
        copy_small(&mut self.buf[at + 1..], s);
        self.buf[at + 1 + s.len()] = b'"';
        self.len += s.len() + 2;
        self.end_short()
    }

    /// `s` as a JSON string, escaped by [`crate::escape::json`]. Most strings of a report or a
    /// bundle (ids, stamps, labels, names, words) need no escape: those are written as they
    /// are, after a check eight bytes at a time.
    #[inline]
    pub(crate) fn json_str(&mut self, s: &str) -> std::io::Result<()> {
        if !crate::escape::json::needs_escape(s) {
            return self.quoted(s.as_bytes());
        }
        crate::escape::json::write_str(self, s)
    }

    /// After short writes: a piece reached goes out.
    #[inline(always)]
    fn end_short(&mut self) -> std::io::Result<()> {
        if self.len >= self.piece {
            self.drain()?;
        }
        Ok(())
    }

    /// A write longer than [`Self::SMALL`], or one past the end of the piece: whatever fits
    /// in the piece is buffered, and a rest of a piece or more goes out without a copy.
    #[inline(never)]
    fn write_long(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let now = (self.piece - self.len).min(bytes.len());
        self.buf[self.len..self.len + now].copy_from_slice(&bytes[..now]);
        self.len += now;
        if self.len < self.piece {
            return Ok(());
        }
        self.drain()?;
        let rest = &bytes[now..];
        if rest.len() >= self.piece {
            return self.out.write_all(rest);
        }
        self.buf[..rest.len()].copy_from_slice(rest);
        self.len = rest.len();
        Ok(())
    }
}

/// Copies `src` (at most [`Chunked::SMALL`] bytes) to the start of `dst` (at least as long) in
/// moves of a fixed size, the first and last bytes of each range overlapping where the length
/// is not a power of two: what `memcpy` does for short copies, without the call.
#[inline(always)]
fn copy_small(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..n].copy_from_slice(&src[n - 16..]);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..n].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..n].copy_from_slice(&src[n - 4..]);
    } else if n > 0 {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

impl std::io::Write for Chunked<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    /// A copy of any length, in a body small enough to be inlined wherever the writer is
    /// reached (serde_json's serializers write through `&mut Chunked`). The writers of the
    /// reports' own short pieces call [`Chunked::put`], which copies them without a call.
    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let end = self.len + bytes.len();
        if end > self.piece {
            return self.write_long(bytes);
        }
        self.buf[self.len..end].copy_from_slice(bytes);
        self.len = end;
        self.end_short()
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.drain()?;
        self.out.flush()
    }
}

/// Writes `value` as the JSON report is laid out ([`relayout`]), then a line break: for the
/// small documents written through serde (the diff, `check --format json` and `sarif`).
pub(crate) fn write_laid_out<T: serde::Serialize>(
    value: &T,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut compact = Vec::new();
    let mut ser =
        serde_json::Serializer::with_formatter(&mut compact, crate::escape::json::Compact);
    value.serialize(&mut ser)?;
    relayout(&compact, out)?;
    out.write_all(b"\n")
}

/// Lays compact JSON out as the JSON report is laid out ([`Pretty::flat`]): two spaces an
/// indent and a line per value, except that an array or object holding no object is written
/// on one line. For JSON written through serde (the diff), whose layout cannot be decided while
/// streaming: whether a value holds an object is known only at its end. `compact` is JSON as
/// serde_json writes it compactly (no white space outside strings).
pub(crate) fn relayout(compact: &[u8], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let structure = structure(compact);
    let (close, holds_object) = brackets(compact, &structure);
    let line = |out: &mut dyn std::io::Write, depth: usize| -> std::io::Result<()> {
        out.write_all(b"\n")?;
        (0..depth).try_for_each(|_| out.write_all(b"  "))
    };
    let (mut depth, mut from) = (0usize, 0);
    // The end of the array or object being written on one line.
    let mut flat_until: Option<usize> = None;
    for &i in &structure {
        out.write_all(&compact[from..i])?;
        from = i + 1;
        let flat = flat_until.is_some_and(|end| i <= end);
        if !flat {
            flat_until = None;
        }
        match compact[i] {
            b @ (b'{' | b'[') if flat || !holds_object[i] => {
                flat_until = flat_until.or(Some(close[i]));
                out.write_all(&[b])?;
            }
            b @ (b'{' | b'[') => {
                depth += 1;
                out.write_all(&[b])?;
                line(out, depth)?;
            }
            b',' if flat => out.write_all(b", ")?,
            b @ (b'}' | b']') if flat => out.write_all(&[b])?,
            b @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                line(out, depth)?;
                out.write_all(&[b])?;
            }
            b',' => {
                out.write_all(b",")?;
                line(out, depth)?;
            }
            _ => out.write_all(b": ")?,
        }
    }
    out.write_all(&compact[from..])
}

/// Where compact JSON's brackets, commas and colons are: outside its strings.
fn structure(compact: &[u8]) -> Vec<usize> {
    let (mut in_string, mut escaped) = (false, false);
    let mut at = Vec::new();
    for (i, &b) in compact.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'{' | b'[' | b'}' | b']' | b',' | b':' if !in_string => at.push(i),
            _ => {}
        }
    }
    at
}

/// For each opening bracket of compact JSON, where it closes and whether what it opens holds an
/// object (indexed by byte; other bytes' entries mean nothing).
fn brackets(compact: &[u8], structure: &[usize]) -> (Vec<usize>, Vec<bool>) {
    let mut close = vec![0usize; compact.len()];
    let mut holds_object = vec![false; compact.len()];
    let mut open: Vec<usize> = Vec::new();
    for &i in structure {
        match compact[i] {
            b'{' | b'[' => open.push(i),
            b'}' | b']' => {
                let Some(start) = open.pop() else { continue };
                close[start] = i;
                if let Some(&parent) = open.last()
                    && (compact[start] == b'{' || holds_object[start])
                {
                    holds_object[parent] = true;
                }
            }
            _ => {}
        }
    }
    (close, holds_object)
}

/// serde_json's pretty layout (two spaces an indent), with each line break and its
/// indentation written in one piece: `PrettyFormatter` writes the indent a level at a time,
/// and at the depth of a JSON report's lines and contributions those small writes were a
/// tenth of its time. The output is byte for byte `serde_json::to_writer_pretty`'s.
///
/// A writer may ask for one array or object to be written on one line ([`Pretty::flat`]):
/// the JSON report does so for those that hold no object (a sensitivity row, a list of ids),
/// which is easier to read and a quarter fewer bytes than a line per value.
#[derive(Default)]
pub(crate) struct Pretty {
    depth: usize,
    has_value: bool,
    /// The depth of the array or object being written on one line, with everything in it;
    /// 0 when there is none.
    flat_at: usize,
}

impl Pretty {
    /// The layout of a value that stands `depth` levels deep in a larger document written by
    /// pieces (an object of the STIX bundle's `objects` array is at depth 2): its lines are
    /// indented as in the whole document pretty-printed at once.
    pub(crate) fn nested(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
            flat_at: 0,
        }
    }

    /// Writes the next array or object opened, and everything in it, on one line: `[1, 2]`,
    /// `{"a": 1, "b": [2]}`.
    pub(crate) fn flat(&mut self) {
        if self.flat_at == 0 {
            self.flat_at = self.depth + 1;
        }
    }

    fn is_flat(&self) -> bool {
        self.flat_at != 0 && self.depth >= self.flat_at
    }

    /// `,` and a line break, then indentation for up to [`Self::DEEPEST`] levels of nesting,
    /// with room past it for a copy of [`Self::PADDED`] bytes from its second byte.
    const BREAK: &'static [u8; 1 + Self::PADDED] =
        b",\n                                                                       ";

    /// A comma and a space (between the values of a one-line array or object), padded.
    const FLAT: &'static [u8; Self::PADDED] =
        b",                                                                       ";

    /// How many bytes a break is copied in ([`Chunked::padded`]).
    const PADDED: usize = 72;

    /// The deepest nesting whose break is one piece of [`Self::BREAK`]; deeper, the
    /// indentation is written in parts.
    const DEEPEST: usize = 32;

    /// The line break (after a comma if `comma`) and indentation of the next value, when they
    /// are one piece (nesting up to [`Self::DEEPEST`] levels deep), padded for
    /// [`Chunked::padded`]: the bytes to copy and how many of them are the break.
    #[inline(always)]
    pub(crate) fn break_padded(&self, comma: bool) -> Option<(&'static [u8; Self::PADDED], usize)> {
        const { assert!(2 + 2 * Self::DEEPEST <= Self::PADDED) };
        if self.is_flat() {
            return Some((Self::FLAT, if comma { 2 } else { 0 }));
        }
        if self.depth > Self::DEEPEST {
            return None;
        }
        let from = usize::from(!comma);
        let bytes = Self::BREAK[from..from + Self::PADDED]
            .try_into()
            .expect("within the padded break");
        Some((bytes, 2 + 2 * self.depth - from))
    }

    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        if let Some((bytes, len)) = self.break_padded(comma) {
            return w.write_all(&bytes[..len]);
        }
        let from = usize::from(!comma);
        w.write_all(&Self::BREAK[from..2])?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// [`Self::line`] into a [`Chunked`], without a call to copy the break.
    #[inline]
    pub(crate) fn line_into(&self, w: &mut Chunked<'_>, comma: bool) -> std::io::Result<()> {
        match self.break_padded(comma) {
            Some(line) => w.padded(line, (&[], 0)),
            None => self.line(w, comma),
        }
    }

    /// Closes an array or object as [`serde_json::ser::Formatter::end_object`] does, into a
    /// [`Chunked`] without a call to copy the line break.
    pub(crate) fn close_into(
        &mut self,
        w: &mut Chunked<'_>,
        bracket: &[u8; 1],
    ) -> std::io::Result<()> {
        let flat = self.is_flat();
        self.depth -= 1;
        let line = if self.has_value && !flat {
            self.break_padded(false)
        } else {
            // No break: none of the padded bytes.
            Some((Self::FLAT, 0))
        };
        self.end_flat();
        match line {
            // The break and the bracket in two moves of a fixed size.
            Some(line) => w.padded(line, (bracket, 1)),
            None => {
                self.line(w, false)?;
                w.put(bracket)
            }
        }
    }

    /// Ends the one-line array or object when it closes.
    fn end_flat(&mut self) {
        if self.depth < self.flat_at {
            self.flat_at = 0;
        }
    }

    /// Opens an array or object one level deeper.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Closes an array or object, on a line of its own when it held anything.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        let flat = self.is_flat();
        self.depth -= 1;
        if self.has_value && !flat {
            self.line(w, false)?;
        }
        self.end_flat();
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        crate::escape::json::fragment(w, fragment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Side by side, two probabilities take the same decimals: the more of the two.
    #[test]
    fn probabilities_side_by_side_are_written_alike() {
        let pair = |a, b| probabilities_alike(a, b, 2);
        assert_eq!(pair(0.5496, 0.5312), ("0.5496".into(), "0.5312".into()));
        assert_eq!(pair(0.5312, 0.5496), ("0.5312".into(), "0.5496".into()));
        assert_eq!(pair(0.62, 0.41), ("0.62".into(), "0.41".into()));
        let (a, b) = pair(0.94999, 0.949991);
        assert_eq!(a.len(), b.len(), "{a} {b}");
    }

    /// A path up to [`PATH_SHOWN`] steps (13 ids) is written whole; a longer one keeps its
    /// first and last six ids and says how many, two or more, are left out between them.
    #[test]
    fn a_long_path_keeps_its_ends() {
        let ids: Vec<String> = (0..40).map(|i| format!("a{i}")).collect();
        let path = |n: usize| path_words(ids[..n].iter().map(String::as_str));
        assert_eq!(path(1), "a0");
        assert_eq!(path(3), "a0 → a1 → a2");
        assert_eq!(path(13).matches(" → ").count(), 12);
        assert!(!path(13).contains('…'));
        assert_eq!(
            path(14),
            "a0 → a1 → a2 → a3 → a4 → a5 → … 2 more … → a8 → a9 → a10 → a11 → a12 → a13"
        );
        assert_eq!(
            path(40),
            "a0 → a1 → a2 → a3 → a4 → a5 → … 28 more … → a34 → a35 → a36 → a37 → a38 → a39"
        );
    }

    /// The step where support turns into opposition is written as such, and stays in sight
    /// when the middle of a long way is left out, within the same number of ids.
    #[test]
    fn a_long_way_keeps_its_turn() {
        let ids: Vec<String> = (0..40).map(|i| format!("a{i}")).collect();
        let way = |n: usize, k: usize| {
            path_words_turning(
                &ids[..n].iter().map(String::as_str).collect::<Vec<_>>(),
                Some(k),
            )
        };
        assert_eq!(way(3, 1), "a0, a competitor of a1 → a2");
        assert_eq!(
            way(14, 3),
            "a0 → a1 → a2, a competitor of a3 → a4 → a5 → … 2 more … → a8 → a9 → a10 → a11 → a12 → a13"
        );
        assert_eq!(
            way(14, 12),
            "a0 → a1 → a2 → a3 → a4 → a5 → … 2 more … → a8 → a9 → a10 → a11, a competitor of a12 → a13"
        );
        assert_eq!(
            way(40, 20),
            "a0 → a1 → a2 → a3 → a4 → … 14 more … → a19, a competitor of a20 → … 14 more … → a35 → a36 → a37 → a38 → a39"
        );
        // An id alone between two shown is written, not counted.
        assert_eq!(
            way(14, 7),
            "a0 → a1 → a2 → a3 → a4 → a5 → a6, a competitor of a7 → a8 → a9 → a10 → a11 → a12 → a13"
        );
        assert_eq!(
            way(16, 8),
            "a0 → a1 → a2 → a3 → a4 → … 2 more … → a7, a competitor of a8 → … 2 more … → a11 → a12 → a13 → a14 → a15"
        );
        for n in 1..40 {
            for k in 1..n {
                let w = way(n, k);
                assert!(
                    w.contains(&format!("a{}, a competitor of a{k}", k - 1)),
                    "{w}"
                );
                assert!(!w.contains("… 1 more"), "{w}");
                assert!(w.split([',', '→']).count() <= PATH_SHOWN + 3, "{w}");
            }
        }
    }

    /// A citation of a summary whose sentence ends inside its brackets adds no second stop
    /// (`[… was behind the Sony hack.].` read as a slip).
    #[test]
    fn a_summary_that_ends_its_sentence_gets_no_second_stop() {
        assert_eq!(after_summary("[CNN reports the FBI's statement.]"), "");
        assert_eq!(after_summary(" [Is it North Korea?] "), "");
        assert_eq!(
            after_summary("[condemns the attack without naming anyone]"),
            "."
        );
    }

    #[test]
    fn figures_that_round_to_zero_have_no_sign() {
        for (x, d) in [(-0.0, 2), (-1e-17, 2), (-0.004, 2), (-0.0004, 3)] {
            let x = unsigned_zero(x, d);
            assert_eq!(
                format!("{x:.*}", d as usize),
                format!("{:.*}", d as usize, 0.0)
            );
            assert_eq!(
                format!("{x:+.*}", d as usize),
                format!("{:+.*}", d as usize, 0.0)
            );
        }
        assert_eq!(unsigned_zero(-0.006, 2), -0.006);
        assert_eq!(format!("{:+.3}", unsigned_zero(-0.0123, 3)), "-0.012");
    }

    #[test]
    fn changes_keep_their_sign_unless_they_are_noise() {
        assert_eq!(change_figure(-0.000214, 3), "-0.000");
        assert_eq!(change_figure(0.000214, 3), "+0.000");
        assert_eq!(change_figure(-1e-17, 3), "+0.000");
        assert_eq!(change_figure(-0.0, 3), "+0.000");
        assert_eq!(change_figure(0.0, 2), "+0.00");
        assert_eq!(change_figure(-0.0123, 3), "-0.012");
        assert_eq!(change_figure(0.0049, 2), "+0.00");
        assert_eq!(change_figure(0.005, 3), "+0.005");
    }

    #[test]
    fn pretty_writes_what_serde_json_pretty_writes() {
        // Empty and nested arrays and objects, and nesting deeper than the one-piece breaks.
        let mut deep = serde_json::json!({"leaf": [1, {}, []]});
        for k in 0..40 {
            deep = serde_json::json!({"k": k, "inner": [deep, [], {}], "e": {}});
        }
        for value in [serde_json::json!([]), serde_json::json!({}), deep] {
            let mut ours = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut ours, Pretty::default());
            serde::Serialize::serialize(&value, &mut ser).unwrap();
            let theirs = serde_json::to_string_pretty(&value).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), theirs);
        }
    }

    #[test]
    fn relaid_json_is_the_reports_layout_and_the_same_value() {
        let value = serde_json::json!({
            "old": {"name": "a,b: \"c\"", "title": "t"},
            "rows": [{"x": [1, 2], "y": null}, {"z": {}}],
            "empty": [],
            "deep": [[{"a": 1}]],
        });
        let compact = serde_json::to_vec(&value).unwrap();
        let mut out = Vec::new();
        relayout(&compact, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        assert_eq!(
            text,
            "{\n  \"deep\": [\n    [\n      {\"a\": 1}\n    ]\n  ],\n  \"empty\": [],\n  \"old\": {\"name\": \"a,b: \\\"c\\\"\", \"title\": \"t\"},\n  \"rows\": [\n    {\"x\": [1, 2], \"y\": null},\n    {\n      \"z\": {}\n    }\n  ]\n}"
        );
    }

    #[test]
    fn an_uncertainty_above_a_threshold_is_never_printed_on_it() {
        for (u, min, shown) in [
            (0.2048, 2, "0.205"),
            (0.1996, 2, "0.20"),
            (0.2, 2, "0.20"),
            (0.2000004, 2, "0.200001"),
            (0.5049, 2, "0.505"),
            (0.8001, 3, "0.8001"),
            (0.3333, 2, "0.33"),
            (0.2004, 3, "0.2004"),
        ] {
            assert_eq!(uncertainty_digits(u, min), shown, "{u} at {min}");
        }
    }

    #[test]
    fn flat_values_are_written_on_one_line_and_the_rest_as_before() {
        use serde_json::ser::Formatter;
        let mut out = Vec::new();
        let mut f = Pretty::default();
        let w = &mut out;
        f.begin_object(w).unwrap();
        f.begin_object_key(w, true).unwrap();
        w.extend_from_slice(b"\"row\"");
        f.begin_object_value(w).unwrap();
        f.flat();
        f.begin_object(w).unwrap();
        for (i, key) in ["a", "b", "c"].iter().enumerate() {
            f.begin_object_key(w, i == 0).unwrap();
            w.extend_from_slice(format!("\"{key}\"").as_bytes());
            f.begin_object_value(w).unwrap();
            f.begin_array(w).unwrap();
            for k in 0..i {
                f.begin_array_value(w, k == 0).unwrap();
                f.write_u64(w, k as u64).unwrap();
                f.end_array_value(w).unwrap();
            }
            f.end_array(w).unwrap();
            f.end_object_value(w).unwrap();
        }
        f.end_object(w).unwrap();
        f.end_object_value(w).unwrap();
        f.begin_object_key(w, false).unwrap();
        w.extend_from_slice(b"\"next\"");
        f.begin_object_value(w).unwrap();
        f.begin_array(w).unwrap();
        f.begin_array_value(w, true).unwrap();
        f.write_u64(w, 7).unwrap();
        f.end_array_value(w).unwrap();
        f.end_array(w).unwrap();
        f.end_object_value(w).unwrap();
        f.end_object(w).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"row\": {\"a\": [], \"b\": [0], \"c\": [0, 1]},\n  \"next\": [\n    7\n  ]\n}"
        );
    }

    /// Records what reaches the writer behind a [`Chunked`], one entry per `write_all`.
    #[derive(Default)]
    struct Pieces(Vec<Vec<u8>>);

    impl std::io::Write for Pieces {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.push(bytes.to_vec());
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    proptest::proptest! {
        /// Whatever the lengths of the writes (short ones copied inline, long ones around the
        /// piece size), plain, put, in pairs or quoted, the bytes come out whole and in
        /// order, and every piece but the last is a whole piece, so that it passes through
        /// the binary's output buffer uncopied.
        #[test]
        fn chunked_passes_every_byte_on_in_whole_pieces(
            piece in 1usize..100,
            writes in proptest::collection::vec(
                (0u8..5, proptest::prop_oneof![0usize..=40, 0usize..300], 0usize..=40), 0..200),
        ) {
            chunked_round_trip(piece, &writes)?;
        }
    }

    /// The first case the property test above found wrong: a short write that crossed the
    /// boundary of a one-byte piece by more than a piece.
    #[test]
    fn a_short_write_may_cross_several_pieces() {
        chunked_round_trip(1, &[(0, 30, 0), (0, 5, 0)]).unwrap();
        chunked_round_trip(1, &[(3, 30, 0), (1, 20, 32), (2, 32, 0)]).unwrap();
    }

    /// Writes `writes` (how: 0 `write_all`, 1 `pair`, 2 `quoted`, 3 `put`, 4 `padded`; and
    /// lengths) through a [`Chunked`] of pieces of `piece` bytes, and checks what comes out.
    fn chunked_round_trip(
        piece: usize,
        writes: &[(u8, usize, usize)],
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        use std::io::Write;
        let mut sink = Pieces::default();
        let mut expected = Vec::new();
        {
            let mut w = Chunked::with_piece(&mut sink, piece);
            for (k, &(how, n, m)) in writes.iter().enumerate() {
                let a: Vec<u8> = (0..n).map(|i| (k * 31 + i) as u8).collect();
                let b: Vec<u8> = (0..m).map(|i| (k * 17 + i + 7) as u8).collect();
                match how {
                    0 => {
                        w.write_all(&a).unwrap();
                        expected.extend_from_slice(&a);
                    }
                    3 => {
                        w.put(&a).unwrap();
                        expected.extend_from_slice(&a);
                    }
                    1 => {
                        w.pair(&a, &b).unwrap();
                        expected.extend_from_slice(&a);
                        expected.extend_from_slice(&b);
                    }
                    4 => {
                        // Filler past each length, which the next write must cover.
                        let (n, m) = (n.min(72), m.min(32));
                        let mut pa = [0xaa; 72];
                        pa[..n].copy_from_slice(&a[..n]);
                        let mut pb = [0xbb; 32];
                        pb[..m].copy_from_slice(&b[..m]);
                        w.padded((&pa, n), (&pb, m)).unwrap();
                        expected.extend_from_slice(&a[..n]);
                        expected.extend_from_slice(&b[..m]);
                    }
                    _ => {
                        w.quoted(&a).unwrap();
                        expected.push(b'"');
                        expected.extend_from_slice(&a);
                        expected.push(b'"');
                    }
                }
            }
            w.finish().unwrap();
        }
        let written: Vec<u8> = sink.0.concat();
        proptest::prop_assert_eq!(written, expected);
        if let Some((_, whole)) = sink.0.split_last() {
            for p in whole {
                proptest::prop_assert!(p.len() >= piece, "a piece of {} < {}", p.len(), piece);
            }
        }
        Ok(())
    }

    /// The JSON report's own way of laying out (`line_into`, `close_into`) writes what
    /// serde_json's pretty printer writes, at every depth: within the one-piece breaks, where
    /// a break is longer than a short write, and deeper than 32 levels, where it is written in
    /// parts.
    #[test]
    fn breaks_and_closes_into_chunked_are_serde_jsons() {
        use serde_json::ser::Formatter;
        for depth in [1, 15, 16, 17, 32, 33, 40] {
            let mut ours = Vec::new();
            {
                let mut w = Chunked::with_piece(&mut ours, 7);
                let mut f = Pretty::default();
                for _ in 0..depth {
                    f.begin_array(&mut w).unwrap();
                    for (i, x) in [b"1", b"2"].iter().enumerate() {
                        f.line_into(&mut w, i != 0).unwrap();
                        w.put(&x[..]).unwrap();
                        f.end_array_value(&mut w).unwrap();
                    }
                    f.begin_array_value(&mut w, false).unwrap();
                }
                w.put(b"{}").unwrap();
                for _ in 0..depth {
                    f.end_array_value(&mut w).unwrap();
                    f.close_into(&mut w, b"]").unwrap();
                }
                w.finish().unwrap();
            }
            let mut value = serde_json::json!({});
            for _ in 0..depth {
                value = serde_json::json!([1, 2, value]);
            }
            let theirs = serde_json::to_string_pretty(&value).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), theirs, "depth {depth}");
        }
    }

    /// `json_str` writes what `escape::json` writes, through the short path or the long one.
    #[test]
    fn strings_are_written_as_the_json_escape_writes_them() {
        let mut every = String::new();
        for c in (0u32..0x80).chain([0xe9, 0x85, 0x200b, 0x2028, 0x202e, 0x1f600]) {
            every.push(char::from_u32(c).unwrap());
        }
        for s in [
            "",
            "plain",
            "a\"b",
            "back\\slash",
            "tab\tin",
            "\u{7f}é",
            "Act\u{202e}or",
            &every,
            &"x".repeat(40),
        ] {
            let mut ours = Vec::new();
            let mut w = Chunked::new(&mut ours);
            w.json_str(s).unwrap();
            w.finish().unwrap();
            let mut theirs = Vec::new();
            crate::escape::json::write_str(&mut theirs, s).unwrap();
            assert_eq!(ours, theirs, "{s:?}");
            let read: String = serde_json::from_slice(&ours).unwrap();
            assert_eq!(read, s);
        }
    }

    #[test]
    fn probabilities_at_a_band_edge_say_which_side() {
        assert_eq!(
            probability_text(0.7996),
            "P = 0.7996, just below the 80 % edge"
        );
        assert_eq!(
            probability_text(0.797),
            "P = 0.797, just below the 80 % edge"
        );
        assert_eq!(probability_text(0.8), "P = 0.80");
        assert_eq!(probability_text(0.8031), "P = 0.80");
        assert_eq!(probability_text(0.71), "P = 0.71");
        assert_eq!(
            probability_text(0.0496),
            "P = 0.0496, just below the 5 % edge"
        );
    }

    #[test]
    fn bare_figures_never_print_an_edge_p_is_below() {
        assert_eq!(probability_figure(0.798), "0.798");
        assert_eq!(probability_figure(0.7996), "0.7996");
        assert_eq!(probability_figure(0.8), "0.80");
        assert_eq!(probability_figure(0.93), "0.93");
        assert_eq!(probability_figure(0.549), "0.549");
        assert_eq!(probability_figure(0.7999999), "0.799999");
        assert_eq!(probability_figure(0.0499999), "0.049999");
        assert_eq!(probability_digits(0.79996, 3), "0.79996");
        assert_eq!(probability_digits(0.8504, 3), "0.850");
        // Beyond the ends of the scale, as many decimals as show it beyond them.
        assert_eq!(probability_digits(0.994, 2), "0.994");
        assert_eq!(probability_digits(0.9996, 3), "0.9996");
        assert_eq!(probability_digits(0.006, 2), "0.006");
        assert_eq!(probability_digits(0.0004, 3), "0.0004");
        assert_eq!(probability_digits(0.985, 2), "0.98");
        assert_eq!(probability_digits(0.99, 2), "0.99");
        assert_eq!(
            probability_text(0.994),
            "P = 0.994, above the top band's 99 %"
        );
        assert_eq!(
            probability_text(0.006),
            "P = 0.006, below the bottom band's 1 %"
        );
    }
}
