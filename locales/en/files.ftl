# Photos and files sent in chat (flows/files): where they are attached, refusals, SMS.
files-sms-how = Photos and files cannot be sent by SMS. Send them to this bot in Telegram or WeCom, then choose the meeting, pledge check-in or activity they belong to.
files-fetch-failed = Sorry, this file could not be fetched and was not saved. Please send it again in a while.
files-where = Received ({ $counts }). Where does it belong?
files-nowhere = Received ({ $counts }), but you have no meeting, pledge check-in or activity of the last 14 days to attach it to, so it is not attached. Send it again after the meeting to attach it.
files-keep = Don't attach
files-kept = All right, not attached: it will not appear in any record.
files-already-attached = These files are attached already.
files-not-allowed = You cannot add files to this: only those expected at a meeting and its organiser can add its photos and files.
files-attached = Attached to the record of { $what }: { $counts }
files-minutes-go-on = Please go on with the minutes' text.
files-count-photos = { $count ->
    [one] 1 photo
   *[other] { $count } photos
}
files-count-documents = { $count ->
    [one] 1 file
   *[other] { $count } files
}
files-record-line = Attachments: { $counts }
files-record-none = Attachments: none yet. Send me the meeting's photos or sign-in sheet and choose this meeting to attach them.
files-date = { $day }/{ $month }
files-meeting-label = { $kind } of { $date }
files-activity-label = { $kind } of { $date }
files-checkin-label = This period's pledge check-in ({ $date })
notice-preview-file = File: { $name } (Telegram and WeCom recipients receive the file with the notice, the others its name)
notice-preview-file-none = To send a file with the notice, send it to me now.
notice-file-caption = The notice's file: { $name }
notice-file-elsewhere = File: { $name } (ask your branch secretary for it)
help-files = Send me photos or files to attach them to a recent meeting's record, your pledge check-in or an activity
feedback-no-files = Anonymous feedback takes text only: photos and files could tell who you are and are neither received nor kept. Please write your comment instead.
