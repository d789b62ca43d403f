//! Local mode end to end: `bosun-webhook serve --self-signed --templates DIR --write-ca FILE`
//! parsed from real arguments and run in-process on an ephemeral port, with no Kubernetes
//! configuration at all. A Workflow whose templateRef names a template in DIR is allowed; a
//! misspelled reference is denied with its AW5xx code and a suggestion; the mutating endpoint
//! applies the policy's defaults; the server stops cleanly when cancelled.

mod tlsclient;

use std::time::{Duration, Instant};

use clap::Parser as _;
use serde_json::json;
use tokio_util::sync::CancellationToken;
use webhook::cmd;
use webhook::config::{Cli, Command};

const TEMPLATE: &str = "apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: greetings
spec:
  templates:
    - name: say
      inputs:
        parameters:
          - name: message
      container:
        image: alpine:3.20
        args: ['{{inputs.parameters.message}}']
";

#[tokio::test]
async fn local_mode_resolves_template_refs_from_files_over_tls() {
    // No cluster may be reached, whatever the environment says.
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("greetings.yaml"), TEMPLATE).unwrap();
    let ca_file = dir.path().join("ca.pem");
    let policy = dir.path().join("policy.yaml");
    std::fs::write(&policy, "defaults:\n  activeDeadlineSeconds: 600\n").unwrap();
    let cli = Cli::try_parse_from([
        "bosun-webhook",
        "serve",
        "--self-signed",
        "--templates",
        templates.to_str().unwrap(),
        "--write-ca",
        ca_file.to_str().unwrap(),
        "--config",
        policy.to_str().unwrap(),
        "--probe-listen",
        "127.0.0.1:0",
    ])
    .expect("arguments parse");
    let Command::Serve(args) = cli.command else {
        panic!("serve")
    };
    let settings = args
        .resolve(|_| None)
        .expect("settings resolve without a cluster");
    assert!(!settings.cluster, "--templates means no cluster");
    let listener = webhook::server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let token = CancellationToken::new();
    let server = tokio::spawn(cmd::serve_on(listener, settings, token.clone()));

    let deadline = Instant::now() + Duration::from_secs(20);
    let ca = loop {
        if let Ok(pem) = std::fs::read_to_string(&ca_file)
            && pem.contains("END CERTIFICATE")
        {
            break pem;
        }
        assert!(!server.is_finished(), "server ended early");
        assert!(Instant::now() < deadline, "CA not written");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let connector = tlsclient::connector(&ca);
    let mut tls = loop {
        match tlsclient::connect(addr, &connector, "localhost").await {
            Ok(t) => break t,
            Err(e) => {
                assert!(Instant::now() < deadline, "no TLS: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };

    let review = tlsclient::data("workflow-create-templateref.json");
    let (status, body) = tlsclient::exchange(&mut tls, "/validate", &review.to_string())
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["response"]["allowed"], true, "{body}");
    assert_eq!(body["response"]["uid"], review["request"]["uid"]);

    let mut misspelled = review.clone();
    misspelled["request"]["object"]["spec"]["templates"][0]["steps"][0][0]["templateRef"]["name"] =
        json!("greetigns");
    let (status, body) = tlsclient::exchange(&mut tls, "/validate", &misspelled.to_string())
        .await
        .unwrap();
    assert_eq!(status, 200);
    let response = &body["response"];
    assert_eq!(response["allowed"], false, "{body}");
    assert_eq!(response["status"]["code"], 422);
    let message = response["status"]["message"].as_str().unwrap();
    let line = message
        .lines()
        .find(|l| l.contains("greetigns"))
        .unwrap_or_else(|| panic!("{message}"));
    assert!(line.starts_with("AW5"), "{message}");
    assert!(line.contains("`greetings`"), "a suggestion: {message}");

    // The mutating endpoint injects the policy's default (base64 JSON Patch).
    let (status, body) = tlsclient::exchange(&mut tls, "/mutate", &review.to_string())
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["response"]["patchType"], "JSONPatch", "{body}");
    assert!(
        body["response"]["patch"]
            .as_str()
            .is_some_and(|p| !p.is_empty())
    );

    token.cancel();
    let ended = tokio::time::timeout(Duration::from_secs(20), server)
        .await
        .expect("stops");
    assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
}

#[test]
fn local_mode_flags_are_checked() {
    let parse = |args: &[&str]| {
        let cli = Cli::try_parse_from(["bosun-webhook", "serve"].iter().chain(args));
        match cli {
            Ok(Cli {
                command: Command::Serve(a),
                ..
            }) => a.resolve(|_| None).map(|_| ()).map_err(|e| e.to_string()),
            Ok(_) => Err("not serve".into()),
            Err(e) => Err(e.to_string()),
        }
    };
    // Neither a certificate nor --self-signed; both; --write-ca without --self-signed.
    assert!(parse(&[]).is_err());
    assert!(parse(&["--self-signed", "--tls-cert", "a", "--tls-key", "b"]).is_err());
    assert!(parse(&["--tls-cert", "a", "--tls-key", "b", "--write-ca", "x"]).is_err());
    let err = parse(&["--self-signed", "--templates", "/nonexistent/dir"]).unwrap_err();
    assert!(err.starts_with("--templates"), "{err}");
    let err = parse(&["--self-signed", "--templates", ".", "--cluster", "true"]).unwrap_err();
    assert!(err.starts_with("--templates"), "{err}");
    assert!(parse(&["--self-signed", "--templates", "."]).is_ok());
    let err = parse(&["--self-signed", "--cache-wait-ms", "6000"]).unwrap_err();
    assert!(err.starts_with("--cache-wait-ms"), "{err}");
}
