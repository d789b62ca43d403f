//! One CronJob's `argo submit` of one file → a CronWorkflow manifest with its header comment.

use serde_json::{Map, Value, json};

use super::locate::{self, Found, Location};
use super::submit::Submit;
use super::{Finding, Migration, Options, Outcome, Output, at, str_at, yaml};
use crate::diagnostics::Severity;
use crate::parse::{Document, Limits, NodeRef, parse_file};
use crate::source::{FileId, SourceFile};

/// Longest CronWorkflow name (each run appends `-<timestamp>`; AW201).
pub(crate) const MAX_NAME: usize = 52;

/// The CronJob fields a CronWorkflow has too, with the same meaning.
const CARRIED: [(&str, &str); 5] = [
    ("concurrencyPolicy", "concurrencyPolicy"),
    ("startingDeadlineSeconds", "startingDeadlineSeconds"),
    ("successfulJobsHistoryLimit", "successfulJobsHistoryLimit"),
    ("failedJobsHistoryLimit", "failedJobsHistoryLimit"),
    ("suspend", "suspend"),
];

/// Where the submitted manifest came from, for messages.
struct Origin {
    text: String,
    /// `ConfigMap/x` to delete afterwards.
    configmap: Option<String>,
}

#[allow(
    clippy::too_many_arguments,
    reason = "one migration needs the whole context"
)]
pub(super) fn one<'a>(
    cronjob: NodeRef<'a>,
    found: &Found<'a>,
    submit: &Submit,
    file: Option<&str>,
    configmaps: &[NodeRef<'a>],
    options: &Options,
    source: &str,
    taken: &mut Vec<String>,
) -> Migration {
    let mut findings = Vec::new();
    let migration = |outcome, findings| Migration {
        source: source.to_string(),
        span: cronjob.span(),
        outcome,
        findings,
    };
    // The submitted manifest: from a ConfigMap, supplied with `--workflow`, or none (`--from`).
    let mut docs: Vec<Document> = Vec::new();
    let origin = match file {
        None if submit.from.is_some() => None,
        None => {
            return migration(
                Outcome::Invalid("`argo submit` names no file and no `--from`".to_string()),
                findings,
            );
        }
        Some(path) => {
            let (text, name, origin) = match locate::locate(
                path,
                cronjob,
                found.container,
                configmaps,
            ) {
                Location::ConfigMap {
                    configmap,
                    key,
                    text,
                } => {
                    let cm = str_at(configmap, &["metadata", "name"]).unwrap_or("?");
                    (
                        text.to_string(),
                        format!("ConfigMap {cm}, key {key}"),
                        Origin {
                            text: format!(
                                "the Workflow came from ConfigMap `{cm}`, key `{key}` (`{path}`)"
                            ),
                            configmap: Some(format!("configmap/{cm}")),
                        },
                    )
                }
                Location::Unreadable { what, how } => match &options.workflow {
                    Some(w) => {
                        findings.push(Finding::new(
                            Severity::Info,
                            format!("{what}; using `{}` instead", w.name),
                            Some(found.container),
                        ));
                        (
                            w.text.clone(),
                            w.name.clone(),
                            Origin {
                                text: format!(
                                    "the Workflow came from `{}` (given for `{path}`)",
                                    w.name
                                ),
                                configmap: None,
                            },
                        )
                    }
                    None => return migration(Outcome::Missing { what, how }, findings),
                },
            };
            let file = SourceFile::new(FileId(u32::MAX), name.clone(), text);
            let mut problems = Vec::new();
            docs = parse_file(&file, &Limits::default(), &mut problems);
            if let Some(p) = problems.first() {
                return migration(Outcome::Invalid(format!("{name}: {}", p.message)), findings);
            }
            Some((origin, name))
        }
    };
    let workflow = docs
        .iter()
        .filter_map(|d| d.root())
        .find(|r| str_at(*r, &["kind"]) == Some("Workflow"));
    if let Some((_, name)) = &origin
        && workflow.is_none()
    {
        let kinds: Vec<&str> = docs
            .iter()
            .filter_map(|d| d.root().and_then(|r| str_at(r, &["kind"])))
            .collect();
        let found_kinds = if kinds.is_empty() {
            "nothing".to_string()
        } else {
            kinds.join(", ")
        };
        return migration(
            Outcome::Invalid(format!("{name} holds no Workflow (found {found_kinds})")),
            findings,
        );
    }
    let mut b = Build {
        comments: Vec::new(),
        findings,
        taken: std::mem::take(taken),
    };
    let value = b.cron_workflow(
        cronjob,
        found,
        submit,
        workflow,
        origin.as_ref().map(|(o, _)| o),
        options,
        source,
    );
    let name = str_at_json(&value, &["metadata", "name"]).to_string();
    *taken = std::mem::take(&mut b.taken);
    taken.push(name.clone());
    let mut text = String::new();
    for line in &b.comments {
        for (i, part) in wrap(line, 96).into_iter().enumerate() {
            text.push_str(if i == 0 { "# " } else { "#   " });
            text.push_str(&part);
            text.push('\n');
        }
    }
    text.push_str(&yaml::to_yaml(&value));
    migration(Outcome::Migrated(Output { name, yaml: text }), b.findings)
}

fn str_at_json<'v>(v: &'v Value, path: &[&str]) -> &'v str {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(|v| v.as_str())
        .unwrap_or_default()
}

/// Word-wraps a comment line.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(current);
    out
}

struct Build {
    comments: Vec<String>,
    findings: Vec<Finding>,
    /// Names of the CronWorkflows already migrated in this run.
    taken: Vec<String>,
}

impl Build {
    /// A line of the header comment that is also reported.
    fn tell(&mut self, severity: Severity, text: String, node: Option<NodeRef<'_>>) {
        self.comments.push(format!("- {text}."));
        self.findings.push(Finding::new(severity, text, node));
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one migration needs the whole context"
    )]
    fn cron_workflow(
        &mut self,
        cronjob: NodeRef<'_>,
        found: &Found<'_>,
        submit: &Submit,
        workflow: Option<NodeRef<'_>>,
        origin: Option<&Origin>,
        options: &Options,
        source: &str,
    ) -> Value {
        let cj_name = str_at(cronjob, &["metadata", "name"]).unwrap_or("?");
        let cj_ns = str_at(cronjob, &["metadata", "namespace"]);
        let command = std::iter::once("argo submit".to_string())
            .chain(found.args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        self.comments.push(format!(
            "CronWorkflow migrated by `bosun migrate` from {source}, which ran `{command}`; {}.",
            origin.map_or_else(
                || "the workflow is the referenced WorkflowTemplate".to_string(),
                |o| o.text.clone()
            )
        ));
        let cj_spec = cronjob.get("spec");
        let mut spec = Map::new();
        match cj_spec
            .and_then(|s| s.get("schedule"))
            .and_then(|s| s.scalar_text())
        {
            Some(schedule) => {
                spec.insert("schedules".into(), json!([schedule]));
            }
            None => self.tell(
                Severity::Error,
                format!("{source} has no `spec.schedule`"),
                Some(cronjob),
            ),
        }
        if let Some(tz) = cj_spec.and_then(|s| s.get("timeZone")) {
            spec.insert("timezone".into(), tz.to_json());
        }
        let mut carried = vec!["schedule"];
        for (from, to) in CARRIED {
            if let Some(v) = cj_spec.and_then(|s| s.get(from)).filter(|v| !v.is_null()) {
                spec.insert(to.into(), v.to_json());
                carried.push(from);
            }
        }
        if cj_spec.and_then(|s| s.get("timeZone")).is_some() {
            carried.push("timeZone (as `timezone`)");
        }
        self.comments.push(format!(
            "- carried over from the CronJob: {}.",
            carried.join(", ")
        ));
        let policy = cj_spec
            .and_then(|s| s.get("concurrencyPolicy"))
            .and_then(|p| p.as_str());
        if matches!(policy, Some("Forbid" | "Replace")) && !submit.waits {
            self.tell(
                Severity::Info,
                format!(
                    "concurrencyPolicy `{}`: the CronJob's policy only applied to its short-lived \
                     `argo submit` jobs, so workflows could overlap; the CronWorkflow applies it \
                     to the workflows themselves",
                    policy.unwrap_or_default()
                ),
                cj_spec.and_then(|s| s.get("concurrencyPolicy")),
            );
        }
        let job_spec = at(cronjob, &["spec", "jobTemplate", "spec"]);
        let dropped: Vec<&str> = [
            "backoffLimit",
            "activeDeadlineSeconds",
            "ttlSecondsAfterFinished",
        ]
        .into_iter()
        .filter(|k| job_spec.and_then(|j| j.get(k)).is_some())
        .collect();
        if !dropped.is_empty() {
            self.comments.push(format!(
                "- dropped `jobTemplate.spec.{}`: it configured the submitting Job, which no \
                 longer exists.",
                dropped.join("`, `")
            ));
        }

        // The workflow spec, with the submit flags applied.
        let mut wf_spec = workflow
            .and_then(|w| w.get("spec"))
            .map(|s| s.to_json())
            .and_then(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .unwrap_or_default();
        if let Some((cluster, name)) = &submit.from {
            let mut r = Map::new();
            r.insert("name".into(), json!(name));
            if *cluster {
                r.insert("clusterScope".into(), json!(true));
            }
            wf_spec.insert("workflowTemplateRef".into(), Value::Object(r));
            self.comments.push(format!(
                "- `--from`: runs {} `{name}` through `workflowTemplateRef`.",
                if *cluster {
                    "ClusterWorkflowTemplate"
                } else {
                    "WorkflowTemplate"
                }
            ));
        }
        if let Some(entry) = &submit.entrypoint {
            wf_spec.insert("entrypoint".into(), json!(entry));
            self.comments
                .push(format!("- `--entrypoint {entry}` sets `entrypoint`."));
        }
        if let Some(p) = submit.priority {
            wf_spec.insert("priority".into(), json!(p));
            self.comments
                .push(format!("- `--priority {p}` sets `priority`."));
        }
        self.parameters(&mut wf_spec, submit, found, workflow.is_some());
        self.service_account(&mut wf_spec, submit, workflow, cronjob, found);
        for flag in &submit.ignored {
            self.comments.push(format!(
                "- dropped `{flag}`: it only affected the `argo` command line."
            ));
        }
        if submit.waits {
            self.comments.push(
                "- the Job waited for each workflow to finish; CronWorkflow runs are tracked by \
                 the controller (`status.active`)."
                    .to_string(),
            );
        }
        for (flag, why) in &submit.unmappable {
            self.tell(
                Severity::Error,
                format!("`{flag}` is not carried over: {why}"),
                Some(found.container),
            );
        }

        // Metadata.
        let wf_meta = workflow.and_then(|w| w.get("metadata"));
        let mut meta = Map::new();
        let name = self.name(options, submit, wf_meta, cj_name, cronjob);
        meta.insert("name".into(), json!(name));
        let namespace = submit
            .namespace
            .as_deref()
            .or_else(|| wf_meta.and_then(|m| str_at(m, &["namespace"])))
            .or(cj_ns);
        if let Some(ns) = namespace {
            meta.insert("namespace".into(), json!(ns));
        }
        let mut labels = cronjob
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .map(|l| l.to_json())
            .and_then(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .unwrap_or_default();
        if let Some(id) = &submit.instance_id {
            labels.insert(
                "workflows.argoproj.io/controller-instanceid".into(),
                json!(id),
            );
        }
        if !labels.is_empty() {
            meta.insert("labels".into(), Value::Object(labels));
        }
        let mut wf_metadata = Map::new();
        for key in ["labels", "annotations"] {
            if let Some(Value::Object(m)) = wf_meta.and_then(|m| m.get(key)).map(|v| v.to_json())
                && !m.is_empty()
            {
                wf_metadata.insert(key.into(), Value::Object(m));
            }
        }
        if !submit.labels.is_empty() {
            let entry = wf_metadata
                .entry("labels")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = entry {
                for (k, v) in &submit.labels {
                    m.insert(k.clone(), json!(v));
                }
            }
        }
        if !wf_metadata.is_empty() {
            spec.insert("workflowMetadata".into(), Value::Object(wf_metadata));
        }
        spec.insert("workflowSpec".into(), Value::Object(wf_spec));

        let mut old = vec![format!("cronjob/{cj_name}")];
        old.extend(origin.and_then(|o| o.configmap.clone()));
        let ns_flag = cj_ns.map(|n| format!(" -n {n}")).unwrap_or_default();
        self.comments.push(format!(
            "Once this CronWorkflow runs, remove the old objects: `kubectl{ns_flag} delete {}`.",
            old.join(" ")
        ));
        json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "CronWorkflow",
            "metadata": Value::Object(meta),
            "spec": Value::Object(spec),
        })
    }

    /// `-p name=value`: overrides the declared parameter, or adds it.
    fn parameters(
        &mut self,
        wf_spec: &mut Map<String, Value>,
        submit: &Submit,
        found: &Found<'_>,
        own_workflow: bool,
    ) {
        if submit.parameters.is_empty() {
            return;
        }
        let arguments = wf_spec
            .entry("arguments")
            .or_insert_with(|| Value::Object(Map::new()));
        if !arguments.is_object() {
            *arguments = Value::Object(Map::new());
        }
        let Some(args) = arguments.as_object_mut() else {
            return;
        };
        let params = args
            .entry("parameters")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !params.is_array() {
            *params = Value::Array(Vec::new());
        }
        let Some(list) = params.as_array_mut() else {
            return;
        };
        let mut added = Vec::new();
        let mut set = Vec::new();
        for (name, value) in &submit.parameters {
            match list
                .iter_mut()
                .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(name))
            {
                Some(Value::Object(p)) => {
                    p.remove("valueFrom");
                    p.insert("value".into(), json!(value));
                    set.push(format!("`{name}`"));
                }
                _ => {
                    list.push(json!({"name": name, "value": value}));
                    added.push(format!("`{name}`"));
                }
            }
        }
        if !set.is_empty() {
            self.comments.push(format!(
                "- `-p` sets the value of parameter {} in `arguments`.",
                set.join(", ")
            ));
        }
        if !added.is_empty() && !own_workflow {
            self.comments.push(format!(
                "- `-p` passes {} to the WorkflowTemplate in `arguments`.",
                added.join(", ")
            ));
        } else if !added.is_empty() {
            self.tell(
                Severity::Info,
                format!(
                    "`-p` passes {} that the Workflow does not declare; added to `arguments`",
                    added.join(", ")
                ),
                Some(found.container),
            );
        }
    }

    /// The workflow's service account: `--serviceaccount`, the Workflow's own, or the account
    /// the CronJob's pod ran as.
    fn service_account(
        &mut self,
        wf_spec: &mut Map<String, Value>,
        submit: &Submit,
        workflow: Option<NodeRef<'_>>,
        cronjob: NodeRef<'_>,
        found: &Found<'_>,
    ) {
        let own = workflow.and_then(|w| str_at(w, &["spec", "serviceAccountName"]));
        let pod = locate::pod_spec(cronjob);
        let pod_sa = pod.and_then(|p| {
            str_at(p, &["serviceAccountName"]).or_else(|| str_at(p, &["serviceAccount"]))
        });
        match (&submit.service_account, own, pod_sa) {
            (Some(flag), own, _) => {
                wf_spec.insert("serviceAccountName".into(), json!(flag));
                let over = own
                    .filter(|o| o != flag)
                    .map(|o| format!(" (instead of the Workflow's `{o}`)"))
                    .unwrap_or_default();
                self.comments.push(format!(
                    "- serviceAccountName `{flag}` comes from `--serviceaccount`{over}."
                ));
            }
            (None, Some(own), _) => self.comments.push(format!(
                "- serviceAccountName `{own}` is the Workflow's own."
            )),
            (None, None, Some(sa)) => {
                wf_spec.insert("serviceAccountName".into(), json!(sa));
                self.tell(
                    Severity::Info,
                    format!(
                        "serviceAccountName `{sa}`: the Workflow sets none, so this is the account \
                         the CronJob's pod ran as (it submitted the workflows, whose pods then ran \
                         as the namespace's `default` account); `{sa}` now runs the workflow pods \
                         and needs the executor's permissions, or set the account they should use"
                    ),
                    Some(found.container),
                );
            }
            (None, None, None) => self.comments.push(
                "- no serviceAccountName: workflow pods run as the namespace's `default` account, \
                 as before."
                    .to_string(),
            ),
        }
    }

    /// `name`, or `name-2`, `name-3`… when an earlier migration of the run has it.
    fn unique(&mut self, name: String, from: &str, cronjob: NodeRef<'_>) -> String {
        if !self.taken.contains(&name) {
            return name;
        }
        let mut k = 2;
        let unique = loop {
            let suffix = format!("-{k}");
            let base = shorten_to(&name, MAX_NAME.saturating_sub(suffix.len()));
            let candidate = format!("{base}{suffix}");
            if !self.taken.contains(&candidate) {
                break candidate;
            }
            k += 1;
        };
        self.tell(
            Severity::Warning,
            format!(
                "name `{name}` (from {from}) is taken by an earlier migration: using `{unique}`"
            ),
            Some(cronjob),
        );
        unique
    }

    /// The CronWorkflow's name: `--name`, then the submit flags, then the Workflow's name or
    /// `generateName` prefix, then the CronJob's name; made a valid name of at most 52 characters.
    fn name(
        &mut self,
        options: &Options,
        submit: &Submit,
        wf_meta: Option<NodeRef<'_>>,
        cj_name: &str,
        cronjob: NodeRef<'_>,
    ) -> String {
        let generate = |s: &str| s.trim_end_matches('-').to_string();
        let (raw, from) = if let Some(n) = &options.name {
            (n.clone(), "`--name`")
        } else if let Some(n) = &submit.name {
            (n.clone(), "`argo submit --name`")
        } else if let Some(g) = &submit.generate_name {
            (generate(g), "`argo submit --generate-name`")
        } else if let Some(n) = wf_meta.and_then(|m| str_at(m, &["name"])) {
            (n.to_string(), "the Workflow's name")
        } else if let Some(g) = wf_meta.and_then(|m| str_at(m, &["generateName"])) {
            (generate(g), "the Workflow's `generateName`")
        } else {
            (cj_name.to_string(), "the CronJob's name")
        };
        let clean = self.unique(sanitize(&raw), from, cronjob);
        if clean.chars().count() > MAX_NAME {
            let short = shorten(&clean);
            self.tell(
                Severity::Warning,
                format!(
                    "name `{clean}` (from {from}) is longer than {MAX_NAME} characters, the most a \
                     CronWorkflow may have (AW201): shortened to `{short}`"
                ),
                Some(cronjob),
            );
            return short;
        }
        if clean != raw {
            self.tell(
                Severity::Info,
                format!("name `{raw}` (from {from}) is not a valid name: using `{clean}`"),
                Some(cronjob),
            );
        } else {
            self.comments
                .push(format!("- the name `{clean}` comes from {from}."));
        }
        clean
    }
}

/// Lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit.
pub(crate) fn sanitize(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = mapped.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if trimmed.is_empty() {
        "migrated-workflow".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Cuts a valid name to [`MAX_NAME`] characters, keeping it valid.
pub(crate) fn shorten(name: &str) -> String {
    shorten_to(name, MAX_NAME)
}

fn shorten_to(name: &str, max: usize) -> String {
    let cut: String = name.chars().take(max).collect();
    cut.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_valid_and_short() {
        assert_eq!(sanitize("Argo_Workflow.CJ-"), "argo-workflow.cj");
        assert_eq!(sanitize("--"), "migrated-workflow");
        let long = "a".repeat(51) + "-bcd";
        assert_eq!(shorten(&long), "a".repeat(51));
        assert!(shorten(&"x".repeat(80)).len() == MAX_NAME);
    }

    #[test]
    fn comments_wrap_at_words() {
        assert_eq!(wrap("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(wrap("short", 80), ["short"]);
    }
}
