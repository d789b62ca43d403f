//! A Pratt parser for expr with expr's precedences (spec §2.8). Recursion is counted and the
//! height of every node is bounded, so `((((…` and a 2 KB `1+1+…` give a "too complex" error
//! instead of a deep tree that a recursive evaluator could not walk.

mod primary;

use super::ast::{BinaryOp, Expr, ExprKind, TextRange, UnaryOp};
use super::lexer::{Tok, Token, lex};
use crate::expr::Limits;
use crate::expr::error::{ErrorKind, ExprError};

/// Builtins whose second argument is a predicate (`{# > 1}` or a bare expression).
pub const PREDICATE_FUNCS: &[&str] = &[
    "all",
    "any",
    "one",
    "none",
    "map",
    "filter",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "count",
    "sum",
    "groupBy",
    "sortBy",
    "reduce",
];

/// Parses one expression.
pub fn parse(src: &str, limits: &Limits) -> Result<Expr, ExprError> {
    let tokens = lex(src, limits)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
        closures: 0,
        limits: *limits,
        src_len: src.len(),
    };
    let e = p.expression(0)?;
    if p.peek().tok != Tok::Eof {
        let t = p.peek().clone();
        return Err(p.unexpected(&t));
    }
    Ok(e)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    closures: usize,
    limits: Limits,
    src_len: usize,
}

fn binary_info(op: BinaryOp) -> (u32, bool) {
    match op {
        BinaryOp::Or => (10, false),
        BinaryOp::And => (15, false),
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::In
        | BinaryOp::Matches
        | BinaryOp::Contains
        | BinaryOp::StartsWith
        | BinaryOp::EndsWith => (20, false),
        BinaryOp::Range => (25, false),
        BinaryOp::Add | BinaryOp::Sub => (30, false),
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => (60, false),
        BinaryOp::Pow => (100, true),
        BinaryOp::Coalesce => (500, false),
    }
}

fn word_op(w: &str) -> Option<BinaryOp> {
    Some(match w {
        "or" => BinaryOp::Or,
        "and" => BinaryOp::And,
        "in" => BinaryOp::In,
        "matches" => BinaryOp::Matches,
        "contains" => BinaryOp::Contains,
        "startsWith" => BinaryOp::StartsWith,
        "endsWith" => BinaryOp::EndsWith,
        _ => return None,
    })
}

fn symbol_op(s: &str) -> Option<BinaryOp> {
    Some(match s {
        "||" => BinaryOp::Or,
        "&&" => BinaryOp::And,
        "==" => BinaryOp::Eq,
        "!=" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        ".." => BinaryOp::Range,
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        "%" => BinaryOp::Mod,
        "**" | "^" => BinaryOp::Pow,
        "??" => BinaryOp::Coalesce,
        _ => return None,
    })
}

fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    )
}

impl Parser {
    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Token {
        let i = (self.pos + n).min(self.tokens.len().saturating_sub(1));
        &self.tokens[i]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.peek().tok, Tok::Op(o) if *o == op)
    }

    fn is_ident(&self, w: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(i) if i == w)
    }

    fn expect(&mut self, op: &str) -> Result<Token, ExprError> {
        if self.is_op(op) {
            Ok(self.bump())
        } else {
            let t = self.peek().clone();
            Err(self.unexpected(&t))
        }
    }

    #[cold]
    #[inline(never)]
    fn unexpected(&self, t: &Token) -> ExprError {
        let what = match &t.tok {
            Tok::Eof => "unexpected token EOF".to_string(),
            Tok::Int(i) => format!("unexpected token Number(\"{i}\")"),
            Tok::Float(f) => format!("unexpected token Number(\"{f}\")"),
            Tok::Str(s) => format!("unexpected token String({s:?})"),
            Tok::Ident(i) => format!("unexpected token Identifier(\"{i}\")"),
            Tok::Pointer(p) => format!("unexpected token Operator(\"#{p}\")"),
            Tok::Op(o) => format!("unexpected token Operator(\"{o}\")"),
        };
        let range = if t.tok == Tok::Eof {
            TextRange::new(self.src_len, self.src_len)
        } else {
            t.range
        };
        ExprError::new(ErrorKind::Syntax, what, range)
    }

    #[cold]
    #[inline(never)]
    fn too_complex(&self, range: TextRange) -> ExprError {
        ExprError::new(
            ErrorKind::TooComplex,
            format!(
                "expression is too complex (nested deeper than {} levels)",
                self.limits.max_depth
            ),
            range,
        )
    }

    fn node(&self, kind: ExprKind, range: TextRange) -> Result<Expr, ExprError> {
        let e = Expr::new(kind, range);
        if e.height as usize > self.limits.max_depth {
            return Err(self.too_complex(range));
        }
        Ok(e)
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(self.too_complex(self.peek().range));
        }
        Ok(())
    }

    fn expression(&mut self, min_prec: u32) -> Result<Expr, ExprError> {
        self.enter()?;
        let r = self.expression_inner(min_prec);
        self.depth -= 1;
        r
    }

    fn expression_inner(&mut self, min_prec: u32) -> Result<Expr, ExprError> {
        if min_prec == 0 && self.is_ident("let") {
            return self.let_binding();
        }
        let mut lhs = self.unary()?;
        loop {
            if min_prec == 0 && self.is_op("|") {
                lhs = self.pipe(lhs)?;
                continue;
            }
            let Some((op, negated, width)) = self.peek_binary() else {
                break;
            };
            let (prec, right) = binary_info(op);
            if prec < min_prec {
                break;
            }
            let op_range = self.peek().range;
            for _ in 0..width {
                self.bump();
            }
            let rhs = self.expression(if right { prec } else { prec + 1 })?;
            lhs = self.combine(lhs, op, negated, op_range, rhs)?;
        }
        if min_prec == 0 && self.is_op("?") {
            return self.conditional(lhs);
        }
        Ok(lhs)
    }

    /// The binary operator at the cursor: the operator, whether it is negated (`not in`), and
    /// how many tokens it spans.
    fn peek_binary(&self) -> Option<(BinaryOp, bool, usize)> {
        match &self.peek().tok {
            Tok::Op(o) => symbol_op(o).map(|op| (op, false, 1)),
            Tok::Ident(w) if w == "not" => match &self.peek_at(1).tok {
                Tok::Ident(w2) => match word_op(w2) {
                    Some(
                        op @ (BinaryOp::In
                        | BinaryOp::Matches
                        | BinaryOp::Contains
                        | BinaryOp::StartsWith
                        | BinaryOp::EndsWith),
                    ) => Some((op, true, 2)),
                    _ => None,
                },
                _ => None,
            },
            Tok::Ident(w) => word_op(w).map(|op| (op, false, 1)),
            _ => None,
        }
    }

    /// Builds `lhs op rhs`: the `??` mixing rule, comparison chaining (`1 < 2 < 3` is
    /// `1 < 2 && 2 < 3`) and negated word operators. Kept out of the recursive path so the
    /// recursion's stack frames stay small.
    #[inline(never)]
    fn combine(
        &mut self,
        lhs: Expr,
        op: BinaryOp,
        negated: bool,
        op_range: TextRange,
        rhs: Expr,
    ) -> Result<Expr, ExprError> {
        if op != BinaryOp::Coalesce && op.is_arithmetic() {
            for side in [&lhs, &rhs] {
                if !side.parenthesized
                    && matches!(
                        side.kind,
                        ExprKind::Binary {
                            op: BinaryOp::Coalesce,
                            ..
                        }
                    )
                {
                    return Err(ExprError::new(
                        ErrorKind::Syntax,
                        format!(
                            "Operator ({}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.",
                            op.symbol()
                        ),
                        op_range,
                    ));
                }
            }
        }
        let range = lhs.range.cover(rhs.range);
        let middle = match &lhs.kind {
            ExprKind::Binary { op: l, rhs: m, .. }
                if is_comparison(op) && !lhs.parenthesized && is_comparison(*l) =>
            {
                Some((**m).clone())
            }
            _ => None,
        };
        let mut e = match middle {
            Some(middle) => {
                let r = middle.range.cover(rhs.range);
                let second = self.node(
                    ExprKind::Binary {
                        op,
                        lhs: Box::new(middle),
                        rhs: Box::new(rhs),
                    },
                    r,
                )?;
                self.node(
                    ExprKind::Binary {
                        op: BinaryOp::And,
                        lhs: Box::new(lhs),
                        rhs: Box::new(second),
                    },
                    range,
                )?
            }
            None => self.node(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                range,
            )?,
        };
        if negated {
            e = self.node(
                ExprKind::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(e),
                },
                range,
            )?;
        }
        Ok(e)
    }

    fn let_binding(&mut self) -> Result<Expr, ExprError> {
        let start = self.bump().range;
        let name_tok = self.bump();
        let Tok::Ident(name) = name_tok.tok.clone() else {
            return Err(self.unexpected(&name_tok));
        };
        self.expect("=")?;
        let value = self.expression(0)?;
        self.expect(";")?;
        let body = self.expression(0)?;
        let range = start.cover(body.range);
        self.node(
            ExprKind::Let {
                name,
                name_range: name_tok.range,
                value: Box::new(value),
                body: Box::new(body),
            },
            range,
        )
    }

    fn conditional(&mut self, cond: Expr) -> Result<Expr, ExprError> {
        self.bump();
        let then = if self.is_op(":") {
            None
        } else {
            Some(Box::new(self.expression(0)?))
        };
        self.expect(":")?;
        let otherwise = self.expression(0)?;
        let range = cond.range.cover(otherwise.range);
        self.node(
            ExprKind::Conditional {
                cond: Box::new(cond),
                then,
                otherwise: Box::new(otherwise),
            },
            range,
        )
    }

    fn pipe(&mut self, lhs: Expr) -> Result<Expr, ExprError> {
        self.bump();
        let t = self.bump();
        let Tok::Ident(name) = t.tok.clone() else {
            return Err(self.unexpected(&t));
        };
        let callee = self.node(ExprKind::Ident(name.clone()), t.range)?;
        let mut args = vec![lhs];
        if self.is_op("(") {
            self.bump();
            self.arguments(&name, 1, &mut args)?;
        }
        let end = self.tokens[self.pos.saturating_sub(1)].range;
        let range = args[0].range.cover(end);
        self.node(
            ExprKind::Call {
                callee: Box::new(callee),
                args,
            },
            range,
        )
    }

    /// Parses call arguments after `(` up to and including `)`. `offset` is the number of
    /// arguments already present (1 for a pipe).
    fn arguments(
        &mut self,
        name: &str,
        offset: usize,
        args: &mut Vec<Expr>,
    ) -> Result<(), ExprError> {
        // A call nests more stack frames than a parenthesis: it counts as a second level.
        self.enter()?;
        let r = self.arguments_inner(name, offset, args);
        self.depth -= 1;
        r
    }

    #[inline(never)]
    fn arguments_inner(
        &mut self,
        name: &str,
        offset: usize,
        args: &mut Vec<Expr>,
    ) -> Result<(), ExprError> {
        let predicate = PREDICATE_FUNCS.contains(&name);
        while !self.is_op(")") {
            if args.len() > offset {
                self.expect(",")?;
                if self.is_op(")") {
                    break;
                }
            }
            if predicate && args.len() == 1 {
                args.push(self.closure()?);
            } else {
                args.push(self.expression(0)?);
            }
        }
        self.expect(")")?;
        Ok(())
    }

    #[inline(never)]
    fn closure(&mut self) -> Result<Expr, ExprError> {
        self.closures += 1;
        let r = if self.is_op("{") {
            let start = self.bump().range;
            let body = self.expression(0);
            body.and_then(|b| {
                let end = self.expect("}")?.range;
                self.node(ExprKind::Closure(Box::new(b)), start.cover(end))
            })
        } else {
            self.expression(0).and_then(|b| {
                let r = b.range;
                self.node(ExprKind::Closure(Box::new(b)), r)
            })
        };
        self.closures -= 1;
        r
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        let t = self.peek();
        let op = match &t.tok {
            Tok::Op("!") => Some((UnaryOp::Not, 50)),
            Tok::Ident(w) if w == "not" => Some((UnaryOp::Not, 50)),
            Tok::Op("-") => Some((UnaryOp::Neg, 90)),
            Tok::Op("+") => Some((UnaryOp::Plus, 90)),
            _ => None,
        };
        if let Some((op, prec)) = op {
            return self.prefixed(op, prec, t.range);
        }
        let primary = self.primary()?;
        self.postfix(primary)
    }

    #[inline(never)]
    fn prefixed(&mut self, op: UnaryOp, prec: u32, start: TextRange) -> Result<Expr, ExprError> {
        self.bump();
        let operand = self.expression(prec)?;
        let range = start.cover(operand.range);
        self.node(
            ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            range,
        )
    }
}
