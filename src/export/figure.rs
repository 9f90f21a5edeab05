//! A diagram as plain data — nodes, edges, clusters, each attribute a typed value — before it
//! is written as DOT. Views build a [`Figure`]; [`Figure::focus`] cuts a neighbourhood;
//! [`crate::export::dot::write`] writes it. Keeping the figure as data makes focus and
//! determinism simple and keeps every untrusted string on its way through one writer.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// An attribute value: text is quoted by the writer; HTML is markup built by attrib from
/// escaped pieces; `Raw` is for attrib's own constants (colours, shapes, numbers) only.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text from the case: quoted and escaped on the way out.
    Text(String),
    /// An HTML-like label attrib built from escaped pieces.
    Html(String),
    /// One of attrib's own constants, written as it is.
    Raw(&'static str),
    /// A number, written with two decimals.
    Number(f64),
}

/// Attributes of a node or an edge, in the order they are written. Most edges of a view share
/// one of a few constant sets (a claim's line from its source, a declared `part_of`), which
/// are borrowed rather than copied into each of a large case's millions of edges.
pub type Attrs = Cow<'static, [(&'static str, Value)]>;

/// A node's DOT id, shared by the node and every edge that meets it: a claim's id is written
/// in its node and in three or four edges, and a large figure holds millions of them.
pub type Id = Arc<str>;

#[derive(Debug, Clone, PartialEq)]
/// A node of the figure.
pub struct Node {
    /// Its DOT id (escaped when written).
    pub id: Id,
    /// The cluster it is drawn in, if any.
    pub cluster: Option<String>,
    /// Its attributes.
    pub attrs: Attrs,
}

#[derive(Debug, Clone, PartialEq)]
/// An edge of the figure.
pub struct Edge {
    /// The node it starts at.
    pub from: Id,
    /// The node it ends at.
    pub to: Id,
    /// Its attributes.
    pub attrs: Attrs,
}

#[derive(Debug, Clone, PartialEq, Default)]
/// A diagram as plain data, before it is written as DOT: `focus` can cut it down first.
pub struct Figure {
    /// The graph's label.
    pub title: String,
    /// Attributes of the graph itself.
    pub graph_attrs: Vec<(&'static str, Value)>,
    /// Cluster id → title, in output order.
    pub clusters: BTreeMap<String, String>,
    /// Every node.
    pub nodes: Vec<Node>,
    /// Every edge.
    pub edges: Vec<Edge>,
    /// The legend, an HTML-like table built by the view.
    pub legend: Option<String>,
}

impl Figure {
    /// Keeps only the nodes within `depth` hops (edges taken both ways) of `focus`, and the
    /// edges between them. Returns `None` when no node has that id.
    pub fn focus(mut self, focus: &str, depth: usize) -> Option<Figure> {
        if !self.nodes.iter().any(|n| &*n.id == focus) {
            return None;
        }
        let mut adjacent: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in &self.edges {
            adjacent.entry(&*e.from).or_default().push(&*e.to);
            adjacent.entry(&*e.to).or_default().push(&*e.from);
        }
        let mut keep: BTreeSet<String> = BTreeSet::new();
        let mut queue = VecDeque::from([(focus.to_string(), 0usize)]);
        keep.insert(focus.to_string());
        while let Some((n, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            for &m in adjacent.get(n.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                if keep.insert(m.to_string()) {
                    queue.push_back((m.to_string(), d + 1));
                }
            }
        }
        self.nodes.retain(|n| keep.contains(&*n.id));
        self.edges
            .retain(|e| keep.contains(&*e.from) && keep.contains(&*e.to));
        let used: BTreeSet<&str> = self
            .nodes
            .iter()
            .filter_map(|n| n.cluster.as_deref())
            .collect();
        self.clusters.retain(|c, _| used.contains(c.as_str()));
        Some(self)
    }
}
