/// A contract's approval rule over endorsers and groups (Specs/endorsement.md, "Rules"):
///
///     rule := NAME | "all(" rules ")" | "any(" rules ")" | K "-of(" rules ")"
///     rules := rule ("," rule)*
///
/// NAME is an endorser ID or a group name; K is a positive integer. `all` needs every part,
/// `any` at least one, `K-of` at least K of its parts. Spaces may stand between tokens.
public indirect enum Rule: Sendable, Equatable, CustomStringConvertible {
    case name(String)
    case all([Rule])
    case any([Rule])
    case atLeast(Int, [Rule])

    /// Parses the textual form; throws `invalidContract` naming the position of the mistake.
    public static func parse(_ text: String) throws -> Rule {
        var parser = Parser(text: Array(text))
        let rule = try parser.rule()
        parser.skipSpaces()
        guard parser.position == parser.text.count else { throw parser.error("unexpected \"\(parser.rest)\"") }
        return rule
    }

    /// Whether approvals from the endorsers in `approvers` satisfy the rule. Names must be
    /// endorser IDs (expand groups first with `expanded`).
    public func isSatisfied(by approvers: Set<String>) -> Bool {
        switch self {
        case .name(let name): approvers.contains(name)
        case .all(let parts): parts.allSatisfy { $0.isSatisfied(by: approvers) }
        case .any(let parts): parts.contains { $0.isSatisfied(by: approvers) }
        case .atLeast(let count, let parts): parts.filter { $0.isSatisfied(by: approvers) }.count >= count
        }
    }

    /// Every name the rule mentions, with repetitions, in order.
    public var names: [String] {
        switch self {
        case .name(let name): [name]
        case .all(let parts), .any(let parts), .atLeast(_, let parts): parts.flatMap(\.names)
        }
    }

    /// The rule with every group name replaced by its rule, recursively. Throws for an unknown
    /// name or a group that contains itself.
    public func expanded(groups: [String: Rule], endorsers: Set<String>, seen: [String] = []) throws -> Rule {
        switch self {
        case .name(let name):
            if endorsers.contains(name) { return self }
            guard let group = groups[name] else {
                throw EndorsementError(.invalidContract, "the rule names \"\(name)\", which is neither an endorser nor a group")
            }
            guard !seen.contains(name) else {
                throw EndorsementError(.invalidContract, "group \"\(name)\" contains itself: \((seen + [name]).joined(separator: " -> "))")
            }
            return try group.expanded(groups: groups, endorsers: endorsers, seen: seen + [name])
        case .all(let parts): return .all(try parts.map { try $0.expanded(groups: groups, endorsers: endorsers, seen: seen) })
        case .any(let parts): return .any(try parts.map { try $0.expanded(groups: groups, endorsers: endorsers, seen: seen) })
        case .atLeast(let count, let parts):
            return .atLeast(count, try parts.map { try $0.expanded(groups: groups, endorsers: endorsers, seen: seen) })
        }
    }

    public var description: String {
        switch self {
        case .name(let name): name
        case .all(let parts): "all(\(parts.map(\.description).joined(separator: ", ")))"
        case .any(let parts): "any(\(parts.map(\.description).joined(separator: ", ")))"
        case .atLeast(let count, let parts): "\(count)-of(\(parts.map(\.description).joined(separator: ", ")))"
        }
    }

    private struct Parser {
        let text: [Character]
        var position = 0

        var rest: String { String(text[position...]) }

        func error(_ what: String) -> EndorsementError {
            EndorsementError(.invalidContract, "rule \"\(String(text))\" at character \(position + 1): \(what)")
        }

        mutating func skipSpaces() {
            while position < text.count, text[position].isWhitespace { position += 1 }
        }

        /// Whether the next character after spaces is `character`; consumes it if so.
        mutating func take(_ character: Character) -> Bool {
            skipSpaces()
            guard position < text.count, text[position] == character else { return false }
            position += 1
            return true
        }

        mutating func rule() throws -> Rule {
            skipSpaces()
            let word = token()
            guard !word.isEmpty else { throw error(position < text.count ? "unexpected \"\(text[position])\"" : "a rule is missing") }
            guard take("(") else {
                guard !word.hasSuffix("-of"), word != "all", word != "any" else { throw error("\"\(word)\" needs \"(\"") }
                return .name(word)
            }
            var parts = [try rule()]
            while take(",") {
                parts.append(try rule())
            }
            guard take(")") else { throw error("\")\" expected") }
            switch word {
            case "all": return .all(parts)
            case "any": return .any(parts)
            default:
                guard word.hasSuffix("-of"), let count = Int(word.dropLast(3)), count >= 1 else {
                    throw error("unknown combinator \"\(word)\"; want all, any or K-of")
                }
                guard count <= parts.count else { throw error("\(count)-of has only \(parts.count) parts") }
                return .atLeast(count, parts)
            }
        }

        /// Letters, digits and `-._~`, as endorser IDs and group names are made of.
        mutating func token() -> String {
            let start = position
            while position < text.count, text[position].isLetter || text[position].isNumber || "-._~".contains(text[position]) {
                position += 1
            }
            return String(text[start..<position])
        }
    }
}
