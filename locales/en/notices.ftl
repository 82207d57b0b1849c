# Notices ("please confirm receipt"): sending, confirming, the status, nudging, SMS escalation.

menu-notice = Send a notice
menu-notice-status = See who confirmed a notice

help-notices =
    /notice send a notice (optionally asking people to confirm)
    /notice_status see who got and confirmed a notice
    /notice_escalate HOURS send it by SMS to whoever has not confirmed by then

notice-refused = Only branch secretaries and committee members can send notices. Send /help for help.
notice-other-branch = You can only send notices to your own branch.
notice-ask-scope = Who should get it?
notice-scope-all = All party members
notice-scope-secretaries = All branch secretaries
notice-scope-branch = The branch's party members
notice-scope-group = A chosen party group
notice-scope-committee = Branch committee members
notice-scope-full = Full members
notice-scope-everyone = Everyone (activists and non-members too)
notice-scope-branch-everyone = Everyone in the branch (activists and non-members too)
notice-scope-activists = Activists
notice-scope-masses = Non-members
notice-ask-group = Which party group?
notice-ask-text = Please type the notice.
notice-ask-confirm = Should people reply to confirm receipt?
notice-confirm-yes = Yes
notice-confirm-no = No
notice-ask-urgent = Is it urgent? Urgent notices go out at once, even during quiet hours.
notice-urgent-no = Not urgent
notice-urgent-yes = Urgent
notice-preview =
    { $text }
    ——
    Preview: { $total } people will get it (Telegram { $telegram }{ $sms ->
        [0] {""}
       *[other] , SMS { $sms }, { $each } SMS each, { $segments } in all
    }{ $wecom ->
        [0] {""}
       *[other] , WeCom { $wecom }
    }{ $console ->
        [0] {""}
       *[other] , local console { $console }
    }).
notice-preview-roles =
    { $count ->
        [0] Nobody is in this audience.
       *[other] Of them: { $list }.
    }
notice-preview-role = { $role } { $count }
notice-preview-roles-sep = , {""}
notice-role-full = full members
notice-role-probationary = probationary members
notice-role-activist = activists
notice-role-masses = non-members
notice-preview-unreachable = { $count } more cannot be reached now (no Telegram, no SMS).
notice-send = Send
notice-edit = Edit
notice-cancel = Cancel
notice-cancelled = Cancelled; the notice was not sent.
notice-sent = Sent (notice #{ $id }, { $count } people). /notice_status shows who confirmed.

# What recipients read
notice-header = [Notice] { $sender }
notice-header-urgent = [Urgent notice] { $sender }
notice-header-college = [Notice from the college Party committee]
notice-header-college-urgent = [Urgent notice from the college Party committee]
notice-please-confirm = Please confirm receipt.
notice-received = Received
notice-confirmed = Confirmed: you have received notice #{ $id } ({ $excerpt }). Thank you!
notice-confirmed-already = You had already confirmed notice #{ $id } ({ $excerpt }); no need to reply again. Thank you!

# /notice_status
notice-status-usage = Usage: /notice_status or /notice_status NOTICE-NUMBER
notice-status-none = No notice of yours was found.
notice-status-head = Notice #{ $id } ({ $at }): { $text }
notice-status-delivery = { $total } people: sent { $sent } · queued { $queued } · failed { $failed } · blocked { $blocked } · unreachable { $unreachable }
notice-status-confirmed = Confirmed { $confirmed }/{ $total } · { $missing } not yet: { $names }
notice-status-all-confirmed = All { $total } have confirmed.
notice-status-recent = Recent notices:
notice-nudge = Remind those who have not confirmed
notice-nudge-header = [Reminder] Please confirm you received this notice.
notice-nudged = Reminded { $count } people who have not confirmed.
notice-nudge-too-soon = They were reminded just now; you can remind them again after { $at }.
notice-escalate-usage = Usage: /notice_escalate HOURS [NOTICE-NUMBER], e.g. /notice_escalate 4 (1 to 168 hours).
notice-escalate-no-confirm = This notice does not ask for confirmation, so there is nothing to escalate.
notice-escalate-set = OK: whoever has not confirmed notice #{ $id } by { $at } will get it by SMS.
notice-escalation-scheduled = SMS escalation: at { $at } to those who have not confirmed.
notice-escalation-pending = SMS escalation: due at { $at }, but no SMS gateway is connected; not sent yet.
notice-escalation-sent = SMS escalation: sent at { $at } to those who had not confirmed.

# branchbot notice …
cli-notice-bad-scope = Unknown scope "{ $scope }". Write all (party members), everyone, branch:NAME, everyone:BRANCH, group:BRANCH/GROUP or role:secretary|committee|full|activist|masses.
cli-notice-no-sender = There is no college committee member on the roster to send as. Name one with --from.
cli-notice-not-sent = Not sent. When it looks right, run it again with --yes.
cli-notice-sent = Sent notice #{ $id } ({ $count } people). See who confirmed with branchbot notice status { $id }.

# A moment as people read it: 7 Dec 10:58 is written day/month.
moment = { $day }/{ $month } { $time }
