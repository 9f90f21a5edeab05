//! A diagram before it is written as DOT. A [`Figure`] does not hold its nodes and edges: it
//! holds what a view needs to draw them from the case and the assessment as it writes them
//! ([`crate::export::dot::write`]), and what laying it out needs to know of the whole graph —
//! which nodes [`Figure::focus`] keeps, and, for the assessment view, each hypothesis edge's
//! judgement in a few numbers, read in one pass over the incidents. A figure of a million
//! claims is written without ever holding a million labels; every untrusted string still goes
//! out through one writer.

use crate::assess::Assessment;
use crate::model::{Case, ClaimId, EntityId, IncidentId, SourceId};
use std::borrow::Cow;

/// An attribute value: text is quoted by the writer; HTML is markup built by attrib from
/// escaped pieces; `Raw` is for attrib's own constants (colours, shapes, numbers) only.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text from the case: quoted and escaped on the way out.
    Text(String),
    /// Text from the case shown on hover: quoted as `Text`, but with no backslash left
    /// ([`crate::escape::dot::push_tooltip`]).
    Tooltip(String),
    /// An HTML-like label attrib built from escaped pieces.
    Html(String),
    /// One of attrib's own constants, written as it is.
    Raw(&'static str),
    /// A number, written with two decimals.
    Number(f64),
}

/// Attributes of a node or an edge, in the order they are written. Most edges of a view share
/// one of a few constant sets (a claim's line from its source, a declared `part_of`), which
/// are borrowed rather than built for each of a large case's millions of edges.
pub type Attrs = Cow<'static, [(&'static str, Value)]>;

/// A node of a figure, by what it draws: its DOT id (`entity:iran`) and attributes are made
/// from the case when it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// An incident.
    Incident(IncidentId),
    /// An actor or a group.
    Entity(EntityId),
    /// A source (evidence view).
    Source(SourceId),
    /// A claim (evidence view).
    Claim(ClaimId),
}

impl Key {
    /// The node's place among all the nodes a view of `case` may draw: incidents, then
    /// entities, sources and claims. What a layout keeps per node is a vector indexed by it.
    pub(crate) fn index(self, case: &Case) -> usize {
        match self {
            Key::Incident(i) => i.0 as usize,
            Key::Entity(e) => case.incidents.len() + e.0 as usize,
            Key::Source(s) => case.incidents.len() + case.entities.len() + s.0 as usize,
            Key::Claim(c) => {
                case.incidents.len() + case.entities.len() + case.sources.len() + c.0 as usize
            }
        }
    }

    /// How many nodes a view of `case` may draw ([`Key::index`] is below it).
    pub(crate) fn count(case: &Case) -> usize {
        case.incidents.len() + case.entities.len() + case.sources.len() + case.claims.len()
    }
}

/// What an edge draws. Its attributes are built only when it is written: a focus or a
/// layout that reads the whole graph reads its ends alone.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EdgeKind {
    /// One of attrib's constant styles (a claim's lines, a declared `part_of`).
    Const(&'static [(&'static str, Value)]),
    /// The hypothesis edge of [`Figure`]'s `k`-th recorded judgement (assessment view).
    Hypothesis(usize),
    /// The edge of the assessment's link `k`.
    Link(usize),
    /// The edge of the assessment's "possibly same as" pair `k`.
    Pair(usize),
}

/// How many hypotheses [`Figure::most_probable`] left drawn, of how many the figure drew.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shown {
    /// Hypotheses drawn.
    pub drawn: usize,
    /// Hypotheses the figure drew before.
    pub of: usize,
}

impl Shown {
    /// Some hypotheses were left out.
    pub fn is_partial(self) -> bool {
        self.drawn < self.of
    }
}

#[derive(Debug, Clone)]
/// A diagram of one view of a case, ready to be written (as often as page fitting asks).
pub struct Figure<'a> {
    pub(crate) case: &'a Case,
    pub(crate) assessment: &'a Assessment,
    /// The graph's label.
    pub title: String,
    /// Attributes of the graph itself.
    pub(crate) graph_attrs: Vec<(&'static str, Value)>,
    /// How much legend is drawn. Its table is built as the figure is written, from what the
    /// figure keeps: a focus or an incident's own figure lists only the outlines it draws.
    pub legend: super::dot::Legend,
    /// Whether names wrap, and at what width (a figure for a page).
    pub(crate) wrap: Option<usize>,
    /// What the view draws from.
    pub(crate) view: Drawn,
    /// After [`Figure::focus`]: which nodes are drawn, by [`Key::index`]; an edge is drawn when
    /// both its ends are.
    pub(crate) keep: Option<Vec<bool>>,
    /// Over how many ranks fan-outs are staggered ([`Figure::stagger`]).
    pub(crate) stagger: usize,
}

/// What a view draws from, beside the case and the assessment.
#[derive(Debug, Clone)]
pub(crate) enum Drawn {
    /// The assessment view: its incidents and hypothesis edges, read in one pass.
    Assessment(Hypotheses),
    /// The evidence view: its clusters and which claims are echoes and which entities appear.
    Evidence(Evidence),
}

/// The assessment view's judgements, as few numbers each as its edges need: the incidents are
/// assessed once, and every node is written before any edge.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hypotheses {
    /// The incidents, in the order the assessment yields them.
    pub(crate) incidents: Vec<IncidentId>,
    /// Each hypothesis drawn (at or above `--min`), in that order.
    pub(crate) list: Vec<Hypothesis>,
    /// The claims carrying each hypothesis, then those of the links and pairs they cross,
    /// one hypothesis after another ([`Hypothesis::carriers`]).
    pub(crate) carriers: Vec<ClaimId>,
    /// Per actor drawn: on how many incidents it is judged, and the first verdict.
    pub(crate) judged_on: std::collections::BTreeMap<EntityId, Verdicts>,
    /// Per hypothesis in an exclusive set of the case: each such set's letter among its
    /// incident's sets (0 for A) and its index in [`Case::exclusive`](crate::model::Case).
    pub(crate) exclusive: std::collections::BTreeMap<(IncidentId, EntityId), Vec<(usize, usize)>>,
}

impl Hypotheses {
    /// Counts again, for each actor, the incidents that judge it among the hypotheses
    /// `drawn`, and takes its verdict from the first: a figure of one incident (a report's,
    /// `dot --incident`) names each verdict in its actor's node on a page, as a figure of a
    /// case judging each actor once does. Counted over the whole case, an actor judged on
    /// another incident too kept its verdict on its edge, whose label Graphviz placed beside
    /// whichever node was near.
    fn recount(&mut self, drawn: impl Fn(&Hypothesis) -> bool) {
        for v in self.judged_on.values_mut() {
            v.count = 0;
        }
        for j in self.list.iter().filter(|j| drawn(j)) {
            if let Some(v) = self.judged_on.get_mut(&j.actor) {
                if v.count == 0 {
                    *v = Verdicts {
                        count: 0,
                        incident: j.incident,
                        judged: j.term.is_some(),
                        word: j.word,
                        p: j.p,
                        mostly_prior: j.mostly_prior.is_some(),
                    };
                }
                v.count += 1;
            }
        }
    }
}

/// One hypothesis edge: the judgement as its label and tooltip show it.
#[derive(Debug, Clone)]
pub(crate) struct Hypothesis {
    pub(crate) incident: IncidentId,
    pub(crate) actor: EntityId,
    pub(crate) term: Option<crate::terms::IcdTerm>,
    pub(crate) word: &'static str,
    pub(crate) confidence: crate::terms::Confidence,
    pub(crate) p: f64,
    /// The prior, when the likelihood rests mostly on it ([`crate::report::mostly_prior`]):
    /// the word is then marked, as the reports mark it, so that "unlikely" on a hypothesis
    /// with nothing against it is not read as evidence against.
    pub(crate) mostly_prior: Option<f64>,
    pub(crate) lines: usize,
    pub(crate) lines_against: usize,
    /// Its range in [`Hypotheses::carriers`].
    pub(crate) carriers: std::ops::Range<u32>,
    /// Where in that range the claims of the links and pairs crossed begin.
    pub(crate) via_from: u32,
}

/// How many incidents judge an actor (at or above `--min`), and the first verdict.
#[derive(Debug, Clone)]
pub(crate) struct Verdicts {
    pub(crate) count: usize,
    /// The incident of the first verdict.
    pub(crate) incident: IncidentId,
    pub(crate) judged: bool,
    pub(crate) word: &'static str,
    pub(crate) p: f64,
    /// The likelihood rests mostly on the prior.
    pub(crate) mostly_prior: bool,
}

/// The evidence view's few facts about the whole case.
#[derive(Debug, Clone, Default)]
pub(crate) struct Evidence {
    /// Lines of evidence in name order, each with its sources in file order.
    pub(crate) clusters: Vec<(String, Vec<SourceId>)>,
    /// The claims drawn as echoes.
    pub(crate) echoes: std::collections::BTreeSet<ClaimId>,
    /// The entities drawn: those a claim or a declared `part_of` names, in id order.
    pub(crate) entities: Vec<EntityId>,
}

impl<'a> Figure<'a> {
    /// Whether the node is drawn, after any focus.
    pub(crate) fn kept(&self, key: Key) -> bool {
        self.keep
            .as_ref()
            .is_none_or(|keep| keep[key.index(self.case)])
    }

    /// Keeps only the nodes within `depth` hops (edges taken both ways) of `focus`, and the
    /// edges between them. Returns `None` when the figure draws no such node.
    ///
    /// An incident's evidence view also keeps the links up from every actor kept, however
    /// far: the wholes they are declared part of, each claimed link with its source and the
    /// whole it names, and each "possibly same as" pair with its source and the other side. What is claimed on the incident reaches its sponsors across them,
    /// and a chain cut at the depth would show a group with no way up to the state the
    /// assessment blames through it.
    ///
    /// Only a mark per node is kept: each hop is one pass over the edges' ends, which the
    /// views enumerate from the case without building them, so that a neighbourhood of a
    /// large case costs no copy of its graph.
    pub fn focus(mut self, focus: Key, depth: usize) -> Option<Self> {
        if !self.draws(focus) {
            return None;
        }
        const FAR: u32 = u32::MAX;
        let mut hops = vec![FAR; Key::count(self.case)];
        hops[focus.index(self.case)] = 0;
        for d in 0..depth.min(FAR as usize - 1) as u32 {
            let mut reached = false;
            self.each_edge(&mut |from, to, _| {
                let (a, b) = (from.index(self.case), to.index(self.case));
                if hops[a] == d && hops[b] == FAR {
                    hops[b] = d + 1;
                    reached = true;
                } else if hops[b] == d && hops[a] == FAR {
                    hops[a] = d + 1;
                    reached = true;
                }
            });
            if !reached {
                break;
            }
        }
        let mut keep: Vec<bool> = hops.into_iter().map(|h| h != FAR).collect();
        if let (Drawn::Evidence(_), Key::Incident(_)) = (&self.view, focus) {
            self.keep_chains(&mut keep);
        }
        if let Drawn::Assessment(h) = &mut self.view {
            let case = self.case;
            let kept = |key: Key| keep[key.index(case)];
            h.recount(|j| kept(Key::Incident(j.incident)) && kept(Key::Entity(j.actor)));
        }
        self.keep = Some(keep);
        Some(self)
    }

    /// Adds to `keep` the links up from every entity it holds, and on from where they lead:
    /// declared wholes, claimed links (with their claims and sources) and "possibly same as"
    /// pairs (support crosses them). One pass over the case to index the ways up, then each
    /// entity is walked from once.
    fn keep_chains(&self, keep: &mut [bool]) {
        use crate::model::Statement;
        let case = self.case;
        let at = |key: Key| key.index(case);
        let mut up: Vec<Vec<(Option<ClaimId>, EntityId)>> = vec![Vec::new(); case.entities.len()];
        for (i, e) in case.entities.iter().enumerate() {
            if let Some(whole) = e.part_of {
                up[i].push((None, whole));
            }
        }
        for id in case.claim_ids() {
            match case.claim(id).statement {
                Statement::Link { from, to } => up[from.index()].push((Some(id), to)),
                Statement::SameAs { a, b } => {
                    up[a.index()].push((Some(id), b));
                    up[b.index()].push((Some(id), a));
                }
                _ => {}
            }
        }
        let mut stack: Vec<EntityId> = (0..case.entities.len() as u32)
            .map(EntityId)
            .filter(|&e| keep[at(Key::Entity(e))])
            .collect();
        while let Some(e) = stack.pop() {
            for &(claim, next) in &up[e.index()] {
                if let Some(c) = claim {
                    keep[at(Key::Claim(c))] = true;
                    keep[at(Key::Source(case.claim(c).source))] = true;
                }
                if !keep[at(Key::Entity(next))] {
                    keep[at(Key::Entity(next))] = true;
                    stack.push(next);
                }
            }
        }
    }

    /// The assessment view focused on each of its incidents (one hop: the incident and its
    /// hypotheses), in the order the view lists them, each drawing what
    /// `focus(Key::Incident(i), 1)` keeps and built from that incident's hypotheses alone:
    /// focusing the whole figure once per incident costs a pass over every edge and a copy of
    /// every hypothesis each time, which a report of a large case cannot pay. `None` for the
    /// evidence view, and for a figure already focused.
    pub fn per_incident(&self) -> Option<Vec<(IncidentId, Figure<'a>)>> {
        let Drawn::Assessment(h) = &self.view else {
            return None;
        };
        if self.keep.is_some() {
            return None;
        }
        let mut out = Vec::with_capacity(h.incidents.len());
        let mut rest = &h.list[..];
        for &incident in &h.incidents {
            // The view lists hypotheses incident by incident, in the incidents' order.
            let n = rest.iter().take_while(|j| j.incident == incident).count();
            let (mine, next) = rest.split_at(n);
            rest = next;
            let mut one = Hypotheses {
                incidents: vec![incident],
                exclusive: (h
                    .exclusive
                    .range((incident, EntityId(0))..=(incident, EntityId(u32::MAX))))
                .map(|(k, v)| (*k, v.clone()))
                .collect(),
                ..Hypotheses::default()
            };
            for j in mine {
                // Counted again below, over this incident alone.
                if let Some(v) = h.judged_on.get(&j.actor) {
                    one.judged_on.insert(j.actor, v.clone());
                }
                let start = one.carriers.len() as u32;
                let range = j.carriers.start as usize..j.carriers.end as usize;
                one.carriers.extend_from_slice(&h.carriers[range]);
                one.list.push(Hypothesis {
                    carriers: start..one.carriers.len() as u32,
                    via_from: start + (j.via_from - j.carriers.start),
                    ..j.clone()
                });
            }
            one.recount(|_| true);
            let figure = Figure {
                case: self.case,
                assessment: self.assessment,
                title: self.title.clone(),
                graph_attrs: self.graph_attrs.clone(),
                legend: self.legend,
                wrap: self.wrap,
                view: Drawn::Assessment(one),
                keep: None,
                stagger: self.stagger,
            };
            out.push((incident, figure));
        }
        Some(out)
    }

    /// The assessment view with each incident's `n` most probable hypotheses alone (the view
    /// lists an incident's hypotheses most probable first, the first of equals in the
    /// assessment's order), the actors they judge and the links and pairs among those; and how
    /// many hypotheses it draws of how many it would have. Only hypotheses the figure draws
    /// count (after a focus, those with both ends kept). A page holds a score of hypotheses
    /// at most before their names print too small to read, and Graphviz takes minutes to lay
    /// out an incident with thousands: a report draws the strongest and says how many more its
    /// text judges. The evidence view is returned whole.
    pub fn most_probable(mut self, n: usize) -> (Self, Shown) {
        let keep = self.keep.take();
        let case = self.case;
        let kept = |key: Key| keep.as_ref().is_none_or(|k| k[key.index(case)]);
        let Drawn::Assessment(h) = &mut self.view else {
            self.keep = keep;
            return (self, Shown::default());
        };
        let mut shown = Shown::default();
        let mut run = (None, 0);
        h.list.retain(|j| {
            if !(kept(Key::Incident(j.incident)) && kept(Key::Entity(j.actor))) {
                return true; // not drawn either way
            }
            if run.0 != Some(j.incident) {
                run = (Some(j.incident), 0);
            }
            run.1 += 1;
            let drawn = run.1 <= n;
            shown.of += 1;
            shown.drawn += usize::from(drawn);
            drawn
        });
        if shown.is_partial() {
            // Every actor drawn has a hypothesis in the list, so an actor loses its node exactly
            // when every hypothesis it had is left out.
            let drawn: std::collections::BTreeSet<EntityId> =
                h.list.iter().map(|j| j.actor).collect();
            h.judged_on.retain(|e, _| drawn.contains(e));
        }
        self.keep = keep;
        (self, shown)
    }

    /// Every edge drawn (both ends kept), in the order it is written.
    pub(crate) fn each_edge(&self, f: &mut dyn FnMut(Key, Key, EdgeKind)) {
        self.each_view_edge(&mut |from, to, kind| {
            if self.kept(from) && self.kept(to) {
                f(from, to, kind);
            }
        });
    }

    /// Every node drawn outside a cluster, in the order it is written.
    pub(crate) fn each_free_node(&self, f: &mut dyn FnMut(Key)) {
        self.each_view_free_node(&mut |key| {
            if self.kept(key) {
                f(key);
            }
        });
    }

    /// Whether the view draws this node (before any focus: a focused figure draws only what
    /// it kept).
    pub fn draws(&self, key: Key) -> bool {
        if !self.kept(key) {
            return false;
        }
        match (&self.view, key) {
            (Drawn::Assessment(h), Key::Incident(i)) => h.incidents.contains(&i),
            (Drawn::Assessment(h), Key::Entity(e)) => h.judged_on.contains_key(&e),
            (Drawn::Assessment(_), _) => false,
            (Drawn::Evidence(ev), Key::Entity(e)) => ev.entities.binary_search(&e).is_ok(),
            (Drawn::Evidence(_), _) => true,
        }
    }

    /// How many nodes (the legend included) and edges the figure draws: the statements its
    /// DOT holds.
    pub fn count(&self) -> (usize, usize) {
        let mut nodes = usize::from(self.legend != super::dot::Legend::None);
        if let Drawn::Evidence(ev) = &self.view {
            for (_, sources) in &ev.clusters {
                nodes += sources
                    .iter()
                    .filter(|s| self.kept(Key::Source(**s)))
                    .count();
            }
        }
        self.each_free_node(&mut |_| nodes += 1);
        let mut edges = 0;
        self.each_edge(&mut |_, _, _| edges += 1);
        (nodes, edges)
    }

    /// The first node the figure draws, if any (a source in the evidence view, an incident in
    /// the assessment view).
    pub fn first_node(&self) -> Option<Key> {
        if let Drawn::Evidence(ev) = &self.view {
            for (_, sources) in &ev.clusters {
                if let Some(s) = sources.iter().find(|s| self.kept(Key::Source(**s))) {
                    return Some(Key::Source(*s));
                }
            }
        }
        let mut first = None;
        self.each_free_node(&mut |key| {
            first.get_or_insert(key);
        });
        first
    }
}
