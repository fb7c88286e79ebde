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

extension LossCheckTests {
    /// The seed's Dice with floor division, as a user's file: LD101 at the `//`.
    static let floorDice = """
        def dice_loss(y_true, y_pred):
            i = (y_true * y_pred).sum()
            return 1 - (2 * i + 1) // (y_true.sum() + y_pred.sum() + 1)
        """

    /// Writes `floorDice` into a fresh directory whose name has a space (percent-encoded in its URL).
    static func floorDiceFile() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "loss check \(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appending(path: "dice.py")
        try floorDice.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("a file URL is checked as its path is, a space in it included")
    func fileURL() throws {
        let file = try Self.floorDiceFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let byURL = LossCheck.check(file: file)
        #expect(byURL.fileErrors.isEmpty)
        #expect(byURL.reports.map(\.codes) == LossCheck.check(contentsOf: file.path(percentEncoded: false)).reports.map(\.codes))
        #expect(byURL.reports.first?.codes.contains("LD101") == true)
    }
}
