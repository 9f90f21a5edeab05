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

/// `attrib man [COMMAND…]`: attrib's page, or a command's, which the main page lists as
/// `attrib-assess(1)` and so on.
pub fn man(command: &[String], output: Option<&Path>) -> Result<ExitCode, Failure> {
    refuse_misnamed(output, Written::Man, &[])?;
    // Built, so that each command carries its page's name (`attrib-import-stix`).
    let mut page = Cli::command().disable_help_subcommand(true);
    page.build();
    for (depth, name) in command.iter().enumerate() {
        let Some(sub) = page.find_subcommand(name).cloned() else {
            let names: Vec<&str> = page.get_subcommands().map(|c| c.get_name()).collect();
            let within = ["attrib".to_string()]
                .into_iter()
                .chain(command[..depth].iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            let within = attrib::escape::terminal::text(&within);
            return Err(Failure::usage(if names.is_empty() {
                format!(
                    "`{within}` has no commands; `attrib man {}` prints its page",
                    &within[7..]
                )
            } else {
                format!(
                    "`{}` is not a command of `{within}`; its commands: {}{}",
                    attrib::escape::terminal::text(name),
                    names.join(", "),
                    attrib::diagnostic::did_you_mean(name, names.iter().copied()),
                )
            }));
        };
        page = sub;
    }
    let mut buf = Vec::new();
    // A command's page gives attrib's version, as the main page does ("stix 0.1.0").
    clap_mangen::Man::new(page.version(env!("CARGO_PKG_VERSION")))
        .render(&mut buf)
        .map_err(|e| Failure::usage(format!("cannot render the man page: {e}")))?;
    write_output(output, None, &buf)
}
