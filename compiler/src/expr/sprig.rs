//! The `sprig.` namespace (Masterminds/sprig v3.3.0 `GenericFuncMap`, spec §6): the catalog of
//! every function with its arity and whether Bosun evaluates it, and the dispatcher.
//!
//! Arguments are checked the way Go's reflection checks them when expr calls a Go function:
//! `nil` becomes the zero value, an `int` parameter refuses `int64` and `float64`
//! (`reflect: Call using float64 as type int`), a `string` parameter refuses numbers. Go panics
//! inside sprig (a bad pattern for `regexFind`, `substr` out of range) become errors.

pub(crate) mod dates;
pub(crate) mod dicts;
pub(crate) mod encoding;
pub(crate) mod lists;
pub(crate) mod math;
pub(crate) mod regex;
pub mod semver;
pub(crate) mod strings;

use std::collections::BTreeMap;

use super::error::{ErrorKind, ExprError};
use super::eval::{Evaluator, R};
use super::lang::ast::TextRange;
use super::value::Value;

/// Whether Bosun evaluates a sprig function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Evaluated with Go-faithful results.
    Yes,
    /// Exists in Argo but is random, network-dependent or key-generating: Bosun refuses to
    /// evaluate it (static checks still know it).
    Refused,
    /// Removed by Argo (`env`, `expandenv`): `sprig.env is missing`.
    Disabled,
}

/// A sprig function: name, arity (`max == usize::MAX` for variadic) and support.
#[derive(Clone, Copy, Debug)]
pub struct SprigFn {
    pub name: &'static str,
    pub min: usize,
    pub max: usize,
    pub support: Support,
}

const V: usize = usize::MAX;

const fn f(name: &'static str, min: usize, max: usize) -> SprigFn {
    SprigFn {
        name,
        min,
        max,
        support: Support::Yes,
    }
}

const fn refused(name: &'static str, min: usize, max: usize) -> SprigFn {
    SprigFn {
        name,
        min,
        max,
        support: Support::Refused,
    }
}

/// Every function of sprig's generic map.
pub const CATALOG: &[SprigFn] = &[
    // Strings.
    f("hello", 0, 0),
    f("abbrev", 2, 2),
    f("abbrevboth", 3, 3),
    f("trunc", 2, 2),
    f("trim", 1, 1),
    f("upper", 1, 1),
    f("lower", 1, 1),
    f("title", 1, 1),
    f("untitle", 1, 1),
    f("substr", 3, 3),
    f("repeat", 2, 2),
    f("trimall", 2, 2),
    f("trimAll", 2, 2),
    f("trimSuffix", 2, 2),
    f("trimPrefix", 2, 2),
    f("nospace", 1, 1),
    f("initials", 1, 1),
    refused("randAlphaNum", 1, 1),
    refused("randAlpha", 1, 1),
    refused("randAscii", 1, 1),
    refused("randNumeric", 1, 1),
    f("swapcase", 1, 1),
    refused("shuffle", 1, 1),
    f("snakecase", 1, 1),
    f("camelcase", 1, 1),
    f("kebabcase", 1, 1),
    f("wrap", 2, 2),
    f("wrapWith", 3, 3),
    f("contains", 2, 2),
    f("hasPrefix", 2, 2),
    f("hasSuffix", 2, 2),
    f("quote", 0, V),
    f("squote", 0, V),
    f("cat", 0, V),
    f("indent", 2, 2),
    f("nindent", 2, 2),
    f("replace", 3, 3),
    f("plural", 3, 3),
    f("sha1sum", 1, 1),
    f("sha256sum", 1, 1),
    f("sha512sum", 1, 1),
    f("adler32sum", 1, 1),
    f("toString", 1, 1),
    f("toStrings", 1, 1),
    f("split", 2, 2),
    f("splitList", 2, 2),
    f("splitn", 3, 3),
    f("join", 2, 2),
    f("sortAlpha", 1, 1),
    // Numbers.
    f("atoi", 1, 1),
    f("int64", 1, 1),
    f("int", 1, 1),
    f("float64", 1, 1),
    f("seq", 0, V),
    f("toDecimal", 1, 1),
    f("until", 1, 1),
    f("untilStep", 3, 3),
    f("add1", 1, 1),
    f("add", 0, V),
    f("sub", 2, 2),
    f("div", 2, 2),
    f("mod", 2, 2),
    f("mul", 1, V),
    refused("randInt", 2, 2),
    f("add1f", 1, 1),
    f("addf", 0, V),
    f("subf", 1, V),
    f("divf", 1, V),
    f("mulf", 1, V),
    f("biggest", 1, V),
    f("max", 1, V),
    f("min", 1, V),
    f("maxf", 1, V),
    f("minf", 1, V),
    f("ceil", 1, 1),
    f("floor", 1, 1),
    f("round", 2, 3),
    // Defaults, flow, JSON, reflection.
    f("default", 1, V),
    f("empty", 1, 1),
    f("coalesce", 0, V),
    f("all", 0, V),
    f("any", 0, V),
    f("compact", 1, 1),
    f("mustCompact", 1, 1),
    f("fromJson", 1, 1),
    f("toJson", 1, 1),
    f("toPrettyJson", 1, 1),
    f("toRawJson", 1, 1),
    f("mustFromJson", 1, 1),
    f("mustToJson", 1, 1),
    f("mustToPrettyJson", 1, 1),
    f("mustToRawJson", 1, 1),
    f("ternary", 3, 3),
    f("deepCopy", 1, 1),
    f("mustDeepCopy", 1, 1),
    f("typeOf", 1, 1),
    f("typeIs", 2, 2),
    f("typeIsLike", 2, 2),
    f("kindOf", 1, 1),
    f("kindIs", 2, 2),
    f("deepEqual", 2, 2),
    f("fail", 1, 1),
    // Lists.
    f("list", 0, V),
    f("tuple", 0, V),
    f("append", 2, 2),
    f("push", 2, 2),
    f("mustAppend", 2, 2),
    f("mustPush", 2, 2),
    f("prepend", 2, 2),
    f("mustPrepend", 2, 2),
    f("first", 1, 1),
    f("mustFirst", 1, 1),
    f("rest", 1, 1),
    f("mustRest", 1, 1),
    f("last", 1, 1),
    f("mustLast", 1, 1),
    f("initial", 1, 1),
    f("mustInitial", 1, 1),
    f("reverse", 1, 1),
    f("mustReverse", 1, 1),
    f("uniq", 1, 1),
    f("mustUniq", 1, 1),
    f("without", 1, V),
    f("mustWithout", 1, V),
    f("has", 2, 2),
    f("mustHas", 2, 2),
    f("slice", 1, V),
    f("mustSlice", 1, V),
    f("concat", 0, V),
    f("chunk", 2, 2),
    f("mustChunk", 2, 2),
    // Dicts.
    f("dict", 0, V),
    f("get", 2, 2),
    f("set", 3, 3),
    f("unset", 2, 2),
    f("hasKey", 2, 2),
    f("pluck", 1, V),
    f("keys", 0, V),
    f("pick", 1, V),
    f("omit", 1, V),
    f("merge", 1, V),
    f("mergeOverwrite", 1, V),
    f("mustMerge", 1, V),
    f("mustMergeOverwrite", 1, V),
    f("values", 1, 1),
    f("dig", 2, V),
    // Dates.
    f("now", 0, 0),
    f("ago", 1, 1),
    f("date", 2, 2),
    f("dateInZone", 3, 3),
    f("date_in_zone", 3, 3),
    f("dateModify", 2, 2),
    f("date_modify", 2, 2),
    f("mustDateModify", 2, 2),
    f("must_date_modify", 2, 2),
    f("duration", 1, 1),
    f("durationRound", 1, 1),
    f("htmlDate", 1, 1),
    f("htmlDateInZone", 2, 2),
    f("toDate", 2, 2),
    f("mustToDate", 2, 2),
    f("unixEpoch", 1, 1),
    // Encoding, paths, URLs.
    f("b64enc", 1, 1),
    f("b64dec", 1, 1),
    f("b32enc", 1, 1),
    f("b32dec", 1, 1),
    f("base", 1, 1),
    f("dir", 1, 1),
    f("clean", 1, 1),
    f("ext", 1, 1),
    f("isAbs", 1, 1),
    f("osBase", 1, 1),
    f("osDir", 1, 1),
    f("osClean", 1, 1),
    f("osExt", 1, 1),
    f("osIsAbs", 1, 1),
    f("urlParse", 1, 1),
    f("urlJoin", 1, 1),
    // Regular expressions.
    f("regexMatch", 2, 2),
    f("mustRegexMatch", 2, 2),
    f("regexFindAll", 3, 3),
    f("mustRegexFindAll", 3, 3),
    f("regexFind", 2, 2),
    f("mustRegexFind", 2, 2),
    f("regexReplaceAll", 3, 3),
    f("mustRegexReplaceAll", 3, 3),
    f("regexReplaceAllLiteral", 3, 3),
    f("mustRegexReplaceAllLiteral", 3, 3),
    f("regexSplit", 3, 3),
    f("mustRegexSplit", 3, 3),
    f("regexQuoteMeta", 1, 1),
    // Semver.
    f("semver", 1, 1),
    f("semverCompare", 2, 2),
    // Crypto, random, network: known, not evaluated.
    refused("bcrypt", 1, 1),
    refused("htpasswd", 2, 2),
    refused("genPrivateKey", 1, 1),
    refused("derivePassword", 5, 5),
    refused("buildCustomCert", 2, 2),
    refused("genCA", 2, 2),
    refused("genCAWithKey", 3, 3),
    refused("genSelfSignedCert", 4, 4),
    refused("genSelfSignedCertWithKey", 5, 5),
    refused("genSignedCert", 5, 5),
    refused("genSignedCertWithKey", 6, 6),
    refused("encryptAES", 2, 2),
    refused("decryptAES", 2, 2),
    refused("randBytes", 1, 1),
    refused("uuidv4", 0, 0),
    refused("getHostByName", 1, 1),
    // Removed by Argo.
    SprigFn {
        name: "env",
        min: 1,
        max: 1,
        support: Support::Disabled,
    },
    SprigFn {
        name: "expandenv",
        min: 1,
        max: 1,
        support: Support::Disabled,
    },
];

/// Looks a sprig function up by name.
pub fn lookup(name: &str) -> Option<&'static SprigFn> {
    CATALOG.iter().find(|f| f.name == name)
}

/// Arguments with Go reflection's conversion rules.
pub(crate) struct Args<'a> {
    pub vals: &'a [Value],
}

fn reflect_err(v: &Value, want: &str) -> String {
    format!("reflect: Call using {} as type {want}", v.go_type())
}

impl<'a> Args<'a> {
    pub fn any(&self, i: usize) -> &'a Value {
        self.vals.get(i).unwrap_or(&Value::Nil)
    }

    pub fn rest(&self, i: usize) -> &'a [Value] {
        self.vals.get(i..).unwrap_or_default()
    }

    pub fn str(&self, i: usize) -> Result<&'a str, String> {
        match self.any(i) {
            Value::Str(s) => Ok(s),
            Value::Nil => Ok(""),
            other => Err(reflect_err(other, "string")),
        }
    }

    /// A Go `int` parameter.
    pub fn int(&self, i: usize) -> Result<i64, String> {
        match self.any(i) {
            Value::Int(n) => Ok(*n),
            Value::Nil => Ok(0),
            other => Err(reflect_err(other, "int")),
        }
    }

    pub fn bool(&self, i: usize) -> Result<bool, String> {
        match self.any(i) {
            Value::Bool(b) => Ok(*b),
            Value::Nil => Ok(false),
            other => Err(reflect_err(other, "bool")),
        }
    }

    /// A `map[string]interface{}` parameter (nil is an empty map).
    pub fn dict(&self, i: usize) -> Result<BTreeMap<String, Value>, String> {
        match self.any(i) {
            Value::Map(d) => Ok(d.entries.clone()),
            Value::Nil => Ok(BTreeMap::new()),
            other => Err(reflect_err(other, "map[string]interface {}")),
        }
    }
}

/// sprig's `strval`: strings as-is, everything else with `%v`.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        other => super::format::go_v(other),
    }
}

/// Calls `sprig.<name>(args)`.
pub(crate) fn call(
    ev: &mut Evaluator<'_>,
    name: &str,
    args: Vec<Value>,
    r: TextRange,
    name_range: TextRange,
) -> R {
    let Some(sig) = lookup(name) else {
        return Err(ExprError::new(
            ErrorKind::Compile,
            format!("sprig.{name} is missing"),
            name_range,
        )
        .into());
    };
    match sig.support {
        Support::Disabled => {
            return Err(ExprError::new(
                ErrorKind::Missing,
                format!("sprig.{name} is missing"),
                name_range,
            )
            .into());
        }
        Support::Refused => {
            return Err(ExprError::new(
                ErrorKind::Unsupported,
                format!("sprig.{name} is not evaluated by Bosun (random, network or key material)"),
                name_range,
            )
            .into());
        }
        Support::Yes => {}
    }
    if args.len() < sig.min || args.len() > sig.max {
        return Err(ExprError::runtime(
            format!(
                "{} arguments for sprig.{name}: got {}",
                if args.len() < sig.min {
                    "not enough"
                } else {
                    "too many"
                },
                args.len()
            ),
            r,
        )
        .into());
    }
    ev.tick(args.iter().map(super::builtins::cost).sum::<u64>() + 1, r)?;
    let a = Args { vals: &args };
    let limits = ev.limits;
    let now = ev.env.now.clone();
    let result = strings::call(name, &a, &limits)
        .or_else(|| math::call(name, &a, &limits))
        .or_else(|| lists::call(name, &a, &limits))
        .or_else(|| dicts::call(name, &a))
        .or_else(|| dates::call(name, &a, &now))
        .or_else(|| encoding::call(name, &a))
        .or_else(|| regex::call(name, &a))
        .or_else(|| semver::call(name, &a))
        .unwrap_or_else(|| Err(format!("sprig.{name} is missing")));
    let v = result.map_err(|e| {
        // Budget failures are worded "… is too large …" by the category modules.
        let kind = if e.contains("too large") {
            ErrorKind::TooComplex
        } else {
            ErrorKind::Runtime
        };
        ExprError::new(kind, e, r)
    })?;
    ev.check_size(&v, r)?;
    ev.tick(super::builtins::cost(&v), r)?;
    Ok(v)
}
