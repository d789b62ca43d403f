//! `sprig.semver` and `sprig.semverCompare` (Masterminds/semver v3 rules for the common cases):
//! versions `v1.2.3-pre+meta` (missing minor/patch are 0), constraints with `=`, `!=`, `>`, `<`,
//! `>=`, `<=`, `~`, `^`, wildcards `1.2.x`, `,`/space for AND and `||` for OR.

use std::cmp::Ordering;
use std::fmt;

use super::Args;
use crate::expr::value::Value;

/// A semantic version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub meta: String,
    original: String,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.meta.is_empty() {
            write!(f, "+{}", self.meta)?;
        }
        Ok(())
    }
}

impl Version {
    /// Parses a version (`NewVersion`): optional `v`, 1–3 numeric parts.
    pub fn parse(s: &str) -> Result<Version, String> {
        let err = || "Invalid Semantic Version".to_string();
        let body = s.strip_prefix(['v', 'V']).unwrap_or(s);
        let (body, meta) = body.split_once('+').unwrap_or((body, ""));
        let (core, pre) = body.split_once('-').unwrap_or((body, ""));
        let nums: Vec<&str> = core.split('.').collect();
        if nums.is_empty() || nums.len() > 3 {
            return Err(err());
        }
        let mut parts = [0u64; 3];
        for (i, n) in nums.iter().enumerate() {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            parts[i] = n.parse().map_err(|_| err())?;
        }
        Ok(Version {
            major: parts[0],
            minor: parts[1],
            patch: parts[2],
            pre: pre.to_string(),
            meta: meta.to_string(),
            original: s.to_string(),
        })
    }

    fn cmp_version(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&o.pre),
            })
    }

    /// Methods callable from expressions (`.Major()`, `.Minor()`, …).
    pub fn method(&self, name: &str, _args: &[Value]) -> Option<Value> {
        Some(match name {
            "Major" => Value::Int64(self.major as i64),
            "Minor" => Value::Int64(self.minor as i64),
            "Patch" => Value::Int64(self.patch as i64),
            "Prerelease" => Value::str(self.pre.as_str()),
            "Metadata" => Value::str(self.meta.as_str()),
            "Original" => Value::str(self.original.as_str()),
            "String" => Value::str(self.to_string()),
            _ => return None,
        })
    }
}

/// Whether `v` satisfies the constraint string.
pub fn satisfies(constraint: &str, v: &Version) -> Result<bool, String> {
    for alt in constraint.split("||") {
        let mut all = true;
        let mut any_term = false;
        for term in alt.split([',', ' ']).filter(|t| !t.trim().is_empty()) {
            any_term = true;
            if !term_ok(term.trim(), v)? {
                all = false;
            }
        }
        if !any_term {
            return Err(format!("improper constraint: {constraint}"));
        }
        if all {
            return Ok(true);
        }
    }
    Ok(false)
}

fn term_ok(term: &str, v: &Version) -> Result<bool, String> {
    let ops = [">=", "<=", "!=", "=>", "=<", ">", "<", "=", "~", "^"];
    let op = ops
        .iter()
        .find(|o| term.starts_with(**o))
        .copied()
        .unwrap_or("");
    let rest = term[op.len()..].trim();
    let wild = |s: &str| matches!(s, "x" | "X" | "*");
    let segs: Vec<&str> = rest
        .trim_start_matches(['v', 'V'])
        .split(['-', '+'])
        .next()
        .unwrap_or("")
        .split('.')
        .collect();
    let n_fixed = segs.iter().take_while(|s| !wild(s)).count();
    if rest.is_empty() || wild(rest) {
        return Ok(true);
    }
    let fixed = segs[..n_fixed].join(".");
    let c = Version::parse(if n_fixed == segs.len() { rest } else { &fixed })
        .map_err(|_| format!("improper constraint: {term}"))?;
    let ord = v.cmp_version(&c);
    let next = |level: usize| -> Version {
        let mut n = c.clone();
        n.pre.clear();
        match level {
            0 => {
                n.major += 1;
                n.minor = 0;
                n.patch = 0;
            }
            _ => {
                n.minor += 1;
                n.patch = 0;
            }
        }
        n
    };
    Ok(match op {
        "" | "="
            if n_fixed < 3 && n_fixed < segs.len().max(1)
                || n_fixed < 3 && op.is_empty() && segs.len() < 3 =>
        {
            let upper = next(if n_fixed <= 1 { 0 } else { 1 });
            ord.is_ge() && v.cmp_version(&upper).is_lt()
        }
        "" | "=" => ord.is_eq(),
        "!=" => !ord.is_eq(),
        ">" => ord.is_gt(),
        "<" => ord.is_lt(),
        ">=" | "=>" => ord.is_ge(),
        "<=" | "=<" => ord.is_le(),
        "~" => {
            ord.is_ge()
                && v.cmp_version(&next(if n_fixed <= 1 { 0 } else { 1 }))
                    .is_lt()
        }
        _ => {
            // ^: up to the next major (or minor/patch for 0.x).
            let upper = if c.major > 0 || n_fixed <= 1 {
                next(0)
            } else {
                next(1)
            };
            ord.is_ge() && v.cmp_version(&upper).is_lt()
        }
    })
}

pub(crate) fn call(name: &str, a: &Args<'_>) -> Option<Result<Value, String>> {
    let r = (|| -> Result<Option<Value>, String> {
        Ok(Some(match name {
            "semver" => Value::Version(Version::parse(a.str(0)?)?.into()),
            "semverCompare" => {
                let v = Version::parse(a.str(1)?)?;
                Value::Bool(satisfies(a.str(0)?, &v)?)
            }
            _ => return Ok(None),
        }))
    })();
    r.transpose()
}
