//! The JSON renderer: a versioned document for programs to read.
//!
//! ```text
//! {"version": 1, "tool": {"name": "bosun", "version": "0.1.0"},
//!  "summary": {"files": 1, "documents": 2, "objects": 1, "errors": 1, "warnings": 1, "infos": 0},
//!  "diagnostics": [{"code": "AW003", "name": "duplicate-key", "severity": "warning", ...}]}
//! ```
//!
//! The shape is owned by the dedicated serde types below ([`JsonOutput`], [`JsonDiagnostic`]), not
//! by the internal model, which stays free of `Serialize`. It is described by the hand-written
//! JSON Schema `schemas/diagnostics.schema.json`; tests validate output against it. Every field is
//! always present (absent values are `null`), so consumers see one stable shape. Bump [`VERSION`]
//! on any incompatible change; adding a field is compatible.

use std::io::{self, Write};

use serde::Serialize;

use super::{Location, RenderOptions};
use crate::diagnostics::{Diagnostic, Label};
use crate::lint::Report;
use crate::source::SourceMap;

/// The version of the output format.
pub const VERSION: u32 = 1;

/// The whole output.
#[derive(Debug, Serialize)]
pub struct JsonOutput<'a> {
    pub version: u32,
    pub tool: JsonTool,
    pub summary: JsonSummary,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// Which program wrote the output.
#[derive(Debug, Serialize)]
pub struct JsonTool {
    pub name: &'static str,
    pub version: &'static str,
}

/// What was read and how much was found.
#[derive(Debug, Serialize)]
pub struct JsonSummary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// One diagnostic.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: &'a str,
    /// The file's display name: a path as given on the command line, or `<stdin>`.
    pub file: &'a str,
    /// Index of the document in the file's YAML stream (0-based).
    pub document: Option<u32>,
    /// JSON pointer (RFC 6901) of the offending node in its document.
    pub pointer: Option<&'a str>,
    pub start: JsonPosition,
    /// Exclusive: the position just after the last character.
    pub end: JsonPosition,
    /// Short text attached to the primary span.
    pub label: Option<&'a str>,
    pub help: Option<&'a str>,
    pub note: Option<&'a str>,
    pub secondary: Vec<JsonLabel<'a>>,
}

/// A position: 1-based line, 1-based column in Unicode scalar values, 0-based byte offset.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct JsonPosition {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// A secondary span with its text, such as "first defined here".
#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    pub file: &'a str,
    pub start: JsonPosition,
    pub end: JsonPosition,
    pub message: Option<&'a str>,
}

impl<'a> JsonOutput<'a> {
    pub fn new(report: &'a Report, sources: &'a SourceMap) -> Self {
        let counts = report.counts();
        JsonOutput {
            version: VERSION,
            tool: JsonTool {
                name: "bosun",
                version: env!("CARGO_PKG_VERSION"),
            },
            summary: JsonSummary {
                files: report.files,
                documents: report.documents,
                objects: report.objects,
                errors: counts.errors,
                warnings: counts.warnings,
                infos: counts.infos,
            },
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(d, sources))
                .collect(),
        }
    }
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(d: &'a Diagnostic, sources: &'a SourceMap) -> Self {
        let loc = Location::of(d.primary.span, sources);
        let (start, end) = positions(&loc);
        JsonDiagnostic {
            code: d.rule.code,
            name: d.rule.name,
            severity: d.severity.as_str(),
            message: &d.message,
            file: loc.file,
            document: d.document,
            pointer: d.pointer.as_deref(),
            start,
            end,
            label: d.primary.message.as_deref(),
            help: d.help.as_deref(),
            note: d.note.as_deref(),
            secondary: d
                .secondary
                .iter()
                .map(|l| JsonLabel::new(l, sources))
                .collect(),
        }
    }
}

impl<'a> JsonLabel<'a> {
    fn new(label: &'a Label, sources: &'a SourceMap) -> Self {
        let loc = Location::of(label.span, sources);
        let (start, end) = positions(&loc);
        JsonLabel {
            file: loc.file,
            start,
            end,
            message: label.message.as_deref(),
        }
    }
}

fn positions(loc: &Location<'_>) -> (JsonPosition, JsonPosition) {
    (
        JsonPosition {
            line: loc.start.line,
            column: loc.start.col,
            offset: loc.start_offset,
        },
        JsonPosition {
            line: loc.end.line,
            column: loc.end.col,
            offset: loc.end_offset,
        },
    )
}

/// Writes the report as pretty-printed JSON followed by a newline.
pub fn render(
    report: &Report,
    sources: &SourceMap,
    _options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let output = JsonOutput::new(report, sources);
    serde_json::to_writer_pretty(&mut *out, &output).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::render::test_support::*;
    use serde_json::Value;

    const SCHEMA: &str = include_str!("../../../../schemas/diagnostics.schema.json");

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

    fn assert_valid(instance: &Value) {
        let errors = schema_errors(SCHEMA, instance);
        assert!(errors.is_empty(), "{errors:#?}\n{instance:#}");
    }

    #[test]
    fn output_matches_the_committed_schema() {
        assert_valid(&rendered(&[("wf.yaml", BROKEN), ("ok.yaml", CLEAN)]));
        assert_valid(&rendered(HOSTILE));
        assert_valid(&rendered(&[]));
    }

    #[test]
    fn pointers_with_any_characters_match_the_schema() {
        let (loaded, mut report) = report_of(&[("wf.yaml", CLEAN)]);
        let rule = crate::checks::find_rule("AW003").unwrap();
        let span = crate::source::Span::new(crate::source::FileId(0), 0, 4);
        report.diagnostics = vec![
            Diagnostic::new(rule, span, "m").with_pointer("/a\nb/~1c/\u{e9}"),
            Diagnostic::new(rule, span, "root").with_pointer(""),
        ];
        let mut out = Vec::new();
        render(
            &report,
            &loaded.sources,
            &RenderOptions::default(),
            &mut out,
        )
        .unwrap();
        assert_valid(&serde_json::from_slice(&out).unwrap());
    }

    #[test]
    fn schema_rejects_output_with_unknown_fields() {
        let mut v = rendered(&[("wf.yaml", BROKEN)]);
        v["diagnostics"][0]["extra"] = Value::Bool(true);
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        assert!(!jsonschema::is_valid(&schema, &v));
    }

    #[test]
    fn diagnostics_carry_positions_labels_and_summary() {
        let v = rendered(&[("wf.yaml", BROKEN), ("ok.yaml", CLEAN)]);
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "bosun");
        assert_eq!(v["summary"]["files"], 2);
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["warnings"], 1);
        let dup = &v["diagnostics"][0];
        assert_eq!(dup["code"], "AW003");
        assert_eq!(dup["name"], "duplicate-key");
        assert_eq!(dup["severity"], "warning");
        assert_eq!(dup["file"], "wf.yaml");
        assert_eq!(dup["document"], 0);
        assert_eq!(dup["start"]["line"], 3);
        assert_eq!(dup["start"]["column"], 1);
        assert_eq!(dup["secondary"][0]["start"]["line"], 2);
        assert!(dup["help"].is_string());
        assert!(dup["note"].is_null());
        let syntax = &v["diagnostics"][1];
        assert_eq!(syntax["code"], "AW001");
        assert_eq!(syntax["severity"], "error");
    }

    #[test]
    fn columns_count_characters_and_offsets_count_bytes() {
        // Line 2 holds two-byte characters before the unterminated sequence.
        let text = "kind: a\n\u{e9}: [\u{e9}\u{e9}, \u{e9}";
        let v = rendered(&[("u.yaml", text.as_bytes())]);
        for d in v["diagnostics"].as_array().unwrap() {
            for end in ["start", "end"] {
                let pos = &d[end];
                let offset = pos["offset"].as_u64().unwrap() as usize;
                let line = pos["line"].as_u64().unwrap() as usize;
                let col = pos["column"].as_u64().unwrap() as usize;
                assert!(text.is_char_boundary(offset), "{d:#}");
                let line_start: usize = text
                    .split_inclusive('\n')
                    .take(line - 1)
                    .map(str::len)
                    .sum();
                assert_eq!(text[line_start..offset].chars().count() + 1, col, "{d:#}");
            }
        }
    }
}
