//! Case → STIX 2.1 bundle.
//!
//! The bundle is written for a consumer that reads only standard STIX (OpenCTI, MISP): every
//! relationship is of a type, and between object types, that OpenCTI's relationship mapping
//! accepts; denials are `opinion`s of the denier, self-claims `note`s of the claimant, and
//! judgements `opinion`s of attrib stating the ICD 203 term in `labels` and the probability in
//! `confidence`. What standard fields cannot hold (grades given as track records, priors, the
//! exact case records) travels in `x_attrib_*` properties so that attrib's own import is
//! lossless. Ids are kept from the case's STIX records or derived as UUIDv5 of the case's ids,
//! and timestamps come from the case, so an unchanged case exports to the same bytes.
//!
//! The bundle is written an object at a time and no object is held once written, so that a
//! case of millions of claims exports in the memory its load takes. Everything an object
//! refers to is derivable from the case without building the object it refers to (ids come
//! from the case's ids and STIX records); what must be known before the first object is
//! written — the marking definitions listed at the head of the bundle, and the markings of
//! the case grouping — is gathered by a first pass, made only when anything can be marked.

use super::markings::{self, Tlp};
use super::vocab;
use super::{NAMESPACE, stix_id};
use crate::assess::{Assessment, IncidentAssessment, Judgement};
use crate::format::{
    ActorKind, CaseFile, ClaimFile, GroupKind, Likelihood, MarkingFile, Relation, StixObjectFile,
};
use crate::model::{
    Case, Claim, ClaimId, EntityId, EntityKind, ExclusiveSet, IncidentId, SourceId, Statement,
};
use crate::report::{Chunked, Pretty};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};

/// Choices made on the command line.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Every object is marked at least this restrictively.
    pub tlp_floor: Option<Tlp>,
}

/// `2022-07` → `2022-07-01T00:00:00.000Z`.
fn timestamp_of(date: &str) -> Option<String> {
    crate::date::Date::parse(date)
        .ok()
        .map(|d| format!("{}T00:00:00.000Z", d.earliest_day()))
}

fn record<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("plain data serialises")
}

/// A digest of an attrib record, stored on import so that export can tell whether the object
/// changed since its STIX `modified`.
pub fn digest<T: serde::Serialize>(value: &T) -> String {
    let text = serde_json::to_string(value).expect("plain data serialises");
    uuid::Uuid::new_v5(&NAMESPACE, text.as_bytes()).to_string()
}

/// Dates of the case: the earliest and latest it speaks of.
struct Clock {
    created: String,
    modified: String,
}

impl Clock {
    fn of(file: &CaseFile, dates: &Dates) -> Clock {
        let as_of = file.as_of.as_deref().and_then(timestamp_of);
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
    /// `modified` on when the content changed since), else from the case. `content` (the
    /// digest of the object's record) is computed only when the record has one to compare.
    fn stamps(
        &self,
        rec: Option<&StixObjectFile>,
        created: &str,
        content: impl FnOnce() -> String,
    ) -> (String, String) {
        let created = rec
            .and_then(|r| r.created.clone())
            .unwrap_or_else(|| created.to_string());
        let fresh = self.modified.clone().max(created.clone());
        let modified = match rec.and_then(|r| r.modified.clone()) {
            Some(m) => {
                let digest = rec.and_then(|r| r.digest.as_deref());
                if digest.is_some_and(|d| d == content()) {
                    m
                } else {
                    fresh.max(markings::later_by_a_millisecond(&m))
                }
            }
            None => fresh,
        };
        let modified = modified.max(created.clone());
        (created, modified)
    }
}

/// The dates the claims speak of: the first date each source, actor, group and incident is
/// named by a claim (for its `created`), and the earliest and latest of all.
struct Dates<'a> {
    /// By source id, as the claims write it.
    sources: HashMap<&'a str, String>,
    /// By the name a claim gives its subject or object (an actor, group or incident).
    names: HashMap<&'a str, String>,
    earliest: Option<String>,
    latest: Option<String>,
}

impl<'a> Dates<'a> {
    fn of(file: &'a CaseFile) -> Dates<'a> {
        let mut dates = Dates {
            sources: HashMap::new(),
            names: HashMap::new(),
            earliest: None,
            latest: None,
        };
        for c in &file.claims {
            let Some(t) = c.date.as_deref().and_then(timestamp_of) else {
                continue;
            };
            earlier(&mut dates.sources, &c.source, &t);
            for name in std::iter::once(&c.subject).chain(&c.object) {
                earlier(&mut dates.names, name, &t);
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
    case: &'a Case,
    clock: Clock,
    options: &'a ExportOptions,
    /// Marking definitions used, by id.
    used_markings: BTreeSet<String>,
    /// The STIX id of attrib's identity, the author of what attrib states.
    attrib: String,
    /// The STIX id of the extension definition declaring the `x_attrib_*` properties.
    extension: String,
    /// First date each object is spoken of, for `created`.
    dates: Dates<'a>,
    /// By `EntityId`.
    entities: Vec<Named>,
    /// By `IncidentId`.
    incidents: Vec<Named>,
    /// By `SourceId` (the file's order).
    sources: Vec<Named>,
    /// The identity each source's statements are `created_by`, by `SourceId`.
    authors: Vec<String>,
    /// The file's claims by id, built only if the model's claims are not in the file's order.
    claim_files: OnceCell<HashMap<&'a str, &'a ClaimFile>>,
}

impl<'a> Out<'a> {
    fn rec(&self, key: &str) -> Option<&'a StixObjectFile> {
        self.file.stix.as_ref().and_then(|s| s.objects.get(key))
    }

    /// The STIX id of an object: the one it came with if it is written as the same type,
    /// else derived from its key.
    fn id(&self, key: &str, kind: &str) -> String {
        match self.rec(key) {
            Some(StixObjectFile {
                id: Some(id),
                kind: Some(k),
                ..
            }) if k == kind => id.clone(),
            _ => stix_id(kind, key),
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
        self.rec(key)
            .and_then(|r| r.kind.clone())
            .filter(|k| writable.contains(&k.as_str()))
            .unwrap_or_else(|| default_kind.to_string())
    }

    /// The type and id of the object keyed `key`.
    fn named(&self, key: &str, default_kind: &'static str) -> Named {
        let kind = self.kind_of(key, default_kind);
        let id = self.id(key, &kind);
        Named { kind, id }
    }

    /// The marking refs of an object: its own, raised to the floor.
    fn marking_refs(&mut self, own: &[String]) -> Vec<String> {
        let refs = markings::with_floor(own, self.marking_definitions(), self.options.tlp_floor);
        self.used_markings.extend(refs.iter().cloned());
        refs
    }

    /// The markings the case's STIX record gives the object keyed `key`.
    fn own_markings(&self, key: &str) -> Vec<String> {
        self.rec(key)
            .map(|r| r.markings.clone())
            .unwrap_or_default()
    }

    fn base(
        &mut self,
        kind: &str,
        id: String,
        key: &str,
        created: &str,
        content: impl FnOnce() -> String,
    ) -> Map<String, Value> {
        let rec = self.rec(key);
        let (created, modified) = self.clock.stamps(rec, created, content);
        let mut m = Map::new();
        m.insert("type".into(), json!(kind));
        m.insert("spec_version".into(), json!("2.1"));
        m.insert("id".into(), json!(id));
        m.insert("created".into(), json!(created));
        m.insert("modified".into(), json!(modified));
        if let Some(r) = rec
            && !r.external_references.is_empty()
        {
            m.insert("external_references".into(), record(&r.external_references));
        }
        let own = rec.map_or(&[][..], |r| &r.markings[..]);
        let refs = self.marking_refs(own);
        if !refs.is_empty() {
            m.insert("object_marking_refs".into(), json!(refs));
        }
        m
    }

    /// Declares the extension on an object with `x_attrib_*` properties, as STIX 2.1 asks of
    /// custom top-level properties.
    fn extend(&self, o: &mut Map<String, Value>) {
        o.insert(
            "extensions".into(),
            json!({ self.extension.clone(): { "extension_type": "toplevel-property-extension" } }),
        );
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
    /// publication) the identity of its author.
    fn author_of(&self, s: SourceId) -> String {
        let key = format!("source:{}", self.case.source(s).id);
        if self.kind_of(&key, "identity") == "report" {
            if let Some(a) = self.rec(&key).and_then(|r| r.created_by.clone()) {
                return a;
            }
            // The family's own source is the author.
            let fam = self.case.family(self.case.source(s).family);
            return self.id(&format!("source:{fam}"), "identity");
        }
        self.id(&key, "identity")
    }

    fn claim_markings(&self, c: ClaimId) -> Vec<String> {
        if self.file.stix.is_none() {
            return Vec::new();
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
    let mut out = Out::new(file, case, options);
    let plan = out.plan(assessment);
    out.write(w, assessment, &plan)
}

/// How a claim is written in STIX.
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
    /// The positive claims (relationships, `same_as` aside) between each pair of ends that a
    /// denial disagrees with, in claim order, keyed by [`pair_key`]: a denial's opinion refers
    /// to them, wherever they stand in the bundle. Only the denials' pairs are kept.
    positive_on: HashMap<String, Vec<ClaimId>>,
    /// The markings of the case grouping: the most restrictive of every object's.
    case_markings: Vec<String>,
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

    fn object(&mut self, value: &Value) -> io::Result<()> {
        self.separate()?;
        let mut ser = serde_json::Serializer::with_formatter(&mut self.w, Pretty::nested(2));
        value.serialize(&mut ser).map_err(io::Error::from)
    }
}

/// Stands in the case grouping's `object_refs` for the ids of every object, which are written
/// in its place as they are derived, never held.
const REFS: &str = "\u{0}object_refs\u{0}";

impl<'a> Out<'a> {
    fn new(file: &'a CaseFile, case: &'a Case, options: &'a ExportOptions) -> Out<'a> {
        let dates = Dates::of(file);
        let mut out = Out {
            file,
            case,
            clock: Clock::of(file, &dates),
            options,
            used_markings: BTreeSet::new(),
            attrib: stix_id("identity", "attrib"),
            extension: stix_id("extension-definition", "attrib-properties"),
            dates,
            entities: Vec::new(),
            incidents: Vec::new(),
            sources: Vec::new(),
            authors: Vec::new(),
            claim_files: OnceCell::new(),
        };
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
        out.authors = (0..case.sources.len())
            .map(|s| out.author_of(SourceId(s as u32)))
            .collect();
        out
    }

    /// The date of the case, for what has none of its own.
    fn case_created(&self) -> String {
        self.clock.created.clone()
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
    fn marking_definitions(&self) -> &'a [MarkingFile] {
        self.file
            .stix
            .as_ref()
            .map(|s| &s.markings[..])
            .unwrap_or(&[])
    }

    /// Sets the object's marking refs to `own` raised to the floor, or removes them.
    fn mark(&mut self, o: &mut Map<String, Value>, own: &[String]) {
        let refs = self.marking_refs(own);
        if refs.is_empty() {
            o.remove("object_marking_refs");
        } else {
            o.insert("object_marking_refs".into(), json!(refs));
        }
    }

    /// The first pass: the denials' targets, and the markings when anything can be marked.
    fn plan(&mut self, assessment: &Assessment) -> Plan {
        let positive_on = self.positive_on();
        let markable = self.options.tlp_floor.is_some()
            || self
                .file
                .stix
                .as_ref()
                .is_some_and(|s| s.objects.values().any(|o| !o.markings.is_empty()));
        let case_markings = if markable {
            self.markings(assessment)
        } else {
            // Nothing marked and no floor: every object's refs are empty.
            Vec::new()
        };
        Plan {
            positive_on,
            case_markings,
        }
    }

    /// For every pair of ends a denial disagrees with, the positive claims on it.
    fn positive_on(&self) -> HashMap<String, Vec<ClaimId>> {
        let case = self.case;
        let mut on: HashMap<String, Vec<ClaimId>> = HashMap::new();
        let mut key = String::new();
        for c in &case.claims {
            if let Shape::Opinion = self.shape(c) {
                let (from, _, to, _) = self.ends(c.statement).expect("not a condemnation");
                pair_key(&mut key, from, to);
                on.entry(key.clone()).or_default();
            }
        }
        if on.is_empty() {
            return on;
        }
        for (i, c) in case.claims.iter().enumerate() {
            if let Shape::Relationship(_) = self.shape(c)
                && !matches!(c.statement, Statement::SameAs { .. })
            {
                let (from, _, to, _) = self.ends(c.statement).expect("not a condemnation");
                pair_key(&mut key, from, to);
                if let Some(claims) = on.get_mut(&key) {
                    claims.push(ClaimId(i as u32));
                }
            }
        }
        on
    }

    /// Every marking any object will carry or be given on the way (as `used_markings`, for
    /// the head of the bundle), and the case grouping's: the most restrictive of the markings
    /// the objects end up with. Computed from the records alone, without building objects.
    fn markings(&mut self, assessment: &Assessment) -> Vec<String> {
        let case = self.case;
        let mut all: BTreeSet<String> = BTreeSet::new();
        let mut keys: Vec<String> = vec!["attrib".to_string()];
        keys.extend(self.file.sources.iter().map(|s| format!("source:{}", s.id)));
        keys.extend(case.entities.iter().map(|e| format!("entity:{}", e.id)));
        keys.extend(
            self.file
                .incidents
                .iter()
                .map(|i| format!("incident:{}", i.id)),
        );
        keys.extend((0..case.entities.len()).filter_map(|e| self.part_of_key(EntityId(e as u32))));
        keys.extend(case.claims.iter().map(|c| format!("claim:{}", c.id)));
        keys.extend(case.exclusive.iter().map(|s| self.exclusive_key(s)));
        for key in keys {
            let own = self.own_markings(&key);
            all.extend(self.marking_refs(&own));
        }
        for (i, c) in case.claims.iter().enumerate() {
            if c.derived_from.is_empty() {
                continue;
            }
            let own = self.own_markings(&format!("restates:{}", c.id));
            let base = self.marking_refs(&own);
            let refs = self.marking_refs(&self.claim_markings(ClaimId(i as u32)));
            all.extend(if refs.is_empty() { base } else { refs });
        }
        for ia in assessment.each(case) {
            for j in &ia.hypotheses {
                let key = judgement_key(case, ia.incident, j.actor);
                let own = self.own_markings(&key);
                self.marking_refs(&own);
                let most = self.opinion_markings(assessment, &ia, j);
                all.extend(self.marking_refs(&most));
            }
        }
        let own = self.own_markings("case");
        self.marking_refs(&own);
        let all: Vec<String> = all.into_iter().collect();
        let most = markings::most_restrictive(&all, self.marking_definitions());
        self.marking_refs(&most);
        most
    }

    /// Writes the bundle as `serde_json::to_writer_pretty` would (keys in order: id, objects,
    /// type), an object at a time.
    fn write(
        &mut self,
        w: &mut dyn std::io::Write,
        assessment: &Assessment,
        plan: &Plan,
    ) -> std::io::Result<()> {
        let bundle_id = format!(
            "bundle--{}",
            uuid::Uuid::new_v5(&NAMESPACE, format!("bundle:{}", self.file.title).as_bytes())
        );
        let mut sink = Sink {
            w: Chunked::new(w),
            first: true,
        };
        sink.w.write_all(b"{\n  \"id\": ")?;
        serde_json::to_writer(&mut sink.w, &bundle_id)?;
        sink.w.write_all(b",\n  \"objects\": [\n")?;
        self.head(&mut sink)?;
        self.identities(&mut sink)?;
        self.entities(&mut sink)?;
        self.incidents(&mut sink)?;
        self.part_of(&mut sink)?;
        let report_refs = self.claims(&mut sink, plan)?;
        self.restatements(&mut sink)?;
        self.reports(&mut sink, report_refs)?;
        let mut opinions: Vec<(IncidentId, EntityId)> = Vec::new();
        for ia in assessment.each(self.case) {
            for j in &ia.hypotheses {
                sink.object(&self.opinion(assessment, &ia, j))?;
                opinions.push((ia.incident, j.actor));
            }
        }
        self.exclusive_sets(&mut sink)?;
        let grouping = self.case_grouping(&plan.case_markings);
        self.write_case(&mut sink, &grouping, &opinions)?;
        sink.w.write_all(b"\n  ],\n  \"type\": \"bundle\"\n}\n")?;
        sink.w.finish()
    }

    /// The head of the bundle: attrib's identity, the extension definition, and the marking
    /// definitions the objects use.
    fn head(&mut self, sink: &mut Sink<'_>) -> io::Result<()> {
        sink.object(&self.attrib_identity())?;
        let case_created = self.case_created();
        sink.object(&json!({
            "type": "extension-definition", "spec_version": "2.1", "id": self.extension,
            "created_by_ref": self.attrib, "created": case_created, "modified": case_created,
            "name": "attrib evidence records",
            "description": "Top-level x_attrib_* properties carrying attrib's evidence-case records verbatim, so that a case survives export and import unchanged. Standard STIX consumers can ignore them: every statement is also made in standard objects and fields.",
            "schema": "attrib docs/stix.md: x_attrib_case (grouping), x_attrib_source, x_attrib_actor, x_attrib_group, x_attrib_incident, x_attrib_claim (the case file's records, in its JSON form), x_attrib_structural (a declared part_of), x_attrib_judgement (a computed judgement).",
            "version": "1.0.0",
            "extension_types": ["toplevel-property-extension"],
            "extension_properties": [
                "x_attrib_case", "x_attrib_source", "x_attrib_actor", "x_attrib_group",
                "x_attrib_incident", "x_attrib_claim", "x_attrib_structural", "x_attrib_judgement",
            ],
        }))?;
        for id in &self.used_markings {
            if let Some(d) = markings::definition(id, self.marking_definitions()) {
                sink.object(&d)?;
            }
        }
        Ok(())
    }

    /// The case grouping, with the id of every object where [`REFS`] stands.
    fn write_case(
        &self,
        sink: &mut Sink<'_>,
        grouping: &Value,
        opinions: &[(IncidentId, EntityId)],
    ) -> io::Result<()> {
        let mut text = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut text, Pretty::nested(2));
        grouping.serialize(&mut ser)?;
        let marker = serde_json::to_vec(REFS)?;
        let at = memchr::memmem::find(&text, &marker).expect("the marker is in the case grouping");
        sink.separate()?;
        sink.w.write_all(&text[..at])?;
        sink.w.write_all(b"[")?;
        let mut first = true;
        self.each_id(opinions, |id| {
            sink.w
                .write_all(if first { b"\n        " } else { b",\n        " })?;
            first = false;
            serde_json::to_writer(&mut sink.w, id).map_err(io::Error::from)
        })?;
        // Never empty: attrib's identity is always there.
        sink.w.write_all(b"\n      ]")?;
        sink.w.write_all(&text[at + marker.len()..])
    }

    /// The id of every object the case grouping refers to, in the bundle's order (the head's
    /// definitions and the grouping itself aside), derived as the objects' own are.
    fn each_id(
        &self,
        opinions: &[(IncidentId, EntityId)],
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
        for c in &case.claims {
            f(&self.claim_id(c, &self.shape(c)))?;
        }
        for c in case.claims.iter().filter(|c| !c.derived_from.is_empty()) {
            f(&stix_id("note", &format!("restates:{}", c.id)))?;
        }
        for s in reports {
            f(&s.id)?;
        }
        for &(i, a) in opinions {
            f(&stix_id("opinion", &judgement_key(case, i, a)))?;
        }
        for set in &case.exclusive {
            f(&stix_id("grouping", &self.exclusive_key(set)))?;
        }
        Ok(())
    }

    /// attrib itself, the author of the judgements and of what it states for the case.
    fn attrib_identity(&mut self) -> Value {
        let (id, created) = (self.attrib.clone(), self.case_created());
        let mut o = self.base("identity", id, "attrib", &created, String::new);
        o.insert("name".into(), json!("attrib"));
        o.insert("identity_class".into(), json!("system"));
        o.insert(
            "description".into(),
            json!("Attribution reasoner that computed the judgements in this bundle."),
        );
        Value::Object(o)
    }

    /// Sources → identities; those that came from reports are written after the claims they
    /// refer to ([`Out::reports`]).
    fn identities(&mut self, sink: &mut Sink<'_>) -> io::Result<()> {
        for si in 0..self.file.sources.len() {
            if self.sources[si].kind != "report" {
                let o = self.source(si);
                sink.object(&Value::Object(o))?;
            }
        }
        Ok(())
    }

    /// The sources that came from reports, each referring to the objects of its claims
    /// (`report_refs`, by source), or to attrib, as a report must refer to something.
    fn reports(&mut self, sink: &mut Sink<'_>, report_refs: Vec<Vec<String>>) -> io::Result<()> {
        for (si, refs) in report_refs.into_iter().enumerate() {
            if self.sources[si].kind != "report" {
                continue;
            }
            let mut o = self.source(si);
            if refs.is_empty() {
                o.insert("object_refs".into(), json!([self.attrib]));
            } else {
                o.insert("object_refs".into(), json!(refs));
            }
            sink.object(&Value::Object(o))?;
        }
        Ok(())
    }

    /// One source as an identity or a report (without the report's `object_refs`).
    fn source(&mut self, si: usize) -> Map<String, Value> {
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
        let mut o = self.base(&kind, id, &key, &created, || digest(s));
        o.insert("name".into(), json!(s.name));
        if let Some(n) = &s.note {
            o.insert("description".into(), json!(n));
        }
        if !o.contains_key("external_references")
            && let Some(u) = &s.url
        {
            o.insert(
                "external_references".into(),
                json!([{ "source_name": s.name, "url": u }]),
            );
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
            o.insert("labels".into(), json!(labels));
        }
        o.insert("x_attrib_source".into(), record(s));
        self.extend(&mut o);
        if kind == "report" {
            let published = o["created"].clone();
            o.insert("published".into(), published);
            if let Some(a) = self.rec(&key).and_then(|r| r.created_by.clone()) {
                o.insert("created_by_ref".into(), json!(a));
            }
            return o;
        }
        o.insert(
            "identity_class".into(),
            json!(match s.kind {
                crate::format::SourceKind::Researcher => "individual",
                _ => "organization",
            }),
        );
        if let Some(sector) = vocab::sector(s.kind) {
            o.insert("sectors".into(), json!([sector]));
        }
        o
    }

    /// Actors and groups → threat actors, intrusion sets, identities or campaigns.
    fn entities(&mut self, sink: &mut Sink<'_>) -> io::Result<()> {
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
                    o.insert("x_attrib_actor".into(), record(a));
                    o
                }
                EntityKind::Group(_) => {
                    let g = group_files[e.id.as_str()];
                    let mut o = self.base(&kind, id, &key, &created, || digest(g));
                    o.insert("x_attrib_group".into(), record(g));
                    o
                }
            };
            o.insert("name".into(), json!(e.name));
            if let Some(d) = &e.description {
                o.insert("description".into(), json!(d));
            }
            entity_fields(&mut o, &kind, e);
            self.extend(&mut o);
            sink.object(&Value::Object(o))?;
        }
        Ok(())
    }

    /// Incidents → incidents or campaigns.
    fn incidents(&mut self, sink: &mut Sink<'_>) -> io::Result<()> {
        let file = self.file;
        for (ii, i) in file.incidents.iter().enumerate() {
            let key = format!("incident:{}", i.id);
            let Named { kind, id } = self.incidents[ii].clone();
            let created = i
                .start
                .as_deref()
                .and_then(timestamp_of)
                .unwrap_or_else(|| self.created_of_name(&i.id));
            let mut o = self.base(&kind, id, &key, &created, || digest(i));
            o.insert("name".into(), json!(i.name));
            if let Some(d) = &i.description {
                o.insert("description".into(), json!(d));
            }
            if kind == "campaign" {
                if !i.aliases.is_empty() {
                    o.insert("aliases".into(), json!(i.aliases));
                }
                if let Some(t) = i.start.as_deref().and_then(timestamp_of) {
                    o.insert("first_seen".into(), json!(t));
                }
            }
            if !o.contains_key("external_references") && !i.references.is_empty() {
                let refs: Vec<Value> = i
                    .references
                    .iter()
                    .map(|u| json!({ "source_name": "reference", "url": u }))
                    .collect();
                o.insert("external_references".into(), Value::Array(refs));
            }
            o.insert("x_attrib_incident".into(), record(i));
            self.extend(&mut o);
            sink.object(&Value::Object(o))?;
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
    fn part_of(&mut self, sink: &mut Sink<'_>) -> io::Result<()> {
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
            o.insert("created_by_ref".into(), json!(self.attrib));
            o.insert("relationship_type".into(), json!(rtype));
            o.insert("source_ref".into(), json!(self.entity_ref(from)));
            o.insert("target_ref".into(), json!(self.entity_ref(p)));
            o.insert(
                "description".into(),
                json!(format!(
                    "{} is part of {} (declared)",
                    e.name,
                    case.entity(p).name
                )),
            );
            o.insert("x_attrib_structural".into(), json!(true));
            self.extend(&mut o);
            sink.object(&Value::Object(o))?;
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

    /// How a claim is written: denials (a likelihood below even) as opinions, self-claims
    /// and an adversary's word as notes, everything else as a relationship.
    fn shape(&self, c: &Claim) -> Shape {
        let adversary = self.case.source(c.source).kind == crate::format::SourceKind::Adversary;
        match c.statement {
            Statement::Condemns { .. } => Shape::Condemnation,
            _ if c.probability().is_some_and(|p| p < 0.5) => Shape::Opinion,
            Statement::Responsible { .. }
                if c.relation == Relation::ClaimsResponsibility || adversary =>
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

    /// The STIX id of a claim's object: the one it came with if of the type it is written
    /// as, else derived from its id.
    fn claim_id(&self, c: &Claim, shape: &Shape) -> String {
        let kind = shape.kind();
        let key = format!("claim:{}", c.id);
        match self.rec(&key).and_then(|r| r.id.as_deref()) {
            Some(id) if id.strip_prefix(kind).is_some_and(|r| r.starts_with("--")) => {
                id.to_string()
            }
            _ => stix_id(kind, &key),
        }
    }

    /// Every claim as an object, in claim order. Positive statements are relationships, so
    /// that the opinions of denials can point at them. Returns, for each source written as
    /// a report, the ids of its claims' objects.
    fn claims(&mut self, sink: &mut Sink<'_>, plan: &Plan) -> io::Result<Vec<Vec<String>>> {
        let case = self.case;
        let mut report_refs: Vec<Vec<String>> = vec![Vec::new(); self.sources.len()];
        let mut key = String::new();
        for (i, c) in case.claims.iter().enumerate() {
            let cid = ClaimId(i as u32);
            let shape = self.shape(c);
            let mut o = self.claim(c, &shape, self.claim_file(cid));
            if let Shape::Opinion = shape {
                // Opinions point at the attribution they disagree with, and at its two ends.
                let (from, _, to, _) = self.ends(c.statement).expect("not condemnation");
                pair_key(&mut key, from, to);
                let mut refs: Vec<String> = plan.positive_on[&key]
                    .iter()
                    .map(|&p| {
                        let p = case.claim(p);
                        self.claim_id(p, &self.shape(p))
                    })
                    .collect();
                refs.push(from.to_string());
                refs.push(to.to_string());
                o.insert("object_refs".into(), json!(refs));
            }
            if self.sources[c.source.0 as usize].kind == "report" {
                let id = o["id"].as_str().unwrap_or_default().to_string();
                report_refs[c.source.0 as usize].push(id);
            }
            sink.object(&Value::Object(o))?;
        }
        Ok(report_refs)
    }

    /// `created` of a claim's object.
    fn claim_created(&self, c: &Claim) -> String {
        c.date
            .map(|d| format!("{}T00:00:00.000Z", d.earliest_day()))
            .unwrap_or_else(|| self.case_created())
    }

    /// One claim as the object of its shape, by its source, with its record.
    fn claim(&mut self, c: &Claim, shape: &Shape, cf: &ClaimFile) -> Map<String, Value> {
        let key = format!("claim:{}", c.id);
        let created = self.claim_created(c);
        let rec = self.rec(&key);
        let unstated = rec.is_some_and(|r| r.confidence_unstated)
            && cf.likelihood == Some(Likelihood::Icd("likely".into()));
        let mut labels = vocab::claim_labels(cf);
        let id = self.claim_id(c, shape);
        let mut o = self.base(shape.kind(), id, &key, &created, || digest(cf));
        o.insert(
            "created_by_ref".into(),
            json!(self.authors[c.source.0 as usize]),
        );
        match *shape {
            Shape::Relationship(rtype) => {
                self.relationship_claim(&mut o, c, rtype, unstated, &mut labels)
            }
            Shape::SelfClaim => self.self_claim(&mut o, c, &mut labels),
            Shape::Condemnation => self.condemnation(&mut o, c, &mut labels),
            Shape::Opinion => denial(&mut o, c, &mut labels),
        }
        if !labels.is_empty() {
            o.insert("labels".into(), json!(labels));
        }
        // Where the claim was read: its own URL, else its source's (as W102 reads it), so that a
        // consumer that sees only the relationship can still follow the citation.
        let source = self.case.source(c.source);
        let own = c.url.as_ref().filter(|u| !u.trim().is_empty());
        if let Some(u) = own.or(source.url.as_ref())
            && !o.contains_key("external_references")
        {
            let mut r = Map::new();
            r.insert("source_name".into(), json!(source.name));
            r.insert("url".into(), json!(u));
            o.insert("external_references".into(), json!([Value::Object(r)]));
        }
        o.insert("x_attrib_claim".into(), record(cf));
        self.extend(&mut o);
        o
    }

    /// A positive claim: a relationship between its two ends, with the source's probability
    /// as `confidence` (unless the likelihood was only assumed on import).
    fn relationship_claim(
        &self,
        o: &mut Map<String, Value>,
        c: &Claim,
        rtype: &str,
        unstated: bool,
        labels: &mut Vec<String>,
    ) {
        let (from, _, to, _) = self.ends(c.statement).expect("not a condemnation");
        o.insert("relationship_type".into(), json!(rtype));
        o.insert("source_ref".into(), json!(from));
        o.insert("target_ref".into(), json!(to));
        if let Some(w) = &c.wording {
            o.insert("description".into(), json!(w));
        }
        if rtype == "related-to" && c.relation != Relation::PossiblySameAs {
            labels.push(vocab::relation_label(c.relation));
        }
        if let (Some(p), false) = (c.probability(), unstated) {
            o.insert("confidence".into(), json!((p * 100.0).round() as i64));
        }
        if let Some(d) = c.date {
            o.insert(
                "start_time".into(),
                json!(format!("{}T00:00:00.000Z", d.earliest_day())),
            );
        }
    }

    /// A claim of responsibility, or an interested party's word on who did it: a note.
    fn self_claim(&self, o: &mut Map<String, Value>, c: &Claim, labels: &mut Vec<String>) {
        let (inc, _, actor, _) = self.ends(c.statement).expect("responsibility");
        let what = if c.relation == Relation::ClaimsResponsibility {
            "claims responsibility"
        } else {
            "says who did it (a statement by an interested party)"
        };
        let source_name = &self.case.source(c.source).name;
        o.insert("abstract".into(), json!(format!("{source_name} {what}")));
        o.insert(
            "content".into(),
            json!(
                c.wording
                    .clone()
                    .unwrap_or_else(|| c.relation.phrase().to_string())
            ),
        );
        o.insert("object_refs".into(), json!([inc, actor]));
        labels.insert(0, vocab::SELF_CLAIM.to_string());
        if let Some(p) = c.probability() {
            o.insert("confidence".into(), json!((p * 100.0).round() as i64));
        }
    }

    /// A condemnation that names no one: a note on the incident.
    fn condemnation(&self, o: &mut Map<String, Value>, c: &Claim, labels: &mut Vec<String>) {
        let Statement::Condemns { incident } = c.statement else {
            unreachable!("condemnations only")
        };
        let source_name = &self.case.source(c.source).name;
        o.insert(
            "abstract".into(),
            json!(format!("{source_name} condemns the incident")),
        );
        o.insert(
            "content".into(),
            json!(c.wording.clone().unwrap_or_else(|| "condemns".to_string())),
        );
        o.insert("object_refs".into(), json!([self.incident_ref(incident)]));
        labels.insert(0, vocab::CONDEMNATION.to_string());
    }

    /// Restatements: a note of the restating source on its claim and the claims it restates.
    fn restatements(&mut self, sink: &mut Sink<'_>) -> io::Result<()> {
        let case = self.case;
        for (i, c) in case.claims.iter().enumerate() {
            if c.derived_from.is_empty() {
                continue;
            }
            let cid = ClaimId(i as u32);
            let refs: Vec<String> = std::iter::once(cid)
                .chain(c.derived_from.iter().copied())
                .map(|d| {
                    let d = case.claim(d);
                    self.claim_id(d, &self.shape(d))
                })
                .collect();
            let key = format!("restates:{}", c.id);
            // The claim object's `created`.
            let created = self
                .rec(&format!("claim:{}", c.id))
                .and_then(|r| r.created.clone())
                .unwrap_or_else(|| self.claim_created(c));
            let own = self.claim_markings(cid);
            let mut o = self.base("note", stix_id("note", &key), &key, &created, String::new);
            let refs_m = self.marking_refs(&own);
            if !refs_m.is_empty() {
                o.insert("object_marking_refs".into(), json!(refs_m));
            }
            o.insert(
                "created_by_ref".into(),
                json!(self.authors[c.source.0 as usize]),
            );
            o.insert(
                "abstract".into(),
                json!(format!(
                    "{} restates earlier claims",
                    case.source(c.source).name
                )),
            );
            o.insert(
                "content".into(),
                json!("The first object is a restatement of the others (circular reporting): it is not independent corroboration."),
            );
            o.insert("object_refs".into(), json!(refs));
            o.insert("labels".into(), json!([vocab::RESTATES]));
            sink.object(&Value::Object(o))?;
        }
        Ok(())
    }

    /// The markings a judgement must carry: the most restrictive of the claims it rests on.
    fn opinion_markings(
        &self,
        assessment: &Assessment,
        ia: &IncidentAssessment,
        j: &Judgement,
    ) -> Vec<String> {
        if self.file.stix.is_none() {
            return Vec::new();
        }
        let (behind, _) = assessment.behind(self.case, ia, j.actor);
        let own: Vec<String> = behind
            .into_iter()
            .flat_map(|c| self.claim_markings(c))
            .collect();
        markings::most_restrictive(&own, self.marking_definitions())
    }

    /// Attrib's judgement on one hypothesis as a STIX opinion (with the extension its
    /// `x_attrib_judgement` needs).
    fn opinion(
        &mut self,
        assessment: &Assessment,
        ia: &IncidentAssessment,
        j: &Judgement,
    ) -> Value {
        let case = self.case;
        let inc = case.incident(ia.incident);
        let actor = case.entity(j.actor);
        let mut refs = vec![
            self.incident_ref(ia.incident).to_string(),
            self.entity_ref(j.actor).to_string(),
        ];
        let (behind, _) = assessment.behind(case, ia, j.actor);
        for c in behind {
            let claim = case.claim(c);
            if matches!(claim.statement, Statement::Responsible { actor, .. } if actor == j.actor) {
                let shape = self.shape(claim);
                if let Shape::Relationship(_) = shape {
                    refs.push(self.claim_id(claim, &shape));
                }
            }
        }
        let key = judgement_key(case, ia.incident, j.actor);
        let created = self.case_created();
        let mut o = self.base(
            "opinion",
            stix_id("opinion", &key),
            &key,
            &created,
            String::new,
        );
        let most = self.opinion_markings(assessment, ia, j);
        self.mark(&mut o, &most);
        o.insert("created_by_ref".into(), json!(self.attrib));
        let mut labels = Vec::new();
        if let Some(t) = j.term() {
            labels.push(vocab::likelihood_label(t));
        }
        labels.push(vocab::confidence_label(j.confidence()));
        labels.push(vocab::JUDGEMENT.to_string());
        o.insert("labels".into(), json!(labels));
        o.insert("opinion".into(), json!(vocab::opinion_word(j.p())));
        o.insert("confidence".into(), json!((j.p() * 100.0).round() as i64));
        o.insert(
            "explanation".into(),
            json!(format!(
                "Hypothesis, on {}: {}. attrib judges it {} (P = {}). Its confidence in this \
                 judgement is {}: {} for and {} against, {} resting on sources rated B or \
                 better.",
                inc.name,
                actor.name,
                j.term_word(),
                crate::report::probability_figure(j.p()),
                j.confidence().word(),
                crate::report::plural(j.lines, "independent line"),
                j.lines_against,
                j.strong_lines
            )),
        );
        o.insert("object_refs".into(), json!(refs));
        o.insert(
            "x_attrib_judgement".into(),
            json!({
                "incident": inc.id, "actor": actor.id,
                "likelihood": j.term_word(), "confidence": j.confidence().word(),
                "p": round6(j.p()), "belief": round6(j.opinion().belief()),
                "disbelief": round6(j.opinion().disbelief()),
                "uncertainty": round6(j.opinion().uncertainty()),
                "lines": j.lines,
            }),
        );
        self.extend(&mut o);
        Value::Object(o)
    }

    /// The key of a set of hypotheses that exclude each other.
    fn exclusive_key(&self, set: &ExclusiveSet) -> String {
        let case = self.case;
        let names: Vec<&str> = set
            .members
            .iter()
            .map(|m| case.entity(*m).id.as_str())
            .collect();
        format!(
            "exclusive:{}:{}",
            case.incident(set.incident).id,
            names.join(",")
        )
    }

    /// Sets of hypotheses that exclude each other → groupings of the incident and its members.
    fn exclusive_sets(&mut self, sink: &mut Sink<'_>) -> io::Result<()> {
        let case = self.case;
        for set in &case.exclusive {
            let inc = case.incident(set.incident);
            let key = self.exclusive_key(set);
            let created = self.case_created();
            let mut g = self.base(
                "grouping",
                stix_id("grouping", &key),
                &key,
                &created,
                String::new,
            );
            g.insert("created_by_ref".into(), json!(self.attrib));
            g.insert(
                "name".into(),
                json!(format!("Competing hypotheses on {}", inc.name)),
            );
            g.insert(
                "description".into(),
                json!(
                    set.note
                        .clone()
                        .unwrap_or_else(|| "At most one of these actors was responsible.".into())
                ),
            );
            g.insert("context".into(), json!("unspecified"));
            g.insert("labels".into(), json!([vocab::EXCLUSIVE]));
            let mut refs = vec![self.incident_ref(set.incident).to_string()];
            refs.extend(set.members.iter().map(|m| self.entity_ref(*m).to_string()));
            g.insert("object_refs".into(), json!(refs));
            sink.object(&Value::Object(g))?;
        }
        Ok(())
    }

    /// The case itself → a grouping of everything, marked as the most restrictive of its
    /// objects (`markings`, from the first pass), with the case's own record (its sections
    /// emptied: they travel in the objects). Its `object_refs` is [`REFS`], for
    /// [`Out::write_case`] to write.
    fn case_grouping(&mut self, markings: &[String]) -> Value {
        let created = self.case_created();
        let mut g = self.base(
            "grouping",
            stix_id("grouping", "case"),
            "case",
            &created,
            String::new,
        );
        self.mark(&mut g, markings);
        g.insert("created_by_ref".into(), json!(self.attrib));
        g.insert("name".into(), json!(self.file.title));
        if let Some(d) = &self.file.description {
            g.insert("description".into(), json!(d));
        }
        g.insert("context".into(), json!("suspicious-activity"));
        g.insert("object_refs".into(), json!(REFS));
        let f = self.file;
        let meta = CaseFile {
            title: f.title.clone(),
            description: f.description.clone(),
            analyst: f.analyst.clone(),
            as_of: f.as_of.clone(),
            prior: f.prior,
            actors: Vec::new(),
            groups: Vec::new(),
            incidents: Vec::new(),
            sources: Vec::new(),
            claims: Vec::new(),
            hypotheses: f.hypotheses.clone(),
            exclusive: f.exclusive.clone(),
            stix: f.stix.clone(),
        };
        g.insert("x_attrib_case".into(), record(&meta));
        self.extend(&mut g);
        Value::Object(g)
    }
}

/// The key of attrib's judgement on a hypothesis.
fn judgement_key(case: &Case, i: IncidentId, a: EntityId) -> String {
    format!("judgement:{}:{}", case.incident(i).id, case.entity(a).id)
}

/// The fields of an actor or group that depend on the STIX type it is written as.
fn entity_fields(o: &mut Map<String, Value>, kind: &str, e: &crate::model::Entity) {
    match kind {
        "identity" => {
            let class = match e.kind {
                EntityKind::Actor(ActorKind::Person) => "individual",
                _ => "organization",
            };
            o.insert("identity_class".into(), json!(class));
        }
        "threat-actor" => {
            let (types, resource) = match e.kind {
                EntityKind::Actor(ActorKind::State) => ("nation-state", Some("government")),
                EntityKind::Actor(ActorKind::Agency | ActorKind::MilitaryUnit) => {
                    ("nation-state", Some("government"))
                }
                EntityKind::Actor(ActorKind::Person) => ("unknown", Some("individual")),
                EntityKind::Group(GroupKind::Persona) => ("activist", None),
                _ => ("unknown", None),
            };
            o.insert("threat_actor_types".into(), json!([types]));
            if let Some(r) = resource {
                o.insert("resource_level".into(), json!(r));
            }
            if !e.aliases.is_empty() {
                o.insert("aliases".into(), json!(e.aliases));
            }
        }
        _ => {
            if !e.aliases.is_empty() {
                o.insert("aliases".into(), json!(e.aliases));
            }
        }
    }
}

/// A denial: an opinion of the source, its confidence that the attribution is false.
fn denial(o: &mut Map<String, Value>, c: &Claim, labels: &mut Vec<String>) {
    let p = c.probability().expect("denials have a probability");
    o.insert("opinion".into(), json!(vocab::opinion_word(p)));
    // The denier's confidence in its denial: that the attribution is false.
    o.insert(
        "confidence".into(),
        json!(((1.0 - p) * 100.0).round() as i64),
    );
    if let Some(w) = &c.wording {
        o.insert("explanation".into(), json!(w));
    }
    if c.relation != Relation::AttributedTo {
        labels.push(vocab::relation_label(c.relation));
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
