/// Every rule, sorted by code: the one list `check`, `list`, `explain` and SARIF read.
enum RuleRegistry {
    static let all: [any Rule] = ([
        FloorDivisionRule(), NoGradientRule(), ZeroGradientRule(), DeadTermRule(), PiecewiseConstantRule(),
        VanishingGradientRule(), GraphBreakRule(),
        SoftmaxOneChannelRule(), ClassesPooledRule(), IgnoreIndexLeakRule(),
        NonFiniteRule(), UnguardedLogRule(), Float32SaturationRule(),
        WrongDirectionRule(), MinimumOffTargetRule(), EmptyTargetPenalizedRule(), TrivialSolutionRule(),
        InputDomainRule(), ArgumentOrderRule(), DegenerateReductionRule(), OutputShapeRule(), NegativeRangeRule(),
        ReferenceMismatchRule(),
        BatchDependentScaleRule(), ResolutionDependentScaleRule(), BatchPooledRule(), SmoothingDominatesRule(),
        ScaleVsReferenceRule(),
        StalledTrainingRule(), SlowTrainingRule(), MisleadingAccuracyRule(), CollapseToBackgroundRule(),
        FailsToLearnRule(),
        RemovedAPIRule(), IntegerCastRule(), PythonErrorRule(), TensorTruthinessRule(), UnusedParameterRule(), UnusedSuppressionRule(),
        UnsupportedSyntaxRule(), UnsupportedCallRule(), ResourceLimitRule(),
    ] as [any Rule]).sorted { $0.description.code < $1.description.code }

    /// A rule by code (`LD101`) or name (`floor-division`), case-insensitive.
    static func rule(_ codeOrName: String) -> (any Rule)? {
        let key = codeOrName.lowercased()
        return all.first { $0.description.code.lowercased() == key || $0.description.name == key }
    }

    /// Runs every rule on the evidence, except the rules whose codes are in `excluded` (before consequences are
    /// folded, so an excluded root releases nothing).
    static func check(_ evidence: Evidence, excluding excluded: Set<String> = []) -> [Finding] {
        Consequences.fold(all.filter { !excluded.contains($0.description.code) }.flatMap { $0.check(evidence) })
    }
}
