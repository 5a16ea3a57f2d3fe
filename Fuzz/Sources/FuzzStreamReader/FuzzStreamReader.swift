import NetCF

/// `StreamReader` fed from a `MemoryStream`: the first byte chooses the encoding, BOM detection and a mix
/// of read calls; the rest is the stream. Whatever the bytes, every call returns or throws a .NET
/// exception; lines never contain a line break, and reading ends at the end of the stream.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStreamReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let control = bytes.first else { return 0 }
    let encoding = control & 1 == 0 ? Encoding.UTF8 : Encoding.ASCII
    let reader = StreamReader(MemoryStream(Array(bytes.dropFirst())), encoding, control & 2 != 0)
    var step = UInt32(control)
    // Every consuming call takes at least one character or reports the end, so this many are enough.
    var consumingCallsLeft = bytes.count + 4
    do {
        while true {
            step = step &* 1_103_515_245 &+ 12_345
            switch step >> 29 {
            case 0, 1, 2, 3:
                guard let line = try reader.ReadLine() else { return 0 }
                precondition(!line.contains("\n") && !line.contains("\r"), "ReadLine returned a line break")
                consumingCallsLeft -= 1
            case 4:
                if try reader.Read() == -1 { return 0 }
                consumingCallsLeft -= 1
            case 5:
                _ = try reader.Peek()
            case 6:
                if try reader.EndOfStream { return 0 }
            default:
                _ = try reader.ReadToEnd()
                let after = try reader.ReadLine()
                precondition(after == nil, "a line after ReadToEnd")
                return 0
            }
            precondition(consumingCallsLeft >= 0, "the reader never reached the end of \(bytes.count - 1) bytes")
        }
    } catch {
        preconditionFailure("StreamReader over a MemoryStream threw \(error)")
    }
}
