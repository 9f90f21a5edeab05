//! Graphviz DOT diagrams of a case: the assessment view (who is judged responsible, how
//! likely, with what confidence) and the evidence view (who said what, on which line of
//! evidence, restating whom).
//!
//! Views build a [`Figure`]; [`write()`] turns it into DOT through `dot-writer`, with every id
//! and string passed through [`crate::escape::dot`]. Collections are walked in sorted order, so the
//! same case always gives the same bytes.

use super::figure::{Attrs, Edge, Figure, Id, Node, Value};
use crate::assess::{Assessment, Judgement};
use crate::escape::dot::{html, quoted};
use crate::format::{ActorKind, GroupKind};
use crate::model::{Case, EntityId, EntityKind, Statement};
use crate::terms::{Confidence, IcdTerm};
use dot_writer::{Attributes, DotWriter};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::sync::Arc;

/// Attributes being put together for one node or edge, before they become its [`Attrs`].
type AttrList = Vec<(&'static str, Value)>;

/// The two diagrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Incidents, candidate actors and groups, hypothesis edges styled by the judgement.
    Assessment,
    /// Sources by line of evidence, their claims and what the claims speak of.
    Evidence,
}

/// How much of the legend to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Legend {
    /// Every style and every node shape.
    #[default]
    Full,
    /// The likelihood colours and confidence lines in two rows, no shapes: for a page.
    Compact,
    /// No legend (the caption or the text says what the styles mean).
    None,
}

/// How a view is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Options {
    /// Leave out hypotheses below this term (and those with insufficient evidence).
    pub min: Option<IcdTerm>,
    /// How much legend.
    pub legend: Legend,
    /// Wrap names longer than this many characters onto several lines (for a page, where a
    /// long name would widen its whole rank).
    pub wrap: Option<usize>,
}

/// A paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
    /// ISO A3, 297 × 420 mm.
    A3,
}

/// Margins left on every side of a page, in inches (15 mm, what most word processors and
/// browsers print within).
pub const PAGE_MARGIN: f64 = 0.6;

/// The smallest text a figure may be printed at, in points.
pub const MIN_PRINTED_POINTS: f64 = 7.0;

/// The smallest font size the figures use before any scaling (edge labels and second lines).
pub const SMALLEST_FONT: f64 = 9.0;

impl Paper {
    /// The area a figure may fill, `(width, height)` in inches: the paper less its margins,
    /// turned when `landscape`.
    pub fn printable(self, landscape: bool) -> (f64, f64) {
        let (w, h) = match self {
            Paper::A4 => (210.0 / 25.4, 297.0 / 25.4),
            Paper::Letter => (8.5, 11.0),
            Paper::A3 => (297.0 / 25.4, 420.0 / 25.4),
        };
        let (w, h) = (w - 2.0 * PAGE_MARGIN, h - 2.0 * PAGE_MARGIN);
        if landscape { (h, w) } else { (w, h) }
    }
}

impl Figure {
    /// Lays the figure out with ranks running `rankdir` (`"LR"` or `"TB"`) and scaled by
    /// Graphviz to fit `size` inches (never enlarged).
    pub fn fit(&mut self, rankdir: &'static str, size: Option<(f64, f64)>) {
        self.graph_attrs
            .retain(|(k, _)| !matches!(*k, "rankdir" | "size" | "ratio" | "nodesep" | "ranksep"));
        self.graph_attrs.push(("rankdir", Value::Raw(rankdir)));
        self.graph_attrs.push(("nodesep", Value::Number(0.12)));
        self.graph_attrs.push(("ranksep", Value::Number(0.45)));
        if let Some((w, h)) = size {
            self.graph_attrs
                .push(("size", Value::Text(format!("{w:.2},{h:.2}"))));
            // Packs the layout tighter to fit `size` before scaling it, rather than only
            // scaling: on a page that is the difference between 6 pt and 7.5 pt text.
            self.graph_attrs.push(("ratio", Value::Raw("compress")));
        }
    }
}

impl Figure {
    /// Staggers fan-outs over `k` ranks: the edges leaving a node with more than `k` of them
    /// get minimum lengths 1, 2, …, k in turn, so that a dozen hypotheses of one incident
    /// stand in `k` shorter rows instead of one row too wide for a page. `k = 1` undoes it.
    pub fn stagger(&mut self, k: usize) {
        let mut fan: std::collections::BTreeMap<Id, usize> = Default::default();
        for e in &self.edges {
            *fan.entry(e.from.clone()).or_default() += 1;
        }
        let mut seen: std::collections::BTreeMap<Id, usize> = Default::default();
        for e in &mut self.edges {
            if e.attrs.iter().any(|(a, _)| *a == "minlen") {
                e.attrs.to_mut().retain(|(a, _)| *a != "minlen");
            }
            if k > 1 && fan[&e.from] > k {
                let i = seen.entry(e.from.clone()).or_default();
                let len = MINLEN[*i % k.min(MINLEN.len())];
                *i += 1;
                e.attrs.to_mut().push(("minlen", Value::Raw(len)));
            }
        }
    }
}

/// Minimum edge lengths for [`Figure::stagger`].
const MINLEN: [&str; 4] = ["1", "2", "3", "4"];

/// Writes a figure as DOT. (`dot-writer` panics on a failed write; the latch between it and
/// `out` keeps the first error instead, and it is returned here.)
pub fn write(fig: &Figure, out: &mut dyn io::Write) -> io::Result<()> {
    let mut latch = Latch { out, error: None };
    {
        let mut writer = DotWriter::from(&mut latch);
        writer.set_pretty_print(true);
        let mut g = writer.digraph();
        g.set("label", &quoted(&fig.title), false);
        g.set("labelloc", "t", false);
        if !fig.graph_attrs.iter().any(|(k, _)| *k == "fontsize") {
            g.set("fontsize", "18", false);
        }
        for (k, v) in &fig.graph_attrs {
            g.set(k, &value(v), false);
        }
        {
            let mut n = g.node_attributes();
            n.set("fontname", "\"Helvetica\"", false);
            n.set("fontsize", "11", false);
        }
        {
            let mut e = g.edge_attributes();
            e.set("fontname", "\"Helvetica\"", false);
            e.set("fontsize", "9", false);
        }
        // Nodes grouped by cluster in one pass (a large case has thousands of clusters).
        let mut members: std::collections::BTreeMap<&str, Vec<&Node>> = Default::default();
        for n in &fig.nodes {
            if let Some(c) = n.cluster.as_deref() {
                members.entry(c).or_default().push(n);
            }
        }
        for (cluster, title) in &fig.clusters {
            let mut c = g.cluster();
            c.set("label", &quoted(title), false);
            c.set("style", "\"rounded,dashed\"", false);
            c.set("color", "\"#969696\"", false);
            c.set("fontsize", "10", false);
            for n in members
                .get(cluster.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                node(&mut c, n);
            }
        }
        for n in fig.nodes.iter().filter(|n| n.cluster.is_none()) {
            node(&mut g, n);
        }
        if let Some(legend) = &fig.legend {
            let mut c = g.cluster();
            c.set("label", "\"\"", false);
            c.set("style", "invis", false);
            let mut n = c.node_named(quoted("legend"));
            n.set("shape", "plaintext", false);
            n.set("label", &format!("<{legend}>"), false);
        }
        for e in &fig.edges {
            let list = g.edge(quoted(&e.from), quoted(&e.to));
            let mut attrs = list.attributes();
            for (k, v) in e.attrs.iter() {
                attrs.set(k, &value(v), false);
            }
        }
    }
    match latch.error {
        Some(e) => Err(e),
        None => latch.out.flush(),
    }
}

/// A writer that passes bytes on until the first error, then keeps that error and swallows
/// the rest, so that a closed pipe ends the output instead of panicking inside `dot-writer`.
struct Latch<'a> {
    out: &'a mut dyn io::Write,
    error: Option<io::Error>,
}

impl io::Write for Latch<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(buf)
        {
            self.error = Some(e);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn node(scope: &mut dot_writer::Scope<'_, '_>, n: &Node) {
    let mut node = scope.node_named(quoted(&n.id));
    for (k, v) in n.attrs.iter() {
        node.set(k, &value(v), false);
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::Text(t) => quoted(t),
        Value::Html(h) => format!("<{h}>"),
        Value::Raw(r) => quoted(r),
        Value::Number(x) => format!("{x:.2}"),
    }
}

/// Builds the figure of a view with the full legend and no wrapping.
pub fn figure(case: &Case, assessment: &Assessment, view: View, min: Option<IcdTerm>) -> Figure {
    figure_with(
        case,
        assessment,
        view,
        &Options {
            min,
            ..Options::default()
        },
    )
}

/// Builds the figure of a view as `options` ask.
pub fn figure_with(case: &Case, assessment: &Assessment, view: View, options: &Options) -> Figure {
    let mut fig = Figure {
        title: {
            let mut t = match crate::report::information_date(case, assessment) {
                Some(d) => format!("{} (as of {d})", case.title),
                None => case.title.clone(),
            };
            // A diagram of a what-if says so under its title, like every other output.
            for line in crate::report::scenario_lines(case, &assessment.scenario) {
                t.push_str(&format!("\nwhat-if: {line}"));
            }
            t
        },
        graph_attrs: vec![
            ("rankdir", Value::Raw("LR")),
            ("nodesep", Value::Number(0.3)),
            ("ranksep", Value::Number(0.8)),
        ],
        ..Figure::default()
    };
    let names = Names { wrap: options.wrap };
    if let Some(width) = options.wrap {
        // On a page the title is a caption: smaller, and no wider than a few nodes.
        fig.title = fig
            .title
            .lines()
            .flat_map(|line| wrap(line, width * TITLE_WIDTH))
            .collect::<Vec<_>>()
            .join("\n");
        fig.graph_attrs
            .push(("fontsize", Value::Number(TITLE_POINTS)));
    }
    match view {
        View::Assessment => assessment_view(&mut fig, case, assessment, options.min, names),
        View::Evidence => evidence_view(&mut fig, case, assessment, names),
    }
    match options.legend {
        Legend::Full => {}
        Legend::Compact => {
            fig.legend = Some(compact_legend(view));
        }
        Legend::None => fig.legend = None,
    }
    fig
}

/// A title on a page wraps at this many name widths ([`Options::wrap`]).
const TITLE_WIDTH: usize = 2;

/// The title's size on a page, in points (18 on screen).
const TITLE_POINTS: f64 = 14.0;

/// How names are set in labels: escaped, and wrapped when the figure is for a page.
#[derive(Clone, Copy)]
struct Names {
    wrap: Option<usize>,
}

impl Names {
    /// Whether the figure is laid out for a page.
    fn page(self) -> bool {
        self.wrap.is_some()
    }

    /// Plain text (for a quoted label) with its lines broken near `wrap`.
    fn plain(self, text: &str) -> String {
        match self.wrap {
            None => text.to_string(),
            Some(width) => wrap(text, width).join("\n"),
        }
    }

    /// A name as HTML-like label text: escaped, its lines broken at spaces near `wrap`.
    fn label(self, text: &str) -> String {
        match self.wrap {
            None => html(text),
            Some(width) => wrap(text, width)
                .iter()
                .map(|l| html(l))
                .collect::<Vec<_>>()
                .join("<BR/>"),
        }
    }
}

/// Breaks text at spaces into lines of at most `width` characters (a longer word stays
/// whole on its own line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The compact legend: likelihood colours in one row, line styles in another.
fn compact_legend(view: View) -> String {
    let mut out = String::from(
        "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\"><TR>",
    );
    match view {
        View::Assessment => {
            let mut cells: Vec<String> = IcdTerm::ALL
                .iter()
                .rev()
                .map(|t| {
                    format!(
                        "<TD BGCOLOR=\"{}\"><FONT POINT-SIZE=\"9\" COLOR=\"{}\">{}</FONT></TD>",
                        term_colour(Some(*t)),
                        if *t >= IcdTerm::VeryLikely || *t <= IcdTerm::VeryUnlikely {
                            "#ffffff"
                        } else {
                            "#000000"
                        },
                        html(t.word())
                    )
                })
                .collect();
            cells.push(format!(
                "<TD BGCOLOR=\"{}\"><FONT POINT-SIZE=\"9\">insufficient evidence</FONT></TD>",
                term_colour(None)
            ));
            let rows: Vec<String> = cells.chunks(2).map(|c| c.concat()).collect();
            out.push_str(&rows.join("</TR><TR>"));
            out.push_str(
                "</TR><TR><TD COLSPAN=\"2\"><FONT POINT-SIZE=\"9\">confidence: ━ high ╍ \
                 moderate ┈ low</FONT></TD></TR><TR><TD COLSPAN=\"2\"><FONT \
                 POINT-SIZE=\"9\">links: wider, more solid = stronger</FONT></TD>",
            );
        }
        View::Evidence => out.push_str(
            "<TD><FONT POINT-SIZE=\"9\" COLOR=\"#1a9850\">━ supports</FONT></TD>\
             <TD><FONT POINT-SIZE=\"9\" COLOR=\"#d73027\">━ opposes</FONT></TD>\
             <TD><FONT POINT-SIZE=\"9\" COLOR=\"#969696\">┈ echo</FONT></TD>\
             <TD><FONT POINT-SIZE=\"9\" COLOR=\"#6a51a3\">┈ restates</FONT></TD>\
             <TD><FONT POINT-SIZE=\"9\" COLOR=\"#737373\">╍ claimed link</FONT></TD>",
        ),
    }
    out.push_str("</TR></TABLE>");
    out
}

/// Maps a user's `--focus` name to the figure's node id.
pub fn focus_node(case: &Case, name: &str) -> Option<String> {
    if let Some(i) = case.find_incident(name) {
        return Some(incident_node(case, i).to_string());
    }
    if let Some(e) = case.find_entity(name) {
        return Some(entity_node(case, e).to_string());
    }
    if let Some(s) = case.find_source(name) {
        return Some(source_id(case.source(s)).to_string());
    }
    case.find_claim(name).map(|c| claim_id(case, c).to_string())
}

fn entity_node(case: &Case, e: EntityId) -> Id {
    Arc::from(format!("entity:{}", case.entity(e).id))
}

fn incident_node(case: &Case, i: crate::model::IncidentId) -> Id {
    Arc::from(format!("incident:{}", case.incident(i).id))
}

fn source_id(s: &crate::model::Source) -> Id {
    Arc::from(format!("source:{}", s.id))
}

fn claim_id(case: &Case, c: crate::model::ClaimId) -> Id {
    Arc::from(format!("claim:{}", case.claim(c).id))
}

/// Shape for each kind of node; the legend lists the same table.
fn shape(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Actor(ActorKind::State) => "doubleoctagon",
        EntityKind::Actor(ActorKind::Agency | ActorKind::MilitaryUnit) => "house",
        EntityKind::Actor(ActorKind::Organisation | ActorKind::Company) => "box",
        EntityKind::Actor(ActorKind::Person) => "egg",
        EntityKind::Actor(ActorKind::Unidentified) => "octagon",
        EntityKind::Group(GroupKind::IntrusionSet) => "ellipse",
        EntityKind::Group(GroupKind::Persona) => "parallelogram",
    }
}

/// The compact outline of each kind of node in a figure laid out for a page: the shapes above
/// pad their text generously (an octagon or a parallelogram is twice as wide as its words),
/// which on a page costs the text its size. The kind is written in every node, so boxes with
/// a few border styles lose nothing a reader needs.
fn page_outline(kind: EntityKind) -> AttrList {
    let (style, peripheries) = match kind {
        EntityKind::Actor(ActorKind::State) => ("solid", "2"),
        EntityKind::Actor(ActorKind::Agency | ActorKind::MilitaryUnit) => ("rounded", "2"),
        EntityKind::Actor(ActorKind::Organisation | ActorKind::Company) => ("solid", "1"),
        EntityKind::Actor(ActorKind::Person) => ("rounded", "1"),
        EntityKind::Actor(ActorKind::Unidentified) => ("dashed", "1"),
        EntityKind::Group(GroupKind::IntrusionSet) => ("rounded", "1"),
        EntityKind::Group(GroupKind::Persona) => ("rounded,dashed", "1"),
    };
    let mut attrs = vec![
        ("shape", Value::Raw("box")),
        ("style", Value::Raw(style)),
        ("peripheries", Value::Raw(peripheries)),
    ];
    attrs.extend(page_padding());
    attrs
}

/// Padding and minimum size of a node on a page: Graphviz's defaults (0.11 × 0.055 in of
/// margin, at least 0.75 × 0.5 in) are sized for the screen.
fn page_padding() -> [(&'static str, Value); 3] {
    [
        ("margin", Value::Raw("0.08,0.04")),
        ("width", Value::Raw("0.3")),
        ("height", Value::Raw("0.2")),
    ]
}

const SHAPES: [(&str, &str); 10] = [
    ("doubleoctagon", "state"),
    ("house", "agency or military unit"),
    ("box", "organisation or company"),
    ("egg", "person"),
    ("octagon", "unidentified actor"),
    ("ellipse", "intrusion set"),
    ("parallelogram", "persona"),
    ("box (filled)", "incident"),
    ("folder", "source"),
    ("note", "claim"),
];

fn term_colour(term: Option<IcdTerm>) -> &'static str {
    match term {
        None => "#bdbdbd",
        Some(IcdTerm::AlmostCertain) => "#08306b",
        Some(IcdTerm::VeryLikely) => "#2171b5",
        Some(IcdTerm::Likely) => "#6baed6",
        Some(IcdTerm::RoughlyEvenChance) => "#969696",
        Some(IcdTerm::Unlikely) => "#fd8d3c",
        Some(IcdTerm::VeryUnlikely) => "#d94801",
        Some(IcdTerm::AlmostNoChance) => "#7f2704",
    }
}

fn confidence_style(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "solid",
        Confidence::Moderate => "dashed",
        Confidence::Low => "dotted",
    }
}

/// An entity's node, under `id` (its [`entity_node`], shared with the edges that meet it).
fn entity(case: &Case, e: EntityId, id: Id, names: Names) -> Node {
    let ent = case.entity(e);
    let mut label = format!(
        "<B>{}</B><BR/><FONT POINT-SIZE=\"9\">{}</FONT>",
        names.label(&ent.name),
        html(ent.kind.word())
    );
    if !ent.aliases.is_empty() && !names.page() {
        label.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"9\">aka {}</FONT>",
            names.label(&ent.aliases.join(", "))
        ));
    }
    let mut tooltip = format!("{} ({})", ent.name, ent.id);
    if !ent.aliases.is_empty() {
        tooltip.push_str(&format!(", aka {}", ent.aliases.join(", ")));
    }
    if let Some(d) = &ent.description {
        tooltip.push_str(": ");
        tooltip.push_str(d);
    }
    let mut attrs = if names.page() {
        page_outline(ent.kind)
    } else {
        vec![("shape", Value::Raw(shape(ent.kind)))]
    };
    attrs.push(("label", Value::Html(label)));
    attrs.push(("tooltip", Value::Text(tooltip)));
    Node {
        id,
        cluster: None,
        attrs: attrs.into(),
    }
}

/// An incident's node, under `id` (its [`incident_node`]).
fn incident(case: &Case, i: crate::model::IncidentId, id: Id, names: Names) -> Node {
    let inc = case.incident(i);
    let mut label = format!("<B>{}</B>", names.label(&inc.name));
    let dates = match (inc.start, inc.end) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => s.to_string(),
        _ => String::new(),
    };
    if !dates.is_empty() {
        label.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"9\">{}</FONT>",
            html(&dates)
        ));
    }
    if let Some(v) = &inc.victim {
        label.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"9\">victim: {}</FONT>",
            names.label(v)
        ));
    }
    let mut attrs = vec![
        ("shape", Value::Raw("box")),
        ("style", Value::Raw("filled,bold")),
        ("fillcolor", Value::Raw("#fff5eb")),
        ("label", Value::Html(label)),
        (
            "tooltip",
            Value::Text(inc.description.clone().unwrap_or_else(|| inc.name.clone())),
        ),
    ];
    if names.page() {
        attrs.extend(page_padding());
    }
    Node {
        id,
        cluster: None,
        attrs: attrs.into(),
    }
}

/// A claimed link's line by the belief of its fused claims: solid and dark when it is at
/// least "likely" read as a probability, dashed from "roughly even chance", dotted below.
fn link_style(belief: f64) -> (&'static str, &'static str) {
    match IcdTerm::from_probability(belief) {
        t if t >= IcdTerm::Likely => ("solid", "#525252"),
        IcdTerm::RoughlyEvenChance | IcdTerm::Unlikely => ("dashed", "#737373"),
        _ => ("dotted", "#969696"),
    }
}

/// The likelihood word of a link's belief ("unsupported" when no usable claim holds it up).
fn link_word(belief: f64) -> &'static str {
    if belief <= 0.0 {
        "unsupported"
    } else {
        IcdTerm::from_probability(belief).word()
    }
}

/// Structural part_of and claimed links among the given entities.
fn link_edges(
    case: &Case,
    assessment: &Assessment,
    keep: &BTreeSet<EntityId>,
    names: Names,
) -> Vec<Edge> {
    let mut out = Vec::new();
    for (k, l) in assessment.links.iter().enumerate() {
        if keep.contains(&l.from) && keep.contains(&l.to) {
            out.push(link_edge(case, assessment, k, names));
        }
    }
    for (k, p) in assessment.pairs.iter().enumerate() {
        if keep.contains(&p.a) && keep.contains(&p.b) {
            out.push(pair_edge(case, assessment, k, names));
        }
    }
    out
}

/// The edge of link `k`: declared `part_of` in black, a claimed link drawn by the belief of
/// its fused claims and labelled with its relations, likelihood word and claims.
fn link_edge(case: &Case, assessment: &Assessment, k: usize, names: Names) -> Edge {
    let l = &assessment.links[k];
    let attrs: Attrs = if l.structural {
        declared_part_of()
    } else {
        let belief = assessment.link_beliefs.get(k).copied().unwrap_or(0.0);
        let relations: BTreeSet<&str> = l
            .claims
            .iter()
            .map(|c| case.claim(*c).relation.phrase())
            .collect();
        let relations = relations.into_iter().collect::<Vec<_>>().join(" / ");
        let mut attrs = belief_line(case, &relations, belief, &l.claims, names);
        attrs.push(("arrowhead", Value::Raw("onormal")));
        attrs.into()
    };
    Edge {
        from: entity_node(case, l.from),
        to: entity_node(case, l.to),
        attrs,
    }
}

/// The undirected edge of "possibly same as" pair `k`, drawn like a claimed link.
fn pair_edge(case: &Case, assessment: &Assessment, k: usize, names: Names) -> Edge {
    let p = &assessment.pairs[k];
    let belief = assessment.pair_beliefs.get(k).copied().unwrap_or(0.0);
    let mut attrs = belief_line(case, "possibly same as", belief, &p.claims, names);
    attrs.retain(|(k, _)| *k != "fontcolor");
    attrs.extend([
        ("dir", Value::Raw("both")),
        ("arrowhead", Value::Raw("none")),
        ("arrowtail", Value::Raw("none")),
    ]);
    Edge {
        from: entity_node(case, p.a),
        to: entity_node(case, p.b),
        attrs: attrs.into(),
    }
}

/// A claimed relation's label and line: its relation, likelihood word, belief and claims;
/// width and style by the belief.
fn belief_line(
    case: &Case,
    relation: &str,
    belief: f64,
    claims: &[crate::model::ClaimId],
    names: Names,
) -> AttrList {
    let claims: Vec<&str> = claims.iter().map(|c| case.claim(*c).id.as_str()).collect();
    let (style, colour) = link_style(belief);
    vec![
        (
            "label",
            Value::Text(format!(
                "{relation}\n{} (b {belief:.2})\n{}",
                link_word(belief),
                names.plain(&claims.join(", "))
            )),
        ),
        ("style", Value::Raw(style)),
        ("penwidth", Value::Number(0.75 + 2.5 * belief)),
        ("color", Value::Raw(colour)),
        ("fontcolor", Value::Raw("#525252")),
    ]
}

/// A declared `part_of`: bold and black, in both views.
fn declared_part_of() -> Attrs {
    Cow::Borrowed(&[
        ("label", Value::Raw("part of (declared)")),
        ("style", Value::Raw("bold")),
        ("color", Value::Raw("#252525")),
        ("arrowhead", Value::Raw("empty")),
    ])
}

/// How many incidents judge an actor (at or above `--min`), and the first verdict.
struct Verdicts {
    count: usize,
    judged: bool,
    word: &'static str,
    p: f64,
}

fn assessment_view(
    fig: &mut Figure,
    case: &Case,
    assessment: &Assessment,
    min: Option<IcdTerm>,
    names: Names,
) {
    let mut keep: BTreeSet<EntityId> = BTreeSet::new();
    // On a page, a hypothesis judged on one incident only carries its verdict in its node,
    // not on its edge: edge labels take a rank's width in Graphviz's layout.
    // Incidents are read once, as a streamed assessment yields them: per actor, how many
    // incidents judge it and the first verdict; which edge goes to which actor, so that the
    // labels of verdicts moved into nodes come off once the counts are known.
    let mut judged_on: BTreeMap<EntityId, Verdicts> = BTreeMap::new();
    let mut edge_to: Vec<(usize, EntityId)> = Vec::new();
    for ia in assessment.each(case) {
        let ia = &*ia;
        fig.nodes.push(incident(
            case,
            ia.incident,
            incident_node(case, ia.incident),
            names,
        ));
        for j in &ia.hypotheses {
            if min.is_some_and(|m| j.term().is_none_or(|t| t < m)) {
                continue;
            }
            judged_on
                .entry(j.actor)
                .and_modify(|v| v.count += 1)
                .or_insert(Verdicts {
                    count: 1,
                    judged: j.term().is_some(),
                    word: j.term_word(),
                    p: j.p(),
                });
            keep.insert(j.actor);
            let edge = hypothesis_edge(case, ia.incident, j);
            if names.page() {
                edge_to.push((fig.edges.len(), j.actor));
            }
            fig.edges.push(edge);
        }
    }
    let in_node =
        |actor: EntityId| names.page() && judged_on.get(&actor).is_some_and(|v| v.count == 1);
    for (k, actor) in edge_to {
        if in_node(actor) {
            fig.edges[k].attrs.to_mut().retain(|(k, _)| *k != "label");
        }
    }
    for &e in &keep {
        let mut node = entity(case, e, entity_node(case, e), names);
        if in_node(e)
            && let Some(j) = judged_on.get(&e)
            && let Some((_, Value::Html(label))) =
                node.attrs.to_mut().iter_mut().find(|(k, _)| *k == "label")
        {
            label.push_str(&format!(
                "<BR/><FONT POINT-SIZE=\"10\" COLOR=\"{}\"><B>{}</B> · P {}</FONT>",
                if j.judged { "#252525" } else { "#969696" },
                html(j.word),
                crate::report::probability_figure(j.p)
            ));
        }
        fig.nodes.push(node);
    }
    fig.edges.extend(link_edges(case, assessment, &keep, names));
    fig.legend = Some(assessment_legend(names));
}

/// The edge from an incident to a hypothesis: coloured by its likelihood, styled by its
/// confidence, wider as it is more likely; the whole judgement in its tooltip.
fn hypothesis_edge(case: &Case, incident: crate::model::IncidentId, j: &Judgement) -> Edge {
    let carriers: Vec<&str> = j
        .carriers
        .iter()
        .map(|c| case.claim(*c).id.as_str())
        .collect();
    let tooltip = format!(
        "{} → {}: {}, {} confidence, P {}; {}; carried by {}",
        case.incident(incident).id,
        case.entity(j.actor).id,
        j.term_word(),
        j.confidence().word(),
        crate::report::probability_figure(j.p()),
        crate::report::plural(j.lines, "independent line"),
        if carriers.is_empty() {
            "nothing".to_string()
        } else {
            carriers.join(", ")
        }
    );
    let mut attrs: AttrList = vec![
        (
            "label",
            Value::Text(format!(
                "{}\nP {}",
                j.term_word(),
                crate::report::probability_figure(j.p())
            )),
        ),
        ("color", Value::Raw(term_colour(j.term()))),
        (
            "fontcolor",
            Value::Raw(if j.term().is_some() {
                "#252525"
            } else {
                "#969696"
            }),
        ),
        (
            "penwidth",
            Value::Number(1.0 + 0.6 * f64::from(j.term().map_or(0, |t| t as u8))),
        ),
        (
            "style",
            Value::Raw(if j.term().is_some() {
                confidence_style(j.confidence())
            } else {
                "dotted"
            }),
        ),
        ("tooltip", Value::Text(tooltip)),
    ];
    if j.term().is_none() {
        attrs.push(("arrowhead", Value::Raw("odot")));
    }
    Edge {
        from: incident_node(case, incident),
        to: entity_node(case, j.actor),
        attrs: attrs.into(),
    }
}

/// The full legend of the assessment view.
fn assessment_legend(names: Names) -> String {
    let mut rows = String::new();
    for t in IcdTerm::ALL.iter().rev() {
        rows.push_str(&format!(
            "<TR><TD BGCOLOR=\"{}\" WIDTH=\"30\"></TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
            term_colour(Some(*t)),
            html(t.word())
        ));
    }
    rows.push_str(&format!(
        "<TR><TD BGCOLOR=\"{}\"></TD><TD ALIGN=\"LEFT\">insufficient evidence (faint, dotted)</TD></TR>",
        term_colour(None)
    ));
    rows.push_str(
        "<TR><TD>━━━</TD><TD ALIGN=\"LEFT\">high confidence</TD></TR>\
         <TR><TD>╍╍╍</TD><TD ALIGN=\"LEFT\">moderate confidence</TD></TR>\
         <TR><TD>┈┈┈</TD><TD ALIGN=\"LEFT\">low confidence</TD></TR>\
         <TR><TD>wider</TD><TD ALIGN=\"LEFT\">more likely</TD></TR>\
         <TR><TD>black, bold</TD><TD ALIGN=\"LEFT\">declared part of</TD></TR>\
         <TR><TD>grey ━ ╍ ┈</TD><TD ALIGN=\"LEFT\">claimed link: width and style by the belief b of its fused claims, with its likelihood word and claim ids</TD></TR>",
    );
    legend(
        "Likelihood (ICD 203), colour; confidence, line",
        &rows,
        names,
    )
}

/// The node ids of the evidence view, made once each: a claim's id is shared by its node and
/// its edges, an incident's or a source's by every claim's edge that meets it.
struct EvidenceIds {
    sources: Vec<Id>,
    claims: Vec<Id>,
    incidents: Vec<Id>,
    entities: Vec<Id>,
}

impl EvidenceIds {
    fn of(case: &Case) -> EvidenceIds {
        EvidenceIds {
            sources: case.sources.iter().map(source_id).collect(),
            claims: case.claim_ids().map(|c| claim_id(case, c)).collect(),
            incidents: (0..case.incidents.len())
                .map(|i| incident_node(case, crate::model::IncidentId(i as u32)))
                .collect(),
            entities: (0..case.entities.len())
                .map(|e| entity_node(case, EntityId(e as u32)))
                .collect(),
        }
    }

    fn claim(&self, c: crate::model::ClaimId) -> Id {
        self.claims[c.0 as usize].clone()
    }

    fn entity(&self, e: EntityId) -> Id {
        self.entities[e.0 as usize].clone()
    }

    fn incident(&self, i: crate::model::IncidentId) -> Id {
        self.incidents[i.0 as usize].clone()
    }
}

fn evidence_view(fig: &mut Figure, case: &Case, assessment: &Assessment, names: Names) {
    let ids = EvidenceIds::of(case);
    // Sources, clustered by line of evidence.
    for (s, id) in case.sources.iter().zip(&ids.sources) {
        let family = case.family(s.family).to_string();
        fig.clusters
            .entry(family.clone())
            .or_insert_with(|| format!("line of evidence: {family}"));
        fig.nodes.push(source_node(s, id.clone(), family, names));
    }
    let echoes = assessment.echoes(case);
    let mut entities: BTreeSet<EntityId> = BTreeSet::new();
    for (i, e) in case.entities.iter().enumerate() {
        if e.part_of.is_some() {
            entities.insert(EntityId(i as u32));
            entities.extend(e.part_of);
        }
    }
    for id in case.claim_ids() {
        fig.nodes.push(claim_node(case, id, ids.claim(id)));
        let w = assessment.claim(id);
        let stance = if echoes.contains(&id) {
            Stance::Echo
        } else if w.s > w.r {
            Stance::Opposes
        } else if w.r > 0.0 {
            Stance::Supports
        } else {
            Stance::Weightless
        };
        claim_edges(case, &ids, id, stance, &mut fig.edges);
        match case.claim(id).statement {
            Statement::Responsible { actor, .. } => {
                entities.insert(actor);
            }
            Statement::Link { from, to } | Statement::SameAs { a: from, b: to } => {
                entities.insert(from);
                entities.insert(to);
            }
            Statement::Condemns { .. } => {}
        }
    }
    for i in 0..case.incidents.len() {
        let i = crate::model::IncidentId(i as u32);
        fig.nodes.push(incident(case, i, ids.incident(i), names));
    }
    for &e in &entities {
        fig.nodes.push(entity(case, e, ids.entity(e), names));
    }
    for (i, e) in case.entities.iter().enumerate() {
        if let Some(p) = e.part_of {
            fig.edges.push(Edge {
                from: ids.entity(EntityId(i as u32)),
                to: ids.entity(p),
                attrs: declared_part_of(),
            });
        }
    }
    let rows = "<TR><TD><FONT COLOR=\"#1a9850\">━━━</FONT></TD><TD ALIGN=\"LEFT\">claim supports</TD></TR>\
         <TR><TD><FONT COLOR=\"#d73027\">━━━</FONT></TD><TD ALIGN=\"LEFT\">claim opposes (denial)</TD></TR>\
         <TR><TD><FONT COLOR=\"#969696\">┈┈┈</FONT></TD><TD ALIGN=\"LEFT\">echo: restates claims present, not counted</TD></TR>\
         <TR><TD><FONT COLOR=\"#6a51a3\">┈┈┈</FONT></TD><TD ALIGN=\"LEFT\">restates (derived from)</TD></TR>\
         <TR><TD><FONT COLOR=\"#737373\">╍╍╍</FONT></TD><TD ALIGN=\"LEFT\">claimed link</TD></TR>\
         <TR><TD>━━━</TD><TD ALIGN=\"LEFT\">declared part of</TD></TR>\
         <TR><TD>dashed box</TD><TD ALIGN=\"LEFT\">a line of evidence (dependence family)</TD></TR>";
    fig.legend = Some(legend("Evidence", rows, names));
}

/// A source in its line of evidence's cluster, with its reliability.
fn source_node(s: &crate::model::Source, id: Id, family: String, names: Names) -> Node {
    Node {
        id,
        cluster: Some(family),
        attrs: Cow::Owned(vec![
            ("shape", Value::Raw("folder")),
            (
                "label",
                Value::Html(format!(
                    "<B>{}</B><BR/><FONT POINT-SIZE=\"9\">reliability {}</FONT>",
                    names.label(&s.name),
                    html(&s.reliability.label())
                )),
            ),
            (
                "tooltip",
                Value::Text(s.note.clone().unwrap_or_else(|| s.name.clone())),
            ),
        ]),
    }
}

/// A claim: its id, relation, stated likelihood and date; its wording and URL as tooltip.
fn claim_node(case: &Case, c: crate::model::ClaimId, id: Id) -> Node {
    let url = case.claim_url(c);
    let c = case.claim(c);
    let stated = crate::report::stated_likelihood(c);
    let mut tooltip = match (&c.wording, url) {
        (Some(w), Some(u)) => format!("{w}\n{u}"),
        (None, Some(u)) => format!("\n{u}"),
        (Some(w), None) => w.clone(),
        (None, None) => String::new(),
    };
    let mut label = format!(
        "<B>{}</B><BR/>{}<BR/><FONT POINT-SIZE=\"9\">{}{}</FONT>",
        html(&c.id),
        html(c.relation.phrase()),
        html(&stated),
        c.date
            .map(|d| format!(", {d}"))
            .map(|d| html(&d))
            .unwrap_or_default()
    );
    // A large case's figure holds a million of these: the room `format!` reserved beyond
    // the text is given back (70 MB of the evidence view at 10^6 claims).
    label.shrink_to_fit();
    tooltip.shrink_to_fit();
    Node {
        id,
        cluster: None,
        attrs: Cow::Owned(vec![
            ("shape", Value::Raw("note")),
            ("label", Value::Html(label)),
            ("tooltip", Value::Text(tooltip)),
        ]),
    }
}

/// How a claim's line to what it speaks of is drawn.
#[derive(Clone, Copy)]
enum Stance {
    /// An echo: restates claims present and is not counted.
    Echo,
    /// It weighs against (a denial).
    Opposes,
    /// It weighs for.
    Supports,
    /// It carries no weight.
    Weightless,
}

impl Stance {
    /// The line's attributes: one constant set per stance, shared by every claim's edge.
    fn attrs(self) -> Attrs {
        const fn line(colour: &'static str, style: &'static str) -> [(&'static str, Value); 3] {
            [
                ("color", Value::Raw(colour)),
                ("style", Value::Raw(style)),
                ("penwidth", Value::Number(1.5)),
            ]
        }
        static ECHO: [(&str, Value); 3] = line("#969696", "dotted");
        static OPPOSES: [(&str, Value); 3] = line("#d73027", "solid");
        static SUPPORTS: [(&str, Value); 3] = line("#1a9850", "solid");
        static WEIGHTLESS: [(&str, Value); 3] = line("#bdbdbd", "solid");
        Cow::Borrowed(match self {
            Stance::Echo => &ECHO,
            Stance::Opposes => &OPPOSES,
            Stance::Supports => &SUPPORTS,
            Stance::Weightless => &WEIGHTLESS,
        })
    }
}

/// A claim's line from its source.
static FROM_SOURCE: [(&str, Value); 2] = [
    ("color", Value::Raw("#969696")),
    ("arrowhead", Value::Raw("none")),
];

/// A responsibility claim's line from its incident.
static FROM_INCIDENT: [(&str, Value); 2] = [
    ("color", Value::Raw("#bdbdbd")),
    ("arrowhead", Value::Raw("none")),
];

/// A link or "same as" claim's lines to the two it relates.
static CLAIMED_LINK: [(&str, Value); 2] = [
    ("color", Value::Raw("#737373")),
    ("style", Value::Raw("dashed")),
];

/// A condemnation's line to its incident.
static CONDEMNS: [(&str, Value); 2] = [
    ("color", Value::Raw("#969696")),
    ("style", Value::Raw("dotted")),
];

/// A claim's line to a claim it restates.
static RESTATES: [(&str, Value); 5] = [
    ("label", Value::Raw("restates")),
    ("style", Value::Raw("dotted")),
    ("color", Value::Raw("#6a51a3")),
    ("fontcolor", Value::Raw("#6a51a3")),
    ("constraint", Value::Raw("false")),
];

/// The edges of a claim, into `out`: from its source; to what it speaks of, drawn by its
/// stance; to the claims it restates.
fn claim_edges(
    case: &Case,
    ids: &EvidenceIds,
    id: crate::model::ClaimId,
    stance: Stance,
    out: &mut Vec<Edge>,
) {
    let c = case.claim(id);
    let node = ids.claim(id);
    let mut edge = |from: Id, to: Id, attrs: Attrs| out.push(Edge { from, to, attrs });
    edge(
        ids.sources[c.source.0 as usize].clone(),
        node.clone(),
        Cow::Borrowed(&FROM_SOURCE),
    );
    match c.statement {
        Statement::Responsible {
            incident: inc,
            actor,
        } => {
            edge(
                ids.incident(inc),
                node.clone(),
                Cow::Borrowed(&FROM_INCIDENT),
            );
            edge(node.clone(), ids.entity(actor), stance.attrs());
        }
        Statement::Link { from, to } | Statement::SameAs { a: from, b: to } => {
            edge(ids.entity(from), node.clone(), Cow::Borrowed(&CLAIMED_LINK));
            edge(node.clone(), ids.entity(to), Cow::Borrowed(&CLAIMED_LINK));
        }
        Statement::Condemns { incident: inc } => {
            edge(node.clone(), ids.incident(inc), Cow::Borrowed(&CONDEMNS));
        }
    }
    for origin in &c.derived_from {
        edge(node.clone(), ids.claim(*origin), Cow::Borrowed(&RESTATES));
    }
}

/// The legend table: the view's rows, then the node shapes (the outlines, on a page).
fn legend(title: &str, rows: &str, names: Names) -> String {
    let mut out = format!(
        "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">\
         <TR><TD COLSPAN=\"2\"><B>{}</B></TD></TR>{rows}",
        html(title)
    );
    // On a page the entities are boxes: the legend says which border is which.
    out.push_str(&shape_rows(if names.page() {
        &PAGE_SHAPES
    } else {
        &SHAPES
    }));
    out.push_str("</TABLE>");
    out
}

/// The legend's rows for a table of node outlines.
fn shape_rows(shapes: &[(&str, &str)]) -> String {
    shapes
        .iter()
        .map(|(shape, meaning)| {
            format!(
                "<TR><TD>{}</TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
                html(shape),
                html(meaning)
            )
        })
        .collect()
}

/// The outlines of [`page_outline`], for the full legend of a figure laid out for a page.
const PAGE_SHAPES: [(&str, &str); 9] = [
    ("box, double border", "state"),
    ("rounded, double border", "agency or military unit"),
    ("box", "organisation or company"),
    ("rounded", "person or intrusion set"),
    ("dashed box", "unidentified actor"),
    ("rounded, dashed", "persona"),
    ("box (filled)", "incident"),
    ("folder", "source"),
    ("note", "claim"),
];
