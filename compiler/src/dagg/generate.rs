//! `bosun gen`: DAG file → manifest → lint, with the manifest's problems reported on the DAG
//! file lines they came from.
//!
//! The manifest comes from a Go template ([`Mode::Template`], dagg's way) or from Bosun's own
//! compiler ([`Mode::Compile`]). Either way the output records, for every value printed from the
//! DAG file, which output bytes it produced ([`Output::origins`]). After the lint run, a
//! diagnostic in the generated text is moved to the DAG file when the offending node, or the
//! nearest list item around it (the DAG task, the template, the container argument), contains
//! such a value; the generated position stays as a secondary label. Workflows embedded in a
//! ConfigMap (the seed's ConfigMap + CronJob pattern) are linted too, and mapped back through
//! their block scalar.

use std::ops::Range;

use super::compile::{self, CompileOptions};
use super::file::{self, DagFile};
use super::rules::missing_template_value;
use super::template::{self, Output, Template, dag_data};
use crate::config::LintSettings;
use crate::diagnostics::{Diagnostic, Label, Severity};
use crate::lint::{Report, lint};
use crate::load::Loaded;
use crate::parse::{Document, parse_file};
use crate::source::{FileId, SourceFile, Span};

/// How the manifest is produced.
#[derive(Clone, Debug)]
pub enum Mode {
    /// Render a Go template (its display name and text), as dagg does.
    Template { name: String, text: String },
    /// Bosun's own compilation to a modern manifest.
    Compile(CompileOptions),
}

/// One `bosun gen` run.
#[derive(Clone, Debug)]
pub struct Request {
    /// Display name and text of the DAG file.
    pub dag_name: String,
    pub dag_text: String,
    pub mode: Mode,
    /// Display name of the generated manifest in diagnostics (the `-o` path, or `<generated>`).
    pub output_name: String,
    pub lint: LintSettings,
    pub template_limits: template::Limits,
}

/// The outcome: every source (for rendering), the manifest when one was produced, and the
/// diagnostics (DAG-file and template problems, then the manifest's, mapped back).
#[derive(Debug)]
pub struct Generated {
    pub loaded: Loaded,
    pub manifest: Option<String>,
    pub report: Report,
    pub dag: Option<DagFile>,
    /// Diagnostics moved from the generated manifest to the DAG file.
    pub mapped: usize,
}

/// A manifest embedded in a ConfigMap of the output, linted as its own source.
struct Embedded {
    file: FileId,
    /// The output line (1-based) of the first content line, and the block's indentation; `None`
    /// when the value is not a literal block scalar (no position mapping).
    block: Option<(u32, usize)>,
}

/// Runs the whole pipeline. Never fails: problems are diagnostics.
pub fn generate(req: Request) -> Generated {
    let mut loaded = Loaded::default();
    let dag_id = loaded.add_text(req.dag_name.clone(), req.dag_text.clone());
    let template_id = match &req.mode {
        Mode::Template { name, text } => Some(loaded.add_text(name.clone(), text.clone())),
        Mode::Compile(_) => None,
    };
    // Inputs are shown in excerpts but are not manifests: never parsed or reported by lint.
    for id in std::iter::once(dag_id).chain(template_id) {
        loaded.library.push(id);
        loaded.unparsable.push(id);
    }
    let mut diags = Vec::new();
    let dag = match loaded.sources.get(dag_id) {
        Some(f) => file::read(f, &req.lint.limits, &mut diags),
        None => DagFile::default(),
    };
    if let Mode::Compile(options) = &req.mode {
        compile::check(&dag, options, &mut diags);
    }
    let output = if has_errors(&diags, &req.lint) {
        None
    } else {
        match (&req.mode, template_id.and_then(|id| loaded.sources.get(id))) {
            (Mode::Template { .. }, Some(tfile)) => {
                render(tfile, &dag, &req.template_limits, &mut diags)
            }
            (Mode::Compile(options), _) => Some(compile::compile(&dag, options)),
            _ => None,
        }
    };
    let Some(output) = output else {
        let report = finish(Report::default(), diags, &req.lint);
        return Generated {
            loaded,
            manifest: None,
            report,
            dag: Some(dag),
            mapped: 0,
        };
    };
    let gen_id = loaded.add_text(req.output_name.clone(), output.text.clone());
    let embedded = add_embedded(&mut loaded, gen_id, &req);
    let mut report = lint(&loaded, &req.lint);
    // Other kinds in the output (a ConfigMap, the CronJob that submits the workflow) are the
    // template's business.
    report.diagnostics.retain(|d| d.rule.code != "AW009");
    let mapper = Mapper {
        loaded: &loaded,
        gen_id,
        output: &output,
        embedded: &embedded,
        docs: loaded
            .sources
            .get(gen_id)
            .map(|f| parse_file(f, &req.lint.limits, &mut Vec::new()))
            .unwrap_or_default(),
    };
    let mut mapped = 0;
    let lint_diags = std::mem::take(&mut report.diagnostics);
    for d in lint_diags {
        let m = mapper.map(d);
        mapped += usize::from(m.primary.span.file == dag_id);
        diags.push(m);
    }
    let report = finish(report, diags, &req.lint);
    Generated {
        loaded,
        manifest: Some(output.text),
        report,
        dag: Some(dag),
        mapped,
    }
}

fn has_errors(diags: &[Diagnostic], settings: &LintSettings) -> bool {
    diags.iter().any(|d| {
        settings.rules.is_enabled(d.rule)
            && settings.rules.severity_of(d.rule, d.severity) == Severity::Error
    })
}

/// Applies rule selection and severity overrides to the DAG-file diagnostics too.
fn finish(mut report: Report, diags: Vec<Diagnostic>, settings: &LintSettings) -> Report {
    report.diagnostics = diags
        .into_iter()
        .filter(|d| settings.rules.is_enabled(d.rule))
        .map(|mut d| {
            d.severity = settings.rules.severity_of(d.rule, d.severity);
            d
        })
        .collect();
    report
}

fn render(
    tfile: &SourceFile,
    dag: &DagFile,
    limits: &template::Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<Output> {
    let result = Template::parse(tfile, limits).and_then(|t| t.execute(tfile, &dag_data(dag)));
    match result {
        Ok(out) => {
            // One warning per action that printed `<no value>`, at its first occurrence.
            let mut seen: Vec<(Range<usize>, usize, Option<Span>)> = Vec::new();
            for (r, job) in &out.missing {
                match seen.iter_mut().find(|(s, _, _)| s == r) {
                    Some((_, n, _)) => *n += 1,
                    None => seen.push((r.clone(), 1, *job)),
                }
            }
            for (r, n, job) in seen {
                let span = Span::new(tfile.id(), r.start as u32, r.end as u32);
                diags.push(missing_template_value::diagnostic(span, n, job));
            }
            Some(out)
        }
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}

/// Adds every Argo manifest held in a ConfigMap's `data` as a source of its own.
fn add_embedded(loaded: &mut Loaded, gen_id: FileId, req: &Request) -> Vec<Embedded> {
    let Some(out_file) = loaded.sources.get(gen_id) else {
        return Vec::new();
    };
    let docs = parse_file(out_file, &req.lint.limits, &mut Vec::new());
    // (source name, text, block position)
    type Found = (String, String, Option<(u32, usize)>);
    let mut found: Vec<Found> = Vec::new();
    for doc in &docs {
        let Some(root) = doc.root() else { continue };
        if root.get("kind").and_then(|k| k.as_str()) != Some("ConfigMap") {
            continue;
        }
        let Some(data) = root.get("data") else {
            continue;
        };
        for (entry, value) in data.entries() {
            let Some(text) = value.as_str() else { continue };
            if !(text.contains("argoproj.io/") && text.contains("kind:")) {
                continue;
            }
            let name = format!("{}#data/{}", req.output_name, entry.key);
            found.push((
                name,
                text.to_string(),
                block_position(out_file, value.span()),
            ));
        }
    }
    found
        .into_iter()
        .map(|(name, text, block)| Embedded {
            file: loaded.add_text(name, text),
            block,
        })
        .collect()
}

/// For a literal block scalar (`|`, `|-`, `|+`) whose content starts at `span` (the parser's span
/// of a block scalar begins at its first content character): the first content line and the
/// block's indentation.
fn block_position(file: &SourceFile, span: Span) -> Option<(u32, usize)> {
    let start = file.line_col(span.start);
    if start.line < 2 {
        return None;
    }
    let header = file.line_text(start.line - 1).trim_end();
    let indicator = header.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    if !indicator.ends_with('|') {
        return None;
    }
    Some((start.line, start.col as usize - 1))
}

struct Mapper<'a> {
    loaded: &'a Loaded,
    gen_id: FileId,
    output: &'a Output,
    embedded: &'a [Embedded],
    docs: Vec<Document>,
}

impl Mapper<'_> {
    /// The output byte range of a span in the generated file or an embedded manifest.
    fn to_output(&self, span: Span) -> Option<Range<usize>> {
        if span.file == self.gen_id {
            return Some(span.start as usize..span.end as usize);
        }
        let e = self.embedded.iter().find(|e| e.file == span.file)?;
        let (first_line, indent) = e.block?;
        let inner = self.loaded.sources.get(e.file)?;
        let out_file = self.loaded.sources.get(self.gen_id)?;
        let at = |offset: u32| {
            let lc = inner.line_col(offset);
            out_file.offset_of(
                (first_line + lc.line - 1) as usize,
                indent + lc.col as usize - 1,
            ) as usize
        };
        Some(at(span.start)..at(span.end))
    }

    /// The first DAG-file value printed inside `range` of the output (origins are in output
    /// order and do not overlap, so this is a binary search).
    fn origin_in(&self, range: &Range<usize>) -> Option<Span> {
        let origins = &self.output.origins;
        let i = origins.partition_point(|(r, _)| r.end <= range.start);
        let (r, span) = origins.get(i)?;
        let hit = if range.is_empty() {
            r.start <= range.start
        } else {
            r.start < range.end
        };
        hit.then_some(*span)
    }

    /// The output range of the nearest list item around the diagnostic's node.
    fn enclosing_item(&self, d: &Diagnostic) -> Option<Range<usize>> {
        if d.primary.span.file != self.gen_id {
            return None;
        }
        let doc = self.docs.iter().find(|doc| Some(doc.index) == d.document)?;
        let mut node = doc.tree.lookup(d.pointer.as_deref()?)?;
        loop {
            if node.index_in_parent().is_some() {
                let s = node.span();
                return Some(s.start as usize..s.end as usize);
            }
            node = node.parent()?;
        }
    }

    fn map(&self, d: Diagnostic) -> Diagnostic {
        let Some(range) = self.to_output(d.primary.span) else {
            return d;
        };
        let origin = self
            .origin_in(&range)
            .or_else(|| self.enclosing_item(&d).and_then(|r| self.origin_in(&r)));
        let Some(origin) = origin else {
            return d;
        };
        // Point at the generated file itself (its lines are `-o FILE`'s), also for a workflow
        // embedded in a ConfigMap.
        let in_output = Span::new(self.gen_id, range.start as u32, range.end as u32);
        let embedded_in = (d.primary.span.file != self.gen_id)
            .then(|| self.loaded.sources.get(d.primary.span.file))
            .flatten()
            .map(|f| format!(" of {}", f.name()))
            .unwrap_or_default();
        let generated = Label {
            span: in_output,
            message: Some(match &d.primary.message {
                Some(m) => format!("in the generated manifest: {m}"),
                None => "in the generated manifest".to_string(),
            }),
        };
        let note = match (&d.pointer, &d.note) {
            (Some(p), Some(n)) if !p.is_empty() => format!("generated at {p}{embedded_in}; {n}"),
            (Some(p), None) if !p.is_empty() => format!("generated at {p}{embedded_in}"),
            (_, n) => n.clone().unwrap_or_default(),
        };
        let mut secondary = vec![generated];
        secondary.extend(d.secondary);
        Diagnostic {
            primary: Label::with_message(origin, "the generated manifest got this value"),
            secondary,
            pointer: None,
            document: Some(0),
            note: (!note.is_empty()).then_some(note),
            ..d
        }
    }
}
