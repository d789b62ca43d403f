//! The `bosun` command line: typed arguments in, an [`ExitStatus`] out.
//!
//! `main.rs` parses [`Args`], calls [`run`], and maps the result to a process exit code; every
//! subcommand lives in its own file. Diagnostics are results, not failures: a run that finds
//! errors returns `Ok(ExitStatus::Failure)`. [`Error`] is reserved for Bosun being unable to do
//! its job (a missing path, a bad rule selector, an unwritable output). A closed output pipe is
//! neither: the subcommands stop writing and report success, like `grep` and `rg`.

pub mod args;
mod eval;
mod explain;
mod r#gen;
mod graph;
mod lint;
mod metrics;
mod migrate;
mod reverse;
mod rules;

use std::io;
use std::path::PathBuf;

pub use args::Args;
use args::Command;

/// How a run ended, as a process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the failing severity was found (exit 0).
    Success,
    /// Diagnostics at or above the failing severity were found (exit 1).
    Failure,
    /// Bosun could not run (exit 2).
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status.code())
    }
}

/// Why the command line could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Compiler(#[from] crate::error::Error),
    #[error("invalid policy")]
    Policy(#[from] crate::policy::Error),
    #[error("unknown rule `{code}`{}", did_you_mean(.suggestion.as_deref()))]
    UnknownRule {
        code: String,
        suggestion: Option<String>,
    },
    #[error("cannot write `{path}`")]
    Output {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Graph(#[from] crate::graph::BuildError),
    /// The input holds nothing the command works on.
    #[error("{0}")]
    NothingToDo(String),
    #[error("cannot write the report")]
    Write(#[source] io::Error),
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map_or_else(
        || "; `bosun rules` lists every rule".to_string(),
        |s| format!("; did you mean `{s}`?"),
    )
}

/// Runs a parsed command line.
pub fn run(args: Args) -> Result<ExitStatus, Error> {
    match args.command {
        Command::Lint(a) => lint::run(&a),
        Command::Explain(a) => explain::run(&a),
        Command::Rules(a) => rules::run(&a),
        Command::Eval(a) => eval::run(&a),
        Command::Gen(a) => r#gen::run(&a),
        Command::Reverse(a) => reverse::run(&a),
        Command::Metrics(a) => metrics::run(&a),
        Command::Graph(a) => graph::run(&a),
        Command::Migrate(a) => migrate::run(&a),
    }
}

/// Writes `text` to `output`, or to standard output when there is none (a closed pipe is not an
/// error).
pub(crate) fn write_text(output: Option<&std::path::Path>, text: &str) -> Result<(), Error> {
    use std::io::Write;
    match output {
        Some(path) => {
            let failed = |source| Error::Output {
                path: path.to_path_buf(),
                source,
            };
            let mut w = io::BufWriter::new(std::fs::File::create(path).map_err(failed)?);
            w.write_all(text.as_bytes())
                .and_then(|()| w.flush())
                .map_err(failed)
        }
        None => {
            let mut w = io::BufWriter::new(io::stdout().lock());
            ignore_broken_pipe(w.write_all(text.as_bytes()).and_then(|()| w.flush()))
        }
    }
}

/// Treats a closed pipe as the reader having seen enough: success, nothing more to write.
pub(crate) fn ignore_broken_pipe(result: io::Result<()>) -> Result<(), Error> {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Write(e)),
        _ => Ok(()),
    }
}

/// One line per error of the chain: the error itself, then each `source()`.
pub fn causes(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        out.push(e.to_string());
        next = e.source();
    }
    out
}
