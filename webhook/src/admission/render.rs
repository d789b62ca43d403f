//! Findings (compiler diagnostics and the webhook's own reference and policy checks) rendered
//! for the API server: one line per finding in a denial message (capped in count and length)
//! and short `warnings` (≤ 120 characters each, as `admission/v1` asks).

use compiler::diagnostics::{Diagnostic, Severity};

/// Most lines in a denial message.
pub const MAX_DENY_LINES: usize = 10;
/// Longest line of a denial message (characters).
pub const MAX_LINE_CHARS: usize = 300;
/// Most warnings returned.
pub const MAX_WARNINGS: usize = 10;
/// Longest warning (characters): the limit `admission/v1` recommends.
pub const MAX_WARNING_CHARS: usize = 120;

/// One problem, from the compiler or the webhook's own checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    /// JSON pointer into the object (`/spec/templates/0`); empty for the root.
    pub pointer: String,
    pub message: String,
    pub help: Option<String>,
}

impl From<&Diagnostic> for Finding {
    fn from(d: &Diagnostic) -> Self {
        Finding {
            code: d.code().to_owned(),
            severity: d.severity,
            pointer: d.pointer.clone().unwrap_or_default(),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

impl Finding {
    fn head(&self) -> String {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        format!("{} {pointer}: {}", self.code, self.message)
    }

    /// `CODE /pointer: message (help: ...)`.
    pub fn line(&self) -> String {
        let mut s = self.head();
        if let Some(h) = &self.help {
            s.push_str(" (help: ");
            s.push_str(h);
            s.push(')');
        }
        truncate(&s.replace('\n', " "), MAX_LINE_CHARS)
    }

    /// `CODE /pointer: message`, at most [`MAX_WARNING_CHARS`].
    pub fn warning(&self) -> String {
        truncate(&self.head().replace('\n', " "), MAX_WARNING_CHARS)
    }
}

/// Cuts `s` to `max` characters, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The denial message for `errors` (non-empty) on `object` (`Workflow/ns/name`).
pub fn deny_message(object: &str, errors: &[&Finding]) -> String {
    let n = errors.len();
    let mut out = format!(
        "bosun: {object} has {n} error{}:",
        if n == 1 { "" } else { "s" }
    );
    for f in errors.iter().take(MAX_DENY_LINES) {
        out.push('\n');
        out.push_str(&f.line());
    }
    if n > MAX_DENY_LINES {
        out.push_str(&format!(
            "\n... and {} more (run `bosun lint` on the manifest for all)",
            n - MAX_DENY_LINES
        ));
    }
    out
}

/// The `warnings` for `warnings` (capped).
pub fn warnings(warnings: &[&Finding]) -> Vec<String> {
    let mut out: Vec<String> = warnings
        .iter()
        .take(MAX_WARNINGS)
        .map(|f| f.warning())
        .collect();
    if warnings.len() > MAX_WARNINGS {
        out.push(format!(
            "bosun: {} more warnings (run `bosun lint`)",
            warnings.len() - MAX_WARNINGS
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(msg: &str) -> Finding {
        Finding {
            code: "AW101".into(),
            severity: Severity::Warning,
            pointer: "/spec/x".into(),
            message: msg.into(),
            help: Some("fix it".into()),
        }
    }

    #[test]
    fn warnings_are_at_most_120_characters() {
        let long = finding(&"é".repeat(400));
        let w = warnings(&[&long]);
        assert_eq!(w[0].chars().count(), MAX_WARNING_CHARS);
        assert!(w[0].ends_with('…') && w[0].starts_with("AW101 /spec/x: "));
    }

    #[test]
    fn deny_messages_are_capped() {
        let f = finding("bad");
        let many: Vec<&Finding> = std::iter::repeat_n(&f, 25).collect();
        let m = deny_message("Workflow/a/b", &many);
        assert_eq!(m.lines().count(), 1 + MAX_DENY_LINES + 1);
        assert!(
            m.starts_with("bosun: Workflow/a/b has 25 errors:\nAW101 /spec/x: bad (help: fix it)")
        );
        assert!(m.ends_with("... and 15 more (run `bosun lint` on the manifest for all)"));
    }
}
