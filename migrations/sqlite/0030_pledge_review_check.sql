-- no-transaction
-- A CHECK on the decision of a pledge review: exactly what the code writes
-- (pledges::store::review, through pledges::rules::PledgeStatus: 'approved' or 'returned'). A
-- row holding anything else makes this migration fail, naming the constraint, rather than be
-- copied.
--
-- The table is rebuilt as 0027 and 0029 did it
-- (https://www.sqlite.org/lang_altertable.html#otheralter): with foreign keys off, create the
-- new table, copy the rows, drop the old one, rename the new one, check the foreign keys,
-- commit. Columns keep their order, ids their values. pledge_reviews has no index, no trigger
-- and no view over it, and no table refers to it. secure_delete is on (set here too, as every
-- connection of the pool does), so the dropped table's pages, which held the reviewers'
-- comments, are zeroed, not left in the free list.

PRAGMA secure_delete = ON;
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE pledge_reviews_new (
    id          INTEGER PRIMARY KEY,
    version_id  BIGINT  NOT NULL REFERENCES pledge_versions (id),
    reviewer_id BIGINT  NOT NULL REFERENCES members (id),
    decision    TEXT    NOT NULL,
    comment     TEXT,
    created_at  BIGINT  NOT NULL,
    CONSTRAINT pledge_reviews_decision_check CHECK (decision IN ('approved', 'returned'))
);
INSERT INTO pledge_reviews_new (id, version_id, reviewer_id, decision, comment, created_at)
SELECT id, version_id, reviewer_id, decision, comment, created_at FROM pledge_reviews;
DROP TABLE pledge_reviews;
ALTER TABLE pledge_reviews_new RENAME TO pledge_reviews;

-- Every reference still finds its row: a rebuild that lost one fails here (the CHECK refuses
-- a count above zero) and the transaction is never committed.
CREATE TEMP TABLE rebuild_fk_check (violations BIGINT NOT NULL CHECK (violations = 0));
INSERT INTO rebuild_fk_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE rebuild_fk_check;

COMMIT;
PRAGMA foreign_keys = ON;
