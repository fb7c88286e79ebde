import Testing
@testable import LossDoctor

@Suite("CLI show")
struct ShowCommandTests {
    @Test("show prints the reference as a function a user can paste")
    func show() {
        let keras = CLI.run("show soft-dice")
        #expect(keras.exitCode == 0)
        #expect(keras.stdout.hasPrefix("import keras\nfrom keras import ops\n"))
        #expect(keras.stdout.contains("def soft_dice_loss(y_true, y_pred):"))
        let torch = CLI.run("show tversky --framework torch")
        #expect(torch.stdout.contains("def tversky_loss(pred, target):"))
    }

    @Test("an unknown or source-less name is a usage error with a suggestion")
    func errors() {
        let typo = CLI.run("show soft-dic")
        #expect(typo.exitCode == 2)
        #expect(typo.stderr.hasPrefix("Error: unknown loss 'soft-dic'. Did you mean 'soft-dice'?"))
        #expect(CLI.run("show dice-floor").stderr.hasPrefix("Error: 'dice-floor' has no source form"))
    }
}
