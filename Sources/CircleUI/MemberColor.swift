import CircleCore

/// Each member's name keeps one colour everywhere: chosen from their account id, so it is the
/// same for every viewer and across restarts. Red is kept for errors.
public enum MemberColor {
    static let palette: [Style.Color] = [
        .cyan, .green, .yellow, .magenta, .blue, .brightCyan, .brightGreen, .brightYellow, .brightMagenta,
        .brightBlue,
    ]

    public static func of(_ account: AccountID) -> Style.Color {
        // FNV-1a: stable across runs and platforms, unlike Hasher.
        var hash: UInt32 = 2_166_136_261
        for byte in account.rawValue.utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return palette[Int(hash % UInt32(palette.count))]
    }
}
