//! `bosun-webhook certs`: a CA and a serving certificate for the webhook's Service, for clusters
//! without cert-manager (kind, minikube, bootstrap) and for local mode (`serve --self-signed`).
//!
//! The serving certificate carries the four names the API server may use for a Service
//! (`NAME`, `NAME.NS`, `NAME.NS.svc`, `NAME.NS.svc.cluster.local`; the API server dials
//! `NAME.NS.svc`), ECDSA P-256 keys (rcgen's default), the CA valid for ten years (or `--days`
//! if longer) and the leaf for `--days` (default 365), so the leaf can be renewed under the same
//! CA without touching the webhook configurations' `caBundle`. Keys are written `0600`; existing
//! files are never overwritten without `--force`.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

/// The Service name the manifests and chart use (and the default of `certs --service`).
pub const DEFAULT_SERVICE: &str = "bosun-webhook";
/// The namespace the manifests and chart install into (and the default of `certs --namespace`).
pub const DEFAULT_NAMESPACE: &str = "bosun";
/// Validity of the CA, unless `--days` asks for longer.
pub const CA_DAYS: u32 = 3650;

/// The files `certs` writes, in order.
pub const FILES: [&str; 5] = ["ca.crt", "ca.key", "tls.crt", "tls.key", "caBundle.txt"];

/// Failures of certificate generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("--{flag}: {message}")]
    Invalid { flag: &'static str, message: String },
    #[error("{0} already exists; pass --force to overwrite")]
    Exists(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
}

/// A CA and a serving certificate signed by it (PEM).
pub struct Bundle {
    pub ca_cert: String,
    pub ca_key: String,
    pub cert: String,
    pub key: String,
}

impl Bundle {
    /// `caBundle` for webhook configurations: the CA certificate PEM, base64-encoded.
    pub fn ca_bundle(&self) -> String {
        crate::server::handlers::base64(self.ca_cert.as_bytes())
    }
}

/// The DNS names a Service `service` in `namespace` is reached by.
pub fn dns_names(service: &str, namespace: &str) -> Vec<String> {
    vec![
        service.to_owned(),
        format!("{service}.{namespace}"),
        format!("{service}.{namespace}.svc"),
        format!("{service}.{namespace}.svc.cluster.local"),
    ]
}

/// A DNS-1035 label (what Service names and namespaces are): lower-case alphanumerics and '-',
/// starting with a letter, ending alphanumeric, at most 63 characters.
fn check_label(flag: &'static str, s: &str) -> Result<(), Error> {
    let ok = !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            flag,
            message: format!(
                "`{s}` is not a valid name (lower-case letters, digits and '-', starting with a letter, at most 63 characters)"
            ),
        })
    }
}

/// Today's date (UTC) shifted by `days`, as (year, month, day).
fn civil_date(days_from_today: i64) -> (i32, u8, u8) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    let z = now.div_euclid(86_400) + days_from_today + 719_468;
    // Civil from days (Howard Hinnant's algorithm).
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(9999),
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

fn validity(params: &mut CertificateParams, days: u32) {
    // Valid from yesterday: tolerates clock skew between this machine and the API server.
    let (y, m, d) = civil_date(-1);
    params.not_before = rcgen::date_time_ymd(y, m, d);
    let (y, m, d) = civil_date(i64::from(days));
    params.not_after = rcgen::date_time_ymd(y, m, d);
}

/// Generates a CA and a serving certificate for `service` in `namespace`, valid `days` days.
pub fn generate(service: &str, namespace: &str, days: u32) -> Result<Bundle, Error> {
    check_label("service", service)?;
    check_label("namespace", namespace)?;
    if !(1..=3650).contains(&days) {
        return Err(Error::Invalid {
            flag: "days",
            message: "must be between 1 and 3650".into(),
        });
    }
    generate_for(
        &format!("{service}.{namespace} webhook CA"),
        dns_names(service, namespace),
        days,
    )
}

/// Generates a CA (common name `ca_name`) and a serving certificate for `names`.
pub fn generate_for(ca_name: &str, names: Vec<String>, days: u32) -> Result<Bundle, Error> {
    let mut ca_params = CertificateParams::default();
    ca_params.distinguished_name = rcgen::DistinguishedName::new();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, ca_name);
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    validity(&mut ca_params, days.max(CA_DAYS));
    let ca_key = KeyPair::generate()?;
    let ca_key_pem = ca_key.serialize_pem();
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key)?;

    let common_name = names.first().cloned().unwrap_or_default();
    let mut params = CertificateParams::new(names)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    validity(&mut params, days);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &ca)?;
    Ok(Bundle {
        ca_cert: ca.pem(),
        ca_key: ca_key_pem,
        cert: cert.pem(),
        key: key.serialize_pem(),
    })
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes `contents` to `path`, with mode `mode` when the file is created or truncated.
fn write_file(path: &Path, contents: &str, mode: u32, force: bool) -> Result<(), Error> {
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
    let mut options = OpenOptions::new();
    options.write(true).mode(mode);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut f = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Exists(path.to_owned())
        } else {
            io_error(path)(e)
        }
    })?;
    // An overwritten file keeps its old mode otherwise.
    f.set_permissions(std::fs::Permissions::from_mode(mode))
        .map_err(io_error(path))?;
    f.write_all(contents.as_bytes()).map_err(io_error(path))?;
    f.sync_all().map_err(io_error(path))
}

/// Writes the bundle into `dir` (created if missing) as [`FILES`]; refuses to overwrite any of
/// them unless `force`. Returns the paths written.
pub fn write(bundle: &Bundle, dir: &Path, force: bool) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let paths: Vec<PathBuf> = FILES.iter().map(|f| dir.join(f)).collect();
    if !force && let Some(existing) = paths.iter().find(|p| p.exists()) {
        return Err(Error::Exists(existing.clone()));
    }
    let bundle_b64 = format!("{}\n", bundle.ca_bundle());
    let contents: [(&str, u32); 5] = [
        (&bundle.ca_cert, 0o644),
        (&bundle.ca_key, 0o600),
        (&bundle.cert, 0o644),
        (&bundle.key, 0o600),
        (&bundle_b64, 0o644),
    ];
    for (path, (text, mode)) in paths.iter().zip(contents) {
        write_file(path, text, mode, force)?;
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cover_every_service_form() {
        assert_eq!(
            dns_names("bosun-webhook", "bosun"),
            [
                "bosun-webhook",
                "bosun-webhook.bosun",
                "bosun-webhook.bosun.svc",
                "bosun-webhook.bosun.svc.cluster.local"
            ]
        );
    }

    #[test]
    fn bad_names_and_days_are_refused_with_the_flag() {
        for (service, ns, days, flag) in [
            ("Bosun", "x", 1, "--service"),
            ("a.b", "x", 1, "--service"),
            ("ok", "-x", 1, "--namespace"),
            ("ok", "x", 0, "--days"),
            ("ok", "x", 5000, "--days"),
        ] {
            let err = generate(service, ns, days).err().expect("refused");
            assert!(err.to_string().starts_with(flag), "{err}");
        }
    }

    #[test]
    fn civil_dates_move_by_days() {
        let (y0, _, _) = civil_date(0);
        let (y1, _, _) = civil_date(366);
        assert_eq!(y1, y0 + 1);
        assert!((2020..3000).contains(&y0));
    }
}
