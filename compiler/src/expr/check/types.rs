//! A small static type inference for expr, just enough to find certain and likely type errors:
//! literals, Argo variables (always strings), conversions and the common builtins and sprig
//! functions. Everything else is [`Ty::Unknown`] and never reported.

use super::scope::{Resolution, Scope};
use crate::expr::lang::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

/// A statically known type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Int,
    Float,
    Str,
    Bool,
    Nil,
    Array,
    Map,
    Unknown,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Int => "int",
            Ty::Float => "float64",
            Ty::Str => "string",
            Ty::Bool => "bool",
            Ty::Nil => "nil",
            Ty::Array => "array",
            Ty::Map => "map",
            Ty::Unknown => "unknown",
        }
    }

    pub fn is_number(self) -> bool {
        matches!(self, Ty::Int | Ty::Float)
    }

    pub fn known(self) -> bool {
        self != Ty::Unknown
    }
}

/// Return types of functions whose result type is fixed.
fn call_type(name: &str, sprig: bool) -> Ty {
    if sprig {
        return match name {
            "int" | "atoi" | "add" | "add1" | "sub" | "mul" | "div" | "mod" | "max" | "min"
            | "biggest" | "int64" | "toDecimal" | "randInt" => Ty::Int,
            "float64" | "addf" | "add1f" | "subf" | "mulf" | "divf" | "maxf" | "minf" | "floor"
            | "ceil" | "round" => Ty::Float,
            "upper"
            | "lower"
            | "trim"
            | "trimAll"
            | "trimall"
            | "trimPrefix"
            | "trimSuffix"
            | "title"
            | "untitle"
            | "repeat"
            | "substr"
            | "trunc"
            | "nospace"
            | "abbrev"
            | "abbrevboth"
            | "initials"
            | "wrap"
            | "wrapWith"
            | "quote"
            | "squote"
            | "cat"
            | "indent"
            | "nindent"
            | "replace"
            | "plural"
            | "sha1sum"
            | "sha256sum"
            | "sha512sum"
            | "adler32sum"
            | "toString"
            | "join"
            | "b64enc"
            | "b64dec"
            | "b32enc"
            | "b32dec"
            | "base"
            | "dir"
            | "clean"
            | "ext"
            | "toJson"
            | "toPrettyJson"
            | "toRawJson"
            | "regexFind"
            | "regexReplaceAll"
            | "regexReplaceAllLiteral"
            | "regexQuoteMeta"
            | "snakecase"
            | "camelcase"
            | "kebabcase"
            | "swapcase"
            | "date"
            | "dateInZone"
            | "htmlDate"
            | "duration"
            | "durationRound"
            | "seq"
            | "typeOf"
            | "kindOf" => Ty::Str,
            "contains" | "hasPrefix" | "hasSuffix" | "empty" | "regexMatch" | "hasKey" | "has"
            | "semverCompare" | "isAbs" | "deepEqual" | "typeIs" | "kindIs" => Ty::Bool,
            "list" | "splitList" | "until" | "untilStep" | "keys" | "values" | "sortAlpha" => {
                Ty::Array
            }
            "dict" | "split" | "splitn" | "urlParse" => Ty::Map,
            _ => Ty::Unknown,
        };
    }
    match name {
        "len" | "int" | "asInt" | "indexOf" | "lastIndexOf" | "findIndex" | "findLastIndex"
        | "count" | "bitand" | "bitor" | "bitxor" | "bitnand" | "bitnot" | "bitshl" | "bitshr"
        | "bitushr" => Ty::Int,
        "float" | "asFloat" | "ceil" | "floor" | "round" | "mean" | "median" => Ty::Float,
        "string" | "upper" | "lower" | "trim" | "trimPrefix" | "trimSuffix" | "replace"
        | "repeat" | "join" | "toJSON" | "toJson" | "toBase64" | "fromBase64" | "type" => Ty::Str,
        "all" | "any" | "one" | "none" | "hasPrefix" | "hasSuffix" => Ty::Bool,
        "map" | "filter" | "split" | "splitAfter" | "keys" | "values" | "toPairs" | "sort"
        | "sortBy" | "concat" | "flatten" | "uniq" | "reverse" | "take" => Ty::Array,
        "groupBy" | "fromPairs" => Ty::Map,
        _ => Ty::Unknown,
    }
}

/// Infers the type of an expression; `locals` are `let` names (unknown type).
pub fn infer(e: &Expr, scope: &dyn Scope, locals: &[String]) -> Ty {
    match &e.kind {
        ExprKind::Nil => Ty::Nil,
        ExprKind::Bool(_) => Ty::Bool,
        ExprKind::Int(_) => Ty::Int,
        ExprKind::Float(_) => Ty::Float,
        ExprKind::Str(_) => Ty::Str,
        ExprKind::Array(_) => Ty::Array,
        ExprKind::Map(_) => Ty::Map,
        ExprKind::Ident(n) if locals.contains(n) => Ty::Unknown,
        ExprKind::Ident(_) | ExprKind::Member { .. } | ExprKind::Chain(_) => match e.const_path() {
            Some(p) => match scope.resolve(&p) {
                Resolution::Leaf { string: true } => Ty::Str,
                Resolution::Map => Ty::Map,
                _ => Ty::Unknown,
            },
            None => Ty::Unknown,
        },
        ExprKind::Unary { op, operand } => match op {
            UnaryOp::Not => Ty::Bool,
            _ => match infer(operand, scope, locals) {
                t @ (Ty::Int | Ty::Float) => t,
                _ => Ty::Unknown,
            },
        },
        ExprKind::Binary { op, lhs, rhs } => {
            let (l, r) = (infer(lhs, scope, locals), infer(rhs, scope, locals));
            match op {
                BinaryOp::Or
                | BinaryOp::And
                | BinaryOp::Eq
                | BinaryOp::Ne
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge
                | BinaryOp::In
                | BinaryOp::Matches
                | BinaryOp::Contains
                | BinaryOp::StartsWith
                | BinaryOp::EndsWith => Ty::Bool,
                BinaryOp::Range => Ty::Array,
                BinaryOp::Div | BinaryOp::Pow => Ty::Float,
                BinaryOp::Add if l == Ty::Str && r == Ty::Str => Ty::Str,
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Mod => match (l, r) {
                    (Ty::Int, Ty::Int) => Ty::Int,
                    (a, b) if a.is_number() && b.is_number() => Ty::Float,
                    _ => Ty::Unknown,
                },
                BinaryOp::Coalesce => Ty::Unknown,
            }
        }
        ExprKind::Call { callee, .. } => match &callee.kind {
            ExprKind::Ident(name) => call_type(name, false),
            ExprKind::Member {
                object, property, ..
            } if matches!(&object.kind, ExprKind::Ident(s) if s == "sprig") => {
                call_type(property.const_key().unwrap_or_default(), true)
            }
            _ => Ty::Unknown,
        },
        _ => Ty::Unknown,
    }
}

/// Go parameter kinds of common sprig functions: `i` int, `s` string, `b` bool, `*` any.
pub fn sprig_params(name: &str) -> Option<&'static str> {
    Some(match name {
        "repeat" | "trunc" | "abbrev" | "wrap" | "indent" | "nindent" => "is",
        "substr" | "abbrevboth" => "iis",
        "wrapWith" => "iss",
        "plural" => "ssi",
        "until" => "i",
        "untilStep" => "iii",
        "chunk" => "i*",
        "splitn" => "sis",
        "regexFindAll" | "mustRegexFindAll" | "regexSplit" | "mustRegexSplit" => "ssi",
        "trim" | "upper" | "lower" | "title" | "untitle" | "nospace" | "initials" | "snakecase"
        | "camelcase" | "kebabcase" | "swapcase" | "sha1sum" | "sha256sum" | "sha512sum"
        | "adler32sum" | "b64enc" | "b64dec" | "b32enc" | "b32dec" | "base" | "dir" | "clean"
        | "ext" | "isAbs" | "regexQuoteMeta" | "atoi" | "semver" | "fail" => "s",
        "trimAll" | "trimall" | "trimPrefix" | "trimSuffix" | "contains" | "hasPrefix"
        | "hasSuffix" | "split" | "splitList" | "regexMatch" | "mustRegexMatch" | "regexFind"
        | "mustRegexFind" | "toDate" | "mustToDate" | "semverCompare" => "ss",
        "replace"
        | "regexReplaceAll"
        | "mustRegexReplaceAll"
        | "regexReplaceAllLiteral"
        | "mustRegexReplaceAllLiteral" => "sss",
        "ternary" => "**b",
        "join" | "date" => "s*",
        "dateInZone" | "date_in_zone" => "s*s",
        _ => return None,
    })
}
