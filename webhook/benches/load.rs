//! Load generator and response checker for a running `bosun-webhook serve` (driven by
//! `scripts/load.sh`; `cargo bench -p webhook --bench load -- --help`).
//!
//! It builds a mixed corpus of AdmissionReviews from manifest directories (every Workflow,
//! WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow: CREATE on `/validate`, plus
//! Workflows and CronWorkflows on `/mutate`, plus deliberately broken copies of Workflows), and
//! decides the expected answer of each in-process with the server's own code (same policy, same
//! template library): allowed, status code, warnings count and the exact patch. Then it replays
//! the corpus over TLS (verified against the server's CA) on keep-alive connections, either as
//! fast as possible (`--rate 0`: maximum throughput) or at a fixed total rate (latency measured
//! from the scheduled send time, so a stalled server cannot hide queueing), and checks every
//! response: HTTP 200, the request's own uid, and the expected decision. With `--pid` it samples
//! the server's RSS every second. `--path /healthz` instead measures the trivial endpoint of the
//! same stack. The summary is one `key=value` line per figure; the exit status is 1 on any error.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use webhook::admission::{Endpoint, Reviewer, review};
use webhook::library::Library;
use webhook::policy::Policy;
use webhook::server::handlers;

/// The TLS client of the real-socket tests (CA-verified connections, HTTP/1.1 responses).
#[path = "../tests/tlsclient/mod.rs"]
mod tlsclient;

#[derive(Parser, Debug)]
#[command(name = "load")]
struct Args {
    /// Server address.
    #[arg(long, default_value = "127.0.0.1:8443")]
    addr: SocketAddr,
    /// CA certificate (PEM) the server's certificate must verify against (for `localhost`).
    #[arg(long)]
    ca: PathBuf,
    /// Manifest directories for the corpus.
    #[arg(long, required = true)]
    corpus: Vec<PathBuf>,
    /// The server's --templates directory (for the expected answers).
    #[arg(long)]
    templates: Option<PathBuf>,
    /// The server's --config policy (for the expected answers).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Keep-alive connections.
    #[arg(long, default_value_t = 8)]
    connections: usize,
    /// Total requests per second; 0 = as fast as possible.
    #[arg(long, default_value_t = 0)]
    rate: u64,
    /// Seconds to run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Measure `GET PATH` (e.g. /healthz) instead of the corpus.
    #[arg(long)]
    path: Option<String>,
    /// Sample this process' RSS every second.
    #[arg(long)]
    pid: Option<u32>,
    /// Write the RSS samples (seconds,KiB) here.
    #[arg(long)]
    rss_out: Option<PathBuf>,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

/// One request of the corpus and what its answer must be.
struct Case {
    /// The serialized request, split around the uid.
    head: String,
    before_uid: String,
    after_uid: String,
    expect: Expect,
}

#[derive(Debug, PartialEq)]
struct Expect {
    allowed: bool,
    code: Option<u64>,
    warnings: usize,
    patch: Option<String>,
}

const UID: &str = "00000000-uid-placeholder";

fn review_json(object: &Value, operation: &str) -> Value {
    let kind = object["kind"].as_str().unwrap_or_default();
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": UID, "kind": {"group": "argoproj.io", "version": "v1alpha1", "kind": kind},
        "resource": {"group": "argoproj.io", "version": "v1alpha1", "resource": format!("{}s", kind.to_lowercase())},
        "name": object["metadata"]["name"].as_str().unwrap_or(""), "namespace": "argo", "operation": operation,
        "userInfo": {"username": "load"}, "object": object, "dryRun": false}})
}

fn expect_of(v: &Value) -> Expect {
    let r = &v["response"];
    Expect {
        allowed: r["allowed"].as_bool().unwrap_or(false),
        code: if r["allowed"] == true {
            None
        } else {
            r["status"]["code"].as_u64()
        },
        warnings: r["warnings"].as_array().map_or(0, Vec::len),
        patch: r["patch"].as_str().map(str::to_owned),
    }
}

fn manifests(dir: &Path, out: &mut Vec<Value>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            manifests(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for doc in text.split("\n---") {
                if let Ok(v) = serde_saphyr::from_str::<Value>(doc)
                    && v["apiVersion"]
                        .as_str()
                        .is_some_and(|a| a.starts_with("argoproj.io/"))
                    && matches!(
                        v["kind"].as_str(),
                        Some(
                            "Workflow"
                                | "WorkflowTemplate"
                                | "ClusterWorkflowTemplate"
                                | "CronWorkflow"
                        )
                    )
                {
                    out.push(v);
                }
            }
        }
    }
}

/// A copy of a Workflow with a misspelled field: always denied (AW101).
fn broken(object: &Value) -> Value {
    let mut v = object.clone();
    if let Some(spec) = v["spec"].as_object_mut() {
        spec.insert("entrypiont".into(), json!("main"));
    }
    v
}

fn corpus(args: &Args) -> (Vec<Case>, BTreeMap<&'static str, usize>) {
    let policy = match &args.config {
        Some(p) => Policy::load(p).expect("policy"),
        None => Policy::default(),
    };
    let reviewer = match &args.templates {
        Some(dir) => {
            Reviewer::with_library(policy, Arc::new(Library::load(dir).expect("templates")))
        }
        None => Reviewer::new(policy, None),
    };
    let mut objects = Vec::new();
    for dir in &args.corpus {
        manifests(dir, &mut objects);
    }
    let mut cases = Vec::new();
    let mut mix: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut add = |v: Value, path: &str, endpoint: Endpoint| {
        let body = v.to_string();
        let req = handlers::parse(body.as_bytes()).expect("review parses");
        let decision = review(&req, &reviewer, endpoint);
        let mut encoded = serde_json::to_value(decision.response.into_review()).expect("json");
        if let Some(p) = encoded.pointer_mut("/response/patch") {
            let bytes: Vec<u8> = serde_json::from_value(p.take()).unwrap_or_default();
            *p = Value::String(handlers::base64(&bytes));
        }
        let expect = expect_of(&encoded);
        let label = match (endpoint, expect.allowed, expect.patch.is_some()) {
            (Endpoint::Mutate, _, true) => "mutate_patched",
            (Endpoint::Mutate, _, false) => "mutate_unchanged",
            (Endpoint::Validate, true, _) => "validate_allowed",
            (Endpoint::Validate, false, _) => "validate_denied",
        };
        *mix.entry(label).or_default() += 1;
        let (before, after) = body.split_once(UID).expect("uid placeholder");
        cases.push(Case {
            head: format!(
                "POST {path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: "
            ),
            before_uid: before.to_owned(),
            after_uid: after.to_owned(),
            expect,
        });
    };
    for o in &objects {
        add(review_json(o, "CREATE"), "/validate", Endpoint::Validate);
        if matches!(o["kind"].as_str(), Some("Workflow" | "CronWorkflow")) {
            add(review_json(o, "CREATE"), "/mutate", Endpoint::Mutate);
        }
        if o["kind"] == "Workflow" {
            add(
                review_json(&broken(o), "CREATE"),
                "/validate",
                Endpoint::Validate,
            );
        }
    }
    (cases, mix)
}

type Tls = tokio_rustls::client::TlsStream<TcpStream>;

async fn connect(addr: SocketAddr, connector: &TlsConnector) -> std::io::Result<Tls> {
    tlsclient::connect(addr, connector, "localhost").await
}

/// Reads one response: (status, body).
async fn response(tls: &mut Tls, buf: &mut Vec<u8>) -> std::io::Result<(u16, Vec<u8>)> {
    tlsclient::read_raw_response(tls, buf, Duration::from_secs(15)).await
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    ok: u64,
    errors: u64,
    mismatches: u64,
    reconnects: u64,
    first_problem: Option<String>,
}

impl Tally {
    fn problem(&mut self, what: String) {
        if self.first_problem.is_none() {
            self.first_problem = Some(what);
        }
    }
}

/// What one request is: a corpus case, or the trivial GET.
enum Work<'a> {
    Case(&'a Case),
    Get(&'a str),
}

struct Shared {
    cases: Vec<Case>,
    path: Option<String>,
    addr: SocketAddr,
    connector: TlsConnector,
    stop: AtomicBool,
    sent: AtomicU64,
}

async fn worker(shared: Arc<Shared>, id: usize, interval: Option<Duration>) -> Tally {
    let mut tally = Tally::default();
    let mut tls = match connect(shared.addr, &shared.connector).await {
        Ok(t) => Some(t),
        Err(e) => {
            tally.errors += 1;
            tally.problem(format!("connect: {e}"));
            None
        }
    };
    let mut buf = Vec::with_capacity(64 << 10);
    let mut seq: u64 = 0;
    let start = tokio::time::Instant::now();
    // Spread the connections' schedules over one interval.
    let mut next = interval.map(|i| start + i.mul_f64(id as f64 / 97.0 % 1.0));
    while !shared.stop.load(Ordering::Relaxed) {
        if let Some(at) = next {
            tokio::time::sleep_until(at).await;
            if shared.stop.load(Ordering::Relaxed) {
                break;
            }
        }
        let scheduled = next.map_or_else(Instant::now, |t| t.into_std());
        if let (Some(at), Some(i)) = (next.as_mut(), interval) {
            *at += i;
        }
        let n = shared.sent.fetch_add(1, Ordering::Relaxed);
        let work = match &shared.path {
            Some(p) => Work::Get(p),
            None => Work::Case(&shared.cases[(n as usize) % shared.cases.len()]),
        };
        let uid = format!("load-{id:03}-{seq:012}");
        seq += 1;
        let request = match &work {
            Work::Get(p) => format!("GET {p} HTTP/1.1\r\nhost: localhost\r\n\r\n"),
            Work::Case(c) => {
                let len = c.before_uid.len() + uid.len() + c.after_uid.len();
                format!(
                    "{}{len}\r\n\r\n{}{uid}{}",
                    c.head, c.before_uid, c.after_uid
                )
            }
        };
        if tls.is_none() {
            tally.reconnects += 1;
            tls = connect(shared.addr, &shared.connector).await.ok();
        }
        let Some(conn) = tls.as_mut() else {
            tally.errors += 1;
            tally.problem("reconnect failed".into());
            continue;
        };
        let sent = async {
            conn.write_all(request.as_bytes()).await?;
            conn.flush().await?;
            response(conn, &mut buf).await
        };
        match sent.await {
            Err(e) => {
                tally.errors += 1;
                tally.problem(format!("{e}"));
                tls = None;
            }
            Ok((status, body)) => {
                tally.latencies.push(scheduled.elapsed());
                match check(&work, &uid, status, &body) {
                    Ok(()) => tally.ok += 1,
                    Err(what) => {
                        tally.mismatches += 1;
                        tally.problem(what);
                    }
                }
            }
        }
    }
    tally
}

fn check(work: &Work<'_>, uid: &str, status: u16, body: &[u8]) -> Result<(), String> {
    if status != 200 {
        return Err(format!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(body)
                .chars()
                .take(200)
                .collect::<String>()
        ));
    }
    let Work::Case(case) = work else {
        return Ok(());
    };
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    if v["response"]["uid"] != uid {
        return Err(format!("uid {} for {uid}", v["response"]["uid"]));
    }
    let got = expect_of(&v);
    if got != case.expect {
        return Err(format!("expected {:?}, got {got:?}", case.expect));
    }
    Ok(())
}

fn rss_kib(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

async fn run(args: Args) -> bool {
    let (cases, mix) = if args.path.is_some() {
        (Vec::new(), BTreeMap::new())
    } else {
        corpus(&args)
    };
    if args.path.is_none() {
        let mix: Vec<String> = mix.iter().map(|(k, v)| format!("{k}:{v}")).collect();
        println!("corpus={} mix={}", cases.len(), mix.join(","));
        assert!(!cases.is_empty(), "empty corpus");
    }
    let connections = args.connections.max(1);
    let interval =
        (args.rate > 0).then(|| Duration::from_secs_f64(connections as f64 / args.rate as f64));
    let shared = Arc::new(Shared {
        cases,
        path: args.path.clone(),
        addr: args.addr,
        connector: tlsclient::connector(&std::fs::read_to_string(&args.ca).expect("CA file")),
        stop: AtomicBool::new(false),
        sent: AtomicU64::new(0),
    });
    let rss = args.pid.map(|pid| {
        let shared = shared.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            let mut samples = Vec::new();
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while !shared.stop.load(Ordering::Relaxed) {
                tick.tick().await;
                match rss_kib(pid) {
                    Some(k) => samples.push((start.elapsed().as_secs(), k)),
                    None => break,
                }
            }
            samples
        })
    });
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|id| tokio::spawn(worker(shared.clone(), id, interval)))
        .collect();
    tokio::time::sleep(Duration::from_secs(args.duration)).await;
    shared.stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    for w in workers {
        let t = w.await.expect("worker");
        total.latencies.extend(t.latencies);
        total.ok += t.ok;
        total.errors += t.errors;
        total.mismatches += t.mismatches;
        total.reconnects += t.reconnects;
        if total.first_problem.is_none() {
            total.first_problem = t.first_problem;
        }
    }
    let wall = started.elapsed();
    total.latencies.sort();
    let answered = total.latencies.len();
    println!(
        "requests={answered} ok={} errors={} mismatches={} reconnects={} seconds={:.1} throughput={:.0}/s p50_ms={} p90_ms={} p99_ms={} max_ms={}",
        total.ok,
        total.errors,
        total.mismatches,
        total.reconnects,
        wall.as_secs_f64(),
        answered as f64 / wall.as_secs_f64(),
        ms(percentile(&total.latencies, 0.5)),
        ms(percentile(&total.latencies, 0.9)),
        ms(percentile(&total.latencies, 0.99)),
        ms(total.latencies.last().copied().unwrap_or_default()),
    );
    if let Some(p) = &total.first_problem {
        println!("first_problem={p}");
    }
    if let Some(handle) = rss {
        let samples = handle.await.unwrap_or_default();
        report_rss(&samples, args.rss_out.as_deref());
    }
    total.errors == 0 && total.mismatches == 0
}

fn report_rss(samples: &[(u64, u64)], out: Option<&Path>) {
    let mib = |k: u64| format!("{:.1}", k as f64 / 1024.0);
    let at = |i: usize| samples.get(i).map_or(0, |s| s.1);
    let n = samples.len();
    if n == 0 {
        println!("rss=unavailable");
        return;
    }
    let max = samples.iter().map(|s| s.1).max().unwrap_or(0);
    // Flatness: the mean of the last tenth against the mean of the second tenth (after warm-up).
    let tenth = (n / 10).max(1);
    let mean = |r: &[(u64, u64)]| r.iter().map(|s| s.1).sum::<u64>() as f64 / r.len().max(1) as f64;
    let early = mean(&samples[tenth.min(n - 1)..(2 * tenth).min(n)]);
    let late = mean(&samples[n - tenth..]);
    println!(
        "rss_samples={n} rss_start_mib={} rss_mid_mib={} rss_end_mib={} rss_max_mib={} rss_late_vs_early={:+.1}%",
        mib(at(0)),
        mib(at(n / 2)),
        mib(at(n - 1)),
        mib(max),
        (late / early.max(1.0) - 1.0) * 100.0
    );
    let per_minute: Vec<String> = samples.iter().step_by(60).map(|s| mib(s.1)).collect();
    println!("rss_per_minute_mib={}", per_minute.join(","));
    if let Some(path) = out {
        let csv: String = samples.iter().map(|(t, k)| format!("{t},{k}\n")).collect();
        if let Err(e) = std::fs::write(path, format!("seconds,rss_kib\n{csv}")) {
            eprintln!("{}: {e}", path.display());
        }
    }
}

fn main() {
    let args = Args::parse();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let ok = rt.block_on(run(args));
    std::process::exit(if ok { 0 } else { 1 });
}
