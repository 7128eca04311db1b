//! A network thermal printer on a real TCP port (port 0), recording the bytes
//! a printer on port 9100 would get, and the helpers to point Kasir at it.

use super::TestApp;
use kasir::service::Actor;
use kasir::service::PrinterPatch;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const STATUS_REQUEST: [u8; 3] = [0x10, 0x04, 0x01];

/// A network printer: each connection's bytes; it answers the status request
/// with "online" (0x16). The first `drop_first` connections are closed after
/// a few bytes, like a printer switched off mid-job.
pub struct Printer {
    pub addr: std::net::SocketAddr,
    jobs: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Printer {
    pub async fn start(drop_first: usize) -> Printer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let jobs = Arc::new(Mutex::new(Vec::new()));
        let recorded = jobs.clone();
        tokio::spawn(async move {
            let mut n = 0;
            loop {
                let (mut s, _) = listener.accept().await.unwrap();
                n += 1;
                let recorded = recorded.clone();
                let drop_it = n <= drop_first;
                tokio::spawn(async move {
                    let mut got = Vec::new();
                    let mut buf = [0u8; 4096];
                    while let Ok(k) = s.read(&mut buf).await {
                        if k == 0 {
                            break;
                        }
                        got.extend_from_slice(&buf[..k]);
                        if drop_it && got.len() >= 40 {
                            return; // closed mid-job: nothing printed
                        }
                        if got.ends_with(&STATUS_REQUEST) {
                            let _ = s.write_all(&[0x16]).await;
                            break;
                        }
                    }
                    recorded.lock().unwrap().push(got);
                });
            }
        });
        Printer { addr, jobs }
    }

    pub fn jobs(&self) -> Vec<Vec<u8>> {
        self.jobs.lock().unwrap().clone()
    }
}

pub async fn set_printer(app: &TestApp, p: &Printer, patch: PrinterPatch) {
    app.kasir
        .update_printer(
            &Actor::Console,
            PrinterPatch {
                connection: Some("network".into()),
                address: Some(p.addr.to_string()),
                ..patch
            },
        )
        .await
        .unwrap();
}

pub async fn printed(app: &TestApp, p: &Printer, n: usize) -> Vec<Vec<u8>> {
    for _ in 0..300 {
        if p.jobs().len() >= n {
            // the job row is written just after the printer answers
            tokio::time::sleep(Duration::from_millis(50)).await;
            return p.jobs();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "{} jobs printed, wanted {n}: {:?}",
        p.jobs().len(),
        app.kasir.print_jobs(10).await
    );
}
