//! attrib reasons about who is behind a cyberattack.
//!
//! Analysts keep an evidence case — actors, groups, incidents, sources and the claims those
//! sources made — in a RON or JSON file. attrib loads and validates it ([`mod@load`]), propagates
//! confidence through it and judges each hypothesis ([`mod@assess`]), and renders the judgements as
//! reports ([`report`]), diagrams ([`export`]) and STIX 2.1 ([`stix`]).
//!
//! Data flows one way, each stage a plain function over the previous stage's plain data:
//!
//! ```text
//! text ─ load::load (or bytes ─ load::load_bytes) ─► Loaded { file: CaseFile, case: Case }
//!      ─ assess::assess_with ─► Assessment
//!      ─ report::* / export::dot / stix::export (case, assessment, writer) ─► bytes
//! ```
//!
//! A case that does not load gives its [`diagnostic::Diagnostic`]s (each an `Error` whose
//! `Display` is one line, `error[E021]: …`; [`diagnostic::render`] draws them with line,
//! column and source as the command line does). A what-if ([`assess::Request`]) built from a
//! user's input is checked with [`assess::Request::check`] before it is assessed.
//!
//! Renderers read a [`model::Case`] and an [`assess::Assessment`] and nothing else; the
//! propagation engine is private. The library touches no file, terminal or process: the
//! `attrib` binary does, and its dependencies (clap, the progress spinner, the allocator) are
//! behind the default `cli` feature. A program using attrib as a library depends on it with
//! `default-features = false`, adding `generate` (synthetic cases) or `taxii` (the TAXII 2.1
//! client) when it wants them.
//!
//! ```
//! let text = include_str!("../graphs/albania-2022.ron");
//! let loaded = attrib::load(text, attrib::format::Syntax::Ron).unwrap();
//! let assessment = attrib::assess(&loaded.case, Default::default());
//! let albania = &assessment.incidents[0];
//! let top = &albania.hypotheses[0];
//! assert_eq!(loaded.case.entity(top.actor).id, "iran");
//!
//! let mut markdown = Vec::new();
//! attrib::report::markdown::render(&loaded.case, &assessment, &mut markdown).unwrap();
//! assert!(String::from_utf8(markdown).unwrap().starts_with("# Assessment:"));
//! ```
//!
//! # Stability
//!
//! attrib is at 0.x: the library API may change in any minor release, and the changes are
//! listed in the commit history. What is stable is what the binary promises its users: the
//! file format (`docs/format.md`), the diagnostic codes (`docs/format.md`), the JSON
//! report's schema (`docs/json.md`, versioned by [`report::json::SCHEMA`]) and the exit codes.
//! The items re-exported at the crate root are the entry points meant to stay put longest.

#![deny(missing_docs)]
#![deny(unreachable_pub)]

pub mod assess;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod escape;
pub mod export;
pub mod format;
#[cfg(feature = "generate")]
pub mod generate;
pub mod ids;
pub mod load;
mod locate;
pub mod model;
pub mod opinion;
mod reason;
pub mod report;
pub mod stix;
pub mod terms;
mod validate;

pub use assess::{Assessment, Request, assess, assess_with};
pub use load::{Loaded, load};
pub use model::Case;
pub use validate::{likelihood_probability, read_likelihood};

// Property tests of the algebra and the engine; inside the crate because they check the
// engine's private invariants (restricted recomputation, monotonicity exemptions).
#[cfg(test)]
mod properties;
