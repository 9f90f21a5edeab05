//! `attrib convert`: RON <-> JSON, normalised, atomic, never over the input.

use crate::{Test, attrib, graphs, root};
use attrib::format::Syntax;
use attrib::load::parse;

#[test]
fn every_graph_round_trips_through_json_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    for g in graphs() {
        let json = tmp.path().join("case.json");
        let ron = tmp.path().join("case.ron");
        let (g_path, json_path, ron_path) = (
            g.to_str().unwrap(),
            json.to_str().unwrap(),
            ron.to_str().unwrap(),
        );
        Test::new()
            .args(["convert", g_path, "--to", "json", "-o", json_path])
            .run();
        Test::new()
            .args(["convert", json_path, "--to", "ron", "-o", ron_path])
            .run();
        let mut original = parse(&std::fs::read_to_string(&g).unwrap(), Syntax::Ron).unwrap();
        original.normalise();
        let from_json = parse(&std::fs::read_to_string(&json).unwrap(), Syntax::Json).unwrap();
        let back = parse(&std::fs::read_to_string(&ron).unwrap(), Syntax::Ron).unwrap();
        assert_eq!(original, from_json, "{}: JSON differs", g.display());
        assert_eq!(
            original,
            back,
            "{}: RON after the round trip differs",
            g.display()
        );
        // And the converted files still check clean.
        Test::new().args(["check", ron_path]).run();
    }
}

/// A track record's counts come back as written, `12` and not `12.0`; a weighted count keeps
/// its fraction.
#[test]
fn whole_counts_are_written_whole() {
    let json = Test::new()
        .args(["convert", "graphs/tutorial.ron", "--to", "json"])
        .run()
        .stdout;
    assert!(json.contains("\"valid\": 12,"), "{json}");
    assert!(json.contains("\"invalid\": 3\n"), "{json}");
    assert!(!json.contains("12.0"), "{json}");
    let weighted = json.replace("\"valid\": 12,", "\"valid\": 11.5,");
    let ron = Test::new()
        .args(["convert", "-", "--to", "ron"])
        .stdin(weighted)
        .run()
        .stdout;
    assert!(ron.contains("valid: 11.5,"), "{ron}");
    assert!(ron.contains("invalid: 3,"), "{ron}");
}

/// RON written by attrib keeps an apostrophe as it is ("AKSHI's", not "AKSHI\'s"), in a file
/// written whole and in one streamed to standard output, and still escapes what must be.
#[test]
fn written_ron_keeps_apostrophes_plain() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("case.ron");
    let streamed = Test::new()
        .args(["convert", "graphs/albania-2022.ron", "--to", "ron"])
        .run()
        .stdout;
    Test::new()
        .args([
            "convert",
            "graphs/albania-2022.ron",
            "--to",
            "ron",
            "-o",
            out.to_str().unwrap(),
        ])
        .run();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), streamed);
    assert!(
        streamed.contains("\"AKSHI's first description"),
        "{streamed}"
    );
    assert!(streamed.contains("Vezarat-e Ettela'at"));
    assert!(!streamed.contains("\\'"));
    // A name with a quote, a backslash and an escape sequence is still escaped.
    let case = tmp.path().join("hostile.ron");
    let text = std::fs::read_to_string(root().join("graphs/albania-2022.ron"))
        .unwrap()
        .replacen(
            "title: \"",
            "title: \"O'Brien \\\\' \\\"x\\\" \\u{1b}[2J ",
            1,
        );
    std::fs::write(&case, text).unwrap();
    let ron = Test::new()
        .args(["convert", case.to_str().unwrap(), "--to", "ron"])
        .run()
        .stdout;
    assert!(
        ron.contains(r#"title: "O'Brien \\' \"x\" \u{1b}[2J "#),
        "{}",
        &ron[..200]
    );
    let back = parse(&ron, Syntax::Ron).unwrap();
    assert!(
        back.title.starts_with("O'Brien \\' \"x\" \u{1b}[2J "),
        "{}",
        back.title
    );
}

#[test]
fn conversion_is_deterministic() {
    let g = root().join("graphs/albania-2022.ron");
    let convert = || {
        Test::new()
            .args(["convert", g.to_str().unwrap(), "--to", "json"])
            .run()
            .stdout
    };
    let (a, b) = (convert(), convert());
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn refuses_to_overwrite_its_input() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case.ron");
    std::fs::copy(root().join("graphs/albania-2022.ron"), &case).unwrap();
    let before = std::fs::read(&case).unwrap();
    Test::new()
        .args(["convert", "case.ron", "--to", "ron", "-o", "./case.ron"])
        .current_dir(tmp.path())
        .stderr_has("refusing to overwrite the input file")
        .code(2)
        .run();
    assert_eq!(std::fs::read(&case).unwrap(), before, "input untouched");
}

#[test]
fn an_invalid_case_is_not_converted_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.json");
    let bad = root().join("tests/data/invalid/unknown-source.ron");
    Test::new()
        .args(["convert", bad.to_str().unwrap(), "--to", "json"])
        .args(["-o", out.to_str().unwrap()])
        .stdout("")
        .code(2)
        .run();
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "no temporary file left"
    );
}

/// The message names the directory that is missing, or is a file, and not the temporary file
/// attrib would have written first (`at path "/nonexistent/dir/.x.json.attrib-11559-znJgOm"`).
#[test]
fn writing_into_a_missing_directory_fails_cleanly() {
    let g = root().join("graphs/albania-2022.ron");
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "").unwrap();
    let under_file = file.join("x.json");
    for (out, why) in [
        (
            "/nonexistent/dir/x.json",
            "there is no directory `/nonexistent/dir`".to_string(),
        ),
        (
            under_file.to_str().unwrap(),
            format!("`{}` is not a directory", file.display()),
        ),
    ] {
        Test::new()
            .args(["convert", g.to_str().unwrap(), "--to", "json"])
            .args(["-o", out])
            .stderr(format!("error: cannot write `{out}`: {why}\n"))
            .code(2)
            .run();
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // `attrib convert … | head -c 0`: the reader is gone before attrib writes; attrib exits 0
    // quietly instead of panicking or reporting an error.
    use std::process::Stdio;
    let mut child = std::process::Command::new(attrib().get_program())
        .args(["convert", "graphs/albania-2022.ron", "--to", "json"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn written_files_get_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("case.json");
    let g = root().join("graphs/tutorial.ron");
    Test::new()
        .args(["convert", g.to_str().unwrap(), "--to", "json"])
        .args(["-o", out.to_str().unwrap()])
        .run();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "not the temporary file's private mode");
}

/// Every file a command reads is safe from its `-o`, not only the first: both versions given
/// to `diff`, the alias tables of `import aliases` and `import stix --aliases`.
#[test]
fn no_file_a_command_reads_is_written_over() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let tutorial = root().join("graphs/tutorial.ron");
    let tutorial = tutorial.to_str().unwrap();
    Test::new()
        .args(["convert", tutorial, "--to", "json", "-o", "old.json"])
        .current_dir(dir)
        .run();
    std::fs::copy(dir.join("old.json"), dir.join("new.json")).unwrap();
    let table = root().join("tests/data/stix/microsoft-threat-actor-mapping.json");
    std::fs::copy(&table, dir.join("table.json")).unwrap();
    let bundle = root().join("tests/data/stix/oasis-apt1.json");
    let snapshot =
        || ["old.json", "new.json", "table.json"].map(|f| std::fs::read(dir.join(f)).unwrap());
    let before = snapshot();
    let refused: [&[&str]; 4] = [
        &[
            "diff", "old.json", "new.json", "--format", "json", "-o", "old.json",
        ],
        &[
            "diff",
            "old.json",
            "new.json",
            "--format",
            "json",
            "-o",
            "./new.json",
        ],
        &[
            "import",
            "aliases",
            "old.json",
            "table.json",
            "-o",
            "table.json",
        ],
        &[
            "import",
            "stix",
            bundle.to_str().unwrap(),
            "--aliases",
            "table.json",
            "-o",
            "table.json",
        ],
    ];
    for args in refused {
        let err = Test::new()
            .args(args.iter().copied())
            .current_dir(dir)
            .code(2)
            .stderr_has("refusing to overwrite the input file")
            .run()
            .stderr;
        // Refused before the work, which would report what it imported or added.
        assert!(!err.contains("added") && !err.contains("imported"), "{err}");
    }
    assert_eq!(snapshot(), before, "no input written over");
}

/// A file made read-only is not replaced (the rename that writes `-o` would, whatever its
/// mode), and a directory is named for what it is; both refused before any work.
#[test]
fn a_read_only_file_or_a_directory_is_refused_as_output() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ro = dir.join("ro.json");
    std::fs::write(&ro, "kept").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let g = root().join("graphs/tutorial.ron");
    Test::new()
        .args([
            "convert",
            g.to_str().unwrap(),
            "--to",
            "json",
            "-o",
            "ro.json",
        ])
        .current_dir(dir)
        .stderr(
            "error: cannot write `ro.json`: the file is read-only; make it writable \
             (chmod u+w) or choose another output\n",
        )
        .code(2)
        .run();
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), "kept");
    std::fs::create_dir(dir.join("sub")).unwrap();
    for (out, why) in [
        ("sub", "it is a directory; name a file in it"),
        ("sub/", "it is a directory; name a file in it"),
        ("new/", "it names a directory (it ends in `/`); name a file"),
    ] {
        Test::new()
            .args(["convert", g.to_str().unwrap(), "--to", "json", "-o", out])
            .current_dir(dir)
            .stderr(format!("error: cannot write `{out}`: {why}\n"))
            .code(2)
            .run();
    }
}

/// A report into a directory that does not exist is refused at once: not after assessing,
/// laying out every diagram and saying so.
#[test]
fn a_report_that_cannot_be_written_is_refused_before_the_work() {
    let out = "/nonexistent/dir/report.html";
    Test::new()
        .args(["report", "graphs/albania-2022.ron", "-o", out])
        .current_dir(root())
        .stderr(format!(
            "error: cannot write `{out}`: there is no directory `/nonexistent/dir`\n"
        ))
        .code(2)
        .run();
}

/// Another user's file, writable by its mode for its owner only, in a directory anyone may
/// write to, was replaced by `-o` (the rename needs only the directory) and became this
/// user's. It is refused, as the shell's `>` refuses it. Run as another user, which only root
/// can do here (`setpriv`); elsewhere there is no other user's file to try.
#[test]
fn another_users_file_is_not_replaced() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let setpriv = std::path::Path::new("/usr/bin/setpriv");
    if !setpriv.exists()
        || std::fs::metadata("/proc/self")
            .map(|m| m.uid())
            .unwrap_or(1)
            != 0
    {
        eprintln!("skipped: needs root and setpriv to act as another user");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let theirs = dir.join("theirs.json");
    std::fs::write(&theirs, "kept").unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o644)).unwrap();
    let case = dir.join("case.ron");
    std::fs::copy(root().join("graphs/tutorial.ron"), &case).unwrap();
    std::fs::set_permissions(&case, std::fs::Permissions::from_mode(0o644)).unwrap();
    // The binary where `nobody` may run it.
    let bin = dir.join("attrib");
    std::fs::copy(assert_cmd::cargo::cargo_bin("attrib"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = std::process::Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args(["convert", "case.ron", "--to", "json", "-o", "theirs.json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot write `theirs.json`: this user may not write the file"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "kept");
    assert_eq!(std::fs::metadata(&theirs).unwrap().uid(), 0);
}
