/// The body of an error response: `{"error":"<code>","message":"..."}`. RFC 6962 leaves
/// error bodies unspecified; `error` is a stable code, `message` is for people.
public struct ErrorResponse: Codable, Sendable, Hashable {
    public var error: String
    public var message: String

    public init(error: String, message: String) {
        self.error = error
        self.message = message
    }
}
