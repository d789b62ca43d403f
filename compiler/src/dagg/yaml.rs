//! A small YAML emitter for generated manifests and recovered DAG files: block mappings and
//! sequences with two-space indentation, flow sequences for short lists of plain words, and
//! scalars quoted only when Kubernetes' YAML reading would not give the same string back.
//!
//! Strings may carry the DAG-file span they came from; [`emit`] records the output range of each
//! such scalar, which is what lets `bosun gen` report the manifest's problems on DAG-file lines.

use std::fmt::Write as _;

use super::template::Output;
use crate::parse::{Value, resolve_plain};
use crate::source::Span;

/// A YAML node to emit.
#[derive(Clone, Debug)]
pub enum Y {
    Str(String, Option<Span>),
    Int(i64),
    Map(Vec<(String, Y)>),
    /// A sequence, written in flow style (`[a, b]`) when every item is a plain-safe word.
    Seq(Vec<Y>),
}

impl Y {
    pub fn str(s: impl Into<String>) -> Y {
        Y::Str(s.into(), None)
    }

    pub fn spanned(s: &super::file::Spanned) -> Y {
        Y::Str(
            s.value.clone(),
            (s.span != Span::default()).then_some(s.span),
        )
    }

    pub fn map(entries: Vec<(&str, Y)>) -> Y {
        Y::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }
}

/// Emits one document (no `---`), ending with a newline.
pub fn emit(doc: &Y) -> Output {
    let mut e = Emitter {
        out: Output::default(),
    };
    match doc {
        Y::Map(entries) if !entries.is_empty() => e.map_body(entries, 0),
        other => {
            e.inline(other);
            e.out.text.push('\n');
        }
    }
    e.out
}

struct Emitter {
    out: Output,
}

impl Emitter {
    fn indent(&mut self, n: usize) {
        self.out.text.extend(std::iter::repeat_n(' ', n));
    }

    fn scalar(&mut self, s: &str, origin: Option<Span>, flow: bool) {
        let start = self.out.text.len();
        if needs_quotes(s, flow) {
            self.out.text.push_str(&double_quoted(s));
        } else {
            self.out.text.push_str(s);
        }
        if let Some(o) = origin {
            self.out.origins.push((start..self.out.text.len(), o));
        }
    }

    /// A node that fits after `key: ` or `- ` on the same line.
    fn inline(&mut self, y: &Y) {
        match y {
            Y::Str(s, o) => self.scalar(s, *o, false),
            Y::Int(i) => {
                let _ = write!(self.out.text, "{i}");
            }
            Y::Map(m) if m.is_empty() => self.out.text.push_str("{}"),
            Y::Seq(items) => {
                self.out.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.text.push_str(", ");
                    }
                    match item {
                        Y::Str(s, o) => self.scalar(s, *o, true),
                        other => self.inline(other),
                    }
                }
                self.out.text.push(']');
            }
            Y::Map(_) => self.out.text.push_str("{}"),
        }
    }

    fn map_body(&mut self, entries: &[(String, Y)], indent: usize) {
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 {
                self.indent(indent);
            }
            self.scalar(k, None, false);
            self.out.text.push(':');
            self.value_after_key(v, indent);
        }
    }

    fn value_after_key(&mut self, v: &Y, indent: usize) {
        match v {
            Y::Map(m) if !m.is_empty() => {
                self.out.text.push('\n');
                self.indent(indent + 2);
                self.map_body(m, indent + 2);
            }
            Y::Seq(items) if !items.is_empty() && !is_flow(items) => {
                self.out.text.push('\n');
                self.seq_body(items, indent + 2);
            }
            other => {
                self.out.text.push(' ');
                self.inline(other);
                self.out.text.push('\n');
            }
        }
    }

    fn seq_body(&mut self, items: &[Y], indent: usize) {
        for item in items {
            self.indent(indent);
            self.out.text.push_str("- ");
            match item {
                Y::Map(m) if !m.is_empty() => self.map_body(m, indent + 2),
                Y::Seq(inner) if !inner.is_empty() && !is_flow(inner) => {
                    self.out.text.push('\n');
                    self.seq_body(inner, indent + 2);
                }
                other => {
                    self.inline(other);
                    self.out.text.push('\n');
                }
            }
        }
    }
}

fn is_flow(items: &[Y]) -> bool {
    items.len() <= 8
        && items.iter().all(|i| match i {
            Y::Str(s, _) => !needs_quotes(s, true) && s.len() <= 40 && !s.contains(' '),
            Y::Int(_) => true,
            _ => false,
        })
}

/// Whether `s` must be quoted to read back as the same string (YAML 1.1 as Kubernetes reads it).
pub fn needs_quotes(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return true;
    };
    if !matches!(resolve_plain(s), Value::Str(_)) {
        return true;
    }
    // `-`, `?` and `:` may start a plain scalar when a non-space follows (`-c`, `--flag`).
    let second = s.chars().nth(1);
    let indicator_ok = matches!(first, '-' | '?' | ':')
        && second.is_some_and(|c| !(c.is_whitespace() || flow && ",[]{}".contains(c)))
        && !s.starts_with("---");
    if ("-?:,[]{}#&*!|>'\"%@`".contains(first) && !indicator_ok) || first.is_whitespace() {
        return true;
    }
    if s.ends_with(|c: char| c.is_whitespace() || c == ':') {
        return true;
    }
    if s.contains(": ") || s.contains(" #") || s.chars().any(|c| c.is_control()) {
        return true;
    }
    if flow && s.contains([',', '[', ']', '{', '}']) {
        return true;
    }
    // Not required, but `"0 20 * * *"` reads better than a bare cron line.
    if s.contains('*') {
        return true;
    }
    // yaml.v2 reads `2001-12-14…` as a timestamp (and sigs.k8s.io/yaml rewrites it); a leading
    // `<<` is a merge key.
    let looks_like_date =
        s.len() >= 5 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) && s.as_bytes()[4] == b'-';
    looks_like_date || s.starts_with("<<")
}

/// A YAML double-quoted scalar.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Limits, parse_file};
    use crate::source::{FileId, SourceFile};

    fn round_trip(s: &str) -> String {
        let doc = Y::map(vec![("k", Y::str(s)), ("l", Y::Seq(vec![Y::str(s)]))]);
        let text = emit(&doc).text;
        let file = SourceFile::new(FileId(0), "t", text.clone());
        let mut diags = Vec::new();
        let docs = parse_file(&file, &Limits::default(), &mut diags);
        assert!(diags.is_empty(), "{text}: {diags:?}");
        let root = docs[0].root().unwrap();
        let a = root.get("k").and_then(|n| n.as_str()).map(str::to_string);
        let b = root
            .get("l")
            .and_then(|n| n.items().next())
            .and_then(|n| n.as_str())
            .map(str::to_string);
        assert_eq!(a, b, "{text}");
        a.unwrap_or_default()
    }

    #[test]
    fn strings_read_back_unchanged() {
        for s in [
            "plain",
            "",
            "true",
            "yes",
            "no",
            "on",
            "null",
            "~",
            "3",
            "0x1F",
            "1e3",
            "0800",
            "1:20",
            "- x",
            "a: b",
            "a #b",
            "#x",
            "*x",
            "&x",
            "!x",
            "|",
            ">",
            "'",
            "\"",
            "%x",
            "@x",
            "a,b",
            "[x]",
            "{x}",
            "x:",
            " lead",
            "trail ",
            "tab\tin",
            "new\nline",
            "é",
            "0 20 * * *",
            "<<",
            "a\\b",
            "\u{1}",
            ".5",
            "+1",
            "-1",
            "=",
            "?x",
            "1_000",
            "2001-12-14",
            "-c",
            "--flag=1",
            "---",
            "...",
            "-",
            "?",
            ":x",
            "-.inf",
            "-,x",
            "a-b",
        ] {
            assert_eq!(round_trip(s), s, "{s:?}");
        }
    }

    #[test]
    fn emits_block_style_with_flow_word_lists() {
        let doc = Y::map(vec![
            ("name", Y::str("x")),
            ("deps", Y::Seq(vec![Y::str("a"), Y::str("b")])),
            (
                "tasks",
                Y::Seq(vec![Y::map(vec![
                    ("name", Y::str("a")),
                    ("args", Y::Seq(vec![Y::str("a, b")])),
                ])]),
            ),
            ("empty", Y::Map(vec![])),
        ]);
        assert_eq!(
            emit(&doc).text,
            "name: x\ndeps: [a, b]\ntasks:\n  - name: a\n    args:\n      - a, b\nempty: {}\n"
        );
    }
}
