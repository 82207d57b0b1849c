## 党费: /dues, /dues_pay, /dues_fix, /dues_report, the monthly reminder, `branchbot dues …`
## and `branchbot report dues`. The bot records payments; it takes no money.

menu-dues = 我的党费
menu-dues-pay = 登记党费（收缴党费的同志）
menu-dues-report = 支部党费情况（书记、学院党委）
audit-action-dues-paid = 登记党费
audit-action-dues-corrected = 更正党费记录
audit-action-dues-imported = 导入党费标准
audit-action-dues-keeper = 指定收缴党费的同志
report-kind-dues = 党费

dues-help-member = /dues — 查看您今年的党费交纳情况
dues-help-keeper = /dues_pay 姓名或学号 月份 金额 — 登记党费（如 /dues_pay 马超 2026-11 12.50；只输入 /dues_pay 可从本月未交名单中选择）
    /dues_fix 姓名或学号 月份 金额 — 更正已登记的党费
    /dues_report [月份] — 支部党费情况

dues-month = { $year }年{ $month }月
dues-month-short = { $month }月
dues-who = { $name }（{ $key }）
dues-by-operator = 管理员（命令行）

dues-amount-not-a-number = 无法识别金额“{ $typed }”，请填写数字，如 12.50。
dues-amount-negative = 金额“{ $typed }”不能为负数。
dues-amount-zero = 金额“{ $typed }”须大于零。
dues-amount-too-precise = 金额“{ $typed }”最多保留两位小数（精确到分）。
dues-amount-too-large = 金额“{ $typed }”超过每月上限 { $max }，请核对。
dues-bad-month = 无法识别月份“{ $typed }”，请按 YYYY-MM 填写，例如 2026-11。

dues-not-allowed = 只有支部收缴党费的同志、支部书记和学院党委委员可以登记党费。
dues-unknown-member = 名册中没有“{ $who }”，请核对姓名或学号。
dues-not-party = { $who }不是党员，不交纳党费。
dues-too-far-ahead = { $month }超过一年以后，暂不能登记。
dues-nothing-to-correct = { $who }{ $month }的党费尚未登记，无需更正。请用 /dues_pay { $key } { $code } 金额 登记。
dues-not-in-branch = { $who }不是该支部的党员，不能收缴该支部的党费。

dues-recorded = 已登记：{ $who }{ $month }党费 { $amount }。
dues-already = { $who }{ $month }的党费已登记过：{ $amount }（{ $by }，{ $on }）。如需更正，请用 /dues_fix { $key } { $code } 金额。
dues-already-cli = { $who }{ $month }的党费已登记过：{ $amount }（{ $by }，{ $on }），未重复登记。如需更正，请用 branchbot dues correct { $key } { $code } 金额。
dues-import-differs = { $who }{ $month }已登记 { $was }，与文件中的 { $amount } 不同。如需更正，请用 branchbot dues correct { $key } { $code } { $typed }。
dues-corrected = 已更正：{ $who }{ $month }党费由 { $from } 改为 { $to }。
dues-which = 名册中有 { $count } 位“{ $name }”，请选择您要登记的是哪一位：
dues-which-option = { $who } · { $branch }
dues-fix-which = 名册中有多位“{ $name }”：{ $list }。请用学号更正。
dues-pay-usage = 请这样登记：/dues_pay 姓名或学号 月份 金额，例如 /dues_pay 马超 2026-11 12.50。
dues-fix-usage = 请这样更正：/dues_fix 姓名或学号 月份 金额，例如 /dues_fix 马超 2026-11 15.00。
dues-no-amount = 尚未设定{ $who }的每月党费标准，请写明金额：/dues_pay { $key } { $code } 金额。
dues-confirm = 登记{ $who }{ $month }党费 { $amount }？金额不同请输入 /dues_pay { $key } { $code } 金额。
dues-confirm-button = 确认登记
dues-pick = { $month }尚未交纳党费的有 { $count } 人，请选择要登记的同志：
dues-pick-none = { $month }的党费已全部登记。

dues-mine-header = 您{ $year }年的党费：每月 { $amount }
dues-mine-paid = 已交：{ $months }
dues-mine-unpaid = 未交：{ $months }
dues-mine-all-paid = 今年的党费都已交纳，谢谢您。
dues-mine-pay-to = 请向收缴党费的同志交纳：{ $who }。
dues-mine-no-keeper = 支部尚未指定收缴党费的同志，请联系支部书记。
dues-mine-none = 尚未为您设定每月党费标准，请联系支部书记。
dues-mine-not-party = 党费由党员交纳；您目前不需要交纳党费。
dues-keeper-hint = 登记党费：/dues_pay；支部党费情况：/dues_report。

dues-remind = 党费提醒：您{ $month }的党费（{ $amount }）尚未登记交纳。方便时请交给收缴党费的同志{ $who }。如已交纳，请忽略本提醒。
dues-remind-self = 党费提醒：您{ $month }的党费（{ $amount }）尚未登记。如已交纳，请用 /dues_pay 登记。
dues-flag = 党费提醒：{ $who }已连续 { $months } 个月（{ $from }至{ $to }）未交纳党费。按照党章第三十八条，请支部了解情况，做好思想工作。

dues-report-header = 【{ $branch }】{ $month }党费
dues-report-figures = 党员 { $members } 人，应交 { $expected } 人，共 { $expected-amount }；已交 { $paid } 人，共 { $paid-amount }。
dues-report-unpaid = 未交（{ $count } 人）：{ $list }
dues-report-all-paid = 已全部交纳。
dues-report-run = { $who } { $months } 个月
dues-report-flagged = 连续六个月以上未交纳：{ $list }
dues-report-not-allowed = 只有支部书记、支委、收缴党费的同志和学院党委委员可以查看支部党费情况。

dues-keeper-set = 已指定{ $who }为{ $branch }收缴党费的同志。
dues-import-unreadable = 无法读取文件 { $file }：{ $detail }
dues-import-no-sheet = 文件中没有工作表
dues-import-empty = 文件是空的：第一行应为表头（学号、党费，可选起始月份）。
dues-import-no-columns = 表头须有“学号”（key）和“党费”（amount）两列，可选“起始月份”（from）。
dues-import-payment-columns = 表头须有“学号”（key）、“月份”（month）和“金额”（amount）三列。
dues-import-unknown-column = 不认识的列“{ $column }”。
dues-import-no-key = 缺少学号
dues-import-duplicate = 学号 { $key } 与第 { $first } 行重复
dues-import-problem = 第 { $line } 行：{ $problem }
dues-import-refused = 文件有 { $count } 处问题，未导入任何内容。请修改后重新导入。
dues-import-done = 已导入 { $count } 位党员的每月党费标准。
dues-import-dry-run = 检查通过：可导入 { $count } 位党员的每月党费标准（未写入）。
dues-payments-done = 已登记 { $new } 笔党费；{ $before } 笔此前已登记，未重复登记。
dues-payments-dry-run = 检查通过：可登记 { $new } 笔党费，{ $before } 笔此前已登记（未写入）。

dues-sheet-summary = 汇总
dues-column-branch = 支部
dues-column-members = 党员人数
dues-column-expected = 应交人数
dues-column-expected-amount = 应交金额
dues-column-paid = 已交人数
dues-column-paid-amount = 已交金额
dues-column-unpaid = 未交名单
dues-column-flagged = 连续六个月未交
dues-column-key = 学号/工号
dues-column-name = 姓名
dues-column-amount = 每月党费
dues-column-run = 连续未交月数

dashboard-dues-title = { $branch } · { $month }党费
dashboard-dues-link = 党费：本月应交、已交和未交名单，连续未交月数。
dashboard-dues-open = 查看支部党费情况
