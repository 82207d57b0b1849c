# 企业微信渠道
roster-column-wecom = 企业微信账号
roster-wecom-invalid = “{ $value }”不是企业微信账号：账号为 1–64 位字母、数字或 _-.@
roster-wecom-duplicate = 企业微信账号 { $value } 已在第 { $first } 行用过；两位成员不能共用一个账号
roster-wecom-held = 企业微信账号 { $value } 属于成员“{ $holder }”，但该成员不在这个文件里；请把该成员也写进文件，或核对这个账号
reach-wecom = 可收企业微信
reach-not-preferred = 所选渠道均无法送达
prefer-set = { $name }（{ $key }）的推送渠道已设为：{ $channel }
prefer-bad = “{ $channel }”不是可选的渠道。请按顺序写 telegram、wecom、sms、console 中的一个或几个（用逗号分隔），或写 both。
wecom-unknown = 您好，这里是党建助手。您的企业微信账号不在党员名单中，暂时无法为您服务；如有疑问，请联系所在支部书记。
wecom-card-hint = 点按钮作答，也可直接回复序号
wecom-card-chosen = 已选择：{ $label }
