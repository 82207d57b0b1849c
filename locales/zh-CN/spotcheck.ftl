## Spot checks (随机抽查) by the college committee, in chat and at the command line.

menu-spotcheck = 随机抽查支部记录（学院党委）
help-spotcheck =
    /spotcheck 随机抽查一个支部的会议或党员承诺并填写抽查意见（可加 meeting、pledge 或支部名称）
    /audit 查看最近的管理操作记录

spotcheck-not-allowed = 只有学院党委成员可以进行随机抽查。
spotcheck-no-branch = 没有名为“{ $branch }”的支部。现有支部：{ $branches }
spotcheck-nothing = 没有可抽查的记录：近 { $days } 天内没有召开过的会议，也没有公示的党员承诺。
spotcheck-nothing-narrowed = 在“{ $scope }”范围内没有可抽查的记录。换个范围试试，或直接发送 /spotcheck。
spotcheck-meeting =
    随机抽查 #{ $id }：{ $branch }
    { $kind } · { $date } · { $place }
    议题：{ $topic }
    应到 { $expected } 人
    出席：{ $present }
    迟到：{ $late }
    请假：{ $leave }
    缺席：{ $absent }
    代签：{ $proxies }
    会议记录：{ $minutes }
spotcheck-proxy = { $member }（{ $by }代签：{ $reason }）
spotcheck-minutes-none = 未记录
spotcheck-minutes-start = 已记录，开头：“{ $start }”
spotcheck-pledge =
    随机抽查 #{ $id }：{ $branch }
    { $name }的公示承诺：
    { $items }
    { $checkin }
spotcheck-checkin-none = 尚无践诺填报。
spotcheck-checkin-header = 最近一期践诺填报（{ $date }）：
spotcheck-checkin-line = { $position }. { $text }：{ $progress }
spotcheck-checkin-line-note = { $position }. { $text }：{ $progress }（{ $note }）
spotcheck-find = 填写抽查意见
spotcheck-again = 换一个
spotcheck-cancel = 取消
spotcheck-cancelled = 已结束本次抽查，没有填写抽查意见。
spotcheck-ask-finding = 请简要写下抽查意见（不超过 { $max } 字），例如“记录完整”或“缺少会议记录，请补交”。
spotcheck-finding-empty = 抽查意见不能为空，请简要写下。
spotcheck-finding-too-long = 抽查意见太长了（{ $length } 字），请控制在 { $max } 字以内。
spotcheck-already-recorded = 这次抽查的意见已经填写过了。发送 /spotcheck 开始新的抽查。
spotcheck-recorded = 已记录抽查 #{ $id } 的抽查意见，并告知：{ $told }。
spotcheck-subject-meeting = { $kind }（{ $date }）
spotcheck-subject-pledge = { $name }的承诺
spotcheck-notice =
    学院党委{ $checker }同志对{ $branch }进行了随机抽查，抽查对象：{ $subject }。
    抽查意见：{ $finding }

## `branchbot spotcheck list`
cli-spotcheck-column-id = 编号
cli-spotcheck-column-time = 抽查时间
cli-spotcheck-column-branch = 支部
cli-spotcheck-column-checker = 抽查人
cli-spotcheck-column-subject = 抽查对象
cli-spotcheck-column-finding = 抽查意见
cli-spotcheck-none = 还没有抽查记录。
cli-spotcheck-footer = 共 { $count } 次抽查，其中 { $concluded } 次已填写抽查意见。
cli-spotcheck-no-finding = （未填写抽查意见）
