## Configuration checks: values in branchbot.toml and the BRANCHBOT_* environment variables that
## cannot be used. Each names the setting and its value (a secret only by its length); they
## follow cli-config-error's "Configuration problem:".

config-file-not-found = Configuration error: there is no configuration file '{ $file }'. Check the path given by --config or BRANCHBOT_CONFIG.
config-file-unreadable = Configuration error: cannot read the configuration file '{ $file }' ({ $detail }).
config-env = environment variable { $name }: { $detail }
config-env-not-positive = '{ $value }' is not a positive whole number
config-env-listen-bad = '{ $value }' is not an address like 127.0.0.1:8080
config-env-file-unreadable = cannot read the file '{ $file }' named by { $file_var }: { $detail }
config-env-telegram-mode-bad = '{ $value }' is neither polling nor webhook
config-env-locale-bad = unknown locale '{ $value }' (use zh-CN or en)
config-env-sms-gateway-bad = '{ $value }' is not one of twilio, android, generic, none
config-env-agent-id-bad = '{ $value }' is not a number (the app's AgentId, such as 1000002)
config-env-bool-bad = '{ $value }' is neither true nor false

config-must-be-positive = { $key } must be positive (it is { $value })
config-at-least-one = { $key } must be at least 1 (it is { $value })
config-between = { $key } must be between { $min } and { $max } (it is { $value })
config-timezone-bad = '{ $value }' is not a time zone name such as Asia/Shanghai
config-quiet-hours-bad = delivery.quiet_hours: '{ $value }' is not a window like 22:00-07:00
config-metrics-listen-bad = http.metrics_listen: '{ $value }' is not an address like 127.0.0.1:9091 (or empty, for none)
config-metrics-same-as-listen = http.metrics_listen must differ from http.listen (both are { $value }; leave it empty to serve /metrics only with BRANCHBOT_METRICS_TOKEN)
config-metrics-token-short = BRANCHBOT_METRICS_TOKEN must be at least 16 characters (it has { $length })
config-dashboard-session-hours = dashboard.session_hours must be between 1 and 2160 (90 days) (it is { $value })
config-remind-before-bad = meetings.remind_before: '{ $value }' is not a positive duration such as "3d", "1h", "90m" or a number of minutes
config-remind-before-empty = meetings.remind_before needs at least one time, such as ["1d"]
config-signin-opens-negative = meetings.signin_opens_minutes must not be negative (it is { $value })
config-cadence-kind-bad = meetings.cadence: '{ $kind }' is not a kind of meeting (general, committee, group, lesson, themed_day, life, other)
config-cadence-bad = meetings.cadence.{ $kind }: '{ $value }' is not monthly, quarterly, yearly, none or semester:N
config-cadence-needs-semesters = meetings.cadence.{ $kind } = '{ $value }' needs meetings.semesters, e.g. [["02-20", "07-10"], ["09-01", "01-20"]]
config-semester-day-bad = meetings.semesters: '{ $value }' is not a month and day such as "09-01"
config-webhook-needs-public-url = webhook mode needs http.public_url (or BRANCHBOT_PUBLIC_URL): the https address Telegram posts to
config-webhook-needs-secret = webhook mode needs BRANCHBOT_TELEGRAM_WEBHOOK_SECRET (1-256 characters of A-Z, a-z, 0-9, _ and -)
config-webhook-secret-bad = BRANCHBOT_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - (it has { $length } characters, some not allowed or too many)

config-sms-max-skew = sms.max_skew_secs must be between 1 and { $max } (a day) (it is { $value }): a replay is refused only while its message id is remembered
config-sms-sim-bad = sms.android.sim_number must be 1, 2 or 3 (it is { $value })
config-sms-pointer-bad = { $key }: '{ $value }' is not a JSON pointer such as /data/id
config-sms-needs-webhook-key-android = sms.gateway = "android" needs BRANCHBOT_SMS_WEBHOOK_KEY (the app's webhook signing key)
config-sms-needs-webhook-key-generic = sms.gateway = "generic" needs BRANCHBOT_SMS_WEBHOOK_KEY (signs the inbound webhook)
config-sms-needs-twilio-sid = sms.gateway = "twilio" needs BRANCHBOT_TWILIO_ACCOUNT_SID (or sms.twilio.account_sid)
config-sms-needs-twilio-token = sms.gateway = "twilio" needs BRANCHBOT_TWILIO_AUTH_TOKEN
config-sms-needs-twilio-from = sms.gateway = "twilio" needs sms.twilio.from (a number) or sms.twilio.messaging_service_sid
config-sms-needs-public-url = sms.gateway = "twilio" needs http.public_url (or BRANCHBOT_PUBLIC_URL): Twilio signs the public URL it posts to
config-sms-needs-android-url = sms.gateway = "android" needs sms.android.base_url (or BRANCHBOT_SMS_BASE_URL)
config-sms-needs-android-login = sms.gateway = "android" needs sms.android.username and BRANCHBOT_SMS_GATEWAY_PASSWORD (shown in the app)
config-sms-needs-generic-url-body = sms.gateway = "generic" needs sms.generic.url and sms.generic.body

config-feedback-sms-needs-gateway = feedback.web_check = "sms" needs an SMS gateway ([sms] gateway = "twilio", "android" or "generic"); use "device" to run without one

config-wecom-partial = WeCom is partly configured; missing: { $missing }
config-wecom-missing-corp-id = BRANCHBOT_WECOM_CORP_ID (or wecom.corp_id)
config-wecom-missing-agent-id = BRANCHBOT_WECOM_AGENT_ID (or wecom.agent_id)
config-wecom-aes-key-length = BRANCHBOT_WECOM_AES_KEY must be the 43-character EncodingAESKey from the app's 接收消息 settings (it has { $length })
config-wecom-aes-key-bad = BRANCHBOT_WECOM_AES_KEY is not an EncodingAESKey (43 letters, digits, + and /): copy it again from the app's 接收消息 settings
config-wecom-missing-secret = BRANCHBOT_WECOM_SECRET
config-wecom-missing-token = BRANCHBOT_WECOM_TOKEN
config-wecom-missing-aes-key = BRANCHBOT_WECOM_AES_KEY
config-dues-remind-at-bad = dues.remind_at: "{ $value }" is not a time like 10:00
config-calendar-kind-bad = calendar.rules: there is no job kind named "{ $kind }" (known: { $known })
