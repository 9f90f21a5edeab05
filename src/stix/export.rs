//! Case → STIX 2.1 bundle.
//!
//! Standard objects carry what other tools understand (names, aliases, `attributed-to`
//! relationships with `confidence`, `created_by_ref`, `external_references`); `x_attrib_*`
//! properties carry the rest verbatim, so that importing attrib's own export gives back the
//! same case. Judgements are `note` objects (see `docs/stix.md` for why not `opinion`). Ids are
//! UUIDv5 of the case's ids and timestamps come from the case's dates, so an unchanged case
//! exports to the same bytes.

use super::{NAMESPACE, stix_id};
use crate::assess::Assessment;
use crate::format::{ActorKind, CaseFile, GroupKind};
use crate::model::{Case, Statement};
use crate::reason::Engine;
use serde_json::{Map, Value, json};

/// A timestamp for a date as written (`2022`, `2022-07`, `2022-07-18`): its first day.
fn timestamp(date: Option<&str>, fallback: &str) -> String {
    let d = date
        .and_then(|d| crate::date::Date::parse(d).ok())
        .map(|d| d.earliest_day().to_string())
        .unwrap_or_else(|| fallback.to_string());
    format!("{d}T00:00:00.000Z")
}

fn record<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("plain data serialises")
}

/// Builds the bundle. `file` is the case as written (for lossless records), `case` and
/// `assessment` the resolved case and its judgements.
pub fn export(
    file: &CaseFile,
    case: &Case,
    engine: &Engine<'_>,
    assessment: &Assessment,
) -> String {
    let fallback = file
        .as_of
        .as_deref()
        .and_then(|d| crate::date::Date::parse(d).ok())
        .map(|d| d.earliest_day().to_string())
        .unwrap_or_else(|| "2000-01-01".to_string());
    let epoch = timestamp(None, &fallback);
    let mut objects: Vec<Value> = Vec::new();
    let attrib_identity = stix_id("identity", "attrib");
    objects.push(json!({
        "type": "identity", "spec_version": "2.1", "id": attrib_identity,
        "created": epoch, "modified": epoch,
        "name": "attrib", "identity_class": "system",
        "description": "Attribution reasoner that computed the judgements in this bundle.",
    }));

    let base = |kind: &str, key: &str, created: &str| -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("type".into(), json!(kind));
        m.insert("spec_version".into(), json!("2.1"));
        m.insert("id".into(), json!(stix_id(kind, key)));
        m.insert("created".into(), json!(created));
        m.insert("modified".into(), json!(created));
        m
    };

    // Sources → identity.
    for s in &file.sources {
        let mut o = base("identity", &format!("source:{}", s.id), &epoch);
        o.insert("name".into(), json!(s.name));
        o.insert("identity_class".into(), json!("organization"));
        if let Some(n) = &s.note {
            o.insert("description".into(), json!(n));
        }
        if let Some(u) = &s.url {
            o.insert(
                "external_references".into(),
                json!([{ "source_name": s.name, "url": u }]),
            );
        }
        o.insert("x_attrib_source".into(), record(s));
        objects.push(Value::Object(o));
    }
    // Actors: states → identity, others → threat-actor.
    for a in &file.actors {
        let kind = if a.kind == ActorKind::State {
            "identity"
        } else {
            "threat-actor"
        };
        let mut o = base(kind, &format!("entity:{}", a.id), &epoch);
        o.insert("name".into(), json!(a.name));
        if let Some(d) = &a.description {
            o.insert("description".into(), json!(d));
        }
        if kind == "identity" {
            o.insert("identity_class".into(), json!("organization"));
        } else {
            let types = match a.kind {
                ActorKind::Agency | ActorKind::MilitaryUnit => "nation-state",
                ActorKind::Company | ActorKind::Organisation => "unknown",
                _ => "unknown",
            };
            o.insert("threat_actor_types".into(), json!([types]));
            if !a.aliases.is_empty() {
                o.insert("aliases".into(), json!(a.aliases));
            }
        }
        o.insert("x_attrib_actor".into(), record(a));
        objects.push(Value::Object(o));
    }
    // Groups: intrusion sets → intrusion-set, personas → threat-actor.
    for g in &file.groups {
        let kind = match g.kind {
            GroupKind::IntrusionSet => "intrusion-set",
            GroupKind::Persona => "threat-actor",
        };
        let mut o = base(kind, &format!("entity:{}", g.id), &epoch);
        o.insert("name".into(), json!(g.name));
        if let Some(d) = &g.description {
            o.insert("description".into(), json!(d));
        }
        if g.kind == GroupKind::Persona {
            o.insert("threat_actor_types".into(), json!(["activist"]));
        }
        if !g.aliases.is_empty() {
            o.insert("aliases".into(), json!(g.aliases));
        }
        o.insert("x_attrib_group".into(), record(g));
        objects.push(Value::Object(o));
    }
    for i in &file.incidents {
        let created = timestamp(i.start.as_deref(), &fallback);
        let mut o = base("incident", &format!("incident:{}", i.id), &created);
        o.insert("name".into(), json!(i.name));
        if let Some(d) = &i.description {
            o.insert("description".into(), json!(d));
        }
        if !i.references.is_empty() {
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
    // Structural part_of, for other tools; the importer reads it from x_attrib_actor.
    for (i, e) in case.entities.iter().enumerate() {
        if let Some(p) = e.part_of {
            let mut o = base(
                "relationship",
                &format!("part-of:{}:{}", e.id, case.entity(p).id),
                &epoch,
            );
            o.insert("relationship_type".into(), json!("attributed-to"));
            o.insert(
                "source_ref".into(),
                json!(entity_ref(case, crate::model::EntityId(i as u32))),
            );
            o.insert("target_ref".into(), json!(entity_ref(case, p)));
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
    // Claims → relationship (or note for condemnations).
    for (c, cf) in case.claims.iter().zip(&file.claims) {
        let created = timestamp(cf.date.as_deref(), &fallback);
        let source_ref = stix_id("identity", &format!("source:{}", case.source(c.source).id));
        let (kind, refs) = match c.statement {
            Statement::Responsible { incident, actor } => (
                "relationship",
                Some((
                    "attributed-to",
                    incident_ref(case, incident),
                    entity_ref(case, actor),
                )),
            ),
            Statement::Link { from, to } => (
                "relationship",
                Some((
                    "attributed-to",
                    entity_ref(case, from),
                    entity_ref(case, to),
                )),
            ),
            Statement::SameAs { a, b } => (
                "relationship",
                Some(("related-to", entity_ref(case, a), entity_ref(case, b))),
            ),
            Statement::Condemns { .. } => ("note", None),
        };
        let mut o = base(kind, &format!("claim:{}", c.id), &created);
        o.insert("created_by_ref".into(), json!(source_ref));
        match (refs, c.statement) {
            (Some((rtype, from, to)), _) => {
                o.insert("relationship_type".into(), json!(rtype));
                o.insert("source_ref".into(), json!(from));
                o.insert("target_ref".into(), json!(to));
                if let Some(w) = &c.wording {
                    o.insert("description".into(), json!(w));
                }
            }
            (None, Statement::Condemns { incident }) => {
                o.insert(
                    "abstract".into(),
                    json!(format!(
                        "{} condemns the incident",
                        case.source(c.source).name
                    )),
                );
                o.insert(
                    "content".into(),
                    json!(c.wording.clone().unwrap_or_else(|| "condemns".to_string())),
                );
                o.insert("object_refs".into(), json!([incident_ref(case, incident)]));
            }
            _ => {}
        }
        if let Some(p) = c.probability() {
            o.insert("confidence".into(), json!((p * 100.0).round() as i64));
        }
        if let Some(u) = &c.url {
            let mut r = Map::new();
            r.insert("source_name".into(), json!(case.source(c.source).name));
            r.insert("url".into(), json!(u));
            if let Some(w) = &c.wording {
                r.insert("description".into(), json!(w));
            }
            o.insert("external_references".into(), json!([Value::Object(r)]));
        }
        o.insert("x_attrib_claim".into(), record(cf));
        objects.push(Value::Object(o));
    }
    // Judgements → note.
    for ia in &assessment.incidents {
        let inc = case.incident(ia.incident);
        for j in &ia.hypotheses {
            let actor = case.entity(j.actor);
            let mut refs = vec![
                json!(incident_ref(case, ia.incident)),
                json!(entity_ref(case, j.actor)),
            ];
            let (behind, _) = engine.behind(&ia.result, j.actor);
            for c in behind {
                let claim = case.claim(c);
                if matches!(claim.statement, Statement::Responsible { actor, .. } if actor == j.actor)
                {
                    refs.push(json!(stix_id(
                        "relationship",
                        &format!("claim:{}", claim.id)
                    )));
                }
            }
            let mut o = base(
                "note",
                &format!("judgement:{}:{}", inc.id, actor.id),
                &epoch,
            );
            o.insert("created_by_ref".into(), json!(attrib_identity));
            o.insert(
                "abstract".into(),
                json!(format!(
                    "{}: {} ({} confidence)",
                    actor.name,
                    j.term_word(),
                    j.confidence.word()
                )),
            );
            o.insert(
                "content".into(),
                json!(format!(
                    "attrib judges it {} (P = {:.2}) that {} was responsible for {}. Confidence: {}, from {} independent lines of evidence.",
                    j.term_word(), j.p, actor.name, inc.name, j.confidence.word(), j.lines
                )),
            );
            o.insert("object_refs".into(), Value::Array(refs));
            o.insert(
                "x_attrib_judgement".into(),
                json!({
                    "incident": inc.id, "actor": actor.id,
                    "likelihood": j.term_word(), "confidence": j.confidence.word(),
                    "p": round6(j.p), "belief": round6(j.opinion.belief()),
                    "disbelief": round6(j.opinion.disbelief()),
                    "uncertainty": round6(j.opinion.uncertainty()),
                    "lines": j.lines,
                }),
            );
            objects.push(Value::Object(o));
        }
    }
    // The case itself → grouping of everything above.
    let mut g = base("grouping", "case", &epoch);
    g.insert("name".into(), json!(file.title));
    if let Some(d) = &file.description {
        g.insert("description".into(), json!(d));
    }
    g.insert("context".into(), json!("suspicious-activity"));
    g.insert(
        "object_refs".into(),
        Value::Array(objects.iter().map(|o| o["id"].clone()).collect()),
    );
    let mut meta = file.clone();
    meta.actors.clear();
    meta.groups.clear();
    meta.incidents.clear();
    meta.sources.clear();
    meta.claims.clear();
    g.insert("x_attrib_case".into(), record(&meta));
    objects.push(Value::Object(g));

    // The x_attrib_* properties are declared through an extension definition, as STIX 2.1
    // asks of custom top-level properties.
    let extension = stix_id("extension-definition", "attrib-properties");
    for o in &mut objects {
        if let Value::Object(m) = o
            && m.keys().any(|k| k.starts_with("x_attrib_"))
        {
            m.insert(
                "extensions".into(),
                json!({ extension.clone(): { "extension_type": "toplevel-property-extension" } }),
            );
        }
    }
    objects.insert(
        1,
        json!({
            "type": "extension-definition", "spec_version": "2.1", "id": extension,
            "created_by_ref": attrib_identity, "created": epoch, "modified": epoch,
            "name": "attrib evidence records",
            "description": "Top-level x_attrib_* properties carrying attrib's evidence-case records verbatim, so that a case survives export and import unchanged.",
            "schema": "attrib docs/stix.md: x_attrib_case (grouping), x_attrib_source, x_attrib_actor, x_attrib_group, x_attrib_incident, x_attrib_claim (the case file's records, in its JSON form), x_attrib_structural (a declared part_of), x_attrib_judgement (a computed judgement).",
            "version": "1.0.0",
            "extension_types": ["toplevel-property-extension"],
            "extension_properties": [
                "x_attrib_case", "x_attrib_source", "x_attrib_actor", "x_attrib_group",
                "x_attrib_incident", "x_attrib_claim", "x_attrib_structural", "x_attrib_judgement",
            ],
        }),
    );
    let bundle = json!({
        "type": "bundle",
        "id": format!("bundle--{}", uuid::Uuid::new_v5(&NAMESPACE, format!("bundle:{}", file.title).as_bytes())),
        "objects": objects,
    });
    let mut out = serde_json::to_string_pretty(&bundle).expect("plain data serialises");
    out.push('\n');
    out
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn entity_ref(case: &Case, e: crate::model::EntityId) -> String {
    let ent = case.entity(e);
    let kind = match ent.kind {
        crate::model::EntityKind::Actor(ActorKind::State) => "identity",
        crate::model::EntityKind::Actor(_) => "threat-actor",
        crate::model::EntityKind::Group(GroupKind::IntrusionSet) => "intrusion-set",
        crate::model::EntityKind::Group(GroupKind::Persona) => "threat-actor",
    };
    stix_id(kind, &format!("entity:{}", ent.id))
}

fn incident_ref(case: &Case, i: crate::model::IncidentId) -> String {
    stix_id("incident", &format!("incident:{}", case.incident(i).id))
}
