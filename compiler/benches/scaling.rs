//! Scaling curves and throughput with peak memory (issue 10).
//!
//! `cargo bench -p compiler --bench scaling` (or `scripts/bench.sh scaling`) prints one line
//! per measurement in a stable `key=value` format:
//!
//! ```text
//! scaling curve=<name> n=<size> bytes=<input bytes> docs=<documents> median_ms=<ms>
//!   growth=<time / time at half the size, or -> mb_s=<MB/s> docs_s=<documents/s>
//!   peak_rss_mib=<MiB> diagnostics=<count>
//! ```
//!
//! Curves (every rule enabled, median of several runs after a warm-up):
//! - `steps-groups`: one steps template with n steps in groups of 4, each step passing an output
//!   of a step of the previous group (the steps scope: earlier groups only);
//! - `templateref-fanout`: one Workflow whose single steps group makes n `templateRef` calls
//!   into 20 WorkflowTemplates of 10 templates each (all in the run), with arguments;
//! - `documents`: n generated files in one run, each a Workflow (steps, DAG or script) of a
//!   few templates, 1 in 10 a WorkflowTemplate that the others reference: documents/s;
//! - `generated-mix`: the 1,000-document input above as throughput (MB/s, docs/s) next to
//!   `examples` (the bundled examples) and `argo-examples` (Argo's upstream examples, when
//!   `../shared` exists).
//!
//! `peak_rss_mib` is the process's `VmHWM` from `/proc/self/status`, reset through
//! `/proc/self/clear_refs` before each measurement: the input, the lint runs and whatever the
//! allocator kept from earlier rows (so rows are upper bounds; the first row of each curve is
//! the fairest). `BOSUN_BENCH_MAX` caps n (default 16,000; documents up to 4,000).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use compiler::LintSettings;
use compiler::load::{Input, Loaded, load};

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

/// Resets the process's peak RSS (Linux; ignored elsewhere).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak RSS since the last reset, in MiB (0 where /proc is missing).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// One measurement row; `previous` is the median of the row at half the size, if any.
fn measure(curve: &str, n: usize, loaded: &Loaded, previous: Option<Duration>) -> Duration {
    let settings = LintSettings::default();
    let bytes: usize = loaded.sources.files().iter().map(|f| f.text().len()).sum();
    let runs = match bytes {
        0..=1_000_000 => 11,
        1_000_001..=4_000_000 => 7,
        _ => 5,
    };
    reset_peak();
    let mut docs = 0;
    let mut diagnostics = 0;
    let time = median(runs, || {
        let r = compiler::lint(loaded, &settings);
        docs = r.documents;
        diagnostics = r.diagnostics.len();
        black_box(r);
    });
    let rss = peak_rss_mib();
    let secs = time.as_secs_f64();
    let growth = previous.map_or_else(
        || "-".to_owned(),
        |p| format!("{:.2}", secs / p.as_secs_f64()),
    );
    println!(
        "scaling curve={curve} n={n} bytes={bytes} docs={docs} median_ms={:.2} growth={growth} mb_s={:.1} docs_s={:.0} peak_rss_mib={rss:.0} diagnostics={diagnostics}",
        secs * 1e3,
        bytes as f64 / 1e6 / secs,
        docs as f64 / secs,
    );
    time
}

const HEAD: &str =
    "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: bench-\n";

/// The leaf template every generator calls: one input, one output parameter.
const LEAF: &str = "    - name: leaf\n      inputs:\n        parameters:\n          - name: in\n      outputs:\n        parameters:\n          - name: out\n            valueFrom: {path: /tmp/out}\n      container:\n        image: alpine:3.20\n        args: [\"echo {{inputs.parameters.in}} > /tmp/out\"]\n";

/// n steps in groups of 4; each step passes an output of a step of the previous group.
fn steps_groups(n: usize) -> String {
    let mut s =
        format!("{HEAD}spec:\n  entrypoint: main\n  templates:\n    - name: main\n      steps:\n");
    for i in 0..n {
        if i % 4 == 0 {
            s.push_str("        -\n");
        }
        let value = if i < 4 {
            "{{workflow.name}}".to_owned()
        } else {
            format!("{{{{steps.s{}.outputs.parameters.out}}}}", i - 4)
        };
        s.push_str(&format!(
            "          - name: s{i}\n            template: leaf\n            arguments:\n              parameters:\n                - {{name: in, value: \"{value}\"}}\n"
        ));
    }
    s.push_str(LEAF);
    s
}

/// A WorkflowTemplate `name` with `templates` leaf templates `t0..`.
fn library(name: &str, templates: usize) -> String {
    let mut s = format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: {name}\nspec:\n  templates:\n"
    );
    for t in 0..templates {
        s.push_str(&LEAF.replace("name: leaf", &format!("name: t{t}")));
    }
    s
}

/// One steps group of n `templateRef` calls into `lib-0..lib-19`, plus those libraries.
fn templateref_fanout(n: usize) -> Loaded {
    let mut loaded = Loaded::default();
    for l in 0..20 {
        loaded.add_text(format!("lib-{l}.yaml"), library(&format!("lib-{l}"), 10));
    }
    let mut s = format!(
        "{HEAD}spec:\n  entrypoint: main\n  templates:\n    - name: main\n      steps:\n        -\n"
    );
    for i in 0..n {
        s.push_str(&format!(
            "          - name: call-{i}\n            templateRef: {{name: lib-{}, template: t{}}}\n            arguments:\n              parameters:\n                - {{name: in, value: \"{{{{workflow.name}}}}-{i}\"}}\n",
            (i / 10) % 20,
            i % 10
        ));
    }
    loaded.add_text("fanout.yaml", s);
    loaded
}

/// Document `i` of the generated corpus: every tenth a WorkflowTemplate, the others Workflows
/// of three shapes, some referencing a WorkflowTemplate of the run.
fn document(i: usize, n: usize) -> String {
    let libs = n.div_ceil(10);
    if i.is_multiple_of(10) {
        return library(&format!("lib-{}", i / 10), 3);
    }
    let lib = (i * 7) % libs;
    match i % 3 {
        0 => format!(
            "{HEAD}spec:\n  entrypoint: main\n  arguments:\n    parameters:\n      - {{name: msg, value: hello}}\n  templates:\n    - name: main\n      steps:\n        - - {{name: a, template: leaf, arguments: {{parameters: [{{name: in, value: \"{{{{workflow.parameters.msg}}}}\"}}]}}}}\n        - - name: b\n            templateRef: {{name: lib-{lib}, template: t1}}\n            when: \"{{{{steps.a.outputs.parameters.out}}}} != skip\"\n            arguments: {{parameters: [{{name: in, value: \"{{{{steps.a.outputs.parameters.out}}}}\"}}]}}\n{LEAF}"
        ),
        1 => format!(
            "{HEAD}spec:\n  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n          - {{name: a, template: leaf, arguments: {{parameters: [{{name: in, value: x}}]}}}}\n          - {{name: b, depends: a, template: leaf, arguments: {{parameters: [{{name: in, value: \"{{{{tasks.a.outputs.parameters.out}}}}\"}}]}}}}\n          - name: c\n            depends: \"a && (b.Succeeded || b.Failed)\"\n            templateRef: {{name: lib-{lib}, template: t2}}\n            arguments: {{parameters: [{{name: in, value: \"{{{{=sprig.upper(tasks.b.outputs.parameters.out)}}}}\"}}]}}\n{LEAF}"
        ),
        _ => format!(
            "{HEAD}spec:\n  entrypoint: main\n  activeDeadlineSeconds: 600\n  templates:\n    - name: main\n      retryStrategy: {{limit: \"3\", retryPolicy: OnFailure}}\n      script:\n        image: python:3.12\n        command: [python]\n        resources: {{requests: {{cpu: 100m, memory: 64Mi}}}}\n        source: |\n          import json\n          print(json.dumps({{\"i\": {i}}}))\n"
        ),
    }
}

fn documents(n: usize) -> Loaded {
    let mut loaded = Loaded::default();
    for i in 0..n {
        loaded.add_text(format!("doc-{i}.yaml"), document(i, n));
    }
    loaded
}

/// Runs a doubling curve from `from` to `to`.
fn curve(name: &str, from: usize, to: usize, make: impl Fn(usize) -> Loaded) {
    let mut previous = None;
    let mut n = from;
    while n <= to {
        let loaded = make(n);
        previous = Some(measure(name, n, &loaded, previous));
        n *= 2;
    }
}

fn single(name: &str, text: String) -> Loaded {
    let mut loaded = Loaded::default();
    loaded.add_text(format!("{name}.yaml"), text);
    loaded
}

fn main() {
    let max: usize = std::env::var("BOSUN_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let limits = LintSettings::default().limits;

    // Throughput.
    if let Ok(examples) = load(&[Input::Path(root.join("examples"))], &limits) {
        measure("examples", 1, &examples, None);
    }
    let corpus = root.join("../shared/corpus/argo-examples");
    if let Ok(loaded) = load(&[Input::Path(corpus)], &limits) {
        measure("argo-examples", 1, &loaded, None);
    }
    measure("generated-mix", 1_000, &documents(1_000), None);

    // Curves.
    curve("steps-groups", 1_000, max, |n| {
        single("steps", steps_groups(n))
    });
    curve("templateref-fanout", 1_000, max, templateref_fanout);
    curve("documents", 125, max.min(4_000), documents);
}
