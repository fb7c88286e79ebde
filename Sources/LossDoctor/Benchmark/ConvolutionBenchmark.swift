/// A 3x3 convolution of a probe's size (4x1x64x64) through the interpreter's `F.conv2d`, forward and
/// backward, next to an elementwise product of the same tensor: what a morphology loss pays per erosion,
/// as a ratio to the cheapest op on the same elements (a Hausdorff erosion loss runs 40 per evaluation).
struct ConvolutionBenchmark {
    static let shape = [4, 1, 64, 64]
    let interpreter: Interpreter
    let values: [Float]
    let convolution: Expr
    let elementwise: Expr

    init?() {
        interpreter = Interpreter(file: "bench.py")
        let setup = "import torch\nimport torch.nn.functional as F\nw = (torch.arange(9.0).reshape(1, 1, 3, 3) % 2) / 5\n"
        guard let module = try? parseModule(setup), interpreter.run(module).isEmpty,
              let convolution = try? parseExpression("F.conv2d(v, w, padding=1).sum()"),
              let elementwise = try? parseExpression("(v * v).sum()") else { return nil }
        self.convolution = convolution
        self.elementwise = elementwise
        var generator = SeededGenerator(seed: 2024)
        values = (0..<elementCount(Self.shape)).map { _ in generator.nextUnit() }
    }

    /// Evaluates `expression` on a fresh variable and takes its gradient.
    func run(_ expression: Expr) {
        interpreter.beginProbe()
        let v = Tensor.variable(shape: Self.shape, scalars: values)
        interpreter.globals["v"] = .tensor(v)
        guard case .tensor(let loss)? = try? interpreter.evaluate(expression, in: interpreter.globals) else { return }
        Benchmark.blackHole(loss.scalars[0] + (loss.gradients(withRespectTo: [v])[0]?[0] ?? 0))
    }
}
