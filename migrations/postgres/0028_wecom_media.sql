-- A notice's file reaches WeCom recipients as the file itself (issue 22): the WeCom sender
-- uploads it once as a temporary media (media/upload) and sends every other recipient the
-- same media_id. WeCom keeps a media_id three days; the sender uploads again when the one kept
-- here is older than two and a half.
CREATE TABLE wecom_media (
    attachment_id BIGINT  NOT NULL PRIMARY KEY,
    media_id      TEXT    NOT NULL CHECK (LENGTH(media_id) > 0),
    uploaded_at   BIGINT  NOT NULL
);
