//! The streaming DSP stages allocate nothing per block: a counting global
//! allocator watches `process` on the calling thread only.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use vmcoach::dsp::{DspConfig, SignalAnalyzer};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if WATCHING.with(|w| w.get()) {
            ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if WATCHING.with(|w| w.get()) {
            ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Counts allocations made by `f` on this thread.
fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    WATCHING.with(|w| w.set(true));
    f();
    WATCHING.with(|w| w.set(false));
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

/// Speech-like test signal: a voiced tone with syllable bursts, pauses and noise.
fn signal(seconds: f32) -> Vec<f32> {
    let mut s = 7u64;
    (0..(seconds * 16000.0) as usize)
        .map(|i| {
            let t = i as f32 / 16000.0;
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((s >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.002;
            let on = (t % 3.0) < 2.0;
            let env = (0.5 - 0.5 * (2.0 * std::f32::consts::PI * 4.0 * t).cos()).powi(2);
            let f0 = 120.0 + 20.0 * (2.0 * std::f32::consts::PI * 0.5 * t).sin();
            let v: f32 = (1..8)
                .map(|h| (2.0 * std::f32::consts::PI * f0 * h as f32 * t).sin() / h as f32)
                .sum();
            noise + if on { 0.2 * env * v } else { 0.0 }
        })
        .collect()
}

#[test]
fn process_does_not_allocate_for_any_block_size() {
    let x = signal(12.0);
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
