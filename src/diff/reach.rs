//! Which incidents a change can move, so that a change is judged there alone and changes
//! reaching apart are judged together ([`super::measure_alone`]).
//!
//! An incident's judgements are propagated from its own claims, hypotheses and exclusive
//! sets, up and down the links (claimed and declared `part_of`) and across the pairs between
//! actors (`docs/model.md` §5). So a change of a link or pair claim can move only the
//! incidents that name an actor connected to its ends by links and pairs: those connected in
//! either version, since a change taken from the new version into the old one leaves a case
//! whose links are some of the two versions' together ([`Connected`]).

use super::{Ids, Key};
use crate::model::{ClaimId, EntityId, IncidentId, Statement, name_key};
use petgraph::unionfind::UnionFind;
use rustc_hash::FxHashMap as HashMap;
use std::cell::OnceCell;
use std::collections::BTreeSet;

/// The actors and groups of either version in sets connected by the links and pairs of
/// either version, and the incidents that name a member of each set (by a claim of
/// responsibility, a listed hypothesis or an exclusive set) in either version.
pub(super) struct Connected<'a> {
    /// Each actor's or group's set, by id.
    set_of: HashMap<&'a str, u32>,
    /// The incidents of each set, by id.
    incidents: Vec<BTreeSet<&'a str>>,
}

impl<'a> Connected<'a> {
    fn of(versions: [&Ids<'a>; 2]) -> Connected<'a> {
        let mut index: HashMap<&'a str, u32> = HashMap::default();
        for v in versions {
            for e in &v.case.entities {
                let next = index.len() as u32;
                index.entry(e.id.as_str()).or_insert(next);
            }
        }
        let at = |v: &Ids<'a>, e: EntityId| index[v.case.entity(e).id.as_str()];
        let mut sets = UnionFind::<u32>::new(index.len());
        for v in versions {
            for e in &v.case.entities {
                if let Some(whole) = e.part_of {
                    sets.union(index[e.id.as_str()], at(v, whole));
                }
            }
            for c in &v.case.claims {
                match c.statement {
                    Statement::Link { from: a, to: b } | Statement::SameAs { a, b } => {
                        sets.union(at(v, a), at(v, b));
                    }
                    Statement::Responsible { .. } | Statement::Condemns { .. } => {}
                }
            }
        }
        let labels = sets.into_labeling();
        let mut incidents = vec![BTreeSet::new(); labels.len()];
        for v in versions {
            let mut touch = |x: IncidentId, e: EntityId| {
                let set = labels[at(v, e) as usize] as usize;
                incidents[set].insert(v.case.incident(x).id.as_str());
            };
            for c in &v.case.claims {
                if let Statement::Responsible { incident, actor } = c.statement {
                    touch(incident, actor);
                }
            }
            for h in &v.case.hypotheses {
                touch(h.incident, h.actor);
            }
            for x in &v.case.exclusive {
                for &m in &x.members {
                    touch(x.incident, m);
                }
            }
        }
        let set_of = (index.into_iter())
            .map(|(id, i)| (id, labels[i as usize]))
            .collect();
        Connected { set_of, incidents }
    }

    /// Adds to `out` the incidents that name an actor connected to `actor` (an id).
    fn incidents_of(&self, actor: &str, out: &mut BTreeSet<String>) {
        if let Some(&set) = self.set_of.get(actor) {
            out.extend(self.incidents[set as usize].iter().map(|x| x.to_string()));
        }
    }
}

impl Ids<'_> {
    /// Adds to `out` the incidents claim `c` bears on, with the claims it restates and that
    /// restate it (each stands in for the other when it goes, `docs/model.md` §6), to the
    /// end of every such chain: a claim on an incident bears on it, a link or pair claim on
    /// every incident naming an actor connected to its ends.
    fn claim_reach<'c>(
        &self,
        c: ClaimId,
        connected: &dyn Fn() -> &'c Connected<'c>,
        out: &mut BTreeSet<String>,
    ) {
        let mut seen = BTreeSet::from([c]);
        let mut stack = vec![c];
        while let Some(c) = stack.pop() {
            let claim = self.case.claim(c);
            match claim.statement {
                Statement::Responsible { incident, .. } | Statement::Condemns { incident } => {
                    out.insert(self.case.incident(incident).id.clone());
                }
                Statement::Link { from: a, .. } | Statement::SameAs { a, .. } => {
                    connected().incidents_of(&self.case.entity(a).id, out);
                }
            }
            let restating = self.restated_by.get(&c).into_iter().flatten();
            for &next in claim.derived_from.iter().chain(restating) {
                if seen.insert(next) {
                    stack.push(next);
                }
            }
        }
    }
}

/// What [`Reach::of`] reads: both versions, and the connected sets of their actors, made when a
/// link or pair claim first needs them.
pub(super) struct Reach<'a> {
    versions: [&'a Ids<'a>; 2],
    connected: OnceCell<Connected<'a>>,
}

impl<'a> Reach<'a> {
    pub(super) fn new(versions: [&'a Ids<'a>; 2]) -> Reach<'a> {
        Reach {
            versions,
            connected: OnceCell::new(),
        }
    }

    /// The incidents, by id, whose judgements the items of `apply` taken from the new version
    /// into the old can move; `None` when that may be any incident. A claim on an incident
    /// reaches that incident (and those of the claims it restates or that restate it), a
    /// link or pair claim the incidents naming an actor connected to its ends, an actor or
    /// group spelled as before (its `part_of` or kind changed) those naming an actor connected
    /// to it, a source the incidents of its claims in either version, and an actor or group
    /// added, removed or spelled otherwise (the names claims resolve by) or the prior any
    /// incident. So does a claim whose id is also a
    /// source's or a line of evidence's, and a source whose id is a line's: a what-if naming
    /// that id (`--without`) sets the claim aside, or the source, where there is one, and else
    /// what else has the id.
    pub(super) fn of(&self, apply: &BTreeSet<Key>) -> Option<BTreeSet<String>> {
        let versions = self.versions;
        let named_like_a_line =
            |id: &str| versions.iter().any(|v| v.case.find_family(id).is_some());
        let named_like_a_source = |id: &str| versions.iter().any(|v| v.sources.contains_key(id));
        let connected = || self.connected.get_or_init(|| Connected::of(versions));
        let mut incidents = BTreeSet::new();
        for key in apply {
            match key {
                Key::Source(id) if named_like_a_line(id) => return None,
                Key::Claim(id) if named_like_a_line(id) || named_like_a_source(id) => return None,
                _ => {}
            }
            match key {
                Key::Case => {}
                Key::Prior => return None,
                // An actor or group whose spellings stay as they were (its `part_of` or kind
                // changed) moves the incidents naming an actor connected to it; one spelled
                // otherwise changes what claims anywhere name.
                Key::Entity(id) => {
                    let spellings = |v: &Ids<'_>| {
                        let e = v.entity(id)?;
                        let spelled = e.spellings().map(|s| name_key(s).into_owned());
                        Some(spelled.collect::<BTreeSet<String>>())
                    };
                    match (spellings(versions[0]), spellings(versions[1])) {
                        (Some(was), Some(is)) if was == is => {
                            connected().incidents_of(id, &mut incidents);
                        }
                        _ => return None,
                    }
                }
                Key::Incident(i) | Key::Hypothesis(i, _) | Key::Exclusive(i, ..) => {
                    incidents.insert(i.clone());
                }
                Key::Source(id) => {
                    for v in versions {
                        if let Some(&s) = v.sources.get(id.as_str()) {
                            for &c in &v.by_source[s.0 as usize] {
                                v.claim_reach(c, &connected, &mut incidents);
                            }
                        }
                    }
                }
                Key::Claim(id) => {
                    for v in versions {
                        if let Some(&c) = v.claims.get(id.as_str()) {
                            v.claim_reach(c, &connected, &mut incidents);
                        }
                    }
                }
            }
        }
        Some(incidents)
    }
}
