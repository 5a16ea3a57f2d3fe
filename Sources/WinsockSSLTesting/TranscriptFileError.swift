/// A transcript file that cannot be read, with the line of the problem.
public struct TranscriptFileError: Error, Sendable, CustomStringConvertible {
    public var path: String?
    public var line: Int?
    public var message: String

    public var description: String {
        [path, line.map { "line \($0)" }].compactMap { $0 }.joined(separator: ", ") + (path == nil && line == nil ? "" : ": ") + message
    }
}
