//! Reading one STIX object's properties: texts, timestamps, references, markings, and the
//! record of what it was, kept so that export can write it back.

use super::*;

pub(super) fn text<'a>(o: &'a Obj, field: &str) -> Option<&'a str> {
    o.get(field).and_then(Value::as_str)
}

/// "an" before a STIX type that starts with a vowel (`an intrusion-set`), else "a".
pub(super) fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// What is wrong with a required string field that is not one: (`E012`, "missing field
/// `type`") or (`E013`, "field `type` must be a string, found 5").
pub(super) fn missing_or_not_a_string(found: Option<&Value>, field: &str) -> (Code, String) {
    match found {
        None => (Code::MissingField, format!("missing field `{field}`")),
        Some(v) => (
            Code::BadValue,
            format!("field `{field}` must be a string, found {}", shown_value(v)),
        ),
    }
}

/// A value as a message quotes it: its JSON, cut short.
pub(super) fn shown_value(v: &Value) -> String {
    shortened(&v.to_string())
}

/// Text a message quotes (an id, a value), cut to 80 characters and an ellipsis
/// (`report::shorten` counts the ellipsis): a hostile bundle's id can be megabytes long.
pub(super) fn shortened(text: &str) -> String {
    crate::report::shorten(text, 81)
}

/// An object's id as a message names it.
pub(super) fn id_of(o: &Obj) -> String {
    shortened(text(o, "id").unwrap_or("?"))
}

/// A required string field, or an error naming the object and the field.
pub(super) fn required<'a>(o: &'a Obj, field: &str) -> Result<&'a str, ImportError> {
    match o.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(ImportError::of(
            o,
            field,
            Code::BadValue,
            format!("{}: field `{field}` must be a non-empty string", id_of(o)),
        )),
        None => Err(ImportError::of(
            o,
            field,
            Code::MissingField,
            format!("{}: missing field `{field}`", id_of(o)),
        )),
    }
}

pub(super) fn not_strings(o: &Obj, field: &str) -> ImportError {
    ImportError::of(
        o,
        field,
        Code::BadValue,
        format!("{}: `{field}` must be a list of strings", id_of(o)),
    )
}

pub(super) fn strings(o: &Obj, field: &str) -> Result<Vec<String>, ImportError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| not_strings(o, field))
            })
            .collect(),
        Some(_) => Err(not_strings(o, field)),
    }
}

/// A timestamp property, when it is one STIX allows (else it was reported, and is not read).
pub(super) fn timestamp<'a>(o: &'a Obj, field: &str) -> Option<&'a str> {
    text(o, field).filter(|t| crate::stix::is_timestamp(t))
}

/// `2022-09-07T00:00:00.000Z` → `2022-09-07`, if it is a STIX timestamp of a real date.
pub(super) fn date_of(o: &Obj, field: &str) -> Option<String> {
    let t = timestamp(o, field)?;
    let d = t.get(..10)?;
    crate::date::Date::parse(d).ok().map(|_| d.to_string())
}

pub(super) fn first_url(o: &Obj) -> Option<String> {
    o.get("external_references")?
        .as_array()?
        .iter()
        .find_map(|r| r.get("url").and_then(Value::as_str))
        .map(str::to_string)
}

/// The URL of the first reference a description cites by name ([`citations`]) that has one.
pub(super) fn cited_url(o: &Obj, cited: &[&str]) -> Option<String> {
    let refs = o.get("external_references")?.as_array()?;
    cited.iter().find_map(|name| {
        refs.iter()
            .filter(|r| r.get("source_name").and_then(Value::as_str) == Some(name))
            .find_map(|r| r.get("url").and_then(Value::as_str))
            .map(str::to_string)
    })
}

pub(super) fn labels(o: &Obj) -> Vec<&str> {
    o.get("labels")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

pub(super) fn external_references(o: &Obj) -> Vec<ExternalReferenceFile> {
    (o.get("external_references").and_then(Value::as_array))
        .map(|a| a.iter().filter_map(reference_of).collect())
        .unwrap_or_default()
}

/// One external reference, when it has a `source_name`.
pub(super) fn reference_of(r: &Value) -> Option<ExternalReferenceFile> {
    let s = |f: &str| r.get(f).and_then(Value::as_str).map(str::to_string);
    Some(ExternalReferenceFile {
        source_name: s("source_name")?,
        external_id: s("external_id"),
        url: s("url"),
        description: s("description"),
    })
}

/// The web addresses of an object's external references: an incident's `references`. A blank
/// one is left out (the case would be refused for it); the record keeps every reference for
/// export.
pub(super) fn reference_urls(o: &Obj) -> Vec<String> {
    (external_references(o).into_iter())
        .filter_map(|r| r.url)
        .filter(|u| !crate::escape::blank(u))
        .collect()
}

/// The marking definitions an object refers to, sorted: its `object_marking_refs` and its
/// granular markings'.
pub(super) fn object_markings(o: &Obj) -> Vec<String> {
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
    // A granular marking marks one property (a name, a description), but attrib keeps and
    // writes the object whole: it is kept as a marking of the object, so that a TLP:RED name
    // never goes out less marked than it came in.
    markings.extend(
        (o.get("granular_markings").and_then(Value::as_array))
            .into_iter()
            .flatten()
            .filter_map(|g| g.get("marking_ref").and_then(Value::as_str))
            .map(str::to_string),
    );
    markings.sort();
    markings.dedup();
    markings
}

/// Whether `g` is a granular marking as STIX 2.1 §7.2.3 has it: an object marking its
/// properties with a marking definition (`marking_ref`) or a language (`lang`).
pub(super) fn granular_marking(g: &Value) -> bool {
    match (g.get("marking_ref"), g.get("lang")) {
        (Some(r), _) => r.is_string(),
        (None, Some(l)) => l.is_string(),
        (None, None) => false,
    }
}

/// The STIX record of an imported object.
pub(super) fn stix_record(o: &Obj) -> StixObjectFile {
    let markings = object_markings(o);
    StixObjectFile {
        id: text(o, "id").map(str::to_string),
        kind: text(o, "type").map(str::to_string),
        // A timestamp STIX does not allow is not kept (the import warned of it): the export
        // writes its own rather than one the validator refuses.
        created: timestamp(o, "created").map(str::to_string),
        modified: timestamp(o, "modified").map(str::to_string),
        digest: None,
        refs: (text(o, "type") == Some("report")).then(|| {
            let refs = (o.get("object_refs").and_then(Value::as_array).into_iter())
                .flatten()
                .filter_map(Value::as_str);
            crate::stix::export::refs_digest(refs)
        }),
        envelope: Some(crate::stix::export::envelope_digest(|name| {
            o.get(name).cloned()
        })),
        created_by: text(o, "created_by_ref").map(str::to_string),
        markings,
        // One STIX refuses is not kept ([`warn_ill_formed`] warned of it).
        external_references: (external_references(o).into_iter())
            .filter(|r| reference_ill_formed(r).is_none())
            .collect(),
        confidence_unstated: false,
        properties: None,
    }
}

/// What an imported object becomes, which decides which of its properties attrib models.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::stix) enum Held {
    /// An actor or group: its `labels`, `confidence`, `first_seen` and `last_seen` say nothing
    /// attrib reads (and export writes none of them), and its name and description are the
    /// record's as written.
    Entity,
    /// An incident: as an actor, but its `first_seen` and `last_seen` are its start and end.
    Incident,
    /// A source or a claim: its labels carry its grade, family or likelihood, and its
    /// `confidence` a likelihood, which export writes again from the case.
    Read,
}

impl Held {
    /// What an object keyed `entity:…`, `incident:…`, `source:…` or `claim:…` is.
    pub(in crate::stix) fn of_key(key: &str) -> Held {
        if key.starts_with("entity:") {
            Held::Entity
        } else if key.starts_with("incident:") {
            Held::Incident
        } else {
            Held::Read
        }
    }

    /// Whether a property of this name is one attrib does not model, and so can go out as it
    /// came even when the case has changed the object: every property but those export
    /// writes itself, those the import reads though export writes nothing of that name
    /// (OpenCTI's reliability and person type, `revoked`), and attrib's own records.
    pub(in crate::stix) fn unmodelled(self, name: &str) -> bool {
        const READ_ELSEWHERE: [&str; 3] = ["revoked", "x_opencti_reliability", "x_opencti_type"];
        match name {
            "labels" | "confidence" => self != Held::Read,
            "first_seen" | "last_seen" => self == Held::Entity,
            n => !crate::stix::export::writes_property(n) && !READ_ELSEWHERE.contains(&n),
        }
    }
}

/// Warns of each property the import would keep but for a value STIX refuses there
/// ([`ill_formed`]: a `goals` that is no list of texts, a null), and of each extension STIX
/// refuses ([`extension_well_formed`]): neither is kept, so that no export of the case writes
/// it back. What the import reads, refuses or warns of elsewhere is left to that.
pub(super) fn warn_ill_formed(o: &Obj, named: &str, warnings: &mut Vec<String>) {
    for (from, until) in out_of_order(o) {
        warnings.push(format!(
            "{named}: `{until}` is not later than `{from}`, as STIX 2.1 requires (not kept)"
        ));
    }
    for (field, value) in o {
        let n = field.as_str();
        if TIMESTAMPS.contains(&n)
            || KEPT_TIMESTAMPS.contains(&n)
            || value.as_array().is_some_and(Vec::is_empty)
            || ["revoked", "x_mitre_deprecated", "confidence"].contains(&n)
            || (crate::stix::export::resolved_by_attrib(n)
                && n != "extensions"
                && n != "external_references")
        {
            continue;
        }
        if let Some(expected) = ill_formed(n, value) {
            warnings.push(format!(
                "{named}: `{}` is not {expected}, as STIX 2.1 requires (not kept)",
                shortened(n)
            ));
        } else if n == "external_references" {
            let Some(list) = value.as_array() else {
                warnings.push(format!(
                    "{named}: `external_references` is not a list of references, as STIX 2.1 \
                     requires (not kept)"
                ));
                continue;
            };
            for (k, r) in list.iter().enumerate() {
                let expected = match reference_of(r) {
                    None => Some("a reference with a `source_name` text"),
                    Some(r) => reference_ill_formed(&r),
                };
                if let Some(expected) = expected {
                    warnings.push(format!(
                        "{named}: external reference #{k} is not {expected}, as STIX 2.1 \
                         requires (not kept)"
                    ));
                }
            }
        } else if let Some(extensions) = value.as_object().filter(|_| n == "extensions") {
            for (key, v) in extensions {
                if !extension_well_formed(key, v) {
                    warnings.push(format!(
                        "{named}: extension `{}` is none STIX 2.1 allows (not kept)",
                        shortened(key)
                    ));
                }
            }
        }
    }
}

/// An imported object's properties as they came ([`StixObjectFile::properties`]), but for
/// those attrib writes its own of whatever they say ([`crate::stix::export::resolved_by_attrib`]:
/// what its record holds, the references and attrib's own records), an actor's, group's or
/// incident's description, which the case writes as it came, and what the import did not
/// read as it came ([`well_formed`]). Export writes them back as they came while the case has
/// not changed the object, and those attrib does not model ([`Held::unmodelled`]) even after.
/// A `confidence` kept is an integer from 0 to 100, as STIX has it, or the bundle is refused.
pub(super) fn as_it_came(
    o: &Obj,
    sid: &str,
    held: Held,
) -> Result<BTreeMap<String, Value>, ImportError> {
    if held != Held::Read {
        stix_confidence(o, sid)?;
    }
    let ours = crate::stix::stix_id("extension-definition", "attrib-properties");
    let mut kept = BTreeMap::new();
    for (name, value) in o {
        let n = name.as_str();
        if (crate::stix::export::resolved_by_attrib(n) && n != "extensions")
            || (held != Held::Read && n == "description")
            || !well_formed(n, value)
            || too_deep(value)
        {
            continue;
        }
        if n == "extensions" {
            // Theirs are merged with attrib's declaration on export.
            let mut theirs = value.as_object().cloned().unwrap_or_default();
            theirs.remove(&ours);
            theirs.retain(|key, v| extension_well_formed(key, v));
            if !theirs.is_empty() {
                kept.insert(name.clone(), Value::Object(theirs));
            }
            continue;
        }
        kept.insert(name.clone(), value.clone());
    }
    for (_, until) in out_of_order(o) {
        kept.remove(until);
    }
    Ok(kept)
}

/// The kept timestamps that end a span STIX 2.1 asks to end after it starts (`stop_time` after
/// `start_time`, `valid_until` after `valid_from`, `last_observed` no earlier than
/// `first_observed`) but do not, each with the start: not kept, and warned of, so that no
/// export writes the object back invalid.
pub(super) fn out_of_order(o: &Obj) -> Vec<(&'static str, &'static str)> {
    // A STIX timestamp (`YYYY-MM-DDTHH:MM:SS[.s+]Z`) as its seconds and its fraction padded,
    // which order as the instants do.
    let instant = |field: &str| {
        let t = timestamp(o, field)?.trim_end_matches('Z');
        let (whole, fraction) = (t.get(..19)?, t.get(19..)?);
        Some((whole, format!("{:0<9}", fraction.trim_start_matches('.'))))
    };
    [
        ("start_time", "stop_time", true),
        ("valid_from", "valid_until", true),
        ("first_observed", "last_observed", false),
    ]
    .into_iter()
    .filter(
        |&(from, until, strict)| match (instant(from), instant(until)) {
            (Some(a), Some(b)) => b < a || (strict && b == a),
            _ => false,
        },
    )
    .map(|(from, until, _)| (from, until))
    .collect()
}

/// The STIX record of an imported object, with the properties attrib does not model.
pub(super) fn full_record(o: &Obj, sid: &str, held: Held) -> Result<StixObjectFile, ImportError> {
    Ok(StixObjectFile {
        properties: Some(as_it_came(o, sid, held)?),
        ..stix_record(o)
    })
}
