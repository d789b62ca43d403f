//! The `bosun` binary: parse the command line, run it, and turn the outcome into an exit code.
//! Everything else lives in the library (`compiler::cli`) so tests can reach it.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use compiler::cli::{self, Args, ExitStatus};

fn main() -> ExitCode {
    // Bad flags print clap's message and exit 2; `--help` and `--version` exit 0.
    let args = Args::parse();
    match cli::run(args) {
        Ok(status) => status.into(),
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "bosun failed");
            for cause in cli::causes(&err) {
                let _ = writeln!(stderr, "  Cause: {cause}");
            }
            ExitStatus::Error.into()
        }
    }
}
