//! Argo's expression languages: template tags, expr (`{{= }}` and `expression:` fields),
//! govaluate (`when:`), `depends:`, loops, and the sprig library, with Go-faithful evaluation.
//!
//! The entry points are [`tags::tokenize`] (split a field value into text and tags),
//! [`lang::parse`] + [`evaluate`] (expr), [`template::substitute`] (Argo's tag replacement with
//! its strict/lenient modes), [`when::evaluate`], [`depends::parse`] / [`depends::evaluate`],
//! [`sequence::expand`] and [`check::check`] (static analysis against a caller-provided scope).
//! [`vars`] flattens structured values into Argo's variable map, [`sample`] builds the variables
//! of a sample run of a manifest and [`metrics`] previews the Prometheus series it would emit.
//! Every parser and the evaluator take [`Limits`]; nothing here panics or recurses without a
//! bound on malformed input. At the default limits the deepest accepted trees parse and
//! evaluate in 512 KiB of stack in a debug build (256 KiB in release).
//!
//! Known differences from Argo's Go libraries (all vectors of the spec's §7 match):
//! - the clock is [`Env::now`] (the Unix epoch unless the caller sets it) and "Local" is UTC;
//! - `keys()`/`values()` are sorted where Go's map order is random;
//! - strings are UTF-8: byte slicing that splits a code point yields U+FFFD immediately (Go
//!   keeps the raw bytes until JSON output replaces them);
//! - expr's compile-time errors are reproduced for literal operand types and unknown functions,
//!   but not for top-level variables compared with another type (`retries == 1` is `false`
//!   here, a compile error upstream; the static checks warn) nor `'abc'[0]` on a literal;
//! - not supported: byte literals `b"…"`, Artifact objects (`fromExpression`), sprig's random,
//!   network and key functions (known to the checks, refused by the evaluator);
//! - xstrings case conversions, semver constraints and JSONPath cover the common forms only.

pub mod builtins;
pub mod check;
pub(crate) mod conv;
pub mod depends;
pub mod env;
pub mod error;
pub mod eval;
pub mod format;
pub mod jsonpath;
mod jsonpath_filter;
pub mod lang;
mod limits;
pub mod metrics;
pub(crate) mod ops;
mod predicates;
pub mod refs;
pub mod regex_go;
pub mod sample;
pub mod sequence;
pub mod span;
pub mod sprig;
pub mod tags;
pub mod template;
pub mod time;
pub mod value;
pub mod vars;
pub mod when;

pub use env::{Bindings, Env};
pub use error::{ErrorKind, ExprError};
pub use eval::evaluate;
pub use lang::{Expr, TextRange, parse};
pub use limits::Limits;
pub use value::Value;
