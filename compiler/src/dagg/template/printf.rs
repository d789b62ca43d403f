//! Go's `fmt` for templates: `print`, `println` and `printf` with the common verbs
//! (`%v %s %q %d %x %X %o %b %c %U %t %f %F %e %E %g %G %T %%`), flags `-+# 0`, width and
//! precision, and Go's in-band error forms (`%!d(string=x)`, `%!d(MISSING)`,
//! `%!(EXTRA int=2)`).

use std::fmt::Write as _;

use super::value::{Val, Value, format_g, write_value};

/// `fmt.Sprint`: a space between operands when neither is a string.
pub(crate) fn sprint(args: &[Val]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a.value, Value::Str(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        write_value(&mut out, &a.value, false);
        prev_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: spaces between all operands and a newline.
pub(crate) fn sprintln(args: &[Val]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_value(&mut out, &a.value, false);
    }
    out.push('\n');
    out
}

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// `fmt.Sprintf`.
pub(crate) fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&(_, f)) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = digits(&mut chars);
        if chars.peek().is_some_and(|&(_, c)| c == '.') {
            chars.next();
            spec.prec = Some(digits(&mut chars).unwrap_or(0));
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next += 1;
        let text = format_one(verb, &spec, arg);
        pad(&mut out, &text, &spec, is_numeric(verb, arg));
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        for (i, a) in args[next..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}={}", a.type_name(), plain(a));
        }
        out.push(')');
    }
    out
}

fn digits(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(&(_, d)) = chars.peek() {
        let Some(v) = d.to_digit(10) else { break };
        n = Some(
            n.unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(v as usize)
                .min(1 << 16),
        );
        chars.next();
    }
    n
}

fn plain(a: &Val) -> String {
    let mut s = String::new();
    write_value(&mut s, &a.value, false);
    s
}

fn is_numeric(verb: char, arg: &Val) -> bool {
    matches!(arg.value, Value::Int(_) | Value::Float(_))
        && matches!(
            verb,
            'd' | 'x' | 'X' | 'o' | 'b' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'v'
        )
}

fn bad(verb: char, arg: &Val) -> String {
    match arg.value {
        Value::Missing | Value::Nil => format!("%!{verb}(<nil>)"),
        _ => format!("%!{verb}({}={})", arg.type_name(), plain(arg)),
    }
}

fn signed(s: String, negative: bool, spec: &Spec) -> String {
    if negative {
        format!("-{s}")
    } else if spec.plus {
        format!("+{s}")
    } else if spec.space {
        format!(" {s}")
    } else {
        s
    }
}

fn format_one(verb: char, spec: &Spec, arg: &Val) -> String {
    match (&arg.value, verb) {
        (_, 'T') => arg.type_name(),
        (Value::Missing | Value::Nil, 'v') => "<nil>".into(),
        (Value::Str(s), 's' | 'v') => truncate(s, spec.prec),
        (Value::Str(s), 'q') => quote(s),
        (Value::Str(s), 'x') => s.bytes().map(|b| format!("{b:02x}")).collect(),
        (Value::Str(s), 'X') => s.bytes().map(|b| format!("{b:02X}")).collect(),
        (Value::Bool(b), 't' | 'v') => b.to_string(),
        (Value::Int(i), 'd' | 'v') => signed(i.unsigned_abs().to_string(), *i < 0, spec),
        (Value::Int(i), 'x') => signed(format!("{:x}", i.unsigned_abs()), *i < 0, spec),
        (Value::Int(i), 'X') => signed(format!("{:X}", i.unsigned_abs()), *i < 0, spec),
        (Value::Int(i), 'o') => signed(format!("{:o}", i.unsigned_abs()), *i < 0, spec),
        (Value::Int(i), 'b') => signed(format!("{:b}", i.unsigned_abs()), *i < 0, spec),
        (Value::Int(i), 'c') => u32::try_from(*i)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{fffd}')
            .to_string(),
        (Value::Int(i), 'q') => {
            let c = u32::try_from(*i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{fffd}');
            format!("'{}'", c.escape_default())
        }
        (Value::Int(i), 'U') => format!("U+{:04X}", i),
        (Value::Float(f), 'v' | 'g' | 'G') => {
            let s = format_g(f.abs(), spec.prec);
            let s = if verb == 'G' { s.to_uppercase() } else { s };
            signed(s, f.is_sign_negative(), spec)
        }
        (Value::Float(f), 'f' | 'F') => signed(
            format!("{:.*}", spec.prec.unwrap_or(6), f.abs()),
            *f < 0.0,
            spec,
        ),
        (Value::Float(f), 'e' | 'E') => {
            let s = exp_form(f.abs(), spec.prec.unwrap_or(6));
            let s = if verb == 'E' { s.to_uppercase() } else { s };
            signed(s, *f < 0.0, spec)
        }
        (Value::List { items, .. }, 's' | 'v' | 'd' | 'q') => {
            let parts: Vec<String> = items.iter().map(|a| format_one(verb, spec, a)).collect();
            format!("[{}]", parts.join(" "))
        }
        (Value::Map(_) | Value::Struct(_), 'v' | 's') => plain(arg),
        _ => bad(verb, arg),
    }
}

/// `%e`: d.dddddde±dd.
fn exp_form(f: f64, prec: usize) -> String {
    let s = format!("{:.*e}", prec, f);
    let Some((m, e)) = s.split_once('e') else {
        return s;
    };
    let e: i32 = e.parse().unwrap_or(0);
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn truncate(s: &str, prec: Option<usize>) -> String {
    match prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    }
}

/// `strconv.Quote`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn pad(out: &mut String, text: &str, spec: &Spec, numeric: bool) {
    let len = text.chars().count();
    let Some(width) = spec.width.filter(|&w| w > len) else {
        out.push_str(text);
        return;
    };
    let fill = width - len;
    if spec.minus {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if spec.zero && numeric {
        let (sign, digits) = match text.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (Some(c), &text[1..]),
            _ => (None, text),
        };
        if let Some(c) = sign {
            out.push(c);
        }
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(digits);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(value: Value) -> Val {
        value.into()
    }

    #[test]
    fn formats_like_go() {
        let args = [
            v(Value::Float(1.23456)),
            v(Value::Int(42)),
            v(Value::Int(42)),
            v(Value::Int(255)),
            Val::str("a\"b"),
            v(Value::Bool(true)),
            v(Value::Int(65)),
        ];
        assert_eq!(
            sprintf("%5.2f|%-5d|%05d|%x|%q|%t|%c", &args),
            " 1.23|42   |00042|ff|\"a\\\"b\"|true|A"
        );
        assert_eq!(sprintf("%d", &[Val::str("x")]), "%!d(string=x)");
        assert_eq!(sprintf("%d", &[]), "%!d(MISSING)");
        assert_eq!(
            sprintf("%d", &[v(Value::Int(1)), v(Value::Int(2))]),
            "1%!(EXTRA int=2)"
        );
        assert_eq!(
            sprintf(
                "%s %v %d",
                &[v(Value::Missing), v(Value::Missing), v(Value::Int(3))]
            ),
            "%!s(<nil>) <nil> 3"
        );
        assert_eq!(
            sprintf("%e|%.1e", &[v(Value::Float(1234.5)), v(Value::Float(0.05))]),
            "1.234500e+03|5.0e-02"
        );
        assert_eq!(
            sprint(&[
                Val::str("a"),
                Val::str("b"),
                v(Value::Int(1)),
                v(Value::Int(2)),
                v(Value::Bool(true))
            ]),
            "ab1 2 true"
        );
        assert_eq!(sprintln(&[Val::str("a"), v(Value::Int(1))]), "a 1\n");
    }
}
