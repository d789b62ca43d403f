//! The SARIF 2.1.0 renderer, for code-scanning services (GitHub code scanning, GitLab, Azure
//! DevOps, IDE viewers).
//!
//! One run whose `tool.driver.rules` lists every rule Bosun knows (code as `id`, docs as `help`),
//! and one result per diagnostic with the rule's index, a level, the message, a physical location
//! (the path as given, percent-encoded into a URI reference) and a logical location carrying the
//! JSON pointer. Columns are counted in Unicode code points (`columnKind: unicodeCodePoints`);
//! `endColumn` is exclusive, as SARIF specifies. Tests validate the output against the official
//! schema (`compiler/tests/data/schemas/sarif-2.1.0-rtm.5.json`).

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::{Location, RenderOptions};
use crate::checks::all_rules;
use crate::diagnostics::{Diagnostic, Label, Rule, Severity};
use crate::lint::Report;
use crate::source::SourceMap;

/// The `$schema` of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes the report as one pretty-printed SARIF log followed by a newline.
pub fn render(
    report: &Report,
    sources: &SourceMap,
    _options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let log = log(report, sources);
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

/// The SARIF log as a JSON value.
pub fn log(report: &Report, sources: &SourceMap) -> Value {
    let rules = rules_of(report);
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, &rules, sources))
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "bosun",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// Every registered rule, plus any rule a diagnostic carries that the registry lacks, by code.
fn rules_of(report: &Report) -> Vec<&'static Rule> {
    let mut rules = all_rules();
    for d in &report.diagnostics {
        if !rules.iter().any(|r| r.code == d.rule.code) {
            rules.push(d.rule);
        }
    }
    rules.sort_by_key(|r| r.code);
    rules
}

fn descriptor(rule: &Rule) -> Value {
    let docs = rule.docs();
    let full = section(&docs, "## What it does").unwrap_or(rule.summary);
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": full },
        "help": { "text": docs, "markdown": docs },
        "defaultConfiguration": { "level": level(rule.severity) },
    })
}

/// The body of a `## Heading` section of Markdown docs, trimmed.
fn section<'d>(docs: &'d str, heading: &str) -> Option<&'d str> {
    let start = docs.find(heading)? + heading.len();
    let body = &docs[start..];
    let end = body.find("\n## ").unwrap_or(body.len());
    Some(body[..end].trim()).filter(|s| !s.is_empty())
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(d: &Diagnostic, rules: &[&Rule], sources: &SourceMap) -> Value {
    let mut location = physical(&d.primary, sources);
    if let Some(pointer) = &d.pointer {
        location.insert(
            "logicalLocations".into(),
            json!([{ "fullyQualifiedName": pointer, "kind": "element" }]),
        );
    }
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(d.rule.code));
    if let Some(index) = rules.iter().position(|r| r.code == d.rule.code) {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(d.severity)));
    result.insert("message".into(), json!({ "text": d.message }));
    result.insert("locations".into(), json!([location]));
    if !d.secondary.is_empty() {
        let related: Vec<Value> = d
            .secondary
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let mut loc = physical(label, sources);
                loc.insert("id".into(), json!(i));
                Value::Object(loc)
            })
            .collect();
        result.insert("relatedLocations".into(), Value::Array(related));
    }
    let mut properties = Map::new();
    properties.insert("name".into(), json!(d.rule.name));
    for (key, value) in [
        ("pointer", d.pointer.as_deref()),
        ("help", d.help.as_deref()),
        ("note", d.note.as_deref()),
    ] {
        if let Some(v) = value {
            properties.insert(key.into(), json!(v));
        }
    }
    if let Some(doc) = d.document {
        properties.insert("document".into(), json!(doc));
    }
    result.insert("properties".into(), Value::Object(properties));
    Value::Object(result)
}

/// A `location` object with a physical location for `label` (and its text as the message).
fn physical(label: &Label, sources: &SourceMap) -> Map<String, Value> {
    let loc = Location::of(label.span, sources);
    let mut map = Map::new();
    map.insert(
        "physicalLocation".into(),
        json!({
            "artifactLocation": { "uri": uri_reference(loc.file) },
            "region": {
                "startLine": loc.start.line,
                "startColumn": loc.start.col,
                "endLine": loc.end.line,
                "endColumn": loc.end.col,
                "byteOffset": loc.start_offset,
                "byteLength": loc.end_offset - loc.start_offset,
            }
        }),
    );
    if let Some(text) = &label.message {
        map.insert("message".into(), json!({ "text": text }));
    }
    map
}

/// A file's display name as a URI reference: relative paths stay relative (resolved by viewers
/// against the checkout), absolute paths become `file://` URIs, `\` becomes `/`, and every byte
/// outside RFC 3986's unreserved set, sub-delimiters, `/`, `:` and `@` is percent-encoded.
pub(crate) fn uri_reference(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=/@".contains(&b)
            // A `:` in the first segment of a relative reference would read as a scheme.
            || (b == b':' && (path.starts_with('/') || path[..i].contains('/')));
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::render::test_support::*;

    const OFFICIAL_SCHEMA: &str =
        include_str!("../../../tests/data/schemas/sarif-2.1.0-rtm.5.json");

    fn rendered(files: &[(&str, &[u8])]) -> Value {
        let (loaded, report) = report_of(files);
        let mut out = Vec::new();
        render(
            &report,
            &loaded.sources,
            &RenderOptions::default(),
            &mut out,
        )
        .unwrap();
        serde_json::from_slice(&out).expect("valid JSON")
    }

    fn assert_valid(log: &Value) {
        // The published schema has a stray `]` in the `language` patterns: a literal under
        // ECMAScript's rules, a syntax error for the validator's regex engine. Escape it.
        let fixed = OFFICIAL_SCHEMA.replace(r#"{2}]?$"#, r#"{2}\\]?$"#);
        let errors = schema_errors(&fixed, log);
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn output_is_valid_against_the_official_schema() {
        assert_valid(&rendered(&[("wf.yaml", BROKEN), ("ok.yaml", CLEAN)]));
        assert_valid(&rendered(HOSTILE));
        assert_valid(&rendered(&[]));
    }

    #[test]
    fn results_point_at_rules_regions_and_pointers() {
        let log = rendered(&[("dir/wf.yaml", BROKEN)]);
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), all_rules().len());
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        for r in results {
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], r["ruleId"]);
        }
        let dup = &results[0];
        assert_eq!(dup["ruleId"], "AW003");
        assert_eq!(dup["level"], "warning");
        let phys = &dup["locations"][0]["physicalLocation"];
        assert_eq!(phys["artifactLocation"]["uri"], "dir/wf.yaml");
        assert_eq!(phys["region"]["startLine"], 3);
        assert_eq!(phys["region"]["startColumn"], 1);
        assert_eq!(
            dup["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
            2
        );
        let aw003 = &rules[results[0]["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(aw003["defaultConfiguration"]["level"], "warning");
        assert!(
            aw003["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## Why is this bad?")
        );
        assert_eq!(
            aw003["shortDescription"]["text"],
            "a mapping defines the same key twice"
        );
    }

    #[test]
    fn pointers_become_logical_locations() {
        let log = rendered(&[("cm.yaml", b"apiVersion: v1\nkind: ConfigMap\n")]);
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "AW009");
        assert_eq!(result["level"], "note");
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "/kind"
        );
        assert_eq!(result["properties"]["pointer"], "/kind");
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_reference("a/b.yaml"), "a/b.yaml");
        assert_eq!(uri_reference("my dir/é.yaml"), "my%20dir/%C3%A9.yaml");
        assert_eq!(uri_reference("/tmp/x 1.yaml"), "file:///tmp/x%201.yaml");
        assert_eq!(uri_reference("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri_reference("c:x.yaml"), "c%3Ax.yaml");
        assert_eq!(uri_reference("dir\\win.yaml"), "dir/win.yaml");
        assert_eq!(uri_reference("50%.yaml"), "50%25.yaml");
    }
}
