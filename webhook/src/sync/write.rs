//! Writing copies safely.
//!
//! - Create with POST: if the name is taken the API answers 409 AlreadyExists, so an unmanaged
//!   Secret is never overwritten, even when our cache has not seen it yet. The taken Secret is
//!   then read and classified: ours (cache lag), an adoptable rigger copy (Plans only), or a
//!   conflict.
//! - Update with PUT carrying the resourceVersion we compared against: a concurrent change makes
//!   it a 409 and the reconcile retries. (Server-side apply would not remove keys or labels a
//!   person added to a copy, and `force` would take over unmanaged Secrets: a guarded replace
//!   makes "exact mirror" and "never overwrite what is not ours" hold without races.)
//! - Delete with a UID precondition, so only the exact copy we saw is removed; 404 is success.

use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, DeleteParams, PostParams, Preconditions};
use kube::{Client, ResourceExt};

use super::Error;
use super::api::SyncConflict;
use super::desired::{
    LAST_APPLIED_ANNOTATION, MANAGED_BY, MANAGED_BY_LABEL, OWNER_UID_LABEL, RIGGER_CREATED_LABEL,
    RIGGER_SRC_NAME_LABEL, RIGGER_SRC_NAMESPACE_LABEL, SOURCE_ANNOTATION, needs_update,
};
use super::owner::{CopyStyle, SyncPlan};

/// The field manager of every write the syncer makes.
pub const FIELD_MANAGER: &str = "bosun-webhook-sync";

/// What happened to one desired copy.
#[derive(Debug)]
pub enum Outcome {
    Unchanged,
    Created,
    Updated,
    /// An existing rigger copy was taken over by the Plan that now owns it.
    Adopted,
    Conflict(SyncConflict),
}

fn post_params() -> PostParams {
    PostParams {
        dry_run: false,
        field_manager: Some(FIELD_MANAGER.to_owned()),
    }
}

fn is_code(e: &kube::Error, code: u16) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == code)
}

/// Who holds a destination name we wanted.
enum Holder {
    Us,
    RiggerCopy,
    Other(&'static str),
}

fn classify(plan: &SyncPlan, existing: &Secret) -> Holder {
    let labels = existing.labels();
    if labels.get(OWNER_UID_LABEL) == Some(&plan.owner.uid) {
        return Holder::Us;
    }
    if labels
        .get(MANAGED_BY_LABEL)
        .is_some_and(|v| v == MANAGED_BY)
    {
        return Holder::Other("OwnedByOther");
    }
    // rigger's own copies (created before switching controllers) carry its labels; a Plan adopts
    // the one that matches its source exactly.
    let source = existing.annotations().get(SOURCE_ANNOTATION).cloned();
    let rigger = labels
        .get(RIGGER_CREATED_LABEL)
        .is_some_and(|v| v == "true");
    if plan.style == CopyStyle::Rigger && rigger && source.is_none() {
        return Holder::RiggerCopy;
    }
    Holder::Other("Unmanaged")
}

fn rigger_source_matches(existing: &Secret, desired: &Secret) -> bool {
    let (e, d) = (existing.labels(), desired.labels());
    [RIGGER_SRC_NAMESPACE_LABEL, RIGGER_SRC_NAME_LABEL]
        .iter()
        .all(|k| e.get(*k).is_some() && e.get(*k) == d.get(*k))
}

/// The object to PUT: desired content on top of the existing object's identity. Labels and
/// annotations others added are kept unless the owner copies them from the source.
fn merged_for_replace(plan: &SyncPlan, existing: &Secret, desired: &Secret) -> Secret {
    let mut out = desired.clone();
    out.metadata.resource_version = existing.metadata.resource_version.clone();
    out.metadata.uid = existing.metadata.uid.clone();
    if !plan.copy_labels {
        let labels = out.metadata.labels.get_or_insert_default();
        for (k, v) in existing.labels() {
            labels.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    if !plan.copy_annotations {
        let ann = out.metadata.annotations.get_or_insert_default();
        for (k, v) in existing.annotations() {
            if k != LAST_APPLIED_ANNOTATION {
                ann.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    out
}

async fn replace(
    api: &Api<Secret>,
    plan: &SyncPlan,
    existing: &Secret,
    desired: &Secret,
) -> Result<(), Error> {
    let name = desired.name_any();
    let body = merged_for_replace(plan, existing, desired);
    match api.replace(&name, &post_params(), &body).await {
        Ok(_) => Ok(()),
        Err(e) if is_code(&e, 409) => {
            Err(Error::StaleWrite(format!("{}/{name}", plan.dest_namespace)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Makes one desired copy true. `owned` is our cached copy of the same name, if any.
pub async fn write_copy(
    client: &Client,
    plan: &SyncPlan,
    owned: Option<&Secret>,
    desired: &Secret,
) -> Result<Outcome, Error> {
    let api: Api<Secret> = Api::namespaced(client.clone(), &plan.dest_namespace);
    if let Some(existing) = owned {
        if !needs_update(existing, desired) {
            return Ok(Outcome::Unchanged);
        }
        replace(&api, plan, existing, desired).await?;
        return Ok(Outcome::Updated);
    }
    let name = desired.name_any();
    match api.create(&post_params(), desired).await {
        Ok(_) => return Ok(Outcome::Created),
        Err(e) if is_code(&e, 409) => {}
        Err(e) => return Err(e.into()),
    }
    let Some(existing) = api.get_opt(&name).await? else {
        return Err(Error::StaleWrite(format!("{}/{name}", plan.dest_namespace)));
    };
    let conflict = |reason: &str| {
        Outcome::Conflict(SyncConflict {
            namespace: plan.dest_namespace.clone(),
            name: name.clone(),
            source: desired
                .annotations()
                .get(SOURCE_ANNOTATION)
                .cloned()
                .unwrap_or_default(),
            reason: reason.to_owned(),
        })
    };
    match classify(plan, &existing) {
        Holder::Us if !needs_update(&existing, desired) => Ok(Outcome::Unchanged),
        Holder::Us => replace(&api, plan, &existing, desired)
            .await
            .map(|()| Outcome::Updated),
        Holder::RiggerCopy if rigger_source_matches(&existing, desired) => {
            replace(&api, plan, &existing, desired)
                .await
                .map(|()| Outcome::Adopted)
        }
        Holder::RiggerCopy => Ok(conflict("Unmanaged")),
        Holder::Other(reason) => Ok(conflict(reason)),
    }
}

/// Deletes exactly this copy (UID precondition). Gone already, or replaced by another object
/// with the same name, counts as done.
pub async fn delete_copy(client: &Client, copy: &Secret) -> Result<bool, Error> {
    let (Some(ns), Some(uid)) = (copy.namespace(), copy.uid()) else {
        return Ok(false);
    };
    let api: Api<Secret> = Api::namespaced(client.clone(), &ns);
    let dp = DeleteParams {
        preconditions: Some(Preconditions {
            uid: Some(uid),
            resource_version: None,
        }),
        ..DeleteParams::default()
    };
    match api.delete(&copy.name_any(), &dp).await {
        Ok(_) => Ok(true),
        Err(e) if is_code(&e, 404) || is_code(&e, 409) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
