//! STIX 2.1 bundle → evidence case.
//!
//! Objects attrib has a meaning for become entities, incidents, sources and claims; everything
//! else (malware, indicators, attack patterns, custom types) is skipped and counted, never
//! fatal. A malformed object among the mapped ones is an error naming its id and field. The
//! mapping is documented in `docs/stix.md`.

use super::markings::{self, Tlp};
use super::{slug, vocab};
use crate::format::*;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Choices the bundle cannot make for the analyst.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Reliability given to every source the bundle names (STIX has no such field).
    pub reliability: Grade,
    /// Case title when the bundle carries none.
    pub title: String,
    /// How `confidence` is read.
    pub confidence: ConfidenceReading,
}

/// What a STIX `confidence` (0–100) on an assertion means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConfidenceReading {
    /// The STIX 2.1 normative reading: a probability-like scale, n → n/100 (below 50 is
    /// evidence against).
    #[default]
    Probability,
    /// The strength of the assertion, as many platform feeds use it: n → 0.5 + 0.49·n/100,
    /// never evidence against.
    Strength,
}

/// What the importer made of a bundle.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The imported case, not yet normalised.
    pub file: CaseFile,
    /// Objects turned into part of the case, by STIX type.
    pub imported: BTreeMap<String, usize>,
    /// Objects left out, by type (and relationship type), with the reason in the key.
    pub skipped: BTreeMap<String, usize>,
    /// What could not be imported as it was, one line each.
    pub warnings: Vec<String>,
}

/// A bundle that cannot be imported; the message names the object and the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

type Obj = Map<String, Value>;

/// A statement found in the bundle, made a claim once every end is known: (STIX id, object,
/// subject, relation, object, notes on how its ends were resolved).
type Pending<'a> = (
    String,
    &'a Obj,
    String,
    Relation,
    Option<String>,
    Vec<String>,
);

fn text<'a>(o: &'a Obj, field: &str) -> Option<&'a str> {
    o.get(field).and_then(Value::as_str)
}

fn id_of(o: &Obj) -> &str {
    text(o, "id").unwrap_or("?")
}

/// A required string field, or an error naming the object and the field.
fn required<'a>(o: &'a Obj, field: &str) -> Result<&'a str, ImportError> {
    match o.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(ImportError(format!(
            "{}: field `{field}` must be a non-empty string",
            id_of(o)
        ))),
        None => Err(ImportError(format!(
            "{}: missing field `{field}`",
            id_of(o)
        ))),
    }
}

fn strings(o: &Obj, field: &str) -> Result<Vec<String>, ImportError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    ImportError(format!("{}: `{field}` must be a list of strings", id_of(o)))
                })
            })
            .collect(),
        Some(_) => Err(ImportError(format!(
            "{}: `{field}` must be a list of strings",
            id_of(o)
        ))),
    }
}

/// `2022-09-07T00:00:00.000Z` → `2022-09-07`, if it is a real date.
fn date_of(o: &Obj, field: &str) -> Option<String> {
    let t = text(o, field)?;
    let d = t.get(..10)?;
    crate::date::Date::parse(d).ok().map(|_| d.to_string())
}

fn first_url(o: &Obj) -> Option<String> {
    o.get("external_references")?
        .as_array()?
        .iter()
        .find_map(|r| r.get("url").and_then(Value::as_str))
        .map(str::to_string)
}

/// attrib's own records, embedded by `export stix`.
fn record<T: serde::de::DeserializeOwned>(o: &Obj, field: &str) -> Result<Option<T>, ImportError> {
    match o.get(field) {
        None => Ok(None),
        Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| {
            ImportError(format!(
                "{}: `{field}` is not an attrib record: {e}",
                id_of(o)
            ))
        }),
    }
}

const MAPPED: [&str; 10] = [
    "opinion",
    "identity",
    "threat-actor",
    "intrusion-set",
    "campaign",
    "incident",
    "report",
    "relationship",
    "note",
    "grouping",
];

/// Allocates readable, unique ids in one namespace.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    /// The next suffix to try for each base, so that many objects sharing one name cost
    /// linear time, not a probe from `-2` each time.
    next: HashMap<String, usize>,
}

impl Ids {
    fn take(&mut self, wanted: &str, fallback: &str) -> String {
        let base = {
            let s = slug(wanted);
            if s.is_empty() {
                fallback.to_string()
            } else {
                s
            }
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }

    fn reserve(&mut self, id: &str) -> bool {
        self.used.insert(id.to_string())
    }
}

/// Whether the part after `--` is a UUID (STIX 2.1 §2.9 requires `type--UUID`).
fn uuid_ok(id: &str) -> bool {
    id.split_once("--")
        .is_some_and(|(_, u)| uuid::Uuid::parse_str(u).is_ok() && u.len() == 36)
}

/// Fractional seconds padded so that two timestamps compare as text.
fn time_key(t: &str) -> String {
    let t = t.trim_end_matches('Z');
    match t.split_once('.') {
        Some((a, f)) => format!("{a}.{f:0<9}"),
        None => format!("{t}.000000000"),
    }
}

fn labels(o: &Obj) -> Vec<&str> {
    o.get("labels")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn external_references(o: &Obj) -> Vec<ExternalReferenceFile> {
    o.get("external_references")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| {
                    let s = |f: &str| r.get(f).and_then(Value::as_str).map(str::to_string);
                    Some(ExternalReferenceFile {
                        source_name: s("source_name")?,
                        external_id: s("external_id"),
                        url: s("url"),
                        description: s("description"),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The STIX record of an imported object.
fn stix_record(o: &Obj) -> StixObjectFile {
    let mut markings: Vec<String> = o
        .get("object_marking_refs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    markings.sort();
    StixObjectFile {
        id: text(o, "id").map(str::to_string),
        kind: text(o, "type").map(str::to_string),
        created: text(o, "created").map(str::to_string),
        modified: text(o, "modified").map(str::to_string),
        digest: None,
        created_by: text(o, "created_by_ref").map(str::to_string),
        markings,
        external_references: external_references(o),
        confidence_unstated: false,
    }
}

/// A likelihood from a STIX `confidence` and the labels next to it.
fn likelihood_of(
    o: &Obj,
    sid: &str,
    reading: ConfidenceReading,
) -> Result<(Option<Likelihood>, Option<Confidence>), ImportError> {
    let ls = labels(o);
    let confidence = ls.iter().find_map(|l| vocab::parse_confidence(l));
    if let Some(t) = ls.iter().find_map(|l| vocab::parse_likelihood(l)) {
        return Ok((Some(Likelihood::Icd(t.word().to_string())), confidence));
    }
    if let Some(n) = ls.iter().find_map(|l| vocab::parse_credibility(l)) {
        return Ok((Some(Likelihood::Admiralty(n)), confidence));
    }
    match o.get("confidence") {
        None => Ok((None, confidence)),
        Some(v) => match v.as_i64() {
            Some(n) if (0..=100).contains(&n) => Ok((
                Some(match reading {
                    ConfidenceReading::Probability => Likelihood::Stix(n),
                    ConfidenceReading::Strength => Likelihood::Probability(
                        ((0.5 + 0.49 * n as f64 / 100.0) * 1e4).round() / 1e4,
                    ),
                }),
                confidence,
            )),
            _ => Err(ImportError(format!(
                "{sid}: field `confidence` must be an integer from 0 to 100, found {v}"
            ))),
        },
    }
}

/// Reads a bundle into a case; objects attrib has no meaning for are counted and skipped.
pub fn import(text_in: &str, options: &ImportOptions) -> Result<Imported, ImportError> {
    let root: Value = serde_json::from_str(text_in).map_err(|e| {
        ImportError(format!(
            "not JSON: {} (line {}, column {})",
            e.to_string().split(" at line").next().unwrap_or_default(),
            e.line(),
            e.column()
        ))
    })?;
    let bundle = root
        .as_object()
        .ok_or_else(|| ImportError("not a STIX bundle: the top level must be an object".into()))?;
    if text(bundle, "type") != Some("bundle") {
        return Err(ImportError(
            "not a STIX bundle: the top-level object's `type` must be \"bundle\"".into(),
        ));
    }
    let list = bundle
        .get("objects")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError("bundle: missing field `objects` (a list)".into()))?;

    let mut imported: BTreeMap<String, usize> = BTreeMap::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut warnings: Vec<String> = Vec::new();

    // Index the objects attrib maps, newest version of each; count the rest.
    let mut objects: BTreeMap<String, &Obj> = BTreeMap::new();
    let mut marking_defs: BTreeMap<String, MarkingFile> = BTreeMap::new();
    let mut revoked_ids: BTreeSet<String> = BTreeSet::new();
    let mut deprecated_ids: BTreeSet<String> = BTreeSet::new();
    let mut replaced_by: HashMap<String, String> = HashMap::new();
    let mut versions: BTreeMap<String, usize> = BTreeMap::new();
    for (i, v) in list.iter().enumerate() {
        let o = v.as_object().ok_or_else(|| {
            ImportError(format!("object #{i} of the bundle is not a JSON object"))
        })?;
        let kind = match o.get("type") {
            Some(Value::String(t)) => t.as_str(),
            _ => {
                return Err(ImportError(format!(
                    "object #{i} ({}): missing field `type`",
                    id_of(o)
                )));
            }
        };
        let id = match o.get("id") {
            Some(Value::String(s)) => s.as_str(),
            _ => {
                return Err(ImportError(format!(
                    "object #{i} (a {kind}): missing field `id`"
                )));
            }
        };
        if !uuid_ok(id) {
            warnings.push(format!(
                "object #{i} ({id}): the part of `id` after `--` is not a UUID, as STIX 2.1 requires (imported all the same)"
            ));
        }
        // STIX 2.1 forbids empty lists; such an object is invalid, but need not stop the rest.
        for (field, value) in o {
            if value.as_array().is_some_and(Vec::is_empty) {
                warnings.push(format!(
                    "{id}: `{field}` is an empty list, which STIX 2.1 does not allow (the bundle is invalid; imported what could be)"
                ));
            }
        }
        if kind == "marking-definition" {
            if let Some(m) = markings::read(o) {
                marking_defs.insert(m.id.clone(), m);
            }
            continue;
        }
        if kind == "relationship" && text(o, "relationship_type") == Some("revoked-by") {
            if let (Some(a), Some(b)) = (text(o, "source_ref"), text(o, "target_ref")) {
                replaced_by.insert(a.to_string(), b.to_string());
            }
            *imported
                .entry("relationship revoked-by".into())
                .or_default() += 1;
            continue;
        }
        if !MAPPED.contains(&kind) {
            *skipped.entry(kind.to_string()).or_default() += 1;
            continue;
        }
        if !id.starts_with(&format!("{kind}--")) {
            return Err(ImportError(format!(
                "{id}: field `id` must start with `{kind}--` for a {kind}"
            )));
        }
        *versions.entry(id.to_string()).or_default() += 1;
        match objects.get(id) {
            // The newest `modified` wins, wherever it stands in the file.
            Some(old)
                if time_key(text(old, "modified").unwrap_or_default())
                    > time_key(text(o, "modified").unwrap_or_default()) => {}
            _ => {
                objects.insert(id.to_string(), o);
            }
        }
    }
    for (id, n) in &versions {
        if *n > 1 {
            warnings.push(format!(
                "{id}: {n} versions in the bundle; kept the newest (modified {})",
                objects
                    .get(id)
                    .and_then(|o| text(o, "modified"))
                    .unwrap_or("not stated")
            ));
        }
    }
    // Revoked and deprecated objects are left out and listed.
    objects.retain(|id, o| {
        if o.get("revoked") == Some(&Value::Bool(true)) {
            revoked_ids.insert(id.clone());
            false
        } else if o.get("x_mitre_deprecated") == Some(&Value::Bool(true)) {
            deprecated_ids.insert(id.clone());
            false
        } else {
            true
        }
    });
    for (what, ids) in [("revoked", &revoked_ids), ("deprecated", &deprecated_ids)] {
        if !ids.is_empty() {
            *skipped
                .entry("objects (revoked or deprecated)".into())
                .or_default() += ids.len();
            let list: Vec<&str> = ids.iter().map(String::as_str).collect();
            warnings.push(format!("skipped {} {what}: {}", ids.len(), list.join(", ")));
        }
    }
    // `revoked-by` chains end at the live replacement.
    let replacement = |id: &str| -> Option<String> {
        let mut cur = id.to_string();
        let mut seen = HashSet::new();
        while let Some(next) = replaced_by.get(&cur) {
            if !seen.insert(cur.clone()) {
                return None;
            }
            cur = next.clone();
        }
        (cur != id && objects.contains_key(&cur)).then_some(cur)
    };
    let red: Vec<&str> = marking_defs
        .values()
        .filter(|m| m.tlp.as_deref().and_then(Tlp::parse) == Some(Tlp::Red))
        .map(|m| m.id.as_str())
        .collect();
    if let Some(r) = red.first()
        && objects.values().any(|o| {
            o.get("object_marking_refs")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|m| m.as_str() == Some(r)))
        })
    {
        warnings.push(
            "the bundle holds TLP:RED objects: for the named recipients only; the case keeps their marking and `export stix` writes it again".into(),
        );
    }

    fn of_kind<'o, 'a>(
        objects: &'o BTreeMap<String, &'a Obj>,
        t: &'static str,
    ) -> impl Iterator<Item = (&'o str, &'a Obj)> {
        objects
            .iter()
            .filter(move |(_, o)| text(o, "type") == Some(t))
            .map(|(id, o)| (id.as_str(), *o))
    }
    let of_type = |t: &'static str| of_kind(&objects, t);
    let attrib_identity = super::stix_id("identity", "attrib");

    // Case metadata from attrib's own export.
    let mut file = CaseFile {
        title: options.title.clone(),
        description: None,
        analyst: None,
        as_of: None,
        prior: None,
        actors: vec![],
        groups: vec![],
        incidents: vec![],
        sources: vec![],
        claims: vec![],
        hypotheses: vec![],
        exclusive: vec![],
        stix: None,
    };
    let mut own_export = false;
    let mut stix = StixFile::default();
    for (_, o) in of_type("grouping") {
        if let Some(meta) = record::<CaseFile>(o, "x_attrib_case")? {
            file.title = meta.title;
            file.description = meta.description;
            file.analyst = meta.analyst;
            file.as_of = meta.as_of;
            file.prior = meta.prior;
            file.hypotheses = meta.hypotheses;
            file.exclusive = meta.exclusive;
            if let Some(s) = meta.stix {
                stix = s;
            }
            own_export = true;
            *imported.entry("grouping".into()).or_default() += 1;
        }
    }
    if !own_export {
        // attrib's export read by a tool that kept only standard properties.
        for (_, o) in of_type("grouping") {
            if text(o, "created_by_ref") == Some(&attrib_identity)
                && text(o, "context") == Some("suspicious-activity")
                && let Some(name) = text(o, "name")
            {
                file.title = name.to_string();
                file.description = text(o, "description").map(str::to_string);
                file.as_of = date_of(o, "modified");
            }
        }
    }
    if file.title == options.title
        && let Some((_, r)) = of_type("report").next()
        && of_type("report").count() == 1
        && let Some(name) = text(r, "name")
    {
        file.title = name.to_string();
    }

    // Which identities are creators (sources) and which are attributed to (actors).
    let mut creators: BTreeSet<String> = BTreeSet::new();
    let mut endpoints: BTreeSet<String> = BTreeSet::new();
    // Campaigns that an incident is attributed to act as the group behind it.
    let mut campaign_groups: BTreeSet<String> = BTreeSet::new();
    for o in objects.values() {
        if let Some(c) = text(o, "created_by_ref")
            && c != attrib_identity
        {
            creators.insert(c.to_string());
        }
    }
    for (_, o) in of_type("relationship") {
        let rtype = text(o, "relationship_type").unwrap_or_default();
        if matches!(
            rtype,
            "attributed-to" | "impersonates" | "related-to" | "duplicate-of" | "part-of"
        ) {
            for f in ["source_ref", "target_ref"] {
                if let Some(r) = text(o, f) {
                    endpoints.insert(r.to_string());
                }
            }
        }
        if rtype == "attributed-to"
            && text(o, "source_ref").is_some_and(|s| s.starts_with("incident--"))
            && let Some(t) = text(o, "target_ref")
            && t.starts_with("campaign--")
        {
            campaign_groups.insert(t.to_string());
        }
    }
    for (_, o) in of_type("opinion").chain(of_type("note")) {
        for r in strings(o, "object_refs")? {
            if r.starts_with("identity--") {
                endpoints.insert(r);
            }
        }
    }

    // Entities and incidents share one namespace; sources another; claims a third.
    let mut names = Ids::default();
    let mut source_ids = Ids::default();
    let mut claim_ids = Ids::default();
    let mut entity_of: HashMap<String, String> = HashMap::new();
    let mut incident_of: HashMap<String, String> = HashMap::new();
    let mut source_of: HashMap<String, String> = HashMap::new();
    // STIX records of objects from other tools, by attrib key.
    let mut records: BTreeMap<String, (StixObjectFile, &Obj)> = BTreeMap::new();

    // attrib's own records first, so their ids are kept exactly.
    for (sid, o) in &objects {
        if let Some(a) = record::<ActorFile>(o, "x_attrib_actor")? {
            names.reserve(&a.id);
            entity_of.insert(sid.clone(), a.id.clone());
            file.actors.push(a);
        } else if let Some(g) = record::<GroupFile>(o, "x_attrib_group")? {
            names.reserve(&g.id);
            entity_of.insert(sid.clone(), g.id.clone());
            file.groups.push(g);
        } else if let Some(i) = record::<IncidentFile>(o, "x_attrib_incident")? {
            names.reserve(&i.id);
            incident_of.insert(sid.clone(), i.id.clone());
            file.incidents.push(i);
        } else if let Some(s) = record::<SourceFile>(o, "x_attrib_source")? {
            source_ids.reserve(&s.id);
            source_of.insert(sid.clone(), s.id.clone());
            file.sources.push(s);
        } else {
            continue;
        }
        *imported
            .entry(text(o, "type").unwrap_or_default().to_string())
            .or_default() += 1;
    }
    for o in objects.values() {
        if let Some(c) = record::<ClaimFile>(o, "x_attrib_claim")? {
            claim_ids.reserve(&c.id);
        }
    }

    let aliases_of = |o: &Obj, name: &str| -> Result<Vec<String>, ImportError> {
        Ok(strings(o, "aliases")?
            .into_iter()
            .filter(|a| !a.trim().is_empty() && !a.eq_ignore_ascii_case(name))
            .collect())
    };
    // ATT&CK ids (G0069, C0038) are names analysts use: kept as aliases.
    let attack_ids = |o: &Obj| -> Vec<String> {
        external_references(o)
            .into_iter()
            .filter(|r| r.source_name.starts_with("mitre-"))
            .filter_map(|r| r.external_id)
            .collect()
    };
    for (sid, o) in &objects {
        if entity_of.contains_key(sid)
            || incident_of.contains_key(sid)
            || source_of.contains_key(sid)
        {
            continue;
        }
        let kind = text(o, "type").unwrap_or_default();
        let description = text(o, "description").map(str::to_string);
        match kind {
            "threat-actor" => {
                let name = required(o, "name")?;
                let id = names.take(name, "actor");
                let mut aliases = aliases_of(o, name)?;
                aliases.extend(attack_ids(o));
                let person = text(o, "resource_level") == Some("individual");
                let state = strings(o, "threat_actor_types")?
                    .iter()
                    .any(|t| t == "nation-state")
                    && text(o, "resource_level") == Some("government");
                file.actors.push(ActorFile {
                    id: id.clone(),
                    name: name.to_string(),
                    kind: if person {
                        ActorKind::Person
                    } else if state {
                        ActorKind::State
                    } else {
                        ActorKind::Organisation
                    },
                    aliases,
                    part_of: None,
                    description,
                });
                records.insert(format!("entity:{id}"), (stix_record(o), o));
                entity_of.insert(sid.clone(), id);
            }
            "intrusion-set" => {
                let name = required(o, "name")?;
                let id = names.take(name, "group");
                let mut aliases = aliases_of(o, name)?;
                aliases.extend(attack_ids(o));
                file.groups.push(GroupFile {
                    id: id.clone(),
                    name: name.to_string(),
                    kind: GroupKind::IntrusionSet,
                    aliases,
                    description,
                });
                records.insert(format!("entity:{id}"), (stix_record(o), o));
                entity_of.insert(sid.clone(), id);
            }
            "campaign" if campaign_groups.contains(sid) => {
                // OpenCTI: incident attributed-to campaign attributed-to intrusion set.
                let name = required(o, "name")?;
                let id = names.take(name, "campaign");
                let mut aliases = aliases_of(o, name)?;
                aliases.extend(attack_ids(o));
                file.groups.push(GroupFile {
                    id: id.clone(),
                    name: name.to_string(),
                    kind: GroupKind::IntrusionSet,
                    aliases,
                    description,
                });
                records.insert(format!("entity:{id}"), (stix_record(o), o));
                entity_of.insert(sid.clone(), id);
            }
            "campaign" | "incident" => {
                let name = required(o, "name")?;
                let id = names.take(name, "incident");
                let references: Vec<String> = external_references(o)
                    .into_iter()
                    .filter_map(|r| r.url)
                    .collect();
                let mut aliases = aliases_of(o, name)?;
                aliases.extend(attack_ids(o));
                file.incidents.push(IncidentFile {
                    id: id.clone(),
                    name: name.to_string(),
                    aliases,
                    start: date_of(o, "first_seen").or_else(|| date_of(o, "created")),
                    end: date_of(o, "last_seen"),
                    victim: None,
                    description,
                    references,
                });
                records.insert(format!("incident:{id}"), (stix_record(o), o));
                incident_of.insert(sid.clone(), id);
            }
            "identity" => {
                let name = required(o, "name")?;
                if sid == &attrib_identity {
                    continue;
                }
                if endpoints.contains(sid) && !creators.contains(sid) {
                    let id = names.take(name, "actor");
                    let kind = match text(o, "identity_class") {
                        Some("individual") => ActorKind::Person,
                        _ => ActorKind::Organisation,
                    };
                    file.actors.push(ActorFile {
                        id: id.clone(),
                        name: name.to_string(),
                        kind,
                        aliases: vec![],
                        part_of: None,
                        description: description.clone(),
                    });
                    records.insert(format!("entity:{id}"), (stix_record(o), o));
                    entity_of.insert(sid.clone(), id);
                }
                if creators.contains(sid) {
                    let id = source_ids.take(name, "source");
                    let ls = labels(o);
                    let stated =
                        ls.iter()
                            .find_map(|l| vocab::parse_reliability(l))
                            .or_else(|| {
                                text(o, "x_opencti_reliability")
                                    .and_then(vocab::opencti_reliability)
                            });
                    let reliability = stated.unwrap_or(options.reliability);
                    file.sources.push(SourceFile {
                        id: id.clone(),
                        name: name.to_string(),
                        kind: if text(o, "identity_class") == Some("individual") {
                            SourceKind::Researcher
                        } else if strings(o, "sectors")?
                            .iter()
                            .any(|s| s.starts_with("government"))
                        {
                            SourceKind::Government
                        } else {
                            SourceKind::Vendor
                        },
                        reliability: Some(reliability),
                        track_record: None,
                        family: ls
                            .iter()
                            .find_map(|l| vocab::parse_family(l))
                            .map(str::to_string),
                        url: first_url(o),
                        note: Some(match stated {
                            Some(g) => format!(
                                "Imported from STIX {sid}; reliability {g} as the bundle states it."
                            ),
                            None => format!(
                                "Imported from STIX {sid}; reliability {reliability} set on import."
                            ),
                        }),
                    });
                    records.insert(format!("source:{id}"), (stix_record(o), o));
                    source_of.insert(sid.clone(), id);
                }
                if !endpoints.contains(sid) && !creators.contains(sid) {
                    *skipped
                        .entry("identity (not referenced)".into())
                        .or_default() += 1;
                    continue;
                }
            }
            _ => continue,
        }
        *imported.entry(kind.to_string()).or_default() += 1;
    }
    // A ref to a revoked object goes to its replacement.
    let resolve = |r: &str, notes: &mut Vec<String>| -> String {
        match replacement(r) {
            Some(n) => {
                notes.push(format!("{r} was revoked; its replacement {n} is used."));
                n
            }
            None => r.to_string(),
        }
    };

    // Reports: a publication is a source of its own, in the family of its author. A report or
    // grouping that holds actors but no relationships is a MISP event: its creator attributes
    // the event to them.
    let mut report_of_claim: HashMap<String, String> = HashMap::new();
    let mut report_claims: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut events: Vec<(&str, &Obj)> = Vec::new();
    for (sid, o) in of_type("report").chain(of_type("grouping")) {
        let refs = strings(o, "object_refs")?;
        let has_rel = refs.iter().any(|r| r.starts_with("relationship--"));
        let holds_actor = refs.iter().any(|r| entity_of.contains_key(r));
        if text(o, "type") == Some("grouping") || (!has_rel && holds_actor) {
            if holds_actor && !has_rel && text(o, "created_by_ref") != Some(&attrib_identity) {
                events.push((sid, o));
            } else if !own_export || !o.contains_key("x_attrib_case") {
                *skipped
                    .entry(format!(
                        "{} (no claims)",
                        text(o, "type").unwrap_or_default()
                    ))
                    .or_default() += 1;
            }
            continue;
        }
        let name = required(o, "name")?;
        let id = source_ids.take(name, "report");
        let family = text(o, "created_by_ref")
            .and_then(|c| source_of.get(c))
            .cloned();
        file.sources.push(SourceFile {
            id: id.clone(),
            name: name.to_string(),
            kind: SourceKind::Vendor,
            reliability: Some(options.reliability),
            track_record: None,
            family,
            url: first_url(o),
            note: Some(format!(
                "STIX report {sid}, published {}.",
                date_of(o, "published").unwrap_or_else(|| "undated".into())
            )),
        });
        records.insert(format!("source:{id}"), (stix_record(o), o));
        source_of.insert(sid.to_string(), id);
        for r in refs {
            if r.starts_with("relationship--") {
                report_of_claim
                    .entry(r.clone())
                    .or_insert_with(|| sid.to_string());
                report_claims.entry(sid.to_string()).or_default().push(r);
            }
        }
        *imported.entry("report".into()).or_default() += 1;
    }

    // Claims.
    let mut claim_of: HashMap<String, usize> = HashMap::new();
    let mut unattributed: Option<String> = None;
    let mut derived: Vec<(String, String)> = Vec::new();
    let mut restated: Vec<Vec<String>> = Vec::new();
    let mut judged: BTreeSet<(String, String)> = BTreeSet::new();
    let mut exclusive: Vec<ExclusiveFile> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    for (sid, o) in &objects {
        let kind = text(o, "type").unwrap_or_default();
        if !matches!(kind, "relationship" | "note" | "opinion" | "grouping") {
            continue;
        }
        if let Some(c) = record::<ClaimFile>(o, "x_attrib_claim")? {
            claim_of.insert(sid.clone(), file.claims.len());
            file.claims.push(c);
            *imported.entry(kind.to_string()).or_default() += 1;
            continue;
        }
        if o.contains_key("x_attrib_structural") {
            *imported
                .entry("relationship (structural part of)".into())
                .or_default() += 1;
            continue;
        }
        let ls = labels(o);
        let mut notes: Vec<String> = Vec::new();
        let refs: Vec<String> = strings(o, "object_refs")?
            .iter()
            .map(|r| resolve(r, &mut notes))
            .collect();
        let ends_of = |refs: &[String]| -> (Option<String>, Vec<String>) {
            let inc = refs.iter().find_map(|r| incident_of.get(r).cloned());
            let ents = refs
                .iter()
                .filter_map(|r| entity_of.get(r).cloned())
                .collect();
            (inc, ents)
        };
        match kind {
            "grouping" => {
                if ls.contains(&vocab::EXCLUSIVE) && !own_export {
                    let (inc, ents) = ends_of(&refs);
                    if let Some(inc) = inc
                        && ents.len() >= 2
                    {
                        exclusive.push(ExclusiveFile {
                            incident: inc,
                            members: ents,
                            note: text(o, "description").map(str::to_string),
                        });
                        *imported
                            .entry("grouping (competing hypotheses)".into())
                            .or_default() += 1;
                    }
                }
                continue;
            }
            "opinion" if text(o, "created_by_ref") == Some(&attrib_identity) => {
                // attrib's judgement: recomputed; it names a hypothesis the case declared.
                if !own_export
                    && let (Some(inc), ents) = ends_of(&refs)
                    && let Some(e) = ents.first()
                {
                    judged.insert((inc, e.clone()));
                }
                *skipped
                    .entry("opinion (attrib judgement, recomputed)".into())
                    .or_default() += 1;
                continue;
            }
            "note" if o.contains_key("x_attrib_judgement") => {
                *skipped
                    .entry("note (attrib judgement, recomputed)".into())
                    .or_default() += 1;
                continue;
            }
            "note" if ls.contains(&vocab::RESTATES) => {
                restated.push(refs);
                continue;
            }
            "note" if ls.contains(&vocab::CONDEMNATION) => {
                if let (Some(inc), _) = ends_of(&refs) {
                    pending.push((sid.clone(), o, inc, Relation::Condemns, None, notes));
                } else {
                    *skipped
                        .entry("note (condemnation of nothing known)".into())
                        .or_default() += 1;
                }
                continue;
            }
            "note" if ls.contains(&vocab::SELF_CLAIM) => {
                match ends_of(&refs) {
                    (Some(inc), ents) if ents.len() == 1 => {
                        pending.push((
                            sid.clone(),
                            o,
                            inc,
                            Relation::AttributedTo,
                            Some(ents[0].clone()),
                            notes,
                        ));
                    }
                    _ => {
                        *skipped
                            .entry("note (claim of responsibility, ends unknown)".into())
                            .or_default() += 1;
                    }
                }
                continue;
            }
            "note" => {
                *skipped.entry("note".into()).or_default() += 1;
                continue;
            }
            "opinion" => {
                // A source's opinion on an attribution: through the relationship it names, or
                // between the incident and the actor it names.
                let via = refs.iter().find_map(|r| {
                    let rel = objects.get(r)?;
                    (text(rel, "type") == Some("relationship")).then_some(rel)
                });
                let (from, to) = match via {
                    Some(rel) => (
                        text(rel, "source_ref").map(|r| resolve(r, &mut notes)),
                        text(rel, "target_ref").map(|r| resolve(r, &mut notes)),
                    ),
                    None => {
                        let mut known = refs
                            .iter()
                            .filter(|r| incident_of.contains_key(*r) || entity_of.contains_key(*r));
                        (known.next().cloned(), known.next().cloned())
                    }
                };
                let relation = ls.iter().find_map(|l| vocab::parse_relation(l));
                match (from, to) {
                    (Some(f), Some(t))
                        if incident_of.contains_key(&f) && entity_of.contains_key(&t) =>
                    {
                        pending.push((
                            sid.clone(),
                            o,
                            incident_of[&f].clone(),
                            relation.unwrap_or(Relation::AttributedTo),
                            Some(entity_of[&t].clone()),
                            notes,
                        ));
                    }
                    (Some(f), Some(t))
                        if entity_of.contains_key(&f) && entity_of.contains_key(&t) =>
                    {
                        pending.push((
                            sid.clone(),
                            o,
                            entity_of[&f].clone(),
                            relation.unwrap_or(Relation::OperatedBy),
                            Some(entity_of[&t].clone()),
                            notes,
                        ));
                    }
                    _ => {
                        *skipped
                            .entry("opinion (not on an attribution)".into())
                            .or_default() += 1;
                    }
                }
                continue;
            }
            _ => {}
        }
        let rtype = required(o, "relationship_type")?;
        let from = resolve(required(o, "source_ref")?, &mut notes);
        let to = resolve(required(o, "target_ref")?, &mut notes);
        if rtype == "derived-from" {
            derived.push((from, to));
            continue;
        }
        if text(o, "created_by_ref") == Some(&attrib_identity) {
            // A declared part_of in attrib's export read without its records.
            if let (Some(a), Some(b)) = (entity_of.get(&from), entity_of.get(&to))
                && let Some(actor) = file.actors.iter_mut().find(|x| &x.id == a)
                && actor.part_of.is_none()
            {
                actor.part_of = Some(b.clone());
                *imported
                    .entry("relationship (structural part of)".into())
                    .or_default() += 1;
            }
            continue;
        }
        let labelled = ls.iter().find_map(|l| vocab::parse_relation(l));
        let (subject, relation, object) = match rtype {
            "attributed-to" | "related-to" | "part-of"
                if labelled.is_some_and(|r| r != Relation::PossiblySameAs) =>
            {
                let r = labelled.expect("checked");
                match (
                    incident_of.get(&from),
                    entity_of.get(&from),
                    entity_of.get(&to),
                ) {
                    (Some(i), _, Some(e)) if !r.is_link() => {
                        (i.clone(), Relation::AttributedTo, e.clone())
                    }
                    (None, Some(a), Some(b)) if r.is_link() => (a.clone(), r, b.clone()),
                    _ => {
                        *skipped
                            .entry(format!("relationship {rtype} (unmapped ends)"))
                            .or_default() += 1;
                        continue;
                    }
                }
            }
            "attributed-to" | "part-of" => match (
                incident_of.get(&from),
                entity_of.get(&from),
                entity_of.get(&to),
            ) {
                (Some(i), _, Some(e)) if rtype == "attributed-to" => {
                    (i.clone(), Relation::AttributedTo, e.clone())
                }
                (None, Some(a), Some(b)) => (
                    a.clone(),
                    if rtype == "part-of" {
                        Relation::PartOf
                    } else {
                        Relation::OperatedBy
                    },
                    b.clone(),
                ),
                _ => {
                    *skipped
                        .entry(format!("relationship {rtype} (unmapped ends)"))
                        .or_default() += 1;
                    continue;
                }
            },
            "impersonates" => match (entity_of.get(&from), entity_of.get(&to)) {
                // X impersonates Y: what is done in Y's name is X's doing.
                (Some(x), Some(y)) => (y.clone(), Relation::OperatedBy, x.clone()),
                _ => {
                    *skipped
                        .entry("relationship impersonates (unmapped ends)".into())
                        .or_default() += 1;
                    continue;
                }
            },
            "duplicate-of" | "related-to" => match (entity_of.get(&from), entity_of.get(&to)) {
                (Some(a), Some(b)) => (a.clone(), Relation::PossiblySameAs, b.clone()),
                _ => {
                    *skipped
                        .entry(format!(
                            "relationship {rtype} (not between actors or groups)"
                        ))
                        .or_default() += 1;
                    continue;
                }
            },
            other => {
                *skipped.entry(format!("relationship {other}")).or_default() += 1;
                continue;
            }
        };
        if subject == object {
            warnings.push(format!("{sid}: relates `{subject}` to itself; skipped"));
            *skipped
                .entry(format!("relationship {rtype} (self-reference)"))
                .or_default() += 1;
            continue;
        }
        pending.push((sid.clone(), o, subject, relation, Some(object), notes));
    }
    for (sid, o, subject, relation, object, notes) in pending {
        let kind = text(o, "type").unwrap_or_default();
        let (likelihood, confidence) = match kind {
            "opinion" => {
                let (l, c) = likelihood_of(o, &sid, ConfidenceReading::Probability)?;
                // An opinion's confidence is the opiner's confidence in its opinion: in a
                // disagreement, that the attribution is false.
                let word = text(o, "opinion").unwrap_or("neutral");
                let disagrees = word.ends_with("disagree");
                let l = match l {
                    Some(Likelihood::Stix(n)) if disagrees => Likelihood::Stix(100 - n),
                    Some(l) => l,
                    None => match vocab::opinion_probability(word) {
                        Some(p) => Likelihood::Probability(p),
                        None => {
                            return Err(ImportError(format!(
                                "{sid}: field `opinion` must be one of strongly-disagree, disagree, neutral, agree, strongly-agree"
                            )));
                        }
                    },
                };
                (Some(l), c)
            }
            _ if relation == Relation::Condemns => (None, None),
            _ => likelihood_of(o, &sid, options.confidence)?,
        };
        let unstated = likelihood.is_none() && relation != Relation::Condemns;
        // An assertion without a stated confidence is still made: read it as "likely".
        let likelihood = match (likelihood, relation) {
            (_, Relation::Condemns) => None,
            (Some(l), _) => Some(l),
            (None, _) => Some(Likelihood::Icd("likely".into())),
        };
        let creator = text(o, "created_by_ref");
        let source = match report_of_claim
            .get(&sid)
            .and_then(|r| source_of.get(r))
            .or_else(|| creator.and_then(|c| source_of.get(c)))
        {
            Some(s) => s.clone(),
            None => {
                if let Some(c) = creator {
                    warnings.push(format!("{sid}: created_by_ref {c} is not in the bundle"));
                }
                unattributed_source(&mut unattributed, &mut source_ids, &mut file)
            }
        };
        let rtype = text(o, "relationship_type").unwrap_or(kind);
        let id = claim_ids.take(&format!("{rtype}-{}", short(&sid)), "claim");
        let mut note = format!("Imported from STIX {sid} ({rtype}).");
        for n in &notes {
            note.push(' ');
            note.push_str(n);
        }
        claim_of.insert(sid.clone(), file.claims.len());
        let mut rec = stix_record(o);
        rec.confidence_unstated = unstated;
        records.insert(format!("claim:{id}"), (rec, o));
        file.claims.push(ClaimFile {
            id,
            source,
            date: date_of(o, "start_time").or_else(|| date_of(o, "created")),
            subject,
            relation,
            object,
            wording: text(o, "description")
                .or_else(|| text(o, "explanation"))
                .or_else(|| text(o, "content"))
                .map(str::to_string),
            likelihood,
            confidence,
            url: first_url(o),
            derived_from: vec![],
            note: Some(note),
        });
        *imported.entry(kind.to_string()).or_default() += 1;
    }

    // MISP events: the event's creator attributes it to each actor it holds.
    for (sid, o) in events {
        let refs = strings(o, "object_refs")?;
        let incidents: Vec<String> = refs
            .iter()
            .filter_map(|r| incident_of.get(r).cloned())
            .collect();
        let incidents = if incidents.is_empty() {
            let name = required(o, "name")?;
            let id = names.take(name, "event");
            file.incidents.push(IncidentFile {
                id: id.clone(),
                name: name.to_string(),
                aliases: vec![],
                start: date_of(o, "published").or_else(|| date_of(o, "created")),
                end: None,
                victim: None,
                description: text(o, "description").map(str::to_string),
                references: external_references(o)
                    .into_iter()
                    .filter_map(|r| r.url)
                    .collect(),
            });
            records.insert(format!("incident:{id}"), (stix_record(o), o));
            vec![id]
        } else {
            incidents
        };
        let source = match text(o, "created_by_ref").and_then(|c| source_of.get(c)) {
            Some(s) => s.clone(),
            None => unattributed_source(&mut unattributed, &mut source_ids, &mut file),
        };
        for inc in &incidents {
            for actor in refs.iter().filter_map(|r| entity_of.get(r)) {
                let id = claim_ids.take(&format!("event-{}", short(sid)), "claim");
                file.claims.push(ClaimFile {
                    id,
                    source: source.clone(),
                    date: date_of(o, "published").or_else(|| date_of(o, "created")),
                    subject: inc.clone(),
                    relation: Relation::AttributedTo,
                    object: Some(actor.clone()),
                    wording: None,
                    likelihood: Some(Likelihood::Icd("likely".into())),
                    confidence: None,
                    url: first_url(o),
                    derived_from: vec![],
                    note: Some(format!(
                        "The event {sid} holds this actor (a MISP galaxy attribution); no likelihood stated, read as likely."
                    )),
                });
                *imported
                    .entry(format!(
                        "{} (event attribution)",
                        text(o, "type").unwrap_or_default()
                    ))
                    .or_default() += 1;
            }
        }
    }

    // derived-from: between relationships (claims restate claims), or between reports (every
    // claim of the later report restates the earlier report's claim on the same proposition).
    for (from, to) in derived {
        if let (Some(&a), Some(&b)) = (claim_of.get(&from), claim_of.get(&to)) {
            let origin = file.claims[b].id.clone();
            file.claims[a].derived_from.push(origin);
            *imported
                .entry("relationship derived-from".into())
                .or_default() += 1;
        } else if let (Some(a), Some(b)) = (report_claims.get(&from), report_claims.get(&to)) {
            for ca in a.iter().filter_map(|r| claim_of.get(r).copied()) {
                let key = |c: &ClaimFile| (c.subject.clone(), c.object.clone());
                let origins: Vec<String> = b
                    .iter()
                    .filter_map(|r| claim_of.get(r).copied())
                    .filter(|&cb| cb != ca && key(&file.claims[cb]) == key(&file.claims[ca]))
                    .map(|cb| file.claims[cb].id.clone())
                    .collect();
                file.claims[ca].derived_from.extend(origins);
            }
            *imported
                .entry("relationship derived-from".into())
                .or_default() += 1;
        } else {
            *skipped
                .entry("relationship derived-from (not between claims or reports)".into())
                .or_default() += 1;
        }
    }
    if !own_export {
        for refs in restated {
            let mut it = refs.iter().filter_map(|r| claim_of.get(r).copied());
            if let Some(first) = it.next() {
                let origins: Vec<String> = it.map(|c| file.claims[c].id.clone()).collect();
                file.claims[first].derived_from.extend(origins);
                *imported.entry("note (restatement)".into()).or_default() += 1;
            }
        }
        for (incident, actor) in judged {
            file.hypotheses.push(HypothesisFile {
                incident,
                actor,
                prior: None,
                note: Some("Named by a judgement in the imported bundle.".into()),
            });
        }
        file.exclusive.extend(exclusive);
    }
    for c in &mut file.claims {
        c.derived_from.sort();
        c.derived_from.dedup();
    }

    break_cycles(&mut file, &mut warnings, &records);
    resolve_alias_conflicts(&mut file, &mut warnings);

    // STIX records of foreign objects, with digests of what they became.
    for (key, (mut rec, _)) in records {
        let (kind, id) = key.split_once(':').expect("keyed kind:id");
        rec.digest = match kind {
            "entity" => file
                .actors
                .iter()
                .find(|a| a.id == id)
                .map(super::export::digest)
                .or_else(|| {
                    file.groups
                        .iter()
                        .find(|g| g.id == id)
                        .map(super::export::digest)
                }),
            "incident" => file
                .incidents
                .iter()
                .find(|i| i.id == id)
                .map(super::export::digest),
            "source" => file
                .sources
                .iter()
                .find(|s| s.id == id)
                .map(super::export::digest),
            _ => file
                .claims
                .iter()
                .find(|c| c.id == id)
                .map(super::export::digest),
        };
        if rec.digest.is_some() {
            stix.objects.insert(key, rec);
        }
    }
    let used: BTreeSet<&String> = stix
        .objects
        .values()
        .flat_map(|o| o.markings.iter())
        .collect();
    for (id, m) in &marking_defs {
        if used.contains(id) && !stix.markings.iter().any(|x| &x.id == id) {
            stix.markings.push(m.clone());
        }
    }
    file.stix = Some(stix);
    file.normalise();
    Ok(Imported {
        file,
        imported,
        skipped,
        warnings,
    })
}

fn unattributed_source(slot: &mut Option<String>, ids: &mut Ids, file: &mut CaseFile) -> String {
    slot.get_or_insert_with(|| {
        let id = ids.take("unattributed", "unattributed");
        file.sources.push(SourceFile {
            id: id.clone(),
            name: "Unattributed (no creator in the bundle)".into(),
            kind: SourceKind::Media,
            reliability: Some(Grade::F),
            track_record: None,
            family: None,
            url: None,
            note: Some(
                "Statements without created_by_ref; grade them once their author is known.".into(),
            ),
        });
        id
    })
    .clone()
}

/// Drops the link claims that close a cycle (A operated by B operated by A), which the checker
/// rejects, with a warning naming the STIX object; the rest of the bundle imports.
fn break_cycles(
    file: &mut CaseFile,
    warnings: &mut Vec<String>,
    records: &BTreeMap<String, (StixObjectFile, &Obj)>,
) {
    let mut canon: HashMap<String, String> = HashMap::new();
    for a in &file.actors {
        canon.insert(a.id.clone(), a.id.clone());
    }
    for g in &file.groups {
        canon.insert(g.id.clone(), g.id.clone());
    }
    let mut edges: HashMap<String, Vec<String>> = HashMap::new();
    for a in &file.actors {
        if let Some(p) = &a.part_of {
            edges.entry(a.id.clone()).or_default().push(p.clone());
        }
    }
    let reaches = |edges: &HashMap<String, Vec<String>>, from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = HashSet::new();
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if seen.insert(x.clone())
                && let Some(next) = edges.get(&x)
            {
                stack.extend(next.iter().cloned());
            }
        }
        false
    };
    let mut dropped: Vec<usize> = Vec::new();
    for (i, c) in file.claims.iter().enumerate() {
        if !c.relation.is_link() {
            continue;
        }
        let Some(o) = &c.object else { continue };
        if !canon.contains_key(&c.subject) || !canon.contains_key(o) {
            continue;
        }
        if reaches(&edges, o, &c.subject) {
            let at = records
                .get(&format!("claim:{}", c.id))
                .and_then(|(r, _)| r.id.clone())
                .unwrap_or_else(|| c.id.clone());
            warnings.push(format!(
                "{at}: `{}` {} `{o}` closes a cycle of attributions (`{o}` already leads back to `{}`); this link is left out, the rest imported",
                c.subject,
                c.relation.phrase(),
                c.subject
            ));
            dropped.push(i);
        } else {
            edges.entry(c.subject.clone()).or_default().push(o.clone());
        }
    }
    let gone: HashSet<String> = dropped.iter().map(|&i| file.claims[i].id.clone()).collect();
    for &i in dropped.iter().rev() {
        file.claims.remove(i);
    }
    for c in &mut file.claims {
        c.derived_from.retain(|d| !gone.contains(d));
    }
}

fn short(stix_id: &str) -> String {
    stix_id
        .split_once("--")
        .map_or(stix_id, |(_, u)| u)
        .chars()
        .take(8)
        .collect()
}

/// Makes names unique and drops aliases that would name two things (the checker rejects
/// both), saying what changed.
fn resolve_alias_conflicts(file: &mut CaseFile, warnings: &mut Vec<String>) {
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut claim = |key: &str, id: &str| -> bool {
        let k = key.trim().to_lowercase();
        match owner.get(&k) {
            Some(o) if o != id => false,
            _ => {
                owner.insert(k, id.to_string());
                true
            }
        }
    };
    let mut named: Vec<(&String, &mut String)> = Vec::new();
    named.extend(file.actors.iter_mut().map(|a| (&a.id, &mut a.name)));
    named.extend(file.groups.iter_mut().map(|g| (&g.id, &mut g.name)));
    named.extend(file.incidents.iter_mut().map(|i| (&i.id, &mut i.name)));
    for (id, _) in &named {
        claim(id, id);
    }
    for (id, name) in named {
        if !claim(name, id) {
            let renamed = format!("{name} ({id})");
            warnings.push(format!(
                "the name `{name}` of `{id}` also names another object; renamed `{renamed}`"
            ));
            claim(&renamed, id);
            *name = renamed;
        }
    }
    let mut filter = |id: &str, aliases: &mut Vec<String>| {
        aliases.retain(|a| {
            let ok = claim(a, id);
            if !ok {
                warnings.push(format!(
                    "alias `{a}` of `{id}` also names another object; dropped"
                ));
            }
            ok
        });
    };
    for a in &mut file.actors {
        filter(&a.id, &mut a.aliases);
    }
    for g in &mut file.groups {
        filter(&g.id, &mut g.aliases);
    }
    for i in &mut file.incidents {
        filter(&i.id, &mut i.aliases);
    }
}
