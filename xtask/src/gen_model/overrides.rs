//! Bosun's corrections to Argo's API JSON Schema: the one place where the generated model departs
//! from `argo-api-schema.json`, each entry with the reason.
//!
//! The schema is generated from Go types by openapi-gen, and it is wrong or too weak in places:
//! `IntOrString` is typed `string`, `Quantity` and durations are plain strings, Argo's `AnyString`
//! (which accepts numbers and booleans) is typed `string`, enums are only stated in prose, and
//! every Go field without `omitempty` is listed as `required` even when Argo defaults it. The
//! tables below fix that. They are copied into the generated catalog (`OVERRIDES`), so the
//! `api_schema` acceptance test can tell intentional differences from drift.
//!
//! Names are the short definition names (`RetryStrategy`, `Container`); a short name matches both
//! the Argo and the Kubernetes definition when they share it, which never happens for the entries
//! here except where noted.

/// A replacement type for a property or a whole definition.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Replace {
    /// Anything at all (free-form data).
    Any,
    /// A mapping with free-form keys and values.
    MapOfAny,
    /// Kubernetes `IntOrString`: an integer or any string.
    IntOrString,
    /// Argo's numeric `IntOrString`: an integer, or a string that holds one (or a template tag).
    IntOrIntString,
    /// Kubernetes `resource.Quantity`.
    Quantity,
    /// A Go `time.ParseDuration` string (`30s`, `1h30m`).
    Duration,
    /// Argo's `ParseStringToDuration`: a string holding integer seconds (`"30"`) or a Go duration.
    SecondsOrDuration,
    /// Argo's `AnyString`: a string, number or boolean (numbers and booleans become strings).
    AnyString,
    /// An array of `AnyString`.
    ArrayOfAnyString,
    /// A number (`Amount` wraps `json.Number`).
    Number,
    /// A string restricted to these values.
    Enum(&'static [&'static str]),
    /// An array of strings restricted to these values.
    ArrayOfEnum(&'static [&'static str]),
}

/// What an override changes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Change {
    /// The property gets another type.
    Type(Replace),
    /// The property is listed as required by the schema but Argo does not need it.
    NotRequired,
}

/// One property-level correction.
pub(crate) struct PropOverride {
    pub(crate) ty: &'static str,
    pub(crate) prop: &'static str,
    pub(crate) change: Change,
    pub(crate) reason: &'static str,
}

/// One definition-level correction: every `$ref` to the definition gets the replacement type and
/// the definition itself is not modelled as an object.
pub(crate) struct TypeOverride {
    pub(crate) schema_name: &'static str,
    pub(crate) replace: Replace,
    pub(crate) reason: &'static str,
}

pub(crate) static TYPE_OVERRIDES: &[TypeOverride] = &[
    TypeOverride {
        schema_name: "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        replace: Replace::IntOrString,
        reason: "the schema types it `string`, but it holds an integer or a string",
    },
    TypeOverride {
        schema_name: "io.k8s.apimachinery.pkg.api.resource.Quantity",
        replace: Replace::Quantity,
        reason: "a number or a string in Kubernetes' quantity grammar, not any string",
    },
    TypeOverride {
        schema_name: "io.argoproj.workflow.v1alpha1.Item",
        replace: Replace::Any,
        reason: "`withItems` entries are free-form: strings, numbers, booleans, lists or maps",
    },
    TypeOverride {
        schema_name: "io.argoproj.workflow.v1alpha1.Plugin",
        replace: Replace::MapOfAny,
        reason: "a plugin template is an object with one free-form key (the plugin name)",
    },
    TypeOverride {
        schema_name: "io.argoproj.workflow.v1alpha1.Amount",
        replace: Replace::Number,
        reason: "histogram buckets are numbers (`json.Number`)",
    },
    TypeOverride {
        schema_name: "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
        replace: Replace::Any,
        reason: "managed-fields data is a free-form trie",
    },
];

const STATUS: &str =
    "written by the controller; Bosun accepts any status block and checks nothing in it";
const ANY_STRING: &str = "Argo's `AnyString` accepts strings, numbers and booleans";
const GO_DURATION: &str = "parsed with Go's `time.ParseDuration`";
const SECONDS_OR_DURATION: &str =
    "parsed with Argo's `ParseStringToDuration`: integer seconds in a string, or a Go duration";
const ARGO_INT: &str = "Argo reads the string form as an integer (`strconv.Atoi`)";
const IMAGE_FROM_DEFAULTS: &str = "`spec.templateDefaults` can supply the image; a semantic check reports images missing after defaults";

const PULL_POLICY: &[&str] = &["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICY: &[&str] = &["File", "FallbackToLogsOnError"];
const PROBE_SCHEME: &[&str] = &["HTTP", "HTTPS"];
const PROFILE_TYPE: &[&str] = &["Localhost", "RuntimeDefault", "Unconfined"];

macro_rules! prop {
    ($ty:literal . $prop:literal => $change:expr, $reason:expr) => {
        PropOverride {
            ty: $ty,
            prop: $prop,
            change: $change,
            reason: $reason,
        }
    };
}

use Change::{NotRequired, Type};
use Replace::*;

pub(crate) static PROP_OVERRIDES: &[PropOverride] = &[
    // Status blocks: modelling them is not worth the false positives.
    prop!("Workflow"."status" => Type(Any), STATUS),
    prop!("CronWorkflow"."status" => Type(Any), STATUS),
    // AnyString.
    prop!("Parameter"."value" => Type(AnyString), ANY_STRING),
    prop!("Parameter"."default" => Type(AnyString), ANY_STRING),
    prop!("Parameter"."enum" => Type(ArrayOfAnyString), ANY_STRING),
    prop!("ValueFrom"."default" => Type(AnyString), ANY_STRING),
    // Durations.
    prop!("Template"."timeout" => Type(Duration), "parsed with Go's `time.ParseDuration` (Argo rejects bare integers)"),
    prop!("Template"."pendingTimeout" => Type(Duration), GO_DURATION),
    prop!("PodGC"."deleteDelayDuration" => Type(Duration), GO_DURATION),
    prop!("Memoize"."maxAge" => Type(Duration), GO_DURATION),
    prop!("ContainerSetRetryStrategy"."duration" => Type(Duration), GO_DURATION),
    prop!("SuspendTemplate"."duration" => Type(SecondsOrDuration), SECONDS_OR_DURATION),
    prop!("Backoff"."duration" => Type(SecondsOrDuration), SECONDS_OR_DURATION),
    prop!("Backoff"."maxDuration" => Type(SecondsOrDuration), SECONDS_OR_DURATION),
    prop!("Backoff"."cap" => Type(SecondsOrDuration), SECONDS_OR_DURATION),
    // Argo's IntOrString fields are numbers that may be written as strings for templating.
    prop!("RetryStrategy"."limit" => Type(IntOrIntString), ARGO_INT),
    prop!("Backoff"."factor" => Type(IntOrIntString), ARGO_INT),
    prop!("Sequence"."count" => Type(IntOrIntString), ARGO_INT),
    prop!("Sequence"."start" => Type(IntOrIntString), ARGO_INT),
    prop!("Sequence"."end" => Type(IntOrIntString), ARGO_INT),
    prop!("ContainerSetRetryStrategy"."retries" => Type(IntOrIntString), ARGO_INT),
    prop!("Template"."activeDeadlineSeconds" => Type(IntOrIntString), ARGO_INT),
    // Argo enums (kubebuilder markers and Go constants).
    prop!("RetryStrategy"."retryPolicy" => Type(Enum(&["Always", "OnError", "OnFailure", "OnTransientError"])), "kubebuilder enum"),
    prop!("PodGC"."strategy" => Type(Enum(&["", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"])), "kubebuilder enum; checked by `argo lint`"),
    prop!("ArtifactGC"."strategy" => Type(Enum(&["", "Never", "OnWorkflowCompletion", "OnWorkflowDeletion"])), "kubebuilder enum"),
    prop!("WorkflowLevelArtifactGC"."strategy" => Type(Enum(&["", "Never", "OnWorkflowCompletion", "OnWorkflowDeletion"])), "kubebuilder enum"),
    prop!("CronWorkflowSpec"."concurrencyPolicy" => Type(Enum(&["Allow", "Forbid", "Replace"])), "kubebuilder enum"),
    prop!("ResourceTemplate"."action" => Type(Enum(&["apply", "create", "delete", "get", "patch", "replace"])), "kubebuilder enum"),
    prop!("ResourceTemplate"."mergeStrategy" => Type(Enum(&["json", "merge", "strategic"])), "kubebuilder enum"),
    prop!("S3Artifact"."addressingStyle" => Type(Enum(&["", "path", "virtual-hosted"])), "kubebuilder enum"),
    prop!("Gauge"."operation" => Type(Enum(&["Add", "Set", "Sub"])), "kubebuilder enum"),
    prop!("VolumeClaimGC"."strategy" => Type(Enum(&["", "OnWorkflowCompletion", "OnWorkflowSuccess"])), "Go constants `VolumeClaimGCOnCompletion`, `VolumeClaimGCOnSuccess`"),
    prop!("WorkflowSpec"."shutdown" => Type(Enum(&["", "Stop", "Terminate"])), "Go constants `ShutdownStrategyStop`, `ShutdownStrategyTerminate`"),
    // Kubernetes enums (core/v1 constants).
    prop!("Container"."imagePullPolicy" => Type(Enum(PULL_POLICY)), "core/v1 `PullPolicy`"),
    prop!("ScriptTemplate"."imagePullPolicy" => Type(Enum(PULL_POLICY)), "core/v1 `PullPolicy`"),
    prop!("UserContainer"."imagePullPolicy" => Type(Enum(PULL_POLICY)), "core/v1 `PullPolicy`"),
    prop!("ContainerNode"."imagePullPolicy" => Type(Enum(PULL_POLICY)), "core/v1 `PullPolicy`"),
    prop!("ImageVolumeSource"."pullPolicy" => Type(Enum(PULL_POLICY)), "core/v1 `PullPolicy`"),
    prop!("Container"."terminationMessagePolicy" => Type(Enum(TERMINATION_MESSAGE_POLICY)), "core/v1 `TerminationMessagePolicy`"),
    prop!("ScriptTemplate"."terminationMessagePolicy" => Type(Enum(TERMINATION_MESSAGE_POLICY)), "core/v1 `TerminationMessagePolicy`"),
    prop!("UserContainer"."terminationMessagePolicy" => Type(Enum(TERMINATION_MESSAGE_POLICY)), "core/v1 `TerminationMessagePolicy`"),
    prop!("ContainerNode"."terminationMessagePolicy" => Type(Enum(TERMINATION_MESSAGE_POLICY)), "core/v1 `TerminationMessagePolicy`"),
    prop!("ContainerPort"."protocol" => Type(Enum(&["SCTP", "TCP", "UDP"])), "core/v1 `Protocol`"),
    prop!("WorkflowSpec"."dnsPolicy" => Type(Enum(&["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"])), "core/v1 `DNSPolicy`"),
    prop!("Toleration"."operator" => Type(Enum(&["Equal", "Exists", "Gt", "Lt"])), "core/v1 `TolerationOperator`"),
    prop!("Toleration"."effect" => Type(Enum(&["", "NoExecute", "NoSchedule", "PreferNoSchedule"])), "core/v1 `TaintEffect` (empty matches every effect)"),
    prop!("NodeSelectorRequirement"."operator" => Type(Enum(&["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"])), "core/v1 `NodeSelectorOperator`"),
    prop!("LabelSelectorRequirement"."operator" => Type(Enum(&["DoesNotExist", "Exists", "In", "NotIn"])), "meta/v1 `LabelSelectorOperator`"),
    prop!("HTTPGetAction"."scheme" => Type(Enum(PROBE_SCHEME)), "core/v1 `URIScheme`"),
    prop!("SeccompProfile"."type" => Type(Enum(PROFILE_TYPE)), "core/v1 `SeccompProfileType`"),
    prop!("AppArmorProfile"."type" => Type(Enum(PROFILE_TYPE)), "core/v1 `AppArmorProfileType`"),
    prop!("PodSecurityContext"."fsGroupChangePolicy" => Type(Enum(&["Always", "OnRootMismatch"])), "core/v1 `PodFSGroupChangePolicy`"),
    prop!("VolumeMount"."mountPropagation" => Type(Enum(&["Bidirectional", "HostToContainer", "None"])), "core/v1 `MountPropagationMode`"),
    prop!("VolumeMount"."recursiveReadOnly" => Type(Enum(&["Disabled", "Enabled", "IfPossible"])), "core/v1 `RecursiveReadOnlyMode`"),
    prop!("HostPathVolumeSource"."type" => Type(Enum(&["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"])), "core/v1 `HostPathType`"),
    prop!("PersistentVolumeClaimSpec"."accessModes" => Type(ArrayOfEnum(&["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"])), "core/v1 `PersistentVolumeAccessMode`"),
    prop!("PersistentVolumeClaimSpec"."volumeMode" => Type(Enum(&["Block", "Filesystem"])), "core/v1 `PersistentVolumeMode`"),
    prop!("ContainerResizePolicy"."restartPolicy" => Type(Enum(&["NotRequired", "RestartContainer"])), "core/v1 `ResourceResizeRestartPolicy`"),
    // Required fields Argo does not need.
    prop!("Container"."image" => NotRequired, IMAGE_FROM_DEFAULTS),
    prop!("ScriptTemplate"."image" => NotRequired, IMAGE_FROM_DEFAULTS),
    prop!("Gauge"."realtime" => NotRequired, "a pointer that Argo treats as `false` when absent"),
    prop!("Memoize"."maxAge" => NotRequired, "entries never expire when `maxAge` is absent"),
    prop!("Data"."transformation" => NotRequired, "a data template may only list its source"),
    prop!("AzureArtifact"."endpoint" => NotRequired, "key-only artifacts take it from the artifact repository"),
    prop!("AzureArtifact"."container" => NotRequired, "key-only artifacts take it from the artifact repository"),
];
