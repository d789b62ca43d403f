//! Shared by the real-socket and degradation tests: a TLS client that verifies the server against a CA (no
//! "accept anything" shortcut), HTTP/1.1 request/response over it, and an admission server
//! started in-process on an ephemeral port, and in-process `oneshot` requests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_util::sync::CancellationToken;
use webhook::admission::Reviewer;
use webhook::metrics::Metrics;
use webhook::server::{self, Connections, Limits, Tls};

/// A client trusting only `ca_pem`.
pub fn connector(ca_pem: &str) -> TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.expect("CA PEM")).expect("CA accepted");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

/// Connects and completes a handshake for `name` (verified against the connector's CA).
pub async fn connect(
    addr: SocketAddr,
    connector: &TlsConnector,
    name: &str,
) -> std::io::Result<TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(addr).await?;
    tcp.set_nodelay(true)?;
    let name = ServerName::try_from(name.to_owned()).map_err(std::io::Error::other)?;
    connector.connect(name, tcp).await
}

/// An HTTP/1.1 POST (keep-alive) of a JSON body.
pub fn post_request(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Reads one response (status and body by content-length) within 10 s, the body as JSON (or a
/// JSON string when it is not JSON).
pub async fn read_response<S: AsyncRead + Unpin>(stream: &mut S) -> std::io::Result<(u16, Value)> {
    let mut buf = Vec::new();
    let (status, body) = read_raw_response(stream, &mut buf, Duration::from_secs(10)).await?;
    let value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    Ok((status, value))
}

/// Reads one response (status and body by content-length) within `limit`, using `buf` (cleared
/// first) as the read buffer so a caller on a keep-alive loop reuses one allocation.
pub async fn read_raw_response<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    limit: Duration,
) -> std::io::Result<(u16, Vec<u8>)> {
    buf.clear();
    let deadline = tokio::time::Instant::now() + limit;
    let mut chunk = [0u8; 16 << 10];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status = head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Ok((status, buf[end + 4..end + 4 + len].to_vec()));
            }
        }
        let n = tokio::time::timeout_at(deadline, stream.read(&mut chunk))
            .await
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// POSTs `body` to `path` on an open connection and reads the answer.
pub async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, Value)> {
    stream
        .write_all(post_request(path, body).as_bytes())
        .await?;
    stream.flush().await?;
    read_response(stream).await
}

/// Reads until the peer closes (or `limit` passes); returns whether it closed.
pub async fn closed_within<S: AsyncRead + Unpin>(stream: &mut S, limit: Duration) -> bool {
    let mut sink = [0u8; 4096];
    let read_to_end = async {
        loop {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(limit, read_to_end).await.is_ok()
}

/// An admission server on 127.0.0.1:0.
pub struct Running {
    pub addr: SocketAddr,
    pub token: CancellationToken,
    pub metrics: Arc<Metrics>,
    pub handle: tokio::task::JoinHandle<Result<(), server::Error>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.token.cancel();
    }
}

/// Starts the admission server with `reviewer`, `limits` and `connections`, serving `tls`.
pub fn start(reviewer: Reviewer, limits: Limits, connections: Connections, tls: Tls) -> Running {
    let metrics = Arc::new(Metrics::default());
    let app = server::router(Arc::new(reviewer), metrics.admission.clone(), limits);
    let listener = server::bind("127.0.0.1:0".parse().expect("addr")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let token = CancellationToken::new();
    let handle = tokio::spawn(server::serve_with(
        listener,
        app,
        tls,
        connections,
        metrics.admission.clone(),
        token.clone(),
    ));
    Running {
        addr,
        token,
        metrics,
        handle,
    }
}

/// A fixed certificate for `localhost` from a fresh CA: (CA PEM, server TLS source).
pub fn localhost_tls() -> (String, Tls) {
    let bundle = webhook::certs::generate_for("test CA", vec!["localhost".to_owned()], 2)
        .expect("certificates");
    let loaded = server::tls::build(
        bundle.cert.as_bytes(),
        bundle.key.as_bytes(),
        std::path::Path::new("tls.crt"),
        std::path::Path::new("tls.key"),
    )
    .expect("pair");
    (bundle.ca_cert, Tls::Fixed(loaded))
}

/// A test fixture from `tests/data`.
pub fn data(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("data")).expect("json")
}

/// One POST through the router in-process (`oneshot`, no socket): status, JSON body, latency.
pub async fn oneshot(app: &axum::Router, path: &str, body: String) -> (u16, Value, Duration) {
    use tower::ServiceExt as _;
    let req = http::Request::post(path)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body))
        .expect("request");
    let started = tokio::time::Instant::now();
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value, started.elapsed())
}
