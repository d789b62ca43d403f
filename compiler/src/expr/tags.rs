//! Splitting a field value into literal text, simple tags `{{name}}` and expression tags
//! `{{= expr}}`, exactly as Argo's fasttemplate-based scanner does (spec §1.1).
//!
//! The scan finds `{{`, then the **first** `}}` after it: no nesting, no quote awareness, no
//! escapes. A `}}` without an opening `{{` is text; a `{{` without a closing `}}` is an error for
//! the whole field. Ranges are byte offsets in the *value* (after YAML unescaping); mapping them
//! into the source is the caller's business (for plain and single-line scalars it is a constant
//! offset).

use std::ops::Range;

/// One piece of a tokenised field value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Literal text.
    Text { text: &'a str, range: Range<usize> },
    /// A tag: `{{ … }}` with `range` covering the braces and `inner` the text between them.
    Tag(Tag<'a>),
}

/// A `{{ … }}` tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    pub kind: TagKind,
    /// The whole tag including braces.
    pub range: Range<usize>,
    /// The text between the braces, verbatim.
    pub inner: &'a str,
    pub inner_range: Range<usize>,
}

/// Simple or expression tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagKind {
    /// `{{ name }}`: looked up by its trimmed text.
    Simple,
    /// `{{= expr }}`: the inner text starts exactly with `=`.
    Expression,
}

impl<'a> Tag<'a> {
    /// The lookup key of a simple tag: the inner text without surrounding whitespace.
    pub fn key(&self) -> &'a str {
        self.inner.trim()
    }

    /// The expression of an expression tag (after the `=`) and its range in the value.
    pub fn expression(&self) -> (&'a str, Range<usize>) {
        let body = self.inner.strip_prefix('=').unwrap_or(self.inner);
        let start = self.inner_range.end - body.len();
        (body, start..self.inner_range.end)
    }
}

/// `{{` without a matching `}}`: Argo fails the whole field with `Cannot find end tag="}}"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnclosedTag {
    /// Range of the unmatched `{{`.
    pub range: Range<usize>,
}

impl std::fmt::Display for UnclosedTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Cannot find end tag=\"}}}}\" in the template starting at byte {}",
            self.range.start
        )
    }
}

/// Splits `value` into pieces. Empty text pieces are omitted.
pub fn tokenize(value: &str) -> Result<Vec<Piece<'_>>, UnclosedTag> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    while let Some(rel) = value[pos..].find("{{") {
        let open = pos + rel;
        let inner_start = open + 2;
        let Some(rel_close) = value[inner_start..].find("}}") else {
            return Err(UnclosedTag {
                range: open..inner_start,
            });
        };
        let close = inner_start + rel_close;
        if open > pos {
            pieces.push(Piece::Text {
                text: &value[pos..open],
                range: pos..open,
            });
        }
        let inner = &value[inner_start..close];
        let kind = if inner.starts_with('=') {
            TagKind::Expression
        } else {
            TagKind::Simple
        };
        pieces.push(Piece::Tag(Tag {
            kind,
            range: open..close + 2,
            inner,
            inner_range: inner_start..close,
        }));
        pos = close + 2;
    }
    if pos < value.len() {
        pieces.push(Piece::Text {
            text: &value[pos..],
            range: pos..value.len(),
        });
    }
    Ok(pieces)
}

/// Only the tags of `value` (see [`tokenize`]).
pub fn tags(value: &str) -> Result<Vec<Tag<'_>>, UnclosedTag> {
    Ok(tokenize(value)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Tag(t) => Some(t),
            Piece::Text { .. } => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_closing_braces_end_the_tag() {
        let t = tags("{{={a: 1}}}").expect("closed");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].inner, "={a: 1");
        assert_eq!(t[0].kind, TagKind::Expression);
        assert_eq!(t[0].range, 0..10);
        assert_eq!(t[0].expression(), ("{a: 1", 3..8));
    }

    #[test]
    fn stray_closing_braces_are_text_and_unclosed_tags_fail() {
        let p = tokenize("a }} b {{foo}}").expect("closed");
        assert_eq!(p.len(), 2);
        assert!(matches!(
            &p[0],
            Piece::Text {
                text: "a }} b ",
                ..
            }
        ));
        assert!(matches!(&p[1], Piece::Tag(t) if t.key() == "foo" && t.range == (7..14)));
        assert_eq!(tokenize("x {{foo").unwrap_err().range, 2..4);
    }

    #[test]
    fn equals_must_come_first_for_an_expression_tag() {
        let t = tags("{{ =foo}} {{= 1 }}").expect("closed");
        assert_eq!(t[0].kind, TagKind::Simple);
        assert_eq!(t[0].key(), "=foo");
        assert_eq!(t[1].kind, TagKind::Expression);
        assert_eq!(t[1].expression().0, " 1 ");
    }

    #[test]
    fn nested_looking_tags_close_at_the_inner_braces() {
        let t = tags("{{outer-{{inner}}}}").expect("closed");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].inner, "outer-{{inner");
    }
}
