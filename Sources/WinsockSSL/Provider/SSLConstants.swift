// The constants of the Windows CE secure socket API, with the names and values of the CE SDK headers
// `winsock.h` and `sslsock.h` (see WINCE_SSL_REFERENCE.md, sections 1-3).
//
// Types follow how ported code uses them: option names and values are `Int32` (C# `int`, what
// `SetSocketOption` takes); ioctl codes are `Int32` bit patterns, which is exactly what C#'s
// `unchecked((int)SO_SSL_SET_FLAGS)` produces, so `socket.IOControl(SO_SSL_SET_FLAGS, ...)` needs no cast;
// hook return codes are `Int32` (the hook returns `int`); flag and type values are `UInt32` (`DWORD`).
//
// These are global constants because the CE headers made them macros that C and C# code names bare.
// swiftlint:disable identifier_name

// MARK: winsock.h

public let SOL_SOCKET: Int32 = 0xffff
public let SO_SECURE: Int32 = 0x2001
public let SO_SEC_NONE: Int32 = 0x2002
public let SO_SEC_SSL: Int32 = 0x2004
public let IOC_VOID: UInt32 = 0x2000_0000
public let IOC_OUT: UInt32 = 0x4000_0000
public let IOC_IN: UInt32 = 0x8000_0000

// MARK: sslsock.h control codes

public let SO_SSL_FAMILY: UInt32 = 0x0073_0000
public let _SO_SSL: UInt32 = (2 << 27) | SO_SSL_FAMILY

public let _SO_SSL_CAPABILITIES: UInt32 = 0x01
public let _SO_SSL_FLAGS: UInt32 = 0x02
public let _SO_SSL_PROTOCOLS: UInt32 = 0x03
public let _SO_SSL_CIPHERS: UInt32 = 0x04
public let _SO_SSL_CLIENT_OPTS: UInt32 = 0x05
public let _SO_SSL_SERVER_OPTS: UInt32 = 0x06
public let _SO_SSL_CLIENT_AUTH_OPTS: UInt32 = 0x07
public let _SO_SSL_VALIDATE_CERT_HOOK: UInt32 = 0x08
public let _SO_SSL_AUTH_REQUEST_HOOK: UInt32 = 0x09
public let _SO_SSL_KEY_EXCH_HOOK: UInt32 = 0x0a
public let _SO_SSL_SIGNATURE_HOOK: UInt32 = 0x0b
public let _SO_SSL_PERFORM_HANDSHAKE: UInt32 = 0x0d
public let _SO_SSL_CONNECTION_INFO: UInt32 = 0x0e
public let _SO_SSL_PEERNAME: UInt32 = 0x0f

public let SO_SSL_GET_CAPABILITIES = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_CAPABILITIES)
public let SO_SSL_SET_FLAGS = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_FLAGS)
public let SO_SSL_GET_FLAGS = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_FLAGS)
public let SO_SSL_SET_PROTOCOLS = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_PROTOCOLS)
public let SO_SSL_GET_PROTOCOLS = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_PROTOCOLS)
public let SO_SSL_SET_CIPHERS = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_CIPHERS)
public let SO_SSL_GET_CIPHERS = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_CIPHERS)
public let SO_SSL_SET_CLIENT_OPTS = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_CLIENT_OPTS)
public let SO_SSL_GET_CLIENT_OPTS = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_CLIENT_OPTS)
public let SO_SSL_SET_SERVER_OPTS = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_SERVER_OPTS)
public let SO_SSL_GET_SERVER_OPTS = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_SERVER_OPTS)
public let SO_SSL_SET_CLIENT_AUTH_OPTS = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_CLIENT_AUTH_OPTS)
public let SO_SSL_GET_CLIENT_AUTH_OPTS = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_CLIENT_AUTH_OPTS)
public let SO_SSL_SET_VALIDATE_CERT_HOOK = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK)
public let SO_SSL_GET_VALIDATE_CERT_HOOK = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_VALIDATE_CERT_HOOK)
public let SO_SSL_SET_AUTH_REQUEST_HOOK = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_AUTH_REQUEST_HOOK)
public let SO_SSL_GET_AUTH_REQUEST_HOOK = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_AUTH_REQUEST_HOOK)
public let SO_SSL_SET_KEY_EXCH_HOOK = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_KEY_EXCH_HOOK)
public let SO_SSL_GET_KEY_EXCH_HOOK = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_KEY_EXCH_HOOK)
public let SO_SSL_SET_SIGNATURE_HOOK = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_SIGNATURE_HOOK)
public let SO_SSL_GET_SIGNATURE_HOOK = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_SIGNATURE_HOOK)
/// Has no direction bit in `sslsock.h`.
public let SO_SSL_PERFORM_HANDSHAKE = Int32(bitPattern: _SO_SSL | _SO_SSL_PERFORM_HANDSHAKE)
public let SO_SSL_GET_CONNECTION_INFO = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_CONNECTION_INFO)
/// The one public definition uses `IOC_OUT` although the name is an input; this package accepts it and
/// `SO_SSL_SET_PEERNAME_IN`, the `IOC_IN` spelling (a project decision, see MIGRATION.md).
public let SO_SSL_SET_PEERNAME = Int32(bitPattern: IOC_OUT | _SO_SSL | _SO_SSL_PEERNAME)
public let SO_SSL_SET_PEERNAME_IN = Int32(bitPattern: IOC_IN | _SO_SSL | _SO_SSL_PEERNAME)

// MARK: Hook return codes (there is no 1)

public let SSL_ERR_OKAY: Int32 = 0
public let SSL_ERR_FAILED: Int32 = 2
public let SSL_ERR_BAD_LEN: Int32 = 3
public let SSL_ERR_BAD_TYPE: Int32 = 4
public let SSL_ERR_BAD_DATA: Int32 = 5
public let SSL_ERR_NO_CERT: Int32 = 6
public let SSL_ERR_BAD_SIG: Int32 = 7
public let SSL_ERR_CERT_EXPIRED: Int32 = 8
public let SSL_ERR_CERT_REVOKED: Int32 = 9
public let SSL_ERR_CERT_UNKNOWN: Int32 = 10
public let SSL_ERR_SIGNATURE: Int32 = 11

/// The `sslsock.h` name of a hook return code, for messages.
public func sslErrorName(_ value: Int32) -> String {
    switch value {
    case SSL_ERR_OKAY: "SSL_ERR_OKAY"
    case SSL_ERR_FAILED: "SSL_ERR_FAILED"
    case SSL_ERR_BAD_LEN: "SSL_ERR_BAD_LEN"
    case SSL_ERR_BAD_TYPE: "SSL_ERR_BAD_TYPE"
    case SSL_ERR_BAD_DATA: "SSL_ERR_BAD_DATA"
    case SSL_ERR_NO_CERT: "SSL_ERR_NO_CERT"
    case SSL_ERR_BAD_SIG: "SSL_ERR_BAD_SIG"
    case SSL_ERR_CERT_EXPIRED: "SSL_ERR_CERT_EXPIRED"
    case SSL_ERR_CERT_REVOKED: "SSL_ERR_CERT_REVOKED"
    case SSL_ERR_CERT_UNKNOWN: "SSL_ERR_CERT_UNKNOWN"
    case SSL_ERR_SIGNATURE: "SSL_ERR_SIGNATURE"
    default: "unknown SSL_ERR value"
    }
}

// MARK: Capabilities, flags, protocols

public let SSL_CAP_CLIENT: UInt32 = 0x1
public let SSL_CAP_SERVER: UInt32 = 0x2
public let SSL_CAP_CLIENT_AUTH: UInt32 = 0x4
public let SSL_CAP_CRYPTOAPI: UInt32 = 0x8

public let SSL_FLAG_SERVER: UInt32 = 0x2
public let SSL_FLAG_AUTH_CLIENT: UInt32 = 0x4
public let SSL_FLAG_DEFER_HANDSHAKE: UInt32 = 0x8

public let SSL_PROTOCOL_PCT1: UInt32 = 1
public let SSL_PROTOCOL_SSL2: UInt32 = 2
public let SSL_PROTOCOL_SSL3: UInt32 = 3
/// Later CE headers add a TLS 1.0 value whose number is not confirmed; 4 is this project's reading.
public let SSL_PROTOCOL_TLS1: UInt32 = 4
/// Project extension: the TLS wire version as the protocol value, to ask for TLS 1.2 or 1.3 explicitly.
public let SSL_PROTOCOL_TLS1_2: UInt32 = 0x0303
/// Project extension, see `SSL_PROTOCOL_TLS1_2`.
public let SSL_PROTOCOL_TLS1_3: UInt32 = 0x0304

public let SSL_PROT_PCT1_SERVER: UInt32 = 0x1
public let SSL_PROT_PCT1_CLIENT: UInt32 = 0x2
public let SSL_PROT_SSL2_SERVER: UInt32 = 0x4
public let SSL_PROT_SSL2_CLIENT: UInt32 = 0x8
public let SSL_PROT_SSL3_SERVER: UInt32 = 0x10
public let SSL_PROT_SSL3_CLIENT: UInt32 = 0x20
/// Beyond CE: the SChannel values (`schannel.h` `SP_PROT_TLS1_2_CLIENT`, `SP_PROT_TLS1_3_CLIENT`), which later
/// Windows reports in the same field.
public let SSL_PROT_TLS1_2_CLIENT: UInt32 = 0x800
public let SSL_PROT_TLS1_3_CLIENT: UInt32 = 0x2000

// MARK: Certificates

public let SSL_CERT_X509: UInt32 = 0x0001
public let SSL_CERT_FLAG_ISSUER_UNKNOWN: UInt32 = 0x0001

// MARK: ALG_ID values (wincrypt.h) reported by SO_SSL_GET_CONNECTION_INFO

public let CALG_AES_128: UInt32 = 0x660e
public let CALG_AES_256: UInt32 = 0x6610
public let CALG_SHA_256: UInt32 = 0x800c
public let CALG_SHA_384: UInt32 = 0x800d
public let CALG_RSA_KEYX: UInt32 = 0xa400
public let CALG_DH_EPHEM: UInt32 = 0xaa02
public let CALG_ECDH_EPHEM: UInt32 = 0xae06
// swiftlint:enable identifier_name
