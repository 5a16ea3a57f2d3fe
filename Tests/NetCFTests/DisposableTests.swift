import NetCF
import Testing

private final class Resource: IDisposable {
    private(set) var disposeCount = 0
    func Dispose() { disposeCount += 1 }
}

private struct BodyFailed: Error {}

@Suite struct DisposableTests {
    @Test func usingDisposesAfterTheBodyAndReturnsItsResult() {
        let resource = Resource()
        let result = using(resource) { r in
            #expect(r.disposeCount == 0)
            return 42
        }
        #expect(result == 42)
        #expect(resource.disposeCount == 1)
    }

    @Test func usingDisposesWhenTheBodyThrows() {
        let resource = Resource()
        #expect(throws: BodyFailed.self) {
            try using(resource) { _ in throw BodyFailed() }
        }
        #expect(resource.disposeCount == 1)
    }

    @Test func usingANilResourceRunsTheBodyAndDisposesNothing() {
        let nothing: Resource? = nil
        var ran = false
        using(nothing) { r in
            ran = true
            #expect(r == nil)
        }
        #expect(ran)
    }

    @Test func gcMembersAreHarmlessNoOps() {
        let resource = Resource()
        GC.SuppressFinalize(resource)
        GC.Collect()
        GC.WaitForPendingFinalizers()
        GC.KeepAlive(resource)
        #expect(resource.disposeCount == 0)
    }
}
