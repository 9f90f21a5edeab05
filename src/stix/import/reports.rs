//! Containers: reports (whose authors are sources and whose relationships are claims),
//! groupings, and MISP events that name actors without relationships.

use super::*;

impl<'a, 'i> Importer<'a, 'i> {
    /// Reports: a publication is a source of its own, in the family of its author. A report
    /// that holds actors but no relationships is a MISP event, kept for [`Importer::events`].
    pub(super) fn reports(&mut self) -> Result<(), ImportError> {
        let index = self.index;
        // The sources made so far (identities), by id: the authors reports are graded as.
        let authors: HashMap<String, usize> = (self.file.sources.iter().enumerate())
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        for (sid, o) in index.of_type("report") {
            if self.source_of.contains_key(sid) {
                // A source of attrib's own, from its record (counted with it): its claims name
                // it already.
                continue;
            }
            let refs = strings(o, "object_refs")?;
            let has_rel = refs.iter().any(|r| r.starts_with("relationship--"));
            let holds_actor = refs.iter().any(|r| self.entity_of.contains_key(r));
            if !has_rel && holds_actor {
                self.event_or_nothing(sid, o);
                continue;
            }
            let name = required(o, "name")?;
            self.warn_unknown_creator(sid, o, "its author is unknown, graded on import");
            self.warn_missing_statements(sid, &refs);
            let id = self.id_for(sid, "source", name, "report");
            let family = text(o, "created_by_ref")
                .and_then(|c| self.source_of.get(c))
                .cloned();
            // A publication is as reliable as its author, and of its kind (a government's
            // advisory is a government's word); without an author, the import's default.
            let author = family
                .as_ref()
                .and_then(|f| authors.get(f))
                .map(|&i| &self.file.sources[i]);
            let (kind, reliability, track_record) = author.map_or(
                (SourceKind::Vendor, Some(self.options.reliability), None),
                |a| (a.kind, a.reliability, a.track_record),
            );
            let graded = match author {
                Some(a) => format!("graded as its author, {}", a.name),
                None => "graded on import".to_string(),
            };
            self.file.sources.push(SourceFile {
                id: id.clone(),
                name: name.to_string(),
                kind,
                reliability,
                track_record,
                family,
                url: first_url(o),
                note: Some(format!(
                    "STIX report {sid}, published {}; {graded}.",
                    date_of(o, "published").unwrap_or_else(|| "undated".into())
                )),
            });
            self.records.insert(
                format!("source:{id}"),
                (full_record(o, sid, Held::Read)?, o),
            );
            self.source_of.insert(sid.to_string(), id);
            for r in refs {
                if r.starts_with("relationship--") {
                    self.report_of_claim
                        .entry(r.clone())
                        .or_insert_with(|| sid.to_string());
                    self.report_claims
                        .entry(sid.to_string())
                        .or_default()
                        .push(r);
                }
            }
            self.took(sid, "report");
        }
        self.authors_in_their_family();
        Ok(())
    }

    /// An author whose reports are in its family is in it too, said in so many words: a
    /// source without a family is its own line, and one whose id names others' family is
    /// warned of (W122).
    pub(super) fn authors_in_their_family(&mut self) {
        let families: HashSet<String> = (self.file.sources.iter())
            .filter_map(|s| s.family.clone())
            .collect();
        for s in &mut self.file.sources {
            if s.family.is_none() && families.contains(&s.id) {
                s.family = Some(s.id.clone());
            }
        }
    }

    /// Groupings, each counted once for what it is: the case (read first, by
    /// [`Importer::case_metadata`]), a set of competing hypotheses, a MISP event (a grouping
    /// that holds actors but no relationships, kept for [`Importer::events`]), or nothing a
    /// case holds.
    pub(super) fn groupings(&mut self) -> Result<(), ImportError> {
        let index = self.index;
        for (sid, o) in index.of_type("grouping") {
            if self.accounted.contains(sid) {
                continue; // the case
            }
            let refs = strings(o, "object_refs")?;
            if labels(o).contains(&vocab::EXCLUSIVE) {
                // Its members as the case knows them: a revoked one by its replacement.
                let resolved: Vec<String> = refs
                    .iter()
                    .map(|r| index.resolve(r, &mut Vec::new()))
                    .collect();
                self.competing(sid, o, &resolved);
                continue;
            }
            let has_rel = refs.iter().any(|r| r.starts_with("relationship--"));
            if !has_rel && refs.iter().any(|r| self.entity_of.contains_key(r)) {
                self.event_or_nothing(sid, o);
            } else {
                self.skip(sid, "grouping (no claims)");
            }
        }
        Ok(())
    }

    /// Warns of the relationships and opinions a report lists that the bundle lacks (and does
    /// not leave out as revoked): each may be a claim of the report's that is lost, as a
    /// relationship's missing end is warned of. Malware, indicators and the like a report
    /// lists are not imported, whether the bundle holds them or not, and are not named.
    fn warn_missing_statements(&mut self, sid: &str, refs: &[String]) {
        let index = self.index;
        let missing: Vec<&String> = (refs.iter())
            .filter(|r| r.starts_with("relationship--") || r.starts_with("opinion--"))
            .filter(|r| !index.objects.contains_key(*r) && !index.left_out.contains(*r))
            .collect();
        if let [first, rest @ ..] = &missing[..] {
            let (more, what) = match rest.len() {
                0 => (
                    String::new(),
                    "is not in the bundle, so a claim of the report's it holds",
                ),
                n => (
                    format!(" and {n} more"),
                    "are not in the bundle, so the claims of the report's they hold",
                ),
            };
            self.warnings.push(format!(
                "{}: object_refs {}{more} {what} cannot be imported",
                shortened(sid),
                shortened(first),
            ));
        }
    }

    /// A report or grouping that holds actors but no relationships: a MISP event when a third
    /// party made it (its creator attributes the event to them), else nothing a case holds.
    pub(super) fn event_or_nothing(&mut self, sid: &str, o: &'a Obj) {
        if text(o, "created_by_ref") == Some(&self.attrib_identity) {
            let kind = text(o, "type").unwrap_or_default();
            self.skip(sid, format!("{kind} (no claims)"));
        } else {
            self.events.push((sid.to_string(), o));
        }
    }

    /// A grouping of competing hypotheses: in attrib's own export, one of the exclusive sets
    /// its case record holds (when attrib made it); else an exclusive set, when it names an
    /// incident and at least two actors or groups.
    pub(super) fn competing(&mut self, sid: &str, o: &Obj, refs: &[String]) {
        if self.own_export {
            if text(o, "created_by_ref") == Some(&self.attrib_identity) {
                self.took(sid, "grouping (competing hypotheses)");
            } else {
                self.skip(
                    sid,
                    "grouping (competing hypotheses, beside attrib's record)",
                );
            }
            return;
        }
        let (inc, mut ents) = self.ends_of(refs);
        // One actor named twice (listed twice, or as an object and the one it was revoked
        // by) is one hypothesis: a set lists each once.
        let mut seen = std::collections::BTreeSet::new();
        ents.retain(|e| seen.insert(e.clone()));
        match inc {
            Some(inc) if ents.len() >= 2 => {
                self.exclusive.push(ExclusiveFile {
                    incident: inc,
                    members: ents,
                    note: text(o, "description").map(str::to_string),
                });
                self.took(sid, "grouping (competing hypotheses)");
            }
            _ => self.skip(sid, "grouping (competing hypotheses, ends unknown)"),
        }
    }

    /// What a MISP event states of its galaxy attributions: the likelihood and confidence
    /// its tags (its labels) or `confidence` state, as a relationship's would, else likely;
    /// and the claims' note saying which.
    pub(super) fn event_likelihood(
        &mut self,
        sid: &str,
        o: &Obj,
    ) -> Result<(Likelihood, Option<Confidence>, String), ImportError> {
        self.warnings
            .extend(label_warnings(o, sid, self.options.confidence));
        // The event's claims are its creator's: a grade on the event is not the creator's.
        if let Some(l) = labels(o)
            .into_iter()
            .find(|l| l.starts_with("admiralty-scale:source-reliability="))
        {
            self.warnings.push(format!(
                "{}: label {} grades the event, but its claims are its creator's, graded as \
                 the creator's identity states (or on import); not read: grade the source in \
                 the case",
                shortened(sid),
                shortened(l)
            ));
        }
        let holds = format!("The event {sid} holds this actor (a MISP galaxy attribution)");
        Ok(match likelihood_of(o, sid, self.options.confidence)? {
            (Some(l), c) => (
                l,
                c,
                format!("{holds}, with the likelihood the event states."),
            ),
            (None, c) => (
                Likelihood::Icd("likely".into()),
                c,
                format!("{holds}; no likelihood stated, read as likely."),
            ),
        })
    }

    /// MISP events: the event's creator attributes it to each actor it holds.
    pub(super) fn events(&mut self) -> Result<(), ImportError> {
        // MISP events: the event's creator attributes it to each actor it holds.
        for (sid, o) in std::mem::take(&mut self.events) {
            let sid = sid.as_str();
            let refs = strings(o, "object_refs")?;
            let incidents: Vec<String> = refs
                .iter()
                .filter_map(|r| self.incident_of.get(r).cloned())
                .collect();
            let incidents = if incidents.is_empty() {
                let name = required(o, "name")?;
                let id = self.names.take(name, "event");
                self.file.incidents.push(IncidentFile {
                    id: id.clone(),
                    name: name.to_string(),
                    aliases: vec![],
                    start: date_of(o, "published").or_else(|| date_of(o, "created")),
                    end: None,
                    victim: None,
                    description: text(o, "description").map(str::to_string),
                    references: reference_urls(o),
                });
                self.records
                    .insert(format!("incident:{id}"), (stix_record(o), o));
                vec![id]
            } else {
                incidents
            };
            self.warn_unknown_creator(sid, o, "its attributions are unattributed");
            let source = match text(o, "created_by_ref").and_then(|c| self.source_of.get(c)) {
                Some(s) => s.clone(),
                None => unattributed_source(
                    &mut self.unattributed,
                    &mut self.source_ids,
                    &mut self.file,
                ),
            };
            let (likelihood, confidence, note) = self.event_likelihood(sid, o)?;
            for inc in &incidents {
                for actor in refs.iter().filter_map(|r| self.entity_of.get(r)) {
                    let id = self
                        .claim_ids
                        .take(&format!("event-{}", short(sid)), "claim");
                    self.file.claims.push(ClaimFile {
                        id,
                        source: source.clone(),
                        date: date_of(o, "published").or_else(|| date_of(o, "created")),
                        subject: inc.clone(),
                        relation: Relation::AttributedTo,
                        object: Some(actor.clone()),
                        wording: None,
                        likelihood: Some(likelihood.clone()),
                        confidence,
                        url: first_url(o),
                        derived_from: vec![],
                        note: Some(note.clone()),
                    });
                }
            }
            let kind = text(o, "type").unwrap_or_default();
            self.took(sid, format!("{kind} (event attribution)"));
        }

        Ok(())
    }
}
