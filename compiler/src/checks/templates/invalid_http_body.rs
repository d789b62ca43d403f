//! AW819: an HTTP template with both `body` and `bodyFrom`, or bytes that are not base64.

use crate::checks::CheckContext;
use crate::checks::scalar::literal_str;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Reports an `http` template that sets both `body` and `bodyFrom`, and a
    /// `bodyFrom.bytes` that is not standard base64 (Go decodes `[]byte` fields from base64).
    ///
    /// Argo rule: none (§2.15: `http` body vs bodyFrom is not checked).
    ///
    /// ## Why is this bad?
    /// Only one body is sent, so the other is silently ignored; bytes that are not base64 make
    /// the manifest fail to decode when it is submitted.
    ///
    /// ## Example
    /// ```yaml
    /// http:
    ///   url: https://example.com/api
    ///   method: POST
    ///   body: '{"a": 1}'
    ///   bodyFrom:
    ///     bytes: eyJhIjogMX0=
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// http:
    ///   url: https://example.com/api
    ///   method: POST
    ///   body: '{"a": 1}'
    /// ```
    pub(crate) static RULE = ("AW819", "invalid-http-body", Error, "an HTTP template with two bodies or a body that is not base64");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let Some(http) = site.template.node().get("http").filter(|h| h.is_map()) else {
            continue;
        };
        let body = http
            .get("body")
            .filter(|b| b.as_str().is_some_and(|s| !s.is_empty()));
        let from = http.get("bodyFrom").filter(|b| !b.is_null());
        if let (Some(body), Some(from)) = (body, from) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    from.key_span(),
                    "`http` has both `body` and `bodyFrom`",
                )
                .with_pointer(from.pointer())
                .with_secondary(body.key_span(), "`body` is also set here")
                .with_help("keep one of them"),
            );
        }
        let bytes = from.and_then(|f| f.get("bytes"));
        if let Some(b) = bytes.filter(|b| literal_str(*b).is_some_and(|s| !is_base64(s))) {
            out.push(
                Diagnostic::new(&RULE, b.span(), "`bodyFrom.bytes` is not base64")
                    .with_pointer(b.pointer())
                    .with_help("encode the body with base64, or put the text in `body`"),
            );
        }
    }
}

/// Standard base64 with padding, as Go's `encoding/json` decodes `[]byte` (line breaks are
/// ignored).
fn is_base64(s: &str) -> bool {
    let chars: Vec<u8> = s.bytes().filter(|b| !matches!(b, b'\r' | b'\n')).collect();
    if !chars.len().is_multiple_of(4) {
        return false;
    }
    let pad = chars.iter().rev().take_while(|&&b| b == b'=').count();
    pad <= 2
        && chars[..chars.len() - pad]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
}

#[cfg(test)]
mod tests {
    use super::is_base64;

    #[test]
    fn base64_like_go() {
        assert!(is_base64("eyJhIjogMX0="));
        assert!(is_base64(""));
        assert!(is_base64("aGk=\n"));
        assert!(!is_base64("hello"));
        assert!(!is_base64("a==="));
        assert!(!is_base64("ab-_"));
    }
}
