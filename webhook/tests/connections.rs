//! Connection-level bounds over a real TLS socket: a client dribbling its request head one byte
//! per second is disconnected within the head-read bound while other clients are served; an
//! idle keep-alive connection is closed after the same bound (but reused before it); a client
//! that connects and never speaks TLS is dropped after the handshake bound; a dribbled body gets
//! a 408 within the request budget.

mod tlsclient;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncWriteExt, split};
use tokio::net::TcpStream;
use webhook::admission::Reviewer;
use webhook::policy::Policy;
use webhook::server::{Connections, Limits};

const BOUND: Duration = Duration::from_secs(2);
/// Scheduling slack on a loaded 2-core machine.
const SLACK: Duration = Duration::from_secs(3);

fn server(limits: Limits) -> (String, tlsclient::Running) {
    let (ca, tls) = tlsclient::localhost_tls();
    let connections = Connections {
        grace: Duration::from_secs(1),
        header_timeout: BOUND,
    };
    let s = tlsclient::start(
        Reviewer::new(Policy::default(), None),
        limits,
        connections,
        tls,
    );
    (ca, s)
}

fn review() -> String {
    tlsclient::data("workflow-create-valid.json").to_string()
}

#[tokio::test]
async fn a_head_dribbled_one_byte_per_second_is_cut_off_while_others_are_served() {
    let (ca, s) = server(Limits::default());
    let connector = tlsclient::connector(&ca);
    let slow = tlsclient::connect(s.addr, &connector, "localhost")
        .await
        .unwrap();
    let (mut reader, mut writer) = split(slow);
    let head = tlsclient::post_request("/validate", &review());
    let sent = Arc::new(AtomicUsize::new(0));
    let dribble = {
        let sent = sent.clone();
        tokio::spawn(async move {
            for byte in head.bytes() {
                if writer.write_all(&[byte]).await.is_err() || writer.flush().await.is_err() {
                    return;
                }
                sent.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };

    // Meanwhile, ordinary reviews on another connection keep succeeding.
    let stop = Arc::new(AtomicBool::new(false));
    let normal = {
        let (stop, connector, addr) = (stop.clone(), connector.clone(), s.addr);
        tokio::spawn(async move {
            let mut ok = 0;
            while !stop.load(Ordering::Relaxed) {
                let mut tls = tlsclient::connect(addr, &connector, "localhost")
                    .await
                    .expect("connect");
                let (status, _) = tlsclient::exchange(&mut tls, "/validate", &review())
                    .await
                    .expect("a normal review is answered");
                assert_eq!(status, 200);
                ok += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            ok
        })
    };

    let started = Instant::now();
    assert!(
        tlsclient::closed_within(&mut reader, BOUND + SLACK).await,
        "the slow client was not disconnected"
    );
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    dribble.abort();
    let served = normal.await.expect("normal client");
    assert!(
        took >= BOUND - Duration::from_millis(200),
        "closed too early: {took:?}"
    );
    assert!(
        sent.load(Ordering::Relaxed) < 10,
        "sent {} bytes of the head before being cut off",
        sent.load(Ordering::Relaxed)
    );
    assert!(
        served >= 3,
        "only {served} normal reviews were served meanwhile"
    );
}

#[tokio::test]
async fn idle_keep_alive_connections_are_reused_then_closed_after_the_bound() {
    let (ca, s) = server(Limits::default());
    let connector = tlsclient::connector(&ca);
    let mut tls = tlsclient::connect(s.addr, &connector, "localhost")
        .await
        .unwrap();
    for _ in 0..3 {
        tokio::time::sleep(BOUND / 2).await;
        let (status, _) = tlsclient::exchange(&mut tls, "/validate", &review())
            .await
            .expect("kept alive");
        assert_eq!(status, 200);
    }
    let idle_from = Instant::now();
    assert!(
        tlsclient::closed_within(&mut tls, BOUND + SLACK).await,
        "idle connection kept open"
    );
    assert!(
        idle_from.elapsed() >= BOUND - Duration::from_millis(200),
        "{:?}",
        idle_from.elapsed()
    );
}

#[tokio::test]
async fn a_client_that_never_completes_the_handshake_is_dropped() {
    let (_, s) = server(Limits::default());
    let mut tcp = TcpStream::connect(s.addr).await.unwrap();
    tcp.write_all(&[0x16, 0x03, 0x01]).await.unwrap(); // the start of a record, then silence
    let started = Instant::now();
    assert!(tlsclient::closed_within(&mut tcp, BOUND + SLACK).await);
    assert!(started.elapsed() >= BOUND - Duration::from_millis(200));
}

#[tokio::test]
async fn a_dribbled_body_gets_a_408_within_the_request_budget() {
    let budget = Duration::from_secs(1);
    let (ca, s) = server(Limits {
        timeout: budget,
        cache_wait: Duration::from_millis(100),
        ..Limits::default()
    });
    let connector = tlsclient::connector(&ca);
    let mut tls = tlsclient::connect(s.addr, &connector, "localhost")
        .await
        .unwrap();
    let body = review();
    let request = tlsclient::post_request("/validate", &body);
    let head_len = request.len() - body.len();
    tls.write_all(&request.as_bytes()[..head_len + 10])
        .await
        .unwrap();
    tls.flush().await.unwrap();
    let started = Instant::now();
    let (status, answer) = tlsclient::read_response(&mut tls).await.expect("an answer");
    assert_eq!(status, 408, "{answer}");
    assert!(started.elapsed() < budget + SLACK);
    assert!(s.metrics.render().contains(r#"result="body_timeout"} 1"#));
}
