//! The fake API server's contract, exercised through kube's typed client (so the wire format is
//! what kube-rs expects): optimistic concurrency, finalizers, watch replay/410/bookmarks,
//! selectors, metadata-only lists, server-side apply, namespaces, the status subresource and
//! fault injection.

mod common;

use std::time::Duration;

use common::{Harness, secret};
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use serde_json::json;

fn is_code<T>(r: &Result<T, kube::Error>, code: u16) -> bool {
    matches!(r, Err(kube::Error::Api(s)) if s.code == code)
}

#[tokio::test]
async fn stale_resource_version_is_a_conflict() {
    let h = Harness::new(&["a"]).await;
    let api: Api<Secret> = Api::namespaced(h.client("t"), "a");
    let created = api
        .create(
            &PostParams::default(),
            &serde_json::from_value(secret("s").in_ns("a").with("k", "1").json()).unwrap(),
        )
        .await
        .unwrap();
    let mut first = created.clone();
    first
        .data
        .as_mut()
        .unwrap()
        .insert("k".into(), k8s_openapi::ByteString(b"2".to_vec()));
    api.replace("s", &PostParams::default(), &first)
        .await
        .unwrap();
    let stale = api.replace("s", &PostParams::default(), &created).await;
    assert!(is_code(&stale, 409));
    assert!(
        is_code(&api.create(&PostParams::default(), &created).await, 409),
        "AlreadyExists"
    );
    let in_missing_ns: Api<Secret> = Api::namespaced(h.client("t"), "missing");
    assert!(is_code(
        &in_missing_ns
            .create(
                &PostParams::default(),
                &serde_json::from_value(secret("s").in_ns("missing").json()).unwrap()
            )
            .await,
        404
    ));
}

#[tokio::test]
async fn finalizers_hold_deletion_until_removed() {
    let h = Harness::new(&["a"]).await;
    h.put(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "a", "finalizers": ["x/y"]}}));
    let api: Api<ConfigMap> = Api::namespaced(h.client("t"), "a");
    api.delete("c", &DeleteParams::default()).await.unwrap();
    let held = api.get("c").await.unwrap();
    assert!(held.metadata.deletion_timestamp.is_some());
    let patch = json!([{"op": "test", "path": "/metadata/finalizers", "value": ["x/y"]}, {"op": "remove", "path": "/metadata/finalizers"}]);
    api.patch(
        "c",
        &PatchParams::default(),
        &Patch::<()>::Json(serde_json::from_value(patch).unwrap()),
    )
    .await
    .unwrap();
    assert!(api.get_opt("c").await.unwrap().is_none());
}

#[tokio::test]
async fn watches_replay_from_a_resource_version_send_bookmarks_and_expire() {
    let h = Harness::with(
        fakekube::FakeKube::builder()
            .history_limit(5)
            .bookmark_interval(Duration::from_millis(100)),
        &["a"],
    )
    .await;
    let api: Api<ConfigMap> = Api::namespaced(h.client("t"), "a");
    let list = api.list(&ListParams::default()).await.unwrap();
    let rv = list.metadata.resource_version.unwrap();
    h.put(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "one", "namespace": "a"}}));
    let mut events = api
        .watch(
            &WatchParams {
                bookmarks: true,
                ..WatchParams::default()
            },
            &rv,
        )
        .await
        .unwrap()
        .boxed();
    assert!(
        matches!(events.try_next().await.unwrap(), Some(WatchEvent::Added(c)) if c.metadata.name.as_deref() == Some("one"))
    );
    assert!(matches!(
        events.try_next().await.unwrap(),
        Some(WatchEvent::Bookmark(_))
    ));
    for i in 0..10 {
        h.put(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("n{i}"), "namespace": "a"}}));
    }
    let mut expired = api
        .watch(&WatchParams::default(), &rv)
        .await
        .unwrap()
        .boxed();
    assert!(
        matches!(expired.try_next().await.unwrap(), Some(WatchEvent::Error(e)) if e.code == 410)
    );
}

#[tokio::test]
async fn selectors_metadata_only_lists_and_label_transitions() {
    let h = Harness::new(&["a", "b"]).await;
    h.put_secret(
        secret("x")
            .in_ns("a")
            .label("team", "a")
            .with("k", "secret-value"),
    );
    h.put_secret(secret("x").in_ns("b").label("team", "b"));
    h.put_secret(secret("y").in_ns("b").label("team", "b"));
    let all: Api<Secret> = Api::all(h.client("t"));
    let by_name = all
        .list(&ListParams::default().fields("metadata.name=x"))
        .await
        .unwrap();
    assert_eq!(by_name.items.len(), 2);
    let by_label = all
        .list(&ListParams::default().labels("team in (b),!missing"))
        .await
        .unwrap();
    assert_eq!(by_label.items.len(), 2);
    let meta = all
        .list_metadata(&ListParams::default().labels("team=a"))
        .await
        .unwrap();
    assert_eq!(meta.items.len(), 1);
    assert!(
        !serde_json::to_string(&meta).unwrap().contains("c2VjcmV0"),
        "no data in metadata-only lists"
    );
    let paged = all.list(&ListParams::default().limit(2)).await.unwrap();
    assert_eq!(paged.items.len(), 2);
    let rest = all
        .list(
            &ListParams::default()
                .limit(2)
                .continue_token(paged.metadata.continue_.as_deref().unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);

    // Relabelling out of a label-selected watch is a DELETED event for that watch.
    let mut w = all
        .watch(&WatchParams::default().labels("team=a"), "0")
        .await
        .unwrap()
        .boxed();
    assert!(matches!(
        w.try_next().await.unwrap(),
        Some(WatchEvent::Added(_))
    ));
    h.put_secret(secret("x").in_ns("a").label("team", "z"));
    assert!(matches!(
        w.try_next().await.unwrap(),
        Some(WatchEvent::Deleted(_))
    ));
}

#[tokio::test]
async fn server_side_apply_creates_and_prunes_what_the_manager_dropped() {
    let h = Harness::new(&["a"]).await;
    let api: Api<ConfigMap> = Api::namespaced(h.client("t"), "a");
    let pp = PatchParams::apply("tester");
    let v1 = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1", "b": "2"}});
    api.patch("c", &pp, &Patch::Apply(v1)).await.unwrap();
    api.patch(
        "c",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"other": "x"}})),
    )
    .await
    .unwrap();
    let v2 = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "3"}});
    let c = api.patch("c", &pp, &Patch::Apply(v2)).await.unwrap();
    let data = c.data.unwrap();
    assert_eq!(
        (
            data.get("a").map(String::as_str),
            data.contains_key("b"),
            data.contains_key("other")
        ),
        (Some("3"), false, true)
    );
}

#[tokio::test]
async fn status_subresource_is_separate_from_the_main_resource() {
    let h = Harness::new(&[]).await;
    h.put(common::secret_sync("s", json!({"secretNames": ["a"]})));
    let api: Api<webhook::sync::SecretSync> = Api::namespaced(h.client("t"), common::DEST);
    let with_status = json!({"status": {"copies": 3}, "spec": {"secretNames": ["changed"]}});
    api.patch(
        "s",
        &PatchParams::default(),
        &Patch::Merge(with_status.clone()),
    )
    .await
    .unwrap();
    let s = api.get("s").await.unwrap();
    assert_eq!(
        (
            s.spec.secret_names[0].as_str(),
            s.status.is_none(),
            s.metadata.generation
        ),
        ("changed", true, Some(2))
    );
    api.patch_status("s", &PatchParams::default(), &Patch::Merge(with_status))
        .await
        .unwrap();
    let s = api.get("s").await.unwrap();
    assert_eq!(
        (s.status.unwrap().copies, s.metadata.generation),
        (3, Some(2))
    );
}

#[tokio::test]
async fn faults_are_injected_per_verb_and_path_and_logged() {
    let h = Harness::new(&["a"]).await;
    h.fake.set_faults(vec![
        fakekube::FaultRule::new(1.0, fakekube::Fault::Status(500))
            .verbs(&[fakekube::Verb::List])
            .path("/secrets"),
    ]);
    let secrets: Api<Secret> = Api::namespaced(h.client("me"), "a");
    let maps: Api<ConfigMap> = Api::namespaced(h.client("me"), "a");
    // 500, not 503: kube 5's client retries 429/503/504 itself (15 times, backoff up to 1000 s).
    assert!(is_code(&secrets.list(&ListParams::default()).await, 500));
    assert!(maps.list(&ListParams::default()).await.is_ok());
    h.fake.set_faults(vec![
        fakekube::FaultRule::new(1.0, fakekube::Fault::StatusAfterCommit(500))
            .verbs(&[fakekube::Verb::Create]),
    ]);
    let created = maps
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": "c"}})).unwrap(),
        )
        .await;
    assert!(is_code(&created, 500));
    h.fake.clear_faults();
    assert!(
        maps.get_opt("c").await.unwrap().is_some(),
        "the write happened despite the error"
    );
    let log = h.fake.requests();
    assert!(
        log.iter()
            .any(|r| r.client.as_deref() == Some("me") && r.status == 500)
    );
}
