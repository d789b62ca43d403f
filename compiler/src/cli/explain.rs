//! `bosun explain CODE`: a rule's documentation, as Markdown, on standard output.
//!
//! The text is the rule's doc comment, the same that `docs/rules/<CODE>.md` is generated from,
//! under a one-line header with the code, name, summary and default severity. An unknown code is
//! an error (exit 2) with a did-you-mean over codes and names.

use std::io::{self, Write};

use super::args::ExplainArgs;
use super::{Error, ExitStatus, ignore_broken_pipe};
use crate::checks::{documented_rules, find_rule};
use crate::diagnostics::Rule;
use crate::suggest::did_you_mean;

pub(crate) fn run(args: &ExplainArgs) -> Result<ExitStatus, Error> {
    let rule = find_rule(args.code.trim()).ok_or_else(|| unknown(&args.code))?;
    let mut out = io::stdout().lock();
    ignore_broken_pipe(out.write_all(explanation(rule).as_bytes()))?;
    Ok(ExitStatus::Success)
}

/// The header and docs of a rule, ending with a newline.
pub(crate) fn explanation(rule: &Rule) -> String {
    format!(
        "{} ({}): {}\nDefault severity: {}\n\n{}\n",
        rule.code,
        rule.name,
        rule.summary,
        rule.severity,
        rule.docs()
    )
}

fn unknown(code: &str) -> Error {
    let upper = code.trim().to_ascii_uppercase();
    let rules = documented_rules();
    let suggestion = did_you_mean(&upper, rules.iter().map(|r| r.code))
        .or_else(|| did_you_mean(code.trim(), rules.iter().map(|r| r.name)));
    Error::UnknownRule {
        code: code.to_string(),
        suggestion: suggestion.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanation_starts_with_code_name_and_summary() {
        let rule = find_rule("AW003").unwrap();
        let text = explanation(rule);
        assert!(text.starts_with(
            "AW003 (duplicate-key): a mapping defines the same key twice\nDefault severity: warning\n\n## What it does\n"
        ), "{text}");
    }

    #[test]
    fn unknown_codes_suggest_the_closest_rule() {
        assert_eq!(
            unknown("aw03").to_string(),
            "unknown rule `aw03`; did you mean `AW003`?"
        );
        assert_eq!(
            unknown("duplicate-keys").to_string(),
            "unknown rule `duplicate-keys`; did you mean `duplicate-key`?"
        );
        assert_eq!(
            unknown("frobnicate").to_string(),
            "unknown rule `frobnicate`; `bosun rules` lists every rule"
        );
    }
}
