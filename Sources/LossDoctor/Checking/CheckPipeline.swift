/// One loss to check: what it is, its report when it needs no probing (what could not be analysed, a class
/// that could not be built, a loss executed in Python), its settings, and the file it came from (for the
/// file's suppression comments).
struct PlannedCheck {
    let input: CheckInput
    let ready: Report?
    let settings: CheckSettings
    var path: String? = nil
    var suppressions: FileSuppressions? = nil
    /// Whether every loss of the file is checked (no `--function`): only then can any suppression of the
    /// file be judged unused.
    var wholeFile = true

    /// Its report: the one already made, else what `check` finds.
    func report(_ check: (LossFunction, CheckOptions) -> Report) -> Report {
        ready ?? check(input.function, CheckOptions(simulate: settings.simulate))
    }
}

/// Checking losses, one way for the library (`LossCheck.check(contentsOf:)`) and the CLI (`check`): discover
/// the files (`PythonFiles`), plan one check per loss from the settings, run the checks, then apply each
/// file's suppression comments and each loss's rule selection.
enum CheckPipeline {
    /// How a loss is checked unless a test passes a cached checker.
    static let checkLoss: @Sendable (LossFunction, CheckOptions) -> Report = { loss, options in
        LossCheck.check(loss, simulate: options.simulate)
    }

    // MARK: plan

    /// The checks of a file discovery found: one per loss, or one for what stopped the file; none for a file
    /// that defines no loss when it was found in a directory (a helper module) or `skipFilesWithoutLoss`.
    /// `execution` is asked for once the file is read: an invalid `--python` is reported there, as it always was.
    static func plan<Failure: Error>(_ entry: PythonFiles.Entry, given: SourceOptions, settings: CheckSettings,
                                     skipFilesWithoutLoss: Bool,
                                     execution: () throws(Failure) -> ExecutionOptions?) throws(Failure) -> [PlannedCheck] {
        let path = entry.path
        if let reason = entry.unreadable {
            // One folder that cannot be listed is a finding for it; the rest of the tree is still checked.
            return [unanalysed(path, findings: [PythonErrorRule().unreadableFolder(path, reason: reason)],
                               origin: .file(path: path, text: ""), settings: settings, path: path)]
        }
        let options = settings.sourceOptions(given: given)
        let file = SourceChecker.prepare(path: path, display: path, options: options)
        let noLoss = file.losses.isEmpty && file.fileErrors.allSatisfy { $0.message.hasPrefix("no loss function found") }
        if noLoss && (!entry.named || skipFilesWithoutLoss) { return [] }
        var plans: [PlannedCheck] = []
        if file.losses.isEmpty {
            plans.append(unanalysed(path, findings: file.fileErrors, origin: .file(path: path, text: file.source),
                                    settings: settings, path: path))
        }
        // Executed in Python, the losses come with their reports already made (Execution.swift).
        let executed = try execution().flatMap { file.losses.isEmpty ? nil : Execution.check(file, path: path, options: $0) }
        return plans + self.plans(file, settings: settings, wholeFile: options.function == nil, executed: executed)
    }

    /// The checks of a prepared file, in the order of the file: one per loss (with its report when `executed`
    /// has one) and one per loss class that could not be built (its report already made).
    static func plans(_ file: SourceFile, settings: CheckSettings, wholeFile: Bool, executed: [Report]? = nil) -> [PlannedCheck] {
        let origin = CheckInput.Origin.file(path: file.file, text: file.source)
        return file.entries.map { entry in
            switch entry {
            case .loss(let index):
                PlannedCheck(input: CheckInput(function: file.losses[index], origin: origin), ready: executed?[index],
                             settings: settings, path: file.file, suppressions: file.suppressions, wholeFile: wholeFile)
            case .unbuilt(let loss):
                PlannedCheck(input: CheckInput(unprobed: loss.name, origin: origin), ready: loss.report, settings: settings,
                             path: file.file)
            }
        }
    }

    /// A library loss given as a constructor call (`monai.DiceLoss(sigmoid=True)`): the losses of `source`, the
    /// module that applies it, each named by the expression. The settings give input, layout, target and
    /// classes; `given` the rest (the function to check is `function`).
    static func plan(libraryLoss expression: String, source: String, function: String, given: SourceOptions,
                     settings: CheckSettings) -> [PlannedCheck] {
        var options = given
        options.function = function
        options.input = settings.input
        options.layout = settings.layout
        options.target = given.target ?? settings.target
        options.classes = given.classes ?? settings.classes
        let file = SourceChecker.prepare(source: source, file: expression, options: options)
        let origin = CheckInput.Origin.file(path: expression, text: file.source)
        guard !file.losses.isEmpty else { return [unanalysed(expression, findings: file.fileErrors, origin: origin, settings: settings)] }
        return file.losses.map { loss in
            var named = loss
            named.name = expression
            return PlannedCheck(input: CheckInput(function: named, origin: origin), ready: nil, settings: settings)
        }
    }

    /// A built-in loss.
    static func plan(builtin reference: ReferenceLoss, settings: CheckSettings) -> PlannedCheck {
        PlannedCheck(input: CheckInput(builtin: reference), ready: nil, settings: settings)
    }

    /// What could not be analysed (a file, a folder, a library loss) as a check whose report, its error
    /// findings, is already made.
    static func unanalysed(_ name: String, findings: [Finding], origin: CheckInput.Origin, settings: CheckSettings,
                           path: String? = nil) -> PlannedCheck {
        PlannedCheck(input: CheckInput(unprobed: name, origin: origin),
                     ready: Report(loss: name, findings: findings, evidence: .none(name)), settings: settings, path: path)
    }

    // MARK: run

    /// Whether `run` spreads the checks over `threads` threads: only losses of different files can run at once
    /// (a file's losses share its module state; built-ins run one after the other).
    static func runsInParallel(_ plans: [PlannedCheck], threads: Int) -> Bool {
        threads > 1 && plans.contains { $0.path != nil } && ParallelChecks.groups(plans.map(\.path)).count > 1
    }

    /// The reports of `plans`, in their order: on `threads` threads when `runsInParallel`, else one after
    /// the other, calling `starting(index)` before each (the CLI's progress line).
    static func run(_ plans: [PlannedCheck], threads: Int, check: @Sendable (LossFunction, CheckOptions) -> Report,
                    starting: (Int) -> Void = { _ in }) -> [Report] {
        guard runsInParallel(plans, threads: threads) else {
            return plans.indices.map { index in
                starting(index)
                return plans[index].report(check)
            }
        }
        return ParallelChecks.run(count: plans.count, groups: ParallelChecks.groups(plans.map(\.path)), threads: threads) {
            plans[$0].report(check)
        }
    }

    // MARK: suppressions and selection

    /// The checked losses after their file's suppression comments (per file: a suppression may serve any of
    /// its losses) and each loss's rule selection.
    static func finish(_ reports: [Report], _ plans: [PlannedCheck]) -> [CheckedLoss] {
        var reports = reports
        var files: [String: [Int]] = [:]
        for (index, plan) in plans.enumerated() where plan.ready == nil && plan.suppressions != nil {
            files[plan.path ?? "", default: []].append(index)
        }
        for indices in files.values {
            let plan = plans[indices[0]]
            let applied = plan.suppressions!.apply(to: indices.map { reports[$0] }, wholeFile: plan.wholeFile)
            for (index, report) in zip(indices, applied) { reports[index] = report }
        }
        return zip(reports, plans).map { report, plan in CheckedLoss(input: plan.input, report: plan.settings.selection.apply(to: report)) }
    }

    // MARK: the library's check of a file

    /// Reads, prepares and checks a file. `display` is the path shown in findings (repo-relative in CI).
    static func check(path: String, display: String? = nil, options: SourceOptions = SourceOptions(),
                      simulate: Bool = false) -> SourceCheckResult {
        check(SourceChecker.prepare(path: path, display: display, options: options), options: options, simulate: simulate)
    }

    /// Prepares and checks source text. `directory` is where sibling modules are looked up (nil: none are).
    static func check(source: String, file: String, directory: String? = nil, options: SourceOptions = SourceOptions(),
                      simulate: Bool = false) -> SourceCheckResult {
        check(SourceChecker.prepare(source: source, file: file, directory: directory, options: options), options: options,
              simulate: simulate)
    }

    /// A prepared file checked as `LossCheck.check(contentsOf:)` returns it: each report says the file it
    /// came from, and what stopped the file is in `fileErrors`.
    static func check(_ file: SourceFile, options: SourceOptions, simulate: Bool) -> SourceCheckResult {
        let plans = plans(file, settings: CheckSettings(simulate: simulate), wholeFile: options.function == nil)
        let reports = finish(run(plans, threads: 1, check: checkLoss), plans).map { checked in
            var report = checked.report
            report.checkedAs = checked.input.origin
            return report
        }
        return SourceCheckResult(file: file.file, source: file.source, reports: reports, fileErrors: file.fileErrors)
    }
}
