//! Helpers the semantic checks share for scalar values: recognising Argo template tags (values
//! only known at runtime) and pointing at a part of a string scalar.
//!
//! Nothing here reports diagnostics.

use super::CheckContext;
use crate::parse::NodeRef;
use crate::source::Span;

pub(crate) use super::schema::has_template_tag;

/// The string value of `node`, unless it holds an Argo template tag (`{{...}}`), whose value is
/// only known at runtime. Checks of formats skip such values.
pub(crate) fn literal_str<'a>(node: NodeRef<'a>) -> Option<&'a str> {
    node.as_str().filter(|s| !has_template_tag(s))
}

/// Replaces every `{{...}}` tag (simple or expression) by `dummy`, as Argo's substitution would
/// replace it by some value. An unterminated `{{` is left as is.
pub(crate) fn substitute_tags(text: &str, dummy: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(dummy);
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(rest);
    out
}

/// The span of bytes `start..end` of a string scalar's value, when the source spells the value
/// verbatim (plain, or quoted without escapes); otherwise the span of the whole scalar.
pub(crate) fn sub_span(
    ctx: &CheckContext<'_>,
    node: NodeRef<'_>,
    start: usize,
    end: usize,
) -> Span {
    let span = node.span();
    let (Some(value), Some(file)) = (node.as_str(), ctx.sources.get(span.file)) else {
        return span;
    };
    let raw = file.slice(span);
    let offset = if raw == value {
        0
    } else if raw.len() == value.len() + 2
        && (raw.starts_with('"') || raw.starts_with('\''))
        && &raw[1..raw.len() - 1] == value
    {
        1
    } else {
        return span;
    };
    span.sub(offset + start, offset + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_replaced_by_the_dummy() {
        assert_eq!(substitute_tags("a: {{x}} {{=y}}", "v"), "a: v v");
        assert_eq!(substitute_tags("no tags", "v"), "no tags");
        assert_eq!(substitute_tags("open {{ only", "v"), "open {{ only");
        assert_eq!(substitute_tags("{{a}}}}", "v"), "v}}");
    }
}
