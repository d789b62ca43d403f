//! AW824: a resource template `successCondition`/`failureCondition` that is not a valid
//! Kubernetes label-selector expression.

use super::resources;
use crate::checks::CheckContext;
use crate::checks::names::syntax::{label_value, qualified_name};
use crate::checks::scalar::substitute_tags;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Parses `resource.successCondition` and `resource.failureCondition` the way Argo's
    /// executor does (Kubernetes `labels.Parse`): comma-separated requirements `key`, `!key`,
    /// `key = v`, `key == v`, `key != v`, `key > N`, `key < N`, `key in (a, b)`,
    /// `key notin (a, b)`, where a key is a field path such as `status.phase` (a label key) and a
    /// value is a label value. Template tags count as a plain word.
    ///
    /// Argo rule: none (§2.15: resource `successCondition`/`failureCondition` syntax is not
    /// checked; the executor fails the step at run time).
    ///
    /// ## Why is this bad?
    /// The step creates the resource, then fails with `success condition '…' failed to parse`
    /// instead of waiting for it.
    ///
    /// ## Example
    /// ```yaml
    /// resource:
    ///   action: create
    ///   successCondition: status.succeeded >= 1
    ///   failureCondition: status.phase in (Failed, Error
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resource:
    ///   action: create
    ///   successCondition: status.succeeded > 0
    ///   failureCondition: status.phase in (Failed, Error)
    /// ```
    pub(crate) static RULE = ("AW824", "invalid-resource-condition", Error, "a resource success or failure condition that does not parse");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for (_, r) in resources(spec) {
        use crate::model::view::View;
        for field in ["successCondition", "failureCondition"] {
            let Some(node) = r.node().get(field) else {
                continue;
            };
            let Some(text) = node.as_str().filter(|s| !s.trim().is_empty()) else {
                continue;
            };
            // `0` is a valid key, value and integer: a tag stands for any of them.
            if let Err(why) = parse(&substitute_tags(text, "0")) {
                out.push(
                    Diagnostic::new(&RULE, node.span(), format!("`{field}` does not parse: {why}"))
                        .with_pointer(node.pointer())
                        .with_help(
                            "write requirements like `status.phase == Succeeded`, `status.failed > 0` or `status.phase in (Failed, Error)`, separated by commas",
                        ),
                );
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok<'s> {
    Word(&'s str),
    Sym(&'static str),
}

/// Kubernetes' selector lexer: words run until whitespace or one of `=!(),<>`.
fn lex(s: &str) -> Vec<Tok<'_>> {
    const SYMS: [&str; 9] = ["==", "!=", "=", "!", "(", ")", ",", ">", "<"];
    let mut out = Vec::new();
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if let Some(sym) = SYMS.iter().find(|sym| s[i..].starts_with(**sym)) {
            out.push(Tok::Sym(sym));
            i += sym.len();
        } else {
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !b"=!(),<>".contains(&b[i]) {
                i += 1;
            }
            out.push(Tok::Word(&s[start..i]));
        }
    }
    out
}

/// Parses a selector; the error says what is wrong.
fn parse(s: &str) -> Result<(), String> {
    let toks = lex(s);
    let mut i = 0;
    loop {
        i = requirement(&toks, i)?;
        match toks.get(i) {
            None => return Ok(()),
            Some(Tok::Sym(",")) => i += 1,
            Some(t) => {
                return Err(format!(
                    "expected `,` or the end after a requirement, found {}",
                    show(t)
                ));
            }
        }
    }
}

fn show(t: &Tok<'_>) -> String {
    match t {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Sym(s) => format!("`{s}`"),
    }
}

fn key(toks: &[Tok<'_>], i: usize) -> Result<usize, String> {
    match toks.get(i) {
        Some(Tok::Word(w)) if *w != "in" && *w != "notin" => {
            qualified_name(w).map_err(|e| format!("`{w}` is not a valid key: {e}"))?;
            Ok(i + 1)
        }
        Some(t) => Err(format!("expected a key, found {}", show(t))),
        None => Err("expected a key, found the end".into()),
    }
}

fn value(w: &str) -> Result<(), String> {
    label_value(w).map_err(|e| format!("`{w}` is not a valid value: {e}"))
}

/// One requirement starting at `i`; returns the index after it.
fn requirement(toks: &[Tok<'_>], i: usize) -> Result<usize, String> {
    if toks.get(i) == Some(&Tok::Sym("!")) {
        return key(toks, i + 1);
    }
    let i = key(toks, i)?;
    match toks.get(i) {
        None | Some(Tok::Sym(",")) => Ok(i),
        Some(Tok::Word(op @ ("in" | "notin"))) => {
            if toks.get(i + 1) != Some(&Tok::Sym("(")) {
                return Err(format!("expected `(` after `{op}`"));
            }
            let mut j = i + 2;
            loop {
                match toks.get(j) {
                    Some(Tok::Word(w)) => {
                        value(w)?;
                        j += 1;
                    }
                    Some(Tok::Sym(",")) => {}
                    Some(Tok::Sym(")")) => return Ok(j + 1),
                    Some(t) => {
                        return Err(format!("expected a value, `,` or `)`, found {}", show(t)));
                    }
                    None => return Err(format!("`{op} (` is not closed with `)`")),
                }
                match toks.get(j) {
                    Some(Tok::Sym(",")) => j += 1,
                    Some(Tok::Sym(")")) => return Ok(j + 1),
                    Some(t) => return Err(format!("expected `,` or `)`, found {}", show(t))),
                    None => return Err(format!("`{op} (` is not closed with `)`")),
                }
            }
        }
        Some(Tok::Sym(op @ ("=" | "==" | "!=" | ">" | "<"))) => {
            let numeric = matches!(*op, ">" | "<");
            match toks.get(i + 1) {
                Some(Tok::Word(w)) => {
                    if numeric && w.parse::<i64>().is_err() {
                        return Err(format!("`{op}` needs an integer, found `{w}`"));
                    }
                    value(w)?;
                    Ok(i + 2)
                }
                None | Some(Tok::Sym(",")) if !numeric => Ok(i + 1),
                Some(t) => Err(format!("expected a value after `{op}`, found {}", show(t))),
                None => Err(format!("expected a value after `{op}`, found the end")),
            }
        }
        Some(t) => Err(format!(
            "expected an operator (`=`, `==`, `!=`, `>`, `<`, `in`, `notin`), found {}",
            show(t)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn accepts_the_selectors_argo_examples_use() {
        for ok in [
            "status.phase == Succeeded",
            "status.readyReplicas == 1",
            "status.phase in (Failed, Error)",
            "status.failed > 0",
            "status.replicaStatuses.Worker.succeeded = 2",
            "status.succeeded > 2, status.failed < 1",
            "!status.failed",
            "status.phase",
            "status.phase notin (Running)",
            "metadata.labels.x != ",
        ] {
            assert_eq!(parse(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_broken_selectors() {
        for bad in [
            "status.phase = = x",
            "status.succeeded >= 1",
            "status.phase in (Failed, Error",
            "status.phase in Failed",
            "status.failed > one",
            "status.phase == Succeeded status.x == 1",
            "status.conditions[0].type == Ready",
            "== Succeeded",
            "status.phase == bad value!",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
