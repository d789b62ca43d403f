//! The GitHub Actions renderer: one workflow command per diagnostic, which GitHub turns into an
//! annotation on the pull request's diff.
//!
//! ```text
//! ::error file=wf.yaml,line=5,col=6,endLine=5,endColumn=7,title=AW001 yaml-syntax-error::did not find expected ',' or ']'
//! ```
//!
//! Errors use `::error`, warnings `::warning` and infos `::notice`. Help and note follow the
//! message on their own lines. Escaping follows the runner's rules: `%`, `\r` and `\n` in the
//! message, and additionally `:` and `,` in property values. GitHub ignores `col`/`endColumn` on
//! annotations that span several lines, so those carry only `line` and `endLine`.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Location, RenderOptions};
use crate::diagnostics::{Diagnostic, Severity};
use crate::lint::Report;
use crate::source::SourceMap;

/// Writes one workflow command per diagnostic.
pub fn render(
    report: &Report,
    sources: &SourceMap,
    _options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    for d in &report.diagnostics {
        writeln!(out, "{}", command(d, sources))?;
    }
    Ok(())
}

/// The workflow command of one diagnostic, without a line terminator.
pub(crate) fn command(d: &Diagnostic, sources: &SourceMap) -> String {
    let loc = Location::of(d.primary.span, sources);
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props = format!("file={},line={}", escape_property(loc.file), loc.start.line);
    if loc.start.line == loc.end.line {
        let _ = write!(
            props,
            ",col={},endLine={},endColumn={}",
            loc.start.col, loc.end.line, loc.end.col
        );
    } else {
        let _ = write!(props, ",endLine={}", loc.end.line);
    }
    let title = format!("{} {}", d.rule.code, d.rule.name);
    let _ = write!(props, ",title={}", escape_property(&title));

    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    if let Some(note) = &d.note {
        let _ = write!(message, "\nnote: {note}");
    }
    format!("::{name} {props}::{}", escape_data(&message))
}

/// Escapes a command's message.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::render::test_support::*;

    fn rendered(files: &[(&str, &[u8])]) -> String {
        let (loaded, report) = report_of(files);
        let mut out = Vec::new();
        render(
            &report,
            &loaded.sources,
            &RenderOptions::default(),
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_command_per_diagnostic_with_position_and_title() {
        let text = rendered(&[("wf.yaml", BROKEN), ("ok.yaml", CLEAN)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].starts_with(
                "::warning file=wf.yaml,line=3,col=1,endLine=3,endColumn=5,title=AW003 duplicate-key::key `kind` is defined twice"
            ),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains("%0Ahelp: remove one of the two definitions"));
        assert!(
            lines[1].starts_with("::error file=wf.yaml,line=5,col=6,endLine=5,endColumn=7,"),
            "{}",
            lines[1]
        );
        assert!(lines[1].contains("title=AW001 yaml-syntax-error::"));
    }

    #[test]
    fn infos_are_notices() {
        let text = rendered(&[("cm.yaml", b"apiVersion: v1\nkind: ConfigMap\n")]);
        assert!(text.starts_with("::notice file=cm.yaml,line=2,"), "{text}");
    }

    #[test]
    fn commands_never_span_lines_and_escape_properties() {
        let text = rendered(HOSTILE);
        for line in text.lines() {
            assert!(line.starts_with("::"), "{line}");
            let props = line.split("::").nth(1).unwrap();
            assert!(!props.contains('\r'));
        }
        assert!(text.contains("file=bad%25utf8%2C%3A.yaml,"), "{text}");
        assert_eq!(escape_property("a:b,c%\r\n"), "a%3Ab%2Cc%25%0D%0A");
        assert_eq!(escape_data("a:b,c%\n"), "a:b,c%25%0A");
    }
}
