//! `cargo xtask gen-model`: generates `compiler/src/model/generated/{catalog,views}.rs` from
//! Argo's API JSON Schema.
//!
//! Steps: read the schema → [`ir::build`] (reachable object types with [`overrides`] applied) →
//! [`emit`] Rust source → rustfmt → write, or compare in `--check` mode. Output is deterministic:
//! everything is sorted and formatted by the same rustfmt that `cargo fmt` uses.

mod emit;
mod ir;
mod overrides;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// Options of `gen-model`.
pub(crate) struct Options {
    /// Compare instead of writing.
    pub(crate) check: bool,
    pub(crate) schema: PathBuf,
    pub(crate) out_dir: PathBuf,
}

/// What `gen-model` did.
pub(crate) enum Outcome {
    UpToDate,
    Written,
    /// `--check` found these files out of date.
    Stale(Vec<String>),
}

/// The workspace root (the parent of the `xtask` crate).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

pub(crate) fn run(opts: &Options) -> Result<Outcome> {
    let text = std::fs::read_to_string(&opts.schema)
        .with_context(|| format!("cannot read {}", opts.schema.display()))?;
    let schema: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON", opts.schema.display()))?;
    let model = ir::build(&schema)?;
    validate_overrides(&model)?;
    let files = [
        ("catalog.rs", rustfmt(&emit::catalog(&model)?)?),
        ("views.rs", rustfmt(&emit::views(&model)?)?),
    ];
    let mut stale = Vec::new();
    for (name, content) in &files {
        let path = opts.out_dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != *content {
            stale.push(path.display().to_string());
            if !opts.check {
                std::fs::create_dir_all(&opts.out_dir)
                    .with_context(|| format!("cannot create {}", opts.out_dir.display()))?;
                std::fs::write(&path, content)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
    }
    Ok(match (stale.is_empty(), opts.check) {
        (true, _) => Outcome::UpToDate,
        (false, true) => Outcome::Stale(stale),
        (false, false) => Outcome::Written,
    })
}

/// Every override must name a property that exists, so a renamed field cannot silently drop one.
fn validate_overrides(model: &ir::Model) -> Result<()> {
    for o in overrides::PROP_OVERRIDES {
        let found = model
            .types
            .iter()
            .filter(|t| ir::short_name(&t.schema_name) == o.ty)
            .any(|t| t.props.iter().any(|p| p.name == o.prop));
        if !found {
            bail!("override {}.{} matches no reachable property", o.ty, o.prop);
        }
    }
    Ok(())
}

fn rustfmt(source: &str) -> Result<String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run rustfmt (install it with `rustup component add rustfmt`)")?;
    let mut stdin = child.stdin.take().context("rustfmt stdin")?;
    let input = source.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().context("rustfmt failed")?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("rustfmt writer panicked"))?
        .context("cannot write to rustfmt")?;
    if !output.status.success() {
        bail!(
            "rustfmt rejected the generated code:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8(output.stdout).context("rustfmt output is not UTF-8")
}
