# Three meetings and one lesson: meetings, reminders, leave, sign-in, minutes, compliance.

menu-meetings = My meetings (attend / leave)
menu-signin = Sign in at a meeting
menu-meeting = Schedule a meeting (secretary, committee)
menu-attendance = Who is coming to a meeting (secretary, committee)
menu-minutes = Submit minutes (secretary, committee)
menu-compliance = Meeting compliance (secretary, committee, college)

meeting-kind-general = General meeting
meeting-kind-committee = Committee meeting
meeting-kind-group = Group meeting
meeting-kind-lesson = Party lesson
meeting-kind-themed-day = Themed party day
meeting-kind-life = Organisational life meeting
meeting-kind-other = Other meeting

meeting-weekday-1 = Mon
meeting-weekday-2 = Tue
meeting-weekday-3 = Wed
meeting-weekday-4 = Thu
meeting-weekday-5 = Fri
meeting-weekday-6 = Sat
meeting-weekday-7 = Sun
meeting-when = { $weekday } { $month }/{ $day } { $time }
meeting-when-year = { $weekday } { $month }/{ $day }/{ $year } { $time }

meeting-attend = Attend
meeting-leave = Ask for leave
meeting-reminder =
    {"["}{ $branch }] { $kind } reminder
    Time: { $when }
    Place: { $place }
    Topic: { $topic }
    Will you attend?
meeting-reminder-sms = [{ $branch }] { $date } { $weekday } { $time } { $place } { $kind }.
meeting-attend-recorded = You are down as attending: { $kind }, { $when }. If plans change, you can ask for leave instead.
meeting-attend-already = You had already said you will attend: { $kind }, { $when }. If plans change, you can ask for leave instead.
meeting-leave-ask-reason = Please give a short reason for your leave (e.g. travel, a class).
meeting-leave-recorded = 
    Leave recorded for { $kind }, { $when }: { $reason }. The secretary will be told.
    Please make up the study afterwards. If plans change, you can attend instead.
meeting-leave-notice = { $name } asks for leave: { $when } { $kind }, reason: { $reason }.
meeting-reason-too-long = That reason is too long; please keep it under { $max } characters.
meeting-rsvp-closed = This meeting has started, was cancelled, or does not expect you, so the answer cannot change. Ask the secretary if in doubt.

meeting-list-empty = No upcoming meetings for you.
meeting-list-header = The branch's upcoming meetings (number · kind · time · attend/leave/no answer):
meeting-list-line-manager = #{ $id } { $kind } { $when }: attend { $attend } · leave { $leave } · no answer { $none }
meeting-list-header-college = Upcoming meetings of every branch (number · branch · kind · time · attend/leave/no answer):
meeting-list-line-college = #{ $id } { $branch } { $kind } { $when }: attend { $attend } · leave { $leave } · no answer { $none }
meeting-list-in-progress = In progress: { $kind } (started { $when }, place: { $place }). Send the sign-in code to sign in.
meeting-list-mine =
    { $kind } · { $when } · { $place }
    Your answer: { $answer }
meeting-answer-attend = attending
meeting-answer-leave = on leave
meeting-answer-none = not answered yet

meeting-attendance =
    { $kind } · { $when }
    Attending: { $attend }
    On leave: { $leave }
    No answer: { $none }
    Signed in: { $signed }
    Sign-in code: { $code }
meeting-nudge = Remind those who have not answered
meeting-nudged = Reminded { $count } members who had not answered.

meeting-not-allowed = Only the branch's secretary and committee manage its meetings. Send /help for help.
meeting-id-needed = Add the meeting's number, e.g. /attendance 12. Send /meetings to see the numbers.
meeting-not-found = There is no meeting number { $id }. Send /meetings to see the numbers.
meeting-no-such-member = No member with the roster ID { $key }.

meeting-ask-kind = What kind of meeting?
meeting-ask-when = When? For example: 12/10 19:30, 2026-12-10 19:30 or tomorrow 19:30 (周三 19:30 and 明晚7点半 work too).
meeting-ask-group = Which party group is meeting?
meeting-kind-with-group = { $kind } ({ $group })
meeting-ask-place = Where?
meeting-ask-topic = What is the topic?
meeting-when-unreadable = I could not read "{ $typed }". Please write it like 12/10 19:30, 2026-12-10 19:30 or tomorrow 19:30.
meeting-when-no-such-date = "{ $typed }" is not a date that exists; please check the month and day.
meeting-when-past = "{ $typed }" has passed; please give a time in the future.
meeting-when-no-time = "{ $typed }" needs a time of day too, for example: { $typed } 19:30.
meeting-when-next-year = "{ $typed }" has already passed this year. Do you mean { $month }/{ $day }/{ $year }?
meeting-when-next-year-yes = Yes
meeting-when-next-year-no = No, type it again
meeting-when-write-year = "{ $typed }" has already passed this year. If you mean { $month }/{ $day }/{ $year }, please write the year, for example: { $example }.
meeting-when-past-now = That time has passed, so no meeting was created. Send /meeting to start again.
meeting-field-too-long = That is too long; please keep it under { $max } characters.
meeting-preview =
    Preview: { $kind }
    Time: { $when }
    Place: { $place }
    Topic: { $topic }
    Attendees: { $count }
meeting-series-usage = Usage: /meeting_series kind; schedule; place; topic[; count], e.g. /meeting_series themed_day; 0 19 15 * *; Activity room; Party Constitution. The schedule is a crontab (minute hour day month weekday); 6 meetings unless a count is given.
meeting-series-preview =
    Preview: { $count } { $kind } meetings on the schedule { $cron }
    The next three:
    { $dates }
    Place: { $place }
    Topic: { $topic }
    Attendees: { $attendees }
meeting-series-created = { $count } { $kind } meetings scheduled (#{ $first } to #{ $last }), with their reminders.
meeting-offset-days = { $n } { $n ->
    [one] day
   *[other] days
}
meeting-offset-hours = { $n } { $n ->
    [one] hour
   *[other] hours
}
meeting-offset-minutes = { $n } { $n ->
    [one] minute
   *[other] minutes
}
meeting-offset-sep = { ", " }
meeting-offset-and = { " and " }
meeting-overlap = Note: this overlaps the { $kind } at { $when }, which some attendees also attend.
meeting-confirm = Confirm
meeting-discard = Cancel
meeting-confirm-or-discard = Choose "Confirm" to create the meeting or "Cancel" to drop it.
meeting-discarded = Dropped; no meeting was created.
meeting-created = Meeting #{ $id } created. { $reminders } Sign-in code: { $code } (opens { $opens } minutes before).
meeting-reminders-promise = Attendees are reminded { $list } before.
meeting-reminders-none = The meeting starts too soon for any reminder; please tell the attendees yourself.
meeting-cancel-done = Meeting #{ $id } is cancelled; the attendees were told.
meeting-already-cancelled = That meeting is cancelled already.
meeting-cancelled-notice = [{ $branch }] The { $kind } at { $when } is cancelled.
meeting-moved-notice =
    {"["}{ $branch }] { $kind } moved:
    Was: { $old }
    Now: { $when }
    Place: { $place }
meeting-reschedule-done = Moved to { $when }; the reminders moved with it and the attendees were told.

meeting-signin-usage = Send the sign-in code, e.g. /signin 123456.
meeting-signin-unknown = The code { $code } is not valid, or sign-in has closed. Please check it and send it again.
meeting-proxy-not-open = You cannot sign anyone in yet: the meeting is at { $when }, and sign-in (and signing in for others) opens { $minutes } minutes before.
meeting-signin-not-open = Sign-in has not opened: the meeting is at { $when }, and sign-in opens { $minutes } minutes before.
meeting-signin-not-attendee = You are not on this meeting's list. Ask the secretary if in doubt.
meeting-signin-already = You have signed in already.
meeting-signed-in = Signed in: { $kind }.
meeting-signed-in-late = Signed in: { $kind } (late).
meeting-proxy-ask-reason = Please type the reason for signing in on their behalf (e.g. phone out of battery).
meeting-proxy-usage = To sign someone in: /proxysignin <meeting number> <roster ID> <reason>
meeting-proxy-done = Signed { $name } in on their behalf.
meeting-signin-code = [{ $branch }] { $kind } ({ $when }) sign-in code: { $code }. Sign-in opens { $opens } minutes before; attendees send the code to sign in.

meeting-absent = [{ $branch }] You missed the { $kind } at { $when } without leave. Please make up the study, record it with /makeup { $id }, and tell the secretary why.
meeting-minutes-due = [{ $branch }] The { $kind } at { $when } (#{ $id }) has no minutes yet. Send /minutes { $id } to submit them.
meeting-quorum-warning = [{ $branch }] Tomorrow's general meeting ({ $when }) expects { $figures } of the members with a vote: not more than half, so it cannot vote. Rally members or move it.
meeting-minutes-too-early = Minutes can be submitted once the meeting has started.
meeting-minutes-ask =
    Please send the text of the minutes, naming who chaired and who recorded, for example:
    Host: Huang Xiaoming
    Recorder: Sun Li
    (what was discussed)
meeting-minutes-need-roles = The minutes still need { $missing ->
        [host] the host
        [recorder] the recorder
       *[both] the host and the recorder
    }; nothing was saved. Write "Host: name" and "Recorder: name" in them and send the whole text again.
meeting-minutes-saved =
    Minutes saved: { $kind } · { $when }
    Topic: { $topic }
    Host: { $host }   Recorder: { $recorder }
    Signed in: { $signed }/{ $expected }
    On leave: { $leave }
    Absent: { $absent }

meeting-bad-quarter = I could not read the period "{ $typed }"; write a quarter (2026Q4), a month (2026-11), a year (2026) or days (2026-10-01..2026-12-31).
compliance-header = Meetings held ({ $quarter })
compliance-line = 
    { $branch }
    Meetings: general { $general } · committee { $committee } · group { $group } · lessons { $lesson }
    Attendance { $attendance } · leave { $leave } · minutes { $minutes }/{ $held }
    Behind on: { $missing }

cli-meeting-bad-kind = There is no meeting kind "{ $kind }". Choose general, committee, group, lesson, themed_day, life or other.
cli-meeting-bad-time = I could not read the time "{ $at }". Write it like 2026-12-03 19:30 (the organisation's zone).
cli-meeting-past = "{ $at }" has passed; give a time in the future.
cli-meeting-empty-field = The place and the topic must not be empty.
cli-meeting-created = Meeting #{ $id } created; sign-in code { $code }. { $reminders }
cli-meeting-cancelled-done = Meeting #{ $id } is cancelled; { $count } attendees were told.
cli-meeting-column-id = Number
cli-meeting-column-branch = Branch
cli-meeting-column-kind = Kind
cli-meeting-column-time = Time
cli-meeting-column-place = Place
cli-meeting-column-answers = Attend/leave/no answer
cli-meeting-column-status = Status
cli-meeting-scheduled = scheduled
cli-meeting-cancelled = cancelled
cli-report-attendance = Attendance
cli-report-leave = Leave
cli-report-minutes = Minutes
cli-report-behind = Behind on
meeting-change-to-attend = Attend after all
meeting-change-to-leave = Ask for leave instead
meeting-absent-streak = [{ $branch }] { $name } has missed 3 meetings in a row without leave (the latest: the { $kind } at { $when }). Please talk with them soon.
meeting-compliance-warning = Reminder: this quarter ({ $quarter }) has no { $kinds } held or scheduled yet. Please schedule it before the quarter ends (send /meeting).
meeting-compliance-semester = Reminder: this semester needs at least { $need } { $kind } meetings; { $count } held or scheduled so far. Please schedule them (send /meeting).
meeting-inactive-members = These members have taken no part in organisational life for 6 months; please contact them soon: { $names }.
cli-meeting-bad-cron = Cannot use the schedule "{ $cron }": { $detail }. For the 15th of each month at 19:00: '0 19 15 * *'.
cli-meeting-series-bad = The count must be 1 to 24, and the place and topic must not be empty.
cli-meeting-series-confirm = Those are the first three dates ({ $count } in all). Run again with --yes to create them.
cli-meeting-series-done = Created { $count } meetings; attendees are reminded before each.

## Periods as people read them (commands take 2026Q4; people read "Q4 2026").
period-quarter = Q{ $quarter } { $year }
period-month = { $month }/{ $year }
period-year = { $year }
period-day = { $year }-{ $month }-{ $day }
period-range = { $from } to { $to }
