# 核心：绑定、帮助、个人信息、语言、错误提示。

branch-kind-teacher = 教工党支部
branch-kind-student = 学生党支部

role-secretary = 书记
role-deputy-secretary = 副书记
role-committee-member = 支委
role-group-leader = 党小组长
role-member = 党员
role-probationary = 预备党员
role-activist = 入党积极分子
role-masses = 群众

menu-help = 我能做什么
menu-me = 我的信息
menu-lang = 切换语言
menu-unbound = 查看未绑定的成员（书记、支委）
menu-cancel = 取消当前操作

none = 无
yes = 是
no = 否
no-branch = 未分配支部
cancelled = 已取消。需要帮助请发 /help。

unbound-explain =
    您好！这里是学院党委的组织生活助手。
    您还没有绑定身份。请向所在党支部书记索取邀请码，然后发送：
    /start 邀请码
    （例如 /start ABCD-EF23）
invite-invalid = 邀请码无效。请核对后重新发送，或向支部书记索取新的邀请码。
invite-expired = 这个邀请码已过期。请向支部书记索取新的邀请码。
start-bound = 绑定成功！欢迎您，{ $name }同志（{ $branch } · { $role }）。
start-welcome-back = { $name }，欢迎回来！发送 /help 查看可以做什么。
start-already-bound = { $name }，您已经绑定过了，无需重复绑定。

help-member =
    { $name }，您可以：
    /me 查看我的信息
    /lang 切换语言（中文 / English）
    /cancel 取消当前操作
    /help 再次查看本帮助
help-meetings = /meetings 我的会议（参加 / 请假），/signin 签到码 会议签到
help-manager =
    作为支部书记或支委，您还可以：
    /unbound 查看本支部还没有绑定的成员
    /meeting 安排会议，/meeting_series 安排一组定期会议，/attendance 编号 查看出席和请假，/minutes 编号 提交会议记录
    /reschedule 编号 时间 改期，/cancelmeeting 编号 取消，/proxysignin 代签
    /compliance 查看本支部三会一课落实情况
help-college =
    作为学院党委成员，您还可以：
    /unbound 查看所有支部还没有绑定的成员
    /meeting 安排会议，/meeting_series 安排一组定期会议，/attendance 编号 查看出席和请假，/minutes 编号 提交会议记录
    /reschedule 编号 时间 改期，/cancelmeeting 编号 取消，/proxysignin 代签
    /compliance 查看各支部三会一课落实情况

me-profile = 
    姓名：{ $name }
    编号：{ $key }
    党支部：{ $branch }
    党小组：{ $group }
    身份：{ $role }
    学院党委委员：{ $college }
    手机：{ $phone }
    语言：{ $locale }

lang-ask = 请选择语言：
lang-zh = 中文
lang-en = English
lang-set = 好的，以后用中文和您交流。
lang-unknown = 不认识的语言“{ $code }”。可选：中文（zh-CN）或 English（en）。

unbound-none = 全部 { $total } 名成员都已绑定账号。
unbound-header = 还有 { $count } 人未绑定账号（共 { $total } 人）：
unbound-line = · { $name }（{ $key }，{ $reach }）
reach-telegram = 可收 Telegram 消息
reach-sms = 可收短信
reach-console = 仅本机控制台
reach-inactive = 已离开
reach-no-phone = 无手机号
reach-no-gateway = 有手机号但未接短信网关
reach-opted-out = 已退订短信
reach-telegram-only = 只接收 Telegram，尚未绑定
reach-reason-count = { $reason }：{ $count } 位
reach-unreachable-note = 另有 { $count } 位无法送达（{ $reasons }）。
unbound-footer = 点下方按钮即可为他们生成邀请码，不必用命令行。
unbound-invite-button = 为这 { $count } 人生成邀请码
unbound-invites-header = 已为 { $count } 人生成邀请码（之前未用的邀请码已作废）：
unbound-invite-line = · { $name }（{ $key }）：{ $code }
unbound-invites-footer = 请把邀请码分别私下发给本人：在 Telegram 中向机器人发送 /start 邀请码 即可绑定。每个邀请码只能用一次，有效期至 { $until }。

error-unsupported = 抱歉，未能识别：我能读文字、照片和文件，读不了贴纸、语音和视频。需要帮助请发 /help。
error-empty = 消息是空的。需要帮助请发 /help。
error-too-long = 消息太长了（最多 { $max } 个字）。请分几次发送。
error-no-such-option = 没有选项 { $number }。请回复：{ $options }。
error-not-understood = 抱歉，未能识别这条消息。需要帮助请发 /help。
error-unknown-command = 没有 { $command } 这个命令。需要帮助请发 /help。
error-stale-choice = 这个按钮已经失效了。需要帮助请发 /help。
error-managers-only = 只有书记和支委可以这样做。需要帮助请发 /help。
error-internal = 抱歉，系统出了点问题，请稍后再试。

console-intro = 您正在以 { $name }（{ $branch } · { $role }）的身份和机器人对话。输入 /help 查看命令，按 Ctrl-D 退出。
invite-too-many-attempts = 邀请码输错的次数太多了。请 { $minutes } 分钟后再试，或向支部书记核对邀请码。
invite-busy = 最近收到的错误邀请码太多，为安全起见，所有人的绑定都暂停了。请 { $minutes } 分钟后再发送邀请码。
answer-which = 您回复的“{ $typed }”可以指以下几项，请选择您指的是哪一项：
answer-which-option = { $about } → { $label }
