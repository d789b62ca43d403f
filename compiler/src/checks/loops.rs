//! Loop checks (AW322–AW323): a step or task loops over one kind of list, and a `withSequence`
//! range is well defined.

pub(crate) mod conflicting_loop_fields;
pub(crate) mod invalid_sequence;

use crate::model::Object;
use crate::model::walk::{Call, CallKind, all_calls};

/// Every step and DAG task of the object.
fn steps_and_tasks<'a>(obj: &Object<'a>) -> Vec<Call<'a>> {
    obj.workflow_spec()
        .map(all_calls)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| matches!(c.kind, CallKind::Step { .. } | CallKind::Task { .. }))
        .collect()
}
