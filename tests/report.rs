//! `attrib report`: the self-contained HTML report and the Markdown one, escaping, what-ifs,
//! determinism, Graphviz missing; and, with Chromium, the report as a browser shows and prints
//! it.

use crate::{Test, root};
use std::path::Path;

const HOSTILE: &str = r#"Case(
    title: "T <script>alert(0)</script>",
    as_of: "2024-06-01",
    actors: [
        Actor(id: "a", name: "<img src=x onerror=alert(1)>\nsecond | line", kind: State),
        Actor(id: "b", name: "Government of Ruritania", kind: State),
    ],
    incidents: [Incident(id: "x", name: "Incident \"X\" & <b>")],
    sources: [Source(id: "s", name: "Source <i>", kind: Government, reliability: B,
                     url: "javascript:alert(2)")],
    claims: [
        Claim(id: "c1", source: "s", subject: "x", relation: AttributedTo, object: "a",
              wording: "said *this* </q><script>alert(3)</script>", url: "javascript:alert(4)",
              date: "2024-05-01", likelihood: Icd("likely")),
        Claim(id: "c2", source: "s", subject: "x", relation: AttributedTo, object: "b",
              wording: "Ruritania did it", url: "https://example.org/a?b=1&c=\"2\"",
              date: "2024-05-20", likelihood: Icd("unlikely")),
    ],
)
"#;

fn report(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    Test::new().current_dir(dir).args(all).run().stdout
}

#[test]
fn html_escapes_every_string_from_the_case() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("h.ron"), HOSTILE).unwrap();
    // Without Graphviz on PATH, so that this test needs nothing but Rust.
    let out = Test::new()
        .current_dir(tmp.path())
        .env("PATH", Some(""))
        .args(["report", "h.ron", "--format", "html"])
        .stderr_has("warning: Graphviz's `dot` was not found")
        .run()
        .stdout;
    assert!(!out.contains("<script"), "{out}");
    assert!(!out.contains("<img"), "{out}");
    // A javascript: URL is shown as text, never linked.
    assert!(!out.contains("href=\"javascript"), "{out}");
    assert!(out.contains("javascript:alert(4)"));
    assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"), "{out}");
    assert!(out.contains("&lt;/q&gt;&lt;script&gt;alert(3)&lt;/script&gt;"));
    assert!(out.contains("href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\""));
    assert!(out.contains("The diagram is missing: Graphviz was not found"));
    // Exactly the markup the report writes, nothing the case smuggled in.
    assert_eq!(out.matches("<q>").count(), out.matches("</q>").count());
}

#[test]
fn html_is_self_contained_and_forbids_loading_anything() {
    let out = report(&root(), &["graphs/tutorial.ron", "--format", "html"]);
    assert!(out.starts_with("<!DOCTYPE html>"));
    assert!(
        out.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
    );
    for banned in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "src=",
        "@import",
        "url(",
        "xlink:href",
    ] {
        assert!(!out.contains(banned), "{banned}");
    }
    // The only links are to the case's own http(s) URLs and to anchors in the page.
    for part in out.split("href=\"").skip(1) {
        assert!(
            part.starts_with('#') || part.starts_with("https://") || part.starts_with("http://"),
            "{}",
            &part[..part.len().min(60)]
        );
    }
    for section in [
        "Key judgements",
        "Analysis of competing hypotheses",
        "Timeline",
        "Pivotal evidence",
        "Lines of evidence",
        "id=\"sources\"",
    ] {
        assert!(out.contains(section), "{section}");
    }
    assert!(out.contains("that this state carried out the incident"));
}

#[test]
fn likelihood_and_confidence_are_never_in_one_sentence() {
    let out = report(&root(), &["--format", "html"]);
    for sentence in out.split(['.', '<']) {
        let term = attrib::terms::IcdTerm::ALL
            .iter()
            .any(|t| sentence.contains(&format!("b>{}", t.word())));
        assert!(!(term && sentence.contains("confidence")), "{sentence}");
    }
}

#[test]
fn a_what_if_is_stated_and_every_count_follows_it() {
    let out = report(
        &root(),
        &[
            "graphs/tutorial.ron",
            "--format",
            "html",
            "--without",
            "t1",
            "--as-of",
            "2024-03-31",
        ],
    );
    assert!(out.contains("What-if assessment."), "{out}");
    assert!(out.contains("<li>without claim t1</li>"));
    assert!(out.contains("<li>only claims made by 2024-03-31</li>"));
    assert!(out.contains("Information as of 2024-03-31."));
    assert!(!out.contains("Based on 15 claims from 11 sources."));
    assert!(
        out.contains("(of the case&#39;s 15 claims from 11 sources)"),
        "{out}"
    );
    let md = report(
        &root(),
        &[
            "graphs/tutorial.ron",
            "--format",
            "markdown",
            "--without",
            "t1",
        ],
    );
    assert!(md.contains("> **What-if assessment.**"));
    assert!(md.contains("Based on 14 claims from 10 sources (of the case's 15"));
    // A claim set aside is cited nowhere.
    assert!(!md.contains("| t1["), "{md}");
}

#[test]
fn reports_are_byte_identical_for_the_same_input() {
    for format in ["html", "markdown"] {
        let a = report(&root(), &["graphs/albania-2022.ron", "--format", format]);
        let b = report(&root(), &["graphs/albania-2022.ron", "--format", format]);
        assert!(a == b, "{format} differs between runs");
    }
}

#[test]
fn markdown_report_cites_every_claim_it_quotes() {
    let out = report(&root(), &["graphs/tutorial.ron", "--format", "markdown"]);
    let cited: std::collections::BTreeSet<&str> = out
        .match_indices("[^c")
        .map(|(i, _)| {
            let rest = &out[i + 3..];
            &rest[..rest.find(']').unwrap()]
        })
        .collect();
    assert!(!cited.is_empty());
    for c in &cited {
        assert!(
            out.contains(&format!("\n[^c{c}]: ")),
            "footnote {c} missing"
        );
    }
    assert!(out.contains("## Sources"));
    assert!(
        out.contains("| Claim | COPPER HERON |"),
        "the ACH matrix: {out}"
    );
    // Names are written as they are, not lower-cased.
    assert!(!out.contains("the port of Marlin"));
}

#[test]
fn report_format_follows_the_output_name() {
    let tmp = tempfile::tempdir().unwrap();
    Test::new()
        .args(["report", "graphs/tutorial.ron", "-o"])
        .args([tmp.path().join("r.md").to_str().unwrap()])
        .run();
    let md = std::fs::read_to_string(tmp.path().join("r.md")).unwrap();
    assert!(md.starts_with("# Assessment:"));
}

#[test]
#[ignore = "needs graphviz"]
fn html_embeds_the_diagram_as_inert_svg() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("h.ron"), HOSTILE).unwrap();
    let out = report(tmp.path(), &["h.ron", "--format", "html"]);
    assert!(out.contains("<svg width="), "{out}");
    assert!(!out.contains("<script") && !out.contains("<img") && !out.contains("xlink"));
    assert!(!out.contains("Graphviz was not found"));
    let albania = report(&root(), &["--format", "html"]);
    assert_eq!(
        albania.matches("<svg").count(),
        2,
        "the diagram and the timeline"
    );
}

#[test]
#[ignore = "needs graphviz"]
fn dot_page_fits_the_figure_to_a4() {
    let tmp = tempfile::tempdir().unwrap();
    let svg = tmp.path().join("t.svg");
    Test::new()
        .args([
            "dot",
            "graphs/tutorial.ron",
            "--page",
            "a4",
            "--render",
            "svg",
            "-o",
        ])
        .args([svg.to_str().unwrap()])
        .run();
    let text = std::fs::read_to_string(&svg).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, options).unwrap();
    let pt = |a: &str| -> f64 {
        doc.root_element()
            .attribute(a)
            .unwrap()
            .trim_end_matches("pt")
            .parse()
            .unwrap()
    };
    // The printable area of A4 within 15 mm margins, in points.
    let (w, h) = attrib::export::dot::Paper::A4.printable(false);
    assert!(pt("width") <= w * 72.0 + 1.0, "{}", pt("width"));
    assert!(pt("height") <= h * 72.0 + 1.0, "{}", pt("height"));
    // The compact legend, not the full one with its shapes.
    assert!(!text.contains("doubleoctagon"));
}

/// Headless Chromium with no network: every host resolves to nothing.
fn chromium(profile: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
#[ignore = "needs chromium"]
fn reports_open_and_print_in_a_real_browser() {
    for (case, judgement) in [
        (
            "graphs/albania-2022.ron",
            "that this state carried out the incident",
        ),
        (
            "graphs/tutorial.ron",
            "that this intrusion set carried out the incident",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let html = tmp.path().join("report.html");
        Test::new()
            .args(["report", case, "-o"])
            .args([html.to_str().unwrap()])
            .run();
        let url = format!("file://{}", html.display());

        let dom = chromium(&tmp.path().join("p1"), &["--dump-dom", &url]);
        let text = String::from_utf8_lossy(&dom.stdout);
        let log = String::from_utf8_lossy(&dom.stderr);
        assert!(text.contains(judgement), "{case}: judgement missing");
        assert!(text.contains("<svg"), "{case}: no SVG in the page");
        for bad in [
            "CONSOLE",
            "Content Security Policy",
            "Refused to",
            "ERR_NAME_NOT_RESOLVED",
        ] {
            assert!(
                !log.lines().any(|l| l.contains(bad)),
                "{case}: {bad} in the browser log:\n{log}"
            );
        }

        let png = tmp.path().join("shot.png");
        chromium(
            &tmp.path().join("p2"),
            &[
                &format!("--screenshot={}", png.display()),
                "--window-size=1000,1400",
                &url,
            ],
        );
        let bytes = std::fs::read(&png).expect("a screenshot");
        assert!(bytes.starts_with(b"\x89PNG"), "{case}: not a PNG");
        assert!(!blank_png(&bytes), "{case}: the screenshot is blank");

        let pdf = tmp.path().join("report.pdf");
        chromium(
            &tmp.path().join("p3"),
            &[
                &format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer",
                &url,
            ],
        );
        let bytes = std::fs::read(&pdf).expect("a PDF");
        let pages = media_boxes(&bytes);
        assert!(!pages.is_empty(), "{case}: no page in the PDF");
        assert!(pages.len() <= 40, "{case}: {} pages", pages.len());
        for (w, h) in &pages {
            // A4 is 595.3 × 841.9 points.
            assert!(
                (w - 595.3).abs() < 2.0 && (h - 841.9).abs() < 2.0,
                "{case}: page {w}×{h}"
            );
        }
    }
}

/// Page sizes from the PDF's `/MediaBox [0 0 w h]` entries, one per page.
fn media_boxes(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/MediaBox")
        .filter_map(|(i, _)| {
            let rest = &text[i..];
            let open = rest.find('[')?;
            let close = rest.find(']')?;
            let nums: Vec<f64> = rest[open + 1..close]
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            (nums.len() == 4).then(|| (nums[2] - nums[0], nums[3] - nums[1]))
        })
        .collect()
}

/// Whether a PNG is one flat colour: its compressed image data would then be tiny. A page of
/// text and drawings compresses to tens of kilobytes.
fn blank_png(png: &[u8]) -> bool {
    png.len() < 20_000
}
