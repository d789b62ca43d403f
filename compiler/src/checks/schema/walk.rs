//! The structural walker: checks a document against the catalog, from the kind's root type down,
//! and reports every problem (AW101–AW106) rather than stopping at the first.
//!
//! The walk recurses once per level of the document, which the parser caps at 100, and visits
//! each node once. What is accepted follows what Argo and Kubernetes really decode (YAML is
//! converted to JSON, then decoded into Go structs):
//! - `null` is accepted for every field (Go leaves the zero value), but does not satisfy a
//!   required field;
//! - integral floats (`1.0`, `1e3`) within int64 are integers, since the YAML → JSON conversion
//!   prints them so;
//! - a string holding an Argo template tag (`{{...}}`) is accepted wherever a scalar is expected
//!   and its format is not checked: Argo substitutes it before decoding.

use super::duration::{DurationError, is_go_int, parse_go_duration, parse_seconds_or_duration};
use super::quantity::parse_quantity;
use super::{
    invalid_duration, invalid_enum_value, invalid_quantity, missing_required_field, unknown_field,
    wrong_type,
};
use crate::checks::CheckContext;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::catalog::{self, Scalar, Ty, TypeDef, TypeId};
use crate::parse::{NodeRef, Value, format_float};
use crate::source::Span;

/// Longest excerpt of a value quoted in a message.
const MAX_EXCERPT: usize = 40;

/// Checks a whole object against its kind's root type.
pub(crate) fn check_object(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let mut walker = Walker { ctx, out };
    walker.object(obj.root, catalog::root_type(obj.kind));
}

/// The name of a type in messages (`HTTPHeader` rather than the catalog's `K8sHTTPHeader`).
pub(crate) fn display_name(ty: &TypeDef) -> &'static str {
    ty.name.strip_prefix("K8s").unwrap_or(ty.name)
}

/// True for strings that Argo rewrites before decoding: `{{inputs.parameters.x}}`, `{{=expr}}`.
pub(crate) fn has_template_tag(s: &str) -> bool {
    s.find("{{").is_some_and(|i| s[i..].contains("}}"))
}

struct Walker<'c, 'o> {
    ctx: &'c CheckContext<'c>,
    out: &'o mut Vec<Diagnostic>,
}

impl Walker<'_, '_> {
    fn value(&mut self, node: NodeRef<'_>, ty: &Ty) {
        if node.is_null() {
            return;
        }
        match ty {
            Ty::Any => {}
            Ty::Ref(id) => self.object(node, *id),
            Ty::Array(item) => {
                if node.is_seq() {
                    for child in node.items() {
                        self.value(child, item);
                    }
                } else {
                    self.wrong_type(node, "an array", None);
                }
            }
            Ty::Map(value) => {
                if node.is_map() {
                    for (_, child) in node.entries() {
                        self.value(child, value);
                    }
                } else {
                    self.wrong_type(node, "a mapping", None);
                }
            }
            Ty::Scalar(s) => self.scalar(node, *s),
        }
    }

    fn object(&mut self, node: NodeRef<'_>, id: TypeId) {
        let def = catalog::get(id);
        if !node.is_map() {
            let expected = format!("a `{}` mapping", display_name(def));
            self.wrong_type(node, &expected, None);
            return;
        }
        for (entry, child) in node.entries() {
            match def.prop(&entry.key) {
                Some(prop) => self.value(child, &prop.ty),
                None => self.out.push(unknown_field::diagnostic(
                    entry.key_span,
                    child.pointer(),
                    &entry.key,
                    def,
                )),
            }
        }
        for &field in def.required {
            if node.get(field).is_some_and(|v| !v.is_null()) {
                continue;
            }
            let doc = def
                .prop(field)
                .map_or("", |p| first_sentence(p.description));
            self.out.push(missing_required_field::diagnostic(
                required_span(node),
                node.child_pointer(field),
                field,
                display_name(def),
                doc,
            ));
        }
    }

    fn scalar(&mut self, node: NodeRef<'_>, s: Scalar) {
        let value = node.value();
        if let Value::Str(text) = value
            && has_template_tag(text)
        {
            return;
        }
        match (s, value) {
            // JSON has no infinities or NaN: the YAML → JSON conversion fails on them.
            (_, Value::Float(f)) if !f.is_finite() => self.wrong_type(node, expected(s), None),
            (Scalar::String, Value::Str(_))
            | (Scalar::Integer | Scalar::IntOrString | Scalar::IntOrIntString, Value::Int(_))
            | (Scalar::Number | Scalar::Quantity, Value::Int(_) | Value::Float(_))
            | (Scalar::Boolean, Value::Bool(_))
            | (Scalar::IntOrString, Value::Str(_))
            | (
                Scalar::AnyString,
                Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_),
            ) => {}
            (Scalar::Integer | Scalar::IntOrString | Scalar::IntOrIntString, Value::Float(f))
                if is_integral(*f) => {}
            (Scalar::IntOrIntString, Value::Str(text)) if is_go_int(text) => {}
            (Scalar::Quantity, Value::Str(text)) => {
                if let Err(e) = parse_quantity(text) {
                    self.out.push(invalid_quantity::diagnostic(
                        node.span(),
                        node.pointer(),
                        &place(node),
                        &excerpt(text),
                        e,
                    ));
                }
            }
            (Scalar::Duration, Value::Str(text)) => {
                if let Err(e) = parse_go_duration(text) {
                    self.invalid_duration(node, text, &e, false);
                }
            }
            (Scalar::SecondsOrDuration, Value::Str(text)) => {
                if let Err(e) = parse_seconds_or_duration(text) {
                    self.invalid_duration(node, text, &e, true);
                }
            }
            (Scalar::Enum(allowed), Value::Str(text)) => {
                if !allowed.contains(&&**text) {
                    self.out.push(invalid_enum_value::diagnostic(
                        node.span(),
                        node.pointer(),
                        &place(node),
                        &excerpt(text),
                        allowed,
                    ));
                }
            }
            _ => {
                let help = self.type_help(node, s);
                self.wrong_type(node, expected(s), help);
            }
        }
    }

    fn invalid_duration(&mut self, node: NodeRef<'_>, text: &str, e: &DurationError, secs: bool) {
        self.out.push(invalid_duration::diagnostic(
            node.span(),
            node.pointer(),
            &place(node),
            &excerpt(text),
            e,
            secs,
        ));
    }

    fn wrong_type(&mut self, node: NodeRef<'_>, expected: &str, help: Option<String>) {
        self.out.push(wrong_type::diagnostic(
            node.span(),
            node.pointer(),
            &place(node),
            expected,
            &found(node),
            help,
        ));
    }

    /// A fix for the common scalar mix-ups: unquoted numbers and YAML 1.1 booleans where a string
    /// is expected, quoted numbers where a number is expected.
    fn type_help(&self, node: NodeRef<'_>, s: Scalar) -> Option<String> {
        let source = self.source_text(node.span());
        match (s, node.value()) {
            (
                Scalar::String | Scalar::Duration | Scalar::SecondsOrDuration | Scalar::Enum(_),
                Value::Int(_) | Value::Float(_) | Value::Bool(_),
            ) => {
                let text = source.unwrap_or_default();
                (!text.is_empty() && !text.contains('\n'))
                    .then(|| format!("quote it to keep it a string: `\"{text}\"`"))
            }
            (Scalar::Integer | Scalar::Number, Value::Str(text))
                if text.trim().parse::<f64>().is_ok() =>
            {
                Some(format!("remove the quotes: `{}`", text.trim()))
            }
            (Scalar::Boolean, Value::Str(text))
                if matches!(text.trim(), "true" | "false" | "True" | "False") =>
            {
                Some(format!(
                    "remove the quotes: `{}`",
                    text.trim().to_lowercase()
                ))
            }
            _ => None,
        }
    }

    fn source_text(&self, span: Span) -> Option<&str> {
        self.ctx
            .sources
            .get(span.file)
            .map(|f| f.slice(span).trim())
    }
}

/// Whether a float decodes into a Go integer: integral and within int64 (`1e100` and
/// `100000000000000000000` are floats after the YAML → JSON conversion, which Go refuses).
fn is_integral(f: f64) -> bool {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    f.is_finite() && f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)
}

fn expected(s: Scalar) -> &'static str {
    match s {
        Scalar::String => "a string",
        Scalar::Integer => "an integer",
        Scalar::Number => "a number",
        Scalar::Boolean => "a boolean (`true` or `false`)",
        Scalar::IntOrString => "an integer or a string",
        Scalar::IntOrIntString => "an integer (or a string holding one)",
        Scalar::Quantity => "a quantity such as `500m` or `1Gi`",
        Scalar::Duration => "a duration string such as `30s` or `1h30m`",
        Scalar::SecondsOrDuration => "a duration string such as `\"30\"` or `2m`",
        Scalar::AnyString => "a string, number or boolean",
        Scalar::Enum(_) => "a string",
    }
}

/// How a value is described after "found": `integer `5``, `string `"5"``, `a mapping`.
fn found(node: NodeRef<'_>) -> String {
    match node.value() {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Int(i) => format!("integer `{i}`"),
        Value::Float(f) => format!("number `{}`", format_float(*f)),
        Value::Str(s) => format!("string `\"{}\"`", excerpt(s)),
        Value::Seq(_) => "an array".to_string(),
        Value::Map(_) => "a mapping".to_string(),
    }
}

/// Names the place of a node in messages by its last two keys, with sequence indexes:
/// `` `podGC.strategy` ``, `` `tasks[0].dependencies[1]` ``, `` `steps[0][1]` ``, or the document.
fn place(node: NodeRef<'_>) -> String {
    let mut segments: Vec<String> = Vec::new();
    let mut indexes = String::new();
    let mut cur = node;
    while segments.len() < 2 {
        if let Some(entry) = cur.parent_entry() {
            segments.push(format!("{}{indexes}", entry.key));
            indexes.clear();
        } else if let Some(i) = cur.index_in_parent() {
            indexes = format!("[{i}]{indexes}");
        }
        match cur.parent() {
            Some(p) => cur = p,
            None => break,
        }
    }
    if !indexes.is_empty() {
        segments.push(indexes);
    }
    if segments.is_empty() {
        return "the document".to_string();
    }
    segments.reverse();
    format!("`{}`", segments.join("."))
}

/// Where a missing field is reported: the key of the object, the object itself for a sequence
/// item, or the `kind` key for a whole document.
fn required_span(node: NodeRef<'_>) -> Span {
    if node.parent().is_none()
        && let Some(e) = node.entry("kind")
    {
        return e.key_span;
    }
    node.key_span()
}

fn excerpt(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= MAX_EXCERPT {
        flat
    } else {
        let cut: String = flat.chars().take(MAX_EXCERPT).collect();
        format!("{cut}...")
    }
}

/// The first sentence of a description, without its period (`e.g.` does not end a sentence).
fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let mut from = 0;
    let mut end = text.len();
    while let Some(rel) = text[from..].find(". ") {
        let i = from + rel;
        if !(text[..i].ends_with("e.g") || text[..i].ends_with("i.e")) {
            end = i;
            break;
        }
        from = i + 2;
    }
    text[..end].trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_tags_need_both_braces() {
        assert!(has_template_tag("{{inputs.parameters.cpu}}"));
        assert!(has_template_tag("x-{{=asInt(inputs.parameters.n)}}m"));
        assert!(!has_template_tag("{{"));
        assert!(!has_template_tag("}} {{"));
        assert!(!has_template_tag("100m"));
    }

    #[test]
    fn excerpts_are_short_and_single_line() {
        assert_eq!(excerpt("a\nb"), "a b");
        assert_eq!(excerpt(&"x".repeat(50)).len(), MAX_EXCERPT + 3);
    }

    #[test]
    fn first_sentences_drop_the_period() {
        assert_eq!(
            first_sentence("Name is the name. More text."),
            "Name is the name"
        );
        assert_eq!(first_sentence("Only one."), "Only one");
        assert_eq!(
            first_sentence("Rules (e.g. `x`) apply. Next."),
            "Rules (e.g. `x`) apply"
        );
    }
}
