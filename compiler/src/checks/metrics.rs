//! Prometheus metric checks (AW84x), for template-level and workflow-level `metrics`.

pub(crate) mod empty_metric_help;
pub(crate) mod empty_metric_value;
pub(crate) mod invalid_histogram_buckets;
pub(crate) mod invalid_metric_label;
pub(crate) mod invalid_metric_name;
pub(crate) mod invalid_metric_type;
pub(crate) mod realtime_resources_duration;

use crate::model::Object;
use crate::model::views::{Metrics, Prometheus};
use crate::model::walk;

/// Every metric of an object: `spec.metrics` first (Argo does not check these at all), then
/// each template's, inline templates included.
fn metrics<'a>(obj: &Object<'a>) -> Vec<Prometheus<'a>> {
    let Some(spec) = obj.workflow_spec() else {
        return Vec::new();
    };
    let lists = std::iter::once(spec.metrics()).chain(
        walk::templates(spec)
            .into_iter()
            .map(|s| s.template.metrics()),
    );
    lists
        .flatten()
        .filter_map(|m: Metrics<'a>| m.prometheus())
        .flat_map(|p| p.iter().collect::<Vec<_>>())
        .collect()
}

/// Position of the first character that a legacy Prometheus name (`[a-zA-Z_][a-zA-Z0-9_]*`)
/// does not allow; `Some(0)` for an empty name.
fn invalid_char(name: &str) -> Option<usize> {
    if name.is_empty() {
        return Some(0);
    }
    name.char_indices().find_map(|(i, c)| {
        let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
        (!ok).then_some(i)
    })
}

/// The name of a metric for messages.
fn display<'a>(m: &Prometheus<'a>) -> &'a str {
    m.name().and_then(|n| n.as_str()).unwrap_or("")
}
