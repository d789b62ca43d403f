//! Budgets for parsing and evaluating expressions.
//!
//! Every parser and the evaluator take a [`Limits`]; exceeding one gives a clean "too complex"
//! error instead of a stack overflow, a huge allocation or a hang. The defaults are generous for
//! real manifests (the longest expressions in Argo's examples are about 600 bytes and 12 levels
//! deep) and small enough that a debug build on a 2 MiB thread stack never overflows.

/// Parsing and evaluation budgets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum expression length in bytes.
    pub max_len: usize,
    /// Maximum number of tokens in one expression.
    pub max_tokens: usize,
    /// Maximum height of a syntax tree (a left-nested `1+1+…` chain counts one level per `+`).
    pub max_depth: usize,
    /// Maximum evaluation steps (nodes visited plus elements touched by builtins).
    pub max_steps: u64,
    /// Maximum number of elements in one array or map built during evaluation.
    pub max_items: usize,
    /// Maximum length in bytes of one string built during evaluation.
    pub max_string: usize,
    /// Maximum nesting depth of a value built during evaluation (arrays in arrays…).
    pub max_value_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_len: 8 * 1024,
            max_tokens: 2048,
            max_depth: 100,
            max_steps: 1_000_000,
            max_items: 100_000,
            max_string: 1 << 20,
            max_value_depth: 100,
        }
    }
}
