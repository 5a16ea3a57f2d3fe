/// Atomic read-modify-write operations on a shared variable.
///
/// ```swift
/// // Interlocked.Increment(ref this.pending);
/// Interlocked.Increment(&self.pending)
/// ```
///
/// Pass a stored property (without `willSet`/`didSet`) or a global variable, as .NET passes a field by `ref`:
/// Swift then hands over the variable's own storage. Every operation of this type on any variable is
/// serialised by one process-wide lock, which also orders memory as .NET's full fences do; a plain read of the
/// variable from another thread is as unsynchronised as it is in C#.
///
/// Swift begins the caller's `&field` access before the call, outside that lock, so two threads updating
/// one field at once are overlapping accesses by Swift's exclusivity rule, and ThreadSanitizer reports them
/// ("Swift access race") although no update is lost (tested with four threads). New code, or code checked
/// with ThreadSanitizer, should update shared counters inside `lock`.
///
/// The corresponding .NET type is `System.Threading.Interlocked`.
public enum Interlocked {
    private static let guardLock = ConditionLock()

    private static func atomically<Value>(_ location: inout Value, _ body: (inout Value) -> Value) -> Value {
        guardLock.lock()
        defer { guardLock.unlock() }
        return body(&location)
    }

    /// Adds 1 (wrapping at `Int32.MaxValue`, as .NET does) and returns the new value.
    ///
    /// The corresponding .NET member is `Interlocked.Increment(ref int)`.
    @discardableResult
    public static func Increment(_ location: inout Int32) -> Int32 {
        atomically(&location) { $0 &+= 1; return $0 }
    }

    /// The corresponding .NET member is `Interlocked.Increment(ref long)`.
    @discardableResult
    public static func Increment(_ location: inout Int64) -> Int64 {
        atomically(&location) { $0 &+= 1; return $0 }
    }

    /// Subtracts 1 (wrapping) and returns the new value.
    ///
    /// The corresponding .NET member is `Interlocked.Decrement(ref int)`.
    @discardableResult
    public static func Decrement(_ location: inout Int32) -> Int32 {
        atomically(&location) { $0 &-= 1; return $0 }
    }

    /// The corresponding .NET member is `Interlocked.Decrement(ref long)`.
    @discardableResult
    public static func Decrement(_ location: inout Int64) -> Int64 {
        atomically(&location) { $0 &-= 1; return $0 }
    }

    /// Adds `value` (wrapping) and returns the new value.
    ///
    /// The corresponding .NET member is `Interlocked.Add(ref int, int)`.
    @discardableResult
    public static func Add(_ location: inout Int32, _ value: Int32) -> Int32 {
        atomically(&location) { $0 &+= value; return $0 }
    }

    /// The corresponding .NET member is `Interlocked.Add(ref long, long)`.
    @discardableResult
    public static func Add(_ location: inout Int64, _ value: Int64) -> Int64 {
        atomically(&location) { $0 &+= value; return $0 }
    }

    /// Stores `value` and returns what was there before.
    ///
    /// The corresponding .NET member is `Interlocked.Exchange(ref int, int)`.
    @discardableResult
    public static func Exchange(_ location1: inout Int32, _ value: Int32) -> Int32 {
        atomically(&location1) { old in defer { old = value }; return old }
    }

    /// The corresponding .NET member is `Interlocked.Exchange(ref long, long)`.
    @discardableResult
    public static func Exchange(_ location1: inout Int64, _ value: Int64) -> Int64 {
        atomically(&location1) { old in defer { old = value }; return old }
    }

    /// The corresponding .NET member is `Interlocked.Exchange<T>(ref T, T)` for a class reference (or null).
    @discardableResult
    public static func Exchange<T: AnyObject>(_ location1: inout T?, _ value: T?) -> T? {
        atomically(&location1) { old in defer { old = value }; return old }
    }

    /// Stores `value` only if the variable equals `comparand`; returns what was there before either way.
    ///
    /// The corresponding .NET member is `Interlocked.CompareExchange(ref int, int, int)`.
    @discardableResult
    public static func CompareExchange(_ location1: inout Int32, _ value: Int32, _ comparand: Int32) -> Int32 {
        atomically(&location1) { old in defer { if old == comparand { old = value } }; return old }
    }

    /// The corresponding .NET member is `Interlocked.CompareExchange(ref long, long, long)`.
    @discardableResult
    public static func CompareExchange(_ location1: inout Int64, _ value: Int64, _ comparand: Int64) -> Int64 {
        atomically(&location1) { old in defer { if old == comparand { old = value } }; return old }
    }

    /// Compares references (identity), as .NET does for `CompareExchange<T>` with a class type.
    ///
    /// The corresponding .NET member is `Interlocked.CompareExchange<T>(ref T, T, T)`.
    @discardableResult
    public static func CompareExchange<T: AnyObject>(_ location1: inout T?, _ value: T?, _ comparand: T?) -> T? {
        atomically(&location1) { old in defer { if old === comparand { old = value } }; return old }
    }
}
