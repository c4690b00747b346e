//! Stage timings for profiling builds, printed to stderr when `LECTERN_TIMINGS` is set, and the
//! process's memory.

use std::time::Instant;

/// Stage timings on stderr when `LECTERN_TIMINGS` is set, for profiling builds.
pub struct Timer {
    enabled: bool,
    last: std::cell::Cell<Instant>,
}

impl Timer {
    pub fn start() -> Timer {
        Timer {
            enabled: std::env::var_os("LECTERN_TIMINGS").is_some(),
            last: std::cell::Cell::new(Instant::now()),
        }
    }

    pub fn lap(&self, stage: &str) {
        if self.enabled {
            let now = Instant::now();
            eprintln!(
                "  {stage:<8} {:>6.1} ms {:>6} MB",
                (now - self.last.get()).as_secs_f64() * 1000.0,
                resident_mb().map_or_else(|| "?".to_string(), |mb| mb.to_string())
            );
            self.last.set(now);
        }
    }
}

/// The process's resident memory, where the system tells it (Linux).
fn resident_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Hands the memory freed so far back to the system, where the allocator can (glibc keeps it in
/// the arenas of the threads that freed it, and a later stage reuses little of it).
pub fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own; it takes no pointer.
    unsafe {
        libc::malloc_trim(0);
    }
}
