//! STIX 2.1 bundle → evidence case.
//!
//! Objects attrib has a meaning for become entities, incidents, sources and claims; everything
//! else (malware, indicators, attack patterns, custom types) is skipped and counted, never
//! fatal. A malformed object among the mapped ones is an error naming its id and field. The
//! mapping is documented in `docs/stix.md`.

use super::slug;
use crate::format::*;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Choices the bundle cannot make for the analyst.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Reliability given to every source the bundle names (STIX has no such field).
    pub reliability: Grade,
    /// Case title when the bundle carries none.
    pub title: String,
}

/// What the importer made of a bundle.
#[derive(Debug, Clone)]
pub struct Imported {
    pub file: CaseFile,
    /// Objects turned into part of the case, by STIX type.
    pub imported: BTreeMap<String, usize>,
    /// Objects left out, by type (and relationship type), with the reason in the key.
    pub skipped: BTreeMap<String, usize>,
    pub warnings: Vec<String>,
}

/// A bundle that cannot be imported; the message names the object and the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

type Obj = Map<String, Value>;

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

const MAPPED: [&str; 9] = [
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
    used: BTreeSet<String>,
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
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn reserve(&mut self, id: &str) -> bool {
        self.used.insert(id.to_string())
    }
}

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

    // Index the objects attrib maps; count the rest.
    let mut objects: BTreeMap<String, &Obj> = BTreeMap::new();
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
        // STIX 2.1 forbids empty lists; such an object is invalid, but need not stop the rest.
        for (field, value) in o {
            if value.as_array().is_some_and(Vec::is_empty) {
                warnings.push(format!(
                    "{id}: `{field}` is an empty list, which STIX 2.1 does not allow (the bundle is invalid; imported what could be)"
                ));
            }
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
        if o.get("revoked") == Some(&Value::Bool(true))
            || o.get("x_mitre_deprecated") == Some(&Value::Bool(true))
        {
            *skipped
                .entry(format!("{kind} (revoked or deprecated)"))
                .or_default() += 1;
            continue;
        }
        if objects.insert(id.to_string(), o).is_some() {
            warnings.push(format!(
                "{id} appears more than once; the last copy is used"
            ));
        }
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
    };
    for (_, o) in of_type("grouping") {
        if let Some(meta) = record::<CaseFile>(o, "x_attrib_case")? {
            file.title = meta.title;
            file.description = meta.description;
            file.analyst = meta.analyst;
            file.as_of = meta.as_of;
            file.prior = meta.prior;
            file.hypotheses = meta.hypotheses;
            file.exclusive = meta.exclusive;
            *imported.entry("grouping".into()).or_default() += 1;
        } else {
            *skipped.entry("grouping".into()).or_default() += 1;
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
    for (_, o) in of_type("relationship") {
        if let Some(c) = text(o, "created_by_ref") {
            creators.insert(c.to_string());
        }
        let rtype = text(o, "relationship_type").unwrap_or_default();
        if matches!(
            rtype,
            "attributed-to" | "impersonates" | "related-to" | "duplicate-of"
        ) {
            for f in ["source_ref", "target_ref"] {
                if let Some(r) = text(o, f) {
                    endpoints.insert(r.to_string());
                }
            }
        }
    }
    for (_, o) in of_type("report").chain(of_type("note")) {
        if o.contains_key("x_attrib_judgement") {
            continue;
        }
        if let Some(c) = text(o, "created_by_ref") {
            creators.insert(c.to_string());
        }
    }

    // Entities and incidents share one namespace; sources another; claims a third.
    let mut names = Ids::default();
    let mut source_ids = Ids::default();
    let mut claim_ids = Ids::default();
    let mut entity_of: HashMap<String, String> = HashMap::new();
    let mut incident_of: HashMap<String, String> = HashMap::new();
    let mut source_of: HashMap<String, String> = HashMap::new();

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
    for (sid, o) in &objects {
        if entity_of.contains_key(sid)
            || incident_of.contains_key(sid)
            || source_of.contains_key(sid)
        {
            continue;
        }
        let kind = text(o, "type").unwrap_or_default();
        match kind {
            "threat-actor" => {
                let name = required(o, "name")?;
                let id = names.take(name, "actor");
                file.actors.push(ActorFile {
                    id: id.clone(),
                    name: name.to_string(),
                    kind: ActorKind::Organisation,
                    aliases: aliases_of(o, name)?,
                    part_of: None,
                    description: text(o, "description").map(str::to_string),
                });
                entity_of.insert(sid.clone(), id);
            }
            "intrusion-set" => {
                let name = required(o, "name")?;
                let id = names.take(name, "group");
                file.groups.push(GroupFile {
                    id: id.clone(),
                    name: name.to_string(),
                    kind: GroupKind::IntrusionSet,
                    aliases: aliases_of(o, name)?,
                    description: text(o, "description").map(str::to_string),
                });
                entity_of.insert(sid.clone(), id);
            }
            "campaign" | "incident" => {
                let name = required(o, "name")?;
                let id = names.take(name, "incident");
                let mut references = Vec::new();
                if let Some(refs) = o.get("external_references").and_then(Value::as_array) {
                    references.extend(
                        refs.iter()
                            .filter_map(|r| r.get("url").and_then(Value::as_str))
                            .map(str::to_string),
                    );
                }
                file.incidents.push(IncidentFile {
                    id: id.clone(),
                    name: name.to_string(),
                    aliases: aliases_of(o, name)?,
                    start: date_of(o, "first_seen").or_else(|| date_of(o, "created")),
                    end: date_of(o, "last_seen"),
                    victim: None,
                    description: text(o, "description").map(str::to_string),
                    references,
                });
                incident_of.insert(sid.clone(), id);
            }
            "identity" => {
                let name = required(o, "name")?;
                if endpoints.contains(sid) {
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
                        description: text(o, "description").map(str::to_string),
                    });
                    entity_of.insert(sid.clone(), id);
                }
                if creators.contains(sid) {
                    let id = source_ids.take(name, "source");
                    file.sources.push(SourceFile {
                        id: id.clone(),
                        name: name.to_string(),
                        kind: SourceKind::Vendor,
                        reliability: Some(options.reliability),
                        track_record: None,
                        family: None,
                        url: first_url(o),
                        note: Some(format!(
                            "Imported from STIX {sid}; reliability {} set on import.",
                            options.reliability
                        )),
                    });
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

    // Reports: each is a source (a publication), in the family of its author.
    let mut report_of_claim: HashMap<String, String> = HashMap::new();
    let mut report_claims: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (sid, o) in of_type("report") {
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
        source_of.insert(sid.to_string(), id);
        for r in strings(o, "object_refs")? {
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
    for (sid, o) in &objects {
        let kind = text(o, "type").unwrap_or_default();
        if kind != "relationship" && kind != "note" {
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
        if kind == "note" {
            let key = if o.contains_key("x_attrib_judgement") {
                "note (attrib judgement, recomputed)"
            } else {
                "note"
            };
            *skipped.entry(key.into()).or_default() += 1;
            continue;
        }
        let rtype = required(o, "relationship_type")?;
        let from = required(o, "source_ref")?;
        let to = required(o, "target_ref")?;
        if rtype == "derived-from" {
            derived.push((from.to_string(), to.to_string()));
            continue;
        }
        let (subject, relation, object) = match rtype {
            "attributed-to" => match (
                incident_of.get(from),
                entity_of.get(from),
                entity_of.get(to),
            ) {
                (Some(i), _, Some(e)) => (i.clone(), Relation::AttributedTo, e.clone()),
                (None, Some(a), Some(b)) => (a.clone(), Relation::OperatedBy, b.clone()),
                _ => {
                    *skipped
                        .entry("relationship attributed-to (unmapped ends)".into())
                        .or_default() += 1;
                    continue;
                }
            },
            "impersonates" => match (entity_of.get(from), entity_of.get(to)) {
                // X impersonates Y: what is done in Y's name is X's doing.
                (Some(x), Some(y)) => (y.clone(), Relation::OperatedBy, x.clone()),
                _ => {
                    *skipped
                        .entry("relationship impersonates (unmapped ends)".into())
                        .or_default() += 1;
                    continue;
                }
            },
            "duplicate-of" | "related-to" => match (entity_of.get(from), entity_of.get(to)) {
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
        let likelihood = match o.get("confidence") {
            None => {
                // An assertion without a stated confidence is still made: read it as "likely".
                Likelihood::Icd("likely".into())
            }
            Some(v) => match v.as_i64() {
                Some(n) if (0..=100).contains(&n) => Likelihood::Stix(n),
                _ => {
                    return Err(ImportError(format!(
                        "{sid}: field `confidence` must be an integer from 0 to 100, found {v}"
                    )));
                }
            },
        };
        let source = match report_of_claim
            .get(sid)
            .and_then(|r| source_of.get(r))
            .or_else(|| text(o, "created_by_ref").and_then(|c| source_of.get(c)))
        {
            Some(s) => s.clone(),
            None => {
                if let Some(c) = text(o, "created_by_ref") {
                    warnings.push(format!("{sid}: created_by_ref {c} is not in the bundle"));
                }
                unattributed
                    .get_or_insert_with(|| {
                        let id = source_ids.take("unattributed", "unattributed");
                        file.sources.push(SourceFile {
                            id: id.clone(),
                            name: "Unattributed (no creator in the bundle)".into(),
                            kind: SourceKind::Media,
                            reliability: Some(Grade::F),
                            track_record: None,
                            family: None,
                            url: None,
                            note: Some("Relationships without created_by_ref; grade them once their author is known.".into()),
                        });
                        id
                    })
                    .clone()
            }
        };
        let id = claim_ids.take(&format!("{rtype}-{}", short(sid)), "claim");
        claim_of.insert(sid.clone(), file.claims.len());
        file.claims.push(ClaimFile {
            id,
            source,
            date: date_of(o, "start_time").or_else(|| date_of(o, "created")),
            subject,
            relation,
            object: Some(object),
            wording: text(o, "description").map(str::to_string),
            likelihood: Some(likelihood),
            confidence: None,
            url: first_url(o),
            derived_from: vec![],
            note: Some(format!("Imported from STIX {sid} ({rtype}).")),
        });
        *imported.entry("relationship".into()).or_default() += 1;
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

    resolve_alias_conflicts(&mut file, &mut warnings);
    file.normalise();
    Ok(Imported {
        file,
        imported,
        skipped,
        warnings,
    })
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
