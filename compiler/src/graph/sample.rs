//! Generated data-pipeline workflows of any size, for the layout benchmark, the layout tests and
//! the picture in the documentation. Deterministic: the same size and seed give the same text.

use std::fmt::Write as _;

const STAGES: [&str; 10] = [
    "extract", "clean", "validate", "join", "feature", "train", "score", "report", "load", "notify",
];

/// A small linear congruential generator (Knuth's MMIX constants): enough to vary shapes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % bound.max(1) as u64) as usize
    }
}

/// The dependencies of each task of an `n`-task pipeline: one to three recent tasks, with an
/// occasional fresh source. Task `i` only depends on tasks before it.
pub fn dependencies(n: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = Lcg(seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut deps: Vec<usize> = Vec::new();
        if i > 0 && rng.next(9) != 0 {
            let k = 1 + rng.next(2) + usize::from(rng.next(5) == 0);
            for _ in 0..k {
                // Mostly recent tasks, sometimes an older one.
                let window = i.min(if rng.next(5) == 0 { 20 } else { 6 });
                let d = i - 1 - rng.next(window);
                if !deps.contains(&d) {
                    deps.push(d);
                }
            }
        }
        deps.sort_unstable();
        out.push(deps);
    }
    out
}

/// The name of task `i` of an `n`-task pipeline.
pub fn task_name(i: usize, n: usize) -> String {
    let stage = STAGES[(i * STAGES.len() / n.max(1)).min(STAGES.len() - 1)];
    format!("{stage}-{i:02}")
}

/// A Workflow whose entrypoint is a DAG of `n` tasks shaped by [`dependencies`]. With
/// `decorate`, some edges test a result (`.Failed`), some tasks have a `when` and some loop.
pub fn pipeline(n: usize, seed: u64, decorate: bool) -> String {
    let deps = dependencies(n, seed);
    let mut s = String::with_capacity(n * 160 + 512);
    let _ = write!(
        s,
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: pipeline-{n}-\n\
         spec:\n  entrypoint: main\n  arguments:\n    parameters: [{{name: full, value: \"true\"}}]\n  templates:\n    - name: work\n      container:\n        \
         image: alpine:3.20\n        command: [sh, -c, \"echo work\"]\n    - name: main\n      dag:\n        tasks:\n"
    );
    for (i, d) in deps.iter().enumerate() {
        let _ = writeln!(s, "          - name: {}", task_name(i, n));
        s.push_str("            template: work\n");
        if !d.is_empty() {
            let operands: Vec<String> = d
                .iter()
                .enumerate()
                .map(|(k, &j)| {
                    let name = task_name(j, n);
                    if decorate && k == 0 && (i * 7 + j) % 23 == 0 {
                        format!("{name}.Failed")
                    } else {
                        name
                    }
                })
                .collect();
            let _ = writeln!(s, "            depends: \"{}\"", operands.join(" && "));
        }
        if decorate && i % 17 == 5 {
            s.push_str("            when: \"{{workflow.parameters.full}} == true\"\n");
        }
        if decorate && i % 13 == 7 {
            s.push_str("            withItems: [eu, us, ap]\n");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipelines_are_deterministic_and_acyclic() {
        assert_eq!(pipeline(30, 1, true), pipeline(30, 1, true));
        assert_ne!(dependencies(30, 1), dependencies(30, 2));
        for (i, d) in dependencies(200, 7).iter().enumerate() {
            assert!(d.iter().all(|&j| j < i));
        }
        assert_eq!(task_name(0, 50), "extract-00");
        assert_eq!(task_name(49, 50), "notify-49");
    }
}
