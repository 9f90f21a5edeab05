//! `attrib assess`, over one file or several.

use crate::cli::args::{AssessArgs, Format};
use crate::cli::files;
use crate::cli::input::{Input, LARGE_INPUT, Progress, load_case, note_bundled, read_input};
use crate::cli::output::{refuse_misnamed_report, refuse_unwritable, write_output, write_with};
use crate::cli::{Failure, resolve, screen};
use attrib::assess::{Assessment, Request, SensitivityFor, stream};
use attrib::escape;
use attrib::model::{Case, EntityId};
use attrib::report;
use attrib::report::table::Screen;
use attrib::terms::IcdTerm;
use std::io;
use std::process::ExitCode;

/// `attrib assess FILE…`: every judgement, in the chosen format; exit 1 below `--fail-below`.
/// One file writes its report as it is rendered; several write one report after another
/// (JSON: one document listing them), and the exit status is the worst of the files'.
pub fn run(args: AssessArgs, stderr_colour: bool) -> Result<ExitCode, Failure> {
    if args.actor.is_some() && args.fail_below.is_none() {
        return Err(Failure::usage(
            "--actor names the hypothesis --fail-below tests, and does not filter the report: \
             add --fail-below TERM, or see one hypothesis with `attrib explain --actor ID`",
        ));
    }
    refuse_misnamed_report(args.output.as_deref(), args.format.written())?;
    // A name that holds nothing to read (a directory with no case, a name that is not UTF-8
    // under one) is reported as a file that fails, and the others are still assessed.
    // Every file named, readable or not, which no output may overwrite (see `several`).
    let mut named: Vec<std::path::PathBuf> = Vec::new();
    let files: Vec<(String, Result<Option<String>, Failure>)> = files::expand(&args.files)?
        .into_iter()
        .map(|f| match f {
            Ok(f) => {
                match f.as_deref() {
                    Some("-") => named.extend(crate::cli::input::stdin_file()),
                    Some(path) => named.push(path.into()),
                    None => {}
                }
                (f.clone().unwrap_or_default(), Ok(f))
            }
            Err(unlisted) => {
                named.extend(unlisted.path);
                (unlisted.name, Err(unlisted.failure))
            }
        })
        .collect();
    let screen = screen::for_report(args.width, args.output.is_none());
    if let [(_, file)] = files.as_slice() {
        let file = file.as_ref().map_err(Failure::clone)?;
        let one = one(file.as_deref(), &args, stderr_colour)?;
        write_with(args.output.as_deref(), &one.input.paths(), |w| {
            render(&one, args.format, screen, w)
        })?;
        if !one.below.is_empty() {
            return Err(below_failure(&one.below));
        }
        return Ok(ExitCode::SUCCESS);
    }
    several(files, &named, &args, (screen, stderr_colour))
}

/// Of several files, each assessed and rendered in turn, then written as one report; a file
/// that fails is reported on stderr and left out, and the exit status is the worst.
fn several(
    files: Vec<(String, Result<Option<String>, Failure>)>,
    named: &[std::path::PathBuf],
    args: &AssessArgs,
    (screen, stderr_colour): (Screen, bool),
) -> Result<ExitCode, Failure> {
    // Every file named (standard input's too), before any is read: one that fails would
    // otherwise be missing from the inputs the output is checked against at the end, and be
    // overwritten.
    let named: Vec<&std::path::Path> = named.iter().map(|p| p.as_path()).collect();
    refuse_unwritable(args.output.as_deref(), &named)?;
    let mut worst = 0u8;
    let mut sections: Vec<(String, Result<String, u8>)> = Vec::new();
    let mut below = Vec::new();
    let mut inputs = Vec::new();
    for (name, f) in files {
        let rendered = f
            .and_then(|f| one(f.as_deref(), args, stderr_colour))
            .and_then(|one| {
                let mut text = Vec::new();
                render(&one, args.format, screen, &mut text)
                    .map_err(|e| Failure::usage(format!("cannot render the report: {e}")))?;
                Ok((one, String::from_utf8_lossy(&text).into_owned()))
            });
        match rendered {
            Ok((one, text)) => {
                below.extend(one.below.iter().map(|b| format!("{name}: {b}")));
                if !one.below.is_empty() {
                    worst = worst.max(1);
                }
                inputs.extend(one.input.path.iter().chain(&one.input.stdin_file).cloned());
                sections.push((name, Ok(text)));
            }
            Err(mut e) => {
                // Of several files, the one a plain error is about (an `--actor` it lacks);
                // a diagnostic names its file already.
                let shown = escape::terminal::text(&name);
                if let Some(rest) = e.message.strip_prefix("error: ")
                    && !rest.starts_with(shown.as_ref())
                {
                    e.message = format!("error: {shown}: {rest}");
                }
                e.print();
                worst = worst.max(e.exit);
                sections.push((name, Err(e.exit)));
            }
        }
    }
    let inputs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    refuse_unwritable(args.output.as_deref(), &inputs)?;
    let text = match args.format {
        Format::Json => json_of(&sections),
        Format::Table | Format::Markdown => {
            let mut text = String::new();
            for (name, section) in &sections {
                if let Ok(s) = section {
                    if args.format == Format::Table {
                        text.push_str(&format!("==> {} <==\n", escape::terminal::text(name)));
                    }
                    text.push_str(s);
                    text.push('\n');
                }
            }
            text
        }
    };
    write_output(args.output.as_deref(), &inputs, text.as_bytes())?;
    if !below.is_empty() {
        below_failure(&below).print();
    }
    Ok(ExitCode::from(worst))
}

/// One file assessed: where it came from, the case, its judgements, and the `--fail-below`
/// findings.
struct Assessed {
    input: Input,
    case: Case,
    /// Streamed: the incidents are assessed as the report is rendered.
    assessment: Assessment,
    below: Vec<String>,
}

/// Reads, checks and assesses one file (warnings, less the allowed ones, are an error under
/// `--deny-warnings`).
fn one(file: Option<&str>, args: &AssessArgs, stderr_colour: bool) -> Result<Assessed, Failure> {
    let mut input = read_input(file)?;
    refuse_unwritable(args.output.as_deref(), &input.paths())?;
    let loaded = load_case(&mut input, stderr_colour, &args.lint)?;
    note_bundled(file);
    // Only the resolved case is needed from here: the bytes go (the parsed file went into it).
    let large = input.size >= LARGE_INPUT;
    input.bytes = Vec::new();
    let owned = loaded.case;
    let case = &owned;
    let scenario = resolve::scenario(case, &args.what_if)?;
    let only = resolve::incident(case, args.incident.as_deref())?;
    let target = args
        .actor
        .as_deref()
        .map(|a| resolve::actor(case, a))
        .transpose()?;
    let progress = Progress::start(large, "assessing");
    // Sensitivity tables appear in the JSON report, and the Markdown report's ACH matrix is
    // read from them.
    let sensitivity = match args.format {
        Format::Json | Format::Markdown if !args.no_sensitivity => SensitivityFor::All,
        _ => SensitivityFor::None,
    };
    let assessment = stream(
        case,
        Request {
            scenario,
            incident: only,
            actor: None,
            sensitivity,
        },
    );
    progress.finish();
    let below = match (args.fail_below, target) {
        (Some(term), Some(actor)) => below(case, &assessment, actor, term, only.is_none()),
        _ => Vec::new(),
    };
    Ok(Assessed {
        input,
        case: owned,
        assessment,
        below,
    })
}

/// What `--fail-below` finds: each judgement on `actor` below `term`, or that no claim bears
/// on it. A pass of its own over the incidents (the report's pass assesses them again). Every
/// incident the actor is judged on is tested unless one was chosen (`every`): a gate on one
/// incident that failed on another is told how to choose.
fn below(
    case: &Case,
    assessment: &Assessment,
    actor: EntityId,
    term: IcdTerm,
    every: bool,
) -> Vec<String> {
    let mut below = Vec::new();
    let mut found = 0;
    for ia in assessment.each(case) {
        if let Some(j) = ia.judgement(actor) {
            found += 1;
            if j.term().is_none_or(|t| t < term) {
                below.push(format!(
                    "{} {} for {}, below {}",
                    report::entity_label(case, actor),
                    IcdTerm::predicate_of(j.term()),
                    case.incident(ia.incident).id,
                    term.word()
                ));
            }
        }
    }
    if every && found > 1 && !below.is_empty() {
        below.push(format!(
            "{} is judged on {found} incidents, and --fail-below tests each: --incident ID \
             tests one",
            report::entity_label(case, actor),
        ));
    }
    if found == 0 {
        below.push(format!(
            "no claim bears on {} in the assessed incidents (insufficient evidence), below {}",
            report::entity_label(case, actor),
            term.word()
        ));
    }
    below
}

fn render(a: &Assessed, format: Format, screen: Screen, w: &mut dyn io::Write) -> io::Result<()> {
    let case = &a.case;
    match format {
        Format::Table => report::table::render(case, &a.assessment, screen, w),
        Format::Markdown => report::markdown::render(case, &a.assessment, w),
        Format::Json => report::json::render(case, &a.assessment, w),
    }
}

fn below_failure(below: &[String]) -> Failure {
    Failure {
        exit: 1,
        message: escape::terminal::block(&format!("attrib: {}", below.join("\nattrib: ")))
            .into_owned(),
    }
}

/// `{"schema": "attrib-assessments/1", "files": [{"file": …, "report": {…}} | {"file": …,
/// "exit": 2}]}`: each report as `assess --format json` writes it for one file.
fn json_of(sections: &[(String, Result<String, u8>)]) -> String {
    let mut out = String::from("{\n  \"schema\": \"attrib-assessments/1\",\n  \"files\": [");
    for (i, (name, section)) in sections.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let file = escape::json::to_string(name);
        match section {
            Ok(report) => {
                // A JSON string holds no raw line break, so indenting every line is safe.
                let nested = report.trim_end().replace('\n', "\n      ");
                out.push_str(&format!(
                    "    {{\n      \"file\": {file},\n      \"report\": {nested}\n    }}"
                ));
            }
            Err(code) => out.push_str(&format!(
                "    {{\n      \"file\": {file},\n      \"exit\": {code}\n    }}"
            )),
        }
    }
    out.push_str("\n  ]\n}\n");
    out
}
