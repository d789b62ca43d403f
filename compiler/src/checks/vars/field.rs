//! Checks one field value: its `{{ }}` tags, and, by field kind, the `when` condition, the
//! `depends` expression or the raw expression (`retryStrategy.expression`, hook expressions,
//! `valueFrom.expression`, …). Findings of the expression engine become diagnostics of the
//! AW4xx rules, with spans mapped from the value back into the YAML source.

use super::classify::{Place, Problem, classify};
use super::{
    disabled_sprig_function, expression_syntax_error, expression_type_error,
    hyphenated_variable_name, invalid_regex, invalid_when_condition, likely_type_error,
    regex_dialect_difference, shadowed_collection, unclosed_template_tag, undeclared_output,
    undefined_variable, unknown_function, unsupported_expression_binding, variable_out_of_scope,
    wrong_argument_count,
};
use crate::checks::CheckContext;
use crate::diagnostics::{Diagnostic, Severity};
use crate::expr::check::{CheckOptions, Finding, FindingKind, Resolution, Scope, check_expression};
use crate::expr::tags::{Piece, TagKind, tokenize};
use crate::expr::when::{self, WhenOptions};
use crate::expr::{ErrorKind, Limits, parse};
use crate::parse::NodeRef;
use crate::scope::FieldScope;
use crate::source::Span;
use crate::suggest::did_you_mean;

/// How a field's value is interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// Text with tags.
    Value,
    /// A `when` condition: tags, then govaluate.
    When,
    /// A DAG `depends` expression.
    /// A raw expr expression (tags inside are substituted first).
    Expr { helpers: bool },
}

/// Simple-tag roots Bosun checks: Argo's seven plus the roots Argo never checks (FN-07).
const CHECKED_ROOTS: &[&str] = &[
    "item",
    "steps",
    "inputs",
    "outputs",
    "pod",
    "workflow",
    "tasks",
    "retries",
    "lastRetry",
    "node",
    "status",
    "duration",
    "exitCode",
    "resourcesDuration",
];

/// Splits a simple tag key into a path; label and annotation keys keep their dots.
pub(crate) fn key_path(key: &str) -> Vec<&str> {
    for prefix in ["workflow.labels.", "workflow.annotations."] {
        if let Some(rest) = key.strip_prefix(prefix) {
            let what = &prefix["workflow.".len()..prefix.len() - 1];
            return vec!["workflow", what, rest];
        }
    }
    key.split('.').collect()
}

/// Collects diagnostics for fields of one object.
pub(crate) struct Sink<'c, 'o> {
    pub ctx: &'c CheckContext<'c>,
    pub out: &'o mut Vec<Diagnostic>,
}

impl Sink<'_, '_> {
    /// The span of `range` (bytes in the node's string value) in the source.
    fn span(&self, node: NodeRef<'_>, value: &str, range: std::ops::Range<usize>) -> Span {
        let span = node.span();
        let Some(file) = self.ctx.sources.get(span.file) else {
            return span;
        };
        let text = file.slice(span);
        match crate::expr::span::value_to_source(text, value, range) {
            Some(r) => span.sub(r.start, r.end),
            None => span,
        }
    }

    /// Checks one scalar field.
    pub(crate) fn field(
        &mut self,
        node: NodeRef<'_>,
        kind: FieldKind,
        scope: &FieldScope<'_>,
        place: &Place<'_, '_>,
    ) {
        let Some(value) = node.as_str() else { return };
        match kind {
            FieldKind::Value => {
                if value.contains("{{") {
                    self.tags(node, value, scope, place);
                }
            }
            FieldKind::When => {
                let clean = self.tags(node, value, scope, place);
                if clean {
                    self.when(node, value);
                }
            }
            FieldKind::Expr { helpers } => self.expression(node, helpers, scope, scope, place),
        }
    }

    /// A raw expression field whose tags are substituted with `tags` first and whose
    /// identifiers are looked up in `env`.
    pub(crate) fn expression(
        &mut self,
        node: NodeRef<'_>,
        helpers: bool,
        tags: &FieldScope<'_>,
        env: &FieldScope<'_>,
        place: &Place<'_, '_>,
    ) {
        let Some(value) = node.as_str() else { return };
        let clean = !value.contains("{{") || self.tags(node, value, tags, place);
        if clean {
            self.raw_expression(node, value, helpers, env, place);
        }
    }

    /// Checks every tag; returns false when the value cannot be tokenised.
    fn tags(
        &mut self,
        node: NodeRef<'_>,
        value: &str,
        scope: &FieldScope<'_>,
        place: &Place<'_, '_>,
    ) -> bool {
        let pieces = match tokenize(value) {
            Ok(p) => p,
            Err(e) => {
                let span = self.span(node, value, e.range.clone());
                self.out
                    .push(unclosed_template_tag::diagnostic(span, node.pointer()));
                return false;
            }
        };
        for p in pieces {
            let Piece::Tag(tag) = p else { continue };
            match tag.kind {
                TagKind::Expression => {
                    let (src, r) = tag.expression();
                    let opts = CheckOptions::default();
                    let findings = check_expression(src, scope, opts);
                    let closing_brace = value[tag.range.end..].starts_with('}');
                    for f in findings {
                        self.finding(node, value, src, r.start, &f, scope, place, closing_brace);
                    }
                }
                TagKind::Simple => {
                    // `{{steps.run-{{inputs.parameters.x}}.status}}`: the inner tag is
                    // substituted first; the outer one is dynamic.
                    let (inner, inner_start) = match tag.inner.rfind("{{") {
                        Some(i) => (&tag.inner[i + 2..], tag.inner_range.start + i + 2),
                        None => (tag.inner, tag.inner_range.start),
                    };
                    let key = inner.trim();
                    let start = inner_start + (inner.len() - inner.trim_start().len());
                    self.simple(node, value, key, start..start + key.len(), scope, place);
                }
            }
        }
        true
    }

    fn simple(
        &mut self,
        node: NodeRef<'_>,
        value: &str,
        key: &str,
        range: std::ops::Range<usize>,
        scope: &FieldScope<'_>,
        place: &Place<'_, '_>,
    ) {
        let root = key.split('.').next().unwrap_or_default();
        if !CHECKED_ROOTS.contains(&root) {
            // A misspelled Argo root (`input.parameters.x`); other roots belong to other
            // template languages (`{{user.name}}`, Helm's `{{ .Values }}`) and are left alone.
            let fixed = did_you_mean(root, CHECKED_ROOTS.iter().copied()).filter(|_| {
                key.contains('.') && root.len() > 3 && root.chars().all(|c| c.is_ascii_alphabetic())
            });
            if let (Some(fixed), false) = (fixed, place.lenient) {
                let help = format!("did you mean `{fixed}{}`?", &key[root.len()..]);
                let span = self.span(node, value, range);
                self.out.push(undefined_variable::diagnostic(
                    span,
                    node.pointer(),
                    key,
                    Some(help),
                ));
            }
            return;
        }
        let path = key_path(key);
        if path.iter().any(|s| s.is_empty()) && root != "workflow" {
            return;
        }
        if scope.resolve(&path) != Resolution::Unknown || place.lenient {
            return;
        }
        let span = self.span(node, value, range);
        let d = self.unresolved(span, node.pointer(), &path, scope, place, Severity::Error);
        self.out.push(d);
    }

    fn unresolved(
        &self,
        span: Span,
        pointer: String,
        path: &[&str],
        scope: &FieldScope<'_>,
        place: &Place<'_, '_>,
        severity: Severity,
    ) -> Diagnostic {
        let shown = path.join(".");
        let d = match classify(path, scope, place) {
            Problem::Undefined { help } => {
                undefined_variable::diagnostic(span, pointer, &shown, help)
            }
            Problem::OutOfScope { reason, help } => {
                variable_out_of_scope::diagnostic(span, pointer, &shown, reason, help)
            }
            Problem::UndeclaredOutput {
                message,
                help,
                decl,
            } => undeclared_output::diagnostic(span, pointer, message, help, decl),
        };
        if severity < d.severity {
            d.with_severity(severity)
        } else {
            d
        }
    }

    /// One finding of the expression checker, `src` starting at byte `offset` of `value`.
    #[allow(clippy::too_many_arguments)]
    fn finding(
        &mut self,
        node: NodeRef<'_>,
        value: &str,
        src: &str,
        offset: usize,
        f: &Finding,
        scope: &FieldScope<'_>,
        place: &Place<'_, '_>,
        closing_brace: bool,
    ) {
        let range = f.range.start + offset..f.range.end + offset;
        let span = self.span(node, value, range);
        let pointer = node.pointer();
        let msg = f.message.clone();
        let help = f.help.clone();
        let d = match f.kind {
            FindingKind::Syntax | FindingKind::TooComplex => {
                let help = if closing_brace && f.kind == FindingKind::Syntax {
                    Some("the first `}}` ends the tag: put a space before the closing braces, e.g. `{{= {a: 1} }}`".to_string())
                } else {
                    help
                };
                expression_syntax_error::diagnostic(span, pointer, msg, help)
            }
            FindingKind::UnknownVariable => {
                if place.lenient {
                    return;
                }
                let text = src.get(f.range.start..f.range.end).unwrap_or_default();
                let parsed = parse(text, &Limits::default()).ok();
                let path: Option<Vec<&str>> = parsed.as_ref().and_then(|e| e.const_path());
                match path {
                    Some(p) if !p.is_empty() => {
                        self.unresolved(span, pointer, &p, scope, place, f.severity)
                    }
                    _ => undefined_variable::diagnostic(span, pointer, text, help)
                        .with_severity(f.severity),
                }
            }
            FindingKind::UnknownFunction => unknown_function::diagnostic(span, pointer, msg, help),
            FindingKind::WrongArity => wrong_argument_count::diagnostic(span, pointer, msg, help),
            FindingKind::DisabledFunction => {
                disabled_sprig_function::diagnostic(span, pointer, msg, help)
            }
            FindingKind::UnevaluatedFunction => return,
            FindingKind::InvalidRegex => invalid_regex::diagnostic(span, pointer, msg, help),
            FindingKind::RegexDialect => {
                regex_dialect_difference::diagnostic(span, pointer, msg, help)
            }
            FindingKind::TypeError => expression_type_error::diagnostic(span, pointer, msg, help),
            FindingKind::LikelyTypeError => likely_type_error::diagnostic(span, pointer, msg, help),
            FindingKind::HyphenatedName => {
                hyphenated_variable_name::diagnostic(span, pointer, msg, help)
            }
            FindingKind::ShadowedCollection => {
                shadowed_collection::diagnostic(span, pointer, msg, help)
            }
            FindingKind::ArgoQuirk => {
                unsupported_expression_binding::diagnostic(span, pointer, msg, help)
                    .with_severity(f.severity)
            }
        };
        self.out.push(d);
    }

    /// A raw expression field; tags in it were checked and are replaced by placeholders.
    fn raw_expression(
        &mut self,
        node: NodeRef<'_>,
        value: &str,
        helpers: bool,
        scope: &FieldScope<'_>,
        place: &Place<'_, '_>,
    ) {
        let mut text = value.to_string();
        let mut placeholders = false;
        if let Ok(pieces) = tokenize(value) {
            for p in pieces {
                if let Piece::Tag(t) = p {
                    text.replace_range(t.range.clone(), &"_".repeat(t.range.len()));
                    placeholders = true;
                }
            }
        }
        let local;
        let scope: &FieldScope<'_> = if placeholders {
            local = FieldScope {
                trees: scope.trees.clone(),
                nodes: scope.nodes,
                parent: scope.parent,
                placeholders: true,
            };
            &local
        } else {
            scope
        };
        let opts = CheckOptions {
            helpers,
            limits: Limits::default(),
        };
        for f in check_expression(&text, scope, opts) {
            // A placeholder stands for a value of unknown type.
            if placeholders
                && matches!(
                    f.kind,
                    FindingKind::TypeError | FindingKind::LikelyTypeError
                )
            {
                continue;
            }
            self.finding(node, value, &text, 0, &f, scope, place, false);
        }
    }

    /// A `when` condition: substitute every tag with a neutral word and parse with govaluate;
    /// report syntax errors (run-time errors depend on the values).
    fn when(&mut self, node: NodeRef<'_>, value: &str) {
        let Ok(pieces) = tokenize(value) else { return };
        let mut text = String::with_capacity(value.len());
        let mut map: Vec<(usize, usize)> = Vec::new();
        let mut tags = false;
        for p in &pieces {
            match p {
                Piece::Text { text: t, range } => {
                    map.push((text.len(), range.start));
                    text.push_str(t);
                }
                Piece::Tag(t) => {
                    tags = true;
                    map.push((text.len(), t.range.start));
                    text.push('x');
                }
            }
        }
        let limits = Limits::default();
        let err = match when::evaluate(&text, WhenOptions::default(), &limits) {
            Ok(_) => return,
            Err(e) => e,
        };
        if tags && err.kind == ErrorKind::Runtime {
            return;
        }
        // Map the error position back to the value.
        let to_value = |pos: usize| {
            map.iter()
                .rev()
                .find(|(at, _)| *at <= pos)
                .map_or(pos, |(at, orig)| orig + (pos - at))
                .min(value.len())
        };
        let start = to_value(err.range.start);
        let end = to_value(err.range.end).max(start);
        let span = self.span(node, value, start..end);
        self.out.push(invalid_when_condition::diagnostic(
            span,
            node.pointer(),
            err.message,
            tags,
        ));
    }
}
