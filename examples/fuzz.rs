//! The fuzz driver (issue 13): `scripts/fuzz.sh N` runs this as
//! `cargo run --release --example fuzz -- N`, N inputs per target of
//! `vmcoach::fuzz` (every parser a stranger can feed).
//!
//! Three kinds of finding, each saved under `target/fuzz/crashes/` as
//! `TARGET-KIND-HASH.bin` with a line on stderr:
//! - a **panic** (caught per input; the run goes on);
//! - a **hang**: one input that has used more than 1 s of CPU, or been
//!   running for 10 s (a watchdog thread looks every 20 ms); after 60 s
//!   on one input the run is stopped;
//! - an **over-allocation**: a capping global allocator refuses any single
//!   allocation over 256 MB and any that would take the live total over
//!   1 GB — a header that claims 4 GB must not get it. The refusal makes
//!   an infallible allocation abort the process (after the input is saved).
//!
//! Usage: `fuzz [--target NAME]... [--seed S] [--out DIR] [--max-alloc-mb M] [--max-live-mb M] N`
//! Exit status 0 when nothing was found, 1 otherwise.
//!
//! Two targets of the driver's own, run only when named, check that it
//! catches what it is for (tests/it/fuzz.rs runs them): `selftest-hang`
//! spins 1.5 s of CPU on the input `hang`, `selftest-alloc` asks for 4 GB
//! (fallibly) on the input `alloc`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Largest single allocation allowed.
const MAX_ONE: usize = 256 << 20;
/// Largest total of live allocations allowed.
const MAX_LIVE: usize = 1 << 30;
/// CPU time one input may use before it is a hang.
const HANG_CPU: Duration = Duration::from_secs(1);
/// Wall time one input may take (blocked, not computing) before it is a hang.
const HANG_WALL: Duration = Duration::from_secs(10);
/// Wall time after which a hung run is stopped.
const GIVE_UP: Duration = Duration::from_secs(60);

/// The single-allocation cap in force: [`MAX_ONE`], or less with
/// `--max-alloc-mb M` (to find the input behind a large allocation).
static MAX_ONE_SET: AtomicUsize = AtomicUsize::new(MAX_ONE);
/// The live-total cap in force: [`MAX_LIVE`], or less with `--max-live-mb M`.
static MAX_LIVE_SET: AtomicUsize = AtomicUsize::new(MAX_LIVE);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static OVER: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set while an over-allocation is being reported, so the report's own
    /// small allocations pass.
    static REPORTING: Cell<bool> = const { Cell::new(false) };
}

struct Capped;

impl Capped {
    /// Whether an allocation (or a growth) to `size` bytes, `more` of them
    /// new, may go ahead; a refusal is reported with the input.
    fn allowed(size: usize, more: usize) -> bool {
        if REPORTING.try_with(Cell::get).unwrap_or(true) {
            return true;
        }
        let live = LIVE.load(Ordering::Relaxed);
        let max_one = MAX_ONE_SET.load(Ordering::Relaxed);
        let max_live = MAX_LIVE_SET.load(Ordering::Relaxed);
        if size <= max_one && live.saturating_add(more) <= max_live {
            return true;
        }
        let _ = REPORTING.try_with(|r| r.set(true));
        OVER.fetch_add(1, Ordering::SeqCst);
        let what = if size > max_one {
            format!("one allocation of {size} bytes (cap {max_one})")
        } else {
            format!("{more} bytes more with {live} live (cap {max_live})")
        };
        save_current("alloc", &what);
        let _ = REPORTING.try_with(|r| r.set(false));
        false
    }

    fn grew(size: usize) {
        let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Self::allowed(layout.size(), layout.size()) {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Self::allowed(layout.size(), layout.size()) {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let more = new_size.saturating_sub(layout.size());
        if more > 0 && !Self::allowed(new_size, more) {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            Self::grew(new_size);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Capped = Capped;

/// The input being run, for the watchdog and the allocator to save.
static CURRENT: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static CURRENT_TARGET: Mutex<&'static str> = Mutex::new("");
/// Inputs started so far (the watchdog tells a new input by it) and
/// whether one is running.
static STARTED: AtomicU64 = AtomicU64::new(0);
static RUNNING: AtomicBool = AtomicBool::new(false);
static HANGS: AtomicU64 = AtomicU64::new(0);
static CRASH_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Save the running input as a finding of `kind`, with a line on stderr.
fn save_current(kind: &str, what: &str) {
    let target = CURRENT_TARGET.try_lock().map(|t| *t).unwrap_or("?");
    let Ok(input) = CURRENT.try_lock() else {
        eprintln!("fuzz: {target}: {kind}: {what} (input not saved: busy)");
        return;
    };
    let path = save(target, kind, &input);
    eprintln!("fuzz: {target}: {kind}: {what}; input saved to {path}");
}

/// Write a finding's input; returns where.
fn save(target: &str, kind: &str, input: &[u8]) -> String {
    let Some(dir) = CRASH_DIR.get() else {
        return "(nowhere: no crash folder)".into();
    };
    // FNV-1a: a stable name for the same input.
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{target}-{kind}-{hash:016x}.bin"));
    match std::fs::write(&path, input) {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("(not saved: {e})"),
    }
}

/// CPU time used so far by the thread whose CPU clock is `clock`.
fn cpu_time(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write into.
    if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The calling thread's CPU clock.
fn this_thread_clock() -> Option<libc::clockid_t> {
    let mut clock: libc::clockid_t = 0;
    // SAFETY: pthread_self is always valid; `clock` is written on success.
    let rc = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) };
    (rc == 0).then_some(clock)
}

/// Watch the fuzzing thread: an input over [`HANG_CPU`] of CPU or
/// [`HANG_WALL`] of wall time is saved as a hang (once); one still running
/// after [`GIVE_UP`] ends the process.
fn watchdog(clock: Option<libc::clockid_t>) {
    let mut seen = u64::MAX;
    let mut since = Instant::now();
    let mut cpu_at = Duration::ZERO;
    let mut reported = false;
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let n = STARTED.load(Ordering::SeqCst);
        if !RUNNING.load(Ordering::SeqCst) {
            continue;
        }
        if n != seen {
            seen = n;
            since = Instant::now();
            cpu_at = clock.map_or(Duration::ZERO, cpu_time);
            reported = false;
            continue;
        }
        let cpu = clock
            .map_or(Duration::ZERO, cpu_time)
            .saturating_sub(cpu_at);
        let wall = since.elapsed();
        if !reported && (cpu > HANG_CPU || wall > HANG_WALL) {
            reported = true;
            HANGS.fetch_add(1, Ordering::SeqCst);
            save_current(
                "hang",
                &format!("one input has run {wall:.1?} ({cpu:.1?} of CPU)"),
            );
        }
        if wall > GIVE_UP {
            eprintln!("fuzz: giving up: one input has run {wall:.0?}");
            std::process::exit(3);
        }
    }
}

/// The driver's own targets: each misbehaves on one input of its seeds.
const SELFTESTS: &[vmcoach::fuzz::Target] = &[
    vmcoach::fuzz::Target {
        name: "selftest-hang",
        run: spin_on_hang,
        seeds: &[],
        generated: hang_seed,
        max_len: 16,
    },
    vmcoach::fuzz::Target {
        name: "selftest-alloc",
        run: alloc_on_alloc,
        seeds: &[],
        generated: alloc_seed,
        max_len: 16,
    },
];

fn hang_seed() -> Vec<Vec<u8>> {
    vec![b"hang".to_vec()]
}

fn alloc_seed() -> Vec<Vec<u8>> {
    vec![b"alloc".to_vec()]
}

/// 1.5 s of CPU on the input `hang`.
fn spin_on_hang(input: &[u8]) -> u64 {
    if input != b"hang" {
        return 0;
    }
    let clock = this_thread_clock();
    let start = clock.map_or(Duration::ZERO, cpu_time);
    let wall = Instant::now();
    let mut x = 1u64;
    while clock.map_or(Duration::ZERO, cpu_time).saturating_sub(start) < Duration::from_millis(1500)
        && wall.elapsed() < Duration::from_secs(12)
    {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
    }
    x
}

/// A 4 GB request (one a header might make) on the input `alloc`; 1 if
/// it was refused.
fn alloc_on_alloc(input: &[u8]) -> u64 {
    if input != b"alloc" {
        return 0;
    }
    let mut v: Vec<u8> = Vec::new();
    u64::from(v.try_reserve_exact(4 << 30).is_err())
}

/// A target by name, the driver's own included.
fn find_target(name: &str) -> Option<&'static vmcoach::fuzz::Target> {
    vmcoach::fuzz::target(name).or_else(|| SELFTESTS.iter().find(|t| t.name == name))
}

/// The process's peak resident set size (`VmHWM`), as Linux says it.
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line["VmHWM:".len()..].trim().to_string())
}

struct Args {
    iterations: u64,
    targets: Vec<String>,
    seed: u64,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let mut args = Args {
        iterations: 0,
        targets: Vec::new(),
        seed: 0x5EED,
        out: target_dir.join("fuzz").join("crashes"),
    };
    let mut it = std::env::args().skip(1);
    let mut n = None;
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--target" => args.targets.push(value("--target")?),
            "--seed" => {
                args.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--max-live-mb" => {
                let mb: usize = value("--max-live-mb")?
                    .parse()
                    .map_err(|e| format!("--max-live-mb: {e}"))?;
                MAX_LIVE_SET.store(mb.saturating_mul(1 << 20).min(MAX_LIVE), Ordering::SeqCst);
            }
            "--max-alloc-mb" => {
                let mb: usize = value("--max-alloc-mb")?
                    .parse()
                    .map_err(|e| format!("--max-alloc-mb: {e}"))?;
                MAX_ONE_SET.store(mb.saturating_mul(1 << 20).min(MAX_ONE), Ordering::SeqCst);
            }
            _ if n.is_none() => n = Some(a.parse::<u64>().map_err(|e| format!("N: {e}"))?),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    args.iterations = n.ok_or("usage: fuzz [--target NAME]... [--seed S] [--out DIR] N")?;
    for t in &args.targets {
        if find_target(t).is_none() {
            let names: Vec<_> = vmcoach::fuzz::TARGETS.iter().map(|t| t.name).collect();
            return Err(format!("no target {t}; targets: {}", names.join(", ")));
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("fuzz: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("fuzz: cannot create {}: {e}", args.out.display());
        std::process::exit(2);
    }
    let _ = CRASH_DIR.set(args.out.clone());
    let clock = this_thread_clock();
    std::thread::spawn(move || watchdog(clock));

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let targets: Vec<&vmcoach::fuzz::Target> = if args.targets.is_empty() {
        vmcoach::fuzz::TARGETS.iter().collect()
    } else {
        args.targets.iter().filter_map(|t| find_target(t)).collect()
    };
    let started = Instant::now();
    let (mut runs, mut panics) = (0u64, 0u64);
    println!(
        "{:<14} {:>10} {:>7} {:>8} {:>7} {:>6} {:>6} {:>12} {:>9}",
        "target", "runs", "corpus", "outcomes", "panics", "hangs", "alloc", "slowest_ms", "seconds"
    );
    for target in targets {
        if let Ok(mut t) = CURRENT_TARGET.lock() {
            *t = target.name;
        }
        let (hangs0, over0) = (HANGS.load(Ordering::SeqCst), OVER.load(Ordering::SeqCst));
        let t0 = Instant::now();
        let stats =
            vmcoach::fuzz::run_target(target, root, args.iterations, args.seed, &mut |input| {
                if let Ok(mut cur) = CURRENT.lock() {
                    cur.clear();
                    cur.extend_from_slice(input);
                }
                STARTED.fetch_add(1, Ordering::SeqCst);
                RUNNING.store(true, Ordering::SeqCst);
            });
        RUNNING.store(false, Ordering::SeqCst);
        for c in &stats.crashes {
            let path = save(target.name, "panic", &c.input);
            eprintln!(
                "fuzz: {}: panic: {}; input saved to {path}",
                target.name, c.message
            );
        }
        println!(
            "{:<14} {:>10} {:>7} {:>8} {:>7} {:>6} {:>6} {:>12.1} {:>9.1}",
            target.name,
            stats.runs,
            stats.corpus,
            stats.outcomes,
            stats.panics,
            HANGS.load(Ordering::SeqCst) - hangs0,
            OVER.load(Ordering::SeqCst) - over0,
            stats.slowest.0.as_secs_f64() * 1e3,
            t0.elapsed().as_secs_f64()
        );
        runs += stats.runs;
        panics += stats.panics;
    }
    let hangs = HANGS.load(Ordering::SeqCst);
    let over = OVER.load(Ordering::SeqCst);
    println!(
        "total: {runs} runs, {panics} panics, {hangs} hangs, {over} over-allocations, \
         peak live heap {:.1} MB, peak RSS {}, {:.1} s",
        PEAK.load(Ordering::SeqCst) as f64 / 1e6,
        peak_rss().unwrap_or_else(|| "unknown".into()),
        started.elapsed().as_secs_f64()
    );
    std::process::exit(i32::from(panics + hangs + over > 0));
}
