"""The database schema, as numbered migrations that upgrade an older file in place."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE villages (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL
    );
    CREATE TABLE households (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        village_id TEXT REFERENCES villages(id),
        created_at TEXT NOT NULL
    );
    CREATE TABLE residents (
        id INTEGER PRIMARY KEY,
        name TEXT,
        village_id TEXT REFERENCES villages(id),
        household_id INTEGER REFERENCES households(id),
        lang TEXT,
        consent_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX residents_household ON residents(household_id);
    CREATE TABLE identities (
        channel TEXT NOT NULL,
        external_id TEXT NOT NULL,
        resident_id INTEGER NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (channel, external_id)
    );
    CREATE INDEX identities_resident ON identities(resident_id);
    CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        resident_id INTEGER NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
        wording_version TEXT NOT NULL,
        given_at TEXT NOT NULL
    );
    CREATE TABLE flow_versions (
        flow_id TEXT NOT NULL,
        version TEXT NOT NULL,
        path TEXT NOT NULL,
        source TEXT NOT NULL,
        loaded_at TEXT NOT NULL,
        PRIMARY KEY (flow_id, version)
    );
    CREATE TABLE runs (
        resident_id INTEGER NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        household_id INTEGER,
        village_id TEXT,
        flow_id TEXT NOT NULL,
        version TEXT NOT NULL,
        status TEXT NOT NULL,
        step_id TEXT,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ended_at TEXT,
        remind_at TEXT,
        expire_at TEXT,
        PRIMARY KEY (resident_id, number)
    );
    CREATE INDEX runs_status ON runs(status, expire_at);
    CREATE TABLE milestones (
        id INTEGER PRIMARY KEY,
        resident_id INTEGER REFERENCES residents(id) ON DELETE SET NULL,
        household_id INTEGER,
        village_id TEXT,
        name TEXT NOT NULL,
        flow_id TEXT,
        reached_at TEXT NOT NULL,
        UNIQUE (resident_id, name)
    );
    CREATE TABLE progress (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        resident_id INTEGER,
        household_id INTEGER,
        village_id TEXT,
        run_number INTEGER,
        flow_id TEXT,
        version TEXT,
        step_id TEXT,
        event TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX progress_resident ON progress(resident_id);
    CREATE INDEX progress_flow ON progress(flow_id, step_id);
    CREATE TABLE followups (
        id INTEGER PRIMARY KEY,
        resident_id INTEGER REFERENCES residents(id) ON DELETE CASCADE,
        household_id INTEGER,
        village_id TEXT,
        reason TEXT NOT NULL,
        flow_id TEXT,
        step_id TEXT,
        status TEXT NOT NULL DEFAULT 'open',
        opened_at TEXT NOT NULL
    );
    CREATE INDEX followups_open ON followups(status, village_id);
    CREATE TABLE inbound_seen (
        channel TEXT NOT NULL,
        key TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (channel, key)
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        external_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX outbox_unsent ON outbox(channel, sent_at);
    """,
    # 2: delivery on real messengers: parts of a message sent so far, failures, residents who
    # blocked the bot, and media already uploaded (by the messenger's own file id)
    """
    ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN failed_at TEXT;
    ALTER TABLE outbox ADD COLUMN error TEXT;
    ALTER TABLE identities ADD COLUMN unreachable_at TEXT;
    CREATE TABLE media_files (
        channel TEXT NOT NULL,
        path TEXT NOT NULL,
        file_id TEXT NOT NULL,
        PRIMARY KEY (channel, path)
    );
    """,
    # 3: the Zalo Official Account: its OAuth token pair (the refresh token is single-use, so
    # each new pair is stored before it is used; `seed` names the configured token it came
    # from), and when each resident last wrote to the OA (messages only within 7 days of it)
    """
    CREATE TABLE zalo_oa_tokens (
        app_id TEXT PRIMARY KEY,
        access_token TEXT NOT NULL,
        refresh_token TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        seed TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE zalo_oa_users (
        user_id TEXT PRIMARY KEY,
        last_message_at TEXT,
        unfollowed_at TEXT
    );
    """,
    # 4: household and linking codes under guess limits: each wrong code typed (by a hash of
    # the identity, so "forget" leaves no identity behind), and the one-time codes that link a
    # second messenger to a resident (a hash of the code, never the code itself); residents left
    # at the old name list (other members' names in their state) go back to the household question
    """
    CREATE TABLE code_guesses (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        who TEXT NOT NULL,
        at INTEGER NOT NULL
    );
    CREATE INDEX code_guesses_who ON code_guesses(kind, who, at);
    CREATE INDEX code_guesses_at ON code_guesses(kind, at);
    CREATE TABLE link_codes (
        code_hash TEXT PRIMARY KEY,
        resident_id INTEGER NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX link_codes_resident ON link_codes(resident_id);
    UPDATE residents SET state = json_set(state, '$.stage', 'household', '$.prompt.options',
        json('[]')) WHERE json_extract(state, '$.stage') IN ('link', 'link_confirm');
    UPDATE residents SET state = json_remove(state, '$.pending.link')
        WHERE json_extract(state, '$.pending.link') IS NOT NULL;
    """,
    # 5: messages that could not be handled (a bug, not the store): which one, whose, what kind
    # of error and when; never the message's text. The resident was answered, the update confirmed.
    """
    CREATE TABLE failed_inbound (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        key TEXT,
        resident_id INTEGER REFERENCES residents(id) ON DELETE SET NULL,
        error TEXT NOT NULL,
        failed_at TEXT NOT NULL
    );
    """,
    # 6: what a Telegram chat shows below its messages: the message whose buttons are still live
    # (taken off once the question is answered), and whether the share-contact keyboard is up
    # (taken away once the phone is given); gone with the identity when a resident is forgotten
    """
    ALTER TABLE identities ADD COLUMN buttons_message INTEGER;
    ALTER TABLE identities ADD COLUMN reply_keyboard INTEGER NOT NULL DEFAULT 0;
    """,
    # 7: staff beyond danvan.yaml: invited members and their messenger identities, the
    # invitations (a hash of the token, never the token), the multi-step exchange a member is in,
    # and the append-only audit of every staff action (an UPDATE or DELETE of it is refused)
    """
    CREATE TABLE staff_members (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        villages TEXT NOT NULL DEFAULT '[]',
        phone TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE staff_identities (
        channel TEXT NOT NULL,
        external_id TEXT NOT NULL,
        member_key TEXT NOT NULL REFERENCES staff_members(key),
        PRIMARY KEY (channel, external_id)
    );
    CREATE TABLE staff_invites (
        token_hash TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        villages TEXT NOT NULL DEFAULT '[]',
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        used_by TEXT
    );
    CREATE TABLE staff_sessions (
        member_key TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    """,
    # 8: follow-ups that people act on: at most one open per resident and flow (a new reason
    # adds to it; older duplicates are closed as merged), who holds it and since when, its
    # reasons, the resident's last messages (long numbers masked), when it was escalated to the
    # officials, when its holder was last reminded, when it was last acted on, whether a
    # conversation through the bot is open, and how it ended; each claim, message, visit,
    # hand-on and resolution in followup_events (gone with the follow-up); a milestone seen at a
    # visit names the staff member who helped (helped_by), and so does each step a resident took
    # with a propagandist typing for them at a visit (progress.assisted_by)
    """
    ALTER TABLE followups ADD COLUMN holder TEXT;
    ALTER TABLE followups ADD COLUMN claimed_at TEXT;
    ALTER TABLE followups ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE followups ADD COLUMN last_messages TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE followups ADD COLUMN touched_at TEXT;
    ALTER TABLE followups ADD COLUMN escalated_at TEXT;
    ALTER TABLE followups ADD COLUMN reminded_at TEXT;
    ALTER TABLE followups ADD COLUMN relay TEXT;
    ALTER TABLE followups ADD COLUMN resolved_at TEXT;
    ALTER TABLE followups ADD COLUMN outcome TEXT;
    ALTER TABLE milestones ADD COLUMN helped_by TEXT;
    ALTER TABLE progress ADD COLUMN assisted_by TEXT;
    UPDATE followups SET reasons = json_array(json_object('reason', reason, 'at', opened_at,
        'step', step_id));
    UPDATE followups SET status = 'merged' WHERE status = 'open' AND id NOT IN
        (SELECT min(id) FROM followups WHERE status = 'open'
         GROUP BY resident_id, ifnull(flow_id, ''));
    CREATE UNIQUE INDEX followups_one_open ON followups(resident_id, ifnull(flow_id, ''))
        WHERE status = 'open';
    CREATE INDEX followups_resident ON followups(resident_id);
    CREATE TABLE followup_events (
        id INTEGER PRIMARY KEY,
        followup_id INTEGER NOT NULL REFERENCES followups(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX followup_events_followup ON followup_events(followup_id);
    """,
    # 9: the reports at a province's scale: each figure reads only its villages' rows, from
    # indexes that hold the columns it needs (the progress log's only the village: every message
    # writes to it, and a wider index cost about 10% of the messages per second); the commune's
    # household list (`danvan households import`): each household's members as recorded
    """
    CREATE INDEX households_village ON households(village_id, created_at);
    CREATE INDEX residents_village ON residents(village_id, created_at, consent_at, household_id);
    CREATE INDEX milestones_village ON milestones(village_id, name, reached_at, flow_id,
        resident_id, household_id);
    CREATE INDEX progress_village ON progress(village_id);
    CREATE INDEX runs_village ON runs(village_id, flow_id);
    CREATE INDEX followups_village ON followups(village_id, resident_id, flow_id, opened_at);
    CREATE TABLE household_members (
        household_id INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        birth_year INTEGER,
        relation TEXT NOT NULL,
        phone TEXT,
        PRIMARY KEY (household_id, position)
    );
    """,
    # 10: officials' broadcasts: what is sent to whom and when, and each recipient's fate. A
    # recipient is queued (its outbox row made) in the transaction that marks it queued, so a
    # restart neither skips nor repeats anyone; outbox rows of a broadcast are `bulk`, sent after
    # every reply to a resident
    """
    CREATE TABLE broadcasts (
        id INTEGER PRIMARY KEY,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL,
        texts TEXT NOT NULL,
        media TEXT,
        flow_id TEXT,
        audience TEXT NOT NULL,
        send_at TEXT NOT NULL,
        confirmed_by TEXT,
        confirmed_at TEXT,
        cancelled_at TEXT,
        reported_at TEXT
    );
    CREATE INDEX broadcasts_status ON broadcasts(status, send_at);
    CREATE TABLE broadcast_recipients (
        id INTEGER PRIMARY KEY,
        broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),
        resident_id INTEGER NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
        household_id INTEGER,
        channel TEXT NOT NULL,
        external_id TEXT NOT NULL,
        village_id TEXT,
        lang TEXT NOT NULL DEFAULT 'vi',
        state TEXT NOT NULL,
        outbox_id INTEGER,
        tapped_at TEXT
    );
    CREATE INDEX broadcast_recipients_state ON broadcast_recipients(broadcast_id, state, id);
    CREATE INDEX broadcast_recipients_outbox ON broadcast_recipients(outbox_id);
    CREATE INDEX broadcast_recipients_who ON broadcast_recipients(channel, external_id);
    ALTER TABLE outbox ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0;
    """,
)

LATEST = len(MIGRATIONS)
