# branchbot status：发送队列和收件箱的概况。

status-outbox-header = 发送队列（渠道 / 状态 / 条数）：
status-inbox-header = 收件箱（状态 / 条数）：
status-empty = （空）
status-oldest-pending = { $channel }：最早一条待发消息已等待 { $minutes } 分钟
status-rate = 最近 1 分钟发出 { $minute } 条，最近 1 小时发出 { $hour } 条；平台限流（429）共 { $limited } 次
status-pending = 待发送
status-sending = 发送中
status-sent = 已发送
status-failed = 失败
status-blocked = 已拒收
status-expired = 已过期
status-done = 已处理
status-ignored = 已忽略
status-jobs-header = 定时任务（类型 / 状态 / 个数）：
status-next-jobs = 接下来的定时任务：
