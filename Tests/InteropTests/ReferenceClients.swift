import Foundation
import TestSupport

/// How one client's attempt ended. "accept" means exactly one thing: the client ended up with a TLS session
/// to the server whose certificate it verified for the name it was given. Anything else — refusing the
/// certificate, giving up before TLS, timing out, talking on in plain text — is a rejection, with a reason.
enum ClientOutcome: Equatable, Sendable, CustomStringConvertible {
    case accept
    case reject(String)

    var isAccept: Bool { self == .accept }

    var description: String {
        switch self {
        case .accept: "accept"
        case .reject(let reason): "reject (\(reason))"
        }
    }
}

/// `openssl s_client -starttls smtp`, strict: `-verify_return_error`, the name checked with
/// `-verify_hostname` (`-verify_ip` for an address, which `-verify_hostname` would compare with DNS names),
/// SNI with `-servername` for DNS names, only the test CA in `-CAfile`. Run under `timeout 5`.
struct OpenSSLClient {
    static let timeoutSeconds = 5

    static func run(name: String, port: UInt16, caFile: String) throws -> (outcome: ClientOutcome, output: String) {
        let isAddress = name.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        var arguments = [String(timeoutSeconds), try Peer.openssl.path(), "s_client", "-starttls", "smtp",
                         "-connect", "127.0.0.1:\(port)", "-verify_return_error", "-CAfile", caFile, "-brief"]
        arguments += isAddress ? ["-verify_ip", name] : ["-servername", name, "-verify_hostname", name]
        let result = try runProcess("/usr/bin/timeout", arguments, bound: .seconds(timeoutSeconds + 5))
        return (outcome(result), result.combinedOutput)
    }

    /// Reads the verdict from s_client's exit status and messages, reduced to a stable phrase.
    static func outcome(_ result: ProcessResult) -> ClientOutcome {
        let text = result.standardOutput + result.standardError
        if result.status == 124 || result.timedOut { return .reject("timed out after \(timeoutSeconds) s") }
        let triedAnyway = text.contains("Didn't find STARTTLS in server response, trying anyway")
        if result.status == 0, text.contains("CONNECTION ESTABLISHED"), text.contains("Verification: OK") {
            return .accept
        }
        var reason: String
        if let range = text.range(of: #"verify error:num=[0-9]+:[^\n]+"#, options: .regularExpression) {
            reason = "certificate: " + text[range].split(separator: ":", maxSplits: 2).last.map(String.init)!
        } else if text.contains("unexpected eof while reading")
                    || text.range(of: #"(read|write):errno=(32|104)"#, options: .regularExpression) != nil {
            // EOF, EPIPE or ECONNRESET, whichever the timing gave: the server hung up.
            reason = "connection closed or reset by the server"
        } else if let failure = openSSLFailure(in: text) {
            reason = failure
        } else if text.contains("connect:errno") {
            reason = "could not connect"
        } else {
            reason = "exit status \(result.status)"
        }
        if triedAnyway { reason = "STARTTLS not advertised, sent it anyway; then " + reason }
        return .reject(reason)
    }

    /// The reason part of the first OpenSSL error line (`…:error:0A00010B:SSL routines::wrong version number:…`).
    private static func openSSLFailure(in text: String) -> String? {
        for line in text.split(separator: "\n") where line.contains(":error:") {
            let fields = line.components(separatedBy: ":")
            if let routines = fields.firstIndex(where: { $0.hasSuffix("routines") }), routines + 2 < fields.count {
                return "TLS: " + fields[routines + 2]
            }
        }
        return nil
    }
}

/// Python's `smtplib`: `starttls(context=ssl.create_default_context(cafile=root.pem))`, `timeout=3`.
/// The script connects to 127.0.0.1 but keeps the given name as the one `starttls` verifies.
struct PythonSMTPClient {
    static let timeoutSeconds = 3


    static let script = #"""
        import json, re, smtplib, socket, ssl, sys
        name, port, cafile, timeout = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])

        class LoopbackSMTP(smtplib.SMTP):
            # Connect to the test server, but verify the certificate for `name` (smtplib uses the host given).
            def _get_socket(self, host, port, timeout):
                return socket.create_connection(("127.0.0.1", port), timeout)

        def report(outcome, reason=""):
            print(json.dumps({"outcome": outcome, "reason": reason}))
            sys.exit(0)

        try:
            context = ssl.create_default_context(cafile=cafile)
            smtp = LoopbackSMTP(name, port, local_hostname="client.winsockssl.test", timeout=timeout)
            code, _ = smtp.starttls(context=context)
            if code != 220:
                # Older smtplib versions returned a refusal instead of raising it.
                report("reject", "STARTTLS answered %d" % code)
        except (ssl.SSLEOFError, ssl.SSLZeroReturnError, ConnectionResetError, BrokenPipeError):
            # Whether a hang-up shows as EOF or as a reset is a matter of timing.
            report("reject", "connection closed or reset by the server")
        except ssl.SSLCertVerificationError as e:
            report("reject", "certificate: " + e.verify_message)
        except ssl.SSLError as e:
            text = e.reason or re.sub(r"^\[\w+\]\s*|\s*\(_ssl\.c:\d+\)", "", str(e))
            report("reject", "TLS: " + text.lower().replace("_", " "))
        except smtplib.SMTPNotSupportedError:
            report("reject", "SMTPNotSupportedError: STARTTLS not advertised")
        except smtplib.SMTPResponseException as e:
            report("reject", "SMTPResponseException: STARTTLS answered %d" % e.smtp_code)
        except smtplib.SMTPServerDisconnected as e:
            # smtplib wraps a read timeout in SMTPServerDisconnected, too.
            cause = "timed out after %g s" % timeout if "timed out" in str(e) else "connection closed or reset by the server"
            report("reject", "SMTPServerDisconnected: " + cause)
        except (socket.timeout, TimeoutError):
            report("reject", "timed out after %g s" % timeout)
        except OSError as e:
            report("reject", "%s: %s" % (type(e).__name__, e))
        try:
            smtp.ehlo()
            smtp.sendmail("sender@client.winsockssl.test", ["recipient@example.test"],
                          "Subject: smtplib\r\n\r\nfrom the comparison matrix\r\n")
            smtp.quit()
        except Exception as e:
            report("accept", "then %s" % type(e).__name__)
        report("accept")
        """#

    static func run(name: String, port: UInt16, caFile: String, scriptPath: String) throws -> (outcome: ClientOutcome, output: String) {
        let result = try runProcess(try Peer.python3.path(), [scriptPath, name, String(port), caFile, String(timeoutSeconds)],
                                    bound: .seconds(timeoutSeconds * 3 + 5))
        let output = result.combinedOutput
        guard result.status == 0, let line = result.standardOutput.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
              let verdict = object["outcome"] else {
            return (.reject("script failed: status \(result.status)"), output)
        }
        return (verdict == "accept" ? .accept : .reject(object["reason"] ?? "?"), output)
    }
}
