-- A CHECK on the decision of a pledge review: exactly what the code writes
-- (pledges::store::review, through pledges::rules::PledgeStatus: 'approved' or 'returned'). A
-- row holding anything else makes this migration fail, naming the constraint. The name matches
-- SQLite's (its 0030 rebuilds the table), so both report the same constraint. Adding a CHECK
-- rewrites no row.

ALTER TABLE pledge_reviews
    ADD CONSTRAINT pledge_reviews_decision_check CHECK (decision IN ('approved', 'returned'));
