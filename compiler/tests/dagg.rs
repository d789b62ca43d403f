//! `bosun gen` and `bosun reverse` through the library: golden manifests from the seed-like DAG
//! files and templates under `fixtures/dagg/` (each must lint clean), positioned diagnostics for
//! bad DAG files and templates, lint findings moved back to DAG-file lines, `reverse(gen(x)) ==
//! x` on the fixtures and on random DAG files, and random mutations that must never panic.

use std::path::Path;

use compiler::config::LintSettings;
use compiler::dagg::compile::{CompileOptions, ManifestKind};
use compiler::dagg::file::{DagFile, read};
use compiler::dagg::generate::{Generated, Mode, Request, generate};
use compiler::dagg::reverse::{reverse, to_yaml};
use compiler::dagg::template;
use compiler::diagnostics::render::human::{self, HumanOptions};
use compiler::parse::Limits;
use compiler::source::{FileId, SourceFile};

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dagg")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn request(dag_name: &str, dag_text: String, mode: Mode) -> Request {
    Request {
        dag_name: dag_name.to_string(),
        dag_text,
        mode,
        output_name: "<generated>".to_string(),
        lint: LintSettings::default(),
        template_limits: template::Limits::default(),
    }
}

fn with_template(dag: &str, tmpl: &str) -> Generated {
    generate(request(
        dag,
        fixture(dag),
        Mode::Template {
            name: tmpl.to_string(),
            text: fixture(tmpl),
        },
    ))
}

fn compiled(dag: &str, options: CompileOptions) -> Generated {
    generate(request(dag, fixture(dag), Mode::Compile(options)))
}

fn human(g: &Generated) -> String {
    let mut out = Vec::new();
    human::render(
        &g.report.diagnostics,
        &g.loaded.sources,
        &HumanOptions::default(),
        &mut out,
    )
    .expect("render");
    String::from_utf8(out).expect("UTF-8")
}

fn clean_manifest(g: &Generated) -> &str {
    assert!(
        g.report.diagnostics.is_empty(),
        "expected a clean manifest:\n{}",
        human(g)
    );
    g.manifest.as_deref().expect("a manifest")
}

fn registry() -> CompileOptions {
    CompileOptions {
        registry: Some("registry/wantedly".into()),
        ..CompileOptions::default()
    }
}

#[test]
fn templates_render_the_seed_dag_file_into_clean_manifests() {
    for tmpl in ["configmap-cronjob.tmpl", "workflow.tmpl"] {
        let g = with_template("argo-workflow.dag", tmpl);
        insta::assert_snapshot!(format!("template_{tmpl}"), clean_manifest(&g));
    }
    // The ConfigMap's embedded Workflow is linted: the run saw it as an Argo object.
    let g = with_template("argo-workflow.dag", "configmap-cronjob.tmpl");
    assert_eq!(g.report.objects, 1);
}

#[test]
fn compiled_manifests_are_clean() {
    let cases = [
        ("argo-workflow.dag", registry(), "seed_cronworkflow"),
        (
            "argo-workflow.dag",
            CompileOptions {
                kind: Some(ManifestKind::WorkflowTemplate),
                active_deadline_seconds: Some(3600),
                retry_limit: Some(2),
                ttl_seconds_after_finished: Some(86_400),
                ..registry()
            },
            "seed_workflowtemplate_defaults",
        ),
        (
            "recommendation.dag",
            CompileOptions::default(),
            "recommendation_workflow",
        ),
        (
            "nightly-etl.dag",
            CompileOptions {
                secret_pattern: "{repo}-env".into(),
                tag: Some("v2".into()),
                ..CompileOptions::default()
            },
            "nightly_cronworkflow",
        ),
    ];
    for (dag, options, name) in cases {
        let g = compiled(dag, options);
        insta::assert_snapshot!(name, clean_manifest(&g));
    }
}

#[test]
fn bad_dag_files_get_positioned_diagnostics() {
    for name in [
        "cycle",
        "unknown-dependency",
        "duplicate-job",
        "missing-fields",
        "wrong-types",
        "not-yaml",
    ] {
        let g = compiled(&format!("bad/{name}.dag"), CompileOptions::default());
        assert!(g.manifest.is_none(), "{name}: nothing is generated");
        assert!(!g.report.diagnostics.is_empty(), "{name}");
        for d in &g.report.diagnostics {
            // Every diagnostic points into the DAG file (file 0), not at its start by default.
            assert_eq!(d.primary.span.file, FileId(0), "{name}: {d:?}");
        }
        insta::assert_snapshot!(format!("bad_{name}"), human(&g));
    }
}

#[test]
fn manifest_problems_are_reported_on_dag_file_lines() {
    let g = compiled("bad/bad-values.dag", CompileOptions::default());
    let codes: Vec<&str> = g.report.diagnostics.iter().map(|d| d.code()).collect();
    for code in ["AW202", "AW601", "AW604", "AW104", "AW205", "AW207"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert!(g.mapped > 0 && g.mapped == g.report.diagnostics.len());
    for d in &g.report.diagnostics {
        assert_eq!(d.primary.span.file, FileId(0), "{d:?}");
        assert!(d.secondary.iter().any(|l| l.span.file == FileId(1)));
    }
    insta::assert_snapshot!("mapped_bad_values", human(&g));

    // Through a template: the dependency the template misspells is reported on the job line
    // that gave its name.
    let g = with_template("argo-workflow.dag", "bad/wrong-task-name.tmpl");
    assert!(!g.report.diagnostics.is_empty());
    let on_dag: Vec<_> = g
        .report
        .diagnostics
        .iter()
        .filter(|d| d.primary.span.file == FileId(0))
        .collect();
    assert!(!on_dag.is_empty(), "{}", human(&g));
    insta::assert_snapshot!("mapped_template", human(&g));

    // Inside a ConfigMap: the embedded Workflow is linted and mapped through its block scalar.
    let g = with_template("bad/number-argument.dag", "configmap-cronjob.tmpl");
    let d = &g.report.diagnostics[0];
    assert_eq!(d.code(), "AW102");
    let dag_file = &g.loaded.sources.files()[0];
    assert_eq!(
        dag_file.line_col(d.primary.span.start).line,
        9,
        "{}",
        human(&g)
    );
    assert_eq!(dag_file.slice(d.primary.span), "\"7\"");
    // The secondary label is in the generated file, at the `- 7` of the embedded workflow.
    let generated = &g.loaded.sources.files()[2];
    assert_eq!(generated.slice(d.secondary[0].span), "7");
    insta::assert_snapshot!("mapped_embedded", human(&g));
}

#[test]
fn template_errors_are_positioned() {
    for name in [
        "unclosed-range",
        "unknown-function",
        "missing-field",
        "runaway",
    ] {
        let g = with_template("argo-workflow.dag", &format!("bad/{name}.tmpl"));
        assert!(g.manifest.is_none(), "{name}");
        let d = &g.report.diagnostics[0];
        assert!(matches!(d.code(), "AG008" | "AG009"), "{name}: {d:?}");
        assert_eq!(d.primary.span.file, FileId(1), "{name}: in the template");
        insta::assert_snapshot!(format!("template_error_{name}"), human(&g));
    }
}

#[test]
fn printing_a_missing_option_is_a_warning_with_the_job() {
    let g = with_template("bad/missing-repo.dag", "configmap-cronjob.tmpl");
    let manifest = g
        .manifest
        .as_deref()
        .expect("warnings do not stop generation");
    assert!(manifest.contains("registry/wantedly/<no value>:latest"));
    let codes: Vec<&str> = g.report.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["AG011", "AG011"], "{}", human(&g));
    let d = &g.report.diagnostics[0];
    assert!(d.message.contains("2 times"), "{}", d.message);
    assert_eq!(d.primary.span.file, FileId(1), "on the template");
    let dag = &g.loaded.sources.files()[0];
    assert_eq!(dag.line_col(d.secondary[0].span.start).line, 8, "job b");
    insta::assert_snapshot!("missing_template_value", human(&g));
}

fn read_dag(name: &str, text: &str) -> DagFile {
    let file = SourceFile::new(FileId(0), name, text.to_string());
    let mut diags = Vec::new();
    let dag = read(&file, &Limits::default(), &mut diags);
    assert!(diags.is_empty(), "{name}: {diags:?}");
    dag
}

fn reverse_text(text: &str, options: &CompileOptions) -> compiler::dagg::reverse::Reversed {
    let mut loaded = compiler::load::Loaded::default();
    let id = loaded.add_text("manifest.yaml", text.to_string());
    reverse(&mut loaded, id, options, &Limits::default())
}

#[test]
fn reverse_gives_the_dag_file_back() {
    let cases = [
        ("argo-workflow.dag", registry()),
        (
            "argo-workflow.dag",
            CompileOptions {
                kind: Some(ManifestKind::Workflow),
                retry_limit: Some(1),
                ..registry()
            },
        ),
        ("recommendation.dag", CompileOptions::default()),
        (
            "nightly-etl.dag",
            CompileOptions {
                secret_pattern: "{repo}-env".into(),
                ..CompileOptions::default()
            },
        ),
    ];
    for (dag, options) in cases {
        let x = read_dag(dag, &fixture(dag));
        let g = compiled(dag, options.clone());
        let back = reverse_text(clean_manifest(&g), &options);
        assert!(back.diagnostics.is_empty(), "{dag}: {:?}", back.diagnostics);
        let y = back.dag.expect("a DAG file");
        assert_eq!(y, x, "{dag}");
        // The written DAG file reads back to the same thing.
        assert_eq!(read_dag(dag, &to_yaml(&y)), x, "{dag}");
        if options.kind.is_none() {
            insta::assert_snapshot!(format!("reverse_{dag}"), to_yaml(&y));
        }
    }
}

#[test]
fn reverse_explains_what_a_dag_file_cannot_express() {
    for name in ["steps", "loops-and-depends"] {
        let text = fixture(&format!("reverse/{name}.yaml"));
        let r = reverse_text(&text, &CompileOptions::default());
        assert!(r.dag.is_none(), "{name}");
        let mut loaded = compiler::load::Loaded::default();
        loaded.add_text(format!("reverse/{name}.yaml"), text);
        let mut out = Vec::new();
        human::render(
            &r.diagnostics,
            &loaded.sources,
            &HumanOptions::default(),
            &mut out,
        )
        .expect("render");
        insta::assert_snapshot!(
            format!("reverse_error_{name}"),
            String::from_utf8(out).unwrap()
        );
    }
    // dagg's own output (seed 000: the Workflow in a ConfigMap, a CronJob submitting it) comes
    // back too: the schedule from the CronJob, the namespace from the ConfigMap.
    let g = with_template("argo-workflow.dag", "configmap-cronjob.tmpl");
    let mut loaded = compiler::load::Loaded::default();
    let id = loaded.add_text("dagg-output.yaml", clean_manifest(&g).to_string());
    let r = reverse(
        &mut loaded,
        id,
        &CompileOptions::default(),
        &Limits::default(),
    );
    let warnings: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        warnings,
        ["the workflow field `imagePullSecrets` has no place in a DAG file and is dropped"]
    );
    assert_eq!(
        loaded.sources.files()[1].name(),
        "ConfigMap argo.argo-workflow.cm#data/argo.argo-workflow.wf"
    );
    let mut want = read_dag("argo-workflow.dag", &fixture("argo-workflow.dag"));
    want.option.entries.retain(|e| e.key.value != "team");
    want.option.set("namespace", "argo");
    want.option.set("registry", "registry/wantedly");
    assert_eq!(r.dag.as_ref(), Some(&want));

    // A hand-written DAG comes back, with warnings for what is dropped.
    let r = reverse_text(
        &fixture("reverse/depends-and.yaml"),
        &CompileOptions::default(),
    );
    let warnings: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("volumeMounts"), "{warnings:?}");
    insta::assert_snapshot!("reverse_depends_and", to_yaml(&r.dag.expect("recovered")));
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
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A random string of awkward characters (no `{`, which would read as an Argo tag).
fn awkward(rng: &mut Rng) -> String {
    const PARTS: [&str; 18] = [
        "a", "run", " ", ":", ": ", " #", "#", "\"", "'", "*", "-", "--flag=1", "é", "true", "3",
        "[x]", ",", "\\",
    ];
    let n = 1 + rng.below(4);
    (0..n).map(|_| rng.pick(&PARTS)).collect()
}

fn word(rng: &mut Rng, prefix: &str) -> String {
    const SYLLABLES: [&str; 8] = ["ka", "to", "mi", "re", "su", "no", "x9", "de"];
    let mut s = prefix.to_string();
    for i in 0..1 + rng.below(3) {
        if i > 0 && rng.chance(30) {
            s.push('-');
        }
        s.push_str(rng.pick(&SYLLABLES));
    }
    s
}

/// A random valid DAG file as YAML text: unique names, dependencies on earlier jobs only.
fn random_dag(rng: &mut Rng) -> String {
    let mut y = format!("name: {}\n", word(rng, "wf-"));
    let mut opts = Vec::new();
    if rng.chance(60) {
        opts.push(format!("team: {}", word(rng, "")));
    }
    if rng.chance(50) {
        let s = rng.pick(&["0 20 * * *", "*/15 * * * *", "@daily", "30 2 * * 1-5"]);
        opts.push(format!("schedule: \"{s}\""));
        if rng.chance(50) {
            opts.push(format!(
                "timezone: {}",
                rng.pick(&["Asia/Tokyo", "UTC", "Europe/Paris"])
            ));
        }
        if rng.chance(50) {
            opts.push(format!(
                "concurrencyPolicy: {}",
                rng.pick(&["Allow", "Forbid", "Replace"])
            ));
        }
    }
    if rng.chance(40) {
        opts.push(format!("namespace: {}", word(rng, "ns-")));
    }
    if rng.chance(50) {
        opts.push(format!(
            "registry: {}",
            rng.pick(&["registry/wantedly", "ghcr.io/acme", "r.example.com:5000/x"])
        ));
    }
    if rng.chance(30) {
        opts.push(format!(
            "tag: \"{}\"",
            rng.pick(&["v1", "2024.06", "sha-abc"])
        ));
    }
    if rng.chance(40) {
        opts.push(format!("owner: {}", double_quoted(&awkward(rng))));
    }
    if !opts.is_empty() {
        y.push_str("option:\n");
        for o in opts {
            y.push_str(&format!("  {o}\n"));
        }
    }
    y.push_str("jobs:\n");
    let n = 1 + rng.below(7);
    let names: Vec<String> = (0..n).map(|i| format!("{}{i}", word(rng, "j-"))).collect();
    for (i, name) in names.iter().enumerate() {
        y.push_str(&format!("  - name: {name}\n"));
        if rng.chance(40) {
            y.push_str(&format!("    command: {}\n", double_quoted(&awkward(rng))));
        } else {
            let cmds: Vec<String> = (0..1 + rng.below(4))
                .map(|_| double_quoted(&awkward(rng)))
                .collect();
            y.push_str(&format!("    commands: [{}]\n", cmds.join(", ")));
        }
        let deps: Vec<&str> = names[..i]
            .iter()
            .filter(|_| rng.chance(40))
            .map(String::as_str)
            .collect();
        if !deps.is_empty() {
            y.push_str(&format!("    dependencies: [{}]\n", deps.join(", ")));
        }
        y.push_str("    option:\n");
        y.push_str(&format!(
            "      repo: {}\n",
            rng.pick(&["svc-a", "svc-b", "model", "etl"])
        ));
        if rng.chance(25) {
            y.push_str(&format!("      retries: \"{}\"\n", rng.below(5)));
        }
        if rng.chance(20) {
            y.push_str("      image: docker.io/library/busybox:1.36\n");
        }
    }
    y
}

fn double_quoted(s: &str) -> String {
    compiler::dagg::yaml::double_quoted(s)
}

#[test]
fn random_dag_files_generate_clean_manifests_and_reverse_back() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..150 {
        let text = random_dag(&mut rng);
        let x = read_dag("random.dag", &text);
        let options = CompileOptions {
            kind: match rng.below(4) {
                0 => Some(ManifestKind::WorkflowTemplate),
                1 => Some(ManifestKind::Workflow),
                _ => None,
            },
            active_deadline_seconds: rng.chance(30).then_some(600),
            retry_limit: rng.chance(30).then_some(3),
            ..CompileOptions::default()
        };
        let g = generate(request(
            "random.dag",
            text.clone(),
            Mode::Compile(options.clone()),
        ));
        assert!(
            g.report.diagnostics.is_empty(),
            "case {case}:\n{text}\n{}\n{}",
            g.manifest.as_deref().unwrap_or(""),
            human(&g)
        );
        let manifest = g.manifest.expect("generated");
        let back = reverse_text(&manifest, &options);
        assert!(
            back.diagnostics.is_empty(),
            "case {case}: {:?}",
            back.diagnostics
        );
        assert_eq!(
            back.dag.as_ref(),
            Some(&x),
            "case {case}:\n{text}\n{manifest}"
        );
        // And through the seed's template, which must also lint clean.
        let g = generate(request(
            "random.dag",
            text.clone(),
            Mode::Template {
                name: "configmap-cronjob.tmpl".into(),
                text: fixture("configmap-cronjob.tmpl"),
            },
        ));
        // The seed's template prints commands unquoted, as dagg's did: only plain words make
        // valid YAML through it (the others are reported, which is the point of linting).
        let plain = x.jobs.iter().all(|j| {
            j.commands.as_ref().is_some_and(|c| {
                c.iter()
                    .all(|s| !compiler::dagg::yaml::needs_quotes(&s.value, false))
            })
        });
        let printed = ["team", "schedule"]
            .iter()
            .all(|k| x.option.get(k).is_some());
        if printed && plain {
            assert!(
                g.report.diagnostics.is_empty(),
                "case {case}:\n{text}\n{}",
                human(&g)
            );
        }
    }
}

/// Replaces, deletes or duplicates a few random characters.
fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    const INSERTS: [char; 14] = [
        '{', '}', '-', ' ', '\n', ':', '"', '$', '.', '|', '(', ')', '[', '\t',
    ];
    for _ in 0..1 + rng.below(4) {
        if chars.is_empty() {
            break;
        }
        let i = rng.below(chars.len());
        match rng.below(3) {
            0 => chars[i] = INSERTS[rng.below(INSERTS.len())],
            1 => {
                chars.remove(i);
            }
            _ => {
                let c = chars[i];
                chars.insert(i, c);
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_inputs_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let dags = [
        fixture("argo-workflow.dag"),
        fixture("recommendation.dag"),
        fixture("nightly-etl.dag"),
    ];
    let templates = [fixture("configmap-cronjob.tmpl"), fixture("workflow.tmpl")];
    for _ in 0..400 {
        let pick = rng.below(dags.len());
        let dag = mutate(&mut rng, &dags[pick]);
        let mode = if rng.chance(50) {
            Mode::Compile(CompileOptions::default())
        } else {
            let pick = rng.below(templates.len());
            Mode::Template {
                name: "t.tmpl".into(),
                text: mutate(&mut rng, &templates[pick]),
            }
        };
        let g = generate(request("m.dag", dag, mode));
        let _ = human(&g);
        if let Some(m) = &g.manifest {
            let _ = reverse_text(&mutate(&mut rng, m), &CompileOptions::default());
        }
    }
}
