//! CLI manners: help with examples, completions, man page, usage errors.

use crate::{root, run};

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
        let (code, out, err) = run(&[cmd, "--help"], &root());
        assert_eq!(code, 0, "{cmd}: {err}");
        assert!(
            out.contains("Example"),
            "{cmd} --help has no example:\n{out}"
        );
    }
    let (_, out, _) = run(&["--help"], &root());
    assert!(out.contains("Examples:"));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = run(&["completions", shell], &root());
        assert_eq!(code, 0);
        assert!(
            out.contains("assess"),
            "{shell} completions name the commands"
        );
    }
}

#[test]
fn man_page_from_the_same_definitions() {
    let (code, out, _) = run(&["man"], &root());
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie") || out.contains(".TH attrib"),
        "{}",
        &out[..200.min(out.len())]
    );
    assert!(out.contains("assess"));
}

#[test]
fn usage_errors_exit_2_with_one_message() {
    let (code, out, err) = run(&["assess", "--format", "pdf"], &root());
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("invalid value 'pdf'"), "{err}");
    let (code, _, err) = run(&["explain", "--actor", "irn"], &root());
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `iran`?"), "{err}");
}

#[test]
fn generate_is_deterministic_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.json");
    let b = tmp.path().join("b.json");
    for out in [&a, &b] {
        let (code, _, err) = run(
            &[
                "generate",
                "--claims",
                "2000",
                "--seed",
                "7",
                "-o",
                out.to_str().unwrap(),
            ],
            &root(),
        );
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let (code, out, err) = run(&["check", a.to_str().unwrap()], &root());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2000 claims"), "{out}");
    let (code, _, err) = run(
        &[
            "assess",
            a.to_str().unwrap(),
            "--format",
            "json",
            "--no-sensitivity",
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    let (_, ron, _) = run(&["generate", "--claims", "300", "--seed", "2"], &root());
    assert!(ron.contains("Case("), "RON by default");
}
