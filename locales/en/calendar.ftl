# The calendar: branchbot calendar load / show, schedule preview's notes, meeting date warnings.

cli-calendar-unreadable = Cannot read { $file }: { $detail }
cli-calendar-loaded = Loaded the calendar for { $years }: { $holidays } days off, { $workdays } make-up working days, { $vacations } vacations. What these years had before was replaced.
cli-calendar-replanned = { $count ->
    [one] Brought one recurring job forward to a make-up working day of the new calendar.
   *[other] Brought { $count } recurring jobs forward to make-up working days of the new calendar.
}
cli-calendar-problem = { $file }, line { $line }: { $problem }. Nothing was loaded; fix the file and load it again.
calendar-problem-syntax = not valid ({ $detail })
calendar-problem-bad-date = in "{ $entry }", "{ $value }" is not a date like 2026-10-01
calendar-problem-bad-span = in "{ $entry }", days must be [first day, last day]
calendar-problem-reversed = in "{ $entry }", the last day is before the first
calendar-problem-too-long = "{ $entry }" is longer than { $max } days; check the year
calendar-problem-clash = in "{ $entry }", { $day } is both a day off and a make-up working day
calendar-problem-workday-on-weekday = in "{ $entry }", the make-up working day { $day } is not a Saturday or Sunday
calendar-problem-no-name = a { $entry } entry has no name
calendar-problem-empty = the file lists no holiday and no vacation
cli-calendar-bad-year = "{ $value }" is not a year like 2026.
cli-calendar-show-none = No calendar is loaded for { $year }. Load one with branchbot calendar load FILE.
cli-calendar-show-header = Holidays in { $year }:
cli-calendar-show-holiday = { $name }: { $from } to { $to } off, { $days } days
cli-calendar-show-workdays = ; make-up working days { $days }
cli-calendar-show-provisional = (provisional, until the State Council's notice)
cli-calendar-show-vacation = { $name }: { $from } to { $to } (student branches: non-urgent pushes paused)
preview-fire-makeup = make-up working day ({ $name })
preview-fire-moved = moved to { $to } ({ $name })
preview-fire-dropped = not sent ({ $name })
preview-fire-paused = paused ({ $name })
preview-bad-kind = There is no job kind named "{ $value }". Kinds: { $kinds }.
meeting-on-holiday = Note: { $date } is a day off of { $name }; please make sure the meeting's time is right.
meeting-on-vacation = Note: { $date } falls in { $name }; student members may be away.
