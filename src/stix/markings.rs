//! Data markings: TLP 1.0 and 2.0 (the well-known definitions every tool shares by id) and
//! statement markings, with the order of restriction used to mark judgements.

use crate::format::{MarkingFile, StixFile};
use rustc_hash::FxHashMap as HashMap;
use serde_json::{Value, json};

/// A TLP level, least restrictive first (TLP 1.0's WHITE is read as CLEAR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tlp {
    /// TLP:CLEAR.
    Clear,
    /// TLP:GREEN.
    Green,
    /// TLP:AMBER.
    Amber,
    /// TLP:AMBER+STRICT.
    AmberStrict,
    /// TLP:RED.
    Red,
}

impl Tlp {
    /// A level from its name (`clear`, `amber+strict`, `TLP:RED`, `TLP: RED`…), in any case.
    pub fn parse(text: &str) -> Option<Tlp> {
        let t = text.trim().to_ascii_lowercase();
        let t = t.strip_prefix("tlp:").unwrap_or(&t).trim_start();
        Some(match t {
            "clear" | "white" => Tlp::Clear,
            "green" => Tlp::Green,
            "amber" => Tlp::Amber,
            "amber+strict" => Tlp::AmberStrict,
            "red" => Tlp::Red,
            _ => return None,
        })
    }

    /// The level as TLP 2.0 writes it.
    pub fn word(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// The TLP 2.0 marking definition's id.
    pub fn id(self) -> &'static str {
        TLP2.iter()
            .find(|(t, _, _)| *t == self)
            .expect("every level")
            .1
    }
}

const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
const TLP2_CREATOR: &str = "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01";

/// TLP 2.0: level, id, word used in the definition.
const TLP2: [(Tlp, &str, &str); 5] = [
    (
        Tlp::Clear,
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        "clear",
    ),
    (
        Tlp::Green,
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        "green",
    ),
    (
        Tlp::Amber,
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        "amber",
    ),
    (
        Tlp::AmberStrict,
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "amber+strict",
    ),
    (
        Tlp::Red,
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        "red",
    ),
];

/// TLP 1.0 (the STIX 2.1 specification's own definitions).
const TLP1: [(Tlp, &str, &str); 4] = [
    (
        Tlp::Clear,
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        "white",
    ),
    (
        Tlp::Green,
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        "green",
    ),
    (
        Tlp::Amber,
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        "amber",
    ),
    (
        Tlp::Red,
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        "red",
    ),
];

/// Marking definitions found by id: a list is searched (a case's few, a test's), a
/// [`Definitions`] looked up (every ref of every object of a large case: a search of the list
/// for each made 32,000 statement markings on one object take 13 s to export).
pub trait Lookup {
    /// The first definition with this id.
    fn find(&self, id: &str) -> Option<&MarkingFile>;
}

impl Lookup for [MarkingFile] {
    fn find(&self, id: &str) -> Option<&MarkingFile> {
        self.iter().find(|d| d.id == id)
    }
}

impl<const N: usize> Lookup for [MarkingFile; N] {
    fn find(&self, id: &str) -> Option<&MarkingFile> {
        self[..].find(id)
    }
}

/// A list of marking definitions with an index by id, built once.
pub struct Definitions<'a> {
    by_id: HashMap<&'a str, &'a MarkingFile>,
}

impl<'a> Definitions<'a> {
    /// The definitions of `list`, the first of each id found (as a search of it finds).
    pub fn new(list: &'a [MarkingFile]) -> Definitions<'a> {
        let mut by_id = HashMap::default();
        for d in list {
            by_id.entry(d.id.as_str()).or_insert(d);
        }
        Definitions { by_id }
    }
}

impl Lookup for Definitions<'_> {
    fn find(&self, id: &str) -> Option<&MarkingFile> {
        self.by_id.get(id).copied()
    }
}

/// The TLP level a marking id stands for, if it is a TLP marking. A level's name written
/// for an id by hand (`TLP:AMBER`; `check` warns of it, W120) stands for that level: read
/// as no marking, it would leave what it marks shared as unmarked.
pub fn tlp_of(id: &str, defs: &(impl Lookup + ?Sized)) -> Option<Tlp> {
    TLP2.iter()
        .chain(TLP1.iter())
        .find(|(_, i, _)| *i == id)
        .map(|(t, _, _)| *t)
        .or_else(|| {
            defs.find(id)
                .and_then(|d| d.tlp.as_deref())
                .and_then(Tlp::parse)
        })
        .or_else(|| Tlp::parse(id).filter(|_| !super::is_id(id, None)))
}

/// The marking ref export writes for `m`: a marking definition's id as it is; any other ref
/// that stands for a TLP level as [`tlp_of`] reads it (a level's name, `TLP:AMBER`, or a
/// definition of the case recorded under an id that is none) as TLP 2.0's id for that level,
/// so that the bundle is marked as the reports are; anything else not at all, since a bundle
/// referring to no marking definition's id fails validation.
pub fn usable_ref<'m>(m: &'m str, defs: &(impl Lookup + ?Sized)) -> Option<&'m str> {
    if super::is_id(m, Some("marking-definition")) {
        Some(m)
    } else {
        tlp_of(m, defs).map(Tlp::id)
    }
}

/// A STIX section whose records' marking refs are all [`usable_ref`]s and whose marking
/// definitions all have a marking definition's id (the others' levels are in the refs now),
/// when that is not so as written (a record edited by hand); `None` when it is, which is
/// every case `import stix` wrote from a valid bundle.
pub fn usable_refs(stix: &StixFile) -> Option<StixFile> {
    let defs = &Definitions::new(&stix.markings);
    let usable = |m: &String| usable_ref(m, defs) == Some(m.as_str());
    let defined = |d: &MarkingFile| super::is_id(&d.id, Some("marking-definition"));
    if (stix.objects.values()).all(|o| o.markings.iter().all(usable))
        && stix.markings.iter().all(defined)
    {
        return None;
    }
    let mut out = stix.clone();
    out.markings.retain(defined);
    for o in out.objects.values_mut() {
        let mut refs: Vec<String> = Vec::with_capacity(o.markings.len());
        let mut seen = std::collections::HashSet::new();
        for m in o.markings.iter().filter_map(|m| usable_ref(m, defs)) {
            // In the order given, each once (`TLP:AMBER` beside its id).
            if seen.insert(m) {
                refs.push(m.to_string());
            }
        }
        o.markings = refs;
    }
    Some(out)
}

/// An object's markings raised to `floor`: a TLP marking below it is replaced by the floor's.
pub fn with_floor(
    own: &[String],
    defs: &(impl Lookup + ?Sized),
    floor: Option<Tlp>,
) -> Vec<String> {
    let mut out: Vec<String> = own.to_vec();
    if let Some(floor) = floor.filter(|_| raised(own, defs, floor)) {
        out.retain(|m| tlp_of(m, defs).is_none());
        out.push(floor.id().to_string());
    }
    out.sort();
    out.dedup();
    out
}

/// Whether [`with_floor`] raises markings `own` to `floor`: none of them is as restrictive.
pub fn raised(own: &[String], defs: &(impl Lookup + ?Sized), floor: Option<Tlp>) -> bool {
    floor.is_some_and(|floor| {
        let highest = own.iter().filter_map(|m| tlp_of(m, defs)).max();
        highest.is_none_or(|h| h < floor)
    })
}

/// The markings a conclusion drawn from objects with these markings must carry: the most
/// restrictive TLP among them, and every statement.
pub fn most_restrictive(refs: &[String], defs: &(impl Lookup + ?Sized)) -> Vec<String> {
    let top = refs
        .iter()
        .filter_map(|m| tlp_of(m, defs).map(|t| (t, m)))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, m)| m.clone());
    let mut out: Vec<String> = refs
        .iter()
        .filter(|m| tlp_of(m, defs).is_none())
        .cloned()
        .chain(top)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The marking-definition object for an id: the well-known TLP definitions, or one the case
/// recorded on import (with its author when `in_bundle` says that identity is written too,
/// so that nothing refers to an object the bundle lacks).
pub fn definition(
    id: &str,
    defs: &(impl Lookup + ?Sized),
    in_bundle: impl Fn(&str) -> bool,
) -> Option<Value> {
    if let Some((_, id, word)) = TLP1.iter().find(|(_, i, _)| *i == id) {
        return Some(json!({
            "type": "marking-definition", "spec_version": "2.1", "id": id,
            "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp",
            "name": format!("TLP:{}", word.to_uppercase()),
            "definition": { "tlp": word },
        }));
    }
    if let Some((_, id, word)) = TLP2.iter().find(|(_, i, _)| *i == id) {
        return Some(json!({
            "type": "marking-definition", "spec_version": "2.1", "id": id,
            "created_by_ref": TLP2_CREATOR,
            "created": "2022-10-01T00:00:00.000Z",
            "name": format!("TLP:{}", word.to_uppercase()),
            "extensions": { TLP2_EXTENSION: { "extension_type": "property-extension", "tlp_2_0": word } },
        }));
    }
    let d = defs.find(id)?;
    let created = super::record_stamp(d.created.as_deref())
        .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".into());
    let mut o = json!({
        "type": "marking-definition", "spec_version": "2.1", "id": d.id, "created": created,
    });
    if let Some(n) = &d.name {
        o["name"] = json!(n);
    }
    if let Some(a) = d.created_by.as_deref().filter(|a| in_bundle(a)) {
        o["created_by_ref"] = json!(a);
    }
    if let Some(s) = &d.statement {
        o["definition_type"] = json!("statement");
        o["definition"] = json!({ "statement": s });
    } else if let Some(level) = d.tlp.as_deref().and_then(Tlp::parse) {
        // A platform's own TLP marking (OpenCTI's TLP:AMBER+STRICT): STIX keeps
        // `definition_type: "tlp"` for the definitions it publishes, so any other id states its
        // level in TLP 2.0's extension, as those of TLP 2.0 do.
        o["extensions"] = json!({
            TLP2_EXTENSION: { "extension_type": "property-extension", "tlp_2_0": level.word() }
        });
    } else if let Some(t) = &d.tlp {
        // A level that is none (`check` warns of it, W120), written as it was recorded.
        o["definition_type"] = json!("tlp");
        o["definition"] = json!({ "tlp": t });
    } else {
        return None;
    }
    Some(o)
}

/// What attrib understands of a `marking-definition` object.
pub fn read(o: &serde_json::Map<String, Value>) -> Option<MarkingFile> {
    let id = o.get("id")?.as_str()?.to_string();
    let name = o.get("name").and_then(Value::as_str).map(str::to_string);
    let def = o.get("definition");
    let tlp = tlp_of(&id, &[])
        .map(|t| t.word().to_string())
        .or_else(|| {
            def.and_then(|d| d.get("tlp"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .or_else(|| {
            o.get("extensions")
                .and_then(Value::as_object)
                .and_then(|e| e.values().find_map(|v| v.get("tlp_2_0")))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .or_else(|| {
            (o.get("definition_type").and_then(Value::as_str) == Some("TLP")
                || name.as_deref().is_some_and(|n| n.starts_with("TLP:")))
            .then(|| name.clone())
            .flatten()
            .and_then(|n| Tlp::parse(&n))
            .map(|t| t.word().to_string())
        });
    let statement = def
        .and_then(|d| d.get("statement"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let created = o.get("created").and_then(Value::as_str).map(str::to_string);
    let created_by = (o.get("created_by_ref").and_then(Value::as_str)).map(str::to_string);
    Some(MarkingFile {
        id,
        name,
        tlp,
        statement,
        created,
        created_by,
    })
}

/// `2022-09-07T00:00:00.000Z` → `2022-09-07T00:00:00.001Z`: the least later timestamp, for an
/// object whose content changed since its recorded `modified`.
pub fn later_by_a_millisecond(ts: &str) -> String {
    later_by(ts, 1)
}

/// `ts` moved on by `ms` milliseconds (0 to a day), written as STIX writes timestamps; `ts`
/// as it is when it is no timestamp.
pub fn later_by(ts: &str, ms: i64) -> String {
    let parse = || -> Option<String> {
        let (date, time) = ts.strip_suffix('Z')?.split_once('T')?;
        let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
        let (y, m, day) = (d.next()??, d.next()??, d.next()??);
        let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
        let mut t = hms.split(':').map(|x| x.parse::<i64>().ok());
        let (h, mi, s) = (t.next()??, t.next()??, t.next()??);
        let frac_ms: i64 = format!("{:0<3}", &frac[..frac.len().min(3)]).parse().ok()?;
        let days = days_from_civil(y, m, day);
        let total = ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + frac_ms + ms;
        let (days, rest) = (total.div_euclid(86_400_000), total.rem_euclid(86_400_000));
        let (y, m, d) = civil_from_days(days);
        Some(format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            rest / 3_600_000,
            rest / 60_000 % 60,
            rest / 1000 % 60,
            rest % 1000
        ))
    };
    parse().unwrap_or_else(|| ts.to_string())
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_found_by_id_are_those_a_search_of_the_list_finds() {
        let def = |id: &str, tlp: &str| MarkingFile {
            id: id.into(),
            tlp: Some(tlp.into()),
            ..MarkingFile::default()
        };
        // Two definitions under one id (a case edited by hand): the first is read.
        let list = [
            def("ours", "red"),
            def("other", "green"),
            def("ours", "clear"),
        ];
        let defs = Definitions::new(&list);
        for id in ["ours", "other", "none", "TLP:AMBER"] {
            assert_eq!(tlp_of(id, &defs), tlp_of(id, &list), "{id}");
        }
        assert_eq!(tlp_of("ours", &defs), Some(Tlp::Red));
        let refs = ["ours".to_string(), "other".to_string()];
        assert_eq!(
            most_restrictive(&refs, &defs),
            most_restrictive(&refs, &list)
        );
    }

    #[test]
    fn a_tlp_name_for_an_id_is_its_level_and_goes_out_as_tlp_2_s_id() {
        assert_eq!(tlp_of("TLP:AMBER+STRICT", &[]), Some(Tlp::AmberStrict));
        assert_eq!(tlp_of("tlp:white", &[]), Some(Tlp::Clear));
        assert_eq!(tlp_of("TLP: AMBER", &[]), Some(Tlp::Amber));
        let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
        assert_eq!(usable_ref("TLP:RED", &[]), Some(red));
        // TLP 1.0's id stays as it is; what is no id and no level goes out not at all.
        let tlp1_amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
        assert_eq!(usable_ref(tlp1_amber, &[]), Some(tlp1_amber));
        assert_eq!(tlp_of(tlp1_amber, &[]), Some(Tlp::Amber));
        assert_eq!(usable_ref("our-marking", &[]), None);
        assert_eq!(tlp_of("our-marking", &[]), None);
        // A definition recorded under an id that is none: its level, in reports as in the
        // bundle, and the definition's level over what its id spells.
        let defs = [
            MarkingFile {
                id: "our-red".into(),
                tlp: Some("red".into()),
                ..MarkingFile::default()
            },
            MarkingFile {
                id: "TLP:RED".into(),
                tlp: Some("green".into()),
                ..MarkingFile::default()
            },
        ];
        assert_eq!(tlp_of("our-red", &defs), Some(Tlp::Red));
        assert_eq!(usable_ref("our-red", &defs), Some(red));
        assert_eq!(tlp_of("TLP:RED", &defs), Some(Tlp::Green));
        assert_eq!(usable_ref("TLP:RED", &defs), Some(Tlp::Green.id()));
    }

    #[test]
    fn a_millisecond_later_carries_over_days_and_years() {
        assert_eq!(
            later_by_a_millisecond("2022-09-07T00:00:00.000Z"),
            "2022-09-07T00:00:00.001Z"
        );
        assert_eq!(
            later_by_a_millisecond("2022-12-31T23:59:59.999Z"),
            "2023-01-01T00:00:00.000Z"
        );
        assert_eq!(
            later_by_a_millisecond("2024-02-28T23:59:59.9999Z"),
            "2024-02-29T00:00:00.000Z"
        );
        assert_eq!(
            later_by_a_millisecond("2024-02-28T10:00:00Z"),
            "2024-02-28T10:00:00.001Z"
        );
    }

    #[test]
    fn judgements_carry_the_most_restrictive_tlp_and_every_statement() {
        let defs = [MarkingFile {
            id: "marking-definition--00000000-0000-4000-8000-000000000001".into(),
            name: None,
            tlp: None,
            statement: Some("Copyright".into()),
            created: None,
            created_by: None,
        }];
        let refs = vec![
            Tlp::Green.id().to_string(),
            TLP1[3].1.to_string(),
            defs[0].id.clone(),
        ];
        let most = most_restrictive(&refs, &defs);
        assert_eq!(most.len(), 2);
        assert!(most.contains(&TLP1[3].1.to_string()), "TLP 1.0 RED wins");
        assert!(most.contains(&defs[0].id));
        let floored = with_floor(&[Tlp::Green.id().to_string()], &defs, Some(Tlp::Amber));
        assert_eq!(floored, vec![Tlp::Amber.id().to_string()]);
        let kept = with_floor(&[Tlp::Red.id().to_string()], &defs, Some(Tlp::Amber));
        assert_eq!(kept, vec![Tlp::Red.id().to_string()]);
    }

    /// A level is read by its name in any case, with or without the `TLP:` of its label.
    #[test]
    fn a_level_is_read_by_its_name_or_its_label() {
        for (text, level) in [
            ("amber+strict", Some(Tlp::AmberStrict)),
            ("TLP:AMBER+STRICT", Some(Tlp::AmberStrict)),
            ("TLP: red", Some(Tlp::Red)),
            (" Clear ", Some(Tlp::Clear)),
            ("white", Some(Tlp::Clear)),
            ("TLP:CLEAR", Some(Tlp::Clear)),
            ("amber strict", None),
            ("TLP", None),
        ] {
            assert_eq!(Tlp::parse(text), level, "{text}");
        }
    }
}
