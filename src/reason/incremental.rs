//! Sensitivity by incremental re-derivation: what one incident's judgements become when one
//! claim or source is set aside, in time proportional to what the removal touches rather than
//! to the incident.
//!
//! Propagation is separable by family: a line is the maximum share of its family (and the OR of
//! its strong flags), and what crosses a link, a pair or a competition is computed family by
//! family from the lines of the actor it leaves. So a removal is replayed as a set of
//! *replaced contributions*: the claims it touches (the removed ones and the claims that
//! restate them, whose echo status or families change) replace their direct contributions;
//! at each actor only the families those replacements carry are re-taken, from the shares of
//! that family alone; and an actor passes anything on only when the side that crosses changed
//! (support up and across, opposition down) or the link or pair it crosses changed belief.
//! Actors are visited in the engine's order (parts before wholes, then wholes before parts), so
//! everything an actor receives is in place before it passes on.
//!
//! Every number is computed by the same functions as the full propagation (`direct`,
//! `passed`, `opposing`, the per-family maximum) and the judgement's sums are taken over the
//! whole line list in family-name order, so the result is bit for bit a full recomputation's
//! (property-tested in `src/properties.rs`).

use super::{Contribution, Derivation, Engine, Line, Origin, Removal, opposing, passed};
use crate::model::{ClaimId, EntityId, FamilyId, IncidentId, Statement};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cmp::Reverse;
use std::collections::BTreeSet;

/// Which pass an origin belongs to: 0 direct claims, 1 what arrives before the upward pass
/// passes on (pairs and chains), 2 what arrives after it (competitors, inherited opposition).
fn stage(origin: Origin) -> usize {
    match origin {
        Origin::Direct(_) => 0,
        Origin::SameAs { .. } | Origin::Chain { .. } => 1,
        Origin::Competing { .. } | Origin::Inherited { .. } => 2,
    }
}

/// The numbers a judgement's likelihood and confidence are read from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Verdict {
    /// Supporting evidence: the lines' `r` summed in family-name order.
    pub(crate) r: f64,
    /// Opposing evidence, likewise.
    pub(crate) s: f64,
    /// Strong lines (model §7).
    pub(crate) strong_lines: usize,
}

impl Verdict {
    /// The verdict of a list of lines, summed as [`super::fuse`] sums them.
    pub(crate) fn of(lines: &[Line]) -> Verdict {
        Verdict {
            r: lines.iter().map(|l| l.r).sum(),
            s: lines.iter().map(|l| l.s).sum(),
            strong_lines: lines.iter().filter(|l| l.strong()).count(),
        }
    }
}

/// Claims indexed for removals: who restates whom, what each source said, which link or pair
/// a claim is on. Built once per engine.
pub(crate) struct ClaimIndex {
    children: Vec<Vec<ClaimId>>,
    by_source: Vec<Vec<ClaimId>>,
    link_of: HashMap<ClaimId, usize>,
    pair_of: HashMap<ClaimId, usize>,
}

impl ClaimIndex {
    pub(crate) fn new(engine: &Engine<'_>) -> ClaimIndex {
        let case = engine.case;
        let mut children = vec![Vec::new(); case.claims.len()];
        let mut by_source = vec![Vec::new(); case.sources.len()];
        for (i, c) in case.claims.iter().enumerate() {
            let id = ClaimId(i as u32);
            by_source[c.source.0 as usize].push(id);
            for &o in &c.derived_from {
                children[o.0 as usize].push(id);
            }
        }
        let mut link_of = HashMap::default();
        for (k, l) in engine.links.iter().enumerate() {
            for &c in &l.claims {
                link_of.insert(c, k);
            }
        }
        let mut pair_of = HashMap::default();
        for (k, p) in engine.pairs.iter().enumerate() {
            for &c in &p.claims {
                pair_of.insert(c, k);
            }
        }
        ClaimIndex {
            children,
            by_source,
            link_of,
            pair_of,
        }
    }
}

/// Adds to `touched` the families whose share differs between two versions of a contribution:
/// only those can change a line. What crosses a link carries one share per line of the actor
/// it leaves, so in a large incident a removal changes one share of hundreds; walking both
/// lists in family order (as `passed` makes them) finds it without re-taking the others.
fn differing(
    old: Option<&Contribution>,
    new: Option<&Contribution>,
    rank: &[u32],
    touched: &mut Vec<FamilyId>,
) {
    let (old, new) = match (old, new) {
        (Some(o), Some(n)) => (&o.shares, &n.shares),
        (o, n) => {
            for c in o.into_iter().chain(n) {
                touched.extend(c.shares.iter().map(|sh| sh.family));
            }
            return;
        }
    };
    let key = |sh: &super::Share| rank[sh.family.0 as usize];
    if !old.is_sorted_by_key(key) || !new.is_sorted_by_key(key) {
        touched.extend(old.iter().chain(new).map(|sh| sh.family));
        return;
    }
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some(a), Some(b)) if key(a) == key(b) => {
                if a != b {
                    touched.push(a.family);
                }
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if key(a) < key(b) => {
                touched.push(a.family);
                i += 1;
            }
            (Some(_), Some(b)) | (None, Some(b)) => {
                touched.push(b.family);
                j += 1;
            }
            (Some(a), None) => {
                touched.push(a.family);
                i += 1;
            }
            (None, None) => break,
        }
    }
}

/// One actor of the base derivation: its contributions by origin and by family, and its lines
/// after each pass.
struct Node<'d> {
    contributions: &'d [Contribution],
    by_origin: HashMap<Origin, u32>,
    by_family: HashMap<FamilyId, Vec<u32>>,
    /// Lines of the contributions of stage ≤ 0, ≤ 1, ≤ 2.
    lines: [Vec<Line>; 3],
}

/// One incident's base derivation, ready to replay removals on.
pub(crate) struct Incremental<'a, 'c> {
    engine: &'a Engine<'c>,
    index: &'a ClaimIndex,
    incident: IncidentId,
    nodes: HashMap<EntityId, Node<'a>>,
}

/// Replaced contributions at one actor: by origin, `None` when the contribution is gone.
type Patch = Vec<(Origin, Option<Contribution>)>;

/// Lines of one stage after a patch, and which sides changed.
struct Relined {
    lines: Vec<Line>,
    /// Some family's support or its strong flag changed.
    r: bool,
    /// Some family's opposition or its strong flag changed.
    s: bool,
}

impl<'a, 'c> Incremental<'a, 'c> {
    pub(crate) fn new(
        engine: &'a Engine<'c>,
        index: &'a ClaimIndex,
        derivation: &'a Derivation,
    ) -> Incremental<'a, 'c> {
        let nodes = derivation
            .fused
            .iter()
            .map(|(&x, f)| {
                let mut by_origin = HashMap::default();
                let mut by_family: HashMap<FamilyId, Vec<u32>> = HashMap::default();
                for (i, c) in f.contributions.iter().enumerate() {
                    by_origin.insert(c.origin, i as u32);
                    for sh in &c.shares {
                        let v = by_family.entry(sh.family).or_default();
                        if v.last() != Some(&(i as u32)) {
                            v.push(i as u32);
                        }
                    }
                }
                let of_stage = |st: usize| {
                    super::lines_by(
                        f.contributions.iter().filter(|c| stage(c.origin) <= st),
                        &engine.family_rank,
                    )
                };
                let lines = [of_stage(0), of_stage(1), f.lines.clone()];
                (
                    x,
                    Node {
                        contributions: &f.contributions,
                        by_origin,
                        by_family,
                        lines,
                    },
                )
            })
            .collect();
        Incremental {
            engine,
            index,
            incident: derivation.incident,
            nodes,
        }
    }

    fn base_lines(&self, x: EntityId, st: usize) -> &[Line] {
        self.nodes.get(&x).map_or(&[], |n| &n.lines[st])
    }

    fn base_contribution(&self, x: EntityId, origin: Origin) -> Option<&Contribution> {
        let n = self.nodes.get(&x)?;
        n.by_origin
            .get(&origin)
            .map(|&i| &n.contributions[i as usize])
    }

    /// The lines of stage `st` at `x` with `patch` applied; `None` when no line changed. Only
    /// the families the patch's old and new contributions carry are re-taken.
    fn relined(&self, x: EntityId, st: usize, patch: Option<&Patch>) -> Option<Relined> {
        let patch = patch?;
        let touched = self.touched(x, st, patch);
        if touched.is_empty() {
            return None;
        }
        let rank = &self.engine.family_rank;
        let node = self.nodes.get(&x);
        let base = self.base_lines(x, st);
        let mut changed: Vec<(u32, Option<Line>)> = Vec::new();
        let (mut r_changed, mut s_changed) = (false, false);
        for f in touched {
            let new = family_line(node, st, f, patch);
            let r = rank[f.0 as usize];
            let old = base
                .binary_search_by_key(&r, |l| rank[l.family.0 as usize])
                .ok()
                .map(|i| base[i]);
            let side = |l: Option<Line>| {
                l.map_or((0.0, false, 0.0, false), |l| {
                    (l.r, l.strong_for, l.s, l.strong_against)
                })
            };
            let (a, b) = (side(old), side(new));
            let dr = a.0 != b.0 || a.1 != b.1;
            let ds = a.2 != b.2 || a.3 != b.3;
            if dr || ds || old.is_some() != new.is_some() {
                r_changed |= dr;
                s_changed |= ds;
                changed.push((r, new));
            }
        }
        if changed.is_empty() {
            return None;
        }
        let mut lines = base.to_vec();
        for (r, new) in changed {
            match (
                lines.binary_search_by_key(&r, |l| rank[l.family.0 as usize]),
                new,
            ) {
                (Ok(i), Some(l)) => lines[i] = l,
                (Ok(i), None) => {
                    lines.remove(i);
                }
                (Err(i), Some(l)) => lines.insert(i, l),
                (Err(_), None) => {}
            }
        }
        Some(Relined {
            lines,
            r: r_changed,
            s: s_changed,
        })
    }

    /// The families the patch touches at `x` in stage `st`: those whose share differs between
    /// the contributions it replaces and their replacements, in the canonical family order.
    fn touched(&self, x: EntityId, st: usize, patch: &Patch) -> Vec<FamilyId> {
        let rank = &self.engine.family_rank;
        let mut touched: Vec<FamilyId> = Vec::new();
        for (origin, new) in patch.iter().filter(|(o, _)| stage(*o) <= st) {
            let old = self.base_contribution(x, *origin);
            differing(old, new.as_ref(), rank, &mut touched);
        }
        touched.sort_by_key(|f| rank[f.0 as usize]);
        touched.dedup();
        touched
    }

    /// The final lines of every actor whose lines change when `item` is set aside (actors
    /// not listed keep their lines): the claims it touches, then the passes of the full
    /// propagation in its order, each replaying only what changed.
    pub(crate) fn without(&self, item: Removal) -> HashMap<EntityId, Vec<Line>> {
        let mut changes = self.seed(item);
        self.across_pairs(&mut changes);
        self.upward(&mut changes);
        self.downward(&mut changes)
    }

    /// What setting `item` aside changes at once: the direct contributions of the claims it
    /// touches (its own, and the claims restating them), and the beliefs of the links and
    /// pairs those claims are on.
    fn seed(&self, item: Removal) -> Changes {
        let engine = self.engine;
        let case = engine.case;
        let removed = [item];
        let mut affected: Vec<ClaimId> = match item {
            Removal::Claim(c) => vec![c],
            Removal::Source(s) => self.index.by_source[s.0 as usize].clone(),
        };
        let restating: Vec<ClaimId> = affected
            .iter()
            .flat_map(|c| self.index.children[c.0 as usize].iter().copied())
            .collect();
        affected.extend(restating);
        affected.sort_unstable();
        affected.dedup();

        let mut changes = Changes::default();
        for &c in &affected {
            match case.claim(c).statement {
                Statement::Responsible { incident, actor } if incident == self.incident => {
                    let new = (engine.present(c, &removed)
                        && !engine.is_echo(c, &removed)
                        && engine.usable(c, &removed))
                    .then(|| engine.direct(c, &removed));
                    let origin = Origin::Direct(c);
                    if self.base_contribution(actor, origin) != new.as_ref() {
                        changes
                            .patches
                            .entry(actor)
                            .or_default()
                            .push((origin, new));
                    }
                }
                Statement::Link { .. } => {
                    if let Some(&k) = self.index.link_of.get(&c) {
                        let b = engine.link_belief(k, &removed);
                        if b != engine.link_beliefs[k] {
                            changes.links.insert(k, b);
                        }
                    }
                }
                Statement::SameAs { .. } => {
                    if let Some(&k) = self.index.pair_of.get(&c) {
                        let b = engine.claims_belief(&engine.pairs[k].claims, &removed);
                        if b != engine.pair_beliefs[k] {
                            changes.pairs.insert(k, b);
                        }
                    }
                }
                _ => {}
            }
        }
        changes
    }

    /// "Possibly same as": direct support, one hop, from every actor on a pair whose direct
    /// support changed and across every pair whose belief changed.
    fn across_pairs(&self, changes: &mut Changes) {
        let engine = self.engine;
        let mut across: BTreeSet<(EntityId, usize)> = BTreeSet::new();
        let mut direct_lines: HashMap<EntityId, Vec<Line>> = HashMap::default();
        for (&x, patch) in &changes.patches {
            if engine.pairs_of[x.0 as usize].is_empty() {
                continue;
            }
            if let Some(re) = self.relined(x, 0, Some(patch)) {
                if re.r {
                    across.extend(engine.pairs_of[x.0 as usize].iter().map(|&k| (x, k)));
                }
                direct_lines.insert(x, re.lines);
            }
        }
        for &k in changes.pairs.keys() {
            across.insert((engine.pairs[k].a, k));
            across.insert((engine.pairs[k].b, k));
        }
        for (x, k) in across {
            let pair = &engine.pairs[k];
            let z = if pair.a == x { pair.b } else { pair.a };
            let lines = direct_lines
                .get(&x)
                .map_or_else(|| self.base_lines(x, 0), |l| l.as_slice());
            let origin = Origin::SameAs { from: x, pair: k };
            let new = passed(lines, changes.pair_belief(engine, k), false, true, origin);
            if self.base_contribution(z, origin) != new.as_ref() {
                changes.set(z, origin, new);
            }
        }
    }

    /// Support up the links, parts before wholes, and each changed support on to the
    /// competing hypotheses as opposition.
    fn upward(&self, changes: &mut Changes) {
        let engine = self.engine;
        let case = engine.case;
        let mut pending: BTreeSet<(u32, EntityId)> = changes
            .patches
            .keys()
            .map(|&x| (engine.rank[x.0 as usize], x))
            .collect();
        pending.extend(changes.links.keys().map(|&k| {
            let x = engine.links[k].from;
            (engine.rank[x.0 as usize], x)
        }));
        let mut upward: HashMap<EntityId, Vec<Line>> = HashMap::default();
        while let Some((_, x)) = pending.pop_first() {
            let re = self.relined(x, 1, changes.patches.get(&x));
            let r_changed = re.as_ref().is_some_and(|re| re.r);
            if let Some(re) = re {
                upward.insert(x, re.lines);
            }
            for &k in &engine.out_links[x.0 as usize] {
                if !r_changed && !changes.links.contains_key(&k) {
                    continue;
                }
                let link = &engine.links[k];
                let lines = upward
                    .get(&x)
                    .map_or_else(|| self.base_lines(x, 1), |l| l.as_slice());
                let origin = Origin::Chain { from: x, link: k };
                let belief = changes.link_belief(engine, k);
                let new = passed(lines, belief, link.structural, true, origin);
                if self.base_contribution(link.to, origin) != new.as_ref() {
                    changes.set(link.to, origin, new);
                    pending.insert((engine.rank[link.to.0 as usize], link.to));
                }
            }
            if r_changed {
                // Competing hypotheses take this actor's support as it stands after the
                // upward pass.
                for &k in engine.exclusive_sets(self.incident) {
                    let members = &case.exclusive[k].members;
                    if !members.contains(&x) {
                        continue;
                    }
                    let origin = Origin::Competing { from: x };
                    let new = passed(&upward[&x], 1.0, true, true, origin).map(opposing);
                    for &i in members.iter().filter(|&&i| i != x) {
                        if self.base_contribution(i, origin) != new.as_ref() {
                            changes.set(i, origin, new.clone());
                        }
                    }
                }
            }
        }
    }

    /// Opposition down the links, wholes before parts; the final lines of every actor
    /// whose lines changed.
    fn downward(&self, changes: &mut Changes) -> HashMap<EntityId, Vec<Line>> {
        let engine = self.engine;
        let mut pending: BTreeSet<(Reverse<u32>, EntityId)> = changes
            .patches
            .keys()
            .map(|&x| (Reverse(engine.rank[x.0 as usize]), x))
            .collect();
        pending.extend(changes.links.keys().map(|&k| {
            let y = engine.links[k].to;
            (Reverse(engine.rank[y.0 as usize]), y)
        }));
        let mut out: HashMap<EntityId, Vec<Line>> = HashMap::default();
        let mut done: HashSet<EntityId> = HashSet::default();
        while let Some((_, y)) = pending.pop_first() {
            if !done.insert(y) {
                continue;
            }
            let re = self.relined(y, 2, changes.patches.get(&y));
            let s_changed = re.as_ref().is_some_and(|re| re.s);
            if let Some(re) = re {
                out.insert(y, re.lines);
            }
            for &k in &engine.in_links[y.0 as usize] {
                if !s_changed && !changes.links.contains_key(&k) {
                    continue;
                }
                let link = &engine.links[k];
                let lines = out
                    .get(&y)
                    .map_or_else(|| self.base_lines(y, 2), |l| l.as_slice());
                let origin = Origin::Inherited { from: y, link: k };
                let belief = changes.link_belief(engine, k);
                let new = passed(lines, belief, link.structural, false, origin);
                if self.base_contribution(link.from, origin) != new.as_ref() {
                    changes.set(link.from, origin, new);
                    pending.insert((Reverse(engine.rank[link.from.0 as usize]), link.from));
                }
            }
        }
        out
    }
}

/// Family `f`'s line in stage `st` at an actor (`node`: `None` when it had no contribution),
/// with `patch` applied: the maximum of its shares over the contributions the patch leaves and
/// those it brings; `None` when it has none.
fn family_line(node: Option<&Node<'_>>, st: usize, f: FamilyId, patch: &Patch) -> Option<Line> {
    let mut line = Line {
        family: f,
        r: 0.0,
        s: 0.0,
        strong_for: false,
        strong_against: false,
        for_from: None,
        against_from: None,
    };
    let mut present = false;
    let mut take = |c: &Contribution| {
        for sh in c.shares.iter().filter(|sh| sh.family == f) {
            if sh.r > 0.0 || sh.s > 0.0 {
                present = true;
            }
            if sh.r > 0.0 {
                line.strong_for |= sh.strong;
                if sh.r > line.r {
                    line.r = sh.r;
                }
            }
            if sh.s > 0.0 {
                line.strong_against |= sh.strong;
                if sh.s > line.s {
                    line.s = sh.s;
                }
            }
        }
    };
    if let Some(n) = node
        && let Some(list) = n.by_family.get(&f)
    {
        for &i in list {
            let c = &n.contributions[i as usize];
            if stage(c.origin) <= st && !patch.iter().any(|(o, _)| *o == c.origin) {
                take(c);
            }
        }
    }
    for (_, new) in patch.iter().filter(|(o, _)| stage(*o) <= st) {
        if let Some(c) = new {
            take(c);
        }
    }
    present.then_some(line)
}

/// What a removal changes as it is replayed: the contributions it replaces at each actor, and
/// the links and pairs whose belief it changes (with the new belief).
#[derive(Default)]
struct Changes {
    patches: HashMap<EntityId, Patch>,
    links: HashMap<usize, f64>,
    pairs: HashMap<usize, f64>,
}

impl Changes {
    /// Replaces the contribution of `origin` at `x` (a later replacement wins).
    fn set(&mut self, x: EntityId, origin: Origin, new: Option<Contribution>) {
        let patch = self.patches.entry(x).or_default();
        match patch.iter_mut().find(|(o, _)| *o == origin) {
            Some(slot) => slot.1 = new,
            None => patch.push((origin, new)),
        }
    }

    /// Link `k`'s belief after the removal.
    fn link_belief(&self, engine: &Engine<'_>, k: usize) -> f64 {
        self.links
            .get(&k)
            .copied()
            .unwrap_or(engine.link_beliefs[k])
    }

    /// Pair `k`'s belief after the removal.
    fn pair_belief(&self, engine: &Engine<'_>, k: usize) -> f64 {
        self.pairs
            .get(&k)
            .copied()
            .unwrap_or(engine.pair_beliefs[k])
    }
}
