//! Claims: relationships, opinions and notes read as statements by a source, with their
//! likelihood, and the restatements among them.

use super::*;

/// The relationship types the import reads ([`Importer::statement`], and `derived-from`).
pub(super) const READ_RELATIONSHIPS: [&str; 6] = [
    "attributed-to",
    "part-of",
    "related-to",
    "duplicate-of",
    "impersonates",
    "derived-from",
];

pub(super) fn unattributed_source(
    slot: &mut Option<String>,
    ids: &mut Ids,
    file: &mut CaseFile,
) -> String {
    slot.get_or_insert_with(|| {
        let id = ids.take("unattributed", "unattributed");
        file.sources.push(SourceFile {
            id: id.clone(),
            name: "Unattributed (no creator in the bundle)".into(),
            kind: SourceKind::Media,
            reliability: Some(Grade::F),
            track_record: None,
            family: None,
            url: None,
            note: Some(
                "Statements without created_by_ref; grade them once their author is known.".into(),
            ),
        });
        id
    })
    .clone()
}

impl<'a, 'i> Importer<'a, 'i> {
    /// Every statement (relationship, opinion, note) read into a pending claim, or counted as
    /// skipped; restatements and named hypotheses noted.
    pub(super) fn statements(&mut self) -> Result<Vec<Pending<'a>>, ImportError> {
        let index = self.index;
        let mut pending: Vec<Pending<'a>> = Vec::new();
        for (sid, &o) in &index.objects {
            let kind = text(o, "type").unwrap_or_default();
            if !matches!(kind, "relationship" | "note" | "opinion") {
                continue;
            }
            if let Some(c) = record::<ClaimFile>(o, "x_attrib_claim")? {
                match self.undeclared_in(&c) {
                    None => {
                        self.check_against_record(sid, o, kind, &c)?;
                        self.claim_of.insert(sid.clone(), self.file.claims.len());
                        self.keep_own_markings(format!("claim:{}", c.id), o);
                        self.file.claims.push(c);
                        self.took(sid, kind);
                        continue;
                    }
                    // A record naming what the bundle no longer holds would make a case that
                    // fails its check: the object is read as any other tool's.
                    Some(missing) => self.warnings.push(format!(
                        "{}: attrib's record of claim `{}` names {missing}, which the bundle \
                         does not hold; read from its standard properties",
                        shortened(sid),
                        crate::report::shorten(&c.id, 60)
                    )),
                }
            }
            if o.contains_key("x_attrib_structural") {
                self.took(sid, STRUCTURAL);
                continue;
            }
            let found = if kind == "relationship" {
                self.relationship(sid, o)?
            } else {
                self.annotation(sid, o, kind)?
            };
            pending.extend(found);
        }
        Ok(pending)
    }

    /// An object that carries attrib's record of a claim is read from the record, which keeps
    /// what STIX cannot say; its standard properties are still held to what a bundle must
    /// have (a relationship's ends, a `confidence` from 0 to 100), and where another tool or a
    /// person changed them after the export (a `confidence` or an end that is not the
    /// record's), a warning says the record was read and the change was not.
    pub(super) fn check_against_record(
        &mut self,
        sid: &str,
        o: &Obj,
        kind: &str,
        c: &ClaimFile,
    ) -> Result<(), ImportError> {
        let confidence = stix_confidence(o, sid)?;
        if kind != "relationship" {
            return Ok(());
        }
        required(o, "relationship_type")?;
        let ends = [required(o, "source_ref")?, required(o, "target_ref")?];
        let mut changed = Vec::new();
        let written = [Some(c.subject.as_str()), c.object.as_deref()];
        for (field, (end, name)) in ["source_ref", "target_ref"]
            .iter()
            .zip(ends.iter().zip(written))
        {
            let id = (self.entity_of.get(*end))
                .or_else(|| self.incident_of.get(*end))
                .cloned();
            let same = match (id, name) {
                (Some(id), Some(n)) => self.names_the_same(&id, n),
                _ => false,
            };
            if !same {
                changed.push(format!("its {field} ({})", shortened(end)));
            }
        }
        let stated = c
            .likelihood
            .as_ref()
            .and_then(|l| crate::validate::likelihood_probability(l).ok().flatten());
        // The record's STIX number as written, or the probability it is read as (clamped to
        // 0.01–0.99, as the export writes a claim the case changed): an object that goes out
        // as it came keeps the `confidence` of 0 or 100 it came with.
        let as_written = |n: i64| matches!(c.likelihood, Some(Likelihood::Stix(m)) if m == n);
        if let (Some(n), Some(p)) = (confidence, stated)
            && n != (p * 100.0).round() as i64
            && !as_written(n)
        {
            changed.push(format!("its confidence ({n})"));
        }
        if !changed.is_empty() {
            self.warnings.push(format!(
                "{}: {} {} not what attrib's record of claim `{}` says; the object was changed \
                 after attrib exported it, and the record is read: make the change in the case",
                shortened(sid),
                changed.join(" and "),
                if changed.len() == 1 { "is" } else { "are" },
                c.id
            ));
        }
        Ok(())
    }

    /// Whether `written` (a claim's subject or object as the case wrote it) names the actor,
    /// group or incident `id`: its id, name or an alias, matched as the checker matches names
    /// ([`crate::model::name_key`]: case, accents composed or not, spaces around).
    /// What a claim's record names that the case being imported does not declare (its source,
    /// or an end by id, name or alias), said for a warning; `None` when it declares all.
    pub(super) fn undeclared_in(&mut self, c: &ClaimFile) -> Option<String> {
        if !self.source_ids.used.contains(&c.source) {
            return Some(format!(
                "source `{}`",
                crate::report::shorten(&c.source, 60)
            ));
        }
        let by_name = self.ids_by_name();
        std::iter::once(&c.subject)
            .chain(&c.object)
            .find(|end| !by_name.contains_key(crate::model::name_key(end).as_ref()))
            .map(|end| format!("`{}`", crate::report::shorten(end, 60)))
    }

    /// The ids of actors, groups and incidents by their names and aliases (and ids), compared
    /// as the checker compares names.
    pub(super) fn ids_by_name(&mut self) -> &HashMap<String, Vec<String>> {
        let f = &self.file;
        self.ids_by_name.get_or_insert_with(|| {
            let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
            let named = (f.actors.iter().map(|a| (&a.id, &a.name, &a.aliases)))
                .chain(f.groups.iter().map(|g| (&g.id, &g.name, &g.aliases)))
                .chain(f.incidents.iter().map(|i| (&i.id, &i.name, &i.aliases)));
            for (id, name, aliases) in named {
                for n in [id, name].into_iter().chain(aliases) {
                    let key = crate::model::name_key(n).into_owned();
                    by_name.entry(key).or_default().push(id.clone());
                }
            }
            by_name
        })
    }

    pub(super) fn names_the_same(&mut self, id: &str, written: &str) -> bool {
        if id == written {
            return true;
        }
        let by_name = self.ids_by_name();
        (by_name.get(crate::model::name_key(written).as_ref()))
            .is_some_and(|ids| ids.iter().any(|i| i == id))
    }

    /// The incident and the actors or groups among `refs`.
    pub(super) fn ends_of(&self, refs: &[String]) -> (Option<String>, Vec<String>) {
        let inc = refs.iter().find_map(|r| self.incident_of.get(r).cloned());
        let ents = refs
            .iter()
            .filter_map(|r| self.entity_of.get(r).cloned())
            .collect();
        (inc, ents)
    }

    /// An opinion or note: a restatement, a condemnation, a claim of responsibility or an
    /// opinion on an attribution; attrib's own judgements are recomputed.
    // One arm per labelled kind of annotation, each a few lines: splitting them further would
    // scatter the vocabulary `vocab` defines.
    pub(super) fn annotation(
        &mut self,
        sid: &str,
        o: &'a Obj,
        kind: &str,
    ) -> Result<Option<Pending<'a>>, ImportError> {
        let index = self.index;
        let ls = labels(o);
        let mut notes: Vec<String> = Vec::new();
        let refs: Vec<String> = strings(o, "object_refs")?
            .iter()
            .map(|r| index.resolve(r, &mut notes))
            .collect();
        let pending = match kind {
            "opinion" if text(o, "created_by_ref") == Some(&self.attrib_identity) => {
                // attrib's judgement: recomputed; it names a hypothesis the case declared.
                if !self.own_export
                    && let (Some(inc), ents) = self.ends_of(&refs)
                    && let Some(e) = ents.first()
                {
                    self.judged.insert((inc, e.clone()));
                }
                self.skip(sid, "opinion (attrib judgement, recomputed)");
                None
            }
            "note" if o.contains_key("x_attrib_judgement") => {
                self.skip(sid, "note (attrib judgement, recomputed)");
                None
            }
            "note" if ls.contains(&vocab::RESTATES) => {
                self.restated.push((sid.to_string(), refs));
                None
            }
            "note" if ls.contains(&vocab::CONDEMNATION) => match self.ends_of(&refs) {
                (Some(inc), _) => Some((inc, Relation::Condemns, None)),
                _ => {
                    self.skip(sid, "note (condemnation of nothing known)");
                    None
                }
            },
            "note" if ls.contains(&vocab::SELF_CLAIM) => match self.ends_of(&refs) {
                (Some(inc), ents) if ents.len() == 1 => {
                    Some((inc, Relation::AttributedTo, Some(ents[0].clone())))
                }
                _ => {
                    self.skip(sid, "note (claim of responsibility, ends unknown)");
                    None
                }
            },
            "note" => {
                self.skip(sid, "note");
                None
            }
            // An opinion of a source.
            _ => self.source_opinion(sid, &ls, &refs, &mut notes),
        };
        Ok(pending.map(|(subject, relation, object)| {
            (sid.to_string(), o, subject, relation, object, notes)
        }))
    }

    /// A source's opinion on an attribution, through the relationship it names or between
    /// the incident (or group) and the actor it names: its subject, relation and object.
    pub(super) fn source_opinion(
        &mut self,
        sid: &str,
        ls: &[&str],
        refs: &[String],
        notes: &mut Vec<String>,
    ) -> Option<(String, Relation, Option<String>)> {
        let index = self.index;
        let via = refs.iter().find_map(|r| {
            let rel = index.objects.get(r)?;
            (text(rel, "type") == Some("relationship")).then_some(rel)
        });
        let (from, to) = match via {
            Some(rel) => (
                text(rel, "source_ref").map(|r| index.resolve(r, notes)),
                text(rel, "target_ref").map(|r| index.resolve(r, notes)),
            ),
            None => {
                let mut known = refs.iter().filter(|r| {
                    self.incident_of.contains_key(*r) || self.entity_of.contains_key(*r)
                });
                (known.next().cloned(), known.next().cloned())
            }
        };
        let relation = ls.iter().find_map(|l| vocab::parse_relation(l));
        match (from, to) {
            (Some(f), Some(t))
                if self.incident_of.contains_key(&f) && self.entity_of.contains_key(&t) =>
            {
                Some((
                    self.incident_of[&f].clone(),
                    relation.unwrap_or(Relation::AttributedTo),
                    Some(self.entity_of[&t].clone()),
                ))
            }
            (Some(f), Some(t))
                if self.entity_of.contains_key(&f) && self.entity_of.contains_key(&t) =>
            {
                Some((
                    self.entity_of[&f].clone(),
                    relation.unwrap_or(Relation::OperatedBy),
                    Some(self.entity_of[&t].clone()),
                ))
            }
            _ => {
                // What it is on may be missing from the bundle, as a relationship's end may be:
                // named, since the opinion is otherwise lost with only a count.
                let missing: BTreeSet<&String> = refs.iter().filter(|r| self.missing(r)).collect();
                for end in &missing {
                    self.warnings.push(format!(
                        "{}: object_refs {} is not in the bundle; skipped",
                        shortened(sid),
                        shortened(end)
                    ));
                }
                self.skip(
                    sid,
                    if missing.is_empty() {
                        "opinion (not on an attribution)"
                    } else {
                        "opinion (on what the bundle lacks)"
                    },
                );
                None
            }
        }
    }

    /// Whether `end` is the id of an object of a type attrib maps that the bundle lacks (and
    /// that is not left out as revoked or deprecated, which is listed already).
    pub(super) fn missing(&self, end: &str) -> bool {
        let mapped = end
            .split_once("--")
            .is_some_and(|(kind, _)| MAPPED.contains(&kind));
        mapped && !self.index.objects.contains_key(end) && !self.index.left_out.contains(end)
    }

    /// A relationship: attribution, link, impersonation or alias pair as a pending claim;
    /// `derived-from` noted for later; attrib's declared `part_of` restored.
    pub(super) fn relationship(
        &mut self,
        sid: &str,
        o: &'a Obj,
    ) -> Result<Option<Pending<'a>>, ImportError> {
        let index = self.index;
        let mut notes: Vec<String> = Vec::new();
        let rtype = required(o, "relationship_type")?;
        let from = index.resolve(required(o, "source_ref")?, &mut notes);
        let to = index.resolve(required(o, "target_ref")?, &mut notes);
        if rtype == "derived-from" {
            self.derived.push((sid.to_string(), from, to));
            return Ok(None);
        }
        if text(o, "created_by_ref") == Some(&self.attrib_identity) {
            self.declared_part_of(sid, &from, &to);
            return Ok(None);
        }
        // Whatever its ends' types: a campaign attributed to itself is as much a slip as an
        // intrusion set (below, once the ends are mapped), and a relationship naming itself
        // relates nothing.
        let itself = if from == sid || to == sid {
            Some("names itself as an end".to_string())
        } else {
            (from == to).then(|| format!("relates {} to itself", shortened(&from)))
        };
        if let Some(what) = itself {
            self.warnings.push(format!("{sid}: {what}; skipped"));
            self.skip(sid, format!("relationship {rtype} (self-reference)"));
            return Ok(None);
        }
        let spelled = rtype.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        if spelled != rtype && READ_RELATIONSHIPS.contains(&spelled.as_str()) {
            self.warnings.push(format!(
                "{}: `relationship_type` {} is not STIX's spelling, `{spelled}`; skipped: \
                 correct it where the bundle was made",
                shortened(sid),
                shown_value(&Value::String(rtype.to_string()))
            ));
        }
        let labelled = labels(o).iter().find_map(|l| vocab::parse_relation(l));
        let (subject, relation, object) = match self.statement(rtype, labelled, &from, &to) {
            Ok(stated) => stated,
            Err(why_not) => {
                // An end of a type attrib maps that is missing from the bundle (and not left
                // out as revoked or deprecated, which is listed already) is named.
                for (field, end) in [("source_ref", &from), ("target_ref", &to)] {
                    if self.missing(end) {
                        self.warnings.push(format!(
                            "{}: {field} {} is not in the bundle; skipped",
                            shortened(sid),
                            shortened(end)
                        ));
                    }
                }
                self.skip(sid, why_not);
                return Ok(None);
            }
        };
        if subject == object {
            self.warnings
                .push(format!("{sid}: relates `{subject}` to itself; skipped"));
            self.skip(sid, format!("relationship {rtype} (self-reference)"));
            return Ok(None);
        }
        Ok(Some((
            sid.to_string(),
            o,
            subject,
            relation,
            Some(object),
            notes,
        )))
    }

    /// A declared part_of in attrib's export read without its records: restored on the
    /// actor, unless it has one (or its ends are not an actor and an actor or group).
    pub(super) fn declared_part_of(&mut self, sid: &str, from: &str, to: &str) {
        if let (Some(a), Some(b)) = (self.entity_of.get(from), self.entity_of.get(to))
            && let Some(actor) = self.file.actors.iter_mut().find(|x| &x.id == a)
            && actor.part_of.is_none()
        {
            actor.part_of = Some(b.clone());
            self.took(sid, STRUCTURAL);
        } else {
            self.skip(sid, "relationship (structural part of, left out)");
        }
    }

    /// What a relationship of type `rtype` (with the relation its labels name, if any) from
    /// `from` to `to` states: subject, relation, object; or, when attrib does not map it or
    /// its ends, what it is counted as skipped under.
    pub(super) fn statement(
        &self,
        rtype: &str,
        labelled: Option<Relation>,
        from: &str,
        to: &str,
    ) -> Result<(String, Relation, String), String> {
        let ends = (
            self.incident_of.get(from),
            self.entity_of.get(from),
            self.entity_of.get(to),
        );
        let unmapped = format!("relationship {rtype} (unmapped ends)");
        let (stated, why_not) = match rtype {
            "attributed-to" | "related-to" | "part-of"
                if labelled.is_some_and(|r| r != Relation::PossiblySameAs) =>
            {
                let r = labelled.expect("checked");
                let stated = match ends {
                    (Some(i), _, Some(e)) if !r.is_link() => {
                        Some((i.clone(), Relation::AttributedTo, e.clone()))
                    }
                    (None, Some(a), Some(b)) if r.is_link() => Some((a.clone(), r, b.clone())),
                    _ => None,
                };
                (stated, unmapped)
            }
            "attributed-to" | "part-of" => {
                let stated = match ends {
                    (Some(i), _, Some(e)) if rtype == "attributed-to" => {
                        Some((i.clone(), Relation::AttributedTo, e.clone()))
                    }
                    (None, Some(a), Some(b)) => {
                        let r = if rtype == "part-of" {
                            Relation::PartOf
                        } else {
                            Relation::OperatedBy
                        };
                        Some((a.clone(), r, b.clone()))
                    }
                    _ => None,
                };
                (stated, unmapped)
            }
            "impersonates" => match ends {
                // X impersonates Y: what is done in Y's name is X's doing.
                (_, Some(x), Some(y)) => {
                    (Some((y.clone(), Relation::OperatedBy, x.clone())), unmapped)
                }
                _ => (None, unmapped),
            },
            "duplicate-of" | "related-to" => match ends {
                (_, Some(a), Some(b)) => (
                    Some((a.clone(), Relation::PossiblySameAs, b.clone())),
                    unmapped,
                ),
                _ => (
                    None,
                    format!("relationship {rtype} (not between actors or groups)"),
                ),
            },
            other => (None, format!("relationship {other}")),
        };
        stated.ok_or(why_not)
    }

    /// The pending statements as claims, each with its source and likelihood.
    pub(super) fn claims(&mut self, pending: Vec<Pending<'a>>) -> Result<(), ImportError> {
        // Relationships whose `confidence`, read as a probability, makes them evidence against.
        let mut against: Vec<String> = Vec::new();
        for (sid, o, subject, relation, object, mut notes) in pending {
            let kind = text(o, "type").unwrap_or_default();
            let (likelihood, confidence) = match kind {
                "opinion" => {
                    let (stated, said) = opinion_likelihood(o, &sid)?;
                    notes.extend(said.map(str::to_string));
                    stated
                }
                _ if relation == Relation::Condemns => (None, None),
                _ => {
                    let warnings = label_warnings(o, &sid, self.options.confidence);
                    self.warnings.extend(warnings);
                    likelihood_of(o, &sid, self.options.confidence)?
                }
            };
            if kind == "relationship" && self.reads_against(&likelihood) {
                against.push(shortened(&sid));
            }
            let unstated = likelihood.is_none() && relation != Relation::Condemns;
            // An assertion without a stated confidence is still made: read it as "likely".
            let likelihood = match (likelihood, relation) {
                (_, Relation::Condemns) => None,
                (Some(l), _) => Some(l),
                (None, _) => Some(Likelihood::Icd("likely".into())),
            };
            let source = self.statement_source(&sid, o);
            let rtype = text(o, "relationship_type").unwrap_or(kind);
            let id = self
                .claim_ids
                .take(&format!("{rtype}-{}", short(&sid)), "claim");
            let said = text(o, "description")
                .or_else(|| text(o, "explanation"))
                .or_else(|| text(o, "content"))
                .map(citations::read);
            let cited = said.as_ref().map_or(&[][..], |r| &r.cited[..]);
            let mut note = format!("Imported from STIX {sid} ({rtype}).");
            if !cited.is_empty() {
                note.push_str(" Cites: ");
                note.push_str(&cited.join("; "));
                note.push('.');
            }
            for n in &notes {
                note.push(' ');
                note.push_str(n);
            }
            self.claim_of.insert(sid.clone(), self.file.claims.len());
            let mut rec = full_record(o, &sid, Held::Read)?;
            rec.confidence_unstated = unstated;
            self.records.insert(format!("claim:{id}"), (rec, o));
            self.file.claims.push(ClaimFile {
                id,
                source,
                // When the source said it: its report's publication, else the object's
                // creation (`start_time` is when the activity began, not the claim).
                date: self
                    .report_of_claim
                    .get(&sid)
                    .and_then(|r| self.index.objects.get(r.as_str()))
                    .and_then(|r| date_of(r, "published"))
                    .or_else(|| date_of(o, "created")),
                subject,
                relation,
                object,
                url: cited_url(o, cited).or_else(|| first_url(o)),
                wording: said.and_then(|r| r.words),
                likelihood,
                confidence,
                derived_from: vec![],
                note: Some(note),
            });
            self.took(&sid, kind);
        }
        self.warn_against(&against);
        Ok(())
    }

    /// Whether a relationship's likelihood is its `confidence` below 50 read as a probability.
    pub(super) fn reads_against(&self, likelihood: &Option<Likelihood>) -> bool {
        self.options.confidence == ConfidenceReading::Probability
            && matches!(likelihood, Some(Likelihood::Stix(n)) if *n < 50)
    }

    /// One warning for the relationships whose `confidence` below 50 makes them evidence
    /// against their own assertion (STIX's normative reading, the default): a platform such as
    /// OpenCTI means by it a weak assertion, which `--confidence strength` reads as weak
    /// support. Named, since no other message would show that they count against.
    pub(super) fn warn_against(&mut self, against: &[String]) {
        let Some(first) = against.first() else {
            return;
        };
        let n = against.len();
        let more = match n {
            1 => String::new(),
            2 => format!(" and {}", against[1]),
            _ => format!(", {} and {} more", against[1], n - 2),
        };
        self.warnings.push(format!(
            "{n} relationship{} {} a `confidence` below 50 ({first}{more}), read as a probability \
             that {} true: evidence against what {} assert{}. If the producer means a weak \
             assertion by it, as OpenCTI does, import with `--confidence strength`",
            if n == 1 { "" } else { "s" },
            if n == 1 { "states" } else { "state" },
            if n == 1 { "it is" } else { "they are" },
            if n == 1 { "it" } else { "they" },
            if n == 1 { "s" } else { "" },
        ));
    }

    /// Warns when an object's `created_by_ref` names no source: `then` says what was made of
    /// the object.
    pub(super) fn warn_unknown_creator(&mut self, sid: &str, o: &Obj, then: &str) {
        if let Some(w) = self.unknown_creator(sid, o, then) {
            self.warnings.push(w);
        }
    }

    /// Why an object's `created_by_ref` names no source, when it has one: not a string, not
    /// in the bundle, or not an identity.
    pub(super) fn unknown_creator(&self, sid: &str, o: &Obj, then: &str) -> Option<String> {
        let c = o.get("created_by_ref")?;
        let sid = shortened(sid);
        let Some(c) = c.as_str() else {
            return Some(format!(
                "{sid}: created_by_ref {} is no identity id; {then}",
                shown_value(c)
            ));
        };
        if self.source_of.contains_key(c) {
            return None;
        }
        let kind = self.index.objects.get(c).and_then(|o| text(o, "type"));
        Some(match kind {
            Some(kind) => format!(
                "{sid}: created_by_ref {} is {} {kind}, not an identity; {then}",
                shortened(c),
                article(kind)
            ),
            None => format!(
                "{sid}: created_by_ref {} is not in the bundle; {then}",
                shortened(c)
            ),
        })
    }

    /// The source behind a statement: the report it was published in, else its creator, else
    /// the stand-in for statements without a known creator.
    pub(super) fn statement_source(&mut self, sid: &str, o: &Obj) -> String {
        let creator = text(o, "created_by_ref");
        match self
            .report_of_claim
            .get(sid)
            .and_then(|r| self.source_of.get(r))
            .or_else(|| creator.and_then(|c| self.source_of.get(c)))
        {
            Some(s) => s.clone(),
            None => {
                self.warn_unknown_creator(sid, o, "the statement is unattributed");
                unattributed_source(&mut self.unattributed, &mut self.source_ids, &mut self.file)
            }
        }
    }

    /// `derived-from` between relationships (claims restate claims) or between reports (every claim of the later report restates the earlier report's claim on the same proposition); restatement notes; hypotheses and exclusive sets named by the bundle.
    pub(super) fn derivations(&mut self) -> Result<(), ImportError> {
        // derived-from: between relationships (claims restate claims), or between reports (every
        // claim of the later report restates the earlier report's claim on the same proposition).
        for (sid, from, to) in std::mem::take(&mut self.derived) {
            if let (Some(&a), Some(&b)) = (self.claim_of.get(&from), self.claim_of.get(&to)) {
                let origin = self.file.claims[b].id.clone();
                self.file.claims[a].derived_from.push(origin);
                self.took(&sid, "relationship derived-from");
            } else if let (Some(a), Some(b)) =
                (self.report_claims.get(&from), self.report_claims.get(&to))
            {
                for ca in a.iter().filter_map(|r| self.claim_of.get(r).copied()) {
                    let key = |c: &ClaimFile| (c.subject.clone(), c.object.clone());
                    let origins: Vec<String> = b
                        .iter()
                        .filter_map(|r| self.claim_of.get(r).copied())
                        .filter(|&cb| {
                            cb != ca && key(&self.file.claims[cb]) == key(&self.file.claims[ca])
                        })
                        .map(|cb| self.file.claims[cb].id.clone())
                        .collect();
                    self.file.claims[ca].derived_from.extend(origins);
                }
                self.took(&sid, "relationship derived-from");
            } else {
                self.skip(
                    &sid,
                    "relationship derived-from (not between claims or reports)",
                );
            }
        }
        if self.own_export {
            // attrib's own claims carry what they restate in their records.
            for (sid, _) in std::mem::take(&mut self.restated) {
                self.took(&sid, RESTATEMENT);
            }
        } else {
            for (sid, refs) in std::mem::take(&mut self.restated) {
                let mut it = refs.iter().filter_map(|r| self.claim_of.get(r).copied());
                if let Some(first) = it.next() {
                    let origins: Vec<String> = it.map(|c| self.file.claims[c].id.clone()).collect();
                    self.file.claims[first].derived_from.extend(origins);
                    self.took(&sid, RESTATEMENT);
                } else {
                    self.skip(&sid, "note (restatement of nothing known)");
                }
            }
            for (incident, actor) in std::mem::take(&mut self.judged) {
                self.file.hypotheses.push(HypothesisFile {
                    incident,
                    actor,
                    prior: None,
                    note: Some("Named by a judgement in the imported bundle.".into()),
                });
            }
            self.file
                .exclusive
                .extend(std::mem::take(&mut self.exclusive));
        }
        for c in &mut self.file.claims {
            c.derived_from.sort();
            c.derived_from.dedup();
        }
        self.break_restatement_cycles();
        Ok(())
    }

    /// Restatements that close a cycle (a claim restating itself, or A restating B restating
    /// A) left out, each with a warning naming both objects: echoes in a cycle have no origin,
    /// and `check` refuses them (E028), so the case written would not load. A depth-first walk
    /// drops every edge back to a claim still on its path, which leaves no cycle.
    pub(super) fn break_restatement_cycles(&mut self) {
        let claims = &self.file.claims;
        let index: HashMap<&str, usize> = claims
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let stix_of = stix_ids_of_claims(&self.claim_of);
        // 0: not reached, 1: on the path, 2: done.
        let mut state = vec![0u8; claims.len()];
        let mut back: Vec<(usize, usize)> = Vec::new();
        for start in 0..claims.len() {
            if state[start] != 0 {
                continue;
            }
            let mut path = vec![(start, 0usize)];
            state[start] = 1;
            while let Some((at, next)) = path.last_mut() {
                let (at, k) = (*at, *next);
                *next += 1;
                match claims[at].derived_from.get(k) {
                    None => {
                        state[at] = 2;
                        path.pop();
                    }
                    Some(origin) => match index.get(origin.as_str()).copied() {
                        Some(o) if state[o] == 1 => back.push((at, o)),
                        Some(o) if state[o] == 0 => {
                            state[o] = 1;
                            path.push((o, 0));
                        }
                        _ => {}
                    },
                }
            }
        }
        let name = |i: usize| stix_of.get(&i).map_or(claims[i].id.as_str(), |s| s);
        let warnings: Vec<String> = back
            .iter()
            .map(|&(a, o)| {
                if a == o {
                    format!("{}: derived from itself; left out", name(a))
                } else {
                    format!(
                        "{}: derived from {}, which is derived from it in turn (a cycle); left out",
                        name(a),
                        name(o)
                    )
                }
            })
            .collect();
        self.warnings.extend(warnings);
        for (a, o) in back {
            let origin = self.file.claims[o].id.clone();
            self.file.claims[a].derived_from.retain(|d| *d != origin);
        }
    }
}
