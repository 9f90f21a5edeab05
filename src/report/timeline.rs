//! How the judgement came about over time: the probability of an incident's top hypotheses on
//! every date a claim was made, each point the same computation as `--as-of` that date (only
//! claims known to have been made by then count), under the what-if in force.
//!
//! The last point is the assessment itself: at the case's `as_of` (or the what-if's), or,
//! when neither gives a date, with every claim including the undated ones.

use crate::assess::{Assessment, IncidentAssessment, Scenario, assess};
use crate::date::Date;
use crate::model::{Case, EntityId, IncidentId, Statement};
use std::collections::BTreeSet;

/// At most this many hypotheses are followed per incident (judged ones: those the case lists
/// or sets against each other first, then the most probable, one line for those drawn one
/// over the other; `keep_distinct`).
pub const MAX_LINES: usize = 4;
/// At most this many dates are computed (each is a whole assessment); with more claim dates,
/// this many are taken evenly from first to last.
pub const MAX_POINTS: usize = 60;

/// One date of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The cut-off date; `None` for the final point when it has no date (undated claims
    /// counted).
    pub date: Option<Date>,
    /// P of each followed hypothesis, in [`Timeline::actors`] order; `None` when it was no
    /// hypothesis yet.
    pub p: Vec<Option<f64>>,
    /// Whether each followed hypothesis could be judged on that date (a likelihood term, not
    /// "insufficient evidence"): a P without a judgement is mostly the base rate, and a chart
    /// must not place it in a term's band as if it were one.
    pub judged: Vec<bool>,
}

impl Point {
    /// The point of `actors` on `date`, read from the incident's assessment then (`None`
    /// when the incident had no claim yet).
    fn of(date: Option<Date>, actors: &[EntityId], ia: Option<&IncidentAssessment>) -> Point {
        let judgements: Vec<_> = actors
            .iter()
            .map(|&actor| ia.and_then(|ia| ia.judgement(actor)))
            .collect();
        Point {
            date,
            p: judgements.iter().map(|j| j.map(|j| j.p())).collect(),
            judged: judgements
                .iter()
                .map(|j| j.is_some_and(|j| j.term().is_some()))
                .collect(),
        }
    }
}

/// The timeline of one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The incident.
    pub incident: IncidentId,
    /// The hypotheses followed, of those judged in the final assessment (`candidates`,
    /// `keep_distinct`).
    pub actors: Vec<EntityId>,
    /// In date order, the final assessment last: the dates of claims that can move the
    /// incident (its own, links and pairs), from the first on which it has a hypothesis.
    pub points: Vec<Point>,
    /// Claim dates skipped to keep to [`MAX_POINTS`].
    pub skipped: usize,
    /// The hypotheses the analyst set against each other on the incident (listed, or members
    /// of an exclusive set) that the final assessment does not judge (insufficient evidence,
    /// or no evidence at all), in the order the case names them: not drawn, and the caption
    /// says so, since a reader looks for them first.
    pub unjudged: Vec<EntityId>,
    /// Hypotheses left out of the chart because their line would lie under one drawn (the
    /// same judgement and P within two points on every date they are drawn), each with the
    /// one it would lie under: the caption names them, since four lines are all a chart
    /// draws and three groups alike can fill it.
    pub alike: Vec<(EntityId, EntityId)>,
}

/// The hypotheses an incident's chart may follow, in the order they are chosen, with their
/// place in the final ranking: those judged, the ones the analyst set against each other
/// (listed in `hypotheses` or members of an exclusive set on the incident) before the
/// others, so that the alternative an ACH weighs is drawn beside the leading one, not crowded
/// out by parts of it; each group most probable first. Twice [`MAX_LINES`] of them, from
/// which [`keep_distinct`] draws the lines.
fn candidates(
    named: &BTreeSet<(IncidentId, EntityId)>,
    ia: &IncidentAssessment,
) -> Vec<(usize, EntityId)> {
    let named = |a: EntityId| named.contains(&(ia.incident, a));
    let judged: Vec<(usize, EntityId)> = (ia.hypotheses.iter().enumerate())
        .filter(|(_, j)| j.term().is_some())
        .map(|(k, j)| (k, j.actor))
        .collect();
    (judged.iter().copied())
        .filter(|&(_, a)| named(a))
        .chain(judged.iter().copied().filter(|&(_, a)| !named(a)))
        .take(2 * MAX_LINES)
        .collect()
}

/// How far apart, in P, two lines may be on every date and still tell one story.
const SAME_LINE: f64 = 0.02;

/// Whether the line of `b` would be drawn under that of `a`: `a` is drawn on every date `b`
/// is, with the same judgement or none and P within [`SAME_LINE`] (a part judged on its
/// whole's evidence, or a whole on its one part's, from the date it is a hypothesis at all).
/// A date on which `b` alone is drawn is a part of its story no other line tells (a state
/// judged in March, the actor an attribution of July named beside it judged from July on).
fn same_line(points: &[Point], a: usize, b: usize) -> bool {
    points.iter().all(|p| match (p.p[a], p.p[b]) {
        (Some(x), Some(y)) => p.judged[a] == p.judged[b] && (x - y).abs() < SAME_LINE,
        (None, Some(_)) => false,
        _ => true,
    })
}

/// The lines a timeline draws, at most [`MAX_LINES`] of its candidates (`ranked`: each one's
/// place in the final ranking, in the candidates' order): in the order they were chosen,
/// those not drawn over one already kept, then, while there is room, the others; in the
/// final ranking's order. Three parts of one state drawn as one line left out the
/// hypothesis whose probability moved (the false flag's story).
fn keep_distinct(t: &mut Timeline, ranked: &[usize]) {
    if t.actors.len() <= MAX_LINES {
        return;
    }
    let mut kept: Vec<usize> = Vec::with_capacity(MAX_LINES);
    for k in 0..t.actors.len() {
        if kept.len() < MAX_LINES && kept.iter().all(|&j| !same_line(&t.points, j, k)) {
            kept.push(k);
        }
    }
    for k in 0..t.actors.len() {
        if kept.len() < MAX_LINES && !kept.contains(&k) {
            kept.push(k);
        }
    }
    // Those left out for lying under a line drawn, named with it.
    for k in (0..t.actors.len()).filter(|k| !kept.contains(k)) {
        if let Some(&j) = kept.iter().find(|&&j| same_line(&t.points, j, k)) {
            t.alike.push((t.actors[k], t.actors[j]));
        }
    }
    kept.sort_unstable_by_key(|&k| ranked[k]);
    t.actors = kept.iter().map(|&k| t.actors[k]).collect();
    for p in &mut t.points {
        p.p = kept.iter().map(|&k| p.p[k]).collect();
        p.judged = kept.iter().map(|&k| p.judged[k]).collect();
    }
}

/// The dates the timelines are computed on, before `final_date` (the final point's): the last
/// days of the claims made by the what-if's `as_of` that can move an assessed incident
/// ([`Moving`]; a report of one incident samples its own dates, not the whole case's), at
/// most [`MAX_POINTS`] − 1 of them taken evenly from first to last; and all of them, to count
/// each chart's dates left out.
fn claim_dates(
    scenario: &Scenario,
    assessment: &Assessment,
    moving: &Moving,
    final_date: Option<Date>,
) -> (Vec<Date>, BTreeSet<Date>) {
    let cut = scenario.as_of.map(Date::latest_day);
    let before_final = |d: &Date| final_date.is_none_or(|f| *d < f.latest_day());
    let reported = (assessment.incidents.iter()).map(|ia| &moving.by_incident[ia.incident.index()]);
    let all: BTreeSet<Date> = (reported.flatten().copied())
        .filter(|d| cut.is_none_or(|cut| *d <= cut) && before_final(d))
        .collect();
    let mut dates: Vec<Date> = all.iter().copied().collect();
    if dates.len() > MAX_POINTS - 1 {
        let n = dates.len();
        let keep = MAX_POINTS - 1;
        let picked: Vec<Date> = (0..keep).map(|k| dates[k * (n - 1) / (keep - 1)]).collect();
        dates = picked;
        dates.dedup();
    }
    (dates, all)
}

/// How many of the dates that move `incident` from its start on (of `all`, those before the
/// final point) are not among those `drawn`: after `empty_until`, the last date drawn on which
/// the incident had no hypothesis yet, if the chart dropped one. Claims only add up as the
/// dates go on, so a date before that one had none either and would not have been drawn.
fn left_out(
    case: &Case,
    incident: IncidentId,
    moving: &Moving,
    (all, drawn): (&BTreeSet<Date>, &[Date]),
    empty_until: Option<Date>,
) -> usize {
    let start = case.incident(incident).start.map(Date::earliest_day);
    let from = start.max(empty_until);
    (moving.by_incident[incident.index()].intersection(all))
        .filter(|&&d| from.is_none_or(|from| d >= from))
        .filter(|d| drawn.binary_search(d).is_err())
        .count()
}

/// The timelines of every incident of `assessment` (assessed under `scenario`).
pub fn timelines(case: &Case, scenario: &Scenario, assessment: &Assessment) -> Vec<Timeline> {
    let final_date = scenario.as_of.or(case.as_of);
    let moving = Moving::of(case, assessment);
    let (dates, all) = claim_dates(scenario, assessment, &moving, final_date);
    // The hypotheses the analyst set against each other, by incident, read once.
    // And the same by incident, in the order the case names them, for the ones not drawn.
    let mut named: BTreeSet<(IncidentId, EntityId)> = BTreeSet::new();
    let mut listed: Vec<Vec<EntityId>> = vec![Vec::new(); case.incidents.len()];
    for (i, a) in case.listed_pairs() {
        if named.insert((i, a)) {
            listed[i.index()].push(a);
        }
    }
    let mut ranks: Vec<Vec<usize>> = Vec::with_capacity(assessment.incidents.len());
    let mut out: Vec<Timeline> = assessment
        .incidents
        .iter()
        .map(|ia| {
            let (ranked, actors) = candidates(&named, ia).into_iter().unzip();
            ranks.push(ranked);
            let unjudged: Vec<EntityId> = (listed[ia.incident.index()].iter().copied())
                .filter(|&a| ia.judgement(a).is_none_or(|j| j.term().is_none()))
                .collect();
            Timeline {
                incident: ia.incident,
                actors,
                points: Vec::new(),
                skipped: 0,
                unjudged,
                alike: Vec::new(),
            }
        })
        .collect();
    let mut record = |date: Option<Date>, a: &Assessment| {
        // Each incident's assessment found by its index, not by a search per incident.
        let mut of: Vec<Option<&IncidentAssessment>> = vec![None; case.incidents.len()];
        for ia in &a.incidents {
            of[ia.incident.index()] = Some(ia);
        }
        for t in &mut out {
            t.points
                .push(Point::of(date, &t.actors, of[t.incident.index()]));
        }
    };
    for &d in &dates {
        let mut s = scenario.clone();
        s.as_of = Some(d);
        record(Some(d), &assess(case, s));
    }
    record(final_date, assessment);
    // An incident's chart shows the dates of the claims that can move it (its own, and links
    // and pairs, which reach every incident), from its first hypothesis on: another incident's
    // claims hold nothing of it. Nor does the time before it began: a link claimed years
    // earlier weighs on it, but from its start, where the first point after it shows it.
    for (t, ranked) in out.iter_mut().zip(&ranks) {
        // The final point (the assessment itself) stays whatever its date.
        let last = t.points.pop().expect("a final point");
        let start = case.incident(t.incident).start.map(Date::earliest_day);
        t.points.retain(|p| {
            p.date.is_some_and(|d| {
                moving.moves(t.incident, d) && start.is_none_or(|start| d >= start)
            })
        });
        t.points.push(last);
        let first = t
            .points
            .iter()
            .position(|p| p.p.iter().any(Option::is_some))
            .unwrap_or(t.points.len() - 1);
        let empty_until = first.checked_sub(1).and_then(|k| t.points[k].date);
        t.skipped = left_out(case, t.incident, &moving, (&all, &dates), empty_until);
        t.points.drain(..first);
        keep_distinct(t, ranked);
    }
    out
}

/// The dates (last days) of the claims that can move judgements on an incident: claims on it,
/// and the claims on links and pairs with an end among the actors its assessment reaches (a
/// link between two actors it never reaches moves nothing there, and its date was a point on
/// a flat line: a second incident's chart showed the dates of the first's links). Found in
/// one pass over the claims, for every incident at once.
struct Moving {
    /// By incident, the dates of the claims on it and on links and pairs it reaches.
    by_incident: Vec<BTreeSet<Date>>,
}

impl Moving {
    fn of(case: &Case, assessment: &Assessment) -> Moving {
        let mut m = Moving {
            by_incident: vec![BTreeSet::new(); case.incidents.len()],
        };
        // The incidents whose assessment reaches each actor.
        let mut reached: Vec<Vec<IncidentId>> = vec![Vec::new(); case.entities.len()];
        for ia in &assessment.incidents {
            for &x in ia.derivation.fused.keys() {
                reached[x.index()].push(ia.incident);
            }
        }
        for c in case.claim_ids() {
            let claim = case.claim(c);
            let Some(date) = claim.date.map(Date::latest_day) else {
                continue;
            };
            if !assessment.claim(c).in_scenario {
                continue;
            }
            match claim.statement {
                Statement::Responsible { incident, .. } | Statement::Condemns { incident } => {
                    m.by_incident[incident.index()].insert(date);
                }
                Statement::Link { from: a, to: b } | Statement::SameAs { a, b } => {
                    for &i in reached[a.index()].iter().chain(&reached[b.index()]) {
                        m.by_incident[i.index()].insert(date);
                    }
                }
            }
        }
        m
    }

    /// Whether a claim made on `date` can move judgements on `incident`.
    fn moves(&self, incident: IncidentId, date: Date) -> bool {
        self.by_incident[incident.index()].contains(&date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dates of a timeline's points, every one dated.
    fn dates(t: &Timeline) -> Vec<String> {
        (t.points.iter())
            .map(|p| p.date.expect("dated").to_string())
            .collect()
    }

    #[test]
    fn each_point_is_the_assessment_as_of_its_date() {
        let text = include_str!("../../graphs/tutorial.ron");
        let case = crate::load::load(text, crate::format::Syntax::Ron)
            .expect("the tutorial loads")
            .case;
        let a = assess(&case, Scenario::default());
        let ts = timelines(&case, &Scenario::default(), &a);
        assert_eq!(ts.len(), a.incidents.len());
        let k = a
            .incidents
            .iter()
            .position(|ia| case.incident(ia.incident).id == "marlin-outage")
            .expect("the outage");
        let t = &ts[k];
        assert!(t.points.len() >= 2, "claims on several dates");
        let last = t.points.last().expect("a final point");
        assert_eq!(last.date, case.as_of);
        assert_eq!(
            last.p[0],
            Some(a.incidents[k].hypotheses[0].p()),
            "the final point is the assessment"
        );
        assert!(
            t.points[0].p.iter().any(Option::is_some),
            "the chart starts at the first date with a hypothesis"
        );
        // Every date but the last is one a claim that can move this incident was made on.
        let moving = Moving::of(&case, &a);
        assert!(
            t.points[..t.points.len() - 1]
                .iter()
                .all(|p| p.date.is_some_and(|d| moving.moves(t.incident, d))),
            "{:?}",
            t.points
        );
        let dates: Vec<_> = t.points.iter().map(|p| p.date).collect();
        assert!(dates.windows(2).all(|w| w[0] < w[1]), "{dates:?}");
        let first = &t.points[0];
        let then = assess(
            &case,
            Scenario {
                as_of: first.date,
                ..Scenario::default()
            },
        );
        let j = then.incidents[k].judgement(t.actors[0]);
        assert_eq!(first.p[0], j.map(|j| j.p()));
        assert_eq!(first.judged[0], j.is_some_and(|j| j.term().is_some()));
        assert!(
            last.judged[0],
            "the final point is judged: it is the assessment"
        );
    }

    /// The alternatives the analyst set against each other are drawn before more probable
    /// hypotheses that are not: on Albania, the hacktivists (an exclusive set's member, P
    /// 0.07) and MOIS (listed) beside Iran and DEV-0861, the two most probable.
    #[test]
    fn the_hypotheses_set_against_each_other_are_drawn() {
        let text = include_str!("../../graphs/albania-2022.ron");
        let case = crate::load::load(text, crate::format::Syntax::Ron)
            .expect("Albania loads")
            .case;
        let a = assess(&case, Scenario::default());
        let ids = |actors: &[EntityId]| -> Vec<String> {
            actors.iter().map(|&x| case.entity(x).id.clone()).collect()
        };
        let ia = &a.incidents[0];
        let by_p: Vec<EntityId> = ia.hypotheses.iter().map(|j| j.actor).collect();
        assert_eq!(
            ids(&by_p[..4]),
            ["iran", "dev-0861", "void-manticore", "homeland-justice"],
            "the four most probable"
        );
        assert_eq!(
            ids(&timelines(&case, &Scenario::default(), &a)[0].actors),
            ["iran", "dev-0861", "mois", "albanian-hacktivists"],
            "most probable first; MuddyWater, listed but not judged, is not drawn"
        );
    }

    /// A link claimed a year before the incident began weighs on it, but the chart starts at
    /// the incident: its first point is the first claim date after the start, and shows it.
    #[test]
    fn the_chart_starts_no_earlier_than_the_incident() {
        let text = r#"Case(
            title: "Before the start",
            as_of: "2018-01-01",
            actors: [Actor(id: "st", name: "State", kind: State)],
            groups: [Group(id: "g", name: "Group")],
            incidents: [Incident(id: "inc", name: "Outbreak", start: "2017-05")],
            sources: [
                Source(id: "a", name: "A", kind: Vendor, reliability: B),
                Source(id: "b", name: "B", kind: Government, reliability: B),
            ],
            claims: [
                Claim(id: "c1", source: "a", date: "2016-02-24", subject: "g",
                    relation: SponsoredBy, object: "st", likelihood: Icd("likely")),
                Claim(id: "c2", source: "a", date: "2017-06-01", subject: "inc",
                    relation: AttributedTo, object: "g", likelihood: Icd("very likely")),
                Claim(id: "c3", source: "b", date: "2017-12-19", subject: "inc",
                    relation: AttributedTo, object: "st", likelihood: Icd("likely")),
            ],
            hypotheses: [Hypothesis(incident: "inc", actor: "st", prior: 0.3)],
        )"#;
        let case = crate::load::load(text, crate::format::Syntax::Ron)
            .expect("the case loads")
            .case;
        let a = assess(&case, Scenario::default());
        let t = &timelines(&case, &Scenario::default(), &a)[0];
        assert_eq!(dates(t), ["2017-06-01", "2017-12-19", "2018-01-01"]);
        // The first point holds the link made before the start: the state is a hypothesis
        // through the group from the first claim on the incident.
        let st = t
            .actors
            .iter()
            .position(|&e| case.entity(e).id == "st")
            .expect("the state is followed");
        assert!(t.points[0].p[st].is_some(), "{:?}", t.points);
    }

    /// A link between actors an incident never reaches moves nothing there: its date is no
    /// point of that incident's chart (a second incident's chart had a flat point at each of
    /// the first's link claims), while a link it reaches is one.
    #[test]
    fn a_link_that_does_not_reach_an_incident_is_no_point_of_it() {
        let text = r#"Case(
            title: "Two incidents",
            as_of: "2021-12-31",
            actors: [Actor(id: "ru", name: "Russia", kind: State),
                     Actor(id: "cn", name: "China", kind: State)],
            groups: [Group(id: "g1", name: "One"), Group(id: "g2", name: "Two")],
            incidents: [Incident(id: "first", name: "First", start: "2021-01"),
                        Incident(id: "second", name: "Second", start: "2021-01")],
            sources: [Source(id: "a", name: "A", kind: Vendor, reliability: B)],
            claims: [
                Claim(id: "c1", source: "a", date: "2021-02-01", subject: "first",
                    relation: AttributedTo, object: "g1", likelihood: Icd("likely")),
                Claim(id: "c2", source: "a", date: "2021-03-01", subject: "second",
                    relation: AttributedTo, object: "g2", likelihood: Icd("likely")),
                Claim(id: "c3", source: "a", date: "2021-04-01", subject: "g1",
                    relation: SponsoredBy, object: "ru", likelihood: Icd("likely")),
                Claim(id: "c4", source: "a", date: "2021-05-01", subject: "g2",
                    relation: SponsoredBy, object: "cn", likelihood: Icd("likely")),
            ],
        )"#;
        let case = crate::load::load(text, crate::format::Syntax::Ron)
            .expect("the case loads")
            .case;
        let a = assess(&case, Scenario::default());
        let ts = timelines(&case, &Scenario::default(), &a);
        let of = |id: &str| {
            (ts.iter())
                .find(|t| case.incident(t.incident).id == id)
                .expect("a timeline")
        };
        assert_eq!(
            dates(of("first")),
            ["2021-02-01", "2021-04-01", "2021-12-31"]
        );
        assert_eq!(
            dates(of("second")),
            ["2021-03-01", "2021-05-01", "2021-12-31"]
        );
    }

    /// A unit, its agency and its state, judged on the unit's claim alone, are one line drawn
    /// three times: the chart draws it once and makes room for the hypotheses that move
    /// apart, here the group a later claim denies, less probable than all three.
    #[test]
    fn lines_drawn_one_over_the_other_leave_room_for_others() {
        let text = r#"Case(
            title: "Parts",
            as_of: "2021-12-31",
            actors: [Actor(id: "st", name: "State", kind: State),
                     Actor(id: "ag", name: "Agency", kind: Agency, part_of: "st"),
                     Actor(id: "un", name: "Unit", kind: MilitaryUnit, part_of: "ag")],
            groups: [Group(id: "g1", name: "One"), Group(id: "g2", name: "Two")],
            incidents: [Incident(id: "i", name: "I", start: "2021-01")],
            sources: [Source(id: "a", name: "A", kind: Government, reliability: A),
                      Source(id: "b", name: "B", kind: Vendor, reliability: B),
                      Source(id: "c", name: "C", kind: Vendor, reliability: C)],
            claims: [
                Claim(id: "c1", source: "a", date: "2021-02-01", subject: "i",
                    relation: ConductedBy, object: "un", likelihood: Icd("almost certain")),
                Claim(id: "c2", source: "b", date: "2021-03-01", subject: "i",
                    relation: AttributedTo, object: "g1", likelihood: Icd("likely")),
                Claim(id: "c3", source: "c", date: "2021-03-01", subject: "i",
                    relation: AttributedTo, object: "g2", likelihood: Icd("likely")),
                Claim(id: "c4", source: "b", date: "2021-06-01", subject: "i",
                    relation: AttributedTo, object: "g2", likelihood: Icd("very unlikely")),
            ],
        )"#;
        let case = crate::load::load(text, crate::format::Syntax::Ron)
            .expect("the case loads")
            .case;
        let a = assess(&case, Scenario::default());
        let ia = &a.incidents[0];
        let ranked: Vec<&str> = (ia.hypotheses.iter())
            .map(|j| case.entity(j.actor).id.as_str())
            .collect();
        assert_eq!(
            ranked[..3].iter().copied().collect::<BTreeSet<_>>(),
            ["st", "ag", "un"].into()
        );
        assert_eq!(ranked[3..], ["g1", "g2"], "the group denied later is last");
        let t = &timelines(&case, &Scenario::default(), &a)[0];
        let drawn: Vec<&str> = t
            .actors
            .iter()
            .map(|&x| case.entity(x).id.as_str())
            .collect();
        assert_eq!(drawn.len(), MAX_LINES);
        assert!(drawn.contains(&"g2"), "{drawn:?}");
        assert!(drawn.contains(&"g1"), "{drawn:?}");
        // The one of the three left out is named, with the line it lies under (the agency
        // took the room left).
        let id = |x: EntityId| case.entity(x).id.as_str();
        let alike: Vec<(&str, &str)> = t.alike.iter().map(|&(x, u)| (id(x), id(u))).collect();
        assert_eq!(alike, [("un", "st")]);
    }

    /// A line lies under another only where the other is drawn too: groups judged from March
    /// and May, and another first named in July whose P is then theirs (the same evidence,
    /// or within two points), are one line from July but not before (as an actor an
    /// attribution of July names beside a state judged since March). Those with a history of
    /// their own were left out as lying under the one of July, which is considered first
    /// (the highest P, its id first), and their earlier judgements with them.
    #[test]
    fn a_line_with_dates_of_its_own_is_not_under_another() {
        let text = r#"Case(
            title: "Later",
            as_of: "2021-12-31",
            groups: [Group(id: "b-early", name: "Early"), Group(id: "a-late", name: "Late"),
                     Group(id: "g1", name: "One"), Group(id: "g2", name: "Two"),
                     Group(id: "g3", name: "Three"), Group(id: "g4", name: "Four")],
            incidents: [Incident(id: "i", name: "I", start: "2021-01")],
            sources: [Source(id: "gov", name: "Gov", kind: Government, reliability: B),
                      Source(id: "gov2", name: "Gov 2", kind: Government, reliability: B),
                      Source(id: "c", name: "C", kind: Vendor, reliability: C),
                      Source(id: "c2", name: "C 2", kind: Vendor, reliability: C),
                      Source(id: "d", name: "D", kind: Vendor, reliability: D)],
            claims: [
                Claim(id: "e1", source: "c", date: "2021-03-01", subject: "i",
                    relation: AttributedTo, object: "b-early", likelihood: Icd("likely")),
                Claim(id: "e2", source: "gov", date: "2021-07-19", subject: "i",
                    relation: AttributedTo, object: "b-early", likelihood: Icd("very likely")),
                Claim(id: "l1", source: "c2", date: "2021-07-19", subject: "i",
                    relation: AttributedTo, object: "a-late", likelihood: Icd("likely")),
                Claim(id: "l2", source: "gov2", date: "2021-07-19", subject: "i",
                    relation: AttributedTo, object: "a-late", likelihood: Icd("very likely")),
                Claim(id: "o1", source: "gov", date: "2021-04-01", subject: "i",
                    relation: AttributedTo, object: "g1", likelihood: Icd("likely")),
                Claim(id: "o2", source: "c", date: "2021-04-01", subject: "i",
                    relation: AttributedTo, object: "g2", likelihood: Icd("very likely")),
                Claim(id: "o3", source: "d", date: "2021-04-01", subject: "i",
                    relation: AttributedTo, object: "g3", likelihood: Icd("likely")),
                Claim(id: "o4", source: "gov2", date: "2021-05-01", subject: "i",
                    relation: AttributedTo, object: "g4", likelihood: Icd("almost certain")),
            ],
        )"#;
        let case = crate::load::load(text, crate::format::Syntax::Ron)
            .expect("the case loads")
            .case;
        let a = assess(&case, Scenario::default());
        let ia = &a.incidents[0];
        let (early, late) = (
            case.find_entity("b-early").unwrap(),
            case.find_entity("a-late").unwrap(),
        );
        let p = |x| ia.judgement(x).unwrap().p();
        assert_eq!(p(early), p(late), "one line from July");
        let t = &timelines(&case, &Scenario::default(), &a)[0];
        let drawn: Vec<&str> = (t.actors.iter())
            .map(|&x| case.entity(x).id.as_str())
            .collect();
        assert_eq!(drawn, ["a-late", "b-early", "g4", "g2"], "{t:?}");
        assert!(t.alike.is_empty(), "{t:?}");
        let march = (t.points.iter())
            .find(|p| p.date == Date::parse("2021-03-01").ok())
            .unwrap();
        let k = t.actors.iter().position(|&x| x == early).unwrap();
        assert!(
            march.p[k].is_some(),
            "the early group's March point is drawn"
        );
    }
}
