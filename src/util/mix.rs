//! `SplitMix64` (Steele, Lea & Flood, 2014): the one mixer behind every seeded order and stable hash in the crate — the
//! near-tie shuffle, the holdout assignment, and the synthetic data of the native tool, tests and benchmarks.

/// The golden-ratio increment of `SplitMix64`.
pub const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The `SplitMix64` finaliser: a bijection that spreads every input bit over the output.
pub fn finalize(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A well-mixed hash of `x` under `seed`: the `x`-th draw of the stream that starts at `seed`.
pub fn mix(seed: u64, x: u64) -> u64 {
    finalize(seed.wrapping_add(x.wrapping_mul(GOLDEN)).wrapping_add(GOLDEN))
}

/// A seeded stream of numbers, so every synthetic case can be replayed from its seed.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        finalize(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by modulo: fine for the small `n` of synthetic data.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in -1..1, with 24 bits.
    pub fn signed(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_splitmix64() {
        // The first outputs of SplitMix64 seeded with 0, as published with the reference implementation.
        let mut r = SplitMix64(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        // `mix` is the stream read at an index.
        assert_eq!(mix(0, 0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(mix(0, 1), 0x6E78_9E6A_A1B9_65F4);
    }
}
