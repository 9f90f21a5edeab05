//! Claims: their sources, statements, likelihoods and what they restate.

use super::*;

/// The claims that resolved, and what the later checks need to know of them.
pub(super) struct Resolved<'f> {
    pub(super) claims: Vec<Claim>,
    /// The position in the file of each claim above (they differ only when some claim did
    /// not resolve, and so only when there are errors).
    pub(super) positions: Vec<usize>,
    /// Which sources made a claim, by the source each claim resolved to.
    pub(super) spoke: Vec<bool>,
    /// The sources claims cite that are no declared source id (none in a valid case).
    pub(super) stray_sources: HashSet<&'f str>,
    /// Which of `claims` are links, in order: the checks of links read these alone rather
    /// than every claim again (a large case holds a few links to a hundred claims).
    pub(super) links: Vec<u32>,
    /// Claims on an incident dated wholly before its start, as (incident, which of `claims`),
    /// in file order.
    pub(super) early: Vec<(IncidentId, u32)>,
    /// Every claim's restating of another, as written, by file positions (restating,
    /// restated): a claim with other errors, or an origin with an unusable id, included, so
    /// that [`Validator::claim_cycles`] reports a cycle whatever else is wrong.
    pub(super) restating: Vec<(u32, u32)>,
}

/// Each claim id, to the position it was first declared at and whether it is a valid id (not
/// blank, nothing invisible). The table holds positions alone, 4 bytes an entry where an id
/// and a position take 32, and reads the ids from the file: a case of 10^6 claims fills it
/// once, claim after claim, and the smaller table is reached with fewer cache misses.
pub(super) struct ClaimIds<'f> {
    claims: &'f [crate::format::ClaimFile],
    table: hashbrown::HashTable<u32>,
    /// By position: whether the id written there is valid.
    valid: Vec<bool>,
}

impl<'f> ClaimIds<'f> {
    fn hash(id: &str) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(id)
    }

    fn id(&self, k: u32) -> &'f str {
        self.claims[k as usize].id.as_str()
    }

    /// Where `id` was first declared, and whether it is valid.
    pub(super) fn get(&self, id: &str) -> Option<(usize, bool)> {
        let k = *self.table.find(Self::hash(id), |&k| self.id(k) == id)? as usize;
        Some((k, self.valid[k]))
    }

    /// Whether some claim is declared with `id`.
    pub(super) fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// Every claim's id with whether it is valid, in file order (a duplicate id again), for
    /// suggestions: the order breaks ties between ids alike but for case, and a table's order
    /// changes with its size.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&'f str, bool)> + '_ {
        (self.claims.iter().zip(&self.valid)).map(|(c, &valid)| (c.id.as_str(), valid))
    }
}

/// Each source id, to the source.
pub(super) type SourceIds<'f> = HashMap<&'f str, SourceId>;

/// What the dates of claims are checked against, while each claim is resolved.
#[derive(Clone, Copy)]
pub(super) struct Dating<'a> {
    /// The case's `as_of`.
    pub(super) as_of: Option<Date>,
    /// The incidents, for their starts.
    pub(super) incidents: &'a [Incident],
}

impl Resolved<'_> {
    /// Each link claim with where it stands in the file.
    pub(super) fn located_links(&self) -> impl Iterator<Item = (&Claim, At)> {
        self.links.iter().map(|&k| {
            let k = k as usize;
            (&self.claims[k], At::new("claims", self.positions[k]))
        })
    }
}

/// Which sources have a URL: a claim without one of its own inherits its source's (W102
/// only when neither has one), from any source declared with the id it cites, so also a
/// duplicate.
struct SourceUrls<'f> {
    with_url: HashSet<&'f str>,
    declared: HashSet<&'f str>,
    /// The same by the source a claim resolved to, so as not to hash its id again.
    sourced: Vec<bool>,
}

impl<'f> SourceUrls<'f> {
    fn new(f: &'f CaseFile, source_ids: &SourceIds<'f>) -> SourceUrls<'f> {
        let with_url: HashSet<&str> = (f.sources.iter())
            .filter(|s| s.url.as_deref().is_some_and(|u| !u.trim().is_empty()))
            .map(|s| s.id.as_str())
            .collect();
        let mut sourced = vec![false; f.sources.len()];
        for id in &with_url {
            if let Some(&j) = source_ids.get(id) {
                sourced[j.index()] = true;
            }
        }
        SourceUrls {
            with_url,
            declared: f.sources.iter().map(|s| s.id.as_str()).collect(),
            sourced,
        }
    }

    /// Whether a claim citing `cited`, which resolved to `source`, has its source's URL.
    fn has(&self, source: Option<SourceId>, cited: &str) -> bool {
        match source {
            Some(j) => self.sourced[j.index()],
            // No such source (E023): its URL is not known; the typo is the fault.
            None => !self.declared.contains(cited) || self.with_url.contains(cited),
        }
    }
}

/// A name's words, lowercased, without a leading "the", joined by one space: what a name and
/// an id made of it (`washington-post`, `the_washington_post`) have in common, read off the
/// id a name makes ([`crate::ids::slug`]).
fn words_key(text: &str) -> String {
    let slug = crate::ids::slug(text);
    let words = slug.strip_prefix("the-").unwrap_or(&slug);
    words.replace('-', " ")
}

impl<'f> Validator<'f> {
    /// Resolves every claim, and checks its date against the case's `as_of` and its
    /// incident's start on the way (one pass over a large case's claims, not three).
    pub(super) fn claims(
        &mut self,
        names: &Names,
        (source_ids, claim_ids): (&SourceIds<'f>, &ClaimIds<'f>),
        dating: Dating<'_>,
    ) -> Resolved<'f> {
        let f = self.file;
        let urls = SourceUrls::new(f, source_ids);
        let mut out = Resolved {
            claims: Vec::with_capacity(f.claims.len()),
            positions: Vec::with_capacity(f.claims.len()),
            spoke: vec![false; f.sources.len()],
            stray_sources: HashSet::default(),
            links: Vec::new(),
            early: Vec::new(),
            restating: Vec::new(),
        };
        for (i, c) in f.claims.iter().enumerate() {
            let at = At::new("claims", i);
            let source = self.claim_source(c, at, source_ids);
            match source {
                Some(j) => out.spoke[j.index()] = true,
                None => _ = out.stray_sources.insert(&c.source),
            }
            let has_source_url = urls.has(source, &c.source);
            let date = c
                .date
                .as_deref()
                .and_then(|d| self.date(d, || at.field("date")));
            let statement = self.statement(names, c, at);
            let likelihood = self.likelihood(c, at);
            let derived_from = self.origins(c, at, (source_ids, claim_ids), &mut out.restating);
            // Blank or not is told from the front (`trim` would read the end of every
            // wording too, a second line of memory a claim, to the same answer).
            if c.wording
                .as_deref()
                .is_none_or(|w| w.trim_start().is_empty())
            {
                self.push(diags::no_wording(&c.id, at.path()));
            }
            if c.url.as_deref().is_none_or(|w| w.trim_start().is_empty()) && !has_source_url {
                self.push(diags::no_url(&c.id, at.path()));
            }
            self.linkable(c.url.as_deref(), || at.field("url"));
            if let (Some(source), Some(statement)) = (source, statement) {
                let k = out.claims.len() as u32;
                if let Some(date) = date {
                    self.dated(&c.id, date, statement, at, dating, (&mut out.early, k));
                }
                if let Statement::Link { .. } = statement {
                    out.links.push(k);
                }
                out.claims.push(Claim {
                    id: String::new(),
                    source,
                    date,
                    relation: c.relation,
                    statement,
                    wording: None,
                    likelihood,
                    confidence: c.confidence,
                    url: None,
                    derived_from,
                    note: None,
                });
                out.positions.push(i);
            }
        }
        // Indices in `derived_from` are file positions; claims that failed to resolve are
        // dropped above only when there are errors, in which case no case is produced.
        out
    }

    /// W108: a claim that restates another (`derived_from`) but makes another statement (the
    /// model sets an echo aside while its origin stands, whatever it says), unless what it
    /// says follows from its origin: the same incident put on a declared whole of the actor
    /// the origin names ("Russia did it", restating "the GRU did it"), which the origin's
    /// support reaches whole (model §5). W116: one that makes the same statement on the other
    /// side of even chance. W112: a claim dated wholly before a claim it restates.
    pub(super) fn restatements(&mut self, out: &Resolved<'f>, entities: &[crate::model::Entity]) {
        let f = self.file;
        let mut resolved_at = vec![u32::MAX; f.claims.len()];
        for (k, &p) in out.positions.iter().enumerate() {
            resolved_at[p] = k as u32;
        }
        // Claims resolve in file order, which [`compare`] reads the originals in.
        debug_assert!(out.positions.is_sorted());
        let mut originals_at = Originals::new(out, &resolved_at);
        let said = |c: &crate::format::ClaimFile| match &c.object {
            Some(o) => format!("`{}` {} `{o}`", c.subject, relation_name(c.relation)),
            None => format!("`{}` {}", c.subject, relation_name(c.relation)),
        };
        // What a claim's comparison with each list of originals found, by the list's address:
        // claims restating every claim of a summary of many share one list, compared once.
        let mut compared: HashMap<usize, Compared> = HashMap::default();
        for (c, &p) in out.claims.iter().zip(&out.positions) {
            compared.clear();
            for origin in &c.derived_from {
                let o = resolved_at[origin.0 as usize];
                if o == u32::MAX {
                    continue;
                }
                let (file, origin_file) = (&f.claims[p], &f.claims[origin.0 as usize]);
                if let (Some(date), Some(origin_date)) = (c.date, out.claims[o as usize].date)
                    && date.wholly_before(origin_date)
                {
                    self.push(diags::restates_later(
                        &file.id,
                        date,
                        &origin_file.id,
                        origin_date,
                        At::new("claims", p).field("date"),
                    ));
                }
                // Through a restatement, a claim carries the originals at the roots of the
                // chain, whatever the middle says (model §6 rule 1): it is compared with them,
                // once for each list of originals its origins share.
                let through = !out.claims[o as usize].derived_from.is_empty();
                let all = originals_at.of(o);
                let key = std::rc::Rc::as_ptr(&all) as *const u32 as usize;
                let found = *compared
                    .entry(key)
                    .or_insert_with(|| compare(c, &all, (out, entities, f)));
                let via = through.then_some(origin_file.id.as_str());
                match found {
                    Compared::NoneStatesIt { first } => {
                        // W108: none of them states it. Named: the origin, or the first original.
                        let root = match first {
                            Some(r) if through => &f.claims[out.positions[r as usize]],
                            _ => origin_file,
                        };
                        self.push(diags::restates_other(
                            (&file.id, &said(file)),
                            (&root.id, &said(root)),
                            via.filter(|_| root.id != origin_file.id),
                            At::new("claims", p).field("derived_from"),
                        ));
                    }
                    // W116: the same statement, on the other side of even chance from an
                    // original stating it (the first such in file order).
                    Compared::Opposite(r) => {
                        let root = &f.claims[out.positions[r as usize]];
                        if let (Some(l), Some(ol)) = (&file.likelihood, &root.likelihood) {
                            self.push(diags::restates_opposite(
                                (&file.id, &l.label()),
                                (&root.id, &ol.label()),
                                via,
                                At::new("claims", p).field("likelihood"),
                            ));
                        }
                    }
                    Compared::Agrees => {}
                }
            }
        }
    }

    /// Each claim id with the position it was first declared at, and whether it is a valid
    /// id; empty and duplicate ids are reported here.
    pub(super) fn claim_ids(&mut self) -> ClaimIds<'f> {
        let f = self.file;
        let mut ids = ClaimIds {
            claims: &f.claims,
            table: hashbrown::HashTable::with_capacity(f.claims.len()),
            valid: Vec::with_capacity(f.claims.len()),
        };
        for (i, c) in f.claims.iter().enumerate() {
            let at = At::new("claims", i);
            // Every declaration of one id is valid or none is: the first is the first valid.
            let valid = self.nonempty(&c.id, || at.field("id"), "id");
            ids.valid.push(valid);
            let (claims, id) = (&f.claims, c.id.as_str());
            let entry = ids.table.entry(
                ClaimIds::hash(id),
                |&k| claims[k as usize].id == id,
                |&k| ClaimIds::hash(&claims[k as usize].id),
            );
            match entry {
                hashbrown::hash_table::Entry::Occupied(first) => {
                    if valid {
                        let first = *first.get() as usize;
                        self.push(diags::duplicate_claim(
                            &c.id,
                            at.field("id"),
                            At::new("claims", first).field("id"),
                        ));
                    }
                }
                hashbrown::hash_table::Entry::Vacant(e) => {
                    e.insert(i as u32);
                }
            }
        }
        ids
    }

    /// The source a claim cites, or an error with the nearest declared source id.
    fn claim_source(
        &mut self,
        c: &crate::format::ClaimFile,
        at: At,
        source_ids: &SourceIds<'f>,
    ) -> Option<SourceId> {
        if let Some(&s) = source_ids.get(c.source.as_str()) {
            return Some(s);
        }
        // A claim names its source by id; a source's name written instead gets its id, and a
        // family's name the sources in it.
        let key = crate::model::name_key(&c.source);
        let loose = words_key(&c.source);
        let named = (self.file.sources.iter())
            .find(|s| crate::model::name_key(&s.name) == key)
            .map(|s| (s, true))
            .or_else(|| {
                // `washington-post` for "The Washington Post": the name's words, written as
                // an id is.
                (self.file.sources.iter())
                    .find(|s| !loose.is_empty() && words_key(&s.name) == loose)
                    .map(|s| (s, false))
            });
        let family: Vec<&str> = (self.file.sources.iter())
            .filter(|s| s.family.as_deref() == Some(c.source.as_str()))
            .map(|s| s.id.as_str())
            .collect();
        let hint = match named {
            Some((s, exact)) => diags::SourceHint::Name {
                id: &s.id,
                name: &s.name,
                exact,
            },
            None if !family.is_empty() => diags::SourceHint::Family(&family),
            None => {
                let f = self.file;
                let ids = f.sources.iter().map(|s| s.id.as_str());
                diags::SourceHint::Near(self.near(&c.source, f.sources.len(), ids))
            }
        };
        self.push(diags::unknown_source(
            &c.id,
            &c.source,
            at.field("source"),
            hint,
        ));
        None
    }

    /// The claims a claim is derived from, once each; itself and unknown ids are reported.
    fn origins(
        &mut self,
        c: &crate::format::ClaimFile,
        at: At,
        (source_ids, claim_ids): (&SourceIds<'_>, &ClaimIds<'_>),
        restating: &mut Vec<(u32, u32)>,
    ) -> Vec<ClaimId> {
        let mut derived_from = Vec::new();
        // Told apart through a set (looked for in the list, 40,000 origins took 2.9 s); the
        // list keeps the order written.
        let mut listed: HashSet<ClaimId> = HashSet::default();
        for (j, origin) in c.derived_from.iter().enumerate() {
            let opath = || index(&at.field("derived_from"), j);
            if origin == &c.id {
                self.push(diags::derived_from_itself(&c.id, opath()));
                continue;
            }
            let found = claim_ids.get(origin.as_str());
            if let Some((k, _)) = found
                && k != at.i
            {
                restating.push((at.i as u32, k as u32));
            }
            match found {
                Some((k, true)) => {
                    let id = ClaimId(k as u32);
                    if listed.insert(id) {
                        derived_from.push(id);
                    }
                }
                _ => {
                    // Never the claim itself: that would be E028.
                    let valid = (claim_ids.iter())
                        .filter(|&(k, valid)| valid && k != c.id)
                        .map(|(k, _)| k);
                    // A source's id for the claim of its that this one restates.
                    let hint = if source_ids.contains_key(origin.as_str()) {
                        diags::OriginHint::Source
                    } else {
                        diags::OriginHint::Near(self.near(origin, self.file.claims.len(), valid))
                    };
                    self.push(diags::unknown_origin(&c.id, origin, opath(), hint));
                }
            }
        }
        derived_from
    }

    pub(super) fn statement(
        &mut self,
        names: &Names,
        c: &crate::format::ClaimFile,
        at: At,
    ) -> Option<Statement> {
        let spath = || at.field("subject");
        let opath = || at.field("object");
        let relation = c.relation;
        let object = match (&c.object, relation) {
            (Some(_), Relation::Condemns) => {
                self.push(diags::condemnation_with_object(&c.id, opath()));
                return None;
            }
            (None, Relation::Condemns) => None,
            (None, _) => {
                self.push(diags::no_object(&c.id, relation, at.path()));
                return None;
            }
            (Some(o), _) => Some(o.as_str()),
        };
        let what = || format!("the subject of `{}`", relation_name(relation));
        let whatobj = || format!("the object of `{}`", relation_name(relation));
        if let Some(o) = object
            && self.swapped(names, c, o, &spath, &opath)
        {
            return None;
        }
        let stmt = match relation {
            Relation::AttributedTo | Relation::ConductedBy => {
                // STIX's `attributed-to` also ties a group to the actor behind it.
                let help = "name an incident here; to tie a group or actor to the one behind it, \
                            make it the subject of `SubordinateOf`, `OperatedBy` or `SponsoredBy`";
                let incident = self.incident_ref(names, &c.subject, &spath, &what, Some(help));
                let actor = self.entity_ref(names, object?, &opath, &whatobj);
                Statement::Responsible {
                    incident: incident?,
                    actor: actor?,
                }
            }
            Relation::ClaimsResponsibility => {
                let actor = self.entity_ref(names, &c.subject, &spath, &what);
                let incident = self.incident_ref(names, object?, &opath, &whatobj, None);
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
                    self.push(diags::relates_to_itself(
                        &c.id,
                        (&c.subject, object.unwrap_or_default()),
                        opath(),
                    ));
                    return None;
                }
                if relation == Relation::PossiblySameAs {
                    Statement::SameAs { a: from, b: to }
                } else {
                    Statement::Link { from, to }
                }
            }
            Relation::Condemns => Statement::Condemns {
                incident: self.incident_ref(names, &c.subject, &spath, &what, None)?,
            },
        };
        Some(stmt)
    }

    pub(super) fn likelihood(
        &mut self,
        c: &crate::format::ClaimFile,
        at: At,
    ) -> Option<(Likelihood, Option<f64>)> {
        let lpath = || at.field("likelihood");
        let Some(l) = &c.likelihood else {
            if c.relation != Relation::Condemns {
                self.push(diags::no_likelihood(&c.id, at.path()));
            }
            return None;
        };
        if c.relation == Relation::Condemns {
            // Not read, so not checked: an invalid one would be corrected where it goes.
            self.push(diags::condemnation_with_likelihood(&c.id, lpath()));
            return None;
        }
        let p = match l {
            Likelihood::Icd(term) => match IcdTerm::parse(term) {
                Some(t) => Some(t.midpoint()),
                None => {
                    self.push(diags::unknown_icd_term(term, lpath(), icd_suggestion(term)));
                    return None;
                }
            },
            Likelihood::Phia(term) => match terms::phia_probability(term) {
                Some(p) => {
                    if terms::is_phia_hedge(term) {
                        self.push(diags::hedge_against(&c.id, term, p, lpath()));
                    }
                    Some(p)
                }
                None => {
                    self.push(diags::unknown_phia_term(
                        term,
                        lpath(),
                        phia_suggestion(term),
                    ));
                    return None;
                }
            },
            Likelihood::Probability(p) => Some(self.unit_interval(*p, lpath, "the likelihood")?),
            Likelihood::Stix(n) => {
                if (0..=100).contains(n) {
                    Some(*n as f64 / 100.0)
                } else {
                    self.push(diags::stix_confidence_out_of_range(*n, lpath()));
                    return None;
                }
            }
            Likelihood::Admiralty(n) => {
                if (1..=6).contains(n) {
                    terms::admiralty_probability(*n)
                } else {
                    self.push(diags::credibility_out_of_range(*n, lpath()));
                    return None;
                }
            }
        };
        Some((text::shell(l), p.map(|p| p.clamp(0.01, 0.99))))
    }
}

/// Whether a likelihood's words read as doubt: a negation (`not`, `no`, `never`) or a word of
/// doubt (`unlikely`, `improbable`, `doubtful`).
fn reads_as_doubt(text: &str) -> bool {
    words(text)
        .any(|w| is_negation(&w) || ["un", "improb", "doubt"].iter().any(|p| w.starts_with(p)))
}

/// A likelihood's words, lower-cased (an apostrophe stays within its word: `isn't`).
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn is_negation(word: &str) -> bool {
    matches!(word, "not" | "no" | "never" | "none" | "nor") || word.ends_with("n't")
}

/// A "did you mean" for a likelihood term, unless it would turn doubt into support or the
/// other way round: the nearest spelling to `almost certainly not` is `almost certain`. Nor
/// may it drop or add a negation (`not unlikely` is not `unlikely`): which way a negated
/// term leans is not for a spelling match to guess, though `almost no chanse` keeps its `no`.
fn same_sense(wrong: &str, suggestion: Option<&'static str>) -> Option<&'static str> {
    let negations = |t: &str| words(t).filter(|w| is_negation(w)).collect::<Vec<_>>();
    suggestion
        .filter(|s| negations(s) == negations(wrong) && reads_as_doubt(s) == reads_as_doubt(wrong))
}

/// The ICD 203 term nearest to a misspelt one, in the same sense ([`same_sense`]).
fn icd_suggestion(term: &str) -> Option<&'static str> {
    same_sense(
        term,
        suggest(term, IcdTerm::spellings()).or_else(|| suggest(term, IcdTerm::words())),
    )
}

/// The PHIA term nearest to a misspelt one, in the same sense ([`same_sense`]).
fn phia_suggestion(term: &str) -> Option<&'static str> {
    same_sense(term, suggest(term, terms::phia_spellings()))
}

/// The probability a likelihood is read as, by the rules the validator applies to a file
/// (ICD 203 midpoints, the PHIA yardstick, STIX n/100, Admiralty credibility), clamped to
/// [0.01, 0.99]; `Ok(None)` when it forms none (Admiralty 6). For likelihoods that do not come
/// from a file, such as `--restate`.
pub fn likelihood_probability(l: &Likelihood) -> Result<Option<f64>, String> {
    let p = match l {
        Likelihood::Icd(term) => Some(
            IcdTerm::parse(term)
                .ok_or_else(|| {
                    if terms::phia_probability(term).is_some() {
                        return format!(
                            "`{term}` is not an ICD 203 likelihood term: it is a UK PHIA term, \
                             `Phia(\"{term}\")`"
                        );
                    }
                    let hint = icd_suggestion(term)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    format!("`{term}` is not an ICD 203 likelihood term{hint}")
                })?
                .midpoint(),
        ),
        Likelihood::Phia(term) => Some(terms::phia_probability(term).ok_or_else(|| {
            if IcdTerm::parse(term).is_some() {
                return format!(
                    "`{term}` is not a UK PHIA yardstick term: it is an ICD 203 term, \
                     `Icd(\"{term}\")`"
                );
            }
            let hint = phia_suggestion(term)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!("`{term}` is not a UK PHIA yardstick term{hint}")
        })?),
        Likelihood::Probability(p) if p.is_finite() && (0.0..=1.0).contains(p) => Some(*p),
        Likelihood::Probability(p) => {
            return Err(format!(
                "{} is not a probability (0 to 1)",
                diags::show_number(*p)
            ));
        }
        Likelihood::Stix(n) if (0..=100).contains(n) => Some(*n as f64 / 100.0),
        Likelihood::Stix(n) => return Err(format!("STIX confidence {n} is outside 0–100")),
        Likelihood::Admiralty(n) if (1..=6).contains(n) => terms::admiralty_probability(*n),
        Likelihood::Admiralty(n) => {
            return Err(format!("Admiralty credibility {n} is outside 1–6"));
        }
    };
    Ok(p.map(|p| p.clamp(0.01, 0.99)))
}

/// Reads a likelihood written on the command line: as in a RON file (`Icd("likely")`,
/// `Phia("realistic possibility")`, `Probability(0.7)`, `Stix(70)`, `Admiralty(2)`), as in a
/// JSON file (`{"Icd": "likely"}`), or briefly as a bare probability (`0.7`) or a bare ICD 203
/// term (`likely`). Returns the likelihood and the probability it is read as.
pub fn read_likelihood(text: &str) -> Result<(Likelihood, Option<f64>), String> {
    let t = text.trim();
    let parsed: Likelihood = if let Ok(p) = t.parse::<f64>() {
        Likelihood::Probability(p)
    } else if t.starts_with('{') {
        serde_json::from_str(t).map_err(|e| format!("`{t}` is not a likelihood: {e}"))?
    } else if t.contains('(') {
        crate::format::ron_options()
            .from_str(t)
            .map_err(|e| format!("`{t}` is not a likelihood: {}", e.code))?
    } else if IcdTerm::parse(t).is_some() {
        Likelihood::Icd(t.to_string())
    } else if terms::phia_probability(t).is_some() {
        Likelihood::Phia(t.to_string())
    } else {
        let hint = suggest(t, IcdTerm::spellings())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(format!(
            "`{t}` is not a likelihood{hint}; write an ICD 203 term (`likely`), a probability \
             (`0.7`), or a likelihood as in the file (`Icd(\"likely\")`, `Phia(\"…\")`, `Stix(70)`)"
        ));
    };
    let p = likelihood_probability(&parsed)?;
    Ok((parsed, p))
}

impl Validator<'_> {
    /// Whether claim `c`, with object `object`, names an incident and an actor the wrong way
    /// round for its relation; if so, reported once, with the claim written the right way,
    /// rather than once for each end.
    fn swapped(
        &mut self,
        names: &Names,
        c: &crate::format::ClaimFile,
        object: &str,
        spath: &dyn Fn() -> String,
        opath: &dyn Fn() -> String,
    ) -> bool {
        if !responsibility(c.relation) {
            return false;
        }
        let is_incident = |name: &str| matches!(names.resolve(name), Some(Target::Incident(_)));
        let is_entity = |name: &str| matches!(names.resolve(name), Some(Target::Entity(_)));
        let swapped = if c.relation == Relation::ClaimsResponsibility {
            is_incident(&c.subject) && is_entity(object)
        } else {
            is_entity(&c.subject) && is_incident(object)
        };
        if swapped {
            // Both names are used, only misplaced.
            self.lookup(names, &c.subject, spath);
            self.lookup(names, object, opath);
            self.push(diags::swapped_ends(
                &c.id,
                &c.subject,
                object,
                c.relation,
                spath(),
            ));
        }
        swapped
    }
}

/// The relations between an incident and an actor or group.
fn responsibility(relation: Relation) -> bool {
    matches!(
        relation,
        Relation::AttributedTo | Relation::ConductedBy | Relation::ClaimsResponsibility
    )
}

/// The original claims (restating nothing) at the roots of each resolved claim's chain of
/// restatements (the claim itself for an original), as sorted resolved indices, each computed
/// once from its origins' and shared along a chain: walking each restatement's chain to its
/// roots made a chain of 10,000 restatements take seconds to check. Only without cycles of
/// restatements (reported before).
struct Originals<'a> {
    out: &'a Resolved<'a>,
    resolved_at: &'a [u32],
    memo: Vec<Option<std::rc::Rc<[u32]>>>,
    /// The list made of each set of lists (by their addresses, which the memo keeps alive).
    made: HashMap<Vec<usize>, std::rc::Rc<[u32]>>,
}

impl<'a> Originals<'a> {
    fn new(out: &'a Resolved<'a>, resolved_at: &'a [u32]) -> Self {
        Originals {
            out,
            resolved_at,
            memo: vec![None; out.claims.len()],
            made: HashMap::default(),
        }
    }

    fn origins(&self, x: u32) -> impl Iterator<Item = u32> + '_ {
        (self.out.claims[x as usize].derived_from.iter())
            .map(|o| self.resolved_at[o.0 as usize])
            .filter(|&o| o != u32::MAX)
    }

    fn of(&mut self, k: u32) -> std::rc::Rc<[u32]> {
        let mut stack = vec![k];
        while let Some(&x) = stack.last() {
            if self.memo[x as usize].is_some() {
                stack.pop();
                continue;
            }
            let before = stack.len();
            let pending: Vec<u32> = (self.origins(x))
                .filter(|&o| self.memo[o as usize].is_none())
                .collect();
            stack.extend(pending);
            if stack.len() > before {
                continue;
            }
            let list = if self.out.claims[x as usize].derived_from.is_empty() {
                [x].into()
            } else {
                self.union(x)
            };
            self.memo[x as usize] = Some(list);
            stack.pop();
        }
        self.memo[k as usize].clone().unwrap_or_default()
    }

    /// The union of the lists of restatement `x`'s origins (each known): one origin's list
    /// when they all share it, else the list made once for each set of lists.
    fn union(&mut self, x: u32) -> std::rc::Rc<[u32]> {
        let mut lists: Vec<std::rc::Rc<[u32]>> = (self.origins(x))
            .filter_map(|o| self.memo[o as usize].clone())
            .collect();
        let address = |l: &std::rc::Rc<[u32]>| std::rc::Rc::as_ptr(l) as *const u32 as usize;
        lists.sort_unstable_by_key(address);
        lists.dedup_by_key(|l| address(l));
        match &lists[..] {
            [] => std::rc::Rc::default(),
            [one] => one.clone(),
            _ => {
                let key: Vec<usize> = lists.iter().map(address).collect();
                (self.made.entry(key).or_insert_with(|| {
                    let mut all: Vec<u32> = lists.iter().flat_map(|l| l.iter().copied()).collect();
                    all.sort_unstable();
                    all.dedup();
                    all.into()
                }))
                .clone()
            }
        }
    }
}

/// What comparing a restating claim with a list of originals found (W108, W116).
#[derive(Debug, Clone, Copy)]
enum Compared {
    /// An original states what the claim states, on the same side of even chance.
    Agrees,
    /// None of them states it, and for each it can be told: the first of them in file order.
    NoneStatesIt { first: Option<u32> },
    /// The first original in file order stating it on the other side of even chance.
    Opposite(u32),
}

/// Compares restating claim `c` with `all`, the originals at the roots of one of its origins'
/// chains: resolved indices, sorted, and so in file order (claims resolve in file order).
fn compare(
    c: &Claim,
    all: &[u32],
    (out, entities, f): (
        &Resolved<'_>,
        &[crate::model::Entity],
        &crate::format::CaseFile,
    ),
) -> Compared {
    let original = |r: u32| &out.claims[r as usize];
    let states_it = |r: &&u32| c.statement.restates(original(**r).statement, entities);
    if !all.iter().any(|r| states_it(&r)) {
        let undecided =
            |r: &u32| whole_unresolved(f, entities, c.statement, original(*r).statement);
        if all.iter().any(undecided) {
            return Compared::Agrees;
        }
        return Compared::NoneStatesIt {
            first: all.first().copied(),
        };
    }
    let opposite = |r: &&u32| {
        c.probability()
            .zip(original(**r).probability())
            .is_some_and(|(own, theirs)| (own - 0.5) * (theirs - 0.5) < 0.0)
    };
    match all.iter().filter(states_it).find(opposite) {
        Some(&r) => Compared::Opposite(r),
        None => Compared::Agrees,
    }
}

/// Whether `restating` could follow up `original` (both responsibility for one incident) but
/// the actor `original` names has above it a `part_of` that did not resolve (an error already
/// reported): whether it does cannot be told, and a W108 then would only repeat that error.
fn whole_unresolved(
    f: &crate::format::CaseFile,
    entities: &[crate::model::Entity],
    restating: crate::model::Statement,
    original: crate::model::Statement,
) -> bool {
    use crate::model::Statement::Responsible;
    let (
        Responsible { incident, .. },
        Responsible {
            incident: on,
            actor,
        },
    ) = (restating, original)
    else {
        return false;
    };
    if incident != on {
        return false;
    }
    let mut at = actor.0 as usize;
    for _ in 0..entities.len() {
        match entities[at].part_of {
            None => return f.actors.get(at).is_some_and(|a| a.part_of.is_some()),
            Some(whole) => at = whole.0 as usize,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source's name and the ids made of it share their words: an id written after the name
    /// finds the source (E023 then gives its id).
    #[test]
    fn names_and_ids_made_of_them_share_a_words_key() {
        let wapo = words_key("The Washington Post");
        assert_eq!(wapo, "washington post");
        assert_eq!(words_key("washington-post"), wapo);
        assert_eq!(words_key("the_washington_post"), wapo);
        assert_eq!(
            words_key("Washington Post (print)"),
            "washington post print"
        );
        assert_eq!(words_key("The"), "the", "a name of one word keeps it");
        assert_eq!(words_key("--"), "");
    }

    #[test]
    fn a_suggested_term_keeps_the_sense_of_the_misspelt_one() {
        assert_eq!(icd_suggestion("almost certainly not"), None);
        assert_eq!(icd_suggestion("not likely"), None);
        assert_eq!(icd_suggestion("not unlikely"), None);
        assert_eq!(icd_suggestion("not improbable"), None);
        assert_eq!(icd_suggestion("very likley"), Some("very likely"));
        assert_eq!(icd_suggestion("unlikley"), Some("unlikely"));
        assert_eq!(icd_suggestion("almost no chanse"), Some("almost no chance"));
        assert_eq!(phia_suggestion("remot chance"), Some("remote chance"));
        assert_eq!(phia_suggestion("higly unlikely"), Some("highly unlikely"));
        assert!(
            likelihood_probability(&Likelihood::Icd("almost certainly not".into()))
                .unwrap_err()
                .ends_with("`almost certainly not` is not an ICD 203 likelihood term")
        );
    }

    /// The codes of every diagnostic on RON `text`.
    fn codes(text: &str) -> Vec<Code> {
        match crate::load::load(text, crate::format::Syntax::Ron) {
            Ok(loaded) => loaded.warnings.iter().map(|d| d.code).collect(),
            Err(all) => all.iter().map(|d| d.code).collect(),
        }
    }

    /// Restatements in a circle are found on the ids as written, while the claims are
    /// resolved: a circle is reported though one of its claims cites no declared source and
    /// names no declared actor (it never becomes a claim of the case).
    #[test]
    fn a_circle_of_restatements_is_reported_whatever_else_is_wrong() {
        let claim = |id: &str, source: &str, object: &str, origin: &str| {
            format!(
                "Claim(id: \"{id}\", source: \"{source}\", subject: \"x\", relation: \
                 ConductedBy, object: \"{object}\", wording: \"w\", url: \"https://e.org\", \
                 likelihood: Icd(\"likely\"), derived_from: [\"{origin}\"])"
            )
        };
        let case = |second: String| {
            format!(
                "Case(title: \"t\", actors: [Actor(id: \"a\", name: \"A\", kind: State)], \
                 incidents: [Incident(id: \"x\", name: \"X\")], sources: [Source(id: \"s\", \
                 name: \"S\", kind: Government, reliability: B)], claims: [{}, {second}])",
                claim("c1", "s", "a", "c2")
            )
        };
        let clean = codes(&case(claim("c2", "s", "a", "c1")));
        assert_eq!(clean, [Code::EchoCycle]);
        let broken = codes(&case(claim("c2", "nobody", "b", "c1")));
        assert!(broken.contains(&Code::EchoCycle), "{broken:?}");
        assert!(broken.contains(&Code::UnknownSource), "{broken:?}");
        assert!(broken.contains(&Code::UnknownName), "{broken:?}");
    }

    /// `check` counts a case without its text: the counts and warnings of the case itself.
    #[test]
    fn a_case_checked_counts_what_it_holds() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/graphs/albania-2022.ron"
        ))
        .unwrap();
        let file = crate::load::parse(&text, crate::format::Syntax::Ron).unwrap();
        let checked = crate::load::checked(file.clone()).unwrap();
        let loaded = crate::load::validated_case(file).unwrap();
        assert_eq!(checked.counts, crate::load::Counts::of(&loaded.case));
        assert_eq!(checked.warnings, loaded.warnings);
        assert!(checked.counts.claims > 10 && checked.counts.actors > 3);
    }
}
