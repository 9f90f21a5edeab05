//! The terminal a report is written to: whether to colour, and how wide it is.
//!
//! Colour follows `--color` and the environment, decided by `anstream` as clap does.
//! `auto` colours a stream only when it is a terminal, and follows the conventions
//! (`NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `TERM=dumb`) exactly as `anstream` reads them;
//! `always` and `never` override them. The library's renderers take the answer as a `bool`, so
//! they stay free of terminals and environment variables.
//!
//! Width: `--width` when given (0: no limit), else the terminal's when standard output is one
//! and the report goes there; a file or a pipe gets the report as wide as its content, so that
//! what is saved does not depend on the window it was made in.

use super::args::ColourWhen;
use anstream::{AutoStream, ColorChoice};
use attrib::report::table::Screen;
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

/// The width to fit a terminal report to: `explicit` (`--width`; 0 for none), else the
/// terminal's when the report goes to standard output (`to_stdout`) and that is a terminal.
pub fn width(explicit: Option<usize>, to_stdout: bool) -> Option<usize> {
    match explicit {
        Some(0) => None,
        Some(w) => Some(w),
        None if to_stdout => {
            terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0))
        }
        None => None,
    }
}

/// Colour and width for a report written to standard output (`to_stdout`) or a file.
pub fn for_report(explicit_width: Option<usize>, to_stdout: bool) -> Screen {
    Screen {
        colour: to_stdout && stdout(),
        width: width(explicit_width, to_stdout),
    }
}
