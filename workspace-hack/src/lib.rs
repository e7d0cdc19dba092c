//! No code: this crate exists for its `Cargo.toml`, which `cargo hakari`
//! keeps. See `.config/hakari.toml` for why every lesson depends on it.
