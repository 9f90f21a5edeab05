//! Judgements: the propagated evidence worded as ICD 203 asks (model §7).
//!
//! For every incident, the hypotheses reported are every actor or group with a direct claim or
//! any share after propagation, every hypothesis the case lists, and every member of an
//! exclusive set. Each gets a likelihood term from its projected probability and, separately,
//! a confidence level from its uncertainty and the independence and quality of its lines of
//! evidence for and against; and each line says where it came from.

use crate::model::{Case, ClaimId, EntityId, FamilyId, IncidentId, SourceId, Statement};
use crate::opinion::Opinion;
pub use crate::reason::{
    Aside, Bearing, ClaimWeight, Contribution, Derivation, Fused, Line, Link, Origin, Pair,
    Removal, Scenario, Share,
};
use crate::reason::{Carries, ClaimIndex, Engine, Incremental, RestatedBelow, Verdict};
use crate::terms::{Confidence, IcdTerm};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Above this uncertainty there is no basis for a likelihood: "insufficient evidence".
pub const MAX_UNCERTAINTY_FOR_TERM: f64 = 0.8;
/// Uncertainty at or below which confidence can be high (with two strong lines).
pub const HIGH_CONFIDENCE_UNCERTAINTY: f64 = 0.2;
/// Uncertainty at or below which confidence is at least moderate.
pub const MODERATE_CONFIDENCE_UNCERTAINTY: f64 = 0.5;
/// Degree of conflict above which it is flagged.
pub const CONFLICT_FLAG: f64 = 0.2;

/// One hypothesis "incident I was carried out by X", judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The actor or group the hypothesis names.
    pub actor: EntityId,
    /// Base rate used for P.
    pub prior: f64,
    /// Supporting evidence after fusion.
    pub r: f64,
    /// Opposing evidence after fusion, competing hypotheses and inherited opposition included.
    pub s: f64,
    /// The part of `s` in lines carried by competing exclusive hypotheses.
    pub s_exclusive: f64,
    /// Lines for: independent lines (dependence families) with supporting evidence.
    pub lines: usize,
    /// Lines against: families with opposing evidence.
    pub lines_against: usize,
    /// Lines for or against resting on a source rated B or better in the direction they count.
    pub strong_lines: usize,
    /// Where the lines for come from (the origin of each line's strongest share).
    pub lines_for_from: Tally,
    /// Where the lines against come from.
    pub lines_against_from: Tally,
    /// The competing hypotheses that carry lines against this one.
    pub competitors: Vec<EntityId>,
    /// The wholes whose opposition carries lines against this one (where it starts).
    pub inherited_from: Vec<EntityId>,
    /// Degree of conflict between the supporting and the opposing evidence.
    pub conflict: f64,
    /// The claims that carry the judgement, strongest line first (at most three).
    pub carriers: Vec<ClaimId>,
    /// The claims of the links and "possibly same as" pairs the carriers' evidence crosses on
    /// its way to the hypothesis, in the order met, each once: a state carried by attributions
    /// to a group is carried through the claim that ties the group to it (none for a declared
    /// `part_of`).
    pub carried_via: Vec<ClaimId>,
    /// Claims directly against the hypothesis (denials, low likelihoods).
    pub opposing: Vec<ClaimId>,
    /// Claims that name the hypothesis but carry no weight, with the reason.
    pub weightless: Vec<(ClaimId, Weightless)>,
    /// The judgement without each claim and source behind it, when the [`Request`] asked for
    /// it.
    pub sensitivity: Option<Vec<Sensitivity>>,
}

/// Lines counted by where their strongest share came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Lines resting on a claim on the hypothesis itself.
    pub direct: usize,
    /// Lines carried across a "possibly same as" pair.
    pub same_as: usize,
    /// Lines carried up a responsibility link from a part.
    pub chain: usize,
    /// Lines against carried by a competing, mutually exclusive hypothesis.
    pub competing: usize,
    /// Lines against inherited from a whole the actor is part of.
    pub inherited: usize,
}

impl Tally {
    fn add(&mut self, origin: Origin) {
        match origin {
            Origin::Direct(_) => self.direct += 1,
            Origin::SameAs { .. } => self.same_as += 1,
            Origin::Chain { .. } => self.chain += 1,
            Origin::Competing { .. } => self.competing += 1,
            Origin::Inherited { .. } => self.inherited += 1,
        }
    }
}

/// Why a claim naming a hypothesis carries no weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weightless {
    /// Its likelihood is "roughly even chance" (or 0.5): it says nothing either way.
    Vacuous,
    /// No likelihood can be formed from it (Admiralty credibility 6).
    NoLikelihood,
    /// It restates claims present in the case, which are counted instead.
    Echo,
    /// It restates claims present in the case, none of which states what it states (W108):
    /// set aside all the same, and nothing is counted for it here in its place (model §6).
    EchoOfOther,
    /// It stands in for claims it restates that are absent, and gives their lines no more
    /// than they would (model §6): nothing on the side it takes, since they take the other
    /// or none.
    Capped,
    /// It stands in for claims it restates that are absent, but they state something else
    /// (another actor or link): a restatement carries only what it restates (model §6).
    Elsewhere,
    /// A link or pair claim that holds the link below even chance, where no claim holds it
    /// up: doubt only weakens a link, never turns it against (model §5), so nothing crosses.
    DoubtedLink,
}

impl Weightless {
    /// An echo, whatever it says: set aside while what it restates stands.
    pub fn is_echo(self) -> bool {
        matches!(self, Weightless::Echo | Weightless::EchoOfOther)
    }

    /// Why, in a sentence for reports.
    pub fn reason(self) -> &'static str {
        match self {
            Weightless::Vacuous => {
                "its likelihood is an even chance, which says nothing either way"
            }
            Weightless::NoLikelihood => {
                "no likelihood can be formed from it (Admiralty credibility 6)"
            }
            Weightless::Echo => "it restates claims present in the case, counted instead",
            Weightless::EchoOfOther => {
                "it restates claims present in the case that say something else: a restatement \
                 is set aside while what it restates stands, so what it says of its own is not \
                 counted (model §6)"
            }
            Weightless::Capped => {
                "it stands in for the original claims it restates, absent here, and carries no \
                 more than they would: nothing on its side, which they do not take"
            }
            Weightless::Elsewhere => {
                "it stands in for the original claims it restates, absent here, but they state \
                 something else: a restatement carries only what it restates (model §6)"
            }
            Weightless::DoubtedLink => {
                "it holds a link below even chance, and no claim holds the link up: doubt only \
                 weakens a link, never turns it into evidence against (model §5), so nothing \
                 crosses it"
            }
        }
    }

    /// [`Weightless::reason`] under a scenario that sets aside lines of evidence
    /// (`lines_aside`), where an echo may restate a claim set aside with its line rather than
    /// one counted.
    pub fn reason_under(self, lines_aside: bool) -> &'static str {
        match self {
            Weightless::Echo if lines_aside => {
                "it restates claims present in the case, counted instead or set aside with \
                 their line of evidence"
            }
            Weightless::EchoOfOther if lines_aside => {
                "it restates claims that say something else, present in the case or set aside \
                 with their line of evidence: what it says of its own is not counted (model §6)"
            }
            _ => self.reason(),
        }
    }

    /// The reason in a few words, for a list of claims in a table: "roughly even chance" where
    /// the JSON report's word is "vacuous", a term of the model a reader need not know.
    pub fn short(self) -> &'static str {
        match self {
            Weightless::Vacuous => "roughly even chance",
            Weightless::NoLikelihood => "no likelihood",
            Weightless::Echo => "echo",
            Weightless::EchoOfOther => "echo of something else",
            Weightless::Capped => "stand-in, capped",
            Weightless::Elsewhere => "restates something else",
            Weightless::DoubtedLink => "doubts a link, which carries nothing",
        }
    }

    /// The reason as a stable word, for the JSON report.
    pub fn word(self) -> &'static str {
        match self {
            Weightless::Vacuous => "vacuous",
            Weightless::NoLikelihood => "no_likelihood",
            // One word for both: an echo is set aside whatever it says.
            Weightless::Echo | Weightless::EchoOfOther => "echo",
            Weightless::Capped => "capped",
            Weightless::Elsewhere => "restates_elsewhere",
            Weightless::DoubtedLink => "doubted_link",
        }
    }
}

/// The opinion, its projected probability, the likelihood term and the confidence level are
/// read from `r`, `s`, `prior` and `strong_lines` when asked for, the same way as the
/// sensitivity rows read theirs, and never stored beside them: a judgement whose evidence is
/// changed cannot keep a stale reading.
impl Judgement {
    /// Whether the conflict between the evidence for and against is flagged: above
    /// [`CONFLICT_FLAG`], read within the arithmetic's error as every edge is
    /// (`terms::EDGE_SLACK`).
    pub fn conflict_flagged(&self) -> bool {
        !crate::terms::at_or_below(self.conflict, CONFLICT_FLAG)
    }

    /// The fused opinion on the hypothesis: `r` and `s` as belief, disbelief and uncertainty,
    /// with `prior` as base rate.
    pub fn opinion(&self) -> Opinion {
        self.reading().opinion
    }

    /// Projected probability `b + a·u`, what the likelihood term is read from.
    pub fn p(&self) -> f64 {
        self.reading().p
    }

    /// The likelihood term; `None` when the evidence is insufficient for one (u > 0.8).
    pub fn term(&self) -> Option<IcdTerm> {
        self.reading().term
    }

    /// Confidence in the judgement, separate from its likelihood (ICD 203).
    pub fn confidence(&self) -> Confidence {
        self.reading().confidence
    }

    /// Everything read from the evidence, in one computation.
    pub(crate) fn reading(&self) -> Reading {
        Reading::of(self.r, self.s, self.strong_lines, self.prior)
    }

    /// The likelihood term as reports word it, "insufficient evidence" when there is none.
    pub fn term_word(&self) -> &'static str {
        self.term().map_or("insufficient evidence", IcdTerm::word)
    }

    /// Whether the judgement rests on no evidence of its own: nothing for it, and everything
    /// against it comes from competing hypotheses or from a whole it is part of, with no claim
    /// against it directly (one whose line a stronger share of its family carries still bears
    /// on it, though it adds nothing).
    pub fn only_borrowed(&self) -> bool {
        self.lines == 0
            && self.lines_against > 0
            && self.lines_against_from.direct == 0
            && self.opposing.is_empty()
    }
}

/// The judgements on one incident, most probable first, and how they were derived.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentAssessment {
    /// The incident judged.
    pub incident: IncidentId,
    /// Every hypothesis on it, most probable first.
    pub hypotheses: Vec<Judgement>,
    /// Claims that condemn the incident without naming anyone.
    pub condemnations: Vec<ClaimId>,
    /// How every hypothesis was derived (shared by the hypotheses: a chain from X includes
    /// X's own derivation).
    pub derivation: Derivation,
    /// The judgement on the actor a [`Request`] named, when it is no candidate (nothing bears
    /// on it): `explain` still explains it.
    pub named: Option<Judgement>,
}

impl IncidentAssessment {
    /// The judgement on `actor`: a candidate's, or the one the request named.
    pub fn judgement(&self, actor: EntityId) -> Option<&Judgement> {
        self.hypotheses
            .iter()
            .chain(&self.named)
            .find(|j| j.actor == actor)
    }
}

/// Every incident of a case judged under a scenario, with everything a renderer needs: the
/// scenario in force, each claim as it weighed, the links and pairs the derivations refer to
/// (by index, in [`Origin`]). Renderers read this and the case, nothing else.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The what-if changes in force.
    pub scenario: Scenario,
    /// In the order the incidents happened: by start date, undated ones last, ties by id in
    /// natural order (never file order).
    pub incidents: Vec<IncidentAssessment>,
    /// Every claim of the case as it weighed under the scenario, indexed by [`ClaimId`].
    pub claims: Vec<ClaimWeight>,
    /// Responsibility links, indexed as [`Origin::Chain`] and [`Origin::Inherited`] refer to them.
    pub links: Vec<Link>,
    /// "Possibly same as" pairs, indexed as [`Origin::SameAs`] refers to them.
    pub pairs: Vec<Pair>,
    /// Belief in each link under the scenario, indexed as `links` (1 for a declared
    /// `part_of`, else the belief of its fused claims, each family counting once): what a
    /// chain up the link is discounted by, and what diagrams draw its strength from.
    pub link_beliefs: Vec<f64>,
    /// Belief in each pair under the scenario, indexed as `pairs`.
    pub pair_beliefs: Vec<f64>,
    /// For an assessment made by [`stream`]: the incidents still to assess.
    lazy: Option<Lazy>,
    /// The links out of each entity (indices into `links`), as the engine indexed them.
    out_links: Vec<Vec<usize>>,
}

impl Assessment {
    /// The links from `part` up to a whole, by index into [`Assessment::links`]: the engine's
    /// index, so that a renderer asking for every judgement's links does not scan every link
    /// of a large case each time.
    pub fn links_from(&self, part: EntityId) -> &[usize] {
        self.out_links
            .get(part.0 as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// Every incident assessed, in order: those held in `incidents`, or, for an assessment
    /// made by [`stream`], each assessed as the iteration reaches it (`case` must be the case
    /// it was made from). What renderers iterate, so that they write an incident at a time.
    pub fn each<'a>(
        &'a self,
        case: &'a Case,
    ) -> Box<dyn Iterator<Item = Cow<'a, IncidentAssessment>> + 'a> {
        match &self.lazy {
            None => Box::new(self.incidents.iter().map(Cow::Borrowed)),
            Some(lazy) => {
                let engine = Engine::over(
                    case,
                    self.scenario.clone(),
                    &self.claims,
                    &self.links,
                    &self.pairs,
                );
                let index = lazy.index(&engine);
                Box::new(
                    lazy.ids
                        .iter()
                        .map(move |&i| Cow::Owned(lazy.incident(&engine, index.as_ref(), i))),
                )
            }
        }
    }

    /// The claims set aside as echoes on the assessed incidents, as their derivations list
    /// them (a responsibility claim present under the scenario whose origins' evidence is all
    /// present), read from the claims alone: what the evidence diagram needs, without
    /// propagating a streamed assessment's incidents.
    pub fn echoes(&self, case: &Case) -> BTreeSet<ClaimId> {
        let assessed = self.assessed();
        let present = |c: ClaimId| self.claims[c.index()].in_scenario;
        let restated = |c: ClaimId| self.claims[c.index()].echoed(false);
        // Read from the index of originals when there is one: claims restating every claim
        // of a report that restates many would each walk every chain to its roots.
        let index = case.originals();
        case.claims
            .iter()
            .enumerate()
            .map(|(i, c)| (ClaimId(i as u32), c))
            .filter(|(id, c)| {
                matches!(c.statement, Statement::Responsible { incident, .. } if assessed.contains(&incident))
                    && present(*id)
                    && !c.derived_from.is_empty()
                    && (case.originals_in(index.as_ref(), *id).iter()).all(|&o| restated(o))
            })
            .map(|(id, _)| id)
            .collect()
    }

    /// The incidents [`Assessment::each`] yields, without assessing them.
    pub fn assessed(&self) -> BTreeSet<IncidentId> {
        match &self.lazy {
            Some(lazy) => lazy.ids.iter().copied().collect(),
            None => self.incidents.iter().map(|ia| ia.incident).collect(),
        }
    }

    /// How many incidents [`Assessment::each`] yields.
    pub fn count(&self) -> usize {
        self.lazy
            .as_ref()
            .map_or(self.incidents.len(), |lazy| lazy.ids.len())
    }

    /// How a claim weighed under the scenario.
    pub fn claim(&self, id: ClaimId) -> &ClaimWeight {
        &self.claims[id.0 as usize]
    }

    /// The claims and sources a hypothesis rests on (every claim whose removal can change
    /// it), by id.
    pub fn behind(
        &self,
        case: &Case,
        incident: &IncidentAssessment,
        actor: EntityId,
    ) -> (Vec<ClaimId>, Vec<SourceId>) {
        crate::reason::behind(case, &self.links, &self.pairs, &incident.derivation, actor)
    }

    /// The claims a hypothesis rests on (as [`Assessment::behind`], in the same order) with how
    /// each bears on it:
    /// a claim supporting a competitor, or a competitor of a whole, opposes it.
    pub fn bearings(
        &self,
        case: &Case,
        incident: &IncidentAssessment,
        actor: EntityId,
    ) -> Vec<(ClaimId, Bearing)> {
        crate::reason::bearings(case, &self.links, &self.pairs, &incident.derivation, actor)
    }

    /// The ways evidence takes to the judgement on `actor` (`crate::reason::routes`): the
    /// route the reports name for a claim on another actor.
    pub fn routes(&self, incident: &IncidentAssessment, actor: EntityId) -> Routes {
        Routes {
            to: actor,
            next: crate::reason::routes(&incident.derivation, actor),
        }
    }
}

/// The ways evidence takes to one judgement ([`Assessment::routes`]).
pub struct Routes {
    to: EntityId,
    next: crate::reason::Routes,
}

impl Routes {
    /// The actors from `actor` on the way a claim on it takes to the judgement (`denies`: a
    /// claim that it did not do it, whose opposition is what travels), the judged actor left
    /// out: `[actor]` for a neighbour (or an actor with no way recorded); and where support
    /// turns into opposition on it, the index of the first actor whose opposition carries it
    /// on (a whole of the hypothesis that a competitor of it opposes: `[APT3, China, Russia,
    /// Russian Armed Forces]` reaches the GRU at 2, China competing with Russia).
    pub fn from(&self, actor: EntityId, denies: bool) -> (Vec<EntityId>, Option<usize>) {
        use crate::reason::Follow;
        let mut way = vec![actor];
        let mut turn = None;
        let mut at = (actor, if denies { Follow::Against } else { Follow::For });
        // The map is a tree (each step's next was settled before it), so the walk ends; the
        // bound keeps it so anyway.
        while let Some(&n) = self.next.get(&at) {
            if n.0 == self.to || way.len() > self.next.len() {
                break;
            }
            if at.1 == Follow::For && n.1 == Follow::Against {
                turn = Some(way.len());
            }
            way.push(n.0);
            at = n;
        }
        (way, turn)
    }
}

/// Which judgements get a sensitivity table (it costs a recomputation per claim and source
/// behind a judgement).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SensitivityFor {
    /// None.
    #[default]
    None,
    /// Every judgement.
    All,
    /// Only the judgement on this actor or group.
    Actor(EntityId),
}

/// What to assess: the scenario, which incidents, which sensitivity tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    /// The what-if changes to apply.
    pub scenario: Scenario,
    /// Only this incident; every incident when `None`.
    pub incident: Option<IncidentId>,
    /// An actor or group to judge even when it is no candidate (see
    /// [`IncidentAssessment::named`]).
    pub actor: Option<EntityId>,
    /// Which judgements get a sensitivity table.
    pub sensitivity: SensitivityFor,
}

impl Request {
    /// Whether the request can apply to `case`: its scenario ([`Scenario::check`]), and the
    /// incident and actors it names are the case's. The first problem found, in words.
    pub fn check(&self, case: &Case) -> Result<(), String> {
        self.scenario.check(case)?;
        if let Some(i) = self.incident {
            crate::reason::in_range("incident", i.index(), case.incidents.len())?;
        }
        let sensitive = match self.sensitivity {
            SensitivityFor::Actor(a) => Some(a),
            SensitivityFor::None | SensitivityFor::All => None,
        };
        for a in self.actor.iter().chain(&sensitive) {
            crate::reason::in_range("actor", a.index(), case.entities.len())?;
        }
        Ok(())
    }
}

/// Assesses every incident under a scenario, without sensitivity tables.
///
/// # Panics
///
/// When the scenario does not apply to `case` ([`Scenario::check`]): ids of another case,
/// a prior that is no probability.
pub fn assess(case: &Case, scenario: Scenario) -> Assessment {
    assess_with(
        case,
        Request {
            scenario,
            ..Request::default()
        },
    )
}

/// Assesses what `request` asks for: propagation, judgements and, when asked, sensitivity.
///
/// # Panics
///
/// When the request does not apply to `case` ([`Request::check`]), as an index out of range
/// does: ids of another case, a prior or a restated probability that is no probability. A
/// program that builds requests from its users' input checks them first.
pub fn assess_with(case: &Case, request: Request) -> Assessment {
    held(case, stream(case, request))
}

/// [`assess`] on the incidents of `only` alone, in the order every incident is assessed in:
/// what a change to some incidents' claims can move, when the rest of the case is as it was.
///
/// # Panics
///
/// As [`assess`] does.
pub fn assess_only(case: &Case, scenario: Scenario, only: &BTreeSet<IncidentId>) -> Assessment {
    let mut streamed = stream(
        case,
        Request {
            scenario,
            ..Request::default()
        },
    );
    if let Some(lazy) = &mut streamed.lazy {
        lazy.ids.retain(|i| only.contains(i));
    }
    held(case, streamed)
}

/// A streamed assessment's incidents, assessed and held.
fn held(case: &Case, mut assessment: Assessment) -> Assessment {
    if let Some(lazy) = assessment.lazy.take() {
        let engine = Engine::over(
            case,
            assessment.scenario.clone(),
            &assessment.claims,
            &assessment.links,
            &assessment.pairs,
        );
        let index = lazy.index(&engine);
        let incidents = lazy
            .ids
            .iter()
            .map(|&i| lazy.incident(&engine, index.as_ref(), i))
            .collect();
        assessment.incidents = incidents;
    }
    assessment
}

/// One case under one scenario, ready to judge an incident again with items set aside, as
/// sensitivity does: the engine is made once, and each judgement costs what its incident
/// costs, not what the case does. What the diff measures a new claim with and without its
/// new restatements on.
pub(crate) struct Replays<'c>(Engine<'c>);

impl<'c> Replays<'c> {
    pub(crate) fn new(case: &'c Case, scenario: Scenario) -> Replays<'c> {
        Replays(Engine::new(case, scenario))
    }

    /// The judgement on `actor` in `incident` with the items of `removed` set aside (`None`:
    /// it is not judged then), by the numbers a reader sees: P, likelihood and confidence.
    pub(crate) fn judged(
        &self,
        incident: IncidentId,
        actor: EntityId,
        removed: &[Removal],
    ) -> Option<(f64, Option<IcdTerm>, Confidence)> {
        let ia = assess_incident(&self.0, incident, removed);
        ia.judgement(actor)
            .map(|j| (j.p(), j.term(), j.confidence()))
    }
}

/// Like [`assess_with`], but the incidents are assessed only as [`Assessment::each`] reaches
/// them, and dropped after: what the command line renders from, so that neither a large
/// case's judgements nor its sensitivity tables are ever held whole. `incidents` stays empty.
///
/// # Panics
///
/// As [`assess_with`] does.
pub fn stream(case: &Case, request: Request) -> Assessment {
    if let Err(problem) = request.check(case) {
        panic!("the request does not apply to this case: {problem}");
    }
    let Request {
        scenario,
        incident,
        actor,
        sensitivity,
    } = request;
    let engine = Engine::new(case, scenario);
    let ids = match incident {
        Some(i) => vec![i],
        None => incident_order(case),
    };
    let Engine {
        scenario,
        weights,
        links,
        pairs,
        link_beliefs,
        pair_beliefs,
        out_links,
        ..
    } = engine;
    Assessment {
        scenario,
        incidents: Vec::new(),
        claims: weights.into_owned(),
        links: links.into_owned(),
        pairs: pairs.into_owned(),
        link_beliefs,
        pair_beliefs,
        lazy: Some(Lazy {
            ids,
            actor,
            sensitivity,
        }),
        out_links,
    }
}

/// What a streamed assessment still has to assess.
#[derive(Debug, Clone, PartialEq)]
struct Lazy {
    ids: Vec<IncidentId>,
    actor: Option<EntityId>,
    sensitivity: SensitivityFor,
}

impl Lazy {
    /// The claim index sensitivity replays removals with, when a table is asked for.
    fn index(&self, engine: &Engine<'_>) -> Option<ClaimIndex> {
        (self.sensitivity != SensitivityFor::None).then(|| ClaimIndex::new(engine))
    }

    /// One incident assessed: its judgements, the named actor's, and the sensitivity tables
    /// asked for.
    fn incident(
        &self,
        engine: &Engine<'_>,
        index: Option<&ClaimIndex>,
        i: IncidentId,
    ) -> IncidentAssessment {
        let mut ia = assess_incident(engine, i, &[]);
        if let Some(actor) = self.actor
            && ia.judgement(actor).is_none()
        {
            let mut named = judgement_of(engine, &ia.derivation, actor);
            if self.sensitivity == SensitivityFor::Actor(actor) {
                named.sensitivity = Some(Vec::new());
            }
            ia.named = Some(named);
        }
        let wanted = |actor: EntityId| match self.sensitivity {
            SensitivityFor::None => false,
            SensitivityFor::All => true,
            SensitivityFor::Actor(a) => a == actor,
        };
        if let Some(index) = index
            && ia.hypotheses.iter().any(|j| wanted(j.actor))
        {
            for (k, rows) in sensitivities(engine, index, &ia, wanted) {
                ia.hypotheses[k].sensitivity = Some(rows);
            }
        }
        ia
    }
}

/// Every incident, in the order they happened, as a report reads best: by `start` (a date
/// known to the month before the days of that month), those without one last, and incidents
/// that started on the same date in the natural order of their ids (`i2` before `i10`). Never
/// file order, so that reordering a file changes no output.
fn incident_order(case: &Case) -> Vec<IncidentId> {
    // Each incident's key is read once: comparing the incidents themselves would fetch two
    // of them, scattered over the case, at every step of the sort.
    let mut keys: Vec<((u64, &str), IncidentId)> = (case.incidents.iter().enumerate())
        .map(|(k, i)| (when(i), IncidentId(k as u32)))
        .collect();
    keys.sort_by(|a, b| in_time(a.0, b.0));
    keys.into_iter().map(|(_, id)| id).collect()
}

/// The order incidents are reported in ([`incident_order`]): by start, undated last, then by
/// id in natural order.
pub(crate) fn happened_before(
    a: &crate::model::Incident,
    b: &crate::model::Incident,
) -> std::cmp::Ordering {
    in_time(when(a), when(b))
}

/// What places an incident in time: when it started ([`started`]) and its id.
fn when(i: &crate::model::Incident) -> (u64, &str) {
    (started(i.start), &i.id)
}

/// [`happened_before`] over the incidents' [`when`].
fn in_time(a: (u64, &str), b: (u64, &str)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then_with(|| crate::ids::cmp(a.1, b.1))
}

/// When an incident started, as a number that orders as its date does (a year before its
/// months, a month before its days), and after every date when it has none.
fn started(start: Option<crate::date::Date>) -> u64 {
    let known = |part: Option<u8>| part.map_or(0, |p| u64::from(p) + 1);
    start.map_or(u64::MAX, |d| {
        u64::from(d.year) << 20 | known(d.month) << 10 | known(d.day)
    })
}

/// Assesses one incident, with `removed` set aside.
pub(crate) fn assess_incident(
    engine: &Engine<'_>,
    incident: IncidentId,
    removed: &[Removal],
) -> IncidentAssessment {
    let case = engine.case;
    let result = engine.incident_without(incident, removed);

    // Candidates: every actor with a share or a direct claim (weightless ones included),
    // listed hypotheses, exclusive-set members.
    let mut candidates: BTreeSet<EntityId> = result.fused.keys().copied().collect();
    for &c in result.echoes.iter().chain(&result.inert) {
        if let Statement::Responsible { actor, .. } = case.claim(c).statement {
            candidates.insert(actor);
        }
    }
    candidates.extend(engine.listed_hypotheses(incident).map(|h| h.actor));
    for &k in engine.exclusive_sets(incident) {
        candidates.extend(case.exclusive[k].members.iter().copied());
    }
    // Each judgement's P is read once, not at every comparison, and the sort moves keys, not
    // judgements (a stable sort of positions by the same comparison: the same order).
    let mut walks = Walks::default();
    let judged: Vec<Judgement> = candidates
        .into_iter()
        .map(|actor| judgement_with(engine, &result, actor, &mut walks))
        .collect();
    // Equal Ps (a part and its whole on the same evidence) put the whole first, as a reader
    // goes down a hierarchy: by how deep each stands among declared parts, then by id (in
    // natural order, as every list of ids).
    let mut depths = Depths::default();
    let mut keys: Vec<(f64, usize, &str, usize)> = judged
        .iter()
        .enumerate()
        .map(|(k, j)| {
            let depth = depths.of(case, j.actor);
            (j.p(), depth, case.entity(j.actor).id.as_str(), k)
        })
        .collect();
    keys.sort_by(|a, b| {
        (b.0.total_cmp(&a.0))
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| crate::ids::cmp(a.2, b.2))
    });
    let mut slots: Vec<Option<Judgement>> = judged.into_iter().map(Some).collect();
    let hypotheses: Vec<Judgement> = keys.iter().filter_map(|&(.., k)| slots[k].take()).collect();
    // Condemnations are statements too: a what-if that sets a claim or a source aside, or
    // goes back to a date before one was made, takes it out of what was said.
    let mut condemnations: Vec<ClaimId> = engine
        .incident_claims(incident)
        .iter()
        .copied()
        .filter(|&c| {
            matches!(case.claim(c).statement, Statement::Condemns { .. })
                && engine.weights[c.0 as usize].in_scenario
                && !crate::reason::is_removed(case, c, removed)
        })
        .collect();
    condemnations.sort_by(|a, b| crate::ids::cmp(&case.claim(*a).id, &case.claim(*b).id));
    IncidentAssessment {
        incident,
        hypotheses,
        condemnations,
        derivation: result,
        named: None,
    }
}

/// How deep actors stand among declared parts (a state 0, its agency 1, the agency's unit 2),
/// each chain of `part_of` walked once for all the actors on it: an incident's judgements on a
/// chain of thousands of parts would otherwise each walk it to its top.
#[derive(Default)]
pub(crate) struct Depths(HashMap<EntityId, usize>);

impl Depths {
    pub(crate) fn of(&mut self, case: &Case, actor: EntityId) -> usize {
        // Most chains are a few parts long: counted afresh, they cost less than remembering.
        let up = std::iter::successors(case.entity(actor).part_of, |&w| case.entity(w).part_of);
        let short = up.take(SHORT_WALK).count();
        if !past_short(short) {
            return short;
        }
        let mut below = Vec::new();
        let mut at = actor;
        let mut depth = loop {
            if let Some(&d) = self.0.get(&at) {
                break d;
            }
            match case.entity(at).part_of {
                Some(whole) => {
                    below.push(at);
                    at = whole;
                }
                None => {
                    self.0.insert(at, 0);
                    break 0;
                }
            }
        };
        for part in below.into_iter().rev() {
            depth += 1;
            self.0.insert(part, depth);
        }
        depth
    }
}

/// The judgement on one hypothesis of a propagated incident: its fused evidence (competing
/// hypotheses and inherited opposition included, model §5 and §5b) and its base rate.
pub(crate) fn judgement_of(engine: &Engine<'_>, result: &Derivation, actor: EntityId) -> Judgement {
    judgement_with(engine, result, actor, &mut Walks::default())
}

/// [`judgement_of`], with where inherited lines start remembered across the judgements of one
/// derivation (`starts` must hold only what was found on `result`).
fn judgement_with(
    engine: &Engine<'_>,
    result: &Derivation,
    actor: EntityId,
    walks: &mut Walks,
) -> Judgement {
    let case = engine.case;
    let incident = result.incident;
    let listed_prior = engine.listed_prior(incident, actor);
    let prior = engine.scenario.prior.or(listed_prior).unwrap_or(case.prior);
    let fused = result.fused.get(&actor);
    let (r, s) = fused.map_or((0.0, 0.0), |f| (f.r, f.s));
    let no_lines: &[Line] = &[];
    let lines = fused.map_or(no_lines, |f| &f.lines);
    let Origins {
        lines_for_from,
        lines_against_from,
        mut competitors,
        mut inherited_from,
        s_exclusive,
    } = fused.map_or_else(Origins::default, |f| Origins::of(engine, result, f, walks));
    let by_id = |v: &mut Vec<EntityId>| {
        v.sort_by(|a, b| crate::ids::cmp(&case.entity(*a).id, &case.entity(*b).id));
    };
    by_id(&mut competitors);
    by_id(&mut inherited_from);
    let strong_lines = lines.iter().filter(|l| l.strong()).count();
    let (carriers, carried_via) = carriers(engine, result, actor, walks);
    let supporting = Opinion::from_evidence(r, 0.0, prior);
    let opposing = Opinion::from_evidence(0.0, s, prior);
    let conflict = supporting.conflict(&opposing);
    Judgement {
        actor,
        prior,
        r,
        s,
        s_exclusive,
        lines: lines.iter().filter(|l| l.r > 0.0).count(),
        lines_against: lines.iter().filter(|l| l.s > 0.0).count(),
        strong_lines,
        lines_for_from,
        lines_against_from,
        competitors,
        inherited_from,
        conflict,
        carriers,
        carried_via,
        opposing: fused.map_or_else(Vec::new, |f| {
            f.contributions
                .iter()
                .filter_map(|c| match c.origin {
                    Origin::Direct(id) if c.s > c.r => Some(id),
                    _ => None,
                })
                .collect()
        }),
        weightless: weightless(engine, result, actor),
        sensitivity: None,
    }
}

/// Where a judgement's lines come from: the origin of each line's strongest share counted by
/// kind, the competitors and wholes that carry lines against it (in the order met), and the
/// part of the opposition the competitors carry.
#[derive(Default)]
struct Origins {
    lines_for_from: Tally,
    lines_against_from: Tally,
    competitors: Vec<EntityId>,
    inherited_from: Vec<EntityId>,
    s_exclusive: f64,
}

impl Origins {
    fn of(engine: &Engine<'_>, result: &Derivation, f: &Fused, walks: &mut Walks) -> Origins {
        let mut o = Origins::default();
        for l in &f.lines {
            if let Some(i) = l.for_from {
                o.lines_for_from.add(f.contributions[i].origin);
            }
            if let Some(i) = l.against_from {
                let origin = f.contributions[i].origin;
                o.lines_against_from.add(origin);
                match origin {
                    Origin::Competing { from } => {
                        o.s_exclusive += l.s;
                        push_unique(&mut o.competitors, from);
                    }
                    Origin::Inherited { from, .. } => {
                        // Where the opposition starts: the last actor the walk back from the
                        // judged actor reaches. Its first step (to `from`) is the second actor
                        // of the walk.
                        let start = walks.walked(engine, result, from, l.family, false, 2).last;
                        push_unique(&mut o.inherited_from, start);
                    }
                    _ => {}
                }
            }
        }
        o
    }
}

/// Where walks along a family's line end ([`walk`], each side), from an actor on, kept for one
/// derivation. An incident's parts inherit opposition through the same wholes, and its wholes
/// take support up the same chains: every judgement on a chain of parts would walk the rest of
/// it again, quadratic in its length. A walk past [`SHORT_WALK`] steps stops at the first actor
/// whose walk is known and leaves what it learnt at every actor it passed; shorter ones, nearly
/// all of a case's, cost less walked afresh than remembered. Remembered only for walks that
/// ended on their own (not at the guard against cycles, which depends on how far the walk had
/// come).
#[derive(Default)]
pub(crate) struct Walks {
    /// By side: against, for.
    known: [HashMap<(EntityId, FamilyId), Walked>; 2],
    /// The actors a walk passed, each with the step it took from there: kept between walks so
    /// that each does not allocate its own.
    path: Vec<(EntityId, Origin)>,
}

/// Where a walk from an actor ends.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Walked {
    /// The last actor it reached (the first, when it took no step).
    last: EntityId,
    /// The claim the line rests on ([`WalkEnd::claim`]).
    claim: Option<ClaimId>,
    /// How many actors it reached after the first.
    k: usize,
    /// The claims of the links and pairs it crossed, each once, in the order crossed.
    crossed: Vec<ClaimId>,
    /// The guard against cycles stopped it.
    guarded: bool,
}

impl Walks {
    /// The walk along `x`'s line of `family` (for or against), with `steps` actors already on
    /// the path: what [`walk_on`] gives from `x`.
    pub(crate) fn walked(
        &mut self,
        engine: &Engine<'_>,
        result: &Derivation,
        x: EntityId,
        family: FamilyId,
        for_side: bool,
        steps: usize,
    ) -> Walked {
        let known = &mut self.known[usize::from(for_side)];
        let path = &mut self.path;
        path.clear();
        let (mut at, mut s) = (x, steps);
        let mut walked = loop {
            if past_short(path.len())
                && let Some(w) = known.get(&(at, family))
                && s + w.k <= result.fused.len() + 1
            {
                break w.clone();
            }
            match next_step(result, at, family, None, for_side, s) {
                Next::On(from, origin) => {
                    path.push((at, origin));
                    s += 1;
                    at = from;
                }
                Next::End(last, end) => {
                    let w = Walked {
                        last: last.map_or(at, |(from, _)| from),
                        claim: end.claim,
                        k: usize::from(last.is_some()),
                        crossed: last
                            .map_or_else(Vec::new, |(_, o)| crossed_by(engine, o).to_vec()),
                        guarded: end.guarded,
                    };
                    if !w.guarded && past_short(path.len()) {
                        known.insert((at, family), w.clone());
                    }
                    break w;
                }
            }
        };
        if walked.guarded || !past_short(path.len()) {
            // Nothing to remember: the claims crossed, in order, without a list at each step.
            walked.k += path.len();
            let mut crossed: Vec<ClaimId> = (path.iter())
                .flat_map(|&(_, origin)| crossed_by(engine, origin))
                .copied()
                .collect();
            if !crossed.is_empty() {
                crossed.extend_from_slice(&walked.crossed);
                dedup_in_order(&mut crossed);
                walked.crossed = crossed;
            }
            return walked;
        }
        for &(p, origin) in path.iter().rev() {
            walked.k += 1;
            let here = crossed_by(engine, origin);
            if !here.is_empty() {
                let mut crossed = [here, &walked.crossed].concat();
                dedup_in_order(&mut crossed);
                walked.crossed = crossed;
            }
            known.insert((p, family), walked.clone());
        }
        walked
    }
}

/// Walks of fewer steps than this are neither remembered nor looked up ([`Walks::walked`]).
/// None under test, so that the property comparing remembered walks with fresh ones puts the
/// memory to work on the small graphs it generates.
const SHORT_WALK: usize = if cfg!(test) { 0 } else { 8 };

/// Whether a walk that has taken `steps` steps is long enough to remember and look up.
fn past_short(steps: usize) -> bool {
    steps + 1 > SHORT_WALK
}

/// The claims of the link or pair a step crosses.
fn crossed_by<'e>(engine: &'e Engine<'_>, origin: Origin) -> &'e [ClaimId] {
    match origin {
        Origin::Chain { link, .. } => &engine.links[link].claims,
        Origin::SameAs { pair, .. } => &engine.pairs[pair].claims,
        _ => &[],
    }
}

/// [`Walks::walked`] without remembering anything: [`walk_on`] from `x`, what the remembered
/// walks are checked against.
#[cfg(test)]
pub(crate) fn walked_afresh(
    engine: &Engine<'_>,
    result: &Derivation,
    x: EntityId,
    family: FamilyId,
    for_side: bool,
    steps: usize,
) -> Walked {
    let (mut last, mut k, mut crossed) = (x, 0, Vec::new());
    let end = walk_on(result, x, family, None, for_side, steps, |a, origin| {
        last = a;
        k += 1;
        if let Some(origin) = origin {
            crossed.extend_from_slice(crossed_by(engine, origin));
        }
    });
    dedup_in_order(&mut crossed);
    Walked {
        last,
        claim: end.claim,
        k,
        crossed,
        guarded: end.guarded,
    }
}

/// What a judgement reads from its fused evidence (model §7): the opinion, its projected
/// probability, the likelihood term and the confidence level. One function for judgements and
/// their sensitivity rows, so that both read the same numbers the same way.
pub(crate) struct Reading {
    pub(crate) opinion: Opinion,
    pub(crate) p: f64,
    pub(crate) term: Option<IcdTerm>,
    pub(crate) confidence: Confidence,
}

impl Reading {
    fn of(r: f64, s: f64, strong_lines: usize, prior: f64) -> Reading {
        let opinion = Opinion::from_evidence(r, s, prior);
        let p = opinion.projected();
        let u = opinion.uncertainty();
        // Each bound read within the arithmetic's error (`terms::EDGE_SLACK`), as the bands are.
        let within = |bound| crate::terms::at_or_below(u, bound);
        let term = within(MAX_UNCERTAINTY_FOR_TERM).then(|| IcdTerm::from_probability(p));
        let confidence = if within(HIGH_CONFIDENCE_UNCERTAINTY) && strong_lines >= 2 {
            Confidence::High
        } else if within(MODERATE_CONFIDENCE_UNCERTAINTY) {
            Confidence::Moderate
        } else {
            Confidence::Low
        };
        Reading {
            opinion,
            p,
            term,
            confidence,
        }
    }
}

/// An echo's reason: [`Weightless::Echo`], or [`Weightless::EchoOfOther`] when none of the
/// originals it restates states what it states ([`Statement::restates`]; `check` warns, W108).
fn echo_kind(engine: &Engine<'_>, c: ClaimId) -> Weightless {
    let case = engine.case;
    let statement = case.claim(c).statement;
    let says_it = (engine.originals_of(c).iter())
        .any(|&o| statement.restates(case.claim(o).statement, &case.entities));
    if says_it {
        Weightless::Echo
    } else {
        Weightless::EchoOfOther
    }
}

/// The claims that name a hypothesis but carry no weight, by claim id.
fn weightless(
    engine: &Engine<'_>,
    result: &Derivation,
    actor: EntityId,
) -> Vec<(ClaimId, Weightless)> {
    let case = engine.case;
    let names = |c: &ClaimId| matches!(case.claim(*c).statement, Statement::Responsible { actor: a, .. } if a == actor);
    let mut out: Vec<(ClaimId, Weightless)> = result
        .echoes
        .iter()
        .filter(|c| names(c))
        .map(|&c| (c, echo_kind(engine, c)))
        .chain(
            result
                .inert
                .iter()
                .filter(|c| names(c))
                .map(|&c| (c, Weightless::NoLikelihood)),
        )
        .collect();
    if let Some(f) = result.fused.get(&actor) {
        out.extend(f.contributions.iter().filter_map(|c| match c.origin {
            Origin::Direct(id) if c.r == 0.0 && c.s == 0.0 => {
                // A claim that says something yet gave nothing is a stand-in held to what the
                // claims it restates would give (model §6).
                let own = &engine.weights[id.0 as usize];
                let why = if own.r == 0.0 && own.s == 0.0 {
                    Weightless::Vacuous
                } else if engine.restates_elsewhere(id) {
                    Weightless::Elsewhere
                } else {
                    Weightless::Capped
                };
                Some((id, why))
            }
            _ => None,
        }));
    }
    // A link or pair from an actor with evidence on this incident that it would carry, which
    // carries none of it across: its claims name the hypothesis and weigh nothing here.
    for (claims, other, carries) in engine.idle_links(actor) {
        let Some(f) = result.fused.get(&other) else {
            continue;
        };
        let would_carry = f.contributions.iter().any(|c| match carries {
            Carries::Support => c.r > 0.0,
            Carries::Opposition => c.s > 0.0,
            Carries::Direct => matches!(c.origin, Origin::Direct(_)) && c.r > 0.0,
        });
        if !would_carry {
            continue;
        }
        for &c in claims {
            let w = &engine.weights[c.0 as usize];
            let why = if !w.in_scenario {
                continue;
            } else if engine.is_echo(c, &[]) {
                echo_kind(engine, c)
            } else if !w.usable {
                Weightless::NoLikelihood
            } else if w.s > 0.0 {
                Weightless::DoubtedLink
            } else {
                Weightless::Vacuous
            };
            out.push((c, why));
        }
    }
    out.sort_by(|a, b| crate::ids::cmp(&case.claim(a.0).id, &case.claim(b.0).id));
    out
}

/// Where one line of evidence on an actor comes from: the actors it passed through, from
/// where it starts to the actor itself, and the origin at the start (a direct claim, a
/// same-as pair or a competing hypothesis).
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The actors the line passed through, from where it starts to the actor judged.
    pub path: Vec<EntityId>,
    /// Where the line starts: a claim, a pair or a competing hypothesis.
    pub origin: Origin,
    /// The claim the line rests on, when it starts at a claim (directly or across a pair).
    pub claim: Option<ClaimId>,
}

/// Follows a family's strongest share back to where it starts: support (`for_side`) back down
/// the chains it came up, opposition back up to the whole it came down from. The passes are
/// acyclic (support only goes up, opposition only down, same-as one hop from direct claims
/// only), so the trace always ends.
pub fn trace(result: &Derivation, actor: EntityId, family: FamilyId, for_side: bool) -> Trace {
    let line = result.fused.get(&actor).and_then(|f| f.line(family));
    trace_from(result, actor, family, line, for_side)
}

/// [`trace`] of a line at hand (one of `actor`'s lines): a renderer that walks an actor's
/// lines traces each without searching the list for it again, which on an actor with hundreds
/// of lines would make the walk quadratic.
pub(crate) fn trace_line(
    result: &Derivation,
    actor: EntityId,
    line: &Line,
    for_side: bool,
) -> Trace {
    trace_from(result, actor, line.family, Some(line), for_side)
}

/// [`trace`] with the first actor's line of `family` already found (`None`: it has none).
fn trace_from(
    result: &Derivation,
    actor: EntityId,
    family: FamilyId,
    first: Option<&Line>,
    for_side: bool,
) -> Trace {
    let mut path = Vec::new();
    let (origin, claim) = walk(result, actor, family, first, for_side, |x, _| path.push(x));
    path.reverse();
    Trace {
        path,
        origin,
        claim,
    }
}

/// The walk of [`trace_from`] without its path: `step` is given each actor the line passes
/// through, from `actor` back to where it starts, and the origin at the start and the claim
/// the line rests on are returned. What counts lines and finds carriers, for every judgement
/// of a large case, without a vector per line.
fn walk(
    result: &Derivation,
    actor: EntityId,
    family: FamilyId,
    first: Option<&Line>,
    for_side: bool,
    mut step: impl FnMut(EntityId, Option<Origin>),
) -> (Origin, Option<ClaimId>) {
    step(actor, None);
    let end = walk_on(result, actor, family, Some(first), for_side, 1, step);
    (end.origin, end.claim)
}

/// Where a [`walk`] ends.
struct WalkEnd {
    origin: Origin,
    claim: Option<ClaimId>,
    /// The guard against cycles stopped it (at most one step per actor of the derivation).
    guarded: bool,
}

/// [`walk`] continued at `x`, with `steps` actors already on the path: `at_hand` is the line
/// to follow at `x` (`None`: `x`'s line of `family`), and `step` is given each actor after
/// `x`, with the contribution it passed on by (a chain or a pair).
fn walk_on(
    result: &Derivation,
    mut x: EntityId,
    family: FamilyId,
    mut at_hand: Option<Option<&Line>>,
    for_side: bool,
    mut steps: usize,
    mut step: impl FnMut(EntityId, Option<Origin>),
) -> WalkEnd {
    loop {
        match next_step(result, x, family, at_hand.take(), for_side, steps) {
            Next::On(from, origin) => {
                step(from, Some(origin));
                steps += 1;
                x = from;
            }
            Next::End(last, end) => {
                if let Some((from, origin)) = last {
                    step(from, Some(origin));
                }
                return end;
            }
        }
    }
}

/// What a walk does at an actor: goes on to the actor a chain or inherited share came from,
/// or ends, after a last step to the actor a pair passed its share from, or none.
enum Next {
    On(EntityId, Origin),
    End(Option<(EntityId, Origin)>, WalkEnd),
}

/// One step of [`walk_on`] at `x`, with `steps` actors already on the path.
fn next_step(
    result: &Derivation,
    x: EntityId,
    family: FamilyId,
    at_hand: Option<Option<&Line>>,
    for_side: bool,
    steps: usize,
) -> Next {
    let found = result.fused.get(&x).and_then(|f| {
        let line = match at_hand {
            Some(line) => line?,
            None => f.line(family)?,
        };
        let i = if for_side {
            line.for_from
        } else {
            line.against_from
        }?;
        Some(f.contributions[i].origin)
    });
    let Some(origin) = found else {
        let end = WalkEnd {
            origin: Origin::Direct(ClaimId(u32::MAX)),
            claim: None,
            guarded: false,
        };
        return Next::End(None, end);
    };
    let guarded = steps > result.fused.len();
    match origin {
        Origin::Chain { from, .. } | Origin::Inherited { from, .. } if !guarded => {
            Next::On(from, origin)
        }
        _ => {
            let (last, claim) = match origin {
                Origin::Direct(c) => (None, Some(c)),
                Origin::SameAs { from, .. } => {
                    (Some((from, origin)), strongest_direct(result, from, family))
                }
                _ => (None, None),
            };
            let guarded =
                guarded && matches!(origin, Origin::Chain { .. } | Origin::Inherited { .. });
            Next::End(
                last,
                WalkEnd {
                    origin,
                    claim,
                    guarded,
                },
            )
        }
    }
}

/// The direct claim on `actor` with the largest supporting share in `family`.
fn strongest_direct(result: &Derivation, actor: EntityId, family: FamilyId) -> Option<ClaimId> {
    let f = result.fused.get(&actor)?;
    let mut best: Option<(f64, ClaimId)> = None;
    for c in &f.contributions {
        if let Origin::Direct(id) = c.origin {
            for sh in c
                .shares
                .iter()
                .filter(|sh| sh.family == family && sh.r > 0.0)
            {
                if best.is_none_or(|(r, _)| sh.r > r) {
                    best = Some((sh.r, id));
                }
            }
        }
    }
    best.map(|(_, id)| id)
}

/// The least part of the strongest line's weight (`r`) a line must have for the claim it
/// starts at to be named a carrier.
const CARRIER_SHARE: f64 = 0.1;

/// The claims that carry a hypothesis: for each supporting line of evidence with at least
/// [`CARRIER_SHARE`] of the strongest one's weight, strongest line first, the claim the
/// line's strongest share rests on (through chains and pairs). At most three. Beside them,
/// the claims of the links and pairs their evidence crosses.
fn carriers(
    engine: &Engine<'_>,
    result: &Derivation,
    actor: EntityId,
    walks: &mut Walks,
) -> (Vec<ClaimId>, Vec<ClaimId>) {
    let (mut out, mut via) = (Vec::new(), Vec::new());
    let Some(f) = result.fused.get(&actor) else {
        return (out, via);
    };
    let mut lines: Vec<&Line> = f.lines.iter().filter(|l| l.r > 0.0).collect();
    lines.sort_by(|a, b| b.r.total_cmp(&a.r));
    // A line with a sliver of the strongest one's weight carries nothing a reader should
    // look to (the attackers' own E-graded message beside the FBI's attribution).
    let strongest = lines.first().map_or(0.0, |l| l.r);
    for line in lines
        .into_iter()
        .take_while(|l| l.r >= CARRIER_SHARE * strongest)
    {
        let walked = walks.walked(engine, result, actor, line.family, true, 1);
        if let Some(c) = walked.claim {
            push_unique(&mut out, c);
            via.extend_from_slice(&walked.crossed);
        }
        if out.len() >= 3 {
            break;
        }
    }
    dedup_in_order(&mut via);
    (out, via)
}

/// `v` with each entry kept at its first place only: by a scan while short (a judgement is
/// usually carried across a few links), through a set when long, since a line up a chain of
/// thousands of links crosses them all, and a scan per entry would make every judgement on
/// the chain quadratic in its length.
fn dedup_in_order<T: Copy + Eq + std::hash::Hash>(v: &mut Vec<T>) {
    if v.len() <= 16 {
        let mut kept = 0;
        for i in 0..v.len() {
            if !v[..kept].contains(&v[i]) {
                v[kept] = v[i];
                kept += 1;
            }
        }
        v.truncate(kept);
    } else {
        let mut seen = rustc_hash::FxHashSet::default();
        seen.reserve(v.len());
        v.retain(|x| seen.insert(*x));
    }
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// The effect of setting one claim or source aside on one hypothesis.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// The claim or source set aside.
    pub item: Removal,
    /// Projected probability without it.
    pub p: f64,
    /// Change in projected probability (`p` without minus `p` with).
    pub delta: f64,
    /// Likelihood term without it (`None`: insufficient evidence).
    pub term: Option<IcdTerm>,
    /// Confidence without it.
    pub confidence: Confidence,
    /// The likelihood term or the confidence level changes without it.
    pub pivotal: bool,
}

/// The sensitivity tables of the hypotheses `wanted` on one assessed incident: for every claim
/// and source behind a hypothesis, the judgement without it. Each item is replayed once for
/// the whole incident, incrementally ([`Incremental`]): only the families and the paths up and
/// down that the removal touches are re-derived; equal to a full recomputation
/// (property-tested).
pub(crate) fn sensitivities(
    engine: &Engine<'_>,
    index: &ClaimIndex,
    assessed: &IncidentAssessment,
    wanted: impl Fn(EntityId) -> bool,
) -> Vec<(usize, Vec<Sensitivity>)> {
    let replay = Incremental::new(engine, index, &assessed.derivation);
    // Each item is replayed once for the incident, and an item whose removal changes what
    // another's does shares that one's replay: `seen` maps items to their place in `replays`.
    let mut seen: HashMap<Removal, usize> = HashMap::default();
    let mut replays: Vec<Vec<(EntityId, Verdict)>> = Vec::new();
    let replayed = |seen: &mut HashMap<Removal, usize>,
                    replays: &mut Vec<Vec<(EntityId, Verdict)>>,
                    item: Removal| {
        if let Some(&k) = seen.get(&item) {
            return k;
        }
        let same = replay.equivalent(item);
        let k = *seen.entry(same).or_insert_with(|| {
            replays.push(replay.verdicts(same));
            replays.len() - 1
        });
        seen.insert(item, k);
        k
    };
    let mut restated_below = RestatedBelow::default();
    let mut out = Vec::new();
    for (k, base) in assessed.hypotheses.iter().enumerate() {
        if !wanted(base.actor) {
            continue;
        }
        let (claims, sources) = crate::reason::behind_in(
            engine.case,
            &engine.links,
            &engine.pairs,
            &assessed.derivation,
            base.actor,
            &index.order,
        );
        let restated = |c: ClaimId| index.restated_by_another(engine.case, c, &mut restated_below);
        let lines = shared_lines(engine.case, &sources, &claims, restated);
        let items = claims
            .into_iter()
            .map(Removal::Claim)
            .chain(sources.into_iter().map(Removal::Source))
            .chain(lines.into_iter().map(Removal::Family));
        // Read once, for the rows that leave the judgement as it is.
        let base_reading = base.reading();
        let mut rows: Vec<Sensitivity> = items
            .map(|item| {
                let k = replayed(&mut seen, &mut replays, item);
                let changed = &replays[k];
                let verdict = changed
                    .binary_search_by_key(&base.actor, |(x, _)| *x)
                    .ok()
                    .map(|i| &changed[i].1);
                row(base, &base_reading, item, verdict)
            })
            .collect();
        drop_repeated_lines(engine.case, &mut rows);
        out.push((k, rows));
    }
    out
}

/// Drops the row of a line of evidence of one source that reads as that source's row: its
/// restatements by others, which stand in for the source's claims but go with the line, carry
/// nothing here (set aside by a what-if, say), and the row would only repeat the source's.
fn drop_repeated_lines(case: &Case, rows: &mut Vec<Sensitivity>) {
    let same = |a: &Sensitivity, b: &Sensitivity| {
        (a.p.to_bits(), a.term, a.confidence) == (b.p.to_bits(), b.term, b.confidence)
    };
    let repeats: Vec<usize> = (0..rows.len())
        .filter(|&k| {
            let Removal::Family(f) = rows[k].item else {
                return false;
            };
            let mut of = (rows.iter())
                .filter(|r| matches!(r.item, Removal::Source(s) if case.source(s).family == f));
            match (of.next(), of.next()) {
                (Some(source), None) => same(source, &rows[k]),
                _ => false,
            }
        })
        .collect();
    for k in repeats.into_iter().rev() {
        rows.remove(k);
    }
}

/// The lines of evidence (dependence families) of two or more of `sources`, by name: what a
/// hypothesis rests on as a line, beside its single sources. A line of one source behind it
/// is that source's row again, unless another source restates one of its `claims`
/// (`restated`): without the source the restatement stands in for the claim, without the line
/// it goes with it (model §6), and the line's row is the one that shows what the judgement
/// rests on (Microsoft's attribution repeated by CISA and Reuters).
fn shared_lines(
    case: &Case,
    sources: &[SourceId],
    claims: &[ClaimId],
    mut restated: impl FnMut(ClaimId) -> bool,
) -> Vec<FamilyId> {
    let mut families: Vec<(FamilyId, SourceId)> = (sources.iter())
        .map(|&s| (case.source(s).family, s))
        .collect();
    families.sort_unstable();
    // The sources with a claim another source restates, looked up once per claim.
    let mut restating: Vec<SourceId> = (claims.iter())
        .filter(|&&c| restated(c))
        .map(|&c| case.claim(c).source)
        .collect();
    restating.sort_unstable();
    let alone_restated = |s: SourceId| restating.binary_search(&s).is_ok();
    let mut shared: Vec<FamilyId> = families
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1 || alone_restated(run[0].1))
        .map(|run| run[0].0)
        .collect();
    shared.sort_by(|&a, &b| crate::ids::cmp(case.family(a), case.family(b)));
    shared
}

/// One row of a sensitivity table: the judgement `base` (read as `base_reading`) without
/// `item`, whose evidence is `without` (`None`: unchanged).
fn row(
    base: &Judgement,
    base_reading: &Reading,
    item: Removal,
    without: Option<&Verdict>,
) -> Sensitivity {
    let (p, term, confidence) = match without {
        None => (base_reading.p, base_reading.term, base_reading.confidence),
        Some(v) => {
            let j = Reading::of(v.r, v.s, v.strong_lines, base.prior);
            (j.p, j.term, j.confidence)
        }
    };
    Sensitivity {
        item,
        p,
        delta: p - base_reading.p,
        term,
        confidence,
        pivotal: term != base_reading.term || confidence != base_reading.confidence,
    }
}

/// The judgement on `actor` without `item`, recomputed from the `relevant` actors only
/// ([`Engine::relevant`]): the restricted recomputation the incremental one is checked
/// against, itself checked against a full recomputation.
#[cfg(test)]
pub(crate) fn judgement_without(
    engine: &Engine<'_>,
    incident: IncidentId,
    actor: EntityId,
    item: Removal,
    relevant: &BTreeSet<EntityId>,
) -> Judgement {
    let without = engine.incident_restricted(incident, &[item], Some(relevant));
    judgement_of(engine, &without, actor)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request that cannot apply to its case was assessed anyway: a prior of NaN judged every
    /// hypothesis "almost no chance", a restated likelihood disagreeing with its probability
    /// was read by either, an id of a larger case panicked deep in the engine. Each is named
    /// by `check`, and `assess_with` refuses it at once.
    #[test]
    fn a_request_that_cannot_apply_to_its_case_is_named() {
        let case = crate::load(
            include_str!("../graphs/albania-2022.ron"),
            crate::format::Syntax::Ron,
        )
        .unwrap()
        .case;
        let request = |scenario: Scenario| Request {
            scenario,
            ..Request::default()
        };
        let d5 = case.find_claim("d5").unwrap();
        let problems = [
            Scenario {
                prior: Some(f64::NAN),
                ..Scenario::default()
            },
            Scenario {
                restated: [(
                    d5,
                    (crate::format::Likelihood::Icd("likely".into()), Some(7.0)),
                )]
                .into(),
                ..Scenario::default()
            },
            Scenario {
                restated: [(
                    d5,
                    (crate::format::Likelihood::Icd("likely".into()), Some(0.1)),
                )]
                .into(),
                ..Scenario::default()
            },
            Scenario {
                without_claims: [ClaimId(case.claims.len() as u32)].into(),
                ..Scenario::default()
            },
        ];
        for scenario in problems {
            assert!(
                request(scenario.clone()).check(&case).is_err(),
                "{scenario:?}"
            );
        }
        let fine = Scenario {
            restated: [(
                d5,
                (crate::format::Likelihood::Icd("likely".into()), Some(0.675)),
            )]
            .into(),
            prior: Some(0.3),
            ..Scenario::default()
        };
        assert_eq!(request(fine).check(&case), Ok(()));
        let far = Request {
            incident: Some(IncidentId(case.incidents.len() as u32)),
            ..Request::default()
        };
        assert!(far.check(&case).unwrap_err().contains("incident #"));
        let refused = std::panic::catch_unwind(|| assess_with(&case, far.clone()));
        assert!(refused.is_err());
    }

    /// The other refusals of a request: an actor or a sensitivity actor out of the case's
    /// range, a re-grade to a track record that counts no reports, a line of evidence out of
    /// range.
    #[test]
    fn every_refusal_of_a_request_is_named() {
        let case = crate::load(
            include_str!("../graphs/albania-2022.ron"),
            crate::format::Syntax::Ron,
        )
        .unwrap()
        .case;
        let stranger = EntityId(case.entities.len() as u32);
        for asked in [
            Request {
                actor: Some(stranger),
                ..Request::default()
            },
            Request {
                sensitivity: SensitivityFor::Actor(stranger),
                ..Request::default()
            },
        ] {
            assert!(asked.check(&case).unwrap_err().contains("actor #"));
        }
        let record = crate::model::Reliability::TrackRecord {
            valid: -1.0,
            invalid: 0.0,
        };
        let regraded = Scenario {
            grades: [(crate::model::SourceId(0), record)].into(),
            ..Scenario::default()
        };
        assert!(regraded.check(&case).unwrap_err().contains("track record"));
        let no_line = Scenario {
            without_families: [FamilyId(case.families.len() as u32)].into(),
            ..Scenario::default()
        };
        assert!(
            no_line
                .check(&case)
                .unwrap_err()
                .contains("line of evidence #")
        );
    }

    proptest::proptest! {
        /// Dropping repeats keeps the first of each in place, as pushing each entry unless
        /// already there does: short lists (scanned) and long ones (through a set) alike.
        #[test]
        fn repeats_are_dropped_in_the_order_first_met(
            v in proptest::collection::vec(0u32..40, 0..80)
        ) {
            let mut expected = Vec::new();
            for &x in &v {
                push_unique(&mut expected, x);
            }
            let mut got = v.clone();
            dedup_in_order(&mut got);
            proptest::prop_assert_eq!(got, expected);
        }
    }

    /// The key incidents are sorted by orders their starts as dates do, undated last: every
    /// pair of starts from parts that tie, follow each other and are the largest a date holds.
    #[test]
    fn an_incidents_key_orders_as_its_start() {
        let parts = [
            None,
            Some(0),
            Some(1),
            Some(2),
            Some(12),
            Some(254),
            Some(u8::MAX),
        ];
        let mut starts = vec![None];
        for year in [0, 2021, 2022, u16::MAX] {
            for month in parts {
                for day in parts {
                    starts.push(Some(crate::date::Date { year, month, day }));
                }
            }
        }
        for a in &starts {
            for b in &starts {
                assert_eq!(
                    started(*a).cmp(&started(*b)),
                    (a.is_none(), a).cmp(&(b.is_none(), b)),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn borrowed_verdicts_are_recognised() {
        let mut j = judgement_of(
            &Engine::new(&empty_case(), Scenario::default()),
            &Derivation {
                incident: IncidentId(0),
                fused: Default::default(),
                echoes: vec![],
                inert: vec![],
            },
            EntityId(0),
        );
        assert!(!j.only_borrowed(), "no evidence at all is not borrowed");
        j.lines_against = 1;
        j.lines_against_from.competing = 1;
        assert!(j.only_borrowed());
        // A claim against it whose family's line a competitor's stronger share carries.
        j.opposing = vec![ClaimId(0)];
        assert!(!j.only_borrowed());
        j.opposing.clear();
        j.lines_against_from.direct = 1;
        assert!(!j.only_borrowed());
    }

    fn empty_case() -> Case {
        let text = r#"Case(title: "t", actors: [Actor(id: "a", name: "A", kind: State)],
            incidents: [Incident(id: "x", name: "X")], sources: [], claims: [],
            hypotheses: [Hypothesis(incident: "x", actor: "a")])"#;
        crate::load::load(text, crate::format::Syntax::Ron)
            .expect("a valid case")
            .case
    }
}
