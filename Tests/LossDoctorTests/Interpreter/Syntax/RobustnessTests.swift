import Testing
@testable import LossDoctor

/// SplitMix64: a tiny seeded generator so fuzzing is reproducible.
struct MutationGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

@Suite struct NestingLimitTests {
    @Test func tenThousandParenthesesFailCleanly() {
        let source = String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
        #expect(syntaxError(source) == SyntaxError("too many nested parentheses", at: loc(1, 201)))
    }

    @Test func tenThousandBracketsFailCleanly() {
        let source = "x = " + String(repeating: "[{", count: 5_000) + String(repeating: "}]", count: 5_000)
        #expect(syntaxError(source)?.message == "too many nested parentheses")
    }

    @Test(arguments: [
        String(repeating: "-", count: 10_000) + "x",
        String(repeating: "not ", count: 10_000) + "x",
        String(repeating: "2 ** ", count: 10_000) + "2",
        "a" + String(repeating: " + a", count: 10_000),
        "a" + String(repeating: " or a", count: 10_000),
        "x" + String(repeating: ".a", count: 10_000),
        "f" + String(repeating: "()", count: 10_000),
        String(repeating: "lambda: ", count: 10_000) + "0",
        String(repeating: "a if b else ", count: 10_000) + "c",
        "if a: pass\n" + String(repeating: "elif a: pass\n", count: 10_000),
    ])
    func deepExpressionsFailCleanly(source: String) {
        #expect(syntaxError(source)?.message == "expression nested too deeply")
    }

    @Test func deepIndentationFailsCleanly() {
        var source = ""
        for level in 0..<1_000 {
            source += String(repeating: " ", count: level) + "if x:\n"
        }
        source += String(repeating: " ", count: 1_000) + "pass\n"
        #expect(syntaxError(source)?.message == "too many levels of indentation")
    }

    @Test func nestingWithinTheLimitParses() throws {
        let parentheses = String(repeating: "(", count: 190) + "x" + String(repeating: ")", count: 190)
        #expect(try sexp(parentheses) == "x")
        let unary = String(repeating: "-", count: 190) + "x"
        #expect(throws: Never.self) { try parseExpression(unary) }
        let chain = "a" + String(repeating: " + a", count: 150)
        #expect(throws: Never.self) { try parseExpression(chain) }
    }

    @Test func limitIsConfigurable() throws {
        #expect(syntaxError("x = ((((y))))", maximumNestingDepth: 3)?.message == "too many nested parentheses")
        #expect(syntaxError("x = - - - - y", maximumNestingDepth: 3)?.message == "expression nested too deeply")
        #expect(syntaxError("x = ((((y))))", maximumNestingDepth: 10) == nil)
        var parser = Parser(source: "- - - y", maximumNestingDepth: 2)
        #expect(throws: SyntaxError.self) { try parser.parseStandaloneExpression() }
    }
}

@Suite struct GarbageInputTests {
    static let fixtures = [Fixtures.kerasDice, Fixtures.torchDice, Fixtures.numpyFocal]
    static let alphabet = Array("()[]{}:;,.'\"\\\n\t #=+-*/%@<>!&|^~0123456789abcdefjxrbfu_é😀\r\u{0C}\0".unicodeScalars)

    /// Applies a random edit: delete, insert, duplicate or swap a span.
    static func mutate(_ scalars: inout [Unicode.Scalar], using generator: inout MutationGenerator) {
        let position = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &generator)
        let length = Int.random(in: 1...8, using: &generator)
        let end = min(scalars.count, position + length)
        switch Int.random(in: 0..<5, using: &generator) {
        case 0:
            scalars.removeSubrange(position..<end)
        case 1:
            scalars.insert(alphabet.randomElement(using: &generator)!, at: position)
        case 2:
            scalars.insert(contentsOf: scalars[position..<end], at: position)
        case 3:
            let other = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &generator)
            if !scalars.isEmpty { scalars.swapAt(position < scalars.count ? position : 0, other) }
        default:
            let value = UInt32.random(in: 1...0x1_0000, using: &generator)
            scalars.insert(Unicode.Scalar(value) ?? "?", at: position)
        }
    }

    @Test func mutatedFixturesNeverCrash() {
        var generator = MutationGenerator(state: 0x5EED)
        var parsed = 0
        var rejected = 0
        for iteration in 0..<3_000 {
            var scalars = Array(Self.fixtures[iteration % Self.fixtures.count].unicodeScalars)
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                Self.mutate(&scalars, using: &generator)
            }
            var source = String.UnicodeScalarView()
            source.append(contentsOf: scalars)
            do {
                let module = try parseModule(String(source))
                _ = module.sExpression
                parsed += 1
            } catch {
                #expect(error.location.line >= 1 && error.location.column >= 1)
                rejected += 1
            }
        }
        #expect(parsed + rejected == 3_000)
        #expect(parsed > 0 && rejected > 0)
    }

    @Test func randomBytesNeverCrash() {
        var generator = MutationGenerator(state: 42)
        for _ in 0..<1_000 {
            let count = Int.random(in: 0..<200, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? parseModule(String(decoding: bytes, as: UTF8.self))
            _ = try? parseExpression(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func randomTokenSoupNeverCrashes() {
        let pieces = ["(", ")", "[", "]", "{", "}", ":", ",", "x", "1", "'s'", "if", "else", "for", "in", "lambda",
                      "not", "**", "*", "-", "=", "\n", "    ", "def", "class", "return", "@", ".", "...", "import",
                      "from", "as", "try", "except", "with", "\\\n", "#c\n", ";", "is", "and", "or", "del"]
        var generator = MutationGenerator(state: 7)
        for _ in 0..<2_000 {
            let source = (0..<Int.random(in: 0..<40, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }.joined(separator: " ")
            _ = try? parseModule(source)
        }
    }
}
