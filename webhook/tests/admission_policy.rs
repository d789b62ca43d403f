//! The policy file that drives `bosun lint --config` drives admission the same way: the
//! manifest and policy of `compiler/tests/data/policy/` (also used by
//! `compiler/tests/cli_policy.rs`) are denied with the same codes, severities and pointers.

use kube::api::DynamicObject;
use kube::core::admission::{AdmissionRequest, AdmissionReview};
use serde_json::Value;
use webhook::admission::{Endpoint, Reviewer, review};

/// (code, severity, JSON pointer) of every finding for `workflow.yaml` in namespace `argo`,
/// sorted: `tests/data/policy/expected.txt` in the compiler crate, read by the CLI test and the
/// webhook test alike.
fn expected() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(shared("expected.txt")).expect("expected.txt");
    text.lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace().map(str::to_string);
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
        .collect()
}

fn shared(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../compiler/tests/data/policy")
        .join(name)
}

/// A CREATE review of `workflow.yaml` in `namespace`.
fn request(namespace: &str) -> AdmissionRequest<DynamicObject> {
    let path = format!(
        "{}/tests/data/workflow-create-valid.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut review: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("review")).expect("JSON");
    let yaml = std::fs::read_to_string(shared("workflow.yaml")).expect("manifest");
    let object: Value = serde_saphyr::from_str(&yaml).expect("manifest is YAML");
    review["request"]["object"] = object;
    review["request"]["namespace"] = Value::from(namespace);
    let review: AdmissionReview<DynamicObject> = serde_json::from_value(review).expect("review");
    review.try_into().expect("has a request")
}

fn reviewer() -> Reviewer {
    let policy = webhook::policy::load(&shared("policy.yaml")).expect("policy loads");
    Reviewer::new(policy, None)
}

/// `CODE /pointer: …` lines → (code, pointer).
fn parse(line: &str) -> (String, String) {
    let (code, rest) = line.split_once(' ').expect("code");
    let pointer = rest.split_once(':').map_or(rest, |(p, _)| p);
    (code.to_string(), pointer.to_string())
}

#[test]
fn the_policy_denies_with_the_codes_lint_reports() {
    let decision = review(&request("argo"), &reviewer(), Endpoint::Validate);
    let response = decision.response;
    assert!(!response.allowed);
    assert_eq!(response.result.code, 422);
    let message = &response.result.message;
    let mut found: Vec<(String, String, String)> = message
        .lines()
        .skip(1)
        .map(|l| {
            let (c, p) = parse(l);
            (c, "error".to_string(), p)
        })
        .chain(response.warnings.iter().flatten().map(|w| {
            let (c, p) = parse(w);
            (c, "warning".to_string(), p)
        }))
        .collect();
    found.sort();
    assert_eq!(found, expected(), "{message}");
    assert!(
        message.starts_with("bosun: Workflow/argo/policy-* has 4 errors:"),
        "{message}"
    );
}

#[test]
fn exempt_namespaces_are_allowed_untouched() {
    let decision = review(&request("kube-system"), &reviewer(), Endpoint::Validate);
    assert!(decision.response.allowed);
    assert_eq!(decision.result, "skipped");
}
