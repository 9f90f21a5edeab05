//! attrib reasons about who is behind a cyberattack.
//!
//! Analysts keep an evidence case — actors, groups, incidents, sources and the claims those
//! sources made — in a RON or JSON file. attrib validates it ([`load`]), propagates confidence
//! through it and judges each hypothesis ([`assess`]) and renders reports
//! ([`report`]) and diagrams ([`export`]).
//!
//! The data flow is `load -> validate -> reason -> assess -> render`, each stage a plain
//! function over plain data. The library touches no file, terminal or process: the `attrib`
//! binary (`src/main.rs` and its `cli` module) does, and its dependencies (clap, the progress
//! spinner, the allocator) are behind the default `cli` feature. A program using attrib as a
//! library depends on it with `default-features = false`, adding `generate` (synthetic cases)
//! or `taxii` (the TAXII 2.1 client) when it wants them.
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
pub mod date;
pub mod diagnostic;
pub mod escape;
pub mod export;
pub mod format;
#[cfg(feature = "generate")]
pub mod generate;
pub mod load;
pub mod locate;
pub mod model;
pub mod opinion;
mod reason;
pub mod report;
pub mod stix;
pub mod terms;
pub mod validate;

// Property tests of the algebra and the engine; inside the crate because they check the
// engine's private invariants (restricted recomputation, monotonicity exemptions).
#[cfg(test)]
mod properties;
