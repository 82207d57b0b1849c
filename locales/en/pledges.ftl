# Pledges: writing, review, publication, check-ins and keeping the pledge.

menu-pledge = My pledge: write, edit, see progress
menu-pledges = See a branch's published pledges
menu-pledges-review = Review pledges (secretaries, committee)
menu-pledge-stats = Pledges and progress (secretaries, committee)
menu-pledge-schedule = Set when progress is asked (secretaries, committee)

pledge-help-member =
    /pledge write or see my pledge
    /pledges BRANCH see a branch's published pledges
pledge-help-manager =
    /pledges_review review submitted pledges
    /pledge_stats see pledges and progress
    /pledge_schedule set when progress is asked

pledge-way-study = Lead in study and self-improvement
pledge-way-results = Lead in striving for excellent results
pledge-way-serve = Lead in serving teachers and students
pledge-way-discipline = Lead in observing discipline and the law
pledge-way-integrity = Lead in upholding integrity

pledge-status-submitted = awaiting review
pledge-status-returned = returned for revision
pledge-status-approved = approved and published

pledge-progress-done = Done
pledge-progress-on-track = On track
pledge-progress-behind = Behind
pledge-progress-blocked = Blocked

pledge-none = You have not written a pledge yet. A pledge has at most { $max } items, each in one way of taking the lead.
pledge-write = Start writing
pledge-edit = Edit my pledge
pledge-ask-way = 
    Item { $number }: which way of taking the lead is it?
    Study and self-improvement · Excellent results · Serving teachers and students · Discipline and the law · Integrity
pledge-ask-text = Write this item ({ $way }) in at most { $max } characters.
pledge-ask-date = Is there a target date? Type it as 2026-12-31, or tap "Skip".
pledge-skip = Skip
pledge-added = Item { $number } noted.
pledge-add-more = Add another
pledge-submit = Submit for review
pledge-submitted = Version { $version } of your pledge is submitted; it is published once the secretary approves it. Send /pledge to edit it before then.
pledge-error-item-empty = This item is empty; write what you pledge.
pledge-error-item-too-long = This item has { $got } characters, more than the limit of { $max }; shorten it and send it again.
pledge-error-too-many = A pledge has at most { $max } items; please submit.
pledge-error-bad-date = I could not read that date. Type it as 2026-12-31, or tap "Skip".
pledge-error-past-date = "{ $typed }" has passed; a target date cannot be before today. Type today or a later date, or tap "Skip".
pledge-error-date-write-year = "{ $typed }" has already passed this year. If you mean next year, please write the year, for example { $example }; or tap "Skip".
pledge-error-no-branch = You are not in a branch yet, so you cannot write a pledge. Ask your branch secretary.
pledge-error-not-member = Pledges are written by Party members (probationary members included).
pledge-view-header = My pledge (version { $version } · { $status })
pledge-view-item = { $number }. { $way }: { $text }
pledge-view-item-dated = { $number }. { $way }: { $text } (target: { $date })
pledge-view-returned = The secretary's comment: { $comment }
pledge-view-published = Version { $version } is the one published.
pledge-view-checkins = Progress:
pledge-view-checkin = { $date } item { $number }: { $progress }
pledge-view-checkin-note = { $date } item { $number }: { $progress } ({ $note })
pledge-view-assessments = Self-assessments:
pledge-view-assessment = { $title }: { $text }
pledge-view-assessment-open = { $title }: not written yet

pledge-review-push =
    { $name } submitted version { $version } of their pledge for review:
    { $items }
pledge-review-approve = Approve
pledge-review-return = Return
pledge-review-none = No pledge is awaiting review.
pledge-review-ask-comment = Write why it is returned; { $name } will see it.
pledge-review-approved = { $name }'s pledge is approved and published in the branch.
pledge-review-returned = { $name }'s pledge is returned with your comment.
pledge-review-stale = This version was reviewed already, or { $name } has edited the pledge since. Send /pledges_review to see the latest.
pledge-review-not-yours = This pledge is not in a branch you manage.
pledge-approved-push = Your pledge (version { $version }) is approved and published in the branch.
pledge-returned-push =
    Your pledge (version { $version }) was returned for revision. The secretary's comment: { $comment }
    Send /pledge to revise and submit it again.

pledges-usage = Name the branch, for example: /pledges { $example }
pledges-no-branch = There is no branch called "{ $branch }". Branches: { $branches }
pledges-none = { $branch } has no published pledges yet.
pledges-header = Published pledges of { $branch } ({ $count } members)
pledges-member = { $name }:

pledge-checkin-header = Pledge check-in for this round:
pledge-checkin-question = { $number }. { $way }: { $text } — how is it going?
pledge-checkin-reminder = Reminder: this round's pledge check-in is not done yet.
pledge-checkin-ask-difficulty = Describe the difficulty; the secretary will see it and contact you.
pledge-checkin-blocked-recorded = Noted, and the secretary is told. Thank you.
pledge-checkin-done = This round's check-in is complete, thank you!
pledge-checkin-recorded = Noted: { $progress }.
pledge-checkin-edited = Item { $number } was edited after this check-in was sent (it asked about version { $asked }; the pledge is now at version { $current }), so this answer was not recorded. The next check-in will ask about the new version.
pledge-checkin-stale = This check-in is over, or you were not asked about this item.
pledge-checkin-no-match = Reply with the progress: { $options }.
pledge-checkin-blocked-push =
    { $name } is blocked on a pledge item:
    { $number }. { $text }
    Difficulty: { $note }

pledge-stats-header = Pledges of { $branch }
pledge-stats-no-pledge = No pledge ({ $count }): { $names }
pledge-stats-awaiting = Awaiting review ({ $count }): { $names }
pledge-stats-no-round = No check-in has been sent yet.
pledge-stats-round = This round ({ $date }): { $answered }/{ $asked } answered, response rate { $rate }%
pledge-stats-attention = Behind or blocked:
pledge-stats-attention-item = { $name } item { $number } ({ $progress }): { $text }
pledge-stats-attention-note = { $name } item { $number } ({ $progress }): { $text } — { $note }
pledge-stats-nobody = none

pledge-schedule-usage = Pledge progress is asked { $current }. To change it, choose one, or write it after the command, e.g. /pledge_schedule 每月1日9点 (the 1st at 9:00), 每周三晚上7点 (Wednesdays at 19:00), 每月最后一天, 每季度末 — or a crontab expression.
pledge-schedule-bad = That schedule is not valid: { $error }
pledge-schedule-not-understood = I could not read "{ $typed }". Write it like 每月1日9点, 每月15号 上午10点, 每周三晚上7点, 每天晚上8点, 每月最后一天 or 每季度末.
pledge-schedule-preview =
    { $branch } will be asked about pledge progress { $words }; the next three times:
    { $dates }
    Confirm?
pledge-schedule-confirm = Confirm
pledge-schedule-cancel = Cancel
pledge-schedule-set = Set: { $words }.
pledge-schedule-kept = Unchanged: { $words }.
schedule-daily = every day at { $time }
schedule-weekly = every { $weekday } at { $time }
schedule-monthly = on day { $day } of every month at { $time }
schedule-month-end = on the last day of every month at { $time }
schedule-quarter-end = at the end of every quarter (the last day of March, June, September, December) at { $time }
schedule-quarter-start = at the start of every quarter (1 January, April, July, October) at { $time }
schedule-crontab = by the expression "{ $crontab }" (next: { $next })

pledge-assessment-ask =
    { $title }: write a short self-assessment of your pledge (at most { $max } characters): how did you keep it?
    { $items }
pledge-assessment-saved = Your self-assessment is saved for the year's evaluation. Thank you!
pledge-assessment-too-long = The self-assessment has { $got } characters, more than the limit of { $max }; shorten it and send it again.
pledge-assessment-write = Write it
pledge-assessment-prompt = Write your self-assessment (at most { $max } characters).
pledge-assessment-stale = This self-assessment no longer exists.

cli-pledges-column-number = No.
cli-pledges-column-way = Way
cli-pledges-column-text = Pledge
cli-pledges-column-target = Target date
