// C#'s `throw new Exception(message)`.
//
// In NetCF, `Exception` is the type every .NET exception conforms to (a type alias of `DotNetException`), so
// that `catch let e as Exception` catches them all, as C#'s `catch (Exception e)` does. A protocol cannot be
// constructed, and Swift refuses a function and a type of the same name in one module; across modules it
// resolves a call `Exception("…")` to the function and a type position (`as Exception`, `: Exception`) to the
// type. So the constructor lives here, in a module NetCF re-exports, and NetCF conforms `BaseException` to
// `DotNetException` (Exceptions.swift).

/// An instance of `System.Exception` itself: what `new Exception(message)` creates.
///
/// NetCF makes it a `DotNetException`, so `catch let e as Exception` catches it, `e.Message` is the message and
/// `e.ToString()` is "System.Exception: message".
///
/// The corresponding .NET type is `System.Exception` (the base class, constructed directly).
public struct BaseException: Error, Sendable {
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String
    /// The corresponding .NET member is `Exception.InnerException`.
    public let InnerException: (any Error)?

    public init(_ message: String, _ innerException: (any Error)? = nil) {
        self.Message = message
        self.InnerException = innerException
    }
}

/// C#'s `new Exception()`: `throw new Exception();` → `throw Exception()`.
///
/// The corresponding .NET member is `Exception()`; the message is .NET's default.
public func Exception() -> BaseException {
    BaseException("Exception of type 'System.Exception' was thrown.")
}

/// C#'s `new Exception(message)`: `throw new Exception("Handshake failed");` → `throw Exception("Handshake failed")`.
///
/// The corresponding .NET member is `Exception(String)`.
public func Exception(_ message: String) -> BaseException {
    BaseException(message)
}

/// C#'s `new Exception(message, innerException)`.
///
/// The corresponding .NET member is `Exception(String, Exception)`.
public func Exception(_ message: String, _ innerException: (any Error)?) -> BaseException {
    BaseException(message, innerException)
}
