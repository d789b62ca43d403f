//! The integrations (`.pre-commit-hooks.yaml`, `action.yml`, `integrations/**`) and the
//! copy-paste snippets of `docs/integrations.md` and `docs/editors.md` work as documented:
//! every file parses, every `bosun lint` flag they use exists, the scripts they run are executed
//! here against a small project (with the built `bosun`), and the reports they hand to GitHub,
//! GitLab and Argo CD are produced. The pre-commit hooks run under the real `pre-commit` when it
//! is installed (`.ci/run` installs it; elsewhere the test says it skipped).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use support::{bin, bosun, copy_repo, path_with_bins, repo_root, run_limited, snippet, yaml};

const LIMIT: Duration = Duration::from_secs(300);

// ---------------------------------------------------------------------------------------------
// Fixtures

/// A project laid out as the docs' snippets assume: Argo manifests under `workflows/` (templates
/// in `workflows/templates/`, referenced from `workflows/pipeline.yaml`), plus YAML and JSON
/// that are not Argo manifests. `broken` adds `workflows/broken.yaml` (the bundled broken
/// pipeline).
fn project(broken: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let examples = repo_root().join("examples");
    let read = |name: &str| std::fs::read_to_string(examples.join(name)).expect("example");
    let shared = read("shared-templates.yaml");
    let (templates, pipeline) = shared
        .split_once("\n---\n")
        .expect("shared-templates.yaml holds a template and a pipeline");
    let files = [
        (
            "workflows/templates/task-template.yaml",
            format!("{templates}\n"),
        ),
        ("workflows/pipeline.yaml", pipeline.to_string()),
        ("workflows/steps.yaml", read("workflow-sample-steps.yaml")),
        (
            ".github/workflows/ci.yml",
            "name: ci\non: [push]\njobs: {}\n".to_string(),
        ),
        (
            "k8s/configmap.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {}\n".to_string(),
        ),
        (
            "package.json",
            "{\"name\": \"site\", \"private\": true}\n".to_string(),
        ),
    ];
    for (rel, text) in files {
        write(&root.join(rel), &text);
    }
    if broken {
        write(
            &root.join("workflows/broken.yaml"),
            &read("invalid/broken-pipeline.yaml"),
        );
    }
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
    std::fs::write(path, text).expect("write file");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs a shell script (bash) in `dir` with the built binaries first on `PATH`.
fn shell(dir: &Path, script: &str, env: &BTreeMap<String, String>) -> support::Output {
    shell_with("bash", dir, script, env)
}

/// [`shell`] with another interpreter (`sh` where the integration runs `sh -c`).
fn shell_with(
    interpreter: &str,
    dir: &Path,
    script: &str,
    env: &BTreeMap<String, String>,
) -> support::Output {
    let mut cmd = Command::new(interpreter);
    cmd.args(["-c", script])
        .current_dir(dir)
        .env("PATH", path_with_bins())
        .env("NO_COLOR", "1")
        .envs(env);
    run_limited(&mut cmd, LIMIT).unwrap_or_else(|e| panic!("{e}"))
}

/// `bosun lint --help`, to check the flags the integrations pass.
fn lint_help() -> String {
    let out = bosun(&["lint", "--help"]);
    assert_eq!(out.code(), 0, "{}", out.stderr);
    out.stdout
}

/// The `--flags` of every `bosun … lint …` invocation in `text` (one per line).
fn lint_flags(text: &str) -> Vec<String> {
    let mut flags = Vec::new();
    for line in text.lines() {
        let Some(at) = line
            .find("bosun lint")
            .or_else(|| line.find("bosun\" lint"))
        else {
            continue;
        };
        for word in line[at..].split_whitespace() {
            let word = word.trim_matches(|c: char| "\"'`,.;)]".contains(c));
            if word == "--" {
                break;
            }
            if word.starts_with("--") && word.len() > 2 {
                flags.push(word.split('=').next().unwrap_or(word).to_string());
            }
        }
    }
    flags
}

fn assert_flags_exist(help: &str, flags: &[String], what: &str) {
    for flag in flags {
        let documented = help
            .split(|c: char| c.is_whitespace() || c == ',')
            .any(|w| w == flag);
        assert!(
            documented,
            "{what} passes `{flag}`, which `bosun lint` does not have"
        );
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v:#}"))
}

/// The `with:` values `uses:` a step of a workflow snippet passes to this repository's action.
fn action_step(workflow: &Value) -> BTreeMap<String, String> {
    let steps = workflow
        .pointer("/jobs/lint/steps")
        .and_then(Value::as_array)
        .expect("the workflow has jobs.lint.steps");
    let step = steps
        .iter()
        .find(|s| {
            s.get("uses")
                .and_then(Value::as_str)
                .is_some_and(|u| u.starts_with("<org>/bosun@"))
        })
        .expect("a step uses <org>/bosun@<rev>");
    step.get("with")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_string)))
                .collect()
        })
        .unwrap_or_default()
}

/// A report read back: SARIF results as (ruleId, uri) pairs.
fn sarif_results(path: &Path) -> Vec<(String, String)> {
    let sarif: Value = serde_json::from_str(&read(path)).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif
        .pointer("/runs/0/results")
        .and_then(Value::as_array)
        .expect("runs[0].results");
    results
        .iter()
        .map(|r| {
            (
                str_at(r, "/ruleId").to_string(),
                str_at(r, "/locations/0/physicalLocation/artifactLocation/uri").to_string(),
            )
        })
        .collect()
}

/// JUnit read back: (test cases, failure types).
fn junit_summary(path: &Path) -> (usize, Vec<String>) {
    use quick_xml::events::Event;
    let text = read(path);
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut cases, mut failures, mut root) = (0, Vec::new(), None);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                root.get_or_insert_with(|| name.clone());
                if name == "testcase" {
                    cases += 1;
                }
                if name == "failure" {
                    let ty = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == b"type")
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default();
                    failures.push(ty);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{}: not well-formed XML: {e}", path.display()),
        }
    }
    assert_eq!(root.as_deref(), Some("testsuites"), "{text}");
    (cases, failures)
}

// ---------------------------------------------------------------------------------------------
// Every file

/// The YAML files of the integrations.
fn integration_yaml_files() -> Vec<PathBuf> {
    let root = repo_root();
    let mut files = vec![root.join(".pre-commit-hooks.yaml"), root.join("action.yml")];
    let mut stack = vec![root.join("integrations")];
    while let Some(dir) = stack.pop() {
        for path in std::fs::read_dir(&dir)
            .expect("integrations/")
            .flatten()
            .map(|e| e.path())
        {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_integration_file_parses_and_uses_existing_flags() {
    let help = lint_help();
    let files = integration_yaml_files();
    assert!(files.len() >= 5, "{files:?}");
    for path in &files {
        let text = read(path);
        let docs = support::yaml_documents(&text)
            .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
        assert!(
            !docs.is_empty() && docs.iter().all(|d| !d.is_null()),
            "{}",
            path.display()
        );
    }
    // Every file under integrations/ (scripts and Dockerfiles too), the hooks and the action.
    let mut all = files.clone();
    all.push(repo_root().join("integrations/pre-commit/bosun-lint"));
    all.push(repo_root().join("integrations/argocd/Dockerfile"));
    let mut seen = 0;
    for path in &all {
        let flags = lint_flags(&read(path));
        seen += flags.len();
        assert_flags_exist(&help, &flags, &path.display().to_string());
    }
    assert!(
        seen >= 8,
        "expected the integrations to pass flags to bosun lint"
    );
}

// ---------------------------------------------------------------------------------------------
// pre-commit

/// How to run pre-commit here, if it is installed.
fn pre_commit() -> Option<Vec<String>> {
    for candidate in [vec!["pre-commit"], vec!["python3", "-m", "pre_commit"]] {
        let mut cmd = Command::new(candidate[0]);
        cmd.args(&candidate[1..]).arg("--version");
        if run_limited(&mut cmd, Duration::from_secs(60)).is_ok_and(|o| o.code() == 0) {
            return Some(candidate.iter().map(|s| s.to_string()).collect());
        }
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    assert!(
        !ci,
        "pre-commit is not installed; .ci/run installs it with pip"
    );
    println!("skipping: pre-commit is not installed (pip install pre-commit)");
    None
}

fn git(dir: &Path, args: &[&str]) {
    let mut cmd = Command::new("git");
    cmd.args([
        "-c",
        "user.name=Bosun Tests",
        "-c",
        "user.email=tests@bosun.invalid",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "init.defaultBranch=main",
    ])
    .args(args)
    .current_dir(dir);
    let out = run_limited(&mut cmd, Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.code(), 0, "git {args:?}: {}", out.stderr);
}

/// A git repository holding this checkout's hook definitions, as pre-commit would clone it.
fn hooks_repo(dir: &Path) -> String {
    std::fs::create_dir_all(dir).expect("dir");
    let root = repo_root();
    std::fs::copy(
        root.join(".pre-commit-hooks.yaml"),
        dir.join(".pre-commit-hooks.yaml"),
    )
    .expect("copy hooks");
    let script = dir.join("integrations/pre-commit/bosun-lint");
    std::fs::create_dir_all(script.parent().expect("parent")).expect("dir");
    std::fs::copy(root.join("integrations/pre-commit/bosun-lint"), &script).expect("copy script");
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "hooks"]);
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .expect("git rev-parse");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The snippet's config, pointed at the local hooks repository.
fn pre_commit_config(snippet_name: &str, hooks: &Path, rev: &str) -> String {
    snippet("docs/integrations.md", snippet_name)
        .text()
        .replace(
            "https://github.com/<org>/bosun",
            &hooks.display().to_string(),
        )
        .replace("<rev>", rev)
}

struct PreCommitRun {
    code: i32,
    output: String,
}

fn run_pre_commit(
    pc: &[String],
    project: &Path,
    cache: &Path,
    path: std::ffi::OsString,
    args: &[&str],
    env: &[(&str, std::ffi::OsString)],
) -> PreCommitRun {
    let mut cmd = Command::new(&pc[0]);
    cmd.envs(env.iter().map(|(k, v)| (k, v)))
        .args(&pc[1..])
        .args(["run", "--color", "never"])
        .args(args)
        .current_dir(project)
        .env("PRE_COMMIT_HOME", cache)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TARGET_DIR");
    let out = run_limited(&mut cmd, LIMIT).unwrap_or_else(|e| panic!("{e}"));
    PreCommitRun {
        code: out.code(),
        output: format!("{}{}", out.stdout, out.stderr),
    }
}

/// `PATH` with a fake `cargo` that records its arguments and, instead of compiling, links the
/// built `bosun` where `cargo build --release --target-dir DIR` would put it. It stands in for
/// the real build, which takes minutes; the `bosun-lint` script is otherwise run as is.
fn path_with_fake_cargo(dir: &Path) -> std::ffi::OsString {
    let fake = dir.join("cargo");
    write(
        &fake,
        r#"#!/bin/sh
echo "$@" >> "$FAKE_CARGO_LOG"
target=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--target-dir" ]; then target="$2"; shift; fi
  shift
done
mkdir -p "$target/release" && ln -sf "$FAKE_CARGO_BOSUN" "$target/release/bosun"
"#,
    );
    let mut perms = std::fs::metadata(&fake).expect("fake cargo").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&fake, perms).expect("chmod");
    let mut paths = vec![dir.to_path_buf()];
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths).expect("PATH")
}

#[test]
fn pre_commit_hooks_fail_on_broken_manifests_and_pass_on_valid_ones() {
    let Some(pc) = pre_commit() else { return };
    let tmp = tempfile::tempdir().expect("temp dir");
    let hooks = tmp.path().join("bosun");
    let rev = hooks_repo(&hooks);
    let fake = tmp.path().join("fake-bin");
    let log = tmp.path().join("cargo.log");
    for hook in ["bosun-lint", "bosun-lint-system"] {
        let project = project(true);
        let p = project.path();
        let config = pre_commit_config("pre-commit-config", &hooks, &rev);
        let config = config.replace("id: bosun-lint\n", &format!("id: {hook}\n"));
        write(&p.join(".pre-commit-config.yaml"), &config);
        git(p, &["init", "-q"]);
        git(p, &["add", "-A"]);
        // `bosun-lint` builds bosun itself (here: the fake cargo); `-system` uses the PATH.
        let path = if hook == "bosun-lint" {
            path_with_fake_cargo(&fake)
        } else {
            path_with_bins()
        };
        let cache = tmp.path().join(format!("cache-{hook}"));
        // What the fake cargo reads.
        let env = [
            ("FAKE_CARGO_LOG", log.clone().into_os_string()),
            ("FAKE_CARGO_BOSUN", bin("bosun").into_os_string()),
        ];
        let run = |args: &[&str]| run_pre_commit(&pc, p, &cache, path.clone(), args, &env);

        let failed = run(&["--all-files"]);
        assert_eq!(failed.code, 1, "{hook}: {}", failed.output);
        for expected in [
            "workflows/broken.yaml",
            "AW101",
            "unknown field `dependancies`",
            "Failed",
        ] {
            assert!(
                failed.output.contains(expected),
                "{hook}: no `{expected}` in:\n{}",
                failed.output
            );
        }
        // Not Argo manifests: skipped silently by the hooks' default arguments.
        for quiet in [
            "ci.yml",
            "configmap",
            "package.json",
            ".pre-commit-config",
            "AW009",
            "AW010",
        ] {
            assert!(
                !failed.output.contains(quiet),
                "{hook}: `{quiet}` in:\n{}",
                failed.output
            );
        }

        std::fs::remove_file(p.join("workflows/broken.yaml")).expect("remove");
        git(p, &["add", "-A"]);
        let passed = run(&["--all-files"]);
        assert_eq!(passed.code, 0, "{hook}: {}", passed.output);
        assert!(
            passed.output.contains("Passed"),
            "{hook}: {}",
            passed.output
        );
    }
    let calls = read(&log);
    let first = calls.lines().next().unwrap_or_default();
    for part in [
        "build",
        "--release",
        "--locked",
        "-p compiler",
        "--bin bosun",
        "--manifest-path",
    ] {
        assert!(
            first.contains(part),
            "the bosun-lint script ran `cargo {first}`"
        );
    }
}

#[test]
fn the_scoped_pre_commit_example_resolves_references_from_the_templates() {
    let Some(pc) = pre_commit() else { return };
    let tmp = tempfile::tempdir().expect("temp dir");
    let hooks = tmp.path().join("bosun");
    let rev = hooks_repo(&hooks);
    let project = project(false);
    let p = project.path();
    let config = pre_commit_config("pre-commit-config-scoped", &hooks, &rev);
    assert!(config.contains("--templates"), "{config}");
    write(&p.join(".pre-commit-config.yaml"), &config);
    git(p, &["init", "-q"]);
    git(p, &["add", "-A"]);
    let cache = tmp.path().join("cache");
    // Only the pipeline changed: its templateRef resolves through `--templates`.
    let run = run_pre_commit(
        &pc,
        p,
        &cache,
        path_with_bins(),
        &["--files", "workflows/pipeline.yaml"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.output);
    // A reference to a template that does not exist fails the commit.
    let pipeline = read(&p.join("workflows/pipeline.yaml"))
        .replace("name: task-template-ref\n", "name: task-template-missing\n");
    write(&p.join("workflows/pipeline.yaml"), &pipeline);
    git(p, &["add", "-A"]);
    let run = run_pre_commit(
        &pc,
        p,
        &cache,
        path_with_bins(),
        &["--files", "workflows/pipeline.yaml"],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.output);
    assert!(
        run.output.contains("AW501") && run.output.contains("task-template-missing"),
        "{}",
        run.output
    );
    // Files outside `files:` are not checked: a broken one there does not fail.
    write(
        &p.join("other/broken.yaml"),
        &read(&repo_root().join("examples/invalid/broken-pipeline.yaml")),
    );
    git(p, &["add", "-A"]);
    let run = run_pre_commit(
        &pc,
        p,
        &cache,
        path_with_bins(),
        &["--files", "other/broken.yaml"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.output);
}

#[test]
fn the_hook_manifest_is_what_pre_commit_expects() {
    let hooks = support::yaml_file(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().map(|h| str_at(h, "/id")).collect();
    assert_eq!(ids, ["bosun-lint", "bosun-lint-system"]);
    for hook in hooks {
        assert_eq!(hook["types_or"], serde_json::json!(["yaml", "json"]));
        assert_eq!(
            hook["require_serial"], true,
            "one bosun sees every changed file"
        );
        let args: Vec<&str> = hook["args"]
            .as_array()
            .expect("args")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            args,
            ["--quiet", "--allow-missing-refs", "--ignore", "AW010"]
        );
        // The rule it ignores exists.
        assert_eq!(bosun(&["explain", "AW010"]).code(), 0);
    }
    let script = repo_root().join(str_at(&hooks[0], "/entry"));
    let mode = std::fs::metadata(&script)
        .expect("the script exists")
        .permissions();
    assert!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o111 != 0,
        "{script:?} is executable"
    );
    assert_eq!(str_at(&hooks[0], "/language"), "script");
    assert_eq!(str_at(&hooks[1], "/entry"), "bosun lint");
    assert_eq!(str_at(&hooks[1], "/language"), "system");
    if let Some(pc) = pre_commit() {
        let mut cmd = Command::new(&pc[0]);
        cmd.args(&pc[1..])
            .args(["validate-manifest", ".pre-commit-hooks.yaml"])
            .current_dir(repo_root());
        let out = run_limited(&mut cmd, LIMIT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.code(), 0, "{}{}", out.stdout, out.stderr);
        for name in ["pre-commit-config", "pre-commit-config-scoped"] {
            let dir = tempfile::tempdir().expect("temp dir");
            let config = dir.path().join(".pre-commit-config.yaml");
            write(&config, &snippet("docs/integrations.md", name).text());
            let mut cmd = Command::new(&pc[0]);
            cmd.args(&pc[1..]).arg("validate-config").arg(&config);
            let out = run_limited(&mut cmd, LIMIT).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(out.code(), 0, "{name}: {}{}", out.stdout, out.stderr);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

/// The action's inputs with their defaults.
fn action_inputs(action: &Value) -> BTreeMap<String, String> {
    action["inputs"]
        .as_object()
        .expect("inputs")
        .iter()
        .map(|(k, v)| (k.clone(), v["default"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// Replaces `${{ inputs.NAME }}` and `${{ steps.lint.outputs.NAME }}`; any other expression is
/// not expected in the steps run here.
fn expand(
    value: &str,
    inputs: &BTreeMap<String, String>,
    outputs: &BTreeMap<String, String>,
) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find("${{") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("}}").expect("closed expression") + i;
        let expr = rest[i + 3..end].trim();
        let v = if let Some(name) = expr.strip_prefix("inputs.") {
            inputs
                .get(name)
                .unwrap_or_else(|| panic!("no input `{name}`"))
                .clone()
        } else if let Some(name) = expr.strip_prefix("steps.lint.outputs.") {
            outputs.get(name).cloned().unwrap_or_default()
        } else {
            panic!("unexpected expression `{expr}`")
        };
        out.push_str(&v);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Runs the action's `lint` and `Result` steps in `dir` as GitHub would (inputs through `env:`,
/// outputs through `$GITHUB_OUTPUT`). Returns the lint step's outputs and stdout, and the result
/// step's exit code.
fn run_action(
    dir: &Path,
    with: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, String, i32) {
    let action = support::yaml_file("action.yml");
    let mut inputs = action_inputs(&action);
    for (k, v) in with {
        assert!(
            inputs.contains_key(k),
            "the workflow passes `{k}`, which action.yml does not declare"
        );
        inputs.insert(k.clone(), v.clone());
    }
    let steps = action
        .pointer("/runs/steps")
        .and_then(Value::as_array)
        .expect("steps");
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no step `{name}`"))
    };
    let env_of = |s: &Value, outputs: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        s["env"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            expand(v.as_str().unwrap_or(""), &inputs, outputs),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let output_file = dir.join(".github-output");
    write(&output_file, "");
    let lint = step("Lint");
    let mut env = env_of(lint, &BTreeMap::new());
    env.insert("GITHUB_OUTPUT".into(), output_file.display().to_string());
    let out = shell(dir, str_at(lint, "/run"), &env);
    assert_ne!(out.code(), 2, "bosun could not run: {}", out.stderr);
    let outputs: BTreeMap<String, String> = read(&output_file)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let result = step("Result");
    let result_out = shell(dir, str_at(result, "/run"), &env_of(result, &outputs));
    (outputs, out.stdout, result_out.code())
}

#[test]
fn the_action_declares_uses_and_passes_its_inputs_safely() {
    let action = support::yaml_file("action.yml");
    assert_eq!(str_at(&action, "/runs/using"), "composite");
    let steps = action
        .pointer("/runs/steps")
        .and_then(Value::as_array)
        .expect("steps");
    let runs_text = serde_json::to_string(&action["runs"]).expect("json");
    for input in action_inputs(&action).keys() {
        assert!(
            runs_text.contains(&format!("inputs.{input}")),
            "input `{input}` is never used"
        );
    }
    for output in action["outputs"].as_object().expect("outputs").values() {
        let value = str_at(output, "/value");
        let name = value
            .trim_start_matches("${{ steps.lint.outputs.")
            .trim_end_matches(" }}");
        assert!(
            str_at(step_named(steps, "Lint"), "/run").contains(&format!("{name}=")),
            "{value}"
        );
    }
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            assert!(
                !run.contains("${{"),
                "expressions reach `run:` only through env: {run}"
            );
            assert_eq!(str_at(step, "/shell"), "bash");
        }
    }
    let upload = step_named(steps, "Upload SARIF");
    assert!(str_at(upload, "/uses").starts_with("github/codeql-action/upload-sarif@"));
    assert!(
        str_at(upload, "/if").starts_with("always()"),
        "uploads even when lint fails"
    );
    assert_eq!(
        str_at(upload, "/with/sarif_file"),
        "${{ steps.lint.outputs.sarif-file }}"
    );
    // The install step builds the package that has the `bosun` binary.
    let install = str_at(step_named(steps, "Install bosun"), "/run");
    assert!(
        install.contains(
            "cargo install --locked --quiet --path \"$BOSUN_SOURCE/compiler\" --bin bosun"
        )
    );
    let manifest = read(&repo_root().join("compiler/Cargo.toml"));
    assert!(
        manifest.contains("name = \"bosun\""),
        "compiler builds the bosun binary"
    );
}

fn step_named<'a>(steps: &'a [Value], name: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step `{name}`"))
}

#[test]
fn the_github_workflow_examples_produce_sarif_and_annotations() {
    let help = lint_help();
    // SARIF mode, with the documented workflow's inputs.
    let workflow = yaml(
        &snippet("docs/integrations.md", "github-workflow").text(),
        "github-workflow",
    );
    assert_eq!(
        str_at(&workflow, "/permissions/security-events"),
        "write",
        "upload-sarif needs it"
    );
    let with = action_step(&workflow);
    assert_flags_exist(
        &help,
        &lint_flags(&format!("bosun lint {}", with["args"])),
        "github-workflow",
    );
    let broken = project(true);
    let (outputs, log, result) = run_action(broken.path(), &with);
    assert_eq!(outputs["exit-code"], "1");
    assert!(
        log.contains("error[AW101]"),
        "the job log shows the problems: {log}"
    );
    assert_eq!(result, 1, "fail-on-error fails the job");
    let results = sarif_results(&broken.path().join(&outputs["sarif-file"]));
    assert!(
        results.contains(&("AW101".to_string(), "workflows/broken.yaml".to_string())),
        "{results:?}"
    );
    let clean = project(false);
    let (outputs, _, result) = run_action(clean.path(), &with);
    assert_eq!((outputs["exit-code"].as_str(), result), ("0", 0));
    assert!(sarif_results(&clean.path().join("bosun.sarif")).is_empty());

    // Annotations mode.
    let workflow = yaml(
        &snippet("docs/integrations.md", "github-workflow-annotations").text(),
        "github-workflow-annotations",
    );
    let with = action_step(&workflow);
    assert_eq!(with["mode"], "github");
    let (outputs, stdout, result) = run_action(broken.path(), &with);
    assert_eq!((outputs["exit-code"].as_str(), result), ("1", 1));
    assert!(!outputs.contains_key("sarif-file"));
    assert!(
        stdout.lines().any(
            |l| l.starts_with("::error file=workflows/broken.yaml,line=24,") && l.contains("AW101")
        ),
        "{stdout}"
    );
    // `fail-on-error: false` reports without failing.
    let mut lenient = with.clone();
    lenient.insert("fail-on-error".into(), "false".into());
    assert_eq!(run_action(broken.path(), &lenient).2, 0);
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

#[test]
fn the_gitlab_template_writes_a_junit_report() {
    let template = support::yaml_file("integrations/gitlab/bosun.gitlab-ci.yml");
    let job = &template[".bosun-lint"];
    assert_eq!(str_at(&template, "/bosun-lint/extends"), ".bosun-lint");
    let junit = str_at(job, "/artifacts/reports/junit");
    let paths: Vec<&str> = job["artifacts"]["paths"]
        .as_array()
        .expect("artifacts.paths")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| junit.starts_with(p.trim_end_matches('/'))),
        "the JUnit report is kept as an artifact: {paths:?}"
    );
    assert_eq!(
        str_at(job, "/artifacts/when"),
        "always",
        "reports are kept when lint fails"
    );

    // The include snippet names this file and only variables the template declares.
    let doc = yaml(
        &snippet("docs/integrations.md", "gitlab-ci").text(),
        "gitlab-ci",
    );
    let remote = str_at(&doc, "/include/0/remote");
    let rel = remote.split_once("<rev>/").expect("a pinned raw URL").1;
    assert_eq!(rel, "integrations/gitlab/bosun.gitlab-ci.yml");
    let declared = template["variables"].as_object().expect("variables");
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in declared {
        env.insert(k.clone(), v.as_str().unwrap_or("").to_string());
    }
    for (k, v) in doc["variables"].as_object().expect("variables") {
        assert!(
            declared.contains_key(k),
            "the snippet sets `{k}`, which the template ignores"
        );
        env.insert(k.clone(), v.as_str().unwrap_or("").to_string());
    }

    // The job's script, as GitLab runs it (each line must succeed).
    let script: Vec<&str> = job["script"]
        .as_array()
        .expect("script")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let script = format!("set -e\n{}", script.join("\n"));
    assert_flags_exist(&lint_help(), &lint_flags(&script), "the GitLab template");
    let broken = project(true);
    let out = shell(broken.path(), &script, &env);
    assert_eq!(out.code(), 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("error[AW101]"),
        "the log shows the human report"
    );
    for path in &paths {
        assert!(
            broken.path().join(path).exists(),
            "artifact {path} was not written"
        );
    }
    // The reports are where a later lint of the project does not read them.
    let relint = shell(broken.path(), "bosun lint --format json -- .", &env);
    assert!(!relint.stdout.contains(".bosun/"), "{}", relint.stdout);
    assert!(relint.stdout.contains("workflows/broken.yaml"));
    let (cases, failures) = junit_summary(&broken.path().join(junit));
    assert!(
        cases >= 6 && failures.iter().any(|t| t == "AW101"),
        "{cases} {failures:?}"
    );
    let json: Value = serde_json::from_str(&read(&broken.path().join(".bosun/report.json")))
        .expect("JSON report");
    assert!(json.is_object());

    let clean = project(false);
    let out = shell(clean.path(), &script, &env);
    assert_eq!(out.code(), 0, "{}{}", out.stdout, out.stderr);
    let (_, failures) = junit_summary(&clean.path().join(junit));
    assert!(failures.is_empty(), "{failures:?}");
}

// ---------------------------------------------------------------------------------------------
// Argo CD

#[test]
fn the_argocd_plugin_lints_then_renders() {
    let config_map = support::yaml_file("integrations/argocd/cmp-plugin.yaml");
    assert_eq!(str_at(&config_map, "/kind"), "ConfigMap");
    let plugin = yaml(str_at(&config_map, "/data/plugin.yaml"), "plugin.yaml");
    assert_eq!(str_at(&plugin, "/kind"), "ConfigManagementPlugin");
    assert!(
        plugin["spec"].get("discover").is_none(),
        "applications opt in by name"
    );
    assert_eq!(
        plugin.pointer("/spec/generate/command"),
        Some(&serde_json::json!(["sh", "-c"]))
    );
    let script = str_at(&plugin, "/spec/generate/args/0");
    assert_flags_exist(&lint_help(), &lint_flags(script), "the Argo CD plugin");

    // The Application snippet selects this plugin and passes BOSUN_ARGS.
    let app = yaml(
        &snippet("docs/integrations.md", "argocd-application").text(),
        "application",
    );
    let name = format!(
        "{}-{}",
        str_at(&plugin, "/metadata/name"),
        str_at(&plugin, "/spec/version")
    );
    assert_eq!(str_at(&app, "/spec/source/plugin/name"), name);
    let mut env = BTreeMap::new();
    for var in app
        .pointer("/spec/source/plugin/env")
        .and_then(Value::as_array)
        .expect("env")
    {
        let key = format!("ARGOCD_ENV_{}", str_at(var, "/name"));
        assert!(script.contains(&key), "the plugin ignores {key}");
        env.insert(key, str_at(var, "/value").to_string());
    }

    // Run the generate command in the application's directory (`spec.source.path`).
    let source = str_at(&app, "/spec/source/path");
    let clean = project(false);
    let out = shell_with("sh", &clean.path().join(source), script, &env);
    assert_eq!(out.code(), 0, "{}", out.stderr);
    let docs = support::yaml_documents(&out.stdout).expect("the output is a YAML stream");
    let mut kinds: Vec<&str> = docs
        .iter()
        .filter(|d| !d.is_null())
        .map(|d| str_at(d, "/kind"))
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["Workflow", "WorkflowTemplate", "WorkflowTemplate"]);
    let broken = project(true);
    let out = shell_with("sh", &broken.path().join(source), script, &env);
    assert_ne!(out.code(), 0);
    assert!(out.stdout.is_empty(), "nothing is rendered: {}", out.stdout);
    assert!(
        out.stderr.contains("AW101") && out.stderr.contains("broken.yaml"),
        "{}",
        out.stderr
    );

    // The sidecar mounts this ConfigMap and runs Argo CD's plugin server as Argo CD's user.
    let patch = support::yaml_file("integrations/argocd/repo-server-patch.yaml");
    assert_eq!(str_at(&patch, "/metadata/name"), "argocd-repo-server");
    let sidecar = patch
        .pointer("/spec/template/spec/containers/0")
        .expect("sidecar");
    assert_eq!(
        sidecar["command"],
        serde_json::json!(["/var/run/argocd/argocd-cmp-server"])
    );
    assert_eq!(
        sidecar.pointer("/securityContext/runAsUser"),
        Some(&Value::from(999))
    );
    let mounts = sidecar["volumeMounts"].as_array().expect("mounts");
    let config_mount = mounts
        .iter()
        .find(|m| m["mountPath"] == "/home/argocd/cmp-server/config/plugin.yaml")
        .expect("plugin.yaml is mounted where argocd-cmp-server reads it");
    assert_eq!(str_at(config_mount, "/subPath"), "plugin.yaml");
    let volumes = patch
        .pointer("/spec/template/spec/volumes")
        .and_then(Value::as_array)
        .expect("volumes");
    let volume = volumes
        .iter()
        .find(|v| v["name"] == config_mount["name"])
        .expect("the mounted volume is defined");
    assert_eq!(
        volume.pointer("/configMap/name"),
        config_map.pointer("/metadata/name")
    );
    for m in mounts {
        let defined_here = volumes.iter().any(|v| v["name"] == m["name"]);
        let argocd_own = ["var-files", "plugins"].contains(&str_at(m, "/name"));
        assert!(
            defined_here || argocd_own,
            "volume {} is not defined",
            m["name"]
        );
    }
    let dockerfile = read(&repo_root().join("integrations/argocd/Dockerfile"));
    assert!(dockerfile.contains("-p compiler --bin bosun") && dockerfile.contains("USER 999"));

    // The kustomization snippet names the two files.
    let kustomization = yaml(
        &snippet("docs/integrations.md", "argocd-kustomization").text(),
        "kustomization",
    );
    let resources = kustomization["resources"].as_array().expect("resources");
    assert!(resources.iter().any(|r| r == "cmp-plugin.yaml"));
    assert_eq!(
        str_at(&kustomization, "/patches/0/path"),
        "repo-server-patch.yaml"
    );
    for file in ["cmp-plugin.yaml", "repo-server-patch.yaml"] {
        assert!(repo_root().join("integrations/argocd").join(file).is_file());
    }
}

// ---------------------------------------------------------------------------------------------
// Editors

/// Every `schemas/NAME.json` a text refers to.
fn schema_refs(text: &str) -> Vec<String> {
    let mut refs = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("schemas/") {
        let tail = &rest[i + "schemas/".len()..];
        let name: String = tail
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-' || *c == '_')
            .collect();
        if let Some(name) = name
            .strip_suffix(".json")
            .filter(|_| name.ends_with(".json"))
        {
            refs.push(format!("{name}.json"));
        }
        rest = tail;
    }
    refs
}

#[test]
fn the_editor_settings_point_at_existing_schemas() {
    let root = repo_root();
    let mut seen = 0;
    for doc in ["README.md", "docs/editors.md"] {
        for name in schema_refs(&read(&root.join(doc))) {
            seen += 1;
            assert!(
                root.join("schemas").join(&name).is_file(),
                "{doc} refers to schemas/{name}"
            );
        }
    }
    assert!(seen >= 8, "{seen}");

    // The modeline is the first line and names a schema; the manifest under it is clean.
    let modeline = snippet("docs/editors.md", "modeline");
    let first = &modeline.lines[0];
    let url = first
        .strip_prefix("# yaml-language-server: $schema=")
        .expect("the first line is the modeline");
    assert!(url.ends_with("/schemas/argo.json"), "{url}");
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("hello.yaml"), &modeline.text());
    let out = bosun(&[
        "lint",
        "--deny-warnings",
        &dir.path().join("hello.yaml").display().to_string(),
    ]);
    assert_eq!(out.code(), 0, "{}{}", out.stdout, out.stderr);

    // VS Code's settings are JSON; their keys are schema URLs or workspace paths.
    let settings: Value =
        serde_json::from_str(&snippet("docs/editors.md", "vscode-settings").text()).expect("JSON");
    let schemas = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    assert!(schemas.len() >= 2);
    for (schema, globs) in schemas {
        let name = schema.rsplit('/').next().unwrap_or("");
        assert!(root.join("schemas").join(name).is_file(), "{schema}");
        assert!(globs.is_string() || globs.is_array(), "{globs}");
    }
    // Neovim and Helix name the same schema.
    for name in ["neovim", "helix"] {
        let refs = schema_refs(&snippet("docs/editors.md", name).text());
        assert_eq!(refs, ["argo.json"], "{name}");
    }
}

/// The reports the integrations consume are produced by a run on the bundled examples.
#[test]
fn sarif_and_junit_reports_come_from_a_run_on_the_examples() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_repo(&repo_root().join("examples"), &dir.path().join("examples"));
    let env = BTreeMap::new();
    let out = shell(
        dir.path(),
        "bosun lint --format sarif --output bosun.sarif examples/; echo \"sarif=$?\"\n\
         bosun lint --format junit --output bosun-junit.xml examples/; echo \"junit=$?\"",
        &env,
    );
    assert_eq!(out.stdout, "sarif=1\njunit=1\n", "{}", out.stderr);
    let results = sarif_results(&dir.path().join("bosun.sarif"));
    let broken = "examples/invalid/broken-pipeline.yaml".to_string();
    for code in ["AW101", "AW104", "AW105", "AW212", "AW401"] {
        assert!(
            results.contains(&(code.to_string(), broken.clone())),
            "{code} in {results:?}"
        );
    }
    let (cases, failures) = junit_summary(&dir.path().join("bosun-junit.xml"));
    assert_eq!(failures.len(), 6, "{failures:?}");
    assert!(cases >= failures.len());
}
