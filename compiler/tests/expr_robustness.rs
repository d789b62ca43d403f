//! Budgets, spans and a deterministic fuzz loop: hostile or mutated inputs must give a clean
//! error quickly and never panic or overflow the stack.

use std::time::{Duration, Instant};

use compiler::expr::check::{CheckOptions, PathScope, check_value};
use compiler::expr::lang::ExprKind;
use compiler::expr::template::{Mode, substitute};
use compiler::expr::when::{self, WhenOptions};
use compiler::expr::{Bindings, Env, ErrorKind, Limits, depends, evaluate, parse, tags};

fn eval_str(src: &str) -> Result<String, (ErrorKind, String)> {
    let l = Limits::default();
    let e = parse(src, &l).map_err(|e| (e.kind, e.message))?;
    let v = evaluate(&e, &Env::default(), &l).map_err(|e| (e.kind, e.message))?;
    Ok(compiler::expr::format::go_v(&v))
}

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{what} took {:?}",
        start.elapsed()
    );
    out
}

fn too_complex(src: &str) {
    let r = quick(src.get(..40).unwrap_or(src), || eval_str(src));
    match r {
        Err((ErrorKind::TooComplex, _)) => {}
        other => panic!(
            "{}: expected a too-complex error, got {other:?}",
            src.get(..40).unwrap_or(src)
        ),
    }
}

#[test]
fn long_flat_chains_are_too_complex_not_a_stack_overflow() {
    let src = format!("1{}", "+1".repeat(1024));
    assert!(src.len() > 2000);
    too_complex(&src);
    // At the limit it still evaluates.
    let ok = format!("1{}", "+1".repeat(98));
    assert_eq!(eval_str(&ok), Ok("99".into()));
}

#[test]
fn deep_nesting_is_too_complex() {
    too_complex(&format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000)));
    too_complex(&"[".repeat(700));
    too_complex(&format!("{}1{}", "[".repeat(700), "]".repeat(700)));
    too_complex(&"-".repeat(5_000));
    too_complex(&format!("{}true", "!".repeat(5_000)));
    too_complex(&format!("{}1{}", "f(".repeat(3_000), ")".repeat(3_000)));
    // Just under the limit, in a debug build on a test thread's stack.
    let ok = format!("{}1{}", "(".repeat(90), ")".repeat(90));
    assert_eq!(eval_str(&ok), Ok("1".into()));
    let ok = format!("{}1{}", "[".repeat(45), "]".repeat(45));
    assert!(eval_str(&ok).is_ok());
}

#[test]
fn huge_ranges_and_results_hit_the_budget() {
    too_complex("0..100000000");
    too_complex("1..9223372036854775807");
    too_complex("(-9223372036854775807 - 1)..9223372036854775807");
    too_complex("repeat('ab', 1000000000)");
    too_complex("sprig.repeat(1000000000, 'ab')");
    too_complex("sprig.until(1000000000)");
    too_complex("sprig.seq(1000000000)");
    too_complex("map(1..50000, map(1..50000, #))");
    too_complex("reduce(1..5000, [#acc], 0)");
    too_complex("reduce(1..64, #acc + #acc, 'ab')");
    too_complex("sprig.indent(1000000000, 'x')");
    too_complex("map(1..100000, repeat('a', 1000000))");
    too_complex("replace(repeat('a', 100000), 'a', repeat('b', 100000))");
    too_complex("sprig.replace('', repeat('b', 100000), repeat('a', 100000))");
    too_complex("sprig.indent(100000, repeat('\\n', 100000))");
    too_complex("sprig.regexReplaceAll('', repeat('a', 100000), '$0$0$0$0$0$0$0$0$0$0$0$0$0$0')");
    too_complex("sprig.wrapWith(1, repeat('x', 10000), repeat('a b ', 10000))");
}

#[test]
fn arithmetic_edge_cases_do_not_panic() {
    assert_eq!(
        eval_str("-9223372036854775807 - 2"),
        Ok("9223372036854775807".into())
    );
    assert_eq!(eval_str("(-9223372036854775807 - 1) % -1"), Ok("0".into()));
    assert_eq!(
        eval_str("abs(-9223372036854775807 - 1)"),
        Ok("-9223372036854775808".into())
    );
    assert_eq!(
        eval_str("(-9223372036854775807 - 1) * -1"),
        Ok("-9223372036854775808".into())
    );
    assert_eq!(
        eval_str("sprig.div(-9223372036854775807 - 1, -1)"),
        Ok("-9223372036854775808".into())
    );
    assert!(eval_str("sprig.mod(1, 0)").is_err());
    assert!(eval_str("9223372036854775808").is_err());
    assert_eq!(eval_str("bitshl(1, 99)"), Ok("0".into()));
    assert_eq!(eval_str("int(1e300)"), Ok("9223372036854775807".into()));
    assert!(eval_str("[1][9223372036854775807]").is_err());
    assert!(eval_str("'abc'[-9223372036854775807 - 1]").is_err());
    assert_eq!(
        eval_str("[1, 2, 3][-9223372036854775807 - 1:9223372036854775807]"),
        Ok("[1 2 3]".into())
    );
    assert!(eval_str("sprig.substr(-1, 99, 'abc')").is_err());
    assert!(eval_str("sprig.chunk(0, [1])").is_err());
    assert!(
        eval_str("sprig.untilStep(-9000000000000000000, 9000000000000000000, 8000000000000000000)")
            .is_ok()
    );
    assert!(eval_str(r"'x' matches '\\é'").is_err() || eval_str(r"'x' matches '\\é'").is_ok());
}

#[test]
fn deep_json_is_rejected_by_the_json_parser() {
    let deep = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
    assert!(quick("fromJSON", || eval_str(&format!("fromJSON('{deep}')"))).is_err());
    assert!(quick("jsonpath", || eval_str(&format!("jsonpath('{deep}', '$')"))).is_err());
}

#[test]
fn when_and_depends_have_depth_budgets() {
    let l = Limits::default();
    let w = format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000));
    let r = quick("when parens", || {
        when::evaluate(&w, WhenOptions::default(), &l)
    });
    assert_eq!(r.map_err(|e| e.kind), Err(ErrorKind::TooComplex));
    let w = format!("{}true", "!".repeat(10_000));
    assert!(
        quick("when prefix", || when::evaluate(
            &w,
            WhenOptions::default(),
            &l
        ))
        .is_err()
    );
    let d = format!("{}A{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(quick("depends parens", || depends::parse(&d, &l)).is_err());
    let d = format!("{}A", "!".repeat(10_000));
    assert!(quick("depends not", || depends::parse(&d, &l)).is_err());
}

#[test]
fn parser_records_spans_of_every_node() {
    let src = "a.b + f(x, 'y')";
    let e = parse(src, &Limits::default()).expect("parses");
    assert_eq!((e.range.start, e.range.end), (0, src.len()));
    let ExprKind::Binary { lhs, rhs, .. } = &e.kind else {
        panic!("binary")
    };
    assert_eq!(&src[lhs.range.range()], "a.b");
    assert_eq!(&src[rhs.range.range()], "f(x, 'y')");
    let ExprKind::Call { args, callee } = &rhs.kind else {
        panic!("call")
    };
    assert_eq!(&src[callee.range.range()], "f");
    assert_eq!(&src[args[1].range.range()], "'y'");
    let src = "sprig.upper(inputs.parameters['my-param'])";
    let e = parse(src, &Limits::default()).expect("parses");
    let ExprKind::Call { callee, args } = &e.kind else {
        panic!("call")
    };
    assert_eq!(&src[callee.range.range()], "sprig.upper");
    assert_eq!(&src[args[0].range.range()], "inputs.parameters['my-param']");
    let err = parse("1 + (2 *", &Limits::default()).expect_err("incomplete");
    assert_eq!(err.range.start, 8);
    let err = parse("a ? b", &Limits::default()).expect_err("no colon");
    assert_eq!(err.message, "unexpected token EOF");
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    "{{=sprig.regexReplaceAll('(.*)-[^-]*-[^-]*$', workflow.name, '$1')}}",
    "{{=sprig.ternary('0', '1', workflow.status == 'Succeeded')}}",
    "{{=map([jsonpath(sprig.b64dec(jsonpath(workflow.parameters.weather, '$.weekWeather')), '$.temps')], { toJson({avg: sprig.add(#[0], #[1]) / 5}) })[0]}}",
    "{{=filter([1, 2, 3], {# > 1}) | map(# * 2) | sum()}}",
    "{{=let x = 1; x + 1}} {{inputs.parameters.message}}",
    "{{=a?.b?.['c'] ?? nil ?? 'x'}}|{{=1..3}}|{{=[1,2,3][1:]}}",
    "{{=if 1 > 2 { 'a' } else { 'b' } }}{{=date('2021-03-04').Format('Jan 2')}}",
    "{{=jsonpath('{\"a\":[{\"b\":1}]}', '$.a[?(@.b > 0 && @.b < 2)].b')}}",
    "{{=sprig.dateInZone('2006-01-02', sprig.toDate('2006-01-02', '2021-03-04'), 'Asia/Tokyo')}}",
    "{{=reduce(1..3, #acc + #, 0) * 2 ** 3 ** 2 % 7}}{{= `raw` + \"\\u00e9\\x41\"}}",
    "{{='héllo'[1:3] + toJSON({a: [1.5, 1e21]}) + string(0x1F + 0b1 + 0o7 + 1_000)}}",
    "{{=sprig.semverCompare('^1.2', '1.3.0') && 'x' matches '\\\\d+' and not ('a' in ['b'])}}",
];

const INSERTS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "{{",
    "}}",
    "#",
    ".",
    "?.",
    "??",
    "..",
    "'",
    "\"",
    "`",
    "\\",
    "0",
    "9",
    "-",
    "|",
    "!",
    "not ",
    " in ",
    "0x",
    "1e",
    "9223372036854775807",
    ",",
    ":",
    "?",
    "=",
    " ",
    "sprig.",
    "#index",
    "é",
    "\u{7f}",
    "/*",
    "//",
    "**",
    "let ",
    ";",
];

fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if !chars.is_empty() => {
                let end = (at + 1 + rng.below(6)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let ins: Vec<char> = INSERTS[rng.below(INSERTS.len())].chars().collect();
                chars.splice(at..at, ins);
            }
            2 if !chars.is_empty() => {
                let a = rng.below(chars.len());
                let b = (a + 1 + rng.below(12)).min(chars.len());
                let piece: Vec<char> = chars[a..b].to_vec();
                chars.splice(at..at, piece);
            }
            _ if chars.len() > 1 => {
                let a = rng.below(chars.len());
                let b = rng.below(chars.len());
                chars.swap(a, b);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_inputs_never_panic_and_finish_within_budget() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let limits = Limits::default();
    let mut bindings = Bindings::new();
    bindings.insert(
        "workflow.name".into(),
        Some("sample-module-wf-abc12-def34".into()),
    );
    bindings.insert("workflow.status".into(), Some("Succeeded".into()));
    bindings.insert("inputs.parameters.message".into(), Some("hi".into()));
    bindings.insert(
        "workflow.parameters.weather".into(),
        Some(r#"{"weekWeather": "eyJ0ZW1wcyI6IFszNCwgMjcsIDE1LCA1NywgNDZdfQo="}"#.into()),
    );
    let scope = PathScope::new().with_all([
        "workflow.name",
        "workflow.status",
        "inputs.parameters.message",
    ]);
    let start = Instant::now();
    let mut inputs = 0;
    for seed in SEEDS {
        let mut current = seed.to_string();
        for _ in 0..250 {
            let m = mutate(&mut rng, &current);
            let one = Instant::now();
            for mode in [Mode::Strict, Mode::Lenient] {
                let _ = substitute(&m, &bindings, &mode, &limits);
            }
            let _ = check_value(&m, &scope, CheckOptions::default());
            if let Ok(ts) = tags::tags(&m) {
                for t in ts {
                    let (body, _) = t.expression();
                    if let Ok(e) = parse(body, &limits) {
                        let _ = evaluate(&e, &Env::from_flat(&bindings), &limits);
                    }
                }
            }
            let _ = when::evaluate(&m, WhenOptions::default(), &limits);
            let _ = depends::parse(&m, &limits);
            assert!(one.elapsed() < Duration::from_secs(2), "slow input: {m:?}");
            inputs += 1;
            // Walk: keep mutating from the mutant half of the time.
            if rng.below(2) == 0 && m.len() < 4096 {
                current = m;
            }
        }
    }
    assert_eq!(inputs, SEEDS.len() * 250);
    assert!(start.elapsed() < Duration::from_secs(60));
}

/// Random calls of every builtin and sprig function with random arguments.
#[test]
fn random_calls_never_panic() {
    use compiler::expr::builtins::{ARGO_HELPERS, BUILTINS};
    use compiler::expr::sprig::CATALOG;
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let limits = Limits::default();
    let args = [
        "0",
        "-1",
        "1",
        "2",
        "3",
        "9223372036854775807",
        "(-9223372036854775807 - 1)",
        "1.5",
        "-2.5",
        "1e308",
        "0.0",
        "''",
        "'a'",
        "'héllo'",
        "'a,b'",
        "'(x*)'",
        "'['",
        "'2006-01-02'",
        "'1h30m'",
        "'0x1F'",
        "'010'",
        "nil",
        "true",
        "false",
        "[]",
        "[1, 2, 3]",
        "['b', 'a']",
        "[[1], [2]]",
        "{}",
        "{a: 1, b: 'x'}",
        "{a: {b: nil}}",
        "1..3",
        "now()",
        "date('2021-03-04')",
        "duration('1s')",
        "sprig.semver('1.2.3')",
        "# ",
        "#index",
        "{# > 1}",
        "'{\"a\": [1]}'",
        "'$.a'",
        "'$..a'",
        "'$[?(@ > 0)]'",
        "'Asia/Tokyo'",
        "'%d'",
        "'\\\\d+'",
        "repeat('ab', 100)",
    ];
    let mut names: Vec<String> = BUILTINS
        .iter()
        .chain(ARGO_HELPERS)
        .map(|s| s.name.to_string())
        .collect();
    names.extend(CATALOG.iter().map(|f| format!("sprig.{}", f.name)));
    let env = Env::default();
    let start = Instant::now();
    for i in 0..6000 {
        let name = &names[i % names.len()];
        let n = rng.below(5);
        let list: Vec<&str> = (0..n).map(|_| args[rng.below(args.len())]).collect();
        let src = format!("{name}({})", list.join(", "));
        let one = Instant::now();
        if let Ok(e) = parse(&src, &limits) {
            let _ = evaluate(&e, &env, &limits);
        }
        let _ = compiler::expr::check::check_expression(
            &src,
            &PathScope::new(),
            CheckOptions::default(),
        );
        assert!(one.elapsed() < Duration::from_secs(2), "slow call: {src}");
    }
    assert!(start.elapsed() < Duration::from_secs(60));
}

/// The deepest trees the limits allow, through the heaviest evaluation paths (predicates,
/// sprig calls, member chains), parse and evaluate on a 768 KiB stack in a debug build (measured
/// need: 512 KiB debug, 256 KiB release).
#[test]
fn deepest_allowed_trees_fit_in_a_small_stack() {
    let cases: Vec<String> = vec![
        format!("{}[1]{}", "map(".repeat(32), ", {# + 1})".repeat(32)),
        format!("{}1{}", "sprig.toString(".repeat(48), ")".repeat(48)),
        format!("{}1{}", "(".repeat(98), ")".repeat(98)),
        format!("{}'x'{}", "sprig.default(".repeat(48), ", nil)".repeat(48)),
        format!("{}1", "-".repeat(98)),
        format!("{}true{}", "(true ? ".repeat(48), " : false)".repeat(48)),
        format!("{{a: 1}}{}", "?.a".repeat(98)),
        format!(
            "{}1{}",
            "let x = ".repeat(45).replace("let x = ", "let x = 1; "),
            ""
        ),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(768 << 10)
        .spawn(move || {
            let limits = Limits::default();
            let mut results = Vec::new();
            for src in &cases {
                let r = parse(src, &limits).map(|e| evaluate(&e, &Env::default(), &limits).is_ok());
                results.push((
                    src.get(..30).unwrap_or(src).to_string(),
                    r.map_err(|e| e.kind),
                ));
            }
            let w = format!("{}true{}", "(".repeat(95), ")".repeat(95));
            let r = when::evaluate(&w, WhenOptions::default(), &limits).map_err(|e| e.kind);
            results.push(("when".into(), r));
            let w = format!("{}1 == 1{}", "!(".repeat(48), ")".repeat(48));
            let r = when::evaluate(&w, WhenOptions::default(), &limits).map_err(|e| e.kind);
            results.push(("when-not".into(), r));
            let d = format!("{}A{}", "(".repeat(95), ")".repeat(95));
            let r = depends::parse(&d, &limits)
                .map(|_| true)
                .map_err(|e| e.kind);
            results.push(("depends".into(), r));
            results
        })
        .expect("spawn");
    let results = handle.join().expect("no stack overflow");
    for (src, r) in results {
        // Each case either evaluates or is rejected as too complex; none may crash.
        assert!(
            matches!(r, Ok(_) | Err(ErrorKind::TooComplex)),
            "{src}: {r:?}"
        );
    }
}
