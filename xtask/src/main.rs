//! Bosun's developer tasks, run as `cargo xtask <task>`.
//!
//! `gen-model [--check] [--schema PATH]` regenerates `compiler/src/model/generated/` from Argo's
//! API JSON Schema (see [`gen_model`]). Nothing here is shipped; the compiler never depends on it.

mod gen_model;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask gen-model [--check] [--schema PATH]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match task.as_str() {
        "gen-model" => match parse_gen_model(rest).and_then(|o| gen_model::run(&o)) {
            Ok(gen_model::Outcome::UpToDate | gen_model::Outcome::Written) => ExitCode::SUCCESS,
            Ok(gen_model::Outcome::Stale(files)) => {
                eprintln!("generated model is stale: {}", files.join(", "));
                eprintln!("run `cargo xtask gen-model` to update it");
                ExitCode::FAILURE
            }
            Err(err) => {
                eprintln!("xtask failed");
                for cause in err.chain() {
                    eprintln!("  Cause: {cause}");
                }
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("unknown task `{task}`\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse_gen_model(args: &[String]) -> anyhow::Result<gen_model::Options> {
    let root = gen_model::workspace_root();
    let mut opts = gen_model::Options {
        check: false,
        schema: root.join("../shared/specs/argo-api-schema.json"),
        out_dir: root.join("compiler/src/model/generated"),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => opts.check = true,
            "--schema" => {
                let path = it
                    .next()
                    .ok_or_else(|| anyhow::anyhow!("--schema needs a path"))?;
                opts.schema = PathBuf::from(path);
            }
            other => anyhow::bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    Ok(opts)
}
