//! `attrib dot`, and the Graphviz subprocess that renders its output.

use crate::cli::args::{DotArgs, LegendArg, PaperArg, RenderFormat, ViewArg};
use crate::cli::graphviz::{self, Output};
use crate::cli::input::{load_case, read_input};
use crate::cli::output::{write_output, write_with};
use crate::cli::{Failure, resolve};
use attrib::assess::{Request, stream};
use attrib::escape;
use attrib::export;
use attrib::export::dot::{Legend, Options, Paper, View};
use attrib::export::figure::Key;
use std::io::Write;
use std::process::ExitCode;

/// `attrib dot`: the diagram as DOT, or rendered by Graphviz.
pub fn run(args: DotArgs, colour: bool) -> Result<ExitCode, Failure> {
    if let Some(format) = args.render {
        refuse_other_than(args.output.as_deref(), format)?;
    } else {
        refuse_other_images(args.output.as_deref())?;
        if rendered_for(args.output.as_deref()).is_none() {
            crate::cli::output::refuse_misnamed(
                args.output.as_deref(),
                crate::cli::output::Written::Dot,
                &[],
            )?;
        }
    }
    let mut input = read_input(args.file.as_deref())?;
    crate::cli::output::refuse_unwritable(args.output.as_deref(), &input.paths())?;
    let loaded = load_case(&mut input, colour, &args.lint)?;
    // Only the resolved case is needed from here: the bytes go (the parsed file went into it).
    input.bytes = Vec::new();
    let case = &loaded.case;
    let assessment = stream(
        case,
        Request {
            scenario: resolve::scenario(case, &args.what_if)?,
            ..Request::default()
        },
    );
    let view = match args.view {
        ViewArg::Assessment => View::Assessment,
        ViewArg::Evidence => View::Evidence,
    };
    let mut figure = export::dot::figure_with(case, &assessment, view, &options(&args));
    if let Some(name) = &args.focus {
        figure = focused(figure, case, name, &args)?;
    }
    if let Some(incident) = resolve::incident(case, args.incident.as_deref())? {
        // What the report draws for an incident (one hop: its hypotheses), and in the
        // evidence view the two hops to its actors through its claims, with the links up
        // from them that `focus` keeps for an incident.
        let hops = match args.view {
            ViewArg::Assessment => 1,
            ViewArg::Evidence => 2,
        };
        figure = (figure.focus(Key::Incident(incident), hops)).ok_or_else(|| {
            Failure::usage(format!(
                "--incident {}: not drawn in this view",
                args.incident.as_deref().unwrap_or_default()
            ))
        })?;
    }
    if let Some(page) = args.page {
        let fit = graphviz::fit_to_page(&mut figure, paper(page), args.landscape)?;
        small_print_warning(&args, page, &fit);
    }
    match args.render.or_else(|| rendered_for(args.output.as_deref())) {
        None => write_with(args.output.as_deref(), &input.paths(), |w| {
            export::dot::write(&figure, w)
        }),
        Some(format) => {
            let format = match format {
                RenderFormat::Svg => Output::Svg,
                RenderFormat::Png if args.page.is_some() => Output::PagePng,
                RenderFormat::Png => Output::Png,
                RenderFormat::Pdf => Output::Pdf,
            };
            let mut rendered = graphviz::render(&figure, format)?;
            if format == Output::Pdf {
                let date = attrib::report::information_date(case, &assessment);
                // Where the dates are compressed (cairo 1.17.6 on) they stay the run's:
                // docs/diagrams.md says so.
                let _ = graphviz::date_pdf(&mut rendered, date);
            }
            write_output(args.output.as_deref(), &input.paths(), &rendered)
        }
    }
}

/// The figure drawn around the node `--focus NAME` names (the first one the view draws, when
/// several go by the name, with a note naming the others).
fn focused<'a>(
    figure: export::figure::Figure<'a>,
    case: &attrib::model::Case,
    name: &str,
    args: &DotArgs,
) -> Result<export::figure::Figure<'a>, Failure> {
    let nodes = export::dot::focus_nodes(case, name);
    // Whether the view draws each, before the focus keeps only what is near one.
    let drawn: Vec<bool> = nodes.iter().map(|&k| figure.draws(k)).collect();
    // The first the view draws: the assessment view draws no source or claim, and an
    // actor going by a source's id is what it can be focused on.
    let node = *(nodes.iter().find(|&&k| figure.draws(k)))
        .or(nodes.first())
        .ok_or_else(|| {
            Failure::usage(format!(
                "--focus {name}: no incident, actor, group, source or claim has this id, name or alias"
            ))
        })?;
    let figure = figure.focus(node, args.depth).ok_or_else(|| {
        Failure::usage(match args.view {
            ViewArg::Assessment => format!(
                "--focus {name}: not part of the assessment view, which draws incidents and \
                 the actors judged on them{}; sources and claims are drawn with \
                 `--view evidence`",
                if args.min.is_some() {
                    " at --min or above"
                } else {
                    ""
                }
            ),
            ViewArg::Evidence => format!("--focus {name}: not part of the evidence view"),
        })
    })?;
    if nodes.len() > 1 {
        let assessment = matches!(args.view, ViewArg::Assessment);
        note_others_named(case, name, node, &nodes, (&drawn, assessment));
    }
    Ok(figure)
}

/// The format an output file's extension asks for (`fig.svg`, `fig.PNG`, `fig.pdf`): a
/// diagram written to such a name is rendered, never left as DOT text under an image's name.
fn rendered_for(output: Option<&std::path::Path>) -> Option<RenderFormat> {
    let extension = output?.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "svg" => Some(RenderFormat::Svg),
        "png" => Some(RenderFormat::Png),
        "pdf" => Some(RenderFormat::Pdf),
        _ => None,
    }
}

/// The figure's options from the command line: a figure laid out for a page gets the compact
/// legend unless told otherwise, and names wrapped.
fn options(args: &DotArgs) -> Options {
    let legend = match (args.legend, args.page) {
        (Some(LegendArg::Full), _) | (None, None) => Legend::Full,
        (Some(LegendArg::Compact), _) | (None, Some(_)) => Legend::Compact,
        (Some(LegendArg::None), _) => Legend::None,
    };
    Options {
        min: args.min,
        legend,
        wrap: args.page.map(|_| NAME_WIDTH),
    }
}

/// An output file named as an image of a format attrib does not render (`fig.jpg`): refused
/// before any work, rather than DOT text written under an image's name.
fn refuse_other_images(output: Option<&std::path::Path>) -> Result<(), Failure> {
    let Some(extension) = output
        .and_then(|o| o.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    else {
        return Ok(());
    };
    const OTHER_IMAGES: [&str; 9] = [
        "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "eps", "ps",
    ];
    if OTHER_IMAGES.contains(&extension.as_str()) {
        let stem = output
            .and_then(|o| o.file_stem())
            .map_or_else(|| "figure".into(), |s| s.to_string_lossy().into_owned());
        return Err(Failure::usage(format!(
            "-o {}: attrib renders a diagram as SVG, PNG or PDF (`-o {stem}.png`), or writes \
             its DOT text (`-o {stem}.dot`)",
            output.map(|o| o.display().to_string()).unwrap_or_default()
        )));
    }
    Ok(())
}

/// `--render FORMAT -o FILE` whose name has an extension other than the format's
/// (`--render png -o fig.svg`): refused before any work, as any output named for another
/// format is ([`crate::cli::output::refuse_misnamed`]). A name without an extension is written.
fn refuse_other_than(
    output: Option<&std::path::Path>,
    format: RenderFormat,
) -> Result<(), Failure> {
    let Some(path) = output.filter(|p| p.extension().is_some() && *p != std::path::Path::new("-"))
    else {
        return Ok(());
    };
    let wanted = match format {
        RenderFormat::Svg => "svg",
        RenderFormat::Png => "png",
        RenderFormat::Pdf => "pdf",
    };
    if rendered_for(Some(path)) == Some(format) || path.starts_with("/dev") {
        return Ok(());
    }
    let stem = path
        .file_stem()
        .map_or_else(|| "figure".into(), |s| s.to_string_lossy().into_owned());
    Err(Failure::usage(format!(
        "-o {}: --render {wanted} writes {}, which the name does not say; name it `{stem}.{wanted}`",
        path.display(),
        wanted.to_ascii_uppercase()
    )))
}

/// Names in a figure laid out for a page wrap at this many characters.
pub const NAME_WIDTH: usize = 22;

/// The library's paper size for the command line's.
pub fn paper(p: PaperArg) -> Paper {
    match p {
        PaperArg::A4 => Paper::A4,
        PaperArg::Letter => Paper::Letter,
        PaperArg::A3 => Paper::A3,
    }
}

/// Warns when the figure laid out for `page` prints text too small to read, with what to try.
fn small_print_warning(args: &DotArgs, page: PaperArg, fit: &graphviz::Fit) {
    if fit.too_small() {
        let _ = writeln!(
            std::io::stderr(),
            "warning: at this page size the smallest text prints at {} pt, under {:.0} pt; \
             try {}",
            fit.smallest_text_shown(),
            export::dot::MIN_PRINTED_POINTS,
            smaller_figure(args, page)
        );
    }
}

/// What a figure too small to read on its page could try that `args` did not: the options
/// already given (`--landscape`, the largest page, no legend, a `--min` or `--focus`) are
/// not offered again.
fn smaller_figure(args: &DotArgs, page: PaperArg) -> String {
    let mut tries = Vec::new();
    if !args.landscape {
        tries.push("--landscape");
    }
    if page != PaperArg::A3 {
        tries.push("a larger --page");
    }
    if args.legend != Some(LegendArg::None) {
        tries.push("--legend none");
    }
    tries.push(if args.min.is_some() {
        "a higher --min"
    } else {
        "--min"
    });
    match (&args.focus, args.depth) {
        _ if args.incident.is_some() => {}
        (None, _) => tries.push("--focus"),
        // Around one node with no hop, nothing is left to take away.
        (Some(_), 0) => {}
        (Some(_), _) => tries.push("a smaller --depth"),
    }
    let last = tries.pop().unwrap_or_default();
    if tries.is_empty() {
        last.to_string()
    } else {
        format!("{} or {last}", tries.join(", "))
    }
}

/// Tells which item `--focus NAME` drew around when other items go by that name too, and how
/// to focus on each of them instead: by its id, or, for a source or claim the assessment view
/// does not draw, in the evidence view (`drawn[k]`: whether the view draws `nodes[k]`;
/// `assessment`: whether the view is the assessment view).
fn note_others_named(
    case: &attrib::model::Case,
    name: &str,
    drawn_around: Key,
    nodes: &[Key],
    (drawn, assessment): (&[bool], bool),
) {
    let what = |key: Key| {
        let (kind, id) = match key {
            Key::Incident(i) => ("incident", &case.incident(i).id),
            Key::Entity(e) => (case.entity(e).kind.declared_as(), &case.entity(e).id),
            Key::Source(s) => ("source", &case.source(s).id),
            Key::Claim(c) => ("claim", &case.claim(c).id),
        };
        format!("{kind} `{}`", escape::terminal::text(id))
    };
    let others = |in_view: bool| -> Vec<String> {
        (nodes.iter().zip(drawn))
            .filter(|&(&k, &d)| k != drawn_around && d == in_view)
            .map(|(&k, _)| what(k))
            .collect()
    };
    let mut said = format!(
        "note: --focus {}: drawn around the {}",
        escape::terminal::text(name),
        what(drawn_around)
    );
    let (named, unseen) = (others(true), others(false));
    if !named.is_empty() {
        said.push_str(&format!(
            "; {} also {} by this name (give {} id to focus there)",
            named.join(" and "),
            if named.len() == 1 { "goes" } else { "go" },
            if named.len() == 1 { "its" } else { "their" },
        ));
    }
    if !unseen.is_empty() {
        // The assessment view draws no source or claim; what else a view leaves out (an
        // actor no claim names, one below --min) is not drawn in either.
        let evidence_only = nodes.iter().zip(drawn).all(|(&k, &d)| {
            d || k == drawn_around || (assessment && matches!(k, Key::Source(_) | Key::Claim(_)))
        });
        said.push_str(&format!(
            "; {} also {} by this name, {}",
            unseen.join(" and "),
            if unseen.len() == 1 { "goes" } else { "go" },
            if evidence_only {
                "drawn only in the evidence view (`--view evidence`)"
            } else {
                "not drawn in this view"
            }
        ));
    }
    let _ = writeln!(std::io::stderr(), "{said}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::{Cli, Command};
    use clap::Parser;

    fn dot_args(args: &[&str]) -> DotArgs {
        let line = ["attrib", "dot"].into_iter().chain(args.iter().copied());
        match Cli::try_parse_from(line)
            .expect("the arguments parse")
            .command
        {
            Command::Dot(dot) => dot,
            other => panic!("not dot: {other:?}"),
        }
    }

    /// What a figure too small to read is offered leaves out what was given: around one node
    /// with no hop (`--depth 0`) there is no smaller depth, and with `--incident` no focus.
    /// (Graphviz no longer draws a figure that small around one node on A4, so the tests of
    /// the warning itself, in tests/dot.rs, cannot reach this case.)
    #[test]
    fn a_figure_too_small_is_offered_only_what_was_not_tried() {
        let offered = |args: &[&str], page| smaller_figure(&dot_args(args), page);
        assert_eq!(
            offered(
                &["--focus", "i0", "--depth", "0", "--page", "a4"],
                PaperArg::A4
            ),
            "--landscape, a larger --page, --legend none or --min"
        );
        assert_eq!(
            offered(
                &["--focus", "i0", "--depth", "2", "--page", "a4"],
                PaperArg::A4
            ),
            "--landscape, a larger --page, --legend none, --min or a smaller --depth"
        );
        assert_eq!(
            offered(
                &[
                    "--page",
                    "a3",
                    "--landscape",
                    "--legend",
                    "none",
                    "--min",
                    "likely"
                ],
                PaperArg::A3
            ),
            "a higher --min or --focus"
        );
        assert_eq!(
            offered(&["--incident", "i0", "--page", "a4"], PaperArg::A4),
            "--landscape, a larger --page, --legend none or --min"
        );
    }
}
