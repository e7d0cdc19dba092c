//! Either server, started from ordinary synchronous code.
//!
//! The tests, the load runner and the benchmark want to treat the two servers
//! alike: start one, point clients at it, stop it. [`BackgroundServer`] does
//! that; for the async server it brings a tokio runtime of its own, so the
//! caller need not be async.

use std::fmt;
use std::io;
use std::net::SocketAddr;

use tokio::runtime::{self, Runtime};

use crate::server::{ServerOptions, Stats, StatsSnapshot};
use crate::{asynchronous, threaded};

/// The two ways of doing the server's I/O.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    /// Blocking std sockets, a thread per connection ([`crate::threaded`]).
    Threads,
    /// tokio sockets, a task per connection ([`crate::asynchronous`]).
    Async,
}

impl Transport {
    /// Both transports, the book's original first.
    pub const BOTH: [Transport; 2] = [Transport::Threads, Transport::Async];
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Transport::Threads => "threads",
            Transport::Async => "async",
        })
    }
}

/// A running server of either transport.
///
/// Call it from synchronous code only: shutting the async one down blocks on
/// its runtime, which tokio forbids inside another runtime.
#[derive(Debug)]
pub struct BackgroundServer {
    local_addr: SocketAddr,
    transport: Transport,
    /// `None` once stopped; only [`BackgroundServer::shutdown`] and `drop` take it.
    inner: Option<Inner>,
}

#[derive(Debug)]
enum Inner {
    Threads(threaded::ServerHandle),
    /// The server and the runtime its tasks run on.
    Async(asynchronous::ServerHandle, Runtime),
}

impl BackgroundServer {
    /// Starts a server of `transport` on `addr`.
    ///
    /// The async server gets a multi-threaded runtime with a worker per core
    /// (tokio's default); its threads are named `bw61-server`.
    pub fn start(
        transport: Transport,
        addr: SocketAddr,
        options: ServerOptions,
    ) -> io::Result<Self> {
        let inner = match transport {
            Transport::Threads => Inner::Threads(threaded::ServerHandle::start(addr, options)?),
            Transport::Async => {
                let runtime = runtime::Builder::new_multi_thread()
                    .enable_all()
                    .thread_name("bw61-server")
                    .build()?;
                let handle = runtime.block_on(asynchronous::ServerHandle::start(addr, options))?;
                Inner::Async(handle, runtime)
            }
        };
        let local_addr = match &inner {
            Inner::Threads(handle) => handle.local_addr(),
            Inner::Async(handle, _) => handle.local_addr(),
        };
        Ok(BackgroundServer {
            local_addr,
            transport,
            inner: Some(inner),
        })
    }

    /// Starts a server of `transport` on a free port of `127.0.0.1`.
    pub fn start_local(transport: Transport, options: ServerOptions) -> io::Result<Self> {
        BackgroundServer::start(transport, SocketAddr::from(([127, 0, 0, 1], 0)), options)
    }

    /// Which transport this server uses.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The server's statistics, live.
    pub fn stats(&self) -> &Stats {
        match self
            .inner
            .as_ref()
            .expect("only shutdown and drop take the server, and both end its use")
        {
            Inner::Threads(handle) => handle.stats(),
            Inner::Async(handle, _) => handle.stats(),
        }
    }

    /// Stops the server and everything it runs; returns the final statistics.
    pub fn shutdown(mut self) -> io::Result<StatsSnapshot> {
        self.stop()
    }

    fn stop(&mut self) -> io::Result<StatsSnapshot> {
        match self.inner.take() {
            None => Ok(StatsSnapshot::default()),
            Some(Inner::Threads(handle)) => handle.shutdown(),
            Some(Inner::Async(handle, runtime)) => {
                let stats = runtime.block_on(handle.shutdown());
                // Dropping the runtime joins its worker threads.
                drop(runtime);
                stats
            }
        }
    }
}

impl Drop for BackgroundServer {
    /// A server dropped without [`BackgroundServer::shutdown`] (say, by a
    /// failing test) still stops and joins everything it started.
    fn drop(&mut self) {
        let _ = self.stop();
    }
}
