//! Integration tests: they run the real `attrib` binary (and the library's public API) on the
//! files under `graphs/` and `tests/data/`.

mod architecture;
mod assess;
mod check;
mod cli;
mod convert;
mod diff;
mod dot;
mod escaping;
mod regressions;
mod report;
mod robustness;
mod stix;
mod taxii;
mod whatif;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// One run of the binary with what it must print and return, stated in one place (after
/// `just`'s test builder):
///
/// ```ignore
/// Test::new()
///     .args(["assess", "--grade", "nsc=Z"])
///     .stderr_has("not an Admiralty grade")
///     .code(2)
///     .run();
/// ```
///
/// The exit code is always checked (0 unless [`Test::code`] says otherwise); standard output
/// and standard error are checked exactly ([`Test::stdout`], [`Test::stderr`]) or for a part
/// ([`Test::stdout_has`], [`Test::stderr_has`]) when the test says so. [`Test::run`] returns
/// both streams for anything further.
#[must_use]
pub struct Test {
    args: Vec<String>,
    dir: PathBuf,
    stdin: Option<Vec<u8>>,
    env: Vec<(String, Option<String>)>,
    code: i32,
    stdout: Vec<Expect>,
    stderr: Vec<Expect>,
}

enum Expect {
    Exactly(String),
    Has(String),
    Lacks(String),
}

/// What a [`Test`] run printed.
pub struct Output {
    pub stdout: String,
    pub stderr: String,
}

impl Default for Test {
    fn default() -> Test {
        Test::new()
    }
}

impl Test {
    /// A run in the repository root, expected to succeed.
    pub fn new() -> Test {
        Test {
            args: Vec::new(),
            dir: root(),
            stdin: None,
            env: Vec::new(),
            code: 0,
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    /// Adds arguments.
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Test {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Runs in `dir` instead of the repository root.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Test {
        self.dir = dir.as_ref().to_path_buf();
        self
    }

    /// Feeds `bytes` on standard input.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Test {
        self.stdin = Some(bytes.into());
        self
    }

    /// Sets an environment variable (`None` removes it).
    pub fn env(mut self, key: &str, value: Option<&str>) -> Test {
        self.env.push((key.to_string(), value.map(str::to_string)));
        self
    }

    /// The exit code expected.
    pub fn code(mut self, code: i32) -> Test {
        self.code = code;
        self
    }

    /// Standard output, exactly.
    pub fn stdout(mut self, text: impl Into<String>) -> Test {
        self.stdout.push(Expect::Exactly(text.into()));
        self
    }

    /// A part of standard output.
    pub fn stdout_has(mut self, text: impl Into<String>) -> Test {
        self.stdout.push(Expect::Has(text.into()));
        self
    }

    /// Standard error, exactly.
    pub fn stderr(mut self, text: impl Into<String>) -> Test {
        self.stderr.push(Expect::Exactly(text.into()));
        self
    }

    /// A part of standard error.
    pub fn stderr_has(mut self, text: impl Into<String>) -> Test {
        self.stderr.push(Expect::Has(text.into()));
        self
    }

    /// Something standard error must not contain.
    pub fn stderr_lacks(mut self, text: impl Into<String>) -> Test {
        self.stderr.push(Expect::Lacks(text.into()));
        self
    }

    /// Runs the binary and checks every expectation, naming the command line on failure.
    #[track_caller]
    pub fn run(self) -> Output {
        let mut cmd = attrib();
        cmd.args(&self.args).current_dir(&self.dir);
        for (k, v) in &self.env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        if let Some(input) = self.stdin {
            cmd.write_stdin(input);
        }
        let out = cmd.output().expect("attrib runs");
        let output = Output {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let line = format!("attrib {}", self.args.join(" "));
        assert_eq!(
            out.status.code(),
            Some(self.code),
            "{line}: exit code\nstdout:\n{}\nstderr:\n{}",
            output.stdout,
            output.stderr
        );
        for (name, expects, actual) in [
            ("stdout", &self.stdout, &output.stdout),
            ("stderr", &self.stderr, &output.stderr),
        ] {
            for e in expects {
                match e {
                    Expect::Exactly(t) => assert_eq!(actual, t, "{line}: {name}"),
                    Expect::Has(t) => {
                        assert!(actual.contains(t), "{line}: {name} lacks {t:?}:\n{actual}")
                    }
                    Expect::Lacks(t) => {
                        assert!(!actual.contains(t), "{line}: {name} has {t:?}:\n{actual}")
                    }
                }
            }
        }
        output
    }
}

/// The `attrib` binary, with a clean colour environment.
pub fn attrib() -> Command {
    let mut cmd = Command::cargo_bin("attrib").expect("the attrib binary is built");
    cmd.env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("NO_COLOR", "1");
    cmd
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every evidence graph shipped under `graphs/`, sorted.
pub fn graphs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("graphs"))
        .expect("graphs/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron" || e == "json"))
        .collect();
    out.sort();
    out
}

/// Writes `script` as an executable `dot` in `dir`, run in Graphviz's place when `dir` alone is
/// on PATH (and written again to change what it does).
#[cfg(unix)]
pub fn fake_dot(dir: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    let fake = dir.join("dot");
    std::fs::write(&fake, script).unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A diagram's text with the line breaks of its labels' HTML (`<BR/>`, where a legend entry
/// or a long name wraps) read as spaces, to look for a phrase however it wrapped.
pub fn unwrapped(dot: &str) -> String {
    dot.replace("<BR/>", " ")
}

/// Runs the binary and returns (exit code, stdout, stderr).
pub fn run(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = attrib()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("attrib runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
