//! Dynamic values modelled on the Go values expr, sprig and Argo pass around.
//!
//! Go distinguishes `int` from `int64` (sprig math returns `int64`, reflection refuses to pass one
//! as the other), so [`Value`] does too. Arrays and maps are reference-counted and remember their
//! nesting depth, so the evaluator can refuse a value nested deeper than its budget before a
//! recursive walk (formatting, dropping) could overflow the stack. Maps are sorted by key, which
//! is the order Go's `encoding/json` and `fmt` print them in. Formatting lives in
//! [`super::format`].

use std::collections::BTreeMap;
use std::rc::Rc;

use super::time::{Duration, Time};

/// A Go value as seen by expressions.
#[derive(Clone, Debug)]
pub enum Value {
    Nil,
    Bool(bool),
    /// Go `int` (64-bit).
    Int(i64),
    /// Go `int64` (sprig math results).
    Int64(i64),
    Float(f64),
    Str(Rc<str>),
    Array(Rc<List>),
    Map(Rc<Dict>),
    Time(Rc<Time>),
    Duration(Duration),
    /// A parsed semantic version (`sprig.semver`).
    Version(Rc<super::sprig::semver::Version>),
}

/// The elements of an array and its cached nesting depth.
#[derive(Clone, Debug, Default)]
pub struct List {
    pub items: Vec<Value>,
    /// The Go element type, for `typeOf`: `interface {}`, `string` or `int`.
    pub elem: Elem,
    depth: u32,
}

/// The Go element type of a slice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Elem {
    #[default]
    Any,
    Str,
    Int,
}

/// The entries of a map (sorted by key) and its cached nesting depth.
#[derive(Clone, Debug, Default)]
pub struct Dict {
    pub entries: BTreeMap<String, Value>,
    depth: u32,
}

impl Value {
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::Str(s.into())
    }

    pub fn array(items: Vec<Value>) -> Value {
        Value::typed_array(items, Elem::Any)
    }

    pub fn typed_array(items: Vec<Value>, elem: Elem) -> Value {
        let depth = 1 + items.iter().map(Value::depth).max().unwrap_or(0);
        Value::Array(Rc::new(List { items, elem, depth }))
    }

    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        let depth = 1 + entries.values().map(Value::depth).max().unwrap_or(0);
        Value::Map(Rc::new(Dict { entries, depth }))
    }

    /// Nesting depth: 0 for scalars, 1 for a flat array or map.
    pub fn depth(&self) -> u32 {
        match self {
            Value::Array(l) => l.depth,
            Value::Map(d) => d.depth,
            _ => 0,
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_items(&self) -> Option<&[Value]> {
        match self {
            Value::Array(l) => Some(&l.items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(d) => Some(&d.entries),
            _ => None,
        }
    }

    /// A number as `f64` (ints included).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) | Value::Int64(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Value::Int(_) | Value::Int64(_) | Value::Float(_))
    }

    /// expr's `type()` name.
    pub fn expr_type(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Int64(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Map(_) => "map",
            Value::Time(_) => "time.Time",
            Value::Duration(_) => "time.Duration",
            Value::Version(_) => "*semver.Version",
        }
    }

    /// Go's `%T`.
    pub fn go_type(&self) -> &'static str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::Array(l) => match l.elem {
                Elem::Any => "[]interface {}",
                Elem::Str => "[]string",
                Elem::Int => "[]int",
            },
            Value::Map(_) => "map[string]interface {}",
            Value::Time(_) => "time.Time",
            Value::Duration(_) => "time.Duration",
            Value::Version(_) => "*semver.Version",
        }
    }

    /// Go's reflect kind name.
    pub fn go_kind(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) | Value::Duration(_) => "int64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::Array(_) => "slice",
            Value::Map(_) => "map",
            Value::Time(_) => "struct",
            Value::Version(_) => "ptr",
        }
    }

    /// sprig's `empty`: nil, `""`, 0, false, empty collections (`'0'` is not empty).
    pub fn is_empty_sprig(&self) -> bool {
        match self {
            Value::Nil => true,
            Value::Bool(b) => !b,
            Value::Int(i) | Value::Int64(i) => *i == 0,
            Value::Duration(d) => d.0 == 0,
            Value::Float(f) => *f == 0.0,
            Value::Str(s) => s.is_empty(),
            Value::Array(l) => l.items.is_empty(),
            Value::Map(d) => d.entries.is_empty(),
            Value::Time(_) | Value::Version(_) => false,
        }
    }

    /// expr's `==`: numbers by value across int/float, otherwise same type and deep equality.
    pub fn loose_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (a, b) if a.is_number() && b.is_number() => match (a, b) {
                (Value::Int(x) | Value::Int64(x), Value::Int(y) | Value::Int64(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            },
            _ => self.deep_eq(other),
        }
    }

    /// Go's `reflect.DeepEqual`: types must match exactly (`int` ≠ `float64`).
    pub fn deep_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) | (Value::Int64(a), Value::Int64(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => {
                a.items.len() == b.items.len()
                    && a.items.iter().zip(&b.items).all(|(x, y)| x.deep_eq(y))
            }
            (Value::Map(a), Value::Map(b)) => {
                a.entries.len() == b.entries.len()
                    && a.entries
                        .iter()
                        .zip(&b.entries)
                        .all(|((ka, va), (kb, vb))| ka == kb && va.deep_eq(vb))
            }
            (Value::Time(a), Value::Time(b)) => a.instant() == b.instant(),
            (Value::Duration(a), Value::Duration(b)) => a == b,
            (Value::Version(a), Value::Version(b)) => a == b,
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// Converts parsed JSON into a value (numbers become `float64`, as Go's `encoding/json` does).
pub fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s.as_str()),
        serde_json::Value::Array(a) => Value::array(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Value::map(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// Parses JSON text the way Go's `json.Unmarshal` into `any` does (serde_json's nesting limit of
/// 128 applies).
pub fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|j| from_json(&j))
        .map_err(|e| e.to_string())
}
