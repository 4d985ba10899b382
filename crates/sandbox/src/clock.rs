//! The sandbox clock: wall time plus an offset the control API moves forward, so what AWS does over
//! minutes or days (a Connect instance coming up, DNS verification, the 30-day rules) happens when a test
//! or a rehearsal asks instead of after a real wait. It never runs backwards.

use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Default)]
pub struct Clock {
    /// Milliseconds added to wall time.
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        let now = Timestamp::now();
        now.checked_add(SignedDuration::from_millis(self.offset_ms.load(Ordering::Relaxed))).unwrap_or(now)
    }

    /// Moves the clock forward by `seconds` (negative values are ignored: time does not run backwards).
    pub fn advance(&self, seconds: f64) {
        if seconds > 0.0 {
            self.offset_ms.fetch_add((seconds * 1000.0) as i64, Ordering::Relaxed);
        }
    }

    /// How far ahead of wall time the clock is, in seconds.
    pub fn offset_seconds(&self) -> f64 {
        self.offset_ms.load(Ordering::Relaxed) as f64 / 1000.0
    }
}

/// Epoch seconds with milliseconds, as the JSON protocols write timestamps.
pub fn epoch(at: Timestamp) -> f64 {
    at.as_millisecond() as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_forward_only() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(86_400.0);
        assert!(clock.now().duration_since(before).as_secs() >= 86_400);
        clock.advance(-100_000.0);
        assert!(clock.offset_seconds() >= 86_400.0);
    }
}
