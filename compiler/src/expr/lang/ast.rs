//! The syntax tree of expr (v1.17, as Argo uses it). Every node carries the byte range of its
//! text in the expression, so findings point at the exact sub-expression.

/// A half-open byte range in the expression text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        TextRange {
            start,
            end: end.max(start),
        }
    }

    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// An expression node.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub range: TextRange,
    /// Written inside parentheses (matters for the `??` mixing rule).
    pub parenthesized: bool,
    /// Height of the subtree (a leaf is 1); bounded by [`crate::expr::Limits::max_depth`].
    pub height: u32,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
    Plus,
}

/// Binary operators (`not in` and friends are `Not` around the positive operator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Matches,
    Contains,
    StartsWith,
    EndsWith,
    Range,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Coalesce,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::Matches => "matches",
            BinaryOp::Contains => "contains",
            BinaryOp::StartsWith => "startsWith",
            BinaryOp::EndsWith => "endsWith",
            BinaryOp::Range => "..",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "**",
            BinaryOp::Coalesce => "??",
        }
    }

    pub fn is_arithmetic(self) -> bool {
        matches!(
            self,
            BinaryOp::Add
                | BinaryOp::Sub
                | BinaryOp::Mul
                | BinaryOp::Div
                | BinaryOp::Mod
                | BinaryOp::Pow
                | BinaryOp::Range
        )
    }
}

/// Expression kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A variable or function name (`$env` included).
    Ident(String),
    /// `#` (empty name), `#index`, `#acc` inside a predicate.
    Pointer(String),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `obj.name`, `obj['name']`, `obj[i]`, `obj?.name`. `property` is a string literal for the
    /// dotted form.
    Member {
        object: Box<Expr>,
        property: Box<Expr>,
        optional: bool,
        /// Written with a dot (`a.b`), not brackets.
        dotted: bool,
    },
    /// `obj[from:to]`.
    Slice {
        object: Box<Expr>,
        from: Option<Box<Expr>>,
        to: Option<Box<Expr>>,
    },
    /// A chain containing `?.`: nil anywhere after an optional step makes the whole chain nil.
    Chain(Box<Expr>),
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    /// A predicate: `{ # > 1 }` or a bare expression in predicate position.
    Closure(Box<Expr>),
    /// `c ? a : b`, `c ?: b` (`then` is `None`), `if c { a } else { b }`.
    Conditional {
        cond: Box<Expr>,
        then: Option<Box<Expr>>,
        otherwise: Box<Expr>,
    },
    Array(Vec<Expr>),
    Map(Vec<(Expr, Expr)>),
    /// `let name = value; body`.
    Let {
        name: String,
        name_range: TextRange,
        value: Box<Expr>,
        body: Box<Expr>,
    },
}

impl Expr {
    pub fn new(kind: ExprKind, range: TextRange) -> Expr {
        let mut e = Expr {
            kind,
            range,
            parenthesized: false,
            height: 1,
        };
        e.height = 1 + e.children().iter().map(|c| c.height).max().unwrap_or(0);
        e
    }

    /// The children of this node, in source order.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Nil
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Ident(_)
            | ExprKind::Pointer(_) => vec![],
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
            ExprKind::Member {
                object, property, ..
            } => vec![object, property],
            ExprKind::Slice { object, from, to } => {
                let mut v: Vec<&Expr> = vec![object];
                v.extend(from.as_deref());
                v.extend(to.as_deref());
                v
            }
            ExprKind::Chain(e) | ExprKind::Closure(e) => vec![e],
            ExprKind::Call { callee, args } => {
                let mut v: Vec<&Expr> = vec![callee];
                v.extend(args.iter());
                v
            }
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                let mut v: Vec<&Expr> = vec![cond];
                v.extend(then.as_deref());
                v.push(otherwise);
                v
            }
            ExprKind::Array(items) => items.iter().collect(),
            ExprKind::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            ExprKind::Let { value, body, .. } => vec![value, body],
        }
    }

    /// The constant string key of a member property (`a.b`, `a['b']`).
    pub fn const_key(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A dotted path for a chain of constant member accesses on an identifier (`a.b['c']` →
    /// `["a", "b", "c"]`), or `None`.
    pub fn const_path(&self) -> Option<Vec<&str>> {
        match &self.kind {
            ExprKind::Ident(name) => Some(vec![name.as_str()]),
            ExprKind::Member {
                object, property, ..
            } => {
                let mut p = object.const_path()?;
                p.push(property.const_key()?);
                Some(p)
            }
            ExprKind::Chain(inner) => inner.const_path(),
            _ => None,
        }
    }
}
