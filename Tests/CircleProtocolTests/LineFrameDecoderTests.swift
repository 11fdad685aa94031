import CircleProtocol
import NIOCore
import NIOTestUtils
import Testing

@Suite struct LineFrameDecoderTests {
    @Test func framesSurviveAnyWayTheBytesAreSplit() throws {
        // The verifier feeds the input whole, byte by byte and in random chunks.
        let input = ByteBuffer(string: "{\"op\":\"ping\"}\n{\"op\":\"hello\"}\r\n\n{\"é\":\"ü 界\"}\n")
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (
                    input,
                    [
                        ByteBuffer(string: "{\"op\":\"ping\"}"), ByteBuffer(string: "{\"op\":\"hello\"}"),
                        ByteBuffer(string: ""), ByteBuffer(string: "{\"é\":\"ü 界\"}"),
                    ]
                )
            ],
            decoderFactory: { LineFrameDecoder(maxFrameSize: 64) })
    }

    @Test func aFrameAtTheLimitPassesAndOneByteMoreFails() throws {
        var decoder = LineFrameDecoder(maxFrameSize: 8)
        var exact = ByteBuffer(string: "12345678\n")
        #expect(try decoder.nextFrame(from: &exact) == ByteBuffer(string: "12345678"))
        var over = ByteBuffer(string: "123456789\n")
        #expect(throws: FrameError.tooLarge(limit: 8)) { try decoder.nextFrame(from: &over) }
    }

    @Test func anEndlessLineFailsBeforeItsNewlineArrives() throws {
        var decoder = LineFrameDecoder(maxFrameSize: 16)
        var buffer = ByteBuffer()
        var thrown = false
        for _ in 0..<100 {
            buffer.writeString("x")
            do {
                _ = try decoder.nextFrame(from: &buffer)
            } catch {
                thrown = true
                break
            }
        }
        #expect(thrown)
        #expect(buffer.readableBytes == 17)
    }

    @Test func bytesFedOneAtATimeAreScannedOnce() throws {
        var decoder = LineFrameDecoder(maxFrameSize: 1024)
        var buffer = ByteBuffer()
        var frames: [String] = []
        for byte in Array("abc\ndef\n".utf8) {
            buffer.writeInteger(byte)
            if let frame = try decoder.nextFrame(from: &buffer) { frames.append(String(buffer: frame)) }
        }
        #expect(frames == ["abc", "def"])
    }
}
