//! The stop signal: "the writers are done; read what is left, then finish".
//!
//! The book stops its tailers by closing their file handles from another
//! thread one second after start (`close_all`), whatever the writers are
//! doing; a line written after that second is never read. Our tailers stop on
//! a signal instead, and the signal means something precise:
//!
//! > **`Stop` is raised only after every writer has been joined.**
//!
//! So a tailer that has *seen* the signal knows the file will not grow any
//! more. It then reads to the end of the file once more — the drain — and only
//! a read that **started after it saw the signal** and found nothing new lets
//! it finish. Checking the flag *before* that read is the whole trick: a
//! tailer that read first and checked afterwards could miss lines written
//! between its read and the signal (see `tail_file` in
//! [`threads`](crate::threads)).
//!
//! One signal serves both worlds of this lesson, because during a migration
//! both exist at once: threads wait on it with [`Stop::wait_timeout`] (a
//! `Condvar`), tasks with [`Stop::sleep`] (a `tokio::sync::Notify`). Either
//! wakes at once when the signal is raised instead of finishing its poll
//! interval, which keeps shutdown prompt even with a long interval.

use std::pin::pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;

/// A one-way flag, raised once, that threads and async tasks can wait on.
///
/// Cloning gives another handle to the same flag.
///
/// ```
/// use bw62_mix::Stop;
/// use std::time::Duration;
///
/// let stop = Stop::new();
/// let waiter = stop.clone();
/// let thread = std::thread::spawn(move || waiter.wait_timeout(Duration::from_secs(60)));
/// stop.raise();
/// assert!(thread.join().unwrap(), "woken by the signal, long before 60 s");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Stop {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The flag itself. A `std::sync::Mutex`, not an atomic, because the
    /// `Condvar` needs one; it is never held across an `.await`.
    raised: Mutex<bool>,
    /// Wakes threads blocked in `wait_timeout`.
    threads: Condvar,
    /// Wakes tasks suspended in `sleep`.
    tasks: Notify,
}

impl Stop {
    /// A signal not yet raised.
    pub fn new() -> Self {
        Self::default()
    }

    /// Raises the signal and wakes every waiting thread and task.
    /// Raising it again does nothing.
    pub fn raise(&self) {
        *self.lock() = true;
        self.inner.threads.notify_all();
        self.inner.tasks.notify_waiters();
    }

    /// Whether the signal has been raised.
    pub fn is_raised(&self) -> bool {
        *self.lock()
    }

    /// Blocks the calling thread for up to `timeout`, returning early if the
    /// signal is raised. Returns whether it is raised.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let guard = self.lock();
        // `wait_timeout_while` re-checks the flag after spurious wake-ups.
        let (guard, _) = self
            .inner
            .threads
            .wait_timeout_while(guard, timeout, |raised| !*raised)
            .unwrap_or_else(PoisonError::into_inner);
        *guard
    }

    /// Suspends the calling task for up to `timeout` (on the runtime's timer),
    /// returning early if the signal is raised. Returns whether it is raised.
    ///
    /// Needs a tokio runtime with the time driver enabled.
    pub async fn sleep(&self, timeout: Duration) -> bool {
        // Register interest *before* looking at the flag: `notify_waiters`
        // wakes only registered waiters, so checking first and registering
        // second could miss a `raise` that falls between the two.
        let mut notified = pin!(self.inner.tasks.notified());
        notified.as_mut().enable();
        if self.is_raised() {
            return true;
        }
        tokio::select! {
            () = notified => true,
            () = tokio::time::sleep(timeout) => self.is_raised(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, bool> {
        // The flag is a plain bool that is only ever set to true: a panic
        // elsewhere while holding the lock cannot leave it half-written, so
        // a poisoned lock is safe to use.
        self.inner
            .raised
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_raised_times_out() {
        let stop = Stop::new();
        assert!(!stop.wait_timeout(Duration::from_millis(1)));
        assert!(!stop.is_raised());
    }

    #[tokio::test]
    async fn raising_wakes_a_sleeping_task() {
        let stop = Stop::new();
        let task = tokio::spawn({
            let stop = stop.clone();
            async move { stop.sleep(Duration::from_secs(3600)).await }
        });
        stop.raise();
        assert!(task.await.expect("task"), "woken by the signal");
    }

    #[tokio::test]
    async fn already_raised_returns_at_once() {
        let stop = Stop::new();
        stop.raise();
        assert!(stop.sleep(Duration::from_secs(3600)).await);
    }
}
