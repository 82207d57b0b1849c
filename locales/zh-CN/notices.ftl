# 通知（收到请回复）：发送、确认、查看确认情况、提醒未确认者、短信升级。

menu-notice = 发送通知
menu-notice-status = 查看通知确认情况

help-notices =
    /notice 发送通知（可要求回复“收到”）
    /notice_status 查看通知的送达和确认情况
    /notice_escalate 小时数 到时未确认的人改发短信

notice-refused = 只有书记和支委可以发送通知。需要帮助请发 /help。
notice-other-branch = 您只能给本支部发送通知。
notice-ask-scope = 发给谁？
notice-scope-all = 全体党员
notice-scope-secretaries = 各支部书记
notice-scope-branch = 全支部党员
notice-scope-group = 指定党小组
notice-scope-committee = 支委会成员
notice-scope-full = 正式党员
notice-scope-everyone = 全体人员（含入党积极分子、群众）
notice-scope-branch-everyone = 全支部人员（含入党积极分子、群众）
notice-scope-activists = 入党积极分子
notice-scope-masses = 群众
notice-ask-group = 发给哪个党小组？
notice-ask-text = 请输入通知内容。
notice-ask-confirm = 需要大家回复“收到”吗？
notice-confirm-yes = 需要
notice-confirm-no = 不需要
notice-ask-urgent = 是紧急通知吗？紧急通知在夜间免打扰时段也会立即发出。
notice-urgent-no = 不紧急
notice-urgent-yes = 紧急
notice-preview =
    { $text }
    ——
    预览：{ $total } 人将收到（Telegram { $telegram } 人{ $sms ->
        [0] {""}
       *[other] ，短信 { $sms } 人，每人 { $each } 条短信，共 { $segments } 条
    }{ $wecom ->
        [0] {""}
       *[other] ，企业微信 { $wecom } 人
    }{ $console ->
        [0] {""}
       *[other] ，本机控制台 { $console } 人
    }）。
notice-preview-roles =
    { $count ->
        [0] 没有人在这个范围内。
       *[other] 其中：{ $list }。
    }
notice-preview-role = { $role } { $count } 人
notice-preview-roles-sep = ，
notice-role-full = 正式党员
notice-role-probationary = 预备党员
notice-role-activist = 入党积极分子
notice-role-masses = 群众
notice-preview-unreachable = 另有 { $count } 人无法送达（未绑定账号，也无法发短信）。
notice-send = 发送
notice-edit = 修改
notice-cancel = 取消
notice-cancelled = 已取消，通知没有发出。
notice-sent = 已发送（通知 #{ $id }，{ $count } 人）。/notice_status 查看确认情况。

# 收件人看到的通知
notice-header = 【通知】{ $sender }
notice-header-urgent = 【紧急通知】{ $sender }
notice-header-college = 【学院党委通知】
notice-header-college-urgent = 【学院党委紧急通知】
notice-please-confirm = 收到请回复。
notice-received = 收到
notice-confirmed = 已确认收到通知 #{ $id }（{ $excerpt }），谢谢！
notice-confirmed-already = 您已确认过通知 #{ $id }（{ $excerpt }），不用再回复。谢谢！

# /notice_status
notice-status-usage = 用法：/notice_status 或 /notice_status 通知编号
notice-status-none = 没有找到您发送的通知。
notice-status-head = 通知 #{ $id }（{ $at }）：{ $text }
notice-status-delivery = 共 { $total } 人：已发送 { $sent } · 排队中 { $queued } · 失败 { $failed } · 已拒收 { $blocked } · 无法送达 { $unreachable }
notice-status-confirmed = 已确认 { $confirmed }/{ $total } · 未确认 { $missing } 人：{ $names }
notice-status-all-confirmed = 全部 { $total } 人已确认。
notice-status-recent = 最近的通知：
notice-nudge = 提醒未确认者
notice-nudge-header = 【提醒】请确认收到以下通知。
notice-nudged = 已提醒 { $count } 位未确认的人。
notice-nudge-too-soon = 刚刚提醒过，{ $at } 以后才能再次提醒。
notice-escalate-usage = 用法：/notice_escalate 小时数 [通知编号]，例如 /notice_escalate 4（1 到 168 小时）。
notice-escalate-no-confirm = 这条通知不要求回复“收到”，无需短信提醒。
notice-escalate-set = 好的：{ $at } 时仍未确认的人将收到通知 #{ $id } 的短信。
notice-escalation-scheduled = 短信提醒：{ $at } 发给未确认的人。
notice-escalation-pending = 短信提醒：已到时间（{ $at }），但没有连接短信网关，尚未发出。
notice-escalation-sent = 短信提醒：已于 { $at } 发给未确认的人。

# branchbot notice …
cli-notice-bad-scope = 无法识别范围“{ $scope }”。请写 all（全体党员）、everyone（全体人员）、branch:支部名、everyone:支部名、group:支部名/党小组名 或 role:secretary|committee|full|activist|masses。
cli-notice-no-sender = 名册中没有学院党委成员，无法以学院名义发送通知。请用 --from 指定一位学院党委成员。
cli-notice-not-sent = 未发送。确认无误后加 --yes 再运行一次。
cli-notice-sent = 已发送通知 #{ $id }（{ $count } 人）。用 branchbot notice status { $id } 查看确认情况。

# 时刻的读法：12月7日 10:58
moment = { $month }月{ $day }日 { $time }
