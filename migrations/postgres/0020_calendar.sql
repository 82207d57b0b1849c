-- The organisation's calendar (src/domain/calendar.rs), loaded with `branchbot calendar load`:
-- 法定节假日 days off and 调休 make-up working days, one row a day, and vacations (寒暑假).
-- Loading a file replaces the years it covers (`year`). Days are YYYY-MM-DD.

CREATE TABLE calendar_days (
    day         TEXT    NOT NULL PRIMARY KEY,
    year        BIGINT  NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name        TEXT    NOT NULL,             -- the holiday, e.g. 国庆节
    provisional BIGINT  NOT NULL DEFAULT 0,   -- 1: not yet the State Council's arrangement
    loaded_at   BIGINT  NOT NULL
);
CREATE INDEX calendar_days_year_idx ON calendar_days (year);

CREATE TABLE calendar_vacations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year        BIGINT  NOT NULL,             -- of its first day
    name        TEXT    NOT NULL,
    first_day   TEXT    NOT NULL,
    last_day    TEXT    NOT NULL,
    loaded_at   BIGINT  NOT NULL
);
CREATE INDEX calendar_vacations_year_idx ON calendar_vacations (year);
