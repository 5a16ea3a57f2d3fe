#if canImport(Glibc)
internal import Glibc
#endif

func gethostnameShim(_ buffer: inout [CChar]) -> Bool {
    gethostname(&buffer, buffer.count - 1) == 0
}
