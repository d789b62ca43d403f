//! The command line of `argo submit`, read the way the Argo CLI reads it, and sorted into what a
//! CronWorkflow can express, what only mattered to the CLI, and what cannot be carried over.

/// What an `argo submit` command asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Submit {
    /// The manifests submitted (`-` is standard input).
    pub files: Vec<String>,
    /// `-p name=value`, in order.
    pub parameters: Vec<(String, String)>,
    pub service_account: Option<String>,
    pub generate_name: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub entrypoint: Option<String>,
    /// `-l k=v,…`.
    pub labels: Vec<(String, String)>,
    pub instance_id: Option<String>,
    pub priority: Option<i64>,
    /// `--from kind/name`: `(cluster-scoped, name)` of a (Cluster)WorkflowTemplate.
    pub from: Option<(bool, String)>,
    /// `--watch`, `--wait` or `--log`: the job lived as long as the workflow.
    pub waits: bool,
    /// Flags that only affected the CLI (output, connection), as written.
    pub ignored: Vec<String>,
    /// Flags that change the workflow but cannot be carried over: (flag as written, why).
    pub unmappable: Vec<(String, String)>,
}

/// Flags that change the workflow and take a value.
const WORKFLOW_VALUE_FLAGS: [&str; 18] = [
    "-p",
    "--parameter",
    "-f",
    "--parameter-file",
    "--serviceaccount",
    "--generate-name",
    "--name",
    "-n",
    "--namespace",
    "--entrypoint",
    "-l",
    "--labels",
    "--instanceid",
    "--from",
    "--priority",
    "--node-field-selector",
    "--pod-priority-class",
    "--scheduled-time",
];

/// Flags of the CLI's connection or output that take a value: irrelevant once the controller
/// schedules runs.
const CLIENT_VALUE_FLAGS: [&str; 17] = [
    "-o",
    "--output",
    "--kubeconfig",
    "--context",
    "--cluster",
    "--user",
    "--token",
    "-s",
    "--argo-server",
    "--argo-base-href",
    "-H",
    "--header",
    "--loglevel",
    "--gloglevel",
    "--request-timeout",
    "--as",
    "--as-group",
];

/// Boolean flags of the CLI's connection or output.
const CLIENT_SWITCHES: [&str; 10] = [
    "-k",
    "--insecure-skip-verify",
    "--insecure-skip-tls-verify",
    "-e",
    "--argo-http1",
    "--secure",
    "-v",
    "--verbose",
    "--no-color",
    "--strict",
];

/// Parses the words after `argo submit`.
pub fn parse(args: &[String]) -> Submit {
    let mut s = Submit::default();
    let mut i = 0;
    let mut only_files = false;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_files || arg == "-" || !arg.starts_with('-') {
            s.files.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_files = true;
            continue;
        }
        // `--flag=value`, `-pname=value` (short flags glue their value), or `--flag value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ if !arg.starts_with("--") && arg.len() > 2 => {
                (arg[..2].to_string(), Some(arg[2..].to_string()))
            }
            _ => (arg.clone(), None),
        };
        let takes_value = WORKFLOW_VALUE_FLAGS.contains(&flag.as_str())
            || CLIENT_VALUE_FLAGS.contains(&flag.as_str());
        let value = if takes_value {
            match inline {
                Some(v) => Some(v),
                None => {
                    let v = args.get(i).cloned();
                    i += 1;
                    v
                }
            }
        } else {
            None
        };
        let written = match &value {
            Some(v) => format!("{flag} {v}"),
            None => arg.clone(),
        };
        if takes_value && value.is_none() {
            s.unmappable
                .push((written, "the flag has no value".to_string()));
            continue;
        }
        let v = value.unwrap_or_default();
        match flag.as_str() {
            "-p" | "--parameter" => match v.split_once('=') {
                Some((name, value)) if !name.trim().is_empty() => {
                    s.parameters
                        .push((name.trim().to_string(), value.to_string()));
                }
                _ => s
                    .unmappable
                    .push((written, "expected `name=value`".to_string())),
            },
            "-f" | "--parameter-file" => s.unmappable.push((
                written,
                "the parameters were read from a file when the job ran; add them to \
                 `spec.workflowSpec.arguments.parameters`"
                    .to_string(),
            )),
            "--serviceaccount" => s.service_account = Some(v),
            "--generate-name" => s.generate_name = Some(v),
            "--name" => s.name = Some(v),
            "-n" | "--namespace" => s.namespace = Some(v),
            "--entrypoint" => s.entrypoint = Some(v),
            "-l" | "--labels" => {
                for pair in v.split(',').filter(|p| !p.trim().is_empty()) {
                    match pair.split_once('=') {
                        Some((k, val)) => {
                            s.labels
                                .push((k.trim().to_string(), val.trim().to_string()));
                        }
                        None => s
                            .unmappable
                            .push((format!("{flag} {pair}"), "expected `key=value`".to_string())),
                    }
                }
            }
            "--instanceid" => s.instance_id = Some(v),
            "--priority" => match v.trim().parse::<i64>() {
                Ok(p) => s.priority = Some(p),
                Err(_) => s
                    .unmappable
                    .push((written, "the priority is not an integer".to_string())),
            },
            "--from" => match v.split_once('/') {
                Some(("workflowtemplate" | "wftmpl", name)) if !name.is_empty() => {
                    s.from = Some((false, name.to_string()));
                }
                Some(("clusterworkflowtemplate" | "cwftmpl", name)) if !name.is_empty() => {
                    s.from = Some((true, name.to_string()));
                }
                _ => s.unmappable.push((
                    written,
                    "only `workflowtemplate/NAME` and `clusterworkflowtemplate/NAME` become a \
                     `workflowTemplateRef`"
                        .to_string(),
                )),
            },
            "-w" | "--watch" | "--wait" | "--log" => {
                s.waits = true;
                s.ignored.push(written);
            }
            "--dry-run" | "--server-dry-run" => s.unmappable.push((
                written,
                "the CronJob never created a workflow; the CronWorkflow will".to_string(),
            )),
            "--node-field-selector" | "--pod-priority-class" | "--scheduled-time" => s
                .unmappable
                .push((written, "no CronWorkflow field says this".to_string())),
            f if CLIENT_VALUE_FLAGS.contains(&f) || CLIENT_SWITCHES.contains(&f) => {
                s.ignored.push(written)
            }
            _ => s
                .unmappable
                .push((written, "not a flag Bosun knows".to_string())),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn flags_are_sorted_into_mapped_ignored_and_unmappable() {
        let s = parse(&words(
            "/wf/a.yaml -p max=30 --parameter=msg=a=b -pdebug=true --serviceaccount=runner \
             -n argo --generate-name nightly- -l team=ml,tier=batch --watch -o json \
             --from wftmpl/base --priority 3 --parameter-file p.yaml --bogus --dry-run",
        ));
        assert_eq!(s.files, ["/wf/a.yaml"]);
        assert_eq!(
            s.parameters,
            [
                ("max".to_string(), "30".to_string()),
                ("msg".to_string(), "a=b".to_string()),
                ("debug".to_string(), "true".to_string()),
            ]
        );
        assert_eq!(s.service_account.as_deref(), Some("runner"));
        assert_eq!(s.namespace.as_deref(), Some("argo"));
        assert_eq!(s.generate_name.as_deref(), Some("nightly-"));
        assert_eq!(s.labels.len(), 2);
        assert!(s.waits);
        assert_eq!(s.ignored, ["--watch", "-o json"]);
        assert_eq!(s.from, Some((false, "base".to_string())));
        assert_eq!(s.priority, Some(3));
        let flags: Vec<&str> = s.unmappable.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(flags, ["--parameter-file p.yaml", "--bogus", "--dry-run"]);
    }

    #[test]
    fn a_missing_value_is_reported_not_taken_from_nowhere() {
        let s = parse(&words("wf.yaml -p"));
        assert_eq!(s.files, ["wf.yaml"]);
        assert_eq!(s.unmappable.len(), 1);
        let s = parse(&words("-- -odd-name.yaml"));
        assert_eq!(s.files, ["-odd-name.yaml"]);
    }
}
