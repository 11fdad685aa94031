import NIOCore
import NIOPosix
import NIOSSL
#if canImport(Glibc)
    import Glibc
#endif

/// How the client checks a server before sending it anything: against the system's trust
/// store, or against one CA file (a clinic's own CA). The server's name or IP address must be
/// in its certificate; there is no way to skip the check.
public struct ClientTLS: Sendable {
    let context: NIOSSLContext

    /// `caFile`: a PEM file of the CAs to trust instead of the system's.
    public init(caFile: String? = nil) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw ClientError.usage("The CA file \(caFile) could not be read as PEM certificates (\(error)).")
            }
        }
        context = try NIOSSLContext(configuration: configuration)
    }

    /// What to ask for by name: a host name is checked against the certificate's names; an IP
    /// address (which SNI may not carry) against its IP addresses.
    static func serverHostname(_ host: String) -> String? {
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        return isAddress ? nil : host
    }
}

/// Why a connection could not be made, in one sentence that says what to do: what people read
/// when a connection fails, in place of the networking library's own description.
enum ConnectFailure {
    /// A TLS handshake that failed, for a server reached as `host`.
    static func tls(_ error: any Error, host: String) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("failedToValidateHostname") {
            return "The server's certificate is not trusted for \(host); pass --ca-file with the CA that signed "
                + "it, and connect by a name or address the certificate lists."
        }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG")
            || text.contains("uncleanShutdown")
        {
            return "The server at \(host) did not answer in TLS; if it serves plain TCP on loopback, "
                + "connect to \(host) without tls://."
        }
        return "A secure connection to \(host) could not be agreed (the TLS handshake failed); "
            + "check the server's address and --ca-file."
    }

    /// A TCP connection that could not be opened to `host:port`.
    static func unreachable(_ error: any Error, host: String, port: Int) -> String {
        let errnos: [CInt]
        if let failure = error as? NIOConnectionError {
            if failure.connectionErrors.isEmpty, failure.dnsAError != nil || failure.dnsAAAAError != nil {
                return "\(host):\(port): the name \(host) could not be found"
            }
            errnos = failure.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }
        } else {
            errnos = [(error as? IOError)?.errnoCode].compactMap { $0 }
        }
        if errnos.contains(ECONNREFUSED) { return "\(host):\(port): nothing is listening there" }
        if errnos.contains(ETIMEDOUT) || error is ChannelError { return "\(host):\(port): it did not answer in time" }
        if errnos.contains(ENETUNREACH) || errnos.contains(EHOSTUNREACH) {
            return "\(host):\(port): there is no route to it from here"
        }
        return "\(host):\(port)"
    }
}
