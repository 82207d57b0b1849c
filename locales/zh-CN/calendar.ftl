# 节假日安排：branchbot calendar load / show，schedule preview 的说明，会议日期提醒。

cli-calendar-unreadable = 无法读取文件 { $file }：{ $detail }
cli-calendar-loaded = 已导入节假日安排（{ $years }年）：放假 { $holidays } 天，调休上班 { $workdays } 天，假期 { $vacations } 个。这些年份原有的安排已替换。
cli-calendar-problem = { $file } 第 { $line } 行：{ $problem }。未导入任何内容，请修改后重新导入。
calendar-problem-syntax = 格式有误（{ $detail }）
calendar-problem-bad-date = “{ $entry }”中的“{ $value }”不是日期，应写作 2026-10-01
calendar-problem-bad-span = “{ $entry }”的 days 应恰好写两个日期：第一天和最后一天
calendar-problem-reversed = “{ $entry }”的最后一天早于第一天
calendar-problem-too-long = “{ $entry }”超过 { $max } 天，请检查年份
calendar-problem-clash = “{ $entry }”：{ $day } 既是放假日又是调休上班日
calendar-problem-workday-on-weekday = “{ $entry }”：调休上班日 { $day } 不是周六或周日
calendar-problem-no-name = { $entry } 缺少名称（name）
calendar-problem-empty = 文件中没有任何节假日或假期
cli-calendar-bad-year = “{ $value }”不是年份，应写作 2026。
cli-calendar-show-none = 尚未导入 { $year } 年的节假日安排。可用 branchbot calendar load 文件 导入。
cli-calendar-show-header = { $year } 年节假日安排：
cli-calendar-show-holiday = { $name }：{ $from }至{ $to }放假，共 { $days } 天
cli-calendar-show-workdays = ；{ $days }调休上班
cli-calendar-show-provisional = （暂定，待国务院办公厅通知）
cli-calendar-show-vacation = { $name }：{ $from }至{ $to }（学生党支部暂停非紧急推送）
preview-fire-makeup = 调休上班（{ $name }）
preview-fire-moved = 顺延至 { $to }（{ $name }）
preview-fire-dropped = 不发送（{ $name }）
preview-fire-paused = 暂停（{ $name }）
preview-bad-kind = 没有名为“{ $value }”的任务类型。可用的类型：{ $kinds }。
meeting-on-holiday = 提示：{ $date }是{ $name }假期，请确认会议时间无误。
meeting-on-vacation = 提示：{ $date }在{ $name }期间，学生党员可能不在校。
