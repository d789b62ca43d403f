//! `bosun metrics PATH…` (and `bosun lint --explain-metrics`): the Prometheus series each
//! manifest's `metrics.prometheus` entries would emit for a sample run, so label values can be
//! checked against dashboards before deploying.
//!
//! Standard output is Prometheus text format: a comment line per manifest and per metric group,
//! then `# HELP`/`# TYPE` and the series of every emitted metric; a metric whose `when` is false
//! is a `# NOT EMITTED` comment and one that Argo could not emit an `# ERROR` comment. A summary
//! goes to standard error. Exit 1 when some metric would fail to emit.

use std::io::{self, BufWriter, Write};

use super::args::MetricsArgs;
use super::eval::{Manifest, apply_overrides, read_manifests};
use super::{Error, ExitStatus, ignore_broken_pipe};
use crate::expr::metrics::{MetricType, Outcome, RunSample, preview};
use crate::expr::{Bindings, Limits, sample};
use crate::load::Input;

/// What a preview found.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub emitted: usize,
    pub skipped: usize,
    pub failed: usize,
}

impl Tally {
    pub(crate) fn summary(&self) -> String {
        format!(
            "{} emitted, {} not emitted (`when` false), {} failed",
            self.emitted, self.skipped, self.failed
        )
    }
}

/// Writes the preview of every manifest that has metrics.
pub(crate) fn write_preview(
    out: &mut dyn Write,
    manifests: &[Manifest],
    run: &RunSample,
    overrides: &Bindings,
    only: Option<&str>,
) -> io::Result<Tally> {
    let limits = Limits::default();
    let mut tally = Tally::default();
    for m in manifests {
        let groups = preview(&m.root, m.kind, run, overrides, only, &limits);
        if groups.is_empty() {
            continue;
        }
        let name = match overrides.get("workflow.name") {
            Some(Some(n)) => n.clone(),
            _ => sample::workflow_name(&m.root, m.kind),
        };
        writeln!(
            out,
            "# {}: sample run `{name}`, status {}, duration {}s",
            m.label,
            run.status,
            crate::expr::format::go_float(run.duration)
        )?;
        for g in groups {
            writeln!(out, "\n# {} metrics ({})", g.title, g.pointer)?;
            for o in g.outcomes {
                match o {
                    Outcome::Emitted(s) => {
                        tally.emitted += 1;
                        if s.kind == (MetricType::Gauge { realtime: true }) {
                            writeln!(out, "# realtime: the value follows the running duration")?;
                        }
                        out.write_all(s.exposition().as_bytes())?;
                    }
                    Outcome::Skipped { name, when } => {
                        tally.skipped += 1;
                        writeln!(out, "# NOT EMITTED {name}: when `{when}` is false")?;
                    }
                    Outcome::Failed { name, message } => {
                        tally.failed += 1;
                        writeln!(out, "# ERROR {name}: {message}")?;
                    }
                }
            }
        }
        writeln!(out)?;
    }
    Ok(tally)
}

pub(crate) fn run(args: &MetricsArgs) -> Result<ExitStatus, Error> {
    let mut overrides = Bindings::new();
    apply_overrides(&mut overrides, &args.set_json, &args.set)?;
    let inputs: Vec<Input> = args.paths.iter().map(|p| Input::from_arg(p)).collect();
    let (manifests, unreadable) = read_manifests(&inputs)?;
    let run = RunSample {
        status: args.status.clone(),
        duration: args.duration,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let written = write_preview(
        &mut out,
        &manifests,
        &run,
        &overrides,
        args.template.as_deref(),
    )
    .and_then(|t| out.flush().map(|()| t));
    let tally = match written {
        Ok(t) => t,
        Err(e) => return ignore_broken_pipe(Err(e)).map(|()| ExitStatus::Success),
    };
    let mut stderr = io::stderr().lock();
    if unreadable > 0 {
        let _ = writeln!(
            stderr,
            "warning: {unreadable} problem(s) reading the manifests; `bosun lint` shows them"
        );
    }
    if tally == Tally::default() {
        let _ = writeln!(stderr, "no metrics found");
    } else {
        let _ = writeln!(stderr, "Metrics: {}", tally.summary());
    }
    Ok(if tally.failed > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
