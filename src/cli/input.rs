//! Reading a case: a file, standard input or the bundled case, then loading and validating it
//! with every diagnostic rendered; and the spinner that long stages show on a terminal.

use super::Failure;
use super::args::{BUNDLED_CASE, BUNDLED_NAME, LintArgs};
use attrib::diagnostic::{self, Diagnostic};
use attrib::escape;
use attrib::format::CaseFile;
use attrib::format::Syntax;
use attrib::load::{self, Loaded, LoadedCase};
use attrib::report::plural;
use std::borrow::Cow;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

/// An evidence file's bytes and where they came from.
pub struct Input {
    pub name: String,
    pub path: Option<PathBuf>,
    /// The file standard input was redirected from (`- < case.ron`), which no output may
    /// overwrite either.
    pub stdin_file: Option<PathBuf>,
    /// The file's text; after [`load_input`], a large file's bytes are there only when some
    /// diagnostic needs them (see there).
    pub bytes: Vec<u8>,
    /// How many bytes were read.
    pub size: usize,
    pub syntax: Syntax,
    /// The command that shows the case's warnings where `attrib check NAME` would not read it
    /// (a version read from git: `git show REV:./PATH | attrib check -`).
    pub check: Option<String>,
}

impl Input {
    /// The file read, if it was one: what an output must not overwrite.
    pub fn paths(&self) -> Vec<&std::path::Path> {
        self.path
            .iter()
            .chain(&self.stdin_file)
            .map(PathBuf::as_path)
            .collect()
    }
}

/// What a read expects, named when the path is a directory.
pub const EVIDENCE_FILE: &str = "an evidence file (.ron or .json)";
/// An alias table, named when its path is a directory.
pub const ALIAS_TABLE: &str = "an alias table (.json)";
/// A STIX bundle, named when its path is a directory.
pub const STIX_BUNDLE: &str = "a STIX 2.1 bundle (.json)";

/// Reads `file`: a path, `-` for stdin, or the bundled case when absent.
pub fn read_input(file: Option<&str>) -> Result<Input, Failure> {
    read_input_of(file, EVIDENCE_FILE)
}

/// Reads `file`, as [`read_input`], naming `what` it should be when it is a directory.
pub fn read_input_of(file: Option<&str>, what: &str) -> Result<Input, Failure> {
    match file {
        None => Ok(Input {
            name: BUNDLED_NAME.to_string(),
            path: None,
            stdin_file: None,
            check: None,
            bytes: BUNDLED_CASE.as_bytes().to_vec(),
            size: BUNDLED_CASE.len(),
            syntax: Syntax::Ron,
        }),
        Some("-") => {
            let bytes = read_stream(io::stdin().lock(), "standard input")?;
            Ok(Input {
                name: "<stdin>".to_string(),
                path: None,
                stdin_file: stdin_file(),
                check: None,
                size: bytes.len(),
                syntax: Syntax::sniff(&bytes),
                bytes,
            })
        }
        Some(path) => {
            let p = PathBuf::from(path);
            if p.is_dir() {
                return Err(Failure::unreadable(format!(
                    "cannot read `{}`: it is a directory; give {what}",
                    escape::terminal::text(path)
                )));
            }
            let unreadable = |e: io::Error| {
                let hint = match e.kind() {
                    io::ErrorKind::NotFound => missing_hint(&p),
                    _ => String::new(),
                };
                Failure::unreadable(format!(
                    "cannot read `{}`: {e}{hint}",
                    escape::terminal::text(path)
                ))
            };
            let file = std::fs::File::open(&p).map_err(unreadable)?;
            let meta = file.metadata().map_err(unreadable)?;
            let bytes = if meta.is_file() {
                if meta.len() > MAX_INPUT {
                    return Err(too_large(&escape::terminal::text(path)));
                }
                read_file(file, meta.len()).map_err(unreadable)?
            } else {
                // A pipe, a process substitution or a device: read as standard input is.
                read_stream(file, &format!("`{}`", escape::terminal::text(path)))?
            };
            // By its extension; a name with neither (`/dev/stdin`, a process substitution,
            // `case.txt`) by its content, as standard input.
            let syntax = Syntax::of_extension(path).unwrap_or_else(|| Syntax::sniff(&bytes));
            Ok(Input {
                // Shown in messages: a file name can carry escape sequences too.
                name: escape::terminal::text(path).into_owned(),
                syntax,
                path: Some(p),
                stdin_file: None,
                check: None,
                size: bytes.len(),
                bytes,
            })
        }
    }
}

/// Standard input can be read once: more than one `-` among `paths` (a case and a table, two
/// tables) is refused before any is read, where the second would otherwise read nothing and
/// be called empty.
pub fn refuse_stdin_twice<'a>(
    paths: impl IntoIterator<Item = &'a std::path::Path>,
) -> Result<(), Failure> {
    let dashes = paths.into_iter().filter(|p| p.as_os_str() == "-").count();
    if dashes > 1 {
        return Err(Failure::usage(format!(
            "standard input (`-`) can be read only once, and `-` is given {dashes} times: \
             give all but one as files"
        )));
    }
    Ok(())
}

/// The file standard input is redirected from, where the system names it through
/// `/dev/stdin` (Linux links it to the file); none for a pipe or a terminal.
pub fn stdin_file() -> Option<PathBuf> {
    let stdin = std::path::Path::new("/dev/stdin");
    std::fs::metadata(stdin)
        .is_ok_and(|m| m.is_file())
        .then(|| std::fs::canonicalize(stdin).ok())
        .flatten()
}

/// The largest input read: twice the generated case of ten million claims (3.7 GB of JSON),
/// which takes about 8 GB to check. A larger input would exhaust the memory of most machines
/// before any message could be given.
const MAX_INPUT: u64 = 8 << 30;

fn too_large(what: &str) -> Failure {
    Failure::unreadable(format!(
        "cannot read {what}: it is larger than {} GiB, the most attrib reads of one case; \
         split the case into several files",
        MAX_INPUT >> 30
    ))
}

/// Reads a regular file of `len` bytes, all of it unless its first block holds a NUL byte:
/// then no more than that block, as [`read_stream`] reads, so that a large binary file (a disk
/// image, a file of zeros among the cases of a directory) is refused at once rather than held
/// in memory first. Memory for the whole is asked for before it is read: a file larger than
/// the memory left is refused with a message, not an abort.
fn read_file(mut file: std::fs::File, len: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    (&mut file).take(FIRST_BLOCK).read_to_end(&mut bytes)?;
    if memchr::memchr(0, &bytes).is_some() {
        return Ok(bytes);
    }
    let rest = usize::try_from(len)
        .unwrap_or(usize::MAX)
        .saturating_sub(bytes.len());
    bytes
        .try_reserve_exact(rest)
        .map_err(|_| out_of_memory(len))?;
    // A file that grows while it is read stops at the cap, as a stream does.
    (&mut file)
        .take(MAX_INPUT + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(io::Error::other(format!(
            "it grew past {} GiB while it was read",
            MAX_INPUT >> 30
        )));
    }
    Ok(bytes)
}

/// How much of a file is read before the rest is: the first block, in which a binary file
/// shows itself.
const FIRST_BLOCK: u64 = 1 << 20;

fn out_of_memory(len: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::OutOfMemory,
        format!("its {len} bytes do not fit in the memory this process may use"),
    )
}

/// Reads a stream (standard input, a pipe, a device) to its end, in blocks, stopping after
/// the block that holds its first NUL byte (no evidence file, RON or JSON, holds one, and
/// `/dev/zero` holds nothing else: the loader says what the bytes are, UTF-16 text or a
/// binary file) or beyond [`MAX_INPUT`], so that no input that never ends is read until memory
/// runs out.
fn read_stream(mut stream: impl Read, what: &str) -> Result<Vec<u8>, Failure> {
    let cannot = |e: io::Error| Failure::unreadable(format!("cannot read {what}: {e}"));
    let mut bytes = Vec::new();
    let mut block = vec![0; 1 << 20];
    loop {
        let n = match stream.read(&mut block) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(cannot(e)),
        };
        if (bytes.len() + n) as u64 > MAX_INPUT {
            return Err(too_large(what));
        }
        if bytes.try_reserve(n).is_err() {
            return Err(Failure::unreadable(format!(
                "cannot read {what}: more than its first {} bytes do not fit in the memory \
                 this process may use",
                bytes.len()
            )));
        }
        bytes.extend_from_slice(&block[..n]);
        if memchr::memchr(0, &block[..n]).is_some() {
            return Ok(bytes);
        }
    }
}

/// What to say of a file that is not there: the file of its directory its name is likely a
/// misspelling of (`notpetya.rom` → `notpetya.ron`), else what the directory holds when it
/// is missing too.
fn missing_hint(path: &std::path::Path) -> String {
    // A link whose target is gone: the name is right, the link is broken.
    if let Ok(target) = std::fs::read_link(path) {
        return format!(
            " (it is a link to `{}`, which does not exist)",
            escape::terminal::text(&target.to_string_lossy())
        );
    }
    let shown = |p: &std::path::Path| {
        format!(
            " (did you mean `{}`?)",
            escape::terminal::text(&p.to_string_lossy())
        )
    };
    let here = path.parent().is_none_or(|d| d.as_os_str().is_empty());
    // A bundled case named from the repository's root without its folder.
    let bundled = std::path::Path::new("graphs").join(path);
    if here && bundled.is_file() {
        return shown(&bundled);
    }
    let dir = match path.parent() {
        Some(d) if !here => d,
        _ => std::path::Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return format!(
            " (there is no directory `{}`)",
            escape::terminal::text(&dir.to_string_lossy())
        );
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let wrong = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    match diagnostic::suggest(&wrong, names.iter().map(String::as_str)) {
        Some(name) if here => shown(std::path::Path::new(name)),
        Some(name) => shown(&dir.join(name)),
        None => String::new(),
    }
}

/// Loads and validates an input; on failure, renders every diagnostic.
///
/// A large file read from a path is let go of once parsed: validation builds the model beside
/// the parsed file, and the bytes too would make the peak of a case of 10^7 claims 3.7 GB
/// higher. The text is needed again only to show diagnostics, so it is read again from the
/// path when validation reports any (`input.bytes` holds it then, as for every other input).
/// The warnings of the codes `--allow` names are left out of the note ([`note_warnings`]), of
/// the report of a file that fails and of what is returned; under `--deny-warnings`, those left
/// make the file fail ([`linted`]).
pub fn load_input(input: &mut Input, colour: bool, lint: &LintArgs) -> Result<Loaded, Failure> {
    let allow = &lint.warnings.allow;
    let mut loaded = load_with(input, colour, allow, load::validated, |l| &l.warnings)?;
    loaded.warnings = linted(input, loaded.warnings, lint, colour)?;
    note_warnings(input, &loaded.warnings);
    Ok(loaded)
}

/// As [`load_input`], for a command that needs the case alone: the parsed file's text is moved
/// into the case rather than copied ([`load::validated_case`]).
pub fn load_case(input: &mut Input, colour: bool, lint: &LintArgs) -> Result<LoadedCase, Failure> {
    let mut loaded = load_case_allowing(input, colour, &lint.warnings.allow)?;
    loaded.warnings = linted(input, loaded.warnings, lint, colour)?;
    note_warnings(input, &loaded.warnings);
    Ok(loaded)
}

/// The warnings that count, those whose code `--allow` does not name; under
/// `--deny-warnings`, any of them fail the file, shown as `check` shows them, so that a report,
/// a diagram or a bundle is never made from a case whose warnings CI denies.
fn linted(
    input: &Input,
    warnings: Vec<Diagnostic>,
    lint: &LintArgs,
    colour: bool,
) -> Result<Vec<Diagnostic>, Failure> {
    let warnings = super::files::counted(lint, warnings);
    if !lint.deny_warnings || warnings.is_empty() {
        return Ok(warnings);
    }
    // A file that warns keeps its bytes through loading (see `load_input`).
    let text = diagnostic::diagnosed_text(&input.bytes);
    Err(Failure {
        exit: 2,
        message: format!(
            "{}{}",
            diagnostic::render(&warnings, &input.name, &text, colour),
            super::files::denied(&input.name, warnings.len())
        ),
    })
}

/// Says on stderr, in one line, that a case loaded with warnings, which only `check` shows:
/// a warning can be a slip that changes the judgements (a family's name misspelt on one
/// source, so that one line of evidence counts as two), and a report made from the case
/// should not be shipped with it unread. [`load_input`] and [`load_case`] say it, of the
/// warnings [`linted`] leaves.
pub fn note_warnings(input: &Input, warnings: &[Diagnostic]) {
    if warnings.is_empty() {
        return;
    }
    let mut codes: Vec<&str> = warnings.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let command = match (&input.check, &input.path, input.name.as_str()) {
        (Some(check), ..) => check.clone(),
        (None, Some(_), name) => format!("attrib check {}", shell_word(name)),
        (None, None, BUNDLED_NAME) => "attrib check".to_string(),
        (None, None, _) => "attrib check -".to_string(),
    };
    let _ = writeln!(
        io::stderr(),
        "note: {}: {} not shown ({}); `{command}` shows {}",
        input.name,
        plural(warnings.len(), "warning"),
        codes.join(", "),
        if warnings.len() == 1 { "it" } else { "them" },
    );
}

/// `word` as a shell reads it back: as it is when it holds nothing a shell gives a meaning to,
/// in single quotes otherwise.
pub fn shell_word(word: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./+,:@%=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(format!("'{}'", word.replace('\'', r"'\''")))
    }
}

/// As [`load_case`], with the warnings of the `allow`ed codes left out of the report of a
/// file that fails (a file that loads returns its warnings for the caller to filter).
fn load_case_allowing(
    input: &mut Input,
    colour: bool,
    allow: &[diagnostic::Code],
) -> Result<LoadedCase, Failure> {
    load_with(input, colour, allow, load::validated_case, |l| &l.warnings)
}

/// As [`load_case_allowing`], for `check`: the case's counts and warnings, not the case.
pub fn check_case_allowing(
    input: &mut Input,
    colour: bool,
    allow: &[diagnostic::Code],
) -> Result<load::Checked, Failure> {
    load_with(input, colour, allow, load::checked, |c| &c.warnings)
}

/// Loads the input through `validated` (the case with its file, or the case alone);
/// `warnings` reads the warnings of what it returns. A case that does not load is a failure
/// with every diagnostic rendered.
fn load_with<T>(
    input: &mut Input,
    colour: bool,
    allow: &[diagnostic::Code],
    validated: impl FnOnce(CaseFile) -> Result<T, Vec<Diagnostic>>,
    warnings: impl Fn(&T) -> &[Diagnostic],
) -> Result<T, Failure> {
    load_diagnosed(input, allow, validated, warnings).map_err(|r| {
        let text = diagnostic::diagnosed_text(&input.bytes);
        let mut message = diagnostic::render(&r.diagnostics, &input.name, &text, colour);
        message.push_str(&summary(&r.diagnostics, &input.name, r.allowed));
        Failure { exit: 2, message }
    })
}

/// Why a case did not load: its diagnostics, less the warnings `--allow` silenced, and how
/// many those were.
pub struct Rejected {
    pub diagnostics: Vec<Diagnostic>,
    pub allowed: usize,
}

/// As [`check_case_allowing`], with the diagnostics of a case that does not load returned
/// rather than rendered (placed in `diagnostic::diagnosed_text` of `input.bytes`), for
/// `check --format json`.
pub fn check_case_diagnosed(
    input: &mut Input,
    allow: &[diagnostic::Code],
) -> Result<load::Checked, Rejected> {
    load_diagnosed(input, allow, load::checked, |c| &c.warnings)
}

/// Loads the input through `validated`, with the progress spinner of a large input.
fn load_diagnosed<T>(
    input: &mut Input,
    allow: &[diagnostic::Code],
    validated: impl FnOnce(CaseFile) -> Result<T, Vec<Diagnostic>>,
    warnings: impl Fn(&T) -> &[Diagnostic],
) -> Result<T, Rejected> {
    let _progress = Progress::start(input.size >= LARGE_INPUT, "reading and checking");
    let rejected = |d| Rejected {
        diagnostics: vec![d],
        allowed: 0,
    };
    let text = load::text_of(&input.bytes).map_err(rejected)?;
    let file = load::parse(text, input.syntax).map_err(rejected)?;
    let reread = input.path.is_some() && input.size >= LARGE_INPUT;
    if reread {
        input.bytes = Vec::new();
    }
    let result = validated(file);
    let shown = match &result {
        Ok(loaded) => !warnings(loaded).is_empty(),
        Err(_) => true,
    };
    if reread
        && shown
        && let Some(path) = &input.path
    {
        // Unreadable now: the diagnostics are shown without their excerpts.
        input.bytes = std::fs::read(path).unwrap_or_default();
    }
    result.map_err(|mut diagnostics| {
        let all = diagnostics.len();
        diagnostics.retain(|d| d.is_error() || !allow.contains(&d.code));
        Rejected {
            allowed: all - diagnostics.len(),
            diagnostics,
        }
    })
}

pub fn render_with_summary(diags: &[Diagnostic], name: &str, text: &str, colour: bool) -> String {
    let mut out = diagnostic::render(diags, name, text, colour);
    out.push_str(&summary(diags, name, 0));
    out
}

/// The last line under a file's diagnostics: `case.ron: 1 error and 2 warnings`, with the
/// warnings `--allow` silenced counted as `check`'s summary of a valid file counts them
/// (`1 error and 0 warnings (8 allowed)`), so that "0 warnings" is not read as none.
fn summary(diags: &[Diagnostic], name: &str, allowed: usize) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let allowed = match allowed {
        0 => String::new(),
        n => format!(" ({n} allowed)"),
    };
    format!(
        "{name}: {} and {}{allowed}\n",
        plural(errors, "error"),
        plural(diags.len() - errors, "warning")
    )
}

/// Says on stderr that the bundled case is used, when no file was given.
pub fn note_bundled(file: Option<&str>) {
    if file.is_none() {
        let _ = writeln!(
            io::stderr(),
            "note: no file given; using the bundled Albania 2022 case (graphs/albania-2022.ron)"
        );
    }
}

/// Inputs from this size on get a progress indicator (on a terminal only).
pub const LARGE_INPUT: usize = 8 << 20;
pub const LARGE_CLAIMS: usize = 100_000;

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

    /// Writes a line (a warning) on stderr, above the spinner rather than across it.
    pub fn say(&self, line: &str) {
        let say = || {
            let _ = writeln!(io::stderr(), "{line}");
        };
        match &self.0 {
            Some(bar) => bar.suspend(say),
            None => say(),
        }
    }
}

/// A command that stops on an error clears its spinner before the message is printed.
impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
