//! attrib's own records in a bundle it exported: the case's title, metadata and keys, read
//! back so that a round trip loses nothing.

use super::*;

/// attrib's own records, embedded by `export stix`.
pub(super) fn record<T: serde::de::DeserializeOwned>(
    o: &Obj,
    field: &str,
) -> Result<Option<T>, ImportError> {
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

impl<'a, 'i> Importer<'a, 'i> {
    /// The properties of the case's record nested deeper than a case holds ([`too_deep`]),
    /// left out with a warning: a record written by hand, or by an older attrib.
    pub(super) fn drop_deep_properties(&mut self, stix: &mut StixFile) {
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
    pub(super) fn case_metadata(&mut self) -> Result<(), ImportError> {
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

    /// attrib's own records first, so that their ids are kept exactly.
    pub(super) fn own_records(&mut self) -> Result<(), ImportError> {
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
    pub(super) fn recover_keys(&mut self, named: BTreeSet<String>) {
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
                let sid = crate::stix::stix_id(t, &key);
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
}
