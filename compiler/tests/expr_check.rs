//! Static checks of expressions against a scope: one test per finding kind, asserting kind,
//! severity, range and help.

use compiler::Severity;
use compiler::expr::check::{
    CheckOptions, Finding, FindingKind, PathScope, check_expression, check_value,
};

fn scope() -> PathScope {
    PathScope::new()
        .with_all([
            "inputs.parameters.message",
            "inputs.parameters.week-temps",
            "inputs.parameters.count",
            "workflow.name",
            "workflow.status",
            "workflow.parameters.config",
            "tasks.*.outputs.result",
            "tasks.*.outputs.parameters.*",
            "lastRetry.duration",
            "retries",
        ])
        .with_dynamic("item")
}

fn check(src: &str) -> Vec<Finding> {
    check_expression(src, &scope(), CheckOptions::default())
}

fn kinds(src: &str) -> Vec<(FindingKind, Severity)> {
    check(src)
        .into_iter()
        .map(|f| (f.kind, f.severity))
        .collect()
}

fn slice(src: &str, f: &Finding) -> String {
    src[f.range.start..f.range.end].to_string()
}

#[test]
fn clean_expressions_have_no_findings() {
    for src in [
        r#"sprig.regexReplaceAll("(.*)-[^-]*-[^-]*$", workflow.name, "$1")"#,
        "sprig.ternary('0', '1', workflow.status == 'Succeeded')",
        "asInt(inputs.parameters.count) * 10",
        "inputs.parameters['week-temps']",
        "tasks.producer.outputs.parameters.msg ?? 'fallback'",
        "filter([1, 2, 3], {# > 1})",
        "item.anything.below",
        "jsonpath(workflow.parameters.config, '$.a')",
    ] {
        assert_eq!(check(src), vec![], "{src}");
    }
}

#[test]
fn syntax_errors_have_positions() {
    let f = check("1 +");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::Syntax);
    assert_eq!(f[0].message, "unexpected token EOF");
    assert_eq!(f[0].range.start, 3);
    let f = check("foo(1, )x");
    assert_eq!(f[0].kind, FindingKind::Syntax);
}

#[test]
fn unknown_variables_suggest_the_closest_name() {
    let src = "inputs.parameters.mesage + workflow.nme";
    let f = check(src);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[0].kind, FindingKind::UnknownVariable);
    assert_eq!(slice(src, &f[0]), "inputs.parameters.mesage");
    assert_eq!(f[0].help.as_deref(), Some("did you mean `message`?"));
    assert_eq!(f[1].help.as_deref(), Some("did you mean `name`?"));
    // Only the first missing level is reported.
    let f = check("tasks");
    assert!(f.is_empty());
    let f = check("steps.a.outputs.result");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].message, "`steps` is not defined here");
}

#[test]
fn guarded_children_are_warnings() {
    assert_eq!(
        kinds("inputs.parameters.nope ?? 'x'"),
        vec![(FindingKind::UnknownVariable, Severity::Warning)]
    );
}

#[test]
fn unknown_functions_and_arity() {
    let src = "lenn('abc') + sprig.uper('x') + len('a', 'b')";
    let f = check(src);
    let got: Vec<(FindingKind, String, Option<String>)> = f
        .iter()
        .map(|f| (f.kind, slice(src, f), f.help.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                FindingKind::UnknownFunction,
                "lenn".into(),
                Some("did you mean `len`?".into())
            ),
            (
                FindingKind::UnknownFunction,
                "uper".into(),
                Some("did you mean `sprig.upper`?".into())
            ),
            (FindingKind::WrongArity, "len('a', 'b')".into(), None),
        ]
    );
    assert_eq!(
        kinds("sprig.substr(1, 2)"),
        vec![(FindingKind::WrongArity, Severity::Error)]
    );
}

#[test]
fn disabled_and_unevaluated_sprig_functions() {
    assert_eq!(
        kinds("sprig.env('HOME')"),
        vec![(FindingKind::DisabledFunction, Severity::Error)]
    );
    assert_eq!(
        kinds("sprig.uuidv4()"),
        vec![(FindingKind::UnevaluatedFunction, Severity::Info)]
    );
}

#[test]
fn helpers_are_absent_where_argo_does_not_add_them() {
    let opts = CheckOptions {
        helpers: false,
        ..CheckOptions::default()
    };
    let f = check_expression("asInt(retries) > 1", &scope(), opts);
    assert_eq!(f[0].kind, FindingKind::UnknownFunction);
    assert!(f[0].message.contains("no Argo helpers"));
}

#[test]
fn regex_patterns_go_rejects_or_reads_differently() {
    let src = r"workflow.name matches '(?x) a' || sprig.regexMatch('\\d+', workflow.name)";
    let f = check(src);
    assert_eq!(f[0].kind, FindingKind::InvalidRegex);
    assert_eq!(f[1].kind, FindingKind::RegexDialect);
    assert_eq!(f[1].severity, Severity::Info);
    let f = check("workflow.name matches '['");
    assert_eq!(f[0].kind, FindingKind::InvalidRegex);
    assert!(
        f[0].message.contains("missing closing ]"),
        "{}",
        f[0].message
    );
}

#[test]
fn certain_type_errors_are_errors() {
    for src in [
        "'a' + 1",
        "inputs.parameters.count * 10",
        "inputs.parameters.count < 2",
        "asInt('1.5')",
        "asFloat('abc')",
        "sprig.repeat(2.0, 'a')",
        "sprig.upper(1)",
        "'x' ? 1 : 2",
        "1 && true",
        "'1' == 1",
    ] {
        let k = kinds(src);
        assert!(
            k.contains(&(FindingKind::TypeError, Severity::Error)),
            "{src}: {k:?}"
        );
    }
}

#[test]
fn likely_type_errors_are_warnings() {
    for src in [
        "inputs.parameters.count == 1",
        "asInt(lastRetry.duration) < 60",
        "sprig.date('2006', workflow.name)",
        "sprig.duration(95)",
        "sprig.repeat(jsonpath(workflow.parameters.config, '$.n'), 'a')",
    ] {
        let k = kinds(src);
        assert!(
            k.contains(&(FindingKind::LikelyTypeError, Severity::Warning)),
            "{src}: {k:?}"
        );
        assert!(
            !k.iter().any(|(_, s)| *s == Severity::Error),
            "{src}: {k:?}"
        );
    }
}

#[test]
fn hyphenated_dotted_access_is_explained() {
    let src = "jsonpath(inputs.parameters.week-temps, '$.avg')";
    let f = check(src);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].kind, FindingKind::HyphenatedName);
    assert_eq!(slice(src, &f[0]), "inputs.parameters.week-temps");
    assert_eq!(
        f[0].help.as_deref(),
        Some("use bracket access: `inputs.parameters['week-temps']`")
    );
}

#[test]
fn let_env_and_shadowed_collections() {
    assert_eq!(
        kinds("let x = 2; x * 3"),
        vec![(FindingKind::ArgoQuirk, Severity::Warning)]
    );
    assert_eq!(
        kinds("$env['x']"),
        vec![(FindingKind::ArgoQuirk, Severity::Error)]
    );
    assert_eq!(
        kinds("toJson(inputs.parameters)"),
        vec![(FindingKind::ShadowedCollection, Severity::Warning)]
    );
}

#[test]
fn field_values_check_every_tag_with_ranges_in_the_value() {
    let v = "echo {{inputs.parameters.mesage}} {{= workflow.nam }} {{retries}}";
    let f = check_value(v, &scope(), CheckOptions::default());
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(
        &v[f[0].range.start..f[0].range.end],
        "inputs.parameters.mesage"
    );
    assert_eq!(&v[f[1].range.start..f[1].range.end], "workflow.nam");
    let f = check_value("{{={a: 1}}}", &scope(), CheckOptions::default());
    assert_eq!(f[0].kind, FindingKind::Syntax);
    assert!(
        f[0].help
            .as_deref()
            .is_some_and(|h| h.contains("first `}}`"))
    );
    let f = check_value("a {{b", &scope(), CheckOptions::default());
    assert_eq!((f[0].kind, f[0].range.start), (FindingKind::Syntax, 2));
}

#[test]
fn compile_time_errors_match_expr() {
    use compiler::expr::Limits;
    use compiler::expr::template::{Mode, substitute};
    let b = compiler::expr::Bindings::new();
    let l = Limits::default();
    // Literal types are known at compile time: an error, not `false`.
    assert!(substitute("{{='1' == 1}}", &b, &Mode::Strict, &l).is_err());
    // expr compiles the whole program, so an unknown function fails even when not reached.
    assert!(substitute("{{=false && nosuch(1)}}", &b, &Mode::Strict, &l).is_err());
    assert_eq!(
        substitute("{{=false && true}}", &b, &Mode::Strict, &l).as_deref(),
        Ok("false")
    );
}

#[test]
fn depends_checks() {
    use compiler::expr::check::{DagTask, check_depends};
    let tasks = [
        DagTask {
            name: "build",
            looped: false,
        },
        DagTask {
            name: "fan-out",
            looped: true,
        },
        DagTask {
            name: "fan_out",
            looped: false,
        },
    ];
    let src = "biuld && build.succeeded && build.AnySucceeded && fan-out.AllFailed && build.Foo";
    let f = check_depends(src, &tasks, CheckOptions::default());
    let got: Vec<(FindingKind, String)> = f.iter().map(|f| (f.kind, slice(src, f))).collect();
    assert_eq!(
        got,
        vec![
            (FindingKind::UnknownVariable, "biuld".into()),
            (FindingKind::UnknownVariable, "succeeded".into()),
            (FindingKind::TypeError, "AnySucceeded".into()),
            (FindingKind::ArgoQuirk, "fan-out".into()),
            (FindingKind::UnknownVariable, "Foo".into()),
        ]
    );
    assert_eq!(f[0].help.as_deref(), Some("did you mean `build`?"));
    assert_eq!(f[1].help.as_deref(), Some("did you mean `Succeeded`?"));
    let f = check_depends("build and fan-out", &tasks, CheckOptions::default());
    assert_eq!(f[0].kind, FindingKind::Syntax);
}

#[test]
fn when_checks() {
    use compiler::expr::check::check_when;
    let s = scope();
    let v = "{{tasks.a.outputs.result}} == heads && '{{tasks.b.outputs.result}}' == 'x'";
    let f = check_when(v, &s, CheckOptions::default());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].kind, FindingKind::LikelyTypeError);
    assert_eq!(slice(v, &f[0]), "{{tasks.a.outputs.result}}");
    let f = check_when("my-value == my-value", &s, CheckOptions::default());
    assert_eq!(f[0].kind, FindingKind::TypeError);
    assert!(check_when("'{{= 1 }}' == '1'", &s, CheckOptions::default()).is_empty());
}
