//! A tiny round-robin load balancer for the two-instance end-to-end run: each incoming TCP
//! connection goes to the next backend in turn and its bytes are copied both ways. A
//! browser opens several connections per page, so one page's requests reach both
//! instances, as they would behind a real layer-4 balancer. It stops when dropped.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

pub struct Balancer {
    pub port: u16,
    /// Connections sent to each backend, in the order given.
    pub connections: Arc<Vec<AtomicUsize>>,
    stop: Arc<AtomicBool>,
}

impl Balancer {
    pub fn start(backend_ports: Vec<u16>) -> anyhow::Result<Balancer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let connections: Arc<Vec<AtomicUsize>> = Arc::new(backend_ports.iter().map(|_| AtomicUsize::new(0)).collect());
        let (stop_flag, counts) = (stop.clone(), connections.clone());
        std::thread::spawn(move || {
            let mut next = 0;
            while !stop_flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let index = next % backend_ports.len();
                        next += 1;
                        counts[index].fetch_add(1, Ordering::Relaxed);
                        let backend_port = backend_ports[index];
                        std::thread::spawn(move || forward(client, backend_port));
                    }
                    Err(error) if error.kind() == ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Ok(Balancer { port, connections, stop })
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn forward(client: TcpStream, backend_port: u16) {
    let Ok(backend) = TcpStream::connect(("127.0.0.1", backend_port)) else { return };
    let _ = client.set_nonblocking(false);
    // Without it, Nagle's algorithm holds back a response's last small segment until the
    // delayed acknowledgement comes, and every request waits ~40 ms.
    let _ = client.set_nodelay(true);
    let _ = backend.set_nodelay(true);
    let (Ok(client_reader), Ok(backend_writer)) = (client.try_clone(), backend.try_clone()) else { return };
    let upstream = std::thread::spawn(move || copy(client_reader, backend_writer));
    copy(backend, client);
    let _ = upstream.join();
}

/// Copies until end of stream, then passes the end on (half-close).
fn copy(mut from: TcpStream, mut to: TcpStream) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => {
                if to.write_all(&buffer[..read]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}
