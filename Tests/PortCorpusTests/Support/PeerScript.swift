import Foundation

/// One step of a conversation a peer holds with the port under test.
enum PeerStep: Sendable {
    /// Start TLS (server side) now; the steps before it are plain text.
    case tls
    /// Read until these bytes have arrived; what came before them is skipped.
    case expect([UInt8])
    /// Send these bytes.
    case send([UInt8])

    static func expect(_ text: String) -> PeerStep { .expect(Array(text.utf8)) }
    static func send(_ text: String) -> PeerStep { .send(Array(text.utf8)) }
}

/// What a peer's side of the conversation is: the steps before `.tls` (plain text) and after it.
struct PeerScript: Sendable {
    var steps: [PeerStep]

    init(_ steps: [PeerStep]) { self.steps = steps }

    /// The plain-text steps before TLS starts (empty when TLS starts at once).
    var plainSteps: [PeerStep] { Array(steps.prefix { if case .tls = $0 { false } else { true } }) }
    /// The steps inside TLS.
    var tlsSteps: [PeerStep] { Array(steps.drop { if case .tls = $0 { false } else { true } }.dropFirst()) }

    /// The JSON `script_peer.py` reads.
    func json(certificatePath: String, keyPath: String, version: String) -> String {
        let steps = self.steps.map { step -> String in
            switch step {
            case .tls: return #"{"op": "tls"}"#
            case .expect(let bytes): return #"{"op": "expect", "hex": "\#(hex(bytes))"}"#
            case .send(let bytes): return #"{"op": "send", "hex": "\#(hex(bytes))"}"#
            }
        }
        return #"{"cert": "\#(certificatePath)", "key": "\#(keyPath)", "tls": "\#(version)", "steps": [\#(steps.joined(separator: ", "))]}"#
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// The peer did not hold its side of the conversation.
struct PeerScriptFailure: Error, CustomStringConvertible {
    var description: String
}

/// The offset just past the first occurrence of `needle` in `haystack` at or after `start`, or nil.
func endOfMatch(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard !needle.isEmpty else { return start }
    guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    for index in start...(haystack.count - needle.count) where haystack[index..<(index + needle.count)].elementsEqual(needle) {
        return index + needle.count
    }
    return nil
}
