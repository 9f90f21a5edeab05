//! Actors, groups, incidents and sources: threat actors, intrusion sets, campaigns,
//! incidents and identities, by the role each plays in the bundle.

use super::*;

/// An object's other names: its `aliases` other than its name, then its ATT&CK ids, each once
/// (attrib's export writes an ATT&CK id among the aliases too, and a bundle read back would
/// have it twice).
pub(super) fn aliases_of(o: &Obj, name: &str) -> Result<Vec<String>, ImportError> {
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
pub(super) fn attack_ids(o: &Obj) -> Vec<String> {
    external_references(o)
        .into_iter()
        .filter(|r| r.source_name.starts_with("mitre-"))
        .filter_map(|r| r.external_id)
        .collect()
}

impl<'a, 'i> Importer<'a, 'i> {
    /// Which identities are creators (sources) and which are attributed to (actors).
    pub(super) fn roles(&mut self) -> Result<(), ImportError> {
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

    /// The id of the object `sid`, named `name`, as an actor or group (`prefix` "entity"), an
    /// incident ("incident") or a source ("source"): the one the case's record gives it
    /// ([`Importer::recorded_keys`]) when it is free, else one made from its name (`fallback`
    /// and the start of its STIX id, `source-a1b2c3d4`, when the name makes none: a blank
    /// name, which the import names by that id, so that two such objects read apart).
    pub(super) fn id_for(&mut self, sid: &str, prefix: &str, name: &str, fallback: &str) -> String {
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
            None => ids.take(name, &format!("{fallback}-{}", super::finish::short(sid))),
        }
    }

    /// Keeps the markings of an object of attrib's own export, under the case's `key` for it,
    /// with what the case's record kept of it: those the export raised it to (`--tlp`), or
    /// that were added since, are the object's now, and its next export marks it so again.
    pub(super) fn keep_own_markings(&mut self, key: String, o: &Obj) {
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
    pub(super) fn entities(&mut self) -> Result<(), ImportError> {
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
    pub(super) fn threat_actor(&mut self, sid: &str, o: &'a Obj) -> Result<(), ImportError> {
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
    pub(super) fn group(
        &mut self,
        sid: &str,
        o: &'a Obj,
        fallback: &str,
    ) -> Result<(), ImportError> {
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
    pub(super) fn incident(&mut self, sid: &str, o: &'a Obj) -> Result<(), ImportError> {
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
    pub(super) fn identity(&mut self, sid: &str, o: &'a Obj) -> Result<bool, ImportError> {
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
    pub(super) fn stated_reliability(&mut self, sid: &str, o: &Obj, ls: &[&str]) -> Option<Grade> {
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
    pub(super) fn identity_source(
        &mut self,
        sid: &str,
        o: &'a Obj,
        name: &str,
    ) -> Result<(), ImportError> {
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
}
