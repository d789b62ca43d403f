//! Cross-crate tests: the bundled examples and corpora run through every front end
//! (see `tests/*.rs`).
