//! The system Graphviz `dot`, which renders diagrams: run with the figure written into it as
//! it reads, its messages passed to stderr made safe for the terminal; and the page fitting
//! that measures a figure's natural size with it first.

use crate::cli::Failure;
use attrib::escape;
use attrib::export;
use attrib::export::dot::{MIN_PRINTED_POINTS, Paper, SMALLEST_FONT};
use attrib::export::figure::Figure;
use std::io::{self, Read, Write};
use std::time::Duration;

/// How long a report lets Graphviz lay out one figure: a figure no case of analysts' making
/// comes near, such as a chain of hundreds of declared parts, can keep `dot` busy for an
/// hour. `ATTRIB_GRAPHVIZ_TIMEOUT` (seconds) sets another; a value that is not a number of
/// seconds is refused rather than read as the default, so that a typo does not go unseen.
pub fn figure_limit() -> Result<Duration, Failure> {
    const VAR: &str = "ATTRIB_GRAPHVIZ_TIMEOUT";
    let value = match std::env::var(VAR) {
        Ok(value) => value,
        Err(std::env::VarError::NotPresent) => return Ok(Duration::from_secs(60)),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(Failure::usage(format!(
                "{VAR} is not valid UTF-8: set it to a number of seconds, such as 120, or \
                 unset it for the default of 60"
            )));
        }
    };
    // A positive number too small for a nanosecond would be a limit of zero: no figure.
    match value.trim().parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds >= 1e-9 => {
            Ok(Duration::from_secs_f64(seconds.min(1e9)))
        }
        _ => Err(Failure::usage(format!(
            "{VAR} is `{}`, not a number of seconds of at least a nanosecond: set it to one, such as \
             120, or unset it for the default of 60",
            attrib::report::shorten(&value, 40)
        ))),
    }
}

/// What Graphviz writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Svg,
    /// PNG at Graphviz's screen resolution (96 dpi) …
    Png,
    /// … or, for a figure laid out for a page, at [`PRINT_DPI`]: at 96 dpi an A4 page is
    /// 794 pixels wide, and its smallest text unreadable.
    PagePng,
    Pdf,
    /// Graphviz's plain text layout: sizes and positions, for measuring.
    Plain,
}

/// The resolution a figure laid out for a page is rendered at as PNG: print quality.
pub const PRINT_DPI: u32 = 300;

/// Why Graphviz could not run, in a sentence that says what to do.
pub fn missing_message() -> &'static str {
    "Graphviz's `dot` was not found on PATH. Install Graphviz (Debian/Ubuntu: `apt-get install \
     graphviz`; macOS: `brew install graphviz`)."
}

/// Runs the system Graphviz `dot`, writing the figure into it as it reads; its warnings go to
/// our stderr, made safe for the terminal.
pub fn render(figure: &Figure<'_>, format: Output) -> Result<Vec<u8>, Failure> {
    let (stdout, stderr) = run(format, |w| export::dot::write(figure, w))?;
    pass_on(&stderr);
    Ok(stdout)
}

/// Dates a PDF Graphviz wrote by the case, not the clock: cairo stamps `/CreationDate` (and
/// may stamp `/ModDate`) with the time of the run, so two runs on the same case gave different
/// files. Each date becomes `date` (the information date of the case; 1 January 1970 without
/// one) at midnight UTC, written in as many bytes as the one it replaces, so that the offsets
/// of the file's cross-reference table stay true; a date of another shape is left as it is.
/// Returns how many dates it rewrote: none where cairo (1.17.6 on) writes its information
/// dictionary into a compressed object stream, whose dates stay the run's.
pub fn date_pdf(pdf: &mut [u8], date: Option<attrib::date::Date>) -> usize {
    let mut rewritten = 0;
    let digits = date.map_or_else(
        || "19700101".to_string(),
        |d| {
            format!(
                "{:04}{:02}{:02}",
                d.year,
                d.month.unwrap_or(1),
                d.day.unwrap_or(1)
            )
        },
    );
    for key in [&b"/CreationDate ("[..], b"/ModDate ("] {
        let mut from = 0;
        while let Some(at) = memchr::memmem::find(&pdf[from..], key).map(|k| from + k + key.len()) {
            let Some(len) = pdf[at..].iter().position(|&b| b == b')') else {
                break;
            };
            // D:YYYYMMDDHHmmSS and a zone: `Z`, `+01'00'`, `+01'00`, or none.
            let zone = match len.checked_sub(16) {
                Some(0) => Some(""),
                Some(1) => Some("Z"),
                Some(6) => Some("+00'00"),
                Some(7) => Some("+00'00'"),
                _ => None,
            };
            if let Some(zone) = zone.filter(|_| pdf[at..].starts_with(b"D:")) {
                let stamp = format!("D:{digits}000000{zone}");
                pdf[at..at + len].copy_from_slice(stamp.as_bytes());
                rewritten += 1;
            }
            from = at + len;
        }
    }
    rewritten
}

/// Graphviz's messages on our stderr, made safe for the terminal.
fn pass_on(stderr: &[u8]) {
    if !stderr.is_empty() {
        let _ = io::stderr()
            .write_all(escape::terminal::block(&String::from_utf8_lossy(stderr)).as_bytes());
    }
}

/// A run of Graphviz that failed: why, and what it said.
struct Failed {
    failure: Failure,
    stderr: Vec<u8>,
    /// Stopped at its time limit: running it again, or in pieces, would wait again.
    timed_out: bool,
}

impl Failed {
    /// The failure, with Graphviz's messages passed on: for a run nothing else can replace.
    fn reported(self) -> Failure {
        pass_on(&self.stderr);
        self.failure
    }
}

impl From<Failure> for Failed {
    fn from(failure: Failure) -> Self {
        Failed {
            failure,
            stderr: Vec::new(),
            timed_out: false,
        }
    }
}

/// Runs `dot` over what `write` writes into it (one graph or many: Graphviz lays each out in
/// turn, so a batch pays for starting it once), returning what it wrote to stdout and to
/// stderr; a failed run is an error whose messages are passed on.
fn run(
    format: Output,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(Vec<u8>, Vec<u8>), Failure> {
    try_run(format, None, write).map_err(Failed::reported)
}

/// [`run`] for a run that can be replaced when it fails, such as a batch that can be run one
/// graph at a time: a failure keeps Graphviz's messages to itself.
fn try_run(
    format: Output,
    limit: Option<Duration>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(Vec<u8>, Vec<u8>), Failed> {
    let child = spawn(format)?;
    let (mut child, out, err, timed_out) = exchange(child, limit, write);
    // Waited for before anything else is read of the run, so that no path leaves it unreaped.
    let status = child
        .wait()
        .map_err(|e| Failure::usage(format!("Graphviz `dot` failed: {e}")))?;
    let read = |r: io::Result<Vec<u8>>| {
        r.map_err(|e| Failure::usage(format!("Graphviz `dot` failed: {e}")))
    };
    let (stdout, stderr) = (read(out)?, read(err)?);
    if let Some(limit) = limit.filter(|_| timed_out) {
        return Err(Failed {
            failure: Failure::usage(format!(
                "Graphviz `dot` was still laying the figure out after {} s and was stopped \
                 (ATTRIB_GRAPHVIZ_TIMEOUT sets the limit in seconds)",
                limit.as_secs_f64()
            )),
            stderr,
            timed_out: true,
        });
    }
    if !status.success() {
        return Err(Failed {
            failure: Failure::usage(format!(
                "Graphviz `dot` failed ({status}); its messages are above"
            )),
            stderr,
            timed_out: false,
        });
    }
    Ok((stdout, stderr))
}

/// Graphviz's `dot`, started to write `format`, its three streams piped.
fn spawn(format: Output) -> Result<std::process::Child, Failure> {
    use std::process::{Command as Process, Stdio};
    let kind = match format {
        Output::Svg => "-Tsvg",
        Output::Png | Output::PagePng => "-Tpng",
        Output::Pdf => "-Tpdf",
        Output::Plain => "-Tplain",
    };
    let dpi = (format == Output::PagePng).then(|| format!("-Gdpi={PRINT_DPI}"));
    Process::new("dot")
        .arg(kind)
        .args(dpi)
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
        })
}

/// What the child's output and messages were.
type Taken = io::Result<Vec<u8>>;

/// Writes into a running `dot` what `write` writes, while its output and messages are read
/// beside it; stopped (killed, which closes its pipes and so ends the writing and the
/// reading) when it runs past `limit`. The child, to be waited for, what it wrote, and
/// whether it was stopped.
fn exchange(
    mut child: std::process::Child,
    limit: Option<Duration>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> (std::process::Child, Taken, Taken, bool) {
    use std::sync::atomic::{AtomicBool, Ordering};
    // The figures are written from this thread as Graphviz reads them (they read the case and
    // the assessment as they go).
    let mut stdin = child.stdin.take().expect("stdin was piped");
    let mut stdout = child.stdout.take().expect("stdout was piped");
    let mut stderr = child.stderr.take().expect("stderr was piped");
    let child = std::sync::Mutex::new(child);
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let timed_out = AtomicBool::new(false);
    let (out, err) = std::thread::scope(|scope| {
        if let Some(limit) = limit {
            let (child, timed_out) = (&child, &timed_out);
            scope.spawn(move || {
                if finished.recv_timeout(limit) == Err(std::sync::mpsc::RecvTimeoutError::Timeout)
                    && let Ok(mut child) = child.lock()
                {
                    timed_out.store(true, Ordering::SeqCst);
                    let _ = child.kill();
                }
            });
        }
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
            let _ = write(&mut buffered).and_then(|()| buffered.flush());
        }
        drop(stdin);
        let joined = |r: std::thread::Result<Taken>| r.unwrap_or_else(|_| Ok(Vec::new()));
        let read = (joined(out.join()), joined(err.join()));
        drop(done);
        read
    });
    let child = child.into_inner().unwrap_or_else(|e| e.into_inner());
    (child, out, err, timed_out.into_inner())
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

    /// [`Self::smallest_text`] as a warning shows it: cut, not rounded, to a tenth of a
    /// point, so that text under the minimum never reads as the minimum ("6.9 pt, under
    /// 7 pt", not "7.0 pt, under 7 pt").
    pub fn smallest_text_shown(self) -> String {
        format!("{:.1}", (self.smallest_text() * 10.0).floor() / 10.0)
    }

    /// Whether the smallest text prints under [`MIN_PRINTED_POINTS`].
    pub fn too_small(self) -> bool {
        self.smallest_text() < MIN_PRINTED_POINTS
    }

    /// Lays `figure` out this way for `page`.
    fn apply(self, figure: &mut Figure<'_>, page: (f64, f64)) {
        Layout {
            rankdir: self.rankdir,
            stagger: self.stagger,
        }
        .apply(figure, page);
    }
}

/// A layout page fitting weighs: a rank direction and a stagger.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Layout {
    rankdir: &'static str,
    stagger: usize,
}

impl Layout {
    /// Lays `figure` out this way for `page`.
    fn apply(self, figure: &mut Figure<'_>, page: (f64, f64)) {
        figure.fit(self.rankdir, Some(page));
        figure.stagger(self.stagger);
    }
}

/// The layouts page fitting weighs for `figure`, in the order it weighs them: ranks top to
/// bottom, then left to right, each with fan-outs staggered over one to four ranks. A stagger
/// of `k` moves only the edges of a node with more than `k`, so the staggers that would leave
/// the figure as it is are not tried (their layout is the unstaggered one, which is never
/// kept over itself).
fn layouts(figure: &Figure<'_>) -> Vec<Layout> {
    let fan = figure.widest_fan_out();
    ["TB", "LR"]
        .into_iter()
        .flat_map(|rankdir| {
            (1..=4)
                .filter(move |&k| k == 1 || fan > k)
                .map(move |stagger| Layout { rankdir, stagger })
        })
        .collect()
}

/// Writes `figure` once for each of `layouts`, laid out that way for `page`.
fn write_layouts(
    figure: &mut Figure<'_>,
    layouts: &[Layout],
    page: (f64, f64),
    w: &mut dyn Write,
) -> io::Result<()> {
    for layout in layouts {
        layout.apply(figure, page);
        export::dot::write(figure, w)?;
    }
    Ok(())
}

/// Of `layouts` with the `scales` Graphviz gave them, the one it shrinks least: a layout must
/// shrink less by a noticeable margin to be worth its oddity, so among near equals the first
/// is kept. A layout without a scale (Graphviz could not lay it out) is not weighed; `None`
/// when none has one.
fn best(layouts: &[Layout], scales: &[Option<f64>]) -> Option<Fit> {
    let mut best: Option<Fit> = None;
    for (layout, scale) in layouts.iter().zip(scales) {
        let Some(scale) = *scale else { continue };
        if best.is_none_or(|b| scale > b.scale * 1.05) {
            best = Some(Fit {
                rankdir: layout.rankdir,
                stagger: layout.stagger,
                scale,
            });
        }
    }
    best
}

/// The failure when Graphviz's plain output has not the scales asked for.
fn no_scales(expected: usize, found: usize) -> Failure {
    Failure::usage(format!(
        "Graphviz `dot -Tplain` gave {found} `graph scale width height` lines for {expected} \
         layouts to fit the page by; is `dot` on PATH Graphviz's?"
    ))
}

/// Lays `figure` out to fit the printable area of `paper`: has Graphviz lay it out for the
/// page with ranks left to right and top to bottom, fan-outs staggered over one to four ranks,
/// and keeps the layout it shrinks least.
///
/// The layouts are measured in one run. Graphviz 2.43 can abort on a run of several graphs
/// that it lays out well one by one (a double free after an evidence view's spline routing
/// gives up), so when that run fails each layout is measured alone, and a layout Graphviz
/// cannot lay out even alone is not weighed. Only when none can be is it an error.
pub fn fit_to_page(figure: &mut Figure<'_>, paper: Paper, landscape: bool) -> Result<Fit, Failure> {
    fit_within(figure, paper, landscape, None)
}

/// [`fit_to_page`] with Graphviz's runs limited to `limit` each; one stopped at it is not run
/// again layout by layout.
fn fit_within(
    figure: &mut Figure<'_>,
    paper: Paper,
    landscape: bool,
    limit: Option<Duration>,
) -> Result<Fit, Failure> {
    let page = paper.printable(landscape);
    let layouts = layouts(figure);
    let together = try_run(Output::Plain, limit, |w| {
        write_layouts(figure, &layouts, page, w)
    })
    .and_then(|(plain, _)| {
        let scales = plain_scales(&String::from_utf8_lossy(&plain));
        if scales.len() == layouts.len() {
            Ok(scales.into_iter().map(Some).collect())
        } else {
            Err(no_scales(layouts.len(), scales.len()).into())
        }
    });
    let mut failed = None;
    let scales: Vec<Option<f64>> = match together {
        Ok(scales) => scales,
        Err(e) if e.timed_out => return Err(e.reported()),
        Err(_) => layouts
            .iter()
            .map(|layout| {
                match try_run(Output::Plain, limit, |w| {
                    write_layouts(figure, std::slice::from_ref(layout), page, w)
                }) {
                    Ok((plain, _)) => plain_scales(&String::from_utf8_lossy(&plain)).pop(),
                    Err(e) => {
                        failed.get_or_insert(e);
                        None
                    }
                }
            })
            .collect(),
    };
    let Some(fit) = best(&layouts, &scales) else {
        return Err(failed.map_or_else(|| no_scales(layouts.len(), 0), Failed::reported));
    };
    fit.apply(figure, page);
    Ok(fit)
}

/// A figure drawn for a page: how it was fitted, and its SVG.
pub type Drawn = (Fit, Vec<u8>);

/// Each of `count` figures fitted to `paper` (upright) and drawn as SVG, in two runs of
/// Graphviz for all of them: one lays every layout of every figure out, the other draws each
/// figure as it fits best. A report of a thousand incidents would otherwise start Graphviz
/// thousands of times, which costs more than laying its figures out.
///
/// `figure(i)` makes the `i`-th figure (`None`: nothing to draw); it is asked twice for each,
/// so that one figure is held at a time. When a run over all of them fails, each figure is
/// fitted and drawn alone, so that a failure is its own figure's. Each run of Graphviz is
/// stopped past `limit` ([`figure_limit`]).
pub fn draw_each<'a>(
    count: usize,
    figure: impl Fn(usize) -> Option<Figure<'a>>,
    paper: Paper,
    limit: Duration,
) -> Vec<Option<Result<Drawn, Failure>>> {
    match draw_together(count, &figure, paper, limit) {
        Ok(drawn) => drawn.into_iter().map(|d| d.map(Ok)).collect(),
        // One figure stopped at its limit would only be stopped again.
        Err(e) if e.timed_out && count == 1 => {
            let failure = e.reported();
            vec![figure(0).map(|_| Err(failure))]
        }
        Err(_) => (0..count)
            .map(|i| {
                figure(i).map(|mut f| {
                    let fit = fit_within(&mut f, paper, false, Some(limit))?;
                    let (svg, stderr) =
                        try_run(Output::Svg, Some(limit), |w| export::dot::write(&f, w))
                            .map_err(Failed::reported)?;
                    pass_on(&stderr);
                    Ok((fit, svg))
                })
            })
            .collect(),
    }
}

/// [`draw_each`] in two runs of Graphviz.
fn draw_together<'a>(
    count: usize,
    figure: &impl Fn(usize) -> Option<Figure<'a>>,
    paper: Paper,
    limit: Duration,
) -> Result<Vec<Option<Drawn>>, Failed> {
    let page = paper.printable(false);
    // Each run over all the figures may take the limit of one and half a second for each (a
    // figure of a generated case takes a few milliseconds).
    let each = Duration::from_millis(500).saturating_mul(u32::try_from(count).unwrap_or(u32::MAX));
    let limit = Some(limit.saturating_add(each));
    let mut weighed: Vec<Vec<Layout>> = Vec::with_capacity(count);
    let (plain, _) = try_run(Output::Plain, limit, |w| {
        for i in 0..count {
            let mut layouts = Vec::new();
            if let Some(mut f) = figure(i) {
                layouts = self::layouts(&f);
                write_layouts(&mut f, &layouts, page, w)?;
            }
            weighed.push(layouts);
        }
        Ok(())
    })?;
    let scales = plain_scales(&String::from_utf8_lossy(&plain));
    let expected = weighed.iter().map(Vec::len).sum();
    if scales.len() != expected || weighed.len() != count {
        return Err(no_scales(expected, scales.len()).into());
    }
    let mut scales = scales.as_slice();
    let fits: Vec<Option<Fit>> = weighed
        .iter()
        .map(|layouts| {
            (!layouts.is_empty()).then(|| {
                let (these, rest) = scales.split_at(layouts.len());
                scales = rest;
                let these: Vec<Option<f64>> = these.iter().copied().map(Some).collect();
                best(layouts, &these).expect("every layout has a scale")
            })
        })
        .collect();
    let (svg, stderr) = try_run(Output::Svg, limit, |w| {
        for (i, fit) in fits.iter().enumerate() {
            if let (Some(fit), Some(mut f)) = (fit, figure(i)) {
                fit.apply(&mut f, page);
                export::dot::write(&f, w)?;
            }
        }
        Ok(())
    })?;
    pass_on(&stderr);
    let documents = svg_documents(&svg);
    let drawn = fits.iter().flatten().count();
    if documents.len() != drawn {
        return Err(Failure::usage(format!(
            "Graphviz `dot -Tsvg` drew {} of {drawn} figures",
            documents.len()
        ))
        .into());
    }
    let mut documents = documents.into_iter();
    Ok(fits
        .into_iter()
        .map(|fit| Some((fit?, documents.next()?.to_vec())))
        .collect())
}

/// The SVG documents Graphviz wrote one after another, each from its XML declaration (text
/// in a drawing has its `<` escaped, so a declaration starts a document).
fn svg_documents(svg: &[u8]) -> Vec<&[u8]> {
    const START: &[u8] = b"<?xml ";
    let mut starts: Vec<usize> = (0..svg.len())
        .filter(|&i| (i == 0 || svg[i - 1] == b'\n') && svg[i..].starts_with(START))
        .collect();
    starts.push(svg.len());
    starts.windows(2).map(|w| &svg[w[0]..w[1]]).collect()
}

/// The scales Graphviz applied to fit each drawing into its `size`, in order, from its plain
/// output (a `graph scale width height` line opens each); a line it cannot read ends them.
fn plain_scales(plain: &str) -> Vec<f64> {
    plain
        .lines()
        .filter(|l| l.starts_with("graph "))
        .map_while(|line| {
            line.split_whitespace()
                .nth(1)?
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s > 0.0)
        })
        .collect()
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

#[cfg(test)]
mod tests {
    /// Each date of the shapes cairo writes takes the case's, in as many bytes; the rest of
    /// the file is as it was.
    #[test]
    fn pdf_dates_are_the_cases_in_as_many_bytes() {
        let date = Some(attrib::date::Date {
            year: 2022,
            month: Some(7),
            day: None,
        });
        for (stamp, dated) in [
            ("D:20261207203859Z", "D:20220701000000Z"),
            ("D:20261207213859+01'00'", "D:20220701000000+00'00'"),
            ("D:20261207213859", "D:20220701000000"),
            ("D:2026", "D:2026"),
            ("not a date at all", "not a date at all"),
        ] {
            let pdf =
                format!("%PDF-1.5\n<< /CreationDate ({stamp}) /ModDate ({stamp}) >>\n%%EOF\n");
            let mut bytes = pdf.clone().into_bytes();
            let _ = super::date_pdf(&mut bytes, date);
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                pdf.replace(stamp, dated),
                "{stamp}"
            );
        }
        let mut undated = b"/CreationDate (D:20261207203859Z)".to_vec();
        assert_eq!(super::date_pdf(&mut undated, None), 1);
        assert_eq!(undated, b"/CreationDate (D:19700101000000Z)");
    }

    use super::*;

    /// Graphviz's SVG output for two graphs of one run, as it writes it.
    const TWO: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
        <svg width=\"62pt\"><text>&lt;?xml </text></svg>\n\
        <?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg width=\"70pt\"></svg>\n";

    #[test]
    fn documents_are_split_at_their_declarations_only() {
        let docs = svg_documents(TWO);
        assert_eq!(docs.len(), 2);
        assert!(docs[0].ends_with(b"&lt;?xml </text></svg>\n"));
        assert!(docs[1].starts_with(b"<?xml version") && docs[1].ends_with(b"</svg>\n"));
        assert_eq!(docs.concat(), TWO);
        assert!(svg_documents(b"").is_empty());
    }

    #[test]
    fn scales_are_read_graph_by_graph_and_stop_at_a_bad_one() {
        let plain = "graph 0.5 7 9\nnode graph 1 1 1 1 x solid\nstop\ngraph 1 2 3\nstop\n";
        assert_eq!(plain_scales(plain), [0.5, 1.0]);
        assert_eq!(
            plain_scales("graph 0.5 1 1\ngraph x 1 1\ngraph 1 1 1\n"),
            [0.5]
        );
        assert_eq!(plain_scales("graph -1 1 1\n"), Vec::<f64>::new());
    }

    /// A layout is kept over an earlier one only when Graphviz shrinks it at least 5 % less.
    #[test]
    fn the_first_layout_is_kept_among_near_equals() {
        let layout = |rankdir, stagger| Layout { rankdir, stagger };
        let layouts = [layout("TB", 1), layout("TB", 2), layout("LR", 1)];
        let chosen = best(&layouts, &[Some(0.60), Some(0.62), Some(0.625)]).unwrap();
        assert_eq!(
            (chosen.rankdir, chosen.stagger, chosen.scale),
            ("TB", 1, 0.60)
        );
        // A layout Graphviz could not lay out is not weighed.
        let chosen = best(&layouts, &[None, Some(0.62), Some(0.625)]).unwrap();
        assert_eq!((chosen.rankdir, chosen.stagger), ("TB", 2));
        assert_eq!(best(&layouts, &[None, None, None]), None);
        let chosen = best(&layouts, &[Some(0.60), Some(0.64), Some(0.66)]).unwrap();
        assert_eq!(
            (chosen.rankdir, chosen.stagger, chosen.scale),
            ("TB", 2, 0.64)
        );
        assert!(chosen.too_small());
        let just_under = Fit {
            scale: 0.7777,
            ..chosen
        };
        assert_eq!(just_under.smallest_text_shown(), "6.9");
        assert!(
            !Fit {
                scale: 0.8,
                ..chosen
            }
            .too_small()
        );
    }
}
