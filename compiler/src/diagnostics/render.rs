//! Renderers: one output format per file.
