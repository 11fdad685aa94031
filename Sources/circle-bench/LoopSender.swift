import CircleClient
import CircleCore
import CircleProtocol
import Dispatch
import Foundation
import NIOCore

/// One member's messages, sent from its connection's event loop: a timer or the last reply
/// starts each send. A task per member that slept and awaited each reply cost the 1,000 clients
/// of the paced run three thread hops per message, on the two cores the server needs.
final class LoopSender: Sendable {
    let connection: CircleConnection
    let room: RoomID
    let sender: Int
    let messages: Int
    let size: Int
    /// Nanoseconds between sends; 0 sends each as soon as the previous one is acknowledged.
    let interval: UInt64
    let started: UInt64
    private let done: EventLoopPromise<Void>
    /// The filler after each message's head, made once: `String(repeating:count:)` per message
    /// cost the clients a twentieth of their CPU.
    private let filler: [UInt8]

    init(
        _ connection: CircleConnection, room: RoomID, sender: Int, messages: Int, size: Int, rate: Double,
        started: UInt64
    ) {
        self.connection = connection
        self.room = room
        self.sender = sender
        self.messages = messages
        self.size = size
        self.interval = rate > 0 ? UInt64(1e9 / rate) : 0
        self.started = started
        self.done = connection.eventLoop.makePromise()
        self.filler = Array(repeating: UInt8(ascii: "x"), count: size)
    }

    /// Sends every message, one in flight at a time; succeeds when the last is acknowledged.
    func run() -> EventLoopFuture<Void> {
        connection.eventLoop.execute { self.schedule(0) }
        return done.futureResult
    }

    private func schedule(_ number: Int) {
        guard number < messages else {
            done.succeed()
            return
        }
        // Paced from the start, so a late reply does not push every later send back; the
        // senders' phases are spread over the interval.
        let due = started + UInt64(number) * interval + UInt64(sender % 97) * interval / 97
        if interval > 0, due > DispatchTime.now().uptimeNanoseconds {
            connection.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(due)) { self.send(number) }
        } else {
            send(number)
        }
    }

    /// Sends message `number`, carrying its send time, the sender and its number.
    private func send(_ number: Int) {
        let head = "t\(DispatchTime.now().uptimeNanoseconds)|\(sender)|\(number)|"
        let text = head + String(decoding: filler.prefix(max(0, size - head.utf8.count)), as: UTF8.self)
        connection.send(.say(.init(room: room, text: text))) { result in
            switch result {
            case .success: self.schedule(number + 1)
            case .failure(let error): self.done.fail(error)
            }
        }
    }
}
