//! Operational failures of the compiler: Bosun itself could not run (unreadable path, bad
//! configuration). Problems *in* the input are never errors; they are diagnostics.

use std::path::PathBuf;

/// Why Bosun could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{path}`")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{0}` does not exist")]
    NotFound(PathBuf),
    #[error("cannot read standard input")]
    Stdin(#[source] std::io::Error),
    #[error("invalid configuration: {0}")]
    Config(String),
}
