//! The `stix` section: what `import stix` recorded of each object, which `export stix` writes
//! back as given. A record edited by hand can name what the case no longer declares, or hold
//! what no STIX 2.1 bundle may carry; each such value is warned of (W120) where it stands, and
//! export never writes a timestamp or kept property STIX refuses (it writes the case's own).
//! Ids, authors and marking references go out as given, as the import took them from the
//! bundle (warning of an id that is not one): what a producer calls an object is its name.

use super::{Validator, diags};
use crate::format::{MarkingFile, StixObjectFile};
use crate::locate::{field, index};
use crate::stix::markings::Definitions;
use crate::stix::{is_id, is_property_name, is_timestamp};
use rustc_hash::FxHashSet as HashSet;

/// What a record key's prefix names, and the word for it.
const KINDS: [(&str, &str); 4] = [
    ("entity", "actor or group"),
    ("incident", "incident"),
    ("source", "source"),
    ("claim", "claim"),
];

/// Keys of records of what attrib writes of its own, which export also reads (their dates and
/// markings): its identity, the case's grouping, and by prefix a restatement's note, a declared
/// `part_of`, a set of competing hypotheses and a judgement.
const OWN_KEYS: [&str; 2] = ["attrib", "case"];
const OWN_PREFIXES: [&str; 4] = ["restates", "part-of", "exclusive", "judgement"];

const TIMESTAMP: &str = "a STIX timestamp (`2024-03-01T10:00:00.000Z`: UTC, with `T` and `Z`)";
const STAMP_WRITTEN: &str = "`export stix` writes a date of its own instead";
const STAMP_HELP: &str = "write the timestamp the object came with, or remove it";
const ID_WRITTEN: &str = "`export stix` writes the object under an id of attrib's instead, \
     without the properties kept in the record: a new object to whoever holds the one it came as";
const AUTHOR_WRITTEN: &str = "`export stix` leaves the author out";
const REPORT_AUTHOR_WRITTEN: &str = "`export stix` leaves the author out: the report's statements \
     go out by its family's own source, when that is an identity, or by no author";
const TLP_NAMED: &str = "the object is marked with the level all the same: reports carry it, and \
     `export stix` writes TLP 2.0's id for it";
const DEFINITION_LEFT_OUT: &str = "`export stix` leaves the definition out, and every reference \
     to it: the bundle would fail STIX 2.1 validation";
const LEVELED_DEFINITION_LEFT_OUT: &str = "`export stix` leaves the definition out, and marks \
     what refers to it with TLP 2.0's definition of its level: the bundle would fail STIX 2.1 \
     validation";
const REFERENCE_LEFT_OUT: &str = "`export stix` leaves the reference out: the bundle would fail \
     STIX 2.1 validation";
const PROPERTY_LEFT_OUT: &str = "`export stix` leaves the property out: the bundle would fail \
     STIX 2.1 validation";

impl<'f> Validator<'f> {
    /// W120 for every record of the `stix` section that names nothing, or holds what STIX does
    /// not allow. `claims`: every claim's id (and what [`Validator::claim_ids`] keeps of it).
    pub(super) fn stix_records(&mut self, claims: &super::claims::ClaimIds<'_>) {
        let Some(stix) = &self.file.stix else {
            return;
        };
        for (i, m) in stix.markings.iter().enumerate() {
            self.marking(m, &index("stix.markings", i));
        }
        if stix.objects.is_empty() {
            return;
        }
        // Every ref of every record may be looked up: by id, not by a search of the list.
        let defs = Definitions::new(&stix.markings);
        let f = self.file;
        // The claims' ids are looked up where the validator keeps them, not copied.
        let declared: [HashSet<&str>; 3] = [
            (f.actors.iter().map(|a| a.id.as_str()))
                .chain(f.groups.iter().map(|g| g.id.as_str()))
                .collect(),
            f.incidents.iter().map(|i| i.id.as_str()).collect(),
            f.sources.iter().map(|s| s.id.as_str()).collect(),
        ];
        for (key, rec) in &stix.objects {
            let path = field("stix.objects", key);
            let prefix = key.split_once(':').map(|(p, _)| p);
            if OWN_KEYS.contains(&key.as_str()) || prefix.is_some_and(|p| OWN_PREFIXES.contains(&p))
            {
                self.record(rec, &path, &defs);
                continue;
            }
            let Some((prefix, id)) = key.split_once(':') else {
                self.push(diags::stix_key(key, path));
                continue;
            };
            let Some(k) = KINDS.iter().position(|(p, _)| *p == prefix) else {
                self.push(diags::stix_key(key, path));
                continue;
            };
            let known = declared
                .get(k)
                .map_or(claims.contains(id), |s| s.contains(id));
            if !known {
                // Suggested from the ids in file order (a set's order changes with its size,
                // and breaks ties between ids alike but for case).
                let near = match k {
                    0 => self.near(
                        id,
                        f.actors.len() + f.groups.len(),
                        (f.actors.iter().map(|a| a.id.as_str()))
                            .chain(f.groups.iter().map(|g| g.id.as_str())),
                    ),
                    1 => self.near(
                        id,
                        f.incidents.len(),
                        f.incidents.iter().map(|i| i.id.as_str()),
                    ),
                    2 => self.near(id, f.sources.len(), f.sources.iter().map(|s| s.id.as_str())),
                    _ => self.near(id, f.claims.len(), claims.iter().map(|(k, _)| k)),
                };
                self.push(diags::stix_detached(key, KINDS[k], near, path));
                continue;
            }
            self.record(rec, &path, &defs);
        }
    }

    /// One object's record, at `path`.
    fn record(&mut self, rec: &StixObjectFile, path: &str, defs: &Definitions<'_>) {
        if let Some(id) = &rec.id {
            if !is_id(id, None) {
                self.push(diags::stix_value(
                    id,
                    "a STIX id (a type, `--` and a UUID of RFC 4122's versions 1 to 5)",
                    ID_WRITTEN,
                    "write the id the object came with, or remove `id`: the object then goes out under an id of attrib's",
                    field(path, "id"),
                ));
            } else if let Some(kind) = &rec.kind
                && !is_id(id, Some(kind))
            {
                self.push(diags::stix_kind(id, kind, field(path, "kind")));
            }
        }
        for (name, t) in [("created", &rec.created), ("modified", &rec.modified)] {
            self.timestamp(t.as_deref(), || field(path, name));
        }
        if let Some(a) = &rec.created_by {
            let note = if rec.kind.as_deref() == Some("report") {
                REPORT_AUTHOR_WRITTEN
            } else {
                AUTHOR_WRITTEN
            };
            self.identity(a, note, || field(path, "created_by"));
        }
        for (i, m) in rec.markings.iter().enumerate() {
            self.marking_ref(m, defs, || index(&field(path, "markings"), i));
        }
        for (i, r) in rec.external_references.iter().enumerate() {
            if let Some(expected) = crate::stix::wellformed::reference_ill_formed(r) {
                self.push(diags::stix_value(
                    &r.source_name,
                    expected,
                    REFERENCE_LEFT_OUT,
                    "write the reference as its producer gave it, or remove it",
                    field(
                        &index(&field(path, "external_references"), i),
                        "source_name",
                    ),
                ));
            }
        }
        let Some(properties) = &rec.properties else {
            return;
        };
        let at = field(path, "properties");
        for (name, value) in properties {
            if crate::stix::export::resolved_by_attrib(name) && name != "extensions" {
                self.push(diags::stix_property_ours(name, field(&at, name)));
            } else if crate::stix::wellformed::too_deep(value) {
                self.push(diags::stix_property_too_deep(name, field(&at, name)));
            } else if let Some(expected) = crate::stix::wellformed::ill_formed(name, value) {
                self.push(diags::stix_property_value(name, expected, field(&at, name)));
            } else if !is_property_name(name) {
                self.push(diags::stix_value(
                    name,
                    "a STIX property name (3 to 250 of `a`–`z`, `0`–`9` and `_`, from a letter on)",
                    PROPERTY_LEFT_OUT,
                    "rename the property as its producer names it, or remove it",
                    field(&at, name),
                ));
            } else if let Some(extensions) = value.as_object().filter(|_| name == "extensions") {
                let at = field(&at, name);
                for (key, v) in extensions {
                    if !crate::stix::wellformed::extension_well_formed(key, v) {
                        self.push(diags::stix_extension(key, field(&at, key)));
                    }
                }
            }
        }
    }

    /// A marking definition the case recorded, at `path`.
    fn marking(&mut self, m: &MarkingFile, path: &str) {
        if !is_id(&m.id, Some("marking-definition")) {
            let leveled = m.tlp.as_deref().and_then(crate::stix::markings::Tlp::parse);
            self.push(diags::stix_value(
                &m.id,
                "a marking definition's STIX id (`marking-definition--` and a UUID of RFC 4122's versions 1 to 5)",
                if leveled.is_some() {
                    LEVELED_DEFINITION_LEFT_OUT
                } else {
                    DEFINITION_LEFT_OUT
                },
                "write the id the marking definition came with",
                field(path, "id"),
            ));
        }
        self.timestamp(m.created.as_deref(), || field(path, "created"));
        if let Some(a) = &m.created_by {
            self.identity(a, AUTHOR_WRITTEN, || field(path, "created_by"));
        }
        if let Some(t) = &m.tlp
            && crate::stix::markings::Tlp::parse(t).is_none()
        {
            self.push(diags::stix_value(
                t,
                "a TLP level",
                "the marking counts as no TLP level: reports carry none for it",
                diags::TLP_HELP,
                field(path, "tlp"),
            ));
        }
    }

    fn timestamp(&mut self, t: Option<&str>, path: impl FnOnce() -> String) {
        if let Some(t) = t
            && !is_timestamp(t)
        {
            self.push(diags::stix_value(
                t,
                TIMESTAMP,
                STAMP_WRITTEN,
                STAMP_HELP,
                path(),
            ));
        }
    }

    /// An author (`created_by`), which `note` says what export does without.
    fn identity(&mut self, id: &str, note: &str, path: impl FnOnce() -> String) {
        if !is_id(id, Some("identity")) {
            self.push(diags::stix_value(
                id,
                "an identity's STIX id (`identity--` and a UUID of RFC 4122's versions 1 to 5)",
                note,
                "write the id of the identity that created the object, or remove it",
                path(),
            ));
        }
    }

    fn marking_ref(&mut self, id: &str, defs: &Definitions<'_>, path: impl FnOnce() -> String) {
        if !is_id(id, Some("marking-definition")) {
            // `TLP:AMBER` for the marking's id, or a definition's id that is none: the level
            // is known, and so is its id. Read as reports and export read it.
            let (note, help) = match crate::stix::markings::tlp_of(id, defs) {
                Some(t) => (
                    TLP_NAMED,
                    format!(
                        "write the id of TLP 2.0's TLP:{}: `{}`",
                        t.word().to_ascii_uppercase(),
                        t.id()
                    ),
                ),
                None => (
                    REFERENCE_LEFT_OUT,
                    "write the id of the marking definition, or remove it".to_string(),
                ),
            };
            self.push(diags::stix_value(
                id,
                "a marking definition's STIX id (`marking-definition--` and a UUID of RFC 4122's versions 1 to 5)",
                note,
                &help,
                path(),
            ));
        }
    }
}
