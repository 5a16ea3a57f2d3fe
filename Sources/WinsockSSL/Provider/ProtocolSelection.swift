/// The protocols a socket may negotiate, as set with `SO_SSL_SET_PROTOCOLS`.
///
/// CE's values name protocols that are broken today. Each legacy value is read as "the oldest protocol
/// this program can live with", and is raised to TLS 1.2, the oldest version offered here:
///
/// | value | CE meaning | here |
/// |---|---|---|
/// | `SSL_PROTOCOL_PCT1` (1), `SSL_PROTOCOL_SSL2` (2), `SSL_PROTOCOL_SSL3` (3), `SSL_PROTOCOL_TLS1` (4) | that protocol | TLS 1.2 and 1.3 |
/// | `SSL_PROTOCOL_TLS1_2` (0x0303), project extension | — | TLS 1.2 |
/// | `SSL_PROTOCOL_TLS1_3` (0x0304), project extension | — | TLS 1.3 |
///
/// The negotiated range is the lowest to the highest version the list allows.
struct ProtocolSelection: Sendable, Equatable {
    /// One `SSLPROTOCOL` entry: `{ DWORD dwProtocol; DWORD dwVersion; DWORD dwFlags; }`.
    struct Entry: Sendable, Equatable {
        var protocolValue: UInt32
        var version: UInt32
        var flags: UInt32
    }

    var entries: [Entry]
    var minimum: TLSVersion
    var maximum: TLSVersion

    static let standard = ProtocolSelection(
        entries: [Entry(protocolValue: SSL_PROTOCOL_TLS1_2, version: 0, flags: 0),
                  Entry(protocolValue: SSL_PROTOCOL_TLS1_3, version: 0, flags: 0)],
        minimum: .tls1_2, maximum: .tls1_3)

    /// Parses an `SSLPROTOCOLS` structure: `{ DWORD dwCount; SSLPROTOCOL ProtocolList[dwCount]; }`, little-endian.
    init(structure bytes: [UInt8]) throws(WinsockError) {
        guard bytes.count >= 4 else {
            throw WinsockError(.invalidArgument, "SO_SSL_SET_PROTOCOLS needs an SSLPROTOCOLS structure (at least 4 bytes), got \(bytes.count)")
        }
        let count = Int(Self.dword(bytes, 0))
        guard count >= 1, count <= 16 else {
            throw WinsockError(.invalidArgument, "SSLPROTOCOLS.dwCount must be between 1 and 16, got \(count)")
        }
        guard bytes.count == 4 + 12 * count else {
            throw WinsockError(.invalidArgument, "SSLPROTOCOLS with dwCount \(count) is \(4 + 12 * count) bytes, got \(bytes.count)")
        }
        var entries: [Entry] = []
        var versions: [TLSVersion] = []
        for index in 0..<count {
            let base = 4 + 12 * index
            let entry = Entry(protocolValue: Self.dword(bytes, base), version: Self.dword(bytes, base + 4), flags: Self.dword(bytes, base + 8))
            switch entry.protocolValue {
            case SSL_PROTOCOL_PCT1, SSL_PROTOCOL_SSL2, SSL_PROTOCOL_SSL3, SSL_PROTOCOL_TLS1:
                versions += [.tls1_2, .tls1_3]
            case SSL_PROTOCOL_TLS1_2:
                versions.append(.tls1_2)
            case SSL_PROTOCOL_TLS1_3:
                versions.append(.tls1_3)
            default:
                throw WinsockError(.invalidArgument, "unknown protocol value \(entry.protocolValue) in SSLPROTOCOLS entry \(index)")
            }
            entries.append(entry)
        }
        self.entries = entries
        self.minimum = versions.min()!
        self.maximum = versions.max()!
    }

    private init(entries: [Entry], minimum: TLSVersion, maximum: TLSVersion) {
        self.entries = entries
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The `SSLPROTOCOLS` structure, as `SO_SSL_GET_PROTOCOLS` returns it.
    var structure: [UInt8] {
        var bytes = Self.bytes(UInt32(entries.count))
        for entry in entries {
            bytes += Self.bytes(entry.protocolValue) + Self.bytes(entry.version) + Self.bytes(entry.flags)
        }
        return bytes
    }

    static func dword(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)]
    }
}
