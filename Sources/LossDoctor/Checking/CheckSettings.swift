/// What applies to one loss under check: which rules report, the exit threshold, whether to simulate, and how
/// to probe the losses of files. The CLI fills it from its flags over the file's `[tool.loss-doctor]`
/// configuration; the library checks with the defaults.
struct CheckSettings {
    var selection = RuleSelection.all
    /// `error`, `warning`, `info` or `never`.
    var failOn = "error"
    var simulate = true
    var layout: Layout?
    var input: InputDomain?
    /// Where `input` and `layout` came from: their flag, or the configuration file.
    var inputGivenBy = "--input"
    var layoutGivenBy = "--layout"
    /// The configuration's `target`, `classes`, `ignore-index` and `volume` (given values win over them:
    /// `sourceOptions(given:)`).
    var target: TargetKind?
    var classes: Int?
    var targetGivenBy = "--target"
    var ignoreIndex: Int?
    var volume: Bool?
    var configurationFile: String?

    /// The options that probe the losses of a file: `given` (the function, the limits, the read boundary, and
    /// the target, classes, ignored label and volume when given, which win) with these settings.
    func sourceOptions(given: SourceOptions) -> SourceOptions {
        var options = given
        options.input = input
        options.layout = layout
        options.inputGivenBy = inputGivenBy
        options.layoutGivenBy = layoutGivenBy
        options.target = given.target ?? target
        options.classes = given.classes ?? classes
        options.targetGivenBy = given.target == nil ? targetGivenBy : given.targetGivenBy
        options.ignoreIndex = given.ignoreIndex ?? ignoreIndex
        options.ignoreIndexGivenBy = given.ignoreIndex == nil ? configurationFile ?? given.ignoreIndexGivenBy : given.ignoreIndexGivenBy
        options.volume = given.volume ?? volume
        options.volumeGivenBy = given.volume == nil ? configurationFile ?? given.volumeGivenBy : given.volumeGivenBy
        return options
    }
}
