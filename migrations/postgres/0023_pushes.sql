-- Reminders people don't ignore, and fewer, better pushes (issue 20): the re-nudge plan a
-- sender picks for a notice, and the pushes the daily push budget held for the digest.

-- A notice's automatic re-nudges of its unconfirmed recipients: `nudges` of them,
-- `interval_minutes` apart from sending; from nudge number `sms_from` on (NULL: never) by SMS
-- to those with a mobile number. `done` counts the nudges run so far.
CREATE TABLE notice_nudge_plans (
    notice_id        BIGINT  NOT NULL PRIMARY KEY REFERENCES notices (id),
    interval_minutes BIGINT  NOT NULL CHECK (interval_minutes > 0),
    nudges           BIGINT  NOT NULL CHECK (nudges > 0),
    sms_from         BIGINT,
    done             BIGINT  NOT NULL DEFAULT 0
);

-- A push the member's daily budget held back: its outbox row waits as `held` until the day's
-- digest carries it (the row becomes `digested`, and `digest_key` names the digest's row).
CREATE TABLE push_holds (
    outbox_id        BIGINT  NOT NULL PRIMARY KEY REFERENCES outbox (id),
    member_id        BIGINT  NOT NULL REFERENCES members (id),
    held_at          BIGINT  NOT NULL,
    digest_key       TEXT,
    digested_at      BIGINT
);
CREATE INDEX push_holds_member_idx ON push_holds (member_id, digested_at);

-- The budget counts what each member of a claimed batch was sent today.
CREATE INDEX outbox_member_sent_idx ON outbox (member_id, sent_at);
