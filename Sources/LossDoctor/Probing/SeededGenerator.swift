/// SplitMix64: a tiny seeded generator of our own, so probes are the same bytes on every machine
/// (Swift's `SystemRandomNumberGenerator` is not seedable, and its algorithm may change).
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float in [0, 1) with 24 random bits (exactly representable in float32).
    mutating func nextUnit() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// An integer in `0..<bound`.
    mutating func nextInt(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
