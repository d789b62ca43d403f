//! Logging setup: tracing with an `EnvFilter`, text or JSON lines on stderr.

use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, TelemetryArgs};

/// Installs the global subscriber. Fails if the filter does not parse.
pub fn init(args: &TelemetryArgs) -> Result<(), String> {
    let filter = EnvFilter::try_new(&args.log).map_err(|e| format!("--log `{}`: {e}", args.log))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match args.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    result.map_err(|e| e.to_string())
}
