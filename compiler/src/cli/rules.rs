//! `bosun rules`: every rule with its code, name, default severity and summary, as an aligned
//! table or as JSON (`[{"code", "name", "severity", "summary"}]`, sorted by code).

use std::io::{self, Write};

use serde::Serialize;

use super::args::{RulesArgs, RulesFormat};
use super::{Error, ExitStatus, ignore_broken_pipe};
use crate::checks::all_rules;
use crate::diagnostics::Rule;

/// One rule in `bosun rules --format json`.
#[derive(Debug, Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    summary: &'static str,
}

pub(crate) fn run(args: &RulesArgs) -> Result<ExitStatus, Error> {
    let rules = all_rules();
    let text = match args.format {
        RulesFormat::Text => table(&rules),
        RulesFormat::Json => json(&rules),
    };
    let mut out = io::stdout().lock();
    ignore_broken_pipe(out.write_all(text.as_bytes()))?;
    Ok(ExitStatus::Success)
}

fn table(rules: &[&Rule]) -> String {
    let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in rules {
        let line = format!(
            "{}  {:name_width$}  {:7}  {}",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary
        );
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn json(rules: &[&Rule]) -> String {
    let list: Vec<JsonRule> = rules
        .iter()
        .map(|r| JsonRule {
            code: r.code,
            name: r.name,
            severity: r.severity.as_str(),
            summary: r.summary,
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_rule_aligned() {
        let rules = all_rules();
        let text = table(&rules);
        assert_eq!(text.lines().count(), rules.len());
        let aw003 = text.lines().find(|l| l.starts_with("AW003")).unwrap();
        assert!(aw003.contains("duplicate-key"), "{aw003}");
        assert!(
            aw003.contains("  warning  a mapping defines the same key twice"),
            "{aw003}"
        );
    }

    #[test]
    fn json_lists_every_rule() {
        let rules = all_rules();
        let v: serde_json::Value = serde_json::from_str(&json(&rules)).unwrap();
        assert_eq!(v.as_array().unwrap().len(), rules.len());
        assert_eq!(v[0]["code"], rules[0].code);
        assert_eq!(v[0]["severity"], rules[0].severity.as_str());
    }
}
