# 少而精的推送：紧急通知的自动再提醒（可改发短信）、每日推送上限与汇总消息、推送情况统计。

## 自动再提醒（发送通知时选择）
notice-ask-nudges =
    未确认的人要自动再提醒吗？可点选，或输入“间隔分钟 次数 [第几次起改发短信]”，例如 { $urgent ->
        [1] 5 3 2
       *[other] 120 2 2
    }。{ $urgent ->
        [1] 紧急通知最短每 { $floor }提醒一次。
       *[other] 普通通知最短每 { $floor }提醒一次；更密的提醒请发紧急通知。
    }
notice-plan-none = 不自动提醒
notice-plan-minutes = { $n } 分钟
notice-plan-hours = { $n } 小时
notice-plan-label =
    每 { $every }提醒一次，共 { $count } 次{ $sms ->
        [0] {""}
        [1] ，均改发短信
       *[other] ，第 { $sms } 次起改发短信
    }
notice-plan-too-close =
    { $urgent ->
        [1] 紧急通知的提醒间隔最短为 { $floor }。
       *[other] 普通通知的提醒间隔最短为 { $floor }（紧急通知最短 { $urgent_floor }）。
    }
notice-plan-too-far = 提醒间隔最长为 24 小时（1440 分钟）。
notice-plan-count = 自动提醒为 1 到 { $max } 次。
notice-plan-sms-rung = 改发短信的那一次须在提醒次数之内，例如共 3 次、第 2 次起改发短信：5 3 2。
notice-plan-no-confirm = 只有要求回复“收到”的通知才能自动再提醒，请加上 --confirm。
notice-preview-plan = 自动提醒：{ $plan }。没有手机号的人仍在原渠道收到。

## 汇总消息（超过每日推送上限的非紧急消息）
push-digest-head = 【今日汇总】为减少打扰，今天另有 { $count } 条消息没有单独推送，汇总如下：
push-digest-choice = 第{ $n }条：{ $label }
push-digest-more = ……另有 { $count } 条未列出。
push-digest-act = 可按下方选项办理，每个选项标有条目编号。

## 配置
config-pushes-budget-bad = pushes.daily_budget 的值“{ $value }”无效，请写 0（不限）或正整数，默认 3。
config-pushes-digest-bad = pushes.digest_at 的值“{ $value }”不是有效的时间，请写成 18:00 这样的形式。

## 推送情况报表（branchbot report pushes）
report-pushes-title = 推送情况
report-pushes-col-week = 周次
report-pushes-col-member = 姓名
report-pushes-col-key = 编号
report-pushes-col-branch = 支部
report-pushes-col-sent = 推送条数
report-pushes-col-digests = 其中汇总消息
report-pushes-col-held = 并入汇总的条数
dashboard-pushes-line = 本期推送：共 { $sent } 条，人均每周 { $per_week } 条，最多的一位每周 { $max } 条；{ $held } 条并入了汇总消息。
report-kind-pushes = 推送情况
