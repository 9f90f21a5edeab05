//! Every stage at 10^3, 10^4 and 10^5 claims (10^6 with ATTRIB_BENCH_LARGE=1): the bare serde
//! parse of the JSON file (the floor), load (parse + validate), propagation and judgements,
//! sensitivity, each renderer over a held assessment (table, Markdown, JSON, explain, both DOT
//! views), STIX export and STIX import; and, in the `hub` group, sensitivity and the STIX
//! export and import of one source's 10^3 to 4·10^4 claims on one hypothesis; in the `fan_out`
//! group, a state with 10^3 to 1.6·10^4 agencies, each attributed the incident by a source of
//! its own, and the state denied by another, and one source's as many claims of agencies'
//! links to a state. Numbers are recorded in
//! docs/performance.md, which also says why wall time is noisy on shared machines.

use attrib::assess::{Request, Scenario, SensitivityFor, assess, assess_with};
use attrib::export::dot::{View, figure, write};
use attrib::format::{CaseFile, Syntax};
use attrib::generate::generate;
use attrib::load::{load, parse};
use attrib::model::Statement;
use attrib::report;
use attrib::stix;
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use std::cell::OnceCell;
use std::hint::black_box;
use std::time::Duration;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sizes() -> Vec<usize> {
    let mut s = vec![1_000, 10_000, 100_000];
    if std::env::var_os("ATTRIB_BENCH_LARGE").is_some() {
        s.push(1_000_000);
    }
    s
}

/// Every judgement of `case` with its sensitivity table, as `assess --format json` makes them.
fn with_sensitivity(case: &attrib::model::Case) -> attrib::assess::Assessment {
    assess_with(
        case,
        Request {
            sensitivity: SensitivityFor::All,
            ..Request::default()
        },
    )
}

/// Runs a renderer into a byte count (the output itself is thrown away).
fn bytes(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> usize {
    let mut out = Vec::new();
    render(&mut out).expect("rendering into memory cannot fail");
    out.len()
}

/// A benchmark group as every group here is measured: ten samples of five seconds.
fn group<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group
}

fn bench(c: &mut Criterion) {
    let mut group = group(c, "attrib");
    for n in sizes() {
        let json = generate(n, 7).to_json();
        let loaded = load(&json, Syntax::Json).expect("generated cases are valid");
        let (case, file) = (loaded.case, loaded.file);
        group.throughput(Throughput::Elements(n as u64));

        group.bench_with_input(
            BenchmarkId::new("parse_serde_floor", n),
            &json,
            |b, json| b.iter(|| black_box(serde_json::from_str::<CaseFile>(json).unwrap())),
        );
        group.bench_with_input(BenchmarkId::new("parse", n), &json, |b, json| {
            b.iter(|| black_box(parse(json, Syntax::Json).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("load_validate", n), &json, |b, json| {
            b.iter(|| black_box(load(json, Syntax::Json).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("propagate_assess", n), &case, |b, case| {
            b.iter(|| black_box(assess(case, Scenario::default()).incidents.len()))
        });
        group.bench_with_input(BenchmarkId::new("sensitivity_all", n), &case, |b, case| {
            b.iter(|| black_box(with_sensitivity(case).incidents.len()))
        });

        // Renderers over held assessments, so that they measure writing only. The assessment
        // with sensitivity and the STIX bundle are made on first use, so that a filtered run
        // (`cargo bench --bench engine -- parse`) does not pay for them.
        let plain_cell = OnceCell::new();
        let plain = || plain_cell.get_or_init(|| assess(&case, Scenario::default()));
        let full_cell = OnceCell::new();
        let full = || full_cell.get_or_init(|| with_sensitivity(&case));
        group.bench_function(BenchmarkId::new("render_table", n), |b| {
            b.iter(|| bytes(|w| report::table::render(&case, plain(), Default::default(), w)))
        });
        group.bench_function(BenchmarkId::new("render_markdown", n), |b| {
            b.iter(|| bytes(|w| report::markdown::render(&case, full(), w)))
        });
        group.bench_function(BenchmarkId::new("render_json", n), |b| {
            b.iter(|| bytes(|w| report::json::render(&case, full(), w)))
        });
        // Explain with sensitivity for the leading hypothesis of the incident with the most
        // claims.
        let mut claims_on = vec![0usize; case.incidents.len()];
        for c in &case.claims {
            if let Statement::Responsible { incident, .. } | Statement::Condemns { incident } =
                c.statement
            {
                claims_on[incident.index()] += 1;
            }
        }
        let biggest = case
            .incident_ids()
            .max_by_key(|i| claims_on[i.index()])
            .expect("incidents");
        let top_cell = OnceCell::new();
        let top = || {
            *top_cell.get_or_init(|| {
                plain()
                    .incidents
                    .iter()
                    .find(|ia| ia.incident == biggest)
                    .and_then(|ia| ia.hypotheses.first())
                    .expect("a hypothesis")
                    .actor
            })
        };
        group.bench_function(BenchmarkId::new("explain_sensitivity", n), |b| {
            let top = top();
            b.iter(|| {
                let request = Request {
                    incident: Some(biggest),
                    actor: Some(top),
                    sensitivity: SensitivityFor::Actor(top),
                    ..Request::default()
                };
                let assessed = assess_with(&case, request);
                bytes(|w| report::explain::render(&case, &assessed, top, None, w))
            })
        });
        for (name, view) in [
            ("dot_assessment_view", View::Assessment),
            ("dot_evidence_view", View::Evidence),
        ] {
            group.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| bytes(|w| write(&figure(&case, plain(), view, None), w)))
            });
        }
        let options = stix::export::ExportOptions::default();
        group.bench_function(BenchmarkId::new("stix_export", n), |b| {
            b.iter(|| bytes(|w| stix::export::export(&file, &case, plain(), &options, w)))
        });
        let bundle_cell = OnceCell::new();
        let bundle = || {
            bundle_cell.get_or_init(|| {
                let mut bundle = Vec::new();
                stix::export::export(&file, &case, plain(), &options, &mut bundle)
                    .expect("in memory");
                String::from_utf8(bundle).expect("JSON is UTF-8")
            })
        };
        let import = stix::import::ImportOptions {
            reliability: attrib::terms::Grade::C,
            title: "bench".into(),
            confidence: Default::default(),
            case: None,
        };
        group.bench_function(BenchmarkId::new("stix_import", n), |b| {
            b.iter(|| black_box(stix::import::import(bundle(), &import).is_ok()))
        });
    }
    group.finish();
    hub(c);
    fan_out(c);
}

/// One source making every claim on one hypothesis, its likelihoods spread from denial to
/// certainty: the shape of a feed imported whole (a vendor's thousands of sightings), where a
/// removal that retook a family's line over every share, or a denial that listed every
/// relationship it disagrees with, made sensitivity and the STIX export grow with the square
/// of the claims.
fn hub(c: &mut Criterion) {
    let mut group = group(c, "hub");
    for n in [1_000, 10_000, 40_000] {
        let mut ron = String::from(
            "Case(title: \"Hub\", as_of: \"2024-01-01\",\n\
             actors: [Actor(id: \"st\", name: \"State\", kind: State)],\n\
             groups: [Group(id: \"g\", name: \"Group\")],\n\
             incidents: [Incident(id: \"i\", name: \"Incident\")],\n\
             sources: [Source(id: \"feed\", name: \"Feed\", kind: Vendor, reliability: B, \
             url: \"https://example.org/\")],\nclaims: [\n\
             Claim(id: \"link\", source: \"feed\", subject: \"g\", relation: SponsoredBy, \
             object: \"st\", likelihood: Icd(\"likely\")),\n",
        );
        for k in 0..n {
            ron.push_str(&format!(
                "Claim(id: \"c{k}\", source: \"feed\", subject: \"i\", relation: AttributedTo, \
                 object: \"g\", likelihood: Stix({})),\n",
                k % 101
            ));
        }
        ron.push_str("])\n");
        let loaded = load(&ron, Syntax::Ron).expect("the hub case is valid");
        let (case, file) = (loaded.case, loaded.file);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("sensitivity_all", n), &case, |b, case| {
            b.iter(|| black_box(with_sensitivity(case).incidents.len()))
        });
        let plain = assess(&case, Scenario::default());
        let options = stix::export::ExportOptions::default();
        group.bench_function(BenchmarkId::new("stix_export", n), |b| {
            b.iter(|| bytes(|w| stix::export::export(&file, &case, &plain, &options, w)))
        });
        let mut bundle = Vec::new();
        stix::export::export(&file, &case, &plain, &options, &mut bundle).expect("in memory");
        let bundle = String::from_utf8(bundle).expect("JSON is UTF-8");
        let import = stix::import::ImportOptions {
            reliability: attrib::terms::Grade::C,
            title: "hub".into(),
            confidence: Default::default(),
            case: None,
        };
        group.bench_function(BenchmarkId::new("stix_import", n), |b| {
            b.iter(|| black_box(stix::import::import(&bundle, &import).is_ok()))
        });
    }
    group.finish();
}

/// A whole with thousands of parts, each with a line of support of its own, and opposition to
/// the whole that passes down to every part: where passing the whole's every line down each
/// link, and walking from every part through all the whole's contributions, made propagation
/// and the reports grow with the square of the parts.
fn fan_out(c: &mut Criterion) {
    let mut group = group(c, "fan_out");
    for n in [1_000, 4_000, 16_000] {
        let mut actors = String::from("Actor(id: \"st\", name: \"State\", kind: State),\n");
        let mut sources = String::from(
            "Source(id: \"d\", name: \"Denier\", kind: Government, reliability: B),\n",
        );
        let mut claims = String::from(
            "Claim(id: \"deny\", source: \"d\", subject: \"i\", relation: AttributedTo, \
             object: \"st\", likelihood: Icd(\"unlikely\")),\n",
        );
        for k in 0..n {
            actors.push_str(&format!(
                "Actor(id: \"a{k}\", name: \"Agency {k}\", kind: Agency, part_of: \"st\"),\n"
            ));
            sources.push_str(&format!(
                "Source(id: \"s{k}\", name: \"Source {k}\", kind: Vendor, reliability: B),\n"
            ));
            claims.push_str(&format!(
                "Claim(id: \"c{k}\", source: \"s{k}\", subject: \"i\", relation: AttributedTo, \
                 object: \"a{k}\", likelihood: Icd(\"likely\")),\n"
            ));
        }
        let ron = format!(
            "Case(title: \"Fan-out\", as_of: \"2024-01-01\", actors: [{actors}], \
             incidents: [Incident(id: \"i\", name: \"Incident\")], sources: [{sources}], \
             claims: [{claims}])\n"
        );
        let case = load(&ron, Syntax::Ron)
            .expect("the fan-out case is valid")
            .case;
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("propagate_assess", n), &case, |b, case| {
            b.iter(|| black_box(assess(case, Scenario::default()).incidents.len()))
        });
        group.bench_with_input(BenchmarkId::new("sensitivity_all", n), &case, |b, case| {
            b.iter(|| black_box(with_sensitivity(case).incidents.len()))
        });
        // Made on first use, so that a filtered run does not pay for it.
        let full_cell = OnceCell::new();
        let full = || full_cell.get_or_init(|| with_sensitivity(&case));
        group.bench_function(BenchmarkId::new("render_markdown", n), |b| {
            b.iter(|| bytes(|w| report::markdown::render(&case, full(), w)))
        });
        // One source's n claims that agencies belong to the state, and incidents on a few of
        // the agencies: setting the source aside changes n beliefs, and a replay that looked
        // through all of them at each actor it reached grew with their square.
        let mut actors = String::from("Actor(id: \"st\", name: \"State\", kind: State),\n");
        let mut claims = String::new();
        for k in 0..n {
            actors.push_str(&format!(
                "Actor(id: \"a{k}\", name: \"Agency {k}\", kind: Agency),\n"
            ));
            claims.push_str(&format!(
                "Claim(id: \"l{k}\", source: \"feed\", subject: \"a{k}\", \
                 relation: SubordinateOf, object: \"st\", likelihood: Icd(\"likely\")),\n"
            ));
        }
        let mut incidents = String::new();
        for k in 0..20 {
            incidents.push_str(&format!(
                "Incident(id: \"i{k}\", name: \"Incident {k}\"),\n"
            ));
            claims.push_str(&format!(
                "Claim(id: \"c{k}\", source: \"gov\", subject: \"i{k}\", relation: AttributedTo, \
                 object: \"a{k}\", likelihood: Icd(\"likely\")),\n"
            ));
        }
        let ron = format!(
            "Case(title: \"Links\", as_of: \"2024-01-01\", actors: [{actors}], \
             incidents: [{incidents}], sources: [\
             Source(id: \"feed\", name: \"Feed\", kind: Vendor, reliability: B), \
             Source(id: \"gov\", name: \"Government\", kind: Government, reliability: B)], \
             claims: [{claims}])\n"
        );
        let case = load(&ron, Syntax::Ron)
            .expect("the many-links case is valid")
            .case;
        group.bench_with_input(
            BenchmarkId::new("links_sensitivity_all", n),
            &case,
            |b, case| b.iter(|| black_box(with_sensitivity(case).incidents.len())),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
