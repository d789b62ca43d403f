//! Every shell command in the Markdown docs (`*.md` at the repository root and under `docs/`)
//! does what the docs say. The conventions are in CONTRIBUTING.md ("Commands in the docs"):
//!
//! - Commands live in fenced blocks marked `sh`, `bash`, `shell`, `zsh` or `console` (where
//!   commands start with `$ ` and the lines after one are its expected output). Synopses with
//!   placeholders belong in `text` blocks.
//! - A command that runs `bosun`, `bosun-webhook` or `cargo run … --bin bosun[-webhook] --` is
//!   **executed** with the built binaries, from a scratch copy of the repository (so relative
//!   paths such as `examples/` work and nothing is written into the checkout). Its exit code must
//!   be 0, or the one given by a trailing `# exit N` comment; in a `console` block its output
//!   (standard output, then standard error) must match the lines shown, where a line `...`
//!   stands for any number of lines and `[..]` for any text within a line.
//! - Commands that need a cluster or run forever are **checked**, not run: `kubectl` and `helm`
//!   lines, `bosun-webhook serve` and `sync`, and any line with a `# needs-cluster` comment. The
//!   subcommands and flags they pass to `bosun`/`bosun-webhook` must exist (per `--help`), local
//!   files given to `kubectl -f/-k` must exist, and a local chart given to `helm` must exist with
//!   every `--set` key in its `values.yaml`.
//! - Other commands (`cargo test`, `git`, `pip`…) are not run; `cargo install --path P` must name
//!   a package directory.

mod support;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use support::{Block, code_blocks, copy_repo, path_with_bins, repo_root, run_limited};

/// Fence languages whose lines are shell commands.
const SHELL_LANGS: &[&str] = &["sh", "bash", "shell", "zsh", "console"];
/// Tools that may appear in an executed line besides Bosun's binaries (always present on a
/// Unix machine). A line using anything else is only checked.
const LOCAL_TOOLS: &[&str] = &[
    "cat", "echo", "printf", "grep", "head", "tail", "wc", "sort", "uniq", "diff", "cmp", "test",
    "[", "ls", "mkdir", "cd", "cp", "mv", "rm", "touch", "true", "false", "sed", "tee", "xargs",
    "export", "find", "tr", "cut",
];
/// `bosun-webhook` subcommands that need a cluster or serve until stopped.
const NOT_RUNNABLE: &[(&str, &str)] = &[("bosun-webhook", "serve"), ("bosun-webhook", "sync")];
/// Longest an executed doc command may take.
const TIME_LIMIT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Extraction

/// One command of a doc, with where it came from.
#[derive(Debug, Clone)]
struct DocCommand {
    /// `file:line`.
    origin: String,
    /// The command with `\`-continuations joined (what is tokenized).
    head: String,
    /// A here-document body following the command line, if any.
    heredoc: Option<String>,
    /// Expected output lines (`console` blocks only; `None` elsewhere).
    output: Option<Vec<String>>,
}

/// The here-document delimiters a command line opens (`<<EOF`, `<<-'EOF'`, `<< "EOF"`).
fn heredoc_delimiters(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("<<") {
        let after = &rest[i + 2..];
        if let Some(stripped) = after.strip_prefix('<') {
            rest = stripped;
            continue;
        }
        let after = after.strip_prefix('-').unwrap_or(after).trim_start();
        let word: String = after
            .chars()
            .take_while(|c| !c.is_whitespace() && !";|&<>()".contains(*c))
            .collect();
        let word = word.trim_matches(|c| c == '\'' || c == '"').to_string();
        if !word.is_empty() {
            out.push(word);
        }
        rest = after;
    }
    out
}

/// The commands of one fenced block of `file` (empty for non-shell blocks).
fn commands_in_block(file: &str, block: &Block) -> Vec<DocCommand> {
    if !SHELL_LANGS.contains(&block.lang.as_str()) {
        return Vec::new();
    }
    let console = block.lang == "console";
    let mut out: Vec<DocCommand> = Vec::new();
    let lines = &block.lines;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        let start = i;
        i += 1;
        let text = if console {
            match line
                .strip_prefix("$ ")
                .or(if line == "$" { Some("") } else { None })
            {
                Some(t) => t,
                None => {
                    if let Some(output) = out.last_mut().and_then(|c| c.output.as_mut()) {
                        output.push(lines[start].clone());
                    }
                    continue;
                }
            }
        } else {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            line.strip_prefix("$ ").unwrap_or(line)
        };
        let mut head = text.to_string();
        while head.trim_end().ends_with('\\') && i < lines.len() {
            let trimmed = head.trim_end();
            head = trimmed[..trimmed.len() - 1].to_string();
            let next = lines[i].trim_start();
            head.push(' ');
            head.push_str(if console {
                next.strip_prefix("> ").unwrap_or(next)
            } else {
                next
            });
            i += 1;
        }
        let mut heredoc = None;
        for delimiter in heredoc_delimiters(&head) {
            let mut body = Vec::new();
            while i < lines.len() {
                let l = &lines[i];
                i += 1;
                if l.trim() == delimiter {
                    break;
                }
                body.push(l.clone());
            }
            body.push(delimiter);
            let joined = heredoc.map_or_else(String::new, |h: String| h + "\n");
            heredoc = Some(joined + &body.join("\n"));
        }
        out.push(DocCommand {
            origin: format!("{file}:{}", block.first_line + start),
            head,
            heredoc,
            output: console.then(Vec::new),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Shell words

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A word after quote removal, with its byte range in the source.
    Word {
        text: String,
        start: usize,
        end: usize,
    },
    /// A control operator or the opening of a substitution: `|`, `&&`, `;`, `(`, `$(`, `<(`…
    Op(String),
    /// A redirection; the next word is its target.
    Redir(String),
}

/// Splits a command line into words, operators and redirections, and returns the trailing
/// comment. Quotes and backslashes are honoured; parameter expansions are left as written.
fn tokenize(src: &str) -> Result<(Vec<Tok>, String), String> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut toks = Vec::new();
    let mut word: Option<(String, usize)> = None;
    let mut comment = String::new();
    let mut i = 0;
    let end_at = |i: usize| chars.get(i).map_or(src.len(), |&(b, _)| b);
    macro_rules! flush {
        ($end:expr) => {
            if let Some((text, start)) = word.take() {
                toks.push(Tok::Word {
                    text,
                    start,
                    end: $end,
                });
            }
        };
    }
    while i < chars.len() {
        let (pos, c) = chars[i];
        let next = chars.get(i + 1).map(|&(_, c)| c);
        match c {
            ' ' | '\t' | '\n' => {
                flush!(pos);
                i += 1;
            }
            '#' if word.is_none() => {
                comment = src[pos + 1..].trim().to_string();
                break;
            }
            '\'' => {
                let w = word.get_or_insert_with(|| (String::new(), pos));
                let close = chars[i + 1..]
                    .iter()
                    .position(|&(_, c)| c == '\'')
                    .ok_or_else(|| format!("unterminated ' quote in `{src}`"))?;
                w.0.extend(chars[i + 1..i + 1 + close].iter().map(|&(_, c)| c));
                i += close + 2;
            }
            '"' => {
                let w = word.get_or_insert_with(|| (String::new(), pos));
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(format!("unterminated \" quote in `{src}`")),
                        Some((_, '"')) => {
                            i += 1;
                            break;
                        }
                        Some((_, '\\'))
                            if chars.get(i + 1).is_some_and(|&(_, c)| "\"\\$`".contains(c)) =>
                        {
                            w.0.push(chars[i + 1].1);
                            i += 2;
                        }
                        Some(&(_, c)) => {
                            w.0.push(c);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                let w = word.get_or_insert_with(|| (String::new(), pos));
                if let Some(n) = next
                    && n != '\n'
                {
                    w.0.push(n);
                }
                i += 2;
            }
            '|' | '&' | ';' | '(' | ')' | '`' => {
                flush!(pos);
                let double = next == Some(c) && c != '(' && c != ')' && c != '`';
                if c == '&' && next == Some('>') {
                    toks.push(Tok::Redir("&>".into()));
                    i += 2;
                    continue;
                }
                let op: String = if double {
                    [c, c].iter().collect()
                } else {
                    c.to_string()
                };
                i += op.len();
                toks.push(Tok::Op(op));
            }
            '$' if next == Some('(') => {
                flush!(pos);
                toks.push(Tok::Op("$(".into()));
                i += 2;
            }
            '<' | '>' => {
                if next == Some('(') {
                    flush!(pos);
                    toks.push(Tok::Op(format!("{c}(")));
                    i += 2;
                    continue;
                }
                // A word made only of digits just before is a file descriptor (`2>`).
                let fd = match &word {
                    Some((w, _)) if !w.is_empty() && w.chars().all(|d| d.is_ascii_digit()) => {
                        word.take().map(|(w, _)| w).unwrap_or_default()
                    }
                    _ => {
                        flush!(pos);
                        String::new()
                    }
                };
                let mut op = format!("{fd}{c}");
                i += 1;
                while let Some(&(_, n)) = chars.get(i) {
                    if n == c || (n == '&') || (c == '<' && n == '-' && op.ends_with("<<")) {
                        op.push(n);
                        i += 1;
                    } else {
                        break;
                    }
                }
                toks.push(Tok::Redir(op));
            }
            _ => {
                let w = word.get_or_insert_with(|| (String::new(), pos));
                w.0.push(c);
                i += 1;
            }
        }
    }
    flush!(end_at(chars.len()));
    Ok((toks, comment))
}

/// A word of a simple command.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    start: usize,
    end: usize,
}

/// The simple commands of a tokenized line (split at every operator), without redirections.
fn segments(toks: &[Tok]) -> Vec<Vec<Word>> {
    let mut out = vec![Vec::new()];
    let mut skip_next = false;
    for t in toks {
        match t {
            Tok::Op(_) => out.push(Vec::new()),
            Tok::Redir(_) => skip_next = true,
            Tok::Word { text, start, end } => {
                if std::mem::take(&mut skip_next) {
                    continue;
                }
                if let Some(last) = out.last_mut() {
                    last.push(Word {
                        text: text.clone(),
                        start: *start,
                        end: *end,
                    });
                }
            }
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The index of the command word: after `NAME=value` assignments and wrappers such as `env`.
fn command_index(seg: &[Word]) -> Option<usize> {
    seg.iter().position(|w| {
        let assignment = w.text.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        !assignment
            && !["env", "sudo", "time", "command", "exec", "nohup"].contains(&w.text.as_str())
    })
}

/// `bosun` or `bosun-webhook` when `word` names one of them (possibly by a path).
fn bosun_binary(word: &str) -> Option<&'static str> {
    match word.rsplit('/').next() {
        Some("bosun") => Some("bosun"),
        Some("bosun-webhook") => Some("bosun-webhook"),
        _ => None,
    }
}

/// What a simple command is.
#[derive(Debug)]
enum Segment {
    /// Runs one of Bosun's binaries. `rewrite` is the byte range to replace by the binary's name
    /// (a `cargo run … --` prefix or a path such as `target/release/bosun`).
    Bosun {
        bin: &'static str,
        args: Vec<String>,
        rewrite: Option<(usize, usize)>,
    },
    Kubectl(Vec<String>),
    Helm(Vec<String>),
    /// `cargo` other than `cargo run` of a Bosun binary.
    Cargo(Vec<String>),
    /// A tool from [`LOCAL_TOOLS`].
    Local,
    /// Anything else: the line is not run. Bosun binaries named among its arguments (`kubectl
    /// exec … -- bosun-webhook …`, `docker run IMAGE bosun …`) are still checked.
    Other(Vec<String>),
}

fn classify(seg: &[Word]) -> Result<Segment, String> {
    let Some(ci) = command_index(seg) else {
        return Ok(Segment::Local);
    };
    let words: Vec<String> = seg[ci..].iter().map(|w| w.text.clone()).collect();
    let name = words[0].as_str();
    if let Some(bin) = bosun_binary(name) {
        let rewrite = (name != bin).then_some((seg[ci].start, seg[ci].end));
        return Ok(Segment::Bosun {
            bin,
            args: words[1..].to_vec(),
            rewrite,
        });
    }
    match name {
        "cargo" if words.get(1).map(String::as_str) == Some("run") => {
            cargo_run(&seg[ci..]).map(|(bin, args, end)| Segment::Bosun {
                bin,
                args,
                rewrite: Some((seg[ci].start, end)),
            })
        }
        "cargo" => Ok(Segment::Cargo(words[1..].to_vec())),
        "kubectl" => Ok(Segment::Kubectl(words[1..].to_vec())),
        "helm" => Ok(Segment::Helm(words[1..].to_vec())),
        _ if LOCAL_TOOLS.contains(&name) => Ok(Segment::Local),
        _ => Ok(Segment::Other(words)),
    }
}

/// Reads `cargo run [OPTIONS] [-- ARGS]`: the binary it runs, its arguments, and the end of the
/// `cargo run … --` prefix.
fn cargo_run(seg: &[Word]) -> Result<(&'static str, Vec<String>, usize), String> {
    let mut bin = None;
    let mut package = None;
    let mut i = 2;
    let mut end = seg[1].end;
    while i < seg.len() {
        let w = seg[i].text.as_str();
        end = seg[i].end;
        i += 1;
        let value = |i: usize| seg.get(i).map(|w| w.text.clone());
        match w {
            "--" => break,
            "--bin" => {
                bin = value(i);
                end = seg.get(i).map_or(end, |w| w.end);
                i += 1;
            }
            "-p" | "--package" => {
                package = value(i);
                end = seg.get(i).map_or(end, |w| w.end);
                i += 1;
            }
            _ if w.starts_with("--bin=") => bin = Some(w["--bin=".len()..].to_string()),
            _ if w.starts_with("--package=") => {
                package = Some(w["--package=".len()..].to_string());
            }
            _ if w.starts_with('-') => {}
            _ => {
                i -= 1;
                end = seg[i - 1].end;
                break;
            }
        }
    }
    let bin = match (bin.as_deref(), package.as_deref()) {
        (Some(b), _) => bosun_binary(b),
        (None, Some("compiler")) => Some("bosun"),
        (None, Some("webhook")) => Some("bosun-webhook"),
        _ => None,
    }
    .ok_or_else(|| "`cargo run` without `--bin bosun` or `--bin bosun-webhook`".to_string())?;
    let args = seg[i..].iter().map(|w| w.text.clone()).collect();
    Ok((bin, args, end))
}

// ---------------------------------------------------------------------------------------------
// Checking against `--help`

/// Runs the binaries' `--help` (cached) to check subcommands and flags without running them.
#[derive(Default)]
struct HelpCache {
    cache: HashMap<(String, Vec<String>), Result<String, String>>,
}

impl HelpCache {
    fn help(&mut self, bin: &'static str, path: &[String]) -> Result<String, String> {
        let key = (bin.to_string(), path.to_vec());
        if let Some(found) = self.cache.get(&key) {
            return found.clone();
        }
        let mut cmd = Command::new(support::bin(bin));
        cmd.args(path).arg("--help").env("NO_COLOR", "1");
        let result = match run_limited(&mut cmd, TIME_LIMIT) {
            Ok(o) if o.code() == 0 => Ok(o.stdout),
            Ok(o) => Err(o.stderr.lines().next().unwrap_or("").to_string()),
            Err(e) => Err(e),
        };
        self.cache.insert(key, result.clone());
        result
    }
}

/// The subcommands listed under `Commands:` in a clap help text.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("        "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Whether `flag` (`--name` or `-x`) is documented in `help`, and if so whether it takes a
/// value (`--name <VALUE>`).
fn flag_in_help(help: &str, flag: &str) -> Option<bool> {
    for line in help.lines() {
        let mut rest = line;
        while let Some(i) = rest.find(flag) {
            let before = rest[..i].chars().last();
            let after = &rest[i + flag.len()..];
            let boundary_before = before.is_none_or(|c| c == ' ' || c == ',' || c == '[');
            let boundary_after = after
                .chars()
                .next()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
            if boundary_before && boundary_after {
                // `-n, --namespace <NAMESPACE>`: look past the long spelling.
                let mut tail = after.trim_start_matches(',').trim_start();
                if flag.len() == 2 && tail.starts_with("--") {
                    tail = tail.split_once(' ').map_or("", |(_, t)| t);
                }
                let tail = tail.trim_start_matches([' ', '=', '[']);
                return Some(tail.starts_with('<'));
            }
            rest = &rest[i + flag.len()..];
        }
    }
    None
}

/// Checks that `bin args…` names existing subcommands and flags, and returns the subcommand
/// path (e.g. `["lint"]`).
fn check_invocation(
    helps: &mut HelpCache,
    bin: &'static str,
    args: &[String],
) -> Result<Vec<String>, String> {
    let mut path: Vec<String> = Vec::new();
    let mut help = helps.help(bin, &path)?;
    let mut descending = true;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            break;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            let name = arg.split_once('=').map_or(arg.as_str(), |(n, _)| n);
            let names: Vec<String> = if name.starts_with("--") {
                vec![name.to_string()]
            } else {
                name.chars().skip(1).map(|c| format!("-{c}")).collect()
            };
            for n in &names {
                let shown = if path.is_empty() {
                    bin.to_string()
                } else {
                    format!("{bin} {}", path.join(" "))
                };
                match flag_in_help(&help, n) {
                    None => return Err(format!("`{shown}` has no flag `{n}`")),
                    Some(true) if !arg.contains('=') && names.len() == 1 => i += 1,
                    Some(_) => {}
                }
            }
            continue;
        }
        if descending {
            let subs = subcommands(&help);
            if subs.iter().any(|s| s == arg) {
                path.push(arg.clone());
                help = helps.help(bin, &path)?;
                continue;
            }
            if !subs.is_empty() {
                let shown = std::iter::once(bin.to_string())
                    .chain(path.iter().cloned())
                    .collect::<Vec<_>>()
                    .join(" ");
                let available: Vec<&str> = subs
                    .iter()
                    .map(String::as_str)
                    .filter(|s| *s != "help")
                    .collect();
                return Err(format!(
                    "`{shown}` has no subcommand `{arg}` (it has: {})",
                    available.join(", ")
                ));
            }
            descending = false;
        }
    }
    Ok(path)
}

// ---------------------------------------------------------------------------------------------
// Cluster commands

/// `kubectl -f/-k PATH`: local paths must exist.
fn check_kubectl(root: &Path, args: &[String]) -> Result<(), String> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let value = match a.as_str() {
            "-f" | "--filename" | "-k" | "--kustomize" => args.get(i).cloned(),
            _ => ["--filename=", "--kustomize=", "-f=", "-k="]
                .iter()
                .find_map(|p| a.strip_prefix(p).map(str::to_string)),
        };
        if let Some(v) = value {
            let remote = v == "-" || v.contains("://") || v.contains('$') || v.starts_with('/');
            if !remote && !root.join(&v).exists() {
                return Err(format!(
                    "`kubectl {a} {v}`: `{v}` does not exist in the repository"
                ));
            }
        }
    }
    Ok(())
}

/// Flags of `helm install/upgrade/template` that take a value.
const HELM_VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-f",
    "--values",
    "--set",
    "--set-string",
    "--set-file",
    "--set-json",
    "--version",
    "--repo",
    "--timeout",
    "-o",
    "--output",
    "--kube-context",
    "--kubeconfig",
    "--post-renderer",
    "--description",
    "--name-template",
    "--username",
    "--password",
    "--ca-file",
    "--cert-file",
    "--key-file",
    "--output-dir",
    "--api-versions",
    "-a",
    "--kube-version",
    "--history-max",
];

/// `helm install|upgrade|template|lint … CHART --set k=v`: a local chart must exist and every
/// `--set` key must be in its `values.yaml` (or under an empty mapping there).
fn check_helm(root: &Path, args: &[String]) -> Result<(), String> {
    let Some(sub) = args.first() else {
        return Ok(());
    };
    if !["install", "upgrade", "template", "lint"].contains(&sub.as_str()) {
        return Ok(());
    }
    let mut positional = Vec::new();
    let mut sets = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if let Some((flag, v)) = a.split_once('=').filter(|(f, _)| f.starts_with('-')) {
            if flag == "--set" || flag == "--set-string" {
                sets.push(v.to_string());
            }
        } else if HELM_VALUE_FLAGS.contains(&a.as_str()) {
            if a == "--set" || a == "--set-string" {
                sets.extend(args.get(i).cloned());
            }
            i += 1;
        } else if !a.starts_with('-') {
            positional.push(a.clone());
        }
    }
    let chart = match (sub.as_str(), positional.as_slice()) {
        ("lint", [c, ..]) => c,
        ("template" | "install", [c]) => c,
        (_, [_, c, ..]) => c,
        _ => return Ok(()),
    };
    let first = chart.split('/').next().unwrap_or("");
    let local = chart.starts_with('.') || (!first.is_empty() && root.join(first).is_dir());
    if !local {
        return Ok(());
    }
    let dir = root.join(chart);
    if !dir.join("Chart.yaml").is_file() {
        return Err(format!("`helm {sub}`: `{chart}` has no Chart.yaml"));
    }
    let values_text = std::fs::read_to_string(dir.join("values.yaml")).unwrap_or_default();
    let values = support::yaml_documents(&values_text)
        .map_err(|e| format!("{chart}/values.yaml: {e}"))?
        .into_iter()
        .next()
        .unwrap_or_default();
    for set in sets {
        for assignment in split_unescaped(&set, ',') {
            let key = assignment
                .split_once('=')
                .map_or(assignment.as_str(), |(k, _)| k);
            check_values_key(&values, key).map_err(|e| format!("`--set {assignment}`: {e}"))?;
        }
    }
    Ok(())
}

fn split_unescaped(s: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in s.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            _ if c == sep && !escaped => out.push(String::new()),
            _ => {
                if escaped
                    && c != sep
                    && let Some(last) = out.last_mut()
                {
                    last.push('\\');
                }
                escaped = false;
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

fn check_values_key(values: &serde_json::Value, key: &str) -> Result<(), String> {
    let mut node = values;
    let mut walked = Vec::new();
    for part in split_unescaped(key, '.') {
        let name = part.split('[').next().unwrap_or("");
        match node {
            serde_json::Value::Object(map) if map.is_empty() => return Ok(()),
            serde_json::Value::Object(map) => match map.get(name) {
                Some(child) => node = child,
                None => {
                    let at = if walked.is_empty() {
                        "the top level".to_string()
                    } else {
                        format!("`{}`", walked.join("."))
                    };
                    return Err(format!("values.yaml has no `{name}` under {at}"));
                }
            },
            _ => return Ok(()),
        }
        walked.push(name.to_string());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Running

/// Where doc commands run: a scratch copy of the repository, one per Markdown file, in which
/// that file's commands run in order (as a reader would run them).
struct Runner {
    root: PathBuf,
    helps: HelpCache,
    sandboxes: HashMap<String, tempfile::TempDir>,
    stats: Stats,
}

#[derive(Debug, Default)]
struct Stats {
    executed: usize,
    outputs_compared: usize,
    checked: usize,
    ignored: usize,
}

/// The expected exit code: `N` from `exit N` in the line's comment, else 0.
fn expected_exit(comment: &str) -> i32 {
    let words: Vec<&str> = comment.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| w[0].trim_end_matches(':') == "exit")
        .find_map(|w| w[1].trim_end_matches([',', ';', ')', '.']).parse().ok())
        .unwrap_or(0)
}

/// Whether `actual` matches `expected`, where an expected line `...` matches any number of
/// lines and `[..]` within a line matches any text.
fn lines_match(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e.trim() == "..." => {
            (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..]))
        }
        Some((e, rest)) => actual
            .split_first()
            .is_some_and(|(a, arest)| line_matches(e, a) && lines_match(rest, arest)),
    }
}

fn line_matches(expected: &str, actual: &str) -> bool {
    let parts: Vec<&str> = expected.trim_end().split("[..]").collect();
    let actual = actual.trim_end();
    let [first, middle @ .., last] = parts.as_slice() else {
        return expected.trim_end() == actual;
    };
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Trims trailing blank lines.
fn trimmed(lines: &[String]) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().map(|l| l.trim_end().to_string()).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

impl Runner {
    fn new(root: PathBuf) -> Runner {
        Runner {
            root,
            helps: HelpCache::default(),
            sandboxes: HashMap::new(),
            stats: Stats::default(),
        }
    }

    /// Checks one doc command; `Err` says what is wrong.
    fn check(&mut self, file: &str, cmd: &DocCommand) -> Result<(), String> {
        let (toks, comment) = tokenize(&cmd.head)?;
        let expected = expected_exit(&comment);
        let needs_cluster = comment.contains("needs-cluster");
        let segs: Vec<(Vec<Word>, Segment)> = segments(&toks)
            .into_iter()
            .map(|s| classify(&s).map(|c| (s, c)))
            .collect::<Result<_, _>>()?;
        let bosun_count = segs
            .iter()
            .filter(|(_, s)| matches!(s, Segment::Bosun { .. }))
            .count();
        let cluster = segs
            .iter()
            .any(|(_, s)| matches!(s, Segment::Kubectl(_) | Segment::Helm(_)));

        // Cargo commands other than `cargo run`: `cargo install --path P` names a package.
        for (_, s) in &segs {
            if let Segment::Cargo(args) = s
                && args.first().map(String::as_str) == Some("install")
                && let Some(p) = args.iter().position(|a| a == "--path")
            {
                let dir = args.get(p + 1).map(|d| self.root.join(d));
                if !dir.is_some_and(|d| d.join("Cargo.toml").is_file()) {
                    return Err(format!("`cargo {}` names no package", args.join(" ")));
                }
            }
        }
        if bosun_count == 0 && !cluster {
            // Still check Bosun binaries named inside other tools' arguments.
            for (_, s) in &segs {
                if let Segment::Other(words) = s {
                    self.check_embedded(words)?;
                }
            }
            self.stats.ignored += 1;
            return Ok(());
        }

        let mut runnable = !needs_cluster && !cluster;
        for (_, s) in &segs {
            match s {
                Segment::Bosun { bin, args, .. } => {
                    let path = check_invocation(&mut self.helps, bin, args)?;
                    if path
                        .first()
                        .is_some_and(|p| NOT_RUNNABLE.contains(&(*bin, p.as_str())))
                    {
                        runnable = false;
                    }
                }
                Segment::Kubectl(args) => {
                    check_kubectl(&self.root, args)?;
                    self.check_embedded(args)?;
                }
                Segment::Helm(args) => check_helm(&self.root, args)?,
                Segment::Other(words) => {
                    self.check_embedded(words)?;
                    runnable = false;
                }
                Segment::Cargo(_) => runnable = false,
                Segment::Local => {}
            }
        }
        if !runnable {
            self.stats.checked += 1;
            return Ok(());
        }
        self.execute(file, cmd, &segs, expected)
    }

    /// Checks `bosun …`/`bosun-webhook …` appearing among another command's words.
    fn check_embedded(&mut self, words: &[String]) -> Result<(), String> {
        for (i, w) in words.iter().enumerate().skip(1) {
            // `bosun-webhook` or a path to it, but not `deploy/bosun-webhook` (a kubectl name).
            let path_like = w.starts_with('/') || w.starts_with("./") || !w.contains('/');
            if let Some(bin) = bosun_binary(w).filter(|_| path_like) {
                check_invocation(&mut self.helps, bin, &words[i + 1..])?;
                break;
            }
        }
        Ok(())
    }

    fn sandbox(&mut self, file: &str) -> PathBuf {
        self.sandboxes
            .entry(file.to_string())
            .or_insert_with(|| {
                let dir = tempfile::tempdir().expect("temp dir");
                copy_repo(&self.root, dir.path());
                std::fs::create_dir_all(dir.path().join(".home")).expect("home dir");
                dir
            })
            .path()
            .to_path_buf()
    }

    fn execute(
        &mut self,
        file: &str,
        cmd: &DocCommand,
        segs: &[(Vec<Word>, Segment)],
        expected: i32,
    ) -> Result<(), String> {
        // Absolute paths would escape the scratch copy.
        for (words, _) in segs {
            if let Some(w) = words.iter().find(|w| {
                w.text.starts_with('/')
                    && !w.text.starts_with("/dev/")
                    && !w.text.starts_with("/tmp/")
            }) {
                return Err(format!(
                    "`{}` is an absolute path; doc commands use paths relative to the repository root",
                    w.text
                ));
            }
        }
        let mut script = cmd.head.clone();
        let mut rewrites: Vec<(usize, usize, &str)> = segs
            .iter()
            .filter_map(|(_, s)| match s {
                Segment::Bosun {
                    bin,
                    rewrite: Some((a, b)),
                    ..
                } => Some((*a, *b, *bin)),
                _ => None,
            })
            .collect();
        rewrites.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (a, b, bin) in rewrites {
            script.replace_range(a..b, bin);
        }
        if let Some(body) = &cmd.heredoc {
            script.push('\n');
            script.push_str(body);
        }
        let dir = self.sandbox(file);
        let shell = if Path::new("/bin/bash").exists() {
            "/bin/bash"
        } else {
            "/bin/sh"
        };
        let mut command = Command::new(shell);
        command
            .arg("-c")
            .arg(&script)
            .current_dir(&dir)
            .env("PATH", path_with_bins())
            .env("HOME", dir.join(".home"))
            .env("NO_COLOR", "1")
            .env_remove("KUBECONFIG");
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("BOSUN_") {
                command.env_remove(k);
            }
        }
        let out = run_limited(&mut command, TIME_LIMIT)?;
        self.stats.executed += 1;
        let excerpt = |s: &str| -> String {
            let lines: Vec<&str> = s.lines().take(12).collect();
            lines.join("\n    ")
        };
        if out.code() != expected {
            let hint = if expected == 0 {
                format!(
                    " (if that is intended, end the line with `# exit {}`)",
                    out.code()
                )
            } else {
                String::new()
            };
            return Err(format!(
                "`{script}` exited {}, the doc says {expected}{hint}\n    stderr: {}",
                out.code(),
                excerpt(&out.stderr)
            ));
        }
        if let Some(expected_lines) = cmd.output.as_ref().filter(|o| !trimmed(o).is_empty()) {
            let actual: Vec<String> = out
                .stdout
                .lines()
                .chain(out.stderr.lines())
                .map(str::to_string)
                .collect();
            let (want, got) = (trimmed(expected_lines), trimmed(&actual));
            if !lines_match(&want, &got) {
                let mut diff = String::new();
                for (i, line) in got.iter().enumerate().take(200) {
                    let _ = writeln!(diff, "    {:>3} | {line}", i + 1);
                }
                return Err(format!(
                    "the output of `{script}` differs from the doc (`...` = any lines, `[..]` = any text); it printed:\n{diff}"
                ));
            }
            self.stats.outputs_compared += 1;
        }
        Ok(())
    }
}

/// The Markdown files whose commands are checked: `*.md` at the root and under `docs/`.
fn doc_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.join("docs")];
    if let Ok(entries) = std::fs::read_dir(root) {
        files.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md")),
        );
    }
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Checks every command of a Markdown text; returns the failures as `origin: message`.
fn check_markdown(runner: &mut Runner, file: &str, text: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for block in code_blocks(text) {
        for cmd in commands_in_block(file, &block) {
            if let Err(e) = runner.check(file, &cmd) {
                failures.push(format!("{}: {e}", cmd.origin));
            }
        }
    }
    failures
}

#[test]
fn every_command_in_the_docs_runs_as_documented() {
    let root = repo_root();
    let mut runner = Runner::new(root.clone());
    let mut failures = Vec::new();
    for path in doc_files(&root) {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("doc is readable");
        failures.extend(check_markdown(&mut runner, &rel, &text));
    }
    println!("doc commands: {:?}", runner.stats);
    assert!(
        failures.is_empty(),
        "{} doc command(s) do not do what the docs say (conventions: CONTRIBUTING.md, \"Commands in the docs\"):\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The README's own commands and its sample output are among them.
    assert!(runner.stats.executed >= 8, "{:?}", runner.stats);
    assert!(runner.stats.outputs_compared >= 1, "{:?}", runner.stats);
}

#[test]
fn the_readme_sample_output_is_a_real_run() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let sample = code_blocks(&readme)
        .into_iter()
        .flat_map(|b| commands_in_block("README.md", &b))
        .find(|c| c.head.contains("lint examples/invalid/") && c.output.is_some())
        .expect("README.md shows `bosun lint examples/invalid/` in a console block");
    let shown = trimmed(sample.output.as_deref().unwrap_or_default());
    // A real excerpt, not only wildcards: at least three diagnostics with their source lines.
    let headers = shown
        .iter()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .count();
    assert!(headers >= 3, "{shown:#?}");
    assert!(
        shown.iter().any(|l| l.starts_with("Checked ")),
        "{shown:#?}"
    );
    let mut runner = Runner::new(repo_root());
    runner
        .check("README.md", &sample)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(runner.stats.outputs_compared, 1);
}

/// The checker itself: each kind of mistake a doc can make is reported, with a message that
/// says what is wrong, and correct commands pass.
#[test]
fn broken_doc_commands_are_reported() {
    let root = tempfile::tempdir().expect("temp dir");
    copy_repo(&repo_root(), root.path());
    let chart = root.path().join("chart");
    std::fs::create_dir_all(&chart).expect("chart dir");
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: bosun\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    std::fs::write(
        chart.join("values.yaml"),
        "replicaCount: 2\nwebhook:\n  failurePolicy: Fail\npodAnnotations: {}\n",
    )
    .expect("values.yaml");
    let doc = r#"
```sh
bosun lint examples/workflow-sample-steps.yaml
bosun lint examples/invalid/   # exit 1
bosun frobnicate examples/
bosun lint examples/invalid/
bosun lint --no-such-flag examples/
cargo run -q --bin bosun -- rules --format json | head -n 3
cargo run -q -p webhook --bin bosun-webhook -- crds
bosun-webhook serve --tls-cert tls.crt --tls-key tls.key --no-such-flag
bosun-webhook serve --tls-cert tls.crt --tls-key tls.key
kubectl -n argo exec deploy/x -- bosun-webhook sync --bogus
kubectl apply -f deploy/missing.yaml
helm install bosun chart/ --set webhook.failurePolicy=Ignore --set podAnnotations.a=b
helm install bosun chart/ --set webhook.timeout=3
helm install bosun ./missing-chart
cargo install --path nowhere
bosun lint 'examples/invalid/   # exit 1
bosun lint /etc/passwd
```

```console
$ bosun lint examples/invalid/   # exit 1
error[AW104]: `forbid` is not a valid value for `spec.concurrencyPolicy`
...
Checked 1 file, 1 document (1 Argo object) in [..] ms: 6 errors, 1 warning
$ bosun explain AW101
this is not what it prints
```
"#;
    let mut runner = Runner::new(root.path().to_path_buf());
    let failures = check_markdown(&mut runner, "doc.md", doc);
    let expect = [
        (
            "doc.md:5:",
            "`bosun` has no subcommand `frobnicate` (it has: lint",
        ),
        (
            "doc.md:6:",
            "exited 1, the doc says 0 (if that is intended, end the line with `# exit 1`)",
        ),
        ("doc.md:7:", "`bosun lint` has no flag `--no-such-flag`"),
        (
            "doc.md:10:",
            "`bosun-webhook serve` has no flag `--no-such-flag`",
        ),
        ("doc.md:12:", "`bosun-webhook sync` has no flag `--bogus`"),
        (
            "doc.md:13:",
            "`deploy/missing.yaml` does not exist in the repository",
        ),
        (
            "doc.md:15:",
            "`--set webhook.timeout=3`: values.yaml has no `timeout` under `webhook`",
        ),
        ("doc.md:16:", "`./missing-chart` has no Chart.yaml"),
        (
            "doc.md:17:",
            "`cargo install --path nowhere` names no package",
        ),
        ("doc.md:18:", "unterminated ' quote"),
        ("doc.md:19:", "`/etc/passwd` is an absolute path"),
        (
            "doc.md:27:",
            "the output of `bosun explain AW101` differs from the doc",
        ),
    ];
    for (origin, message) in expect {
        assert!(
            failures
                .iter()
                .any(|f| f.starts_with(origin) && f.contains(message)),
            "expected `{origin} … {message}` among:\n{}",
            failures.join("\n")
        );
    }
    assert_eq!(failures.len(), expect.len(), "{}", failures.join("\n"));
    // Lines 3, 4, 8, 9, 11, 14 and the console transcript (line 23) ran or were checked cleanly.
    assert_eq!(runner.stats.outputs_compared, 1, "{:?}", runner.stats);
    assert!(runner.stats.executed >= 6, "{:?}", runner.stats);
    assert!(runner.stats.checked >= 2, "{:?}", runner.stats);
}

#[test]
fn shell_lines_are_split_into_commands() {
    let (toks, comment) = tokenize(
        r#"NO_COLOR=1 cargo run -q --bin bosun -- lint "a b" 'c' 2>&1 | grep -c x # exit 1"#,
    )
    .expect("tokenizes");
    assert_eq!(comment, "exit 1");
    assert_eq!(expected_exit(&comment), 1);
    assert_eq!(expected_exit("on exit the summary is printed"), 0);
    let segs = segments(&toks);
    assert_eq!(segs.len(), 2);
    let words: Vec<&str> = segs[0].iter().map(|w| w.text.as_str()).collect();
    assert_eq!(
        words,
        [
            "NO_COLOR=1",
            "cargo",
            "run",
            "-q",
            "--bin",
            "bosun",
            "--",
            "lint",
            "a b",
            "c"
        ]
    );
    match classify(&segs[0]).expect("classifies") {
        Segment::Bosun { bin, args, rewrite } => {
            assert_eq!(bin, "bosun");
            assert_eq!(args, ["lint", "a b", "c"]);
            let (a, b) = rewrite.expect("cargo run is rewritten");
            let src = r#"NO_COLOR=1 cargo run -q --bin bosun -- lint"#;
            assert_eq!(&src[a..b], "cargo run -q --bin bosun --");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(classify(&segs[1]), Ok(Segment::Local)));
    // Substitutions split commands; a `#` inside a word is not a comment.
    let (toks, comment) =
        tokenize("kubectl apply -f <(bosun-webhook manifests -n x#y)").expect("ok");
    assert_eq!(comment, "");
    let segs = segments(&toks);
    assert_eq!(segs.len(), 2);
    assert_eq!(segs[1][3].text, "x#y");
    assert_eq!(heredoc_delimiters("bosun lint - <<'EOF' # x"), ["EOF"]);
    assert!(heredoc_delimiters("echo a <<< b").is_empty());
}

#[test]
fn output_patterns_match_lines_and_text() {
    let v = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    let actual = v(&["a", "b", "c", "took 12 ms: 2 errors"]);
    assert!(lines_match(
        &v(&["a", "...", "took [..] ms: 2 errors"]),
        &actual
    ));
    assert!(lines_match(&v(&["...", "c", "..."]), &actual));
    assert!(!lines_match(&v(&["a", "c", "..."]), &actual));
    assert!(!lines_match(
        &v(&["a", "...", "took [..] ms: 3 errors"]),
        &actual
    ));
    assert!(line_matches("[..]x[..]", "x"));
    assert!(!line_matches("ab[..]ba", "aba"));
}

#[test]
fn console_blocks_attach_output_and_continuations() {
    let md = "```console\n$ bosun lint \\\n>   examples/   # exit 1\nout 1\n\n$ bosun rules\n```\n\n```sh\n# comment\nbosun lint - <<EOF\nkind: Workflow\nEOF\nbosun rules\n```\n";
    let blocks = code_blocks(md);
    let cmds: Vec<DocCommand> = blocks
        .iter()
        .flat_map(|b| commands_in_block("x.md", b))
        .collect();
    assert_eq!(cmds.len(), 4);
    assert_eq!(cmds[0].head, "bosun lint    examples/   # exit 1");
    assert_eq!(cmds[0].origin, "x.md:2");
    assert_eq!(
        trimmed(cmds[0].output.as_deref().unwrap_or_default()),
        ["out 1"]
    );
    assert_eq!(cmds[2].heredoc.as_deref(), Some("kind: Workflow\nEOF"));
    assert_eq!(cmds[3].head, "bosun rules");
    assert_eq!(cmds[3].origin, "x.md:14");
}
