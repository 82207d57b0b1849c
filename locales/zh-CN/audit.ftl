## The audit log of administrative actions.

audit-action-import = 导入名册
audit-action-targets-loaded = 导入评价对象
audit-action-campaign-loaded = 导入活动方案
audit-action-calendar-loaded = 导入节假日安排
audit-action-notice-sent = 发送通知
audit-action-meeting-created = 创建会议
audit-action-meeting-rescheduled = 调整会议时间
audit-action-meeting-cancelled = 取消会议
audit-action-round-opened = 开启评议
audit-action-round-closed = 提前结束评议
audit-action-comment-hidden = 隐藏评论
audit-action-feedback-answered = 答复意见
audit-action-invites-issued = 生成邀请码
audit-action-data-exported = 导出数据
audit-action-spot-check = 抽查
audit-action-dashboard-login = 登录看板

## Who acted through what.
audit-via-telegram = Telegram
audit-via-sms = 短信
audit-via-console = 控制台
audit-via-cli = 命令行
audit-via-web = 网页

## `/audit` in chat.
menu-audit = 管理操作记录（学院党委）
audit-not-allowed = 只有学院党委成员可以查看管理操作记录。
audit-chat-empty = 还没有管理操作记录。
audit-chat-header = 最近 { $count } 条管理操作记录：
audit-every-branch = 各支部
audit-subject-meeting = 会议 #{ $id }
audit-subject-round = 评议 #{ $id }
audit-subject-notice = 通知 #{ $id }
audit-subject-feedback = 意见 { $id }
audit-subject-spotcheck = 抽查 #{ $id }
audit-subject-pledge = 承诺 #{ $id }
audit-subject-member = 成员 #{ $id }
audit-detail-grades = 民主评议
audit-detail-vote = 票决
audit-detail-all-voted = 全部已投票
audit-detail-closed-early = 提前结束
audit-scope-all = 全院
audit-scope-branch = { $branch }全体
audit-scope-group = { $branch }{ $group }
audit-scope-committee = { $branch }支委
audit-scope-secretaries = { $branch }书记
audit-scope-full-members = { $branch }正式党员
audit-line = { $time } { $actor }（{ $via }）{ $action }：{ $subject }{ $detail }

## `branchbot audit`
cli-audit-column-time = 时间
cli-audit-column-actor = 操作人
cli-audit-column-via = 途径
cli-audit-column-action = 操作
cli-audit-column-subject = 对象
cli-audit-column-detail = 详情
cli-audit-none = 没有符合条件的操作记录。
cli-audit-footer = 共 { $count } 条记录（时间为 { $zone }）。
cli-audit-bad-date = 无法识别的日期“{ $date }”，请按 YYYY-MM-DD 填写，例如 2026-11-01。
cli-audit-bad-range = 起始日期 { $since } 晚于截止日期 { $until }。
cli-audit-bad-action = 没有“{ $action }”这种操作。可用的操作：{ $actions }
cli-audit-bad-limit = 条数必须是正整数，例如 --limit 50。
