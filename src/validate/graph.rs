//! Graph checks: cycles through `derived_from`, through links and `part_of`; dates after
//! `as_of` and before an incident's start.

use super::*;
use petgraph::graph::{DiGraph, NodeIndex};

impl Validator<'_> {
    /// Cycles in `derived_from`, found on the ids as written so that a cycle is reported even
    /// when its claims have other errors: `restating` holds every restating as written, noted
    /// while the claims were resolved ([`Resolved::restating`]). Only claims that restate
    /// another, and those they restate, can be on a cycle: the graph holds those alone (a
    /// twelfth of a generated case's claims).
    pub(super) fn claim_cycles(&mut self, restating: &[(u32, u32)]) {
        let f = self.file;
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let mut nodes: HashMap<u32, NodeIndex> = HashMap::default();
        let mut node = |graph: &mut DiGraph<usize, ()>, i: u32| {
            *nodes.entry(i).or_insert_with(|| graph.add_node(i as usize))
        };
        for &(i, o) in restating {
            let (from, to) = (node(&mut graph, i), node(&mut graph, o));
            graph.update_edge(from, to, ());
        }
        for cycle in cycles(&graph) {
            let mut ids: Vec<&str> = cycle.iter().map(|&i| f.claims[i].id.as_str()).collect();
            ids.push(ids[0]);
            self.push(diags::echo_cycle(
                &ids,
                field(&index("claims", cycle[0]), "derived_from"),
            ));
        }
    }

    pub(super) fn link_cycles(&mut self, entities: &[Entity], resolved: &Resolved<'_>) {
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..entities.len()).map(|i| graph.add_node(i)).collect();
        for (i, e) in entities.iter().enumerate() {
            if let Some(p) = e.part_of {
                graph.update_edge(nodes[i], nodes[p.0 as usize], ());
            }
        }
        for (c, _) in resolved.located_links() {
            if let Statement::Link { from, to } = c.statement {
                graph.update_edge(nodes[from.0 as usize], nodes[to.0 as usize], ());
            }
        }
        let cycles = cycles(&graph);
        if cycles.is_empty() {
            self.deep_chain(&graph, resolved);
            return;
        }
        // The first claim making each link, read once when there is a cycle to point into:
        // a scan of the claims for each step would make a case with many cycles quadratic.
        let claimed = first_claims(resolved);
        for cycle in cycles {
            let ids: Vec<&str> = cycle
                .iter()
                .map(|&i| self.target_id(Target::Entity(i as u32)))
                .collect();
            let mut names = ids.clone();
            names.push(ids[0]);
            // Point at a claim or declaration that makes each step of the cycle: the first
            // as the error's place, the others beside it, since removing any one of them is
            // the fix, and a cycle of a claim and a declared `part_of` showed only the claim.
            let step = |k: usize| {
                let (a, b) = (cycle[k], cycle[(k + 1) % cycle.len()]);
                match claimed.get(&(a, b)) {
                    Some(at) => (at.path(), "claimed"),
                    None => (part_of_path(self.file, a), "declared part_of"),
                }
            };
            let (at, how) = step(0);
            let mut d = diags::link_cycle(&names, at, how);
            // A cycle through hundreds of actors shows its first links, and counts the rest.
            let shown = cycle.len().min(MAX_CYCLE_LINKS_SHOWN);
            for k in 1..shown {
                let (at, how) = step(k);
                d = d.related(
                    crate::diagnostic::Location::Path(at),
                    format!(
                        "and this link of the cycle, {} → {} ({how})",
                        ids[k],
                        names[k + 1]
                    ),
                );
            }
            if cycle.len() > shown {
                d = d.note(format!(
                    "{} more links of the cycle are not shown",
                    cycle.len() - shown
                ));
            }
            self.push(d);
        }
    }

    /// E035: a chain of links longer than [`MAX_CHAIN`], found on the acyclic link graph (the
    /// links are checked for cycles first). Every report names each actor on a line's path,
    /// so a chain of n links makes them grow as n² (a file of 100,000 claims, each making one
    /// agency subordinate of the one before, would need terabytes), while no organisation
    /// stands tens of levels deep. The longest chain is reported, from its lowest actor up;
    /// one is enough, since shortening it is the fix and the next is reported after.
    fn deep_chain(&mut self, graph: &DiGraph<usize, ()>, resolved: &Resolved<'_>) {
        let Some((chain, height)) = longest_chain(graph) else {
            return;
        };
        if height <= MAX_CHAIN {
            return;
        }
        let ids: Vec<&str> = chain
            .iter()
            .map(|&i| self.target_id(Target::Entity(i as u32)))
            .collect();
        let (first, second) = (chain[0], chain[1]);
        let claimed = resolved.located_links().find_map(|(c, at)| {
            matches!(c.statement, Statement::Link { from, to }
                if from.index() == first && to.index() == second)
            .then_some(at)
        });
        let (at, how) = match claimed {
            Some(at) => (at.field("object"), "claimed"),
            None => (part_of_path(self.file, first), "declared part_of"),
        };
        self.push(diags::deep_chain(&ids, MAX_CHAIN, at, how));
    }

    /// W119: a link or `part_of` whose subject stands above its object in every case's
    /// hierarchy ([`upside_down`]). Responsibility flows from subject to object, so such a
    /// link, written the way "Unit 74455 operates Sandworm" reads in English, counts what the
    /// unit did for the group and what the group did not for the unit: the checks pass and
    /// the judgements come out reversed.
    pub(super) fn upside_down_links(&mut self, entities: &[Entity], resolved: &Resolved<'_>) {
        let f = self.file;
        let kind = |e: EntityId| entities[e.0 as usize].kind;
        // The model's ids are filled in after validation: the file's name them.
        let id = |v: &Self, e: EntityId| v.target_id(Target::Entity(e.0));
        // What came from a STIX bundle keeps the direction of its relationship, and its ends'
        // kinds were read from STIX types (a nation-state threat actor with government
        // resources and no roles is a state, though it may be a group): an importer's guess
        // of kinds is no ground for telling an analyst to turn a relationship round.
        let imported = |key: &str, name: &str| {
            (f.stix.as_ref()).is_some_and(|s| s.objects.contains_key(&format!("{key}{name}")))
        };
        for (i, e) in entities.iter().enumerate() {
            if let Some(whole) = e.part_of
                && upside_down(e.kind, kind(whole))
                && !imported("entity:", id(self, EntityId(i as u32)))
            {
                self.push(diags::upside_down(
                    (id(self, EntityId(i as u32)), e.kind),
                    "is declared part of",
                    (id(self, whole), kind(whole)),
                    None,
                    part_of_path(f, i),
                ));
            }
        }
        for (claim, at) in resolved.located_links() {
            if let Statement::Link { from, to } = claim.statement
                && upside_down(kind(from), kind(to))
                && !imported("claim:", &f.claims[at.i].id)
            {
                let c = &f.claims[at.i];
                self.push(diags::upside_down(
                    (id(self, from), kind(from)),
                    &super::relation_name(c.relation),
                    (id(self, to), kind(to)),
                    Some(&c.id),
                    at.field("relation"),
                ));
            }
        }
    }

    /// A case `as_of` a date cannot hold a claim made after it: `assess` would count the claim
    /// while `--as-of` the same date drops it. A partial date that straddles `as_of` (a claim
    /// of "2022-09" in a case as of 2022-09-08) may be right, so it only warns.
    ///
    /// A claim on an incident cannot have been made before the incident began either: its
    /// date or the incident's `start` is wrong (a start that is when it was found, often), and
    /// `--as-of` between the two would show a judgement on an incident that had not begun.
    /// Only dates wholly before the start count (a claim of "2022-07" on an incident of
    /// 2022-07-15 may be right); they are noted in `early` (with `k`, which resolved claim
    /// this is) for [`Self::claims_before_start`].
    pub(super) fn dated(
        &mut self,
        id: &str,
        date: Date,
        statement: Statement,
        at: At,
        dating: Dating<'_>,
        (early, k): (&mut Vec<(IncidentId, u32)>, u32),
    ) {
        if let Some(as_of) = dating.as_of {
            if as_of.wholly_before(date) {
                self.push(diags::after_as_of(id, date, as_of, at.field("date")));
            } else if date.latest_day() > as_of.latest_day() {
                self.push(diags::maybe_after_as_of(id, date, as_of, at.field("date")));
            }
        }
        if let Statement::Responsible { incident, .. } | Statement::Condemns { incident } =
            statement
            && let Some(start) = dating.incidents[incident.index()].start
            && date.wholly_before(start)
        {
            early.push((incident, k));
        }
    }
}

impl Validator<'_> {
    /// The claims [`Self::dated`] found made before their incident began, one warning per
    /// claim, or one per incident where several were (the start is then the likelier mistake).
    pub(super) fn claims_before_start(&mut self, resolved: &Resolved<'_>, incidents: &[Incident]) {
        let f = self.file;
        // Per incident, its claims dated before it began, in file order.
        let mut early: BTreeMap<usize, Vec<(&str, Date, String)>> = BTreeMap::new();
        for &(incident, k) in &resolved.early {
            let k = k as usize;
            let Some(date) = resolved.claims[k].date else {
                continue;
            };
            let at = At::new("claims", resolved.positions[k]);
            // The model's ids are filled in after validation: the file's name them.
            let id = f.claims[at.i].id.as_str();
            early
                .entry(incident.index())
                .or_default()
                .push((id, date, at.field("date")));
        }
        for (i, claims) in early {
            let named = &f.incidents[i].id;
            let Some(start) = incidents[i].start else {
                continue;
            };
            match claims.as_slice() {
                [(id, date, path)] => {
                    self.push(diags::before_incident(
                        id,
                        *date,
                        named,
                        start,
                        path.clone(),
                    ));
                }
                // Several: the start is the likelier mistake, and one warning says so.
                _ => self.push(diags::many_before_incident(
                    &claims,
                    named,
                    start,
                    At::new("incidents", i).field("start"),
                )),
            }
        }
    }
}

/// Whether a link from `from` up to `to` (what `from` did counts for `to`) runs against the
/// order every case shares: a state stands above its agencies, units and groups, an agency or
/// unit above the groups it runs, and an intrusion set above the personas it speaks through.
/// Organisations, companies, people and unidentified actors sit anywhere (a company can be a
/// group's front, a person a group's member), and an agency and a unit either way round (a
/// bureau of a military command, a unit of an agency): those are never judged.
fn upside_down(from: EntityKind, to: EntityKind) -> bool {
    use crate::format::{ActorKind as A, GroupKind as G};
    use EntityKind::{Actor, Group};
    matches!(
        (from, to),
        (
            Actor(A::State),
            Actor(A::Agency | A::MilitaryUnit) | Group(_)
        ) | (Actor(A::Agency | A::MilitaryUnit), Group(_))
            | (Group(G::IntrusionSet), Group(G::Persona))
    )
}

/// The links of a cycle E030 points at, the first among them.
const MAX_CYCLE_LINKS_SHOWN: usize = 8;

/// The most links attrib follows from an actor up through the wholes it is part of (E035):
/// real hierarchies are a few levels deep (a unit, its directorate, its agency, its
/// ministry, its state), and reports grow with the square of a chain's length.
pub(crate) const MAX_CHAIN: usize = 64;

/// The first claim making each link, by its ends.
fn first_claims(resolved: &Resolved<'_>) -> std::collections::HashMap<(usize, usize), At> {
    let mut claimed = std::collections::HashMap::new();
    for (c, at) in resolved.located_links() {
        if let Statement::Link { from, to } = c.statement {
            claimed.entry((from.index(), to.index())).or_insert(at);
        }
    }
    claimed
}

/// The longest path of an acyclic graph, as its nodes from the lowest up, and its length in
/// links; `None` for a graph without nodes. Each node's height (the longest path up from
/// it) is taken once its successors' are known (Kahn's order on the reversed edges), without
/// recursion: a chain of 100,000 links must not overflow the stack. Ties go to the node
/// first in the file, and from it to the successor first in the file, so that the chain
/// reported does not depend on anything but the file.
fn longest_chain(graph: &DiGraph<usize, ()>) -> Option<(Vec<usize>, usize)> {
    use petgraph::Direction::{Incoming, Outgoing};
    let n = graph.node_count();
    let mut height = vec![0usize; n];
    let mut waiting: Vec<usize> = (0..n)
        .map(|i| {
            graph
                .neighbors_directed(NodeIndex::new(i), Outgoing)
                .count()
        })
        .collect();
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    while let Some(v) = ready.pop() {
        for u in graph.neighbors_directed(NodeIndex::new(v), Incoming) {
            let u = u.index();
            height[u] = height[u].max(height[v] + 1);
            waiting[u] -= 1;
            if waiting[u] == 0 {
                ready.push(u);
            }
        }
    }
    // Node `i` holds entity `graph[i]`; both are numbered alike (`link_cycles`).
    let top = (0..n).max_by_key(|&i| (height[i], std::cmp::Reverse(i)))?;
    let mut chain = vec![top];
    let mut at = top;
    while height[at] > 0 {
        at = graph
            .neighbors_directed(NodeIndex::new(at), Outgoing)
            .map(|w| w.index())
            .filter(|&w| height[w] + 1 == height[at])
            .min()?;
        chain.push(at);
    }
    Some((
        chain.iter().map(|&i| graph[NodeIndex::new(i)]).collect(),
        height[top],
    ))
}

fn part_of_path(file: &CaseFile, entity: usize) -> String {
    if entity < file.actors.len() {
        field(&index("actors", entity), "part_of")
    } else {
        index("groups", entity - file.actors.len())
    }
}

/// Every non-trivial strongly connected component, as a cycle through it starting at its
/// smallest node, in a deterministic order. (`kosaraju_scc`, whose searches keep their own
/// stack: `tarjan_scc` recurses, and a chain of 200,000 links overflowed the thread's stack.)
fn cycles(graph: &DiGraph<usize, ()>) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for scc in petgraph::algo::kosaraju_scc(graph) {
        if scc.len() < 2 {
            continue;
        }
        let members: HashSet<NodeIndex> = scc.iter().copied().collect();
        let start = *scc.iter().min_by_key(|n| graph[**n]).unwrap_or(&scc[0]);
        // Breadth-first search inside the component for the shortest way back to `start`.
        let mut parent: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut end = None;
        'search: while let Some(n) = queue.pop_front() {
            let mut next: Vec<NodeIndex> = graph.neighbors(n).collect();
            next.sort_by_key(|m| graph[*m]);
            for m in next {
                if m == start {
                    end = Some(n);
                    break 'search;
                }
                if members.contains(&m) && !parent.contains_key(&m) {
                    parent.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        let mut path = Vec::new();
        let mut n = end.unwrap_or(start);
        while n != start {
            path.push(graph[n]);
            n = parent[&n];
        }
        path.push(graph[start]);
        path.reverse();
        out.push(path);
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> DiGraph<usize, ()> {
        let mut g = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..n).map(|i| g.add_node(i)).collect();
        for &(a, b) in edges {
            g.add_edge(nodes[a], nodes[b], ());
        }
        g
    }

    #[test]
    fn the_longest_chain_is_found_from_its_lowest_node_up() {
        assert_eq!(longest_chain(&graph(0, &[])), None);
        assert_eq!(longest_chain(&graph(2, &[])), Some((vec![0], 0)));
        // A diamond with a longer side: 4 → 3 → 1 → 0 and 4 → 2 → 0, plus 5 → 4.
        let g = graph(6, &[(1, 0), (2, 0), (3, 1), (4, 3), (4, 2), (5, 4)]);
        assert_eq!(longest_chain(&g), Some((vec![5, 4, 3, 1, 0], 4)));
        // Two chains of three links: the one whose lowest node comes first in the file; from
        // a node with two ways of the same length, the successor first in the file.
        let g = graph(
            8,
            &[
                (7, 6),
                (6, 5),
                (5, 4),
                (3, 2),
                (2, 0),
                (2, 1),
                (1, 4),
                (0, 4),
            ],
        );
        assert_eq!(longest_chain(&g), Some((vec![3, 2, 0, 4], 3)));
    }
}
