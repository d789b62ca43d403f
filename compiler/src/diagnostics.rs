//! The diagnostic data model: what every check and the loader produce.
//!
//! A [`Diagnostic`] carries a [`Rule`] (stable code, name, docs), a [`Severity`], a message, a
//! primary [`Label`] with a [`Span`], optional secondary labels, the JSON pointer of the offending
//! node, and optional help and note. Rendering lives in [`render`]; nothing here formats for a
//! particular output.

pub mod render;

use std::fmt;

use crate::source::Span;

/// How serious a diagnostic is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static metadata of a rule: its permanent code, kebab-case name, default severity, a one-line
/// summary and the Markdown docs taken from the declaring file's doc comment.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Raw doc-comment lines joined with `\n`; use [`Rule::docs`] for the cleaned text.
    pub raw_docs: &'static str,
}

impl Rule {
    /// The rule's documentation as Markdown (doc-comment lines without their leading space).
    pub fn docs(&self) -> String {
        let mut out = String::with_capacity(self.raw_docs.len());
        for line in self.raw_docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

/// Declares a rule: the doc comment becomes its docs. Used once per rule file.
///
/// ```text
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub(crate) static UNKNOWN_FIELD = ("AW101", "unknown-field", Error, "a field the kind does not define");
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:expr])* $vis:vis static $ident:ident = ($code:literal, $name:literal, $sev:ident, $summary:literal);) => {
        $vis static $ident: $crate::diagnostics::Rule = $crate::diagnostics::Rule {
            code: $code,
            name: $name,
            severity: $crate::diagnostics::Severity::$sev,
            summary: $summary,
            raw_docs: concat!($($doc, "\n"),*),
        };
    };
}

/// A span with an optional short text shown beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: Option<String>,
}

impl Label {
    pub fn new(span: Span) -> Self {
        Label {
            span,
            message: None,
        }
    }

    pub fn with_message(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: Some(message.into()),
        }
    }
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    /// JSON pointer (RFC 6901) of the offending node inside its document, e.g.
    /// `/spec/templates/2/dag/tasks/1/dependencies/0`. Empty for the document root.
    pub pointer: Option<String>,
    /// Index of the document in its file's YAML stream (0-based).
    pub document: Option<u32>,
    pub help: Option<String>,
    pub note: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `rule` at its default severity.
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            primary: Label::new(span),
            secondary: Vec::new(),
            pointer: None,
            document: None,
            help: None,
            note: None,
        }
    }

    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    pub fn span(&self) -> Span {
        self.primary.span
    }

    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = Some(message.into());
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label::with_message(span, message));
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn in_document(mut self, index: u32) -> Self {
        self.document = Some(index);
        self
    }
}

/// Counts of diagnostics by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut c = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}
