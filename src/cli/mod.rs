//! The command line: arguments, files, terminal and exit codes.
//!
//! This is the only code that does I/O. Each command reads its input, calls the library's pure
//! stages and writes the result; errors are rendered once and returned as a [`Failure`] that
//! [`main`] prints to stderr.
//!
//! - [`args`]: the grammar (clap definitions, typed value parsers);
//! - [`input`]: reading a case (file, stdin, the bundled case) and loading it, with progress;
//! - [`output`]: standard output and atomic file writing, interrupt clean-up;
//! - [`screen`]: whether to colour (`--color` and the environment, read by `anstream`) and how
//!   wide the terminal is;
//! - [`resolve`]: names on the command line (ids, names, aliases) to the case's ids;
//! - [`files`]: `check` and `assess` over several files and directories;
//! - [`commands`]: one module per command.
//!
//! Exit codes: 0 success, 1 a `--fail-below` threshold was not met (or `diff
//! --fail-on-change` found a judgement that moved), 2 invalid input or usage, or something
//! attrib needed failed (a file, Graphviz, a TAXII server).

mod args;
mod commands;
mod files;
mod graphviz;
mod input;
mod output;
mod resolve;
mod screen;

use args::{Cli, Command, ExportCommand, ImportCommand};
use attrib::escape;
use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

/// A command that did not succeed: what to print on stderr and the exit code.
#[derive(Debug, Clone)]
pub struct Failure {
    pub exit: u8,
    pub message: String,
}

impl Failure {
    /// A usage error. The message may quote the case or the command line, so it is made safe
    /// for the terminal here.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            exit: 2,
            message: format!("error: {}", escape::terminal::block(&message.into())),
        }
    }

    /// A file that cannot be read (E001), written as the diagnostics of a file that can be
    /// read are (`error[E001]: …`); a usage error's exit code.
    pub fn unreadable(message: impl Into<String>) -> Failure {
        Failure {
            exit: 2,
            message: format!("error[E001]: {}", escape::terminal::block(&message.into())),
        }
    }

    /// The message without its heading (`error[E001]: `, `error: `), for a report that gives
    /// the severity and the code in fields of their own.
    pub fn reason(&self) -> &str {
        let heading = ["error[E001]: ", "error: "];
        (heading.iter())
            .find_map(|h| self.message.strip_prefix(h))
            .unwrap_or(&self.message)
            .trim_end()
    }

    /// Prints the message on stderr, ending in a line break. `main` does this for the run; a
    /// command over several files does it for each file that fails, and goes on.
    pub fn print(&self) {
        let mut err = io::stderr().lock();
        let _ = err.write_all(self.message.as_bytes());
        if !self.message.ends_with('\n') {
            let _ = err.write_all(b"\n");
        }
    }
}

/// Entry point for the binary.
pub fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = Cli::try_parse_from(&argv)
        .unwrap_or_else(|error| exit_shown(args::with_sibling_tip(error, &argv), &argv));
    match run(cli) {
        Ok(code) => code,
        Err(f) => {
            f.print();
            ExitCode::from(f.exit)
        }
    }
}

/// Prints clap's message and exits, as `clap::Error::exit` does, but with every invisible
/// character of the arguments shown by its stand-in: clap quotes an option's value or an
/// unknown word as given, and one with an escape sequence in it (`--as-of $'\e]52;…'`) would
/// reach the terminal and be obeyed. The arguments are parsed again with their stand-ins (and
/// U+FFFD for bytes that are no UTF-8), and that message is shown when it is about the same
/// argument (a stand-in is no more valid than what it stands for); else clap's message without
/// colour, which drops escape sequences, with stand-ins for what is left.
fn exit_shown(error: clap::Error, argv: &[std::ffi::OsString]) -> ! {
    use clap::error::ContextKind;
    let shown: Vec<std::ffi::OsString> = (argv.iter())
        .map(|a| {
            escape::terminal::text(&a.to_string_lossy())
                .into_owned()
                .into()
        })
        .collect();
    if !error.use_stderr() || shown == argv {
        error.exit()
    }
    // The kind of error and the argument it is about (an unknown one is quoted as given).
    let about = |e: &clap::Error| {
        let arg = (e.get(ContextKind::InvalidArg))
            .map(|a| escape::terminal::text(&a.to_string()).into_owned());
        (e.kind(), arg)
    };
    if let Err(again) = Cli::try_parse_from(&shown)
        && about(&again) == about(&error)
    {
        args::with_sibling_tip(again, &shown).exit()
    }
    let plain = error.render().to_string();
    let _ = io::stderr().write_all(escape::terminal::block(&plain).as_bytes());
    std::process::exit(error.exit_code())
}

/// Runs a parsed command line.
fn run(cli: Cli) -> Result<ExitCode, Failure> {
    screen::choose(cli.color);
    let colour = screen::stderr();
    match cli.command {
        Command::Check(args) => commands::check::run(args, colour),
        Command::Convert(args) => commands::convert::run(args, colour),
        Command::Assess(args) => commands::assess::run(args, colour),
        Command::Explain(args) => commands::explain::run(args, colour),
        Command::Diff(args) => commands::diff::run(args, colour),
        Command::Dot(args) => commands::dot::run(args, colour),
        Command::Report(args) => commands::report::run(args, colour),
        Command::Generate(args) => commands::generate::run(args),
        Command::Import(ImportCommand::Stix(args)) => commands::stix::import(args, colour),
        Command::Import(ImportCommand::Aliases(args)) => commands::aliases::run(args, colour),
        Command::Export(ExportCommand::Stix(args)) => commands::stix::export(args, colour),
        Command::Import(ImportCommand::Taxii(args)) => commands::taxii::import(args, colour),
        Command::Export(ExportCommand::Taxii(args)) => commands::taxii::export(args, colour),
        Command::Completions { shell } => commands::docs::completions(shell),
        Command::Man { command, output } => commands::docs::man(&command, output.as_deref()),
    }
}
