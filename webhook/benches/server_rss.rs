//! Full-server memory in cluster mode (`cargo bench -p webhook --bench server_rss`): the whole
//! `serve` stack (TLS server, probe port, kube client, every watch: 1,000 WorkflowTemplates
//! parsed into the cache, Secret/ConfigMap/ServiceAccount/Namespace metadata, SecretSync/Plan
//! watches) pointed at the fake API server, which runs in a child process (this binary
//! re-executed with `BENCH_FAKE_SERVER=1`) so this process' RSS is the server's. Prints RSS
//! before start, once `/readyz` says the caches are synced, and after reviews over TLS that
//! resolve templateRefs from the cache (with their p50/p99), plus the peak (VmHWM).
//!
//! `BOSUN_BENCH_TEMPLATES` (default 1000) and `BOSUN_BENCH_REVIEWS` (default 4000) size it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser as _;
use fakekube::FakeKube;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;
use webhook::config::{Cli, Command as Sub};
use webhook::metrics::Metrics;

fn env(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

fn status_kib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
}

fn mib(field: &str) -> String {
    format!("{:.1} MiB", status_kib(field) / 1024.0)
}

fn template(i: usize) -> Value {
    json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate",
        "metadata": {"name": format!("generated-{i}"), "namespace": "argo", "labels": {"app": "bench"},
                     "uid": format!("00000000-0000-0000-0000-{i:012}")},
        "spec": {"entrypoint": "main",
            "arguments": {"parameters": [{"name": "message", "value": format!("hello {i}")}]},
            "templates": [
                {"name": "main", "inputs": {"parameters": [{"name": "message"}]},
                 "steps": [[{"name": "greet", "template": "say",
                             "arguments": {"parameters": [{"name": "message", "value": "{{inputs.parameters.message}}"}]}}]]},
                {"name": "say", "inputs": {"parameters": [{"name": "message"}]},
                 "container": {"image": "alpine:3.20", "command": ["echo"], "args": ["{{inputs.parameters.message}}"],
                               "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}}]}})
}

/// Child: the fake cluster, populated; prints its URL and serves until stdin closes.
async fn serve_fake() {
    let fake = FakeKube::builder().start().await.expect("fake");
    let templates = env("BOSUN_BENCH_TEMPLATES", 1000);
    fake.upsert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "argo"}}))
        .expect("ns");
    for i in 0..templates {
        fake.upsert(template(i)).expect("template");
    }
    for n in 0..50 {
        let ns = format!("team-{n:02}");
        fake.upsert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}))
            .expect("ns");
        for k in 0..20 {
            fake.upsert(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": format!("s{k}"), "namespace": ns}, "data": {"k": "dmFsdWU="}}))
                .expect("secret");
            fake.upsert(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("c{k}"), "namespace": ns}, "data": {"k": "v"}}))
                .expect("configmap");
        }
        fake.upsert(json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "workflow", "namespace": ns}}))
            .expect("sa");
    }
    println!("{}", fake.url());
    let _ = std::io::stdout().flush();
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
    })
    .await
    .expect("stdin");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

async fn get(port: u16, path: &str) -> String {
    let Ok(mut tcp) = TcpStream::connect(("127.0.0.1", port)).await else {
        return String::new();
    };
    let req = format!("GET {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n");
    if tcp.write_all(req.as_bytes()).await.is_err() {
        return String::new();
    }
    let mut out = String::new();
    let _ = tcp.read_to_string(&mut out).await;
    out
}

fn review(i: usize) -> String {
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": format!("bench-{i}"), "kind": {"group": "argoproj.io", "version": "v1alpha1", "kind": "Workflow"},
        "resource": {"group": "argoproj.io", "version": "v1alpha1", "resource": "workflows"},
        "name": "uses-ref", "namespace": "argo", "operation": "CREATE", "userInfo": {"username": "bench"},
        "object": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"generateName": "uses-ref-", "namespace": "argo"},
            "spec": {"serviceAccountName": "default", "entrypoint": "main", "templates": [{"name": "main", "steps": [[
                {"name": "a", "templateRef": {"name": format!("generated-{}", i % 1000), "template": "say"},
                 "arguments": {"parameters": [{"name": "message", "value": "hi"}]}}]]}]}},
        "dryRun": false}})
    .to_string()
}

async fn reviews(port: u16, ca: &str, total: usize) -> (Vec<Duration>, usize) {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(ca.as_bytes()) {
        roots.add(c.expect("pem")).expect("ca");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("tls13")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    tcp.set_nodelay(true).ok();
    let mut tls = connector
        .connect(ServerName::try_from("localhost").expect("name"), tcp)
        .await
        .expect("handshake");
    let (mut times, mut allowed) = (Vec::with_capacity(total), 0);
    let mut buf = Vec::new();
    for i in 0..total {
        let body = review(i);
        let req = format!(
            "POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let t = Instant::now();
        tls.write_all(req.as_bytes()).await.expect("write");
        buf.clear();
        let mut chunk = [0u8; 8192];
        let text = loop {
            let n = tls.read(&mut chunk).await.expect("read");
            assert!(n > 0, "closed");
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len: usize = head
                    .to_ascii_lowercase()
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap_or(0))
                    })
                    .unwrap_or(0);
                if body.len() >= len {
                    break text;
                }
            }
        };
        times.push(t.elapsed());
        if text.contains(r#""allowed":true"#) {
            allowed += 1;
        }
    }
    times.sort();
    (times, allowed)
}

async fn run() {
    let templates = env("BOSUN_BENCH_TEMPLATES", 1000);
    let total = env("BOSUN_BENCH_REVIEWS", 4000);
    let mut child = Command::new(std::env::current_exe().expect("exe"))
        .env("BENCH_FAKE_SERVER", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("child");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut url)
        .expect("url");
    let before = mib("VmRSS:");
    let dir = tempfile::tempdir().expect("tmp");
    let ca_path = dir.path().join("ca.pem");
    let probe = free_port();
    let cli = Cli::try_parse_from([
        "bosun-webhook",
        "serve",
        "--self-signed",
        "--write-ca",
        ca_path.to_str().expect("utf8"),
        "--probe-listen",
        &format!("127.0.0.1:{probe}"),
    ])
    .expect("args");
    let Sub::Serve(args) = cli.command else {
        unreachable!()
    };
    let settings = args.resolve(|_| None).expect("settings");
    let client = kube::Client::try_from(kube::Config::new(url.trim().parse().expect("url")))
        .expect("client");
    let listener = webhook::server::bind("127.0.0.1:0".parse().expect("addr")).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let token = CancellationToken::new();
    let started = Instant::now();
    let server = tokio::spawn(webhook::cmd::serve_with_client(
        listener,
        settings,
        Some(client),
        Arc::new(Metrics::default()),
        token.clone(),
    ));
    while !get(probe, "/readyz").await.starts_with("HTTP/1.1 200") {
        assert!(started.elapsed() < Duration::from_secs(120), "not ready");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let synced_in = started.elapsed();
    let metrics = get(probe, "/metrics").await;
    let cached = metrics
        .lines()
        .find(|l| l.starts_with(r#"bosun_admission_cache_objects{kind="WorkflowTemplate"}"#))
        .and_then(|l| l.split_whitespace().last())
        .unwrap_or("?")
        .to_owned();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let ready = mib("VmRSS:");
    let ca = std::fs::read_to_string(&ca_path).expect("ca");
    let (times, allowed) = reviews(port, &ca, total).await;
    let after = mib("VmRSS:");
    let pct = |p: f64| {
        let i = ((times.len().max(1) - 1) as f64 * p) as usize;
        times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    println!("## Full server in cluster mode (fake API server in a child process)\n");
    println!("| measure | result |\n|---|---|");
    println!("| WorkflowTemplates in the fake / in the cache | {templates} / {cached} |");
    println!(
        "| start → `/readyz` 200 (all caches synced) | {:.0} ms |",
        synced_in.as_secs_f64() * 1e3
    );
    println!("| RSS before `serve` started (runtime, bench) | {before} |");
    println!("| RSS with caches synced | {ready} |");
    println!(
        "| RSS after {total} reviews over TLS (templateRef resolved from the cache; {allowed} allowed) | {after} |"
    );
    println!("| peak RSS (VmHWM) | {} |", mib("VmHWM:"));
    println!(
        "| review latency, one keep-alive connection: p50 / p99 | {:.0} µs / {:.0} µs |",
        pct(0.5),
        pct(0.99)
    );
    token.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    drop(child.stdin.take());
    let _ = child.wait();
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if std::env::var_os("BENCH_FAKE_SERVER").is_some() {
        rt.block_on(serve_fake());
    } else {
        rt.block_on(run());
    }
}
