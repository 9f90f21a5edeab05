//! `attrib diff`: reading two versions (files, standard input, git revisions) and printing
//! their judgement diff. The comparison itself is [`attrib::diff`].

use crate::cli::args::{DiffArgs, DiffFormat, LintArgs, WhatIfArgs};
use crate::cli::input::{Input, load_input, read_input, shell_word};
use crate::cli::output::{refuse_unwritable, write_output, write_with};
use crate::cli::{Failure, resolve};
use attrib::escape;
use attrib::format::Syntax;
use attrib::load::Loaded;
use attrib::model::Case;
use attrib::report;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode};

/// Both versions loaded, `--deny-warnings` judging the new one alone: a revision that mends
/// the old one's warnings is what a CI job diffing a branch against main wants to pass.
fn load_versions(
    (old, new): (&mut Input, &mut Input),
    lint: &LintArgs,
    colour: bool,
) -> Result<(Loaded, Loaded), Failure> {
    let old_lint = LintArgs {
        deny_warnings: false,
        warnings: lint.warnings.clone(),
    };
    Ok((
        load_input(old, colour, &old_lint)?,
        load_input(new, colour, lint)?,
    ))
}

/// `attrib diff OLD NEW`: which judgements moved and why; exit 1 with `--fail-on-change` when
/// one did.
pub fn run(args: DiffArgs, colour: bool) -> Result<ExitCode, Failure> {
    crate::cli::output::refuse_misnamed_report(args.output.as_deref(), args.format.written())?;
    let Sides {
        old_spec,
        new_spec,
        old_name,
        new_name,
        git_path,
    } = sides(&args.files)?;
    check_min_delta(args.min_delta)?;
    if let Some((_, path)) = git_path
        && let Some(msg) = one_sided(path, (old_spec, new_spec), &args.files)
    {
        return write_output(None, &[], msg.as_bytes());
    }
    let mut old = read_version(old_spec)?;
    let mut new = read_version(new_spec)?;
    // Neither version is written over, and an output that cannot be written is refused before
    // both are assessed.
    let read: Vec<PathBuf> = (old.paths().into_iter().chain(new.paths()))
        .map(Path::to_path_buf)
        .collect();
    let inputs: Vec<&Path> = read.iter().map(PathBuf::as_path).collect();
    refuse_unwritable(args.output.as_deref(), &inputs)?;
    if let Some(paths) = git_path {
        as_git_driver(
            (&mut old, &mut new),
            paths,
            (&old_name, &new_name),
            &args.files,
        );
    }
    let driver_path = git_path.map(|(_, new)| new);
    let why = match args.lint.deny_warnings {
        true => "a version does not load, or warns under --deny-warnings",
        false => "a version does not load",
    };
    let loaded = load_versions((&mut old, &mut new), &args.lint, colour);
    let (old_loaded, new_loaded) = match compared(loaded, driver_path, why)? {
        Ok(loaded) => loaded,
        Err(not_compared) => return Ok(not_compared),
    };
    let why = "an option of the driver's command does not apply to these versions";
    let applies = options_apply(&args, &old_loaded, &new_loaded);
    let incident = match compared(applies, driver_path, why)? {
        Ok(incident) => incident,
        Err(not_compared) => return Ok(not_compared),
    };
    let what_if = &args.what_if;
    let result = attrib::diff::diff_on(
        &old_loaded,
        &new_loaded,
        &|case: &Case| resolve::scenario_in(case, what_if, true).unwrap_or_default(),
        args.min_delta,
        incident.as_deref(),
    );
    let width = crate::cli::screen::width(args.width, args.output.is_none());
    write_with(args.output.as_deref(), &inputs, |w| match args.format {
        DiffFormat::Table => report::diff::table(&result, &old_name, &new_name, width, w),
        DiffFormat::Markdown => report::diff::markdown(&result, &old_name, &new_name, w),
        DiffFormat::Json => report::diff::json(&result, &old_name, &new_name, w),
    })?;
    if args.fail_on_change && result.moved() {
        return Err(Failure {
            exit: 1,
            message: format!(
                "attrib: {} moved",
                report::plural(result.hypotheses.len(), "judgement")
            ),
        });
    }
    Ok(ExitCode::SUCCESS)
}

/// The options that name something in the versions (the what-if's ids, `--incident`) name
/// something there: the id of the incident compared, if one is named.
fn options_apply(args: &DiffArgs, old: &Loaded, new: &Loaded) -> Result<Option<String>, Failure> {
    check_what_if_ids(&args.what_if, old, &new.case)?;
    // A what-if either version refuses (one claim restated twice, a condemnation restated) is
    // refused here: every copy `diff` judges holds claims of one version or the other, and a
    // scenario that failed on one would be read as no what-if at all.
    for case in [&old.case, &new.case] {
        resolve::scenario_in(case, &args.what_if, true)?;
    }
    incident_in(args.incident.as_deref(), &new.case, &old.case)
}

/// What git's driver says of a file with no two cases to compare, in one line: one side is
/// `/dev/null` (a file added or deleted), or a symbolic link (mode 120000: git gives the text of
/// its target, which is no case). The path is the repository's, shown as text.
fn one_sided(path: &str, (old_spec, new_spec): (&str, &str), files: &[String]) -> Option<String> {
    let path = escape::terminal::text(path);
    for (side, spec) in [("new", old_spec), ("deleted", new_spec)] {
        if spec == "/dev/null" {
            return Some(format!(
                "{path}: a {side} case file; there is no other version to compare\n"
            ));
        }
    }
    for (side, mode) in [("old", &files[3]), ("new", &files[6])] {
        if mode == "120000" {
            return Some(format!(
                "{path}: a symbolic link in the {side} version; not compared (`git diff \
                 --no-ext-diff` shows where it points)\n"
            ));
        }
    }
    None
}

/// `--min-delta` is a change in P: a number from 0 to 1.
fn check_min_delta(min_delta: f64) -> Result<(), Failure> {
    if min_delta.is_finite() && (0.0..=1.0).contains(&min_delta) {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "--min-delta {min_delta}: a change in P is a number from 0 to 1"
    )))
}

/// `step` of the comparison, or as git's driver (of the file at `driver_path`) the exit status
/// once a usage error or a version that does not load is said [`not_compared`] (`why`).
fn compared<T>(
    step: Result<T, Failure>,
    driver_path: Option<&str>,
    why: &str,
) -> Result<Result<T, ExitCode>, Failure> {
    match step {
        Err(e)
            if e.exit == 2
                && let Some(path) = driver_path =>
        {
            Ok(Err(not_compared(e, path, why)?))
        }
        step => step.map(Ok),
    }
}

/// git stops at a driver that exits non-zero, and shows no file after it (nor any older commit
/// of `git log -p`): as a driver, versions that cannot be compared (`failure`: one does not
/// load, or an option of the driver's command names what they do not hold) are said so in
/// the diff of `path`, with `why`, the errors on stderr, and git goes on.
fn not_compared(failure: Failure, path: &str, why: &str) -> Result<ExitCode, Failure> {
    failure.print();
    let msg = format!(
        "{}: not compared, {why} (the errors are above); \
         `git diff --no-ext-diff` shows the text\n",
        escape::terminal::text(path)
    );
    write_output(None, &[], msg.as_bytes())
}

/// The two versions as git's diff driver gives them: read from git's temporary files, but
/// named, parsed and checked by the file's path in the repository.
fn as_git_driver(
    (old, new): (&mut Input, &mut Input),
    (old_path, new_path): (&str, &str),
    (old_name, new_name): (&str, &str),
    files: &[String],
) {
    // git's temporary files keep the name, but the path in the repository is the one to trust.
    old.syntax = Syntax::from_path(old_path);
    new.syntax = Syntax::from_path(new_path);
    old.name = escape::terminal::text(old_name).into_owned();
    new.name = escape::terminal::text(new_name).into_owned();
    // git's temporary file is gone by then, and `a/PATH` names no file: the blob is read by
    // its id, or the work tree's file by its path (an id of zeros).
    for (input, hex, file) in [(old, &files[2], &files[1]), (new, &files[5], &files[4])] {
        input.check = Some(if hex.bytes().all(|b| b == b'0') {
            format!("attrib check {}", shell_word(file))
        } else {
            format!("git cat-file -p {} | attrib check -", shell_word(hex))
        });
    }
}

/// The id of the incident `--incident` names: in the new version, or else in the old (one the
/// new version lost).
fn incident_in(name: Option<&str>, new: &Case, old: &Case) -> Result<Option<String>, Failure> {
    let Some(name) = name else {
        return Ok(None);
    };
    match resolve::incident(new, Some(name)) {
        Ok(i) => Ok(i.map(|i| new.incident(i).id.clone())),
        Err(e) => Ok(resolve::incident(old, Some(name))
            .map_err(|_| e)?
            .map(|i| old.incident(i).id.clone())),
    }
}

/// Every id a what-if names must be in one of the versions (a claim may be in only one), and
/// no source or claim by the id it had before a rename: both versions are compared under the
/// new one, so the old one names nothing.
fn check_what_if_ids(
    args: &WhatIfArgs,
    old: &attrib::load::Loaded,
    new: &Case,
) -> Result<(), Failure> {
    let renamed = attrib::diff::renamed_ids(old, new);
    let cases = [&old.case, new];
    let named = (args.without.iter().map(String::as_str))
        .chain(args.grade.iter().map(|g| g.source.as_str()))
        .chain(args.restate.iter().map(|r| r.claim.as_str()))
        .chain(args.confidence.iter().map(|c| c.claim.as_str()));
    for id in named {
        if let Some((_, to)) = renamed.iter().find(|(from, _)| from == id.trim()) {
            return Err(Failure::usage(format!(
                "`{}` is renamed `{to}` in the new version, and both versions are compared \
                 under the new id: name it `{to}`",
                id.trim()
            )));
        }
    }
    let claim = |id: &str| cases.iter().any(|c| c.find_claim(id.trim()).is_some());
    let source = |id: &str| cases.iter().any(|c| resolve::graded(c, id).is_some());
    for id in &args.without {
        if !cases.iter().any(|c| resolve::set_aside(c, id).is_some()) {
            return Err(Failure::usage(format!(
                "--without {id}: no claim, source or line of evidence (`family`) has this id \
                 in either version"
            )));
        }
    }
    for g in &args.grade {
        if !source(&g.source) {
            return Err(Failure::usage(format!(
                "--grade {}={}: no source or line of evidence (`family`) `{}` in either version",
                g.source, g.grade, g.source
            )));
        }
    }
    for r in &args.restate {
        if !claim(&r.claim) {
            return Err(Failure::usage(format!(
                "--restate {}=…: no claim `{}` in either version",
                r.claim, r.claim
            )));
        }
    }
    for c in &args.confidence {
        if !claim(&c.claim) {
            return Err(Failure::usage(format!(
                "--confidence {}={}: no claim `{}` in either version",
                c.claim,
                c.level.word(),
                c.claim
            )));
        }
    }
    Ok(())
}

/// The two versions `diff` compares, as given and as named in its report, and the path in the
/// repository when git runs attrib as its diff driver.
struct Sides<'a> {
    old_spec: &'a str,
    new_spec: &'a str,
    old_name: String,
    new_name: String,
    /// The file's path in the repository, before and after (the same but for a rename).
    git_path: Option<(&'a str, &'a str)>,
}

/// Reads `diff`'s arguments: OLD NEW, or the seven git gives a diff driver (nine for a file
/// renamed or copied).
fn sides(f: &[String]) -> Result<Sides<'_>, Failure> {
    let (old_spec, new_spec, old_name, new_name, git_path) = match f.len() {
        2 => (
            f[0].as_str(),
            f[1].as_str(),
            f[0].clone(),
            f[1].clone(),
            None,
        ),
        // git's external diff: path old-file old-hex old-mode new-file new-hex new-mode, and
        // for a file renamed or copied, its new path and what git says of the rename.
        7 | 9 => {
            let new_path = f.get(7).unwrap_or(&f[0]);
            (
                f[1].as_str(),
                f[4].as_str(),
                format!("a/{}", f[0]),
                format!("b/{new_path}"),
                Some((f[0].as_str(), new_path.as_str())),
            )
        }
        n => {
            return Err(Failure::usage(format!(
                "attrib diff takes two cases, OLD and NEW (or the seven arguments git gives a \
                 diff driver, nine for a file renamed), not {n}"
            )));
        }
    };
    if old_spec == "-" && new_spec == "-" {
        return Err(Failure::usage(
            "only one of OLD and NEW can be standard input (`-`)",
        ));
    }
    Ok(Sides {
        old_spec,
        new_spec,
        old_name,
        new_name,
        git_path,
    })
}

/// Reads one version: a file, `-`, or `REV:PATH` from git. An existing file is always a file,
/// whatever its name (`C:\cases\x.ron`, `notes:v2.ron`).
fn read_version(spec: &str) -> Result<Input, Failure> {
    if spec == "-" || Path::new(spec).exists() || is_drive_path(spec) {
        return read_input(Some(spec));
    }
    match spec.split_once(':') {
        // `:PATH`, or `:N:PATH` (a stage of a merge): the index, what the next commit holds.
        Some(("", rest)) if !rest.is_empty() => match rest.split_once(':') {
            Some((stage @ ("0" | "1" | "2" | "3"), path)) if !path.is_empty() => {
                git_show(spec, &format!(":{stage}:"), path)
            }
            _ => git_show(spec, ":", rest),
        },
        Some((rev, path)) if !rev.is_empty() && !path.is_empty() => {
            // git would read `-…:PATH` as one of its own options (`--output=FILE:x` writes FILE).
            if rev.starts_with('-') {
                return Err(Failure::usage(format!(
                    "`{spec}`: no such file, and a git revision cannot begin with `-`; \
                     for a file of that name write `./{spec}`"
                )));
            }
            git_show(spec, &format!("{rev}:"), path)
        }
        _ => read_input(Some(spec)),
    }
}

/// `C:\…` or `C:/…`: a Windows path, never a git revision.
fn is_drive_path(spec: &str) -> bool {
    let b = spec.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// The file at `path` as the git repository it is in has it at `at` (`REV:` for a revision,
/// `:` or `:N:` for the index): `git show AT./FILE` run in the file's directory, so that it
/// works from anywhere. When the caller set `GIT_DIR` (a bare repository's work tree, a CI
/// wrapper), git takes the current directory for the top of the work tree and a relative
/// `GIT_DIR` for relative to it: git runs where attrib was run, on the path as given.
fn git_show(spec: &str, at: &str, path: &str) -> Result<Input, Failure> {
    git_show_following(spec, at, path, 0)
}

/// How many symbolic links [`git_show`] follows before it takes them for a loop.
const MAX_LINKS: usize = 8;

/// [`git_show`], `links` symbolic links followed so far: a path that is a link in that
/// revision is read where it points, as the working tree's side of a diff is (git shows a
/// link as the text of its target, which would be read as the case).
fn git_show_following(spec: &str, at: &str, path: &str, links: usize) -> Result<Input, Failure> {
    let p = Path::new(path);
    let own_dir = std::env::var_os("GIT_DIR").is_some();
    let dir = match p.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) if !own_dir => d,
        _ => Path::new("."),
    };
    let Some(file) = p.file_name() else {
        return Err(Failure::usage(format!("`{spec}`: `{path}` names no file")));
    };
    if !dir.is_dir() {
        return Err(Failure::unreadable(format!(
            "cannot read `{spec}`: no such file, and no directory `{}` to find a git repository in",
            dir.display()
        )));
    }
    let git = |args: &[&str]| git_in(dir, spec, args);
    let inside = git(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() {
        return Err(Failure::unreadable(format!(
            "cannot read `{spec}`: there is no such file, and `{}` is not in a git \
             repository, so it cannot be read as REV:PATH either",
            dir.display()
        )));
    }
    let object = if own_dir {
        format!("{at}./{}", p.to_string_lossy().trim_start_matches("./"))
    } else {
        format!("{at}./{}", file.to_string_lossy())
    };
    match in_git(&git, at, &object)? {
        InGit::Directory => {
            return Err(Failure::unreadable(format!(
                "cannot read `{spec}` from git: `{path}` is a directory there; name a case file \
                 in it"
            )));
        }
        InGit::Link(target) => {
            let next = next_of_link(&git, (spec, path), own_dir, &target, links)?;
            return git_show_following(spec, at, &next, links + 1);
        }
        InGit::Other => {}
    }
    let out = git(&["show", &object])?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("fatal: ");
        return Err(Failure::unreadable(format!(
            "cannot read `{spec}` from git: {why}"
        )));
    }
    Ok(Input {
        name: escape::terminal::text(spec).into_owned(),
        path: None,
        stdin_file: None,
        // `./`: relative to where attrib was run, as the path given was; an absolute path in
        // its own directory, as attrib read it.
        check: Some(if p.is_absolute() && !own_dir {
            format!(
                "git -C {} show {} | attrib check -",
                shell_word(&dir.to_string_lossy()),
                shell_word(&format!("{at}./{}", file.to_string_lossy()))
            )
        } else {
            format!(
                "git show {} | attrib check -",
                shell_word(&format!("{at}./{}", path.trim_start_matches("./")))
            )
        }),
        size: out.stdout.len(),
        bytes: out.stdout,
        syntax: Syntax::from_path(path),
    })
}

/// Runs git with `args` in `dir`, for reading `spec`.
fn git_in(dir: &Path, spec: &str, args: &[&str]) -> Result<std::process::Output, Failure> {
    Process::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                Failure::usage(format!(
                    "`{spec}` reads a git revision, but git was not found on PATH"
                ))
            } else {
                Failure::usage(format!("`{spec}`: cannot run git: {e}"))
            }
        })
}

/// Where the link at `path` (read as `spec`) to `target` leads, as a path to read next: an
/// error for a link out of the repository (absolute, or climbing above its top, into a
/// repository around this one, say) or one of more than [`MAX_LINKS`] in a row.
fn next_of_link(
    git: &dyn Fn(&[&str]) -> Result<std::process::Output, Failure>,
    (spec, path): (&str, &str),
    own_dir: bool,
    target: &str,
    links: usize,
) -> Result<String, Failure> {
    let p = Path::new(path);
    // Where the link stands in the repository.
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let prefix = String::from_utf8_lossy(&prefix.stdout)
        .trim_end()
        .to_string();
    let within = if own_dir {
        Path::new(&prefix).join(p.parent().unwrap_or(Path::new("")))
    } else {
        PathBuf::from(&prefix)
    };
    let why = if links >= MAX_LINKS {
        format!(", one of more than {MAX_LINKS} in a row")
    } else if Path::new(target).is_absolute()
        || Path::new(&lexically_joined(&within, target)).starts_with("..")
    {
        ", out of the repository".to_string()
    } else {
        return Ok(lexically_joined(
            p.parent().unwrap_or(Path::new("")),
            target,
        ));
    };
    Err(Failure::unreadable(format!(
        "cannot read `{spec}` from git: `{path}` is a symbolic link there (to `{target}`){why}; \
         name the file it links to"
    )))
}

/// What a path is in a git revision or the index, as far as reading a case from it goes.
enum InGit {
    /// A symbolic link (mode 120000), to this target.
    Link(String),
    /// A directory (a tree, mode 040000): `git show` would list it.
    Directory,
    /// A file, or what git cannot find (`git show` then says why).
    Other,
}

/// What `object` (`REV:./FILE`, `:./FILE` or `:N:./FILE`) is, read from `git ls-tree` or, for
/// the index, `git ls-files -s` (mode, object, stage and path), the path taken literally
/// (`[ab].ron` names that file, not a pattern).
fn in_git(
    git: &dyn Fn(&[&str]) -> Result<std::process::Output, Failure>,
    at: &str,
    object: &str,
) -> Result<InGit, Failure> {
    let path = &object[at.len()..];
    let literal = "--literal-pathspecs";
    let (listed, stage) = match at.strip_prefix(':') {
        Some(stage) => (
            git(&[literal, "ls-files", "-s", "--", path])?,
            stage.trim_end_matches(':').parse::<u8>().unwrap_or(0),
        ),
        None => (
            git(&[literal, "ls-tree", at.trim_end_matches(':'), "--", path])?,
            0,
        ),
    };
    if !listed.status.success() {
        return Ok(InGit::Other);
    }
    let listing = String::from_utf8_lossy(&listed.stdout);
    let mode = listing.lines().find_map(|line| {
        let mut fields = line.split_whitespace();
        let mode = fields.next();
        let staged = if at.starts_with(':') {
            fields.nth(1).and_then(|n| n.parse::<u8>().ok()) == Some(stage)
        } else {
            true
        };
        mode.filter(|_| staged)
    });
    match mode {
        Some("040000") => Ok(InGit::Directory),
        Some("120000") => {
            let out = git(&["show", object])?;
            Ok(if out.status.success() {
                InGit::Link(String::from_utf8_lossy(&out.stdout).into_owned())
            } else {
                InGit::Other
            })
        }
        _ => Ok(InGit::Other),
    }
}

/// `base` joined with the relative `target`, `.` and `..` taken away where they can be: the
/// path a link in a git revision points to, as the file's directory sees it.
fn lexically_joined(base: &Path, target: &str) -> String {
    use std::path::Component;
    let mut parts: Vec<String> = Vec::new();
    for c in base.join(target).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}
