## Records: service activities (/activity), branch work plans (/plan, /plan_publish),
## leaders' comments (/comment, /comments), `branchbot activity|plan|comment …` and
## `branchbot report activities`.

menu-activity = Log a service activity
menu-plan = Read a branch's work plan
menu-comments = Read the leaders' comments
audit-action-activity-logged = service activity logged
audit-action-activity-answered = service activity confirmed
audit-action-plan-published = branch work plan published
audit-action-comment-written = leaders' comment written
report-kind-activities = service activities

records-help-member = /activity — log a service activity (pair help, volunteering, visits…)
    /plan [branch] — read a branch's work plan
    /comments — the college committee's comments on your branch
records-help-plan = /plan [branch] — read a branch's work plan
records-help-manager = /plan_publish [full text] — publish your branch's work plan
records-help-college = /plan — which branches have published their work plan
    /comment BRANCH [@KEY] TEXT — write this phase's leaders' comment (/comment alone shows which branches have one)

records-kind-pair-help = Pair help
records-kind-volunteer = Volunteer service
records-kind-visit = Visits
records-kind-community = Community work

records-what-place = The place
records-what-description = The description
records-what-plan = The work plan
records-what-comment = The comment
records-text-empty = { $what } cannot be empty; please type it again.
records-text-too-short = { $what } needs at least { $min } characters; please add to it.
records-text-too-long = { $what } can be at most { $max } characters; please shorten it.
records-day-unreadable = "{ $typed }" is not a date; write 2026-12-05, 12-05, today or yesterday.
records-day-future = "{ $typed }" has not come yet: only activities already held can be logged.
records-day-too-old = "{ $typed }" is more than a year ago and can no longer be logged.

records-log-not-allowed = Only party members of the branch and the college committee can log the branch's service activities.
records-not-in-branch = { $who } is not on this branch's roster and cannot be named as a participant.
records-no-participants = Please choose at least one participant.
records-too-many-participants = One activity can name at most { $max } participants.
records-unknown-participant = Nobody named "{ $typed }" is on the branch's roster; check the name or roster key, or tap a button in the list.
records-unknown-kind = "{ $typed }" is not a kind of activity; choose one of: { $list }.

records-ask-kind = Which kind of service activity?
records-ask-day = { $kind }: on which day was it held? (e.g. 2026-12-05, today)
records-ask-place = Where was it held?
records-ask-who = { $count ->
        [one] 1 participant
       *[other] { $count } participants
    } so far: { $names }. Tap names to add or remove them, or type names or roster keys separated by commas; tap "Done" when finished.
records-ask-description = Please describe the activity briefly (at most { $max } characters):
records-preview = Please check the activity:
    Kind: { $kind }
    Date: { $day }
    Place: { $place }
    Participants: { $names }
    Description: { $description }
    Tap "Save" if it is right; each participant will then be asked to confirm.
records-preview-photos-none = You may send the activity's photos now (optional); they are attached when it is saved.
records-preview-photos = { $counts } added, attached when it is saved; you may send more.
records-photos-attached = The activity's photos are attached: { $counts }
records-button-done = Done
records-button-save = Save
records-button-discard = Cancel
records-discarded = Cancelled; the activity was not logged.
records-logged = The { $kind } activity of { $day } is logged; { $asked ->
        [one] 1 participant was
       *[other] { $asked } participants were
    } asked to confirm.
records-logged-cli = Activity { $id } logged: { $day } { $kind }; { $asked ->
        [one] 1 participant was
       *[other] { $asked } participants were
    } asked to confirm.

records-activity-ask = { $who } logged a service activity you took part in:
    { $kind } · { $day } · { $place }
    { $description }
    Please confirm whether you took part.
records-button-confirm = I took part
records-button-not-me = Not me
records-confirmed = Thank you: you took part in the { $kind } activity of { $day }.
records-declined = Noted: you did not take part in the { $kind } activity of { $day }.
records-not-named = You are not among this activity's participants; nothing to confirm.
records-count-kind = { $kind } { $count }
records-checkin-line = Service activities you confirmed: { $count } ({ $kinds }).
records-phase-activities = Service activities this phase: { $list }
records-phase-branch = { $branch } { $activities } ({ $confirmed } confirmed)

records-no-activity = There is no activity { $id }; see branchbot activity list.
records-show = Activity { $id }: { $day } { $kind } ({ $branch })
    Place: { $place }
    Description: { $description }
records-show-file = Attachment #{ $id }: { $kind } { $name }
records-status-asked = not yet confirmed
records-status-confirmed = confirmed
records-status-declined = not them

records-plan-not-allowed = Only the branch's secretary and committee and the college committee can publish the branch's work plan.
records-plan-ask = Please send your branch's work plan in full (at most { $max } characters):
records-plan-published = The work plan of { $branch } is published; members and the masses can read it with /plan { $branch }.
records-plan-replaced = The work plan of { $branch } is updated.
records-plan-show = Work plan of { $branch } (published by { $by } on { $day }):
    { $text }
records-plan-not-published = { $branch } has not published its work plan yet.
records-plan-list = { $count ->
        [one] 1 branch has
       *[other] { $count } branches have
    } published their work plan: { $list }. Read one with /plan BRANCH.
records-plan-none-published = No branch has published its work plan yet.
records-plan-missing = { $count ->
        [one] 1 branch has
       *[other] { $count } branches have
    } not published their work plan: { $list }.
records-plan-all-published = Every branch has published its work plan.
records-plan-which = Several branches' names contain "{ $typed }": { $list }. Please write the branch's full name.
records-no-branch = There is no branch named "{ $typed }". The branches: { $list }.
records-file-unreadable = Cannot read { $file }: { $detail }
records-file-not-utf8 = { $file } is not UTF-8 text; save it as UTF-8 and try again.

records-no-campaign = No campaign is loaded yet; load one with branchbot campaign load.
records-no-such-phase = There is no phase { $phase }: the campaign has { $count } phases.
records-phase-not-started = Phase { $phase } has not started yet and cannot be commented on.
records-comment-not-allowed = Only the college committee writes leaders' comments.
records-comment-usage = Leaders' comments on { $title }: write /comment BRANCH TEXT, or /comment BRANCH @KEY TEXT about one member.
records-comment-state-done = ✓ { $branch } commented
records-comment-state-missing = · { $branch } not yet
records-comment-saved = The leaders' comment on { $branch } for { $title } is saved and was sent to { $told ->
        [one] 1 person
       *[other] { $told } people
    }.
records-comment-replaced = The leaders' comment on { $branch } for { $title } is updated and was sent to { $told ->
        [one] 1 person
       *[other] { $told } people
    }.
records-comment-push = The college committee's comment on { $branch } for "{ $title }":
    { $text }
records-comment-push-member = The college committee's comment on { $who } of { $branch } for "{ $title }":
    { $text }
records-comments-header = { $campaign } · leaders' comments
records-comments-none = No leaders' comments yet.
records-comments-not-allowed = Leaders' comments are for the branch's party members; you can read branch work plans with /plan.
records-comment-line = [{ $title }] { $branch }: { $text }
records-comment-line-member = [{ $title }] { $who }: { $text }

records-column-id = No.
records-column-day = Date
records-column-branch = Branch
records-column-kind = Kind
records-column-place = Place
records-column-description = Description
records-column-participants = Participants
records-column-confirmed = Confirmed
records-column-logged-by = Logged by
records-column-activities = Service activities
records-column-comment = Leaders' comment
records-report-activities = { $activities } ({ $confirmed } confirmed)
records-sheet-summary = Summary

records-config-kind-empty = records.activity_kinds has an empty kind.
records-config-kind-long = "{ $kind }" in records.activity_kinds is too long or has a colon (at most { $max } characters).
records-config-kind-twice = "{ $kind }" in records.activity_kinds is there twice (or is a built-in kind's name).
records-by-committee = The college committee
records-comment-prompt = "{ $title }" has ended. Please write each branch's leaders' comment: /comment BRANCH TEXT (about one member: /comment BRANCH @KEY TEXT). Send /comment to see which branches have one.
