//! Traversal of a workflow: its spec, every template (inline ones included) and every place a
//! template is invoked (steps, DAG tasks, lifecycle hooks, exit handlers).
//!
//! Semantic checks share this instead of re-walking the tree their own way, so "every template"
//! and "every caller" mean the same thing in every check. Nothing here reports diagnostics.

use super::Object;
use super::view::View;
use super::views::{
    Arguments, DagTask, LifecycleHook, Root, Template, TemplateRef, WorkflowSpec, WorkflowStep,
};
use crate::parse::NodeRef;

impl<'a> Object<'a> {
    /// The workflow spec: `spec` for Workflow, WorkflowTemplate and ClusterWorkflowTemplate,
    /// `spec.workflowSpec` for a CronWorkflow.
    pub fn workflow_spec(&self) -> Option<WorkflowSpec<'a>> {
        match self.typed() {
            Root::Workflow(w) => w.spec(),
            Root::WorkflowTemplate(w) => w.spec(),
            Root::ClusterWorkflowTemplate(w) => w.spec(),
            Root::CronWorkflow(c) => c.spec()?.workflow_spec(),
        }
    }
}

/// The template types, in Argo's order. A template must have exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TemplateType {
    Container,
    ContainerSet,
    Steps,
    Dag,
    Script,
    Resource,
    Data,
    Http,
    Plugin,
    Suspend,
}

impl TemplateType {
    pub const ALL: [TemplateType; 10] = [
        TemplateType::Container,
        TemplateType::ContainerSet,
        TemplateType::Steps,
        TemplateType::Dag,
        TemplateType::Script,
        TemplateType::Resource,
        TemplateType::Data,
        TemplateType::Http,
        TemplateType::Plugin,
        TemplateType::Suspend,
    ];

    /// The field that declares this type.
    pub fn field(self) -> &'static str {
        match self {
            TemplateType::Container => "container",
            TemplateType::ContainerSet => "containerSet",
            TemplateType::Steps => "steps",
            TemplateType::Dag => "dag",
            TemplateType::Script => "script",
            TemplateType::Resource => "resource",
            TemplateType::Data => "data",
            TemplateType::Http => "http",
            TemplateType::Plugin => "plugin",
            TemplateType::Suspend => "suspend",
        }
    }

    /// Whether the template runs a pod of its own (leaf templates except suspend/http/plugin).
    pub fn runs_pod(self) -> bool {
        matches!(
            self,
            TemplateType::Container
                | TemplateType::ContainerSet
                | TemplateType::Script
                | TemplateType::Resource
                | TemplateType::Data
        )
    }
}

impl<'a> Template<'a> {
    /// `name` as a string.
    pub fn name_str(&self) -> Option<&'a str> {
        self.name().and_then(|n| n.as_str())
    }

    /// Every template type field present (non-null), in Argo's order.
    pub fn types(&self) -> Vec<TemplateType> {
        TemplateType::ALL
            .into_iter()
            .filter(|t| self.node().get(t.field()).is_some_and(|n| !n.is_null()))
            .collect()
    }

    /// The single template type, when exactly one is present.
    pub fn template_type(&self) -> Option<TemplateType> {
        match self.types().as_slice() {
            [t] => Some(*t),
            _ => None,
        }
    }
}

/// Where a template sits.
#[derive(Clone, Copy, Debug)]
pub struct TemplateSite<'a> {
    pub template: Template<'a>,
    /// `None` for `spec.templates[*]`; the invocation that declares it for inline templates.
    pub inline_in: Option<NodeRef<'a>>,
}

/// How a template is invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// `steps[group][index]`.
    Step { group: usize, index: usize },
    /// `dag.tasks[index]`.
    Task { index: usize },
    /// A lifecycle hook (`hooks.<name>`) on the workflow, a step or a task.
    Hook,
    /// `onExit: <template>` on the workflow, a step or a task (a template name only).
    OnExit,
}

/// One place that invokes a template.
#[derive(Clone, Copy, Debug)]
pub struct Call<'a> {
    pub kind: CallKind,
    /// The step, task or hook mapping; for `onExit` the scalar itself.
    pub node: NodeRef<'a>,
    /// The template that contains the call; `None` for workflow-level hooks and `onExit`.
    pub caller: Option<Template<'a>>,
    /// `template:` (or the `onExit` scalar).
    pub template: Option<NodeRef<'a>>,
    pub template_ref: Option<TemplateRef<'a>>,
    pub inline: Option<Template<'a>>,
    pub arguments: Option<Arguments<'a>>,
}

impl<'a> Call<'a> {
    fn of_step(step: WorkflowStep<'a>, caller: Template<'a>, group: usize, index: usize) -> Self {
        Call {
            kind: CallKind::Step { group, index },
            node: step.node(),
            caller: Some(caller),
            template: step.template(),
            template_ref: step.template_ref(),
            inline: step.inline(),
            arguments: step.arguments(),
        }
    }

    fn of_task(task: DagTask<'a>, caller: Template<'a>, index: usize) -> Self {
        Call {
            kind: CallKind::Task { index },
            node: task.node(),
            caller: Some(caller),
            template: task.template(),
            template_ref: task.template_ref(),
            inline: task.inline(),
            arguments: task.arguments(),
        }
    }

    fn of_hook(hook: LifecycleHook<'a>, caller: Option<Template<'a>>) -> Self {
        Call {
            kind: CallKind::Hook,
            node: hook.node(),
            caller,
            template: hook.template(),
            template_ref: hook.template_ref(),
            inline: None,
            arguments: hook.arguments(),
        }
    }

    fn on_exit(node: NodeRef<'a>, caller: Option<Template<'a>>) -> Self {
        Call {
            kind: CallKind::OnExit,
            node,
            caller,
            template: Some(node),
            template_ref: None,
            inline: None,
            arguments: None,
        }
    }

    /// The local template name this call names, if any.
    pub fn template_name(&self) -> Option<&'a str> {
        self.template.and_then(|t| t.as_str())
    }

    /// The step's or task's `name`, if the call has one.
    pub fn name(&self) -> Option<&'a str> {
        match self.kind {
            CallKind::Step { .. } | CallKind::Task { .. } => self.node.get("name")?.as_str(),
            _ => None,
        }
    }
}

/// Every template of a spec: `spec.templates[*]` in order, then inline templates (depth-first,
/// in source order). `templateDefaults` is not a template and is not included.
pub fn templates<'a>(spec: WorkflowSpec<'a>) -> Vec<TemplateSite<'a>> {
    let mut out: Vec<TemplateSite<'a>> = spec
        .templates()
        .map(|ts| {
            ts.iter()
                .map(|template| TemplateSite {
                    template,
                    inline_in: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut i = 0;
    while i < out.len() {
        let t = out[i].template;
        for call in calls_in(t) {
            if let Some(inline) = call.inline {
                out.push(TemplateSite {
                    template: inline,
                    inline_in: Some(call.node),
                });
            }
        }
        i += 1;
    }
    out
}

/// The calls made by one template: its steps and DAG tasks, and their hooks and `onExit`.
pub fn calls_in<'a>(template: Template<'a>) -> Vec<Call<'a>> {
    let mut out = Vec::new();
    if let Some(groups) = template.steps() {
        for (g, group) in groups.iter().enumerate() {
            for (s, step) in group.iter().enumerate() {
                out.push(Call::of_step(step, template, g, s));
                hooks_and_exit(step.hooks(), step.on_exit(), Some(template), &mut out);
            }
        }
    }
    if let Some(tasks) = template.dag().and_then(|d| d.tasks()) {
        for (i, task) in tasks.iter().enumerate() {
            out.push(Call::of_task(task, template, i));
            hooks_and_exit(task.hooks(), task.on_exit(), Some(template), &mut out);
        }
    }
    out
}

/// Every call in a spec: workflow-level hooks and `onExit`, then the calls of every template
/// (inline templates included).
pub fn all_calls<'a>(spec: WorkflowSpec<'a>) -> Vec<Call<'a>> {
    let mut out = Vec::new();
    hooks_and_exit(spec.hooks(), spec.on_exit(), None, &mut out);
    for site in templates(spec) {
        out.extend(calls_in(site.template));
    }
    out
}

fn hooks_and_exit<'a>(
    hooks: Option<super::view::MapOf<'a, LifecycleHook<'a>>>,
    on_exit: Option<NodeRef<'a>>,
    caller: Option<Template<'a>>,
    out: &mut Vec<Call<'a>>,
) {
    if let Some(hooks) = hooks {
        for (_, hook) in hooks.iter() {
            out.push(Call::of_hook(hook, caller));
        }
    }
    if let Some(exit) = on_exit.filter(|n| !n.is_null()) {
        out.push(Call::on_exit(exit, caller));
    }
}

/// Finds `spec.templates[*]` by name (inline templates have no name to find).
pub fn find_template<'a>(spec: WorkflowSpec<'a>, name: &str) -> Option<Template<'a>> {
    spec.templates()?
        .iter()
        .find(|t| t.name_str() == Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Classified, classify};
    use crate::parse::{Limits, parse_file};
    use crate::source::{FileId, SourceFile};

    const WF: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: c}
spec:
  schedules: ["* * * * *"]
  workflowSpec:
    entrypoint: main
    onExit: cleanup
    hooks:
      running: {template: notify, expression: workflow.status == "Running"}
    templates:
      - name: main
        steps:
          - - name: a
              template: leaf
            - name: b
              inline:
                dag:
                  tasks:
                    - {name: x, template: leaf}
          - - name: c
              template: leaf
              onExit: cleanup
      - name: leaf
        container: {image: alpine}
      - name: cleanup
        container: {image: alpine}
      - name: notify
        container: {image: alpine}
"#;

    #[test]
    fn walks_templates_and_calls_of_a_cron_workflow() {
        let file = SourceFile::new(FileId(0), "t.yaml", WF.to_string());
        let docs = parse_file(&file, &Limits::default(), &mut Vec::new());
        let Classified::Argo(obj) = classify(&docs[0]) else {
            panic!("not argo")
        };
        let spec = obj.workflow_spec().expect("spec");
        let sites = templates(spec);
        let names: Vec<_> = sites.iter().map(|s| s.template.name_str()).collect();
        assert_eq!(
            names,
            [
                Some("main"),
                Some("leaf"),
                Some("cleanup"),
                Some("notify"),
                None
            ]
        );
        assert_eq!(sites[4].template.template_type(), Some(TemplateType::Dag));
        assert_eq!(
            sites[4].inline_in.map(|n| n.pointer()).as_deref(),
            Some("/spec/workflowSpec/templates/0/steps/0/1")
        );

        let calls = all_calls(spec);
        let kinds: Vec<_> = calls.iter().map(|c| (c.kind, c.template_name())).collect();
        assert_eq!(
            kinds,
            [
                (CallKind::Hook, Some("notify")),
                (CallKind::OnExit, Some("cleanup")),
                (CallKind::Step { group: 0, index: 0 }, Some("leaf")),
                (CallKind::Step { group: 0, index: 1 }, None),
                (CallKind::Step { group: 1, index: 0 }, Some("leaf")),
                (CallKind::OnExit, Some("cleanup")),
                (CallKind::Task { index: 0 }, Some("leaf")),
            ]
        );
        assert_eq!(calls[2].name(), Some("a"));
        assert!(find_template(spec, "leaf").is_some());
        assert!(find_template(spec, "nope").is_none());
    }
}
