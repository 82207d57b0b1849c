## The audit log of administrative actions.

audit-action-import = roster imported
audit-action-targets-loaded = feedback targets loaded
audit-action-campaign-loaded = campaign loaded
audit-action-calendar-loaded = calendar loaded
audit-action-notice-sent = notice sent
audit-action-meeting-created = meeting created
audit-action-meeting-rescheduled = meeting rescheduled
audit-action-meeting-cancelled = meeting cancelled
audit-action-round-opened = evaluation round opened
audit-action-round-closed = evaluation round closed early
audit-action-comment-hidden = comment hidden
audit-action-feedback-answered = feedback answered
audit-action-invites-issued = invite codes issued
audit-action-data-exported = data exported
audit-action-spot-check = spot check
audit-action-dashboard-login = dashboard login

## Who acted through what.
audit-via-telegram = Telegram
audit-via-sms = SMS
audit-via-console = console
audit-via-cli = command line
audit-via-web = web

## `/audit` in chat.
menu-audit = Administrative actions (college committee)
audit-not-allowed = Only members of the college committee can read the log of administrative actions.
audit-chat-empty = No administrative actions are logged yet.
audit-chat-header = The latest { $count } administrative actions:
audit-every-branch = every branch
audit-subject-meeting = meeting #{ $id }
audit-subject-round = round #{ $id }
audit-subject-notice = notice #{ $id }
audit-subject-feedback = feedback comment { $id }
audit-subject-spotcheck = spot check #{ $id }
audit-subject-pledge = pledge #{ $id }
audit-subject-member = member #{ $id }
audit-detail-grades = democratic evaluation
audit-detail-vote = vote
audit-detail-all-voted = everyone voted
audit-detail-closed-early = closed early
audit-scope-all = the whole college
audit-scope-branch = all of { $branch }
audit-scope-group = { $branch } { $group }
audit-scope-committee = { $branch } committee
audit-scope-secretaries = { $branch } secretaries
audit-scope-full-members = { $branch } full members
audit-line = { $time } { $actor } ({ $via }) { $action }: { $subject }{ $detail }

## `branchbot audit`
cli-audit-column-time = Time
cli-audit-column-actor = Who
cli-audit-column-via = Via
cli-audit-column-action = Action
cli-audit-column-subject = Subject
cli-audit-column-detail = Detail
cli-audit-none = No logged action matches.
cli-audit-footer = { $count } entries (times in { $zone }).
cli-audit-bad-date = "{ $date }" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01.
cli-audit-bad-range = The start date { $since } is after the end date { $until }.
cli-audit-bad-action = There is no action "{ $action }". Actions: { $actions }
cli-audit-bad-limit = The limit must be a positive whole number, e.g. --limit 50.
