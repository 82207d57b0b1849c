# The campaign: phase announcements, phase summaries, /campaign, the CLI's campaign load|show|status.

menu-campaign = The campaign's current phase
menu-summary = Submit the branch's phase summary

help-campaign = /campaign the campaign's current phase and tasks
help-summary = /summary submit your branch's phase summary

campaign-announce-header = [{ $campaign }] { $title }
campaign-tasks = Tasks in this phase:
campaign-none = No campaign is running.
campaign-current = [{ $campaign }] { $title }: { $days } days left (until { $end }).
campaign-theme = Theme: { $theme }
campaign-upcoming = [{ $campaign }] The next phase, "{ $title }", starts on { $start }.
campaign-over = [{ $campaign }] Every phase has ended.
campaign-summaries = Summaries of "{ $title }": { $done }/{ $total } branches
campaign-summary-in = ✓ { $branch }
campaign-summary-missing = ✗ { $branch } (missing)
campaign-summary-request = Please submit the summary of "{ $title }" for { $branch }: { $days } days left (until { $end }). Send /summary, then the text.
campaign-summary-refused = Only branch secretaries and committee members can submit a phase summary. Send /help for help.
campaign-summary-no-phase = No phase needs a summary now.
campaign-summary-ask = Please type your branch's summary of "{ $title }".
campaign-summary-saved = Your branch's summary of "{ $title }" is in. Thank you!
campaign-summary-replaced = Your branch's summary of "{ $title }" was replaced with the new text.

# branchbot campaign …
cli-campaign-loaded = Loaded the campaign "{ $name }": { $phases } phases; { $scheduled } pushes scheduled, { $kept } kept, { $cancelled } cancelled, { $past } already past.
cli-campaign-refused = { $file } has problems and was not loaded:
cli-campaign-unreadable = Cannot read { $file }: { $detail }
campaign-problem-syntax = line { $line }: { $detail }
campaign-problem-bad-date = line { $line }: { $field } is not a valid date (e.g. 2027-06-01 or 2027-06-01T08:00:00+08:00).
campaign-problem-reversed = line { $line }: { $field } must be after the start.
campaign-problem-overlap = line { $line }: { $field } overlaps phase { $previous }; start it after that phase ends.
campaign-problem-missing-text = line { $line }: { $field } has no { $locale } text.
campaign-problem-no-phases = line { $line }: at least one [[phases]] is needed.
campaign-problem-not-positive = line { $line }: { $field } must be greater than 0.
cli-campaign-none = No campaign is loaded yet. Load one with branchbot campaign load FILE.
cli-campaign-phase = { $index }. { $title }  { $start } to { $end }{ $state }
cli-campaign-phase-now =   ← current phase
cli-campaign-phase-theme =     Theme: { $theme }
cli-campaign-bad-start = Cannot read the start date "{ $start }". Write today or YEAR-MONTH-DAY, for example 2027-03-01.
