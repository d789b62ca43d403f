//! Go `text/template`, the part dagg templates use, implemented from Go's documented semantics.
//!
//! Supported: text and actions with `{{-`/`-}}` trimming and `{{/* comments */}}`; pipelines
//! with `|`; `.Field` chains on dot, variables and parenthesized pipelines; variables
//! (`$x := …`, `$x = …`, `$i, $e := range …`, `$`); `if`/`else if`/`else`, `with`/`else with`,
//! `range`/`else` with `break` and `continue`; string, raw string, character, integer, float,
//! boolean and `nil` literals; Go's builtin functions (`and`, `or`, `not`, `len`, `index`,
//! `slice`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `print`, `printf`, `println`, `html`, `js`,
//! `urlquery`, `call`). Truth, missing map keys (`<no value>`), comparison rules and error
//! messages follow Go. Not supported: `define`, `template`, `block` (one file is one template)
//! and functions other than the builtins (`join` and sprig are not part of Go's template
//! package), which are parse errors with a hint.
//!
//! Bounded: nesting depth (parse), steps and output size (execution), so no template or data
//! makes generation hang, overflow the stack or exhaust memory. Output records where each
//! printed DAG-file value landed ([`Output::origins`]).

mod exec;
mod funcs;
mod lex;
mod parse;
mod printf;
pub mod value;

use std::ops::Range;

pub use value::{Val, Value, dag_data};

use super::rules::{template_execution_error, template_syntax_error};
use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span};

/// Budgets of one template run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of control structures and parentheses.
    pub max_depth: usize,
    /// Most nodes and commands evaluated.
    pub max_steps: u64,
    /// Largest output, in bytes.
    pub max_output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 100,
            max_steps: 2_000_000,
            max_output: 16 << 20,
        }
    }
}

/// A rendered template: the text, and for each printed value read from the DAG file, the output
/// range it produced and the DAG-file span it came from (in output order).
#[derive(Clone, Debug, Default)]
pub struct Output {
    pub text: String,
    pub origins: Vec<(Range<usize>, Span)>,
    /// Template actions that printed `<no value>`: the action's range in the template, and the
    /// origin of dot at that moment (the job being rendered), in execution order.
    pub missing: Vec<(Range<usize>, Option<Span>)>,
}

impl Output {
    /// The DAG-file span of the printed value covering output offset `offset`, if any.
    pub fn origin_at(&self, offset: usize) -> Option<Span> {
        let i = self.origins.partition_point(|(r, _)| r.end <= offset);
        self.origins
            .get(i)
            .filter(|(r, _)| r.start <= offset && offset < r.end)
            .map(|(_, s)| *s)
    }
}

/// An execution error in template coordinates.
#[derive(Debug)]
pub(crate) struct ExecError {
    pub message: String,
    pub range: Range<usize>,
}

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    nodes: Vec<parse::Node>,
    limits: Limits,
}

fn span_in(file: &SourceFile, r: &Range<usize>) -> Span {
    let len = file.text().len();
    let start = r.start.min(len);
    let end = r.end.clamp(start, len);
    Span::new(file.id(), start as u32, end as u32)
}

impl Template {
    /// Parses `file`; a syntax error is an AG008 diagnostic at its position.
    pub fn parse(file: &SourceFile, limits: &Limits) -> Result<Template, Box<Diagnostic>> {
        let items = lex::lex(file.text()).map_err(|e| {
            Box::new(template_syntax_error::diagnostic(
                span_in(file, &e.range),
                &e.message,
                None,
            ))
        })?;
        let nodes = parse::parse(items, limits.max_depth).map_err(|e| {
            Box::new(template_syntax_error::diagnostic(
                span_in(file, &e.range),
                &e.message,
                e.help.as_deref(),
            ))
        })?;
        Ok(Template {
            nodes,
            limits: limits.clone(),
        })
    }

    /// Runs the template over `data`; an error is an AG009 diagnostic at the failing action.
    pub fn execute(&self, file: &SourceFile, data: &Val) -> Result<Output, Box<Diagnostic>> {
        exec::execute(file.text(), &self.nodes, data, &self.limits).map_err(|e| {
            let at = file.text().get(e.range.clone()).unwrap_or("").trim();
            let at = at
                .trim_start_matches("{{")
                .trim_end_matches("}}")
                .trim_matches(|c: char| c == '-' || c.is_whitespace());
            let message = if at.is_empty() || at.len() > 60 {
                e.message
            } else {
                format!("executing at <{at}>: {}", e.message)
            };
            Box::new(template_execution_error::diagnostic(
                span_in(file, &e.range),
                &message,
            ))
        })
    }
}

/// Parses and runs `text` (named `name`) over `data`, returning the output or the diagnostic's
/// message. For tests and the library.
pub fn render_str(text: &str, data: &Val) -> Result<String, String> {
    let file = SourceFile::new(crate::source::FileId(0), "template", text.to_string());
    let t = Template::parse(&file, &Limits::default()).map_err(|d| d.message)?;
    t.execute(&file, data)
        .map(|o| o.text)
        .map_err(|d| d.message)
}

#[cfg(test)]
mod tests;
