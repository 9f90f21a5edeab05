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
        let mut edges = Edges::default();
        for &(i, o) in restating {
            let (from, to) = (node(&mut graph, i), node(&mut graph, o));
            edges.add(&mut graph, from, to);
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

    /// E030, then E035 and E037 on a graph without cycles. The wholes of every actor when
    /// the graph has no cycle (those within E037's bound): the checks of exclusive sets read
    /// them.
    pub(super) fn link_cycles(
        &mut self,
        entities: &[Entity],
        resolved: &Resolved<'_>,
    ) -> Option<Wholes> {
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..entities.len()).map(|i| graph.add_node(i)).collect();
        let mut edges = Edges::default();
        for (i, e) in entities.iter().enumerate() {
            if let Some(p) = e.part_of {
                edges.add(&mut graph, nodes[i], nodes[p.0 as usize]);
            }
        }
        for (c, _) in resolved.located_links() {
            if let Statement::Link { from, to } = c.statement {
                edges.add(&mut graph, nodes[from.0 as usize], nodes[to.0 as usize]);
            }
        }
        let cycles = cycles(&graph);
        if cycles.is_empty() {
            let order = tops_first(&graph);
            let above = wholes(&graph, &order);
            // A chain past the bound puts its lower actors past the other bound too: one
            // error for one problem.
            if !self.deep_chain(&graph, &order, resolved) {
                self.many_wholes(&graph, &above, resolved);
            }
            return Some(Wholes { above });
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
        None
    }

    /// E035: a chain of links longer than [`MAX_CHAIN`], found on the acyclic link graph (the
    /// links are checked for cycles first). Every report names each actor on a line's path,
    /// so a chain of n links makes them grow as n² (a file of 100,000 claims, each making one
    /// agency subordinate of the one before, would need terabytes), while no organisation
    /// stands tens of levels deep. The longest chain is reported, from its lowest actor up;
    /// one is enough, since shortening it is the fix and the next is reported after.
    /// Whether it reported one.
    fn deep_chain(
        &mut self,
        graph: &DiGraph<usize, ()>,
        order: &[usize],
        resolved: &Resolved<'_>,
    ) -> bool {
        let Some((chain, height)) = longest_chain(graph, order) else {
            return false;
        };
        if height <= MAX_CHAIN {
            return false;
        }
        let ids: Vec<&str> = chain
            .iter()
            .map(|&i| self.target_id(Target::Entity(i as u32)))
            .collect();
        let (at, _, how) = self.link_made(graph, resolved, chain[0], Some(chain[1]));
        self.push(diags::deep_chain(&ids, MAX_CHAIN, at, how));
        true
    }

    /// E037: an actor with more than [`MAX_WHOLES`] wholes, found on the acyclic link graph
    /// with chains no longer than [`MAX_CHAIN`]. A line of evidence on an actor reaches every
    /// whole above it, and each whole it reaches is a hypothesis that names the path: with n
    /// wholes above each of n actors the reports grow as n² however short the chains (2,000
    /// groups, each claimed subordinate of one actor claimed subordinate of 2,000 others: a
    /// file of 0.5 MB, 8.8 GB of JSON), and every check that looks up an actor's wholes walks
    /// them all. The actor reported is the first, in the file, whose wholes each have no more
    /// than the bound: where the breadth begins, which is where it is mended; the actors
    /// under it are counted.
    fn many_wholes(
        &mut self,
        graph: &DiGraph<usize, ()>,
        above: &[Option<Vec<u32>>],
        resolved: &Resolved<'_>,
    ) -> Option<()> {
        let over = above.iter().filter(|a| a.is_none()).count();
        // Any actor past the bound has one above it, or is one, whose wholes are all within.
        let first = (0..above.len()).find(|&i| {
            above[i].is_none()
                && graph
                    .neighbors(NodeIndex::new(i))
                    .all(|w| above[w.index()].is_some())
        })?;
        let mut up: Vec<usize> = graph
            .neighbors(NodeIndex::new(first))
            .map(|w| graph[w])
            .collect();
        up.sort_unstable();
        let id = self.target_id(Target::Entity(first as u32)).to_string();
        let (at, to, how) = self.link_made(graph, resolved, first, None);
        let to = self.target_id(Target::Entity(to as u32)).to_string();
        let shown: Vec<&str> = (up.iter().take(3))
            .map(|&w| self.target_id(Target::Entity(w as u32)))
            .collect();
        let d = diags::many_wholes(
            &id,
            (up.len(), &shown),
            MAX_WHOLES,
            (at, &to, how),
            over - 1,
        );
        self.push(d);
        Some(())
    }

    /// Where the link from `from` up (to `to`, or to any whole when `None`) is made: at the
    /// object of the first claim making it, else at `from`'s declared `part_of`; with the
    /// whole it goes to, and how it is made.
    fn link_made(
        &self,
        graph: &DiGraph<usize, ()>,
        resolved: &Resolved<'_>,
        from: usize,
        to: Option<usize>,
    ) -> (String, usize, &'static str) {
        let claimed = resolved
            .located_links()
            .find_map(|(c, at)| match c.statement {
                Statement::Link { from: f, to: t }
                    if f.index() == from && to.is_none_or(|to| t.index() == to) =>
                {
                    Some((at, t.index()))
                }
                _ => None,
            });
        match claimed {
            Some((at, to)) => (at.field("object"), to, "claimed"),
            // Not claimed: the one link up no claim makes is the declared `part_of`.
            None => {
                let whole = to.or_else(|| {
                    graph
                        .neighbors(NodeIndex::new(from))
                        .next()
                        .map(|w| graph[w])
                });
                (
                    part_of_path(self.file, from),
                    whole.unwrap_or(from),
                    "declared part_of",
                )
            }
        }
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
        let imported = |key: &str, name: &str| imported(f, key, name);
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

    /// W123: an `OperatedBy` claim whose wording says the two actors are one ("Unit 74455,
    /// known as Sandworm Team"): written as a link, the group's evidence reaches the unit only
    /// as far as the link is believed and the unit's opposition reaches the group, which can
    /// come out lower for the claim (docs/format.md, "Two names for one actor are not a
    /// link"). Told by the words sources use to give a second name, standing right between a
    /// name of one end and a name of the other ("Sandworm, also known as Voodoo Bear, is run
    /// by Unit 74455" gives one end a second name, and is not one); a claim imported from
    /// STIX, whose relationship says what it says, is left alone.
    pub(super) fn names_as_links(&mut self, resolved: &Resolved<'_>) {
        let f = self.file;
        for (claim, at) in resolved.located_links() {
            let c = &f.claims[at.i];
            let (Statement::Link { from, to }, Some(wording)) = (claim.statement, &c.wording)
            else {
                continue;
            };
            if c.relation != Relation::OperatedBy || imported(f, "claim:", &c.id) {
                continue;
            }
            let ends = || (self.spellings(from), self.spellings(to));
            if let Some(phrase) = naming_phrase(wording, ends) {
                let id = |e: EntityId| self.target_id(Target::Entity(e.0));
                let d =
                    diags::named_as_link(&c.id, &phrase, (id(from), id(to)), at.field("relation"));
                self.push(d);
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

/// The edges of a graph being built, each added once, in the order first given. (petgraph's
/// `update_edge` looks for an edge among all those of its node: an actor linked up to 64,000
/// others took 5 s to build.)
#[derive(Default)]
struct Edges(HashSet<(NodeIndex, NodeIndex)>);

impl Edges {
    fn add(&mut self, graph: &mut DiGraph<usize, ()>, from: NodeIndex, to: NodeIndex) {
        if self.0.insert((from, to)) {
            graph.add_edge(from, to, ());
        }
    }
}

/// The most actors attrib follows above one actor, through links and `part_of`s, directly or
/// through others (E037): a group answers to its unit, agency and state, or to a few
/// candidates for each, and every report grows with the wholes each line reaches.
pub(crate) const MAX_WHOLES: usize = 64;

/// Each actor's wholes (the actors a line of evidence on it reaches going up), in the order
/// of the file, found on a link graph without cycles; not for an actor with more than
/// [`MAX_WHOLES`] (E037).
pub(super) struct Wholes {
    above: Vec<Option<Vec<u32>>>,
}

impl Wholes {
    /// Whether `whole` stands above `part`; `None` when `part` has more wholes than are
    /// followed.
    pub(super) fn above(&self, part: EntityId, whole: EntityId) -> Option<bool> {
        let list = self.above[part.index()].as_ref()?;
        Some(list.binary_search(&whole.0).is_ok())
    }
}

/// The nodes of an acyclic graph with every node after its successors (its wholes): Kahn's
/// order on the reversed edges, without recursion, so that a chain of 100,000 links does not
/// overflow the stack.
fn tops_first(graph: &DiGraph<usize, ()>) -> Vec<usize> {
    use petgraph::Direction::{Incoming, Outgoing};
    let n = graph.node_count();
    let mut waiting: Vec<usize> = (0..n)
        .map(|i| {
            graph
                .neighbors_directed(NodeIndex::new(i), Outgoing)
                .count()
        })
        .collect();
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(v) = ready.pop() {
        order.push(v);
        for u in graph.neighbors_directed(NodeIndex::new(v), Incoming) {
            let u = u.index();
            waiting[u] -= 1;
            if waiting[u] == 0 {
                ready.push(u);
            }
        }
    }
    order
}

/// Each node's successors, direct and further up, in ascending order; `None` for a node with
/// more than [`MAX_WHOLES`] of them. Taken in `order` (each node after its wholes), as the
/// union of its wholes' own, and given up once past the bound: each whole read either adds
/// to the count or is already in it, so at most `2 × (MAX_WHOLES + 1)` wholes of a node are
/// read, each giving at most `MAX_WHOLES + 1` entries, and the work is linear in the actors
/// however wide the graph.
fn wholes(graph: &DiGraph<usize, ()>, order: &[usize]) -> Vec<Option<Vec<u32>>> {
    let n = graph.node_count();
    let mut above: Vec<Option<Vec<u32>>> = vec![None; n];
    // The node whose wholes last counted each node: told apart without clearing a set.
    let mut counted = vec![usize::MAX; n];
    for &v in order {
        let mut all = Vec::new();
        let within = graph.neighbors(NodeIndex::new(v)).all(|w| {
            let Some(further) = &above[w.index()] else {
                return false;
            };
            for x in std::iter::once(w.index() as u32).chain(further.iter().copied()) {
                if counted[x as usize] != v {
                    counted[x as usize] = v;
                    all.push(x);
                }
            }
            all.len() <= MAX_WHOLES
        });
        above[v] = within.then(|| {
            all.sort_unstable();
            all
        });
    }
    above
}

/// The longest path of an acyclic graph, as its nodes from the lowest up, and its length in
/// links; `None` for a graph without nodes. Each node's height (the longest path up from
/// it) is taken once its successors' are known (in `order`). Ties go to the node
/// first in the file, and from it to the successor first in the file, so that the chain
/// reported does not depend on anything but the file.
fn longest_chain(graph: &DiGraph<usize, ()>, order: &[usize]) -> Option<(Vec<usize>, usize)> {
    let mut height = vec![0usize; graph.node_count()];
    for &v in order {
        height[v] = (graph.neighbors(NodeIndex::new(v)))
            .map(|w| height[w.index()] + 1)
            .max()
            .unwrap_or(0);
    }
    let n = graph.node_count();
    // Node `i` holds entity `graph[i]`; both are numbered alike (`link_cycles`).
    let top = (0..n).max_by_key(|&i| (height[i], std::cmp::Reverse(i)))?;
    let mut chain = vec![top];
    let mut at = top;
    while height[at] > 0 {
        at = graph
            .neighbors(NodeIndex::new(at))
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

    fn chain(g: &DiGraph<usize, ()>) -> Option<(Vec<usize>, usize)> {
        longest_chain(g, &tops_first(g))
    }

    #[test]
    fn the_longest_chain_is_found_from_its_lowest_node_up() {
        assert_eq!(chain(&graph(0, &[])), None);
        assert_eq!(chain(&graph(2, &[])), Some((vec![0], 0)));
        // A diamond with a longer side: 4 → 3 → 1 → 0 and 4 → 2 → 0, plus 5 → 4.
        let g = graph(6, &[(1, 0), (2, 0), (3, 1), (4, 3), (4, 2), (5, 4)]);
        assert_eq!(chain(&g), Some((vec![5, 4, 3, 1, 0], 4)));
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
        assert_eq!(chain(&g), Some((vec![3, 2, 0, 4], 3)));
    }

    fn wholes_of(g: &DiGraph<usize, ()>) -> Vec<Option<Vec<u32>>> {
        wholes(g, &tops_first(g))
    }

    #[test]
    fn every_whole_is_found_once_through_every_way_up() {
        // The diamond: 5's wholes are 4, 3, 2, 1 and 0, though 0 is reached two ways.
        let g = graph(6, &[(1, 0), (2, 0), (3, 1), (4, 3), (4, 2), (5, 4)]);
        let w = wholes_of(&g);
        assert_eq!(w[0], Some(vec![]));
        assert_eq!(w[3], Some(vec![0, 1]));
        assert_eq!(w[4], Some(vec![0, 1, 2, 3]));
        assert_eq!(w[5], Some(vec![0, 1, 2, 3, 4]));
    }

    #[test]
    fn past_64_wholes_an_actor_and_every_actor_under_it_are_over() {
        // Node 0 under nodes 1..=n directly; node n + 1 under 0.
        let fan = |n: usize| {
            let mut edges: Vec<(usize, usize)> = (1..=n).map(|k| (0, k)).collect();
            edges.push((n + 1, 0));
            wholes_of(&graph(n + 2, &edges))
        };
        let w = fan(MAX_WHOLES);
        assert_eq!(w[0].as_ref().map(Vec::len), Some(MAX_WHOLES));
        assert_eq!(w[MAX_WHOLES + 1], None, "one more through its whole");
        let w = fan(MAX_WHOLES + 1);
        assert_eq!(w[0], None);
        assert_eq!(w[1], Some(vec![]));
        assert_eq!(w[MAX_WHOLES + 2], None);
        // A chain of 64 links: the lowest actor has 64 wholes, one per level.
        let edges: Vec<(usize, usize)> = (0..MAX_WHOLES).map(|k| (k, k + 1)).collect();
        let w = wholes_of(&graph(MAX_WHOLES + 1, &edges));
        assert_eq!(w[0].as_ref().map(Vec::len), Some(MAX_WHOLES));
    }
}

/// Whether the record of `key` and `name` (`claim:c3`, `entity:gru`) stands in the file's
/// `stix` section: what was imported from STIX keeps its relationship's direction and says
/// what it says.
fn imported(f: &CaseFile, key: &str, name: &str) -> bool {
    (f.stix.as_ref()).is_some_and(|s| s.objects.contains_key(&format!("{key}{name}")))
}

/// What sources write before an actor's second name ([`naming_phrase`]), the longest first.
const PHRASES: [&str; 10] = [
    "also known as",
    "also tracked as",
    "also referred to as",
    "known as",
    "tracked as",
    "referred to as",
    "also called",
    "a.k.a.",
    "a.k.a",
    "aka",
];

/// What sources write before a second name with those who use it between "by" and "as"
/// ("known by cybersecurity researchers as", "tracked by Mandiant as"): [`naming_phrase`]
/// reads a stem, then "by", at most [`BY_WORDS`] words, then "as".
const BY_STEMS: [&str; 3] = ["known by ", "tracked by ", "referred to by "];

/// The most words between "by" and "as" in a phrase of [`BY_STEMS`]: enough for "the private
/// sector" or "Microsoft Threat Intelligence", few enough not to join two clauses.
const BY_WORDS: usize = 5;

/// Where in `lower` a phrase of [`BY_STEMS`] stands, by its start and end: the stem, "by", at
/// most [`BY_WORDS`] words of letters, digits, hyphens and apostrophes, and "as" (whole words).
fn by_phrases(lower: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    BY_STEMS.into_iter().flat_map(move |stem| {
        lower.match_indices(stem).filter_map(move |(i, _)| {
            let rest = &lower[i + stem.len()..];
            let mut at = 0;
            for _ in 0..=BY_WORDS {
                // Past the end when the last word is not followed by a space: no phrase.
                let word = rest.get(at..)?.split(' ').next()?;
                if word == "as" {
                    return Some((i, i + stem.len() + at + 2));
                }
                let ok = |c: char| c.is_alphanumeric() || "-'’&".contains(c);
                if word.is_empty() || !word.chars().all(ok) {
                    return None;
                }
                at += word.len() + 1;
            }
            None
        })
    })
}

/// Words between a name and the phrase: verbs and adverbs ("is better known as"), and the
/// nouns a government advisory puts after a service's name ("SVR cyber actors, also known as
/// APT29"), each passed over only where no spelling ends there already.
const FILLERS: [&str; 13] = [
    "is",
    "was",
    "are",
    "also",
    "better",
    "publicly",
    "commonly",
    "widely",
    "cyber",
    "actors",
    "actor",
    "operators",
    "hackers",
];

/// The words by which `wording` gives one of two actors the other's name, if it does: a phrase
/// sources use for a second name ("also known as", "aka", "tracked as"…, as whole words in
/// any case, the longest first; returned in lower case) right after a spelling of one actor
/// and right before a spelling of the other (`ends`: each one's id, name and aliases, in
/// lower case, each a whole word), across a comma, a parenthesis, a dash, quotes, "the", and
/// the words that go between a name and the phrase ("is", "better", "publicly"…). Where a
/// spelling of each end stands at one place ("Bear" and "Voodoo Bear"), the longer is read.
fn naming_phrase(
    wording: &str,
    ends: impl FnOnce() -> (Vec<String>, Vec<String>),
) -> Option<String> {
    let lower = wording.to_lowercase();
    // Most wordings hold no such phrase: the names are spelt out only for those that do.
    if !PHRASES.iter().chain(&BY_STEMS).any(|p| lower.contains(p)) {
        return None;
    }
    let between = |c: char| c.is_whitespace() || ",;:()[]\"'“”‘’—–".contains(c);
    // Part of a word: a letter, a digit, a combining mark, or a hyphen ("GRU-backed").
    let in_word = |c: char| c.is_alphanumeric() || c == '-' || ('\u{300}'..='\u{36f}').contains(&c);
    // The longest of `names` that `text` ends with, as a whole word, or that it ends with past
    // the fillers, the nearest first.
    let closes = |text: &str, names: &[String]| {
        let ending = |text: &str| {
            (names.iter())
                .filter(|n| (text.strip_suffix(n.as_str())).is_some_and(|r| !r.ends_with(in_word)))
                .map(String::len)
                .max()
        };
        let mut text = text.trim_end_matches(between);
        loop {
            if let Some(found) = ending(text) {
                return Some(found);
            }
            text = (FILLERS.iter()).find_map(|f| {
                let rest = text.strip_suffix(f)?;
                (!rest.ends_with(in_word)).then(|| rest.trim_end_matches(between))
            })?;
        }
    };
    // The longest of `names` that `text` begins with, as a whole word and not a possessive
    // ("Unit 74455's team" is another actor).
    let opens = |text: &str, names: &[String]| {
        let text = text.trim_start_matches(between);
        let text = text
            .strip_prefix("the ")
            .unwrap_or(text)
            .trim_start_matches(between);
        (names.iter())
            .filter(|n| {
                (text.strip_prefix(n.as_str())).is_some_and(|r| {
                    !r.starts_with(in_word) && !r.starts_with("'s") && !r.starts_with("’s")
                })
            })
            .map(String::len)
            .max()
    };
    let (a, b) = &ends();
    // One end's spelling at a place, and not the other's (or a shorter one of the other's).
    let only = |x: Option<usize>, y: Option<usize>| x.is_some_and(|x| y.is_none_or(|y| x > y));
    // Whether the phrase from `i` to `end` joins a name of one end to a name of the other.
    let joins = |(i, end): (usize, usize)| {
        let (before, after) = (&lower[..i], &lower[end..]);
        let whole = !before.ends_with(in_word) && !after.starts_with(in_word);
        let (ca, cb) = (closes(before, a), closes(before, b));
        let (oa, ob) = (opens(after, a), opens(after, b));
        whole && ((only(ca, cb) && only(ob, oa)) || (only(cb, ca) && only(oa, ob)))
    };
    let phrase = |(i, end): (usize, usize)| lower[i..end].to_owned();
    (PHRASES.into_iter())
        .find_map(|p| {
            (lower.match_indices(p))
                .find_map(|(i, _)| joins((i, i + p.len())).then(|| p.to_owned()))
        })
        .or_else(|| by_phrases(&lower).find(|&at| joins(at)).map(phrase))
}

impl Validator<'_> {
    /// An actor's or a group's spellings as the file declares them, in lower case: its id,
    /// its name and its aliases.
    fn spellings(&self, e: EntityId) -> Vec<String> {
        let (id, name, aliases) = self.declared(e.0);
        ([id, name]
            .into_iter()
            .chain(aliases.iter().map(String::as_str)))
        .map(str::to_lowercase)
        .collect()
    }
}

#[cfg(test)]
mod naming_tests {
    use super::naming_phrase;

    /// A second name is told by whole words in any case, the longest phrase first, right
    /// between a spelling of one end and a spelling of the other; the same letters inside
    /// other words (`Osaka`, `unknown as`), a second name of one end alone, and a phrase not
    /// joining the two names are not one.
    #[test]
    // Kept whole: a table of wordings, each with the phrase it holds or none.
    fn a_second_name_joins_the_two_ends() {
        let group = vec![
            "sandworm".into(),
            "sandworm team".into(),
            "voodoo bear".into(),
        ];
        // "bear" is a spelling of the unit too: "voodoo bear", the longer, is the group's.
        let unit = vec!["unit-74455".into(), "unit 74455".into(), "bear".into()];
        let ends = (group, unit);
        let cases = [
            (
                "GRU Unit 74455, also known as Sandworm Team",
                Some("also known as"),
            ),
            ("Unit 74455 (Known As \"Sandworm\")", Some("known as")),
            ("Sandworm, a.k.a. the Unit 74455 of the GRU", Some("a.k.a.")),
            ("unit 74455 aka sandworm", Some("aka")),
            (
                "Sandworm, also known as Voodoo Bear, is run by Unit 74455",
                None,
            ),
            ("Unit 74455 runs the group tracked as Sandworm", None),
            ("Unit 74455 runs Osaka Sandworm", None),
            ("Unit 74455 runs an unknown asset, Sandworm", None),
            ("Unit 744550, known as Sandworm", None),
            ("Unit 74455, known as Sandworms United", None),
            (
                "Unit 74455 is also known as Sandworm",
                Some("also known as"),
            ),
            ("Unit 74455, better known as Sandworm", Some("known as")),
            ("Unit 74455 — a.k.a Sandworm", Some("a.k.a")),
            ("Unit 74455, known as the \"Sandworm\"", Some("known as")),
            ("Sandworm, known as Unit 74455's hacking team", None),
            ("Unit 74455, known as Sandworm-backed crews", None),
            ("Voodoo Bear, known as Sandworm, is run by Unit 74455", None),
            // The NSA's way of naming a service's operators.
            (
                "Unit 74455 cyber actors, also known as Sandworm Team",
                Some("also known as"),
            ),
            ("Unit 74455 hackers are known as Sandworm", Some("known as")),
            // A filler that is part of a spelling is the spelling's.
            ("Sandworm Team is known as Unit 74455", Some("known as")),
            // Those who use the name, between "by" and "as" (the indictment of 2020).
            (
                "Unit 74455, commonly known by cybersecurity researchers as \"Sandworm Team\"",
                Some("known by cybersecurity researchers as"),
            ),
            (
                "Unit 74455, tracked by Microsoft Threat Intelligence as Sandworm",
                Some("tracked by microsoft threat intelligence as"),
            ),
            (
                "Sandworm is referred to by some as Unit 74455",
                Some("referred to by some as"),
            ),
            // Not a name: more words than a phrase holds, a clause, or no name after "as".
            (
                "Unit 74455, known by many people in many countries over years as Sandworm",
                None,
            ),
            ("Unit 74455 is known by its victims, as Sandworm says", None),
            (
                "Unit 74455 is known by researchers as well as Sandworm",
                None,
            ),
            // The text ends within the words a phrase may hold, with no "as".
            (
                "Sandworm Team is run by Unit 74455, known by researchers",
                None,
            ),
            ("Unit 74455, tracked by", None),
        ];
        for (wording, phrase) in cases {
            assert_eq!(
                naming_phrase(wording, || ends.clone()).as_deref(),
                phrase,
                "{wording}"
            );
        }
    }
}
