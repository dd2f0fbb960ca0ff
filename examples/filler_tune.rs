//! Local tuning probe (not committed): raw Whisper words cached once per
//! file, then signal analysis + alignment + fillers against the truth.
use std::path::{Path, PathBuf};
use std::time::Instant;
use vmcoach::analyze::align::{reconcile, Starts};
use vmcoach::message::{AudioFacts, Context, Message, Transcript};
use vmcoach::transcribe::whisper::Transcriber;
use vmcoach::transcribe::TranscribeOptions;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().cloned().unwrap_or("devset".into()));
    let tag = std::env::var("TAG").unwrap_or_default();
    let prompt = std::env::var("PROMPT").ok();
    let verbose = std::env::var("V").is_ok();
    let only: Vec<String> = args.iter().skip(1).cloned().collect();
    let cache = PathBuf::from(format!("target/filler-cache{tag}"));
    std::fs::create_dir_all(&cache).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let n = e.ok()?.file_name().into_string().ok()?;
            n.strip_suffix(".truth.json").map(str::to_string)
        })
        .filter(|n| only.is_empty() || only.iter().any(|o| n.contains(o.as_str())))
        .collect();
    names.sort();
    let mut model: Option<Transcriber> = None;
    let (mut tt, mut tm, mut tf, mut free_false, mut free_n) = (0, 0, 0, 0, 0);
    let mut errs = vec![];
    let mut dsp_ms = 0.0;
    let (mut wer_err, mut wer_n, mut ums_written) = (0usize, 0usize, 0usize);
    for name in &names {
        let wav = dir.join(format!("{name}.wav"));
        let audio = vmcoach::pipeline::load_16k(&wav, Default::default()).unwrap();
        let t0 = Instant::now();
        let signal = vmcoach::dsp::analyze_signal(&audio.samples);
        dsp_ms += t0.elapsed().as_secs_f64() * 1000.0;
        let cp = cache.join(format!("{name}.json"));
        let raw: Transcript = if cp.is_file() {
            serde_json::from_str(&std::fs::read_to_string(&cp).unwrap()).unwrap()
        } else {
            let m = model.get_or_insert_with(|| {
                Transcriber::load(
                    Path::new("../shared/models/ggml-tiny.en.bin"),
                    &TranscribeOptions {
                        threads: 1,
                        ..Default::default()
                    },
                )
                .unwrap()
            });
            m.set_initial_prompt(prompt.as_deref());
            let t = m.transcribe(&audio.samples).unwrap();
            std::fs::write(&cp, serde_json::to_string(&t).unwrap()).unwrap();
            t
        };
        {
            let hyp = norm(&raw.text);
            ums_written += hyp.iter().filter(|w| ["um", "uh", "umm", "uhm", "ah", "er", "hmm"].contains(&w.as_str())).count();
            let hyp: Vec<String> = hyp.into_iter().filter(|w| !["um", "uh", "umm", "uhm", "ah", "er", "hmm"].contains(&w.as_str())).collect();
            let tt: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.truth.json"))).unwrap()).unwrap();
            let refw: Vec<String> = norm(tt["text"].as_str().unwrap()).into_iter().filter(|w| w != "um" && w != "uh").collect();
            wer_err += edit(&refw, &hyp);
            wer_n += refw.len();
        }
        let mut t = raw.clone();
        let _ = reconcile(&mut t, &audio.samples, &signal.segments, Starts::Whisper);
        let cands = signal.filler_candidates.clone();
        let message = Message {
            transcript: t,
            audio: Some(AudioFacts {
                duration: audio.info.duration,
                speech: signal.speech,
                pauses: signal.pauses.clone(),
                prosody: None,
                filler_candidates: signal.filler_candidates.clone(),
            }),
            context: Context::default(),
        };
        let text = vmcoach::text::TextView::new(&message.transcript);
        let found = vmcoach::analyze::fillers::find(&message, &text);
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.truth.json"))).unwrap())
                .unwrap();
        let tfl: Vec<(String, f64, f64)> = truth["fillers"]
            .as_array()
            .map(|v| {
                v.iter()
                    .map(|f| {
                        (
                            f["kind"].as_str().unwrap().to_string(),
                            f["start"].as_f64().unwrap(),
                            f["end"].as_f64().unwrap(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let ns: Vec<(String, f64)> = truth["non_speech"]
            .as_array()
            .map(|v| v.iter().map(|f| (f["kind"].as_str().unwrap().to_string(), f["start"].as_f64().unwrap())).collect())
            .unwrap_or_default();
        let fl: Vec<_> = found
            .iter()
            .filter(|f| ["um", "uh", "umm", "uhm", "ah", "er", "erm", "hmm", "mm"].contains(&f.kind.as_str()))
            .filter_map(|f| f.time.map(|t| (f.kind.clone(), t.start, t.end, f.witness, f.confidence)))
            .collect();
        let mut taken = vec![false; fl.len()];
        let mut matched = 0;
        for (_, s, _) in &tfl {
            if let Some(i) = (0..fl.len()).find(|&i| !taken[i] && (fl[i].1 - s).abs() <= 0.25) {
                taken[i] = true;
                matched += 1;
                errs.push(((fl[i].1 - s) * 1000.0).abs());
            }
        }
        let false_n = taken.iter().filter(|t| !**t).count();
        tt += tfl.len();
        tm += matched;
        tf += fl.len();
        if tfl.is_empty() {
            free_n += 1;
            free_false += false_n;
        }
        println!(
            "{name:32} truth {} matched {} found {} false {}",
            tfl.len(),
            matched,
            fl.len(),
            false_n
        );
        if verbose || matched < tfl.len() || false_n > 0 {
            println!("   text: {}", message.transcript.text);
            for (k, s, e) in &tfl {
                println!("   TRUTH {k} {s:.2}-{e:.2}");
            }
            for (k, s) in &ns {
                println!("   NONSPEECH {k} {s:.2}");
            }
            for (i, f) in fl.iter().enumerate() {
                println!(
                    "   {} {} {:.2}-{:.2} {:?} {:.2}",
                    if taken[i] { "HIT  " } else { "FALSE" },
                    f.0,
                    f.1,
                    f.2,
                    f.3,
                    f.4
                );
            }
            for c in &cands {
                let near_truth = tfl.iter().any(|t| (t.1 - c.time.start).abs() < 0.25);
                let covering: Vec<String> = message
                    .transcript
                    .words
                    .iter()
                    .filter(|w| w.time.is_some_and(|wt| wt.end > c.time.start && wt.start < c.time.end))
                    .map(|w| {
                        let wt = w.time.unwrap();
                        format!("{}[{:.2}-{:.2}]", w.text, wt.start, wt.end)
                    })
                    .collect();
                println!(
                    "     cand{} {:.2}-{:.2} d {:.2} spread {:.2} flux {:.2} slope {:.1} nasal {} q {:.2}/{:.2} conf {:.2} words {}",
                    if near_truth { "*" } else { " " },
                    c.time.start,
                    c.time.end,
                    c.time.duration(),
                    c.pitch_spread_st,
                    c.flux_db,
                    c.level_slope_db,
                    c.nasal_end,
                    c.quiet_before_s,
                    c.quiet_after_s,
                    c.confidence,
                    covering.join(" ")
                );
            }
        }
    }
    println!("WER {}/{} = {:.3}  um/uh written by Whisper {}", wer_err, wer_n, wer_err as f64 / wer_n.max(1) as f64, ums_written);
    errs.sort_by(f64::total_cmp);
    println!(
        "TOTAL recall {tm}/{tt} = {:.3}  precision {}/{} = {:.3}  false per free msg {}/{}  median err {:.0} ms  dsp {:.0} ms",
        tm as f64 / tt.max(1) as f64,
        tm,
        tf,
        tm as f64 / tf.max(1) as f64,
        free_false,
        free_n,
        errs.get(errs.len() / 2).copied().unwrap_or(0.0),
        dsp_ms
    );
}

fn norm(text: &str) -> Vec<String> {
    let mut out = vec![];
    for w in text.split(|c: char| c.is_whitespace()) {
        let w: String = w.chars().filter(|c| c.is_alphanumeric() || *c == '\'').flat_map(char::to_lowercase).collect();
        if w.is_empty() { continue; }
        if w.chars().any(|c| c.is_ascii_digit()) {
            out.extend(w.chars().filter(|c| c.is_ascii_digit()).map(|c| c.to_string()));
        } else {
            out.push(w);
        }
    }
    out
}

fn edit(a: &[String], b: &[String]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
