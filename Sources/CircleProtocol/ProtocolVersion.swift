/// The protocol's version numbers. A server speaks every version in `supported`.
public enum ProtocolVersion {
    public static let current = 1
    public static let supported: ClosedRange<Int> = 1...1
}
