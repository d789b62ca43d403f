//! Renderers: one output format per file. Each is a pure function from diagnostics and sources to
//! bytes; none of them decides what is reported.

/// rustc-style text with source excerpts.
pub mod human;
