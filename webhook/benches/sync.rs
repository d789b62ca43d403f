//! Secret syncer benchmark against the fake API server (`cargo bench -p webhook --bench sync`):
//! 1,000 source namespaces (plus 1,000 unrelated Secrets) → initial fill time; one source updated
//! → time until its copy matches (repeated); every source updated → time until all copies match;
//! resident memory (VmRSS/VmHWM from /proc/self/status). The fake runs in a child process (this
//! binary re-executed with `BENCH_FAKE_SERVER=1`), so the parent's memory is the syncer's (plus
//! the runtime and the benchmark's own kube client).

use std::sync::Arc;
use std::time::{Duration, Instant};

use fakekube::FakeKube;
use futures::{StreamExt as _, TryStreamExt as _};
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, ListParams, PostParams};
use serde_json::{Value, json};
use std::io::{BufRead, Write};
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

fn token_of(copies: &[Secret], ns: &str) -> Option<String> {
    let name = format!("{ns}.creds");
    copies
        .iter()
        .find(|c| c.metadata.name.as_deref() == Some(name.as_str()))
        .and_then(|c| {
            c.data
                .as_ref()?
                .get("token")
                .map(|b| String::from_utf8_lossy(&b.0).into_owned())
        })
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    if std::env::var_os("BENCH_FAKE_SERVER").is_some() {
        rt.block_on(serve_fake());
    } else {
        rt.block_on(run());
    }
}

/// Child: populate the fake, print its URL, serve until stdin closes.
async fn serve_fake() {
    let fake = FakeKube::builder()
        .history_limit(20_000)
        .start()
        .await
        .expect("fake");
    fake.upsert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "argo"}}))
        .expect("ns");
    for i in 0..NAMESPACES {
        let ns = format!("team-{i:04}");
        fake.upsert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}))
            .expect("ns");
        fake.upsert(source(&ns, 1)).expect("secret");
        // Noise: Secrets the syncer must not cache (other names).
        fake.upsert(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "unrelated", "namespace": ns}, "data": {"k": b64(&"y".repeat(2000))}}))
            .expect("noise");
    }
    fake.upsert(json!({"apiVersion": "bosun.dev/v1alpha1", "kind": "SecretSync", "metadata": {"name": "teams", "namespace": "argo"}, "spec": {"secretNames": ["creds"]}}))
        .expect("sync");
    println!("{}", fake.url());
    let _ = std::io::stdout().flush();
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
    })
    .await
    .expect("stdin");
    println!(
        "fake server RSS at the end: {} (peak {})",
        proc_status("VmRSS:"),
        proc_status("VmHWM:")
    );
}

async fn copies(api: &Api<Secret>) -> Vec<Secret> {
    api.list(&ListParams::default())
        .await
        .map(|l| l.items)
        .unwrap_or_default()
}

async fn run() {
    let mut child = std::process::Command::new(std::env::current_exe().expect("exe"))
        .env("BENCH_FAKE_SERVER", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("fake server process");
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut url = String::new();
    out.read_line(&mut url).expect("url");
    println!(
        "fake ready (child process): {NAMESPACES} namespaces, {NAMESPACES} sources + {NAMESPACES} unrelated Secrets"
    );
    let client = kube::Client::try_from(kube::Config::new(url.trim().parse().expect("url")))
        .expect("client");
    let dest: Api<Secret> = Api::namespaced(client.clone(), "argo");
    let _ = copies(&dest).await;
    println!(
        "syncer process RSS before the syncer starts: {} (runtime + client)",
        proc_status("VmRSS:")
    );

    let mut config = sync::Config::new("bench");
    config.concurrency = 4;
    let metrics = Arc::new(Metrics::default());
    let token = CancellationToken::new();
    let started = Instant::now();
    let handle = tokio::spawn(sync::run(
        client.clone(),
        config,
        metrics.sync.clone(),
        token.clone(),
    ));
    while copies(&dest).await.len() < NAMESPACES {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "initial fill timed out"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "initial fill: {NAMESPACES} copies in {:.2} s (from syncer start, incl. probe and cache sync)",
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(1)).await;

    let mut single = Vec::new();
    for round in 0..20u32 {
        let ns = format!("team-{:04}", round as usize * (NAMESPACES / 20));
        let sources: Api<Secret> = Api::namespaced(client.clone(), &ns);
        let version = 2 + round;
        let body: Secret = serde_json::from_value(source(&ns, version)).expect("source");
        let want = format!("{ns}-token-{version}");
        let start = Instant::now();
        sources
            .replace("creds", &PostParams::default(), &body)
            .await
            .expect("update");
        loop {
            let copy = dest.get_opt(&format!("{ns}.creds")).await.ok().flatten();
            if copy
                .and_then(|c| {
                    c.data?
                        .get("token")
                        .map(|b| String::from_utf8_lossy(&b.0).into_owned())
                })
                .as_deref()
                == Some(want.as_str())
            {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "single update timed out"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        single.push(start.elapsed());
    }
    single.sort();
    println!(
        "one source updated → copy matches: p50 {:.1} ms, max {:.1} ms ({} rounds)",
        single[single.len() / 2].as_secs_f64() * 1e3,
        single[single.len() - 1].as_secs_f64() * 1e3,
        single.len()
    );

    let start = Instant::now();
    let updates: Vec<_> = (0..NAMESPACES)
        .map(|i| {
            let client = client.clone();
            async move {
                let ns = format!("team-{i:04}");
                let body: Secret = serde_json::from_value(source(&ns, 100)).expect("source");
                Api::<Secret>::namespaced(client, &ns)
                    .replace("creds", &PostParams::default(), &body)
                    .await
                    .map(|_| ())
            }
        })
        .collect();
    futures::stream::iter(updates)
        .buffer_unordered(32)
        .try_collect::<Vec<()>>()
        .await
        .expect("updates");
    let writes = start.elapsed();
    loop {
        let now = copies(&dest).await;
        if (0..NAMESPACES).all(|i| {
            let ns = format!("team-{i:04}");
            token_of(&now, &ns).as_deref() == Some(format!("{ns}-token-100").as_str())
        }) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "bulk update timed out"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "all {NAMESPACES} sources updated → all copies match in {:.2} s (the benchmark's own {NAMESPACES} source writes took {:.2} s of it)",
        start.elapsed().as_secs_f64(),
        writes.as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!(
        "syncer process steady-state RSS: {} (peak {})",
        proc_status("VmRSS:"),
        proc_status("VmHWM:")
    );
    token.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(20), handle).await;
    drop(child.stdin.take());
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut out, &mut rest);
    print!("{rest}");
    let _ = child.wait();
}
