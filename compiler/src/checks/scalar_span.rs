//! Spans of parts of a scalar: the name `B` inside `depends: "A && B"`, one target of
//! `target: "a b"`, a `{{steps.x...}}` tag inside an argument value.
//!
//! Offsets into a string's *value* map to source offsets only when the source text is the value
//! itself (a plain scalar) or the value between quotes with no escapes. Otherwise (escapes, block
//! scalars, folded lines) the whole scalar's span is used: less precise, never wrong.

use crate::checks::CheckContext;
use crate::parse::NodeRef;
use crate::source::Span;

/// The span of `range` (byte offsets into the string value of `node`).
pub(crate) fn value_span(ctx: &CheckContext<'_>, node: NodeRef<'_>, range: (usize, usize)) -> Span {
    let span = node.span();
    let Some(value) = node.as_str() else {
        return span;
    };
    let Some(file) = ctx.sources.get(span.file) else {
        return span;
    };
    let raw = file.slice(span);
    let inner = if raw == value {
        0
    } else if raw.len() == value.len() + 2
        && (raw.starts_with('"') || raw.starts_with('\''))
        && raw.get(1..raw.len() - 1) == Some(value)
    {
        1
    } else {
        return span;
    };
    span.sub(inner + range.0, inner + range.1)
}

/// The span of a whole mapping's first key (a readable anchor for "this step has no name"),
/// or of the node itself when it is not a non-empty mapping.
pub(crate) fn head_span(node: NodeRef<'_>) -> Span {
    node.entries()
        .next()
        .map_or_else(|| node.span(), |(e, _)| e.key_span)
}
