-- SMS: members' channel preference, opt-outs by number, the keyed tags of unknown numbers
-- already answered today, and indexes for delivery receipts and per-number daily caps.

-- Where pushes may go: 'telegram', 'sms' or 'both' (Telegram first, SMS when Telegram cannot).
ALTER TABLE members ADD COLUMN channel_pref TEXT NOT NULL DEFAULT 'both'
    CHECK (channel_pref IN ('telegram', 'sms', 'both'));

-- A number that sent STOP (退订, TD, R…): non-urgent messages to it are refused until it sends
-- START (订阅). The row is deleted on START, so only current opt-outs are kept.
CREATE TABLE sms_optouts (
    phone        TEXT    NOT NULL PRIMARY KEY,     -- E.164
    keyword      TEXT    NOT NULL,                 -- what was sent, folded to upper case
    opted_out_at BIGINT  NOT NULL
);

-- An unknown number is answered once a day. Only a keyed hash of (number, local day) is kept,
-- never the number, and the row is dropped once the day is over.
CREATE TABLE sms_strangers (
    tag    TEXT    NOT NULL PRIMARY KEY,           -- hex HMAC-SHA256
    until  BIGINT  NOT NULL
);

-- Delivery receipts find their row by the gateway's message id.
CREATE INDEX outbox_provider_idx ON outbox (channel, provider_id);
-- The daily cap counts what one number was sent today.
CREATE INDEX outbox_address_sent_idx ON outbox (channel, address, sent_at);
