//! From the file as written to the model: resolve every name, check every value, report every
//! problem at once.
//!
//! Validation never stops at the first problem: an analyst fixing a hand-written file wants the
//! whole list. Problems are [`Diagnostic`]s located by path; warnings (suspicious but legal) do
//! not prevent a [`Case`] from being produced, errors do.
//!
//! One [`Validator`] walks the file; its checks are grouped by section, one module each:
//! [`names`] (ids, names and aliases, and resolving references), [`declarations`] (actors,
//! groups, incidents, sources), [`claims`] (statements and likelihoods), [`graph`] (cycles
//! through `derived_from` and links, dates after `as_of`), [`hypotheses`] (listed hypotheses
//! and exclusive sets), [`coverage`] (what nothing refers to) and [`stix`] (the records of
//! objects that came from STIX).

use crate::date::Date;
use crate::diagnostic::suggest;
use crate::diagnostic::{Code, Diagnostic};
use crate::format::{CaseFile, Likelihood, Relation};
use crate::locate::{field, index};
use crate::model::{
    Case, Claim, ClaimId, Entity, EntityId, EntityKind, ExclusiveSet, FamilyId, Hypothesis,
    Incident, IncidentId, Reliability, Source, SourceId, Statement,
};
use crate::stix::markings::Tlp;
use crate::terms::{self, Grade, IcdTerm};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// The outcome of validation: the case when there were no errors, and every diagnostic found.
#[derive(Debug)]
pub(crate) struct Validated {
    pub case: Option<Case>,
    pub diagnostics: Vec<Diagnostic>,
}

mod claims;
mod coverage;
mod declarations;
mod diags;
mod graph;
mod hypotheses;
mod names;
mod reach;
#[cfg(test)]
pub(crate) use reach::Reach;
mod stix;
mod text;

use claims::{Dating, Resolved};
pub use claims::{likelihood_probability, read_likelihood};
pub(crate) use diags::{fraction_of_percent, likelihood_percent_help};
use graph::Wholes;
use names::{Names, Target};

/// Validates a parsed file and builds the case from it, its text moved out of the file (which
/// is dropped). Never panics, whatever the values.
pub(crate) fn validate(mut file: CaseFile) -> Validated {
    check(&mut file, Text::Moved)
}

/// As [`validate`], leaving the file as it was: the case's text is copied from it.
pub(crate) fn validate_keeping(file: &mut CaseFile) -> Validated {
    check(file, Text::Copied)
}

/// As [`validate`], the case left without its text (ids, names, wordings all empty): for
/// what only counts it.
pub(crate) fn validate_counting(file: &mut CaseFile) -> Validated {
    check(file, Text::Left)
}

/// How the case gets its text from the file ([`text::dress`]).
#[derive(Clone, Copy, PartialEq)]
enum Text {
    /// Moved out of the file.
    Moved,
    /// Copied, the file left as it was.
    Copied,
    /// Not at all: the case is only counted.
    Left,
}

/// Validates, then gives the case its text from the file as `how` says.
fn check(file: &mut CaseFile, how: Text) -> Validated {
    let (case, positions, diagnostics) = check_shape(file);
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    Validated {
        case: (!has_errors).then(|| {
            let mut case = case;
            if how != Text::Left {
                text::dress(&mut case, &positions, file, how == Text::Copied);
            }
            case
        }),
        diagnostics,
    }
}

/// The most restrictive TLP of the case's own (`declared`) and the markings of its STIX
/// records ([`Case::tlp`]).
fn case_tlp(file: &CaseFile, declared: Option<Tlp>) -> Option<&'static str> {
    let marked = file.stix.as_ref().and_then(|stix| {
        let defs = crate::stix::markings::Definitions::new(&stix.markings);
        (stix.objects.values())
            .flat_map(|o| &o.markings)
            .filter_map(|m| crate::stix::markings::tlp_of(m, &defs))
            .max()
    });
    marked.max(declared).map(Tlp::word)
}

/// Every check, and the case they resolve with its text left empty (see [`text`]), with the
/// position in the file of each of its claims.
fn check_shape(file: &CaseFile) -> (Case, Vec<usize>, Vec<Diagnostic>) {
    let mut v = Validator {
        file,
        diags: Vec::new(),
        referenced: Referenced {
            entities: vec![false; file.actors.len() + file.groups.len()],
            incidents: vec![false; file.incidents.len()],
        },
        last_incident: (String::new(), None),
        suggestions: SUGGESTION_BUDGET,
    };
    let (case, positions) = v.run();
    (case, positions, v.diags)
}

struct Validator<'f> {
    file: &'f CaseFile,
    diags: Vec<Diagnostic>,
    /// Everything a claim, link or hypothesis named, including in declarations with other
    /// errors, so that one mistake does not make its neighbours look unreferenced.
    referenced: Referenced,
    /// The last name that resolved to an incident, and the incident: a file lists an
    /// incident's claims one after another, each naming it, and comparing with the last name
    /// costs less than a lookup in a table of every id.
    last_incident: (String, Option<Target>),
    /// How many more candidates [`Validator::near`] may weigh.
    suggestions: usize,
}

/// The candidates weighed for "did you mean" in one validation, all unknown names, sources,
/// origins and STIX records together: each is compared with every id or name of its kind, so
/// a file of thousands of misspelt references to thousands of declarations took minutes
/// (4,000 of each: 45 s). At most about half a second's worth; past it, and for a reference
/// among more candidates than are left, the message gives its other help.
const SUGGESTION_BUDGET: usize = 500_000;

impl Validator<'_> {
    /// [`suggest`] among `count` candidates, while [`SUGGESTION_BUDGET`] lasts.
    fn near<'a>(
        &mut self,
        wrong: &str,
        count: usize,
        candidates: impl Iterator<Item = &'a str>,
    ) -> Option<&'a str> {
        self.suggestions = self.suggestions.checked_sub(count)?;
        suggest(wrong, candidates)
    }
}

/// What was named, by target: a flag per entity and per incident rather than a set, since
/// every claim names two.
struct Referenced {
    entities: Vec<bool>,
    incidents: Vec<bool>,
}

impl Referenced {
    fn insert(&mut self, t: Target) {
        match t {
            Target::Entity(i) => self.entities[i as usize] = true,
            Target::Incident(i) => self.incidents[i as usize] = true,
        }
    }

    fn contains(&self, t: Target) -> bool {
        match t {
            Target::Entity(i) => self.entities[i as usize],
            Target::Incident(i) => self.incidents[i as usize],
        }
    }
}

/// Where a declaration stands in the file (`claims[3]`), made into a path only when a
/// diagnostic names it: a case of 10^6 claims would otherwise format millions of paths to
/// report none.
#[derive(Debug, Clone, Copy)]
struct At {
    list: &'static str,
    i: usize,
}

impl At {
    fn new(list: &'static str, i: usize) -> At {
        At { list, i }
    }

    /// `claims[3]`.
    fn path(self) -> String {
        index(self.list, self.i)
    }

    /// `claims[3].source`.
    fn field(self, name: &str) -> String {
        field(&self.path(), name)
    }
}

impl Validator<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn run(&mut self) -> (Case, Vec<usize>) {
        let f = self.file;
        let as_of = f
            .as_of
            .as_deref()
            .and_then(|d| self.date(d, || "as_of".to_string()));
        let prior = match f.prior {
            None => 0.5,
            Some(p) => self.prior(p, || "prior".into()).unwrap_or(0.5),
        };
        self.nonempty(&f.title, || "title".into(), "title");
        let tlp = f.tlp.as_deref().and_then(|t| self.tlp(t));
        if let Some(id) = &f.id {
            self.nonempty(id, || "id".into(), "id");
        }

        let names = self.entity_names();
        let entities = self.entities(&names);
        let incidents = self.incidents();
        let (sources, families, source_ids) = self.sources();
        let claim_ids = self.claim_ids();
        let dating = Dating {
            as_of,
            incidents: &incidents,
        };
        let resolved = self.claims(&names, (&source_ids, &claim_ids), dating);
        self.claims_before_start(&resolved, &incidents);
        self.claim_cycles(&resolved.restating);
        self.stix_records(&claim_ids);
        drop(claim_ids);
        // Restatements in a circle are reported as one; what each says is judged once the
        // circle is broken.
        if !self.diags.iter().any(|d| d.code == Code::EchoCycle) {
            self.restatements(&resolved, &entities);
        }
        let wholes = self.link_cycles(&entities, &resolved);
        self.upside_down_links(&entities, &resolved);
        self.names_as_links(&resolved);
        let (hypotheses, listed_at) = self.hypotheses(&names);
        let (exclusive, exclusive_at) = self.exclusive_sets(&names);
        let reported = |v: &Self, code: Code| v.diags.iter().any(|d| d.code == code);
        let with_whole =
            self.exclusive_wholes((&exclusive, &exclusive_at), wholes.as_ref(), &entities);
        self.exclusive_priors((&exclusive, &exclusive_at), &with_whole, &hypotheses, prior);
        if !reported(self, Code::LinkCycle) {
            let evidence = (&resolved.claims[..], &exclusive[..]);
            self.part_priors(&hypotheses, &listed_at, &entities, evidence, prior);
        }
        // An unknown name may be the missing reference, and an unknown source the silent one
        // misspelt: only judge what nothing uses when every name resolved, and to one
        // declaration (of two with one id, only the first is ever named).
        if !reported(self, Code::UnknownName) && !reported(self, Code::DuplicateId) {
            self.unreferenced(&entities, &incidents);
        }
        if !reported(self, Code::UnknownSource) {
            self.silent_sources(&source_ids, &resolved);
        }

        let case = Case {
            id: None,
            title: String::new(),
            description: None,
            analyst: None,
            as_of,
            prior,
            entities,
            incidents,
            sources,
            families,
            claims: resolved.claims,
            hypotheses,
            exclusive,
            tlp: case_tlp(self.file, tlp),
        };
        (case, resolved.positions)
    }

    // ---- values -------------------------------------------------------------------------

    fn nonempty(&mut self, value: &str, path: impl FnOnce() -> String, what: &str) -> bool {
        if crate::escape::blank(value) {
            self.push(diags::empty(what, path()));
            false
        } else if matches!(what, "id" | "alias" | "family")
            && !crate::escape::terminal::printable_ascii(value)
            && let Some(c) = crate::escape::first_invisible(value)
        {
            // Ids are written bare in every report and on the command line; names may hold
            // anything (renderers escape them), identifiers only what can be seen and typed.
            self.push(diags::invisible(what, c, path()));
            false
        } else {
            true
        }
    }

    /// W110 for a `url` given that no report makes a link.
    fn linkable(&mut self, url: Option<&str>, path: impl FnOnce() -> String) {
        if let Some(url) = url
            && !url.trim().is_empty()
            && !crate::escape::linkable(url)
        {
            self.push(diags::not_linkable(url, path()));
        }
    }

    /// The case's own TLP level.
    fn tlp(&mut self, text: &str) -> Option<Tlp> {
        let level = Tlp::parse(text);
        if level.is_none() {
            self.push(diags::unknown_tlp(text, "tlp".into()));
        }
        level
    }

    fn date(&mut self, text: &str, path: impl FnOnce() -> String) -> Option<Date> {
        match Date::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(diags::bad_date(text, e.0, path()));
                None
            }
        }
    }

    /// A prior (the case's or a hypothesis's): a probability, and one short of certainty (W113).
    fn prior(&mut self, p: f64, path: impl FnOnce() -> String) -> Option<f64> {
        let path = path();
        let p = self.unit_interval(p, || path.clone(), "prior")?;
        if p == 0.0 || p == 1.0 {
            self.push(diags::certain_prior(p, path));
        }
        Some(p)
    }

    fn unit_interval(&mut self, p: f64, path: impl FnOnce() -> String, what: &str) -> Option<f64> {
        if p.is_finite() && (0.0..=1.0).contains(&p) {
            Some(p)
        } else {
            self.push(diags::not_a_probability(what, p, path()));
            None
        }
    }
}

fn relation_name(r: Relation) -> String {
    format!("{r:?}")
}
