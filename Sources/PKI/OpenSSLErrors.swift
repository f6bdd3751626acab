internal import COpenSSL

/// Turns OpenSSL's per-thread error queue into text for `PKIError` messages.
///
/// Every OpenSSL call that can fail pushes entries onto a queue that belongs to
/// the calling thread. Left there, they would surface in an unrelated later call,
/// so each failure path drains the queue and each success path that may leave
/// harmless entries behind (such as "no more PEM blocks") clears it.
enum OpenSSLErrors {
    /// Empties the queue and returns its entries, oldest first, joined by "; ".
    static func drain() -> String {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while case let code = ERR_get_error(), code != 0 {
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(nulTerminated: buffer))
        }
        return messages.isEmpty ? "no OpenSSL error reported" : messages.joined(separator: "; ")
    }

    /// Empties the queue without reading it.
    static func clear() {
        ERR_clear_error()
    }

    /// A `PKIError` whose message is `what` followed by the drained queue.
    static func error(_ code: PKIError.Code, _ what: String) -> PKIError {
        PKIError(code, "\(what): \(drain())")
    }

    /// True when the most recent queued error is PEM's "no start line": the reader
    /// ran out of PEM blocks rather than meeting a broken one.
    static func lastIsEndOfPEM() -> Bool {
        let code = ERR_peek_last_error()
        return code == 0 || (ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE)
    }
}
