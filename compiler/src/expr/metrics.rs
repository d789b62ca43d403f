//! Prometheus metrics as Argo would emit them for a sample run (spec §2.4 "metrics", §3, §8.8):
//! every tag of a metric's name, help, labels, `when` and value is substituted in strict mode,
//! `when` is evaluated with govaluate (bare words as strings), and the value must parse as a Go
//! float. [`preview`] does it for every metric of a manifest (workflow-level `spec.metrics` and
//! each template's `metrics`); [`Series::exposition`] renders an emitted series in the
//! Prometheus text format.
//!
//! The sample run ([`RunSample`]) decides the runtime variables: workflow-level metrics see the
//! globals plus `workflow.status` and `workflow.duration`; template-level metrics are emitted
//! while the workflow runs, so they see `workflow.status` = `Running`, plus the node's
//! `status`, `duration` (Go `%f`), `exitCode` (pod templates: `0` when the status is
//! `Succeeded`, else `1`), `resourcesDuration.{cpu,memory}` (whole seconds of the duration),
//! `retries` (`0`) and the template's inputs. `overrides` (from `--set`) replace any of them.

use serde_json::Value as Json;

use super::env::Bindings;
use super::format::go_float;
use super::sample::{globals, template_locals, workflow_spec};
use super::template::{Mode, substitute};
use super::when::{self, WhenOptions};
use super::{Limits, conv};
use crate::model::Kind;

/// The runtime facts of the sample run.
#[derive(Clone, Debug)]
pub struct RunSample {
    /// The phase the node and the workflow end in (`Succeeded`, `Failed`, `Error`).
    pub status: String,
    /// Seconds the node and the workflow ran.
    pub duration: f64,
}

impl Default for RunSample {
    fn default() -> Self {
        RunSample {
            status: "Succeeded".into(),
            duration: 12.5,
        }
    }
}

/// The three metric types.
#[derive(Clone, Debug, PartialEq)]
pub enum MetricType {
    Counter,
    Gauge { realtime: bool },
    Histogram { buckets: Vec<f64> },
}

impl MetricType {
    fn name(&self) -> &'static str {
        match self {
            MetricType::Counter => "counter",
            MetricType::Gauge { .. } => "gauge",
            MetricType::Histogram { .. } => "histogram",
        }
    }
}

/// One series as it would be emitted.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub help: String,
    pub kind: MetricType,
    /// Sorted by key, as Prometheus clients expose them.
    pub labels: Vec<(String, String)>,
    /// The counter increment, the gauge value or the observed histogram value.
    pub value: f64,
}

/// What happens to one metric in the sample run.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Emitted(Series),
    /// Its `when` evaluated false (the substituted condition).
    Skipped {
        name: String,
        when: String,
    },
    /// Argo would report a metric emission error.
    Failed {
        name: String,
        message: String,
    },
}

/// The metrics of one place in the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// `workflow` or `template NAME`.
    pub title: String,
    /// JSON pointer of the `prometheus` list.
    pub pointer: String,
    pub outcomes: Vec<Outcome>,
}

fn escape_help(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

fn escape_label(s: &str) -> String {
    escape_help(s).replace('"', "\\\"")
}

fn label_set(labels: &[(String, String)], extra: Option<(&str, &str)>) -> String {
    let parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(extra)
        .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

impl Series {
    /// The Prometheus text exposition of the series after this one run.
    pub fn exposition(&self) -> String {
        let n = &self.name;
        let mut out = format!(
            "# HELP {n} {}\n# TYPE {n} {}\n",
            escape_help(&self.help),
            self.kind.name()
        );
        let labels = label_set(&self.labels, None);
        let v = go_float(self.value);
        match &self.kind {
            MetricType::Counter | MetricType::Gauge { .. } => {
                out.push_str(&format!("{n}{labels} {v}\n"));
            }
            MetricType::Histogram { buckets } => {
                for b in buckets.iter().map(|b| Some(*b)).chain([None]) {
                    let hit = b.is_none_or(|b| self.value <= b);
                    let le = b.map_or_else(|| "+Inf".to_string(), go_float);
                    let set = label_set(&self.labels, Some(("le", &le)));
                    out.push_str(&format!("{n}_bucket{set} {}\n", u8::from(hit)));
                }
                out.push_str(&format!("{n}_sum{labels} {v}\n{n}_count{labels} 1\n"));
            }
        }
        out
    }
}

fn text<'a>(spec: &'a Json, key: &str) -> &'a str {
    spec.get(key).and_then(Json::as_str).unwrap_or_default()
}

fn number(v: &Json) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(conv::parse_float))
}

/// Evaluates one `metrics.prometheus[]` entry with the given variables.
pub fn evaluate_metric(spec: &Json, bindings: &Bindings, limits: &Limits) -> Outcome {
    let declared = text(spec, "name").to_string();
    let fail = |what: &str, message: String| Outcome::Failed {
        name: declared.clone(),
        message: format!("{what}: {message}"),
    };
    let sub = |s: &str| substitute(s, bindings, &Mode::Strict, limits).map_err(|e| e.message);
    let name = match sub(&declared) {
        Ok(n) => n,
        Err(e) => return fail("name", e),
    };
    let when_src = match sub(text(spec, "when")) {
        Ok(w) => w,
        Err(e) => return fail("when", e),
    };
    match when::evaluate(&when_src, WhenOptions::default(), limits) {
        Ok(true) => {}
        Ok(false) => {
            return Outcome::Skipped {
                name,
                when: when_src,
            };
        }
        Err(e) => {
            let message = format!("invalid 'when' expression '{when_src}': {}", e.message);
            return fail("when", message);
        }
    }
    let help = match sub(text(spec, "help")) {
        Ok(h) => h,
        Err(e) => return fail("help", e),
    };
    let mut labels = Vec::new();
    for l in spec
        .get("labels")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let key = text(l, "key");
        match sub(text(l, "value")) {
            Ok(v) => labels.push((key.to_string(), v)),
            Err(e) => return fail(&format!("label `{key}`"), e),
        }
    }
    labels.sort_by(|a, b| a.0.cmp(&b.0));
    let (kind, body) = if let Some(g) = spec.get("gauge") {
        let realtime = g.get("realtime").and_then(Json::as_bool) == Some(true);
        (MetricType::Gauge { realtime }, g)
    } else if let Some(h) = spec.get("histogram") {
        let buckets = h.get("buckets").and_then(Json::as_array);
        let mut buckets: Vec<f64> = buckets.into_iter().flatten().filter_map(number).collect();
        buckets.sort_by(f64::total_cmp);
        (MetricType::Histogram { buckets }, h)
    } else if let Some(c) = spec.get("counter") {
        (MetricType::Counter, c)
    } else {
        return fail("type", "no counter, gauge or histogram".into());
    };
    let raw = match sub(text(body, "value")) {
        Ok(v) => v,
        Err(e) => return fail("value", e),
    };
    let Some(value) = conv::parse_float(raw.trim()).filter(|_| raw.trim() == raw) else {
        return fail("value", format!("`{raw}` is not a number"));
    };
    Outcome::Emitted(Series {
        name,
        help,
        kind,
        labels,
        value,
    })
}

fn set(b: &mut Bindings, key: &str, value: impl Into<String>) {
    b.insert(key.to_string(), Some(value.into()));
}

fn evaluate_group(
    list: &Json,
    bindings: &Bindings,
    limits: &Limits,
    title: String,
    pointer: String,
) -> Option<Group> {
    let list = list.as_array().filter(|l| !l.is_empty())?;
    Some(Group {
        title,
        pointer,
        outcomes: list
            .iter()
            .map(|m| evaluate_metric(m, bindings, limits))
            .collect(),
    })
}

/// Every metric of an object (workflow-level first, then templates in order) for the sample run.
/// `only` restricts the preview to one template's metrics.
pub fn preview(
    root: &Json,
    kind: Kind,
    run: &RunSample,
    overrides: &Bindings,
    only: Option<&str>,
    limits: &Limits,
) -> Vec<Group> {
    let Some(spec) = workflow_spec(root, kind) else {
        return Vec::new();
    };
    let base = if kind == Kind::CronWorkflow {
        "/spec/workflowSpec"
    } else {
        "/spec"
    };
    let duration = format!("{:.6}", run.duration);
    let mut global = globals(root, kind);
    set(&mut global, "workflow.duration", duration.clone());
    let mut groups = Vec::new();
    let workflow_level = spec.get("metrics").and_then(|m| m.get("prometheus"));
    if let Some(list) = workflow_level.filter(|_| only.is_none()) {
        let mut b = global.clone();
        set(&mut b, "workflow.status", run.status.clone());
        b.extend(overrides.clone());
        let pointer = format!("{base}/metrics/prometheus");
        groups.extend(evaluate_group(list, &b, limits, "workflow".into(), pointer));
    }
    let templates = spec.get("templates").and_then(Json::as_array);
    for (i, t) in templates.into_iter().flatten().enumerate() {
        let name = text(t, "name");
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let Some(list) = t.get("metrics").and_then(|m| m.get("prometheus")) else {
            continue;
        };
        let mut b = global.clone();
        set(&mut b, "workflow.status", "Running");
        template_locals(t, &mut b);
        set(&mut b, "status", run.status.clone());
        set(&mut b, "duration", duration.clone());
        set(&mut b, "retries", "0");
        let whole = (run.duration.max(0.0) as u64).to_string();
        set(&mut b, "resourcesDuration.cpu", whole.clone());
        set(&mut b, "resourcesDuration.memory", whole);
        if ["container", "script", "containerSet"]
            .iter()
            .any(|k| t.get(k).is_some())
        {
            let code = if run.status == "Succeeded" { "0" } else { "1" };
            set(&mut b, "exitCode", code);
        }
        b.extend(overrides.clone());
        let pointer = format!("{base}/templates/{i}/metrics/prometheus");
        groups.extend(evaluate_group(
            list,
            &b,
            limits,
            format!("template {name}"),
            pointer,
        ));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seed() -> Json {
        json!({
            "metadata": {"name": "sample-module-wf"},
            "spec": {"metrics": {"prometheus": [
                {"name": "custom_finished_workflows_count", "help": "count",
                 "labels": [
                    {"key": "template_name", "value": "{{= sprig.regexReplaceAll(\"(.*)-[^-]*-[^-]*$\", workflow.name, \"$1\") }}"},
                    {"key": "status", "value": "{{workflow.status}}"}],
                 "counter": {"value": "1"}},
                {"name": "custom_last_workflow_result", "help": "last",
                 "gauge": {"value": "{{= sprig.ternary('0', '1', workflow.status == 'Succeeded')}}"}}
            ]}}
        })
    }

    fn outcomes(root: &Json, kind: Kind, run: &RunSample, set: &[(&str, &str)]) -> Vec<Outcome> {
        let overrides: Bindings = set
            .iter()
            .map(|(k, v)| (k.to_string(), Some(v.to_string())))
            .collect();
        preview(root, kind, run, &overrides, None, &Limits::default())
            .into_iter()
            .flat_map(|g| g.outcomes)
            .collect()
    }

    fn value_of(o: &Outcome) -> f64 {
        match o {
            Outcome::Emitted(s) => s.value,
            other => panic!("not emitted: {other:?}"),
        }
    }

    #[test]
    fn the_seed_metrics_render_template_name_and_status() {
        let name = [("workflow.name", "sample-module-wf-abc12-def34")];
        let ok = outcomes(
            &seed(),
            Kind::WorkflowTemplate,
            &RunSample::default(),
            &name,
        );
        let Outcome::Emitted(counter) = &ok[0] else {
            panic!("{ok:?}")
        };
        assert_eq!(
            counter.labels,
            [
                ("status".to_string(), "Succeeded".to_string()),
                ("template_name".to_string(), "sample-module-wf".to_string())
            ]
        );
        assert_eq!(value_of(&ok[1]), 0.0);
        let failed = RunSample {
            status: "Failed".into(),
            ..RunSample::default()
        };
        let bad = outcomes(&seed(), Kind::WorkflowTemplate, &failed, &name);
        assert_eq!(value_of(&bad[1]), 1.0);
    }

    #[test]
    fn when_values_and_missing_variables() {
        let root = json!({"metadata": {"name": "w"}, "spec": {"templates": [{
            "name": "t", "container": {"image": "a:1"},
            "inputs": {"parameters": [{"name": "tag", "default": "x"}]},
            "metrics": {"prometheus": [
                {"name": "h", "help": "h", "when": "{{status}} == Succeeded",
                 "histogram": {"buckets": [20, 2.5], "value": "{{duration}}"}},
                {"name": "e", "help": "{{inputs.parameters.tag}}", "counter": {"value": "{{exitCode}}"}},
                {"name": "o", "help": "o", "gauge": {"value": "{{outputs.parameters.n}}"}},
                {"name": "bad", "help": "b", "gauge": {"value": "{{status}}"}}
            ]}
        }]}});
        let failed = RunSample {
            status: "Failed".into(),
            duration: 3.0,
        };
        let out = outcomes(&root, Kind::Workflow, &failed, &[]);
        assert_eq!(
            out[0],
            Outcome::Skipped {
                name: "h".into(),
                when: "Failed == Succeeded".into()
            }
        );
        let Outcome::Emitted(e) = &out[1] else {
            panic!("{out:?}")
        };
        assert_eq!((e.help.as_str(), e.value), ("x", 1.0));
        assert_eq!(
            out[2],
            Outcome::Failed {
                name: "o".into(),
                message: "value: failed to resolve {{outputs.parameters.n}}".into()
            }
        );
        assert!(
            matches!(&out[3], Outcome::Failed { message, .. } if message.contains("`Failed` is not a number"))
        );
        let out = outcomes(
            &root,
            Kind::Workflow,
            &RunSample::default(),
            &[("outputs.parameters.n", "7")],
        );
        let Outcome::Emitted(h) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(
            h.exposition(),
            "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"2.5\"} 0\nh_bucket{le=\"20\"} 1\n\
             h_bucket{le=\"+Inf\"} 1\nh_sum 12.5\nh_count 1\n"
        );
        assert_eq!(value_of(&out[2]), 7.0);
    }

    #[test]
    fn exposition_escapes_help_and_label_values() {
        let s = Series {
            name: "m".into(),
            help: "a\\b\nc".into(),
            kind: MetricType::Gauge { realtime: false },
            labels: vec![("k".into(), "say \"hi\"\n".into())],
            value: 1e6,
        };
        assert_eq!(
            s.exposition(),
            "# HELP m a\\\\b\\nc\n# TYPE m gauge\nm{k=\"say \\\"hi\\\"\\n\"} 1e+06\n"
        );
    }
}
