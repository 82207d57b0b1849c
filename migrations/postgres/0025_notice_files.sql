-- A notice comes with its file (issue 22, section 1): an outbox row may carry an attachment,
-- which the Telegram sender sends as a photo or document (its body the caption) instead of a
-- text. The file is uploaded to Telegram once; the file_id Telegram returns is kept here and
-- reused for every other recipient.
ALTER TABLE outbox ADD COLUMN attachment_id BIGINT;

CREATE TABLE telegram_files (
    attachment_id BIGINT  NOT NULL PRIMARY KEY,
    file_id       TEXT    NOT NULL CHECK (LENGTH(file_id) > 0),
    uploaded_at   BIGINT  NOT NULL
);
