/// Several losses side by side: their values and gradient norms at the standard probes, and their simulated
/// runs on the same task. What `loss-doctor compare` prints.
struct LossComparison: Sendable {
    /// The standard probes, all on the imbalanced mask (1.56 % foreground).
    static let probes: [PredictionKind] = [.perfect, .allBackground, .uniform, .soft, .inverted]
    static let mask = MaskKind.imbalanced

    /// One loss's line of the table.
    struct Row: Sendable {
        let name: String
        /// The loss at each probe (NaN when it raised).
        let values: [Float]
        /// The norm of the gradient with respect to the prediction at each probe (NaN when it raised,
        /// 0 when there is none).
        let gradientNorms: [Double]
        let run: TrainingRun
    }

    let rows: [Row]
    /// Accuracy of a model that predicts nothing on the probe mask.
    let probeAllBackgroundAccuracy: Double
    /// The same on the simulated task's validation masks.
    let taskAllBackgroundAccuracy: Double

    /// Probes every loss at the standard probes and trains it on the simulated task.
    init(_ losses: [LossFunction], runner: ProbeRunner = ProbeRunner()) {
        let target = runner.geometry.mask(Self.mask)
        let runs = Simulation.train(losses)
        rows = zip(losses, runs).map { loss, run in
            var values: [Float] = [], norms: [Double] = []
            for prediction in Self.probes {
                let p = runner.probabilities(prediction, target, salt: Self.mask)
                if let run = try? runner.evaluate(loss, target: target, shape: runner.geometry.shape, probabilities: p) {
                    values.append(run.output.scalars[0])
                    norms.append(run.output.gradient(withRespectTo: run.prediction).norm)
                } else {
                    values.append(.nan)
                    norms.append(.nan)
                }
            }
            return Row(name: loss.name, values: values, gradientNorms: norms, run: run)
        }
        probeAllBackgroundAccuracy = 1 - Double(target.reduce(0, +)) / Double(Swift.max(target.count, 1))
        taskAllBackgroundAccuracy = Simulation.standardTask.validation.allBackgroundAccuracy
    }
}
