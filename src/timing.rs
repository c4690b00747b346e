//! Stage timings for profiling builds, printed to stderr when `LECTERN_TIMINGS` is set.

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
                "  {stage:<8} {:>6.1} ms",
                (now - self.last.get()).as_secs_f64() * 1000.0
            );
            self.last.set(now);
        }
    }
}
