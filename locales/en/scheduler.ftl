# Scheduler: crontab expressions and scheduling errors.

crontab-field-minute = minute
crontab-field-hour = hour
crontab-field-day-of-month = day-of-month
crontab-field-month = month
crontab-field-day-of-week = day-of-week

crontab-allowed-minute = 0–59, a list (0,30), a range (0-15) or a step (*/15)
crontab-allowed-hour = 0–23, a list (9,14), a range (9-17) or a step (*/2)
crontab-allowed-day-of-month = 1–31, L for the last day of the month, a list, a range or a step
crontab-allowed-month = 1–12 or Jan–Dec, a list (3,6,9,12), a range (Mar-Jun) or a step
crontab-allowed-day-of-week = 0–7 or Sun–Sat (0 and 7 are Sunday), a range (Mon-Fri), a list, or Mon#1 for the first Monday of the month

crontab-empty = The schedule is empty. Write five fields — minute hour day-of-month month day-of-week — for example "30 19 * * 3" for every Wednesday at 19:30.
crontab-field-count = A schedule has five fields (minute hour day-of-month month day-of-week), but this one has { $found }. For example "30 19 * * 3" is every Wednesday at 19:30.
crontab-unknown-shortcut = "{ $value }" is not a shortcut I know. Use @hourly, @daily, @weekly, @monthly, @quarterly or @yearly.
crontab-bad-value = In the { $field } field, "{ $value }" is not understood. Allowed: { $allowed }.
crontab-out-of-range = In the { $field } field, { $value } is out of range: use { $min } to { $max }.
crontab-backwards = In the { $field } field, the range "{ $value }" runs backwards: write the smaller value first.
crontab-bad-step = In the { $field } field, the step in "{ $value }" must be a whole number from 1 to { $max }.
crontab-step-needs-range = In the { $field } field, "{ $value }" puts a step after a single value: a step follows * or a range, as in */15 or 0-30/5.
crontab-bad-nth = In the day-of-week field, "{ $value }": the number after # is the week of the month, 1 to 5, as in Mon#1 for the first Monday.
crontab-misplaced = In the { $field } field, "{ $value }" is not allowed: L goes in the day-of-month field, # in the day-of-week field.
crontab-never-fires = "{ $value }" would never run: none of its months has that day (30 February, for example).

scheduler-in-the-past = That time ({ $at }) has already passed. Choose a time in the future.

# branchbot schedule preview
preview-bad-zone = "{ $value }" is not a time zone name. Use one such as Asia/Shanghai or Europe/Berlin.
preview-bad-from = "{ $value }" is not a time like 2025-03-30T09:00 (YYYY-MM-DDTHH:MM, read in { $zone }).
preview-bad-count = --count must be from 1 to { $max }, not { $value }.
