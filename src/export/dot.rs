//! Graphviz DOT diagrams of a case: the assessment view (who is judged responsible, how
//! likely, with what confidence) and the evidence view (who said what, on which line of
//! evidence, restating whom).
//!
//! Views build a [`Figure`] — the little a layout needs of the whole graph — and [`write()`]
//! writes it as DOT through `dot-writer`, each node and edge made from the case and the
//! assessment as it is written, with every id and string passed through
//! [`crate::escape::dot`]. Collections are walked in sorted order, so the same case always
//! gives the same bytes.

use super::figure::{
    Attrs, Drawn, EdgeKind, Evidence, Figure, Hypotheses, Hypothesis, Key, Value, Verdicts,
};
use crate::assess::Assessment;
use crate::escape::LONG_RUN;
use crate::escape::dot::{NAME_CHARS, clip, html, push_quoted, push_tooltip, quoted};
use crate::format::{ActorKind, GroupKind};
use crate::model::{Case, EntityId, EntityKind, IncidentId, SourceId, Statement};
use crate::terms::{Confidence, IcdTerm};
use dot_writer::{Attributes, DotWriter};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io;

/// Attributes being put together for one node or edge, before they become its [`Attrs`].
type AttrList = Vec<(&'static str, Value)>;

/// One of the constant styles of a line ([`EdgeKind::Const`]).
type Style = &'static [(&'static str, Value)];

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

impl Figure<'_> {
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

impl Figure<'_> {
    /// Staggers fan-outs over `k` ranks: the edges leaving a node with more than `k` of them
    /// get minimum lengths 1, 2, …, k in turn, so that a dozen hypotheses of one incident
    /// stand in `k` shorter rows instead of one row too wide for a page. `k = 1` undoes it.
    /// (The fan-outs are counted when the figure is written, over the edges it draws.)
    pub fn stagger(&mut self, k: usize) {
        self.stagger = k;
    }

    /// The most edges the figure draws out of one node. A stagger of `k` changes nothing
    /// below `k + 1`, so page fitting need not lay such a figure out again to learn it.
    pub fn widest_fan_out(&self) -> usize {
        let mut fan = vec![0u32; Key::count(self.case)];
        let mut widest = 0;
        self.each_edge(&mut |from, _, _| {
            let n = &mut fan[from.index(self.case)];
            *n += 1;
            widest = widest.max(*n);
        });
        widest as usize
    }
}

/// Minimum edge lengths for [`Figure::stagger`].
const MINLEN: [&str; 4] = ["1", "2", "3", "4"];

/// The graph's title and its defaults: every text in Helvetica (the title and the clusters'
/// titles too, not Graphviz's Times), at the sizes a page reads.
fn graph_defaults(g: &mut dot_writer::Scope<'_, '_>, fig: &Figure, text: &mut Text) {
    g.set("label", &quoted(&fig.title), false);
    g.set("labelloc", "t", false);
    g.set("fontname", "\"Helvetica\"", false);
    if !fig.graph_attrs.iter().any(|(k, _)| *k == "fontsize") {
        g.set("fontsize", "18", false);
    }
    for (k, v) in &fig.graph_attrs {
        g.set(k, text.value(v), false);
    }
    {
        let mut n = g.node_attributes();
        n.set("fontname", "\"Helvetica\"", false);
        n.set("fontsize", "11", false);
    }
    let mut e = g.edge_attributes();
    e.set("fontname", "\"Helvetica\"", false);
    e.set("fontsize", "9", false);
}

/// Writes a figure as DOT, node by node and edge by edge as the view reads them from the case
/// and the assessment: nothing of the output is held. (`dot-writer` panics on a failed write;
/// the latch between it and `out` keeps the first error instead, and it is returned here.)
pub fn write(fig: &Figure, out: &mut dyn io::Write) -> io::Result<()> {
    // Set once a write fails (a closed pipe): the rest is walked without being made.
    let failed = std::cell::Cell::new(false);
    let mut latch = Latch::new(out, &failed);
    {
        let mut writer = DotWriter::from(&mut latch);
        writer.set_pretty_print(true);
        let mut g = writer.digraph();
        let mut text = Text::default();
        graph_defaults(&mut g, fig, &mut text);
        if let Drawn::Evidence(ev) = &fig.view {
            for (family, sources) in &ev.clusters {
                let kept = |s: &&SourceId| fig.kept(Key::Source(**s));
                if !sources.iter().any(|s| kept(&s)) {
                    continue;
                }
                let mut c = g.cluster();
                c.set(
                    "label",
                    &quoted(&format!("line of evidence: {family}")),
                    false,
                );
                c.set("style", "\"rounded,dashed\"", false);
                c.set("color", "\"#969696\"", false);
                c.set("fontsize", "10", false);
                for s in sources.iter().filter(kept) {
                    node(&mut c, &mut text, fig, Key::Source(*s));
                }
            }
        }
        fig.each_free_node(&mut |key| {
            if !failed.get() {
                node(&mut g, &mut text, fig, key);
            }
        });
        if let Some(legend) = legend_table(fig) {
            let mut c = g.cluster();
            c.set("label", "\"\"", false);
            c.set("style", "invis", false);
            let mut n = c.node_named(quoted("legend"));
            n.set("shape", "plaintext", false);
            n.set("label", &format!("<{legend}>"), false);
        }
        let mut stagger = Stagger::of(fig);
        fig.each_edge(&mut |from, to, kind| {
            if failed.get() {
                return;
            }
            text.id(fig.case, from);
            text.id_to(fig.case, to);
            let list = g.edge(&text.from, &text.to);
            let mut attrs = list.attributes();
            for (k, v) in fig.edge_attrs(from, to, kind).iter() {
                attrs.set(k, text.value(v), false);
            }
            if let Some(len) = stagger.as_mut().and_then(|s| s.next(fig.case, from)) {
                attrs.set("minlen", text.value(&Value::Raw(len)), false);
            }
        });
    }
    latch.finish()
}

/// The minimum lengths [`Figure::stagger`] gives the edges of large fan-outs, as they are
/// written: each node's fan-out, counted over the edges drawn before any is written, and how
/// many of its edges are written so far.
struct Stagger {
    k: usize,
    fan: Vec<u32>,
    seen: Vec<u32>,
}

impl Stagger {
    fn of(fig: &Figure) -> Option<Stagger> {
        let k = fig.stagger;
        if k <= 1 {
            return None;
        }
        let mut fan = vec![0u32; Key::count(fig.case)];
        fig.each_edge(&mut |from, _, _| fan[from.index(fig.case)] += 1);
        let seen = vec![0; fan.len()];
        Some(Stagger { k, fan, seen })
    }

    /// The minimum length of the next edge leaving `from`, if its fan-out is staggered.
    fn next(&mut self, case: &Case, from: Key) -> Option<&'static str> {
        let i = from.index(case);
        if self.fan[i] as usize <= self.k {
            return None;
        }
        let len = MINLEN[self.seen[i] as usize % self.k.min(MINLEN.len())];
        self.seen[i] += 1;
        Some(len)
    }
}

/// Scratch space for the text of ids and values as they are written, reused from one
/// statement to the next.
#[derive(Default)]
struct Text {
    from: String,
    to: String,
    value: String,
}

impl Text {
    /// A node's DOT id, quoted, into `from`.
    fn id(&mut self, case: &Case, key: Key) -> &str {
        node_id(&mut self.from, case, key);
        &self.from
    }

    /// A node's DOT id, quoted, into `to`.
    fn id_to(&mut self, case: &Case, key: Key) {
        node_id(&mut self.to, case, key);
    }

    /// An attribute value as DOT.
    fn value(&mut self, v: &Value) -> &str {
        let out = &mut self.value;
        out.clear();
        match v {
            Value::Text(t) => push_quoted(out, &[t]),
            Value::Tooltip(t) => push_tooltip(out, t),
            Value::Html(h) => {
                out.push('<');
                out.push_str(h);
                out.push('>');
            }
            Value::Raw(r) => push_quoted(out, &[r]),
            Value::Number(x) => two_decimals(out, *x),
        }
        out
    }
}

/// `x` as `format!("{x:.2}")` writes it. Most numbers of a figure are a whole number of
/// hundredths (every claim's line is 1.50 wide): those are written from their integer, which
/// skips the exact float formatting that rounding to two places otherwise runs each time.
fn two_decimals(out: &mut String, x: f64) {
    use std::fmt::Write as _;
    let hundredths = x * 100.0;
    let n = hundredths.round();
    // Within a millionth of a whole hundredth, `x` is nowhere near a rounding boundary, so it
    // rounds to `n` hundredths; a negative zero (written `-0.00`) takes the general path.
    if x.is_sign_positive() && (hundredths - n).abs() < 1e-6 && n < 1e15 {
        let n = n as u64;
        let _ = write!(out, "{}.{:02}", n / 100, n % 100);
    } else {
        let _ = write!(out, "{x:.2}");
    }
}

/// A node's DOT id (`"entity:iran"`), quoted, into `out`. An id longer than [`NAME_CHARS`]
/// is cut, and the node's index added, so that two long ids alike in their first characters
/// stay two nodes.
fn node_id(out: &mut String, case: &Case, key: Key) {
    out.clear();
    let (prefix, id, index) = match key {
        Key::Incident(i) => ("incident:", &case.incident(i).id, i.0),
        Key::Entity(e) => ("entity:", &case.entity(e).id, e.0),
        Key::Source(s) => ("source:", &case.source(s).id, s.0),
        Key::Claim(c) => ("claim:", &case.claim(c).id, c.0),
    };
    if id.len() <= NAME_CHARS {
        push_quoted(out, &[prefix, id]);
    } else {
        let index = format!("#{index}");
        push_quoted(out, &[prefix, &clip(id, NAME_CHARS), &index]);
    }
}

/// A writer that gathers `dot-writer`'s many small writes into pieces of [`Latch::PIECE`]
/// bytes and passes them on until the first error, then keeps that error and swallows the
/// rest, so that a closed pipe ends the output instead of panicking inside `dot-writer`; the
/// nodes and edges not yet written are then skipped. (A piece as large as the binary's output buffer passes through it uncopied, and each small
/// write costs a copy into memory rather than a call through the caller's writer.)
struct Latch<'a> {
    out: &'a mut dyn io::Write,
    buf: Vec<u8>,
    error: Option<io::Error>,
    /// Whether `error` is set, for the loops that feed `dot-writer`, which holds the latch.
    failed: &'a std::cell::Cell<bool>,
}

impl<'a> Latch<'a> {
    const PIECE: usize = 1 << 20;

    fn new(out: &'a mut dyn io::Write, failed: &'a std::cell::Cell<bool>) -> Latch<'a> {
        Latch {
            out,
            buf: Vec::with_capacity(Self::PIECE + 4096),
            error: None,
            failed,
        }
    }

    /// Passes on what is gathered, unless an earlier write failed.
    fn pass(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(&self.buf)
        {
            self.error = Some(e);
            self.failed.set(true);
        }
        self.buf.clear();
    }

    /// Passes on the rest and flushes the writer: the first error, if any.
    fn finish(mut self) -> io::Result<()> {
        self.pass();
        match self.error {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }
}

impl io::Write for Latch<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(buf);
        if self.buf.len() >= Self::PIECE {
            self.pass();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes a node with the attributes its view gives it.
fn node(scope: &mut dot_writer::Scope<'_, '_>, text: &mut Text, fig: &Figure, key: Key) {
    let mut node = scope.node_named(text.id(fig.case, key));
    for (k, v) in fig.node_attrs(key).iter() {
        node.set(k, text.value(v), false);
    }
}

/// Builds the figure of a view with the full legend and no wrapping.
pub fn figure<'a>(
    case: &'a Case,
    assessment: &'a Assessment,
    view: View,
    min: Option<IcdTerm>,
) -> Figure<'a> {
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

/// Builds the figure of a view as `options` ask: what it draws is read from the case and the
/// assessment when it is written ([`write()`]); the assessment view assesses the incidents
/// here, once, and keeps each hypothesis edge's judgement in a few numbers.
pub fn figure_with<'a>(
    case: &'a Case,
    assessment: &'a Assessment,
    view: View,
    options: &Options,
) -> Figure<'a> {
    let mut title = match crate::report::information_date(case, assessment) {
        Some(d) => format!("{} (as of {d})", case.title),
        None => case.title.clone(),
    };
    // A diagram of a what-if says so under its title, like every other output.
    for line in crate::report::scenario_lines(case, &assessment.scenario) {
        title.push_str(&format!("\nwhat-if: {line}"));
    }
    let mut graph_attrs = vec![
        ("rankdir", Value::Raw("LR")),
        ("nodesep", Value::Number(0.3)),
        ("ranksep", Value::Number(0.8)),
    ];
    if let Some(width) = options.wrap {
        // On a page the title is a caption: smaller, and no wider than a few nodes.
        title = title
            .lines()
            .flat_map(|line| wrap(line, width * TITLE_WIDTH))
            .collect::<Vec<_>>()
            .join("\n");
        graph_attrs.push(("fontsize", Value::Number(TITLE_POINTS)));
    }
    let drawn = match view {
        View::Assessment => Drawn::Assessment(hypotheses(case, assessment, options.min)),
        View::Evidence => Drawn::Evidence(evidence(case, assessment)),
    };
    Figure {
        case,
        assessment,
        title,
        graph_attrs,
        legend: options.legend,
        wrap: options.wrap,
        view: drawn,
        keep: None,
        stagger: 1,
    }
}

/// The legend's table, as much of it as `figure` asks for.
fn legend_table(figure: &Figure) -> Option<String> {
    match figure.legend {
        Legend::Full => Some(full_legend(figure)),
        Legend::Compact => Some(match &figure.view {
            Drawn::Assessment(h) => compact_legend(
                View::Assessment,
                draws_mostly_prior(figure, h),
                draws_exclusive(figure, h),
            ),
            Drawn::Evidence(_) => compact_legend(View::Evidence, draws_doubted(figure), false),
        }),
        Legend::None => None,
    }
}

/// The full legend of what `figure` draws: its view's styles and the outlines of the kinds of
/// actor it keeps (with `--min` or `--focus`, fewer than the case has).
fn full_legend(figure: &Figure) -> String {
    let (case, names) = (figure.case, Names { wrap: figure.wrap });
    let kinds = drawn_entities(&figure.view)
        .filter(|&e| figure.kept(Key::Entity(e)))
        .map(|e| case.entity(e).kind)
        .collect();
    // Incidents, sources and claims are drawn unless a focus kept none of them.
    let (i, e, s) = (
        case.incidents.len(),
        case.entities.len(),
        case.sources.len(),
    );
    let kept = |range: std::ops::Range<usize>| {
        (figure.keep.as_ref()).is_none_or(|keep| keep[range].iter().any(|&k| k))
    };
    let evidence = matches!(figure.view, Drawn::Evidence(_));
    let drawn = Outlines {
        kinds,
        incident: kept(0..i),
        source: evidence && kept(i + e..i + e + s),
        claim: evidence && kept(i + e + s..Key::count(case)),
    };
    match &figure.view {
        Drawn::Assessment(h) => assessment_legend(
            names,
            &drawn,
            (draws_mostly_prior(figure, h), draws_exclusive(figure, h)),
            links_drawn(figure),
        ),
        Drawn::Evidence(_) => evidence_legend(figure, names, &drawn),
    }
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

    /// A name as HTML-like label text: escaped, its lines broken at spaces near `wrap`; on a
    /// screen view, a name longer than [`ALIAS_WIDTH`] is broken into as few lines as that
    /// takes, of even length (a state agency's 84-character name made a node as wide as the
    /// rest of the figure).
    fn label(self, text: &str) -> String {
        let text = &*clip(text, NAME_CHARS);
        match self.wrap.or_else(|| even_width(text, ALIAS_WIDTH)) {
            None => html(text),
            Some(width) => label_lines(&wrap(text, width)),
        }
    }
}

/// The aliases a node lists: the first [`SHOWN_ALIASES`], each cut to [`ALIAS_CHARS`], and
/// how many more there are (the tooltip lists them all, as far as it goes).
fn shown_aliases(aliases: &[String]) -> Vec<String> {
    let mut shown: Vec<String> = (aliases.iter().take(SHOWN_ALIASES))
        .map(|a| clip(a, ALIAS_CHARS).into_owned())
        .collect();
    if aliases.len() > SHOWN_ALIASES {
        shown.push(format!("and {} more", aliases.len() - SHOWN_ALIASES));
    }
    shown
}

/// How many aliases a node lists.
const SHOWN_ALIASES: usize = 12;

/// What an alias is cut to in a node's list.
const ALIAS_CHARS: usize = 80;

/// A list of names in lines of at most `width` characters, broken after commas so that no
/// name is split (a longer name stays whole on its own line).
fn pack(names: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (i, name) in names.iter().enumerate() {
        let item = if i + 1 < names.len() {
            format!("{name},")
        } else {
            name.clone()
        };
        if !line.is_empty() && line.chars().count() + 1 + item.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&item);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The narrowest width that [`wrap`]s `text` into no more lines than `max` does, when it is
/// longer than `max`: "Cyberattack on Albania's / government systems", not "Cyberattack on
/// Albania's government / systems".
fn even_width(text: &str, max: usize) -> Option<usize> {
    let length = text.chars().count();
    if length <= max {
        return None;
    }
    let lines = wrap(text, max).len();
    (length.div_ceil(lines)..max)
        .find(|&w| wrap(text, w).len() <= lines)
        .or(Some(max))
}

/// Breaks text at spaces into lines of at most `width` characters. A longer word stays whole
/// on its own line, unless it is longer than [`LONG_RUN`] too: then it is cut into lines of
/// `width` (or [`LONG_RUN`], the larger), lest a name of hundreds of characters without a
/// space make its node as wide as a page and the whole figure's text too small to read.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let piece = width.max(LONG_RUN);
    let words = text.split(' ').filter(|w| !w.is_empty()).flat_map(|word| {
        // Pieces of `piece` characters while more than that is left.
        let mut rest = word;
        std::iter::from_fn(move || {
            let end = (rest.char_indices().nth(piece)).map_or(rest.len(), |(at, _)| at);
            let (head, tail) = rest.split_at(end);
            rest = tail;
            (!head.is_empty()).then_some(head)
        })
    });
    for word in words {
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

/// The compact legend: likelihood colours in one row, line styles in another. `marked`: the
/// figure draws what only some figures do, and the legend says what it means (the evidence
/// view's doubted links, the assessment view's likelihoods resting mostly on the prior).
fn compact_legend(view: View, marked: bool, exclusive: bool) -> String {
    let mut out = String::from(
        "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"1\" CELLPADDING=\"1\"><TR>",
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
                "</TR><TR><TD COLSPAN=\"2\"><FONT POINT-SIZE=\"9\">arrows' confidence: ━ high \
                 ╍ moderate ┈ low</FONT></TD></TR><TR><TD COLSPAN=\"2\"><FONT \
                 POINT-SIZE=\"9\">links: wider, more solid = stronger</FONT></TD>",
            );
            if marked {
                out.push_str(&format!(
                    "</TR><TR><TD COLSPAN=\"2\"><FONT POINT-SIZE=\"9\">* {PRIOR_MARK_MEANS}\
                     </FONT></TD>"
                ));
            }
            if exclusive {
                out.push_str(&String::from(
                    "</TR><TR><TD COLSPAN=\"2\"><FONT POINT-SIZE=\"9\">excl. A: on an \
                     incident, at most one marked A is true</FONT></TD>",
                ));
            }
        }
        View::Evidence => {
            out.push_str(
                "<TD><FONT POINT-SIZE=\"9\" COLOR=\"#1a9850\">━ supports</FONT></TD>\
                 <TD><FONT POINT-SIZE=\"9\" COLOR=\"#d73027\">━ opposes</FONT></TD>\
                 <TD><FONT POINT-SIZE=\"9\" COLOR=\"#969696\">┈ echo</FONT></TD>\
                 <TD><FONT POINT-SIZE=\"9\" COLOR=\"#6a51a3\">┈ restates</FONT></TD>\
                 <TD><FONT POINT-SIZE=\"9\" COLOR=\"#737373\">╍ claimed link</FONT></TD>",
            );
            if marked {
                out.push_str(
                    "<TD><FONT POINT-SIZE=\"9\" COLOR=\"#d73027\">╍ doubted link</FONT></TD>",
                );
            }
        }
    }
    out.push_str("</TR></TABLE>");
    out
}

/// Maps a user's `--focus` name to the node it names ([`focus_nodes`]'s first).
pub fn focus_node(case: &Case, name: &str) -> Option<Key> {
    focus_nodes(case, name).first().copied()
}

/// Every node a user's `--focus` name can mean, the one it means first: the incident, actor,
/// group, source or claim whose id it is, else the incident, else the actor or group, it
/// names by name or alias (case-insensitively). The others go by it too, and a caller says so:
/// a state with the alias "Kremlin" beside the source `kremlin` (its spokesman's statements).
pub fn focus_nodes(case: &Case, name: &str) -> Vec<Key> {
    let exact = (case.incidents.iter().position(|i| i.id == name))
        .map(|i| Key::Incident(IncidentId(i as u32)))
        .or_else(|| {
            (case.entities.iter().position(|e| e.id == name))
                .map(|e| Key::Entity(EntityId(e as u32)))
        })
        .or_else(|| case.find_source(name).map(Key::Source))
        .or_else(|| case.find_claim(name).map(Key::Claim));
    let spelled = [
        case.find_incident(name).map(Key::Incident),
        case.find_entity(name).map(Key::Entity),
    ];
    let mut out: Vec<Key> = exact.into_iter().collect();
    for key in spelled.into_iter().flatten() {
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

impl Figure<'_> {
    /// A node's attributes, as its view draws it.
    pub(crate) fn node_attrs(&self, key: Key) -> Attrs {
        let (case, names) = (self.case, self.names());
        match (key, &self.view) {
            (Key::Incident(i), _) => incident(case, i, names),
            (Key::Entity(e), Drawn::Assessment(h)) => {
                // On a page, an actor judged on one incident carries its verdict in its node,
                // and the mark of its exclusive sets after its kind (a line shorter than the
                // verdict's: a wider node would widen the figure).
                let verdict = h.judged_on.get(&e).filter(|v| names.page() && v.count == 1);
                let mark = verdict.and_then(|j| exclusive_mark(h, j.incident, e));
                let mut attrs = entity(case, e, names, mark.as_deref());
                if let Some(j) = verdict
                    && let Some((_, Value::Html(label))) =
                        attrs.to_mut().iter_mut().find(|(k, _)| *k == "label")
                {
                    // One run of one font: Graphviz places each run of a label by its own
                    // measure of the font, and a viewer that draws a narrower bold left a gap
                    // between a bold term and a plain P.
                    label.push_str(&format!(
                        "<BR/><FONT POINT-SIZE=\"10\" COLOR=\"{}\"><B>{}{} · P {}</B></FONT>",
                        if j.judged { "#252525" } else { "#969696" },
                        html(j.word),
                        prior_mark(j.mostly_prior),
                        crate::report::probability_figure(j.p),
                    ));
                }
                attrs
            }
            (Key::Entity(e), Drawn::Evidence(_)) => entity(case, e, names, None),
            (Key::Source(s), _) => source_node(case.source(s), names),
            (Key::Claim(c), _) => claim_node(case, c),
        }
    }

    /// An edge's attributes, as its view draws it.
    pub(crate) fn edge_attrs(&self, from: Key, to: Key, kind: EdgeKind) -> Attrs {
        let (case, assessment, names) = (self.case, self.assessment, self.names());
        match (kind, &self.view) {
            (EdgeKind::Const(attrs), _) => Cow::Borrowed(attrs),
            (EdgeKind::Hypothesis(k), Drawn::Assessment(h)) => {
                let mut attrs = hypothesis_edge(case, h, &h.list[k]);
                // Its verdict moved into the actor's node (above): the edge goes unlabelled.
                if let Key::Entity(actor) = to
                    && names.page()
                    && h.judged_on.get(&actor).is_some_and(|v| v.count == 1)
                {
                    attrs.retain(|(k, _)| *k != "label");
                }
                attrs.into()
            }
            (EdgeKind::Link(k), _) => link_edge(case, assessment, k, names),
            (EdgeKind::Pair(k), _) => pair_edge(case, assessment, k, names),
            (EdgeKind::Hypothesis(_), Drawn::Evidence(_)) => {
                unreachable!("the evidence view draws no hypothesis edge ({from:?})")
            }
        }
    }

    /// How names are set in this figure.
    fn names(&self) -> Names {
        Names { wrap: self.wrap }
    }

    /// Every node the view draws outside a cluster, before any focus, in the order written:
    /// the incidents, then the actors judged (assessment view); the claims, the incidents and
    /// the entities named (evidence view).
    pub(crate) fn each_view_free_node(&self, f: &mut dyn FnMut(Key)) {
        match &self.view {
            Drawn::Assessment(h) => {
                h.incidents.iter().for_each(|i| f(Key::Incident(*i)));
                h.judged_on.keys().for_each(|e| f(Key::Entity(*e)));
            }
            Drawn::Evidence(ev) => {
                self.case.claim_ids().for_each(|c| f(Key::Claim(c)));
                (0..self.case.incidents.len())
                    .for_each(|i| f(Key::Incident(crate::model::IncidentId(i as u32))));
                ev.entities.iter().for_each(|e| f(Key::Entity(*e)));
            }
        }
    }

    /// Every edge the view draws, before any focus, in the order written.
    pub(crate) fn each_view_edge(&self, f: &mut dyn FnMut(Key, Key, EdgeKind)) {
        let (case, assessment) = (self.case, self.assessment);
        match &self.view {
            Drawn::Assessment(h) => {
                for (k, j) in h.list.iter().enumerate() {
                    f(
                        Key::Incident(j.incident),
                        Key::Entity(j.actor),
                        EdgeKind::Hypothesis(k),
                    );
                }
                // Structural part_of and claimed links among the actors drawn.
                let drawn = |e: &EntityId| h.judged_on.contains_key(e);
                for (k, l) in assessment.links.iter().enumerate() {
                    if drawn(&l.from) && drawn(&l.to) {
                        f(Key::Entity(l.from), Key::Entity(l.to), EdgeKind::Link(k));
                    }
                }
                for (k, p) in assessment.pairs.iter().enumerate() {
                    if drawn(&p.a) && drawn(&p.b) {
                        f(Key::Entity(p.a), Key::Entity(p.b), EdgeKind::Pair(k));
                    }
                }
            }
            Drawn::Evidence(ev) => {
                for id in case.claim_ids() {
                    let stance = Stance::of(ev.echoes.contains(&id), assessment.claim(id));
                    claim_edges(case, id, stance, f);
                }
                for (i, e) in case.entities.iter().enumerate() {
                    if let Some(p) = e.part_of {
                        f(
                            Key::Entity(EntityId(i as u32)),
                            Key::Entity(p),
                            EdgeKind::Const(DECLARED_PART_OF),
                        );
                    }
                }
            }
        }
    }
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
        // Cut corners for the actors whose identity is unknown or assumed; not dashed, which
        // is an arrow's moderate confidence.
        EntityKind::Actor(ActorKind::Unidentified) => ("diagonals", "1"),
        EntityKind::Group(GroupKind::IntrusionSet) => ("rounded", "1"),
        EntityKind::Group(GroupKind::Persona) => ("diagonals", "1"),
    };
    let mut attrs = vec![
        ("shape", Value::Raw("box")),
        ("style", Value::Raw(style)),
        ("peripheries", Value::Raw(peripheries)),
    ];
    attrs.extend(page_padding());
    if style == "diagonals" {
        // Room for the cut corners beside the text.
        for (_, value) in attrs.iter_mut().filter(|(key, _)| *key == "margin") {
            *value = Value::Raw("0.14,0.04");
        }
    }
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

/// What a legend row's outline is drawn for: the legend lists only what the figure can hold
/// (no source or claim in the assessment view, no kind of actor the case lacks).
#[derive(Clone, Copy)]
enum Shown {
    Kinds(&'static [EntityKind]),
    Incident,
    Source,
    Claim,
}

/// What a figure draws, as its legend's outline rows name it.
struct Outlines {
    /// The kinds of the actors and groups drawn.
    kinds: BTreeSet<EntityKind>,
    /// Whether an incident, a source or a claim is drawn.
    incident: bool,
    source: bool,
    claim: bool,
}

/// Whether the figure draws a node of the kind `shown`.
fn drawn_in(drawn: &Outlines, shown: Shown) -> bool {
    match shown {
        Shown::Kinds(kinds) => kinds.iter().any(|k| drawn.kinds.contains(k)),
        Shown::Incident => drawn.incident,
        Shown::Source => drawn.source,
        Shown::Claim => drawn.claim,
    }
}

/// The actors and groups a view draws (before any focus).
fn drawn_entities(drawn: &Drawn) -> Box<dyn Iterator<Item = EntityId> + '_> {
    match drawn {
        Drawn::Assessment(h) => Box::new(h.judged_on.keys().copied()),
        Drawn::Evidence(ev) => Box::new(ev.entities.iter().copied()),
    }
}

const STATE: &[EntityKind] = &[EntityKind::Actor(ActorKind::State)];
const AGENCY: &[EntityKind] = &[
    EntityKind::Actor(ActorKind::Agency),
    EntityKind::Actor(ActorKind::MilitaryUnit),
];
const ORGANISATION: &[EntityKind] = &[
    EntityKind::Actor(ActorKind::Organisation),
    EntityKind::Actor(ActorKind::Company),
];
const PERSON: &[EntityKind] = &[EntityKind::Actor(ActorKind::Person)];
const UNIDENTIFIED: &[EntityKind] = &[EntityKind::Actor(ActorKind::Unidentified)];
const INTRUSION_SET: &[EntityKind] = &[EntityKind::Group(GroupKind::IntrusionSet)];
const PERSONA: &[EntityKind] = &[EntityKind::Group(GroupKind::Persona)];

/// The outlines of [`shape`], in words.
const SHAPES: [(&str, &str, Shown); 10] = [
    ("double octagon", "state", Shown::Kinds(STATE)),
    ("house", "agency or military unit", Shown::Kinds(AGENCY)),
    ("box", "organisation or company", Shown::Kinds(ORGANISATION)),
    ("egg", "person", Shown::Kinds(PERSON)),
    ("octagon", "unidentified actor", Shown::Kinds(UNIDENTIFIED)),
    ("ellipse", "intrusion set", Shown::Kinds(INTRUSION_SET)),
    ("parallelogram", "persona", Shown::Kinds(PERSONA)),
    ("filled box", "incident", Shown::Incident),
    ("folder", "source", Shown::Source),
    ("page, corner folded", "claim", Shown::Claim),
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

/// The width, in characters, an entity's list of aliases, and a name, wrap at on a screen
/// view.
const ALIAS_WIDTH: usize = 40;

/// An entity's node.
fn entity(case: &Case, e: EntityId, names: Names, mark: Option<&str>) -> Attrs {
    let ent = case.entity(e);
    let mut label = format!(
        "<B>{}</B><BR/><FONT POINT-SIZE=\"9\">{}{}</FONT>",
        names.label(&ent.name),
        html(ent.kind.word()),
        mark.map_or_else(String::new, |m| format!(" · {m}"))
    );
    if !ent.aliases.is_empty() && !names.page() {
        // A group known by eight names would be a node as wide as the figure: the list wraps
        // at ALIAS_WIDTH characters even where names do not.
        let aka = pack(&shown_aliases(&ent.aliases), ALIAS_WIDTH);
        label.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"9\">aka {}</FONT>",
            label_lines(&aka)
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
    attrs.push(("tooltip", Value::Tooltip(tooltip)));
    attrs.into()
}

/// An incident's node.
fn incident(case: &Case, i: crate::model::IncidentId, names: Names) -> Attrs {
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
            Value::Tooltip(inc.description.clone().unwrap_or_else(|| inc.name.clone())),
        ),
    ];
    if names.page() {
        attrs.extend(page_padding());
    }
    attrs.into()
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

/// How a link's belief reads in its label: `b 0.25`; when no usable claim holds it up,
/// "doubted" if a claim holds it below even chance (a source disputed it), else
/// "unsupported". Not a likelihood word: b is the share of the fused claims' opinion that is
/// belief, what a chain up the link keeps, and a link a B-graded source called "likely" has
/// b 0.25, which the word of 0.25 ("unlikely") would contradict.
fn link_belief(belief: f64, doubted: bool) -> String {
    let belief = crate::report::unsigned_zero(belief, 2);
    match (belief <= 0.0, doubted) {
        (true, true) => format!("doubted (b {belief:.2})"),
        (true, false) => format!("unsupported (b {belief:.2})"),
        (false, _) => format!("b {belief:.2}"),
    }
}

/// The edge of link `k`: declared `part_of` in black, a claimed link drawn by the belief of
/// its fused claims and labelled with its relations, belief and claims.
fn link_edge(case: &Case, assessment: &Assessment, k: usize, names: Names) -> Attrs {
    let l = &assessment.links[k];
    if l.structural {
        Cow::Borrowed(DECLARED_PART_OF)
    } else {
        let belief = assessment.link_beliefs.get(k).copied().unwrap_or(0.0);
        let relations: BTreeSet<&str> = l
            .claims
            .iter()
            .map(|c| case.claim(*c).relation.phrase())
            .collect();
        let relations = relations.into_iter().collect::<Vec<_>>().join(" / ");
        let mut attrs = belief_line(case, assessment, &relations, belief, &l.claims, names);
        attrs.push(("arrowhead", Value::Raw("onormal")));
        attrs.into()
    }
}

/// The undirected edge of "possibly same as" pair `k`, drawn like a claimed link.
fn pair_edge(case: &Case, assessment: &Assessment, k: usize, names: Names) -> Attrs {
    let p = &assessment.pairs[k];
    let belief = assessment.pair_beliefs.get(k).copied().unwrap_or(0.0);
    let mut attrs = belief_line(
        case,
        assessment,
        "possibly same as",
        belief,
        &p.claims,
        names,
    );
    attrs.retain(|(k, _)| *k != "fontcolor");
    attrs.extend([
        ("dir", Value::Raw("both")),
        ("arrowhead", Value::Raw("none")),
        ("arrowtail", Value::Raw("none")),
    ]);
    attrs.into()
}

/// A claimed relation's label and line: its relation, belief and claims; width and style by
/// the belief.
fn belief_line(
    case: &Case,
    assessment: &Assessment,
    relation: &str,
    belief: f64,
    claims: &[crate::model::ClaimId],
    names: Names,
) -> AttrList {
    let doubted = (claims.iter()).any(|&c| {
        let w = assessment.claim(c);
        w.usable && w.s > 0.0
    });
    let claims: Vec<&str> = claims.iter().map(|c| case.claim(*c).id.as_str()).collect();
    let (style, colour) = link_style(belief);
    vec![
        (
            "label",
            Value::Text(format!(
                "{relation}\n{}\n{}",
                link_belief(belief, doubted),
                names.plain(&claims.join(", "))
            )),
        ),
        // Labels of parallel edges float between them: a line ties each to its edge.
        ("decorate", Value::Raw("true")),
        ("style", Value::Raw(style)),
        (
            "penwidth",
            Value::Number(0.75 + (CLAIMED_WIDEST - 0.75) * belief),
        ),
        ("color", Value::Raw(colour)),
        ("fontcolor", Value::Raw("#525252")),
    ]
}

/// The width of a claimed link's line at belief 1 (at 0: 0.75).
const CLAIMED_WIDEST: f64 = 3.25;

/// A declared `part_of`: black and wider than any claimed link (a claimed link believed
/// certain is [`CLAIMED_WIDEST`] wide), in both views: a certain tie never looks lighter than
/// a doubted one.
static DECLARED_PART_OF: &[(&str, Value)] = &[
    ("label", Value::Raw("part of (declared)")),
    ("penwidth", Value::Number(CLAIMED_WIDEST + 0.5)),
    ("color", Value::Raw("#252525")),
    ("arrowhead", Value::Raw("empty")),
];

/// The assessment view's incidents and hypotheses, from one pass over the incidents as a
/// streamed assessment yields them: per actor, how many incidents judge it and the first
/// verdict (on a page, a hypothesis judged on one incident only carries its verdict in its
/// node, not on its edge: edge labels take a rank's width in Graphviz's layout); per
/// hypothesis, what its edge shows.
fn hypotheses(case: &Case, assessment: &Assessment, min: Option<IcdTerm>) -> Hypotheses {
    let mut out = Hypotheses::default();
    let mut sets_on: BTreeMap<IncidentId, usize> = BTreeMap::new();
    for (k, set) in case.exclusive.iter().enumerate() {
        let letter = sets_on.entry(set.incident).or_default();
        for &member in &set.members {
            let marks = out.exclusive.entry((set.incident, member)).or_default();
            marks.push((*letter, k));
        }
        *letter += 1;
    }
    for ia in assessment.each(case) {
        out.incidents.push(ia.incident);
        for j in &ia.hypotheses {
            if min.is_some_and(|m| j.term().is_none_or(|t| t < m)) {
                continue;
            }
            let mostly_prior = crate::report::mostly_prior(j.prior, j.opinion(), j.term());
            out.judged_on
                .entry(j.actor)
                .and_modify(|v| v.count += 1)
                .or_insert(Verdicts {
                    count: 1,
                    incident: ia.incident,
                    judged: j.term().is_some(),
                    word: j.term_word(),
                    p: j.p(),
                    mostly_prior,
                });
            let start = out.carriers.len() as u32;
            out.carriers.extend(&j.carriers);
            let via_from = out.carriers.len() as u32;
            out.carriers.extend(&j.carried_via);
            out.list.push(Hypothesis {
                incident: ia.incident,
                actor: j.actor,
                term: j.term(),
                word: j.term_word(),
                confidence: j.confidence(),
                p: j.p(),
                mostly_prior: mostly_prior.then_some(j.prior),
                lines: j.lines,
                lines_against: j.lines_against,
                carriers: start..out.carriers.len() as u32,
                via_from,
            });
        }
    }
    out
}

/// The letter of an incident's `k`th exclusive set: A to Z, then AA, AB, ….
fn set_letter(k: usize) -> String {
    let mut out = Vec::new();
    let mut k = k + 1;
    while k > 0 {
        k -= 1;
        out.push(b'A' + (k % 26) as u8);
        k /= 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// `excl. A` (`excl. A, B`) for a hypothesis in exclusive sets of its incident, else `None`.
fn exclusive_mark(h: &Hypotheses, incident: IncidentId, actor: EntityId) -> Option<String> {
    let marks = h.exclusive.get(&(incident, actor))?;
    let letters: Vec<String> = marks
        .iter()
        .map(|&(letter, _)| set_letter(letter))
        .collect();
    Some(format!("excl. {}", letters.join(", ")))
}

/// What [`exclusive_mark`] means, for the legend.
const EXCLUSIVE_MARK_MEANS: &str =
    "exclusive set: of an incident's hypotheses marked with one letter, at most one is true";

/// Whether `figure` draws a hypothesis in an exclusive set: the legend then says what its mark
/// means.
fn draws_exclusive(figure: &Figure<'_>, h: &Hypotheses) -> bool {
    (h.list.iter()).any(|j| {
        h.exclusive.contains_key(&(j.incident, j.actor))
            && figure.kept(Key::Incident(j.incident))
            && figure.kept(Key::Entity(j.actor))
    })
}

/// The mark after a likelihood word that rests mostly on the prior, as the table marks it.
fn prior_mark(mostly_prior: bool) -> &'static str {
    if mostly_prior { " *" } else { "" }
}

/// What the legend says of [`prior_mark`].
const PRIOR_MARK_MEANS: &str = "likelihood resting mostly on the prior, not on the evidence";

/// Whether `figure` draws a hypothesis whose likelihood rests mostly on the prior: the legend
/// then says what its mark means.
fn draws_mostly_prior(figure: &Figure<'_>, h: &Hypotheses) -> bool {
    (h.list.iter()).any(|j| {
        j.mostly_prior.is_some()
            && figure.kept(Key::Incident(j.incident))
            && figure.kept(Key::Entity(j.actor))
    })
}

/// A hypothesis edge's tooltip: the whole judgement, the claims that carry it and the other
/// members of its exclusive sets.
fn hypothesis_tooltip(case: &Case, all: &Hypotheses, j: &Hypothesis) -> String {
    let ids = |from: u32, to: u32| -> Vec<&str> {
        (all.carriers[from as usize..to as usize].iter())
            .map(|c| case.claim(*c).id.as_str())
            .collect()
    };
    let carriers = ids(j.carriers.start, j.via_from);
    let via = ids(j.via_from, j.carriers.end);
    // The other members of each set, by id: at most one of them and this one is true.
    let sets = all.exclusive.get(&(j.incident, j.actor));
    let others = (sets.into_iter().flatten())
        .map(|&(letter, k)| {
            let members = (case.exclusive[k].members.iter())
                .filter(|&&m| m != j.actor)
                .map(|&m| case.entity(m).id.as_str())
                .collect::<Vec<_>>();
            format!(
                "; exclusive with {} ({})",
                members.join(", "),
                set_letter(letter)
            )
        })
        .collect::<String>();
    format!(
        "{} → {}: {}, {} confidence, P {}{}; {} for it and {} against; {}{others}",
        case.incident(j.incident).id,
        case.entity(j.actor).id,
        j.word,
        j.confidence.word(),
        crate::report::probability_figure(j.p),
        j.mostly_prior.map_or_else(String::new, |prior| format!(
            " (* mostly the prior {prior}: the prior times the uncertainty outweighs the evidence)"
        )),
        crate::report::plural(j.lines, "independent line"),
        j.lines_against,
        match (carriers.is_empty(), via.is_empty()) {
            (true, _) => "no claim carries it".to_string(),
            (false, true) => format!("carried by {}", carriers.join(", ")),
            (false, false) => format!(
                "carried by {}; via {} {}",
                carriers.join(", "),
                crate::report::via_word(
                    case,
                    &all.carriers[j.via_from as usize..j.carriers.end as usize]
                ),
                via.join(", ")
            ),
        }
    )
}

/// The edge from an incident to a hypothesis: coloured by its likelihood, styled by its
/// confidence, wider as it is more likely; the whole judgement in its tooltip.
fn hypothesis_edge(case: &Case, all: &Hypotheses, j: &Hypothesis) -> AttrList {
    let mark = exclusive_mark(all, j.incident, j.actor);
    let mut attrs: AttrList = vec![
        (
            "label",
            Value::Text(format!(
                "{}{}\nP {}{}",
                j.word,
                prior_mark(j.mostly_prior.is_some()),
                crate::report::probability_figure(j.p),
                mark.map_or_else(String::new, |m| format!("\n{m}"))
            )),
        ),
        // Labels of edges that run side by side float between them: a line ties each to its
        // edge.
        ("decorate", Value::Raw("true")),
        ("color", Value::Raw(term_colour(j.term))),
        (
            "fontcolor",
            Value::Raw(if j.term.is_some() {
                "#252525"
            } else {
                "#969696"
            }),
        ),
        (
            "penwidth",
            Value::Number(1.0 + 0.6 * f64::from(j.term.map_or(0, |t| t as u8))),
        ),
        (
            "style",
            Value::Raw(if j.term.is_some() {
                confidence_style(j.confidence)
            } else {
                "dotted"
            }),
        ),
        ("tooltip", Value::Tooltip(hypothesis_tooltip(case, all, j))),
    ];
    if j.term.is_none() {
        attrs.push(("arrowhead", Value::Raw("odot")));
    }
    attrs
}

/// The full legend of the assessment view.
/// Whether the assessment view of `figure` draws a declared `part_of`, and a claimed link or
/// pair, among the actors it keeps (with `--min` or `--focus`, perhaps neither).
fn links_drawn(figure: &Figure<'_>) -> (bool, bool) {
    let (mut declared, mut claimed) = (false, false);
    figure.each_view_edge(&mut |from, to, kind| {
        if !(figure.kept(from) && figure.kept(to)) {
            return;
        }
        match kind {
            EdgeKind::Link(k) if figure.assessment.links[k].structural => declared = true,
            EdgeKind::Link(_) | EdgeKind::Pair(_) => claimed = true,
            _ => {}
        }
    });
    (declared, claimed)
}

fn assessment_legend(
    names: Names,
    drawn: &Outlines,
    (mostly_prior, exclusive): (bool, bool),
    (declared, claimed): (bool, bool),
) -> String {
    let mut rows: Vec<String> = (IcdTerm::ALL.iter().rev())
        .map(|t| {
            format!(
                "<TD BGCOLOR=\"{}\" WIDTH=\"30\"></TD><TD ALIGN=\"LEFT\">{}</TD>",
                term_colour(Some(*t)),
                html(t.word())
            )
        })
        .collect();
    rows.push(format!(
        "<TD BGCOLOR=\"{}\"></TD><TD ALIGN=\"LEFT\">insufficient evidence (faint, dotted)</TD>",
        term_colour(None)
    ));
    if mostly_prior {
        rows.push(format!("<TD>*</TD>{}", legend_cell(PRIOR_MARK_MEANS)));
    }
    if exclusive {
        rows.push(format!(
            "<TD>excl. A</TD>{}",
            legend_cell(EXCLUSIVE_MARK_MEANS)
        ));
    }
    let lines = [
        (true, "━━━", "high confidence"),
        (true, "╍╍╍", "moderate confidence"),
        (true, "┈┈┈", "low confidence"),
        (true, "wider", "more likely"),
        (declared, "black, widest", "declared part of"),
        (
            claimed,
            "grey ━ ╍ ┈",
            "claimed link: width and style by the belief b of its fused claims, labelled with \
             its relation, b and claim ids",
        ),
    ];
    rows.extend(
        (lines.iter().filter(|(shown, _, _)| *shown))
            .map(|(_, line, meaning)| format!("<TD>{line}</TD>{}", legend_cell(meaning))),
    );
    legend(
        "Likelihood (ICD 203), colour; confidence, line",
        rows,
        names,
        drawn,
        1,
    )
}

/// The evidence view's few facts about the whole case: its lines of evidence and their
/// sources, the claims set aside as echoes, the entities something names.
fn evidence(case: &Case, assessment: &Assessment) -> Evidence {
    let mut clusters: BTreeMap<&str, Vec<crate::model::SourceId>> = BTreeMap::new();
    for s in case.source_ids() {
        clusters
            .entry(case.family(case.source(s).family))
            .or_default()
            .push(s);
    }
    let mut entities = vec![false; case.entities.len()];
    for (i, e) in case.entities.iter().enumerate() {
        if let Some(p) = e.part_of {
            entities[i] = true;
            entities[p.0 as usize] = true;
        }
    }
    for c in &case.claims {
        match c.statement {
            Statement::Responsible { actor, .. } => entities[actor.0 as usize] = true,
            Statement::Link { from, to } | Statement::SameAs { a: from, b: to } => {
                entities[from.0 as usize] = true;
                entities[to.0 as usize] = true;
            }
            Statement::Condemns { .. } => {}
        }
    }
    Evidence {
        clusters: clusters
            .into_iter()
            .map(|(family, sources)| (family.to_string(), sources))
            .collect(),
        echoes: assessment.echoes(case),
        entities: (0..case.entities.len() as u32)
            .map(EntityId)
            .filter(|e| entities[e.0 as usize])
            .collect(),
    }
}

/// The full legend of the evidence view: a row for each style of line the figure draws (a
/// small case has no denial, echo or declared part to explain), in two columns, so that the
/// legend of a small figure is not as tall as the figure. Under a what-if that sets lines of
/// evidence aside, an echo may restate a claim that went with its line rather than one
/// counted, and the legend says so, as the table and the report do.
fn evidence_legend(figure: &Figure<'_>, names: Names, drawn: &Outlines) -> String {
    let scenario = &figure.assessment.scenario;
    let echo = if scenario.without_families.is_empty() {
        "echo: restates claims present, not counted"
    } else {
        "echo: restates claims present or set aside with their line of evidence, not counted"
    };
    // A claim drawn in light grey ([`Stance::Weightless`]): at even chance, forming no
    // likelihood, or (the what-if's later or removed claims) not in the scenario.
    let sets_aside = scenario.as_of.is_some()
        || !scenario.without_claims.is_empty()
        || !scenario.without_sources.is_empty()
        || !scenario.without_families.is_empty();
    let weightless = if sets_aside {
        "claim that carries no weight: even chance, no likelihood, or set aside by the what-if"
    } else {
        "claim that carries no weight: even chance or no likelihood"
    };
    let styles: [(Style, &str, &str); 11] = [
        (Stance::Supports.attrs(), "#1a9850\">━━━", "claim supports"),
        (
            Stance::Opposes.attrs(),
            "#d73027\">━━━",
            "claim opposes (a denial, or below even chance)",
        ),
        (&FROM_SOURCE, "#969696\">───", "source to the claim it made"),
        (&FROM_INCIDENT, "#bdbdbd\">───", "incident to a claim on it"),
        (Stance::Echo.attrs(), "#969696\">┈┈┈", echo),
        (Stance::Weightless.attrs(), "#bdbdbd\">╌╌╌", weightless),
        (&CONDEMNS, "#969696\">┈┈┈", "condemns the incident"),
        (&RESTATES, "#6a51a3\">┈┈┈", "restates (derived from)"),
        (&CLAIMED_LINK, "#737373\">╍╍╍", "claimed link"),
        (
            &DOUBTED_LINK,
            "#d73027\">╍╍╍",
            "claimed link doubted: the claim holds it below even chance",
        ),
        (DECLARED_PART_OF, "#000000\">━━━", "declared part of"),
    ];
    let found = styles_drawn(figure, &styles.map(|(attrs, _, _)| attrs));
    let mut rows: Vec<String> = (styles.iter().zip(found))
        .filter(|(_, found)| *found)
        .map(|((_, line, meaning), _)| {
            format!(
                "<TD><FONT COLOR=\"{line}</FONT></TD>{}",
                legend_cell(meaning)
            )
        })
        .collect();
    if drawn.source {
        rows.push(
            "<TD>dashed box</TD><TD ALIGN=\"LEFT\">a line of evidence (dependence family)</TD>"
                .to_string(),
        );
    }
    legend("Evidence", rows, names, drawn, 2)
}

/// Which of `styles` (the constant styles of the evidence view's lines) `figure` draws: its
/// edges walked as they are written (declared parts first, then the claims' lines), until
/// every style is met (on a large case, after a few claims).
fn styles_drawn<const N: usize>(figure: &Figure<'_>, styles: &[Style; N]) -> [bool; N] {
    let found = std::cell::Cell::new([false; N]);
    let mut note = |from: Key, to: Key, kind: EdgeKind| {
        if let EdgeKind::Const(attrs) = kind
            && figure.kept(from)
            && figure.kept(to)
            && let Some(i) = styles.iter().position(|s| std::ptr::eq(*s, attrs))
        {
            let mut now = found.get();
            now[i] = true;
            found.set(now);
        }
    };
    let Drawn::Evidence(ev) = &figure.view else {
        return found.get();
    };
    let case = figure.case;
    for (i, e) in case.entities.iter().enumerate() {
        if let Some(p) = e.part_of {
            note(
                Key::Entity(EntityId(i as u32)),
                Key::Entity(p),
                EdgeKind::Const(DECLARED_PART_OF),
            );
        }
    }
    for id in case.claim_ids() {
        if found.get().iter().all(|&f| f) {
            break;
        }
        let stance = Stance::of(ev.echoes.contains(&id), figure.assessment.claim(id));
        claim_edges(case, id, stance, &mut note);
    }
    found.get()
}

/// Whether `figure` draws a claim holding a link or a pair below even chance: what the link
/// carries is doubted, which an analyst reading a grey line as "claimed" would take for a tie.
fn draws_doubted(figure: &Figure<'_>) -> bool {
    let [doubted] = styles_drawn(figure, &[&DOUBTED_LINK]);
    doubted
}

/// A source in its line of evidence's cluster, with its reliability.
fn source_node(s: &crate::model::Source, names: Names) -> Attrs {
    Cow::Owned(vec![
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
            Value::Tooltip(s.note.clone().unwrap_or_else(|| s.name.clone())),
        ),
    ])
}

/// A claim: its id, relation, stated likelihood and date; its wording and URL as tooltip.
fn claim_node(case: &Case, c: crate::model::ClaimId) -> Attrs {
    let url = case.claim_url(c);
    let c = case.claim(c);
    let stated = crate::report::stated_likelihood(c);
    let tooltip = match (&c.wording, url) {
        (Some(w), Some(u)) => format!("{w}\n{u}"),
        (None, Some(u)) => format!("\n{u}"),
        (Some(w), None) => w.clone(),
        (None, None) => String::new(),
    };
    let label = format!(
        "<B>{}</B><BR/>{}<BR/><FONT POINT-SIZE=\"9\">{}{}</FONT>",
        html(&clip(&c.id, NAME_CHARS)),
        html(c.relation.phrase()),
        html(&stated),
        c.date
            .map(|d| format!(", {d}"))
            .map(|d| html(&d))
            .unwrap_or_default()
    );
    Cow::Owned(vec![
        ("shape", Value::Raw("note")),
        ("label", Value::Html(label)),
        ("tooltip", Value::Tooltip(tooltip)),
    ])
}

/// How a claim's line to what it speaks of is drawn.
#[derive(Clone, Copy)]
enum Stance {
    /// An echo: restates claims present and is not counted.
    Echo,
    /// It weighs against: a denial, or any likelihood below even chance.
    Opposes,
    /// It weighs for.
    Supports,
    /// It carries no weight.
    Weightless,
}

impl Stance {
    /// How a claim that is an echo or not, weighing `w`, is drawn.
    fn of(echo: bool, w: &crate::assess::ClaimWeight) -> Stance {
        if echo {
            Stance::Echo
        } else if w.denies() {
            Stance::Opposes
        } else if w.r > 0.0 {
            Stance::Supports
        } else {
            Stance::Weightless
        }
    }

    /// The line's attributes: one constant set per stance, shared by every claim's edge.
    fn attrs(self) -> &'static [(&'static str, Value)] {
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
        // Dashed: the light grey solid line is the one from an incident to each claim on it.
        static WEIGHTLESS: [(&str, Value); 3] = line("#bdbdbd", "dashed");
        match self {
            Stance::Echo => &ECHO,
            Stance::Opposes => &OPPOSES,
            Stance::Supports => &SUPPORTS,
            Stance::Weightless => &WEIGHTLESS,
        }
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

/// A link or "same as" claim's lines when it holds what it states below even chance.
static DOUBTED_LINK: [(&str, Value); 2] = [
    ("color", Value::Raw("#d73027")),
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

/// The edges of a claim, in the order written: from its source; to what it speaks of, drawn
/// by its stance; to the claims it restates.
fn claim_edges(
    case: &Case,
    id: crate::model::ClaimId,
    stance: Stance,
    edge: &mut dyn FnMut(Key, Key, EdgeKind),
) {
    let c = case.claim(id);
    let node = Key::Claim(id);
    edge(Key::Source(c.source), node, EdgeKind::Const(&FROM_SOURCE));
    match c.statement {
        Statement::Responsible {
            incident: inc,
            actor,
        } => {
            edge(Key::Incident(inc), node, EdgeKind::Const(&FROM_INCIDENT));
            edge(node, Key::Entity(actor), EdgeKind::Const(stance.attrs()));
        }
        Statement::Link { from, to } | Statement::SameAs { a: from, b: to } => {
            let line: &'static [_] = match stance {
                Stance::Opposes => &DOUBTED_LINK,
                _ => &CLAIMED_LINK,
            };
            edge(Key::Entity(from), node, EdgeKind::Const(line));
            edge(node, Key::Entity(to), EdgeKind::Const(line));
        }
        Statement::Condemns { incident: inc } => {
            edge(node, Key::Incident(inc), EdgeKind::Const(&CONDEMNS));
        }
    }
    for origin in &c.derived_from {
        edge(node, Key::Claim(*origin), EdgeKind::Const(&RESTATES));
    }
}

/// A legend entry's meaning as its cell, its lines broken near [`LEGEND_WIDTH`] and set
/// flush left: the legend sits beside the diagram, and one long entry made it a third of the
/// figure's width.
fn legend_cell(meaning: &str) -> String {
    format!(
        "<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">{}</TD>",
        label_lines(&wrap(meaning, LEGEND_WIDTH))
    )
}

/// Lines of text as the lines of an HTML-like label: each escaped, a break between them.
fn label_lines<S: AsRef<str>>(lines: &[S]) -> String {
    (lines.iter())
        .map(|l| html(l.as_ref()))
        .collect::<Vec<_>>()
        .join("<BR/>")
}

/// The characters a legend entry's line holds at most ([`legend_cell`]).
const LEGEND_WIDTH: usize = 48;

/// The legend table: the view's rows (each a cell drawing a style and one saying what it
/// means), then the node shapes (the outlines, on a page) of what is drawn; in `columns`
/// columns of rows, read down the first and on down the next.
fn legend(
    title: &str,
    mut rows: Vec<String>,
    names: Names,
    drawn: &Outlines,
    columns: usize,
) -> String {
    // On a page the entities are boxes: the legend says which border is which.
    let shapes = if names.page() { &PAGE_SHAPES } else { &SHAPES };
    rows.extend((shapes.iter()).filter(|(_, _, s)| drawn_in(drawn, *s)).map(
        |(shape, meaning, _)| {
            format!(
                "<TD>{}</TD><TD ALIGN=\"LEFT\">{}</TD>",
                html(shape),
                html(meaning)
            )
        },
    ));
    let columns = columns.clamp(1, rows.len().max(1));
    let height = rows.len().div_ceil(columns);
    let mut out = format!(
        "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">\
         <TR><TD COLSPAN=\"{}\"><B>{}</B></TD></TR>",
        2 * columns,
        html(title)
    );
    for r in 0..height {
        out.push_str("<TR>");
        for c in 0..columns {
            match rows.get(c * height + r) {
                Some(row) => out.push_str(row),
                None => out.push_str("<TD COLSPAN=\"2\" BORDER=\"0\"></TD>"),
            }
        }
        out.push_str("</TR>");
    }
    out.push_str("</TABLE>");
    out
}

/// The outlines of [`page_outline`], for the full legend of a figure laid out for a page.
const PAGE_SHAPES: [(&str, &str, Shown); 10] = [
    ("box, double border", "state", Shown::Kinds(STATE)),
    (
        "rounded, double border",
        "agency or military unit",
        Shown::Kinds(AGENCY),
    ),
    ("box", "organisation or company", Shown::Kinds(ORGANISATION)),
    ("rounded", "person", Shown::Kinds(PERSON)),
    ("rounded", "intrusion set", Shown::Kinds(INTRUSION_SET)),
    (
        "box, cut corners",
        "unidentified actor",
        Shown::Kinds(UNIDENTIFIED),
    ),
    ("box, cut corners", "persona", Shown::Kinds(PERSONA)),
    ("filled box", "incident", Shown::Incident),
    ("folder", "source", Shown::Source),
    ("page, corner folded", "claim", Shown::Claim),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// On a screen view a long name breaks into as few lines as 40 characters allow, of even
    /// length; a name of 40 or fewer stays on one line.
    #[test]
    fn long_names_break_into_even_lines_on_screen() {
        let names = Names { wrap: None };
        assert_eq!(
            names.label("Cyberattack on Albania's government systems"),
            "Cyberattack on Albania&#39;s<BR/>government systems"
        );
        assert_eq!(
            names.label("Main Directorate of the General Staff of the Armed Forces of the Russian Federation"),
            "Main Directorate of the General<BR/>Staff of the Armed Forces of<BR/>the Russian Federation"
        );
        let forty = "Ministry of Intelligence and Security ab";
        assert_eq!(forty.chars().count(), 40);
        assert_eq!(names.label(forty), forty);
        assert_eq!(even_width("a b", 40), None);
        // A word longer than the width stays whole, up to a run no word of a name makes;
        // past it, it is cut.
        assert_eq!(
            wrap("Bundesnachrichtendienst", 20),
            ["Bundesnachrichtendienst"]
        );
        assert_eq!(wrap(&"x".repeat(32), 30), ["x".repeat(32)]);
        assert_eq!(
            wrap(&format!("A {}é", "x".repeat(99)), 40),
            [
                "A",
                &"x".repeat(40),
                &"x".repeat(40),
                &format!("{}é", "x".repeat(19))
            ]
        );
    }

    #[test]
    fn aliases_break_after_commas_never_inside_a_name() {
        let names: Vec<String> = [
            "SeedWorm",
            "TEMP.Zagros",
            "MERCURY",
            "Mango Sandstorm",
            "G0069",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            pack(&names, 31),
            ["SeedWorm, TEMP.Zagros, MERCURY,", "Mango Sandstorm, G0069"]
        );
        let long = vec!["Vezarat-e Ettela'at va Amniyat-e Keshvar".to_string()];
        assert_eq!(pack(&long, 10), long, "a longer name stays whole");
        assert!(pack(&[], 10).is_empty());
    }

    #[test]
    fn numbers_are_written_as_rounding_to_two_places_writes_them() {
        let mut values: Vec<f64> = (0..200_000).map(|i| f64::from(i) / 1000.0).collect();
        values.extend((0..=7).map(|t| 1.0 + 0.6 * f64::from(t)));
        values.extend((0..=10_000).map(|b| 0.75 + 2.5 * (f64::from(b) / 10_000.0)));
        values.extend([
            0.0,
            -0.0,
            0.005,
            0.015,
            0.125,
            2.675,
            1e20,
            -1.5,
            f64::NAN,
            f64::INFINITY,
            f64::MIN_POSITIVE,
        ]);
        for x in values {
            let mut out = String::new();
            two_decimals(&mut out, x);
            assert_eq!(out, format!("{x:.2}"), "{x:?}");
        }
    }
}
