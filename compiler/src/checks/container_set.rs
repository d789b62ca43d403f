//! containerSet checks (AW814–AW818): the set has containers, they are well named, `main`
//! exists when the template has inputs or outputs, and `dependencies` name containers of the
//! set without cycles.

pub(crate) mod container_dependency_cycle;
pub(crate) mod empty_container_set;
pub(crate) mod invalid_container_name;
pub(crate) mod missing_main_container;
pub(crate) mod undefined_container_dependency;

use crate::model::Object;
use crate::model::view::View;
use crate::model::views::Template;
use crate::model::walk;
use crate::parse::NodeRef;

/// One containerSet template.
pub(crate) struct Set<'a> {
    pub template: Template<'a>,
    /// `containerSet.containers` (a sequence).
    pub list: NodeRef<'a>,
    /// Each container mapping with its `name` when it is a string.
    pub containers: Vec<(Option<&'a str>, NodeRef<'a>)>,
}

impl<'a> Set<'a> {
    /// The index of the first container called `name`.
    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.containers.iter().position(|(n, _)| *n == Some(name))
    }

    /// The names in `dependencies` of container `i`, with their nodes.
    pub(crate) fn dependencies(&self, i: usize) -> Vec<(&'a str, NodeRef<'a>)> {
        self.containers[i]
            .1
            .get("dependencies")
            .map(|d| d.items().filter_map(|n| Some((n.as_str()?, n))).collect())
            .unwrap_or_default()
    }
}

/// Every containerSet template of the object (inline ones included) whose `containers` is a
/// list.
pub(crate) fn sets<'a>(obj: &Object<'a>) -> Vec<Set<'a>> {
    let Some(spec) = obj.workflow_spec() else {
        return Vec::new();
    };
    walk::templates(spec)
        .into_iter()
        .filter_map(|site| {
            let cs = site.template.node().get("containerSet")?;
            let list = cs.get("containers").filter(|l| l.is_seq())?;
            let containers = list
                .items()
                .filter(|c| c.is_map())
                .map(|c| (c.get("name").and_then(|n| n.as_str()), c))
                .collect();
            Some(Set {
                template: site.template,
                list,
                containers,
            })
        })
        .collect()
}
