import CircleProtocol
import Foundation
import NIOCore

/// One input: bytes as they might arrive on a connection, split into frames by the
/// decoder and each parsed as a request. Nothing may crash, hang or grow without bound;
/// every bad input must end as a thrown `FrameError` or a parse error naming what was wrong.
public func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    var buffer = ByteBuffer(bytes: bytes)
    var decoder = LineFrameDecoder(maxFrameSize: 4096)
    while true {
        let frame: ByteBuffer?
        do {
            frame = try decoder.nextFrame(from: &buffer)
        } catch {
            return
        }
        guard let frame else { return }
        let (_, result) = Request.parse(frame)
        // The hand-written path for plain `say` frames must agree with JSONDecoder's.
        let bytes = Array(frame.readableBytesView)
        if String(validating: bytes, as: UTF8.self) != nil, let fast = bytes.withUnsafeBytes({ Request.plainSay($0) }) {
            let general = Request.parseGenerally(bytes)
            precondition(
                fast.id == general.id && (try? fast.request.get()) == (try? general.request.get()),
                "the fast say path disagrees with JSONDecoder")
        }
        // So must the client's hand-written reader of replies, on the same bytes as a reply.
        let data = Data(bytes)
        precondition(
            (try? ServerFrame.result(data, as: Reply.Appended.self))
                == (try? ServerFrame.resultGenerally(data, as: Reply.Appended.self)),
            "the fast reply path disagrees with JSONDecoder")
        if case .success(let request) = result {
            if case .say = request {
                precondition(
                    (try? request.frame(id: 1)) == (try? request.frameGenerally(id: 1)),
                    "the hand-written say frame differs from JSONEncoder's")
            }
            // What parses must encode again and parse to the same request.
            if let again = try? request.frame(id: 1) {
                var again = again
                again.moveWriterIndex(to: again.writerIndex - 1)
                let (_, reparsed) = Request.parse(again)
                precondition((try? reparsed.get()) == request, "a request did not survive its own encoding")
            }
        }
    }
}

/// libFuzzer's entry point, called from circle-libfuzz's C shim for every input it makes.
@_cdecl("circle_fuzz_one")
public func circleFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
