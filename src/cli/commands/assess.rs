//! `attrib assess`.

use crate::cli::args::{AssessArgs, Format};
use crate::cli::input::{LARGE_INPUT, Progress, load_input, note_bundled, read_input};
use crate::cli::output::write_output;
use crate::cli::{Failure, colour, resolve};
use attrib::assess::{Assessment, assess_all, assess_incident};
use attrib::escape;
use attrib::reason::Engine;
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
    let engine = Engine::new(case, scenario);
    let assessment = match only {
        Some(i) => Assessment {
            incidents: vec![assess_incident(&engine, i, &[])],
        },
        None => assess_all(&engine),
    };
    let text = match args.format {
        Format::Table => report::table::render(
            case,
            &engine.scenario,
            &assessment,
            args.output.is_none() && colour::stdout(),
        ),
        Format::Markdown => report::markdown::render(&engine, &assessment),
        Format::Json => report::json::render(&engine, &assessment, !args.no_sensitivity),
    };
    progress.finish();
    write_output(
        args.output.as_deref(),
        input.path.as_deref(),
        text.as_bytes(),
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

