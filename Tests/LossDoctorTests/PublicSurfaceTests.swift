import Testing
@testable import LossDoctor

/// The library's public surface, read from its sources: the few types a user needs (the rest is `internal`,
/// or `package` for the `loss-doctor` executable), none named like the module, each public declaration
/// with a doc comment.
@Suite("Public surface")
struct PublicSurfaceTests {
    /// A `public` or `open` declaration found in the sources.
    struct Declaration: Equatable {
        /// The declaring keyword: `struct`, `enum`, `func`, `var`, `init`, ...
        let keyword: String
        /// The declared name (empty for `init` and `subscript`).
        let name: String
        /// Whether the line above it, past attribute lines, is a `///` doc comment.
        let documented: Bool
        /// Where it is: `Sources/LossDoctor/...swift:LINE`.
        let place: String

        static let typeKeywords: Set = ["struct", "class", "enum", "protocol", "actor", "typealias"]
        var declaresType: Bool { Self.typeKeywords.contains(keyword) }
    }

    /// Words that may stand before the declaring keyword, besides attributes and the access level itself.
    static let modifiers: Set = ["static", "class", "final", "override", "nonisolated", "mutating", "convenience",
                                 "required", "indirect", "prefix", "postfix", "infix", "lazy", "dynamic",
                                 "internal(set)", "private(set)", "fileprivate(set)", "package(set)"]

    /// The declaration on `lines[index]` if it is `public` or `open`.
    static func declaration(_ lines: [Substring], at index: Int, place: String) -> Declaration? {
        let code = lines[index].replacing(/@\w+(\([^)]*\))?/, with: "")
        let words = code.split(whereSeparator: \.isWhitespace).map(String.init)
        var position = 0
        var isPublic = false
        while position < words.count {
            let word = words[position]
            // `class func` is a modifier, `class Name` a declaration.
            if word == "class", position + 1 < words.count, !["func", "var", "let", "subscript"].contains(words[position + 1]) { break }
            if word == "public" || word == "open" { isPublic = true } else if !modifiers.contains(word) { break }
            position += 1
        }
        guard isPublic, position < words.count else { return nil }
        let name = position + 1 < words.count ? String(words[position + 1].prefix { $0.isLetter || $0.isNumber || $0 == "_" }) : ""
        let above = lines[..<index].last { !$0.trimmingWhitespace().hasPrefix("@") }
        return Declaration(keyword: words[position], name: name, documented: above?.trimmingWhitespace().hasPrefix("///") ?? false,
                           place: place)
    }

    /// Every public declaration of the library target.
    static func publicDeclarations() throws -> [Declaration] {
        try RuleCodeLiteralTests.swiftFiles().filter { $0.path.hasPrefix("LossDoctor/") }.flatMap { path, lines in
            lines.indices.compactMap { declaration(lines, at: $0, place: "Sources/\(path):\($0 + 1)") }
        }
    }

    @Test("the library exports at most 40 public types, the front door among them, none named like the module")
    func fewPublicTypes() throws {
        let types = try Self.publicDeclarations().filter(\.declaresType)
        let names = types.map(\.name)
        #expect(types.count <= 40, "make what users do not need internal (or package, for the CLI): \(names.sorted())")
        #expect(Set(["LossCheck", "Report", "Finding", "Severity", "Tensor", "SourceOptions"]).isSubset(of: names))
        // `enum LossDoctor` would shadow the module: `LossDoctor.Report` would stop compiling for users.
        #expect(!names.contains("LossDoctor"))
    }

    @Test("every public declaration has a doc comment")
    func publicDeclarationsAreDocumented() throws {
        let declarations = try Self.publicDeclarations()
        #expect(declarations.count > 100)
        let undocumented = declarations.filter { !$0.documented }.map { "\($0.place): \($0.keyword) \($0.name)" }
        #expect(undocumented.isEmpty, "add a `///` comment above:\n\(undocumented.joined(separator: "\n"))")
    }

    @Test("the scan reads modifiers, attributes and the comment above")
    func scanReadsDeclarations() {
        func scan(_ text: String) -> Declaration? {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return Self.declaration(lines, at: lines.count - 1, place: "x")
        }
        #expect(scan("/// A loss.\npublic struct Loss: Sendable {") == Declaration(keyword: "struct", name: "Loss", documented: true, place: "x"))
        #expect(scan("/// Doc.\n@discardableResult\npublic static func run(_ a: Int) -> Int {")?.documented == true)
        #expect(scan("    @TaskLocal public static var limit = 1") == Declaration(keyword: "var", name: "limit", documented: false, place: "x"))
        #expect(scan("    public internal(set) var origin: String?")?.name == "origin")
        #expect(scan("/// Doc.\npublic final class Tensor {")?.declaresType == true)
        #expect(scan("    public class func make() -> Tensor")?.declaresType == false)
        #expect(scan("// not a doc comment\npublic enum LossDoctor {")?.documented == false)
        #expect(scan("    package init(environment: [String: String]) {") == nil)
        #expect(scan("    static let spec = \"public API\"") == nil)
        #expect(scan("    /// public struct Example {}") == nil)
    }
}
