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
public struct ProtocolSelection: Sendable, Equatable {
    /// One `SSLPROTOCOL` entry: `{ DWORD dwProtocol; DWORD dwVersion; DWORD dwFlags; }`.
    public struct Entry: Sendable, Equatable {
        public var protocolValue: UInt32
        public var version: UInt32
        public var flags: UInt32

        public init(protocolValue: UInt32, version: UInt32 = 0, flags: UInt32 = 0) {
            self.protocolValue = protocolValue
            self.version = version
            self.flags = flags
        }
    }

    public private(set) var entries: [Entry]
    /// The oldest version the list allows.
    public private(set) var minimum: TLSVersion
    /// The newest version the list allows.
    public private(set) var maximum: TLSVersion

    /// TLS 1.2 and 1.3: what a socket negotiates until `SO_SSL_SET_PROTOCOLS`.
    public static let standard = ProtocolSelection(
        entries: [Entry(protocolValue: SSL_PROTOCOL_TLS1_2, version: 0, flags: 0),
                  Entry(protocolValue: SSL_PROTOCOL_TLS1_3, version: 0, flags: 0)],
        minimum: .tls1_2, maximum: .tls1_3)

    /// Parses an `SSLPROTOCOLS` structure: `{ DWORD dwCount; SSLPROTOCOL ProtocolList[dwCount]; }`, little-endian.
    public init(structure bytes: [UInt8]) throws(WinsockError) {
        guard bytes.count >= 4 else {
            throw WinsockError(.invalidArgument, "SO_SSL_SET_PROTOCOLS needs an SSLPROTOCOLS structure (at least 4 bytes), got \(bytes.count)")
        }
        let count = Int(LittleEndian.dword(bytes, 0))
        guard count >= 1, count <= 16 else {
            throw WinsockError(.invalidArgument, "SSLPROTOCOLS.dwCount must be between 1 and 16, got \(count)")
        }
        guard bytes.count == 4 + 12 * count else {
            throw WinsockError(.invalidArgument, "SSLPROTOCOLS with dwCount \(count) is \(4 + 12 * count) bytes, got \(bytes.count)")
        }
        try self.init(entries: (0..<count).map { index in
            let base = 4 + 12 * index
            return Entry(protocolValue: LittleEndian.dword(bytes, base), version: LittleEndian.dword(bytes, base + 4),
                         flags: LittleEndian.dword(bytes, base + 8))
        })
    }

    /// A list of `SSLPROTOCOL` entries, as a program fills `SSLPROTOCOLS.ProtocolList`. Between 1 and 16
    /// entries, each with a protocol value of the table above.
    public init(entries: [Entry]) throws(WinsockError) {
        guard entries.count >= 1, entries.count <= 16 else {
            throw WinsockError(.invalidArgument, "SSLPROTOCOLS.dwCount must be between 1 and 16, got \(entries.count)")
        }
        var versions: [TLSVersion] = []
        for (index, entry) in entries.enumerated() {
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
    public var structure: [UInt8] {
        var bytes = LittleEndian.bytes(UInt32(entries.count))
        for entry in entries {
            bytes += LittleEndian.bytes(entry.protocolValue) + LittleEndian.bytes(entry.version) + LittleEndian.bytes(entry.flags)
        }
        return bytes
    }
}
