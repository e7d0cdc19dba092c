//! A pool of worker **processes**: the `ProcessPoolExecutor` analogue.
//!
//! Python's `ProcessPoolExecutor` escapes the GIL by running work in child
//! interpreters: it starts the children, pickles each argument, writes it to
//! a pipe, and reads the pickled result back. This module does the same with
//! copies of the lesson's own binary (`bw64-parallel --gcd-worker`):
//!
//! 1. **start-up** — [`ProcessPool::start`] spawns N children with piped
//!    stdin/stdout and waits for each to print `ready`;
//! 2. **copying** — [`ProcessPool::map`] writes each pair as a line
//!    (`"1963309 2265973\n"`) to a free worker and reads its answer line
//!    (`"1\n"`), one parent thread per child keeping it busy;
//! 3. **shut-down** — [`ProcessPool::shutdown`] closes every stdin (the
//!    children see end of input and exit) and reaps every child, checking its
//!    exit status. If the pool is dropped instead (an error path), the
//!    children are killed and reaped: none is left running or as a zombie.
//!
//! Rust needs none of this for parallelism — threads already run on every
//! core — so the lesson uses it to show what processes cost: start-up time
//! and the copying of every argument and result. Processes still earn their
//! keep for isolation (a crash or leak stays in the child).

use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;

use crate::gcd::gcd;

/// The line a worker prints once it is ready for work.
const READY: &str = "ready";

/// What can go wrong with worker processes.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// The program could not be started (missing, not executable...).
    #[error("cannot start worker process {program:?}")]
    Spawn {
        /// The program that was run.
        program: PathBuf,
        /// Why the OS refused.
        #[source]
        source: io::Error,
    },
    /// A worker answered something other than the protocol expects, or
    /// closed its output early (it crashed or exited).
    #[error("worker {index} (pid {pid}) broke the protocol: {detail}")]
    Protocol {
        /// Which worker (0-based).
        index: usize,
        /// Its process id.
        pid: u32,
        /// What was expected and what came.
        detail: String,
    },
    /// Reading from or writing to a worker's pipe failed.
    #[error("I/O with worker {index} (pid {pid}) failed")]
    Io {
        /// Which worker (0-based).
        index: usize,
        /// Its process id.
        pid: u32,
        /// The pipe error.
        #[source]
        source: io::Error,
    },
    /// A worker exited unsuccessfully at shut-down.
    #[error("worker {index} (pid {pid}) exited with {status}")]
    Exit {
        /// Which worker (0-based).
        index: usize,
        /// Its process id.
        pid: u32,
        /// How it ended.
        status: std::process::ExitStatus,
    },
}

/// One child process and the two ends of its pipes.
#[derive(Debug)]
struct Worker {
    index: usize,
    child: Child,
    /// Taken (and so closed) at shut-down: end of input tells the child to exit.
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    /// Open from spawn to reap: the process's life, on a lane of its own.
    /// Dropped with the worker, after the child has been waited for.
    _span: tracing::Span,
}

impl Worker {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn io_error(&self, source: io::Error) -> PoolError {
        PoolError::Io {
            index: self.index,
            pid: self.pid(),
            source,
        }
    }

    fn protocol_error(&self, detail: String) -> PoolError {
        PoolError::Protocol {
            index: self.index,
            pid: self.pid(),
            detail,
        }
    }

    /// Reads one answer line, without its newline.
    fn read_line(&mut self) -> Result<String, PoolError> {
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .map_err(|e| self.io_error(e))?;
        if n == 0 {
            return Err(self.protocol_error("output closed: the worker exited".to_owned()));
        }
        Ok(line.trim_end().to_owned())
    }

    /// Sends one pair and reads its gcd.
    fn call(&mut self, (a, b): (u64, u64), bytes: &AtomicU64) -> Result<u64, PoolError> {
        let request = format!("{a} {b}\n");
        let stdin = self.stdin.as_mut().expect("stdin is open until shut-down");
        stdin
            .write_all(request.as_bytes())
            .and_then(|()| stdin.flush())
            .map_err(|e| self.io_error(e))?;
        let answer = self.read_line()?;
        bytes.fetch_add((request.len() + answer.len() + 1) as u64, Ordering::Relaxed);
        answer.parse().map_err(|_| {
            self.protocol_error(format!("expected a number for ({a}, {b}), got {answer:?}"))
        })
    }
}

/// N worker processes that compute `gcd` for pairs sent over pipes.
#[derive(Debug)]
pub struct ProcessPool {
    workers: Vec<Worker>,
    /// Bytes copied through the pipes by `map` (requests and answers).
    bytes: AtomicU64,
}

impl ProcessPool {
    /// Starts `workers` copies of `program` with `args`, and waits until each
    /// has printed `ready`. The program must speak the protocol of
    /// [`serve_worker`].
    ///
    /// On failure every child started so far is killed and reaped.
    pub fn start(program: &Path, args: &[&str], workers: usize) -> Result<Self, PoolError> {
        let mut pool = Self {
            workers: Vec::with_capacity(workers),
            bytes: AtomicU64::new(0),
        };
        for index in 0..workers {
            let mut child = Command::new(program)
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|source| PoolError::Spawn {
                    program: program.to_owned(),
                    source,
                })?;
            let span = tracing::info_span!(
                "worker process",
                lane = %format!("worker process {index}"),
                pid = child.id()
            );
            let stdin = child.stdin.take();
            let stdout = BufReader::new(child.stdout.take().expect("stdout was piped"));
            // Pushed before the handshake, so that if it fails the pool's
            // Drop still kills and reaps this child.
            pool.workers.push(Worker {
                index,
                child,
                stdin,
                stdout,
                _span: span,
            });
        }
        // The children start in parallel; now wait for each to be ready.
        for worker in &mut pool.workers {
            let line = worker.read_line()?;
            if line != READY {
                return Err(worker.protocol_error(format!("expected {READY:?}, got {line:?}")));
            }
        }
        Ok(pool)
    }

    /// Number of worker processes.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// The workers' process ids.
    pub fn pids(&self) -> Vec<u32> {
        self.workers.iter().map(Worker::pid).collect()
    }

    /// Bytes copied through the pipes by [`map`](Self::map) so far.
    pub fn bytes_copied(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Computes `gcd` of every pair on the workers and returns the results in
    /// the pairs' order. Each worker is driven by one parent thread that takes
    /// the next pair, sends it, and waits for the answer, so a worker that
    /// drew a short pair gets the next one.
    pub fn map(&mut self, pairs: &[(u64, u64)]) -> Result<Vec<u64>, PoolError> {
        let next = AtomicUsize::new(0);
        let bytes = &self.bytes;
        let mut results = vec![0; pairs.len()];
        thread::scope(|s| {
            let drivers: Vec<_> = self
                .workers
                .iter_mut()
                .map(|worker| {
                    let next = &next;
                    s.spawn(move || -> Result<Vec<(usize, u64)>, PoolError> {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(&pair) = pairs.get(i) else { break };
                            done.push((i, worker.call(pair, bytes)?));
                        }
                        Ok(done)
                    })
                })
                .collect();
            // Join every driver before judging, so no thread is left behind.
            let outcomes: Vec<_> = drivers
                .into_iter()
                .map(|d| d.join().expect("a driver thread does not panic"))
                .collect();
            for outcome in outcomes {
                for (i, value) in outcome? {
                    results[i] = value;
                }
            }
            Ok(results)
        })
    }

    /// Closes every worker's input and waits for each to exit successfully.
    pub fn shutdown(mut self) -> Result<(), PoolError> {
        // Close all inputs first, so the workers exit in parallel.
        for worker in &mut self.workers {
            drop(worker.stdin.take());
        }
        let mut first_error = None;
        for mut worker in self.workers.drain(..) {
            let pid = worker.pid();
            match worker.child.wait() {
                Ok(status) if status.success() => {}
                Ok(status) => {
                    first_error.get_or_insert(PoolError::Exit {
                        index: worker.index,
                        pid,
                        status,
                    });
                }
                Err(source) => {
                    first_error.get_or_insert(PoolError::Io {
                        index: worker.index,
                        pid,
                        source,
                    });
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

impl Drop for ProcessPool {
    /// Only reached with workers left on an error path (`shutdown` drains
    /// them): kill and reap, so no child outlives the pool or stays a zombie.
    fn drop(&mut self) {
        for worker in &mut self.workers {
            // The child may have exited already; then kill fails harmlessly.
            let _ = worker.child.kill();
            let _ = worker.child.wait();
        }
    }
}

/// The worker side of the protocol: print `ready`, then answer each input
/// line `a b` with `gcd(a, b)`, until end of input. A malformed line is an
/// error (the process then exits non-zero and the parent reports it).
pub fn serve_worker(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    writeln!(output, "{READY}")?;
    output.flush()?;
    for line in input.lines() {
        let line = line?;
        let pair = parse_pair(&line).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("expected two positive integers like \"12 18\", got {line:?}"),
            )
        })?;
        writeln!(output, "{}", gcd(pair))?;
        // Each answer is awaited by the parent: flush it now.
        output.flush()?;
    }
    Ok(())
}

fn parse_pair(line: &str) -> Option<(u64, u64)> {
    let mut fields = line.split_whitespace();
    let a: u64 = fields.next()?.parse().ok()?;
    let b: u64 = fields.next()?.parse().ok()?;
    (fields.next().is_none() && a > 0 && b > 0).then_some((a, b))
}
