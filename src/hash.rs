//! One stable hash for everything that must come out the same on every machine and in every
//! version of Rust (std's `Hasher`s promise neither): which fold an original falls in, whose
//! game a recovery file belongs to, where an operator's random numbers start.

/// 64-bit FNV-1a of `bytes`: small, fast on short keys, and fixed by its published constants.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv1a_64_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"abc"), 0xe71f_a219_0541_574b);
    }
}
