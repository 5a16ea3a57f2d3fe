// Shims used only by WinsockSSLTesting (certificate authority, test servers).
#ifndef WINSOCKSSL_COPENSSL_SHIM_TESTING_H
#define WINSOCKSSL_COPENSSL_SHIM_TESTING_H

// SSL_CTX_add1_chain_cert
static inline long shim_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *x509) { return SSL_CTX_add1_chain_cert(ctx, x509); }

#endif
