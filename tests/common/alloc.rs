//! The measuring global allocator of the allocation tests, one copy for
//! all: a test binary has one global allocator, so each of `dsp_alloc`,
//! `record_alloc`, `stream_memory` and `alloc_cap` is its own binary and
//! includes this file (`#[path = "common/alloc.rs"] mod alloc;`), which
//! installs it. It forwards to the system allocator and keeps
//! - per thread, how many allocations (and reallocations) were made, so
//!   tests running in parallel do not disturb each other's counts;
//! - for the whole process, the live heap, its peak, and the largest single
//!   request (granted or not).
//!
//! Each binary uses a part of it.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Measuring;

#[global_allocator]
static GLOBAL: Measuring = Measuring;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);

/// A request for `size` bytes: counted on this thread, and the largest kept.
fn asked(size: usize) {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
    LARGEST.fetch_max(size, Ordering::SeqCst);
}

/// The live heap grew by `size` bytes.
fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::SeqCst) + size;
    PEAK.fetch_max(live, Ordering::SeqCst);
}

// SAFETY: forwards every call to the system allocator; only counts.
unsafe impl GlobalAlloc for Measuring {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        asked(layout.size());
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        asked(layout.size());
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        asked(new_size);
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
            grew(new_size);
        }
        p
    }
}

/// How many allocations and reallocations `f` made on this thread.
pub fn allocations_in(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// Start a measurement: the peak restarts from the live heap now, and the
/// largest request from zero. Returns the live heap now (the base).
pub fn start() -> usize {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    LARGEST.store(0, Ordering::SeqCst);
    base
}

/// How far the live heap's peak rose above `base` since [`start`].
pub fn peak_above(base: usize) -> usize {
    PEAK.load(Ordering::SeqCst).saturating_sub(base)
}

/// The largest single request since [`start`].
pub fn largest() -> usize {
    LARGEST.load(Ordering::SeqCst)
}
