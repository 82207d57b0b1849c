# 定时任务：crontab 表达式与排程错误。

crontab-field-minute = 分钟
crontab-field-hour = 小时
crontab-field-day-of-month = 日期（几号）
crontab-field-month = 月份
crontab-field-day-of-week = 星期

crontab-allowed-minute = 0–59，可写列表（0,30）、范围（0-15）或步长（*/15）
crontab-allowed-hour = 0–23，可写列表（9,14）、范围（9-17）或步长（*/2）
crontab-allowed-day-of-month = 1–31，L 表示当月最后一天，可写列表、范围或步长
crontab-allowed-month = 1–12 或 Jan–Dec，可写列表（3,6,9,12）、范围（Mar-Jun）或步长
crontab-allowed-day-of-week = 0–7 或 Sun–Sat（0 和 7 都是星期日），可写范围（Mon-Fri）、列表，Mon#1 表示当月第一个星期一

crontab-empty = 排程为空。请写五个字段：分钟 小时 日期 月份 星期，例如“30 19 * * 3”表示每周三 19:30。
crontab-field-count = 排程应有五个字段（分钟 小时 日期 月份 星期），这里有 { $found } 个。例如“30 19 * * 3”表示每周三 19:30。
crontab-unknown-shortcut = 不认识“{ $value }”这个简写。可用 @hourly、@daily、@weekly、@monthly、@quarterly 或 @yearly。
crontab-bad-value = { $field }字段中的“{ $value }”无法识别。可以写：{ $allowed }。
crontab-out-of-range = { $field }字段中的 { $value } 超出范围，应在 { $min } 到 { $max } 之间。
crontab-backwards = { $field }字段中的范围“{ $value }”前大后小，请把较小的值写在前面。
crontab-bad-step = { $field }字段“{ $value }”中的步长应为 1 到 { $max } 的整数。
crontab-step-needs-range = { $field }字段中的“{ $value }”把步长写在了单个值后面：步长要跟在 * 或范围后面，例如 */15 或 0-30/5。
crontab-bad-nth = 星期字段中的“{ $value }”：# 后面是当月第几周，应为 1 到 5，例如 Mon#1 表示第一个星期一。
crontab-misplaced = { $field }字段中不能写“{ $value }”：L 只能写在日期字段，# 只能写在星期字段。
crontab-never-fires = “{ $value }”永远不会执行：所写的月份里都没有这一天（例如 2 月 30 日）。

scheduler-in-the-past = 这个时间（{ $at }）已经过去了，请选择一个将来的时间。

# branchbot schedule preview
preview-bad-zone = “{ $value }”不是时区名称，请使用 Asia/Shanghai、Europe/Berlin 这样的名称。
preview-bad-from = “{ $value }”不是形如 2025-03-30T09:00 的时间（YYYY-MM-DDTHH:MM，按 { $zone } 时区理解）。
preview-bad-count = --count 应为 1 到 { $max } 之间的数，不能是 { $value }。
