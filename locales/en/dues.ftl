## Party dues: /dues, /dues_pay, /dues_fix, /dues_report, the monthly reminder, `branchbot
## dues …` and `branchbot report dues`. The bot records payments; it takes no money.

menu-dues = My party dues
menu-dues-pay = Record dues (the branch's dues keeper)
menu-dues-report = The branch's dues (secretaries, the college committee)
audit-action-dues-paid = dues recorded
audit-action-dues-corrected = dues record corrected
audit-action-dues-imported = dues amounts imported
audit-action-dues-keeper = dues keeper named
report-kind-dues = dues

dues-help-member = /dues — your party dues this year
dues-help-keeper = /dues_pay NAME-OR-KEY MONTH AMOUNT — record dues (e.g. /dues_pay 马超 2026-11 12.50; /dues_pay alone lists this month's unpaid)
    /dues_fix NAME-OR-KEY MONTH AMOUNT — correct recorded dues
    /dues_report [MONTH] — the branch's dues

dues-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
dues-month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
dues-who = { $name } ({ $key })
dues-by-operator = the operator (command line)

dues-amount-not-a-number = "{ $typed }" is not an amount; write a number such as 12.50.
dues-amount-negative = The amount "{ $typed }" cannot be negative.
dues-amount-zero = The amount "{ $typed }" must be more than zero.
dues-amount-too-precise = The amount "{ $typed }" has more than two decimals (fen are the smallest unit).
dues-amount-too-large = The amount "{ $typed }" is over the monthly limit of { $max }; please check it.
dues-bad-month = "{ $typed }" is not a month; write YYYY-MM, e.g. 2026-11.

dues-not-allowed = Only the branch's dues keeper, its secretary and the college committee record dues.
dues-unknown-member = Nobody on the roster is called "{ $who }"; please check the name or key.
dues-not-party = { $who } is not a party member and pays no dues.
dues-too-far-ahead = { $month } is more than a year ahead and cannot be recorded yet.
dues-nothing-to-correct = No dues are recorded for { $who } for { $month }, so there is nothing to correct. Record them with /dues_pay { $key } { $code } AMOUNT.
dues-not-in-branch = { $who } is not a party member of that branch and cannot keep its dues.

dues-recorded = Recorded: { $who }, dues for { $month }, { $amount }.
dues-already = Dues for { $who } for { $month } were recorded already: { $amount } ({ $by }, { $on }). To correct them, use /dues_fix { $key } { $code } AMOUNT.
dues-already-cli = Dues for { $who } for { $month } were recorded already: { $amount } ({ $by }, { $on }); not recorded twice. To correct them: branchbot dues correct { $key } { $code } AMOUNT.
dues-import-differs = { $who } has { $was } recorded for { $month }, not the file's { $amount }. To correct it: branchbot dues correct { $key } { $code } { $typed }.
dues-corrected = Corrected: { $who }, dues for { $month }, from { $from } to { $to }.
dues-which = There are { $count } members called "{ $name }"; which one do you mean?
dues-which-option = { $who } · { $branch }
dues-fix-which = Several members are called "{ $name }": { $list }. Please correct by roster key.
dues-pay-usage = Record dues like this: /dues_pay NAME-OR-KEY MONTH AMOUNT, e.g. /dues_pay 马超 2026-11 12.50.
dues-fix-usage = Correct dues like this: /dues_fix NAME-OR-KEY MONTH AMOUNT, e.g. /dues_fix 马超 2026-11 15.00.
dues-no-amount = No monthly amount is set for { $who }; please give the amount: /dues_pay { $key } { $code } AMOUNT.
dues-confirm = Record { $amount } as { $who }'s dues for { $month }? For another amount, type /dues_pay { $key } { $code } AMOUNT.
dues-confirm-button = Record
dues-pick = { $count } members have not paid for { $month }; whom do you record?
dues-pick-none = Everyone's dues for { $month } are recorded.

dues-mine-header = Your party dues in { $year }: { $amount } a month
dues-mine-paid = Paid: { $months }
dues-mine-unpaid = Unpaid: { $months }
dues-mine-all-paid = Everything this year is paid, thank you.
dues-mine-pay-to = Please pay the branch's dues keeper: { $who }.
dues-mine-no-keeper = The branch has no dues keeper yet; please ask the secretary.
dues-mine-none = No monthly amount is set for you yet; please ask the branch secretary.
dues-mine-not-party = Party dues are paid by party members; you have none to pay.
dues-keeper-hint = Record dues: /dues_pay; the branch's dues: /dues_report.

dues-remind = Party dues: your dues for { $month } ({ $amount }) are not recorded yet. When convenient, please pay { $who }, the branch's dues keeper. If you have paid, please ignore this.
dues-remind-self = Party dues: your dues for { $month } ({ $amount }) are not recorded yet. If you have paid, record them with /dues_pay.
dues-flag = Party dues: { $who } has not paid dues for { $months } months in a row ({ $from } to { $to }). Under Article 38 of the Party Constitution, please find out why and talk with them.

dues-report-header = [{ $branch }] Dues for { $month }
dues-report-figures = { $members } party members, { $expected } expected to pay { $expected-amount }; { $paid } paid { $paid-amount }.
dues-report-unpaid = Unpaid ({ $count }): { $list }
dues-report-all-paid = Everyone has paid.
dues-report-run = { $who } { $months } months
dues-report-flagged = Six months or more unpaid: { $list }
dues-report-not-allowed = Only the branch committee, the dues keeper and the college committee see the branch's dues.

dues-keeper-set = { $who } now keeps the dues of { $branch }.
dues-import-unreadable = Cannot read { $file }: { $detail }
dues-import-no-sheet = the file has no sheet
dues-import-empty = The file is empty: the first line must be the header (key, amount, optionally from).
dues-import-no-columns = The header must name a "key" (学号) and an "amount" (党费) column, and may name "from" (起始月份).
dues-import-payment-columns = The header must name "key" (学号), "month" (月份) and "amount" (金额) columns.
dues-import-unknown-column = Unknown column "{ $column }".
dues-import-no-key = no roster key
dues-import-duplicate = key { $key } repeats line { $first }
dues-import-problem = Line { $line }: { $problem }
dues-import-refused = The file has { $count } problems; nothing was imported. Please fix them and import again.
dues-import-done = Monthly amounts imported for { $count } party members.
dues-import-dry-run = The file is fine: monthly amounts for { $count } party members would be imported (nothing written).
dues-payments-done = { $new } payments recorded; { $before } were recorded before and were not recorded twice.
dues-payments-dry-run = The file is fine: { $new } payments would be recorded, { $before } were recorded before (nothing written).

dues-sheet-summary = Summary
dues-column-branch = Branch
dues-column-members = Party members
dues-column-expected = Expected
dues-column-expected-amount = Amount expected
dues-column-paid = Paid
dues-column-paid-amount = Amount paid
dues-column-unpaid = Unpaid
dues-column-flagged = Six months unpaid
dues-column-key = Key
dues-column-name = Name
dues-column-amount = Monthly amount
dues-column-run = Months unpaid in a row

dashboard-dues-title = { $branch } · dues for { $month }
dashboard-dues-link = Party dues: this month's expected, paid and unpaid, and months unpaid in a row.
dashboard-dues-open = Open the branch's dues
