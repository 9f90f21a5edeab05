//! `attrib completions` and `attrib man`: documents generated from the clap definitions.

use crate::cli::Failure;
use crate::cli::args::Cli;
use crate::cli::output::{Written, refuse_misnamed, write_output};
use clap::CommandFactory;
use std::path::Path;
use std::process::ExitCode;

/// `attrib completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode, Failure> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "attrib", &mut buf);
    write_output(None, None, &buf)
}

/// `attrib man`.
pub fn man(output: Option<&Path>) -> Result<ExitCode, Failure> {
    refuse_misnamed(output, Written::Man, &[])?;
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| Failure::usage(format!("cannot render the man page: {e}")))?;
    write_output(output, None, &buf)
}
