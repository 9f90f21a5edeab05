//! The `attrib` binary: argument parsing and exit codes live in [`attrib::cli`].

fn main() -> std::process::ExitCode {
    attrib::cli::main()
}
