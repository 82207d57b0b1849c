## The web dashboard: /dashboard in chat, and the pages.

menu-dashboard = 网页看板登录链接（书记、支委、学院党委）
help-dashboard = /dashboard 获取网页看板的一次性登录链接
dashboard-refused = 只有学院党委成员和支部书记、副书记、支委可以使用网页看板。需要帮助请发 /help。
dashboard-link =
    网页看板登录链接（{ $minutes } 分钟内有效，只能使用一次，请勿转发）：
    { $link }

dashboard-nav-overview = 总览
dashboard-nav-branch = 本支部
dashboard-nav-campaign = 创先争优活动
dashboard-nav-logout = 退出登录
dashboard-signed-in = 当前用户：{ $name }
dashboard-generated = 生成时间：{ $time }
dashboard-period-label = 时段
dashboard-period-show = 查看
dashboard-none = —
dashboard-nobody = 无
dashboard-yes = 有
dashboard-no = 无
dashboard-ok = 达标

dashboard-overview-title = 各支部工作情况 · { $period }
dashboard-overview-note = 各类会议一栏为“已开 / 应开”次数，按三会一课的规定频次计算，红色为未达标；出席率为签到人数占应到人数的比例；通知确认率只计要求回复“收到”的通知。
dashboard-col-branch = 党支部
dashboard-col-attendance = 出席率
dashboard-col-missing = 未达标
dashboard-col-no-pledge = 未提交承诺
dashboard-col-awaiting = 承诺待审核
dashboard-col-checkin = 践诺填报率
dashboard-col-notices = 通知
dashboard-col-confirm-rate = 确认率

dashboard-branch-title = { $branch } · { $period }
dashboard-meetings-heading = 三会一课
dashboard-meetings-summary = 本时段已开会议 { $held } 次，出席率 { $attendance }，请假率 { $leave }，有会议记录 { $minutes } 次。
dashboard-col-kind-name = 类型
dashboard-col-held = 已开
dashboard-col-required = 应开
dashboard-col-date = 时间
dashboard-col-topic = 主题
dashboard-col-expected = 应到
dashboard-col-signed-in = 签到
dashboard-col-leave = 请假
dashboard-col-minutes = 会议记录
dashboard-meeting-cancelled = 已取消
dashboard-meeting-upcoming = 待召开
dashboard-no-meetings = 本时段没有会议。

dashboard-pledges-heading = 党员承诺
dashboard-pledges-no-pledge = 未提交承诺（{ $count } 人）：{ $names }
dashboard-pledges-awaiting = 待审核（{ $count } 人）：{ $names }
dashboard-pledges-round = 最近一期践诺填报（{ $date }）：{ $answered } / { $asked } 人已填报，填报率 { $rate }
dashboard-pledges-no-round = 还没有进行过践诺填报。
dashboard-col-member = 党员
dashboard-col-item = 承诺事项
dashboard-col-progress = 进展
dashboard-col-note = 说明

dashboard-notices-heading = 通知
dashboard-col-notice = 内容
dashboard-col-recipients = 本支部接收人数
dashboard-col-confirmed = 已确认
dashboard-no-confirm-needed = 无需确认
dashboard-no-notices = 本时段没有发给本支部的通知。

dashboard-feedback-heading = 群众评价
dashboard-feedback-month = { $period }
dashboard-feedback-none = 本支部没有评价对象。
dashboard-feedback-not-yet = 这个时段还没有开始。
dashboard-feedback-hidden = 评价少于 5 条，暂不显示
dashboard-feedback-note = 为保护匿名，评价少于 5 条的对象不显示分布（必要时再隐藏一个对象，使其无法被推算出来）；意见满 10 条才显示。
dashboard-col-target = 评价对象
dashboard-col-satisfied = 满意
dashboard-col-fair = 基本满意
dashboard-col-dissatisfied = 不满意
dashboard-col-total = 合计
dashboard-col-comments = 可见意见

dashboard-campaign-title = { $campaign }
dashboard-campaign-none = 还没有导入创先争优活动方案。
dashboard-campaign-timeline = 阶段安排
dashboard-campaign-now = 当前阶段：{ $title }，还剩 { $days } 天。
dashboard-col-phase = 阶段
dashboard-col-dates = 起止日期
dashboard-col-status = 状态
dashboard-col-summaries = 阶段总结
dashboard-col-summary = 阶段总结
dashboard-phase-current = 进行中
dashboard-phase-done = 已结束
dashboard-phase-upcoming = 未开始
dashboard-summaries-count = { $done } / { $total } 个支部已提交
dashboard-summaries-of = 阶段总结提交情况：{ $title }
dashboard-summary-in = 已提交
dashboard-summary-in-at = 已提交（{ $date }）
dashboard-summary-missing = 未提交

dashboard-charts-heading = 图表
dashboard-chart-attendance = 各支部各月出席率
dashboard-chart-cadence = 各类会议已开次数与应开次数
dashboard-chart-pledges = 践诺填报情况
dashboard-chart-feedback = 群众评价分布

dashboard-how-to-login = 请在机器人对话中发送 /dashboard，获取新的登录链接。
dashboard-back = 返回
dashboard-error-link-title = 登录链接无效
dashboard-error-link = 这个登录链接已经用过或已经过期。登录链接 10 分钟内有效，并且只能使用一次。
dashboard-error-session-title = 请先登录
dashboard-error-session = 您还没有登录网页看板，或者登录已经过期。
dashboard-error-forbidden-title = 无权查看
dashboard-error-forbidden = 您只能查看本支部的情况。
dashboard-error-no-longer = 您目前没有查看网页看板的权限。
dashboard-error-not-found-title = 找不到页面
dashboard-error-not-found = 没有这个页面。
dashboard-error-no-branch = 没有这个党支部。
dashboard-error-period-title = 时段格式不对
dashboard-error-period = 未能识别时段“{ $typed }”。可以写：2026Q4（季度）、2026-11（月份）、2026（年份），或 2026-10-01..2026-12-31（日期范围，含首尾两天，结束不能早于开始）；不填则显示本季度。
dashboard-error-period-empty = 时段不能为空。可以写：2026Q4（季度）、2026-11（月份）、2026（年份），或 2026-10-01..2026-12-31（日期范围）；或者去掉这一项以显示本季度。
dashboard-error-period-long = 时段“{ $typed }”超过了 5 年。请选短一些的时段，例如一年（2026）或 2022-01-01..2026-12-31；不填则显示本季度。
dashboard-error-internal-title = 暂时无法显示
dashboard-error-internal = 看板暂时无法显示，请稍后再试。
dashboard-logged-out-title = 已退出
dashboard-logged-out = 您已退出网页看板。
dashboard-preview-title = 网页看板登录
dashboard-preview = 这是一个一次性的网页看板登录链接，请在浏览器中打开。
