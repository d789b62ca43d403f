//! The containers of a template's pod, as the semantic checks see them: the main container
//! (`container` or `script`), the containers of a `containerSet`, init containers and sidecars.
//!
//! Nothing here reports diagnostics.

use crate::model::view::View;
use crate::model::views::Template;
use crate::parse::NodeRef;

/// Which part of a template a container comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// `container` or `script`.
    Main,
    /// `containerSet.containers[*]`.
    SetMember,
    Init,
    Sidecar,
}

/// One container of a template, as a raw node (the container types share their field names).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PodContainer<'a> {
    pub role: Role,
    pub node: NodeRef<'a>,
    /// The template field it sits under: `container`, `script`, `containerSet`, ...
    pub field: &'static str,
}

impl<'a> PodContainer<'a> {
    /// `name`, when it is a string.
    pub(crate) fn name(&self) -> Option<&'a str> {
        self.node.get("name").and_then(|n| n.as_str())
    }

    /// The items of a list field (`volumeMounts`, `volumeDevices`); empty when absent.
    pub(crate) fn list(&self, field: &str) -> Vec<NodeRef<'a>> {
        self.node
            .get(field)
            .map(|n| n.items().collect())
            .unwrap_or_default()
    }

    /// How messages name this container: `container`, `containerSet container `a``, ...
    pub(crate) fn describe(&self) -> String {
        match (self.role, self.name()) {
            (Role::Main, _) => format!("`{}`", self.field),
            (Role::SetMember, Some(n)) => format!("containerSet container `{n}`"),
            (Role::Init, Some(n)) => format!("init container `{n}`"),
            (Role::Sidecar, Some(n)) => format!("sidecar `{n}`"),
            (Role::SetMember, None) => "a containerSet container".to_string(),
            (Role::Init, None) => "an init container".to_string(),
            (Role::Sidecar, None) => "a sidecar".to_string(),
        }
    }
}

/// Every container of `template`'s pod, in source order of the fields.
pub(crate) fn containers<'a>(template: Template<'a>) -> Vec<PodContainer<'a>> {
    let mut out = Vec::new();
    let t = template.node();
    for field in ["container", "script"] {
        if let Some(node) = t.get(field).filter(|n| n.is_map()) {
            out.push(PodContainer {
                role: Role::Main,
                node,
                field,
            });
        }
    }
    if let Some(set) = t.get("containerSet") {
        for node in set
            .get("containers")
            .into_iter()
            .flat_map(|c| c.items().collect::<Vec<_>>())
        {
            if node.is_map() {
                out.push(PodContainer {
                    role: Role::SetMember,
                    node,
                    field: "containerSet",
                });
            }
        }
    }
    for (field, role) in [("initContainers", Role::Init), ("sidecars", Role::Sidecar)] {
        for node in t
            .get(field)
            .into_iter()
            .flat_map(|c| c.items().collect::<Vec<_>>())
        {
            if node.is_map() {
                out.push(PodContainer { role, node, field });
            }
        }
    }
    out
}
