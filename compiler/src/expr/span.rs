//! Mapping byte ranges in a YAML scalar's *value* (what tags and expressions are parsed from)
//! back to its *source text*, so a finding can point at the exact sub-expression.
//!
//! Exact for plain scalars, single-quoted (`''`), double-quoted (escapes, `\` line
//! continuations) and literal block scalars (`|`, `|-`, `|+`). Folded scalars (`>`) and
//! multi-line flow scalars give `None`: the caller then points at the whole scalar.

use std::ops::Range;

/// Source offsets of every value byte (plus one past the end), or `None`.
fn offsets(source: &str, value: &str) -> Option<Vec<usize>> {
    if source == value {
        return Some((0..=value.len()).collect());
    }
    let b = source.as_bytes();
    let mut map = Vec::with_capacity(value.len() + 1);
    let mut decoded = String::with_capacity(value.len());
    let push = |map: &mut Vec<usize>, decoded: &mut String, c: char, at: usize| {
        for _ in 0..c.len_utf8() {
            map.push(at);
        }
        decoded.push(c);
    };
    match b.first() {
        Some(b'\'')
            if source.len() >= 2 && source.ends_with('\'') && !source[1..].contains('\n') =>
        {
            let inner = &source[1..source.len() - 1];
            let mut it = inner.char_indices().peekable();
            while let Some((i, c)) = it.next() {
                if c == '\'' && it.peek().is_some_and(|(_, n)| *n == '\'') {
                    it.next();
                }
                push(&mut map, &mut decoded, c, 1 + i);
            }
            map.push(source.len() - 1);
        }
        Some(b'"') if source.len() >= 2 && source.ends_with('"') => {
            let inner = &source[1..source.len() - 1];
            let mut it = inner.char_indices().peekable();
            while let Some((i, c)) = it.next() {
                if c == '\n' {
                    return None;
                }
                if c != '\\' {
                    push(&mut map, &mut decoded, c, 1 + i);
                    continue;
                }
                let (_, e) = it.next()?;
                let hex = |n: usize,
                           it: &mut std::iter::Peekable<std::str::CharIndices<'_>>|
                 -> Option<char> {
                    let s: String = (0..n).filter_map(|_| it.next().map(|(_, c)| c)).collect();
                    char::from_u32(u32::from_str_radix(&s, 16).ok()?)
                };
                let ch = match e {
                    'n' => '\n',
                    't' | '\t' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    ' ' => ' ',
                    'x' => hex(2, &mut it)?,
                    'u' => hex(4, &mut it)?,
                    'U' => hex(8, &mut it)?,
                    _ => return None,
                };
                push(&mut map, &mut decoded, ch, 1 + i);
            }
            map.push(source.len() - 1);
        }
        Some(b'|') => {
            let header_end = source.find('\n')?;
            let body = &source[header_end + 1..];
            let indent = body
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start_matches(' ').len())?;
            let mut line_start = header_end + 1;
            for line in body.split_inclusive('\n') {
                let content = line
                    .get(indent.min(line.trim_end_matches('\n').len())..)
                    .unwrap_or("");
                let base = line_start + (line.len() - content.len());
                for (i, c) in content.char_indices() {
                    push(&mut map, &mut decoded, c, base + i);
                }
                line_start += line.len();
            }
            map.push(source.len());
            // Chomping may have removed trailing newlines: compare on the common prefix.
            if decoded.len() < value.len() || !decoded.starts_with(value) {
                return None;
            }
            map.truncate(value.len());
            map.push(map.last().map_or(0, |l| l + 1));
            return Some(map);
        }
        _ => return None,
    }
    (decoded == value).then_some(map)
}

/// Maps `range` (bytes in `value`) to bytes in `source` (the scalar's text in the file).
pub fn value_to_source(source: &str, value: &str, range: Range<usize>) -> Option<Range<usize>> {
    let map = offsets(source, value)?;
    let start = *map.get(range.start)?;
    let end = if range.end > range.start {
        map.get(range.end - 1).map(|e| {
            let c = source[*e..].chars().next().map_or(1, char::len_utf8);
            e + c
        })?
    } else {
        start
    };
    Some(start..end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(source: &str, value: &str, needle: &str, want: &str) {
        let s = value.find(needle).expect("needle in value");
        let r = value_to_source(source, value, s..s + needle.len()).expect("mappable");
        assert_eq!(&source[r], want);
    }

    #[test]
    fn plain_and_quoted_scalars() {
        check("echo {{x}}", "echo {{x}}", "{{x}}", "{{x}}");
        check("'it''s {{x}}'", "it's {{x}}", "{{x}}", "{{x}}");
        check(r#""a\tb {{= 1 }}""#, "a\tb {{= 1 }}", "1", "1");
        check(r#""\u00e9 {{y}}""#, "é {{y}}", "{{y}}", "{{y}}");
    }

    #[test]
    fn literal_blocks_strip_indentation() {
        let src = "|\n  line one\n  echo {{inputs.parameters.x}}\n";
        let value = "line one\necho {{inputs.parameters.x}}\n";
        check(src, value, "inputs.parameters.x", "inputs.parameters.x");
        assert_eq!(value_to_source(">\n  a\n  b\n", "a b\n", 0..1), None);
    }
}
