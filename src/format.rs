//! The evidence file as written on disk: serde types for RON and JSON.
//!
//! These types mirror the file field by field and hold names as written (ids, aliases, terms,
//! dates as strings). They are deliberately not the model: validation (in [`mod@crate::load`]) resolves names,
//! parses dates and terms and reports every problem with its location, producing
//! [`crate::model::Case`]. Keeping the two apart lets the file stay friendly (aliases, partial
//! dates, several likelihood scales) while the engine works on plain indices.
//!
//! The same schema is read from RON (hand-written cases) and JSON (machine-written bulk cases).

use serde::{Deserialize, Serialize};

pub use crate::terms::{Confidence, Grade};

/// A whole evidence case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Case", deny_unknown_fields)]
pub struct CaseFile {
    /// A stable id for the case (`albania-2022`), kept as the title changes: the STIX ids of
    /// its claims, judgements and groupings are derived from it, so that cases whose claims
    /// share ids (`c1`) can be published to one platform without taking each other's objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Short title, used in reports and diagram captions.
    pub title: String,
    /// What the case is about, in a paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who keeps the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyst: Option<String>,
    /// The TLP the case is shared under (`clear`, `green`, `amber`, `amber+strict`, `red`):
    /// its reports carry it, and its STIX export marks every object at least so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlp: Option<String>,
    /// The date the case describes the world as of (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Default base rate of every hypothesis (0.5 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<f64>,
    /// Actors: states, agencies, units, organisations, companies, people.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "declarations"
    )]
    pub actors: Vec<ActorFile>,
    /// Groups: intrusion sets and personas.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "declarations"
    )]
    pub groups: Vec<GroupFile>,
    /// Incidents whose authorship is in question.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "declarations"
    )]
    pub incidents: Vec<IncidentFile>,
    /// Who made the claims, with their reliability.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "declarations"
    )]
    pub sources: Vec<SourceFile>,
    /// What the sources said.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "claims_reserved"
    )]
    pub claims: Vec<ClaimFile>,
    /// Hypotheses to report even when no claim supports them, optionally with their own prior.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "declarations"
    )]
    pub hypotheses: Vec<HypothesisFile>,
    /// Sets of hypotheses on one incident that exclude each other.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "declarations"
    )]
    pub exclusive: Vec<ExclusiveFile>,
    /// Where the case's objects came from in STIX, and their markings: kept by `import stix`
    /// so that `export stix` writes the same ids, types, dates, references and markings again.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "declared_option"
    )]
    pub stix: Option<StixFile>,
}

thread_local! {
    /// How many claims the text being parsed is expected to hold ([`expecting_claims`]).
    static CLAIMS_EXPECTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `parse` with room for `claims` claims made before the first is read. Neither JSON
/// nor RON says how long an array is, so serde grows the claims by doubling: at a million
/// claims that copies a quarter of a gigabyte into fresh pages, which the kernel clears
/// first, about 4 % of a large assessment's time. The estimate comes from the text's size;
/// too high, it reserves address space that is never touched; too low, the claims grow
/// from there as before.
pub(crate) fn expecting_claims<T>(claims: usize, parse: impl FnOnce() -> T) -> T {
    CLAIMS_EXPECTED.set(claims);
    let parsed = parse();
    CLAIMS_EXPECTED.set(0);
    parsed
}

/// The claims array, read into a vector reserved as [`expecting_claims`] said.
fn claims_reserved<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ClaimFile>, D::Error> {
    struct Claims;
    impl<'de> serde::de::Visitor<'de> for Claims {
        type Value = Vec<ClaimFile>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            // Taken once: claims nested deeper (none are) would not reserve again.
            let mut claims = Vec::with_capacity(CLAIMS_EXPECTED.take());
            while let Some(Declared(c)) = seq.next_element()? {
                claims.push(c);
            }
            Ok(claims)
        }
    }
    d.deserialize_seq(Claims)
}

/// How the file and its messages name one kind of declaration.
pub(crate) struct DeclarationName {
    /// The type's name, which serde's messages give ("expected struct ActorFile").
    pub(crate) rust: &'static str,
    /// Its name in RON (`Actor(…)`).
    pub(crate) ron: &'static str,
    /// What a message calls it ("an actor").
    pub(crate) words: &'static str,
    /// One written in JSON, for a message's help.
    pub(crate) json: &'static str,
    /// The case's list that holds it, for one of the case's own declarations.
    pub(crate) section: Option<&'static str>,
}

/// Every declaration of the file, one row each: what [`Declared`] reads by, and what the
/// loader's messages say of it.
pub(crate) const DECLARATION_NAMES: [DeclarationName; 13] = [
    DeclarationName {
        rust: "CaseFile",
        ron: "Case",
        words: "a case",
        json: r#"{"title": "…", "actors": [], "claims": []}"#,
        section: None,
    },
    DeclarationName {
        rust: "ActorFile",
        ron: "Actor",
        words: "an actor",
        json: r#"{"id": "iran", "name": "Iran", "kind": "State"}"#,
        section: Some("actors"),
    },
    DeclarationName {
        rust: "GroupFile",
        ron: "Group",
        words: "a group",
        json: r#"{"id": "apt29", "name": "APT29", "aliases": ["Cozy Bear"]}"#,
        section: Some("groups"),
    },
    DeclarationName {
        rust: "IncidentFile",
        ron: "Incident",
        words: "an incident",
        json: r#"{"id": "x", "name": "…", "start": "2024-04"}"#,
        section: Some("incidents"),
    },
    DeclarationName {
        rust: "SourceFile",
        ron: "Source",
        words: "a source",
        json: r#"{"id": "x", "name": "…", "kind": "Government", "reliability": "B"}"#,
        section: Some("sources"),
    },
    DeclarationName {
        rust: "TrackRecord",
        ron: "TrackRecord",
        words: "a track record",
        json: r#"{"valid": 8, "invalid": 1}"#,
        section: None,
    },
    DeclarationName {
        rust: "ClaimFile",
        ron: "Claim",
        words: "a claim",
        json: r#"{"id": "c1", "source": "…", "subject": "…", "relation": "AttributedTo", "object": "…", "likelihood": {"Icd": "likely"}}"#,
        section: Some("claims"),
    },
    DeclarationName {
        rust: "HypothesisFile",
        ron: "Hypothesis",
        words: "a hypothesis",
        json: r#"{"incident": "…", "actor": "…"}"#,
        section: Some("hypotheses"),
    },
    DeclarationName {
        rust: "ExclusiveFile",
        ron: "Exclusive",
        words: "an exclusive set",
        json: r#"{"incident": "…", "members": ["…", "…"]}"#,
        section: Some("exclusive"),
    },
    DeclarationName {
        rust: "StixFile",
        ron: "Stix",
        words: "the STIX record",
        json: r#"{"markings": [], "objects": {}}"#,
        section: None,
    },
    DeclarationName {
        rust: "StixObjectFile",
        ron: "Object",
        words: "a STIX object record",
        json: r#"{"id": "relationship--…", "type": "relationship"}"#,
        section: None,
    },
    DeclarationName {
        rust: "MarkingFile",
        ron: "Marking",
        words: "a marking",
        json: r#"{"id": "marking-definition--…"}"#,
        section: None,
    },
    DeclarationName {
        rust: "ExternalReferenceFile",
        ron: "Reference",
        words: "an external reference",
        json: r#"{"source_name": "…", "url": "…"}"#,
        section: None,
    },
];

/// A declaration of the file, by its row of [`DECLARATION_NAMES`].
trait Declaration: serde::de::DeserializeOwned {
    const ROW: usize;
}

macro_rules! declarations {
    ($($ty:ident $row:literal),* $(,)?) => {
        $(impl Declaration for $ty {
            const ROW: usize = $row;
        })*
    };
}

declarations!(
    ActorFile 1,
    GroupFile 2,
    IncidentFile 3,
    SourceFile 4,
    TrackRecord 5,
    ClaimFile 6,
    HypothesisFile 7,
    ExclusiveFile 8,
    StixFile 9,
    MarkingFile 11,
    StixObjectFile 10,
    ExternalReferenceFile 12,
);

/// One declaration, read from a JSON object or a RON struct and never from a list: serde's
/// derived reader also takes a list as the fields in order, so that `["Russia", "russia",
/// "State"]` was an actor with its name and id swapped, without a word.
struct Declared<T>(T);

impl<'de, T: Declaration> Deserialize<'de> for Declared<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<T>(std::marker::PhantomData<T>);
        impl<'de, T: Declaration> serde::de::Visitor<'de> for Fields<T> {
            type Value = T;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // serde's own wording, which the loader's messages translate.
                write!(f, "struct {}", DECLARATION_NAMES[T::ROW].rust)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_struct(
            DECLARATION_NAMES[T::ROW].ron,
            &[],
            Fields(std::marker::PhantomData),
        )
        .map(Declared)
    }
}

/// A list of declarations, each [`Declared`].
fn declarations<'de, D: serde::Deserializer<'de>, T: Declaration>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    let list = Vec::<Declared<T>>::deserialize(d)?;
    Ok(list.into_iter().map(|Declared(t)| t).collect())
}

/// Declarations by key, each [`Declared`].
fn declared_map<'de, D: serde::Deserializer<'de>, T: Declaration>(
    d: D,
) -> Result<std::collections::BTreeMap<String, T>, D::Error> {
    let map = std::collections::BTreeMap::<String, Declared<T>>::deserialize(d)?;
    Ok(map.into_iter().map(|(k, Declared(t))| (k, t)).collect())
}

/// An optional declaration, [`Declared`].
fn declared_option<'de, D: serde::Deserializer<'de>, T: Declaration>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(Option::<Declared<T>>::deserialize(d)?.map(|Declared(t)| t))
}

/// STIX provenance of a case: marking definitions and one record per object that came from (or
/// must go back to) a bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Stix", deny_unknown_fields)]
pub struct StixFile {
    /// Marking definitions (TLP 1.0 and 2.0, statements) referenced by the objects.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "declarations"
    )]
    pub markings: Vec<MarkingFile>,
    /// Records by attrib object: `entity:ID`, `incident:ID`, `source:ID` or `claim:ID`.
    #[serde(
        default,
        skip_serializing_if = "std::collections::BTreeMap::is_empty",
        deserialize_with = "declared_map"
    )]
    pub objects: std::collections::BTreeMap<String, StixObjectFile>,
}

/// A STIX marking definition, as far as attrib understands it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Marking", deny_unknown_fields)]
pub struct MarkingFile {
    /// The STIX id the object had.
    pub id: String,
    /// Its STIX name, when it differs from attrib's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// TLP level: `clear`, `white`, `green`, `amber`, `amber+strict` or `red`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlp: Option<String>,
    /// The text of a statement marking (copyright, terms of use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// When it was created, as STIX wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The identity that created it (its STIX id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// One object's STIX identity and provenance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Object", deny_unknown_fields)]
pub struct StixObjectFile {
    /// The STIX id it had (and is exported with again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its STIX type (`campaign`, `identity`, …), kept across import and export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// When it was created, as STIX wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When it was last modified, as STIX wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// A digest of the content the object had at `modified`: export moves `modified` on when
    /// the content has changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// A report's: a digest of the set of objects it referred to (`object_refs`), which export
    /// writes as the objects of its claims: a report that referred to others (malware, the
    /// incident itself) goes out as it came but for those, as a later version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refs: Option<String>,
    /// A digest of what the object came with among what attrib always writes its own of: a
    /// relationship's type and ends, the author, the markings (granular ones included) and
    /// the external references ([`crate::stix::export::envelope_digest`]). An object that goes
    /// out with any of them otherwise (a granular marking made the object's, a type OpenCTI
    /// would refuse replaced by `related-to`) is a later version, though the case did not
    /// change it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope: Option<String>,
    /// The identity that created it (its STIX id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Marking definitions (ids) that apply to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markings: Vec<String>,
    /// Its external references, kept for export.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "declarations"
    )]
    pub external_references: Vec<ExternalReferenceFile>,
    /// The bundle stated no `confidence`: the claim's likelihood is the importer's reading, and
    /// export writes no `confidence` while it is unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confidence_unstated: bool,
    /// The object's other properties as they came (a threat actor's `sophistication`, a
    /// relationship's `start_time`, a producer's `x_*` properties): export writes the object
    /// as it came while the case has not changed it, so that one version has one content, and
    /// keeps those attrib does not model after. `None` for a record that did not keep them (an
    /// import by an earlier attrib): the object is then written as attrib writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<std::collections::BTreeMap<String, serde_json::Value>>,
}

/// A STIX external reference, kept as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Reference", deny_unknown_fields)]
pub struct ExternalReferenceFile {
    /// The reference's source (`mitre-attack`, a vendor).
    pub source_name: String,
    /// The id in that source (`G0049`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Where it is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// What it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// States, agencies, units, organisations, companies and people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Actor", deny_unknown_fields)]
pub struct ActorFile {
    /// Unique id (names and aliases may also be used to refer to it).
    pub id: String,
    /// Name used in reports.
    pub name: String,
    /// What kind of actor.
    pub kind: ActorKind,
    /// Other names it goes by; claims may use them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// A structural, undisputed membership (MOIS is part of the Government of Iran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// What it is, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What kind of actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ActorKind {
    /// A state.
    State,
    /// A state agency.
    Agency,
    /// A military unit.
    MilitaryUnit,
    /// An organisation that is not a company.
    Organisation,
    /// A company.
    Company,
    /// A person.
    Person,
    /// An actor only described, not identified ("a foreign actor").
    Unidentified,
}

/// Threat groups, intrusion sets and self-declared personas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Group", deny_unknown_fields)]
pub struct GroupFile {
    /// Unique id.
    pub id: String,
    /// Name used in reports.
    pub name: String,
    /// Intrusion set or persona.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: GroupKind,
    /// Other names it goes by (vendor names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What it is, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
/// What kind of group.
pub enum GroupKind {
    /// A tracked cluster of activity (APT group, intrusion set, vendor cluster).
    #[default]
    IntrusionSet,
    /// A self-declared front ("HomeLand Justice") that claims operations.
    Persona,
}

/// An incident as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Incident", deny_unknown_fields)]
pub struct IncidentFile {
    /// Unique id.
    pub id: String,
    /// Name used in reports.
    pub name: String,
    /// Other names it goes by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// When it started (YYYY, YYYY-MM or YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Who was attacked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub victim: Option<String>,
    /// What happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where it is documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// A source as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Source", deny_unknown_fields)]
pub struct SourceFile {
    /// Unique id.
    pub id: String,
    /// Name used in reports.
    pub name: String,
    /// What kind of source.
    pub kind: SourceKind,
    /// Admiralty source-reliability grade A–F.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Grade>,
    /// An explicit track record, instead of a grade.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "declared_option"
    )]
    pub track_record: Option<TrackRecord>,
    /// Sources sharing a family share intelligence and count as one line of evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Where it publishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Why the source was graded this way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What kind of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SourceKind {
    /// A government.
    Government,
    /// A security vendor.
    Vendor,
    /// The victim.
    Victim,
    /// The adversary (or a persona speaking for it).
    Adversary,
    /// The press.
    Media,
    /// An alliance (NATO, the EU).
    Alliance,
    /// A knowledge base (MITRE ATT&CK, MISP galaxies).
    KnowledgeBase,
    /// An independent researcher.
    Researcher,
}

/// A source's record of valid and invalid past reporting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename = "TrackRecord", deny_unknown_fields)]
pub struct TrackRecord {
    /// Past reports that proved right.
    #[serde(serialize_with = "count")]
    pub valid: f64,
    /// Past reports that proved wrong.
    #[serde(serialize_with = "count")]
    pub invalid: f64,
}

/// A count as analysts write it, `12` rather than `12.0`, when it is whole (a track record may
/// weigh reports, so it is read as a number; `convert` should give back what was written).
fn count<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        s.serialize_i64(*x as i64)
    } else {
        s.serialize_f64(*x)
    }
}

/// A claim as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Claim", deny_unknown_fields)]
pub struct ClaimFile {
    /// Unique id.
    pub id: String,
    /// The id of the source that made it.
    pub source: String,
    /// When it was made (YYYY, YYYY-MM or YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// What it is about (an incident, actor or group, by id, name or alias).
    pub subject: String,
    /// What it says of the subject.
    pub relation: Relation,
    /// The other party, when the relation has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The source's words, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
    /// How likely the source says it is, on the source's own scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<Likelihood>,
    /// How confident the source says it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Where it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Claims this one restates (circular reporting).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived_from: Vec<String>,
    /// The analyst's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a claim says of its subject and object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Relation {
    /// incident → actor or group
    AttributedTo,
    /// incident → actor or group
    ConductedBy,
    /// actor or group → incident (a self-claim)
    ClaimsResponsibility,
    /// actor or group → actor
    PartOf,
    /// actor or group → actor
    SubordinateOf,
    /// actor or group → actor or group
    OperatedBy,
    /// actor or group → actor
    SponsoredBy,
    /// actor or group → actor or group
    PossiblySameAs,
    /// incident, no object: the source condemned the incident without naming anyone.
    Condemns,
}

impl Relation {
    /// Every relation, in the order of the file format's documentation.
    pub const ALL: [Relation; 9] = [
        Relation::AttributedTo,
        Relation::ConductedBy,
        Relation::ClaimsResponsibility,
        Relation::PartOf,
        Relation::SubordinateOf,
        Relation::OperatedBy,
        Relation::SponsoredBy,
        Relation::PossiblySameAs,
        Relation::Condemns,
    ];

    /// The phrase used in reports ("attributed to").
    pub fn phrase(self) -> &'static str {
        match self {
            Relation::AttributedTo => "attributed to",
            Relation::ConductedBy => "conducted by",
            Relation::ClaimsResponsibility => "claims responsibility for",
            Relation::PartOf => "part of",
            Relation::SubordinateOf => "subordinate of",
            Relation::OperatedBy => "operated by",
            Relation::SponsoredBy => "sponsored by",
            Relation::PossiblySameAs => "possibly same as",
            Relation::Condemns => "condemns",
        }
    }

    /// Whether the relation carries responsibility from one actor to another.
    pub fn is_link(self) -> bool {
        matches!(
            self,
            Relation::PartOf
                | Relation::SubordinateOf
                | Relation::OperatedBy
                | Relation::SponsoredBy
        )
    }
}

/// How sure the source said it was, on the scale it used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Likelihood {
    /// An ICD 203 term, e.g. `Icd("very likely")`.
    Icd(String),
    /// A UK PHIA yardstick term, e.g. `Phia("almost certain")`.
    Phia(String),
    /// A probability in (0, 1).
    Probability(f64),
    /// A STIX 2.1 `confidence` value 0–100, read as a probability n/100.
    Stix(i64),
    /// An Admiralty information-credibility code 1–6.
    Admiralty(i64),
}

impl Likelihood {
    /// The likelihood in words with its scale: `ICD 203 "very likely"`, `probability 0.7`.
    pub fn label(&self) -> String {
        match self {
            Likelihood::Icd(t) => format!("ICD 203 \"{t}\""),
            Likelihood::Phia(t) => format!("PHIA \"{t}\""),
            // `-0.0` reads as a sign where the value has none.
            Likelihood::Probability(p) => {
                format!("probability {}", if *p == 0.0 { 0.0 } else { *p })
            }
            Likelihood::Stix(n) => format!("STIX confidence {n}"),
            Likelihood::Admiralty(n) => format!("Admiralty credibility {n}"),
        }
    }
}

/// A hypothesis listed so that it is judged even with no claim on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Hypothesis", deny_unknown_fields)]
pub struct HypothesisFile {
    /// The incident.
    pub incident: String,
    /// The actor or group.
    pub actor: String,
    /// Its base rate, instead of the case's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<f64>,
    /// The analyst's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Actors or groups of which at most one carried out an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Exclusive", deny_unknown_fields)]
pub struct ExclusiveFile {
    /// The incident.
    pub incident: String,
    /// The members, by id, name or alias.
    pub members: Vec<String>,
    /// The analyst's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// The two syntaxes the schema is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// RON (`.ron`).
    Ron,
    /// JSON (`.json`).
    Json,
}

impl Syntax {
    /// The syntax of a case read from its content: JSON objects start with `{` (after a
    /// byte-order mark and white space); a RON case starts with `Case(` or `(`.
    pub fn sniff(bytes: &[u8]) -> Syntax {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Syntax::Json,
            _ => Syntax::Ron,
        }
    }

    /// `.json` is JSON; anything else (`.ron`, stdin) is RON.
    pub fn from_path(path: &str) -> Syntax {
        Syntax::of_extension(path).unwrap_or(Syntax::Ron)
    }

    /// The syntax a path's extension names, `.json` or `.ron` (any case); `None` for any other.
    pub fn of_extension(path: &str) -> Option<Syntax> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Some(Syntax::Json)
        } else if lower.ends_with(".ron") {
            Some(Syntax::Ron)
        } else {
            None
        }
    }
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

impl CaseFile {
    /// Sorts every section by id (and aliases, lists of ids) so that two files describing the
    /// same case serialise identically. Ids in natural order ([`crate::ids`]: claim `c2` before
    /// `c10`).
    pub fn normalise(&mut self) {
        use crate::ids;
        self.actors.sort_by(|a, b| ids::cmp(&a.id, &b.id));
        self.groups.sort_by(|a, b| ids::cmp(&a.id, &b.id));
        self.incidents.sort_by(|a, b| ids::cmp(&a.id, &b.id));
        self.sources.sort_by(|a, b| ids::cmp(&a.id, &b.id));
        self.claims.sort_by(|a, b| ids::cmp(&a.id, &b.id));
        for c in &mut self.claims {
            c.derived_from.sort_by(|a, b| ids::cmp(a, b));
        }
        self.hypotheses.sort_by(|a, b| {
            ids::cmp(&a.incident, &b.incident).then_with(|| ids::cmp(&a.actor, &b.actor))
        });
        for set in &mut self.exclusive {
            set.members.sort_by(|a, b| ids::cmp(a, b));
        }
        self.exclusive.sort_by(|a, b| {
            ids::cmp(&a.incident, &b.incident).then_with(|| {
                let pairs = a.members.iter().zip(&b.members);
                pairs
                    .map(|(x, y)| ids::cmp(x, y))
                    .find(|o| o.is_ne())
                    .unwrap_or_else(|| a.members.len().cmp(&b.members.len()))
            })
        });
        if let Some(stix) = &mut self.stix {
            stix.markings.sort_by(|a, b| a.id.cmp(&b.id));
            stix.markings.dedup_by(|a, b| a.id == b.id);
            for o in stix.objects.values_mut() {
                o.markings.sort();
                o.markings.dedup();
            }
        }
        if self
            .stix
            .as_ref()
            .is_some_and(|s| *s == StixFile::default())
        {
            self.stix = None;
        }
    }

    /// Pretty RON, the form analysts edit.
    pub fn to_ron(&self) -> String {
        let mut out = Vec::new();
        self.write_syntax(Syntax::Ron, &mut out)
            .expect("serialising plain data into memory cannot fail");
        String::from_utf8(out).expect("RON is written as UTF-8")
    }

    /// Pretty JSON, for machine-written cases.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        self.write_syntax(Syntax::Json, &mut out)
            .expect("serialising plain data into memory cannot fail");
        String::from_utf8(out).expect("JSON is written as UTF-8")
    }

    /// The case written in `syntax` into `out`, as [`CaseFile::to_syntax`] gives it, without
    /// the whole text in memory (`convert` of a large case).
    pub fn write_syntax(
        &self,
        syntax: Syntax,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        use std::io::Write;
        let mut w = crate::report::Chunked::new(out);
        match syntax {
            Syntax::Ron => {
                // An apostrophe as it is, not `\'` (see `escape::ron`).
                let mut plain = crate::escape::ron::Apostrophes::new(&mut w);
                ron::Options::default()
                    .to_io_writer_pretty(&mut plain, self, ron_pretty())
                    .map_err(std::io::Error::other)?;
                plain.finish()?;
            }
            Syntax::Json => {
                let mut ser = serde_json::Serializer::with_formatter(
                    &mut w,
                    crate::report::Pretty::default(),
                );
                self.serialize(&mut ser)?;
            }
        }
        w.write_all(b"\n")?;
        w.finish()
    }

    /// The case written in `syntax`, as `convert` writes it.
    pub fn to_syntax(&self, syntax: Syntax) -> String {
        match syntax {
            Syntax::Ron => self.to_ron(),
            Syntax::Json => self.to_json(),
        }
    }
}

/// How `convert` pretty-prints RON: struct names, four-space indents, implicit `Some`.
fn ron_pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// The values a required field of a declaration takes, when it takes one of a few names
/// (`Source(kind: …)`: `Government`, `Vendor`, …): what the message on the field left out lists.
/// Read from the names serde's derive hands to `deserialize_enum`, so that the list never
/// drifts from the types.
pub(crate) fn required_values(declaration: &str, field: &str) -> &'static [&'static str] {
    match (declaration, field) {
        ("Actor", "kind") => variants::<ActorKind>(),
        ("Source", "kind") => variants::<SourceKind>(),
        ("Claim", "relation") => variants::<Relation>(),
        _ => &[],
    }
}

/// The variant names of enum `T` (none for a type that is no plain enum).
fn variants<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{Error, Visitor, value};

    /// A deserializer that only takes note of the variants an enum asks for.
    struct Variants<'a>(&'a mut &'static [&'static str]);

    impl<'de> serde::Deserializer<'de> for Variants<'_> {
        type Error = value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, value::Error> {
            Err(value::Error::custom("not an enum"))
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            variants: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, value::Error> {
            *self.0 = variants;
            Err(value::Error::custom("variants read"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map struct
            identifier ignored_any
        }
    }

    let mut found: &'static [&'static str] = &[];
    let _ = T::deserialize(Variants(&mut found));
    found
}

#[cfg(test)]
mod declaration_tests {
    use super::*;

    /// The values listed for a required field left out are the type's own, all of them.
    #[test]
    fn required_values_are_the_types_variants() {
        let kinds = required_values("Source", "kind");
        assert_eq!(kinds.first(), Some(&"Government"));
        assert!(kinds.contains(&"KnowledgeBase"), "{kinds:?}");
        assert!(required_values("Actor", "kind").contains(&"MilitaryUnit"));
        let relations = required_values("Claim", "relation");
        assert!(relations.contains(&"AttributedTo") && relations.contains(&"Condemns"));
        assert!(required_values("Claim", "source").is_empty());
        assert!(
            required_values("Group", "kind").is_empty(),
            "optional: never missing"
        );
    }

    fn row_names<T: Declaration>() -> (&'static str, &'static str) {
        let name = std::any::type_name::<T>();
        (
            name.rsplit("::").next().unwrap_or(name),
            DECLARATION_NAMES[T::ROW].rust,
        )
    }

    /// Each declaration reads by its own row: a RON name taken from another's would refuse
    /// every file that names it (`Actor(…)` read as `Group`).
    #[test]
    fn each_declaration_has_its_own_row() {
        for (ty, row) in [
            row_names::<ActorFile>(),
            row_names::<GroupFile>(),
            row_names::<IncidentFile>(),
            row_names::<SourceFile>(),
            row_names::<TrackRecord>(),
            row_names::<ClaimFile>(),
            row_names::<HypothesisFile>(),
            row_names::<ExclusiveFile>(),
            row_names::<StixFile>(),
            row_names::<MarkingFile>(),
            row_names::<StixObjectFile>(),
            row_names::<ExternalReferenceFile>(),
        ] {
            assert_eq!(ty, row);
        }
    }
}
