//! The `bosun` binary tested from outside: exit codes, every output format, stdin, directory
//! walks, `explain`, `rules` and broken pipes.
//!
//! Every run starts in `tests/data/cli/` so paths in the output are short and stable. Snapshots
//! record the exit code, standard output and standard error, with timings and the crate version
//! replaced by placeholders.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cli")
}

/// The outcome of one run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `bosun` with `args` in `tests/data/cli/`, feeding it `stdin`.
fn bosun_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bosun"))
        .args(args)
        .current_dir(data_dir())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bosun starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("bosun finishes");
    Run {
        code: out
            .status
            .code()
            .expect("bosun exits normally, not by a signal"),
        stdout: normalize(&String::from_utf8(out.stdout).expect("UTF-8 stdout")),
        stderr: normalize(&String::from_utf8(out.stderr).expect("UTF-8 stderr")),
    }
}

fn bosun(args: &[&str]) -> Run {
    bosun_with_stdin(args, b"")
}

/// Replaces what changes from run to run: `in 12 ms` / `in 1.50 s`, and the crate version.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" in ") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let number = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let unit = &rest[number..];
        if number > 0 && (unit.starts_with(" ms") || unit.starts_with(" s")) {
            out.push_str("[TIME]");
            rest = &unit[if unit.starts_with(" ms") { 3 } else { 2 }..];
        }
    }
    out.push_str(rest);
    out.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[VERSION]\"",
    )
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run}"))
}

fn assert_valid(schema: &Value, instance: &Value) {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn clean_file_exits_zero_with_a_summary() {
    insta::assert_snapshot!(bosun(&["lint", "clean.yaml"]));
}

#[test]
fn broken_file_exits_one_and_reports_each_problem() {
    insta::assert_snapshot!(bosun(&["lint", "broken.yaml"]));
}

#[test]
fn missing_path_exits_two_with_the_cause() {
    insta::assert_snapshot!(bosun(&["lint", "clean.yaml", "missing.yaml"]));
}

#[test]
fn bad_flag_exits_two() {
    let run = bosun(&["lint", "--frobnicate", "clean.yaml"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("--frobnicate"), "{run}");
    assert!(run.stdout.is_empty());
}

#[test]
fn lint_without_paths_exits_two() {
    let run = bosun(&["lint"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("<PATH>"), "{run}");
}

#[test]
fn unknown_rule_selector_exits_two_with_a_suggestion() {
    insta::assert_snapshot!(bosun(&["lint", "--ignore", "AW0003", "clean.yaml"]));
}

#[test]
fn warnings_pass_unless_denied() {
    let run = bosun(&["lint", "warning.yaml"]);
    assert_eq!(run.code, 0, "{run}");
    let run = bosun(&["lint", "--deny-warnings", "warning.yaml"]);
    assert_eq!(run.code, 1, "{run}");
}

#[test]
fn severity_overrides_and_ignores_change_the_exit_code() {
    let run = bosun(&["lint", "--severity", "duplicate-key=error", "warning.yaml"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stdout.contains("error[AW003]"), "{run}");
    let run = bosun(&["lint", "--ignore", "AW001", "broken.yaml"]);
    assert_eq!(run.code, 0, "{run}");
    let run = bosun(&["lint", "--select", "AW001", "broken.yaml"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(!run.stdout.contains("AW003"), "{run}");
}

#[test]
fn quiet_prints_only_failing_diagnostics_and_no_summary() {
    let run = bosun(&["lint", "--quiet", "broken.yaml", "warning.yaml"]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(run.stdout.matches("error[").count(), 1, "{run}");
    assert!(run.stdout.contains("error[AW001]"), "{run}");
    assert!(!run.stdout.contains("AW003"), "{run}");
    assert!(run.stderr.is_empty(), "{run}");
}

#[test]
fn json_output_matches_the_schema() {
    let run = bosun(&["lint", "--format", "json", "broken.yaml", "clean.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.is_empty(), "{run}");
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/diagnostics.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    assert_valid(&schema, &json_of(&run));
    insta::assert_snapshot!(run);
}

#[test]
fn sarif_output_is_valid_sarif() {
    let run = bosun(&["lint", "--format", "sarif", "broken.yaml", "dir"]);
    assert_eq!(run.code, 1);
    let log = json_of(&run);
    let official = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/schemas/sarif-2.1.0-rtm.5.json"),
    )
    .unwrap()
    // A stray `]` that ECMAScript reads as a literal; see tests/data/schemas/NOTICE.md.
    .replace(r#"{2}]?$"#, r#"{2}\\]?$"#);
    assert_valid(&serde_json::from_str(&official).unwrap(), &log);

    let run0 = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run0["tool"]["driver"]["name"], "bosun");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), compiler::checks::all_rules().len());
    let results = run0["results"].as_array().unwrap();
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["warning", "error", "note"]);
    let info = &results[2];
    assert_eq!(
        rules[info["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "AW009"
    );
    let location = &info["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "dir/nested/b.yml"
    );
    assert_eq!(location["physicalLocation"]["region"]["startLine"], 2);
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "/kind"
    );
}

#[test]
fn junit_output_parses_back() {
    use quick_xml::events::Event;
    let run = bosun(&["lint", "--format", "junit", "broken.yaml", "clean.yaml"]);
    assert_eq!(run.code, 1);
    let mut reader = quick_xml::Reader::from_str(&run.stdout);
    let (mut suites, mut cases, mut failures, mut depth) = (0, 0, 0, 0i32);
    loop {
        let event = reader.read_event().unwrap_or_else(|e| panic!("{e}\n{run}"));
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => suites += 1,
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "unbalanced tags\n{run}");
    }
    assert_eq!(depth, 0, "unclosed tags\n{run}");
    assert_eq!((suites, failures), (2, 1), "{run}");
    assert_eq!(cases, 3, "{run}");
    insta::assert_snapshot!(run);
}

#[test]
fn github_output_annotates_each_problem() {
    insta::assert_snapshot!(bosun(&["lint", "--format", "github", "broken.yaml", "dir"]));
}

#[test]
fn stdin_is_read_from_dash() {
    let text = std::fs::read(data_dir().join("warning.yaml")).unwrap();
    insta::assert_snapshot!(bosun_with_stdin(&["lint", "-"], &text));
}

#[test]
fn directories_are_searched_recursively_skipping_hidden_ones() {
    insta::assert_snapshot!(bosun(&["lint", "dir"]));
}

#[test]
fn directories_without_manifests_warn() {
    let run = bosun(&["lint", "no-manifests"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.starts_with("warning: no manifests found"),
        "{run}"
    );
}

#[test]
fn output_flag_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    let run = bosun(&[
        "lint",
        "--format",
        "json",
        "--output",
        path.to_str().unwrap(),
        "broken.yaml",
    ]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stdout.is_empty(), "{run}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
}

#[test]
fn unwritable_output_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/report.json");
    let run = bosun(&["lint", "--output", path.to_str().unwrap(), "clean.yaml"]);
    assert_eq!(run.code, 2, "{run}");
    let stderr = run.stderr.replace(dir.path().to_str().unwrap(), "[TEMP]");
    insta::assert_snapshot!(stderr, @r"
    bosun failed
      Cause: cannot write `[TEMP]/no/such/dir/report.json`
      Cause: No such file or directory (os error 2)
    ");
}

#[test]
fn explain_prints_the_rule_docs() {
    insta::assert_snapshot!(bosun(&["explain", "aw003"]));
}

#[test]
fn explain_accepts_rule_names() {
    let run = bosun(&["explain", "duplicate-key"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("AW003 (duplicate-key): "), "{run}");
}

#[test]
fn explain_unknown_code_exits_two_with_did_you_mean() {
    insta::assert_snapshot!(bosun(&["explain", "AW03"]));
}

#[test]
fn rules_lists_every_rule() {
    let rules = compiler::checks::all_rules();
    let run = bosun(&["rules"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout.lines().count(), rules.len());
    for (line, rule) in run.stdout.lines().zip(&rules) {
        assert!(
            line.starts_with(&format!("{}  {} ", rule.code, rule.name)),
            "{line}"
        );
        assert!(line.ends_with(rule.summary), "{line}");
    }

    let run = bosun(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let list = json_of(&run);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), rules.len());
    for (item, rule) in list.iter().zip(&rules) {
        assert_eq!(item["code"], rule.code);
        assert_eq!(item["name"], rule.name);
        assert_eq!(item["severity"], rule.severity.as_str());
        assert_eq!(item["summary"], rule.summary);
    }
}

#[test]
fn broken_pipe_exits_quietly() {
    // 5000 duplicate keys make far more output than a pipe buffers.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.yaml");
    let mut text = String::from("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n");
    for i in 0..5000 {
        text.push_str(&format!("  name: n{i}\n"));
    }
    std::fs::write(&path, text).unwrap();

    for format in ["human", "json", "github"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bosun"))
            .args(["lint", "--format", format, path.to_str().unwrap()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn help_and_version_exit_zero() {
    let run = bosun(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, format!("bosun {}\n", env!("CARGO_PKG_VERSION")));
    let run = bosun(&["lint", "--help"]);
    assert_eq!(run.code, 0);
    for flag in [
        "--format",
        "--quiet",
        "--deny-warnings",
        "--select",
        "--ignore",
        "--severity",
        "--max-file-size",
        "--max-document-size",
        "--color",
        "--output",
    ] {
        assert!(
            run.stdout.contains(flag),
            "{flag} missing from\n{}",
            run.stdout
        );
    }
}

#[test]
fn hostile_inputs_render_in_every_format() {
    // CRLF, non-ASCII names and text, invalid UTF-8 (read lossily, AW002), an empty file, and an
    // error at the very end of a file without a final newline.
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, &[u8]); 4] = [
        (
            "crlf \u{e9}.yaml",
            "apiVersion: v1\r\nkind: Config\u{e9}Map\r\nkind: x\r\n".as_bytes(),
        ),
        ("latin1.yaml", b"name: caf\xe9\n"),
        ("empty.yaml", b""),
        ("eof.yaml", b"a: [1, 2"),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let path = dir.path().to_str().unwrap();
    for format in ["human", "json", "sarif", "junit", "github"] {
        let run = bosun(&["lint", "--format", format, path]);
        assert_eq!(run.code, 1, "{format}: {run}");
        assert!(run.stdout.contains("AW002"), "{format}: {run}");
        assert!(run.stdout.contains("AW001"), "{format}: {run}");
        if matches!(format, "json" | "sarif") {
            json_of(&run);
        }
    }
}

#[test]
fn references_across_files_resolve_and_missing_ones_fail() {
    insta::assert_snapshot!(bosun(&["lint", "refs/workflows", "refs/templates"]));
}

#[test]
fn templates_flag_resolves_library_references_without_reporting_on_the_library() {
    insta::assert_snapshot!(bosun(&[
        "lint",
        "refs/workflows",
        "refs/templates",
        "--templates",
        "refs/library"
    ]));
}

#[test]
fn allow_missing_refs_turns_missing_references_into_warnings() {
    insta::assert_snapshot!(bosun(&[
        "lint",
        "refs/workflows/ci.yaml",
        "--allow-missing-refs"
    ]));
}

#[test]
fn external_templates_are_not_reported() {
    let run = bosun(&[
        "lint",
        "refs/workflows",
        "--external-templates",
        "shared-*,build-tools,test-tools",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stdout.contains("AW501"), "{run}");
}
