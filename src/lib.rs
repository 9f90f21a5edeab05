//! attrib reasons about who is behind a cyberattack.
//!
//! Analysts keep an evidence case — actors, groups, incidents, sources and the claims those
//! sources made — in a RON or JSON file. attrib validates it ([`load`]), propagates confidence
//! through it and words each attribution hypothesis the way ICD 203 asks.
//!
//! The data flow is `load -> validate -> reason -> render`, each stage a plain function over
//! plain data; only the [`cli`] module touches files, the terminal or processes.

pub mod cli;
pub mod date;
pub mod diagnostic;
pub mod format;
pub mod load;
pub mod locate;
pub mod model;
pub mod terms;
pub mod validate;
