//! The evaluation environment: Argo's flat variable map expanded into nested maps (spec §2.2),
//! whether the Argo helpers and `sprig` are available, and the clock used by `now()`.

use std::collections::BTreeMap;

use super::time::Time;
use super::value::Value;

/// Flat bindings as simple tags see them: key → string value, or `None` for an absent optional
/// output (a skipped producer), which is `nil` in expressions.
pub type Bindings = BTreeMap<String, Option<String>>;

/// What an expression can see.
#[derive(Clone, Debug)]
pub struct Env {
    vars: BTreeMap<String, Value>,
    /// `asInt`, `asFloat`, `jsonpath`, `toJson` and `sprig` are available (tags and most
    /// `expression` fields; not CronWorkflow `stopStrategy` or HTTP `successCondition`).
    pub helpers: bool,
    /// What `now()` returns, so evaluation is deterministic.
    pub now: Time,
}

impl Default for Env {
    fn default() -> Self {
        Env {
            vars: BTreeMap::new(),
            helpers: true,
            now: Time::from_unix(0, 0),
        }
    }
}

impl Env {
    /// An environment from already-typed top-level values (e.g. `data` for transformations).
    pub fn from_values(vars: BTreeMap<String, Value>) -> Env {
        Env {
            vars,
            ..Env::default()
        }
    }

    /// Expands flat Argo bindings into nested maps: keys sorted, a key immediately followed by
    /// one of its children is dropped (it is shadowed), then every key is split on `.`.
    pub fn from_flat(bindings: &Bindings) -> Env {
        let keys: Vec<&String> = bindings.keys().collect();
        let mut vars: BTreeMap<String, Value> = BTreeMap::new();
        for (i, key) in keys.iter().enumerate() {
            if let Some(next) = keys.get(i + 1)
                && next.len() > key.len()
                && next.starts_with(key.as_str())
                && next.as_bytes().get(key.len()) == Some(&b'.')
            {
                continue;
            }
            let value = match bindings.get(*key) {
                Some(Some(s)) => Value::str(s.as_str()),
                _ => Value::Nil,
            };
            let parts: Vec<&str> = key.split('.').collect();
            insert_path(&mut vars, &parts, value);
        }
        Env {
            vars,
            ..Env::default()
        }
    }

    /// Adds or replaces a top-level variable.
    pub fn set(&mut self, name: impl Into<String>, value: Value) {
        self.vars.insert(name.into(), value);
    }

    /// A top-level variable.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    pub fn vars(&self) -> &BTreeMap<String, Value> {
        &self.vars
    }

    /// Whether a dotted path resolves (a present key whose value is nil counts as present).
    pub fn has_path(&self, path: &[&str]) -> bool {
        let Some((first, rest)) = path.split_first() else {
            return false;
        };
        let Some(mut cur) = self.vars.get(*first) else {
            return false;
        };
        for seg in rest {
            match cur.as_map().and_then(|m| m.get(*seg)) {
                Some(v) => cur = v,
                None => return false,
            }
        }
        true
    }
}

fn insert_path(map: &mut BTreeMap<String, Value>, parts: &[&str], value: Value) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    if rest.is_empty() {
        // A parent that was already expanded into a map keeps its children.
        if !matches!(map.get(*first), Some(Value::Map(_))) {
            map.insert((*first).to_string(), value);
        }
        return;
    }
    let mut child = match map.remove(*first) {
        Some(Value::Map(d)) => {
            std::rc::Rc::try_unwrap(d).map_or_else(|d| d.entries.clone(), |d| d.entries)
        }
        _ => BTreeMap::new(),
    };
    insert_path(&mut child, rest, value);
    map.insert((*first).to_string(), Value::map(child));
}
