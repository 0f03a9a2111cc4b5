//! A TCP proxy a test can switch off: every open connection is cut and new
//! ones are refused until it is switched on again. Put it between the app
//! and the database to simulate the database going away and coming back.
//! It can also freeze the open connections: they stay open but carry nothing
//! more, like a peer that vanished without closing (new ones still work).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::AbortHandle;

/// A running proxy; it stops with the process.
#[derive(Debug, Clone)]
pub struct TcpProxy {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    live: Arc<Mutex<Vec<AbortHandle>>>,
    freeze: Arc<watch::Sender<u64>>,
}

impl TcpProxy {
    /// Starts a proxy on 127.0.0.1 (a free port) forwarding to `target` (`host:port`).
    pub fn start(target: String) -> Self {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("proxy addr");
        let up = Arc::new(AtomicBool::new(true));
        let live: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (up2, live2) = (up.clone(), live.clone());
        let freeze = Arc::new(watch::Sender::new(0_u64));
        let freeze2 = freeze.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("proxy runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("proxy listener");
                while let Ok((mut inbound, _)) = listener.accept().await {
                    if !up2.load(Ordering::SeqCst) {
                        drop(inbound);
                        continue;
                    }
                    let target = target.clone();
                    let mut frozen = freeze2.subscribe();
                    let task = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(&target).await {
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                                _ = frozen.changed() => {
                                    // Hold both sockets open, carrying nothing.
                                    std::future::pending::<()>().await;
                                }
                            }
                        }
                    });
                    let mut live = live2
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    live.retain(|h| !h.is_finished());
                    live.push(task.abort_handle());
                }
            });
        });
        Self {
            addr,
            up,
            live,
            freeze,
        }
    }

    /// Where clients should connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Cuts every connection and refuses new ones.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        let live = std::mem::take(
            &mut *self
                .live
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for handle in live {
            handle.abort();
        }
    }

    /// Freezes every open connection: open, silent, for good. Connections
    /// made afterwards are forwarded as usual.
    pub fn freeze(&self) {
        self.freeze.send_modify(|n| *n += 1);
    }

    /// Accepts connections again.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}
