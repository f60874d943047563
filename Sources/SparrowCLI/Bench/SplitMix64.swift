/// Sebastiano Vigna's SplitMix64 generator (https://prng.di.unimi.it/splitmix64.c): 64 random bits
/// per step from a 64-bit counter, the same on every platform and Swift version.
///
/// The benchmark's data must not change between runs or machines, so it cannot use the system
/// generator; SplitMix64 is fast and good enough for test data, and seeding it with a row number
/// gives every row its own stream, so a batch can be made without the ones before it.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (`bound` > 0), by Lemire's multiply-shift; the bias, below 2^-32 for
    /// the small bounds used here, does not matter for test data.
    @inline(__always)
    mutating func next(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
