// Shims used only by WinsockSSLTesting (certificate authority, test servers).
#ifndef WINSOCKSSL_COPENSSL_SHIM_TESTING_H
#define WINSOCKSSL_COPENSSL_SHIM_TESTING_H
#endif
