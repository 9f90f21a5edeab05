//! The evidence case as the engine sees it: resolved, validated, indexed.
//!
//! Produced only by [`crate::validate`], so every value here is known good: names are indices,
//! dates are parsed, likelihoods are probabilities, and the link graph is acyclic. The engine
//! ([`crate::reason`]) and the renderers work on this and never on the file types.

use crate::date::Date;
use crate::format::{ActorKind, GroupKind, Likelihood, Relation, SourceKind};
use crate::terms::{Confidence, Grade};

/// Index of an actor or group in [`Case::entities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);
/// Index of an incident in [`Case::incidents`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IncidentId(pub u32);
/// Index of a source in [`Case::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub u32);
/// Index of a claim in [`Case::claims`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClaimId(pub u32);
/// Index of a dependence family in [`Case::families`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FamilyId(pub u32);

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub title: String,
    pub description: Option<String>,
    pub analyst: Option<String>,
    pub as_of: Option<Date>,
    /// Default base rate of every hypothesis.
    pub prior: f64,
    pub entities: Vec<Entity>,
    pub incidents: Vec<Incident>,
    pub sources: Vec<Source>,
    /// Dependence families by name; a source without one has a family of its own, named after it.
    pub families: Vec<String>,
    pub claims: Vec<Claim>,
    pub hypotheses: Vec<Hypothesis>,
    pub exclusive: Vec<ExclusiveSet>,
}

/// An actor (state, agency, …) or a group (intrusion set, persona).
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
    /// Structural membership, certain by declaration.
    pub part_of: Option<EntityId>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    Actor(ActorKind),
    Group(GroupKind),
}

impl EntityKind {
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub victim: Option<String>,
    pub description: Option<String>,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub kind: SourceKind,
    pub reliability: Reliability,
    pub family: FamilyId,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// How far a source is trusted: an Admiralty grade or an explicit track record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reliability {
    Grade(Grade),
    TrackRecord { valid: f64, invalid: f64 },
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
    /// or a track record whose trust probability is at least grade B's.
    pub fn is_b_or_better(self) -> bool {
        match self {
            Reliability::Grade(g) => g <= Grade::B,
            Reliability::TrackRecord { .. } => {
                let (r, s) = self.evidence();
                let (br, bs) = Grade::B.track_record();
                (r + 1.0) / (r + s + 2.0) >= (br + 1.0) / (br + bs + 2.0) - 1e-12
            }
        }
    }

    pub fn label(self) -> String {
        match self {
            Reliability::Grade(g) => g.to_string(),
            Reliability::TrackRecord { valid, invalid } => format!("record {valid}/{invalid}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: String,
    pub source: SourceId,
    pub date: Option<Date>,
    pub relation: Relation,
    pub statement: Statement,
    pub wording: Option<String>,
    /// The likelihood as stated, with the probability it is read as (`None`: no likelihood can
    /// be formed, e.g. Admiralty credibility 6).
    pub likelihood: Option<(Likelihood, Option<f64>)>,
    /// Stated analytic confidence; `None` is read as moderate.
    pub confidence: Option<Confidence>,
    pub url: Option<String>,
    pub derived_from: Vec<ClaimId>,
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
        incident: IncidentId,
        actor: EntityId,
    },
    /// link(from → to): responsibility of `from` is responsibility of `to`.
    Link { from: EntityId, to: EntityId },
    /// `a` is possibly the same as `b` (symmetric, one hop).
    SameAs { a: EntityId, b: EntityId },
    /// The source condemned the incident without naming anyone.
    Condemns { incident: IncidentId },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hypothesis {
    pub incident: IncidentId,
    pub actor: EntityId,
    pub prior: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExclusiveSet {
    pub incident: IncidentId,
    pub members: Vec<EntityId>,
    pub note: Option<String>,
}

impl Case {
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }
    pub fn incident(&self, id: IncidentId) -> &Incident {
        &self.incidents[id.0 as usize]
    }
    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.0 as usize]
    }
    pub fn claim(&self, id: ClaimId) -> &Claim {
        &self.claims[id.0 as usize]
    }
    pub fn family(&self, id: FamilyId) -> &str {
        &self.families[id.0 as usize]
    }

    /// Finds an entity by id, name or alias (case-insensitive).
    pub fn find_entity(&self, name: &str) -> Option<EntityId> {
        let key = name.trim().to_lowercase();
        self.entities
            .iter()
            .position(|e| {
                e.id.to_lowercase() == key
                    || e.name.to_lowercase() == key
                    || e.aliases.iter().any(|a| a.to_lowercase() == key)
            })
            .map(|i| EntityId(i as u32))
    }

    /// Finds an incident by id, name or alias (case-insensitive).
    pub fn find_incident(&self, name: &str) -> Option<IncidentId> {
        let key = name.trim().to_lowercase();
        self.incidents
            .iter()
            .position(|e| {
                e.id.to_lowercase() == key
                    || e.name.to_lowercase() == key
                    || e.aliases.iter().any(|a| a.to_lowercase() == key)
            })
            .map(|i| IncidentId(i as u32))
    }

    /// Where a claim was read: its own `url`, or else its source's.
    pub fn claim_url(&self, id: ClaimId) -> Option<&str> {
        let c = self.claim(id);
        c.url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .or_else(|| self.source(c.source).url.as_deref())
    }

    pub fn find_source(&self, id: &str) -> Option<SourceId> {
        self.sources
            .iter()
            .position(|s| s.id == id)
            .map(|i| SourceId(i as u32))
    }

    pub fn find_claim(&self, id: &str) -> Option<ClaimId> {
        self.claims
            .iter()
            .position(|c| c.id == id)
            .map(|i| ClaimId(i as u32))
    }
}
