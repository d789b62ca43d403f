//! Go RE2 regular expressions on top of the `regex` crate (spec §8.4).
//!
//! Patterns are translated so that they mean what they mean in Go: Perl classes and `\b` are
//! ASCII-only, `\Q…\E` quotes literally, `[` and `&&`/`--`/`~~` inside a class are literal;
//! syntax Go rejects (`(?x)`, look-around, back-references, repeat counts over 1000) is rejected.
//! [`dialect_notes`] describes the differences in a literal pattern for the static checks.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

thread_local! {
    static CACHE: RefCell<HashMap<String, Result<Regex, String>>> = RefCell::new(HashMap::new());
}

/// Compiles a Go pattern (cached per thread).
pub fn compile(pattern: &str) -> Result<Regex, String> {
    CACHE.with(|c| {
        if let Some(r) = c.borrow().get(pattern) {
            return r.clone();
        }
        let r = translate(pattern).and_then(|p| {
            regex::RegexBuilder::new(&p)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| go_error(&first_line(&e.to_string()), pattern))
        });
        let mut cache = c.borrow_mut();
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(pattern.to_string(), r.clone());
        r
    })
}

fn first_line(s: &str) -> String {
    s.lines()
        .last()
        .unwrap_or(s)
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

/// Go's wording for the common syntax errors (Rust's otherwise).
fn go_error(rust: &str, pattern: &str) -> String {
    let what = if rust.contains("unclosed character class") {
        "missing closing ]"
    } else if rust.contains("unclosed group") {
        "missing closing )"
    } else if rust.contains("unopened group") {
        "unexpected )"
    } else if rust.contains("repetition operator missing expression") {
        "missing argument to repetition operator"
    } else if rust.contains("escape") {
        "invalid escape sequence"
    } else {
        rust
    };
    format!("error parsing regexp: {what}: `{pattern}`")
}

/// How a Go pattern differs from the same text read by Rust's `regex`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialectNote {
    /// Byte range in the pattern.
    pub range: std::ops::Range<usize>,
    /// `true` if Go rejects the pattern (Argo fails at run time).
    pub go_rejects: bool,
    pub message: String,
}

/// Differences worth reporting in a literal pattern.
pub fn dialect_notes(pattern: &str) -> Vec<DialectNote> {
    let mut notes = Vec::new();
    let b = pattern.as_bytes();
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                let n = b.get(i + 1).copied().unwrap_or(0);
                let msg = match n {
                    b'd' | b'D' => {
                        Some("`\\d` matches only ASCII digits in Go (Unicode digits in Rust)")
                    }
                    b'w' | b'W' => Some("`\\w` matches only ASCII word characters in Go"),
                    b's' | b'S' => {
                        Some("`\\s` is `[\\t\\n\\f\\r ]` in Go (no `\\v`, no Unicode spaces)")
                    }
                    b'b' | b'B' if !in_class => Some("`\\b` is an ASCII word boundary in Go"),
                    b'Q' => Some("`\\Q…\\E` quotes literally in Go; Rust's regex rejects it"),
                    b'1'..=b'9' => {
                        notes.push(DialectNote {
                            range: i..i + 2,
                            go_rejects: true,
                            message: "Go regular expressions have no back-references".into(),
                        });
                        None
                    }
                    _ => None,
                };
                if let Some(m) = msg {
                    notes.push(DialectNote {
                        range: i..i + 2,
                        go_rejects: false,
                        message: m.into(),
                    });
                }
                i += 1 + pattern[i + 1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'&' | b'-' | b'~' if in_class && b.get(i + 1) == Some(&c) => {
                notes.push(DialectNote {
                    range: i..i + 2,
                    go_rejects: false,
                    message: format!(
                        "`{0}{0}` inside a class is two literal `{0}` in Go, a set operation in Rust",
                        c as char
                    ),
                });
                i += 2;
                continue;
            }
            b'(' if !in_class && b.get(i + 1) == Some(&b'?') => {
                let rest = &pattern[i + 2..];
                let bad = if rest.starts_with('=')
                    || rest.starts_with('!')
                    || rest.starts_with("<=")
                    || rest.starts_with("<!")
                {
                    Some("Go regular expressions have no look-around")
                } else {
                    let flags: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
                        .collect();
                    if flags.contains(['x', 'u', 'R']) {
                        Some("Go accepts only the flags i, m, s and U")
                    } else {
                        None
                    }
                };
                if let Some(m) = bad {
                    notes.push(DialectNote {
                        range: i..i + 3,
                        go_rejects: true,
                        message: m.into(),
                    });
                }
            }
            b'{' if !in_class => {
                if let Some(end) = pattern[i..].find('}') {
                    let body = &pattern[i + 1..i + end];
                    let nums: Vec<&str> = body.split(',').collect();
                    if nums.len() <= 2
                        && nums.iter().all(|n| n.bytes().all(|d| d.is_ascii_digit()))
                        && nums.first().is_some_and(|n| !n.is_empty())
                        && nums
                            .iter()
                            .any(|n| n.parse::<u64>().is_ok_and(|v| v > 1000))
                    {
                        notes.push(DialectNote {
                            range: i..i + end + 1,
                            go_rejects: true,
                            message: "Go rejects repeat counts over 1000".into(),
                        });
                    }
                }
            }
            _ => {}
        }
        i += pattern[i..].chars().next().map_or(1, char::len_utf8);
    }
    notes
}

/// Rewrites a Go pattern into an equivalent Rust pattern, or Go's error.
pub fn translate(pattern: &str) -> Result<String, String> {
    if let Some(n) = dialect_notes(pattern).into_iter().find(|n| n.go_rejects) {
        let what = pattern.get(n.range.clone()).unwrap_or("");
        return Err(if n.message.contains("repeat") {
            format!("error parsing regexp: invalid repeat count: `{what}`")
        } else if n.message.contains("back-references") {
            format!("error parsing regexp: invalid escape sequence: `{what}`")
        } else {
            format!("error parsing regexp: invalid or unsupported Perl syntax: `{what}`")
        });
    }
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.char_indices().peekable();
    let mut in_class = false;
    let mut class_start = false;
    while let Some((i, c)) = chars.next() {
        let first_in_class = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some((_, n)) = chars.next() else {
                    return Err(
                        "error parsing regexp: trailing backslash at end of expression: ``".into(),
                    );
                };
                let (outside, inside) = match n {
                    'd' => ("[0-9]", "0-9"),
                    'D' => ("[^0-9]", "[^0-9]"),
                    'w' => ("[0-9A-Za-z_]", "0-9A-Za-z_"),
                    'W' => ("[^0-9A-Za-z_]", "[^0-9A-Za-z_]"),
                    's' => ("[\\t\\n\\f\\r ]", "\\t\\n\\f\\r "),
                    'S' => ("[^\\t\\n\\f\\r ]", "[^\\t\\n\\f\\r ]"),
                    'b' if !in_class => ("(?-u:\\b)", ""),
                    'B' if !in_class => ("(?-u:\\B)", ""),
                    'Q' => {
                        let rest = &pattern[i + 2..];
                        let (lit, skip) = match rest.find("\\E") {
                            Some(e) => (&rest[..e], e + 2),
                            None => (rest, rest.len()),
                        };
                        out.push_str(&regex::escape(lit));
                        let stop = i + 2 + skip;
                        while chars.peek().is_some_and(|(j, _)| *j < stop) {
                            chars.next();
                        }
                        continue;
                    }
                    other => {
                        out.push('\\');
                        out.push(other);
                        continue;
                    }
                };
                out.push_str(if in_class { inside } else { outside });
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek().is_some_and(|(_, c)| *c == '^') {
                    chars.next();
                    out.push('^');
                }
                // A `]` right after `[` or `[^` is literal in both dialects.
                if chars.peek().is_some_and(|(_, c)| *c == ']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            '[' if in_class => {
                if pattern[i..].starts_with("[:")
                    && let Some(end) = pattern[i..].find(":]")
                {
                    out.push_str(&pattern[i..i + end + 2]);
                    while chars.peek().is_some_and(|(j, _)| *j < i + end + 2) {
                        chars.next();
                    }
                    continue;
                }
                out.push_str("\\[");
            }
            ']' if in_class && !first_in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.peek().is_some_and(|(_, n)| *n == '-') => out.push_str("\\-"),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Go's `Regexp.Split(s, n)`: an empty match at 0 produces no leading piece; the trailing piece is
/// added unless the last match ended at the end; `n == 0` gives nil, `n > 0` at most `n` pieces.
pub fn go_split(re: &Regex, s: &str, n: i64) -> Option<Vec<String>> {
    if n == 0 {
        return None;
    }
    if !re.as_str().is_empty() && s.is_empty() {
        return Some(vec![String::new()]);
    }
    let mut out = Vec::new();
    let mut beg = 0;
    let mut end = 0;
    for m in re.find_iter(s) {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = m.start();
        if m.end() == 0 {
            continue;
        }
        out.push(s[beg..end].to_string());
        beg = m.end();
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_are_ascii_only() {
        assert!(!compile(r"^\d$").expect("valid").is_match("٣"));
        assert!(compile(r"^\d$").expect("valid").is_match("3"));
        assert!(!compile(r"^\w$").expect("valid").is_match("é"));
        assert!(!compile(r"^\s$").expect("valid").is_match("\u{b}"));
        assert!(compile(r"^[\d_]+$").expect("valid").is_match("1_2"));
    }

    #[test]
    fn go_only_and_rust_only_syntax() {
        assert!(compile(r"\Qa.b\E").expect("valid").is_match("a.b"));
        assert!(!compile(r"\Qa.b\E").expect("valid").is_match("axb"));
        assert!(compile("(?x) a").is_err());
        assert!(compile("a{1001}").is_err());
        assert!(compile("(?=a)").is_err());
        assert!(compile("[a&&b]").expect("valid").is_match("&"));
        assert!(compile("[[]").expect("valid").is_match("["));
        assert!(compile("[[:alpha:]]").expect("valid").is_match("q"));
    }

    #[test]
    fn split_follows_go() {
        let re = compile("").expect("valid");
        assert_eq!(
            go_split(&re, "abc", -1),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        let re = compile(",").expect("valid");
        assert_eq!(
            go_split(&re, "a,b,c", 2),
            Some(vec!["a".into(), "b,c".into()])
        );
        assert_eq!(
            go_split(&re, "a,b,", -1),
            Some(vec!["a".into(), "b".into(), "".into()])
        );
    }
}
