/// The machine report: one JSON document for all losses checked, schema in `docs/json-schema.md`.
/// Bump `schemaVersion` when a field is removed or changes meaning; adding fields keeps it.
struct JSONRenderer: Sendable {
    static let schemaVersion = 2

    init() {}

    func render(_ losses: [CheckedLoss]) -> String {
        document(losses).serialized()
    }

    /// The document as a value, for renderers that embed it.
    func document(_ losses: [CheckedLoss]) -> JSONValue {
        let reports = losses.map(\.report)
        return .object([
            "schema_version": .number(Self.schemaVersion),
            "tool": .object(["name": .string("loss-doctor"), "version": .string(LossCheck.version)]),
            "losses": .array(losses.map(loss)),
            "summary": .object([
                "losses": .number(losses.count),
                "errors": .number(reports.reduce(0) { $0 + $1.count(.error) }),
                "warnings": .number(reports.reduce(0) { $0 + $1.count(.warning) }),
                "infos": .number(reports.reduce(0) { $0 + $1.count(.info) }),
            ]),
        ])
    }

    func loss(_ checked: CheckedLoss) -> JSONValue {
        let report = checked.report
        let evidence = report.evidence
        var origin: [String: JSONValue] = [:]
        switch checked.input.origin {
        case .builtin(let reference):
            origin = ["kind": .string("built-in"), "summary": .string(reference.summary),
                      "formula": .string(reference.formula), "source": .string(reference.source),
                      "expected": .array((checked.expectedCodes ?? []).map(JSONValue.string))]
        case .file(let path, _):
            origin = ["kind": .string("file"), "path": .string(path)]
        case .swift:
            origin = ["kind": .string("swift")]
        }
        return .object([
            "name": .string(report.loss),
            "origin": .object(origin),
            "domain": .string(evidence.domain.displayName),
            "layout": .string(evidence.layout.rawValue),
            "findings": .array(report.findings.map(finding)),
            "probes": .array(evidence.observations.map { probe($0, set: ProbeExport.setName(evidence.target)) }),
            "probe_set": probeSet(evidence),
            "sweeps": .array(evidence.sweeps.map(sweep)),
            "simulation": evidence.simulation.map(simulation) ?? .null,
            "failures": .array(evidence.failures.map { failure in
                .object(["probe": .string(failure.probe), "message": .string(failure.message),
                         "location": location(failure.site)])
            }),
            "summary": .object([
                "errors": .number(report.count(.error)),
                "warnings": .number(report.count(.warning)),
                "infos": .number(report.count(.info)),
                "codes": .array(report.codes.map(JSONValue.string)),
                "matches_expected": checked.matchesExpected.map(JSONValue.bool) ?? .null,
            ]),
        ])
    }

    func finding(_ finding: Finding) -> JSONValue {
        .object([
            "code": .string(finding.code),
            "name": .string(finding.name),
            "severity": .string(finding.severity.rawValue),
            "message": .string(finding.message),
            "notes": .array(finding.notes.map(JSONValue.string)),
            "probe": .optional(finding.probe),
            "fix": .string(finding.fix),
            "location": location(finding.site),
            "numbers": .object(finding.numbers.mapValues(JSONValue.number)),
            "consequence_of": .optional(finding.consequenceOf),
        ])
    }

    func location(_ site: SourceSite?) -> JSONValue {
        guard let site else { return .null }
        return .object(["file": .string(site.file), "line": .number(site.line), "column": .number(site.column)])
    }

    /// What `loss-doctor probes export` needs to write the arrays this loss was evaluated on.
    func probeSet(_ evidence: Evidence) -> JSONValue {
        .object([
            "geometry": ProbeExport.geometryJSON(ProbeRunner()),
            // `binary`, or the multi-class set a check probed with (`one-hot-3`, `class-index-3-ignore-255`).
            "target_format": .string(ProbeExport.setName(evidence.target)),
            "export": .string(ProbeExport.command(domain: evidence.domain, layout: evidence.layout, format: evidence.target)),
        ])
    }

    /// One probe's result, with its arrays in the export of the check's target set.
    func probe(_ observation: Observation, set: String) -> JSONValue {
        .object([
            "probe": .string(observation.probe.description),
            "arrays": .object(["target": .string(ProbeExport.targetFile(observation.mask, set: set)),
                               "prediction": .string(ProbeExport.predictionFile(observation.mask, observation.prediction, set: set))]),
            "mask": .string(observation.mask.rawValue),
            "prediction": .string(observation.prediction.rawValue),
            "value": .number(observation.value),
            "output_shape": .array(observation.outputShape.map(JSONValue.number)),
            "gradient": .object([
                "state": .string(observation.gradient.state.rawValue),
                "norm": .number(observation.gradient.norm),
                "mass": .number(observation.gradient.mass),
            ]),
        ])
    }

    func simulation(_ simulation: SimulationEvidence) -> JSONValue {
        let run = simulation.run
        return .object([
            "steps": .number(run.budget.steps),
            "learning_rate": .number(run.budget.learningRate),
            "foreground_fraction": .number(run.foregroundFraction),
            "all_background_accuracy": .number(run.allBackgroundAccuracy),
            "delivery": .string(run.delivery.rawValue),
            "first_non_finite_step": run.firstNonFiniteStep.map(JSONValue.number) ?? .null,
            "failure": .optional(run.failure),
            "dice_target": .number(simulation.diceTarget),
            "steps_to_dice": run.stepsToDice(simulation.diceTarget).map(JSONValue.number) ?? .null,
            "points": .array(run.points.map { point in
                .object(["step": .number(point.step), "train_loss": .number(point.trainLoss),
                         "validation_loss": .number(point.validationLoss), "dice": .number(point.dice),
                         "iou": .number(point.iou), "accuracy": .number(point.accuracy)])
            }),
            "references": .object([
                "losses": .array(simulation.references.map { .string($0.lossName) }),
                "median_steps_to_dice": .number(simulation.referenceMedianSteps),
                "median_final_dice": .number(simulation.referenceMedianDice),
            ]),
        ])
    }

    func sweep(_ sweep: Sweep) -> JSONValue {
        .object([
            "id": .string(sweep.id),
            "mask": .string(sweep.mask.rawValue),
            "from": .string(sweep.from.rawValue),
            "to": .string(sweep.to.rawValue),
            "distinct_values": .number(sweep.distinctValues),
            "values": .array(sweep.values.map(JSONValue.number)),
        ])
    }
}
