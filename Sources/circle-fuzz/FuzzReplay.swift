import CircleFuzzing
import Foundation

/// Replays a corpus of inputs (files or folders) through the frame decoder and the request
/// parser, each followed by a bounded run of mutations of it: a small fuzzer that every CI run
/// repeats exactly (the mutations come from a fixed seed per input).
@main
struct FuzzReplay {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var mutations = 2000
        if let index = arguments.firstIndex(of: "--mutations"), index + 1 < arguments.count {
            mutations = Int(arguments[index + 1]) ?? mutations
            arguments.removeSubrange(index...(index + 1))
        }
        var count = 0
        for path in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            let files =
                isFolder.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                let seed = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                seed.withUnsafeBytes { fuzzOne($0) }
                count += 1
                var mutator = Mutator(seed: UInt64(file.utf8.reduce(5381) { ($0 &* 33) &+ UInt64($1) }))
                for _ in 0..<mutations {
                    mutator.mutate(seed).withUnsafeBytes { fuzzOne($0) }
                    count += 1
                }
            }
        }
        print("ran \(count) inputs (seeds and their mutations) without a crash")
    }
}

/// Byte-level mutations from a fixed-seed generator: flips, inserts, deletions, truncation,
/// repeated spans, and characters that matter to the parser.
struct Mutator {
    private var state: UInt64
    private static let interesting =
        Array("{}[]\":,\n\r\\0-9eE.+-tfnu".utf8) + [0x00, 0x7f, 0xc3, 0xa9, 0xf0, 0x9f, 0xff]

    init(seed: UInt64) {
        state = seed | 1
    }

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(max(bound, 1)))
    }

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...next(4) {
            switch next(6) {
            case 0 where !bytes.isEmpty: bytes[next(bytes.count)] ^= UInt8(1 << next(8))
            case 1: bytes.insert(Self.interesting[next(Self.interesting.count)], at: next(bytes.count + 1))
            case 2 where !bytes.isEmpty: bytes.remove(at: next(bytes.count))
            case 3 where !bytes.isEmpty: bytes.removeLast(next(bytes.count))
            case 4 where !bytes.isEmpty:
                let start = next(bytes.count)
                let span = bytes[start..<min(bytes.count, start + 1 + next(16))]
                bytes.insert(contentsOf: span, at: next(bytes.count + 1))
            default: bytes.append(UInt8(ascii: "\n"))
            }
        }
        return bytes
    }
}
