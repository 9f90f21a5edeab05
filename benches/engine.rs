//! Benchmarks at 10^3, 10^4 and 10^5 claims (10^6 with ATTRIB_BENCH_LARGE=1): the bare serde
//! parse of the JSON file as the floor, load + validate, assess, explain with sensitivity for
//! one hypothesis, and DOT export. Numbers are recorded in docs/performance.md.

use attrib::assess::{Request, Scenario, SensitivityFor, assess, assess_with};
use attrib::export::dot::{View, figure, write};
use attrib::format::{CaseFile, Syntax};
use attrib::generate::generate;
use attrib::load::load;
use attrib::model::Statement;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
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

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("attrib");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for n in sizes() {
        let json = generate(n, 1).to_json();
        let loaded = load(&json, Syntax::Json).expect("generated cases are valid");
        let case = loaded.case;
        group.throughput(Throughput::Elements(n as u64));

        group.bench_with_input(BenchmarkId::new("serde_parse", n), &json, |b, json| {
            b.iter(|| black_box(serde_json::from_str::<CaseFile>(json).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("load_validate", n), &json, |b, json| {
            b.iter(|| black_box(load(json, Syntax::Json).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("assess", n), &case, |b, case| {
            b.iter(|| black_box(assess(case, Scenario::default()).incidents.len()))
        });
        // Sensitivity of the leading hypothesis of the incident with the most claims.
        let assessment = assess(&case, Scenario::default());
        let biggest = case
            .incident_ids()
            .max_by_key(|&i| {
                case.claims
                    .iter()
                    .filter(|c| match c.statement {
                        Statement::Responsible { incident, .. }
                        | Statement::Condemns { incident } => incident == i,
                        _ => false,
                    })
                    .count()
            })
            .expect("incidents");
        let top = assessment
            .incidents
            .iter()
            .find(|ia| ia.incident == biggest)
            .and_then(|ia| ia.hypotheses.first())
            .expect("a hypothesis")
            .actor;
        group.bench_function(BenchmarkId::new("explain_sensitivity", n), |b| {
            b.iter(|| {
                let request = Request {
                    incident: Some(biggest),
                    actor: Some(top),
                    sensitivity: SensitivityFor::Actor(top),
                    ..Request::default()
                };
                let assessed = assess_with(&case, request);
                black_box(assessed.incidents[0].hypotheses.len())
            })
        });
        group.bench_function(BenchmarkId::new("dot_evidence_view", n), |b| {
            b.iter(|| {
                let mut out = Vec::new();
                write(&figure(&case, &assessment, View::Evidence, None), &mut out).unwrap();
                black_box(out.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
