//! `attrib assess`.

use crate::cli::args::{AssessArgs, Format};
use crate::cli::input::{LARGE_INPUT, Progress, load_input, note_bundled, read_input};
use crate::cli::output::write_with;
use crate::cli::{Failure, colour, resolve};
use attrib::assess::{Request, SensitivityFor, assess_with};
use attrib::escape;
use attrib::report;
use std::process::ExitCode;

/// `attrib assess`: every judgement, in the chosen format; exit 1 below `--fail-below`.
pub fn run(args: AssessArgs, stderr_colour: bool) -> Result<ExitCode, Failure> {
    let input = read_input(args.file.as_deref())?;
    let loaded = load_input(&input, stderr_colour)?;
    note_bundled(args.file.as_deref());
    let case = &loaded.case;
    let scenario = resolve::scenario(case, &args.what_if)?;
    let only = resolve::incident(case, args.incident.as_deref())?;
    let threshold = args.fail_below;
    let target = args
        .actor
        .as_deref()
        .map(|a| resolve::actor(case, a))
        .transpose()?;
    let progress = Progress::start(input.bytes.len() >= LARGE_INPUT, "assessing");
    // Sensitivity tables appear in the JSON report, and the Markdown report's ACH matrix is
    // read from them.
    let sensitivity = match args.format {
        Format::Json | Format::Markdown if !args.no_sensitivity => SensitivityFor::All,
        _ => SensitivityFor::None,
    };
    let assessment = assess_with(
        case,
        Request {
            scenario,
            incident: only,
            actor: None,
            sensitivity,
        },
    );
    progress.finish();
    let colour = args.output.is_none() && colour::stdout();
    write_with(
        args.output.as_deref(),
        input.path.as_deref(),
        |w| match args.format {
            Format::Table => report::table::render(case, &assessment, colour, w),
            Format::Markdown => report::markdown::render(case, &assessment, w),
            Format::Json => report::json::render(case, &assessment, w),
        },
    )?;
    if let (Some(term), Some(actor)) = (threshold, target) {
        let mut below = Vec::new();
        let mut found = false;
        for ia in &assessment.incidents {
            if let Some(j) = ia.judgement(actor) {
                found = true;
                if j.term.is_none_or(|t| t < term) {
                    below.push(format!(
                        "{} is {} for {}, below {}",
                        report::entity_label(case, actor),
                        j.term_word(),
                        case.incident(ia.incident).id,
                        term.word()
                    ));
                }
            }
        }
        if !found {
            below.push(format!(
                "{} is no hypothesis of the assessed incidents (insufficient evidence), below {}",
                report::entity_label(case, actor),
                term.word()
            ));
        }
        if !below.is_empty() {
            return Err(Failure {
                exit: 1,
                message: escape::terminal::block(&format!("attrib: {}", below.join("\nattrib: ")))
                    .into_owned(),
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
