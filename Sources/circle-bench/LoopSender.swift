import CircleClient
import CircleCore
import CircleProtocol
import Dispatch
import Foundation
import NIOCore

/// One member's messages, sent from its connection's event loop: a timer or a reply starts each
/// send. A task per member that slept and awaited each reply cost the 1,000 clients of the paced
/// run three thread hops per message, on the two cores the server needs.
final class LoopSender: Sendable {
    let connection: CircleConnection
    let room: RoomID
    let sender: Int
    let messages: Int
    let size: Int
    /// Most messages unacknowledged at once: 1 waits for each reply, more pipelines as a client
    /// that pastes several lines would.
    let window: Int
    /// Nanoseconds between sends; 0 sends each as soon as the window allows.
    let interval: UInt64
    let started: UInt64
    private let done: EventLoopPromise<Void>
    /// The filler after each message's head, made once: `String(repeating:count:)` per message
    /// cost the clients a twentieth of their CPU.
    private let filler: [UInt8]
    private let progress: NIOLoopBoundBox<Progress>

    /// Touched only on the connection's event loop.
    struct Progress {
        var next = 0
        var acknowledged = 0
        var timerSet = false
    }

    init(
        _ connection: CircleConnection, room: RoomID, sender: Int, messages: Int, size: Int, rate: Double,
        window: Int = 1, started: UInt64
    ) {
        self.connection = connection
        self.room = room
        self.sender = sender
        self.messages = messages
        self.size = size
        self.window = window
        self.interval = rate > 0 ? UInt64(1e9 / rate) : 0
        self.started = started
        self.done = connection.eventLoop.makePromise()
        self.filler = Array(repeating: UInt8(ascii: "x"), count: size)
        self.progress = .makeBoxSendingValue(Progress(), eventLoop: connection.eventLoop)
    }

    /// Sends every message, at most `window` in flight; succeeds when the last is acknowledged.
    func run() -> EventLoopFuture<Void> {
        connection.eventLoop.execute { self.pump() }
        return done.futureResult
    }

    /// Sends what is due while the window has room.
    private func pump() {
        while progress.value.next < messages, progress.value.next - progress.value.acknowledged < window {
            let number = progress.value.next
            // Paced from the start, so a late reply does not push every later send back; the
            // senders' phases are spread over the interval.
            let due = started + UInt64(number) * interval + UInt64(sender % 97) * interval / 97
            if interval > 0, due > DispatchTime.now().uptimeNanoseconds {
                guard !progress.value.timerSet else { return }
                progress.value.timerSet = true
                connection.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(due)) {
                    self.progress.value.timerSet = false
                    self.pump()
                }
                return
            }
            progress.value.next += 1
            send(number)
        }
    }

    /// Sends message `number`, carrying its send time, the sender and its number.
    private func send(_ number: Int) {
        let head = "t\(DispatchTime.now().uptimeNanoseconds)|\(sender)|\(number)|"
        let text = head + String(decoding: filler.prefix(max(0, size - head.utf8.count)), as: UTF8.self)
        connection.send(.say(.init(room: room, text: text))) { result in
            switch result {
            case .success:
                self.progress.value.acknowledged += 1
                if self.progress.value.acknowledged == self.messages {
                    self.done.succeed()
                } else {
                    self.pump()
                }
            case .failure(let error):
                // Nothing more is sent once one has failed.
                self.progress.value.next = self.messages
                self.done.fail(error)
            }
        }
    }
}
