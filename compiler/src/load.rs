//! Reading inputs: files, directories (recursively, `*.yaml`, `*.yml`, `*.json`) and stdin.
//!
//! Bytes become [`SourceFile`]s in a [`SourceMap`]. A file that is not UTF-8 is still added (its
//! text decoded lossily, for display) together with an AW002 diagnostic, and is not parsed. Only
//! failures to read at all are [`Error`]s. Reads are capped a little above the file size limit so
//! a huge file costs bounded memory.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::parse::Limits;
use crate::parse::rules::{input_too_large, invalid_utf8};
use crate::source::{FileId, SourceMap, Span};

/// One thing to lint, as given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    pub fn from_arg(arg: &str) -> Self {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// The loaded text of every input, and the diagnostics of files that cannot be parsed.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    /// Files that were read but must not be parsed (not UTF-8, over the size limit).
    pub unparsable: Vec<FileId>,
    pub diagnostics: Vec<Diagnostic>,
    /// Library files (`--templates DIR`): parsed so references resolve, never reported on.
    pub library: Vec<FileId>,
}

impl Loaded {
    /// Adds in-memory text (for the library, tests and the webhook).
    pub fn add_text(&mut self, name: impl Into<String>, text: String) -> FileId {
        self.sources.add(name, text)
    }

    /// Adds raw bytes, checking size and encoding like a file read from disk.
    pub fn add_bytes(
        &mut self,
        name: impl Into<String>,
        bytes: Vec<u8>,
        size: u64,
        limits: &Limits,
    ) -> FileId {
        if size > limits.max_file_bytes as u64 {
            let id = self.sources.add(name, String::new());
            self.unparsable.push(id);
            self.diagnostics.push(input_too_large::file_diagnostic(
                Span::point(id, 0),
                size,
                limits.max_file_bytes,
            ));
            return id;
        }
        match String::from_utf8(bytes) {
            Ok(text) => self.sources.add(name, text),
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                // In the lossy text, the first invalid byte became U+FFFD right at `valid`.
                let id = self.sources.add(name, text);
                self.unparsable.push(id);
                self.diagnostics.push(invalid_utf8::diagnostic(
                    Span::new(id, valid as u32, valid as u32 + 3),
                    valid,
                ));
                id
            }
        }
    }
}

/// Reads every input. Directories are walked recursively in sorted order; symbolic links to
/// directories are not followed, so a link loop cannot trap the walk.
pub fn load(inputs: &[Input], limits: &Limits) -> Result<Loaded, Error> {
    let mut loaded = Loaded::default();
    for input in inputs {
        match input {
            Input::Stdin => {
                let mut bytes = Vec::new();
                let cap = limits.max_file_bytes as u64 + 1;
                std::io::stdin()
                    .take(cap)
                    .read_to_end(&mut bytes)
                    .map_err(Error::Stdin)?;
                let size = bytes.len() as u64;
                loaded.add_bytes("<stdin>", bytes, size, limits);
            }
            Input::Path(path) => {
                let meta = fs::metadata(path).map_err(|e| {
                    if e.kind() == std::io::ErrorKind::NotFound {
                        Error::NotFound(path.clone())
                    } else {
                        read_error(path, e)
                    }
                })?;
                if meta.is_dir() {
                    let mut files = Vec::new();
                    walk(path, &mut files)?;
                    for f in files {
                        read_file(&f, limits, &mut loaded)?;
                    }
                } else {
                    read_file(path, limits, &mut loaded)?;
                }
            }
        }
    }
    Ok(loaded)
}

/// Reads library inputs (`--templates DIR`) into `loaded`: their (Cluster)WorkflowTemplates
/// resolve references, but nothing in them is checked or reported. Files already loaded as
/// ordinary inputs are not read twice, and unreadable library files are skipped silently.
pub fn load_library(loaded: &mut Loaded, inputs: &[Input], limits: &Limits) -> Result<(), Error> {
    let library = load(inputs, limits)?;
    for file in library.sources.files() {
        let known = loaded
            .sources
            .files()
            .iter()
            .any(|f| f.name() == file.name());
        if known || library.unparsable.contains(&file.id()) {
            continue;
        }
        let id = loaded.sources.add(file.name(), file.text().to_string());
        loaded.library.push(id);
    }
    Ok(())
}

/// True for the file names the directory walk picks up.
pub fn is_manifest_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| read_error(dir, e))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if ft.is_dir() {
            if !hidden {
                walk(&path, out)?;
            }
        } else if (ft.is_file() || ft.is_symlink()) && is_manifest_path(&path) && path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

fn read_file(path: &Path, limits: &Limits, loaded: &mut Loaded) -> Result<(), Error> {
    let file = fs::File::open(path).map_err(|e| read_error(path, e))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut bytes = Vec::new();
    if size <= limits.max_file_bytes as u64 {
        file.take(limits.max_file_bytes as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| read_error(path, e))?;
    }
    let size = size.max(bytes.len() as u64);
    loaded.add_bytes(path.display().to_string(), bytes, size, limits);
    Ok(())
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Read {
        path: path.to_path_buf(),
        source,
    }
}
