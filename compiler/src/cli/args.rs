//! The command line as typed values (clap derive), and their resolution into [`LintSettings`].
//!
//! Parsing only checks syntax (a flag's value is a number, a level, a format); meaning is checked
//! by [`LintArgs::settings`], which runs before any file is read so that a typo in `--select`
//! fails fast. Nothing here does I/O.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::checks::all_rules;
use crate::config::{LintSettings, RefSettings, RuleSelection};
use crate::diagnostics::Severity;
use crate::diagnostics::render::Format;
use crate::error::Error;
use crate::load::Input;
use crate::parse::Limits;
use crate::suggest::did_you_mean;

/// Bosun: a type-checker for Argo Workflows manifests.
#[derive(Debug, Parser)]
#[command(
    name = "bosun",
    version,
    about = "Bosun: a type-checker for Argo Workflows manifests",
    max_term_width = 100
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests and report problems.
    ///
    /// Exits with 0 when no errors were found, 1 when errors were found (or warnings, with
    /// `--deny-warnings`), and 2 when Bosun could not run.
    Lint(Box<LintArgs>),
    /// Print the documentation of a rule.
    Explain(ExplainArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Evaluate a field value with tags, an expression, a `when` condition or a `depends`
    /// expression, as Argo would, with the given variables.
    ///
    /// Prints the result, or the error with its position (exit 1).
    Eval(EvalArgs),
    /// Generate a manifest from a dagg DAG file (with a Go template, or Bosun's own compiler)
    /// and check it; problems in the manifest are reported on the DAG file's lines.
    ///
    /// Exits with 0 when clean, 1 when errors were found, and 2 when Bosun could not run.
    Gen(Box<super::r#gen::GenArgs>),
    /// Recover a dagg DAG file from a DAG-shaped Workflow, WorkflowTemplate or CronWorkflow
    /// (the inverse of `bosun gen` without a template).
    ///
    /// Exits with 0 when recovered, 1 when the manifest cannot be expressed as a DAG file, and
    /// 2 when Bosun could not run.
    Reverse(super::reverse::ReverseArgs),
    /// Show the Prometheus series a manifest's metrics would emit for a sample run.
    ///
    /// Every `metrics.prometheus` entry (workflow-level and per template) is evaluated as Argo
    /// does when the workflow or node completes: tags in name, help, labels, `when` and value
    /// must resolve, `when` must hold, the value must be a number. Exits 1 when a metric would
    /// fail to emit.
    Metrics(MetricsArgs),
    /// Draw the DAG or steps structure of a workflow before it runs, as DOT, Mermaid or SVG.
    ///
    /// Draws the entrypoint (or `--template`) of the first Workflow or CronWorkflow of the first
    /// file (else its first Argo object), with nested DAG and steps templates as frames,
    /// `templateRef`s followed through the other files and `--templates`, `when` conditions,
    /// `depends` results, loops, lifecycle hooks and exit handlers. Problems found on the way
    /// (missing templates, cycles) are drawn and reported as warnings. Exits with 0 when the
    /// picture was written and 2 when it could not be.
    Graph(GraphArgs),
    /// Turn a CronJob that runs `argo submit` into a CronWorkflow, and lint the result.
    ///
    /// Reads the CronJobs of the inputs, finds the submitted Workflow (in a ConfigMap among the
    /// inputs, or `--workflow FILE` when it lives in an image or on a volume), and prints one
    /// CronWorkflow per `argo submit`, with a comment saying what was carried over. Exits with 0
    /// when every migration succeeded and lints clean, 1 when a workflow file is missing, a flag
    /// cannot be carried over or the result has lint errors, and 2 when the inputs hold no
    /// CronJob running `argo submit`.
    Migrate(MigrateArgs),
}

#[derive(Debug, ClapArgs)]
pub struct MigrateArgs {
    /// Files or directories with the CronJobs, and the ConfigMaps holding their workflows.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,

    /// The Workflow manifest to use when the submitted file cannot be read (it is inside an
    /// image, or on a volume).
    #[arg(long, value_name = "FILE")]
    pub workflow: Option<PathBuf>,

    /// The CronWorkflow's name (default: from `argo submit`, the Workflow, or the CronJob).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Write the CronWorkflows to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also read WorkflowTemplates and ClusterWorkflowTemplates from this file or directory, so
    /// that the migrated workflows' references resolve when they are linted. Repeatable.
    #[arg(long, value_name = "PATH")]
    pub templates: Vec<PathBuf>,
}

/// `--format` of `bosun graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// A self-contained SVG picture, laid out by Bosun.
    Svg,
}

#[derive(Debug, ClapArgs)]
pub struct GraphArgs {
    /// The manifest to draw, then any files or directories holding the templates it references.
    #[arg(required = true, value_name = "FILE")]
    pub paths: Vec<String>,

    /// The template to draw instead of the entrypoint.
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,

    /// Output format [default: from the `--output` extension (.svg, .mmd, .dot), else dot].
    #[arg(long, value_enum)]
    pub format: Option<GraphFormat>,

    /// Write the picture to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also read WorkflowTemplates and ClusterWorkflowTemplates from this file or directory, so
    /// that `templateRef`s to them are expanded. Repeatable.
    #[arg(long, value_name = "PATH")]
    pub templates: Vec<PathBuf>,

    /// The namespace of manifests without `metadata.namespace` (for `templateRef` lookups).
    #[arg(long, short = 'n', value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Most nodes drawn; the rest of each DAG or steps template is summarised in one node.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub max_nodes: usize,
}

impl GraphArgs {
    /// The format asked for, or the one the output file's extension names.
    pub fn format(&self) -> GraphFormat {
        if let Some(f) = self.format {
            return f;
        }
        let ext = self
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => GraphFormat::Svg,
            Some("mmd" | "mermaid") => GraphFormat::Mermaid,
            _ => GraphFormat::Dot,
        }
    }
}

/// What `bosun eval` reads its text as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalKind {
    /// A field value: `{{…}}` and `{{= …}}` tags are substituted.
    Tags,
    /// A raw expression (`valueFrom.expression`, `retryStrategy.expression`, …).
    Expression,
    /// A `when` condition: tags are substituted, then govaluate evaluates it.
    When,
    /// A DAG `depends`: `--set TASK=PHASE` gives each task's phase.
    Depends,
}

#[derive(Debug, ClapArgs)]
pub struct EvalArgs {
    /// The text to evaluate, e.g. `'{{= sprig.regexReplaceAll("(.*)-[^-]*-[^-]*$", workflow.name, "$1") }}'`.
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// How to read TEXT.
    #[arg(long, value_enum, default_value_t = EvalKind::Tags)]
    pub kind: EvalKind,

    /// A variable as a simple tag sees it: `--set workflow.name=my-wf-abc12` (repeatable;
    /// overrides everything else).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,

    /// A structured variable, flattened as Argo binds it: `--set-json 'item={"a":1}'` binds
    /// `item` (JSON text) and `item.a`; `inputs.parameters` and `workflow.parameters` objects
    /// bind each parameter (repeatable; overrides `--from-workflow`).
    #[arg(long = "set-json", value_name = "NAME=JSON")]
    pub set_json: Vec<String>,

    /// Take the variables of a sample run from a manifest (the first Argo object in FILE):
    /// `workflow.name` (with a sample suffix for `generateName`), `workflow.parameters.*` from
    /// `spec.arguments`, labels, annotations, entrypoint, creation time.
    #[arg(long, value_name = "FILE", help_heading = "Variables from a manifest")]
    pub from_workflow: Option<PathBuf>,

    /// With `--from-workflow`: also bind this template's inputs (`value`, else `default`),
    /// artifact and output paths, and `retries` when it has a retryStrategy.
    #[arg(
        long,
        value_name = "NAME",
        requires = "from_workflow",
        help_heading = "Variables from a manifest"
    )]
    pub template: Option<String>,

    /// With `--from-workflow`: evaluate in the scope of this DAG task's own fields (arguments,
    /// `when`): the inputs of the template that contains it, `tasks.name`, and its first loop
    /// item as `item`.
    #[arg(
        long,
        value_name = "NAME",
        requires = "from_workflow",
        conflicts_with = "step",
        help_heading = "Variables from a manifest"
    )]
    pub task: Option<String>,

    /// With `--from-workflow`: like `--task`, for a step of a steps template.
    #[arg(
        long,
        value_name = "NAME",
        requires = "from_workflow",
        help_heading = "Variables from a manifest"
    )]
    pub step: Option<String>,
}

#[derive(Debug, ClapArgs)]
pub struct MetricsArgs {
    /// Manifests to preview (files or directories; `-` reads standard input).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,

    /// The phase the sample run ends in (`status`, and `workflow.status` of workflow-level
    /// metrics).
    #[arg(long, default_value = "Succeeded", value_parser = ["Succeeded", "Failed", "Error"])]
    pub status: String,

    /// Seconds the sample run took (`duration`, `workflow.duration`).
    #[arg(long, default_value_t = 12.5, value_name = "SECONDS", value_parser = parse_seconds)]
    pub duration: f64,

    /// Only this template's metrics.
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,

    /// A variable: `--set workflow.name=sample-module-wf-abc12-def34`,
    /// `--set outputs.parameters.count=3` (repeatable; overrides the sample values).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,

    /// A structured variable, flattened as Argo binds it (see `bosun eval --help`).
    #[arg(long = "set-json", value_name = "NAME=JSON")]
    pub set_json: Vec<String>,
}

fn parse_seconds(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("expected a number of seconds, got `{value}`")),
    }
}

#[derive(Debug, ClapArgs)]
pub struct LintArgs {
    /// Files or directories to check; `-` reads standard input. Directories are searched
    /// recursively for `*.yaml`, `*.yml` and `*.json`, skipping hidden ones. Required: Bosun
    /// does not guess (`bosun lint .` checks the current directory).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,

    /// A policy file (the `bosun-webhook --config` format, schema in `schemas/policy.json`):
    /// its severity overrides, exempt namespaces and opt-in rules (`require`, BP001–BP004)
    /// apply, so the linter fails where admission would deny. Flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report only the diagnostics that fail the run, and print no summary.
    #[arg(long, short)]
    pub quiet: bool,

    /// Fail (exit 1) on warnings as well as errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Check only these rules: codes (`AW003`), code prefixes (`AW0`) or names
    /// (`duplicate-key`). Repeatable and comma-separated.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Skip these rules (codes, prefixes or names). Repeatable and comma-separated.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Override a rule's severity: `AW003=error`. Levels: error, warning, info. Repeatable and
    /// comma-separated; the longest matching selector wins.
    #[arg(long, value_name = "CODE=LEVEL", value_delimiter = ',', value_parser = parse_severity)]
    pub severity: Vec<(String, Severity)>,

    /// Report files larger than this (AW007) instead of checking them (bytes; `K`, `M`, `G`
    /// suffixes allowed) [default: 32M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<usize>,

    /// Report YAML documents larger than this (AW007) instead of checking them (bytes; `K`,
    /// `M`, `G` suffixes allowed) [default: 4M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_document_size: Option<usize>,

    /// When to colour the human output. `auto` colours a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// After the report, show the Prometheus series the manifests' metrics would emit for a
    /// sample run (status Succeeded, 12.5 s; `bosun metrics` has more options). Human format only.
    #[arg(long)]
    pub explain_metrics: bool,

    /// Also read WorkflowTemplates and ClusterWorkflowTemplates from this file or directory, so
    /// that references to them resolve; nothing in it is reported. Repeatable.
    #[arg(long, value_name = "PATH", help_heading = "Template references")]
    pub templates: Vec<PathBuf>,

    /// Report references to templates that are not found as warnings instead of errors, for
    /// repositories that keep templates elsewhere.
    #[arg(long, help_heading = "Template references")]
    pub allow_missing_refs: bool,

    /// Names of (Cluster)WorkflowTemplates that exist outside the linted files (`name`, or
    /// `prefix*`): references to them are not checked. Repeatable and comma-separated.
    #[arg(
        long,
        value_name = "NAME",
        value_delimiter = ',',
        help_heading = "Template references"
    )]
    pub external_templates: Vec<String>,

    /// The namespace of manifests without `metadata.namespace`, as `kubectl apply -n` would set
    /// it. By default they share one unnamed namespace.
    #[arg(
        long,
        short = 'n',
        value_name = "NAMESPACE",
        help_heading = "Template references"
    )]
    pub namespace: Option<String>,
}

#[derive(Debug, ClapArgs)]
pub struct ExplainArgs {
    /// A rule code (`AW003`) or name (`duplicate-key`).
    #[arg(value_name = "CODE")]
    pub code: String,
}

#[derive(Debug, ClapArgs)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

/// `--format` of `bosun lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Source excerpts for people.
    Human,
    /// Versioned JSON (schemas/diagnostics.schema.json).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML for CI test reports.
    Junit,
    /// GitHub Actions annotations.
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Junit => Format::Junit,
            FormatArg::Github => Format::Github,
        }
    }
}

/// `--format` of `bosun rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a stream that is (or is not) a terminal, given the
    /// value of `NO_COLOR`.
    pub fn resolve(self, is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

impl LintArgs {
    /// The inputs, in the order given.
    pub fn inputs(&self) -> Vec<Input> {
        self.paths.iter().map(|p| Input::from_arg(p)).collect()
    }

    /// The library inputs (`--templates`).
    pub fn library_inputs(&self) -> Vec<Input> {
        self.templates.iter().cloned().map(Input::Path).collect()
    }

    /// The lowest severity that fails the run.
    pub fn fail_on(&self) -> Severity {
        if self.deny_warnings {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// Resolves the flags into settings, rejecting rule selectors that match no rule.
    pub fn settings(&self) -> Result<LintSettings, Error> {
        let selectors = self
            .select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(s, _)| s));
        for selector in selectors {
            check_selector(selector)?;
        }
        if let Some(ns) = &self.namespace {
            check_namespace(ns)?;
        }
        if let Some(bad) = self.external_templates.iter().find(|n| n.trim().is_empty()) {
            return Err(Error::Config(format!(
                "`--external-templates` has an empty name in `{bad}`"
            )));
        }
        let defaults = Limits::default();
        let limits = Limits {
            max_file_bytes: self.max_file_size.unwrap_or(defaults.max_file_bytes),
            max_document_bytes: self
                .max_document_size
                .unwrap_or(defaults.max_document_bytes),
            ..defaults
        };
        Ok(LintSettings {
            limits,
            rules: RuleSelection {
                select: self.select.iter().map(|s| normalize(s)).collect(),
                ignore: self.ignore.iter().map(|s| normalize(s)).collect(),
                severity: self
                    .severity
                    .iter()
                    .map(|(s, level)| (normalize(s), *level))
                    .collect(),
                enable: Vec::new(),
            },
            refs: RefSettings {
                namespace: self.namespace.clone(),
                allow_missing: self.allow_missing_refs,
                external: self.external_templates.clone(),
            },
            exempt_namespaces: Vec::new(),
        })
    }
}

/// Codes are matched case-insensitively on the command line (`aw003`, `bp001`); names are
/// kebab-case.
fn normalize(selector: &str) -> String {
    let prefix = selector.get(..2).unwrap_or_default();
    if prefix.eq_ignore_ascii_case("aw") || prefix.eq_ignore_ascii_case("bp") {
        selector.to_ascii_uppercase()
    } else {
        selector.to_string()
    }
}

/// A selector must match at least one rule by code prefix or name.
fn check_selector(selector: &str) -> Result<(), Error> {
    let normalized = normalize(selector);
    let rules = all_rules();
    if rules
        .iter()
        .any(|r| r.code.starts_with(normalized.as_str()) || r.name == normalized)
        && !normalized.is_empty()
    {
        return Ok(());
    }
    let candidates = rules.iter().flat_map(|r| [r.code, r.name]);
    let hint = match did_you_mean(&normalized, candidates) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => "; `bosun rules` lists them".to_string(),
    };
    Err(Error::Config(format!("`{selector}` matches no rule{hint}")))
}

/// A namespace is a DNS-1123 label: lowercase alphanumerics and `-`, at most 63 characters,
/// starting and ending with an alphanumeric.
pub(crate) fn check_namespace(ns: &str) -> Result<(), Error> {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let valid = !ns.is_empty()
        && ns.len() <= 63
        && ns.chars().all(|c| alnum(c) || c == '-')
        && ns.starts_with(alnum)
        && ns.ends_with(alnum);
    if valid {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "`{ns}` is not a namespace name (lowercase letters, digits and `-`, at most 63)"
        )))
    }
}

fn parse_severity(value: &str) -> Result<(String, Severity), String> {
    let (selector, level) = value
        .split_once('=')
        .ok_or_else(|| format!("expected CODE=LEVEL, got `{value}`"))?;
    let level = Severity::parse(level.trim())
        .ok_or_else(|| format!("unknown level `{level}`; expected error, warning or info"))?;
    Ok((selector.trim().to_string(), level))
}

fn parse_size(value: &str) -> Result<usize, String> {
    let v = value.trim();
    let digits = v.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &v[digits.len()..];
    let multiplier: usize = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("unknown unit `{unit}`; use K, M or G")),
    };
    let n: usize = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{value}` is not a size such as 512K or 4M"))?;
    n.checked_mul(multiplier)
        .ok_or_else(|| format!("`{value}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint_args(extra: &[&str]) -> LintArgs {
        let argv = ["bosun", "lint"].iter().chain(extra).chain(&["x.yaml"]);
        match Args::try_parse_from(argv).unwrap().command {
            Command::Lint(a) => *a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }

    #[test]
    fn selectors_resolve_into_settings() {
        let args = lint_args(&[
            "--select",
            "aw0,duplicate-key",
            "--ignore=AW009",
            "--severity",
            "AW003=error",
            "--max-file-size",
            "1M",
        ]);
        let s = args.settings().unwrap();
        assert_eq!(s.rules.select, ["AW0", "duplicate-key"]);
        assert_eq!(s.rules.ignore, ["AW009"]);
        assert_eq!(s.rules.severity, [("AW003".to_string(), Severity::Error)]);
        assert_eq!(s.limits.max_file_bytes, 1 << 20);
        assert_eq!(
            s.limits.max_document_bytes,
            Limits::default().max_document_bytes
        );
    }

    #[test]
    fn unknown_selectors_fail_with_a_suggestion() {
        let err = lint_args(&["--ignore", "AW0003"]).settings().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid configuration: `AW0003` matches no rule; did you mean `AW003`?"
        );
        let err = lint_args(&["--select", "duplicate-keys"])
            .settings()
            .unwrap_err();
        assert!(
            err.to_string().contains("did you mean `duplicate-key`?"),
            "{err}"
        );
        assert!(lint_args(&["--select", "zzz"]).settings().is_err());
    }

    #[test]
    fn sizes_and_levels_parse() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("4k"), Ok(4096));
        assert_eq!(parse_size("2MiB"), Ok(2 << 20));
        assert!(parse_size("2X").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert_eq!(
            parse_severity("AW003=warn"),
            Ok(("AW003".to_string(), Severity::Warning))
        );
        assert!(parse_severity("AW003").is_err());
        assert!(parse_severity("AW003=fatal").is_err());
    }

    #[test]
    fn auto_colour_needs_a_terminal_and_no_no_color() {
        use std::ffi::OsStr;
        assert!(ColorChoice::Auto.resolve(true, None));
        assert!(ColorChoice::Auto.resolve(true, Some(OsStr::new(""))));
        assert!(!ColorChoice::Auto.resolve(true, Some(OsStr::new("1"))));
        assert!(!ColorChoice::Auto.resolve(false, None));
        assert!(ColorChoice::Always.resolve(false, Some(OsStr::new("1"))));
        assert!(!ColorChoice::Never.resolve(true, None));
    }

    #[test]
    fn reference_flags_resolve_into_settings() {
        let args = lint_args(&[
            "--templates",
            "lib",
            "--allow-missing-refs",
            "--external-templates",
            "shared-*,ci",
            "-n",
            "argo",
        ]);
        assert_eq!(args.library_inputs(), [Input::Path("lib".into())]);
        let s = args.settings().unwrap();
        assert!(s.refs.allow_missing);
        assert_eq!(s.refs.external, ["shared-*", "ci"]);
        assert_eq!(s.refs.namespace.as_deref(), Some("argo"));
        assert!(s.refs.is_external("shared-build"));
        assert!(!s.refs.is_external("c"));
        let err = lint_args(&["--namespace", "Argo_NS"])
            .settings()
            .unwrap_err();
        assert!(err.to_string().contains("is not a namespace name"), "{err}");
    }

    #[test]
    fn paths_are_required() {
        assert!(Args::try_parse_from(["bosun", "lint"]).is_err());
        let args = lint_args(&[]);
        assert_eq!(args.inputs(), [Input::Path("x.yaml".into())]);
    }
}
