-- 党费: the monthly amount each member pays, the payments a branch's dues keeper records (the
-- bot takes no money), who keeps each branch's dues, and the six-months-unpaid flags already
-- sent (src/dues/). Amounts are integer fen (分), never floats; months are `YYYY-MM`.

-- A member's monthly amount from a month on; the amount for a month is the latest row at or
-- before it.
CREATE TABLE dues_amounts (
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    from_month  TEXT    NOT NULL,
    fen         BIGINT  NOT NULL CHECK (fen > 0),
    set_at      BIGINT  NOT NULL,
    CONSTRAINT dues_amounts_pkey PRIMARY KEY (member_id, from_month)
);

-- One payment per member and month; a correction changes it in place (the audit log keeps
-- what it was).
CREATE TABLE dues_payments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id    BIGINT  NOT NULL REFERENCES members (id),
    month        TEXT    NOT NULL,
    fen          BIGINT  NOT NULL CHECK (fen > 0),
    recorded_by  BIGINT  REFERENCES members (id),     -- NULL: the operator at the command line
    recorded_at  BIGINT  NOT NULL,
    corrected_at BIGINT,
    CONSTRAINT dues_payments_member_month_key UNIQUE (member_id, month)
);
CREATE INDEX dues_payments_month_idx ON dues_payments (month);

-- The member who collects a branch's dues (收缴党费的委员); none: the secretary.
CREATE TABLE dues_keepers (
    branch_id   BIGINT  NOT NULL PRIMARY KEY REFERENCES branches (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    set_at      BIGINT  NOT NULL
);

-- A run of six months unpaid flagged to the secretary, once per member and run (the run is
-- named by its first unpaid month).
CREATE TABLE dues_flags (
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    streak_from TEXT    NOT NULL,
    flagged_at  BIGINT  NOT NULL,
    CONSTRAINT dues_flags_pkey PRIMARY KEY (member_id, streak_from)
);
