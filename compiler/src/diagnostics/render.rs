//! Renderers: one output format per file. Each is a pure function from a lint [`Report`] and its
//! [`SourceMap`] to bytes on a [`Write`]r; none of them decides what is reported, filters, or
//! prints anything itself (no `println!`), so a closed pipe surfaces as an `io::Error` the caller
//! can handle.
//!
//! Every renderer has the same shape:
//!
//! ```text
//! pub fn render(report: &Report, sources: &SourceMap, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()>
//! ```
//!
//! and [`render`] dispatches on a [`Format`]. Positions everywhere are 1-based lines and 1-based
//! columns counted in Unicode scalar values ([`crate::source::SourceFile::line_col`]); ends are
//! exclusive (the position just after the last character). Byte offsets index the text as loaded,
//! which for a file that is not UTF-8 is its lossy decoding.

/// GitHub Actions workflow commands (`::error file=…::message`).
pub mod github;
/// rustc-style text with source excerpts and carets.
pub mod human;
/// Versioned JSON through [`json::JsonDiagnostic`], described by `schemas/diagnostics.schema.json`.
pub mod json;
/// JUnit XML for CI test-report views (GitLab, Jenkins).
pub mod junit;
/// SARIF 2.1.0 for code-scanning services.
pub mod sarif;

use std::io::{self, Write};

use crate::diagnostics::{Diagnostic, Severity};
use crate::lint::Report;
use crate::source::{LineCol, SourceMap, Span};

/// The output formats of `bosun lint --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// rustc-style text with source excerpts.
    Human,
    /// Versioned JSON (`schemas/diagnostics.schema.json`).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
    /// GitHub Actions workflow commands.
    Github,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
        }
    }
}

/// What a caller may tune about rendering. Formats ignore the options that do not apply to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// Use ANSI colours (human format only).
    pub color: bool,
    /// The lowest severity that fails the run: JUnit reports those diagnostics as `<failure>`s.
    pub fail_on: Severity,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            fail_on: Severity::Error,
        }
    }
}

/// Renders `report` in `format`.
pub fn render(
    format: Format,
    report: &Report,
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(
            &report.diagnostics,
            sources,
            &human::HumanOptions {
                color: options.color,
            },
            out,
        ),
        Format::Json => json::render(report, sources, options, out),
        Format::Sarif => sarif::render(report, sources, options, out),
        Format::Junit => junit::render(report, sources, options, out),
        Format::Github => github::render(report, sources, options, out),
    }
}

/// A span resolved against its file: the file's display name and both ends as positions and
/// byte offsets. Spans of unknown files resolve to `<unknown>` at 1:1 instead of failing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Location<'a> {
    pub(crate) file: &'a str,
    pub(crate) start: LineCol,
    pub(crate) end: LineCol,
    pub(crate) start_offset: u32,
    pub(crate) end_offset: u32,
}

impl<'a> Location<'a> {
    pub(crate) fn of(span: Span, sources: &'a SourceMap) -> Location<'a> {
        let Some(file) = sources.get(span.file) else {
            let origin = LineCol { line: 1, col: 1 };
            return Location {
                file: "<unknown>",
                start: origin,
                end: origin,
                start_offset: 0,
                end_offset: 0,
            };
        };
        // `line_col` clamps to the text and to character boundaries; derive the offsets from the
        // same clamped positions so that all three agree.
        let len = file.text().len() as u32;
        let start_offset = span.start.min(len);
        let end_offset = span.end.min(len).max(start_offset);
        let start = file.line_col(start_offset);
        let end = file.line_col(end_offset);
        let start_offset = file.offset_of(start.line as usize, start.col as usize - 1);
        let end_offset = file.offset_of(end.line as usize, end.col as usize - 1);
        Location {
            file: file.name(),
            start,
            end,
            start_offset,
            end_offset,
        }
    }
}

/// The file names of a run in order, with the diagnostics of each (by index into `diagnostics`).
/// Files without diagnostics are included, so per-file formats can report them as clean.
pub(crate) fn by_file<'a>(
    diagnostics: &'a [Diagnostic],
    sources: &'a SourceMap,
) -> Vec<(&'a str, Vec<&'a Diagnostic>)> {
    let mut files: Vec<(&str, Vec<&Diagnostic>)> = sources
        .files()
        .iter()
        .map(|f| (f.name(), Vec::new()))
        .collect();
    let mut orphans = Vec::new();
    for d in diagnostics {
        match files.get_mut(d.primary.span.file.0 as usize) {
            Some((_, list)) => list.push(d),
            None => orphans.push(d),
        }
    }
    if !orphans.is_empty() {
        files.push(("<unknown>", orphans));
    }
    files
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Reports built from in-memory text, shared by the renderers' unit tests.

    use crate::config::LintSettings;
    use crate::lint::{Report, lint};
    use crate::load::Loaded;
    use crate::parse::Limits;

    /// Lints `(name, bytes)` pairs as if they were files read from disk.
    /// Validates `instance` against the JSON Schema text `schema`; one line per error.
    pub(crate) fn schema_errors(schema: &str, instance: &serde_json::Value) -> Vec<String> {
        let schema: serde_json::Value = serde_json::from_str(schema).expect("the schema is JSON");
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    pub(crate) fn report_of(files: &[(&str, &[u8])]) -> (Loaded, Report) {
        let limits = Limits::default();
        let mut loaded = Loaded::default();
        for (name, bytes) in files {
            loaded.add_bytes(*name, bytes.to_vec(), bytes.len() as u64, &limits);
        }
        // Renderer tests are about rendering: only the loader's rules, so the samples stay small.
        let settings = LintSettings {
            rules: crate::config::RuleSelection::only(&["AW0"]),
            ..LintSettings::default()
        };
        let report = lint(&loaded, &settings);
        (loaded, report)
    }

    /// A duplicate key (warning) and a syntax error (error) in one file, plus a clean file.
    pub(crate) const BROKEN: &[u8] =
        b"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nkind: Workflow\n---\nkey: [unclosed\n";
    pub(crate) const CLEAN: &[u8] =
        b"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: ok\n";
    /// Hostile inputs every renderer must survive: non-ASCII text, CRLF, tabs, invalid UTF-8,
    /// empty files, spans at end of file, and characters each format must escape.
    pub(crate) const HOSTILE: &[(&str, &[u8])] = &[
        ("empty.yaml", b""),
        (
            "crlf \u{e9}t\u{e9}.yaml",
            "apiVersion: v1\r\nkind: Config\u{e9}Map\r\nkind: <x & \"y\">\r\n".as_bytes(),
        ),
        ("bad%utf8,:.yaml", b"a: \xff\xfe\n"),
        ("eof.yaml", b"a: [1, 2"),
        ("tab.yaml", b"a:\n\tb: ]]>\x1b\n"),
    ];
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn locations_of_spans_at_end_of_file_are_clamped() {
        let (loaded, report) = report_of(&[("eof.yaml", b"a: [1, 2")]);
        assert!(!report.diagnostics.is_empty());
        for d in &report.diagnostics {
            let loc = Location::of(d.primary.span, &loaded.sources);
            assert!(loc.end_offset <= 8 && loc.start_offset <= loc.end_offset);
            assert_eq!(loc.file, "eof.yaml");
        }
        let far = Span::new(crate::source::FileId(0), 100, 200);
        let loc = Location::of(far, &loaded.sources);
        assert_eq!((loc.start_offset, loc.end_offset), (8, 8));
        assert_eq!(loc.start, LineCol { line: 1, col: 9 });
    }

    #[test]
    fn locations_of_unknown_files_do_not_fail() {
        let sources = SourceMap::new();
        let loc = Location::of(Span::new(crate::source::FileId(3), 4, 9), &sources);
        assert_eq!(loc.file, "<unknown>");
        assert_eq!(loc.start, LineCol { line: 1, col: 1 });
    }

    #[test]
    fn every_format_renders_hostile_inputs() {
        let (loaded, report) = report_of(HOSTILE);
        assert!(report.counts().errors > 0);
        for format in Format::ALL {
            let mut out = Vec::new();
            render(
                format,
                &report,
                &loaded.sources,
                &RenderOptions::default(),
                &mut out,
            )
            .unwrap();
            let text = String::from_utf8(out).expect("renderers write UTF-8");
            assert!(!text.is_empty(), "{format:?} wrote nothing");
        }
    }
}
