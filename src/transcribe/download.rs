//! `vmcoach models download`: fetch a ggml model from whisper.cpp's host,
//! hashing while streaming, into a temporary file that is renamed into place
//! only once its SHA-256 matches and its structure checks out.

use super::model::{self, check_model, ModelError};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// whisper.cpp's model host.
pub const DEFAULT_BASE_URL: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";
/// Overrides the host (a mirror, or a local server in tests).
pub const BASE_URL_ENV: &str = "VMCOACH_MODEL_BASE_URL";
/// Overrides the expected SHA-256 (for a mirror serving other builds, and tests).
pub const EXPECTED_SHA256_ENV: &str = "VMCOACH_MODEL_EXPECTED_SHA256";

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("'{name}' is not a model vmcoach knows (known: {known})")]
    UnknownModel { name: String, known: String },
    #[error("'{name}' is not a model name (use a name like tiny.en)")]
    BadName { name: String },
    #[error("{EXPECTED_SHA256_ENV} is '{value}', not 64 hex digits")]
    BadOverride { value: String },
    #[error("download of {url} failed: the server answered HTTP {status}")]
    Http { url: String, status: u16 },
    #[error("download of {url} failed: {reason}")]
    Network { url: String, reason: String },
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("downloaded {name} does not match its SHA-256 (expected {expected}, got {actual}, {bytes} bytes); nothing was saved")]
    Mismatch {
        name: String,
        expected: String,
        actual: String,
        bytes: u64,
    },
    #[error("downloaded file is not a usable model: {0}")]
    NotAModel(#[from] ModelError),
}

/// What `download` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Downloaded {
    Fetched { path: PathBuf, bytes: u64 },
    AlreadyPresent { path: PathBuf },
}

/// Removes a half-written file unless disarmed.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn expected_sha256(name: &str) -> Result<String, DownloadError> {
    if let Some(v) = std::env::var_os(EXPECTED_SHA256_ENV).filter(|v| !v.is_empty()) {
        let v = v.to_string_lossy().trim().to_ascii_lowercase();
        if v.len() != 64 || !v.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(DownloadError::BadOverride { value: v });
        }
        return Ok(v);
    }
    model::known_model(name)
        .map(|m| m.sha256.to_string())
        .ok_or_else(|| DownloadError::UnknownModel {
            name: name.to_string(),
            known: model::KNOWN_MODELS
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The URL of a model on the host (or the `VMCOACH_MODEL_BASE_URL` mirror).
pub fn model_url(name: &str) -> String {
    let base = std::env::var(BASE_URL_ENV)
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    format!("{}/{}", base.trim_end_matches('/'), model::file_name(name))
}

/// Download `ggml-<name>.bin` into `dir`. An existing file is kept unless
/// `force`. `progress` shows a bar on stderr (hidden when it is not a terminal).
pub fn download(
    name: &str,
    dir: &Path,
    force: bool,
    progress: bool,
) -> Result<Downloaded, DownloadError> {
    if !model::valid_name(name) {
        return Err(DownloadError::BadName {
            name: name.to_string(),
        });
    }
    let expected = expected_sha256(name)?;
    let dest = dir.join(model::file_name(name));
    if dest.is_file() && !force {
        return Ok(Downloaded::AlreadyPresent { path: dest });
    }
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DownloadError::Io { path, source }
    };
    fs::create_dir_all(dir).map_err(io_err(dir))?;

    let url = model_url(name);
    let net = |e: ureq::Error| match e {
        ureq::Error::StatusCode(status) => DownloadError::Http {
            url: url.clone(),
            status,
        },
        other => DownloadError::Network {
            url: url.clone(),
            reason: other.to_string(),
        },
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut resp = agent.get(&url).call().map_err(net)?;
    let total = resp.body().content_length();

    let tmp = TempFile {
        path: dir.join(format!(
            ".{}.part-{}",
            model::file_name(name),
            std::process::id()
        )),
        keep: false,
    };
    let mut file = File::create(&tmp.path).map_err(io_err(&tmp.path))?;
    let bar = if progress {
        indicatif::ProgressBar::new(total.unwrap_or(0))
    } else {
        indicatif::ProgressBar::hidden()
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("ggml-{name}.bin"));

    let mut reader = resp.body_mut().as_reader();
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                bar.abandon();
                return Err(DownloadError::Network {
                    url: url.clone(),
                    reason: e.to_string(),
                });
            }
        };
        let chunk = buf.get(..n).unwrap_or_default();
        hasher.update(chunk);
        file.write_all(chunk).map_err(io_err(&tmp.path))?;
        bytes += n as u64;
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    file.sync_all().map_err(io_err(&tmp.path))?;
    drop(file);

    let actual = hex(&hasher.finalize());
    if actual != expected {
        return Err(DownloadError::Mismatch {
            name: name.to_string(),
            expected,
            actual,
            bytes,
        });
    }
    check_model(&tmp.path)?;
    fs::rename(&tmp.path, &dest).map_err(io_err(&dest))?;
    let mut tmp = tmp;
    tmp.keep = true;
    Ok(Downloaded::Fetched { path: dest, bytes })
}

/// SHA-256 of a file, as lowercase hex.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut f = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn url_joins_base_and_file_name() {
        if std::env::var_os(BASE_URL_ENV).is_none() {
            assert_eq!(
                model_url("tiny.en"),
                "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-tiny.en.bin"
            );
        }
    }
}
