//! A small mutation fuzzer on the stable toolchain, over every parser a
//! stranger can feed: WAV/RIFF and the compressed-audio front door
//! (symphonia), a recording's creation-time metadata, transcript files
//! (vmcoach's own and whisper.cpp's JSON) and what the rules make of them,
//! `vmcoach.toml`, typed scripts and the phone-number reader on arbitrary
//! text, the ggml model check and the CTranslate2 importer's header reading.
//!
//! Each target must turn every input into `Ok` or a typed error: a panic is
//! a bug. [`run_target`] mutates the target's seeds (files under
//! `fixtures/`) with a seeded xorshift generator — bit flips, bytes set,
//! edge-value 16/32-bit fields (sizes, counts, rates), runs inserted,
//! removed or duplicated, tails cut, splices from another input — and
//! catches panics per input. An input whose outcome (the kind of error, or
//! success) is new joins the corpus, a cheap stand-in for coverage feedback.
//!
//! `examples/fuzz.rs` (run by `scripts/fuzz.sh N`) drives this for N inputs
//! per target with a watchdog for hangs and a capping allocator for
//! unbounded allocation; `tests/it/fuzz.rs` runs a short smoke pass in the
//! default suite and keeps every crash found as a regression test.

use std::cell::{Cell, RefCell};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Once};

use crate::audio::wav::WavSource;
use crate::audio::{AudioError, AudioLimits, SampleSource};
use crate::message::Transcript;
use crate::pipeline::{self, ScoreOptions};
use crate::report::{self, Format, SourceKind, TranscriptSource};

/// One parser under test.
pub struct Target {
    pub name: &'static str,
    /// Feeds one input; returns a hash of the outcome's kind.
    pub run: fn(&[u8]) -> u64,
    /// Seed files, relative to the crate root.
    pub seeds: &'static [&'static str],
    /// Seeds made in code (too large or too regular to keep as files).
    pub generated: fn() -> Vec<Vec<u8>>,
    /// Largest input the mutator makes for this target.
    pub max_len: usize,
}

fn no_seeds() -> Vec<Vec<u8>> {
    Vec::new()
}

/// The smallest model file the check accepts whole: widths of 1, one
/// layer, a one-token vocabulary (" "), every tensor zero — 180 kB, so the
/// mutations reach the tensor records too.
fn compact_ggml() -> Vec<Vec<u8>> {
    use crate::transcribe::ggml;
    let mut h = crate::transcribe::test_model::test_hparams();
    (
        h.n_audio_state,
        h.n_audio_head,
        h.n_text_state,
        h.n_text_head,
    ) = (1, 1, 1, 1);
    let Some(specs) = ggml::expected_tensors(&h) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    out.extend_from_slice(&ggml::MAGIC.to_le_bytes());
    for v in h.to_array() {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&h.n_mels.to_le_bytes());
    out.extend_from_slice(&ggml::N_FFT_BINS.to_le_bytes());
    out.resize(out.len() + (h.n_mels * ggml::N_FFT_BINS * 4) as usize, 0);
    out.extend_from_slice(&1i32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.push(b' ');
    for spec in specs {
        let name = spec.name.as_bytes();
        out.extend_from_slice(&(spec.ne.len() as i32).to_le_bytes());
        out.extend_from_slice(&(name.len() as i32).to_le_bytes());
        out.extend_from_slice(&spec.ty.id().to_le_bytes());
        for &d in &spec.ne {
            out.extend_from_slice(&(d as i32).to_le_bytes());
        }
        out.extend_from_slice(name);
        let bytes = spec.ty.data_bytes(&spec.ne).unwrap_or(0);
        out.resize(out.len() + bytes as usize, 0);
    }
    vec![out]
}

/// Limits small enough that a fuzzed header cannot make one input slow.
const LIMITS: AudioLimits = AudioLimits {
    max_seconds: 20.0,
    min_seconds: 0.0,
};

/// The kind of an outcome: `Ok`, or the error's message with its numbers
/// taken out (offsets and sizes would make every input look new).
fn outcome<T, E: std::fmt::Display>(r: &Result<T, E>) -> u64 {
    let mut h = DefaultHasher::new();
    match r {
        Ok(_) => "ok".hash(&mut h),
        Err(e) => {
            for c in e.to_string().chars().take(80) {
                if !c.is_ascii_digit() {
                    c.hash(&mut h);
                }
            }
        }
    }
    h.finish()
}

/// Read a source to its end (or its first error), a block at a time.
fn drain(src: &mut dyn SampleSource) -> Result<u64, AudioError> {
    let mut block = [0.0f32; 4096];
    let mut total = 0;
    loop {
        match src.read_block(&mut block)? {
            0 => return Ok(total),
            n => total += n as u64,
        }
    }
}

/// The front door (`audio::open`) on bytes in memory, read to the end.
fn front_door(data: &[u8], name: &str) -> Result<u64, AudioError> {
    let bytes: Arc<[u8]> = Arc::from(data);
    let mut reopen =
        || -> Result<Cursor<Arc<[u8]>>, AudioError> { Ok(Cursor::new(Arc::clone(&bytes))) };
    let path = Path::new(name);
    let mut src =
        crate::audio::source::open_from(&mut reopen, Some(data.len() as u64), path, LIMITS)?;
    drain(src.as_mut())
}

fn wav(data: &[u8]) -> u64 {
    // As a file (its length known) and as a pipe (a WAV streamed with
    // unknown sizes is read to its end).
    let file = front_door(data, "fuzz.wav");
    let pipe = WavSource::from_reader(
        Box::new(Cursor::new(data.to_vec())),
        None,
        Path::new("fuzz.wav"),
        LIMITS,
    )
    .and_then(|mut s| drain(&mut s));
    outcome(&file) ^ outcome(&pipe).rotate_left(1)
}

fn decoded(data: &[u8]) -> u64 {
    outcome(&front_door(data, "fuzz"))
}

fn created(data: &[u8]) -> u64 {
    let c = crate::audio::created::created_in(&mut Cursor::new(data));
    outcome::<_, &str>(&c.ok_or("none"))
}

/// The report in every format: hostile text must come out escaped, never
/// as a panic.
fn render_all(r: &report::Report) {
    for f in [Format::Text, Format::Json, Format::Html] {
        let _ = report::render(r, f);
    }
}

fn transcript(data: &[u8]) -> u64 {
    let parsed = crate::transcribe::transcript_file::parse_transcript(data);
    if let Ok(t) = &parsed {
        // What `score --transcript` does next with its words.
        let r = pipeline::score_message(
            Some("fuzz.wav".into()),
            None,
            TranscriptSource {
                kind: SourceKind::File,
                path: Some("fuzz.json".into()),
            },
            t.clone(),
            None,
            &ScoreOptions::default(),
        );
        render_all(&r);
    }
    outcome(&parsed.map_err(|e| format!("{e:?}")))
}

/// The message a fuzzed `vmcoach.toml` is tried on.
const CONFIG_SCRIPT: &str = "Hi Sarah, it's Mike from Butler Street, calling because you asked \
    about onboarding. Call me at 555-212-3456, that's 555 212 3456. I'll try you Thursday at ten.";

fn config(data: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(data);
    let parsed = crate::config::parse(&text, Path::new("vmcoach.toml"));
    if let Ok(file) = &parsed {
        // What every command does next: the settings, then the rules with them.
        let (context, rules) = crate::config::merge(Some(file), Default::default());
        let opts = ScoreOptions {
            context,
            rules,
            ..ScoreOptions::default()
        };
        let r = pipeline::score_script(None, CONFIG_SCRIPT, &opts);
        render_all(&r);
    }
    outcome(&parsed)
}

fn phone(data: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(data);
    let t = Transcript::from_text(&text);
    let (mentions, fragments) = crate::analyze::phone::scan(&t);
    let mut h = DefaultHasher::new();
    (mentions.len().min(4), fragments.len().min(4)).hash(&mut h);
    h.finish()
}

fn script(data: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(data);
    let r = pipeline::score_script(Some("fuzz.txt".into()), &text, &ScoreOptions::default());
    render_all(&r);
    let mut h = DefaultHasher::new();
    for f in &r.findings {
        f.code.hash(&mut h);
    }
    h.finish()
}

fn ggml(data: &[u8]) -> u64 {
    outcome(&crate::transcribe::model::check_model_bytes(data))
}

fn ct2(data: &[u8]) -> u64 {
    let header = crate::transcribe::ctranslate2::parse_header(data);
    if let Ok(h) = &header {
        // The importer's next step: the hyper-parameters the shapes imply.
        return outcome(&crate::transcribe::import::hparams(h, None));
    }
    outcome(&header)
}

/// Every target, in the order the driver runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "wav",
        run: wav,
        seeds: &[
            "fixtures/fuzz/pcm16.wav",
            "fixtures/fuzz/ext24.wav",
            "fixtures/fuzz/float.wav",
            "fixtures/fuzz/bext.wav",
            "fixtures/formats/tone-ulaw.wav",
            "fixtures/formats/tone-alaw.wav",
            "fixtures/formats/tone-rf64.wav",
            "fixtures/formats/tone-streamed.wav",
            "fixtures/formats/tone-ima-adpcm.wav",
            "fixtures/formats/tone-ms-adpcm.wav",
        ],
        generated: no_seeds,
        max_len: MAX_LEN,
    },
    Target {
        name: "decoded",
        run: decoded,
        seeds: &[
            "fixtures/formats/tone.mp3",
            "fixtures/formats/tone-stereo.mp3",
            "fixtures/formats/tone.m4a",
            "fixtures/formats/tone.flac",
            "fixtures/formats/tone.ogg",
            "fixtures/formats/tone.opus",
            "fixtures/formats/tone.aac",
            "fixtures/formats/tone.aiff",
            "fixtures/formats/bad-cut.mp3",
            "fixtures/formats/bad-cut-header.m4a",
        ],
        generated: no_seeds,
        max_len: MAX_LEN,
    },
    Target {
        name: "created",
        run: created,
        seeds: &[
            "fixtures/fuzz/bext.wav",
            "fixtures/formats/tone.m4a",
            "fixtures/formats/tone-rf64.wav",
        ],
        generated: no_seeds,
        max_len: MAX_LEN,
    },
    Target {
        name: "transcript",
        run: transcript,
        seeds: &[
            "fixtures/good.transcript.json",
            "fixtures/cryptic.transcript.json",
            "fixtures/fuzz/whisper-cpp.json",
            "fixtures/fuzz/report.json",
        ],
        generated: no_seeds,
        max_len: MAX_LEN,
    },
    Target {
        name: "config",
        run: config,
        seeds: &["fixtures/fuzz/vmcoach.toml"],
        generated: no_seeds,
        max_len: MAX_LEN,
    },
    Target {
        name: "phone",
        run: phone,
        seeds: &["fixtures/fuzz/phone.txt"],
        generated: no_seeds,
        max_len: MAX_LEN,
    },
    Target {
        name: "script",
        run: script,
        seeds: &["fixtures/fuzz/script.txt", "fixtures/fuzz/phone.txt"],
        generated: no_seeds,
        max_len: MAX_LEN,
    },
    Target {
        name: "ggml",
        run: ggml,
        seeds: &["fixtures/fuzz/ggml-header.bin"],
        generated: compact_ggml,
        max_len: 256 * 1024,
    },
    Target {
        name: "ct2",
        run: ct2,
        seeds: &["fixtures/fuzz/ct2-header.bin"],
        generated: no_seeds,
        max_len: MAX_LEN,
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// A fast deterministic generator (xorshift64*): the same seed gives the
/// same inputs, so a run can be repeated.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// 32-bit values that break size arithmetic.
const INTERESTING_32: [u32; 10] = [
    0,
    1,
    0x7F,
    0xFF,
    0xFFFF,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
    0x1000_0000,
];

/// 16-bit values for channel counts, widths and tags.
const INTERESTING_16: [u16; 10] = [0, 1, 2, 3, 8, 9, 0xFF, 0x7FFF, 0xFFFE, 0xFFFF];

/// Largest input the mutator makes for most targets.
pub const MAX_LEN: usize = 64 * 1024;

/// Change `data` in one to four random ways, keeping it at most `max_len`
/// long; `other` is another input to splice from.
pub fn mutate(data: &mut Vec<u8>, rng: &mut Rng, other: &[u8], max_len: usize) {
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = data.len();
        match rng.below(11) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next_u64() as u8;
            }
            2 if len >= 4 => {
                // Header fields sit near the start: favour it.
                let span = if rng.below(2) == 0 { 256 } else { len };
                let i = rng.below((len - 3).min(span));
                let v = INTERESTING_32[rng.below(INTERESTING_32.len())];
                let bytes = if rng.below(4) == 0 {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                };
                data[i..i + 4].copy_from_slice(&bytes);
            }
            3 if len >= 2 => {
                let span = if rng.below(2) == 0 { 256 } else { len };
                let i = rng.below((len - 1).min(span));
                let v = INTERESTING_16[rng.below(INTERESTING_16.len())];
                data[i..i + 2].copy_from_slice(&v.to_le_bytes());
            }
            4 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                data.drain(i..i + n);
            }
            5 if len < max_len => {
                let i = rng.below(len + 1);
                let n = 1 + rng.below(64);
                let fill = rng.next_u64() as u8;
                let random = rng.below(2) == 0;
                let bytes: Vec<u8> = (0..n)
                    .map(|_| if random { rng.next_u64() as u8 } else { fill })
                    .collect();
                data.splice(i..i, bytes);
            }
            6 if len > 0 && len < max_len => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                let copy = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            7 if len > 0 => {
                let keep = rng.below(len);
                data.truncate(keep);
            }
            8 if !other.is_empty() => {
                let i = rng.below(other.len());
                let n = 1 + rng.below((other.len() - i).min(512));
                let at = rng.below(len + 1);
                let end = (at + n).min(len);
                data.splice(at..end, other[i..i + n].iter().copied());
            }
            9 if len > 0 => {
                // A text token changed: digits, quotes, brackets and
                // escapes are what text parsers trip on.
                const TOKENS: &[&[u8]] = &[
                    b"0",
                    b"9",
                    b"-1",
                    b"1e999",
                    b"\"",
                    b"\\",
                    b"\\u0000",
                    b"{",
                    b"}",
                    b"[",
                    b"]",
                    b",",
                    b":",
                    b"\n",
                    b"=",
                    b"'",
                    b"oh",
                    b"double",
                    b"triple",
                    b"hundred",
                    b"extension",
                    b"\xF0\x9F\x98\x80",
                    b"\xE2\x80\xAE",
                    b"<script>",
                    // Letters whose lower case is longer or shorter in
                    // bytes (İ, Ⱥ, ẞ, the Kelvin sign): byte offsets taken
                    // from one and used on the other break.
                    "\u{130}".as_bytes(),
                    "\u{23A}".as_bytes(),
                    "\u{1E9E}".as_bytes(),
                    "\u{212A}".as_bytes(),
                    "\u{FB03}".as_bytes(),
                    b" ",
                    b"  ",
                    b"\t",
                ];
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                let end = if rng.below(2) == 0 {
                    at
                } else {
                    (at + 1 + rng.below(4)).min(len)
                };
                data.splice(at..end, t.iter().copied());
            }
            _ => data.push(rng.next_u64() as u8),
        }
    }
    data.truncate(max_len);
}

/// A target's seeds: the files under `root` (missing ones are skipped),
/// the generated ones, and always an empty input.
pub fn load_seeds(target: &Target, root: &Path) -> Vec<Vec<u8>> {
    let mut seeds = vec![Vec::new()];
    for s in target.seeds {
        if let Ok(b) = std::fs::read(root.join(s)) {
            seeds.push(b);
        }
    }
    seeds.extend((target.generated)());
    seeds
}

/// A panic: its message (with where it happened) and the input.
#[derive(Debug, Clone)]
pub struct Crash {
    pub message: String,
    pub input: Vec<u8>,
}

/// What one target's run found.
#[derive(Debug, Default)]
pub struct Stats {
    pub runs: u64,
    /// Inputs in the corpus at the end (seeds included).
    pub corpus: usize,
    /// Distinct outcomes seen.
    pub outcomes: usize,
    pub panics: u64,
    /// The first input of each distinct panic message.
    pub crashes: Vec<Crash>,
    /// The longest any one input took (wall time), and that input.
    pub slowest: (std::time::Duration, Vec<u8>),
}

/// Most inputs kept in a target's corpus.
const MAX_CORPUS: usize = 512;

thread_local! {
    /// Set while this thread runs a fuzz input: its panics are caught and
    /// recorded, not printed.
    static FUZZING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A panic hook that records a fuzz input's panic quietly and leaves
/// every other panic (another test's) to the hook that was there.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if FUZZING.with(Cell::get) {
                let msg = info.to_string().replace('\n', " ");
                LAST_PANIC.with(|p| *p.borrow_mut() = msg);
            } else {
                previous(info);
            }
        }));
    });
}

/// Run one input through `target`: `Err` with the panic's message if it
/// panicked.
pub fn run_one(target: &Target, input: &[u8]) -> Result<u64, String> {
    install_panic_hook();
    FUZZING.with(|f| f.set(true));
    let r = catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    FUZZING.with(|f| f.set(false));
    r.map_err(|_| LAST_PANIC.with(|p| std::mem::take(&mut *p.borrow_mut())))
}

/// Fuzz `target` for `iterations` inputs: the seeds as they are first, then
/// mutations. `before` sees each input just before it runs (the driver's
/// watchdog and allocator keep a copy to save).
pub fn run_target(
    target: &Target,
    root: &Path,
    iterations: u64,
    seed: u64,
    before: &mut dyn FnMut(&[u8]),
) -> Stats {
    let mut corpus = load_seeds(target, root);
    let n_seeds = corpus.len();
    let mut rng = Rng::new(seed ^ name_hash(target.name));
    let mut seen = HashSet::new();
    let mut stats = Stats::default();
    let mut messages = HashSet::new();
    let mut input = Vec::with_capacity(target.max_len);
    for i in 0..iterations {
        input.clear();
        if (i as usize) < n_seeds {
            input.extend_from_slice(&corpus[i as usize]);
        } else {
            let base = rng.below(corpus.len());
            input.extend_from_slice(&corpus[base]);
            let other = &corpus[rng.below(corpus.len())];
            mutate(&mut input, &mut rng, other, target.max_len);
        }
        before(&input);
        stats.runs += 1;
        let started = std::time::Instant::now();
        let outcome = run_one(target, &input);
        let took = started.elapsed();
        if took > stats.slowest.0 {
            stats.slowest = (took, input.clone());
        }
        match outcome {
            Ok(kind) => {
                if seen.insert(kind) && corpus.len() < MAX_CORPUS {
                    corpus.push(input.clone());
                }
            }
            Err(message) => {
                stats.panics += 1;
                // One input per distinct panic (the location is in the message).
                if messages.insert(message.clone()) {
                    stats.crashes.push(Crash {
                        message,
                        input: input.clone(),
                    });
                }
            }
        }
    }
    stats.corpus = corpus.len();
    stats.outcomes = seen.len();
    stats
}

fn name_hash(name: &str) -> u64 {
    let mut h = DefaultHasher::new();
    name.hash(&mut h);
    h.finish()
}
