//! Latency summaries shared by the bench binaries.

use std::time::Duration;

/// "median …  p99 …  (n=…)" over the samples.
pub fn stats(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {:>9.3?}  p99 {:>9.3?}  (n={})",
        at(0.5),
        at(0.99),
        samples.len()
    )
}
