import Endorsement
import Testing

@Suite struct RuleTests {
    @Test func parsesNestedRulesAndPrintsThemBack() throws {
        let rule = try Rule.parse(" 2-of( a, all(b, c), any(d, 3-of(e, f, g, h)) ) ")
        #expect(rule == .atLeast(2, [.name("a"), .all([.name("b"), .name("c")]),
                                     .any([.name("d"), .atLeast(3, [.name("e"), .name("f"), .name("g"), .name("h")])])]))
        #expect(rule.description == "2-of(a, all(b, c), any(d, 3-of(e, f, g, h)))")
        #expect(try Rule.parse(rule.description) == rule)
        #expect(rule.names == ["a", "b", "c", "d", "e", "f", "g", "h"])
    }

    /// Thresholds count parts, not endorsers; nested groups count as one part each.
    @Test(arguments: [
        ([], false), (["a"], false), (["a", "b"], false), (["a", "b", "c"], true), (["a", "d"], true),
        (["e", "f"], false), (["e", "f", "g"], false), (["a", "e", "f", "g"], true), (["b", "c", "d"], true),
    ])
    func thresholdsOverNestedGroups(_ approvers: [String], _ satisfied: Bool) throws {
        let rule = try Rule.parse("2-of(a, all(b, c), any(d, 3-of(e, f, g, h)))")
        #expect(rule.isSatisfied(by: Set(approvers)) == satisfied, "\(approvers)")
    }

    @Test(arguments: [
        ("", "a rule is missing"), ("all(a", "\")\" expected"), ("3-of(a, b)", "3-of has only 2 parts"),
        ("0-of(a)", "unknown combinator \"0-of\""), ("most(a, b)", "unknown combinator \"most\""),
        ("a b", "unexpected \"b\""), ("any", "\"any\" needs \"(\""), ("all(a,)", "unexpected \")\""), ("a)", "unexpected \")\""),
    ])
    func malformedRulesNameTheMistake(_ text: String, _ named: String) {
        do {
            _ = try Rule.parse(text)
            Issue.record("\"\(text)\" parsed")
        } catch let error as EndorsementError {
            #expect(error.code == .invalidContract)
            #expect(error.message.contains(named), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func groupsExpandAndCyclesAreRefused() throws {
        let groups = ["registries": try Rule.parse("any(kvk, ch)"), "strong": try Rule.parse("all(registries, notary)")]
        let expanded = try Rule.parse("2-of(strong, auditor, other)").expanded(
            groups: groups, endorsers: ["kvk", "ch", "notary", "auditor", "other"])
        #expect(expanded.description == "2-of(all(any(kvk, ch), notary), auditor, other)")
        #expect(expanded.isSatisfied(by: ["ch", "notary", "other"]))
        #expect(!expanded.isSatisfied(by: ["ch", "auditor"]))

        let cyclic = ["a": try Rule.parse("any(b, x)"), "b": try Rule.parse("all(a, y)")]
        #expect(throws: EndorsementError(.invalidContract, "")) {
            try Rule.parse("a").expanded(groups: cyclic, endorsers: ["x", "y"])
        }
        #expect(throws: EndorsementError(.invalidContract, "")) {
            try Rule.parse("any(nobody)").expanded(groups: [:], endorsers: ["x"])
        }
    }
}
