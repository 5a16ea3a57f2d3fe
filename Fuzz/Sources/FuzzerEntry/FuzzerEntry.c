// SwiftPM links an executable target with `main` defined as `<target>_main`, so libFuzzer's own `main`
// is never used. These entry points hand over to libFuzzer's driver instead, with the target's
// `LLVMFuzzerTestOneInput` (each fuzzer executable defines exactly one).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int FuzzSSLControlRequest_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }
int FuzzStreamReader_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }
