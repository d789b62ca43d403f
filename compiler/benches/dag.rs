//! DAG lint benchmark: generated DAGs of 1k to 16k tasks (chains with fan-in every 8 tasks,
//! a parameter passed along every edge), linted with every rule enabled.
//!
//! Run with `cargo bench -p compiler --bench dag`. Prints, per size, the best of several runs and
//! the growth ratio per doubling (near-linear is ~2×).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use compiler::LintSettings;
use compiler::config::RuleSelection;

const SIZES: [usize; 5] = [1_000, 2_000, 4_000, 8_000, 16_000];
const RUNS: usize = 5;

/// A Workflow whose DAG has `n` tasks: task `i` depends on `i-1` (a chain) and every 8th task
/// also on `i-8` and `i-5` (fan-in); each task passes the previous task's output parameter on.
fn workflow(n: usize) -> String {
    let mut s = String::with_capacity(n * 200);
    s.push_str(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: big-dag-\n\
         spec:\n  entrypoint: main\n  templates:\n    - name: work\n      inputs:\n        \
         parameters: [{name: in}]\n      outputs:\n        parameters:\n          - name: out\n            \
         valueFrom: {path: /tmp/out}\n      container:\n        image: alpine:3.20\n        \
         command: [sh, -c, \"echo {{inputs.parameters.in}} > /tmp/out\"]\n    - name: main\n      \
         dag:\n        tasks:\n",
    );
    for i in 0..n {
        let _ = write!(s, "          - name: t{i}\n            template: work\n");
        let deps: Vec<String> = if i == 0 {
            Vec::new()
        } else if i % 8 == 0 && i >= 8 {
            vec![
                format!("t{}", i - 1),
                format!("t{}", i - 8),
                format!("t{}", i - 5),
            ]
        } else {
            vec![format!("t{}", i - 1)]
        };
        if !deps.is_empty() {
            let _ = writeln!(s, "            depends: \"{}\"", deps.join(" && "));
        }
        let value = match i {
            0 => "seed".to_string(),
            _ => format!("{{{{tasks.t{}.outputs.parameters.out}}}}", i - 1),
        };
        let _ = write!(
            s,
            "            arguments:\n              parameters: [{{name: in, value: \"{value}\"}}]\n"
        );
    }
    s
}

/// The best time of [`RUNS`] lints of `text`.
fn best_of(text: &str, settings: &LintSettings) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        let (_, report) = compiler::lint_text("bench.yaml", text, settings);
        let elapsed = start.elapsed();
        assert_eq!(
            report.counts().errors,
            0,
            "generated DAG should lint clean: {:?}",
            report.diagnostics.first().map(|d| &d.message)
        );
        best = best.min(elapsed);
    }
    best
}

fn main() {
    let all = LintSettings::default();
    // Names, DAG and steps rules only (parsing and classification always run).
    let graph_only = LintSettings {
        rules: RuleSelection::only(&["AW2", "AW3"]),
        ..LintSettings::default()
    };
    // Parsing and classification only: no check runs.
    let parse_only = LintSettings {
        rules: RuleSelection::only(&["AW0"]),
        ..LintSettings::default()
    };
    let mut previous: Option<(Duration, Duration)> = None;
    println!(
        "| tasks | YAML size | all rules (best of {RUNS}) | growth | AW2xx+AW3xx only | growth | parse only |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let ratio = |now: Duration, before: Option<Duration>| {
        before.map_or("—".to_string(), |p| {
            format!("{:.2}×", now.as_secs_f64() / p.as_secs_f64())
        })
    };
    for n in SIZES {
        let text = workflow(n);
        let full = best_of(&text, &all);
        let ours = best_of(&text, &graph_only);
        let parse = best_of(&text, &parse_only);
        println!(
            "| {n} | {} KiB | {:.1} ms | {} | {:.1} ms | {} | {:.1} ms |",
            text.len() / 1024,
            full.as_secs_f64() * 1e3,
            ratio(full, previous.map(|p| p.0)),
            ours.as_secs_f64() * 1e3,
            ratio(ours, previous.map(|p| p.1)),
            parse.as_secs_f64() * 1e3,
        );
        previous = Some((full, ours));
    }
}
