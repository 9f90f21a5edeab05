//! STIX 2.1 interchange: [`import`] reads bundles written by OpenCTI, MISP, ATT&CK and others
//! into an evidence case; [`export`] writes a case and its judgements as a bundle that the
//! OASIS validator accepts. No STIX crate is used: the few object types attrib maps are read
//! as JSON values (tolerant of everything else) and written with `serde_json`.

pub mod aliases;
pub mod citations;
pub mod export;
pub mod import;
pub mod markings;
mod select;
mod strict;
#[cfg(feature = "taxii")]
pub mod taxii;
pub mod vocab;
pub(crate) mod wellformed;

use uuid::Uuid;

/// Namespace of attrib's deterministic STIX ids (UUIDv5).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6f1d_4c2e_9a57_4b0e_8d3f_2a61_c0b7_e914);

/// `kind--uuid5(key)`: the same case always gets the same ids.
pub fn stix_id(kind: &str, key: &str) -> String {
    id_of(kind, Uuid::new_v5(&NAMESPACE, key.as_bytes()))
}

/// The UUID of an object that belongs to one case alone (a claim, a judgement, a grouping,
/// the case itself), derived from its key within the case's `id` when the case has one, so
/// that two cases that both have a claim `c1` publish two objects; from the key alone when it
/// has none. Actors, groups, incidents and sources are not scoped: the same actor in two
/// cases is one object.
pub(crate) fn case_uuid(case_id: Option<&str>, key: &str) -> Uuid {
    match case_id {
        // The id's length first, so that no id and key run into another's.
        Some(id) => Uuid::new_v5(
            &NAMESPACE,
            format!("case:{}:{id}/{key}", id.len()).as_bytes(),
        ),
        None => Uuid::new_v5(&NAMESPACE, key.as_bytes()),
    }
}

/// The key of a case's own grouping, which lists every object of the case.
pub(crate) const CASE_GROUPING_KEY: &str = "case";

/// `kind--uuid`, written into one allocation: a large export writes millions of ids.
pub(crate) fn id_of(kind: &str, uuid: Uuid) -> String {
    let mut buf = Uuid::encode_buffer();
    let uuid = uuid.hyphenated().encode_lower(&mut buf);
    let mut id = String::with_capacity(kind.len() + 2 + uuid.len());
    id.push_str(kind);
    id.push_str("--");
    id.push_str(uuid);
    id
}

/// Whether `t` is a STIX 2.1 timestamp (§3.2): an RFC 3339 date and time in UTC,
/// `YYYY-MM-DDTHH:MM:SS` with any fraction of a second, ending in `Z`, on a day the calendar
/// has. The OASIS validator refuses anything else, and a bundle attrib writes must pass it.
pub fn is_timestamp(t: &str) -> bool {
    let b = t.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let number = |r: std::ops::Range<usize>| t[r].parse::<u32>().unwrap_or(u32::MAX);
    let Some(rest) = t.strip_suffix('Z') else {
        return false;
    };
    let fraction = match rest.get(19..) {
        Some("") => true,
        Some(f) => f.len() > 1 && f.starts_with('.') && f[1..].bytes().all(|d| d.is_ascii_digit()),
        None => false,
    };
    fraction
        && digits(0..4)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && number(11..13) < 24
        && number(14..16) < 60
        && number(17..19) < 60
        && number(0..4) > 0
        && crate::date::Date::parse(&t[..10]).is_ok()
}

/// A recorded `created` or `modified` as export writes it: none when STIX does not allow it (a
/// record edited by hand: the caller writes a date of its own), and precise to the
/// millisecond at least, as STIX 2.1 asks of these two (`2024-03-01T10:00:00Z` is written
/// `2024-03-01T10:00:00.000Z`, the same instant), so that every such stamp also compares as
/// text.
pub(crate) fn record_stamp(t: Option<&str>) -> Option<String> {
    let t = t.filter(|t| is_timestamp(t))?;
    let body = &t[..t.len() - 1];
    let fraction = body.len().saturating_sub(20);
    Some(match (body.len(), fraction) {
        (19, _) => format!("{body}.000Z"),
        (_, f) if f < 3 => format!("{body}{}Z", "0".repeat(3 - f)),
        _ => t.to_string(),
    })
}

/// Whether `id` is a STIX 2.1 identifier (§2.9): a type name, `--` and a UUID in its
/// hyphenated form; of type `kind` when one is given.
pub fn is_id(id: &str, kind: Option<&str>) -> bool {
    id.split_once("--")
        .is_some_and(|(t, u)| is_type_name(t) && kind.is_none_or(|k| k == t) && is_uuid(u))
}

/// Whether `u` is a UUID as STIX 2.1 ids hold one (§2.9): hyphenated, of RFC 4122's variant
/// and one of its versions 1 to 5, as the OASIS validator's identifier pattern asks. A nil
/// UUID, or one of a version RFC 4122 does not define (RFC 9562's 7, say), is refused there, so
/// it is none here: an object that came with one gets an id of attrib's on export.
pub(crate) fn is_uuid(u: &str) -> bool {
    u.len() == 36
        && uuid::Uuid::try_parse(u).is_ok_and(|x| {
            x.get_variant() == uuid::Variant::RFC4122 && (1..=5).contains(&x.get_version_num())
        })
}

/// Whether `t` is a STIX 2.1 type name that an identifier can hold (§2.9, §3.1): 3 to 250 of
/// `a`–`z`, `0`–`9` and `-`, beginning with a letter, ending with a letter or a digit and with
/// no two hyphens together (they part the type from the UUID), as the validator's patterns
/// for `type` and `id` ask.
pub fn is_type_name(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_lowercase())
        && !t.ends_with('-')
        && !t.contains("--")
        && stix_word(t, b'-')
}

/// Whether `name` is a STIX 2.1 property name (§3.1): 3 to 250 of `a`–`z`, `0`–`9` and `_`,
/// beginning with a letter as the OASIS validator requires (it allows 2 for the spec's own
/// `id`, which attrib writes itself).
pub fn is_property_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase()) && stix_word(name, b'_')
}

/// 3 to 250 of `a`–`z`, `0`–`9` and `separator`: STIX's names of types and properties.
fn stix_word(s: &str, separator: u8) -> bool {
    (3..=250).contains(&s.len())
        && (s.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == separator)
}

pub use crate::ids::slug;

#[cfg(test)]
mod tests {
    use super::{is_id, is_property_name, is_timestamp};

    #[test]
    fn recorded_stamps_are_written_to_the_millisecond() {
        use super::record_stamp;
        let of = |t: &str| record_stamp(Some(t));
        assert_eq!(
            of("2024-03-01T10:00:00Z").unwrap(),
            "2024-03-01T10:00:00.000Z"
        );
        assert_eq!(
            of("2024-03-01T10:00:00.5Z").unwrap(),
            "2024-03-01T10:00:00.500Z"
        );
        assert_eq!(
            of("2024-03-01T10:00:00.12Z").unwrap(),
            "2024-03-01T10:00:00.120Z"
        );
        assert_eq!(
            of("2024-03-01T10:00:00.123Z").unwrap(),
            "2024-03-01T10:00:00.123Z"
        );
        assert_eq!(
            of("2024-03-01T10:00:00.123456Z").unwrap(),
            "2024-03-01T10:00:00.123456Z"
        );
        assert_eq!(of("2024-03-01"), None);
        assert_eq!(of("yesterday"), None);
        assert_eq!(record_stamp(None), None);
    }

    #[test]
    fn ids_and_property_names_follow_stix() {
        let u = "71e6832f-17ee-42fd-938d-c7f881be2028";
        assert!(is_id(&format!("relationship--{u}"), None));
        assert!(is_id(&format!("relationship--{u}"), Some("relationship")));
        assert!(is_id(&format!("x-acme-thing--{u}"), None));
        // Versions 1 to 5 of RFC 4122, upper-case hex digits and RFC 4122's four variant
        // digits are all the validator's pattern lets through.
        for good in [
            "relationship--c0a8a7e0-1d2b-11ef-8b7e-0242ac120002",
            "relationship--3f2504e0-4f89-31d3-9a0c-0305e82c3301",
            "relationship--71E6832F-17EE-52FD-A38D-C7F881BE2028",
            "relationship--71e6832f-17ee-42fd-b38d-c7f881be2028",
        ] {
            assert!(is_id(good, Some("relationship")), "{good}");
        }
        for bad in [
            format!("relationship--{u}x"),
            format!("relationship-{u}"),
            format!("intrusion-set--{u}"),
            format!("Relationship--{u}"),
            format!("relationship--{}", u.replace('-', "")),
            format!("relationship--{{{u}}}"),
            "relationship--<script>".to_string(),
            format!("r--{u}"),
            // Types that begin with a digit or end with a hyphen.
            format!("1relationship--{u}"),
            format!("relationship---{u}"),
            // The nil UUID, versions outside 1–5 (RFC 9562's 7, the version digit 0) and
            // variants other than RFC 4122's: the validator's identifier pattern refuses them.
            "relationship--00000000-0000-0000-0000-000000000000".to_string(),
            "relationship--018f6b3c-8b7e-7c2a-9f3e-2b6c1d4e5f60".to_string(),
            "relationship--71e6832f-17ee-02fd-938d-c7f881be2028".to_string(),
            "relationship--71e6832f-17ee-42fd-738d-c7f881be2028".to_string(),
            "relationship--71e6832f-17ee-42fd-c38d-c7f881be2028".to_string(),
        ] {
            assert!(!is_id(&bad, Some("relationship")), "{bad}");
        }
        for good in ["x_mitre_version", "sophistication", "abc"] {
            assert!(is_property_name(good), "{good}");
        }
        for bad in [
            "ab", "BAD NAME", "x-mitre", "naïve", "", "___", "_abc", "1abc",
        ] {
            assert!(!is_property_name(bad), "{bad}");
        }
        assert!(!is_property_name(&"a".repeat(251)));
    }

    #[test]
    fn timestamps_are_read_as_stix_writes_them() {
        for t in [
            "2024-03-01T10:00:00.000Z",
            "2024-03-01T10:00:00Z",
            "2024-02-29T23:59:59.123456Z",
        ] {
            assert!(is_timestamp(t), "{t}");
        }
        for t in [
            "yesterday",
            "2021-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-03-01T23:59:60Z",
            "2024-03-01T24:00:00Z",
            "0000-01-01T00:00:00Z",
            "2024-03-01T10:00:00.000",
            "2024-03-01T10:00:00+01:00",
            "2024-03-01 10:00:00Z",
            "2024-03-01T10:00:00.Z",
            "2024-03-01T10:00Z",
            "2024-03-01",
            "",
            "２０２４-03-01T10:00:00Z",
        ] {
            assert!(!is_timestamp(t), "{t}");
        }
    }
}
