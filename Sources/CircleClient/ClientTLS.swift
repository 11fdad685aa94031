import NIOSSL

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
