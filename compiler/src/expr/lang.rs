//! The expr language as Argo uses it (expr-lang/expr v1.17): tokens, syntax tree, parser.

pub mod ast;
pub mod lexer;
pub mod parser;

pub use ast::{BinaryOp, Expr, ExprKind, TextRange, UnaryOp};
pub use parser::parse;
