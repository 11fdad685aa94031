import CircleCore

/// Why a client call failed.
public enum ClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The server refused the request.
    case server(CircleError)
    /// The connection closed before the reply arrived.
    case connectionClosed
    /// The server could not be reached.
    case unreachable(String)
    /// The server's certificate did not check out, or TLS could not be agreed: one sentence.
    case insecure(String)
    /// Something the user gave could not be used.
    case usage(String)

    public var description: String {
        switch self {
        case .server(let error): return error.message
        case .connectionClosed: return "The connection to the server closed."
        case .unreachable(let detail): return "Could not reach the server: \(detail)."
        case .usage(let message): return message
        case .insecure(let sentence): return sentence
        }
    }
}
