# Everyday practice of 三会一课: leave recorded by the secretary, make-up study, the rotating
# sign-in code (the sign-in screen).

## Leave recorded for a member
meeting-leave-for-usage = To record leave for a member: /proxyleave meeting-number roster-ID reason, e.g. /proxyleave 12 S103 family matters. Or tap “Record leave” in /attendance meeting-number.
meeting-leave-for-not-secretary = Only the branch's secretary or deputy secretary can record leave for a member.
meeting-leave-for-ended = This meeting is over; leave can no longer be recorded. Record the make-up study afterwards (/makeup).
meeting-leave-for-empty-reason = Please give the reason, e.g. /proxyleave 12 S103 family matters.
meeting-leave-for-not-attendee = { $name } is not on this meeting's list of attendees; no leave is needed.
meeting-leave-for-signed-in = { $name } has signed in already; no leave is needed.
meeting-leave-for-button = Record leave
meeting-leave-for-ask-member = Record leave for whom?
meeting-leave-for-nobody = Every attendee has signed in or is on leave; there is nobody to record leave for.
meeting-leave-for-ask-reason = Please type { $name }'s reason for leave (e.g. business trip, family matters).
meeting-leave-for-done = Leave recorded for { $name }: { $kind } on { $when }, reason: { $reason }. They have been told.
meeting-leave-for-told = [{ $branch }] { $by } recorded leave for you: { $kind } on { $when }, reason: { $reason }. Please make up the study afterwards. If this is not right, contact the secretary.
meeting-leave-for-told-office = [{ $branch }] Leave was recorded for you: { $kind } on { $when }, reason: { $reason }. Please make up the study afterwards. If this is not right, contact the secretary.
meeting-leave-entry = { $name } ({ $reason }{ $made_up ->
        [yes] , made up
       *[no] {""}
    })
meeting-leave-entry-proxy = { $name } ({ $reason }, recorded by the secretary{ $made_up ->
        [yes] , made up
       *[no] {""}
    })
meeting-absent-entry-made-up = { $name } (made up)

## Make-up study
meeting-makeup-usage = To record make-up study: /makeup meeting-number what you did, e.g. /makeup 12 read the meeting's documents and wrote notes. Send /makeup alone to see the meetings to make up.
meeting-makeup-not-allowed = Only the member, or the branch's secretary or deputy secretary, can record make-up study.
meeting-makeup-not-over = Make-up study can be recorded once the meeting is over.
meeting-makeup-attended = { $name } attended this meeting; no make-up study is needed.
meeting-makeup-empty-note = Please say briefly what you did, e.g. read the meeting's documents and wrote notes.
meeting-makeup-already = The make-up study for this meeting was recorded on { $day }.
meeting-makeup-none-owed = You have no meetings to make up from the last six months.
meeting-makeup-owed = You missed these meetings. Once you have made up the study, choose the meeting to record it:
meeting-makeup-ask-note = Please say briefly how you made up the { $kind } on { $when } (e.g. read the documents and wrote notes).
meeting-makeup-done = Make-up study recorded: { $kind } on { $when }. Thank you!
meeting-makeup-done-for = Make-up study recorded for { $name }: { $kind } on { $when }.
meeting-makeup-told = [{ $branch }] Your make-up study was recorded: { $kind } on { $when } ({ $note }).
compliance-makeup-line = Made up { $made_up }/{ $missed } · open absences without leave { $open }
cli-report-made-up = Made up
cli-report-absent-open = Open absences

## Rotating sign-in code and the sign-in screen
meeting-code-rotating-only = the rotating code: send /signin_screen { $id } to open the sign-in screen
meeting-signin-stale = The code { $code } has expired (the code changes every 30 seconds). Please send the code now on the screen in the room.
meeting-signin-code-rotating = [{ $branch }] { $kind } ({ $when }) uses the rotating sign-in code; sign-in opens { $opens } minutes before. Send /signin_screen { $id } and open the sign-in screen in the room.
meeting-screen-button = Sign-in screen
meeting-screen-link = Sign-in screen link (opens once, within { $minutes } minutes): { $link }
    Open it on the screen in the room. The code changes every 30 seconds; attendees send the code on the screen to sign in. The meeting's fixed code still works.
meeting-screen-link-only = Sign-in screen link (opens once, within { $minutes } minutes): { $link }
    Open it on the screen in the room. The code changes every 30 seconds; attendees send the code on the screen to sign in. The meeting's fixed code no longer works.
meeting-screen-ended = This meeting is over; the sign-in screen can no longer be opened.
screen-title = Meeting sign-in
screen-heading = [{ $branch }] { $kind }
screen-hint = Send the code on the screen to sign in
screen-changes = The code changes every 30 seconds; next change in { $seconds } s
screen-not-open = Sign-in opens at { $at }; the code will be shown here then.
screen-ended = The meeting is over; sign-in is closed.
screen-cancelled = The meeting was cancelled.
screen-preview = This is a meeting sign-in screen link; open it in the browser of the screen in the room.
screen-error-link = This link is invalid, has expired or was opened already. The secretary can send /signin_screen meeting-number in chat for a new one.
screen-error-session = Please open this page through the sign-in screen link the secretary received.
screen-error-internal = Something went wrong; please refresh in a moment.

## Audit log
audit-action-leave-recorded = Leave recorded for a member
audit-action-makeup-recorded = Make-up study recorded

## /help
meeting-help-makeup = /makeup to record your make-up study for a meeting you missed (by SMS: 补学 meeting-number what you did)
meeting-help-practice = /proxyleave <number> <roster ID> <reason> records leave for a member (secretary, deputy), /makeup <number> <roster ID> <note> records their make-up study, /signin_screen <number> opens the sign-in screen (rotating code)
