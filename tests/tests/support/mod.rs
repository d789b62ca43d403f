//! Helpers shared by the documentation and integration tests: the repository root, the built
//! `bosun` and `bosun-webhook` binaries, running a process under a time limit, and reading
//! fenced code blocks out of Markdown.
//!
//! Each test binary uses a different subset, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

/// The repository root (the workspace directory).
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().expect("tests/ has a parent").to_path_buf()
}

/// The package that builds each binary, for the rebuild fallback and error messages.
fn package_of(bin: &str) -> &'static str {
    match bin {
        "bosun" => "compiler",
        "bosun-webhook" => "webhook",
        other => panic!("no package builds `{other}`"),
    }
}

/// The newest modification time among the files under `dir` (recursively).
fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if let Ok(m) = meta.modified() {
                newest = newest.max(Some(m));
            }
        }
    }
    newest
}

/// The path of a workspace binary (`bosun` or `bosun-webhook`) built in the same profile as this
/// test. `cargo test --workspace` builds both before running any test (their packages have
/// integration tests); when a binary is missing or older than its package's sources (e.g. only
/// `cargo test -p bosun-tests` was run after an edit), it is rebuilt with cargo first.
pub fn bin(name: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let built = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
    let mut built = built.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = built.get(name) {
        return path.clone();
    }
    // This test runs from <target>/<profile>/deps/<test>-<hash>.
    let exe = std::env::current_exe().expect("the test binary has a path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in <target>/<profile>/deps");
    let path = profile_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let package = package_of(name);
    // Both binaries link the compiler library.
    let sources = ["compiler", package]
        .iter()
        .filter_map(|p| newest_mtime(&repo_root().join(p).join("src")))
        .max();
    let fresh = match std::fs::metadata(&path).and_then(|m| m.modified()) {
        Ok(built_at) => sources.is_none_or(|s| built_at >= s),
        Err(_) => false,
    };
    if !fresh {
        let target_dir = profile_dir.parent().expect("<target>/<profile>");
        let profile = profile_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("debug");
        let profile = if profile == "debug" { "dev" } else { profile };
        eprintln!("building {name} (missing or older than {package}/src)");
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--profile", profile, "-p", package])
            .args(["--bin", name, "--target-dir"])
            .arg(target_dir)
            .current_dir(repo_root())
            .status()
            .expect("cargo runs");
        assert!(
            status.success() && path.is_file(),
            "could not build {name}: run `cargo build -p {package} --bin {name}` and retry"
        );
    }
    built.insert(name.to_string(), path.clone());
    path
}

/// A directory holding `bosun` and `bosun-webhook` (symlinks to the built binaries), to put
/// first on `PATH` so that commands written as `bosun lint …` run the binaries under test. It is
/// `<target>/<profile>/bosun-tests-bin/`, so nothing is left behind in the temp directory.
pub fn bin_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let bosun = bin("bosun");
        let dir = bosun
            .parent()
            .expect("the binary is in a directory")
            .join("bosun-tests-bin");
        std::fs::create_dir_all(&dir).expect("create the binaries' directory");
        for name in ["bosun", "bosun-webhook"] {
            // Replace atomically: another test process may be using the link.
            let tmp = dir.join(format!("{name}.{}", std::process::id()));
            let _ = std::fs::remove_file(&tmp);
            std::os::unix::fs::symlink(bin(name), &tmp).expect("symlink the binary");
            std::fs::rename(&tmp, dir.join(name)).expect("install the symlink");
        }
        dir
    })
    .clone()
}

/// `PATH` with [`bin_dir`] first.
pub fn path_with_bins() -> std::ffi::OsString {
    let mut paths = vec![bin_dir()];
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths).expect("PATH entries have no separator")
}

/// What a process printed and how it ended.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The exit code (`-1` when killed by a signal).
    pub fn code(&self) -> i32 {
        self.status.code().unwrap_or(-1)
    }
}

/// Runs `cmd` with standard input closed, killing it after `limit`. `Err` describes a process
/// that could not start or ran out of time.
pub fn run_limited(cmd: &mut Command, limit: Duration) -> Result<Output, String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped")));
    let err = drain(Box::new(child.stderr.take().expect("piped")));
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{cmd:?} did not finish within {limit:?}"));
            }
            Err(e) => return Err(format!("waiting for {cmd:?}: {e}")),
        }
    };
    Ok(Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

/// Runs the built `bosun` with `args` in the repository root.
pub fn bosun(args: &[&str]) -> Output {
    let mut cmd = Command::new(bin("bosun"));
    cmd.args(args).current_dir(repo_root()).env("NO_COLOR", "1");
    run_limited(&mut cmd, Duration::from_secs(120)).unwrap_or_else(|e| panic!("{e}"))
}

/// A fenced code block of a Markdown file.
#[derive(Clone, Debug)]
pub struct Block {
    /// The first word of the info string (`sh`, `yaml`, …), lower-cased; empty when absent.
    pub lang: String,
    /// The name given by a `<!-- snippet: NAME -->` comment on the line before the fence.
    pub snippet: Option<String>,
    /// 1-based line number of the first content line.
    pub first_line: usize,
    /// The content lines, with the fence's indentation removed.
    pub lines: Vec<String>,
}

impl Block {
    pub fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }
}

/// The fenced code blocks (``` or ~~~) of a Markdown text, in order. An unclosed fence runs to
/// the end of the text, as CommonMark says.
pub fn code_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut previous: Option<&str> = None;
    let mut lines = markdown.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let fence_char = trimmed.chars().next();
        let fence_len = match fence_char {
            Some(c @ ('`' | '~')) => trimmed.chars().take_while(|&x| x == c).count(),
            _ => 0,
        };
        if fence_len < 3 {
            previous = Some(line);
            continue;
        }
        let fence = &trimmed[..fence_len];
        let info = trimmed[fence_len..].trim();
        let lang = info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let snippet = previous.and_then(|p| {
            let p = p.trim();
            let name = p.strip_prefix("<!--")?.strip_suffix("-->")?.trim();
            Some(name.strip_prefix("snippet:")?.trim().to_string())
        });
        let mut content = Vec::new();
        for (_, inner) in lines.by_ref() {
            let t = inner.trim_start();
            if t.starts_with(fence)
                && t.trim_start_matches(fence_char.unwrap_or('`'))
                    .trim()
                    .is_empty()
            {
                break;
            }
            let strip = inner.len() - t.len();
            content.push(inner[strip.min(indent)..].to_string());
        }
        blocks.push(Block {
            lang,
            snippet,
            first_line: i + 2,
            lines: content,
        });
        previous = None;
    }
    blocks
}

/// The block named `name` (`<!-- snippet: name -->`) in a Markdown file of the repository.
pub fn snippet(file: &str, name: &str) -> Block {
    let path = repo_root().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let found: Vec<Block> = code_blocks(&text)
        .into_iter()
        .filter(|b| b.snippet.as_deref() == Some(name))
        .collect();
    match found.as_slice() {
        [one] => one.clone(),
        [] => panic!("{file} has no block marked `<!-- snippet: {name} -->`"),
        _ => panic!("{file} has several blocks marked `<!-- snippet: {name} -->`"),
    }
}

/// Parses a YAML stream with Bosun's own parser into one JSON value per document. `Err` lists the
/// parser's diagnostics (syntax errors, duplicate keys, …).
pub fn yaml_documents(text: &str) -> Result<Vec<serde_json::Value>, String> {
    use compiler::parse::{Limits, NodeRef, Value, parse_file};
    use compiler::source::{FileId, SourceFile};
    fn json(node: NodeRef<'_>) -> serde_json::Value {
        match node.value() {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => (*f).into(),
            Value::Str(s) => s.to_string().into(),
            Value::Seq(_) => node.items().map(json).collect(),
            Value::Map(_) => node
                .entries()
                .map(|(entry, value)| (entry.key.to_string(), json(value)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
    let file = SourceFile::new(FileId(0), "input.yaml", text.to_string());
    let mut diagnostics = Vec::new();
    let docs = parse_file(&file, &Limits::default(), &mut diagnostics);
    if !diagnostics.is_empty() {
        let messages: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code(), d.message))
            .collect();
        return Err(messages.join("; "));
    }
    Ok(docs
        .iter()
        .map(|d| d.root().map_or(serde_json::Value::Null, json))
        .collect())
}

/// Parses YAML text holding one document into a JSON value.
pub fn yaml(text: &str, what: &str) -> serde_json::Value {
    match yaml_documents(text) {
        Ok(mut docs) if docs.len() == 1 => docs.remove(0),
        Ok(docs) => panic!("{what}: expected one YAML document, found {}", docs.len()),
        Err(e) => panic!("{what} is not valid YAML: {e}"),
    }
}

/// Reads and parses a YAML file of the repository (one document).
pub fn yaml_file(rel: &str) -> serde_json::Value {
    let text =
        std::fs::read_to_string(repo_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    yaml(&text, rel)
}

/// Copies a repository checkout (without `target/` and hidden directories such as `.git`) into
/// `dest`, so commands can run against it without writing into the checkout.
pub fn copy_repo(from: &Path, dest: &Path) {
    fn copy(from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let name = entry.file_name();
            let skip = name.to_string_lossy().starts_with('.') || name == "target";
            let kind = entry.file_type()?;
            if skip && kind.is_dir() {
                continue;
            }
            if kind.is_dir() {
                copy(&entry.path(), &to.join(&name))?;
            } else if kind.is_file() {
                std::fs::copy(entry.path(), to.join(&name))?;
            }
        }
        Ok(())
    }
    copy(from, dest).expect("copy the repository");
}
