//! STIX 2.1 bundle → evidence case.
//!
//! Objects attrib has a meaning for become entities, incidents, sources and claims; everything
//! else (malware, indicators, attack patterns, custom types) is skipped and counted, never
//! fatal. A malformed object among the mapped ones is an error naming its id and field. The
//! mapping is documented in `docs/stix.md`.

mod claims;
mod entities;
mod fields;
mod finish;
mod index;
mod likelihood;
mod records;
mod reports;

use self::claims::*;
pub(super) use self::fields::Held;
use self::fields::*;
use self::finish::*;
pub(super) use self::index::time_key;
use self::index::*;
use self::likelihood::*;
use self::records::record;
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
    let root: Value = super::strict::json(text_in).map_err(|e| {
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
