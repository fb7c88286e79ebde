import Foundation
import Testing
@testable import LossDoctor

@Suite("JSON report")
struct JSONReportTests {
    /// Parses a JSON report back with Foundation (the library writes it with its own writer).
    static func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("the document has the documented structure (docs/json-schema.md)")
    func structure() throws {
        let result = CLI.run("check --loss dice-floor --loss soft-dice --format json")
        #expect(result.exitCode == 1)
        let document = try Self.parse(result.stdout)
        #expect(Set(document.keys) == ["schema_version", "tool", "losses", "summary"])
        #expect(document["schema_version"] as? Int == 2)
        let tool = try #require(document["tool"] as? [String: Any])
        #expect(tool["name"] as? String == "loss-doctor")
        #expect(tool["version"] as? String == LossCheck.version)

        let losses = try #require(document["losses"] as? [[String: Any]])
        #expect(losses.map { $0["name"] as? String } == ["dice-floor", "soft-dice"])
        let loss = losses[0]
        #expect(Set(loss.keys) == ["name", "origin", "domain", "layout", "findings", "probes", "probe_set", "sweeps", "simulation", "failures", "summary"])
        #expect(loss["domain"] as? String == "probabilities")
        let probeSet = try #require(loss["probe_set"] as? [String: Any])
        #expect((probeSet["geometry"] as? [String: Any])?["seed"] as? Int == Int(ProbeGeometry().seed))
        #expect(probeSet["export"] as? String == "loss-doctor probes export DIR --input probs --layout NHWC")
        #expect(loss["layout"] as? String == "NHWC")
        let origin = try #require(loss["origin"] as? [String: Any])
        #expect(origin["kind"] as? String == "built-in")
        #expect(origin["expected"] as? [String] == ReferenceLosses.named("dice-floor")!.expected.sorted())

        let findings = try #require(loss["findings"] as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String }.first == "LD101")
        for finding in findings {
            #expect(Set(finding.keys) == ["code", "name", "severity", "message", "notes", "probe", "fix", "location", "numbers", "consequence_of"])
            #expect(["error", "warning", "info"].contains(finding["severity"] as? String ?? ""))
            #expect(finding["location"] is NSNull)
            #expect(finding["numbers"] is [String: Any])
            #expect(finding["notes"] is [String])
        }

        let probes = try #require(loss["probes"] as? [[String: Any]])
        #expect(probes.count == MaskKind.allCases.count * PredictionKind.allCases.count)
        for probe in probes {
            #expect(Set(probe.keys) == ["probe", "arrays", "mask", "prediction", "value", "output_shape", "gradient"])
            #expect((probe["arrays"] as? [String: String])?["prediction"] == "binary/predictions/\(probe["probe"] as? String ?? "").npy")
            #expect(probe["probe"] as? String == "\(probe["mask"] as? String ?? "")/\(probe["prediction"] as? String ?? "")")
            let gradient = try #require(probe["gradient"] as? [String: Any])
            #expect(Set(gradient.keys) == ["state", "norm", "mass"])
            #expect(gradient["state"] as? String == "missing")  // floor division cuts every path
        }

        let sweeps = try #require(loss["sweeps"] as? [[String: Any]])
        #expect(sweeps.map { $0["id"] as? String } == ["perfect->inverted@balanced", "all-background->perfect@imbalanced"])
        #expect((sweeps[0]["values"] as? [Any])?.count == 65)

        let simulation = try #require(loss["simulation"] as? [String: Any])
        #expect(Set(simulation.keys) == ["steps", "learning_rate", "foreground_fraction", "all_background_accuracy", "delivery",
                                         "first_non_finite_step", "failure", "dice_target", "steps_to_dice", "points", "references"])
        let points = try #require(simulation["points"] as? [[String: Any]])
        #expect(points.count == (simulation["steps"] as? Int ?? 0) + 1)
        #expect(points.allSatisfy { Set($0.keys) == ["step", "train_loss", "validation_loss", "dice", "iou", "accuracy"] })
        #expect(simulation["delivery"] as? String == "missing")

        let summary = try #require(loss["summary"] as? [String: Any])
        let findingsBySeverity = { (severity: String) in findings.filter { $0["severity"] as? String == severity && $0["consequence_of"] is NSNull }.count }
        #expect(summary["errors"] as? Int == findingsBySeverity("error"))
        #expect(summary["warnings"] as? Int == findingsBySeverity("warning"))
        #expect(summary["infos"] as? Int == findingsBySeverity("info"))
        #expect(summary["matches_expected"] as? Bool == (summary["codes"] as? [String] == origin["expected"] as? [String]))
        let total = try #require(document["summary"] as? [String: Any])
        #expect(total["losses"] as? Int == 2)
        #expect(total["errors"] as? Int == findingsBySeverity("error"))  // soft-dice has no error
    }

    @Test("NaN and infinities are strings, and the document still parses")
    func nonFinite() throws {
        let text = CLI.run("check --loss bce-no-clip --format json").stdout
        let losses = try #require(try Self.parse(text)["losses"] as? [[String: Any]])
        let probes = try #require(losses.first?["probes"] as? [[String: Any]])
        let values = probes.map { $0["value"] }
        #expect(values.contains { $0 as? String == "nan" })
        #expect(values.contains { $0 as? String == "inf" })
        #expect(values.allSatisfy { $0 is NSNumber || ["nan", "inf", "-inf"].contains($0 as? String ?? "") })
    }

    @Test("the writer: sorted keys, escapes, shortest numbers")
    func writer() {
        let value = JSONValue.object([
            "b": .string("a \"quote\", a \\ and a\nnewline\u{01}"), "a": .number(0.1 as Float), "c": .number(2.0),
            "d": .number(-Double.infinity), "e": .number(1e-7 as Double), "f": .array([.null, .bool(true)]),
        ])
        #expect(value.serialized() == """
            {
              "a": 0.1,
              "b": "a \\"quote\\", a \\\\ and a\\nnewline\\u0001",
              "c": 2,
              "d": "-inf",
              "e": 1e-07,
              "f": [null, true]
            }

            """)
        #expect(JSONValue.object(["z": .number(1), "y": .null]).serialized() == "{\"y\": null, \"z\": 1}\n")
        #expect(JSONValue.number(Double(Float(15.94513))) == .number("15.94513"))
        #expect(JSONValue.number(0.1 as Double) == .number("0.1"))
    }
}

@Suite("Text report")
struct TextReportTests {
    @Test("a finding with a source site shows file:line:col, the line and a caret under the op")
    func sourceSite() {
        let base = CLI.report("dice-floor")
        let site = SourceSite(file: "losses.py", line: 3, column: 33, text: "//")
        let finding = Finding(code: "LD101", name: "floor-division", severity: .error, message: "floor division `//` cuts the gradient",
                              probe: "balanced/random", site: site, fix: "Use true division `/`.")
        let source = "def dice_loss(y_true, y_pred):\n    i = K.sum(y_true * y_pred)\n    return 1 - (2 * i + 1) // (K.sum(y_true) + 1)\n"
        let checked = CheckedLoss(input: CheckInput(function: ReferenceLosses.named("dice-floor")!.function,
                                                    origin: .file(path: "losses.py", text: source)),
                                  report: Report(loss: "dice_loss", findings: [finding], evidence: base.evidence))
        let block = TextRenderer().block(finding, checked)
        #expect(block == [
            "error[LD101] floor-division: floor division `//` cuts the gradient",
            "  --> losses.py:3:33",
            "   |",
            " 3 |     return 1 - (2 * i + 1) // (K.sum(y_true) + 1)",
            "   |                                 ^^",
            "   = probe: balanced/random",
            "   = fix: Use true division `/`.",
        ])
        #expect(TextRenderer().render(checked).hasPrefix("checking dice_loss (losses.py; probabilities, NHWC)\n"))
    }

    @Test("the verdict names the rules that decide it")
    func verdicts() {
        let renderer = TextRenderer()
        func verdict(_ name: String) -> String { renderer.verdict(CLI.report(name)) }
        // Prefixes: other rules may join the list as the rules grow; the lead and the first rule are the point.
        #expect(verdict("dice-floor").hasPrefix("this loss cannot train: floor-division (LD101)"))
        #expect(verdict("dice-coef").hasPrefix("this loss cannot train correctly: wrong-direction (LD301)"))
        #expect(verdict("dice-large-smooth").hasPrefix("this loss trains, but badly or fragilely: smoothing-dominates (LD404)"))
        #expect(verdict("soft-dice") == "no defects found")
    }

    @Test("tables pad columns, align numbers right and wrap the last column")
    func table() {
        let table = TextTable(header: ["name", "n", "text"], rows: [["a", "1", "one two three"], ["bb", "22", "x"]],
                              rightAligned: [1], maxWidth: 28)
        #expect(table.render() == ["name   n  text", "a      1  one two three", "bb    22  x"])
        let narrow = TextTable(header: ["name", "text"], rows: [["a", String(repeating: "word ", count: 6)]], maxWidth: 27)
        #expect(narrow.render() == ["name  text", "a     word word word word", "      word word"])
    }
}
