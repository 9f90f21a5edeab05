//! Claims: their sources, statements, likelihoods and what they restate.

use super::*;

impl Validator<'_> {
    /// Returns each claim with the path it was declared at.
    pub(super) fn claims(
        &mut self,
        names: &Names,
        source_ids: &HashMap<String, SourceId>,
    ) -> Vec<(Claim, String)> {
        let f = self.file;
        let mut claim_ids: HashMap<&str, usize> = HashMap::default();
        for (i, c) in f.claims.iter().enumerate() {
            let path = index("claims", i);
            if !self.nonempty(&c.id, || field(&path, "id"), "id") {
                continue;
            }
            if let Some(&first) = claim_ids.get(c.id.as_str()) {
                self.push(
                    Diagnostic::at_path(
                        Code::DuplicateId,
                        format!("duplicate claim id `{}`", c.id),
                        field(&path, "id"),
                    )
                    .label("declared again here")
                    .related(
                        Location::Path(field(&index("claims", first), "id")),
                        "first declared here",
                    )
                    .help("give each claim its own id"),
                );
            } else {
                claim_ids.insert(&c.id, i);
            }
        }
        let mut source_spellings: Vec<&str> = source_ids.keys().map(String::as_str).collect();
        source_spellings.sort();
        let mut claim_spellings: Vec<&str> = claim_ids.keys().copied().collect();
        claim_spellings.sort();

        let mut out = Vec::with_capacity(f.claims.len());
        for (i, c) in f.claims.iter().enumerate() {
            let path = index("claims", i);
            let source = match source_ids.get(&c.source) {
                Some(&s) => Some(s),
                None => {
                    let mut d = Diagnostic::at_path(
                        Code::UnknownSource,
                        format!("claim `{}` is by unknown source `{}`", c.id, c.source),
                        field(&path, "source"),
                    )
                    .label("not declared under `sources`");
                    d = match suggest(&c.source, source_spellings.iter().copied()) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help("declare the source under `sources` with its reliability"),
                    };
                    self.push(d);
                    None
                }
            };
            let date = c
                .date
                .as_deref()
                .and_then(|d| self.date(d, || field(&path, "date")));
            let statement = self.statement(names, c, &path);
            let likelihood = self.likelihood(c, &path);
            let mut derived_from = Vec::new();
            for (j, origin) in c.derived_from.iter().enumerate() {
                let opath = || index(&field(&path, "derived_from"), j);
                if origin == &c.id {
                    self.push(
                        Diagnostic::at_path(
                            Code::SelfReference,
                            format!("claim `{}` is derived from itself", c.id),
                            opath(),
                        )
                        .label("its own id")
                        .help("list the claims this one restates, not itself"),
                    );
                    continue;
                }
                match claim_ids.get(origin.as_str()) {
                    Some(&k) => {
                        let id = ClaimId(k as u32);
                        if !derived_from.contains(&id) {
                            derived_from.push(id);
                        }
                    }
                    None => {
                        let mut d = Diagnostic::at_path(
                            Code::UnknownName,
                            format!("claim `{}` restates unknown claim `{origin}`", c.id),
                            opath(),
                        )
                        .label("no claim has this id");
                        d = match suggest(origin, claim_spellings.iter().copied()) {
                            Some(s) => d.help(format!("did you mean `{s}`?")),
                            None => d.help("add the original claim to the case, or remove it from `derived_from` so this claim counts on its own"),
                        };
                        self.push(d);
                    }
                }
            }
            if c.wording.as_deref().is_none_or(|w| w.trim().is_empty()) {
                self.push(
                    Diagnostic::at_path(
                        Code::NoWording,
                        format!("claim `{}` has no wording", c.id),
                        path.clone(),
                    )
                    .label("no `wording`")
                    .help("quote the source verbatim in `wording`: it is what a reviewer audits"),
                );
            }
            if c.url.as_deref().is_none_or(|w| w.trim().is_empty()) {
                self.push(
                    Diagnostic::at_path(
                        Code::NoUrl,
                        format!("claim `{}` has no URL", c.id),
                        path.clone(),
                    )
                    .label("no `url`")
                    .help("add the `url` where the statement was read"),
                );
            }
            if let (Some(source), Some(statement)) = (source, statement) {
                out.push((
                    Claim {
                        id: c.id.clone(),
                        source,
                        date,
                        relation: c.relation,
                        statement,
                        wording: c.wording.clone(),
                        likelihood,
                        confidence: c.confidence,
                        url: c.url.clone(),
                        derived_from,
                        note: c.note.clone(),
                    },
                    path,
                ));
            }
        }
        // Indices in `derived_from` are file positions; claims that failed to resolve are
        // dropped above only when there are errors, in which case no case is produced.
        out
    }

    pub(super) fn statement(
        &mut self,
        names: &Names,
        c: &crate::format::ClaimFile,
        path: &str,
    ) -> Option<Statement> {
        let spath = || field(path, "subject");
        let opath = || field(path, "object");
        let relation = c.relation;
        let object = match (&c.object, relation) {
            (Some(_), Relation::Condemns) => {
                self.push(
                    Diagnostic::at_path(
                        Code::Conflicting,
                        format!("claim `{}`: `Condemns` takes no object", c.id),
                        opath(),
                    )
                    .label("remove this")
                    .help("a condemnation names no one; if the source named a culprit, use `AttributedTo`"),
                );
                return None;
            }
            (None, Relation::Condemns) => None,
            (None, _) => {
                self.push(
                    Diagnostic::at_path(
                        Code::MissingValue,
                        format!("claim `{}` has no object", c.id),
                        path.to_string(),
                    )
                    .label(format!("`{}` needs an `object`", relation_name(relation)))
                    .help("add `object:` naming what the subject is related to"),
                );
                return None;
            }
            (Some(o), _) => Some(o.as_str()),
        };
        let what = || format!("the subject of `{}`", relation_name(relation));
        let whatobj = || format!("the object of `{}`", relation_name(relation));
        let stmt = match relation {
            Relation::AttributedTo | Relation::ConductedBy => {
                let incident = self.incident_ref(names, &c.subject, &spath, &what);
                let actor = self.entity_ref(names, object?, &opath, &whatobj);
                Statement::Responsible {
                    incident: incident?,
                    actor: actor?,
                }
            }
            Relation::ClaimsResponsibility => {
                let actor = self.entity_ref(names, &c.subject, &spath, &what);
                let incident = self.incident_ref(names, object?, &opath, &whatobj);
                Statement::Responsible {
                    incident: incident?,
                    actor: actor?,
                }
            }
            Relation::PartOf
            | Relation::SubordinateOf
            | Relation::OperatedBy
            | Relation::SponsoredBy
            | Relation::PossiblySameAs => {
                let from = self.entity_ref(names, &c.subject, &spath, &what);
                let to = self.entity_ref(names, object?, &opath, &whatobj);
                let (from, to) = (from?, to?);
                if from == to {
                    self.push(
                        Diagnostic::at_path(
                            Code::SelfReference,
                            format!(
                                "claim `{}` relates `{}` to itself",
                                c.id,
                                object.unwrap_or_default()
                            ),
                            opath(),
                        )
                        .label("same as the subject")
                        .help("subject and object must be two different actors or groups (an alias is the same one)"),
                    );
                    return None;
                }
                if relation == Relation::PossiblySameAs {
                    Statement::SameAs { a: from, b: to }
                } else {
                    Statement::Link { from, to }
                }
            }
            Relation::Condemns => Statement::Condemns {
                incident: self.incident_ref(names, &c.subject, &spath, &what)?,
            },
        };
        Some(stmt)
    }

    pub(super) fn likelihood(
        &mut self,
        c: &crate::format::ClaimFile,
        path: &str,
    ) -> Option<(Likelihood, Option<f64>)> {
        let lpath = || field(path, "likelihood");
        let Some(l) = &c.likelihood else {
            if c.relation != Relation::Condemns {
                self.push(
                    Diagnostic::at_path(
                        Code::MissingValue,
                        format!("claim `{}` has no likelihood", c.id),
                        path.to_string(),
                    )
                    .label("no `likelihood`")
                    .help("state how sure the source was, e.g. `likelihood: Icd(\"very likely\")`, `Phia(\"almost certain\")` or `Probability(0.9)`"),
                );
            }
            return None;
        };
        let p = match l {
            Likelihood::Icd(term) => match IcdTerm::parse(term) {
                Some(t) => Some(t.midpoint()),
                None => {
                    let mut d = Diagnostic::at_path(
                        Code::UnknownTerm,
                        format!("`{term}` is not an ICD 203 likelihood term"),
                        lpath(),
                    )
                    .label("unknown term");
                    d = if terms::phia_probability(term).is_some() {
                        d.help(format!(
                            "`{term}` is a UK PHIA term: write `Phia(\"{term}\")`"
                        ))
                    } else if let Some(s) = suggest(term, IcdTerm::spellings()) {
                        d.help(format!("did you mean `{s}`?"))
                    } else {
                        d.help(format!(
                            "use one of: {}",
                            IcdTerm::ALL.map(IcdTerm::word).join(", ")
                        ))
                    };
                    self.push(d);
                    return None;
                }
            },
            Likelihood::Phia(term) => match terms::phia_probability(term) {
                Some(p) => Some(p),
                None => {
                    let mut d = Diagnostic::at_path(
                        Code::UnknownTerm,
                        format!("`{term}` is not a UK PHIA yardstick term"),
                        lpath(),
                    )
                    .label("unknown term");
                    d = if IcdTerm::parse(term).is_some() {
                        d.help(format!(
                            "`{term}` is an ICD 203 term: write `Icd(\"{term}\")`"
                        ))
                    } else if let Some(s) = suggest(term, terms::phia_spellings()) {
                        d.help(format!("did you mean `{s}`?"))
                    } else {
                        d.help(format!(
                            "use one of: {}",
                            terms::phia_spellings().collect::<Vec<_>>().join(", ")
                        ))
                    };
                    self.push(d);
                    return None;
                }
            },
            Likelihood::Probability(p) => Some(self.unit_interval(*p, lpath, "the likelihood")?),
            Likelihood::Stix(n) => {
                if (0..=100).contains(n) {
                    Some(*n as f64 / 100.0)
                } else {
                    self.push(
                        Diagnostic::at_path(
                            Code::BadNumber,
                            format!("STIX confidence {n} is outside 0–100"),
                            lpath(),
                        )
                        .label("outside 0–100")
                        .help("a STIX 2.1 `confidence` is an integer from 0 to 100"),
                    );
                    return None;
                }
            }
            Likelihood::Admiralty(n) => {
                if (1..=6).contains(n) {
                    terms::admiralty_probability(*n)
                } else {
                    self.push(
                        Diagnostic::at_path(
                            Code::BadNumber,
                            format!("Admiralty credibility {n} is outside 1–6"),
                            lpath(),
                        )
                        .label("outside 1–6")
                        .help("credibility runs from 1 (confirmed) to 6 (truth cannot be judged)"),
                    );
                    return None;
                }
            }
        };
        Some((l.clone(), p.map(|p| p.clamp(0.01, 0.99))))
    }
}
