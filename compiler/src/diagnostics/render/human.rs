//! The human renderer: rustc-style diagnostics with the source line and carets.
//!
//! ```text
//! error[AW101]: unknown field `dependancies`
//!   --> wf.yaml:12:9
//!    |
//! 12 |         dependancies: [a]
//!    |         ^^^^^^^^^^^^ not a field of DAGTask
//!    |
//!    = at: /spec/templates/0/dag/tasks/1/dependancies
//!    = help: did you mean `dependencies`?
//! ```
//!
//! Colours are plain ANSI sequences, used only when the caller asks (a TTY without `NO_COLOR`).
//! Columns account for tabs and East Asian wide characters so carets line up under the text.

use std::io::{self, Write};

use crate::diagnostics::{Diagnostic, Label, Severity};
use crate::source::{SourceFile, SourceMap};

/// Options of the human renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct HumanOptions {
    pub color: bool,
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn severity(&self, s: Severity) -> &'static str {
        match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        }
    }
}

const BLUE: &str = "1;34";
const BOLD: &str = "1";

/// Renders every diagnostic, separated by blank lines.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    for d in diagnostics {
        render_one(d, sources, options, out)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Renders one diagnostic.
pub fn render_one(
    d: &Diagnostic,
    sources: &SourceMap,
    options: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let st = Style { on: options.color };
    let sev = d.severity;
    writeln!(
        out,
        "{}{}",
        st.paint(
            st.severity(sev),
            &format!("{}[{}]", sev.as_str(), d.rule.code)
        ),
        st.paint(BOLD, &format!(": {}", d.message)),
    )?;
    let Some(file) = sources.get(d.primary.span.file) else {
        return footer(d, 0, &st, out);
    };
    if file.text().is_empty() {
        writeln!(out, " {} {}", st.paint(BLUE, "-->"), file.name())?;
        return footer(d, 0, &st, out);
    }
    let mut labels: Vec<(&Label, bool)> = vec![(&d.primary, true)];
    labels.extend(
        d.secondary
            .iter()
            .filter(|l| l.span.file == file.id())
            .map(|l| (l, false)),
    );
    let lines: Vec<u32> = labels
        .iter()
        .map(|(l, _)| file.line_col(l.span.start).line)
        .collect();
    let gutter = lines.iter().max().copied().unwrap_or(1).to_string().len();
    let pad = " ".repeat(gutter);
    let pos = file.line_col(d.primary.span.start);
    writeln!(
        out,
        "{pad}{} {}:{}",
        st.paint(BLUE, "-->"),
        file.name(),
        pos
    )?;
    writeln!(out, "{pad} {}", st.paint(BLUE, "|"))?;

    // Labels sorted by line; labels on the same line are drawn under one copy of it.
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| (lines[i], labels[i].0.span.start));
    let mut prev_line: Option<u32> = None;
    let mut shift = 0usize;
    for i in order {
        let (label, primary) = labels[i];
        let line = lines[i];
        let (start_col, width) = underline(file, label, line);
        if prev_line != Some(line) {
            if prev_line.is_some_and(|p| line > p + 1) {
                writeln!(out, "{}", st.paint(BLUE, "..."))?;
            }
            let (shown, skipped) = window(file.line_text(line), start_col);
            shift = skipped;
            writeln!(
                out,
                "{} {}",
                st.paint(BLUE, &format!("{line:>gutter$} |")),
                shown
            )?;
        }
        prev_line = Some(line);
        let start_col = start_col.saturating_sub(shift);
        let width = width.min(MAX_WIDTH.saturating_sub(start_col).max(1));
        let mark = if primary { "^" } else { "-" };
        let color = if primary { st.severity(sev) } else { BLUE };
        let mut under = " ".repeat(start_col);
        under.push_str(&mark.repeat(width.max(1)));
        if let Some(msg) = &label.message {
            under.push(' ');
            under.push_str(msg);
        }
        writeln!(
            out,
            "{pad} {} {}",
            st.paint(BLUE, "|"),
            st.paint(color, &under)
        )?;
    }
    for l in d.secondary.iter().filter(|l| l.span.file != file.id()) {
        if let Some(f) = sources.get(l.span.file) {
            let msg = l.message.as_deref().unwrap_or("");
            writeln!(
                out,
                "{pad} {} {}:{}: {msg}",
                st.paint(BLUE, ":::"),
                f.name(),
                f.line_col(l.span.start)
            )?;
        }
    }
    writeln!(out, "{pad} {}", st.paint(BLUE, "|"))?;
    footer(d, gutter, &st, out)
}

fn footer(d: &Diagnostic, gutter: usize, st: &Style, out: &mut dyn Write) -> io::Result<()> {
    let pad = " ".repeat(gutter);
    let eq = st.paint(BLUE, "=");
    if let Some(p) = d.pointer.as_deref().filter(|p| !p.is_empty()) {
        writeln!(out, "{pad} {eq} at: {p}")?;
    }
    if let Some(n) = &d.note {
        writeln!(out, "{pad} {eq} {}: {n}", st.paint(BOLD, "note"))?;
    }
    if let Some(h) = &d.help {
        writeln!(out, "{pad} {eq} {}: {h}", st.paint(BOLD, "help"))?;
    }
    Ok(())
}

/// Display column and width of a label's underline on `line` (only the first line of a
/// multi-line span is underlined).
fn underline(file: &SourceFile, label: &Label, line: u32) -> (usize, usize) {
    let text = file.line_text(line);
    let line_start = file.offset_of(line as usize, 0) as usize;
    let start = (label.span.start as usize)
        .saturating_sub(line_start)
        .min(text.len());
    let end = (label.span.end as usize)
        .saturating_sub(line_start)
        .clamp(start, text.len());
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, end);
    let col = display_width(&text[..start]);
    let width = display_width(&text[start..end]);
    (col, width)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Longest source excerpt shown, in display columns.
const MAX_WIDTH: usize = 120;

/// The part of a long line around display column `focus`, with `...` where text was cut, and how
/// many display columns the excerpt shifts the line to the left.
fn window(text: &str, focus: usize) -> (String, usize) {
    let text = text.replace('\t', "    ");
    if display_width(&text) <= MAX_WIDTH {
        return (text, 0);
    }
    let start = focus.saturating_sub(MAX_WIDTH / 3);
    let mut shown = String::new();
    let mut col = 0usize;
    let mut first_shown = None;
    for c in text.chars() {
        let w = char_width(c);
        if col >= start {
            if col + w > start + MAX_WIDTH - 6 {
                shown.push_str("...");
                break;
            }
            first_shown.get_or_insert(col);
            shown.push(c);
        }
        col += w;
    }
    match first_shown {
        Some(first) if first > 0 => (format!("...{shown}"), first.saturating_sub(3)),
        _ => (shown, 0),
    }
}

fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Terminal width of a character: tabs are drawn as four spaces, East Asian wide and fullwidth
/// characters take two columns, combining marks none.
fn char_width(c: char) -> usize {
    let cp = c as u32;
    match cp {
        0x09 => 4,
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LintSettings;
    use crate::config::RuleSelection;
    use crate::lint::lint_text;

    fn rendered(text: &str) -> String {
        let settings = LintSettings {
            rules: RuleSelection::only(&["AW00"]),
            ..LintSettings::default()
        };
        let (loaded, report) = lint_text("t.yaml", text, &settings);
        let mut out = Vec::new();
        render(
            &report.diagnostics,
            &loaded.sources,
            &HumanOptions::default(),
            &mut out,
        )
        .expect("render to memory");
        String::from_utf8(out).expect("utf-8 output")
    }

    #[test]
    fn shows_the_line_carets_and_secondary_label() {
        let out = rendered("a: 1\nb: 2\na: 3\n");
        assert_eq!(
            out,
            "warning[AW003]: key `a` is defined twice in this mapping\n \
             --> t.yaml:3:1\n  |\n1 | a: 1\n  | - first defined here, then ignored\n\
             ...\n3 | a: 3\n  | ^ this value wins\n  |\n  = help: remove one of the two definitions\n\n"
        );
    }

    #[test]
    fn wide_characters_shift_the_carets() {
        let out = rendered("説明: x\n説明: y\n");
        assert!(
            out.contains("2 | 説明: y\n  | ^^^^ this value wins"),
            "{out}"
        );
    }

    #[test]
    fn spans_at_end_of_file_render() {
        let out = rendered("a: [1, 2");
        assert!(out.starts_with("error[AW001]: YAML syntax error"), "{out}");
        assert!(out.contains("--> t.yaml:1:"), "{out}");
    }

    #[test]
    fn colour_is_only_used_on_request() {
        let (loaded, report) = lint_text("t.yaml", "a: 1\na: 2\n", &LintSettings::default());
        let mut out = Vec::new();
        render(
            &report.diagnostics,
            &loaded.sources,
            &HumanOptions { color: true },
            &mut out,
        )
        .expect("render");
        assert!(String::from_utf8_lossy(&out).contains("\x1b[1;33mwarning[AW003]"));
    }
}
