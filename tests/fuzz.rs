//! Fuzz target bodies, shared by the cargo-fuzz targets in `fuzz/` and by the regression tests
//! (`tests/fuzz_regressions.rs`) that replay the saved crashes and seeds on every `cargo test`.
//!
//! Each function takes arbitrary bytes and must neither panic nor hang. Besides "no panic",
//! each asserts invariants that hold for every input (pieces cover their text, error ranges lie
//! inside the source, the JSON output is JSON, a review always gets an answer with the
//! request's uid): a violated invariant is a crash to the fuzzer and a failure to the tests.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use compiler::LintSettings;
use compiler::diagnostics::render::{self, Format, RenderOptions};
use compiler::expr::check::{CheckOptions, PathScope, check_expression, check_value};
use compiler::expr::depends::{self, TaskStatus};
use compiler::expr::tags::{self, Piece};
use compiler::expr::template::{Mode, evaluate_raw, substitute};
use compiler::expr::when::{self, WhenOptions};
use compiler::expr::{Bindings, Env, Limits, Value, evaluate, format, parse};
use compiler::load::Loaded;
use serde_json::json;
use webhook::admission::{Endpoint, Reviewer, review};
use webhook::cluster::{Cluster, parse_template};
use webhook::policy::Policy;
use webhook::server::handlers;

/// Every target, by name (the names of `fuzz/fuzz_targets/*.rs` and `fuzz/regressions/*/`).
pub const TARGETS: &[&str] = &[
    "lint",
    "expr",
    "when",
    "depends",
    "tags",
    "admission",
    "dagg",
];

/// Runs the target called `name` on `data`; `false` if there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    let body: fn(&[u8]) = match name {
        "lint" => lint,
        "expr" => expr,
        "when" => when,
        "depends" => depends,
        "tags" => tags,
        "admission" => admission,
        "dagg" => dagg,
        _ => return false,
    };
    body(data);
    true
}

/// The YAML loader and the full lint (every rule), then every output format.
pub fn lint(data: &[u8]) {
    let settings = LintSettings::default();
    let mut loaded = Loaded::default();
    loaded.add_bytes(
        "fuzz.yaml",
        data.to_vec(),
        data.len() as u64,
        &settings.limits,
    );
    let report = compiler::lint(&loaded, &settings);
    let len = loaded.sources.files().first().map_or(0, |f| f.text().len());
    for d in &report.diagnostics {
        let span = d.span();
        assert!(
            span.start <= span.end && span.end as usize <= len,
            "{} span {}..{} outside a {len}-byte file",
            d.code(),
            span.start,
            span.end
        );
    }
    for format in Format::ALL {
        let mut out = Vec::new();
        render::render(
            format,
            &report,
            &loaded.sources,
            &RenderOptions::default(),
            &mut out,
        )
        .expect("rendering into memory cannot fail");
        if format == Format::Json {
            serde_json::from_slice::<serde_json::Value>(&out).expect("JSON output is JSON");
        }
    }
}

/// Flat bindings a workflow step typically sees.
fn bindings() -> Bindings {
    [
        ("workflow.name", Some("fuzz-wf-abc12")),
        ("workflow.status", Some("Succeeded")),
        ("workflow.parameters.count", Some("3")),
        (
            "workflow.parameters.json",
            Some(r#"{"a": [1, 2.5, "x"], "b": {"c": true}}"#),
        ),
        ("inputs.parameters.message", Some("hello")),
        ("tasks.a.outputs.result", Some("42")),
        ("tasks.b.outputs.parameters.out", None),
        ("item", Some("7")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.map(str::to_owned)))
    .collect()
}

fn scope() -> PathScope {
    PathScope::new().with_all([
        "workflow.name",
        "workflow.status",
        "workflow.parameters.count",
        "workflow.parameters.json",
        "inputs.parameters.message",
        "tasks.a.outputs.result",
        "item",
    ])
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// An error or finding range must be sliceable: inside the text, on character boundaries.
fn assert_in(range: std::ops::Range<usize>, src: &str, what: &str) {
    assert!(
        range.start <= range.end && src.get(range.clone()).is_some(),
        "{what}: range {range:?} is not a slice of the {} bytes",
        src.len()
    );
}

/// expr (`{{= }}` bodies, `expression:` fields): parse, evaluate with and without the helpers,
/// format the value as Argo prints it, and the static checks.
pub fn expr(data: &[u8]) {
    let src = text(data);
    let limits = Limits::default();
    match parse(&src, &limits) {
        Ok(e) => {
            let mut env = Env::from_flat(&bindings());
            env.set("retries", Value::Int(2));
            for helpers in [true, false] {
                env.helpers = helpers;
                match evaluate(&e, &env, &limits) {
                    Ok(v) => {
                        let _ = format::go_v(&v);
                        let _ = format::to_json(&v, format::JsonStyle::COMPACT);
                    }
                    Err(err) => assert_in(err.range.range(), &src, "evaluation error"),
                }
            }
        }
        Err(err) => assert_in(err.range.range(), &src, "parse error"),
    }
    for f in check_expression(&src, &scope(), CheckOptions::default()) {
        assert_in(f.range.range(), &src, "check finding");
    }
    let _ = evaluate_raw(&src, &Env::from_flat(&bindings()), &limits);
}

/// govaluate `when`: tokenize and evaluate in both variable modes, also after a lenient
/// substitution pass as Argo does.
pub fn when(data: &[u8]) {
    let src = text(data);
    let limits = Limits::default();
    for variables_as_strings in [true, false] {
        let opts = WhenOptions {
            variables_as_strings,
        };
        if let Err(err) = when::tokenize(&src, opts, &limits) {
            assert_in(err.range.range(), &src, "when token error");
        }
        if let Err(err) = when::evaluate(&src, opts, &limits) {
            assert_in(err.range.range(), &src, "when error");
        }
    }
    let mode = Mode::StrictPrefix(vec!["steps".into(), "tasks".into()]);
    if let Ok(s) = substitute(&src, &bindings(), &mode, &limits) {
        let _ = when::evaluate(&s, WhenOptions::default(), &limits);
    }
}

const PHASES: &[&str] = &[
    "Succeeded",
    "Failed",
    "Error",
    "Skipped",
    "Omitted",
    "Running",
];

/// DAG `depends`: parse, then evaluate against statuses for every referenced task.
pub fn depends(data: &[u8]) {
    let src = text(data);
    match depends::parse(&src, &Limits::default()) {
        Ok(d) => {
            let mut tasks = BTreeMap::new();
            for (i, r) in d.refs().into_iter().enumerate() {
                assert_in(r.task_range.range(), &src, "task range");
                if let Some(rr) = r.result_range {
                    assert_in(rr.range(), &src, "result range");
                }
                let children = (i % 3 == 0).then(|| vec![PHASES[i % PHASES.len()].to_owned()]);
                tasks.insert(
                    r.task.clone(),
                    TaskStatus {
                        phase: PHASES[i % PHASES.len()].to_owned(),
                        daemoned: i % 2 == 1,
                        children,
                    },
                );
            }
            let _ = depends::evaluate(&d, &tasks);
        }
        Err(err) => assert_in(err.range.range(), &src, "depends error"),
    }
}

/// Template tags: the tokenizer's pieces tile the value, then substitution in every mode and
/// the static checks of every tag.
pub fn tags(data: &[u8]) {
    let src = text(data);
    let limits = Limits::default();
    match tags::tokenize(&src) {
        Ok(pieces) => {
            let mut at = 0;
            for p in &pieces {
                let (range, raw) = match p {
                    Piece::Text { text, range } => (range.clone(), *text),
                    Piece::Tag(t) => (t.range.clone(), &src[t.range.clone()]),
                };
                assert_eq!(range.start, at, "pieces leave a gap or overlap");
                assert_eq!(
                    &src[range.clone()],
                    raw,
                    "piece text differs from its range"
                );
                at = range.end;
            }
            assert_eq!(at, src.len(), "pieces do not reach the end");
        }
        Err(e) => assert_in(e.range, &src, "unclosed tag"),
    }
    let b = bindings();
    for mode in [
        Mode::Strict,
        Mode::Lenient,
        Mode::StrictPrefix(vec!["item".into()]),
    ] {
        match substitute(&src, &b, &mode, &limits) {
            Ok(out) => {
                if !src.contains("{{") {
                    assert_eq!(out, src, "text without tags changed");
                }
            }
            Err(e) => assert_in(e.range, &src, "substitution error"),
        }
    }
    for f in check_value(&src, &scope(), CheckOptions::default()) {
        assert_in(f.range.range(), &src, "check finding");
    }
}

/// A reviewer with every webhook feature on: a policy with defaults and requirements, and a
/// cluster cache holding one WorkflowTemplate, one Secret and one ServiceAccount.
fn reviewer() -> &'static Reviewer {
    static REVIEWER: OnceLock<Reviewer> = OnceLock::new();
    REVIEWER.get_or_init(|| {
        let policy = Policy::parse(
            "severity: {AW5: warning}\nexemptNamespaces: [kube-system]\nreferences: error\ndefaults:\n  serviceAccountName: runner\n  activeDeadlineSeconds: 3600\n  ttlStrategy: {secondsAfterCompletion: 60}\n  podGC: {strategy: OnPodSuccess}\n  labels: {team: fuzz}\n  imagePullSecrets: [regcred]\nrequire:\n  activeDeadlineSeconds: true\n  retryStrategy: true\n  noLatestTag: true\n  resourceRequests: true\n",
        )
        .expect("the fuzz policy is valid");
        let cluster: Arc<Cluster> = Cluster::new();
        let template = json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate",
            "metadata": {"name": "shared", "namespace": "argo"},
            "spec": {"templates": [{"name": "echo", "inputs": {"parameters": [{"name": "msg"}]},
                "container": {"image": "alpine:3.20", "args": ["{{inputs.parameters.msg}}"]}}]}
        });
        cluster.put_template("argo", "shared", parse_template("shared", &template));
        cluster.put_name(webhook::cluster::Source::Secrets, "argo", "creds", true);
        cluster.put_name(
            webhook::cluster::Source::ServiceAccounts,
            "argo",
            "runner",
            true,
        );
        Reviewer::new(policy, Some(cluster))
    })
}

/// Decides `body` on both endpoints as the server would, and checks the answer.
fn decide(body: &[u8]) {
    let Ok(req) = handlers::parse(body) else {
        return;
    };
    for endpoint in [Endpoint::Validate, Endpoint::Mutate] {
        let decision = review(&req, reviewer(), endpoint);
        let response = decision.response;
        assert_eq!(
            response.uid, req.uid,
            "the answer carries the request's uid"
        );
        if !response.allowed {
            assert!(
                !response.result.message.is_empty(),
                "a denial without a message"
            );
            assert_ne!(response.result.code, 500, "a denial with status 500");
        }
        serde_json::to_vec(&response.into_review()).expect("the review serializes");
    }
}

const KINDS: &[&str] = &[
    "Workflow",
    "WorkflowTemplate",
    "ClusterWorkflowTemplate",
    "CronWorkflow",
];

/// The envelope of a review of `object`.
pub fn review_of(kind: &str, operation: &str, object: &serde_json::Value) -> serde_json::Value {
    let mut request = json!({
        "uid": "fuzz-uid",
        "kind": {"group": "argoproj.io", "version": "v1alpha1", "kind": kind},
        "resource": {"group": "argoproj.io", "version": "v1alpha1",
            "resource": format!("{}s", kind.to_lowercase())},
        "name": "fuzz", "namespace": "argo", "operation": operation,
        "userInfo": {"username": "fuzz"}, "object": object, "dryRun": false
    });
    if operation == "UPDATE" {
        request["oldObject"] = json!({"apiVersion": "argoproj.io/v1alpha1", "kind": kind,
            "metadata": {"name": "fuzz", "namespace": "argo"}, "spec": {}});
    }
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request})
}

/// Every node of `v` in pre-order, as JSON pointers.
fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, c) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(c, p, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(c, p, out);
            }
        }
        _ => {}
    }
}

/// A valid review of a small Workflow using the cluster's template, Secret and account.
fn valid_review() -> serde_json::Value {
    review_of(
        "Workflow",
        "CREATE",
        &json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"generateName": "fuzz-", "namespace": "argo"},
            "spec": {"entrypoint": "main", "serviceAccountName": "runner",
                "activeDeadlineSeconds": 600,
                "arguments": {"parameters": [{"name": "msg", "value": "hi"}]},
                "templates": [{"name": "main", "retryStrategy": {"limit": 2},
                    "steps": [[{"name": "a", "templateRef": {"name": "shared", "template": "echo"},
                        "arguments": {"parameters": [{"name": "msg", "value": "{{workflow.parameters.msg}}"}]}}],
                        [{"name": "b", "template": "leaf", "when": "{{steps.a.status}} == Succeeded"}]]},
                    {"name": "leaf", "container": {"image": "alpine:3.20", "command": ["sh"],
                        "env": [{"name": "T", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "t"}}}],
                        "resources": {"requests": {"cpu": "10m", "memory": "8Mi"}}}}]}
        }),
    )
}

/// The AdmissionReview handler. The first byte picks the mode:
/// - `0`: the rest is the raw request body;
/// - `1`/`2`: the rest, if JSON, is the object of a CREATE/UPDATE review of a kind picked by
///   the first byte (wrong kinds, missing fields and every shape of `spec` come from the data);
/// - `3`: a valid review with one node (picked by the next two bytes) replaced by the rest,
///   parsed as JSON, or by the rest as a string.
pub fn admission(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let kind = KINDS[usize::from(first >> 2) % KINDS.len()];
    match first & 3 {
        0 => decide(rest),
        1 | 2 => {
            if let Ok(object) = serde_json::from_slice::<serde_json::Value>(rest) {
                let op = if first & 3 == 1 { "CREATE" } else { "UPDATE" };
                decide(review_of(kind, op, &object).to_string().as_bytes());
            }
        }
        _ => {
            let (Some(&hi), Some(&lo)) = (rest.first(), rest.get(1)) else {
                return;
            };
            let value = rest.get(2..).unwrap_or_default();
            let replacement = serde_json::from_slice(value)
                .unwrap_or_else(|_| serde_json::Value::String(text(value)));
            let mut review = valid_review();
            let mut all = Vec::new();
            pointers(&review, String::new(), &mut all);
            let at = &all[usize::from(u16::from_be_bytes([hi, lo])) % all.len()];
            if let Some(node) = review.pointer_mut(at) {
                *node = replacement;
            }
            decide(review.to_string().as_bytes());
        }
    }
}

/// Where a `dagg` input splits into a DAG file and a Go template.
pub const DAGG_TEMPLATE_MARK: &str = "\n#template\n";

/// `bosun gen` and `bosun reverse`: the input is a DAG file, optionally followed by
/// [`DAGG_TEMPLATE_MARK`] and a Go template. The DAG file goes through the reader and Bosun's
/// own compilation (then the compiled manifest back through `reverse`), and with a template
/// through the Go template engine; every generated manifest is linted. Every diagnostic's span
/// must lie inside its own source.
pub fn dagg(data: &[u8]) {
    use compiler::dagg::compile::CompileOptions;
    use compiler::dagg::generate::{Mode as GenMode, Request, generate};
    use compiler::dagg::reverse::reverse;
    use compiler::dagg::template::Limits as TemplateLimits;

    let src = text(data);
    let (dag, template) = match src.split_once(DAGG_TEMPLATE_MARK) {
        Some((d, t)) => (d.to_string(), Some(t.to_string())),
        None => (src.clone(), None),
    };
    let mut modes = vec![GenMode::Compile(CompileOptions::default())];
    if let Some(text) = template {
        modes.push(GenMode::Template {
            name: "fuzz.tmpl".into(),
            text,
        });
    }
    // Smaller budgets than the CLI's keep each execution fast; they are still budgets the
    // engine must honour without panicking.
    let template_limits = TemplateLimits {
        max_depth: 50,
        max_steps: 100_000,
        max_output: 1 << 20,
    };
    for mode in modes {
        let compiled = matches!(mode, GenMode::Compile(_));
        let generated = generate(Request {
            dag_name: "fuzz.dag".into(),
            dag_text: dag.clone(),
            mode,
            output_name: "<generated>".into(),
            lint: LintSettings::default(),
            template_limits: template_limits.clone(),
        });
        assert_spans_inside(&generated.report.diagnostics, &generated.loaded);
        if let (true, Some(manifest)) = (compiled, generated.manifest) {
            let mut loaded = Loaded::default();
            let id = loaded.add_text("generated.yaml".to_string(), manifest);
            let back = reverse(
                &mut loaded,
                id,
                &CompileOptions::default(),
                &compiler::parse::Limits::default(),
            );
            assert_spans_inside(&back.diagnostics, &loaded);
        }
    }
}

fn assert_spans_inside(diagnostics: &[compiler::diagnostics::Diagnostic], loaded: &Loaded) {
    for d in diagnostics {
        let span = d.span();
        let len = loaded.sources.get(span.file).map_or(0, |f| f.text().len());
        assert!(
            span.start <= span.end && span.end as usize <= len,
            "{} span {}..{} outside its {len}-byte source",
            d.code(),
            span.start,
            span.end
        );
    }
}
