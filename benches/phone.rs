//! Phone-number detection on a typical message: find every mention in a
//! 60-word voicemail (number said twice, once spoken digit by digit, once
//! written) and group them; and the spoken-word count timing uses.
//!
//! Run: `cargo bench --bench phone`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use vmcoach::analyze::phone::{find_mentions, group};
use vmcoach::message::{TimeRange, Transcript};
use vmcoach::text::numbers::spoken_word_count;

const MESSAGE: &str = "Hi Sarah, it's Mike Jones from Butler Street. Dana Reyes thought \
we could speed up your month-end close, the way we did for 200 teams in 2025. Call me at \
five five five, two one two, three four five six. I'll try you Thursday at ten thirty. \
Sarah, that's 555-212-3456, extension 204. Talk soon, and have a great week.";

/// The message as Whisper would give it: words with times, 0.4 s apart.
fn timed_message() -> Transcript {
    Transcript::from_timed_words(MESSAGE.split_whitespace().enumerate().map(|(i, w)| {
        let start = 0.5 + 0.4 * i as f64;
        (
            w.to_string(),
            Some(TimeRange::new(start, start + 0.3)),
            None,
        )
    }))
}

fn bench_phone(c: &mut Criterion) {
    let transcript = timed_message();
    assert_eq!(
        find_mentions(&transcript).len(),
        2,
        "the bench message has two mentions"
    );
    c.bench_function("phone: find_mentions + group, 60-word message", |b| {
        b.iter(|| {
            let mentions = find_mentions(black_box(&transcript));
            group(black_box(&mentions))
        })
    });
    c.bench_function("numbers: spoken_word_count over 60 words", |b| {
        b.iter(|| {
            transcript
                .words
                .iter()
                .map(|w| spoken_word_count(black_box(&w.text)))
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, bench_phone);
criterion_main!(benches);
