//! `bosun gen DAGFILE` without a template: Bosun's own compilation of a DAG file into a modern
//! manifest.
//!
//! - A CronWorkflow when the DAG file has a `schedule` option (as `schedules: [...]`, Argo 3.6 and
//!   later; with its `timezone` and `concurrencyPolicy` options), else a Workflow (`generateName: NAME-`), or a
//!   WorkflowTemplate with `--kind workflowtemplate`.
//! - The entrypoint is a DAG template named after the DAG file; each job is a DAG task and a
//!   container template of the same name, with `dependencies` as written.
//! - The image is `REGISTRY/REPO:TAG` (`--registry`, else the `registry` option; `--tag`, else the
//!   `tag` option, else `latest`), or the job's `image` option; the container gets `envFrom` the
//!   per-repo Secret (`{repo}.dotenv` by default, seed 000's convention).
//! - `commands` is the container `command`; `command` (one shell line) becomes
//!   `command: [sh, -c]` with the line as the only argument.
//! - Other options are kept as annotations (`dagg.bosun.dev/KEY`): the DAG file's on the
//!   manifest, a job's on its template's pod metadata. That is what lets `bosun reverse` give the
//!   DAG file back.
//! - Optional defaults: `activeDeadlineSeconds`, `retryStrategy.limit`,
//!   `ttlStrategy.secondsAfterCompletion`.

use super::file::{DagFile, Job, Spanned};
use super::rules::{missing_dag_field, mistyped_dag_field};
use super::template::Output;
use super::yaml::{Y, emit};
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// The prefix of annotations that carry DAG-file options.
pub const ANNOTATION_PREFIX: &str = "dagg.bosun.dev/";

/// DAG-file options the compiler turns into manifest fields.
pub const DAG_OPTIONS: [&str; 6] = [
    "schedule",
    "timezone",
    "concurrencyPolicy",
    "namespace",
    "registry",
    "tag",
];

/// Job options the compiler turns into manifest fields.
pub const JOB_OPTIONS: [&str; 2] = ["repo", "image"];

/// The kind to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestKind {
    Workflow,
    WorkflowTemplate,
    CronWorkflow,
}

impl ManifestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ManifestKind::Workflow => "Workflow",
            ManifestKind::WorkflowTemplate => "WorkflowTemplate",
            ManifestKind::CronWorkflow => "CronWorkflow",
        }
    }
}

/// How to compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileOptions {
    /// `None`: a CronWorkflow when there is a `schedule` option, else a Workflow.
    pub kind: Option<ManifestKind>,
    /// Overrides the `registry` option.
    pub registry: Option<String>,
    /// Overrides the `tag` option (default `latest`).
    pub tag: Option<String>,
    /// The per-repo Secret's name, `{repo}` replaced by the job's repo.
    pub secret_pattern: String,
    pub active_deadline_seconds: Option<u64>,
    pub retry_limit: Option<u32>,
    pub ttl_seconds_after_finished: Option<u64>,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            kind: None,
            registry: None,
            tag: None,
            secret_pattern: "{repo}.dotenv".to_string(),
            active_deadline_seconds: None,
            retry_limit: None,
            ttl_seconds_after_finished: None,
        }
    }
}

impl CompileOptions {
    /// The kind generated for `dag`.
    pub fn kind_for(&self, dag: &DagFile) -> ManifestKind {
        self.kind
            .unwrap_or(if dag.option.get("schedule").is_some() {
                ManifestKind::CronWorkflow
            } else {
                ManifestKind::Workflow
            })
    }

    /// The registry for `dag`: the flag, else the option (empty: no registry part).
    pub fn registry_for(&self, dag: &DagFile) -> Spanned {
        match &self.registry {
            Some(r) => Spanned::new(r.trim_end_matches('/')),
            None => dag.option.get("registry").cloned().unwrap_or_default(),
        }
    }

    /// The image tag for `dag`.
    pub fn tag_for(&self, dag: &DagFile) -> String {
        self.tag
            .clone()
            .or_else(|| dag.option.get("tag").map(|t| t.value.clone()))
            .unwrap_or_else(|| "latest".to_string())
    }

    /// The Secret name for a repo.
    pub fn secret_for(&self, repo: &str) -> String {
        self.secret_pattern.replace("{repo}", repo)
    }
}

/// An annotation name part: at most 63 characters, alphanumerics and `-_.` inside.
pub fn is_annotation_name(key: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    !key.is_empty()
        && key.len() <= 63
        && key.starts_with(alnum)
        && key.ends_with(alnum)
        && key
            .chars()
            .all(|c| alnum(c) || matches!(c, '-' | '_' | '.'))
}

/// What compilation needs beyond a valid DAG file: an image source per job, a schedule for a
/// CronWorkflow, option keys usable as annotation names.
pub fn check(dag: &DagFile, options: &CompileOptions, out: &mut Vec<Diagnostic>) {
    for job in &dag.jobs {
        if job.option.get("repo").is_none()
            && job.option.get("image").is_none()
            && !job.name.value.is_empty()
        {
            out.push(missing_dag_field::diagnostic(
                job.name.span,
                &format!("the `repo` option of job `{}`", job.name.value),
                "set `option: {repo: NAME}`: the image and the `NAME.dotenv` Secret come from it (or set `image`)",
            ));
        }
        for e in &job.option.entries {
            if !JOB_OPTIONS.contains(&e.key.value.as_str()) {
                check_key(&e.key, out);
            }
        }
    }
    for e in &dag.option.entries {
        if !DAG_OPTIONS.contains(&e.key.value.as_str()) {
            check_key(&e.key, out);
        }
    }
    if options.kind == Some(ManifestKind::CronWorkflow) && dag.option.get("schedule").is_none() {
        out.push(missing_dag_field::diagnostic(
            dag.option.span,
            "the `schedule` option",
            "a CronWorkflow needs `option: {schedule: \"0 20 * * *\"}`",
        ));
    }
}

fn check_key(key: &Spanned, out: &mut Vec<Diagnostic>) {
    if !is_annotation_name(&key.value) {
        out.push(
            mistyped_dag_field::diagnostic(
                key.span,
                &format!("option.{}", key.value),
                "a key usable as an annotation name",
                "other characters",
            )
            .with_help("use letters, digits, `-`, `_` and `.` (at most 63): the option is kept as the annotation `dagg.bosun.dev/KEY`"),
        );
    }
}

/// Compiles a checked DAG file.
pub fn compile(dag: &DagFile, options: &CompileOptions) -> Output {
    let kind = options.kind_for(dag);
    let name = Y::spanned(&dag.name);
    let mut metadata = Vec::new();
    match kind {
        ManifestKind::Workflow => metadata.push((
            "generateName",
            Y::Str(format!("{}-", dag.name.value), origin(&dag.name)),
        )),
        _ => metadata.push(("name", name.clone())),
    }
    if let Some(ns) = dag.option.get("namespace") {
        metadata.push(("namespace", Y::spanned(ns)));
    }
    let consumed: &[&str] = if kind == ManifestKind::CronWorkflow {
        &DAG_OPTIONS
    } else {
        // Without a CronWorkflow, the schedule options are kept as annotations.
        &DAG_OPTIONS[3..]
    };
    // `registry` and `tag` live in the images; when no image shows them (every job sets
    // `image`), or the tag is the default, they are kept as annotations so nothing is lost.
    let derived = dag
        .jobs
        .iter()
        .any(|j| j.option.get("image").is_none() && j.option.get("repo").is_some());
    let kept = |key: &str, value: &str| match key {
        "registry" => !derived,
        "tag" => !derived || value == "latest",
        _ => !consumed.contains(&key),
    };
    let annotations = annotations(
        dag.option
            .sorted()
            .into_iter()
            .filter_map(|e| kept(&e.key.value, &e.value.value).then_some((&e.key, &e.value))),
    );
    if !annotations.is_empty() {
        metadata.push(("annotations", Y::Map(annotations)));
    }

    let mut wf_spec: Vec<(&str, Y)> = vec![("entrypoint", name.clone())];
    if let Some(s) = options.active_deadline_seconds {
        wf_spec.push(("activeDeadlineSeconds", Y::Int(s as i64)));
    }
    if let Some(limit) = options.retry_limit {
        wf_spec.push((
            "retryStrategy",
            Y::map(vec![("limit", Y::Int(i64::from(limit)))]),
        ));
    }
    if let Some(ttl) = options.ttl_seconds_after_finished {
        wf_spec.push((
            "ttlStrategy",
            Y::map(vec![("secondsAfterCompletion", Y::Int(ttl as i64))]),
        ));
    }
    let mut templates = vec![Y::map(vec![
        ("name", name),
        (
            "dag",
            Y::map(vec![("tasks", Y::Seq(dag.jobs.iter().map(task).collect()))]),
        ),
    ])];
    templates.extend(dag.jobs.iter().map(|j| container_template(dag, j, options)));
    wf_spec.push(("templates", Y::Seq(templates)));

    let spec = if kind == ManifestKind::CronWorkflow {
        // Argo 3.6 added `schedules` and 4.0 removed `schedule`: the list works from 3.6 on.
        let mut spec = Vec::new();
        if let Some(v) = dag.option.get("schedule") {
            spec.push(("schedules", Y::Seq(vec![Y::spanned(v)])));
        }
        for key in ["timezone", "concurrencyPolicy"] {
            if let Some(v) = dag.option.get(key) {
                spec.push((key, Y::spanned(v)));
            }
        }
        spec.push(("workflowSpec", Y::map(wf_spec)));
        Y::map(spec)
    } else {
        Y::map(wf_spec)
    };
    emit(&Y::map(vec![
        ("apiVersion", Y::str("argoproj.io/v1alpha1")),
        ("kind", Y::str(kind.as_str())),
        ("metadata", Y::map(metadata)),
        ("spec", spec),
    ]))
}

fn origin(s: &Spanned) -> Option<Span> {
    (s.span != Span::default()).then_some(s.span)
}

fn annotations<'a>(entries: impl Iterator<Item = (&'a Spanned, &'a Spanned)>) -> Vec<(String, Y)> {
    entries
        .map(|(k, v)| (format!("{ANNOTATION_PREFIX}{}", k.value), Y::spanned(v)))
        .collect()
}

fn task(job: &Job) -> Y {
    let mut t = vec![
        ("name", Y::spanned(&job.name)),
        ("template", Y::spanned(&job.name)),
    ];
    if !job.dependencies.is_empty() {
        t.push((
            "dependencies",
            Y::Seq(job.dependencies.iter().map(Y::spanned).collect()),
        ));
    }
    Y::map(t)
}

fn container_template(dag: &DagFile, job: &Job, options: &CompileOptions) -> Y {
    let repo = job.option.get("repo");
    let image = match (job.option.get("image"), repo) {
        (Some(image), _) => Y::spanned(image),
        (None, Some(repo)) => {
            let registry = options.registry_for(dag);
            let tag = options.tag_for(dag);
            let text = if registry.value.is_empty() {
                format!("{}:{tag}", repo.value)
            } else {
                format!("{}/{}:{tag}", registry.value, repo.value)
            };
            Y::Str(text, origin(repo))
        }
        (None, None) => Y::str(""),
    };
    let mut container = vec![("image", image)];
    match (&job.commands, &job.command) {
        (Some(cmds), _) => {
            container.push(("command", Y::Seq(cmds.iter().map(Y::spanned).collect())));
        }
        (None, Some(line)) => {
            container.push(("command", Y::Seq(vec![Y::str("sh"), Y::str("-c")])));
            container.push(("args", Y::Seq(vec![Y::spanned(line)])));
        }
        (None, None) => {}
    }
    if let Some(repo) = repo {
        let secret = Y::Str(options.secret_for(&repo.value), origin(repo));
        container.push((
            "envFrom",
            Y::Seq(vec![Y::map(vec![(
                "secretRef",
                Y::map(vec![("name", secret)]),
            )])]),
        ));
    }
    let mut template = vec![("name", Y::spanned(&job.name))];
    let annotations = annotations(job.option.sorted().into_iter().filter_map(|e| {
        (!JOB_OPTIONS.contains(&e.key.value.as_str())).then_some((&e.key, &e.value))
    }));
    if !annotations.is_empty() {
        template.push((
            "metadata",
            Y::map(vec![("annotations", Y::Map(annotations))]),
        ));
    }
    template.push(("container", Y::map(container)));
    Y::map(template)
}
