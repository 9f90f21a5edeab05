//! The command line: arguments, files, terminal and exit codes.
//!
//! This is the only module that does I/O. Each command reads its input, calls the library's
//! pure stages and writes the result; errors are rendered once and returned as a [`Failure`]
//! that `main` prints to stderr.
//!
//! Exit codes: 0 success, 1 a `--fail-below` threshold was not met (or `diff --fail-on-change`
//! found a judgement that moved), 2 invalid input or usage.

use crate::assess::{Assessment, assess_all, assess_incident, sensitivity};
use crate::date::Date;
use crate::diagnostic::{self, Diagnostic};
use crate::escape;
use crate::export;
use crate::export::dot::View;
use crate::format::Syntax;
use crate::load::{self, Loaded};
use crate::model::{Case, EntityId, IncidentId, Reliability};
use crate::reason::{Engine, Scenario};
use crate::report;
use crate::terms::{Grade, IcdTerm};
use crate::validate::suggest;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod diff;
mod many;

/// The Albania 2022 case, embedded so that `attrib assess` works with no file at hand.
pub const BUNDLED_CASE: &str = include_str!("../graphs/albania-2022.ron");
/// The name the bundled case is reported under.
pub const BUNDLED_NAME: &str = "graphs/albania-2022.ron (bundled)";

const EXAMPLES: &str = "\
Examples:
  attrib check graphs/albania-2022.ron
  attrib assess
  attrib explain graphs/albania-2022.ron --incident albania-2022 --actor iran
  attrib dot --render svg -o albania.svg";

#[derive(Debug, Parser)]
#[command(
    name = "attrib",
    version,
    about = "Reason about who is behind a cyberattack",
    long_about = "Reason about who is behind a cyberattack.\n\nattrib reads an evidence case \
                  (actors, groups, incidents, sources and their claims, in RON or JSON), checks \
                  it, propagates confidence through it and reports each attribution hypothesis \
                  with an ICD 203 likelihood and a separate confidence level.\n\nWith no FILE, \
                  commands use the bundled Albania 2022 case. `-` reads standard input.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// When to colour output: auto (only on a terminal, never with NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColourWhen::Auto, global = true)]
    pub color: ColourWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColourWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate an evidence file and report every problem with its line and column.
    #[command(after_help = "Examples:\n  attrib check graphs/albania-2022.ron\n  \
                            cat case.json | attrib check -\n  \
                            attrib check cases/ --deny-warnings --allow W104\n\nExit codes: 0 \
                            valid (warnings allowed), 2 invalid input or usage (the worst of \
                            several files).")]
    Check(CheckArgs),
    /// Write the same case in the other syntax (RON <-> JSON), normalised.
    #[command(
        after_help = "Examples:\n  attrib convert graphs/albania-2022.ron --to json -o \
                            albania.json\n  attrib convert albania.json --to ron"
    )]
    Convert(ConvertArgs),
    /// Judge every attribution hypothesis: ICD 203 likelihood, confidence, and what carries it.
    #[command(
        after_help = "Examples:\n  attrib assess                                   # the bundled Albania case\n  \
                            attrib assess graphs/tutorial.ron --format markdown > report.md\n  \
                            attrib assess --without nsc --grade uk-gov=C\n  \
                            attrib assess --as-of 2022-08-31\n  \
                            attrib assess --fail-below \"very likely\" --actor iran\n\nExit codes: 0 \
                            success, 1 the --fail-below hypothesis is below the term, 2 invalid \
                            input or usage."
    )]
    Assess(AssessArgs),
    /// Show how one hypothesis was derived, claim by claim, and what would change it.
    #[command(
        after_help = "Examples:\n  attrib explain graphs/albania-2022.ron --incident \
                            albania-2022 --actor iran\n  attrib explain --actor muddywater\n  \
                            attrib explain --actor iran --without d7"
    )]
    Explain(ExplainArgs),
    /// Which judgements moved between two versions of a case, and which changes moved them.
    #[command(after_help = "Examples:\n  attrib diff july.ron september.ron\n  \
                            attrib diff HEAD~1:graphs/case.ron graphs/case.ron --format markdown\n  \
                            attrib diff old.json new.ron --restate d5=likely --min-delta 0.01\n  \
                            attrib diff main:case.ron case.ron --fail-on-change\n\n\
                            OLD and NEW are files (RON or JSON), `-` for standard input, or \
                            REV:PATH for the file as a git revision has it. To make `git diff` \
                            show judgement diffs, see docs/diff.md.\n\nExit codes: 0 success \
                            (1 with --fail-on-change when a judgement moved), 2 invalid input or \
                            usage.")]
    Diff(DiffArgs),
    /// Write a Graphviz diagram of the case (DOT, or SVG/PNG/PDF through Graphviz).
    #[command(
        after_help = "Examples:\n  attrib dot > albania.dot\n  attrib dot --render svg -o \
                            albania.svg\n  attrib dot --view evidence --render png -o evidence.png\n  \
                            attrib dot big.json --focus albania-2022 --depth 2 --min likely\n\n\
                            Rendering needs Graphviz's `dot` (Debian/Ubuntu: apt-get install graphviz)."
    )]
    Dot(DotArgs),
    /// Bring data in: STIX 2.1 bundles, alias tables.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write data out for other tools: STIX 2.1 bundles.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Write a synthetic case of a given size, for benchmarks and scale tests.
    #[command(
        after_help = "Examples:\n  attrib generate --claims 1000 -o small.ron\n  attrib \
                            generate --claims 1000000 --seed 7 -o big.json\n\nThe same seed \
                            gives a byte-identical file; every generated case passes attrib check."
    )]
    Generate(GenerateArgs),
    /// Print shell completions.
    #[command(after_help = "Example:\n  attrib completions bash > \
                            /etc/bash_completion.d/attrib")]
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these definitions.
    #[command(after_help = "Example:\n  attrib man > attrib.1 && man ./attrib.1")]
    Man {
        /// Write the page to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Evidence files (.ron or .json; `-` for stdin) and directories (every .ron and .json in
    /// them, in path order). Default: the bundled Albania case.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    #[command(flatten)]
    pub lint: LintArgs,
}

/// How warnings count, for `check` and `assess`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Treat warnings as errors (exit 2), e.g. in CI.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Silence a warning code, e.g. `--allow W102` (repeatable).
    #[arg(long = "allow", value_name = "CODE")]
    pub allow: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Evidence file to convert (`-` for stdin).
    pub file: String,
    /// Syntax to write.
    #[arg(long, value_enum)]
    pub to: SyntaxArg,
    /// Output file (default: standard output). Written atomically; never the input file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// What-if changes shared by `assess` and `explain`.
#[derive(Debug, Args)]
pub struct WhatIfArgs {
    /// Set aside a claim or a whole source, by id (repeatable).
    #[arg(long = "without", value_name = "ID")]
    pub without: Vec<String>,
    /// Re-grade a source, e.g. `--grade nsc=C` (repeatable).
    #[arg(long = "grade", value_name = "SOURCE=GRADE")]
    pub grade: Vec<String>,
    /// Only claims made by this date (YYYY-MM-DD): what could be concluded then.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Base rate of every hypothesis, overriding the case's priors.
    #[arg(long, value_name = "P")]
    pub prior: Option<f64>,
    /// Read a claim at another likelihood, on any scale the file accepts, e.g.
    /// `--restate 'd5=Icd("very likely")'`, `d5=likely`, `d5=0.9` (repeatable).
    #[arg(long = "restate", value_name = "CLAIM=LIKELIHOOD")]
    pub restate: Vec<String>,
    /// Read a claim at another stated confidence: `--confidence d5=high` (low, moderate,
    /// high; repeatable).
    #[arg(long = "confidence", value_name = "CLAIM=LEVEL")]
    pub confidence: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Evidence files (`-` for stdin) and directories (every .ron and .json in them, in path
    /// order). Default: the bundled Albania 2022 case.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Only this incident (id, name or alias).
    #[arg(long, value_name = "ID")]
    pub incident: Option<String>,
    /// Leave the sensitivity tables out of --format json (they grow with the square of an
    /// incident's claims; for bulk cases).
    #[arg(long)]
    pub no_sensitivity: bool,
    /// Exit 1 when the hypothesis named by --actor is below this ICD 203 term.
    #[arg(long, value_name = "TERM", requires = "actor")]
    pub fail_below: Option<String>,
    /// The actor or group --fail-below tests.
    #[arg(long, value_name = "ID")]
    pub actor: Option<String>,
    /// Output file (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Evidence file (`-` for stdin). Default: the bundled Albania 2022 case.
    pub file: Option<String>,
    /// The incident (id, name or alias); may be left out when the case has one.
    #[arg(long, value_name = "ID")]
    pub incident: Option<String>,
    /// The actor or group whose responsibility is explained.
    #[arg(long, value_name = "ID")]
    pub actor: String,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

#[derive(Debug, Args)]
pub struct DotArgs {
    /// Evidence file (`-` for stdin). Default: the bundled Albania 2022 case.
    pub file: Option<String>,
    /// Which diagram.
    #[arg(long, value_enum, default_value_t = ViewArg::Assessment)]
    pub view: ViewArg,
    /// Leave out hypotheses below this ICD 203 term (and those with insufficient evidence).
    #[arg(long, value_name = "TERM")]
    pub min: Option<String>,
    /// Keep only the neighbourhood of this incident, actor, group, source or claim.
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    /// How many hops around --focus to keep.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub depth: usize,
    /// Render through Graphviz instead of writing DOT.
    #[arg(long, value_enum)]
    pub render: Option<RenderFormat>,
    /// Output file (default: standard output). Written atomically; never the input file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW: case files, `-` (one of them) or `REV:PATH`. The seven arguments git gives
    /// an external diff command are read too.
    #[arg(required = true, num_args = 2..=7, value_name = "OLD NEW")]
    pub files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// A hypothesis whose likelihood word and confidence stay the same counts as moved only
    /// when its P moves by more than this.
    #[arg(long, value_name = "P", default_value_t = 0.005)]
    pub min_delta: f64,
    /// Exit 1 when any judgement moved, appeared or disappeared (for CI in a case repository).
    #[arg(long)]
    pub fail_on_change: bool,
    /// Output file (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of claims (1 to 20,000,000).
    #[arg(long, value_name = "N", value_parser = claim_count)]
    pub claims: usize,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file (.ron or .json; default: RON on standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// The most claims `generate` makes: 2·10^7 is a 7 GB JSON file, twice the largest case the
/// performance targets measure; more would only exhaust memory.
pub const MAX_GENERATED_CLAIMS: usize = 20_000_000;

fn claim_count(text: &str) -> Result<usize, String> {
    let n: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of claims"))?;
    if (1..=MAX_GENERATED_CLAIMS).contains(&n) {
        Ok(n)
    } else {
        Err(format!(
            "{n} claims is outside 1–{MAX_GENERATED_CLAIMS}; larger cases exhaust memory before they are written"
        ))
    }
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Read a STIX 2.1 bundle (OpenCTI, MISP, ATT&CK …) into an evidence case.
    #[command(
        after_help = "Examples:\n  attrib import stix apt1.json -o apt1.ron\n  attrib \
                            import stix bundle.json --reliability B --aliases \
                            microsoft-threat-actor-mapping.json -o case.ron\n\nObjects attrib \
                            has no meaning for are skipped and counted; see docs/stix.md."
    )]
    Stix(ImportStixArgs),
    /// Add the names alias tables give to a case's actors and groups.
    #[command(after_help = "Example:\n  attrib import aliases case.ron \
                            microsoft-threat-actor-mapping.json misp-galaxy-threat-actor.json -o \
                            case-with-aliases.ron\n\nConflicts between tables, or with the \
                            case, are reported and left out.")]
    Aliases(ImportAliasesArgs),
    /// Read a TAXII 2.1 collection's objects into an evidence case.
    #[command(after_help = "Example:\n  ATTRIB_TAXII_TOKEN=... attrib import taxii \
                            https://cti.example.org/api1/ --collection 91a7b528-80eb-42ed-a74d-c6fbd5a26116 \
                            -o case.ron\n\nCredentials come from ATTRIB_TAXII_TOKEN (bearer) or \
                            ATTRIB_TAXII_USER and ATTRIB_TAXII_PASSWORD (basic); see docs/stix.md.")]
    Taxii(ImportTaxiiArgs),
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write the case, its claims and its judgements as a STIX 2.1 bundle.
    #[command(
        after_help = "Examples:\n  attrib export stix -o albania.stix.json\n  attrib \
                            export stix graphs/tutorial.ron | jq .objects[0]"
    )]
    Stix(ExportStixArgs),
    /// Add the case, its claims and its judgements to a TAXII 2.1 collection.
    #[command(after_help = "Example:\n  ATTRIB_TAXII_TOKEN=... attrib export taxii \
                            https://cti.example.org/api1/ --collection 91a7b528-80eb-42ed-a74d-c6fbd5a26116 \
                            graphs/albania-2022.ron")]
    Taxii(ExportTaxiiArgs),
}

#[derive(Debug, Args)]
pub struct ImportTaxiiArgs {
    /// TAXII 2.1 API root URL.
    pub url: String,
    /// Collection id.
    #[arg(long)]
    pub collection: String,
    /// Only objects added after this timestamp (e.g. 2024-01-01T00:00:00Z).
    #[arg(long, value_name = "TIMESTAMP")]
    pub added_after: Option<String>,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Reliability (Admiralty A–F) of the sources the objects name.
    #[arg(long, default_value = "C")]
    pub reliability: String,
    /// How STIX `confidence` is read (see `import stix`).
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Probability)]
    pub confidence: ConfidenceArg,
    /// Output case (.ron or .json; default: RON on standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportTaxiiArgs {
    /// TAXII 2.1 API root URL.
    pub url: String,
    /// Collection id.
    #[arg(long)]
    pub collection: String,
    /// Evidence file (`-` for stdin). Default: the bundled Albania 2022 case.
    pub file: Option<String>,
    /// Mark every object at least this restrictively (see `export stix`).
    #[arg(long, value_name = "LEVEL")]
    pub tlp: Option<String>,
    /// Seconds to wait for each answer, and for the server to process the objects.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct ImportStixArgs {
    /// STIX 2.1 bundle (JSON; `-` for stdin).
    pub bundle: String,
    /// Reliability (Admiralty A–F) of the sources the bundle names.
    #[arg(long, default_value = "C")]
    pub reliability: String,
    /// Alias tables to merge into the imported case (repeatable).
    #[arg(long = "aliases", value_name = "TABLE")]
    pub aliases: Vec<PathBuf>,
    /// How STIX `confidence` is read: `probability` (the STIX 2.1 normative reading, below 50
    /// is evidence against) or `strength` (how strongly the assertion is made, never against).
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Probability)]
    pub confidence: ConfidenceArg,
    /// Output case (.ron or .json; default: RON on standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfidenceArg {
    Probability,
    Strength,
}

#[derive(Debug, Args)]
pub struct ImportAliasesArgs {
    /// The evidence case to extend.
    pub case: String,
    /// Alias tables: Microsoft's naming map, MISP galaxy cluster files.
    #[arg(required = true)]
    pub tables: Vec<PathBuf>,
    /// Output case (default: standard output, in the input's syntax). Never the input file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportStixArgs {
    /// Evidence file (`-` for stdin). Default: the bundled Albania 2022 case.
    pub file: Option<String>,
    /// Mark every object at least this restrictively (TLP 2.0: clear, green, amber,
    /// amber+strict, red).
    #[arg(long, value_name = "LEVEL")]
    pub tlp: Option<String>,
    /// Output bundle (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ViewArg {
    /// Incidents, candidate actors and groups, hypothesis edges styled by the judgement.
    Assessment,
    /// Sources by line of evidence, their claims and what the claims speak of.
    Evidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    Svg,
    Png,
    Pdf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned table for the terminal.
    Table,
    /// Report-ready Markdown following ICD 203.
    Markdown,
    /// Stable JSON (docs/json.md), with explanations and sensitivity.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyntaxArg {
    Json,
    Ron,
}

/// A command that did not succeed: what to print on stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub exit: u8,
    pub message: String,
}

impl Failure {
    /// A usage error. The message may quote the case or the command line, so it is made safe
    /// for the terminal here.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            exit: 2,
            message: format!("error: {}", escape::terminal::block(&message.into())),
        }
    }
}

/// Entry point for the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(f) => {
            let mut err = io::stderr().lock();
            let _ = err.write_all(f.message.as_bytes());
            if !f.message.ends_with('\n') {
                let _ = err.write_all(b"\n");
            }
            ExitCode::from(f.exit)
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let colour = stderr_colour(cli.color);
    match cli.command {
        Command::Check(args) => many::check(args, colour),
        Command::Convert(args) => convert(args, colour),
        Command::Assess(args) => many::assess(args, cli.color),
        Command::Explain(args) => explain(args, cli.color),
        Command::Diff(args) => diff::diff(args, colour),
        Command::Dot(args) => dot(args, colour),
        Command::Generate(args) => generate(args),
        Command::Import(ImportCommand::Stix(args)) => import_stix(args, colour),
        Command::Import(ImportCommand::Aliases(args)) => import_aliases(args, colour),
        Command::Export(ExportCommand::Stix(args)) => export_stix(args, colour),
        Command::Import(ImportCommand::Taxii(args)) => import_taxii(args, colour),
        Command::Export(ExportCommand::Taxii(args)) => export_taxii(args, colour),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "attrib", &mut buf);
            write_output(None, None, &buf)
        }
        Command::Man { output } => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| Failure::usage(format!("cannot render the man page: {e}")))?;
            write_output(output.as_deref(), None, &buf)
        }
    }
}

fn stderr_colour(when: ColourWhen) -> bool {
    colour_on(when, io::stderr().is_terminal())
}

fn stdout_colour(when: ColourWhen) -> bool {
    colour_on(when, io::stdout().is_terminal())
}

/// Colour when asked, or on a terminal unless NO_COLOR is set (to anything non-empty).
fn colour_on(when: ColourWhen, terminal: bool) -> bool {
    match when {
        ColourWhen::Always => true,
        ColourWhen::Never => false,
        ColourWhen::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// An evidence file's bytes and where they came from.
pub struct Input {
    pub name: String,
    pub path: Option<PathBuf>,
    pub bytes: Vec<u8>,
    pub syntax: Syntax,
}

/// Reads `file`: a path, `-` for stdin, or the bundled case when absent.
pub fn read_input(file: Option<&str>) -> Result<Input, Failure> {
    match file {
        None => Ok(Input {
            name: BUNDLED_NAME.to_string(),
            path: None,
            bytes: BUNDLED_CASE.as_bytes().to_vec(),
            syntax: Syntax::Ron,
        }),
        Some("-") => {
            let mut bytes = Vec::new();
            io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
            // JSON objects start with `{`; a RON case starts with `Case(` or `(`.
            let syntax = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => Syntax::Json,
                _ => Syntax::Ron,
            };
            Ok(Input {
                name: "<stdin>".to_string(),
                path: None,
                bytes,
                syntax,
            })
        }
        Some(path) => {
            let p = PathBuf::from(path);
            if p.is_dir() {
                return Err(Failure::usage(format!(
                    "[E001] cannot read `{path}`: it is a directory; give an evidence file (.ron or .json)"
                )));
            }
            let bytes = std::fs::read(&p).map_err(|e| {
                let hint = if e.kind() == io::ErrorKind::NotFound {
                    " (check the path; bundled cases are under graphs/)"
                } else {
                    ""
                };
                Failure::usage(format!("[E001] cannot read `{path}`: {e}{hint}"))
            })?;
            Ok(Input {
                // Shown in messages: a file name can carry escape sequences too.
                name: escape::terminal::text(path).into_owned(),
                syntax: Syntax::from_path(path),
                path: Some(p),
                bytes,
            })
        }
    }
}

/// Loads and validates an input; on failure, renders every diagnostic.
pub fn load_input(input: &Input, colour: bool) -> Result<Loaded, Failure> {
    let progress = Progress::start(input.bytes.len() >= LARGE_INPUT, "reading and checking");
    let result = load_input_quietly(input, colour);
    progress.finish();
    result
}

fn load_input_quietly(input: &Input, colour: bool) -> Result<Loaded, Failure> {
    let text = match load::text_of(&input.bytes) {
        Ok(t) => t,
        Err(d) => {
            return Err(Failure {
                exit: 2,
                message: diagnostic::render(&[d], &input.name, "", colour),
            });
        }
    };
    match load::load(text, input.syntax) {
        Ok(loaded) => Ok(loaded),
        Err(diags) => Err(Failure {
            exit: 2,
            message: render_with_summary(&diags, &input.name, text, colour),
        }),
    }
}

fn render_with_summary(diags: &[Diagnostic], name: &str, text: &str, colour: bool) -> String {
    let mut out = diagnostic::render(diags, name, text, colour);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    out.push_str(&format!(
        "{name}: {} and {}\n",
        plural(errors, "error"),
        plural(warnings, "warning")
    ));
    out
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Checks one file: warnings (less the allowed ones) on stderr, the summary on stdout.
/// Returns the exit status of this file (2 when `--deny-warnings` and it warns).
fn check_one(file: Option<&str>, lint: &many::Lint, colour: bool) -> Result<u8, Failure> {
    let input = read_input(file)?;
    let loaded = load_input(&input, colour)?;
    let text = load::text_of(&input.bytes).unwrap_or_default();
    let case = &loaded.case;
    let warnings = lint.filter(loaded.warnings);
    if !warnings.is_empty() {
        let _ = io::stderr()
            .write_all(diagnostic::render(&warnings, &input.name, text, colour).as_bytes());
    }
    if lint.deny && !warnings.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "{}: {} denied (--deny-warnings)",
            input.name,
            plural(warnings.len(), "warning")
        );
        return Ok(2);
    }
    let actors = case
        .entities
        .iter()
        .filter(|e| matches!(e.kind, crate::model::EntityKind::Actor(_)))
        .count();
    let summary = format!(
        "{}: ok: {}, {}, {}, {}, {} ({})\n",
        input.name,
        plural(actors, "actor"),
        plural(case.entities.len() - actors, "group"),
        plural(case.incidents.len(), "incident"),
        plural(case.sources.len(), "source"),
        plural(case.claims.len(), "claim"),
        plural(warnings.len(), "warning"),
    );
    write_output(None, None, summary.as_bytes())?;
    Ok(0)
}

fn convert(args: ConvertArgs, colour: bool) -> Result<ExitCode, Failure> {
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

/// Writes to `output` (atomically) or to stdout. A closed stdout pipe is not an error.
pub fn write_output(
    output: Option<&Path>,
    input: Option<&Path>,
    bytes: &[u8],
) -> Result<ExitCode, Failure> {
    match output {
        None => write_stdout(bytes),
        Some(p) if p == Path::new("-") => write_stdout(bytes),
        Some(path) => {
            write_atomic(path, input, bytes)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode, Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure::usage(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

/// Writes a file through a temporary file in the same directory and a rename, so a reader never
/// sees half a file and a failure leaves the old one intact. Refuses to overwrite `input`.
///
/// The temporary file is named after its target and the writing process
/// (`.report.md.attrib-1234-XXXXXX`): an interrupt (Ctrl-C, SIGTERM, SIGHUP) removes it through
/// [`interrupts`], and one left by a killed process is removed by the next write to the same
/// target once that process is gone.
pub fn write_atomic(path: &Path, input: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(input) = input
        && same_file(path, input)
    {
        return Err(Failure::usage(format!(
            "refusing to overwrite the input file `{}`; choose another output with -o",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |e: io::Error| Failure::usage(format!("cannot write `{}`: {e}", path.display()));
    let target = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = format!(".{target}.attrib-");
    remove_stale_temporaries(&dir, &stem);
    // A new file gets ordinary permissions (rw-r--r-- on Unix), an existing one keeps its own,
    // rather than the private mode of a temporary file.
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{stem}{}-", std::process::id());
    builder.prefix(&prefix);
    match std::fs::metadata(path) {
        Ok(m) => {
            builder.permissions(m.permissions());
        }
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o644));
            }
        }
    }
    let _guard = interrupts::Pending::new(&dir, &prefix);
    let mut tmp = builder.tempfile_in(&dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Removes temporary files for the same target left by attrib processes that no longer run
/// (killed mid-write, where no handler could clean up).
fn remove_stale_temporaries(dir: &Path, stem: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(stem)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` still runs: `/proc` where there is one; elsewhere a temporary file
/// untouched for a day counts as abandoned.
fn process_alive(pid: u32, entry: &std::fs::DirEntry) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age.as_secs() < 24 * 3600)
}

/// Cleaning up after an interrupt: the temporary files being written are registered while they
/// exist, and a signal handler removes them before the process exits with 130.
pub mod interrupts {
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, Once};

    /// (directory, file-name prefix) of every temporary file being written.
    static PENDING: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    static INSTALL: Once = Once::new();

    /// Temporary files in `dir` whose names start with `prefix`, registered for removal on
    /// interrupt while this guard lives. Registered by prefix *before* the file is created, so
    /// that no interrupt falls between its creation and its registration.
    pub struct Pending(PathBuf, String);

    impl Pending {
        pub fn new(dir: &Path, prefix: &str) -> Pending {
            INSTALL.call_once(|| {
                // If a handler cannot be installed, the next run's stale-file sweep cleans up.
                let _ = ctrlc::set_handler(|| {
                    if let Ok(pending) = PENDING.lock() {
                        for (dir, prefix) in pending.iter() {
                            remove_prefixed(dir, prefix);
                        }
                    }
                    std::process::exit(130);
                });
            });
            if let Ok(mut pending) = PENDING.lock() {
                pending.push((dir.to_path_buf(), prefix.to_string()));
            }
            Pending(dir.to_path_buf(), prefix.to_string())
        }
    }

    fn remove_prefixed(dir: &Path, prefix: &str) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    impl Drop for Pending {
        fn drop(&mut self) {
            if let Ok(mut pending) = PENDING.lock() {
                pending.retain(|(d, p)| (d, p) != (&self.0, &self.1));
            }
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Turns what-if arguments into a scenario, resolving every id.
pub fn scenario(case: &Case, args: &WhatIfArgs) -> Result<Scenario, Failure> {
    scenario_in(case, args, false)
}

/// Like [`scenario`]; when `lenient`, an id this case lacks is passed over rather than an
/// error (`diff` applies one what-if to two versions, and a claim may be in only one).
pub fn scenario_in(case: &Case, args: &WhatIfArgs, lenient: bool) -> Result<Scenario, Failure> {
    let mut s = Scenario::default();
    for id in &args.without {
        if let Some(c) = case.find_claim(id) {
            s.without_claims.insert(c);
        } else if let Some(src) = case.find_source(id) {
            s.without_sources.insert(src);
        } else if !lenient {
            let candidates = case
                .claims
                .iter()
                .map(|c| c.id.as_str())
                .chain(case.sources.iter().map(|s| s.id.as_str()));
            let hint = did_you_mean(suggest(id, candidates));
            return Err(Failure::usage(format!(
                "--without {id}: no claim or source has this id{hint}"
            )));
        }
    }
    for g in &args.grade {
        let Some((src, grade)) = g.split_once('=') else {
            return Err(Failure::usage(format!(
                "--grade {g}: write SOURCE=GRADE, e.g. --grade nsc=C"
            )));
        };
        let Some(sid) = case.find_source(src.trim()) else {
            if lenient {
                continue;
            }
            let hint = did_you_mean(suggest(src, case.sources.iter().map(|s| s.id.as_str())));
            return Err(Failure::usage(format!(
                "--grade {g}: no source `{src}`{hint}"
            )));
        };
        let Some(grade) = Grade::parse(grade) else {
            return Err(Failure::usage(format!(
                "--grade {g}: `{grade}` is not an Admiralty grade (A–F)"
            )));
        };
        s.grades.insert(sid, Reliability::Grade(grade));
    }
    for r in &args.restate {
        let (claim, term) = claim_assignment("--restate", r, "d5=likely")?;
        let Some(id) = find_claim_for(case, "--restate", r, claim, lenient)? else {
            continue;
        };
        let read = crate::validate::read_likelihood(term)
            .map_err(|e| Failure::usage(format!("--restate {r}: {e}")))?;
        s.restated.insert(id, read);
    }
    for r in &args.confidence {
        let (claim, level) = claim_assignment("--confidence", r, "d5=high")?;
        let Some(id) = find_claim_for(case, "--confidence", r, claim, lenient)? else {
            continue;
        };
        let level = match level.trim().to_ascii_lowercase().as_str() {
            "low" => crate::terms::Confidence::Low,
            "moderate" => crate::terms::Confidence::Moderate,
            "high" => crate::terms::Confidence::High,
            _ => {
                return Err(Failure::usage(format!(
                    "--confidence {r}: `{level}` is not a confidence level (low, moderate, high)"
                )));
            }
        };
        s.confidences.insert(id, level);
    }
    if let Some(d) = &args.as_of {
        s.as_of = Some(Date::parse(d).map_err(|e| Failure::usage(format!("--as-of: {}", e.0)))?);
    }
    if let Some(p) = args.prior {
        if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
            return Err(Failure::usage(format!(
                "--prior {p}: a prior is a probability from 0 to 1"
            )));
        }
        s.prior = Some(p);
    }
    Ok(s)
}

/// Splits `CLAIM=VALUE`.
fn claim_assignment<'a>(
    flag: &str,
    text: &'a str,
    example: &str,
) -> Result<(&'a str, &'a str), Failure> {
    text.split_once('=')
        .map(|(c, v)| (c.trim(), v))
        .ok_or_else(|| {
            Failure::usage(format!(
                "{flag} {text}: write CLAIM=VALUE, e.g. {flag} {example}"
            ))
        })
}

/// The claim a what-if names; `None` when `lenient` and this case lacks it.
fn find_claim_for(
    case: &Case,
    flag: &str,
    text: &str,
    claim: &str,
    lenient: bool,
) -> Result<Option<crate::model::ClaimId>, Failure> {
    match case.find_claim(claim) {
        Some(id) => Ok(Some(id)),
        None if lenient => Ok(None),
        None => {
            let hint = did_you_mean(suggest(claim, case.claims.iter().map(|c| c.id.as_str())));
            Err(Failure::usage(format!(
                "{flag} {text}: no claim has the id `{claim}`{hint}"
            )))
        }
    }
}

fn find_incident(case: &Case, name: Option<&str>) -> Result<Option<IncidentId>, Failure> {
    match name {
        None => Ok(None),
        Some(n) => case.find_incident(n).map(Some).ok_or_else(|| {
            let hint = did_you_mean(suggest(n, case.incidents.iter().map(|i| i.id.as_str())));
            Failure::usage(format!(
                "--incident {n}: no incident has this id, name or alias{hint}"
            ))
        }),
    }
}

fn find_actor(case: &Case, name: &str) -> Result<EntityId, Failure> {
    case.find_entity(name).ok_or_else(|| {
        let hint = did_you_mean(suggest(name, case.entities.iter().map(|e| e.id.as_str())));
        Failure::usage(format!(
            "--actor {name}: no actor or group has this id, name or alias{hint}"
        ))
    })
}

fn note_bundled(file: Option<&str>) {
    if file.is_none() {
        let _ = writeln!(
            io::stderr(),
            "note: no file given; using the bundled Albania 2022 case (graphs/albania-2022.ron)"
        );
    }
}

/// One assessed file: the report text, the `--fail-below` findings, where it was read from.
struct Assessed {
    text: String,
    below: Vec<String>,
    path: Option<PathBuf>,
}

/// Assesses one file (warnings, less the allowed ones, are an error under `--deny-warnings`).
fn assess_one(
    file: Option<&str>,
    args: &AssessArgs,
    lint: &many::Lint,
    colour: ColourWhen,
) -> Result<Assessed, Failure> {
    let stderr_col = stderr_colour(colour);
    let input = read_input(file)?;
    let loaded = load_input(&input, stderr_col)?;
    let warnings = lint.filter(loaded.warnings.clone());
    if lint.deny && !warnings.is_empty() {
        let text = load::text_of(&input.bytes).unwrap_or_default();
        return Err(Failure {
            exit: 2,
            message: format!(
                "{}{}: {} denied (--deny-warnings)",
                diagnostic::render(&warnings, &input.name, text, stderr_col),
                input.name,
                plural(warnings.len(), "warning")
            ),
        });
    }
    note_bundled(file);
    let case = &loaded.case;
    let scenario = scenario(case, &args.what_if)?;
    let only = find_incident(case, args.incident.as_deref())?;
    let threshold = args
        .fail_below
        .as_deref()
        .map(|t| parse_term("--fail-below", t))
        .transpose()?;
    let target = args
        .actor
        .as_deref()
        .map(|a| find_actor(case, a))
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
            args.output.is_none() && stdout_colour(colour),
        ),
        Format::Markdown => report::markdown::render(&engine, &assessment),
        Format::Json => report::json::render(&engine, &assessment, !args.no_sensitivity),
    };
    progress.finish();
    let mut below = Vec::new();
    if let (Some(term), Some(actor)) = (threshold, target) {
        let mut found = false;
        for ia in &assessment.incidents {
            if let Some(j) = ia.judgement(actor) {
                found = true;
                if j.term_rank() < term as i32 {
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
    }
    Ok(Assessed {
        text,
        below,
        path: input.path,
    })
}

fn explain(args: ExplainArgs, colour: ColourWhen) -> Result<ExitCode, Failure> {
    let input = read_input(args.file.as_deref())?;
    let loaded = load_input(&input, stderr_colour(colour))?;
    note_bundled(args.file.as_deref());
    let case = &loaded.case;
    let scenario = scenario(case, &args.what_if)?;
    let incident = match find_incident(case, args.incident.as_deref())? {
        Some(i) => i,
        None if case.incidents.len() == 1 => IncidentId(0),
        None => {
            let ids: Vec<&str> = case.incidents.iter().map(|i| i.id.as_str()).collect();
            return Err(Failure::usage(format!(
                "the case has {} incidents: name one with --incident ({})",
                ids.len(),
                ids.join(", ")
            )));
        }
    };
    let actor = find_actor(case, &args.actor)?;
    let engine = Engine::new(case, scenario);
    let assessed = assess_incident(&engine, incident, &[]);
    let judgement = match assessed.judgement(actor) {
        Some(j) => j.clone(),
        // Not a candidate: nothing bears on it, and the explanation says so.
        None => crate::assess::judgement_of(&engine, &assessed.result, actor),
    };
    let sens = sensitivity(&engine, &assessed, actor);
    let text = report::explain::render(&engine, &assessed, &judgement, &sens);
    write_output(None, None, escape::terminal::block(&text).as_bytes())
}

fn parse_term(flag: &str, t: &str) -> Result<IcdTerm, Failure> {
    IcdTerm::parse(t).ok_or_else(|| {
        let hint = did_you_mean(suggest(t, IcdTerm::spellings()));
        Failure::usage(format!("{flag} {t}: not an ICD 203 term{hint}"))
    })
}

fn dot(args: DotArgs, colour: bool) -> Result<ExitCode, Failure> {
    let input = read_input(args.file.as_deref())?;
    let loaded = load_input(&input, colour)?;
    let case = &loaded.case;
    let min = args
        .min
        .as_deref()
        .map(|t| parse_term("--min", t))
        .transpose()?
        .map(|t| t as i32);
    let engine = Engine::new(case, scenario(case, &args.what_if)?);
    let assessment = assess_all(&engine);
    let view = match args.view {
        ViewArg::Assessment => View::Assessment,
        ViewArg::Evidence => View::Evidence,
    };
    let mut figure = export::dot::figure(&engine, &assessment, view, min);
    if let Some(name) = &args.focus {
        let node = export::dot::focus_node(case, name).ok_or_else(|| {
            Failure::usage(format!(
                "--focus {name}: no incident, actor, group, source or claim has this id, name or alias"
            ))
        })?;
        figure = figure.focus(&node, args.depth).ok_or_else(|| {
            Failure::usage(
                format!("--focus {name}: not part of the {:?} view", args.view).to_lowercase(),
            )
        })?;
    }
    let text = export::dot::write(&figure);
    match args.render {
        None => write_output(
            args.output.as_deref(),
            input.path.as_deref(),
            text.as_bytes(),
        ),
        Some(format) => {
            let rendered = render_with_graphviz(&text, format)?;
            write_output(args.output.as_deref(), input.path.as_deref(), &rendered)
        }
    }
}

/// Runs the system Graphviz `dot`; its warnings go to our stderr as they are.
pub fn render_with_graphviz(dot_text: &str, format: RenderFormat) -> Result<Vec<u8>, Failure> {
    use std::process::{Command as Process, Stdio};
    let kind = match format {
        RenderFormat::Svg => "-Tsvg",
        RenderFormat::Png => "-Tpng",
        RenderFormat::Pdf => "-Tpdf",
    };
    let mut child = Process::new("dot")
        .arg(kind)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                Failure::usage(
                    "Graphviz's `dot` was not found on PATH, so --render cannot run. Install \
                     Graphviz (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install \
                     graphviz`), or leave out --render to write DOT.",
                )
            } else {
                Failure::usage(format!("cannot run Graphviz `dot`: {e}"))
            }
        })?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    let input = dot_text.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child
        .wait_with_output()
        .map_err(|e| Failure::usage(format!("Graphviz `dot` failed: {e}")))?;
    let _ = writer.join();
    if !out.stderr.is_empty() {
        let _ = io::stderr()
            .write_all(escape::terminal::block(&String::from_utf8_lossy(&out.stderr)).as_bytes());
    }
    if !out.status.success() {
        return Err(Failure::usage(format!(
            "Graphviz `dot` failed ({}); its messages are above",
            out.status
        )));
    }
    Ok(out.stdout)
}

fn output_syntax(output: Option<&Path>, default: Syntax) -> Syntax {
    output
        .and_then(|p| p.to_str())
        .filter(|p| *p != "-")
        .map_or(default, Syntax::from_path)
}

fn read_tables(paths: &[PathBuf]) -> Result<Vec<crate::stix::aliases::AliasTable>, Failure> {
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| {
                Failure::usage(format!("[E001] cannot read `{}`: {e}", p.display()))
            })?;
            let name = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            crate::stix::aliases::parse_table(&text, &name).map_err(Failure::usage)
        })
        .collect()
}

fn report_merge(merged: &crate::stix::aliases::Merged) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "aliases: {} added", merged.added.len());
    for c in &merged.conflicts {
        let _ = writeln!(
            err,
            "alias conflict: {}",
            escape::terminal::text(&c.to_string())
        );
    }
}

/// Checks a case attrib produced and writes it; a problem here is attrib's own, reported in full.
fn write_case(
    file: &crate::format::CaseFile,
    output: Option<&Path>,
    input: Option<&Path>,
    syntax: Syntax,
    colour: bool,
) -> Result<ExitCode, Failure> {
    let text = file.to_syntax(syntax);
    if let Err(diags) = load::load(&text, syntax) {
        return Err(Failure {
            exit: 2,
            message: render_with_summary(&diags, "<imported case>", &text, colour),
        });
    }
    write_output(output, input, text.as_bytes())
}

fn import_stix(args: ImportStixArgs, colour: bool) -> Result<ExitCode, Failure> {
    let input = read_input(Some(&args.bundle))?;
    let text = load::text_of(&input.bytes).map_err(|d| Failure {
        exit: 2,
        message: diagnostic::render(&[d], &input.name, "", colour),
    })?;
    let reliability = Grade::parse(&args.reliability).ok_or_else(|| {
        Failure::usage(format!(
            "--reliability {}: not an Admiralty grade (A–F)",
            args.reliability
        ))
    })?;
    let stem = Path::new(&input.name)
        .file_stem()
        .map_or_else(|| input.name.clone(), |s| s.to_string_lossy().into_owned());
    let options = crate::stix::import::ImportOptions {
        reliability,
        title: format!("Imported from {stem}"),
        confidence: confidence_reading(args.confidence),
    };
    let progress = Progress::start(input.bytes.len() >= LARGE_INPUT, "importing");
    let imported = crate::stix::import::import(text, &options);
    progress.finish();
    let mut imported = imported.map_err(|e| Failure::usage(format!("{}: {e}", input.name)))?;
    let tables = read_tables(&args.aliases)?;
    let merged =
        (!tables.is_empty()).then(|| crate::stix::aliases::merge(&mut imported.file, &tables));
    {
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
            escape::terminal::text(&input.name),
            escape::terminal::text(&join(&imported.imported))
        );
        let _ = writeln!(
            err,
            "skipped: {}",
            escape::terminal::text(&join(&imported.skipped))
        );
        for w in &imported.warnings {
            let _ = writeln!(err, "warning: {}", escape::terminal::text(w));
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
    if let Some(m) = &merged {
        report_merge(m);
    }
    imported.file.normalise();
    let syntax = output_syntax(args.output.as_deref(), Syntax::Ron);
    write_case(
        &imported.file,
        args.output.as_deref(),
        input.path.as_deref(),
        syntax,
        colour,
    )
}

fn import_aliases(args: ImportAliasesArgs, colour: bool) -> Result<ExitCode, Failure> {
    let input = read_input(Some(&args.case))?;
    let loaded = load_input(&input, colour)?;
    let tables = read_tables(&args.tables)?;
    let mut file = loaded.file;
    let merged = crate::stix::aliases::merge(&mut file, &tables);
    report_merge(&merged);
    file.normalise();
    let syntax = output_syntax(args.output.as_deref(), input.syntax);
    write_case(
        &file,
        args.output.as_deref(),
        input.path.as_deref(),
        syntax,
        colour,
    )
}

fn export_stix(args: ExportStixArgs, colour: bool) -> Result<ExitCode, Failure> {
    let input = read_input(args.file.as_deref())?;
    let loaded = load_input(&input, colour)?;
    let case = &loaded.case;
    let engine = Engine::new(case, Scenario::default());
    let assessment = assess_all(&engine);
    let text = crate::stix::export::export(
        &loaded.file,
        case,
        &engine,
        &assessment,
        &export_options(&args)?,
    );
    write_output(
        args.output.as_deref(),
        input.path.as_deref(),
        text.as_bytes(),
    )
}

fn taxii_server(
    url: &str,
    collection: &str,
    timeout: u64,
) -> Result<crate::stix::taxii::Server, Failure> {
    let authorization =
        crate::stix::taxii::authorization_from_env().map_err(|e| Failure::usage(e.to_string()))?;
    Ok(crate::stix::taxii::Server {
        api_root: url.to_string(),
        collection: collection.to_string(),
        authorization,
        timeout: std::time::Duration::from_secs(timeout.max(1)),
    })
}

/// `import taxii`: the collection's objects, imported as a bundle would be.
fn import_taxii(args: ImportTaxiiArgs, colour: bool) -> Result<ExitCode, Failure> {
    let server = taxii_server(&args.url, &args.collection, args.timeout)?;
    let objects = server
        .fetch_objects(args.added_after.as_deref())
        .map_err(|e| Failure {
            exit: 1,
            message: format!("error: {e}"),
        })?;
    let _ = writeln!(
        io::stderr().lock(),
        "{}: read {} from collection {}",
        args.url,
        plural(objects.len(), "object"),
        args.collection
    );
    let dir = tempfile::tempdir().map_err(|e| Failure::usage(format!("temporary file: {e}")))?;
    let path = dir.path().join(format!(
        "taxii-{}.json",
        crate::stix::slug(&args.collection)
    ));
    std::fs::write(&path, crate::stix::taxii::bundle_of(objects))
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    import_stix(
        ImportStixArgs {
            bundle: path.to_string_lossy().into_owned(),
            reliability: args.reliability,
            aliases: vec![],
            confidence: args.confidence,
            output: args.output,
        },
        colour,
    )
}

/// `export taxii`: the bundle `export stix` writes, added to a collection.
fn export_taxii(args: ExportTaxiiArgs, colour: bool) -> Result<ExitCode, Failure> {
    let server = taxii_server(&args.url, &args.collection, args.timeout)?;
    let input = read_input(args.file.as_deref())?;
    let loaded = load_input(&input, colour)?;
    let case = &loaded.case;
    let engine = Engine::new(case, Scenario::default());
    let assessment = assess_all(&engine);
    let options = export_options(&ExportStixArgs {
        file: None,
        tlp: args.tlp.clone(),
        output: None,
    })?;
    let text = crate::stix::export::export(&loaded.file, case, &engine, &assessment, &options);
    let objects = crate::stix::taxii::objects_to_send(&text);
    let sent = objects.len();
    let status = server.add_objects(objects).map_err(|e| Failure {
        exit: 1,
        message: format!("error: {e}"),
    })?;
    let count = |f: &str| {
        status
            .get(f)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0)
    };
    let _ = writeln!(
        io::stderr().lock(),
        "{}: sent {} to collection {}: {} stored, {} failed",
        args.url,
        plural(sent, "object"),
        args.collection,
        count("success_count"),
        count("failure_count")
    );
    if count("failure_count") > 0 {
        return Err(Failure {
            exit: 1,
            message: format!(
                "error: the server refused {} (status {})",
                plural(count("failure_count") as usize, "object"),
                status
                    .get("id")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("?")
            ),
        });
    }
    Ok(ExitCode::SUCCESS)
}

/// `import stix --confidence`.
fn confidence_reading(arg: ConfidenceArg) -> crate::stix::import::ConfidenceReading {
    match arg {
        ConfidenceArg::Probability => crate::stix::import::ConfidenceReading::Probability,
        ConfidenceArg::Strength => crate::stix::import::ConfidenceReading::Strength,
    }
}

/// `export stix --tlp`.
fn export_options(args: &ExportStixArgs) -> Result<crate::stix::export::ExportOptions, Failure> {
    let tlp_floor = match args.tlp.as_deref() {
        None => None,
        Some(t) => Some(crate::stix::markings::Tlp::parse(t).ok_or_else(|| {
            Failure::usage(format!(
                "--tlp {t}: not a TLP level (clear, green, amber, amber+strict, red)"
            ))
        })?),
    };
    Ok(crate::stix::export::ExportOptions { tlp_floor })
}

fn generate(args: GenerateArgs) -> Result<ExitCode, Failure> {
    let progress = Progress::start(args.claims >= LARGE_CLAIMS, "generating");
    let file = crate::generate::generate(args.claims, args.seed);
    progress.stage("writing");
    let syntax = output_syntax(args.output.as_deref(), Syntax::Ron);
    let text = file.to_syntax(syntax);
    progress.finish();
    write_output(args.output.as_deref(), None, text.as_bytes())
}

/// Inputs from this size on get a progress indicator (on a terminal only).
const LARGE_INPUT: usize = 8 << 20;
const LARGE_CLAIMS: usize = 100_000;

/// A spinner on stderr naming the stage of long work. It shows only when the work is large and
/// stderr is a terminal: never in pipes, files or CI logs.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    pub fn start(large: bool, stage: &str) -> Progress {
        if !large || !io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar.set_message(stage.to_string());
        Progress(Some(bar))
    }

    pub fn stage(&self, stage: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(stage.to_string());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// "; did you mean `x`?" when there is a close spelling, else nothing.
fn did_you_mean(candidate: Option<&str>) -> String {
    candidate
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}
