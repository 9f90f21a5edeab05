//! `attrib convert`.

use crate::cli::Failure;
use crate::cli::args::{ConvertArgs, SyntaxArg};
use crate::cli::input::{load_input, read_input};
use crate::cli::output::write_output;
use attrib::format::Syntax;
use std::process::ExitCode;

/// `attrib convert`: the same case in the other syntax, normalised.
pub fn run(args: ConvertArgs, colour: bool) -> Result<ExitCode, Failure> {
    let input = read_input(Some(&args.file))?;
    let loaded = load_input(&input, colour)?;
    let mut file = loaded.file;
    file.normalise();
    let syntax = match args.to {
        SyntaxArg::Json => Syntax::Json,
        SyntaxArg::Ron => Syntax::Ron,
    };
    let text = file.to_syntax(syntax);
    write_output(
        args.output.as_deref(),
        input.path.as_deref(),
        text.as_bytes(),
    )
}
