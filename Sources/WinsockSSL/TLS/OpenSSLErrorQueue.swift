internal import COpenSSL

/// OpenSSL's per-thread error queue: cleared before each call, drained into the error thrown after it.
package enum OpenSSLErrorQueue {
    /// One queued error, kept as OpenSSL's packed code; the text is only for messages.
    package struct Entry: Sendable, Hashable {
        /// The packed code `ERR_get_error` returned.
        package let code: UInt

        /// The library that raised it (`ERR_LIB_SSL`, …). Maps to `ERR_GET_LIB`.
        package var library: Int32 { ERR_GET_LIB(code) }
        /// The reason within the library (`SSL_R_UNEXPECTED_EOF_WHILE_READING`, …). Maps to `ERR_GET_REASON`.
        package var reason: Int32 { ERR_GET_REASON(code) }

        /// True for the SSL library's reason `reason`.
        package func isSSL(_ reason: Int32) -> Bool { library == ERR_LIB_SSL && self.reason == reason }

        /// OpenSSL's one-line text (`error:0A000086:SSL routines::certificate verify failed`).
        package var text: String {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        /// The reason part of the text (`certificate verify failed`).
        package var reasonText: String {
            text.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? text
        }
    }

    /// Empties the queue. Usually it is already empty: looking (`ERR_peek_error`, what `SSL_get_error`
    /// itself consults) costs a fraction of `ERR_clear_error`, which resets all 16 slots, and the engine
    /// clears before every OpenSSL call.
    package static func clear() {
        if ERR_peek_error() != 0 { ERR_clear_error() }
    }

    /// Removes and returns every queued error, oldest first.
    package static func drainEntries() -> [Entry] {
        var entries: [Entry] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            entries.append(Entry(code: code))
        }
        return entries
    }

    /// Removes and returns every queued error as OpenSSL's one-line text
    /// (`error:0A000086:SSL routines::certificate verify failed`).
    package static func drain() -> [String] {
        drainEntries().map(\.text)
    }

    /// The reason part of each message (`certificate verify failed`), used to tell causes apart.
    package static func reasons(_ messages: [String]) -> [String] {
        messages.map { message in
            message.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? message
        }
    }
}
