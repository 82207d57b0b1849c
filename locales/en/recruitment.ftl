## 发展党员 (recruitment): /mystage, /recruit, `branchbot recruit …` and `branchbot report recruitment`.

menu-mystage = My stage on the way to membership
menu-recruit = Recruitment pipeline (secretary, committee, college, contacts)
audit-action-recruitment-step = recruitment step recorded
report-kind-recruitment = recruitment

recruit-stage-applicant = applicant
recruit-stage-activist = activist
recruit-stage-candidate = candidate for membership
recruit-stage-probationary = probationary member
recruit-stage-full = full member

recruit-step-applied = application handed in
recruit-step-talk = talk with the applicant
recruit-step-activist = determined activist
recruit-step-contact = contact assigned
recruit-step-report = thought report handed in
recruit-step-review = half-yearly assessment
recruit-step-opinions = opinions of the group, contacts, members and masses
recruit-step-candidate = listed as candidate
recruit-step-political = political review
recruit-step-training = concentrated training
recruit-step-committee-review = branch committee review
recruit-step-prereview = college committee pre-review
recruit-step-form = application form filled in
recruit-step-publicity = public notice
recruit-step-vote = branch meeting vote
recruit-step-committee-talk = college committee talk
recruit-step-approval = college committee approval
recruit-step-oath = oath
recruit-step-application = written application for full membership

recruit-clock-talk = talk due
recruit-clock-report = next thought report
recruit-clock-review = next half-yearly assessment
recruit-clock-candidate-from = earliest listing as candidate
recruit-clock-approval = college approval due
recruit-clock-probation-ends = probation ends (discuss full membership)

recruit-due = { $clock }: { $date }
recruit-due-overdue = { $clock }: { $date } (overdue)
recruit-nothing-due = nothing due
recruit-hours = { $hours } hours

recruit-mystage-none = There is no application on record for you. Once you hand in your application, the branch records every step here.
recruit-mystage = You are now: { $stage }
recruit-expect-applicant = Next: the branch talks with you within a month of your application; then the branch committee decides on making you an activist.
recruit-expect-activist = Next: hand in your thought reports on time, work with your contacts and take the branch's half-yearly assessments; after a year you can be listed as a candidate.
recruit-expect-candidate = Next: political review, concentrated training, the branch committee's review, the college's pre-review, the application form, the public notice, then the branch meeting's vote.
recruit-expect-probationary = Next: hand in your thought reports on time; the probation lasts a year: before it ends, hand in a written application for full membership for the branch meeting to discuss.
recruit-expect-full = You are a full member.

recruit-not-allowed = You may not see or change this recruitment record: only the person, their contacts, the branch committee and the college committee may.
recruit-unknown-member = Nobody on the roster has the key "{ $key }". Send /recruit to see the keys in the pipeline.
recruit-not-in-pipeline = { $key } has no application on record. Record it first: /recruit { $key } applied DATE
recruit-unknown-contact = No member on the roster has the key "{ $key }". Write: /recruit KEY contact DATE CONTACT-KEY
recruit-future-date = { $date } has not come yet. Give the date it happened (YYYY-MM-DD).
recruit-bad-step = Unknown step "{ $step }". Steps: applied, talk, activist, contact, report, review, opinions, candidate, political, training, committee_review, prereview, form, publicity, vote, committee_talk, approval, oath, application (Chinese names work too).
recruit-bad-date = Write dates as YYYY-MM-DD, e.g. 2026-03-01.
recruit-bad-contact = Name the contact by key: /recruit KEY contact DATE CONTACT-KEY
recruit-bad-tally = Give the vote's result: /recruit KEY vote DATE YES NO ABSTAIN ENTITLED (full members with a vote), e.g. vote 2026-06-01 25 2 1 40
recruit-usage = Record a step: /recruit KEY STEP [DATE] [note]; a paper received: /recruit KEY paper NAME [DATE]; the public notice: /recruit KEY notice; the branch meeting's secret ballot: /recruit KEY ballot [HOURS]; due this month: /recruit due

recruit-refused-wrong-stage = Cannot record "{ $step }": the person is now { $stage }, and this step does not belong to that stage.
recruit-refused-missing = Cannot record "{ $step }": "{ $need }" is not recorded yet.
recruit-refused-not-enough = Cannot record "{ $step }": it needs { $need } × "{ $need-step }", there are { $have }.
recruit-refused-year = Cannot record "{ $step }": a year as an activist is required (Art. 12), not before { $until }.
recruit-refused-probation = Cannot record "{ $step }": the year of probation has not ended, not before { $until }.
recruit-refused-before = Cannot record "{ $step }": the date is before "{ $need }" ({ $date }).
recruit-refused-contact = A contact must be a full member.
recruit-refused-already = "{ $step }" is already recorded.
recruit-refused-tally = The vote's counts cannot be right: the votes cannot outnumber the full members entitled to vote, who must be more than none.
recruit-refused-training = The concentrated training had { $hours } hours; at least { $need } are required (usually three days).

recruit-vote-passed = Passed: { $yes } for, { $no } against, { $abstain } abstaining; { $entitled } full members entitled to vote, more than half is { $needed }.
recruit-vote-failed = Not passed: { $yes } for, { $no } against, { $abstain } abstaining; { $entitled } full members entitled to vote, more than half is { $needed }.

recruit-recorded = Recorded: { $key } · { $step } · { $date }. Stage now: { $stage }
recruit-show-header = { $name } ({ $key }) · { $stage }
recruit-pipeline-empty = Nobody is in the recruitment pipeline yet.
recruit-pipeline-header = Recruitment pipeline, { $count } people: { $stages }
recruit-pipeline-line = { $name } ({ $key }) · { $stage } · { $next }
recruit-due-header = Due this month or overdue, { $count } items:
recruit-due-none = Nothing falls due this month.

recruit-column-branch = branch
recruit-column-key = key
recruit-column-name = name
recruit-column-stage = stage
recruit-column-next = next
recruit-column-by = by
recruit-column-overdue = overdue
recruit-column-publicity-ends = notice ends
recruit-sheet-summary = summary

recruit-import-unreadable = Cannot read { $file }: { $detail }
recruit-import-no-key = The first line must name a "key" column (or 学号, 工号).
recruit-import-line-no-key = Line { $line }: no key.
recruit-import-unknown-column = Unknown column "{ $column }".
recruit-import-problem = Line { $line }, column "{ $column }": { $problem }
recruit-import-refused = The file has { $count } problems; nothing was imported. Correct them and import again.
recruit-import-done = Imported { $people } people with { $steps } steps.
recruit-import-dry-run = The file is fine: { $people } people with { $steps } steps would be imported (nothing written).

recruit-remind = Recruitment reminder: { $name } ({ $key }) · { $clock }: { $date }
recruit-remind-today = Recruitment reminder: { $name } ({ $key }) · due today · { $clock }: { $date }

dashboard-recruitment-title = { $branch } · recruitment
dashboard-recruitment-link = Recruitment: each person's stage, next step and overdue clocks.
dashboard-recruitment-open = Open the recruitment pipeline

recruit-help-mystage = /mystage your way to membership: your stage, what comes next, what is expected of you
recruit-help-recruit = /recruit recruitment: the pipeline, what is due this month (/recruit due), record a step (/recruit KEY STEP DATE), a paper received (/recruit KEY paper NAME DATE), the public notice, the branch meeting's secret ballot

## Papers on file, the public notice's window and its text.

recruit-paper-application-letter = application for membership
recruit-paper-report = thought report
recruit-paper-political-materials = political review papers
recruit-paper-training-certificate = training certificate
recruit-paper-volunteer-form = membership form
recruit-paper-confirm-application = application for full membership
recruit-papers = Papers: { $items }
recruit-paper-received = { $paper } { $date }
recruit-paper-reports = { $paper } ×{ $count } (latest { $date })
recruit-paper-missing = { $paper } missing
recruit-paper-recorded = Recorded: { $key } handed in the { $paper } on { $date }.
recruit-bad-paper = Unknown paper "{ $paper }". Papers: application_letter, report, political_materials, training_certificate, volunteer_form, confirm_application. Write: /recruit KEY paper NAME [DATE]
recruit-refused-paper = Cannot record "{ $step }": the { $paper } has not been received. Record it first: /recruit KEY paper { $paper } DATE
recruit-refused-paper-already = The { $paper } is on file already.

recruit-publicity-window = Public notice: { $start } to { $last } ({ $days } working days); the branch meeting may vote from { $from }
recruit-publicity-open = Public notice running until { $last }
recruit-refused-publicity = Cannot record "{ $step }": the public notice has not run its working days; the vote is possible from { $until }.
recruit-notice-none = { $key } has no public notice running.
recruit-notice-sent = The notice was sent to { $count } members of the branch.
recruit-notice-admission =
    Public notice: { $name } to be admitted as a probationary member

    { $name }, { $branch }, applied on { $applied }, was made an activist on { $activist } and listed for development on { $candidate }. After the branch committee's review and the pre-review by { $org }, { $name } is to be admitted as a probationary member of the Party.
    Notice period: { $start } to { $last } ({ $days } working days).
    Party members and others with objections may write, call or speak to { $branch } or { $org } during the period. Objections should keep to the facts; please sign those made in your own name.
    Contact: { $contact }

    { $org } { $branch }
    { $today }
recruit-notice-confirm =
    Public notice: { $name } to become a full member on time

    { $name }, { $branch }, was admitted as a probationary member by the branch meeting on { $admitted }; the probation runs until { $ends }. { $name } has applied for full membership and, after the branch committee's review, is to become a full member on time.
    Notice period: { $start } to { $last } ({ $days } working days).
    Party members and others with objections may write, call or speak to { $branch } or { $org } during the period. Objections should keep to the facts; please sign those made in your own name.
    Contact: { $contact }

    { $org } { $branch }
    { $today }
recruit-notice-contact = { $name } ({ $phone })
recruit-notice-contact-committee = the branch committee
recruit-column-papers-missing = Papers missing for the next stage

## The branch meeting's vote by secret ballot (on the evaluation feature's ballots).

recruit-ballot-title-admission = Branch meeting vote: admit { $name } as a probationary member
recruit-ballot-title-confirm = Branch meeting vote: { $name } to become a full member on time
recruit-ballot-opened = Secret ballot no. { $id } opened: { $title }. { $entitled } full members have a vote; more than half of them must vote for, at least { $needed }. It closes { $closes }; members vote with /evaluation. Once it has closed (or after /evaluation close { $id } when everyone has voted), send /recruit { $key } ballot to record the result.
recruit-ballot-running = Secret ballot no. { $id } is open: { $voted } of { $eligible } have voted; it closes { $closes }.
recruit-ballot-note = secret ballot no. { $id }
recruit-ballot-bad-hours = Write how many hours the ballot stays open, 1 to { $max }, e.g. /recruit KEY ballot 2
recruit-admitted-on = Admitted as a probationary member: { $date } (probation until { $ends })
recruit-full-on = Full member since { $date }
recruit-clock-publicity-ends = public notice ends (vote from the next day)
