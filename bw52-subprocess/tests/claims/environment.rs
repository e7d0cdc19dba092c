//! The child's environment: the book's encryptor reads its password from an
//! environment variable set by the parent, and several run at once.

use bw52_subprocess::{Pipeline, RunError, caesar, encrypt_command};

#[test]
fn each_encryptor_reads_its_own_key_from_its_environment() {
    let message: &[u8] = b"The Quick Brown Fox, 0-9 unchanged";
    let keys = ["1", "13", "25"];
    // All three start before any is fed, as in the book.
    let encryptors: Vec<_> = keys
        .iter()
        .map(|key| Pipeline::spawn([encrypt_command(key)]).expect("sh is present"))
        .collect();
    for (encryptor, key) in encryptors.into_iter().zip(keys) {
        let encrypted = encryptor
            .finish(message)
            .expect("fed and read")
            .into_checked()
            .expect("the encryptor succeeds");
        let shift: u8 = key.parse().expect("a number");
        assert_eq!(encrypted, caesar(message, shift), "key {key}");
    }
}

#[test]
fn an_encryptor_without_a_password_fails_and_says_why() {
    let mut command = encrypt_command("7");
    command.env_remove("password");
    let error = Pipeline::spawn([command])
        .expect("sh is present")
        .finish(b"secret")
        .expect("fed and read")
        .into_checked()
        .expect_err("no key, no encryption");
    let RunError::Failed { stderr, .. } = &error else {
        panic!("expected a failed child, got {error:?}");
    };
    assert!(
        stderr.contains("no password in the environment"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_password_is_named_in_the_error() {
    for bad in ["0", "26", "seven", "1; rm -rf /"] {
        let error = Pipeline::spawn([encrypt_command(bad)])
            .expect("sh is present")
            .finish(b"secret")
            .expect("fed and read")
            .into_checked()
            .expect_err("a bad key is refused");
        let message = error.to_string();
        assert!(
            message.contains("password must be a number from 1 to 25"),
            "{bad:?}: {message}"
        );
    }
}

#[test]
fn caesar_wraps_within_each_case() {
    assert_eq!(caesar(b"xyz XYZ abc", 3), b"abc ABC def");
    assert_eq!(caesar(b"Hello, World", 26), b"Hello, World");
}
