# Failures: updates, jobs and outgoing messages that could not be processed, and
# `branchbot inbox failed`.

error-update-failed = Something went wrong; it has been logged. Please try again later or contact your branch secretary.
status-inbox-failed = Failed updates: { $count }; the latest, #{ $id } ({ $at }): { $error }. To see and retry them: branchbot inbox failed
status-job-failed = The latest failed job: #{ $id } { $kind } ({ $at }): { $error }
cli-inbox-failed-none = No failed updates.
cli-inbox-failed-footer = To process one again once the cause is fixed: branchbot inbox failed --retry NUMBER
cli-inbox-retried = Update #{ $id } is pending again; the running bot will process it shortly.
cli-inbox-bad-id = '{ $id }' is not an update number; use a number listed by branchbot inbox failed.
cli-inbox-not-found = There is no update #{ $id }; use a number listed by branchbot inbox failed.
cli-inbox-not-failed = Update #{ $id } has not failed (it is { $status }); only failed updates can be retried.
cli-inbox-no-payload = Update #{ $id } kept no content (it came from an unknown sender, was anonymous, or could not be read): there is nothing to process again.
audit-action-inbox-retried = failed update retried
cli-inbox-column-id = number
cli-inbox-column-channel = channel
cli-inbox-column-received = received
cli-inbox-column-failed = failed
cli-inbox-column-error = error
