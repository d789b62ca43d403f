//! Cross-crate tests: the bundled examples and corpora run through every front end
//! (see `tests/*.rs`), the bad-input catalogue over the CLI and the webhook, and the fuzz
//! target bodies ([`fuzz`]) shared with the cargo-fuzz crate in `fuzz/`.

pub mod fuzz;
