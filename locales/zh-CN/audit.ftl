## The audit log of administrative actions.

audit-action-import = 导入名册
audit-action-targets-loaded = 导入评价对象
audit-action-campaign-loaded = 导入活动方案
audit-action-notice-sent = 发送通知
audit-action-meeting-created = 创建会议
audit-action-meeting-rescheduled = 调整会议时间
audit-action-meeting-cancelled = 取消会议
audit-action-round-opened = 开启评议
audit-action-comment-hidden = 隐藏评论
audit-action-data-exported = 导出数据
audit-action-spot-check = 抽查
audit-action-dashboard-login = 登录看板
