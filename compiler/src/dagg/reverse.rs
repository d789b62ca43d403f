//! `bosun reverse`: a DAG file recovered from a DAG-shaped Workflow, WorkflowTemplate or
//! CronWorkflow — the inverse of [`super::compile`], and dagg's never-built `reverse`.
//!
//! Jobs are the entrypoint DAG's tasks, in order; each task's container template gives the
//! command (`[sh, -c]` plus one argument is a `command` line, anything else `commands`), the
//! repo (from the `envFrom` Secret name through the pattern, `{repo}.dotenv` by default) and,
//! when the image is not `REGISTRY/REPO:TAG`, an `image` option. The registry and tag shared by
//! every job become the `registry` and `tag` options; `dagg.bosun.dev/KEY` annotations become
//! options again; the schedule, time zone, concurrency policy and namespace come back from their
//! fields. What a DAG file cannot hold is AG010: an error when the shape is wrong (no DAG,
//! steps, loops, arguments, a `depends` expression, a non-container task), a warning when a
//! field is dropped (volumes, environment variables, resources, other templates). Seed 000's
//! ConfigMap + CronJob output of dagg is read too: the Workflow inside the ConfigMap, the
//! schedule from the CronJob.

use super::compile::{ANNOTATION_PREFIX, CompileOptions};
use super::file::{DagFile, Job, OptionEntry, Options, Spanned};
use super::rules::manifest_not_dag_shaped;
use super::yaml::{Y, emit};
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::Loaded;
use crate::model::{Classified, Kind, classify};
use crate::parse::{Document, Limits, NodeRef, parse_file};
use crate::source::{FileId, Span};

/// The outcome: the DAG file when one could be recovered, and what was lost or wrong.
#[derive(Debug, Default)]
pub struct Reversed {
    pub dag: Option<DagFile>,
    pub diagnostics: Vec<Diagnostic>,
}

const NOT_EXPRESSIBLE: &str = "a DAG file holds jobs with a command, dependencies and string options; keep this manifest as it is, or simplify it";

fn shape_error(node: NodeRef<'_>, message: impl Into<String>) -> Diagnostic {
    manifest_not_dag_shaped::diagnostic(node.span(), message, NOT_EXPRESSIBLE)
        .with_pointer(node.pointer())
}

fn dropped(node: NodeRef<'_>, what: &str) -> Diagnostic {
    manifest_not_dag_shaped::diagnostic(
        node.key_span(),
        format!("{what} has no place in a DAG file and is dropped"),
        "the recovered DAG file generates a manifest without it",
    )
    .with_severity(Severity::Warning)
    .with_pointer(node.pointer())
}

/// Recovers a DAG file from the first Workflow, WorkflowTemplate or CronWorkflow of `file`, or
/// from seed 000's pattern: a ConfigMap holding the Workflow and the CronJob that submits it (the
/// embedded manifest is added to `loaded` so diagnostics can point into it; the CronJob's
/// schedule and the ConfigMap's namespace become options). `options` are the ones `bosun gen`
/// used (the registry and tag flags, the Secret pattern).
pub fn reverse(
    loaded: &mut Loaded,
    file: FileId,
    options: &CompileOptions,
    limits: &Limits,
) -> Reversed {
    let mut out = Reversed::default();
    let Some(src) = loaded.sources.get(file) else {
        return out;
    };
    let docs = parse_file(src, limits, &mut out.diagnostics);
    if has_errors(&out.diagnostics) {
        return out;
    }
    if let Some(object) = first_workflow(&docs) {
        out.dag = Reader {
            options,
            diags: &mut out.diagnostics,
        }
        .object(object.root, object.kind);
        return finish(out);
    }
    let legacy = legacy_pattern(&docs);
    let start = docs.first().map_or(0, |d| d.span.start);
    drop(docs);
    let Some(legacy) = legacy else {
        out.diagnostics.push(manifest_not_dag_shaped::diagnostic(
            Span::point(file, start),
            "no Workflow, WorkflowTemplate or CronWorkflow in this file",
            "`bosun reverse` reads one of these kinds, or a ConfigMap holding one",
        ));
        return out;
    };
    let id = loaded.add_text(legacy.name, legacy.text);
    let Some(src) = loaded.sources.get(id) else {
        return out;
    };
    let docs = parse_file(src, limits, &mut out.diagnostics);
    let Some(object) = first_workflow(&docs) else {
        out.diagnostics.push(manifest_not_dag_shaped::diagnostic(
            Span::point(id, 0),
            "the ConfigMap's manifest is not a Workflow, WorkflowTemplate or CronWorkflow",
            "`bosun reverse` reads one of these kinds",
        ));
        return out;
    };
    let mut dag = Reader {
        options,
        diags: &mut out.diagnostics,
    }
    .object(object.root, object.kind);
    if let Some(dag) = &mut dag {
        for (key, value) in [
            ("schedule", legacy.schedule),
            ("namespace", legacy.namespace),
        ] {
            if let (Some(v), None) = (value, dag.option.get(key)) {
                dag.option.set(key, v);
            }
        }
    }
    out.dag = dag;
    finish(out)
}

fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

fn finish(mut out: Reversed) -> Reversed {
    if has_errors(&out.diagnostics) {
        out.dag = None;
    }
    out
}

fn first_workflow<'d>(docs: &'d [Document]) -> Option<crate::model::Object<'d>> {
    docs.iter().find_map(|doc| match classify(doc) {
        Classified::Argo(o)
            if matches!(
                o.kind,
                Kind::Workflow | Kind::WorkflowTemplate | Kind::CronWorkflow
            ) =>
        {
            Some(o)
        }
        _ => None,
    })
}

/// Seed 000's ConfigMap + CronJob: the embedded manifest, the schedule, the namespace.
struct Legacy {
    name: String,
    text: String,
    schedule: Option<String>,
    namespace: Option<String>,
}

fn legacy_pattern(docs: &[Document]) -> Option<Legacy> {
    let kind = |doc: &Document| {
        doc.root()
            .and_then(|r| r.get("kind"))
            .and_then(|k| k.as_str())
            .map(str::to_string)
    };
    let (cm, entry, embedded) = docs
        .iter()
        .filter(|d| kind(d).as_deref() == Some("ConfigMap"))
        .find_map(|d| {
            let data = d.root()?.get("data")?;
            data.entries().find_map(|(e, v)| {
                let t = v.as_str()?;
                (t.contains("argoproj.io/") && t.contains("kind:"))
                    .then(|| (d, e.key.to_string(), t.to_string()))
            })
        })?;
    let schedule = docs
        .iter()
        .filter(|d| kind(d).as_deref() == Some("CronJob"))
        .find_map(|d| text(d.root()?.get("spec")?.get("schedule")));
    let cm_root = cm.root()?;
    Some(Legacy {
        text: embedded,
        name: format!(
            "ConfigMap {}#data/{entry}",
            text_or(cm_root.get("metadata").and_then(|m| m.get("name")))
        ),
        schedule,
        namespace: text(cm_root.get("metadata").and_then(|m| m.get("namespace"))),
    })
}

fn text_or(node: Option<NodeRef<'_>>) -> String {
    text(node).unwrap_or_default()
}

struct Reader<'a> {
    options: &'a CompileOptions,
    diags: &'a mut Vec<Diagnostic>,
}

fn text(node: Option<NodeRef<'_>>) -> Option<String> {
    node.and_then(|n| n.scalar_text())
}

/// Reports every key of `node` not in `known` as dropped.
fn drop_unknown(node: NodeRef<'_>, known: &[&str], what: &str, diags: &mut Vec<Diagnostic>) {
    for (entry, value) in node.entries() {
        if !known.contains(&&*entry.key) {
            diags.push(dropped(value, &format!("{what} `{}`", entry.key)));
        }
    }
}

impl Reader<'_> {
    fn object(&mut self, root: NodeRef<'_>, kind: Kind) -> Option<DagFile> {
        let mut dag = DagFile::default();
        let metadata = root.get("metadata");
        let name = match (
            text(metadata.and_then(|m| m.get("name"))),
            text(metadata.and_then(|m| m.get("generateName"))),
        ) {
            (Some(n), _) => n,
            (None, Some(g)) => g.trim_end_matches('-').to_string(),
            (None, None) => {
                self.diags.push(shape_error(
                    root,
                    "the manifest has neither `metadata.name` nor `metadata.generateName`",
                ));
                return None;
            }
        };
        dag.name = Spanned::new(name);
        if let Some(ns) = text(metadata.and_then(|m| m.get("namespace"))) {
            dag.option.set("namespace", ns);
        }
        if let Some(annotations) = metadata.and_then(|m| m.get("annotations")) {
            read_annotations(annotations, &mut dag.option);
        }
        let spec = root.get("spec")?;
        let wf_spec = if kind == Kind::CronWorkflow {
            self.cron(spec, &mut dag.option);
            spec.get("workflowSpec")?
        } else {
            spec
        };
        drop_unknown(
            wf_spec,
            &[
                "entrypoint",
                "templates",
                "activeDeadlineSeconds",
                "retryStrategy",
                "ttlStrategy",
            ],
            "the workflow field",
            self.diags,
        );
        let entry = text(wf_spec.get("entrypoint"));
        let templates = wf_spec.get("templates");
        let find = |name: &str| {
            templates.and_then(|t| {
                t.items()
                    .find(|tpl| text(tpl.get("name")).as_deref() == Some(name))
            })
        };
        let Some(entry_tpl) = entry.as_deref().and_then(find) else {
            self.diags.push(shape_error(
                wf_spec.get("entrypoint").unwrap_or(wf_spec),
                "the entrypoint template is missing",
            ));
            return None;
        };
        let Some(tasks) = entry_tpl.get("dag").and_then(|d| d.get("tasks")) else {
            let what = ["steps", "container", "script", "resource", "suspend"]
                .into_iter()
                .find(|k| entry_tpl.get(k).is_some())
                .unwrap_or("not a DAG");
            self.diags.push(shape_error(
                entry_tpl,
                format!("the entrypoint template is a `{what}` template, not a DAG"),
            ));
            return None;
        };
        let mut used = vec![entry.clone().unwrap_or_default()];
        for task in tasks.items() {
            if let Some(job) = self.task(task, &find, &mut used) {
                dag.jobs.push(job);
            }
        }
        let failed = self.diags.iter().any(|d| d.severity == Severity::Error);
        if let Some(templates) = templates.filter(|_| !failed) {
            for tpl in templates.items() {
                let name = text(tpl.get("name")).unwrap_or_default();
                if !used.contains(&name) {
                    self.diags.push(dropped(
                        tpl,
                        &format!("the template `{name}`, used by no task,"),
                    ));
                }
            }
        }
        self.registry_and_tag(&mut dag);
        Some(dag)
    }

    fn cron(&mut self, spec: NodeRef<'_>, option: &mut Options) {
        let schedules: Vec<String> = match (spec.get("schedules"), spec.get("schedule")) {
            (Some(list), _) => list.items().filter_map(|n| n.scalar_text()).collect(),
            (None, Some(one)) => one.scalar_text().into_iter().collect(),
            (None, None) => Vec::new(),
        };
        match schedules.as_slice() {
            [one] => option.set("schedule", one.clone()),
            [] => {}
            _ => self.diags.push(shape_error(
                spec.get("schedules").unwrap_or(spec),
                "a DAG file has one `schedule`; this CronWorkflow has several",
            )),
        }
        for key in ["timezone", "concurrencyPolicy"] {
            if let Some(v) = text(spec.get(key)) {
                option.set(key, v);
            }
        }
        drop_unknown(
            spec,
            &[
                "schedule",
                "schedules",
                "timezone",
                "concurrencyPolicy",
                "workflowSpec",
            ],
            "the CronWorkflow field",
            self.diags,
        );
    }

    fn task<'t>(
        &mut self,
        task: NodeRef<'t>,
        find: &dyn Fn(&str) -> Option<NodeRef<'t>>,
        used: &mut Vec<String>,
    ) -> Option<Job> {
        for (entry, value) in task.entries() {
            let problem = match &*entry.key {
                "name" | "template" | "dependencies" | "depends" => continue,
                "arguments" => "passes arguments",
                "withItems" | "withParam" | "withSequence" => "loops",
                "when" => "runs under a `when` condition",
                "templateRef" => "calls a template of another WorkflowTemplate",
                "inline" => "has an inline template",
                _ => {
                    self.diags
                        .push(dropped(value, &format!("the task field `{}`", entry.key)));
                    continue;
                }
            };
            if let Some(t) = text(task.get("template")) {
                used.push(t);
            }
            self.diags.push(
                manifest_not_dag_shaped::diagnostic(
                    value.key_span(),
                    format!(
                        "task `{}` {problem}",
                        text(task.get("name")).unwrap_or_default()
                    ),
                    NOT_EXPRESSIBLE,
                )
                .with_pointer(value.pointer()),
            );
            return None;
        }
        let name = text(task.get("name"))?;
        let mut job = Job {
            name: Spanned::new(name.clone()),
            ..Job::default()
        };
        if let Some(deps) = task.get("dependencies") {
            job.dependencies = deps
                .items()
                .filter_map(|d| d.scalar_text())
                .map(Spanned::new)
                .collect();
        }
        if let Some(depends) = task.get("depends") {
            let expr = depends.scalar_text().unwrap_or_default();
            match plain_and(&expr) {
                Some(names) => job.dependencies.extend(names.into_iter().map(Spanned::new)),
                None => {
                    self.diags.push(shape_error(
                        depends,
                        format!("task `{name}` has the `depends` expression `{expr}`; a DAG file lists plain dependencies"),
                    ));
                    return None;
                }
            }
        }
        let template_name = text(task.get("template")).unwrap_or_default();
        let Some(tpl) = find(&template_name) else {
            self.diags.push(shape_error(
                task.get("template").unwrap_or(task),
                format!("task `{name}` uses the template `{template_name}`, which this manifest does not define"),
            ));
            return None;
        };
        if !used.contains(&template_name) {
            used.push(template_name.clone());
        }
        let Some(container) = tpl.get("container") else {
            self.diags.push(shape_error(
                tpl,
                format!("task `{name}` runs `{template_name}`, which is not a container template"),
            ));
            return None;
        };
        drop_unknown(
            tpl,
            &["name", "container", "metadata"],
            "the template field",
            self.diags,
        );
        if let Some(annotations) = tpl.get("metadata").and_then(|m| m.get("annotations")) {
            read_annotations(annotations, &mut job.option);
        }
        self.container(container, &mut job);
        Some(job)
    }

    fn container(&mut self, c: NodeRef<'_>, job: &mut Job) {
        drop_unknown(
            c,
            &["image", "command", "args", "envFrom"],
            "the container field",
            self.diags,
        );
        let list = |key: &str| -> Option<Vec<String>> {
            c.get(key)
                .map(|n| n.items().filter_map(|i| i.scalar_text()).collect())
        };
        match (list("command"), list("args")) {
            (Some(cmd), Some(args)) if cmd == ["sh", "-c"] && args.len() == 1 => {
                job.command = Some(Spanned::new(args[0].clone()));
            }
            (Some(cmd), args) => {
                let mut all = cmd;
                all.extend(args.unwrap_or_default());
                job.commands = Some(all.into_iter().map(Spanned::new).collect());
            }
            (None, Some(args)) => {
                self.diags.push(
                    dropped(
                        c.get("args").unwrap_or(c),
                        "the image's own entrypoint (the container has `args` but no `command`)",
                    )
                    .with_help("the job's `commands` are the arguments; add the entrypoint in front of them"),
                );
                job.commands = Some(args.into_iter().map(Spanned::new).collect());
            }
            (None, None) => {
                self.diags.push(shape_error(
                    c,
                    format!(
                        "job `{}` has no command: the image's entrypoint runs",
                        job.name.value
                    ),
                ));
            }
        }
        let (prefix, suffix) = self
            .options
            .secret_pattern
            .split_once("{repo}")
            .unwrap_or((self.options.secret_pattern.as_str(), ""));
        let mut repo = None;
        if let Some(env_from) = c.get("envFrom") {
            for item in env_from.items() {
                let secret = text(item.get("secretRef").and_then(|s| s.get("name")));
                let r = secret.as_deref().and_then(|s| {
                    s.strip_prefix(prefix)
                        .and_then(|s| s.strip_suffix(suffix))
                        .filter(|r| !r.is_empty())
                });
                match (r, &repo) {
                    (Some(r), None) => repo = Some(r.to_string()),
                    _ => self.diags.push(dropped(
                        item,
                        "this `envFrom` source (not the per-repo Secret)",
                    )),
                }
            }
        }
        if let Some(r) = &repo {
            job.option.set("repo", r.clone());
        }
        if let Some(image) = text(c.get("image")) {
            // Kept aside: `registry_and_tag` decides whether it is REGISTRY/REPO:TAG.
            job.option.set("image", image);
        }
    }

    /// Turns `image` options of the form REGISTRY/REPO:TAG into shared `registry`/`tag`
    /// options (or the flags' values) and removes them.
    fn registry_and_tag(&mut self, dag: &mut DagFile) {
        let mut parts: Vec<Option<(String, String)>> = Vec::new();
        for job in &dag.jobs {
            let split = match (job.option.get("repo"), job.option.get("image")) {
                (Some(repo), Some(image)) => split_image(&image.value, &repo.value),
                _ => None,
            };
            parts.push(split);
        }
        let registry = match &self.options.registry {
            Some(r) => Some(r.trim_end_matches('/').to_string()),
            None => common(parts.iter().flatten().map(|(r, _)| r)),
        };
        let tag = match &self.options.tag {
            Some(t) => Some(t.clone()),
            None => common(parts.iter().flatten().map(|(_, t)| t)),
        };
        let (Some(registry), Some(tag)) = (registry, tag) else {
            return;
        };
        let mut any = false;
        for (job, split) in dag.jobs.iter_mut().zip(&parts) {
            if split.as_ref() == Some(&(registry.clone(), tag.clone())) {
                job.option.entries.retain(|e| e.key.value != "image");
                any = true;
            }
        }
        if any {
            if self.options.registry.is_none() && !registry.is_empty() {
                dag.option.set("registry", registry);
            }
            if self.options.tag.is_none() && tag != "latest" {
                dag.option.set("tag", tag);
            }
        }
    }
}

/// `REGISTRY/REPO:TAG` (or `REPO:TAG`) → (registry, tag).
fn split_image(image: &str, repo: &str) -> Option<(String, String)> {
    let (path, tag) = image.rsplit_once(':').filter(|(_, t)| !t.contains('/'))?;
    if path == repo {
        return Some((String::new(), tag.to_string()));
    }
    let registry = path.strip_suffix(repo)?.strip_suffix('/')?;
    Some((registry.to_string(), tag.to_string()))
}

/// The value every item has, if they all agree (and there is at least one).
fn common<'a>(mut items: impl Iterator<Item = &'a String>) -> Option<String> {
    let first = items.next()?;
    items.all(|i| i == first).then(|| first.clone())
}

/// `a && b && c` with plain task names (Argo's `depends` for "all succeeded") → the names.
fn plain_and(expr: &str) -> Option<Vec<String>> {
    let names: Vec<String> = expr.split("&&").map(|s| s.trim().to_string()).collect();
    let plain = |n: &String| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    names.iter().all(plain).then_some(names)
}

fn read_annotations(node: NodeRef<'_>, option: &mut Options) {
    for (entry, value) in node.entries() {
        if let (Some(key), Some(v)) = (
            entry.key.strip_prefix(ANNOTATION_PREFIX),
            value.scalar_text(),
        ) {
            option.entries.push(OptionEntry {
                key: Spanned::new(key),
                value: Spanned::new(v),
            });
        }
    }
}

/// A DAG file as YAML, in the layout of dagg's examples.
pub fn to_yaml(dag: &DagFile) -> String {
    let options = |o: &Options| {
        Y::Map(
            o.entries
                .iter()
                .map(|e| (e.key.value.clone(), Y::str(e.value.value.clone())))
                .collect(),
        )
    };
    let strings = |v: &[Spanned]| Y::Seq(v.iter().map(|s| Y::str(s.value.clone())).collect());
    let jobs: Vec<Y> = dag
        .jobs
        .iter()
        .map(|j| {
            let mut m = vec![("name", Y::str(j.name.value.clone()))];
            if let Some(c) = &j.command {
                m.push(("command", Y::str(c.value.clone())));
            }
            if let Some(c) = &j.commands {
                m.push(("commands", strings(c)));
            }
            if !j.dependencies.is_empty() {
                m.push(("dependencies", strings(&j.dependencies)));
            }
            if !j.option.is_empty() {
                m.push(("option", options(&j.option)));
            }
            Y::map(m)
        })
        .collect();
    let mut doc = vec![("name", Y::str(dag.name.value.clone()))];
    if !dag.option.is_empty() {
        doc.push(("option", options(&dag.option)));
    }
    doc.push(("jobs", Y::Seq(jobs)));
    emit(&Y::map(doc)).text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_into_registry_and_tag() {
        assert_eq!(
            split_image("registry/wantedly/ms-A:latest", "ms-A"),
            Some(("registry/wantedly".into(), "latest".into()))
        );
        assert_eq!(
            split_image("ms-A:1.2", "ms-A"),
            Some(("".into(), "1.2".into()))
        );
        assert_eq!(split_image("registry:5000/x-ms-A:1", "ms-A"), None);
        assert_eq!(split_image("registry:5000/ms-A", "ms-A"), None);
        assert_eq!(plain_and("a && b-c"), Some(vec!["a".into(), "b-c".into()]));
        assert_eq!(plain_and("a || b"), None);
        assert_eq!(plain_and("a.Succeeded"), None);
    }
}
