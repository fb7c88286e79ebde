#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CheckSettings {
    /// Reads the command line's settings once, and finds each file's configuration (cached by directory).
    final class Resolver {
        let commandLine: RuleSelection.Layer
        let failOn: String?
        let noSimulate: Bool
        let layout: Layout?
        let input: InputDomain?
        /// `--config FILE`: this configuration for every input, instead of discovery.
        let explicit: Configuration?
        private let finder: Configuration.Finder

        init(_ parsed: ParsedArguments) throws(CLIError) {
            let select = try Self.selectors(parsed.all("select"), option: "select")
            commandLine = RuleSelection.Layer(select: select.isEmpty && parsed.all("select").isEmpty ? nil : select,
                                              ignore: try Self.selectors(parsed.all("ignore"), option: "ignore"))
            failOn = parsed.all("fail-on").last
            noSimulate = parsed.flag("no-simulate")
            layout = parsed.all("layout").last.flatMap(Layout.init(rawValue:))
            input = parsed.all("input").last.flatMap(InputDomain.init(rawValue:))
            finder = Configuration.Finder(boundary: .commandLine(parsed.positionals))
            if let path = parsed.all("config").last {
                guard Paths.isFile(path) else { throw CLIError(message: "no such configuration file: '\(path)'") }
                let loaded: Configuration?
                // The workflow's author names it: anywhere but a special file.
                do { loaded = try Configuration.load(file: path, boundary: ReadBoundary(roots: ["/"])) } catch { throw Self.error(error) }
                guard let loaded else {
                    throw CLIError(message: "\(Paths.display(path)) has no [tool.loss-doctor] table", usage: false)
                }
                explicit = loaded
            } else {
                explicit = nil
            }
        }

        /// `--select LD1,floor-division --select LD2`: every value, split at commas.
        static func selectors(_ values: [String], option: String) throws(CLIError) -> [RuleSelector] {
            var selectors: [RuleSelector] = []
            for value in values {
                // An empty CI variable (`--select "$RULES"`) must not select nothing and pass a broken loss.
                guard !value.split(separator: ",", omittingEmptySubsequences: false).contains(where: { $0.trimmingWhitespace().isEmpty }) else {
                    throw CLIError(message: "an empty rule in '--\(option)' ('\(value)')",
                                   hint: "Give rule codes (LD101), names (floor-division) or code prefixes (LD1), comma-separated; leave the option out to keep the default.")
                }
                for part in value.split(separator: ",") {
                    guard let selector = RuleSelector(String(part)) else {
                        throw CLIError(message: "unknown rule '\(part)' in '--\(option)'",
                                       suggestion: RuleSelector.suggestion(for: String(part)),
                                       hint: "Give rule codes (LD101), names (floor-division) or code prefixes (LD1); see 'loss-doctor list rules'.")
                    }
                    selectors.append(selector)
                }
            }
            return selectors
        }

        static func error(_ error: ConfigurationError) -> CLIError {
            CLIError(message: "invalid configuration: \(error)", usage: false)
        }

        /// The settings of built-in losses: the flags, over `--config` if given (a project's configuration
        /// is for its files; built-ins are not among them).
        func builtins() -> CheckSettings {
            settings(explicit, file: nil)
        }

        /// The settings of a file: the flags over its configuration (`--config`, or the nearest
        /// `pyproject.toml` with a `[tool.loss-doctor]` table).
        func file(_ path: String) throws(CLIError) -> CheckSettings {
            if let explicit { return settings(explicit, file: path) }
            do {
                return settings(try finder.configuration(forFile: path), file: path)
            } catch {
                throw Self.error(error)
            }
        }

        private func settings(_ configuration: Configuration?, file: String?) -> CheckSettings {
            var layers: [RuleSelection.Layer] = []
            if let configuration { layers.append(configuration.layer) }
            layers.append(commandLine)
            if let configuration, let file {
                let ignored = configuration.ignored(forFile: Paths.absolute(file))
                if !ignored.isEmpty { layers.append(RuleSelection.Layer(ignore: ignored)) }
            }
            return CheckSettings(selection: RuleSelection(layers), failOn: failOn ?? configuration?.failOn ?? "error",
                                 simulate: !noSimulate && (configuration?.simulate ?? true),
                                 layout: layout ?? configuration?.layout, input: input ?? configuration?.input,
                                 inputGivenBy: input == nil ? configuration?.file ?? "--input" : "--input",
                                 layoutGivenBy: layout == nil ? configuration?.file ?? "--layout" : "--layout",
                                 target: configuration?.target, classes: configuration?.classes,
                                 targetGivenBy: configuration?.file ?? "--target",
                                 ignoreIndex: configuration?.ignoreIndex, volume: configuration?.volume,
                                 configurationFile: configuration?.file)
        }
    }
}
