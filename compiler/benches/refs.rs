//! Template-reference resolution cost.
//!
//! `cargo bench -p compiler --bench refs` prints median timings of whole lint runs for:
//! - one Workflow with 200 `templateRef`s into 20 WorkflowTemplates (all in one run), with all
//!   rules, with only the AW5xx rules, and without them;
//! - 1,000 documents in one run: 100 WorkflowTemplates and 900 Workflows making 5 references
//!   each (a quarter of them through `workflowTemplateRef`);
//! - the 200 references resolved against an external resolver (a cluster cache stand-in) that
//!   counts its lookups.
//!
//! Each line also prints the registry's counters ([`compiler::resolve::RefStats`]): every
//! referenced template is looked up and summarised once however many references point at it.

use std::cell::Cell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use compiler::config::RuleSelection;
use compiler::load::Loaded;
use compiler::model::{Classified, Kind, Object, classify};
use compiler::parse::{Document, Limits, parse_file};
use compiler::resolve::{NoResolver, Origin, Registry, Resolver};
use compiler::source::{FileId, SourceFile};
use compiler::{LintSettings, Report, lint_with};

/// Median of `runs` timings of `f`, after one warm-up call.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// A WorkflowTemplate with `templates` leaf templates `t0..`, each taking one input.
fn workflow_template(name: &str, templates: usize) -> String {
    let mut s = format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: {name}\nspec:\n  entrypoint: t0\n  arguments:\n    parameters:\n      - name: msg\n        value: hello\n  templates:\n"
    );
    for t in 0..templates {
        s.push_str(&format!(
            "    - name: t{t}\n      inputs:\n        parameters:\n          - name: msg\n          - name: level\n            default: info\n            enum: [debug, info, warn]\n      outputs:\n        parameters:\n          - name: out\n            valueFrom: {{path: /tmp/out}}\n      container:\n        image: alpine:3.20\n        args: [\"echo {{{{inputs.parameters.msg}}}} > /tmp/out\"]\n"
        ));
    }
    s
}

/// A Workflow whose DAG makes one `templateRef` per entry of `refs` (`(wft, template)`).
fn workflow(name: &str, refs: &[(String, usize)]) -> String {
    let mut s = format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: {name}\nspec:\n  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n"
    );
    for (i, (wft, t)) in refs.iter().enumerate() {
        s.push_str(&format!(
            "          - name: task-{i}\n            templateRef: {{name: {wft}, template: t{t}}}\n            arguments:\n              parameters:\n                - {{name: msg, value: \"{i}\"}}\n                - {{name: level, value: warn}}\n"
        ));
        if i > 0 {
            s.push_str(&format!("            depends: task-{}\n", i - 1));
        }
    }
    s
}

fn by_ref(name: &str, wft: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: {name}\nspec:\n  arguments:\n    parameters:\n      - {{name: msg, value: hi}}\n  workflowTemplateRef: {{name: {wft}}}\n"
    )
}

fn settings(select: &[&str], ignore: &[&str]) -> LintSettings {
    LintSettings {
        rules: RuleSelection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            ..RuleSelection::default()
        },
        ..LintSettings::default()
    }
}

fn report(label: &str, loaded: &Loaded, settings: &LintSettings, external: &dyn Resolver) {
    let mut last = Report::default();
    let time = median(21, || {
        last = lint_with(loaded, settings, external);
        black_box(&last);
    });
    let s = last.refs;
    println!(
        "{label:<46} {:>5} docs | {:>9.2?} | {:>8.0} docs/s | refs {:>5} lookups {:>4} resolver calls {:>3} templates resolved {:>4} | {} errors",
        last.documents,
        time,
        last.documents as f64 / time.as_secs_f64(),
        s.references,
        s.lookups,
        s.resolver_calls,
        s.templates_resolved,
        last.counts().errors,
    );
}

/// Times the registry alone (index, resolution of every reference, cycle analysis), on
/// documents parsed and classified beforehand.
fn registry_only(label: &str, loaded: &Loaded, settings: &LintSettings) {
    let docs: Vec<Document> = loaded
        .sources
        .files()
        .iter()
        .flat_map(|f| parse_file(f, &Limits::default(), &mut Vec::new()))
        .collect();
    let objects: Vec<(Object<'_>, Origin)> = docs
        .iter()
        .filter_map(|d| match classify(d) {
            Classified::Argo(o) => Some((o, Origin::Run)),
            _ => None,
        })
        .collect();
    let time = median(21, || {
        let registry = Registry::new(objects.clone(), &settings.refs, &NoResolver);
        black_box(registry.stats());
    });
    println!(
        "{label:<46} {:>5} docs | {:>9.2?} (registry build only)",
        docs.len(),
        time
    );
}

/// The 200-reference workflow: 20 WorkflowTemplates of 5 templates, 10 references each.
fn two_hundred_refs() -> (Vec<String>, String) {
    let wfts: Vec<String> = (0..20)
        .map(|i| workflow_template(&format!("wft-{i}"), 5))
        .collect();
    let refs: Vec<(String, usize)> = (0..200)
        .map(|i| (format!("wft-{}", i % 20), i % 5))
        .collect();
    (wfts, workflow("two-hundred-refs", &refs))
}

/// A cluster cache stand-in: parsed documents, a counter of lookups.
struct Cluster {
    docs: Vec<Document>,
    calls: Cell<usize>,
}

impl Resolver for Cluster {
    fn workflow_template(&self, _namespace: &str, name: &str) -> Option<Object<'_>> {
        self.calls.set(self.calls.get() + 1);
        self.docs.iter().find_map(|d| match classify(d) {
            Classified::Argo(o) if o.kind == Kind::WorkflowTemplate && o.name() == Some(name) => {
                Some(o)
            }
            _ => None,
        })
    }

    fn cluster_workflow_template(&self, _name: &str) -> Option<Object<'_>> {
        self.calls.set(self.calls.get() + 1);
        None
    }
}

fn main() {
    let (wfts, wf) = two_hundred_refs();
    let mut loaded = Loaded::default();
    for (i, t) in wfts.iter().enumerate() {
        loaded.add_text(format!("wft-{i}.yaml"), t.clone());
    }
    loaded.add_text("workflow.yaml", wf.clone());
    report(
        "200 refs → 20 WFTs, all rules",
        &loaded,
        &settings(&[], &[]),
        &NoResolver,
    );
    report(
        "200 refs → 20 WFTs, AW5xx only",
        &loaded,
        &settings(&["AW5"], &[]),
        &NoResolver,
    );
    report(
        "200 refs → 20 WFTs, without AW5xx",
        &loaded,
        &settings(&[], &["AW5"]),
        &NoResolver,
    );

    registry_only("200 refs → 20 WFTs", &loaded, &settings(&[], &[]));

    let mut docs = Vec::new();
    for (i, t) in wfts.iter().enumerate() {
        let file = SourceFile::new(FileId(1_000 + i as u32), "cluster", t.clone());
        docs.extend(parse_file(&file, &Limits::default(), &mut Vec::new()));
    }
    let cluster = Cluster {
        docs,
        calls: Cell::new(0),
    };
    let mut only_wf = Loaded::default();
    only_wf.add_text("workflow.yaml", wf);
    report(
        "200 refs → 20 WFTs in an external resolver",
        &only_wf,
        &settings(&[], &[]),
        &cluster,
    );
    println!(
        "external resolver calls over 22 runs: {} (20 per run)",
        cluster.calls.get()
    );

    let mut big = Loaded::default();
    for i in 0..100 {
        big.add_text(
            format!("wft-{i}.yaml"),
            workflow_template(&format!("wft-{i}"), 3),
        );
    }
    for i in 0..900 {
        let text = if i % 4 == 0 {
            by_ref(&format!("wf-{i}"), &format!("wft-{}", i % 100))
        } else {
            let refs: Vec<(String, usize)> = (0..5)
                .map(|k| (format!("wft-{}", (i * 7 + k * 13) % 100), k % 3))
                .collect();
            workflow(&format!("wf-{i}"), &refs)
        };
        big.add_text(format!("wf-{i}.yaml"), text);
    }
    report(
        "1,000 documents, all rules",
        &big,
        &settings(&[], &[]),
        &NoResolver,
    );
    report(
        "1,000 documents, without AW5xx",
        &big,
        &settings(&[], &["AW5"]),
        &NoResolver,
    );
    registry_only("1,000 documents", &big, &settings(&[], &[]));
}
