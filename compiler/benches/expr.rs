//! Throughput of the expression engine (issue 4 acceptance): tag tokenising, expr parsing,
//! evaluation and whole-tag substitution over representative expressions, plus a large `when`
//! and a long `depends`.
//!
//! `cargo bench -p compiler --bench expr` prints one line per workload:
//! `expr <workload>: <ns> ns/op, <ops> ops/s (<items> items, median of <runs>)`, where an op is
//! one pass over the workload's items. The workloads:
//! - `vectors`: field values of the spec's §7 (core language, Argo helpers, sprig, jsonpath,
//!   loops, `%v` output), with their bindings;
//! - `seed`: the seed's metric expressions (`sprig.regexReplaceAll` template name, `sprig.ternary`
//!   result) and argument tags;
//! - `when-large`: a `when` of 200 `'{{tasks.tN.outputs.result}}' == ok` clauses joined with
//!   `&&`, substituted then evaluated by govaluate;
//! - `depends-long`: a `depends` over 300 tasks (`tN.Succeeded || tN.Skipped` and bare names),
//!   parsed and evaluated.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use compiler::expr::depends::{self, TaskStatus};
use compiler::expr::tags::{Piece, TagKind, tokenize};
use compiler::expr::template::{Mode, substitute};
use compiler::expr::when::{self, WhenOptions};
use compiler::expr::{Bindings, Env, Limits, evaluate, parse};

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

/// Runs `f` enough times per sample for ~20 ms, and reports the median time of one call.
fn report(name: &str, items: usize, mut f: impl FnMut()) {
    let t = Instant::now();
    f();
    let once = t.elapsed().max(Duration::from_nanos(1));
    let reps = (Duration::from_millis(20).as_nanos() / once.as_nanos()).clamp(1, 100_000) as u32;
    let runs = 15;
    let per = median(runs, || {
        for _ in 0..reps {
            f();
        }
    }) / reps;
    let ns = per.as_nanos().max(1);
    println!(
        "expr {name}: {ns} ns/op, {:.0} ops/s ({items} items, median of {runs})",
        1e9 / ns as f64
    );
}

type Case = (&'static str, &'static [(&'static str, &'static str)]);

/// Field values from the spec's §7 with the bindings they are evaluated with.
const VECTORS: &[Case] = &[
    ("{{foo}}", &[("foo", "bar")]),
    (
        "pre-{{tasks.producer.outputs.parameters.msg}}-post",
        &[("tasks.producer.outputs.parameters.msg", "x")],
    ),
    ("{{=10/4}}|{{=10/2}}|{{=7 % 3}}|{{=2 ** 10}}", &[]),
    ("{{=filter([1, 2, 3], {# > 1})}}", &[]),
    ("{{= {b: 'x', a: 1} }}", &[]),
    (
        "{{=1e21}}|{{=0.1 + 0.2}}|{{=1e-7}}|{{=100000000000000000000.0}}|{{=3.0}}",
        &[],
    ),
    (
        "{{=inputs.parameters.x + '1'}}",
        &[("inputs.parameters.x", "1")],
    ),
    ("{{=len('héllo')}}|{{='héllo'[1:3]}}|{{='abc'[-1:]}}", &[]),
    ("{{='Hello World' | lower() | split(' ')}}", &[]),
    (
        "{{=(nil ?? 'x') + 'y'}}|{{=true ? 1 : 2}}|{{=if 1 > 2 { 'a' } else { 'b' } }}",
        &[],
    ),
    (
        "{{=any([1, 2], # > 1)}}|{{=all([], # > 1)}}|{{=count([1, 2, 3], # > 1)}}|{{=reduce(1..3, #acc + #)}}",
        &[],
    ),
    (
        "{{=find([1, 2, 3], # > 1)}}|{{=groupBy([1, 2, 3], # % 2)}}|{{=sortBy(['bb', 'a'], len(#))}}",
        &[],
    ),
    ("{{=toJSON({b: 1, a: [1, 2]})}}", &[]),
    (
        "{{=date('2021-03-04').Year()}}|{{=duration('1h30m').Minutes()}}",
        &[],
    ),
    (
        "{{=asInt(inputs.parameters.foo) * 10}}",
        &[("inputs.parameters.foo", "3")],
    ),
    (
        "{{=string(1.5) + '|' + string([1, 2]) + '|' + string({a: 1})}}",
        &[],
    ),
    ("{{=toJson([1, '2', {an: 'object'}])}}", &[]),
    (
        r#"{{=jsonpath(workflow.parameters.config, '$.employees[?(@.name=="Baris")].age')}}"#,
        &[(
            "workflow.parameters.config",
            r#"{"employees": [{"name": "Baris", "age": 43}, {"name": "Mo", "age": 42}]}"#,
        )],
    ),
    (
        "{{=inputs.parameters['my-param']}}|{{='my-param' in inputs.parameters}}",
        &[("inputs.parameters.my-param", "v")],
    ),
    (
        "{{= (sprig.int(lastRetry.exitCode)==1 ? (sprig.int(retries)+1) : 1)* 100}}Mi",
        &[("retries", "1"), ("lastRetry.exitCode", "1")],
    ),
    (
        "{{=item}}|{{item}}|{{item.a}}",
        &[
            ("item", r#"{"a":1,"b":"x"}"#),
            ("item.a", "1"),
            ("item.b", "x"),
        ],
    ),
    (
        "test {{= sprig.trunc(5, inputs.parameters.message) }}",
        &[("inputs.parameters.message", "hello world")],
    ),
    (
        "{{=sprig.add(1, 2.9)}}|{{=sprig.div(7, 2)}}|{{=sprig.mul(2, 3, 4)}}",
        &[],
    ),
    (
        "{{=sprig.regexReplaceAll('a(x*)b', '-ab-axxb-', '${1}W')}}",
        &[],
    ),
    (
        "{{=sprig.dict('a', 1, 'b')}}|{{=sprig.merge({a: 1}, {a: 2, b: 3})}}",
        &[],
    ),
    ("{{=sprig.sha256sum('hello')}}", &[]),
    (
        "{{=sprig.kebabcase('FirstName')}}|{{=sprig.title('hello world')}}",
        &[],
    ),
    (
        "{{=sprig.dateInZone('2006-01-02T15:04:05Z07:00', sprig.toDate('2006-01-02T15:04:05Z07:00', '2021-03-04T10:00:00Z'), 'Asia/Tokyo')}}",
        &[],
    ),
];

/// The seed's expressions (seed 002 metrics, seed workflow arguments).
const SEED: &[Case] = &[
    (
        r#"{{= sprig.regexReplaceAll("(.*)-[^-]*-[^-]*$", workflow.name, "$1") }}"#,
        &[("workflow.name", "sample-module-wf-abc12-def34")],
    ),
    (
        "{{= sprig.ternary('0', '1', workflow.status == 'Succeeded')}}",
        &[("workflow.status", "Succeeded")],
    ),
    ("{{workflow.status}}", &[("workflow.status", "Failed")]),
    (
        "{{workflow.parameters.target_subpackage}}.task1",
        &[("workflow.parameters.target_subpackage", "sample_module")],
    ),
    (
        "my_app.{{inputs.parameters.target_module}}",
        &[("inputs.parameters.target_module", "sample_module.task1")],
    ),
];

fn bindings(b: &[(&str, &str)]) -> Bindings {
    b.iter()
        .map(|(k, v)| (k.to_string(), Some(v.to_string())))
        .collect()
}

/// The expression tags of the cases, with the environment they are evaluated in.
fn expressions(cases: &[Case]) -> Vec<(String, Env)> {
    let mut out = Vec::new();
    for (text, b) in cases {
        let env = Env::from_flat(&bindings(b));
        for piece in tokenize(text).unwrap_or_default() {
            if let Piece::Tag(t) = piece
                && t.kind == TagKind::Expression
            {
                out.push((t.expression().0.to_string(), env.clone()));
            }
        }
    }
    out
}

fn bench_cases(label: &str, cases: &[Case], limits: &Limits) {
    let prepared: Vec<(&str, Bindings)> = cases.iter().map(|(t, b)| (*t, bindings(b))).collect();
    for (text, b) in &prepared {
        if let Err(e) = substitute(text, b, &Mode::Strict, limits) {
            panic!("{label}: {text}: {e}");
        }
    }
    let exprs = expressions(cases);
    let parsed: Vec<_> = exprs
        .iter()
        .map(|(src, env)| (parse(src, limits).expect("parses"), env))
        .collect();
    report(&format!("{label} tokenize"), cases.len(), || {
        for (text, _) in &prepared {
            black_box(tokenize(black_box(text)).ok());
        }
    });
    report(&format!("{label} parse"), exprs.len(), || {
        for (src, _) in &exprs {
            black_box(parse(black_box(src), limits).ok());
        }
    });
    report(&format!("{label} eval"), parsed.len(), || {
        for (expr, env) in &parsed {
            black_box(evaluate(expr, env, limits).ok());
        }
    });
    report(&format!("{label} substitute"), prepared.len(), || {
        for (text, b) in &prepared {
            black_box(substitute(black_box(text), b, &Mode::Strict, limits).ok());
        }
    });
}

fn main() {
    let limits = Limits::default();
    bench_cases("vectors", VECTORS, &limits);
    bench_cases("seed", SEED, &limits);

    // A large `when`: 200 clauses, substituted (strict-prefix, as steps/tasks do) then evaluated.
    let n = 200;
    let when_text: String = (0..n)
        .map(|i| format!("'{{{{tasks.t{i}.outputs.result}}}}' == ok"))
        .collect::<Vec<_>>()
        .join(" && ");
    let when_bindings: Bindings = (0..n)
        .map(|i| (format!("tasks.t{i}.outputs.result"), Some("ok".to_string())))
        .collect();
    let mode = Mode::StrictPrefix(vec!["steps".into(), "tasks".into()]);
    let when_limits = Limits {
        max_tokens: 4096,
        ..limits
    };
    let substituted = substitute(&when_text, &when_bindings, &mode, &when_limits).expect("subst");
    assert_eq!(
        when::evaluate(&substituted, WhenOptions::default(), &when_limits),
        Ok(true)
    );
    report("when-large substitute+evaluate", 1, || {
        let s = substitute(black_box(&when_text), &when_bindings, &mode, &when_limits);
        black_box(
            s.map(|s| when::evaluate(&s, WhenOptions::default(), &when_limits))
                .ok(),
        );
    });
    report("when-large evaluate", 1, || {
        black_box(
            when::evaluate(
                black_box(&substituted),
                WhenOptions::default(),
                &when_limits,
            )
            .ok(),
        );
    });

    // A long `depends` over 300 tasks.
    let tasks = 300;
    let depends_text: String = (0..tasks)
        .map(|i| match i % 3 {
            0 => format!("(task-{i}.Succeeded || task-{i}.Skipped)"),
            1 => format!("task-{i}"),
            _ => format!("!task-{i}.Failed"),
        })
        .collect::<Vec<_>>()
        .join(" && ");
    let statuses: BTreeMap<String, TaskStatus> = (0..tasks)
        .map(|i| {
            let status = TaskStatus {
                phase: "Succeeded".into(),
                ..TaskStatus::default()
            };
            (format!("task-{i}"), status)
        })
        .collect();
    let depends_limits = Limits {
        max_tokens: 8192,
        max_len: 64 * 1024,
        ..limits
    };
    let tree = depends::parse(&depends_text, &depends_limits).expect("depends parses");
    assert_eq!(depends::evaluate(&tree, &statuses), Ok(true));
    report("depends-long parse", 1, || {
        black_box(depends::parse(black_box(&depends_text), &depends_limits).ok());
    });
    report("depends-long evaluate", 1, || {
        black_box(depends::evaluate(&tree, &statuses).ok());
    });
}
