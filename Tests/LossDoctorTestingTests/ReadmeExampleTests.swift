// The README's example, verbatim between the markers (a test in LossDoctorTests keeps them equal).
// README example begins
import LossDoctor
import LossDoctorTesting
import Testing
import XCTest

@Test func diceLossIsHealthy() {
    // Fails this test, listing the findings, if the loss has an error or a warning.
    assertHealthyLoss(source: """
        from keras import ops

        def dice_loss(y_true, y_pred, smooth=1.0):
            intersection = ops.sum(y_true * y_pred, axis=(1, 2, 3))
            total = ops.sum(y_true, axis=(1, 2, 3)) + ops.sum(y_pred, axis=(1, 2, 3))
            return ops.mean(1 - (2 * intersection + smooth) / (total + smooth))
        """)
}

@Test func theSeedsDiceIsNot() {
    withKnownIssue("floor division: the loss cannot train") {
        assertHealthyLoss(builtin: "dice-floor")
    }
}

final class LossTests: XCTestCase {
    func testBuiltinsAndFiles() throws {
        assertHealthyLoss(builtin: "soft-dice", simulate: true)     // with the simulated training run
        let report = try LossCheck.check(builtin: "dice-floor")
        XCTAssertEqual(report.findings.first?.code, "LD101")         // typed findings: code, name, severity, site, fix
        XCTAssertEqual(report.findings.first?.rule?.name, "floor-division")
    }
}
// README example ends
