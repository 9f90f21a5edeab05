//! Which judgements moved between two versions of a case, and why.
//!
//! A case under version control is revised as claims arrive; a reviewer's first question of a
//! revision is which judgements moved and what moved them. [`diff`] answers it in three steps:
//!
//! 1. **Structural changes.** The two versions are matched by id — actors and groups,
//!    incidents, sources, claims, listed hypotheses (by incident and actor) and exclusive sets
//!    (by incident and members) — on their *resolved* form, so that naming an actor by an alias
//!    instead of its id is no change. Each item added, removed or changed is one [`Change`],
//!    with the fields that changed.
//! 2. **Judgements.** Both versions are assessed under the same what-if scenario; a hypothesis
//!    *moved* when its likelihood word or confidence level changed or its P moved by more than
//!    `min_delta`, and it *appeared* or *disappeared* when only one version judges it.
//! 3. **Attribution.** Each change is applied alone to the old version (with the declarations
//!    it cannot stand without: a new claim's new source, say) and the case re-assessed; its
//!    part of a move is the P it gives minus the old P. Evidence fuses non-linearly, so the
//!    parts need not add up to the move; the remainder is reported, and flagged when large.
//!
//! Everything here is plain data; [`crate::report::diff`] renders it.

mod reach;
mod rename;

use crate::assess::{Assessment, Scenario, assess, assess_only};
use crate::format::CaseFile;
use crate::load::Loaded;
use crate::model::{Case, ClaimId, Entity, EntityId, IncidentId, SourceId, Statement};
use crate::terms::{Confidence, IcdTerm};
use crate::validate::validate;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// A part of a move smaller than this is no part: floating-point noise, not evidence.
const NO_EFFECT: f64 = 1e-9;

/// An item of a case, by what identifies it across versions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// The case's own fields that no judgement feels: title, description, analyst, `as_of`,
    /// TLP.
    Case,
    /// The case's default prior.
    Prior,
    /// An actor or group, by id.
    Entity(String),
    /// An incident, by id.
    Incident(String),
    /// A source, by id.
    Source(String),
    /// A claim, by id.
    Claim(String),
    /// A listed hypothesis: incident id, actor id.
    Hypothesis(String, String),
    /// An exclusive set: incident id and member ids sorted (a valid file declares a set
    /// once, E020).
    Exclusive(String, Vec<String>),
}

impl Key {
    /// What kind of item, in words.
    pub fn kind(&self, version: &Case) -> &'static str {
        match self {
            Key::Case => "case",
            Key::Prior => "prior",
            Key::Entity(id) => (version.entities.iter())
                .find(|e| &e.id == id)
                .map_or("actor", |e| e.kind.declared_as()),
            Key::Incident(_) => "incident",
            Key::Source(_) => "source",
            Key::Claim(_) => "claim",
            Key::Hypothesis(..) => "hypothesis",
            Key::Exclusive(..) => "exclusive set",
        }
    }

    /// The item's name in reports: `d7`, `albania-2022/iran`, `albania-2022: iran, insider`.
    pub fn id(&self) -> String {
        match self {
            Key::Case => String::new(),
            Key::Prior => "prior".to_string(),
            Key::Entity(id) | Key::Incident(id) | Key::Source(id) | Key::Claim(id) => id.clone(),
            Key::Hypothesis(i, a) => format!("{i}/{a}"),
            Key::Exclusive(i, m) => format!("{i}: {}", m.join(", ")),
        }
    }
}

/// Whether an item was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// In the new version only.
    Added,
    /// In the old version only.
    Removed,
    /// In both, with fields that differ.
    Changed,
}

impl Op {
    /// `+`, `-`, `~`.
    pub fn sign(self) -> char {
        match self {
            Op::Added => '+',
            Op::Removed => '-',
            Op::Changed => '~',
        }
    }
}

/// One field of a changed item: its old and new values, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's name as in the file (`likelihood`, `reliability`).
    pub field: &'static str,
    /// Its value in the old version (`None`: unset).
    pub old: Option<String>,
    /// Its value in the new version (`None`: unset).
    pub new: Option<String>,
    /// For a list (aliases, references, `derived_from`): the entries only the new version
    /// holds, and those only the old one does, each sorted; empty for other fields. A long
    /// list joined whole hides an entry added in its middle.
    pub added: Vec<String>,
    /// For a list: the entries only the old version holds, sorted.
    pub removed: Vec<String>,
}

/// One structural change between the versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Added, removed or changed.
    pub op: Op,
    /// Which item.
    pub key: Key,
    /// `claim`, `source`, `actor`, `group`, `incident`, `hypothesis`, `exclusive set`, `prior`.
    pub kind: &'static str,
    /// What the item is, in words (a claim's statement and likelihood, a source's name).
    pub summary: String,
    /// For a changed item, the fields that changed.
    pub fields: Vec<FieldChange>,
    /// Other changes that had to be applied with this one for the old version to stay a valid
    /// case (indices into [`CaseDiff::changes`]): a new claim's new source or actor, the claims
    /// that named a removed actor.
    pub requires: Vec<usize>,
    /// Claims the new item restates that the old version lacks and that make its statement
    /// (indices into [`CaseDiff::changes`]). Applied alone, the restatement stands in for
    /// them, as it does when they are set aside (`docs/model.md` §6): they are added for their
    /// families and set aside.
    pub stands_in_for: Vec<usize>,
    /// Every new claim added with the item only to be set aside: those it stands in for, the
    /// ones it restates that say something else, and what those restate in turn (the
    /// version must hold what each restates).
    pub sets_aside: Vec<usize>,
    /// Claims the new item restates that the old version lacks and the what-if sets aside
    /// with their line of evidence: applied alone, the restatement is an echo of them and
    /// carries nothing in their stead (`docs/model.md` §6).
    pub restates_aside: Vec<usize>,
    /// Why the change could not be measured alone, when it could not.
    pub unmeasured: Option<String>,
    /// For an actor or group removed, the one it was merged into: the one of the new version
    /// that one of its spellings names now (vendors' clusters are merged so, Dark Halo into
    /// UNC2452, its name kept as an alias, and "removed" alone reads as a group found not to
    /// exist). For one added, the one it was split from: the one of the old version that one
    /// of its spellings named. Only an actor or group both versions hold.
    pub regrouped: Option<Regrouped>,
}

/// The other actor or group a spelling of one removed or added names in the other version
/// ([`Change::regrouped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regrouped {
    /// The other's id.
    pub other: String,
    /// The other's name.
    pub name: String,
    /// The spelling (id, name or alias) of the one removed or added that names the other.
    pub spelling: String,
}

/// A hypothesis as judged in one version.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    /// Projected probability.
    pub p: f64,
    /// The likelihood term (`None`: insufficient evidence).
    pub term: Option<IcdTerm>,
    /// Confidence in the judgement.
    pub confidence: Confidence,
    /// The base rate its P starts from.
    pub prior: f64,
    /// The likelihood rests mostly on the base rate (`prior × u` outweighs belief and
    /// disbelief: the assessment table's `*`).
    pub mostly_prior: bool,
}

impl Side {
    /// The likelihood term as reports word it, "insufficient evidence" when there is none.
    pub fn term_word(&self) -> &'static str {
        self.term.map_or("insufficient evidence", IcdTerm::word)
    }
}

/// How a hypothesis differs between the versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Judged in both versions, differently.
    Moved,
    /// Judged in the new version only.
    Appeared,
    /// Judged in the old version only.
    Disappeared,
}

/// One change's part in a hypothesis's move: the judgement with that change alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Index into [`CaseDiff::changes`].
    pub change: usize,
    /// P with the change alone minus the old P.
    pub delta_p: f64,
    /// The judgement with the change alone (`None`: no longer judged).
    pub alone: Option<Side>,
    /// For a claim added, changed or removed that links the hypothesis's actor up to another:
    /// that other's id. A link carries support up and opposition down (model §5), so a link
    /// up from an actor moves it only by its whole's opposition, more of it or less: said,
    /// since "sandworm operated by gru" lowering Sandworm reads as a contradiction otherwise.
    pub down_from: Option<String>,
    /// The ids of the members of an exclusive set holding the hypothesis that the change alone
    /// moves the other way (raises, when it lowers the hypothesis). Support for one member of
    /// a set counts against the others (model §5b), so a claim for a competitor moves the
    /// hypothesis without bearing on it.
    pub competitors: Vec<String>,
}

/// A hypothesis whose judgement moved, appeared or disappeared.
#[derive(Debug, Clone, PartialEq)]
pub struct HypothesisDiff {
    /// The incident's id.
    pub incident: String,
    /// The actor's or group's id.
    pub actor: String,
    /// The actor's name (in the new version when it has one).
    pub name: String,
    /// Moved, appeared or disappeared.
    pub status: Status,
    /// The judgement in the old version (`None`: not judged there).
    pub old: Option<Side>,
    /// The judgement in the new version (`None`: not judged there).
    pub new: Option<Side>,
    /// `new.p − old.p`; a side that does not judge the hypothesis counts at the other side's
    /// base rate (with no evidence, P is the prior).
    pub delta_p: f64,
    /// The changes that move it alone, largest move first.
    pub parts: Vec<Part>,
    /// `delta_p` minus the sum of the parts: what no change explains alone.
    pub residual: f64,
    /// The changes interact: the residual is more than `min_delta` and more than a tenth of
    /// the move.
    pub interacting: bool,
    /// When they interact, or no change moves it alone: the changed claims behind the
    /// hypothesis (in either version), measured alone, that move it only with others, so have
    /// no part (indices into [`CaseDiff::changes`]).
    pub together: Vec<usize>,
    /// What the changes in `together` do applied together to the old version, without the
    /// other changes, as a part of the move; `None` when there are none, or when they cannot
    /// be applied without the others. Ranked beside the parts, it says how much of the move
    /// they carry between them, which none of them shows alone.
    pub together_part: Option<Together>,
    /// When they interact, or no change moves it alone: the changes to it (its actor or group)
    /// or to the claims and sources behind it that could not be measured alone
    /// ([`Change::unmeasured`]), whose part in the move no figure gives.
    pub unmeasured: Vec<usize>,
}

/// The changes that move a hypothesis only with others, applied together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Together {
    /// The hypothesis's P with them applied, minus its P in the old version.
    pub delta_p: f64,
    /// Its judgement with them applied (`None`: not judged).
    pub alone: Option<Side>,
}

/// The judgement diff of two versions of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDiff {
    /// The old version's title.
    pub old_title: String,
    /// The new version's title.
    pub new_title: String,
    /// The TLP level (`amber`) a report of the diff carries: the more restrictive of the two
    /// versions' ([`Case::tlp`]), since it quotes both.
    pub tlp: Option<&'static str>,
    /// The what-if changes in force on both sides, in words.
    pub what_if: Vec<String>,
    /// A hypothesis whose term and confidence stay counts as moved only when its P moves by
    /// more than this.
    pub min_delta: f64,
    /// Every structural change: by kind (prior, actors and groups, incidents, sources, claims,
    /// hypotheses, exclusive sets), then id.
    pub changes: Vec<Change>,
    /// Hypotheses that moved, appeared or disappeared: by incident (in the order reports list
    /// them: by start), then largest move first, then actor id.
    pub hypotheses: Vec<HypothesisDiff>,
    /// How many hypotheses both versions judge alike.
    pub unchanged: usize,
}

impl CaseDiff {
    /// Whether any judgement moved, appeared or disappeared.
    pub fn moved(&self) -> bool {
        !self.hypotheses.is_empty()
    }

    /// The actor or group that `actor`, removed, was merged into, or, added, was split from
    /// ([`Change::regrouped`]).
    pub fn regrouped(&self, actor: &str) -> Option<&Regrouped> {
        (self.changes.iter())
            .filter(|c| matches!(&c.key, Key::Entity(id) if id == actor))
            .find_map(|c| c.regrouped.as_ref())
    }
}

/// The ids of the sources and claims renamed from `old` to `new` (`docs/diff.md`), old and
/// new, as [`diff`] applies them (none when the old version read with the new ids is no valid
/// case): a diff compares under the new ids, so that a what-if naming a source or a claim by
/// its old id can be told to name it by its new one.
pub fn renamed_ids(old: &Loaded, new: &Case) -> Vec<(String, String)> {
    (rename::aligned(old, new).1.into_iter())
        .filter(|r| matches!(r.kind, rename::Kind::Source | rename::Kind::Claim))
        .map(|r| (r.old, r.new))
        .collect()
}

/// Compares two versions of a case. `scenario` resolves the what-ifs against one version (the
/// old, the new, and each old version with one change applied); ids a version lacks are
/// passed over.
pub fn diff(
    old: &Loaded,
    new: &Loaded,
    scenario: &dyn Fn(&Case) -> Scenario,
    min_delta: f64,
) -> CaseDiff {
    diff_on(old, new, scenario, min_delta, None)
}

/// [`diff`], with the judgements on one incident only (by its id) when `incident` is given:
/// the changes are still every change between the versions.
pub fn diff_on(
    old: &Loaded,
    new: &Loaded,
    scenario: &dyn Fn(&Case) -> Scenario,
    min_delta: f64,
    incident: Option<&str>,
) -> CaseDiff {
    diff_measured(old, new, scenario, min_delta, incident, Measure::Reached)
}

/// Says of a hypothesis listed in one version alone that the other judges it all the same,
/// from its claims: listing one (as a STIX import of attrib's judgements does) neither adds
/// nor removes a judgement, and "+ hypothesis" beside "unchanged" would read as one.
fn judged_unlisted(
    mut changes: Vec<Change>,
    old: &BTreeMap<(String, String), Side>,
    new: &BTreeMap<(String, String), Side>,
) -> Vec<Change> {
    for c in changes.iter_mut() {
        let Key::Hypothesis(incident, actor) = &c.key else {
            continue;
        };
        let (other, said) = match c.op {
            Op::Added => (old, " (listed; judged from its claims before)"),
            Op::Removed => (new, " (no longer listed; still judged from its claims)"),
            Op::Changed => continue,
        };
        if other.contains_key(&(incident.clone(), actor.clone())) {
            c.summary.push_str(said);
        }
    }
    changes
}

/// Which incidents a change applied alone is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// Those it can move ([`reach::Reach::of`]).
    Reached,
    /// Every incident: what [`Measure::Reached`] is tested against.
    #[cfg(test)]
    Every,
}

/// [`diff_on`], measuring each change as `measure` says. Items renamed are compared under
/// their new ids: the old version is read with them ([`rename`]), and `incident` named by
/// its old id is the renamed one.
fn diff_measured(
    old: &Loaded,
    new: &Loaded,
    scenario: &dyn Fn(&Case) -> Scenario,
    min_delta: f64,
    incident: Option<&str>,
    measure: Measure,
) -> CaseDiff {
    let (renamed, renames) = rename::aligned(old, &new.case);
    let old = renamed.as_ref().unwrap_or(old);
    let incident = incident.map(|i| rename::new_id(&renames, rename::Kind::Incident, i));
    let on = |judged: BTreeMap<(String, String), Side>| match incident {
        Some(i) => judged.into_iter().filter(|((x, _), _)| x == i).collect(),
        None => judged,
    };
    let (old_items, new_items) = (items(&old.file, &old.case), items(&new.file, &new.case));
    let (old_ids, new_ids) = (Ids::of(&old.case), Ids::of(&new.case));
    let mut changes = changes((&old_ids, &new_ids), &old_items, &new_items, &renames);
    let old_parts = Parts::of(&old.case, &old_items);
    let measured = Measured {
        versions: ((old, new), (&old_items, &new_items)),
        ids: (&old_ids, &new_ids),
        parts: &old_parts,
        scenario,
        measure,
        reach: reach::Reach::new([&old_ids, &new_ids]),
    };
    let alone = measure_alone(&measured, &mut changes);
    let old_assessment = assess(&old.case, scenario(&old.case));
    let new_assessment = assess(&new.case, scenario(&new.case));
    let full_old = judged(&old.case, &old_assessment);
    let full_new = judged(&new.case, &new_assessment);
    // Noted of the whole case: a change listed is listed whatever incident the diff is on.
    changes = judged_unlisted(changes, &full_old, &full_new);
    let (assessed_old, assessed_new) = (on(full_old), on(full_new));
    let (mut hypotheses, unchanged) = moved_judgements(
        (&old_ids, &new_ids),
        &assessed_old,
        &assessed_new,
        (&changes, &alone),
        min_delta,
    );
    name_together(
        (&old_ids, &new_ids),
        (&old_assessment, &new_assessment),
        (&changes, &alone),
        scenario,
        &mut hypotheses,
    );
    measured.each_together(&changes, &mut hypotheses);
    CaseDiff {
        old_title: old.case.title.clone(),
        new_title: new.case.title.clone(),
        tlp: shared_tlp(&old.case, &new.case),
        what_if: what_if_lines(old, new, scenario),
        min_delta,
        changes,
        hypotheses,
        unchanged,
    }
}

/// For each hypothesis whose changes interact, or that no change moves alone: the changed
/// claims behind it (in either version), and re-graded sources of them, that move it only with
/// others ([`HypothesisDiff::together`]).
fn name_together(
    (old_ids, new_ids): (&Ids<'_>, &Ids<'_>),
    (old_assessment, new_assessment): (&Assessment, &Assessment),
    (changes, alone): (&[Change], &[Alone]),
    scenario: &dyn Fn(&Case) -> Scenario,
    hypotheses: &mut [HypothesisDiff],
) {
    // Changes applied only with others (a new claim's new source), named with them already.
    let required: BTreeSet<usize> = changes
        .iter()
        .flat_map(|c| c.requires.iter().copied())
        .collect();
    let mut new_restatements: Option<NewRestatements<'_>> = None;
    for h in (hypotheses.iter_mut()).filter(|h| h.interacting || h.parts.is_empty()) {
        let mut behind = claims_behind(old_ids, old_assessment, h);
        behind.extend(claims_behind(new_ids, new_assessment, h));
        let own = Key::Entity(h.actor.to_string());
        h.unmeasured = (changes.iter().enumerate())
            .filter(|(_, c)| c.unmeasured.is_some() && (c.key == own || behind.contains(&c.key)))
            .map(|(i, _)| i)
            .collect();
        let candidates: Vec<usize> = (changes.iter().enumerate())
            .filter(|(i, c)| {
                // Measured alone (wording, notes and URLs cannot move anything and are not):
                // a claim behind it, or the source of one (a re-grade).
                alone[*i].is_some()
                    && matches!(&c.key, Key::Claim(_) | Key::Source(_))
                    && behind.contains(&c.key)
                    && !required.contains(i)
                    && !h.parts.iter().any(|p| p.change == *i)
            })
            .map(|(i, _)| i)
            .collect();
        let added = |i: &usize| changes[*i].op == Op::Added;
        let idle = if candidates.iter().any(added) {
            idle_in_new(new_ids, scenario(new_ids.case), h)
        } else {
            BTreeSet::new()
        };
        let idle_added = (candidates.iter())
            .filter(|i| added(i) && idle.contains(&changes[**i].key))
            .map(|&i| &changes[i].key);
        let alike = alike_groups(new_ids, new_assessment, idle_added);
        h.together = (candidates.into_iter())
            .filter(|i| {
                let key = &changes[*i].key;
                if !(added(i) && idle.contains(key)) {
                    return true;
                }
                let restatements = new_restatements
                    .get_or_insert_with(|| NewRestatements::of(new_ids, changes, scenario));
                restatements.stood_in_for(new_ids, h, key)
                    || (alike.get(key))
                        .is_some_and(|(c, group)| restatements.tied(new_ids, h, *c, group))
            })
            .collect();
    }
}

/// The claims the new version adds, and the new version ready to judge again with some set
/// aside: what tells a new claim idle only because a new restatement stands in for it
/// ([`NewRestatements::stood_in_for`]). Made once per diff, when first needed.
struct NewRestatements<'a> {
    replays: crate::assess::Replays<'a>,
    added: HashSet<ClaimId>,
}

impl<'a> NewRestatements<'a> {
    fn of(
        new_ids: &Ids<'a>,
        changes: &[Change],
        scenario: &dyn Fn(&Case) -> Scenario,
    ) -> NewRestatements<'a> {
        let case = new_ids.case;
        let added = (changes.iter())
            .filter(|c| c.op == Op::Added)
            .filter_map(|c| match &c.key {
                Key::Claim(id) => new_ids.claims.get(id.as_str()).copied(),
                _ => None,
            })
            .collect();
        NewRestatements {
            replays: crate::assess::Replays::new(case, scenario(case)),
            added,
        }
    }

    /// Whether a claim the new version adds, which set aside there leaves `h` as it is, was
    /// idle only because claims the new version also adds restate it (down chains of
    /// restatements) and stand in for it: the DOJ's complaint and Treasury's designation
    /// repeating it, both new, are one piece of news, and the original is the one to name.
    /// Measured as the claim's own part once those restatements are set aside (without them,
    /// against without them and the claim), so that it is not credited with what a
    /// restatement carries of its own or stands in for elsewhere. Each measure is the
    /// incident's alone, with removals, as sensitivity replays them.
    fn stood_in_for(&self, new_ids: &Ids<'_>, h: &HypothesisDiff, key: &Key) -> bool {
        let Key::Claim(id) = key else {
            return false;
        };
        let (Some(&c), Some((i, e))) = (new_ids.claims.get(id.as_str()), new_ids.judged(h)) else {
            return false;
        };
        let mut aside = vec![crate::assess::Removal::Claim(c)];
        let mut seen = HashSet::from_iter([c]);
        let mut queue = vec![c];
        while let Some(x) = queue.pop() {
            for &r in new_ids.restated_by.get(&x).into_iter().flatten() {
                if self.added.contains(&r) && seen.insert(r) {
                    aside.push(crate::assess::Removal::Claim(r));
                    queue.push(r);
                }
            }
        }
        if aside.len() == 1 {
            return false;
        }
        let judged = |removed: &[_]| self.replays.judged(i, e, removed);
        // The claim is first in `aside`: the restatements alone are the rest.
        judged(&aside[1..]) != judged(&aside)
    }

    /// Whether claim `c`, which the new version adds and which set aside there leaves `h` as
    /// it is, would move it with the claims alike with it set aside too ([`alike_groups`]):
    /// then they carry a line together and each is named, measured as [`Self::stood_in_for`]
    /// measures (without the others, against without them all). A claim alike in weight but
    /// on what does not reach `h` moves nothing either way and is not named.
    fn tied(&self, new_ids: &Ids<'_>, h: &HypothesisDiff, c: ClaimId, group: &[ClaimId]) -> bool {
        let Some((i, e)) = new_ids.judged(h) else {
            return false;
        };
        use crate::assess::Removal::Claim;
        let judged = |removed: &[_]| self.replays.judged(i, e, removed);
        let others: Vec<_> = (group.iter())
            .filter(|&&o| o != c)
            .map(|&o| Claim(o))
            .collect();
        let all: Vec<_> = group.iter().map(|&o| Claim(o)).collect();
        judged(&others) != judged(&all)
    }
}

/// The most claims alike that [`alike_groups`] weighs together: each is measured by a replay
/// of its incident, and a feed's thousand identical claims would take a thousand.
const MAX_ALIKE: usize = 64;

/// Of the claims the new version adds that are idle there (`idle`), those that stand in groups
/// as strong as each other on one line (one family, the same evidence once discounted), each
/// with its group: the White House's and the NSA's attributions, both new and both "very
/// likely" with high confidence on the US government's line, leave the line as it is each
/// without the other, yet carry it together. Groups of one, and of more than [`MAX_ALIKE`],
/// are left out.
fn alike_groups<'k>(
    new_ids: &Ids<'_>,
    assessment: &Assessment,
    idle: impl Iterator<Item = &'k Key>,
) -> HashMap<&'k Key, (ClaimId, Rc<[ClaimId]>)> {
    let mut alike: BTreeMap<_, Vec<(&Key, ClaimId)>> = BTreeMap::new();
    for key in idle {
        let Key::Claim(id) = key else { continue };
        let Some(&c) = new_ids.claims.get(id.as_str()) else {
            continue;
        };
        let w = assessment.claim(c);
        let weight = (w.family, w.r.to_bits(), w.s.to_bits());
        alike.entry(weight).or_default().push((key, c));
    }
    let mut out = HashMap::default();
    for group in alike.into_values() {
        if !(2..=MAX_ALIKE).contains(&group.len()) {
            continue;
        }
        let claims: Rc<[ClaimId]> = group.iter().map(|&(_, c)| c).collect();
        for (key, c) in group {
            out.insert(key, (c, Rc::clone(&claims)));
        }
    }
    out
}

/// What measuring changes applied to the old version needs.
struct Measured<'a> {
    versions: ((&'a Loaded, &'a Loaded), (&'a Items, &'a Items)),
    ids: (&'a Ids<'a>, &'a Ids<'a>),
    parts: &'a Parts<'a>,
    scenario: &'a dyn Fn(&Case) -> Scenario,
    measure: Measure,
    reach: reach::Reach<'a>,
}

impl Measured<'_> {
    /// The old version with the changes `apply` names applied, validated, and the incidents
    /// they can move (`None`: every incident, or every one is measured, [`Measure::Every`]).
    fn applied(
        &self,
        apply: &BTreeSet<Key>,
    ) -> (crate::validate::Validated, Option<BTreeSet<String>>) {
        let reached = match self.measure {
            Measure::Reached => self.reach.of(apply),
            #[cfg(test)]
            Measure::Every => None,
        };
        let validated = applied(
            self.versions,
            apply,
            reached.as_ref(),
            (self.ids, self.parts),
        );
        (validated, reached)
    }

    /// What the changes that move each hypothesis only with others do applied together, as
    /// its [`HypothesisDiff::together_part`]; each set of changes applied once, since an
    /// incident's hypotheses often share one.
    fn each_together(&self, changes: &[Change], hypotheses: &mut [HypothesisDiff]) {
        let mut joint: BTreeMap<Vec<usize>, Option<Judged>> = BTreeMap::new();
        for h in (hypotheses.iter_mut()).filter(|h| h.together.len() > 1) {
            let judged = (joint.entry(h.together.clone()))
                .or_insert_with(|| self.together(changes, &h.together));
            h.together_part = judged.as_ref().and_then(|j| together_part(j, h));
        }
    }

    /// The old version with the changes of `group` applied together, each with what it
    /// requires and what it stands in for (as [`measure_alone`] applies one), judged; `None`
    /// when they cannot be applied without the other changes.
    fn together(&self, changes: &[Change], group: &[usize]) -> Option<Judged> {
        let with = |k: usize| {
            let c = &changes[k];
            std::iter::once(k)
                .chain(c.requires.iter().copied())
                .chain(c.sets_aside.iter().copied())
        };
        let apply: BTreeSet<Key> = (group.iter())
            .flat_map(|&k| with(k))
            .map(|k| changes[k].key.clone())
            .collect();
        let (validated, reached) = self.applied(&apply);
        let case = validated.case?;
        let mut s = (self.scenario)(&case);
        for &k in group.iter().flat_map(|&k| &changes[k].sets_aside) {
            if let Key::Claim(id) = &changes[k].key
                && let Some(c) = case.find_claim(id)
            {
                s.without_claims.insert(c);
            }
        }
        Some(judged_alone(&case, s, reached))
    }
}

/// The part the changes of `h.together`, judged together (`judged`), play in its move; `None`
/// when its incident was not assessed with them, since they reach nothing there.
fn together_part(judged: &Judged, h: &HypothesisDiff) -> Option<Together> {
    let key = (h.incident.clone(), h.actor.clone());
    let side = judged.side(&key)?;
    // As [`moved_judgements`] measures the move: from the prior where the old version does
    // not judge it, and to it where the changes leave it unjudged.
    let base = h.old.or(h.new).map_or(0.5, |s| s.prior);
    let old_p = h.old.map_or(base, |s| s.p);
    Some(Together {
        delta_p: side.map_or(base, |s| s.p) - old_p,
        alone: side,
    })
}

/// The TLP level a diff of `old` and `new` is shared as: the more restrictive of theirs.
fn shared_tlp(old: &Case, new: &Case) -> Option<&'static str> {
    use crate::stix::markings::Tlp;
    let levels = [old.tlp, new.tlp].into_iter().flatten();
    levels.filter_map(Tlp::parse).max().map(Tlp::word)
}

/// Each item of a version by its exact id. The diff looks up every item of both versions, and
/// every judgement that moved, by id: a search of the case for each made it quadratic in the
/// case's size (more than a minute for five changes to a case of 10^5 claims).
struct Ids<'a> {
    case: &'a Case,
    entities: HashMap<&'a str, EntityId>,
    incidents: HashMap<&'a str, IncidentId>,
    sources: HashMap<&'a str, SourceId>,
    claims: HashMap<&'a str, ClaimId>,
    /// The id of the actor or group, else the incident, each spelling names as
    /// [`Case::find_entity`] and [`Case::find_incident`] find them (the first in the file):
    /// read for every item taken from the new version, where a search of every name made a
    /// diff of many changes to a large case quadratic.
    spelled: HashMap<String, &'a str>,
    /// Each source's claims, by [`SourceId`].
    by_source: Vec<Vec<ClaimId>>,
    /// The claims that restate each claim.
    restated_by: HashMap<ClaimId, Vec<ClaimId>>,
}

impl<'a> Ids<'a> {
    fn of(case: &'a Case) -> Ids<'a> {
        fn by_id<'a, T, I>(
            items: &'a [T],
            id: impl Fn(&'a T) -> &'a str,
            make: impl Fn(u32) -> I,
        ) -> HashMap<&'a str, I> {
            (items.iter().enumerate())
                .map(|(i, x)| (id(x), make(i as u32)))
                .collect()
        }
        let mut by_source = vec![Vec::new(); case.sources.len()];
        let mut restated_by: HashMap<ClaimId, Vec<ClaimId>> = HashMap::default();
        for (i, c) in case.claims.iter().enumerate() {
            let id = ClaimId(i as u32);
            by_source[c.source.0 as usize].push(id);
            for &origin in &c.derived_from {
                restated_by.entry(origin).or_default().push(id);
            }
        }
        let entities = (case.entities.iter()).flat_map(|e| e.spellings().map(|s| (s, &e.id)));
        let incidents = (case.incidents.iter()).flat_map(|x| x.spellings().map(|s| (s, &x.id)));
        let mut spelled: HashMap<String, &str> = HashMap::default();
        for (s, id) in entities.chain(incidents) {
            spelled
                .entry(crate::model::name_key(s).into_owned())
                .or_insert(id);
        }
        Ids {
            case,
            spelled,
            entities: by_id(&case.entities, |e| e.id.as_str(), EntityId),
            incidents: by_id(&case.incidents, |x| x.id.as_str(), IncidentId),
            sources: by_id(&case.sources, |x| x.id.as_str(), SourceId),
            claims: by_id(&case.claims, |x| x.id.as_str(), ClaimId),
            by_source,
            restated_by,
        }
    }

    fn entity(&self, id: &str) -> Option<&'a Entity> {
        self.entities.get(id).map(|&e| self.case.entity(e))
    }

    /// The incident and the actor of a hypothesis in this version, when it has both.
    fn judged(&self, h: &HypothesisDiff) -> Option<(IncidentId, EntityId)> {
        Some((
            *self.incidents.get(&*h.incident)?,
            *self.entities.get(&*h.actor)?,
        ))
    }
}

/// The structural changes between the versions, in report order, a renamed item's new id
/// among its changed fields (the old version is read with the new ids, [`rename`]); what each
/// requires and measures is filled in by [`measure_alone`].
fn changes(
    (old, new): (&Ids<'_>, &Ids<'_>),
    old_items: &Items,
    new_items: &Items,
    renames: &[rename::Rename],
) -> Vec<Change> {
    let mut changes = Vec::new();
    let renamed = renamed_keys(renames);
    let keys: BTreeSet<&Key> = old_items.keys().chain(new_items.keys()).collect();
    for key in keys {
        let (op, fields, summary) = match (old_items.get(key), new_items.get(key)) {
            (Some(_), None) => (Op::Removed, Vec::new(), summary(old, key)),
            (None, Some(_)) => (Op::Added, Vec::new(), summary(new, key)),
            (Some(was), Some(is)) => {
                let mut fields = compare((old, was), (new, is), key);
                if let Some(r) = renamed.get(key) {
                    let id = FieldChange {
                        field: "id",
                        old: Some(r.old.clone()),
                        new: Some(r.new.clone()),
                        added: Vec::new(),
                        removed: Vec::new(),
                    };
                    fields.insert(0, id);
                }
                if fields.is_empty() {
                    continue;
                }
                (Op::Changed, fields, summary(new, key))
            }
            (None, None) => continue,
        };
        let kind = match op {
            Op::Removed => key.kind(old.case),
            _ => key.kind(new.case),
        };
        let regrouped = match (op, key) {
            (Op::Removed, Key::Entity(id)) => regrouped(old, new, id),
            (Op::Added, Key::Entity(id)) => regrouped(new, old, id),
            _ => None,
        };
        changes.push(Change {
            op,
            key: key.clone(),
            kind,
            summary,
            fields,
            requires: Vec::new(),
            stands_in_for: Vec::new(),
            sets_aside: Vec::new(),
            restates_aside: Vec::new(),
            unmeasured: None,
            regrouped,
        });
    }
    changes.sort_by(|a, b| {
        order(&a.key)
            .cmp(&order(&b.key))
            .then_with(|| match (&a.key, &b.key) {
                // Items of a kind by id in natural order (`ids::cmp`): claim d4 before d10.
                (Key::Entity(x), Key::Entity(y))
                | (Key::Incident(x), Key::Incident(y))
                | (Key::Source(x), Key::Source(y))
                | (Key::Claim(x), Key::Claim(y)) => crate::ids::cmp(x, y),
                (x, y) => x.cmp(y),
            })
    });
    changes
}

/// Each renamed item by its key in the new version.
fn renamed_keys(renames: &[rename::Rename]) -> BTreeMap<Key, &rename::Rename> {
    (renames.iter())
        .map(|r| {
            let key = match r.kind {
                rename::Kind::Entity => Key::Entity(r.new.clone()),
                rename::Kind::Incident => Key::Incident(r.new.clone()),
                rename::Kind::Source => Key::Source(r.new.clone()),
                rename::Kind::Claim => Key::Claim(r.new.clone()),
            };
            (key, r)
        })
        .collect()
}

/// The actor or group of version `there` that a spelling of the actor or group `id` of
/// version `here` (its id, its name, then its aliases) names, other than itself, when both
/// versions hold it: a group divided between two new ones, or two merged into a new one, is
/// neither merged into nor split from a group the other version lacks.
fn regrouped(here: &Ids<'_>, there: &Ids<'_>, id: &str) -> Option<Regrouped> {
    let item = here.entity(id)?;
    item.spellings().find_map(|spelling| {
        let &other = there.spelled.get(&*crate::model::name_key(spelling))?;
        let other = there.entity(other)?;
        here.entity(&other.id)?;
        (other.id != item.id).then(|| Regrouped {
            other: other.id.clone(),
            name: other.name.clone(),
            spelling: spelling.to_owned(),
        })
    })
}

/// The what-ifs in force, in words. One reads alike in both versions unless it names what
/// only one has (a source of a family in one version alone): then each version's reading is
/// said as its own.
fn what_if_lines(old: &Loaded, new: &Loaded, scenario: &dyn Fn(&Case) -> Scenario) -> Vec<String> {
    let new_lines = crate::report::scenario_lines(&new.case, &scenario(&new.case));
    let old_lines = crate::report::scenario_lines(&old.case, &scenario(&old.case));
    let mut what_if: Vec<String> = Vec::new();
    for line in &new_lines {
        if old_lines.contains(line) {
            what_if.push(line.clone());
        } else {
            what_if.push(format!("in the new version, {line}"));
        }
    }
    for line in old_lines.iter().filter(|l| !new_lines.contains(l)) {
        what_if.push(format!("in the old version, {line}"));
    }
    what_if
}

/// Fills in what each change requires and stands in for, and returns the judgements of the old
/// version with each change applied alone (`None` when it moves nothing or cannot be applied
/// alone, in which case the change says why).
///
/// Changes of claims, hypotheses and exclusive sets that reach disjoint incidents are applied
/// to one copy of the old version together and judged once, each read on its own incidents:
/// an incident's judgements are propagated from nothing the others touch
/// ([`reach::Reach::of`]), so each reads there what it reads applied alone. A diff of thousands of such changes to a large
/// case then judges a few copies, not one per change. Where the copy fails validation, each
/// is applied alone, as any other change is.
fn measure_alone(m: &Measured<'_>, changes: &mut [Change]) -> Vec<Alone> {
    let applies = requirements_of_each(m, changes);
    let mut alone: Vec<Alone> = (0..changes.len()).map(|_| None).collect();
    for batch in batched(m, &applies) {
        // A batch that is no valid case leaves its changes to be applied alone, below.
        measure_batch(m, (changes, &applies), batch, &mut alone);
    }
    // Every change that moves something and was not measured in a batch, in order.
    let single: Vec<usize> = (0..changes.len())
        .filter(|&i| applies[i].is_some() && alone[i].is_none())
        .collect();
    for i in single {
        let to = applies[i].as_ref().expect("a change measured");
        let (validated, reached) = m.applied(&to.apply);
        match validated.case {
            Some(case) => {
                let mut s = (m.scenario)(&case);
                set_aside(&ClaimsById::of(&case), &mut s, changes, i, &to.restated);
                alone[i] = Some(judged_alone(&case, s, reached));
            }
            None => {
                let why = validated
                    .diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or_else(
                        || "the result is no valid case".to_string(),
                        |d| d.message.clone(),
                    );
                changes[i].unmeasured = Some(format!("applied alone, {why}"));
            }
        }
    }
    alone
}

/// Changes applied to one copy of the old version together: the incidents they reach, and
/// each change with the incidents it reaches (disjoint from the others').
struct Batch {
    on: BTreeSet<String>,
    members: Vec<(usize, BTreeSet<String>)>,
}

/// The changes that can be measured together, in batches of changes reaching disjoint
/// incidents (each in the first batch it fits; a batch of one is applied alone). Left out,
/// to be applied alone: changes of anything but claims, hypotheses, exclusive sets, actors
/// and groups, and those that may reach any incident (an actor or group spelled otherwise).
fn batched(m: &Measured<'_>, applies: &[Option<ToApply>]) -> Vec<Batch> {
    let mut batches: Vec<Batch> = Vec::new();
    for (i, apply) in applies.iter().enumerate() {
        let Some(ToApply { apply, .. }) = apply else {
            continue;
        };
        // Not an incident's own change: its names are what the old items copied with the
        // others resolve by, and two such changes could pass a spelling between them (an
        // actor's or group's reaches every incident when its spellings change).
        let batchable = (apply.iter()).all(|k| {
            matches!(
                k,
                Key::Claim(_) | Key::Hypothesis(..) | Key::Exclusive(..) | Key::Entity(_)
            )
        });
        let reached = match m.measure {
            Measure::Reached if batchable => m.reach.of(apply),
            _ => None,
        };
        // A change reaching no incident (a link among actors no incident names) is applied
        // alone: whether it leaves a valid case is its own, which another change beside it
        // in the copy could hide (two links closing a circle between them).
        let Some(reached) = reached.filter(|r| !r.is_empty()) else {
            continue;
        };
        match (batches.iter_mut()).find(|b| b.on.is_disjoint(&reached)) {
            Some(b) => {
                b.on.extend(reached.iter().cloned());
                b.members.push((i, reached));
            }
            None => batches.push(Batch {
                on: reached.clone(),
                members: vec![(i, reached)],
            }),
        }
    }
    batches.retain(|b| b.members.len() > 1);
    batches
}

/// Applies the changes of `batch` together and gives each its judgements on the incidents it
/// reaches; nothing when the copy is no valid case.
fn measure_batch(
    m: &Measured<'_>,
    (changes, applies): (&mut [Change], &[Option<ToApply>]),
    batch: Batch,
    alone: &mut [Alone],
) {
    let to = |i: usize| applies[i].as_ref().expect("a change measured");
    let apply: BTreeSet<Key> = (batch.members.iter())
        .flat_map(|&(i, _)| to(i).apply.iter().cloned())
        .collect();
    let validated = applied(m.versions, &apply, Some(&batch.on), (m.ids, m.parts));
    let Some(case) = validated.case else {
        return;
    };
    let mut s = (m.scenario)(&case);
    let claims = ClaimsById::of(&case);
    for &(i, _) in &batch.members {
        set_aside(&claims, &mut s, changes, i, &to(i).restated);
    }
    let judged = judged_alone(&case, s, Some(batch.on));
    // Each judgement to the change whose incident it is on.
    let mut sides: Vec<BTreeMap<(String, String), Side>> =
        vec![BTreeMap::new(); batch.members.len()];
    let whose: BTreeMap<&String, usize> = (batch.members.iter().enumerate())
        .flat_map(|(k, (_, reached))| reached.iter().map(move |x| (x, k)))
        .collect();
    for (key, side) in judged.sides {
        if let Some(&k) = whose.get(&key.0) {
            sides[k].insert(key, side);
        }
    }
    for ((i, reached), sides) in batch.members.into_iter().zip(sides) {
        alone[i] = Some(Judged {
            sides,
            only: Some(reached),
        });
    }
}

/// How a change is applied alone: the items of the new version taken into the old, and the
/// changes whose new claims it restates.
struct ToApply {
    apply: BTreeSet<Key>,
    restated: Vec<usize>,
}

/// What each change needs with it and what it stands in for, filled in; and how each is
/// applied alone (`None` when it moves nothing).
fn requirements_of_each(m: &Measured<'_>, changes: &mut [Change]) -> Vec<Option<ToApply>> {
    let ((old, new), (old_items, new_items)) = m.versions;
    let index: BTreeMap<Key, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key.clone(), i))
        .collect();
    let old_refs = references(&old.case, old_items);
    let new_refs = references(&new.case, new_items);
    // Which old items refer to each: looked up for every removal, where a scan of every
    // reference made a diff removing many items quadratic.
    let mut old_referrers: BTreeMap<&Key, Vec<&Key>> = BTreeMap::new();
    for (other, refs) in &old_refs {
        for (r, _) in refs {
            old_referrers.entry(r).or_default().push(other);
        }
    }
    let mut applies = Vec::with_capacity(changes.len());
    for i in 0..changes.len() {
        let (closure, shadows) = requirements(i, changes, &index, &old_referrers, &new_refs);
        let apply: BTreeSet<Key> = closure
            .iter()
            .chain(&shadows)
            .map(|&k| changes[k].key.clone())
            .collect();
        changes[i].requires = closure.into_iter().filter(|&k| k != i).collect();
        let restated = restated_by_change(m.ids.1, &changes[i], &index);
        changes[i].stands_in_for = (shadows.iter().copied())
            .filter(|k| restated.get(k) == Some(&true))
            .collect();
        changes[i].sets_aside = shadows;
        applies.push((!inert(&changes[i])).then(|| ToApply {
            apply,
            restated: restated.keys().copied().collect(),
        }));
    }
    applies
}

/// A case's claims by id, indexed when first asked: a copy measuring thousands of changes
/// together sets aside claims of many, where a search of every claim for each was most of a
/// large diff's time.
struct ClaimsById<'a> {
    case: &'a Case,
    index: std::cell::OnceCell<HashMap<&'a str, ClaimId>>,
}

impl<'a> ClaimsById<'a> {
    fn of(case: &'a Case) -> ClaimsById<'a> {
        ClaimsById {
            case,
            index: std::cell::OnceCell::new(),
        }
    }

    fn find(&self, id: &str) -> Option<ClaimId> {
        let index = self.index.get_or_init(|| {
            (self.case.claims.iter().enumerate())
                .map(|(i, c)| (c.id.as_str(), ClaimId(i as u32)))
                .collect()
        });
        index.get(id).copied()
    }
}

/// Sets aside under `s`, in the case `claims` are of (the old version with change `i`
/// applied), the new claims change `i` adds only to set aside, except those whose line of
/// evidence is already aside; of those, it keeps in the change the ones it restates
/// ([`Change::restates_aside`]).
fn set_aside(
    claims: &ClaimsById<'_>,
    s: &mut Scenario,
    changes: &mut [Change],
    i: usize,
    restated: &[usize],
) {
    let case = claims.case;
    let mut aside = Vec::new();
    for &k in &changes[i].sets_aside {
        if let Key::Claim(id) = &changes[k].key
            && let Some(c) = claims.find(id)
        {
            if s.line_aside(case, c) {
                aside.push(k);
            } else {
                s.without_claims.insert(c);
            }
        }
    }
    changes[i].stands_in_for.retain(|k| !aside.contains(k));
    aside.retain(|k| restated.contains(k));
    changes[i].restates_aside = aside;
}

/// The old version with the items of `apply` taken from the new one, validated: only the part
/// of it that the incidents `reached` are judged from ([`Parts::within`]) when given. Its
/// validity is the whole version's; when it is invalid, the whole version's message is given.
fn applied(
    ((old, new), (old_items, new_items)): ((&Loaded, &Loaded), (&Items, &Items)),
    apply: &BTreeSet<Key>,
    reached: Option<&BTreeSet<String>>,
    ((ids, new_ids), parts): ((&Ids<'_>, &Ids<'_>), &Parts<'_>),
) -> crate::validate::Validated {
    let within = reached.map(|r| parts.within((ids, new), new_items, apply, r));
    let part = within.as_ref().map(|w| (w, parts));
    let versions = (old, (new, new_ids));
    let validated = validate(compose(versions, old_items, new_items, apply, part));
    if validated.case.is_none() && within.is_some() {
        // The message the whole version gives, which names what the part may not have.
        return validate(compose(versions, old_items, new_items, apply, None));
    }
    validated
}

/// The judgements of the old version with one change applied alone; `None` when it moves
/// nothing or cannot be applied alone.
type Alone = Option<Judged>;

/// The judgements of a version by (incident, actor), on the incidents of `only` when it is
/// given: the others are as in the old version.
struct Judged {
    sides: BTreeMap<(String, String), Side>,
    only: Option<BTreeSet<String>>,
}

impl Judged {
    /// The judgement on `key` (`None`: not judged); `None` when its incident was not assessed
    /// again, since nothing there moved.
    fn side(&self, key: &(String, String)) -> Option<Option<Side>> {
        match &self.only {
            Some(only) if !only.contains(&key.0) => None,
            _ => Some(self.sides.get(key).copied()),
        }
    }
}

/// The judgements of `case`, the old version with one change applied, under `scenario`: on
/// the incidents it can move (`reached`, [`reach::Reach::of`]) when that is not every
/// incident. A change to a large case moves few of its incidents, and assessing all of them
/// for each change made a diff of a few hundred changes take minutes.
fn judged_alone(case: &Case, scenario: Scenario, reached: Option<BTreeSet<String>>) -> Judged {
    match reached {
        Some(only) => {
            let assessed = (case.incidents.iter().enumerate())
                .filter(|(_, x)| only.contains(&x.id))
                .map(|(i, _)| IncidentId(i as u32))
                .collect();
            Judged {
                sides: judged(case, &assess_only(case, scenario, &assessed)),
                only: Some(only),
            }
        }
        None => Judged {
            sides: judged(case, &assess(case, scenario)),
            only: None,
        },
    }
}

/// The id of the actor `change` links `actor` up to, when it adds, changes or removes a claim
/// of such a link (as the new version has it, or the old one a removed claim:
/// [`Part::down_from`]).
fn link_up_from((old, new): (&Ids<'_>, &Ids<'_>), change: &Change, actor: &str) -> Option<String> {
    let Key::Claim(id) = &change.key else {
        return None;
    };
    let version = if change.op == Op::Removed { old } else { new };
    let case = version.case;
    let claim = case.claim(*version.claims.get(id.as_str())?);
    match claim.statement {
        Statement::Link { from, to } if case.entity(from).id == actor => {
            Some(case.entity(to).id.clone())
        }
        _ => None,
    }
}

/// Says how `part` moves `key`'s hypothesis where its change does so without bearing on it:
/// down a link up from the actor ([`Part::down_from`]), or by moving a competitor
/// ([`Part::competitors`]). Competition explains the move only where the change gives or
/// takes support that does not reach the hypothesis's own actor.
fn explain_part(
    part: &mut Part,
    (old, new): (&Ids<'_>, &Ids<'_>),
    ups: &(Ups, Ups),
    (changes, alone): (&[Change], &[Alone]),
    assessed_old: &BTreeMap<(String, String), Side>,
    key: &(String, String),
) {
    let change = &changes[part.change];
    part.down_from = link_up_from((old, new), change, &key.1);
    if part.down_from.is_none() && !supports_actor((old, new), ups, (changes, change), &key.1) {
        part.competitors = competitors_moved(new, &alone[part.change], assessed_old, key)
            .filter(|&(_, delta)| delta * part.delta_p < 0.0)
            .map(|(id, _)| id.to_string())
            .collect();
    }
}

/// Where each actor's support can go in one version: its declared whole, the actors its
/// claimed links lead up to and its possibly-same pairs, whatever the claims' likelihoods
/// (model §5).
struct Ups(Vec<Vec<EntityId>>);

impl Ups {
    fn of(case: &Case) -> Ups {
        let mut up: Vec<Vec<EntityId>> = (case.entities.iter())
            .map(|e| e.part_of.into_iter().collect())
            .collect();
        for c in &case.claims {
            match c.statement {
                Statement::Link { from, to } => up[from.index()].push(to),
                Statement::SameAs { a, b } => {
                    up[a.index()].push(b);
                    up[b.index()].push(a);
                }
                _ => {}
            }
        }
        Ups(up)
    }

    /// Whether support for `from` can reach `to`.
    fn reaches(&self, from: EntityId, to: EntityId) -> bool {
        let mut seen = vec![false; self.0.len()];
        let mut stack = vec![from];
        while let Some(e) = stack.pop() {
            if e == to {
                return true;
            }
            if !std::mem::replace(&mut seen[e.index()], true) {
                stack.extend(&self.0[e.index()]);
            }
        }
        false
    }
}

/// Whether the claims `change` adds, changes or removes (with those it brings along: a
/// source's) give support that reaches `actor`, in the version that has each (either, for one
/// changed): a claim on the actor, one of its parts or an actor linked up to it, a link up to
/// one of those, or a pair with one. A change of anything else (an actor, an incident, the
/// prior, a listed hypothesis or exclusive set) counts as reaching it: competition is not
/// told as its reason.
fn supports_actor(
    (old, new): (&Ids<'_>, &Ids<'_>),
    (old_ups, new_ups): &(Ups, Ups),
    (changes, change): (&[Change], &Change),
    actor: &str,
) -> bool {
    let mut claims: Vec<&str> = Vec::new();
    for c in std::iter::once(change).chain(change.requires.iter().map(|&i| &changes[i])) {
        match &c.key {
            Key::Claim(id) => claims.push(id),
            // A source re-graded or removed: every claim it makes in either version.
            Key::Source(id) => {
                for v in [old, new] {
                    if let Some(&s) = v.sources.get(id.as_str()) {
                        claims.extend(
                            v.by_source[s.index()]
                                .iter()
                                .map(|&c| v.case.claim(c).id.as_str()),
                        );
                    }
                }
            }
            _ => return true,
        }
    }
    let reaches = |v: &Ids<'_>, ups: &Ups, id: &str| {
        let (Some(&c), Some(&target)) = (v.claims.get(id), v.entities.get(actor)) else {
            return false;
        };
        match v.case.claim(c).statement {
            Statement::Responsible { actor: a, .. } => ups.reaches(a, target),
            // What the link carries goes to its whole and on up from there.
            Statement::Link { to, .. } => ups.reaches(to, target),
            Statement::SameAs { a, b } => ups.reaches(a, target) || ups.reaches(b, target),
            Statement::Condemns { .. } => false,
        }
    };
    (claims.iter()).any(|id| reaches(old, old_ups, id) || reaches(new, new_ups, id))
}

/// The members of the new version's exclusive sets holding `key`'s hypothesis that the
/// change alone (`alone`) moves from the old version's P, with the move ([`Part::competitors`]);
/// a member the old version does not judge counts at its base rate.
fn competitors_moved<'a>(
    new: &'a Ids<'_>,
    alone: &'a Alone,
    assessed_old: &'a BTreeMap<(String, String), Side>,
    key: &'a (String, String),
) -> impl Iterator<Item = (&'a str, f64)> + 'a {
    let members: BTreeSet<&str> = match (
        alone,
        new.incidents.get(key.0.as_str()),
        new.entities.get(key.1.as_str()),
    ) {
        (Some(_), Some(&incident), Some(&actor)) => (new.case.exclusive.iter())
            .filter(|set| set.incident == incident && set.members.contains(&actor))
            .flat_map(|set| set.members.iter().filter(move |&&m| m != actor))
            .map(|&m| new.case.entity(m).id.as_str())
            .collect(),
        _ => BTreeSet::new(),
    };
    members.into_iter().filter_map(move |m| {
        let other = (key.0.clone(), m.to_string());
        let now = alone.as_ref()?.side(&other)??;
        let before = assessed_old.get(&other).map_or(now.prior, |s| s.p);
        let delta = now.p - before;
        (delta.abs() > NO_EFFECT).then_some((m, delta))
    })
}

/// The judgements that moved, appeared or disappeared, each with the parts the changes applied
/// alone explain; and how many stayed put.
fn moved_judgements(
    (old, new): (&Ids<'_>, &Ids<'_>),
    assessed_old: &BTreeMap<(String, String), Side>,
    assessed_new: &BTreeMap<(String, String), Side>,
    (changes, alone): (&[Change], &[Alone]),
    min_delta: f64,
) -> (Vec<HypothesisDiff>, usize) {
    let mut hypotheses = Vec::new();
    let mut unchanged = 0;
    let ups = (Ups::of(old.case), Ups::of(new.case));
    let keys: BTreeSet<&(String, String)> =
        assessed_old.keys().chain(assessed_new.keys()).collect();
    for key in keys {
        let (o, n) = (assessed_old.get(key), assessed_new.get(key));
        let (status, old_p, new_p) = match (o, n) {
            (Some(o), Some(n)) => {
                let moved = o.term != n.term
                    || o.confidence != n.confidence
                    || (n.p - o.p).abs() > min_delta;
                if !moved {
                    unchanged += 1;
                    continue;
                }
                (Status::Moved, o.p, n.p)
            }
            (None, Some(n)) => (Status::Appeared, n.prior, n.p),
            (Some(o), None) => (Status::Disappeared, o.p, o.prior),
            (None, None) => continue,
        };
        let delta_p = new_p - old_p;
        // Not judged: no evidence bears on it, so its P is its base rate.
        let base = o.or(n).map_or(0.5, |s| s.prior);
        let mut parts = parts(changes, alone, key, (o, base, old_p));
        for part in &mut parts {
            explain_part(part, (old, new), &ups, (changes, alone), assessed_old, key);
        }
        let residual = delta_p - parts.iter().map(|p| p.delta_p).sum::<f64>();
        let name = (new.entity(&key.1).or_else(|| old.entity(&key.1)))
            .map_or_else(|| key.1.clone(), |e| e.name.clone());
        hypotheses.push(HypothesisDiff {
            incident: key.0.clone(),
            actor: key.1.clone(),
            name,
            status,
            old: o.copied(),
            new: n.copied(),
            delta_p,
            parts,
            residual,
            interacting: residual.abs() > min_delta.max(0.1 * delta_p.abs()),
            together: Vec::new(),
            together_part: None,
            unmeasured: Vec::new(),
        });
    }
    // Incidents in the order reports list them, as the new version dates them (the old, for
    // one the new version lost).
    let incident = |id: &str| {
        (new.incidents.get(id).map(|&i| new.case.incident(i)))
            .or_else(|| old.incidents.get(id).map(|&i| old.case.incident(i)))
    };
    hypotheses.sort_by(|a, b| {
        let by_date = match (incident(&a.incident), incident(&b.incident)) {
            (Some(x), Some(y)) => crate::assess::happened_before(x, y),
            _ => a.incident.cmp(&b.incident),
        };
        by_date
            .then(b.delta_p.abs().total_cmp(&a.delta_p.abs()))
            .then(a.actor.cmp(&b.actor))
    });
    (hypotheses, unchanged)
}

/// The part each change applied alone plays in a judgement's move from `old_p`, largest first:
/// the changes that moved its probability or its words. `base` is the probability of a
/// hypothesis no version judges.
///
/// A change applied alone brings what it requires with it (a removed source, the claims it
/// made). A change that another part brings is no part of its own: its move is in that part
/// already, and listing both would count it twice.
fn parts(
    changes: &[Change],
    alone: &[Alone],
    key: &(String, String),
    (o, base, old_p): (Option<&Side>, f64, f64),
) -> Vec<Part> {
    let mut parts: Vec<Part> = alone
        .iter()
        .enumerate()
        .filter_map(|(i, judged)| {
            let side = judged.as_ref()?.side(key)?;
            let delta = side.map_or(base, |s| s.p) - old_p;
            let differs = match (o, side) {
                (Some(o), Some(s)) => o.term != s.term || o.confidence != s.confidence,
                (None, None) => false,
                _ => true,
            };
            (delta.abs() > NO_EFFECT || differs).then_some(Part {
                change: i,
                delta_p: delta,
                alone: side,
                down_from: None,
                competitors: Vec::new(),
            })
        })
        .collect();
    // A claim that moves it exactly as much as an actor, group or source it needs does alone
    // (a claim on a new unit, made after the `--as-of` date, where the new unit alone moves it)
    // plays no part of its own: listed, it read as evidence the what-if sets aside moving the
    // judgement, and each such claim listed the unit's move again. The actor is the part. The
    // other way round stays as it was: a source removed with its claims is one part, the
    // source's, the claims' removal brought with it.
    let same = |a: &Part, b: &Part| {
        (a.delta_p - b.delta_p).abs() <= NO_EFFECT
            && a.alone.map(|s| (s.term, s.confidence)) == b.alone.map(|s| (s.term, s.confidence))
    };
    let adds_nothing = |p: &Part| {
        matches!(changes[p.change].key, Key::Claim(_))
            && (changes[p.change].requires.iter()).any(|&r| {
                !matches!(changes[r].key, Key::Claim(_))
                    && (parts.iter()).any(|q| q.change == r && same(p, q))
            })
    };
    let echoing: BTreeSet<usize> = (parts.iter())
        .filter(|p| adds_nothing(p))
        .map(|p| p.change)
        .collect();
    parts.retain(|p| !echoing.contains(&p.change));
    let brought: BTreeSet<usize> = (parts.iter())
        .flat_map(|p| changes[p.change].requires.iter().copied())
        .collect();
    parts.retain(|p| !brought.contains(&p.change));
    parts.sort_by(|a, b| {
        b.delta_p
            .abs()
            .total_cmp(&a.delta_p.abs())
            .then(a.change.cmp(&b.change))
    });
    parts
}

/// The ids of the claims behind a hypothesis in one version (none when it is not judged there).
/// The claims and the sources a hypothesis rests on in one version, as keys of changes.
fn claims_behind(ids: &Ids<'_>, a: &Assessment, h: &HypothesisDiff) -> BTreeSet<Key> {
    let Some((i, e)) = ids.judged(h) else {
        return BTreeSet::new();
    };
    let case = ids.case;
    let Some(ia) = a.incidents.iter().find(|ia| ia.incident == i) else {
        return BTreeSet::new();
    };
    let (claims, sources) = a.behind(case, ia, e);
    (claims.into_iter())
        .map(|c| Key::Claim(case.claim(c).id.clone()))
        .chain(
            sources
                .into_iter()
                .map(|s| Key::Source(case.source(s).id.clone())),
        )
        .collect()
}

/// The claims and sources behind a hypothesis in the new version that, set aside there with
/// every other change in place, leave its judgement as it is: an echo of a claim still in
/// force, a claim weaker than its line's strongest. An item the new version adds that is such
/// moves the judgement neither alone nor with the others, so it is not named as doing so.
/// Read from the hypothesis's sensitivity rows, which set each item aside in turn.
fn idle_in_new(ids: &Ids<'_>, scenario: Scenario, h: &HypothesisDiff) -> BTreeSet<Key> {
    let Some((i, e)) = ids.judged(h) else {
        return BTreeSet::new();
    };
    let case = ids.case;
    let request = crate::assess::Request {
        scenario,
        incident: Some(i),
        actor: Some(e),
        sensitivity: crate::assess::SensitivityFor::Actor(e),
    };
    let assessment = crate::assess::assess_with(case, request);
    let rows = (assessment.incidents.iter())
        .filter(|ia| ia.incident == i)
        .filter_map(|ia| ia.judgement(e))
        .filter_map(|j| j.sensitivity.as_deref())
        .flatten();
    rows.filter(|row| !row.pivotal && row.delta == 0.0)
        .filter_map(|row| match row.item {
            crate::assess::Removal::Claim(c) => Some(Key::Claim(case.claim(c).id.clone())),
            crate::assess::Removal::Source(s) => Some(Key::Source(case.source(s).id.clone())),
            // A line of evidence is no item of the file that a change adds or removes.
            crate::assess::Removal::Family(_) => None,
        })
        .collect()
}

/// The judgements of an assessment by (incident id, actor id).
fn judged(case: &Case, a: &Assessment) -> BTreeMap<(String, String), Side> {
    let mut out = BTreeMap::new();
    for ia in &a.incidents {
        for j in &ia.hypotheses {
            out.insert(
                (
                    case.incident(ia.incident).id.clone(),
                    case.entity(j.actor).id.clone(),
                ),
                Side {
                    p: j.p(),
                    term: j.term(),
                    confidence: j.confidence(),
                    prior: j.prior,
                    mostly_prior: crate::report::mostly_prior(j.prior, j.opinion(), j.term()),
                },
            );
        }
    }
    out
}

/// Where an item sits in the file and the model.
#[derive(Debug, Clone, Copy)]
enum At {
    Case,
    Prior,
    Actor(usize),
    Group(usize),
    Entity(EntityId),
    Incident(usize),
    Source(usize),
    Claim(usize),
    Hypothesis(usize),
    Exclusive(usize),
}

/// Every item of a version by key, with where it is ([`items`]).
type Items = BTreeMap<Key, Vec<At>>;

/// Every item of a version by key, with where it is. A valid file's claims, hypotheses and
/// exclusive sets are the model's, in the same order.
fn items(file: &CaseFile, case: &Case) -> Items {
    let mut out: Items = BTreeMap::new();
    out.insert(Key::Case, vec![At::Case]);
    out.insert(Key::Prior, vec![At::Prior]);
    for (i, a) in file.actors.iter().enumerate() {
        out.entry(Key::Entity(a.id.clone()))
            .or_default()
            .push(At::Actor(i));
    }
    for (i, g) in file.groups.iter().enumerate() {
        out.entry(Key::Entity(g.id.clone()))
            .or_default()
            .push(At::Group(i));
    }
    for (i, e) in case.entities.iter().enumerate() {
        if let Some(v) = out.get_mut(&Key::Entity(e.id.clone())) {
            v.push(At::Entity(EntityId(i as u32)));
        }
    }
    for (i, x) in file.incidents.iter().enumerate() {
        out.insert(Key::Incident(x.id.clone()), vec![At::Incident(i)]);
    }
    for (i, x) in file.sources.iter().enumerate() {
        out.insert(Key::Source(x.id.clone()), vec![At::Source(i)]);
    }
    for (i, x) in file.claims.iter().enumerate() {
        out.insert(Key::Claim(x.id.clone()), vec![At::Claim(i)]);
    }
    for i in 0..case.hypotheses.len() {
        out.insert(hypothesis_key(case, i), vec![At::Hypothesis(i)]);
    }
    for (i, set) in case.exclusive.iter().enumerate() {
        let mut members: Vec<String> = set
            .members
            .iter()
            .map(|m| case.entity(*m).id.clone())
            .collect();
        members.sort();
        let incident = case.incident(set.incident).id.clone();
        out.insert(Key::Exclusive(incident, members), vec![At::Exclusive(i)]);
    }
    out
}

fn hypothesis_key(case: &Case, i: usize) -> Key {
    let h = &case.hypotheses[i];
    Key::Hypothesis(
        case.incident(h.incident).id.clone(),
        case.entity(h.actor).id.clone(),
    )
}

/// Sections in the order reports list them.
fn order(key: &Key) -> u8 {
    match key {
        Key::Case => 0,
        Key::Prior => 0,
        Key::Entity(_) => 1,
        Key::Incident(_) => 2,
        Key::Source(_) => 3,
        Key::Claim(_) => 4,
        Key::Hypothesis(..) => 5,
        Key::Exclusive(..) => 6,
    }
}

/// The keys each item of a version refers to, resolved; `true` marks a claim it restates.
fn references(case: &Case, items: &Items) -> BTreeMap<Key, Vec<(Key, bool)>> {
    let entity = |e: EntityId| Key::Entity(case.entity(e).id.clone());
    let incident = |i| Key::Incident(case.incident(i).id.clone());
    let mut out = BTreeMap::new();
    for (key, at) in items {
        let mut refs = Vec::new();
        for a in at {
            match *a {
                At::Entity(e) => {
                    if let Some(p) = case.entity(e).part_of {
                        refs.push((entity(p), false));
                    }
                }
                At::Claim(i) => {
                    let c = &case.claims[i];
                    let mut keys = vec![Key::Source(case.source(c.source).id.clone())];
                    match c.statement {
                        Statement::Responsible { incident: i, actor } => {
                            keys.extend([incident(i), entity(actor)]);
                        }
                        Statement::Link { from, to } => keys.extend([entity(from), entity(to)]),
                        Statement::SameAs { a, b } => keys.extend([entity(a), entity(b)]),
                        Statement::Condemns { incident: i } => keys.push(incident(i)),
                    }
                    refs.extend(keys.into_iter().map(|k| (k, false)));
                    refs.extend(
                        c.derived_from
                            .iter()
                            .map(|d| (Key::Claim(case.claim(*d).id.clone()), true)),
                    );
                }
                At::Hypothesis(i) => {
                    let h = &case.hypotheses[i];
                    refs.extend([(incident(h.incident), false), (entity(h.actor), false)]);
                }
                At::Exclusive(i) => {
                    let s = &case.exclusive[i];
                    refs.push((incident(s.incident), false));
                    refs.extend(s.members.iter().map(|&m| (entity(m), false)));
                }
                _ => {}
            }
        }
        out.insert(key.clone(), refs);
    }
    out
}

/// The changes (by `index`) that the claim `change` adds or changes restates in the new
/// version (`derived_from`), each with whether it makes the same statement (what a
/// restatement stands in for, `docs/model.md` §6). Empty for any other change.
fn restated_by_change(
    new_ids: &Ids<'_>,
    change: &Change,
    index: &BTreeMap<Key, usize>,
) -> BTreeMap<usize, bool> {
    let Key::Claim(id) = &change.key else {
        return BTreeMap::new();
    };
    let Some(&c) = new_ids.claims.get(id.as_str()) else {
        return BTreeMap::new();
    };
    let new = new_ids.case;
    let claim = new.claim(c);
    (claim.derived_from.iter())
        .filter_map(|&o| {
            let origin = new.claim(o);
            let k = *index.get(&Key::Claim(origin.id.clone()))?;
            Some((k, origin.statement.same_as(claim.statement)))
        })
        .collect()
}

/// The changes that must be applied with change `i` for the old version to stay valid: for an
/// item the new version has, the items it refers to that are new too; for an item it lost,
/// the old items that referred to it. Transitively; `i` included; sorted. Apart, the new
/// claims that a new claim restates (to be added and set aside, see
/// [`Change::stands_in_for`]), with what they need in turn in the first list.
fn requirements(
    i: usize,
    changes: &[Change],
    index: &BTreeMap<Key, usize>,
    old_referrers: &BTreeMap<&Key, Vec<&Key>>,
    new_refs: &BTreeMap<Key, Vec<(Key, bool)>>,
) -> (Vec<usize>, Vec<usize>) {
    let mut seen = BTreeSet::new();
    let mut shadows = BTreeSet::new();
    let mut stack = vec![(i, false)];
    while let Some((k, shadow)) = stack.pop() {
        if shadow {
            if seen.contains(&k) || !shadows.insert(k) {
                continue;
            }
        } else if !seen.insert(k) {
            continue;
        } else {
            shadows.remove(&k);
        }
        let c = &changes[k];
        if c.op != Op::Removed {
            for (r, origin) in new_refs.get(&c.key).into_iter().flatten() {
                if let Some(&j) = index.get(r)
                    && changes[j].op == Op::Added
                {
                    // An origin is only there to be set aside; what it needs must be there.
                    stack.push((j, *origin || (shadow && matches!(r, Key::Claim(_)))));
                }
            }
        }
        if c.op == Op::Removed {
            // What referred to a removed item was removed or changed with it.
            for &other in old_referrers.get(&c.key).into_iter().flatten() {
                if let Some(&j) = index.get(other) {
                    stack.push((j, false));
                }
            }
        }
    }
    (seen.into_iter().collect(), shadows.into_iter().collect())
}

/// A change no judgement can feel: only words changed (names, wording, notes, URLs), or the
/// case's own fields.
fn inert(change: &Change) -> bool {
    change.key == Key::Case
        || change.op == Op::Changed && change.fields.iter().all(|f| is_words(f.field))
}

/// Whether a field holds words no judgement reads (a name, a wording, a note, a URL): why a
/// judgement moved names a change by its other fields.
pub fn is_words(field: &str) -> bool {
    matches!(
        field,
        "id" | "name" | "wording" | "note" | "url" | "description" | "references" | "victim"
    )
}

/// The old version's claims, hypotheses and exclusive sets by the incident they bear on, so
/// that a change reaching a few incidents is applied to that part of the old version alone
/// ([`Parts::within`]): validating the whole version again for each change made a diff of a
/// hundred changes to a case of 10^5 claims take a quarter of a minute.
struct Parts<'a> {
    /// The claims on each incident, by file index (the model's), by incident.
    on: Vec<Vec<usize>>,
    /// The link and pair claims: each bears on every incident below or beside its actors.
    between: Vec<usize>,
    /// The claims whose id is also a source's or a line of evidence's: a what-if naming one
    /// sets the claim aside where it is, and the source or the line where it is not
    /// (`--without`), so each is in every part, as in the whole version.
    named_like_evidence: Vec<usize>,
    /// The hypotheses and exclusive sets of each incident, by file index.
    hypotheses_on: Vec<Vec<usize>>,
    exclusive_on: Vec<Vec<usize>>,
    /// Each hypothesis's and exclusive set's key ([`items`]), by file index.
    hypothesis_keys: Vec<Option<&'a Key>>,
    exclusive_keys: Vec<Option<&'a Key>>,
}

/// The part of the old version a change is applied to ([`compose`]): old incidents and claims
/// by file index, in file order.
struct Within {
    incidents: BTreeSet<usize>,
    claims: BTreeSet<usize>,
}

impl<'a> Parts<'a> {
    fn of(case: &Case, items: &'a Items) -> Parts<'a> {
        let mut on = vec![Vec::new(); case.incidents.len()];
        let mut between = Vec::new();
        // By set, not `find_source`/`find_family` per claim: each scans every source or family.
        let sources: HashSet<&str> = case.sources.iter().map(|s| s.id.as_str()).collect();
        let families: HashSet<&str> = case.families.iter().map(String::as_str).collect();
        let named_like_evidence = (case.claims.iter().enumerate())
            .filter(|(_, c)| {
                // As `find_family` reads a name: trimmed, composed (NFC).
                let family: String =
                    unicode_normalization::UnicodeNormalization::nfc(c.id.trim()).collect();
                sources.contains(c.id.as_str()) || families.contains(family.as_str())
            })
            .map(|(i, _)| i)
            .collect();
        for (i, c) in case.claims.iter().enumerate() {
            match c.statement {
                Statement::Responsible { incident, .. } | Statement::Condemns { incident } => {
                    on[incident.0 as usize].push(i);
                }
                Statement::Link { .. } | Statement::SameAs { .. } => between.push(i),
            }
        }
        let mut hypotheses_on = vec![Vec::new(); case.incidents.len()];
        for (i, h) in case.hypotheses.iter().enumerate() {
            hypotheses_on[h.incident.0 as usize].push(i);
        }
        let mut exclusive_on = vec![Vec::new(); case.incidents.len()];
        for (i, x) in case.exclusive.iter().enumerate() {
            exclusive_on[x.incident.0 as usize].push(i);
        }
        let mut hypothesis_keys = vec![None; case.hypotheses.len()];
        let mut exclusive_keys = vec![None; case.exclusive.len()];
        for (key, at) in items {
            for a in at {
                match *a {
                    At::Hypothesis(i) => hypothesis_keys[i] = Some(key),
                    At::Exclusive(i) => exclusive_keys[i] = Some(key),
                    _ => {}
                }
            }
        }
        Parts {
            on,
            between,
            named_like_evidence,
            hypotheses_on,
            exclusive_on,
            hypothesis_keys,
            exclusive_keys,
        }
    }

    /// What of the old version a change (`apply`) reaching the incidents `reached` is judged
    /// from: their claims, every link and pair claim, and what those and the new version's
    /// claims `apply` takes restate, at any remove, with the incidents these bear on. An
    /// incident's judgements are propagated from nothing else (see [`reach::Reach::of`]), and
    /// what the part leaves out refers to nothing the change touches: its validity is the
    /// whole version's, and judged on `reached` it gives what the whole version gives.
    fn within(
        &self,
        (old, new): (&Ids<'_>, &Loaded),
        new_items: &Items,
        apply: &BTreeSet<Key>,
        reached: &BTreeSet<String>,
    ) -> Within {
        let case = old.case;
        let incidents: Vec<usize> = (reached.iter())
            .filter_map(|x| old.incidents.get(x.as_str()))
            .map(|x| x.0 as usize)
            .collect();
        let mut stack: Vec<usize> = (incidents.iter())
            .flat_map(|&x| self.on[x].iter().copied())
            .chain(self.between.iter().copied())
            .chain(self.named_like_evidence.iter().copied())
            .collect();
        // What the new version's claims restate from the old.
        for key in apply {
            for at in new_items.get(key).into_iter().flatten() {
                if let At::Claim(i) = *at {
                    stack.extend(
                        (new.file.claims[i].derived_from.iter())
                            .filter_map(|id| old.claims.get(id.as_str()))
                            .map(|c| c.0 as usize),
                    );
                }
            }
        }
        let mut claims = BTreeSet::new();
        while let Some(c) = stack.pop() {
            if claims.insert(c) {
                stack.extend(case.claims[c].derived_from.iter().map(|o| o.0 as usize));
            }
        }
        let mut within = Within {
            incidents: incidents.into_iter().collect(),
            claims: BTreeSet::new(),
        };
        for &c in &claims {
            if let Statement::Responsible { incident, .. } | Statement::Condemns { incident } =
                case.claims[c].statement
            {
                within.incidents.insert(incident.0 as usize);
            }
        }
        within.claims = claims;
        within
    }
}

impl Within {
    /// The old file with every incident but only the part's claims, and none of its
    /// hypotheses and exclusive sets ([`Within::kept`] gives those).
    fn file(&self, of: &CaseFile) -> CaseFile {
        CaseFile {
            id: of.id.clone(),
            title: of.title.clone(),
            description: of.description.clone(),
            analyst: of.analyst.clone(),
            tlp: of.tlp.clone(),
            as_of: of.as_of.clone(),
            prior: of.prior,
            actors: of.actors.clone(),
            groups: of.groups.clone(),
            // Every incident, as every actor, group and source: their names are one
            // namespace, and a spelling a change passes from one incident to another must
            // meet the one it is taken from (E022) as in the whole version.
            incidents: of.incidents.clone(),
            sources: of.sources.clone(),
            claims: (self.claims.iter())
                .map(|&i| of.claims[i].clone())
                .collect(),
            hypotheses: Vec::new(),
            exclusive: Vec::new(),
            stix: None,
        }
    }

    /// The hypotheses or exclusive sets (`on` each incident, with their `keys`) of the part's
    /// incidents that are not `taken` from the new version, by file index, in file order.
    fn kept(
        &self,
        on: &[Vec<usize>],
        keys: &[Option<&Key>],
        taken: impl Fn(&Key) -> bool,
    ) -> Vec<usize> {
        let mut v: Vec<usize> = (self.incidents.iter())
            .flat_map(|&x| on[x].iter().copied())
            .filter(|&i| !keys[i].is_some_and(&taken))
            .collect();
        v.sort_unstable();
        v
    }
}

/// The old file with the items of `apply` taken from the new one; only the part `within` of
/// the old file's incidents and claims, when given.
fn compose(
    (old, (new, new_ids)): (&Loaded, (&Loaded, &Ids<'_>)),
    old_items: &Items,
    new_items: &Items,
    apply: &BTreeSet<Key>,
    within: Option<(&Within, &Parts<'_>)>,
) -> CaseFile {
    let (of, nf) = (&old.file, &new.file);
    let mut f = match within {
        None => of.clone(),
        Some((part, _)) => part.file(of),
    };
    // A claim is refused when dated after the case's `as_of`: the later date of the two lets
    // every claim of either version stand.
    f.as_of = match (&old.case.as_of, &new.case.as_of) {
        (Some(o), Some(n)) if n.latest_day() > o.latest_day() => nf.as_of.clone(),
        (Some(_), Some(_)) => of.as_of.clone(),
        _ => None,
    };
    let taken = |key: &Key| apply.contains(key);
    if taken(&Key::Prior) {
        f.prior = nf.prior;
    }
    f.actors.retain(|a| !taken(&Key::Entity(a.id.clone())));
    f.groups.retain(|g| !taken(&Key::Entity(g.id.clone())));
    f.incidents.retain(|x| !taken(&Key::Incident(x.id.clone())));
    f.sources.retain(|x| !taken(&Key::Source(x.id.clone())));
    f.claims.retain(|x| !taken(&Key::Claim(x.id.clone())));
    let kept = |items: &Items, want: fn(&At) -> Option<usize>| -> Vec<usize> {
        let mut v: Vec<usize> = items
            .iter()
            .filter(|(k, _)| !taken(k))
            .flat_map(|(_, at)| at.iter().filter_map(want))
            .collect();
        v.sort_unstable();
        v
    };
    let hyp = |a: &At| match a {
        At::Hypothesis(i) => Some(*i),
        _ => None,
    };
    let exc = |a: &At| match a {
        At::Exclusive(i) => Some(*i),
        _ => None,
    };
    let (hypotheses, exclusive) = match within {
        None => (kept(old_items, hyp), kept(old_items, exc)),
        Some((part, parts)) => (
            part.kept(&parts.hypotheses_on, &parts.hypothesis_keys, taken),
            part.kept(&parts.exclusive_on, &parts.exclusive_keys, taken),
        ),
    };
    f.hypotheses = (hypotheses.into_iter())
        .map(|i| of.hypotheses[i].clone())
        .collect();
    f.exclusive = (exclusive.into_iter())
        .map(|i| of.exclusive[i].clone())
        .collect();
    take_new(&mut f, (new, new_ids), new_items, apply);
    f
}

/// The items of `apply` from the new version, added to `f`, naming what they speak of by id
/// ([`by_id`]).
fn take_new(
    f: &mut CaseFile,
    (new, ids): (&Loaded, &Ids<'_>),
    new_items: &Items,
    apply: &BTreeSet<Key>,
) {
    let nf = &new.file;
    for key in apply {
        for at in new_items.get(key).into_iter().flatten() {
            match *at {
                At::Actor(i) => {
                    let mut a = nf.actors[i].clone();
                    a.part_of = a.part_of.map(|p| by_id(ids, &p));
                    f.actors.push(a);
                }
                At::Group(i) => f.groups.push(nf.groups[i].clone()),
                At::Incident(i) => f.incidents.push(nf.incidents[i].clone()),
                At::Source(i) => f.sources.push(nf.sources[i].clone()),
                At::Claim(i) => {
                    let mut c = nf.claims[i].clone();
                    c.subject = by_id(ids, &c.subject);
                    c.object = c.object.map(|o| by_id(ids, &o));
                    f.claims.push(c);
                }
                At::Hypothesis(i) => {
                    let mut h = nf.hypotheses[i].clone();
                    h.incident = by_id(ids, &h.incident);
                    h.actor = by_id(ids, &h.actor);
                    f.hypotheses.push(h);
                }
                At::Exclusive(i) => {
                    let mut x = nf.exclusive[i].clone();
                    x.incident = by_id(ids, &x.incident);
                    x.members = x.members.iter().map(|m| by_id(ids, m)).collect();
                    f.exclusive.push(x);
                }
                At::Case | At::Prior | At::Entity(_) => {}
            }
        }
    }
}

/// The id of the actor, group or incident `name` names in `case` (an alias, a name), or the
/// name as written when it names none. An item taken from the new version into the old names
/// what it speaks of by id: an alias the new version added (`NOBELIUM`) is not one the old
/// knows, and the change would not apply alone.
fn by_id(ids: &Ids<'_>, name: &str) -> String {
    match ids.spelled.get(&*crate::model::name_key(name)) {
        Some(id) => id.to_string(),
        None => name.to_string(),
    }
}

/// A short description of an item as a version has it.
fn summary(ids: &Ids<'_>, key: &Key) -> String {
    let case = ids.case;
    match key {
        Key::Case => case.title.clone(),
        Key::Prior => format!("{}", case.prior),
        Key::Entity(id) => ids
            .entity(id)
            .map_or_else(String::new, |e| format!("{} ({})", e.name, e.kind.word())),
        Key::Incident(id) => (ids.incidents.get(id.as_str()))
            .map_or_else(String::new, |&i| case.incident(i).name.clone()),
        Key::Source(id) => ids.sources.get(id.as_str()).map_or_else(String::new, |&s| {
            let s = case.source(s);
            format!(
                "{}, {}, family {}",
                s.name,
                s.reliability.label(),
                case.family(s.family)
            )
        }),
        Key::Claim(id) => ids.claims.get(id.as_str()).map_or_else(String::new, |&c| {
            let claim = case.claim(c);
            let likelihood = match &claim.likelihood {
                None => String::new(),
                Some((l, _)) => format!(", {}", l.label()),
            };
            let confidence = claim
                .confidence
                .map(|c| format!(", {} confidence", c.word()))
                .unwrap_or_default();
            format!(
                "{}: {}{likelihood}{confidence}",
                case.source(claim.source).id,
                statement(case, claim)
            )
        }),
        Key::Hypothesis(i, a) => format!("{a} on {i}"),
        // Its name already lists the incident and the members.
        Key::Exclusive(..) => "mutually exclusive hypotheses".to_string(),
    }
}

/// A claim's statement with resolved ids: `albania-2022 attributed to iran`.
fn statement(case: &Case, c: &crate::model::Claim) -> String {
    let e = |x: EntityId| case.entity(x).id.as_str();
    match c.statement {
        Statement::Responsible { incident, actor } => {
            if c.relation == crate::format::Relation::ClaimsResponsibility {
                format!(
                    "{} {} {}",
                    e(actor),
                    c.relation.phrase(),
                    case.incident(incident).id
                )
            } else {
                format!(
                    "{} {} {}",
                    case.incident(incident).id,
                    c.relation.phrase(),
                    e(actor)
                )
            }
        }
        Statement::Link { from, to } => format!("{} {} {}", e(from), c.relation.phrase(), e(to)),
        Statement::SameAs { a, b } => format!("{} {} {}", e(a), c.relation.phrase(), e(b)),
        Statement::Condemns { incident } => format!("{} condemned", case.incident(incident).id),
    }
}

/// The fields of an item that differ between the versions, resolved to ids; `was` and `is`:
/// where the item stands in each (a listed hypothesis or an exclusive set is read from there,
/// not looked for again: of two identical sets, the key says which).
// Kept whole: one arm per kind of item, each the list of its fields compared, read as a table.
fn compare(
    (old_ids, was): (&Ids<'_>, &[At]),
    (new_ids, is): (&Ids<'_>, &[At]),
    key: &Key,
) -> Vec<FieldChange> {
    let (old, new) = (old_ids.case, new_ids.case);
    let mut out = Vec::new();
    let mut field = |name: &'static str, o: Option<String>, n: Option<String>| {
        if o != n {
            out.push(FieldChange {
                field: name,
                old: o,
                new: n,
                added: Vec::new(),
                removed: Vec::new(),
            });
        }
    };
    let list = |v: Vec<String>| (!v.is_empty()).then(|| v.join(", "));
    // Each list's entries added and removed, put onto its field's change at the end.
    let mut lists: Vec<(&'static str, Vec<String>, Vec<String>)> = Vec::new();
    let mut entries = |name: &'static str, o: &[String], n: &[String]| {
        let only = |a: &[String], b: &[String]| -> Vec<String> {
            let b: BTreeSet<&String> = b.iter().collect();
            let set: BTreeSet<&String> = a.iter().filter(|x| !b.contains(x)).collect();
            set.into_iter().cloned().collect()
        };
        lists.push((name, only(n, o), only(o, n)));
    };
    match key {
        Key::Case => {
            field("title", Some(old.title.clone()), Some(new.title.clone()));
            field(
                "description",
                old.description.clone(),
                new.description.clone(),
            );
            field("analyst", old.analyst.clone(), new.analyst.clone());
            field(
                "as_of",
                old.as_of.map(|d| d.to_string()),
                new.as_of.map(|d| d.to_string()),
            );
            // As reports read it (the case's and its records' markings).
            field(
                "tlp",
                old.tlp.map(str::to_string),
                new.tlp.map(str::to_string),
            );
        }
        Key::Prior => field(
            "prior",
            Some(old.prior.to_string()),
            Some(new.prior.to_string()),
        ),
        Key::Entity(id) => {
            let (Some(o), Some(n)) = (old_ids.entity(id), new_ids.entity(id)) else {
                return out;
            };
            field(
                "kind",
                Some(o.kind.word().into()),
                Some(n.kind.word().into()),
            );
            field("name", Some(o.name.clone()), Some(n.name.clone()));
            let sorted = |v: &[String]| {
                let mut v = v.to_vec();
                v.sort();
                v
            };
            field(
                "aliases",
                list(sorted(&o.aliases)),
                list(sorted(&n.aliases)),
            );
            entries("aliases", &o.aliases, &n.aliases);
            field(
                "part_of",
                o.part_of.map(|p| old.entity(p).id.clone()),
                n.part_of.map(|p| new.entity(p).id.clone()),
            );
            field("description", o.description.clone(), n.description.clone());
        }
        Key::Incident(id) => {
            let (Some(o), Some(n)) = (
                old_ids.incidents.get(id.as_str()).map(|&i| old.incident(i)),
                new_ids.incidents.get(id.as_str()).map(|&i| new.incident(i)),
            ) else {
                return out;
            };
            field("name", Some(o.name.clone()), Some(n.name.clone()));
            field("aliases", list(o.aliases.clone()), list(n.aliases.clone()));
            entries("aliases", &o.aliases, &n.aliases);
            field(
                "start",
                o.start.map(|d| d.to_string()),
                n.start.map(|d| d.to_string()),
            );
            field(
                "end",
                o.end.map(|d| d.to_string()),
                n.end.map(|d| d.to_string()),
            );
            field("victim", o.victim.clone(), n.victim.clone());
            field("description", o.description.clone(), n.description.clone());
            field(
                "references",
                list(o.references.clone()),
                list(n.references.clone()),
            );
            entries("references", &o.references, &n.references);
        }
        Key::Source(id) => {
            let (Some(o), Some(n)) = (
                old_ids.sources.get(id.as_str()).map(|&i| old.source(i)),
                new_ids.sources.get(id.as_str()).map(|&i| new.source(i)),
            ) else {
                return out;
            };
            field("name", Some(o.name.clone()), Some(n.name.clone()));
            field(
                "kind",
                Some(format!("{:?}", o.kind)),
                Some(format!("{:?}", n.kind)),
            );
            field(
                "reliability",
                Some(o.reliability.label()),
                Some(n.reliability.label()),
            );
            field(
                "family",
                Some(old.family(o.family).to_string()),
                Some(new.family(n.family).to_string()),
            );
            field("url", o.url.clone(), n.url.clone());
            field("note", o.note.clone(), n.note.clone());
        }
        Key::Claim(id) => {
            let (Some(o), Some(n)) = (
                old_ids.claims.get(id.as_str()).map(|&i| old.claim(i)),
                new_ids.claims.get(id.as_str()).map(|&i| new.claim(i)),
            ) else {
                return out;
            };
            field(
                "source",
                Some(old.source(o.source).id.clone()),
                Some(new.source(n.source).id.clone()),
            );
            field(
                "date",
                o.date.map(|d| d.to_string()),
                n.date.map(|d| d.to_string()),
            );
            field(
                "statement",
                Some(statement(old, o)),
                Some(statement(new, n)),
            );
            let likelihood =
                |c: &crate::model::Claim| c.likelihood.as_ref().map(|(l, _)| l.label());
            field("likelihood", likelihood(o), likelihood(n));
            field(
                "confidence",
                o.confidence.map(|c| c.word().to_string()),
                n.confidence.map(|c| c.word().to_string()),
            );
            let origins = |case: &Case, c: &crate::model::Claim| {
                let mut v: Vec<String> = c
                    .derived_from
                    .iter()
                    .map(|d| case.claim(*d).id.clone())
                    .collect();
                v.sort();
                v
            };
            let (was, is) = (origins(old, o), origins(new, n));
            field("derived_from", list(was.clone()), list(is.clone()));
            entries("derived_from", &was, &is);
            field("wording", o.wording.clone(), n.wording.clone());
            field("url", o.url.clone(), n.url.clone());
            field("note", o.note.clone(), n.note.clone());
        }
        Key::Hypothesis(..) => {
            let find = |case: &'_ Case, at: &[At]| {
                at.iter().find_map(|a| match a {
                    At::Hypothesis(i) => case.hypotheses.get(*i).cloned(),
                    _ => None,
                })
            };
            let (Some(o), Some(n)) = (find(old, was), find(new, is)) else {
                return out;
            };
            field(
                "prior",
                o.prior.map(|p| p.to_string()),
                n.prior.map(|p| p.to_string()),
            );
            field("note", o.note, n.note);
        }
        Key::Exclusive(..) => {
            // Same incident and members: only the note can differ.
            let note = |case: &Case, at: &[At]| {
                at.iter().find_map(|a| match a {
                    At::Exclusive(i) => case.exclusive.get(*i).and_then(|s| s.note.clone()),
                    _ => None,
                })
            };
            field("note", note(old, was), note(new, is));
        }
    }
    for (name, added, removed) in lists {
        if let Some(f) = out.iter_mut().find(|f| f.field == name) {
            (f.added, f.removed) = (added, removed);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Grade, Likelihood, Syntax};

    fn loaded(file: CaseFile) -> Loaded {
        crate::load::validated(file).expect("a valid revision")
    }

    /// Revisions of a bundled case: claims removed, likelihoods changed, claims given to the
    /// first source, sources regraded, several at a time and on every kind of claim
    /// (responsibility, link, pair, restatement).
    fn revisions(file: &CaseFile) -> Vec<CaseFile> {
        let n = file.claims.len();
        let origins: BTreeSet<&str> = (file.claims.iter())
            .flat_map(|c| c.derived_from.iter().map(String::as_str))
            .collect();
        let mut out = Vec::new();
        for i in 0..n {
            let mut f = file.clone();
            f.claims[i].likelihood = Some(Likelihood::Icd("almost no chance".into()));
            let j = (i + 3) % n;
            if !origins.contains(f.claims[j].id.as_str()) {
                f.claims.remove(j);
            }
            out.push(f);
            let mut f = file.clone();
            f.claims[i].source = file.sources[0].id.clone();
            out.push(f);
            let mut f = file.clone();
            let source = f.claims[i].source.clone();
            if let Some(s) = f.sources.iter_mut().find(|s| s.id == source) {
                s.track_record = None;
                s.reliability = Some(if s.reliability == Some(Grade::A) {
                    Grade::E
                } else {
                    Grade::A
                });
            }
            out.push(f);
        }
        // Many changes at once, on every incident: those reaching apart are measured together.
        let mut f = file.clone();
        for c in f.claims.iter_mut().step_by(2) {
            c.likelihood = Some(Likelihood::Icd("almost no chance".into()));
        }
        f.claims = (f.claims.into_iter().enumerate())
            .filter(|(k, c)| k % 3 != 1 || origins.contains(c.id.as_str()))
            .map(|(_, c)| c)
            .collect();
        out.push(f);
        // New claims on every incident, each restating one there and restated by another.
        let mut f = file.clone();
        for c in &file.claims {
            let mut again = c.clone();
            again.id = format!("{}-again", c.id);
            again.derived_from = vec![c.id.clone()];
            let mut third = again.clone();
            third.id = format!("{}-third", c.id);
            third.derived_from = vec![again.id.clone()];
            f.claims.extend([again, third]);
        }
        out.push(f);
        // The first incident's alias passed to the second, a claim naming the first by it
        // naming it by id instead, and a claim on the second changed: applied alone, the
        // alias's move leaves the claim naming no incident; with the claim's change, the
        // second incident.
        if let [first, second, ..] = &file.incidents[..]
            && let Some(alias) = first.aliases.first()
        {
            let mut f = file.clone();
            f.incidents[0].aliases.remove(0);
            f.incidents[1].aliases.push(alias.clone());
            for c in &mut f.claims {
                if c.subject == *alias {
                    c.subject = first.id.clone();
                }
            }
            if let Some(c) = f.claims.iter_mut().find(|c| c.subject == second.id) {
                c.likelihood = Some(Likelihood::Icd("almost no chance".into()));
            }
            out.push(f);
        }
        out
    }

    /// A case whose first claim on the first incident names it by its first alias.
    fn named_by_alias(file: &CaseFile) -> CaseFile {
        let mut f = file.clone();
        let (id, alias) = (&file.incidents[0].id, &file.incidents[0].aliases[0]);
        if let Some(c) = f.claims.iter_mut().find(|c| c.subject == *id) {
            c.subject = alias.clone();
        }
        f
    }

    /// A case with a restatement on another incident (W108) of each claim on an incident: set
    /// aside while what it restates stands, it counts on its own incident once that goes.
    fn restated_elsewhere(file: &CaseFile) -> CaseFile {
        let mut f = file.clone();
        let incidents: Vec<&str> = file.incidents.iter().map(|i| i.id.as_str()).collect();
        for c in &file.claims {
            if let Some(k) = incidents.iter().position(|&i| i == c.subject) {
                let mut echo = c.clone();
                echo.id = format!("{}-elsewhere", c.id);
                echo.subject = incidents[(k + 1) % incidents.len()].to_string();
                echo.derived_from = vec![c.id.clone()];
                f.claims.push(echo);
            }
        }
        f
    }

    /// A case where a claim on the last incident, which nothing restates, has the id of a
    /// source with claims on the first: `--without` that id sets the claim aside, not the
    /// source, wherever the claim is.
    fn claim_named_like_a_source(file: &CaseFile) -> (CaseFile, String) {
        let mut f = file.clone();
        let on = |c: &crate::format::ClaimFile, x: &str| {
            c.subject == x || c.object.as_deref() == Some(x)
        };
        let (first, last) = (
            &file.incidents[0].id,
            &file.incidents[file.incidents.len() - 1].id,
        );
        let source = (file.claims.iter())
            .find(|c| on(c, first))
            .expect("a claim")
            .source
            .clone();
        let restated: BTreeSet<&str> = (file.claims.iter())
            .flat_map(|c| c.derived_from.iter().map(String::as_str))
            .collect();
        let claim = (f.claims.iter_mut())
            .find(|c| on(c, last) && !restated.contains(c.id.as_str()))
            .expect("a claim on the last incident");
        claim.id = source.clone();
        (f, source)
    }

    /// Revisions of the links and pairs between actors: every link or pair claim's likelihood
    /// changed, a third of them removed, new pairs and links between groups far apart in the
    /// file, most of them connected to different actors (each such change reaching the
    /// incidents of both ends' connected actors), with changes of claims on incidents; and
    /// [`entity_revision`]'s.
    fn link_revisions(file: &CaseFile) -> Vec<CaseFile> {
        use crate::format::{ClaimFile, Relation};
        let between = |c: &ClaimFile| {
            !matches!(
                c.relation,
                Relation::AttributedTo
                    | Relation::ConductedBy
                    | Relation::ClaimsResponsibility
                    | Relation::Condemns
            )
        };
        let origins: BTreeSet<&str> = (file.claims.iter())
            .flat_map(|c| c.derived_from.iter().map(String::as_str))
            .collect();
        let mut out = Vec::new();
        let mut f = file.clone();
        for c in f.claims.iter_mut().filter(|c| between(c)) {
            c.likelihood = Some(Likelihood::Icd("almost no chance".into()));
        }
        out.push(f);
        let mut f = file.clone();
        let mut k = 0;
        f.claims.retain(|c| {
            k += usize::from(between(c));
            !(between(c) && k % 3 == 0 && !origins.contains(c.id.as_str()))
        });
        out.push(f);
        // New pairs and links between groups far apart in the file, and a claim on an
        // incident changed beside each.
        let groups: Vec<&str> = file.groups.iter().map(|g| g.id.as_str()).collect();
        let source = &file.sources[0].id;
        let mut f = file.clone();
        for (k, pair) in groups.chunks(7).filter(|c| c.len() > 1).enumerate() {
            let (a, b) = (pair[0], pair[pair.len() - 1]);
            let relation = [Relation::PossiblySameAs, Relation::OperatedBy][k % 2];
            f.claims.push(ClaimFile {
                id: format!("new-{k}"),
                source: source.clone(),
                date: None,
                subject: a.to_string(),
                relation,
                object: Some(b.to_string()),
                wording: None,
                likelihood: Some(Likelihood::Icd("likely".into())),
                confidence: None,
                url: None,
                derived_from: Vec::new(),
                note: None,
            });
        }
        for c in f.claims.iter_mut().filter(|c| !between(c)).step_by(9) {
            c.likelihood = Some(Likelihood::Icd("almost no chance".into()));
        }
        out.push(f);
        out.push(entity_revision(file));
        out
    }

    /// A revision of the actors: declared wholes moved (every other agency to the next
    /// state), kinds changed, and an alias added (spelled otherwise: reaching every
    /// incident), with a link claim changed.
    fn entity_revision(file: &CaseFile) -> CaseFile {
        use crate::format::{ActorKind, Relation};
        let states: Vec<&str> = (file.actors.iter())
            .filter(|a| a.kind == ActorKind::State)
            .map(|a| a.id.as_str())
            .collect();
        let mut f = file.clone();
        let agencies = (f.actors.iter_mut()).filter(|a| a.kind == ActorKind::Agency);
        for a in agencies.step_by(2) {
            let at = states.iter().position(|&s| Some(s) == a.part_of.as_deref());
            if let Some(k) = at {
                a.part_of = Some(states[(k + 1) % states.len()].to_string());
            }
        }
        let agencies = (f.actors.iter_mut()).filter(|a| a.kind == ActorKind::Agency);
        for a in agencies.skip(1).step_by(3) {
            a.kind = ActorKind::Organisation;
        }
        if let Some(a) = f.actors.last_mut() {
            a.aliases.push(format!("{} (also)", a.name));
        }
        let link = |c: &&mut crate::format::ClaimFile| c.relation == Relation::SubordinateOf;
        if let Some(c) = f.claims.iter_mut().find(link) {
            c.likelihood = Some(Likelihood::Icd("almost no chance".into()));
        }
        f
    }

    /// Changes of links and pairs on a case of many actors apart (most of them connected to
    /// few others) are measured where they reach, together where they reach apart, as they
    /// are measured on every incident one at a time.
    #[cfg(feature = "generate")]
    #[test]
    fn link_changes_measured_where_they_reach_as_everywhere() {
        let old = loaded(crate::generate::generate(700, 7));
        let none = |_: &Case| Scenario::default();
        // A source of link claims set aside: what restates its claims counts in their stead.
        let linking = (old.file.claims.iter())
            .find(|c| c.relation == crate::format::Relation::SubordinateOf)
            .expect("a link claim")
            .source
            .clone();
        let without_linking = |case: &Case| Scenario {
            without_sources: case.find_source(&linking).into_iter().collect(),
            ..Scenario::default()
        };
        let scenarios: [&dyn Fn(&Case) -> Scenario; 2] = [&none, &without_linking];
        for revision in link_revisions(&old.file) {
            let new = loaded(revision);
            for scenario in scenarios {
                let measured = |m| diff_measured(&old, &new, scenario, 0.005, None, m);
                let (reached, every) = (measured(Measure::Reached), measured(Measure::Every));
                assert!(reached.moved(), "{:?}", reached.changes);
                assert_eq!(reached, every, "{:?}", reached.changes);
            }
        }
    }

    /// Measuring each change on the incidents it can reach, from the part of the old version
    /// they are judged from, gives the diff that measuring it on every incident of the whole
    /// version gives, whatever the change.
    #[test]
    fn changes_measured_where_they_reach_as_everywhere() {
        let tutorial = crate::load::load(include_str!("../graphs/tutorial.ron"), Syntax::Ron);
        let tutorial = tutorial.expect("a bundled case").file;
        let (named, id) = claim_named_like_a_source(&tutorial);
        for old in [
            crate::load::load(include_str!("../graphs/albania-2022.ron"), Syntax::Ron)
                .expect("a bundled case"),
            loaded(tutorial.clone()),
            loaded(restated_elsewhere(&tutorial)),
            loaded(named.clone()),
            loaded(named_by_alias(&tutorial)),
        ] {
            let none = |_: &Case| Scenario::default();
            // The first source set aside: a claim given to it no longer stands, and what
            // restates it counts in its stead.
            let first = old.file.sources[0].id.clone();
            let without_first = |case: &Case| Scenario {
                without_sources: case.find_source(&first).into_iter().collect(),
                ..Scenario::default()
            };
            // `--without` a claim's id that is a source's too: the claim, where there is one.
            let without_named = |case: &Case| match case.find_claim(&id) {
                Some(c) => Scenario {
                    without_claims: BTreeSet::from([c]),
                    ..Scenario::default()
                },
                None => Scenario {
                    without_sources: case.find_source(&id).into_iter().collect(),
                    ..Scenario::default()
                },
            };
            let scenarios: [&dyn Fn(&Case) -> Scenario; 3] =
                [&none, &without_first, &without_named];
            let mut compared = 0;
            for revision in revisions(&old.file)
                .into_iter()
                .chain(link_revisions(&old.file))
            {
                let new = loaded(revision);
                for scenario in scenarios {
                    let measured = |m| diff_measured(&old, &new, scenario, 0.005, None, m);
                    let (reached, every) = (measured(Measure::Reached), measured(Measure::Every));
                    assert_eq!(reached, every, "{:?}", reached.changes);
                    compared += usize::from(reached.moved());
                }
            }
            assert!(compared > 10, "only {compared} revisions moved a judgement");
        }
    }
}
