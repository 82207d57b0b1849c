//! The `branchbot` binary: everything happens in [`branchbot::cli`].

fn main() -> std::process::ExitCode {
    branchbot::cli::main()
}
