//! The JUnit XML renderer, for CI test-report views (GitLab merge-request widgets, Jenkins'
//! JUnit plugin, Azure Pipelines).
//!
//! ```text
//! <testsuites name="bosun" tests="3" failures="1" errors="0">
//!   <testsuite name="wf.yaml" tests="2" failures="1" errors="0" skipped="0">
//!     <testcase name="AW001 yaml-syntax-error (5:6)" classname="wf.yaml" file="wf.yaml" line="5">
//!       <failure message="…" type="AW001">wf.yaml:5:6 AW001 …</failure>
//!     </testcase>
//!     <testcase name="AW003 duplicate-key (3:1)" …><system-out>wf.yaml:3:1 AW003 …</system-out></testcase>
//!   </testsuite>
//!   <testsuite name="ok.yaml" tests="1" …><testcase name="ok.yaml" classname="ok.yaml" file="ok.yaml"/></testsuite>
//! </testsuites>
//! ```
//!
//! One test suite per file and one test case per diagnostic, because both GitLab and Jenkins show
//! only the first `<failure>` of a test case. Diagnostics at or above
//! [`RenderOptions::fail_on`] are failures; the others are passing cases whose `<system-out>`
//! holds the text, so warnings stay visible without failing the report. A file without
//! diagnostics is one passing case named after the file. Text is escaped for XML 1.0, and
//! characters XML cannot carry (most control characters) become U+FFFD.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Location, RenderOptions, by_file};
use crate::diagnostics::Diagnostic;
use crate::lint::Report;
use crate::source::SourceMap;

/// Writes the report as a JUnit XML document.
pub fn render(
    report: &Report,
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let files = by_file(&report.diagnostics, sources);
    let fails = |d: &&&Diagnostic| d.severity >= options.fail_on;
    let tests: usize = files.iter().map(|(_, ds)| ds.len().max(1)).sum();
    let failures: usize = files
        .iter()
        .map(|(_, ds)| ds.iter().filter(fails).count())
        .sum();

    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"bosun\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for (file, diagnostics) in &files {
        let file = escape(file);
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            diagnostics.len().max(1),
            diagnostics.iter().filter(fails).count(),
        );
        if diagnostics.is_empty() {
            let _ = writeln!(
                xml,
                "    <testcase name=\"{file}\" classname=\"{file}\" file=\"{file}\"/>"
            );
        }
        for d in diagnostics {
            testcase(&mut xml, &file, d, d.severity >= options.fail_on, sources);
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn testcase(xml: &mut String, file: &str, d: &Diagnostic, failure: bool, sources: &SourceMap) {
    let loc = Location::of(d.primary.span, sources);
    let (line, col) = (loc.start.line, loc.start.col);
    let _ = writeln!(
        xml,
        "    <testcase name=\"{} {} ({line}:{col})\" classname=\"{file}\" file=\"{file}\" line=\"{line}\">",
        d.rule.code, d.rule.name,
    );
    let mut body = format!("{}:{line}:{col} {} {}", loc.file, d.rule.code, d.message);
    if !failure {
        let _ = write!(body, " ({})", d.severity);
    }
    if let Some(pointer) = &d.pointer {
        let _ = write!(body, "\nat: {pointer}");
    }
    if let Some(help) = &d.help {
        let _ = write!(body, "\nhelp: {help}");
    }
    if let Some(note) = &d.note {
        let _ = write!(body, "\nnote: {note}");
    }
    if failure {
        let _ = writeln!(
            xml,
            "      <failure message=\"{}\" type=\"{}\">{}</failure>",
            escape(&d.message),
            d.rule.code,
            escape_text(&body)
        );
    } else {
        let _ = writeln!(xml, "      <system-out>{}</system-out>", escape_text(&body));
    }
    xml.push_str("    </testcase>\n");
}

/// Escapes text for a double-quoted XML 1.0 attribute. Line breaks and tabs become character
/// references, so parsers do not normalise them to spaces.
pub(crate) fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// Escapes text for XML 1.0 element content; line breaks and tabs stay as they are (a `\r`
/// becomes a reference, since parsers would otherwise drop it).
pub(crate) fn escape_text(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// The characters XML 1.0 allows in a document (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::diagnostics::render::test_support::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;

    fn rendered(files: &[(&str, &[u8])], fail_on: Severity) -> String {
        let (loaded, report) = report_of(files);
        let mut out = Vec::new();
        let options = RenderOptions {
            fail_on,
            ..RenderOptions::default()
        };
        render(&report, &loaded.sources, &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    type Element = (String, Vec<(String, String)>, String);

    /// Parses the document and returns (element name, attributes, text) in document order.
    fn parse(xml: &str) -> Vec<Element> {
        let mut reader = Reader::from_str(xml);
        let mut elements: Vec<Element> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        loop {
            let event = reader.read_event().expect("well-formed XML");
            let text = match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("well-formed attribute");
                            let value = a
                                .decoded_and_normalized_value(
                                    quick_xml::XmlVersion::Implicit1_0,
                                    reader.decoder(),
                                )
                                .expect("escaped attribute");
                            let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                            (key, value.into_owned())
                        })
                        .collect();
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    elements.push((name, attrs, String::new()));
                    if matches!(event, Event::Start(_)) {
                        open.push(elements.len() - 1);
                    }
                    continue;
                }
                Event::End(_) => {
                    open.pop().expect("balanced tags");
                    continue;
                }
                Event::Text(t) => t.decode().unwrap().into_owned(),
                Event::GeneralRef(r) => {
                    let entity = format!("&{};", r.decode().unwrap());
                    quick_xml::escape::unescape(&entity).unwrap().into_owned()
                }
                Event::Eof => break,
                _ => continue,
            };
            if let Some(&top) = open.last() {
                elements[top].2.push_str(&text);
            }
        }
        assert!(open.is_empty(), "unclosed elements");
        elements
    }

    fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> &'a str {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no attribute {key}"))
    }

    #[test]
    fn errors_fail_and_warnings_pass_with_output() {
        let xml = rendered(&[("wf.yaml", BROKEN), ("ok.yaml", CLEAN)], Severity::Error);
        let elements = parse(&xml);
        let root = &elements[0];
        assert_eq!(root.0, "testsuites");
        assert_eq!(attr(&root.1, "tests"), "3");
        assert_eq!(attr(&root.1, "failures"), "1");
        let suites: Vec<_> = elements.iter().filter(|e| e.0 == "testsuite").collect();
        assert_eq!(suites.len(), 2);
        assert_eq!(attr(&suites[0].1, "name"), "wf.yaml");
        assert_eq!(attr(&suites[1].1, "name"), "ok.yaml");
        let failures: Vec<_> = elements.iter().filter(|e| e.0 == "failure").collect();
        assert_eq!(failures.len(), 1);
        assert_eq!(attr(&failures[0].1, "type"), "AW001");
        assert!(
            failures[0].2.starts_with("wf.yaml:5:6 AW001"),
            "{}",
            failures[0].2
        );
        let outs: Vec<_> = elements.iter().filter(|e| e.0 == "system-out").collect();
        assert_eq!(outs.len(), 1);
        assert!(outs[0].2.contains("AW003"), "{}", outs[0].2);
    }

    #[test]
    fn warnings_fail_when_the_run_fails_on_them() {
        let xml = rendered(&[("wf.yaml", BROKEN)], Severity::Warning);
        let elements = parse(&xml);
        assert_eq!(attr(&elements[0].1, "failures"), "2");
    }

    #[test]
    fn hostile_text_stays_well_formed() {
        let xml = rendered(HOSTILE, Severity::Info);
        let elements = parse(&xml);
        let names: Vec<&str> = elements
            .iter()
            .filter(|e| e.0 == "testsuite")
            .map(|e| attr(&e.1, "name"))
            .collect();
        assert_eq!(names.len(), HOSTILE.len());
        assert!(names.contains(&"crlf \u{e9}t\u{e9}.yaml"));
        assert!(!xml.contains('\u{1b}'));
    }

    #[test]
    fn escape_replaces_markup_and_forbidden_characters() {
        assert_eq!(
            escape("a<b>&\"c'\n\u{1b}]]>"),
            "a&lt;b&gt;&amp;&quot;c'&#10;\u{FFFD}]]&gt;"
        );
        assert_eq!(escape_text("a\"b'\r\n\t<"), "a\"b'&#13;\n\t&lt;");
    }
}
