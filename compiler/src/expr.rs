//! Argo's expression languages: template tags, expr (`{{= }}` and `expression:` fields),
//! govaluate (`when:`), `depends:`, loops, and the sprig library, with Go-faithful evaluation.
//!
//! The entry points are [`tags::tokenize`] (split a field value into text and tags),
//! [`lang::parse`] + [`evaluate`] (expr), [`template::substitute`] (Argo's tag replacement with
//! its strict/lenient modes), [`when::evaluate`], [`depends::parse`] / [`depends::evaluate`],
//! [`sequence::expand`] and [`check::check`] (static analysis against a caller-provided scope).
//! Every parser and the evaluator take [`Limits`]; nothing here panics or recurses without a
//! bound on malformed input.

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
pub(crate) mod ops;
mod predicates;
pub mod refs;
pub mod regex_go;
pub mod sequence;
pub mod span;
pub mod sprig;
pub mod tags;
pub mod template;
pub mod time;
pub mod value;
pub mod when;

pub use env::{Bindings, Env};
pub use error::{ErrorKind, ExprError};
pub use eval::evaluate;
pub use lang::{Expr, TextRange, parse};
pub use limits::Limits;
pub use value::Value;
