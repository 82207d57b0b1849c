# 三会一课：会议、提醒、请假、签到、会议记录、合规情况。

menu-meetings = 我的会议（参加 / 请假）
menu-signin = 会议签到
menu-meeting = 新建会议（书记、支委）
menu-attendance = 查看会议出席情况（书记、支委）
menu-minutes = 提交会议记录（书记、支委）
menu-compliance = 三会一课落实情况（书记、支委、学院党委）

meeting-kind-general = 党员大会
meeting-kind-committee = 支委会
meeting-kind-group = 党小组会
meeting-kind-lesson = 党课
meeting-kind-themed-day = 主题党日
meeting-kind-life = 组织生活会
meeting-kind-other = 其他会议

meeting-weekday-1 = 周一
meeting-weekday-2 = 周二
meeting-weekday-3 = 周三
meeting-weekday-4 = 周四
meeting-weekday-5 = 周五
meeting-weekday-6 = 周六
meeting-weekday-7 = 周日
meeting-when = { $month }月{ $day }日（{ $weekday }）{ $time }
meeting-when-year = { $year }年{ $month }月{ $day }日（{ $weekday }）{ $time }

meeting-attend = 参加
meeting-leave = 请假
meeting-reminder =
    【{ $branch }】{ $kind }提醒
    时间：{ $when }
    地点：{ $place }
    议题：{ $topic }
    请确认是否参加。
meeting-reminder-sms = 【{ $branch }】{ $date } { $weekday }{ $time } { $place } { $kind }。
meeting-attend-recorded = 已为您登记参加：{ $when } { $kind }。如有变化，可改为请假。
meeting-attend-already = 您已确认过参加：{ $when } { $kind }。如有变化，可改为请假。
meeting-leave-ask-reason = 请简要说明请假原因（如：出差、上课冲突）。
meeting-leave-recorded = 
    已为您登记请假：{ $when } { $kind }，原因：{ $reason }。支部书记会收到通知。
    会后请按要求补学。如有变化，可改为参加。
meeting-leave-notice = { $name }请假：{ $when } { $kind }，原因：{ $reason }。
meeting-reason-too-long = 请假原因太长了，请控制在 { $max } 字以内。
meeting-rsvp-closed = 这个会议已经开始、已取消，或不需要您参加，无法再修改。有疑问请联系书记。

meeting-list-empty = 近期没有需要您参加的会议。
meeting-list-header = 本支部近期会议（编号 · 类型 · 时间 · 参加/请假/未回复）：
meeting-list-line-manager = #{ $id } { $kind } { $when }：参加 { $attend } · 请假 { $leave } · 未回复 { $none }
meeting-list-header-college = 各支部近期会议（编号 · 支部 · 类型 · 时间 · 参加/请假/未回复）：
meeting-list-line-college = #{ $id } { $branch } { $kind } { $when }：参加 { $attend } · 请假 { $leave } · 未回复 { $none }
meeting-list-in-progress = 正在进行：{ $kind }（{ $when } 开始，地点：{ $place }）。发送签到码即可签到。
meeting-list-mine =
    { $kind } · { $when } · { $place }
    您的回复：{ $answer }
meeting-answer-attend = 参加
meeting-answer-leave = 请假
meeting-answer-none = 尚未回复

meeting-attendance =
    { $kind } · { $when }
    参加：{ $attend }
    请假：{ $leave }
    未回复：{ $none }
    已签到：{ $signed }
    签到码：{ $code }
meeting-nudge = 提醒未回复者
meeting-nudged = 已再次提醒 { $count } 位未回复的同志。

meeting-not-allowed = 只有本支部的书记和支委可以管理会议。需要帮助请发 /help。
meeting-id-needed = 请在命令后写上会议编号，例如 /attendance 12。发送 /meetings 查看编号。
meeting-not-found = 没有编号为 { $id } 的会议。发送 /meetings 查看编号。
meeting-no-such-member = 没有找到编号为 { $key } 的成员。

meeting-ask-kind = 要安排什么会议？
meeting-ask-when = 请输入会议时间，例如：12月10日 19:30、周三 19:30、下周三 19:30、明晚7点半、明天上午9点。
meeting-ask-group = 哪个党小组开会？
meeting-kind-with-group = { $kind }（{ $group }）
meeting-ask-place = 会议地点？
meeting-ask-topic = 会议议题？
meeting-when-unreadable = 未能识别“{ $typed }”。您可以这样写：12月10日 19:30、周三 19:30、下周三 19:30、晚上7点半、明天上午9点、2026-12-10 19:30。
meeting-when-no-such-date = “{ $typed }”不是一个存在的日期，请检查月份和日期。
meeting-when-past = “{ $typed }”已经过去了，请输入将来的时间。
meeting-when-no-time = “{ $typed }”还缺具体时间，请加上几点，例如：{ $typed } 19:30。
meeting-when-next-year = “{ $typed }”今年已经过去了。是指 { $year } 年 { $month } 月 { $day } 日吗？
meeting-when-next-year-yes = 是
meeting-when-next-year-no = 不是，重新输入
meeting-when-write-year = “{ $typed }”今年已经过去了。如果您是指 { $year } 年 { $month } 月 { $day } 日，请写上年份，例如：{ $example }。
meeting-when-past-now = 这个时间已经过去了，会议没有创建。请发送 /meeting 重新安排。
meeting-field-too-long = 太长了，请控制在 { $max } 字以内。
meeting-preview =
    预览：{ $kind }
    时间：{ $when }
    地点：{ $place }
    议题：{ $topic }
    参会：{ $count } 人
meeting-series-usage = 用法：/meeting_series 类型; 周期; 地点; 议题[; 次数]，例如：/meeting_series 主题党日; 0 19 15 * *; 党员活动室; 学习党章。周期按 crontab 写（分 时 日 月 周），默认安排 6 次。
meeting-series-preview =
    预览：{ $kind }，按周期 { $cron } 安排 { $count } 次
    最近三次：
    { $dates }
    地点：{ $place }
    议题：{ $topic }
    参会：{ $attendees } 人
meeting-series-created = 已安排 { $count } 次{ $kind }（#{ $first } 至 #{ $last }），提醒已设置。
meeting-offset-days = { $n } 天
meeting-offset-hours = { $n } 小时
meeting-offset-minutes = { $n } 分钟
meeting-offset-sep = 、
meeting-offset-and = { "和 " }
meeting-overlap = 注意：与{ $when }的{ $kind }时间重叠，部分同志需同时参加。
meeting-confirm = 确认
meeting-discard = 取消
meeting-confirm-or-discard = 请选择“确认”创建会议，或“取消”放弃。
meeting-discarded = 已放弃，没有创建会议。
meeting-created = 已创建会议 #{ $id }。{ $reminders }签到码：{ $code }（会前 { $opens } 分钟开放）。
meeting-reminders-promise = 参会同志将在会前 { $list }收到提醒。
meeting-reminders-none = 会议很快就要开始，来不及发提醒了，请您直接通知参会同志。
meeting-cancel-done = 会议 #{ $id } 已取消，参会同志已收到通知。
meeting-already-cancelled = 这个会议已经取消了。
meeting-cancelled-notice = 【{ $branch }】原定{ $when }的{ $kind }已取消。
meeting-moved-notice =
    【{ $branch }】{ $kind }改期：
    原定：{ $old }
    改为：{ $when }
    地点：{ $place }
meeting-reschedule-done = 已改期到 { $when }，提醒随之调整，参会同志已收到通知。

meeting-signin-usage = 请发送签到码，例如 /signin 123456。
meeting-signin-unknown = 签到码 { $code } 无效，或签到已经结束。请核对后重发。
meeting-proxy-not-open = 还不能代签：会议在 { $when }，会前 { $minutes } 分钟开放签到后才能代签。
meeting-signin-not-open = 签到还没开始：会议在 { $when }，会前 { $minutes } 分钟开放签到。
meeting-signin-not-attendee = 您不在这个会议的参会名单里。如有疑问请联系书记。
meeting-signin-already = 您已经签到过了。
meeting-signed-in = 签到成功：{ $kind }。
meeting-signed-in-late = 签到成功：{ $kind }（迟到）。
meeting-proxy-ask-reason = 请输入代签原因（如：手机没电、现场统一签到）。
meeting-proxy-usage = 代签格式：/proxysignin 会议编号 成员编号 原因
meeting-proxy-done = 已为 { $name } 代签。
meeting-signin-code = 【{ $branch }】{ $kind }（{ $when }）签到码：{ $code }。会前 { $opens } 分钟开放签到，请参会同志发送签到码签到。

meeting-absent = 【{ $branch }】您未请假缺席了{ $when }的{ $kind }。请按要求补学，完成后发送 /makeup { $id } 登记，并向支部书记说明情况。
meeting-minutes-due = 【{ $branch }】{ $when }的{ $kind }（#{ $id }）还没有会议记录，请发送 /minutes { $id } 提交。
meeting-quorum-warning = 【{ $branch }】明天的党员大会（{ $when }）预计到会有表决权党员 { $figures }，不超过半数，无法表决。请做好动员或调整时间。
meeting-minutes-too-early = 会议开始后才能提交会议记录。
meeting-minutes-ask =
    请发送会议记录正文，并写明主持人和记录人，例如：
    主持人：黄晓明
    记录人：孙丽
    （会议内容）
meeting-minutes-need-roles = 会议记录还缺{ $missing ->
        [host] 主持人
        [recorder] 记录人
       *[both] 主持人和记录人
    }，没有保存。请在记录里写明“主持人：姓名”和“记录人：姓名”，再发送完整记录。
meeting-minutes-saved =
    会议记录已保存：{ $kind } · { $when }
    议题：{ $topic }
    主持人：{ $host }　记录人：{ $recorder }
    签到：{ $signed }/{ $expected }
    请假：{ $leave }
    缺席：{ $absent }

meeting-bad-quarter = 未能识别时段“{ $typed }”。可以写：2026Q4（季度）、2026-11（月份）、2026（年份），或 2026-10-01..2026-12-31（日期范围）。
compliance-header = 三会一课落实情况（{ $quarter }）
compliance-line = 
    { $branch }
    会议：党员大会 { $general } · 支委会 { $committee } · 党小组会 { $group } · 党课 { $lesson }
    出席率 { $attendance } · 请假率 { $leave } · 有会议记录 { $minutes }/{ $held }
    未达要求：{ $missing }

cli-meeting-bad-kind = 没有“{ $kind }”这种会议。可选：general（党员大会）、committee（支委会）、group（党小组会）、lesson（党课）、themed_day（主题党日）、life（组织生活会）、other。
cli-meeting-bad-time = 未能识别时间“{ $at }”。请写成 2026-12-03 19:30（本组织时区）。
cli-meeting-past = “{ $at }”已经过去了，请给一个将来的时间。
cli-meeting-empty-field = 地点和议题都不能为空。
cli-meeting-created = 已创建会议 #{ $id }，签到码 { $code }。{ $reminders }
cli-meeting-cancelled-done = 会议 #{ $id } 已取消，已通知 { $count } 位参会同志。
cli-meeting-column-id = 编号
cli-meeting-column-branch = 党支部
cli-meeting-column-kind = 类型
cli-meeting-column-time = 时间
cli-meeting-column-place = 地点
cli-meeting-column-answers = 参加/请假/未回复
cli-meeting-column-status = 状态
cli-meeting-scheduled = 已安排
cli-meeting-cancelled = 已取消
cli-report-attendance = 出席率
cli-report-leave = 请假率
cli-report-minutes = 有记录
cli-report-behind = 未达要求
meeting-change-to-attend = 改为参加
meeting-change-to-leave = 改为请假
meeting-absent-streak = 【{ $branch }】{ $name }同志已连续 3 次无故缺席组织生活（最近一次：{ $when }的{ $kind }）。请及时谈心谈话，了解情况。
meeting-compliance-warning = 提醒：本季度（{ $quarter }）还没有召开或安排：{ $kinds }。季度末前请抓紧安排（发送 /meeting）。
meeting-compliance-semester = 提醒：本学期{ $kind }应至少召开 { $need } 次，目前已召开或安排 { $count } 次。请抓紧安排（发送 /meeting）。
meeting-inactive-members = 以下同志已连续 6 个月未参加组织生活，请尽快联系：{ $names }。
cli-meeting-bad-cron = 无法使用周期“{ $cron }”：{ $detail }。例如每月 15 日 19:00：'0 19 15 * *'。
cli-meeting-series-bad = 次数应在 1 到 24 之间，地点和议题不能为空。
cli-meeting-series-confirm = 以上是前三次的时间（共 { $count } 次）。确认无误后加上 --yes 重新运行即可创建。
cli-meeting-series-done = 已创建 { $count } 次会议，参会同志会在每次会前收到提醒。

## 时段的读法（命令里写 2026Q4，给人看时写成 2026年第四季度）。
period-quarter = { $year }年第{ $quarter ->
        [1] 一
        [2] 二
        [3] 三
       *[4] 四
    }季度
period-month = { $year }年{ $month }月
period-year = { $year }年
period-day = { $year }年{ $month }月{ $day }日
period-range = { $from }至{ $to }
