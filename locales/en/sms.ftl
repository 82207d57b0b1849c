# SMS: numbered options, opt-out and help, unknown numbers. Keep each within 160 plain
# characters (one message); no dashes or emoji, which would make it UCS-2.

# How options are written: "Reply 1 Attend, 2 Leave".
sms-reply-with = Reply { $options }
sms-option = { $number } { $label }
sms-option-separator = {", "}

sms-unknown = Hello! This is the college Party committee's assistant. This number is not on the roster; please ask your branch secretary. Reply STOP to opt out.
sms-stopped = You are unsubscribed and will get no more notices at this number. Reply START to subscribe again.
sms-started = You are subscribed again: notices will come to this number. Reply STOP to opt out.
sms-help-member = { $name }, this is the college Party committee's assistant. Reply "ok" to confirm a notice, the number shown to answer a meeting reminder, and "sign in" with the six-digit code at a meeting. Reply STOP to unsubscribe, START to subscribe again.
sms-help-stranger = This is the college Party committee's assistant, for members on the roster only. Reply STOP to opt out, START to resume.

# branchbot sms count / prefer
sms-count = { $encoding }: { $chars } characters, { $units } { $unit }, { $segments } { $segments ->
        [one] segment
       *[other] segments
    } ({ $per } { $unit } per segment)
sms-unit-septets = septets
sms-unit-utf16 = UTF-16 units
sms-prefer-set = { $name } ({ $key }): pushes now go to { $channel }
sms-prefer-bad = "{ $channel }" is not a channel. Write one or more of telegram, wecom, sms, console in order (separated by commas), or both.

# "Please confirm receipt." with its one option, as one sentence in an SMS.
sms-confirm-with = Please reply { $number } to confirm receipt.
