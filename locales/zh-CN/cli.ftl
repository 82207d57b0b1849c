# 命令行（branchbot import、invite、unbound、members、chat、serve）以及名单文件的问题提示。
# 消息 id 和变量须与 en/cli.ftl 保持一致。

## 名单的列：文件表头可以这样写。

roster-column-key = 编号
roster-column-name = 姓名
roster-column-branch = 支部
roster-column-branch-kind = 支部类型
roster-column-group = 党小组
roster-column-role = 角色
roster-column-mobile = 手机
roster-column-locale = 语言
roster-column-college = 学院党委

## 名单问题：先说位置，再说哪里不对、应该怎样写。

roster-problem-line = 第 { $line } 行：{ $problem }
roster-problem-cell = 第 { $line } 行，“{ $column }”列：{ $problem }

roster-unreadable = 无法按 CSV 格式读取这一行（{ $detail }）；请把文件另存为 CSV（逗号分隔，UTF-8 编码）
roster-empty-file = 文件是空的；第一行应写明各列的列名（{ $columns }）
roster-header-not-utf8 = 表头不是 UTF-8 编码；请把文件另存为 UTF-8 编码（Excel 中选“另存为”→“CSV UTF-8（逗号分隔）”）
roster-duplicate-column = 这一列出现了两次；请只保留一列
roster-unknown-column = 不认识的列名“{ $header }”；可用的列名：{ $known }
roster-missing-column = 缺少这一列；请在第一行加上它
roster-too-many-fields = 这一行有 { $found } 个字段，但表头只有 { $expected } 列；含逗号的内容请用英文双引号括起来
roster-not-utf8 = 不是 UTF-8 编码；请把文件另存为 UTF-8 编码
roster-key-empty = 没有填写；每位成员都需要一个唯一的编号（工号或学号）
roster-key-invalid = “{ $value }”不能作编号：最多 { $max } 个字符，且不能有空格
roster-key-duplicate = “{ $value }”已在第 { $first } 行用过；编号不能重复
roster-name-empty = 没有填写；请写上成员的姓名
roster-too-long = 超过了 { $max } 个字；请改短一些
roster-control-character = 含有控制字符（如制表符或换行）；请删掉
roster-role-empty = 没有填写；请填写以下之一：书记、副书记、支委、党小组长、党员、预备党员、入党积极分子、群众
roster-role-invalid = “{ $value }”不是可用的角色；请填写以下之一：书记、副书记、支委、党小组长、党员、预备党员、入党积极分子、群众
roster-college-invalid = “{ $value }”不是“是”或“否”；请填写“是”或“否”（留空即为“否”）
roster-phone-invalid = “{ $value }”不是手机号：{ $reason }
roster-phone-duplicate = { $phone } 已在第 { $first } 行用过；两位成员不能共用一个手机号
roster-locale-invalid = “{ $value }”不是可用的语言；请填写 zh-CN（中文）或 en（英文）
roster-group-without-branch = 党小组必须属于某个支部；请填写“支部”列，或把党小组留空
roster-branch-empty = 没有填写；除群众和学院党委成员外，每位成员都应属于一个支部
roster-branch-kind-invalid = “{ $value }”不是支部类型；请填写“教师”或“学生”
roster-branch-kind-conflict = 第 { $first } 行写的是“{ $kind }”；同一个支部只能有一种类型，请在各行写成一样
roster-branch-kind-missing = 没有哪一行写明支部“{ $branch }”的类型；请至少在它的一行里填写“教师”或“学生”
roster-no-members = 文件里没有成员；请在表头下面每行写一位成员
roster-phone-held = { $phone } 属于成员“{ $holder }”，但该成员不在这个文件里；请把该成员（连同其新手机号）也写进文件，或核对这个号码
roster-kind-teacher = 教师
roster-kind-student = 学生

## 为什么一段文字不是手机号。

phone-error-empty = 没有填写；请写手机号，如 13812345678
phone-error-bad-character = 含有“{ $char }”；手机号只能包含数字、空格、短横线和开头的 +
phone-error-wrong-length = 位数不对（{ $digits } 位）；请写 11 位的中国大陆手机号（如 13812345678），或写 + 加国家代码（如 +8613812345678）

## 命令行的输出。

cli-list-separator = 、
cli-scope-all = 全部支部
cli-placeholder-bot-username = <机器人用户名>

cli-config-error =
    配置有误：{ $detail }
    请检查 branchbot.toml（或 BRANCHBOT_CONFIG 指定的文件）和 BRANCHBOT_* 环境变量。
cli-config-unknown-field = 配置有误：{ $file } 第 { $line } 行没有“{ $field }”这个设置项。这里可用的设置项：{ $expected }。
cli-config-missing-field = 配置有误：{ $file } 缺少设置项“{ $field }”。
cli-config-bad-value = 配置有误：{ $file } 第 { $line } 行的值类型不对：{ $source }。请对照 README 的 Configuration 一节修改（文字要加引号，数字和 true/false 不加）。
cli-config-syntax = 配置有误：{ $file } 第 { $line } 行不是有效的 TOML：{ $source }。请检查引号、等号和方括号。
cli-config-bad-locale = 配置有误：环境变量 BRANCHBOT_LOCALE 的值“{ $value }”无法识别，可用 zh-CN 或 en。
cli-config-wecom-check = 配置有误：feedback.web_check 设为 wecom 时，要通过企业微信确认评价人，但尚未配置企业微信。请设置 BRANCHBOT_WECOM_CORP_ID、BRANCHBOT_WECOM_AGENT_ID、BRANCHBOT_WECOM_SECRET、BRANCHBOT_WECOM_TOKEN 和 BRANCHBOT_WECOM_AES_KEY（见 README 的“Connecting WeCom”一节），或把 web_check 改为 sms（需配置短信网关）或 device。
cli-bad-database-url = 无法使用数据库地址“{ $url }”：请写 sqlite://文件名 或 postgres://用户@主机/数据库。
cli-listen-error = 无法在 { $addr } 上监听（{ $detail }）。请用 http.listen 或 BRANCHBOT_HTTP_LISTEN 换一个地址。
cli-internal-error = 出错了：{ $detail }

cli-no-member = 没有编号或手机号为“{ $who }”的在册成员。请核对编号（查看名单：branchbot members），或先导入名单：branchbot import 文件
cli-no-branch = 没有名为“{ $branch }”的支部。现有支部：{ $branches }
cli-invite-needs-target = 请指定一名成员（branchbot invite 编号）或一个支部（branchbot invite --branch 支部名称）。

cli-file-not-found = 找不到文件“{ $file }”。请检查路径。
cli-file-unreadable = 无法读取“{ $file }”（{ $detail }）。
cli-import-refused = { $file }：发现 { $count } 处问题，整个文件未导入，数据库没有任何改动：
cli-import-refused-footer = 请改正文件后重新导入。
cli-import-done = { $file }：导入完成。新建 { $branches } 个党支部、{ $groups } 个党小组；新增 { $added } 名成员，更新 { $updated } 名，{ $unchanged } 名不变。
cli-import-dry-run = 试运行，没有写入任何内容。{ $file }：将新建 { $branches } 个党支部、{ $groups } 个党小组；将新增 { $added } 名成员，更新 { $updated } 名，{ $unchanged } 名不变。
cli-import-missing = 有 { $count } 名在册成员不在这个文件里：{ $keys }。如要把他们标记为已离开，请加上 --prune 重新导入。
cli-import-pruned = 不在文件里的 { $count } 名成员已标记为已离开：{ $keys }
cli-import-would-prune = 将把不在文件里的 { $count } 名成员标记为已离开：{ $keys }

cli-migrated = 数据库结构已是最新：{ $database }

cli-column-code = 邀请码
cli-column-link = 链接
cli-invite-all-bound = { $branch }的成员都已绑定账号，不需要邀请码。
cli-invite-footer = 邀请码只能用一次，有效期至 { $until }。成员在 Telegram 中打开链接，或向机器人发送：/start 邀请码
cli-invite-no-username = （设置 telegram.username 或 TELOXIDE_TOKEN 后，链接里会显示机器人的真实用户名。）

cli-unbound-header = { $scope }：有 { $count } 人尚未绑定账号：
cli-unbound-none = { $scope }：所有成员都已绑定账号。
cli-unbound-footer = 生成邀请码：branchbot invite 编号；为整个支部生成：branchbot invite --branch 支部名称
cli-column-reach = 联系方式

cli-members-header = { $scope }：共 { $count } 名在册成员：
cli-members-none = { $scope }：没有在册成员。导入名单：branchbot import 文件
cli-column-telegram = 已绑定账号

cli-serve-example-loaded = 没有设置 Telegram 令牌（TELOXIDE_TOKEN），数据库也是空的：已载入示例学院（{ $count } 名成员）。
cli-serve-listening = branchbot 正在监听 http://{ $addr }（健康检查：/healthz，就绪检查：/readyz，指标：{ $metrics }）
cli-serve-metrics-at = http://{ $addr }/metrics
cli-serve-metrics-token = /metrics，请求须带 BRANCHBOT_METRICS_TOKEN
cli-serve-metrics-off = 未开启
cli-telegram-unreachable = 网络连不上 Telegram（api.telegram.org），在中国大陆网络下很常见，与令牌无关。控制台、短信和网页看板照常运行；Telegram 的收发会自动重试，网络可达后即恢复（也可在 branchbot.toml 的 [telegram] 中设置 api_url 走可达的 Bot API 地址）。在中国大陆，成员可改用企业微信（见 README 的“Connecting WeCom (企业微信)”一节）。
cli-telegram-token-refused = Telegram 拒绝了这个令牌（TELOXIDE_TOKEN）：{ $detail }。请向 @BotFather 核对令牌后重试；不设令牌也可以只用控制台和短信运行。
cli-serve-telegram-off =
    Telegram 未开启。下一步：
      · 在本机以某位成员的身份对话：{ $bin } chat --as 成员编号（如 S103）
      · 连接 Telegram：设置 TELOXIDE_TOKEN（向 @BotFather 申请）后重新运行 { $bin } serve
      · 连接短信：在 branchbot.toml 中配置 [sms]（见 README 的“Connecting an SMS gateway”一节）
      · 连接企业微信：在 branchbot.toml 中配置 [wecom]（见 README 的“Connecting WeCom (企业微信)”一节）
cli-serve-console = 正在以 { $name }（{ $key }）的身份打开控制台对话。按 Ctrl-D 结束对话并停止服务。
cli-anonymity-key-required =
    使用 PostgreSQL 时必须设置匿名密钥，且所有副本共用同一个：请设置 { $variables }（例如从部署的 Secret 读取），再重新启动。
    生成一个密钥：openssl rand -hex 32。详见 docs/PRIVACY.md。
