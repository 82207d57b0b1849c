# 创先争优活动：阶段公告、阶段总结、/campaign、命令行 campaign load|show|status。

menu-campaign = 查看活动当前阶段
menu-summary = 提交本支部阶段总结

help-campaign = /campaign 查看创先争优活动的当前阶段和任务
help-summary = /summary 提交本支部的阶段总结

campaign-announce-header = 【{ $campaign }】{ $title }
campaign-tasks = 本阶段任务：
campaign-none = 目前没有进行中的活动。
campaign-current = 【{ $campaign }】{ $title }，还剩 { $days } 天（至 { $end }）。
campaign-theme = 主题：{ $theme }
campaign-upcoming = 【{ $campaign }】下一阶段“{ $title }”将于 { $start } 开始。
campaign-over = 【{ $campaign }】各阶段均已结束。
campaign-summaries = “{ $title }”阶段总结：已提交 { $done }/{ $total } 个支部
campaign-summary-in = ✓ { $branch }
campaign-summary-missing = ✗ { $branch }（未提交）
campaign-summary-request = 请提交{ $branch }“{ $title }”阶段总结：本阶段还剩 { $days } 天（至 { $end }）。发送 /summary 后输入总结内容。
campaign-summary-refused = 只有支部书记和支委可以提交阶段总结。需要帮助请发 /help。
campaign-summary-no-phase = 目前没有需要提交总结的阶段。
campaign-summary-ask = 请输入本支部“{ $title }”阶段总结。
campaign-summary-saved = 已收到本支部“{ $title }”阶段总结，谢谢！
campaign-summary-replaced = 已用新内容替换本支部“{ $title }”阶段总结。

# branchbot campaign …
cli-campaign-loaded = 已加载活动“{ $name }”：{ $phases } 个阶段；新安排 { $scheduled } 项推送，保留 { $kept } 项，取消 { $cancelled } 项，已过时间 { $past } 项。
cli-campaign-refused = { $file } 有问题，没有加载：
cli-campaign-unreadable = 无法读取 { $file }：{ $detail }
campaign-problem-syntax = 第 { $line } 行：{ $detail }
campaign-problem-bad-date = 第 { $line } 行：{ $field } 不是有效的日期（例如 2027-06-01 或 2027-06-01T08:00:00+08:00）。
campaign-problem-reversed = 第 { $line } 行：{ $field } 必须晚于开始时间。
campaign-problem-overlap = 第 { $line } 行：{ $field } 与第 { $previous } 阶段重叠，请让它在上一阶段结束后开始。
campaign-problem-missing-text = 第 { $line } 行：{ $field } 缺少 { $locale } 文本。
campaign-problem-no-phases = 第 { $line } 行：至少需要一个 [[phases]] 阶段。
campaign-problem-not-positive = 第 { $line } 行：{ $field } 必须大于 0。
cli-campaign-none = 还没有加载活动。用 branchbot campaign load 文件 加载。
cli-campaign-phase = { $index }. { $title }　{ $start } 至 { $end }{ $state }
cli-campaign-phase-now = 　← 当前阶段
cli-campaign-phase-theme = 　　主题：{ $theme }
cli-campaign-bad-start = 无法识别开始日期“{ $start }”。请写 today 或 年-月-日，例如 2027-03-01。
