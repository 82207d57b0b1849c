## 组织生活记录: service activities (/activity), branch work plans (/plan, /plan_publish),
## 领导点评 (/comment, /comments), `branchbot activity|plan|comment …` and
## `branchbot report activities`.

menu-activity = 登记服务活动
menu-plan = 查看支部工作方案
menu-comments = 查看领导点评
audit-action-activity-logged = 登记服务活动
audit-action-activity-answered = 确认服务活动
audit-action-plan-published = 公布支部工作方案
audit-action-comment-written = 撰写领导点评
report-kind-activities = 服务活动

records-help-member = /activity — 登记结对帮扶、志愿服务、走访慰问等服务活动
    /plan [支部名] — 查看支部工作方案
    /comments — 查看学院党委对本支部的领导点评
records-help-plan = /plan [支部名] — 查看支部工作方案
records-help-manager = /plan_publish [方案全文] — 公布本支部的工作方案
records-help-college = /plan — 查看各支部工作方案公布情况
    /comment 支部名 [@学号] 点评内容 — 撰写本阶段的领导点评（只输入 /comment 可查看各支部点评情况）

records-kind-pair-help = 结对帮扶
records-kind-volunteer = 志愿服务
records-kind-visit = 走访慰问
records-kind-community = 进社区

records-what-place = 活动地点
records-what-description = 活动内容
records-what-plan = 支部工作方案
records-what-comment = 点评内容
records-text-empty = { $what }不能为空，请重新输入。
records-text-too-short = { $what }至少需要 { $min } 个字，请补充后重新输入。
records-text-too-long = { $what }不能超过 { $max } 个字，请精简后重新输入。
records-day-unreadable = 无法识别日期“{ $typed }”，请按 2026-12-05、12月5日 或“今天”“昨天”填写。
records-day-future = 日期“{ $typed }”还没到，只能登记已经开展的活动。
records-day-too-old = 日期“{ $typed }”已超过一年，不能再登记。

records-log-not-allowed = 只有本支部党员和学院党委委员可以登记支部的服务活动。
records-not-in-branch = { $who }不在本支部名册中，不能列为参加人。
records-no-participants = 请至少选择一位参加人。
records-too-many-participants = 一次活动最多登记 { $max } 位参加人。
records-unknown-participant = 本支部名册中没有“{ $typed }”，请核对姓名或学号，或点按名单中的按钮。
records-unknown-kind = 无法识别活动类别“{ $typed }”，可选：{ $list }。

records-ask-kind = 请选择服务活动的类别：
records-ask-day = { $kind }：请问活动是哪一天开展的？（如 2026-12-05、12月5日、今天）
records-ask-place = 请输入活动地点：
records-ask-who = 已选参加人 { $count } 位：{ $names }。请点按姓名添加或取消，也可以直接输入姓名或学号（用顿号分隔）；选好后点“完成”。
records-ask-description = 请简要描述活动内容（不超过 { $max } 字）：
records-preview = 请核对服务活动：
    类别：{ $kind }
    日期：{ $day }
    地点：{ $place }
    参加人：{ $names }
    内容：{ $description }
    确认无误请点“保存”，保存后将请各位参加人确认。
records-preview-photos-none = 可以现在发活动照片（可跳过），保存时一起归档。
records-preview-photos = 已添加 { $counts }，保存时一起归档；还可以继续发。
records-photos-attached = 活动照片已归档：{ $counts }
records-button-done = 完成
records-button-save = 保存
records-button-discard = 取消
records-discarded = 已取消，未登记该活动。
records-logged = 已登记{ $day }的{ $kind }活动，已请 { $asked } 位参加人确认。
records-logged-cli = 已登记第 { $id } 号活动：{ $day } { $kind }，已请 { $asked } 位参加人确认。

records-activity-ask = { $who }登记了您参加的服务活动：
    { $kind } · { $day } · { $place }
    { $description }
    请确认您是否参加。
records-button-confirm = 确认参加
records-button-not-me = 不是我
records-confirmed = 谢谢，已确认您参加了{ $day }的{ $kind }活动。
records-declined = 已记下：您没有参加{ $day }的{ $kind }活动。
records-not-named = 您不在这次活动的参加人名单中，无需确认。
records-count-kind = { $kind } { $count } 次
records-checkin-line = 您已确认参加服务活动 { $count } 次（{ $kinds }）。
records-phase-activities = 本阶段服务活动：{ $list }
records-phase-branch = { $branch } { $activities } 次（确认参加 { $confirmed } 人次）

records-no-activity = 没有第 { $id } 号活动，请用 branchbot activity list 查看。
records-show = 第 { $id } 号活动：{ $day } { $kind }（{ $branch }）
    地点：{ $place }
    内容：{ $description }
records-show-file = 附件 #{ $id }：{ $kind } { $name }
records-status-asked = 待确认
records-status-confirmed = 已确认
records-status-declined = 不是本人

records-plan-not-allowed = 只有支部书记、支委和学院党委委员可以公布支部工作方案。
records-plan-ask = 请发送本支部的工作方案全文（不超过 { $max } 字）：
records-plan-published = 已公布{ $branch }的支部工作方案，党员和群众可用 /plan { $branch } 查看。
records-plan-replaced = 已更新{ $branch }的支部工作方案。
records-plan-show = { $branch }工作方案（{ $by }，{ $day }公布）：
    { $text }
records-plan-not-published = { $branch }尚未公布支部工作方案。
records-plan-list = 已公布工作方案的支部有 { $count } 个：{ $list }。请用 /plan 支部名 查看。
records-plan-none-published = 还没有支部公布工作方案。
records-plan-missing = 尚未公布工作方案的支部有 { $count } 个：{ $list }。
records-plan-all-published = 各支部都已公布工作方案。
records-plan-which = 有多个支部名称包含“{ $typed }”：{ $list }。请写出完整的支部名称。
records-no-branch = 没有名为“{ $typed }”的支部。现有支部：{ $list }。
records-file-unreadable = 无法读取文件 { $file }：{ $detail }
records-file-not-utf8 = 文件 { $file } 不是 UTF-8 编码的文本，请另存为 UTF-8 后重试。

records-no-campaign = 尚未载入创先争优活动方案，请先用 branchbot campaign load 载入。
records-no-such-phase = 没有第 { $phase } 阶段，本次创先争优活动共 { $count } 个阶段。
records-phase-not-started = 第 { $phase } 阶段尚未开始，暂不能点评。
records-comment-not-allowed = 只有学院党委委员可以撰写领导点评。
records-comment-usage = { $title }领导点评：请用 /comment 支部名 点评内容 撰写，关于某位党员的点评请写 /comment 支部名 @学号 点评内容。
records-comment-state-done = ✓ { $branch } 已点评
records-comment-state-missing = · { $branch } 未点评
records-comment-saved = 已保存{ $branch }{ $title }的领导点评，已推送给 { $told } 位同志。
records-comment-replaced = 已更新{ $branch }{ $title }的领导点评，已推送给 { $told } 位同志。
records-comment-push = 学院党委对{ $branch }“{ $title }”的领导点评：
    { $text }
records-comment-push-member = 学院党委对{ $branch }{ $who }同志“{ $title }”的领导点评：
    { $text }
records-comments-header = { $campaign } · 领导点评
records-comments-none = 暂无领导点评。
records-comments-not-allowed = 领导点评仅向本支部党员公开；您可以用 /plan 查看支部工作方案。
records-comment-line = 【{ $title }】{ $branch }：{ $text }
records-comment-line-member = 【{ $title }】{ $who }：{ $text }

records-column-id = 编号
records-column-day = 日期
records-column-branch = 支部
records-column-kind = 类别
records-column-place = 地点
records-column-description = 内容
records-column-participants = 参加人数
records-column-confirmed = 已确认参加
records-column-logged-by = 登记人
records-column-activities = 服务活动
records-column-comment = 领导点评
records-report-activities = { $activities } 次（确认 { $confirmed } 人次）
records-sheet-summary = 汇总

records-config-kind-empty = records.activity_kinds 中有空的活动类别名称。
records-config-kind-long = records.activity_kinds 中的“{ $kind }”过长或含有冒号（最多 { $max } 个字）。
records-config-kind-twice = records.activity_kinds 中的“{ $kind }”重复了（或与内置类别同名）。
records-by-committee = 学院党委
records-comment-prompt = “{ $title }”已结束，请为各支部撰写领导点评：/comment 支部名 点评内容（关于某位党员：/comment 支部名 @学号 点评内容）。发送 /comment 可查看各支部的点评情况。
