## Spot checks (随机抽查) by the college committee, in chat and at the command line.

menu-spotcheck = Spot-check a branch's records (college committee)
help-spotcheck =
    /spotcheck check a branch's meeting or a member's pledge at random and record a finding (add meeting, pledge or a branch name to narrow it)
    /audit the latest administrative actions

spotcheck-not-allowed = Only members of the college committee can run spot checks.
spotcheck-no-branch = There is no branch called "{ $branch }". Branches: { $branches }
spotcheck-nothing = There is nothing to check: no meeting was held in the last { $days } days and no pledge is published.
spotcheck-nothing-narrowed = There is nothing to check within "{ $scope }". Try another scope, or just send /spotcheck.
spotcheck-meeting =
    Spot check #{ $id }: { $branch }
    { $kind } · { $date } · { $place }
    Topic: { $topic }
    Expected: { $expected }
    Present: { $present }
    Late: { $late }
    On leave: { $leave }
    Absent: { $absent }
    Signed in by someone else (代签): { $proxies }
    Minutes: { $minutes }
spotcheck-proxy = { $member } (signed in by { $by }: { $reason })
spotcheck-minutes-none = not recorded
spotcheck-minutes-start = recorded, beginning "{ $start }"
spotcheck-pledge =
    Spot check #{ $id }: { $branch }
    The published pledge of { $name }:
    { $items }
    { $checkin }
spotcheck-checkin-none = No check-in answers yet.
spotcheck-checkin-header = Latest check-in ({ $date }):
spotcheck-checkin-line = { $position }. { $text }: { $progress }
spotcheck-checkin-line-note = { $position }. { $text }: { $progress } ({ $note })
spotcheck-find = Record a finding
spotcheck-again = Another one
spotcheck-cancel = Cancel
spotcheck-cancelled = The spot check is closed without a finding.
spotcheck-ask-finding = Write a short finding (at most { $max } characters), e.g. "records complete" or "minutes missing, please submit them".
spotcheck-finding-empty = The finding cannot be empty; please write a short finding.
spotcheck-finding-too-long = The finding is too long ({ $length } characters); please keep it within { $max }.
spotcheck-already-recorded = This check's finding is recorded already. Send /spotcheck to start a new one.
spotcheck-recorded = The finding of spot check #{ $id } is recorded and sent to: { $told }.
spotcheck-subject-meeting = { $kind } ({ $date })
spotcheck-subject-pledge = the pledge of { $name }
spotcheck-notice =
    { $checker } of the college committee spot-checked { $branch }: { $subject }.
    Finding: { $finding }

## `branchbot spotcheck list`
cli-spotcheck-column-id = No.
cli-spotcheck-column-time = Checked at
cli-spotcheck-column-branch = Branch
cli-spotcheck-column-checker = Checker
cli-spotcheck-column-subject = Subject
cli-spotcheck-column-finding = Finding
cli-spotcheck-none = No spot checks yet.
cli-spotcheck-footer = { $count } spot checks, { $concluded } with a finding.
cli-spotcheck-no-finding = (no finding recorded)
