//! `bosun lint`: resolve settings, load, lint, render, and decide the exit status.
//!
//! The report goes to standard output (or `--output`); for the human format a one-line summary
//! goes to standard error, so piping the diagnostics elsewhere keeps the two apart. `--quiet`
//! keeps only the diagnostics that fail the run and drops the summary. The exit status is decided
//! from the full report before anything is written.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::time::{Duration, Instant};

use super::args::{FormatArg, LintArgs};
use super::eval::manifests_of;
use super::metrics::write_preview;
use super::{Error, ExitStatus};
use crate::diagnostics::Counts;
use crate::diagnostics::render::{Format, RenderOptions, render};
use crate::expr::metrics::RunSample;
use crate::lint::{Report, lint};
use crate::load::{load, load_library};
use crate::policy::Policy;

pub(crate) fn run(args: &LintArgs) -> Result<ExitStatus, Error> {
    let started = Instant::now();
    let mut settings = args.settings()?;
    if let Some(path) = &args.config {
        Policy::load(path)?.apply(&mut settings);
    }
    if args.explain_metrics && (args.format != FormatArg::Human || args.output.is_some()) {
        return Err(Error::Compiler(crate::error::Error::Config(
            "`--explain-metrics` needs the human format on standard output".into(),
        )));
    }
    let mut loaded = load(&args.inputs(), &settings.limits)?;
    if !args.templates.is_empty() {
        load_library(&mut loaded, &args.library_inputs(), &settings.limits)?;
    }
    let mut report = lint(&loaded, &settings);
    let fail_on = args.fail_on();
    let failed = report.diagnostics.iter().any(|d| d.severity >= fail_on);
    if args.quiet {
        report.diagnostics.retain(|d| d.severity >= fail_on);
    }

    let format = Format::from(args.format);
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let options = RenderOptions {
        color: args
            .color
            .resolve(to_terminal, std::env::var_os("NO_COLOR").as_deref()),
        fail_on,
    };
    match &args.output {
        Some(path) => {
            let output = |source| Error::Output {
                path: path.clone(),
                source,
            };
            let mut w = BufWriter::new(File::create(path).map_err(output)?);
            render(format, &report, &loaded.sources, &options, &mut w)
                .and_then(|()| w.flush())
                .map_err(output)?;
        }
        None => {
            let mut w = BufWriter::new(io::stdout().lock());
            let written =
                render(format, &report, &loaded.sources, &options, &mut w).and_then(|()| w.flush());
            match written {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitStatus::Success),
                Err(e) => return Err(Error::Write(e)),
                Ok(()) => {}
            }
        }
    }

    if args.explain_metrics {
        let (manifests, _) = manifests_of(&loaded);
        let mut out = BufWriter::new(io::stdout().lock());
        let run = RunSample::default();
        let written = writeln!(out, "\nMetrics preview (sample run):\n")
            .and_then(|()| write_preview(&mut out, &manifests, &run, &Default::default(), None))
            .and_then(|_| out.flush());
        match written {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitStatus::Success),
            Err(e) => return Err(Error::Write(e)),
            // Informational: a metric that needs runtime values does not fail the lint.
            Ok(_) => {}
        }
    }

    if !args.quiet {
        let mut stderr = io::stderr().lock();
        if report.files == 0 {
            let _ = writeln!(
                stderr,
                "warning: no manifests found (directories are searched for *.yaml, *.yml and *.json)"
            );
        }
        if format == Format::Human {
            let _ = writeln!(stderr, "{}", summary(&report, started.elapsed()));
        }
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// `Checked 3 files, 5 documents (4 Argo objects) in 12 ms: 2 errors, 1 warning`.
pub(crate) fn summary(report: &Report, elapsed: Duration) -> String {
    let found = match report.counts() {
        Counts {
            errors: 0,
            warnings: 0,
            infos: 0,
        } => "no problems".to_string(),
        c => [
            (c.errors, "error", "errors"),
            (c.warnings, "warning", "warnings"),
            (c.infos, "info", "info"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect::<Vec<_>>()
        .join(", "),
    };
    format!(
        "Checked {}, {} ({}) in {}: {found}",
        plural(report.files, "file", "files"),
        plural(report.documents, "document", "documents"),
        plural(report.objects, "Argo object", "Argo objects"),
        duration(elapsed),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LintSettings;
    use crate::lint::lint_text;

    #[test]
    fn summary_counts_what_was_read_and_found() {
        let (_, mut report) = lint_text(
            "wf.yaml",
            "kind: Workflow\nkind: Workflow\napiVersion: argoproj.io/v1alpha1\nmetadata: {name: a}\nspec: {}\n---\nkind: ConfigMap\n",
            &LintSettings::default(),
        );
        assert_eq!(
            summary(&report, Duration::from_millis(12)),
            // The error: `spec: {}` has no entrypoint (AW211).
            "Checked 1 file, 2 documents (1 Argo object) in 12 ms: 1 error, 1 warning, 1 info"
        );
        report.diagnostics.clear();
        report.files = 3;
        assert_eq!(
            summary(&report, Duration::from_millis(1500)),
            "Checked 3 files, 2 documents (1 Argo object) in 1.50 s: no problems"
        );
    }
}
