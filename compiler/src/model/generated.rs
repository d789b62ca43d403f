//! Code generated from Argo's API JSON Schema by `cargo xtask gen-model`: the catalog data
//! (`catalog.rs`) and the typed views (`views.rs`). Never edit the files below this module; change
//! the generator or its override table in `xtask/src/gen_model/overrides.rs` instead.

pub(crate) mod catalog;
pub mod views;
