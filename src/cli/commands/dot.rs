//! `attrib dot`, and the Graphviz subprocess that renders its output.

use crate::cli::args::{DotArgs, RenderFormat, ViewArg};
use crate::cli::input::{load_input, read_input};
use crate::cli::output::{write_output, write_with};
use crate::cli::{Failure, resolve};
use attrib::assess::assess;
use attrib::escape;
use attrib::export;
use attrib::export::dot::View;
use attrib::export::figure::Figure;
use std::io::{self, Write};
use std::process::ExitCode;

/// `attrib dot`: the diagram as DOT, or rendered by Graphviz.
pub fn run(args: DotArgs, colour: bool) -> Result<ExitCode, Failure> {
    let input = read_input(args.file.as_deref())?;
    let loaded = load_input(&input, colour)?;
    let case = &loaded.case;
    let min = args.min;
    let assessment = assess(case, resolve::scenario(case, &args.what_if)?);
    let view = match args.view {
        ViewArg::Assessment => View::Assessment,
        ViewArg::Evidence => View::Evidence,
    };
    let mut figure = export::dot::figure(case, &assessment, view, min);
    if let Some(name) = &args.focus {
        let node = export::dot::focus_node(case, name).ok_or_else(|| {
            Failure::usage(format!(
                "--focus {name}: no incident, actor, group, source or claim has this id, name or alias"
            ))
        })?;
        figure = figure.focus(&node, args.depth).ok_or_else(|| {
            Failure::usage(
                format!("--focus {name}: not part of the {:?} view", args.view).to_lowercase(),
            )
        })?;
    }
    match args.render {
        None => write_with(args.output.as_deref(), input.path.as_deref(), |w| {
            export::dot::write(&figure, w)
        }),
        Some(format) => {
            let rendered = render_with_graphviz(figure, format)?;
            write_output(args.output.as_deref(), input.path.as_deref(), &rendered)
        }
    }
}

/// Runs the system Graphviz `dot`, writing the figure into it as it reads; its warnings go to
/// our stderr, made safe for the terminal.
fn render_with_graphviz(figure: Figure, format: RenderFormat) -> Result<Vec<u8>, Failure> {
    use std::process::{Command as Process, Stdio};
    let kind = match format {
        RenderFormat::Svg => "-Tsvg",
        RenderFormat::Png => "-Tpng",
        RenderFormat::Pdf => "-Tpdf",
    };
    let mut child = Process::new("dot")
        .arg(kind)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                Failure::usage(
                    "Graphviz's `dot` was not found on PATH, so --render cannot run. Install \
                     Graphviz (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install \
                     graphviz`), or leave out --render to write DOT.",
                )
            } else {
                Failure::usage(format!("cannot run Graphviz `dot`: {e}"))
            }
        })?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    let writer = std::thread::spawn(move || {
        let mut buffered = io::BufWriter::new(&mut stdin);
        export::dot::write(&figure, &mut buffered).and_then(|()| buffered.flush())
    });
    let out = child
        .wait_with_output()
        .map_err(|e| Failure::usage(format!("Graphviz `dot` failed: {e}")))?;
    let _ = writer.join();
    if !out.stderr.is_empty() {
        let _ = io::stderr()
            .write_all(escape::terminal::block(&String::from_utf8_lossy(&out.stderr)).as_bytes());
    }
    if !out.status.success() {
        return Err(Failure::usage(format!(
            "Graphviz `dot` failed ({}); its messages are above",
            out.status
        )));
    }
    Ok(out.stdout)
}
