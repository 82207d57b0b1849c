# 处理失败：无法处理的消息、任务和待发消息，以及 branchbot inbox failed。

error-update-failed = 出错了，已记录，请稍后再试或联系书记。
status-inbox-failed = 处理失败的消息：{ $count } 条；最近一条 #{ $id }（{ $at }）：{ $error }。查看与重试：branchbot inbox failed
status-job-failed = 最近一次失败的任务：#{ $id } { $kind }（{ $at }）：{ $error }
cli-inbox-failed-none = 没有处理失败的消息。
cli-inbox-failed-footer = 排除原因后重新处理一条：branchbot inbox failed --retry 编号
cli-inbox-retried = 消息 #{ $id } 已重新排队，运行中的机器人很快会处理它。
cli-inbox-bad-id = “{ $id }”不是消息编号；请使用 branchbot inbox failed 列出的编号。
cli-inbox-not-found = 没有编号为 #{ $id } 的消息；请使用 branchbot inbox failed 列出的编号。
cli-inbox-not-failed = 消息 #{ $id } 没有处理失败（状态：{ $status }），只有处理失败的消息可以重试。
cli-inbox-no-payload = 消息 #{ $id } 没有保存内容（来自未绑定的发送者、匿名评价，或内容无法读取），无法重新处理。
audit-action-inbox-retried = 重新处理失败的消息
cli-inbox-column-id = 编号
cli-inbox-column-channel = 渠道
cli-inbox-column-received = 收到时间
cli-inbox-column-failed = 失败时间
cli-inbox-column-error = 错误
