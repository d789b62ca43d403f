//! The admission server on a real socket (127.0.0.1) with rcgen certificates: TLS 1.2 and 1.3
//! handshakes, plaintext and TLS 1.1 refused, certificate rotation picked up while requests are
//! in flight (no failed request), a garbage certificate ignored (old one kept), and graceful
//! shutdown draining an in-flight review.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme, SupportedProtocolVersion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_util::sync::CancellationToken;
use webhook::admission::Reviewer;
use webhook::metrics::Metrics;
use webhook::policy::Policy;
use webhook::server::{self, Limits, tls::TlsFiles};

fn mint(name: &str) -> (String, String) {
    let c = rcgen::generate_simple_self_signed(vec![name.to_owned(), "localhost".to_owned()])
        .expect("rcgen");
    (c.cert.pem(), c.signing_key.serialize_pem())
}

/// Accepts any certificate and remembers the last one presented (the tests check which
/// certificate is served, not the chain).
#[derive(Debug)]
struct Recorder {
    seen: std::sync::Mutex<Option<Vec<u8>>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        *self.seen.lock().unwrap() = Some(end_entity.to_vec());
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn client(version: &'static SupportedProtocolVersion) -> (TlsConnector, Arc<Recorder>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let recorder = Arc::new(Recorder {
        seen: std::sync::Mutex::new(None),
        provider: provider.clone(),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[version])
        .expect("versions")
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    (TlsConnector::from(Arc::new(config)), recorder)
}

struct Running {
    addr: SocketAddr,
    token: CancellationToken,
    metrics: Arc<Metrics>,
    handle: tokio::task::JoinHandle<Result<(), server::Error>>,
    _dir: tempfile::TempDir,
    cert: std::path::PathBuf,
    key: std::path::PathBuf,
}

fn write_pair(cert: &Path, key: &Path, pair: &(String, String)) {
    std::fs::write(key, &pair.1).unwrap();
    std::fs::write(cert, &pair.0).unwrap();
}

fn start(pair: &(String, String)) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("tls.crt"), dir.path().join("tls.key"));
    write_pair(&cert, &key, pair);
    let metrics = Arc::new(Metrics::default());
    let reviewer = Arc::new(Reviewer::new(Policy::default(), None));
    let app = server::router(reviewer, metrics.admission.clone(), Limits::default());
    let listener = server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let token = CancellationToken::new();
    let files = TlsFiles {
        cert: cert.clone(),
        key: key.clone(),
        poll: Duration::from_millis(100),
    };
    let handle = tokio::spawn(server::serve(
        listener,
        app,
        files,
        metrics.admission.clone(),
        Duration::from_secs(10),
        token.clone(),
    ));
    Running {
        addr,
        token,
        metrics,
        handle,
        _dir: dir,
        cert,
        key,
    }
}

fn valid_review() -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/workflow-create-valid.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn request(body: &str) -> String {
    format!(
        "POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// One review over a fresh TLS connection; returns the status line and the served certificate.
async fn post(
    addr: SocketAddr,
    version: &'static SupportedProtocolVersion,
) -> Result<(String, Vec<u8>), String> {
    let (connector, recorder) = client(version);
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    assert_eq!(tls.get_ref().1.protocol_version(), Some(version.version));
    tls.write_all(request(&valid_review()).as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out).await;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.lines().next().unwrap_or_default().to_owned();
    let seen = recorder.seen.lock().unwrap().clone().unwrap_or_default();
    Ok((status, seen))
}

fn der_of(pem: &str) -> Vec<u8> {
    use rustls::pki_types::pem::PemObject;
    CertificateDer::from_pem_slice(pem.as_bytes())
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn tls_12_and_13_are_served_and_plaintext_and_tls_11_are_refused() {
    let pair = mint("bosun-a");
    let s = start(&pair);
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let (status, seen) = post(s.addr, version).await.expect("review over TLS");
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert_eq!(seen, der_of(&pair.0));
    }

    // Plain HTTP on the TLS port gets no HTTP answer.
    let mut tcp = TcpStream::connect(s.addr).await.unwrap();
    tcp.write_all(request(&valid_review()).as_bytes())
        .await
        .unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut out)).await;
    assert!(!out.starts_with(b"HTTP/"), "plaintext answered");

    // A TLS 1.1-only ClientHello gets an alert (0x15), never a ServerHello (0x16).
    let mut hello = vec![0x03, 0x02];
    hello.extend([7u8; 32]); // random
    hello.extend([0x00, 0x00, 0x02, 0x00, 0x2f, 0x01, 0x00]); // no session, one suite, null compression
    let mut handshake = vec![0x01, 0x00, 0x00, hello.len() as u8];
    handshake.extend(hello);
    let mut record = vec![0x16, 0x03, 0x02, 0x00, handshake.len() as u8];
    record.extend(handshake);
    let mut tcp = TcpStream::connect(s.addr).await.unwrap();
    tcp.write_all(&record).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut out)).await;
    assert_ne!(out.first(), Some(&0x16), "TLS 1.1 was negotiated");
    s.token.cancel();
}

#[tokio::test]
async fn rotation_is_picked_up_without_failed_requests_and_garbage_keeps_the_old_pair() {
    let a = mint("bosun-a");
    let s = start(&a);
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let load = {
        let (stop, ok, failed, addr) = (stop.clone(), ok.clone(), failed.clone(), s.addr);
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                match post(addr, &rustls::version::TLS13).await {
                    Ok((status, _)) if status == "HTTP/1.1 200 OK" => {
                        ok.fetch_add(1, Ordering::Relaxed)
                    }
                    _ => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let b = mint("bosun-b");
    write_pair(&s.cert, &s.key, &b);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, seen) = post(s.addr, &rustls::version::TLS13).await.unwrap();
        if seen == der_of(&b.0) {
            break;
        }
        assert!(Instant::now() < deadline, "rotation not picked up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    load.await.unwrap();
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "requests failed during rotation"
    );
    assert!(ok.load(Ordering::Relaxed) > 0);

    std::fs::write(&s.cert, "-----BEGIN CERTIFICATE-----\ngarbage\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !s
        .metrics
        .render()
        .contains(r#"bosun_admission_certificate_reloads_total{result="failed"}"#)
    {
        assert!(Instant::now() < deadline, "garbage not noticed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, seen) = post(s.addr, &rustls::version::TLS12).await.unwrap();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(seen, der_of(&b.0), "the old pair is kept");
    let text = s.metrics.render();
    assert!(text.contains("bosun_admission_certificate_expiry_timestamp_seconds "));
    s.token.cancel();
}

#[tokio::test]
async fn graceful_shutdown_drains_an_in_flight_review() {
    let s = start(&mint("bosun-a"));
    let (connector, _) = client(&rustls::version::TLS13);
    let tcp = TcpStream::connect(s.addr).await.unwrap();
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    let req = request(&valid_review());
    let (head, tail) = req.split_at(req.len() - 100);
    tls.write_all(head.as_bytes()).await.unwrap();
    tls.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    s.token.cancel();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // New connections are no longer served.
    assert!(post(s.addr, &rustls::version::TLS13).await.is_err());
    tls.write_all(tail.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out).await;
    assert!(
        String::from_utf8_lossy(&out).starts_with("HTTP/1.1 200 OK"),
        "in-flight review was cut"
    );
    let ended = tokio::time::timeout(Duration::from_secs(10), s.handle).await;
    assert!(
        matches!(ended, Ok(Ok(Ok(())))),
        "server did not stop cleanly"
    );
}
