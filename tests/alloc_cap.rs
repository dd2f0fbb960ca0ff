//! No unbounded allocation (issue 13, part 1): a file whose header claims
//! gigabytes — a WAV data chunk of 4 GB, an RF64 size of a terabyte, an
//! MP3 tag of 256 MB, an MP4 box of 4 GB, a ggml vocabulary of 2³¹
//! entries, a CTranslate2 variable of 4 GB — is refused or read for what
//! it is, and never given the memory it claims. A global allocator here
//! tracks the live heap; each input is run through its fuzz target (the
//! same entry points `scripts/fuzz.sh` drives) and may raise the peak by
//! at most [`CAP`]. The fuzz driver enforces the same kind of cap over
//! millions of mutated inputs (examples/fuzz.rs); this keeps the named
//! claims in the default run.

#[path = "common/alloc.rs"]
mod alloc;

use std::sync::Mutex;

use vmcoach::fuzz::{run_one, target};

/// Most any one input may add to the live heap.
const CAP: usize = 32 << 20;

/// The tests in this file measure one at a time (the heap is shared).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Run `input` through the fuzz target `name`: it must not panic, and
/// neither the peak of the live heap nor any single allocation may rise
/// by more than [`CAP`]. Returns the peak rise.
fn bounded(name: &str, what: &str, input: &[u8]) -> usize {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let t = target(name).expect("fuzz target");
    let base = alloc::start();
    let outcome = run_one(t, input);
    let peak = alloc::peak_above(base);
    let largest = alloc::largest();
    assert!(outcome.is_ok(), "{name}: {what}: panicked: {outcome:?}");
    assert!(
        peak <= CAP && largest <= CAP,
        "{name}: {what}: the live heap rose by {peak} bytes, largest allocation {largest} (cap {CAP})"
    );
    peak
}

fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

/// A RIFF WAVE header (PCM, `channels` × `bits` at `rate`) with a data
/// chunk that claims `data_size` bytes, followed by `have` bytes of it.
fn wav(channels: u16, rate: u32, bits: u16, data_size: u32, have: usize) -> Vec<u8> {
    let align = channels * bits / 8;
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&le32(u32::MAX));
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&le32(16));
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&channels.to_le_bytes());
    v.extend_from_slice(&le32(rate));
    v.extend_from_slice(&le32(rate * u32::from(align)));
    v.extend_from_slice(&align.to_le_bytes());
    v.extend_from_slice(&bits.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&le32(data_size));
    v.resize(v.len() + have, 0x11);
    v
}

#[test]
fn a_wav_claiming_gigabytes_is_not_given_them() {
    // 4 GB of mono 8 kHz: days of audio, refused as too long.
    bounded(
        "wav",
        "data chunk of 4 GB",
        &wav(1, 8_000, 16, u32::MAX, 4096),
    );
    // 4 GB that is seconds long at the widest shape: 8 channels of 32-bit
    // at 384 kHz is 12 MB/s, so 4 GB is 5.8 min; cut short after 4 kB.
    bounded(
        "wav",
        "data chunk of 4 GB, wide",
        &wav(8, 384_000, 32, u32::MAX, 4096),
    );
    // A chunk before `fmt ` claiming 4 GB (skipped, not read).
    let mut junk = Vec::new();
    junk.extend_from_slice(b"RIFF\xff\xff\xff\xffWAVEJUNK");
    junk.extend_from_slice(&le32(0xFFFF_FFF0));
    junk.resize(4096, 0);
    bounded("wav", "JUNK chunk of 4 GB", &junk);
    // A `fmt ` chunk of 4 GB.
    let mut fmt = wav(1, 16_000, 16, 64, 64);
    fmt[16..20].copy_from_slice(&le32(0xFFFF_FFF0));
    bounded("wav", "fmt chunk of 4 GB", &fmt);
    // RF64: a ds64 chunk claiming a terabyte of data.
    let mut rf = Vec::new();
    rf.extend_from_slice(b"RF64\xff\xff\xff\xffWAVEds64");
    rf.extend_from_slice(&le32(28));
    rf.extend_from_slice(&(1u64 << 40).to_le_bytes()); // RIFF size
    rf.extend_from_slice(&(1u64 << 40).to_le_bytes()); // data size
    rf.extend_from_slice(&(1u64 << 38).to_le_bytes()); // sample count
    rf.extend_from_slice(&le32(0));
    rf.extend_from_slice(&wav(2, 48_000, 24, u32::MAX, 4096)[12..]);
    bounded("wav", "RF64 data of 1 TB", &rf);
    // The LIST and bext chunks the creation time is read from.
    let mut list = wav(1, 16_000, 16, 64, 64);
    list.extend_from_slice(b"LIST");
    list.extend_from_slice(&le32(0xFFFF_FFF0));
    list.extend_from_slice(b"INFOICRD");
    list.resize(list.len() + 256, b'2');
    bounded("created", "LIST chunk of 4 GB", &list);
    let mut bext = wav(1, 16_000, 16, 64, 64);
    bext.extend_from_slice(b"bext");
    bext.extend_from_slice(&le32(0xFFFF_FFF0));
    bext.resize(bext.len() + 400, b'2');
    bounded("created", "bext chunk of 4 GB", &bext);
}

#[test]
fn compressed_audio_claiming_gigabytes_is_not_given_them() {
    // An ID3v2 tag of 256 MB (the largest a syncsafe size can say).
    let mut id3 = b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f".to_vec();
    id3.extend_from_slice(b"TXXX\x7f\x7f\x7f\x7f\x00\x00");
    id3.resize(8192, 0x41);
    bounded("decoded", "ID3 tag of 256 MB", &id3);
    // MP4: a `moov` box of 4 GB, and one with a 64-bit size of 1 TB.
    let mut mp4 = Vec::new();
    mp4.extend_from_slice(&24u32.to_be_bytes());
    mp4.extend_from_slice(b"ftypM4A \x00\x00\x00\x00M4A isom");
    mp4.extend_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
    mp4.extend_from_slice(b"moov");
    mp4.extend_from_slice(&0xFFFF_FFE0u32.to_be_bytes());
    mp4.extend_from_slice(b"trak");
    mp4.resize(8192, 0);
    bounded("decoded", "MP4 moov of 4 GB", &mp4);
    bounded("created", "MP4 moov of 4 GB", &mp4);
    let mut mp4_64 = mp4[..24].to_vec();
    mp4_64.extend_from_slice(&1u32.to_be_bytes());
    mp4_64.extend_from_slice(b"moov");
    mp4_64.extend_from_slice(&(1u64 << 40).to_be_bytes());
    mp4_64.resize(8192, 0);
    bounded("decoded", "MP4 moov of 1 TB (64-bit size)", &mp4_64);
    // FLAC: metadata blocks of 16 MB (the most 24 bits say), cut short.
    let mut flac = b"fLaC".to_vec();
    flac.extend_from_slice(&[0x00, 0x00, 0x00, 0x22]); // STREAMINFO, 34 bytes
    flac.extend_from_slice(&[0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0]);
    flac.extend_from_slice(&[0x03, 0xE8, 0x00, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF]);
    flac.resize(4 + 4 + 34, 0);
    flac.extend_from_slice(&[0x86, 0xFF, 0xFF, 0xFF]); // last, PICTURE, 16 MB
    flac.resize(8192, 0);
    bounded("decoded", "FLAC picture of 16 MB", &flac);
    // Found by the fuzzer: an AIFF whose COMM chunk claims 65,279 channels
    // had symphonia's decoder allocate 154 MB before the channel check.
    let aiff = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/fuzz/regress/decoded-aiff-65279-channels.bin"),
    )
    .expect("regression input");
    bounded("decoded", "AIFF with 65,279 channels", &aiff);
}

/// The compact ggml model the fuzzer starts from, with the 32-bit field
/// at `at` set to `v`.
fn ggml_with(at: usize, v: i32) -> Vec<u8> {
    let t = target("ggml").expect("ggml target");
    let mut m = (t.generated)().remove(0);
    m[at..at + 4].copy_from_slice(&v.to_le_bytes());
    m
}

#[test]
fn a_model_claiming_gigabytes_is_not_given_them() {
    let t = target("ggml").expect("ggml target");
    let model = (t.generated)().remove(0);
    // Where the fields sit: magic, 11 hyper-parameters, n_mel and n_fft,
    // the filters, then the vocabulary's size and its first entry's length.
    let n_mels = i32::from_le_bytes(model[40..44].try_into().expect("4 bytes"));
    let vocab = 4 + 44 + 8 + n_mels as usize * 201 * 4;
    let fields = [
        (4, "n_vocab"),
        (4 + 4, "n_audio_ctx"),
        (4 + 8, "n_audio_state"),
        (4 + 36, "n_mels"),
        (4 + 44, "the filters' n_mel"),
        (4 + 48, "the filters' n_fft"),
        (vocab, "the vocabulary size"),
        (vocab + 4, "a token's length"),
    ];
    for (at, what) in fields {
        for v in [i32::MAX, -1, i32::MIN, 0x4000_0000] {
            bounded("ggml", &format!("{what} = {v}"), &ggml_with(at, v));
        }
    }
    // A tensor whose dimensions claim 4 GB (the first tensor record).
    let first = vocab + 4 + 4 + 1;
    for d in [0x4000_0000, i32::MAX] {
        let mut m = model.clone();
        m[first + 12..first + 16].copy_from_slice(&d.to_le_bytes());
        bounded("ggml", &format!("a tensor dimension of {d}"), &m);
        // The name's length too.
        let mut m = model.clone();
        m[first + 4..first + 8].copy_from_slice(&d.to_le_bytes());
        bounded("ggml", &format!("a tensor name of {d} bytes"), &m);
    }
}

#[test]
fn a_ctranslate2_header_claiming_gigabytes_is_not_given_them() {
    let string = |v: &mut Vec<u8>, s: &str| {
        v.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        v.extend_from_slice(s.as_bytes());
        v.push(0);
    };
    // One float32 variable of 1023 × 1024 × 1024 (4 GB less 4 MB), its
    // byte count to match, and 16 bytes of it in the file.
    let mut v = Vec::new();
    v.extend_from_slice(&le32(6));
    string(&mut v, "WhisperSpec");
    v.extend_from_slice(&le32(3));
    v.extend_from_slice(&le32(1));
    string(&mut v, "encoder/conv1/weight");
    v.push(3);
    for d in [1023u32, 1024, 1024] {
        v.extend_from_slice(&le32(d));
    }
    v.push(0);
    v.extend_from_slice(&le32(1023 << 22));
    v.resize(v.len() + 16, 0);
    bounded("ct2", "a variable of 4 GB", &v);
    // The counts: 4 billion variables, then 4 billion aliases.
    let mut counts = Vec::new();
    counts.extend_from_slice(&le32(6));
    string(&mut counts, "WhisperSpec");
    counts.extend_from_slice(&le32(3));
    counts.extend_from_slice(&le32(u32::MAX));
    counts.resize(4096, 0);
    bounded("ct2", "4 billion variables", &counts);
    // Version, spec name, revision: then no variables.
    let mut aliases = counts[..4 + 2 + 12 + 4].to_vec();
    aliases.extend_from_slice(&le32(0));
    aliases.extend_from_slice(&le32(u32::MAX));
    aliases.resize(4096, 1);
    bounded("ct2", "4 billion aliases", &aliases);
}

#[test]
fn text_claiming_huge_numbers_is_not_given_them() {
    // Transcript times and counts of 1e308, and a vmcoach.toml asking for
    // the largest numbers TOML can hold.
    bounded(
        "transcript",
        "times of 1e308",
        br#"{"schema_version":1,"words":[{"text":"Hi","start":0,"end":1e308},{"text":"there","start":1e308,"end":1e308}]}"#,
    );
    bounded(
        "transcript",
        "whisper.cpp offsets of 2^63",
        br#"{"transcription":[{"offsets":{"from":0,"to":9223372036854775807},"text":" Hi","tokens":[{"text":" Hi","offsets":{"from":9223372036854775807,"to":9223372036854775807}}]}]}"#,
    );
    let toml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz/vmcoach.toml"),
    )
    .expect("seed");
    let huge: String = toml
        .lines()
        .map(|l| match l.split_once('=') {
            Some((k, v)) if v.trim().parse::<f64>().is_ok() => {
                format!("{k}= 9223372036854775807")
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    bounded("config", "every number 2^63 - 1", huge.as_bytes());
}
