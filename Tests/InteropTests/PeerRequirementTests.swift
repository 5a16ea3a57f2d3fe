import Foundation
import TestSupport
import Testing

/// Tests that need a peer this machine lacks are skipped with the reason, unless WINSOCKSSL_REQUIRE_PEERS=1
/// (set by .ci/run) makes the missing peer a failure that names it. The policy is checked on its own, and
/// then for real: this test binary is run again on the Postfix suites with the Postfix lookup pointed at a
/// path that does not exist (WINSOCKSSL_POSTFIX_PATH), once without and once with the requirement.
@Suite struct PeerRequirementTests {
    static let missingPostfix = "/nonexistent/winsockssl-test/postfix"

    // MARK: The policy

    @Test func anAvailablePeerRunsWhetherOrNotPeersAreRequired() {
        #expect(PeerPolicy.decide(.postfix, .available("/usr/sbin/postfix"), required: .success(false)) == .run)
        #expect(PeerPolicy.decide(.postfix, .available("/usr/sbin/postfix"), required: .success(true)) == .run)
    }

    @Test func aMissingPeerIsSkippedWithTheReasonAndHowToRunIt() {
        let decision = PeerPolicy.decide(.postfix, .unavailable("Postfix is not installed (no /usr/sbin/postfix)"), required: .success(false))
        #expect(decision == .skip("Postfix is not installed (no /usr/sbin/postfix); \(PeerPolicy.howToRunEverything)"))
    }

    @Test func aMissingPeerFailsNamingItWhenPeersAreRequired() throws {
        let decision = PeerPolicy.decide(.openssl, .unavailable("openssl is not installed (no /usr/bin/openssl)"), required: .success(true))
        guard case .fail(let message) = decision else {
            Issue.record("expected a failure, got \(decision)")
            return
        }
        #expect(message.hasPrefix("openssl is required (WINSOCKSSL_REQUIRE_PEERS=1) but missing: openssl is not installed"))
        #expect(message.contains("apt-get install openssl"))
    }

    @Test(arguments: [nil, "", "0"] as [String?])
    func peersAreNotRequiredUnlessTheVariableIsOne(_ value: String?) throws {
        let environment = value.map { ["WINSOCKSSL_REQUIRE_PEERS": $0] } ?? [:]
        #expect(try PeerPolicy.peersRequired(environment: environment) == false)
        #expect(try PeerPolicy.peersRequired(environment: ["WINSOCKSSL_REQUIRE_PEERS": "1"]))
    }

    @Test(arguments: ["yes", "true", "2", " 1"])
    func aMalformedRequirementFailsEvenWhereThePeerIsPresent(_ value: String) {
        let environment = ["WINSOCKSSL_REQUIRE_PEERS": value, "WINSOCKSSL_OPENSSL_PATH": "/bin/sh"]
        #expect(PeerPolicy.decide(.openssl, environment: environment)
                == .fail("WINSOCKSSL_REQUIRE_PEERS must be 1 or 0, not '\(value)'"))
    }

    // MARK: The lookup

    @Test func thePathVariableReplacesTheDefaultPaths() {
        #expect(Peer.openssl.availability(environment: ["WINSOCKSSL_OPENSSL_PATH": "/bin/sh"]) == .available("/bin/sh"))
        #expect(Peer.python3.availability(environment: ["WINSOCKSSL_PYTHON3_PATH": "/nonexistent/python3"])
                == .unavailable("python3 is not installed (no /nonexistent/python3 from WINSOCKSSL_PYTHON3_PATH)"))
    }

    @Test func postfixPointedAtAMissingPathIsNotInstalled() {
        #expect(Peer.postfix.availability(environment: ["WINSOCKSSL_POSTFIX_PATH": Self.missingPostfix])
                == .unavailable("Postfix is not installed (no \(Self.missingPostfix) from WINSOCKSSL_POSTFIX_PATH)"))
    }

    @Test func postfixWithoutPostcatBesideItCannotBeUsed() {
        // /bin/sh is executable, and /bin has no postcat.
        #expect(Peer.postfix.availability(environment: ["WINSOCKSSL_POSTFIX_PATH": "/bin/sh"])
                == .unavailable("Postfix cannot be used: no /bin/postcat next to /bin/sh"))
    }

    @Test func skipPostfixTreatsAnInstalledPostfixAsMissing() {
        let environment = ["WINSOCKSSL_POSTFIX_PATH": "/bin/sh", "WINSOCKSSL_SKIP_POSTFIX": "1"]
        #expect(Peer.postfix.availability(environment: environment)
                == .unavailable("Postfix cannot be used: WINSOCKSSL_SKIP_POSTFIX=1 asks to skip it"))
        guard case .fail(let message) = PeerPolicy.decide(.postfix, environment: environment.merging(["WINSOCKSSL_REQUIRE_PEERS": "1"]) { $1 }) else {
            Issue.record("a skip request must not get past WINSOCKSSL_REQUIRE_PEERS=1")
            return
        }
        #expect(message.contains("WINSOCKSSL_SKIP_POSTFIX=1"))
    }

    // MARK: For real: the Postfix suites in a child run of this test binary

    static let postfixSuites = ["InteropTests.PostfixSubmissionTests", "InteropTests.PostfixExampleAndLoadTests"]

    /// Runs the Postfix suites of this test binary with Postfix looked for at a path that does not exist.
    static func runPostfixSuites(requirePeers: Bool) throws -> ProcessResult {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var environment = ProcessInfo.processInfo.environment
        environment["WINSOCKSSL_POSTFIX_PATH"] = missingPostfix
        environment["WINSOCKSSL_REQUIRE_PEERS"] = requirePeers ? "1" : nil
        environment["WINSOCKSSL_SKIP_POSTFIX"] = nil
        environment["NO_COLOR"] = "1"
        let arguments = ["--testing-library", "swift-testing"] + postfixSuites.flatMap { ["--filter", $0] }
        let result = try runProcess(executable, arguments, environment: environment, bound: .seconds(120))
        #expect(!result.timedOut, "the child test run did not finish:\n\(result.combinedOutput)")
        return result
    }

    @Test(.timeLimit(.minutes(3)))
    func withoutPostfixItsTestsAreSkippedAndTheRunEndsGreenWithACount() throws {
        let result = try Self.runPostfixSuites(requirePeers: false)
        let output = result.combinedOutput
        #expect(result.status == 0, "\(output)")
        let expectedReason = "Postfix is not installed (no \(Self.missingPostfix) from WINSOCKSSL_POSTFIX_PATH)"
        #expect(output.contains("Test sslHelperSubmitsAMessageThroughPostfixOverSTARTTLS() skipped: \"\(expectedReason)"), "\(output)")
        #expect(output.contains("Test twentyConcurrentSubmissionsAllArriveAndGiveTheirSocketsBack() skipped: \"\(expectedReason)"), "\(output)")
        // Swift Testing writes its progress to standard error, and the closing line follows it there.
        let lines = result.standardError.split(separator: "\n").map(String.init)
        let count = lines.filter { $0.contains(" skipped: \"\(expectedReason)") }.count
        #expect(count >= 2, "\(output)")
        #expect(lines.last == "➜ \(count) tests skipped for a missing peer: \(expectedReason) (\(count) tests). "
                + "To run them: bash .ci/run as root, which installs the peers and runs every test with WINSOCKSSL_REQUIRE_PEERS=1.",
                "\(output)")
    }

    @Test(.timeLimit(.minutes(3)))
    func withoutPostfixAndPeersRequiredEveryPostfixTestFailsNamingPostfix() throws {
        let result = try Self.runPostfixSuites(requirePeers: true)
        let output = result.combinedOutput
        #expect(result.status != 0, "\(output)")
        let failure = "Postfix is required (WINSOCKSSL_REQUIRE_PEERS=1) but missing: Postfix is not installed (no \(Self.missingPostfix)"
        let failures = output.split(separator: "\n").filter { $0.contains("recorded an issue") && $0.contains(failure) }
        for test in ["sslHelperSubmitsAMessageThroughPostfixOverSTARTTLS()", "twentyConcurrentSubmissionsAllArriveAndGiveTheirSocketsBack()"] {
            #expect(failures.contains { $0.contains("Test \(test) recorded an issue") }, "\(output)")
        }
        #expect(failures.count >= 2, "\(output)")
        #expect(!output.contains(" skipped: "), "\(output)")
        #expect(!output.contains("skipped for a missing peer"), "\(output)")
    }
}
