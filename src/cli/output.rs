//! Writing results: to standard output (a closed pipe is not an error) or to a file, atomically
//! through a temporary file and a rename, cleaned up on interrupt.

use super::Failure;
use attrib::format::Syntax;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output is written in pieces of this size: reports of large cases run to gigabytes, and a
/// write call per 8 KiB (the default) costs more system time than the writing.
const OUTPUT_BUFFER: usize = 1 << 20;

/// Writes `bytes` to `output` (atomically) or to stdout. A closed stdout pipe is not an error.
pub fn write_output(
    output: Option<&Path>,
    inputs: &[&Path],
    bytes: &[u8],
) -> Result<ExitCode, Failure> {
    write_with(output, inputs, |w| w.write_all(bytes))
}

/// A renderer's way out: `render` writes into a buffered writer on standard output, or on the
/// temporary file that becomes `output` once it is complete. Renderers stream; nothing here
/// holds the whole output. `inputs` are the files the command read, which are never written.
pub fn write_with(
    output: Option<&Path>,
    inputs: &[&Path],
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<ExitCode, Failure> {
    match output {
        None => write_stdout(render),
        Some(p) if is_stdout(p) => write_stdout(render),
        Some(path) => {
            write_atomic(path, inputs, render)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Whether an `-o` path writes to standard output: `-`, or a name of it ([`names_stdout`]).
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-") || names_stdout(path)
}

/// Whether `path` is a name of this process's standard output (`/dev/stdout`, `/dev/fd/1`,
/// `/proc/self/fd/1`): written through our own descriptor, so that output goes where the
/// shell's does, at the same offset, rather than into the file opened anew.
fn names_stdout(path: &Path) -> bool {
    ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|n| path == Path::new(n))
}

fn write_stdout(
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<ExitCode, Failure> {
    let stdout = io::stdout().lock();
    widen_pipe(&stdout);
    let mut out = io::BufWriter::with_capacity(OUTPUT_BUFFER, stdout);
    match render(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure::usage(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

/// The size [`widen_pipe`] asks for: what an unprivileged process may set
/// (`/proc/sys/fs/pipe-max-size` is 1 MiB by default) and the size of the output buffer.
#[cfg(target_os = "linux")]
const PIPE_SIZE: usize = OUTPUT_BUFFER;

/// When standard output is a pipe, widens it from the kernel's 64 KiB to [`PIPE_SIZE`]: a
/// report of gigabytes piped into `jq` or `gzip` crosses it in sixteen times fewer wake-ups of
/// writer and reader, which halves the kernel time spent on the pipe. Never narrows a pipe,
/// and a refusal (not a pipe, a lower limit) leaves it as it is.
#[cfg(target_os = "linux")]
fn widen_pipe(out: &impl std::os::fd::AsFd) {
    if rustix::pipe::fcntl_getpipe_size(out).is_ok_and(|size| size < PIPE_SIZE) {
        let _ = rustix::pipe::fcntl_setpipe_size(out, PIPE_SIZE);
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_pipe<T>(_: &T) {}

/// Refuses an output that cannot or must not be written: one of the files the command reads
/// (through any path or link: what would be written is read from it), a file made read-only,
/// a directory, or a name in a directory that does not exist. Called before the work as well
/// as at the write, so that a command neither reports what it did nor works for minutes
/// before refusing. Standard output, devices and pipes pass.
pub fn refuse_unwritable(output: Option<&Path>, inputs: &[&Path]) -> Result<(), Failure> {
    let Some(output) = output.filter(|p| !is_stdout(p)) else {
        return Ok(());
    };
    if let Some(input) = inputs.iter().find(|i| same_file(output, i)) {
        return Err(Failure::usage(format!(
            "refusing to overwrite the input file `{}`; choose another output with -o",
            input.display()
        )));
    }
    let cannot =
        |why: String| Failure::usage(format!("cannot write `{}`: {why}", output.display()));
    let resolved = link_target(output).map_err(|e| cannot(e.to_string()))?;
    if is_special(output) || is_special(&resolved) {
        return Ok(());
    }
    match std::fs::metadata(&resolved) {
        Ok(m) if m.is_dir() => {
            return Err(cannot("it is a directory; name a file in it".to_string()));
        }
        Ok(m) if !m.is_file() => return Ok(()),
        Ok(m) if m.permissions().readonly() => {
            return Err(cannot(
                "the file is read-only; make it writable (chmod u+w) or choose another output"
                    .to_string(),
            ));
        }
        // Writable by its mode, but not by this user (another's file in a directory anyone
        // may write to): replacing it by a rename would take it from its owner. Opening it to
        // write, without truncating, asks the system whether this user may; nothing changes.
        Ok(_) => {
            if let Err(e) = std::fs::OpenOptions::new().write(true).open(&resolved)
                && e.kind() == std::io::ErrorKind::PermissionDenied
            {
                return Err(cannot(
                    "this user may not write the file (it is another's); choose another output"
                        .to_string(),
                ));
            }
        }
        _ => {}
    }
    // `out/` names a directory whatever follows.
    if output.as_os_str().to_string_lossy().ends_with('/') {
        return Err(cannot(
            "it names a directory (it ends in `/`); name a file".to_string(),
        ));
    }
    let dir = match resolved.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(cannot(format!("`{}` is not a directory", dir.display()))),
        Err(_) => Err(cannot(format!("there is no directory `{}`", dir.display()))),
    }
}

/// Anything under /dev or /proc: written into, never replaced (see [`write_atomic`]).
fn is_special(p: &Path) -> bool {
    p.starts_with("/dev") || p.starts_with("/proc")
}

/// Writes a file through a temporary file in the same directory and a rename, so a reader never
/// sees half a file and a failure leaves the old one intact. Refuses what
/// [`refuse_unwritable`] refuses.
///
/// The temporary file is named after its target and the writing process
/// (`.report.md.attrib-1234-a1B2c3`): an interrupt (Ctrl-C, SIGTERM, SIGHUP) removes it through
/// [`interrupts`], and one left by a killed process is removed by the next write to the same
/// target once that process is gone.
pub fn write_atomic(
    path: &Path,
    inputs: &[&Path],
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    refuse_unwritable(Some(path), inputs)?;
    let fail = |e: io::Error| {
        // The handler removed the temporary file: the process ends by the signal, not here.
        interrupts::end_if_interrupted();
        Failure::usage(format!("cannot write `{}`: {e}", path.display()))
    };
    // A device, a pipe or a socket (`-o /dev/null`, a FIFO) is written into: renaming a file
    // over it would replace the device node or the pipe with a regular file. So is anything
    // under /dev or /proc (`-o /dev/stdout` leads through /proc/self/fd/1 to whatever the
    // shell opened, perhaps a regular file it is appending to).
    let resolved = link_target(path).map_err(fail)?;
    if is_special(path)
        || is_special(&resolved)
        || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
    {
        // Appending: through /dev/stdout the file is opened anew, at its start, while the
        // shell's own writes go on at its end.
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(fail)?;
        let mut buffered = io::BufWriter::with_capacity(OUTPUT_BUFFER, file);
        return match render(&mut buffered).and_then(|()| buffered.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            done => done.map_err(fail),
        };
    }
    // A symbolic link stays a link: the file it points to is the one replaced.
    let path = resolved.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let target = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = format!(".{target}.attrib-");
    remove_stale_temporaries(&dir, &stem);
    let prefix = format!("{stem}{}-", std::process::id());
    let builder = temporary_file_builder(path, &prefix);
    let _guard = interrupts::Pending::new(&dir, &prefix);
    let mut tmp = interrupts::creating(|| builder.tempfile_in(&dir)).map_err(|e| {
        // The temporary file is ours: the message names the directory, not its name.
        let why = match std::fs::metadata(&dir) {
            Err(_) => format!("there is no directory `{}`", dir.display()),
            Ok(m) if !m.is_dir() => format!("`{}` is not a directory", dir.display()),
            Ok(_) => io::Error::from(e.kind()).to_string(),
        };
        Failure::usage(format!("cannot write `{}`: {why}", path.display()))
    })?;
    {
        let mut buffered = io::BufWriter::with_capacity(OUTPUT_BUFFER, tmp.as_file_mut());
        render(&mut buffered)
            .and_then(|()| buffered.flush())
            .map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The temporary file's builder: named `prefix…`, with the permissions of the file at `path`
/// when there is one, else ordinary ones (rw-r--r-- on Unix), rather than the private mode of
/// a temporary file.
fn temporary_file_builder<'p>(path: &Path, prefix: &'p str) -> tempfile::Builder<'p, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
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
    builder
}

/// Where `path` leads through symbolic links, whether or not the last one exists; `path`
/// itself when it is no link. More than 40 links (the kernel's limit, and any loop) is an
/// error, as writing through them would be.
fn link_target(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(target) if target.is_absolute() => p = target,
            Ok(target) => {
                p = p
                    .parent()
                    .map_or_else(|| target.clone(), |d| d.join(&target));
            }
            Err(_) => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
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

/// Cleaning up after an interrupt: the temporary files about to be written are registered, by
/// directory and name prefix, before they exist, and on SIGINT, SIGTERM or SIGHUP every file
/// with that prefix is removed before the process dies by the signal it received (so that a
/// shell stops a loop on Ctrl-C and reports 128 + its number: 130, 143, 129; elsewhere than
/// on Unix, it exits with 130). Registering the prefix first, and creating the file
/// ([`creating`]) while the handler cannot look, leaves no moment at which a temporary file
/// exists that the handler does not find.
pub mod interrupts {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Mutex, Once};

    /// (directory, prefix) of each temporary file being written.
    static PENDING: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    static INSTALL: Once = Once::new();
    /// Held while a temporary file is created, and by the handler while it removes them.
    static CREATING: Mutex<()> = Mutex::new(());
    /// A signal came: the process is about to end by it.
    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    /// Runs `create` (the temporary file's creation) where the handler does not remove files
    /// meanwhile: it removes them after, finding the new one too.
    pub fn creating<T>(create: impl FnOnce() -> T) -> T {
        let _held = CREATING.lock();
        create()
    }

    /// Waits for the end a signal brings, when one came: a write that failed because the
    /// handler removed its temporary file is no failure to report (nor to exit 2 for) before
    /// the process ends by the signal.
    pub fn end_if_interrupted() {
        while INTERRUPTED.load(Ordering::SeqCst) {
            std::thread::park();
        }
    }

    /// Temporary files `dir/prefix*` registered for removal on interrupt while this guard lives.
    pub struct Pending(PathBuf, String);

    impl Pending {
        pub fn new(dir: &Path, prefix: &str) -> Pending {
            // If a handler cannot be installed, the next run's stale-file sweep cleans up.
            INSTALL.call_once(install);
            if let Ok(mut pending) = PENDING.lock() {
                pending.push((dir.to_path_buf(), prefix.to_string()));
            }
            Pending(dir.to_path_buf(), prefix.to_string())
        }
    }

    fn remove_pending() {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let _no_file_created = CREATING.lock();
        if let Ok(pending) = PENDING.lock() {
            for (dir, prefix) in pending.iter() {
                remove_matching(dir, prefix);
            }
        }
    }

    /// A thread waits for the signals (the files are removed outside the signal handler, where
    /// locks and the file system may be used), then lets the signal's default action end the
    /// process. The thread registers them itself, and `install` returns once it has: a
    /// thread that could not be started registers none (a signal then ends the process at
    /// once, and the next run's sweep removes the file), where signals registered for a
    /// thread that never ran would be ignored.
    #[cfg(unix)]
    fn install() {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        // A signal ignored when the process started stays ignored: `nohup` ignores SIGHUP, a
        // shell ignores SIGINT in the commands it runs in the background.
        let ignored = ignored_signals();
        let caught: Vec<i32> = ([SIGINT, SIGTERM, SIGHUP].into_iter())
            .filter(|&s| ignored & (1 << (s - 1)) == 0)
            .collect();
        let (registered, wait) = std::sync::mpsc::channel();
        let started = std::thread::Builder::new()
            .name("interrupts".into())
            .spawn(move || {
                let signals = signal_hook::iterator::Signals::new(caught);
                let _ = registered.send(());
                let Ok(mut signals) = signals else {
                    return;
                };
                if let Some(signal) = signals.forever().next() {
                    remove_pending();
                    // Resets the default action and raises the signal again: the process
                    // ends as if it had never been caught.
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
        if started.is_ok() {
            let _ = wait.recv();
        }
    }

    /// The signals this process ignores, as a mask (bit `n - 1` for signal `n`), from
    /// `/proc/self/status` (Linux; up to 128 signals); none where it cannot be read, so that
    /// elsewhere every one of the three is caught, ignored at start or not.
    #[cfg(unix)]
    fn ignored_signals() -> u128 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        (status.lines())
            .find_map(|l| l.strip_prefix("SigIgn:"))
            .and_then(|mask| u128::from_str_radix(mask.trim(), 16).ok())
            .unwrap_or(0)
    }

    #[cfg(not(unix))]
    fn install() {
        let _ = ctrlc::set_handler(|| {
            remove_pending();
            std::process::exit(130);
        });
    }

    fn remove_matching(dir: &Path, prefix: &str) {
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

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub fn output_syntax(output: Option<&Path>, default: Syntax) -> Syntax {
    output
        .and_then(|p| p.to_str())
        .filter(|p| *p != "-")
        .map_or(default, Syntax::from_path)
}

/// What a command writes into its output file, for [`refuse_misnamed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A case in RON.
    Ron,
    /// JSON: a case, a report or a STIX bundle.
    Json,
    /// Markdown.
    Markdown,
    /// One HTML file.
    Html,
    /// Plain text for a terminal (the table).
    Text,
    /// Graphviz's DOT language.
    Dot,
    /// A man page, in roff.
    Man,
}

impl Written {
    fn words(self) -> &'static str {
        match self {
            Written::Ron => "a case in RON",
            Written::Json => "JSON",
            Written::Markdown => "Markdown",
            Written::Html => "HTML",
            Written::Text => "text",
            Written::Dot => "DOT text",
            Written::Man => "a man page (roff)",
        }
    }

    /// The extension to name its file with.
    fn extension(self) -> &'static str {
        match self {
            Written::Ron => "ron",
            Written::Json => "json",
            Written::Markdown => "md",
            Written::Html => "html",
            Written::Text => "txt",
            Written::Dot => "dot",
            Written::Man => "1",
        }
    }
}

/// The extensions of compressed files and archives: attrib writes none, so the name under the
/// extension is the one to give (`attrib.1.gz` → `attrib.1`), compressed after.
const COMPRESSED: [&str; 7] = ["gz", "bz2", "xz", "zst", "zip", "tar", "tgz"];

/// Whether `path` is named as a compressed file or an archive ([`COMPRESSED`]).
fn compressed(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSED.contains(&e.to_ascii_lowercase().as_str()))
}

/// What a file's extension says it holds, for the extensions of formats people keep cases,
/// reports and figures in; `None` for any other (no extension, `.out`, `.log`: anything may go).
fn named_as(path: &Path) -> Option<(Option<Written>, &'static str)> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "ron" => (Some(Written::Ron), "a RON case"),
        "json" => (Some(Written::Json), "JSON"),
        "md" | "markdown" => (Some(Written::Markdown), "Markdown"),
        "html" | "htm" => (Some(Written::Html), "HTML"),
        "txt" | "text" => (Some(Written::Text), "text"),
        "dot" | "gv" => (Some(Written::Dot), "a DOT diagram"),
        "1" | "man" | "roff" => (Some(Written::Man), "a man page"),
        "svg" | "png" | "pdf" | "jpg" | "jpeg" | "gif" | "webp" => (None, "an image or PDF"),
        "yaml" | "yml" | "toml" | "csv" | "tsv" | "xml" => (None, "another format"),
        "doc" | "docx" | "odt" | "rtf" | "xls" | "xlsx" | "ods" | "ppt" | "pptx" | "odp" => {
            (None, "an office document")
        }
        e if COMPRESSED.contains(&e) => (None, "a compressed file"),
        _ => return None,
    })
}

/// An output file named for another format than the one written (`-o case.ron` for JSON,
/// `-o report.pdf` for HTML) is refused before any work: the file would hold what its name
/// denies, and a case of that name would be overwritten by something that is no case.
/// `options` says, for each other format the command can write, the option that writes it
/// (`(Written::Json, "--to json")`). A name without a known extension is left alone.
pub fn refuse_misnamed(
    output: Option<&Path>,
    written: Written,
    options: &[(Written, &str)],
) -> Result<(), Failure> {
    let Some(path) = output.filter(|p| !is_stdout(p)) else {
        return Ok(());
    };
    let Some((named, what)) = named_as(path) else {
        return Ok(());
    };
    if named == Some(written) {
        return Ok(());
    }
    let stem = path
        .file_stem()
        .map_or_else(|| "out".into(), |s| s.to_string_lossy().into_owned());
    let how = options
        .iter()
        .find(|(w, _)| Some(*w) == named)
        .map_or_else(String::new, |(_, option)| format!(", or choose `{option}`"));
    let pdf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let how = if pdf && written == Written::Html {
        format!("{how} (a browser prints the HTML to PDF)")
    } else if compressed(path) {
        format!("{how}, and compress it after")
    } else {
        how
    };
    // `attrib.1.gz`: the name under the compression's is already the right one.
    let under = Path::new(&stem);
    let name = if under
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(written.extension()))
    {
        stem.clone()
    } else if named_as(under).is_some() {
        // `x.json.gz` for RON: `x.ron`, not `x.json.ron`.
        under
            .with_extension(written.extension())
            .to_string_lossy()
            .into_owned()
    } else {
        format!("{stem}.{}", written.extension())
    };
    // In the directory the name was given in (`cases/x.json`, not `x.json`).
    let name = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.join(&name).display().to_string(),
        None => name,
    };
    Err(Failure::usage(format!(
        "-o {}: the name says {what}, but this writes {}; name it `{name}`{how}",
        path.display(),
        written.words(),
    )))
}

/// [`refuse_misnamed`] for a command that writes a case, in JSON when its name ends in
/// `.json` and in RON otherwise: a name of another known format (`case.yaml`, `case.md`) is
/// refused.
pub fn refuse_misnamed_case(output: Option<&Path>) -> Result<(), Failure> {
    // Under a compression's extension, the name under it says the syntax meant
    // (`case.json.gz`: JSON, to be named `case.json`).
    let under = output
        .filter(|p| compressed(p))
        .and_then(Path::file_stem)
        .map(Path::new);
    let written = match output_syntax(under.or(output), Syntax::Ron) {
        Syntax::Json => Written::Json,
        Syntax::Ron => Written::Ron,
    };
    refuse_misnamed(output, written, &[])
}

/// [`refuse_misnamed`] for a report written as a table, Markdown or JSON (`assess`, `diff`).
pub fn refuse_misnamed_report(output: Option<&Path>, written: Written) -> Result<(), Failure> {
    refuse_misnamed(
        output,
        written,
        &[
            (Written::Json, "--format json"),
            (Written::Markdown, "--format markdown"),
            (Written::Text, "--format table"),
        ],
    )
}
