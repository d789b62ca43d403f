//! Template values: what Go's `reflect.Value` is to `text/template`, restricted to the types a
//! DAG file produces (strings, `[]string`, `map[string]string`, the `DAG` and `Job` structs) and
//! the literals a template writes (booleans, integers, floats, `nil`).
//!
//! Every value may carry its *origin*: the span in the DAG file it was read from. Printing a value
//! records where its text landed in the output, so a problem in the generated manifest can be
//! reported on the DAG file line it came from.

use std::fmt::Write as _;
use std::rc::Rc;

use crate::dagg::file::{DagFile, Job, Options, Spanned};
use crate::source::Span;

/// A Go value as a template sees it.
#[derive(Clone, Debug)]
pub enum Value {
    /// Go's invalid `reflect.Value`: a missing map key (`{{ .Option.nope }}` prints `<no value>`).
    Missing,
    /// The untyped `nil` literal.
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    /// A slice; `elem` is the Go element type name (`string`, `Job`).
    List {
        elem: &'static str,
        items: Rc<[Val]>,
    },
    /// A `map[string]string`, sorted by key (Go ranges over maps in key order).
    Map(Rc<[(Rc<str>, Val)]>),
    Struct(Rc<Struct>),
}

/// A struct value: its Go type name and its fields in declaration order.
#[derive(Debug)]
pub struct Struct {
    pub type_name: &'static str,
    pub fields: Vec<(&'static str, Val)>,
}

/// A value and the DAG file span it was read from.
#[derive(Clone, Debug)]
pub struct Val {
    pub value: Value,
    pub origin: Option<Span>,
}

impl From<Value> for Val {
    fn from(value: Value) -> Self {
        Val {
            value,
            origin: None,
        }
    }
}

impl Val {
    pub fn str(s: &str) -> Val {
        Value::Str(s.into()).into()
    }

    fn spanned(s: &Spanned) -> Val {
        Val {
            value: Value::Str(s.value.as_str().into()),
            origin: (s.span != Span::default()).then_some(s.span),
        }
    }

    /// Go's `%v` of the value, as `fmt.Sprint` prints one operand.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, &self.value, true);
        out
    }

    /// Go's notion of truth in `if`, `with`, `and`, `or`, `not`.
    pub fn truth(&self) -> bool {
        match &self.value {
            Value::Missing | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List { items, .. } => !items.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Struct(_) => true,
        }
    }

    /// The Go type name, as error messages and `%T` show it.
    pub fn type_name(&self) -> String {
        type_name(&self.value)
    }
}

pub(crate) fn type_name(v: &Value) -> String {
    match v {
        Value::Missing | Value::Nil => "<nil>".into(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::Float(_) => "float64".into(),
        Value::Str(_) => "string".into(),
        Value::List { elem, .. } => format!("[]{elem}"),
        Value::Map(_) => "map[string]string".into(),
        Value::Struct(s) => s.type_name.into(),
    }
}

/// `top`: a missing value prints `<no value>` at the top level (the template's own rule) and
/// `<nil>` inside `fmt` (Go turns it into a nil interface before printing).
pub(crate) fn write_value(out: &mut String, v: &Value, top: bool) {
    match v {
        Value::Missing if top => out.push_str("<no value>"),
        Value::Missing | Value::Nil => out.push_str("<nil>"),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&format_g(*f, None)),
        Value::Str(s) => out.push_str(s),
        Value::List { items, .. } => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_value(out, &item.value, false);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push_str("map[");
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_value(out, &v.value, false);
            }
            out.push(']');
        }
        Value::Struct(s) => {
            out.push('{');
            for (i, (_, v)) in s.fields.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_value(out, &v.value, false);
            }
            out.push('}');
        }
    }
}

/// Go's `%g` (and `%v` for floats): shortest representation when `prec` is `None`, exponent
/// form when the exponent is below -4 or at least the precision (6 for the shortest form).
pub(crate) fn format_g(f: f64, prec: Option<usize>) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    // Digits and decimal exponent, rounded to `prec` significant digits when given.
    let sci = match prec {
        None => format!("{f:e}"),
        Some(p) => format!("{:.*e}", p.max(1) - 1, f),
    };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let mut digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    // strconv keeps no trailing zeros.
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    let nd = digits.len() as i32;
    let dp = exp + 1;
    let eprec = match prec {
        None => 6,
        Some(p) => {
            let p = p.max(1) as i32;
            if p > nd && nd >= dp { nd } else { p }
        }
    };
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if exp < -4 || exp >= eprec {
        // x.yyye±zz
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
        return out;
    }
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

fn options(o: &Options) -> Val {
    let mut entries: Vec<(Rc<str>, Val)> = Vec::new();
    for e in &o.entries {
        // Later duplicates replace earlier ones, like a Go map.
        entries.retain(|(k, _)| **k != *e.key.value);
        entries.push((e.key.value.as_str().into(), Val::spanned(&e.value)));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Val {
        value: Value::Map(entries.into()),
        origin: (o.span != Span::default()).then_some(o.span),
    }
}

fn strings(items: &[Spanned]) -> Val {
    Value::List {
        elem: "string",
        items: items.iter().map(Val::spanned).collect(),
    }
    .into()
}

fn job(j: &Job) -> Val {
    let command = j
        .command
        .as_ref()
        .map_or_else(|| Val::str(""), Val::spanned);
    let commands = j.commands.as_deref().map_or_else(|| strings(&[]), strings);
    Val {
        value: Value::Struct(Rc::new(Struct {
            type_name: "Job",
            fields: vec![
                ("Name", Val::spanned(&j.name)),
                ("Command", command),
                ("Commands", commands),
                ("Dependencies", strings(&j.dependencies)),
                ("Option", options(&j.option)),
            ],
        })),
        origin: (j.span != Span::default()).then_some(j.span),
    }
}

/// The template data of a DAG file: `.Name`, `.Option`, `.Jobs` (each with `.Name`, `.Command`,
/// `.Commands`, `.Dependencies`, `.Option`).
pub fn dag_data(dag: &DagFile) -> Val {
    let jobs = Value::List {
        elem: "Job",
        items: dag.jobs.iter().map(job).collect(),
    };
    Value::Struct(Rc::new(Struct {
        type_name: "DAG",
        fields: vec![
            ("Name", Val::spanned(&dag.name)),
            ("Option", options(&dag.option)),
            ("Jobs", jobs.into()),
        ],
    }))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        assert_eq!(format_g(1.5, None), "1.5");
        assert_eq!(format_g(0.00001, None), "1e-05");
        assert_eq!(format_g(1e6, None), "1e+06");
        assert_eq!(format_g(123456789.5, None), "1.234567895e+08");
        assert_eq!(format_g(100000.0, None), "100000");
        assert_eq!(format_g(0.0001, None), "0.0001");
        assert_eq!(format_g(1.23456, Some(3)), "1.23");
        assert_eq!(format_g(-2.0, None), "-2");
        assert_eq!(format_g(1234567.0, Some(3)), "1.23e+06");
    }
}
