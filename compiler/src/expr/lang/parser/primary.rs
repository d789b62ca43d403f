//! Primary expressions and postfix chains: literals, identifiers and calls, `#` pointers,
//! parenthesised expressions, array and map literals, `if … else`, member access, `?.`, indexing
//! and slicing.

use super::{Parser, Tok};
use crate::expr::error::{ErrorKind, ExprError};
use crate::expr::lang::ast::{Expr, ExprKind, TextRange};

impl Parser {
    /// Dispatches on the first token. Each form is parsed in its own (never inlined)
    /// function so the frames on the recursive path stay small.
    pub(super) fn primary(&mut self) -> Result<Expr, ExprError> {
        let t = self.bump();
        let r = t.range;
        match t.tok {
            Tok::Int(i) => self.node(ExprKind::Int(i), r),
            Tok::Float(f) => self.node(ExprKind::Float(f), r),
            Tok::Str(s) => self.node(ExprKind::Str(s), r),
            Tok::Pointer(p) => self.pointer(p, r),
            Tok::Ident(w) => self.ident_or_call(w, r),
            Tok::Op("(") => self.parenthesized(r),
            Tok::Op("[") => self.array_literal(r),
            Tok::Op("{") => self.map_literal(r),
            Tok::Op(".") if self.closures > 0 => self.field_shorthand(r),
            _ => Err(self.unexpected(&t)),
        }
    }

    #[inline(never)]
    fn pointer(&mut self, p: String, r: TextRange) -> Result<Expr, ExprError> {
        if self.closures == 0 {
            return Err(ExprError::new(
                ErrorKind::Syntax,
                "cannot use pointer accessor outside predicate",
                r,
            ));
        }
        self.node(ExprKind::Pointer(p), r)
    }

    #[inline(never)]
    fn ident_or_call(&mut self, w: String, r: TextRange) -> Result<Expr, ExprError> {
        match w.as_str() {
            "true" => return self.node(ExprKind::Bool(true), r),
            "false" => return self.node(ExprKind::Bool(false), r),
            "nil" => return self.node(ExprKind::Nil, r),
            "if" => return self.if_else(r),
            _ => {}
        }
        if !self.is_op("(") {
            return self.node(ExprKind::Ident(w), r);
        }
        self.bump();
        let callee = self.node(ExprKind::Ident(w.clone()), r)?;
        let mut args = Vec::new();
        self.arguments(&w, 0, &mut args)?;
        let end = self.tokens[self.pos - 1].range;
        self.node(
            ExprKind::Call {
                callee: Box::new(callee),
                args,
            },
            r.cover(end),
        )
    }

    #[inline(never)]
    fn parenthesized(&mut self, r: TextRange) -> Result<Expr, ExprError> {
        let mut e = self.expression(0)?;
        let end = self.expect(")")?.range;
        e.parenthesized = true;
        e.range = r.cover(end);
        Ok(e)
    }

    #[inline(never)]
    fn array_literal(&mut self, r: TextRange) -> Result<Expr, ExprError> {
        let mut items = Vec::new();
        while !self.is_op("]") {
            if !items.is_empty() {
                self.expect(",")?;
                if self.is_op("]") {
                    break;
                }
            }
            items.push(self.expression(0)?);
        }
        let end = self.expect("]")?.range;
        self.node(ExprKind::Array(items), r.cover(end))
    }

    #[inline(never)]
    fn map_literal(&mut self, r: TextRange) -> Result<Expr, ExprError> {
        let mut entries = Vec::new();
        while !self.is_op("}") {
            if !entries.is_empty() {
                self.expect(",")?;
                if self.is_op("}") {
                    break;
                }
            }
            let kt = self.peek().clone();
            let key = match kt.tok {
                Tok::Ident(k) | Tok::Str(k) => {
                    self.bump();
                    self.node(ExprKind::Str(k), kt.range)?
                }
                Tok::Int(i) => {
                    self.bump();
                    self.node(ExprKind::Str(i.to_string()), kt.range)?
                }
                Tok::Op("(") => self.unary()?,
                _ => return Err(self.unexpected(&kt)),
            };
            self.expect(":")?;
            let value = self.expression(0)?;
            entries.push((key, value));
        }
        let end = self.expect("}")?.range;
        self.node(ExprKind::Map(entries), r.cover(end))
    }

    /// `.field` inside a predicate: `#.field`.
    #[inline(never)]
    fn field_shorthand(&mut self, r: TextRange) -> Result<Expr, ExprError> {
        let nt = self.bump();
        let Tok::Ident(name) = nt.tok else {
            return Err(self.unexpected(&nt));
        };
        let ptr = self.node(ExprKind::Pointer(String::new()), r)?;
        let prop = self.node(ExprKind::Str(name), nt.range)?;
        self.node(
            ExprKind::Member {
                object: Box::new(ptr),
                property: Box::new(prop),
                optional: false,
                dotted: true,
            },
            r.cover(nt.range),
        )
    }

    fn if_else(&mut self, start: TextRange) -> Result<Expr, ExprError> {
        let cond = self.expression(0)?;
        self.expect("{")?;
        let then = self.expression(0)?;
        self.expect("}")?;
        if !self.is_ident("else") {
            let t = self.peek().clone();
            return Err(self.unexpected(&t));
        }
        self.bump();
        let otherwise = if self.is_ident("if") {
            let r = self.bump().range;
            self.if_else(r)?
        } else {
            self.expect("{")?;
            let e = self.expression(0)?;
            self.expect("}")?;
            e
        };
        let end = self.tokens[self.pos - 1].range;
        self.node(
            ExprKind::Conditional {
                cond: Box::new(cond),
                then: Some(Box::new(then)),
                otherwise: Box::new(otherwise),
            },
            start.cover(end),
        )
    }

    pub(super) fn postfix(&mut self, mut e: Expr) -> Result<Expr, ExprError> {
        let mut optional_seen = false;
        loop {
            if self.is_op(".") || self.is_op("?.") {
                let optional = self.bump().tok == Tok::Op("?.");
                optional_seen |= optional;
                e = if optional && self.is_op("[") {
                    self.index(e, true)?
                } else {
                    self.member(e, optional)?
                };
            } else if self.is_op("[") {
                e = self.index(e, false)?;
            } else {
                break;
            }
        }
        if optional_seen {
            let r = e.range;
            e = self.node(ExprKind::Chain(Box::new(e)), r)?;
        }
        Ok(e)
    }

    /// `.name` (after the dot), and a method call if `(` follows.
    #[inline(never)]
    fn member(&mut self, object: Expr, optional: bool) -> Result<Expr, ExprError> {
        let start = object.range;
        let nt = self.bump();
        let Tok::Ident(name) = nt.tok else {
            return Err(self.unexpected(&nt));
        };
        let prop = self.node(ExprKind::Str(name), nt.range)?;
        let e = self.node(
            ExprKind::Member {
                object: Box::new(object),
                property: Box::new(prop),
                optional,
                dotted: true,
            },
            start.cover(nt.range),
        )?;
        if !self.is_op("(") {
            return Ok(e);
        }
        self.bump();
        let mut args = Vec::new();
        self.arguments("", 0, &mut args)?;
        let end = self.tokens[self.pos - 1].range;
        self.node(
            ExprKind::Call {
                callee: Box::new(e),
                args,
            },
            start.cover(end),
        )
    }

    #[inline(never)]
    fn index(&mut self, object: Expr, optional: bool) -> Result<Expr, ExprError> {
        self.bump();
        let start = object.range;
        let from = if self.is_op(":") {
            None
        } else {
            Some(self.expression(0)?)
        };
        if self.is_op(":") {
            self.bump();
            let to = if self.is_op("]") {
                None
            } else {
                Some(Box::new(self.expression(0)?))
            };
            let end = self.expect("]")?.range;
            return self.node(
                ExprKind::Slice {
                    object: Box::new(object),
                    from: from.map(Box::new),
                    to,
                },
                start.cover(end),
            );
        }
        let end = self.expect("]")?.range;
        let Some(property) = from else {
            return Err(ExprError::new(
                ErrorKind::Syntax,
                "unexpected token Bracket(\"]\")",
                end,
            ));
        };
        self.node(
            ExprKind::Member {
                object: Box::new(object),
                property: Box::new(property),
                optional,
                dotted: false,
            },
            start.cover(end),
        )
    }
}
