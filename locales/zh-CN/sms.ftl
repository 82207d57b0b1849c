# 短信：编号选项、退订与帮助、陌生号码。每条尽量不超过 70 个字（一条短信）。

# 选项的写法："回复 1 参加，2 请假"。
sms-reply-with = 回复 { $options }
sms-option = { $number } { $label }
sms-option-separator = {"，"}

sms-unknown = 您好！这里是学院党委组织生活助手。此号码不在党员名册中，如有疑问请联系所在支部书记。回复TD退订。
sms-stopped = 已退订，此号码将不再收到通知。回复“订阅”可恢复。
sms-started = 已恢复订阅，通知会照常发到此号码。回复TD可退订。
sms-help-member = { $name }同志，这里是学院党委组织生活助手。回复1/2答复会议，回复“收到”确认通知，回复“评价 编号”匿名评价；回复TD退订。
sms-help-stranger = 这里是学院党委组织生活助手，只为名册中的党员服务。回复TD退订，回复“订阅”恢复。

# branchbot sms count / prefer
sms-count = { $encoding }：{ $chars } 个字符，{ $units } 个{ $unit }，共 { $segments } 条（每条最多 { $per } 个{ $unit }）
sms-unit-septets = 7 位字符
sms-unit-utf16 = UTF-16 单元
sms-prefer-set = { $name }（{ $key }）的推送渠道已设为：{ $channel }
sms-prefer-bad = “{ $channel }”不是可选的渠道。请按顺序写 telegram、wecom、sms、console 中的一个或几个（用逗号分隔），或写 both。

# 只有“收到”一个选项的“收到请回复。”在短信里合为一句：“收到请回复1”。
sms-confirm-with = 收到请回复{ $number }
