# Evaluation: democratic evaluation of members and votes for commendations.

menu-evaluation = Evaluation and votes
help-evaluation = /evaluation take part in an evaluation or vote
help-evaluation-manager = /evaluation open opens your branch's evaluation, /evaluation vote <names or keys…> a vote, /evaluation close <id> closes one early, /evaluation results <id> shows results

evaluation-grade-excellent = Excellent
evaluation-grade-qualified = Qualified
evaluation-grade-basic = Basically qualified
evaluation-grade-unqualified = Unqualified
evaluation-vote-for = For
evaluation-vote-against = Against
evaluation-vote-abstain = Abstain

evaluation-title-grades = { $branch }: democratic evaluation of members
evaluation-title-vote = { $branch }: commendation vote (outstanding Party member)
evaluation-opened = Round { $id } is open: { $title }, { $voters } voters, closing in { $days } days. { $told } were told.
evaluation-open-usage = Send /evaluation open (your branch); committee members may name a branch: /evaluation open <branch>.
evaluation-vote-usage = Send /evaluation vote with the candidates' keys, for example /evaluation vote S103 S107.
evaluation-no-member = There is no member with the roster ID or name "{ $key }" in the roster.
evaluation-name-ambiguous = { $count } members of the branch are called "{ $name }": { $who }. Please send it again with the roster ID, for example /evaluation vote { $example }.
evaluation-opened-notice = [{ $branch }] { $title } has opened and closes { $closes }. Send /evaluation to vote (anonymous).
evaluation-duplicate = This branch already has this evaluation for the same period: round { $id } "{ $title }", closing { $closes }. No second one was opened; send /evaluation results { $id } to see how it goes.
evaluation-duplicate-cli = That branch already has this evaluation for the same period: round { $id } "{ $title }". No second one was opened.
evaluation-close-usage = Send /evaluation close with the round's number, for example /evaluation close 3.
evaluation-close-ask = { $title }: { $voted } of { $eligible } have voted; { $missing } have not. Once closed they cannot vote. Close it early?
evaluation-close-confirm = Close early
evaluation-close-keep = Keep voting open
evaluation-close-kept = All right, the round stays open.
evaluation-close-done = Round { $id } is closed ({ $voted } of { $eligible } voted).
evaluation-nothing-pending = No evaluation is waiting for your vote.
evaluation-pending = These evaluations wait for your vote (anonymous; a ballot cannot be changed once submitted):
evaluation-ballot-step = { $title } ({ $n }/{ $of }): { $name }
evaluation-ballot-review =
    Please check your ballot:
    { $summary }
    It cannot be changed once submitted.
evaluation-submit = Submit
evaluation-restart = Start again
evaluation-submitted = Your ballot is in, thank you! Voting is anonymous and a ballot cannot be changed.
evaluation-closed = This round has closed.
evaluation-not-waiting = You have voted already, or you are not a voter in this round.
evaluation-results-usage = Send /evaluation results with the round's number.
evaluation-results-later = Results are shown once the round closes. So far { $voted } of { $eligible } have voted.
evaluation-results-title = { $title }: results ({ $voted } of { $eligible } voted):
evaluation-too-many-excellent = Note: more than a third are “Excellent”.
evaluation-remind = Reminder: { $title } closes on { $closes } and you have not voted yet. Send /evaluation to start (anonymous).

# The whole ballot in one message (one SMS for the ballot instead of one per candidate).
evaluation-compact-button = Fill in all at once
evaluation-compact = { $title }: { $count } candidates. Reply with { $count } digits in list order ({ $legend }): { $list }
evaluation-compact-not-digits = Please reply with { $count } digits in list order, one per candidate, e.g. 1121.
evaluation-compact-count = You sent { $got } digits but the list has { $need } candidates; please reply again with one digit per candidate, in order.
evaluation-compact-option = Digit { $at } is { $digit }; it can only be 1 to { $max }. Please reply again.
evaluation-compact-review = Please check your ballot: { $digits } ({ $count } candidates: { $counts }). It cannot be changed once submitted.
