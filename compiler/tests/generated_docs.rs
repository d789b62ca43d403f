//! Keeps `docs/rules/` honest: one page per rule (`<CODE>.md`) and an index (`README.md`), all
//! generated from the rules' doc comments through `compiler::checks::all_rules()`.
//!
//! By default the test checks the committed files and fails with a diff and the fix command;
//! with `UPDATE_GENERATED=1` it writes them (and removes pages of rules that no longer exist).
//! It regenerates from whatever rules are registered, so a branch that adds a rule only needs
//! to run the fix command.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use compiler::checks::all_rules;
use compiler::diagnostics::Rule;

const FIX: &str = "UPDATE_GENERATED=1 cargo test -p compiler --test generated_docs";

fn header() -> String {
    format!("<!-- Generated from the rules' doc comments by `{FIX}`. Do not edit. -->\n")
}

fn page(rule: &Rule) -> String {
    format!(
        "{}\n# {}: {}\n\n{}\n\nDefault severity: **{}**. `bosun explain {}` prints this page.\n\n{}\n",
        header(),
        rule.code,
        rule.name,
        rule.summary,
        rule.severity,
        rule.code,
        rule.docs()
    )
}

fn index(rules: &[&Rule]) -> String {
    let mut out = header();
    out.push_str(
        "\n# Rules\n\nEvery problem Bosun reports has a permanent code and a kebab-case name. \
         `bosun rules` lists them, `bosun explain CODE` prints a page, and `--select`, `--ignore` \
         and `--severity CODE=LEVEL` accept codes, code prefixes (`AW0`) and names.\n\n\
         | Code | Name | Default severity | Summary |\n| --- | --- | --- | --- |\n",
    );
    for r in rules {
        out.push_str(&format!(
            "| [{code}]({code}.md) | `{}` | {} | {} |\n",
            r.name,
            r.severity,
            r.summary.replace('|', "\\|"),
            code = r.code,
        ));
    }
    out
}

/// Every generated file, by name.
fn generated() -> BTreeMap<String, String> {
    let rules = all_rules();
    let mut files: BTreeMap<String, String> = rules
        .iter()
        .map(|r| (format!("{}.md", r.code), page(r)))
        .collect();
    files.insert("README.md".to_string(), index(&rules));
    files
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the compiler crate sits in the workspace")
        .join("docs/rules")
}

fn committed(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| {
            let text = fs::read_to_string(dir.join(&name)).unwrap_or_default();
            (name, text)
        })
        .collect()
}

#[test]
fn rule_docs_are_up_to_date() {
    let dir = docs_dir();
    let want = generated();
    let have = committed(&dir);

    if std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1") {
        fs::create_dir_all(&dir).expect("create docs/rules");
        for (name, text) in &want {
            if have.get(name) != Some(text) {
                fs::write(dir.join(name), text).expect("write a rule page");
            }
        }
        for name in have.keys().filter(|n| !want.contains_key(*n)) {
            fs::remove_file(dir.join(name)).expect("remove a stale page");
        }
        return;
    }

    let mut problems = Vec::new();
    for (name, text) in &want {
        match have.get(name) {
            None => problems.push(format!("missing: docs/rules/{name}")),
            Some(old) if old != text => {
                let diff = similar::TextDiff::from_lines(old, text);
                problems.push(format!(
                    "stale: docs/rules/{name}\n{}",
                    diff.unified_diff()
                        .context_radius(2)
                        .header("committed", "generated")
                ));
            }
            Some(_) => {}
        }
    }
    for name in have.keys().filter(|n| !want.contains_key(*n)) {
        problems.push(format!("no such rule: docs/rules/{name}"));
    }
    assert!(
        problems.is_empty(),
        "the rule docs are out of date; run `{FIX}`\n\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_rule_page_is_linked_from_the_index() {
    let files = generated();
    let index = &files["README.md"];
    for rule in all_rules() {
        assert!(index.contains(&format!("[{0}]({0}.md)", rule.code)));
    }
}
