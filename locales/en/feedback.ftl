# Anonymous feedback: model dormitories, badge posts, branches and members.

menu-feedback = See feedback results
help-feedback = /feedback see the feedback results you may see
help-reply = /reply <code> to see whether your feedback has been answered
help-feedback-answer = /answer <number> <text> to answer a feedback comment
help-feedback-hide = /hide <number> to hide an abusive feedback comment

feedback-kind-dormitory = Model dormitory
feedback-kind-post = Party member service window
feedback-kind-branch = Branch
feedback-kind-member = Member

feedback-rating-satisfied = Satisfied
feedback-rating-fair = Fairly satisfied
feedback-rating-dissatisfied = Dissatisfied
feedback-skip = Skip

feedback-intro = 
    Rating: { $kind } · { $name } (anonymous; who you are is not kept)
    How was it overall?
feedback-pick-rating = Please choose: satisfied, fairly satisfied or dissatisfied.
feedback-ask-comment = Anything to add? (optional)
feedback-too-long = A comment is at most { $max } characters. Please shorten it, or skip.
feedback-thanks =
    Thank you! Your reply code: { $code } (shown only this once).
    Send /reply { $code } later to read the branch's answer.
    Your rating is published together with at least 5 others' once enough have come in, dated by day only.
feedback-already = You have already rated this in this period, thank you! You can rate again next period.
feedback-unknown-target = There is nothing to rate with the code “{ $code }”. Please scan the QR code on the plaque again.
feedback-expired = This rating has ended or timed out. Please scan the QR code again to start.

feedback-reply-usage = Send /reply with your reply code, for example /reply K7Q-4MX.
feedback-reply-unknown = The reply code { $code } is not right. Please check it; it was shown once, after your rating.
feedback-reply-pending = The branch has not answered yet. Please look again in a few days.
feedback-reply-answer = The branch's answer: { $answer }

feedback-not-allowed = You may not do this. Send /help if you need help.
feedback-none-visible = There is nothing rated that you may see.
feedback-report-title = Feedback results ({ $period })
feedback-report-building = Building { $building } in total: { $figures }
feedback-report-target = · { $kind } · { $name }: { $figures }
feedback-report-comment =   [{ $id }] { $day } { $text }
feedback-report-answer =     Answer: { $answer }
feedback-counts = satisfied { $satisfied }, fairly satisfied { $fair }, dissatisfied { $dissatisfied } ({ $total } in all)
feedback-too-few = fewer than 5 ratings; not shown yet
feedback-answer-usage = Send /answer <id> <answer>, for example /answer ABCD2345 We spoke with the room.
feedback-no-comment = There is no comment with the id { $id }.
feedback-answered = Comment { $id } is answered; the person who rated can read it with their reply code.
feedback-hide-usage = Send /hide <id>, for example /hide ABCD2345.
feedback-hidden = Comment { $id } is hidden (kept on record).

# branchbot targets load / qr / report feedback
targets-problem = line { $line }, column “{ $column }”: { $what }
targets-unreadable = the file cannot be read ({ $value })
targets-bad-code = the code “{ $value }” is not valid: letters, digits, - and _ only, at most 24 characters
targets-duplicate-code = the code “{ $value }” appears twice
targets-bad-kind = the kind “{ $value }” is not valid: write dormitory, post, branch or member
targets-missing = must not be empty{ $value }
targets-unknown-branch = there is no branch named “{ $value }”
targets-unknown-member = there is no member with the roster ID “{ $value }” in the roster
targets-refused = { $file } was not loaded: { $count } problems:
targets-loaded = Loaded { $count } feedback targets from { $file }.
targets-unknown = There is no feedback target with the code { $code }. Load targets with branchbot targets load first.
qr-invitation = 扫码匿名评价
qr-written = Written: { $file }
qr-no-font = The SVG is written, but not the PNG: no Chinese font is installed (one of: { $fonts }). Install one, for example sudo apt-get install fonts-noto-cjk or fonts-wqy-zenhei, and try again.
feedback-published = { $kind } · { $name } has new anonymous comments. Send /feedback to read them and /answer to reply.
feedback-stored = Only the rating and comment are kept (sealed, published mixed with at least 5 others, dated by day), never who you are.
feedback-withheld = withheld to protect anonymity
feedback-report-semester =     this semester so far: { $figures }
