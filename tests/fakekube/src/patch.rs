//! Patch semantics: JSON merge patch (RFC 7386), JSON patch (RFC 6902: add, remove, replace,
//! test, copy, move), and a simplified server-side apply.
//!
//! Simplifications (documented in the crate docs): strategic merge patch is treated as a JSON
//! merge patch (lists are replaced, not merged by key), and server-side apply is a three-way merge
//! against the *same manager's* previous applied configuration (like `kubectl apply`'s
//! last-applied annotation, but stored server-side): fields the manager applied before and omits
//! now are removed, everything else in the applied configuration is merged in. Field ownership
//! conflicts between managers are never reported (as if `force=true` were always set), and
//! `managedFields` is not populated.

use serde_json::{Map, Value};

/// RFC 7386 merge patch, in place.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("just made an object");
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

fn parent_and_key<'a>(doc: &'a mut Value, path: &str) -> Result<(&'a mut Value, String), String> {
    let (parent, last) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("invalid pointer `{path}`"))?;
    let parent = if parent.is_empty() {
        Some(doc)
    } else {
        doc.pointer_mut(parent)
    };
    Ok((
        parent.ok_or_else(|| format!("path `{path}` does not exist"))?,
        unescape(last),
    ))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, key) = parent_and_key(doc, path)?;
    match parent {
        Value::Object(m) => {
            m.insert(key, value);
        }
        Value::Array(a) => {
            let idx = if key == "-" {
                a.len()
            } else {
                key.parse::<usize>()
                    .map_err(|_| format!("bad index `{key}`"))?
            };
            if idx > a.len() {
                return Err(format!("index {idx} out of bounds"));
            }
            a.insert(idx, value);
        }
        _ => return Err(format!("cannot add at `{path}`")),
    }
    Ok(())
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, key) = parent_and_key(doc, path)?;
    match parent {
        Value::Object(m) => m
            .remove(&key)
            .ok_or_else(|| format!("path `{path}` does not exist")),
        Value::Array(a) => {
            let idx = key
                .parse::<usize>()
                .map_err(|_| format!("bad index `{key}`"))?;
            if idx >= a.len() {
                return Err(format!("index {idx} out of bounds"));
            }
            Ok(a.remove(idx))
        }
        _ => Err(format!("cannot remove `{path}`")),
    }
}

/// RFC 6902 JSON patch. On error the document may be partially modified; callers patch a copy.
pub fn json_patch(doc: &mut Value, ops: &Value) -> Result<(), String> {
    let ops = ops.as_array().ok_or("json patch must be an array")?;
    for op in ops {
        let path = op
            .get("path")
            .and_then(Value::as_str)
            .ok_or("operation without path")?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| "operation without value".to_owned())
        };
        match op.get("op").and_then(Value::as_str) {
            Some("add") => add(doc, path, value()?)?,
            Some("remove") => {
                remove(doc, path)?;
            }
            Some("replace") => {
                remove(doc, path)?;
                add(doc, path, value()?)?;
            }
            Some("test") => {
                if doc.pointer(path) != Some(&value()?) {
                    return Err(format!("test operation at `{path}` failed"));
                }
            }
            Some(op_name @ ("copy" | "move")) => {
                let from = op
                    .get("from")
                    .and_then(Value::as_str)
                    .ok_or("operation without from")?;
                let v = if op_name == "move" {
                    remove(doc, from)?
                } else {
                    doc.pointer(from)
                        .cloned()
                        .ok_or_else(|| format!("path `{from}` does not exist"))?
                };
                add(doc, path, v)?;
            }
            other => return Err(format!("unsupported op {other:?}")),
        }
    }
    Ok(())
}

/// Removes from `target` the fields present in `old` but absent from `new` (recursively on
/// objects; lists and scalars are owned whole).
fn prune_dropped(target: &mut Value, old: &Value, new: &Value) {
    let (Some(t), Some(o)) = (target.as_object_mut(), old.as_object()) else {
        return;
    };
    for (k, ov) in o {
        match new.get(k) {
            None => {
                t.remove(k);
            }
            Some(nv) => {
                if let Some(tv) = t.get_mut(k) {
                    prune_dropped(tv, ov, nv);
                }
            }
        }
    }
}

/// Simplified server-side apply: prune what this manager dropped since its last apply, then merge
/// the applied configuration in (objects merge recursively, everything else is replaced).
pub fn apply(target: &mut Value, last_applied: Option<&Value>, applied: &Value) {
    if let Some(old) = last_applied {
        prune_dropped(target, old, applied);
    }
    deep_merge(target, applied);
}

fn deep_merge(target: &mut Value, src: &Value) {
    match (target, src) {
        (Value::Object(t), Value::Object(s)) => {
            for (k, v) in s {
                match t.get_mut(k) {
                    Some(tv) if tv.is_object() && v.is_object() => deep_merge(tv, v),
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, s) => *t = s.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_removes_nulls_and_replaces_lists() {
        let mut d = json!({"a": {"b": 1, "c": 2}, "l": [1, 2]});
        merge_patch(&mut d, &json!({"a": {"b": null, "d": 3}, "l": [3]}));
        assert_eq!(d, json!({"a": {"c": 2, "d": 3}, "l": [3]}));
    }

    #[test]
    fn json_patch_supports_test_and_array_append() {
        let mut d = json!({"metadata": {"finalizers": ["x"]}});
        json_patch(
            &mut d,
            &json!([{"op": "test", "path": "/metadata/finalizers", "value": ["x"]},
            {"op": "add", "path": "/metadata/finalizers/-", "value": "y"}]),
        )
        .unwrap();
        assert_eq!(d, json!({"metadata": {"finalizers": ["x", "y"]}}));
        assert!(
            json_patch(
                &mut d,
                &json!([{"op": "test", "path": "/metadata/finalizers", "value": []}])
            )
            .is_err()
        );
    }

    #[test]
    fn apply_removes_fields_the_manager_dropped_and_keeps_others() {
        let mut d = json!({"data": {"a": "1", "b": "2", "x": "human"}});
        apply(
            &mut d,
            Some(&json!({"data": {"a": "1", "b": "2"}})),
            &json!({"data": {"a": "9"}}),
        );
        assert_eq!(d, json!({"data": {"a": "9", "x": "human"}}));
    }
}
