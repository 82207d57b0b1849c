# Core: binding, help, profile, language, errors.

branch-kind-teacher = staff branch
branch-kind-student = student branch

role-secretary = secretary
role-deputy-secretary = deputy secretary
role-committee-member = committee member
role-group-leader = party group leader
role-member = member
role-probationary = probationary member
role-activist = activist
role-masses = non-member

menu-help = What I can do
menu-me = My details
menu-lang = Change language
menu-unbound = Members not yet bound (secretaries, committee)
menu-cancel = Cancel the current step

none = none
yes = yes
no = no
no-branch = no branch
cancelled = Cancelled. Send /help for help.

unbound-explain =
    Hello! This is the college Party committee's organisational assistant.
    Your account is not linked to the roster yet. Ask your branch secretary for an invite code, then send:
    /start CODE
    (for example /start ABCD-EF23)
invite-invalid = That invite code is not valid. Check it and send it again, or ask your branch secretary for a new one.
invite-expired = That invite code has expired. Ask your branch secretary for a new one.
start-bound = Your account is linked. Welcome, { $name } ({ $branch } · { $role }).
start-welcome-back = Welcome back, { $name }! Send /help to see what you can do.
start-already-bound = { $name }, your account is already linked; nothing to do.

help-member =
    { $name }, you can:
    /me show my details
    /lang change language (中文 / English)
    /cancel cancel the current step
    /help show this help again
help-meetings = /meetings my meetings (attend / leave), /signin <code> to sign in at a meeting
help-manager =
    As a branch secretary or committee member you can also:
    /unbound list the branch's members who have not linked an account yet
    /meeting to schedule a meeting, /meeting_series for a regular series, /attendance <number> to see who comes, /minutes <number> for minutes
    /reschedule <number> <time> to move one, /cancelmeeting <number> to cancel, /proxysignin to sign someone in
    /compliance to see the branch's meeting compliance
help-college =
    As a member of the college committee you can also:
    /unbound list every branch's members who have not linked an account yet
    /meeting to schedule a meeting, /meeting_series for a regular series, /attendance <number> to see who comes, /minutes <number> for minutes
    /reschedule <number> <time> to move one, /cancelmeeting <number> to cancel, /proxysignin to sign someone in
    /compliance to see every branch's meeting compliance

me-profile =
    Name: { $name }
    Roster ID: { $key }
    Branch: { $branch }
    Party group: { $group }
    Role: { $role }
    Member of the college committee: { $college }
    Mobile: { $phone }
    Language: { $locale }

lang-ask = Choose a language:
lang-zh = 中文
lang-en = English
lang-set = OK, I will speak English with you from now on.
lang-unknown = Unknown language "{ $code }". Choose 中文 (zh-CN) or English (en).

unbound-none = All { $total } members have linked an account.
unbound-header = { $count } of { $total } members have not linked an account:
unbound-line = · { $name } ({ $key }, { $reach })
reach-telegram = on Telegram
reach-sms = reachable by SMS
reach-console = console only
reach-inactive = left
reach-no-phone = no mobile number
reach-no-gateway = mobile number but no SMS gateway
reach-opted-out = opted out of SMS
reach-telegram-only = Telegram only, not bound yet
reach-reason-count = { $reason }: { $count }
reach-unreachable-note = { $count } more could not be reached ({ $reasons }).
unbound-footer = Tap the button below to make their invite codes here; no command line needed.
unbound-invite-button = Make invite codes for these { $count }
unbound-invites-header = Invite codes made for { $count } (earlier unused codes no longer work):
unbound-invite-line = · { $name } ({ $key }): { $code }
unbound-invites-footer = Give each code to its member privately: they send /start CODE to the bot in Telegram to bind. Each code works once, until { $until }.

error-unsupported = I can read text, photos and files, but not stickers, voice or video. Send /help for help.
error-empty = That message is empty. Send /help for help.
error-too-long = That message is too long (at most { $max } characters). Please send it in parts.
error-no-such-option = There is no option { $number }. Reply with: { $options }.
error-not-understood = Sorry, I could not recognise that message. Send /help for help.
error-unknown-command = There is no command { $command }. Send /help for help.
error-stale-choice = That button no longer applies. Send /help for help.
error-managers-only = Only branch secretaries and committee members can do that. Send /help for help.
error-internal = Sorry, something went wrong on our side. Please try again later.

console-intro = You are talking to the bot as { $name } ({ $branch } · { $role }). Type /help for commands, Ctrl-D to leave.
invite-too-many-attempts = Too many wrong invite codes. Please try again in { $minutes } minutes, or check the code with your branch secretary.
invite-busy = Too many wrong invite codes have been sent to this bot lately, so binding is paused for everyone. Please send your code again in { $minutes } minutes.
answer-which = Your answer "{ $typed }" fits more than one message. Which one did you mean?
answer-which-option = { $about } → { $label }
