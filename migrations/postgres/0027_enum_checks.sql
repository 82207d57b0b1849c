-- CHECK constraints on the text columns that hold enums, so a value this binary does not write
-- is refused where it is written, not found later by whoever reads it. The values are exactly
-- what the code writes (src/store/jobs.rs, domain::org::BranchKind, store::meetings::Rsvp,
-- domain::pledges::{PledgeStatus, Way, Progress}); a row holding anything else makes this
-- migration fail, naming the constraint. The names match SQLite's (its 0027 rebuilds the
-- tables), so both report the same constraint.

ALTER TABLE jobs
    ADD CONSTRAINT jobs_schedule_check CHECK (schedule IN ('once', 'cron', 'relative')),
    ADD CONSTRAINT jobs_status_check
        CHECK (status IN ('scheduled', 'running', 'done', 'missed', 'failed', 'cancelled')),
    ADD CONSTRAINT jobs_last_outcome_check
        CHECK (last_outcome IN ('done', 'missed', 'failed', 'skipped'));

ALTER TABLE branches
    ADD CONSTRAINT branches_kind_check CHECK (kind IN ('teacher', 'student'));

ALTER TABLE meeting_attendees
    ADD CONSTRAINT meeting_attendees_rsvp_check CHECK (rsvp IN ('none', 'attend', 'leave'));

ALTER TABLE pledges
    ADD CONSTRAINT pledges_status_check CHECK (status IN ('submitted', 'returned', 'approved'));

ALTER TABLE pledge_items
    ADD CONSTRAINT pledge_items_way_check
        CHECK (way IN ('study', 'results', 'serve', 'discipline', 'integrity'));

ALTER TABLE pledge_answers
    ADD CONSTRAINT pledge_answers_progress_check
        CHECK (progress IN ('done', 'on_track', 'behind', 'blocked'));
