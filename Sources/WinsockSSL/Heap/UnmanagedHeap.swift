internal import Glibc
import Synchronization

/// A 32-bit address space that stands in for the unmanaged memory of a Windows CE process.
///
/// Code written for 32-bit Windows CE passes pointers through byte buffers: the certificate hook
/// structure is two 4-byte addresses, and the blog's `SslHelper` hands `SO_SSL_PERFORM_HANDSHAKE` the
/// address of a host name. On a 64-bit Linux host real pointers do not fit in 4 bytes, so memory
/// obtained through `Marshal.AllocHGlobal` lives here instead: every address fits in 31 bits (so
/// `IntPtr.ToInt32()` is never negative and round-trips through `BitConverter`), and every access is
/// checked. Reading or writing outside a live block, freeing twice or using a freed block throws
/// `HeapAccessError`; no real memory is ever touched.
///
/// Function pointers (what `Marshal.GetFunctionPointerForDelegate` returns) are addresses in a
/// separate code range of the same space; the SSL provider looks the certificate hook up by address.
public final class UnmanagedHeap: Sendable {
    /// The heap of this process, shared by `Marshal` and the SSL provider as CE's process heap was.
    public static let shared = UnmanagedHeap()

    /// The lowest and highest addresses handed out for data. Kept below 2^31 so addresses are positive `Int32`s.
    static let dataRange: ClosedRange<UInt32> = 0x1000_0000...0x7FFF_0000
    /// Addresses handed out for functions.
    static let codeRange: ClosedRange<UInt32> = 0x0001_0000...0x0FFF_FFF0
    /// Unused bytes left between blocks, so a read that runs off the end of one block never lands in the next.
    static let guardGap: UInt32 = 16
    /// How many freed blocks are remembered, to explain a later use-after-free or double free.
    static let freedHistoryLimit = 4096

    private struct State {
        /// Start addresses of the live blocks, ascending, and their bytes at the same index: an address is
        /// found by binary search, with no hashing on the way (`Marshal.ReadByte` loops make many lookups).
        var starts: [UInt32] = []
        var contents: [[UInt8]] = []
        var nextAddress: UInt32 = UnmanagedHeap.dataRange.lowerBound
        var freed: [UInt32: Int] = [:]
        var freedOrder: [UInt32] = []
        var functions: [UInt32: any Sendable] = [:]
        var nextFunction: UInt32 = UnmanagedHeap.codeRange.lowerBound
        /// The index of the block the last successful access found. A loop of `Marshal.ReadByte` calls (the
        /// CE certificate hook copies a certificate byte by byte) finds its block here without the binary
        /// search; `locate` still checks the whole range against that block, and any other address takes
        /// the full path with its checks. Every insertion or removal resets it, so it never names a freed block.
        var lastFound = 0
        /// Starts of the sealed blocks (see `allocate(sealing:)`).
        var sealed: Set<UInt32> = []
    }

    private let state = Locked(State())
    /// Moves (under the lock) whenever a sealed block is freed or written: a thread's copy of a sealed
    /// block (`SealedBlockCache`) is used only while this still has the value it had when the copy was made.
    private let sealedGeneration = Atomic<UInt64>(0)
    /// Tells this heap's entries in the per-thread caches from another heap's.
    private let serial: UInt64
    /// `SealedBlockCache.key`, read once: reading the global on every `readByte` costs a `swift_once` call.
    private let cacheKey: pthread_key_t

    private static let serials = Atomic<UInt64>(0)

    public init() {
        serial = Self.serials.add(1, ordering: .relaxed).newValue
        cacheKey = SealedBlockCache.key
    }

    // MARK: Blocks

    /// Allocates `size` zero-filled bytes and returns the block's address. Maps to `LocalAlloc(LMEM_FIXED)`.
    public func allocate(_ size: Int) throws(HeapAccessError) -> UInt32 {
        guard size >= 0 else { throw HeapAccessError(address: 0, "cannot allocate a negative number of bytes (\(size))") }
        return try place([UInt8](repeating: 0, count: size), sealed: false)
    }

    /// Allocates a block holding `bytes`, sealed: the SSL provider hands such a block (the certificate it
    /// passes to a CE certificate hook) to the program to read, often a byte at a time with
    /// `Marshal.ReadByte`. Each thread keeps its last sealed block, so those reads skip the lock; they make
    /// the same checks (an address outside the block, or a block freed since, takes the locked path and
    /// gets its error). Sealing changes nothing a program can see: writing to the block unseals it.
    public func allocate(sealing bytes: [UInt8]) throws(HeapAccessError) -> UInt32 {
        try place(bytes, sealed: true)
    }

    private func place(_ contents: [UInt8], sealed: Bool) throws(HeapAccessError) -> UInt32 {
        let size = contents.count
        guard size <= Int(Self.dataRange.upperBound - Self.dataRange.lowerBound) / 2 else {
            throw HeapAccessError(address: 0, "cannot allocate \(size) bytes: larger than the emulated 32-bit heap allows")
        }
        return try state.withLock { (state: inout State) throws(HeapAccessError) -> UInt32 in
            let span = Self.span(of: size)
            let start: UInt32
            if let fresh = Self.bump(&state, span) {
                start = fresh
            } else if let gap = Self.firstGap(state, span) {
                start = gap
            } else {
                throw HeapAccessError(address: 0, "the emulated 32-bit heap is exhausted (\(state.starts.count) live blocks)")
            }
            let index = Self.insertionIndex(state.starts, start)
            state.starts.insert(start, at: index)
            state.contents.insert(contents, at: index)
            state.lastFound = 0
            if sealed { state.sealed.insert(start) }
            if state.freed.removeValue(forKey: start) != nil {
                state.freedOrder.removeAll { $0 == start }
            }
            return start
        }
    }

    /// Releases the block that starts at `address`. Maps to `LocalFree`.
    public func free(_ address: UInt32) throws(HeapAccessError) {
        try state.withLock { (state: inout State) throws(HeapAccessError) in
            let index = Self.insertionIndex(state.starts, address)
            guard index < state.starts.count, state.starts[index] == address else {
                if state.freed[address] != nil {
                    throw HeapAccessError(address: address, "double free: the block at \(Self.hex(address)) was already freed")
                }
                throw HeapAccessError(address: address, "free of \(Self.hex(address)), which is not the start of an allocated block")
            }
            state.starts.remove(at: index)
            let block = state.contents.remove(at: index)
            state.lastFound = 0
            if state.sealed.remove(address) != nil { sealedGeneration.add(1, ordering: .releasing) }
            state.freed[address] = block.count
            state.freedOrder.append(address)
            if state.freedOrder.count > Self.freedHistoryLimit {
                state.freed.removeValue(forKey: state.freedOrder.removeFirst())
            }
        }
    }

    /// Copies `count` bytes starting at `address`. The whole range must lie inside one live block.
    public func read(_ address: UInt32, count: Int) throws(HeapAccessError) -> [UInt8] {
        if count >= 0, let bytes = sealedBytes(address, count: count, { Array($0) }) { return bytes }
        return try readLocked(address, count: count) { Array($0) }
    }

    /// Copies `bytes` to `address`. The whole range must lie inside one live block.
    public func write(_ address: UInt32, _ bytes: [UInt8]) throws(HeapAccessError) {
        try state.withLock { (state: inout State) throws(HeapAccessError) in
            let (index, offset) = try Self.locate(&state, address, count: bytes.count)
            unseal(&state, index)
            state.contents[index].replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        }
    }

    /// Reads one byte (`Marshal.ReadByte`, often called once per byte in a loop), without building an array.
    public func readByte(_ address: UInt32) throws(HeapAccessError) -> UInt8 {
        if let byte = sealedBytes(address, count: 1, { $0[$0.startIndex] }) { return byte }
        return try readLocked(address, count: 1) { $0[$0.startIndex] }
    }

    /// Writes one byte, without building an array.
    public func writeByte(_ address: UInt32, _ value: UInt8) throws(HeapAccessError) {
        try state.withLock { (state: inout State) throws(HeapAccessError) in
            let (index, offset) = try Self.locate(&state, address, count: 1)
            unseal(&state, index)
            state.contents[index][offset] = value
        }
    }

    /// Reads a little-endian 32-bit value, as a 32-bit CE device stores it.
    public func readUInt32(_ address: UInt32) throws(HeapAccessError) -> UInt32 {
        if let value = sealedBytes(address, count: 4, Self.littleEndianDword) { return value }
        return try readLocked(address, count: 4, Self.littleEndianDword)
    }

    private static func littleEndianDword(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        let at = bytes.startIndex
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    // MARK: Sealed blocks

    /// `body` applied to `[address, address + count)` under the lock, with every check. When the range lies
    /// in a sealed block, the calling thread keeps that block for the next reads (`sealedBytes`).
    private func readLocked<Result>(_ address: UInt32, count: Int, _ body: (ArraySlice<UInt8>) -> Result) throws(HeapAccessError) -> Result {
        let (result, sealedBlock) = try state.withLock { (state: inout State) throws(HeapAccessError) -> (Result, (UInt32, [UInt8], UInt64)?) in
            let (index, offset) = try Self.locate(&state, address, count: count)
            let result = body(state.contents[index][offset..<(offset + count)])
            let start = state.starts[index]
            guard !state.sealed.isEmpty, state.sealed.contains(start) else { return (result, nil) }
            // Read under the lock, so it is the generation of this block's current contents.
            return (result, (start, state.contents[index], sealedGeneration.load(ordering: .acquiring)))
        }
        if let (start, bytes, generation) = sealedBlock {
            SealedBlockCache.current(cacheKey).keep(heap: serial, generation: generation, start: start, bytes: bytes)
        }
        return result
    }

    /// `body` applied to `[address, address + count)` when the range lies inside the sealed block this
    /// thread kept and that block has not been freed or written since; nil otherwise (the caller then takes
    /// the locked path, which also produces the error for a bad address). No lock: the kept bytes are the
    /// thread's own reference to contents nobody changes, and the generation is an atomic load.
    @inline(__always)
    private func sealedBytes<Result>(_ address: UInt32, count: Int, _ body: (ArraySlice<UInt8>) -> Result) -> Result? {
        guard let cache = SealedBlockCache.existing(cacheKey) else { return nil }
        return cache._withUnsafeGuaranteedRef { cache -> Result? in
            guard cache.heap == serial else { return nil }
            // An address below the block wraps to an offset past every block.
            let offset = Int(address &- cache.start)
            guard offset < cache.bytes.count, count <= cache.bytes.count - offset,
                  cache.generation == sealedGeneration.load(ordering: .acquiring) else { return nil }
            return body(cache.bytes[offset..<(offset + count)])
        }
    }

    /// A write to a sealed block unseals it, and threads that kept it stop using their copy.
    private func unseal(_ state: inout State, _ index: Int) {
        guard !state.sealed.isEmpty, state.sealed.remove(state.starts[index]) != nil else { return }
        sealedGeneration.add(1, ordering: .releasing)
    }

    /// Writes a little-endian 32-bit value.
    public func writeUInt32(_ address: UInt32, _ value: UInt32) throws(HeapAccessError) {
        try write(address, [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                            UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)])
    }

    /// The bytes from `address` up to (not including) the first NUL, which must lie in the same block.
    public func readNulTerminated(_ address: UInt32) throws(HeapAccessError) -> [UInt8] {
        try state.withLock { (state: inout State) throws(HeapAccessError) -> [UInt8] in
            let (blockIndex, offset) = try Self.locate(&state, address, count: 0)
            let block = state.contents[blockIndex]
            guard let end = block[offset...].firstIndex(of: 0) else {
                throw HeapAccessError(address: address, "no NUL terminator between \(Self.hex(address)) and the end of its block")
            }
            return Array(block[offset..<end])
        }
    }

    /// The UTF-16LE code units from `address` up to the first 0 unit, which must lie in the same block.
    public func readNulTerminatedUTF16(_ address: UInt32) throws(HeapAccessError) -> [UInt16] {
        try state.withLock { (state: inout State) throws(HeapAccessError) -> [UInt16] in
            let (blockIndex, offset) = try Self.locate(&state, address, count: 0)
            let block = state.contents[blockIndex]
            var units: [UInt16] = []
            var index = offset
            while index + 1 < block.count {
                let unit = UInt16(block[index]) | UInt16(block[index + 1]) << 8
                if unit == 0 { return units }
                units.append(unit)
                index += 2
            }
            throw HeapAccessError(address: address, "no UTF-16 NUL terminator between \(Self.hex(address)) and the end of its block")
        }
    }

    /// The start and size of the live block that contains `address`, or nil.
    public func block(containing address: UInt32) -> (start: UInt32, size: Int)? {
        state.withLock { state in
            guard let (index, _) = try? Self.locate(&state, address, count: 0) else { return nil }
            return (state.starts[index], state.contents[index].count)
        }
    }

    /// The number of live blocks (for leak checks in tests).
    public var liveBlockCount: Int { state.withLock { $0.starts.count } }

    // MARK: Functions

    /// Gives `function` an address in the code range. Maps to what `GetFunctionPointerForDelegate` does on CE.
    public func registerFunction(_ function: any Sendable) throws(HeapAccessError) -> UInt32 {
        try state.withLock { (state: inout State) throws(HeapAccessError) -> UInt32 in
            var candidate = state.nextFunction
            var attempts = 0
            while state.functions[candidate] != nil {
                candidate = candidate >= Self.codeRange.upperBound ? Self.codeRange.lowerBound : candidate + 16
                attempts += 1
                if attempts > Int((Self.codeRange.upperBound - Self.codeRange.lowerBound) / 16) {
                    throw HeapAccessError(address: 0, "no free function addresses left in the emulated code range")
                }
            }
            state.functions[candidate] = function
            state.nextFunction = candidate >= Self.codeRange.upperBound ? Self.codeRange.lowerBound : candidate + 16
            return candidate
        }
    }

    /// The function registered at `address`, or nil.
    public func function(at address: UInt32) -> (any Sendable)? {
        state.withLock { $0.functions[address] }
    }

    /// Forgets the function at `address` (what the .NET garbage collector does when the delegate dies).
    public func unregisterFunction(_ address: UInt32) {
        state.withLock { _ = $0.functions.removeValue(forKey: address) }
    }

    /// The number of registered functions (for leak checks in tests).
    public var registeredFunctionCount: Int { state.withLock { $0.functions.count } }

    // MARK: Internals

    private static func span(of size: Int) -> UInt32 {
        let aligned = (UInt32(max(size, 1)) + 7) & ~7
        return aligned + guardGap
    }

    private static func bump(_ state: inout State, _ span: UInt32) -> UInt32? {
        let start = state.nextAddress
        guard UInt64(start) + UInt64(span) <= UInt64(dataRange.upperBound) else { return nil }
        state.nextAddress = start + span
        return start
    }

    /// After the bump pointer reaches the top, freed space is reused first-fit, oldest addresses first.
    private static func firstGap(_ state: borrowing State, _ span: UInt32) -> UInt32? {
        var candidate = dataRange.lowerBound
        for (start, bytes) in zip(state.starts, state.contents) {
            if UInt64(candidate) + UInt64(span) <= UInt64(start) { return candidate }
            candidate = start + Self.span(of: bytes.count)
        }
        return UInt64(candidate) + UInt64(span) <= UInt64(dataRange.upperBound) ? candidate : nil
    }

    private static func insertionIndex(_ starts: [UInt32], _ address: UInt32) -> Int {
        var low = 0, high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] < address { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The index of the block holding `[address, address + count)` and the offset of `address` in it.
    private static func locate(_ state: inout State, _ address: UInt32, count: Int) throws(HeapAccessError) -> (Int, Int) {
        // The block found last time, when the whole range lies inside it (an address below its start wraps
        // to an offset no block reaches). Anything else, errors included, takes the full path below.
        let hint = state.lastFound
        if hint < state.starts.count, count >= 0 {
            let offset = Int(address &- state.starts[hint])
            let size = state.contents[hint].count
            if offset < size, offset + count <= size { return (hint, offset) }
        }
        let (index, offset) = try locateSearching(state, address, count: count)
        state.lastFound = index
        return (index, offset)
    }

    /// `locate` without the hint: a binary search of the block starts, and the error that names what is wrong.
    private static func locateSearching(_ state: borrowing State, _ address: UInt32, count: Int) throws(HeapAccessError) -> (Int, Int) {
        guard count >= 0 else { throw HeapAccessError(address: address, "negative length \(count)") }
        if address == 0 { throw HeapAccessError(address: 0, "null pointer dereference") }
        let index = insertionIndex(state.starts, address &+ 1)
        if index > 0 {
            let start = state.starts[index - 1]
            let size = state.contents[index - 1].count
            let offset = Int(address - start)
            if offset < size || (offset == 0 && count == 0) {
                guard offset + count <= size else {
                    throw HeapAccessError(address: address,
                        "access of \(count) bytes at \(hex(address)) runs past the end of the \(size)-byte block at \(hex(start))")
                }
                return (index - 1, offset)
            }
            // The guard gap belongs to the block before it: say which block an off-by-one overran.
            if offset < Int(span(of: size)) {
                throw HeapAccessError(address: address,
                    "access of \(count) bytes at \(hex(address)) lies \(offset - size) bytes past the end of the \(size)-byte block at \(hex(start))")
            }
        }
        if let (start, size) = freedBlock(state, containing: address) {
            throw HeapAccessError(address: address, "use after free: \(hex(address)) lies in the \(size)-byte block at \(hex(start)), which was freed")
        }
        if codeRange.contains(address) {
            throw HeapAccessError(address: address, "\(hex(address)) is a function pointer, not data")
        }
        throw HeapAccessError(address: address, "\(hex(address)) is not inside any allocated block")
    }

    private static func freedBlock(_ state: borrowing State, containing address: UInt32) -> (UInt32, Int)? {
        for (start, size) in state.freed where address >= start && UInt64(address) < UInt64(start) + UInt64(max(size, 1)) {
            return (start, size)
        }
        return nil
    }

    /// An address as messages write it; kept for the callers that format heap addresses. Same as `HexFormat.dword`.
    public static func hex(_ address: UInt32) -> String { HexFormat.dword(address) }
}

/// The sealed block a thread read last (`UnmanagedHeap.allocate(sealing:)`), kept in thread-specific data.
///
/// Only its own thread touches it. `bytes` shares the storage of the heap's copy, which nobody writes
/// while the block is sealed (a write unseals it first, and then copies: the array is no longer unique).
private final class SealedBlockCache {
    var heap: UInt64 = 0
    var generation: UInt64 = 0
    var start: UInt32 = 0
    var bytes: [UInt8] = []

    func keep(heap: UInt64, generation: UInt64, start: UInt32, bytes: [UInt8]) {
        self.heap = heap
        self.generation = generation
        self.start = start
        self.bytes = bytes
    }

    /// The calling thread's cache, if it has one (`key` is `SealedBlockCache.key`).
    static func existing(_ key: pthread_key_t) -> Unmanaged<SealedBlockCache>? {
        pthread_getspecific(key).map { Unmanaged<SealedBlockCache>.fromOpaque($0) }
    }

    /// The calling thread's cache, made on first use; released when the thread ends.
    static func current(_ key: pthread_key_t) -> SealedBlockCache {
        if let existing = existing(key) { return existing.takeUnretainedValue() }
        let cache = SealedBlockCache()
        pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
        return cache
    }

    /// The thread-specific data key of every thread's cache, made once per process.
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<SealedBlockCache>.fromOpaque(pointer).release() }
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()
}

/// An access to the emulated heap that real memory would have punished: the .NET `AccessViolationException`.
public struct HeapAccessError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The address that was used.
    public var address: UInt32
    /// What was wrong with it.
    public var detail: String

    public init(address: UInt32, _ detail: String) {
        self.address = address
        self.detail = detail
    }

    public var description: String { "invalid access to emulated memory: \(detail)" }
}
