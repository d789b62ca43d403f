//! `bosun reverse MANIFEST`: recover a dagg DAG file from a DAG-shaped Workflow,
//! WorkflowTemplate or CronWorkflow.
//!
//! The DAG file goes to standard output or `-o FILE`; what cannot be expressed in a DAG file is
//! reported on standard error (AG010: errors stop the recovery, warnings name dropped fields).
//! Pass the `--registry`, `--tag` and `--secret-pattern` that `bosun gen` used so images and
//! Secrets are recognised. Exit 0 when recovered without errors, 1 when errors were found, 2
//! when Bosun could not run.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::args::{ColorChoice, FormatArg};
use super::r#gen::{read_input, write_text};
use super::{Error, ExitStatus};
use crate::dagg::compile::CompileOptions;
use crate::dagg::reverse::{reverse, to_yaml};
use crate::diagnostics::Severity;
use crate::diagnostics::render::{Format, RenderOptions, render};
use crate::lint::Report;
use crate::load::Loaded;
use crate::parse::Limits;
use crate::source::FileId;

#[derive(Debug, ClapArgs)]
pub struct ReverseArgs {
    /// The manifest (a Workflow, WorkflowTemplate or CronWorkflow whose entrypoint is a DAG of
    /// container tasks); `-` reads standard input.
    #[arg(value_name = "MANIFEST")]
    pub manifest: String,

    /// Write the DAG file to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Format of the diagnostics (standard error).
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,

    /// Fail (exit 1) on warnings (dropped fields) as well as errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// When to colour the human diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// The registry `bosun gen --registry` used (otherwise a registry shared by every image
    /// becomes the `registry` option).
    #[arg(long, value_name = "REGISTRY")]
    pub registry: Option<String>,

    /// The tag `bosun gen --tag` used (otherwise a tag other than `latest` shared by every image
    /// becomes the `tag` option).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,

    /// Name of the per-repo Secret; `{repo}` is the job's repo.
    #[arg(long, value_name = "PATTERN", default_value = "{repo}.dotenv")]
    pub secret_pattern: String,
}

pub(crate) fn run(args: &ReverseArgs) -> Result<ExitStatus, Error> {
    let limits = Limits::default();
    let (loaded, text) = match read_input(&args.manifest, &limits)? {
        Ok((name, text)) => {
            let mut loaded = Loaded::default();
            loaded.add_text(name, text);
            let options = CompileOptions {
                registry: args.registry.clone(),
                tag: args.tag.clone(),
                secret_pattern: args.secret_pattern.clone(),
                ..CompileOptions::default()
            };
            let reversed = reverse(&mut loaded, FileId(0), &options, &limits);
            let text = reversed.dag.as_ref().map(to_yaml);
            loaded.diagnostics = reversed.diagnostics;
            (loaded, text)
        }
        Err(loaded) => (loaded, None),
    };
    let fail_on = if args.deny_warnings {
        Severity::Warning
    } else {
        Severity::Error
    };
    let failed = text.is_none() || loaded.diagnostics.iter().any(|d| d.severity >= fail_on);
    let report = Report {
        diagnostics: loaded.diagnostics.clone(),
        files: loaded.sources.len(),
        ..Report::default()
    };
    let format = Format::from(args.format);
    if format != Format::Human || !report.diagnostics.is_empty() {
        let options = RenderOptions {
            color: args.color.resolve(
                io::stderr().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
            ),
            fail_on,
        };
        let mut w = BufWriter::new(io::stderr().lock());
        let _ = render(format, &report, &loaded.sources, &options, &mut w).and_then(|()| w.flush());
    }
    if let Some(text) = &text
        && !failed
    {
        write_text(args.output.as_ref(), text)?;
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
