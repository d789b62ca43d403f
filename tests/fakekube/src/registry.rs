//! Resource types the fake serves: group, version, kind, plural, scope and whether a status
//! subresource exists. Any type can be registered; [`ResourceType::defaults`] covers what Bosun's
//! webhook and Secret syncer talk to. There is no discovery endpoint: typed kube clients do not
//! need one.

/// One served resource type (a GroupVersionKind plus its REST plural and scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    /// API group; empty for the core group (`/api/v1`).
    pub group: String,
    pub version: String,
    pub kind: String,
    /// Lower-case plural used in URLs (`secrets`).
    pub plural: String,
    pub namespaced: bool,
    /// With a status subresource, the main endpoint ignores `status` and `/status` changes only it.
    pub status_subresource: bool,
}

impl ResourceType {
    /// A namespaced type.
    pub fn namespaced(group: &str, version: &str, kind: &str, plural: &str) -> Self {
        Self {
            group: group.to_owned(),
            version: version.to_owned(),
            kind: kind.to_owned(),
            plural: plural.to_owned(),
            namespaced: true,
            status_subresource: false,
        }
    }

    /// A cluster-scoped type.
    pub fn cluster(group: &str, version: &str, kind: &str, plural: &str) -> Self {
        Self {
            namespaced: false,
            ..Self::namespaced(group, version, kind, plural)
        }
    }

    /// Enables the status subresource.
    #[must_use]
    pub fn with_status(mut self) -> Self {
        self.status_subresource = true;
        self
    }

    /// `v1` or `group/version`, as in an object's `apiVersion`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The types Bosun uses: core (Namespace, Secret, ConfigMap, ServiceAccount, Event),
    /// events.k8s.io Event, coordination Lease, Bosun's SecretSync, rigger's Plan and the Argo kinds.
    pub fn defaults() -> Vec<Self> {
        vec![
            Self::cluster("", "v1", "Namespace", "namespaces").with_status(),
            Self::namespaced("", "v1", "Secret", "secrets"),
            Self::namespaced("", "v1", "ConfigMap", "configmaps"),
            Self::namespaced("", "v1", "ServiceAccount", "serviceaccounts"),
            Self::namespaced("", "v1", "Event", "events"),
            Self::namespaced("events.k8s.io", "v1", "Event", "events"),
            Self::namespaced("coordination.k8s.io", "v1", "Lease", "leases"),
            Self::namespaced("bosun.dev", "v1alpha1", "SecretSync", "secretsyncs").with_status(),
            Self::namespaced("rigger.k8s.wantedly.com", "v1beta1", "Plan", "plans").with_status(),
            Self::namespaced("argoproj.io", "v1alpha1", "Workflow", "workflows").with_status(),
            Self::namespaced(
                "argoproj.io",
                "v1alpha1",
                "WorkflowTemplate",
                "workflowtemplates",
            ),
            Self::cluster(
                "argoproj.io",
                "v1alpha1",
                "ClusterWorkflowTemplate",
                "clusterworkflowtemplates",
            ),
            Self::namespaced("argoproj.io", "v1alpha1", "CronWorkflow", "cronworkflows")
                .with_status(),
        ]
    }
}
