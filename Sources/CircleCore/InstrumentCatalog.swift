/// The instruments a server offers rounds: the built-in ones and the site's.
public struct InstrumentCatalog: Hashable, Sendable {
    public private(set) var byID: [String: Instrument]

    public init(_ instruments: [Instrument]) {
        byID = Dictionary(instruments.map { ($0.id, $0) }, uniquingKeysWith: { _, site in site })
    }

    public static let builtIn = InstrumentCatalog(Instrument.builtIn)

    /// The built-in instruments and the site's (a site instrument with a built-in id replaces it).
    public func adding(_ site: [Instrument]) -> InstrumentCatalog {
        InstrumentCatalog(Array(byID.values) + site)
    }

    public subscript(id: String) -> Instrument? { byID[id] }
}
