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

use super::markings::{self, Tlp};
use super::vocab;
use super::{NAMESPACE, stix_id};
use crate::assess::{Assessment, IncidentAssessment, Judgement};
use crate::format::{
    ActorKind, CaseFile, ClaimFile, GroupKind, Likelihood, MarkingFile, Relation, StixObjectFile,
};
use crate::model::{Case, Claim, ClaimId, EntityId, EntityKind, IncidentId, Statement};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

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
    fn of(file: &CaseFile) -> Clock {
        let dates: BTreeSet<String> = file
            .claims
            .iter()
            .filter_map(|c| c.date.as_deref().and_then(timestamp_of))
            .collect();
        let as_of = file.as_of.as_deref().and_then(timestamp_of);
        // A case with no date at all has nothing better than the Unix epoch (documented).
        let epoch = "1970-01-01T00:00:00.000Z".to_string();
        let created = dates
            .first()
            .cloned()
            .or_else(|| as_of.clone())
            .unwrap_or_else(|| epoch.clone());
        let modified = as_of
            .or_else(|| dates.last().cloned())
            .unwrap_or(epoch)
            .max(created.clone());
        Clock { created, modified }
    }

    /// `created` and `modified` of an object: from its STIX record when it has one (moving
    /// `modified` on when the content changed since), else from the case.
    fn stamps(
        &self,
        rec: Option<&StixObjectFile>,
        created: &str,
        content: &str,
    ) -> (String, String) {
        let created = rec
            .and_then(|r| r.created.clone())
            .unwrap_or_else(|| created.to_string());
        let fresh = self.modified.clone().max(created.clone());
        let modified = match rec.and_then(|r| r.modified.clone()) {
            Some(m) if rec.and_then(|r| r.digest.as_deref()) == Some(content) => m,
            Some(m) => fresh.max(markings::later_by_a_millisecond(&m)),
            None => fresh,
        };
        let modified = modified.max(created.clone());
        (created, modified)
    }
}

/// What the export knows of one case object.
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
    /// First date each object is spoken of, by key (`source:…`, `entity:…`), for `created`.
    first_seen: BTreeMap<String, String>,
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

    /// The marking refs of an object: its own, raised to the floor.
    fn marking_refs(&mut self, own: &[String]) -> Vec<String> {
        let defs = self
            .file
            .stix
            .as_ref()
            .map(|s| &s.markings[..])
            .unwrap_or(&[]);
        let refs = markings::with_floor(own, defs, self.options.tlp_floor);
        self.used_markings.extend(refs.iter().cloned());
        refs
    }

    fn base(
        &mut self,
        kind: &str,
        id: String,
        key: &str,
        created: &str,
        content: &str,
    ) -> Map<String, Value> {
        let rec = self.rec(key);
        let (created, modified) = self.clock.stamps(rec, created, content);
        let mut m = Map::new();
        m.insert("type".into(), json!(kind));
        m.insert("spec_version".into(), json!("2.1"));
        m.insert("id".into(), json!(id));
        m.insert("created".into(), json!(created));
        m.insert("modified".into(), json!(modified));
        if let Some(r) = rec {
            if !r.external_references.is_empty() {
                m.insert("external_references".into(), record(&r.external_references));
            }
            let own = r.markings.clone();
            let refs = self.marking_refs(&own);
            if !refs.is_empty() {
                m.insert("object_marking_refs".into(), json!(refs));
            }
        } else {
            let refs = self.marking_refs(&[]);
            if !refs.is_empty() {
                m.insert("object_marking_refs".into(), json!(refs));
            }
        }
        m
    }

    fn entity_key(&self, e: EntityId) -> String {
        format!("entity:{}", self.case.entity(e).id)
    }

    /// The STIX type an entity is written as.
    fn entity_kind(&self, e: EntityId) -> String {
        let default = match self.case.entity(e).kind {
            EntityKind::Actor(_) => "threat-actor",
            EntityKind::Group(_) => "intrusion-set",
        };
        self.kind_of(&self.entity_key(e), default)
    }

    fn entity_ref(&self, e: EntityId) -> String {
        let kind = self.entity_kind(e);
        self.id(&self.entity_key(e), &kind)
    }

    fn incident_ref(&self, i: IncidentId) -> String {
        let key = format!("incident:{}", self.case.incident(i).id);
        let kind = self.kind_of(&key, "incident");
        self.id(&key, &kind)
    }

    fn source_key(&self, s: crate::model::SourceId) -> String {
        format!("source:{}", self.case.source(s).id)
    }

    /// The identity a source's statements are `created_by`: itself, or for a report (a
    /// publication) the identity of its author.
    fn author_ref(&self, s: crate::model::SourceId) -> String {
        let key = self.source_key(s);
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
        self.rec(&format!("claim:{}", self.case.claim(c).id))
            .map(|r| r.markings.clone())
            .unwrap_or_default()
    }
}

/// Builds the bundle. `file` is the case as written (for lossless records), `case` and
/// `assessment` the resolved case and its judgements.
///
/// The objects are made in the bundle's order, a kind at a time: attrib's identity, the
/// sources, actors and groups, incidents, declared `part_of`s, the claims and their
/// restatements, the reports; then attrib's judgements (written as they are made, never held),
/// the groupings of exclusive sets and of the case; and at the head of the bundle the
/// extension definition and the marking definitions every object uses.
pub fn export(
    file: &CaseFile,
    case: &Case,
    assessment: &Assessment,
    options: &ExportOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut out = Out::new(file, case, options);
    let mut objects = vec![out.attrib_identity()];
    let reports = out.sources(&mut objects);
    out.entities(&mut objects);
    out.incidents(&mut objects);
    out.part_of(&mut objects);
    let (claim_objects, relationship_of) = out.claims();
    let restatements = out.restatements(&claim_objects);
    objects.extend(claim_objects.into_iter().map(|(_, o)| o));
    objects.extend(restatements);
    out.reports(&mut objects, reports);
    let opinion_markings = out.opinion_markings(assessment, &relationship_of);
    let opinions_at = objects.len();
    out.exclusive_sets(&mut objects);
    let grouping = out.case_grouping(&objects, opinion_markings, opinions_at);
    objects.push(grouping);
    let head = out.head(&mut objects);
    let bundle = Bundle {
        head,
        objects,
        opinions_at,
    };
    out.write(w, bundle, assessment, &relationship_of)
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

/// The objects made, in order, ready to be written around the opinions.
struct Bundle {
    /// The identity of attrib, the extension definition and the marking definitions.
    head: Vec<Value>,
    /// Every other object but the opinions, which are written before `objects[opinions_at]`.
    objects: Vec<Value>,
    opinions_at: usize,
}

/// First date each object is spoken of, for `created`: by the claims that name it.
fn first_seen(file: &CaseFile) -> BTreeMap<String, String> {
    let mut first_seen: BTreeMap<String, String> = BTreeMap::new();
    for c in &file.claims {
        let Some(t) = c.date.as_deref().and_then(timestamp_of) else {
            continue;
        };
        for key in [
            format!("source:{}", c.source),
            format!("entity:{}", c.subject),
            format!("incident:{}", c.subject),
        ]
        .into_iter()
        .chain(
            c.object
                .iter()
                .flat_map(|o| [format!("entity:{o}"), format!("incident:{o}")]),
        ) {
            first_seen
                .entry(key)
                .and_modify(|d| {
                    if t < *d {
                        *d = t.clone()
                    }
                })
                .or_insert_with(|| t.clone());
        }
    }
    first_seen
}

impl<'a> Out<'a> {
    fn new(file: &'a CaseFile, case: &'a Case, options: &'a ExportOptions) -> Out<'a> {
        Out {
            file,
            case,
            clock: Clock::of(file),
            options,
            used_markings: BTreeSet::new(),
            attrib: stix_id("identity", "attrib"),
            extension: stix_id("extension-definition", "attrib-properties"),
            first_seen: first_seen(file),
        }
    }

    /// The date of the case, for what has none of its own.
    fn case_created(&self) -> String {
        self.clock.created.clone()
    }

    fn created_of(&self, key: &str) -> String {
        self.first_seen
            .get(key)
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

    /// attrib itself, the author of the judgements and of what it states for the case.
    fn attrib_identity(&mut self) -> Value {
        let (id, created) = (self.attrib.clone(), self.case_created());
        let mut o = self.base("identity", id, "attrib", &created, "");
        o.insert("name".into(), json!("attrib"));
        o.insert("identity_class".into(), json!("system"));
        o.insert(
            "description".into(),
            json!("Attribution reasoner that computed the judgements in this bundle."),
        );
        Value::Object(o)
    }

    /// Sources → identities, pushed on `objects`; a source that came from a report is returned
    /// as one instead (with its id), to be written after the claims it refers to.
    fn sources(&mut self, objects: &mut Vec<Value>) -> Vec<(Map<String, Value>, String)> {
        let mut reports = Vec::new();
        for (si, s) in self.file.sources.iter().enumerate() {
            let key = format!("source:{}", s.id);
            let kind = self.kind_of(&key, "identity");
            let id = self.id(&key, &kind);
            let created = self.created_of(&key);
            let mut o = self.base(&kind, id, &key, &created, &digest(s));
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
            let source = self.case.source(crate::model::SourceId(si as u32));
            if s.family.is_some() {
                labels.push(vocab::family_label(self.case.family(source.family)));
            }
            if !labels.is_empty() {
                o.insert("labels".into(), json!(labels));
            }
            o.insert("x_attrib_source".into(), record(s));
            if kind == "report" {
                let published = o["created"].clone();
                o.insert("published".into(), published);
                if let Some(a) = self.rec(&key).and_then(|r| r.created_by.clone()) {
                    o.insert("created_by_ref".into(), json!(a));
                }
                reports.push((o, s.id.clone()));
                continue;
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
            objects.push(Value::Object(o));
        }
        reports
    }

    /// Actors and groups → threat actors, intrusion sets, identities or campaigns.
    fn entities(&mut self, objects: &mut Vec<Value>) {
        let actor_files: std::collections::HashMap<&str, &crate::format::ActorFile> = self
            .file
            .actors
            .iter()
            .map(|a| (a.id.as_str(), a))
            .collect();
        let group_files: std::collections::HashMap<&str, &crate::format::GroupFile> = self
            .file
            .groups
            .iter()
            .map(|g| (g.id.as_str(), g))
            .collect();
        for (i, e) in self.case.entities.iter().enumerate() {
            let eid = EntityId(i as u32);
            let key = self.entity_key(eid);
            let kind = self.entity_kind(eid);
            let id = self.entity_ref(eid);
            let (x_key, x_value, content) = match e.kind {
                EntityKind::Actor(_) => {
                    let a = actor_files[e.id.as_str()];
                    ("x_attrib_actor", record(a), digest(a))
                }
                EntityKind::Group(_) => {
                    let g = group_files[e.id.as_str()];
                    ("x_attrib_group", record(g), digest(g))
                }
            };
            let created = self.created_of(&key);
            let mut o = self.base(&kind, id, &key, &created, &content);
            o.insert("name".into(), json!(e.name));
            if let Some(d) = &e.description {
                o.insert("description".into(), json!(d));
            }
            entity_fields(&mut o, &kind, e);
            o.insert(x_key.into(), x_value);
            objects.push(Value::Object(o));
        }
    }

    /// Incidents → incidents or campaigns.
    fn incidents(&mut self, objects: &mut Vec<Value>) {
        for (ii, i) in self.file.incidents.iter().enumerate() {
            let key = format!("incident:{}", i.id);
            let kind = self.kind_of(&key, "incident");
            let id = self.incident_ref(IncidentId(ii as u32));
            let created = i
                .start
                .as_deref()
                .and_then(timestamp_of)
                .unwrap_or_else(|| self.created_of(&key));
            let mut o = self.base(&kind, id, &key, &created, &digest(i));
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
            objects.push(Value::Object(o));
        }
    }

    /// Declared `part_of`s as relationships of attrib, for other tools; the importer reads
    /// them from `x_attrib_actor`.
    fn part_of(&mut self, objects: &mut Vec<Value>) {
        let case = self.case;
        for (i, e) in case.entities.iter().enumerate() {
            let Some(p) = e.part_of else { continue };
            let from = EntityId(i as u32);
            let key = format!("part-of:{}:{}", e.id, case.entity(p).id);
            let Some(rtype) =
                vocab::link_type(&self.entity_kind(from), &self.entity_kind(p), false)
            else {
                continue;
            };
            let created = self.case_created();
            let id = stix_id("relationship", &key);
            let mut o = self.base("relationship", id, &key, &created, "");
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
            objects.push(Value::Object(o));
        }
    }

    /// The STIX ids and types of a statement's two ends: (from, its type, to, its type).
    fn ends(&self, st: Statement) -> Option<(String, String, String, String)> {
        match st {
            Statement::Responsible { incident, actor } => {
                let key = format!("incident:{}", self.case.incident(incident).id);
                Some((
                    self.incident_ref(incident),
                    self.kind_of(&key, "incident"),
                    self.entity_ref(actor),
                    self.entity_kind(actor),
                ))
            }
            Statement::Link { from, to } => Some((
                self.entity_ref(from),
                self.entity_kind(from),
                self.entity_ref(to),
                self.entity_kind(to),
            )),
            Statement::SameAs { a, b } => Some((
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
                    Statement::Responsible { .. } => vocab::attribution_type(&fk, &tk),
                    Statement::Link { .. } => vocab::link_type(&fk, &tk, false),
                    _ => None,
                };
                Shape::Relationship(rtype.unwrap_or("related-to"))
            }
        }
    }

    /// Every claim as an object, in claim order, and the relationship each positive claim
    /// became. Positive statements are relationships, so that the opinions of denials can
    /// point at them.
    #[allow(clippy::type_complexity)]
    fn claims(&mut self) -> (Vec<(ClaimId, Value)>, BTreeMap<ClaimId, String>) {
        let case = self.case;
        let shapes: Vec<(ClaimId, Shape)> = (0..case.claims.len())
            .map(|i| ClaimId(i as u32))
            .map(|cid| (cid, self.shape(case.claim(cid))))
            .collect();
        let claim_files: std::collections::HashMap<&str, &ClaimFile> = self
            .file
            .claims
            .iter()
            .map(|c| (c.id.as_str(), c))
            .collect();
        let mut relationship_of: BTreeMap<ClaimId, String> = BTreeMap::new();
        let mut positive_on: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        let mut claim_objects: Vec<(ClaimId, Value)> = Vec::new();
        for (cid, shape) in &shapes {
            let c = case.claim(*cid);
            let o = self.claim(c, shape, claim_files[c.id.as_str()]);
            if let Shape::Relationship(_) = shape {
                let id = o["id"].as_str().unwrap_or_default().to_string();
                relationship_of.insert(*cid, id.clone());
                if !matches!(c.statement, Statement::SameAs { .. }) {
                    let (from, _, to, _) = self.ends(c.statement).expect("not a condemnation");
                    positive_on.entry((from, to)).or_default().push(id);
                }
            }
            claim_objects.push((*cid, o));
        }
        // Opinions point at the attribution they disagree with, and at its two ends.
        for (cid, o) in &mut claim_objects {
            if o["type"] != "opinion" {
                continue;
            }
            let (from, _, to, _) = self
                .ends(case.claim(*cid).statement)
                .expect("not condemnation");
            let mut refs: Vec<String> = positive_on
                .get(&(from.clone(), to.clone()))
                .cloned()
                .unwrap_or_default();
            refs.push(from);
            refs.push(to);
            o["object_refs"] = json!(refs);
        }
        (claim_objects, relationship_of)
    }

    /// One claim as the object of its shape, by its source, with its record.
    fn claim(&mut self, c: &Claim, shape: &Shape, cf: &ClaimFile) -> Value {
        let key = format!("claim:{}", c.id);
        let created = c
            .date
            .map(|d| format!("{}T00:00:00.000Z", d.earliest_day()))
            .unwrap_or_else(|| self.case_created());
        let rec = self.rec(&key);
        let unstated = rec.is_some_and(|r| r.confidence_unstated)
            && cf.likelihood == Some(Likelihood::Icd("likely".into()));
        let mut labels = vocab::claim_labels(cf);
        let kind = match shape {
            Shape::Relationship(_) => "relationship",
            Shape::Opinion => "opinion",
            Shape::SelfClaim | Shape::Condemnation => "note",
        };
        let id = match rec.and_then(|r| r.id.clone()) {
            Some(id) if id.starts_with(&format!("{kind}--")) => id,
            _ => stix_id(kind, &key),
        };
        let mut o = self.base(kind, id, &key, &created, &digest(cf));
        o.insert("created_by_ref".into(), json!(self.author_ref(c.source)));
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
        Value::Object(o)
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
    fn restatements(&mut self, claim_objects: &[(ClaimId, Value)]) -> Vec<Value> {
        let case = self.case;
        let mut restatements: Vec<Value> = Vec::new();
        for (cid, _) in claim_objects {
            let c = case.claim(*cid);
            if c.derived_from.is_empty() {
                continue;
            }
            let refs: Vec<String> = std::iter::once(*cid)
                .chain(c.derived_from.iter().copied())
                .filter_map(|d| claim_ref(claim_objects, d))
                .collect();
            let key = format!("restates:{}", c.id);
            let created = claim_objects[cid.0 as usize].1["created"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let own = self.claim_markings(*cid);
            let mut o = self.base("note", stix_id("note", &key), &key, &created, "");
            let refs_m = self.marking_refs(&own);
            if !refs_m.is_empty() {
                o.insert("object_marking_refs".into(), json!(refs_m));
            }
            o.insert("created_by_ref".into(), json!(self.author_ref(c.source)));
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
            restatements.push(Value::Object(o));
        }
        restatements
    }

    /// The reports `sources` held back, each referring to the objects of its claims (or to
    /// attrib, as a report must refer to something).
    fn reports(&self, objects: &mut Vec<Value>, reports: Vec<(Map<String, Value>, String)>) {
        let case = self.case;
        let mut claims_of_source: BTreeMap<String, Vec<ClaimId>> = BTreeMap::new();
        for (i, c) in case.claims.iter().enumerate() {
            claims_of_source
                .entry(case.source(c.source).id.clone())
                .or_default()
                .push(ClaimId(i as u32));
        }
        let object_of_claim: std::collections::HashMap<String, String> = objects
            .iter()
            .filter_map(|x| {
                Some((
                    x["x_attrib_claim"]["id"].as_str()?.to_string(),
                    x["id"].as_str()?.to_string(),
                ))
            })
            .collect();
        for (mut o, sid) in reports {
            let refs: Vec<String> = claims_of_source
                .get(&sid)
                .into_iter()
                .flatten()
                .filter_map(|c| object_of_claim.get(&case.claim(*c).id).cloned())
                .collect();
            if refs.is_empty() {
                o.insert("object_refs".into(), json!([self.attrib]));
            } else {
                o.insert("object_refs".into(), json!(refs));
            }
            objects.push(Value::Object(o));
        }
    }

    /// Judgements → opinions of attrib: the bulk of a large bundle, so none is held. They are
    /// made as they are written, after the objects above; this first pass over them is needed
    /// only when they can carry markings (a case with a STIX section, or a TLP floor), since
    /// the markings they use are listed at the head of the bundle and marked on the case.
    fn opinion_markings(
        &mut self,
        assessment: &Assessment,
        relationship_of: &BTreeMap<ClaimId, String>,
    ) -> Vec<String> {
        let mut markings: Vec<String> = Vec::new();
        if self.file.stix.is_none() && self.options.tlp_floor.is_none() {
            return markings;
        }
        for ia in assessment.each(self.case) {
            for j in &ia.hypotheses {
                let o = self.opinion(assessment, &ia, j, relationship_of);
                markings.extend(
                    o["object_marking_refs"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(str::to_string)),
                );
                markings.sort();
                markings.dedup();
            }
        }
        markings
    }

    /// Sets of hypotheses that exclude each other → groupings of the incident and its members.
    fn exclusive_sets(&mut self, objects: &mut Vec<Value>) {
        let case = self.case;
        for set in &case.exclusive {
            let inc = case.incident(set.incident);
            let names: Vec<&str> = set
                .members
                .iter()
                .map(|m| case.entity(*m).id.as_str())
                .collect();
            let key = format!("exclusive:{}:{}", inc.id, names.join(","));
            let created = self.case_created();
            let mut g = self.base("grouping", stix_id("grouping", &key), &key, &created, "");
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
            let mut refs = vec![self.incident_ref(set.incident)];
            refs.extend(set.members.iter().map(|m| self.entity_ref(*m)));
            g.insert("object_refs".into(), json!(refs));
            objects.push(Value::Object(g));
        }
    }

    /// The case itself → a grouping of everything, marked as the most restrictive of its
    /// objects, with the case's own record (its sections emptied: they travel in the objects).
    fn case_grouping(
        &mut self,
        objects: &[Value],
        opinion_markings: Vec<String>,
        opinions_at: usize,
    ) -> Value {
        let created = self.case_created();
        let mut g = self.base(
            "grouping",
            stix_id("grouping", "case"),
            "case",
            &created,
            "",
        );
        let all: Vec<String> = objects
            .iter()
            .flat_map(|o| {
                o["object_marking_refs"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|v| v.as_str().map(str::to_string))
            .chain(opinion_markings)
            .collect();
        let most = markings::most_restrictive(&all, self.marking_definitions());
        self.mark(&mut g, &most);
        g.insert("created_by_ref".into(), json!(self.attrib));
        g.insert("name".into(), json!(self.file.title));
        if let Some(d) = &self.file.description {
            g.insert("description".into(), json!(d));
        }
        g.insert("context".into(), json!("suspicious-activity"));
        // The opinions' ids are written where the marker stands, as the opinions are (see
        // `write_case`).
        let mut refs: Vec<Value> = objects.iter().map(|o| o["id"].clone()).collect();
        refs.insert(opinions_at, json!(OPINIONS));
        g.insert("object_refs".into(), Value::Array(refs));
        let mut meta = self.file.clone();
        meta.actors.clear();
        meta.groups.clear();
        meta.incidents.clear();
        meta.sources.clear();
        meta.claims.clear();
        g.insert("x_attrib_case".into(), record(&meta));
        Value::Object(g)
    }

    /// The head of the bundle: attrib's identity (taken from `objects`), the extension
    /// definition, and the marking definitions the objects use. Every object with `x_attrib_*`
    /// properties declares the extension, as STIX 2.1 asks of custom top-level properties.
    fn head(&self, objects: &mut Vec<Value>) -> Vec<Value> {
        let mut marking_objects: Vec<Value> = self
            .used_markings
            .iter()
            .filter_map(|id| markings::definition(id, self.marking_definitions()))
            .collect();
        for o in objects.iter_mut() {
            if let Value::Object(m) = o
                && m.keys().any(|k| k.starts_with("x_attrib_"))
            {
                m.insert(
                    "extensions".into(),
                    json!({ self.extension.clone(): { "extension_type": "toplevel-property-extension" } }),
                );
            }
        }
        let case_created = self.case_created();
        let mut head = vec![
            objects.remove(0),
            json!({
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
            }),
        ];
        head.append(&mut marking_objects);
        head
    }

    /// Writes the bundle as `serde_json::to_writer_pretty` would (keys in order: id, objects,
    /// type), an object at a time: the head, the objects before the opinions, each opinion as
    /// it is made, then the rest, the case grouping with the opinions' ids.
    fn write(
        &mut self,
        w: &mut dyn std::io::Write,
        bundle: Bundle,
        assessment: &Assessment,
        relationship_of: &BTreeMap<ClaimId, String>,
    ) -> std::io::Result<()> {
        let case = self.case;
        let bundle_id = format!(
            "bundle--{}",
            uuid::Uuid::new_v5(&NAMESPACE, format!("bundle:{}", self.file.title).as_bytes())
        );
        let mut w = crate::report::Chunked::new(w);
        let mut scratch = Vec::new();
        w.write_all(b"{\n  \"id\": ")?;
        serde_json::to_writer(&mut w, &bundle_id)?;
        w.write_all(b",\n  \"objects\": [\n")?;
        let mut first = true;
        let mut opinions: Vec<(IncidentId, EntityId)> = Vec::new();
        let mut rest = bundle.objects.into_iter();
        let before = rest.by_ref().take(bundle.opinions_at - 1);
        for o in bundle.head.into_iter().chain(before) {
            write_object(&mut w, &o, &mut first, &mut scratch)?;
        }
        for ia in assessment.each(case) {
            for j in &ia.hypotheses {
                let o = self.opinion(assessment, &ia, j, relationship_of);
                write_object(&mut w, &o, &mut first, &mut scratch)?;
                opinions.push((ia.incident, j.actor));
            }
        }
        for o in rest {
            if o["type"] == "grouping" && o["id"] == stix_id("grouping", "case") {
                write_case(&mut w, &o, case, &opinions, &mut scratch)?;
            } else {
                write_object(&mut w, &o, &mut first, &mut scratch)?;
            }
        }
        w.write_all(b"\n  ],\n  \"type\": \"bundle\"\n}\n")?;
        w.finish()
    }

    /// Attrib's judgement on one hypothesis as a STIX opinion (with the extension its
    /// `x_attrib_judgement` needs).
    fn opinion(
        &mut self,
        assessment: &Assessment,
        ia: &IncidentAssessment,
        j: &Judgement,
        relationship_of: &BTreeMap<ClaimId, String>,
    ) -> Value {
        let case = self.case;
        let inc = case.incident(ia.incident);
        let actor = case.entity(j.actor);
        let mut refs = vec![self.incident_ref(ia.incident), self.entity_ref(j.actor)];
        let (behind, _) = assessment.behind(case, ia, j.actor);
        let mut own: Vec<String> = Vec::new();
        for c in behind {
            own.extend(self.claim_markings(c));
            if let Some(r) = relationship_of.get(&c)
                && matches!(case.claim(c).statement, Statement::Responsible { actor, .. } if actor == j.actor)
            {
                refs.push(r.clone());
            }
        }
        let key = format!("judgement:{}:{}", inc.id, actor.id);
        let created = self.case_created();
        let mut o = self.base("opinion", stix_id("opinion", &key), &key, &created, "");
        let most = markings::most_restrictive(&own, self.marking_definitions());
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
        o.insert(
            "extensions".into(),
            json!({ self.extension.clone(): { "extension_type": "toplevel-property-extension" } }),
        );
        Value::Object(o)
    }
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

/// Stands in the case grouping's `object_refs` for the opinions' ids, which are never held
/// as values.
const OPINIONS: &str = "\u{0}opinions\u{0}";

/// Writes one object of the bundle's `objects` array, indented as in the whole bundle
/// pretty-printed (JSON strings hold no raw newline, so every newline is indentation).
fn write_object(
    w: &mut impl Write,
    value: &Value,
    first: &mut bool,
    scratch: &mut Vec<u8>,
) -> std::io::Result<()> {
    scratch.clear();
    serde_json::to_writer_pretty(&mut *scratch, value)?;
    w.write_all(if *first { b"    " } else { b",\n    " })?;
    *first = false;
    indented(w, scratch)
}

fn indented(w: &mut impl Write, text: &[u8]) -> std::io::Result<()> {
    let mut rest = text;
    while let Some(i) = memchr::memchr(b'\n', rest) {
        w.write_all(&rest[..=i])?;
        w.write_all(b"    ")?;
        rest = &rest[i + 1..];
    }
    w.write_all(rest)
}

/// The case grouping, with the opinions' ids where [`OPINIONS`] stands.
fn write_case(
    w: &mut impl Write,
    value: &Value,
    case: &Case,
    opinions: &[(IncidentId, EntityId)],
    scratch: &mut Vec<u8>,
) -> std::io::Result<()> {
    scratch.clear();
    serde_json::to_writer_pretty(&mut *scratch, value)?;
    w.write_all(b",\n    ")?;
    let marker = serde_json::to_vec(OPINIONS)?;
    let at = memchr::memmem::find(scratch, &marker).expect("the marker is in the case grouping");
    let (before, after) = (&scratch[..at], &scratch[at + marker.len()..]);
    if opinions.is_empty() {
        // Drop the marker's line: its indentation before it, and the comma after it or the
        // one before it.
        let line = before
            .iter()
            .rposition(|&b| b == b'\n')
            .expect("an array element");
        if let Some(after) = after.strip_prefix(b",") {
            indented(w, &before[..line])?;
            return indented(w, after);
        }
        let comma = before[..line]
            .iter()
            .rposition(|&b| b == b',')
            .expect("an element before");
        indented(w, &before[..comma])?;
        indented(w, &before[comma + 1..line])?;
        return indented(w, after);
    }
    indented(w, before)?;
    for (k, &(i, a)) in opinions.iter().enumerate() {
        if k > 0 {
            w.write_all(b",\n        ")?;
        }
        let key = format!("judgement:{}:{}", case.incident(i).id, case.entity(a).id);
        serde_json::to_writer(&mut *w, &stix_id("opinion", &key))?;
    }
    indented(w, after)
}

/// Claim objects are in claim order: a claim's object is at its index.
fn claim_ref(objects: &[(ClaimId, Value)], c: ClaimId) -> Option<String> {
    objects
        .get(c.0 as usize)
        .and_then(|(_, o)| o["id"].as_str().map(str::to_string))
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
