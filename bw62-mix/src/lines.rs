//! Splitting a growing byte stream into lines, with no I/O at all.
//!
//! A tailer reads whatever bytes the file holds right now. That can end in the
//! middle of a line — the writer has written `"input-003.log 0000"` and not
//! yet `"17 abc\n"`. The book's `readline` would return that fragment as if it
//! were a line, and the rest later as another "line". [`LineBuffer`] keeps the
//! fragment until its newline arrives, and only hands out complete lines.
//!
//! Keeping this logic free of I/O lets the blocking tailer
//! ([`threads`](crate::threads)) and the async one ([`tasks`](crate::tasks))
//! share it unchanged: during a migration, the code that moves is the code
//! that waits, not the code that decides.

use std::ops::Range;

/// Bytes read so far that have not yet been handed out as lines.
///
/// ```
/// use bw62_mix::LineBuffer;
///
/// let mut buffer = LineBuffer::default();
/// buffer.push(b"first\nsec");
/// assert_eq!(buffer.next_line(), Some(&b"first\n"[..]));
/// assert_eq!(buffer.next_line(), None); // "sec" waits for its newline
/// buffer.push(b"ond\n");
/// assert_eq!(buffer.next_line(), Some(&b"second\n"[..]));
/// assert_eq!(buffer.take_unterminated(), None);
/// ```
#[derive(Debug, Default)]
pub struct LineBuffer {
    /// Bytes read and not yet consumed start at `start`.
    bytes: Vec<u8>,
    /// Everything before this index has been handed out already.
    start: usize,
}

impl LineBuffer {
    /// Appends bytes just read from the file.
    pub fn push(&mut self, new: &[u8]) {
        // Drop the lines already handed out before growing, so the buffer
        // holds at most one read's worth of bytes plus one partial line.
        if self.start > 0 {
            self.bytes.drain(..self.start);
            self.start = 0;
        }
        self.bytes.extend_from_slice(new);
    }

    /// Takes the next complete line (with its `\n`), if one is buffered.
    pub fn next_line(&mut self) -> Option<&[u8]> {
        let range = self.take_line()?;
        Some(&self.bytes[range])
    }

    /// Like [`next_line`](Self::next_line) but returns where the line is, so
    /// a caller can decide to read more without holding a borrow.
    pub(crate) fn take_line(&mut self) -> Option<Range<usize>> {
        let rest = &self.bytes[self.start..];
        let end = self.start + rest.iter().position(|&b| b == b'\n')? + 1;
        let range = self.start..end;
        self.start = end;
        Some(range)
    }

    /// The bytes of a range returned by [`take_line`](Self::take_line).
    pub(crate) fn get(&self, range: Range<usize>) -> &[u8] {
        &self.bytes[range]
    }

    /// Takes the bytes after the last newline, if any, as a line of their
    /// own, **terminated with a newline added here**.
    ///
    /// Only meaningful once the file is known to be complete (after the stop
    /// signal and a final empty read). A writer that dies mid-line leaves
    /// such a fragment; we keep it rather than drop it — losing nothing is
    /// the rule — and terminate it so that, in the merged output, it cannot
    /// run into the next line of another file.
    pub fn take_unterminated(&mut self) -> Option<Vec<u8>> {
        if self.start == self.bytes.len() {
            return None;
        }
        let mut line = self.bytes.split_off(self.start);
        self.bytes.clear();
        self.start = 0;
        line.push(b'\n');
        Some(line)
    }

    /// Whether bytes are buffered that do not yet form a complete line.
    pub fn has_partial(&self) -> bool {
        self.start < self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_split_across_many_pushes_comes_out_whole() {
        let mut buffer = LineBuffer::default();
        for piece in [&b"ab"[..], b"c", b"", b"d\ne", b"f\n"] {
            buffer.push(piece);
        }
        assert_eq!(buffer.next_line(), Some(&b"abcd\n"[..]));
        assert_eq!(buffer.next_line(), Some(&b"ef\n"[..]));
        assert_eq!(buffer.next_line(), None);
        assert!(!buffer.has_partial());
    }

    #[test]
    fn the_unterminated_rest_is_kept_and_terminated() {
        let mut buffer = LineBuffer::default();
        buffer.push(b"one\ntwo");
        assert_eq!(buffer.next_line(), Some(&b"one\n"[..]));
        assert_eq!(buffer.next_line(), None);
        assert!(buffer.has_partial());
        assert_eq!(buffer.take_unterminated(), Some(b"two\n".to_vec()));
        assert_eq!(buffer.take_unterminated(), None);
    }

    #[test]
    fn empty_lines_are_lines() {
        let mut buffer = LineBuffer::default();
        buffer.push(b"\n\nx\n");
        assert_eq!(buffer.next_line(), Some(&b"\n"[..]));
        assert_eq!(buffer.next_line(), Some(&b"\n"[..]));
        assert_eq!(buffer.next_line(), Some(&b"x\n"[..]));
    }
}
