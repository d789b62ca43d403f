//! Lifecycle hook checks (AW217).

pub(crate) mod missing_hook_expression;
