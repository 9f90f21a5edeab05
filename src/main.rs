//! The `attrib` binary: argument parsing and exit codes live in [`attrib::cli`].

// Loading a large case allocates millions of small strings; mimalloc does that markedly faster
// than the system allocator (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    attrib::cli::main()
}
