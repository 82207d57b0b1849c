## 配置检查：branchbot.toml 和 BRANCHBOT_* 环境变量中无法使用的值。
## 每条都写明设置项和它的值（密钥只说长度，不显示内容），接在 cli-config-error 的“配置有误：”之后。

config-file-not-found = 配置有误：找不到配置文件“{ $file }”。请检查 --config 或 BRANCHBOT_CONFIG 给出的路径。
config-file-unreadable = 配置有误：无法读取配置文件“{ $file }”（{ $detail }）。
config-env = 环境变量 { $name } 的值有误：{ $detail }
config-env-not-positive = “{ $value }”不是正整数。
config-env-listen-bad = “{ $value }”不是有效的地址，请写成 127.0.0.1:8080 这样的形式。
config-env-file-unreadable = 无法读取 { $file_var } 指定的文件“{ $file }”（{ $detail }）。
config-env-telegram-mode-bad = “{ $value }”既不是 polling 也不是 webhook。
config-env-locale-bad = “{ $value }”无法识别，可用 zh-CN 或 en。
config-env-sms-gateway-bad = “{ $value }”不是可用的短信网关，可用 twilio、android、generic 或 none。
config-env-agent-id-bad = “{ $value }”不是数字（应用的 AgentId，如 1000002）。
config-env-bool-bad = “{ $value }”既不是 true 也不是 false。

config-must-be-positive = { $key } 必须是正数（现在是 { $value }）。
config-at-least-one = { $key } 至少为 1（现在是 { $value }）。
config-between = { $key } 必须在 { $min } 到 { $max } 之间（现在是 { $value }）。
config-timezone-bad = timezone 的值“{ $value }”不是时区名称，请写成 Asia/Shanghai 这样的形式。
config-quiet-hours-bad = delivery.quiet_hours 的值“{ $value }”不是有效的时段，请写成 22:00-07:00 这样的形式。
config-metrics-listen-bad = http.metrics_listen 的值“{ $value }”不是有效的地址，请写成 127.0.0.1:9091 这样的形式（留空则不单独提供指标）。
config-metrics-same-as-listen = http.metrics_listen 不能与 http.listen 相同（都是 { $value }）；留空则只凭 BRANCHBOT_METRICS_TOKEN 在 http.listen 上提供 /metrics。
config-metrics-token-short = BRANCHBOT_METRICS_TOKEN 至少要有 16 个字符（现在只有 { $length } 个）。
config-dashboard-session-hours = dashboard.session_hours 必须在 1 到 2160（90 天）之间（现在是 { $value }）。
config-remind-before-bad = meetings.remind_before 中的“{ $value }”不是有效的提前时间，请写成 "3d"、"1h"、"90m"（天、小时、分钟）或正的分钟数。
config-remind-before-empty = meetings.remind_before 至少要有一个提醒时间，如 ["1d"]。
config-signin-opens-negative = meetings.signin_opens_minutes 不能是负数（现在是 { $value }）。
config-cadence-kind-bad = meetings.cadence 中的“{ $kind }”不是会议类型，可用：general（党员大会）、committee（支委会）、group（党小组会）、lesson（党课）、themed_day（主题党日）、life（组织生活会）、other（其他会议）。
config-cadence-bad = meetings.cadence.{ $kind } 的值“{ $value }”无法识别，可用 monthly、quarterly、yearly、none 或 semester:N。
config-cadence-needs-semesters = meetings.cadence.{ $kind } 设为“{ $value }”时，需要先设置 meetings.semesters，如 [["02-20", "07-10"], ["09-01", "01-20"]]。
config-semester-day-bad = meetings.semesters 中的“{ $value }”不是有效的月和日，请写成 "09-01"（月-日）。
config-webhook-needs-public-url = Telegram 的 webhook 模式需要设置 http.public_url（或 BRANCHBOT_PUBLIC_URL）：Telegram 推送消息的 https 地址。
config-webhook-needs-secret = Telegram 的 webhook 模式需要设置 BRANCHBOT_TELEGRAM_WEBHOOK_SECRET（1 到 256 个字符，只能用 A-Z、a-z、0-9、_ 和 -）。
config-webhook-secret-bad = BRANCHBOT_TELEGRAM_WEBHOOK_SECRET 必须是 1 到 256 个字符，只能用 A-Z、a-z、0-9、_ 和 -（现在有 { $length } 个字符，含不可用的字符或过长）。

config-sms-max-skew = sms.max_skew_secs 必须在 1 到 { $max }（一天）之间（现在是 { $value }）：只有在消息编号仍被记住时，重放的消息才能被拒绝。
config-sms-sim-bad = sms.android.sim_number 只能是 1、2 或 3（现在是 { $value }）。
config-sms-pointer-bad = { $key } 的值“{ $value }”不是 JSON 指针，请写成 /data/id 这样的形式。
config-sms-needs-webhook-key-android = sms.gateway 设为“android”时，需要设置 BRANCHBOT_SMS_WEBHOOK_KEY（短信网关应用中的 webhook 签名密钥）。
config-sms-needs-webhook-key-generic = sms.gateway 设为“generic”时，需要设置 BRANCHBOT_SMS_WEBHOOK_KEY（用于验证收到的 webhook 签名）。
config-sms-needs-twilio-sid = sms.gateway 设为“twilio”时，需要设置 BRANCHBOT_TWILIO_ACCOUNT_SID（或 sms.twilio.account_sid）。
config-sms-needs-twilio-token = sms.gateway 设为“twilio”时，需要设置 BRANCHBOT_TWILIO_AUTH_TOKEN。
config-sms-needs-twilio-from = sms.gateway 设为“twilio”时，需要设置 sms.twilio.from（发送号码）或 sms.twilio.messaging_service_sid。
config-sms-needs-public-url = sms.gateway 设为“twilio”时，需要设置 http.public_url（或 BRANCHBOT_PUBLIC_URL）：Twilio 按这个公网地址签名。
config-sms-needs-android-url = sms.gateway 设为“android”时，需要设置 sms.android.base_url（或 BRANCHBOT_SMS_BASE_URL）。
config-sms-needs-android-login = sms.gateway 设为“android”时，需要设置 sms.android.username 和 BRANCHBOT_SMS_GATEWAY_PASSWORD（在短信网关应用中可以看到）。
config-sms-needs-generic-url-body = sms.gateway 设为“generic”时，需要设置 sms.generic.url 和 sms.generic.body。

config-feedback-sms-needs-gateway = feedback.web_check 设为“sms”时，需要连接短信网关（[sms] 中的 gateway 设为“twilio”、“android”或“generic”）；没有短信网关时请设为“device”。

config-wecom-partial = 企业微信只配置了一部分，还缺少：{ $missing }。企业ID、AgentId、Secret、Token 和 EncodingAESKey 都设置后，企业微信才会开启。
config-wecom-missing-corp-id = BRANCHBOT_WECOM_CORP_ID（或 wecom.corp_id）
config-wecom-missing-agent-id = BRANCHBOT_WECOM_AGENT_ID（或 wecom.agent_id）
config-wecom-aes-key-length = BRANCHBOT_WECOM_AES_KEY 必须是应用“接收消息”设置中 43 个字符的 EncodingAESKey（现在有 { $length } 个字符）。
config-wecom-aes-key-bad = BRANCHBOT_WECOM_AES_KEY 不是有效的 EncodingAESKey（43 个字符，只含字母、数字、+ 和 /）：请从应用“接收消息”设置中重新复制。
config-wecom-missing-secret = BRANCHBOT_WECOM_SECRET
config-wecom-missing-token = BRANCHBOT_WECOM_TOKEN
config-wecom-missing-aes-key = BRANCHBOT_WECOM_AES_KEY
config-dues-remind-at-bad = dues.remind_at 的值“{ $value }”不是有效的时间，请写成 10:00 这样的形式。
config-calendar-kind-bad = calendar.rules 中没有名为“{ $kind }”的任务类型（可用：{ $known }）。
