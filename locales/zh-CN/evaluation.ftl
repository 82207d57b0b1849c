# 评议：民主评议党员与票决。

menu-evaluation = 民主评议与票决
help-evaluation = /evaluation 参加民主评议或票决
help-evaluation-manager = /evaluation open 开启本支部民主评议，/evaluation vote 姓名或编号… 开启票决，/evaluation close 编号 提前结束，/evaluation results 编号 查看结果

evaluation-grade-excellent = 优秀
evaluation-grade-qualified = 合格
evaluation-grade-basic = 基本合格
evaluation-grade-unqualified = 不合格
evaluation-vote-for = 赞成
evaluation-vote-against = 反对
evaluation-vote-abstain = 弃权

evaluation-title-grades = { $branch }民主评议党员
evaluation-title-vote = { $branch }评优票决（优秀共产党员）
evaluation-opened = 已开启第 { $id } 号评议：{ $title }，共 { $voters } 人可投票，{ $days } 天后截止。已通知 { $told } 人。
evaluation-open-usage = 请发送 /evaluation open（本支部），学院党委成员可写支部名称：/evaluation open 学生第一党支部。
evaluation-vote-usage = 请发送 /evaluation vote 加上候选人编号，例如 /evaluation vote S103 S107。
evaluation-no-member = 名册中没有编号或姓名为“{ $key }”的成员。
evaluation-name-ambiguous = 本支部有 { $count } 位同志叫“{ $name }”：{ $who }。请用编号重新发送，例如 /evaluation vote { $example }。
evaluation-opened-notice = 【{ $branch }】{ $title }已开始，截止时间 { $closes }。请发送 /evaluation 参加投票（匿名）。
evaluation-duplicate = 本支部同一时段已有这项评议：第 { $id } 号“{ $title }”，截止时间 { $closes }。没有重复开启；查看进度请发送 /evaluation results { $id }。
evaluation-duplicate-cli = 该支部同一时段已有这项评议：第 { $id } 号“{ $title }”。没有重复开启。
evaluation-close-usage = 请发送 /evaluation close 加上评议编号，例如 /evaluation close 3。
evaluation-close-ask = { $title }：已投票 { $voted } / { $eligible } 人，还有 { $missing } 人未投票。提前结束后他们将不能再投票，确定提前结束吗？
evaluation-close-confirm = 提前结束
evaluation-close-keep = 继续投票
evaluation-close-kept = 好的，评议继续进行。
evaluation-close-done = 第 { $id } 号评议已结束（投票 { $voted } / { $eligible } 人）。
evaluation-nothing-pending = 目前没有等待您投票的评议。
evaluation-pending = 以下评议等待您投票（匿名，提交后不可更改）：
evaluation-ballot-step = { $title }（{ $n }/{ $of }）：{ $name }
evaluation-ballot-review =
    请核对您的选票：
    { $summary }
    提交后不可更改。
evaluation-submit = 提交
evaluation-restart = 重新填写
evaluation-submitted = 选票已提交，谢谢！投票是匿名的，提交后不可更改。
evaluation-closed = 这次评议已经截止。
evaluation-not-waiting = 您已经投过票，或不在这次评议的投票人中。
evaluation-results-usage = 请发送 /evaluation results 加上评议编号。
evaluation-results-later = 评议截止后才公布结果。目前已投票 { $voted } 人，共 { $eligible } 人。
evaluation-results-title = { $title } 结果（投票 { $voted } / { $eligible } 人）：
evaluation-too-many-excellent = 注意：“优秀”超过三分之一。
evaluation-remind = 提醒：{ $title } 将于 { $closes } 截止，您还没有投票。发送 /evaluation 开始（匿名）。

# 一次填写全部（短信里一条填完整张选票）。
evaluation-compact-button = 一次填写全部
evaluation-compact = { $title }共 { $count } 人。请按名单顺序回复 { $count } 位数字（{ $legend }）：{ $list }
evaluation-compact-not-digits = 请按名单顺序回复 { $count } 位数字，每人一位，例如 1121。
evaluation-compact-count = 您回复了 { $got } 位数字，名单共 { $need } 人，请按顺序每人一位重新回复。
evaluation-compact-option = 第 { $at } 位是 { $digit }，只能是 1 到 { $max }。请重新回复。
evaluation-compact-review = 请核对您的选票：{ $digits }（共 { $count } 人：{ $counts }）。提交后不可更改。
