//! Case → STIX 2.1 bundle.
//!
//! The bundle is written for a consumer that reads only standard STIX (OpenCTI, MISP): every
//! relationship is of a type, and between object types, that OpenCTI's relationship mapping
//! accepts; denials are `opinion`s of the denier, self-claims `note`s of the claimant, and
//! judgements `opinion`s of attrib stating the ICD 203 term in `labels` and the probability in
//! `confidence` (on insufficient evidence, `neutral` with no basis: `vocab::NO_BASIS`). What
//! standard fields cannot hold (grades given as track records, priors, the exact case records)
//! travels in `x_attrib_*` properties so that attrib's own import is lossless. Ids are kept
//! from the case's STIX records or derived as UUIDv5 of the case's ids, and timestamps come
//! from the case, so an unchanged case exports to the same bytes.
//!
//! The bundle is written an object at a time and no object is held once written, so that a
//! case of millions of claims exports in the memory its load takes. Everything an object
//! refers to is derivable from the case without building the object it refers to (ids come
//! from the case's ids and STIX records), and is derived again where it is written: the
//! references of a report and of the case grouping are written as they are derived
//! (`Prop::Refs`). Per claim the export keeps only a byte (how it is written) and the UUID
//! of its id, which every pass asks for, per claim of a report its index (to list a
//! report's claims in one pass over the claims, in whatever order they come), and per
//! judgement the UUID of its id, for the case grouping. What must be known before the first object is written is gathered by a first
//! pass: the positive claims some denial disputes (a denial's object refers to them) and,
//! only when anything can be marked, the marking definitions listed at the head of the
//! bundle and the markings of the case grouping, read from the records an object at a time;
//! the judgements are assessed for these only when their markings can add to the records'
//! (`Out::judgements_may_add`), since writing them assesses every incident again.

use super::import::Held;
use super::markings::{self, Tlp};
use super::vocab;
use super::{NAMESPACE, id_of, stix_id};
use crate::assess::{Assessment, Bearing, IncidentAssessment, Judgement};
use crate::escape::uri::link;
use crate::format::{
    ActorKind, CaseFile, ClaimFile, ExternalReferenceFile, GroupKind, Likelihood, Relation,
    StixFile, StixObjectFile,
};
use crate::model::{
    Case, Claim, ClaimId, EntityId, EntityKind, ExclusiveSet, IncidentId, SourceId, Statement,
};
use crate::report::{Chunked, Pretty};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::ops::Bound;
use uuid::Uuid;

/// At most this many of the relationships a denial disagrees with are in its `object_refs`,
/// beside the two ends of the statement, which stand for all of them. A consumer attaches the
/// opinion to each; listing every one would make the bundle grow with the square of the
/// claims on one pair (10,000 denials of a pair that 10,000 claims assert: 10^8 references).
pub const DISAGREED_REFS: usize = 100;

/// Choices made on the command line.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Every object is marked at least this restrictively.
    pub tlp_floor: Option<Tlp>,
    /// An imported object the case did not change keeps the `modified` it came with even
    /// where attrib writes what it always writes its own of otherwise than it came (its
    /// envelope, [`StixObjectFile::envelope`]). A bundle makes it a later version, since one
    /// version has one content; a TAXII export sets this, so that its plan (`taxii::plan`)
    /// leaves the producer's version in the collection rather than replace it with attrib's
    /// copy, which STIX leaves to the object's creator.
    pub producers_versions: bool,
}

/// The first moment of a date's earliest day, `2022-07-01T00:00:00.000Z`: what
/// `format!("{}T00:00:00.000Z", d.earliest_day())` writes, without the formatting machinery
/// (every claim has one or two).
fn day_stamp(d: crate::date::Date) -> String {
    let d = d.earliest_day();
    let (month, day) = (d.month.unwrap_or(1), d.day.unwrap_or(1));
    if d.year > 9999 {
        return format!("{d}T00:00:00.000Z");
    }
    let mut s = String::with_capacity(24);
    for n in [
        d.year / 1000,
        d.year / 100 % 10,
        d.year / 10 % 10,
        d.year % 10,
    ] {
        s.push(char::from(b'0' + n as u8));
    }
    for n in [month, day] {
        s.push('-');
        s.push(char::from(b'0' + n / 10));
        s.push(char::from(b'0' + n % 10));
    }
    s.push_str("T00:00:00.000Z");
    s
}

fn record<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("plain data serialises")
}

/// What a reference says of a URL that may not be a link ([`link`]): its text, inert in a
/// `description`, so that nothing the case cites is dropped, and why it is no link.
fn unlinked(url: &str) -> String {
    if crate::escape::uri::web_scheme(url) {
        format!("URL not linked (no URI can be written of it): {url}")
    } else {
        format!("URL not linked (not http, https or mailto): {url}")
    }
}

/// An external reference citing `url` under `source_name`: the URL as `url`, as a URI
/// ([`link`]), when it may be a link, else its text in `description` ([`unlinked`]); none for
/// a blank URL.
fn reference(source_name: &str, url: &str) -> Option<Value> {
    let url = url.trim();
    if url.is_empty() {
        None
    } else if let Some(uri) = link(url) {
        Some(json!({ "source_name": source_name, "url": uri }))
    } else {
        Some(json!({ "source_name": source_name, "description": unlinked(url) }))
    }
}

/// `external_references` citing `url` under `source_name`, as [`reference`] writes it (a
/// claim's or a source's: a link written without building a value, for the millions of claims
/// of a large case); none for a blank URL.
fn citation<'v>(source_name: &'v str, url: &'v str) -> Option<Prop<'v>> {
    if let Some(Cow::Borrowed(uri)) = link(url) {
        return Some(Prop::Citation(source_name, uri));
    }
    reference(source_name, url).map(|r| Prop::Json(Value::Array(vec![r])))
}

/// The external references an imported object came with, as they were but for a URL: written
/// as a URI ([`link`]), or, when it may not be a link, moved, as text, into the reference's
/// `description`
/// ([`unlinked`]), or left out when blank (with the reference, if that leaves it saying
/// nothing, as STIX requires). A reference STIX refuses (one edited into the case by hand,
/// W120: [`super::wellformed::reference_ill_formed`]) is left out. `None` when no reference is
/// left.
fn kept_references(refs: &[ExternalReferenceFile]) -> Option<Value> {
    let sound = |r: &&ExternalReferenceFile| super::wellformed::reference_ill_formed(r).is_none();
    if refs.iter().all(|r| {
        sound(&r)
            && r.url
                .as_deref()
                .is_none_or(|u| link(u).is_some_and(|l| l == u))
    }) {
        return (!refs.is_empty()).then(|| record(&refs));
    }
    let kept: Vec<ExternalReferenceFile> = refs
        .iter()
        .filter(sound)
        .filter_map(|r| {
            let Some(url) = r.url.as_deref() else {
                return Some(r.clone());
            };
            if let Some(uri) = link(url) {
                let url = Some(uri.into_owned());
                return Some(ExternalReferenceFile { url, ..r.clone() });
            }
            let url = url.trim();
            let description = match &r.description {
                _ if url.is_empty() => r.description.clone(),
                Some(d) => Some(format!("{d}; {}", unlinked(url))),
                None => Some(unlinked(url)),
            };
            let inert = ExternalReferenceFile {
                url: None,
                description,
                ..r.clone()
            };
            (inert.description.is_some() || inert.external_id.is_some()).then_some(inert)
        })
        .collect();
    (!kept.is_empty()).then(|| record(&kept))
}

/// A digest of an attrib record, stored on import so that export can tell whether the object
/// changed since its STIX `modified`.
pub fn digest<T: serde::Serialize>(value: &T) -> String {
    let text = serde_json::to_string(value).expect("plain data serialises");
    uuid::Uuid::new_v5(&NAMESPACE, text.as_bytes()).to_string()
}

/// A digest of the set of objects a report refers to ([`StixObjectFile::refs`]): export writes
/// a report's `object_refs` as the objects of its claims, so one imported with others among
/// them goes out as a later version.
pub fn refs_digest<'r>(refs: impl Iterator<Item = &'r str>) -> String {
    digest(&refs.collect::<BTreeSet<&str>>())
}

/// What attrib writes its own of on an imported object that it may write otherwise than the
/// object came (the object's id, type and dates are its record's; a report's `object_refs`
/// have their own digest, [`refs_digest`]).
const ENVELOPE: [&str; 7] = [
    "relationship_type",
    "source_ref",
    "target_ref",
    "created_by_ref",
    "object_marking_refs",
    "granular_markings",
    "external_references",
];

/// A digest of an object's envelope (the properties of `ENVELOPE`), as `get` gives them
/// (absent ones left out; the marking refs as a set, since their order says nothing):
/// recorded on import ([`StixObjectFile::envelope`]) and compared on export with what goes
/// out.
pub fn envelope_digest(get: impl Fn(&str) -> Option<Value>) -> String {
    let mut held: BTreeMap<&str, Value> = BTreeMap::new();
    for name in ENVELOPE {
        let Some(mut value) = get(name) else { continue };
        if let (Some(list), "object_marking_refs") = (value.as_array_mut(), name) {
            list.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            list.dedup();
        }
        held.insert(name, value);
    }
    digest(&held)
}

/// The digest of an object's content: its record's digest, and the properties attrib does not
/// model when it kept some (an object without them keeps the digest it was imported with).
pub fn content_digest(
    record_digest: String,
    properties: Option<&BTreeMap<String, Value>>,
) -> String {
    match properties {
        Some(p) if !p.is_empty() => digest(&(record_digest, p)),
        _ => record_digest,
    }
}

/// Whether export writes a property of this name on some object (an imported object's
/// property of the same name is then attrib's to write, never kept beside it).
pub(super) fn writes_property(name: &str) -> bool {
    Key::ALL.iter().any(|k| k.name() == name)
}

/// Whether attrib writes its own value of a property, and never one an imported object came
/// with, even on an object the case has not changed: what the object's STIX record holds apart
/// (id, type, dates, author, markings, external references), the references attrib writes and
/// the relationship type, resolved as the case resolved them (an end merged into another is
/// named by what it became), attrib's own records, and the extensions, which declare attrib's
/// own properties beside the object's (merged in [`Out::extend`]).
pub(crate) fn resolved_by_attrib(name: &str) -> bool {
    const HELD: [&str; 9] = [
        "relationship_type",
        "extensions",
        "type",
        "spec_version",
        "id",
        "created",
        "modified",
        "external_references",
        "granular_markings",
    ];
    HELD.contains(&name)
        || name.starts_with("x_attrib_")
        || ((name.ends_with("_ref") || name.ends_with("_refs")) && writes_property(name))
}

/// Dates of the case: the earliest and latest it speaks of.
#[derive(Default)]
struct Clock {
    created: String,
    modified: String,
}

impl Clock {
    fn of(case: &Case, dates: &Dates) -> Clock {
        let as_of = case.as_of.map(day_stamp);
        // A case with no date at all has nothing better than the Unix epoch (documented).
        let epoch = "1970-01-01T00:00:00.000Z".to_string();
        let created = dates
            .earliest
            .clone()
            .or_else(|| as_of.clone())
            .unwrap_or_else(|| epoch.clone());
        let modified = as_of
            .or_else(|| dates.latest.clone())
            .unwrap_or(epoch)
            .max(created.clone());
        Clock { created, modified }
    }

    /// `created` and `modified` of an object: from its STIX record when it has one (moving
    /// `modified` on when the content changed since), else from the case; and whether the
    /// object's content is as it came (its `modified` kept, or moved on only because it is
    /// `remarked` or `moved`). `content` (the digest of the object's record) is computed only
    /// when the record has one to compare; `remarked`, that the object goes out with other
    /// markings than it came with (raised by `--tlp`), and `moved`, that it refers to other
    /// objects than it came with (a report), each make it a later version of itself.
    ///
    /// Each of the three reasons moves `modified` on by its own step (1, 2 and 4 ms past the
    /// recorded one, or past the case's latest date when that is later), so that the versions
    /// they make, which differ in content, never share a `modified`: a consumer holding the
    /// plain export takes a `--tlp` one or one of an edited case for the later version it is.
    ///
    /// The fourth value is the `modified` the object takes if it goes out with its
    /// [`ENVELOPE`] otherwise than it came (8 ms on), which only the finished object tells
    /// ([`Obj::reshape`]).
    fn stamps(
        &self,
        rec: Option<&StixObjectFile>,
        created: &str,
        content: impl FnOnce() -> String,
        (remarked, moved): (bool, bool),
    ) -> (String, String, bool, Option<String>) {
        let Some(rec) = rec else {
            // What nearly every object of a large case takes: two strings, no more.
            let modified = self.modified.as_str().max(created).to_string();
            return (created.to_string(), modified, false, None);
        };
        // A record edited by hand may hold a timestamp STIX does not allow (`check` warns of
        // it, W120): the case's date goes out instead, never one the validator refuses.
        let stamp = |t: &Option<String>| super::record_stamp(t.as_deref());
        let created = stamp(&rec.created).unwrap_or_else(|| created.to_string());
        let fresh = self.modified.clone().max(created.clone());
        let same = (rec.digest.as_deref())
            .is_some_and(|d| d == content_digest(content(), rec.properties.as_ref()));
        let recorded = stamp(&rec.modified);
        let step = i64::from(moved) + 2 * i64::from(remarked) + 4 * i64::from(!same);
        let reshaped = (recorded.clone())
            .filter(|_| rec.envelope.is_some())
            .map(|m| markings::later_by(&fresh.clone().max(m), step + 8).max(created.clone()));
        let modified = match recorded.clone() {
            Some(m) if step == 0 => m,
            Some(m) => markings::later_by(&fresh.max(m), step),
            None => fresh,
        };
        let modified = modified.max(created.clone());
        // Re-marked or moved alone, the object goes out as it came under a later `modified`.
        let kept = same
            && recorded.is_some()
            && (remarked || moved || recorded.as_deref() == Some(modified.as_str()));
        (created, modified, kept, reshaped)
    }
}

/// The dates the claims speak of: the first date each source, actor, group and incident is
/// named by a claim (for its `created`), and the earliest and latest of all.
#[derive(Default)]
struct Dates<'a> {
    /// By source id, as the claims write it.
    sources: HashMap<&'a str, String>,
    /// By the id of the actor, group or incident a claim's subject or object names, however
    /// the claim spells it (by its id, its name or an alias, in any case).
    names: HashMap<&'a str, String>,
    earliest: Option<String>,
    latest: Option<String>,
}

impl<'a> Dates<'a> {
    /// Read from the model's claims, whose dates are parsed, under the names their records
    /// write (`out.claim_file`).
    fn of(out: &Out<'a>) -> Dates<'a> {
        let (file, case) = (out.file, out.case);
        let names = file.actors.len() + file.groups.len() + file.incidents.len();
        let mut dates = Dates {
            sources: HashMap::with_capacity_and_hasher(file.sources.len(), Default::default()),
            names: HashMap::with_capacity_and_hasher(names, Default::default()),
            earliest: None,
            latest: None,
        };
        for (i, claim) in case.claims.iter().enumerate() {
            let Some(t) = claim.date.map(day_stamp) else {
                continue;
            };
            let c = out.claim_file(ClaimId(i as u32));
            earlier(&mut dates.sources, &c.source, &t);
            let named = match claim.statement {
                Statement::Responsible { incident, actor } => {
                    [&case.incident(incident).id, &case.entity(actor).id]
                }
                Statement::Link { from: a, to: b } | Statement::SameAs { a, b } => {
                    [&case.entity(a).id, &case.entity(b).id]
                }
                Statement::Condemns { incident } => {
                    let id = &case.incident(incident).id;
                    [id, id]
                }
            };
            for id in named {
                earlier(&mut dates.names, id, &t);
            }
            if dates.earliest.as_ref().is_none_or(|e| t < *e) {
                dates.earliest = Some(t.clone());
            }
            if dates.latest.as_ref().is_none_or(|l| t > *l) {
                dates.latest = Some(t);
            }
        }
        dates
    }
}

/// Keeps the earlier of `t` and the date already recorded for `key`.
fn earlier<'a>(map: &mut HashMap<&'a str, String>, key: &'a str, t: &str) {
    match map.get_mut(key) {
        Some(d) if t < d.as_str() => *d = t.to_string(),
        Some(_) => {}
        None => {
            map.insert(key, t.to_string());
        }
    }
}

/// The STIX type and id a source, actor, group or incident is written with: computed once,
/// since every claim and judgement refers to them.
#[derive(Clone)]
struct Named {
    kind: String,
    id: String,
}

/// What the export knows of the case.
struct Out<'a> {
    file: &'a CaseFile,
    /// The case's STIX section, with the marking refs export can write
    /// ([`markings::usable_refs`]).
    stix: Option<&'a StixFile>,
    case: &'a Case,
    clock: Clock,
    /// The TLP every object is raised to at least: `--tlp`'s, or the case's own when that is
    /// more restrictive.
    floor: Option<Tlp>,
    /// An object written otherwise than it came is a later version ([`ExportOptions`]).
    reshape: bool,
    /// The STIX id of attrib's identity, the author of what attrib states.
    attrib: String,
    /// The STIX id of the extension definition declaring the `x_attrib_*` properties.
    extension: String,
    /// The `extensions` property declaring it, laid out once as an object's property.
    extensions: Vec<u8>,
    /// First date each object is spoken of, for `created`.
    dates: Dates<'a>,
    /// The marking definitions of the case's STIX section, by id.
    definitions: markings::Definitions<'a>,
    /// By `EntityId`.
    entities: Vec<Named>,
    /// By `IncidentId`.
    incidents: Vec<Named>,
    /// By `SourceId` (the file's order).
    sources: Vec<Named>,
    /// The identity each source's statements are `created_by`, by `SourceId`.
    /// Each source's author as `created_by_ref` names it; `None` for a report by no known
    /// author.
    authors: Vec<Option<String>>,
    /// How each claim is written, by `ClaimId`: a byte each ([`Out::shape`]), since every
    /// pass asks and working it out reads the claim's source and both its ends.
    shapes: Vec<u8>,
    /// The relationship types of `shapes`.
    rtypes: Vec<&'static str>,
    /// The UUID of each claim's object, by `ClaimId`, unless it keeps the id of its STIX
    /// record: derived once (a SHA-1 each), since the claim, the case grouping, restatements,
    /// denials and judgements all refer to it.
    claim_uuids: Vec<Option<Uuid>>,
    /// The file's claims by id, built only if the model's claims are not in the file's order.
    claim_files: OnceCell<HashMap<&'a str, &'a ClaimFile>>,
    /// The STIX ids of the sources' objects ([`Out::in_bundle`]).
    source_stix_ids: OnceCell<HashSet<String>>,
}

impl<'a> Out<'a> {
    fn rec(&self, key: &str) -> Option<&'a StixObjectFile> {
        self.stix.and_then(|s| s.objects.get(key))
    }

    /// The STIX type the object keyed `key` came as: its record's `kind`, when the record's
    /// id, if it has one, is a STIX id of that type. A record whose two disagree, or whose id
    /// is none, was edited by hand (`check` warns of it, W120) and decides nothing: not the
    /// type, not the id, not the properties kept, so that no object goes out as one type
    /// under another's id or with another type's properties.
    fn came_as(&self, key: &str) -> Option<&'a str> {
        let r = self.rec(key)?;
        let kind = r.kind.as_deref()?;
        (r.id.as_deref())
            .is_none_or(|id| super::is_id(id, Some(kind)))
            .then_some(kind)
    }

    /// The id the object keyed `key` came with, when it is written as the type it came as.
    fn came_with(&self, key: &str, kind: &str) -> Option<&'a str> {
        (self.came_as(key) == Some(kind))
            .then(|| self.rec(key).and_then(|r| r.id.as_deref()))
            .flatten()
    }

    /// The UUID of an object that belongs to this case alone ([`super::case_uuid`]).
    fn own_uuid(&self, key: &str) -> Uuid {
        super::case_uuid(self.case.id.as_deref(), key)
    }

    /// [`Out::own_uuid`] as a STIX id of type `kind`.
    fn own_id(&self, kind: &str, key: &str) -> String {
        id_of(kind, self.own_uuid(key))
    }

    /// The STIX id of an object: the one it came with if it is written as the same type,
    /// else derived from its key.
    fn id(&self, key: &str, kind: &str) -> String {
        match self.came_with(key, kind) {
            Some(id) => id.to_string(),
            None => stix_id(kind, key),
        }
    }

    /// The STIX type an object is written as: the one it came with, when attrib can write
    /// that type for it (a MISP event's `grouping` comes back as an `incident`).
    fn kind_of(&self, key: &str, default_kind: &'static str) -> String {
        let writable: &[&str] = match key.split_once(':').map_or("", |(k, _)| k) {
            "entity" => &["threat-actor", "intrusion-set", "identity", "campaign"],
            "incident" => &["incident", "campaign"],
            "source" => &["identity", "report"],
            _ => &[],
        };
        self.came_as(key)
            .filter(|k| writable.contains(k))
            .unwrap_or(default_kind)
            .to_string()
    }

    /// The type and id of the object keyed `key`.
    fn named(&self, key: &str, default_kind: &'static str) -> Named {
        let kind = self.kind_of(key, default_kind);
        let id = self.id(key, &kind);
        Named { kind, id }
    }

    /// The marking refs of an object: its own, raised to the floor.
    fn marking_refs(&self, own: &[String]) -> Vec<String> {
        markings::with_floor(own, self.marking_definitions(), self.floor)
    }

    /// The markings the case's STIX record gives the object keyed `key`.
    fn own_markings(&self, key: &str) -> &'a [String] {
        self.rec(key).map_or(&[], |r| &r.markings[..])
    }

    /// The markings of an object attrib writes about others (a declared `part_of`, a set of
    /// competing hypotheses): the most restrictive of its record's and of those of the
    /// objects it names (keyed `named`), since it names them.
    fn naming_markings(&self, key: &str, named: &[String]) -> Vec<String> {
        if self.stix.is_none() {
            return Vec::new();
        }
        let own: Vec<String> = std::iter::once(key)
            .chain(named.iter().map(String::as_str))
            .flat_map(|k| self.own_markings(k))
            .cloned()
            .collect();
        markings::most_restrictive(&own, self.marking_definitions())
    }

    /// [`Out::naming_markings`] of the declared `part_of` of `e`, keyed `key`.
    fn part_of_markings(&self, key: &str, e: EntityId) -> Vec<String> {
        let case = self.case;
        let p = case.entity(e).part_of.expect("a part_of");
        let named = [e, p].map(|x| format!("entity:{}", case.entity(x).id));
        self.naming_markings(key, &named)
    }

    /// [`Out::naming_markings`] of a set of competing hypotheses, keyed `key`.
    fn exclusive_markings(&self, key: &str, set: &ExclusiveSet) -> Vec<String> {
        let case = self.case;
        let named: Vec<String> =
            std::iter::once(format!("incident:{}", case.incident(set.incident).id))
                .chain((set.members.iter()).map(|&m| format!("entity:{}", case.entity(m).id)))
                .collect();
        self.naming_markings(key, &named)
    }

    fn base(
        &self,
        kind: &str,
        id: String,
        key: &str,
        created: &str,
        content: impl FnOnce() -> String,
    ) -> Obj<'_> {
        self.base_moved(kind, id, key, created, content, false)
    }

    /// [`Out::base`] of an object that goes out referring to other objects than it came with
    /// (`moved`): a later version of itself, as one marked otherwise is.
    fn base_moved(
        &self,
        kind: &str,
        id: String,
        key: &str,
        created: &str,
        content: impl FnOnce() -> String,
        moved: bool,
    ) -> Obj<'_> {
        let rec = self.rec(key);
        let own = rec.map_or(&[][..], |r| &r.markings[..]);
        let refs = self.marking_refs(own);
        // Marked otherwise than it came (`--tlp` raised it), the object is a later version.
        let remarked =
            rec.is_some() && markings::raised(own, self.marking_definitions(), self.floor);
        let moved = rec.is_some() && moved;
        let (created, modified, unchanged, reshaped) =
            self.clock.stamps(rec, created, content, (remarked, moved));
        let mut m = Obj {
            reshape: (rec.and_then(|r| r.envelope.as_deref()))
                .filter(|_| self.reshape)
                .zip(reshaped)
                .map(|(came, later)| (came, later, own)),
            ..Obj::default()
        };
        m.insert(Key::Type, kind.to_string());
        m.insert(Key::SpecVersion, "2.1");
        m.insert(Key::Id, id);
        m.insert(Key::Created, created);
        m.insert(Key::Modified, modified);
        if let Some(refs) = rec.and_then(|r| kept_references(&r.external_references)) {
            m.insert(Key::ExternalReferences, refs);
        }
        if !refs.is_empty() {
            m.insert(Key::ObjectMarkingRefs, refs);
        }
        // What attrib does not model goes back only on an object of the type it came as:
        // a relationship's `start_time` means nothing on the opinion a denial becomes.
        m.theirs = rec
            .filter(|_| self.came_as(key) == Some(kind))
            .and_then(|r| r.properties.as_ref())
            .map(|properties| Theirs {
                properties,
                unchanged,
                held: Held::of_key(key),
            });
        m
    }

    /// The `created_by_ref` an actor, group, incident or identity was imported with, written
    /// again: the object is the same version of another's object, and its author is part of it. Only
    /// when that identity is in the bundle (a source of the case), so that nothing refers to
    /// an object the bundle lacks.
    fn imported_author<'s>(&'s self, o: &mut Obj<'s>, key: &str) {
        if let Some(author) = self.rec(key).and_then(|r| r.created_by.as_deref())
            && self.in_bundle(author)
        {
            o.insert(Key::CreatedByRef, author);
        }
    }

    /// Whether a STIX id is that of a source's object, and so in the bundle: an imported
    /// author is written only then. The set is built on first asking, since only imported
    /// objects ask, once each.
    fn in_bundle(&self, stix_id: &str) -> bool {
        (self.source_stix_ids)
            .get_or_init(|| self.sources.iter().map(|s| s.id.clone()).collect())
            .contains(stix_id)
    }

    /// Declares the extension on an object with `x_attrib_*` properties, as STIX 2.1 asks of
    /// custom top-level properties.
    fn extend<'s>(&'s self, o: &mut Obj<'s>) {
        let theirs = o.theirs.and_then(|t| t.properties.get("extensions"));
        match theirs.and_then(Value::as_object) {
            // The object's own extensions (a platform's property extension) stay beside it.
            Some(theirs) => {
                // An extension STIX refuses (W120) is left out, not the bundle made invalid.
                let mut all = theirs.clone();
                all.retain(|key, v| super::wellformed::extension_well_formed(key, v));
                all.insert(
                    self.extension.clone(),
                    json!({ "extension_type": "toplevel-property-extension" }),
                );
                o.insert(Key::Extensions, Prop::Json(Value::Object(all)));
            }
            None => o.insert(Key::Extensions, Prop::Raw(&self.extensions)),
        }
    }

    fn entity_kind(&self, e: EntityId) -> &str {
        &self.entities[e.0 as usize].kind
    }

    fn entity_ref(&self, e: EntityId) -> &str {
        &self.entities[e.0 as usize].id
    }

    fn incident_kind(&self, i: IncidentId) -> &str {
        &self.incidents[i.0 as usize].kind
    }

    fn incident_ref(&self, i: IncidentId) -> &str {
        &self.incidents[i.0 as usize].id
    }

    /// The identity a source's statements are `created_by`: itself, or for a report (a
    /// publication) the identity of its author. `source_ids`: every source's id, which a
    /// family's own source is looked up in.
    fn author_of(&self, s: SourceId, source_ids: &HashSet<&str>) -> Option<String> {
        let key = format!("source:{}", self.case.source(s).id);
        if self.kind_of(&key, "identity") == "report" {
            // The author it came with; not one edited into no identity's id (W120), which
            // the bundle would fail validation for.
            let came_with = self.rec(&key).and_then(|r| r.created_by.as_deref());
            if let Some(a) = came_with.filter(|a| super::is_id(a, Some("identity"))) {
                return Some(a.to_string());
            }
            // Else the family's own source is the author, when there is one written as an
            // identity; a report by no known author has none (an id of an identity the
            // bundle does not hold would dangle).
            let fam = self.case.family(self.case.source(s).family);
            let own = format!("source:{fam}");
            let declared = source_ids.contains(fam);
            return (declared && self.kind_of(&own, "identity") == "identity")
                .then(|| self.id(&own, "identity"));
        }
        Some(self.id(&key, "identity"))
    }

    fn claim_markings(&self, c: ClaimId) -> &'a [String] {
        if self.stix.is_none() {
            return &[];
        }
        self.own_markings(&format!("claim:{}", self.case.claim(c).id))
    }

    /// The file's record of a claim: at the claim's index when the model keeps the file's
    /// order (it does), else found by id.
    fn claim_file(&self, c: ClaimId) -> &'a ClaimFile {
        let claim = self.case.claim(c);
        match self.file.claims.get(c.0 as usize) {
            Some(cf) if cf.id == claim.id => cf,
            _ => {
                let by_id = self.claim_files.get_or_init(|| {
                    self.file
                        .claims
                        .iter()
                        .map(|c| (c.id.as_str(), c))
                        .collect()
                });
                by_id[claim.id.as_str()]
            }
        }
    }
}

/// Builds the bundle. `file` is the case as written (for lossless records), `case` and
/// `assessment` the resolved case and its judgements.
///
/// The objects are written in the bundle's order, a kind at a time, each as it is made and
/// none held: at the head attrib's identity, the extension definition and the marking
/// definitions every object uses; then the sources, actors and groups, incidents, declared
/// `part_of`s, the claims and their restatements, the reports, attrib's judgements, the
/// groupings of exclusive sets and last the case grouping, whose references to every object
/// are derived again from the case rather than remembered.
pub fn export(
    file: &CaseFile,
    case: &Case,
    assessment: &Assessment,
    options: &ExportOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let stix = stix_written(file);
    let out = Out::new(file, stix.as_deref(), case, options);
    let plan = out.plan(assessment);
    out.write(w, assessment, &plan)
}

/// The STIX section the bundle is written from: the file's, or a copy of it whose marking
/// refs are all usable ([`markings::usable_refs`]) when a hand edit left any that are not.
fn stix_written(file: &CaseFile) -> Option<std::borrow::Cow<'_, StixFile>> {
    let stix = file.stix.as_ref()?;
    Some(
        markings::usable_refs(stix)
            .map_or(std::borrow::Cow::Borrowed(stix), std::borrow::Cow::Owned),
    )
}

/// How a claim is written in STIX.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// A relationship of the type, between the claim's two ends.
    Relationship(&'static str),
    /// A `note` of the claimant: a claim of responsibility, or an interested party's word.
    SelfClaim,
    /// An `opinion` of the source disagreeing with the attribution: a denial.
    Opinion,
    /// A `note` of the source condemning the incident.
    Condemnation,
}

impl Shape {
    /// The STIX type of the claim's object.
    fn kind(&self) -> &'static str {
        match self {
            Shape::Relationship(_) => "relationship",
            Shape::Opinion => "opinion",
            Shape::SelfClaim | Shape::Condemnation => "note",
        }
    }
}

/// What the first pass found: what objects written early must say of objects written later.
struct Plan {
    /// For each opinion, by its claim's index, the positive claims (relationships, `same_as`
    /// aside) between the same two ends that it disagrees with, in claim order: the first
    /// [`DISAGREED_REFS`] of those stated by its date (see [`Out::disagreed`]). Its opinion
    /// refers to them, wherever they stand in the bundle.
    disagreed: HashMap<u32, Vec<ClaimId>>,
    /// The markings of the case grouping: the most restrictive of every object's.
    case_markings: Vec<String>,
    /// Every marking an object carries or is given on the way, whose definitions are listed
    /// at the head of the bundle.
    used_markings: BTreeSet<String>,
}

/// `prefix` and `id` in `key`: an object's key, without a new string per object.
fn keyed<'k>(key: &'k mut String, prefix: &str, id: &str) -> &'k str {
    key.clear();
    key.push_str(prefix);
    key.push_str(id);
    key
}

/// Adds markings to a set, allocating only for one it lacks (nearly every object of a large
/// case carries the same few).
fn gather(set: &mut BTreeSet<String>, refs: &[String]) {
    for r in refs {
        if !set.contains(r) {
            set.insert(r.clone());
        }
    }
}

/// One string for a pair of ends, unambiguous whatever the ids hold.
fn pair_key(key: &mut String, from: &str, to: &str) {
    key.clear();
    key.push_str(&from.len().to_string());
    key.push(':');
    key.push_str(from);
    key.push_str(to);
}

/// The bundle's `objects` array, written an object at a time as `serde_json::to_writer_pretty`
/// writes the whole bundle: each object laid out at the depth it stands at.
struct Sink<'w> {
    w: Chunked<'w>,
    first: bool,
}

impl Sink<'_> {
    fn separate(&mut self) -> io::Result<()> {
        self.w
            .write_all(if self.first { b"    " } else { b",\n    " })?;
        self.first = false;
        Ok(())
    }

    /// Writes a value built whole (the head's definitions).
    fn value(&mut self, value: &Value) -> io::Result<()> {
        self.separate()?;
        let mut ser = serde_json::Serializer::with_formatter(&mut self.w, Pretty::nested(2));
        value.serialize(&mut ser).map_err(io::Error::from)
    }

    fn object(&mut self, o: Obj<'_>) -> io::Result<()> {
        self.separate()?;
        o.write(&mut self.w)
    }
}

impl<'a> Out<'a> {
    fn new(
        file: &'a CaseFile,
        stix: Option<&'a StixFile>,
        case: &'a Case,
        options: &'a ExportOptions,
    ) -> Out<'a> {
        let mut out = Out {
            file,
            stix,
            case,
            clock: Clock::default(),
            floor: (options.tlp_floor).max(file.tlp.as_deref().and_then(Tlp::parse)),
            reshape: !options.producers_versions,
            attrib: stix_id("identity", "attrib"),
            extension: stix_id("extension-definition", "attrib-properties"),
            extensions: Vec::new(),
            dates: Dates::default(),
            definitions: markings::Definitions::new(stix.map_or(&[], |s| &s.markings[..])),
            entities: Vec::new(),
            incidents: Vec::new(),
            sources: Vec::new(),
            authors: Vec::new(),
            shapes: Vec::new(),
            rtypes: Vec::new(),
            claim_uuids: Vec::new(),
            claim_files: OnceCell::new(),
            source_stix_ids: OnceCell::new(),
        };
        out.dates = Dates::of(&out);
        out.clock = Clock::of(case, &out.dates);
        let mut extensions = Vec::new();
        nested(
            &mut extensions,
            &json!({ out.extension.clone(): { "extension_type": "toplevel-property-extension" } }),
        )
        .expect("writing to memory");
        out.extensions = extensions;
        out.entities = case
            .entities
            .iter()
            .map(|e| {
                let default = match e.kind {
                    EntityKind::Actor(_) => "threat-actor",
                    EntityKind::Group(_) => "intrusion-set",
                };
                out.named(&format!("entity:{}", e.id), default)
            })
            .collect();
        out.incidents = file
            .incidents
            .iter()
            .map(|i| out.named(&format!("incident:{}", i.id), "incident"))
            .collect();
        out.sources = file
            .sources
            .iter()
            .map(|s| out.named(&format!("source:{}", s.id), "identity"))
            .collect();
        let source_ids: HashSet<&str> = case.sources.iter().map(|s| s.id.as_str()).collect();
        out.authors = (0..case.sources.len())
            .map(|s| out.author_of(SourceId(s as u32), &source_ids))
            .collect();
        (out.shapes, out.rtypes) = out.shapes();
        out.claim_uuids = (0..case.claims.len())
            .map(|c| out.claim_uuid(ClaimId(c as u32)))
            .collect();
        out
    }

    /// How each claim is written ([`Out::shape`]), and the relationship types the bytes
    /// from 3 on stand for.
    fn shapes(&self) -> (Vec<u8>, Vec<&'static str>) {
        let mut rtypes: Vec<&'static str> = Vec::new();
        let shapes = (self.case.claims.iter())
            .map(|c| match self.shape_of(c) {
                Shape::SelfClaim => 0,
                Shape::Opinion => 1,
                Shape::Condemnation => 2,
                Shape::Relationship(t) => {
                    let k = rtypes.iter().position(|r| *r == t).unwrap_or_else(|| {
                        rtypes.push(t);
                        rtypes.len() - 1
                    });
                    3 + u8::try_from(k).expect("a few relationship types")
                }
            })
            .collect();
        (shapes, rtypes)
    }

    /// The date of the case, for what has none of its own.
    fn case_created(&self) -> String {
        self.clock.created.clone()
    }

    /// When incident `ii` is spoken of from: its start, or an earlier claim on it (stamps of
    /// one layout compare as the dates they write), else the case's date.
    fn incident_spoken_of(&self, ii: usize) -> String {
        let start = self.case.incidents[ii].start.map(day_stamp);
        let spoken = (self.dates.names)
            .get(self.case.incidents[ii].id.as_str())
            .cloned();
        [start, spoken]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or_else(|| self.case_created())
    }

    /// When attrib's judgement on incident `i` and `actors` is created: no earlier than the
    /// objects it speaks of as the bundle dates them (their STIX records' `created`, else when
    /// they are first spoken of), so that a judgement is never older than what it judges.
    fn judged_from(&self, i: IncidentId, actors: &[EntityId]) -> String {
        let case = self.case;
        let incident = &case.incident(i).id;
        let recorded = |key: String, otherwise: String| {
            (self
                .rec(&key)
                .and_then(|r| super::record_stamp(r.created.as_deref())))
            .unwrap_or(otherwise)
        };
        let mut created = recorded(
            format!("incident:{incident}"),
            self.incident_spoken_of(i.0 as usize),
        );
        for &e in actors {
            let id = &case.entity(e).id;
            created = created.max(recorded(format!("entity:{id}"), self.created_of_name(id)));
        }
        created
    }

    /// When an actor, group or incident was first spoken of.
    fn created_of_name(&self, id: &str) -> String {
        self.dates
            .names
            .get(id)
            .cloned()
            .unwrap_or_else(|| self.case_created())
    }

    /// The marking definitions of the case's STIX section.
    fn marking_definitions(&self) -> &markings::Definitions<'a> {
        &self.definitions
    }

    /// Sets the object's marking refs to `own` raised to the floor, or removes them.
    fn mark(&self, o: &mut Obj<'_>, own: &[String]) {
        let refs = self.marking_refs(own);
        if refs.is_empty() {
            o.remove(Key::ObjectMarkingRefs);
        } else {
            o.set(Key::ObjectMarkingRefs, refs);
        }
    }

    /// The first pass: the denials' targets, and the markings when anything can be marked.
    fn plan(&self, assessment: &Assessment) -> Plan {
        let disagreed = self.disagreed();
        let markable = self.floor.is_some()
            || (self.stix).is_some_and(|s| s.objects.values().any(|o| !o.markings.is_empty()));
        let (used_markings, case_markings) = if markable {
            self.markings(assessment)
        } else {
            // Nothing marked and no floor: every object's refs are empty.
            (BTreeSet::new(), Vec::new())
        };
        Plan {
            disagreed,
            case_markings,
            used_markings,
        }
    }

    /// For every opinion, the positive claims on its two ends that it disagrees with: of those
    /// stated by its date (a denial cannot answer a statement made after it; either undated,
    /// it may), the first [`DISAGREED_REFS`] in claim order.
    ///
    /// Each pair's positive claims are taken in the order of their earliest day and its
    /// opinions in the order of their latest, so that the claims an opinion may answer are
    /// those of the pair's before it and a few more; the first in claim order are kept in a
    /// heap of at most [`DISAGREED_REFS`]. So the work grows with the claims and the
    /// references written, not with the product of a pair's denials and statements.
    fn disagreed(&self) -> HashMap<u32, Vec<ClaimId>> {
        type Pair = (Vec<ClaimId>, Vec<ClaimId>);
        let case = self.case;
        let mut on: HashMap<String, Pair> = HashMap::default();
        let mut key = String::new();
        for (i, c) in case.claims.iter().enumerate() {
            if let Shape::Opinion = self.shape(ClaimId(i as u32)) {
                let (from, _, to, _) = self.ends(c.statement).expect("not a condemnation");
                pair_key(&mut key, from, to);
                on.entry(key.clone()).or_default().0.push(ClaimId(i as u32));
            }
        }
        if on.is_empty() {
            return HashMap::default();
        }
        for (i, c) in case.claims.iter().enumerate() {
            if let Shape::Relationship(_) = self.shape(ClaimId(i as u32))
                && !matches!(c.statement, Statement::SameAs { .. })
            {
                let (from, _, to, _) = self.ends(c.statement).expect("not a condemnation");
                pair_key(&mut key, from, to);
                if let Some((_, positive)) = on.get_mut(&key) {
                    positive.push(ClaimId(i as u32));
                }
            }
        }
        let mut disagreed = HashMap::default();
        for (mut opinions, mut positive) in on.into_values() {
            // Undated statements first (any opinion may answer them), undated opinions last
            // (they may answer any statement).
            positive.sort_by_key(|&p| case.claim(p).date.map(|d| d.earliest_day()));
            opinions.sort_by_key(|&o| {
                let date = case.claim(o).date;
                (date.is_none(), date.map(|d| d.latest_day()))
            });
            let mut first: std::collections::BinaryHeap<ClaimId> = Default::default();
            let mut next = positive.iter().peekable();
            for o in opinions {
                let by = case.claim(o).date.map(|d| d.latest_day());
                while let Some(&&p) = next.peek() {
                    let stated = case.claim(p).date.map(|d| d.earliest_day());
                    if let (Some(stated), Some(by)) = (stated, by)
                        && by < stated
                    {
                        break;
                    }
                    first.push(p);
                    if first.len() > DISAGREED_REFS {
                        first.pop();
                    }
                    next.next();
                }
                disagreed.insert(o.0, first.clone().into_sorted_vec());
            }
        }
        disagreed
    }

    /// Every marking any object will carry or be given on the way (for the head of the
    /// bundle), and the case grouping's: the most restrictive of the markings the objects end
    /// up with. Computed from the records alone, an object at a time, without building
    /// objects or holding anything per object; the judgements are assessed for it only in
    /// the rare case where their markings can add to those ([`Out::judgements_may_add`]), since
    /// the write pass assesses every incident again.
    fn markings(&self, assessment: &Assessment) -> (BTreeSet<String>, Vec<String>) {
        // `used` as the objects are marked on the way, `all` as they end up.
        let mut used: BTreeSet<String> = BTreeSet::new();
        let mut all: BTreeSet<String> = BTreeSet::new();
        self.record_markings(&mut used, &mut all);
        if self.judgements_may_add(&all) {
            self.judgement_markings(assessment, &mut used, &mut all);
        }
        self.case_markings(used, all)
    }

    /// Whether the judgements' markings can add to `all`, the markings of the objects made
    /// from records. A judgement is marked with the most restrictive TLP of the claims it
    /// rests on and their statement markings, raised to the floor; the claims' own markings,
    /// raised to the same floor, are in `all` already: every statement, and that TLP when it
    /// is at or above the floor (the claim bearing it keeps it then). What is left is the
    /// floor itself, which a judgement resting on nothing at or above it is given and which
    /// `all` may lack when every record is marked above it, and a judgement's own record
    /// (a case file may carry one), whose markings count as the object is marked on the way.
    /// Tested equal to assessing every judgement
    /// (`the_judgements_are_assessed_for_markings_only_when_they_can_add_one`).
    fn judgements_may_add(&self, all: &BTreeSet<String>) -> bool {
        let floor_missing = self.floor.is_some_and(|floor| !all.contains(floor.id()));
        let marked_judgement = self.stix.is_some_and(|s| {
            s.objects
                .range::<str, _>((Bound::Included("judgement:"), Bound::Unbounded))
                .take_while(|(k, _)| k.starts_with("judgement:"))
                .any(|(_, o)| !o.markings.is_empty())
        });
        floor_missing || marked_judgement
    }

    /// The judgements' markings, into `used` as each is marked on the way (its record's,
    /// then those of the claims behind it) and into `all` as it ends up.
    fn judgement_markings(
        &self,
        assessment: &Assessment,
        used: &mut BTreeSet<String>,
        all: &mut BTreeSet<String>,
    ) {
        let case = self.case;
        for ia in assessment.each(case) {
            for j in &ia.hypotheses {
                let behind = assessment.bearings(case, &ia, j.actor);
                let most = self.opinion_markings(ia.incident, j.actor, &behind);
                let refs = self.marking_refs(&most);
                gather(used, &refs);
                gather(all, &refs);
            }
        }
    }

    /// The case grouping's markings, the most restrictive of `all`, and with them and its
    /// record's the markings used.
    fn case_markings(
        &self,
        mut used: BTreeSet<String>,
        all: BTreeSet<String>,
    ) -> (BTreeSet<String>, Vec<String>) {
        // Its record's markings count with the rest, as the reports count them.
        let own = self.marking_refs(self.own_markings(super::CASE_GROUPING_KEY));
        let all: Vec<String> = all.into_iter().chain(own).collect();
        let most = markings::most_restrictive(&all, self.marking_definitions());
        gather(&mut used, &self.marking_refs(&most));
        (used, most)
    }

    /// The markings of every object written from the case's records (all but the
    /// judgements and the case grouping), into `used` as they are marked on the way and
    /// into `all` as they end up; each object's key is made in turn in one string.
    fn record_markings(&self, used: &mut BTreeSet<String>, all: &mut BTreeSet<String>) {
        let case = self.case;
        let mut marked = |own: &[String]| {
            let refs = self.marking_refs(own);
            gather(used, &refs);
            gather(all, &refs);
        };
        let mut of_record = |key: &str| marked(self.own_markings(key));
        let mut key = String::new();
        of_record("attrib");
        for s in &self.file.sources {
            of_record(keyed(&mut key, "source:", &s.id));
        }
        for e in &case.entities {
            of_record(keyed(&mut key, "entity:", &e.id));
        }
        for i in &self.file.incidents {
            of_record(keyed(&mut key, "incident:", &i.id));
        }
        for c in &case.claims {
            of_record(keyed(&mut key, "claim:", &c.id));
        }
        // Marked with what they name, as they are written.
        for e in 0..case.entities.len() {
            let e = EntityId(e as u32);
            if let Some(key) = self.part_of_key(e) {
                marked(&self.part_of_markings(&key, e));
            }
        }
        for set in &case.exclusive {
            marked(&self.exclusive_markings(&self.exclusive_key(set), set));
        }
        // A restatement note is marked with its record's markings, then with its claim's
        // when that has any.
        for (i, c) in case.claims.iter().enumerate() {
            if c.derived_from.is_empty() {
                continue;
            }
            let base = self.marking_refs(self.own_markings(keyed(&mut key, "restates:", &c.id)));
            let refs = self.marking_refs(self.claim_markings(ClaimId(i as u32)));
            gather(used, &base);
            gather(used, &refs);
            gather(all, if refs.is_empty() { &base } else { &refs });
        }
    }

    /// Writes the bundle as `serde_json::to_writer_pretty` would (keys in order: id, objects,
    /// type), an object at a time.
    fn write(
        &self,
        w: &mut dyn std::io::Write,
        assessment: &Assessment,
        plan: &Plan,
    ) -> std::io::Result<()> {
        let bundle_id = id_of(
            "bundle",
            self.own_uuid(&format!("bundle:{}", self.file.title)),
        );
        let mut sink = Sink {
            w: Chunked::with_piece(w, 4 << 20),
            first: true,
        };
        sink.w.write_all(b"{\n  \"id\": ")?;
        serde_json::to_writer(&mut sink.w, &bundle_id)?;
        sink.w.write_all(b",\n  \"objects\": [\n")?;
        self.head(&mut sink, &plan.used_markings)?;
        self.identities(&mut sink)?;
        self.entities(&mut sink)?;
        self.incidents(&mut sink)?;
        self.part_of(&mut sink)?;
        self.claims(&mut sink, plan)?;
        self.restatements(&mut sink)?;
        self.reports(&mut sink)?;
        let mut opinions: Vec<Uuid> = Vec::new();
        for ia in assessment.each(self.case) {
            for j in &ia.hypotheses {
                let (o, uuid) = self.opinion(assessment, &ia, j);
                sink.object(o)?;
                opinions.push(uuid);
            }
        }
        self.exclusive_sets(&mut sink)?;
        sink.object(self.case_grouping(&plan.case_markings, &opinions))?;
        sink.w.write_all(b"\n  ],\n  \"type\": \"bundle\"\n}\n")?;
        sink.w.finish()
    }

    /// The head of the bundle: attrib's identity, the extension definition, and the marking
    /// definitions the objects use.
    fn head(&self, sink: &mut Sink<'_>, used_markings: &BTreeSet<String>) -> io::Result<()> {
        sink.object(self.attrib_identity())?;
        let case_created = self.case_created();
        sink.value(&json!({
            "type": "extension-definition", "spec_version": "2.1", "id": self.extension,
            "created_by_ref": self.attrib, "created": case_created, "modified": case_created,
            "name": "attrib evidence records",
            "description": "Top-level x_attrib_* properties carrying attrib's evidence-case records verbatim, so that a case survives export and import unchanged. Standard STIX consumers can ignore them: every statement is also made in standard objects and fields.",
            "schema": "attrib docs/stix.md: x_attrib_case (grouping), x_attrib_source, x_attrib_actor, x_attrib_group, x_attrib_incident, x_attrib_claim (the case file's records, in its JSON form), x_attrib_structural (a declared part_of), x_attrib_judgement (a computed judgement).",
            "version": "1.1.0",
            "extension_types": ["toplevel-property-extension"],
            "extension_properties": [
                "x_attrib_case", "x_attrib_source", "x_attrib_actor", "x_attrib_group",
                "x_attrib_incident", "x_attrib_claim", "x_attrib_structural", "x_attrib_judgement",
            ],
        }))?;
        for id in used_markings {
            if let Some(d) =
                markings::definition(id, self.marking_definitions(), |a| self.in_bundle(a))
            {
                sink.value(&d)?;
            }
        }
        Ok(())
    }

    /// The id of every object the case grouping refers to, in the bundle's order (the head's
    /// definitions and the grouping itself aside), derived as the objects' own are.
    fn each_id(
        &self,
        opinions: &[Uuid],
        mut f: impl FnMut(&str) -> io::Result<()>,
    ) -> io::Result<()> {
        let case = self.case;
        f(&self.attrib)?;
        let (reports, identities): (Vec<&Named>, Vec<&Named>) =
            self.sources.iter().partition(|s| s.kind == "report");
        for s in identities {
            f(&s.id)?;
        }
        for n in self.entities.iter().chain(&self.incidents) {
            f(&n.id)?;
        }
        for e in 0..case.entities.len() {
            if let Some(key) = self.part_of_key(EntityId(e as u32)) {
                f(&stix_id("relationship", &key))?;
            }
        }
        for c in 0..case.claims.len() {
            f(&self.claim_id(ClaimId(c as u32)))?;
        }
        for c in case.claims.iter().filter(|c| !c.derived_from.is_empty()) {
            f(&self.own_id("note", &format!("restates:{}", c.id)))?;
        }
        for s in reports {
            f(&s.id)?;
        }
        for &uuid in opinions {
            f(&id_of("opinion", uuid))?;
        }
        for set in &case.exclusive {
            f(&self.own_id("grouping", &self.exclusive_key(set)))?;
        }
        Ok(())
    }

    /// attrib itself, the author of the judgements and of what it states for the case.
    fn attrib_identity(&self) -> Obj<'_> {
        let (id, created) = (self.attrib.clone(), self.case_created());
        let mut o = self.base("identity", id, "attrib", &created, String::new);
        o.insert(Key::Name, "attrib");
        o.insert(Key::IdentityClass, "system");
        o.insert(
            Key::Description,
            "Attribution reasoner that computed the judgements in this bundle.",
        );
        o
    }

    /// Sources → identities; those that came from reports are written after the claims they
    /// refer to ([`Out::reports`]).
    fn identities(&self, sink: &mut Sink<'_>) -> io::Result<()> {
        for si in 0..self.file.sources.len() {
            if self.sources[si].kind != "report" {
                let o = self.source(si, &[]);
                sink.object(o)?;
            }
        }
        Ok(())
    }

    /// The sources that came from reports, each referring to the objects of its claims, or
    /// to attrib, as a report must refer to something. What is held is one claim index per
    /// claim of a report, grouped by report in one counting pass (linear in the claims
    /// whatever their order: an imported bundle's claims follow its relationships, and a
    /// report's claims can be spread over all of them); the references are derived from
    /// those as they are written.
    fn reports(&self, sink: &mut Sink<'_>) -> io::Result<()> {
        let is_report: Vec<bool> = self.sources.iter().map(|s| s.kind == "report").collect();
        if !is_report.contains(&true) {
            return Ok(());
        }
        let n = self.sources.len();
        // `start[s]..start[s + 1]`: where source `s`'s claims are in `by_report`.
        let mut start = vec![0usize; n + 1];
        for c in &self.case.claims {
            let s = c.source.0 as usize;
            if is_report[s] {
                start[s + 1] += 1;
            }
        }
        for s in 0..n {
            start[s + 1] += start[s];
        }
        let mut next = start.clone();
        let mut by_report = vec![ClaimId(0); start[n]];
        for (i, c) in self.case.claims.iter().enumerate() {
            let s = c.source.0 as usize;
            if is_report[s] {
                by_report[next[s]] = ClaimId(i as u32);
                next[s] += 1;
            }
        }
        for si in (0..n).filter(|&si| is_report[si]) {
            let claims = &by_report[start[si]..start[si + 1]];
            let mut o = self.source(si, claims);
            o.insert(
                Key::ObjectRefs,
                Prop::Refs(Box::new(move |f| self.report_refs(claims, f))),
            );
            sink.object(o)?;
        }
        Ok(())
    }

    /// What a report of `claims` refers to, each id handed to `f`: the objects of its claims,
    /// or attrib when it has none, as a report must refer to something.
    fn report_refs<E>(
        &self,
        claims: &[ClaimId],
        f: &mut dyn FnMut(&str) -> Result<(), E>,
    ) -> Result<(), E> {
        if claims.is_empty() {
            return f(&self.attrib);
        }
        claims.iter().try_for_each(|&c| f(&self.claim_id(c)))
    }

    /// One source as an identity or a report (without the report's `object_refs`, which
    /// [`Out::report_refs`] writes).
    fn source(&self, si: usize, claims: &[ClaimId]) -> Obj<'_> {
        let file = self.file;
        let s = &file.sources[si];
        let key = format!("source:{}", s.id);
        let Named { kind, id } = self.sources[si].clone();
        let created = self
            .dates
            .sources
            .get(s.id.as_str())
            .cloned()
            .unwrap_or_else(|| self.case_created());
        // A report imported with references to objects other than its claims' goes out
        // without them: a later version.
        let moved = (self.rec(&key).and_then(|r| r.refs.as_deref())).is_some_and(|came| {
            let mut ids: Vec<String> = Vec::new();
            let _ = self.report_refs::<()>(claims, &mut |id| {
                ids.push(id.to_string());
                Ok(())
            });
            came != refs_digest(ids.iter().map(String::as_str))
        });
        let mut o = self.base_moved(&kind, id, &key, &created, || digest(s), moved);
        o.insert(Key::Name, s.name.as_str());
        if let Some(n) = &s.note {
            o.insert(Key::Description, n);
        }
        if !o.contains_key(Key::ExternalReferences)
            && !o.as_it_came()
            && let Some(cited) = s.url.as_deref().and_then(|u| citation(&s.name, u))
        {
            o.insert(Key::ExternalReferences, cited);
        }
        let mut labels = Vec::new();
        if let Some(g) = s.reliability {
            labels.push(vocab::reliability_label(g));
        }
        let source = self.case.source(SourceId(si as u32));
        if s.family.is_some() {
            labels.push(vocab::family_label(self.case.family(source.family)));
        }
        if !labels.is_empty() {
            o.insert(Key::Labels, labels);
        }
        o.insert(Key::XAttribSource, record(s));
        self.extend(&mut o);
        if kind == "report" {
            let published = o.get_str(Key::Created).unwrap_or_default().to_string();
            o.insert(Key::Published, published);
            if let Some(a) = &self.authors[si] {
                o.insert(Key::CreatedByRef, a.as_str());
            }
            return o;
        }
        self.imported_author(&mut o, &key);
        o.insert(
            Key::IdentityClass,
            match s.kind {
                crate::format::SourceKind::Researcher => "individual",
                _ => "organization",
            },
        );
        if let Some(sector) = vocab::sector(s.kind) {
            o.insert(Key::Sectors, vec![sector.to_string()]);
        }
        o
    }

    /// Actors and groups → threat actors, intrusion sets, identities or campaigns.
    fn entities(&self, sink: &mut Sink<'_>) -> io::Result<()> {
        let actor_files: HashMap<&str, &crate::format::ActorFile> = self
            .file
            .actors
            .iter()
            .map(|a| (a.id.as_str(), a))
            .collect();
        let group_files: HashMap<&str, &crate::format::GroupFile> = self
            .file
            .groups
            .iter()
            .map(|g| (g.id.as_str(), g))
            .collect();
        for (i, e) in self.case.entities.iter().enumerate() {
            let key = format!("entity:{}", e.id);
            let Named { kind, id } = self.entities[i].clone();
            let created = self.created_of_name(&e.id);
            let mut o = match e.kind {
                EntityKind::Actor(_) => {
                    let a = actor_files[e.id.as_str()];
                    let mut o = self.base(&kind, id, &key, &created, || digest(a));
                    o.insert(Key::XAttribActor, record(a));
                    o
                }
                EntityKind::Group(_) => {
                    let g = group_files[e.id.as_str()];
                    let mut o = self.base(&kind, id, &key, &created, || digest(g));
                    o.insert(Key::XAttribGroup, record(g));
                    o
                }
            };
            o.insert(Key::Name, e.name.as_str());
            if let Some(d) = &e.description {
                o.insert(Key::Description, d);
            }
            self.imported_author(&mut o, &key);
            entity_fields(&mut o, &kind, e);
            self.extend(&mut o);
            sink.object(o)?;
        }
        Ok(())
    }

    /// Incidents → incidents or campaigns.
    fn incidents(&self, sink: &mut Sink<'_>) -> io::Result<()> {
        let file = self.file;
        for (ii, i) in file.incidents.iter().enumerate() {
            let key = format!("incident:{}", i.id);
            let Named { kind, id } = self.incidents[ii].clone();
            // The model's incidents are the file's, in its order.
            let start = self.case.incidents[ii].start.map(day_stamp);
            let created = self.incident_spoken_of(ii);
            let mut o = self.base(&kind, id, &key, &created, || digest(i));
            o.insert(Key::Name, i.name.as_str());
            self.imported_author(&mut o, &key);
            if let Some(d) = &i.description {
                o.insert(Key::Description, d);
            }
            if kind == "campaign" {
                if !i.aliases.is_empty() {
                    o.insert(Key::Aliases, i.aliases.clone());
                }
                if let Some(t) = &start {
                    o.insert(Key::FirstSeen, t.clone());
                }
                // The end of the last day of its end's period (the case keeps days, and a
                // producer's `last_seen` that day was no later), never before it was first seen.
                if let Some(end) = self.case.incidents[ii].end {
                    let day = day_stamp(end.latest_day());
                    let last = day.replace("T00:00:00.000Z", "T23:59:59.999Z");
                    o.insert(Key::LastSeen, start.map_or(last.clone(), |s| last.max(s)));
                }
            }
            let refs: Vec<Value> = (i.references.iter())
                .filter_map(|u| reference("reference", u))
                .collect();
            if !o.contains_key(Key::ExternalReferences) && !refs.is_empty() {
                o.insert(Key::ExternalReferences, Value::Array(refs));
            }
            o.insert(Key::XAttribIncident, record(i));
            self.extend(&mut o);
            sink.object(o)?;
        }
        Ok(())
    }

    /// The key of an entity's declared `part_of` relationship, if it has one that STIX can
    /// state between the two types.
    fn part_of_key(&self, from: EntityId) -> Option<String> {
        let case = self.case;
        let e = case.entity(from);
        let p = e.part_of?;
        vocab::link_type(self.entity_kind(from), self.entity_kind(p), false)?;
        Some(format!("part-of:{}:{}", e.id, case.entity(p).id))
    }

    /// Declared `part_of`s as relationships of attrib, for other tools; the importer reads
    /// them from `x_attrib_actor`.
    fn part_of(&self, sink: &mut Sink<'_>) -> io::Result<()> {
        let case = self.case;
        for (i, e) in case.entities.iter().enumerate() {
            let from = EntityId(i as u32);
            let Some(key) = self.part_of_key(from) else {
                continue;
            };
            let p = e.part_of.expect("a part_of");
            let rtype = vocab::link_type(self.entity_kind(from), self.entity_kind(p), false)
                .expect("a type");
            let created = self.case_created();
            let id = stix_id("relationship", &key);
            let mut o = self.base("relationship", id, &key, &created, String::new);
            self.mark(&mut o, &self.part_of_markings(&key, from));
            o.insert(Key::CreatedByRef, self.attrib.as_str());
            o.insert(Key::RelationshipType, rtype);
            o.insert(Key::SourceRef, self.entity_ref(from));
            o.insert(Key::TargetRef, self.entity_ref(p));
            o.insert(
                Key::Description,
                format!("{} is part of {} (declared)", e.name, case.entity(p).name),
            );
            o.insert(Key::XAttribStructural, true);
            self.extend(&mut o);
            sink.object(o)?;
        }
        Ok(())
    }

    /// The STIX ids and types of a statement's two ends: (from, its type, to, its type).
    fn ends(&self, st: Statement) -> Option<(&str, &str, &str, &str)> {
        match st {
            Statement::Responsible { incident, actor } => Some((
                self.incident_ref(incident),
                self.incident_kind(incident),
                self.entity_ref(actor),
                self.entity_kind(actor),
            )),
            Statement::Link { from: a, to: b } | Statement::SameAs { a, b } => Some((
                self.entity_ref(a),
                self.entity_kind(a),
                self.entity_ref(b),
                self.entity_kind(b),
            )),
            Statement::Condemns { .. } => None,
        }
    }

    /// How a claim is written: a claim that does not assert its statement as opinion (a
    /// denial, below even, and a claim that says nothing either way: an even chance, or
    /// Admiralty credibility 6, which forms no likelihood), self-claims and an adversary's word
    /// as notes, everything else as a relationship. A relationship is an assertion to a
    /// consumer that reads only standard STIX, whatever its `confidence`.
    ///
    /// But a claim imported from a relationship or an opinion keeps that type, whatever its
    /// likelihood: its producer's object goes out as it came, or as a later version of itself,
    /// never replaced by an object of another type under a new id, which a collection that
    /// holds the first would count beside it (a relationship of `confidence` 10 is evidence
    /// against, and was a relationship where it came from).
    fn shape_of(&self, c: &Claim) -> Shape {
        let adversary = self.case.source(c.source).kind == crate::format::SourceKind::Adversary;
        let came_as = self.came_as(&format!("claim:{}", c.id));
        let relationship = came_as == Some("relationship");
        match c.statement {
            Statement::Condemns { .. } => Shape::Condemnation,
            _ if came_as == Some("opinion") => Shape::Opinion,
            _ if !relationship && c.probability().is_none_or(|p| p <= 0.5) => Shape::Opinion,
            Statement::Responsible { .. }
                if !relationship && (c.relation == Relation::ClaimsResponsibility || adversary) =>
            {
                Shape::SelfClaim
            }
            st => {
                let (_, fk, _, tk) = self.ends(st).expect("not a condemnation");
                let rtype = match st {
                    Statement::Responsible { .. } => vocab::attribution_type(fk, tk),
                    Statement::Link { .. } => vocab::link_type(fk, tk, false),
                    _ => None,
                };
                Shape::Relationship(rtype.unwrap_or("related-to"))
            }
        }
    }

    /// How a claim is written (worked out once, by [`Out::shape_of`]).
    fn shape(&self, c: ClaimId) -> Shape {
        match self.shapes[c.0 as usize] {
            0 => Shape::SelfClaim,
            1 => Shape::Opinion,
            2 => Shape::Condemnation,
            k => Shape::Relationship(self.rtypes[usize::from(k - 3)]),
        }
    }

    /// The STIX id of a claim's object: the one it came with if of the type it is written
    /// as, else derived from its id.
    fn claim_id(&self, cid: ClaimId) -> String {
        let kind = self.shape(cid).kind();
        match self.claim_uuids[cid.0 as usize] {
            Some(uuid) => id_of(kind, uuid),
            None => self
                .rec(&format!("claim:{}", self.case.claim(cid).id))
                .and_then(|r| r.id.clone())
                .expect("a record's id"),
        }
    }

    /// The UUID a claim's object id is derived from, or none when it keeps its record's id.
    fn claim_uuid(&self, cid: ClaimId) -> Option<Uuid> {
        let kind = self.shape(cid).kind();
        let key = format!("claim:{}", self.case.claim(cid).id);
        match self.came_with(&key, kind) {
            Some(_) => None,
            None => Some(self.own_uuid(&key)),
        }
    }

    /// Every claim as an object, in claim order. Positive statements are relationships, so
    /// that the opinions of denials can point at them.
    fn claims(&self, sink: &mut Sink<'_>, plan: &Plan) -> io::Result<()> {
        let case = self.case;
        for (i, c) in case.claims.iter().enumerate() {
            let cid = ClaimId(i as u32);
            let shape = self.shape(cid);
            let id = self.claim_id(cid);
            let mut o = self.claim(c, &shape, id, self.claim_file(cid));
            if let Shape::Opinion = shape {
                // Opinions point at the attributions they disagree with, and at their two
                // ends.
                let (from, _, to, _) = self.ends(c.statement).expect("not condemnation");
                let mut refs: Vec<String> = plan.disagreed[&cid.0]
                    .iter()
                    .map(|&p| self.claim_id(p))
                    .collect();
                refs.push(from.to_string());
                refs.push(to.to_string());
                o.insert(Key::ObjectRefs, refs);
            }
            sink.object(o)?;
        }
        Ok(())
    }

    /// `created` of a claim's object.
    fn claim_created(&self, c: &Claim) -> String {
        c.date.map(day_stamp).unwrap_or_else(|| self.case_created())
    }

    /// One claim as the object of its shape, by its source, with its record.
    fn claim<'s>(&'s self, c: &'s Claim, shape: &Shape, id: String, cf: &'s ClaimFile) -> Obj<'s> {
        let key = format!("claim:{}", c.id);
        let created = self.claim_created(c);
        let rec = self.rec(&key);
        let unstated = rec.is_some_and(|r| r.confidence_unstated)
            && cf.likelihood == Some(Likelihood::Icd("likely".into()));
        let mut labels = vocab::claim_labels(cf);
        let mut o = self.base(shape.kind(), id, &key, &created, || digest(cf));
        if let Some(a) = &self.authors[c.source.0 as usize] {
            o.insert(Key::CreatedByRef, a.as_str());
        }
        match *shape {
            Shape::Relationship(rtype) => {
                self.relationship_claim(&mut o, c, rtype, unstated, &mut labels)
            }
            Shape::SelfClaim => self.self_claim(&mut o, c, &mut labels),
            Shape::Condemnation => self.condemnation(&mut o, c, &mut labels),
            Shape::Opinion => denial(&mut o, c, &mut labels),
        }
        if !labels.is_empty() {
            o.insert(Key::Labels, labels);
        }
        // Where the claim was read: its own URL, else its source's (as W102 reads it), so that a
        // consumer that sees only the relationship can still follow the citation.
        let source = self.case.source(c.source);
        let own = c.url.as_ref().filter(|u| !u.trim().is_empty());
        if !o.contains_key(Key::ExternalReferences)
            && !o.as_it_came()
            && let Some(cited) = own
                .or(source.url.as_ref())
                .and_then(|u| citation(&source.name, u))
        {
            o.insert(Key::ExternalReferences, cited);
        }
        o.insert(Key::XAttribClaim, Prop::Claim(cf));
        self.extend(&mut o);
        o
    }

    /// A positive claim: a relationship between its two ends, with the source's probability
    /// as `confidence` (unless the likelihood was only assumed on import).
    fn relationship_claim<'s>(
        &'s self,
        o: &mut Obj<'s>,
        c: &'s Claim,
        rtype: &'static str,
        unstated: bool,
        labels: &mut Vec<String>,
    ) {
        let (from, _, to, _) = self.ends(c.statement).expect("not a condemnation");
        o.insert(Key::RelationshipType, rtype);
        o.insert(Key::SourceRef, from);
        o.insert(Key::TargetRef, to);
        if let Some(w) = &c.wording {
            o.insert(Key::Description, w);
        }
        if rtype == "related-to" && c.relation != Relation::PossiblySameAs {
            labels.push(vocab::relation_label(c.relation));
        }
        if let (Some(p), false) = (c.probability(), unstated) {
            o.insert(Key::Confidence, (p * 100.0).round() as i64);
        }
        // The claim's date is its `created` (when the source said it). `start_time` is when
        // the relationship began to hold (OpenCTI's "first seen"), which no claim states.
    }

    /// A claim of responsibility, or an interested party's word on who did it: a note.
    fn self_claim<'s>(&'s self, o: &mut Obj<'s>, c: &'s Claim, labels: &mut Vec<String>) {
        let (inc, _, actor, _) = self.ends(c.statement).expect("responsibility");
        let what = if c.relation == Relation::ClaimsResponsibility {
            "claims responsibility"
        } else {
            "says who did it (a statement by an interested party)"
        };
        let source_name = &self.case.source(c.source).name;
        o.insert(Key::Abstract, format!("{source_name} {what}"));
        o.insert(
            Key::Content,
            c.wording
                .clone()
                .unwrap_or_else(|| c.relation.phrase().to_string()),
        );
        o.insert(Key::ObjectRefs, vec![inc.to_string(), actor.to_string()]);
        labels.insert(0, vocab::SELF_CLAIM.to_string());
        if let Some(p) = c.probability() {
            o.insert(Key::Confidence, (p * 100.0).round() as i64);
        }
    }

    /// A condemnation that names no one: a note on the incident.
    fn condemnation<'s>(&'s self, o: &mut Obj<'s>, c: &'s Claim, labels: &mut Vec<String>) {
        let Statement::Condemns { incident } = c.statement else {
            unreachable!("condemnations only")
        };
        let source_name = &self.case.source(c.source).name;
        o.insert(
            Key::Abstract,
            format!("{source_name} condemns the incident"),
        );
        o.insert(
            Key::Content,
            c.wording.clone().unwrap_or_else(|| "condemns".to_string()),
        );
        o.insert(
            Key::ObjectRefs,
            vec![self.incident_ref(incident).to_string()],
        );
        labels.insert(0, vocab::CONDEMNATION.to_string());
    }

    /// Restatements: a note of the restating source on its claim and the claims it restates.
    fn restatements(&self, sink: &mut Sink<'_>) -> io::Result<()> {
        let case = self.case;
        for (i, c) in case.claims.iter().enumerate() {
            if c.derived_from.is_empty() {
                continue;
            }
            let cid = ClaimId(i as u32);
            let refs: Vec<String> = std::iter::once(cid)
                .chain(c.derived_from.iter().copied())
                .map(|d| self.claim_id(d))
                .collect();
            let key = format!("restates:{}", c.id);
            // The claim object's `created`.
            let created = self
                .rec(&format!("claim:{}", c.id))
                .and_then(|r| super::record_stamp(r.created.as_deref()))
                .unwrap_or_else(|| self.claim_created(c));
            let own = self.claim_markings(cid);
            let mut o = self.base(
                "note",
                self.own_id("note", &key),
                &key,
                &created,
                String::new,
            );
            let refs_m = self.marking_refs(own);
            if !refs_m.is_empty() {
                o.set(Key::ObjectMarkingRefs, refs_m);
            }
            if let Some(a) = &self.authors[c.source.0 as usize] {
                o.insert(Key::CreatedByRef, a.as_str());
            }
            o.insert(
                Key::Abstract,
                format!("{} restates earlier claims", case.source(c.source).name),
            );
            o.insert(
                Key::Content,
                "The first object is a restatement of the others (circular reporting): it is not independent corroboration.",
            );
            o.insert(Key::ObjectRefs, refs);
            o.insert(Key::Labels, vec![vocab::RESTATES.to_string()]);
            sink.object(o)?;
        }
        Ok(())
    }

    /// The markings a judgement must carry: the most restrictive of the incident and the
    /// actor it names (its explanation quotes both names) and of the claims it rests on
    /// (`behind`, its [`Assessment::bearings`]).
    fn opinion_markings(
        &self,
        incident: IncidentId,
        actor: EntityId,
        behind: &[(ClaimId, Bearing)],
    ) -> Vec<String> {
        if self.stix.is_none() {
            return Vec::new();
        }
        let case = self.case;
        // The judgement's own record (a case file may carry one), and what it names.
        let named = [
            self.own_markings(&judgement_key(case, incident, actor)),
            self.own_markings(&format!("incident:{}", case.incident(incident).id)),
            self.own_markings(&format!("entity:{}", case.entity(actor).id)),
        ];
        let own: Vec<String> = named
            .into_iter()
            .flatten()
            .chain(behind.iter().flat_map(|&(c, _)| self.claim_markings(c)))
            .cloned()
            .collect();
        markings::most_restrictive(&own, self.marking_definitions())
    }

    /// Attrib's judgement on one hypothesis as a STIX opinion (with the extension its
    /// `x_attrib_judgement` needs), and the UUID of its id, which the case grouping lists.
    fn opinion(
        &self,
        assessment: &Assessment,
        ia: &IncidentAssessment,
        j: &Judgement,
    ) -> (Obj<'_>, Uuid) {
        let case = self.case;
        let inc = case.incident(ia.incident);
        let actor = case.entity(j.actor);
        let mut refs = vec![
            self.incident_ref(ia.incident).to_string(),
            self.entity_ref(j.actor).to_string(),
        ];
        // The claims behind it, as `Assessment::behind` lists them, without its sources.
        let behind = assessment.bearings(case, ia, j.actor);
        for &(c, _) in &behind {
            let claim = case.claim(c);
            if matches!(claim.statement, Statement::Responsible { actor, .. } if actor == j.actor)
                && let Shape::Relationship(_) = self.shape(c)
            {
                refs.push(self.claim_id(c));
            }
        }
        let key = judgement_key(case, ia.incident, j.actor);
        let created = self.judged_from(ia.incident, &[j.actor]);
        let uuid = self.own_uuid(&key);
        let mut o = self.base(
            "opinion",
            id_of("opinion", uuid),
            &key,
            &created,
            String::new,
        );
        let most = self.opinion_markings(ia.incident, j.actor, &behind);
        self.mark(&mut o, &most);
        o.insert(Key::CreatedByRef, self.attrib.as_str());
        let mut labels = Vec::new();
        if let Some(t) = j.term() {
            labels.push(vocab::likelihood_label(t));
        }
        labels.push(vocab::confidence_label(j.confidence()));
        labels.push(vocab::JUDGEMENT.to_string());
        o.insert(Key::Labels, labels);
        // On insufficient evidence attrib neither agrees nor disagrees, and has no basis to.
        let (word, confidence) = vocab::judgement_opinion(j.p(), j.term());
        o.insert(Key::Opinion, word);
        o.insert(Key::Confidence, confidence);
        o.insert(
            Key::Explanation,
            explanation(self.case, &inc.name, &actor.name, j),
        );
        o.insert(Key::ObjectRefs, refs);
        o.insert(
            Key::XAttribJudgement,
            Prop::Judgement(JudgementRecord {
                incident: &inc.id,
                actor: &actor.id,
                likelihood: j.term_word(),
                confidence: j.confidence().word(),
                p: round6(j.p()),
                belief: round6(j.opinion().belief()),
                disbelief: round6(j.opinion().disbelief()),
                uncertainty: round6(j.opinion().uncertainty()),
                lines_against: j.lines_against,
                lines_for: j.lines,
            }),
        );
        self.extend(&mut o);
        (o, uuid)
    }

    /// The key of a set of hypotheses that exclude each other: its incident and its members
    /// in id order, since the order they are listed in says nothing (`convert` and `import
    /// stix` may write them in another, and the set must keep its id).
    fn exclusive_key(&self, set: &ExclusiveSet) -> String {
        let case = self.case;
        let mut names: Vec<&str> = set
            .members
            .iter()
            .map(|m| case.entity(*m).id.as_str())
            .collect();
        names.sort_unstable();
        format!(
            "exclusive:{}:{}",
            case.incident(set.incident).id,
            names.join(",")
        )
    }

    /// Sets of hypotheses that exclude each other → groupings of the incident and its members.
    fn exclusive_sets(&self, sink: &mut Sink<'_>) -> io::Result<()> {
        let case = self.case;
        for set in &case.exclusive {
            let inc = case.incident(set.incident);
            let key = self.exclusive_key(set);
            let created = self.judged_from(set.incident, &set.members);
            let mut g = self.base(
                "grouping",
                self.own_id("grouping", &key),
                &key,
                &created,
                String::new,
            );
            self.mark(&mut g, &self.exclusive_markings(&key, set));
            g.insert(Key::CreatedByRef, self.attrib.as_str());
            g.insert(Key::Name, format!("Competing hypotheses on {}", inc.name));
            g.insert(
                Key::Description,
                set.note
                    .clone()
                    .unwrap_or_else(|| "At most one of these actors was responsible.".into()),
            );
            g.insert(Key::Context, "unspecified");
            g.insert(Key::Labels, vec![vocab::EXCLUSIVE.to_string()]);
            let mut refs = vec![self.incident_ref(set.incident).to_string()];
            refs.extend(set.members.iter().map(|m| self.entity_ref(*m).to_string()));
            g.insert(Key::ObjectRefs, refs);
            sink.object(g)?;
        }
        Ok(())
    }

    /// The case itself → a grouping of everything, marked as the most restrictive of its
    /// objects (`markings`, from the first pass), with the case's own record (its sections
    /// emptied: they travel in the objects). Its `object_refs` are derived as they are
    /// written ([`Out::each_id`]); `opinions` are the UUIDs of the judgements' ids.
    fn case_grouping<'s>(&'s self, markings: &[String], opinions: &'s [Uuid]) -> Obj<'s> {
        let created = self.case_created();
        let mut g = self.base(
            "grouping",
            self.own_id("grouping", super::CASE_GROUPING_KEY),
            super::CASE_GROUPING_KEY,
            &created,
            String::new,
        );
        self.mark(&mut g, markings);
        g.insert(Key::CreatedByRef, self.attrib.as_str());
        g.insert(Key::Name, self.file.title.as_str());
        if let Some(d) = &self.file.description {
            g.insert(Key::Description, d);
        }
        g.insert(Key::Context, "suspicious-activity");
        g.insert(
            Key::ObjectRefs,
            Prop::Refs(Box::new(move |f| self.each_id(opinions, f))),
        );
        let f = self.file;
        let meta = CaseFile {
            id: f.id.clone(),
            title: f.title.clone(),
            description: f.description.clone(),
            analyst: f.analyst.clone(),
            tlp: f.tlp.clone(),
            as_of: f.as_of.clone(),
            prior: f.prior,
            actors: Vec::new(),
            groups: Vec::new(),
            incidents: Vec::new(),
            sources: Vec::new(),
            claims: Vec::new(),
            hypotheses: f.hypotheses.clone(),
            exclusive: f.exclusive.clone(),
            // The records as the case holds them, W120 and all, so that the case comes back
            // from its own export as it was written (`Out::stix` is what the bundle used).
            stix: f.stix.clone(),
        };
        g.insert(Key::XAttribCase, record(&meta));
        self.extend(&mut g);
        g
    }
}

/// A judgement in words, for its opinion's `explanation`: the hypothesis, then its likelihood
/// and, in a sentence of its own, the confidence with its lines for and against.
fn explanation(case: &Case, incident: &str, actor: &str, j: &Judgement) -> String {
    // As the reports say it, in the sentence a reader quotes: a verdict no evidence bears on
    // read as an unqualified judgement in a platform that shows only this text.
    format!(
        "Hypothesis, on {incident}: {actor}. attrib judges that it {} (P = {}){}. Its \
         confidence in this judgement is {}: {} for and {} against, {} resting on sources \
         rated B or better.",
        crate::terms::IcdTerm::predicate_of(j.term()),
        crate::report::probability_figure(j.p()),
        crate::report::only_because(case, j, str::to_string),
        j.confidence().word(),
        crate::report::plural(j.lines, "independent line"),
        j.lines_against,
        j.strong_lines
    )
}

/// The key of attrib's judgement on a hypothesis.
fn judgement_key(case: &Case, i: IncidentId, a: EntityId) -> String {
    format!("judgement:{}:{}", case.incident(i).id, case.entity(a).id)
}

/// The fields of an actor or group that depend on the STIX type it is written as.
fn entity_fields(o: &mut Obj<'_>, kind: &str, e: &crate::model::Entity) {
    match kind {
        "identity" => {
            let class = match e.kind {
                EntityKind::Actor(ActorKind::Person) => "individual",
                _ => "organization",
            };
            o.insert(Key::IdentityClass, class);
        }
        "threat-actor" => {
            // A state sponsors; its agencies and units act for it (`roles` tells them apart,
            // where `threat_actor_types` and `resource_level` are the same for all three).
            let (types, resource, role) = match e.kind {
                EntityKind::Actor(ActorKind::State) => {
                    ("nation-state", Some("government"), Some("sponsor"))
                }
                EntityKind::Actor(ActorKind::Agency | ActorKind::MilitaryUnit) => {
                    ("nation-state", Some("government"), Some("agent"))
                }
                EntityKind::Actor(ActorKind::Person) => ("unknown", Some("individual"), None),
                EntityKind::Group(GroupKind::Persona) => ("activist", None, None),
                _ => ("unknown", None, None),
            };
            o.insert(Key::ThreatActorTypes, vec![types.to_string()]);
            if let Some(r) = resource {
                o.insert(Key::ResourceLevel, r);
            }
            if let Some(r) = role {
                o.insert(Key::Roles, vec![r.to_string()]);
            }
            if !e.aliases.is_empty() {
                o.insert(Key::Aliases, e.aliases.clone());
            }
        }
        _ => {
            if !e.aliases.is_empty() {
                o.insert(Key::Aliases, e.aliases.clone());
            }
        }
    }
}

/// A claim that does not assert its statement, as an opinion of the source: a denial, with its
/// confidence that the statement is false; a claim at an even chance, `neutral`; one that
/// forms no likelihood, `neutral` with no basis ([`vocab::NO_BASIS`]).
fn denial<'s>(o: &mut Obj<'s>, c: &'s Claim, labels: &mut Vec<String>) {
    let (word, confidence) = match c.probability() {
        Some(p) => (vocab::opinion_word(p), vocab::opinion_confidence(p)),
        // Admiralty credibility 6: the truth cannot be judged.
        None => ("neutral", vocab::NO_BASIS),
    };
    o.insert(Key::Opinion, word);
    o.insert(Key::Confidence, confidence);
    if let Some(w) = &c.wording {
        o.insert(Key::Explanation, w);
    }
    if c.relation != Relation::AttributedTo {
        labels.push(vocab::relation_label(c.relation));
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A value of an object's property, as the bundle writes it.
enum Prop<'v> {
    Str(&'v str),
    String(String),
    Int(i64),
    Bool(bool),
    Strings(Vec<String>),
    /// `[{"source_name": …, "url": …}]`: where a claim or source was read.
    Citation(&'v str, &'v str),
    Json(Value),
    /// Already laid out at the depth of a property's value (the extensions declaration).
    Raw(&'v [u8]),
    /// A claim's record, `x_attrib_claim`.
    Claim(&'v ClaimFile),
    /// A judgement's record, `x_attrib_judgement`.
    Judgement(JudgementRecord<'v>),
    /// A list of ids as long as the case (the case grouping's, a report's): derived as it is
    /// written, each handed to the writer by the function in turn, and never held.
    Refs(Box<EachRef<'v>>),
}

/// Hands every id of a list, in order, to the function it is given.
type EachRef<'v> = dyn Fn(&mut dyn FnMut(&str) -> io::Result<()>) -> io::Result<()> + 'v;

impl<'v> From<&'v str> for Prop<'v> {
    fn from(s: &'v str) -> Self {
        Prop::Str(s)
    }
}

impl<'v> From<&'v String> for Prop<'v> {
    fn from(s: &'v String) -> Self {
        Prop::Str(s)
    }
}

impl From<String> for Prop<'_> {
    fn from(s: String) -> Self {
        Prop::String(s)
    }
}

impl From<i64> for Prop<'_> {
    fn from(n: i64) -> Self {
        Prop::Int(n)
    }
}

impl From<bool> for Prop<'_> {
    fn from(b: bool) -> Self {
        Prop::Bool(b)
    }
}

impl From<Vec<String>> for Prop<'_> {
    fn from(v: Vec<String>) -> Self {
        Prop::Strings(v)
    }
}

impl From<Value> for Prop<'_> {
    fn from(v: Value) -> Self {
        Prop::Json(v)
    }
}

/// Declares [`Key`] from one list of variants and names, so that `Key::ALL` (which the
/// order test walks) and `Key::name` cannot miss a variant.
macro_rules! keys {
    ($($variant:ident => $name:literal,)*) => {
        /// The properties attrib writes, declared in the order of their names: the order
        /// serde_json writes a map's keys in, and so the order an object's properties are
        /// written in (`keys_are_declared_in_the_order_of_their_names`). Sorting an object's
        /// properties by a byte rather than by name was a tenth of the export's time.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        enum Key {
            $($variant,)*
        }

        impl Key {
            const ALL: &[Key] = &[$(Key::$variant,)*];

            fn name(self) -> &'static str {
                match self {
                    $(Key::$variant => $name,)*
                }
            }
        }
    };
}

keys! {
    Abstract => "abstract",
    Aliases => "aliases",
    Confidence => "confidence",
    Content => "content",
    Context => "context",
    Created => "created",
    CreatedByRef => "created_by_ref",
    Description => "description",
    Explanation => "explanation",
    Extensions => "extensions",
    ExternalReferences => "external_references",
    FirstSeen => "first_seen",
    Id => "id",
    IdentityClass => "identity_class",
    Labels => "labels",
    LastSeen => "last_seen",
    Modified => "modified",
    Name => "name",
    ObjectMarkingRefs => "object_marking_refs",
    ObjectRefs => "object_refs",
    Opinion => "opinion",
    Published => "published",
    RelationshipType => "relationship_type",
    ResourceLevel => "resource_level",
    Roles => "roles",
    Sectors => "sectors",
    SourceRef => "source_ref",
    SpecVersion => "spec_version",
    TargetRef => "target_ref",
    ThreatActorTypes => "threat_actor_types",
    Type => "type",
    XAttribActor => "x_attrib_actor",
    XAttribCase => "x_attrib_case",
    XAttribClaim => "x_attrib_claim",
    XAttribGroup => "x_attrib_group",
    XAttribIncident => "x_attrib_incident",
    XAttribJudgement => "x_attrib_judgement",
    XAttribSource => "x_attrib_source",
    XAttribStructural => "x_attrib_structural",
}

/// One STIX object: its properties, written with their keys in order as serde_json writes a
/// map (the bundle has always been a `serde_json::Value`'s layout), without building one.
#[derive(Default)]
struct Obj<'v> {
    props: Vec<(Key, Prop<'v>)>,
    /// The properties an imported object came with, written among attrib's in the order of
    /// their names ([`Theirs`]).
    theirs: Option<Theirs<'v>>,
    /// An imported object's recorded [`ENVELOPE`] digest, the `modified` it takes if it goes
    /// out with those properties otherwise ([`Obj::reshaped`]), and its record's markings
    /// (before `--tlp` raises them, which makes a later version of its own).
    reshape: Option<(&'v str, String, &'v [String])>,
}

/// The properties an imported object came with ([`StixObjectFile::properties`]). While the
/// case has not changed the object (it goes out under the `modified` it came with), it goes
/// out as it came: one version of an object has one content. attrib writes only what it
/// always writes its own of ([`resolved_by_attrib`]: the record's id, dates, author and
/// markings, the references, its own records); of the rest, the object's properties, and
/// none it lacked. Once the case has changed the object, attrib writes what it models, and
/// the properties it does not model ([`Held::unmodelled`]) go out as they came.
#[derive(Clone, Copy)]
struct Theirs<'v> {
    properties: &'v BTreeMap<String, Value>,
    unchanged: bool,
    held: Held,
}

impl Theirs<'_> {
    /// Whether attrib's value of a property goes out (else theirs, if they have it).
    fn ours(&self, name: &str) -> bool {
        // A name, and an actor's, group's or incident's description, are kept only where the
        // case's differ from what the object came with: the case's are theirs otherwise.
        let as_written = name == "name" || (name == "description" && self.held != Held::Read);
        // A property STIX requires of the object (an opinion's `opinion`, a report's
        // `published`) that it came without, or with a value the import did not keep: attrib's
        // goes out, so that the object stays valid STIX.
        let required = matches!(name, "opinion" | "published")
            && (self.properties.get(name)).is_none_or(|v| !super::wellformed::well_formed(name, v));
        !self.unchanged
            || resolved_by_attrib(name)
            || required
            || (as_written && !self.properties.contains_key(name))
    }

    /// Whether a property goes out as it came. A case edited by hand can hold anything here:
    /// what attrib writes its own of is never taken from it, nor a value the import would
    /// not have kept (a `revoked` that is not false, a timestamp that is none), nor a name
    /// STIX refuses.
    fn kept(&self, name: &str, value: &Value) -> bool {
        !resolved_by_attrib(name)
            && super::is_property_name(name)
            && super::wellformed::well_formed(name, value)
            && (self.unchanged || self.held.unmodelled(name))
    }
}

impl<'v> Obj<'v> {
    /// Whether the object is an imported one the case has not changed, which goes out as it
    /// came under the `modified` it came with: nothing is added to it (a citation attrib would
    /// give an object of its own), since one version of an object has one content.
    fn as_it_came(&self) -> bool {
        self.theirs.is_some_and(|t| t.unchanged)
    }

    /// Adds a property the object does not have yet.
    fn insert(&mut self, key: Key, value: impl Into<Prop<'v>>) {
        debug_assert!(!self.contains_key(key), "{key:?} set twice");
        self.props.push((key, value.into()));
    }

    /// Sets a property, replacing it if present.
    fn set(&mut self, key: Key, value: impl Into<Prop<'v>>) {
        self.remove(key);
        self.props.push((key, value.into()));
    }

    fn remove(&mut self, key: Key) {
        self.props.retain(|(k, _)| *k != key);
    }

    fn contains_key(&self, key: Key) -> bool {
        self.props.iter().any(|(k, _)| *k == key)
    }

    /// A property set as a string.
    fn get_str(&self, key: Key) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| match v {
                Prop::Str(s) => Some(*s),
                Prop::String(s) => Some(s.as_str()),
                _ => None,
            })
    }

    /// The object as a later version of itself where it goes out with its [`ENVELOPE`]
    /// otherwise than it came: one version of an object has one content, and a consumer
    /// holding the version it came as must take this one for another.
    fn reshaped(mut self) -> Self {
        if let Some((came, later, own)) = self.reshape.take() {
            let value = |name: &str| match name {
                "object_marking_refs" => (!own.is_empty()).then(|| Value::from(own.to_vec())),
                _ => self.props.iter().find(|(k, _)| k.name() == name)?.1.value(),
            };
            if envelope_digest(value) != came {
                self.set(Key::Modified, later);
            }
        }
        self
    }

    /// Writes the object as an element of the bundle's `objects` array (depth 2).
    fn write(self, w: &mut Chunked<'_>) -> io::Result<()> {
        let mut this = self.reshaped();
        this.props.sort_unstable_by_key(|(k, _)| *k);
        let Some(theirs) = this.theirs else {
            // What nearly every object takes: attrib's properties alone.
            w.write_all(b"{")?;
            for (i, (key, value)) in this.props.iter().enumerate() {
                let line: &[u8] = if i == 0 {
                    b"\n      \""
                } else {
                    b",\n      \""
                };
                w.pair(line, key.name().as_bytes())?;
                w.write_all(b"\": ")?;
                value.write(w)?;
            }
            return Self::close(w, this.props.len());
        };
        let ours = this.props.iter().filter_map(|(k, v)| {
            let name = k.name();
            match theirs.properties.get(name) {
                _ if theirs.ours(name) => Some((name, Either::Ours(v))),
                Some(t) if theirs.kept(name, t) => Some((name, Either::Theirs(t))),
                _ => None,
            }
        });
        let only_theirs = (theirs.properties.iter())
            .filter(|(name, _)| !this.props.iter().any(|(k, _)| k.name() == name.as_str()))
            .filter(|(name, value)| theirs.kept(name, value))
            .map(|(name, v)| (name.as_str(), Either::Theirs(v)));
        let mut all: Vec<(&str, Either<'_, '_>)> = ours.chain(only_theirs).collect();
        all.sort_by_key(|(name, _)| *name);
        w.write_all(b"{")?;
        for (i, (name, value)) in all.iter().enumerate() {
            w.write_all(if i == 0 { b"\n      " } else { b",\n      " })?;
            // A name the object came with is the case's text, escaped as any.
            w.json_str(name)?;
            w.write_all(b": ")?;
            match value {
                Either::Ours(value) => value.write(w)?,
                Either::Theirs(value) => nested(w, value)?,
            }
        }
        Self::close(w, all.len())
    }

    fn close(w: &mut Chunked<'_>, written: usize) -> io::Result<()> {
        if written > 0 {
            w.write_all(b"\n    ")?;
        }
        w.write_all(b"}")
    }
}

/// A property's value: attrib's, or one an imported object came with.
enum Either<'p, 'v> {
    Ours(&'p Prop<'v>),
    Theirs(&'v Value),
}

impl Prop<'_> {
    /// The value as JSON, for the properties of the [`ENVELOPE`] (the others, attrib's own
    /// records and long lists of ids, are never asked for).
    fn value(&self) -> Option<Value> {
        Some(match self {
            Prop::Str(s) => Value::from(*s),
            Prop::String(s) => Value::from(s.as_str()),
            Prop::Int(n) => Value::from(*n),
            Prop::Bool(b) => Value::from(*b),
            Prop::Strings(v) => Value::from(v.clone()),
            Prop::Citation(name, url) => serde_json::json!([{"source_name": name, "url": url}]),
            Prop::Json(v) => v.clone(),
            Prop::Raw(_) | Prop::Claim(_) | Prop::Judgement(_) | Prop::Refs(_) => return None,
        })
    }

    /// Writes the value of a property of an object of the bundle (depth 3).
    fn write(&self, w: &mut Chunked<'_>) -> io::Result<()> {
        match self {
            Prop::Str(s) => w.json_str(s),
            Prop::String(s) => w.json_str(s),
            Prop::Int(n) => serde_json::to_writer(w, n).map_err(io::Error::from),
            Prop::Bool(b) => w.write_all(if *b { b"true" } else { b"false" }),
            Prop::Strings(v) if v.is_empty() => w.write_all(b"[]"),
            Prop::Strings(v) => {
                for (i, s) in v.iter().enumerate() {
                    w.write_all(if i == 0 {
                        b"[\n        "
                    } else {
                        b",\n        "
                    })?;
                    w.json_str(s)?;
                }
                w.write_all(b"\n      ]")
            }
            Prop::Citation(name, url) => {
                w.write_all(b"[\n        {\n          \"source_name\": ")?;
                w.json_str(name)?;
                w.write_all(b",\n          \"url\": ")?;
                w.json_str(url)?;
                w.write_all(b"\n        }\n      ]")
            }
            Prop::Json(v) => nested(w, v),
            Prop::Raw(bytes) => w.write_all(bytes),
            Prop::Claim(c) => nested(w, &SortedClaim(c)),
            Prop::Judgement(j) => nested(w, j),
            Prop::Refs(each) => {
                // As `Prop::Strings` lays a list out.
                let mut first = true;
                each(&mut |id| {
                    w.write_all(if first {
                        b"[\n        "
                    } else {
                        b",\n        "
                    })?;
                    first = false;
                    w.json_str(id)
                })?;
                w.write_all(if first { b"[]" } else { b"\n      ]" })
            }
        }
    }
}

/// A value written as the value of a property of an object of the bundle (depth 3).
fn nested<T: Serialize + ?Sized>(w: &mut impl Write, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Pretty::nested(3));
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// A claim's record with its fields in the order of their names, as a `serde_json::Value`
/// of the record writes them (`x_attrib_claim` has always been written so), without
/// building one. Fields are skipped as `ClaimFile` skips them
/// (`sorted_claim_writes_the_record_as_a_value_does`).
struct SortedClaim<'v>(&'v ClaimFile);

impl Serialize for SortedClaim<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let c = self.0;
        let mut m = s.serialize_map(None)?;
        if let Some(v) = &c.confidence {
            m.serialize_entry("confidence", v)?;
        }
        if let Some(v) = &c.date {
            m.serialize_entry("date", v)?;
        }
        if !c.derived_from.is_empty() {
            m.serialize_entry("derived_from", &c.derived_from)?;
        }
        m.serialize_entry("id", &c.id)?;
        if let Some(v) = &c.likelihood {
            m.serialize_entry("likelihood", v)?;
        }
        if let Some(v) = &c.note {
            m.serialize_entry("note", v)?;
        }
        if let Some(v) = &c.object {
            m.serialize_entry("object", v)?;
        }
        m.serialize_entry("relation", &c.relation)?;
        m.serialize_entry("source", &c.source)?;
        m.serialize_entry("subject", &c.subject)?;
        if let Some(v) = &c.url {
            m.serialize_entry("url", v)?;
        }
        if let Some(v) = &c.wording {
            m.serialize_entry("wording", v)?;
        }
        m.end()
    }
}

/// attrib's judgement on a hypothesis, `x_attrib_judgement`: fields in the order of their
/// names, as it has always been written.
#[derive(Serialize)]
struct JudgementRecord<'v> {
    actor: &'v str,
    belief: f64,
    confidence: &'static str,
    disbelief: f64,
    incident: &'v str,
    likelihood: &'static str,
    lines_against: usize,
    lines_for: usize,
    p: f64,
    uncertainty: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A URL goes out as a link where a URI can be written of it, else as text that says why.
    #[test]
    fn a_reference_says_why_a_url_is_no_link() {
        let described = |url: &str| reference("NSC", url).unwrap()["description"].clone();
        assert_eq!(
            described("https://nsc.example:press/x"),
            "URL not linked (no URI can be written of it): https://nsc.example:press/x"
        );
        assert_eq!(
            described("file:///etc/passwd"),
            "URL not linked (not http, https or mailto): file:///etc/passwd"
        );
        assert_eq!(
            reference("NSC", " https://x.org/a b ").unwrap()["url"],
            "https://x.org/a%20b"
        );
        assert_eq!(reference("NSC", "  "), None);
    }

    /// What a hand-edited case's kept properties can and cannot put on an object: never
    /// attrib's own records, ids, dates, references or markings, nor a revocation or a
    /// timestamp the import would not have kept; the object's own properties while it is
    /// unchanged, and only what attrib does not model once it has changed.
    #[test]
    fn kept_properties_never_stand_in_for_what_attrib_writes() {
        let properties: BTreeMap<String, Value> = serde_json::from_value(json!({
            "x_attrib_actor": {"id": "forged"}, "id": "threat-actor--x", "modified": "2030-01-01",
            "object_marking_refs": [], "created_by_ref": "identity--x", "target_ref": "x",
            "revoked": true, "first_seen": "2022", "sophistication": "expert",
            "aliases": ["A"], "x_mitre_modified_by_ref": "identity--m",
        }))
        .unwrap();
        for unchanged in [true, false] {
            let theirs = Theirs {
                properties: &properties,
                unchanged,
                held: Held::Entity,
            };
            for (name, value) in &properties {
                let expected = match name.as_str() {
                    "sophistication" | "x_mitre_modified_by_ref" => true,
                    "aliases" => unchanged,
                    _ => false,
                };
                assert_eq!(theirs.kept(name, value), expected, "{name}, {unchanged}");
            }
            assert!(theirs.ours("id") && theirs.ours("x_attrib_actor") && theirs.ours("name"));
            assert_eq!(theirs.ours("aliases"), !unchanged);
            // attrib adds nothing an unchanged object lacked.
            assert_eq!(theirs.ours("labels"), !unchanged);
        }
        assert!(super::super::wellformed::well_formed(
            "revoked",
            &json!(false)
        ));
        assert!(super::super::wellformed::well_formed(
            "first_seen",
            &json!("2022-01-01T00:00:00Z")
        ));
    }

    #[test]
    fn keys_are_declared_in_the_order_of_their_names() {
        for pair in Key::ALL.windows(2) {
            assert!(pair[0] < pair[1], "{:?} is declared out of order", pair[1]);
            assert!(
                pair[0].name() < pair[1].name(),
                "{} sorts before {}",
                pair[1].name(),
                pair[0].name()
            );
        }
    }

    #[test]
    fn an_object_is_written_as_its_value_pretty_printed_in_the_bundle() {
        let mut o = Obj::default();
        o.insert(Key::Type, "note");
        o.insert(Key::Labels, vec!["a".to_string(), "b\"".to_string()]);
        o.insert(Key::ObjectRefs, Vec::<String>::new());
        o.insert(Key::Confidence, -3);
        o.insert(Key::XAttribStructural, true);
        o.insert(Key::ExternalReferences, Prop::Citation("n\u{1}", "u"));
        o.insert(Key::Description, json!({"b": [1, {"c": null}], "a": {}}));
        o.insert(
            Key::Aliases,
            Prop::Refs(Box::new(|f| ["x", "y\\"].into_iter().try_for_each(f))),
        );
        o.insert(Key::Sectors, Prop::Refs(Box::new(|_| Ok(()))));
        o.set(Key::Confidence, 7);
        let mut ours = Vec::new();
        let mut w = Chunked::new(&mut ours);
        o.write(&mut w).unwrap();
        w.finish().unwrap();
        let value = json!({
            "type": "note", "labels": ["a", "b\""], "object_refs": [], "confidence": 7,
            "x_attrib_structural": true,
            "external_references": [{"source_name": "n\u{1}", "url": "u"}],
            "description": {"b": [1, {"c": null}], "a": {}},
            "aliases": ["x", "y\\"], "sectors": [],
        });
        let theirs = serde_json::to_string_pretty(&json!({ "objects": [value] })).unwrap();
        let at = theirs.find("    {").unwrap();
        let end = theirs.rfind("\n  ]").unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), &theirs[at + 4..end]);
    }

    #[test]
    fn sorted_claim_writes_the_record_as_a_value_does() {
        let bare = ClaimFile {
            id: "c1".into(),
            source: "s".into(),
            date: None,
            subject: "i\n1".into(),
            relation: Relation::Condemns,
            object: None,
            wording: None,
            likelihood: None,
            confidence: None,
            url: None,
            derived_from: Vec::new(),
            note: None,
        };
        let full = ClaimFile {
            date: Some("2022-07".into()),
            relation: Relation::AttributedTo,
            object: Some("g".into()),
            wording: Some("they did".into()),
            likelihood: Some(Likelihood::Probability(0.123_456_789)),
            confidence: Some(crate::terms::Confidence::High),
            url: Some("https://example.org".into()),
            derived_from: vec!["c0".into(), "c9".into()],
            note: Some("n".into()),
            ..bare.clone()
        };
        let icd = ClaimFile {
            likelihood: Some(Likelihood::Icd("very likely".into())),
            ..full.clone()
        };
        for c in [bare, full, icd] {
            let ours = serde_json::to_string_pretty(&SortedClaim(&c)).unwrap();
            let theirs = serde_json::to_string_pretty(&record(&c)).unwrap();
            assert_eq!(ours, theirs);
        }
    }

    /// A case of one claim, a hypothesis no claim bears on, and the STIX records `records`.
    fn small_case(records: &str) -> String {
        format!(
            "Case(title: \"T\",
              actors: [Actor(id: \"a\", name: \"A\", kind: State),
                       Actor(id: \"b\", name: \"B\", kind: State)],
              incidents: [Incident(id: \"i\", name: \"I\")],
              sources: [Source(id: \"s\", name: \"S\", kind: Vendor, reliability: B)],
              claims: [Claim(id: \"c\", source: \"s\", subject: \"i\", relation: AttributedTo,
                             object: \"a\", likelihood: Icd(\"likely\"))],
              hypotheses: [Hypothesis(incident: \"i\", actor: \"b\")],
              stix: Stix(objects: {{ {records} }}))"
        )
    }

    /// The marking pass with the judgements assessed only when they can add a marking equals
    /// it with them assessed always, on every floor; and the cases where they do add one are
    /// told apart (leaving them out there would change the bundle).
    #[test]
    fn the_judgements_are_assessed_for_markings_only_when_they_can_add_one() {
        type Markings = (BTreeSet<String>, Vec<String>);
        let passes = |text: &str, floor: Option<Tlp>| -> (Markings, Markings, Markings, bool) {
            let loaded = crate::load::load(text, crate::format::Syntax::Ron).expect("loads");
            let case = &loaded.case;
            let assessment = crate::assess::stream(case, crate::assess::Request::default());
            let options = ExportOptions {
                tlp_floor: floor,
                ..ExportOptions::default()
            };
            let stix = stix_written(&loaded.file);
            let out = Out::new(&loaded.file, stix.as_deref(), case, &options);
            let (mut used, mut all) = (BTreeSet::new(), BTreeSet::new());
            out.record_markings(&mut used, &mut all);
            let records_only = out.case_markings(used.clone(), all.clone());
            let may_add = out.judgements_may_add(&all);
            out.judgement_markings(&assessment, &mut used, &mut all);
            let full = out.case_markings(used, all);
            (out.markings(&assessment), full, records_only, may_add)
        };
        let floors = [
            None,
            Some(Tlp::Clear),
            Some(Tlp::Green),
            Some(Tlp::Amber),
            Some(Tlp::AmberStrict),
            Some(Tlp::Red),
        ];
        let red = Tlp::Red.id();
        let statement = "marking-definition--3f1c6f2e-8a4b-4d2e-9c71-5b0e2a9d4c11";
        let all_red: String = [
            "attrib",
            "case",
            "source:s",
            "entity:a",
            "entity:b",
            "incident:i",
            "claim:c",
        ]
        .iter()
        .map(|k| format!("\"{k}\": Object(markings: [\"{red}\"]),"))
        .collect();
        let judgement_record = format!("\"judgement:i:b\": Object(markings: [\"{statement}\"])");
        let cases = [
            include_str!("../../tests/data/export/marked-reports.ron").to_string(),
            include_str!("../../graphs/tutorial.ron").to_string(),
            small_case(&format!("\"claim:c\": Object(markings: [\"{red}\"])")),
            small_case(&all_red),
            small_case(&judgement_record),
        ];
        for (n, text) in cases.iter().enumerate() {
            for floor in floors {
                let (decided, full, records_only, may_add) = passes(text, floor);
                assert_eq!(decided, full, "case {n}, floor {floor:?}");
                assert!(may_add || records_only == full, "case {n}, floor {floor:?}");
            }
        }
        // Every record above the floor, and a judgement resting on nothing but what names
        // it (red): the judgements are assessed, and no object carries the floor, whose
        // definition is then not listed either.
        let (_, full, records_only, may_add) = passes(&cases[3], Some(Tlp::Amber));
        assert!(may_add && !full.0.contains(Tlp::Amber.id()) && full.0.contains(red));
        assert!(!records_only.0.contains(Tlp::Amber.id()));
        // A judgement's own record is marked.
        let (_, full, records_only, may_add) = passes(&cases[4], None);
        assert!(may_add && full.0.contains(statement) && !records_only.0.contains(statement));
        // The usual case: the records decide, and the judgements are not assessed.
        assert!(!passes(&cases[0], Some(Tlp::Amber)).3);
        assert!(!passes(&cases[1], Some(Tlp::Green)).3);
    }

    #[test]
    fn day_stamps_are_the_formatted_earliest_day() {
        use crate::date::Date;
        for (year, month, day) in [
            (2022, Some(7), None),
            (7, Some(12), Some(31)),
            (1999, None, None),
        ] {
            let d = Date { year, month, day };
            assert_eq!(day_stamp(d), format!("{}T00:00:00.000Z", d.earliest_day()));
        }
    }
}
