# branchbot status: the outbox and the inbox at a glance.

status-outbox-header = Outbox (channel / status / messages):
status-inbox-header = Inbox (status / updates):
status-empty = (empty)
status-oldest-pending = { $channel }: the oldest waiting message has waited { $minutes } minutes
status-rate = Sent in the last minute: { $minute }; in the last hour: { $hour }; rate-limited (429) answers: { $limited }
status-pending = pending
status-sending = sending
status-sent = sent
status-failed = failed
status-blocked = blocked
status-expired = expired
status-done = done
status-ignored = ignored
status-jobs-header = Scheduled jobs (kind / status / count):
status-next-jobs = Next jobs due:
