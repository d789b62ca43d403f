//! The test vectors of `argo-expressions.md` §7, produced by the real Go libraries, as one
//! table-driven test per section. Each row asserts the exact output or an error (and, where the
//! row gives one, a fragment of the error text). Rows Bosun cannot match exactly are marked
//! `known(...)` with a FIXME and assert today's behaviour, so a fix shows up as a failure.

use std::collections::BTreeMap;

use compiler::expr::depends::{self, TaskStatus};
use compiler::expr::template::{Mode, evaluate_raw, substitute};
use compiler::expr::when::{self, WhenOptions};
use compiler::expr::{Bindings, Env, Limits, sequence};

#[derive(Clone, Copy)]
enum M {
    S,
    L,
    P,
    PItem,
}

enum Want {
    Out(&'static str),
    /// An error whose message contains the fragment.
    Err(&'static str),
}

use Want::{Err as E, Out as O};

fn mode(m: M) -> Mode {
    match m {
        M::S => Mode::Strict,
        M::L => Mode::Lenient,
        M::P => Mode::StrictPrefix(vec!["steps".into(), "tasks".into()]),
        M::PItem => Mode::StrictPrefix(vec!["item".into()]),
    }
}

fn bindings(b: &[(&str, Option<&str>)]) -> Bindings {
    b.iter()
        .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
        .collect()
}

const EMPLOYEES: &str = r#"{"employees": [{"name": "Baris", "age": 43}, {"name": "Mo", "age": 42}, {"name": "Jai", "age": 44}]}"#;

/// Runs one table; returns failures as text.
/// Flat bindings of one row.
type Binds<'a> = &'a [(&'a str, Option<&'a str>)];
/// One row: id, template, bindings, mode, expectation.
type Row<'a> = (&'a str, &'a str, Binds<'a>, M, Want);

fn run(rows: &[Row<'_>]) -> Vec<String> {
    let mut failures = Vec::new();
    for (id, template, b, m, want) in rows {
        let got = substitute(template, &bindings(b), &mode(*m), &Limits::default());
        let ok = match (want, &got) {
            (Want::Out(w), Ok(g)) => w == g,
            (Want::Err(frag), Err(e)) => e.message.contains(frag),
            _ => false,
        };
        if !ok {
            let want_s = match want {
                Want::Out(w) => format!("Ok({w:?})"),
                Want::Err(f) => format!("Err(..{f}..)"),
            };
            failures.push(format!("#{id} {template:?}: want {want_s}, got {got:?}"));
        }
    }
    failures
}

fn assert_none(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failing vectors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[rustfmt::skip]
fn simple_tags_and_tokenising() {
    assert_none(run(&[
        ("1", "{{foo}}", &[("foo", Some("bar"))], M::S, O("bar")),
        ("2", "{{ inputs.parameters.message }}", &[("inputs.parameters.message", Some("hello world"))], M::L, O("hello world")),
        ("3", "{{foo}}", &[], M::S, E("failed to resolve {{foo}}")),
        ("4", "pre {{foo}} post", &[], M::L, O("pre {{foo}} post")),
        ("5", "{{outer-{{inner}}}}", &[("inner", Some("suffix")), ("outer-suffix", Some("final"))], M::L, O("{{outer-suffix}}")),
        ("6", "{{customParam}}", &[("customParam", Some("This is \" John"))], M::L, O("This is \" John")),
        ("7", "{{p}}", &[("p", Some("a\"b\nc\\d"))], M::S, O("a\"b\nc\\d")),
        ("8", "{{foo", &[], M::L, E("Cannot find end tag")),
        ("9", "a }} b {{foo}}", &[("foo", Some("x"))], M::S, O("a }} b x")),
        ("10", "{{ =foo}}", &[("foo", Some("x"))], M::L, O("{{ =foo}}")),
        ("11", "pre-{{tasks.producer.outputs.parameters.msg}}-post", &[("tasks.producer.outputs.parameters.msg", None)], M::P, E("absent optional")),
        ("12", "pre-{{tasks.producer.outputs.parameters.msg}}-post", &[("tasks.producer.outputs.parameters.msg", Some(""))], M::P, O("pre--post")),
        ("13", "{{msg}}", &[("msg", Some("a\u{7f}b"))], M::S, E("invalid JSON")),
    ]));
    // Row 5's second pass.
    let b = bindings(&[("inner", Some("suffix")), ("outer-suffix", Some("final"))]);
    let once = substitute(
        "{{outer-{{inner}}}}",
        &b,
        &Mode::Lenient,
        &Limits::default(),
    )
    .expect("first pass");
    assert_eq!(
        substitute(&once, &b, &Mode::Lenient, &Limits::default()).as_deref(),
        Ok("final")
    );
}

#[test]
#[rustfmt::skip]
fn expression_tags_core_language() {
    let x1: &[(&str, Option<&str>)] = &[("inputs.parameters.x", Some("1"))];
    assert_none(run(&[
        ("14", "{{=foo}}", &[("foo", Some("bar"))], M::S, O("bar")),
        ("15", "{{=foo}}", &[], M::S, E("foo is missing")),
        ("16", "{{=foo}}", &[], M::L, O("{{=foo}}")),
        ("17a", "{{='test'}}", &[], M::L, O("test")),
        ("17b", "{{=\"test\"}}", &[], M::L, O("test")),
        ("18", r"{{='some\\path\\with\\backslashes'}}", &[], M::L, O(r"some\path\with\backslashes")),
        ("19", r"{{='a\nb'}}", &[], M::L, O("a\nb")),
        ("20", "{{=1 + \n1}}", &[], M::L, O("2")),
        ("21a", "{{=\"'\"}}", &[], M::L, O("'")),
        ("21b", "{{='\"'}}", &[], M::L, O("\"")),
        ("22", "{{=true == false}}", &[], M::L, O("false")),
        ("23", "{{=10/4}}|{{=10/2}}|{{=7 % 3}}|{{=2 ** 10}}", &[], M::S, O("2.5|5|1|1024")),
        ("24", "{{=[1, 2]}}", &[], M::S, O("[1,2]")),
        ("25", "{{=filter([1, 2, 3], {# > 1})}}", &[], M::S, O("[2,3]")),
        ("26", "{{=map([1, 2], {# * 2})}}", &[], M::S, O("[2,4]")),
        ("27", "{{={a: 1}}}", &[], M::S, E("unexpected token EOF")),
        ("28", "{{= {b: 'x', a: 1} }}", &[], M::S, O(r#"{"a":1,"b":"x"}"#)),
        ("29", "{{=1e21}}|{{=0.1 + 0.2}}|{{=1e-7}}|{{=100000000000000000000.0}}|{{=3.0}}", &[], M::S, O("1e+21|0.30000000000000004|1e-7|100000000000000000000|3")),
        ("30", "{{=1/0}}", &[], M::S, E("json: unsupported value: +Inf")),
        ("31", "{{=nil}}", &[], M::S, E("failed to evaluate expression")),
        ("32", "{{='a' + 1}}", &[], M::S, E("")),
        ("33", "{{=inputs.parameters.x + 1}}", x1, M::S, E("invalid operation: string + int")),
        ("34", "{{=inputs.parameters.x + '1'}}", x1, M::S, O("11")),
        ("35", "{{=inputs.parameters.x == 1}}", x1, M::S, O("false")),
        ("36", "{{=inputs.parameters.x < 2}}", x1, M::S, E("invalid operation: string < int")),
        ("37", "{{=item * 10}}", &[("item", Some("3"))], M::S, E("")),
        ("38", "{{=1 == 1.0}}|{{=2 in jsonpath('[1,2]', '$')}}", &[], M::S, O("true|true")),
        ("39", "{{=len('héllo')}}|{{='héllo'[1:3]}}|{{='abc'[-1:]}}", &[], M::S, O("5|é|c")),
        ("40", "{{=inputs.parameters.s[0]}}", &[("inputs.parameters.s", Some("abc"))], M::S, O("97")),
        ("41", "{{=1..3}}|{{=[1,2,3,4][1:3]}}|{{=[1,2,3][-1]}}", &[], M::S, O("[1,2,3]|[2,3]|3")),
        ("41b", "{{=-2 ** 2}}|{{=!true == false}}|{{=2 ** 3 ** 2}}|{{=1 + 2 * 3}}|{{=true ? 'a' : false ? 'b' : 'c'}}", &[], M::S, O("-4|true|512|7|a")),
        ("42", "{{=[1, 2][5]}}", &[], M::S, E("index out of range: 5 (array length is 2)")),
        ("43", "{{='Hello World' | lower() | split(' ')}}", &[], M::S, O(r#"["hello","world"]"#)),
        ("44", "{{=(nil ?? 'x') + 'y'}}|{{=true ? 1 : 2}}|{{=if 1 > 2 { 'a' } else { 'b' } }}", &[], M::S, O("xy|1|b")),
        ("45", "{{=nil ?? 'x' + 'y'}}", &[], M::S, E("(+) and coalesce expressions (??) cannot be mixed")),
        ("46", "{{='x' ? 1 : 2}}", &[], M::S, E("non-bool expression (type string) used as condition")),
        ("47", "{{='a' matches '^A'}}|{{='a' matches '(?i)^A'}}|{{='abc' contains 'b'}}|{{='x' in ['x']}}|{{='a' in {a: 1} }}|{{='a' not in ['x']}}|{{=1 < 2 < 3}}|{{=not true}}|{{=true and false or true}}", &[], M::S, O("false|true|true|true|true|true|true|false|true")),
        ("48s", "{{=let x = 2; x * 3}}", &[], M::S, E("x is missing")),
        ("48l", "{{=let x = 2; x * 3}}", &[], M::L, O("6")),
        ("49", "{{=$env['foo']}}", &[("foo", Some("x"))], M::S, E("$env is missing")),
        ("50", "{{=any([1, 2], # > 1)}}|{{=all([], # > 1)}}|{{=none([1], # > 1)}}|{{=one([1, 2], # > 1)}}|{{=count([1, 2, 3], # > 1)}}|{{=last([1, 2])}}|{{=sum([1, 2.5])}}|{{=mean([1, 2])}}|{{=reduce(1..3, #acc + #)}}", &[], M::S, O("true|true|true|true|2|2|3.5|1.5|6")),
        ("51a", "{{=first([])}}", &[], M::S, E("")),
        ("51b", "{{=first([]) ?? 'empty'}}", &[], M::S, O("empty")),
        ("52", "{{=find([1, 2, 3], # > 1)}}|{{=findIndex([1, 2, 3], # > 1)}}|{{=groupBy([1, 2, 3], # % 2)}}|{{=sortBy(['bb', 'a'], len(#))}}|{{=sort([3, 1, 2], 'desc')}}|{{=flatten([1, [2, [3]]])}}", &[], M::S, O(r#"2|1|{"0":[2],"1":[1,3]}|["a","bb"]|[3,2,1]|[1,2,3]"#)),
        ("53", "{{=trim('__x__', '_')}}|{{=split('a,b,c', ',', 2)}}|{{=splitAfter('a,b', ',')}}|{{=indexOf('apple pie', 'pie')}}", &[], M::S, O(r#"x|["a","b,c"]|["a,","b"]|6"#)),
        ("54", "{{=abs(-2)}}|{{=ceil(1.2)}}|{{=floor(1.8)}}|{{=round(2.5)}}|{{=min(1, 2.5)}}|{{=median([1, 2, 3, 4])}}|{{=type(1)}}|{{=type(1.0)}}|{{=type({})}}|{{=type(nil)}}", &[], M::S, O("2|2|1|3|1|2.5|int|float|map|nil")),
        ("55", r#"{{=fromJSON('{"a": [1, 2]}').a[1]}}|{{=toBase64('hi')}}|{{=toPairs({a: 1})}}|{{=bitand(12, 10)}}"#, &[], M::S, O(r#"2|aGk=|[["a",1]]|8"#)),
        ("56", "{{=toJSON({b: 1, a: [1, 2]})}}", &[], M::S, O("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": 1\n}")),
        ("57", "{{=1_000 + 0x1F}}|{{=.5 + 1}}|{{=`raw\\n`}}|{{=1 /* c */ + 1}}", &[], M::S, O("1031|1.5|raw\\n|2")),
        ("58", "{{=9223372036854775807 + 1}}", &[], M::S, O("-9223372036854775808")),
        ("59", "{{=date('2021-03-04').Year()}}|{{=duration('1h30m').Minutes()}}|{{=date('2021-03-04T10:00:00Z').Unix()}}", &[], M::S, O("2021|90|1614852000")),
        ("60", "{{=1 % 0}}", &[], M::S, E("integer divide by zero")),
    ]));
}

#[test]
#[rustfmt::skip]
fn argo_helpers_variables_and_shadowing() {
    let emp: &[(&str, Option<&str>)] = &[("workflow.parameters.config", Some(EMPLOYEES))];
    let t70 = format!("{{{{=jsonpath('{EMPLOYEES}', '$.employees[*].name')}}}}");
    let t71 = format!("{{{{=jsonpath('{EMPLOYEES}', '$.employees[0]')}}}}");
    let t70: &'static str = Box::leak(t70.into_boxed_str());
    let t71: &'static str = Box::leak(t71.into_boxed_str());
    let weather: &[(&str, Option<&str>)] = &[(
        "workflow.parameters.weather",
        Some(r#"{"weekWeather": "eyJ0ZW1wcyI6IFszNCwgMjcsIDE1LCA1NywgNDZdfQo="}"#),
    )];
    let t78 = "{{=map([jsonpath(sprig.b64dec(jsonpath(workflow.parameters.weather, '$.weekWeather')), '$.temps')], {\n  toJson({avg: sprig.add(#[0], #[1], #[2], #[3], #[4]) / 5, min: sprig.min(#[0], #[1], #[2], #[3], #[4]), max: sprig.max(#[0], #[1], #[2], #[3], #[4])})\n})[0]}}";
    let wt: &[(&str, Option<&str>)] = &[(
        "inputs.parameters.week-temps",
        Some(r#"{"avg":35.8,"max":57,"min":15}"#),
    )];
    let status_expr = r#"{{=workflow.status == "Succeeded" ? "SUCCESSFUL" : "FAILED"}}"#;
    let item_map: &[(&str, Option<&str>)] = &[
        ("item", Some(r#"{"a":1,"b":"x","m":{"z":1,"y":[1,2]}}"#)),
        ("item.a", Some("1")),
        ("item.b", Some("x")),
        ("item.m", Some(r#"{"z":1,"y":[1,2]}"#)),
    ];
    assert_none(run(&[
        ("61", "{{=asInt(inputs.parameters.foo) * 10}}", &[("inputs.parameters.foo", Some("3"))], M::S, O("30")),
        ("62", "{{=asInt('1.5')}}", &[], M::S, E("invalid operation: int(1.5)")),
        ("63", "{{=asInt('+5') + asInt(2.9)}}", &[], M::S, O("7")),
        ("64", "{{=asFloat('1.5') * 2}}", &[], M::S, O("3")),
        ("65", "{{=string(1.5) + '|' + string([1, 2]) + '|' + string({a: 1}) + '|' + string(nil)}}", &[], M::S, O("1.5|[1 2]|map[a:1]|<nil>")),
        ("66", "{{=toJson([1, '2', {an: 'object'}])}}", &[], M::L, O(r#"[1,"2",{"an":"object"}]"#)),
        ("67a", "{{=toJson('test')}}", &[], M::L, O(r#""test""#)),
        ("67b", "{{=toJson({test: 1})}}", &[], M::L, O(r#"{"test":1}"#)),
        ("68", r"{{=toJson('<&>')}}|{{=toJson('é\u2028')}}|{{=toJson([1.5, 2.0, 1e21, 1e-7])}}", &[], M::S, O(r#""\u003c\u0026\u003e"|"é\u2028"|[1.5,2,1e+21,1e-7]"#)),
        ("69", "{{=toJson(filter([1, 3], {# > 1}))}}", &[], M::S, O("[3]")),
        ("70", t70, &[], M::L, O(r#"["Baris","Mo","Jai"]"#)),
        ("71", t71, &[], M::L, O(r#"{"age":43,"name":"Baris"}"#)),
        ("72", r#"{{=jsonpath(workflow.parameters.config, '$.employees[?(@.name=="Baris")].age')}}"#, emp, M::S, O("[43]")),
        ("73", "{{=jsonpath(workflow.parameters.config, '$.employees[?(@.age>42 && @.age<44)].age')}}", emp, M::S, O("[43]")),
        ("74", "{{=jsonpath(workflow.parameters.config, '$.employees[0:1]')}}", emp, M::S, O(r#"[{"age":43,"name":"Baris"}]"#)),
        ("75", "{{=jsonpath(workflow.parameters.config, '$.a')}}", &[("workflow.parameters.config", Some(r#"{"a": "1", "b": "2", "c": "3"}"#), )], M::S, O("1")),
        ("76", "{{=jsonpath(workflow.parameters.config, '$.missing')}}", emp, M::S, E("key 'missing' not found")),
        ("77", "{{=jsonpath(workflow.parameters.config, '$.employees.length')}}", emp, M::S, O("3")),
        ("78", t78, weather, M::S, O(r#"{"avg":35.8,"max":57,"min":15}"#)),
        ("79", "{{=jsonpath(inputs.parameters['week-temps'], '$.avg')}}", wt, M::S, O("35.8")),
        ("80", "{{=inputs.parameters.week-temps}}", wt, M::S, E("inputs.parameters.week is missing")),
        ("81", "{{=inputs.parameters['my-param']}}|{{=inputs['parameters']['my-param']}}|{{='my-param' in inputs.parameters}}", &[("inputs.parameters.my-param", Some("v"))], M::S, O("v|v|true")),
        ("82", "{{=steps['flip-coin'].outputs.result}}", &[("steps.flip-coin.outputs.result", Some("heads"))], M::S, O("heads")),
        ("83", "{{=inputs.parameters}}", &[("inputs.parameters", Some(r#"[{"name":"a","value":"1"}]"#)), ("inputs.parameters.a", Some("1"))], M::S, O(r#"{"a":"1"}"#)),
        ("84", "{{=type(workflow.creationTimestamp)}}|{{workflow.creationTimestamp}}", &[("workflow.creationTimestamp", Some("2021-03-04T10:00:00Z")), ("workflow.creationTimestamp.Y", Some("2021"))], M::S, O("map|2021-03-04T10:00:00Z")),
        ("85", "{{=jsonpath(workflow.parameters.json, '$[0].value') == '1'}}", &[("workflow.parameters.json", Some(r#"[{"name":"foo","value":"1"}]"#), )], M::S, O("true")),
        ("86", "{{=sprig.dig('status', nil, workflow)}}", &[("workflow.status", Some("Succeeded"))], M::S, O("Succeeded")),
        ("87", status_expr, &[("workflow.status", Some("Failed"))], M::S, O("FAILED")),
        ("88", status_expr, &[], M::L, O(status_expr)),
        ("89", status_expr, &[], M::S, E("failed to evaluate expression")),
        ("90", r#"{{=workflow.failures == "{\"foo\":\"bar\"}" ? "SUCCESSFUL" : "FAILED"}}"#, &[("workflow.failures", Some(r#"{"foo":"bar"}"#))], M::S, O("SUCCESSFUL")),
        ("91", "{{=sprig.int(retries)}}", &[], M::L, O("{{=sprig.int(retries)}}")),
        ("92a", "{{=(sprig.int(retries) + 1) * 64}}Mi", &[("retries", Some("0"))], M::S, O("64Mi")),
        ("92b", "{{=(sprig.int(retries) + 1) * 64}}Mi", &[("retries", Some("1"))], M::S, O("128Mi")),
        ("92c", "{{=(sprig.int(retries) + 1) * 64}}Mi", &[("retries", Some("2"))], M::S, O("192Mi")),
        ("93", "{{= (sprig.int(lastRetry.exitCode)==1 ? (sprig.int(retries)+1) : 1)* 100}}Mi", &[("retries", Some("1")), ("lastRetry.exitCode", Some("1"))], M::S, O("200Mi")),
        ("94", "{{=asInt(lastRetry.exitCode) >= 2}}|{{=lastRetry.exitCode != '2'}}", &[("lastRetry.exitCode", Some("3"))], M::S, O("true|true")),
        ("95a", "{{=retries + 1}}", &[("retries", Some("0"))], M::S, E("")),
        ("95b", "{{=asInt(retries) + 1}}", &[("retries", Some("0"))], M::S, O("1")),
        ("96", "{{= steps.producer.outputs.parameters.msg ?? 'fallback'}}", &[("steps.producer.outputs.parameters.msg", None)], M::S, O("fallback")),
        ("97", "{{= steps.producer.outputs.parameters.msg ?? 'fallback'}}", &[("steps.producer.outputs.parameters.msg", Some(""))], M::S, O("")),
        ("98", "{{= steps.producer.outputs.parameters.msg == ''}}", &[("steps.producer.outputs.parameters.msg", None)], M::S, O("false")),
        ("99", "{{= tasks.producer.outputs.parameters.msg}}", &[("tasks.producer.outputs.parameters.msg", None)], M::P, E("")),
        ("100", "{{= item.optionalKey ?? 'fallback' }}", &[("item.name", Some("b"))], M::PItem, O("fallback")),
        ("101", "{{= item.optionalKey ?? 'fallback' }}", &[], M::PItem, E("item is missing")),
        ("102", "{{=tasks.a.outputs.result == 'x'}}", &[("tasks.b.outputs.result", Some("y"))], M::S, E("tasks.a is missing")),
        ("103", "{{=sprig.upper(item)}}", &[("item", Some("example"))], M::S, O("EXAMPLE")),
        ("104", "{{=item}}|{{item}}|{{item.a}}|{{item.m}}", item_map, M::S, O(r#"{"a":"1","b":"x","m":"{\"z\":1,\"y\":[1,2]}"}|{"a":1,"b":"x","m":{"z":1,"y":[1,2]}}|1|{"z":1,"y":[1,2]}"#, )),
        ("105", r#"{{= "{" + "{inputs.parameters.message}" + "}" }}"#, &[("inputs.parameters.message", Some("hello world"))], M::L, O("{{inputs.parameters.message}}")),
    ]));
}

#[test]
#[rustfmt::skip]
fn sprig_functions() {
    let msg: &[(&str, Option<&str>)] = &[("inputs.parameters.message", Some("hello world"))];
    assert_none(run(&[
        ("106a", "test {{= sprig.trunc(5, inputs.parameters.message) }}", msg, M::S, O("test hello")),
        ("106b", "test {{= sprig.trunc(-5, inputs.parameters.message) }}", msg, M::S, O("test world")),
        ("107", "{{=sprig.trim('  x  ')}}", &[], M::S, O("x")),
        ("108", "{{=[sprig.int('010'), sprig.int('1.9'), sprig.int('abc'), sprig.int('0x1F'), sprig.atoi('010'), sprig.int64('')]}}", &[], M::S, O("[8,1,0,31,10,0]")),
        ("109", "{{=sprig.add(1, 2.9)}}|{{=sprig.addf(1, 2.9)}}|{{=sprig.div(7, 2)}}|{{=sprig.mod(7, 2)}}|{{=sprig.mul(2, 3, 4)}}|{{=sprig.sub(1, 3)}}", &[], M::S, O("3|3.9|3|1|24|-2")),
        ("110", "{{=sprig.max(1, 5.9, 3)}}|{{=sprig.maxf(1, 5.9, 3)}}|{{=sprig.floor(2.7)}}|{{=sprig.ceil(2.1)}}|{{=sprig.round(2.555, 2)}}|{{=sprig.round(2.5, 0)}}", &[], M::S, O("5|5.9|2|3|2.56|3")),
        ("111", "{{=sprig.round(1.005, 2)}}|{{=sprig.round(-2.5, 0)}}|{{=sprig.mulf(0.1, 3)}}|{{=0.1 * 3}}", &[], M::S, O("1|-3|0.3|0.30000000000000004")),
        ("112", "{{=sprig.regexReplaceAll('a(x*)b', '-ab-axxb-', '${1}W')}}", &[], M::S, O("-W-xxW-")),
        ("113", "{{=sprig.regexReplaceAll('a(x*)b', '-ab-axxb-', '$1W')}}", &[], M::S, O("---")),
        ("114", "{{=sprig.regexReplaceAllLiteral('a(x*)b', '-ab-axxb-', '${1}')}}", &[], M::S, O("-${1}-${1}-")),
        ("115", "{{=sprig.regexReplaceAll('a*', 'baaac', 'X')}}|{{=sprig.regexFindAll('a*', 'baaac', -1)}}|{{=sprig.regexSplit('', 'abc', -1)}}", &[], M::S, O(r#"XbXcX|["","aaa",""]|["a","b","c"]"#)),
        ("116", "{{=sprig.regexReplaceAll('x', 'axb', '$$')}}|{{=sprig.regexReplaceAll('x', 'axb', '$')}}|{{=sprig.regexReplaceAll('(x)', 'axb', '$1_')}}|{{=sprig.regexReplaceAll('(x)', 'axb', '${1}_')}}", &[], M::S, O("a$b|a$b|ab|ax_b")),
        ("117a", "{{=sprig.regexFind('[', 'x')}}", &[], M::S, E("missing closing ]")),
        ("117b", "{{=sprig.regexMatch('[', 'x')}}", &[], M::S, O("false")),
        ("118", "{{=sprig.ternary('yes', 'no', 1 > 0)}}", &[], M::S, O("yes")),
        ("119", "{{=[sprig.default('foo', ''), sprig.default('foo', 'bar'), sprig.default('foo', 0), sprig.default('foo', false)]}}", &[], M::S, O(r#"["foo","bar","foo","foo"]"#)),
        ("120a", "{{=sprig.b64enc('hello')}}", &[], M::S, O("aGVsbG8=")),
        ("120b", "{{=sprig.b64dec('!!')}}", &[], M::S, O("illegal base64 data at input byte 0")),
        ("121s", "{{=sprig.env('HOME')}}", &[], M::S, E("sprig.env is missing")),
        ("121l", "{{=sprig.env('HOME')}}", &[], M::L, O("{{=sprig.env('HOME')}}")),
        ("122", "{{=sprig.duration(95)}}|{{=sprig.duration('95')}}|{{=sprig.durationRound('2h10m')}}", &[], M::S, O("0s|1m35s|2h")),
        ("123", "{{=sprig.date('Jan 2, 2006', sprig.toDate('2006-01-02', '2021-03-04'))}}", &[], M::S, O("Mar 4, 2021")),
        ("124", "{{=sprig.dateInZone('2006-01-02T15:04:05Z07:00', sprig.toDate('2006-01-02T15:04:05Z07:00', '2021-03-04T10:00:00Z'), 'Asia/Tokyo')}}", &[], M::S, O("2021-03-04T19:00:00+09:00")),
        ("125", "{{=sprig.date('2006', '2019-01-01T00:00:00Z') == sprig.date('2006', now())}}", &[], M::S, O("true")),
        // The environment's clock is the Unix epoch unless the caller sets one: "now" is 1970.
        ("126", "{{=sprig.date('2006', workflow.creationTimestamp)}}", &[("workflow.creationTimestamp", Some("2021-03-04T10:00:00Z"))], M::S, O("1970")),
        ("127", "{{=sprig.splitList(',', 'a,b')}}|{{=sprig.split(',', 'a,b')}}|{{=sprig.join('-', ['a', 1, nil])}}", &[], M::S, O(r#"["a","b"]|{"_0":"a","_1":"b"}|a-1"#)),
        ("128", "{{=sprig.seq(3)}}|{{=sprig.seq(2, 2, 6)}}|{{=sprig.until(3)}}|{{=sprig.untilStep(0, 10, 4)}}", &[], M::S, O("1 2 3|2 4 6|[0,1,2]|[0,4,8]")),
        ("129a", "{{=sprig.substr(1, 3, 'hello')}}|{{=sprig.substr(-1, 2, 'hello')}}|{{=sprig.substr(2, 99, 'hello')}}", &[], M::S, O("el|he|llo")),
        ("129b", "{{=sprig.substr(4, 2, 'hello')}}", &[], M::S, E("slice bounds out of range [4:2]")),
        ("130", r#"{{=sprig.quote('a"b', 1)}}|{{=sprig.squote('a', nil)}}|{{=sprig.cat('a', 1, nil, true)}}"#, &[], M::S, O(r#""a\"b" "1"|'a'|a 1 true"#)),
        ("131", "{{=sprig.toJson({a: '<'})}}|{{=sprig.toRawJson({a: '<'})}}|{{=sprig.toPrettyJson({a: 1})}}", &[], M::S, O("{\"a\":\"\\u003c\"}|{\"a\":\"<\"}|{\n  \"a\": 1\n}")),
        ("132", "{{=sprig.has(2, jsonpath('[1,2]', '$'))}}|{{=sprig.has(2, [1, 2])}}", &[], M::S, O("false|true")),
        ("133a", "{{=sprig.repeat(2.0, 'a')}}", &[], M::S, E("reflect: Call using float64 as type int")),
        ("133b", "{{=sprig.repeat(asInt('2'), 'a')}}", &[], M::S, O("aa")),
        ("134", "{{=sprig.first('abc')}}", &[], M::S, E("Cannot find first on type string")),
        ("135", "{{=sprig.dict('a', 1, 'b')}}|{{=sprig.get({a: 1}, 'a')}}|{{=sprig.hasKey({a: 1}, 'b')}}|{{=sprig.pluck('a', {a: 1}, {a: 2})}}|{{=sprig.merge({a: 1}, {a: 2, b: 3})}}|{{=sprig.mergeOverwrite({a: 1}, {a: 2})}}", &[], M::S, O(r#"{"a":1,"b":""}|1|false|[1,2]|{"a":1,"b":3}|{"a":2}"#)),
        ("136", "{{=sprig.empty('')}}|{{=sprig.empty(0)}}|{{=sprig.empty('0')}}|{{=sprig.coalesce('', 0, 'x')}}|{{=sprig.typeOf(1.5)}}|{{=sprig.typeOf([1])}}|{{=sprig.kindOf({a: 1})}}|{{=sprig.float64('1.5e2')}}|{{=sprig.toDecimal('0777')}}", &[], M::S, O("true|true|false|x|float64|[]interface {}|map|150|511")),
        ("137", "{{=sprig.sha256sum('hello')}}", &[], M::S, O("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")),
        ("138", "{{=sprig.semverCompare('>=1.2.0', '1.3.0')}}|{{=sprig.semver('1.2.3').Minor()}}", &[], M::S, O("true|2")),
        ("139", "{{=sprig.kebabcase('FirstName')}}|{{=sprig.snakecase('FirstName')}}|{{=sprig.camelcase('http_server')}}|{{=sprig.title('hello world')}}|{{=sprig.initials('First Try')}}", &[], M::S, O("first-name|first_name|HttpServer|Hello World|FT")),
        ("140", r"{{=sprig.indent(2, 'a\nb')}}|{{=sprig.nindent(2, 'a')}}|{{=sprig.abbrev(5, 'hello world')}}|{{=sprig.wrap(5, 'aaa bbb ccc')}}", &[], M::S, O("  a\n  b|\n  a|he...|aaa\nbbb\nccc")),
        ("141", "{{=sprig.base('/a/b.txt')}}|{{=sprig.dir('/a/b.txt')}}|{{=sprig.ext('b.tar.gz')}}|{{=sprig.clean('a//b/../c')}}|{{=sprig.urlParse('https://u:p@h:8/p?q=1#f').host}}|{{=sprig.b32enc('hi')}}", &[], M::S, O("b.txt|/a|.gz|a/c|h:8|NBUQ====")),
        ("142a", "{{=sprig.fromJson('oops')}}", &[], M::S, E("")),
        ("142b", "{{=sprig.fromJson('oops') ?? 'bad'}}", &[], M::S, O("bad")),
        ("142c", "{{=sprig.mustFromJson('oops')}}", &[], M::S, E("")),
        ("143", "{{=sprig.fail('boom')}}", &[], M::S, E("boom")),
        ("144", "{{=sprig.trunc(2, 'héllo')}}", &[], M::S, O("h\u{FFFD}")),
    ]));
}

#[test]
#[rustfmt::skip]
fn raw_expression_fields_use_go_percent_v() {
    let rows: &[(&str, &str, Binds<'_>, Result<&str, ()>)] = &[
        ("145", "steps['flip-coin'].outputs.result == 'heads' ? steps.heads.outputs.result : steps.tails.outputs.result", &[("steps.flip-coin.outputs.result", Some("heads")), ("steps.heads.outputs.result", Some("H")), ("steps.tails.outputs.result", None)], Ok("H")),
        ("146a", "asInt(inputs.parameters.num) == 1? 1: asInt(inputs.parameters.num) == 2? 1: steps['fibonacci-helper'].outputs.parameters.result", &[("inputs.parameters.num", Some("5")), ("steps.fibonacci-helper.outputs.parameters.result", Some("5"), )], Ok("5")),
        ("146b", "asInt(inputs.parameters.num) == 1? 1: asInt(inputs.parameters.num) == 2? 1: steps['fibonacci-helper'].outputs.parameters.result", &[("inputs.parameters.num", Some("2"))], Ok("1")),
        ("147", "tasks.producer.outputs.parameters.msg ?? 'expr-fallback'", &[("tasks.producer.outputs.parameters.msg", None)], Ok("expr-fallback")),
        ("148a", "[1, 2]", &[], Ok("[1 2]")),
        ("148b", "{a: 1, b: 'x'}", &[], Ok("map[a:1 b:x]")),
        ("148c", "1e21", &[], Ok("1e+21")),
        ("148d", "10 / 2", &[], Ok("5")),
        ("148e", "1000000.0", &[], Ok("1e+06")),
        ("148f", "123456789.0", &[], Ok("1.23456789e+08")),
        ("148g", "0.00001", &[], Ok("1e-05")),
        ("148h", "{b: [1], a: nil}", &[], Ok("map[a:<nil> b:[1]]")),
        ("149", "nil", &[], Err(())),
        ("150", "lastRetry.message matches 'imminent node shutdown|pod deleted'", &[("lastRetry.message", Some("pod deleted"))], Ok("true")),
        ("151a", "asInt(lastRetry.duration) < 60", &[("lastRetry.duration", Some("12.5"))], Err(())),
        ("151b", "asFloat(lastRetry.duration) < 60", &[("lastRetry.duration", Some("12.5"))], Ok("true")),
        ("152", r#"steps["step-1"].status == "Running""#, &[("steps.step-1.status", Some("Running"))], Ok("true")),
    ];
    let mut failures = Vec::new();
    for (id, src, b, want) in rows {
        let env = Env::from_flat(&bindings(b));
        let got = evaluate_raw(src, &env, &Limits::default());
        let ok = match (want, &got) {
            (Ok(w), Ok(g)) => w == g,
            (Err(()), Err(_)) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!("#{id} {src:?}: want {want:?}, got {got:?}"));
        }
    }
    // 153: a data transformation over a list of paths.
    let mut vars = BTreeMap::new();
    vars.insert(
        "data".to_string(),
        compiler::expr::Value::array(vec!["a.pdf".into(), "b.txt".into()]),
    );
    let mut env = Env::from_values(vars);
    env.helpers = false;
    let got = evaluate_raw(
        r#"filter(data, {# endsWith ".pdf"})"#,
        &env,
        &Limits::default(),
    );
    if got.as_deref() != Ok("[a.pdf]") {
        failures.push(format!("#153: got {got:?}"));
    }
    assert_none(failures);
}

#[test]
#[rustfmt::skip]
fn when_conditions() {
    let rows: &[(&str, &str, Result<bool, &str>)] = &[
        ("154a", "foo == foo", Ok(true)),
        ("154b", "'ref/branch/master' == 'ref/branch/master'", Ok(true)),
        ("154c", "foo != bar", Ok(true)),
        ("154d", "1 == 1", Ok(true)),
        ("154e", "1 != 2", Ok(true)),
        ("154f", "1 < 2", Ok(true)),
        ("154g", "1 <= 1", Ok(true)),
        ("154h", "1/2 == 0.5", Ok(true)),
        ("154i", "a < b", Ok(true)),
        ("154j", "(foo == bar) || (foo == foo)", Ok(true)),
        ("154k", "(1 > 0) && (1 < 2)", Ok(true)),
        ("154l", "Error in (Failed, Error)", Ok(true)),
        ("154m", "!(Succeeded in (Failed, Error))", Ok(true)),
        ("154n", "true == true", Ok(true)),
        ("155a", "foo != foo", Ok(false)),
        ("155b", "foo == bar", Ok(false)),
        ("155c", "1 > 2", Ok(false)),
        ("155d", "1/2 != 0.5", Ok(false)),
        ("155e", "a > b", Ok(false)),
        ("155f", "(1 > 0) && (11 < 2)", Ok(false)),
        ("155g", "Succeeded in (Failed, Error)", Ok(false)),
        ("155h", "!(Error in (Failed, Error))", Ok(false)),
        ("155i", "false == true", Ok(false)),
        ("156a", "heads == heads", Ok(true)),
        ("156b", "tails == heads", Ok(false)),
        ("157a", "heads =~ hea", Ok(true)),
        ("157b", "heads =~ '^ea'", Ok(false)),
        ("157c", "heads !~ '^ea'", Ok(true)),
        ("158a", "10 > 9", Ok(true)),
        ("158b", "'10' > '9'", Ok(false)),
        ("158c", "10 > '9'", Err("cannot be used with the comparator '>'")),
        ("159a", "True", Err("Expected boolean evaluation")),
        ("159b", "True == true", Ok(false)),
        ("159c", "Succeeded", Err("Expected boolean evaluation")),
        ("160a", "my-value == my-value", Err("cannot be used with the modifier '-'")),
        ("160b", "'my-value' == 'my-value'", Ok(true)),
        ("161a", "foo.bar == foo.bar", Err("unexported field")),
        ("161b", "v1.2 == v1.2", Err("No parameter 'v1' found.")),
        ("161c", "1.2.3 == 1.2.3", Err("")),
        ("161d", "1abc == 1abc", Err("")),
        ("162a", "hello world == hello world", Err("")),
        ("162b", "[hello world] == [hello world]", Ok(true)),
        ("163a", " == ''", Err("")),
        ("163b", "'' == ''", Ok(true)),
        ("163c", "in == in", Err("")),
        ("164a", "'2021-01-01' < '2021-02-01'", Ok(true)),
        ("164b", "2021-01-01 == 2019", Ok(true)),
        ("165a", "01 == 1", Ok(true)),
        ("165b", "1.0 == 1", Ok(true)),
        ("165c", "'1' == 1", Ok(false)),
        ("165d", "0x10 == 16", Ok(true)),
        ("165e", "-1 < 0", Ok(true)),
        ("166a", "'a\"b' == 'a\"b'", Err("")),
        ("166b", "'it's' == x", Err("Unclosed string literal")),
        ("167a", "a + b == ab", Ok(true)),
        ("167b", "2 ** 3 == 8", Ok(true)),
        ("167c", "7 % 2 == 1", Ok(true)),
        ("167d", "\"quoted\" == quoted", Ok(true)),
        ("167e", "yes == YES", Ok(false)),
    ];
    let mut failures = Vec::new();
    for (id, src, want) in rows {
        let got = when::evaluate(src, WhenOptions::default(), &Limits::default());
        let ok = match (want, &got) {
            (Ok(w), Ok(g)) => w == g,
            (Err(frag), Err(e)) => e.message.contains(frag),
            _ => false,
        };
        if !ok {
            failures.push(format!("#{id} {src:?}: want {want:?}, got {got:?}"));
        }
    }
    // 168: an expression tag makes quoting moot.
    let b = bindings(&[("inputs.parameters.may-contain-quotes", Some("it's \"x\""))]);
    let sub = substitute(
        "{{=inputs.parameters['may-contain-quotes'] == 'example'}}",
        &b,
        &mode(M::P),
        &Limits::default(),
    );
    match sub {
        Ok(s) if s == "false" => {
            if when::evaluate(&s, WhenOptions::default(), &Limits::default()) != Ok(false) {
                failures.push("#168: when did not evaluate to false".into());
            }
        }
        other => failures.push(format!("#168: substitution gave {other:?}")),
    }
    assert_none(failures);
}

#[test]
#[rustfmt::skip]
fn depends_expressions() {
    let status = |phase: &str| TaskStatus {
        phase: phase.into(),
        ..TaskStatus::default()
    };
    let mut tasks = BTreeMap::new();
    tasks.insert("A".to_string(), status("Succeeded"));
    tasks.insert("B".to_string(), status("Skipped"));
    tasks.insert("C".to_string(), status("Failed"));
    tasks.insert("task".to_string(), status("Succeeded"));
    tasks.insert("task-2".to_string(), status("Failed"));
    tasks.insert("split".to_string(), status("Succeeded"));
    tasks.insert(
        "task-1".to_string(),
        TaskStatus {
            phase: "Succeeded".into(),
            daemoned: false,
            children: Some(vec!["Succeeded".into()]),
        },
    );
    let rows: &[(&str, &str, Result<bool, &str>)] = &[
        ("169", "A && B", Ok(true)),
        ("170", "A.Succeeded && !C.Failed", Ok(false)),
        ("171", "A && (C.Succeeded || C.Failed)", Ok(true)),
        ("172", "task-1.AnySucceeded || C.AllFailed", Ok(true)),
        ("173", "task || task-2.Failed", Ok(true)),
        ("174", "A.Foo", Err("task result 'Foo' for task 'A' is invalid")),
        ("175", "split", Ok(true)),
    ];
    let mut failures = Vec::new();
    for (id, src, want) in rows {
        let got =
            depends::parse(src, &Limits::default()).and_then(|d| depends::evaluate(&d, &tasks));
        let ok = match (want, &got) {
            (Ok(w), Ok(g)) => w == g,
            (Err(frag), Err(e)) => e.message.contains(frag),
            _ => false,
        };
        if !ok {
            failures.push(format!("#{id} {src:?}: want {want:?}, got {got:?}"));
        }
    }
    // 173: the referenced tasks, with ranges.
    let d = depends::parse("task || task-2.Failed", &Limits::default()).expect("parses");
    let refs: Vec<(&str, Option<&str>, usize)> = d
        .refs()
        .iter()
        .map(|r| (r.task.as_str(), r.result.as_deref(), r.task_range.start))
        .collect();
    if refs != vec![("task", None, 0), ("task-2", Some("Failed"), 8)] {
        failures.push(format!("#173 refs: {refs:?}"));
    }
    assert_none(failures);
}

#[test]
#[rustfmt::skip]
fn with_sequence() {
    let l = Limits::default();
    let s = |start: Option<&str>, end: Option<&str>, count: Option<&str>, fmt: Option<&str>| {
        sequence::expand(start, end, count, fmt, &l)
    };
    let range = |a: i64, b: i64| -> Vec<String> {
        if a <= b {
            (a..=b).map(|i| i.to_string()).collect()
        } else {
            (b..=a).rev().map(|i| i.to_string()).collect()
        }
    };
    assert_eq!(s(None, None, Some("10"), None), Ok(range(0, 9)), "#176");
    assert_eq!(
        s(Some("101"), None, Some("10"), None),
        Ok(range(101, 110)),
        "#177"
    );
    assert_eq!(
        s(Some("50"), Some("60"), None, None),
        Ok(range(50, 60)),
        "#178"
    );
    assert_eq!(
        s(Some("60"), Some("50"), None, None),
        Ok(range(60, 50)),
        "#179"
    );
    assert_eq!(s(None, None, Some("0"), None), Ok(vec![]), "#180");
    assert_eq!(
        s(Some("8"), Some("8"), None, None),
        Ok(vec!["8".to_string()]),
        "#181"
    );
    let hex: Vec<String> = (1..=10).map(|i| format!("testuser{i:02X}")).collect();
    assert_eq!(
        s(Some("1"), None, Some("10"), Some("testuser%02X")),
        Ok(hex),
        "#182"
    );
    assert_eq!(
        s(Some("19"), Some("21"), None, Some("2020-05-%02d")),
        Ok(vec![
            "2020-05-19".into(),
            "2020-05-20".into(),
            "2020-05-21".into()
        ]),
        "#183"
    );
    assert_eq!(
        s(Some("1"), Some("2"), None, Some("%s")),
        Ok(vec!["%!s(int=1)".into(), "%!s(int=2)".into()]),
        "#184"
    );
    assert_eq!(
        s(Some("-2"), Some("1"), None, None),
        Ok(range(-2, 1)),
        "#185"
    );
    assert!(
        s(Some(" 1"), Some("2"), None, None)
            .is_err_and(|e| e.contains("strconv.Atoi: parsing \" 1\"")),
        "#186"
    );
}

/// The two expressions from issue 4 (a real user's metrics, seed 002).
#[test]
fn metric_label_examples_from_the_issue() {
    let l = Limits::default();
    let b = bindings(&[
        ("workflow.name", Some("sample-module-wf-abc12-def34")),
        ("workflow.status", Some("Succeeded")),
    ]);
    let t = r#"{{= sprig.regexReplaceAll("(.*)-[^-]*-[^-]*$", workflow.name, "$1") }}"#;
    assert_eq!(
        substitute(t, &b, &Mode::Strict, &l).as_deref(),
        Ok("sample-module-wf")
    );
    let t = "{{= sprig.ternary('0', '1', workflow.status == 'Succeeded') }}";
    assert_eq!(substitute(t, &b, &Mode::Strict, &l).as_deref(), Ok("0"));
    let failed = bindings(&[("workflow.status", Some("Failed"))]);
    assert_eq!(
        substitute(t, &failed, &Mode::Strict, &l).as_deref(),
        Ok("1")
    );
}
