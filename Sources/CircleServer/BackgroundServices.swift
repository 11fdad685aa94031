import CircleCore
import ServiceLifecycle

/// Archives closed sessions one after another as they close, and at start those that have no
/// archive yet (written by an older server, or interrupted by a stop), until the group stops.
/// A session still queued then is archived at the next start.
struct ArchivingService: Service {
    let context: ServerContext

    func run() async throws {
        context.archiveMissingSessions()
        for await job in context.archiveJobs.stream.cancelOnGracefulShutdown() {
            await context.archive(job)
        }
    }
}

/// Retention as a service in the server's `ServiceGroup`: every `retentionInterval` seconds
/// of the injected clock it purges what `retentionDays` allows, until the group shuts down.
struct RetentionService: Service {
    let context: ServerContext

    func run() async throws {
        guard let days = context.configuration.retentionDays else {
            // Off: nothing to do, but a service that returned early would end the group.
            try? await gracefulShutdown()
            return
        }
        let interval = Int64(context.configuration.retentionInterval)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            _ = try? await context.archiver.run { [context] in context.purgeExpired(days: days) }
            try? await cancelWhenGracefulShutdown { [context] in try await context.clock.sleep(seconds: interval) }
        }
    }
}

/// Watches for tokens revoked from another process (`circled admin revoke`) and cuts their
/// connections off within `every` seconds, as a service in the server's `ServiceGroup`.
struct RevocationWatcher: Service {
    let context: ServerContext
    var every: Int64 = 2

    func run() async throws {
        var since = context.clock.now()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { [context, every] in try await context.clock.sleep(seconds: every)
                }
            } catch {
                return
            }
            let now = context.clock.now()
            if let revoked = try? context.store.tokensRevoked(since: since.adding(seconds: -every)) {
                context.cutOff(tokenHashes: revoked)
            }
            since = now
        }
    }
}
