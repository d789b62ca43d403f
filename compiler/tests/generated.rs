//! Generated artifacts stay in sync with the code that generates them: the editor JSON Schemas in
//! `schemas/` come from the catalog (`compiler::model::catalog::json_schema`).
//!
//! On mismatch the test fails with the fix command; with `UPDATE_GENERATED=1` it writes the files.

use std::path::{Path, PathBuf};

use compiler::model::catalog::json_schema;

const FIX: &str = "UPDATE_GENERATED=1 cargo test -p compiler --test generated";

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1")
}

#[test]
fn json_schemas_are_up_to_date() {
    let dir = schemas_dir();
    let mut stale = Vec::new();
    for (name, schema) in json_schema::files() {
        let mut text = serde_json::to_string_pretty(&schema).expect("schemas serialize");
        text.push('\n');
        let path = dir.join(&name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == text {
            continue;
        }
        if updating() {
            std::fs::create_dir_all(&dir).expect("create schemas/");
            std::fs::write(&path, text).expect("write schema");
        } else {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files in schemas/: {}\nrun `{FIX}` to update them",
        stale.join(", ")
    );
}
