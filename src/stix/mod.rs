//! STIX 2.1 interchange: [`import`] reads bundles written by OpenCTI, MISP, ATT&CK and others
//! into an evidence case; [`export`] writes a case and its judgements as a bundle that the
//! OASIS validator accepts. No STIX crate is used: the few object types attrib maps are read
//! as JSON values (tolerant of everything else) and written with `serde_json`.

pub mod aliases;
pub mod citations;
pub mod export;
pub mod import;
pub mod markings;
#[cfg(feature = "taxii")]
pub mod taxii;
pub mod vocab;

use uuid::Uuid;

/// Namespace of attrib's deterministic STIX ids (UUIDv5).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6f1d_4c2e_9a57_4b0e_8d3f_2a61_c0b7_e914);

/// `kind--uuid5(key)`: the same case always gets the same ids.
pub fn stix_id(kind: &str, key: &str) -> String {
    id_of(kind, Uuid::new_v5(&NAMESPACE, key.as_bytes()))
}

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

/// A readable id from a name: lower case, runs of anything but letters and digits as `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
