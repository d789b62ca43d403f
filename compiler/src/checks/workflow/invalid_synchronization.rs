//! AW863: a mutex without a name or a semaphore without exactly one source.

use super::{at_key, has};
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Checks `synchronization` of the workflow and of templates: every mutex has a `name`,
    /// every semaphore names exactly one of `configMapKeyRef` (with `name` and `key`) or
    /// `database` (with `key`).
    ///
    /// Argo rule: none (§2.15: synchronization contents are not checked).
    ///
    /// ## Why is this bad?
    /// The controller cannot tell which lock to take: the workflow errors when it tries to
    /// acquire it, or waits on a lock nobody else uses.
    ///
    /// ## Example
    /// ```yaml
    /// synchronization:
    ///   mutexes:
    ///     - namespace: argo
    ///   semaphores:
    ///     - configMapKeyRef: {name: my-config}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// synchronization:
    ///   mutexes:
    ///     - name: deploy
    ///   semaphores:
    ///     - configMapKeyRef: {name: my-config, key: workflow}
    /// ```
    pub(crate) static RULE = ("AW863", "invalid-synchronization", Error, "a mutex without a name or a semaphore without exactly one source");
}

fn synchronization(sync: NodeRef<'_>, out: &mut Vec<Diagnostic>) {
    for m in sync
        .get("mutexes")
        .iter()
        .flat_map(|l| l.items())
        .filter(|m| m.is_map())
    {
        if !has(m, "name") {
            out.push(at_key(
                &RULE,
                m.get("name").unwrap_or(m),
                "mutex has no `name`".into(),
                "name the mutex; workflows with the same name exclude each other",
            ));
        }
    }
    for s in sync
        .get("semaphores")
        .iter()
        .flat_map(|l| l.items())
        .filter(|s| s.is_map())
    {
        let cm = s.get("configMapKeyRef").filter(|c| !c.is_null());
        let db = s.get("database").filter(|d| !d.is_null());
        match (cm, db) {
            (None, None) => out.push(at_key(
                &RULE,
                s,
                "semaphore has neither `configMapKeyRef` nor `database`".into(),
                "set `configMapKeyRef` (`name` and `key` of the limit) or `database.key`",
            )),
            (Some(c), Some(_)) => out.push(at_key(
                &RULE,
                c,
                "semaphore has both `configMapKeyRef` and `database`".into(),
                "keep one of them",
            )),
            (Some(c), None) => {
                let missing: Vec<&str> =
                    ["name", "key"].into_iter().filter(|k| !has(c, k)).collect();
                if !missing.is_empty() && c.is_map() {
                    out.push(at_key(
                        &RULE,
                        c,
                        format!(
                            "semaphore `configMapKeyRef` has no {}",
                            missing
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ),
                        "name the ConfigMap and the key holding the limit",
                    ));
                }
            }
            (None, Some(d)) => {
                if d.is_map() && !has(d, "key") {
                    out.push(at_key(
                        &RULE,
                        d,
                        "semaphore `database` has no `key`".into(),
                        "set the key of the limit in the database",
                    ));
                }
            }
        }
    }
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    for s in super::spec_and_templates(obj, "synchronization") {
        synchronization(s, out);
    }
}
