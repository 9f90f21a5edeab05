//! The floor `check` and `assess` are measured against, as a process: read a JSON case and
//! parse it into the file types with serde_json, nothing else, under the binary's allocator.
//!
//! `cargo run --release --example parse_floor -- case.json` (`scripts/measure-scale.sh`
//! measures it as `floor`).

use attrib::format::CaseFile;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: parse_floor CASE.json");
    let bytes = std::fs::read(&path).expect("readable file");
    let file: CaseFile = serde_json::from_slice(&bytes).expect("a JSON case");
    println!("{} claims", file.claims.len());
}
