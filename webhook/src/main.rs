//! bosun-webhook (placeholder entry point until the webhook issue lands).
fn main() {}
