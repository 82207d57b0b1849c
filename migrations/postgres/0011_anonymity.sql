-- Anonymity against someone holding the database files (docs/PRIVACY.md).

-- What a person submitted anonymously, waiting to be published in a mixed batch of at least k
-- distinct senders. A row is a random id and a sealed blob of fixed size (target, period,
-- rating, comment and reply-code hash inside): no order, time, size or sender in the clear.
CREATE TABLE feedback_pool (
    id          TEXT    NOT NULL PRIMARY KEY,  -- random
    sealed      TEXT    NOT NULL
);

-- A ballot until its round closes: sealed and padded under a random id. The round's counters
-- are added to in one transaction, in random order, once the round has closed, and the
-- ballots deleted in it; voting itself never touches evaluation_tallies.
CREATE TABLE evaluation_ballots (
    id          TEXT    NOT NULL PRIMARY KEY,  -- random
    round_id    BIGINT  NOT NULL REFERENCES evaluation_rounds (id),
    sealed      TEXT    NOT NULL
);
CREATE INDEX evaluation_ballots_round_idx ON evaluation_ballots (round_id);

-- The rating picked in a rating in progress, sealed (the plain rating column stays NULL).
ALTER TABLE feedback_sessions ADD COLUMN sealed TEXT;
