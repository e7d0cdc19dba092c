//! An empty build script: with it, Cargo also applies this crate's
//! `[build-dependencies]` (the unified features of build-time dependencies).

fn main() {}
