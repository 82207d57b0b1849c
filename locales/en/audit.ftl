## The audit log of administrative actions.

audit-action-import = roster imported
audit-action-targets-loaded = feedback targets loaded
audit-action-campaign-loaded = campaign loaded
audit-action-notice-sent = notice sent
audit-action-meeting-created = meeting created
audit-action-meeting-rescheduled = meeting rescheduled
audit-action-meeting-cancelled = meeting cancelled
audit-action-round-opened = evaluation round opened
audit-action-comment-hidden = comment hidden
audit-action-data-exported = data exported
audit-action-spot-check = spot check
audit-action-dashboard-login = dashboard login
