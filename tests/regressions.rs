//! One test per bug found in attrib, named after what broke (ripgrep's habit). Each feeds the
//! real binary the input that broke it and asserts what a person should see instead.

use crate::Test;
use std::path::Path;

/// A run of `attrib args…` in `dir`.
fn test_in(dir: &Path, args: &[&str]) -> Test {
    Test::new().args(args).current_dir(dir)
}

/// A small valid case whose actor name, title and claim wording are `name`, `title` and
/// `wording` (RON string syntax, already escaped).
fn case_with(title: &str, name: &str, wording: &str) -> String {
    format!(
        r#"Case(
    title: "{title}",
    as_of: "2024-06-01",
    actors: [Actor(id: "a", name: "{name}", kind: State)],
    incidents: [Incident(id: "x", name: "Incident X")],
    sources: [Source(id: "s", name: "Source", kind: Government, reliability: B)],
    claims: [
        Claim(id: "c1", source: "s", subject: "x", relation: AttributedTo, object: "a",
              wording: "{wording}", url: "https://example.org/1", date: "2024-05-01",
              likelihood: Icd("likely")),
    ],
)
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    std::fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

/// `attrib explain --actor s --width 0 extra…` on `case` (RON text): its output.
fn explain_s(case: &str, extra: &[&str]) -> String {
    explain_actor(case, "s", extra)
}

/// `attrib explain --actor ACTOR --width 0 extra…` on `case` (RON text): its output.
pub(crate) fn explain_actor(case: &str, actor: &str, extra: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "e.ron", case);
    let mut args = vec!["explain", f.as_str(), "--actor", actor, "--width", "0"];
    args.extend(extra);
    test_in(tmp.path(), &args).run().stdout
}

/// The derivation tree in explain's output, up to the sensitivity table.
fn derivation(out: &str) -> &str {
    let tree = &out[out.find("Derivation:").unwrap_or_else(|| panic!("{out}"))..];
    &tree[..tree.find("\nSensitivity").unwrap_or(tree.len())]
}

/// `attrib assess extra…` on `case` (RON text): its output.
fn assess_case(case: &str, extra: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "x.ron", case);
    let mut args = vec!["assess", f.as_str()];
    args.extend(extra);
    test_in(tmp.path(), &args).run().stdout
}

/// The P explain gives `actor` in `case` (RON text), as printed ("0.866").
fn explained_p(case: &str, actor: &str, extra: &[&str]) -> String {
    let out = explain_actor(case, actor, extra);
    let at = out.find("(P ").unwrap_or_else(|| panic!("{out}")) + 3;
    out[at..at + 5].to_string()
}

/// The sensitivity row of `item` ("claim c1", "source b") in explain's output.
fn sensitivity_row<'o>(out: &'o str, item: &str) -> &'o str {
    out.lines()
        .find(|l| l.trim_start().starts_with(item))
        .unwrap_or_else(|| panic!("no row for {item}:\n{out}"))
}

#[test]
fn json_with_a_multi_byte_character_after_an_unknown_field_does_not_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "m.json", "{\"ab\":\"—\"}");
    test_in(tmp.path(), &["check", &f])
        .stdout("")
        .stderr_lacks("panicked")
        .stderr_has("error[E011]: unknown field `ab`")
        // The caret on the key.
        .stderr_has("m.json:1:2")
        .code(2)
        .run();
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    // 26 characters precede "xx" on line 2, but 30 bytes: the caret must say column 26.
    let f = write(
        tmp.path(),
        "accents.json",
        "{\n  \"title\": \"Réseau éàü\", \"xx\": 1\n}",
    );
    test_in(tmp.path(), &["check", &f])
        .stderr_has("accents.json:2:26")
        .code(2)
        .run();
    // A syntax error after multi-byte text lands where it does in ASCII text (on the
    // unexpected token), not four bytes further right.
    for (name, text) in [
        ("ascii.json", "{\"title\": \"ee\" \"x\"}"),
        ("utf8.json", "{\"title\": \"éé\" \"x\"}"),
    ] {
        let f = write(tmp.path(), name, text);
        test_in(tmp.path(), &["check", &f])
            .stderr_has(format!("{name}:1:16"))
            .code(2)
            .run();
    }
}

#[test]
fn escape_sequences_in_names_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(
        tmp.path(),
        "esc.ron",
        &case_with(
            "Title \\u{1b}]0;pwned\\u{7}",
            "Act\\u{1b}[2Jor \\u{202e}evil",
            "w",
        ),
    );
    for args in [
        vec!["assess", f.as_str()],
        vec!["explain", f.as_str(), "--actor", "a"],
        vec!["check", f.as_str()],
    ] {
        let run = test_in(tmp.path(), &args).run();
        for text in [&run.stdout, &run.stderr] {
            assert!(!text.contains('\u{1b}'), "{args:?}: raw ESC in {text:?}");
            assert!(!text.contains('\u{7}'), "{args:?}: raw BEL");
            assert!(!text.contains('\u{202e}'), "{args:?}: raw RLO");
        }
        if args[0] != "check" {
            let out = &run.stdout;
            assert!(out.contains("Act␛[2Jor ⟨U+202E⟩evil"), "{args:?}: {out}");
        }
    }
}

#[test]
fn escape_sequences_in_a_faulty_file_are_shown_not_obeyed() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(
        tmp.path(),
        "bad.ron",
        "Case(title: \"x\u{1b}[2J\", oops: \"\u{202e}\")\n",
    );
    test_in(tmp.path(), &["check", &f])
        .stderr_lacks('\u{1b}')
        .stderr_lacks('\u{202e}')
        .stderr_has("x␛[2J")
        .code(2)
        .run();
}

#[test]
fn markdown_report_escapes_html_and_line_breaks_in_names() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(
        tmp.path(),
        "md.ron",
        &case_with(
            "T",
            "<img src=x onerror=alert(1)>\\nsecond | line",
            "said *this* [link](javascript:x)",
        ),
    );
    let out = test_in(tmp.path(), &["assess", &f, "--format", "markdown"])
        .stdout_has("&lt;img src=x onerror=alert(1)&gt; second \\| line")
        .run()
        .stdout;
    assert!(!out.contains("<img"), "{out}");
    assert!(!out.contains("[link](javascript"), "{out}");
    // Every evidence row still has its eight pipes: no cell was split or merged.
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| c1[^")).collect();
    assert!(!rows.is_empty(), "{out}");
    for row in rows {
        let pipes = row.matches('|').count() - row.matches("\\|").count();
        assert_eq!(pipes, 8, "{row}");
    }
}

#[test]
fn a_fault_on_a_huge_line_quotes_a_window_not_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    // Minified JSON: one 5 MB line with an unknown field near its middle.
    let pad = "x".repeat(2_500_000);
    let text = format!("{{\"title\": \"{pad}\", \"oops\": 1, \"description\": \"{pad}\"}}");
    let f = write(tmp.path(), "huge.json", &text);
    let err = test_in(tmp.path(), &["check", &f])
        .stderr_has("huge.json:1:2500015")
        .stderr_has("\"oops\"")
        .code(2)
        .run()
        .stderr;
    assert!(err.len() < 2_000, "stderr is {} bytes", err.len());
}

#[test]
fn generate_refuses_an_absurd_claim_count_instead_of_eating_memory() {
    let tmp = tempfile::tempdir().unwrap();
    for n in ["18446744073709551615", "20000001", "0", "-3", "ten"] {
        test_in(tmp.path(), &["generate", "--claims", n])
            .stdout("")
            .stderr_has("--claims")
            .code(2)
            .run();
    }
    test_in(
        tmp.path(),
        &["generate", "--claims", "18446744073709551615"],
    )
    .stderr_has("is more than 20000000; larger cases exhaust memory")
    .code(2)
    .run();
    // None is no case, not a case too large.
    test_in(tmp.path(), &["generate", "--claims", "0"])
        .stderr_has("a case needs at least 1 claim")
        .stderr_lacks("exhaust memory")
        .code(2)
        .run();
}

#[test]
fn a_directory_given_as_input_gets_e001() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("cases")).unwrap();
    test_in(tmp.path(), &["check", "cases"])
        .stderr_has("error[E001]:")
        .stderr_has("is a directory")
        .code(2)
        .run();
}

#[test]
fn utf16_input_is_named_as_utf16_not_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "Case(title: \"x\")\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, bytes, expected) in [
        ("le.ron", le, "UTF-16 (little-endian)"),
        ("be.ron", be, "UTF-16 (big-endian)"),
    ] {
        std::fs::write(tmp.path().join(name), bytes).unwrap();
        test_in(tmp.path(), &["check", name])
            .stderr_has(format!("[E003]: the file is {expected}"))
            .stderr_lacks("binary")
            .code(2)
            .run();
    }
}

/// A case whose lines end in a carriage return alone is one line to RON: with a comment on
/// top, it read as empty (E002). It is named for what it is, with the way to convert it; a
/// JSON case, which has no comments, is read as it is.
#[test]
fn line_endings_of_a_carriage_return_alone_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let tutorial = std::fs::read_to_string(crate::root().join("graphs/tutorial.ron")).unwrap();
    let cr = tutorial.replace("\r\n", "\n").replace('\n', "\r");
    std::fs::write(tmp.path().join("mac.ron"), cr).unwrap();
    test_in(tmp.path(), &["check", "mac.ron"])
        .stderr_has(
            "[E003]: the file's lines end in a carriage return alone (classic Mac OS line endings)",
        )
        .stderr_has("tr '\\r' '\\n'")
        .stderr_lacks("empty")
        .code(2)
        .run();
    let tutorial_json = crate::Test::new()
        .args(["convert", "graphs/tutorial.ron", "--to", "json"])
        .current_dir(crate::root())
        .run()
        .stdout;
    std::fs::write(
        tmp.path().join("mac.json"),
        tutorial_json.replace('\n', "\r"),
    )
    .unwrap();
    test_in(tmp.path(), &["check", "mac.json"])
        .stdout_has(": ok:")
        .run();
}

#[test]
fn a_claim_after_the_cases_as_of_is_refused_not_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let text = case_with("T", "A", "w").replace("2024-05-01", "2024-07-01");
    let f = write(tmp.path(), "late.ron", &text);
    test_in(tmp.path(), &["assess", &f])
        .stderr_has("[E033]")
        .code(2)
        .run();
}

/// Temporary files of interrupted writes: one left by a killed process (whose pid no longer
/// runs) is removed by the next write to the same target; others are left alone.
#[cfg(target_os = "linux")]
#[test]
fn a_killed_write_leaves_no_temporary_file_behind_for_long() {
    let tmp = tempfile::tempdir().unwrap();
    // A pid above the kernel's pid_max never runs.
    let stale = tmp.path().join(".out.md.attrib-4194999-abcdef");
    let other = tmp.path().join(".notes.md.attrib-4194999-abcdef");
    std::fs::write(&stale, "half a report").unwrap();
    std::fs::write(&other, "not ours to judge").unwrap();
    test_in(
        tmp.path(),
        &["assess", "--format", "markdown", "-o", "out.md"],
    )
    .run();
    assert!(!stale.exists(), "the stale temporary file was removed");
    assert!(other.exists(), "another target's file is left alone");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".out.md"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// SIGTERM during a long write: the handler removes the temporary file, and the process ends
/// by the signal.
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_write_removes_its_temporary_file() {
    // The file exists for the last half second of the run only; on a loaded machine the
    // signal may come too late, so the run is tried again until one is interrupted.
    for _ in 0..5 {
        if let (Some(status), _) = interrupt_a_write("TERM", &[]) {
            use std::os::unix::process::ExitStatusExt;
            // Ended by the signal itself, not an exit status, so that a shell sees it.
            assert_eq!(status.signal(), Some(15), "not ended by SIGTERM: {status}");
            return;
        }
    }
    panic!("no write could be interrupted in five tries");
}

/// A signal ignored when attrib starts stays ignored while it writes: `nohup` runs a command
/// with SIGHUP ignored so that it outlives the terminal, and a write it runs goes on to the end.
#[cfg(target_os = "linux")]
#[test]
fn a_write_under_nohup_outlives_a_hangup() {
    // The signal must come while the file is written for the run to say anything.
    for _ in 0..5 {
        let (status, while_writing) = interrupt_a_write("HUP", &["nohup"]);
        assert!(status.is_none(), "ended by SIGHUP under nohup: {status:?}");
        if while_writing {
            return;
        }
    }
    panic!("no hangup came while the file was written, in five tries");
}

/// Starts `generate -o` (under `wrapper`, a command that runs another), sends `signal` as soon
/// as its temporary file appears, and checks that nothing is left behind: no temporary file,
/// and no output unless the write had finished. The exit status when the signal ended the
/// run, `None` when the run finished; and whether the signal was sent while the temporary
/// file existed.
#[cfg(target_os = "linux")]
fn interrupt_a_write(signal: &str, wrapper: &[&str]) -> (Option<std::process::ExitStatus>, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("attrib");
    let (program, before) = match wrapper {
        [first, rest @ ..] => (std::path::PathBuf::from(first), rest.to_vec()),
        [] => (bin.clone(), vec![]),
    };
    let mut command = std::process::Command::new(program);
    command.args(before);
    if !wrapper.is_empty() {
        command.arg(&bin);
    }
    let mut child = command
        .args(["generate", "--claims", "400000", "-o", "big.json"])
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let temporary = || {
        std::fs::read_dir(tmp.path()).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".big.json.attrib-")
        })
    };
    while !temporary() && std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let while_writing = temporary();
    std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!temporary(), "a temporary file was left behind");
    let finished = tmp.path().join("big.json").exists();
    if finished {
        assert!(status.success(), "a file was named by a failed run");
        (None, while_writing)
    } else {
        (Some(status), while_writing)
    }
}

#[test]
fn an_id_with_a_line_break_or_escape_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let text = case_with("T", "A", "w")
        .replace("id: \"a\"", "id: \"a\\nb\"")
        .replace("object: \"a\"", "object: \"a\\nb\"");
    let f = write(tmp.path(), "id.ron", &text);
    test_in(tmp.path(), &["check", &f])
        .stderr_has("[E013]")
        .stderr_has("invisible character ␊")
        .code(2)
        .run();
}

#[test]
fn a_line_break_in_a_name_is_shown_not_obeyed_in_explain_and_the_table() {
    let tmp = tempfile::tempdir().unwrap();
    // The source's name too: explain quotes it where it says where a line starts.
    let case = case_with("T", "First\\nSecond", "one\\ntwo")
        .replace("name: \"Source\"", "name: \"Src\\r\\nInjected: header\"");
    let f = write(tmp.path(), "nl.ron", &case);
    for args in [
        vec!["assess", f.as_str()],
        vec!["explain", f.as_str(), "--actor", "a"],
    ] {
        let out = test_in(tmp.path(), &args)
            .stdout_has("First␊Second")
            .run()
            .stdout;
        assert!(
            !out.lines()
                .any(|l| l.starts_with("Second") || l.trim_start().starts_with("Injected")),
            "{args:?}: {out}"
        );
    }
}

/// An imported bundle may hold actors but no incident (OASIS's APT1 report): assess said only
/// the title, and explain "the case has 0 incidents: name one with --incident ()".
#[test]
fn a_case_without_incidents_says_there_is_nothing_to_assess() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(
        tmp.path(),
        "none.ron",
        "Case(title: \"T\", actors: [Actor(id: \"a\", name: \"A\", kind: State)])\n",
    );
    for format in ["table", "markdown", "html"] {
        let args = if format == "html" {
            vec!["report", f.as_str(), "--format", "html"]
        } else {
            vec!["assess", f.as_str(), "--format", format]
        };
        let out = test_in(tmp.path(), &args)
            .stdout_has("The case has no incident, so there is nothing to assess yet.")
            .run()
            .stdout;
        assert!(!out.contains("tie actors and groups"), "{out}");
        // No key to judgements where there are none.
        assert!(!out.contains("are separate judgements"), "{out}");
    }
    // Its claims tying actors together are said to wait for an incident, lest the imported
    // case read as empty.
    let linked = write(
        tmp.path(),
        "linked.ron",
        r#"Case(title: "T",
    actors: [Actor(id: "a", name: "A", kind: State), Actor(id: "u", name: "U", kind: MilitaryUnit)],
    groups: [Group(id: "g", name: "G")],
    sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B, url: "https://e.org/")],
    claims: [Claim(id: "c1", source: "s", subject: "g", relation: OperatedBy, object: "u",
                   likelihood: Icd("likely"), wording: "w")],
)
"#,
    );
    for format in ["table", "markdown", "html"] {
        let args = if format == "html" {
            vec!["report", linked.as_str(), "--format", "html"]
        } else {
            vec!["assess", linked.as_str(), "--format", format]
        };
        test_in(tmp.path(), &args)
            .stdout_has(
                "nothing to assess yet. Its one claim ties actors and groups to one another",
            )
            .run();
    }
    test_in(tmp.path(), &["explain", &f, "--actor", "a"])
        .code(2)
        .stderr_has("the case has no incident, so there is nothing to explain")
        .stderr_lacks("--incident ()")
        .run();
}

/// An incident nobody has attributed yet printed an empty table.
#[test]
fn an_incident_without_hypotheses_says_so_instead_of_an_empty_table() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(
        tmp.path(),
        "open.ron",
        "Case(title: \"T\", incidents: [Incident(id: \"x\", name: \"X\")])\n",
    );
    test_in(tmp.path(), &["assess", &f])
        .stdout_has("Incident: X (x)\nNo claim names anyone as responsible for this incident yet.")
        .run();
}

/// A claim that supports a competitor's part reaches a hypothesis as opposition: the Markdown
/// report listed Microsoft's "DEV-0842 deployed the ransomware" under the Albanian hacktivists
/// as "supports via Void Manticore", though it is evidence for Iran, their competitor.
#[test]
fn a_claim_for_a_competitors_part_is_listed_as_opposing() {
    let out = Test::new()
        .args(["assess", "graphs/albania-2022.ron", "--format", "markdown"])
        .run()
        .stdout;
    let section = out
        .split("\n### ")
        .find(|s| s.starts_with("Albanian hacktivists"))
        .expect("a section on the hacktivists");
    let row = section
        .lines()
        .find(|l| l.starts_with("| d10b"))
        .expect("d10b behind the hacktivists");
    // With the way it takes: Void Manticore is part of Iran, the hacktivists' competitor (a
    // claim naming only Void Manticore read as nonsense where the way passed several actors).
    assert!(
        row.contains(
            "| opposes, through support for: Void Manticore → Government of Iran, a competitor |"
        ),
        "{row}"
    );
    assert!(!section.contains("| supports, through:"), "{section}");
    // A claim for the competitor itself reads as opposition too, by its first word.
    let row = section
        .lines()
        .find(|l| l.starts_with("| d7["))
        .expect("d7 behind the hacktivists");
    assert!(
        row.contains("| opposes, as support for a competitor: Government of Iran |"),
        "{row}"
    );
    assert!(!section.contains("| supports a competitor"), "{section}");
}

/// Setting aside the UK's claim d8 leaves Iran's P unchanged because NATO's echo d11 stands in
/// for it: the sensitivity table alone (ΔP +0.000) read as if the UK carried no weight.
#[test]
fn explain_names_the_echo_that_stands_in_for_a_removed_claim() {
    Test::new()
        .args(["explain", "--actor", "iran"])
        .stdout_has("Without claim d8, the restatement d11 stands in for it in its line")
        .stdout_has(
            "Without source uk-gov, the restatement d11 stands in for its claim d8 in its line",
        )
        .run();
}

/// EUROPIUM is "likely" at P 0.57 with a belief of 0.17: most of P is the 0.5 prior, which the
/// report now says; Iran (evidence-driven) and the hacktivists (driven by disbelief) get no
/// such note.
#[test]
fn a_likelihood_resting_on_the_base_rate_says_so() {
    let out = Test::new()
        .args(["assess", "--format", "markdown"])
        .run()
        .stdout;
    let section = |name: &str| {
        out.split("\n### ")
            .find(|s| s.starts_with(name))
            .unwrap_or_else(|| panic!("no section {name}"))
            .to_string()
    };
    let note = "Most of this probability comes from the base rate";
    assert!(section("EUROPIUM").contains(note));
    assert!(!section("Government of Iran").contains(note));
    assert!(!section("Albanian hacktivists").contains(note));
}

/// `-o` onto a pipe, a device or a link: the output is written into a pipe or a device, and a
/// link keeps pointing at the file it names. The temporary-file-and-rename write replaced them
/// (`-o /dev/null` as root turned the device into a regular file, which every later reader of
/// /dev/null then read back).
#[cfg(unix)]
#[test]
fn output_onto_a_pipe_or_a_link_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    Test::new()
        .args(["assess", "-o", fifo.to_str().unwrap()])
        .run();
    let got = reader.join().unwrap();
    assert!(got.contains("Government of Iran"), "{got}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    let real = tmp.path().join("real.md");
    std::fs::write(&real, "old").unwrap();
    let link = tmp.path().join("link.md");
    std::os::unix::fs::symlink("real.md", &link).unwrap();
    Test::new()
        .args([
            "assess",
            "--format",
            "markdown",
            "-o",
            link.to_str().unwrap(),
        ])
        .run();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("# Assessment")
    );

    // A link loop is refused, and stays as it was.
    let looped = tmp.path().join("loop");
    std::os::unix::fs::symlink("loop", &looped).unwrap();
    Test::new()
        .args(["assess", "-o", looped.to_str().unwrap()])
        .code(2)
        .stderr_has("too many levels of symbolic links")
        .run();
    assert!(
        std::fs::symlink_metadata(&looped)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // `-o /dev/stdout` into a file the caller is writing: the output lands between what the
    // caller wrote before and after, as on stdout (the file was replaced, or written over).
    use std::io::Write;
    let log = tmp.path().join("log.txt");
    let mut file = std::fs::File::create(&log).unwrap();
    file.write_all(b"HEADER\n").unwrap();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("attrib"))
        .args(["assess", "-o", "/dev/stdout"])
        .stdout(file.try_clone().unwrap())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    file.write_all(b"FOOTER\n").unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("HEADER\n"), "{text}");
    assert!(text.ends_with("FOOTER\n"), "{text}");
    assert!(text.contains("Government of Iran"), "{text}");
}

/// Only an echo that carries evidence, on the statement it restates, stands in: an Admiralty 6
/// restatement and a restatement naming someone else were said to stand in for c1.
#[test]
fn no_stand_in_is_named_for_an_echo_that_cannot_stand_in() {
    let case = r#"Case(title: "E",
    actors: [Actor(id: "s", name: "S", kind: State), Actor(id: "z", name: "Z", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Government, reliability: B, url: "https://e.org/b"),
        Source(id: "c", name: "C", kind: Government, reliability: B, url: "https://e.org/c"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Probability(0.9), wording: "w"),
        Claim(id: "e1", source: "b", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Admiralty(6), derived_from: ["c1"], wording: "w"),
        Claim(id: "e2", source: "c", subject: "i", relation: AttributedTo, object: "z",
              likelihood: Probability(0.9), derived_from: ["c1"], wording: "w"),
    ])
"#;
    let out = explain_s(case, &[]);
    assert!(out.contains("claim c1"), "{out}");
    assert!(!out.contains("stand"), "{out}");
}

/// A restatement that names a declared whole of the actor its original names ("S did it",
/// restating "S's agency G did it") stands in for nothing: it would put on S directly what
/// reaches S from G through the declared link, and a direct claim on S is not that (a pair
/// carries S's direct claims across, never what came up from a part; a denial of G never
/// reaches S), so setting the original aside could raise a P. Without c1, S has no evidence,
/// and e1 is listed as restating something else.
#[test]
fn a_restatement_naming_the_declared_whole_stands_in_for_nothing() {
    let case = r#"Case(title: "E",
    actors: [
        Actor(id: "s", name: "S", kind: State),
        Actor(id: "g", name: "G", kind: Agency, part_of: "s"),
    ],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Media, reliability: B, url: "https://e.org/b"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "g",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "e1", source: "b", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("very likely"), derived_from: ["c1"], wording: "w"),
    ])
"#;
    let out = explain_s(case, &[]);
    let row = |item: &str| {
        (out.lines())
            .find(|l| l.trim_start().starts_with(item))
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
    };
    assert_eq!(row("claim c1").unwrap()[2], "0.500", "{out}");
    assert_eq!(row("source a").unwrap()[2], "0.500", "{out}");
    // The source's row is the line's: nothing stands in for its claim.
    assert!(row("line of evidence").is_none(), "{out}");
    assert!(!out.contains("stands in"), "{out}");
    let without = explain_s(case, &["--without", "c1"]);
    assert!(
        without.contains(
            "e1 [B, ICD 203 \"very likely\"]: it stands in for the original claims it \
             restates, absent here, but they state something else"
        ),
        "{without}"
    );
    assert!(without.contains("P 0.500"), "{without}");
}

/// A restatement of two claims, one stating what it states and one on another actor, stood
/// in for the first with half its evidence (a `1/k` split counting the other): restoring the
/// other, a denial of Y, raised X from "insufficient evidence" to "likely".
#[test]
fn an_origin_saying_something_else_does_not_split_a_stand_in() {
    let case = r#"Case(title: "A",
    actors: [Actor(id: "x", name: "X", kind: State), Actor(id: "y", name: "Y", kind: State)],
    incidents: [Incident(id: "i", name: "I", start: "2024-01-01")],
    sources: [
        Source(id: "s1", name: "S1", kind: Vendor, reliability: A, family: "f1", url: "https://e.org/1"),
        Source(id: "s2", name: "S2", kind: Vendor, reliability: B, family: "f2", url: "https://e.org/2"),
        Source(id: "t", name: "T", kind: Vendor, reliability: C, family: "f3", url: "https://e.org/t"),
    ],
    claims: [
        Claim(id: "o1", source: "s1", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("almost certain"), confidence: High, wording: "w"),
        Claim(id: "o2", source: "s2", subject: "i", relation: AttributedTo, object: "y", likelihood: Icd("almost no chance"), confidence: High, wording: "w"),
        Claim(id: "e", source: "t", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("likely"), derived_from: ["o1", "o2"], wording: "w"),
    ])
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "a.ron", case);
    let p = |extra: &[&str]| -> String {
        let mut args = vec!["assess", f.as_str(), "--width", "0"];
        args.extend(extra);
        let out = test_in(tmp.path(), &args).run().stdout;
        let row = (out.lines())
            .find(|l| l.starts_with(" X (x)"))
            .unwrap()
            .to_string();
        // P: the first figure with three decimals.
        (row.split_whitespace())
            .find(|w| w.len() == 5 && w.starts_with("0."))
            .unwrap()
            .to_string()
    };
    let both_aside = p(&["--without", "o1", "--without", "o2"]);
    assert_eq!(both_aside, p(&["--without", "o1"]));
    assert_eq!(both_aside, "0.609");
}

/// A chain c (X) <- m (Y) <- d (X): with c set aside, m (restating it on another actor)
/// carries nothing for X, yet made d an echo of it, so restoring m lowered X from "very
/// likely" to "insufficient evidence". d now stands in for c through m, m or no m; with c
/// present, d is an echo of c, named as what is counted instead.
#[test]
fn a_restatement_saying_something_else_makes_nothing_an_echo() {
    let case = r#"Case(title: "M",
    actors: [Actor(id: "x", name: "X", kind: State), Actor(id: "y", name: "Y", kind: State)],
    incidents: [Incident(id: "i", name: "I", start: "2024-01-01")],
    sources: [
        Source(id: "s1", name: "S1", kind: Vendor, reliability: B, family: "f1", url: "https://e.org/1"),
        Source(id: "s2", name: "S2", kind: Vendor, reliability: B, family: "f2", url: "https://e.org/2"),
        Source(id: "s3", name: "S3", kind: Vendor, reliability: B, family: "f3", url: "https://e.org/3"),
    ],
    claims: [
        Claim(id: "c", source: "s1", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "m", source: "s2", subject: "i", relation: AttributedTo, object: "y", likelihood: Icd("very likely"), derived_from: ["c"], wording: "w"),
        Claim(id: "d", source: "s3", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("very likely"), derived_from: ["m"], wording: "w"),
    ])
"#;
    let with_m = explain_actor(case, "x", &["--without", "c"]);
    let without_m = explain_actor(case, "x", &["--without", "c", "--without", "m"]);
    // One B source's "very likely": P = 0.5 + 0.5 x 0.614 (model §2-3), standing in for c.
    for out in [&with_m, &without_m] {
        assert!(out.contains("P 0.807"), "{out}");
        assert!(
            out.contains("claim d by S3 [B, standing in for f1]"),
            "{out}"
        );
    }
    let present = explain_actor(case, "x", &[]);
    assert!(
        present.contains(
            "d [S3, ICD 203 \"very likely\"]: it restates claims present in the case, \
             counted instead (c)"
        ),
        "{present}"
    );
    // `check` warns of m (never counted), not of d (which carries c through m).
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "m.ron", case);
    let checked = test_in(tmp.path(), &["check", f.as_str()]).run().stderr;
    assert!(
        checked.contains("claim `m` restates `c` but says something else"),
        "{checked}"
    );
    assert!(!checked.contains("claim `d` restates"), "{checked}");
    // With m's line set aside too, d still counts (it carries c, not m): the report's basis
    // says so.
    let md = test_in(
        tmp.path(),
        &[
            "assess",
            f.as_str(),
            "--format",
            "markdown",
            "--without",
            "c",
            "--without",
            "f2",
        ],
    )
    .run()
    .stdout;
    assert!(md.contains("Based on 1 claim from 1 source"), "{md}");
}

/// A chain c <- m <- d on one actor, an A source's "almost certain" restated by a D source's
/// "likely" restated by an A source's "almost certain": with c set aside, m present made d an
/// echo of it, so restoring m (support) swapped d's stand-in for m's weaker one and lowered P
/// from 0.866 to 0.575. Only originals end a chain: d stands in for c whether m is there or
/// not, and carries what c carries.
#[test]
fn restoring_a_weaker_middle_restatement_lowers_nothing() {
    let case = r#"Case(title: "S",
    actors: [Actor(id: "x", name: "X", kind: State)],
    incidents: [Incident(id: "i", name: "I", start: "2024-01-01")],
    sources: [
        Source(id: "s1", name: "S1", kind: Vendor, reliability: A, family: "f1", url: "https://e.org/1"),
        Source(id: "s2", name: "S2", kind: Media, reliability: D, family: "f2", url: "https://e.org/2"),
        Source(id: "s3", name: "S3", kind: Media, reliability: A, family: "f3", url: "https://e.org/3"),
    ],
    claims: [
        Claim(id: "c", source: "s1", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("almost certain"), wording: "w"),
        Claim(id: "m", source: "s2", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("likely"), derived_from: ["c"], wording: "w"),
        Claim(id: "d", source: "s3", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("almost certain"), derived_from: ["m"], wording: "w"),
    ])
"#;
    let p = |extra: &[&str]| explained_p(case, "x", extra);
    let c_alone = p(&["--without", "m", "--without", "d"]);
    assert_eq!(c_alone, "0.866");
    assert_eq!(p(&["--without", "c", "--without", "m"]), c_alone);
    assert_eq!(p(&["--without", "c"]), c_alone);
    assert_eq!(p(&[]), c_alone);
}

/// A restatement standing in for two claims, one on the other side (a D source's "unlikely"
/// beside an A source's "almost certain"), split its evidence between them though the other
/// side's cap holds that one's share to 0: restoring the denial undid the split and raised X
/// from "likely" (0.788) to "very likely" (0.826). The split now counts only originals on the
/// restatement's side: with both set aside, it carries what the A source's claim carries.
#[test]
fn a_denial_among_the_originals_takes_no_share_of_a_stand_in() {
    let case = r#"Case(title: "K",
    actors: [Actor(id: "x", name: "X", kind: State)],
    incidents: [Incident(id: "i", name: "I", start: "2024-01-01")],
    sources: [
        Source(id: "s1", name: "S1", kind: Vendor, reliability: D, family: "f1", url: "https://e.org/1"),
        Source(id: "s2", name: "S2", kind: Vendor, reliability: A, family: "f2", url: "https://e.org/2"),
        Source(id: "t", name: "T", kind: Media, reliability: A, family: "f3", url: "https://e.org/t"),
    ],
    claims: [
        Claim(id: "o1", source: "s1", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("unlikely"), wording: "w"),
        Claim(id: "o2", source: "s2", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("almost certain"), wording: "w"),
        Claim(id: "e", source: "t", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("almost certain"), derived_from: ["o1", "o2"], wording: "w"),
    ])
"#;
    let p = |extra: &[&str]| -> f64 { explained_p(case, "x", extra).parse().unwrap() };
    let both_aside = p(&["--without", "o1", "--without", "o2"]);
    assert_eq!(both_aside, p(&["--without", "o1", "--without", "e"]));
    assert!(p(&["--without", "o2"]) <= both_aside);
}

/// A restatement on the other side of its original ("almost no chance", restating "very
/// likely") stands in for it, when it is set aside, held to what it would give: nothing
/// against. explain called it "an even chance, which says nothing"; the JSON reason was
/// "vacuous". Re-reading such an echo while its original stands changed nothing silently.
#[test]
fn a_stand_in_held_to_nothing_says_why() {
    let case = r#"Case(title: "E",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Government, reliability: B, url: "https://e.org/b"),
        Source(id: "c", name: "C", kind: Government, reliability: B, url: "https://e.org/c"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c2", source: "c", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("likely"), wording: "w"),
        Claim(id: "e1", source: "b", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("almost no chance"), derived_from: ["c1"], wording: "w"),
    ])
"#;
    let out = explain_s(case, &["--without", "c1"]);
    assert!(
        out.contains("it stands in for the original claims it restates, absent here"),
        "{out}"
    );
    assert!(!out.contains("even chance"), "{out}");
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "e.ron", case);
    let json = test_in(
        tmp.path(),
        &["assess", &f, "--format", "json", "--without", "c1"],
    )
    .run()
    .stdout;
    assert!(
        json.contains(r#"{"claim": "e1", "reason": "capped"}"#),
        "{json}"
    );
    test_in(tmp.path(), &["check", &f])
        .stderr_has("warning[W116]: claim `e1` restates `c1` but takes the other side")
        .run();
    test_in(tmp.path(), &["assess", &f, "--restate", "e1=likely"])
        .stderr_has(
            "note: --restate e1 leaves the judgements as they are: e1 restates claims counted \
             instead",
        )
        .run();
    // Set aside with its original, it stands in, and re-reading it is no longer idle.
    test_in(
        tmp.path(),
        &["assess", &f, "--restate", "e1=likely", "--without", "c1"],
    )
    .stderr_lacks("changes nothing")
    .run();
}

/// A claim tying a group to a state that denies the attack lowers the group's P: the denial
/// passes down the link, support does not (model §5). explain said nothing, and the negative
/// weight of "G acts for S" read as a mistake.
#[test]
fn a_link_that_brings_a_denial_down_is_explained() {
    let case = r#"Case(title: "E",
    actors: [Actor(id: "s", name: "S", kind: State)],
    groups: [Group(id: "g", name: "G")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Vendor, reliability: B, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Government, reliability: B, url: "https://e.org/b"),
        Source(id: "k", name: "K", kind: Adversary, reliability: E, url: "https://e.org/k"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "g",
              likelihood: Icd("likely"), wording: "w"),
        Claim(id: "l1", source: "b", subject: "g", relation: SubordinateOf, object: "s",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "d1", source: "k", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("almost no chance"), wording: "w"),
    ])
"#;
    let group = explain_actor(case, "g", &[]);
    assert!(group.contains("Without claim l1, P rises (+"), "{group}");
    assert!(
        group.contains(
            "l1 ties g to s, and what opposes s (its denials, the support of its \
             competitors) passes down to g with it, while what supports s does not (model §5).\n"
        ),
        "{group}"
    );
    // A state is not a group's other name: no word of `PossiblySameAs`.
    assert!(!group.contains("PossiblySameAs"), "{group}");
    // On the state's own judgement the link carries the group's support up: no such note.
    let state = explain_s(case, &[]);
    assert!(!state.contains("P rises"), "{state}");
    // A group tied to a military unit may be the unit under another name (Sandworm, Unit
    // 74455): the note says how to say so.
    let unit = case
        .replace(
            "kind: State)]",
            "kind: State), Actor(id: \"u\", name: \"U\", kind: MilitaryUnit, part_of: \"s\")]",
        )
        .replace(
            "object: \"s\",\n              likelihood: Icd(\"very likely\")",
            "object: \"u\",\n              likelihood: Icd(\"very likely\")",
        );
    assert_ne!(unit, case);
    let group = explain_actor(&unit, "g", &[]);
    assert!(
        group.contains(
            "If g and u are one actor known by two names, a `PossiblySameAs` claim says that \
             instead, and direct support crosses it both ways."
        ),
        "{group}"
    );
}

/// The claims a hypothesis's evidence crosses are named for what they are: a "possibly the
/// same as" pair was called a link.
#[test]
fn carried_via_a_pair_says_pair() {
    let case = r#"Case(title: "h",
    groups: [Group(id: "g", name: "Grp"), Group(id: "t", name: "Other")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
        Source(id: "v", name: "V", kind: Vendor, reliability: B, url: "https://e.org/v"),
    ],
    claims: [
        Claim(id: "c1", source: "v", subject: "i", relation: AttributedTo, object: "t",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "l2", source: "a", subject: "g", relation: PossiblySameAs, object: "t",
              likelihood: Icd("very likely"), wording: "w"),
    ])
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "p.ron", case);
    test_in(tmp.path(), &["assess", &f, "--width", "0"])
        .stdout_has("c1; via pairs l2")
        .run();
    test_in(tmp.path(), &["dot", &f])
        .stdout_has("carried by c1; via pairs l2")
        .run();
}

/// A family written with a combining accent on one source and composed on another is one
/// family, as a reader sees it: it counted as two independent lines of evidence.
#[test]
fn a_family_is_one_whatever_the_accent_is_typed_as() {
    let case = "Case(title: \"h\",
    actors: [Actor(id: \"s\", name: \"S\", kind: State)],
    incidents: [Incident(id: \"i\", name: \"I\")],
    sources: [
        Source(id: \"a\", name: \"A\", kind: Government, reliability: B, url: \"https://e.org/a\", family: \"minist\u{e8}re\"),
        Source(id: \"b\", name: \"B\", kind: Government, reliability: B, url: \"https://e.org/b\", family: \"ministe\u{300}re\"),
    ],
    claims: [
        Claim(id: \"c1\", source: \"a\", subject: \"i\", relation: AttributedTo, object: \"s\", likelihood: Icd(\"likely\"), wording: \"w\"),
        Claim(id: \"c2\", source: \"b\", subject: \"i\", relation: AttributedTo, object: \"s\", likelihood: Icd(\"likely\"), wording: \"w\"),
    ])
";
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "f.ron", case);
    let json = test_in(tmp.path(), &["assess", &f, "--format", "json"])
        .run()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let h = &v["incidents"][0]["hypotheses"][0];
    assert_eq!(h["lines_for"], 1, "{h}");
    // And `--without` finds it written either way.
    test_in(tmp.path(), &["assess", &f, "--without", "ministe\u{300}re"])
        .stderr_lacks("error")
        .run();
}

/// W114's help fits the set: when every member has a prior of its own, lowering the case's
/// prior changes nothing, and the help said to.
#[test]
fn exclusive_priors_of_their_own_are_the_ones_to_lower() {
    let case = r#"Case(title: "E",
    actors: [Actor(id: "s", name: "S", kind: State), Actor(id: "z", name: "Z", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a")],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c2", source: "a", subject: "i", relation: AttributedTo, object: "z",
              likelihood: Icd("unlikely"), wording: "w"),
    ],
    hypotheses: [
        Hypothesis(incident: "i", actor: "s", prior: 0.6),
        Hypothesis(incident: "i", actor: "z", prior: 0.6),
    ],
    exclusive: [Exclusive(incident: "i", members: ["s", "z"])])
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "x.ron", case);
    test_in(tmp.path(), &["check", &f])
        .stderr_has("add up to 1.2, more than 1")
        .stderr_has("help: lower the members' priors")
        .stderr_lacks("case's `prior`")
        .stdout_has("(1 warning)")
        .run();
}

/// A restatement gives its original's line no more than the original would (model §6), so an
/// echo of a claim that carries nothing (an even chance) carries nothing in its stead. explain
/// said the echo stood in for it, beside a ΔP of 0 that meant just that the original weighed
/// nothing.
#[test]
fn no_stand_in_is_named_for_an_original_that_carries_nothing() {
    let case = r#"Case(title: "E",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Government, reliability: B, url: "https://e.org/b"),
        Source(id: "d", name: "D", kind: Government, reliability: A, url: "https://e.org/d"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("roughly even chance"), wording: "w"),
        Claim(id: "e1", source: "b", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Probability(0.9), derived_from: ["c1"], wording: "w"),
        Claim(id: "c2", source: "d", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Probability(0.8), wording: "w"),
    ])
"#;
    let out = explain_s(case, &[]);
    assert!(
        sensitivity_row(&out, "claim c1").contains("+0.000"),
        "{out}"
    );
    assert!(!out.contains("stand"), "{out}");
}

/// An echo of an echo carries the first claim's evidence (model §6 rule 1). Setting aside the
/// middle restatement e1, itself weightless while c1 is present, left e2 standing in for e1 in
/// e1's line: a line of evidence that was not there, and ΔP +0.049 for removing a claim that
/// carries nothing.
#[test]
fn setting_aside_the_middle_of_an_echo_chain_changes_nothing() {
    let case = r#"Case(title: "E",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Media, reliability: C, url: "https://e.org/b"),
        Source(id: "c", name: "C", kind: Media, reliability: C, url: "https://e.org/c"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Probability(0.9), wording: "w"),
        Claim(id: "e1", source: "b", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Probability(0.9), derived_from: ["c1"], wording: "w"),
        Claim(id: "e2", source: "c", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Probability(0.9), derived_from: ["e1"], wording: "w"),
    ])
"#;
    let out = explain_s(case, &[]);
    let row = |item: &str| {
        sensitivity_row(&out, item)
            .split_whitespace()
            .skip(2)
            .take(2)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("claim e1"), ["0.807", "+0.000"], "{out}");
    assert_eq!(row("source b"), ["0.807", "+0.000"], "{out}");
    // Without c1 its restatements e1 and e2 stand in for it (in c1's line, at their weight,
    // the line counting the stronger once): e2 carries c1's evidence through e1.
    assert_eq!(row("claim c1"), ["0.734", "-0.072"], "{out}");
    assert!(
        out.contains("Without claim c1, the restatements e1 and e2 stand in"),
        "{out}"
    );
    assert!(!out.contains("Without claim e1"), "{out}");
    assert!(!out.contains("Without source b"), "{out}");
}

/// A device that refuses the write (`/dev/full`: no space left) is an error with its cause,
/// not a success.
#[cfg(target_os = "linux")]
#[test]
fn a_device_that_refuses_the_output_is_an_error() {
    Test::new()
        .args(["assess", "-o", "/dev/full"])
        .code(2)
        .stderr_has("cannot write `/dev/full`")
        .run();
}

/// explain never prints P rounded onto a band edge it is below: with the prior at 0.1492 the
/// dockworkers' union (b 0, u 0.334) is at P 0.04985, "almost no chance", and three decimals
/// would print it as 0.050, the edge of "very unlikely".
#[test]
fn explain_prints_no_band_edge_beside_a_term_below_it() {
    let out = Test::new()
        .args(["explain", "graphs/tutorial.ron", "--actor", "marlin-union"])
        .args([
            "--incident",
            "marlin-outage",
            "--prior",
            "0.1492",
            "--width",
            "0",
        ])
        .run()
        .stdout;
    let line = out
        .lines()
        .find(|l| l.starts_with("Likelihood:"))
        .expect("a likelihood line");
    assert!(line.starts_with("Likelihood: almost no chance"), "{line}");
    assert!(line.contains("(P 0.0499 "), "{line}");
    // The sensitivity table: without claim t1 nothing changes, so P is the same.
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("claim t1 "))
        .expect("a row for t1");
    assert!(
        row.contains(" 0.0499 ") && row.contains("almost no chance"),
        "{row}"
    );
}

/// A restatement standing in for a missing original carries no more than the original would
/// (model §6): a C source's "likely" restated by an A source as "almost certain", high
/// confidence, leaves P where the original put it when the original is set aside, and does
/// not make the line strong (it was P 0.939 and a strong line, more than with the original).
#[test]
fn a_stand_in_carries_no_more_than_its_original() {
    let case = r#"Case(title: "E",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Media, reliability: C, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Government, reliability: A, url: "https://e.org/b"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("likely"), wording: "w"),
        Claim(id: "e1", source: "b", subject: "i", relation: AttributedTo, object: "s",
              likelihood: Icd("almost certain"), confidence: High, derived_from: ["c1"],
              wording: "w"),
    ])
"#;
    let with = explain_s(case, &[]);
    let without = explain_s(case, &["--without", "c1"]);
    for out in [&with, &without] {
        assert!(out.contains("P 0.609 = b 0.219"), "{out}");
        assert!(
            out.contains("1 independent line for, 0 against; none of them resting"),
            "{out}"
        );
    }
    assert!(without.contains("from claim e1"), "{without}");
}

/// Two strong lines for and two against, each almost certain: high confidence (little
/// uncertainty, strong lines) beside a marked conflict. The reports say what the confidence
/// rests on, since the two read as a contradiction side by side.
#[test]
fn high_confidence_beside_a_marked_conflict_says_what_it_rests_on() {
    let source = |id: &str| {
        format!(
            "Source(id: \"{id}\", name: \"{id}\", kind: Government, reliability: A, url: \"https://example.org/{id}\")"
        )
    };
    let claim = |id: &str, source: &str, term: &str| {
        format!(
            "Claim(id: \"{id}\", source: \"{source}\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"{term}\"), confidence: High)"
        )
    };
    let case = format!(
        "Case(title: \"C\", as_of: \"2024-01-01\", actors: [Actor(id: \"s\", name: \"State\", kind: State)],\n\
         incidents: [Incident(id: \"i\", name: \"Incident\")],\n\
         sources: [{}],\n claims: [{}])",
        ["a", "b", "c", "d"].map(source).join(", "),
        [
            claim("c1", "a", "almost certain"),
            claim("c2", "b", "almost certain"),
            claim("c3", "c", "almost no chance"),
            claim("c4", "d", "almost no chance"),
        ]
        .join(", ")
    );
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "c.ron", &case);
    let said = "The sources conflict markedly (degree of conflict 0.82): the high confidence rests \
                on how much evidence there is and how strong its sources are, not on their \
                agreement.";
    let markdown = test_in(tmp.path(), &["assess", &f, "--format", "markdown"])
        .run()
        .stdout;
    assert!(markdown.contains(said), "{markdown}");
    let html = html_report(&case);
    assert!(html.contains(said), "{html}");
}

/// `attrib report --format html` on `case` (RON text), without Graphviz on PATH so that the
/// test needs nothing but Rust: the report.
fn html_report(case: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "r.ron", case);
    Test::new()
        .current_dir(tmp.path())
        .env("PATH", Some(""))
        .args(["report", &f, "--format", "html"])
        .run()
        .stdout
}

/// Four claims, each pivotal only because P (0.951) sits just above the 95 % edge: the report
/// lists none of them as what the judgement hinges on, says so, and names each in the sentence
/// on the edge (no list stands above it to say "each of these" of).
#[test]
fn pivotal_items_all_at_a_near_edge_leave_no_list() {
    let claim = |k: usize| {
        format!(
            "Claim(id: \"c{k}\", source: \"s{k}\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"very likely\"), confidence: High)"
        )
    };
    let source = |k: usize| {
        format!(
            "Source(id: \"s{k}\", name: \"S{k}\", kind: Government, reliability: A, url: \"https://example.org/{k}\")"
        )
    };
    let case = format!(
        "Case(title: \"E\", as_of: \"2024-01-01\", actors: [Actor(id: \"s\", name: \"State\", kind: State)],\n\
         incidents: [Incident(id: \"i\", name: \"Incident\")],\n\
         sources: [{}, Source(id: \"m\", name: \"Ministry\", kind: Adversary, reliability: E, url: \"https://example.org/m\")],\n\
         claims: [{}, Claim(id: \"no\", source: \"m\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"almost no chance\"))])",
        (0..4).map(source).collect::<Vec<_>>().join(", "),
        (0..4).map(claim).collect::<Vec<_>>().join(", "),
    );
    let html = html_report(&case);
    assert!(
        html.contains("<h4>Pivotal evidence</h4>\n<p>No claim, source or line of evidence set aside on its own changes the confidence, or the likelihood term by more than a nearby band edge.</p>\n<p>Claim c0 (or its source s0), claim c1 (or its source s1), claim c2 (or its source s2), claim c3 (or its source s3) each move P by less than 0.02: P (0.951) lies within 0.005 of the 95 % edge"),
        "{html}"
    );
    assert!(!html.contains("<li>Without claim c"), "{html}");
    // The key judgement, the sentence readers quote, says how near the edge it stands.
    assert!(
        html.contains(
            " P lies near the 95 % edge: without any one of 4 claims it would read very likely \
             (80–95 %).</li>"
        ),
        "{html}"
    );
}

/// A denial graded E that is pivotal only because P sits just below a band edge (0.947,
/// "very likely"; without the denial 0.954, "almost certain"): the report's pivotal list says
/// the edge is why, so that the denial is not read as what the judgement hinges on, and does
/// not list it among the pivotal items (docs/report.md). It names the denial's source with
/// it, as `explain` does (the source's one claim: setting either aside is the same).
#[test]
fn a_pivotal_item_that_only_crosses_a_near_edge_is_said_to() {
    let case = "Case(title: \"E\", as_of: \"2024-01-01\", actors: [Actor(id: \"s\", name: \"State\", kind: State)],\n\
        incidents: [Incident(id: \"i\", name: \"Incident\")],\n\
        sources: [Source(id: \"s0\", name: \"S0\", kind: Government, reliability: A, url: \"https://example.org/0\"),\n\
          Source(id: \"s1\", name: \"S1\", kind: Government, reliability: A, url: \"https://example.org/1\"),\n\
          Source(id: \"m\", name: \"Ministry\", kind: Adversary, reliability: E, url: \"https://example.org/m\")],\n\
        claims: [Claim(id: \"c0\", source: \"s0\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"almost certain\"), confidence: High),\n\
          Claim(id: \"c1\", source: \"s1\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"almost certain\"), confidence: Moderate),\n\
          Claim(id: \"no\", source: \"m\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"almost no chance\"))])";
    let html = html_report(case);
    assert!(!html.contains("<li>Without claim no"), "{html}");
    assert!(
        html.contains(
            " P lies near the 95 % edge: without claim no it would read almost certain \
             (95–99 %).</li>"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "(P = 0.930; change -0.017).</li>\n</ul>\n<p>Claim no (or its source m) moves"
        ),
        "{html}"
    );
    assert!(
        html.contains("<p>Claim no (or its source m) moves P by less than 0.02: P (0.947) lies within 0.005 of the 95 % edge between two likelihood words, so it crosses the edge while the evidence hardly changes.</p>"),
        "{html}"
    );
    // explain says so too, under its sensitivity table (it marked the denial pivotal alone).
    let explained = explain_actor(case, "s", &[]);
    assert!(
        explained.contains("\nClaim no, source m each move P by less than 0.02: P (0.947) lies within 0.005 of the 95 % edge between two likelihood words, so each crosses the edge while the evidence hardly changes.\n"),
        "{explained}"
    );
    // A weak claim whose removal leaves too little evidence for a word ("insufficient
    // evidence") crosses no band edge, however little it moves P.
    let weak = "Case(title: \"U\", as_of: \"2024-01-01\", actors: [Actor(id: \"s\", name: \"State\", kind: State)],\n\
        incidents: [Incident(id: \"i\", name: \"Incident\")],\n\
        sources: [Source(id: \"s0\", name: \"S0\", kind: Government, reliability: D, url: \"https://example.org/0\"),\n\
          Source(id: \"s1\", name: \"S1\", kind: Government, reliability: E, url: \"https://example.org/1\")],\n\
        claims: [Claim(id: \"c0\", source: \"s0\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Probability(0.72)),\n\
          Claim(id: \"c1\", source: \"s1\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Probability(0.6))])";
    let html = html_report(weak);
    assert!(html.contains("<h4>Pivotal evidence</h4>\n<ul>"), "{html}");
    assert!(!html.contains("by less than 0.02"), "{html}");
}

/// Under `--without FAMILY`, a restatement whose originals all go with that line of evidence
/// goes with them: explain said it restated "claims present in the case, counted instead"
/// and then that they were not, and the report's basis counted it.
#[test]
fn an_echo_of_a_line_set_aside_goes_with_it_in_words_and_counts() {
    let case = r#"Case(
    title: "t",
    actors: [Actor(id: "a", name: "A", kind: State)],
    incidents: [Incident(id: "x", name: "X")],
    sources: [
        Source(id: "gov", name: "Gov", kind: Government, reliability: B, family: "gov-line"),
        Source(id: "wire", name: "Wire", kind: Media, reliability: C),
        Source(id: "lab", name: "Lab", kind: Vendor, reliability: B),
    ],
    claims: [
        Claim(id: "g1", source: "gov", subject: "x", relation: AttributedTo, object: "a",
              wording: "w", url: "https://example.org/1", likelihood: Icd("very likely")),
        Claim(id: "w1", source: "wire", subject: "x", relation: AttributedTo, object: "a",
              wording: "w", url: "https://example.org/2", likelihood: Icd("very likely"),
              derived_from: ["g1"]),
        Claim(id: "l1", source: "lab", subject: "x", relation: AttributedTo, object: "a",
              wording: "w", url: "https://example.org/3", likelihood: Icd("likely")),
    ],
)
"#;
    let out = explain_actor(case, "a", &["--without", "gov-line"]);
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("w1 ["))
        .unwrap_or_else(|| panic!("no line for w1:\n{out}"));
    assert!(
        line.ends_with(
            ": it restates g1, set aside with its line of evidence, and this restatement with it"
        ),
        "{line}"
    );
    assert!(!line.contains("counted instead"), "{line}");
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "e.ron", case);
    let report = test_in(
        tmp.path(),
        &[
            "report",
            &f,
            "--format",
            "markdown",
            "--without",
            "gov-line",
        ],
    )
    .run()
    .stdout;
    assert!(
        report.contains("Based on 1 claim from 1 source (of the case's 3 claims from 3 sources)."),
        "{report}"
    );
}

/// A prior written `-0.0` was named "a prior of -0": a sign where the value has none.
#[test]
fn a_negative_zero_is_shown_as_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let case = case_with("t", "A", "w").replace("as_of:", "prior: -0.0,\n    as_of:");
    let f = write(tmp.path(), "z.ron", &case);
    test_in(tmp.path(), &["check", &f])
        .stderr_has("a prior of 0 holds every hypothesis impossible")
        .stderr_lacks("-0 ")
        .run();
    let f = write(tmp.path(), "c.ron", &case_with("t", "A", "w"));
    let out = test_in(
        tmp.path(),
        &[
            "assess",
            &f,
            "--restate",
            "c1=Probability(-0.0)",
            "--width",
            "0",
        ],
    )
    .run()
    .stdout;
    assert!(
        out.contains("probability 0") && !out.contains("probability -0"),
        "{out}"
    );
}

/// The note on a refuted competitor: only when evidence of its own is against it. The
/// support of the hypothesis explained, crossing the exclusive set, is no refutation (the
/// bundled case's Iran and Albanian hacktivists got the note for that alone).
#[test]
fn a_competitor_is_called_refuted_only_by_evidence_of_its_own() {
    let case = |refuted: bool| {
        format!(
            r#"Case(title: "R",
    actors: [Actor(id: "a", name: "A", kind: State), Actor(id: "b", name: "B", kind: Organisation)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "s1", name: "S1", kind: Government, reliability: B, url: "https://e.org/1"),
        Source(id: "s2", name: "S2", kind: Media, reliability: C, url: "https://e.org/2"),
        Source(id: "s3", name: "S3", kind: Vendor, reliability: B, url: "https://e.org/3"),
    ],
    claims: [
        Claim(id: "c1", source: "s1", subject: "i", relation: AttributedTo, object: "a",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c2", source: "s2", subject: "i", relation: AttributedTo, object: "b",
              likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c3", source: "s3", subject: "i", relation: AttributedTo, object: "b",
              likelihood: Icd("{}"), wording: "w"),
    ],
    exclusive: [Exclusive(incident: "i", members: ["a", "b"])],
)
"#,
            if refuted { "very unlikely" } else { "likely" }
        )
    };
    let refuted = explain_actor(&case(true), "a", &[]);
    assert!(
        refuted.contains(
            "The competing hypothesis b is itself improbable (P 0.175, "
        ) && refuted.contains("1 line against it besides the exclusive set), yet its support still counts against this one"),
        "{refuted}"
    );
    let supported = explain_actor(&case(false), "a", &[]);
    assert!(!supported.contains("is itself improbable"), "{supported}");
}

/// Hypotheses listed on an incident no claim was made on by a what-if's date are not
/// judged because no claim bears on them, and the reports say so rather than that the
/// claims bearing on them leave them uncertain.
#[test]
fn hypotheses_no_claim_bears_on_are_said_to_have_none() {
    let tutorial = crate::root().join("graphs/tutorial.ron");
    let tutorial = tutorial.to_str().unwrap();
    let args = |format: &'static str| {
        [
            "report",
            tutorial,
            "--as-of",
            "2000-01-01",
            "--format",
            format,
        ]
    };
    let markdown = Test::new().args(args("markdown")).run().stdout;
    assert!(
        markdown.contains("**Government of Ruritania (ruritania)**, **Vantix Systems (vantix)**. No claim bears on them.\n"),
        "{markdown}"
    );
    assert!(
        !markdown.contains("almost entirely uncertain"),
        "{markdown}"
    );
    let html = Test::new()
        .env("PATH", Some(""))
        .args(args("html"))
        .run()
        .stdout;
    assert!(html.contains("</b>: no claim bears on them.</p>"), "{html}");
    assert!(!html.contains("almost entirely uncertain"), "{html}");
}

/// A source declared without a claim is no source of anything: the what-if's "of the case's"
/// counts the sources that made claims, as the count before it does, so that setting aside
/// one claim of one source reads as "1 of 2", not "1 of 3".
#[test]
fn the_case_total_counts_sources_that_made_claims() {
    let case = r#"Case(title: "T",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Government, reliability: B, url: "https://e.org/b"),
        Source(id: "quiet", name: "Quiet", kind: Media, reliability: C, url: "https://e.org/q"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c2", source: "b", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "t.ron", case);
    let report = |extra: &[&str]| {
        let args = [&["report", &f, "--format", "markdown"][..], extra].concat();
        test_in(tmp.path(), &args).run().stdout
    };
    assert!(report(&[]).contains("Based on 2 claims from 2 sources."));
    let without = report(&["--without", "c2"]);
    assert!(
        without.contains("Based on 1 claim from 1 source (of the case's 2 claims from 2 sources)."),
        "{without}"
    );
}

/// Ukraine's government (`ua-gov`) beside Australia's (`au-gov`) is two lines of evidence: a
/// country code backwards is no slip of the keyboard, and W115's help to merge them would
/// count two governments as one.
#[test]
fn a_country_code_backwards_is_no_misspelt_family() {
    let case = r#"Case(title: "T",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "au-dfat", name: "AU DFAT", kind: Government, reliability: B, family: "au-gov", url: "https://e.org/a"),
        Source(id: "au-asd", name: "AU ASD", kind: Government, reliability: B, family: "au-gov", url: "https://e.org/b"),
        Source(id: "ua-sbu", name: "UA SBU", kind: Government, reliability: C, family: "ua-gov", url: "https://e.org/u"),
        Source(id: "us-nsc", name: "US NSC", kind: Government, reliability: B, family: "us-gov", url: "https://e.org/n"),
        Source(id: "us-doj", name: "US DOJ", kind: Government, reliability: A, family: "us-gvo", url: "https://e.org/d"),
    ],
    claims: [
        Claim(id: "c1", source: "au-dfat", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c2", source: "au-asd", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c3", source: "ua-sbu", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c4", source: "us-nsc", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c5", source: "us-doj", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "t.ron", case);
    let out = test_in(tmp.path(), &["check", &f]).run();
    // The slip beside it is still one.
    assert!(
        out.stderr
            .contains("family `us-gvo` has only source `us-doj`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("`ua-gov`"), "{}", out.stderr);
}

/// Two families of one source each, a slip apart (`uk-gvo` on the NCSC, `uk-gov` on the
/// FCDO): either may be the slip, and W115 told the user to write the slip on the source
/// spelt right. It names both and recommends neither; with two sources on one spelling it
/// still says which to write.
#[test]
fn a_slip_between_two_lone_families_recommends_neither() {
    let case = |fcdo: &str| {
        format!(
            r#"Case(title: "T",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "ncsc", name: "NCSC", kind: Government, reliability: B, family: "uk-gvo", url: "https://e.org/n"),
        Source(id: "fcdo", name: "FCDO", kind: Government, reliability: B, family: "uk-gov", url: "https://e.org/f"),
        {fcdo}
    ],
    claims: [
        Claim(id: "c1", source: "ncsc", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c2", source: "fcdo", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
    ])
"#
        )
    };
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "t.ron", &case(""));
    let err = test_in(tmp.path(), &["check", &f]).run().stderr;
    assert!(err.contains("`uk-gvo`, of source `ncsc` only"), "{err}");
    assert!(
        err.contains("which spelling is the slip cannot be told: if `fcdo` and `ncsc` share"),
        "{err}"
    );
    assert!(!err.contains("write `family:"), "{err}");
    // A third source on `uk-gov`: the lone `uk-gvo` is the slip.
    let third = r#"Source(id: "mod", name: "MOD", kind: Government, reliability: B, family: "uk-gov", url: "https://e.org/m"),"#;
    let f = write(tmp.path(), "u.ron", &case(third));
    let err = test_in(tmp.path(), &["check", &f]).run().stderr;
    assert!(
        err.contains("write `family: \"uk-gov\"` if `ncsc` belongs to it"),
        "{err}"
    );
    // A lone family a slip from both a lone one and one of several: the one of several.
    let w = r#"Case(title: "W",
    actors: [Actor(id: "s", name: "S", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "a", name: "A", kind: Government, reliability: B, family: "us-go", url: "https://e.org/a"),
        Source(id: "b", name: "B", kind: Government, reliability: B, family: "us-gov", url: "https://e.org/b"),
        Source(id: "c", name: "C", kind: Government, reliability: B, family: "us-gov", url: "https://e.org/c"),
        Source(id: "d", name: "D", kind: Government, reliability: B, family: "us-gvo", url: "https://e.org/d"),
    ],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c2", source: "b", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c3", source: "c", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c4", source: "d", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
    ])
"#;
    let f = write(tmp.path(), "w.ron", w);
    let err = test_in(tmp.path(), &["check", &f]).run().stderr;
    assert!(
        err.contains("family `us-gvo` has only source `d`, and is spelt almost as family `us-gov`"),
        "{err}"
    );
}

/// `explain` of an actor nothing bears on says so first, and whether `assess` reports it: a
/// page of zeros read alone looks like a judgement.
#[test]
fn explaining_an_actor_nothing_bears_on_says_so_first() {
    let case = r#"Case(title: "T",
    actors: [Actor(id: "s", name: "S", kind: State), Actor(id: "crooks", name: "Crooks", kind: Organisation)],
    incidents: [Incident(id: "i", name: "I"), Incident(id: "j", name: "J")],
    sources: [Source(id: "a", name: "A", kind: Government, reliability: B, url: "https://e.org/a")],
    claims: [
        Claim(id: "c1", source: "a", subject: "i", relation: AttributedTo, object: "s", likelihood: Icd("likely"), wording: "w"),
        Claim(id: "c2", source: "a", subject: "j", relation: AttributedTo, object: "crooks", likelihood: Icd("likely"), wording: "w"),
    ],
    hypotheses: [Hypothesis(incident: "j", actor: "s")])
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "t.ron", case);
    let explain = |incident: &str, actor: &str| {
        test_in(
            tmp.path(),
            &["explain", &f, "--incident", incident, "--actor", actor],
        )
        .run()
        .stdout
    };
    let second = |out: &str| out.lines().nth(1).unwrap_or_default().to_string();
    assert_eq!(
        second(&explain("i", "crooks")),
        "No claim bears on it: it is no hypothesis `assess` reports on this incident; what follows is its prior alone."
    );
    assert_eq!(
        second(&explain("j", "s")),
        "No claim bears on it: the case lists it, and `assess` reports it as such; what follows is its prior alone."
    );
    assert_eq!(second(&explain("i", "s")), "");
}

/// explain named the claims an echo is counted instead of in the file's order: (a, b) with a
/// first in the file, (b, a) with b first. Every list by id is in the ids' natural order.
#[test]
fn an_echo_names_what_is_counted_instead_by_id_whatever_the_file_order() {
    let claim = |id: &str, source: &str, restates: &str| {
        format!(
            r#"Claim(id: "{id}", source: "{source}", subject: "i", relation: AttributedTo, object: "x",
              likelihood: Icd("likely"), wording: "w", derived_from: [{restates}]),"#
        )
    };
    let case = |claims: &[String]| {
        format!(
            r#"Case(
    title: "Order",
    actors: [Actor(id: "x", name: "X", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "s1", name: "S1", kind: Vendor, reliability: B),
        Source(id: "s2", name: "S2", kind: Vendor, reliability: B),
        Source(id: "s3", name: "S3", kind: Media, reliability: C),
        Source(id: "s4", name: "S4", kind: Media, reliability: C),
    ],
    claims: [
        {}
    ],
)
"#,
            claims.join("\n        ")
        )
    };
    let (a, b) = (claim("a", "s1", ""), claim("b", "s2", ""));
    let m = claim("m", "s4", r#""b""#);
    let d = claim("d", "s3", r#""m", "a""#);
    let first = explain_actor(
        &case(&[a.clone(), b.clone(), m.clone(), d.clone()]),
        "x",
        &[],
    );
    let second = explain_actor(&case(&[d, m, b, a]), "x", &[]);
    let counted = "d [S3, ICD 203 \"likely\"]: it restates claims present in the case, counted \
                   instead (a, b)";
    assert!(first.contains(counted), "{first}");
    assert!(second.contains(counted), "{second}");
}

/// A chain of `n` declared parts, `a0` (a state) at its top, one claim on its lowest actor.
fn chain_of_parts(n: usize) -> String {
    let mut actors = String::from("Actor(id: \"a0\", name: \"Actor 0\", kind: State),\n");
    for i in 1..n {
        actors.push_str(&format!(
            "Actor(id: \"a{i}\", name: \"Actor {i}\", kind: Agency, part_of: \"a{}\"),\n",
            i - 1
        ));
    }
    format!(
        "Case(title: \"chain\", as_of: \"2024-06-30\", actors: [{actors}], \
         incidents: [Incident(id: \"i\", name: \"I\", start: \"2024-01-01\")], \
         sources: [Source(id: \"s\", name: \"S\", kind: Vendor, reliability: B)], \
         claims: [Claim(id: \"c1\", source: \"s\", date: \"2024-02-01\", subject: \"i\", \
         relation: AttributedTo, object: \"a{}\", likelihood: Icd(\"likely\"))])",
        n - 1
    )
}

/// `explain` of `a0` in `case`, unwrapped.
fn explain_a0(case: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "r.ron", case);
    Test::new()
        .current_dir(tmp.path())
        .args(["explain", &f, "--actor", "a0", "--width", "0"])
        .run()
        .stdout
}

/// Each judgement on a chain of declared parts wrote its line's whole path, so that the HTML
/// report grew with the square of the chain (2,000 parts, 22.7 MB; 20,000, 2 GB). A path past
/// twelve steps keeps its ends and says how many it leaves out, in the HTML report and in
/// `explain`. (A chain is now at most 64 links long, E035.)
#[test]
fn a_long_chain_of_parts_is_written_by_its_ends() {
    let n = 65;
    let case = chain_of_parts(n);
    let html = html_report(&case);
    // The report names the actors, as its reader knows them; explain gives their ids.
    let top = format!(
        "through Actor 64 → Actor 63 → Actor 62 → Actor 61 → Actor 60 → Actor 59 → … {} \
         more … → Actor 5 → Actor 4 → Actor 3 → Actor 2 → Actor 1 → Actor 0.",
        n - 12
    );
    assert!(html.contains(&top), "{}", &html[..html.len().min(4000)]);
    for (at, _) in html.match_indices("through Actor 64") {
        let path = &html[at..at + html[at..].find('.').unwrap()];
        assert!(path.matches(" → ").count() <= 12, "{path}");
    }
    // Linear in the chain: about 2 kB a judgement (at 300 parts, every path whole came to
    // 13 kB a judgement).
    assert!(html.len() < 150_000, "{}", html.len());
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "r.ron", &case);
    let explain = Test::new()
        .current_dir(tmp.path())
        .args(["explain", &f, "--actor", "a0"])
        .run()
        .stdout;
    assert!(
        explain.contains(&format!(
            "on a64, through a64 → a63 → a62 → a61 → a60 → a59 → … {} more … → a5",
            n - 12
        )),
        "{explain}"
    );
}

/// `explain`'s derivation tree names the path a claim's evidence came up (the incident, then
/// the actors), by its ends when it is longer than twelve steps, as the lines of evidence do:
/// here thirteen actors under the incident, fourteen ids.
#[test]
fn explain_writes_a_long_derivation_path_by_its_ends() {
    let n = 13;
    let case = chain_of_parts(n);
    let explain = explain_a0(&case);
    let path = "path: i → a12 → a11 → a10 → a9 → a8 → … 2 more … → a5 → a4 → a3 → a2 → a1 → a0";
    assert!(explain.contains(path), "{explain}");
}

/// A derivation tree deeper than twelve links is cut off; the cut was worded as the marker of
/// a subtree shown earlier ("derivation of a13 shown above") though it is shown nowhere.
#[test]
fn explain_says_a_cut_off_derivation_is_not_shown() {
    let n = 16;
    let case = chain_of_parts(n);
    let explain = explain_a0(&case);
    assert!(!explain.contains("shown above"), "{explain}");
    assert!(
        explain.contains("└─ (derivation of a13 not shown: deeper than 12 links"),
        "{explain}"
    );
    // The claim under the cut is still named, in the sensitivity table.
    assert!(
        explain.contains("the sensitivity table below lists every claim"),
        "{explain}"
    );
    assert!(explain.contains(" claim c1 "), "{explain}");
}

/// A denial and a claim of responsibility on one actor reach a hypothesis by different ways:
/// the stance named the shortest way whatever the claim said, so that a denial of a whole
/// read as passing through a possible alias and a competitor, which carry only support; it
/// reaches its part by inheritance, as `explain` says.
#[test]
fn a_denial_is_named_by_the_way_opposition_takes() {
    let case = r#"Case(title: "route", as_of: "2024-06-30",
    actors: [
        Actor(id: "x", name: "X", kind: State),
        Actor(id: "w3", name: "W3", kind: Agency, part_of: "x"),
        Actor(id: "w2", name: "W2", kind: Agency, part_of: "w3"),
        Actor(id: "w1", name: "W1", kind: Agency, part_of: "w2"),
        Actor(id: "h", name: "H", kind: Agency, part_of: "w1"),
        Actor(id: "c", name: "C", kind: State),
    ],
    groups: [Group(id: "y", name: "Y")],
    incidents: [Incident(id: "i", name: "I", start: "2024-01-01")],
    sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B),
              Source(id: "t", name: "T", kind: Government, reliability: B)],
    claims: [
        Claim(id: "c1", source: "s", date: "2024-02-01", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("likely")),
        Claim(id: "c2", source: "t", date: "2024-02-02", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("very unlikely")),
        Claim(id: "c3", source: "s", date: "2024-02-03", subject: "i", relation: AttributedTo, object: "y", likelihood: Icd("likely")),
        Claim(id: "c5", source: "s", date: "2024-02-05", subject: "y", relation: OperatedBy, object: "c", likelihood: Icd("likely")),
        Claim(id: "c6", source: "s", date: "2024-02-06", subject: "x", relation: PossiblySameAs, object: "y", likelihood: Icd("very likely")),
    ],
    hypotheses: [Hypothesis(incident: "i", actor: "h"), Hypothesis(incident: "i", actor: "c")],
    exclusive: [Exclusive(incident: "i", members: ["h", "c"])],
)"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "route.ron", case);
    let out = Test::new()
        .current_dir(tmp.path())
        .args(["assess", &f, "--format", "markdown"])
        .run()
        .stdout;
    let section = out
        .split("\n### ")
        .find(|s| s.starts_with("H (agency)"))
        .expect("a section on H");
    let row = (section.lines())
        .find(|l| l.starts_with("| c2"))
        .expect("c2 behind H");
    assert!(
        row.contains("| opposes, through: X → W3 → W2 → W1 |"),
        "{row}"
    );
}

/// A part above the whole a claim links it to, by less than the reports print (0.672 against
/// 0.670, the part at a lower prior): the note read "P 0.67 against 0.67", a contradiction in
/// its own words. It is given only where the printed Ps differ.
#[test]
fn no_note_on_a_part_above_its_whole_by_less_than_is_printed() {
    let case = r#"Case(title: "t", as_of: "2020-01-01",
    actors: [Actor(id: "w", name: "Whole", kind: State)],
    groups: [Group(id: "g", name: "Grp")],
    incidents: [Incident(id: "x", name: "X", start: "2019-01-01")],
    sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B, url: "https://e.org/"),
              Source(id: "t", name: "T", kind: Vendor, reliability: B, url: "https://t.org/")],
    claims: [
        Claim(id: "c1", source: "s", date: "2019-02-01", subject: "x", relation: ConductedBy,
              object: "g", likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "l1", source: "t", date: "2019-02-01", subject: "g", relation: SponsoredBy,
              object: "w", likelihood: Icd("likely"), wording: "w"),
    ],
    hypotheses: [
        Hypothesis(incident: "x", actor: "g", prior: 0.15),
        Hypothesis(incident: "x", actor: "w", prior: 0.6),
    ],
)
"#;
    let table = assess_case(case, &["--width", "0"]);
    assert!(
        table.contains("0.672") && table.contains("0.670"),
        "{table}"
    );
    for format in ["table", "markdown"] {
        let out = assess_case(case, &["--format", format]);
        assert!(!out.contains("more likely than"), "{out}");
    }
}

/// A part and its whole on the same evidence have equal Ps: the whole is listed first (a
/// reader goes down a hierarchy), where ids alone put the GRU above Russia.
#[test]
fn equal_ps_list_the_whole_before_its_parts() {
    let case = r#"Case(title: "Ties",
    actors: [
        Actor(id: "russia", name: "Russia", kind: State),
        Actor(id: "gru", name: "GRU", kind: Agency, part_of: "russia"),
        Actor(id: "a-unit", name: "Unit 74455", kind: MilitaryUnit, part_of: "gru"),
        Actor(id: "b-state", name: "Elsewhere", kind: State),
    ],
    incidents: [Incident(id: "x", name: "X", start: "2018-02-09")],
    sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B),
              Source(id: "t", name: "T", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "s", subject: "x", relation: AttributedTo, object: "a-unit",
              likelihood: Icd("likely")),
        Claim(id: "c2", source: "t", subject: "x", relation: AttributedTo, object: "b-state",
              likelihood: Icd("likely")),
    ],
)
"#;
    let json = assess_case(case, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let order: Vec<&str> = json["incidents"][0]["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["actor"].as_str().unwrap())
        .collect();
    // All four at one P: the two states by id, then the GRU, then its unit.
    assert_eq!(order, ["b-state", "russia", "gru", "a-unit"]);
}

/// A link its claims deny ("very unlikely to be sponsored by China") carries nothing up: the
/// reports do not call China a whole of the group's that is judged below it.
#[test]
fn a_denied_link_makes_no_whole() {
    let case = r#"Case(title: "Denied",
    actors: [Actor(id: "china", name: "China", kind: State)],
    groups: [Group(id: "dearcry", name: "DearCry operators")],
    incidents: [Incident(id: "x", name: "X", start: "2021-03-01")],
    sources: [Source(id: "s", name: "S", kind: Vendor, reliability: B),
              Source(id: "t", name: "T", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "s", subject: "x", relation: AttributedTo, object: "dearcry",
              likelihood: Icd("very likely")),
        Claim(id: "c2", source: "t", subject: "dearcry", relation: SponsoredBy, object: "china",
              likelihood: Icd("very unlikely")),
        Claim(id: "c3", source: "t", subject: "x", relation: AttributedTo, object: "china",
              likelihood: Icd("unlikely")),
    ],
)
"#;
    for format in ["table", "markdown"] {
        let out = assess_case(case, &["--format", format]);
        assert!(out.contains("China"), "{out}");
        assert!(!out.contains("more likely than"), "{out}");
    }
}

/// explain says a restatement stands in for a source's claims only where they bear on the
/// judgement: NATO restating the UK's claim on China stands in for nothing on HAFNIUM, which
/// the UK also named.
#[test]
fn a_restatement_stands_in_only_for_claims_behind_the_judgement() {
    let case = r#"Case(title: "Stand-ins",
    actors: [Actor(id: "china", name: "China", kind: State)],
    groups: [Group(id: "hafnium", name: "HAFNIUM")],
    incidents: [Incident(id: "x", name: "X", start: "2021-03-01")],
    sources: [Source(id: "uk", name: "UK", kind: Government, reliability: B),
              Source(id: "nato", name: "NATO", kind: Government, reliability: B)],
    claims: [
        Claim(id: "c1", source: "uk", subject: "x", relation: AttributedTo, object: "hafnium",
              likelihood: Icd("very likely")),
        Claim(id: "c2", source: "uk", subject: "x", relation: AttributedTo, object: "china",
              likelihood: Icd("very likely")),
        Claim(id: "c3", source: "nato", subject: "x", relation: AttributedTo, object: "china",
              likelihood: Icd("very likely"), derived_from: ["c2"]),
    ],
)
"#;
    let china = explain_actor(case, "china", &[]);
    assert!(
        china.contains(
            "Without source uk, the restatement c3 stands in for its claim c2 in its line"
        ),
        "{china}"
    );
    let hafnium = explain_actor(case, "hafnium", &[]);
    assert!(!hafnium.contains("stands in"), "{hafnium}");
}

/// --fail-below tests every incident the actor is judged on unless --incident names one, and
/// a failure on another incident than the one meant says how to choose.
#[test]
fn fail_below_on_several_incidents_says_how_to_test_one() {
    let case = r#"Case(title: "Two",
    actors: [Actor(id: "china", name: "China", kind: State)],
    incidents: [Incident(id: "proxylogon", name: "ProxyLogon", start: "2021-01-06"),
                Incident(id: "mass", name: "Mass exploitation", start: "2021-03-03")],
    sources: [Source(id: "s", name: "S", kind: Government, reliability: B),
              Source(id: "t", name: "T", kind: Government, reliability: B)],
    claims: [
        Claim(id: "c1", source: "s", subject: "proxylogon", relation: AttributedTo,
              object: "china", likelihood: Icd("almost certain"), confidence: High),
        Claim(id: "c2", source: "t", subject: "proxylogon", relation: AttributedTo,
              object: "china", likelihood: Icd("almost certain"), confidence: High),
        Claim(id: "c3", source: "t", subject: "mass", relation: AttributedTo, object: "china",
              likelihood: Icd("unlikely")),
    ],
)
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "x.ron", case);
    let gate = [
        "assess",
        f.as_str(),
        "--fail-below",
        "likely",
        "--actor",
        "china",
    ];
    test_in(tmp.path(), &gate)
        .code(1)
        .stderr_has("China (china) is unlikely for mass, below likely")
        .stderr_has(
            "is judged on 2 incidents, and --fail-below tests each: --incident ID tests one",
        )
        .run();
    let mut one = gate.to_vec();
    one.extend(["--incident", "proxylogon"]);
    test_in(tmp.path(), &one).code(0).run();
    // One incident named and failing: the hint would point at what was done already.
    let mut other = gate.to_vec();
    other.extend(["--incident", "mass"]);
    let err = test_in(tmp.path(), &other)
        .code(1)
        .stderr_has("China (china) is unlikely for mass, below likely")
        .run()
        .stderr;
    assert!(!err.contains("--incident ID"), "{err}");
}

/// A competitor that shares two exclusive sets with a hypothesis opposes it once, not once
/// per set: the second set, naming the same pair again, leaves the judgement unchanged.
#[test]
fn a_competitor_in_two_sets_with_the_same_member_counts_once() {
    let case = |sets: &str| {
        format!(
            r#"Case(title: "R",
    actors: [
        Actor(id: "a", name: "A", kind: State),
        Actor(id: "b", name: "B", kind: Organisation),
        Actor(id: "c", name: "C", kind: Organisation),
    ],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "s1", name: "S1", kind: Government, reliability: B, url: "https://e.org/1"),
        Source(id: "s2", name: "S2", kind: Media, reliability: B, url: "https://e.org/2"),
    ],
    claims: [
        Claim(id: "c1", source: "s1", subject: "i", relation: AttributedTo, object: "a",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c2", source: "s2", subject: "i", relation: AttributedTo, object: "b",
              likelihood: Icd("likely"), wording: "w"),
    ],
    exclusive: [{sets}],
)
"#
        )
    };
    let once = explain_actor(
        &case(r#"Exclusive(incident: "i", members: ["a", "b"])"#),
        "a",
        &[],
    );
    let twice = explain_actor(
        &case(
            r#"Exclusive(incident: "i", members: ["a", "b"]),
               Exclusive(incident: "i", members: ["a", "b", "c"])"#,
        ),
        "a",
        &[],
    );
    assert_eq!(
        once.matches("─ competing hypothesis B (b)").count(),
        1,
        "{once}"
    );
    assert!(
        sensitivity_row(&once, "claim c2").contains("+0.108"),
        "{once}"
    );
    assert_eq!(once, twice);
}

/// `check DIR` read every `*.ron` in it: a pipe so named waited for a writer forever, and a
/// link to `/dev/zero` was read until memory ran out. A directory's cases are its files (and
/// links to files); a device or pipe named as the input is read only up to its first NUL
/// byte.
#[cfg(unix)]
#[test]
fn a_directory_of_cases_skips_pipes_and_devices_and_a_device_stops_at_nul() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::root().join("graphs/tutorial.ron"),
        tmp.path().join("a.ron"),
    )
    .unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(tmp.path().join("pipe.ron"))
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join("zero.ron")).unwrap();
    std::os::unix::fs::symlink("a.ron", tmp.path().join("link.ron")).unwrap();
    let out = test_in(tmp.path(), &["check", "."]).run();
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    assert!(out.stdout.contains("a.ron: ok") && out.stdout.contains("link.ron: ok"));
    test_in(tmp.path(), &["check", "/dev/zero"])
        .code(2)
        .stderr_has("(NUL byte at offset 0)")
        .run();
    test_in(tmp.path(), &["check", "-"])
        .stdin(b"Case(title: \"x\"\0)".to_vec())
        .code(2)
        .stderr_has("(NUL byte at offset 15)")
        .run();
    // UTF-16 is told apart from binary on standard input as in a file.
    let utf16: Vec<u8> = std::iter::once(0xfeff_u16)
        .chain("Case(title: \"x\")".encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    test_in(tmp.path(), &["check", "-"])
        .stdin(utf16)
        .code(2)
        .stderr_has("is UTF-16 (little-endian), not UTF-8")
        .run();
}

/// `convert - -o c.ron < c.ron` replaced the hand-written case read on standard input with its
/// normalised form, comments lost: the file standard input is redirected from is an input
/// too, as `convert c.ron -o c.ron` already refused.
#[cfg(target_os = "linux")]
#[test]
fn an_output_onto_the_file_behind_standard_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("c.ron");
    std::fs::copy(crate::root().join("graphs/tutorial.ron"), &case).unwrap();
    let before = std::fs::read(&case).unwrap();
    // Redirected, not piped: standard input is the file itself.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("attrib"))
        .args(["convert", "-", "--to", "ron", "-o", "c.ron"])
        .current_dir(tmp.path())
        .stdin(std::fs::File::open(&case).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refusing to overwrite the input file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&case).unwrap(), before);
}

/// A claim on a group that reaches the hypothesis two ways, up a claimed link (the shortest)
/// and across a possible alias to a declared part (the stronger), had its Stance name the
/// first while "Lines of evidence" named the second, which sets the number: both name the
/// second.
#[test]
fn a_claims_stance_names_the_path_its_line_takes() {
    let case = r#"Case(title: "P", as_of: "2021-01-01",
    actors: [
        Actor(id: "state", name: "State", kind: State),
        Actor(id: "agency", name: "Agency", kind: Agency, part_of: "state"),
        Actor(id: "unit", name: "Unit", kind: MilitaryUnit, part_of: "agency"),
    ],
    groups: [Group(id: "crew", name: "Crew", kind: IntrusionSet)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B, url: "https://e.org/1"),
        Source(id: "court", name: "Court", kind: Government, reliability: A, url: "https://e.org/2"),
        Source(id: "agency-b", name: "Other government", kind: Government, reliability: C, url: "https://e.org/3"),
    ],
    claims: [
        Claim(id: "v1", source: "vendor", subject: "i", relation: AttributedTo, object: "crew",
              likelihood: Icd("very likely"), wording: "w", date: "2020-01-01"),
        Claim(id: "l1", source: "court", subject: "crew", relation: PossiblySameAs, object: "unit",
              likelihood: Icd("very likely"), confidence: High, wording: "w", date: "2020-02-01"),
        Claim(id: "l2", source: "agency-b", subject: "crew", relation: OperatedBy, object: "agency",
              likelihood: Icd("likely"), wording: "w", date: "2020-03-01"),
    ],
)
"#;
    let md = assess_case(case, &["--format", "markdown"]);
    let section = &md[md
        .find("### Agency (agency)")
        .unwrap_or_else(|| panic!("{md}"))..];
    let row = section.lines().find(|l| l.starts_with("| v1")).unwrap();
    assert!(row.contains("supports, through: Crew → Unit |"), "{row}");
    assert!(
        section.contains(
            "claim v1 (Vendor) on Crew, possibly the same as Unit, through Unit → Agency"
        ),
        "{section}"
    );
}

/// An alias refused for an invisible character (E013) names nothing; a claim naming it got
/// "did you mean" that same spelling back. The suggestion is another name.
#[test]
fn an_unknown_name_is_never_suggested_to_itself() {
    let case = r#"Case(title: "t",
    actors: [Actor(id: "iran", name: "Iran", kind: State, aliases: ["Ir\u{2060}an"])],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "s", name: "S", kind: Government, reliability: B, url: "https://e.org/")],
    claims: [Claim(id: "c1", source: "s", subject: "i", relation: AttributedTo,
                   object: "Ir\u{2060}an", likelihood: Icd("likely"), wording: "w")],
)
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "c.ron", case);
    let out = test_in(tmp.path(), &["check", &f]).code(2).run();
    assert!(out.stderr.contains("[E013]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown name `Ir⟨U+2060⟩an`"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("did you mean `Ir⟨U+2060⟩an`"),
        "{}",
        out.stderr
    );
}

/// A subtree reached two ways is shown in full on the stronger one: the group's claims hung
/// under a weak claimed link straight to the state (listed first), while the declared agency
/// that carries their weight to the state said "shown above".
#[test]
fn explain_shows_a_subtree_on_the_way_that_carries_its_weight() {
    let case = r#"Case(title: "t",
    actors: [Actor(id: "st", name: "State", kind: State)],
    groups: [Group(id: "g", name: "Group"), Group(id: "unit", name: "Agency's unit")],
    incidents: [Incident(id: "x", name: "X")],
    sources: [Source(id: "weak", name: "Blog", kind: Media, reliability: E),
              Source(id: "gov", name: "Gov", kind: Government, reliability: A),
              Source(id: "v", name: "Vendor", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "v", subject: "x", relation: AttributedTo, object: "g",
              likelihood: Icd("very likely"), wording: "w", url: "https://e.org/1"),
        Claim(id: "l1", source: "weak", subject: "g", relation: SubordinateOf, object: "st",
              likelihood: Icd("likely"), wording: "w", url: "https://e.org/2"),
        Claim(id: "l2", source: "gov", subject: "g", relation: SubordinateOf, object: "unit",
              likelihood: Icd("almost certain"), wording: "w", url: "https://e.org/3"),
        Claim(id: "l3", source: "gov", subject: "unit", relation: SubordinateOf, object: "st",
              likelihood: Icd("almost certain"), wording: "w", url: "https://e.org/4"),
    ],
)
"#;
    let out = explain_actor(case, "st", &[]);
    let tree = derivation(&out);
    let weak = tree.find("via g → st").unwrap_or_else(|| panic!("{tree}"));
    let strong = tree
        .find("via g → unit")
        .unwrap_or_else(|| panic!("{tree}"));
    let claim = tree
        .find("claim c1 by Vendor")
        .unwrap_or_else(|| panic!("{tree}"));
    // The weak link is listed first, and refers to where the claim is shown.
    assert!(weak < strong && strong < claim, "{tree}");
    assert_eq!(tree.matches("claim c1 by Vendor").count(), 1, "{tree}");
    assert!(
        tree[weak..strong].contains("(derivation of g shown below, under unit)"),
        "{tree}"
    );
    let path = tree[claim..].lines().find(|l| l.contains("path:")).unwrap();
    assert!(path.ends_with("path: x → g → unit → st"), "{tree}");
}

/// The table's note on echoes names apart a restatement that says something else (W108): it
/// is set aside all the same, but nothing is counted in its place, which "an echo of claims
/// present" would tell a reader the opposite of.
#[test]
fn the_table_names_a_restatement_that_says_something_else_apart_from_echoes() {
    let case = r#"Case(title: "t",
    groups: [Group(id: "g", name: "Group"), Group(id: "h", name: "Other")],
    incidents: [Incident(id: "x", name: "X")],
    sources: [Source(id: "gov", name: "Gov", kind: Government, reliability: B),
              Source(id: "news", name: "News", kind: Media, reliability: C),
              Source(id: "wire", name: "Wire", kind: Media, reliability: C)],
    claims: [
        Claim(id: "c1", source: "gov", subject: "x", relation: AttributedTo, object: "g",
              likelihood: Icd("likely"), wording: "w", url: "https://e.org/1"),
        Claim(id: "c2", source: "news", subject: "x", relation: AttributedTo, object: "g",
              likelihood: Icd("likely"), wording: "w", url: "https://e.org/2", derived_from: ["c1"]),
        Claim(id: "c3", source: "wire", subject: "x", relation: AttributedTo, object: "h",
              likelihood: Icd("likely"), wording: "w", url: "https://e.org/3", derived_from: ["c1"]),
    ],
)
"#;
    let out = assess_case(case, &[]);
    assert!(
        out.contains("Set aside as echoes of claims present: c2 (News)\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "Set aside as restatements of claims present that say something else, nothing \
             counted in their place: c3 (Wire)\n"
        ),
        "{out}"
    );
}

/// A misspelt `part_of` whole gets "did you mean", not the advice for a claim naming an
/// undeclared part (declare it under `actors` with `part_of`), which would have the analyst
/// invent an actor to fix a typo.
#[test]
fn a_misspelt_whole_is_a_slip_not_an_undeclared_part() {
    let case = r#"Case(title: "t",
    actors: [Actor(id: "dprk", name: "North Korea", kind: State),
             Actor(id: "rgb", name: "RGB", kind: Agency, part_of: "dprk-gov")],
    incidents: [Incident(id: "x", name: "X")],
    sources: [Source(id: "s", name: "S", kind: Government, reliability: B)],
    claims: [Claim(id: "c1", source: "s", subject: "x", relation: AttributedTo, object: "rgb",
                   likelihood: Icd("likely"), wording: "w", url: "https://e.org/1")],
)
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "c.ron", case);
    let err = test_in(tmp.path(), &["check", &f]).code(2).run().stderr;
    assert!(err.contains("unknown name `dprk-gov`"), "{err}");
    assert!(err.contains("help: did you mean `dprk`?\n"), "{err}");
    assert!(!err.contains("rather than name the whole"), "{err}");
}

/// Near the depth cap the strongest way to a subtree may end at the cap, where what is under
/// it is cut: a shorter way shows it then, so that the only claim of the case is in the tree
/// (an agency twelve declared steps below the state, and claimed straight under it by a blog).
#[test]
fn explain_shows_a_subtree_on_a_shorter_way_when_the_strongest_reaches_the_cap() {
    let case = r#"Case(title: "depth",
    actors: [
        Actor(id: "st", name: "State", kind: State),
        Actor(id: "u1", name: "U1", kind: Agency, part_of: "st"),
        Actor(id: "u2", name: "U2", kind: Agency, part_of: "u1"),
        Actor(id: "u3", name: "U3", kind: Agency, part_of: "u2"),
        Actor(id: "u4", name: "U4", kind: Agency, part_of: "u3"),
        Actor(id: "u5", name: "U5", kind: Agency, part_of: "u4"),
        Actor(id: "u6", name: "U6", kind: Agency, part_of: "u5"),
        Actor(id: "u7", name: "U7", kind: Agency, part_of: "u6"),
        Actor(id: "u8", name: "U8", kind: Agency, part_of: "u7"),
        Actor(id: "u9", name: "U9", kind: Agency, part_of: "u8"),
        Actor(id: "u10", name: "U10", kind: Agency, part_of: "u9"),
        Actor(id: "u11", name: "U11", kind: Agency, part_of: "u10"),
        Actor(id: "a", name: "X", kind: Agency, part_of: "u11"),
        Actor(id: "y", name: "Y", kind: MilitaryUnit, part_of: "a"),
    ],
    groups: [],
    incidents: [Incident(id: "inc", name: "Inc")],
    sources: [Source(id: "weak", name: "Blog", kind: Media, reliability: E),
              Source(id: "v", name: "Vendor", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "v", subject: "inc", relation: AttributedTo, object: "y",
              likelihood: Icd("very likely"), wording: "w", url: "https://e.org/1"),
        Claim(id: "l1", source: "weak", subject: "a", relation: SubordinateOf, object: "st",
              likelihood: Icd("likely"), wording: "w", url: "https://e.org/2"),
    ],
)
"#;
    let out = explain_actor(case, "st", &[]);
    let tree = derivation(&out);
    assert_eq!(tree.matches("claim c1 by Vendor").count(), 1, "{tree}");
    assert!(tree.contains("path: inc → y → a → st"), "{tree}");
    assert!(!tree.contains("not shown"), "{tree}");
}

/// Where `explain` says a restatement standing in for what a row removes adds nothing to the
/// line, because another claim holds it at least as strongly, setting the restatement aside
/// too leaves every figure of the judgement as it is: checked on every such sentence of every
/// judgement of the shipped cases and of a case made to hold one (two sources of one line
/// saying the same, one of them restated by a third).
#[test]
fn a_restatement_said_to_add_nothing_to_a_held_line_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let held = tmp.path().join("held.ron");
    std::fs::write(&held, HELD_LINE).unwrap();
    // The line's other claim weaker than the restatement: it stands in, and counts.
    let weaker = tmp.path().join("weaker.ron");
    let text = HELD_LINE.replace(
        r#"Government, reliability: B, family: "gov"),
        Source(id: "m""#,
        r#"Government, reliability: D, family: "gov"),
        Source(id: "m""#,
    );
    assert_ne!(text, HELD_LINE);
    std::fs::write(&weaker, text).unwrap();
    let mut cases: Vec<String> = crate::graphs()
        .iter()
        .map(|g| g.to_str().unwrap().to_string())
        .collect();
    cases.push(held.to_str().unwrap().to_string());
    cases.push(weaker.to_str().unwrap().to_string());
    // The line's other claim larger but from a source rated C: the restatement, from a B
    // source, of a B source's claim keeps the line strong, which confidence counts.
    let strong = tmp.path().join("strong.ron");
    let text = HELD_LINE
        .replace(
            r#"Government, reliability: B, family: "gov"),
        Source(id: "m""#,
            r#"Government, reliability: C, family: "gov"),
        Source(id: "m""#,
        )
        .replace(
            r#"name: "Wire", kind: Media, reliability: C)"#,
            r#"name: "Wire", kind: Media, reliability: B),
        Source(id: "x", name: "Vendor X", kind: Vendor, reliability: A)"#,
        )
        .replace(
            r#"object: "g", likelihood: Icd("likely")),
        Claim(id: "c3""#,
            r#"object: "g", likelihood: Icd("almost certain"), confidence: High),
        Claim(id: "x1", source: "x", date: "2024-02-03", subject: "i", relation: AttributedTo, object: "g", likelihood: Icd("almost certain"), confidence: High),
        Claim(id: "c3""#,
        );
    assert_eq!(text.matches("Vendor X").count(), 1);
    assert_eq!(text.matches("x1").count(), 1);
    std::fs::write(&strong, text).unwrap();
    cases.push(strong.to_str().unwrap().to_string());
    let mut seen = 0;
    for case in &cases {
        let p = |incident: &str, actor: &str, without: &[&str]| {
            let mut t = Test::new().args(["assess", case, "--format", "json", "--no-sensitivity"]);
            for w in without {
                t = t.args(["--without", w]);
            }
            let v: serde_json::Value = serde_json::from_str(&t.run().stdout).unwrap();
            let i = (v["incidents"].as_array().unwrap().iter())
                .find(|i| i["id"] == incident)
                .unwrap();
            let h = (i["hypotheses"].as_array().unwrap().iter()).find(|h| h["actor"] == actor);
            // Every figure and word of the judgement (its lists of claims name the claims
            // set aside, and differ by them).
            let keys = [
                "p",
                "evidence",
                "likelihood",
                "confidence",
                "lines_for",
                "lines_against",
                "strong_lines",
                "conflict",
            ];
            h.map(|h| keys.map(|k| h[k].clone()))
        };
        let all = Test::new()
            .args(["assess", case, "--format", "json", "--no-sensitivity"])
            .run()
            .stdout;
        let v: serde_json::Value = serde_json::from_str(&all).unwrap();
        for i in v["incidents"].as_array().unwrap() {
            let incident = i["id"].as_str().unwrap();
            for h in i["hypotheses"].as_array().unwrap() {
                let actor = h["actor"].as_str().unwrap();
                let text = Test::new()
                    .args(["explain", case, "--incident", incident, "--actor", actor])
                    .args(["--width", "0"])
                    .run()
                    .stdout;
                for line in (text.lines())
                    .filter(|l| l.starts_with("Without ") && l.contains(" nothing to "))
                {
                    // "Without claim X, the restatement E adds nothing to its line: …"
                    let (removed, rest) = line
                        .strip_prefix("Without ")
                        .and_then(|l| l.split_once(", the restatement"))
                        .unwrap_or_else(|| panic!("{line}"));
                    let removed = removed.split_once(' ').unwrap().1;
                    let echoes = rest.trim_start_matches('s').split(" add").next().unwrap();
                    let echoes: Vec<&str> = echoes
                        .split([',', ' '])
                        .filter(|w| !w.is_empty() && *w != "and")
                        .collect();
                    let mut without = vec![removed];
                    without.extend(&echoes);
                    assert_eq!(
                        p(incident, actor, &[removed]),
                        p(incident, actor, &without),
                        "{case}: {line}"
                    );
                    seen += 1;
                }
            }
        }
    }
    assert!(seen >= 2, "the cases hold such sentences ({seen})");
}

/// Two sources of one line (`gov`) say the same; a third restates the first.
const HELD_LINE: &str = r#"Case(
    title: "Held line",
    actors: [],
    groups: [Group(id: "g", name: "Group G")],
    incidents: [Incident(id: "i", name: "Incident I", start: "2024-01-01")],
    sources: [
        Source(id: "s1", name: "Agency One", kind: Government, reliability: B, family: "gov"),
        Source(id: "s2", name: "Agency Two", kind: Government, reliability: B, family: "gov"),
        Source(id: "m", name: "Wire", kind: Media, reliability: C),
    ],
    claims: [
        Claim(id: "c1", source: "s1", date: "2024-02-01", subject: "i", relation: AttributedTo, object: "g", likelihood: Icd("likely")),
        Claim(id: "c2", source: "s2", date: "2024-02-02", subject: "i", relation: AttributedTo, object: "g", likelihood: Icd("likely")),
        Claim(id: "c3", source: "m", date: "2024-02-03", subject: "i", relation: AttributedTo, object: "g", likelihood: Icd("likely"), derived_from: ["c1"]),
    ],
)"#;

/// In the ACH matrix a restatement, set aside as an echo, is neutral wherever what it restates
/// bears: NATO's echo of the White House on Russia read "N" under Russia and "–" (not
/// applicable) under the criminals the White House's claim lowers.
#[test]
fn an_echo_is_neutral_in_every_column_its_original_bears_on() {
    let case = r#"Case(title: "T",
    actors: [Actor(id: "russia", name: "Russia", kind: State),
             Actor(id: "crooks", name: "Criminals", kind: Organisation)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "wh", name: "White House", kind: Government, reliability: B, url: "https://e.org/wh"),
        Source(id: "nato", name: "NATO", kind: Government, reliability: B, url: "https://e.org/nato"),
    ],
    claims: [
        Claim(id: "c7", source: "wh", subject: "i", relation: AttributedTo, object: "russia",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "c11", source: "nato", subject: "i", relation: AttributedTo, object: "russia",
              likelihood: Icd("very likely"), derived_from: ["c7"], wording: "w"),
    ],
    exclusive: [Exclusive(incident: "i", members: ["russia", "crooks"])],
)
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "echo.ron", case);
    let md = test_in(tmp.path(), &["assess", &f, "--format", "markdown"])
        .run()
        .stdout;
    // c7 is neutral too: without it, c11 stands in for it.
    assert!(md.contains("| c7 | N | N |"), "{md}");
    assert!(md.contains("| c11 | N | N |"), "{md}");
}

/// One report names one way for a claim: the way its evidence takes to a state through a unit
/// its group is firmly claimed to belong to, as under the state, also under the state's
/// competitor, where the shortest way (a doubtful direct link to the agency) was named.
#[test]
fn a_claim_is_named_with_one_way_under_every_hypothesis() {
    let case = r#"Case(title: "T",
    actors: [
        Actor(id: "s", name: "State", kind: State),
        Actor(id: "a", name: "Agency", kind: Agency, part_of: "s"),
        Actor(id: "u", name: "Unit", kind: MilitaryUnit, part_of: "a"),
        Actor(id: "crooks", name: "Criminals", kind: Organisation),
    ],
    groups: [Group(id: "g", name: "Group")],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "v", name: "Vendor", kind: Vendor, reliability: B, url: "https://e.org/v"),
        Source(id: "doj", name: "DoJ", kind: Government, reliability: A, url: "https://e.org/doj"),
        Source(id: "blog", name: "Blog", kind: Media, reliability: D, url: "https://e.org/b"),
    ],
    claims: [
        Claim(id: "c1", source: "v", subject: "i", relation: AttributedTo, object: "g",
              likelihood: Icd("very likely"), wording: "w"),
        Claim(id: "l1", source: "doj", subject: "g", relation: OperatedBy, object: "u",
              likelihood: Icd("almost certain"), confidence: High, wording: "w"),
        Claim(id: "l2", source: "blog", subject: "g", relation: OperatedBy, object: "a",
              likelihood: Icd("likely"), wording: "w"),
    ],
    exclusive: [Exclusive(incident: "i", members: ["s", "crooks"])],
)
"#;
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "ways.ron", case);
    let md = test_in(tmp.path(), &["assess", &f, "--format", "markdown"])
        .run()
        .stdout;
    let c1: Vec<&str> = md.lines().filter(|l| l.starts_with("| c1[")).collect();
    assert!(
        c1.iter()
            .any(|l| l.contains("supports, through: Group → Unit → Agency |")),
        "{md}"
    );
    assert!(
        c1.iter().any(|l| l
            .contains("opposes, through support for: Group → Unit → Agency → State, a competitor")),
        "{md}"
    );
}

/// The evidence tables of the reports give a weightless claim's reason in a reader's words,
/// and tell an echo of what another source said of another actor from a plain echo: a
/// restatement that names the state where its original named the group read "no weight
/// (echo)" like the restatements of the same claim, and an even chance read "(vacuous)".
#[test]
fn report_stances_give_why_a_claim_has_no_weight_in_words() {
    let case = "Case(title: \"W\", as_of: \"2024-01-01\", actors: [Actor(id: \"s\", name: \"State\", kind: State)],\n\
        groups: [Group(id: \"g\", name: \"Group\")],\n\
        incidents: [Incident(id: \"i\", name: \"Incident\")],\n\
        sources: [Source(id: \"a\", name: \"A\", kind: Government, reliability: B, url: \"https://example.org/a\"),\n\
          Source(id: \"b\", name: \"B\", kind: Government, reliability: B, url: \"https://example.org/b\"),\n\
          Source(id: \"c\", name: \"C\", kind: Government, reliability: B, url: \"https://example.org/c\")],\n\
        claims: [Claim(id: \"c1\", source: \"a\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"very likely\")),\n\
          Claim(id: \"c2\", source: \"b\", subject: \"i\", relation: AttributedTo, object: \"g\", wording: \"w\", likelihood: Icd(\"likely\")),\n\
          Claim(id: \"c3\", source: \"c\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"very likely\"), derived_from: [\"c1\"]),\n\
          Claim(id: \"c4\", source: \"c\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"x\", likelihood: Icd(\"likely\"), derived_from: [\"c2\"]),\n\
          Claim(id: \"c5\", source: \"b\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"y\", likelihood: Icd(\"roughly even chance\"))])";
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "w.ron", case);
    let md = Test::new()
        .current_dir(tmp.path())
        .args(["assess", &f, "--format", "markdown"])
        .run()
        .stdout;
    let row = |id: &str| {
        let start = md
            .find(&format!("| {id}[^"))
            .unwrap_or_else(|| panic!("{id}: {md}"));
        md[start..].lines().next().unwrap().to_string()
    };
    assert!(row("c3").contains("| no weight (echo) |"), "{md}");
    assert!(
        row("c4").contains("| no weight (echo of something else) |"),
        "{md}"
    );
    assert!(
        row("c5").contains("| no weight (roughly even chance) |"),
        "{md}"
    );
    let html = html_report(case);
    assert!(
        html.contains("no weight (echo of something else)"),
        "{html}"
    );
}

/// A cited claim with no address, its own or its source's, is said to have none in both
/// reports' lists of sources (the HTML report said nothing where the Markdown said so).
#[test]
fn both_reports_say_a_cited_claim_has_no_url() {
    let case = "Case(title: \"U\", as_of: \"2024-01-01\", actors: [Actor(id: \"s\", name: \"State\", kind: State)],\n\
        incidents: [Incident(id: \"i\", name: \"Incident\")],\n\
        sources: [Source(id: \"a\", name: \"A\", kind: Government, reliability: B)],\n\
        claims: [Claim(id: \"c1\", source: \"a\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"said so\", likelihood: Icd(\"very likely\"))])";
    let html = html_report(case);
    assert!(
        html.contains("<q>said so</q>. No URL recorded.</li>"),
        "{html}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "u.ron", case);
    let md = Test::new()
        .current_dir(tmp.path())
        .args(["report", &f, "--format", "markdown"])
        .run()
        .stdout;
    assert!(md.contains("“said so”. No URL recorded."), "{md}");
}

/// A hypothesis the analyst listed that the assessment does not judge is not drawn on the
/// timeline, and the report says so under it rather than leave the reader looking for it.
#[test]
fn the_timeline_names_the_listed_hypotheses_it_does_not_draw() {
    let case = "Case(title: \"T\", as_of: \"2024-01-01\", actors: [Actor(id: \"s\", name: \"State\", kind: State)],\n\
        groups: [Group(id: \"g\", name: \"Cluster Nine\")],\n\
        incidents: [Incident(id: \"i\", name: \"Incident\")],\n\
        hypotheses: [Hypothesis(incident: \"i\", actor: \"g\")],\n\
        sources: [Source(id: \"a\", name: \"A\", kind: Government, reliability: B, url: \"https://example.org/a\")],\n\
        claims: [Claim(id: \"c1\", source: \"a\", date: \"2023-05-01\", subject: \"i\", relation: AttributedTo, object: \"s\", wording: \"w\", likelihood: Icd(\"very likely\"))])";
    let html = html_report(case);
    assert!(
        html.contains("<p class=\"small\">Named by the case as a hypothesis (listed, or in an exclusive set) but not drawn, for insufficient evidence in the assessment: Cluster Nine (g).</p>"),
        "{html}"
    );
    // Without the listing, nothing is said of it.
    let html = html_report(&case.replace(
        "hypotheses: [Hypothesis(incident: \"i\", actor: \"g\")],\n",
        "",
    ));
    assert!(!html.contains("but not drawn"), "{html}");
}

/// `assess . --format json -o july.json`, with `july.json` one of the cases in `.`, said it
/// refused to overwrite the input and then replaced it with the combined report: the file
/// that failed for being the output was left out of the inputs checked at the write. Every
/// file listed is checked before any is read, and nothing is written.
#[test]
fn several_files_never_write_over_one_of_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let july = dir.join("july.json");
    Test::new()
        .args([
            "convert",
            "graphs/albania/2022-07.ron",
            "--to",
            "json",
            "-o",
        ])
        .args([july.to_str().unwrap()])
        .run();
    std::fs::copy(
        crate::root().join("graphs/albania/2022-09.ron"),
        dir.join("september.ron"),
    )
    .unwrap();
    let before = std::fs::read(dir.join("july.json")).unwrap();
    for args in [
        &["assess", ".", "--format", "json", "-o", "july.json"][..],
        &[
            "assess",
            "september.ron",
            "july.json",
            "--format",
            "json",
            "-o",
            "july.json",
        ],
    ] {
        Test::new()
            .args(args)
            .current_dir(dir)
            .stderr_has("july.json`; choose another output with -o")
            .code(2)
            .run();
        assert_eq!(std::fs::read(dir.join("july.json")).unwrap(), before);
    }
    // Standard input redirected from the output file, beside another case.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("attrib"))
        .args([
            "assess",
            "-",
            "september.ron",
            "--format",
            "json",
            "-o",
            "july.json",
        ])
        .current_dir(dir)
        .stdin(std::fs::File::open(dir.join("july.json")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.join("july.json")).unwrap(), before);
}

/// A case whose name is not UTF-8 fails to be read in a directory of cases (attrib takes
/// names as text), and was therefore left out of the inputs `-o` is checked against.
#[cfg(target_os = "linux")]
#[test]
fn several_files_never_write_over_one_named_otherwise_than_in_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(
        crate::root().join("graphs/tutorial.ron"),
        dir.join("ok.ron"),
    )
    .unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.json");
    std::fs::write(dir.join(name), b"{}").unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("attrib"))
        .args(["assess", ".", "--format", "json", "-o"])
        .arg(name)
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite the input file"));
    assert_eq!(std::fs::read(dir.join(name)).unwrap(), b"{}");
}

/// A `.ron` link in a checked directory whose case had moved was passed over in silence, so
/// `check cases/ --deny-warnings` passed without it; named on its own it fails (E001). It
/// fails in a directory too, naming where it points.
#[cfg(unix)]
#[test]
fn a_dangling_link_in_a_directory_of_cases_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(crate::root().join("graphs/tutorial.ron"), dir.join("a.ron")).unwrap();
    std::os::unix::fs::symlink("moved.ron", dir.join("b.ron")).unwrap();
    Test::new()
        .args(["check", "."])
        .current_dir(dir)
        .stdout_has("./a.ron: ok")
        .stderr_has(
            "error[E001]: cannot read `./b.ron`: it is a link to `moved.ron`, which does not \
             exist; mend or remove the link",
        )
        .code(2)
        .run();
    // Two links to each other, likewise.
    std::os::unix::fs::symlink("d.ron", dir.join("c.ron")).unwrap();
    std::os::unix::fs::symlink("c.ron", dir.join("d.ron")).unwrap();
    Test::new()
        .args(["check", "."])
        .current_dir(dir)
        .stderr_has(
            "error[E001]: cannot read `./c.ron`: it is a link to `d.ron`, which cannot be followed",
        )
        .code(2)
        .run();
}

/// A report of one incident (`--incident a`) said it was based on every claim of the case and
/// listed the other incidents' claims and sources as "counted in the basis and not cited": it
/// counts the claims on its incident and on links between actors, and says of how many a
/// what-if left it.
#[test]
fn a_report_of_one_incident_counts_the_claims_on_it() {
    let case = r#"Case(title: "two incidents",
  actors: [Actor(id: "x", name: "X", kind: State), Actor(id: "y", name: "Y", kind: State),
           Actor(id: "z", name: "Z", kind: Agency)],
  incidents: [Incident(id: "a", name: "A"), Incident(id: "b", name: "B")],
  sources: [Source(id: "s1", name: "S1", kind: Government, reliability: B, url: "https://example.org/1"),
            Source(id: "s2", name: "S2", kind: Vendor, reliability: B, url: "https://example.org/2"),
            Source(id: "s3", name: "S3", kind: Vendor, reliability: C, url: "https://example.org/3")],
  claims: [Claim(id: "c1", source: "s1", subject: "a", relation: AttributedTo, object: "x", wording: "w1", likelihood: Icd("very likely")),
           Claim(id: "c2", source: "s2", subject: "b", relation: AttributedTo, object: "y", wording: "w2", likelihood: Icd("very likely")),
           Claim(id: "c3", source: "s3", subject: "z", relation: SubordinateOf, object: "x", wording: "w3", likelihood: Icd("likely"))])
"#;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("two.ron"), case).unwrap();
    let run = |args: &[&str]| {
        let out = Test::new().args(args).current_dir(tmp.path()).run();
        out.stdout
    };
    let markdown = run(&[
        "assess",
        "two.ron",
        "--incident",
        "a",
        "--format",
        "markdown",
    ]);
    assert!(
        markdown.contains("Based on 2 claims from 2 sources.\n"),
        "{markdown}"
    );
    assert!(
        !markdown.contains("c2") && !markdown.contains("S2"),
        "{markdown}"
    );
    let html = run(&["report", "two.ron", "--incident", "a"]);
    assert!(html.contains("Based on 2 claims from 2 sources."), "{html}");
    assert!(!html.contains("S2"), "{html}");
    let without = run(&[
        "assess",
        "two.ron",
        "--incident",
        "a",
        "--format",
        "markdown",
        "--without",
        "s1",
    ]);
    assert!(
        without.contains(
            "Based on 1 claim from 1 source (of the 2 claims from 2 sources on this incident \
             and the links between actors)."
        ),
        "{without}"
    );
    let whole = run(&[
        "assess",
        "two.ron",
        "--format",
        "markdown",
        "--without",
        "s1",
    ]);
    assert!(
        whole.contains("Based on 2 claims from 2 sources (of the case's 3 claims from 3 sources)."),
        "{whole}"
    );
}

/// `check graphs > /dev/full` said "cannot write to standard output" once for every file: the
/// first write that fails ends the run, with exit 2.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_fails_check_once() {
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("attrib"))
        .args(["check", "graphs"])
        .current_dir(crate::root())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("cannot write to standard output").count(),
        1,
        "{stderr}"
    );
}

/// A set with a member that does not resolve (E021) was compared by the members that did,
/// and a later set of those was called declared twice (E020) though the two differ as
/// written.
#[test]
fn a_set_with_an_unknown_member_is_not_called_declared_twice() {
    let case = r#"Case(title: "t",
  groups: [Group(id: "a", name: "A"), Group(id: "b", name: "B")],
  incidents: [Incident(id: "i", name: "I")],
  exclusive: [Exclusive(incident: "i", members: ["a", "b", "zzz"]), Exclusive(incident: "i", members: ["b", "a"])])
"#;
    Test::new()
        .args(["check", "-"])
        .stdin(case)
        .stderr_has("error[E021]: unknown name `zzz`")
        .stderr_lacks("E020")
        .code(2)
        .run();
}

/// A large binary file was read whole before the loader saw its first byte was NUL (a file of
/// zeros of 2 GB among a directory's cases took 2 GB and ten seconds), and a file or a stream
/// larger than the memory left ended in an abort. Under a limit of 600 MB of address space:
/// a binary file of 2 GB is refused from its first block, a text file of 900 MB and an input
/// that never ends are refused with a message.
#[cfg(target_os = "linux")]
#[test]
fn a_large_input_is_refused_without_reading_it_into_memory_it_lacks() {
    use std::io::{Seek, Write};
    let tmp = tempfile::tempdir().unwrap();
    // Sparse: no disk space taken.
    let zeros = std::fs::File::create(tmp.path().join("zeros.ron")).unwrap();
    zeros.set_len(2 << 30).unwrap();
    let mut text = std::fs::File::create(tmp.path().join("big.json")).unwrap();
    text.write_all(&vec![b' '; 2 << 20]).unwrap();
    text.seek(std::io::SeekFrom::Start(900 << 20)).unwrap();
    text.write_all(b"{}").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("attrib");
    let limited = |script: &str| {
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("ulimit -v 600000; {script}")])
            .arg("sh")
            .arg(&bin)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = limited("\"$1\" check zeros.ron");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("(NUL byte at offset 0)"), "{err}");
    let (code, err) = limited("\"$1\" check big.json");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("its 943718402 bytes do not fit in the memory this process may use"),
        "{err}"
    );
    let (code, err) = limited("yes '{' | \"$1\" check -");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("do not fit in the memory this process may use"),
        "{err}"
    );
}
