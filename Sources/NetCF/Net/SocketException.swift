/// A socket failure with its Winsock error number.
///
/// TLS failures carry more: `CertificateHookResult` is the `SSL_ERR_*` value a certificate hook returned
/// when it rejected the server, and `VerificationFailure` is OpenSSL's reason when the chain or name did
/// not verify (see MIGRATION.md for which number each failure gets).
///
/// The corresponding .NET type is `System.Net.Sockets.SocketException`.
public struct SocketException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.Net.Sockets.SocketException"

    /// The core error this exception reports.
    public let winsockError: WinsockError

    public init(_ error: WinsockError) {
        winsockError = error
    }

    /// Creates an exception for a Winsock error number, as `new SocketException(int)` does.
    public init(_ errorCode: Int32) {
        let code = WinsockError.Code(rawValue: errorCode)
        winsockError = WinsockError(code, code.name)
    }

    /// The corresponding .NET member is `SocketException.ErrorCode`.
    public var ErrorCode: Int32 { winsockError.code.rawValue }
    /// The corresponding .NET member is `SocketException.NativeErrorCode`.
    public var NativeErrorCode: Int32 { winsockError.code.rawValue }
    /// The corresponding .NET member is `SocketException.SocketErrorCode`.
    public var SocketErrorCode: SocketError { SocketError(rawValue: winsockError.code.rawValue) }
    /// The corresponding .NET member is `Exception.Message`.
    public var Message: String { "\(winsockError.detail) (\(winsockError.code.name) \(winsockError.code.rawValue))" }
    /// The `SSL_ERR_*` value the certificate hook returned, when a hook rejected the certificate.
    public var CertificateHookResult: Int32? { winsockError.certificateHookResult }
    /// OpenSSL's verification reason, when certificate verification failed.
    public var VerificationFailure: String? { winsockError.verificationFailure }
}

/// An I/O failure of a stream; a socket failure underneath is its `InnerException`.
///
/// A class, unlike NetCF's other exceptions, because .NET derives exceptions from it that ported code catches
/// as `IOException` (`EndOfStreamException`): `catch let e as IOException` catches them too, as C#'s
/// `catch (IOException e)` does. A program may derive its own (`final class ProtocolException: IOException,
/// @unchecked Sendable`, overriding `dotNetTypeName`).
///
/// The corresponding .NET type is `System.IO.IOException`.
open class IOException: DotNetException, @unchecked Sendable {
    // Immutable after init, hence unchecked.
    open class var dotNetTypeName: String { "System.IO.IOException" }
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String
    /// The corresponding .NET member is `Exception.InnerException`.
    public let InnerException: (any Error)?

    public init(_ message: String = "I/O error occurred.", _ innerException: (any Error)? = nil) {
        Message = message
        InnerException = innerException
    }

    /// "System.IO.EndOfStreamException: message" for a derived exception: the name of the runtime class.
    ///
    /// The corresponding .NET member is `Exception.ToString()` (without a stack trace).
    public var description: String { "\(type(of: self).dotNetTypeName): \(Message)" }
}
