//! A small block-style YAML writer for JSON values, for the manifests `bosun migrate` prints.
//!
//! Strings stay plain when Kubernetes would read them back as the same string (checked with the
//! parser's own scalar resolution) and contain nothing YAML treats specially; multi-line strings
//! become literal blocks; anything else is double-quoted (JSON escapes are valid YAML). Nesting is
//! bounded by the input (values come from parsed, depth-limited documents).

use std::fmt::Write as _;

use serde_json::Value;

use crate::parse::{Value as Yaml, resolve_plain};

/// Writes `value` as a YAML document (no leading `---`).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(map, 0, &mut out),
        Value::Array(items) if !items.is_empty() => sequence(items, 0, &mut out),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn mapping(map: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        let _ = write!(out, "{pad}{}:", key_text(key));
        value_after_key(value, indent, out);
    }
}

fn value_after_key(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            mapping(map, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            sequence(items, indent + 2, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2));
            out.push('\n');
        }
    }
}

fn sequence(items: &[Value], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first entry goes on the dash line; the others align under it.
                let mut first = true;
                for (key, value) in map {
                    if first {
                        let _ = write!(out, "{pad}- {}:", key_text(key));
                        first = false;
                    } else {
                        let _ = write!(out, "{pad}  {}:", key_text(key));
                    }
                    value_after_key(value, indent + 2, out);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                // `- - a`: the inner sequence starts on the dash line.
                let mut nested = String::new();
                sequence(inner, indent + 2, &mut nested);
                out.push_str(&pad);
                out.push_str("- ");
                out.push_str(nested.get(indent + 2..).unwrap_or(&nested));
            }
            other => {
                let _ = writeln!(out, "{pad}- {}", scalar(other, indent + 2));
            }
        }
    }
}

fn key_text(key: &str) -> String {
    if is_plain(key) {
        key.to_string()
    } else {
        quoted(key)
    }
}

/// A scalar (or an empty collection) at `indent` (for literal block bodies).
fn scalar(value: &Value, indent: usize) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, indent),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

fn string(s: &str, indent: usize) -> String {
    if is_plain(s) {
        return s.to_string();
    }
    if s.contains('\n') && literal_ok(s) {
        let pad = " ".repeat(indent.max(2));
        let chomp = if s.ends_with('\n') { "" } else { "-" };
        let mut out = format!("|{chomp}");
        for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
        }
        return out;
    }
    quoted(s)
}

/// Whether a literal block keeps `s` exactly: no trailing blank lines beyond one newline, no
/// leading spaces on the first line (they would be read as indentation), no tabs or carriage
/// returns, no trailing spaces.
fn literal_ok(s: &str) -> bool {
    !s.ends_with("\n\n")
        && !s.starts_with(' ')
        && !s.starts_with('\n')
        && !s.contains('\r')
        && !s.contains('\t')
        && s.split('\n').all(|l| !l.ends_with(' '))
        && s.chars().all(|c| !c.is_control() || c == '\n')
}

/// Whether `s` can be written without quotes and read back as the same string.
fn is_plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let safe_char = |c: char| {
        c.is_alphanumeric()
            || matches!(
                c,
                '-' | '_' | '.' | '/' | ' ' | '$' | '(' | ')' | '=' | '+' | '@' | '~' | '^' | ':'
            )
    };
    (first.is_alphanumeric() || matches!(first, '/' | '_' | '.' | '$' | '('))
        && !s.ends_with(' ')
        && s.chars().all(safe_char)
        && !s.contains(" #")
        // `a: b` and a trailing `:` would read as a mapping; `image:tag` is fine.
        && !s.contains(": ")
        && !s.ends_with(':')
        && matches!(resolve_plain(s), Yaml::Str(_))
        && s != "-"
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Limits, parse_file};
    use crate::source::{FileId, SourceFile};
    use serde_json::json;

    fn round_trip(v: &Value) -> Value {
        let text = to_yaml(v);
        let file = SourceFile::new(FileId(0), "t.yaml", text.clone());
        let mut diags = Vec::new();
        let docs = parse_file(&file, &Limits::default(), &mut diags);
        assert!(diags.is_empty(), "{text}\n{diags:?}");
        docs[0].root().expect("root").to_json()
    }

    #[test]
    fn values_survive_a_round_trip() {
        let v = json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "plain": "hello world",
            "looksLikeBool": "yes",
            "looksLikeNumber": "0755",
            "empty": "",
            "colon": "a: b",
            "image": "registry/team/app:1.2",
            "endColon": "a:",
            "time": "3:20",
            "comment": "a #b",
            "tag": "{{workflow.name}}",
            "star": "*/5 * * * *",
            "dash": "-",
            "lead": " x",
            "multi": "line one\nline two\n",
            "multiNoEnd": "a\n  b",
            "tricky": "a\n\n",
            "unicode": "日本語",
            "n": 3, "f": 1.5, "t": true, "z": null,
            "list": [1, "two", {"a": 1, "b": [true]}, [], {}],
            "nested": [[1, 2], [3]],
            "emptyMap": {},
            "key with: colon": 1,
        });
        assert_eq!(round_trip(&v), v);
    }

    #[test]
    fn output_is_readable() {
        let v = json!({"spec": {"schedules": ["0 20 * * *"], "suspend": false, "args": ["-c", "echo hi"]}});
        assert_eq!(
            to_yaml(&v),
            "spec:\n  schedules:\n    - \"0 20 * * *\"\n  suspend: false\n  args:\n    - \"-c\"\n    - echo hi\n"
        );
    }
}
