//! The bundle indexed by STIX id: of several versions of an object, the newest; marking
//! definitions given more than once; objects revoked and replaced.

use super::*;

/// Whether the part after `--` is a UUID as STIX 2.1 asks (§2.9: `type--UUID`, of RFC 4122's
/// variant and versions).
pub(super) fn uuid_ok(id: &str) -> bool {
    id.split_once("--")
        .is_some_and(|(_, u)| crate::stix::is_uuid(u))
}

/// An object written out with each timestamp as the instant it names, so that two versions
/// differing only in how a time is written (`…00Z`, `…00.000Z`) write alike: keys in order
/// (serde_json's map is sorted), so equal objects write alike too.
pub(super) fn as_instants(o: &Obj) -> String {
    let timestamps = TIMESTAMPS.iter().chain(&KEPT_TIMESTAMPS);
    let mut o = o.clone();
    for field in timestamps {
        if let Some(Value::String(t)) = o.get_mut(*field)
            && crate::stix::is_timestamp(t)
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
pub(super) fn differing_definitions(
    named: &str,
    kept: &MarkingFile,
    new: &MarkingFile,
) -> (String, bool) {
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
pub(super) fn same_definition(a: &MarkingFile, b: &MarkingFile) -> bool {
    let instant = |m: &MarkingFile| {
        let created = m.created.as_deref();
        created.map(|t| match crate::stix::is_timestamp(t) {
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
pub(in crate::stix) fn time_key(t: &str) -> String {
    let t = t.trim_end_matches('Z');
    match t.split_once('.') {
        Some((a, f)) => format!("{a}.{f:0<9}"),
        None => format!("{t}.000000000"),
    }
}

/// The objects of a bundle attrib maps, newest version of each, live ones only (revoked and
/// deprecated ones are counted and listed), with the marking definitions and `revoked-by`
/// replacements: what every later phase of an import reads.
pub(super) struct Index<'a> {
    pub(super) objects: BTreeMap<String, &'a Obj>,
    pub(super) marking_defs: BTreeMap<String, MarkingFile>,
    /// Each revoked object's last replacement, at the end of its `revoked-by` chain; `None`
    /// for one whose chain runs in a circle.
    pub(super) replaced_by: HashMap<String, Option<String>>,
    /// The revoked and deprecated objects left out (listed in one warning).
    pub(super) left_out: HashSet<String>,
}

impl<'a> Index<'a> {
    /// Indexes the bundle's objects, counting and warning into `log` as it goes.
    // Kept whole: one pass over the list with a branch per kind of object, then the
    // bundle-wide checks (versions, revocations, TLP:RED) that need the whole index, together
    // so that the order of warnings stays that of the bundle.
    pub(super) fn read(
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
                    .filter(|t| !t.as_str().is_some_and(crate::stix::is_timestamp))
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
                    .filter(|t| crate::stix::is_timestamp(t))
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
                .filter(|t| crate::stix::is_timestamp(t));
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
    pub(super) fn of_type(&self, t: &'static str) -> impl Iterator<Item = (&str, &'a Obj)> {
        self.objects
            .iter()
            .filter(move |(_, o)| text(o, "type") == Some(t))
            .map(|(id, o)| (id.as_str(), *o))
    }

    /// Where a `revoked-by` chain from `id` ends, when it ends at a live object.
    pub(super) fn replacement(&self, id: &str) -> Option<String> {
        let last = self.replaced_by.get(id)?.as_ref()?;
        (last != id && self.objects.contains_key(last)).then(|| last.clone())
    }

    /// A ref, or its replacement when it was revoked (noted in `notes`).
    pub(super) fn resolve(&self, r: &str, notes: &mut Vec<String>) -> String {
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
pub(super) fn last_replacements(next: &HashMap<String, String>) -> HashMap<String, Option<String>> {
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
