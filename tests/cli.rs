//! CLI manners: help with examples, completions, man page, usage errors.

use crate::{Test, root};

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in [
        "check",
        "convert",
        "assess",
        "explain",
        "dot",
        "completions",
        "man",
    ] {
        Test::new()
            .args([cmd, "--help"])
            .stdout_has("Example")
            .run();
    }
    Test::new().args(["--help"]).stdout_has("Examples:").run();
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        // The completions name the commands.
        Test::new()
            .args(["completions", shell])
            .stdout_has("assess")
            .run();
    }
}

/// The terms of `--min` and `--fail-below` and the codes of `--allow` are completed (a term as
/// one word, hyphens for its spaces, which bash would split at), and each term so completed
/// is read as the term; help does not list them all.
#[test]
fn terms_and_warning_codes_are_completed() {
    let bash = Test::new().args(["completions", "bash"]).run().stdout;
    assert!(bash.contains("almost-no-chance very-unlikely unlikely roughly-even-chance likely very-likely almost-certain"), "{bash}");
    assert!(bash.contains("W101 W102"), "{bash}");
    assert!(!bash.contains("E020"), "errors cannot be allowed");
    let fish = Test::new().args(["completions", "fish"]).run().stdout;
    assert!(
        fish.contains("very-likely") && fish.contains("W123"),
        "{fish}"
    );
    for (term, word) in [
        ("almost-no-chance", "almost no chance"),
        ("very_unlikely", "very unlikely"),
        ("roughly-even-chance", "roughly even chance"),
        ("very-likely", "very likely"),
        ("almost-certain", "almost certain"),
    ] {
        let json = Test::new()
            .args(["dot", "graphs/tutorial.ron", "--min", term])
            .run()
            .stdout;
        let spaced = Test::new()
            .args(["dot", "graphs/tutorial.ron", "--min", word])
            .run()
            .stdout;
        assert_eq!(json, spaced, "{term}");
    }
    let help = Test::new().args(["assess", "--help"]).run().stdout;
    assert!(!help.contains("possible values: almost"), "{help}");
    Test::new()
        .args(["dot", "--min", "higly-likely"])
        .stderr_has("did you mean `very likely`?")
        .code(2)
        .run();
}

/// Bash completes file names only after the options that take a path: an id, a term, a date
/// or a number (`--fail-below`, `--actor`, `--as-of`, `--min-delta`) is no file.
#[test]
fn bash_completes_files_only_for_paths() {
    let script = Test::new().args(["completions", "bash"]).run().stdout;
    let lines: Vec<&str> = script.lines().collect();
    let mut with_files: Vec<&str> = (lines.windows(2))
        .filter(|w| w[1].contains("compgen -f"))
        .filter_map(|w| w[0].trim().strip_suffix(')'))
        .filter(|o| o.starts_with('-'))
        .collect();
    with_files.sort_unstable();
    with_files.dedup();
    assert_eq!(with_files, ["--aliases", "--ca-cert", "--output", "-o"]);
    assert!(
        script.contains("--fail-below)"),
        "the option is completed, with no files"
    );
}

/// The main page lists a page per command (attrib-assess(1), attrib-import-stix(1)), and each
/// is printed by `attrib man COMMAND`, with the command's own options. Every page names attrib
/// and its version in its footer, keeps its examples line for line (`.nf`, not filled and
/// hyphenated as prose) and gives exit codes and the environment their own sections.
#[test]
fn man_page_from_the_same_definitions() {
    let version = format!("\"attrib {}\" \"attrib manual\"", env!("CARGO_PKG_VERSION"));
    let out = Test::new()
        .args(["man"])
        .stdout_has("assess")
        .stdout_has("\n.SH EXAMPLES\n.nf\nattrib check graphs/albania\\-2022.ron\n")
        .stdout_has("\n.SH \"EXIT STATUS\"\n0 success; 1 a")
        .stdout_has("\n.SH ENVIRONMENT\nNO_COLOR")
        .run()
        .stdout;
    assert!(!out.contains(".SH EXTRA"), "{out}");
    assert!(
        out.contains(".TH attrib 1 "),
        "{}",
        &out[..200.min(out.len())]
    );
    assert!(out.contains("attrib\\-import(1)"), "{out}");
    assert!(
        !out.contains("attrib\\-help(1)"),
        "no page for `help`: {out}"
    );
    Test::new()
        .args(["man", "export", "taxii"])
        .stdout_has("\n.SH NOTES\nCredentials come from ATTRIB_TAXII_TOKEN")
        .run();
    Test::new()
        .args(["man", "import", "stix"])
        .stdout_has(".TH attrib-import-stix 1 ")
        .stdout_has(&version)
        .stdout_has("\\-\\-case")
        .run();
    Test::new()
        .args(["man", "import"])
        .stdout_has("attrib\\-import\\-stix(1)")
        .run();
    // The synopsis is the usage `--help` prints: several files, and options that take values.
    Test::new()
        .args(["man", "check"])
        .stdout_has("\n.SH SYNOPSIS\n\\fBattrib check\\fR [OPTIONS] [FILE]...\n")
        .run();
    Test::new()
        .args(["man"])
        .stdout_has("\n.SH SYNOPSIS\n\\fBattrib\\fR [OPTIONS] <COMMAND>\n")
        .run();
    // Text outside ASCII as roff's escapes: groff and `man` under a C locale read them, where
    // they warned of raw UTF-8 or dropped it.
    let dot = Test::new()
        .args(["man", "dot"])
        .stdout_has("ISO A4 (210 \\(mu 297 mm)")
        .run()
        .stdout;
    assert!(dot.is_ascii(), "{dot}");
    Test::new()
        .args(["man", "asess"])
        .code(2)
        .stderr_has("`asess` is not a command of `attrib`; its commands: check, ")
        .stderr_has("did you mean `assess`?")
        .run();
    Test::new()
        .args(["man", "assess", "json"])
        .code(2)
        .stderr_has("`attrib assess` has no commands; `attrib man assess` prints its page")
        .run();
}

#[test]
fn usage_errors_exit_2_with_one_message() {
    Test::new()
        .args(["assess", "--format", "pdf"])
        .stdout("")
        .stderr_has("invalid value 'pdf'")
        .code(2)
        .run();
    // A diagram named as an image attrib does not render is refused, not written as DOT text.
    let tmp = tempfile::tempdir().unwrap();
    let jpg = tmp.path().join("fig.jpg");
    Test::new()
        .args(["dot", "-o", jpg.to_str().unwrap()])
        .stderr_has("(`-o fig.png`), or writes its DOT text (`-o fig.dot`)")
        .code(2)
        .run();
    assert!(!jpg.exists());
    // `assess --actor` only names what --fail-below tests: alone it would be ignored.
    Test::new()
        .args(["assess", "--actor", "iran"])
        .stdout("")
        .stderr_has("add --fail-below TERM")
        .code(2)
        .run();
    Test::new()
        .args(["explain", "--actor", "irn"])
        .stderr_has("did you mean `iran`?")
        .code(2)
        .run();
    // Names and aliases are suggested as `check` suggests them, not ids alone.
    Test::new()
        .args(["explain", "--actor", "Mango Sandstrom"])
        .stderr_has("did you mean `Mango Sandstorm`?")
        .code(2)
        .run();
    Test::new()
        .args(["assess", "--incident", "HomeLand Justice campain"])
        .stderr_has("did you mean `HomeLand Justice campaign`?")
        .code(2)
        .run();
    // The beginning of one item's spelling names it, before a near spelling of another
    // (`albania` is no edit away from anything); else a case of a few lists them.
    Test::new()
        .args(["assess", "--incident", "albania"])
        .stderr_has("did you mean `albania-2022`?")
        .code(2)
        .run();
    Test::new()
        .args(["assess", "--incident", "xyzzy"])
        .stderr_has("no incident has this id, name or alias; the case has `albania-2022`")
        .code(2)
        .run();
    Test::new()
        .args(["explain", "--actor", "void"])
        .stderr_has("did you mean `void-manticore`?")
        .code(2)
        .run();
    // An actor is no evidence to set aside.
    Test::new()
        .args(["assess", "--without", "muddywater"])
        .stderr_has("`muddywater` is an actor or group, not evidence: --without sets aside a claim, a source or a line of evidence")
        .code(2)
        .run();
    // A typed value is refused by the argument parser, before any file is read.
    Test::new()
        .args(["assess", "no-such-file.ron", "--min-typo"])
        .code(2)
        .run();
    Test::new()
        .args(["dot", "no-such-file.ron", "--min", "likley"])
        .stderr_has("not an ICD 203 term (almost no chance, very unlikely, unlikely, roughly even chance, likely, very likely, almost certain); did you mean `likely`?")
        .stderr_lacks("no-such-file")
        .code(2)
        .run();
    // A PHIA term is told for what it is, with its ICD 203 reading.
    Test::new()
        .args(["assess", "--fail-below", "highly likely"])
        .stderr_has("`highly likely` is a PHIA term; judgements are worded in ICD 203 terms (PHIA's probability 0.85 is ICD 203 `very likely`)")
        .code(2)
        .run();
    Test::new()
        .args(["assess", "--as-of", "2022-13-01"])
        .stderr_has("--as-of")
        .code(2)
        .run();
}

#[test]
fn generate_is_deterministic_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.json");
    let b = tmp.path().join("b.json");
    for out in [&a, &b] {
        Test::new()
            .args(["generate", "--claims", "2000", "--seed", "7", "-o"])
            .args([out.to_str().unwrap()])
            .run();
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let a = a.to_str().unwrap();
    Test::new()
        .args(["check", a])
        .stdout_has("2000 claims")
        .run();
    Test::new()
        .args(["assess", a, "--format", "json", "--no-sensitivity"])
        .run();
    // RON by default.
    Test::new()
        .args(["generate", "--claims", "300", "--seed", "2"])
        .stdout_has("Case(")
        .run();
}

/// Output piped into another program goes through a pipe widened to 1 MiB, so that a report
/// of gigabytes crosses it in large pieces; the pipe is read after attrib has written into it
/// and exited.
#[cfg(target_os = "linux")]
#[test]
fn output_into_a_pipe_widens_the_pipe() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("attrib"))
        .args(["assess", "graphs/tutorial.ron"])
        .current_dir(crate::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    assert!(child.wait().unwrap().success());
    let size = rustix::pipe::fcntl_getpipe_size(&out).unwrap();
    let mut text = String::new();
    out.read_to_string(&mut text).unwrap();
    assert!(text.contains("Hypothesis"), "{text}");
    assert_eq!(size, 1 << 20, "the pipe was not widened");
}

/// `explain` without `--incident` on a case of several: the incidents on which the actor is
/// judged, by its own claims or through its parts (`a` on i3 through its agency `u`), the
/// first ten of them, else the case's, so that a large case gives one short line; the one
/// incident it is judged on, when there is one.
#[test]
fn explain_without_an_incident_lists_where_the_actor_is_judged() {
    let tmp = tempfile::tempdir().unwrap();
    let incidents: Vec<String> = (0..12)
        .map(|k| format!("Incident(id: \"i{k}\", name: \"I{k}\")"))
        .collect();
    let case = format!(
        "Case(title: \"T\",
          actors: [Actor(id: \"a\", name: \"A\", kind: State),
                   Actor(id: \"b\", name: \"B\", kind: State),
                   Actor(id: \"u\", name: \"U\", kind: Agency, part_of: \"a\")],
          incidents: [{}],
          sources: [Source(id: \"s\", name: \"S\", kind: Government, reliability: B)],
          claims: [Claim(id: \"c\", source: \"s\", subject: \"i7\", relation: AttributedTo,
                         object: \"a\", likelihood: Icd(\"likely\")),
                   Claim(id: \"d\", source: \"s\", subject: \"i3\", relation: AttributedTo,
                         object: \"u\", likelihood: Icd(\"likely\"))])",
        incidents.join(", ")
    );
    std::fs::write(tmp.path().join("c.ron"), case).unwrap();
    Test::new()
        .args(["explain", "c.ron", "--actor", "a"])
        .current_dir(tmp.path())
        .stderr_has("the case has 12 incidents: name one with --incident (a is judged on i3, i7)")
        .code(2)
        .run();
    Test::new()
        .args(["explain", "c.ron", "--actor", "b"])
        .current_dir(tmp.path())
        .stderr_has(
            "(nothing bears on b; they are i0, i1, i2, i3, i4, i5, i6, i7, i8, i9 and 2 more)",
        )
        .code(2)
        .run();
    // Judged on one incident only: that is the one explained.
    Test::new()
        .args(["explain", "c.ron", "--actor", "u"])
        .current_dir(tmp.path())
        .stdout_has("Hypothesis: U (u) carried out I3 (i3)")
        .run();
}

/// A file that is not there gets the likely misspelt name beside it, or the bundled case of
/// that name, or says that its directory is missing too; the message names nothing else.
#[test]
fn a_missing_file_suggests_the_file_meant() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notpetya.ron"), "").unwrap();
    let typo = tmp.path().join("notpetya.rom");
    let meant = tmp.path().join("notpetya.ron");
    let nodir = tmp.path().join("nodir/case.ron");
    for (file, dir, hint) in [
        (
            typo.to_str().unwrap(),
            root(),
            format!(" (did you mean `{}`?)", meant.display()),
        ),
        (
            "notpetya.rom",
            tmp.path().to_path_buf(),
            " (did you mean `notpetya.ron`?)".into(),
        ),
        (
            "tutorial.ron",
            root(),
            " (did you mean `graphs/tutorial.ron`?)".into(),
        ),
        (
            nodir.to_str().unwrap(),
            root(),
            format!(
                " (there is no directory `{}`)",
                tmp.path().join("nodir").display()
            ),
        ),
        ("graphs/zzzz.ron", root(), String::new()),
    ] {
        Test::new()
            .current_dir(&dir)
            .args(["check", file])
            .stderr(format!(
                "error[E001]: cannot read `{file}`: No such file or directory (os error 2){hint}\n"
            ))
            .code(2)
            .run();
    }
}

/// An output named for another format than the one written is refused before any work, and
/// the file of that name is left as it was: `-o case.ron` for JSON overwrote a case with
/// something that no longer read as one. A name of no known format is written.
#[test]
fn an_output_named_for_another_format_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case.ron");
    std::fs::copy(root().join("graphs/albania-2022.ron"), &case).unwrap();
    let victim = tmp.path().join("v2.ron");
    std::fs::copy(root().join("graphs/tutorial.ron"), &victim).unwrap();
    let before = std::fs::read(&victim).unwrap();
    let refused: [(&[&str], &str, &str); 18] = [
        (
            &["dot", "case.ron", "--render", "png"],
            "fig.svg",
            "--render png writes PNG",
        ),
        // The name to use is in the directory the name was given in.
        (
            &["convert", "case.ron", "--to", "json"],
            "out/v2.ron",
            "name it `out/v2.json`, or choose `--to ron`",
        ),
        // Refused before the bundle is read: it does not exist.
        (
            &["import", "stix", "missing.json"],
            "case.yaml",
            "name it `case.ron`",
        ),
        (
            &["convert", "case.ron", "--to", "json"],
            "v2.ron",
            "name it `v2.json`, or choose `--to ron`",
        ),
        (
            &["report", "case.ron"],
            "v2.ron",
            "this writes HTML; name it `v2.html`",
        ),
        (
            &["report", "case.ron"],
            "r.pdf",
            "a browser prints the HTML to PDF",
        ),
        (
            &["export", "stix", "case.ron"],
            "v2.ron",
            "this writes JSON; name it `v2.json`",
        ),
        (
            &["assess", "case.ron", "--format", "markdown"],
            "a.json",
            "or choose `--format json`",
        ),
        (
            &["assess", "case.ron"],
            "v2.ron",
            "this writes text; name it `v2.txt`",
        ),
        (
            &["diff", "case.ron", "case.ron"],
            "d.html",
            "the name says HTML",
        ),
        (
            &["generate", "--claims", "10"],
            "g.yaml",
            "this writes a case in RON; name it `g.ron`",
        ),
        (
            &["dot", "case.ron"],
            "v2.ron",
            "this writes DOT text; name it `v2.dot`",
        ),
        (
            &["report", "case.ron"],
            "r.docx",
            "the name says an office document, but this writes HTML; name it `r.html`",
        ),
        (
            &["man"],
            "attrib.1.gz",
            "the name says a compressed file, but this writes a man page (roff); name it \
             `attrib.1`, and compress it after",
        ),
        (
            &["man"],
            "man.json",
            "this writes a man page (roff); name it `man.1`",
        ),
        // A case named for JSON under the compression's extension is written as JSON.
        (
            &["generate", "--claims", "5"],
            "big.json.gz",
            "the name says a compressed file, but this writes JSON; name it `big.json`, and \
             compress it after",
        ),
        (
            &["convert", "case.ron", "--to", "json"],
            "case.json.xz",
            "this writes JSON; name it `case.json`, and compress it after",
        ),
        (
            &["convert", "case.ron", "--to", "ron"],
            "case.json.gz",
            "this writes a case in RON; name it `case.ron`, and compress it after",
        ),
    ];
    for (args, out, says) in refused {
        Test::new()
            .args(args.iter().copied())
            .args(["-o", out])
            .current_dir(tmp.path())
            .stderr_has(format!("-o {out}: "))
            .stderr_has(says)
            .code(2)
            .run();
        assert!(
            out == "v2.ron" || !tmp.path().join(out).exists(),
            "{out} written"
        );
    }
    assert_eq!(std::fs::read(&victim).unwrap(), before, "v2.ron untouched");
    for (args, out) in [
        (&["convert", "case.ron", "--to", "json"][..], "case.out"),
        (&["assess", "case.ron"][..], "table.txt"),
        (&["export", "stix", "case.ron"][..], "bundle.json"),
        (&["man"][..], "attrib.1"),
    ] {
        Test::new()
            .args(args.iter().copied())
            .args(["-o", out])
            .current_dir(tmp.path())
            .run();
        assert!(tmp.path().join(out).exists(), "{out} not written");
    }
}

/// Usage errors a new user meets say what to do instead: `--actor` alone (which does not
/// filter), HTML from `assess` (the report writes it), `explain` without `--actor` (the
/// hypotheses it could explain).
#[test]
fn usage_errors_name_the_way_forward() {
    Test::new()
        .args(["assess", "--actor", "iran"])
        .code(2)
        .stderr_has("--actor names the hypothesis --fail-below tests, and does not filter")
        .stderr_has("attrib explain --actor ID")
        .run();
    Test::new()
        .args(["assess", "--format", "html"])
        .code(2)
        .stderr_has("attrib report FILE -o report.html")
        .run();
    Test::new()
        .args(["assess", "--format", "htm"])
        .code(2)
        .stderr_has("[possible values: table, markdown, json]")
        .run();
    let tutorial = root().join("graphs/tutorial.ron");
    Test::new()
        .args([
            "explain",
            tutorial.to_str().unwrap(),
            "--incident",
            "marlin-leak",
        ])
        .code(2)
        .stderr_has("name the actor or group to explain with --actor ID (the case judges j-doe)")
        .run();
    Test::new()
        .args(["explain"])
        .code(2)
        .stderr_has("(the case judges iran, ")
        .run();
    // An option of the TAXII command given to the file command, and the reverse, names the
    // command that takes it; clap's own tip would make it a file name (`-- --collection`).
    Test::new()
        .args([
            "export",
            "stix",
            "--collection=x",
            "https://cti.example.org/api1/",
        ])
        .code(2)
        .stderr_has("use `attrib export taxii URL --collection ID [FILE]`")
        .stderr_lacks("-- --collection")
        .run();
    Test::new()
        .args([
            "--color",
            "never",
            "import",
            "stix",
            "b.json",
            "--timeout",
            "5",
        ])
        .code(2)
        .stderr_has("use `attrib import taxii URL --collection ID -o CASE`")
        .run();
    Test::new()
        .args([
            "export",
            "taxii",
            "https://x.example/",
            "--collection",
            "c",
            "-o",
            "b.json",
        ])
        .code(2)
        .stderr_has("use `attrib export stix [FILE] -o BUNDLE`")
        .run();
    // clap's offer of a similar option (`--case`) is left out beside the tip.
    Test::new()
        .args([
            "import",
            "taxii",
            "https://x.example/",
            "--aliases",
            "t.json",
        ])
        .code(2)
        .stderr_has("run `attrib import aliases CASE TABLE... -o MERGED`")
        .stderr_has("Usage: attrib import taxii [OPTIONS] --collection <COLLECTION> <URL>")
        .stderr_lacks("similar argument")
        .run();
    // Files named `export` and `stix` are no command.
    Test::new()
        .args(["diff", "export", "stix", "--collection", "x"])
        .code(2)
        .stderr_lacks("taxii")
        .run();
    // Elsewhere, the same option keeps clap's message.
    Test::new()
        .args(["assess", "--collection", "x"])
        .code(2)
        .stderr_has("unexpected argument '--collection'")
        .stderr_lacks("taxii")
        .run();
}
