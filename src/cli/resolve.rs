//! Names given on the command line (ids, names, aliases) resolved against the case, with a
//! suggestion when a name is close to one the case has.

use super::Failure;
use super::args::WhatIfArgs;
use attrib::assess::{Aside, Scenario};
use attrib::diagnostic::did_you_mean;
use attrib::model::{
    Case, ClaimId, Entity, EntityId, Incident, IncidentId, Reliability, Statement,
};
use attrib::terms::Grade;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Turns what-if arguments into a scenario, resolving every id. An `--as-of` after the case's
/// own `as_of` gets a note: the case holds nothing made later, so the report is as of the
/// case's date whatever the header says.
pub fn scenario(case: &Case, args: &WhatIfArgs) -> Result<Scenario, Failure> {
    if let (Some(asked), Some(own)) = (args.as_of, case.as_of)
        && own.wholly_before(asked)
    {
        let _ = writeln!(
            std::io::stderr(),
            "note: --as-of {asked} is after the case's as_of ({own}): no claim in it was made \
             later, so this is what was known on {own}"
        );
    }
    let s = scenario_in(case, args, false)?;
    // A source whose id also names its line of evidence: say how to set the line aside.
    for id in &args.without {
        let id = id.trim();
        if let Some(SetAside::Source(_)) = set_aside(case, id)
            && let Some(line) = family_sources(case, id).filter(|l| l.len() > 1)
        {
            let _ = writeln!(
                std::io::stderr(),
                "note: --without {id} sets aside source {id}; its line of evidence `{id}` has \
                 {} sources: `--without family:{id}` sets them all aside",
                line.len()
            );
        }
    }
    note_rereadings(case, &s);
    note_incoherent_prior(case, &s);
    Ok(s)
}

/// `--prior P` gives every hypothesis the base rate P, those of an exclusive set too: when
/// theirs add up to more than 1, the what-if holds more than certainty that one of them did
/// it before any evidence, as a file's priors would (W114). Said once, for the largest set.
fn note_incoherent_prior(case: &Case, s: &Scenario) {
    let Some(prior) = s.prior else {
        return;
    };
    let Some(set) = (case.exclusive.iter()).max_by_key(|set| set.members.len()) else {
        return;
    };
    // To two decimals, without trailing zeros: 1.5, 0.33.
    let short = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let n = set.members.len();
    if prior * n as f64 <= 1.0 + 1e-9 {
        return;
    }
    let _ = writeln!(
        std::io::stderr(),
        "note: --prior {prior} gives each of the {n} competing hypotheses on `{}` that prior, \
         {} together: more than certainty that one of them did it before any evidence (W114 \
         in a file); a prior of 1/{n} ({}) or less keeps them coherent",
        attrib::escape::terminal::text(&case.incident(set.incident).id),
        short(prior * n as f64),
        short(1.0 / n as f64),
    );
}

/// Why claim `c` is out of the what-if other than with its line, if it is: `--without` names
/// it or its source, or `--as-of` cuts it (made later, or undated).
fn why_gone(case: &Case, s: &Scenario, c: ClaimId) -> Option<String> {
    let id = attrib::escape::terminal::text(&case.claim(c).id);
    match s.aside(case, c)? {
        Aside::Claim | Aside::Source => Some(format!("--without sets claim {id} aside")),
        // Said where its line's restatements are: they are echoes of it.
        Aside::Line => None,
        Aside::Undated { cut } => Some(format!(
            "claim {id} is undated, and --as-of {cut} counts only dated claims"
        )),
        Aside::MaybeAfter { date, cut } => Some(format!(
            "claim {id} is dated {date}, which may be after --as-of {cut} (a claim counts when \
             made by then for certain)"
        )),
        Aside::After { date, cut } => {
            Some(format!("claim {id} was made {date}, after --as-of {cut}"))
        }
    }
}

/// Notes on claims the what-if both re-reads and sets aside, or re-reads where they are
/// echoes: what the re-reading does there (or that it does nothing).
fn note_rereadings(case: &Case, s: &Scenario) {
    // A claim both set aside and re-read: the re-reading bears only on what a restatement
    // standing in for it may carry (model §6), and on nothing when nothing restates it or it
    // went with its line (whose restatements are echoes).
    let why_gone = |c: ClaimId| why_gone(case, s, c);
    let gone = |c: ClaimId| why_gone(c).is_some();
    let mut restating: BTreeMap<ClaimId, Vec<ClaimId>> = BTreeMap::new();
    if (s.restated.keys().chain(s.confidences.keys())).any(|&c| gone(c)) {
        for x in case.claim_ids() {
            for &o in &case.claim(x).derived_from {
                restating.entry(o).or_default().push(x);
            }
        }
    }
    // Whether a restatement the scenario admits, at any remove, may stand in for `c`: `c` an
    // original (a stand-in is held to its chain's roots) and the restatement saying the same.
    let restated = |c: ClaimId| {
        if !case.claim(c).derived_from.is_empty() {
            return false;
        }
        let said = case.claim(c).statement;
        let mut stack = vec![c];
        let mut seen = BTreeSet::from([c]);
        while let Some(x) = stack.pop() {
            if x != c && s.admits(case, x) && case.claim(x).statement.same_as(said) {
                return true;
            }
            for &r in restating.get(&x).into_iter().flatten() {
                if seen.insert(r) {
                    stack.push(r);
                }
            }
        }
        false
    };
    let reread = s.restated.keys().map(|&c| (c, "--restate"));
    for (c, flag) in reread.chain(s.confidences.keys().map(|&c| (c, "--confidence"))) {
        let id = attrib::escape::terminal::text(&case.claim(c).id);
        if s.line_aside(case, c) {
            let _ = writeln!(
                std::io::stderr(),
                "note: {flag} {id} changes nothing: --without sets claim {id} aside"
            );
        } else if let Some(why) = why_gone(c) {
            let _ = if restated(c) {
                writeln!(
                    std::io::stderr(),
                    "note: {flag} {id} bears only on what restates it: {why}, and a \
                     restatement standing in for it carries no more than {id} would carry as \
                     re-read"
                )
            } else {
                writeln!(
                    std::io::stderr(),
                    "note: {flag} {id} changes nothing: {why}"
                )
            };
        } else if s.is_echo(case, c) {
            let counted = if s.without_families.is_empty() {
                "counted instead"
            } else {
                "counted instead or set aside with their line of evidence"
            };
            let _ = writeln!(
                std::io::stderr(),
                "note: {flag} {id} leaves the judgements as they are: {id} restates claims \
                 {counted}, and weighs only in the stead of one set aside (as in the rows of \
                 the sensitivity table that set them aside)"
            );
        }
    }
}

/// Like [`scenario`]; when `lenient`, an id this case lacks is passed over rather than an
/// error (`diff` applies one what-if to two versions, and a claim may be in only one).
pub fn scenario_in(case: &Case, args: &WhatIfArgs, lenient: bool) -> Result<Scenario, Failure> {
    let mut s = Scenario::default();
    for id in &args.without {
        let id = id.trim();
        match set_aside(case, id) {
            Some(SetAside::Claim(c)) => {
                s.without_claims.insert(c);
            }
            Some(SetAside::Source(src)) => {
                s.without_sources.insert(src);
            }
            Some(SetAside::Line(family)) => {
                s.without_families.insert(family);
            }
            None if lenient => {}
            None => return Err(unknown_without(case, id)),
        }
    }
    regrades(case, args, lenient, &mut s)?;
    for r in &args.restate {
        if let Some(id) = stated_claim(case, "--restate", &r.claim, lenient)?
            && s.restated.insert(id, (r.likelihood.clone(), r.p)).is_some()
        {
            return Err(twice("--restate", &r.claim, "claim"));
        }
    }
    for c in &args.confidence {
        if let Some(id) = stated_claim(case, "--confidence", &c.claim, lenient)?
            && s.confidences.insert(id, c.level).is_some()
        {
            return Err(twice("--confidence", &c.claim, "claim"));
        }
    }
    s.as_of = args.as_of;
    s.prior = args.prior;
    Ok(s)
}

/// What `--grade NAME=…` grades in a case: a source by its id, else every source of a line of
/// evidence (a `family`) by its name; `family:NAME` names a family whose name is also a
/// source's id (as `--without` takes them, [`set_aside`]).
pub enum Graded {
    Source(attrib::model::SourceId),
    Line(Vec<attrib::model::SourceId>),
}

/// What `--grade NAME=…` names in `case` ([`Graded`]).
pub fn graded(case: &Case, name: &str) -> Option<Graded> {
    let name = name.trim();
    if let Some(line) = name.strip_prefix("family:") {
        return family_sources(case, line).map(Graded::Line);
    }
    (case.find_source(name).map(Graded::Source))
        .or_else(|| family_sources(case, name).map(Graded::Line))
}

/// `--grade` into `s` ([`graded`]): a line of evidence's grade applies to each of its sources
/// under what a source's own `--grade` says, since one line often holds sources an analyst
/// trusts alike (`--grade us-gov=C`) and one of them otherwise (`--grade fbi=B`).
fn regrades(
    case: &Case,
    args: &WhatIfArgs,
    lenient: bool,
    s: &mut Scenario,
) -> Result<(), Failure> {
    let mut by_line = std::collections::BTreeMap::new();
    for g in &args.grade {
        let name = g.source.trim();
        match graded(case, name) {
            Some(Graded::Source(sid)) => {
                if s.grades.insert(sid, Reliability::Grade(g.grade)).is_some() {
                    return Err(twice("--grade", name, "source"));
                }
            }
            Some(Graded::Line(sources)) => {
                if by_line.insert(sources.clone(), g.grade).is_some() {
                    return Err(twice("--grade", name, "line of evidence"));
                }
            }
            None if lenient => {}
            None => return Err(unknown_grade(case, name, g.grade)),
        }
    }
    for (sources, grade) in by_line {
        for sid in sources {
            s.grades.entry(sid).or_insert(Reliability::Grade(grade));
        }
    }
    Ok(())
}

/// `--grade name=…` naming nothing in `case`: the nearest source or line; with `family:`,
/// only lines were looked for, and the hint keeps the prefix.
fn unknown_grade(case: &Case, name: &str, grade: Grade) -> Failure {
    let families = case.families.iter().map(String::as_str);
    if let Some(line) = name.strip_prefix("family:") {
        let hint = did_you_mean(line, families).replacen('`', "`family:", 1);
        return Failure::usage(format!(
            "--grade {name}={grade}: no line of evidence (`family`) has the name `{line}`{hint}"
        ));
    }
    let hint = did_you_mean(
        name,
        case.sources.iter().map(|s| s.id.as_str()).chain(families),
    );
    Failure::usage(format!(
        "--grade {name}={grade}: no source or line of evidence (`family`) `{name}`{hint}"
    ))
}

/// A what-if given twice for one claim or source, which would otherwise keep the last
/// silently.
fn twice(flag: &str, id: &str, what: &str) -> Failure {
    Failure::usage(format!(
        "{flag} {id}=… is given twice: give each {what} one {flag}"
    ))
}

/// What `--without ID` sets aside in a case.
pub enum SetAside {
    Claim(ClaimId),
    Source(attrib::model::SourceId),
    /// A line of evidence: a dependence family, whose sources' claims count once between them,
    /// so that setting one aside alone may change nothing. What restates its claims is set
    /// aside with it ([`attrib::assess::Scenario::without_families`]).
    Line(attrib::model::FamilyId),
}

/// What `--without id` names in `case`: a claim, else a source, else a family by its name;
/// `family:NAME` names a family whose name is also a source's id.
pub fn set_aside(case: &Case, id: &str) -> Option<SetAside> {
    let id = id.trim();
    if let Some(name) = id.strip_prefix("family:") {
        return case.find_family(name).map(SetAside::Line);
    }
    case.find_claim(id)
        .map(SetAside::Claim)
        .or_else(|| case.find_source(id).map(SetAside::Source))
        .or_else(|| case.find_family(id).map(SetAside::Line))
}

/// `--without id` naming nothing in `case`: the nearest id, or what `id` is when it names an
/// actor, group or incident.
fn unknown_without(case: &Case, id: &str) -> Failure {
    if let Some(name) = id.trim().strip_prefix("family:") {
        let hint = did_you_mean(name, case.families.iter().map(String::as_str));
        return Failure::usage(format!(
            "--without {id}: no line of evidence (`family`) has the name `{name}`{}",
            hint.replacen("`", "`family:", 1)
        ));
    }
    let candidates = case
        .claims
        .iter()
        .map(|c| c.id.as_str())
        .chain(case.sources.iter().map(|s| s.id.as_str()))
        .chain(case.families.iter().map(String::as_str));
    let hint = did_you_mean(id, candidates);
    // An actor, group or incident is what claims are about, not evidence to set aside.
    let what = if case.find_entity(id).is_some() {
        Some("an actor or group")
    } else {
        case.find_incident(id).map(|_| "an incident")
    };
    let hint = match what {
        Some(what) if hint.is_empty() => format!(
            "; `{id}` is {what}, not evidence: --without sets aside a claim, a source or a line \
             of evidence (`attrib explain --actor` lists the claims behind an actor)"
        ),
        _ => hint,
    };
    Failure::usage(format!(
        "--without {id}: no claim, source or line of evidence (`family`) has this id{hint}"
    ))
}

/// The sources of dependence family `name` (a line of evidence), when a family has that name
/// (a source without a `family` has one of its own, named after it).
pub fn family_sources(case: &Case, name: &str) -> Option<Vec<attrib::model::SourceId>> {
    let sources: Vec<_> = case.family_sources(case.find_family(name)?).collect();
    (!sources.is_empty()).then_some(sources)
}

/// The claim a what-if names; `None` when `lenient` and this case lacks it.
fn claim(case: &Case, flag: &str, id: &str, lenient: bool) -> Result<Option<ClaimId>, Failure> {
    match case.find_claim(id) {
        Some(c) => Ok(Some(c)),
        None if lenient => Ok(None),
        None => {
            let hint = did_you_mean(id, case.claims.iter().map(|c| c.id.as_str()));
            Err(Failure::usage(format!(
                "{flag} {id}=…: no claim has the id `{id}`{hint}"
            )))
        }
    }
}

/// [`claim`] for a what-if that changes how sure a claim was, which a condemnation never says:
/// it names no one, and has no likelihood to restate.
fn stated_claim(
    case: &Case,
    flag: &str,
    id: &str,
    lenient: bool,
) -> Result<Option<ClaimId>, Failure> {
    let found = claim(case, flag, id, lenient)?;
    if let Some(c) = found
        && let Statement::Condemns { incident } = case.claim(c).statement
    {
        return Err(Failure::usage(format!(
            "{flag} {id}=…: claim `{id}` condemns {} without naming anyone, so it has no \
             likelihood or confidence to change; name a claim that attributes, links or denies",
            case.incident(incident).id
        )));
    }
    Ok(found)
}

/// The incident `--incident` names, if any.
pub fn incident(case: &Case, name: Option<&str>) -> Result<Option<IncidentId>, Failure> {
    match name {
        None => Ok(None),
        Some(n) => case.find_incident(n).map(Some).ok_or_else(|| {
            let hint = match case.find_entity(n) {
                Some(e) => format!(
                    "; `{}` is an actor or group, not an incident",
                    case.entity(e).id
                ),
                None => hint(n, &case.incidents, Incident::spellings, |i| &i.id),
            };
            Failure::usage(format!(
                "--incident {n}: no incident has this id, name or alias{hint}"
            ))
        }),
    }
}

/// The actor or group `--actor` names.
pub fn actor(case: &Case, name: &str) -> Result<EntityId, Failure> {
    case.find_entity(name).ok_or_else(|| {
        // Another kind of thing of that name: said, with the option that takes it.
        let hint = if let Some(i) = case.find_incident(name) {
            format!(
                "; `{}` is an incident: give it with --incident",
                case.incident(i).id
            )
        } else if let Some(s) = case.find_source(name) {
            format!(
                "; `{}` is a source, which has no judgement of its own: `--without {}` sets it \
                 aside",
                case.source(s).id,
                case.source(s).id
            )
        } else if let Some(c) = case.find_claim(name) {
            format!(
                "; `{}` is a claim: `--without {}` sets it aside",
                case.claim(c).id,
                case.claim(c).id
            )
        } else {
            hint(name, &case.entities, Entity::spellings, |e| &e.id)
        };
        Failure::usage(format!(
            "--actor {name}: no actor or group has this id, name or alias{hint}"
        ))
    })
}

/// What to say after "no incident (or actor) has this id, name or alias": the one item some
/// spelling of which begins with `name` (`sony` for `sony-2014`, also named "Sony Pictures";
/// `park` for `park-jin-hyok` rather than the near `DPRK`); else the nearest spelling the case
/// accepts, as `check` suggests them; else, in a case of a few, their ids.
fn hint<'c, T, S: Iterator<Item = &'c str>>(
    name: &str,
    items: &'c [T],
    spellings: impl Fn(&'c T) -> S,
    id: impl Fn(&'c T) -> &'c str,
) -> String {
    // From three characters on, as `suggest` guesses.
    let lower = name.trim().to_lowercase();
    let begun: Vec<&T> = match lower.chars().count() {
        0..3 => Vec::new(),
        _ => (items.iter())
            .filter(|&t| spellings(t).any(|s| s.to_lowercase().starts_with(&lower)))
            .collect(),
    };
    if let [one] = begun.as_slice() {
        return format!("; did you mean `{}`?", id(one));
    }
    let near = did_you_mean(name, items.iter().flat_map(&spellings));
    match near.is_empty() {
        false => near,
        true if (1..=8).contains(&items.len()) => {
            let ids: Vec<String> = items.iter().map(|t| format!("`{}`", id(t))).collect();
            format!("; the case has {}", ids.join(", "))
        }
        _ => String::new(),
    }
}
