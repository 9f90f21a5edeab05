//! Sensitivity by incremental re-derivation: what one incident's judgements become when one
//! claim or source is set aside, in time proportional to what the removal touches rather than
//! to the incident.
//!
//! Propagation is separable by family: a line is the maximum share of its family (and the OR of
//! its strong flags), and what crosses a link, a pair or a competition is computed family by
//! family from the lines of the actor it leaves. So a removal is replayed as a set of
//! *replaced shares* (an origin, a family, the share it now carries): the claims it touches
//! (the removed ones and the claims that restate them, whose echo status or families change)
//! replace the shares of their direct contributions; at each actor only the families replaced
//! are re-taken, from the shares of that family alone; and an actor passes on only the
//! families whose side that crosses changed (support up and across, opposition down), one
//! share each, or every share across a link or pair whose belief the removal changed. Actors
//! are visited in the engine's order (parts before wholes, then wholes before parts), so
//! everything an actor receives is in place before it passes on. A removal that changes no
//! line of direct claims changes nothing, and most claims are recognised as such at once.
//!
//! Every number is computed by the same functions as the full propagation (`direct`,
//! `pass_share`, `opposing_share`, the per-family maximum `Line::take`) and the judgement's
//! sums are taken over the whole line list in family-name order (from the sum of the
//! unchanged lines before the first changed one), so the result is bit for bit a full
//! recomputation's (property-tested in `src/properties.rs`).

use super::{Contribution, Derivation, Engine, Line, Origin, Removal, Share};
use crate::model::{ClaimId, EntityId, FamilyId, IncidentId, SourceId, Statement};
use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;
use std::borrow::Cow;
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
            r: lines.iter().fold(0.0, |a, l| a + l.r),
            s: lines.iter().fold(0.0, |a, l| a + l.s),
            strong_lines: lines.iter().filter(|l| l.strong()).count(),
        }
    }
}

/// Claims indexed for removals: who restates whom, and the link and pair claims each source's
/// removal touches. Built once per engine.
pub(crate) struct ClaimIndex {
    children: Vec<Vec<ClaimId>>,
    /// The restatements carrying each original, when the case's originals are indexed.
    carrying: Option<Carrying>,
    /// For each source, the claims on links and pairs that setting it aside touches: its own
    /// and those restating its claims, in claim order. (Its claims on incidents are indexed
    /// per incident, by [`Incremental::new`]: a source speaks of many incidents, and a replay
    /// should not walk them all.)
    structural_by_source: Vec<Vec<ClaimId>>,
    link_of: HashMap<ClaimId, usize>,
    pair_of: HashMap<ClaimId, usize>,
    /// For each source `s`, the actors at the ends of the links and pairs of
    /// `structural_by_source[s]`, as `ends[ends_at[s]..ends_at[s + 1]]` (one flat list: it is
    /// read for every source behind every hypothesis, see [`Incremental::structural_here`]).
    ends_at: Vec<u32>,
    ends: Vec<EntityId>,
    /// For each claim on a link or pair, the lines of evidence (families) whose setting aside
    /// touches it: those of [`touching_sources`].
    structural_families: HashMap<ClaimId, Vec<FamilyId>>,
    /// Claims and sources by id, for listing what is behind each hypothesis.
    pub(crate) order: super::IdOrder,
}

impl ClaimIndex {
    pub(crate) fn new(engine: &Engine<'_>) -> ClaimIndex {
        let case = engine.case;
        let mut children = vec![Vec::new(); case.claims.len()];
        let mut structural_by_source = vec![Vec::new(); case.sources.len()];
        for (i, c) in case.claims.iter().enumerate() {
            let id = ClaimId(i as u32);
            for &o in &c.derived_from {
                children[o.0 as usize].push(id);
            }
            if matches!(
                c.statement,
                Statement::Link { .. } | Statement::SameAs { .. }
            ) {
                for s in touching_sources(engine, id) {
                    structural_by_source[s.0 as usize].push(id);
                }
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
        let mut ends_at = Vec::with_capacity(case.sources.len() + 1);
        let mut ends = Vec::new();
        ends_at.push(0);
        for claims in &structural_by_source {
            let mut mine = Vec::new();
            for c in claims {
                match (link_of.get(c), pair_of.get(c)) {
                    (Some(&k), _) => mine.extend([engine.links[k].from, engine.links[k].to]),
                    (None, Some(&k)) => mine.extend([engine.pairs[k].a, engine.pairs[k].b]),
                    (None, None) => {}
                }
            }
            mine.sort_unstable();
            mine.dedup();
            ends.extend(mine);
            ends_at.push(ends.len() as u32);
        }
        let mut structural_families: HashMap<ClaimId, Vec<FamilyId>> = HashMap::default();
        for (s, claims) in structural_by_source.iter().enumerate() {
            let family = case.sources[s].family;
            for &c in claims {
                let families = structural_families.entry(c).or_default();
                if !families.contains(&family) {
                    families.push(family);
                }
            }
        }
        ClaimIndex {
            children,
            carrying: engine
                .originals
                .as_ref()
                .map(|index| Carrying::new(case, index)),
            structural_by_source,
            link_of,
            pair_of,
            ends_at,
            ends,
            structural_families,
            order: super::IdOrder::new(case),
        }
    }
}

/// For each original claim, the restatements that carry it, at any remove: those whose list
/// of originals ([`crate::model::Originals`]) holds it. Read from the shared lists, so that a
/// report restating every claim of another that restates many is found once per list, not
/// walked claim by claim for every original set aside.
struct Carrying {
    /// Each original with each list holding it (by where the list starts), sorted.
    holding: Vec<(ClaimId, u32)>,
    /// The restatements having each list, by where it starts.
    claims: HashMap<u32, Vec<ClaimId>>,
}

impl Carrying {
    fn new(case: &crate::model::Case, index: &crate::model::Originals) -> Carrying {
        let mut claims: HashMap<u32, Vec<ClaimId>> = HashMap::default();
        let mut holding: Vec<(ClaimId, u32)> = Vec::new();
        for x in case.claim_ids() {
            if case.claim(x).derived_from.is_empty() {
                continue;
            }
            let start = index.start(x);
            let having = claims.entry(start).or_default();
            if having.is_empty() {
                holding.extend(index.of(x).iter().map(|&o| (o, start)));
            }
            having.push(x);
        }
        holding.sort_unstable();
        Carrying { holding, claims }
    }

    /// The restatements carrying original `o`, each once.
    fn of(&self, o: ClaimId) -> impl Iterator<Item = ClaimId> + '_ {
        let from = self.holding.partition_point(|&(x, _)| x < o);
        let to = self.holding.partition_point(|&(x, _)| x <= o);
        (self.holding[from..to].iter()).flat_map(|(_, start)| self.claims[start].iter().copied())
    }
}

/// The sources whose removal touches claim `c`: its own, and those of the original claims at
/// the roots of its chain of restatements, whose evidence it carries
/// ([`crate::model::Case::missing_roots`]).
fn touching_sources(engine: &Engine<'_>, c: ClaimId) -> Vec<SourceId> {
    let case = engine.case;
    let mut sources = vec![case.claim(c).source];
    // Only the originals' sources: no restatement in the middle ends the chain.
    let originals = engine.originals_of(c);
    sources.extend(originals.iter().map(|&o| case.claim(o).source));
    sources.sort_unstable();
    sources.dedup();
    sources
}

/// What [`ClaimIndex::restated_by_another`] found below each claim it walked, by the source
/// and the statement (canonical) it looked for: whether a claim of another source restating
/// that statement is there, at any remove.
#[derive(Default)]
pub(crate) struct RestatedBelow(HashMap<(SourceId, Statement, ClaimId), bool>);

impl ClaimIndex {
    /// Whether a claim of another source restates `c`, or a restatement of it, at any
    /// remove, making the same statement: set aside with its source (and the source's
    /// restatements of it), `c` may have a restatement standing in for it; set aside with its
    /// line of evidence, none. (A restatement saying something else stands in for nothing.)
    ///
    /// `known` keeps what each walk found below each claim it reached, for the source and
    /// statement asked about, so that the claims of a chain of restatements by one source
    /// are answered in one walk down it rather than one walk each (quadratic in its length).
    pub(crate) fn restated_by_another(
        &self,
        case: &crate::model::Case,
        c: ClaimId,
        known: &mut RestatedBelow,
    ) -> bool {
        let (source, said) = (case.claim(c).source, case.claim(c).statement.canonical());
        let key = |x: ClaimId| (source, said, x);
        if let Some(&found) = known.0.get(&key(c)) {
            return found;
        }
        // Depth first, the path kept: when a restatement is found, every claim on the path
        // leads to it; a claim left with nothing found below leads to none. A claim is marked
        // as leading to none when entered, which also ends a walk round a circle of
        // restatements (which validation refuses).
        known.0.insert(key(c), false);
        let mut path: Vec<(ClaimId, usize)> = vec![(c, 0)];
        while let Some((x, next)) = path.last_mut() {
            let Some(&d) = self.children[x.0 as usize].get(*next) else {
                path.pop();
                continue;
            };
            *next += 1;
            let other = case.claim(d);
            let found = (other.source != source && other.statement.canonical() == said)
                || match known.0.get(&key(d)) {
                    Some(&found) => found,
                    None => {
                        known.0.insert(key(d), false);
                        path.push((d, 0));
                        false
                    }
                };
            if found {
                for &(x, _) in &path {
                    known.0.insert(key(x), true);
                }
                return true;
            }
        }
        false
    }

    /// The claims whose contribution setting `c` aside can change, pushed onto `out`: for an
    /// original claim, those restating it at any remove (each carries the originals at the
    /// roots of its chain, `Case::missing_roots`); for a restatement, none (no restatement
    /// ends a chain, present or not).
    fn restating(&self, case: &crate::model::Case, c: ClaimId, out: &mut SmallVec<[ClaimId; 8]>) {
        if self.children[c.0 as usize].is_empty() || !case.claim(c).derived_from.is_empty() {
            return;
        }
        if let Some(carrying) = &self.carrying {
            out.extend(carrying.of(c));
            return;
        }
        // Each restatement once: claims restating every claim of a report that restates
        // every claim of the one before are reached by many ways.
        let mut stack = vec![c];
        let mut seen: rustc_hash::FxHashSet<ClaimId> = Default::default();
        while let Some(x) = stack.pop() {
            for &d in &self.children[x.0 as usize] {
                if seen.insert(d) {
                    out.push(d);
                    stack.push(d);
                }
            }
        }
    }
}

/// One actor of the base derivation: its contributions by origin and by family, and its lines
/// after each pass.
struct Node<'d> {
    contributions: &'d [Contribution],
    /// Whether each contribution's shares are in family-name order (what crosses a link always
    /// is), so that a family's share is found by binary search.
    ranked: Vec<bool>,
    by_origin: HashMap<Origin, u32>,
    /// (family, contribution) for every share, sorted: a family's contributions are a run.
    by_family: Vec<(FamilyId, u32)>,
    /// Lines of the contributions of stage ≤ 0 and ≤ 1, each `None` where it is the next
    /// stage's (an actor that only direct claims name, as most are, has one list of lines).
    early: [Option<Vec<Line>>; 2],
    /// Lines of all its contributions: the derivation's.
    lines: &'d [Line],
    /// Before each final line (and after the last), the verdict of the lines before it, summed
    /// as [`Verdict::of`] sums them: a removal that changes a line re-sums only from there on.
    prefix: Vec<Verdict>,
    /// Per family, what decides its line of direct claims ([`Top`]).
    tops: HashMap<FamilyId, Top>,
}

/// What decides one family's line of direct claims at an actor, counted so that a removal can
/// be told to change nothing without taking the line again over every share (a source with
/// thousands of claims on one hypothesis would make that quadratic): the largest supporting
/// and opposing shares and how many shares reach each, how many strong shares each side has,
/// and how many shares carry any evidence.
#[derive(Debug, Clone, Copy, Default)]
struct Top {
    r: f64,
    at_r: u32,
    strong_r: u32,
    s: f64,
    at_s: u32,
    strong_s: u32,
    present: u32,
}

impl Top {
    /// Counts one share in, as [`Line::take`] takes it.
    fn take(&mut self, sh: &Share) {
        fn side(best: &mut f64, at: &mut u32, strong: &mut u32, x: f64, is_strong: bool) {
            if x > 0.0 {
                *strong += u32::from(is_strong);
                if x > *best {
                    *best = x;
                    *at = 1;
                } else if x == *best {
                    *at += 1;
                }
            }
        }
        side(
            &mut self.r,
            &mut self.at_r,
            &mut self.strong_r,
            sh.r,
            sh.strong,
        );
        side(
            &mut self.s,
            &mut self.at_s,
            &mut self.strong_s,
            sh.s,
            sh.strong,
        );
        self.present += u32::from(sh.r > 0.0 || sh.s > 0.0);
    }

    /// Whether the line keeps its evidence, strong flags and presence on both sides when the
    /// shares `gone` (of distinct contributions counted in) are taken out: it loses one of them
    /// only when every share that gave it goes.
    fn keeps(&self, gone: &[Share]) -> bool {
        let all_gone = |total: u32, lost: &dyn Fn(&Share) -> bool| {
            total > 0 && gone.iter().filter(|g| lost(g)).count() as u32 == total
        };
        !(all_gone(self.at_r, &|g| g.r > 0.0 && g.r == self.r)
            || all_gone(self.strong_r, &|g| g.r > 0.0 && g.strong)
            || all_gone(self.at_s, &|g| g.s > 0.0 && g.s == self.s)
            || all_gone(self.strong_s, &|g| g.s > 0.0 && g.strong)
            || all_gone(self.present, &|g| g.r > 0.0 || g.s > 0.0))
    }
}

/// One incident's base derivation, ready to replay removals on.
pub(crate) struct Incremental<'a, 'c> {
    engine: &'a Engine<'c>,
    index: &'a ClaimIndex,
    incident: IncidentId,
    nodes: HashMap<EntityId, Node<'a>>,
    /// For each source, the claims on this incident that setting it aside touches (its own and
    /// those restating its claims), in claim order.
    by_source: HashMap<SourceId, Vec<ClaimId>>,
}

/// One replaced share: the share of `family` in the contribution of `origin` at an actor
/// (`None`: it has none, or the contribution is gone). What a removal changes is carried
/// family by family, so that a path through an actor with hundreds of lines costs only the
/// families the removal touched.
#[derive(Debug, Clone, Copy)]
struct Entry {
    origin: Origin,
    family: FamilyId,
    share: Option<Share>,
}

/// A line of one stage that a removal changed, and which of its sides did.
#[derive(Debug, Clone, Copy)]
struct Changed {
    /// The family's rank in family-name order.
    rank: u32,
    family: FamilyId,
    /// The new line; `None` when the family has no evidence left there.
    line: Option<Line>,
    /// Its support or the strong flag of its support changed.
    r: bool,
    /// Its opposition or the strong flag of its opposition changed.
    s: bool,
}

/// The lines a removal changed at one actor: most change one or two.
type Relined = SmallVec<[Changed; 2]>;

/// The final lines a removal changed at each actor it reached (actors not listed keep theirs).
type Outcome = Vec<(EntityId, Relined)>;

impl<'a, 'c> Incremental<'a, 'c> {
    pub(crate) fn new(
        engine: &'a Engine<'c>,
        index: &'a ClaimIndex,
        derivation: &'a Derivation,
    ) -> Incremental<'a, 'c> {
        let rank = &engine.family_rank;
        let nodes = derivation
            .fused
            .iter()
            .map(|(&x, f)| {
                // Sized from the contributions and lines: grown an insert at a time, the maps
                // of an incident's actors were rehashed hundreds of thousands of times at 10^5.
                let mut by_origin =
                    HashMap::with_capacity_and_hasher(f.contributions.len(), Default::default());
                let mut by_family = Vec::with_capacity(f.lines.len());
                for (i, c) in f.contributions.iter().enumerate() {
                    by_origin.insert(c.origin, i as u32);
                    by_family.extend(c.shares.iter().map(|sh| (sh.family, i as u32)));
                }
                by_family.sort_unstable();
                by_family.dedup();
                let ranked = f
                    .contributions
                    .iter()
                    .map(|c| c.shares.is_sorted_by_key(|sh| rank[sh.family.0 as usize]))
                    .collect();
                let of_stage = |st: usize| {
                    super::lines_by(
                        f.contributions.iter().filter(|c| stage(c.origin) <= st),
                        rank,
                    )
                };
                let has = |st: usize| f.contributions.iter().any(|c| stage(c.origin) == st);
                let early = [has(1).then(|| of_stage(0)), has(2).then(|| of_stage(1))];
                let prefix = prefix_verdicts(&f.lines);
                let mut tops: HashMap<FamilyId, Top> =
                    HashMap::with_capacity_and_hasher(f.lines.len(), Default::default());
                for c in f.contributions.iter().filter(|c| stage(c.origin) == 0) {
                    for sh in &c.shares {
                        tops.entry(sh.family).or_default().take(sh);
                    }
                }
                (
                    x,
                    Node {
                        contributions: &f.contributions,
                        ranked,
                        by_origin,
                        by_family,
                        early,
                        lines: &f.lines,
                        prefix,
                        tops,
                    },
                )
            })
            .collect();
        let case = engine.case;
        let mut by_source: HashMap<SourceId, Vec<ClaimId>> = HashMap::default();
        for &c in engine.incident_claims(derivation.incident) {
            if matches!(case.claim(c).statement, Statement::Responsible { .. }) {
                for s in touching_sources(engine, c) {
                    by_source.entry(s).or_default().push(c);
                }
            }
        }
        for claims in by_source.values_mut() {
            claims.sort_unstable();
        }
        Incremental {
            engine,
            index,
            incident: derivation.incident,
            nodes,
            by_source,
        }
    }

    fn rank(&self, f: FamilyId) -> u32 {
        self.engine.family_rank[f.0 as usize]
    }

    fn base_lines(&self, x: EntityId, st: usize) -> &[Line] {
        lines_of_stage(self.nodes.get(&x), st)
    }

    /// Family `f`'s line in stage `st` before the removal, at the actor of `node` (`None`: it
    /// had no contribution).
    fn base_line(&self, node: Option<&Node<'_>>, st: usize, f: FamilyId) -> Option<Line> {
        let lines = lines_of_stage(node, st);
        let r = self.rank(f);
        lines
            .binary_search_by_key(&r, |l| self.rank(l.family))
            .ok()
            .map(|i| lines[i])
    }

    fn base_contribution(&self, x: EntityId, origin: Origin) -> Option<(&Contribution, bool)> {
        let n = self.nodes.get(&x)?;
        n.by_origin
            .get(&origin)
            .map(|&i| (&n.contributions[i as usize], n.ranked[i as usize]))
    }

    /// The share of family `f` in a contribution (each family has at most one).
    fn share_in(&self, c: &Contribution, ranked: bool, f: FamilyId) -> Option<Share> {
        if ranked {
            let r = self.rank(f);
            c.shares
                .binary_search_by_key(&r, |sh| self.rank(sh.family))
                .ok()
                .map(|i| c.shares[i])
        } else {
            c.shares.iter().find(|sh| sh.family == f).copied()
        }
    }

    /// Family `f`'s share in the contribution of `origin` at `x` before the removal.
    fn base_share(&self, x: EntityId, origin: Origin, f: FamilyId) -> Option<Share> {
        let (c, ranked) = self.base_contribution(x, origin)?;
        self.share_in(c, ranked, f)
    }

    /// Records that the contribution of `origin` at `x` becomes `new` (`None`: gone): one entry
    /// per family whose share differs from the base contribution's.
    fn replace(
        &self,
        changes: &mut Changes,
        x: EntityId,
        origin: Origin,
        new: Option<&Contribution>,
    ) -> bool {
        let mut any = false;
        let base = self.base_contribution(x, origin);
        let new_ranked = new.is_some_and(|c| c.shares.is_sorted_by_key(|sh| self.rank(sh.family)));
        if let Some(c) = new {
            for sh in &c.shares {
                let old = base.and_then(|(b, ranked)| self.share_in(b, ranked, sh.family));
                if old != Some(*sh) {
                    changes.set(x, origin, sh.family, Some(*sh));
                    any = true;
                }
            }
        }
        if let Some((b, _)) = base {
            for sh in &b.shares {
                if new
                    .and_then(|c| self.share_in(c, new_ranked, sh.family))
                    .is_none()
                {
                    changes.set(x, origin, sh.family, None);
                    any = true;
                }
            }
        }
        any
    }

    /// Records that family `f`'s share in the contribution of `origin` at `x` becomes `new`;
    /// whether that differs from before.
    fn replace_share(
        &self,
        changes: &mut Changes,
        x: EntityId,
        origin: Origin,
        f: FamilyId,
        new: Option<Share>,
    ) -> bool {
        if self.base_share(x, origin, f) == new {
            // A later replacement may restore the base share: it must still replace an
            // earlier one.
            changes.restore(x, origin, f, new)
        } else {
            changes.set(x, origin, f, new);
            true
        }
    }

    /// The lines of stage `st` at `x` that its entries change, in family-name order (empty
    /// when none does). Only the families the entries carry are re-taken, each from the shares
    /// of that family alone.
    fn relined(&self, x: EntityId, st: usize, entries: Option<&Entries>) -> Relined {
        let Some(entries) = entries.map(|e| &e.list) else {
            return Relined::new();
        };
        let mut mine: SmallVec<[(u32, &Entry); 8]> = entries
            .iter()
            .filter(|e| stage(e.origin) <= st)
            .map(|e| (self.rank(e.family), e))
            .collect();
        if mine.is_empty() {
            return Relined::new();
        }
        mine.sort_by_key(|(r, _)| *r);
        let node = self.nodes.get(&x);
        let mut out = Relined::new();
        for group in mine.chunk_by(|a, b| a.0 == b.0) {
            let (rank, first) = group[0];
            let f = first.family;
            let new = self.family_line(node, st, f, group);
            let old = self.base_line(node, st, f);
            let (r, s) = sides_changed(old, new);
            if r || s || old.is_some() != new.is_some() {
                out.push(Changed {
                    rank,
                    family: f,
                    line: new,
                    r,
                    s,
                });
            }
        }
        out
    }

    /// Family `f`'s line in stage `st` at an actor (`node`: `None` when it had no
    /// contribution), with `entries` (all of family `f`) applied: the maximum of its shares
    /// over the contributions, each share replaced where an entry says so; `None` when it has
    /// none.
    fn family_line(
        &self,
        node: Option<&Node<'_>>,
        st: usize,
        f: FamilyId,
        entries: &[(u32, &Entry)],
    ) -> Option<Line> {
        let mut line = Line::empty(f);
        let mut present = false;
        let mut take = |sh: Share| {
            if sh.r > 0.0 || sh.s > 0.0 {
                present = true;
            }
            line.take(&sh, None);
        };
        if let Some(n) = node {
            // The contributions the entries replace, by index: a walk beside the family's
            // (both ascending), so that a source's thousands of claims cost no more each.
            let mut replaced: SmallVec<[u32; 8]> = entries
                .iter()
                .filter_map(|(_, e)| n.by_origin.get(&e.origin).copied())
                .collect();
            replaced.sort_unstable();
            let mut replaced = replaced.into_iter().peekable();
            let from = n.by_family.partition_point(|&(g, _)| g < f);
            let list = n.by_family[from..].iter().take_while(|&&(g, _)| g == f);
            for &(_, i) in list {
                while replaced.next_if(|&k| k < i).is_some() {}
                let c = &n.contributions[i as usize];
                if stage(c.origin) <= st
                    && replaced.peek() != Some(&i)
                    && let Some(sh) = self.share_in(c, n.ranked[i as usize], f)
                {
                    take(sh);
                }
            }
        }
        for (_, e) in entries {
            if let Some(sh) = e.share {
                take(sh);
            }
        }
        present.then_some(line)
    }

    /// The lines of stage `st` at `x` with `changed` applied.
    fn lines_with(&self, x: EntityId, st: usize, changed: &[Changed]) -> Vec<Line> {
        self.merged(x, st, changed).collect()
    }

    /// The lines of stage `st` at `x` with `changed` applied, in family-name order, as they
    /// are walked.
    fn merged<'m>(&'m self, x: EntityId, st: usize, changed: &'m [Changed]) -> Merged<'m> {
        Merged {
            rank: &self.engine.family_rank,
            base: self.base_lines(x, st),
            changed,
        }
    }

    /// A removal that changes on this incident exactly what `item` changes, for replays to be
    /// shared: a source whose one claim touching this incident is its own claim `c` (no claim
    /// here restates one of its claims) and whose claims on links and pairs carry nothing here
    /// ([`Incremental::structural_here`]) changes what `c` alone does. Most sources behind a
    /// hypothesis are such.
    pub(crate) fn equivalent(&self, item: Removal) -> Removal {
        if let Removal::Source(s) = item
            && !self.structural_here(s)
            && let Some(&[c]) = self.by_source.get(&s).map(Vec::as_slice)
            && self.engine.case.claim(c).source == s
        {
            return Removal::Claim(c);
        }
        item
    }

    /// Whether setting source `s` aside changes the belief of a link or pair that can carry
    /// anything on this incident: one with an end that has evidence here. (A link's belief
    /// scales what its lower end passes up and its upper end passes down, a pair's what either
    /// end passes across; an actor without evidence here passes nothing.) Only where the
    /// removal gives no actor new evidence: an echo that stands in for a removed origin can
    /// bring evidence to an actor that had none, so callers first rule echoes out.
    fn structural_here(&self, s: SourceId) -> bool {
        let (from, to) = (
            self.index.ends_at[s.0 as usize],
            self.index.ends_at[s.0 as usize + 1],
        );
        self.index.ends[from as usize..to as usize]
            .iter()
            .any(|x| self.nodes.contains_key(x))
    }

    /// The final lines of every actor whose lines change when `item` is set aside (actors
    /// not listed keep their lines): the claims it touches, then the passes of the full
    /// propagation in its order, each replaying only what changed.
    #[cfg(test)]
    pub(crate) fn without(&self, item: Removal) -> HashMap<EntityId, Vec<Line>> {
        self.replay(item)
            .into_iter()
            .map(|(x, changed)| (x, self.lines_with(x, 2, &changed)))
            .collect()
    }

    /// The verdict of every actor whose lines change when `item` is set aside, by actor,
    /// summed as [`Verdict::of`] sums the lines, without building them: from the sum of the
    /// lines before the first one changed, on.
    pub(crate) fn verdicts(&self, item: Removal) -> Vec<(EntityId, Verdict)> {
        let mut verdicts: Vec<(EntityId, Verdict)> = self
            .replay(item)
            .into_iter()
            .map(|(x, changed)| {
                let base = self.base_lines(x, 2);
                let first = changed.first().map_or(base.len(), |c| {
                    base.partition_point(|l| self.rank(l.family) < c.rank)
                });
                let before = self
                    .nodes
                    .get(&x)
                    .map_or_else(|| Verdict::of(&[]), |n| n.prefix[first]);
                let rest = Merged {
                    rank: &self.engine.family_rank,
                    base: &base[first..],
                    changed: &changed,
                };
                // One walk; each sum takes the same additions in the same order as
                // `Verdict::of`'s.
                let verdict = rest.fold(before, |mut v, l| {
                    v.r += l.r;
                    v.s += l.s;
                    v.strong_lines += usize::from(l.strong());
                    v
                });
                (x, verdict)
            })
            .collect();
        verdicts.sort_unstable_by_key(|(x, _)| *x);
        verdicts
    }

    /// Whether setting `item` aside certainly changes nothing on this incident, found without
    /// replaying it: claims (a claim, or a source's claims on this incident) that no other
    /// claim restates, on no link or pair, whose shares are none of their families' strongest
    /// (nor their only strong one) at the actors they name. Most claims and sources behind a
    /// large incident's hypotheses are such; see [`Incremental::replay`] for why the lines of
    /// direct claims decide.
    fn changes_nothing(&self, item: Removal) -> bool {
        let one;
        let claims: &[ClaimId] = match item {
            Removal::Claim(c) => {
                one = [c];
                &one
            }
            Removal::Source(s) => {
                if self.structural_here(s) {
                    return false;
                }
                self.by_source.get(&s).map_or(&[], Vec::as_slice)
            }
            // A line is asked about where it carries something: its shares go with it.
            Removal::Family(_) => return false,
        };
        let case = self.engine.case;
        let mut gone: SmallVec<[(EntityId, u32, Share); 8]> = SmallVec::new();
        for &c in claims {
            let claim = case.claim(c);
            if !self.index.children[c.0 as usize].is_empty()
                || matches!(item, Removal::Source(s) if claim.source != s)
            {
                // Echoes whose origins go: their families change.
                return false;
            }
            match claim.statement {
                Statement::Responsible { incident, actor } if incident == self.incident => {
                    if let Some((contribution, _)) =
                        self.base_contribution(actor, Origin::Direct(c))
                    {
                        gone.extend(
                            (contribution.shares.iter())
                                .map(|sh| (actor, self.rank(sh.family), *sh)),
                        );
                    }
                }
                Statement::Responsible { .. } | Statement::Condemns { .. } => {}
                Statement::Link { .. } | Statement::SameAs { .. } => return false,
            }
        }
        gone.sort_by_key(|(x, r, _)| (*x, *r));
        gone.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)).all(|group| {
            let (actor, _, first) = group[0];
            let shares: SmallVec<[Share; 8]> = group.iter().map(|(_, _, sh)| *sh).collect();
            self.nodes
                .get(&actor)
                .and_then(|n| n.tops.get(&first.family))
                .is_none_or(|top| top.keeps(&shares))
        })
    }

    fn replay(&self, item: Removal) -> Outcome {
        if self.changes_nothing(item) {
            return Vec::new();
        }
        let mut changes = self.seed(item);
        // Most removals change nothing: a claim that is not its family's strongest at its
        // actor (nor its only strong one) and that no echo restates. What a removal changes
        // at once is direct contributions; a line is a maximum (and an "or" of strong flags)
        // over the shares of its family, so when no line of direct claims changes, no line
        // that adds other contributions to them does either, and nothing passes on.
        if changes.links.is_empty()
            && changes.pairs.is_empty()
            && changes
                .at
                .iter()
                .all(|(&x, entries)| self.relined(x, 0, Some(entries)).is_empty())
        {
            return Vec::new();
        }
        self.across_pairs(&mut changes);
        self.upward(&mut changes);
        self.downward(&mut changes)
    }

    /// The claims that setting line `f` aside touches here: its sources' claims on this
    /// incident and the restatements of them, and the claims of the links and pairs at the
    /// actors with evidence here (what a line of thousands of sources said of other links
    /// carries nothing here: an actor without evidence here passes nothing on, and a line set
    /// aside gives no actor new evidence, since nothing stands in for it).
    fn touched_by_line(&self, f: FamilyId) -> Vec<ClaimId> {
        let (engine, case) = (self.engine, self.engine.case);
        let mut v: Vec<ClaimId> = Vec::new();
        for (&s, claims) in &self.by_source {
            if case.source(s).family == f {
                v.extend(claims);
            }
        }
        let ours = |c: &&ClaimId| {
            (self.index.structural_families.get(c)).is_some_and(|families| families.contains(&f))
        };
        for x in self.nodes.keys() {
            let at = x.index();
            let links = (engine.out_links[at].iter().chain(&engine.in_links[at]))
                .map(|&k| &engine.links[k].claims);
            let pairs = engine.pairs_of[at].iter().map(|&k| &engine.pairs[k].claims);
            for claims in links.chain(pairs) {
                v.extend(claims.iter().filter(ours));
            }
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// What setting `item` aside changes at once: the direct contributions of the claims it
    /// touches (its own, and the claims restating them), and the beliefs of the links and
    /// pairs those claims are on.
    fn seed(&self, item: Removal) -> Changes {
        let engine = self.engine;
        let case = engine.case;
        let removed = [item];
        let mut affected: SmallVec<[ClaimId; 8]> = match item {
            Removal::Claim(c) => {
                let mut v = SmallVec::from_elem(c, 1);
                self.index.restating(case, c, &mut v);
                v
            }
            Removal::Source(s) => {
                let mut v: SmallVec<[ClaimId; 8]> =
                    self.by_source.get(&s).map_or(&[][..], Vec::as_slice).into();
                v.extend_from_slice(&self.index.structural_by_source[s.0 as usize]);
                v
            }
            Removal::Family(f) => self.touched_by_line(f).into(),
        };
        affected.sort_unstable();
        affected.dedup();
        let mut changes = Changes {
            // Room for the actors most removals reach, so that the map does not grow.
            at: HashMap::with_capacity_and_hasher(8, Default::default()),
            ..Changes::default()
        };
        for &c in &affected {
            match case.claim(c).statement {
                Statement::Responsible { incident, actor } if incident == self.incident => {
                    let new = (engine.present(c, &removed)
                        && !engine.is_echo(c, &removed)
                        && engine.usable(c, &removed))
                    .then(|| engine.direct(c, &removed));
                    self.replace(&mut changes, actor, Origin::Direct(c), new.as_ref());
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

    /// What `x` passes to `to` as `origin` across a link or pair of belief `b_l` when its lines
    /// of stage `st` changed as `changed` says: every share again when the belief changed,
    /// else only the changed families on the side that crosses. Whether anything at `to`
    /// changed.
    fn pass(
        &self,
        changes: &mut Changes,
        (x, st, changed): (EntityId, usize, &[Changed]),
        to: EntityId,
        origin: Origin,
        (b_l, belief_changed, certain, up): (f64, bool, bool, bool),
    ) -> bool {
        if belief_changed {
            let lines = self.lines_with(x, st, changed);
            let new = super::passed(&lines, b_l, certain, up, origin);
            return self.replace(changes, to, origin, new.as_ref());
        }
        let mut any = false;
        for c in changed.iter().filter(|c| if up { c.r } else { c.s }) {
            let new = c
                .line
                .as_ref()
                .and_then(|l| super::pass_share(l, b_l, certain, up));
            any |= self.replace_share(changes, to, origin, c.family, new);
        }
        any
    }

    /// "Possibly same as": direct support, one hop, from every actor on a pair whose direct
    /// support changed and across every pair whose belief changed.
    fn across_pairs(&self, changes: &mut Changes) {
        let engine = self.engine;
        let mut across: BTreeSet<(EntityId, usize)> = BTreeSet::new();
        let mut direct: HashMap<EntityId, Relined> = HashMap::default();
        for (&x, entries) in &changes.at {
            if engine.pairs_of[x.0 as usize].is_empty() {
                continue;
            }
            let changed = self.relined(x, 0, Some(entries));
            if changed.iter().any(|c| c.r) {
                across.extend(engine.pairs_of[x.0 as usize].iter().map(|&k| (x, k)));
            }
            direct.insert(x, changed);
        }
        for &k in changes.pairs.keys() {
            across.insert((engine.pairs[k].a, k));
            across.insert((engine.pairs[k].b, k));
        }
        for (x, k) in across {
            let pair = &engine.pairs[k];
            let z = if pair.a == x { pair.b } else { pair.a };
            let changed = direct.get(&x).map_or(&[][..], |c| &c[..]);
            let belief = changes.pairs.get(&k).copied();
            let b_l = belief.unwrap_or(engine.pair_beliefs[k]);
            let origin = Origin::SameAs { from: x, pair: k };
            self.pass(
                changes,
                (x, 0, changed),
                z,
                origin,
                (b_l, belief.is_some(), false, true),
            );
        }
    }

    /// Support up the links, parts before wholes, and each changed support on to the
    /// competing hypotheses as opposition.
    fn upward(&self, changes: &mut Changes) {
        let engine = self.engine;
        let case = engine.case;
        let mut pending: Pending<(u32, EntityId)> = changes
            .at
            .keys()
            .map(|&x| (engine.rank[x.0 as usize], x))
            .collect();
        pending.extend(changes.links.keys().map(|&k| {
            let x = engine.links[k].from;
            (engine.rank[x.0 as usize], x)
        }));
        while let Some((_, x)) = pending.pop_first() {
            let changed = self.relined(x, 1, changes.at.get(&x));
            let r_changed = changed.iter().any(|c| c.r);
            let crossed = crossed(&engine.out_links[x.0 as usize], r_changed, &changes.links);
            for &k in crossed.iter() {
                let belief = changes.links.get(&k).copied();
                let link = &engine.links[k];
                let b_l = belief.unwrap_or(engine.link_beliefs[k]);
                let origin = Origin::Chain { from: x, link: k };
                if self.pass(
                    changes,
                    (x, 1, &changed),
                    link.to,
                    origin,
                    (b_l, belief.is_some(), link.structural, true),
                ) {
                    pending.insert((engine.rank[link.to.0 as usize], link.to));
                }
            }
            if r_changed {
                // Competing hypotheses take this actor's support as it stands after the
                // upward pass, as opposition.
                let origin = Origin::Competing { from: x };
                for &k in engine.exclusive_sets(self.incident) {
                    let members = &case.exclusive[k].members;
                    if !members.contains(&x) {
                        continue;
                    }
                    for c in changed.iter().filter(|c| c.r) {
                        let new = c
                            .line
                            .as_ref()
                            .and_then(|l| super::pass_share(l, 1.0, true, true))
                            .map(super::opposing_share);
                        for &i in members.iter().filter(|&&i| i != x) {
                            self.replace_share(changes, i, origin, c.family, new);
                        }
                    }
                }
            }
        }
    }

    /// Opposition down the links, wholes before parts; the final lines of every actor
    /// whose lines changed.
    fn downward(&self, changes: &mut Changes) -> Outcome {
        let engine = self.engine;
        let mut pending: Pending<(Reverse<u32>, EntityId)> = changes
            .at
            .keys()
            .map(|&x| (Reverse(engine.rank[x.0 as usize]), x))
            .collect();
        pending.extend(changes.links.keys().map(|&k| {
            let y = engine.links[k].to;
            (Reverse(engine.rank[y.0 as usize]), y)
        }));
        let mut out: Outcome = Vec::new();
        // Ranks are topological (validation rejects cycles), so an actor is only ever added
        // below the one being visited and each comes out once, in order: the comparison never
        // skips one, and is there so that a cycle cannot make the pass visit an actor twice.
        let mut last = None;
        while let Some(key) = pending.pop_first() {
            if last.is_some_and(|l| key <= l) {
                continue;
            }
            last = Some(key);
            let y = key.1;
            let changed = self.relined(y, 2, changes.at.get(&y));
            let s_changed = changed.iter().any(|c| c.s);
            let crossed = crossed(&engine.in_links[y.0 as usize], s_changed, &changes.links);
            for &k in crossed.iter() {
                let belief = changes.links.get(&k).copied();
                let link = &engine.links[k];
                let b_l = belief.unwrap_or(engine.link_beliefs[k]);
                let origin = Origin::Inherited { from: y, link: k };
                if self.pass(
                    changes,
                    (y, 2, &changed),
                    link.from,
                    origin,
                    (b_l, belief.is_some(), link.structural, false),
                ) {
                    pending.insert((Reverse(engine.rank[link.from.0 as usize]), link.from));
                }
            }
            if !changed.is_empty() {
                out.push((y, changed));
            }
        }
        out
    }
}

/// The links among an actor's `links` (ascending) that a pass crosses from it: all of them
/// when the side of its lines that crosses changed (`every`), else those whose belief changed
/// (in `beliefs`), ascending. Found by walking the shorter of the two: an actor's links when
/// it has few (a source with thousands of link claims, set aside, changes thousands of
/// beliefs, and most actors it reaches have one link), the changed beliefs when it has many
/// (a whole with thousands of parts, reached by a removal that changes one belief or none).
fn crossed<'l>(links: &'l [usize], every: bool, beliefs: &HashMap<usize, f64>) -> Cow<'l, [usize]> {
    if every {
        return Cow::Borrowed(links);
    }
    let mut changed: Vec<usize> = if links.len() <= beliefs.len() {
        (links.iter().copied())
            .filter(|k| beliefs.contains_key(k))
            .collect()
    } else {
        (beliefs.keys().copied())
            .filter(|k| links.binary_search(k).is_ok())
            .collect()
    };
    changed.sort_unstable();
    Cow::Owned(changed)
}

/// The actors a pass has still to visit, each once, taken smallest first. Most removals reach
/// a handful of actors, kept in a small vector sorted from the largest down, so that the
/// smallest is popped from its end (a tree allocated for them was a tenth of a replay); past
/// [`Pending::FEW`], where inserting into the vector would grow with the square of the actors
/// a removal reaches (a whole fanning out to its parts), a tree.
enum Pending<K> {
    Few(SmallVec<[K; 8]>),
    Many(BTreeSet<K>),
}

impl<K: Ord + Copy> Pending<K> {
    /// Small under test, so that the property tests' small cases take both ways.
    const FEW: usize = if cfg!(test) { 2 } else { 32 };

    fn insert(&mut self, k: K) {
        match self {
            Pending::Few(v) => {
                // Descending: an element comes before `k` when it is greater.
                let Err(i) = v.binary_search_by(|x| k.cmp(x)) else {
                    return;
                };
                if v.len() < Self::FEW {
                    v.insert(i, k);
                } else {
                    let mut set: BTreeSet<K> = v.drain(..).collect();
                    set.insert(k);
                    *self = Pending::Many(set);
                }
            }
            Pending::Many(set) => {
                set.insert(k);
            }
        }
    }

    fn pop_first(&mut self) -> Option<K> {
        match self {
            Pending::Few(v) => v.pop(),
            Pending::Many(set) => set.pop_first(),
        }
    }
}

impl<K: Ord + Copy> Extend<K> for Pending<K> {
    fn extend<I: IntoIterator<Item = K>>(&mut self, items: I) {
        items.into_iter().for_each(|k| self.insert(k));
    }
}

impl<K: Ord + Copy> FromIterator<K> for Pending<K> {
    fn from_iter<I: IntoIterator<Item = K>>(items: I) -> Pending<K> {
        let mut pending = Pending::Few(SmallVec::new());
        pending.extend(items);
        pending
    }
}

/// What a removal changes as it is replayed: the shares it replaces at each actor, and the
/// links and pairs whose belief it changes (with the new belief).
#[derive(Default)]
struct Changes {
    at: HashMap<EntityId, Entries>,
    links: HashMap<usize, f64>,
    pairs: HashMap<usize, f64>,
}

impl Changes {
    /// Replaces family `f`'s share of the contribution of `origin` at `x` (a later
    /// replacement wins).
    fn set(&mut self, x: EntityId, origin: Origin, family: FamilyId, share: Option<Share>) {
        let entries = self.at.entry(x).or_default();
        match entries.find(origin, family) {
            Some(e) => e.share = share,
            None => entries.push(Entry {
                origin,
                family,
                share,
            }),
        }
    }

    /// Puts back the base share `share` where an earlier replacement changed it; whether
    /// there was one.
    fn restore(
        &mut self,
        x: EntityId,
        origin: Origin,
        family: FamilyId,
        share: Option<Share>,
    ) -> bool {
        let Some(e) = self
            .at
            .get_mut(&x)
            .and_then(|entries| entries.find(origin, family))
        else {
            return false;
        };
        e.share = share;
        true
    }
}

/// The shares replaced at one actor, in the order they were first replaced, found by origin
/// and family: by a scan while they are few, through an index once they are many (a link
/// whose belief changes replaces a share of every family its actor has, and a scan per share
/// would be quadratic in them).
#[derive(Default)]
struct Entries {
    list: SmallVec<[Entry; 2]>,
    /// Empty while `list` holds at most [`Entries::SCAN`] entries; then each entry's position.
    index: HashMap<(Origin, FamilyId), u32>,
}

impl Entries {
    /// Small under test, so that the property tests' small cases take both ways.
    const SCAN: usize = if cfg!(test) { 2 } else { 16 };

    fn find(&mut self, origin: Origin, family: FamilyId) -> Option<&mut Entry> {
        let i = if self.index.is_empty() {
            self.list
                .iter()
                .position(|e| e.origin == origin && e.family == family)
        } else {
            self.index.get(&(origin, family)).map(|&i| i as usize)
        };
        i.map(|i| &mut self.list[i])
    }

    fn push(&mut self, e: Entry) {
        self.list.push(e);
        if self.list.len() > Self::SCAN {
            if self.index.is_empty() {
                self.index = (self.list.iter().enumerate())
                    .map(|(i, e)| ((e.origin, e.family), i as u32))
                    .collect();
            } else {
                self.index
                    .insert((e.origin, e.family), (self.list.len() - 1) as u32);
            }
        }
    }
}

/// The lines of stage `st` at the actor of `node` before the removal.
fn lines_of_stage<'n>(node: Option<&'n Node<'_>>, st: usize) -> &'n [Line] {
    node.map_or(&[], |n| {
        n.early[st.min(2)..]
            .iter()
            .flatten()
            .next()
            .map_or(n.lines, Vec::as_slice)
    })
}

/// Whether a line's support side and its opposition side differ between two versions of it.
fn sides_changed(old: Option<Line>, new: Option<Line>) -> (bool, bool) {
    let side = |l: Option<Line>| {
        l.map_or((0.0, false, 0.0, false), |l| {
            (l.r, l.strong_for, l.s, l.strong_against)
        })
    };
    let (a, b) = (side(old), side(new));
    (a.0 != b.0 || a.1 != b.1, a.2 != b.2 || a.3 != b.3)
}

/// The verdicts of every prefix of `lines`, each from the one before by one more addition, as
/// a sum (a fold of additions from the empty sum) takes them.
fn prefix_verdicts(lines: &[Line]) -> Vec<Verdict> {
    let mut v = Verdict::of(&[]);
    let mut out = Vec::with_capacity(lines.len() + 1);
    out.push(v);
    for l in lines {
        v.r += l.r;
        v.s += l.s;
        v.strong_lines += usize::from(l.strong());
        out.push(v);
    }
    out
}

/// Base lines with some replaced, inserted or removed (`changed`, in family-name order), walked
/// in family-name order.
#[derive(Clone)]
struct Merged<'m> {
    rank: &'m [u32],
    base: &'m [Line],
    changed: &'m [Changed],
}

impl Iterator for Merged<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        loop {
            let next_change = self.changed.first().map(|c| c.rank);
            match (self.base.first(), next_change) {
                (Some(l), Some(r)) if self.rank[l.family.0 as usize] < r => {
                    self.base = &self.base[1..];
                    return Some(*l);
                }
                (Some(l), None) => {
                    self.base = &self.base[1..];
                    return Some(*l);
                }
                (None, None) => return None,
                (b, Some(r)) => {
                    if b.is_some_and(|l| self.rank[l.family.0 as usize] == r) {
                        self.base = &self.base[1..];
                    }
                    let c = self.changed[0];
                    self.changed = &self.changed[1..];
                    if let Some(l) = c.line {
                        return Some(l);
                    }
                }
            }
        }
    }
}
