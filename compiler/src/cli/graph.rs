//! `bosun graph`: load the files, index their templates, build the picture of one workflow and
//! write it as DOT, Mermaid or SVG.
//!
//! The picture goes to standard output (or `--output`); notes about it (missing templates,
//! cycles, a cut picture) go to standard error as warnings with their position. A picture is
//! always written when the object and template exist: problems are drawn, not fatal.

use std::io::{self, Write};

use super::args::{GraphArgs, GraphFormat};
use super::{Error, ExitStatus};
use crate::config::{LintSettings, RefSettings};
use crate::graph::{self, Graph, GraphOptions};
use crate::load::{Input, Loaded, load, load_library};
use crate::model::{Classified, Object, classify};
use crate::parse::{Document, Limits, parse_file};
use crate::resolve::{NoResolver, Origin, Registry};

pub(crate) fn run(args: &GraphArgs) -> Result<ExitStatus, Error> {
    let limits = Limits::default();
    let inputs: Vec<Input> = args.paths.iter().map(|p| Input::from_arg(p)).collect();
    let mut loaded = load(&inputs, &limits)?;
    if !args.templates.is_empty() {
        let library: Vec<Input> = args.templates.iter().cloned().map(Input::Path).collect();
        load_library(&mut loaded, &library, &limits)?;
    }
    if let Some(ns) = &args.namespace {
        super::args::check_namespace(ns)?;
    }
    let refs = RefSettings {
        namespace: args.namespace.clone(),
        ..LintSettings::default().refs
    };
    let docs = parse_all(&loaded, &limits);
    let options = GraphOptions {
        max_nodes: args.max_nodes.max(1),
        ..GraphOptions::default()
    };
    let picture = picture(&loaded, &docs, &refs, args.template.as_deref(), &options)?;

    let text = match args.format() {
        GraphFormat::Dot => graph::dot::render(&picture),
        GraphFormat::Mermaid => graph::mermaid::render(&picture),
        GraphFormat::Svg => graph::svg::render(&picture),
    };
    super::write_text(args.output.as_deref(), &text)?;
    let mut stderr = io::stderr().lock();
    for note in &picture.notes {
        let at = note
            .span
            .and_then(|span| {
                let file = loaded.sources.get(span.file)?;
                Some(format!("{}:{}: ", file.name(), file.line_col(span.start)))
            })
            .unwrap_or_default();
        let _ = writeln!(stderr, "warning: {at}{}", note.message);
    }
    Ok(ExitStatus::Success)
}

fn parse_all(loaded: &Loaded, limits: &Limits) -> Vec<Document> {
    let mut sink = Vec::new();
    let mut docs = Vec::new();
    for file in loaded.sources.files() {
        if !loaded.unparsable.contains(&file.id()) {
            docs.extend(parse_file(file, limits, &mut sink));
        }
    }
    docs
}

/// Builds the picture of the object to draw among `docs`.
pub(crate) fn picture(
    loaded: &Loaded,
    docs: &[Document],
    refs: &RefSettings,
    template: Option<&str>,
    options: &GraphOptions,
) -> Result<Graph, Error> {
    let mut objects: Vec<(Object<'_>, Origin)> = Vec::new();
    for doc in docs {
        if let Classified::Argo(obj) = classify(doc) {
            let origin = if loaded.library.contains(&doc.file) {
                Origin::Library
            } else {
                Origin::Run
            };
            objects.push((obj, origin));
        }
    }
    let chosen = graph::choose_object(&objects, template).ok_or_else(|| {
        Error::NothingToDo(match template {
            Some(t) => {
                format!("no Workflow, CronWorkflow or WorkflowTemplate has a template `{t}`")
            }
            None => "no Workflow, CronWorkflow or WorkflowTemplate found in the input".to_string(),
        })
    })?;
    let registry = Registry::new(objects, refs, &NoResolver);
    Ok(graph::build(&chosen, &registry, template, options)?)
}
