//! Secret syncer behaviour through the fake API server: one `Scenario` per behaviour of issue 7
//! point 3, each run against a fresh fake and syncer.

mod common;

use common::{DEST, Harness, data_of, plan, secret, secret_sync};
use serde_json::{Value, json};

/// The behaviours of issue 7, point 3.
#[derive(Debug, Clone, Copy)]
enum Scenario {
    SourceCreated,
    SourceUpdated,
    KeyRemovedAndTypeChanged,
    SourceDeleted,
    CopyEditedByHand,
    CopyDeletedByHand,
    NamespaceLeavesSelector,
    NamespaceEntersIgnoreList,
    SpecChangeResyncsAndPrunes,
    DeletionRemovesOnlyOwnCopies,
    UnmanagedSecretNeverOverwritten,
    DottedNamesSplitAtFirstDot,
    WatchStreamsCut,
}

fn labels_of(v: &Value) -> serde_json::Map<String, Value> {
    v.pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn condition(status: &Value, type_: &str) -> String {
    status["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == type_)
        .map(|c| c["status"].as_str().unwrap_or("").to_owned())
        .unwrap_or_default()
}

impl Scenario {
    async fn run(self) {
        let h = Harness::new(&["team-a", "team-b", "team-c"]).await;
        h.put_secret(
            secret("creds")
                .in_ns("team-a")
                .with("token", "a1")
                .with("user", "alice"),
        );
        h.put_secret(secret("creds").in_ns("team-b").with("token", "b1"));
        h.put_secret(secret("other").in_ns("team-c").with("x", "y"));
        if let Self::WatchStreamsCut = self {
            let cut = fakekube::Fault::CutWatchAfter(std::time::Duration::from_millis(300));
            h.fake.set_faults(vec![
                fakekube::FaultRule::new(1.0, cut).verbs(&[fakekube::Verb::Watch]),
            ]);
        }
        h.put(secret_sync("teams", json!({"secretNames": ["creds"]})));
        let syncer = h.start("solo", |_| {});
        h.eventually("both copies exist", |h| {
            h.copy_names() == ["team-a.creds", "team-b.creds"]
        })
        .await;
        h.eventually("status is Ready", |h| {
            condition(&h.sync_status("teams"), "Ready") == "True"
        })
        .await;
        match self {
            Self::SourceCreated => {
                let c = h.secret(DEST, "team-a.creds").unwrap();
                assert_eq!(
                    data_of(&c),
                    [
                        ("token".into(), "a1".into()),
                        ("user".into(), "alice".into())
                    ]
                    .into()
                );
                let l = labels_of(&c);
                assert_eq!(l["app.kubernetes.io/managed-by"], "bosun-webhook");
                assert_eq!(h.sync_status("teams")["copies"], 2);
                h.put_secret(secret("creds").in_ns("team-c").with("token", "c1"));
                h.eventually("a new source is copied", |h| {
                    h.secret(DEST, "team-c.creds").is_some()
                })
                .await;
                h.namespace("team-d", &[]);
                h.put_secret(secret("creds").in_ns("team-d").with("token", "d1"));
                h.eventually("a source in a new namespace is copied", |h| {
                    h.secret(DEST, "team-d.creds").is_some()
                })
                .await;
            }
            Self::SourceUpdated | Self::WatchStreamsCut => {
                h.put_secret(
                    secret("creds")
                        .in_ns("team-a")
                        .with("token", "a2")
                        .with("user", "alice"),
                );
                h.eventually("update propagates", |h| {
                    data_of(&h.secret(DEST, "team-a.creds").unwrap())["token"] == "a2"
                })
                .await;
            }
            Self::KeyRemovedAndTypeChanged => {
                h.put_secret(
                    secret("creds")
                        .in_ns("team-a")
                        .with("token", "a1")
                        .typed("bosun.dev/custom"),
                );
                h.eventually("removed key and new type propagate", |h| {
                    let c = h.secret(DEST, "team-a.creds").unwrap();
                    !data_of(&c).contains_key("user") && c["type"] == "bosun.dev/custom"
                })
                .await;
            }
            Self::SourceDeleted => {
                h.fake.delete("v1", "Secret", "team-a", "creds").unwrap();
                h.eventually("copy of deleted source is pruned", |h| {
                    h.copy_names() == ["team-b.creds"]
                })
                .await;
            }
            Self::CopyEditedByHand => {
                let mut c = h.secret(DEST, "team-a.creds").unwrap();
                c["data"]["token"] = json!("aGFja2Vk");
                c["data"]["extra"] = json!("aGFja2Vk");
                c["metadata"]["labels"]["added-by-human"] = json!("yes");
                h.put(c);
                h.eventually("hand edit is reverted", |h| {
                    let d = data_of(&h.secret(DEST, "team-a.creds").unwrap());
                    d["token"] == "a1" && !d.contains_key("extra")
                })
                .await;
            }
            Self::CopyDeletedByHand => {
                h.fake.delete("v1", "Secret", DEST, "team-b.creds").unwrap();
                h.eventually("deleted copy is recreated", |h| {
                    h.secret(DEST, "team-b.creds").is_some()
                })
                .await;
            }
            Self::NamespaceLeavesSelector => {
                h.namespace("team-a", &[("sync", "yes")]);
                h.namespace("team-b", &[("sync", "yes")]);
                h.put(secret_sync("teams", json!({"secretNames": ["creds"], "sourceNamespaces": {"selector": {"matchLabels": {"sync": "yes"}}}})));
                h.namespace("team-b", &[("sync", "no")]);
                h.eventually("copy from the relabelled namespace is pruned", |h| {
                    h.copy_names() == ["team-a.creds"]
                })
                .await;
                h.namespace("team-b", &[("sync", "yes")]);
                h.eventually("and comes back when it matches again", |h| {
                    h.copy_names().len() == 2
                })
                .await;
            }
            Self::NamespaceEntersIgnoreList => {
                h.put(secret_sync(
                    "teams",
                    json!({"secretNames": ["creds"], "sourceNamespaces": {"ignore": ["team-a"]}}),
                ));
                h.eventually("ignored namespace's copy is pruned", |h| {
                    h.copy_names() == ["team-b.creds"]
                })
                .await;
            }
            Self::SpecChangeResyncsAndPrunes => {
                h.put(secret_sync(
                    "teams",
                    json!({"secretNames": ["other"], "nameTemplate": "copy-{namespace}-{name}"}),
                ));
                h.eventually("old copies pruned, new ones made", |h| {
                    h.copy_names() == ["copy-team-c-other"]
                })
                .await;
                h.eventually("status follows the spec", |h| {
                    h.sync_status("teams")["copies"] == 1
                })
                .await;
            }
            Self::DeletionRemovesOnlyOwnCopies => {
                h.put(secret_sync(
                    "mirror",
                    json!({"secretNames": ["creds"], "nameTemplate": "mirror-{namespace}-{name}"}),
                ));
                h.eventually("second owner's copies exist", |h| h.copy_names().len() == 4)
                    .await;
                h.put_secret(secret("unrelated").in_ns(DEST).with("k", "v"));
                h.fake
                    .delete("bosun.dev/v1alpha1", "SecretSync", DEST, "teams")
                    .unwrap();
                h.eventually("only the deleted owner's copies are gone", |h| {
                    h.copy_names() == ["mirror-team-a-creds", "mirror-team-b-creds"]
                })
                .await;
                h.eventually("the finalizer is released", |h| {
                    h.fake
                        .get("bosun.dev/v1alpha1", "SecretSync", DEST, "teams")
                        .is_none()
                })
                .await;
                assert!(h.secret(DEST, "unrelated").is_some());
            }
            Self::UnmanagedSecretNeverOverwritten => {
                let before = h.put_secret(secret("team-c.creds").in_ns(DEST).with("token", "mine"));
                h.put_secret(secret("creds").in_ns("team-c").with("token", "c1"));
                h.eventually("conflict is reported", |h| {
                    condition(&h.sync_status("teams"), "Conflict") == "True"
                })
                .await;
                let st = h.sync_status("teams");
                assert_eq!(st["conflicts"][0]["name"], "team-c.creds");
                assert_eq!(st["conflicts"][0]["reason"], "Unmanaged");
                assert_eq!(condition(&st, "Ready"), "False");
                let after = h.secret(DEST, "team-c.creds").unwrap();
                assert_eq!(
                    after["metadata"]["resourceVersion"],
                    before["metadata"]["resourceVersion"]
                );
                h.eventually("a Conflict event is published", |h| {
                    h.fake
                        .list("events.k8s.io/v1", "Event", Some(DEST))
                        .iter()
                        .any(|e| e["reason"] == "Conflict")
                })
                .await;
                h.fake.delete("v1", "Secret", DEST, "team-c.creds").unwrap();
                h.eventually("once the name is free the copy is made", |h| {
                    h.copy_names().len() == 3
                })
                .await;
                h.eventually("and the conflict clears", |h| {
                    condition(&h.sync_status("teams"), "Conflict") == "False"
                })
                .await;
            }
            Self::DottedNamesSplitAtFirstDot => {
                h.put(secret_sync("teams", json!({"secretNames": ["db.creds"]})));
                h.put_secret(secret("db.creds").in_ns("team-a").with("pw", "1"));
                h.eventually("dotted source is copied", |h| {
                    h.copy_names() == ["team-a.db.creds"]
                })
                .await;
                h.put_secret(secret("db.creds").in_ns("team-a").with("pw", "2"));
                h.eventually("and updated from the right source", |h| {
                    data_of(&h.secret(DEST, "team-a.db.creds").unwrap())["pw"] == "2"
                })
                .await;
            }
        }
        syncer.stop().await;
    }
}

#[tokio::test]
async fn new_sources_are_copied() {
    Scenario::SourceCreated.run().await;
}
#[tokio::test]
async fn source_updates_propagate() {
    Scenario::SourceUpdated.run().await;
}
#[tokio::test]
async fn removed_keys_and_type_changes_propagate() {
    Scenario::KeyRemovedAndTypeChanged.run().await;
}
#[tokio::test]
async fn deleted_source_prunes_its_copy() {
    Scenario::SourceDeleted.run().await;
}
#[tokio::test]
async fn hand_edited_copy_is_restored() {
    Scenario::CopyEditedByHand.run().await;
}
#[tokio::test]
async fn hand_deleted_copy_is_recreated() {
    Scenario::CopyDeletedByHand.run().await;
}
#[tokio::test]
async fn namespace_leaving_the_selector_prunes_its_copy() {
    Scenario::NamespaceLeavesSelector.run().await;
}
#[tokio::test]
async fn namespace_entering_the_ignore_list_prunes_its_copy() {
    Scenario::NamespaceEntersIgnoreList.run().await;
}
#[tokio::test]
async fn spec_change_resyncs_and_prunes() {
    Scenario::SpecChangeResyncsAndPrunes.run().await;
}
#[tokio::test]
async fn deleting_a_secretsync_removes_exactly_its_own_copies() {
    Scenario::DeletionRemovesOnlyOwnCopies.run().await;
}
#[tokio::test]
async fn unmanaged_secret_is_never_overwritten() {
    Scenario::UnmanagedSecretNeverOverwritten.run().await;
}
#[tokio::test]
async fn dotted_secret_names_split_at_the_first_dot() {
    Scenario::DottedNamesSplitAtFirstDot.run().await;
}
#[tokio::test]
async fn updates_propagate_while_watch_streams_keep_being_cut() {
    Scenario::WatchStreamsCut.run().await;
}

#[tokio::test]
async fn rigger_plans_keep_working_with_rigger_names_and_labels() {
    let h = Harness::new(&["team-a", "team-b", "ops"]).await;
    for ns in ["team-a", "team-b", "ops"] {
        h.put_secret(secret("creds").in_ns(ns).with("token", ns));
    }
    // A copy rigger made before the switch: adopted. An unmanaged Secret: left alone.
    h.put_secret(
        secret("team-a.creds")
            .in_ns(DEST)
            .with("token", "old")
            .label("created-by-rigger", "true")
            .label("src-namespace", "team-a")
            .label("src-name", "creds"),
    );
    let unmanaged = h.put_secret(
        secret("team-b.creds")
            .in_ns(DEST)
            .with("token", "hand-made"),
    );
    h.put(plan(DEST, "creds-plan", "creds", DEST, &["ops"]));
    let syncer = h.start("solo", |_| {});
    h.eventually("rigger copy adopted and updated", |h| {
        data_of(&h.secret(DEST, "team-a.creds").unwrap())["token"] == "team-a"
    })
    .await;
    let c = h.secret(DEST, "team-a.creds").unwrap();
    let l = labels_of(&c);
    assert_eq!(
        (
            l["created-by-rigger"].as_str(),
            l["src-namespace"].as_str(),
            l["src-name"].as_str()
        ),
        (Some("true"), Some("team-a"), Some("creds"))
    );
    assert!(
        h.secret(DEST, "ops.creds").is_none(),
        "ignoreNamespaces honoured"
    );
    assert_eq!(
        h.secret(DEST, "team-b.creds").unwrap()["metadata"]["resourceVersion"],
        unmanaged["metadata"]["resourceVersion"]
    );
    h.eventually("Plan status echoes rigger's fields and the conflict", |h| {
        let st = h
            .fake
            .get(
                "rigger.k8s.wantedly.com/v1beta1",
                "Plan",
                DEST,
                "creds-plan",
            )
            .unwrap()["status"]
            .clone();
        st["syncTargetSecretName"] == "creds" && st["conflictCount"] == 1
    })
    .await;
    // A second Plan for another Secret; deleting the first leaves the second's copies.
    h.put_secret(secret("token").in_ns("team-b").with("t", "1"));
    h.put(plan("ops", "token-plan", "token", DEST, &[]));
    h.eventually("second plan copies", |h| {
        h.secret(DEST, "team-b.token").is_some()
    })
    .await;
    // Plan change re-syncs: stop ignoring ops.
    h.put(plan(DEST, "creds-plan", "creds", DEST, &[]));
    h.eventually("plan change re-syncs", |h| {
        h.secret(DEST, "ops.creds").is_some()
    })
    .await;
    h.fake
        .delete(
            "rigger.k8s.wantedly.com/v1beta1",
            "Plan",
            DEST,
            "creds-plan",
        )
        .unwrap();
    h.eventually("only the deleted plan's copies go", |h| {
        h.copy_names() == ["team-b.token"]
    })
    .await;
    assert!(
        h.secret(DEST, "team-b.creds").is_some(),
        "unmanaged Secret survives plan deletion"
    );
    syncer.stop().await;
}

#[tokio::test]
async fn restart_in_the_middle_of_deleting_leaves_no_orphans() {
    let namespaces: Vec<String> = (0..20).map(|i| format!("team-{i:02}")).collect();
    let refs: Vec<&str> = namespaces.iter().map(String::as_str).collect();
    let h = Harness::new(&refs).await;
    for ns in &namespaces {
        h.put_secret(secret("creds").in_ns(ns).with("k", ns));
    }
    h.put(secret_sync("teams", json!({"secretNames": ["creds"]})));
    let first = h.start("first", |_| {});
    h.eventually("20 copies", |h| h.copies().len() == 20).await;
    // Slow deletes so the first syncer is killed half-way through the cleanup.
    h.fake.set_faults(vec![
        fakekube::FaultRule::new(
            1.0,
            fakekube::Fault::Delay(std::time::Duration::from_millis(100)),
        )
        .verbs(&[fakekube::Verb::Delete]),
    ]);
    h.fake
        .delete("bosun.dev/v1alpha1", "SecretSync", DEST, "teams")
        .unwrap();
    h.eventually("cleanup under way", |h| h.copies().len() < 18)
        .await;
    first.kill();
    let left = h.copies().len();
    assert!(left > 0, "killed before finishing");
    h.fake.clear_faults();
    let second = h.start("second", |_| {});
    h.eventually("no orphaned copies after restart", |h| {
        h.copies().is_empty()
    })
    .await;
    h.eventually("the SecretSync is gone", |h| {
        h.fake
            .get("bosun.dev/v1alpha1", "SecretSync", DEST, "teams")
            .is_none()
    })
    .await;
    second.stop().await;
}

#[tokio::test]
async fn deletion_while_the_controller_was_down_is_cleaned_up_on_start() {
    let h = Harness::new(&["team-a"]).await;
    h.put_secret(secret("creds").in_ns("team-a").with("k", "v"));
    h.put(secret_sync("teams", json!({"secretNames": ["creds"]})));
    let first = h.start("first", |_| {});
    h.eventually("copy", |h| h.copies().len() == 1).await;
    first.stop().await;
    h.fake
        .delete("bosun.dev/v1alpha1", "SecretSync", DEST, "teams")
        .unwrap();
    assert_eq!(
        h.copies().len(),
        1,
        "finalizer keeps the owner until the syncer runs"
    );
    let second = h.start("second", |_| {});
    h.eventually("copy removed by the restarted syncer", |h| {
        h.copies().is_empty()
    })
    .await;
    second.stop().await;
}

#[tokio::test]
async fn failing_writes_back_off_instead_of_hot_looping() {
    let h = Harness::new(&["team-a"]).await;
    h.put_secret(secret("creds").in_ns("team-a").with("k", "v"));
    // The destination namespace does not exist: every create is a 404.
    h.put(plan("team-a", "p", "creds", "nowhere", &[]));
    let syncer = h.start("solo", |_| {});
    h.eventually("Degraded is reported", |h| {
        let st = h
            .fake
            .get("rigger.k8s.wantedly.com/v1beta1", "Plan", "team-a", "p")
            .unwrap()["status"]
            .clone();
        condition(&st, "Degraded") == "True"
    })
    .await;
    let attempts = || {
        h.fake
            .requests()
            .iter()
            .filter(|r| r.verb == fakekube::Verb::Create && r.path.contains("/namespaces/nowhere/"))
            .count()
    };
    let first = attempts();
    // A measurement window, not a synchronisation: with retries every 200 ms there would be ~15.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let more = attempts() - first;
    assert!(more <= 6, "{more} retries in 3 s: backoff is not applied");
    syncer.stop().await;
}
