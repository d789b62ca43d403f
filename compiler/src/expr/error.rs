//! The error type shared by the expression parsers and the evaluator.

use std::fmt;

use super::lang::ast::TextRange;

/// What went wrong, coarsely: callers decide severity and Argo parity from the kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The text does not parse.
    Syntax,
    /// A parse or evaluation budget was exceeded.
    TooComplex,
    /// expr would reject the program at compile time (statically known type mismatch, unknown
    /// function, wrong arity).
    Compile,
    /// An identifier or path the environment does not have (`x is missing`).
    Missing,
    /// Evaluation failed (type error, index out of range, division by zero, a Go panic…).
    Runtime,
    /// A function Bosun knows but deliberately does not evaluate (random, network, crypto keys).
    Unsupported,
}

/// An error with its range in the expression text.
#[derive(Clone, Debug, PartialEq)]
pub struct ExprError {
    pub kind: ErrorKind,
    pub message: String,
    pub range: TextRange,
}

impl ExprError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, range: TextRange) -> Self {
        ExprError {
            kind,
            message: message.into(),
            range,
        }
    }

    pub fn runtime(message: impl Into<String>, range: TextRange) -> Self {
        ExprError::new(ErrorKind::Runtime, message, range)
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.range.start)
    }
}

impl std::error::Error for ExprError {}
