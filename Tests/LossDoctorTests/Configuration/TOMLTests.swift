import Testing
@testable import LossDoctor

@Suite("TOML reader")
struct TOMLTests {
    func parse(_ text: String) throws -> [String: TOMLValue] { try TOMLReader.parse(text) }

    func value(_ text: String, _ path: String...) throws -> TOMLValue.Kind? {
        var table = try parse(text)
        for key in path.dropLast() { table = table[key]?.table ?? [:] }
        return table[path.last!]?.kind
    }

    @Test("tables, dotted and quoted keys, the four strings, booleans, numbers, dates")
    func scalars() throws {
        let text = #"""
            # a comment
            title = "a \"quoted\" \\ \u00e9 word"   # trailing comment
            literal = 'C:\path\*'
            [tool."loss-doctor"]
            fail-on = "warning"
            simulate = false
            a.b.c = 1_000
            hex = 0xff
            pi = 3.14
            neg = -2e-3
            when = 1979-05-27 07:32:00Z
            day = 1979-05-27
            multi = """
            first \
              second
            third"""
            raw = '''
            no \escapes'''
            """#
        let root = try parse(text)
        #expect(root["title"]?.kind == .string("a \"quoted\" \\ é word"))
        #expect(root["literal"]?.kind == .string(#"C:\path\*"#))
        let tool = try #require(root["tool"]?.table?["loss-doctor"]?.table)
        #expect(tool["fail-on"]?.kind == .string("warning"))
        #expect(tool["fail-on"]?.line == 5)
        #expect(tool["simulate"]?.kind == .bool(false))
        #expect(tool["a"]?.table?["b"]?.table?["c"]?.kind == .integer(1000))
        #expect(tool["hex"]?.kind == .integer(255))
        #expect(tool["pi"]?.kind == .float(3.14))
        #expect(tool["neg"]?.kind == .float(-0.002))
        #expect(tool["when"]?.kind == .dateTime("1979-05-27 07:32:00Z"))
        #expect(tool["day"]?.kind == .dateTime("1979-05-27"))
        #expect(tool["multi"]?.kind == .string("first second\nthird"))
        #expect(tool["raw"]?.kind == .string("no \\escapes"))
    }

    @Test("arrays over several lines with comments and a trailing comma; inline tables; arrays of tables")
    func containers() throws {
        let text = """
            select = [
              "LD1",   # gradient
              "LD201",
            ]
            nested = [[1, 2], ["a"]]
            point = { x = 1, y = "two", z.w = true }
            [[tool.mypy.overrides]]
            module = "a"
            [[tool.mypy.overrides]]
            module = "b"
            [tool.mypy.overrides.extra]
            k = 1
            """
        let root = try parse(text)
        guard case .array(let select)? = root["select"]?.kind else { Issue.record("select"); return }
        #expect(select.map(\.kind) == [.string("LD1"), .string("LD201")])
        #expect(select.map(\.line) == [2, 3])
        #expect(root["point"]?.table?["z"]?.table?["w"]?.kind == .bool(true))
        guard case .array(let overrides)? = root["tool"]?.table?["mypy"]?.table?["overrides"]?.kind else { Issue.record("overrides"); return }
        #expect(overrides.map { $0.table?["module"]?.kind } == [.string("a"), .string("b")])
        #expect(overrides[1].table?["extra"]?.table?["k"]?.kind == .integer(1))
    }

    @Test("a typical pyproject.toml reads whole")
    func pyproject() throws {
        let text = """
            [build-system]
            requires = ["setuptools>=61", "wheel"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "segmenter"
            version = "0.3.1"
            authors = [{ name = "A. Person", email = "a@example.org" }]
            dependencies = [
                "torch>=2.1",
                'numpy<2',
            ]
            requires-python = ">=3.10"

            [project.optional-dependencies]
            dev = ["pytest", "ruff"]

            [tool.ruff]
            line-length = 120
            [tool.ruff.lint]
            select = ["E", "F", "UP"]
            [tool.ruff.lint.per-file-ignores]
            "__init__.py" = ["F401"]

            [tool.pytest.ini_options]
            addopts = "-q"
            markers = ["slow: takes long"]

            [tool.loss-doctor]
            ignore = ["LD405"]
            """
        let root = try parse(text)
        #expect(root["tool"]?.table?["loss-doctor"]?.table?["ignore"] != nil)
        #expect(root["project"]?.table?["name"]?.kind == .string("segmenter"))
    }

    @Test("malformed TOML is an error at its line", arguments: [
        ("a = 1\nb = \"unterminated\n", 2, "unterminated string"),
        ("a = 1\na = 2\n", 2, "the key 'a' is defined twice"),
        ("[t]\nx = 1\n[t]\n", 3, "the table [t] is defined twice"),
        ("x = [1, 2\n\ny = 3\n", 3, "expected ',' or ']' in the array"),
        ("x = yes\n", 1, "invalid value 'yes' (strings need quotes)"),
        ("x = 1 2\n", 1, "unexpected '2' after the value"),
        ("[tool\n", 1, "expected ']' to close the table header"),
        ("\n\nkey\n", 3, "expected '=' after the key 'key'"),
        ("s = \"bad \\q escape\"\n", 1, "invalid escape '\\q' in a string"),
        ("a = 1\na.b = 2\n", 2, "the key 'a' is an integer, not a table"),
    ] as [(String, Int, String)])
    func errors(text: String, line: Int, message: String) {
        do {
            _ = try TOMLReader.parse(text)
            Issue.record("no error for \(text.debugDescription)")
        } catch {
            #expect(error.line == line, "\(text.debugDescription): \(error.message)")
            #expect(error.message.hasPrefix(message), "\(text.debugDescription)")
        }
    }
}

@Suite("Globs for per-file-ignores")
struct GlobTests {
    @Test("*, **, ?, sets, and names without a slash matching in any directory", arguments: [
        ("tests/*.py", "tests/test_loss.py", true),
        ("tests/*.py", "tests/unit/test_loss.py", false),
        ("tests/**/*.py", "tests/unit/deep/test_loss.py", true),
        ("tests/**/*.py", "tests/test_loss.py", true),
        ("**/legacy_*.py", "src/models/legacy_dice.py", true),
        ("__init__.py", "pkg/sub/__init__.py", true),
        ("test_?.py", "test_a.py", true),
        ("test_?.py", "test_ab.py", false),
        ("[ab]*.py", "b_loss.py", true),
        ("[!ab]*.py", "b_loss.py", false),
        ("src/*", "src/a/b.py", false),
        ("./src/*.py", "src/a.py", true),
    ] as [(String, String, Bool)])
    func matches(pattern: String, path: String, expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected, "\(pattern) ~ \(path)")
    }
}
