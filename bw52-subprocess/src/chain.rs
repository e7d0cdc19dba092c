//! Step 5: chain children with pipes, as a shell's `a | b` does.
//!
//! The book pipes an encrypting `openssl` into a hashing one. We need only
//! coreutils, so the "encryptor" is `tr` doing ROT13 (a toy cipher, but a real
//! byte-by-byte transform) and the hash is `sha256sum` — or `shasum -a 256`
//! where there is no `sha256sum`, as on macOS ([`sha256_command`]). Each
//! chain's result is checked against the same computed in-process ([`rot13`],
//! [`sha256_hex`]).
//!
//! The detail the book insists on is closing the parent's copy of the pipe
//! between the two children (`encrypt_proc.stdout.close()`). If the parent
//! keeps a read end open, a downstream child that exits early cannot signal
//! the upstream one: the writer never gets SIGPIPE, it just fills the pipe and
//! blocks forever. In Rust the parent's copy lives inside the [`Command`] it
//! was handed to, so [`Pipeline::spawn`] drops each command right after
//! starting it. (std opens every pipe close-on-exec, so the *children* never
//! inherit stray ends either — the other cause of hanging pipelines.)

use std::ffi::OsStr;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Output, Stdio};
use std::thread;

use sha2::{Digest, Sha256};

use crate::capture::{RunError, check};
use crate::guard::{ChildGuard, read_all};
use crate::stream::{feed, join};

/// Children connected stdout-to-stdin, all running; feed and collect them with
/// [`Pipeline::finish`]. Dropping it kills and reaps every stage.
#[derive(Debug)]
pub struct Pipeline {
    /// The stages in order; each a guard, so a failure part-way leaves nothing.
    stages: Vec<ChildGuard>,
    /// Our end of the first stage's stdin.
    stdin: Option<ChildStdin>,
    /// Our end of the last stage's stdout.
    stdout: Option<ChildStdout>,
    /// Our end of every stage's stderr, in stage order.
    stderrs: Vec<ChildStderr>,
}

impl Pipeline {
    /// Starts `commands` as a pipeline: stdin of the first comes from us,
    /// each stdout feeds the next stdin, the last stdout comes back to us;
    /// every stage's stderr is captured.
    pub fn spawn(commands: impl IntoIterator<Item = Command>) -> Result<Self, RunError> {
        let mut stages: Vec<ChildGuard> = Vec::new();
        let mut stdin = None;
        let mut upstream: Option<ChildStdout> = None;
        let mut stderrs = Vec::new();
        for mut command in commands {
            let input = match upstream.take() {
                // The previous stage's stdout becomes this stage's stdin.
                Some(pipe) => Stdio::from(pipe),
                None => Stdio::piped(),
            };
            command
                .stdin(input)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            // If this spawn fails, `?` drops `stages`: the earlier stages are
            // killed and reaped by their guards.
            let mut stage = ChildGuard::spawn(&mut command)?;
            // The command still holds our copy of the read end it was given;
            // dropping it now is the book's `proc.stdout.close()`.
            drop(command);
            if stages.is_empty() {
                stdin = stage.take_stdin();
            }
            upstream = stage.take_stdout();
            stderrs.extend(stage.take_stderr());
            stages.push(stage);
        }
        if stages.is_empty() {
            return Err(RunError::Spawn {
                program: "(empty pipeline)".into(),
                source: io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "a pipeline needs at least one command",
                ),
            });
        }
        Ok(Self {
            stages,
            stdin,
            stdout: upstream,
            stderrs,
        })
    }

    /// The process ids of the stages, in order.
    pub fn ids(&self) -> Vec<u32> {
        self.stages.iter().map(ChildGuard::id).collect()
    }

    /// Writes `input` to the first stage (then closes it), reads the last
    /// stage's output and every stage's stderr, all at once, and reaps every
    /// stage. The statuses are reported, not judged: in a shell, an upstream
    /// stage killed by SIGPIPE is normal. Use
    /// [`PipelineOutput::into_checked`] to require success everywhere.
    pub fn finish(self, input: &[u8]) -> Result<PipelineOutput, RunError> {
        let Self {
            mut stages,
            stdin,
            stdout,
            stderrs,
        } = self;
        let (fed, stdout, stderrs) = thread::scope(|s| {
            // No stdin means there is nothing to feed.
            let writer = s.spawn(move || stdin.map_or(Ok(()), |stdin| feed(stdin, input)));
            let readers: Vec<_> = stderrs
                .into_iter()
                .map(|pipe| s.spawn(move || read_all(pipe)))
                .collect();
            let stdout = stdout.map_or_else(|| Ok(Vec::new()), read_all);
            let stderrs: Vec<_> = readers.into_iter().map(join).collect();
            (join(writer), stdout, stderrs)
        });
        let last = stages.last().map_or("", ChildGuard::program).to_owned();
        let mut results = Vec::with_capacity(stages.len());
        for (stage, stderr) in stages.iter_mut().zip(stderrs) {
            let program = stage.program().to_owned();
            let io_error = |source| RunError::Io {
                program: program.clone(),
                source,
            };
            let status = stage.wait().map_err(io_error)?;
            let stderr = stderr.map_err(io_error)?;
            results.push(StageResult {
                status,
                stderr: String::from_utf8_lossy(&stderr).into_owned(),
                program,
            });
        }
        let io_error = |program: &str, source| RunError::Io {
            program: program.to_owned(),
            source,
        };
        let first = stages.first().map_or("", ChildGuard::program);
        fed.map_err(|e| io_error(first, e))?;
        Ok(PipelineOutput {
            stdout: stdout.map_err(|e| io_error(&last, e))?,
            stages: results,
        })
    }
}

/// How one stage of a pipeline ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageResult {
    /// The stage's program.
    pub program: String,
    /// Its exit status.
    pub status: ExitStatus,
    /// What it wrote to stderr.
    pub stderr: String,
}

/// What a finished [`Pipeline`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineOutput {
    /// The last stage's standard output.
    pub stdout: Vec<u8>,
    /// Every stage's ending, in order.
    pub stages: Vec<StageResult>,
}

impl PipelineOutput {
    /// The output, if every stage exited with code 0; otherwise the first
    /// failing stage as [`RunError::Failed`].
    pub fn into_checked(self) -> Result<Vec<u8>, RunError> {
        for stage in self.stages {
            check(
                &stage.program,
                Output {
                    status: stage.status,
                    stdout: Vec::new(),
                    stderr: stage.stderr.into_bytes(),
                },
            )?;
        }
        Ok(self.stdout)
    }
}

/// `tr` doing ROT13 on bytes: A–Z and a–z rotate by 13, every other byte
/// passes through. The chain's "encryptor".
///
/// It runs in the C locale (`LC_ALL=C`), where every byte is one character.
/// In a UTF-8 locale macOS's `tr` reads its input as UTF-8 and rejects or
/// mangles the bytes that are not ("Illegal byte sequence"); GNU `tr` counts
/// bytes anyway.
pub fn rot13_command() -> Command {
    let mut command = Command::new("tr");
    command.env("LC_ALL", "C").args(["A-Za-z", "N-ZA-Mn-za-m"]);
    command
}

/// The shell script behind [`encrypt_command`]: a Caesar shift of the
/// letters by the key in `$password`, checked first.
const ENCRYPT_SCRIPT: &str = r#"
key=${password:?no password in the environment}
case $key in
    ''|*[!0-9]*) echo "password must be a number from 1 to 25, not '$key'" >&2; exit 2 ;;
esac
if [ "$key" -lt 1 ] || [ "$key" -gt 25 ]; then
    echo "password must be a number from 1 to 25, not '$key'" >&2; exit 2
fi
upper=ABCDEFGHIJKLMNOPQRSTUVWXYZ lower=abcdefghijklmnopqrstuvwxyz
to_upper=$(printf %s "$upper$upper" | cut -c $((key + 1))-$((key + 26)))
to_lower=$(printf %s "$lower$lower" | cut -c $((key + 1))-$((key + 26)))
LC_ALL=C exec tr "$upper$lower" "$to_upper$to_lower"
"#;

/// The book's encryptor, `openssl enc -des3 -pass env:password`, with a
/// coreutils stand-in for the cipher: `sh` and `tr` shift every letter by
/// the key, a number from 1 to 25, which the child reads from its
/// environment variable `password` — set here with [`Command::env`], as the
/// book sets `env['password']`. A secret passed this way stays out of the
/// command line, which every user of the machine can read (`ps`); the child
/// inherits the rest of the parent's environment, as the book's copy of
/// `os.environ` does. A missing or malformed key makes the child fail with a
/// message naming it.
pub fn encrypt_command(password: &str) -> Command {
    let mut command = Command::new("sh");
    command
        .args(["-c", ENCRYPT_SCRIPT])
        .env("password", password);
    command
}

/// The chain's hash, reading its standard input: `sha256sum` (GNU
/// coreutils) if it is on `PATH`, else `shasum -a 256` (the Perl script macOS
/// ships). Both print `<64 hex digits>  -`; see [`parse_sha256sum`].
///
/// # Errors
///
/// [`RunError::NotFound`] naming both programs if neither is on `PATH`.
pub fn sha256_command() -> Result<Command, RunError> {
    sha256_command_on(std::env::var_os("PATH").as_deref())
}

/// [`sha256_command`], looking only in the directories of `path` (a value
/// like `PATH`'s; `None` means none at all).
///
/// The returned command names the program, not its directory: it is started
/// the usual way, found on the `PATH` of this process.
pub fn sha256_command_on(path: Option<&OsStr>) -> Result<Command, RunError> {
    if find_on_path("sha256sum", path).is_some() {
        return Ok(Command::new("sha256sum"));
    }
    if find_on_path("shasum", path).is_some() {
        let mut command = Command::new("shasum");
        command.args(["-a", "256"]);
        return Ok(command);
    }
    Err(RunError::NotFound {
        program: "sha256sum (or shasum)".into(),
    })
}

/// Where `program` is in the directories of `path` (a value like `PATH`'s):
/// the first executable file of that name, as the shell would pick it.
pub fn find_on_path(program: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    // Any of the three execute bits: whether *we* may run it is the
    // kernel's decision at `exec`, and an error then names the program.
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// ROT13 computed in-process: what [`rot13_command`] must produce.
pub fn rot13(data: &[u8]) -> Vec<u8> {
    caesar(data, 13)
}

/// Every letter shifted by `key` places (wrapping within A–Z and a–z),
/// every other byte unchanged: what [`encrypt_command`] must produce.
pub fn caesar(data: &[u8], key: u8) -> Vec<u8> {
    let key = key % 26;
    data.iter()
        .map(|&byte| match byte {
            b'A'..=b'Z' => b'A' + (byte - b'A' + key) % 26,
            b'a'..=b'z' => b'a' + (byte - b'a' + key) % 26,
            other => other,
        })
        .collect()
}

/// SHA-256 computed in-process (the `sha2` crate), as lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Reads the digest out of the output line of `sha256sum` or `shasum -a 256`
/// (`<64 hex>  -`).
pub fn parse_sha256sum(output: &[u8]) -> Result<String, String> {
    let text = String::from_utf8_lossy(output);
    let digest = text.split_whitespace().next().unwrap_or_default();
    if digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(digest.to_ascii_lowercase())
    } else {
        Err(format!(
            "expected a 64-digit hex digest from the hash, got {text:?}"
        ))
    }
}
