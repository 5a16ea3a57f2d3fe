import NetCF
import Testing

/// What must compile, and what must not, when C# threading and APM code is ported following MIGRATION.md
/// section 7: checked by type-checking snippets in Swift 6 mode against the built NetCF module.
@Suite struct ThreadPortingTests {
    /// The shapes of a CE line client — a receive thread started from an instance method, `lock (this)`,
    /// APM callbacks that are instance methods, `Interlocked` on a field — in a class with no annotation.
    @Test func threadAndAsynchronousCodeOfAPlainClassCompilesInSwift6Mode() throws {
        let outcome = try SnippetCompiler.typecheck("""
            import NetCF

            final class LineClient {
                private let s: Socket
                private var buffer = [UInt8](repeating: 0, count: 512)
                private var pending: Int32 = 0
                private var lines: Queue = Queue()
                private let connectDone = ManualResetEvent(false)
                private var reader: Thread?

                init(_ s: Socket) { self.s = s }

                func Start(_ ep: EndPoint) throws {
                    try s.BeginConnect(ep, OnConnect, s)
                    _ = try connectDone.WaitOne(5000, false)
                    reader = Thread(self.ReceiveLoop)
                    reader!.IsBackground = true
                    reader!.Name = "reader"
                    try reader!.Start()
                }

                func OnConnect(_ ar: IAsyncResult) throws {
                    let client = ar.AsyncState as! Socket
                    try client.EndConnect(ar)
                    try connectDone.Set()
                }

                func ReceiveLoop() throws {
                    while true {
                        if try s.Poll(100_000, SelectMode.SelectRead) {
                            var n = 0
                            try lock(self) { n = Int(try s.Receive(&buffer)) }
                            if n == 0 { return }
                            lock(lines.SyncRoot) { lines.Enqueue(Array(buffer[0..<n])) }
                            Interlocked.Increment(&pending)
                        }
                    }
                }

                func Send(_ text: String) throws {
                    try lock(self) { _ = try s.Send(Encoding.ASCII.GetBytes(text)) }
                }

                func ReceiveAsync() throws {
                    try s.BeginReceive(buffer, 0, 512, SocketFlags.None, OnReceive, nil)
                }

                func OnReceive(_ ar: IAsyncResult) throws {
                    let n = try s.EndReceive(ar, &buffer)
                    Monitor.Enter(self)
                    defer { try? Monitor.Exit(self) }
                    _ = try String.Format("{0,4} bytes", n)
                }

                func Stop() throws {
                    s.Close()
                    _ = try reader?.Join(Timeout.Infinite)
                }
            }
            """)
        #expect(outcome.compiled, "\(outcome.diagnostics)")
    }

    @Test func endReceiveWithoutTheBufferIsACompileTimeErrorThatSaysWhatToWrite() throws {
        let outcome = try SnippetCompiler.typecheck("""
            import NetCF
            func OnReceive(_ s: Socket, _ ar: IAsyncResult) throws -> Int32 {
                try s.EndReceive(ar)
            }
            """)
        #expect(!outcome.compiled)
        #expect(outcome.diagnostics.contains("EndReceive(ar, &buffer)"), "\(outcome.diagnostics)")
    }

    @Test func threadAbortIsACompileTimeErrorThatPointsToTheReplacement() throws {
        let outcome = try SnippetCompiler.typecheck("""
            import NetCF
            func Stop(_ t: Thread) { t.Abort() }
            """)
        #expect(!outcome.compiled)
        #expect(outcome.diagnostics.contains("Thread.Abort cannot be ported: close the socket"), "\(outcome.diagnostics)")
    }
}
