//! The `attrib` binary: the command line over the `attrib` library.
//!
//! Everything that touches the outside world lives here, in [`cli`]: argument parsing, files,
//! standard streams, colour, the Graphviz subprocess, progress and exit codes. The library
//! stays free of all of them (and of their dependencies).

mod cli;

// Loading a large case allocates millions of small strings; mimalloc does that markedly faster
// than the system allocator (docs/performance.md). Chosen by the binary only, so that a program
// using attrib as a library keeps its own allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
