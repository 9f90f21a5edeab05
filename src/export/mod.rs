//! Exports to other tools: Graphviz DOT diagrams ([`dot`]), written through one quoting module
//! ([`crate::escape::dot`]) because no string from an evidence file may become DOT syntax.

pub mod dot;
pub mod figure;
