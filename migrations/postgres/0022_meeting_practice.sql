-- Practice gaps of 三会一课 (issue 20 §3): leave recorded by a secretary for a member who told
-- them in person (代请假), make-up study (补学) recorded as done, and the rotating sign-in code
-- shown on the meeting room's screen. Instants are Unix milliseconds (UTC).

-- 代请假: 1 when the leave was recorded by someone else (a secretary in chat, or the operator
-- at the command line); leave_by names the member who recorded it (NULL for the operator).
ALTER TABLE meeting_attendees ADD COLUMN leave_proxy BIGINT NOT NULL DEFAULT 0;
ALTER TABLE meeting_attendees ADD COLUMN leave_by BIGINT;

-- 补学 done: at most one per member and missed meeting, with the member's short note.
CREATE TABLE meeting_makeups (
    meeting_id  BIGINT  NOT NULL REFERENCES meetings (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    note        TEXT    NOT NULL,
    recorded_by BIGINT  REFERENCES members (id), -- NULL: the operator at the command line
    done_at     BIGINT  NOT NULL,
    CONSTRAINT meeting_makeups_pkey PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_makeups_member_idx ON meeting_makeups (member_id);

-- The per-meeting secret the rotating sign-in code is derived from (HMAC over 30-second
-- windows), made when the secretary first opens the sign-in screen. Hex of 32 random bytes.
CREATE TABLE meeting_signin_secrets (
    meeting_id  BIGINT  NOT NULL PRIMARY KEY REFERENCES meetings (id),
    secret      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- The sign-in screen: a one-time link ('link', used once) and the screen session it opens
-- ('session', in a cookie until the meeting ends). Only the token's SHA-256 is kept.
CREATE TABLE meeting_screens (
    token_hash  TEXT    NOT NULL PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('link', 'session')),
    meeting_id  BIGINT  NOT NULL REFERENCES meetings (id),
    member_id   BIGINT  REFERENCES members (id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX meeting_screens_expires_idx ON meeting_screens (expires_at);
