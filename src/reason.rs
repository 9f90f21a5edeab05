//! Confidence propagation: from claims to an opinion on every hypothesis "incident I was
//! carried out by X".
//!
//! The steps follow `docs/model.md`:
//! 1. each claim becomes an opinion from its stated likelihood and confidence, discounted by its
//!    source's reliability ([`claim_opinion`], [`Opinion::trust_discount`]);
//! 2. echoes (`derived_from` whose origins are all present) are set aside;
//! 3. per incident, direct claims seed the actors they name; "possibly same as" passes belief
//!    one hop; then responsibility flows *upward* along part-of / subordinate-of / operated-by /
//!    sponsored-by links in topological order, by the belief-only chain discount;
//! 4. at every actor, contributions are fused so that each dependence family counts once
//!    (its strongest share), and families add up (cumulative fusion).
//!
//! Every incident is propagated on its own, so the work is linear in the claims and links an
//! incident touches, and a what-if (a claim or source removed) recomputes one incident only.

use crate::date::Date;
use crate::model::{
    Case, ClaimId, EntityId, FamilyId, IncidentId, Reliability, SourceId, Statement,
};
use crate::opinion::{Opinion, W};
use crate::terms::Confidence;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

/// A claim's own opinion (model §2): the uncertainty-maximised opinion with projected
/// probability `p`, at least as uncertain as the stated confidence allows:
/// `u = max(2·min(p, 1 − p), u_c)`; support `(1 − u, 0, u)` when `p ≥ 0.5`, else doubt
/// `(0, 1 − u, u)`.
pub fn claim_opinion(p: f64, confidence: Option<Confidence>) -> Opinion {
    let p = p.clamp(0.01, 0.99);
    let u_c = confidence.unwrap_or(Confidence::Moderate).min_uncertainty();
    let u = (2.0 * p.min(1.0 - p)).max(u_c).min(1.0);
    if p >= 0.5 {
        Opinion::from_evidence(W * (1.0 - u) / u, 0.0, 0.5)
    } else {
        Opinion::from_evidence(0.0, W * (1.0 - u) / u, 0.5)
    }
}

/// The trust opinion a reliability stands for (model §3), base rate 0.5.
pub fn trust_opinion(reliability: Reliability) -> Opinion {
    let (r, s) = reliability.evidence();
    Opinion::from_evidence(r, s, 0.5)
}

/// What-if changes to a case: removed claims and sources, re-graded sources, a cut-off date, a
/// different prior. The default changes nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    pub without_claims: BTreeSet<ClaimId>,
    pub without_sources: BTreeSet<SourceId>,
    pub grades: BTreeMap<SourceId, Reliability>,
    /// Only claims known to have been made by this date count; undated claims do not.
    pub as_of: Option<Date>,
    pub prior: Option<f64>,
}

/// One item set aside for a sensitivity run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Removal {
    Claim(ClaimId),
    Source(SourceId),
}

/// A dependence family's part in a contribution; `strong` when a claim of that family in it
/// comes from a source rated B or better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FamilyTag {
    pub family: FamilyId,
    pub strong: bool,
}

/// Where a contribution comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A claim on the hypothesis itself.
    Direct(ClaimId),
    /// Belief in `from` passed across a "possibly same as" pair.
    SameAs { from: EntityId, pair: usize },
    /// Belief in `from` carried up a responsibility link.
    Chain { from: EntityId, link: usize },
}

/// One piece of evidence on a hypothesis, with the families it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub origin: Origin,
    pub opinion: Opinion,
    pub r: f64,
    pub s: f64,
    pub families: Vec<FamilyTag>,
}

/// A family's counted evidence on one hypothesis: the maximum share it received.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub family: FamilyId,
    pub r: f64,
    pub s: f64,
    pub strong: bool,
}

/// The fused evidence on responsible(I, X).
#[derive(Debug, Clone, PartialEq)]
pub struct Fused {
    pub r: f64,
    pub s: f64,
    pub lines: Vec<Line>,
    pub contributions: Vec<Contribution>,
}

impl Fused {
    /// Belief with the base rate left out (it does not travel along chains).
    pub fn belief(&self) -> f64 {
        self.r / (self.r + self.s + W)
    }

    /// Families with supporting evidence, for chains and confidence.
    fn supporting_tags(&self) -> Vec<FamilyTag> {
        self.lines
            .iter()
            .filter(|l| l.r > 0.0)
            .map(|l| FamilyTag {
                family: l.family,
                strong: l.strong,
            })
            .collect()
    }
}

/// The propagation result for one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentResult {
    pub incident: IncidentId,
    /// Every actor or group with any contribution.
    pub fused: BTreeMap<EntityId, Fused>,
    /// Claims on this incident set aside as echoes of claims present.
    pub echoes: Vec<ClaimId>,
    /// Claims on this incident that form no likelihood (Admiralty 6) or are inactive.
    pub inert: Vec<ClaimId>,
}

/// A responsibility link between two entities: the claims on it, or a structural declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub from: EntityId,
    pub to: EntityId,
    pub claims: Vec<ClaimId>,
    pub structural: bool,
}

/// A "possibly same as" pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub a: EntityId,
    pub b: EntityId,
    pub claims: Vec<ClaimId>,
}

/// A claim as the engine uses it under a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClaimWeight {
    /// Discounted opinion (vacuous when the claim forms no likelihood).
    pub opinion: Opinion,
    pub r: f64,
    pub s: f64,
    pub family: FamilyId,
    pub strong: bool,
    /// In the scenario: not set aside, and made by `as_of` when one is given.
    pub in_scenario: bool,
    /// In the scenario and forming a likelihood.
    pub usable: bool,
}

/// The case indexed for propagation under one scenario.
pub struct Engine<'c> {
    pub case: &'c Case,
    pub scenario: Scenario,
    pub weights: Vec<ClaimWeight>,
    pub links: Vec<Link>,
    pub pairs: Vec<Pair>,
    out_links: Vec<Vec<usize>>,
    /// For each entity, the entities linked up to it (reverse of `out_links`).
    in_links: Vec<Vec<EntityId>>,
    pairs_of: Vec<Vec<usize>>,
    rank: Vec<u32>,
    by_incident: Vec<Vec<ClaimId>>,
    /// Fused link opinions under the scenario, with their families.
    link_opinions: Vec<Option<(Opinion, Vec<FamilyTag>)>>,
    pair_opinions: Vec<Option<(Opinion, Vec<FamilyTag>)>>,
}

impl<'c> Engine<'c> {
    pub fn new(case: &'c Case, scenario: Scenario) -> Engine<'c> {
        let n = case.entities.len();
        let weights = case
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let source = case.source(c.source);
                let reliability = scenario
                    .grades
                    .get(&c.source)
                    .copied()
                    .unwrap_or(source.reliability);
                let dated_ok = match scenario.as_of {
                    None => true,
                    Some(cut) => c.date.is_some_and(|d| d.latest_day() <= cut.latest_day()),
                };
                let active = dated_ok
                    && !scenario.without_claims.contains(&ClaimId(i as u32))
                    && !scenario.without_sources.contains(&c.source);
                match c.probability() {
                    Some(p) if active => {
                        let opinion = claim_opinion(p, c.confidence)
                            .trust_discount(&trust_opinion(reliability));
                        let (r, s) = opinion.evidence();
                        ClaimWeight {
                            opinion,
                            r,
                            s,
                            family: source.family,
                            strong: reliability.is_b_or_better(),
                            in_scenario: true,
                            usable: true,
                        }
                    }
                    _ => ClaimWeight {
                        opinion: Opinion::vacuous(0.5),
                        r: 0.0,
                        s: 0.0,
                        family: source.family,
                        strong: false,
                        in_scenario: active,
                        usable: active && c.probability().is_some(),
                    },
                }
            })
            .collect::<Vec<_>>();

        // Links and pairs, keyed by their ends.
        let mut link_index: HashMap<(EntityId, EntityId), usize> = HashMap::default();
        let mut links: Vec<Link> = Vec::new();
        for (i, e) in case.entities.iter().enumerate() {
            if let Some(p) = e.part_of {
                let from = EntityId(i as u32);
                link_index.insert((from, p), links.len());
                links.push(Link {
                    from,
                    to: p,
                    claims: Vec::new(),
                    structural: true,
                });
            }
        }
        let mut pair_index: HashMap<(EntityId, EntityId), usize> = HashMap::default();
        let mut pairs: Vec<Pair> = Vec::new();
        let mut by_incident: Vec<Vec<ClaimId>> = vec![Vec::new(); case.incidents.len()];
        for (i, c) in case.claims.iter().enumerate() {
            let id = ClaimId(i as u32);
            match c.statement {
                Statement::Responsible { incident, .. } | Statement::Condemns { incident } => {
                    by_incident[incident.0 as usize].push(id);
                }
                Statement::Link { from, to } => {
                    let k = *link_index.entry((from, to)).or_insert_with(|| {
                        links.push(Link {
                            from,
                            to,
                            claims: Vec::new(),
                            structural: false,
                        });
                        links.len() - 1
                    });
                    links[k].claims.push(id);
                }
                Statement::SameAs { a, b } => {
                    let key = (a.min(b), a.max(b));
                    let k = *pair_index.entry(key).or_insert_with(|| {
                        pairs.push(Pair {
                            a: key.0,
                            b: key.1,
                            claims: Vec::new(),
                        });
                        pairs.len() - 1
                    });
                    pairs[k].claims.push(id);
                }
            }
        }
        for l in &mut links {
            l.claims
                .sort_by(|a, b| case.claim(*a).id.cmp(&case.claim(*b).id));
        }
        for p in &mut pairs {
            p.claims
                .sort_by(|a, b| case.claim(*a).id.cmp(&case.claim(*b).id));
        }
        let mut out_links = vec![Vec::new(); n];
        let mut in_links = vec![Vec::new(); n];
        for (k, l) in links.iter().enumerate() {
            out_links[l.from.0 as usize].push(k);
            in_links[l.to.0 as usize].push(l.from);
        }
        let mut pairs_of = vec![Vec::new(); n];
        for (k, p) in pairs.iter().enumerate() {
            pairs_of[p.a.0 as usize].push(k);
            pairs_of[p.b.0 as usize].push(k);
        }
        let rank = topological_rank(n, &links);
        let mut engine = Engine {
            case,
            scenario,
            weights,
            links,
            pairs,
            out_links,
            in_links,
            pairs_of,
            rank,
            by_incident,
            link_opinions: Vec::new(),
            pair_opinions: Vec::new(),
        };
        let none = Vec::new();
        engine.link_opinions = (0..engine.links.len())
            .map(|k| engine.link_opinion(k, &none))
            .collect();
        engine.pair_opinions = (0..engine.pairs.len())
            .map(|k| engine.fuse_claims(&engine.pairs[k].claims, &none))
            .collect();
        engine
    }

    /// Whether a claim counts, with `removed` set aside on top of the scenario.
    fn usable(&self, c: ClaimId, removed: &[Removal]) -> bool {
        let w = &self.weights[c.0 as usize];
        w.usable && !is_removed(self.case, c, removed)
    }

    /// Whether a claim is an echo: it restates claims that are all present.
    pub fn is_echo(&self, c: ClaimId, removed: &[Removal]) -> bool {
        let origins = &self.case.claim(c).derived_from;
        !origins.is_empty() && origins.iter().all(|&o| self.present(o, removed))
    }

    /// Present in the case under the scenario and removals (whether or not it forms a likelihood).
    fn present(&self, c: ClaimId, removed: &[Removal]) -> bool {
        self.weights[c.0 as usize].in_scenario && !is_removed(self.case, c, removed)
    }

    /// Fuses the usable, non-echo claims of one proposition, each family counting once.
    fn fuse_claims(
        &self,
        claims: &[ClaimId],
        removed: &[Removal],
    ) -> Option<(Opinion, Vec<FamilyTag>)> {
        let contributions: Vec<Contribution> = claims
            .iter()
            .filter(|&&c| self.usable(c, removed) && !self.is_echo(c, removed))
            .map(|&c| self.direct(c, removed))
            .collect();
        if contributions.is_empty() {
            return None;
        }
        let fused = fuse(contributions);
        let tags: Vec<FamilyTag> = fused
            .lines
            .iter()
            .map(|l| FamilyTag {
                family: l.family,
                strong: l.strong,
            })
            .collect();
        Some((Opinion::from_evidence(fused.r, fused.s, 0.5), tags))
    }

    fn link_opinion(&self, k: usize, removed: &[Removal]) -> Option<(Opinion, Vec<FamilyTag>)> {
        let link = &self.links[k];
        if link.structural {
            // Declared structure is certain and overrides claims on the same pair.
            return Some((
                Opinion::new(1.0, 0.0, 0.0, 0.5).expect("(1, 0, 0) is an opinion"),
                Vec::new(),
            ));
        }
        self.fuse_claims(&link.claims, removed)
    }

    fn cached_link(&self, k: usize, removed: &[Removal]) -> Option<(Opinion, Vec<FamilyTag>)> {
        if removed.is_empty() {
            self.link_opinions[k].clone()
        } else {
            self.link_opinion(k, removed)
        }
    }

    fn cached_pair(&self, k: usize, removed: &[Removal]) -> Option<(Opinion, Vec<FamilyTag>)> {
        if removed.is_empty() {
            self.pair_opinions[k].clone()
        } else {
            self.fuse_claims(&self.pairs[k].claims, removed)
        }
    }

    /// A claim's own contribution. A restatement whose origins are not all present stands in
    /// for the missing ones: it joins *their* lines of evidence, not a new line of its own, so
    /// that losing an original never turns its echo into fresh corroboration.
    fn direct(&self, c: ClaimId, removed: &[Removal]) -> Contribution {
        let w = &self.weights[c.0 as usize];
        let origins = &self.case.claim(c).derived_from;
        let families = if origins.is_empty() {
            vec![FamilyTag {
                family: w.family,
                strong: w.strong,
            }]
        } else {
            merge_tags(
                origins
                    .iter()
                    .filter(|&&o| !self.present(o, removed))
                    .map(|&o| FamilyTag {
                        family: self.case.source(self.case.claim(o).source).family,
                        strong: w.strong,
                    })
                    .collect(),
            )
        };
        Contribution {
            origin: Origin::Direct(c),
            opinion: w.opinion,
            r: w.r,
            s: w.s,
            families,
        }
    }

    /// The claims made about an incident (responsibility and condemnations), in file order.
    pub fn incident_claims(&self, incident: IncidentId) -> &[ClaimId] {
        &self.by_incident[incident.0 as usize]
    }

    /// Propagates one incident under the engine's scenario.
    pub fn incident(&self, incident: IncidentId) -> IncidentResult {
        self.incident_without(incident, &[])
    }

    /// Propagates one incident with `removed` set aside as well (sensitivity analysis).
    pub fn incident_without(&self, incident: IncidentId, removed: &[Removal]) -> IncidentResult {
        self.incident_restricted(incident, removed, None)
    }

    /// Every entity whose responsibility can reach one of `targets`: the targets, everything
    /// linked upward to them, and the possible aliases of those (one hop).
    pub fn ancestors(&self, targets: &[EntityId]) -> BTreeSet<EntityId> {
        let mut seen: BTreeSet<EntityId> = BTreeSet::new();
        let mut stack: Vec<EntityId> = targets.to_vec();
        while let Some(x) = stack.pop() {
            if seen.insert(x) {
                stack.extend(self.in_links[x.0 as usize].iter().copied());
            }
        }
        let partners: Vec<EntityId> = seen
            .iter()
            .flat_map(|x| &self.pairs_of[x.0 as usize])
            .flat_map(|&k| [self.pairs[k].a, self.pairs[k].b])
            .collect();
        seen.extend(partners);
        seen
    }

    /// Propagates one incident, with `removed` set aside and, when `only` is given, only the
    /// direct claims on those actors (the rest cannot reach the judgement being recomputed).
    pub fn incident_restricted(
        &self,
        incident: IncidentId,
        removed: &[Removal],
        only: Option<&BTreeSet<EntityId>>,
    ) -> IncidentResult {
        let mut direct: BTreeMap<EntityId, Vec<Contribution>> = BTreeMap::new();
        let mut echoes = Vec::new();
        let mut inert = Vec::new();
        for &c in &self.by_incident[incident.0 as usize] {
            let Statement::Responsible { actor, .. } = self.case.claim(c).statement else {
                continue;
            };
            if only.is_some_and(|o| !o.contains(&actor)) {
                continue;
            }
            if !self.present(c, removed) {
                continue;
            }
            if self.is_echo(c, removed) {
                echoes.push(c);
            } else if !self.usable(c, removed) {
                inert.push(c);
            } else {
                direct
                    .entry(actor)
                    .or_default()
                    .push(self.direct(c, removed));
            }
        }
        // "Possibly same as": one hop, from directly claimed actors, before the upward pass.
        let mut pending: BTreeMap<(u32, EntityId), Vec<Contribution>> = BTreeMap::new();
        for (&x, contributions) in &direct {
            let seed = fuse(contributions.clone());
            for &k in &self.pairs_of[x.0 as usize] {
                let Some((pair_op, pair_tags)) = self.cached_pair(k, removed) else {
                    continue;
                };
                let pair = &self.pairs[k];
                let z = if pair.a == x { pair.b } else { pair.a };
                if let Some(c) = chained(
                    &seed,
                    &pair_op,
                    &pair_tags,
                    Origin::SameAs { from: x, pair: k },
                ) {
                    pending
                        .entry((self.rank[z.0 as usize], z))
                        .or_default()
                        .push(c);
                }
            }
        }
        for (x, contributions) in direct {
            pending
                .entry((self.rank[x.0 as usize], x))
                .or_default()
                .extend(contributions);
        }
        // Upward, in topological order: all contributions to an actor arrive before it is fused.
        let mut fused = BTreeMap::new();
        while let Some(((_, x), mut contributions)) = pending.pop_first() {
            // A canonical order, so that explanations do not depend on the file's order.
            contributions.sort_by(|a, b| self.origin_key(a.origin).cmp(&self.origin_key(b.origin)));
            let f = fuse(contributions);
            if f.r > 0.0 {
                for &k in &self.out_links[x.0 as usize] {
                    let Some((link_op, link_tags)) = self.cached_link(k, removed) else {
                        continue;
                    };
                    let y = self.links[k].to;
                    if let Some(c) =
                        chained(&f, &link_op, &link_tags, Origin::Chain { from: x, link: k })
                    {
                        pending
                            .entry((self.rank[y.0 as usize], y))
                            .or_default()
                            .push(c);
                    }
                }
            }
            fused.insert(x, f);
        }
        let by_id = |c: &ClaimId| self.case.claim(*c).id.clone();
        echoes.sort_by_key(by_id);
        inert.sort_by_key(by_id);
        IncidentResult {
            incident,
            fused,
            echoes,
            inert,
        }
    }

    /// Direct claims by claim id, then same-as and chain contributions by antecedent id.
    fn origin_key(&self, origin: Origin) -> (u8, &str) {
        match origin {
            Origin::Direct(c) => (0, self.case.claim(c).id.as_str()),
            Origin::SameAs { from, .. } => (1, self.case.entity(from).id.as_str()),
            Origin::Chain { from, .. } => (2, self.case.entity(from).id.as_str()),
        }
    }

    /// The claims and sources a hypothesis rests on: every claim in its derivation (direct,
    /// links, same-as pairs, recursively), the echoes of those claims, and their sources.
    pub fn behind(
        &self,
        result: &IncidentResult,
        actor: EntityId,
    ) -> (Vec<ClaimId>, Vec<SourceId>) {
        let mut claims = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![actor];
        while let Some(x) = stack.pop() {
            if !seen.insert(x) {
                continue;
            }
            let Some(f) = result.fused.get(&x) else {
                continue;
            };
            for c in &f.contributions {
                match c.origin {
                    Origin::Direct(id) => {
                        claims.insert(id);
                    }
                    Origin::Chain { from, link } => {
                        claims.extend(self.links[link].claims.iter().copied());
                        stack.push(from);
                    }
                    Origin::SameAs { from, pair } => {
                        claims.extend(self.pairs[pair].claims.iter().copied());
                        stack.push(from);
                    }
                }
            }
        }
        // Echoes on the hypothesis itself, so that their (lack of) effect is shown.
        for &e in &result.echoes {
            if let Statement::Responsible { actor: a, .. } = self.case.claim(e).statement
                && a == actor
            {
                claims.insert(e);
            }
        }
        let sources: BTreeSet<SourceId> =
            claims.iter().map(|&c| self.case.claim(c).source).collect();
        let mut claims: Vec<ClaimId> = claims.into_iter().collect();
        claims.sort_by(|a, b| self.case.claim(*a).id.cmp(&self.case.claim(*b).id));
        let mut sources: Vec<SourceId> = sources.into_iter().collect();
        sources.sort_by(|a, b| self.case.source(*a).id.cmp(&self.case.source(*b).id));
        (claims, sources)
    }
}

fn is_removed(case: &Case, c: ClaimId, removed: &[Removal]) -> bool {
    removed.iter().any(|r| match *r {
        Removal::Claim(id) => id == c,
        Removal::Source(s) => case.claim(c).source == s,
    })
}

/// The belief-only chain discount of a link by the fused belief in its antecedent.
fn chained(
    antecedent: &Fused,
    link: &Opinion,
    link_tags: &[FamilyTag],
    origin: Origin,
) -> Option<Contribution> {
    let b = antecedent.belief();
    if b <= 0.0 {
        return None;
    }
    let opinion = link.chain_discount(b);
    let (r, s) = opinion.evidence();
    if r <= 0.0 && s <= 0.0 {
        return None;
    }
    let mut families = antecedent.supporting_tags();
    families.extend_from_slice(link_tags);
    Some(Contribution {
        origin,
        opinion,
        r,
        s,
        families: merge_tags(families),
    })
}

/// Sorts and merges family tags; a family is strong if any of its tags is.
fn merge_tags(mut tags: Vec<FamilyTag>) -> Vec<FamilyTag> {
    tags.sort();
    let mut out: Vec<FamilyTag> = Vec::with_capacity(tags.len());
    for t in tags {
        match out.last_mut() {
            Some(last) if last.family == t.family => last.strong |= t.strong,
            _ => out.push(t),
        }
    }
    out
}

/// Each family counts once (model §6): a contribution resting on `k` families gives each `1/k`
/// of its evidence; a family keeps the maximum share it received (supporting and opposing
/// separately); families add up.
pub fn fuse(contributions: Vec<Contribution>) -> Fused {
    let mut lines: BTreeMap<FamilyId, Line> = BTreeMap::new();
    for c in &contributions {
        let k = c.families.len().max(1) as f64;
        for t in &c.families {
            let line = lines.entry(t.family).or_insert(Line {
                family: t.family,
                r: 0.0,
                s: 0.0,
                strong: false,
            });
            let (r, s) = (c.r / k, c.s / k);
            line.r = line.r.max(r);
            line.s = line.s.max(s);
            if r > 0.0 || s > 0.0 {
                line.strong |= t.strong;
            }
        }
    }
    let lines: Vec<Line> = lines.into_values().collect();
    let r = lines.iter().map(|l| l.r).sum();
    let s = lines.iter().map(|l| l.s).sum();
    Fused {
        r,
        s,
        lines,
        contributions,
    }
}

/// Rank of every entity in a topological order of the link graph (sources of links first).
fn topological_rank(n: usize, links: &[Link]) -> Vec<u32> {
    let mut indegree = vec![0u32; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in links {
        indegree[l.to.0 as usize] += 1;
        out[l.from.0 as usize].push(l.to.0 as usize);
    }
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut rank = vec![u32::MAX; n];
    let mut next = 0u32;
    while let Some(i) = queue.pop_front() {
        rank[i] = next;
        next += 1;
        for &j in &out[i] {
            indegree[j] -= 1;
            if indegree[j] == 0 {
                queue.push_back(j);
            }
        }
    }
    // Validation rejects cycles; should one slip through, its members go last rather than loop.
    for r in rank.iter_mut().filter(|r| **r == u32::MAX) {
        *r = next;
        next += 1;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::opinion::tests::close;

    /// Examples of model §2.
    #[test]
    fn claim_opinions_match_the_model() {
        close(claim_opinion(0.97, Some(Confidence::High)), 0.90, 0.0, 0.10);
        close(claim_opinion(0.675, None), 0.35, 0.0, 0.65);
        close(claim_opinion(0.03, None), 0.0, 0.75, 0.25);
        close(claim_opinion(0.5, Some(Confidence::High)), 0.0, 0.0, 1.0);
    }

    /// Grade trust probabilities of model §3.
    #[test]
    fn grade_trust() {
        use crate::terms::Grade;
        let expect = [0.975, 0.8182, 0.625, 0.4286, 0.10, 0.50];
        for (g, p) in Grade::ALL.iter().zip(expect) {
            let t = trust_opinion(Reliability::Grade(*g)).projected();
            assert!((t - p).abs() < 1e-4, "{g}: {t}");
        }
    }

    fn contribution(r: f64, s: f64, families: &[u32]) -> Contribution {
        Contribution {
            origin: Origin::Direct(ClaimId(0)),
            opinion: Opinion::from_evidence(r, s, 0.5),
            r,
            s,
            families: families
                .iter()
                .map(|&f| FamilyTag {
                    family: FamilyId(f),
                    strong: true,
                })
                .collect(),
        }
    }

    #[test]
    fn a_family_counts_once_with_its_strongest_share() {
        let f = fuse(vec![
            contribution(4.0, 0.0, &[0]),
            contribution(2.0, 0.0, &[0]),
            contribution(3.0, 1.0, &[1]),
        ]);
        assert_eq!((f.r, f.s), (7.0, 1.0));
        assert_eq!(f.lines.len(), 2);
    }

    #[test]
    fn a_contribution_on_k_families_gives_each_a_kth() {
        let f = fuse(vec![
            contribution(6.0, 0.0, &[0, 1, 2]),
            contribution(1.0, 0.0, &[1]),
        ]);
        // Families 0, 1, 2 receive 2 each; family 1 keeps max(2, 1) = 2.
        assert!((f.r - 6.0).abs() < 1e-12);
    }
}
