//! One module per command: each turns its parsed arguments into a loaded case, calls the
//! library's stages and writes the result.

pub mod aliases;
pub mod assess;
pub mod check;
pub mod convert;
pub mod diff;
pub mod docs;
pub mod dot;
pub mod explain;
pub mod generate;
pub mod report;
pub mod stix;
pub mod taxii;
