//! `bosun migrate`: read the CronJobs (and ConfigMaps) of the inputs, migrate every
//! `argo submit` into a CronWorkflow, lint each result, and print the manifests.
//!
//! Manifests go to standard output (or `--output`), separated by `---`; what could not be
//! migrated, what was not carried over and the lint diagnostics of the results go to standard
//! error.

use std::io::{self, Write};

use super::args::MigrateArgs;
use super::{Error, ExitStatus};
use crate::diagnostics::Severity;
use crate::diagnostics::render::{Format, RenderOptions, render};
use crate::lint::lint;
use crate::load::{Input, Loaded, load, load_library};
use crate::migrate::{self, Finding, Options, Outcome, SuppliedWorkflow};
use crate::parse::{Limits, parse_file};
use crate::source::SourceMap;

pub(crate) fn run(args: &MigrateArgs) -> Result<ExitStatus, Error> {
    let limits = Limits::default();
    let inputs: Vec<Input> = args.paths.iter().map(|p| Input::from_arg(p)).collect();
    let loaded = load(&inputs, &limits)?;
    let mut docs = Vec::new();
    let mut sink = Vec::new();
    for file in loaded.sources.files() {
        if !loaded.unparsable.contains(&file.id()) {
            docs.extend(parse_file(file, &limits, &mut sink));
        }
    }
    let workflow = match &args.workflow {
        Some(path) => {
            let w = load(&[Input::Path(path.clone())], &limits)?;
            let text = match w.sources.files() {
                [file] if w.unparsable.is_empty() => file.text().to_string(),
                _ => {
                    return Err(Error::NothingToDo(format!(
                        "`{}` is not a readable manifest (one UTF-8 file within the size limit)",
                        path.display()
                    )));
                }
            };
            Some(SuppliedWorkflow {
                name: path.display().to_string(),
                text,
            })
        }
        None => None,
    };
    let options = Options {
        workflow,
        name: args.name.clone(),
    };
    let report = migrate::migrate(&docs, &options);
    let mut stderr = io::stderr().lock();
    for note in &report.notes {
        print_finding(&mut stderr, &loaded.sources, "", note);
    }
    if report.migrations.is_empty() {
        return Err(Error::NothingToDo(
            "no CronJob in the input runs `argo submit`: nothing to migrate".to_string(),
        ));
    }
    let mut failed = false;
    let mut manifests: Vec<String> = Vec::new();
    for m in &report.migrations {
        for f in &m.findings {
            print_finding(&mut stderr, &loaded.sources, &m.source, f);
            failed |= f.severity >= Severity::Error;
        }
        match &m.outcome {
            Outcome::Migrated(out) => {
                let (lint_failed, rendered) = lint_result(&out.name, &out.yaml, &loaded, args)?;
                if lint_failed {
                    failed = true;
                    let _ = writeln!(
                        stderr,
                        "error: {}: the CronWorkflow `{}` does not lint clean:",
                        m.source, out.name
                    );
                }
                let _ = stderr.write_all(&rendered);
                manifests.push(out.yaml.clone());
            }
            Outcome::Missing { what, how } => {
                failed = true;
                let _ = writeln!(
                    stderr,
                    "error: {}: cannot read the submitted workflow: {what}\n  help: {how}",
                    m.source
                );
            }
            Outcome::Invalid(why) => {
                failed = true;
                let _ = writeln!(stderr, "error: {}: {why}", m.source);
            }
        }
    }
    let text = manifests.join("---\n");
    if !text.is_empty() {
        super::write_text(args.output.as_deref(), &text)?;
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn print_finding(w: &mut impl Write, sources: &SourceMap, source: &str, f: &Finding) {
    let at = f
        .span
        .and_then(|span| {
            let file = sources.get(span.file)?;
            Some(format!("{}:{}: ", file.name(), file.line_col(span.start)))
        })
        .unwrap_or_default();
    let who = if source.is_empty() {
        String::new()
    } else {
        format!("{source}: ")
    };
    let _ = writeln!(w, "{}: {at}{who}{}", f.severity, f.message);
}

/// Lints one migrated manifest, with the inputs and `--templates` as libraries (so references
/// to WorkflowTemplates resolve). Returns whether it has errors, and the rendered diagnostics.
fn lint_result(
    name: &str,
    yaml: &str,
    inputs: &Loaded,
    args: &MigrateArgs,
) -> Result<(bool, Vec<u8>), Error> {
    let mut loaded = Loaded::default();
    loaded.add_text(format!("<migrated {name}>"), yaml.to_string());
    for file in inputs.sources.files() {
        if !inputs.unparsable.contains(&file.id()) {
            let id = loaded.add_text(file.name().to_string(), file.text().to_string());
            loaded.library.push(id);
        }
    }
    if !args.templates.is_empty() {
        let library: Vec<Input> = args.templates.iter().cloned().map(Input::Path).collect();
        load_library(&mut loaded, &library, &Limits::default())?;
    }
    let report = lint(&loaded, &crate::LintSettings::default());
    let failed = report
        .diagnostics
        .iter()
        .any(|d| d.severity >= Severity::Error);
    let mut rendered = Vec::new();
    if !report.diagnostics.is_empty() {
        let options = RenderOptions {
            color: false,
            fail_on: Severity::Error,
        };
        render(
            Format::Human,
            &report,
            &loaded.sources,
            &options,
            &mut rendered,
        )
        .map_err(Error::Write)?;
    }
    Ok((failed, rendered))
}
