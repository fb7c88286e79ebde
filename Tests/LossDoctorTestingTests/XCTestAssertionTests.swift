import LossDoctor
import LossDoctorTesting
import XCTest

/// The assertions under XCTest: a failure reaches `XCTFail`, at the caller's line, with the findings.
final class XCTestAssertionTests: XCTestCase {
    /// Failures recorded while `capturing`, instead of failing this test (swift-corelibs-xctest has no
    /// `XCTExpectFailure`: overriding `recordFailure` is its equivalent).
    private var captured: [(description: String, line: Int)] = []
    private var capturing = false

    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int,
                                expected: Bool) {
        if capturing {
            captured.append((description, lineNumber))
        } else {
            super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
        }
    }

    /// The failures `body` records, which then do not fail the test.
    private func failures(_ body: () -> Void) -> [(description: String, line: Int)] {
        captured = []
        capturing = true
        body()
        capturing = false
        return captured
    }

    func testFailsOnDiceFloorWithAReadableMessage() {
        var line = 0
        let recorded = failures {
            line = #line + 1
            XCTAssertFalse(assertHealthyLoss(builtin: "dice-floor"))
        }
        XCTAssertEqual(recorded.count, 1)
        XCTAssertEqual(recorded.first?.line, line, "the failure points at the assertion's call")
        let message = recorded.first?.description ?? ""
        // piecewise-constant (LD105) is a note of the floor division, not a warning of its own.
        XCTAssertTrue(message.contains("loss `dice-floor` is not healthy: 1 error (failing"), message)
        XCTAssertTrue(message.contains("error[LD101] floor-division: floor division `//` cuts the gradient"), message)
        XCTAssertTrue(message.contains("fix: Use true division `/`."), message)
        XCTAssertFalse(message.contains("LD405"), "infos are below the default threshold: \(message)")
    }

    func testPassesOnSoftDice() {
        XCTAssertTrue(failures { XCTAssertTrue(assertHealthyLoss(builtin: "soft-dice")) }.isEmpty)
        // And outside the capture: a pass records nothing, so this test would fail if it did.
        assertHealthyLoss(builtin: "soft-dice")
    }

    func testSourceAndThreshold() {
        let floor = """
            def dice_loss(y_true, y_pred):
                i = (y_true * y_pred).sum()
                return 1 - (2 * i + 1) // (y_true.sum() + y_pred.sum() + 1)
            """
        XCTAssertEqual(failures { assertHealthyLoss(source: floor) }.count, 1)
        XCTAssertTrue(failures { assertHealthyLoss(source: floor, failingOn: .error, ignoring: ["LD1"]) }.isEmpty)
        XCTAssertEqual(failures { assertHealthyLoss(builtin: "no-such-loss") }.first?.description.contains("no built-in loss"), true)
    }
}
