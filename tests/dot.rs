//! `attrib dot`: snapshots of both views of every graph, real Graphviz renders without
//! warnings, injection safety, focus, and a clear message without Graphviz.

use crate::{attrib, graphs, root, run};
use attrib::escape::dot::{html, quoted};
use proptest::prelude::*;
use std::path::Path;

/// The tests that call this are `#[ignore = "needs graphviz"]`: `.ci/run` installs Graphviz and
/// runs them with `--include-ignored`. Run by hand without it, they say what is missing.
fn require_graphviz() {
    let found = std::process::Command::new("dot").arg("-V").output().is_ok();
    assert!(
        found,
        "these tests need Graphviz's `dot` on PATH: install it with `apt-get install graphviz`"
    );
}

fn render_svg(file: &Path, view: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec![
        "dot",
        file.to_str().unwrap(),
        "--view",
        view,
        "--render",
        "svg",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args, &root());
    assert_eq!(code, 0, "{}: {err}", file.display());
    (out, err)
}

#[test]
fn dot_snapshots_of_every_graph_in_both_views() {
    for g in graphs() {
        let name = g.file_stem().unwrap().to_str().unwrap().to_string();
        for view in ["assessment", "evidence"] {
            let (code, out, err) = run(&["dot", g.to_str().unwrap(), "--view", view], &root());
            assert_eq!(code, 0, "{err}");
            let again = run(&["dot", g.to_str().unwrap(), "--view", view], &root()).1;
            assert_eq!(out, again, "byte-identical DOT run after run");
            insta::assert_snapshot!(format!("dot-{name}-{view}"), out);
        }
    }
}

#[test]
#[ignore = "needs graphviz"]
fn every_graph_renders_to_svg_without_warnings() {
    require_graphviz();
    for g in graphs() {
        for view in ["assessment", "evidence"] {
            let (svg, err) = render_svg(&g, view, &[]);
            assert!(
                err.is_empty(),
                "{} {view}: Graphviz said:\n{err}",
                g.display()
            );
            assert!(svg.contains("<svg"), "{}", g.display());
        }
    }
}

#[test]
#[ignore = "needs graphviz"]
fn hostile_text_never_becomes_dot_syntax() {
    require_graphviz();
    let hostile = root().join("tests/data/hostile/hostile.ron");
    for view in ["assessment", "evidence"] {
        let (svg, err) = render_svg(&hostile, view, &[]);
        // The file warns (by design): attrib notes it in one line; Graphviz says nothing.
        let (note, graphviz): (Vec<&str>, Vec<&str>) = err
            .lines()
            .partition(|l| l.contains("warnings not shown (W108, W110)"));
        assert_eq!(note.len(), 1, "{view}: {err}");
        assert!(graphviz.is_empty(), "{view}: Graphviz said:\n{err}");
        // The file legitimately contains no link and no image: none may appear. Hostile text
        // may show as text (that is the point); it must not become elements or attributes.
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&svg, options)
            .expect("Graphviz wrote well-formed SVG");
        for node in doc.descendants().filter(|n| n.is_element()) {
            let tag = node.tag_name().name();
            assert_ne!(tag, "image", "{view}: an image element");
            assert_ne!(tag, "script", "{view}: a script element");
            for attr in node.attributes() {
                assert_ne!(
                    attr.name(),
                    "href",
                    "{view}: a link on <{tag}>: {}",
                    attr.value()
                );
            }
            // Graphviz titles each node and edge with its id: no injected node named `evil`,
            // no cluster from the family name.
            if tag == "title" {
                let t = node.text().unwrap_or_default();
                assert_ne!(t.trim(), "evil", "{view}");
                assert!(!t.contains("cluster_evil"), "{view}");
            }
        }
    }
    for view in ["assessment", "evidence"] {
        let (_, dot, _) = run(&["dot", hostile.to_str().unwrap(), "--view", view], &root());
        let syntax = outside_strings(&dot);
        for attr in ["URL", "href", "image", "shapefile", "cluster_evil"] {
            assert!(
                !syntax.contains(attr),
                "{view}: `{attr}` outside a string:\n{syntax}"
            );
        }
    }
}

/// Graphviz reads `\\N`, `\\G`, `\\L` and the like in a label or a tooltip as its own (the node's
/// name, the graph's, the node's label); a Windows path in a claim's wording is full of them.
/// Every one must be drawn as the characters the case holds: a label's as they are, a
/// tooltip's with each backslash as `⧵` (no quoting of a backslash in a tooltip survives both
/// Graphviz 2.43, which reads its escapes twice, and later versions).
#[test]
#[ignore = "needs graphviz"]
fn backslashes_in_a_case_are_drawn_as_written() {
    require_graphviz();
    let case = root().join("tests/data/hostile/backslashes.ron");
    let labels = [
        r"State \N \G \E \T \H \L",
        r"Group C:\Users\Guest",
        r"aka alias \l \r \n",
        r"Incident \T",
    ];
    // Each tooltip, and whether the assessment view draws it (it draws no source or claim).
    let tooltips = [
        (r"Dropped C:\Windows\Temp\Nlaunch.exe", true),
        (r"State \N \G \E \T \H \L (state)", true),
        (
            r"Dropper wrote C:\Windows\Temp\Nlaunch.exe and C:\Users\Guest\Local\Hello.dll",
            false,
        ),
        (r"note \E", false),
        (r"\L \E", false),
    ];
    for view in ["assessment", "evidence"] {
        let (svg, err) = render_svg(&case, view, &[]);
        assert!(err.is_empty(), "{view}: {err}");
        let doc = roxmltree::Document::parse_with_options(
            &svg,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap();
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        let titles: Vec<String> = doc
            .descendants()
            .filter_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "title")))
            .map(|t| t.replace('⧵', r"\"))
            .collect();
        for shown in texts
            .iter()
            .copied()
            .chain(titles.iter().map(String::as_str))
        {
            for node in ["entity:", "incident:", "claim:", "source:", "<B>", "%"] {
                assert!(!shown.contains(node), "{view}: `{node}` drawn in {shown:?}");
            }
        }
        for label in labels {
            assert!(
                texts.contains(&label),
                "{view}: {label:?} not in {texts:#?}"
            );
        }
        for (tooltip, in_assessment) in tooltips {
            if view == "evidence" || in_assessment {
                assert!(
                    titles.iter().any(|t| t.lines().next() == Some(tooltip)),
                    "{view}: {tooltip:?} not in {titles:#?}"
                );
            }
        }
    }
}

/// Graphviz decodes character references in every string: a case's `&#27;` or `&#x202E;` would
/// reach the SVG as a raw escape character (not well-formed XML, and a terminal escape for
/// whoever prints it) or a bidirectional override. Labels and tooltips show the characters the
/// case holds.
#[test]
#[ignore = "needs graphviz"]
fn character_references_in_a_case_are_drawn_as_written() {
    require_graphviz();
    let case = root().join("tests/data/hostile/entities.ron");
    let labels = [
        "State &lt;b&gt; &amp; Co",
        "COPPER &#x202E;NOREH&#x202C;",
        "Incident &#27;]0;pwned&#7;",
    ];
    let tooltips = [
        ("Wording &#27;]0;pwned&#7; &#x202E;desrever", false),
        ("AT&T &nbsp; said so", false),
        ("Dropped &#x1b;[2J and R&D notes", true),
        ("State &lt;b&gt; &amp; Co (state)", true),
    ];
    for view in ["assessment", "evidence"] {
        let (svg, err) = render_svg(&case, view, &[]);
        assert!(err.is_empty(), "{view}: {err}");
        assert!(
            !svg.contains(['\u{1b}', '\u{7}', '\u{202e}', '\u{202c}']),
            "{view}: a raw control or bidirectional character in the SVG"
        );
        let doc = roxmltree::Document::parse_with_options(
            &svg,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .expect("Graphviz wrote well-formed SVG");
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        let titles: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "title")))
            .collect();
        for label in labels {
            assert!(
                texts.contains(&label),
                "{view}: {label:?} not in {texts:#?}"
            );
        }
        for (tooltip, in_assessment) in tooltips {
            if view == "evidence" || in_assessment {
                assert!(
                    titles.iter().any(|t| t.lines().next() == Some(tooltip)),
                    "{view}: {tooltip:?} not in {titles:#?}"
                );
            }
        }
    }
}

/// The tutorial with text far longer than any figure can show: a 20,000-character name, id,
/// wording and title, and a group with 500 aliases.
fn tutorial_with_long_text() -> String {
    let long = |c: char| c.to_string().repeat(20_000);
    let aliases: Vec<String> = (0..500).map(|i| format!("\"alias {i}\"")).collect();
    include_str!("../graphs/tutorial.ron")
        .replacen("title: \"", &format!("title: \"{}", long('T')), 1)
        .replacen("name: \"", &format!("name: \"{}", long('N')), 1)
        .replacen("wording: \"", &format!("wording: \"{}", long('W')), 1)
        .replace("\"j-doe\"", &format!("\"{}-doe\"", long('j')))
        .replacen(
            "aliases: [",
            &format!("aliases: [{}, ", aliases.join(", ")),
            1,
        )
}

/// The length in bytes of the longest quoted string or HTML-like label of `dot`.
fn longest_string(dot: &str) -> usize {
    let b = dot.as_bytes();
    let (mut i, mut longest) = (0, 0);
    while i < b.len() {
        let start = i;
        match b[i] {
            b'"' => {
                i += 1;
                while b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'<' => {
                let mut depth = 0;
                loop {
                    depth += match b[i] {
                        b'<' => 1,
                        b'>' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        break;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        longest = longest.max(i + 1 - start);
        i += 1;
    }
    longest
}

/// Graphviz refuses a quoted string or an HTML-like label longer than 16,384 bytes, and with
/// it the whole figure (the report then went without it): long text in a case is cut.
#[test]
fn no_string_of_a_figure_is_longer_than_graphviz_reads() {
    strings_of_figures_fit_graphviz(&[]);
}

/// As [`no_string_of_a_figure_is_longer_than_graphviz_reads`], for figures laid out to a page,
/// which Graphviz measures.
#[test]
#[ignore = "needs graphviz"]
fn no_string_of_a_page_figure_is_longer_than_graphviz_reads() {
    require_graphviz();
    strings_of_figures_fit_graphviz(&["--page", "a4"]);
}

fn strings_of_figures_fit_graphviz(layout: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("long.ron");
    std::fs::write(&case, tutorial_with_long_text()).unwrap();
    for view in ["assessment", "evidence"] {
        let mut args = vec!["dot", case.to_str().unwrap(), "--view", view];
        args.extend(layout);
        let (code, dot, err) = run(&args, tmp.path());
        assert_eq!(code, 0, "{err}");
        let longest = longest_string(&dot);
        assert!(
            longest < 16_384,
            "{view} {layout:?}: a string of {longest} bytes"
        );
        assert!(
            dot.contains("NNNN…"),
            "{view}: the name is cut, not dropped"
        );
    }
}

#[test]
#[ignore = "needs graphviz"]
fn a_case_with_long_text_renders() {
    require_graphviz();
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("long.ron");
    std::fs::write(&case, tutorial_with_long_text()).unwrap();
    for view in ["assessment", "evidence"] {
        let (svg, err) = render_svg(&case, view, &[]);
        assert!(err.is_empty(), "{view}: {err}");
        if view == "evidence" {
            assert!(svg.contains("and 489 more"), "the aliases listed");
        }
    }
}

/// The DOT text with every quoted string and HTML-like label cut out: what Graphviz parses as
/// syntax.
fn outside_strings(dot: &str) -> String {
    let mut out = String::new();
    let mut chars = dot.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            '<' => {
                let mut depth = 1;
                for d in chars.by_ref() {
                    match d {
                        '<' => depth += 1,
                        '>' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                out.push_str("<>");
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn focus_keeps_a_neighbourhood() {
    // An incident's evidence view keeps the chains up from the groups named on it: the
    // persona's claimed links to Void Manticore, and on to MOIS, with their sources.
    let (code, dot, err) = run(
        &["dot", "--view", "evidence", "--focus", "albania-2022"],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    for edge in [
        "\"entity:homeland-justice\" -> \"claim:d15\"",
        "\"claim:d15\" -> \"entity:void-manticore\"",
        "\"entity:void-manticore\" -> \"claim:d15b\"",
        "\"claim:d15b\" -> \"entity:mois\"",
        "\"source:checkpoint\" -> \"claim:d15b\"",
        // Through a "possibly same as" pair: DEV-0861 to EUROPIUM, and on to MOIS.
        "\"entity:dev-0861\" -> \"claim:d10g\"",
        "\"claim:d10h\" -> \"entity:mois\"",
    ] {
        assert!(dot.contains(edge), "{edge} missing:\n{dot}");
    }
    let (code, dot, err) = run(&["dot", "--focus", "muddywater", "--depth", "1"], &root());
    assert_eq!(code, 0, "{err}");
    assert!(dot.contains("\"entity:muddywater\" ["));
    assert!(dot.contains("\"entity:mois\" ["), "linked upward");
    assert!(
        dot.contains("\"incident:albania-2022\" ["),
        "its hypothesis edge"
    );
    assert!(!dot.contains("\"entity:iran\" ["), "two hops away");
    let (code, _, err) = run(&["dot", "--focus", "nobody"], &root());
    assert_eq!(code, 2);
    assert!(err.contains("--focus nobody"), "{err}");
    // A claim is drawn in the evidence view only: the message says where to find it.
    let (code, _, err) = run(&["dot", "--focus", "d6"], &root());
    assert_eq!(code, 2);
    assert!(err.contains("`--view evidence`"), "{err}");
    let (code, _, err) = run(&["dot", "--focus", "d6", "--view", "evidence"], &root());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn min_leaves_out_weaker_hypotheses() {
    let (_, dot, _) = run(&["dot", "--min", "very likely"], &root());
    assert!(dot.contains("\"incident:albania-2022\" -> \"entity:iran\""));
    assert!(
        !dot.contains("-> \"entity:muddywater\""),
        "insufficient evidence left out"
    );
    assert!(
        !dot.contains("-> \"entity:hexane\""),
        "likely is below very likely"
    );
    let (_, all, _) = run(&["dot"], &root());
    assert!(all.contains("-> \"entity:muddywater\" [label=\"insufficient evidence"));
    // The legend names the outlines of what is drawn: no agency or persona is judged very
    // likely, so neither is in it, as both are in the full figure's.
    let row = |what: &str| format!("<TD ALIGN=\"LEFT\">{what}</TD>");
    for kind in ["agency or military unit", "persona"] {
        assert!(!dot.contains(&row(kind)), "{kind}");
        assert!(all.contains(&row(kind)), "{kind}");
    }
    assert!(dot.contains(&row("state")) && dot.contains(&row("intrusion set")));
}

/// A likelihood resting mostly on the prior is marked on its edge and in its tooltip, as the
/// table marks it, and the legend says what the mark means: "roughly even chance" on a
/// hypothesis with nothing against it is no evidence against. A figure without one has no
/// such row.
#[test]
fn a_likelihood_resting_on_the_prior_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("prior.ron");
    std::fs::write(
        &file,
        r#"Case(
    title: "Prior",
    prior: 0.3,
    actors: [Actor(id: "kite", name: "Kite", kind: State), Actor(id: "hawk", name: "Hawk", kind: State)],
    incidents: [Incident(id: "outage", name: "Outage", start: "2024-01-01")],
    sources: [Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: C)],
    claims: [
        Claim(id: "c1", source: "vendor", subject: "outage", relation: AttributedTo, object: "kite", likelihood: Icd("likely"), confidence: Low),
        Claim(id: "c2", source: "vendor", subject: "outage", relation: AttributedTo, object: "hawk", likelihood: Icd("almost certain"), confidence: High),
    ],
)"#,
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let means = "likelihood resting mostly on the prior, not on the evidence";
    let (code, dot, err) = run(&["dot", file], &root());
    assert_eq!(code, 0, "{err}");
    let edge = |to: &str| {
        (dot.lines())
            .find(|l| l.contains(&format!("\"incident:outage\" -> \"entity:{to}\"")))
            .unwrap_or_else(|| panic!("{dot}"))
            .to_string()
    };
    assert!(
        edge("kite").contains("label=\"roughly even chance *\\nP 0.45\""),
        "{dot}"
    );
    assert!(
        edge("kite").contains("P 0.45 (* mostly the prior 0.3:"),
        "{dot}"
    );
    assert!(edge("hawk").contains("label=\"likely\\nP 0.69\""), "{dot}");
    assert!(
        crate::unwrapped(&dot).contains(&format!(
            "<TD>*</TD><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">{means}</TD>"
        )),
        "{dot}"
    );
    let (_, compact, _) = run(&["dot", file, "--legend", "compact"], &root());
    assert!(compact.contains(&format!("* {means}")), "{compact}");
    // Above "likely" only Hawk is drawn, and nothing is marked.
    let (_, min, _) = run(&["dot", file, "--min", "likely"], &root());
    let min = crate::unwrapped(&min);
    assert!(!min.contains(means), "{min}");
    // Around Kite the marked edge is drawn, with its legend row; one hop around Hawk it is
    // not, and neither is the row.
    let (_, kite, _) = run(&["dot", file, "--focus", "kite", "--depth", "1"], &root());
    let kite = crate::unwrapped(&kite);
    assert!(kite.contains("roughly even chance *"), "{kite}");
    assert!(kite.contains(means), "{kite}");
    let (_, hawk, _) = run(&["dot", file, "--focus", "hawk", "--depth", "1"], &root());
    let hawk = crate::unwrapped(&hawk);
    assert!(!hawk.contains("entity:kite"), "{hawk}");
    assert!(!hawk.contains(means), "{hawk}");
}

/// The hypotheses of an exclusive set carry its letter, per incident (A, B, …), with the other
/// members in the tooltip; one in two sets carries both letters; the legend says what the mark
/// means only when a drawn hypothesis has one.
#[test]
fn the_hypotheses_of_an_exclusive_set_carry_its_letter() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sets.ron");
    std::fs::write(
        &file,
        r#"Case(
    title: "Sets",
    actors: [
        Actor(id: "kite", name: "Kite", kind: State),
        Actor(id: "hawk", name: "Hawk", kind: State),
        Actor(id: "crew", name: "Crew", kind: Organisation),
        Actor(id: "jay", name: "Jay", kind: State),
    ],
    incidents: [
        Incident(id: "outage", name: "Outage", start: "2024-01-01"),
        Incident(id: "leak", name: "Leak", start: "2024-02-01"),
    ],
    sources: [Source(id: "vendor", name: "Vendor", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "vendor", subject: "outage", relation: AttributedTo, object: "kite", likelihood: Icd("likely")),
        Claim(id: "c2", source: "vendor", subject: "outage", relation: AttributedTo, object: "hawk", likelihood: Icd("unlikely")),
        Claim(id: "c3", source: "vendor", subject: "outage", relation: AttributedTo, object: "crew", likelihood: Icd("unlikely")),
        Claim(id: "c4", source: "vendor", subject: "outage", relation: AttributedTo, object: "jay", likelihood: Icd("unlikely")),
        Claim(id: "c5", source: "vendor", subject: "leak", relation: AttributedTo, object: "hawk", likelihood: Icd("likely")),
        Claim(id: "c6", source: "vendor", subject: "leak", relation: AttributedTo, object: "crew", likelihood: Icd("unlikely")),
    ],
    exclusive: [
        Exclusive(incident: "outage", members: ["kite", "hawk"]),
        Exclusive(incident: "outage", members: ["kite", "crew"]),
        Exclusive(incident: "leak", members: ["hawk", "crew"]),
    ],
)"#,
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let means = "exclusive set: of an incident&#39;s hypotheses marked with one letter, at most \
                 one is true";
    let (code, dot, err) = run(&["dot", file], &root());
    assert_eq!(code, 0, "{err}");
    let edge = |from: &str, to: &str| {
        (dot.lines())
            .find(|l| l.contains(&format!("\"incident:{from}\" -> \"entity:{to}\"")))
            .unwrap_or_else(|| panic!("{dot}"))
            .to_string()
    };
    let kite = edge("outage", "kite");
    assert!(kite.contains("\\nexcl. A, B\""), "{kite}");
    assert!(
        kite.contains("; exclusive with hawk (A); exclusive with crew (B)\""),
        "{kite}"
    );
    assert!(edge("outage", "hawk").contains("\\nexcl. A\""), "{dot}");
    assert!(edge("outage", "crew").contains("\\nexcl. B\""), "{dot}");
    assert!(!edge("outage", "jay").contains("excl."), "{dot}");
    // Each incident letters its own sets.
    assert!(edge("leak", "hawk").contains("\\nexcl. A\""), "{dot}");
    assert!(
        edge("leak", "crew").contains("exclusive with hawk (A)"),
        "{dot}"
    );
    assert!(crate::unwrapped(&dot).contains(means), "{dot}");
    let (_, compact, _) = run(&["dot", file, "--legend", "compact"], &root());
    assert!(
        compact.contains("excl. A: on an incident, at most one marked A is true"),
        "{compact}"
    );
    // Around Jay, in no set, neither the mark nor its row.
    let (_, jay, _) = run(&["dot", file, "--focus", "jay", "--depth", "1"], &root());
    let jay = crate::unwrapped(&jay);
    assert!(!jay.contains("excl."), "{jay}");
    assert!(!jay.contains("exclusive set"), "{jay}");
}

#[test]
fn a_missing_graphviz_is_explained() {
    let empty = tempfile::tempdir().unwrap();
    let out = attrib()
        .args(["dot", "--render", "svg"])
        .current_dir(root())
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("apt-get install graphviz"), "{err}");
}

#[test]
#[ignore = "needs graphviz"]
fn render_writes_atomically_and_not_over_the_input() {
    require_graphviz();
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case.ron");
    std::fs::copy(root().join("graphs/tutorial.ron"), &case).unwrap();
    let (code, _, err) = run(
        &["dot", "case.ron", "--render", "png", "-o", "case.ron"],
        tmp.path(),
    );
    assert_eq!(code, 2);
    // Refused by its name, before the input check would refuse it.
    assert!(
        err.contains("-o case.ron: --render png writes PNG"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&case).unwrap(),
        std::fs::read(root().join("graphs/tutorial.ron")).unwrap(),
        "the input untouched"
    );
    // A name that says PNG, through a link to the input: the input check refuses it.
    std::os::unix::fs::symlink(&case, tmp.path().join("link.png")).unwrap();
    let (code, _, err) = run(
        &["dot", "case.ron", "--render", "png", "-o", "link.png"],
        tmp.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("refusing to overwrite"), "{err}");
    let (code, _, err) = run(
        &["dot", "case.ron", "--render", "png", "-o", "fig.png"],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    let png = std::fs::read(tmp.path().join("fig.png")).unwrap();
    assert_eq!(&png[..4], b"\x89PNG");
}

/// `attrib dot graphs/tutorial.ron -o NAME` in `dir`.
fn tutorial_dot_to(dir: &Path, name: &str) -> (i32, String, String) {
    let case = root().join("graphs/tutorial.ron");
    run(&["dot", case.to_str().unwrap(), "-o", name], dir)
}

/// An output named like an image is rendered as that image; any other name gets DOT.
#[test]
#[ignore = "needs graphviz"]
fn the_output_extension_chooses_the_rendering() {
    require_graphviz();
    let tmp = tempfile::tempdir().unwrap();
    for (name, magic) in [
        ("fig.png", &b"\x89PNG"[..]),
        ("fig.PDF", &b"%PDF"[..]),
        ("fig.svg", &b"<?xml"[..]),
    ] {
        let (code, _, err) = tutorial_dot_to(tmp.path(), name);
        assert_eq!(code, 0, "{name}: {err}");
        let bytes = std::fs::read(tmp.path().join(name)).unwrap();
        assert!(bytes.starts_with(magic), "{name} is not rendered");
    }
}

/// `-o fig.dot` (or any name that is not an image's) writes DOT, without Graphviz.
#[test]
fn an_output_not_named_like_an_image_gets_dot() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["fig.dot", "fig.gv", "fig"] {
        let (code, _, err) = tutorial_dot_to(tmp.path(), name);
        assert_eq!(code, 0, "{name}: {err}");
        let text = std::fs::read_to_string(tmp.path().join(name)).unwrap();
        assert!(text.starts_with("digraph"), "{name}: {text:.40}");
    }
}

/// Scans a DOT double-quoted string; true when `s` is exactly one, on one line, with nothing
/// after it.
fn is_one_dot_string(s: &str) -> bool {
    !s.contains(['\n', '\r']) && quoted_at(s).is_some_and(|(_, rest)| rest.is_empty())
}

/// A DOT double-quoted string at the start of `s`: its text (escapes as written), and what
/// follows it.
fn quoted_at(s: &str) -> Option<(String, &str)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some((s[1..i].to_string(), &s[i + 1..])),
            _ => i += 1,
        }
    }
    None
}

proptest! {
    #[test]
    fn quoting_always_yields_one_string(s in any::<String>(), noncharacter in any::<bool>()) {
        // U+FFFF is rare among arbitrary strings; put one in half the time.
        let s = if noncharacter { format!("{s}\u{ffff}") } else { s };
        let q = quoted(&s);
        prop_assert!(is_one_dot_string(&q), "{q:?}");
        prop_assert!(!q.chars().any(attrib::escape::is_invisible), "{q:?}");
        prop_assert!(!q.contains(['\u{fffe}', '\u{ffff}']), "{q:?}");
    }

    #[test]
    fn quoting_keeps_printable_text(s in "[ -~]{0,40}") {
        // Undo the three escapes: the text is all there.
        let q = quoted(&s);
        let inner = &q[1..q.len() - 1];
        prop_assert_eq!(
            inner
                .replace("\\\"", "\"")
                .replace("\\\\", "\\")
                .replace("&amp;", "&"),
            s
        );
    }

    #[test]
    fn html_text_cannot_open_a_tag(s in any::<String>(), noncharacter in any::<bool>()) {
        let s = if noncharacter { format!("\u{fffe}{s}") } else { s };
        let h = html(&s).replace("<BR/>", "");
        prop_assert!(!h.contains('<') && !h.contains('>') && !h.contains('"'));
        prop_assert!(!h.contains(['\u{fffe}', '\u{ffff}']), "XML forbids them: {h:?}");
    }
}

#[cfg(unix)]
#[test]
fn graphviz_failures_and_warnings_are_passed_through() {
    let bin = tempfile::tempdir().unwrap();
    crate::fake_dot(
        bin.path(),
        "#!/bin/sh\ncat >/dev/null\necho 'Error: syntax error in line 1' >&2\nexit 1\n",
    );
    let out = attrib()
        .args(["dot", "--render", "svg"])
        .current_dir(root())
        .env("PATH", bin.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing written on failure");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Error: syntax error in line 1"),
        "Graphviz's words shown: {err}"
    );
    assert!(err.contains("Graphviz `dot` failed"), "{err}");
}

/// Page fitting reads Graphviz's `graph` line of each layout wherever it stands (all layouts
/// of a figure go through one run), and refuses to guess when one is missing: a stray first
/// line once made every layout score as unshrunk.
#[cfg(unix)]
#[test]
fn page_fitting_reads_the_graph_line_or_says_it_cannot() {
    let bin = tempfile::tempdir().unwrap();
    let write = |script: &str| crate::fake_dot(bin.path(), script);
    // `attrib dot --page a4` with `script` as Graphviz.
    let fit = |script: &str| {
        write(script);
        attrib()
            .args(["dot", "--page", "a4"])
            .current_dir(root())
            .env("PATH", bin.path())
            .output()
            .unwrap()
    };
    // One `graph` line for each graph read, as Graphviz writes them.
    let out = fit(
        "#!/bin/sh\nn=0\nwhile IFS= read -r l; do case \"$l\" in digraph*) n=$((n+1));; esac; done\n\
         echo 'a stray line'\n\
         while [ \"$n\" -gt 0 ]; do echo 'graph 0.5 10 7'; echo stop; n=$((n-1)); done\n",
    );
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("prints at 4.5 pt"),
        "the scale was read: {err}"
    );
    let out = fit("#!/bin/sh\ncat >/dev/null\necho 'no layout here'\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`graph scale width height` lines for"),
        "{err}"
    );
    // One line for a run of several layouts: each is measured again alone, and read.
    let out = fit("#!/bin/sh\ncat >/dev/null\necho 'graph 0.5 10 7'\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("prints at 4.5 pt"));
    // Graphviz 2.43 aborts on some runs of several evidence views that it lays out well one
    // by one. The layouts are then measured alone; one it cannot lay out even alone (here:
    // every top-to-bottom one) is not weighed, and its failure is not shown.
    let out = fit(
        "#!/bin/sh\nn=0; tb=0\nwhile IFS= read -r l; do case \"$l\" in digraph*) n=$((n+1));; \
         *rankdir=\\\"TB\\\"*) tb=1;; esac; done\n\
         if [ \"$n\" -gt 1 ]; then echo 'free(): double free detected' >&2; kill -ABRT $$; fi\n\
         if [ \"$tb\" = 1 ]; then echo 'Error: cannot lay out' >&2; exit 1; fi\n\
         echo 'graph 0.5 10 7'\n",
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("rankdir=\"LR\""),
        "the one layout left"
    );
    assert!(
        !err.contains("double free") && !err.contains("cannot lay out"),
        "{err}"
    );
    // When no layout can be laid out, the last failure is the error, with Graphviz's words.
    let out = fit("#!/bin/sh\ncat >/dev/null\necho 'Error: nothing works' >&2\nexit 1\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Error: nothing works"), "{err}");
    assert!(err.contains("Graphviz `dot` failed"), "{err}");
}

/// Every view of every graph fits every page: Debian's Graphviz 2.43 aborts with a double free
/// when it lays out the Albania evidence view's layouts for A3 landscape in one run.
#[test]
#[ignore = "needs graphviz"]
fn every_view_of_every_graph_fits_every_page() {
    require_graphviz();
    for g in graphs() {
        for view in ["assessment", "evidence"] {
            for page in [&["--page", "a4"][..], &["--page", "a3", "--landscape"]] {
                let mut args = vec!["dot", g.to_str().unwrap(), "--view", view];
                args.extend_from_slice(page);
                let (code, dot, err) = run(&args, &root());
                assert_eq!(code, 0, "{args:?}: {err}");
                assert!(dot.contains("size=\""), "{args:?}");
            }
        }
    }
}

/// The evidence view's row for a claim that carries no weight is there when such a claim is
/// drawn (claims made after `--as-of`), dashed light grey as the claims are, and not for
/// condemnations, which weigh nothing but are drawn dotted to their incident.
#[test]
fn the_weightless_row_is_in_the_legend_when_such_a_claim_is_drawn() {
    let (_, plain, _) = run(&["dot", "--view", "evidence"], &root());
    assert!(!plain.contains("carries no weight"), "{plain}");
    assert!(!plain.contains("#bdbdbd\", style=\"dashed\""), "{plain}");
    let (_, before, _) = run(
        &["dot", "--view", "evidence", "--as-of", "2022-09-01"],
        &root(),
    );
    assert!(
        crate::unwrapped(&before)
            .contains("carries no weight: even chance, no likelihood, or set aside by the what-if"),
        "{before}"
    );
    assert!(
        before.contains("\"claim:d7\" -> \"entity:iran\" [color=\"#bdbdbd\", style=\"dashed\""),
        "{before}"
    );
}

/// The evidence view's legend says what the lines drawn mean and no others (a small case has
/// no denial, echo, restatement or declared part), in two columns, so that it is not as tall
/// as the figure; every style the Albania case draws has its row.
#[test]
fn the_evidence_legend_lists_the_lines_drawn() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("small.ron");
    std::fs::write(
        &case,
        r#"Case(title: "t",
    actors: [Actor(id: "st", name: "State", kind: State)],
    groups: [Group(id: "g", name: "Group")],
    incidents: [Incident(id: "x", name: "X")],
    sources: [Source(id: "v", name: "Vendor", kind: Vendor, reliability: B)],
    claims: [
        Claim(id: "c1", source: "v", subject: "x", relation: AttributedTo, object: "g",
              likelihood: Icd("very likely"), wording: "w", url: "https://e.org/1"),
        Claim(id: "l1", source: "v", subject: "g", relation: SubordinateOf, object: "st",
              likelihood: Icd("likely"), wording: "w", url: "https://e.org/2"),
    ],
)
"#,
    )
    .unwrap();
    let (_, small, _) = run(
        &["dot", case.to_str().unwrap(), "--view", "evidence"],
        &root(),
    );
    let legend = |dot: &str| {
        let at = dot.find("\"legend\"").unwrap_or_else(|| panic!("{dot}"));
        dot[at..].lines().next().unwrap().to_string()
    };
    let small = legend(&small);
    for row in [
        "claim supports",
        "source to the claim it made",
        "incident to a claim on it",
        "claimed link",
        "a line of evidence (dependence family)",
    ] {
        assert!(small.contains(&format!(">{row}</TD>")), "{row}: {small}");
    }
    for row in [
        "claim opposes",
        "echo:",
        "restates",
        "condemns",
        "declared part of",
    ] {
        assert!(!small.contains(row), "{row}: {small}");
    }
    // Two columns of rows: 5 lines and 5 outlines (state, intrusion set, incident, source,
    // claim) in 5 rows under the title.
    assert!(
        small.contains("<TD COLSPAN=\"4\"><B>Evidence</B>"),
        "{small}"
    );
    assert_eq!(small.matches("<TR>").count(), 1 + 5, "{small}");
    let (_, albania, _) = run(&["dot", "--view", "evidence"], &root());
    let albania = legend(&albania);
    for row in [
        "claim supports",
        "claim opposes (a denial, or below even chance)",
        "echo: restates claims present, not counted",
        "condemns the incident",
        "restates (derived from)",
        "claimed link",
        "declared part of",
    ] {
        assert!(
            albania.contains(&format!(">{row}</TD>")),
            "{row}: {albania}"
        );
    }
}

/// A link claim that holds its link below even chance ("EUROPIUM is unlikely to be MOIS's") is
/// drawn red and dashed, with a legend row saying so: drawn grey like every other claimed
/// link, a doubt read as a tie. A link claim above even chance stays grey.
#[test]
fn a_doubted_link_is_drawn_apart_from_a_claimed_one() {
    let (_, plain, _) = run(&["dot", "--view", "evidence"], &root());
    assert!(!plain.contains("claimed link doubted"), "{plain}");
    assert!(
        plain.contains("\"claim:d10h\" -> \"entity:mois\" [color=\"#737373\", style=\"dashed\"]"),
        "{plain}"
    );
    let (_, doubted, _) = run(
        &["dot", "--view", "evidence", "--restate", "d10h=unlikely"],
        &root(),
    );
    assert!(
        crate::unwrapped(&doubted)
            .contains("claimed link doubted: the claim holds it below even chance"),
        "{doubted}"
    );
    for edge in [
        "\"entity:europium\" -> \"claim:d10h\" [color=\"#d73027\", style=\"dashed\"]",
        "\"claim:d10h\" -> \"entity:mois\" [color=\"#d73027\", style=\"dashed\"]",
    ] {
        assert!(doubted.contains(edge), "{edge}");
    }
    // The other links are as they were.
    assert!(doubted.contains("\"claim:d10f\" -> \"entity:iran\" [color=\"#737373\""));
    // A figure that does not draw the claim has no row for it.
    let (_, elsewhere, _) = run(
        &[
            "dot",
            "--view",
            "evidence",
            "--restate",
            "d10h=unlikely",
            "--focus",
            "homeland-justice",
            "--depth",
            "1",
        ],
        &root(),
    );
    assert!(!elsewhere.contains("claim:d10h"), "{elsewhere}");
    assert!(!elsewhere.contains("claimed link doubted"), "{elsewhere}");
    // The compact legend of a page figure names it too, only when drawn.
    let compact = |extra: &[&str]| {
        let mut args = vec!["dot", "--view", "evidence", "--legend", "compact"];
        args.extend_from_slice(extra);
        run(&args, &root()).1
    };
    assert!(compact(&["--restate", "d10h=unlikely"]).contains("╍ doubted link"));
    assert!(!compact(&[]).contains("doubted link"));
}

/// A figure for a page rendered as PNG is drawn at print resolution: at Graphviz's 96 dpi an
/// A4 figure was 679 pixels wide, its text unreadable.
#[test]
#[ignore = "needs graphviz"]
fn a_page_figure_as_png_is_drawn_at_print_resolution() {
    require_graphviz();
    let tmp = tempfile::tempdir().unwrap();
    let width = |args: &[&str], name: &str| -> u32 {
        let png = tmp.path().join(name);
        crate::Test::new()
            .args(["dot", "--render", "png", "-o", png.to_str().unwrap()])
            .args(args.iter().copied())
            .run();
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        u32::from_be_bytes(bytes[16..20].try_into().unwrap())
    };
    let page = width(&["--page", "a4", "--landscape"], "page.png");
    // A4 landscape is 11.7 inches wide: at 300 dpi, near 3500 pixels, less the margins.
    assert!((2500..=3508).contains(&page), "{page}");
}

/// The full legend of a figure for a page names the outlines drawn there, not the shapes of
/// the screen figure.
#[test]
#[ignore = "needs graphviz"]
fn the_full_legend_on_a_page_names_the_page_outlines() {
    let page = crate::Test::new()
        .args(["dot", "--page", "a4", "--legend", "full"])
        .run()
        .stdout;
    assert!(page.contains("box, double border"), "{page}");
    assert!(!page.contains("doubleoctagon"), "{page}");
    // On a page a verdict judged on one incident is in its node, and the mark of an exclusive
    // set after the kind, on the node's shorter line.
    assert!(
        page.contains("<FONT POINT-SIZE=\"9\">state · excl. A</FONT>"),
        "{page}"
    );
    let screen = crate::Test::new().args(["dot"]).run().stdout;
    assert!(screen.contains("doubleoctagon"));
}

/// A figure of one incident names each verdict in its actor's node on a page. The count of
/// incidents judging an actor was the whole case's, so an actor judged on another incident
/// too kept its verdict on its edge, whose label Graphviz set beside whichever node was near
/// ("likely P 0.78" under another group's node).
#[test]
#[ignore = "needs graphviz"]
fn a_figure_of_one_incident_puts_every_verdict_in_its_node() {
    let case = r#"Case(title: "Two", as_of: "2024-06-01",
    actors: [Actor(id: "s", name: "State S", kind: State)],
    incidents: [Incident(id: "i1", name: "One"), Incident(id: "i2", name: "Two")],
    sources: [Source(id: "v", name: "V", kind: Vendor, reliability: B, url: "https://example.org/")],
    claims: [
        Claim(id: "a", source: "v", subject: "i1", relation: AttributedTo, object: "s",
              likelihood: Icd("likely"), wording: "w"),
        Claim(id: "b", source: "v", subject: "i2", relation: AttributedTo, object: "s",
              likelihood: Icd("very likely"), wording: "w"),
    ])
"#;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("two.ron"), case).unwrap();
    let dot = |extra: &[&str]| {
        let mut args = vec!["dot", "two.ron", "--page", "a4"];
        args.extend_from_slice(extra);
        crate::Test::new()
            .current_dir(tmp.path())
            .args(args)
            .run()
            .stdout
    };
    let (_, edges) = statements(&dot(&["--incident", "i1"]));
    let one = dot(&["--incident", "i1"]);
    assert!(one.contains("<B>likely * · P 0.64</B>"), "{one}");
    let edge = &edges.iter().find(|e| e.0 == "incident:i1").unwrap().2;
    assert!(!edge.contains("label="), "{edge}");
    // The whole case judges the state twice: each verdict on its own edge.
    let (_, edges) = statements(&dot(&[]));
    let labelled = edges
        .iter()
        .filter(|e| e.1 == "entity:s" && e.2.contains("label="))
        .count();
    assert_eq!(labelled, 2, "{edges:?}");
}

/// The node ids and the edges (ends, and the whole statement) of written DOT, in order; the
/// legend is not a node of the graph.
fn statements(dot: &str) -> (Vec<String>, Vec<(String, String, String)>) {
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    for line in dot.lines().map(str::trim_start) {
        let Some((first, rest)) = quoted_at(line) else {
            continue;
        };
        match rest.strip_prefix(" -> ").and_then(quoted_at) {
            Some((second, _)) => edges.push((first, second, line.to_string())),
            None if first != "legend" => nodes.push(first),
            None => {}
        }
    }
    (nodes, edges)
}

fn written(figure: &attrib::export::figure::Figure<'_>) -> String {
    let mut out = Vec::new();
    attrib::export::dot::write(figure, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Adds to `near` (node ids as the DOT writes them) the links up from its entities.
fn chains_up(case: &attrib::model::Case, near: &mut std::collections::BTreeSet<String>) {
    loop {
        let before = near.len();
        for e in &case.entities {
            if let Some(p) = e.part_of
                && near.contains(&format!("entity:{}", e.id))
            {
                near.insert(format!("entity:{}", case.entity(p).id));
            }
        }
        for c in &case.claims {
            let ways = match c.statement {
                attrib::model::Statement::Link { from, to } => vec![(from, to)],
                attrib::model::Statement::SameAs { a, b } => vec![(a, b), (b, a)],
                _ => vec![],
            };
            for (from, to) in ways {
                if near.contains(&format!("entity:{}", case.entity(from).id)) {
                    near.insert(format!("claim:{}", c.id));
                    near.insert(format!("source:{}", case.source(c.source).id));
                    near.insert(format!("entity:{}", case.entity(to).id));
                }
            }
        }
        if near.len() == before {
            break;
        }
    }
}

/// A focused figure draws exactly the nodes within `depth` hops of its node in the whole
/// figure's written DOT (edges taken both ways), and the whole figure's edges among them, in
/// the same order: checked for every node of both views of every graph, at depths 0 to 3.
/// An incident's evidence view also draws the links up from every entity it keeps (declared
/// wholes, claimed links and "possibly same as" pairs with their sources), however far.
#[test]
fn focus_keeps_exactly_the_neighbourhood_of_the_written_graph() {
    use attrib::export::dot::{View, figure, focus_node};
    use attrib::export::figure::Key;
    use std::collections::BTreeSet;
    for g in graphs() {
        let loaded = attrib::load::load(
            &std::fs::read_to_string(&g).unwrap(),
            attrib::format::Syntax::Ron,
        )
        .unwrap();
        let case = &loaded.case;
        let assessment = attrib::assess(case, Default::default());
        let names: Vec<&str> = (case.incidents.iter().map(|i| i.id.as_str()))
            .chain(case.entities.iter().map(|e| e.id.as_str()))
            .chain(case.sources.iter().map(|s| s.id.as_str()))
            .chain(case.claims.iter().map(|c| c.id.as_str()))
            .collect();
        for view in [View::Assessment, View::Evidence] {
            let whole = figure(case, &assessment, view, None);
            let (nodes, edges) = statements(&written(&whole));
            assert_eq!(whole.count(), (nodes.len() + 1, edges.len()), "{view:?}");
            let mut focused_on = 0;
            for name in &names {
                let key = focus_node(case, name).unwrap();
                let id = match key {
                    Key::Incident(_) => format!("incident:{name}"),
                    Key::Entity(_) => format!("entity:{name}"),
                    Key::Source(_) => format!("source:{name}"),
                    Key::Claim(_) => format!("claim:{name}"),
                };
                for depth in 0..=3 {
                    let focused = whole.clone().focus(key, depth);
                    let Some(focused) = focused else {
                        assert!(!nodes.contains(&id), "{view:?} {id}: drawn but not found");
                        continue;
                    };
                    focused_on += 1;
                    let mut near = BTreeSet::from([id.clone()]);
                    for _ in 0..depth {
                        let mut next = near.clone();
                        for (a, b, _) in &edges {
                            if near.contains(a) || near.contains(b) {
                                next.insert(a.clone());
                                next.insert(b.clone());
                            }
                        }
                        near = next;
                    }
                    if let (View::Evidence, Key::Incident(_)) = (view, key) {
                        chains_up(case, &mut near);
                    }
                    let (kept, kept_edges) = statements(&written(&focused));
                    let expected: Vec<&String> =
                        nodes.iter().filter(|n| near.contains(*n)).collect();
                    assert_eq!(
                        kept.iter().collect::<Vec<_>>(),
                        expected,
                        "{view:?} {id} depth {depth}"
                    );
                    let expected: Vec<_> = edges
                        .iter()
                        .filter(|(a, b, _)| near.contains(a) && near.contains(b))
                        .collect();
                    assert_eq!(
                        kept_edges.iter().collect::<Vec<_>>(),
                        expected,
                        "{view:?} {id} depth {depth}"
                    );
                    assert_eq!(focused.count(), (kept.len() + 1, kept_edges.len()));
                    // The legend names the outlines of the actors and groups kept, no others.
                    let legend = written(&focused);
                    let kept_kinds: BTreeSet<&str> = case
                        .entities
                        .iter()
                        .filter(|e| kept.contains(&format!("entity:{}", e.id)))
                        .map(|e| outline_meaning(e.kind))
                        .collect();
                    let listed: BTreeSet<&str> = OUTLINE_MEANINGS
                        .into_iter()
                        .filter(|m| legend.contains(&format!("<TD ALIGN=\"LEFT\">{m}</TD>")))
                        .collect();
                    assert_eq!(listed, kept_kinds, "{view:?} {id} depth {depth}");
                    // And of the incidents, sources and claims kept.
                    for what in ["incident", "source", "claim"] {
                        let row = format!("<TD ALIGN=\"LEFT\">{what}</TD>");
                        let drawn = kept.iter().any(|n| n.starts_with(&format!("{what}:")));
                        assert_eq!(
                            legend.contains(&row),
                            drawn,
                            "{view:?} {id} depth {depth} {what}"
                        );
                    }
                }
            }
            assert!(focused_on > 0, "{view:?}: some node was focused on");
        }
    }
}

/// The legend's words for the outline of each kind of actor and group.
const OUTLINE_MEANINGS: [&str; 7] = [
    "state",
    "agency or military unit",
    "organisation or company",
    "person",
    "unidentified actor",
    "intrusion set",
    "persona",
];

fn outline_meaning(kind: attrib::model::EntityKind) -> &'static str {
    use attrib::format::{ActorKind as A, GroupKind as G};
    use attrib::model::EntityKind as K;
    match kind {
        K::Actor(A::State) => "state",
        K::Actor(A::Agency | A::MilitaryUnit) => "agency or military unit",
        K::Actor(A::Organisation | A::Company) => "organisation or company",
        K::Actor(A::Person) => "person",
        K::Actor(A::Unidentified) => "unidentified actor",
        K::Group(G::IntrusionSet) => "intrusion set",
        K::Group(G::Persona) => "persona",
    }
}

/// Staggering gives the edges leaving a node with more than `k` of them minimum lengths 1, 2,
/// …, k in turn, in the order they are written, and no other edge any: counted over the
/// edges drawn, after a focus.
#[test]
fn stagger_counts_the_fan_outs_of_the_edges_drawn() {
    use attrib::export::dot::{Legend, Options, View, figure_with, focus_node};
    let text = std::fs::read_to_string(root().join("graphs/albania-2022.ron")).unwrap();
    let loaded = attrib::load::load(&text, attrib::format::Syntax::Ron).unwrap();
    let case = &loaded.case;
    let assessment = attrib::assess(case, Default::default());
    let options = Options {
        min: None,
        legend: Legend::Compact,
        wrap: Some(22),
    };
    for view in [View::Assessment, View::Evidence] {
        for focus in [None, Some("iran")] {
            let mut fig = figure_with(case, &assessment, view, &options);
            if let Some(name) = focus {
                fig = fig.focus(focus_node(case, name).unwrap(), 2).unwrap();
            }
            let (_, plain) = statements(&written(&fig));
            for k in 1..=4 {
                fig.stagger(k);
                let (_, edges) = statements(&written(&fig));
                assert_eq!(edges.len(), plain.len());
                let mut seen = std::collections::BTreeMap::<&str, usize>::new();
                let mut staggered = 0;
                for ((from, _, line), (_, _, before)) in edges.iter().zip(&plain) {
                    let fan = plain.iter().filter(|(f, _, _)| f == from).count();
                    if k > 1 && fan > k {
                        let i = seen.entry(from).or_default();
                        let minlen = format!(", minlen=\"{}\"];", *i % k + 1);
                        *i += 1;
                        staggered += 1;
                        assert_eq!(
                            line,
                            &format!("{}{minlen}", before.strip_suffix("];").unwrap()),
                            "{view:?} k={k}"
                        );
                    } else {
                        assert_eq!(line, before, "{view:?} k={k}");
                    }
                }
                if k == 2 {
                    assert!(
                        staggered > 0,
                        "{view:?} {focus:?}: some fan-out is staggered"
                    );
                }
            }
        }
    }
}

/// The report's per-incident diagrams, built from each incident's hypotheses alone, are the
/// whole assessment view focused on each incident, byte for byte: on every bundled graph and
/// on a generated case where actors are judged on several incidents.
#[test]
fn per_incident_figures_are_the_whole_view_focused_on_each_incident() {
    use ::attrib::assess::{Request, assess_with};
    use ::attrib::export::dot::{Legend, Options, View, figure_with, write};
    use ::attrib::export::figure::Key;
    use ::attrib::format::Syntax;
    let mut texts: Vec<String> = graphs()
        .iter()
        .map(|g| std::fs::read_to_string(g).unwrap())
        .collect();
    texts.push(::attrib::generate::generate(600, 3).to_syntax(Syntax::Ron));
    // The full legend is built again for what each keeps, the compact one is the whole view's.
    let options = [Legend::Compact, Legend::Full].map(|legend| Options {
        min: None,
        legend,
        wrap: Some(24),
    });
    for (text, options) in texts
        .iter()
        .flat_map(|t| options.iter().map(move |o| (t, o)))
    {
        let case = ::attrib::load::load(text, Syntax::Ron).unwrap().case;
        let assessment = assess_with(&case, Request::default());
        let whole = figure_with(&case, &assessment, View::Assessment, options);
        let each = whole.per_incident().unwrap();
        assert_eq!(each.len(), case.incidents.len());
        let dot = |f: &::attrib::export::figure::Figure| {
            let mut out = Vec::new();
            write(f, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        for (incident, figure) in &each {
            let focused = whole.clone().focus(Key::Incident(*incident), 1).unwrap();
            assert_eq!(dot(figure), dot(&focused), "{incident:?}");
            assert_eq!(figure.count(), focused.count());
        }
    }
}

/// A figure too small to read on its page is told what to try, but not what was already
/// given: an A3 landscape page with no legend is offered neither a larger page nor
/// `--landscape` nor `--legend none`.
#[test]
#[ignore = "needs graphviz"]
fn the_small_print_warning_offers_only_what_was_not_tried() {
    require_graphviz();
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("c.ron");
    std::fs::write(
        &case,
        ::attrib::generate::generate(200, 7).to_syntax(::attrib::format::Syntax::Ron),
    )
    .unwrap();
    let case = case.to_str().unwrap();
    let (_, _, err) = run(
        &["dot", case, "--view", "evidence", "--page", "a4"],
        &root(),
    );
    assert!(
        err.contains("try --landscape, a larger --page, --legend none, --min or --focus"),
        "{err}"
    );
    let args = [
        "dot",
        case,
        "--view",
        "evidence",
        "--page",
        "a3",
        "--landscape",
        "--legend",
        "none",
    ];
    let (code, _, err) = run(&args, &root());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("under 7 pt; try --min or --focus\n"), "{err}");
    // A --min already given is offered higher.
    let (code, _, err) = run(&[&args[..], &["--min", "likely"]].concat(), &root());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("under 7 pt; try a higher --min or --focus\n"),
        "{err}"
    );
    // Around one node with no hop there is no smaller --depth to offer; such a figure is
    // legible on A4 whatever its legend, and the offer is tested on its own (the unit tests
    // of `cli::commands::dot`).
    let one = [
        "dot", case, "--focus", "i0", "--depth", "0", "--page", "a4", "--legend", "full",
    ];
    let (code, _, err) = run(&one, &root());
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning: at this page size"), "{err}");
}

/// `--focus` takes the node whose id it is before one that goes by it as a name or alias (the
/// source `kremlin`, the spokesman, beside a state with the alias "Kremlin"), and says so.
#[test]
fn focus_prefers_an_exact_id_and_names_the_others() {
    let case = r#"Case(title: "T",
    actors: [Actor(id: "russia", name: "Russia", kind: State, aliases: ["Kremlin"])],
    incidents: [Incident(id: "i", name: "I")],
    sources: [
        Source(id: "kremlin", name: "Kremlin spokesman", kind: Adversary, reliability: E, url: "https://e.org/k"),
        Source(id: "uk", name: "UK", kind: Government, reliability: A, url: "https://e.org/u"),
    ],
    claims: [
        Claim(id: "c1", source: "uk", subject: "i", relation: AttributedTo, object: "russia", likelihood: Icd("almost certain"), wording: "w"),
        Claim(id: "c2", source: "kremlin", subject: "i", relation: AttributedTo, object: "russia", likelihood: Icd("almost no chance"), wording: "w"),
    ])
"#;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("c.ron"), case).unwrap();
    let args = [
        "dot", "c.ron", "--view", "evidence", "--depth", "0", "--focus",
    ];
    let (code, dot, err) = run(&[&args[..], &["kremlin"]].concat(), tmp.path());
    assert_eq!(code, 0, "{err}");
    assert!(dot.contains("\"source:kremlin\" ["), "{dot}");
    assert!(!dot.contains("\"entity:russia\" ["), "{dot}");
    assert!(
        err.contains(
            "drawn around the source `kremlin`; actor `russia` also goes by this name (give its \
             id to focus there)"
        ),
        "{err}"
    );
    // The assessment view draws no source: the state that goes by the name, and the note
    // says where the source is drawn (its id is what was given: "give its id" is no help).
    let (code, dot, err) = run(&["dot", "c.ron", "--focus", "kremlin"], tmp.path());
    assert_eq!(code, 0, "{err}");
    assert!(dot.contains("\"entity:russia\" ["), "{dot}");
    assert!(
        err.contains(
            "drawn around the actor `russia`; source `kremlin` also goes by this name, drawn \
             only in the evidence view (`--view evidence`)"
        ),
        "{err}"
    );
    assert!(!err.contains("give its id"), "{err}");
    // In the evidence view, an actor no claim names is drawn in no view: not sent there.
    let unnamed = r#"Case(title: "T",
    actors: [Actor(id: "russia", name: "Russia", kind: State, aliases: ["Kremlin"]), Actor(id: "x", name: "X", kind: State)],
    incidents: [Incident(id: "i", name: "I")],
    sources: [Source(id: "kremlin", name: "Kremlin press", kind: Government, reliability: C, url: "https://e.org/k")],
    claims: [Claim(id: "c1", source: "kremlin", subject: "i", relation: AttributedTo, object: "x", likelihood: Icd("likely"), wording: "w")])
"#;
    std::fs::write(tmp.path().join("d.ron"), unnamed).unwrap();
    let (code, _, err) = run(
        &["dot", "d.ron", "--view", "evidence", "--focus", "kremlin"],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("actor `russia` also goes by this name, not drawn in this view"),
        "{err}"
    );
    // Its alias written otherwise is no source's id: the state, without a note.
    let (code, dot, err) = run(&[&args[..], &["KREMLIN"]].concat(), tmp.path());
    assert_eq!(code, 0, "{err}");
    assert!(dot.contains("\"entity:russia\" [") && !dot.contains("\"source:kremlin\" ["));
    assert!(!err.contains("note:"), "{err}");
}

/// On a page, moderate confidence is a dashed arrow: no node's outline is dashed (an
/// unidentified actor and a persona have cut corners), and the compact legend says the line
/// styles are the arrows'.
#[test]
#[ignore = "needs graphviz"]
fn on_a_page_no_outline_looks_like_a_confidence() {
    require_graphviz();
    let (code, dot, err) = run(&["dot", "graphs/tutorial.ron", "--page", "a4"], &root());
    assert_eq!(code, 0, "{err}");
    assert!(dot.contains("arrows' confidence: ━ high ╍ moderate ┈ low"));
    for id in ["port-insider", "harbour-lions"] {
        let node = dot
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("\"entity:{id}\" [")))
            .unwrap_or_else(|| panic!("{id} drawn: {dot}"));
        assert!(node.contains("style=\"diagonals\""), "{node}");
    }
    let nodes =
        (dot.lines()).filter(|l| l.trim_start().starts_with("\"entity:") && !l.contains(" -> "));
    for node in nodes {
        let style = node.split("style=\"").nth(1).unwrap_or("");
        assert!(
            !style.starts_with("dashed") && !style.contains(",dashed"),
            "{node}"
        );
    }
}

/// `--incident` draws one incident, as `assess --incident` reports one: its hypotheses, or in
/// the evidence view its claims and their sources; another incident's nodes are not drawn.
#[test]
fn incident_draws_one_incident_in_either_view() {
    let case = "graphs/tutorial.ron";
    let (code, dot, err) = run(&["dot", case, "--incident", "marlin-leak"], &root());
    assert_eq!(code, 0, "{err}");
    assert!(
        dot.contains("\"incident:marlin-leak\" -> \"entity:j-doe\""),
        "{dot}"
    );
    assert!(!dot.contains("\"incident:marlin-outage\""), "{dot}");
    // By its alias, the other incident, and none of the first one's nodes.
    let (code, dot, err) = run(
        &["dot", case, "--incident", "Operation Glass Harbour"],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(dot.contains("\"incident:marlin-outage\" ["), "{dot}");
    assert!(!dot.contains("\"incident:marlin-leak\""), "{dot}");
    let (code, dot, err) = run(
        &[
            "dot",
            case,
            "--view",
            "evidence",
            "--incident",
            "marlin-leak",
        ],
        &root(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        dot.contains("\"source:threat-wiki\" -> \"claim:t15\"")
            && dot.contains("\"claim:t15\" -> \"entity:j-doe\""),
        "{dot}"
    );
    assert!(!dot.contains("\"incident:marlin-outage\""), "{dot}");
    assert!(!dot.contains("\"claim:t1\""), "{dot}");
    // An actor is no incident; --focus and --depth are another way to choose what is drawn.
    let (code, _, err) = run(&["dot", case, "--incident", "j-doe"], &root());
    assert_eq!(code, 2);
    assert!(
        err.contains("--incident j-doe: no incident has this id, name or alias; `j-doe` is an actor or group, not an incident"),
        "{err}"
    );
    for other in [["--focus", "j-doe"], ["--depth", "1"]] {
        let (code, _, err) = run(
            &[&["dot", case, "--incident", "marlin-leak"][..], &other[..]].concat(),
            &root(),
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot be used with"), "{err}");
    }
}

/// A state and `n` agencies part of it, each attributed two incidents by a source of its own
/// (the odd ones "very likely", the even ones "likely"), and the state denied the first by one
/// more.
fn state_with_agencies(n: usize) -> String {
    let mut actors = vec![r#"Actor(id: "st", name: "State", kind: State)"#.to_string()];
    let mut sources =
        vec![r#"Source(id: "deny", name: "Denier", kind: Government, reliability: C)"#.to_string()];
    let mut claims = vec![
        r#"Claim(id: "d", source: "deny", date: "2024-02-01", subject: "i", relation: AttributedTo, object: "st", wording: "w", likelihood: Icd("unlikely"))"#
            .to_string(),
    ];
    for k in 0..n {
        let word = if k % 2 == 1 { "very likely" } else { "likely" };
        actors.push(format!(
            r#"Actor(id: "u{k}", name: "Agency {k}", kind: Agency, part_of: "st")"#
        ));
        sources.push(format!(
            r#"Source(id: "s{k}", name: "Source {k}", kind: Government, reliability: B)"#
        ));
        for i in ["i", "j"] {
            claims.push(format!(
                r#"Claim(id: "c{k}{i}", source: "s{k}", date: "2024-02-01", subject: "{i}", relation: AttributedTo, object: "u{k}", wording: "w", likelihood: Icd("{word}"))"#
            ));
        }
    }
    format!(
        "Case(title: \"Agencies\", as_of: \"2025-01-01\", prior: 0.1,\n actors: [{}],\n \
         incidents: [Incident(id: \"i\", name: \"Incident\", start: \"2024-01-01\"), \
         Incident(id: \"j\", name: \"Other\", start: \"2024-01-01\")],\n \
         sources: [{}],\n claims: [{}])",
        actors.join(",\n"),
        sources.join(",\n"),
        claims.join(",\n")
    )
}

/// An incident's diagram in the report keeps its most probable hypotheses: the first `n` the
/// assessment lists, the actors they judge and the links among them, and says how many it
/// left out; an incident with no more than `n` is drawn whole.
#[test]
fn an_incidents_diagram_keeps_its_most_probable_hypotheses() {
    use ::attrib::assess::{Request, assess_with};
    use ::attrib::export::dot::{Legend, Options, View, figure_with, write};
    use ::attrib::format::Syntax;
    let dot = |f: &::attrib::export::figure::Figure| {
        let mut out = Vec::new();
        write(f, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let options = Options {
        min: None,
        legend: Legend::Compact,
        wrap: Some(24),
    };
    let case = ::attrib::load::load(&state_with_agencies(30), Syntax::Ron)
        .unwrap()
        .case;
    let assessment = assess_with(&case, Request::default());
    let judged = &assessment.incidents[0].hypotheses;
    assert_eq!(judged.len(), 31);
    let whole = figure_with(&case, &assessment, View::Assessment, &options);
    let (_, one) = whole.per_incident().unwrap().remove(0);
    let (kept, shown) = one.clone().most_probable(16);
    assert_eq!((shown.drawn, shown.of), (16, 31));
    let text = dot(&kept);
    let drawn: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"incident:i\" -> \"entity:"))
        .map(|l| l.split('"').next().unwrap())
        .collect();
    let first: Vec<&str> = judged[..16]
        .iter()
        .map(|j| case.entity(j.actor).id.as_str())
        .collect();
    assert_eq!(drawn, first, "{text}");
    // Every agency called "very likely" is more probable than every one called "likely".
    for k in (1..30).step_by(2) {
        assert!(drawn.contains(&format!("u{k}").as_str()), "u{k}: {drawn:?}");
    }
    // Nodes: the incident, sixteen actors and the legend; an actor left out has no node.
    let (nodes, edges) = kept.count();
    assert_eq!(nodes, 1 + 16 + 1, "{text}");
    let parts = drawn.iter().filter(|a| a.starts_with('u')).count();
    let state_drawn = drawn.contains(&"st");
    assert_eq!(
        edges,
        16 + if state_drawn { parts } else { 0 },
        "hypotheses, and the part_of links among the actors drawn: {text}"
    );
    assert!(!text.contains("\"entity:u0\""), "{text}");
    // Drawn whole when it has no more hypotheses than that.
    let (all, shown) = one.clone().most_probable(31);
    assert_eq!((shown.drawn, shown.of), (31, 31));
    assert_eq!(dot(&all), dot(&one));
    // The whole view: each incident keeps its own sixteen.
    let (both, shown) = whole.clone().most_probable(16);
    assert_eq!((shown.drawn, shown.of), (32, 62));
    let text = dot(&both);
    for i in ["i", "j"] {
        let edges = text
            .lines()
            .filter(|l| {
                l.trim()
                    .starts_with(&format!("\"incident:{i}\" -> \"entity:"))
            })
            .count();
        assert_eq!(edges, 16, "{i}: {text}");
    }
    // A focus counts only what it draws: an agency far down both incidents keeps its own
    // hypotheses, and nothing is left out.
    let focused = whole
        .clone()
        .focus(
            ::attrib::export::figure::Key::Entity(case.find_entity("u0").unwrap()),
            1,
        )
        .unwrap();
    let (trimmed, shown) = focused.clone().most_probable(16);
    assert_eq!(shown.drawn, shown.of);
    assert_eq!(dot(&trimmed), dot(&focused));
}

/// The assessment view's legend names a declared part and a claimed link only when the
/// figure draws one: `--min` keeps fewer actors, and the links between those it left out
/// are not drawn.
#[test]
fn the_assessment_legend_lists_the_links_drawn() {
    let legend = |args: &[&str]| {
        let (_, dot, _) = run(args, &root());
        let at = dot.find("\"legend\"").unwrap_or_else(|| panic!("{dot}"));
        dot[at..].lines().next().unwrap().to_string()
    };
    let all = legend(&["dot"]);
    assert!(all.contains(">declared part of</TD>"), "{all}");
    assert!(all.contains(">claimed link: width and style"), "{all}");
    // Iran and DEV-0861 are very likely, and no link joins them.
    let iran = legend(&["dot", "--min", "very likely"]);
    assert!(!iran.contains("declared part of"), "{iran}");
    assert!(!iran.contains("claimed link"), "{iran}");
    assert!(iran.contains(">high confidence</TD>"), "{iran}");
}

/// A PDF was stamped with the time of the run (cairo's `/CreationDate`), so the same case gave
/// a different file each time: it carries the case's information date, and two runs are the
/// same bytes.
#[test]
#[ignore = "needs graphviz"]
fn a_pdf_is_dated_by_the_case_not_the_clock() {
    require_graphviz();
    let tmp = tempfile::tempdir().unwrap();
    let pdf = |name: &str, extra: &[&str]| {
        let out = tmp.path().join(name);
        let mut args = vec!["dot", "graphs/tutorial.ron", "--render", "pdf", "-o"];
        args.push(out.to_str().unwrap());
        args.extend_from_slice(extra);
        let (code, _, err) = run(&args, &root());
        assert_eq!(code, 0, "{err}");
        std::fs::read(out).unwrap()
    };
    let first = pdf("a.pdf", &[]);
    let has = |bytes: &[u8], text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());
    if !has(&first, "/CreationDate (") {
        // cairo 1.17.6 on compresses the information dictionary: its date cannot be rewritten
        // in place (docs/diagrams.md says so).
        eprintln!("the PDF's dates are compressed: not checked");
        return;
    }
    assert!(
        has(&first, "/CreationDate (D:20240630000000"),
        "the case's as_of"
    );
    assert!(first.starts_with(b"%PDF-") && has(&first, "%%EOF"));
    // The what-if's date, when earlier, is the information date.
    let earlier = pdf("b.pdf", &["--as-of", "2024-02-01"]);
    assert!(has(&earlier, "/CreationDate (D:20240201000000"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(pdf("c.pdf", &[]), first, "byte-identical run after run");
}
