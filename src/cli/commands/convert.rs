//! `attrib convert`.

use crate::cli::Failure;
use crate::cli::args::{ConvertArgs, SyntaxArg};
use crate::cli::input::{load_input, read_input};
use crate::cli::output::{Written, refuse_misnamed, refuse_unwritable, write_with};
use attrib::format::Syntax;
use attrib::load::Loaded;
use std::process::ExitCode;

/// `attrib convert`: the same case in the other syntax, normalised.
pub fn run(args: ConvertArgs, colour: bool) -> Result<ExitCode, Failure> {
    let written = match args.to {
        SyntaxArg::Json => Written::Json,
        SyntaxArg::Ron => Written::Ron,
    };
    refuse_misnamed(
        args.output.as_deref(),
        written,
        &[(Written::Json, "--to json"), (Written::Ron, "--to ron")],
    )?;
    let mut input = read_input(Some(&args.file))?;
    refuse_unwritable(args.output.as_deref(), &input.paths())?;
    let loaded = load_input(&mut input, colour, &args.lint)?;
    // Only the parsed file is written: the bytes and the resolved case go.
    input.bytes = Vec::new();
    let Loaded { mut file, .. } = loaded;
    file.normalise();
    let syntax = match args.to {
        SyntaxArg::Json => Syntax::Json,
        SyntaxArg::Ron => Syntax::Ron,
    };
    write_with(args.output.as_deref(), &input.paths(), |w| {
        file.write_syntax(syntax, w)
    })
}
