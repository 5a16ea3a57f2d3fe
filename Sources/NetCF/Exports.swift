// Ported code imports NetCF alone and still sees the CE constants (`SO_SECURE`, `SSL_ERR_OKAY`, ...)
// and the hosts table, which live in the WinsockSSL core.
@_exported import WinsockSSL
