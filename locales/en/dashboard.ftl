## The web dashboard: /dashboard in chat, and the pages.

menu-dashboard = Web dashboard login link (secretary, committee, college)
help-dashboard = /dashboard get a one-time login link to the web dashboard
dashboard-refused = Only the college committee and branch secretaries, deputies and committee members can use the web dashboard. Send /help for help.
dashboard-link =
    Your web dashboard login link (valid for { $minutes } minutes, works once, do not forward it):
    { $link }

dashboard-nav-overview = Overview
dashboard-nav-branch = My branch
dashboard-nav-campaign = Campaign
dashboard-nav-logout = Log out
dashboard-signed-in = Signed in: { $name }
dashboard-generated = Generated { $time }
dashboard-period-label = Period
dashboard-period-show = Show
dashboard-none = —
dashboard-nobody = none
dashboard-yes = yes
dashboard-no = no
dashboard-ok = on track

dashboard-overview-title = Branches · { $period }
dashboard-overview-note = Each kind of meeting shows held / required, by the cadence of the three meetings and one lesson (red: short); attendance is sign-ins of expected attendees; the confirmation rate counts only notices that asked for a confirmation.
dashboard-col-branch = Branch
dashboard-col-attendance = Attendance
dashboard-col-missing = Short of
dashboard-col-no-pledge = No pledge
dashboard-col-awaiting = Pledges to review
dashboard-col-checkin = Check-in response
dashboard-col-notices = Notices
dashboard-col-confirm-rate = Confirmed

dashboard-branch-title = { $branch } · { $period }
dashboard-meetings-heading = Meetings
dashboard-meetings-summary = { $held } meetings held in this period, attendance { $attendance }, leave { $leave }, { $minutes } with minutes.
dashboard-col-kind-name = Kind
dashboard-col-held = Held
dashboard-col-required = Required
dashboard-col-date = When
dashboard-col-topic = Topic
dashboard-col-expected = Expected
dashboard-col-signed-in = Signed in
dashboard-col-leave = On leave
dashboard-col-minutes = Minutes
dashboard-meeting-cancelled = cancelled
dashboard-meeting-upcoming = to be held
dashboard-no-meetings = No meetings in this period.

dashboard-pledges-heading = Pledges
dashboard-pledges-no-pledge = No pledge ({ $count }): { $names }
dashboard-pledges-awaiting = Awaiting review ({ $count }): { $names }
dashboard-pledges-round = Latest check-in ({ $date }): { $answered } of { $asked } answered, response rate { $rate }
dashboard-pledges-no-round = No check-in round yet.
dashboard-col-member = Member
dashboard-col-item = Item
dashboard-col-progress = Progress
dashboard-col-note = Note

dashboard-notices-heading = Notices
dashboard-col-notice = Text
dashboard-col-recipients = Recipients in the branch
dashboard-col-confirmed = Confirmed
dashboard-no-confirm-needed = no confirmation asked
dashboard-no-notices = No notices reached this branch in this period.

dashboard-feedback-heading = Feedback
dashboard-feedback-month = { $period }
dashboard-feedback-none = This branch has no feedback targets.
dashboard-feedback-not-yet = This period has not begun.
dashboard-feedback-hidden = fewer than 5 ratings; not shown yet
dashboard-feedback-note = To keep feedback anonymous, a target with fewer than 5 ratings shows no figures (and one more is hidden when it could be worked out by subtraction); comments show from 10 on.
dashboard-col-target = Target
dashboard-col-satisfied = Satisfied
dashboard-col-fair = Fair
dashboard-col-dissatisfied = Dissatisfied
dashboard-col-total = Total
dashboard-col-comments = Visible comments

dashboard-campaign-title = { $campaign }
dashboard-campaign-none = No campaign has been loaded yet.
dashboard-campaign-timeline = Phases
dashboard-campaign-now = Current phase: { $title }, { $days } days left.
dashboard-col-phase = Phase
dashboard-col-dates = Dates
dashboard-col-status = Status
dashboard-col-summaries = Summaries
dashboard-col-summary = Summary
dashboard-phase-current = running
dashboard-phase-done = ended
dashboard-phase-upcoming = not started
dashboard-summaries-count = { $done } of { $total } branches submitted
dashboard-summaries-of = Summaries: { $title }
dashboard-summary-in = submitted
dashboard-summary-in-at = submitted ({ $date })
dashboard-summary-missing = missing

dashboard-charts-heading = Charts
dashboard-chart-attendance = Attendance per branch and month
dashboard-chart-cadence = Meetings held against the required number, per kind
dashboard-chart-pledges = Pledge check-ins
dashboard-chart-feedback = Feedback ratings

dashboard-how-to-login = Send /dashboard to the bot to get a new login link.
dashboard-back = Back
dashboard-error-link-title = Login link not valid
dashboard-error-link = This login link has been used or has expired. A login link is valid for 10 minutes and works once.
dashboard-error-session-title = Please log in
dashboard-error-session = You are not logged in to the web dashboard, or your session has expired.
dashboard-error-forbidden-title = Not allowed
dashboard-error-forbidden = You can see your own branch only.
dashboard-error-no-longer = You are not allowed to use the web dashboard at the moment.
dashboard-error-not-found-title = Not found
dashboard-error-not-found = There is no such page.
dashboard-error-no-branch = There is no such branch.
dashboard-error-period-title = Not a period
dashboard-error-period = "{ $typed }" is not a period. Write a quarter (2026Q4), a month (2026-11), a year (2026) or days (2026-10-01..2026-12-31, both included, the end not before the start), or leave it out for the current quarter.
dashboard-error-period-empty = The period is empty. Write a quarter (2026Q4), a month (2026-11), a year (2026) or days (2026-10-01..2026-12-31), or leave it out for the current quarter.
dashboard-error-period-long = The period "{ $typed }" is longer than 5 years. Choose a shorter one, for example a year (2026) or 2022-01-01..2026-12-31, or leave it out for the current quarter.
dashboard-error-internal-title = Cannot show this now
dashboard-error-internal = The dashboard cannot be shown right now. Please try again later.
dashboard-logged-out-title = Logged out
dashboard-logged-out = You have logged out of the web dashboard.
dashboard-preview-title = Web dashboard login
dashboard-preview = This is a one-time web dashboard login link. Open it in a browser.
