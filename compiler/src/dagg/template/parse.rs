//! The template parser: lexed items → a tree of text, actions and control structures.
//!
//! Follows Go's `text/template/parse`: `if`/`with` with `else if`/`else with` chains (an
//! `else if` is an `if` inside the `else`), `range` with one or two declared variables,
//! `break`/`continue` inside `range`, pipelines with `|`, parenthesized pipelines with field
//! chains, variables checked at parse time, functions limited to Go's builtins. Nesting of
//! control structures and parentheses is bounded so deep input cannot overflow the stack.

use std::ops::Range;

use super::lex::{Action, Item, Tok};

/// Go's builtin functions (the only functions a dagg template can call).
pub(crate) const BUILTINS: [&str; 19] = [
    "and", "call", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or",
    "print", "printf", "println", "slice", "urlquery",
];

/// A parse error: message, where, and an optional hint.
#[derive(Debug)]
pub(crate) struct ParseError {
    pub message: String,
    pub range: Range<usize>,
    pub help: Option<String>,
}

#[derive(Debug)]
pub(crate) enum Node {
    Text(Range<usize>),
    Action(Pipe),
    /// `if` or `with` (`with` rebinds dot); an `else if` chain nests in `otherwise`.
    Cond {
        with: bool,
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Range {
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Break(Range<usize>),
    Continue(Range<usize>),
}

#[derive(Debug)]
pub(crate) struct Pipe {
    /// Declared (`:=`) or assigned (`=`) variables, with their ranges.
    pub decl: Vec<(String, Range<usize>)>,
    pub assign: bool,
    pub cmds: Vec<Cmd>,
    pub span: Range<usize>,
}

#[derive(Debug)]
pub(crate) struct Cmd {
    pub args: Vec<Operand>,
    pub span: Range<usize>,
}

#[derive(Debug)]
pub(crate) struct Operand {
    pub arg: Arg,
    pub span: Range<usize>,
}

#[derive(Debug)]
pub(crate) enum Arg {
    Dot,
    /// `.A.B` on dot.
    Field(Vec<String>),
    /// `$x` or `$x.A.B`.
    Var(String, Vec<String>),
    Func(String),
    Bool(bool),
    Nil,
    Str(String),
    Int(i64),
    Float(f64),
    /// `( pipeline )` with an optional field chain.
    Paren(Box<Pipe>, Vec<String>),
}

/// What ended a list of nodes.
enum Stop {
    Eof,
    End,
    /// `{{ else }}`, `{{ else if … }}`, `{{ else with … }}`: the action's remaining tokens.
    Else(Vec<(Tok, Range<usize>)>, Range<usize>),
}

pub(crate) struct Parser {
    items: std::vec::IntoIter<Item>,
    vars: Vec<String>,
    depth: usize,
    max_depth: usize,
    range_depth: usize,
}

fn perr<T>(message: impl Into<String>, range: Range<usize>) -> Result<T, ParseError> {
    Err(ParseError {
        message: message.into(),
        range,
        help: None,
    })
}

/// Parses lexed items into the template's top-level list.
pub(crate) fn parse(items: Vec<Item>, max_depth: usize) -> Result<Vec<Node>, ParseError> {
    let mut p = Parser {
        items: items.into_iter(),
        vars: vec!["$".to_string()],
        depth: 0,
        max_depth,
        range_depth: 0,
    };
    let (nodes, end) = p.list()?;
    match end {
        Stop::Eof => Ok(nodes),
        Stop::End => unreachable_end("unexpected {{end}}"),
        Stop::Else(_, r) => perr("unexpected {{else}}", r),
    }
}

/// `{{if}}`/`{{range}}`/`{{with}}` without its `{{end}}`: Go's message, the opening action's span.
fn no_end(keyword: &str, span: Range<usize>) -> ParseError {
    ParseError {
        message: "unexpected EOF".into(),
        range: span,
        help: Some(format!("this `{{{{{keyword}}}}}` has no `{{{{end}}}}`")),
    }
}

fn unreachable_end(message: &str) -> Result<Vec<Node>, ParseError> {
    // `list` reports a stray {{end}} with its position before returning End at top level.
    perr(message, 0..0)
}

impl Parser {
    /// Parses nodes until `{{end}}`, `{{else}}` or the end of input.
    fn list(&mut self) -> Result<(Vec<Node>, Stop), ParseError> {
        let mut nodes = Vec::new();
        while let Some(item) = self.items.next() {
            let action = match item {
                Item::Text(r) => {
                    nodes.push(Node::Text(r));
                    continue;
                }
                Item::Action(a) => a,
            };
            let Action { toks, span } = action;
            let keyword = match toks.first() {
                Some((Tok::Ident(w), _)) => w.as_str(),
                _ => "",
            };
            match keyword {
                "end" => {
                    if toks.len() > 1 {
                        return perr("unexpected token in end", toks[1].1.clone());
                    }
                    if self.depth == 0 {
                        return perr("unexpected {{end}}", span);
                    }
                    return Ok((nodes, Stop::End));
                }
                "else" => {
                    if self.depth == 0 {
                        return perr("unexpected {{else}}", span);
                    }
                    return Ok((nodes, Stop::Else(toks[1..].to_vec(), span)));
                }
                "if" | "with" | "range" => {
                    let node = self.control(keyword, &toks[1..], span)?;
                    nodes.push(node);
                }
                "break" | "continue" => {
                    if toks.len() > 1 {
                        return perr(
                            format!("unexpected token in {{{{{keyword}}}}}"),
                            toks[1].1.clone(),
                        );
                    }
                    if self.range_depth == 0 {
                        return perr(format!("{{{{{keyword}}}}} outside {{{{range}}}}"), span);
                    }
                    nodes.push(if keyword == "break" {
                        Node::Break(span)
                    } else {
                        Node::Continue(span)
                    });
                }
                "define" | "template" | "block" => {
                    return Err(ParseError {
                        message: format!("`{keyword}` is not supported by bosun gen"),
                        range: span,
                        help: Some(
                            "dagg renders one template file: inline the named template".into(),
                        ),
                    });
                }
                _ => {
                    let pipe = self.pipeline(&toks, span.clone(), "command", false)?;
                    nodes.push(Node::Action(pipe));
                }
            }
        }
        Ok((nodes, Stop::Eof))
    }

    fn enter(&mut self, span: &Range<usize>) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return perr(
                format!(
                    "the template nests more than {} levels deep",
                    self.max_depth
                ),
                span.clone(),
            );
        }
        Ok(())
    }

    /// `if`, `with` or `range` up to its `{{end}}`; variables it declares go out of scope there.
    fn control(
        &mut self,
        keyword: &str,
        toks: &[(Tok, Range<usize>)],
        span: Range<usize>,
    ) -> Result<Node, ParseError> {
        self.enter(&span)?;
        let mark = self.vars.len();
        let is_range = keyword == "range";
        let pipe = self.pipeline(toks, span.clone(), keyword, is_range)?;
        if is_range {
            self.range_depth += 1;
        }
        let (body, end) = self.list()?;
        if is_range {
            self.range_depth -= 1;
        }
        let otherwise = match end {
            Stop::Eof => return Err(no_end(keyword, span)),
            Stop::End => Vec::new(),
            Stop::Else(rest, else_span) => self.else_branch(keyword, rest, else_span)?,
        };
        self.vars.truncate(mark);
        self.depth -= 1;
        Ok(match keyword {
            "range" => Node::Range {
                pipe,
                body,
                otherwise,
            },
            _ => Node::Cond {
                with: keyword == "with",
                pipe,
                body,
                otherwise,
            },
        })
    }

    /// After `{{else …}}`: the else list, or a nested `if`/`with` that shares the `{{end}}`.
    fn else_branch(
        &mut self,
        keyword: &str,
        rest: Vec<(Tok, Range<usize>)>,
        else_span: Range<usize>,
    ) -> Result<Vec<Node>, ParseError> {
        match rest.first() {
            None => {
                let (list, end) = self.list()?;
                match end {
                    Stop::End => Ok(list),
                    Stop::Eof => Err(no_end(keyword, else_span)),
                    Stop::Else(_, r) => perr("expected end; found {{else}}", r),
                }
            }
            // Go 1.19 chains `else if` only (`else with` came in Go 1.23).
            Some((Tok::Ident(k), _)) if k == "if" && keyword != "range" => {
                let k = k.clone();
                // The chained control consumes the shared {{end}}.
                let node = self.control(&k, &rest[1..], else_span)?;
                Ok(vec![node])
            }
            Some((Tok::Ident(k), r)) => perr(format!("unexpected <{k}> in else"), r.clone()),
            Some((_, r)) => perr("unexpected token in else", r.clone()),
        }
    }

    fn pipeline(
        &mut self,
        toks: &[(Tok, Range<usize>)],
        span: Range<usize>,
        context: &str,
        range: bool,
    ) -> Result<Pipe, ParseError> {
        let mut decl = Vec::new();
        let mut assign = false;
        let mut rest = toks;
        // `$x :=`, `$x =`, `$i, $e :=` (range only).
        if let [
            (Tok::Var(v), vr),
            (op @ (Tok::Declare | Tok::Assign), _),
            tail @ ..,
        ] = toks
        {
            decl.push((v.clone(), vr.clone()));
            assign = *op == Tok::Assign;
            rest = tail;
        } else if let [
            (Tok::Var(a), ar),
            (Tok::Comma, cr),
            (Tok::Var(b), br),
            (op @ (Tok::Declare | Tok::Assign), _),
            tail @ ..,
        ] = toks
        {
            if !range {
                return perr(format!("too many declarations in {context}"), cr.clone());
            }
            decl.push((a.clone(), ar.clone()));
            decl.push((b.clone(), br.clone()));
            assign = *op == Tok::Assign;
            rest = tail;
        }
        for (name, r) in &decl {
            if assign {
                if !self.vars.iter().any(|v| v == name) {
                    return perr(format!("undefined variable {name:?}"), r.clone());
                }
            } else {
                self.vars.push(name.clone());
            }
        }
        let mut pos = 0;
        let cmds = self.commands(rest, &mut pos, &span)?;
        if let Some((_, r)) = rest.get(pos) {
            return perr("unexpected right paren", r.clone());
        }
        if cmds.is_empty() {
            return perr(format!("missing value for {context}"), span);
        }
        Ok(Pipe {
            decl,
            assign,
            cmds,
            span,
        })
    }

    /// Commands separated by `|`, stopping at the end or at an unmatched `)`.
    fn commands(
        &mut self,
        toks: &[(Tok, Range<usize>)],
        pos: &mut usize,
        span: &Range<usize>,
    ) -> Result<Vec<Cmd>, ParseError> {
        let mut cmds = Vec::new();
        loop {
            let start = *pos;
            let mut args = Vec::new();
            while let Some((tok, _)) = toks.get(*pos) {
                if matches!(tok, Tok::Pipe | Tok::RParen) {
                    break;
                }
                args.push(self.operand(toks, pos, span)?);
            }
            let at_pipe = matches!(toks.get(*pos), Some((Tok::Pipe, _)));
            if args.is_empty() {
                if at_pipe {
                    let r = toks.get(*pos).map_or(span.clone(), |t| t.1.clone());
                    return perr("unexpected \"|\" in command", r);
                }
                if !cmds.is_empty() {
                    let r = toks.get(*pos).map_or(span.clone(), |t| t.1.clone());
                    return perr("missing command", r);
                }
                return Ok(cmds);
            }
            let cmd_span = toks[start].1.start..args.last().map_or(span.end, |a| a.span.end);
            cmds.push(Cmd {
                args,
                span: cmd_span,
            });
            if at_pipe {
                *pos += 1;
                // Go 1.19 accepts a trailing `|` before `}}` (not before `)`).
                match toks.get(*pos) {
                    None => return Ok(cmds),
                    Some((Tok::RParen, r)) => return perr("missing command", r.clone()),
                    Some(_) => {}
                }
            } else {
                return Ok(cmds);
            }
        }
    }

    fn operand(
        &mut self,
        toks: &[(Tok, Range<usize>)],
        pos: &mut usize,
        span: &Range<usize>,
    ) -> Result<Operand, ParseError> {
        let (tok, r) = &toks[*pos];
        *pos += 1;
        let start = r.start;
        let mut end = r.end;
        let arg = match tok {
            Tok::Dot => Arg::Dot,
            Tok::Field(name) => Arg::Field(vec![name.clone()]),
            Tok::Var(name) => {
                if !self.vars.iter().any(|v| v == name) {
                    return perr(format!("undefined variable {name:?}"), r.clone());
                }
                Arg::Var(name.clone(), Vec::new())
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                "nil" => Arg::Nil,
                n if BUILTINS.contains(&n) => Arg::Func(name.clone()),
                "if" | "else" | "end" | "range" | "with" | "break" | "continue" | "define"
                | "template" | "block" => {
                    return perr(format!("unexpected <{name}> in command"), r.clone());
                }
                _ => {
                    return Err(ParseError {
                        message: format!("function {name:?} not defined"),
                        range: r.clone(),
                        help: Some(format!(
                            "dagg templates can call Go's builtin functions only: {}",
                            BUILTINS.join(", ")
                        )),
                    });
                }
            },
            Tok::Str(s) => Arg::Str(s.clone()),
            Tok::Char(c) => Arg::Int(i64::from(*c)),
            Tok::Number(text) => number(text, r)?,
            Tok::LParen => {
                self.enter(r)?;
                let inner = self.commands(toks, pos, span)?;
                self.depth -= 1;
                let Some((Tok::RParen, close)) = toks.get(*pos) else {
                    return perr("unclosed left paren", r.clone());
                };
                if inner.is_empty() {
                    return perr(
                        "missing value for parenthesized pipeline",
                        r.start..close.end,
                    );
                }
                end = close.end;
                *pos += 1;
                Arg::Paren(
                    Box::new(Pipe {
                        decl: Vec::new(),
                        assign: false,
                        cmds: inner,
                        span: start..end,
                    }),
                    Vec::new(),
                )
            }
            Tok::RParen => return perr("unexpected right paren", r.clone()),
            Tok::Pipe | Tok::Declare | Tok::Assign | Tok::Comma => {
                return perr("unexpected token in operand", r.clone());
            }
        };
        // Adjacent `.Name` tokens extend the chain.
        let mut arg = arg;
        while let Some((Tok::Field(name), fr)) = toks.get(*pos) {
            if fr.start != end {
                break;
            }
            match &mut arg {
                Arg::Field(chain) | Arg::Var(_, chain) | Arg::Paren(_, chain) => {
                    chain.push(name.clone());
                }
                _ => return perr("unexpected . after term", fr.clone()),
            }
            end = fr.end;
            *pos += 1;
        }
        Ok(Operand {
            arg,
            span: start..end,
        })
    }
}

/// A Go number literal: an integer unless the text is a float (`.`, `e`, `p`), as
/// `text/template` reads constants.
fn number(text: &str, r: &Range<usize>) -> Result<Arg, ParseError> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let lower = body.to_ascii_lowercase();
    let int = if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.chars().all(|c| c.is_ascii_digit())
    {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else if lower.chars().all(|c| c.is_ascii_digit()) && !lower.is_empty() {
        lower.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(i) = int {
        return Ok(Arg::Int(if neg { -i } else { i }));
    }
    let is_hex = lower.starts_with("0x");
    match (!is_hex).then(|| lower.parse::<f64>().ok()).flatten() {
        Some(f) if f.is_finite() => Ok(Arg::Float(if neg { -f } else { f })),
        _ => perr(format!("bad number syntax: {text:?}"), r.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    fn parse_str(src: &str) -> Result<Vec<Node>, String> {
        let items = lex(src).map_err(|e| e.message)?;
        parse(items, 100).map_err(|e| e.message)
    }

    #[test]
    fn parses_control_structures() {
        let nodes = parse_str(
            "{{ range $i, $j := .Jobs }}{{ if eq $i 0 }}a{{ else if $j.Name }}b{{ else }}c{{ end }}{{ end }}",
        )
        .unwrap();
        assert_eq!(nodes.len(), 1);
        let Node::Range { pipe, body, .. } = &nodes[0] else {
            panic!()
        };
        assert_eq!(pipe.decl.len(), 2);
        let Node::Cond { otherwise, .. } = &body[0] else {
            panic!()
        };
        assert!(matches!(otherwise[0], Node::Cond { .. }));
    }

    #[test]
    fn reports_go_parse_errors() {
        assert_eq!(
            parse_str("{{ $x }}").unwrap_err(),
            "undefined variable \"$x\""
        );
        assert_eq!(
            parse_str("{{ join .Jobs }}").unwrap_err(),
            "function \"join\" not defined"
        );
        assert_eq!(parse_str("{{ end }}").unwrap_err(), "unexpected {{end}}");
        assert_eq!(parse_str("{{ if .A }}x").unwrap_err(), "unexpected EOF");
        assert_eq!(
            parse_str("{{ if }}{{ end }}").unwrap_err(),
            "missing value for if"
        );
        assert_eq!(
            parse_str("{{ break }}").unwrap_err(),
            "{{break}} outside {{range}}"
        );
        assert_eq!(parse_str("{{ (1 }}").unwrap_err(), "unclosed left paren");
        assert_eq!(parse_str("{{ (1 | ) }}").unwrap_err(), "missing command");
        assert_eq!(
            parse_str("{{ $a, $b := .X }}").unwrap_err(),
            "too many declarations in command"
        );
        assert_eq!(
            parse_str("{{ 1x }}").unwrap_err(),
            "bad number syntax: \"1x\""
        );
        // Variables go out of scope at {{end}}.
        assert!(parse_str("{{ if 1 }}{{ $x := 1 }}{{ end }}{{ $x }}").is_err());
        assert!(parse_str("{{ $x := 1 }}{{ if 1 }}{{ $x = 2 }}{{ end }}{{ $x }}").is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "{{ if 1 }}".repeat(10_000);
        assert!(parse_str(&src).unwrap_err().contains("nests more than 100"));
        let src = format!("{{{{ {} }}}}", "(".repeat(10_000));
        assert!(parse_str(&src).is_err());
    }
}
