# Fewer, better pushes: automatic re-nudges of urgent notices (moving to SMS), the daily push
# budget and its digest, and the pushes report.

## Automatic re-nudges (picked when sending a notice)
notice-ask-nudges =
    Remind those who have not confirmed again automatically? Pick one, or type "MINUTES-APART COUNT [SMS-FROM]", e.g. { $urgent ->
        [1] 5 3 2
       *[other] 120 2 2
    }. { $urgent ->
        [1] Urgent notices may be re-nudged every { $floor } at most.
       *[other] Ordinary notices may be re-nudged every { $floor } at most; send an urgent notice for closer reminders.
    }
notice-plan-none = No automatic reminders
notice-plan-minutes = { $n } min
notice-plan-hours = { $n } h
notice-plan-label =
    every { $every }, { $count } times{ $sms ->
        [0] {""}
        [1] , all by SMS
       *[other] , by SMS from reminder { $sms } on
    }
notice-plan-too-close =
    { $urgent ->
        [1] Urgent notices may be re-nudged every { $floor } at most.
       *[other] Ordinary notices may be re-nudged every { $floor } at most (urgent ones every { $urgent_floor }).
    }
notice-plan-too-far = Reminders may be at most 24 hours (1440 minutes) apart.
notice-plan-count = Choose 1 to { $max } automatic reminders.
notice-plan-sms-rung = The reminder that moves to SMS must be one of the reminders, e.g. 3 reminders, SMS from the 2nd: 5 3 2.
notice-plan-no-confirm = Only a notice that asks for confirmation can be re-nudged; add --confirm.
notice-preview-plan = Automatic reminders: { $plan }. Those without a mobile number keep getting them on their usual channel.

## The digest (non-urgent messages over the daily budget)
push-digest-head = [Today's digest] To disturb you less, { $count } more messages today were not pushed one by one:
push-digest-choice = #{ $n }: { $label }
push-digest-more = …and { $count } more not listed here.
push-digest-act = Act on the options below; each names its item's number.

## Configuration
config-pushes-budget-bad = pushes.daily_budget is "{ $value }": write 0 (no limit) or a positive whole number (default 3).
config-pushes-digest-bad = pushes.digest_at is "{ $value }", which is not a time; write it like 18:00.

## The pushes report (branchbot report pushes)
report-pushes-title = Pushes
report-pushes-col-week = Week
report-pushes-col-member = Name
report-pushes-col-key = Roster ID
report-pushes-col-branch = Branch
report-pushes-col-sent = Pushes
report-pushes-col-digests = of which digests
report-pushes-col-held = Held into digests
dashboard-pushes-line = Pushes this period: { $sent } in all, { $per_week } a member a week on average, at most { $max } a week for one member; { $held } were merged into digests.
report-kind-pushes = pushes
