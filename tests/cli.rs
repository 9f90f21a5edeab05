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
