// Ported code imports NetCF alone and still sees the CE constants (`SO_SECURE`, `SSL_ERR_OKAY`, ...)
// and the hosts table, which live in the WinsockSSL core.
@_exported import WinsockSSL
// `Exception("message")` (C#'s `new Exception(message)`) is a function of this module; see its file.
@_exported import NetCFException
