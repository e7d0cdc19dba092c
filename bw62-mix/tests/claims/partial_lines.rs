//! A tailer emits a line only once its newline has been written, whether it
//! reads with blocking calls or with `tokio::fs`.

use std::fs::{self, OpenOptions};
use std::io::Write;

use bw62_mix::tasks::AsyncFileTail;
use bw62_mix::threads::FileTail;

fn append(path: &std::path::Path, bytes: &[u8]) {
    OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .expect("append");
}

#[test]
fn blocking_tail_waits_for_the_newline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("input.log");
    fs::write(&path, b"").expect("create");
    let mut tail = FileTail::open(&path).expect("open");

    assert_eq!(tail.next_line().expect("read"), None, "empty file");
    append(&path, b"one\ntw");
    assert_eq!(tail.next_line().expect("read"), Some(&b"one\n"[..]));
    assert_eq!(
        tail.next_line().expect("read"),
        None,
        "\"tw\" is not a line yet"
    );
    append(&path, b"o\n");
    assert_eq!(tail.next_line().expect("read"), Some(&b"two\n"[..]));
    append(&path, b"thr");
    assert_eq!(tail.next_line().expect("read"), None);
    assert_eq!(tail.take_unterminated(), Some(b"thr\n".to_vec()));
}

#[tokio::test]
async fn async_tail_waits_for_the_newline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("input.log");
    fs::write(&path, b"").expect("create");
    let mut tail = AsyncFileTail::open(&path).await.expect("open");

    assert_eq!(tail.next_line().await.expect("read"), None, "empty file");
    append(&path, b"one\ntw");
    assert_eq!(tail.next_line().await.expect("read"), Some(&b"one\n"[..]));
    assert_eq!(
        tail.next_line().await.expect("read"),
        None,
        "\"tw\" is not a line yet"
    );
    append(&path, b"o\n");
    assert_eq!(tail.next_line().await.expect("read"), Some(&b"two\n"[..]));
    append(&path, b"thr");
    assert_eq!(tail.next_line().await.expect("read"), None);
    assert_eq!(tail.take_unterminated(), Some(b"thr\n".to_vec()));
}

#[test]
fn a_file_larger_than_one_read_comes_out_whole() {
    // More than one 64 KiB read's worth, with lines straddling the boundary.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("input.log");
    let text: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
    fs::write(&path, &text).expect("write");
    let mut tail = FileTail::open(&path).expect("open");
    let mut count = 0;
    while let Some(line) = tail.next_line().expect("read") {
        assert_eq!(line, format!("line {count}\n").as_bytes());
        count += 1;
    }
    assert_eq!(count, 20_000);
}
