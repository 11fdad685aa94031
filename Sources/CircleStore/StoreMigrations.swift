import GRDB

/// The schema, as a list of migrations. A migration that has shipped is never edited: a change
/// is a new migration appended at the end.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 accounts, rooms, invites, events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE accounts (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('facilitator', 'participant')),
                        created_at INTEGER NOT NULL
                    );
                    -- Tokens are stored only as SHA-256 hashes; the token itself is shown once.
                    CREATE TABLE tokens (
                        hash TEXT PRIMARY KEY NOT NULL,
                        account TEXT NOT NULL REFERENCES accounts(id),
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    CREATE INDEX tokens_account ON tokens(account);
                    -- The index of rooms; a room's state is what its events add up to.
                    CREATE TABLE rooms (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        owner TEXT NOT NULL REFERENCES accounts(id),
                        created_at INTEGER NOT NULL
                    );
                    -- Maps an invite code's hash to its room; uses and expiry live in the log.
                    CREATE TABLE invites (
                        id TEXT PRIMARY KEY NOT NULL,
                        room TEXT NOT NULL REFERENCES rooms(id),
                        code_hash TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE events (
                        room TEXT NOT NULL REFERENCES rooms(id),
                        seq INTEGER NOT NULL,
                        session INTEGER,
                        at INTEGER NOT NULL,
                        actor TEXT,
                        audience TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        client_id TEXT,
                        json BLOB NOT NULL,
                        PRIMARY KEY (room, seq)
                    ) WITHOUT ROWID;
                    -- Backs up the in-memory check: one message per sender and client id.
                    CREATE UNIQUE INDEX events_client_id ON events(room, actor, client_id)
                        WHERE client_id IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v2 audit trail") { db in
            try db.execute(
                sql: """
                    -- Append-only and hash-chained: each row's hash covers its fields and the
                    -- previous row's hash (AuditChain), so an edit or deletion is detectable.
                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY NOT NULL,
                        at INTEGER NOT NULL,
                        actor TEXT,
                        action TEXT NOT NULL,
                        room TEXT,
                        target TEXT,
                        detail TEXT NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX audit_room ON audit(room, id);
                    """)
        }
        migrator.registerMigration("v3 facilitator notes") { db in
            try db.execute(
                sql: """
                    -- Facilitators' private notes about members: never in a room's log, so never
                    -- delivered, resumed or archived with it. Reads are audited.
                    CREATE TABLE notes (
                        id INTEGER PRIMARY KEY NOT NULL,
                        room TEXT NOT NULL REFERENCES rooms(id),
                        member TEXT NOT NULL,
                        author TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        text TEXT NOT NULL
                    );
                    CREATE INDEX notes_member ON notes(room, member, id);
                    """)
        }
        migrator.registerMigration("v4 journal") { db in
            try db.execute(
                sql: """
                    -- Members' private journals: theirs alone, never in a room's log. An entry
                    -- reaches a room's facilitators only through a row in journal_shares.
                    CREATE TABLE journal (
                        id INTEGER PRIMARY KEY NOT NULL,
                        author TEXT NOT NULL REFERENCES accounts(id),
                        at INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        text TEXT NOT NULL,
                        tags TEXT NOT NULL,
                        mood INTEGER
                    );
                    CREATE INDEX journal_author ON journal(author, at);
                    CREATE TABLE journal_shares (
                        entry INTEGER NOT NULL REFERENCES journal(id),
                        room TEXT NOT NULL REFERENCES rooms(id),
                        at INTEGER NOT NULL,
                        PRIMARY KEY (entry, room)
                    ) WITHOUT ROWID;
                    CREATE INDEX journal_shares_room ON journal_shares(room, entry);
                    """)
        }
        migrator.registerMigration("v5 archives, legal holds, purges") { db in
            try db.execute(
                sql: """
                    -- Session archives written into the data folder, and whether they verified.
                    CREATE TABLE archives (
                        room TEXT NOT NULL REFERENCES rooms(id),
                        session INTEGER NOT NULL,
                        file TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        bytes INTEGER NOT NULL,
                        events INTEGER NOT NULL,
                        first_seq INTEGER NOT NULL,
                        last_seq INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        verified_at INTEGER,
                        PRIMARY KEY (room, session)
                    ) WITHOUT ROWID;
                    -- A room under legal hold is never purged.
                    CREATE TABLE legal_holds (
                        room TEXT PRIMARY KEY NOT NULL REFERENCES rooms(id),
                        at INTEGER NOT NULL,
                        reason TEXT NOT NULL
                    );
                    -- Events removed from the live database after their archive verified; a room
                    -- is rebuilt from these archives for the purged ranges.
                    CREATE TABLE purges (
                        room TEXT NOT NULL REFERENCES rooms(id),
                        session INTEGER NOT NULL,
                        first_seq INTEGER NOT NULL,
                        last_seq INTEGER NOT NULL,
                        file TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        PRIMARY KEY (room, session)
                    ) WITHOUT ROWID;
                    CREATE INDEX events_session ON events(room, session, seq);
                    """)
        }
        migrator.registerMigration("v6 index only session closes") { db in
            try db.execute(
                sql: """
                    -- Only the close of a session is ever looked up by session (to find where its
                    -- archive ends). Indexing every event by session cost each commit a second
                    -- page written per room; a partial index is touched by closes alone.
                    DROP INDEX events_session;
                    CREATE INDEX events_session_closed ON events(room, session) WHERE kind = 'session_closed';
                    """)
        }
        migrator.registerMigration("v7 room snapshots") { db in
            try db.execute(
                sql: """
                    -- A room's state as its log added up to through seq, so a start reads the
                    -- snapshot and the events after it rather than the whole history. Only a
                    -- cache: a missing, stale or unreadable one means replaying the log.
                    CREATE TABLE room_snapshots (
                        room TEXT PRIMARY KEY NOT NULL REFERENCES rooms(id),
                        seq INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        json BLOB NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
