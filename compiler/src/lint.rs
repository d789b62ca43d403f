//! The lint pipeline: loaded sources → parsed documents → recognised objects → checks →
//! filtered, sorted diagnostics.
//!
//! Every file is parsed before any check runs, so checks that need the whole run (template
//! references across files) see every document. Each document is parsed once and each check runs
//! once per object. Between classification and the checks, the [`Registry`] indexes every
//! (Cluster)WorkflowTemplate of the run, library files included; [`lint_with`] also takes an
//! external [`Resolver`] (the webhook's cluster cache) for templates outside the run.

use std::time::{Duration, Instant};

use crate::checks::{CHECKS, CheckContext};
use crate::config::LintSettings;
use crate::diagnostics::{Counts, Diagnostic};
use crate::load::Loaded;
use crate::model::{Classified, Object, classify};
use crate::parse::{Document, parse_file};
use crate::resolve::{NoResolver, Origin, RefStats, Registry, Resolver};
use crate::source::SourceMap;

/// The outcome of a lint run.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by file, position, then code.
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    /// Every non-empty YAML document read.
    pub documents: usize,
    /// Documents recognised as Argo objects and checked.
    pub objects: usize,
    /// Template-reference resolution work (see [`RefStats`]).
    pub refs: RefStats,
    pub elapsed: Duration,
}

impl Report {
    pub fn counts(&self) -> Counts {
        Counts::of(&self.diagnostics)
    }
}

/// Lints everything that was loaded; references resolve within the run only.
pub fn lint(loaded: &Loaded, settings: &LintSettings) -> Report {
    lint_with(loaded, settings, &NoResolver)
}

/// Lints everything that was loaded; references not found in the run go to `external`.
pub fn lint_with(loaded: &Loaded, settings: &LintSettings, external: &dyn Resolver) -> Report {
    let started = Instant::now();
    let mut diagnostics = loaded.diagnostics.clone();
    let docs = parse_all(&loaded.sources, loaded, settings, &mut diagnostics);
    let is_library = |file| loaded.library.contains(&file);
    diagnostics.retain(|d| !is_library(d.primary.span.file));
    let mut report = Report {
        files: loaded.sources.len() - loaded.library.len(),
        ..Report::default()
    };

    let mut objects: Vec<Object<'_>> = Vec::new();
    let mut library: Vec<Object<'_>> = Vec::new();
    for doc in &docs {
        if is_library(doc.file) {
            if let Classified::Argo(obj) = classify(doc) {
                library.push(obj);
            }
            continue;
        }
        match classify(doc) {
            Classified::Empty => continue,
            Classified::Argo(obj) => objects.push(obj),
            Classified::Skipped(d) => diagnostics.push(d),
        }
        report.documents += 1;
    }
    report.objects = objects.len();

    let indexed = objects
        .iter()
        .map(|o| (*o, Origin::Run))
        .chain(library.iter().map(|o| (*o, Origin::Library)))
        .collect();
    let registry = Registry::new(indexed, &settings.refs, external);
    let ctx = CheckContext {
        sources: &loaded.sources,
        settings,
        refs: &registry,
    };
    let exempt = |o: &Object<'_>| {
        let own = o.namespace();
        settings.is_exempt(settings.refs.namespace_of(own))
    };
    for obj in objects.iter().filter(|o| !exempt(o)) {
        for check in CHECKS {
            if !check.rules.iter().any(|r| settings.rules.is_enabled(r)) {
                continue;
            }
            let start = diagnostics.len();
            (check.run)(&ctx, obj, &mut diagnostics);
            for d in &mut diagnostics[start..] {
                d.document.get_or_insert(obj.doc.index);
            }
        }
    }

    report.refs = registry.stats();

    diagnostics.retain(|d| settings.rules.is_enabled(d.rule));
    for d in &mut diagnostics {
        d.severity = settings.rules.severity_of(d.rule, d.severity);
    }
    diagnostics.sort_by(|a, b| {
        (
            a.primary.span.file,
            a.primary.span.start,
            a.rule.code,
            &a.message,
        )
            .cmp(&(
                b.primary.span.file,
                b.primary.span.start,
                b.rule.code,
                &b.message,
            ))
    });
    diagnostics.dedup();
    report.diagnostics = diagnostics;
    report.elapsed = started.elapsed();
    report
}

/// Convenience for the library and tests: lints one in-memory text.
pub fn lint_text(name: &str, text: &str, settings: &LintSettings) -> (Loaded, Report) {
    let mut loaded = Loaded::default();
    loaded.add_text(name, text.to_string());
    let report = lint(&loaded, settings);
    (loaded, report)
}

fn parse_all(
    sources: &SourceMap,
    loaded: &Loaded,
    settings: &LintSettings,
    out: &mut Vec<Diagnostic>,
) -> Vec<Document> {
    let mut docs = Vec::new();
    for file in sources.files() {
        if loaded.unparsable.contains(&file.id()) {
            continue;
        }
        docs.extend(parse_file(file, &settings.limits, out));
    }
    docs
}
