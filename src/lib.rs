//! attrib reasons about who is behind a cyberattack.
//!
//! Analysts keep an evidence case — actors, groups, incidents, sources and the claims those
//! sources made — in a RON or JSON file. attrib validates it ([`load`]), propagates confidence
//! through it ([`reason`]), judges each hypothesis ([`assess`]) and renders reports
//! ([`report`]) and diagrams ([`export`]).
//!
//! The data flow is `load -> validate -> reason -> assess -> render`, each stage a plain
//! function over plain data; only the [`cli`] module touches files, the terminal or processes.
//!
//! ```
//! let text = include_str!("../graphs/albania-2022.ron");
//! let loaded = attrib::load::load(text, attrib::format::Syntax::Ron).unwrap();
//! let assessment = attrib::assess::assess(&loaded.case, Default::default());
//! let albania = &assessment.incidents[0];
//! let top = &albania.hypotheses[0];
//! assert_eq!(loaded.case.entity(top.actor).id, "iran");
//! ```

pub mod assess;
pub mod cli;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod escape;
pub mod export;
pub mod format;
pub mod generate;
pub mod load;
pub mod locate;
pub mod model;
pub mod opinion;
pub mod reason;
pub mod report;
pub mod stix;
pub mod terms;
pub mod validate;
