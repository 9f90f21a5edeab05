//! `attrib report`: the report to ship, as one self-contained HTML file (diagrams drawn by
//! Graphviz and embedded) or as Markdown.

use crate::cli::args::{ReportArgs, ReportFormat};
use crate::cli::commands::dot::{NAME_WIDTH, paper};
use crate::cli::graphviz;
use crate::cli::input::{LARGE_INPUT, Progress, load_case, note_bundled, read_input};
use crate::cli::output::{Written, refuse_unwritable, write_with};
use crate::cli::{Failure, resolve};
use attrib::assess::{Assessment, Request, SensitivityFor, assess_with};
use attrib::escape;
use attrib::export::dot::{Legend, MIN_PRINTED_POINTS, Options, Paper, View, figure_with};
use attrib::export::figure::{Figure, Shown};
use attrib::model::{Case, IncidentId};
use attrib::report::html::{DRAWN_HYPOTHESES, Drawing, Extras};
use attrib::report::{self, plural, timeline};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

/// `attrib report`: judgements, citations, diagram, ACH matrix and timeline.
pub fn run(args: ReportArgs, stderr_colour: bool) -> Result<ExitCode, Failure> {
    let format = format(&args)?;
    // Checked before the work, as the output is: a limit mistyped would otherwise be found
    // only once every incident is assessed.
    let limit = match format {
        ReportFormat::Html => graphviz::figure_limit()?,
        ReportFormat::Markdown => Duration::MAX, // draws nothing
    };
    let mut input = read_input(args.file.as_deref())?;
    refuse_unwritable(args.output.as_deref(), &input.paths())?;
    let loaded = load_case(&mut input, stderr_colour, &args.lint)?;
    note_bundled(args.file.as_deref());
    let case = &loaded.case;
    let scenario = resolve::scenario(case, &args.what_if)?;
    let only = resolve::incident(case, args.incident.as_deref())?;
    let progress = Progress::start(input.size >= LARGE_INPUT, "assessing");
    // The pivotal claims and the ACH matrix read the sensitivity tables.
    let assessment = assess_with(
        case,
        Request {
            scenario: scenario.clone(),
            incident: only,
            actor: None,
            sensitivity: SensitivityFor::All,
        },
    );
    let extras = match format {
        ReportFormat::Markdown => Extras::default(),
        ReportFormat::Html => {
            // Each point of a timeline is an assessment of the whole case on that date.
            progress.stage("following the judgements over time");
            let timelines = timeline::timelines(case, &scenario, &assessment)
                .into_iter()
                .map(|t| (t.incident, t))
                .collect();
            let drawings = drawings(case, &assessment, paper(args.page), limit, &progress);
            Extras {
                timelines,
                drawings,
            }
        }
    };
    // The spinner stays while a file is written, not over a report written to the terminal.
    if args
        .output
        .as_deref()
        .is_some_and(|p| !crate::cli::output::is_stdout(p))
    {
        progress.stage("writing the report");
    } else {
        progress.finish();
    }
    write_with(args.output.as_deref(), &input.paths(), |w| match format {
        ReportFormat::Html => report::html::render(case, &assessment, &extras, w),
        ReportFormat::Markdown => report::markdown::render(case, &assessment, w),
    })?;
    progress.finish();
    Ok(ExitCode::SUCCESS)
}

/// The format asked for, else the one `-o`'s extension names (Markdown for `.md`, else HTML);
/// an extension that names the other format is refused.
fn format(args: &ReportArgs) -> Result<ReportFormat, Failure> {
    let format = args.format.unwrap_or_else(|| {
        let markdown = args.output.as_deref().is_some_and(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        });
        if markdown {
            ReportFormat::Markdown
        } else {
            ReportFormat::Html
        }
    });
    crate::cli::output::refuse_misnamed(
        args.output.as_deref(),
        match format {
            ReportFormat::Html => Written::Html,
            ReportFormat::Markdown => Written::Markdown,
        },
        &[
            (Written::Html, "--format html"),
            (Written::Markdown, "--format markdown"),
        ],
    )?;
    Ok(format)
}

/// Each incident's assessment diagram, laid out for the page; a note in place of each when
/// Graphviz is missing or fails (the report is still written, with a warning).
fn drawings(
    case: &Case,
    assessment: &Assessment,
    paper: Paper,
    limit: Duration,
    progress: &Progress,
) -> BTreeMap<attrib::model::IncidentId, Drawing> {
    let mut out = BTreeMap::new();
    if !graphviz::available() {
        progress.say(&format!(
            "warning: {} The report is written without its diagrams.",
            graphviz::missing_message()
        ));
        for ia in &assessment.incidents {
            out.insert(
                ia.incident,
                Drawing::Missing(
                    "The diagram is missing: Graphviz was not found when this report was made. \
                     Install Graphviz and run attrib report again to include it."
                        .to_string(),
                ),
            );
        }
        return out;
    }
    let options = Options {
        min: None,
        legend: Legend::Compact,
        wrap: Some(NAME_WIDTH),
    };
    let whole = figure_with(case, assessment, View::Assessment, &options);
    let incidents = &assessment.incidents;
    // Each incident's strongest hypotheses: the text judges them all.
    let each: BTreeMap<IncidentId, (Figure<'_>, Shown)> = whole
        .per_incident()
        .expect("the whole assessment view")
        .into_iter()
        .map(|(i, figure)| (i, figure.most_probable(DRAWN_HYPOTHESES)))
        .collect();
    let figure = |i: usize| {
        let mut figure = each.get(&incidents[i].incident)?.0.clone();
        figure.title = String::new();
        Some(figure)
    };
    let mut small = Vec::new();
    progress.stage(&format!(
        "laying out and drawing {} with Graphviz",
        plural(incidents.len(), "diagram")
    ));
    let drawn = graphviz::draw_each(incidents.len(), figure, paper, limit);
    for (ia, drawn) in incidents.iter().zip(drawn) {
        let drawing = match drawn {
            None => continue,
            Some(Ok((fit, svg))) => {
                if fit.too_small() {
                    small.push((ia.incident, fit.smallest_text_shown()));
                }
                Drawing::Svg {
                    svg: String::from_utf8_lossy(&svg).into_owned(),
                    shown: each.get(&ia.incident).map(|e| e.1).unwrap_or_default(),
                }
            }
            Some(Err(f)) => {
                progress.say(&format!(
                    "warning: the diagram of {} could not be drawn: {}",
                    escape::terminal::text(&case.incident(ia.incident).id),
                    f.message
                ));
                Drawing::Missing("Graphviz could not draw this diagram.".to_string())
            }
        };
        out.insert(ia.incident, drawing);
    }
    warn_small_text(case, &small, paper, progress);
    out
}

/// One warning for the diagrams whose smallest text prints under [`MIN_PRINTED_POINTS`] on
/// the report's paper: which they are, and what gives them room.
fn warn_small_text(case: &Case, small: &[(IncidentId, String)], paper: Paper, progress: &Progress) {
    const NAMED: usize = 5;
    let Some((first, points)) = small.first() else {
        return;
    };
    let name = |i: IncidentId| escape::terminal::text(&case.incident(i).id).into_owned();
    let on = match paper {
        Paper::A4 => "A4",
        Paper::Letter => "US Letter",
        Paper::A3 => "A3",
    };
    let which = if small.len() == 1 {
        format!(
            "the diagram of {} prints its smallest text at {points} pt on {on}, under \
             {MIN_PRINTED_POINTS:.0} pt",
            name(*first)
        )
    } else {
        let mut named: Vec<String> = small
            .iter()
            .take(NAMED)
            .map(|(i, pt)| format!("{} ({pt} pt)", name(*i)))
            .collect();
        if small.len() > NAMED {
            named.push(format!("{} more", small.len() - NAMED));
        }
        format!(
            "{} diagrams print their smallest text under {MIN_PRINTED_POINTS:.0} pt on {on}: {}",
            small.len(),
            named.join(", ")
        )
    };
    let room = if paper == Paper::A3 {
        "`attrib dot --focus <incident> --page a3 --landscape` draws one on a page of its own"
    } else {
        "`--page a3` gives them more room, and `attrib dot --focus <incident> --page a3 \
         --landscape` draws one on a page of its own"
    };
    progress.say(&format!("warning: {which}; {room}"));
}
