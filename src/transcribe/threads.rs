//! How many threads whisper.cpp gets, decided per recording from the cores
//! that are free right now.
//!
//! ggml's workers meet at a barrier after every operation of the graph. When
//! a worker has no core of its own (another Whisper run, a browser, a build),
//! every barrier waits a whole scheduler slice for it: two 2-thread runs on a
//! 2-core machine took 22× their idle time. So the automatic count is the
//! cores minus the other tasks runnable at this moment (the kernel's own
//! figure in `/proc/loadavg`), at least one. whisper.cpp is built with OpenMP
//! as well, whose barrier stops spinning and sleeps when a thread is late, so
//! a machine that gets busy in the middle of a run slows it down instead of
//! collapsing it.

/// The policy, as a pure function: `requested` threads when the user asked
/// (`--threads N`, N > 0); one for a model narrower than any real Whisper
/// (the generated test model, where a barrier costs more than the arithmetic
/// it splits); else the cores that no other runnable task is using.
pub fn choose(requested: usize, n_audio_state: i32, cores: usize, others_runnable: usize) -> usize {
    if requested > 0 {
        requested
    } else if n_audio_state < 256 {
        1
    } else {
        cores.saturating_sub(others_runnable).max(1)
    }
}

/// Threads to use now, per [`choose`], reading the machine's state.
pub fn now(requested: usize, n_audio_state: i32) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    choose(requested, n_audio_state, cores, others_runnable())
}

/// Tasks runnable right now besides this thread: the fourth field of
/// `/proc/loadavg` ("running/total", where running counts the reader
/// itself). Where that file is missing or odd, none is assumed.
fn others_runnable() -> usize {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| parse_running(&s))
        .map_or(0, |running| running.saturating_sub(1))
}

/// "0.52 0.58 0.59 3/512 12345" → 3.
fn parse_running(loadavg: &str) -> Option<usize> {
    let field = loadavg.split_whitespace().nth(3)?;
    field.split('/').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asked_for_is_given() {
        assert_eq!(choose(3, 384, 2, 5), 3);
        assert_eq!(choose(1, 384, 8, 0), 1);
    }

    #[test]
    fn free_cores_only_and_never_none() {
        assert_eq!(choose(0, 384, 2, 0), 2);
        assert_eq!(choose(0, 384, 2, 1), 1);
        assert_eq!(choose(0, 384, 2, 2), 1);
        assert_eq!(choose(0, 384, 8, 3), 5);
        assert_eq!(choose(0, 384, 1, 0), 1);
    }

    #[test]
    fn a_narrow_test_model_runs_on_one_thread() {
        assert_eq!(choose(0, 64, 8, 0), 1);
    }

    #[test]
    fn loadavg_parsing() {
        assert_eq!(parse_running("0.52 0.58 0.59 3/512 12345\n"), Some(3));
        assert_eq!(parse_running("1.0 1.0 1.0 1/9 1"), Some(1));
        assert_eq!(parse_running("garbage"), None);
        assert_eq!(parse_running(""), None);
        assert_eq!(parse_running("1 2 3 x/9 1"), None);
        // On this machine the file exists and names at least this thread.
        if let Ok(s) = std::fs::read_to_string("/proc/loadavg") {
            assert!(parse_running(&s).is_some_and(|n| n >= 1), "{s}");
        }
    }
}
