//! Admission benchmark (`cargo bench -p webhook --bench admission`), printing figures for
//! BENCHMARKS.md:
//! 1. in-process decision latency (body bytes → parsed review → `admission::review` → response)
//!    for every object of the examples corpus, p50/p99;
//! 2. RSS of a cluster cache holding 1,000 parsed WorkflowTemplates;
//! 3. over TLS 1.3 on loopback: a bounded load generator (C keep-alive connections, a fixed
//!    number of requests) against `POST /validate` with the typical Workflow, beside the trivial
//!    `GET /healthz` on the same stack (axum + axum-server + rustls); p50/p99 and throughput.
//!
//! `BOSUN_BENCH_REQUESTS` (default 4000) and `BOSUN_BENCH_CONCURRENCY` (default 8) size part 3.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;
use webhook::admission::{Endpoint, Reviewer, review};
use webhook::cluster::{Cluster, parse_template};
use webhook::metrics::Metrics;
use webhook::policy::Policy;
use webhook::server::{self, Limits, handlers, tls::TlsFiles};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn fmt(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn review_body(object: &Value) -> String {
    let kind = object["kind"].as_str().unwrap_or_default();
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "bench", "kind": {"group": "argoproj.io", "version": "v1alpha1", "kind": kind},
        "resource": {"group": "argoproj.io", "version": "v1alpha1", "resource": format!("{}s", kind.to_lowercase())},
        "name": object["metadata"]["name"].as_str().unwrap_or(""), "namespace": "argo", "operation": "CREATE",
        "userInfo": {"username": "bench"}, "object": object, "dryRun": false}})
    .to_string()
}

fn corpus() -> Vec<(String, Value)> {
    let dir = format!("{}/../examples", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    for path in paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (i, doc) in text.split("\n---").enumerate() {
            if let Ok(v) = serde_saphyr::from_str::<Value>(doc)
                && v.get("kind").is_some()
            {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                out.push((
                    format!("{name}#{i} ({})", v["kind"].as_str().unwrap_or("")),
                    v,
                ));
            }
        }
    }
    out
}

fn in_process() {
    println!("## In-process decision latency (parse review + lint + respond), no cluster\n");
    println!("| object | p50 | p99 | result |");
    println!("|---|---|---|---|");
    let reviewer = Reviewer::new(Policy::default(), None);
    for (name, object) in corpus() {
        let body = review_body(&object);
        let mut times = Vec::with_capacity(2000);
        let mut result = "";
        for _ in 0..2000 {
            let t = Instant::now();
            let req = handlers::parse(body.as_bytes()).expect("review parses");
            let d = review(&req, &reviewer, Endpoint::Validate);
            times.push(t.elapsed());
            result = d.result;
        }
        times.sort();
        println!(
            "| {name} | {} | {} | {result} |",
            fmt(percentile(&times, 0.5)),
            fmt(percentile(&times, 0.99))
        );
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn cache_memory() {
    let template = corpus()
        .into_iter()
        .find(|(_, v)| v["kind"] == "WorkflowTemplate")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let before = rss_kib();
    let cluster = Cluster::new();
    let t = Instant::now();
    for i in 0..1000 {
        let mut v = template.clone();
        v["metadata"]["name"] = json!(format!("t{i}"));
        cluster.put_template(
            "argo",
            &format!("t{i}"),
            parse_template(&format!("t{i}"), &v),
        );
    }
    let elapsed = t.elapsed();
    println!(
        "\n## Cluster cache\n\n1,000 WorkflowTemplates parsed and cached in {:.0} ms; RSS {:.1} MiB → {:.1} MiB (+{:.1} MiB)\n",
        elapsed.as_secs_f64() * 1e3,
        before as f64 / 1024.0,
        rss_kib() as f64 / 1024.0,
        (rss_kib().saturating_sub(before)) as f64 / 1024.0
    );
    drop(cluster);
}

async fn one_connection(
    addr: SocketAddr,
    connector: tokio_rustls::TlsConnector,
    request: Arc<Vec<u8>>,
    count: usize,
) -> Vec<Duration> {
    let tcp = TcpStream::connect(addr).await.expect("connect");
    tcp.set_nodelay(true).ok();
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .expect("handshake");
    let mut times = Vec::with_capacity(count);
    let mut buf = Vec::with_capacity(64 << 10);
    for _ in 0..count {
        let t = Instant::now();
        tls.write_all(&request).await.expect("write");
        tls.flush().await.expect("flush");
        buf.clear();
        // Read headers, then content-length bytes of body.
        let (head_end, len) = loop {
            let mut chunk = [0u8; 16 << 10];
            let n = tokio::time::timeout(Duration::from_secs(10), tls.read(&mut chunk))
                .await
                .unwrap_or_else(|_| panic!("no response head: {:?}", String::from_utf8_lossy(&buf)))
                .expect("read");
            assert!(n > 0, "connection closed");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..p]).to_ascii_lowercase();
                assert!(head.starts_with("http/1.1 200"), "{head}");
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                break (p + 4, len);
            }
        };
        while buf.len() < head_end + len {
            let mut chunk = [0u8; 16 << 10];
            let n = tokio::time::timeout(Duration::from_secs(10), tls.read(&mut chunk))
                .await
                .unwrap_or_else(|_| panic!("short body: {} of {len}", buf.len() - head_end))
                .expect("read");
            assert!(n > 0, "connection closed");
            buf.extend_from_slice(&chunk[..n]);
        }
        times.push(t.elapsed());
    }
    times
}

async fn load(addr: SocketAddr, request: Vec<u8>, total: usize, concurrency: usize) -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("tls13")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCert))
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let request = Arc::new(request);
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            tokio::spawn(one_connection(
                addr,
                connector.clone(),
                request.clone(),
                total / concurrency,
            ))
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("worker"));
    }
    let wall = started.elapsed();
    all.sort();
    format!(
        "{} | {} | {:.0} req/s",
        fmt(percentile(&all, 0.5)),
        fmt(percentile(&all, 0.99)),
        all.len() as f64 / wall.as_secs_f64()
    )
}

#[derive(Debug)]
struct AnyCert;

impl rustls::client::danger::ServerCertVerifier for AnyCert {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }
    fn verify_tls13_signature(
        &self,
        _: &[u8],
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        rustls::crypto::ring::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

async fn over_tls() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (total, concurrency) = (
        env("BOSUN_BENCH_REQUESTS", 4000),
        env("BOSUN_BENCH_CONCURRENCY", 8).max(1),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let c = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("rcgen");
    let (cert, key) = (dir.path().join("tls.crt"), dir.path().join("tls.key"));
    std::fs::write(&cert, c.cert.pem()).expect("write");
    std::fs::write(&key, c.signing_key.serialize_pem()).expect("write");
    let metrics = Arc::new(Metrics::default());
    let reviewer = Arc::new(Reviewer::new(Policy::default(), None));
    let app = server::router(reviewer, metrics.admission.clone(), Limits::default());
    let listener = server::bind("127.0.0.1:0".parse().expect("addr")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let token = CancellationToken::new();
    let files = TlsFiles {
        cert,
        key,
        poll: Duration::from_secs(10),
    };
    tokio::spawn(server::serve(
        listener,
        app,
        files,
        metrics.admission.clone(),
        Duration::from_secs(5),
        token.clone(),
    ));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let workflow = corpus()
        .into_iter()
        .find(|(_, v)| v["kind"] == "Workflow")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let body = review_body(&workflow);
    let validate = format!(
        "POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let healthz = "GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n".to_owned();
    println!(
        "## Over TLS 1.3 on loopback: {total} requests, {concurrency} keep-alive connections\n"
    );
    println!("| endpoint | p50 | p99 | throughput |");
    println!("|---|---|---|---|");
    // Warm-up.
    let _ = load(addr, validate.clone().into_bytes(), 200, concurrency).await;
    let trivial = load(addr, healthz.into_bytes(), total, concurrency).await;
    println!("| GET /healthz (trivial, same stack) | {trivial} |");
    let v = load(addr, validate.into_bytes(), total, concurrency).await;
    println!("| POST /validate (workflow-sample-steps) | {v} |");
    token.cancel();
}

fn main() {
    in_process();
    cache_memory();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(over_tls());
}
