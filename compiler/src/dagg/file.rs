//! The DAG file: dagg's YAML input (`name`, `option`, `jobs` with `name`, `command` or
//! `commands`, `dependencies`, `option`), read from Bosun's positioned YAML tree so every field
//! keeps its span, then checked (AG001–AG007).
//!
//! Decoding follows dagg's Go structs as yaml.v2 fills them: scalars read into string fields
//! keep their source text (`retries: 03` is `"03"`), `null` is the empty string, unknown keys
//! are ignored (AG003 warns). Reading never fails: the result is a [`DagFile`] with whatever
//! could be read, plus diagnostics; callers stop when any of them is an error.

use std::collections::HashMap;

use super::rules::{
    conflicting_commands, duplicate_job_name, job_dependency_cycle, missing_dag_field,
    mistyped_dag_field, unknown_dag_field, unknown_dependency,
};
use crate::diagnostics::Diagnostic;
use crate::parse::{Limits, NodeRef, Value, parse_file};
use crate::source::{SourceFile, Span};
use crate::suggest::did_you_mean;

/// A string with the span it was read from (`Span::default()` when it was not read from a file).
#[derive(Clone, Debug, Default)]
pub struct Spanned {
    pub value: String,
    pub span: Span,
}

impl Spanned {
    pub fn new(value: impl Into<String>) -> Self {
        Spanned {
            value: value.into(),
            span: Span::default(),
        }
    }

    fn at(value: impl Into<String>, span: Span) -> Self {
        Spanned {
            value: value.into(),
            span,
        }
    }
}

impl PartialEq for Spanned {
    /// Values compare; spans do not (a reversed DAG file equals the one it came from).
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// One `key: value` of an `option` mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionEntry {
    pub key: Spanned,
    pub value: Spanned,
}

/// An `option` mapping (`map[string]string` in dagg), in source order.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub entries: Vec<OptionEntry>,
    /// The span of the `option` mapping (default when absent).
    pub span: Span,
}

impl Options {
    pub fn get(&self, key: &str) -> Option<&Spanned> {
        self.entries
            .iter()
            .find(|e| e.key.value == key)
            .map(|e| &e.value)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sets `key`, keeping its position when it exists.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = Spanned::new(value);
        match self.entries.iter_mut().find(|e| e.key.value == key) {
            Some(e) => e.value = value,
            None => self.entries.push(OptionEntry {
                key: Spanned::new(key),
                value,
            }),
        }
    }

    /// The entries sorted by key: Go ranges over maps in key order.
    pub fn sorted(&self) -> Vec<&OptionEntry> {
        let mut v: Vec<&OptionEntry> = self.entries.iter().collect();
        v.sort_by(|a, b| a.key.value.cmp(&b.key.value));
        v
    }
}

impl PartialEq for Options {
    /// Maps: order does not matter.
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .all(|e| other.get(&e.key.value) == Some(&e.value))
    }
}

/// One job of a DAG file.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub name: Spanned,
    /// `command`: one shell command line.
    pub command: Option<Spanned>,
    /// `commands`: the container command as a list.
    pub commands: Option<Vec<Spanned>>,
    pub dependencies: Vec<Spanned>,
    pub option: Options,
    /// The job's mapping in the DAG file.
    pub span: Span,
}

impl PartialEq for Job {
    /// Everything but where the job was read from.
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.command == other.command
            && self.commands == other.commands
            && self.dependencies == other.dependencies
            && self.option == other.option
    }
}

/// A whole DAG file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DagFile {
    pub name: Spanned,
    pub option: Options,
    pub jobs: Vec<Job>,
}

impl DagFile {
    /// The job named `name`.
    pub fn job(&self, name: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.name.value == name)
    }
}

const FILE_KEYS: [&str; 3] = ["name", "option", "jobs"];
const JOB_KEYS: [&str; 5] = ["name", "command", "commands", "dependencies", "option"];

/// Reads and checks a DAG file. Diagnostics go to `out` (YAML problems with the loader's codes,
/// DAG-file problems with AG codes).
pub fn read(file: &SourceFile, limits: &Limits, out: &mut Vec<Diagnostic>) -> DagFile {
    let docs = parse_file(file, limits, out);
    let mut docs = docs
        .iter()
        .filter(|d| d.root().is_some_and(|r| !r.is_null()));
    let Some(doc) = docs.next() else {
        if !out.iter().any(|d| d.severity == crate::Severity::Error) {
            out.push(missing_dag_field::diagnostic(
                Span::point(file.id(), 0),
                "the DAG file is empty: `name`",
                "a DAG file has a `name` and a list of `jobs`",
            ));
        }
        return DagFile::default();
    };
    if let Some(extra) = docs.next() {
        out.push(
            mistyped_dag_field::diagnostic(
                Span::point(file.id(), extra.span.start),
                "the DAG file",
                "one YAML document",
                "several",
            )
            .with_label("a second document"),
        );
    }
    let Some(root) = doc.root() else {
        return DagFile::default();
    };
    let mut reader = Reader { file, out };
    let dag = reader.dag(root);
    check(&dag, out);
    dag
}

struct Reader<'a> {
    file: &'a SourceFile,
    out: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn dag(&mut self, root: NodeRef<'_>) -> DagFile {
        let mut dag = DagFile::default();
        if !root.is_map() {
            self.mistyped(root, "the DAG file", "a mapping");
            return dag;
        }
        self.unknown_keys(root, &FILE_KEYS);
        let name_node = root.get("name");
        match name_node.map(|n| (n, self.string(n, "name"))) {
            Some((_, Some(name))) if !name.value.is_empty() => dag.name = name,
            // Mistyped: already reported.
            Some((n, None)) if !n.is_scalar() => {}
            _ => self.out.push(missing_dag_field::diagnostic(
                root.get("name").map_or(head(root), |n| n.span()),
                "the DAG file's `name`",
                "add `name: my-workflow`: it names the generated workflow",
            )),
        }
        if let Some(opt) = root.get("option") {
            dag.option = self.options(opt, "option");
        }
        match root.get("jobs") {
            None => self.out.push(missing_dag_field::diagnostic(
                head(root),
                "`jobs`",
                "add a list of `jobs`, each with a `name` and `commands`",
            )),
            Some(jobs) if jobs.is_null() => self.out.push(missing_dag_field::diagnostic(
                jobs.span(),
                "`jobs`",
                "add a list of `jobs`, each with a `name` and `commands`",
            )),
            Some(jobs) if !jobs.is_seq() => {
                self.mistyped(jobs, "jobs", "a list of jobs");
            }
            Some(jobs) => {
                for item in jobs.items() {
                    if let Some(job) = self.job(item) {
                        dag.jobs.push(job);
                    }
                }
            }
        }
        dag
    }

    fn job(&mut self, node: NodeRef<'_>) -> Option<Job> {
        if !node.is_map() {
            self.mistyped(node, "jobs[]", "a mapping with `name` and `commands`");
            return None;
        }
        self.unknown_keys(node, &JOB_KEYS);
        let mut job = Job {
            span: node.span(),
            ..Job::default()
        };
        match node.get("name").map(|n| (n, self.string(n, "name"))) {
            Some((_, Some(name))) if !name.value.is_empty() => job.name = name,
            Some((n, None)) if !n.is_scalar() => {}
            _ => self.out.push(missing_dag_field::diagnostic(
                node.get("name").map_or(head(node), |n| n.span()),
                "the job's `name`",
                "every job needs a `name`: it becomes the DAG task name",
            )),
        }
        job.command = node
            .get("command")
            .filter(|n| !n.is_null())
            .and_then(|n| self.string(n, "command"));
        job.commands = node
            .get("commands")
            .filter(|n| !n.is_null())
            .and_then(|n| self.strings(n, "commands"));
        job.dependencies = node
            .get("dependencies")
            .filter(|n| !n.is_null())
            .and_then(|n| self.strings(n, "dependencies"))
            .unwrap_or_default();
        if let Some(opt) = node.get("option") {
            job.option = self.options(opt, "option");
        }
        let has_command = node.get("command").is_some_and(|n| !n.is_null());
        let has_commands = node.get("commands").is_some_and(|n| !n.is_null());
        if has_command && has_commands {
            let cmds = node.entry("commands").map_or(job.span, |e| e.key_span);
            let cmd = node.entry("command").map_or(job.span, |e| e.key_span);
            self.out.push(conflicting_commands::diagnostic(cmds, cmd));
        } else if !has_command && !has_commands && !job.name.value.is_empty() {
            self.out.push(missing_dag_field::diagnostic(
                job.name.span,
                &format!("the command of job `{}`", job.name.value),
                "add `commands: [program, arg]` or `command: program arg`",
            ));
        }
        Some(job)
    }

    fn options(&mut self, node: NodeRef<'_>, field: &str) -> Options {
        let mut options = Options {
            span: node.span(),
            ..Options::default()
        };
        if node.is_null() {
            return options;
        }
        if !node.is_map() {
            self.mistyped(node, field, "a mapping of strings");
            return options;
        }
        for (entry, value) in node.entries() {
            let key = Spanned::at(entry.key.to_string(), entry.key_span);
            let path = format!("{field}.{}", entry.key);
            if let Some(value) = self.string(value, &path) {
                options.entries.push(OptionEntry { key, value });
            }
        }
        options
    }

    /// A string field: strings as they are, other scalars as their source text (yaml.v2 into a
    /// Go string), `null` as "".
    fn string(&mut self, node: NodeRef<'_>, field: &str) -> Option<Spanned> {
        match node.value() {
            Value::Str(s) => Some(Spanned::at(s.to_string(), node.span())),
            Value::Null => Some(Spanned::at("", node.span())),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => Some(Spanned::at(
                self.file.slice(node.span()).trim(),
                node.span(),
            )),
            Value::Seq(_) | Value::Map(_) => {
                self.mistyped(node, field, "a string");
                None
            }
        }
    }

    fn strings(&mut self, node: NodeRef<'_>, field: &str) -> Option<Vec<Spanned>> {
        if !node.is_seq() {
            self.mistyped(node, field, "a list of strings");
            return None;
        }
        let item_field = format!("{field}[]");
        Some(
            node.items()
                .filter_map(|item| self.string(item, &item_field))
                .collect(),
        )
    }

    fn mistyped(&mut self, node: NodeRef<'_>, field: &str, expected: &str) {
        let found = match node.value() {
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Str(_) => "a string",
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
        };
        self.out.push(mistyped_dag_field::diagnostic(
            node.span(),
            field,
            expected,
            found,
        ));
    }

    fn unknown_keys(&mut self, node: NodeRef<'_>, known: &[&str]) {
        for (entry, _) in node.entries() {
            if !known.contains(&&*entry.key) {
                let suggestion = did_you_mean(&entry.key, known.iter().copied());
                self.out.push(unknown_dag_field::diagnostic(
                    entry.key_span,
                    &entry.key,
                    suggestion,
                ));
            }
        }
    }
}

/// The first character of a node: where a missing key is reported.
fn head(node: NodeRef<'_>) -> Span {
    let s = node.span();
    Span::new(s.file, s.start, s.start)
}

/// Duplicate names (AG004), unknown dependencies (AG005) and cycles (AG006).
fn check(dag: &DagFile, out: &mut Vec<Diagnostic>) {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, job) in dag.jobs.iter().enumerate() {
        if job.name.value.is_empty() {
            continue;
        }
        if let Some(&first) = index.get(job.name.value.as_str()) {
            out.push(duplicate_job_name::diagnostic(
                job.name.span,
                dag.jobs[first].name.span,
                &job.name.value,
            ));
        } else {
            index.insert(&job.name.value, i);
        }
    }
    // edges[i] = (target job, span of the dependency entry)
    let mut edges: Vec<Vec<(usize, Span)>> = vec![Vec::new(); dag.jobs.len()];
    for (i, job) in dag.jobs.iter().enumerate() {
        for dep in &job.dependencies {
            match index.get(dep.value.as_str()) {
                Some(&t) => edges[i].push((t, dep.span)),
                None => {
                    let names = dag.jobs.iter().map(|j| j.name.value.as_str());
                    out.push(unknown_dependency::diagnostic(
                        dep.span,
                        &dep.value,
                        did_you_mean(&dep.value, names),
                    ));
                }
            }
        }
    }
    for cycle in cycles(&edges) {
        let names: Vec<&str> = cycle
            .iter()
            .map(|&(job, _)| dag.jobs[job].name.value.as_str())
            .collect();
        let spans: Vec<Span> = cycle.iter().map(|&(_, span)| span).collect();
        out.push(job_dependency_cycle::diagnostic(&names, &spans));
    }
}

/// One cycle per strongly connected component that has one (a self-loop counts), as
/// (job, span of its dependency on the next job) in order, starting at the component's first
/// job in the file. Linear in the size of the graph.
fn cycles(edges: &[Vec<(usize, Span)>]) -> Vec<Vec<(usize, Span)>> {
    let mut graph = petgraph::Graph::<(), ()>::new();
    let nodes: Vec<_> = (0..edges.len()).map(|_| graph.add_node(())).collect();
    for (from, targets) in edges.iter().enumerate() {
        for &(to, _) in targets {
            graph.add_edge(nodes[from], nodes[to], ());
        }
    }
    let mut component = vec![usize::MAX; edges.len()];
    let mut found = Vec::new();
    for (id, scc) in petgraph::algo::tarjan_scc(&graph).iter().enumerate() {
        for n in scc {
            component[n.index()] = id;
        }
        let start = scc.iter().map(|n| n.index()).min().unwrap_or(0);
        let cyclic = scc.len() > 1 || edges[start].iter().any(|&(t, _)| t == start);
        if !cyclic {
            continue;
        }
        if let Some(path) = shortest_cycle(edges, start, id, &component) {
            found.push(path);
        }
    }
    found.sort_by_key(|p| p.first().map(|&(j, _)| j));
    found
}

/// Breadth-first search from `start` back to itself inside its component.
fn shortest_cycle(
    edges: &[Vec<(usize, Span)>],
    start: usize,
    id: usize,
    component: &[usize],
) -> Option<Vec<(usize, Span)>> {
    let mut via: HashMap<usize, (usize, Span)> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for &(t, span) in &edges[n] {
            if component[t] != id {
                continue;
            }
            if t == start {
                // Walk back from n to start.
                let mut path = vec![(n, span)];
                let mut cur = n;
                while cur != start {
                    let &(prev, s) = via.get(&cur)?;
                    path.push((prev, s));
                    cur = prev;
                }
                path.reverse();
                return Some(path);
            }
            if t != start && !via.contains_key(&t) {
                via.insert(t, (n, span));
                queue.push_back(t);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn read_text(text: &str) -> (DagFile, Vec<Diagnostic>) {
        let file = SourceFile::new(FileId(0), "dag.yaml", text.to_string());
        let mut out = Vec::new();
        let dag = read(&file, &Limits::default(), &mut out);
        (dag, out)
    }

    fn codes(out: &[Diagnostic]) -> Vec<&'static str> {
        out.iter().map(|d| d.code()).collect()
    }

    #[test]
    fn reads_the_seed_dag_file() {
        let (dag, out) = read_text(
            "name: argo-workflow\noption:\n  team: argo\n  schedule: \"0 20 * * *\"\njobs:\n  - name: a\n    commands: [awesome, command]\n    option:\n      repo: ms\n  - name: b\n    command: run it\n    dependencies: [a]\n    option: {repo: ms, retries: 03}\n",
        );
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(dag.name.value, "argo-workflow");
        assert_eq!(dag.option.get("schedule").unwrap().value, "0 20 * * *");
        assert_eq!(dag.jobs.len(), 2);
        assert_eq!(dag.jobs[0].commands.as_ref().unwrap()[1].value, "command");
        assert_eq!(dag.jobs[1].command.as_ref().unwrap().value, "run it");
        assert_eq!(dag.jobs[1].dependencies[0].value, "a");
        // yaml.v2 reads a number into a string field as written.
        assert_eq!(dag.jobs[1].option.get("retries").unwrap().value, "03");
    }

    #[test]
    fn reports_cycles_with_their_path() {
        let (_, out) = read_text(
            "name: x\njobs:\n- {name: a, commands: [x], dependencies: [c]}\n- {name: b, commands: [x], dependencies: [a]}\n- {name: c, commands: [x], dependencies: [b]}\n- {name: d, commands: [x], dependencies: [d]}\n",
        );
        assert_eq!(codes(&out), ["AG006", "AG006"]);
        assert_eq!(out[0].message, "dependency cycle: a → c → b → a");
        assert_eq!(out[0].secondary.len(), 2);
        assert_eq!(out[1].message, "dependency cycle: d → d");
    }

    #[test]
    fn reports_unknown_dependencies_duplicates_and_missing_fields() {
        let (_, out) = read_text(
            "name: x\njobs:\n- {name: extract, commands: [x]}\n- {name: load, commands: [x], dependencies: [extarct]}\n- {name: load, command: y, commands: [z]}\n- {name: bare}\n- {commands: [q], dependency: [load]}\n",
        );
        let mut got = codes(&out);
        got.sort();
        assert_eq!(
            got,
            ["AG001", "AG001", "AG003", "AG004", "AG005", "AG007"],
            "{out:#?}"
        );
        let unknown = out.iter().find(|d| d.code() == "AG005").unwrap();
        assert_eq!(unknown.help.as_deref(), Some("did you mean `extract`?"));
        let typo = out.iter().find(|d| d.code() == "AG003").unwrap();
        assert_eq!(typo.help.as_deref(), Some("did you mean `dependencies`?"));
    }

    #[test]
    fn reports_wrong_types() {
        let (_, out) = read_text(
            "name: [x]\noption: [a]\njobs:\n- name: a\n  commands: run\n  dependencies: {b: c}\n  option: {repo: {x: y}}\n- 3\n",
        );
        let got = codes(&out);
        assert_eq!(got.iter().filter(|c| **c == "AG002").count(), 6, "{out:#?}");
        assert!(
            !got.contains(&"AG001"),
            "a mistyped name is not also missing: {out:#?}"
        );
        let (_, out) = read_text("- a\n- b\n");
        assert_eq!(codes(&out), ["AG002"]);
        let (_, out) = read_text("");
        assert_eq!(codes(&out), ["AG001"]);
        let (_, out) = read_text("name: x\njobs: [}\n");
        assert_eq!(codes(&out), ["AW001"]);
    }
}
