//! Lint throughput against a bare parse of the same bytes.
//!
//! `cargo bench -p compiler --bench lint` prints, for each input, the median time of a bare
//! granit-parser event pass (the floor any YAML linter pays), of `bosun`'s tree building alone,
//! and of the full lint, with MB/s, documents/s and the lint/parse ratio. Inputs: the bundled
//! `examples/`, Argo's upstream examples (when `../shared` exists) and a generated ~1 MB DAG
//! workflow. Figures are recorded in BENCHMARKS.md.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use compiler::LintSettings;
use compiler::load::{Input, Loaded, load};
use compiler::parse::{Limits, parse_file};

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

/// Generates a Workflow with one DAG of `tasks` tasks: each depends on up to two earlier tasks,
/// passes a parameter along the edge, and has a `when`; plus one container template.
pub fn generated_dag(tasks: usize) -> String {
    let mut s = String::with_capacity(tasks * 260);
    s.push_str(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: big-dag-\nspec:\n  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n",
    );
    for i in 0..tasks {
        s.push_str(&format!(
            "          - name: task-{i}\n            template: work\n"
        ));
        if i > 0 {
            let a = i - 1;
            let b = i / 2;
            s.push_str(&format!(
                "            dependencies: [task-{a}, task-{b}]\n            when: \"{{{{tasks.task-{a}.outputs.parameters.out}}}} != skip\"\n"
            ));
        }
        s.push_str(&format!(
            "            arguments:\n              parameters:\n                - name: in\n                  value: \"{{{{workflow.name}}}}-{i}\"\n"
        ));
    }
    s.push_str(
        "    - name: work\n      inputs:\n        parameters:\n          - name: in\n      outputs:\n        parameters:\n          - name: out\n            valueFrom:\n              path: /tmp/out\n      container:\n        image: alpine:3.20\n        command: [sh, -c]\n        args: [\"echo {{inputs.parameters.in}} > /tmp/out\"]\n        resources:\n          requests: {cpu: 100m, memory: 64Mi}\n",
    );
    s
}

fn bare_parse(text: &str) -> usize {
    let mut parser = granit_parser::Parser::new_from_str(text);
    let mut events = 0usize;
    while let Some(Ok(ev)) = parser.next_event() {
        black_box(&ev);
        events += 1;
    }
    events
}

fn report(label: &str, loaded: &Loaded, settings: &LintSettings) {
    let bytes: usize = loaded.sources.files().iter().map(|f| f.text().len()).sum();
    let runs = if bytes > 500_000 { 15 } else { 51 };
    let parse = median(runs, || {
        for f in loaded.sources.files() {
            black_box(bare_parse(f.text()));
        }
    });
    let tree = median(runs, || {
        for f in loaded.sources.files() {
            black_box(parse_file(f, &Limits::default(), &mut Vec::new()));
        }
    });
    let mut documents = 0;
    let lint = median(runs, || {
        let r = compiler::lint(loaded, settings);
        documents = r.documents;
        black_box(r);
    });
    let mb = bytes as f64 / 1e6;
    let per_s = |d: Duration| mb / d.as_secs_f64();
    println!(
        "{label:<28} {:>9} bytes {:>5} docs | parse {:>8.2?} ({:>6.1} MB/s) | tree {:>8.2?} | lint {:>8.2?} ({:>6.1} MB/s, {:>8.0} docs/s) | lint/parse {:.2}x",
        bytes,
        documents,
        parse,
        per_s(parse),
        tree,
        lint,
        per_s(lint),
        documents as f64 / lint.as_secs_f64(),
        lint.as_secs_f64() / parse.as_secs_f64(),
    );
}

fn main() {
    let settings = LintSettings::default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");

    let examples =
        load(&[Input::Path(root.join("examples"))], &settings.limits).expect("examples load");
    report("bundled examples/", &examples, &settings);

    let corpus = root.join("../shared/corpus/argo-examples");
    if corpus.is_dir() {
        let loaded = load(&[Input::Path(corpus)], &settings.limits).expect("corpus loads");
        report("argo-examples corpus", &loaded, &settings);
    } else {
        println!("argo-examples corpus: skipped (../shared not found)");
    }

    for tasks in [1_000, 4_000] {
        let mut loaded = Loaded::default();
        loaded.add_text(format!("dag-{tasks}.yaml"), generated_dag(tasks));
        report(&format!("generated DAG, {tasks} tasks"), &loaded, &settings);
    }
}
