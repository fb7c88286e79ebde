#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
@testable import LossDoctor

@Suite("CLI compare")
struct CompareCommandTests {
    static let result = CLI.run("compare bce soft-dice dice-floor")

    @Test("compare prints one table of probe values, gradient norms, final Dice and steps, then plain words, and exits 0")
    func table() throws {
        let result = Self.result
        #expect(result.exitCode == 0 && result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.first { $0.hasSuffix("dice-floor") && $0.contains("soft-dice") })
        #expect(header.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true) == ["bce", "soft-dice", "dice-floor"])
        for row in ["value at perfect", "value at all-background", "value at uniform 0.5", "value at soft (0.9 / 0.1)",
                    "value at inverted", "gradient norm at uniform 0.5", "final validation Dice",
                    "validation Dice 0.5 at step", "validation loss", "validation Dice"] {
            #expect(lines.contains { $0.hasPrefix(row + " ") }, "row \(row)")
        }
        let steps = try #require(lines.first { $0.hasPrefix("validation Dice 0.5 at step") })
        #expect(steps.hasSuffix("never"))
        #expect(lines.first { $0.hasPrefix("validation loss ") }?.hasSuffix("▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄▄") == true, "dice-floor's loss is flat")
        #expect(result.stdout.contains("cannot be compared across losses"))
        #expect(result.stdout.contains("such as validation Dice or IoU"))
        #expect(result.stdout.contains("a model that predicts nothing already scores 0.9844 on the probe"))
        #expect(result.stdout.contains("The validation loss of dice-floor never moves"))
    }

    @Test("--plot writes the SVG chart of the runs")
    func plot() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loss-doctor-compare-\(UInt32.random(in: 0...UInt32.max)).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = CLI.run(["compare", "bce", "soft-dice", "--plot", path])
        #expect(result.exitCode == 0)
        #expect(result.stdout.hasSuffix("chart of the validation curves written to \(path)\n"))
        let svg = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
        #expect(svg == CurveChart(runs: ["bce", "soft-dice"].map { Simulation.train(ReferenceLosses.named($0)!.function) }).svg())
    }

    @Test("unknown names, files, nothing to compare and unwritable plots are usage errors (exit 2)")
    func errors() {
        let unknown = CLI.run("compare bce soft-dic")
        #expect(unknown.exitCode == 2 && unknown.stderr.hasPrefix("Error: unknown loss 'soft-dic'. Did you mean 'soft-dice'?"))
        #expect(CLI.run("compare my_loss.py").stderr.hasPrefix("Error: comparing source files is not supported yet"))
        #expect(CLI.run("compare").exitCode == 2)
        let unwritable = CLI.run("compare bce --plot /nonexistent-directory/curves.svg")
        #expect(unwritable.exitCode == 2 && unwritable.stderr.hasPrefix("Error: cannot write '/nonexistent-directory/curves.svg'"))
    }
}
