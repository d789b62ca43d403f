//! The name grammars of Argo and Kubernetes, as plain functions (no regex engine needed).
//!
//! Each returns `Err(reason)` with a short fragment for messages. Lengths are in bytes, as both
//! Argo (Go `len`) and Kubernetes count them.

/// Longest template, step and task name (Argo's `maxCharsInObjectName`-style limit).
pub(crate) const MAX_FIELD_NAME: usize = 128;

/// Argo's "workflow field name": `^[a-zA-Z0-9][-a-zA-Z0-9]*$`, at most 128 bytes.
pub(crate) fn field_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".into());
    }
    if s.len() > MAX_FIELD_NAME {
        return Err(format!(
            "it is {} characters long, more than {MAX_FIELD_NAME}",
            s.len()
        ));
    }
    if !s.as_bytes()[0].is_ascii_alphanumeric() {
        return Err("it must start with a letter or a digit".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "`{}` is not allowed: use letters, digits and `-`",
            c.escape_default()
        ));
    }
    Ok(())
}

/// Argo's parameter name: `^[-a-zA-Z0-9_]+$`.
pub(crate) fn parameter_name(s: &str) -> Result<(), String> {
    name_of_chars(
        s,
        |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
        "`-` and `_`",
    )
}

/// The artifact name pattern of Argo's CRD, `^[-a-zA-Z0-9_{}.]+$`. Argo's Go validator also
/// rejects `.`, `{` and `}`, which run fine (FP-18).
pub(crate) fn artifact_name(s: &str) -> Result<(), String> {
    name_of_chars(
        s,
        |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '{' | '}'),
        "`-`, `_` and `.`",
    )
}

fn name_of_chars(s: &str, ok: impl Fn(char) -> bool, extra: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".into());
    }
    match s.chars().find(|&c| !ok(c)) {
        Some(c) => Err(format!(
            "`{}` is not allowed: use letters, digits, {extra}",
            c.escape_default()
        )),
        None => Ok(()),
    }
}

/// A DNS-1123 subdomain (the name of most Kubernetes objects): dot-separated labels, at most 253
/// bytes.
pub(crate) fn dns_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".into());
    }
    if s.len() > 253 {
        return Err(format!("it is {} characters long, more than 253", s.len()));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')))
    {
        return Err(if c.is_ascii_uppercase() {
            "it contains uppercase letters".into()
        } else {
            format!(
                "`{}` is not allowed: use lowercase letters, digits, `-` and `.`",
                c.escape_default()
            )
        });
    }
    if s.split('.').all(dns_label_chars_ok) {
        Ok(())
    } else {
        Err("it must start and end with a letter or a digit, also around each `.`".into())
    }
}

fn dns_label_chars_ok(label: &str) -> bool {
    // Subdomain labels have no 63 limit of their own here; only the shape matters.
    !label.is_empty() && !label.starts_with('-') && !label.ends_with('-')
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 bytes: a label value or the name part
/// of a qualified name.
fn k8s_name_part(s: &str) -> Result<(), String> {
    if s.len() > 63 {
        return Err(format!("it is {} characters long, more than 63", s.len()));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "`{}` is not allowed: use letters, digits, `-`, `_` and `.`",
            c.escape_default()
        ));
    }
    let b = s.as_bytes();
    if !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return Err("it must start and end with a letter or a digit".into());
    }
    Ok(())
}

/// A label value: empty, or a name part.
pub(crate) fn label_value(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    k8s_name_part(s)
}

/// A qualified name (label and annotation keys): `[prefix/]name`, the prefix a DNS-1123
/// subdomain.
pub(crate) fn qualified_name(s: &str) -> Result<(), String> {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        if p.is_empty() {
            return Err("the prefix before `/` is empty".into());
        }
        dns_subdomain(p).map_err(|e| format!("the prefix `{p}` is not a DNS subdomain: {e}"))?;
    }
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    k8s_name_part(name).map_err(|e| match prefix {
        Some(_) => format!("the name after `/`: {e}"),
        None => e,
    })
}

/// Replaces every `{{...}}` tag with `x`, as Argo does before checking a step name.
pub(crate) fn without_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find("{{") {
        match rest[open..].find("}}") {
            Some(close) => {
                out.push_str(&rest[..open]);
                out.push('x');
                rest = &rest[open + close + 2..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        assert!(field_name("whalesay-1").is_ok());
        assert!(field_name("A1").is_ok());
        assert!(field_name("whalesay_d").is_err());
        assert!(field_name("-a").is_err());
        assert!(field_name("").is_err());
        assert!(field_name(&"a".repeat(129)).is_err());
        assert!(field_name(&"a".repeat(128)).is_ok());
    }

    #[test]
    fn parameter_and_artifact_names() {
        assert!(parameter_name("my_param-1").is_ok());
        assert!(parameter_name("param#1").is_err());
        assert!(artifact_name("out.tgz").is_ok());
        assert!(artifact_name("&-kubectl").is_err());
    }

    #[test]
    fn kubernetes_names() {
        assert!(dns_subdomain("hello-world.v1").is_ok());
        assert!(dns_subdomain("Hello").is_err());
        assert!(dns_subdomain("a..b").is_err());
        assert!(dns_subdomain("a-").is_err());
        assert!(qualified_name("app.kubernetes.io/name").is_ok());
        assert!(qualified_name("workflows.argoproj.io/archive-strategy").is_ok());
        assert!(qualified_name("My_Key.1").is_ok());
        assert!(qualified_name("/a").is_err());
        assert!(qualified_name("a/").is_err());
        assert!(qualified_name("a b").is_err());
        assert!(qualified_name("Example.com/a").is_err());
        assert!(label_value("").is_ok());
        assert!(label_value("v1.2_3").is_ok());
        assert!(label_value("-x").is_err());
        assert!(label_value(&"a".repeat(64)).is_err());
    }

    #[test]
    fn tags_become_x() {
        assert_eq!(without_tags("run-{{inputs.parameters.d}}"), "run-x");
        assert_eq!(without_tags("a{{b}}c{{d"), "axc{{d");
    }
}
