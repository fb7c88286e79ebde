import Testing
@testable import LossDoctor

@Suite("Suggestion")
struct SuggestionTests {
    @Test("edit distance")
    func editDistance() {
        #expect(Suggestion.editDistance("dice-flor", "dice-floor") == 1)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.closest(to: "LD1O1", among: ["LD101", "LD102"]) == "LD101")
        #expect(Suggestion.closest(to: "zzz", among: ["bce", "mse"]) == nil)
    }
}
