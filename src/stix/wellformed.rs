//! Whether a STIX property's value is what STIX 2.1 asks of it: a timestamp that is one, a
//! `confidence` from 0 to 100, an opinion of the five, texts where STIX types texts. The import
//! neither reads nor keeps an ill-formed value, export never writes one back, and `check`
//! reports one in a case's kept records (W120).

use crate::format::ExternalReferenceFile;
use serde_json::Value;

/// The timestamp properties attrib reads: one that is no STIX timestamp is reported (by
/// [`super::import`]) and not read.
pub(super) const TIMESTAMPS: [&str; 5] = [
    "created",
    "modified",
    "published",
    "first_seen",
    "last_seen",
];

/// STIX timestamp properties attrib does not read but keeps, to write back
/// ([`crate::format::StixObjectFile::properties`]): one that is no STIX timestamp is reported too, and not kept.
pub(super) const KEPT_TIMESTAMPS: [&str; 6] = [
    "start_time",
    "stop_time",
    "valid_from",
    "valid_until",
    "first_observed",
    "last_observed",
];

/// Properties of the objects attrib imports whose value STIX types as a text (their JSON
/// schemas): a value of another shape fails validation.
const TEXTS: [&str; 11] = [
    "name",
    "description",
    "lang",
    "sophistication",
    "resource_level",
    "primary_motivation",
    "identity_class",
    "contact_information",
    "objective",
    "context",
    "explanation",
];

/// Properties of the objects attrib imports whose value STIX types as a list of texts.
const TEXT_LISTS: [&str; 10] = [
    "labels",
    "aliases",
    "roles",
    "goals",
    "secondary_motivations",
    "personal_motivations",
    "threat_actor_types",
    "sectors",
    "report_types",
    "authors",
];

/// An opinion's five values (STIX 2.1 §4.12).
const OPINIONS: [&str; 5] = [
    "strongly-disagree",
    "disagree",
    "neutral",
    "agree",
    "strongly-agree",
];

/// What an extension definition may say it extends (STIX 2.1 §7.3).
const EXTENSION_TYPES: [&str; 5] = [
    "new-sdo",
    "new-sco",
    "new-sro",
    "property-extension",
    "toplevel-property-extension",
];

/// What STIX 2.1 (or the import) asks of a property's value that `value` is not, if any:
/// a timestamp that is none, a flag that is not false (such an object is not imported), a
/// `confidence` that is no whole number from 0 to 100 (which the import refuses: a case edited
/// by hand may hold one), an opinion that is none of the five, a text or list of texts of
/// STIX's (`name`, `aliases`) of another shape, an `extensions` that is no object, and a value
/// STIX forbids under any name ([`value_ill_formed`]). Such a value is neither kept by the
/// import nor written back by export. The entries of `extensions` are told one by one
/// ([`extension_well_formed`]).
pub(crate) fn ill_formed(name: &str, value: &Value) -> Option<&'static str> {
    let (fits, expected) = if TIMESTAMPS.contains(&name) || KEPT_TIMESTAMPS.contains(&name) {
        (
            value.as_str().is_some_and(super::is_timestamp),
            "a STIX timestamp",
        )
    } else {
        match name {
            "revoked" | "x_mitre_deprecated" => (
                value == &Value::Bool(false),
                "`false` (an object revoked or deprecated is not imported)",
            ),
            "confidence" => (
                value.as_i64().is_some_and(|c| (0..=100).contains(&c)),
                "a whole number from 0 to 100",
            ),
            "opinion" => (
                value.as_str().is_some_and(|o| OPINIONS.contains(&o)),
                "one of `strongly-disagree`, `disagree`, `neutral`, `agree` and `strongly-agree`",
            ),
            "extensions" => (value.is_object(), "an object of extensions"),
            _ if TEXTS.contains(&name) => (value.is_string(), "a text"),
            _ if TEXT_LISTS.contains(&name) => (
                (value.as_array()).is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string)),
                "a list of texts",
            ),
            _ => return value_ill_formed(name, value),
        }
    };
    (!fits).then_some(expected)
}

/// What STIX asks of an external reference that `r` is not (§2.5, as the validator's schema
/// checks it): a `cve` reference names a CVE id and a `capec` one a CAPEC id; any other says
/// more than its source's name (an `external_id`, a `url` or a `description`), and an id of
/// its is neither a CVE's nor a CAPEC's. Such a reference is not kept and never exported.
pub(crate) fn reference_ill_formed(r: &ExternalReferenceFile) -> Option<&'static str> {
    let id = r.external_id.as_deref();
    match r.source_name.as_str() {
        "cve" => {
            (!id.is_some_and(is_cve)).then_some("a CVE reference with a CVE id (`CVE-2024-3094`)")
        }
        "capec" => {
            (!id.is_some_and(is_capec)).then_some("a CAPEC reference with a CAPEC id (`CAPEC-66`)")
        }
        _ if id.is_some_and(|i| is_cve(i) || is_capec(i)) => {
            Some("a reference whose CVE or CAPEC id has the source `cve` or `capec`")
        }
        _ if id.is_none() && r.url.is_none() && r.description.is_none() => {
            Some("a reference with an `external_id`, a `url` or a `description`")
        }
        _ => None,
    }
}

/// `CVE-` and a year, `-` and a number of four digits or more (not `0` then four or more).
fn is_cve(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    id.strip_prefix("CVE-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(year, n)| {
            year.len() == 4
                && digits(year)
                && digits(n)
                && (n.len() == 4 || (n.len() > 4 && !n.starts_with('0')))
        })
}

/// `CAPEC-` and a number.
fn is_capec(id: &str) -> bool {
    id.strip_prefix("CAPEC-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether export writes a kept value back: [`ill_formed`] finds nothing wrong with it.
pub(crate) fn well_formed(name: &str, value: &Value) -> bool {
    ill_formed(name, value).is_none()
}

/// What STIX asks of any property's value that `value` is not (§3.1): not null, no empty
/// list, and under a name ending in `_hex` or `_bin` the hex or base64 text such names promise.
fn value_ill_formed(name: &str, value: &Value) -> Option<&'static str> {
    match value {
        Value::Null => Some("a value other than null"),
        Value::Array(a) if a.is_empty() => Some("a list of one item or more"),
        _ if name.ends_with("_hex") && !value.as_str().is_some_and(is_hex) => Some(
            "hex text (an even number of `0`–`9` and `a`–`f`), as a name ending in `_hex` promises",
        ),
        _ if name.ends_with("_bin") && !value.as_str().is_some_and(is_base64) => {
            Some("base64 text, as a name ending in `_bin` promises")
        }
        _ => None,
    }
}

fn is_hex(t: &str) -> bool {
    !t.is_empty() && t.len().is_multiple_of(2) && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Padded base64 (RFC 4648 §4), as the validator's pattern has it: at least one quantum.
fn is_base64(t: &str) -> bool {
    let body = t.trim_end_matches('=');
    let padding = t.len() - body.len();
    !t.is_empty()
        && t.len().is_multiple_of(4)
        && padding <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Whether one entry of an object's `extensions` is one STIX allows (§3.2, §7.3): under an
/// extension definition's id, an object naming its `extension_type`; under a predefined
/// extension's name (`x-acme-ext`), an object of at least one property; either way, every
/// property named as STIX names properties and holding a value it allows. Export leaves out
/// any other entry, which would make the bundle fail validation.
pub(crate) fn extension_well_formed(key: &str, value: &Value) -> bool {
    let Some(properties) = value.as_object() else {
        return false;
    };
    let named = if super::is_id(key, Some("extension-definition")) {
        (properties.get("extension_type"))
            .and_then(Value::as_str)
            .is_some_and(|t| EXTENSION_TYPES.contains(&t))
    } else {
        is_extension_name(key) && !properties.is_empty()
    };
    named
        && (properties.iter())
            .all(|(n, v)| super::is_property_name(n) && value_ill_formed(n, v).is_none())
}

/// `x-acme-ext`: words of `a`–`z` and `0`–`9` joined by `-`, the first from a letter, the
/// last `ext`.
fn is_extension_name(key: &str) -> bool {
    key.strip_suffix("-ext").is_some_and(|stem| {
        stem.starts_with(|c: char| c.is_ascii_lowercase())
            && stem.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    })
}

/// How deep a property's value may nest and be kept. The case holds it inside its own
/// structure (the case, its STIX records, the object, its properties), and the case's reader
/// stops at a nesting that a value of JSON's own limit would pass: a value nested deeper
/// would make a case that does not read back. No producer's property comes near.
pub(crate) const MAX_KEPT_DEPTH: usize = 32;

/// Whether `v` nests lists and objects more than [`MAX_KEPT_DEPTH`] levels deep: what a case
/// may not hold in a property (`check` refuses it), and what the import does not keep.
pub(crate) fn too_deep(v: &Value) -> bool {
    fn deeper(v: &Value, left: usize) -> bool {
        match v {
            Value::Array(a) => left == 0 || a.iter().any(|x| deeper(x, left - 1)),
            Value::Object(o) => left == 0 || o.values().any(|x| deeper(x, left - 1)),
            _ => false,
        }
    }
    deeper(v, MAX_KEPT_DEPTH)
}

/// [`too_deep`] for a field of an object the import keeps as it came. attrib's own records
/// (`x_attrib_case`) are read, not kept, and the case's record holds its properties deeper
/// than they stand ([`Importer::drop_deep_properties`] looks at them).
pub(super) fn field_too_deep(name: &str, v: &Value) -> bool {
    !name.starts_with("x_attrib_") && too_deep(v)
}
