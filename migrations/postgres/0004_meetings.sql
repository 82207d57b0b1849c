-- Meetings (三会一课): a branch's meetings, who is expected and what they answered (参加 /
-- 请假 with a reason), who signed in (late, or on someone's behalf: 代签), and the minutes.
-- Instants are Unix milliseconds (UTC).

CREATE TABLE meetings (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id   BIGINT  NOT NULL REFERENCES branches (id),
    kind        TEXT    NOT NULL,              -- 'general' | 'committee' | 'group' | 'lesson' | 'themed_day' | 'life' | 'other'
    starts_at   BIGINT  NOT NULL,
    ends_at     BIGINT  NOT NULL,
    place       TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'scheduled', -- 'scheduled' | 'cancelled'
    signin_code TEXT,                          -- the short code members send to sign in
    created_by  BIGINT  REFERENCES members (id),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX meetings_branch_starts_idx ON meetings (branch_id, starts_at);

-- One row per expected attendee. rsvp: 'none' | 'attend' | 'leave'.
CREATE TABLE meeting_attendees (
    meeting_id  BIGINT  NOT NULL REFERENCES meetings (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    rsvp        TEXT    NOT NULL DEFAULT 'none',
    reason      TEXT,
    answered_at BIGINT,
    CONSTRAINT meeting_attendees_pkey PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendees_member_idx ON meeting_attendees (member_id);

-- A sign-in (签到): at most one per member and meeting.
CREATE TABLE meeting_signins (
    meeting_id  BIGINT  NOT NULL REFERENCES meetings (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    signed_at   BIGINT  NOT NULL,
    late        BIGINT  NOT NULL DEFAULT 0,    -- 1: after the start
    proxy_by    BIGINT  REFERENCES members (id), -- 代签: who signed in for them
    reason      TEXT,
    CONSTRAINT meeting_signins_pkey PRIMARY KEY (meeting_id, member_id)
);

-- The minutes (会议记录): one text per meeting, replaced when resubmitted.
CREATE TABLE meeting_minutes (
    meeting_id   BIGINT  NOT NULL PRIMARY KEY REFERENCES meetings (id),
    body         TEXT    NOT NULL,
    submitted_by BIGINT  REFERENCES members (id),
    submitted_at BIGINT  NOT NULL
);
