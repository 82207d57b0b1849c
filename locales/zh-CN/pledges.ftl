# Pledges (党员承诺): writing, review, publication (公示), check-ins and keeping the pledge (践诺).

menu-pledge = 我的承诺：填写、修改、践诺填报
menu-pledges = 查看支部公示的党员承诺
menu-pledges-review = 审核承诺（书记、支委）
menu-pledge-stats = 承诺与践诺情况（书记、支委）
menu-pledge-schedule = 设置践诺填报时间（书记、支委）

pledge-help-member =
    /pledge 填写或查看我的承诺
    /pledges 支部名 查看支部公示的承诺
pledge-help-manager =
    /pledges_review 审核待审的承诺
    /pledge_stats 查看承诺与践诺情况
    /pledge_schedule 设置践诺填报的时间

pledge-way-study = 带头学习提高
pledge-way-results = 带头争创佳绩
pledge-way-serve = 带头服务师生
pledge-way-discipline = 带头遵纪守法
pledge-way-integrity = 带头弘扬正气

pledge-status-submitted = 待审核
pledge-status-returned = 已退回修改
pledge-status-approved = 已通过并公示

pledge-progress-done = 已完成
pledge-progress-on-track = 按计划
pledge-progress-behind = 落后
pledge-progress-blocked = 遇到困难

pledge-none = 您还没有填写承诺。承诺最多 { $max } 条，每条对应一个“带头”方面。
pledge-write = 开始填写
pledge-edit = 修改承诺
pledge-ask-way = 
    第 { $number } 条承诺属于哪个方面？
    带头学习提高 · 带头争创佳绩 · 带头服务师生 · 带头遵纪守法 · 带头弘扬正气
pledge-ask-text = 请写下这一条（{ $way }），不超过 { $max } 字。
pledge-ask-date = 有目标完成日期吗？请按 2026-12-31 的格式输入，或点“跳过”。
pledge-skip = 跳过
pledge-added = 已记下第 { $number } 条。
pledge-add-more = 再加一条
pledge-submit = 提交审核
pledge-submitted = 已提交第 { $version } 版承诺，书记审核后会公示。审核前可发送 /pledge 修改。
pledge-error-item-empty = 这一条是空的，请写下具体内容。
pledge-error-item-too-long = 这一条有 { $got } 字，超过了 { $max } 字的限制，请精简后重新发送。
pledge-error-too-many = 承诺最多 { $max } 条，请提交。
pledge-error-bad-date = 未能识别这个日期。请按 2026-12-31 的格式输入，或点“跳过”。
pledge-error-past-date = “{ $typed }”已经过去了，目标日期不能早于今天。请输入今天或以后的日期，或点“跳过”。
pledge-error-date-write-year = “{ $typed }”今年已经过去了。如果您是指明年，请写上年份，例如 { $example }；或点“跳过”。
pledge-error-no-branch = 您还没有编入党支部，暂时不能填写承诺。请联系支部书记。
pledge-error-not-member = 承诺由党员（含预备党员）填写。
pledge-view-header = 我的承诺（第 { $version } 版 · { $status }）
pledge-view-item = { $number }. { $way }：{ $text }
pledge-view-item-dated = { $number }. { $way }：{ $text }（目标：{ $date }）
pledge-view-returned = 书记的意见：{ $comment }
pledge-view-published = 公示中的是第 { $version } 版。
pledge-view-checkins = 践诺填报：
pledge-view-checkin = { $date } 第 { $number } 条：{ $progress }
pledge-view-checkin-note = { $date } 第 { $number } 条：{ $progress }（{ $note }）
pledge-view-assessments = 践诺自评：
pledge-view-assessment = { $title }：{ $text }
pledge-view-assessment-open = { $title }：尚未填写

pledge-review-push =
    { $name }同志提交了第 { $version } 版承诺，请审核：
    { $items }
pledge-review-approve = 通过
pledge-review-return = 退回修改
pledge-review-none = 目前没有待审核的承诺。
pledge-review-ask-comment = 请写下退回的意见，{ $name } 会看到。
pledge-review-approved = 已通过{ $name }的承诺，已在支部公示。
pledge-review-returned = 已退回{ $name }的承诺，并告知了您的意见。
pledge-review-stale = 这一版已经审核过，或 { $name } 之后又修改了承诺。请发送 /pledges_review 查看最新的。
pledge-review-not-yours = 这份承诺不属于您管理的支部。
pledge-approved-push = 您的承诺（第 { $version } 版）已通过，已在支部公示。
pledge-returned-push =
    您的承诺（第 { $version } 版）被退回修改。书记的意见：{ $comment }
    发送 /pledge 修改后重新提交。

pledges-usage = 请写上支部名称，例如：/pledges { $example }
pledges-no-branch = 没有叫“{ $branch }”的支部。现有支部：{ $branches }
pledges-none = { $branch }还没有公示的承诺。
pledges-header = { $branch }党员承诺公示（{ $count } 人）
pledges-member = { $name }：

pledge-checkin-header = 本期践诺填报：
pledge-checkin-question = { $number }. { $way }：{ $text }，进展如何？
pledge-checkin-reminder = 提醒：本期践诺填报还没有完成。
pledge-checkin-ask-difficulty = 请说明遇到的困难，书记会看到并联系您。
pledge-checkin-blocked-recorded = 已记录并告知书记。谢谢您的反馈。
pledge-checkin-done = 本期践诺填报已全部记录，谢谢！
pledge-checkin-recorded = 已记录：{ $progress }。
pledge-checkin-edited = 第 { $number } 条在本期填报开始后修改过（填报针对第 { $asked } 版，现在是第 { $current } 版），这条填报没有记录。下期填报会按新版本进行。
pledge-checkin-stale = 本期践诺填报已经结束，或这一条不在您的填报范围内。
pledge-checkin-no-match = 请回复进展：{ $options }。
pledge-checkin-blocked-push =
    { $name }同志的承诺遇到困难：
    { $number }. { $text }
    困难：{ $note }

pledge-stats-header = { $branch }承诺情况
pledge-stats-no-pledge = 未提交承诺（{ $count }）：{ $names }
pledge-stats-awaiting = 待审核（{ $count }）：{ $names }
pledge-stats-no-round = 还没有进行过践诺填报。
pledge-stats-round = 本期践诺填报（{ $date }）：{ $answered }/{ $asked } 人已填报，填报率 { $rate }%
pledge-stats-attention = 落后或遇到困难：
pledge-stats-attention-item = { $name } 第 { $number } 条（{ $progress }）：{ $text }
pledge-stats-attention-note = { $name } 第 { $number } 条（{ $progress }）：{ $text } —— { $note }
pledge-stats-nobody = 无

pledge-schedule-usage = 现在是{ $current }进行践诺填报。要修改，请直接选一个，或在命令后用中文写，例如：/pledge_schedule 每月1日9点、每周三晚上7点、每月最后一天、每季度末。
pledge-schedule-bad = 这个时间表达式无效：{ $error }
pledge-schedule-not-understood = 未能识别“{ $typed }”。可以这样写：每月1日9点、每月15号 上午10点、每周三晚上7点、每天晚上8点、每月最后一天、每季度末。
pledge-schedule-preview =
    { $branch }将在{ $words }进行践诺填报，接下来三次：
    { $dates }
    确认吗？
pledge-schedule-confirm = 确认
pledge-schedule-cancel = 取消
pledge-schedule-set = 已设置：{ $words }。
pledge-schedule-kept = 未修改，仍为：{ $words }。
schedule-daily = 每天 { $time }
schedule-weekly = 每{ $weekday } { $time }
schedule-monthly = 每月{ $day }日 { $time }
schedule-month-end = 每月最后一天 { $time }
schedule-quarter-end = 每季度末（3、6、9、12 月的最后一天）{ $time }
schedule-quarter-start = 每季度初（1、4、7、10 月 1 日）{ $time }
schedule-crontab = 按表达式“{ $crontab }”（下一次：{ $next }）

pledge-assessment-ask =
    { $title }：请写一段简短的践诺自评（不超过 { $max } 字），回顾您的承诺完成情况。
    { $items }
pledge-assessment-saved = 已保存您的践诺自评，将用于年度评议。谢谢！
pledge-assessment-too-long = 自评有 { $got } 字，超过了 { $max } 字的限制，请精简后重新发送。
pledge-assessment-write = 写自评
pledge-assessment-prompt = 请写下您的践诺自评（不超过 { $max } 字）。
pledge-assessment-stale = 这份自评已不存在。

cli-pledges-column-number = 序号
cli-pledges-column-way = 方面
cli-pledges-column-text = 承诺内容
cli-pledges-column-target = 目标日期
