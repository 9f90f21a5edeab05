//! The system Graphviz `dot`, which renders diagrams: run with the figure written into it as
//! it reads, its messages passed to stderr made safe for the terminal; and the page fitting
//! that measures a figure's natural size with it first.

use crate::cli::Failure;
use attrib::escape;
use attrib::export;
use attrib::export::dot::{MIN_PRINTED_POINTS, Paper, SMALLEST_FONT};
use attrib::export::figure::Figure;
use std::io::{self, Read, Write};

/// What Graphviz writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Svg,
    Png,
    Pdf,
    /// Graphviz's plain text layout: sizes and positions, for measuring.
    Plain,
}

/// Why Graphviz could not run, in a sentence that says what to do.
pub fn missing_message() -> &'static str {
    "Graphviz's `dot` was not found on PATH. Install Graphviz (Debian/Ubuntu: `apt-get install \
     graphviz`; macOS: `brew install graphviz`)."
}

/// Runs the system Graphviz `dot`, writing the figure into it as it reads; its warnings go to
/// our stderr, made safe for the terminal.
pub fn render(figure: &Figure<'_>, format: Output) -> Result<Vec<u8>, Failure> {
    let (stdout, stderr) = run(figure, format)?;
    if !stderr.is_empty() {
        let _ = io::stderr()
            .write_all(escape::terminal::block(&String::from_utf8_lossy(&stderr)).as_bytes());
    }
    Ok(stdout)
}

/// Has Graphviz lay `figure` out without drawing it, for the scale it applies: the warnings of
/// layouts tried and dropped are not the user's concern.
fn measure(figure: &Figure<'_>) -> Result<Vec<u8>, Failure> {
    run(figure, Output::Plain).map(|(stdout, _)| stdout)
}

/// Runs `dot`, returning what it wrote to stdout and to stderr; a failed run is an error that
/// carries its messages.
fn run(figure: &Figure<'_>, format: Output) -> Result<(Vec<u8>, Vec<u8>), Failure> {
    use std::process::{Command as Process, Stdio};
    let kind = match format {
        Output::Svg => "-Tsvg",
        Output::Png => "-Tpng",
        Output::Pdf => "-Tpdf",
        Output::Plain => "-Tplain",
    };
    let mut child = Process::new("dot")
        .arg(kind)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                Failure::usage(missing_message())
            } else {
                Failure::usage(format!("cannot run Graphviz `dot`: {e}"))
            }
        })?;
    // The figure is written from this thread as Graphviz reads it (it reads the case and the
    // assessment as it goes); Graphviz's output and messages are read beside it.
    let mut stdin = child.stdin.take().expect("stdin was piped");
    let mut stdout = child.stdout.take().expect("stdout was piped");
    let mut stderr = child.stderr.take().expect("stderr was piped");
    let (out, err) = std::thread::scope(|scope| {
        let out = scope.spawn(move || {
            let mut bytes = Vec::new();
            stdout.read_to_end(&mut bytes).map(|_| bytes)
        });
        let err = scope.spawn(move || {
            let mut bytes = Vec::new();
            stderr.read_to_end(&mut bytes).map(|_| bytes)
        });
        {
            // A Graphviz that stops reading early fails the write: its status says why.
            let mut buffered = io::BufWriter::new(&mut stdin);
            let _ = export::dot::write(figure, &mut buffered).and_then(|()| buffered.flush());
        }
        drop(stdin);
        (out.join(), err.join())
    });
    let read = |r: std::thread::Result<io::Result<Vec<u8>>>| {
        r.unwrap_or_else(|_| Ok(Vec::new()))
            .map_err(|e| Failure::usage(format!("Graphviz `dot` failed: {e}")))
    };
    let (stdout, stderr) = (read(out)?, read(err)?);
    let status = child
        .wait()
        .map_err(|e| Failure::usage(format!("Graphviz `dot` failed: {e}")))?;
    let out = std::process::Output {
        status,
        stdout,
        stderr,
    };
    if !out.status.success() {
        let _ = io::stderr()
            .write_all(escape::terminal::block(&String::from_utf8_lossy(&out.stderr)).as_bytes());
        return Err(Failure::usage(format!(
            "Graphviz `dot` failed ({}); its messages are above",
            out.status
        )));
    }
    Ok((out.stdout, out.stderr))
}

/// How a figure was fitted to a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// The rank direction chosen.
    pub rankdir: &'static str,
    /// Over how many ranks fan-outs are staggered.
    pub stagger: usize,
    /// The scale Graphviz will apply to fit the page (at most 1).
    pub scale: f64,
}

impl Fit {
    /// The printed size of the smallest text, in points.
    pub fn smallest_text(self) -> f64 {
        SMALLEST_FONT * self.scale
    }
}

/// Lays `figure` out to fit the printable area of `paper`: has Graphviz lay it out for the
/// page with ranks left to right and top to bottom, fan-outs staggered over one to four ranks,
/// and keeps the layout it shrinks least. Warns on stderr when the text would still print under
/// [`MIN_PRINTED_POINTS`].
pub fn fit_to_page(figure: &mut Figure<'_>, paper: Paper, landscape: bool) -> Result<Fit, Failure> {
    let page = paper.printable(landscape);
    let mut best: Option<Fit> = None;
    for rankdir in ["TB", "LR"] {
        for stagger in 1..=4 {
            figure.fit(rankdir, Some(page));
            figure.stagger(stagger);
            let plain = measure(figure)?;
            let scale = plain_scale(&String::from_utf8_lossy(&plain)).ok_or_else(|| {
                Failure::usage(
                    "Graphviz `dot -Tplain` gave no `graph scale width height` line to fit the \
                     page by; is `dot` on PATH Graphviz's?",
                )
            })?;
            // A layout must shrink less by a noticeable margin to be worth its oddity.
            if best.is_none_or(|b| scale > b.scale * 1.05) {
                best = Some(Fit {
                    rankdir,
                    stagger,
                    scale,
                });
            }
        }
    }
    let fit = best.expect("layouts measured");
    figure.fit(fit.rankdir, Some(page));
    figure.stagger(fit.stagger);
    if fit.smallest_text() < MIN_PRINTED_POINTS {
        let _ = writeln!(
            io::stderr(),
            "warning: at this page size the smallest text prints at {:.1} pt, under {:.0} pt; \
             try --landscape, a larger --page, --legend none, --min or --focus",
            fit.smallest_text(),
            MIN_PRINTED_POINTS
        );
    }
    Ok(fit)
}

/// The scale Graphviz applied to fit the drawing into its `size`, from its plain output
/// (`graph scale width height`).
fn plain_scale(plain: &str) -> Option<f64> {
    let line = plain.lines().find(|l| l.starts_with("graph "))?;
    line.split_whitespace()
        .nth(1)?
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s > 0.0)
}

/// Whether Graphviz's `dot` can be run.
pub fn available() -> bool {
    use std::process::{Command, Stdio};
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
