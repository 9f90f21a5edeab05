//! `attrib generate`.

use crate::cli::Failure;
use crate::cli::args::GenerateArgs;
use crate::cli::input::{LARGE_CLAIMS, Progress};
use crate::cli::output::{output_syntax, refuse_misnamed_case, write_output};
use attrib::format::Syntax;
use std::process::ExitCode;

/// `attrib generate`: a seeded synthetic case.
pub fn run(args: GenerateArgs) -> Result<ExitCode, Failure> {
    refuse_misnamed_case(args.output.as_deref())?;
    crate::cli::output::refuse_unwritable(args.output.as_deref(), &[])?;
    let progress = Progress::start(args.claims >= LARGE_CLAIMS, "generating");
    let file = attrib::generate::generate(args.claims, args.seed);
    progress.stage("writing");
    let syntax = output_syntax(args.output.as_deref(), Syntax::Ron);
    let text = file.to_syntax(syntax);
    progress.finish();
    write_output(args.output.as_deref(), &[], text.as_bytes())
}
