//! A small interpreter for the subset of Helm's Go templates the chart uses (Helm itself cannot
//! be installed here): text with `{{ }}` actions and `{{-`/`-}}` whitespace trimming, comments,
//! `if`/`with` (with `else`) and `end`, `define` + `include`, pipelines, and the functions
//! `toYaml`, `nindent`, `indent`, `quote`, `default`, `not`, `eq`, `ne`. Anything else is an
//! error, so a template that strays outside the subset fails the tests instead of being
//! rendered wrong. Missing `.Values` keys are errors too (Helm would print nothing), and so is
//! printing a number of a million or more (Helm's float64 values print as `1e+06`).

use std::collections::BTreeMap;

use serde_json::Value;

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Print(Pipeline),
    If(Pipeline, Vec<Node>, Vec<Node>),
    With(Pipeline, Vec<Node>, Vec<Node>),
}

type Pipeline = Vec<Vec<Arg>>;

#[derive(Debug, Clone)]
enum Arg {
    /// `.A.B` (relative to dot) or `$.A.B` (relative to the root).
    Field {
        root: bool,
        path: Vec<String>,
    },
    Str(String),
    Num(f64),
    Ident(String),
    Sub(Pipeline),
}

/// Raw pieces of a template before parsing.
#[derive(Debug)]
enum Piece {
    Text(String),
    Action(String),
}

fn lex(src: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = src;
    let mut trim_next = false;
    while let Some(start) = rest.find("{{") {
        let mut text = rest[..start].to_owned();
        if trim_next {
            text = text.trim_start().to_owned();
        }
        let after = &rest[start + 2..];
        let trim_prev = after.starts_with("- ") || after.starts_with("-\n");
        if trim_prev {
            text = text.trim_end().to_owned();
        }
        out.push(Piece::Text(text));
        let body_start = if trim_prev { 1 } else { 0 };
        // Find the closing `}}` outside string literals.
        let bytes = after.as_bytes();
        let (mut i, mut in_str) = (body_start, false);
        let end = loop {
            if i + 1 >= bytes.len() {
                return Err(format!("unclosed action near {:?}", &rest[start..]));
            }
            match bytes[i] {
                b'"' if i == 0 || bytes[i - 1] != b'\\' => in_str = !in_str,
                b'}' if !in_str && bytes[i + 1] == b'}' => break i,
                _ => {}
            }
            i += 1;
        };
        let mut body = &after[body_start..end];
        trim_next = body.ends_with(" -") || body.ends_with("\n-");
        if trim_next {
            body = &body[..body.len() - 1];
        }
        out.push(Piece::Action(body.trim().to_owned()));
        rest = &after[end + 2..];
    }
    let mut text = rest.to_owned();
    if trim_next {
        text = text.trim_start().to_owned();
    }
    out.push(Piece::Text(text));
    Ok(out)
}

fn tokenize(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' | '\n' => {
                chars.next();
            }
            '|' | '(' | ')' => {
                out.push(c.to_string());
                chars.next();
            }
            '"' => {
                let mut t = String::from('"');
                chars.next();
                loop {
                    match chars.next() {
                        None => return Err(format!("unterminated string in {s:?}")),
                        Some('\\') => {
                            t.push('\\');
                            t.push(chars.next().ok_or("dangling escape")?);
                        }
                        Some('"') => break,
                        Some(ch) => t.push(ch),
                    }
                }
                t.push('"');
                out.push(t);
            }
            _ => {
                let mut t = String::new();
                while let Some(&ch) = chars.peek() {
                    if matches!(ch, ' ' | '\t' | '\n' | '|' | '(' | ')') {
                        break;
                    }
                    t.push(ch);
                    chars.next();
                }
                out.push(t);
            }
        }
    }
    Ok(out)
}

fn parse_pipeline(tokens: &[String], pos: &mut usize) -> Result<Pipeline, String> {
    let mut pipeline = vec![Vec::new()];
    while *pos < tokens.len() {
        let t = &tokens[*pos];
        *pos += 1;
        let arg = match t.as_str() {
            "|" => {
                pipeline.push(Vec::new());
                continue;
            }
            ")" => return Ok(pipeline),
            "(" => Arg::Sub(parse_pipeline(tokens, pos)?),
            s if s.starts_with('"') => Arg::Str(
                s[1..s.len() - 1]
                    .replace("\\\"", "\"")
                    .replace("\\\\", "\\"),
            ),
            "." => Arg::Field {
                root: false,
                path: Vec::new(),
            },
            "$" => Arg::Field {
                root: true,
                path: Vec::new(),
            },
            s if s.starts_with('.') || s.starts_with("$.") => Arg::Field {
                root: s.starts_with('$'),
                path: s
                    .trim_start_matches('$')
                    .trim_start_matches('.')
                    .split('.')
                    .map(str::to_owned)
                    .collect(),
            },
            s if s.parse::<f64>().is_ok() => Arg::Num(s.parse().unwrap_or_default()),
            s => Arg::Ident(s.to_owned()),
        };
        pipeline.last_mut().ok_or("empty pipeline")?.push(arg);
    }
    if pipeline.iter().any(Vec::is_empty) {
        return Err(format!("empty command in {tokens:?}"));
    }
    Ok(pipeline)
}

fn pipeline_of(src: &str) -> Result<Pipeline, String> {
    let tokens = tokenize(src)?;
    let mut pos = 0;
    parse_pipeline(&tokens, &mut pos)
}

/// Parses pieces until `end`/`else`; returns the nodes and the terminator.
fn parse_block(
    pieces: &mut std::iter::Peekable<std::vec::IntoIter<Piece>>,
    defines: &mut BTreeMap<String, Vec<Node>>,
) -> Result<(Vec<Node>, Option<&'static str>), String> {
    let mut nodes = Vec::new();
    while let Some(p) = pieces.next() {
        match p {
            Piece::Text(t) => nodes.push(Node::Text(t)),
            Piece::Action(a) if a.starts_with("/*") => {
                if !a.ends_with("*/") {
                    return Err(format!("bad comment {a:?}"));
                }
            }
            Piece::Action(a) if a == "end" => return Ok((nodes, Some("end"))),
            Piece::Action(a) if a == "else" => return Ok((nodes, Some("else"))),
            Piece::Action(a) if a.starts_with("else ") => {
                return Err(format!("`{a}` is outside the supported subset"));
            }
            Piece::Action(a) => {
                let (head, rest) = a.split_once(' ').unwrap_or((a.as_str(), ""));
                match head {
                    "if" | "with" => {
                        let cond = pipeline_of(rest)?;
                        let (then, term) = parse_block(pieces, defines)?;
                        let otherwise = match term {
                            Some("else") => match parse_block(pieces, defines)? {
                                (n, Some("end")) => n,
                                _ => return Err(format!("`{head}` without end")),
                            },
                            Some("end") => Vec::new(),
                            _ => return Err(format!("`{head}` without end")),
                        };
                        nodes.push(if head == "if" {
                            Node::If(cond, then, otherwise)
                        } else {
                            Node::With(cond, then, otherwise)
                        });
                    }
                    "define" => {
                        let name = rest.trim().trim_matches('"').to_owned();
                        match parse_block(pieces, defines)? {
                            (body, Some("end")) => {
                                defines.insert(name, body);
                            }
                            _ => return Err(format!("define {name} without end")),
                        }
                    }
                    "range" | "template" | "block" | "tpl" => {
                        return Err(format!("`{head}` is outside the supported subset"));
                    }
                    _ => nodes.push(Node::Print(pipeline_of(&a)?)),
                }
            }
        }
    }
    Ok((nodes, None))
}

/// A dot value with its path from the root (for `.Values` bookkeeping).
#[derive(Clone, Debug)]
struct Dot {
    value: Value,
    path: Option<Vec<String>>,
}

/// The chart: templates by file name, and the named templates of every file.
pub struct Chart {
    templates: BTreeMap<String, Vec<Node>>,
    defines: BTreeMap<String, Vec<Node>>,
}

/// What a render saw: `.Values` paths read.
#[derive(Default, Debug)]
pub struct Seen {
    pub values_paths: std::collections::BTreeSet<String>,
}

impl Chart {
    /// Parses every file (`_*.tpl` files contribute defines only).
    pub fn parse(files: &BTreeMap<String, String>) -> Result<Chart, String> {
        let mut defines = BTreeMap::new();
        let mut templates = BTreeMap::new();
        for (name, src) in files {
            let mut pieces = lex(src)
                .map_err(|e| format!("{name}: {e}"))?
                .into_iter()
                .peekable();
            let (nodes, term) =
                parse_block(&mut pieces, &mut defines).map_err(|e| format!("{name}: {e}"))?;
            if let Some(t) = term {
                return Err(format!("{name}: unexpected `{t}`"));
            }
            if !name.starts_with('_') {
                templates.insert(name.clone(), nodes);
            }
        }
        Ok(Chart { templates, defines })
    }

    /// Template file names (without the `_*.tpl` helpers).
    pub fn names(&self) -> Vec<String> {
        self.templates.keys().cloned().collect()
    }

    /// Renders one template with `root` (`{Values, Release, Chart}`) as dot.
    pub fn render(&self, name: &str, root: &Value, seen: &mut Seen) -> Result<String, String> {
        let nodes = self
            .templates
            .get(name)
            .ok_or_else(|| format!("no template {name}"))?;
        let mut r = Renderer {
            chart: self,
            root,
            seen,
            depth: 0,
        };
        let dot = Dot {
            value: root.clone(),
            path: Some(Vec::new()),
        };
        let mut out = String::new();
        r.nodes(nodes, &dot, &mut out)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(out)
    }
}

struct Renderer<'a> {
    chart: &'a Chart,
    root: &'a Value,
    seen: &'a mut Seen,
    depth: usize,
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn print(v: &Value) -> Result<String, String> {
    match v {
        Value::Null => Ok(String::new()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or_default();
            if f.abs() >= 1e6 {
                return Err(format!(
                    "{n} would print as {f:e} in Helm (values are float64)"
                ));
            }
            Ok(if f.fract() == 0.0 {
                format!("{}", f as i64)
            } else {
                f.to_string()
            })
        }
        other => Err(format!("printing a collection: {other}")),
    }
}

/// `toYaml`: block YAML without the trailing newline.
pub fn to_yaml(v: &Value) -> Result<String, String> {
    let s = serde_saphyr::to_string(v).map_err(|e| e.to_string())?;
    Ok(s.trim_end_matches('\n').to_owned())
}

fn indent(n: usize, s: &str) -> String {
    let pad = " ".repeat(n);
    s.split('\n')
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Renderer<'_> {
    fn nodes(&mut self, nodes: &[Node], dot: &Dot, out: &mut String) -> Result<(), String> {
        for n in nodes {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Print(p) => {
                    let v = self.pipeline(p, dot)?;
                    out.push_str(&print(&v.value)?);
                }
                Node::If(c, then, otherwise) => {
                    let v = self.pipeline(c, dot)?;
                    let branch = if truthy(&v.value) { then } else { otherwise };
                    self.nodes(branch, dot, out)?;
                }
                Node::With(c, then, otherwise) => {
                    let v = self.pipeline(c, dot)?;
                    if truthy(&v.value) {
                        self.nodes(then, &v, out)?;
                    } else {
                        self.nodes(otherwise, dot, out)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn field(&mut self, base: &Dot, path: &[String]) -> Result<Dot, String> {
        let mut cur = base.clone();
        for key in path {
            let next = cur
                .value
                .get(key)
                .cloned()
                .ok_or_else(|| format!("missing key `{key}` (path {path:?})"))?;
            cur = Dot {
                value: next,
                path: cur.path.map(|mut p| {
                    p.push(key.clone());
                    p
                }),
            };
        }
        if let Some(p) = &cur.path
            && p.first().map(String::as_str) == Some("Values")
        {
            self.seen.values_paths.insert(p[1..].join("."));
        }
        Ok(cur)
    }

    fn arg(&mut self, a: &Arg, dot: &Dot) -> Result<Dot, String> {
        let plain = |value: Value| Dot { value, path: None };
        Ok(match a {
            Arg::Field { root: true, path } => {
                let root = Dot {
                    value: self.root.clone(),
                    path: Some(Vec::new()),
                };
                self.field(&root, path)?
            }
            Arg::Field { root: false, path } => self.field(dot, path)?,
            Arg::Str(s) => plain(Value::from(s.clone())),
            Arg::Num(n) => plain(serde_json::json!(n)),
            Arg::Ident(s) if s == "true" || s == "false" => plain(Value::from(s == "true")),
            Arg::Ident(f) => self.call(f, Vec::new(), dot)?,
            Arg::Sub(p) => self.pipeline(p, dot)?,
        })
    }

    fn pipeline(&mut self, p: &Pipeline, dot: &Dot) -> Result<Dot, String> {
        let mut piped: Option<Dot> = None;
        for cmd in p {
            let (first, rest) = cmd.split_first().ok_or("empty command")?;
            let result = match first {
                Arg::Ident(f) if f != "true" && f != "false" => {
                    let mut args = rest
                        .iter()
                        .map(|a| self.arg(a, dot))
                        .collect::<Result<Vec<_>, _>>()?;
                    args.extend(piped.take());
                    self.call(f, args, dot)?
                }
                a => {
                    if !rest.is_empty() || piped.is_some() {
                        return Err(format!("arguments after a non-function {a:?}"));
                    }
                    self.arg(a, dot)?
                }
            };
            piped = Some(result);
        }
        piped.ok_or_else(|| "empty pipeline".to_owned())
    }

    fn call(&mut self, f: &str, args: Vec<Dot>, _dot: &Dot) -> Result<Dot, String> {
        let v: Vec<&Value> = args.iter().map(|a| &a.value).collect();
        let plain = |value: Value| Ok(Dot { value, path: None });
        let want = |n: usize| {
            if v.len() == n {
                Ok(())
            } else {
                Err(format!("{f} takes {n} arguments, got {}", v.len()))
            }
        };
        let int = |x: &Value| {
            x.as_f64()
                .map(|f| f as usize)
                .ok_or_else(|| format!("{f}: not a number"))
        };
        match f {
            "include" => {
                want(2)?;
                let name = v[0].as_str().ok_or("include: name is not a string")?;
                let body = self
                    .chart
                    .defines
                    .get(name)
                    .ok_or_else(|| format!("include: no define {name}"))?
                    .clone();
                self.depth += 1;
                if self.depth > 20 {
                    return Err("include nests too deep".into());
                }
                let mut out = String::new();
                let r = self.nodes(&body, &args[1], &mut out);
                self.depth -= 1;
                r?;
                plain(Value::from(out))
            }
            "toYaml" => {
                want(1)?;
                plain(Value::from(to_yaml(v[0])?))
            }
            "nindent" | "indent" => {
                want(2)?;
                let s = print(v[1])?;
                let body = indent(int(v[0])?, &s);
                plain(Value::from(if f == "nindent" {
                    format!("\n{body}")
                } else {
                    body
                }))
            }
            "quote" => {
                want(1)?;
                plain(Value::from(format!(
                    "\"{}\"",
                    print(v[0])?.replace('\\', "\\\\").replace('"', "\\\"")
                )))
            }
            "default" => {
                want(2)?;
                Ok(if truthy(&args[1].value) {
                    args[1].clone()
                } else {
                    args[0].clone()
                })
            }
            "not" => {
                want(1)?;
                plain(Value::from(!truthy(v[0])))
            }
            "eq" | "ne" => {
                want(2)?;
                plain(Value::from((v[0] == v[1]) == (f == "eq")))
            }
            other => Err(format!(
                "function `{other}` is outside the supported subset"
            )),
        }
    }
}

/// Splits rendered output into YAML documents and parses each non-empty one.
pub fn documents(rendered: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut flush = |doc: &mut String| -> Result<(), String> {
        let meaningful = doc
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        if meaningful {
            let v: Value = serde_saphyr::from_str(doc).map_err(|e| format!("{e}\n---\n{doc}"))?;
            if !v.is_null() {
                out.push(v);
            }
        }
        doc.clear();
        Ok(())
    };
    for line in rendered.lines() {
        if line.trim_end() == "---" {
            flush(&mut current)?;
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    flush(&mut current)?;
    Ok(out)
}

#[test]
fn the_interpreter_follows_go_template_semantics() {
    let files = BTreeMap::from([
        (
            "_h.tpl".to_owned(),
            "{{- define \"l\" -}}\na: {{ .x }}\nb: 1\n{{- end }}".to_owned(),
        ),
        (
            "t.yaml".to_owned(),
            "k:\n  {{- include \"l\" .Values | nindent 2 }}\n{{- if .Values.off }}\nno: 1\n{{- else }}\nyes: {{ .Values.n }}\n{{- end }}\n{{- with .Values.list }}\nlist:\n  {{- toYaml . | nindent 2 }}\n{{- end }}\nq: {{ .Values.x | quote }}\nd: {{ .Values.empty | default \"z\" }}\n".to_owned(),
        ),
    ]);
    let chart = Chart::parse(&files).unwrap();
    let root =
        serde_json::json!({"Values": {"x": "v", "off": false, "n": 3, "list": ["p"], "empty": ""}});
    let mut seen = Seen::default();
    let out = chart.render("t.yaml", &root, &mut seen).unwrap();
    assert_eq!(
        out,
        "k:\n  a: v\n  b: 1\nyes: 3\nlist:\n  - p\nq: \"v\"\nd: z\n"
    );
    assert!(seen.values_paths.contains("list") && seen.values_paths.contains("empty"));
    // Outside the subset, missing keys and float-printed numbers are errors.
    let bad = |src: &str, values: Value| {
        let files = BTreeMap::from([("b.yaml".to_owned(), src.to_owned())]);
        Chart::parse(&files).and_then(|c| {
            c.render(
                "b.yaml",
                &serde_json::json!({ "Values": values }),
                &mut Seen::default(),
            )
        })
    };
    assert!(bad("{{ range .Values.a }}{{ end }}", serde_json::json!({})).is_err());
    assert!(bad("{{ .Values.missing }}", serde_json::json!({})).is_err());
    assert!(bad("{{ .Values.n }}", serde_json::json!({"n": 8388608})).is_err());
    assert!(bad("{{ upper .Values.s }}", serde_json::json!({"s": "x"})).is_err());
}
