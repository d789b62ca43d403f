//! Rules reported while recognising what a document is (before any check runs).

pub(crate) mod missing_type_meta;
pub(crate) mod not_a_mapping;
pub(crate) mod unsupported_api_version;
pub(crate) mod unsupported_kind;

use crate::diagnostics::Rule;

/// Every classification rule, sorted by code.
pub(crate) static RULES: &[&Rule] = &[
    &not_a_mapping::RULE,
    &unsupported_kind::RULE,
    &missing_type_meta::RULE,
    &unsupported_api_version::RULE,
];
