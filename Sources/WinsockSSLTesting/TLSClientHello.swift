/// The first TLS record of a client's handshake, as far as a test needs it: that it is one, and the server
/// name it asks for (SNI).
///
/// A STARTTLS client that starts its handshake where the server expected a text command (after a refusal,
/// or without asking) sends this; the scripted server recognises it instead of recording binary as a "line",
/// and the recorder reads the name from it to issue a matching certificate.
public struct TLSClientHello: Sendable, Hashable, CustomStringConvertible {
    /// The whole record as received (header included); may be cut short when the client stopped sending.
    public let recordBytes: [UInt8]
    /// The `server_name` extension's host name, nil when the client sent none (CE never did).
    public let serverName: String?
    /// The highest version the client offers: from `supported_versions` when present ("TLSv1.3"), else the
    /// hello's `legacy_version` ("TLSv1.2"); nil when the record is too short to tell.
    public let highestOfferedVersion: String?

    public var description: String {
        var parts = ["a TLS ClientHello"]
        if let highestOfferedVersion { parts.append("offering up to \(highestOfferedVersion)") }
        parts.append(serverName.map { "SNI \(quoted($0))" } ?? "no SNI")
        return parts.joined(separator: ", ")
    }

    /// The TLS record header's content type for handshake messages.
    static let handshakeRecordType: UInt8 = 0x16

    /// Whether `bytes` start like a TLS handshake record (type 22, version 3.x). Needs 2 bytes to say yes.
    static func looksLikeHandshake(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == handshakeRecordType && iterator.next() == 0x03
    }

    /// How many bytes the first record needs in all (5-byte header plus its length); nil before the header is in.
    static func recordLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 5 else { return nil }
        return 5 + (Int(bytes[3]) << 8 | Int(bytes[4]))
    }

    /// Parses the ClientHello in `bytes` (one record; a cut-off record yields what could be read).
    init(record bytes: [UInt8]) {
        recordBytes = bytes
        var reader = ByteReader(bytes)
        var serverName: String?
        var highest: UInt16?
        // Record header, then the handshake header: type 1 (client_hello) and a 24-bit length.
        if reader.skip(5), reader.byte() == 1, reader.skip(3), let legacy = reader.uint16() {
            highest = legacy
            if reader.skip(32), let sessionLength = reader.byte(), reader.skip(Int(sessionLength)),
               let suitesLength = reader.uint16(), reader.skip(Int(suitesLength)),
               let compressionLength = reader.byte(), reader.skip(Int(compressionLength)),
               let extensionsLength = reader.uint16() {
                var extensions = ByteReader(reader.bytes(Int(extensionsLength)) ?? reader.rest())
                while let type = extensions.uint16(), let length = extensions.uint16(), let body = extensions.bytes(Int(length)) {
                    var field = ByteReader(body)
                    switch type {
                    case 0: // server_name: a list of (type, length-prefixed name); type 0 is host_name.
                        _ = field.uint16()
                        while let nameType = field.byte(), let nameLength = field.uint16(), let name = field.bytes(Int(nameLength)) {
                            if nameType == 0 { serverName = String(decoding: name, as: UTF8.self) }
                        }
                    case 43: // supported_versions: a length byte, then 16-bit versions.
                        _ = field.byte()
                        while let version = field.uint16() {
                            // GREASE values (RFC 8701) and anything else outside 3.x are not versions.
                            if version >> 8 == 3 { highest = max(highest ?? 0, version) }
                        }
                    default:
                        break
                    }
                }
            }
        }
        self.serverName = serverName
        highestOfferedVersion = highest.map(Self.versionName)
    }

    private static func versionName(_ version: UInt16) -> String {
        switch version {
        case 0x0300: "SSLv3"
        case 0x0301: "TLSv1"
        case 0x0302: "TLSv1.1"
        case 0x0303: "TLSv1.2"
        case 0x0304: "TLSv1.3"
        default: "0x" + String(version, radix: 16)
        }
    }
}

/// Reads big-endian fields from bytes, answering nil past the end instead of trapping.
private struct ByteReader {
    private let storage: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { storage = bytes }

    mutating func byte() -> UInt8? {
        guard offset < storage.count else { return nil }
        defer { offset += 1 }
        return storage[offset]
    }

    mutating func uint16() -> UInt16? {
        guard let high = byte(), let low = byte() else { return nil }
        return UInt16(high) << 8 | UInt16(low)
    }

    mutating func skip(_ count: Int) -> Bool {
        bytes(count) != nil
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, storage.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(storage[offset..<offset + count])
    }

    mutating func rest() -> [UInt8] {
        defer { offset = storage.count }
        return Array(storage[offset...])
    }
}
