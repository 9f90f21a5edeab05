//! Listed hypotheses and exclusive sets.

use super::graph::MAX_CHAIN;
use super::*;
use std::collections::BTreeSet;

/// The most actors an incident's exclusive sets may hold together (E036). Each member counts
/// every other member's lines against it, and each claim's sensitivity is weighed for every
/// member: with n members the reports grow as n² and the work as n³ (2,000 members: a JSON
/// report of 5.3 GB, 93 s). Analysis of competing hypotheses weighs a handful.
pub(crate) const MAX_EXCLUSIVE: usize = 64;

/// Where an exclusive set of the model stands in the file: its index among the file's sets,
/// and each member's among the set's as written; and whether its incident's sets hold more
/// actors than attrib weighs (E036), so that the checks of what has to change anyway skip it.
pub(super) struct SetAt {
    set: usize,
    members: Vec<usize>,
    crowded: bool,
}

impl Validator<'_> {
    /// The hypotheses the case lists, with where each stands in the file (`hypotheses[i]`).
    pub(super) fn hypotheses(&mut self, names: &Names) -> (Vec<Hypothesis>, Vec<usize>) {
        let f = self.file;
        let mut out = Vec::new();
        let mut at = Vec::new();
        let mut seen = HashMap::default();
        for (i, h) in f.hypotheses.iter().enumerate() {
            let path = index("hypotheses", i);
            let prior = h
                .prior
                .and_then(|p| self.prior(p, || field(&path, "prior")));
            if matches!(names.resolve(&h.incident), Some(Target::Entity(_)))
                && matches!(names.resolve(&h.actor), Some(Target::Incident(_)))
            {
                // Both names are used, only misplaced: one error, not one for each field.
                self.lookup(names, &h.incident, &|| field(&path, "incident"));
                self.lookup(names, &h.actor, &|| field(&path, "actor"));
                self.push(diags::swapped_hypothesis(
                    &h.incident,
                    &h.actor,
                    field(&path, "incident"),
                ));
                continue;
            }
            let incident = self.incident_ref(
                names,
                &h.incident,
                &|| field(&path, "incident"),
                &|| "`incident`".into(),
                None,
            );
            let actor = self.entity_ref(names, &h.actor, &|| field(&path, "actor"), &|| {
                "`actor`".into()
            });
            if let (Some(incident), Some(actor)) = (incident, actor) {
                if let Some(&first) = seen.get(&(incident, actor)) {
                    self.push(diags::duplicate_hypothesis(
                        &h.actor,
                        &h.incident,
                        path.clone(),
                        index("hypotheses", first),
                    ));
                    continue;
                }
                seen.insert((incident, actor), i);
                at.push(i);
                out.push(Hypothesis {
                    incident,
                    actor,
                    prior,
                    note: h.note.clone(),
                });
            }
        }
        (out, at)
    }

    /// A declared part carries its evidence whole up to its whole (model §5), so on any
    /// incident the two rest on the same evidence and differ only by their priors: a part with
    /// a higher prior than its whole is judged more likely than it (the GRU above Russia), which
    /// no reader can take (if the GRU did it, Russia did). The model keeps a whole at least as
    /// likely only for equal priors, so every part above its whole on an incident where either
    /// has a prior of its own, and where the incident's evidence reaches both (a part nothing
    /// bears on is not judged: [`super::reach`]), is warned of (W121), once per whole and
    /// incident.
    pub(super) fn part_priors(
        &mut self,
        hypotheses: &[Hypothesis],
        at: &[usize],
        entities: &[Entity],
        (claims, sets): (&[Claim], &[ExclusiveSet]),
        case_prior: f64,
    ) {
        let own: BTreeMap<(IncidentId, EntityId), (f64, usize)> = (hypotheses.iter().zip(at))
            .filter_map(|(h, &i)| Some(((h.incident, h.actor), (h.prior?, i))))
            .collect();
        if own.is_empty() {
            return;
        }
        let mut reach = super::reach::Reach::new(entities, claims, sets, hypotheses);
        let mut judged: (Option<IncidentId>, HashSet<EntityId>) = (None, HashSet::default());
        let mut parts: Vec<Vec<EntityId>> = vec![Vec::new(); entities.len()];
        for (i, e) in entities.iter().enumerate() {
            if let Some(w) = e.part_of {
                parts[w.index()].push(EntityId(i as u32));
            }
        }
        let prior = |incident, x| own.get(&(incident, x)).map_or(case_prior, |p| p.0);
        // By (incident, whole): each part above it.
        let mut above: BTreeMap<(IncidentId, EntityId), BTreeSet<EntityId>> = BTreeMap::new();
        for &(incident, actor) in own.keys() {
            // `own` is in incident order: each incident's judged actors are found once.
            if judged.0 != Some(incident) {
                judged = (Some(incident), reach.judged(incident));
            }
            let judged = &judged.1;
            if !judged.contains(&actor) {
                continue;
            }
            let mut seen = BTreeSet::from([actor]);
            let mut up = entities[actor.index()].part_of;
            while let Some(w) = up.filter(|w| seen.insert(*w)) {
                if judged.contains(&w) && prior(incident, actor) > prior(incident, w) {
                    above.entry((incident, w)).or_default().insert(actor);
                }
                up = entities[w.index()].part_of;
            }
            let mut stack = parts[actor.index()].clone();
            while let Some(x) = stack.pop() {
                if !seen.insert(x) {
                    continue;
                }
                if judged.contains(&x) && prior(incident, x) > prior(incident, actor) {
                    above.entry((incident, actor)).or_default().insert(x);
                }
                stack.extend(&parts[x.index()]);
            }
        }
        for ((incident, whole), found) in above {
            let shown = |x: EntityId| {
                let id = self.target_id(Target::Entity(x.0)).to_string();
                (id, prior(incident, x), own.contains_key(&(incident, x)))
            };
            // At the whole's prior when it has one of its own, else at the first part's.
            let i = own.get(&(incident, whole)).map_or_else(
                || {
                    found
                        .iter()
                        .find_map(|&x| own.get(&(incident, x)))
                        .map(|p| p.1)
                },
                |p| Some(p.1),
            );
            let path = field(&index("hypotheses", i.unwrap_or(0)), "prior");
            let parts: Vec<(String, f64, bool)> = found.iter().map(|&x| shown(x)).collect();
            let incident = self.target_id(Target::Incident(incident.0)).to_string();
            self.push(diags::part_priors(&incident, shown(whole), &parts, path));
        }
    }

    /// The exclusive sets whose incident resolves, and where each stands in the file
    /// ([`SetAt`]: a set left out, or a member, shifts the ones after it).
    pub(super) fn exclusive_sets(&mut self, names: &Names) -> (Vec<ExclusiveSet>, Vec<SetAt>) {
        let f = self.file;
        let mut out = Vec::new();
        let mut at = Vec::new();
        // The distinct members of each incident's sets so far, and whether E036 is given.
        let mut weighed: HashMap<IncidentId, (HashSet<EntityId>, bool)> = HashMap::default();
        let mut first_of = HashMap::default();
        for (i, set) in f.exclusive.iter().enumerate() {
            let path = index("exclusive", i);
            let incident = self.incident_ref(
                names,
                &set.incident,
                &|| field(&path, "incident"),
                &|| "`incident`".into(),
                None,
            );
            let mut members = Vec::new();
            let mut written = Vec::new();
            let mut seen = HashSet::default();
            for (j, m) in set.members.iter().enumerate() {
                let mpath = index(&field(&path, "members"), j);
                if let Some(e) = self.entity_ref(names, m, &|| mpath.clone(), &|| "a member".into())
                {
                    if !seen.insert(e) {
                        self.push(diags::listed_twice(m, mpath));
                        continue;
                    }
                    members.push(e);
                    written.push(j);
                    if let Some(incident) = incident {
                        let (all, told) = weighed.entry(incident).or_default();
                        if all.insert(e) && all.len() > MAX_EXCLUSIVE && !*told {
                            *told = true;
                            let total = self.weighed_in_sets(names, incident);
                            self.push(diags::too_many_exclusive(
                                &set.incident,
                                total,
                                MAX_EXCLUSIVE,
                                mpath,
                            ));
                        }
                    }
                }
            }
            if set.members.len() < 2 {
                self.push(diags::too_few_members(field(&path, "members")));
            }
            if let Some(incident) = incident {
                // A set with a member that did not resolve is not compared: its members are
                // not the ones written.
                let whole = written.len() == set.members.len();
                if let Some(first) = (whole)
                    .then(|| declared_before(&mut first_of, incident, &members, i))
                    .flatten()
                {
                    let first = index("exclusive", first);
                    self.push(diags::set_listed_twice(&set.incident, path, first));
                    continue;
                }
                at.push(SetAt {
                    set: i,
                    members: written,
                    crowded: false,
                });
                out.push(ExclusiveSet {
                    incident,
                    members,
                    note: set.note.clone(),
                });
            }
        }
        for (set, at) in out.iter().zip(&mut at) {
            at.crowded = weighed.get(&set.incident).is_some_and(|w| w.1);
        }
        (out, at)
    }

    /// How many distinct actors the exclusive sets on `incident` hold, for E036's message
    /// (looked up quietly: their errors are reported where the sets are read).
    fn weighed_in_sets(&self, names: &Names, incident: IncidentId) -> usize {
        let mut all = HashSet::default();
        for set in &self.file.exclusive {
            if names.resolve(&set.incident) == Some(Target::Incident(incident.0)) {
                all.extend(set.members.iter().filter_map(|m| match names.resolve(m) {
                    Some(Target::Entity(e)) => Some(e),
                    _ => None,
                }));
            }
        }
        all.len()
    }

    /// At most one member of an exclusive set did it, so before any evidence the chances that
    /// each did cannot add up to more than 1. With no evidence a hypothesis's P is its prior
    /// (`P = b + a·u`, u = 1), and a set whose priors add up to more reports more than
    /// certainty that one of them did it (W114). A member without a prior of its own takes the
    /// case's, so three members at the default 0.5 are warned of.
    pub(super) fn exclusive_priors(
        &mut self,
        (sets, at): (&[ExclusiveSet], &[SetAt]),
        with_whole: &[bool],
        hypotheses: &[Hypothesis],
        case_prior: f64,
    ) {
        if sets.is_empty() {
            return;
        }
        let own_priors: HashMap<(IncidentId, EntityId), f64> = hypotheses
            .iter()
            .filter_map(|h| Some(((h.incident, h.actor), h.prior?)))
            .collect();
        for ((set, at), &with_whole) in sets.iter().zip(at).zip(with_whole) {
            // A set holding a part and its whole is an error of its own (E034), whose fix
            // changes the set: no advice on priors for a set that has to change anyway.
            if at.crowded || with_whole {
                continue;
            }
            let priors: Vec<(EntityId, f64, bool)> = set
                .members
                .iter()
                .map(|&m| {
                    let own = own_priors.get(&(set.incident, m)).copied();
                    (m, own.unwrap_or(case_prior), own.is_some())
                })
                .collect();
            let sum: f64 = priors.iter().map(|p| p.1).sum();
            // A sum of thirds written as 0.33 + 0.33 + 0.34 is 1 to the last digit written.
            if sum <= 1.0 + 1e-9 {
                continue;
            }
            let members: Vec<(String, f64, bool)> = priors
                .iter()
                .map(|&(m, p, own)| (self.target_id(Target::Entity(m.0)).to_string(), p, own))
                .collect();
            let incident = self.target_id(Target::Incident(set.incident.0)).to_string();
            self.push(diags::exclusive_priors(
                &incident,
                &members,
                sum,
                case_prior,
                field(&index("exclusive", at.set), "members"),
            ));
        }
    }

    /// A part cannot exclude its whole (model §5b): if MOIS did it, Iran did it. An exclusive
    /// set holding an actor and one of its declared wholes is an error; a whole reached only
    /// through claimed links is a warning (the link may be doubted, but the set then assumes
    /// it is false). Whether each set holds a part and its declared whole, for W114.
    ///
    /// `wholes` is `None` when the links form a cycle, in which every member is its own
    /// whole: which members of a set exclude a whole of theirs is known once it is broken.
    /// Likewise with two declarations of one id: what names it reaches the first, which may
    /// not be what was meant. An actor with more wholes than are followed (E035, E037) is
    /// judged by its declared wholes within [`MAX_CHAIN`] levels alone (E034): its links
    /// have to change anyway.
    pub(super) fn exclusive_wholes(
        &mut self,
        (sets, at): (&[ExclusiveSet], &[SetAt]),
        wholes: Option<&Wholes>,
        entities: &[Entity],
    ) -> Vec<bool> {
        let mut with_whole = vec![false; sets.len()];
        let duplicates = self.diags.iter().any(|d| d.code == Code::DuplicateId);
        let Some(wholes) = wholes.filter(|_| !duplicates) else {
            return with_whole;
        };
        // Whether `whole` is reached from `part` by declarations alone: up its `part_of`s,
        // within the levels E035 allows (all of them, for an actor within E037's bound).
        let declared = |part: EntityId, whole: EntityId| {
            let mut up = entities[part.index()].part_of;
            for _ in 0..MAX_CHAIN {
                let Some(w) = up else {
                    return false;
                };
                if w == whole {
                    return true;
                }
                up = entities[w.index()].part_of;
            }
            false
        };
        // Not in sets that have to change anyway.
        for ((set, at), with_whole) in sets.iter().zip(at).zip(&mut with_whole) {
            if at.crowded {
                continue;
            }
            let path = field(&index("exclusive", at.set), "members");
            for (&m, &j) in set.members.iter().zip(&at.members) {
                for &w in &set.members {
                    if !wholes.above(m, w).unwrap_or_else(|| declared(m, w)) {
                        continue;
                    }
                    let part = self.target_id(Target::Entity(m.0));
                    let whole = self.target_id(Target::Entity(w.0));
                    let at = index(&path, j);
                    self.push(if declared(m, w) {
                        *with_whole = true;
                        diags::exclusive_with_whole(part, whole, at)
                    } else {
                        diags::exclusive_with_linked_whole(part, whole, at)
                    });
                }
            }
        }
        with_whole
    }
}

/// The set declared before `at` on `incident` with the same `members` (in any order), if one
/// was; else `at` is recorded as the first with them. A set declared again says nothing more,
/// and would go out as a second STIX object under the first one's id (E020).
fn declared_before(
    first_of: &mut HashMap<(IncidentId, Vec<EntityId>), usize>,
    incident: IncidentId,
    members: &[EntityId],
    at: usize,
) -> Option<usize> {
    if members.len() < 2 {
        return None;
    }
    let mut key = members.to_vec();
    key.sort_unstable();
    match first_of.entry((incident, key)) {
        std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(at);
            None
        }
    }
}
