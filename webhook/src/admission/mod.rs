//! The admission decision: a plain function from an `AdmissionRequest` to an
//! `AdmissionResponse` ([`review`]), with no I/O. Validation lints the object with the compiler
//! (as one document named `Kind/namespace/name`, templates resolved from the in-memory cluster
//! cache; the policy's severity overrides and opt-in rules BP001–BP004 are part of the lint
//! settings, exactly as for `bosun lint --config`) and adds the webhook's own reference checks;
//! errors deny (status code 422,
//! one line per finding), warnings go to `response.warnings`. Mutation returns the policy
//! defaults as a JSON Patch.
//!
//! What is reviewed: Workflows on CREATE only (the controller's status writes are full-object
//! UPDATEs); WorkflowTemplates, ClusterWorkflowTemplates and CronWorkflows on CREATE and on
//! UPDATEs that change `spec`. Everything else, and exempt namespaces, is allowed untouched.
//! `dryRun` requests get the same answer (the review has no side effects either way).

pub mod checks;
pub mod mutate;
pub mod render;

use std::sync::Arc;

use compiler::config::LintSettings;
use compiler::diagnostics::Severity;
use compiler::load::Loaded;
use compiler::model::Kind;
use compiler::resolve::{NoResolver, Resolver};
use kube::api::DynamicObject;
use kube::core::admission::{AdmissionRequest, AdmissionResponse, Operation};
use kube::core::response::Status;
use serde_json::Value;

use crate::cluster::Cluster;
use crate::library::Library;
use crate::policy::Policy;
use render::Finding;

/// HTTP-style code of a denial: the object is well-formed JSON but not a valid Argo object.
pub const DENY_CODE: u16 = 422;

/// Which endpoint a review came in on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Validate,
    Mutate,
}

impl Endpoint {
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Validate => "validate",
            Endpoint::Mutate => "mutate",
        }
    }
}

/// Everything a review needs, built once at start-up.
pub struct Reviewer {
    pub policy: Policy,
    settings: LintSettings,
    /// The cluster cache; `None` without a cluster (templates then resolve within the object
    /// only, or from [`Reviewer::library`]).
    pub cluster: Option<Arc<Cluster>>,
    /// Local mode's file-backed templates (`serve --templates DIR`), used without a cluster.
    pub library: Option<Arc<Library>>,
}

/// A response and the metric label of its outcome.
pub struct Decision {
    pub response: AdmissionResponse,
    /// `allowed`, `denied`, `warned`, `patched` or `skipped`.
    pub result: &'static str,
}

impl Reviewer {
    pub fn new(policy: Policy, cluster: Option<Arc<Cluster>>) -> Reviewer {
        let settings = policy.lint_settings();
        Reviewer {
            policy,
            settings,
            cluster,
            library: None,
        }
    }

    /// Local mode: no cluster, templates from a file-backed library.
    pub fn with_library(policy: Policy, library: Arc<Library>) -> Reviewer {
        let mut r = Reviewer::new(policy, None);
        r.library = Some(library);
        r
    }

    /// Runs `f` with the resolver of this reviewer: the cluster cache, else the library, else
    /// one that knows nothing.
    pub fn with_resolver<R>(&self, f: impl FnOnce(&dyn Resolver) -> R) -> R {
        match (&self.cluster, &self.library) {
            (Some(c), _) => f(&c.resolver()),
            (None, Some(l)) => f(l.as_ref()),
            (None, None) => f(&NoResolver),
        }
    }

    /// Whether deciding `req` reads the cluster cache (so it must wait until the cache is synced).
    pub fn needs_cluster(&self, req: &AdmissionRequest<DynamicObject>, endpoint: Endpoint) -> bool {
        self.cluster.is_some() && reviewed_kind(req, self, endpoint).is_some()
    }
}

/// The Argo kind of the request, if it is one Bosun reviews.
fn argo_kind(req: &AdmissionRequest<DynamicObject>) -> Option<Kind> {
    (req.kind.group == "argoproj.io")
        .then(|| Kind::parse(&req.kind.kind))
        .flatten()
}

fn operation(op: &Operation) -> &'static str {
    match op {
        Operation::Create => "CREATE",
        Operation::Update => "UPDATE",
        Operation::Delete => "DELETE",
        Operation::Connect => "CONNECT",
    }
}

/// The metric label of the request's operation.
pub fn operation_label(req: &AdmissionRequest<DynamicObject>) -> &'static str {
    operation(&req.operation)
}

fn skipped(req: &AdmissionRequest<DynamicObject>) -> Decision {
    Decision {
        response: AdmissionResponse::from(req),
        result: "skipped",
    }
}

/// The object as JSON, with the request's namespace filled in and without `status` and
/// `managedFields` (not the user's input; can be megabytes).
fn object_json(
    req: &AdmissionRequest<DynamicObject>,
    obj: &DynamicObject,
    kind: Kind,
) -> Option<Value> {
    let mut v = serde_json::to_value(obj).ok()?;
    let m = v.as_object_mut()?;
    m.remove("status");
    m.entry("apiVersion")
        .or_insert_with(|| Value::from(compiler::model::ARGO_API_VERSION));
    m.entry("kind")
        .or_insert_with(|| Value::from(kind.as_str()));
    let meta = m
        .entry("metadata")
        .or_insert_with(|| Value::Object(Default::default()))
        .as_object_mut()?;
    meta.remove("managedFields");
    if let Some(ns) = req.namespace.as_deref().filter(|_| kind.is_namespaced()) {
        meta.entry("namespace").or_insert_with(|| Value::from(ns));
    }
    Some(v)
}

/// The kind of `req` if Bosun reviews it on `endpoint` (not skipped).
fn reviewed_kind(
    req: &AdmissionRequest<DynamicObject>,
    reviewer: &Reviewer,
    endpoint: Endpoint,
) -> Option<Kind> {
    let kind = argo_kind(req)?;
    let reviewed = match (&req.operation, kind) {
        (Operation::Create, _) => true,
        (Operation::Update, Kind::Workflow) => false,
        (Operation::Update, _) => match endpoint {
            Endpoint::Mutate => kind == Kind::CronWorkflow,
            Endpoint::Validate => spec_changed(req),
        },
        _ => false,
    };
    let namespace = req.namespace.as_deref().unwrap_or_default();
    (reviewed && !reviewer.policy.is_exempt(namespace)).then_some(kind)
}

/// Decides one review.
pub fn review(
    req: &AdmissionRequest<DynamicObject>,
    reviewer: &Reviewer,
    endpoint: Endpoint,
) -> Decision {
    let Some(kind) = reviewed_kind(req, reviewer, endpoint) else {
        return skipped(req);
    };
    let namespace = req.namespace.as_deref().unwrap_or_default();
    let Some(object) = req.object.as_ref().and_then(|o| object_json(req, o, kind)) else {
        let mut response = AdmissionResponse::invalid("request.object is missing");
        response.uid = req.uid.clone();
        response.result.code = 400;
        return Decision {
            response,
            result: "invalid",
        };
    };
    match endpoint {
        Endpoint::Validate => validate(req, reviewer, kind, namespace, &object),
        Endpoint::Mutate => mutate(req, reviewer, kind, &object),
    }
}

fn spec_changed(req: &AdmissionRequest<DynamicObject>) -> bool {
    let spec = |o: &Option<DynamicObject>| o.as_ref().and_then(|o| o.data.get("spec")).cloned();
    spec(&req.object) != spec(&req.old_object)
}

fn display(kind: Kind, namespace: &str, object: &Value) -> String {
    let meta = object.get("metadata");
    let field = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str);
    let name = field("name")
        .map(str::to_owned)
        .or_else(|| field("generateName").map(|g| format!("{g}*")))
        .unwrap_or_default();
    if kind.is_namespaced() {
        format!("{}/{namespace}/{name}", kind.as_str())
    } else {
        format!("{}/{name}", kind.as_str())
    }
}

fn validate(
    req: &AdmissionRequest<DynamicObject>,
    reviewer: &Reviewer,
    kind: Kind,
    namespace: &str,
    object: &Value,
) -> Decision {
    let name = display(kind, namespace, object);
    let text = serde_json::to_string(object).unwrap_or_default();
    let mut loaded = Loaded::default();
    loaded.add_text(name.clone(), text);
    let mut settings = reviewer.settings.clone();
    if kind.is_namespaced() {
        settings.refs.namespace = Some(namespace.to_owned());
    }
    let report = reviewer.with_resolver(|r| compiler::lint_with(&loaded, &settings, r));
    let mut findings: Vec<Finding> = report.diagnostics.iter().map(Finding::from).collect();
    if let Some(c) = &reviewer.cluster
        && kind.is_namespaced()
    {
        findings.extend(checks::missing_references(
            object,
            namespace,
            c,
            reviewer.policy.references,
        ));
    }
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let warnings: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .collect();
    let mut response = AdmissionResponse::from(req);
    if !warnings.is_empty() {
        response.warnings = Some(render::warnings(&warnings));
    }
    if errors.is_empty() {
        let result = if warnings.is_empty() {
            "allowed"
        } else {
            "warned"
        };
        return Decision { response, result };
    }
    response.result =
        Status::failure(&render::deny_message(&name, &errors), "Invalid").with_code(DENY_CODE);
    response.allowed = false;
    Decision {
        response,
        result: "denied",
    }
}

fn mutate(
    req: &AdmissionRequest<DynamicObject>,
    reviewer: &Reviewer,
    kind: Kind,
    object: &Value,
) -> Decision {
    let defaults = &reviewer.policy.defaults;
    let base = match kind {
        Kind::Workflow => "/spec",
        Kind::CronWorkflow => "/spec/workflowSpec",
        _ => return skipped(req),
    };
    if defaults.is_empty() {
        return skipped(req);
    }
    let reference = object
        .pointer(&format!("{base}/workflowTemplateRef"))
        .cloned();
    let ops = match reference {
        None => mutate::defaults_patch(object, base, defaults, None),
        Some(r) => {
            let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
            let cluster_scope = r.get("clusterScope").and_then(Value::as_bool) == Some(true);
            let namespace = req.namespace.as_deref().unwrap_or_default();
            reviewer.with_resolver(|res| {
                let target = if cluster_scope {
                    res.cluster_workflow_template(name)
                } else {
                    res.workflow_template(namespace, name)
                };
                let sets = |field: &str| {
                    target.map(|t| t.root.get("spec").and_then(|s| s.get(field)).is_some())
                };
                mutate::defaults_patch(object, base, defaults, Some(&sets))
            })
        }
    };
    let response = AdmissionResponse::from(req);
    if ops.is_empty() {
        return Decision {
            response,
            result: "allowed",
        };
    }
    match serde_json::from_value::<json_patch::Patch>(Value::Array(ops))
        .ok()
        .and_then(|p| response.clone().with_patch(p).ok())
    {
        Some(response) => Decision {
            response,
            result: "patched",
        },
        // Cannot happen with the operations built above; fail open without a patch.
        None => Decision {
            response,
            result: "allowed",
        },
    }
}
