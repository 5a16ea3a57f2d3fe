// Shims used by the certificate model (WinsockSSL/TLS/Certificate.swift).
#ifndef WINSOCKSSL_COPENSSL_SHIM_CERTIFICATES_H
#define WINSOCKSSL_COPENSSL_SHIM_CERTIFICATES_H
#endif
