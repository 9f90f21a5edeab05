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
    write_output(None, &[], &buf)
}

/// `attrib man [COMMAND…]`: attrib's page, or a command's, which the main page lists as
/// `attrib-assess(1)` and so on.
pub fn man(command: &[String], output: Option<&Path>) -> Result<ExitCode, Failure> {
    refuse_misnamed(output, Written::Man, &[])?;
    crate::cli::output::refuse_unwritable(output, &[])?;
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
    let buf = man_page(page.version(env!("CARGO_PKG_VERSION")))
        .map_err(|e| Failure::usage(format!("cannot render the man page: {e}")))?;
    write_output(output, &[], &buf)
}

/// The man page of `page`: clap_mangen's sections, with the text after the options (the
/// help's examples, exit codes, environment and notes) as sections of their own, the
/// examples kept line for line rather than filled and hyphenated as prose. Every page names
/// attrib and its version in its footer.
fn man_page(page: clap::Command) -> std::io::Result<Vec<u8>> {
    let after = (page.get_after_long_help())
        .or(page.get_after_help())
        .map(ToString::to_string);
    let arguments = page.get_arguments().any(|a| !a.is_hide_set());
    let commands = page.get_subcommands().any(|c| !c.is_hide_set());
    let usage = page.clone().render_usage().to_string();
    let man = clap_mangen::Man::new(page)
        .source(format!("attrib {}", env!("CARGO_PKG_VERSION")))
        .manual("attrib manual");
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    // Ids, options and URLs are not words to hyphenate.
    roff::Roff::new().control("nh", []).to_writer(&mut buf)?;
    man.render_name_section(&mut buf)?;
    synopsis(&usage).to_writer(&mut buf)?;
    man.render_description_section(&mut buf)?;
    if arguments {
        man.render_options_section(&mut buf)?;
    }
    if commands {
        man.render_subcommands_section(&mut buf)?;
    }
    if let Some(after) = after {
        after_help_sections(&after).to_writer(&mut buf)?;
    }
    man.render_version_section(&mut buf)?;
    Ok(attrib::escape::roff::ascii(&String::from_utf8_lossy(&buf)).into_bytes())
}

/// The SYNOPSIS of a page: the usage lines `--help` prints (`attrib check [OPTIONS] [FILE]...`),
/// the command in bold. clap_mangen's own lists each option without its value and a list of
/// files as one (`[--allow] [FILE]`), which reads as if `check` took one file and `--allow`
/// nothing.
fn synopsis(usage: &str) -> roff::Roff {
    let mut r = roff::Roff::new();
    r.control("SH", ["SYNOPSIS"]);
    let lines = (usage.lines())
        .map(|l| l.trim_start_matches("Usage:").trim())
        .filter(|l| !l.is_empty());
    for (i, line) in lines.enumerate() {
        if i > 0 {
            r.control("br", []);
        }
        // The command is the words before the first option, argument or subcommand.
        let split = [line.find(" ["), line.find(" <")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(line.len());
        let (command, rest) = line.split_at(split);
        r.text([roff::bold(command), roff::roman(rest)]);
    }
    r
}

/// The help's closing paragraphs as man(7) sections: "Examples:" as EXAMPLES, unfilled;
/// "Exit codes:" as EXIT STATUS; "Environment:" as ENVIRONMENT; any other as NOTES.
fn after_help_sections(after: &str) -> roff::Roff {
    let mut r = roff::Roff::new();
    for paragraph in after.split("\n\n") {
        let heading = |prefix: &str| paragraph.strip_prefix(prefix).map(str::trim);
        if let Some(lines) = heading("Examples:").or_else(|| heading("Example:")) {
            r.control("SH", ["EXAMPLES"]).control("nf", []);
            for line in lines.lines() {
                r.text([roff::roman(line.trim())]);
            }
            r.control("fi", []);
        } else if let Some(text) = heading("Exit codes:") {
            r.control("SH", ["EXIT STATUS"]).text([roff::roman(text)]);
        } else if let Some(text) = heading("Environment:") {
            r.control("SH", ["ENVIRONMENT"]).text([roff::roman(text)]);
        } else {
            r.control("SH", ["NOTES"])
                .text([roff::roman(paragraph.trim())]);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::synopsis;

    /// Each usage line is a line of the synopsis, the command bold and the rest roman, the
    /// "Usage:" heading and the indentation of later lines left out.
    #[test]
    fn a_synopsis_of_several_usage_lines() {
        let mut page = Vec::new();
        let usage = "Usage: attrib taxii [OPTIONS] <URL>\n       attrib taxii <COMMAND>\n";
        synopsis(usage).to_writer(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.ends_with(
                ".SH SYNOPSIS\n\\fBattrib taxii\\fR [OPTIONS] <URL>\n.br\n\\fBattrib taxii\\fR \
                 <COMMAND>\n"
            ),
            "{page}"
        );
    }
}
