//! `bosun-webhook certs` end to end: the files it writes (modes, caBundle, no overwrite without
//! `--force`), the written pair serving TLS and verifying against the written CA for each of the
//! Service's DNS names (and not for another name), and the cert-manager manifests in `certs/`
//! agreeing with each other and with the defaults.

mod tlsclient;

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use webhook::admission::Reviewer;
use webhook::certs::{DEFAULT_NAMESPACE, DEFAULT_SERVICE, dns_names};
use webhook::policy::Policy;
use webhook::server::{Connections, Limits, Tls, tls::TlsFiles};

fn certs(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bosun-webhook"))
        .arg("certs")
        .args(args)
        .output()
        .expect("runs")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in s.bytes().filter(|c| *c != b'=') {
        acc = (acc << 6) | u32::from(value(c));
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[tokio::test]
async fn certs_writes_a_ca_and_a_pair_that_verifies_for_every_service_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pki");
    let run = certs(&[
        "--service",
        "bosun-webhook",
        "--namespace",
        "ops",
        "--out",
        out.to_str().unwrap(),
        "--days",
        "30",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("bosun-webhook.ops.svc.cluster.local"),
        "{stdout}"
    );
    for (file, want) in [
        ("ca.crt", 0o644),
        ("ca.key", 0o600),
        ("tls.crt", 0o644),
        ("tls.key", 0o600),
        ("caBundle.txt", 0o644),
    ] {
        assert_eq!(mode(&out.join(file)), want, "{file}");
    }
    let ca = std::fs::read_to_string(out.join("ca.crt")).unwrap();
    let bundle = std::fs::read_to_string(out.join("caBundle.txt")).unwrap();
    assert_eq!(base64_decode(bundle.trim()), ca.as_bytes());

    // Refuses to overwrite (exit 2, names the file); --force overwrites with a new CA.
    let again = certs(&["--namespace", "ops", "--out", out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(out.join("ca.crt")).unwrap(), ca);
    std::fs::set_permissions(out.join("tls.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let forced = certs(&[
        "--service",
        "bosun-webhook",
        "--namespace",
        "ops",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(forced.status.success());
    assert_eq!(
        mode(&out.join("tls.key")),
        0o600,
        "an overwritten key is 0600 again"
    );
    let ca = std::fs::read_to_string(out.join("ca.crt")).unwrap();

    // The written pair, served by the real server, verifies against the written CA.
    let files = TlsFiles {
        cert: out.join("tls.crt"),
        key: out.join("tls.key"),
        poll: Duration::from_secs(60),
    };
    let s = tlsclient::start(
        Reviewer::new(Policy::default(), None),
        Limits::default(),
        Connections {
            grace: Duration::from_secs(1),
            header_timeout: Duration::from_secs(5),
        },
        Tls::Files(files),
    );
    let connector = tlsclient::connector(&ca);
    let review = tlsclient::data("workflow-create-valid.json").to_string();
    for name in dns_names("bosun-webhook", "ops") {
        let mut tls = tlsclient::connect(s.addr, &connector, &name)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let (status, body) = tlsclient::exchange(&mut tls, "/validate", &review)
            .await
            .unwrap();
        assert_eq!(
            (status, &body["response"]["allowed"]),
            (200, &Value::Bool(true)),
            "{name}"
        );
    }
    let wrong = tlsclient::connect(s.addr, &connector, "bosun-webhook.other.svc").await;
    assert!(wrong.is_err(), "a name outside the SANs must not verify");
    let other_ca = webhook::certs::generate_for("other", vec!["x".into()], 1)
        .unwrap()
        .ca_cert;
    let untrusted = tlsclient::connect(
        s.addr,
        &tlsclient::connector(&other_ca),
        "bosun-webhook.ops.svc",
    )
    .await;
    assert!(untrusted.is_err(), "another CA must not verify");
}

#[test]
fn certs_refuses_bad_names_with_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let run = certs(&[
        "--service",
        "Not_A_Name",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--service"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

/// Every document of every YAML file under `certs/cert-manager/`.
fn manifests() -> Vec<Value> {
    let dir = format!("{}/../certs/cert-manager", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        for doc in text
            .split("\n---\n")
            .filter(|d| d.lines().any(|l| l.starts_with("kind:")))
        {
            out.push(
                serde_saphyr::from_str::<Value>(doc)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            );
        }
    }
    out
}

fn find<'a>(all: &'a [Value], kind: &str, name: &str) -> &'a Value {
    all.iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

#[test]
fn cert_manager_manifests_agree_with_each_other_and_the_defaults() {
    let all = manifests();
    let certificates: Vec<&Value> = all.iter().filter(|o| o["kind"] == "Certificate").collect();
    assert_eq!(certificates.len(), 2, "a CA and a serving Certificate");
    for o in all.iter().filter(|o| {
        o["apiVersion"]
            .as_str()
            .unwrap_or("")
            .starts_with("cert-manager.io/")
    }) {
        assert_eq!(
            o["metadata"]["namespace"], DEFAULT_NAMESPACE,
            "{}",
            o["metadata"]["name"]
        );
    }
    let ca_cert = certificates
        .iter()
        .find(|c| c["spec"]["isCA"] == true)
        .expect("CA Certificate");
    let serving = certificates
        .iter()
        .find(|c| c["spec"]["isCA"] != true)
        .expect("serving Certificate");

    // self-signed Issuer → CA Certificate → CA Issuer (from the CA's Secret) → serving Certificate.
    let root_ref = &ca_cert["spec"]["issuerRef"];
    let root = find(
        &all,
        root_ref["kind"].as_str().unwrap(),
        root_ref["name"].as_str().unwrap(),
    );
    assert!(
        root["spec"]["selfSigned"].is_object(),
        "the CA is issued by a selfSigned Issuer"
    );
    let ca_issuer = find(
        &all,
        "Issuer",
        serving["spec"]["issuerRef"]["name"].as_str().unwrap(),
    );
    assert_eq!(serving["spec"]["issuerRef"]["kind"], "Issuer");
    assert_eq!(
        ca_issuer["spec"]["ca"]["secretName"],
        ca_cert["spec"]["secretName"]
    );

    let names: Vec<&str> = serving["spec"]["dnsNames"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(names, dns_names(DEFAULT_SERVICE, DEFAULT_NAMESPACE));
    assert!(
        serving["spec"]["usages"]
            .as_array()
            .unwrap()
            .contains(&Value::from("server auth"))
    );

    // The webhook configurations take their caBundle from the serving Certificate.
    let inject = format!(
        "{DEFAULT_NAMESPACE}/{}",
        serving["metadata"]["name"].as_str().unwrap()
    );
    let configurations: Vec<&Value> = all
        .iter()
        .filter(|o| {
            o["kind"]
                .as_str()
                .unwrap_or("")
                .ends_with("WebhookConfiguration")
        })
        .collect();
    assert_eq!(configurations.len(), 2, "validating and mutating");
    for c in configurations {
        assert_eq!(
            c["metadata"]["annotations"]["cert-manager.io/inject-ca-from"],
            inject.as_str()
        );
    }
    let readme =
        std::fs::read_to_string(format!("{}/../certs/README.md", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
    assert!(readme.contains(&format!("cert-manager.io/inject-ca-from: {inject}")));
    assert!(readme.contains(serving["spec"]["secretName"].as_str().unwrap()));
}
