-- 发展党员: the papers each person hands in (src/recruitment/), one row per paper received
-- with the day it was received (YYYY-MM-DD in the organisation's zone). A stage is not entered
-- while a paper it needs is missing (rules::papers_for).

CREATE TABLE recruit_papers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recruit_id  BIGINT  NOT NULL REFERENCES recruits (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('application_letter', 'report',
                    'political_materials', 'training_certificate', 'volunteer_form',
                    'confirm_application')),
    received_on TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    recorded_by BIGINT  REFERENCES members (id),
    recorded_at BIGINT  NOT NULL
);
CREATE INDEX recruit_papers_recruit_idx ON recruit_papers (recruit_id, id);
-- Each paper once per person, except the 思想汇报 handed in again and again.
CREATE UNIQUE INDEX recruit_papers_once ON recruit_papers (recruit_id, kind)
    WHERE kind <> 'report';

-- The steps recorded before this migration that were the receipt of a paper: the application
-- (入党申请书), each 思想汇报, the 入党志愿书 and the 转正申请书.
INSERT INTO recruit_papers (recruit_id, kind, received_on, note, recorded_by, recorded_at)
SELECT recruit_id,
       CASE kind WHEN 'applied' THEN 'application_letter'
                 WHEN 'report' THEN 'report'
                 WHEN 'form' THEN 'volunteer_form'
                 ELSE 'confirm_application' END,
       on_date, '', recorded_by, recorded_at
FROM recruit_steps
WHERE kind IN ('applied', 'report', 'form', 'application')
  AND (kind = 'report' OR id = (SELECT MIN(t.id) FROM recruit_steps t
                                WHERE t.recruit_id = recruit_steps.recruit_id
                                  AND t.kind = recruit_steps.kind))
ORDER BY id;

-- A 支部大会 vote by secret ballot: a 票决 round of the evaluation feature (sealed ballots, see
-- docs/PRIVACY.md) on one person, its voters the branch's full members. Once the round has
-- closed its counts are recorded as the person's vote step and `recorded_at` is set.
CREATE TABLE recruit_ballots (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recruit_id  BIGINT  NOT NULL REFERENCES recruits (id),
    round_id    BIGINT  NOT NULL REFERENCES evaluation_rounds (id),
    created_at  BIGINT  NOT NULL,
    recorded_at BIGINT,
    CONSTRAINT recruit_ballots_round_key UNIQUE (round_id)
);
CREATE INDEX recruit_ballots_recruit_idx ON recruit_ballots (recruit_id, id);
