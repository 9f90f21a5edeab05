//! Which actors an incident's evidence reaches, read off the file before anything is
//! propagated.
//!
//! A check about how two hypotheses compare (W121: a part above its whole) matters only where
//! both are judged: a state's declared part that nothing on an incident bears on is never
//! listed, and warning of it would ask the analyst for a prior on every unit of every state on
//! every incident. The engine knows exactly which actors it judges, but validation runs before
//! it and `check` must stay a single pass over the file; so this follows the directions of
//! model §5 over the resolved claims, erring on the side of "reached" (a claimed link is
//! followed whatever its likelihood, a what-if is not applied).

use super::*;

/// The link graph and each incident's direct claims, indexed once per validation.
pub(crate) struct Reach {
    /// Wholes of each entity: declared `part_of` and claimed links, part to whole.
    up: Vec<Vec<EntityId>>,
    /// Parts of each entity: the same edges, whole to part.
    down: Vec<Vec<EntityId>>,
    /// "Possibly the same as" partners, both ways.
    same: Vec<Vec<EntityId>>,
    /// Each incident's direct claims: the actor named, and whether the claim supports it
    /// (a likelihood above even chances), opposes it (below), or neither (`None`).
    direct: HashMap<IncidentId, Vec<(EntityId, Option<bool>)>>,
    /// The hypotheses each incident lists, judged whatever reaches them.
    listed: HashMap<IncidentId, Vec<EntityId>>,
    /// Each incident's exclusive sets (members).
    sets: HashMap<IncidentId, Vec<Vec<EntityId>>>,
    /// Marks of the walks (entity-sized, kept between walks).
    marks: Marks,
}

/// Which entities the walk in progress has seen: marked with the walk's number, so that no
/// walk clears what the one before left.
struct Marks {
    mark: Vec<u32>,
    walk: u32,
}

impl Reach {
    pub(crate) fn new(
        entities: &[Entity],
        claims: &[Claim],
        sets: &[ExclusiveSet],
        hypotheses: &[Hypothesis],
    ) -> Reach {
        let n = entities.len();
        let mut up = vec![Vec::new(); n];
        let mut down = vec![Vec::new(); n];
        let mut same = vec![Vec::new(); n];
        let mut direct: HashMap<IncidentId, Vec<(EntityId, Option<bool>)>> = HashMap::default();
        let mut listed: HashMap<IncidentId, Vec<EntityId>> = HashMap::default();
        for h in hypotheses {
            listed.entry(h.incident).or_default().push(h.actor);
        }
        for (i, e) in entities.iter().enumerate() {
            if let Some(w) = e.part_of {
                up[i].push(w);
                down[w.index()].push(EntityId(i as u32));
            }
        }
        for c in claims {
            // Even chances, or no likelihood, support nothing and oppose nothing (model §2:
            // the claim's opinion is all uncertainty), and a link or pair no claim backs
            // carries nothing across.
            let leaning = c.probability().filter(|&p| p != 0.5).map(|p| p > 0.5);
            match c.statement {
                Statement::Link { from, to } if leaning == Some(true) => {
                    up[from.index()].push(to);
                    down[to.index()].push(from);
                }
                Statement::SameAs { a, b } if leaning == Some(true) => {
                    same[a.index()].push(b);
                    same[b.index()].push(a);
                }
                Statement::Responsible { incident, actor } => {
                    direct.entry(incident).or_default().push((actor, leaning));
                }
                _ => {}
            }
        }
        let mut by_incident: HashMap<IncidentId, Vec<Vec<EntityId>>> = HashMap::default();
        for s in sets {
            by_incident
                .entry(s.incident)
                .or_default()
                .push(s.members.clone());
        }
        Reach {
            up,
            down,
            same,
            direct,
            listed,
            sets: by_incident,
            marks: Marks {
                mark: vec![0; n],
                walk: 0,
            },
        }
    }

    /// Every actor judged on `incident`: what its supporting claims reach going up (with the
    /// partners of the actors they name), and what opposition reaches going down, from the
    /// actors opposing claims name and from the members of an exclusive set another member of
    /// which has support (model §5, §5b); and, whatever reaches them, the actors its claims
    /// name, the hypotheses it lists and the members of its exclusive sets, which the reports
    /// list too.
    pub(crate) fn judged(&mut self, incident: IncidentId) -> HashSet<EntityId> {
        let direct = self.direct.get(&incident).map_or(&[][..], Vec::as_slice);
        let mut seeds: Vec<EntityId> = Vec::new();
        for &(actor, _) in direct.iter().filter(|d| d.1 == Some(true)) {
            seeds.push(actor);
            seeds.extend(&self.same[actor.index()]);
        }
        let supported = self.marks.closure(&self.up, seeds);
        let mut opposed: Vec<EntityId> = (direct.iter().filter(|d| d.1 == Some(false)))
            .map(|d| d.0)
            .collect();
        let mut judged = supported.clone();
        for members in self.sets.get(&incident).into_iter().flatten() {
            judged.extend(members);
            // A member is opposed when another member is backed: the backed ones counted once
            // a set, not for each member (a set of thousands).
            let backed: HashSet<EntityId> = (members.iter().copied())
                .filter(|m| supported.contains(m))
                .collect();
            for &m in members {
                if backed.len() > usize::from(backed.contains(&m)) {
                    opposed.push(m);
                }
            }
        }
        judged.extend(self.marks.closure(&self.down, opposed));
        judged.extend(direct.iter().map(|d| d.0));
        judged.extend(self.listed.get(&incident).into_iter().flatten());
        judged
    }
}

impl Marks {
    /// The seeds and everything `edges` lead to from them.
    fn closure(&mut self, edges: &[Vec<EntityId>], seeds: Vec<EntityId>) -> HashSet<EntityId> {
        self.walk += 1;
        let walk = self.walk;
        let mut out = HashSet::default();
        let mut stack = seeds;
        while let Some(x) = stack.pop() {
            if std::mem::replace(&mut self.mark[x.index()], walk) == walk {
                continue;
            }
            out.insert(x);
            stack.extend(&edges[x.index()]);
        }
        out
    }
}
