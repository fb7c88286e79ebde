import Foundation
import Synchronization
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

    /// The prediction shapes a closure loss was called with.
    final class ShapeLog: Sendable {
        private let shapes = Mutex<[[Int]]>([])
        func record(_ shape: [Int]) { shapes.withLock { $0.append(shape) } }
        var recorded: [[Int]] { shapes.withLock { $0 } }
    }

    @Test("the closure check probes in the layout it is given")
    func closureLayout() {
        func probe(_ layout: Layout?) -> (Report, [[Int]]) {
            let log = ShapeLog()
            let body: @Sendable (Tensor, Tensor) throws -> Tensor = { yTrue, yPred in
                log.record(yPred.shape)
                return try ((yPred - yTrue) * (yPred - yTrue)).mean()
            }
            return (layout.map { LossCheck.check(layout: $0, body) } ?? LossCheck.check(body), log.recorded)
        }
        let (first, channelsFirst) = probe(.channelsFirst)
        let (last, channelsLast) = probe(nil)
        #expect(first.evidence.layout == .channelsFirst && last.evidence.layout == .channelsLast)
        // A binary probe has one channel: axis 1 in NCHW, the last axis in NHWC.
        #expect(!channelsFirst.isEmpty && channelsFirst.allSatisfy { $0.count == 4 && $0[1] == 1 && $0[3] > 1 })
        #expect(!channelsLast.isEmpty && channelsLast.allSatisfy { $0.count == 4 && $0[3] == 1 && $0[1] > 1 })
    }

    @Test("a report prints as the CLI prints it: a built-in with its formula, a file with its quoted lines")
    func reportDescription() throws {
        #expect(try LossCheck.check(builtin: "dice-floor", simulate: true).description == CLI.run("check --loss dice-floor").stdout)
        let file = try Self.floorDiceFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let path = file.path(percentEncoded: false)
        let report = try #require(LossCheck.check(contentsOf: path).reports.first)
        #expect(report.description.contains("// (y_true.sum() + y_pred.sum() + 1)"))
        // Not `CLI.run`: its cache knows losses by name, and other tests check other files' `dice_loss`.
        #expect(CommandLineTool.run(["check", path, "--no-simulate"]).stdout.hasPrefix(report.description))
        let closure = LossCheck.check(name: "mse") { yTrue, yPred in try ((yPred - yTrue) * (yPred - yTrue)).mean() }
        #expect(closure.description.hasPrefix("checking mse (Swift; probabilities, NHWC)\n"))
        #expect(closure.description.contains("\nmse: "))
    }

    @Test("a finding prints as one line: its site, severity, code, name and message")
    func findingDescription() throws {
        let builtin = try #require(try LossCheck.check(builtin: "dice-floor").findings.first)
        #expect(builtin.description == "error[LD101] floor-division: floor division `//` cuts the gradient: the loss cannot train")
        let file = try #require(LossCheck.check(source: Self.floorDice, file: "dice.py").reports.first?.findings.first { $0.code == "LD101" })
        let site = try #require(file.site)
        #expect(file.description == "dice.py:\(site.line):\(site.column): error[LD101] floor-division: \(file.message)")
    }

    @Test("the examples in `LossCheck`'s doc comment do what their comments say")
    func docCommentExamples() throws {
        let report = try LossCheck.check(builtin: "dice-floor")
        #expect(report.codes == ["LD101", "LD105", "LD405"])

        let file = LossCheck.check(source: """
            def dice_loss(y_true, y_pred):
                i = (y_true * y_pred).sum()
                return 1 - (2 * i + 1) / (y_true.sum() + y_pred.sum() + 1)
            """)
        // The healthy Dice with true division: one loss found, analysed, nothing at warning or above.
        #expect(file.fileErrors.isEmpty && file.reports.map(\.loss) == ["dice_loss"])
        #expect(file.findings.allSatisfy { $0.severity < .warning }, "\(file.findings.map(\.description))")

        let closure = LossCheck.check { yTrue, yPred in
            try ((yPred - yTrue) * (yPred - yTrue)).mean()
        }
        #expect(closure.loss == "closure" && closure.evidence.wasProbed)
    }

    @Test("a tensor prints its shape, dtype and values, the middle of a long one elided")
    func tensorDescription() throws {
        #expect(Tensor(shape: [3], scalars: [0.5, 1, 2]).description == "Tensor(shape=(3,), dtype=float32, values=[0.5, 1, 2])")
        let long = try Tensor(shape: [2, 5], scalars: (1...10).map(Float.init)) * Tensor(2)
        #expect(long.description == "Tensor(shape=(2, 5), dtype=float32, values=[2, 4, 6, 8, ..., 14, 16, 18, 20])")
        #expect(Tensor(shape: [2], scalars: [1, 0], dtype: .bool).description == "Tensor(shape=(2,), dtype=bool, values=[1, 0])")
    }
}
