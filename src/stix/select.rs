//! Which objects of a bundle belong to one case.
//!
//! A TAXII collection can hold several of attrib's cases, each published with its own `id`
//! (their claims, notes, judgements and groupings have ids of their own; actors, groups,
//! incidents and sources are shared). Read together they would be one case in which two
//! claims `c1` clash, so an import of such a bundle names the cases and asks for one; given
//! one, it keeps what that case's grouping lists and what those objects refer to.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

type Obj = Map<String, Value>;

/// One of attrib's cases found in a bundle: its grouping's newest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FoundCase<'a> {
    /// The grouping's STIX id.
    pub(super) stix_id: &'a str,
    /// The case's `id`, when it was published with one.
    pub(super) id: Option<&'a str>,
    /// The case's title.
    pub(super) title: &'a str,
    /// Where the grouping stands in the bundle's `objects`.
    pub(super) index: usize,
    grouping: &'a Obj,
}

impl FoundCase<'_> {
    /// How a message names the case: its id and title, or its title alone (messages are
    /// escaped where they are shown).
    pub(super) fn named(&self) -> String {
        let title = crate::report::shorten(self.title, 60);
        match self.id {
            Some(id) => format!("`{}` (\"{title}\")", crate::report::shorten(id, 60)),
            None => format!("\"{title}\" (published without an id)"),
        }
    }

    /// Whether this case was published without an id under the title `name` (an empty name
    /// names none, though a case's title may be empty).
    fn titled(&self, name: &str) -> bool {
        self.id.is_none() && !name.is_empty() && self.title == name
    }
}

/// attrib's case groupings in the bundle, newest version of each, revoked ones left out, in
/// the order they stand in the bundle.
pub(super) fn cases(list: &[Value]) -> Vec<FoundCase<'_>> {
    let mut newest: BTreeMap<&str, FoundCase<'_>> = BTreeMap::new();
    for (index, o) in list.iter().enumerate() {
        let Some(o) = o.as_object() else { continue };
        let (Some("grouping"), Some(stix_id), Some(record)) = (
            o.get("type").and_then(Value::as_str),
            o.get("id").and_then(Value::as_str),
            o.get("x_attrib_case").and_then(Value::as_object),
        ) else {
            continue;
        };
        let found = FoundCase {
            stix_id,
            id: record.get("id").and_then(Value::as_str),
            title: record.get("title").and_then(Value::as_str).unwrap_or(""),
            index,
            grouping: o,
        };
        // Newest as the import reads it ([`super::import::time_key`]): `…00.500Z` is later
        // than `…00Z`, which a comparison of the texts would not say; one that is no
        // timestamp is older than every one that is.
        let modified = |o: &Obj| {
            o.get("modified")
                .and_then(Value::as_str)
                .filter(|t| super::is_timestamp(t))
                .map(super::import::time_key)
        };
        match newest.get(stix_id) {
            Some(kept) if modified(kept.grouping) > modified(o) => {}
            _ => {
                newest.insert(stix_id, found);
            }
        }
    }
    let mut found: Vec<FoundCase<'_>> = newest
        .into_values()
        .filter(|c| c.grouping.get("revoked") != Some(&Value::Bool(true)))
        .collect();
    found.sort_by_key(|c| c.index);
    found
}

/// The cases `name` picks among `cases`: a case whose id it is, else those published without
/// an id under that title ([`FoundCase::titled`]). More than one is for the caller to refuse:
/// which of them the bundle lists first is no choice.
pub(super) fn pick<'c, 'a>(cases: &'c [FoundCase<'a>], name: &str) -> Vec<&'c FoundCase<'a>> {
    let by_id: Vec<_> = cases.iter().filter(|c| c.id == Some(name)).collect();
    if !by_id.is_empty() {
        return by_id;
    }
    cases.iter().filter(|c| c.titled(name)).collect()
}

/// The ids of the objects that belong to `case`: its grouping, what the grouping lists, and
/// everything those refer to (`*_ref`, `*_refs`, the keys of `extensions`), transitively, in
/// every version the bundle holds. Objects others added beside the case (an opinion on one of
/// its claims, say) are not listed by its grouping and are left out with the other cases.
pub(super) fn members(list: &[Value], case: &FoundCase<'_>) -> HashSet<String> {
    let mut versions: HashMap<&str, Vec<&Obj>> = HashMap::new();
    for o in list.iter().filter_map(Value::as_object) {
        if let Some(id) = o.get("id").and_then(Value::as_str) {
            versions.entry(id).or_default().push(o);
        }
    }
    let mut kept: HashSet<String> = HashSet::new();
    let mut pending: Vec<&str> = vec![case.stix_id];
    while let Some(id) = pending.pop() {
        if !kept.insert(id.to_string()) {
            continue;
        }
        for o in versions.get(id).into_iter().flatten() {
            refers_to(o, &mut pending);
        }
    }
    kept
}

/// Every id `o` refers to, at any depth (granular markings nest theirs).
fn refers_to<'a>(o: &'a Obj, out: &mut Vec<&'a str>) {
    for (key, value) in o {
        if key.ends_with("_ref") {
            out.extend(value.as_str());
        } else if key.ends_with("_refs") {
            out.extend(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
        } else if key == "extensions" {
            out.extend(
                value
                    .as_object()
                    .into_iter()
                    .flat_map(Map::keys)
                    .map(String::as_str)
                    .filter(|k| k.contains("--")),
            );
        }
        match value {
            Value::Object(inner) => refers_to(inner, out),
            Value::Array(items) => {
                for inner in items.iter().filter_map(Value::as_object) {
                    refers_to(inner, out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn grouping(id: &str, case_id: Option<&str>, title: &str, refs: &[&str]) -> Value {
        let mut record = json!({"title": title});
        if let Some(i) = case_id {
            record["id"] = json!(i);
        }
        json!({"type": "grouping", "id": id, "modified": "2024-01-01T00:00:00.000Z",
               "x_attrib_case": record, "object_refs": refs})
    }

    #[test]
    fn a_case_keeps_what_its_grouping_lists_and_what_that_refers_to() {
        let list = vec![
            grouping("grouping--a", Some("a"), "Case A", &["relationship--1"]),
            grouping("grouping--b", Some("b"), "Case B", &["relationship--2"]),
            json!({"type": "relationship", "id": "relationship--1",
                   "source_ref": "intrusion-set--x", "target_ref": "identity--y",
                   "granular_markings": [{"marking_ref": "marking-definition--m"}],
                   "extensions": {"extension-definition--e": {}}}),
            json!({"type": "relationship", "id": "relationship--2",
                   "source_ref": "intrusion-set--x", "target_ref": "identity--z"}),
            json!({"type": "intrusion-set", "id": "intrusion-set--x"}),
        ];
        let cases = cases(&list);
        assert_eq!(cases.len(), 2);
        let a = pick(&cases, "a")[0];
        let kept = members(&list, a);
        let mut kept: Vec<&str> = kept.iter().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(
            kept,
            [
                "extension-definition--e",
                "grouping--a",
                "identity--y",
                "intrusion-set--x",
                "marking-definition--m",
                "relationship--1"
            ]
        );
        assert!(
            pick(&cases, "Case A").is_empty(),
            "a case with an id is picked by it"
        );
    }

    #[test]
    fn a_case_without_an_id_is_picked_by_its_title_and_the_newest_grouping_counts() {
        let mut old = grouping("grouping--n", None, "Old title", &[]);
        old["modified"] = json!("2023-01-01T00:00:00.000Z");
        let list = vec![
            grouping("grouping--n", None, "New title", &[]),
            old,
            json!({"type": "grouping", "id": "grouping--other", "object_refs": []}),
        ];
        let cases = cases(&list);
        assert_eq!(
            cases.len(),
            1,
            "a grouping without attrib's record is no case"
        );
        assert_eq!(cases[0].title, "New title");
        assert_eq!(pick(&cases, "New title").len(), 1);
        assert!(pick(&cases, "Old title").is_empty());
        let untitled = [grouping("grouping--u", None, "", &[])];
        assert!(
            pick(&super::cases(&untitled), "").is_empty(),
            "no name picks a case"
        );
    }

    #[test]
    fn an_id_is_picked_before_a_title_and_a_later_fraction_is_newer() {
        let mut old = grouping("grouping--n", None, "Old title", &[]);
        old["modified"] = json!("2024-06-30T00:00:00Z");
        let mut new = grouping("grouping--n", None, "case-b", &[]);
        new["modified"] = json!("2024-06-30T00:00:00.500Z");
        let with_id = grouping("grouping--b", Some("case-b"), "case-a", &[]);
        for list in [
            vec![new.clone(), old.clone(), with_id.clone()],
            vec![with_id, old, new],
        ] {
            let cases = cases(&list);
            let picked = pick(&cases, "case-b");
            assert_eq!(picked.len(), 1);
            assert_eq!(picked[0].id, Some("case-b"), "the id, whatever the order");
            assert!(
                cases.iter().any(|c| c.title == "case-b"),
                "the later version"
            );
        }
    }

    #[test]
    fn two_cases_of_one_title_are_both_picked_for_the_caller_to_refuse() {
        let list = [
            grouping("grouping--x", None, "Same", &[]),
            grouping("grouping--y", None, "Same", &[]),
        ];
        assert_eq!(pick(&cases(&list), "Same").len(), 2);
    }

    #[test]
    fn a_revoked_case_grouping_is_no_case() {
        let mut g = grouping("grouping--r", Some("r"), "R", &[]);
        g["revoked"] = json!(true);
        assert!(cases(&[g]).is_empty());
    }
}
