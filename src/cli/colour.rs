//! Whether to colour: `--color` and the environment, decided by `anstream` as clap does.
//!
//! `auto` colours a stream only when it is a terminal, and follows the conventions
//! (`NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `TERM=dumb`) exactly as `anstream` reads them;
//! `always` and `never` override them. The library's renderers take the answer as a `bool`, so
//! they stay free of terminals and environment variables.

use super::args::ColourWhen;
use anstream::{AutoStream, ColorChoice};
use std::io;

/// Sets the process-wide choice from `--color`; called once, before anything is written.
pub fn choose(when: ColourWhen) {
    match when {
        ColourWhen::Auto => ColorChoice::Auto,
        ColourWhen::Always => ColorChoice::Always,
        ColourWhen::Never => ColorChoice::Never,
    }
    .write_global();
}

/// Whether standard error is coloured (diagnostics, messages).
pub fn stderr() -> bool {
    AutoStream::choice(&io::stderr()) != ColorChoice::Never
}

/// Whether standard output is coloured (the assessment table).
pub fn stdout() -> bool {
    AutoStream::choice(&io::stdout()) != ColorChoice::Never
}
