//! From the file as written to the model: resolve every name, check every value, report every
//! problem at once.
//!
//! Validation never stops at the first problem: an analyst fixing a hand-written file wants the
//! whole list. Problems are [`Diagnostic`]s located by path; warnings (suspicious but legal) do
//! not prevent a [`Case`] from being produced, errors do.

use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::format::{CaseFile, Likelihood, Relation};
use crate::locate::{field, index};
use crate::model::{
    Case, Claim, ClaimId, Entity, EntityId, EntityKind, ExclusiveSet, FamilyId, Hypothesis,
    Incident, IncidentId, Reliability, Source, SourceId, Statement,
};
use crate::terms::{self, Grade, IcdTerm};
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// The outcome of validation: the case when there were no errors, and every diagnostic found.
#[derive(Debug)]
pub struct Validated {
    pub case: Option<Case>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Something a subject or object can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Target {
    Entity(u32),
    Incident(u32),
}

struct Names {
    /// Exact ids.
    ids: HashMap<String, Target>,
    /// Lower-cased ids, names and aliases; more than one target means ambiguous.
    keys: HashMap<String, Vec<Target>>,
    /// Every spelling, sorted, for suggestions.
    spellings: Vec<String>,
}

impl Names {
    fn resolve(&self, name: &str) -> Option<Target> {
        if let Some(t) = self.ids.get(name) {
            return Some(*t);
        }
        self.keys
            .get(&name.trim().to_lowercase())
            .and_then(|ts| ts.first().copied())
    }
}

/// Validates a parsed file. Never panics, whatever the values.
pub fn validate(file: &CaseFile) -> Validated {
    let mut v = Validator {
        file,
        diags: Vec::new(),
        referenced: HashSet::default(),
    };
    let case = v.run();
    let has_errors = v.diags.iter().any(Diagnostic::is_error);
    Validated {
        case: if has_errors { None } else { case },
        diagnostics: v.diags,
    }
}

struct Validator<'f> {
    file: &'f CaseFile,
    diags: Vec<Diagnostic>,
    /// Everything a claim, link or hypothesis named, including in declarations with other
    /// errors, so that one mistake does not make its neighbours look unreferenced.
    referenced: HashSet<Target>,
}

impl Validator<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn run(&mut self) -> Option<Case> {
        let f = self.file;
        let as_of = f
            .as_of
            .as_deref()
            .and_then(|d| self.date(d, || "as_of".to_string()));
        let prior = match f.prior {
            None => 0.5,
            Some(p) => self
                .unit_interval(p, || "prior".into(), "prior")
                .unwrap_or(0.5),
        };
        self.nonempty(&f.title, || "title".into(), "title");

        let names = self.entity_names();
        let entities = self.entities(&names);
        let incidents = self.incidents();
        let (sources, families, source_ids) = self.sources();
        let claims = self.claims(&names, &source_ids);
        if let Some(as_of) = as_of {
            self.claims_after(&claims, as_of);
        }
        self.claim_cycles();
        self.link_cycles(&entities, &claims);
        let hypotheses = self.hypotheses(&names);
        let exclusive = self.exclusive_sets(&names);
        self.exclusive_wholes(&exclusive, &entities, &claims);
        // An unknown name may be the missing reference: only judge what is unreferenced when
        // every name resolved.
        if !self.diags.iter().any(|d| d.code == Code::UnknownName) {
            self.unreferenced(&entities, &incidents);
        }
        self.silent_sources();

        Some(Case {
            title: f.title.clone(),
            description: f.description.clone(),
            analyst: f.analyst.clone(),
            as_of,
            prior,
            entities,
            incidents,
            sources,
            families,
            claims: claims.into_iter().map(|(c, _)| c).collect(),
            hypotheses,
            exclusive,
        })
    }

    // ---- values -------------------------------------------------------------------------

    fn nonempty(&mut self, value: &str, path: impl FnOnce() -> String, what: &str) -> bool {
        if value.trim().is_empty() {
            self.push(
                Diagnostic::at_path(Code::MissingValue, format!("empty {what}"), path())
                    .label("empty")
                    .help(format!("write a non-empty {what}")),
            );
            false
        } else if matches!(what, "id" | "alias" | "family")
            && let Some(c) = value.chars().find(|c| crate::escape::is_invisible(*c))
        {
            // Ids are written bare in every report and on the command line; names may hold
            // anything (renderers escape them), identifiers only what can be seen and typed.
            self.push(
                Diagnostic::at_path(
                    Code::BadValue,
                    format!(
                        "this {what} holds the invisible character {}",
                        crate::escape::visible(c)
                    ),
                    path(),
                )
                .label("invisible character")
                .help(
                    "ids, aliases and families hold only visible characters: remove control characters, line breaks and direction overrides",
                ),
            );
            false
        } else {
            true
        }
    }

    fn date(&mut self, text: &str, path: impl FnOnce() -> String) -> Option<Date> {
        match Date::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(
                    Diagnostic::at_path(Code::BadDate, format!("invalid date `{text}`"), path())
                        .label(e.0)
                        .help("write an existing date as `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only the month or year is known"),
                );
                None
            }
        }
    }

    fn unit_interval(&mut self, p: f64, path: impl FnOnce() -> String, what: &str) -> Option<f64> {
        if p.is_finite() && (0.0..=1.0).contains(&p) {
            Some(p)
        } else {
            self.push(
                Diagnostic::at_path(
                    Code::BadNumber,
                    format!("{what} {} is not a probability", show_number(p)),
                    path(),
                )
                .label("outside [0, 1]")
                .help(format!("write {what} as a number from 0 to 1, e.g. 0.5")),
            );
            None
        }
    }

    // ---- names --------------------------------------------------------------------------

    fn entity_names(&mut self) -> Names {
        let f = self.file;
        let mut ids: HashMap<String, Target> = HashMap::default();
        let mut first_path: HashMap<String, String> = HashMap::default();
        let mut declared: Vec<(Target, String, &str, &[String], &str)> = Vec::new();
        for (i, a) in f.actors.iter().enumerate() {
            declared.push((
                Target::Entity(i as u32),
                index("actors", i),
                &a.id,
                &a.aliases,
                &a.name,
            ));
        }
        let n_actors = f.actors.len();
        for (i, g) in f.groups.iter().enumerate() {
            declared.push((
                Target::Entity((n_actors + i) as u32),
                index("groups", i),
                &g.id,
                &g.aliases,
                &g.name,
            ));
        }
        for (i, inc) in f.incidents.iter().enumerate() {
            declared.push((
                Target::Incident(i as u32),
                index("incidents", i),
                &inc.id,
                &inc.aliases,
                &inc.name,
            ));
        }
        for (target, path, id, _, name) in &declared {
            let id_path = field(path, "id");
            if !self.nonempty(id, || id_path.clone(), "id") {
                continue;
            }
            self.nonempty(name, || field(path, "name"), "name");
            if let Some(first) = first_path.get(*id) {
                let d = Diagnostic::at_path(
                    Code::DuplicateId,
                    format!("duplicate id `{id}`"),
                    id_path,
                )
                .label("declared again here")
                .related(Location::Path(first.clone()), "first declared here")
                .help("give each actor, group and incident its own id; list other names under `aliases`");
                self.push(d);
            } else {
                ids.insert(id.to_string(), *target);
                first_path.insert(id.to_string(), id_path);
            }
        }
        // Names and aliases, case-insensitive. Remember where each key was first declared.
        let mut keys: HashMap<String, Vec<Target>> = HashMap::default();
        let mut key_path: HashMap<String, String> = HashMap::default();
        for (target, path, id, aliases, name) in &declared {
            let mut spellings: Vec<(String, String)> =
                vec![(name.to_string(), field(path, "name"))];
            // A duplicate id was reported above; it is no alias of the second declaration.
            if ids.get(*id) == Some(target) {
                spellings.insert(0, (id.to_string(), field(path, "id")));
            }
            for (j, alias) in aliases.iter().enumerate() {
                let alias_path = index(&field(path, "aliases"), j);
                if self.nonempty(alias, || alias_path.clone(), "alias") {
                    spellings.push((alias.clone(), alias_path));
                }
            }
            for (spelling, spath) in spellings {
                let key = spelling.trim().to_lowercase();
                if key.is_empty() {
                    continue;
                }
                let entry = keys.entry(key.clone()).or_default();
                if entry.contains(target) {
                    continue;
                }
                if let Some(&other) = entry.first() {
                    // Two ids that differ only in case are reported here too; identical ids
                    // were reported as duplicates above (and the second is not a spelling).
                    let other_id = self.target_id(other);
                    self.push(
                        Diagnostic::at_path(
                            Code::AmbiguousName,
                            format!("`{spelling}` names both `{other_id}` and `{id}`"),
                            spath.clone(),
                        )
                        .label(format!("also names `{other_id}`"))
                        .related(
                            Location::Path(key_path.get(&key).cloned().unwrap_or_default()),
                            format!("`{other_id}` is named so here"),
                        )
                        .help("an alias must name one thing only: remove it from one of the two, or merge them with a `PossiblySameAs` claim"),
                    );
                }
                entry.push(*target);
                key_path.entry(key).or_insert(spath);
            }
        }
        let mut spellings: Vec<String> = declared
            .iter()
            .flat_map(|(_, _, id, aliases, _)| {
                std::iter::once(id.to_string()).chain(aliases.iter().cloned())
            })
            .collect();
        spellings.sort();
        spellings.dedup();
        Names {
            ids,
            keys,
            spellings,
        }
    }

    fn target_id(&self, t: Target) -> &str {
        let f = self.file;
        match t {
            Target::Entity(i) => {
                let i = i as usize;
                if i < f.actors.len() {
                    &f.actors[i].id
                } else {
                    &f.groups[i - f.actors.len()].id
                }
            }
            Target::Incident(i) => &f.incidents[i as usize].id,
        }
    }

    /// Resolves a name to an entity or incident, reporting unknown names with a suggestion.
    fn lookup(&mut self, names: &Names, name: &str, path: &dyn Fn() -> String) -> Option<Target> {
        if let Some(t) = names.resolve(name) {
            self.referenced.insert(t);
            return Some(t);
        }
        let mut d =
            Diagnostic::at_path(Code::UnknownName, format!("unknown name `{name}`"), path())
                .label("no actor, group or incident has this id, name or alias");
        if self.file.sources.iter().any(|s| s.id == name) {
            d = d.help(format!(
                "`{name}` is a source: sources make claims, they are not what a claim is about; declare an actor for it under `actors` if it is also a party"
            ));
        } else if let Some(s) = suggest(name, names.spellings.iter().map(String::as_str)) {
            d = d.help(format!("did you mean `{s}`?"));
        } else {
            d = d.help("declare it under `actors`, `groups` or `incidents`, or add it to the `aliases` of the one you mean");
        }
        self.push(d);
        None
    }

    fn entity_ref(
        &mut self,
        names: &Names,
        name: &str,
        path: &dyn Fn() -> String,
        role: &dyn Fn() -> String,
    ) -> Option<EntityId> {
        match self.lookup(names, name, path)? {
            Target::Entity(i) => Some(EntityId(i)),
            Target::Incident(_) => {
                self.push(
                    Diagnostic::at_path(
                        Code::WrongKind,
                        format!(
                            "{} must be an actor or group, but `{name}` is an incident",
                            role()
                        ),
                        path(),
                    )
                    .label("an incident")
                    .help("name an actor or group here"),
                );
                None
            }
        }
    }

    fn incident_ref(
        &mut self,
        names: &Names,
        name: &str,
        path: &dyn Fn() -> String,
        role: &dyn Fn() -> String,
    ) -> Option<IncidentId> {
        match self.lookup(names, name, path)? {
            Target::Incident(i) => Some(IncidentId(i)),
            Target::Entity(_) => {
                self.push(
                    Diagnostic::at_path(
                        Code::WrongKind,
                        format!(
                            "{} must be an incident, but `{name}` is an actor or group",
                            role()
                        ),
                        path(),
                    )
                    .label("not an incident")
                    .help("name an incident here"),
                );
                None
            }
        }
    }

    // ---- declarations -------------------------------------------------------------------

    fn entities(&mut self, names: &Names) -> Vec<Entity> {
        let f = self.file;
        let mut out = Vec::with_capacity(f.actors.len() + f.groups.len());
        for (i, a) in f.actors.iter().enumerate() {
            let path = index("actors", i);
            let part_of = a.part_of.as_deref().and_then(|p| {
                let ppath = field(&path, "part_of");
                let target =
                    self.entity_ref(names, p, &|| ppath.clone(), &|| "`part_of`".into())?;
                if target.0 as usize == i {
                    self.push(
                        Diagnostic::at_path(
                            Code::SelfReference,
                            format!("`{}` is declared part of itself", a.id),
                            ppath,
                        )
                        .label("refers to its own actor")
                        .help("remove `part_of`, or name the larger body it belongs to"),
                    );
                    return None;
                }
                Some(target)
            });
            out.push(Entity {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: EntityKind::Actor(a.kind),
                aliases: a.aliases.clone(),
                part_of,
                description: a.description.clone(),
            });
        }
        for g in &f.groups {
            out.push(Entity {
                id: g.id.clone(),
                name: g.name.clone(),
                kind: EntityKind::Group(g.kind),
                aliases: g.aliases.clone(),
                part_of: None,
                description: g.description.clone(),
            });
        }
        out
    }

    fn incidents(&mut self) -> Vec<Incident> {
        let f = self.file;
        let mut out = Vec::with_capacity(f.incidents.len());
        for (i, inc) in f.incidents.iter().enumerate() {
            let path = index("incidents", i);
            let start = inc
                .start
                .as_deref()
                .and_then(|d| self.date(d, || field(&path, "start")));
            let end = inc
                .end
                .as_deref()
                .and_then(|d| self.date(d, || field(&path, "end")));
            if let (Some(s), Some(e)) = (start, end)
                && e.latest_day() < s.earliest_day()
            {
                self.push(
                    Diagnostic::at_path(
                        Code::BadDate,
                        format!("incident `{}` ends ({e}) before it starts ({s})", inc.id),
                        field(&path, "end"),
                    )
                    .label("before `start`")
                    .help("swap `start` and `end`, or correct one of them"),
                );
            }
            out.push(Incident {
                id: inc.id.clone(),
                name: inc.name.clone(),
                aliases: inc.aliases.clone(),
                start,
                end,
                victim: inc.victim.clone(),
                description: inc.description.clone(),
                references: inc.references.clone(),
            });
        }
        out
    }

    fn sources(&mut self) -> (Vec<Source>, Vec<String>, HashMap<String, SourceId>) {
        let f = self.file;
        let mut out = Vec::with_capacity(f.sources.len());
        let mut ids: HashMap<String, SourceId> = HashMap::default();
        // Families are numbered in name order, so that nothing downstream depends on the order
        // sources are declared in.
        let family_name =
            |s: &crate::format::SourceFile| s.family.clone().unwrap_or_else(|| s.id.clone());
        let families: Vec<String> = f
            .sources
            .iter()
            .map(family_name)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let family_ids: HashMap<String, FamilyId> = families
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), FamilyId(i as u32)))
            .collect();
        for (i, s) in f.sources.iter().enumerate() {
            let path = index("sources", i);
            if self.nonempty(&s.id, || field(&path, "id"), "id") {
                if ids.contains_key(&s.id) {
                    let first = f.sources.iter().position(|o| o.id == s.id).unwrap_or(0);
                    self.push(
                        Diagnostic::at_path(
                            Code::DuplicateId,
                            format!("duplicate source id `{}`", s.id),
                            field(&path, "id"),
                        )
                        .label("declared again here")
                        .related(
                            Location::Path(field(&index("sources", first), "id")),
                            "first declared here",
                        )
                        .help("give each source its own id"),
                    );
                } else {
                    ids.insert(s.id.clone(), SourceId(i as u32));
                }
            }
            self.nonempty(&s.name, || field(&path, "name"), "name");
            let reliability = match (s.reliability, s.track_record) {
                (Some(_), Some(_)) => {
                    self.push(
                        Diagnostic::at_path(
                            Code::Conflicting,
                            format!("source `{}` has both `reliability` and `track_record`", s.id),
                            field(&path, "track_record"),
                        )
                        .label("remove this or `reliability`")
                        .help("grade a source either with an Admiralty letter or with its track record, not both"),
                    );
                    Reliability::Grade(Grade::F)
                }
                (None, None) => {
                    self.push(
                        Diagnostic::at_path(
                            Code::MissingValue,
                            format!("source `{}` has no reliability", s.id),
                            path.clone(),
                        )
                        .label("no `reliability` or `track_record`")
                        .help("add `reliability: B` (Admiralty A–F; F if it cannot be judged) or `track_record: (valid: 8, invalid: 1)`"),
                    );
                    Reliability::Grade(Grade::F)
                }
                (Some(g), None) => {
                    if g == Grade::F {
                        self.push(
                            Diagnostic::at_path(
                                Code::UngradedSource,
                                format!("source `{}` is graded F: its claims move nothing", s.id),
                                field(&path, "reliability"),
                            )
                            .label("reliability cannot be judged")
                            .help("grade it A–E if anything is known of its record; an F source's claims are reported but carry no weight"),
                        );
                    }
                    Reliability::Grade(g)
                }
                (None, Some(t)) => {
                    let tpath = field(&path, "track_record");
                    let ok = |x: f64| (0.0..=1e6).contains(&x);
                    if !ok(t.valid) || !ok(t.invalid) {
                        self.push(
                            Diagnostic::at_path(
                                Code::BadNumber,
                                format!(
                                    "track record ({}, {}) of source `{}` is not a count",
                                    show_number(t.valid),
                                    show_number(t.invalid),
                                    s.id
                                ),
                                tpath,
                            )
                            .label("counts must be finite and non-negative")
                            .help("write how many past reports proved valid and invalid, e.g. `(valid: 8, invalid: 1)`"),
                        );
                        Reliability::Grade(Grade::F)
                    } else {
                        Reliability::TrackRecord {
                            valid: t.valid,
                            invalid: t.invalid,
                        }
                    }
                }
            };
            if let Some(fam) = &s.family {
                self.nonempty(fam, || field(&path, "family"), "family");
            }
            let family = family_ids[&family_name(s)];
            out.push(Source {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind,
                reliability,
                family,
                url: s.url.clone(),
                note: s.note.clone(),
            });
        }
        (out, families, ids)
    }

    /// Returns each claim with the path it was declared at.
    fn claims(
        &mut self,
        names: &Names,
        source_ids: &HashMap<String, SourceId>,
    ) -> Vec<(Claim, String)> {
        let f = self.file;
        // A claim without a URL of its own inherits its source's (W102 only when neither has one).
        let sourced: HashSet<&str> = f
            .sources
            .iter()
            .filter(|s| s.url.as_deref().is_some_and(|u| !u.trim().is_empty()))
            .map(|s| s.id.as_str())
            .collect();
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
            if c.url.as_deref().is_none_or(|w| w.trim().is_empty())
                && !sourced.contains(c.source.as_str())
            {
                self.push(
                    Diagnostic::at_path(
                        Code::NoUrl,
                        format!("claim `{}` has no URL, nor has its source", c.id),
                        path.clone(),
                    )
                    .label("no `url`")
                    .help(
                        "add the `url` where the statement was read, to the claim or to its source",
                    ),
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

    fn statement(
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

    fn likelihood(
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

    // ---- graph checks -------------------------------------------------------------------

    /// Cycles in `derived_from`, found on the ids as written so that a cycle is reported even
    /// when its claims have other errors.
    fn claim_cycles(&mut self) {
        let f = self.file;
        let mut position: HashMap<&str, usize> = HashMap::default();
        for (i, c) in f.claims.iter().enumerate() {
            position.entry(c.id.as_str()).or_insert(i);
        }
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..f.claims.len()).map(|i| graph.add_node(i)).collect();
        for (i, c) in f.claims.iter().enumerate() {
            for origin in &c.derived_from {
                if let Some(&o) = position.get(origin.as_str())
                    && o != i
                {
                    graph.update_edge(nodes[i], nodes[o], ());
                }
            }
        }
        for cycle in cycles(&graph) {
            let mut ids: Vec<&str> = cycle.iter().map(|&i| f.claims[i].id.as_str()).collect();
            ids.push(ids[0]);
            self.push(
                Diagnostic::at_path(
                    Code::EchoCycle,
                    format!("claims restate each other in a circle: {}", ids.join(" → ")),
                    field(&index("claims", cycle[0]), "derived_from"),
                )
                .label("part of the cycle")
                .help("a restatement points at the original it repeats; remove the `derived_from` entry that points back"),
            );
        }
    }

    fn link_cycles(&mut self, entities: &[Entity], claims: &[(Claim, String)]) {
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..entities.len()).map(|i| graph.add_node(i)).collect();
        for (i, e) in entities.iter().enumerate() {
            if let Some(p) = e.part_of {
                graph.update_edge(nodes[i], nodes[p.0 as usize], ());
            }
        }
        for (c, _) in claims {
            if let Statement::Link { from, to } = c.statement {
                graph.update_edge(nodes[from.0 as usize], nodes[to.0 as usize], ());
            }
        }
        for cycle in cycles(&graph) {
            let ids: Vec<&str> = cycle.iter().map(|&i| entities[i].id.as_str()).collect();
            let mut names = ids.clone();
            names.push(ids[0]);
            // Point at a claim or declaration that makes the first step of the cycle.
            let (a, b) = (cycle[0], cycle[1 % cycle.len()]);
            let at = claims
                .iter()
                .find(|(c, _)| {
                    c.statement
                        == Statement::Link {
                            from: EntityId(a as u32),
                            to: EntityId(b as u32),
                        }
                })
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| part_of_path(self.file, a));
            self.push(
                Diagnostic::at_path(
                    Code::LinkCycle,
                    format!("responsibility links form a cycle: {}", names.join(" → ")),
                    at,
                )
                .label("one link of the cycle")
                .help("part-of, subordinate-of, operated-by and sponsored-by must point upward to larger bodies; remove or reverse one link (use `PossiblySameAs` for two names of one actor)"),
            );
        }
    }

    /// A case `as_of` a date cannot hold a claim made after it: `assess` would count the claim
    /// while `--as-of` the same date drops it. A partial date that straddles `as_of` (a claim
    /// of "2022-09" in a case as of 2022-09-08) may be right, so it only warns.
    fn claims_after(&mut self, claims: &[(Claim, String)], as_of: Date) {
        for (claim, path) in claims {
            let Some(date) = claim.date else { continue };
            let later = format!("move the case's `as_of` to {} or later", date.latest_day());
            if date.earliest_day() > as_of.latest_day() {
                self.push(
                    Diagnostic::at_path(
                        Code::AfterAsOf,
                        format!(
                            "claim `{}` is dated {date}, after the case's `as_of` {as_of}",
                            claim.id
                        ),
                        field(path, "date"),
                    )
                    .label("after `as_of`")
                    .help(format!("{later}, or correct the claim's date")),
                );
            } else if date.latest_day() > as_of.latest_day() {
                self.push(
                    Diagnostic::at_path(
                        Code::MaybeAfterAsOf,
                        format!(
                            "claim `{}` is dated {date}, which may fall after the case's `as_of` {as_of}",
                            claim.id
                        ),
                        field(path, "date"),
                    )
                    .label("may be after `as_of`")
                    .note(format!(
                        "`attrib assess --as-of {as_of}` leaves this claim out; without the flag it counts"
                    ))
                    .help(format!("give the day the claim was made, or {later}")),
                );
            }
        }
    }

    // ---- hypotheses ---------------------------------------------------------------------

    fn hypotheses(&mut self, names: &Names) -> Vec<Hypothesis> {
        let f = self.file;
        let mut out = Vec::new();
        let mut seen = HashMap::default();
        for (i, h) in f.hypotheses.iter().enumerate() {
            let path = index("hypotheses", i);
            let incident =
                self.incident_ref(names, &h.incident, &|| field(&path, "incident"), &|| {
                    "`incident`".into()
                });
            let actor = self.entity_ref(names, &h.actor, &|| field(&path, "actor"), &|| {
                "`actor`".into()
            });
            let prior = h
                .prior
                .and_then(|p| self.unit_interval(p, || field(&path, "prior"), "prior"));
            if let (Some(incident), Some(actor)) = (incident, actor) {
                if let Some(&first) = seen.get(&(incident, actor)) {
                    self.push(
                        Diagnostic::at_path(
                            Code::DuplicateId,
                            format!(
                                "hypothesis `{}` on `{}` is declared twice",
                                h.actor, h.incident
                            ),
                            path.clone(),
                        )
                        .label("declared again here")
                        .related(
                            Location::Path(index("hypotheses", first)),
                            "first declared here",
                        )
                        .help("keep one declaration, with the prior you mean"),
                    );
                    continue;
                }
                seen.insert((incident, actor), i);
                out.push(Hypothesis {
                    incident,
                    actor,
                    prior,
                    note: h.note.clone(),
                });
            }
        }
        out
    }

    fn exclusive_sets(&mut self, names: &Names) -> Vec<ExclusiveSet> {
        let f = self.file;
        let mut out = Vec::new();
        for (i, set) in f.exclusive.iter().enumerate() {
            let path = index("exclusive", i);
            let incident =
                self.incident_ref(names, &set.incident, &|| field(&path, "incident"), &|| {
                    "`incident`".into()
                });
            let mut members = Vec::new();
            for (j, m) in set.members.iter().enumerate() {
                let mpath = index(&field(&path, "members"), j);
                if let Some(e) = self.entity_ref(names, m, &|| mpath.clone(), &|| "a member".into())
                {
                    if members.contains(&e) {
                        self.push(
                            Diagnostic::at_path(
                                Code::DuplicateId,
                                format!("`{m}` is listed twice in this set"),
                                mpath,
                            )
                            .label("already a member")
                            .help(
                                "list each competing hypothesis once (aliases name the same one)",
                            ),
                        );
                    } else {
                        members.push(e);
                    }
                }
            }
            if set.members.len() < 2 {
                self.push(
                    Diagnostic::at_path(
                        Code::MissingValue,
                        "an exclusive set needs at least two members",
                        field(&path, "members"),
                    )
                    .label("fewer than two")
                    .help("list the hypotheses that exclude each other, e.g. `members: [\"iran\", \"insider\"]`"),
                );
            }
            if let Some(incident) = incident {
                out.push(ExclusiveSet {
                    incident,
                    members,
                    note: set.note.clone(),
                });
            }
        }
        out
    }

    /// A part cannot exclude its whole (model §5b): if MOIS did it, Iran did it. An exclusive
    /// set holding an actor and one of its declared wholes is an error; a whole reached only
    /// through claimed links is a warning (the link may be doubted, but the set then assumes
    /// it is false).
    fn exclusive_wholes(
        &mut self,
        sets: &[ExclusiveSet],
        entities: &[Entity],
        claims: &[(Claim, String)],
    ) {
        let mut up: Vec<Vec<(EntityId, bool)>> = vec![Vec::new(); entities.len()];
        for (i, e) in entities.iter().enumerate() {
            if let Some(p) = e.part_of {
                up[i].push((p, true));
            }
        }
        for (c, _) in claims {
            if let Statement::Link { from, to } = c.statement {
                up[from.0 as usize].push((to, false));
            }
        }
        // Every whole of `x`, with whether it is reached by declarations alone.
        let wholes = |x: EntityId| -> BTreeMap<EntityId, bool> {
            let mut seen: BTreeMap<EntityId, bool> = BTreeMap::new();
            let mut stack = vec![(x, true)];
            while let Some((y, declared)) = stack.pop() {
                for &(z, d) in &up[y.0 as usize] {
                    let d = declared && d;
                    let known = seen.get(&z).copied();
                    if known.is_none() || (d && known == Some(false)) {
                        seen.insert(z, d || known.unwrap_or(false));
                        stack.push((z, d));
                    }
                }
            }
            seen
        };
        for (k, set) in sets.iter().enumerate() {
            let path = field(&index("exclusive", k), "members");
            for (j, &m) in set.members.iter().enumerate() {
                let above = wholes(m);
                for &w in &set.members {
                    let Some(&declared) = above.get(&w) else {
                        continue;
                    };
                    let (part, whole) = (&entities[m.0 as usize].id, &entities[w.0 as usize].id);
                    let at = index(&path, j);
                    self.push(if declared {
                        Diagnostic::at_path(
                            Code::ExclusiveWithWhole,
                            format!("`{part}` is part of `{whole}`, so they cannot exclude each other"),
                            at,
                        )
                        .label(format!("a part of `{whole}`, also in this set"))
                        .help(format!("if `{part}` did it, `{whole}` did it: remove one of them from this set, or set `{whole}` against the alternatives to it"))
                    } else {
                        Diagnostic::at_path(
                            Code::ExclusiveWithLinkedWhole,
                            format!("`{part}` is linked up to `{whole}` by claims, yet they exclude each other"),
                            at,
                        )
                        .label(format!("linked up to `{whole}`, also in this set"))
                        .help(format!("the set assumes the claimed link from `{part}` to `{whole}` is false; if it may hold, remove one of them from the set"))
                    });
                }
            }
        }
    }

    // ---- warnings -----------------------------------------------------------------------

    fn unreferenced(&mut self, entities: &[Entity], incidents: &[Incident]) {
        let n_actors = self.file.actors.len();
        for (i, e) in entities.iter().enumerate() {
            if e.part_of.is_some() || self.referenced.contains(&Target::Entity(i as u32)) {
                continue;
            }
            let path = if i < n_actors {
                index("actors", i)
            } else {
                index("groups", i - n_actors)
            };
            self.push(
                Diagnostic::at_path(
                    Code::Unreferenced,
                    format!("nothing refers to `{}`", e.id),
                    field(&path, "id"),
                )
                .label("no claim, link or hypothesis names it")
                .help("add the claims that concern it, or remove it"),
            );
        }
        for (i, inc) in incidents.iter().enumerate() {
            if !self.referenced.contains(&Target::Incident(i as u32)) {
                self.push(
                    Diagnostic::at_path(
                        Code::Unreferenced,
                        format!("no claim concerns incident `{}`", inc.id),
                        field(&index("incidents", i), "id"),
                    )
                    .label("no claim names it")
                    .help("add the claims made about it, or remove it"),
                );
            }
        }
    }

    fn silent_sources(&mut self) {
        let f = self.file;
        let spoke: HashSet<&str> = f.claims.iter().map(|c| c.source.as_str()).collect();
        for (i, s) in f.sources.iter().enumerate() {
            if !spoke.contains(s.id.as_str()) {
                self.push(
                    Diagnostic::at_path(
                        Code::SilentSource,
                        format!("source `{}` makes no claim", s.id),
                        field(&index("sources", i), "id"),
                    )
                    .label("no claim has this source")
                    .help("add its claims, or remove it"),
                );
            }
        }
    }
}

fn part_of_path(file: &CaseFile, entity: usize) -> String {
    if entity < file.actors.len() {
        field(&index("actors", entity), "part_of")
    } else {
        index("groups", entity - file.actors.len())
    }
}

fn relation_name(r: Relation) -> String {
    format!("{r:?}")
}

/// Every non-trivial strongly connected component, as a cycle through it starting at its
/// smallest node, in a deterministic order.
fn cycles(graph: &DiGraph<usize, ()>) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for scc in petgraph::algo::tarjan_scc(graph) {
        if scc.len() < 2 {
            continue;
        }
        let members: HashSet<NodeIndex> = scc.iter().copied().collect();
        let start = *scc.iter().min_by_key(|n| graph[**n]).unwrap_or(&scc[0]);
        // Breadth-first search inside the component for the shortest way back to `start`.
        let mut parent: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut end = None;
        'search: while let Some(n) = queue.pop_front() {
            let mut next: Vec<NodeIndex> = graph.neighbors(n).collect();
            next.sort_by_key(|m| graph[*m]);
            for m in next {
                if m == start {
                    end = Some(n);
                    break 'search;
                }
                if members.contains(&m) && !parent.contains_key(&m) {
                    parent.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        let mut path = Vec::new();
        let mut n = end.unwrap_or(start);
        while n != start {
            path.push(graph[n]);
            n = parent[&n];
        }
        path.push(graph[start]);
        path.reverse();
        out.push(path);
    }
    out.sort();
    out
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
                    let hint = suggest(term, IcdTerm::spellings())
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    format!("`{term}` is not an ICD 203 likelihood term{hint}")
                })?
                .midpoint(),
        ),
        Likelihood::Phia(term) => Some(terms::phia_probability(term).ok_or_else(|| {
            let hint = suggest(term, terms::phia_spellings())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!("`{term}` is not a UK PHIA yardstick term{hint}")
        })?),
        Likelihood::Probability(p) if p.is_finite() && (0.0..=1.0).contains(p) => Some(*p),
        Likelihood::Probability(p) => {
            return Err(format!("{} is not a probability (0 to 1)", show_number(*p)));
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

/// The closest spelling to `wrong` among `candidates`, if close enough to be a likely typo.
pub fn suggest<'a>(wrong: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let w = wrong.to_lowercase();
    if w.chars().count() < 3 {
        // One or two characters are too short to guess from.
        return None;
    }
    let limit = (w.chars().count() / 3).max(2);
    // Fewest edits first; among equals, the most similar by Jaro-Winkler (which favours a
    // shared beginning: `irn` is `iran` rather than `ir`), then alphabetical.
    candidates
        .map(|c| {
            let lc = c.to_lowercase();
            let jw = strsim::jaro_winkler(&w, &lc);
            (
                strsim::levenshtein(&w, &lc),
                std::cmp::Reverse((jw * 1e6) as u64),
                c,
            )
        })
        .filter(|(d, _, _)| *d <= limit)
        .min()
        .map(|(_, _, c)| c)
}

fn show_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{x}")
    }
}
