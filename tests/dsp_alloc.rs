//! The streaming DSP stages allocate nothing per block: a counting global
//! allocator watches `process` on the calling thread only.

#[path = "common/alloc.rs"]
mod alloc;
#[path = "../src/dsp/test_signals.rs"]
mod signals;

use alloc::allocations_in;
use vmcoach::dsp::{DspConfig, SignalAnalyzer};

#[test]
fn process_does_not_allocate_for_any_block_size() {
    let x: Vec<f32> = signals::speechlike(12.0, 7).collect();
    let mut a = SignalAnalyzer::new(DspConfig::default());
    for block in [1usize, 7, 160, 441, 1024, 4096] {
        a.reset();
        let n = allocations_in(|| {
            for chunk in x.chunks(block) {
                a.process(chunk);
                let _ = a.live();
            }
        });
        assert_eq!(n, 0, "{n} allocations while processing blocks of {block}");
        // Make sure the watched run really found speech, pauses and pitch.
        let r = a.finish();
        assert!(r.speech.is_some(), "block {block}: {r:?}");
        assert!(!r.pauses.is_empty(), "block {block}: {r:?}");
        assert!(r.prosody.pitch.median_hz.is_some(), "block {block}: {r:?}");
        assert!(r.prosody.rate.syllables > 10, "block {block}: {r:?}");
    }
}
