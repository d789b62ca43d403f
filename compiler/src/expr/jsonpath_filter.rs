//! JSONPath filter expressions (`?(@.age > 42 && @.name == 'Mo')`): a tiny recursive-descent
//! evaluator over one candidate element. Depth is bounded by the filter length (≤ the path).

use super::value::Value;

const MAX_DEPTH: usize = 32;

/// Whether `item` satisfies the filter `f`.
pub fn matches(f: &str, item: &Value) -> Result<bool, String> {
    let toks = tokens(f)?;
    let mut p = P {
        toks,
        pos: 0,
        item,
        depth: 0,
    };
    let v = p.or()?;
    if p.pos != p.toks.len() {
        return Err(format!("invalid filter {f:?}"));
    }
    Ok(truthy(&v))
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Path(Vec<String>),
    Num(f64),
    Str(String),
    Word(String),
    Op(String),
}

fn tokens(f: &str) -> Result<Vec<T>, String> {
    let b = f.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'@' {
            i += 1;
            let mut path = Vec::new();
            while i < b.len() && (b[i] == b'.' || b[i] == b'[') {
                if b[i] == b'.' {
                    let s = i + 1;
                    i = s;
                    while i < b.len()
                        && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-')
                    {
                        i += 1;
                    }
                    path.push(f[s..i].to_string());
                } else {
                    let end = f[i..].find(']').ok_or("unterminated [ in filter")? + i;
                    let inner = f[i + 1..end].trim().trim_matches(['\'', '"']);
                    path.push(inner.to_string());
                    i = end + 1;
                }
            }
            out.push(T::Path(path));
        } else if c == b'\'' || c == b'"' {
            let end = f[i + 1..]
                .find(c as char)
                .ok_or("unterminated string in filter")?
                + i
                + 1;
            out.push(T::Str(f[i + 1..end].to_string()));
            i = end + 1;
        } else if c.is_ascii_digit() || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let s = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b'e') {
                i += 1;
            }
            out.push(T::Num(
                f[s..i].parse().map_err(|_| "invalid number in filter")?,
            ));
        } else if c.is_ascii_alphabetic() {
            let s = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push(T::Word(f[s..i].to_string()));
        } else {
            let two = f.get(i..i + 2).unwrap_or("");
            let op = if ["==", "!=", "<=", ">=", "&&", "||", "=~"].contains(&two) {
                two
            } else {
                f.get(i..i + 1).unwrap_or("")
            };
            if ![
                "==", "!=", "<=", ">=", "&&", "||", "=~", "<", ">", "!", "(", ")",
            ]
            .contains(&op)
            {
                return Err(format!("invalid character in filter {f:?}"));
            }
            out.push(T::Op(op.to_string()));
            i += op.len();
        }
    }
    Ok(out)
}

struct P<'a> {
    toks: Vec<T>,
    pos: usize,
    item: &'a Value,
    depth: usize,
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Nil | Value::Bool(false))
}

impl P<'_> {
    fn is(&self, op: &str) -> bool {
        matches!(self.toks.get(self.pos), Some(T::Op(o)) if o == op)
    }

    fn or(&mut self) -> Result<Value, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("filter is nested too deeply".into());
        }
        let mut l = self.and()?;
        while self.is("||") {
            self.pos += 1;
            let r = self.and()?;
            l = Value::Bool(truthy(&l) || truthy(&r));
        }
        self.depth -= 1;
        Ok(l)
    }

    fn and(&mut self) -> Result<Value, String> {
        let mut l = self.cmp()?;
        while self.is("&&") {
            self.pos += 1;
            let r = self.cmp()?;
            l = Value::Bool(truthy(&l) && truthy(&r));
        }
        Ok(l)
    }

    fn cmp(&mut self) -> Result<Value, String> {
        let l = self.unary()?;
        let Some(T::Op(op)) = self.toks.get(self.pos).cloned() else {
            return Ok(l);
        };
        if !["==", "!=", "<", "<=", ">", ">=", "=~"].contains(&op.as_str()) {
            return Ok(l);
        }
        self.pos += 1;
        let r = self.unary()?;
        let ord = match (&l, &r) {
            (a, b) if a.is_number() && b.is_number() => a.as_f64().partial_cmp(&b.as_f64()),
            (Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
            _ => None,
        };
        Ok(Value::Bool(match op.as_str() {
            "==" => l.loose_eq(&r),
            "!=" => !l.loose_eq(&r),
            "<" => ord.is_some_and(|o| o.is_lt()),
            "<=" => ord.is_some_and(|o| o.is_le()),
            ">" => ord.is_some_and(|o| o.is_gt()),
            ">=" => ord.is_some_and(|o| o.is_ge()),
            _ => match (&l, &r) {
                (Value::Str(s), Value::Str(p)) => {
                    let pat = p.trim_matches('/');
                    super::regex_go::compile(pat)?.is_match(s)
                }
                _ => false,
            },
        }))
    }

    fn unary(&mut self) -> Result<Value, String> {
        if self.is("!") {
            self.pos += 1;
            let v = self.unary()?;
            return Ok(Value::Bool(!truthy(&v)));
        }
        if self.is("(") {
            self.pos += 1;
            let v = self.or()?;
            if !self.is(")") {
                return Err("missing ) in filter".into());
            }
            self.pos += 1;
            return Ok(v);
        }
        let t = self
            .toks
            .get(self.pos)
            .cloned()
            .ok_or("unexpected end of filter")?;
        self.pos += 1;
        Ok(match t {
            T::Num(n) => Value::Float(n),
            T::Str(s) => Value::str(s),
            T::Word(w) => match w.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" | "nil" => Value::Nil,
                _ => Value::str(w),
            },
            T::Path(p) => {
                let mut cur = self.item.clone();
                for seg in &p {
                    cur = match &cur {
                        Value::Map(d) => d.entries.get(seg).cloned().unwrap_or(Value::Nil),
                        Value::Array(l) if seg == "length" => Value::Float(l.items.len() as f64),
                        Value::Array(l) => seg
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| l.items.get(i).cloned())
                            .unwrap_or(Value::Nil),
                        _ => Value::Nil,
                    };
                }
                cur
            }
            T::Op(o) => return Err(format!("unexpected {o} in filter")),
        })
    }
}
