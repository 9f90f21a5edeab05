//! STIX 2.1 bundle → evidence case.
//!
//! Objects attrib has a meaning for become entities, incidents, sources and claims; everything
//! else (malware, indicators, attack patterns, custom types) is skipped and counted, never
//! fatal. A malformed object among the mapped ones is an error naming its id and field. The
//! mapping is documented in `docs/stix.md`.

use super::markings::{self, Tlp};
use super::wellformed::{
    KEPT_TIMESTAMPS, MAX_KEPT_DEPTH, TIMESTAMPS, extension_well_formed, field_too_deep, ill_formed,
    reference_ill_formed, too_deep, well_formed,
};
use super::{citations, select, slug, vocab};
use crate::diagnostic::{Code, Diagnostic, Location};
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
    /// Which of attrib's cases to read from a bundle (a TAXII collection) holding several:
    /// the case's `id`, or the title of one published without an id. `None` reads the whole
    /// bundle, and refuses one that holds several cases.
    pub case: Option<String>,
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
    /// Objects turned into part of the case, by STIX type (and what they became, when that
    /// is not plain). With `skipped`, every object of the bundle is counted once: the counts
    /// add up to the bundle.
    pub imported: BTreeMap<String, usize>,
    /// Objects left out, by type (and relationship type), with the reason in the key.
    pub skipped: BTreeMap<String, usize>,
    /// What could not be imported as it was, one line each.
    pub warnings: Vec<String>,
    /// Where each of `warnings` points in the bundle, in the same order: the path of the `id`
    /// of the object it names first (`objects[12].id`), for the line and column of the
    /// message ([`crate::diagnostic::positions`]); `None` for one that names no single object.
    pub warning_paths: Vec<Option<String>>,
}

/// A bundle that cannot be imported: what is wrong (naming the object and the field) and
/// where, as a diagnostic of the bundle's text draws it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ImportError {
    /// `E010` (not JSON), `E012` (a field missing) or `E013` (a value attrib cannot read).
    pub code: Code,
    /// What is wrong, naming the object by its STIX id.
    pub message: String,
    /// Where in the bundle: the value's path (`objects[9].type`), or the whole file.
    pub at: Location,
    /// The object (its address, which tells apart versions that share an id) and the field
    /// the fault was found in, until [`import`] makes them a path.
    found_in: Option<(usize, String)>,
    /// For a slip in the JSON itself (a comment, a trailing comma): the caret's label and the
    /// fix.
    slip: Option<(&'static str, Option<&'static str>)>,
}

impl ImportError {
    /// A fault of the bundle as a whole.
    fn bundle(code: Code, message: impl Into<String>) -> ImportError {
        ImportError {
            code,
            message: message.into(),
            at: Location::File,
            found_in: None,
            slip: None,
        }
    }

    /// A fault in one field of one object (`field` empty: the object itself).
    fn of(o: &Obj, field: &str, code: Code, message: impl Into<String>) -> ImportError {
        ImportError {
            code,
            message: message.into(),
            at: Location::File,
            found_in: Some((std::ptr::from_ref(o) as usize, field.to_string())),
            slip: None,
        }
    }

    /// At the value at `path` in the bundle.
    fn at(mut self, path: String) -> ImportError {
        self.at = Location::Path(path);
        self.found_in = None;
        self
    }

    /// The diagnostic that draws it on the bundle's text.
    pub fn diagnostic(&self) -> Diagnostic {
        let (label, help) = self.slip.unwrap_or(match self.code {
            Code::MissingField => ("in this object", None),
            _ => ("here", None),
        });
        let d = Diagnostic::new(self.code, self.message.clone(), self.at.clone()).label(label);
        match help {
            Some(help) => d.help(help),
            None => d,
        }
    }

    /// The path of the value it was found in, once the object is found among the bundle's.
    fn placed(mut self, list: &[Value]) -> ImportError {
        if let Some((address, field)) = self.found_in.take() {
            let found = list.iter().position(|v| {
                v.as_object()
                    .is_some_and(|o| std::ptr::from_ref(o) as usize == address)
            });
            if let Some(i) = found {
                let object = crate::locate::index("objects", i);
                self.at = Location::Path(if field.is_empty() || self.code == Code::MissingField {
                    object
                } else {
                    crate::locate::field(&object, &field)
                });
            }
        }
        self
    }
}

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

/// "an" before a STIX type that starts with a vowel (`an intrusion-set`), else "a".
fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// What is wrong with a required string field that is not one: (`E012`, "missing field
/// `type`") or (`E013`, "field `type` must be a string, found 5").
fn missing_or_not_a_string(found: Option<&Value>, field: &str) -> (Code, String) {
    match found {
        None => (Code::MissingField, format!("missing field `{field}`")),
        Some(v) => (
            Code::BadValue,
            format!("field `{field}` must be a string, found {}", shown_value(v)),
        ),
    }
}

/// A value as a message quotes it: its JSON, cut short.
fn shown_value(v: &Value) -> String {
    shortened(&v.to_string())
}

/// Text a message quotes (an id, a value), cut to 80 characters and an ellipsis
/// (`report::shorten` counts the ellipsis): a hostile bundle's id can be megabytes long.
fn shortened(text: &str) -> String {
    crate::report::shorten(text, 81)
}

/// An object's id as a message names it.
fn id_of(o: &Obj) -> String {
    shortened(text(o, "id").unwrap_or("?"))
}

/// A required string field, or an error naming the object and the field.
fn required<'a>(o: &'a Obj, field: &str) -> Result<&'a str, ImportError> {
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

fn not_strings(o: &Obj, field: &str) -> ImportError {
    ImportError::of(
        o,
        field,
        Code::BadValue,
        format!("{}: `{field}` must be a list of strings", id_of(o)),
    )
}

fn strings(o: &Obj, field: &str) -> Result<Vec<String>, ImportError> {
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
fn timestamp<'a>(o: &'a Obj, field: &str) -> Option<&'a str> {
    text(o, field).filter(|t| super::is_timestamp(t))
}

/// `2022-09-07T00:00:00.000Z` → `2022-09-07`, if it is a STIX timestamp of a real date.
fn date_of(o: &Obj, field: &str) -> Option<String> {
    let t = timestamp(o, field)?;
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

/// The URL of the first reference a description cites by name ([`citations`]) that has one.
fn cited_url(o: &Obj, cited: &[&str]) -> Option<String> {
    let refs = o.get("external_references")?.as_array()?;
    cited.iter().find_map(|name| {
        refs.iter()
            .filter(|r| r.get("source_name").and_then(Value::as_str) == Some(name))
            .find_map(|r| r.get("url").and_then(Value::as_str))
            .map(str::to_string)
    })
}

/// attrib's own records, embedded by `export stix`.
fn record<T: serde::de::DeserializeOwned>(o: &Obj, field: &str) -> Result<Option<T>, ImportError> {
    match o.get(field) {
        None => Ok(None),
        Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| {
            ImportError::of(
                o,
                field,
                Code::BadValue,
                format!("{}: `{field}` is not an attrib record: {e}", id_of(o)),
            )
        }),
    }
}

/// What the grouping standing for the case itself is counted as.
const CASE_GROUPING: &str = "grouping (the case)";

/// What a note saying a claim restates others is counted as.
const RESTATEMENT: &str = "note (restatement)";

/// What attrib's declared `part_of` relationships are counted as.
const STRUCTURAL: &str = "relationship (structural part of)";

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
            // An id is typed on the command line: it is made from the name as it shows, not
            // from a terminal escape's letters (`ESC [31m`).
            let s = match crate::escape::first_invisible(wanted) {
                Some(_) => slug(&crate::escape::shown_text(wanted)),
                None => slug(wanted),
            };
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

/// Whether the part after `--` is a UUID as STIX 2.1 asks (§2.9: `type--UUID`, of RFC 4122's
/// variant and versions).
fn uuid_ok(id: &str) -> bool {
    id.split_once("--").is_some_and(|(_, u)| super::is_uuid(u))
}

/// An object written out with each timestamp as the instant it names, so that two versions
/// differing only in how a time is written (`…00Z`, `…00.000Z`) write alike: keys in order
/// (serde_json's map is sorted), so equal objects write alike too.
fn as_instants(o: &Obj) -> String {
    let timestamps = TIMESTAMPS.iter().chain(&KEPT_TIMESTAMPS);
    let mut o = o.clone();
    for field in timestamps {
        if let Some(Value::String(t)) = o.get_mut(*field)
            && super::is_timestamp(t)
        {
            *t = time_key(t);
        }
    }
    serde_json::to_string(&o).expect("an object read writes out")
}

/// The warning for a marking definition `named` given again as another (`new`) than the one
/// `kept`, and whether the new one is kept instead. A marking definition cannot change (STIX
/// 2.1 §7.2: it has no `modified`), so the bundle contradicts itself, and the more restrictive
/// of the two is kept, so that what was marked TLP:RED is never shared as TLP:CLEAR: a TLP
/// level above CLEAR before a statement (terms of use do not forbid sharing), a statement
/// before TLP:CLEAR (which restricts nothing), of two levels the higher; else the first.
fn differing_definitions(named: &str, kept: &MarkingFile, new: &MarkingFile) -> (String, bool) {
    let level = |d: &MarkingFile| d.tlp.as_deref().and_then(Tlp::parse);
    let rank = |d: &MarkingFile| match level(d) {
        Some(Tlp::Clear) => 0,
        None => 1,
        Some(t) => 1 + t as u8,
    };
    let shown = |d: &MarkingFile| {
        level(d).map_or("a statement".to_string(), |t| {
            format!("TLP:{}", t.word().to_uppercase())
        })
    };
    let more_restrictive = rank(new) > rank(kept);
    let (levels, which) = if rank(new) == rank(kept) {
        (String::new(), "kept the first in the bundle".to_string())
    } else {
        let stricter = if more_restrictive { new } else { kept };
        (
            format!(" ({} and {})", shown(kept), shown(new)),
            format!("kept the more restrictive, {}", shown(stricter)),
        )
    };
    (
        format!(
            "{named}: defined again, differently{levels}, where a marking definition cannot \
             change; {which}"
        ),
        more_restrictive,
    )
}

/// Whether two definitions of one marking say the same, their `created` read as the instant
/// it names (`…00Z` and `…00.000Z` are one).
fn same_definition(a: &MarkingFile, b: &MarkingFile) -> bool {
    let instant = |m: &MarkingFile| {
        let created = m.created.as_deref();
        created.map(|t| match super::is_timestamp(t) {
            true => time_key(t),
            false => t.to_string(),
        })
    };
    let without_created = |m: &MarkingFile| MarkingFile {
        created: None,
        ..m.clone()
    };
    instant(a) == instant(b) && without_created(a) == without_created(b)
}

/// Fractional seconds padded so that two timestamps compare as text.
pub(super) fn time_key(t: &str) -> String {
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
    (o.get("external_references").and_then(Value::as_array))
        .map(|a| a.iter().filter_map(reference_of).collect())
        .unwrap_or_default()
}

/// One external reference, when it has a `source_name`.
fn reference_of(r: &Value) -> Option<ExternalReferenceFile> {
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
fn reference_urls(o: &Obj) -> Vec<String> {
    (external_references(o).into_iter())
        .filter_map(|r| r.url)
        .filter(|u| !crate::escape::blank(u))
        .collect()
}

/// The marking definitions an object refers to, sorted: its `object_marking_refs` and its
/// granular markings'.
fn object_markings(o: &Obj) -> Vec<String> {
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
fn granular_marking(g: &Value) -> bool {
    match (g.get("marking_ref"), g.get("lang")) {
        (Some(r), _) => r.is_string(),
        (None, Some(l)) => l.is_string(),
        (None, None) => false,
    }
}

/// The STIX record of an imported object.
fn stix_record(o: &Obj) -> StixObjectFile {
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
            super::export::refs_digest(refs)
        }),
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

/// The relationship types the import reads ([`Importer::statement`], and `derived-from`).
const READ_RELATIONSHIPS: [&str; 6] = [
    "attributed-to",
    "part-of",
    "related-to",
    "duplicate-of",
    "impersonates",
    "derived-from",
];

/// What an imported object becomes, which decides which of its properties attrib models.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Held {
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
    pub(super) fn of_key(key: &str) -> Held {
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
    pub(super) fn unmodelled(self, name: &str) -> bool {
        const READ_ELSEWHERE: [&str; 3] = ["revoked", "x_opencti_reliability", "x_opencti_type"];
        match name {
            "labels" | "confidence" => self != Held::Read,
            "first_seen" | "last_seen" => self == Held::Entity,
            n => !super::export::writes_property(n) && !READ_ELSEWHERE.contains(&n),
        }
    }
}


/// Warns of each property the import would keep but for a value STIX refuses there
/// ([`ill_formed`]: a `goals` that is no list of texts, a null), and of each extension STIX
/// refuses ([`extension_well_formed`]): neither is kept, so that no export of the case writes
/// it back. What the import reads, refuses or warns of elsewhere is left to that.
fn warn_ill_formed(o: &Obj, named: &str, warnings: &mut Vec<String>) {
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
            || (super::export::resolved_by_attrib(n)
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
/// those attrib writes its own of whatever they say ([`super::export::resolved_by_attrib`]:
/// what its record holds, the references and attrib's own records), an actor's, group's or
/// incident's description, which the case writes as it came, and what the import did not
/// read as it came ([`well_formed`]). Export writes them back as they came while the case has
/// not changed the object, and those attrib does not model ([`Held::unmodelled`]) even after.
/// A `confidence` kept is an integer from 0 to 100, as STIX has it, or the bundle is refused.
fn as_it_came(o: &Obj, sid: &str, held: Held) -> Result<BTreeMap<String, Value>, ImportError> {
    if held != Held::Read {
        stix_confidence(o, sid)?;
    }
    let ours = super::stix_id("extension-definition", "attrib-properties");
    let mut kept = BTreeMap::new();
    for (name, value) in o {
        let n = name.as_str();
        if (super::export::resolved_by_attrib(n) && n != "extensions")
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
fn out_of_order(o: &Obj) -> Vec<(&'static str, &'static str)> {
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
fn full_record(o: &Obj, sid: &str, held: Held) -> Result<StixObjectFile, ImportError> {
    Ok(StixObjectFile {
        properties: Some(as_it_came(o, sid, held)?),
        ..stix_record(o)
    })
}

/// The likelihood and the confidence a statement states, as a claim holds them.
type Stated = (Option<Likelihood>, Option<Confidence>);

/// What a statement's labels say that is not read as written: a label of a known vocabulary
/// whose value is none of it (`likelihood-probability="maybe"`, credibility 7), labels that
/// disagree (the first is read), a credibility beside a likelihood label (the likelihood is
/// read), and an estimative-language label and `confidence` (read as a probability) in
/// different ICD 203 terms (the label is read: a label that turns a confidence of 80 into
/// "almost no chance" would otherwise turn support into a denial unseen; attrib's own exports
/// write both alike).
fn label_warnings(o: &Obj, sid: &str, reading: ConfidenceReading) -> Vec<String> {
    const VOCABULARIES: [(&str, &str); 3] = [
        (
            "estimative-language:likelihood-probability=",
            "an ICD 203 likelihood term",
        ),
        (
            "admiralty-scale:information-credibility=",
            "an Admiralty credibility 1 to 6",
        ),
        (
            "estimative-language:confidence-in-analytic-judgment=",
            "a confidence (low, moderate, high)",
        ),
    ];
    let sid = shortened(sid);
    let ls = labels(o);
    let mut out = Vec::new();
    for l in &ls {
        let readable = vocab::parse_likelihood(l).is_some()
            || vocab::parse_credibility(l).is_some()
            || vocab::parse_confidence(l).is_some();
        if let Some((_, what)) = VOCABULARIES.iter().find(|(p, _)| l.starts_with(p))
            && !readable
        {
            out.push(format!(
                "{sid}: label {} is not {what}; not read",
                shortened(l)
            ));
        }
    }
    let terms: Vec<(&str, crate::terms::IcdTerm)> = (ls.iter())
        .filter_map(|l| Some((*l, vocab::parse_likelihood(l)?)))
        .collect();
    if let Some((first, t)) = terms.first()
        && let Some((other, _)) = terms.iter().find(|(_, u)| u != t)
    {
        out.push(format!(
            "{sid}: labels {} and {} disagree; the first is read",
            shortened(first),
            shortened(other)
        ));
    }
    let credibility = ls.iter().find(|l| vocab::parse_credibility(l).is_some());
    if let (Some((first, _)), Some(c)) = (terms.first(), credibility) {
        out.push(format!(
            "{sid}: label {} states a likelihood and {} a credibility; the likelihood is read",
            shortened(first),
            shortened(c)
        ));
    }
    let confidence = o
        .get("confidence")
        .and_then(Value::as_i64)
        .filter(|n| (0..=100).contains(n));
    if let (Some((_, term)), Some(n)) = (terms.first(), confidence) {
        let read = crate::terms::IcdTerm::from_probability(n as f64 / 100.0);
        if reading == ConfidenceReading::Probability && read != *term {
            out.push(format!(
                "{sid}: its label says \"{}\" but its `confidence` {n} reads as \"{}\"; the \
                 label is read",
                term.word(),
                read.word()
            ));
        }
    }
    out
}

/// A likelihood from a STIX `confidence` and the labels next to it.
fn likelihood_of(o: &Obj, sid: &str, reading: ConfidenceReading) -> Result<Stated, ImportError> {
    // Checked first: a label that states the likelihood does not make `confidence: 150` valid.
    let stated = stix_confidence(o, sid)?;
    let ls = labels(o);
    let confidence = ls.iter().find_map(|l| vocab::parse_confidence(l));
    if let Some(t) = ls.iter().find_map(|l| vocab::parse_likelihood(l)) {
        return Ok((Some(Likelihood::Icd(t.word().to_string())), confidence));
    }
    if let Some(n) = ls.iter().find_map(|l| vocab::parse_credibility(l)) {
        return Ok((Some(Likelihood::Admiralty(n)), confidence));
    }
    let likelihood = stated.map(|n| match reading {
        ConfidenceReading::Probability => Likelihood::Stix(n),
        ConfidenceReading::Strength => {
            Likelihood::Probability(((0.5 + 0.49 * n as f64 / 100.0) * 1e4).round() / 1e4)
        }
    });
    Ok((likelihood, confidence))
}

/// An object's STIX `confidence`, an integer from 0 to 100, when it has one; anything else is
/// refused, naming the object.
fn stix_confidence(o: &Obj, sid: &str) -> Result<Option<i64>, ImportError> {
    let Some(v) = o.get("confidence") else {
        return Ok(None);
    };
    match v.as_i64().filter(|n| (0..=100).contains(n)) {
        Some(n) => Ok(Some(n)),
        None => Err(ImportError::of(
            o,
            "confidence",
            Code::BadValue,
            format!(
                "{}: field `confidence` must be an integer from 0 to 100, found {}",
                shortened(sid),
                shown_value(v)
            ),
        )),
    }
}

/// What an opinion whose `confidence` says it has no basis ([`vocab::NO_BASIS`]) is read as:
/// an even chance, which carries no weight.
const NO_BASIS_NOTE: &str = "Its confidence is 0 (none): the opinion has no basis, read as an even chance, which carries no weight.";

/// What an opinion whose word is none of STIX's five is read as: an even chance.
const UNREAD_OPINION_NOTE: &str = "Its `opinion` is none of STIX's five words (strongly-disagree to strongly-agree): read as neutral, an even chance, which carries no weight.";

/// The likelihood an opinion states: its confidence read as a probability that it is right,
/// turned round when it disagrees, or else the probability its agreement word stands for; and
/// a note when its confidence says it has no basis ([`vocab::NO_BASIS`]: attrib's judgement on
/// insufficient evidence is written so), read as an even chance whatever its word.
fn opinion_likelihood(o: &Obj, sid: &str) -> Result<(Stated, Option<&'static str>), ImportError> {
    let (l, c) = likelihood_of(o, sid, ConfidenceReading::Probability)?;
    // An opinion's confidence is the opiner's confidence in its opinion: in a
    // disagreement, that the attribution is false.
    let word = text(o, "opinion").unwrap_or("neutral");
    let disagrees = vocab::disagrees(word);
    if let Some(Likelihood::Stix(vocab::NO_BASIS)) = l {
        return Ok(((Some(Likelihood::Probability(0.5)), c), Some(NO_BASIS_NOTE)));
    }
    // A word none of the five says neither agreement nor disagreement, whatever the
    // confidence in it: read as an even chance, and the claim's note says so (the import's
    // warning says the word is not kept). Read as its confidence, "AGREE" or `null` with
    // confidence 95 had become strong support, and "totally-disagree" a denial.
    let unread = |v: &Value| {
        v.as_str()
            .is_none_or(|w| vocab::opinion_probability(w).is_none())
    };
    if o.get("opinion").is_some_and(unread) {
        return Ok((
            (Some(Likelihood::Probability(0.5)), c),
            Some(UNREAD_OPINION_NOTE),
        ));
    }
    let l = match l {
        Some(Likelihood::Stix(n)) if disagrees => Likelihood::Stix(100 - n),
        // A neutral opinion's confidence is confidence that the attribution is an even
        // chance, not that it holds: read as the probability only where it is one attrib
        // writes as neutral (its judgements of roughly even chance, [`vocab::opinion_word`]);
        // "neutral" with confidence 95 had read as strong support.
        Some(Likelihood::Stix(n))
            if word == "neutral" && vocab::opinion_word(n as f64 / 100.0) != "neutral" =>
        {
            Likelihood::Probability(0.5)
        }
        Some(l) => l,
        None => match vocab::opinion_probability(word) {
            Some(p) => Likelihood::Probability(p),
            None => {
                return Err(ImportError::of(
                    o,
                    "opinion",
                    Code::BadValue,
                    format!(
                        "{}: field `opinion` must be one of strongly-disagree, disagree, \
                         neutral, agree, strongly-agree",
                        shortened(sid)
                    ),
                ));
            }
        },
    };
    Ok(((Some(l), c), None))
}

/// A JSON text as serde_json's `Value`, refusing an object that gives a key twice: serde_json
/// keeps the last silently, and `"confidence": 75, "confidence": 5` would turn support into
/// a denial unseen. (Its depth stays bounded by serde_json's limit on nesting.)
pub(crate) fn strict_json(text: &str) -> Result<Value, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Strict.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// [`strict_json`]'s reader of one value.
struct Strict;

impl<'de> serde::de::DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(Strict)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Strict)?;
            match out.entry(key) {
                serde_json::map::Entry::Vacant(e) => {
                    e.insert(value);
                }
                serde_json::map::Entry::Occupied(e) => {
                    return Err(serde::de::Error::custom(format!(
                        "the key `{}` is given twice in one object: which to read is not \
                         clear; keep one",
                        shortened(e.key())
                    )));
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// Reads a bundle into a case; objects attrib has no meaning for are counted and skipped.
pub fn import(text_in: &str, options: &ImportOptions) -> Result<Imported, ImportError> {
    let a_case = |syntax: &str| {
        ImportError::bundle(
            Code::Syntax,
            format!(
                "this is an attrib case ({syntax}), not a STIX bundle; \
                 `attrib export stix FILE` writes a bundle from it"
            ),
        )
    };
    let root: Value = strict_json(text_in).map_err(|e| {
        if crate::load::holds(text_in) == crate::load::Holds::RonCase {
            return a_case("RON");
        }
        let fault = crate::load::json_fault(text_in, &e);
        ImportError {
            at: Location::Span(fault.at),
            slip: Some((fault.label, fault.help)),
            ..ImportError::bundle(Code::Syntax, fault.message)
        }
    })?;
    let bundle = root.as_object().ok_or_else(|| {
        ImportError::bundle(
            Code::BadValue,
            "not a STIX bundle: the top level must be an object",
        )
    })?;
    if text(bundle, "type") != Some("bundle") {
        match crate::load::holds(text_in) {
            crate::load::Holds::JsonCase => return Err(a_case("JSON")),
            crate::load::Holds::Report => {
                return Err(ImportError::bundle(
                    Code::BadValue,
                    "this is a report attrib wrote (its `schema` says so), not a STIX bundle; \
                     `attrib export stix CASE` writes a bundle from the case it was made from",
                ));
            }
            _ => {}
        }
        return Err(ImportError::bundle(
            Code::BadValue,
            "not a STIX bundle: the top-level object's `type` must be \"bundle\"",
        )
        .at("type".into()));
    }
    let list = match bundle.get("objects") {
        Some(Value::Array(list)) => list,
        Some(v) => {
            return Err(ImportError::bundle(
                Code::BadValue,
                format!(
                    "bundle: field `objects` must be a list of objects, found {}",
                    shown_value(v)
                ),
            )
            .at("objects".into()));
        }
        None => {
            return Err(ImportError::bundle(
                Code::MissingField,
                "bundle: missing field `objects` (a list)",
            )
            .at(String::new()));
        }
    };
    read_bundle(list, options).map_err(|e| e.placed(list))
}

/// The objects of a bundle read into a case.
fn read_bundle(list: &[Value], options: &ImportOptions) -> Result<Imported, ImportError> {
    let mut log = Log::default();
    let keep = chosen_case(list, options.case.as_deref())?;
    let index = Index::read(list, keep.as_ref(), &mut log)?;
    let mut importer = Importer::new(&index, options, log);
    importer.case_metadata()?;
    importer.roles()?;
    importer.own_records()?;
    importer.entities()?;
    importer.reports()?;
    importer.groupings()?;
    let pending = importer.statements()?;
    importer.claims(pending)?;
    importer.events()?;
    importer.derivations()?;
    let mut imported = importer.finish();
    imported.warning_paths = warning_paths(list, &index, &imported.warnings);
    Ok(imported)
}

/// [`Imported::warning_paths`]: a warning that begins with an object's STIX id (`relationship--…:
/// its confidence …`) points at that object, the version the import read when it read one.
fn warning_paths(list: &[Value], index: &Index<'_>, warnings: &[String]) -> Vec<Option<String>> {
    if warnings.is_empty() {
        return Vec::new();
    }
    let address = |o: &Obj| std::ptr::from_ref(o) as usize;
    let mut by_address: HashMap<usize, usize> = HashMap::new();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, o) in list
        .iter()
        .enumerate()
        .filter_map(|(i, v)| Some((i, v.as_object()?)))
    {
        by_address.insert(address(o), i);
        if let Some(id) = text(o, "id") {
            first.entry(id).or_insert(i);
        }
    }
    (warnings.iter())
        .map(|w| {
            // "relationship--…: …", or "intrusion-set--… (`crew`): …".
            let id = w.split_once(": ")?.0.split(' ').next()?;
            let i = (index.objects.get(id))
                .and_then(|o| by_address.get(&address(o)))
                .or_else(|| first.get(id))?;
            Some(crate::locate::field(
                &crate::locate::index("objects", *i),
                "id",
            ))
        })
        .collect()
}

/// The ids of the objects to read when the bundle holds several of attrib's cases, or one is
/// asked for ([`select`]); `None`: every object. Several cases read together would clash
/// (each has its claim `c1`), so they are refused unless one is chosen.
fn chosen_case(list: &[Value], name: Option<&str>) -> Result<Option<HashSet<String>>, ImportError> {
    let cases = select::cases(list);
    let listed = || {
        let names: Vec<String> = cases.iter().map(select::FoundCase::named).collect();
        names.join(", ")
    };
    let Some(name) = name else {
        if let Some(second) = cases.get(1) {
            return Err(ImportError::bundle(
                Code::Conflicting,
                format!(
                    "the bundle holds {} of attrib's cases: {}; read together their claims \
                     would clash, so import one with --case ID (its `id`, or the title of one \
                     published without an id)",
                    cases.len(),
                    listed()
                ),
            )
            .at(crate::locate::index("objects", second.index)));
        }
        return Ok(None);
    };
    match select::pick(&cases, name)[..] {
        [case] => Ok(Some(select::members(list, case))),
        [_, second, ..] => Err(ImportError::bundle(
            Code::Conflicting,
            format!(
                "--case {}: several cases published without an id have this title; the \
                 bundle holds {}; give each case an `id` and publish it again",
                crate::report::shorten(name, 60),
                listed()
            ),
        )
        .at(crate::locate::index("objects", second.index))),
        [] if cases.is_empty() => Err(ImportError::bundle(
            Code::UnknownName,
            format!(
                "--case {}: the bundle holds none of attrib's cases (a grouping carrying \
                 `x_attrib_case`); import it without --case",
                crate::report::shorten(name, 60)
            ),
        )),
        [] => Err(ImportError::bundle(
            Code::UnknownName,
            format!(
                "--case {}: no such case in the bundle; it holds {}",
                crate::report::shorten(name, 60),
                listed()
            ),
        )),
    }
}

/// The objects of a bundle attrib maps, newest version of each, live ones only (revoked and
/// deprecated ones are counted and listed), with the marking definitions and `revoked-by`
/// replacements: what every later phase of an import reads.
struct Index<'a> {
    objects: BTreeMap<String, &'a Obj>,
    marking_defs: BTreeMap<String, MarkingFile>,
    /// Each revoked object's last replacement, at the end of its `revoked-by` chain; `None`
    /// for one whose chain runs in a circle.
    replaced_by: HashMap<String, Option<String>>,
    /// The revoked and deprecated objects left out (listed in one warning).
    left_out: HashSet<String>,
}

impl<'a> Index<'a> {
    /// Indexes the bundle's objects, counting and warning into `log` as it goes.
    // Kept whole: one pass over the list with a branch per kind of object, then the
    // bundle-wide checks (versions, revocations, TLP:RED) that need the whole index, together
    // so that the order of warnings stays that of the bundle.
    fn read(
        list: &'a [Value],
        keep: Option<&HashSet<String>>,
        log: &mut Log,
    ) -> Result<Index<'a>, ImportError> {
        // Index the objects attrib maps, newest version of each; count the rest.
        let mut objects: BTreeMap<String, &'a Obj> = BTreeMap::new();
        let mut marking_defs: BTreeMap<String, MarkingFile> = BTreeMap::new();
        let mut revoked_ids: BTreeSet<String> = BTreeSet::new();
        let mut deprecated_ids: BTreeSet<String> = BTreeSet::new();
        let mut replaced_by: HashMap<String, String> = HashMap::new();
        let mut versions: BTreeMap<String, usize> = BTreeMap::new();
        // Objects whose newest versions, as new as each other, differ: the distinct ones, as
        // written out with their times as instants ([`as_instants`]), each compared once.
        let mut clashing: BTreeMap<String, HashSet<String>> = BTreeMap::new();
        // Objects attrib reads that are not marked STIX 2.1, by the `spec_version` they state.
        let mut other_versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (i, v) in list.iter().enumerate() {
            let o = v.as_object().ok_or_else(|| {
                ImportError::bundle(
                    Code::BadValue,
                    format!("object #{i} of the bundle is not a JSON object"),
                )
                .at(crate::locate::index("objects", i))
            })?;
            let kind = match o.get("type") {
                Some(Value::String(t)) => t.as_str(),
                found => {
                    let (code, what) = missing_or_not_a_string(found, "type");
                    return Err(ImportError::of(
                        o,
                        "type",
                        code,
                        format!("object #{i} ({}): {what}", id_of(o)),
                    ));
                }
            };
            let id = match o.get("id") {
                Some(Value::String(s)) => s.as_str(),
                found => {
                    let (code, what) = missing_or_not_a_string(found, "id");
                    return Err(ImportError::of(
                        o,
                        "id",
                        code,
                        format!("object #{i} ({} {kind}): {what}", article(kind)),
                    ));
                }
            };
            if keep.is_some_and(|k| !k.contains(id)) {
                *log.skipped
                    .entry(format!("{kind} (of another case)"))
                    .or_default() += 1;
                continue;
            }
            let named = shortened(id);
            if !uuid_ok(id) {
                log.warnings.push(format!(
                    "object #{i} ({named}): the part of `id` after `--` is not a UUID of RFC 4122's versions 1 to 5, as STIX 2.1 requires (imported all the same; `check` says what an export makes of it)"
                ));
            }
            // STIX 2.1 forbids empty lists; such an object is invalid, but need not stop the rest.
            for (field, value) in o {
                if value.as_array().is_some_and(Vec::is_empty) {
                    log.warnings.push(format!(
                        "{named}: `{field}` is an empty list, which STIX 2.1 does not allow (the bundle is invalid; imported what could be)"
                    ));
                }
            }
            warn_ill_formed(o, &named, &mut log.warnings);
            if kind == "marking-definition" {
                // Read whole (it has an id, checked above): it goes to the case's markings if
                // anything imported is marked with it, and is counted then (`finish`).
                match markings::read(o) {
                    Some(m) => match marking_defs.get(&m.id) {
                        None => {
                            marking_defs.insert(m.id.clone(), m);
                        }
                        Some(kept) => {
                            *log.skipped.entry(format!("{kind} (repeated)")).or_default() += 1;
                            if !same_definition(kept, &m) {
                                let (warning, stricter) = differing_definitions(&named, kept, &m);
                                log.warnings.push(warning);
                                if stricter {
                                    marking_defs.insert(m.id.clone(), m);
                                }
                            }
                        }
                    },
                    None => *log.skipped.entry(kind.to_string()).or_default() += 1,
                }
                continue;
            }
            if kind == "relationship" && text(o, "relationship_type") == Some("revoked-by") {
                if let (Some(a), Some(b)) = (text(o, "source_ref"), text(o, "target_ref")) {
                    replaced_by.insert(a.to_string(), b.to_string());
                }
                *log.imported
                    .entry("relationship revoked-by".into())
                    .or_default() += 1;
                continue;
            }
            if !MAPPED.contains(&kind) {
                *log.skipped.entry(kind.to_string()).or_default() += 1;
                continue;
            }
            // A marking that cannot be read must not be dropped: the bundle is refused.
            if let Some(v) = o.get("object_marking_refs")
                && !v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
            {
                return Err(ImportError::of(
                    o,
                    "object_marking_refs",
                    Code::BadValue,
                    format!(
                        "{named}: `object_marking_refs` must be a list of marking-definition \
                         ids, found {}; refused rather than import the object unmarked",
                        shown_value(v)
                    ),
                ));
            }
            if let Some(v) = o.get("granular_markings")
                && !v.as_array().is_some_and(|a| a.iter().all(granular_marking))
            {
                return Err(ImportError::of(
                    o,
                    "granular_markings",
                    Code::BadValue,
                    format!(
                        "{named}: `granular_markings` must be a list of granular markings, \
                         each with a `marking_ref` (a marking-definition id) or a `lang`, found \
                         {}; refused rather than import the object unmarked",
                        shown_value(v)
                    ),
                ));
            }
            if !id.starts_with(&format!("{kind}--")) {
                return Err(ImportError::of(
                    o,
                    "id",
                    Code::BadValue,
                    format!(
                        "{}: field `id` must start with `{kind}--` for {} {kind}",
                        shortened(id),
                        article(kind)
                    ),
                ));
            }
            for &field in TIMESTAMPS.iter().chain(&KEPT_TIMESTAMPS) {
                if let Some(t) = o
                    .get(field)
                    .filter(|t| !t.as_str().is_some_and(super::is_timestamp))
                {
                    let shown = crate::report::shorten(&t.to_string(), 41);
                    log.warnings.push(format!(
                        "{named}: `{field}` {shown} is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS.sssZ, \
                         a real date in UTC); not kept"
                    ));
                }
            }
            for (field, _) in o.iter().filter(|(f, v)| field_too_deep(f, v)) {
                log.warnings.push(format!(
                    "{named}: `{}` nests more than {MAX_KEPT_DEPTH} levels deep; not kept",
                    shortened(field)
                ));
            }
            let stated = o.get("spec_version");
            if stated != Some(&Value::String("2.1".into())) {
                let said = stated.map_or_else(|| "none".to_string(), shown_value);
                other_versions
                    .entry(said)
                    .or_default()
                    .insert(named.clone());
            }
            *versions.entry(id.to_string()).or_default() += 1;
            // The newest `modified` wins, wherever it stands in the file; the other versions
            // are counted as left out. Of two as new that differ, the later in the file wins.
            // One that is no timestamp (reported above) is older than every one that is.
            let modified = |o: &Obj| {
                text(o, "modified")
                    .filter(|t| super::is_timestamp(t))
                    .map(time_key)
            };
            let left_out = match objects.get(id) {
                Some(old) if modified(old) > modified(o) => true,
                Some(old) if modified(old) == modified(o) && *old != o => {
                    let (was, is) = (as_instants(old), as_instants(o));
                    if was != is {
                        (clashing.entry(id.to_string()))
                            .or_insert_with(|| HashSet::from([was]))
                            .insert(is);
                    }
                    objects.insert(id.to_string(), o);
                    true
                }
                Some(old) if modified(old) < modified(o) => {
                    clashing.remove(id);
                    objects.insert(id.to_string(), o);
                    true
                }
                _ => objects.insert(id.to_string(), o).is_some(),
            };
            if left_out {
                *log.skipped
                    .entry(format!("{kind} (older version)"))
                    .or_default() += 1;
            }
        }
        for (said, ids) in &other_versions {
            let more = ids.len().saturating_sub(3);
            let listed: Vec<&str> = ids.iter().take(3).map(String::as_str).collect();
            let listed = listed.join(", ");
            let (n, one) = (ids.len(), ids.len() == 1);
            let what = if said == "none" {
                format!(
                    "state{} no `spec_version`, which STIX 2.1 requires",
                    if one { "s" } else { "" }
                )
            } else {
                format!(
                    "state{} `spec_version` {said}, not \"2.1\"",
                    if one { "s" } else { "" }
                )
            };
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            log.warnings.push(format!(
                "{n} object{} of the types attrib reads {what} ({listed}{more}): read as STIX \
                 2.1; a property another version defines otherwise may be misread",
                if one { "" } else { "s" },
            ));
        }
        // One line an object, however many versions it has.
        for (id, &n) in versions.iter().filter(|(_, n)| **n > 1) {
            let shown = shortened(id);
            // Versions without a readable `modified` are as new as each other; the newest
            // has none only when none has.
            let newest = (objects.get(id))
                .and_then(|o| text(o, "modified"))
                .filter(|t| super::is_timestamp(t));
            let same = match newest {
                Some(_) => "the same `modified`",
                None => "no readable `modified`",
            };
            log.warnings
                .push(match (clashing.get(id).map(HashSet::len), newest) {
                    (Some(2), _) if n == 2 => format!(
                        "{shown}: two versions with {same} differ; kept the later in the bundle"
                    ),
                    (Some(k), _) if k == n => format!(
                        "{shown}: {n} versions with {same} differ; kept the last in the bundle"
                    ),
                    (Some(k), Some(newest)) => format!(
                        "{shown}: {n} versions in the bundle; kept the newest (modified {newest}), \
                     the last in the bundle of {k} that differ under it"
                    ),
                    (Some(k), None) => format!(
                        "{shown}: {n} versions in the bundle, {k} of them differing, none with a \
                     readable `modified`; kept the last in the bundle"
                    ),
                    (None, Some(newest)) => format!(
                        "{shown}: {n} versions in the bundle; kept the newest (modified {newest})"
                    ),
                    (None, None) => format!(
                        "{shown}: {n} versions in the bundle, alike, none with a readable \
                     `modified`; kept the last"
                    ),
                });
        }
        // Revoked and deprecated objects are left out and listed. A flag that is no boolean
        // says nothing STIX defines: the object is kept, with a warning.
        for (id, o) in &objects {
            for flag in ["revoked", "x_mitre_deprecated"] {
                if let Some(v) = o.get(flag).filter(|v| !v.is_boolean()) {
                    log.warnings.push(format!(
                        "{}: `{flag}` must be true or false, found {}; read as false, so the \
                         object is imported",
                        shortened(id),
                        shown_value(v)
                    ));
                }
            }
        }
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
                *log.skipped
                    .entry("revoked or deprecated".into())
                    .or_default() += ids.len();
                let list: Vec<&str> = ids.iter().map(String::as_str).collect();
                log.warnings
                    .push(format!("skipped {} {what}: {}", ids.len(), list.join(", ")));
            }
        }
        // A marking referenced but defined neither in the bundle nor by STIX (TLP) is kept
        // as a reference the case cannot read.
        let mut undefined: BTreeMap<&str, usize> = BTreeMap::new();
        for o in objects.values() {
            let refs = (o.get("object_marking_refs").and_then(Value::as_array))
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            for m in refs {
                if !marking_defs.contains_key(m) && markings::tlp_of(m, &[]).is_none() {
                    *undefined.entry(m).or_default() += 1;
                }
            }
        }
        for (m, n) in undefined {
            log.warnings.push(format!(
                "marking {} marks {} but is not defined in the bundle; kept as a reference, \
                 which attrib cannot read as a TLP level",
                shortened(m),
                crate::report::plural(n, "object")
            ));
        }
        let left_out = revoked_ids.into_iter().chain(deprecated_ids).collect();
        Ok(Index {
            objects,
            marking_defs,
            replaced_by: last_replacements(&replaced_by),
            left_out,
        })
    }

    /// Every object of STIX type `t`, by id.
    fn of_type(&self, t: &'static str) -> impl Iterator<Item = (&str, &'a Obj)> {
        self.objects
            .iter()
            .filter(move |(_, o)| text(o, "type") == Some(t))
            .map(|(id, o)| (id.as_str(), *o))
    }

    /// Where a `revoked-by` chain from `id` ends, when it ends at a live object.
    fn replacement(&self, id: &str) -> Option<String> {
        let last = self.replaced_by.get(id)?.as_ref()?;
        (last != id && self.objects.contains_key(last)).then(|| last.clone())
    }

    /// A ref, or its replacement when it was revoked (noted in `notes`).
    fn resolve(&self, r: &str, notes: &mut Vec<String>) -> String {
        match self.replacement(r) {
            Some(n) => {
                notes.push(format!("{r} was revoked; its replacement {n} is used."));
                n
            }
            None => r.to_string(),
        }
    }
}

/// Where each chain of `next` (a revoked object's replacement) ends, for every object on one;
/// `None` for those whose chain runs into a circle. Each chain is followed once, and every
/// object on it given the end: following it afresh for each reference made a bundle of
/// 16,000 objects, each revoked by the next and referred to, take more than a minute.
fn last_replacements(next: &HashMap<String, String>) -> HashMap<String, Option<String>> {
    let mut last: HashMap<String, Option<String>> = HashMap::with_capacity(next.len());
    for start in next.keys() {
        let mut path: Vec<&String> = Vec::new();
        let mut on_path: HashSet<&String> = HashSet::new();
        let mut cur = start;
        let end = loop {
            if let Some(known) = last.get(cur) {
                break known.clone();
            }
            let Some(n) = next.get(cur) else {
                break Some(cur.clone());
            };
            if !on_path.insert(cur) {
                break None;
            }
            path.push(cur);
            cur = n;
        };
        for id in path {
            last.insert(id.clone(), end.clone());
        }
    }
    last
}

/// What an import counted and noticed, reported to the user.
#[derive(Default)]
struct Log {
    imported: BTreeMap<String, usize>,
    skipped: BTreeMap<String, usize>,
    warnings: Vec<String>,
}

/// An import in progress: the case being built from an [`Index`], and what each STIX object
/// became. [`import`] runs its phases in order; each reads what the earlier ones built.
struct Importer<'a, 'i> {
    index: &'i Index<'a>,
    options: &'i ImportOptions,
    attrib_identity: String,
    /// What became of the bundle's objects, by what (type, and why when it is not plain),
    /// imported into the case or skipped; every indexed object is counted once, under one
    /// of the two ([`Importer::took`], [`Importer::skip`]).
    imported: BTreeMap<String, usize>,
    skipped: BTreeMap<String, usize>,
    /// The ids of the indexed objects counted so far.
    accounted: HashSet<String>,
    warnings: Vec<String>,
    file: CaseFile,
    stix: StixFile,
    /// The bundle is attrib's own export (its case record was found).
    own_export: bool,
    /// Identities that created objects (sources) …
    creators: BTreeSet<String>,
    /// … and those relationships and opinions are about (actors).
    endpoints: BTreeSet<String>,
    /// Campaigns that an incident is attributed to act as the group behind it.
    campaign_groups: BTreeSet<String>,
    /// Entities and incidents share one namespace; sources another; claims a third.
    names: Ids,
    source_ids: Ids,
    claim_ids: Ids,
    /// attrib id of each STIX object, by what it became.
    entity_of: HashMap<String, String>,
    incident_of: HashMap<String, String>,
    source_of: HashMap<String, String>,
    /// STIX records of objects from other tools, by attrib key.
    records: BTreeMap<String, (StixObjectFile, &'a Obj)>,
    /// The report each relationship was published in, and each report's relationships.
    report_of_claim: HashMap<String, String>,
    report_claims: BTreeMap<String, Vec<String>>,
    /// MISP events: groupings or reports that hold actors and no relationships.
    events: Vec<(String, &'a Obj)>,
    /// Index in `file.claims` of each imported statement.
    claim_of: HashMap<String, usize>,
    /// The source standing in for statements without a known creator, once needed.
    unattributed: Option<String>,
    /// `derived-from` relationships (id, from, to), resolved once every claim exists.
    derived: Vec<(String, String, String)>,
    /// Restatement notes: the id and the refs of each.
    restated: Vec<(String, Vec<String>)>,
    /// Hypotheses attrib's judgements named.
    judged: BTreeSet<(String, String)>,
    exclusive: Vec<ExclusiveFile>,
    /// The ids of actors, groups and incidents by their names and aliases, built when a
    /// claim's record names an end otherwise than by its id ([`Importer::names_the_same`]).
    ids_by_name: Option<HashMap<String, Vec<String>>>,
    /// The keys (`entity:ID`, `incident:ID`, `source:ID`) the case's own record gives objects
    /// of the bundle that came without a record of their own, by STIX id: such an object (its
    /// record removed by hand, or by a tool that kept some custom properties and not others)
    /// gets its id back, so that the claims whose records name it still do.
    recorded_keys: HashMap<String, Vec<String>>,
}

impl<'a, 'i> Importer<'a, 'i> {
    fn new(index: &'i Index<'a>, options: &'i ImportOptions, log: Log) -> Importer<'a, 'i> {
        Importer {
            index,
            options,
            attrib_identity: super::stix_id("identity", "attrib"),
            imported: log.imported,
            skipped: log.skipped,
            accounted: HashSet::new(),
            warnings: log.warnings,
            file: CaseFile {
                title: options.title.clone(),
                ..Default::default()
            },
            stix: StixFile::default(),
            own_export: false,
            creators: BTreeSet::new(),
            endpoints: BTreeSet::new(),
            campaign_groups: BTreeSet::new(),
            names: Ids::default(),
            source_ids: Ids::default(),
            claim_ids: Ids::default(),
            entity_of: HashMap::new(),
            incident_of: HashMap::new(),
            source_of: HashMap::new(),
            records: BTreeMap::new(),
            report_of_claim: HashMap::new(),
            report_claims: BTreeMap::new(),
            events: Vec::new(),
            claim_of: HashMap::new(),
            unattributed: None,
            derived: Vec::new(),
            restated: Vec::new(),
            judged: BTreeSet::new(),
            exclusive: Vec::new(),
            ids_by_name: None,
            recorded_keys: HashMap::new(),
        }
    }

    /// The properties of the case's record nested deeper than a case holds ([`too_deep`]),
    /// left out with a warning: a record written by hand, or by an older attrib.
    fn drop_deep_properties(&mut self, stix: &mut StixFile) {
        for (key, object) in &mut stix.objects {
            if let Some(properties) = &mut object.properties {
                properties.retain(|name, value| {
                    let keep = !too_deep(value);
                    if !keep {
                        self.warnings.push(format!(
                            "the case's record of `{}`: `{}` nests more than \
                             {MAX_KEPT_DEPTH} levels deep; not kept",
                            shortened(key),
                            shortened(name)
                        ));
                    }
                    keep
                });
            }
        }
    }

    /// The case's title and metadata: attrib's own record, else what a standard-only round trip kept.
    fn case_metadata(&mut self) -> Result<(), ImportError> {
        let index = self.index;
        // Case metadata from attrib's own export.
        for (sid, o) in index.of_type("grouping") {
            if let Some(meta) = record::<CaseFile>(o, "x_attrib_case")? {
                self.file.id = meta.id;
                self.file.title = meta.title;
                self.file.description = meta.description;
                self.file.analyst = meta.analyst;
                self.file.tlp = meta.tlp;
                self.file.as_of = meta.as_of;
                self.file.prior = meta.prior;
                self.file.hypotheses = meta.hypotheses;
                self.file.exclusive = meta.exclusive;
                if let Some(mut s) = meta.stix {
                    self.drop_deep_properties(&mut s);
                    self.stix = s;
                }
                self.own_export = true;
                self.took(sid, CASE_GROUPING);
            }
        }
        if !self.own_export {
            // attrib's export read by a tool that kept only standard properties: the last
            // case grouping of attrib's is read (any other is counted with the groupings).
            let case = index
                .of_type("grouping")
                .filter(|(_, o)| {
                    text(o, "created_by_ref") == Some(&self.attrib_identity)
                        && text(o, "context") == Some("suspicious-activity")
                        && text(o, "name").is_some()
                })
                .last();
            if let Some((sid, o)) = case {
                self.file.title = text(o, "name").unwrap_or_default().to_string();
                self.file.description = text(o, "description").map(str::to_string);
                self.file.as_of = date_of(o, "modified");
                self.took(sid, CASE_GROUPING);
            }
        }
        if self.file.title == self.options.title
            && let Some((_, r)) = index.of_type("report").next()
            && index.of_type("report").count() == 1
            && let Some(name) = text(r, "name")
        {
            self.file.title = name.to_string();
        }

        Ok(())
    }

    /// Which identities are creators (sources) and which are attributed to (actors).
    fn roles(&mut self) -> Result<(), ImportError> {
        let index = self.index;
        // Which identities are creators (sources) and which are attributed to (actors).
        // Campaigns that an incident is attributed to act as the group behind it.
        for &o in index.objects.values() {
            if let Some(c) = text(o, "created_by_ref")
                && c != self.attrib_identity
            {
                self.creators.insert(c.to_string());
            }
        }
        for (_, o) in index.of_type("relationship") {
            let rtype = text(o, "relationship_type").unwrap_or_default();
            if matches!(
                rtype,
                "attributed-to" | "impersonates" | "related-to" | "duplicate-of" | "part-of"
            ) {
                for f in ["source_ref", "target_ref"] {
                    if let Some(r) = text(o, f) {
                        self.endpoints.insert(r.to_string());
                    }
                }
            }
            if rtype == "attributed-to"
                && text(o, "source_ref").is_some_and(|s| s.starts_with("incident--"))
                && let Some(t) = text(o, "target_ref")
                && t.starts_with("campaign--")
            {
                self.campaign_groups.insert(t.to_string());
            }
        }
        for (_, o) in index.of_type("opinion").chain(index.of_type("note")) {
            for r in strings(o, "object_refs")? {
                if r.starts_with("identity--") {
                    self.endpoints.insert(r);
                }
            }
        }

        Ok(())
    }

    /// attrib's own records first, so that their ids are kept exactly.
    fn own_records(&mut self) -> Result<(), ImportError> {
        let index = self.index;
        // attrib's own records first, so their ids are kept exactly.
        for (sid, &o) in &index.objects {
            let key = if let Some(a) = record::<ActorFile>(o, "x_attrib_actor")? {
                self.names.reserve(&a.id);
                self.entity_of.insert(sid.clone(), a.id.clone());
                let key = format!("entity:{}", a.id);
                self.file.actors.push(a);
                key
            } else if let Some(g) = record::<GroupFile>(o, "x_attrib_group")? {
                self.names.reserve(&g.id);
                self.entity_of.insert(sid.clone(), g.id.clone());
                let key = format!("entity:{}", g.id);
                self.file.groups.push(g);
                key
            } else if let Some(i) = record::<IncidentFile>(o, "x_attrib_incident")? {
                self.names.reserve(&i.id);
                self.incident_of.insert(sid.clone(), i.id.clone());
                let key = format!("incident:{}", i.id);
                self.file.incidents.push(i);
                key
            } else if let Some(s) = record::<SourceFile>(o, "x_attrib_source")? {
                self.source_ids.reserve(&s.id);
                self.source_of.insert(sid.clone(), s.id.clone());
                let key = format!("source:{}", s.id);
                self.file.sources.push(s);
                key
            } else {
                continue;
            };
            self.keep_own_markings(key, o);
            self.took(sid, text(o, "type").unwrap_or_default());
        }
        // What the records name, as the keys of the objects attrib's export made of them.
        let mut named: BTreeSet<String> = BTreeSet::new();
        for &o in index.objects.values() {
            if let Some(c) = record::<ClaimFile>(o, "x_attrib_claim")? {
                self.claim_ids.reserve(&c.id);
                named.insert(format!("source:{}", c.source));
                for end in std::iter::once(&c.subject).chain(&c.object) {
                    named.insert(format!("entity:{end}"));
                    named.insert(format!("incident:{end}"));
                }
            }
        }
        for part in self.file.actors.iter().filter_map(|a| a.part_of.as_ref()) {
            named.insert(format!("entity:{part}"));
        }
        self.recover_keys(named);

        Ok(())
    }

    /// Fills [`Importer::recorded_keys`]: for each object of the bundle read without a record
    /// of its own, the keys the case's `stix` section gives its STIX id, and those of
    /// `named` (what other records name) under which attrib's export derives that id.
    fn recover_keys(&mut self, named: BTreeSet<String>) {
        let index = self.index;
        let unread = |sid: &str| {
            index.objects.contains_key(sid)
                && !self.entity_of.contains_key(sid)
                && !self.incident_of.contains_key(sid)
                && !self.source_of.contains_key(sid)
        };
        let mut found: Vec<(String, String)> = Vec::new();
        for (key, rec) in &self.stix.objects {
            if let Some(sid) = rec.id.as_deref().filter(|sid| unread(sid)) {
                found.push((sid.to_string(), key.clone()));
            }
        }
        for key in named {
            let types: &[&str] = match key.split_once(':').map_or("", |(k, _)| k) {
                "source" => &["identity", "report"],
                "entity" => &["threat-actor", "intrusion-set", "identity", "campaign"],
                _ => &["incident", "campaign"],
            };
            for t in types {
                let sid = super::stix_id(t, &key);
                if unread(&sid) {
                    found.push((sid, key.clone()));
                }
            }
        }
        for (sid, key) in found {
            let keys = self.recorded_keys.entry(sid).or_default();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }

    /// The id of the object `sid`, named `name`, as an actor or group (`prefix` "entity"), an
    /// incident ("incident") or a source ("source"): the one the case's record gives it
    /// ([`Importer::recorded_keys`]) when it is free, else one made from its name (`fallback`
    /// when the name makes none).
    fn id_for(&mut self, sid: &str, prefix: &str, name: &str, fallback: &str) -> String {
        let ids = match prefix {
            "source" => &mut self.source_ids,
            _ => &mut self.names,
        };
        let recorded = (self.recorded_keys.get(sid).into_iter().flatten())
            .filter_map(|k| k.strip_prefix(prefix)?.strip_prefix(':'))
            .find(|id| !id.trim().is_empty() && ids.reserve(id))
            .map(str::to_string);
        match recorded {
            Some(id) => {
                self.warnings.push(format!(
                    "{}: came without attrib's record of {prefix} `{}`, which the case's other \
                     records name; read from its standard properties under that id",
                    shortened(sid),
                    crate::report::shorten(&id, 60)
                ));
                id
            }
            None => ids.take(name, fallback),
        }
    }

    /// Keeps the markings of an object of attrib's own export, under the case's `key` for it,
    /// with what the case's record kept of it: those the export raised it to (`--tlp`), or
    /// that were added since, are the object's now, and its next export marks it so again.
    fn keep_own_markings(&mut self, key: String, o: &Obj) {
        let markings = object_markings(o);
        if markings.is_empty() {
            return;
        }
        let kept = &mut self.stix.objects.entry(key).or_default().markings;
        kept.extend(markings);
        kept.sort();
        kept.dedup();
    }

    /// Actors, groups and incidents from threat actors, intrusion sets, campaigns, incidents and identities; identities that create objects become sources.
    fn entities(&mut self) -> Result<(), ImportError> {
        let index = self.index;
        for (sid, &o) in &index.objects {
            if self.entity_of.contains_key(sid)
                || self.incident_of.contains_key(sid)
                || self.source_of.contains_key(sid)
            {
                continue;
            }
            let kind = text(o, "type").unwrap_or_default();
            // What it became, where that is not what its type says: a campaign an incident is
            // attributed to is a group the incident chains through (docs/stix.md), which can
            // move the judgements, so the summary says so.
            let became = if kind == "campaign" && self.campaign_groups.contains(sid) {
                "campaign (as a group: an incident is attributed to it)"
            } else {
                kind
            };
            let imported = match kind {
                "threat-actor" => {
                    self.threat_actor(sid, o)?;
                    true
                }
                "intrusion-set" => {
                    self.group(sid, o, "group")?;
                    true
                }
                "campaign" if self.campaign_groups.contains(sid) => {
                    // OpenCTI: incident attributed-to campaign attributed-to intrusion set.
                    self.group(sid, o, "campaign")?;
                    true
                }
                "campaign" | "incident" => {
                    self.incident(sid, o)?;
                    true
                }
                "identity" => self.identity(sid, o)?,
                _ => false,
            };
            if imported {
                self.took(sid, became);
            }
        }
        Ok(())
    }

    /// A threat actor: a person when its resource level is individual; a nation-state acting
    /// with government resources a state when it sponsors or directs (or its roles are not
    /// given), an agency when it acts for one (role `agent`); an organisation otherwise. (A
    /// bundle such as OASIS's APT1 marks the unit's officers nation-state with government
    /// resources too: without roles they would all be states.)
    fn threat_actor(&mut self, sid: &str, o: &'a Obj) -> Result<(), ImportError> {
        let name = required(o, "name")?;
        let id = self.id_for(sid, "entity", name, "actor");
        let aliases = aliases_of(o, name)?;
        // OpenCTI writes a person as a threat actor of its own type, whatever its resources.
        let person = text(o, "resource_level") == Some("individual")
            || text(o, "x_opencti_type") == Some("Threat-Actor-Individual");
        let governmental = strings(o, "threat_actor_types")?
            .iter()
            .any(|t| t == "nation-state")
            && text(o, "resource_level") == Some("government");
        let roles = strings(o, "roles")?;
        let has = |r: &str| roles.iter().any(|x| x == r);
        let kind = if person {
            ActorKind::Person
        } else if governmental && (roles.is_empty() || has("sponsor") || has("director")) {
            ActorKind::State
        } else if governmental && has("agent") {
            ActorKind::Agency
        } else {
            ActorKind::Organisation
        };
        self.file.actors.push(ActorFile {
            id: id.clone(),
            name: name.to_string(),
            kind,
            aliases,
            part_of: None,
            description: text(o, "description").map(str::to_string),
        });
        self.records.insert(
            format!("entity:{id}"),
            (full_record(o, sid, Held::Entity)?, o),
        );
        self.entity_of.insert(sid.to_string(), id);
        Ok(())
    }

    /// An intrusion set, or a campaign that acts as the group behind incidents; `fallback` is
    /// the id it gets when its name makes none.
    fn group(&mut self, sid: &str, o: &'a Obj, fallback: &str) -> Result<(), ImportError> {
        let name = required(o, "name")?;
        let id = self.id_for(sid, "entity", name, fallback);
        let aliases = aliases_of(o, name)?;
        self.file.groups.push(GroupFile {
            id: id.clone(),
            name: name.to_string(),
            kind: GroupKind::IntrusionSet,
            aliases,
            description: text(o, "description").map(str::to_string),
        });
        self.records.insert(
            format!("entity:{id}"),
            (full_record(o, sid, Held::Entity)?, o),
        );
        self.entity_of.insert(sid.to_string(), id);
        Ok(())
    }

    /// A campaign or incident, dated by when it was first and last seen.
    fn incident(&mut self, sid: &str, o: &'a Obj) -> Result<(), ImportError> {
        let name = required(o, "name")?;
        let id = self.id_for(sid, "incident", name, "incident");
        let references = reference_urls(o);
        let aliases = aliases_of(o, name)?;
        self.file.incidents.push(IncidentFile {
            id: id.clone(),
            name: name.to_string(),
            aliases,
            // Without `first_seen`, when it was created; with one that is no timestamp
            // (reported), no start rather than a guess.
            start: if o.contains_key("first_seen") {
                date_of(o, "first_seen")
            } else {
                date_of(o, "created")
            },
            end: date_of(o, "last_seen"),
            victim: None,
            description: text(o, "description").map(str::to_string),
            references,
        });
        self.records.insert(
            format!("incident:{id}"),
            (full_record(o, sid, Held::Incident)?, o),
        );
        self.incident_of.insert(sid.to_string(), id);
        Ok(())
    }

    /// An identity: an actor when statements are about it, a source when it made some (both
    /// when both: a person claiming an operation of their own, a vendor attributed its own
    /// campaign); skipped (and counted) when it is neither. Returns whether it was imported.
    fn identity(&mut self, sid: &str, o: &'a Obj) -> Result<bool, ImportError> {
        let name = required(o, "name")?;
        if sid == self.attrib_identity {
            self.skip(sid, "identity (attrib itself)");
            return Ok(false);
        }
        let endpoint = self.endpoints.contains(sid);
        let creator = self.creators.contains(sid);
        if endpoint {
            let id = self.id_for(sid, "entity", name, "actor");
            self.file.actors.push(ActorFile {
                id: id.clone(),
                name: name.to_string(),
                kind: match text(o, "identity_class") {
                    Some("individual") => ActorKind::Person,
                    _ => ActorKind::Organisation,
                },
                aliases: vec![],
                part_of: None,
                description: text(o, "description").map(str::to_string),
            });
            let key = format!("entity:{id}");
            if creator {
                // The source keeps the STIX record (its id is the `created_by_ref` of what
                // it made); the actor goes out as an object of its own, so that no two
                // objects of an export share an id, marked as the identity was.
                self.warnings.push(format!(
                    "{}: made statements and is named by them, so it is both a source and an \
                     actor (`{}`); its STIX id stays with the source, and `export stix` writes \
                     the actor as an object of its own",
                    shortened(sid),
                    crate::report::shorten(&id, 60)
                ));
                self.keep_own_markings(key, o);
            } else {
                self.records
                    .insert(key, (full_record(o, sid, Held::Entity)?, o));
            }
            self.entity_of.insert(sid.to_string(), id);
        }
        if creator {
            self.identity_source(sid, o, name)?;
        }
        if !endpoint && !creator {
            self.skip(sid, "identity (not referenced)");
            return Ok(false);
        }
        Ok(true)
    }

    /// The reliability an identity's Admiralty labels, else OpenCTI's `x_opencti_reliability`,
    /// state; a warning for a statement that is no grade, and for statements that disagree
    /// (the first label is read).
    fn stated_reliability(&mut self, sid: &str, o: &Obj, ls: &[&str]) -> Option<Grade> {
        const LABEL: &str = "admiralty-scale:source-reliability=";
        let mut stated: Vec<(String, Grade)> = Vec::new();
        for l in ls.iter().filter(|l| l.starts_with(LABEL)) {
            match vocab::parse_reliability(l) {
                Some(g) => stated.push((format!("label {l}"), g)),
                None => self.warnings.push(format!(
                    "{}: label {} is no reliability grade (A to F); not read",
                    shortened(sid),
                    shortened(l)
                )),
            }
        }
        match o.get("x_opencti_reliability") {
            None | Some(Value::Null) => {}
            Some(v) => match v.as_str().and_then(vocab::opencti_reliability) {
                Some(g) => stated.push(("x_opencti_reliability".into(), g)),
                None => self.warnings.push(format!(
                    "{}: `x_opencti_reliability` {} is no reliability grade (A to F); not read",
                    shortened(sid),
                    shown_value(v)
                )),
            },
        }
        let (first, grade) = stated.first()?;
        if let Some((other, g)) = stated.iter().find(|(_, g)| g != grade) {
            self.warnings.push(format!(
                "{}: its {} grades it {}, its {} {}; graded {}",
                shortened(sid),
                shortened(first),
                grade,
                shortened(other),
                g,
                grade
            ));
        }
        Some(*grade)
    }

    /// An identity that created objects, as a source: its reliability as the bundle states it
    /// (a label or OpenCTI's reliability) or the import's default, and a note saying which.
    fn identity_source(&mut self, sid: &str, o: &'a Obj, name: &str) -> Result<(), ImportError> {
        let id = self.id_for(sid, "source", name, "source");
        let ls = labels(o);
        let stated = self.stated_reliability(sid, o, &ls);
        let reliability = stated.unwrap_or(self.options.reliability);
        self.file.sources.push(SourceFile {
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
                Some(g) => {
                    format!("Imported from STIX {sid}; reliability {g} as the bundle states it.")
                }
                None => {
                    format!("Imported from STIX {sid}; reliability {reliability} set on import.")
                }
            }),
        });
        self.records.insert(
            format!("source:{id}"),
            (full_record(o, sid, Held::Read)?, o),
        );
        self.source_of.insert(sid.to_string(), id);
        Ok(())
    }

    /// Reports: a publication is a source of its own, in the family of its author. A report
    /// that holds actors but no relationships is a MISP event, kept for [`Importer::events`].
    fn reports(&mut self) -> Result<(), ImportError> {
        let index = self.index;
        // The sources made so far (identities), by id: the authors reports are graded as.
        let authors: HashMap<String, usize> = (self.file.sources.iter().enumerate())
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        for (sid, o) in index.of_type("report") {
            if self.source_of.contains_key(sid) {
                // A source of attrib's own, from its record (counted with it): its claims name
                // it already.
                continue;
            }
            let refs = strings(o, "object_refs")?;
            let has_rel = refs.iter().any(|r| r.starts_with("relationship--"));
            let holds_actor = refs.iter().any(|r| self.entity_of.contains_key(r));
            if !has_rel && holds_actor {
                self.event_or_nothing(sid, o);
                continue;
            }
            let name = required(o, "name")?;
            self.warn_unknown_creator(sid, o, "its author is unknown, graded on import");
            let id = self.id_for(sid, "source", name, "report");
            let family = text(o, "created_by_ref")
                .and_then(|c| self.source_of.get(c))
                .cloned();
            // A publication is as reliable as its author, and of its kind (a government's
            // advisory is a government's word); without an author, the import's default.
            let author = family
                .as_ref()
                .and_then(|f| authors.get(f))
                .map(|&i| &self.file.sources[i]);
            let (kind, reliability, track_record) = author.map_or(
                (SourceKind::Vendor, Some(self.options.reliability), None),
                |a| (a.kind, a.reliability, a.track_record),
            );
            let graded = match author {
                Some(a) => format!("graded as its author, {}", a.name),
                None => "graded on import".to_string(),
            };
            self.file.sources.push(SourceFile {
                id: id.clone(),
                name: name.to_string(),
                kind,
                reliability,
                track_record,
                family,
                url: first_url(o),
                note: Some(format!(
                    "STIX report {sid}, published {}; {graded}.",
                    date_of(o, "published").unwrap_or_else(|| "undated".into())
                )),
            });
            self.records.insert(
                format!("source:{id}"),
                (full_record(o, sid, Held::Read)?, o),
            );
            self.source_of.insert(sid.to_string(), id);
            for r in refs {
                if r.starts_with("relationship--") {
                    self.report_of_claim
                        .entry(r.clone())
                        .or_insert_with(|| sid.to_string());
                    self.report_claims
                        .entry(sid.to_string())
                        .or_default()
                        .push(r);
                }
            }
            self.took(sid, "report");
        }
        self.authors_in_their_family();
        Ok(())
    }

    /// An author whose reports are in its family is in it too, said in so many words: a
    /// source without a family is its own line, and one whose id names others' family is
    /// warned of (W122).
    fn authors_in_their_family(&mut self) {
        let families: HashSet<String> = (self.file.sources.iter())
            .filter_map(|s| s.family.clone())
            .collect();
        for s in &mut self.file.sources {
            if s.family.is_none() && families.contains(&s.id) {
                s.family = Some(s.id.clone());
            }
        }
    }

    /// Groupings, each counted once for what it is: the case (read first, by
    /// [`Importer::case_metadata`]), a set of competing hypotheses, a MISP event (a grouping
    /// that holds actors but no relationships, kept for [`Importer::events`]), or nothing a
    /// case holds.
    fn groupings(&mut self) -> Result<(), ImportError> {
        let index = self.index;
        for (sid, o) in index.of_type("grouping") {
            if self.accounted.contains(sid) {
                continue; // the case
            }
            let refs = strings(o, "object_refs")?;
            if labels(o).contains(&vocab::EXCLUSIVE) {
                // Its members as the case knows them: a revoked one by its replacement.
                let resolved: Vec<String> = refs
                    .iter()
                    .map(|r| index.resolve(r, &mut Vec::new()))
                    .collect();
                self.competing(sid, o, &resolved);
                continue;
            }
            let has_rel = refs.iter().any(|r| r.starts_with("relationship--"));
            if !has_rel && refs.iter().any(|r| self.entity_of.contains_key(r)) {
                self.event_or_nothing(sid, o);
            } else {
                self.skip(sid, "grouping (no claims)");
            }
        }
        Ok(())
    }

    /// A report or grouping that holds actors but no relationships: a MISP event when a third
    /// party made it (its creator attributes the event to them), else nothing a case holds.
    fn event_or_nothing(&mut self, sid: &str, o: &'a Obj) {
        if text(o, "created_by_ref") == Some(&self.attrib_identity) {
            let kind = text(o, "type").unwrap_or_default();
            self.skip(sid, format!("{kind} (no claims)"));
        } else {
            self.events.push((sid.to_string(), o));
        }
    }

    /// A grouping of competing hypotheses: in attrib's own export, one of the exclusive sets
    /// its case record holds (when attrib made it); else an exclusive set, when it names an
    /// incident and at least two actors or groups.
    fn competing(&mut self, sid: &str, o: &Obj, refs: &[String]) {
        if self.own_export {
            if text(o, "created_by_ref") == Some(&self.attrib_identity) {
                self.took(sid, "grouping (competing hypotheses)");
            } else {
                self.skip(
                    sid,
                    "grouping (competing hypotheses, beside attrib's record)",
                );
            }
            return;
        }
        let (inc, mut ents) = self.ends_of(refs);
        // One actor named twice (listed twice, or as an object and the one it was revoked
        // by) is one hypothesis: a set lists each once.
        let mut seen = std::collections::BTreeSet::new();
        ents.retain(|e| seen.insert(e.clone()));
        match inc {
            Some(inc) if ents.len() >= 2 => {
                self.exclusive.push(ExclusiveFile {
                    incident: inc,
                    members: ents,
                    note: text(o, "description").map(str::to_string),
                });
                self.took(sid, "grouping (competing hypotheses)");
            }
            _ => self.skip(sid, "grouping (competing hypotheses, ends unknown)"),
        }
    }

    /// Every statement (relationship, opinion, note) read into a pending claim, or counted as
    /// skipped; restatements and named hypotheses noted.
    fn statements(&mut self) -> Result<Vec<Pending<'a>>, ImportError> {
        let index = self.index;
        let mut pending: Vec<Pending<'a>> = Vec::new();
        for (sid, &o) in &index.objects {
            let kind = text(o, "type").unwrap_or_default();
            if !matches!(kind, "relationship" | "note" | "opinion") {
                continue;
            }
            if let Some(c) = record::<ClaimFile>(o, "x_attrib_claim")? {
                match self.undeclared_in(&c) {
                    None => {
                        self.check_against_record(sid, o, kind, &c)?;
                        self.claim_of.insert(sid.clone(), self.file.claims.len());
                        self.keep_own_markings(format!("claim:{}", c.id), o);
                        self.file.claims.push(c);
                        self.took(sid, kind);
                        continue;
                    }
                    // A record naming what the bundle no longer holds would make a case that
                    // fails its check: the object is read as any other tool's.
                    Some(missing) => self.warnings.push(format!(
                        "{}: attrib's record of claim `{}` names {missing}, which the bundle \
                         does not hold; read from its standard properties",
                        shortened(sid),
                        crate::report::shorten(&c.id, 60)
                    )),
                }
            }
            if o.contains_key("x_attrib_structural") {
                self.took(sid, STRUCTURAL);
                continue;
            }
            let found = if kind == "relationship" {
                self.relationship(sid, o)?
            } else {
                self.annotation(sid, o, kind)?
            };
            pending.extend(found);
        }
        Ok(pending)
    }

    /// An object that carries attrib's record of a claim is read from the record, which keeps
    /// what STIX cannot say; its standard properties are still held to what a bundle must
    /// have (a relationship's ends, a `confidence` from 0 to 100), and where another tool or a
    /// person changed them after the export (a `confidence` or an end that is not the
    /// record's), a warning says the record was read and the change was not.
    fn check_against_record(
        &mut self,
        sid: &str,
        o: &Obj,
        kind: &str,
        c: &ClaimFile,
    ) -> Result<(), ImportError> {
        let confidence = stix_confidence(o, sid)?;
        if kind != "relationship" {
            return Ok(());
        }
        required(o, "relationship_type")?;
        let ends = [required(o, "source_ref")?, required(o, "target_ref")?];
        let mut changed = Vec::new();
        let written = [Some(c.subject.as_str()), c.object.as_deref()];
        for (field, (end, name)) in ["source_ref", "target_ref"]
            .iter()
            .zip(ends.iter().zip(written))
        {
            let id = (self.entity_of.get(*end))
                .or_else(|| self.incident_of.get(*end))
                .cloned();
            let same = match (id, name) {
                (Some(id), Some(n)) => self.names_the_same(&id, n),
                _ => false,
            };
            if !same {
                changed.push(format!("its {field} ({})", shortened(end)));
            }
        }
        let stated = c
            .likelihood
            .as_ref()
            .and_then(|l| crate::validate::likelihood_probability(l).ok().flatten());
        // The record's STIX number as written, or the probability it is read as (clamped to
        // 0.01–0.99, as the export writes a claim the case changed): an object that goes out
        // as it came keeps the `confidence` of 0 or 100 it came with.
        let as_written = |n: i64| matches!(c.likelihood, Some(Likelihood::Stix(m)) if m == n);
        if let (Some(n), Some(p)) = (confidence, stated)
            && n != (p * 100.0).round() as i64
            && !as_written(n)
        {
            changed.push(format!("its confidence ({n})"));
        }
        if !changed.is_empty() {
            self.warnings.push(format!(
                "{}: {} {} not what attrib's record of claim `{}` says; the object was changed \
                 after attrib exported it, and the record is read: make the change in the case",
                shortened(sid),
                changed.join(" and "),
                if changed.len() == 1 { "is" } else { "are" },
                c.id
            ));
        }
        Ok(())
    }

    /// Whether `written` (a claim's subject or object as the case wrote it) names the actor,
    /// group or incident `id`: its id, name or an alias, matched as the checker matches names
    /// ([`crate::model::name_key`]: case, accents composed or not, spaces around).
    /// What a claim's record names that the case being imported does not declare (its source,
    /// or an end by id, name or alias), said for a warning; `None` when it declares all.
    fn undeclared_in(&mut self, c: &ClaimFile) -> Option<String> {
        if !self.source_ids.used.contains(&c.source) {
            return Some(format!(
                "source `{}`",
                crate::report::shorten(&c.source, 60)
            ));
        }
        let by_name = self.ids_by_name();
        std::iter::once(&c.subject)
            .chain(&c.object)
            .find(|end| !by_name.contains_key(crate::model::name_key(end).as_ref()))
            .map(|end| format!("`{}`", crate::report::shorten(end, 60)))
    }

    /// The ids of actors, groups and incidents by their names and aliases (and ids), compared
    /// as the checker compares names.
    fn ids_by_name(&mut self) -> &HashMap<String, Vec<String>> {
        let f = &self.file;
        self.ids_by_name.get_or_insert_with(|| {
            let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
            let named = (f.actors.iter().map(|a| (&a.id, &a.name, &a.aliases)))
                .chain(f.groups.iter().map(|g| (&g.id, &g.name, &g.aliases)))
                .chain(f.incidents.iter().map(|i| (&i.id, &i.name, &i.aliases)));
            for (id, name, aliases) in named {
                for n in [id, name].into_iter().chain(aliases) {
                    let key = crate::model::name_key(n).into_owned();
                    by_name.entry(key).or_default().push(id.clone());
                }
            }
            by_name
        })
    }

    fn names_the_same(&mut self, id: &str, written: &str) -> bool {
        if id == written {
            return true;
        }
        let by_name = self.ids_by_name();
        (by_name.get(crate::model::name_key(written).as_ref()))
            .is_some_and(|ids| ids.iter().any(|i| i == id))
    }

    /// The incident and the actors or groups among `refs`.
    fn ends_of(&self, refs: &[String]) -> (Option<String>, Vec<String>) {
        let inc = refs.iter().find_map(|r| self.incident_of.get(r).cloned());
        let ents = refs
            .iter()
            .filter_map(|r| self.entity_of.get(r).cloned())
            .collect();
        (inc, ents)
    }

    /// An opinion or note: a restatement, a condemnation, a claim of responsibility or an
    /// opinion on an attribution; attrib's own judgements are recomputed.
    // One arm per labelled kind of annotation, each a few lines: splitting them further would
    // scatter the vocabulary `vocab` defines.
    fn annotation(
        &mut self,
        sid: &str,
        o: &'a Obj,
        kind: &str,
    ) -> Result<Option<Pending<'a>>, ImportError> {
        let index = self.index;
        let ls = labels(o);
        let mut notes: Vec<String> = Vec::new();
        let refs: Vec<String> = strings(o, "object_refs")?
            .iter()
            .map(|r| index.resolve(r, &mut notes))
            .collect();
        let pending = match kind {
            "opinion" if text(o, "created_by_ref") == Some(&self.attrib_identity) => {
                // attrib's judgement: recomputed; it names a hypothesis the case declared.
                if !self.own_export
                    && let (Some(inc), ents) = self.ends_of(&refs)
                    && let Some(e) = ents.first()
                {
                    self.judged.insert((inc, e.clone()));
                }
                self.skip(sid, "opinion (attrib judgement, recomputed)");
                None
            }
            "note" if o.contains_key("x_attrib_judgement") => {
                self.skip(sid, "note (attrib judgement, recomputed)");
                None
            }
            "note" if ls.contains(&vocab::RESTATES) => {
                self.restated.push((sid.to_string(), refs));
                None
            }
            "note" if ls.contains(&vocab::CONDEMNATION) => match self.ends_of(&refs) {
                (Some(inc), _) => Some((inc, Relation::Condemns, None)),
                _ => {
                    self.skip(sid, "note (condemnation of nothing known)");
                    None
                }
            },
            "note" if ls.contains(&vocab::SELF_CLAIM) => match self.ends_of(&refs) {
                (Some(inc), ents) if ents.len() == 1 => {
                    Some((inc, Relation::AttributedTo, Some(ents[0].clone())))
                }
                _ => {
                    self.skip(sid, "note (claim of responsibility, ends unknown)");
                    None
                }
            },
            "note" => {
                self.skip(sid, "note");
                None
            }
            // An opinion of a source.
            _ => self.source_opinion(sid, &ls, &refs, &mut notes),
        };
        Ok(pending.map(|(subject, relation, object)| {
            (sid.to_string(), o, subject, relation, object, notes)
        }))
    }

    /// Counts the bundle's object `sid` as made part of the case, under `what`.
    fn took(&mut self, sid: &str, what: impl Into<String>) {
        self.count(sid, what.into(), true);
    }

    /// Counts the bundle's object `sid` as left out, under `what` (its type, and why).
    fn skip(&mut self, sid: &str, what: impl Into<String>) {
        self.count(sid, what.into(), false);
    }

    /// Counts an indexed object once: the phases read each object for one thing, and an
    /// object that is two things at once (a relationship carrying an actor's record) is
    /// counted for the first.
    fn count(&mut self, sid: &str, what: String, imported: bool) {
        if self.accounted.insert(sid.to_string()) {
            let counts = if imported {
                &mut self.imported
            } else {
                &mut self.skipped
            };
            *counts.entry(what).or_default() += 1;
        }
    }

    /// A source's opinion on an attribution, through the relationship it names or between
    /// the incident (or group) and the actor it names: its subject, relation and object.
    fn source_opinion(
        &mut self,
        sid: &str,
        ls: &[&str],
        refs: &[String],
        notes: &mut Vec<String>,
    ) -> Option<(String, Relation, Option<String>)> {
        let index = self.index;
        let via = refs.iter().find_map(|r| {
            let rel = index.objects.get(r)?;
            (text(rel, "type") == Some("relationship")).then_some(rel)
        });
        let (from, to) = match via {
            Some(rel) => (
                text(rel, "source_ref").map(|r| index.resolve(r, notes)),
                text(rel, "target_ref").map(|r| index.resolve(r, notes)),
            ),
            None => {
                let mut known = refs.iter().filter(|r| {
                    self.incident_of.contains_key(*r) || self.entity_of.contains_key(*r)
                });
                (known.next().cloned(), known.next().cloned())
            }
        };
        let relation = ls.iter().find_map(|l| vocab::parse_relation(l));
        match (from, to) {
            (Some(f), Some(t))
                if self.incident_of.contains_key(&f) && self.entity_of.contains_key(&t) =>
            {
                Some((
                    self.incident_of[&f].clone(),
                    relation.unwrap_or(Relation::AttributedTo),
                    Some(self.entity_of[&t].clone()),
                ))
            }
            (Some(f), Some(t))
                if self.entity_of.contains_key(&f) && self.entity_of.contains_key(&t) =>
            {
                Some((
                    self.entity_of[&f].clone(),
                    relation.unwrap_or(Relation::OperatedBy),
                    Some(self.entity_of[&t].clone()),
                ))
            }
            _ => {
                // What it is on may be missing from the bundle, as a relationship's end may be:
                // named, since the opinion is otherwise lost with only a count.
                let missing: BTreeSet<&String> = refs.iter().filter(|r| self.missing(r)).collect();
                for end in &missing {
                    self.warnings.push(format!(
                        "{}: object_refs {} is not in the bundle; skipped",
                        shortened(sid),
                        shortened(end)
                    ));
                }
                self.skip(
                    sid,
                    if missing.is_empty() {
                        "opinion (not on an attribution)"
                    } else {
                        "opinion (on what the bundle lacks)"
                    },
                );
                None
            }
        }
    }

    /// Whether `end` is the id of an object of a type attrib maps that the bundle lacks (and
    /// that is not left out as revoked or deprecated, which is listed already).
    fn missing(&self, end: &str) -> bool {
        let mapped = end
            .split_once("--")
            .is_some_and(|(kind, _)| MAPPED.contains(&kind));
        mapped && !self.index.objects.contains_key(end) && !self.index.left_out.contains(end)
    }

    /// A relationship: attribution, link, impersonation or alias pair as a pending claim;
    /// `derived-from` noted for later; attrib's declared `part_of` restored.
    fn relationship(&mut self, sid: &str, o: &'a Obj) -> Result<Option<Pending<'a>>, ImportError> {
        let index = self.index;
        let mut notes: Vec<String> = Vec::new();
        let rtype = required(o, "relationship_type")?;
        let from = index.resolve(required(o, "source_ref")?, &mut notes);
        let to = index.resolve(required(o, "target_ref")?, &mut notes);
        if rtype == "derived-from" {
            self.derived.push((sid.to_string(), from, to));
            return Ok(None);
        }
        if text(o, "created_by_ref") == Some(&self.attrib_identity) {
            self.declared_part_of(sid, &from, &to);
            return Ok(None);
        }
        // Whatever its ends' types: a campaign attributed to itself is as much a slip as an
        // intrusion set (below, once the ends are mapped), and a relationship naming itself
        // relates nothing.
        let itself = if from == sid || to == sid {
            Some("names itself as an end".to_string())
        } else {
            (from == to).then(|| format!("relates {} to itself", shortened(&from)))
        };
        if let Some(what) = itself {
            self.warnings.push(format!("{sid}: {what}; skipped"));
            self.skip(sid, format!("relationship {rtype} (self-reference)"));
            return Ok(None);
        }
        let spelled = rtype.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        if spelled != rtype && READ_RELATIONSHIPS.contains(&spelled.as_str()) {
            self.warnings.push(format!(
                "{}: `relationship_type` {} is not STIX's spelling, `{spelled}`; skipped: \
                 correct it where the bundle was made",
                shortened(sid),
                shown_value(&Value::String(rtype.to_string()))
            ));
        }
        let labelled = labels(o).iter().find_map(|l| vocab::parse_relation(l));
        let (subject, relation, object) = match self.statement(rtype, labelled, &from, &to) {
            Ok(stated) => stated,
            Err(why_not) => {
                // An end of a type attrib maps that is missing from the bundle (and not left
                // out as revoked or deprecated, which is listed already) is named.
                for (field, end) in [("source_ref", &from), ("target_ref", &to)] {
                    if self.missing(end) {
                        self.warnings.push(format!(
                            "{}: {field} {} is not in the bundle; skipped",
                            shortened(sid),
                            shortened(end)
                        ));
                    }
                }
                self.skip(sid, why_not);
                return Ok(None);
            }
        };
        if subject == object {
            self.warnings
                .push(format!("{sid}: relates `{subject}` to itself; skipped"));
            self.skip(sid, format!("relationship {rtype} (self-reference)"));
            return Ok(None);
        }
        Ok(Some((
            sid.to_string(),
            o,
            subject,
            relation,
            Some(object),
            notes,
        )))
    }

    /// A declared part_of in attrib's export read without its records: restored on the
    /// actor, unless it has one (or its ends are not an actor and an actor or group).
    fn declared_part_of(&mut self, sid: &str, from: &str, to: &str) {
        if let (Some(a), Some(b)) = (self.entity_of.get(from), self.entity_of.get(to))
            && let Some(actor) = self.file.actors.iter_mut().find(|x| &x.id == a)
            && actor.part_of.is_none()
        {
            actor.part_of = Some(b.clone());
            self.took(sid, STRUCTURAL);
        } else {
            self.skip(sid, "relationship (structural part of, left out)");
        }
    }

    /// What a relationship of type `rtype` (with the relation its labels name, if any) from
    /// `from` to `to` states: subject, relation, object; or, when attrib does not map it or
    /// its ends, what it is counted as skipped under.
    fn statement(
        &self,
        rtype: &str,
        labelled: Option<Relation>,
        from: &str,
        to: &str,
    ) -> Result<(String, Relation, String), String> {
        let ends = (
            self.incident_of.get(from),
            self.entity_of.get(from),
            self.entity_of.get(to),
        );
        let unmapped = format!("relationship {rtype} (unmapped ends)");
        let (stated, why_not) = match rtype {
            "attributed-to" | "related-to" | "part-of"
                if labelled.is_some_and(|r| r != Relation::PossiblySameAs) =>
            {
                let r = labelled.expect("checked");
                let stated = match ends {
                    (Some(i), _, Some(e)) if !r.is_link() => {
                        Some((i.clone(), Relation::AttributedTo, e.clone()))
                    }
                    (None, Some(a), Some(b)) if r.is_link() => Some((a.clone(), r, b.clone())),
                    _ => None,
                };
                (stated, unmapped)
            }
            "attributed-to" | "part-of" => {
                let stated = match ends {
                    (Some(i), _, Some(e)) if rtype == "attributed-to" => {
                        Some((i.clone(), Relation::AttributedTo, e.clone()))
                    }
                    (None, Some(a), Some(b)) => {
                        let r = if rtype == "part-of" {
                            Relation::PartOf
                        } else {
                            Relation::OperatedBy
                        };
                        Some((a.clone(), r, b.clone()))
                    }
                    _ => None,
                };
                (stated, unmapped)
            }
            "impersonates" => match ends {
                // X impersonates Y: what is done in Y's name is X's doing.
                (_, Some(x), Some(y)) => {
                    (Some((y.clone(), Relation::OperatedBy, x.clone())), unmapped)
                }
                _ => (None, unmapped),
            },
            "duplicate-of" | "related-to" => match ends {
                (_, Some(a), Some(b)) => (
                    Some((a.clone(), Relation::PossiblySameAs, b.clone())),
                    unmapped,
                ),
                _ => (
                    None,
                    format!("relationship {rtype} (not between actors or groups)"),
                ),
            },
            other => (None, format!("relationship {other}")),
        };
        stated.ok_or(why_not)
    }

    /// The pending statements as claims, each with its source and likelihood.
    fn claims(&mut self, pending: Vec<Pending<'a>>) -> Result<(), ImportError> {
        // Relationships whose `confidence`, read as a probability, makes them evidence against.
        let mut against: Vec<String> = Vec::new();
        for (sid, o, subject, relation, object, mut notes) in pending {
            let kind = text(o, "type").unwrap_or_default();
            let (likelihood, confidence) = match kind {
                "opinion" => {
                    let (stated, said) = opinion_likelihood(o, &sid)?;
                    notes.extend(said.map(str::to_string));
                    stated
                }
                _ if relation == Relation::Condemns => (None, None),
                _ => {
                    let warnings = label_warnings(o, &sid, self.options.confidence);
                    self.warnings.extend(warnings);
                    likelihood_of(o, &sid, self.options.confidence)?
                }
            };
            if kind == "relationship" && self.reads_against(&likelihood) {
                against.push(shortened(&sid));
            }
            let unstated = likelihood.is_none() && relation != Relation::Condemns;
            // An assertion without a stated confidence is still made: read it as "likely".
            let likelihood = match (likelihood, relation) {
                (_, Relation::Condemns) => None,
                (Some(l), _) => Some(l),
                (None, _) => Some(Likelihood::Icd("likely".into())),
            };
            let source = self.statement_source(&sid, o);
            let rtype = text(o, "relationship_type").unwrap_or(kind);
            let id = self
                .claim_ids
                .take(&format!("{rtype}-{}", short(&sid)), "claim");
            let said = text(o, "description")
                .or_else(|| text(o, "explanation"))
                .or_else(|| text(o, "content"))
                .map(citations::read);
            let cited = said.as_ref().map_or(&[][..], |r| &r.cited[..]);
            let mut note = format!("Imported from STIX {sid} ({rtype}).");
            if !cited.is_empty() {
                note.push_str(" Cites: ");
                note.push_str(&cited.join("; "));
                note.push('.');
            }
            for n in &notes {
                note.push(' ');
                note.push_str(n);
            }
            self.claim_of.insert(sid.clone(), self.file.claims.len());
            let mut rec = full_record(o, &sid, Held::Read)?;
            rec.confidence_unstated = unstated;
            self.records.insert(format!("claim:{id}"), (rec, o));
            self.file.claims.push(ClaimFile {
                id,
                source,
                // When the source said it: its report's publication, else the object's
                // creation (`start_time` is when the activity began, not the claim).
                date: self
                    .report_of_claim
                    .get(&sid)
                    .and_then(|r| self.index.objects.get(r.as_str()))
                    .and_then(|r| date_of(r, "published"))
                    .or_else(|| date_of(o, "created")),
                subject,
                relation,
                object,
                url: cited_url(o, cited).or_else(|| first_url(o)),
                wording: said.and_then(|r| r.words),
                likelihood,
                confidence,
                derived_from: vec![],
                note: Some(note),
            });
            self.took(&sid, kind);
        }
        self.warn_against(&against);
        Ok(())
    }

    /// Whether a relationship's likelihood is its `confidence` below 50 read as a probability.
    fn reads_against(&self, likelihood: &Option<Likelihood>) -> bool {
        self.options.confidence == ConfidenceReading::Probability
            && matches!(likelihood, Some(Likelihood::Stix(n)) if *n < 50)
    }

    /// One warning for the relationships whose `confidence` below 50 makes them evidence
    /// against their own assertion (STIX's normative reading, the default): a platform such as
    /// OpenCTI means by it a weak assertion, which `--confidence strength` reads as weak
    /// support. Named, since no other message would show that they count against.
    fn warn_against(&mut self, against: &[String]) {
        let Some(first) = against.first() else {
            return;
        };
        let n = against.len();
        let more = match n {
            1 => String::new(),
            2 => format!(" and {}", against[1]),
            _ => format!(", {} and {} more", against[1], n - 2),
        };
        self.warnings.push(format!(
            "{n} relationship{} {} a `confidence` below 50 ({first}{more}), read as a probability \
             that {} true: evidence against what {} assert{}. If the producer means a weak \
             assertion by it, as OpenCTI does, import with `--confidence strength`",
            if n == 1 { "" } else { "s" },
            if n == 1 { "states" } else { "state" },
            if n == 1 { "it is" } else { "they are" },
            if n == 1 { "it" } else { "they" },
            if n == 1 { "s" } else { "" },
        ));
    }

    /// Warns when an object's `created_by_ref` names no source: `then` says what was made of
    /// the object.
    fn warn_unknown_creator(&mut self, sid: &str, o: &Obj, then: &str) {
        if let Some(w) = self.unknown_creator(sid, o, then) {
            self.warnings.push(w);
        }
    }

    /// Why an object's `created_by_ref` names no source, when it has one: not a string, not
    /// in the bundle, or not an identity.
    fn unknown_creator(&self, sid: &str, o: &Obj, then: &str) -> Option<String> {
        let c = o.get("created_by_ref")?;
        let sid = shortened(sid);
        let Some(c) = c.as_str() else {
            return Some(format!(
                "{sid}: created_by_ref {} is no identity id; {then}",
                shown_value(c)
            ));
        };
        if self.source_of.contains_key(c) {
            return None;
        }
        let kind = self.index.objects.get(c).and_then(|o| text(o, "type"));
        Some(match kind {
            Some(kind) => format!(
                "{sid}: created_by_ref {} is {} {kind}, not an identity; {then}",
                shortened(c),
                article(kind)
            ),
            None => format!(
                "{sid}: created_by_ref {} is not in the bundle; {then}",
                shortened(c)
            ),
        })
    }

    /// The source behind a statement: the report it was published in, else its creator, else
    /// the stand-in for statements without a known creator.
    fn statement_source(&mut self, sid: &str, o: &Obj) -> String {
        let creator = text(o, "created_by_ref");
        match self
            .report_of_claim
            .get(sid)
            .and_then(|r| self.source_of.get(r))
            .or_else(|| creator.and_then(|c| self.source_of.get(c)))
        {
            Some(s) => s.clone(),
            None => {
                self.warn_unknown_creator(sid, o, "the statement is unattributed");
                unattributed_source(&mut self.unattributed, &mut self.source_ids, &mut self.file)
            }
        }
    }

    /// What a MISP event states of its galaxy attributions: the likelihood and confidence
    /// its tags (its labels) or `confidence` state, as a relationship's would, else likely;
    /// and the claims' note saying which.
    fn event_likelihood(
        &mut self,
        sid: &str,
        o: &Obj,
    ) -> Result<(Likelihood, Option<Confidence>, String), ImportError> {
        self.warnings
            .extend(label_warnings(o, sid, self.options.confidence));
        // The event's claims are its creator's: a grade on the event is not the creator's.
        if let Some(l) = labels(o)
            .into_iter()
            .find(|l| l.starts_with("admiralty-scale:source-reliability="))
        {
            self.warnings.push(format!(
                "{}: label {} grades the event, but its claims are its creator's, graded as \
                 the creator's identity states (or on import); not read: grade the source in \
                 the case",
                shortened(sid),
                shortened(l)
            ));
        }
        let holds = format!("The event {sid} holds this actor (a MISP galaxy attribution)");
        Ok(match likelihood_of(o, sid, self.options.confidence)? {
            (Some(l), c) => (
                l,
                c,
                format!("{holds}, with the likelihood the event states."),
            ),
            (None, c) => (
                Likelihood::Icd("likely".into()),
                c,
                format!("{holds}; no likelihood stated, read as likely."),
            ),
        })
    }

    /// MISP events: the event's creator attributes it to each actor it holds.
    fn events(&mut self) -> Result<(), ImportError> {
        // MISP events: the event's creator attributes it to each actor it holds.
        for (sid, o) in std::mem::take(&mut self.events) {
            let sid = sid.as_str();
            let refs = strings(o, "object_refs")?;
            let incidents: Vec<String> = refs
                .iter()
                .filter_map(|r| self.incident_of.get(r).cloned())
                .collect();
            let incidents = if incidents.is_empty() {
                let name = required(o, "name")?;
                let id = self.names.take(name, "event");
                self.file.incidents.push(IncidentFile {
                    id: id.clone(),
                    name: name.to_string(),
                    aliases: vec![],
                    start: date_of(o, "published").or_else(|| date_of(o, "created")),
                    end: None,
                    victim: None,
                    description: text(o, "description").map(str::to_string),
                    references: reference_urls(o),
                });
                self.records
                    .insert(format!("incident:{id}"), (stix_record(o), o));
                vec![id]
            } else {
                incidents
            };
            self.warn_unknown_creator(sid, o, "its attributions are unattributed");
            let source = match text(o, "created_by_ref").and_then(|c| self.source_of.get(c)) {
                Some(s) => s.clone(),
                None => unattributed_source(
                    &mut self.unattributed,
                    &mut self.source_ids,
                    &mut self.file,
                ),
            };
            let (likelihood, confidence, note) = self.event_likelihood(sid, o)?;
            for inc in &incidents {
                for actor in refs.iter().filter_map(|r| self.entity_of.get(r)) {
                    let id = self
                        .claim_ids
                        .take(&format!("event-{}", short(sid)), "claim");
                    self.file.claims.push(ClaimFile {
                        id,
                        source: source.clone(),
                        date: date_of(o, "published").or_else(|| date_of(o, "created")),
                        subject: inc.clone(),
                        relation: Relation::AttributedTo,
                        object: Some(actor.clone()),
                        wording: None,
                        likelihood: Some(likelihood.clone()),
                        confidence,
                        url: first_url(o),
                        derived_from: vec![],
                        note: Some(note.clone()),
                    });
                }
            }
            let kind = text(o, "type").unwrap_or_default();
            self.took(sid, format!("{kind} (event attribution)"));
        }

        Ok(())
    }

    /// `derived-from` between relationships (claims restate claims) or between reports (every claim of the later report restates the earlier report's claim on the same proposition); restatement notes; hypotheses and exclusive sets named by the bundle.
    fn derivations(&mut self) -> Result<(), ImportError> {
        // derived-from: between relationships (claims restate claims), or between reports (every
        // claim of the later report restates the earlier report's claim on the same proposition).
        for (sid, from, to) in std::mem::take(&mut self.derived) {
            if let (Some(&a), Some(&b)) = (self.claim_of.get(&from), self.claim_of.get(&to)) {
                let origin = self.file.claims[b].id.clone();
                self.file.claims[a].derived_from.push(origin);
                self.took(&sid, "relationship derived-from");
            } else if let (Some(a), Some(b)) =
                (self.report_claims.get(&from), self.report_claims.get(&to))
            {
                for ca in a.iter().filter_map(|r| self.claim_of.get(r).copied()) {
                    let key = |c: &ClaimFile| (c.subject.clone(), c.object.clone());
                    let origins: Vec<String> = b
                        .iter()
                        .filter_map(|r| self.claim_of.get(r).copied())
                        .filter(|&cb| {
                            cb != ca && key(&self.file.claims[cb]) == key(&self.file.claims[ca])
                        })
                        .map(|cb| self.file.claims[cb].id.clone())
                        .collect();
                    self.file.claims[ca].derived_from.extend(origins);
                }
                self.took(&sid, "relationship derived-from");
            } else {
                self.skip(
                    &sid,
                    "relationship derived-from (not between claims or reports)",
                );
            }
        }
        if self.own_export {
            // attrib's own claims carry what they restate in their records.
            for (sid, _) in std::mem::take(&mut self.restated) {
                self.took(&sid, RESTATEMENT);
            }
        } else {
            for (sid, refs) in std::mem::take(&mut self.restated) {
                let mut it = refs.iter().filter_map(|r| self.claim_of.get(r).copied());
                if let Some(first) = it.next() {
                    let origins: Vec<String> = it.map(|c| self.file.claims[c].id.clone()).collect();
                    self.file.claims[first].derived_from.extend(origins);
                    self.took(&sid, RESTATEMENT);
                } else {
                    self.skip(&sid, "note (restatement of nothing known)");
                }
            }
            for (incident, actor) in std::mem::take(&mut self.judged) {
                self.file.hypotheses.push(HypothesisFile {
                    incident,
                    actor,
                    prior: None,
                    note: Some("Named by a judgement in the imported bundle.".into()),
                });
            }
            self.file
                .exclusive
                .extend(std::mem::take(&mut self.exclusive));
        }
        for c in &mut self.file.claims {
            c.derived_from.sort();
            c.derived_from.dedup();
        }
        self.break_restatement_cycles();
        Ok(())
    }

    /// Restatements that close a cycle (a claim restating itself, or A restating B restating
    /// A) left out, each with a warning naming both objects: echoes in a cycle have no origin,
    /// and `check` refuses them (E028), so the case written would not load. A depth-first walk
    /// drops every edge back to a claim still on its path, which leaves no cycle.
    fn break_restatement_cycles(&mut self) {
        let claims = &self.file.claims;
        let index: HashMap<&str, usize> = claims
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let stix_of = stix_ids_of_claims(&self.claim_of);
        // 0: not reached, 1: on the path, 2: done.
        let mut state = vec![0u8; claims.len()];
        let mut back: Vec<(usize, usize)> = Vec::new();
        for start in 0..claims.len() {
            if state[start] != 0 {
                continue;
            }
            let mut path = vec![(start, 0usize)];
            state[start] = 1;
            while let Some((at, next)) = path.last_mut() {
                let (at, k) = (*at, *next);
                *next += 1;
                match claims[at].derived_from.get(k) {
                    None => {
                        state[at] = 2;
                        path.pop();
                    }
                    Some(origin) => match index.get(origin.as_str()).copied() {
                        Some(o) if state[o] == 1 => back.push((at, o)),
                        Some(o) if state[o] == 0 => {
                            state[o] = 1;
                            path.push((o, 0));
                        }
                        _ => {}
                    },
                }
            }
        }
        let name = |i: usize| stix_of.get(&i).map_or(claims[i].id.as_str(), |s| s);
        let warnings: Vec<String> = back
            .iter()
            .map(|&(a, o)| {
                if a == o {
                    format!("{}: derived from itself; left out", name(a))
                } else {
                    format!(
                        "{}: derived from {}, which is derived from it in turn (a cycle); left out",
                        name(a),
                        name(o)
                    )
                }
            })
            .collect();
        self.warnings.extend(warnings);
        for (a, o) in back {
            let origin = self.file.claims[o].id.clone();
            self.file.claims[a].derived_from.retain(|d| *d != origin);
        }
    }

    /// Cycles broken, alias conflicts resolved, the STIX records of foreign objects kept with digests of what they became.
    fn finish(mut self) -> Imported {
        self.break_cycles();
        self.unnamed_left_out();
        let records = &self.records;
        let stix_id = |key: &str| records.get(key).and_then(|(r, _)| r.id.clone());
        tidy(&mut self.file, &mut self.warnings, &stix_id);
        resolve_alias_conflicts(&mut self.file, &mut self.warnings, &stix_id);
        self.keep_records();
        self.keep_markings();
        self.unaccounted();
        self.file.stix = Some(std::mem::take(&mut self.stix));
        self.file.normalise();
        Imported {
            file: self.file,
            imported: self.imported,
            skipped: self.skipped,
            warnings: self.warnings,
            warning_paths: Vec::new(),
        }
    }

    /// What attrib's records name that the bundle no longer holds (an object removed since the
    /// export, whose record others still name) left out with a warning, so that the case
    /// passes its check: an actor's `part_of`, a named hypothesis, a member of a set of
    /// competing hypotheses (the set too when fewer than two are left, or its incident is
    /// gone).
    fn unnamed_left_out(&mut self) {
        self.ids_by_name = None;
        let by_name = self.ids_by_name().clone();
        let known = |n: &str| by_name.contains_key(crate::model::name_key(n).as_ref());
        let shown = |n: &str| crate::report::shorten(n, 60);
        let mut said = Vec::new();
        for a in &mut self.file.actors {
            if let Some(p) = a.part_of.take_if(|p| !known(p)) {
                said.push(format!(
                    "actor `{}` is part of `{}`, which the bundle does not hold; left out",
                    shown(&a.id),
                    shown(&p)
                ));
            }
        }
        self.file.hypotheses.retain(|h| {
            let kept = known(&h.incident) && known(&h.actor);
            if !kept {
                said.push(format!(
                    "the hypothesis `{}` on `{}` names what the bundle does not hold; left out",
                    shown(&h.actor),
                    shown(&h.incident)
                ));
            }
            kept
        });
        self.file.exclusive.retain_mut(|set| {
            let before = set.members.len();
            set.members.retain(|m| known(m));
            let kept = known(&set.incident) && set.members.len() >= 2;
            if !kept || set.members.len() < before {
                said.push(format!(
                    "a set of competing hypotheses on `{}` names what the bundle does not hold; {}",
                    shown(&set.incident),
                    if kept { "those left out" } else { "left out" }
                ));
            }
            kept
        });
        self.warnings.append(&mut said);
    }

    /// The link claims that close a cycle left out ([`break_cycles`]), their objects counted
    /// as skipped rather than imported.
    fn break_cycles(&mut self) {
        let index = self.index;
        let stix_ids = stix_ids_of_claims(&self.claim_of);
        let dropped = break_cycles(&mut self.file, &mut self.warnings, &stix_ids);
        let kinds: Vec<&str> = dropped
            .iter()
            .filter_map(|i| index.objects.get(*stix_ids.get(i)?))
            .filter_map(|o| text(o, "type"))
            .collect();
        for kind in kinds {
            self.recount(kind, format!("{kind} (closes a cycle)"));
        }
    }

    /// Moves an object counted as imported under `was` to the skipped, under `now`.
    fn recount(&mut self, was: &str, now: String) {
        if let Some(n) = self.imported.get_mut(was) {
            *n -= 1;
            if *n == 0 {
                self.imported.remove(was);
            }
            *self.skipped.entry(now).or_default() += 1;
        }
    }

    /// The STIX records of foreign objects, with digests of what they became (each found by
    /// its id through an index: a feed's tens of thousands of claims each have a record).
    fn keep_records(&mut self) {
        use super::export::{content_digest, digest};
        let file = &self.file;
        fn by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<&str, &T> {
            items.iter().map(|t| (id(t), t)).collect()
        }
        let actors = by_id(&file.actors, |a| &a.id);
        let groups = by_id(&file.groups, |g| &g.id);
        let incidents = by_id(&file.incidents, |i| &i.id);
        let sources = by_id(&file.sources, |s| &s.id);
        let claims = by_id(&file.claims, |c| &c.id);
        for (key, (mut rec, _)) in std::mem::take(&mut self.records) {
            let (kind, id) = key.split_once(':').expect("keyed kind:id");
            let (record, name) = match kind {
                "entity" => actors
                    .get(id)
                    .map(|a| (digest(*a), Some(&a.name)))
                    .or_else(|| groups.get(id).map(|g| (digest(*g), Some(&g.name))))
                    .unzip(),
                "incident" => incidents
                    .get(id)
                    .map(|i| (digest(*i), Some(&i.name)))
                    .unzip(),
                "source" => sources.get(id).map(|s| (digest(*s), Some(&s.name))).unzip(),
                _ => (claims.get(id).map(|c| digest(*c)), None),
            };
            // A name is kept only where the case's differs (made unique, or given to a blank
            // one): the case writes it as it came otherwise.
            if let Some(kept) = &mut rec.properties
                && let (Some(Value::String(came)), Some(Some(now))) = (kept.get("name"), name)
                && came == now
            {
                kept.remove("name");
            }
            rec.digest = record.map(|d| content_digest(d, rec.properties.as_ref()));
            if rec.digest.is_none() {
                continue;
            }
            // Kept in the record as it came, as `check` then warns (W120); export leaves it out.
            let odd = (rec.properties.iter().flatten())
                .map(|(name, _)| name)
                .filter(|name| !super::is_property_name(name));
            for name in odd {
                let sid = rec.id.as_deref().map(shortened).unwrap_or_default();
                self.warnings.push(format!(
                    "{sid}: `{name}` is not a STIX property name (3 to 250 of a-z, 0-9 and _, from a letter on); kept in the case, not exported"
                ));
            }
            self.stix.objects.insert(key, rec);
        }
    }

    /// The bundle's marking definitions that mark something imported, kept with the case
    /// (and counted as imported); the others counted as skipped.
    fn keep_markings(&mut self) {
        let used: BTreeSet<&String> = self
            .stix
            .objects
            .values()
            .flat_map(|o| o.markings.iter())
            .collect();
        let (mut kept, mut unused) = (0, 0);
        // The definitions already kept, told apart by a set (a search of the list for each
        // made thousands of definitions quadratic).
        let mut had: HashSet<String> = (self.stix.markings.iter()).map(|m| m.id.clone()).collect();
        for (id, m) in &self.index.marking_defs {
            if !used.contains(id) {
                unused += 1;
                continue;
            }
            kept += 1;
            if had.insert(id.clone()) {
                self.stix.markings.push(m.clone());
            }
        }
        // Only what the case keeps: a RED object the import skipped is not the case's.
        let defs = markings::Definitions::new(&self.stix.markings);
        if (used.iter()).any(|m| markings::tlp_of(m, &defs) == Some(Tlp::Red)) {
            self.warnings.push(
                "the case holds TLP:RED objects: for the named recipients only; it keeps their \
                 marking and `export stix` writes it again"
                    .into(),
            );
        }
        for (n, counts, what) in [
            (kept, &mut self.imported, "marking-definition"),
            (
                unused,
                &mut self.skipped,
                "marking-definition (marks nothing imported)",
            ),
        ] {
            if n > 0 {
                *counts.entry(what.to_string()).or_default() += n;
            }
        }
    }

    /// Any indexed object no phase counted, counted as skipped, so that the counts add up to
    /// the bundle whatever it holds (the phases count every object they are given; the tests
    /// see that none is left to this).
    fn unaccounted(&mut self) {
        let index = self.index;
        for (sid, o) in &index.objects {
            if !self.accounted.contains(sid) {
                let kind = text(o, "type").unwrap_or_default();
                self.skip(sid, format!("{kind} (not read)"));
            }
        }
    }
}

/// An object's other names: its `aliases` other than its name, then its ATT&CK ids, each once
/// (attrib's export writes an ATT&CK id among the aliases too, and a bundle read back would
/// have it twice).
fn aliases_of(o: &Obj, name: &str) -> Result<Vec<String>, ImportError> {
    let mut aliases: Vec<String> = Vec::new();
    // Each alias by its key, trimmed and in ASCII lower case (as `eq_ignore_ascii_case`
    // compares): a search of the list kept so far for each made a hostile feed's object of
    // 40,000 aliases take 19 s to import.
    let key = |a: &str| a.trim().to_ascii_lowercase();
    let mut seen: rustc_hash::FxHashSet<String> = std::iter::once(key(name)).collect();
    for a in strings(o, "aliases")?.into_iter().chain(attack_ids(o)) {
        if !a.trim().is_empty() && seen.insert(key(&a)) {
            aliases.push(a);
        }
    }
    Ok(aliases)
}

/// ATT&CK ids (G0069, C0038) are names analysts use: kept as aliases.
fn attack_ids(o: &Obj) -> Vec<String> {
    external_references(o)
        .into_iter()
        .filter(|r| r.source_name.starts_with("mitre-"))
        .filter_map(|r| r.external_id)
        .collect()
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
/// rejects, with a warning naming the STIX object (`stix_ids`, by index in `file.claims`); the
/// rest of the bundle imports. Returns the indices the dropped claims had.
/// The STIX id each imported claim came from, by the claim's index: what a warning about a
/// claim names.
fn stix_ids_of_claims(claim_of: &HashMap<String, usize>) -> HashMap<usize, &str> {
    claim_of.iter().map(|(sid, &i)| (i, sid.as_str())).collect()
}

fn break_cycles(
    file: &mut CaseFile,
    warnings: &mut Vec<String>,
    stix_ids: &HashMap<usize, &str>,
) -> Vec<usize> {
    let mut graph = LinkGraph::of(file);
    let mut dropped: Vec<usize> = Vec::new();
    for (i, a, b) in std::mem::take(&mut graph.links) {
        if graph.reaches(b, a) {
            let c = &file.claims[i];
            let o = c.object.as_deref().unwrap_or_default();
            let at = stix_ids.get(&i).copied().unwrap_or(c.id.as_str());
            warnings.push(format!(
                "{at}: `{}` {} `{o}` closes a cycle of attributions (`{o}` already leads back to `{}`); this link is left out, the rest imported",
                c.subject,
                c.relation.phrase(),
                c.subject
            ));
            dropped.push(i);
        } else {
            graph.kept[a].push(b);
        }
    }
    let gone: HashSet<String> = dropped.iter().map(|&i| file.claims[i].id.clone()).collect();
    let mut k = 0;
    file.claims.retain(|_| {
        k += 1;
        dropped.binary_search(&(k - 1)).is_err()
    });
    for c in &mut file.claims {
        c.derived_from.retain(|d| !gone.contains(d));
    }
    dropped
}

/// The actors and groups of an imported case (by number) with the links between them: the
/// declared `part_of`s, kept from the start, and the link claims, to be kept in file order
/// unless they close a cycle.
struct LinkGraph {
    /// Each node's strongly connected component in the graph of every link: a link can close
    /// a cycle only within one, so the others are kept without a search, and a feed's acyclic
    /// links cost no more than reading them.
    component: Vec<usize>,
    /// The links kept so far, by the node they leave.
    kept: Vec<Vec<usize>>,
    /// The link claims still to decide: (claim index, from, to).
    links: Vec<(usize, usize, usize)>,
    /// Scratch for [`LinkGraph::reaches`], all false between calls.
    seen: Vec<bool>,
}

impl LinkGraph {
    fn of(file: &CaseFile) -> LinkGraph {
        let ids = (file.actors.iter().map(|a| &a.id)).chain(file.groups.iter().map(|g| &g.id));
        let mut node: HashMap<&str, usize> = HashMap::new();
        for id in ids {
            let next = node.len();
            node.entry(id.as_str()).or_insert(next);
        }
        let n = node.len();
        let mut kept: Vec<Vec<usize>> = vec![Vec::new(); n];
        for a in &file.actors {
            if let Some(&p) = a.part_of.as_deref().and_then(|p| node.get(p)) {
                kept[node[a.id.as_str()]].push(p);
            }
        }
        let links: Vec<(usize, usize, usize)> = (file.claims.iter().enumerate())
            .filter(|(_, c)| c.relation.is_link())
            .filter_map(|(i, c)| {
                let o = c.object.as_deref()?;
                Some((i, *node.get(c.subject.as_str())?, *node.get(o)?))
            })
            .collect();
        use petgraph::graph::{DiGraph, NodeIndex};
        let mut graph: DiGraph<(), ()> = DiGraph::new();
        for _ in 0..n {
            graph.add_node(());
        }
        let every = (kept.iter().enumerate())
            .flat_map(|(a, to)| to.iter().map(move |&b| (a, b)))
            .chain(links.iter().map(|&(_, a, b)| (a, b)));
        for (a, b) in every {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
        }
        let mut component = vec![0; n];
        // `kosaraju_scc` keeps its own stack (`tarjan_scc` recurses: a long chain of links
        // overflowed the thread's).
        for (k, scc) in petgraph::algo::kosaraju_scc(&graph).into_iter().enumerate() {
            for x in scc {
                component[x.index()] = k;
            }
        }
        LinkGraph {
            component,
            kept,
            links,
            seen: vec![false; n],
        }
    }

    /// Whether the links kept so far lead from `from` to `to` (searched only within their
    /// component, where every such path runs).
    fn reaches(&mut self, from: usize, to: usize) -> bool {
        let within = self.component[from];
        if self.component[to] != within {
            return false;
        }
        let mut stack = vec![from];
        let mut visited = Vec::new();
        let mut found = false;
        while let Some(x) = stack.pop() {
            if x == to {
                found = true;
                break;
            }
            if !std::mem::replace(&mut self.seen[x], true) {
                visited.push(x);
                let next = self.kept[x].iter();
                stack.extend(next.filter(|&&y| self.component[y] == within));
            }
        }
        for x in visited {
            self.seen[x] = false;
        }
        found
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

/// Mends, with a warning each, what a feed's objects may hold that a case cannot, so that one
/// untidy object does not keep the bundle out: a name that is blank (the object's id stands
/// in) or holds an invisible character (named as it shows), an alias or a family with an
/// invisible character (a terminal escape, a bidirectional override: dropped, since ids,
/// aliases and families are typed on the command line), and an end before the start (the end
/// left out).
fn tidy(file: &mut CaseFile, warnings: &mut Vec<String>, stix_id: &dyn Fn(&str) -> Option<String>) {
    let invisible = crate::escape::first_invisible;
    // Every named object, with its aliases when it has any, and the kind its record is kept
    // under.
    let named = (file.actors.iter_mut())
        .map(|a| ("entity", &a.id, &mut a.name, Some(&mut a.aliases)))
        .chain(
            (file.groups.iter_mut()).map(|g| ("entity", &g.id, &mut g.name, Some(&mut g.aliases))),
        )
        .chain(
            (file.incidents.iter_mut())
                .map(|i| ("incident", &i.id, &mut i.name, Some(&mut i.aliases))),
        )
        .chain((file.sources.iter_mut()).map(|s| ("source", &s.id, &mut s.name, None)));
    // Names reported first, then aliases, as the checker would list them.
    let mut dropped = Vec::new();
    for (kind, id, name, aliases) in named {
        // Each warning led by the object's STIX id, which places it in the bundle.
        let object = || object_named(stix_id, kind, id);
        if crate::escape::blank(name) {
            warnings.push(format!(
                "{}: its name is blank; named by its id, `{id}`",
                object()
            ));
            *name = id.clone();
        } else if let Some(c) = invisible(name) {
            // Every output escapes it, but a name is what the analyst reads and types: the
            // name as a terminal shows it, without the escape sequences it begins.
            let shown = crate::escape::shown_text(name).trim().to_string();
            warnings.push(format!(
                "{}: its name holds the invisible character {}; named as it shows, `{}`",
                object(),
                crate::escape::visible(c),
                crate::escape::terminal::text(&shortened(&shown))
            ));
            *name = shown;
        }
        if let Some(list) = aliases {
            list.retain(|a| match invisible(a) {
                Some(c) => {
                    dropped.push(format!(
                        "{}: its alias `{}` holds the invisible character {}; dropped",
                        object(),
                        crate::escape::terminal::text(a),
                        crate::escape::visible(c)
                    ));
                    false
                }
                None => true,
            });
        }
    }
    warnings.append(&mut dropped);
    for src in &mut file.sources {
        if let Some(c) = src.family.as_deref().and_then(invisible) {
            warnings.push(format!(
                "the family of source `{}` holds the invisible character {}; left out",
                src.id,
                crate::escape::visible(c)
            ));
            src.family = None;
        }
    }
    for i in &mut file.incidents {
        let date = |d: &Option<String>| d.as_deref().and_then(|d| crate::date::Date::parse(d).ok());
        if let (Some(start), Some(end)) = (date(&i.start), date(&i.end))
            && end.wholly_before(start)
        {
            warnings.push(format!(
                "incident `{}` ends ({end}) before it starts ({start}); its end is left out",
                i.id
            ));
            i.end = None;
        }
    }
}

/// An object of the case as a warning about it begins: its STIX id when it came from one
/// (which places the warning in the bundle, [`warning_paths`]), then its id in the case.
/// `kind` is what its record is kept under (`entity`, `incident`, `source`).
fn object_named(stix_id: &dyn Fn(&str) -> Option<String>, kind: &str, id: &str) -> String {
    match stix_id(&format!("{kind}:{id}")) {
        Some(s) => format!("{} (`{id}`)", shortened(&s)),
        None => format!("`{id}`"),
    }
}

/// Makes names unique and drops aliases that would name two things (the checker rejects
/// both), saying what changed.
fn resolve_alias_conflicts(
    file: &mut CaseFile,
    warnings: &mut Vec<String>,
    stix_id: &dyn Fn(&str) -> Option<String>,
) {
    let mut owner: HashMap<String, String> = HashMap::new();
    // Takes `key` for `id`; where another object has it, that object's id, to name it: "also
    // names another object" left an analyst searching the bundle for which.
    let mut claim = |key: &str, id: &str| -> Result<(), String> {
        let k = crate::model::name_key(key).into_owned();
        match owner.get(&k) {
            Some(o) if o != id => Err(o.clone()),
            _ => {
                owner.insert(k, id.to_string());
                Ok(())
            }
        }
    };
    let mut named: Vec<(&str, &String, &mut String)> = Vec::new();
    named.extend(
        file.actors
            .iter_mut()
            .map(|a| ("entity", &a.id, &mut a.name)),
    );
    named.extend(
        file.groups
            .iter_mut()
            .map(|g| ("entity", &g.id, &mut g.name)),
    );
    named.extend((file.incidents.iter_mut()).map(|i| ("incident", &i.id, &mut i.name)));
    for (_, id, _) in &named {
        let _ = claim(id, id);
    }
    for (kind, id, name) in named {
        if let Err(other) = claim(name, id) {
            let renamed = format!("{} ({id})", name.trim());
            let object = object_named(stix_id, kind, id);
            warnings.push(format!(
                "{object}: its name `{name}` also names the object `{other}`; renamed `{renamed}`"
            ));
            let _ = claim(&renamed, id);
            *name = renamed;
        }
    }
    let mut filter = |kind: &str, id: &str, aliases: &mut Vec<String>| {
        aliases.retain(|a| match claim(a, id) {
            Ok(()) => true,
            Err(other) => {
                let object = object_named(stix_id, kind, id);
                warnings.push(format!(
                    "{object}: its alias `{a}` also names the object `{other}`; dropped"
                ));
                false
            }
        });
    };
    for a in &mut file.actors {
        filter("entity", &a.id, &mut a.aliases);
    }
    for g in &mut file.groups {
        filter("entity", &g.id, &mut g.aliases);
    }
    for i in &mut file.incidents {
        filter("incident", &i.id, &mut i.aliases);
    }
}

#[cfg(test)]
mod tests {
    use super::{extension_well_formed, ill_formed, reference_ill_formed, well_formed};
    use crate::format::ExternalReferenceFile;
    use serde_json::json;

    /// Each value against the OASIS validator's schema for it (common/properties.json,
    /// hex.json, binary.json, core.json's `extensions`, the SDOs' typed properties).
    #[test]
    fn values_are_told_as_the_stix_schemas_tell_them() {
        for (name, value, fits) in [
            ("x_a_hex", json!("0aFF"), true),
            ("x_a_hex", json!("0af"), false),
            ("x_a_hex", json!(""), false),
            ("x_a_hex", json!(["00"]), false),
            ("x_a_bin", json!("aGVsbG8="), true),
            ("x_a_bin", json!("aGVsbA=="), true),
            ("x_a_bin", json!("aGVsbG8"), false),
            ("x_a_bin", json!("aGV=bG8="), false),
            ("x_a_bin", json!("a==="), false),
            ("x_any", json!(null), false),
            ("x_any", json!([]), false),
            ("x_any", json!({"Whatever": 1}), true),
            ("goals", json!(["x"]), true),
            ("goals", json!(["x", 1]), false),
            ("lang", json!("en"), true),
            ("lang", json!(5), false),
            ("opinion", json!("agree"), true),
            ("opinion", json!("agreed"), false),
            ("extensions", json!("none"), false),
            ("extensions", json!({}), true),
        ] {
            assert_eq!(well_formed(name, &value), fits, "{name}: {value}");
        }
        assert_eq!(
            ill_formed("x_any", &json!(null)),
            Some("a value other than null")
        );
        let def = "extension-definition--1f3b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        for (key, value, fits) in [
            ("x-acme-ext", json!({"rank": 3}), true),
            ("x-acme2-v1-ext", json!({"rank": 3}), true),
            ("x-acme-ext", json!({}), false),
            ("x-acme-ext", json!({"Rank": 3}), false),
            ("x-acme-ext", json!({"rank": null}), false),
            ("x-acme-ext", json!("rank"), false),
            ("X-acme-ext", json!({"rank": 3}), false),
            ("x--ext", json!({"rank": 3}), false),
            ("-ext", json!({"rank": 3}), false),
            ("1x-ext", json!({"rank": 3}), false),
            ("x-acme", json!({"rank": 3}), false),
            (def, json!({"extension_type": "property-extension"}), true),
            (def, json!({"extension_type": "nope"}), false),
            (def, json!({"rank": 3}), false),
            (
                "extension-definition--x",
                json!({"extension_type": "new-sdo"}),
                false,
            ),
        ] {
            assert_eq!(extension_well_formed(key, &value), fits, "{key}: {value}");
        }
    }

    /// External references against external-reference.json of the STIX 2.1 schemas: the CVE
    /// and CAPEC id patterns, and at least one of `external_id`, `url` and `description`.
    #[test]
    fn external_references_are_told_as_the_stix_schema_tells_them() {
        let reference = |source: &str, id: Option<&str>, url: Option<&str>| ExternalReferenceFile {
            source_name: source.to_string(),
            external_id: id.map(str::to_string),
            url: url.map(str::to_string),
            description: None,
        };
        for (source, id, url, fits) in [
            ("cve", Some("CVE-2024-0123"), None, true),
            ("cve", Some("CVE-2024-12345"), None, true),
            ("cve", Some("CVE-2024-1234567"), None, true),
            ("cve", Some("CVE-2024-01234"), None, false),
            ("cve", Some("CVE-2024-123"), None, false),
            ("cve", Some("CVE-24-1234"), None, false),
            ("cve", Some("cve-2024-1234"), None, false),
            ("cve", None, Some("https://nvd.nist.gov/"), false),
            ("capec", Some("CAPEC-66"), None, true),
            ("capec", Some("CAPEC-"), None, false),
            ("capec", Some("CAPEC-6a"), None, false),
            ("mitre-attack", Some("G0069"), None, true),
            ("mitre-attack", Some("CVE-2024-1234"), None, false),
            ("mitre-attack", Some("CAPEC-66"), None, false),
            ("US NSC", None, Some("https://www.whitehouse.gov/"), true),
            ("US NSC", None, None, false),
        ] {
            let r = reference(source, id, url);
            assert_eq!(
                reference_ill_formed(&r).is_none(),
                fits,
                "{source} {id:?} {url:?}"
            );
        }
    }

    /// Every object on a `revoked-by` chain is given the chain's end, once; a chain that runs
    /// into a circle, and every object on its way there, none.
    #[test]
    fn each_revoked_object_is_given_the_end_of_its_chain() {
        let next: super::HashMap<String, String> =
            [("a", "b"), ("b", "c"), ("x", "y"), ("y", "z"), ("z", "y")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let last = super::last_replacements(&next);
        let end = |id: &str| last.get(id).cloned();
        assert_eq!(end("a"), Some(Some("c".to_string())));
        assert_eq!(end("b"), Some(Some("c".to_string())));
        assert_eq!(end("c"), None, "not revoked");
        for id in ["x", "y", "z"] {
            assert_eq!(end(id), Some(None), "{id}");
        }
    }
}
