import Testing
@testable import LossDoctor

/// The framework tables, one API at a time, against values computed once with the real frameworks
/// (NumPy 2.4, PyTorch 2.13 CPU, Keras 3.15 on its torch backend, whose losses match its TensorFlow
/// backend: clip to [1e-7, 1 - 1e-7], then log) and hard-coded here.
@Suite("Builtin tables")
struct BuiltinTests {
    static let imports = """
        import numpy as np
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import tensorflow as tf
        import keras
        from keras import ops
        from keras import backend as K

        """

    /// An interpreter that has run `setup` (the imports above, plus assignments).
    static func interpreter(_ setup: String = "", imports: String = imports) throws -> Interpreter {
        let interpreter = Interpreter(file: "test.py")
        let errors = interpreter.run(try parseModule(imports + setup))
        if let error = errors.first { throw error }
        return interpreter
    }

    /// Evaluates one expression after `setup`.
    static func evaluate(_ expression: String, _ setup: String = "", in given: Interpreter? = nil) throws -> Value {
        let interpreter = try given ?? Self.interpreter(setup)
        return try interpreter.evaluate(try parseExpression(expression), in: interpreter.globals)
    }

    /// The values of a tensor (or number) result.
    static func values(_ expression: String, _ setup: String = "") throws -> [Float] {
        switch try evaluate(expression, setup) {
        case .tensor(let t): return t.scalars
        case let value:
            guard let n = value.number else { throw InterpreterError(.pythonError, "not a tensor: \(value.typeName)", at: nil) }
            return [Float(n)]
        }
    }

    static func tensor(_ expression: String, _ setup: String = "") throws -> Tensor {
        guard case .tensor(let t) = try evaluate(expression, setup) else { throw InterpreterError(.pythonError, "not a tensor", at: nil) }
        return t
    }

    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
    }

    /// The message of the error an expression raises.
    static func error(_ expression: String, _ setup: String = "") -> InterpreterError? {
        do { _ = try evaluate(expression, setup); return nil } catch let error as InterpreterError { return error } catch { return nil }
    }

    // MARK: PyTorch

    @Test("typing aliases subscript at run time, as library modules define them (Python 3.11: Union[str, Callable[[], str]])")
    func typingAliases() throws {
        let interpreter = try Self.interpreter("""
            import typing
            from typing import Callable, Optional, Union
            from collections.abc import Sequence

            CheckMessage = Union[str, Callable[[], str]]
            MaybeTensor = Optional[torch.Tensor]
            Shapes = typing.Dict[str, Sequence[int]]

            """)
        guard case .module(let path)? = interpreter.globals.variables["CheckMessage"] else {
            Issue.record("CheckMessage is \(String(describing: interpreter.globals.variables["CheckMessage"]))")
            return
        }
        #expect(path == "typing.Union")
        #expect(throws: InterpreterError.self) { try Self.evaluate("torch[0]", in: interpreter) }
    }

    @Test("an in-place method as a statement writes its receiver (torch 2.15: zeros(1, 3, 2).scatter_(1, [[[2, 0]]], 1.0) is [0, 1, 0, 0, 1, 0])")
    func inPlaceMethodStatement() throws {
        let interpreter = try Self.interpreter("""
            x = torch.zeros(1, 3, 2)
            x.scatter_(1, torch.tensor([[[2, 0]]]), 1.0)

            class Holder:
                pass

            holder = Holder()
            holder.t = torch.zeros(1, 3, 2)
            holder.t.scatter_(1, torch.tensor([[[2, 0]]]), 1.0)
            y = torch.zeros(1, 3, 2)
            z = y.scatter(1, torch.tensor([[[2, 0]]]), 1.0)

            """)
        func values(_ expression: String) throws -> [Float] {
            guard case .tensor(let t) = try Self.evaluate(expression, in: interpreter) else { return [] }
            return t.scalars
        }
        #expect(try values("x") == [0, 1, 0, 0, 1, 0])
        #expect(try values("holder.t.sum()") == [2])
        // The out-of-place form leaves its receiver alone.
        #expect(try values("y.sum()") == [0])
    }

    @Test("F.binary_cross_entropy clamps each log at -100 (PyTorch: 50.748932, none: 100, 0.693147, 100, 2.302585)")
    func torchBCEClamp() throws {
        let setup = "p = torch.tensor([0.0, 0.5, 1.0, 0.9])\ny = torch.tensor([1.0, 1.0, 0.0, 0.0])\n"
        #expect(Self.close(try Self.values("F.binary_cross_entropy(p, y)", setup), [50.748932]))
        #expect(Self.close(try Self.values("F.binary_cross_entropy(p, y, reduction='none')", setup), [100, 0.6931472, 100, 2.3025849]))
        #expect(Self.close(try Self.values("nn.BCELoss(reduction='sum')(p, y)", setup), [202.99586]))
    }

    @Test("the -100 clamp keeps the gradient finite at hard predictions")
    func torchBCEGradientFinite() throws {
        let interpreter = try Self.interpreter("y = torch.tensor([1.0, 1.0, 0.0, 0.0])\n")
        let p = Tensor.variable(shape: [4], scalars: [0, 0.5, 1, 0.9])
        interpreter.globals["p"] = .tensor(p)
        guard case .tensor(let loss) = try Self.evaluate("F.binary_cross_entropy(p, y)", in: interpreter) else { Issue.record("no tensor"); return }
        let gradient = loss.gradient(withRespectTo: p)
        #expect(gradient.state == .healthy)
        // PyTorch: [-2.5e11, -0.5, 2.5e11, 2.4999995]; at exactly 0 and 1 LossDoctor gives 0 (see Common.torchBinaryCrossEntropy).
        #expect(Self.close(Array(gradient.values![1...]), [-0.5, 0, 2.4999995], tolerance: 1e-4))
    }

    @Test("F.binary_cross_entropy raises like PyTorch on a size mismatch and on values outside [0, 1]")
    func torchBCEErrors() {
        #expect(Self.error("F.binary_cross_entropy(torch.ones(4, 1) * 0.5, torch.ones(4))")?.message
                == "ValueError: Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1])) is deprecated. Please ensure they have the same size.")
        #expect(Self.error("F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))")?.message == "RuntimeError: all elements of input should be between 0 and 1")
    }

    @Test("F.binary_cross_entropy_with_logits with pos_weight (PyTorch: 7.518895; without: 5.955156)")
    func torchBCEWithLogits() throws {
        let setup = "z = torch.tensor([[-3.0, 0.0, 2.5, 20.0]])\ny = torch.tensor([[1.0, 0.0, 1.0, 0.0]])\n"
        #expect(Self.close(try Self.values("F.binary_cross_entropy_with_logits(z, y, pos_weight=torch.tensor(3.0))", setup), [7.518895]))
        #expect(Self.close(try Self.values("nn.BCEWithLogitsLoss()(z, y)", setup), [5.955156]))
        #expect(Self.close(try Self.values("tf.reduce_mean(tf.nn.weighted_cross_entropy_with_logits(y, z, 3.0))", setup), [7.518895]))
        #expect(Self.close(try Self.values("tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z))", setup), [5.955156]))
    }

    @Test("PyTorch's loss kernels refuse a weight that requires grad, in the forward call (torch 2.15's messages)")
    func torchWeightRequiringGrad() throws {
        let interpreter = try Self.interpreter("y = torch.tensor([[1.0, 0.0, 1.0]])\nlabels = torch.tensor([0, 2])\n")
        let z = Tensor.variable(shape: [1, 3], scalars: [0.5, -1, 2])
        let scores = Tensor.variable(shape: [2, 3], scalars: [1, 0.2, -1, 0.5, 2, 0.3])
        interpreter.globals["z"] = .tensor(z)
        interpreter.globals["scores"] = .tensor(scores)
        func message(_ expression: String) -> String? {
            do { _ = try Self.evaluate(expression, in: interpreter); return nil } catch { return (error as? InterpreterError)?.message }
        }
        let tail = "is not differentiable with respect to argument"
        #expect(message("F.binary_cross_entropy_with_logits(z, y, weight=torch.sigmoid(z))")
                == "RuntimeError: The function 'binary_cross_entropy_with_logits' \(tail) 'weight'. This input cannot have requires_grad True.")
        #expect(message("F.binary_cross_entropy_with_logits(z, y, pos_weight=torch.sigmoid(z))")
                == "RuntimeError: The function 'binary_cross_entropy_with_logits' \(tail) 'pos_weight'. This input cannot have requires_grad True")
        #expect(message("F.binary_cross_entropy(torch.sigmoid(z), y, weight=torch.sigmoid(z))")
                == "RuntimeError: The function 'binary_cross_entropy' \(tail) 'weight'. This input cannot have requires_grad True.")
        #expect(message("F.cross_entropy(scores, labels, weight=torch.softmax(scores, 1)[0])")
                == "RuntimeError: The function 'nll_loss_forward' \(tail) 'weight'. This input cannot have requires_grad True.")
        #expect(message("F.cross_entropy(scores.view(2, 3, 1, 1), labels.view(2, 1, 1), weight=torch.softmax(scores, 1)[0])")
                == "RuntimeError: The function 'nll_loss2d_forward' \(tail) 'weight'. This input cannot have requires_grad True.")
        // A detached weight, and class probabilities as the target, are accepted.
        #expect(message("F.binary_cross_entropy_with_logits(z, y, weight=torch.sigmoid(z).detach())") == nil)
        #expect(message("F.cross_entropy(scores, torch.softmax(scores.detach(), 1), weight=torch.softmax(scores, 1)[0])") == nil)
    }

    static let crossEntropySetup = """
        logits = torch.tensor([[[[1.0, 0.2]], [[0.5, 2.0]], [[-1.0, 0.3]]], [[[0.1, 0.1]], [[0.2, -0.5]], [[3.0, 1.0]]]])
        target = torch.tensor([[[0, 2]], [[1, -100]]])

        """

    @Test("F.cross_entropy on class indices with ignore_index, weight, label smoothing (PyTorch: 1.821056, 2.106704, 1.801056, 5.463168)")
    func torchCrossEntropy() throws {
        let s = Self.crossEntropySetup
        #expect(Self.close(try Self.values("F.cross_entropy(logits, target)", s), [1.8210559]))
        #expect(Self.close(try Self.values("F.cross_entropy(logits, target, weight=torch.tensor([1.0, 2.0, 0.5]))", s), [2.106704]))
        #expect(Self.close(try Self.values("nn.CrossEntropyLoss(label_smoothing=0.1)(logits, target)", s), [1.8010558]))
        #expect(Self.close(try Self.values("F.cross_entropy(logits, target, reduction='sum')", s), [5.4631677]))
        #expect(Self.close(try Self.values("F.nll_loss(F.log_softmax(logits, 1), target)", s), [1.8210559]))
        // Probability targets (PyTorch: 1.487514).
        let probs = "probs = torch.softmax(torch.tensor([[[[0.3, 0.1]], [[0.2, 0.9]], [[0.5, 0.0]]], [[[0.3, 0.1]], [[0.2, 0.9]], [[0.5, 0.0]]]]), 1)\n"
        #expect(Self.close(try Self.values("F.cross_entropy(logits, probs)", s + probs), [1.4875141]))
        #expect(Self.error("F.cross_entropy(logits, torch.ones(2, 1, 2))", s)?.message.hasPrefix("RuntimeError: expected target dtype to be Long") == true)
    }

    @Test("torch.max(x, dim) returns (values, indices); without dim, the maximum")
    func torchMax() throws {
        let setup = "x = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])\n"
        guard case .tuple(let pair) = try Self.evaluate("torch.max(x, 1)", setup), pair.count == 2 else { Issue.record("not a pair"); return }
        #expect(pair[0].tensor?.scalars == [5, 6])
        #expect(pair[1].tensor?.scalars == [1, 2])
        #expect(pair[1].tensor?.dtype == .int64)
        #expect(try Self.values("x.max(dim=1)[0]", setup) == [5, 6])
        #expect(try Self.values("torch.max(x)", setup) == [6])
        #expect(try Self.values("torch.max(x, torch.tensor(4.5))", setup) == [4.5, 5, 4.5, 4.5, 4.5, 6])
        let kept = try Self.tensor("torch.min(x, dim=0, keepdim=True)[1]", setup)
        #expect(kept.shape == [1, 3] && kept.scalars == [0, 1, 0])
    }

    @Test("tensor methods: view, flatten, permute, transpose, size, squeeze/unsqueeze")
    func torchLayout() throws {
        let setup = "x = torch.zeros(2, 3, 4)\n"
        #expect(try Self.tensor("torch.ones(2, 3).view(-1)").shape == [6])
        #expect(try Self.tensor("x.view(2, -1)", setup).shape == [2, 12])
        #expect(try Self.tensor("x.view((4, 6))", setup).shape == [4, 6])
        #expect(try Self.tensor("torch.zeros(2, 3, 4, 5).flatten(1)").shape == [2, 60])
        #expect(try Self.tensor("x.permute(2, 0, 1)", setup).shape == [4, 2, 3])
        #expect(try Self.tensor("x.transpose(0, 2)", setup).shape == [4, 3, 2])
        #expect(try Self.tensor("x.unsqueeze(1).squeeze(1)", setup).shape == [2, 3, 4])
        #expect(try Self.tensor("x.squeeze(0)", setup).shape == [2, 3, 4])  // PyTorch: a no-op on an axis of extent 2
        if case .tuple(let shape) = try Self.evaluate("x.size()", setup) { #expect(shape.count == 3) } else { Issue.record("size() is not a tuple") }
        #expect(try Self.evaluate("x.size(-1)", setup).number == 4)
        #expect(try Self.evaluate("x.numel()", setup).number == 24)
    }

    @Test("torch.div rounding modes (PyTorch: trunc [-3, 3], floor [-4, 3])")
    func torchDiv() throws {
        #expect(try Self.values("torch.div(torch.tensor([-7.0, 7.0]), 2, rounding_mode='trunc')") == [-3, 3])
        #expect(try Self.values("torch.div(torch.tensor([-7.0, 7.0]), 2, rounding_mode='floor')") == [-4, 3])
        #expect(try Self.tensor("torch.div(torch.tensor([-7.0, 7.0]), 2, rounding_mode='floor')").op?.name == "//")
    }

    @Test("F.one_hot gives int64 and needs integer input; F.softmax's implicit dim is 1 for 2-D input")
    func torchOneHotAndSoftmax() throws {
        let encoded = try Self.tensor("F.one_hot(torch.tensor([0, 2, 1]))")
        #expect(encoded.dtype == .int64 && encoded.shape == [3, 3] && encoded.scalars == [1, 0, 0, 0, 0, 1, 0, 1, 0])
        #expect(Self.error("F.one_hot(torch.tensor([0.0, 1.0]), 2)")?.message == "RuntimeError: one_hot is only applicable to index tensor of type LongTensor.")
        #expect(Self.close(try Self.values("F.softmax(torch.tensor([[1.0, 2.0], [3.0, 5.0]]))"), [0.26894143, 0.7310586, 0.11920291, 0.880797]))
        #expect(Self.close(try Self.values("torch.logsumexp(torch.tensor([[1.0, 2.0, 3.0], [100.0, 100.0, -1.0]]), dim=1)"), [3.4076059, 100.69315]))
    }

    @Test("mse and l1 losses (PyTorch: 0.145, sum 0.7)")
    func torchRegression() throws {
        #expect(Self.close(try Self.values("F.mse_loss(torch.tensor([0.5, 0.2]), torch.tensor([1.0, 0.0]))"), [0.145]))
        #expect(Self.close(try Self.values("nn.L1Loss(reduction='sum')(torch.tensor([0.5, 0.2]), torch.tensor([1.0, 0.0]))"), [0.7]))
    }

    @Test("leaving the graph: .item() and .detach() stop the gradient; .long() reports LD602")
    func graphBreaks() throws {
        let interpreter = try Self.interpreter()
        let p = Tensor.variable(shape: [2], scalars: [0.25, 0.75])
        interpreter.globals["p"] = .tensor(p)
        for expression in ["p.sum().item() * p.sum().detach()", "p.detach().cpu().numpy().sum()"] {
            guard case .tensor(let t) = try Self.evaluate(expression, in: interpreter) else { Issue.record("no tensor"); continue }
            #expect(t.dependsOnVariable && !t.requiresGrad, "\(expression)")
        }
        _ = try Self.evaluate("p.long()", in: interpreter)
        #expect(interpreter.sourceFacts.map(\.code) == ["LD602"])
        _ = try Self.evaluate("p.numpy()", in: interpreter)
        #expect(interpreter.sourceFacts.map(\.code).contains("LD603"))  // PyTorch raises: numpy() of a tensor that requires grad
    }

    // MARK: Keras and TensorFlow

    static let kerasSetup = """
        y = np.array([[0.0, 1.0, 0.0], [1.0, 1.0, 0.0]])
        p = np.array([[0.1, 0.8, 0.3], [0.6, 1.0, 0.0]])

        """

    @Test("keras.losses.binary_crossentropy averages over the last axis (Keras: [0.228393, 0.170275])")
    func kerasBCE() throws {
        let s = Self.kerasSetup
        let perSample = try Self.tensor("keras.losses.binary_crossentropy(y, p)", s)
        #expect(perSample.shape == [2] && Self.close(perSample.scalars, [0.22839300, 0.17027527]))
        #expect(Self.close(try Self.values("keras.losses.BinaryCrossentropy()(y, p)", s), [0.19933414]))
        #expect(Self.close(try Self.values("keras.losses.BinaryCrossentropy(reduction='sum')(y, p)", s), [0.39866829]))
        #expect(Self.close(try Self.values("tf.keras.losses.binary_crossentropy(y, p * 4 - 2, from_logits=True, label_smoothing=0.2)", s),
                           [0.39276132, 0.40229043]))
        #expect(Self.close(try Self.values("keras.losses.mean_squared_error(y, p)", s), [0.046666667, 0.053333327]))
    }

    @Test("categorical cross-entropy renormalises and clips (Keras: [0.105361, 0.116534, 0.061875])")
    func kerasCategorical() throws {
        let setup = "t = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]])\no = np.array([[0.9, 0.05, 0.05], [0.05, 0.89, 0.06], [0.05, 0.01, 0.94]])\n"
        let expected: [Float] = [0.10536054, 0.11653383, 0.061875407]
        #expect(Self.close(try Self.values("keras.losses.categorical_crossentropy(t, o)", setup), expected))
        #expect(Self.close(try Self.values("K.categorical_crossentropy(t, o * 2)", setup), expected))
        #expect(Self.close(try Self.values("ops.categorical_crossentropy(t, o)", setup), expected))
    }

    @Test("Keras Dice and Tversky on Keras' documented example (Keras: [0.5, 0.757576], 0.616438, Tversky(0.3, 0.7) 0.601140)")
    func kerasDice() throws {
        let setup = """
            yt = np.array([[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]])
            yp = np.array([[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]])

            """
        #expect(Self.close(try Self.values("keras.losses.dice(yt, yp, axis=(1, 2, 3))", setup), [0.5, 0.75757575]))
        #expect(Self.close(try Self.values("keras.losses.dice(yt, yp)", setup), [0.6164384]))
        #expect(Self.close(try Self.values("keras.losses.Dice()(yt, yp)", setup), [0.6164384]))
        #expect(Self.close(try Self.values("keras.losses.Tversky(alpha=0.3, beta=0.7)(yt, yp)", setup), [0.60113960]))
    }

    @Test("binary focal cross-entropy (Keras docs: [0.330, 0.206]; class-balanced [0.164932, 0.154349])")
    func kerasFocal() throws {
        let setup = "y = np.array([[0.0, 1.0], [0.0, 0.0]])\np = np.array([[0.6, 0.4], [0.4, 0.6]])\n"
        #expect(Self.close(try Self.values("keras.losses.binary_focal_crossentropy(y, p, gamma=2)", setup), [0.32986468, 0.20579839]))
        #expect(Self.close(try Self.values("keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, reduction=None)(y, p)", setup),
                           [0.16493234, 0.15434879]))
    }

    @Test("tf.nn.softmax_cross_entropy_with_logits (PyTorch -Σ y log_softmax: [3.241311, 3.154985])")
    func tfSoftmaxCrossEntropy() throws {
        let setup = "z = tf.constant([[2.0, -1.0, 0.5], [0.0, 3.0, -2.0]])\nlab = tf.constant([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])\n"
        #expect(Self.close(try Self.values("tf.nn.softmax_cross_entropy_with_logits(labels=lab, logits=z)", setup), [3.2413113, 3.1549852]))
    }

    @Test("tf.* reductions, shapes and argmax defaults")
    func tfBasics() throws {
        let setup = "x = tf.constant([[1.0, 9.0], [3.0, 4.0]])\n"
        #expect(try Self.values("tf.reduce_sum(x)", setup) == [17])
        #expect(try Self.tensor("tf.reduce_mean(x, axis=1, keepdims=True)", setup).shape == [2, 1])
        #expect(try Self.values("tf.argmax(x)", setup) == [1, 0])  // TensorFlow: axis 0 by default
        #expect(try Self.values("ops.argmax(x)", setup) == [1])  // keras.ops, like NumPy: the flattened tensor
        if case .tuple(let shape) = try Self.evaluate("tf.shape(x)", setup) { #expect(shape.map(\.number) == [2, 2]) } else { Issue.record("tf.shape is not a tuple") }
        #expect(try Self.values("tf.math.divide_no_nan(tf.constant([1.0, 2.0]), tf.constant([0.0, 4.0]))") == [0, 0.5])
        #expect(try Self.tensor("tf.one_hot(tf.constant([0, 2]), 3, axis=0)").shape == [3, 2])
        #expect(Self.close(try Self.values("tf.reduce_logsumexp(tf.constant([[1.0, 2.0, 3.0], [100.0, 100.0, -1.0]]), axis=1)"), [3.4076059, 100.69315]))
    }

    @Test("tf.math.floordiv, torch.floor_divide, np.floor_divide are floor divisions")
    func floorDivisions() throws {
        for expression in ["tf.math.floordiv(tf.constant([7.0]), 2.0)", "torch.floor_divide(torch.tensor([7.0]), 2)",
                           "np.floor_divide(np.array([7.0]), 2)", "ops.floor_divide(np.array([7.0]), 2)"] {
            let t = try Self.tensor(expression)
            #expect(t.scalars == [3] && t.op?.name == "//", "\(expression)")
        }
    }

    @Test("removed APIs: tf.log and targets= report LD601 and still evaluate")
    func removedAPIs() throws {
        let interpreter = try Self.interpreter()
        #expect(Self.close(try {
            guard case .tensor(let t) = try Self.evaluate("tf.log(tf.constant([1.0, 2.0]))", in: interpreter) else { return [] }
            return t.scalars
        }(), [0, 0.6931472]))
        #expect(interpreter.sourceFacts.map(\.code) == ["LD601"])
        let other = try Self.interpreter()
        _ = try Self.evaluate("tf.nn.weighted_cross_entropy_with_logits(targets=tf.constant([1.0]), logits=tf.constant([0.5]), pos_weight=2.0)", in: other)
        #expect(other.sourceFacts.map(\.code) == ["LD601"])
    }

    // MARK: NumPy

    @Test("NumPy rounds half to even and argmax looks at the flattened array (NumPy: [0, 2, 2, -0], 1)")
    func numpyBasics() throws {
        #expect(try Self.values("np.round(np.array([0.5, 1.5, 2.5, -0.5]))") == [0, 2, 2, 0])
        #expect(try Self.values("np.argmax(np.array([[1, 9], [3, 4]]))") == [1])
        #expect(try Self.values("np.clip(np.array([-1.0, 0.5, 2.0]), 0, 1)") == [0, 0.5, 1])
        #expect(try Self.values("np.array([[1.0, 2.0], [3.0, 4.0]]).mean(axis=0)") == [2, 3])
        #expect(try Self.tensor("np.array([1, 2]).astype(np.float32)").dtype == .float32)
        // Without a torch import, `a.max(1)` is NumPy's array of maxima, not PyTorch's (values, indices).
        let numpyOnly = try Self.interpreter(imports: "import numpy as np\n")
        #expect(try Self.evaluate("np.array([[1.0, 5.0], [4.0, 2.0]]).max(1)", in: numpyOnly).tensor?.scalars == [5, 4])
    }

    // MARK: Argument binding

    @Test("argument binding errors read like Python's")
    func bindingErrors() {
        #expect(Self.error("tf.reduce_sum(tf.constant([1.0]), dims=0)")?.message == "tf.reduce_sum() got an unexpected keyword argument 'dims'")
        #expect(Self.error("tf.reduce_sum(tf.constant([1.0]), dims=0)")?.code == "LD603")
        #expect(Self.error("F.binary_cross_entropy(torch.ones(2))")?.message == "F.binary_cross_entropy() missing required argument: 'target'")
        #expect(Self.error("keras.losses.BinaryCrossentropy(from_logit=True)")?.message == "keras.losses.BinaryCrossentropy() got an unexpected keyword argument 'from_logit'")
        #expect(Self.error("torch.sum(torch.ones(2), 0, True, 1)")?.message.contains("positional") == true)
        #expect(Self.error("scipy.special.expit(1.0)", "import scipy.special\n")?.code == "LD902")
        #expect(Self.error("torch.not_an_api(1.0)")?.code == "LD902")
    }

    @Test("nn.Module stays a namespace so that classes derive from it")
    func moduleBase() throws {
        guard case .module(let path) = try Self.evaluate("nn.Module") else { Issue.record("nn.Module is not a namespace"); return }
        #expect(path == "torch.nn.Module")
    }

    // NumPy 2.4: x = np.arange(24, dtype=np.float32).reshape(2, 3, 4); the same in PyTorch 2.13.
    @Test("advanced indexing: lists and integer tensors broadcast together, in place when adjacent, first when not")
    func advancedIndexing() throws {
        let setup = "x = torch.arange(24.0).reshape(2, 3, 4)\n"
        let cases: [(String, [Int], [Float])] = [
            ("x[:, [1]]", [2, 1, 4], [4, 5, 6, 7, 16, 17, 18, 19]),
            ("x[[1, 0], :, [3, 2]]", [2, 3], [15, 19, 23, 2, 6, 10]),
            ("x[:, [2, 0], [1, 3]]", [2, 2], [9, 3, 21, 15]),
            ("x[1, [0, 2]]", [2, 4], [12, 13, 14, 15, 20, 21, 22, 23]),
            ("x[[[0], [1]], 0, [1, 2]]", [2, 2], [1, 2, 13, 14]),
            ("x[torch.tensor([1, 1]), torch.tensor([2, 0]).view(-1)]", [2, 4], [20, 21, 22, 23, 12, 13, 14, 15]),
            ("x[:, None, [-1]]", [2, 1, 1, 4], [8, 9, 10, 11, 20, 21, 22, 23]),
        ]
        for (expression, shape, expected) in cases {
            let t = try Self.tensor(expression, setup)
            #expect(t.shape == shape, "\(expression)")
            #expect(t.scalars == expected, "\(expression)")
        }
        // The gradient follows the picked elements: d/dx sum(x[:, [2, 2]]) is 2 on channel 2, 0 elsewhere.
        let interpreter = try Self.interpreter()
        let x = Tensor.variable(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        interpreter.globals["x"] = .tensor(x)
        guard case .tensor(let picked) = try Self.evaluate("x[:, [2, 2]].sum()", in: interpreter) else { Issue.record("no tensor"); return }
        #expect(picked.gradient(withRespectTo: x).values == (0..<24).map { ($0 % 12) / 4 == 2 ? 2 : 0 })
        #expect(Self.error("x[:, [3]]", setup)?.message.contains("IndexError") == true)
        #expect(Self.error("x[[0, 1], [0, 1, 2]]", setup)?.message.contains("broadcast") == true)
    }

    // PyTorch 2.13 CPU (Scripts-free: run in a venv with torch): x = (arange(100).reshape(2, 2, 5, 5) % 7) - 3,
    // w = (arange(72).reshape(4, 2, 3, 3) % 5) - 2, wg = (arange(36).reshape(4, 1, 3, 3) % 3) - 1, b = [1, -1, 0.5, 2];
    // each result as (shape, sum, sum of y * (flat index % 11)).
    @Test("F.conv1d/2d/3d: padding (ints, 'same'), stride, dilation, groups and bias as PyTorch computes them; the gradient reaches the input and the weight")
    func torchConvolutions() throws {
        let setup = """
            x = (torch.arange(100).reshape(2, 2, 5, 5) % 7).float() - 3
            w = (torch.arange(72).reshape(4, 2, 3, 3) % 5).float() - 2
            wg = (torch.arange(36).reshape(4, 1, 3, 3) % 3).float() - 1
            b = torch.tensor([1.0, -1.0, 0.5, 2.0])

            """
        func summary(_ t: Tensor) -> ([Int], Float, Float) {
            (t.shape, t.scalars.reduce(0, +), t.scalars.enumerated().reduce(0) { $0 + $1.element * Float($1.offset % 11) })
        }
        let cases: [(String, [Int], Float, Float)] = [
            ("F.conv2d(x, w, padding=1)", [2, 4, 5, 5], -55, 432),
            ("F.conv2d(x, wg, b, stride=2, groups=2)", [2, 4, 2, 2], 16, 47.5),
            ("F.conv2d(x, w, padding='same', dilation=2)", [2, 4, 5, 5], -7, 959),
            ("F.conv1d(x.reshape(2, 2, 25), w[:, :, 1], padding=2)", [2, 4, 27], -21, 335),
            ("torch.conv3d(x.reshape(1, 2, 2, 5, 5), w[:2].reshape(2, 2, 1, 3, 3).repeat(1, 1, 2, 1, 1), padding=(1, 0, 1))", [1, 2, 3, 3, 5], -6, -192),
        ]
        for (expression, shape, sum, weighted) in cases {
            let (s, total, checksum) = summary(try Self.tensor(expression, setup))
            #expect(s == shape, "\(expression)")
            #expect(total == sum && checksum == weighted, "\(expression): \(total), \(checksum)")
        }
        #expect(try Self.tensor("F.conv2d(x[0], w, padding=1)", setup).shape == [4, 5, 5])
        // d/dx sum(conv2d(x, w, padding=1) ** 2): PyTorch's sum -1494, weighted -6400.
        let interpreter = try Self.interpreter(setup)
        guard case .tensor(let x) = interpreter.globals["x"] ?? .none else { Issue.record("no x"); return }
        let variable = Tensor.variable(shape: x.shape, scalars: x.scalars)
        interpreter.globals["v"] = .tensor(variable)
        guard case .tensor(let loss) = try Self.evaluate("F.conv2d(v, w, padding=1).square().sum()", in: interpreter) else { Issue.record("no tensor"); return }
        let (_, gradientSum, gradientChecksum) = summary(Tensor(shape: x.shape, scalars: loss.gradient(withRespectTo: variable).values ?? []))
        #expect(gradientSum == -1494 && gradientChecksum == -6400)
        // d/dw of the same, PyTorch: sum 540, weighted 37582; with wg, stride=2, groups=2: 12 (610).
        for (weight, call, sum, weighted) in [("w", "F.conv2d(x, k, padding=1)", Float(540), Float(37582)),
                                              ("wg", "F.conv2d(x, k, stride=2, groups=2)", 12, 610)] {
            guard case .tensor(let w)? = interpreter.globals[weight] else { Issue.record("no \(weight)"); return }
            let k = Tensor.variable(shape: w.shape, scalars: w.scalars)
            interpreter.globals["k"] = .tensor(k)
            guard case .tensor(let loss) = try Self.evaluate("\(call).square().sum()", in: interpreter) else { Issue.record("no tensor"); return }
            let (_, total, checksum) = summary(Tensor(shape: w.shape, scalars: loss.gradient(withRespectTo: k).values ?? []))
            #expect(total == sum && checksum == weighted, "\(call): \(total), \(checksum)")
        }
        #expect(Self.error("F.conv2d(x, w[:, :1], padding=1)", setup)?.message.contains("groups") == true)
    }
}
