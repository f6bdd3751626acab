import LogCore
import LogFormat

/// The get-entries answer (RFC 6962 section 4.6) written from the entries' bytes: the same
/// JSON as `GetEntriesResponse`, without first making a base64 string of every field.
struct EntriesBody: JSONWritable {
    let entries: [LogEntry]

    /// The body's exact length is known up front, so the writer never grows.
    var byteCount: Int {
        entries.reduce(14) {
            $0 + 34 + JSONWriter.base64Length(of: $1.leafInput.count) + JSONWriter.base64Length(of: $1.extraData.count)
        }
    }

    func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.key("entries")
            json.array { list in
                for entry in entries {
                    list.object { item in
                        item.key("leaf_input"); item.base64(entry.leafInput)
                        item.key("extra_data"); item.base64(entry.extraData)
                    }
                }
            }
        }
    }
}
