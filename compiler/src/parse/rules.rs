//! The rules the loader reports, one per file. They are emitted while reading text, before any
//! check runs, and are listed in the registry like every check's rule.

pub(crate) mod alias_bomb;
pub(crate) mod duplicate_key;
pub(crate) mod input_too_large;
pub(crate) mod invalid_utf8;
pub(crate) mod nesting_too_deep;
pub(crate) mod non_string_key;
pub(crate) mod tab_indentation;
pub(crate) mod yaml_syntax_error;

use crate::diagnostics::Rule;

/// Every loader rule, sorted by code.
pub(crate) static RULES: &[&Rule] = &[
    &yaml_syntax_error::RULE,
    &invalid_utf8::RULE,
    &duplicate_key::RULE,
    &tab_indentation::RULE,
    &alias_bomb::RULE,
    &nesting_too_deep::RULE,
    &input_too_large::RULE,
    &non_string_key::RULE,
];
