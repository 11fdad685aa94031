import CircleCore
import CircleProtocol

extension Connection {
    /// What the connection's timers ask for at a moment: nothing yet (wake at a deadline), an
    /// end because it never signed in, or an idle logoff; nil when nothing is left to watch.
    enum TimerStep: Equatable {
        case sleep(until: Timestamp)
        case signInTimedOut
        case idleLoggedOff
    }

    /// The auth timeout (no sign-in within so many seconds of connecting) and the idle logoff
    /// (nothing received for so long) at `now`, from what the connection knows; no side effects.
    /// Idle logoff passes by a connection that follows an open session: a member listening to
    /// the group is present, not away, and is asked again one idle time later.
    func timerStep(at now: Timestamp) -> TimerStep? {
        let configuration = context.configuration
        var wake: Timestamp?
        if caller == nil {
            let deadline = openedAt.adding(seconds: Int64(configuration.authTimeoutSeconds))
            if now >= deadline { return .signInTimedOut }
            wake = deadline
        }
        if configuration.idleLogoffSeconds > 0 {
            let idle = Int64(configuration.idleLogoffSeconds)
            var deadline = lastInbound.adding(seconds: idle)
            if now >= deadline {
                guard followsOpenSession else { return .idleLoggedOff }
                deadline = now.adding(seconds: idle)
            }
            wake = min(wake ?? deadline, deadline)
        }
        return wake.map { .sleep(until: $0) }
    }

    /// The connection's life as its task runs it, whatever the wire: known to the server while
    /// it lasts, its timers (the auth timeout and the idle logoff) beside `requests`, which
    /// reads and handles its requests, and every room let go at the end.
    func serve(_ requests: () async -> Void) async {
        context.register(self)
        defer {
            leaveAll()
            context.unregister(self)
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.runTimers() }
            await requests()
            group.cancelAll()
        }
    }

    /// Runs the connection's timers on the injected clock until one ends the connection,
    /// nothing is left to watch, or the connection's task cancels it as the connection ends.
    func runTimers() async {
        let clock = context.clock
        while let step = timerStep(at: clock.now()) {
            switch step {
            case .sleep(let deadline):
                do { try await clock.sleep(until: deadline) } catch { return }
            case .signInTimedOut:
                context.metrics?.refused(.authTimeout)
                closeAfter(
                    .error(
                        id: nil,
                        CircleError(.authTimeout, "No sign-in within \(context.configuration.authTimeoutSeconds) s.")))
                return
            case .idleLoggedOff:
                // The automatic logoff clinics ask for. The member may sign in again.
                closeAfter(
                    .bye(
                        CircleError(
                            .idleLogoff, "Logged off after a long time without activity; sign in again to continue.")))
                return
            }
        }
    }
}
