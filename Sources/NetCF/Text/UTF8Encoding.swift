/// C#'s `new UTF8Encoding()`: the UTF-8 `Encoding`, written as a type.
///
/// ```swift
/// // private UTF8Encoding utf8 = new UTF8Encoding();
/// private let utf8: UTF8Encoding = UTF8Encoding()
/// ```
///
/// The corresponding .NET type is `System.Text.UTF8Encoding`.
public typealias UTF8Encoding = Encoding

extension Encoding {
    /// UTF-8 that encodes and decodes as `Encoding.UTF8` but whose `GetPreamble` is empty, as in .NET
    /// (.NET's `Encoding` is abstract; here `UTF8Encoding()` is the one way to call this).
    ///
    /// The corresponding .NET member is `UTF8Encoding()`.
    public convenience init() {
        self.init(utf8EmittingByteOrderMark: false)
    }

    /// `encoderShouldEmitUTF8Identifier` decides whether `GetPreamble` returns the byte order mark (EF BB BF);
    /// `GetBytes` never writes one, in .NET as here.
    ///
    /// The corresponding .NET member is `UTF8Encoding(bool)`.
    public convenience init(_ encoderShouldEmitUTF8Identifier: Bool) {
        self.init(utf8EmittingByteOrderMark: encoderShouldEmitUTF8Identifier)
    }

    /// Only `throwOnInvalidBytes == false` (invalid bytes decode as U+FFFD) is provided; `true` throws
    /// `NotSupportedException` rather than silently not throwing later.
    ///
    /// The corresponding .NET member is `UTF8Encoding(bool, bool)`.
    public convenience init(_ encoderShouldEmitUTF8Identifier: Bool, _ throwOnInvalidBytes: Bool) throws {
        guard !throwOnInvalidBytes else {
            throw NotSupportedException("UTF8Encoding with throwOnInvalidBytes: true is not supported; invalid bytes decode as U+FFFD.")
        }
        self.init(utf8EmittingByteOrderMark: encoderShouldEmitUTF8Identifier)
    }
}
