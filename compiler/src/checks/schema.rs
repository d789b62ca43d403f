//! Structural checks: every Argo object is walked against the catalog generated from Argo's API
//! schema (with Bosun's overrides), reporting unknown fields, wrong types, missing required
//! fields, invalid enum values, quantities and durations (AW101–AW106).
//!
//! One walker ([`walk`]) reports all six rules in a single pass; each rule's file holds its docs
//! and diagnostic constructor. The format parsers live in [`quantity`] and [`duration`].

pub(crate) mod duration;
mod invalid_duration;
mod invalid_enum_value;
mod invalid_quantity;
mod missing_required_field;
mod quantity;
mod unknown_field;
mod walk;
mod wrong_type;

use crate::diagnostics::Rule;

/// The rules of the structural check, sorted by code.
pub(crate) static RULES: &[&Rule] = &[
    &unknown_field::RULE,
    &wrong_type::RULE,
    &missing_required_field::RULE,
    &invalid_enum_value::RULE,
    &invalid_quantity::RULE,
    &invalid_duration::RULE,
];

pub(crate) use walk::check_object as run;
pub(crate) use walk::has_template_tag;

#[cfg(test)]
mod tests;
