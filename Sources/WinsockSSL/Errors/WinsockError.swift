#if canImport(Glibc)
internal import Glibc
#endif

/// A Winsock error: the WSA number a Windows CE program would have seen, and what went wrong.
///
/// Every failure of this package's sockets is reported as a `WinsockError`. The `code` is the value
/// that `WSAGetLastError()` returned on Windows CE (and that .NET's `SocketException.ErrorCode` carries);
/// `detail` names the problem in words. TLS failures add the certificate hook's `SSL_ERR_*` return
/// value or OpenSSL's verification reason.
public struct WinsockError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The WSA error number.
    public var code: Code
    /// What happened, in words a person can act on.
    public var detail: String
    /// The `SSL_ERR_*` value returned by the certificate hook when it rejected the certificate.
    public var certificateHookResult: Int32?
    /// OpenSSL's reason when certificate verification failed (for example "certificate has expired").
    public var verificationFailure: String?

    public init(_ code: Code, _ detail: String, certificateHookResult: Int32? = nil, verificationFailure: String? = nil) {
        self.code = code
        self.detail = detail
        self.certificateHookResult = certificateHookResult
        self.verificationFailure = verificationFailure
    }

    public var description: String { "\(code.name) (\(code.rawValue)): \(detail)" }
}

extension WinsockError {
    /// A Winsock error number with its Swift name.
    ///
    /// This is the one table of WSA numbers in the package; `init(errno:)` and `init(addressInfoError:)`
    /// translate Linux errors into it.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let interrupted = Code(rawValue: 10004)              // WSAEINTR
        public static let badDescriptor = Code(rawValue: 10009)            // WSAEBADF
        public static let accessDenied = Code(rawValue: 10013)             // WSAEACCES
        public static let badAddress = Code(rawValue: 10014)               // WSAEFAULT
        public static let invalidArgument = Code(rawValue: 10022)          // WSAEINVAL
        public static let tooManyOpenSockets = Code(rawValue: 10024)       // WSAEMFILE
        public static let wouldBlock = Code(rawValue: 10035)               // WSAEWOULDBLOCK
        public static let inProgress = Code(rawValue: 10036)               // WSAEINPROGRESS
        public static let alreadyInProgress = Code(rawValue: 10037)        // WSAEALREADY
        public static let notSocket = Code(rawValue: 10038)                // WSAENOTSOCK
        public static let destinationAddressRequired = Code(rawValue: 10039) // WSAEDESTADDRREQ
        public static let messageTooLong = Code(rawValue: 10040)           // WSAEMSGSIZE
        public static let protocolType = Code(rawValue: 10041)             // WSAEPROTOTYPE
        public static let protocolOption = Code(rawValue: 10042)           // WSAENOPROTOOPT
        public static let protocolNotSupported = Code(rawValue: 10043)     // WSAEPROTONOSUPPORT
        public static let socketTypeNotSupported = Code(rawValue: 10044)   // WSAESOCKTNOSUPPORT
        public static let operationNotSupported = Code(rawValue: 10045)    // WSAEOPNOTSUPP
        public static let addressFamilyNotSupported = Code(rawValue: 10047) // WSAEAFNOSUPPORT
        public static let addressInUse = Code(rawValue: 10048)             // WSAEADDRINUSE
        public static let addressNotAvailable = Code(rawValue: 10049)      // WSAEADDRNOTAVAIL
        public static let networkDown = Code(rawValue: 10050)              // WSAENETDOWN
        public static let networkUnreachable = Code(rawValue: 10051)       // WSAENETUNREACH
        public static let networkReset = Code(rawValue: 10052)             // WSAENETRESET
        public static let connectionAborted = Code(rawValue: 10053)        // WSAECONNABORTED
        public static let connectionReset = Code(rawValue: 10054)          // WSAECONNRESET
        public static let noBufferSpace = Code(rawValue: 10055)            // WSAENOBUFS
        public static let isConnected = Code(rawValue: 10056)              // WSAEISCONN
        public static let notConnected = Code(rawValue: 10057)             // WSAENOTCONN
        public static let shutDown = Code(rawValue: 10058)                 // WSAESHUTDOWN
        public static let timedOut = Code(rawValue: 10060)                 // WSAETIMEDOUT
        public static let connectionRefused = Code(rawValue: 10061)        // WSAECONNREFUSED
        public static let hostDown = Code(rawValue: 10064)                 // WSAEHOSTDOWN
        public static let hostUnreachable = Code(rawValue: 10065)          // WSAEHOSTUNREACH
        public static let hostNotFound = Code(rawValue: 11001)             // WSAHOST_NOT_FOUND
        public static let tryAgain = Code(rawValue: 11002)                 // WSATRY_AGAIN
        public static let noRecovery = Code(rawValue: 11003)               // WSANO_RECOVERY
        public static let noData = Code(rawValue: 11004)                   // WSANO_DATA

        private static let names: [Int32: String] = [
            10004: "WSAEINTR", 10009: "WSAEBADF", 10013: "WSAEACCES", 10014: "WSAEFAULT",
            10022: "WSAEINVAL", 10024: "WSAEMFILE", 10035: "WSAEWOULDBLOCK", 10036: "WSAEINPROGRESS",
            10037: "WSAEALREADY", 10038: "WSAENOTSOCK", 10039: "WSAEDESTADDRREQ", 10040: "WSAEMSGSIZE",
            10041: "WSAEPROTOTYPE", 10042: "WSAENOPROTOOPT", 10043: "WSAEPROTONOSUPPORT",
            10044: "WSAESOCKTNOSUPPORT", 10045: "WSAEOPNOTSUPP", 10047: "WSAEAFNOSUPPORT",
            10048: "WSAEADDRINUSE", 10049: "WSAEADDRNOTAVAIL", 10050: "WSAENETDOWN", 10051: "WSAENETUNREACH",
            10052: "WSAENETRESET", 10053: "WSAECONNABORTED", 10054: "WSAECONNRESET", 10055: "WSAENOBUFS",
            10056: "WSAEISCONN", 10057: "WSAENOTCONN", 10058: "WSAESHUTDOWN", 10060: "WSAETIMEDOUT",
            10061: "WSAECONNREFUSED", 10064: "WSAEHOSTDOWN", 10065: "WSAEHOSTUNREACH",
            11001: "WSAHOST_NOT_FOUND", 11002: "WSATRY_AGAIN", 11003: "WSANO_RECOVERY", 11004: "WSANO_DATA",
        ]

        /// The Winsock header name, such as `WSAECONNREFUSED`.
        public var name: String { Self.names[rawValue] ?? "WSA error" }
        public var description: String { "\(name) (\(rawValue))" }

        /// The Winsock error that corresponds to a Linux `errno` value.
        public init(errno value: Int32) {
            switch value {
            case EINTR: self = .interrupted
            case EBADF: self = .badDescriptor
            case EACCES, EPERM: self = .accessDenied
            case EFAULT: self = .badAddress
            case EINVAL: self = .invalidArgument
            case EMFILE, ENFILE: self = .tooManyOpenSockets
            case EAGAIN: self = .wouldBlock
            case EINPROGRESS: self = .inProgress
            case EALREADY: self = .alreadyInProgress
            case ENOTSOCK: self = .notSocket
            case EDESTADDRREQ: self = .destinationAddressRequired
            case EMSGSIZE: self = .messageTooLong
            case EPROTOTYPE: self = .protocolType
            case ENOPROTOOPT: self = .protocolOption
            case EPROTONOSUPPORT: self = .protocolNotSupported
            case ESOCKTNOSUPPORT: self = .socketTypeNotSupported
            case EOPNOTSUPP: self = .operationNotSupported
            case EAFNOSUPPORT: self = .addressFamilyNotSupported
            case EADDRINUSE: self = .addressInUse
            case EADDRNOTAVAIL: self = .addressNotAvailable
            case ENETDOWN: self = .networkDown
            case ENETUNREACH: self = .networkUnreachable
            case ENETRESET: self = .networkReset
            case ECONNABORTED: self = .connectionAborted
            case ECONNRESET, EPIPE: self = .connectionReset
            case ENOBUFS, ENOMEM: self = .noBufferSpace
            case EISCONN: self = .isConnected
            case ENOTCONN: self = .notConnected
            case ESHUTDOWN: self = .shutDown
            case ETIMEDOUT: self = .timedOut
            case ECONNREFUSED: self = .connectionRefused
            case EHOSTDOWN: self = .hostDown
            case EHOSTUNREACH: self = .hostUnreachable
            default: self = .invalidArgument
            }
        }

        /// The Winsock error that corresponds to a `getaddrinfo` failure (`EAI_*`).
        public init(addressInfoError value: Int32) {
            switch value {
            case EAI_NONAME, glibcEAI_NODATA, glibcEAI_ADDRFAMILY: self = .hostNotFound
            case EAI_AGAIN: self = .tryAgain
            case EAI_FAIL: self = .noRecovery
            case EAI_FAMILY: self = .addressFamilyNotSupported
            case EAI_MEMORY: self = .noBufferSpace
            case EAI_SERVICE, EAI_SOCKTYPE: self = .socketTypeNotSupported
            default: self = .noRecovery
            }
        }
    }

    /// An error built from the current `errno`, naming the call that failed.
    static func lastSystemError(_ call: String, errno value: Int32) -> WinsockError {
        let message = String(cString: strerror(value))
        return WinsockError(Code(errno: value), "\(call) failed: \(message)")
    }
}

// glibc declares these two only under _GNU_SOURCE, which Swift's Glibc module does not define;
// the values are those of glibc's <netdb.h>.
let glibcEAI_NODATA: Int32 = -5
let glibcEAI_ADDRFAMILY: Int32 = -9
