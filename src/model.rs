//! The evidence case as the engine sees it: resolved, validated, indexed.
//!
//! Produced only by validation (through [`mod@crate::load`]), so every value here is known good: names are indices,
//! dates are parsed, likelihoods are probabilities, and the link graph is acyclic. The engine
//! (behind [`mod@crate::assess`]) and the renderers work on this and never on the file types.
//!
//! The fields are public to be read. A case changed in place is no longer known good (a link
//! that closes a cycle, an entity removed that a claim points at), and the engine may then
//! panic or not end: to change a case, change its file ([`crate::load::Loaded::file`], or
//! [`crate::load::parse`]) and validate that again ([`crate::load::validated`]), which says what
//! is wrong with it.

use crate::date::Date;
use crate::format::{ActorKind, GroupKind, Likelihood, Relation, SourceKind};
use crate::terms::{Confidence, Grade};
use std::borrow::Cow;
use std::collections::BTreeSet;
use unicode_normalization::UnicodeNormalization;

// Ids are indices into the case that made them. Only this crate can make one (the field is
// crate-private): a library user gets them from a `Case` (`find_*`, `*_ids`, the model's own
// fields) and so cannot forge one. An id of another case is an index all the same: with this
// case it names another item, or panics where it is out of range, as an index does
// (`Request::check` names such ids before an assessment).

/// Index of an actor or group in [`Case::entities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub(crate) u32);
/// Index of an incident in [`Case::incidents`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IncidentId(pub(crate) u32);
/// Index of a source in [`Case::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub(crate) u32);
/// Index of a claim in [`Case::claims`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClaimId(pub(crate) u32);
/// Index of a dependence family in [`Case::families`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FamilyId(pub(crate) u32);

macro_rules! index {
    ($($id:ident),*) => {$(
        impl $id {
            /// The position in the case's list this id indexes.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
index!(EntityId, IncidentId, SourceId, ClaimId, FamilyId);

/// The resolved case: every name an index, every value checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The case's own id, when it has one: it scopes the STIX ids of what belongs to this case
    /// alone (claims, judgements, groupings).
    pub id: Option<String>,
    /// What the case is about.
    pub title: String,
    /// What the case is about, in a paragraph.
    pub description: Option<String>,
    /// Who keeps the case.
    pub analyst: Option<String>,
    /// The date the information is current to.
    pub as_of: Option<Date>,
    /// Default base rate of every hypothesis.
    pub prior: f64,
    /// Actors, then groups, indexed by [`EntityId`].
    pub entities: Vec<Entity>,
    /// Incidents, indexed by [`IncidentId`].
    pub incidents: Vec<Incident>,
    /// Sources, indexed by [`SourceId`].
    pub sources: Vec<Source>,
    /// Dependence families by name; a source without one has a family of its own, named after it.
    pub families: Vec<String>,
    /// Claims, indexed by [`ClaimId`].
    pub claims: Vec<Claim>,
    /// Hypotheses listed in the case.
    pub hypotheses: Vec<Hypothesis>,
    /// Exclusive sets: at most one member carried out the incident.
    pub exclusive: Vec<ExclusiveSet>,
    /// The Traffic Light Protocol level the case is shared under (`clear`, `green`, `amber`,
    /// `amber+strict`, `red`): the more restrictive of its own `tlp` and the markings its
    /// imported objects carry, so that a report built from TLP:AMBER data is shared as
    /// TLP:AMBER at least, and says so at its head.
    pub tlp: Option<&'static str>,
}

/// For each restatement, the original claims (restating nothing) at the roots of its chain,
/// sorted, without repeats: what [`Case::missing_roots`] walks to, read at once. Built per
/// engine, so that asking whether a claim is an echo in every replay does not walk a long
/// chain each time. A restatement of one restatement shares its list: a chain, or many
/// claims restating one summary of many originals, costs an entry per original, not one per
/// original per claim.
#[derive(Debug, Clone)]
pub(crate) struct Originals {
    /// Each claim's list: where it starts in `list`, and its length.
    span: Vec<(u32, u32)>,
    list: Vec<ClaimId>,
    /// How many entries building it gathered (what its bound counts).
    gathered: usize,
}

/// A part of a restatement's list of originals, while [`Case::originals_within`] builds it:
/// an original it restates, or the list (where it starts, its length) of a restatement it
/// restates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Part {
    Original(ClaimId),
    List(u32, u32),
}

impl Originals {
    /// Claim `c`'s originals; empty for an original.
    pub(crate) fn of(&self, c: ClaimId) -> &[ClaimId] {
        let (at, len) = self.span[c.0 as usize];
        &self.list[at as usize..(at + len) as usize]
    }

    /// The list made of `parts` (sorted, without repeats): the one part's when it is a
    /// list, the list made before of the same parts, or a new one. `None` past `bound`
    /// entries gathered.
    fn made_of(
        &mut self,
        parts: &[Part],
        made: &mut rustc_hash::FxHashMap<Vec<Part>, (u32, u32)>,
        bound: usize,
    ) -> Option<(u32, u32)> {
        if let [Part::List(at, len)] = parts {
            return Some((*at, *len));
        }
        if let Some(&span) = made.get(parts) {
            return Some(span);
        }
        let mut list: Vec<ClaimId> = Vec::new();
        for part in parts {
            match *part {
                Part::Original(o) => list.push(o),
                Part::List(at, len) => {
                    list.extend_from_slice(&self.list[at as usize..(at + len) as usize]);
                }
            }
        }
        self.gathered += list.len();
        if self.gathered > bound {
            return None;
        }
        list.sort_unstable();
        list.dedup();
        let span = (self.list.len() as u32, list.len() as u32);
        self.list.extend(list);
        made.insert(parts.to_vec(), span);
        Some(span)
    }

    /// Where claim `c`'s list starts: the same for claims that share one.
    pub(crate) fn start(&self, c: ClaimId) -> u32 {
        self.span[c.0 as usize].0
    }

    /// How many entries building the index gathered (what its bound counts).
    #[cfg(test)]
    pub(crate) fn entries(&self) -> usize {
        self.gathered
    }
}

/// An actor (state, agency, …) or a group (intrusion set, persona).
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Unique id.
    pub id: String,
    /// Name used in reports.
    pub name: String,
    /// Actor or group, and which kind.
    pub kind: EntityKind,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// Structural membership, certain by declaration.
    pub part_of: Option<EntityId>,
    /// What it is.
    pub description: Option<String>,
}

impl Entity {
    /// Every spelling a case may name it by: its id, its name and its aliases.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        [&self.id, &self.name]
            .into_iter()
            .chain(&self.aliases)
            .map(String::as_str)
    }
}

/// Actor or group, and which kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    /// An actor.
    Actor(ActorKind),
    /// A group.
    Group(GroupKind),
}

impl EntityKind {
    /// The kind as reports and the JSON report word it.
    pub fn word(self) -> &'static str {
        match self {
            EntityKind::Actor(ActorKind::State) => "state",
            EntityKind::Actor(ActorKind::Agency) => "agency",
            EntityKind::Actor(ActorKind::MilitaryUnit) => "military unit",
            EntityKind::Actor(ActorKind::Organisation) => "organisation",
            EntityKind::Actor(ActorKind::Company) => "company",
            EntityKind::Actor(ActorKind::Person) => "person",
            EntityKind::Actor(ActorKind::Unidentified) => "unidentified actor",
            EntityKind::Group(GroupKind::IntrusionSet) => "intrusion set",
            EntityKind::Group(GroupKind::Persona) => "persona",
        }
    }

    /// "actor" or "group": what the file declares it under.
    pub fn declared_as(self) -> &'static str {
        match self {
            EntityKind::Actor(_) => "actor",
            EntityKind::Group(_) => "group",
        }
    }
}

/// An incident whose authorship is in question.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Unique id.
    pub id: String,
    /// Name used in reports.
    pub name: String,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// When it started.
    pub start: Option<Date>,
    /// When it ended.
    pub end: Option<Date>,
    /// Who was attacked.
    pub victim: Option<String>,
    /// What happened.
    pub description: Option<String>,
    /// Where it is documented.
    pub references: Vec<String>,
}

impl Incident {
    /// Every spelling a case may name it by: its id, its name and its aliases.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        [&self.id, &self.name]
            .into_iter()
            .chain(&self.aliases)
            .map(String::as_str)
    }
}

/// A source of claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Unique id.
    pub id: String,
    /// Name used in reports.
    pub name: String,
    /// What kind of source.
    pub kind: SourceKind,
    /// How far it is trusted.
    pub reliability: Reliability,
    /// Its dependence family: sources of one family count as one line of evidence.
    pub family: FamilyId,
    /// Where it publishes.
    pub url: Option<String>,
    /// The analyst's note.
    pub note: Option<String>,
}

/// How far a source is trusted: an Admiralty grade or an explicit track record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reliability {
    /// An Admiralty grade.
    Grade(Grade),
    /// A record of past reporting.
    TrackRecord {
        /// Past reports that proved right.
        valid: f64,
        /// Past reports that proved wrong.
        invalid: f64,
    },
}

impl Reliability {
    /// The `(valid, invalid)` evidence behind the trust opinion.
    pub fn evidence(self) -> (f64, f64) {
        match self {
            Reliability::Grade(g) => g.track_record(),
            Reliability::TrackRecord { valid, invalid } => (valid, invalid),
        }
    }

    /// Whether the source counts as "B or better" for the confidence rule: a grade of A or B,
    /// or a track record whose trust probability `(r + 1) / (r + s + 2)` is at least 0.8 (the
    /// model's §7). That is `r ≥ 4s + 3`, compared so because the quotient of a record on the
    /// line is not always 0.8 in floating point (7 valid, 1 invalid: 0.7999999999999999).
    pub fn is_b_or_better(self) -> bool {
        match self {
            Reliability::Grade(g) => g <= Grade::B,
            Reliability::TrackRecord { valid, invalid } => valid >= 4.0 * invalid + 3.0,
        }
    }

    /// "B", or a track record as the reports that held up of all of them, "record 12 of 15":
    /// "record 12/3" read as a ratio, or as a date.
    pub fn label(self) -> String {
        match self {
            Reliability::Grade(g) => g.to_string(),
            Reliability::TrackRecord { valid, invalid } => {
                // Counts may be fractions (a report half borne out counts 0.5 each way):
                // written to at most three decimals, so that 0.1 + 0.2 reads 0.3.
                let figure = |x: f64| {
                    let text = format!("{x:.3}");
                    text.trim_end_matches('0').trim_end_matches('.').to_string()
                };
                format!("record {} of {}", figure(valid), figure(valid + invalid))
            }
        }
    }
}

/// A claim a source made.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Unique id.
    pub id: String,
    /// Who made it.
    pub source: SourceId,
    /// When it was made.
    pub date: Option<Date>,
    /// The relation as the source stated it.
    pub relation: Relation,
    /// What it says, resolved.
    pub statement: Statement,
    /// The source's words.
    pub wording: Option<String>,
    /// The likelihood as stated, with the probability it is read as (`None`: no likelihood can
    /// be formed, e.g. Admiralty credibility 6).
    pub likelihood: Option<(Likelihood, Option<f64>)>,
    /// Stated analytic confidence; `None` is read as moderate.
    pub confidence: Option<Confidence>,
    /// Where it was read.
    pub url: Option<String>,
    /// The claims it restates: counted instead of it when present.
    pub derived_from: Vec<ClaimId>,
    /// The analyst's note.
    pub note: Option<String>,
}

impl Claim {
    /// The probability the claim is read as, if it forms one.
    pub fn probability(&self) -> Option<f64> {
        self.likelihood.as_ref().and_then(|l| l.1)
    }
}

/// The proposition a claim speaks to, normalised from its relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Statement {
    /// responsible(incident, actor): attributed to, conducted by, claims responsibility.
    Responsible {
        /// The incident.
        incident: IncidentId,
        /// The actor or group said to be responsible.
        actor: EntityId,
    },
    /// link(from → to): responsibility of `from` is responsibility of `to`.
    Link {
        /// The part, or the one acting for another.
        from: EntityId,
        /// The whole, or the one acted for.
        to: EntityId,
    },
    /// `a` is possibly the same as `b` (symmetric, one hop).
    SameAs {
        /// One of the two.
        a: EntityId,
        /// The other.
        b: EntityId,
    },
    /// The source condemned the incident without naming anyone.
    Condemns {
        /// The incident condemned.
        incident: IncidentId,
    },
}

impl Statement {
    /// The statement with a same-as pair in one order (the lower id first): two statements
    /// are [`Statement::same_as`] each other exactly when their canonical forms are equal.
    pub fn canonical(self) -> Statement {
        match self {
            Statement::SameAs { a, b } if b < a => Statement::SameAs { a: b, b: a },
            other => other,
        }
    }

    /// Whether two claims make one statement: the same responsibility, link or condemnation,
    /// or the same pair either way round (the relation's wording aside: "attributed to" and
    /// "conducted by" state the same responsibility).
    pub fn same_as(self, other: Statement) -> bool {
        match (self, other) {
            (Statement::SameAs { a: x, b: y }, Statement::SameAs { a: p, b: q }) => {
                (x, y) == (p, q) || (x, y) == (q, p)
            }
            (a, b) => a == b,
        }
    }

    /// Whether this statement follows up `origin`: it puts the incident `origin` speaks of on
    /// a declared whole of the actor `origin` names ("Russia did it", restating "the GRU did
    /// it", the GRU declared part of Russia). What the origin says reaches that whole
    /// unchanged up declared `part_of` links, so a restatement that says so restates it.
    pub fn follows_up(self, origin: Statement, entities: &[Entity]) -> bool {
        match (self, origin) {
            (
                Statement::Responsible { incident, actor },
                Statement::Responsible {
                    incident: origin_incident,
                    actor: part,
                },
            ) => incident == origin_incident && is_declared_whole(entities, actor, part),
            _ => false,
        }
    }

    /// Whether a restatement making this statement restates what `origin` states: the same
    /// statement ([`Statement::same_as`]), or a follow-up of it ([`Statement::follows_up`]).
    /// When none of a restatement's originals does, `check` warns (W108) and the reports say
    /// that what it restates says something else.
    pub fn restates(self, origin: Statement, entities: &[Entity]) -> bool {
        self.same_as(origin) || self.follows_up(origin, entities)
    }
}

/// Whether `whole` is reached from `part` up one or more declared `part_of` links. Walks at
/// most as many steps as there are entities, so a cycle (which validation reports) ends.
pub fn is_declared_whole(entities: &[Entity], whole: EntityId, part: EntityId) -> bool {
    let mut at = part;
    for _ in 0..entities.len() {
        match entities.get(at.index()).and_then(|e| e.part_of) {
            Some(up) if up == whole => return true,
            Some(up) => at = up,
            None => return false,
        }
    }
    false
}

/// A hypothesis listed in the case.
#[derive(Debug, Clone, PartialEq)]
pub struct Hypothesis {
    /// The incident.
    pub incident: IncidentId,
    /// The actor or group.
    pub actor: EntityId,
    /// Its base rate, instead of the case's.
    pub prior: Option<f64>,
    /// The analyst's note.
    pub note: Option<String>,
}

/// Actors or groups of which at most one carried out an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct ExclusiveSet {
    /// The incident.
    pub incident: IncidentId,
    /// The members.
    pub members: Vec<EntityId>,
    /// The analyst's note.
    pub note: Option<String>,
}

impl Case {
    /// Every actor and group id, in file order.
    pub fn entity_ids(&self) -> impl Iterator<Item = EntityId> + use<> {
        (0..self.entities.len() as u32).map(EntityId)
    }

    /// Every incident id, in file order.
    pub fn incident_ids(&self) -> impl Iterator<Item = IncidentId> + use<> {
        (0..self.incidents.len() as u32).map(IncidentId)
    }

    /// Every source id, in file order.
    pub fn source_ids(&self) -> impl Iterator<Item = SourceId> + use<> {
        (0..self.sources.len() as u32).map(SourceId)
    }

    /// Every claim id, in file order.
    pub fn claim_ids(&self) -> impl Iterator<Item = ClaimId> + use<> {
        (0..self.claims.len() as u32).map(ClaimId)
    }

    /// An actor or group by id.
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }
    /// An incident by id.
    pub fn incident(&self, id: IncidentId) -> &Incident {
        &self.incidents[id.0 as usize]
    }
    /// A source by id.
    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.0 as usize]
    }
    /// A claim by id.
    pub fn claim(&self, id: ClaimId) -> &Claim {
        &self.claims[id.0 as usize]
    }
    /// The claims whose evidence restatement `c` carries and that are missing (not `present`):
    /// the original claims (those restating nothing) at the roots of its chain of restatements,
    /// reached through every restatement on the way, present or not. A restatement carries
    /// the originals' evidence, not the middle one's: setting aside a middle restatement whose
    /// own origin is present leaves nothing missing, so its echo stays an echo and no new line
    /// of evidence appears (model §6 rule 1; removing a weightless claim changes nothing). Nor
    /// does restoring a middle one make the end an echo of it: the end would lose its stand-in
    /// for a missing original, and restoring support (a weaker word for the same actor, or a
    /// claim on another actor) would lower P, against monotonicity (§5). Empty when every
    /// original at the roots is present. Sorted, without repeats.
    ///
    /// Iterative, with each claim visited once: validation rejects `derived_from` cycles, but a
    /// long chain or many shared restatements must cost neither the stack nor exponential time.
    pub fn missing_roots(&self, c: ClaimId, present: impl Fn(ClaimId) -> bool) -> Vec<ClaimId> {
        let mut roots = Vec::new();
        let mut stack: Vec<ClaimId> = self.claim(c).derived_from.clone();
        let mut seen: BTreeSet<ClaimId> = BTreeSet::new();
        while let Some(o) = stack.pop() {
            if !seen.insert(o) {
                continue;
            }
            let further = &self.claim(o).derived_from;
            if !further.is_empty() {
                stack.extend(further.iter().copied());
            } else if !present(o) {
                roots.push(o);
            }
        }
        roots.sort_unstable();
        roots
    }

    /// Each restatement's originals ([`Originals`]), or `None` when building the index would
    /// gather more than a few entries per claim and origin written (lists that differ claim by
    /// claim and grow long: a chain of thousands of restatements each restating the one before
    /// and an original of its own), in which case [`Case::missing_roots`] walks instead.
    pub(crate) fn originals(&self) -> Option<Originals> {
        let written: usize = self.claims.iter().map(|c| c.derived_from.len()).sum();
        self.originals_within(8 * (self.claims.len() + written) + (1 << 16))
    }

    /// [`Case::originals`], or `None` when building it would gather more than `bound` entries.
    ///
    /// A restatement's list is the union of its parts: each original it restates, and each
    /// list of a restatement it restates. Restatements made of the same parts share one list,
    /// and a list that is one part is that part's: a report restating every claim of the
    /// report before it, which restates every claim of the one before (as a STIX import of
    /// reports `derived-from` one another writes them), gathers each list once, not once a
    /// claim. What is gathered is what the bound counts.
    pub(crate) fn originals_within(&self, bound: usize) -> Option<Originals> {
        let n = self.claims.len();
        // Only restatements have originals to find, and a restatement waits only for the
        // restatements it restates: originals (most claims) take no step.
        let restates = |c: ClaimId| !self.claim(c).derived_from.is_empty();
        let restatements: Vec<ClaimId> = (0..n as u32)
            .map(ClaimId)
            .filter(|&c| restates(c))
            .collect();
        // Which restatement restates which: (restated, restating).
        let edges: Vec<(ClaimId, ClaimId)> = (restatements.iter())
            .flat_map(|&x| {
                (self.claim(x).derived_from.iter())
                    .filter(|&&o| restates(o))
                    .map(move |&o| (o, x))
            })
            .collect();
        let mut pending: Vec<u32> = vec![0; n];
        // The restatements of each restatement, one run per claim: `first[c]..first[c + 1]`.
        let mut first: Vec<u32> = vec![0; n + 1];
        for &(o, x) in &edges {
            pending[x.0 as usize] += 1;
            first[o.0 as usize + 1] += 1;
        }
        for k in 0..n {
            first[k + 1] += first[k];
        }
        let mut filled = first.clone();
        let mut children: Vec<ClaimId> = vec![ClaimId(0); edges.len()];
        for &(o, x) in &edges {
            children[filled[o.0 as usize] as usize] = x;
            filled[o.0 as usize] += 1;
        }
        let mut ready: Vec<ClaimId> = (restatements.iter().copied())
            .filter(|x| pending[x.0 as usize] == 0)
            .collect();
        let mut index = Originals {
            span: vec![(0, 0); n],
            list: Vec::new(),
            gathered: 0,
        };
        // The list made of each set of parts, and the parts of the restatement at hand.
        let mut made: rustc_hash::FxHashMap<Vec<Part>, (u32, u32)> = Default::default();
        let mut parts: Vec<Part> = Vec::new();
        let mut done = 0usize;
        while let Some(x) = ready.pop() {
            done += 1;
            parts.clear();
            parts.extend((self.claim(x).derived_from.iter()).map(|&o| {
                if restates(o) {
                    let (at, len) = index.span[o.0 as usize];
                    Part::List(at, len)
                } else {
                    Part::Original(o)
                }
            }));
            parts.sort_unstable();
            parts.dedup();
            index.span[x.0 as usize] = index.made_of(&parts, &mut made, bound)?;
            let (from, to) = (first[x.0 as usize], first[x.0 as usize + 1]);
            for &d in &children[from as usize..to as usize] {
                pending[d.0 as usize] -= 1;
                if pending[d.0 as usize] == 0 {
                    ready.push(d);
                }
            }
        }
        (done == restatements.len()).then_some(index)
    }

    /// The original claims at the roots of `c`'s chain of restatements (empty for an
    /// original): from `index` ([`Case::originals`]) when there is one, else walked.
    pub(crate) fn originals_in<'a>(
        &self,
        index: Option<&'a Originals>,
        c: ClaimId,
    ) -> std::borrow::Cow<'a, [ClaimId]> {
        match index {
            Some(index) => std::borrow::Cow::Borrowed(index.of(c)),
            None => std::borrow::Cow::Owned(self.missing_roots(c, |_| false)),
        }
    }

    /// A dependence family's name by id.
    pub fn family(&self, id: FamilyId) -> &str {
        &self.families[id.0 as usize]
    }

    /// The hypotheses the case lists, as (incident, actor): under `hypotheses`, and each member
    /// of an exclusive set on its incident. `assess` reports them whether or not a claim bears
    /// on them.
    pub fn listed_pairs(&self) -> impl Iterator<Item = (IncidentId, EntityId)> + '_ {
        (self.hypotheses.iter().map(|h| (h.incident, h.actor)))
            .chain((self.exclusive.iter()).flat_map(|e| e.members.iter().map(|&m| (e.incident, m))))
    }

    /// The sources of a dependence family, in file order.
    pub fn family_sources(&self, family: FamilyId) -> impl Iterator<Item = SourceId> + '_ {
        self.source_ids()
            .filter(move |&s| self.source(s).family == family)
    }

    /// A dependence family by its name (exact, after trimming).
    pub fn find_family(&self, name: &str) -> Option<FamilyId> {
        // Families are named in composed form (NFC), as validation groups them.
        let name: String = name.trim().nfc().collect();
        self.families
            .iter()
            .position(|f| *f == name)
            .map(|i| FamilyId(i as u32))
    }

    /// Finds an entity by id, name or alias (case-insensitive).
    pub fn find_entity(&self, name: &str) -> Option<EntityId> {
        let key = name_key(name);
        self.entities
            .iter()
            .position(|e| e.spellings().any(|s| name_key(s) == key))
            .map(|i| EntityId(i as u32))
    }

    /// Finds an incident by id, name or alias (case-insensitive).
    pub fn find_incident(&self, name: &str) -> Option<IncidentId> {
        let key = name_key(name);
        self.incidents
            .iter()
            .position(|i| i.spellings().any(|s| name_key(s) == key))
            .map(|i| IncidentId(i as u32))
    }

    /// Where a claim was read: its own `url`, or else its source's.
    pub fn claim_url(&self, id: ClaimId) -> Option<&str> {
        self.claim_url_whose(id).map(|(url, _)| url)
    }

    /// [`Case::claim_url`], with whether it is the source's: a source's address cited for
    /// every claim it made reads as the page of each, so the reports say whose it is.
    pub fn claim_url_whose(&self, id: ClaimId) -> Option<(&str, bool)> {
        let c = self.claim(id);
        match c.url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(url) => Some((url, false)),
            None => self.source(c.source).url.as_deref().map(|url| (url, true)),
        }
    }

    /// A source by its exact id.
    pub fn find_source(&self, id: &str) -> Option<SourceId> {
        self.sources
            .iter()
            .position(|s| s.id == id)
            .map(|i| SourceId(i as u32))
    }

    /// A claim by its exact id.
    pub fn find_claim(&self, id: &str) -> Option<ClaimId> {
        self.claims
            .iter()
            .position(|c| c.id == id)
            .map(|i| ClaimId(i as u32))
    }
}

/// A spelling as names are matched: trimmed, composed (Unicode NFC: `é` typed as `e` and a
/// combining accent is `é`, as a reader sees it), lower-cased and without invisible characters
/// ([`crate::escape::is_invisible`]), so that `UNC\u{200b}3285`, which every output shows as
/// `UNC⟨U+200B⟩3285` but a reader takes for `UNC3285`, cannot name a second group beside
/// `UNC3285`. Borrowed when that changes nothing (printable ASCII without capitals, as ids and
/// most names are), so that a case with 10^5 incidents does not allocate a key per id and
/// name; printable ASCII with capitals (most names) is lower-cased alone, since composing
/// changes nothing in it and it holds no invisible character.
pub fn name_key(spelling: &str) -> Cow<'_, str> {
    let t = spelling.trim();
    if t.bytes().all(|b| b.is_ascii() && !b.is_ascii_control()) {
        if t.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(t.to_ascii_lowercase())
        } else {
            Cow::Borrowed(t)
        }
    } else if t.chars().any(crate::escape::is_invisible) {
        let seen: String = t
            .chars()
            .filter(|&c| !crate::escape::is_invisible(c))
            .nfc()
            .collect();
        Cow::Owned(seen.trim().to_lowercase())
    } else {
        Cow::Owned(t.nfc().collect::<String>().to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::{ClaimId, Grade, Reliability, name_key};
    use unicode_normalization::UnicodeNormalization;

    /// Three reports of `k` claims on one pair, each claim of a later report restating every
    /// claim of the report before (as a STIX import of reports `derived-from` one another
    /// writes them): each claim's originals are the first report's, found once for all.
    #[test]
    fn restatements_made_of_the_same_parts_share_one_list() {
        let k = 40;
        let claim = |r: usize, i: usize| {
            let from: Vec<String> = match r {
                0 => Vec::new(),
                _ => (0..k).map(|j| format!("\"r{}c{j}\"", r - 1)).collect(),
            };
            format!(
                r#"{{"id": "r{r}c{i}", "source": "s{r}", "subject": "i", "relation": "AttributedTo",
                    "object": "g", "wording": "w", "url": "https://example.org/{r}",
                    "likelihood": {{"Icd": "likely"}}, "derived_from": [{}]}}"#,
                from.join(", ")
            )
        };
        let claims: Vec<String> = (0..3)
            .flat_map(|r| (0..k).map(move |i| (r, i)))
            .map(|(r, i)| claim(r, i))
            .collect();
        let sources: Vec<String> = (0..3)
            .map(|r| format!(r#"{{"id": "s{r}", "name": "Source {r}", "kind": "Vendor", "reliability": "B"}}"#))
            .collect();
        let text = format!(
            r#"{{"title": "t", "groups": [{{"id": "g", "name": "G"}}],
                "incidents": [{{"id": "i", "name": "I", "start": "2020-01"}}],
                "sources": [{}], "claims": [{}]}}"#,
            sources.join(", "),
            claims.join(", ")
        );
        let case = crate::load::load(&text, crate::format::Syntax::Json)
            .expect("a valid case")
            .case;
        let index = case.originals().expect("indexed");
        let first: Vec<ClaimId> = (0..k as u32).map(ClaimId).collect();
        for c in case.claim_ids() {
            let walked = case.missing_roots(c, |_| false);
            assert_eq!(index.of(c), &walked[..], "{c:?}");
            if c.0 >= k as u32 {
                assert_eq!(walked, first, "{c:?}");
            }
        }
        // The first report's claims gathered once, for the second report's first claim.
        assert_eq!(index.entries(), k);
    }

    /// A track record reads as the reports that held up of all of them, fractions to three
    /// decimals at most.
    #[test]
    fn a_track_record_reads_as_so_many_of_so_many() {
        let record = |valid, invalid| Reliability::TrackRecord { valid, invalid }.label();
        assert_eq!(record(12.0, 3.0), "record 12 of 15");
        assert_eq!(record(2.0, 0.0), "record 2 of 2");
        assert_eq!(record(0.1, 0.2), "record 0.1 of 0.3");
        assert_eq!(record(2.5, 1.5), "record 2.5 of 4");
        assert_eq!(Reliability::Grade(Grade::B).label(), "B");
    }

    /// Every way `name_key` takes gives what the general one does: invisible characters
    /// dropped, composed, lower-cased, trimmed.
    #[test]
    fn name_keys_agree_with_the_general_rule() {
        let general = |s: &str| -> String {
            let seen: String = (s.chars())
                .filter(|&c| !crate::escape::is_invisible(c))
                .nfc()
                .collect();
            seen.trim().to_lowercase()
        };
        for s in [
            "apt28",
            "  APT28 ",
            "Agency 0-0",
            "Fancy Bear",
            "Cafe\u{301}",
            "CAFÉ",
            "UNC\u{200b}3285",
            "Unit\u{7f}26165",
            "İstanbul",
            "",
            "\u{202e}",
        ] {
            assert_eq!(name_key(s), general(s), "{s:?}");
        }
    }
}
