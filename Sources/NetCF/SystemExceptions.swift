// More .NET exceptions: those of System.Threading, `NotImplementedException`, and `Exception` as a type to catch.

/// C#'s `catch (Exception e)`: every .NET exception of this package conforms, so
/// `catch let e as Exception` catches them all and `e.Message` reads as in C#.
///
/// A plain Swift `catch` also catches errors that are not .NET exceptions (none of NetCF's members throw
/// such errors, but the program's own code may).
///
/// The corresponding .NET type is `System.Exception`.
public typealias Exception = DotNetException

/// A thread operation that does not fit the thread's state: starting a thread twice, joining one never started.
///
/// The corresponding .NET type is `System.Threading.ThreadStateException`.
public struct ThreadStateException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.Threading.ThreadStateException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Thread was in an invalid state for the operation being executed.") {
        self.Message = message
    }
}

/// `Monitor.Exit`, `Wait` or `Pulse` called by a thread that does not hold the object's lock.
///
/// The corresponding .NET type is `System.Threading.SynchronizationLockException`.
public struct SynchronizationLockException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.Threading.SynchronizationLockException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Object synchronization method was called from an unsynchronized block of code.") {
        self.Message = message
    }
}

/// What .NET throws in a thread that `Thread.Abort()` stops. Nothing here throws it, because `Abort` cannot be
/// ported (MIGRATION.md section 7: the thread is ended by closing what it blocks on); it exists so that the
/// `catch (ThreadAbortException)` clauses of such threads port unchanged, as code that never runs.
///
/// The corresponding .NET type is `System.Threading.ThreadAbortException`.
public struct ThreadAbortException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.Threading.ThreadAbortException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Thread was being aborted.") {
        self.Message = message
    }
}

/// The corresponding .NET type is `System.NotImplementedException`.
public struct NotImplementedException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.NotImplementedException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "The method or operation is not implemented.") {
        self.Message = message
    }
}

/// `throw Exception("message")` (C#'s `throw new Exception(message)`) throws this; as a `DotNetException` it
/// is caught by `catch let e as Exception` like every other .NET exception.
extension BaseException: DotNetException {
    public static let dotNetTypeName = "System.Exception"
}

/// A value that does not fit the integer type it is parsed or converted to (`int.Parse("99999999999")`).
///
/// The corresponding .NET type is `System.OverflowException`.
public struct OverflowException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.OverflowException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Arithmetic operation resulted in an overflow.") {
        self.Message = message
    }
}

/// C#'s `catch (SystemException e)`: the exceptions .NET derives from `System.SystemException` (every
/// exception the runtime and the class library throw, as opposed to a program's own) conform, so
/// `catch let e as SystemException` catches them and `e.Message` reads as in C#. A program's own exception
/// and `Exception("…")` do not, as in .NET.
///
/// The corresponding .NET type is `System.SystemException`.
public protocol SystemException: DotNetException {}

extension AccessViolationException: SystemException {}
extension ArgumentException: SystemException {}
extension ArgumentNullException: SystemException {}
extension ArgumentOutOfRangeException: SystemException {}
extension CryptographicException: SystemException {}
extension FormatException: SystemException {}
extension IOException: SystemException {}
extension IndexOutOfRangeException: SystemException {}
extension InvalidCastException: SystemException {}
extension InvalidOperationException: SystemException {}
extension KeyNotFoundException: SystemException {}
extension NotImplementedException: SystemException {}
extension NotSupportedException: SystemException {}
extension NullReferenceException: SystemException {}
extension ObjectDisposedException: SystemException {}
extension OutOfMemoryException: SystemException {}
extension OverflowException: SystemException {}
extension SocketException: SystemException {}
extension SynchronizationLockException: SystemException {}
extension ThreadAbortException: SystemException {}
extension ThreadStateException: SystemException {}
extension TimeoutException: SystemException {}
extension UriFormatException: SystemException {}
