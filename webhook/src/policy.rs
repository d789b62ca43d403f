//! The admission policy (`--config FILE`): the compiler's [`compiler::policy`], so
//! `bosun lint --config FILE` and the webhook read the same file the same way (severity
//! overrides, exempt namespaces, opt-in rules BP001–BP004 as compiler checks). The webhook adds
//! what only admission does with it: the `references` level of its BW001–BW003 checks and the
//! mutating endpoint's `defaults` (`admission/mutate.rs`).

pub use compiler::policy::{Defaults, Error, Level, Policy, Require, json_schema};

use crate::config;

/// Reads and validates the policy file, as a `--config` flag error.
pub fn load(path: &std::path::Path) -> Result<Policy, config::Error> {
    Policy::load(path).map_err(|e| config::Error::Invalid {
        flag: "config",
        message: compiler::cli::causes(&e).join(": "),
    })
}
