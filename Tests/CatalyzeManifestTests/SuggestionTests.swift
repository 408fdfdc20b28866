import Testing
@testable import CatalyzeManifest

/// "Did you mean" suggestions: close typos only.
@Suite struct SuggestionTests {
    @Test(arguments: [("replicass", "replicas"), ("loadbalancer", "loadBalancer"), ("monitorng", "monitoring"),
                      ("porfile", "profile"), ("retnetion", "retention")])
    func closeTyposAreSuggested(word: String, expected: String) {
        let keys = ["replicas", "loadBalancer", "monitoring", "profile", "retention", "port"]
        #expect(suggestion(for: word, among: keys) == expected)
    }

    @Test(arguments: ["colour", "zzz", "databasesandmore"])
    func distantWordsAreNot(word: String) {
        #expect(suggestion(for: word, among: ["replicas", "port"]) == nil)
    }

    @Test func editDistanceCountsATranspositionAsOne() {
        #expect(editDistance("porfile", "profile") == 1)
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
        #expect(editDistance("same", "same") == 0)
    }
}
