//! How big the port was, measured on this crate's own source code.
//!
//! The book's point is that porting threaded I/O to asyncio is mostly
//! mechanical. Here that is a number: [`measure`] compares the code lines of
//! [`crate::threaded`] with those of [`crate::asynchronous`] (a longest
//! common subsequence of lines, like `diff`), once as written and once with
//! `async` and `.await` removed, and counts the code the port did not touch.

/// The threaded transport's source, compiled in.
pub const THREADED_SOURCE: &str = include_str!("threaded.rs");

/// The async transport's source, compiled in.
pub const ASYNC_SOURCE: &str = include_str!("asynchronous.rs");

/// The modules both transports share, which the port did not touch.
pub const SHARED_SOURCES: [(&str, &str); 4] = [
    ("protocol.rs", include_str!("protocol.rs")),
    ("session.rs", include_str!("session.rs")),
    ("client.rs", include_str!("client.rs")),
    ("server.rs", include_str!("server.rs")),
];

/// The size of the port, in code lines (no blank lines, no comments, no unit tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortSize {
    /// Code lines of `threaded.rs`.
    pub threaded: usize,
    /// Code lines of `asynchronous.rs`.
    pub ported: usize,
    /// Lines the two files have in common, exactly.
    pub identical: usize,
    /// Lines in common once `async` and `.await` are removed: the port
    /// changed `same_but_await - identical` lines only by those keywords.
    pub same_but_await: usize,
    /// Code lines of the shared modules, used by both as they are.
    pub shared: usize,
}

impl PortSize {
    /// Lines of the async file that are new in kind (not only `async`/`.await`).
    pub fn changed_in_kind(&self) -> usize {
        self.ported - self.same_but_await
    }
}

/// Measures the port.
pub fn measure() -> PortSize {
    let threaded = code_lines(THREADED_SOURCE);
    let ported = code_lines(ASYNC_SOURCE);
    let strip = |lines: &[String]| -> Vec<String> {
        lines.iter().map(|line| without_await(line)).collect()
    };
    PortSize {
        threaded: threaded.len(),
        ported: ported.len(),
        identical: common_lines(&threaded, &ported),
        same_but_await: common_lines(&strip(&threaded), &strip(&ported)),
        shared: SHARED_SOURCES
            .iter()
            .map(|(_, source)| code_lines(source).len())
            .sum(),
    }
}

/// The code lines of a source file, trimmed: blank lines, comment lines and
/// everything from `#[cfg(test)]` on are left out, and a line that continues
/// a method chain (it starts with `.` or `?`) is joined to the one before, so
/// that rustfmt wrapping `.await` onto a line of its own does not count as a
/// change.
pub fn code_lines(source: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in source
        .lines()
        .map(str::trim)
        .take_while(|line| *line != "#[cfg(test)]")
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
    {
        match lines.last_mut() {
            Some(previous) if line.starts_with('.') || line.starts_with('?') => {
                previous.push_str(line)
            }
            _ => lines.push(line.to_owned()),
        }
    }
    lines
}

fn without_await(line: &str) -> String {
    line.replace(".await", "").replace("async ", "")
}

/// The length of the longest common subsequence of two line lists.
fn common_lines<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    // Two rows of the classic table are enough for the length.
    let mut previous = vec![0usize; b.len() + 1];
    let mut current = vec![0usize; b.len() + 1];
    for line_a in a {
        for (j, line_b) in b.iter().enumerate() {
            current[j + 1] = if line_a == line_b {
                previous[j] + 1
            } else {
                previous[j + 1].max(current[j])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_lines_is_the_longest_common_subsequence() {
        assert_eq!(
            common_lines(&["a", "b", "c", "d"], &["a", "x", "c", "d", "e"]),
            3
        );
        assert_eq!(common_lines::<&str>(&[], &["a"]), 0);
    }

    #[test]
    fn the_port_keeps_most_lines() {
        let size = measure();
        assert!(size.identical <= size.same_but_await && size.same_but_await <= size.ported);
        assert!(size.same_but_await * 2 > size.ported, "{size:?}");
    }
}
