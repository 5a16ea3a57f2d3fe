import Foundation
import Testing

// Programs outside this package that some tests talk to as independent peers (a real Postfix, the
// `openssl` command, Debian's Python). On a machine that lacks one, the tests that need it are skipped
// with the reason, and the run ends with one line that counts them; with WINSOCKSSL_REQUIRE_PEERS=1 (set
// by .ci/run) a missing peer fails every test that needs it instead, so CI cannot skip silently.

/// A program some tests need, and how to find it.
///
/// The lookup can be pointed elsewhere with an environment variable (`WINSOCKSSL_POSTFIX_PATH=/some/path`),
/// which is how the tests check what happens when the peer is missing without uninstalling it.
public struct Peer: Sendable, CustomStringConvertible {
    /// The name a reader knows it by, in skip reasons and failures: "Postfix".
    public let name: String
    /// The environment variable that replaces `defaultPaths` with one path.
    public let pathVariable: String
    /// Where the executable is looked for, first match wins.
    public let defaultPaths: [String]
    /// The Debian package that provides it.
    public let package: String
    /// What else the peer needs once its executable is found; returns why it cannot be used, or nil.
    let usable: @Sendable (_ path: String, _ environment: [String: String]) -> String?

    public var description: String { name }

    /// A real SMTP server, run as a private instance (Tests/InteropTests/PostfixFixture.swift). Its master
    /// process runs as root and its daemons as the `postfix` user, so it is only usable by root.
    /// `WINSOCKSSL_SKIP_POSTFIX=1` treats it as missing even where it is installed.
    public static let postfix = Peer(name: "Postfix", pathVariable: "WINSOCKSSL_POSTFIX_PATH",
                                     defaultPaths: ["/usr/sbin/postfix"], package: "postfix") { path, environment in
        if environment["WINSOCKSSL_SKIP_POSTFIX"] == "1" { return "WINSOCKSSL_SKIP_POSTFIX=1 asks to skip it" }
        let postcat = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("postcat").path
        guard FileManager.default.isExecutableFile(atPath: postcat) else { return "no \(postcat) next to \(path)" }
        guard getpwnam("postfix") != nil else { return "the 'postfix' user does not exist (reinstall the postfix package)" }
        guard geteuid() == 0 else { return "a private Postfix instance needs root (its master process runs as root)" }
        return nil
    }

    /// The `openssl` command: `s_client` as a strict reference client.
    public static let openssl = Peer(name: "openssl", pathVariable: "WINSOCKSSL_OPENSSL_PATH",
                                     defaultPaths: ["/usr/bin/openssl"], package: "openssl") { _, _ in nil }

    /// Python 3 with its `ssl` and `smtplib` (Debian's own first: its ssl defaults are part of the comparison).
    public static let python3 = Peer(name: "python3", pathVariable: "WINSOCKSSL_PYTHON3_PATH",
                                     defaultPaths: ["/usr/bin/python3", "/usr/local/bin/python3"], package: "python3") { _, _ in nil }

    /// Where the peer is, or why it cannot be used. Reads the file system, the user database and `environment`.
    public func availability(environment: [String: String] = ProcessInfo.processInfo.environment) -> PeerAvailability {
        let candidates: [String]
        let source: String
        if let override = environment[pathVariable], !override.isEmpty {
            candidates = [override]
            source = " from \(pathVariable)"
        } else {
            candidates = defaultPaths
            source = ""
        }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .unavailable("\(name) is not installed (no \(candidates.joined(separator: " or "))\(source))")
        }
        if let problem = usable(path, environment) { return .unavailable("\(name) cannot be used: \(problem)") }
        return .available(path)
    }

    /// The path of the peer's executable; throws the reason when it cannot be used.
    public func path(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        switch availability(environment: environment) {
        case .available(let path): return path
        case .unavailable(let reason): throw PeerMissing(description: reason)
        }
    }
}

/// Whether a peer can be used here.
public enum PeerAvailability: Equatable, Sendable {
    case available(String)
    case unavailable(String)
}

/// What a test that needs a peer does.
public enum PeerDecision: Equatable, Sendable {
    /// The peer is there: run.
    case run
    /// The peer is missing and nothing requires it: skip, with this reason.
    case skip(String)
    /// The peer is missing and WINSOCKSSL_REQUIRE_PEERS=1 (or the variable is malformed): fail, with this message.
    case fail(String)
}

/// The failure of a test whose peer is missing when peers are required.
public struct PeerMissing: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// The switch CI sets so that a missing peer fails instead of skipping.
public enum PeerPolicy {
    public static let requireVariable = "WINSOCKSSL_REQUIRE_PEERS"
    /// What runs every peer test: README and the closing line say the same.
    public static let howToRunEverything = "bash .ci/run as root installs the peers and runs everything"

    /// Whether peers are required: "1" yes; unset, empty or "0" no; anything else is refused (a typo must
    /// not turn CI's check off).
    public static func peersRequired(environment: [String: String] = ProcessInfo.processInfo.environment) throws(PeerMissing) -> Bool {
        switch environment[requireVariable] {
        case nil, "", "0": return false
        case "1": return true
        case let value?: throw PeerMissing(description: "\(requireVariable) must be 1 or 0, not '\(value)'")
        }
    }

    /// The decision for one test and one peer: the whole policy, free of the file system.
    public static func decide(_ peer: Peer, _ availability: PeerAvailability, required: Result<Bool, PeerMissing>) -> PeerDecision {
        switch (availability, required) {
        case (_, .failure(let malformed)):
            return .fail(malformed.description)
        case (.available, .success):
            return .run
        case (.unavailable(let reason), .success(false)):
            return .skip("\(reason); \(howToRunEverything)")
        case (.unavailable(let reason), .success(true)):
            return .fail("""
                \(peer.name) is required (\(requireVariable)=1) but missing: \(reason). \
                Install it (apt-get install \(peer.package)) or run .ci/run as root.
                """)
        }
    }

    /// The decision for `peer` in this process's environment.
    public static func decide(_ peer: Peer, environment: [String: String] = ProcessInfo.processInfo.environment) -> PeerDecision {
        let required = Result { () throws(PeerMissing) in try peersRequired(environment: environment) }
        return decide(peer, peer.availability(environment: environment), required: required)
    }
}

/// The trait behind `.requires(.postfix)`: on a suite it applies to each of its tests, so each one is
/// skipped (or fails) on its own, with the reason, and counts once in the closing line.
public struct PeerRequirementTrait: TestTrait, SuiteTrait {
    public let peers: [Peer]
    let sourceLocation: SourceLocation

    public var isRecursive: Bool { true }

    public func prepare(for test: Test) async throws {
        // The suite itself runs; its tests decide one by one.
        guard !test.isSuite else { return }
        for peer in peers {
            switch PeerPolicy.decide(peer) {
            case .run:
                continue
            case .skip(let reason):
                SkippedForMissingPeers.record(peer: peer, reason: reason)
                // Swift Testing's own skip, so the reason shows as "➜ Test … skipped: "…"".
                try await ConditionTrait.disabled(Comment(rawValue: reason), sourceLocation: sourceLocation).prepare(for: test)
            case .fail(let message):
                throw PeerMissing(description: message)
            }
        }
    }
}

extension Trait where Self == PeerRequirementTrait {
    /// Runs the test (every test of the suite) only where `peers` are present; see `PeerPolicy`.
    public static func requires(_ peers: Peer..., sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        PeerRequirementTrait(peers: peers, sourceLocation: sourceLocation)
    }
}

/// The tests skipped in this process for a missing peer, printed as one line when the process exits.
///
/// Swift Testing 6.3 prints each skip ("➜ Test x() skipped: "reason"") but its closing summary ("Test run
/// with N tests in M suites passed …") counts skipped tests among the N without saying so, and it offers
/// no in-process hook that runs after that summary. `atexit` does: the runner calls `exit` once it has
/// printed the summary, so this line, written to standard error like Swift Testing's own progress, is the
/// last one of the run. It is registered only once a test is skipped, so a run without skips (and the
/// XCTest pass `swift test` makes first) prints nothing.
public enum SkippedForMissingPeers {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counts: [(peer: String, reason: String, tests: Int)] = []

    static func record(peer: Peer, reason: String) {
        let first = lock.withLock {
            if let index = counts.firstIndex(where: { $0.peer == peer.name }) {
                counts[index].tests += 1
            } else {
                counts.append((peer.name, reason, 1))
            }
            return counts.count == 1 && counts[0].tests == 1
        }
        if first {
            atexit {
                // Swift Testing writes its progress to standard error: the line follows it there, after
                // anything still buffered.
                fflush(nil)
                FileHandle.standardError.write(Data((SkippedForMissingPeers.summary() + "\n").utf8))
            }
        }
    }

    /// "➜ 9 tests skipped for a missing peer: Postfix is not installed (no /usr/sbin/postfix) (9 tests). To run …"
    static func summary() -> String {
        let counts = lock.withLock { self.counts }
        let total = counts.reduce(0) { $0 + $1.tests }
        let parts = counts.map { entry -> String in
            // The reason without the advice every skip carries, which ends the line once.
            let reason = entry.reason.replacingOccurrences(of: "; \(PeerPolicy.howToRunEverything)", with: "")
            return "\(reason) (\(entry.tests) test\(entry.tests == 1 ? "" : "s"))"
        }
        return "➜ \(total) test\(total == 1 ? "" : "s") skipped for a missing peer: \(parts.joined(separator: "; ")). "
            + "To run them: bash .ci/run as root, which installs the peers and runs every test with \(PeerPolicy.requireVariable)=1."
    }
}
