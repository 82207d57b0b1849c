-- WeCom (企业微信): members' userids from the roster, a channel order for members'
-- preferences, and the app's access_token shared by every replica.

-- The roster's 企业微信账号 (optional). WeCom userids are not case-sensitive.
ALTER TABLE members ADD COLUMN wecom TEXT;
CREATE UNIQUE INDEX members_wecom_key ON members (LOWER(wecom));

-- Where pushes may go, in order ('wecom,sms'); NULL: channel_pref decides ('both' is
-- Telegram, WeCom, then SMS).
ALTER TABLE members ADD COLUMN channel_order TEXT;

-- One row per app (corp id and agent id): the cached access_token and who is fetching a new
-- one, so several replicas do not each call gettoken.
CREATE TABLE wecom_tokens (
    app          TEXT    NOT NULL PRIMARY KEY,
    token        TEXT    NOT NULL DEFAULT '',
    expires_at   BIGINT  NOT NULL DEFAULT 0,      -- Unix ms; 0: none or known bad
    lease_until  BIGINT  NOT NULL DEFAULT 0,      -- Unix ms: a replica is fetching until then
    lease_owner  TEXT    NOT NULL DEFAULT ''
);
