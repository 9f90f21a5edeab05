//! Confidence propagation: from claims to an opinion on every hypothesis "incident I was
//! carried out by X" (model v2, `docs/model.md`).
//!
//! 1. each claim becomes an opinion from its stated likelihood and confidence, discounted by its
//!    source's reliability ([`claim_opinion`], [`Opinion::trust_discount`]);
//! 2. echoes (`derived_from` whose originals, the claims restating nothing at the roots of the
//!    chain, are all present) are set aside;
//! 3. per incident, in evidence form and family by family: direct claims seed the actors they
//!    name; "possibly same as" passes direct support one hop; support flows *up* the links
//!    (parts before wholes); competing exclusive hypotheses add their support as opposition;
//!    opposition flows *down* the links (wholes before parts). Declared `part_of` passes every
//!    family's share unchanged; a claimed link discounts it by the link's belief;
//! 4. at every actor, each dependence family counts once (its strongest share), and families
//!    add up (cumulative fusion).
//!
//! Every incident is propagated on its own, so the work is linear in the claims and links an
//! incident touches, and a what-if (a claim or source removed) recomputes one incident only.

use crate::date::Date;
use crate::format::Likelihood;
use crate::ids;
use crate::model::{
    Case, Claim, ClaimId, EntityId, FamilyId, IncidentId, Reliability, SourceId, Statement,
};
use crate::opinion::{Opinion, W};
use crate::terms::Confidence;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

mod incremental;
pub(crate) use incremental::{ClaimIndex, Incremental, RestatedBelow, Verdict};

/// A claim's own opinion (model §2): the uncertainty-maximised opinion with projected
/// probability `p`, at least as uncertain as the stated confidence allows:
/// `u = max(2·min(p, 1 − p), u_c)`; support `(1 − u, 0, u)` when `p ≥ 0.5`, else doubt
/// `(0, 1 − u, u)`.
pub(crate) fn claim_opinion(p: f64, confidence: Option<Confidence>) -> Opinion {
    let p = p.clamp(0.01, 0.99);
    let u_c = confidence.unwrap_or(Confidence::Moderate).min_uncertainty();
    let u = crate::terms::term_spread(p).max(u_c).min(1.0);
    if p >= 0.5 {
        Opinion::from_evidence(W * (1.0 - u) / u, 0.0, 0.5)
    } else {
        Opinion::from_evidence(0.0, W * (1.0 - u) / u, 0.5)
    }
}

/// The trust opinion a reliability stands for (model §3), base rate 0.5.
pub(crate) fn trust_opinion(reliability: Reliability) -> Opinion {
    let (r, s) = reliability.evidence();
    Opinion::from_evidence(r, s, 0.5)
}

/// What-if changes to a case: removed claims and sources, re-graded sources, claims read at
/// another likelihood or confidence, a cut-off date, a different prior. The default changes
/// nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    /// Claims set aside.
    pub without_claims: BTreeSet<ClaimId>,
    /// Sources set aside, with every claim they made.
    pub without_sources: BTreeSet<SourceId>,
    /// Lines of evidence set aside: every claim of their sources, and what restates those
    /// claims carries nothing in their stead. A restatement of a claim of such a line is an
    /// echo of it, not a stand-in (model §6): the line's evidence is what is set aside,
    /// however often it was repeated.
    pub without_families: BTreeSet<FamilyId>,
    /// Sources re-graded: the reliability used instead of the one in the case.
    pub grades: BTreeMap<SourceId, Reliability>,
    /// Claims read as if their source had used other words ("what if Kaspersky meant
    /// *likely*?"): the likelihood as restated and the probability it is read as (`None`: it
    /// forms none, like Admiralty credibility 6).
    pub restated: BTreeMap<ClaimId, (Likelihood, Option<f64>)>,
    /// Claims read at another stated confidence.
    pub confidences: BTreeMap<ClaimId, Confidence>,
    /// Only claims known to have been made by this date count; undated claims do not.
    pub as_of: Option<Date>,
    /// Base rate of every hypothesis, instead of the case's and the listed priors.
    pub prior: Option<f64>,
}

/// `Ok` when position `index` is one of the `len` of this case's list of `what`; else, in
/// words, that it is not (an id of another case): for [`Scenario::check`] and
/// `Request::check`.
pub(crate) fn in_range(what: &str, index: usize, len: usize) -> Result<(), String> {
    match index < len {
        true => Ok(()),
        false => Err(format!(
            "{what} #{index} is not in this case, which has {len}"
        )),
    }
}

/// Why a scenario leaves a claim out ([`Scenario::aside`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aside {
    /// The claim is set aside (`--without CLAIM`).
    Claim,
    /// Its source is (`--without SOURCE`).
    Source,
    /// Its line of evidence is (`--without FAMILY`).
    Line,
    /// Undated, under a cut: only claims known to have been made by then count.
    Undated {
        /// The scenario's `as_of`.
        cut: Date,
    },
    /// Dated by a month or a year the cut falls within: it may have been made after.
    MaybeAfter {
        /// The claim's date.
        date: Date,
        /// The scenario's `as_of`.
        cut: Date,
    },
    /// Made after the cut.
    After {
        /// The claim's date.
        date: Date,
        /// The scenario's `as_of`.
        cut: Date,
    },
}

impl Scenario {
    /// Whether the scenario changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Scenario::default()
    }

    /// Whether the scenario can apply to `case`: every id is one of its claims, sources and
    /// lines of evidence, the prior and every restated probability is a probability, a
    /// restated likelihood is read as the probability given with it
    /// ([`crate::likelihood_probability`]), and a track record given as a grade counts reports
    /// as a file's does (0 to 1,000,000 each). The first problem found, in words.
    ///
    /// An id of another case is caught only where it is out of this case's range: ids are
    /// positions.
    pub fn check(&self, case: &Case) -> Result<(), String> {
        let probability = |what: &str, p: f64| match p.is_finite() && (0.0..=1.0).contains(&p) {
            true => Ok(()),
            false => Err(format!("{what} {p} is not a probability from 0 to 1")),
        };
        let claims = case.claims.len();
        for c in self.without_claims.iter().chain(self.confidences.keys()) {
            in_range("claim", c.index(), claims)?;
        }
        for s in self.without_sources.iter().chain(self.grades.keys()) {
            in_range("source", s.index(), case.sources.len())?;
        }
        for f in &self.without_families {
            in_range("line of evidence", f.index(), case.families.len())?;
        }
        for (c, (likelihood, p)) in &self.restated {
            in_range("claim", c.index(), claims)?;
            if let Some(p) = *p {
                probability("the restated probability", p)?;
            }
            let read = crate::likelihood_probability(likelihood)?;
            if read != *p {
                return Err(format!(
                    "{likelihood:?} is read as {read:?}, and the probability given with it is \
                     {p:?}"
                ));
            }
        }
        for r in self.grades.values() {
            if let Reliability::TrackRecord { valid, invalid } = *r
                && ![valid, invalid].iter().all(|n| (0.0..=1e6).contains(n))
            {
                return Err(format!(
                    "track record ({valid}, {invalid}) is not a number of reports from 0 to \
                     1,000,000 each"
                ));
            }
        }
        if let Some(p) = self.prior {
            probability("the prior", p)?;
        }
        Ok(())
    }

    /// Whether claim `id` is in the case under the scenario: not set aside (by itself, its
    /// source or its line of evidence) and, under `as_of`, made by then.
    #[inline]
    pub fn admits(&self, case: &Case, id: ClaimId) -> bool {
        self.aside(case, id).is_none()
    }

    /// Why claim `id` is not in the case under the scenario, if it is not ([`Scenario::admits`]):
    /// the one statement of the rule, for the engine and for what a command says of a claim.
    #[inline]
    pub fn aside(&self, case: &Case, id: ClaimId) -> Option<Aside> {
        let c = case.claim(id);
        if self.without_claims.contains(&id) {
            return Some(Aside::Claim);
        }
        if self.without_sources.contains(&c.source) {
            return Some(Aside::Source);
        }
        if let Some(cut) = self.as_of {
            match c.date {
                None => return Some(Aside::Undated { cut }),
                // A month or a year that the cut falls within: it may have been made after.
                Some(d) if d.latest_day() > cut.latest_day() => {
                    return Some(if d.earliest_day() <= cut.latest_day() {
                        Aside::MaybeAfter { date: d, cut }
                    } else {
                        Aside::After { date: d, cut }
                    });
                }
                Some(_) => {}
            }
        }
        self.line_aside(case, id).then_some(Aside::Line)
    }

    /// Whether claim `id` goes with its line of evidence (`--without FAMILY`).
    pub fn line_aside(&self, case: &Case, id: ClaimId) -> bool {
        self.without_families
            .contains(&case.source(case.claim(id).source).family)
    }

    /// Whether claim `id` restates claims that stand under the scenario, or went with their
    /// line of evidence: an echo, set aside whatever it says (model §6), so re-reading it
    /// changes nothing.
    pub fn is_echo(&self, case: &Case, id: ClaimId) -> bool {
        !case.claim(id).derived_from.is_empty()
            && case
                .missing_roots(id, |o| self.admits(case, o) || self.line_aside(case, o))
                .is_empty()
    }

    /// The probability a claim is read as under the scenario: restated, or as stated.
    pub fn probability(&self, id: ClaimId, claim: &Claim) -> Option<f64> {
        match self.restated.get(&id) {
            Some((_, p)) => *p,
            None => claim.probability(),
        }
    }

    /// The confidence a claim is read at under the scenario: restated, or as stated (`None`:
    /// unstated, read as moderate).
    pub fn confidence(&self, id: ClaimId, claim: &Claim) -> Option<Confidence> {
        self.confidences.get(&id).copied().or(claim.confidence)
    }
}

/// One item set aside for a sensitivity run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Removal {
    /// One claim.
    Claim(ClaimId),
    /// A source and every claim it made.
    Source(SourceId),
    /// A line of evidence (a dependence family) as `--without FAMILY` sets it aside: every
    /// claim of its sources, and with them whatever restates them (a restatement stands in
    /// for a claim removed alone, not for a line set aside).
    Family(FamilyId),
}

/// Where a contribution comes from (model §5): evidence for an actor flows up from its parts,
/// evidence against it flows down from its wholes and across from its competitors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A claim on the hypothesis itself.
    Direct(ClaimId),
    /// `from`'s direct support passed across a "possibly same as" pair.
    SameAs {
        /// The actor on the other side of the pair.
        from: EntityId,
        /// Index of the pair in [`crate::assess::Assessment::pairs`].
        pair: usize,
    },
    /// `from`'s support carried up a responsibility link (`from` is a part).
    Chain {
        /// The part the support comes from.
        from: EntityId,
        /// Index of the link in [`crate::assess::Assessment::links`].
        link: usize,
    },
    /// `from`'s support as opposition: it is a competing, mutually exclusive hypothesis.
    Competing {
        /// The competing hypothesis.
        from: EntityId,
    },
    /// `from`'s opposition carried down a responsibility link (`from` is a whole).
    Inherited {
        /// The whole the opposition comes from.
        from: EntityId,
        /// Index of the link in [`crate::assess::Assessment::links`].
        link: usize,
    },
}

impl Origin {
    /// The kind of origin as a word, for reports and the JSON file.
    pub fn kind(self) -> &'static str {
        match self {
            Origin::Direct(_) => "direct",
            Origin::SameAs { .. } => "same_as",
            Origin::Chain { .. } => "chain",
            Origin::Competing { .. } => "competing",
            Origin::Inherited { .. } => "inherited",
        }
    }

    /// The other actor this origin comes from, if any.
    pub fn from(self) -> Option<EntityId> {
        match self {
            Origin::Direct(_) => None,
            Origin::SameAs { from, .. }
            | Origin::Chain { from, .. }
            | Origin::Competing { from }
            | Origin::Inherited { from, .. } => Some(from),
        }
    }
}

/// One family's share of a contribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    /// The family the share belongs to.
    pub family: FamilyId,
    /// Supporting evidence in this family.
    pub r: f64,
    /// Opposing evidence in this family.
    pub s: f64,
    /// Rests on a claim by a source rated B or better.
    pub strong: bool,
}

/// One piece of evidence on a hypothesis, split into the families it rests on. Its opinion is
/// not stored beside its evidence but read through [`Contribution::opinion`].
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// Where the contribution comes from.
    pub origin: Origin,
    /// Supporting evidence: a direct claim's, or the sum of the shares' `r`. (A direct claim's
    /// shares are its evidence divided among its families, whose sum need not give back the
    /// last bit of `r`: `r` and `s` are the primary values, the shares split them.)
    pub r: f64,
    /// Opposing evidence: a direct claim's, or the sum of the shares' `s`.
    pub s: f64,
    /// Its split by dependence family, in the canonical family order.
    pub shares: Vec<Share>,
}

impl Contribution {
    /// The contribution as an opinion. A direct claim's is its discounted opinion as it weighed
    /// (`claims`, indexed by [`ClaimId`]: [`crate::assess::Assessment::claims`]), which its `r`
    /// and `s` were computed from (going back through `r` and `s` would not give the same
    /// bits, nor the claim's base rate); any other is the opinion of its evidence, base rate ½.
    pub fn opinion(&self, claims: &[ClaimWeight]) -> Opinion {
        match self.origin {
            Origin::Direct(c) => claims[c.0 as usize].opinion,
            _ => Opinion::from_evidence(self.r, self.s, 0.5),
        }
    }
}

/// What each actor has received during a propagation, in the order it arrived.
type Received = BTreeMap<EntityId, Vec<Contribution>>;

/// A family's counted evidence on one hypothesis: the maximum share it received, supporting
/// and opposing separately, and which contribution gave each maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// The dependence family.
    pub family: FamilyId,
    /// Supporting evidence counted for the family: its largest supporting share.
    pub r: f64,
    /// Opposing evidence counted for the family: its largest opposing share.
    pub s: f64,
    /// Some supporting share of this family rests on a source rated B or better.
    pub strong_for: bool,
    /// Some opposing share of this family rests on a source rated B or better.
    pub strong_against: bool,
    /// Index in [`Fused::contributions`] of the first contribution that gave `r`.
    pub for_from: Option<usize>,
    /// Index in [`Fused::contributions`] of the first contribution that gave `s`.
    pub against_from: Option<usize>,
}

impl Line {
    /// A family's line before any share is taken into it.
    pub(crate) fn empty(family: FamilyId) -> Line {
        Line {
            family,
            r: 0.0,
            s: 0.0,
            strong_for: false,
            strong_against: false,
            for_from: None,
            against_from: None,
        }
    }

    /// Takes a share of the line's family into it: each side keeps its largest share and
    /// whether any share on that side is strong. `from`, the index of the share's contribution,
    /// is recorded where the share becomes the largest (left out where nothing reads it).
    pub(crate) fn take(&mut self, sh: &Share, from: Option<usize>) {
        if sh.r > 0.0 {
            self.strong_for |= sh.strong;
            if sh.r > self.r {
                self.r = sh.r;
                self.for_from = from;
            }
        }
        if sh.s > 0.0 {
            self.strong_against |= sh.strong;
            if sh.s > self.s {
                self.s = sh.s;
                self.against_from = from;
            }
        }
    }

    /// A strong line (model §7): a share in the direction it counts rests on a B-or-better
    /// source.
    pub fn strong(&self) -> bool {
        (self.r > 0.0 && self.strong_for) || (self.s > 0.0 && self.strong_against)
    }
}

/// The fused evidence on responsible(I, X).
#[derive(Debug, Clone, PartialEq)]
pub struct Fused {
    /// Supporting evidence: the sum of the lines' `r`.
    pub r: f64,
    /// Opposing evidence: the sum of the lines' `s`.
    pub s: f64,
    /// In the canonical order of family names.
    pub lines: Vec<Line>,
    /// In a canonical order: direct claims by id, then the other origins by kind and actor id.
    pub contributions: Vec<Contribution>,
    /// The places in `contributions` of those with opposing evidence, ascending: what a walk
    /// down from a whole to its parts follows ([`Follow::Against`]). A whole with thousands of
    /// parts has a contribution from each, which a walk from every part would otherwise look
    /// at in turn. Made by [`fuse`] with the contributions; a walk checks each place again, so
    /// contributions changed afterwards are at worst missed, never misread.
    opposing: Box<[u32]>,
}

impl Fused {
    /// The line of `family`, if the actor has one. Lines are in the order of family names,
    /// which is the order of their ids in a case validation numbered (it numbers families in
    /// name order), so the line is searched for by halves; a case numbered otherwise is still
    /// answered, by a scan when the search misses. A walk down a chain asks at every step, and
    /// a whole can have thousands of lines.
    pub fn line(&self, family: FamilyId) -> Option<&Line> {
        match self.lines.binary_search_by_key(&family, |l| l.family) {
            Ok(i) => Some(&self.lines[i]),
            Err(_) => self.lines.iter().find(|l| l.family == family),
        }
    }

    /// The contributions a walk reaching this actor `follow`'s way goes on from, in order.
    fn followed(&self, follow: Follow) -> impl Iterator<Item = &Contribution> {
        let (all, opposing): (&[Contribution], &[u32]) = match follow {
            Follow::Against => (&[], &self.opposing),
            Follow::Both | Follow::For => (&self.contributions, &[]),
        };
        (all.iter()
            .chain((opposing.iter()).filter_map(|&i| self.contributions.get(i as usize))))
        .filter(move |c| follow.takes(c))
    }
}

/// How every hypothesis on one incident was derived: for each actor or group that received any
/// evidence, its fused evidence, its lines and every contribution with its origin (a claim, a
/// chain up a link, a pair, a competitor, inherited opposition). A chain from X includes X's
/// own derivation, so an incident's hypotheses share one map rather than each holding a copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Derivation {
    /// The incident propagated.
    pub incident: IncidentId,
    /// Every actor or group with any contribution.
    pub fused: BTreeMap<EntityId, Fused>,
    /// Claims on this incident set aside as echoes of claims present.
    pub echoes: Vec<ClaimId>,
    /// Claims on this incident that form no likelihood (Admiralty 6).
    pub inert: Vec<ClaimId>,
}

/// A responsibility link between two entities: the claims on it, or a structural declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The part (the actor a chain starts from).
    pub from: EntityId,
    /// The whole it is linked up to.
    pub to: EntityId,
    /// The claims that assert the link (empty for a declared `part_of`).
    pub claims: Vec<ClaimId>,
    /// Declared by `part_of` (certain) rather than claimed.
    pub structural: bool,
}

/// A "possibly same as" pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// One side of the pair.
    pub a: EntityId,
    /// The other side.
    pub b: EntityId,
    /// The claims that assert the pair.
    pub claims: Vec<ClaimId>,
}

/// What a link or pair would carry to an actor from the actor at its other end (model §5):
/// the support of a part up to its whole, the opposition of a whole down to its part, the
/// support of the direct claims on one of a pair across to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carries {
    Support,
    Opposition,
    Direct,
}

/// A claim as the engine uses it under a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClaimWeight {
    /// The source's reliability under the scenario (a re-grade applied).
    pub reliability: Reliability,
    /// The claim's own opinion, before discounting by trust in its source (model §2), from its
    /// probability (0.5 when it forms none) and stated confidence.
    pub stated: Opinion,
    /// Trust in the source under the scenario (model §3).
    pub trust: Opinion,
    /// Discounted opinion (vacuous when the claim forms no likelihood).
    pub opinion: Opinion,
    /// Supporting evidence of the discounted opinion.
    pub r: f64,
    /// Opposing evidence of the discounted opinion.
    pub s: f64,
    /// The dependence family of the claim's source.
    pub family: FamilyId,
    /// The source is rated B or better under the scenario.
    pub strong: bool,
    /// In the scenario: not set aside, and made by `as_of` when one is given.
    pub in_scenario: bool,
    /// Its source's line of evidence is set aside ([`Scenario::without_families`]): it is not
    /// in the scenario, yet a restatement of it is an echo of it rather than standing in.
    pub line_aside: bool,
    /// In the scenario and forming a likelihood.
    pub usable: bool,
}

impl ClaimWeight {
    /// Whether the claim weighs against what it states (a denial, or a link held unlikely):
    /// its opposing evidence outweighs its supporting evidence.
    pub fn denies(&self) -> bool {
        self.s > self.r
    }

    /// Whether a restatement of this claim is an echo of it, as far as it goes (model §6):
    /// the claim is present (in the scenario and not `removed` for a sensitivity row), or its
    /// line of evidence is set aside, and with it whatever repeats it. Otherwise the
    /// restatement stands in for it. Every place that tells echoes from stand-ins asks this.
    pub fn echoed(&self, removed: bool) -> bool {
        self.line_aside || (self.in_scenario && !removed)
    }
}

/// The case indexed for propagation under one scenario.
pub(crate) struct Engine<'c> {
    pub(crate) case: &'c Case,
    pub(crate) scenario: Scenario,
    /// Owned when the engine weighed the claims itself, borrowed from an assessment that did
    /// (see [`Engine::over`]).
    pub(crate) weights: Cow<'c, [ClaimWeight]>,
    pub(crate) links: Cow<'c, [Link]>,
    pub(crate) pairs: Cow<'c, [Pair]>,
    pub(crate) out_links: Vec<Vec<usize>>,
    /// For each entity, the links that point up to it (the reverse of `out_links`).
    in_links: Vec<Vec<usize>>,
    pairs_of: Vec<Vec<usize>>,
    rank: Vec<u32>,
    by_incident: Vec<Vec<ClaimId>>,
    /// Indices into `case.exclusive` of each incident's exclusive sets.
    exclusive_of: Vec<Vec<usize>>,
    /// Indices into `case.hypotheses` of each incident's listed hypotheses, in file order, so
    /// that a case listing thousands of them is not scanned whole for every judgement.
    hypotheses_of: Vec<Vec<usize>>,
    /// The prior of each listed hypothesis that has one, by incident and actor (the first
    /// listed), read for each judgement: scanning the incident's list made an incident listing
    /// thousands of hypotheses quadratic.
    listed_priors: HashMap<(IncidentId, EntityId), f64>,
    /// Rank of each family in the order of family names, so that sums over families are taken
    /// in an order that does not depend on the order of the file.
    family_rank: Vec<u32>,
    /// Belief in each link under the scenario (1 for a declared `part_of`, 0 when no usable
    /// claim supports it).
    pub(crate) link_beliefs: Vec<f64>,
    pub(crate) pair_beliefs: Vec<f64>,
    /// Each restatement's originals, when the case is not too tangled to index them.
    originals: Option<crate::model::Originals>,
    /// The missing members of long lists of originals under the removals last asked about.
    missing_memo: std::cell::RefCell<MissingMemo>,
}

/// A list of originals at least this long has its missing members remembered
/// ([`MissingMemo`]); a shorter one is read again each time, which costs less than a lookup.
/// Every list under test, so that the properties comparing the index with the walk
/// (`Engine::walking`) put the memo to work on the shapes they generate.
const MEMO_FROM: usize = if cfg!(test) { 1 } else { 16 };

/// The missing members of each long list of originals in the index, under one set of
/// removals. Many restatements of one summary share its list (§6), and every replay of a
/// sensitivity run asks of each of them whether the originals are all present: read once per
/// list and replay instead of once per restatement, a summary of `n` originals restated `m`
/// times costs `n + m` a replay, not `n × m`. The engine's weights never change, so the
/// answer depends on the removals alone; a question under other removals starts afresh.
#[derive(Debug, Default)]
struct MissingMemo {
    removed: Vec<Removal>,
    /// By where the list starts in the index (a shared list starts where its owner's does).
    lists: HashMap<u32, Vec<ClaimId>>,
    /// Without an index: the missing originals of each restatement that another restates,
    /// found once under these removals ([`Engine::missing_walked`]). A restatement of one
    /// restatement shares its list.
    walked: HashMap<ClaimId, std::rc::Rc<[ClaimId]>>,
}

impl MissingMemo {
    /// The memo, emptied first when it was filled under other removals.
    fn under(&mut self, removed: &[Removal]) -> &mut MissingMemo {
        if self.removed != removed {
            self.removed.clear();
            self.removed.extend_from_slice(removed);
            self.lists.clear();
            self.walked.clear();
        }
        self
    }
}

impl<'c> Engine<'c> {
    pub(crate) fn new(case: &'c Case, scenario: Scenario) -> Engine<'c> {
        let weights = claim_weights(case, &scenario);
        let (links, pairs) = links_and_pairs(case, |c| weights[c.0 as usize].in_scenario);
        Engine::with(
            case,
            scenario,
            Cow::Owned(weights),
            Cow::Owned(links),
            Cow::Owned(pairs),
        )
    }

    /// The engine an assessment was made with, rebuilt over the claims, links and pairs the
    /// assessment holds (so that they are neither weighed nor sorted again): what assesses the
    /// incidents of a streamed assessment as a renderer reaches them.
    pub(crate) fn over(
        case: &'c Case,
        scenario: Scenario,
        weights: &'c [ClaimWeight],
        links: &'c [Link],
        pairs: &'c [Pair],
    ) -> Engine<'c> {
        Engine::with(
            case,
            scenario,
            Cow::Borrowed(weights),
            Cow::Borrowed(links),
            Cow::Borrowed(pairs),
        )
    }

    fn with(
        case: &'c Case,
        scenario: Scenario,
        weights: Cow<'c, [ClaimWeight]>,
        links: Cow<'c, [Link]>,
        pairs: Cow<'c, [Pair]>,
    ) -> Engine<'c> {
        let n = case.entities.len();
        let by_incident = claims_by_incident(case);
        let mut out_links = vec![Vec::new(); n];
        let mut in_links = vec![Vec::new(); n];
        for (k, l) in links.iter().enumerate() {
            out_links[l.from.0 as usize].push(k);
            in_links[l.to.0 as usize].push(k);
        }
        let mut pairs_of = vec![Vec::new(); n];
        for (k, p) in pairs.iter().enumerate() {
            pairs_of[p.a.0 as usize].push(k);
            pairs_of[p.b.0 as usize].push(k);
        }
        let mut exclusive_of = vec![Vec::new(); case.incidents.len()];
        for (k, set) in case.exclusive.iter().enumerate() {
            exclusive_of[set.incident.0 as usize].push(k);
        }
        let mut hypotheses_of = vec![Vec::new(); case.incidents.len()];
        let mut listed_priors = HashMap::default();
        for (k, h) in case.hypotheses.iter().enumerate() {
            hypotheses_of[h.incident.0 as usize].push(k);
            if let Some(p) = h.prior {
                listed_priors.entry((h.incident, h.actor)).or_insert(p);
            }
        }
        let rank = topological_rank(n, &links);
        let mut engine = Engine {
            case,
            scenario,
            weights,
            links,
            pairs,
            out_links,
            in_links,
            pairs_of,
            rank,
            by_incident,
            exclusive_of,
            hypotheses_of,
            listed_priors,
            family_rank: family_rank(case),
            link_beliefs: Vec::new(),
            pair_beliefs: Vec::new(),
            originals: case.originals(),
            missing_memo: Default::default(),
        };
        engine.link_beliefs = (0..engine.links.len())
            .map(|k| engine.link_belief(k, &[]))
            .collect();
        engine.pair_beliefs = (0..engine.pairs.len())
            .map(|k| engine.claims_belief(&engine.pairs[k].claims, &[]))
            .collect();
        engine
    }

    /// The same engine walking each chain of restatements instead of reading the index of
    /// originals, as it does for a case too tangled to index: the two must agree.
    #[cfg(test)]
    pub(crate) fn walking(mut self) -> Self {
        self.originals = None;
        self
    }

    /// The claimed links and pairs touching `actor` that carry nothing across under the
    /// scenario (their fused belief is 0: no claim holds them above even chance), each with its
    /// claims, the actor at its other end and what they would carry to `actor` if believed.
    pub(crate) fn idle_links(&self, actor: EntityId) -> Vec<(&[ClaimId], EntityId, Carries)> {
        let x = actor.0 as usize;
        let idle = |k: &&usize| !self.links[**k].structural && self.link_beliefs[**k] <= 0.0;
        let up = (self.in_links[x].iter().filter(idle)).map(|&k| {
            (
                self.links[k].claims.as_slice(),
                self.links[k].from,
                Carries::Support,
            )
        });
        let down = (self.out_links[x].iter().filter(idle)).map(|&k| {
            (
                self.links[k].claims.as_slice(),
                self.links[k].to,
                Carries::Opposition,
            )
        });
        let pairs = (self.pairs_of[x].iter())
            .filter(|&&k| self.pair_beliefs[k] <= 0.0)
            .map(|&k| {
                let p = &self.pairs[k];
                let other = if p.a == actor { p.b } else { p.a };
                (p.claims.as_slice(), other, Carries::Direct)
            });
        up.chain(down).chain(pairs).collect()
    }

    /// Whether a claim counts, with `removed` set aside on top of the scenario.
    fn usable(&self, c: ClaimId, removed: &[Removal]) -> bool {
        let w = &self.weights[c.0 as usize];
        w.usable && !is_removed(self.case, c, removed)
    }

    /// Whether a claim is an echo: it restates claims whose evidence is all present (§6
    /// rule 1, with restatements of restatements resolved by [`Case::missing_roots`]).
    pub(crate) fn is_echo(&self, c: ClaimId, removed: &[Removal]) -> bool {
        let origins = &self.case.claim(c).derived_from;
        if origins.is_empty() {
            return false;
        }
        // A long list of originals is read once per set of removals (many claims restating
        // one report of many claims share it), not once per claim.
        if (self.originals.as_ref()).is_some_and(|index| index.of(c).len() >= MEMO_FROM) {
            return self.missing_with(c, removed, <[ClaimId]>::is_empty);
        }
        // As in `missing_roots`: only originals end a chain.
        let original = |o: ClaimId| self.case.claim(o).derived_from.is_empty();
        (origins.iter()).all(|&o| original(o) && self.restated(o, removed))
            || self.missing(c, removed).is_empty()
    }

    /// The original claims at the roots of `c`'s chain of restatements (empty for an
    /// original), from the index when there is one.
    pub(crate) fn originals_of(&self, c: ClaimId) -> std::borrow::Cow<'_, [ClaimId]> {
        self.case.originals_in(self.originals.as_ref(), c)
    }

    /// [`Case::missing_roots`] of `c` with `removed` set aside: the originals a restatement of
    /// which is no echo. Read from the index of originals when there is one, a long list once
    /// per set of removals ([`MissingMemo`]).
    pub(crate) fn missing(&self, c: ClaimId, removed: &[Removal]) -> Vec<ClaimId> {
        self.missing_with(c, removed, <[ClaimId]>::to_vec)
    }

    /// What `read` makes of [`Engine::missing`]'s list, without copying a kept one.
    fn missing_with<R>(
        &self,
        c: ClaimId,
        removed: &[Removal],
        read: impl FnOnce(&[ClaimId]) -> R,
    ) -> R {
        let present = |o: ClaimId| self.restated(o, removed);
        let Some(originals) = &self.originals else {
            return read(&self.missing_walked(c, removed));
        };
        let list = originals.of(c);
        let find = || -> Vec<ClaimId> { list.iter().copied().filter(|&o| !present(o)).collect() };
        if list.len() < MEMO_FROM {
            return read(&find());
        }
        // Held while `find` runs: `restated` reads weights and removals only, never `missing`.
        let mut memo = self.missing_memo.borrow_mut();
        read(
            (memo.under(removed).lists)
                .entry(originals.start(c))
                .or_insert_with(find),
        )
    }

    /// [`Engine::missing`] in a case too tangled to index: each restatement's list is the
    /// union of its own missing originals and the lists of the restatements it restates, each
    /// of those found once under the removals and kept ([`MissingMemo::walked`]). Many
    /// restatements of a few summaries of thousands of originals then cost a summary's
    /// originals once a replay, and each restatement its own origins, where walking every
    /// chain to its roots cost the originals once per restatement. The list asked for is not
    /// kept (only those of restatements restated in turn are read again), nor is a list
    /// copied for a restatement of one restatement.
    fn missing_walked(&self, c: ClaimId, removed: &[Removal]) -> Vec<ClaimId> {
        use std::rc::Rc;
        let case = self.case;
        let restates = |o: ClaimId| !case.claim(o).derived_from.is_empty();
        let mut memo = self.missing_memo.borrow_mut();
        let walked = &mut memo.under(removed).walked;
        // The union of `x`'s missing originals and its restated restatements' lists, all kept.
        let union = |x: ClaimId, walked: &HashMap<ClaimId, Rc<[ClaimId]>>| {
            let mut list: Vec<ClaimId> = Vec::new();
            for &o in &case.claim(x).derived_from {
                if restates(o) {
                    list.extend_from_slice(&walked[&o]);
                } else if !self.restated(o, removed) {
                    list.push(o);
                }
            }
            list.sort_unstable();
            list.dedup();
            list
        };
        // Depth first, each restatement kept after those it restates (validation refuses a
        // circle of restatements, and a claim already kept is not entered again).
        let mut stack: Vec<(ClaimId, bool)> = (case.claim(c).derived_from.iter())
            .filter(|&&o| restates(o))
            .map(|&o| (o, false))
            .collect();
        while let Some((x, entered)) = stack.pop() {
            if walked.contains_key(&x) {
                continue;
            }
            if !entered {
                stack.push((x, true));
                stack.extend(
                    (case.claim(x).derived_from.iter())
                        .filter(|&&o| restates(o) && !walked.contains_key(&o))
                        .map(|&o| (o, false)),
                );
                continue;
            }
            let list = match case.claim(x).derived_from[..] {
                [o] if restates(o) => walked[&o].clone(),
                _ => Rc::from(union(x, walked)),
            };
            walked.insert(x, list);
        }
        union(c, walked)
    }

    /// Whether a restatement of `o` is an echo of it, as far as `o` goes: `o` is present, or
    /// its line of evidence is set aside (and with it whatever repeats it).
    pub(crate) fn restated(&self, o: ClaimId, removed: &[Removal]) -> bool {
        line_removed(self.case, o, removed)
            || self.weights[o.0 as usize].echoed(is_removed(self.case, o, removed))
    }

    /// Whether restatement `c` stands in under the scenario only for claims that state
    /// something else, and so for nothing ([`Engine::standing_in`]).
    pub(crate) fn restates_elsewhere(&self, c: ClaimId) -> bool {
        let said = self.case.claim(c).statement;
        let missing = self.missing(c, &[]);
        !missing.is_empty()
            && (missing.iter()).all(|&o| !said.same_as(self.case.claim(o).statement))
    }

    /// Present in the case under the scenario and removals (whether or not it forms a likelihood).
    fn present(&self, c: ClaimId, removed: &[Removal]) -> bool {
        self.weights[c.0 as usize].in_scenario && !is_removed(self.case, c, removed)
    }

    /// The belief of the fused usable, non-echo claims of one proposition (a link or a pair),
    /// each family counting once (§6). Only the belief is used: a link's claims discount what
    /// crosses it and are no line of evidence of their own.
    fn claims_belief(&self, claims: &[ClaimId], removed: &[Removal]) -> f64 {
        let contributions: Vec<Contribution> = claims
            .iter()
            .filter(|&&c| self.usable(c, removed) && !self.is_echo(c, removed))
            .map(|&c| self.direct(c, removed))
            .collect();
        if contributions.is_empty() {
            return 0.0;
        }
        let f = self.fuse(contributions);
        f.r / (f.r + f.s + W)
    }

    /// `b_L` of a link: 1 for a declared `part_of` (certain, and it overrides claims on the same
    /// pair), else the belief of its fused claims.
    fn link_belief(&self, k: usize, removed: &[Removal]) -> f64 {
        if self.links[k].structural {
            1.0
        } else {
            self.claims_belief(&self.links[k].claims, removed)
        }
    }

    fn cached_link(&self, k: usize, removed: &[Removal]) -> f64 {
        if removed.is_empty() {
            self.link_beliefs[k]
        } else {
            self.link_belief(k, removed)
        }
    }

    fn cached_pair(&self, k: usize, removed: &[Removal]) -> f64 {
        if removed.is_empty() {
            self.pair_beliefs[k]
        } else {
            self.claims_belief(&self.pairs[k].claims, removed)
        }
    }

    /// A claim's own contribution. A restatement whose originals (the claims restating
    /// nothing at the roots of its chain, [`Case::missing_roots`]) are not all present stands
    /// in for the missing ones: it joins *their* lines of evidence, not a new line of its own,
    /// so that losing an original never turns its echo into fresh corroboration. A
    /// contribution resting on `k` families gives each `1/k` of its evidence (§6 rule 3),
    /// counting those on its side, and a stand-in gives a family no more than the originals
    /// it stands in for would (`standing_in`).
    fn direct(&self, c: ClaimId, removed: &[Removal]) -> Contribution {
        let w = &self.weights[c.0 as usize];
        if self.case.claim(c).derived_from.is_empty() {
            return Contribution {
                origin: Origin::Direct(c),
                r: w.r,
                s: w.s,
                shares: vec![Share {
                    family: w.family,
                    r: w.r,
                    s: w.s,
                    strong: w.strong,
                }],
            };
        }
        let shares = self.standing_in(c, removed);
        Contribution {
            origin: Origin::Direct(c),
            r: shares.iter().fold(0.0, |a, sh| a + sh.r),
            s: shares.iter().fold(0.0, |a, sh| a + sh.s),
            shares,
        }
    }

    /// The shares of restatement `c` standing in for its missing originals: `1/k` of its
    /// evidence in each of the `k` families of those on its side (for or against), but in each family no more evidence, for or
    /// against, than the family's strongest original would give present, and strong only
    /// when the original is too. A restatement carries what it restates, through one more
    /// source; it cannot carry more. Were it stronger, adding the original back would lower
    /// P, against monotonicity (§5): a B source's claim restated by an A source with a firmer
    /// word counts as the B source's claim. And only for an original that states what it
    /// states: "Russia did it" restating Microsoft's "Midnight Blizzard did it", with Midnight
    /// Blizzard only *claimed* to be Russia's, would put on Russia, directly, more than
    /// Microsoft's claim carries there through the link, and setting Microsoft's claim aside
    /// would raise P. Even with Midnight Blizzard declared part of Russia, where its support
    /// arrives whole, a direct claim on Russia is not what arrives: a pair carries Russia's
    /// direct claims across, not what came up from a part, and a denial of a part never
    /// reaches its whole. Such a restatement stands in for nothing: its share is held to 0.
    fn standing_in(&self, c: ClaimId, removed: &[Removal]) -> Vec<Share> {
        let w = &self.weights[c.0 as usize];
        let said = self.case.claim(c).statement;
        // Only the origins stating what it states: one saying something else neither takes
        // a share nor dilutes the others' (a `1/k` split counting it would let restoring it,
        // a claim on another actor, raise or lower this one).
        let mut caps: Vec<Share> = self
            .missing(c, removed)
            .iter()
            .filter(|&&o| said.same_as(self.case.claim(o).statement))
            .map(|&o| {
                let (r, s, strong) = self.weight_present(o);
                Share {
                    family: self.weights[o.0 as usize].family,
                    r,
                    s,
                    strong,
                }
            })
            .collect();
        caps.sort_by_key(|sh| sh.family);
        caps.dedup_by(|b, a| {
            let same = a.family == b.family;
            if same {
                a.r = a.r.max(b.r);
                a.s = a.s.max(b.s);
                a.strong |= b.strong;
            }
            same
        });
        // Split among the originals on its side only: one on the other side takes no share
        // (its cap holds it to 0), so counting it would let restoring it, a denial beside a
        // supporting restatement, raise P by undoing the split.
        let on_its_side = |cap: &Share| (w.r > 0.0 && cap.r > 0.0) || (w.s > 0.0 && cap.s > 0.0);
        let k = caps.iter().filter(|cap| on_its_side(cap)).count().max(1) as f64;
        for cap in &mut caps {
            cap.r = (w.r / k).min(cap.r);
            cap.s = (w.s / k).min(cap.s);
            cap.strong &= w.strong;
        }
        caps
    }

    /// The evidence a claim carries present, and whether its source makes a line strong: what
    /// a restatement standing in for it may carry at most. As the scenario reads it, whether
    /// the scenario admits it or sets it aside (`--without` it, or made after `--as-of`): set
    /// aside, it is weighed as the what-if would read it present, re-graded and re-read, so
    /// that under `--grade a=E --without c1` a stand-in for `c1` carries no more than `c1`
    /// carries under `--grade a=E`, as its sensitivity row there says.
    fn weight_present(&self, o: ClaimId) -> (f64, f64, bool) {
        let w = &self.weights[o.0 as usize];
        let strong = w.reliability.is_b_or_better();
        if w.in_scenario {
            return (w.r, w.s, strong);
        }
        // A weight set aside keeps the scenario's reading of it (`stated`, `trust`), and
        // forms an opinion when the scenario reads a likelihood in it.
        let claim = self.case.claim(o);
        let (r, s) = match self.scenario.probability(o, claim) {
            Some(_) => w.stated.trust_discount(&w.trust).evidence(),
            None => (0.0, 0.0),
        };
        (r, s, strong)
    }

    /// The claims made about an incident (responsibility and condemnations), in file order.
    pub(crate) fn incident_claims(&self, incident: IncidentId) -> &[ClaimId] {
        &self.by_incident[incident.0 as usize]
    }

    /// The exclusive sets declared on an incident, as indices into `case.exclusive`.
    pub(crate) fn exclusive_sets(&self, incident: IncidentId) -> &[usize] {
        &self.exclusive_of[incident.0 as usize]
    }

    /// The hypotheses listed on an incident, in file order.
    pub(crate) fn listed_hypotheses(
        &self,
        incident: IncidentId,
    ) -> impl Iterator<Item = &'c crate::model::Hypothesis> + '_ {
        let case = self.case;
        self.hypotheses_of[incident.0 as usize]
            .iter()
            .map(move |&k| &case.hypotheses[k])
    }

    /// The prior the case lists for `actor` on `incident`, if it lists one.
    pub(crate) fn listed_prior(&self, incident: IncidentId, actor: EntityId) -> Option<f64> {
        self.listed_priors.get(&(incident, actor)).copied()
    }

    /// Propagates one incident under the engine's scenario.
    #[cfg(test)]
    pub(crate) fn incident(&self, incident: IncidentId) -> Derivation {
        self.incident_without(incident, &[])
    }

    /// Propagates one incident with `removed` set aside as well (sensitivity analysis).
    pub(crate) fn incident_without(&self, incident: IncidentId, removed: &[Removal]) -> Derivation {
        self.incident_restricted(incident, removed, None)
    }

    #[cfg(test)]
    /// Every entity whose support can reach one of `targets`: the targets, their parts (all
    /// entities linked upward to them, transitively), and the possible aliases of those (one
    /// hop, direct claims only).
    pub(crate) fn upstream(&self, targets: &[EntityId]) -> BTreeSet<EntityId> {
        let mut seen: BTreeSet<EntityId> = BTreeSet::new();
        let mut stack: Vec<EntityId> = targets.to_vec();
        while let Some(x) = stack.pop() {
            if seen.insert(x) {
                stack.extend(
                    self.in_links[x.0 as usize]
                        .iter()
                        .map(|&k| self.links[k].from),
                );
            }
        }
        let partners: Vec<EntityId> = seen
            .iter()
            .flat_map(|x| &self.pairs_of[x.0 as usize])
            .flat_map(|&k| [self.pairs[k].a, self.pairs[k].b])
            .collect();
        seen.extend(partners);
        seen
    }

    #[cfg(test)]
    /// The wholes of an actor: every entity it is linked up to, transitively, with itself.
    pub(crate) fn wholes(&self, actor: EntityId) -> BTreeSet<EntityId> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![actor];
        while let Some(x) = stack.pop() {
            if seen.insert(x) {
                stack.extend(
                    self.out_links[x.0 as usize]
                        .iter()
                        .map(|&k| self.links[k].to),
                );
            }
        }
        seen
    }

    #[cfg(test)]
    /// Every entity whose direct claims can change the judgement on `actor` (§5): what supports
    /// it (its parts and their aliases), what opposes it (its wholes, whose opposition flows
    /// down), and what supports a competitor of it or of one of its wholes (§5b).
    pub(crate) fn relevant(&self, incident: IncidentId, actor: EntityId) -> BTreeSet<EntityId> {
        let wholes = self.wholes(actor);
        let mut targets: Vec<EntityId> = wholes.iter().copied().collect();
        for &k in self.exclusive_sets(incident) {
            let set = &self.case.exclusive[k];
            if set.members.iter().any(|m| wholes.contains(m)) {
                targets.extend(set.members.iter().copied());
            }
        }
        self.upstream(&targets)
    }

    /// Propagates one incident, with `removed` set aside and, when `only` is given, only the
    /// direct claims on those actors (the rest cannot reach the judgement being recomputed:
    /// see [`Engine::relevant`]).
    ///
    /// The passes of model §5: direct claims; "possibly same as" (one hop, direct support
    /// only); support up the link graph (parts before wholes); competing hypotheses (§5b);
    /// opposition down the link graph (wholes before parts). Every pass goes family by
    /// family, and each family keeps its maximum share.
    pub(crate) fn incident_restricted(
        &self,
        incident: IncidentId,
        removed: &[Removal],
        only: Option<&BTreeSet<EntityId>>,
    ) -> Derivation {
        let (mut acc, mut echoes, mut inert) = self.direct_pass(incident, removed, only);
        self.same_as_pass(&mut acc, removed);
        self.upward_pass(&mut acc, removed);
        self.competing_pass(incident, &mut acc);
        self.downward_pass(&mut acc, removed);
        let fused = acc
            .into_iter()
            .map(|(x, mut contributions)| {
                // A canonical order, so that nothing depends on the order of the file.
                contributions.sort_by(|a, b| {
                    let ((ra, ia), (rb, ib)) =
                        (self.origin_key(a.origin), self.origin_key(b.origin));
                    ra.cmp(&rb).then_with(|| ids::cmp(ia, ib))
                });
                (x, self.fuse(contributions))
            })
            .collect();
        let by_id =
            |a: &ClaimId, b: &ClaimId| ids::cmp(&self.case.claim(*a).id, &self.case.claim(*b).id);
        echoes.sort_by(by_id);
        inert.sort_by(by_id);
        Derivation {
            incident,
            fused,
            echoes,
            inert,
        }
    }

    /// The direct claims on the incident's hypotheses (of the actors in `only`, when given),
    /// by actor; and the claims set aside as echoes and as forming no likelihood.
    fn direct_pass(
        &self,
        incident: IncidentId,
        removed: &[Removal],
        only: Option<&BTreeSet<EntityId>>,
    ) -> (Received, Vec<ClaimId>, Vec<ClaimId>) {
        let mut acc: Received = BTreeMap::new();
        let mut echoes = Vec::new();
        let mut inert = Vec::new();
        for &c in &self.by_incident[incident.0 as usize] {
            let Statement::Responsible { actor, .. } = self.case.claim(c).statement else {
                continue;
            };
            if only.is_some_and(|o| !o.contains(&actor)) || !self.present(c, removed) {
                continue;
            }
            if self.is_echo(c, removed) {
                echoes.push(c);
            } else if !self.usable(c, removed) {
                inert.push(c);
            } else {
                acc.entry(actor).or_default().push(self.direct(c, removed));
            }
        }
        (acc, echoes, inert)
    }

    /// "Possibly same as": one hop, from directly claimed actors, before the upward pass.
    fn same_as_pass(&self, acc: &mut Received, removed: &[Removal]) {
        let mut across = Vec::new();
        for (&x, contributions) in acc.iter() {
            if self.pairs_of[x.0 as usize].is_empty() {
                continue;
            }
            let lines = crossing(self.lines(contributions), true);
            for &k in &self.pairs_of[x.0 as usize] {
                let pair = &self.pairs[k];
                let z = if pair.a == x { pair.b } else { pair.a };
                let b_l = self.cached_pair(k, removed);
                if let Some(c) = passed(
                    &lines,
                    b_l,
                    false,
                    true,
                    Origin::SameAs { from: x, pair: k },
                ) {
                    across.push((z, c));
                }
            }
        }
        for (z, c) in across {
            acc.entry(z).or_default().push(c);
        }
    }

    /// Upward, parts before wholes: everything an actor receives arrives before it passes on.
    fn upward_pass(&self, acc: &mut Received, removed: &[Removal]) {
        let mut pending: BTreeSet<(u32, EntityId)> =
            acc.keys().map(|&x| (self.rank[x.0 as usize], x)).collect();
        while let Some((_, x)) = pending.pop_first() {
            if self.out_links[x.0 as usize].is_empty() {
                continue;
            }
            let lines = crossing(self.lines(&acc[&x]), true);
            for &k in &self.out_links[x.0 as usize] {
                let link = &self.links[k];
                let b_l = self.cached_link(k, removed);
                if let Some(c) = passed(
                    &lines,
                    b_l,
                    link.structural,
                    true,
                    Origin::Chain { from: x, link: k },
                ) {
                    acc.entry(link.to).or_default().push(c);
                    pending.insert((self.rank[link.to.0 as usize], link.to));
                }
            }
        }
    }

    /// Competing hypotheses: each competitor's support, as taken after the upward pass, as
    /// opposition to the other members of its exclusive sets.
    fn competing_pass(&self, incident: IncidentId, acc: &mut Received) {
        let mut against = Vec::new();
        // A competitor in two sets with the same member counts once. A set rather than a
        // search of the member's list: an exclusive set of n members gives each n - 1
        // competitors, and a search made that cubic in n.
        let mut met = rustc_hash::FxHashSet::default();
        for &k in self.exclusive_sets(incident) {
            let members = &self.case.exclusive[k].members;
            for &j in members {
                let Some(contributions) = acc.get(&j) else {
                    continue;
                };
                let lines = self.lines(contributions);
                for &i in members.iter().filter(|&&i| i != j) {
                    if !met.insert((i, j)) {
                        continue;
                    }
                    if let Some(c) = passed(&lines, 1.0, true, true, Origin::Competing { from: j })
                    {
                        against.push((i, opposing(c)));
                    }
                }
            }
        }
        for (i, c) in against {
            acc.entry(i).or_default().push(c);
        }
    }

    /// Downward, wholes before parts: an actor's final opposition passes to its parts.
    fn downward_pass(&self, acc: &mut Received, removed: &[Removal]) {
        let mut pending: BTreeSet<(Reverse<u32>, EntityId)> = acc
            .iter()
            .filter(|(x, cs)| {
                !self.in_links[x.0 as usize].is_empty() && cs.iter().any(|c| c.s > 0.0)
            })
            .map(|(&x, _)| (Reverse(self.rank[x.0 as usize]), x))
            .collect();
        while let Some((_, y)) = pending.pop_first() {
            let lines = crossing(self.lines(&acc[&y]), false);
            for &k in &self.in_links[y.0 as usize] {
                let link = &self.links[k];
                let b_l = self.cached_link(k, removed);
                if let Some(c) = passed(
                    &lines,
                    b_l,
                    link.structural,
                    false,
                    Origin::Inherited { from: y, link: k },
                ) {
                    acc.entry(link.from).or_default().push(c);
                    if !self.in_links[link.from.0 as usize].is_empty() {
                        pending.insert((Reverse(self.rank[link.from.0 as usize]), link.from));
                    }
                }
            }
        }
    }

    /// Direct claims by claim id, then the other origins by kind and antecedent id.
    fn origin_key(&self, origin: Origin) -> (u8, &str) {
        let rank = match origin {
            Origin::Direct(c) => return (0, self.case.claim(c).id.as_str()),
            Origin::SameAs { .. } => 1,
            Origin::Chain { .. } => 2,
            Origin::Competing { .. } => 3,
            Origin::Inherited { .. } => 4,
        };
        let from = origin
            .from()
            .expect("only direct claims have no antecedent");
        (rank, self.case.entity(from).id.as_str())
    }

    /// Each family counts once (model §6): see [`fuse`].
    pub(crate) fn fuse(&self, contributions: Vec<Contribution>) -> Fused {
        fuse(contributions, &self.family_rank)
    }

    fn lines(&self, contributions: &[Contribution]) -> Vec<Line> {
        lines_of(contributions, &self.family_rank)
    }

    /// The claims and sources a hypothesis rests on: every claim whose removal can change it.
    /// Its own claims (echoes and weightless ones included, so that their lack of effect is
    /// shown); what supports it (its parts' supporting claims and the links they cross, its
    /// aliases' direct support and the pairs); what opposes it (its wholes' opposing claims and
    /// the links they cross, and everything that supports a competitor).
    #[cfg(test)]
    pub(crate) fn behind(
        &self,
        result: &Derivation,
        actor: EntityId,
    ) -> (Vec<ClaimId>, Vec<SourceId>) {
        behind(self.case, &self.links, &self.pairs, result, actor)
    }
}

/// The claims and sources a hypothesis rests on: every claim whose removal can change it.
/// Its own claims (echoes and weightless ones included, so that their lack of effect is
/// shown); what supports it (its parts' supporting claims and the links they cross, its
/// aliases' direct support and the pairs); what opposes it (its wholes' opposing claims and
/// the links they cross, and everything that supports a competitor). A function of the
/// derivation and the case's links and pairs only, so that renderers can ask it too.
pub(crate) fn behind(
    case: &Case,
    links: &[Link],
    pairs: &[Pair],
    result: &Derivation,
    actor: EntityId,
) -> (Vec<ClaimId>, Vec<SourceId>) {
    let claims: Vec<ClaimId> = bearings(case, links, pairs, result, actor)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let sources: BTreeSet<SourceId> = claims.iter().map(|&c| case.claim(c).source).collect();
    let mut sources: Vec<SourceId> = sources.into_iter().collect();
    sources.sort_by(|a, b| ids::cmp(&case.source(*a).id, &case.source(*b).id));
    (claims, sources)
}

/// Claims and sources in the order of their ids ([`ids::cmp`]), as ranks: sensitivity lists
/// what is behind every hypothesis in that order, and comparing two ranks is one load where
/// comparing two ids reads two strings scattered over the case. Ids are unique, so the order by
/// rank is the order by id.
pub(crate) struct IdOrder {
    claims: Vec<u32>,
    sources: Vec<u32>,
}

impl IdOrder {
    pub(crate) fn new(case: &Case) -> IdOrder {
        fn ranks<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<u32> {
            let mut order: Vec<(&str, u32)> = texts.zip(0..).collect();
            order.sort_unstable_by(|a, b| ids::cmp(a.0, b.0));
            let mut rank = vec![0; order.len()];
            for (r, (_, i)) in order.into_iter().enumerate() {
                rank[i as usize] = r as u32;
            }
            rank
        }
        IdOrder {
            claims: ranks(case.claims.iter().map(|c| c.id.as_str())),
            sources: ranks(case.sources.iter().map(|s| s.id.as_str())),
        }
    }
}

/// [`behind`], ordered by the ranks of `order` (the same order, without reading the ids).
pub(crate) fn behind_in(
    case: &Case,
    links: &[Link],
    pairs: &[Pair],
    result: &Derivation,
    actor: EntityId,
    order: &IdOrder,
) -> (Vec<ClaimId>, Vec<SourceId>) {
    let mut claims: Vec<ClaimId> = bearings_unordered(case, links, pairs, result, actor)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    claims.sort_unstable_by_key(|c| order.claims[c.0 as usize]);
    let mut sources: Vec<SourceId> = claims.iter().map(|&c| case.claim(c).source).collect();
    sources.sort_unstable_by_key(|s| order.sources[s.0 as usize]);
    sources.dedup();
    (claims, sources)
}

/// How a claim behind a hypothesis bears on it: the side of the hypothesis its evidence
/// reaches, whatever it says of its own subject (support for a competitor, or for a whole's
/// competitor, reaches it as opposition).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bearing {
    /// Some of its evidence reaches the hypothesis as support.
    pub supports: bool,
    /// Some of its evidence reaches the hypothesis as opposition.
    pub opposes: bool,
}

/// The claims behind a hypothesis (as [`behind`], in claim-id order) with how each bears on
/// it. A claim of a link or pair bears on the side of the evidence that crosses it.
pub(crate) fn bearings(
    case: &Case,
    links: &[Link],
    pairs: &[Pair],
    result: &Derivation,
    actor: EntityId,
) -> Vec<(ClaimId, Bearing)> {
    let mut claims = bearings_unordered(case, links, pairs, result, actor);
    claims.sort_by(|a, b| ids::cmp(&case.claim(a.0).id, &case.claim(b.0).id));
    claims
}

/// [`bearings`] in claim-index order.
fn bearings_unordered(
    case: &Case,
    links: &[Link],
    pairs: &[Pair],
    result: &Derivation,
    actor: EntityId,
) -> Vec<(ClaimId, Bearing)> {
    // Each claim as it is reached, merged by claim at the end: a tree kept in order as they
    // came took most of the time of listing a large incident's sensitivity rows.
    let mut claims: Vec<(ClaimId, Bearing)> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut stack = vec![(actor, Follow::Both, (false, false))];
    while let Some((x, follow, reach)) = stack.pop() {
        if !seen.insert((x, follow, reach)) {
            continue;
        }
        let Some(f) = result.fused.get(&x) else {
            continue;
        };
        for c in f.followed(follow) {
            // On the hypothesis itself a contribution reaches it on its own side; further
            // on, on the side the path to it started from.
            let reach = match follow {
                Follow::Both => (c.r > 0.0, c.s > 0.0),
                _ => reach,
            };
            let mut mark = |id: ClaimId| {
                let bearing = Bearing {
                    supports: reach.0,
                    opposes: reach.1,
                };
                claims.push((id, bearing));
            };
            match c.origin {
                Origin::Direct(id) => mark(id),
                Origin::SameAs { from, pair } => {
                    pairs[pair].claims.iter().for_each(|&id| mark(id));
                    if let Some(g) = result.fused.get(&from) {
                        for d in &g.contributions {
                            if let Origin::Direct(id) = d.origin
                                && d.r > 0.0
                            {
                                mark(id);
                            }
                        }
                    }
                }
                Origin::Chain { from, link } => {
                    links[link].claims.iter().for_each(|&id| mark(id));
                    stack.push((from, Follow::For, reach));
                }
                Origin::Competing { from } => stack.push((from, Follow::For, reach)),
                Origin::Inherited { from, link } => {
                    links[link].claims.iter().for_each(|&id| mark(id));
                    stack.push((from, Follow::Against, reach));
                }
            }
        }
    }
    claims.extend(silent(case, result, actor).map(|e| (e, Bearing::default())));
    merged_by_claim(claims)
}

/// Which of an actor's contributions lead on to a hypothesis's evidence ([`bearings`],
/// [`routes`]).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Clone, Copy)]
pub(crate) enum Follow {
    /// The hypothesis itself: all of them.
    Both,
    /// A part's or a competitor's: its support.
    For,
    /// A whole's: its opposition.
    Against,
}

impl Follow {
    /// Whether contribution `c` of an actor reached this way leads on.
    fn takes(self, c: &Contribution) -> bool {
        match self {
            Follow::Both => true,
            Follow::For => c.r > 0.0,
            Follow::Against => c.s > 0.0,
        }
    }
}

/// The ways evidence takes to the judgement on `actor` (by the ways [`bearings`] follows), for
/// the reports to name: for each actor and side (`For`: its supporting claims count there,
/// `Against`: its opposing ones), the next actor and side on the widest way, the one whose
/// weakest step carries the most evidence, then the shortest, then the first found (a claim on
/// an intrusion set can oppose a state through an alias of the set, the agency that alias is
/// part of, and that agency's competing with the state). The widest, not the shortest: a claim
/// named as supporting a state through a unit its group is claimed to belong to (the strong
/// way, which the lines of evidence follow) was named as opposing the state's competitor
/// through a weaker direct link, two ways for one claim in one report. Kept by side, since a
/// denial and a claim of responsibility on one actor reach a hypothesis by different ways (a
/// pair carries only the alias's support; a whole passes down only opposition).
pub(crate) fn routes(result: &Derivation, actor: EntityId) -> Routes {
    use std::collections::BinaryHeap;
    let mut next: Routes = HashMap::default();
    let mut expanded = rustc_hash::FxHashSet::default();
    // (width, fewer steps first, found first, node, the node it leads to, leads on): widths
    // are never negative, so their bits order as they do.
    type Way = (
        u64,
        Reverse<usize>,
        Reverse<usize>,
        (EntityId, Follow),
        Option<(EntityId, Follow)>,
        bool,
    );
    let mut heap: BinaryHeap<Way> = BinaryHeap::new();
    let mut found = 0;
    heap.push((
        f64::INFINITY.to_bits(),
        Reverse(0),
        Reverse(0),
        (actor, Follow::Both),
        None,
        true,
    ));
    while let Some((width, Reverse(steps), _, node, via, onward)) = heap.pop() {
        // The judged actor reached again (a competitor's own competitor) leads on, but is the
        // end of every way, and has no next step.
        if let Some(via) = via
            && node.0 != actor
        {
            next.entry(node).or_insert(via);
        }
        if !onward || !expanded.insert(node) {
            continue;
        }
        let (x, follow) = node;
        let Some(f) = result.fused.get(&x) else {
            continue;
        };
        for c in f.followed(follow) {
            let (from, on, onward) = match c.origin {
                Origin::Direct(_) => continue,
                // Only the alias's own supporting claims cross a pair, and nothing beyond it.
                Origin::SameAs { from, .. } => (from, Follow::For, false),
                Origin::Chain { from, .. } | Origin::Competing { from } => {
                    (from, Follow::For, true)
                }
                Origin::Inherited { from, .. } => (from, Follow::Against, true),
            };
            let settled =
                next.contains_key(&(from, on)) && (!onward || expanded.contains(&(from, on)));
            if settled {
                continue;
            }
            found += 1;
            let w = f64::from_bits(width).min(c.r + c.s);
            heap.push((
                w.to_bits(),
                Reverse(steps + 1),
                Reverse(found),
                (from, on),
                Some(node),
                onward,
            ));
        }
    }
    next
}

/// What [`routes`] finds: by (actor, side), the next (actor, side) on the way.
pub(crate) type Routes = HashMap<(EntityId, Follow), (EntityId, Follow)>;

/// Bearings as they were reached, one per claim in claim-index order: each claim's sides
/// merged.
fn merged_by_claim(mut claims: Vec<(ClaimId, Bearing)>) -> Vec<(ClaimId, Bearing)> {
    claims.sort_unstable_by_key(|&(c, _)| c);
    claims.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1.supports |= later.1.supports;
            kept.1.opposes |= later.1.opposes;
        }
        same
    });
    claims
}

/// A hypothesis's own echoes and claims that form no likelihood: behind it, so that their lack
/// of effect is shown, though they carry nothing.
fn silent<'a>(
    case: &'a Case,
    result: &'a Derivation,
    actor: EntityId,
) -> impl Iterator<Item = ClaimId> + 'a {
    result.echoes.iter().chain(&result.inert).copied().filter(move |&e| {
        matches!(case.claim(e).statement, Statement::Responsible { actor: a, .. } if a == actor)
    })
}

/// Every claim as it weighs under the scenario (model §2–§3): the source's reliability in force,
/// the claim's own opinion, discounted by trust; vacuous when set aside, too late for `as_of`
/// or forming no likelihood.
fn claim_weights(case: &Case, scenario: &Scenario) -> Vec<ClaimWeight> {
    case.claims
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let source = case.source(c.source);
            let reliability = scenario
                .grades
                .get(&c.source)
                .copied()
                .unwrap_or(source.reliability);
            let id = ClaimId(i as u32);
            let line_aside = scenario.line_aside(case, id);
            let active = scenario.admits(case, id);
            let probability = scenario.probability(id, c);
            let stated = claim_opinion(probability.unwrap_or(0.5), scenario.confidence(id, c));
            let trust = trust_opinion(reliability);
            match probability {
                Some(_) if active => {
                    let opinion = stated.trust_discount(&trust);
                    let (r, s) = opinion.evidence();
                    ClaimWeight {
                        reliability,
                        stated,
                        trust,
                        opinion,
                        r,
                        s,
                        family: source.family,
                        strong: reliability.is_b_or_better(),
                        in_scenario: true,
                        line_aside: false,
                        usable: true,
                    }
                }
                _ => ClaimWeight {
                    reliability,
                    stated,
                    trust,
                    opinion: Opinion::vacuous(0.5),
                    r: 0.0,
                    s: 0.0,
                    family: source.family,
                    strong: false,
                    in_scenario: active,
                    line_aside,
                    usable: active && probability.is_some(),
                },
            }
        })
        .collect()
}

/// The links (declared `part_of` first, then claimed, one per pair of ends) and "possibly same
/// as" pairs of a case, each with its claims by id, of the claims `in_scenario` admits. A claim
/// the scenario sets aside (made after `--as-of`, `--without`) never weighs, whatever else is
/// removed, so a link or pair it alone asserts is not there under the scenario, and nothing
/// (explain's derivation, the carriers, sensitivity, diagrams) names it as what carried a
/// judgement.
fn links_and_pairs(case: &Case, in_scenario: impl Fn(ClaimId) -> bool) -> (Vec<Link>, Vec<Pair>) {
    // Keyed by their ends.
    let mut link_index: HashMap<(EntityId, EntityId), usize> = HashMap::default();
    let mut links: Vec<Link> = Vec::new();
    for (i, e) in case.entities.iter().enumerate() {
        if let Some(p) = e.part_of {
            let from = EntityId(i as u32);
            link_index.insert((from, p), links.len());
            links.push(Link {
                from,
                to: p,
                claims: Vec::new(),
                structural: true,
            });
        }
    }
    let mut pair_index: HashMap<(EntityId, EntityId), usize> = HashMap::default();
    let mut pairs: Vec<Pair> = Vec::new();
    for (i, c) in case.claims.iter().enumerate() {
        let id = ClaimId(i as u32);
        match c.statement {
            Statement::Responsible { .. } | Statement::Condemns { .. } => {}
            _ if !in_scenario(id) => {}
            Statement::Link { from, to } => {
                let k = *link_index.entry((from, to)).or_insert_with(|| {
                    links.push(Link {
                        from,
                        to,
                        claims: Vec::new(),
                        structural: false,
                    });
                    links.len() - 1
                });
                links[k].claims.push(id);
            }
            Statement::SameAs { a, b } => {
                let key = (a.min(b), a.max(b));
                let k = *pair_index.entry(key).or_insert_with(|| {
                    pairs.push(Pair {
                        a: key.0,
                        b: key.1,
                        claims: Vec::new(),
                    });
                    pairs.len() - 1
                });
                pairs[k].claims.push(id);
            }
        }
    }
    let by_id = |a: &ClaimId, b: &ClaimId| ids::cmp(&case.claim(*a).id, &case.claim(*b).id);
    for l in &mut links {
        l.claims.sort_by(by_id);
    }
    for p in &mut pairs {
        p.claims.sort_by(by_id);
    }
    (links, pairs)
}

/// Every incident's claims (responsibility and condemnations), in file order.
fn claims_by_incident(case: &Case) -> Vec<Vec<ClaimId>> {
    let mut by_incident: Vec<Vec<ClaimId>> = vec![Vec::new(); case.incidents.len()];
    for (i, c) in case.claims.iter().enumerate() {
        if let Statement::Responsible { incident, .. } | Statement::Condemns { incident } =
            c.statement
        {
            by_incident[incident.0 as usize].push(ClaimId(i as u32));
        }
    }
    by_incident
}

/// Rank of each family in the order of family names.
fn family_rank(case: &Case) -> Vec<u32> {
    let mut by_name: Vec<usize> = (0..case.families.len()).collect();
    by_name.sort_by(|a, b| case.families[*a].cmp(&case.families[*b]));
    let mut rank = vec![0u32; case.families.len()];
    for (r, f) in by_name.into_iter().enumerate() {
        rank[f] = r as u32;
    }
    rank
}

/// Each family counts once (model §6): a family keeps the maximum share it received,
/// supporting and opposing separately; families add up, summed in the order `family_rank`
/// gives them (the order of their names), so that no sum depends on the order of the file.
pub(crate) fn fuse(contributions: Vec<Contribution>, family_rank: &[u32]) -> Fused {
    let lines = lines_of(&contributions, family_rank);
    // From +0.0: an empty `sum()` of floats is -0.0, which prints as "-0.000".
    let r = lines.iter().fold(0.0, |a, l| a + l.r);
    let s = lines.iter().fold(0.0, |a, l| a + l.s);
    let opposing = (contributions.iter().enumerate())
        .filter(|(_, c)| Follow::Against.takes(c))
        .map(|(i, _)| i as u32)
        .collect();
    Fused {
        r,
        s,
        lines,
        contributions,
        opposing,
    }
}

/// The lines of evidence of a list of contributions, in `family_rank` order; each line
/// remembers the first contribution that gave its maximum.
fn lines_of(contributions: &[Contribution], family_rank: &[u32]) -> Vec<Line> {
    lines_by(contributions, family_rank)
}

/// [`lines_of`] over any sequence of contributions (the indices in `for_from` and
/// `against_from` count positions in that sequence).
fn lines_by<'a, I>(contributions: I, family_rank: &[u32]) -> Vec<Line>
where
    I: IntoIterator<Item = &'a Contribution>,
    I::IntoIter: Clone,
{
    // Every share with its family's rank and its contribution's index, sorted by rank alone
    // (a stable sort): each line takes its family's shares in the order they came, as a map
    // from rank to line would, without a tree per list. Both vectors are sized before they
    // are filled: grown a push at a time, they were a tenth of an incident's propagation.
    let contributions = contributions.into_iter();
    let n = contributions.clone().map(|c| c.shares.len()).sum();
    let mut shares: Vec<(u32, usize, &Share)> = Vec::with_capacity(n);
    for (i, c) in contributions.enumerate() {
        for sh in c.shares.iter().filter(|sh| sh.r > 0.0 || sh.s > 0.0) {
            shares.push((family_rank[sh.family.0 as usize], i, sh));
        }
    }
    shares.sort_by_key(|&(rank, _, _)| rank);
    let families = match shares.first() {
        None => 0,
        Some(_) => 1 + shares.windows(2).filter(|w| w[0].0 != w[1].0).count(),
    };
    let mut lines: Vec<Line> = Vec::with_capacity(families);
    let mut last = None;
    for (rank, i, sh) in shares {
        if last != Some(rank) {
            lines.push(Line::empty(sh.family));
            last = Some(rank);
        }
        if let Some(line) = lines.last_mut() {
            line.take(sh, Some(i));
        }
    }
    lines
}

pub(crate) fn is_removed(case: &Case, c: ClaimId, removed: &[Removal]) -> bool {
    removed.iter().any(|r| match *r {
        Removal::Claim(id) => id == c,
        Removal::Source(s) => case.claim(c).source == s,
        Removal::Family(f) => case.source(case.claim(c).source).family == f,
    })
}

/// Whether claim `c` goes with a line of evidence `removed` sets aside.
fn line_removed(case: &Case, c: ClaimId, removed: &[Removal]) -> bool {
    removed.iter().any(|r| match *r {
        Removal::Family(f) => case.source(case.claim(c).source).family == f,
        Removal::Claim(_) | Removal::Source(_) => false,
    })
}

/// What one actor passes to another across a link of belief `b_l` (model §5 steps 2 and 4),
/// family by family: its supporting shares (`up`) or its opposing shares. Each family passes
/// on its own, as its own belief (or disbelief) `x_f = e/(e + W)` discounted by `b_l`:
/// `e' = W·x_f·b_l/(1 − x_f·b_l)`. A certain link (`certain`, `b_l = 1`) passes the shares
/// unchanged, without the round trip through floating point. Each share keeps its family and
/// its strong flag; the link's own claims add no family.
fn passed(
    lines: &[Line],
    b_l: f64,
    certain: bool,
    up: bool,
    origin: Origin,
) -> Option<Contribution> {
    if b_l <= 0.0 {
        return None;
    }
    let shares: Vec<Share> = lines
        .iter()
        .filter_map(|l| pass_share(l, b_l, certain, up))
        .collect();
    if shares.is_empty() {
        return None;
    }
    let r: f64 = shares.iter().fold(0.0, |a, s| a + s.r);
    let s: f64 = shares.iter().fold(0.0, |a, s| a + s.s);
    Some(Contribution {
        origin,
        r,
        s,
        shares,
    })
}

/// `lines` without those that have no evidence on the side that crosses a link (`up`:
/// support), which [`passed`] would skip: an actor passes its lines along each of its links,
/// and a whole with thousands of parts, each with its own line of support, would otherwise
/// look at every one of them for each part it passes its opposition down to.
fn crossing(mut lines: Vec<Line>, up: bool) -> Vec<Line> {
    lines.retain(|l| {
        let e = if up { l.r } else { l.s };
        e > 0.0 || e.is_nan()
    });
    lines
}

/// One family's share of what [`passed`] passes on: what crosses depends on that family's
/// line alone, which is what lets sensitivity re-take only the families a removal changed.
/// `None` when the family passes nothing (no evidence on that side, or a link of no belief).
fn pass_share(l: &Line, b_l: f64, certain: bool, up: bool) -> Option<Share> {
    if b_l <= 0.0 {
        return None;
    }
    let (e, strong) = if up {
        (l.r, l.strong_for)
    } else {
        (l.s, l.strong_against)
    };
    if e <= 0.0 {
        return None;
    }
    let e = if certain {
        e
    } else {
        let x = e / (e + W) * b_l;
        W * x / (1.0 - x)
    };
    (e > 0.0 && e.is_finite()).then_some(Share {
        family: l.family,
        r: if up { e } else { 0.0 },
        s: if up { 0.0 } else { e },
        strong,
    })
}

/// A competitor's support turned into opposition (model §5b): the same shares, per family.
fn opposing(mut c: Contribution) -> Contribution {
    for sh in &mut c.shares {
        *sh = opposing_share(*sh);
    }
    (c.r, c.s) = (0.0, c.r);
    c
}

/// One share of [`opposing`]: its support as opposition.
fn opposing_share(sh: Share) -> Share {
    Share {
        r: 0.0,
        s: sh.r,
        ..sh
    }
}

/// Ranks actors so that every link goes from a lower rank to a higher one: the strongly
/// connected components of the link graph in topological order (petgraph's `kosaraju_scc`
/// yields them in reverse topological order; its depth-first searches keep their own stack,
/// where `tarjan_scc` recurses, so a chain of 200,000 links overflowed the thread's stack).
/// Validation rejects cycles; should one slip through, its members get consecutive ranks
/// rather than making propagation loop.
fn topological_rank(n: usize, links: &[Link]) -> Vec<u32> {
    let mut graph = DiGraph::<(), ()>::with_capacity(n, links.len());
    for _ in 0..n {
        graph.add_node(());
    }
    for l in links {
        graph.add_edge(
            NodeIndex::new(l.from.0 as usize),
            NodeIndex::new(l.to.0 as usize),
            (),
        );
    }
    let mut rank = vec![0u32; n];
    for (r, node) in kosaraju_scc(&graph).into_iter().rev().flatten().enumerate() {
        rank[node.index()] = r as u32;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::opinion::tests::close;

    /// A claim reached on several paths bears on every side one of them reached, whatever
    /// order they were reached in; each claim once, in claim order.
    #[test]
    fn bearings_reached_twice_are_merged() {
        let b = |supports, opposes| Bearing { supports, opposes };
        let reached = [
            (ClaimId(1), b(true, false)),
            (ClaimId(0), b(false, false)),
            (ClaimId(1), b(false, true)),
            (ClaimId(1), b(false, false)),
        ];
        for turn in 0..reached.len() {
            let mut claims = reached.to_vec();
            claims.rotate_left(turn);
            assert_eq!(
                merged_by_claim(claims),
                [(ClaimId(0), b(false, false)), (ClaimId(1), b(true, true))],
                "turned by {turn}"
            );
        }
    }

    /// Examples of model §2.
    #[test]
    fn claim_opinions_match_the_model() {
        close(claim_opinion(0.97, Some(Confidence::High)), 0.90, 0.0, 0.10);
        close(claim_opinion(0.675, None), 0.35, 0.0, 0.65);
        close(claim_opinion(0.03, None), 0.0, 0.75, 0.25);
        close(claim_opinion(0.5, Some(Confidence::High)), 0.0, 0.0, 1.0);
    }

    /// Grade trust probabilities of model §3.
    #[test]
    fn grade_trust() {
        use crate::terms::Grade;
        let expect = [0.975, 0.8182, 0.625, 0.4286, 0.10, 0.50];
        for (g, p) in Grade::ALL.iter().zip(expect) {
            let t = trust_opinion(Reliability::Grade(*g)).projected();
            assert!((t - p).abs() < 1e-4, "{g}: {t}");
        }
    }

    const RANKS: [u32; 8] = [0, 1, 2, 3, 4, 5, 6, 7];

    /// A contribution of `(family, r, s)` shares.
    fn contribution(shares: &[(u32, f64, f64)]) -> Contribution {
        let r = shares.iter().fold(0.0, |a, s| a + s.1);
        let s = shares.iter().fold(0.0, |a, s| a + s.2);
        Contribution {
            origin: Origin::Direct(ClaimId(0)),
            r,
            s,
            shares: shares
                .iter()
                .map(|&(f, r, s)| Share {
                    family: FamilyId(f),
                    r,
                    s,
                    strong: true,
                })
                .collect(),
        }
    }

    /// A family's line is found whether the families' ranks follow their ids (every
    /// validated case: a search by halves) or not (a case numbered otherwise: the scan).
    #[test]
    fn a_familys_line_is_found_in_any_numbering() {
        let shares = [(0, 1.0, 0.0), (3, 2.0, 0.0), (5, 3.0, 0.0), (7, 4.0, 0.0)];
        let reversed: Vec<u32> = RANKS.iter().rev().copied().collect();
        for ranks in [&RANKS[..], &reversed[..]] {
            let f = fuse(
                shares.iter().map(|&sh| contribution(&[sh])).collect(),
                ranks,
            );
            for &(family, r, _) in &shares {
                let line = f.line(FamilyId(family)).expect("a line of each family");
                assert_eq!((line.family, line.r), (FamilyId(family), r));
            }
            assert!(f.line(FamilyId(4)).is_none());
        }
    }

    #[test]
    fn a_family_counts_once_with_its_strongest_share() {
        let f = fuse(
            vec![
                contribution(&[(0, 4.0, 0.0)]),
                contribution(&[(0, 2.0, 0.0)]),
                contribution(&[(1, 3.0, 1.0)]),
            ],
            &RANKS,
        );
        assert_eq!((f.r, f.s), (7.0, 1.0));
        assert_eq!(f.lines.len(), 2);
        assert_eq!(
            f.lines[0].for_from,
            Some(0),
            "the first maximum carries the line"
        );
    }

    /// Model §5b: r_NK = 6.8, s_NK = 1.3, r_insider = 0.9, s_insider = 0, each backed by its
    /// own families → North Korea (6.8, 2.2), the insider (0.9, 6.8).
    #[test]
    fn exclusive_sets_vector() {
        let nk = [contribution(&[(0, 4.0, 0.0), (1, 2.8, 0.0), (2, 0.0, 1.3)])];
        let insider = [contribution(&[(3, 0.9, 0.0)])];
        let against = |from: &[Contribution]| {
            let lines = lines_of(from, &RANKS);
            opposing(
                passed(
                    &lines,
                    1.0,
                    true,
                    true,
                    Origin::Competing { from: EntityId(9) },
                )
                .unwrap(),
            )
        };
        let mut nk_all = nk.to_vec();
        nk_all.push(against(&insider));
        let mut insider_all = insider.to_vec();
        insider_all.push(against(&nk));
        let nk_f = fuse(nk_all, &RANKS);
        let in_f = fuse(insider_all, &RANKS);
        assert!((nk_f.r - 6.8).abs() < 1e-12 && (nk_f.s - 2.2).abs() < 1e-12);
        assert!((in_f.r - 0.9).abs() < 1e-12 && (in_f.s - 6.8).abs() < 1e-12);
    }

    /// A certain link passes every family's share unchanged; a claimed one discounts each
    /// family by its belief, `W·b_f·b_L/(1 − b_f·b_L)`, in that family.
    #[test]
    fn links_pass_each_family_on_its_own() {
        let lines = lines_of(&[contribution(&[(0, 2.0, 0.0), (1, 6.0, 1.0)])], &RANKS);
        let origin = Origin::Chain {
            from: EntityId(0),
            link: 0,
        };
        let certain = passed(&lines, 1.0, true, true, origin).unwrap();
        assert_eq!(certain.shares[0].r, 2.0);
        assert_eq!(certain.shares[1].r, 6.0);
        assert_eq!(certain.s, 0.0, "opposition does not flow up");
        let claimed = passed(&lines, 0.5, false, true, origin).unwrap();
        // f0: b = 2/4 = 0.5, ·0.5 = 0.25 → 2·0.25/0.75; f1: b = 6/8 = 0.75, ·0.5 = 0.375.
        assert!((claimed.shares[0].r - 2.0 * 0.25 / 0.75).abs() < 1e-12);
        assert!((claimed.shares[1].r - 2.0 * 0.375 / 0.625).abs() < 1e-12);
        let down = passed(&lines, 1.0, true, false, origin).unwrap();
        assert_eq!((down.r, down.s), (0.0, 1.0), "only opposition flows down");
        assert!(passed(&lines, 0.0, false, true, origin).is_none());
    }
}
