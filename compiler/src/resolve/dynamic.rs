//! Dynamic reference names: `templateRef.name`, `templateRef.template` or
//! `workflowTemplateRef.name` holding `{{...}}` tags.
//!
//! Argo resolves a tag whose value is known at validation time (a workflow parameter with a
//! literal value) and skips every other dynamic reference without checking it (FN-14). Bosun
//! substitutes the same known values, so `{{workflow.parameters.wft}}` with `value: build` is
//! checked like `build`; whatever remains dynamic is reported as such, never silently skipped.

use std::borrow::Cow;

use crate::model::views::WorkflowSpec;

/// A reference name after substitution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Name<'s> {
    /// Known before the workflow runs.
    Static(Cow<'s, str>),
    /// Still holds a tag, `{{...}}` as written.
    Dynamic { tag: String },
}

/// Substitutes `{{workflow.parameters.P}}` tags whose parameter has a literal value in `spec`'s
/// arguments. Any other tag (inputs, items, expressions `{{= ...}}`) leaves the name dynamic.
pub(crate) fn substitute<'s>(text: &'s str, spec: Option<WorkflowSpec<'_>>) -> Name<'s> {
    if !text.contains("{{") {
        return Name::Static(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let tag = &rest[start..start + len + 2];
        let inner = tag[2..tag.len() - 2].trim();
        match inner
            .strip_prefix("workflow.parameters.")
            .and_then(|p| literal_parameter(spec, p))
        {
            Some(value) => {
                out.push_str(&rest[..start]);
                out.push_str(&value);
            }
            None => {
                return Name::Dynamic {
                    tag: tag.to_string(),
                };
            }
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    Name::Static(Cow::Owned(out))
}

/// The literal `value` of workflow parameter `name`, when it has one without tags.
fn literal_parameter(spec: Option<WorkflowSpec<'_>>, name: &str) -> Option<String> {
    let params = spec?.arguments()?.parameters()?;
    let param = params
        .iter()
        .find(|p| p.name().and_then(|n| n.as_str()) == Some(name))?;
    let value = param.value()?.scalar_text()?;
    (!value.contains("{{")).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_tags_are_static() {
        assert_eq!(
            substitute("build", None),
            Name::Static(Cow::Borrowed("build"))
        );
    }

    #[test]
    fn unknown_tags_leave_the_name_dynamic() {
        assert_eq!(
            substitute("wft-{{ inputs.parameters.x }}", None),
            Name::Dynamic {
                tag: "{{ inputs.parameters.x }}".to_string()
            }
        );
        assert!(matches!(
            substitute("{{=sprig.lower('X')}}", None),
            Name::Dynamic { .. }
        ));
        // An unclosed tag is not a tag.
        assert_eq!(
            substitute("a{{b", None),
            Name::Static(Cow::Owned("a{{b".to_string()))
        );
    }
}
