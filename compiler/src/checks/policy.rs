//! The policy's opt-in rules (BP001–BP004): off unless the policy file's `require` (or
//! `--select BP00N`) switches them on, so `bosun lint --config` and the admission webhook
//! enforce the same organisation rules. See [`crate::policy`].

pub(crate) mod require_active_deadline;
pub(crate) mod require_resource_requests;
pub(crate) mod require_retry_strategy;
pub(crate) mod unpinned_image;
