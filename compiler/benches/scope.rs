//! Scaling of the scope checks on large DAGs (issue 3 acceptance).
//!
//! `cargo bench -p compiler --bench scope` lints generated DAG workflows of 1k, 2k, 4k, 8k and
//! 16k tasks in which every task depends on two earlier tasks and passes their output
//! parameters along both edges (in arguments, a `when` and a `{{= }}` expression), and prints
//! the median full-lint time, the time with only the variable and argument checks (AW4xx)
//! enabled, and the ratio to the previous size. Each doubling must cost at most ~2.2×.

use std::hint::black_box;
use std::time::{Duration, Instant};

use compiler::LintSettings;
use compiler::config::RuleSelection;
use compiler::load::Loaded;

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

/// A DAG of `tasks` tasks; task i depends on tasks i-1 and i/2 and reads their outputs.
fn generated_dag(tasks: usize) -> String {
    let mut s = String::with_capacity(tasks * 420);
    s.push_str(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: big-dag-\nspec:\n  entrypoint: main\n  templates:\n    - name: main\n      dag:\n        tasks:\n",
    );
    for i in 0..tasks {
        s.push_str(&format!(
            "          - name: task-{i}\n            template: work\n"
        ));
        let (a, b) = (i.saturating_sub(1), i / 2);
        if i > 0 {
            s.push_str(&format!(
                "            depends: task-{a} && task-{b}\n            when: \"'{{{{tasks.task-{a}.outputs.parameters.out}}}}' != skip\"\n            arguments:\n              parameters:\n                - name: in\n                  value: \"{{{{tasks.task-{a}.outputs.parameters.out}}}}-{{{{tasks.task-{b}.outputs.parameters.out}}}}\"\n                - name: num\n                  value: \"{{{{= asInt(tasks['task-{b}'].outputs.parameters.out) + 1 }}}}\"\n"
            ));
        } else {
            s.push_str("            arguments:\n              parameters:\n                - name: in\n                  value: start\n                - name: num\n                  value: \"0\"\n");
        }
    }
    s.push_str(
        "    - name: work\n      inputs:\n        parameters:\n          - name: in\n          - name: num\n      outputs:\n        parameters:\n          - name: out\n            valueFrom:\n              path: /tmp/out\n      container:\n        image: alpine:3.20\n        command: [sh, -c]\n        args: [\"echo {{inputs.parameters.in}} {{inputs.parameters.num}} > /tmp/out\"]\n",
    );
    s
}

fn main() {
    let mut all = LintSettings::default();
    // The 16k-task document is ~7.5 MB, above the default per-document limit.
    all.limits.max_document_bytes = 64 << 20;
    all.limits.max_file_bytes = 64 << 20;
    let codes: Vec<&str> = compiler::checks::all_rules()
        .into_iter()
        .map(|r| r.code)
        .filter(|c| c.starts_with("AW4"))
        .collect();
    let scope_only = LintSettings {
        rules: RuleSelection::only(&codes),
        limits: all.limits.clone(),
        ..LintSettings::default()
    };
    let mut previous: Option<Duration> = None;
    for tasks in [1_000, 2_000, 4_000, 8_000, 16_000] {
        let mut loaded = Loaded::default();
        let text = generated_dag(tasks);
        let size = text.len() as u64;
        loaded.add_bytes(
            format!("dag-{tasks}.yaml"),
            text.into_bytes(),
            size,
            &all.limits,
        );
        let runs = if tasks >= 8_000 { 5 } else { 11 };
        let mut count = 0;
        let full = median(runs, || {
            let r = compiler::lint(&loaded, &all);
            count = r.diagnostics.len();
            black_box(r);
        });
        let scope = median(runs, || {
            black_box(compiler::lint(&loaded, &scope_only));
        });
        let ratio = previous.map_or(String::from("-"), |p| {
            format!("{:.2}x", full.as_secs_f64() / p.as_secs_f64())
        });
        println!(
            "DAG {tasks:>6} tasks {:>9} bytes | lint {full:>9.2?} | AW4xx only {scope:>9.2?} | vs half size {ratio} | {count} diagnostics",
            loaded.sources.files()[0].text().len()
        );
        previous = Some(full);
    }
}
