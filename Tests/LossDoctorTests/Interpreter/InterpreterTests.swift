import Testing
@testable import LossDoctor

@Suite("Interpreter")
struct InterpreterTests {
    /// The done criterion: the seed as written reports the `float()` calls and the floor division,
    /// each at its line and column, and says the loss cannot train.
    @Test("the seed: float() at 6:26 and 7:26, // at 9:35, cannot train")
    func seed() throws {
        let result = CheckPipeline.check(path: fixturesDirectory + "/losses/seed_keras_dice.py", display: "seed_keras_dice.py")
        #expect(result.reports.map(\.loss) == ["dice_coef_loss"])  // dice_coef is a helper of the loss
        #expect(result.places("LD603") == ["6:26", "7:26"])
        #expect(result.places("LD101") == ["9:35"])
        let floor = try #require(result.allFindings.first { $0.code == "LD101" })
        #expect(floor.message.contains("cannot train"))
        #expect(floor.site?.file == "seed_keras_dice.py")
        #expect(result.allFindings.first { $0.code == "LD603" }?.notes.joined().contains("only 0-dimensional arrays can be converted") == true)
    }

    @Test("a syntax error is a located LD603 and nothing is analysed")
    func syntaxError() throws {
        let result = checkSource("def loss(y_true, y_pred):\n    return (y_true - y_pred\n")
        #expect(result.couldNotAnalyse)
        let error = try #require(result.fileErrors.first)
        #expect(error.code == "LD603")
        #expect(error.message.hasPrefix("SyntaxError"))
        #expect(error.site?.line == 2)
    }

    @Test("an undefined name is a NameError at its location")
    func nameError() {
        let result = checkSource("from keras import backend as K\n\ndef loss(y_true, y_pred):\n    return K.mean(y_true - y_predd)\n")
        #expect(result.places("LD603") == ["4:28"])
        #expect(result.allFindings.first { $0.code == "LD603" }?.message == "NameError: name 'y_predd' is not defined")
        #expect(result.couldNotAnalyse)
    }

    @Test("os.system is never run: it is an unsupported call, located")
    func noSideEffects() {
        let result = checkSource("import os\n\ndef loss(y_true, y_pred):\n    os.system('touch /tmp/loss-doctor-was-here')\n    return y_pred\n")
        #expect(result.places("LD902") == ["4:5"])
        #expect(result.allFindings.first { $0.code == "LD902" }?.message.contains("os.system") == true)
    }

    @Test("an endless loop, runaway recursion and a huge broadcast hit located limits")
    func limits() {
        let loop = checkSource("def loss(y_true, y_pred):\n    while True:\n        pass\n")
        #expect(loop.codes.contains("LD903"))
        let recursion = checkSource("def f(x):\n    return f(x)\n\ndef loss(y_true, y_pred):\n    return f(y_pred)\n")
        #expect(recursion.allFindings.first { $0.code == "LD903" }?.message.contains("RecursionError") == true)
        let huge = checkSource("from keras import backend as K\n\ndef loss(y_true, y_pred):\n    a = K.reshape(y_pred, (-1, 1))\n    b = K.reshape(y_true, (1, -1))\n    return K.mean(a * b)\n")
        #expect(huge.places("LD903") == ["6:21"])
    }

    @Test("a loss returning a string, None or a tuple is an error saying so")
    func badReturn() {
        for (value, type) in [("'loss'", "str"), ("None", "NoneType"), ("(y_pred, y_true)", "tuple")] {
            let result = checkSource("def loss(y_true, y_pred):\n    return \(value)\n")
            #expect(result.allFindings.contains { $0.code == "LD603" && $0.message.contains("returns \(type)") }, "\(value)")
        }
    }

    @Test("an if on a tensor is LD604 at the condition")
    func truthiness() {
        let result = checkSource("from keras import backend as K\n\ndef loss(y_true, y_pred):\n    if K.sum(y_true) == 0:\n        return K.mean(y_pred)\n    return K.mean(K.square(y_true - y_pred))\n")
        #expect(result.places("LD604") == ["4:8"])
    }

    @Test("an unused smooth parameter is LD605 at the parameter")
    func unusedParameter() {
        let result = checkSource("from keras import backend as K\n\ndef dice_loss(y_true, y_pred, smooth=1.0):\n    i = K.sum(y_true * y_pred)\n    return 1 - (2 * i + 1) / (K.sum(y_true) + K.sum(y_pred) + 1)\n")
        #expect(result.places("LD605") == ["3:31"])
    }

    @Test("classes, factories and --function constructor calls are found")
    func discovery() throws {
        let source = """
            from tensorflow.keras import backend as K

            class DiceLoss:
                def __init__(self, smooth, background):
                    self.smooth = smooth

                def __call__(self, y_true, y_pred):
                    i = K.sum(y_true * y_pred)
                    return 1 - (2 * i + self.smooth) / (K.sum(y_true) + K.sum(y_pred) + self.smooth)

            def make_loss(weight=1.0):
                def loss(y_true, y_pred):
                    return weight * K.mean(K.square(y_true - y_pred))
                return loss

            """
        // DiceLoss needs `background`, whose value LossDoctor cannot choose (`smooth` it can): its report is that error alone
        let found = checkSource(source)
        #expect(found.reports.map(\.loss) == ["DiceLoss", "make_loss()"])
        #expect(found.reports.map(\.evidence.wasProbed) == [false, true])
        #expect(found.reports.first?.findings.map(\.message) == ["the loss class `DiceLoss` needs the argument `background`, and LossDoctor cannot choose a value for it"])
        let selected = checkSource(source, function: "DiceLoss(smooth=1.0, background=None)")
        #expect(selected.reports.map(\.loss) == ["DiceLoss(smooth=1.0, background=None)"])
        #expect(selected.reports.first?.findings.allSatisfy { $0.severity == .info } == true)
        let missing = checkSource(source, function: "DiceLos")
        #expect(missing.fileErrors.first?.message.contains("did you mean `DiceLoss`") == true)
    }

    @Test("a PyTorch-style forward(input, target) gets NCHW probes and the prediction first")
    func torchStyle() throws {
        let source = """
            import torch.nn as nn

            class Loss(nn.Module):
                def forward(self, logits, target):
                    return ((logits.sigmoid() - target) ** 2).mean()
            """
        let result = checkSource(source)
        let origin = try #require(result.reports.first?.origin)
        #expect(origin.predictionParameter == "logits")
        #expect(origin.targetParameter == "target")
        #expect(result.reports.first?.evidence.layout == .channelsFirst)
        #expect(result.reports.first?.evidence.domain == .logits)
    }

    @Test("values follow Python: integer floor division, negative modulo, chained comparisons, slices")
    func pythonSemantics() throws {
        let interpreter = Interpreter(file: "t.py")
        let module = try parseModule("a = 7 // -2\nb = -7 % 3\nc = 1 < 2 < 3\nd = [1, 2, 3, 4][::-2]\ne = (1, 2)[-1]\nf = 2 ** -1\n")
        #expect(interpreter.run(module).isEmpty)
        func value(_ name: String) -> String { interpreter.display(interpreter.globals[name] ?? .none) }
        #expect(value("a") == "-4")
        #expect(value("b") == "2")
        #expect(value("c") == "True")
        #expect(value("d") == "[4, 2]")
        #expect(value("e") == "2")
        #expect(value("f") == "0.5")
    }

    @Test("tensor indexing: ints, slices, None and ellipsis")
    func tensorIndexing() throws {
        let interpreter = Interpreter(file: "t.py")
        let t = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        interpreter.globals["t"] = .tensor(t)
        func shape(_ expression: String) throws -> [Int] {
            try interpreter.evaluate(parseExpression(expression), in: interpreter.globals).tensor?.shape ?? []
        }
        #expect(try shape("t[0]") == [3, 4])
        #expect(try shape("t[..., 1]") == [2, 3])
        #expect(try shape("t[:, None, 1:]") == [2, 1, 2, 4])
        #expect(try shape("t[::-1, :, ::2]") == [2, 3, 2])
        let picked = try interpreter.evaluate(parseExpression("t[1, -1, ::-3]"), in: interpreter.globals).tensor
        #expect(picked?.scalars == [23, 20])
    }

    @Test("metric names by word; a metric passed as loss= is checked; 'no loss found' names the metrics it skipped")
    func metricNames() {
        #expect(LossDiscovery.isMetricName("dice_coef") && LossDiscovery.isMetricName("IoUScore") && LossDiscovery.isMetricName("dicecoef"))
        #expect(!LossDiscovery.isMetricName("jaccard_distance") && !LossDiscovery.isMetricName("dice_coef_loss"))
        #expect(!LossDiscovery.isMetricName("SymmetricCE") && !LossDiscovery.isMetricName("asymmetric_focal") && LossDiscovery.isMetricName("DiceMetric"))
        // `iou` alone says nothing: keras-unet-collection's loss is `iou_seg`, Berman's metric `iou_binary`.
        #expect(!LossDiscovery.isMetricName("iou_seg") && !LossDiscovery.isMetricName("iou_loss"))
        let metric = "from tensorflow.keras import backend as K\n\ndef dice_score(y_true, y_pred):\n    return K.mean(y_true * y_pred)\n"
        let skipped = checkSource(metric)
        #expect(skipped.reports.isEmpty)
        #expect(skipped.fileErrors.first?.message.contains("`dice_score` is named like a metric") == true)
        let compiled = checkSource(metric + "\n\ndef build(model):\n    model.compile(optimizer='adam', loss=dice_score)\n")
        #expect(compiled.reports.map(\.loss) == ["dice_score"])
    }

    @Test("a loss returning a dict is checked through its `loss` entry, or the sum of its entries named like losses")
    func dictReturned() throws {
        let source = """
            import torch
            import torch.nn.functional as F


            def parts(pred, target):
                dice = 1 - (2 * (pred * target).sum() + 1) / (pred.sum() + target.sum() + 1)
                return F.binary_cross_entropy(pred, target), dice


            def hf_style(pred, target):
                bce, dice = parts(pred, target)
                return {"loss": bce + dice, "dice": dice.detach()}


            def mmseg_style(pred, target):
                bce, dice = parts(pred, target)
                return {"loss_bce": bce, "loss_dice": dice, "acc": (pred > 0.5).float().mean()}


            def plain(pred, target):
                bce, dice = parts(pred, target)
                return bce + dice


            def no_loss_key(pred, target):
                return {"dice": parts(pred, target)[1]}


            def with_logs(pred, target):
                bce, dice = parts(pred, target)
                return bce + dice, {"bce": bce, "dice": dice}

            """
        let result = checkSource(source)
        let byName = Dictionary(uniqueKeysWithValues: result.reports.map { ($0.loss, $0) })
        let hf = try #require(byName["hf_style"]), mmseg = try #require(byName["mmseg_style"]), plain = try #require(byName["plain"])
        #expect(hf.origin?.inference.contains("checked: the `loss` entry of the dict it returns") == true)
        #expect(mmseg.origin?.inference.contains("checked: the sum `loss_bce` + `loss_dice` of the dict it returns") == true)
        let logged = try #require(byName["with_logs"])
        #expect(logged.origin?.inference.contains("checked: the first item of the (loss, logs) tuple it returns") == true)
        for report in [hf, mmseg, logged] {
            #expect(report.evidence.value(.balanced, .soft) == plain.evidence.value(.balanced, .soft))
            #expect(!report.findings.contains { $0.code == "LD603" }, "\(report.findings.map(\.code))")
        }
        let other = try #require(byName["no_loss_key"])
        #expect(other.findings.contains { $0.code == "LD603" && $0.message.contains("the loss returns dict, not a tensor") })
    }

    /// torch 2.15: sum over dims (2, 3, 4) needs (N, C, D, H, W) volumes; the 2-D batch raises.
    @Test("a loss reducing over a fourth spatial axis is probed with volumes")
    func volumes() {
        let source = "import torch\n\ndef dice3d(pred, target):\n    dims = (2, 3, 4)\n    i = (pred * target).sum(dims)\n    return (1 - (2 * i + 1) / (pred.sum(dims) + target.sum(dims) + 1)).mean()\n"
        let result = checkSource(source)
        #expect(result.allFindings.filter { $0.severity != .info }.isEmpty, "\(result.codes)")
        #expect(result.reports.first?.evidence.wasProbed == true)
    }
}
