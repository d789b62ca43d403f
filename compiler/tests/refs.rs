//! Template references through the library API: resolution across files and namespaces, the
//! external resolver (the webhook's cluster cache stands behind the same trait), and the
//! memoization that makes each referenced template resolved once per run.

use std::cell::Cell;

use compiler::LintSettings;
use compiler::config::RuleSelection;
use compiler::load::Loaded;
use compiler::model::{Classified, Kind, Object, classify};
use compiler::parse::{Document, Limits, parse_file};
use compiler::resolve::Resolver;
use compiler::source::{FileId, SourceFile};
use compiler::{Report, lint, lint_with};

fn settings() -> LintSettings {
    LintSettings {
        rules: RuleSelection::only(&["AW5"]),
        ..LintSettings::default()
    }
}

fn loaded(files: &[(&str, &str)]) -> Loaded {
    let mut loaded = Loaded::default();
    for (name, text) in files {
        loaded.add_text(*name, text.to_string());
    }
    loaded
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.diagnostics.iter().map(|d| d.code()).collect()
}

const WFT: &str = "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\n";
const WF: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n";

fn template(name: &str, namespace: Option<&str>) -> String {
    let ns = namespace.map_or(String::new(), |n| format!("  namespace: {n}\n"));
    format!(
        "{WFT}metadata:\n  name: {name}\n{ns}spec:\n  templates:\n    - name: main\n      inputs:\n        parameters: [{{name: x}}]\n      container: {{image: busybox}}\n"
    )
}

/// A Workflow with one step per (template, index), each passing `x`.
fn workflow(namespace: Option<&str>, refs: &[String]) -> String {
    let ns = namespace.map_or(String::new(), |n| format!("  namespace: {n}\n"));
    let mut s = format!(
        "{WF}metadata:\n  generateName: w-\n{ns}spec:\n  entrypoint: main\n  templates:\n    - name: main\n      steps:\n"
    );
    for (i, r) in refs.iter().enumerate() {
        s.push_str(&format!(
            "        - - name: s{i}\n            templateRef: {{name: {r}, template: main}}\n            arguments:\n              parameters: [{{name: x, value: v}}]\n"
        ));
    }
    s
}

#[test]
fn references_resolve_across_files_in_one_run() {
    let wf = workflow(None, &["a".to_string(), "b".to_string()]);
    let report = lint(
        &loaded(&[
            ("wf.yaml", &wf),
            ("a.yaml", &template("a", None)),
            ("b.yaml", &template("b", None)),
        ]),
        &settings(),
    );
    assert_eq!(codes(&report), Vec::<&str>::new());
    assert_eq!(report.refs.references, 2);
}

#[test]
fn namespace_less_documents_share_the_default_namespace() {
    let wf = workflow(None, &["a".to_string()]);
    let files = [
        ("wf.yaml", wf.as_str()),
        ("a.yaml", &template("a", Some("argo"))),
    ];
    // By default the Workflow has no namespace and `a` lives in `argo`: not found.
    assert_eq!(codes(&lint(&loaded(&files), &settings())), ["AW501"]);
    // `--namespace argo`: the Workflow is applied to `argo` too.
    let mut s = settings();
    s.refs.namespace = Some("argo".to_string());
    assert_eq!(codes(&lint(&loaded(&files), &s)), Vec::<&str>::new());
}

#[test]
fn references_resolve_in_the_referring_objects_namespace() {
    let wf = workflow(Some("team-b"), &["a".to_string()]);
    let files = [
        ("wf.yaml", wf.as_str()),
        ("a1.yaml", &template("a", Some("team-a"))),
    ];
    assert_eq!(codes(&lint(&loaded(&files), &settings())), ["AW501"]);
    let a2 = template("a", Some("team-b"));
    let files = [files[0], files[1], ("a2.yaml", &a2)];
    assert_eq!(
        codes(&lint(&loaded(&files), &settings())),
        Vec::<&str>::new()
    );
}

#[test]
fn library_files_resolve_references_and_are_not_reported() {
    let wf = workflow(None, &["lib".to_string()]);
    let mut l = loaded(&[("wf.yaml", &wf)]);
    // The library document has an unknown field (AW101) and a missing reference (AW501).
    let lib = format!(
        "{}      bogusField: 1\n      steps: []\n---\n{}",
        template("lib", None),
        workflow(None, &["nowhere".to_string()])
    );
    let id = l.add_text("lib.yaml", lib);
    l.library.push(id);
    let report = lint(&l, &LintSettings::default());
    assert_eq!(
        codes(&report),
        Vec::<&str>::new(),
        "{:?}",
        report.diagnostics
    );
    assert_eq!(report.files, 1);
    assert_eq!(report.objects, 1);
}

#[test]
fn allow_missing_refs_and_external_names_soften_missing_references() {
    let wf = workflow(None, &["gone".to_string(), "shared-x".to_string()]);
    let l = loaded(&[("wf.yaml", &wf)]);
    let mut s = settings();
    s.refs.allow_missing = true;
    let report = lint(&l, &s);
    assert_eq!(report.counts().errors, 0);
    assert_eq!(report.counts().warnings, 2);
    s.refs.allow_missing = false;
    s.refs.external = vec!["shared-*".to_string()];
    let report = lint(&l, &s);
    assert_eq!(codes(&report), ["AW501"]);
    assert!(report.diagnostics[0].message.contains("`gone`"));
}

/// A cluster cache stand-in: parsed documents in memory, counting every lookup.
struct Cluster {
    docs: Vec<Document>,
    lookups: Cell<usize>,
}

impl Cluster {
    fn new(texts: &[String]) -> Self {
        let mut docs = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            // The cache's own file ids: spans never leak into the run's diagnostics.
            let file = SourceFile::new(FileId(10_000 + i as u32), "cluster", t.clone());
            docs.extend(parse_file(&file, &Limits::default(), &mut Vec::new()));
        }
        Cluster {
            docs,
            lookups: Cell::new(0),
        }
    }

    fn find(&self, kind: Kind, namespace: Option<&str>, name: &str) -> Option<Object<'_>> {
        self.lookups.set(self.lookups.get() + 1);
        self.docs.iter().find_map(|d| match classify(d) {
            Classified::Argo(o)
                if o.kind == kind
                    && o.name() == Some(name)
                    && (namespace.is_none() || o.namespace() == namespace) =>
            {
                Some(o)
            }
            _ => None,
        })
    }
}

impl Resolver for Cluster {
    fn workflow_template(&self, namespace: &str, name: &str) -> Option<Object<'_>> {
        self.find(Kind::WorkflowTemplate, Some(namespace), name)
    }

    fn cluster_workflow_template(&self, name: &str) -> Option<Object<'_>> {
        self.find(Kind::ClusterWorkflowTemplate, None, name)
    }

    fn workflow_template_names(&self, _namespace: &str) -> Vec<String> {
        vec!["cluster-only".to_string()]
    }
}

#[test]
fn an_external_resolver_is_asked_once_per_target_however_many_references() {
    let cluster = Cluster::new(&[template("cluster-only", Some("prod"))]);
    let refs: Vec<String> = (0..50).map(|_| "cluster-only".to_string()).collect();
    let wf = workflow(Some("prod"), &refs);
    let report = lint_with(&loaded(&[("wf.yaml", &wf)]), &settings(), &cluster);
    assert_eq!(
        codes(&report),
        Vec::<&str>::new(),
        "{:?}",
        report.diagnostics
    );
    assert_eq!(cluster.lookups.get(), 1);
    assert_eq!(report.refs.references, 50);
    assert_eq!(report.refs.resolver_calls, 1);
    assert_eq!(report.refs.templates_resolved, 1);
}

#[test]
fn templates_from_an_external_resolver_are_checked_but_never_pointed_into() {
    let cluster = Cluster::new(&[template("cluster-only", Some("prod"))]);
    // `main` requires `x`: the step does not pass it.
    let wf = format!(
        "{WF}metadata:\n  name: w\n  namespace: prod\nspec:\n  entrypoint: main\n  templates:\n    - name: main\n      steps:\n        - - name: s\n            templateRef: {{name: cluster-only, template: main}}\n        - - name: t\n            templateRef: {{name: clustr-only, template: main}}\n"
    );
    let report = lint_with(&loaded(&[("wf.yaml", &wf)]), &settings(), &cluster);
    assert_eq!(codes(&report), ["AW503", "AW501"]);
    for d in &report.diagnostics {
        assert!(d.secondary.is_empty(), "{d:?}");
    }
    assert_eq!(
        report.diagnostics[1].help.as_deref(),
        Some("did you mean `cluster-only`?")
    );
}

#[test]
fn two_hundred_references_into_twenty_templates_resolve_each_template_once() {
    let mut files: Vec<(String, String)> = (0..20)
        .map(|i| (format!("t{i}.yaml"), template(&format!("t{i}"), None)))
        .collect();
    let refs: Vec<String> = (0..200).map(|i| format!("t{}", i % 20)).collect();
    files.push(("wf.yaml".to_string(), workflow(None, &refs)));
    let l = loaded(
        &files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect::<Vec<_>>(),
    );
    let report = lint(&l, &LintSettings::default());
    assert_eq!(report.counts().errors, 0, "{:?}", report.diagnostics);
    assert_eq!(report.objects, 21);
    assert_eq!(report.refs.references, 200);
    assert_eq!(report.refs.lookups, 20);
    assert_eq!(report.refs.resolver_calls, 0);
    assert_eq!(report.refs.templates_resolved, 20);
}
