//! Numbers as people read them: percentages, points of 100 with a typographic minus, run
//! counts, and the rounding every file uses. A leaf, so the charts, the outputs and the sweep
//! all print a number the same way without importing one another.

/// 0.8734 → "87%".
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// "1 run", "2000 runs".
pub fn runs(n: u64) -> String {
    if n == 1 { "1 run".to_string() } else { format!("{n} runs") }
}

/// A fall in points of 100, one decimal, never "-0.0"; a rise (a hop that brings the message
/// back) with the same minus sign as [`signed_points`]: "−0.3", not "-0.3".
pub fn points(x: f64) -> String {
    with_minus(x, 100.0, 1, "")
}

/// A change in points of 100 with its sign: "+12.5", "−3.0", "0.0".
pub fn signed_points(x: f64) -> String {
    with_minus(x, 100.0, 1, "+")
}

/// `x` in `unit`s (100 for points of 100) to `decimals` places, with the typographic minus,
/// `plus` before a positive number, and no sign on a number that rounds to zero ("0.0", never
/// "-0.0").
pub fn with_minus(x: f64, unit: f64, decimals: usize, plus: &str) -> String {
    let scale = 10f64.powi(decimals as i32);
    // one multiplication, so that the rounding is the same as x * 1000 for points
    let r = (x * (unit * scale)).round() / scale;
    if r == 0.0 {
        format!("{:.decimals$}", 0.0)
    } else if r > 0.0 {
        format!("{plus}{r:.decimals$}")
    } else {
        format!("−{:.decimals$}", -r)
    }
}

/// Rounds for files: six decimals are far below what the simulation can resolve, and make
/// the output the same on every machine's float formatting.
pub fn round6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a negative drop printed as "-0.3" beside a gain's "−0.3".
    #[test]
    fn drops_and_gains_share_one_minus_sign() {
        assert_eq!(points(-0.003), "−0.3");
        assert_eq!(points(0.29), "29.0");
        assert_eq!(points(-0.0001), "0.0");
        assert_eq!(points(-0.003), signed_points(-0.003));
    }
}
