import WinsockSSL

/// An error that stands for a .NET exception: it carries the .NET `Message` and prints as .NET's
/// `Exception.ToString()` does (`System.ArgumentException: Message`).
///
/// .NET exceptions form a class hierarchy (`catch (ArgumentException)` also catches
/// `ArgumentNullException`); Swift structs do not. Where ported code relies on that, catch
/// ``ArgumentExceptionFamily`` or `any DotNetException`.
///
/// The corresponding .NET type is `System.Exception`.
public protocol DotNetException: Error, Sendable, CustomStringConvertible {
    /// The corresponding .NET member is `Exception.Message`.
    var Message: String { get }
    /// The exception this one wraps (C#'s `: base(message, inner)`); nil unless one was given.
    ///
    /// The corresponding .NET member is `Exception.InnerException`.
    var InnerException: (any Error)? { get }
    /// The full .NET type name, such as `System.ArgumentException`. Defaults to the Swift type name;
    /// conforming types should give the .NET namespace (`System.Net.Sockets.SocketException`).
    static var dotNetTypeName: String { get }
}

extension DotNetException {
    public static var dotNetTypeName: String { String(describing: Self.self) }

    public var InnerException: (any Error)? { nil }

    /// The type and message, then ` ---> ` and the inner exception's own text, as .NET writes a chain.
    ///
    /// The corresponding .NET member is `Exception.ToString()` (without a stack trace).
    public var description: String {
        guard let inner = InnerException else { return "\(Self.dotNetTypeName): \(Message)" }
        return "\(Self.dotNetTypeName): \(Message) ---> \(inner)"
    }

    /// The corresponding .NET member is `Exception.ToString()` (without a stack trace).
    public func ToString() -> String { description }
}

/// `ArgumentException` and the exceptions .NET derives from it, so that one `catch` can handle them all
/// as C#'s `catch (ArgumentException)` does.
public protocol ArgumentExceptionFamily: DotNetException {
    /// The corresponding .NET member is `ArgumentException.ParamName`.
    var ParamName: String? { get }
}

/// .NET appends the parameter name to the message on its own line (the .NET Framework wording, as on CE).
private func withParamName(_ message: String, _ paramName: String?) -> String {
    guard let paramName, !paramName.isEmpty else { return message }
    return message + "\nParameter name: " + paramName
}

/// The corresponding .NET type is `System.ArgumentException`.
public struct ArgumentException: ArgumentExceptionFamily, Hashable {
    public static let dotNetTypeName = "System.ArgumentException"
    /// The message without the parameter-name line.
    public let messageText: String
    /// The corresponding .NET member is `ArgumentException.ParamName`.
    public let ParamName: String?

    /// The corresponding .NET member is `ArgumentException(string message, string paramName)`.
    public init(_ message: String = "Value does not fall within the expected range.", _ paramName: String? = nil) {
        self.messageText = message
        self.ParamName = paramName
    }

    /// The corresponding .NET member is `ArgumentException.Message`.
    public var Message: String { withParamName(messageText, ParamName) }
}

/// The corresponding .NET type is `System.ArgumentNullException`.
public struct ArgumentNullException: ArgumentExceptionFamily, Hashable {
    public static let dotNetTypeName = "System.ArgumentNullException"
    /// The message without the parameter-name line.
    public let messageText: String
    /// The corresponding .NET member is `ArgumentException.ParamName`.
    public let ParamName: String?

    /// The corresponding .NET members are `ArgumentNullException(string paramName)` and
    /// `ArgumentNullException(string paramName, string message)` (note: parameter name first).
    public init(_ paramName: String? = nil, _ message: String = "Value cannot be null.") {
        self.ParamName = paramName
        self.messageText = message
    }

    /// The corresponding .NET member is `ArgumentException.Message`.
    public var Message: String { withParamName(messageText, ParamName) }
}

/// The corresponding .NET type is `System.ArgumentOutOfRangeException`.
public struct ArgumentOutOfRangeException: ArgumentExceptionFamily, Hashable {
    public static let dotNetTypeName = "System.ArgumentOutOfRangeException"
    /// The message without the parameter-name and actual-value lines.
    public let messageText: String
    /// The corresponding .NET member is `ArgumentException.ParamName`.
    public let ParamName: String?
    /// The corresponding .NET member is `ArgumentOutOfRangeException.ActualValue`, kept as its text.
    public let ActualValue: String?

    /// The corresponding .NET members are `ArgumentOutOfRangeException(string paramName)` and
    /// `ArgumentOutOfRangeException(string paramName, string message)` (note: parameter name first).
    public init(_ paramName: String? = nil,
                _ message: String = "Specified argument was out of the range of valid values.") {
        self.ParamName = paramName
        self.messageText = message
        self.ActualValue = nil
    }

    /// The corresponding .NET member is `ArgumentOutOfRangeException(string paramName, object actualValue, string message)`.
    public init(_ paramName: String?, _ actualValue: Any?, _ message: String) {
        self.ParamName = paramName
        self.messageText = message
        self.ActualValue = actualValue.map { String(describing: $0) }
    }

    /// The corresponding .NET member is `ArgumentOutOfRangeException.Message`.
    public var Message: String {
        let text = withParamName(messageText, ParamName)
        guard let ActualValue else { return text }
        return text + "\nActual value was " + ActualValue + "."
    }
}

/// Thrown by the `String?` members in `LanguageHelpers.swift` where C# would dereference a null reference.
///
/// The corresponding .NET type is `System.NullReferenceException`.
public struct NullReferenceException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.NullReferenceException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Object reference not set to an instance of an object.") {
        self.Message = message
    }
}

/// Thrown by `string[int]` outside the string, as C# throws it for `s[i]`.
///
/// The corresponding .NET type is `System.IndexOutOfRangeException`.
public struct IndexOutOfRangeException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.IndexOutOfRangeException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Index was outside the bounds of the array.") {
        self.Message = message
    }
}

/// The corresponding .NET type is `System.InvalidOperationException`.
public struct InvalidOperationException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.InvalidOperationException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Operation is not valid due to the current state of the object.") {
        self.Message = message
    }
}

/// The corresponding .NET type is `System.FormatException`.
public struct FormatException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.FormatException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "One of the identified items was in an invalid format.") {
        self.Message = message
    }
}

/// The corresponding .NET type is `System.NotSupportedException`.
public struct NotSupportedException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.NotSupportedException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String

    public init(_ message: String = "Specified method is not supported.") {
        self.Message = message
    }
}

/// In .NET this derives from `InvalidOperationException`; here it is a separate struct.
///
/// The corresponding .NET type is `System.ObjectDisposedException`.
public struct ObjectDisposedException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.ObjectDisposedException"
    /// The corresponding .NET member is `ObjectDisposedException.ObjectName`.
    public let ObjectName: String
    /// The message without the object-name line.
    public let messageText: String

    /// The corresponding .NET members are `ObjectDisposedException(string objectName)` and
    /// `ObjectDisposedException(string objectName, string message)`.
    public init(_ objectName: String?, _ message: String = "Cannot access a disposed object.") {
        self.ObjectName = objectName ?? ""
        self.messageText = message
    }

    /// For example "Cannot access a disposed object.\nObject name: 'System.Net.Sockets.Socket'.".
    ///
    /// The corresponding .NET member is `ObjectDisposedException.Message`.
    public var Message: String {
        ObjectName.isEmpty ? messageText : messageText + "\nObject name: '" + ObjectName + "'."
    }
}

/// What .NET raises when unmanaged memory is misused; here, when the emulated CE heap
/// (`UnmanagedHeap`) refuses an access, so a port's pointer bug is reported instead of corrupting memory.
///
/// The corresponding .NET type is `System.AccessViolationException`.
public struct AccessViolationException: DotNetException, Hashable {
    public static let dotNetTypeName = "System.AccessViolationException"
    /// The corresponding .NET member is `Exception.Message`.
    public let Message: String
    /// The heap's account of the bad access, when the exception came from the emulated heap.
    public let heapError: HeapAccessError?

    public init(_ message: String = "Attempted to read or write protected memory. This is often an indication that other memory is corrupt.") {
        self.Message = message
        self.heapError = nil
    }

    /// Wraps a refused access to the emulated heap; the message keeps .NET's wording and adds the detail.
    public init(_ error: HeapAccessError) {
        self.Message = "Attempted to read or write protected memory. " + error.description + "."
        self.heapError = error
    }
}
