/// What a site sets for every room: its safety text and phrases, its questionnaires, and how
/// many people a room may hold.
public struct SiteRules: Hashable, Sendable {
    public var safety: SafetySettings
    public var instruments: InstrumentCatalog
    /// The most members (facilitators included) a room takes; redeeming one more is refused.
    public var maxMembers: Int

    public init(
        safety: SafetySettings = .standard, instruments: InstrumentCatalog = .builtIn, maxMembers: Int = 12
    ) {
        self.safety = safety
        self.instruments = instruments
        self.maxMembers = maxMembers
    }

    public static let standard = SiteRules()
}
