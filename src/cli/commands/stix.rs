//! `attrib import stix` and `attrib export stix`.

use super::aliases;
use crate::cli::Failure;
use crate::cli::args::{ConfidenceArg, ExportStixArgs, ImportStixArgs};
use crate::cli::input::{
    LARGE_INPUT, Progress, STIX_BUNDLE, load_input, read_input, read_input_of, refuse_stdin_twice,
    render_with_summary,
};
use crate::cli::output::{output_syntax, refuse_unwritable, write_output, write_with};
use attrib::assess::{Request, stream};
use attrib::diagnostic;
use attrib::escape;
use attrib::format::Syntax;
use attrib::load;
use attrib::report::plural;
use attrib::stix::export::ExportOptions;
use attrib::stix::markings::Tlp;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// `attrib import stix`: a bundle read into a case, with what was kept and skipped on stderr.
pub fn import(args: ImportStixArgs, colour: bool) -> Result<ExitCode, Failure> {
    crate::cli::output::refuse_misnamed_case(args.output.as_deref())?;
    refuse_stdin_twice(
        std::iter::once(Path::new(&args.bundle)).chain(args.aliases.iter().map(|p| p.as_path())),
    )?;
    let input = read_input_of(Some(&args.bundle), STIX_BUNDLE)?;
    let text = load::text_as(&input.bytes, load::Expected::Bundle).map_err(|d| Failure {
        exit: 2,
        message: diagnostic::render(
            &[d],
            &input.name,
            &String::from_utf8_lossy(&input.bytes),
            colour,
        ),
    })?;
    let stem = Path::new(&input.name)
        .file_stem()
        .map_or_else(|| input.name.clone(), |s| s.to_string_lossy().into_owned());
    let bundle = Bundle {
        name: &input.name,
        title: format!("Imported from {stem}"),
        text,
        path: input.paths().first().copied(),
    };
    import_bundle(&bundle, &args, colour)
}

/// A bundle to import: its text, the name messages give it, and the case's title.
pub(super) struct Bundle<'a> {
    pub name: &'a str,
    pub title: String,
    pub text: &'a str,
    /// The file it was read from, which the case must not overwrite.
    pub path: Option<&'a Path>,
}

/// A bundle read into a case and written out, with what was kept and skipped on stderr. The
/// callers refuse a misnamed output before they read the bundle.
pub(super) fn import_bundle(
    bundle: &Bundle<'_>,
    args: &ImportStixArgs,
    colour: bool,
) -> Result<ExitCode, Failure> {
    // Neither the bundle nor an alias table is written over, and an output that cannot be
    // written is refused before the import reports what it kept.
    let inputs: Vec<&Path> = (bundle.path.into_iter())
        .chain(args.aliases.iter().map(|p| p.as_path()))
        .collect();
    refuse_unwritable(args.output.as_deref(), &inputs)?;
    let options = attrib::stix::import::ImportOptions {
        reliability: args.reliability,
        title: bundle.title.clone(),
        confidence: confidence_reading(args.confidence),
        case: args.case.clone(),
    };
    let progress = Progress::start(bundle.text.len() >= LARGE_INPUT, "importing");
    let imported = attrib::stix::import::import(bundle.text, &options);
    progress.finish();
    let mut imported = imported.map_err(|e| Failure {
        exit: 2,
        message: diagnostic::render(&[e.diagnostic()], bundle.name, bundle.text, colour),
    })?;
    let tables = aliases::read_tables(&args.aliases, colour)?;
    let merged =
        (!tables.is_empty()).then(|| attrib::stix::aliases::merge(&mut imported.file, &tables));
    summarise(bundle, &imported);
    if let Some(m) = &merged {
        aliases::report_merge(m);
    }
    imported.file.normalise();
    let syntax = output_syntax(args.output.as_deref(), Syntax::Ron);
    write_case(
        &imported.file,
        args.output.as_deref(),
        &inputs,
        syntax,
        colour,
    )
}

/// What an import kept and skipped, its warnings and the case it made, on stderr. A warning
/// on one object names the bundle's file, line and column of the object's `id`.
fn summarise(bundle: &Bundle<'_>, imported: &attrib::stix::import::Imported) {
    let name = bundle.name;
    let mut err = io::stderr().lock();
    let join = |m: &std::collections::BTreeMap<String, usize>| {
        if m.is_empty() {
            "nothing".to_string()
        } else {
            m.iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let _ = writeln!(
        err,
        "{}: imported {}",
        escape::terminal::text(name),
        escape::terminal::text(&join(&imported.imported))
    );
    let _ = writeln!(
        err,
        "skipped: {}",
        escape::terminal::text(&join(&imported.skipped))
    );
    let paths: Vec<&str> = (imported.warning_paths.iter())
        .map(|p| p.as_deref().unwrap_or_default())
        .collect();
    let places = diagnostic::positions(bundle.text, &paths);
    for (i, w) in imported.warnings.iter().enumerate() {
        let place = match (imported.warning_paths.get(i), places.get(i)) {
            (Some(Some(_)), Some(Some((line, column)))) => format!("{name}:{line}:{column}: "),
            _ => String::new(),
        };
        let _ = writeln!(
            err,
            "warning: {}{}",
            escape::terminal::text(&place),
            escape::terminal::text(w)
        );
    }
    let f = &imported.file;
    let _ = writeln!(
        err,
        "case: {}, {}, {}, {}, {}",
        plural(f.actors.len(), "actor"),
        plural(f.groups.len(), "group"),
        plural(f.incidents.len(), "incident"),
        plural(f.sources.len(), "source"),
        plural(f.claims.len(), "claim")
    );
}

/// `attrib export stix`: the case and its judgements as a STIX 2.1 bundle.
pub fn export(args: ExportStixArgs, colour: bool) -> Result<ExitCode, Failure> {
    crate::cli::output::refuse_misnamed(
        args.output.as_deref(),
        crate::cli::output::Written::Json,
        &[],
    )?;
    let mut input = read_input(args.file.as_deref())?;
    refuse_unwritable(args.output.as_deref(), &input.paths())?;
    let loaded = load_input(&mut input, colour, &args.lint)?;
    let case = &loaded.case;
    let assessment = stream(case, Request::default());
    let options = export_options(args.tlp);
    write_with(args.output.as_deref(), &input.paths(), |w| {
        attrib::stix::export::export(&loaded.file, case, &assessment, &options, w)
    })
}

/// Checks a case attrib produced and writes it; a problem here is attrib's own, reported in full.
pub(super) fn write_case(
    file: &attrib::format::CaseFile,
    output: Option<&Path>,
    inputs: &[&Path],
    syntax: Syntax,
    colour: bool,
) -> Result<ExitCode, Failure> {
    write_text(file.to_syntax(syntax), output, inputs, syntax, colour)
}

/// Writes a case's `text`, once it loads: what does not is an error of attrib's, reported
/// with the text's diagnostics rather than left for the analyst to find. Except where the
/// data itself holds more than attrib judges ([`past_bounds`]): a faithful case is written
/// then, for the analyst to mend, its errors shown where they stand in it, and the exit is 2.
pub(super) fn write_text(
    text: String,
    output: Option<&Path>,
    inputs: &[&Path],
    syntax: Syntax,
    colour: bool,
) -> Result<ExitCode, Failure> {
    let Err(diags) = load::load(&text, syntax) else {
        return write_output(output, inputs, text.as_bytes());
    };
    if !past_bounds(&diags) {
        return Err(Failure {
            exit: 2,
            message: render_with_summary(&diags, "<imported case>", &text, colour),
        });
    }
    write_output(output, inputs, text.as_bytes())?;
    let name = match output {
        Some(p) if !crate::cli::output::is_stdout(p) => p.display().to_string(),
        _ => "<standard output>".to_string(),
    };
    let errors: Vec<diagnostic::Diagnostic> =
        diags.iter().filter(|d| d.is_error()).cloned().collect();
    let warnings = diags.len() - errors.len();
    let mut message = diagnostic::render(&errors, &name, &text, colour);
    let listed = match warnings {
        0 => String::new(),
        n => format!(", with {}", plural(n, "warning")),
    };
    message.push_str(&format!(
        "{name}: written, but attrib cannot judge it as it stands: {} above, to mend in the \
         file (`attrib check` lists {} again{listed})\n",
        plural(errors.len(), "error"),
        if errors.len() == 1 { "it" } else { "them" },
    ));
    Err(Failure { exit: 2, message })
}

/// Whether every error is one of a bound attrib sets on what it judges, which the data a
/// case was made from can exceed however well it was translated: a chain of links or an
/// actor's wholes past 64 (E035, E037), an incident's competing hypotheses past 64 (E036), a
/// set of hypotheses excluding each other that holds a part and its whole (E034).
fn past_bounds(diags: &[diagnostic::Diagnostic]) -> bool {
    use attrib::diagnostic::Code;
    let errors = || diags.iter().filter(|d| d.is_error());
    errors().next().is_some()
        && errors().all(|d| {
            matches!(
                d.code,
                Code::ExclusiveWithWhole
                    | Code::DeepChain
                    | Code::TooManyExclusive
                    | Code::TooManyWholes
            )
        })
}

/// `import stix --confidence`.
pub(super) fn confidence_reading(arg: ConfidenceArg) -> attrib::stix::import::ConfidenceReading {
    match arg {
        ConfidenceArg::Probability => attrib::stix::import::ConfidenceReading::Probability,
        ConfidenceArg::Strength => attrib::stix::import::ConfidenceReading::Strength,
    }
}

/// `export stix --tlp`.
pub(super) fn export_options(tlp: Option<Tlp>) -> ExportOptions {
    ExportOptions {
        tlp_floor: tlp,
        ..ExportOptions::default()
    }
}
