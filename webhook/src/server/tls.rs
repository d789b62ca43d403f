//! Serving certificate: PEM cert chain and key from files, TLS 1.2 and 1.3 only (ring provider,
//! installed in `main`), reloaded without restart. The files are polled (kubelet swaps a
//! `..data` symlink, so inotify on the files themselves misses updates; cert-manager polls
//! too); when either changed, the pair is re-read and swapped in only if both parse and the key
//! matches the certificate. On failure the old configuration stays and the failure is logged
//! once per distinct content and counted.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum_server::tls_rustls::RustlsConfig;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_util::sync::CancellationToken;

use super::Error;
use crate::metrics::AdmissionMetrics;

/// Where the certificate comes from and how often to look for a new one.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub poll: Duration,
}

/// A loaded pair: the rustls config and the leaf's notAfter (Unix seconds, if readable).
pub struct Loaded {
    pub config: Arc<ServerConfig>,
    pub not_after: Option<i64>,
}

fn tls_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Tls(format!("{}: {message}", path.display()))
}

/// Builds a server config from PEM bytes.
pub fn build(cert_pem: &[u8], key_pem: &[u8], cert: &Path, key: &Path) -> Result<Loaded, Error> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| tls_error(cert, e))?;
    if chain.is_empty() {
        return Err(tls_error(cert, "no certificate found"));
    }
    let private = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| tls_error(key, e))?;
    let not_after = chain.first().and_then(|c| not_after(c));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let signing = provider
        .key_provider
        .load_private_key(private.clone_key())
        .map_err(|e| tls_error(key, e))?;
    let certified = rustls::sign::CertifiedKey::new(chain.clone(), signing);
    certified
        .keys_match()
        .map_err(|e| tls_error(key, format!("does not match the certificate: {e}")))?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| tls_error(cert, e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Loaded {
        config: Arc::new(config),
        not_after,
    })
}

/// The PEM bytes of a certificate and its key.
pub type PemPair = (Vec<u8>, Vec<u8>);

/// Reads and builds the pair from `files`.
pub fn load(files: &TlsFiles) -> Result<(Loaded, PemPair), Error> {
    let cert = std::fs::read(&files.cert).map_err(|e| tls_error(&files.cert, e))?;
    let key = std::fs::read(&files.key).map_err(|e| tls_error(&files.key, e))?;
    let loaded = build(&cert, &key, &files.cert, &files.key)?;
    Ok((loaded, (cert, key)))
}

/// Polls the files and swaps the served config when a new valid pair appears.
pub async fn watch(
    files: TlsFiles,
    served: RustlsConfig,
    mut current: PemPair,
    metrics: Arc<AdmissionMetrics>,
    shutdown: CancellationToken,
) {
    let mut rejected: Option<PemPair> = None;
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(files.poll) => {}
        }
        let (Ok(cert), Ok(key)) = (std::fs::read(&files.cert), std::fs::read(&files.key)) else {
            continue; // mid-swap or gone: try again next time
        };
        let pair = (cert, key);
        if pair == current || rejected.as_ref() == Some(&pair) {
            continue;
        }
        match build(&pair.0, &pair.1, &files.cert, &files.key) {
            Ok(loaded) => {
                served.reload_from_config(loaded.config);
                if let Some(t) = loaded.not_after {
                    metrics.certificate_expiry.set(t);
                }
                metrics.certificate_reload("ok");
                tracing::info!(cert = %files.cert.display(), "serving certificate reloaded");
                current = pair;
                rejected = None;
            }
            Err(e) => {
                metrics.certificate_reload("failed");
                tracing::warn!(error = %e, "new certificate rejected; keeping the current one");
                rejected = Some(pair);
            }
        }
    }
}

/// Seconds until `not_after` (negative when expired).
pub fn seconds_left(not_after: i64) -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    not_after - now
}

// ---- minimal DER reading: Certificate → TBSCertificate → Validity → notAfter ----

/// Splits one DER element off `input`: (tag, content, rest).
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, &b| (a << 8) | usize::from(b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The certificate's notAfter as Unix seconds.
pub fn not_after(cert: &CertificateDer<'_>) -> Option<i64> {
    let (_, certificate, _) = element(cert.as_ref())?;
    let (_, tbs, _) = element(certificate)?;
    let mut rest = tbs;
    let (tag, _, r) = element(rest)?;
    if tag == 0xa0 {
        rest = r; // explicit version
    }
    let (_, _, r) = element(rest)?; // serialNumber
    let (_, _, r) = element(r)?; // signature algorithm
    let (_, _, r) = element(r)?; // issuer
    let (_, validity, _) = element(r)?;
    let (_, _, r) = element(validity)?; // notBefore
    let (tag, time, _) = element(r)?;
    parse_time(tag, std::str::from_utf8(time).ok()?)
}

fn parse_time(tag: u8, s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z')?;
    let (year, rest) = match tag {
        0x17 => {
            let y: i64 = s.get(..2)?.parse().ok()?;
            (if y < 50 { 2000 + y } else { 1900 + y }, s.get(2..)?)
        }
        0x18 => (s.get(..4)?.parse().ok()?, s.get(4..)?),
        _ => return None,
    };
    let num = |i: usize| -> Option<i64> { rest.get(i..i + 2)?.parse().ok() };
    let (month, day, hour, min, sec) = (num(0)?, num(2)?, num(4)?, num(6)?, num(8)?);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + min * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asn1_times_convert_to_unix_seconds() {
        assert_eq!(parse_time(0x17, "700101000000Z"), Some(0));
        assert_eq!(parse_time(0x18, "20000301000000Z"), Some(951_868_800));
        assert_eq!(parse_time(0x17, "491231235959Z"), Some(2_524_607_999));
        assert_eq!(parse_time(0x17, "garbage"), None);
    }
}
