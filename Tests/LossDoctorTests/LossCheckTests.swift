import Foundation
import Testing
@testable import LossDoctor

/// The front door as a Swift user calls it: errors that say what went wrong, every input form, printable values.
@Suite("LossCheck API")
struct LossCheckTests {
    @Test("an unknown built-in throws, suggesting the closest name; a known one returns its report")
    func unknownBuiltinThrows() throws {
        #expect(throws: LossCheckError.unknownBuiltin(name: "dice-flor", suggestion: "dice-floor")) {
            try LossCheck.check(builtin: "dice-flor")
        }
        #expect(throws: LossCheckError.unknownBuiltin(name: "no-such-loss", suggestion: nil)) {
            try LossCheck.check(builtin: "no-such-loss")
        }
        let error = LossCheckError.unknownBuiltin(name: "dice-flor", suggestion: "dice-floor")
        #expect(error.description == "no built-in loss named `dice-flor` (did you mean `dice-floor`?); `loss-doctor list losses` lists them")
        #expect(try LossCheck.check(builtin: "dice-floor").codes == CLI.report("dice-floor", options: CheckOptions(simulate: false)).codes)
    }
}
