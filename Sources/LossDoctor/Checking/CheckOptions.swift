/// How to check: what the command line can switch.
package struct CheckOptions: Hashable, Sendable {
    /// Whether to train the tiny model with the loss (the training rules LD501-LD505 read that run).
    var simulate = true

    init(simulate: Bool = true) {
        self.simulate = simulate
    }
}
