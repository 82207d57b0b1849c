-- The invite-code guard: wrong invite codes, kept in the database so that a restart does not
-- unlock a chat, and so that guesses spread over many chats are counted together (a global
-- limit). A chat is kept only as a SHA-256 hash of its channel and address, and only for the
-- longest window the guard looks at: each new failure deletes the rows older than that.
CREATE TABLE invite_failures (
    id              INTEGER PRIMARY KEY,
    chat_hash       TEXT    NOT NULL,
    at              BIGINT  NOT NULL
);
CREATE INDEX invite_failures_chat_idx ON invite_failures (chat_hash, at);
CREATE INDEX invite_failures_at_idx ON invite_failures (at);
