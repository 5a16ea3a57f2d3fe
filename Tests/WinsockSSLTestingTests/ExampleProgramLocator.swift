import Foundation

/// Finds the package's executables next to the test binary (the test target depends on them, so
/// `swift test` builds them there).
enum ExampleProgramLocator {
    struct NotBuilt: Error, CustomStringConvertible {
        var description: String
    }

    static func path(of name: String) throws -> String {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()].map({ $0.appendingPathComponent(name).path })
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw NotBuilt(description: "\(name) is not built next to \(directory.path); run `swift build` first")
    }
}
