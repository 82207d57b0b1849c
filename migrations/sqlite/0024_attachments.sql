-- Photos and files (issue 22, section 1; src/attachments/): one row per stored object. The
-- object is written completely before its row, so a row never names a missing object. The
-- key is generated (never the sender's file name); `display_name` is the sanitised name it is
-- shown and downloaded under; `content_type` was sniffed from the bytes.
-- An upload arrives unlinked (`owner_kind` and `owner_id` NULL) and is then linked to what it
-- belongs to: a meeting's record, a notice, a pledge check-in round or a service activity.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    object_key   TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('photo', 'document')),
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL CHECK (size > 0),
    display_name TEXT    NOT NULL CHECK (LENGTH(display_name) > 0),
    sha256       TEXT    NOT NULL,
    uploaded_by  BIGINT  REFERENCES members (id),     -- NULL: the operator at the command line
    created_at   BIGINT  NOT NULL,
    owner_kind   TEXT    CHECK (owner_kind IN ('meeting', 'notice', 'checkin', 'activity')),
    owner_id     BIGINT,
    linked_at    BIGINT,
    CONSTRAINT attachments_object_key_key UNIQUE (object_key),
    CONSTRAINT attachments_owner_check CHECK ((owner_kind IS NULL) = (owner_id IS NULL))
);
CREATE INDEX attachments_owner_idx ON attachments (owner_kind, owner_id);
CREATE INDEX attachments_uploader_idx ON attachments (uploaded_by, created_at);
