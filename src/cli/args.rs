//! The command line's grammar: every command, argument and value, as clap definitions.
//!
//! Values are parsed here, by `value_parser`s, into the library's own types (`Grade`,
//! `IcdTerm`, `Date`, `Tlp`): a handler never sees a string it still has to interpret. Names
//! that need the case to resolve (ids, names, aliases) stay strings until
//! [`super::resolve`].

use crate::cli::output::Written;
use attrib::date::Date;
use attrib::diagnostic::{Code, Severity, did_you_mean};
use attrib::format::Likelihood;
use attrib::stix::markings::Tlp;
use attrib::terms::{Confidence, Grade, IcdTerm};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum, ValueHint};
use std::path::PathBuf;

/// The Albania 2022 case, embedded so that `attrib assess` works with no file at hand.
pub const BUNDLED_CASE: &str = include_str!("../../graphs/albania-2022.ron");
/// The name the bundled case is reported under.
pub const BUNDLED_NAME: &str = "graphs/albania-2022.ron (bundled)";

const EXAMPLES: &str = "\
Examples:
  attrib check graphs/albania-2022.ron
  attrib assess
  attrib explain graphs/albania-2022.ron --incident albania-2022 --actor iran
  attrib dot --render svg -o albania.svg

Exit codes: 0 success; 1 a --fail-below threshold not met, or a judgement moved under diff \
--fail-on-change; 2 invalid input or usage, or something attrib needed failed (a file it \
could not write, Graphviz, a TAXII server).

Environment: NO_COLOR, CLICOLOR and CLICOLOR_FORCE (colour, with --color auto); \
ATTRIB_TAXII_TOKEN, or ATTRIB_TAXII_USER and ATTRIB_TAXII_PASSWORD (TAXII credentials); \
ATTRIB_GRAPHVIZ_TIMEOUT (seconds Graphviz may take over a report's diagram, 60 by default).";

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
                            attrib check cases/ --deny-warnings --allow W104\n  \
                            attrib check cases/ --format json | jq '.files[] | select(.ok | not)'\n\nExit codes: 0 \
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
    /// Write a report to ship: one self-contained HTML file (or Markdown) with judgements,
    /// citations, the diagram, the ACH matrix and the timeline.
    #[command(
        after_help = "Examples:\n  attrib report graphs/albania-2022.ron -o report.html\n  \
                            attrib report graphs/tutorial.ron -o report.md\n  \
                            attrib report --without nsc --as-of 2022-09-30 -o what-if.html\n\n\
                            The HTML report embeds diagrams drawn by Graphviz's `dot`; without \
                            Graphviz it is still written, with a note in place of each diagram. \
                            Print it to PDF from any browser (docs/report.md)."
    )]
    Report(ReportArgs),
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
    /// Print the man page (roff), generated from these definitions: attrib's, or a command's.
    #[command(
        after_help = "Examples:\n  attrib man > attrib.1 && man ./attrib.1\n  \
                            attrib man import stix -o attrib-import-stix.1"
    )]
    Man {
        /// The command whose page to print (`assess`, `import stix`): the pages the main
        /// page lists as attrib-assess(1), attrib-import-stix(1).
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
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
    /// Output format: text (diagnostics on stderr with excerpts, a summary per file on
    /// stdout), json (one document on stdout, `attrib-check/1`: every file's diagnostics with
    /// line, column and byte offsets; docs/format.md) or sarif (a SARIF 2.1.0 log on stdout,
    /// for GitHub code scanning and other viewers).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// The name standard input (`-`) goes by in what `check` reports: an editor that checks
    /// an unsaved buffer passes the file's path, and the diagnostics, the JSON document's
    /// `file` and SARIF's URI name that file rather than `<stdin>`.
    #[arg(long, value_name = "NAME", value_hint = ValueHint::FilePath,
          value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub stdin_name: Option<String>,
    #[command(flatten)]
    pub lint: LintArgs,
}

/// `attrib check`'s formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with excerpts, for a person.
    Text,
    /// `attrib-check/1`, for a script, an editor or CI.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other viewers of static analysis results.
    Sarif,
}

/// How warnings count, for every command that reads a case: `check` shows them and the others
/// note them in a line, unless `--allow` silences their codes; `--deny-warnings` makes those
/// left fail the file.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Treat warnings as errors (exit 2), e.g. in CI.
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub warnings: AllowArgs,
}

/// Warning codes to silence, for every command that reads a case: the others say in a note
/// that the case has warnings (`attrib check` shows them), and an analyst who has read them
/// can silence the note code by code, as `check` silences the warnings.
#[derive(Debug, Clone, Args)]
pub struct AllowArgs {
    /// Silence a warning code, e.g. `--allow W102` (repeatable).
    #[arg(long = "allow", value_name = "CODE", value_parser = Completed::new(warning_code, warning_codes), hide_possible_values = true)]
    pub allow: Vec<Code>,
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
    #[command(flatten)]
    pub lint: LintArgs,
}

/// What-if changes shared by `assess`, `explain`, `dot`, `diff` and `report`.
#[derive(Debug, Args)]
pub struct WhatIfArgs {
    /// Set aside a claim, a whole source, or a whole line of evidence (a source `family`), by
    /// id (repeatable).
    #[arg(long = "without", value_name = "ID", value_hint = ValueHint::Other)]
    pub without: Vec<String>,
    /// Re-grade a source, e.g. `--grade nsc=C`, or every source of a line of evidence by its
    /// `family` name (`family:NAME` when a source has that id too; a source's own `--grade`
    /// goes first) (repeatable).
    #[arg(long = "grade", value_name = "SOURCE=GRADE", value_parser = regrade, value_hint = ValueHint::Other)]
    pub grade: Vec<Regrade>,
    /// Only claims made by this date (YYYY-MM-DD, YYYY-MM or YYYY: a claim dated by month or
    /// year counts from its last day): what could be concluded then.
    #[arg(long, value_name = "DATE", value_parser = date, value_hint = ValueHint::Other)]
    pub as_of: Option<Date>,
    /// Base rate of every hypothesis, overriding the case's priors.
    #[arg(long, value_name = "P", value_parser = prior, value_hint = ValueHint::Other)]
    pub prior: Option<f64>,
    /// Read a claim at another likelihood, on any scale the file accepts, e.g.
    /// `--restate 'd5=Icd("very likely")'`, `d5=likely`, `d5=0.9` (repeatable).
    #[arg(long = "restate", value_name = "CLAIM=LIKELIHOOD", value_parser = restate, value_hint = ValueHint::Other)]
    pub restate: Vec<Restate>,
    /// Read a claim at another stated confidence: `--confidence d5=high` (low, moderate,
    /// high; repeatable).
    #[arg(long = "confidence", value_name = "CLAIM=LEVEL", value_parser = reconfidence, value_hint = ValueHint::Other)]
    pub confidence: Vec<Reconfidence>,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Evidence files (`-` for stdin) and directories (every .ron and .json in them, in path
    /// order). Default: the bundled Albania 2022 case.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, value_parser = FormatParser)]
    pub format: Format,
    /// Only this incident (id, name or alias).
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub incident: Option<String>,
    /// Leave the sensitivity tables out of --format json, and the ACH matrix out of --format
    /// markdown (they grow with the square of an incident's claims; for bulk cases).
    #[arg(long)]
    pub no_sensitivity: bool,
    /// Exit 1 when the hypothesis named by --actor is below this ICD 203 term on any incident
    /// it is judged on (on the one --incident names, when given). An actor no claim bears on,
    /// or that rests on insufficient evidence, is below every term.
    #[arg(long, value_name = "TERM", requires = "actor", value_parser = Completed::new(term, terms), hide_possible_values = true)]
    pub fail_below: Option<IcdTerm>,
    /// The actor or group --fail-below tests (alone it would do nothing: it does not filter
    /// the report).
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub actor: Option<String>,
    /// Fit the table to this many columns, 20 or more, wrapping cells and notes at spaces
    /// (0: no limit). Default: the terminal's width when writing to one; a file or a pipe gets
    /// the table as wide as its content.
    #[arg(long, value_name = "COLUMNS", allow_negative_numbers = true, value_parser = columns, value_hint = ValueHint::Other)]
    pub width: Option<usize>,
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
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub incident: Option<String>,
    /// The actor or group whose responsibility is explained (left out: the error lists the
    /// hypotheses the case judges).
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub actor: Option<String>,
    /// Wrap the explanation to this many columns, 20 or more (0: no limit). Default: the
    /// terminal's width when writing to one.
    #[arg(long, value_name = "COLUMNS", allow_negative_numbers = true, value_parser = columns, value_hint = ValueHint::Other)]
    pub width: Option<usize>,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Args)]
pub struct DotArgs {
    /// Evidence file (`-` for stdin). Default: the bundled Albania 2022 case.
    pub file: Option<String>,
    /// Which diagram.
    #[arg(long, value_enum, default_value_t = ViewArg::Assessment)]
    pub view: ViewArg,
    /// Leave out hypotheses below this ICD 203 term (and those with insufficient evidence).
    #[arg(long, value_name = "TERM", value_parser = Completed::new(term, terms), hide_possible_values = true)]
    pub min: Option<IcdTerm>,
    /// Only this incident (id, name or alias): its hypotheses, or in the evidence view its
    /// claims, their sources and the links up from the actors they name.
    #[arg(long, value_name = "ID", conflicts_with_all = ["focus", "depth"], value_hint = ValueHint::Other)]
    pub incident: Option<String>,
    /// Keep only the neighbourhood of this incident, actor, group, source or claim.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub focus: Option<String>,
    /// How many hops around --focus to keep (in the evidence view a claim is a node between
    /// its incident and the actor it names: 2 reaches an incident's actors).
    #[arg(long, value_name = "N", default_value_t = 2, allow_negative_numbers = true, value_parser = hops, value_hint = ValueHint::Other)]
    pub depth: usize,
    /// Render through Graphviz instead of writing DOT (default: by the extension of -o, when
    /// it is .svg, .png or .pdf).
    #[arg(long, value_enum)]
    pub render: Option<RenderFormat>,
    /// Lay the diagram out for this paper size (rank direction, wrapped names, scaled to fit
    /// within 15 mm margins); needs Graphviz to measure it.
    #[arg(long, value_enum, value_name = "PAPER")]
    pub page: Option<PaperArg>,
    /// With --page: turn the page sideways.
    #[arg(long, requires = "page")]
    pub landscape: bool,
    /// How much legend: full, compact (the default with --page) or none.
    #[arg(long, value_enum)]
    pub legend: Option<LegendArg>,
    /// Output file (default: standard output). Written atomically; never the input file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW: case files, `-` (one of them), `REV:PATH`, or `:PATH` (the version staged
    /// for the next commit). The arguments git gives an external diff command are read too.
    #[arg(required = true, num_args = 2..=9, value_names = ["OLD", "NEW"])]
    pub files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// A hypothesis whose likelihood word and confidence stay the same counts as moved only
    /// when its P moves by more than this.
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.005,
        allow_negative_numbers = true,
        value_hint = ValueHint::Other
    )]
    pub min_delta: f64,
    /// Only the judgements on this incident (id, name or alias, in either version); the
    /// changes listed are still every change.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub incident: Option<String>,
    /// Exit 1 when any judgement moved, appeared or disappeared (for CI in a case repository).
    #[arg(long)]
    pub fail_on_change: bool,
    /// Fit the table to this many columns, 20 or more, wrapping cells and notes at spaces
    /// (0: no limit). Default: the terminal's width when writing to one; a file or a pipe gets
    /// the table as wide as its content.
    #[arg(long, value_name = "COLUMNS", allow_negative_numbers = true, value_parser = columns, value_hint = ValueHint::Other)]
    pub width: Option<usize>,
    /// Output file (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    /// ISO A4 (210 × 297 mm).
    A4,
    /// US Letter (8.5 × 11 in).
    Letter,
    /// ISO A3 (297 × 420 mm).
    A3,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LegendArg {
    /// Every style and node shape.
    Full,
    /// Colours and line styles in two rows.
    Compact,
    /// No legend.
    None,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Evidence file (`-` for stdin). Default: the bundled Albania 2022 case.
    pub file: Option<String>,
    /// Output format; by default HTML, or Markdown when --output ends in `.md`.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Only this incident (id, name or alias).
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub incident: Option<String>,
    /// Paper the HTML report's diagrams are laid out for.
    #[arg(long, value_enum, value_name = "PAPER", default_value_t = PaperArg::A4)]
    pub page: PaperArg,
    /// Output file (default: standard output). Written atomically; never the input file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file: inline SVG, no script, printable.
    Html,
    /// Markdown with footnote citations.
    Markdown,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of claims (1 to 20,000,000).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = claim_count, value_hint = ValueHint::Other)]
    pub claims: usize,
    /// Random seed.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = seed, value_hint = ValueHint::Other)]
    pub seed: u64,
    /// Output file (.ron or .json; default: RON on standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// The most claims `generate` makes: 2·10^7 is a 7 GB JSON file, twice the largest case the
/// performance targets measure; more would only exhaust memory.
pub const MAX_GENERATED_CLAIMS: usize = 20_000_000;

pub fn claim_count(text: &str) -> Result<usize, String> {
    let n: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of claims: 1 to {MAX_GENERATED_CLAIMS}"))?;
    match n {
        0 => Err("a case needs at least 1 claim".to_string()),
        1..=MAX_GENERATED_CLAIMS => Ok(n),
        _ => Err(format!(
            "{n} claims is more than {MAX_GENERATED_CLAIMS}; larger cases exhaust memory before they are written"
        )),
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
                            graphs/albania-2022.ron\n\nCredentials come from ATTRIB_TAXII_TOKEN \
                            (bearer) or ATTRIB_TAXII_USER and ATTRIB_TAXII_PASSWORD (basic); see \
                            docs/stix.md.")]
    Taxii(ExportTaxiiArgs),
}

#[derive(Debug, Args)]
pub struct ImportTaxiiArgs {
    /// TAXII 2.1 API root URL.
    #[arg(value_hint = ValueHint::Url)]
    pub url: String,
    /// Collection id.
    #[arg(long, value_hint = ValueHint::Other)]
    pub collection: String,
    /// Only objects added after this timestamp (e.g. 2024-01-01T00:00:00Z).
    #[arg(long, value_name = "TIMESTAMP", value_hint = ValueHint::Other)]
    pub added_after: Option<String>,
    /// Seconds to wait for each answer (1 to 86400).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400), value_hint = ValueHint::Other)]
    pub timeout: u64,
    /// Verify the server's certificate against the authorities in this PEM file alone, not
    /// the system's store (a private authority's, as `curl --cacert` takes it).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Reliability (Admiralty A–F) of the sources the objects name.
    #[arg(long, default_value = "C", value_parser = grade, value_hint = ValueHint::Other)]
    pub reliability: Grade,
    /// How STIX `confidence` is read (see `import stix`).
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Probability)]
    pub confidence: ConfidenceArg,
    /// Of a collection holding several of attrib's cases, the one to read: its `id`, or the
    /// title of one published without an id.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub case: Option<String>,
    /// Output case (.ron or .json; default: RON on standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportTaxiiArgs {
    /// TAXII 2.1 API root URL.
    #[arg(value_hint = ValueHint::Url)]
    pub url: String,
    /// Collection id.
    #[arg(long, value_hint = ValueHint::Other)]
    pub collection: String,
    /// Evidence file (`-` for stdin). Default: the bundled Albania 2022 case.
    pub file: Option<String>,
    /// Mark every object at least this restrictively (see `export stix`).
    #[arg(long, value_name = "LEVEL", value_parser = tlp, value_hint = ValueHint::Other)]
    pub tlp: Option<Tlp>,
    /// Seconds to wait for each answer, and for the server to process the objects (1 to
    /// 86400).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400), value_hint = ValueHint::Other)]
    pub timeout: u64,
    /// Verify the server's certificate against the authorities in this PEM file alone, not
    /// the system's store (a private authority's, as `curl --cacert` takes it).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Args)]
pub struct ImportStixArgs {
    /// STIX 2.1 bundle (JSON; `-` for stdin).
    pub bundle: String,
    /// Reliability (Admiralty A–F) of the sources the bundle names.
    #[arg(long, default_value = "C", value_parser = grade, value_hint = ValueHint::Other)]
    pub reliability: Grade,
    /// Alias tables to merge into the imported case (repeatable).
    #[arg(long = "aliases", value_name = "TABLE")]
    pub aliases: Vec<PathBuf>,
    /// How STIX `confidence` is read: `probability` (the STIX 2.1 normative reading, below 50
    /// is evidence against) or `strength` (how strongly the assertion is made, never against).
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Probability)]
    pub confidence: ConfidenceArg,
    /// Of a bundle holding several of attrib's cases, the one to read: its `id`, or the title
    /// of one published without an id.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub case: Option<String>,
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
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Args)]
pub struct ExportStixArgs {
    /// Evidence file (`-` for stdin). Default: the bundled Albania 2022 case.
    pub file: Option<String>,
    /// Mark every object at least this restrictively (TLP 2.0: clear, green, amber,
    /// amber+strict, red).
    #[arg(long, value_name = "LEVEL", value_parser = tlp, value_hint = ValueHint::Other)]
    pub tlp: Option<Tlp>,
    /// Output bundle (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lint: LintArgs,
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

/// `assess --format`: the formats of [`Format`], and for `html`, which the HTML report
/// writes, the command that writes it.
#[derive(Clone)]
struct FormatParser;

impl clap::builder::TypedValueParser for FormatParser {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        if value.eq_ignore_ascii_case("html") {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                "assess writes a table, Markdown or JSON (--format table, markdown, json); the \
                 HTML report is written by `attrib report FILE -o report.html`\n",
            )
            .with_cmd(cmd));
        }
        clap::builder::EnumValueParser::<Format>::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

impl Format {
    /// What this format writes into an output file.
    pub fn written(self) -> Written {
        match self {
            Format::Table => Written::Text,
            Format::Markdown => Written::Markdown,
            Format::Json => Written::Json,
        }
    }
}

impl DiffFormat {
    /// What this format writes into an output file.
    pub fn written(self) -> Written {
        match self {
            DiffFormat::Table => Written::Text,
            DiffFormat::Markdown => Written::Markdown,
            DiffFormat::Json => Written::Json,
        }
    }
}

/// `attrib diff`'s formats: its JSON is `attrib-diff/1` (docs/diff.md), not an assessment's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Aligned table for the terminal.
    Table,
    /// Markdown for a review or a pull request.
    Markdown,
    /// Stable JSON, `attrib-diff/1` (docs/diff.md): every change, each move with its parts.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyntaxArg {
    Json,
    Ron,
}

/// `--grade SOURCE=GRADE`: a source (resolved against the case later) and its new grade.
#[derive(Debug, Clone)]
pub struct Regrade {
    pub source: String,
    pub grade: Grade,
}

fn regrade(text: &str) -> Result<Regrade, String> {
    let (source, g) = text
        .split_once('=')
        .ok_or_else(|| "write SOURCE=GRADE, e.g. --grade nsc=C".to_string())?;
    let source = source.trim();
    Ok(Regrade {
        source: source.to_string(),
        grade: Grade::parse(g).ok_or_else(|| not_a_grade(source, g))?,
    })
}

/// Why `g` is no grade for `--grade`; an Admiralty code (`B2`) is the source's letter and its
/// information's digit, and the digit is a claim's, not the source's.
fn not_a_grade(source: &str, g: &str) -> String {
    let mut why = format!("`{g}` is not an Admiralty grade (A–F)");
    if let [letter @ (b'A'..=b'F' | b'a'..=b'f'), digit @ b'1'..=b'6'] = g.trim().as_bytes() {
        let (letter, digit) = (char::from(*letter).to_ascii_uppercase(), char::from(*digit));
        why.push_str(&format!(
            ": the source's reliability is the letter (`--grade {source}={letter}`); the digit \
             grades the information of a claim (`--restate CLAIM='Admiralty({digit})'`)"
        ));
    }
    why
}

/// `--restate CLAIM=LIKELIHOOD`: a claim (resolved against the case later) and the likelihood
/// it is read at, with the probability that likelihood stands for.
#[derive(Debug, Clone)]
pub struct Restate {
    pub claim: String,
    pub likelihood: Likelihood,
    pub p: Option<f64>,
}

/// `--confidence CLAIM=LEVEL`: a claim (resolved later) and the confidence it is read at.
#[derive(Debug, Clone)]
pub struct Reconfidence {
    pub claim: String,
    pub level: Confidence,
}

/// Splits `CLAIM=VALUE`.
fn claim_assignment<'a>(
    flag: &str,
    text: &'a str,
    example: &str,
) -> Result<(&'a str, &'a str), String> {
    text.split_once('=')
        .map(|(c, v)| (c.trim(), v))
        .ok_or_else(|| format!("write CLAIM=VALUE, e.g. {flag} {example}"))
}

fn restate(text: &str) -> Result<Restate, String> {
    let (claim, value) = claim_assignment("--restate", text, "d5=likely")?;
    let (likelihood, p) = attrib::read_likelihood(value)?;
    Ok(Restate {
        claim: claim.to_string(),
        likelihood,
        p,
    })
}

fn reconfidence(text: &str) -> Result<Reconfidence, String> {
    let (claim, level) = claim_assignment("--confidence", text, "d5=high")?;
    let level = match level.trim().to_ascii_lowercase().as_str() {
        "low" => Confidence::Low,
        "moderate" => Confidence::Moderate,
        "high" => Confidence::High,
        _ => {
            let levels = ["low", "moderate", "high"];
            return Err(format!(
                "`{level}` is not a confidence level (low, moderate, high){}",
                attrib::diagnostic::did_you_mean(level.trim(), levels.into_iter())
            ));
        }
    };
    Ok(Reconfidence {
        claim: claim.to_string(),
        level,
    })
}

/// A value read by `parse`, whose every value is one of `values`: shell completions offer
/// them (`--min very<TAB>`), while a value outside them is still told what is wrong by
/// `parse` (a PHIA term named as one, a near spelling suggested), which clap's own list of
/// possible values would only reject.
#[derive(Clone)]
struct Completed<T> {
    parse: fn(&str) -> Result<T, String>,
    values: fn() -> Vec<&'static str>,
}

impl<T> Completed<T> {
    fn new(parse: fn(&str) -> Result<T, String>, values: fn() -> Vec<&'static str>) -> Self {
        Completed { parse, values }
    }
}

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Completed<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.values)()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

/// ICD 203's terms as a shell completes them: a word each, hyphens for spaces (bash splits
/// a completion at its spaces); [`term`] reads them as the terms.
const TERMS_HYPHENATED: [&str; 7] = [
    "almost-no-chance",
    "very-unlikely",
    "unlikely",
    "roughly-even-chance",
    "likely",
    "very-likely",
    "almost-certain",
];

/// ICD 203's terms, for completion.
fn terms() -> Vec<&'static str> {
    TERMS_HYPHENATED.to_vec()
}

/// The warning codes, for completion.
fn warning_codes() -> Vec<&'static str> {
    (Code::ALL.iter())
        .filter(|c| c.severity() == Severity::Warning)
        .map(|c| c.as_str())
        .collect()
}

/// `--allow CODE`: a warning code; errors cannot be allowed.
fn warning_code(text: &str) -> Result<Code, String> {
    let wanted = text.trim().to_ascii_uppercase();
    match Code::ALL.iter().find(|c| c.as_str() == wanted) {
        Some(c) if c.severity() == Severity::Warning => Ok(*c),
        Some(_) => Err(format!(
            "{wanted} is an error, and errors cannot be allowed"
        )),
        None => {
            let warnings = warning_codes();
            Err(format!(
                "no such warning code (warnings: {}; docs/format.md lists them)",
                warnings.join(", ")
            ))
        }
    }
}

fn grade(text: &str) -> Result<Grade, String> {
    Grade::parse(text).ok_or_else(|| "not an Admiralty grade (A–F)".to_string())
}

/// `--width`: a whole number of columns (a negative one is said to be one, not taken for an
/// option), 0 for no limit or at least the narrowest width attrib lays text out in: a
/// narrower one asked for would be widened without a word.
fn columns(text: &str) -> Result<usize, String> {
    let narrowest = attrib::report::fit::NARROWEST;
    match text.trim().parse() {
        Ok(n) if n == 0 || n >= narrowest => Ok(n),
        Ok(_) => Err(format!(
            "attrib lays text out in {narrowest} columns or more: give a width of {narrowest} \
             or more (0: no limit)"
        )),
        Err(_) => Err("a width is a whole number of columns, 0 or more (0: no limit)".to_string()),
    }
}

/// `--seed`: any whole number from 0.
fn seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("a seed is a whole number from 0 to {}", u64::MAX))
}

/// `--depth`: a whole number of hops.
fn hops(text: &str) -> Result<usize, String> {
    text.trim()
        .parse()
        .map_err(|_| "a depth is a whole number of hops, 0 or more".to_string())
}

fn term(text: &str) -> Result<IcdTerm, String> {
    // `very-likely` as a shell completes it (`TERMS_HYPHENATED`), `very_likely` alike.
    let spaced = text.replace(['-', '_'], " ");
    IcdTerm::parse(&spaced).ok_or_else(|| {
        // A PHIA term (`highly likely`) is read on ICD 203's scale: its band's term.
        match attrib::terms::phia_probability(&spaced) {
            Some(p) => format!(
                "`{}` is a PHIA term; judgements are worded in ICD 203 terms (PHIA's probability \
                 {p} is ICD 203 `{}`)",
                text.trim(),
                IcdTerm::from_probability(p).word()
            ),
            None => format!(
                "not an ICD 203 term ({}){}",
                IcdTerm::words().collect::<Vec<_>>().join(", "),
                did_you_mean(&spaced, IcdTerm::spellings())
            ),
        }
    })
}

fn date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|e| e.0)
}

fn prior(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if p.is_finite() && (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err("a prior is a probability from 0 to 1".to_string()),
    }
}

fn tlp(text: &str) -> Result<Tlp, String> {
    Tlp::parse(text)
        .ok_or_else(|| "not a TLP level (clear, green, amber, amber+strict, red)".to_string())
}

/// Commands whose options are easily given to their sibling: `export stix --collection` means
/// `export taxii`, `export taxii -o` means `export stix`. Clap alone answers "unexpected
/// argument" and offers `-- --collection`, which would make it a file name. Each entry is the
/// command given, its sibling, and the tip naming the sibling: given an option the sibling
/// takes (read from the sibling's own definition) or one of [`TAXII_GUESSES`] when the
/// sibling is a TAXII command.
const SIBLINGS: [(&str, &str, &str, &str); 4] = [
    (
        "export",
        "stix",
        "taxii",
        "to add the case to a TAXII collection, use `attrib export taxii URL --collection ID [FILE]`",
    ),
    (
        "import",
        "stix",
        "taxii",
        "to read a TAXII collection, use `attrib import taxii URL --collection ID -o CASE`",
    ),
    (
        "export",
        "taxii",
        "stix",
        "to write a bundle to a file, use `attrib export stix [FILE] -o BUNDLE`; `export taxii` sends it to the server",
    ),
    (
        "import",
        "taxii",
        "stix",
        "to merge alias tables, run `attrib import aliases CASE TABLE... -o MERGED` on the imported case",
    ),
];

/// Options no command has that someone reaching for a TAXII server tries.
const TAXII_GUESSES: [&str; 3] = ["--taxii", "--url", "--server"];

/// Whether `command` takes `option` (`--long` or `-s`).
fn takes(command: &clap::Command, option: &str) -> bool {
    command.get_arguments().any(|a| {
        a.get_long()
            .is_some_and(|l| option.strip_prefix("--") == Some(l))
            || a.get_short()
                .is_some_and(|c| option.strip_prefix('-') == Some(&*c.to_string()))
    })
}

/// Replaces clap's tip on an unexpected argument that belongs to a sibling command (see
/// [`SIBLINGS`]); any other error is returned as it was.
pub fn with_sibling_tip(error: clap::Error, argv: &[std::ffi::OsString]) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::UnknownArgument {
        return error;
    }
    let Some(ContextValue::String(given)) = error.get(ContextKind::InvalidArg) else {
        return error;
    };
    // `--collection=x` is reported whole; the option is the part before `=`.
    let option = given.split('=').next().unwrap_or(given).to_owned();
    // The command is the first two words after the global options (`--color WHEN`): later
    // ones may be files named `export` and `stix`.
    let words: Vec<std::borrow::Cow<'_, str>> =
        argv.iter().skip(1).map(|a| a.to_string_lossy()).collect();
    let mut at = 0;
    while let Some(word) = words.get(at).filter(|w| w.starts_with('-')) {
        at += if word.as_ref() == "--color" { 2 } else { 1 };
    }
    let command = words.get(at..at + 2);
    let mut root = Cli::command();
    root.build();
    let sibling =
        |verb: &str, kind: &str| (root.find_subcommand(verb)).and_then(|c| c.find_subcommand(kind));
    let Some((verb, kind, _, tip)) = SIBLINGS.iter().find(|(verb, kind, other, _)| {
        command.is_some_and(|c| c[0] == *verb && c[1] == *kind)
            && (sibling(verb, other).is_some_and(|c| takes(c, &option))
                || (*other == "taxii" && TAXII_GUESSES.contains(&option.as_str())))
    }) else {
        return error;
    };
    // A fresh error, not the one clap made: its "a similar argument exists" would offer an
    // unrelated option of this command, and its usage line names that option as required;
    // clap has no way to take a context out.
    let mut tipped = clap::Error::new(ErrorKind::UnknownArgument).with_cmd(&root);
    if let Some(value) = error.get(ContextKind::InvalidArg) {
        tipped.insert(ContextKind::InvalidArg, value.clone());
    }
    let command = (root.find_subcommand_mut(verb)).and_then(|c| c.find_subcommand_mut(kind));
    if let Some(command) = command {
        tipped.insert(
            ContextKind::Usage,
            ContextValue::StyledStr(command.render_usage()),
        );
    }
    let tip = clap::builder::StyledStr::from(tip.to_string());
    tipped.insert(ContextKind::Suggested, ContextValue::StyledStrs(vec![tip]));
    tipped
}
