//! `bosun gen DAGFILE [TEMPLATE]`: generate a manifest from a dagg DAG file and check it.
//!
//! With TEMPLATE, the Go template is rendered over the DAG file as dagg does; without, Bosun
//! compiles the DAG file itself (CronWorkflow, Workflow or WorkflowTemplate). The manifest goes
//! to standard output or `-o FILE`; diagnostics (the DAG file's, the template's, and the
//! generated manifest's, moved to DAG-file lines where they come from one) go to standard error
//! or `--report FILE`, in any `--format`. A manifest with errors is not written unless
//! `--keep-invalid`. Exit 0 when clean, 1 when diagnostics fail the run, 2 when Bosun could not
//! run (an unreadable file, an unwritable output).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args as ClapArgs, ValueEnum};

use super::args::{ColorChoice, FormatArg};
use super::{Error, ExitStatus};
use crate::config::LintSettings;
use crate::dagg::compile::{CompileOptions, ManifestKind};
use crate::dagg::generate::{Generated, Mode, Request, generate};
use crate::dagg::template;
use crate::diagnostics::Severity;
use crate::diagnostics::render::{Format, RenderOptions, render};
use crate::load::{Input, Loaded, load};
use crate::parse::Limits;

/// `--kind` of `bosun gen`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Workflow,
    Workflowtemplate,
    Cronworkflow,
}

#[derive(Debug, ClapArgs)]
pub struct GenArgs {
    /// The DAG file (dagg's YAML: `name`, `option`, `jobs`); `-` reads standard input.
    #[arg(value_name = "DAGFILE")]
    pub dag: String,

    /// A Go text/template rendered over the DAG file, as dagg does. Without it, Bosun compiles
    /// the DAG file into a CronWorkflow (with a `schedule` option) or a Workflow.
    #[arg(value_name = "TEMPLATE")]
    pub template: Option<PathBuf>,

    /// Write the manifest to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Format of the diagnostics.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,

    /// Write the diagnostics to this file instead of standard error.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Fail (exit 1) on warnings as well as errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Write the manifest even when it has errors.
    #[arg(long)]
    pub keep_invalid: bool,

    /// When to colour the human diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// The kind to generate [default: cronworkflow with a `schedule` option, else workflow].
    #[arg(
        long,
        value_enum,
        conflicts_with = "template",
        help_heading = "Without a template"
    )]
    pub kind: Option<KindArg>,

    /// Image registry (`registry.example.com/team`); overrides the DAG file's `registry` option.
    #[arg(
        long,
        value_name = "REGISTRY",
        conflicts_with = "template",
        help_heading = "Without a template"
    )]
    pub registry: Option<String>,

    /// Image tag; overrides the `tag` option [default: latest].
    #[arg(
        long,
        value_name = "TAG",
        conflicts_with = "template",
        help_heading = "Without a template"
    )]
    pub tag: Option<String>,

    /// Name of the per-repo Secret mounted with `envFrom`; `{repo}` is the job's repo.
    #[arg(
        long,
        value_name = "PATTERN",
        default_value = "{repo}.dotenv",
        conflicts_with = "template",
        help_heading = "Without a template"
    )]
    pub secret_pattern: String,

    /// Set the workflow's `activeDeadlineSeconds`.
    #[arg(
        long,
        value_name = "SECONDS",
        conflicts_with = "template",
        help_heading = "Without a template"
    )]
    pub active_deadline_seconds: Option<u64>,

    /// Set the workflow's default `retryStrategy.limit`.
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "template",
        help_heading = "Without a template"
    )]
    pub retry_limit: Option<u32>,

    /// Set `ttlStrategy.secondsAfterCompletion`.
    #[arg(
        long,
        value_name = "SECONDS",
        conflicts_with = "template",
        help_heading = "Without a template"
    )]
    pub ttl_seconds_after_finished: Option<u64>,
}

impl GenArgs {
    /// The compiler options of the flags.
    pub fn compile_options(&self) -> CompileOptions {
        CompileOptions {
            kind: self.kind.map(|k| match k {
                KindArg::Workflow => ManifestKind::Workflow,
                KindArg::Workflowtemplate => ManifestKind::WorkflowTemplate,
                KindArg::Cronworkflow => ManifestKind::CronWorkflow,
            }),
            registry: self.registry.clone(),
            tag: self.tag.clone(),
            secret_pattern: self.secret_pattern.clone(),
            active_deadline_seconds: self.active_deadline_seconds,
            retry_limit: self.retry_limit,
            ttl_seconds_after_finished: self.ttl_seconds_after_finished,
        }
    }

    fn fail_on(&self) -> Severity {
        if self.deny_warnings {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

/// Reads one input as text; a file that is not UTF-8 or too large comes back as diagnostics.
pub(crate) fn read_input(
    arg: &str,
    limits: &Limits,
) -> Result<Result<(String, String), Loaded>, Error> {
    let loaded = load(&[Input::from_arg(arg)], limits)?;
    if !loaded.unparsable.is_empty() {
        return Ok(Err(loaded));
    }
    let file = loaded
        .sources
        .files()
        .first()
        .map(|f| (f.name().to_string(), f.text().to_string()))
        .unwrap_or_default();
    Ok(Ok(file))
}

pub(crate) fn run(args: &GenArgs) -> Result<ExitStatus, Error> {
    let lint = LintSettings::default();
    let (dag_name, dag_text) = match read_input(&args.dag, &lint.limits)? {
        Ok(f) => f,
        Err(loaded) => return report_unreadable(args, &loaded),
    };
    let mode = match &args.template {
        Some(path) => match read_input(&path.display().to_string(), &lint.limits)? {
            Ok((name, text)) => Mode::Template { name, text },
            Err(loaded) => return report_unreadable(args, &loaded),
        },
        None => Mode::Compile(args.compile_options()),
    };
    let output_name = args
        .output
        .as_ref()
        .map_or_else(|| "<generated>".to_string(), |p| p.display().to_string());
    let generated = generate(Request {
        dag_name,
        dag_text,
        mode,
        output_name,
        lint,
        template_limits: template::Limits::default(),
    });
    let fail_on = args.fail_on();
    let failed = generated
        .report
        .diagnostics
        .iter()
        .any(|d| d.severity >= fail_on);
    write_diagnostics(args, &generated.report, &generated.loaded)?;
    if let Some(manifest) = &generated.manifest
        && (!failed || args.keep_invalid)
    {
        write_manifest(args, manifest)?;
    }
    if args.format == FormatArg::Human && args.report.is_none() {
        let _ = writeln!(io::stderr().lock(), "{}", summary(args, &generated, failed));
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn report_unreadable(args: &GenArgs, loaded: &Loaded) -> Result<ExitStatus, Error> {
    let report = crate::lint::Report {
        diagnostics: loaded.diagnostics.clone(),
        files: loaded.sources.len(),
        ..Default::default()
    };
    write_diagnostics(args, &report, loaded)?;
    Ok(ExitStatus::Failure)
}

fn summary(args: &GenArgs, g: &Generated, failed: bool) -> String {
    let c = g.report.counts();
    let mut found: Vec<String> = [
        (c.errors, "error", "errors"),
        (c.warnings, "warning", "warnings"),
        (c.infos, "info", "info"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    if found.is_empty() {
        found.push("no problems".to_string());
    }
    let mapped = if g.mapped > 0 {
        format!(" ({} reported on DAG-file lines)", g.mapped)
    } else {
        String::new()
    };
    let what = match (&g.manifest, failed && !args.keep_invalid) {
        (None, _) => "Nothing generated".to_string(),
        (Some(_), true) => {
            "Generated a manifest with errors (not written; --keep-invalid writes it)".to_string()
        }
        (Some(_), false) => match &args.output {
            Some(p) => format!("Generated {}", p.display()),
            None => "Generated the manifest".to_string(),
        },
    };
    format!("{what} from {}: {}{mapped}", args.dag, found.join(", "))
}

fn write_diagnostics(
    args: &GenArgs,
    report: &crate::lint::Report,
    loaded: &Loaded,
) -> Result<(), Error> {
    let format = Format::from(args.format);
    let to_terminal = args.report.is_none() && io::stderr().is_terminal();
    let options = RenderOptions {
        color: args
            .color
            .resolve(to_terminal, std::env::var_os("NO_COLOR").as_deref()),
        fail_on: args.fail_on(),
    };
    if format == Format::Human && report.diagnostics.is_empty() {
        return Ok(());
    }
    match &args.report {
        Some(path) => {
            let output = |source| Error::Output {
                path: path.clone(),
                source,
            };
            let mut w = BufWriter::new(File::create(path).map_err(output)?);
            render(format, report, &loaded.sources, &options, &mut w)
                .and_then(|()| w.flush())
                .map_err(output)
        }
        None => {
            let mut w = BufWriter::new(io::stderr().lock());
            let _ =
                render(format, report, &loaded.sources, &options, &mut w).and_then(|()| w.flush());
            Ok(())
        }
    }
}

/// Writes a generated text to `-o FILE` or standard output (a closed pipe is not an error).
pub(crate) fn write_text(output: Option<&PathBuf>, text: &str) -> Result<(), Error> {
    match output {
        Some(path) => std::fs::write(path, text).map_err(|source| Error::Output {
            path: path.clone(),
            source,
        }),
        None => super::ignore_broken_pipe(io::stdout().lock().write_all(text.as_bytes())),
    }
}

fn write_manifest(args: &GenArgs, manifest: &str) -> Result<(), Error> {
    write_text(args.output.as_ref(), manifest)
}
