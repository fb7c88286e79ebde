import Foundation
import Testing
@testable import LossDoctor

/// The healthy references' runs compiled into the binary (ReferenceRunTableData.swift) are what training them
/// gives now. `LOSSDOCTOR_UPDATE_GOLDEN=1 swift test --filter ReferenceRunTable` regenerates the table.
@Suite("ReferenceRunTable")
struct ReferenceRunTableTests {
    static let url = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Sources/LossDoctor/Simulation/ReferenceRunTableData.swift")
    static let references = ReferenceLosses.healthy.map(\.function)

    @Test("ReferenceRunTableData.swift is the source written from training the healthy references now")
    func tableSourceMatchesFreshTraining() throws {
        let fresh = Simulation.train(Self.references)
        let source = ReferenceRunTable.source(fresh, task: Simulation.standardTask, budget: Simulation.standardBudget)
        if Golden.updating {
            try source.write(to: Self.url, atomically: true, encoding: .utf8)
            return
        }
        let onDisk = try String(contentsOf: Self.url, encoding: .utf8)
        #expect(source == onDisk, "ReferenceRunTableData.swift is out of date (LOSSDOCTOR_UPDATE_GOLDEN=1 swift test --filter ReferenceRunTable rewrites it):\n\(Golden.firstDifference(onDisk, source))")
    }

    @Test("the compiled table gives the runs fresh training gives, point for point, and is what checks use")
    func compiledTableEqualsFreshTraining() throws {
        let stored = ReferenceRunTable.standard.trainingRuns(
            names: Self.references.map(\.name), task: Simulation.standardTask, budget: Simulation.standardBudget)
        let table = try #require(stored, "the table was made for other references, task or budget: regenerate it")
        let fresh = Simulation.train(Self.references)
        #expect(table.map(\.lossName) == fresh.map(\.lossName))
        for (stored, trained) in zip(table, fresh) {
            #expect(stored.points == trained.points, "\(trained.lossName)")
            #expect(stored.delivery == trained.delivery && stored.firstNonFiniteStep == trained.firstNonFiniteStep)
            #expect(stored.foregroundFraction == trained.foregroundFraction && stored.allBackgroundAccuracy == trained.allBackgroundAccuracy)
            #expect(trained.failure == nil)
        }
        #expect(Simulation.referenceRuns.map(\.points) == table.map(\.points))
    }

    @Test("a table made for other references, another budget or another task is not used")
    func staleTableIsRefused() {
        let table = ReferenceRunTable.standard, names = Self.references.map(\.name)
        var budget = Simulation.standardBudget
        budget.steps -= 1
        #expect(table.trainingRuns(names: names, task: Simulation.standardTask, budget: budget) == nil)
        #expect(table.trainingRuns(names: names.dropLast() + ["new-reference"], task: Simulation.standardTask,
                                   budget: Simulation.standardBudget) == nil)
        var configuration = SegmentationTask.Configuration()
        configuration.noise += 0.1
        #expect(table.trainingRuns(names: names, task: SegmentationTask(configuration), budget: Simulation.standardBudget) == nil)
        #expect(ReferenceRunTable.fingerprint(SegmentationTask(configuration)) != ReferenceRunTable.fingerprint(Simulation.standardTask))
    }
}
