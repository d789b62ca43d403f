//! Generated files (CRDs in `chart/crds/`, `schemas/secretsync.json`) match the Rust types.
//! Regenerate with `UPDATE_GENERATED=1 cargo test -p webhook --test generated`.

use std::path::Path;

#[test]
fn generated_crds_and_schemas_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let update = std::env::var_os("UPDATE_GENERATED").is_some();
    let mut stale = Vec::new();
    for g in webhook::crds::generated() {
        let path = root.join(g.path);
        if update {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &g.content).expect("write");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(g.content.as_str()) {
            stale.push(g.path);
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}\nrun `UPDATE_GENERATED=1 cargo test -p webhook --test generated`"
    );
}

#[test]
fn crd_yaml_round_trips_and_names_the_resources() {
    let yaml = webhook::crds::all_yaml();
    assert!(yaml.contains("secretsyncs.bosun.dev"));
    assert!(yaml.contains("plans.rigger.k8s.wantedly.com"));
    assert!(yaml.contains("subresources"));
}
