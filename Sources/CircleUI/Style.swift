/// How a run of text looks. Only the 16 basic colours, which xterm, tmux and screen all draw.
public struct Style: Hashable, Sendable {
    public enum Color: Int, Hashable, Sendable {
        case red = 31
        case green = 32
        case yellow = 33
        case blue = 34
        case magenta = 35
        case cyan = 36
        case brightRed = 91
        case brightGreen = 92
        case brightYellow = 93
        case brightBlue = 94
        case brightMagenta = 95
        case brightCyan = 96
    }

    public var color: Color?
    public var bold = false
    public var dim = false
    public var reverse = false

    public init(color: Color? = nil, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.color = color
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    public static let plain = Style()
}
