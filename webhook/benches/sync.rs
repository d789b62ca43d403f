//! Secret syncer benchmark against the in-process fake API server (`cargo bench -p webhook --bench
//! sync`): 1,000 source namespaces → initial fill time; one source updated → time until its copy
//! matches (repeated); every source updated → time until all copies match; resident memory
//! (VmRSS/VmHWM from /proc/self/status) before the syncer starts and at steady state. The fake
//! runs in the same process, so the syncer's own footprint is the difference.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fakekube::FakeKube;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use webhook::metrics::Metrics;
use webhook::sync;

const NAMESPACES: usize = 1000;

fn proc_status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_owned())
        })
        .map_or_else(
            || "?".to_owned(),
            |kb| format!("{:.1} MiB", kb.parse::<f64>().unwrap_or(0.0) / 1024.0),
        )
}

fn b64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn source(ns: &str, version: u32) -> Value {
    json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": "creds", "namespace": ns, "labels": {"team": ns}},
           "data": {"token": b64(&format!("{ns}-token-{version}")), "user": b64("service-account"), "ca.crt": b64(&"x".repeat(600))}})
}

fn token_of(fake: &FakeKube, ns: &str) -> Option<String> {
    fake.get("v1", "Secret", "argo", &format!("{ns}.creds"))
        .and_then(|c| {
            c.pointer("/data/token")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
}

async fn wait(what: &str, timeout: Duration, f: impl Fn() -> bool) -> Duration {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < timeout, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    start.elapsed()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let fake = FakeKube::builder()
        .history_limit(20_000)
        .start()
        .await
        .expect("fake");
    let names: Vec<String> = (0..NAMESPACES).map(|i| format!("team-{i:04}")).collect();
    fake.upsert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "argo"}}))
        .expect("ns");
    for ns in &names {
        fake.upsert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}))
            .expect("ns");
        fake.upsert(source(ns, 1)).expect("secret");
        // Noise: Secrets the syncer must not cache (other names).
        fake.upsert(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "unrelated", "namespace": ns}, "data": {"k": b64(&"y".repeat(2000))}})).expect("noise");
    }
    fake.upsert(json!({"apiVersion": "bosun.dev/v1alpha1", "kind": "SecretSync", "metadata": {"name": "teams", "namespace": "argo"}, "spec": {"secretNames": ["creds"]}})).expect("sync");
    println!(
        "fake ready: {NAMESPACES} namespaces, {NAMESPACES} sources + {NAMESPACES} unrelated Secrets"
    );
    println!(
        "RSS before the syncer: {} (peak {})",
        proc_status("VmRSS:"),
        proc_status("VmHWM:")
    );

    let client = kube::Client::try_from(kube::Config::new(fake.url().parse().expect("url")))
        .expect("client");
    let mut config = sync::Config::new("bench");
    config.concurrency = 4;
    let metrics = Arc::new(Metrics::default());
    let token = CancellationToken::new();
    let handle = tokio::spawn(sync::run(
        client,
        config,
        metrics.sync.clone(),
        token.clone(),
    ));

    let fill = wait("initial fill", Duration::from_secs(600), || {
        fake.list("v1", "Secret", Some("argo")).len() == NAMESPACES
    })
    .await;
    println!(
        "initial fill: {NAMESPACES} copies in {:.2} s",
        fill.as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(1)).await;

    let mut single = Vec::new();
    for (round, ns) in names.iter().step_by(NAMESPACES / 20).enumerate() {
        let version = 2 + round as u32;
        fake.upsert(source(ns, version)).expect("update");
        let want = b64(&format!("{ns}-token-{version}"));
        single.push(
            wait("single update", Duration::from_secs(60), || {
                token_of(&fake, ns).as_deref() == Some(want.as_str())
            })
            .await,
        );
    }
    single.sort();
    println!(
        "one source updated → copy matches: p50 {:.1} ms, max {:.1} ms ({} rounds)",
        single[single.len() / 2].as_secs_f64() * 1e3,
        single[single.len() - 1].as_secs_f64() * 1e3,
        single.len()
    );

    let start = Instant::now();
    for ns in &names {
        fake.upsert(source(ns, 100)).expect("update");
    }
    let writes = start.elapsed();
    wait("all updated", Duration::from_secs(600), || {
        names.iter().all(|ns| {
            token_of(&fake, ns).as_deref() == Some(b64(&format!("{ns}-token-100")).as_str())
        })
    })
    .await;
    println!(
        "all {NAMESPACES} sources updated → all copies match in {:.2} s (the test's own {NAMESPACES} source writes took {:.2} s of it)",
        start.elapsed().as_secs_f64(),
        writes.as_secs_f64()
    );

    tokio::time::sleep(Duration::from_secs(2)).await;
    println!(
        "steady-state RSS (fake + syncer): {} (peak {})",
        proc_status("VmRSS:"),
        proc_status("VmHWM:")
    );
    token.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(20), handle).await;
}
