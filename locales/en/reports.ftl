# Reports and charts (branchbot report …)

chart-no-data = No data for this period
chart-attendance-title = Attendance rate per branch and month ({ $period })
chart-attendance-axis = Attendance
chart-cadence-title = Meetings held against the required number ({ $period })
chart-cadence-axis = Meetings
chart-cadence-due = Required
chart-pledges-title = Pledge check-ins per branch (latest round)
chart-pledges-axis = Members or items
chart-pledges-answered = Answered (members)
chart-pledges-unanswered = Not answered (members)
chart-pledges-attention = Behind or blocked (items)
chart-pledges-no-pledge = No pledge (members)
chart-pledges-awaiting = Awaiting review (members)
chart-feedback-title = Ratings per feedback target ({ $period })
chart-feedback-axis = Ratings
chart-feedback-hidden = { $month }: { $count } targets with fewer than { $min } ratings are not shown: { $targets }
