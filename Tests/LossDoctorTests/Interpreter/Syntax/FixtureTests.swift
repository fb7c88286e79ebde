import Testing
@testable import LossDoctor

@Suite struct FixtureTests {
    @Test func kerasDiceParses() throws {
        #expect(try moduleSexp(Fixtures.kerasDice) == """
            (from keras (as backend K))
            (def dice_coef (y_true y_pred) ((= (y_true_f) (call (. K flatten) (call float y_true))) \
            (= (y_pred_f) (call (. K flatten) (call float y_pred))) \
            (= (intersection) (call (. K sum) (* y_true_f y_pred_f))) \
            (return (// (+ (* 2 intersection) 1) (+ (+ (call (. K sum) y_true_f) (call (. K sum) y_pred_f)) 1)))))
            (def dice_coef_loss (y_true y_pred) ((return (- 1 (call dice_coef y_true y_pred)))))
            """)
    }

    @Test func torchDiceParses() throws {
        #expect(try moduleSexp(Fixtures.torchDice) == """
            (import torch)
            (import (as torch.nn nn))
            (import (as torch.nn.functional F))
            (class DiceLoss ((. nn Module)) ("Soft Dice." \
            (def __init__ (self (= (: smooth float) 1.0) * (= reduction "mean")) ((call (. (call super) __init__)) (= ((. self smooth)) smooth))) \
            (def forward (self inputs targets) (\
            (= (inputs) (call (. (call (. torch sigmoid) inputs) view) (- 1))) \
            (= (targets) (call (. targets view) (- 1))) \
            (= (intersection) (call (. (* inputs targets) sum))) \
            (= (dice) (/ (+ (* 2.0 intersection) (. self smooth)) (+ (+ (call (. inputs sum)) (call (. targets sum))) (. self smooth)))) \
            (return (- 1 dice))))))
            """)
    }

    @Test func numpyFocalParses() throws {
        let module = try parseModule(Fixtures.numpyFocal)
        #expect(module.statements.count == 2)
        #expect(module.comments == [Comment(text: "# noqa: F401", location: loc(1, 21))])
        let text = module.sExpression
        #expect(text.contains("(= (losses) (listcomp (* (- wi) (call (. np log) p)) (for (tuple wi p) (call zip w pt) (if (> p 0)))))"))
        #expect(text.contains("(return (/ (call sum (genexp l (for l losses))) (call max (call len losses) 1)))"))
        #expect(text.contains("(= (w) ([] w (tuple (slice _ _ _) 0)))"))
        #expect(text.contains("(** kwargs)"))
    }

    @Test func commentsAreKeptOnTheModule() throws {
        let source = """
            # file header
            def loss(y_true, y_pred):  # loss-doctor: ignore[LD101]
                return y_true // y_pred  # noqa: LD101
            """
        let module = try parseModule(source)
        #expect(module.comments.map(\.text) == ["# file header", "# loss-doctor: ignore[LD101]", "# noqa: LD101"])
        #expect(module.comments.map(\.location) == [loc(1, 1), loc(2, 28), loc(3, 30)])
    }

    @Test func emptyAndCommentOnlyModules() throws {
        #expect(try parseModule("").statements.isEmpty)
        let module = try parseModule("# just a comment\n\n# another")
        #expect(module.statements.isEmpty)
        #expect(module.comments.count == 2)
    }
}
