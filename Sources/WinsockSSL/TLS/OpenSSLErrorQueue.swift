internal import COpenSSL

/// OpenSSL's per-thread error queue: cleared before each call, drained into the error thrown after it.
package enum OpenSSLErrorQueue {
    package static func clear() {
        ERR_clear_error()
    }

    /// Removes and returns every queued error as OpenSSL's one-line text
    /// (`error:0A000086:SSL routines::certificate verify failed`).
    package static func drain() -> [String] {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages
    }

    /// The reason part of the most recent error (`certificate verify failed`), used to tell causes apart.
    package static func reasons(_ messages: [String]) -> [String] {
        messages.map { message in
            message.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? message
        }
    }
}
