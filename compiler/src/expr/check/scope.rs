//! What variables exist where an expression appears. The caller (the semantic checks, which
//! know the template, its inputs, the loop and the DAG) describes it through [`Scope`];
//! [`PathScope`] is a ready-made implementation from dotted patterns with `*` wildcards.

/// How a path resolves in a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// A variable. Argo variables are strings (`string: true`) unless the caller knows better
    /// (`data` in transformations, HTTP `response.statusCode`).
    Leaf { string: bool },
    /// An intermediate level (`inputs`, `inputs.parameters`): a map in expressions.
    Map,
    /// Anything below this path is acceptable (a dynamic loop item, a map-typed value).
    Dynamic,
    /// Not defined here.
    Unknown,
}

/// The variables visible at one position.
pub trait Scope {
    /// Resolves a dotted path given as segments.
    fn resolve(&self, path: &[&str]) -> Resolution;
    /// The known names directly below `prefix` (the top level for an empty prefix), used for
    /// did-you-mean suggestions.
    fn children(&self, prefix: &[&str]) -> Vec<String>;
}

/// A scope from dotted patterns: `inputs.parameters.x`, `tasks.*.outputs.result` (`*` matches
/// one segment), and dynamic roots (`item` when the loop source is only known at run time).
#[derive(Clone, Debug, Default)]
pub struct PathScope {
    leaves: Vec<(Vec<String>, bool)>,
    dynamic: Vec<Vec<String>>,
}

fn split(p: &str) -> Vec<String> {
    p.split('.').map(str::to_string).collect()
}

fn seg_match(pattern: &str, seg: &str) -> bool {
    pattern == "*" || pattern == seg
}

impl PathScope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a string variable.
    pub fn with(mut self, pattern: &str) -> Self {
        self.leaves.push((split(pattern), true));
        self
    }

    /// Adds a variable that is not a string (e.g. a list or a number).
    pub fn with_value(mut self, pattern: &str) -> Self {
        self.leaves.push((split(pattern), false));
        self
    }

    /// Accepts anything at or below `pattern`.
    pub fn with_dynamic(mut self, pattern: &str) -> Self {
        self.dynamic.push(split(pattern));
        self
    }

    /// Adds every pattern of an iterator as a string variable.
    pub fn with_all<'a>(mut self, patterns: impl IntoIterator<Item = &'a str>) -> Self {
        for p in patterns {
            self.leaves.push((split(p), true));
        }
        self
    }
}

impl Scope for PathScope {
    fn resolve(&self, path: &[&str]) -> Resolution {
        for d in &self.dynamic {
            if d.len() <= path.len() && d.iter().zip(path).all(|(p, s)| seg_match(p, s)) {
                return Resolution::Dynamic;
            }
        }
        let mut is_prefix = false;
        for (pat, string) in &self.leaves {
            if pat.len() < path.len() || !pat.iter().zip(path).all(|(p, s)| seg_match(p, s)) {
                continue;
            }
            if pat.len() == path.len() {
                return Resolution::Leaf { string: *string };
            }
            is_prefix = true;
        }
        for d in &self.dynamic {
            if d.len() > path.len() && d.iter().zip(path).all(|(p, s)| seg_match(p, s)) {
                is_prefix = true;
            }
        }
        if is_prefix {
            Resolution::Map
        } else {
            Resolution::Unknown
        }
    }

    fn children(&self, prefix: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let pats = self
            .leaves
            .iter()
            .map(|(p, _)| p)
            .chain(self.dynamic.iter());
        for pat in pats {
            if pat.len() > prefix.len() && pat.iter().zip(prefix).all(|(p, s)| seg_match(p, s)) {
                let next = &pat[prefix.len()];
                if next != "*" && !out.contains(next) {
                    out.push(next.clone());
                }
            }
        }
        out
    }
}

/// The scope of a concrete evaluation environment, typed the way expr's compiler sees it:
/// top-level values have their actual type, anything reached through a map is dynamic (spec
/// §2.3). Used to reproduce expr's compile-time errors before evaluating.
pub struct EnvScope<'e>(pub &'e crate::expr::Env);

impl Scope for EnvScope<'_> {
    fn resolve(&self, path: &[&str]) -> Resolution {
        match (path, path.first().and_then(|n| self.0.get(n))) {
            ([_], Some(crate::expr::Value::Str(_))) => Resolution::Leaf { string: true },
            (_, Some(_)) => Resolution::Dynamic,
            (_, None) => Resolution::Unknown,
        }
    }

    fn children(&self, prefix: &[&str]) -> Vec<String> {
        if prefix.is_empty() {
            self.0.vars().keys().cloned().collect()
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_dynamic_roots() {
        let s = PathScope::new()
            .with("inputs.parameters.x")
            .with("tasks.*.outputs.result")
            .with_dynamic("item");
        assert_eq!(s.resolve(&["inputs"]), Resolution::Map);
        assert_eq!(
            s.resolve(&["inputs", "parameters", "x"]),
            Resolution::Leaf { string: true }
        );
        assert_eq!(
            s.resolve(&["inputs", "parameters", "y"]),
            Resolution::Unknown
        );
        assert_eq!(
            s.resolve(&["tasks", "a", "outputs", "result"]),
            Resolution::Leaf { string: true }
        );
        assert_eq!(s.resolve(&["item", "k", "z"]), Resolution::Dynamic);
        assert_eq!(s.children(&["inputs", "parameters"]), vec!["x".to_string()]);
        assert_eq!(s.children(&[]), vec!["inputs", "tasks", "item"]);
    }
}
