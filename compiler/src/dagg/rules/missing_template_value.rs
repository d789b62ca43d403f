//! AG011: a template printed a missing value as `<no value>`.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports an action of the template that printed a missing map key, which Go's
    /// `text/template` writes as `<no value>`: typically `{{ .Option.repo }}` for a job without
    /// a `repo` option, or a misspelt option name. The first job it happened for is labelled.
    ///
    /// ## Why is this bad?
    /// dagg writes `<no value>` into the manifest without a word: an image named
    /// `registry/<no value>:latest` or a Secret named `<no value>.dotenv` is only found when
    /// the pod fails to start.
    ///
    /// ## Example
    /// ```text
    /// image: registry/wantedly/{{ .Option.repository }}:latest
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// image: registry/wantedly/{{ .Option.repo }}:latest
    /// ```
    /// or give every job the option, or print a default:
    /// `{{ with .Option.repo }}{{ . }}{{ else }}default{{ end }}`.
    pub(crate) static RULE = ("AG011", "missing-template-value", Warning, "a template printed a missing value as `<no value>`");
}

pub(crate) fn diagnostic(span: Span, times: usize, job: Option<Span>) -> Diagnostic {
    let what = if times == 1 {
        "once".to_string()
    } else {
        format!("{times} times")
    };
    let d = Diagnostic::new(
        &RULE,
        span,
        format!("this action printed `<no value>` {what}: the data has no such key"),
    )
    .with_label("prints a missing value")
    .with_help("check the key's spelling, or give every job the option");
    match job {
        Some(j) => d.with_secondary(j, "for this job"),
        None => d,
    }
}
