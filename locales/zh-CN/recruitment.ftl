## 发展党员: /mystage, /recruit, `branchbot recruit …` and `branchbot report recruitment`.

menu-mystage = 我的入党进度
menu-recruit = 发展党员工作台（书记、支委、学院党委、培养联系人）
audit-action-recruitment-step = 记录发展党员环节
report-kind-recruitment = 发展党员

recruit-stage-applicant = 入党申请人
recruit-stage-activist = 入党积极分子
recruit-stage-candidate = 发展对象
recruit-stage-probationary = 预备党员
recruit-stage-full = 正式党员

recruit-step-applied = 递交入党申请书
recruit-step-talk = 党组织派人谈话
recruit-step-activist = 确定为入党积极分子
recruit-step-contact = 指定培养联系人
recruit-step-report = 递交思想汇报
recruit-step-review = 半年考察
recruit-step-opinions = 听取党小组、培养联系人、党员和群众意见
recruit-step-candidate = 列为发展对象
recruit-step-political = 政治审查
recruit-step-training = 集中培训
recruit-step-committee-review = 支部委员会审查
recruit-step-prereview = 学院党委预审
recruit-step-form = 填写入党志愿书
recruit-step-publicity = 公示
recruit-step-vote = 支部大会表决
recruit-step-committee-talk = 学院党委派人谈话
recruit-step-approval = 学院党委审批
recruit-step-oath = 入党宣誓
recruit-step-application = 递交转正申请

recruit-clock-talk = 谈话期限
recruit-clock-report = 下次思想汇报
recruit-clock-review = 下次半年考察
recruit-clock-candidate-from = 最早可列为发展对象
recruit-clock-approval = 学院党委审批期限
recruit-clock-probation-ends = 预备期满（讨论转正）

recruit-due = { $clock }：{ $date }
recruit-due-overdue = { $clock }：{ $date }（已逾期）
recruit-nothing-due = 暂无待办
recruit-hours = { $hours } 学时

recruit-mystage-none = 您还没有入党申请记录。递交入党申请书后，支部会在这里记录您的每一个环节。
recruit-mystage = 您目前是：{ $stage }
recruit-expect-applicant = 接下来：支部会在收到申请书一个月内派人同您谈话；之后由支部委员会研究确定入党积极分子。
recruit-expect-activist = 接下来：按时向党组织递交思想汇报，接受培养联系人的培养和支部每半年一次的考察；满一年后可被列为发展对象。
recruit-expect-candidate = 接下来：政治审查、集中培训、支部委员会审查、学院党委预审、填写入党志愿书、公示，然后由支部大会表决。
recruit-expect-probationary = 接下来：按时递交思想汇报；预备期一年，期满前递交书面转正申请，由支部大会讨论转正。
recruit-expect-full = 您已经是正式党员。

recruit-not-allowed = 您没有权限查看或修改这条发展党员记录：只有本人、培养联系人、支部委员会和学院党委可以查看。
recruit-unknown-member = 名册上没有编号为“{ $key }”的人。请用 /recruit 查看名单中的编号。
recruit-not-in-pipeline = { $key } 还没有入党申请记录。请先记录：/recruit { $key } applied 日期
recruit-unknown-contact = 名册上没有编号为“{ $key }”的党员。请写：/recruit 编号 contact 日期 联系人编号
recruit-future-date = 日期 { $date } 还没到。请写已经发生的日期（年-月-日）。
recruit-bad-step = 不认识的环节“{ $step }”。可用：applied、talk、activist、contact、report、review、opinions、candidate、political、training、committee_review、prereview、form、publicity、vote、committee_talk、approval、oath、application（也可以写中文，如“谈话”“公示”）。
recruit-bad-date = 日期请写成 年-月-日，例如 2026-03-01。
recruit-bad-contact = 请写出培养联系人的编号：/recruit 编号 contact 日期 联系人编号
recruit-bad-tally = 请写出表决结果：/recruit 编号 vote 日期 赞成 反对 弃权 应到会有表决权的正式党员人数，例如 vote 2026-06-01 25 2 1 40
recruit-usage = 记录环节：/recruit 编号 环节 [日期] [说明]；登记材料：/recruit 编号 材料 材料名称 [日期]；公示文本：/recruit 编号 公示文本；支部大会无记名投票：/recruit 编号 无记名投票 [小时]；本月到期：/recruit due

recruit-refused-wrong-stage = 不能记录“{ $step }”：此人目前是{ $stage }，这个环节不属于这个阶段。
recruit-refused-missing = 不能记录“{ $step }”：还没有记录“{ $need }”。
recruit-refused-not-enough = 不能记录“{ $step }”：需要 { $need } 次“{ $need-step }”，目前只有 { $have } 次。
recruit-refused-year = 不能记录“{ $step }”：确定为入党积极分子须满一年（细则第十二条），最早 { $until }。
recruit-refused-probation = 不能记录“{ $step }”：预备期一年尚未期满，最早 { $until }。
recruit-refused-before = 不能记录“{ $step }”：日期早于“{ $need }”（{ $date }）。
recruit-refused-contact = 培养联系人须是正式党员。
recruit-refused-already = 已经记录过“{ $step }”。
recruit-refused-tally = 表决结果不成立：票数之和不能超过应到会有表决权的正式党员人数，且人数须大于零。
recruit-refused-training = 集中培训只有 { $hours } 学时，至少需要 { $need } 学时（一般不少于三天）。

recruit-vote-passed = 表决通过：赞成 { $yes }、反对 { $no }、弃权 { $abstain }；应到会有表决权的正式党员 { $entitled } 人，超过半数需 { $needed } 票。
recruit-vote-failed = 表决未通过：赞成 { $yes }、反对 { $no }、弃权 { $abstain }；应到会有表决权的正式党员 { $entitled } 人，超过半数需 { $needed } 票。

recruit-recorded = 已记录：{ $key } · { $step } · { $date }。目前阶段：{ $stage }
recruit-show-header = { $name }（{ $key }）· { $stage }
recruit-pipeline-empty = 发展党员名单中还没有人。
recruit-pipeline-header = 发展党员名单，共 { $count } 人：{ $stages }
recruit-pipeline-line = { $name }（{ $key }）· { $stage } · { $next }
recruit-due-header = 本月到期和已逾期的事项，共 { $count } 项：
recruit-due-none = 本月没有到期的事项。

recruit-column-branch = 支部
recruit-column-key = 编号
recruit-column-name = 姓名
recruit-column-stage = 阶段
recruit-column-next = 下一事项
recruit-column-by = 期限
recruit-column-overdue = 已逾期
recruit-column-publicity-ends = 公示期满
recruit-sheet-summary = 汇总

recruit-import-unreadable = 无法读取 { $file }：{ $detail }
recruit-import-no-key = 文件第一行须有“key”（或“学号”“工号”）列。
recruit-import-line-no-key = 第 { $line } 行：缺少编号。
recruit-import-unknown-column = 不认识的列“{ $column }”。
recruit-import-problem = 第 { $line } 行，“{ $column }”列：{ $problem }
recruit-import-refused = 文件有 { $count } 处问题，什么都没有导入。改正后再导入。
recruit-import-done = 已导入 { $people } 人的 { $steps } 个环节。
recruit-import-dry-run = 检查通过：可以导入 { $people } 人的 { $steps } 个环节（未写入）。

recruit-remind = 发展党员提醒：{ $name }（{ $key }）· { $clock }：{ $date }
recruit-remind-today = 发展党员提醒：{ $name }（{ $key }）· 今天到期 · { $clock }：{ $date }

dashboard-recruitment-title = { $branch } · 发展党员
dashboard-recruitment-link = 发展党员：每人所处阶段、下一事项和逾期事项。
dashboard-recruitment-open = 查看发展党员名单

recruit-help-mystage = /mystage 查看自己的入党进度、下一步和需要做的事
recruit-help-recruit = /recruit 发展党员：名单、本月到期事项（/recruit due）、记录环节（/recruit 编号 环节 日期）、登记材料（/recruit 编号 材料 名称 日期）、公示文本、支部大会无记名投票

## Papers on file (材料清单), the 公示's window and its text.

recruit-paper-application-letter = 入党申请书
recruit-paper-report = 思想汇报
recruit-paper-political-materials = 政审材料
recruit-paper-training-certificate = 培训结业证明
recruit-paper-volunteer-form = 入党志愿书
recruit-paper-confirm-application = 转正申请书
recruit-papers = 材料：{ $items }
recruit-paper-received = { $paper } { $date }
recruit-paper-reports = { $paper } { $count } 份（最近 { $date }）
recruit-paper-missing = { $paper } 未交
recruit-paper-recorded = 已登记：{ $key } 的“{ $paper }”，收到日期 { $date }。
recruit-bad-paper = 不认识的材料“{ $paper }”。可登记：入党申请书、思想汇报、政审材料、培训结业证明、入党志愿书、转正申请书。写法：/recruit 编号 材料 材料名称 [日期]
recruit-refused-paper = 不能记录“{ $step }”：还没有收到“{ $paper }”。收到后请先登记：/recruit 编号 材料 { $paper } 日期
recruit-refused-paper-already = “{ $paper }”已经登记过。

recruit-publicity-window = 公示期：{ $start } 至 { $last }（{ $days } 个工作日），{ $from } 起可提交支部大会表决
recruit-publicity-open = 公示进行中，{ $last } 期满
recruit-refused-publicity = 不能记录“{ $step }”：公示尚未期满（按工作日计算），{ $until } 起才可表决。
recruit-notice-none = { $key } 目前没有进行中的公示。
recruit-notice-sent = 公示已发送给本支部 { $count } 名成员。
recruit-notice-admission =
    关于拟接收{ $name }同志为中共预备党员的公示

    { $name }同志，{ $branch }，{ $applied }递交入党申请书，{ $activist }被确定为入党积极分子，{ $candidate }被列为发展对象。经支部委员会审查、{ $org }预审，拟接收{ $name }同志为中共预备党员，现予公示。
    公示期：{ $start }至{ $last }（{ $days }个工作日）。
    公示期间，党员和群众对{ $name }同志入党有意见的，可来信、来电或当面向{ $branch }或{ $org }反映。反映问题应实事求是，以个人名义反映的请署真实姓名。
    联系人：{ $contact }

    { $org } { $branch }
    { $today }
recruit-notice-confirm =
    关于{ $name }同志拟按期转为中共正式党员的公示

    { $name }同志，{ $branch }，{ $admitted }经支部大会讨论接收为中共预备党员，预备期至{ $ends }。本人已递交转正申请书，经支部委员会审查，拟按期转为中共正式党员，现予公示。
    公示期：{ $start }至{ $last }（{ $days }个工作日）。
    公示期间，党员和群众对{ $name }同志转正有意见的，可来信、来电或当面向{ $branch }或{ $org }反映。反映问题应实事求是，以个人名义反映的请署真实姓名。
    联系人：{ $contact }

    { $org } { $branch }
    { $today }
recruit-notice-contact = { $name }（{ $phone }）
recruit-notice-contact-committee = 支部委员会
recruit-column-papers-missing = 下一阶段缺少的材料

## 支部大会 by secret ballot (on the evaluation feature's 票决).

recruit-ballot-title-admission = 支部大会表决：接收{ $name }为中共预备党员
recruit-ballot-title-confirm = 支部大会表决：{ $name }按期转为中共正式党员
recruit-ballot-opened = 已发起无记名投票（第 { $id } 号）：{ $title }。有表决权的正式党员 { $entitled } 人，赞成票须超过其半数，即至少 { $needed } 票。截止时间 { $closes }；党员发送 /evaluation 投票。截止（或全部投完后用 /evaluation close { $id } 提前结束）后，发送 /recruit { $key } 无记名投票 记录结果。
recruit-ballot-running = 无记名投票（第 { $id } 号）进行中：已投 { $voted } / { $eligible } 人，截止时间 { $closes }。
recruit-ballot-note = 无记名投票（第 { $id } 号）
recruit-ballot-bad-hours = 投票时长请写 1 到 { $max } 之间的小时数，例如：/recruit 编号 无记名投票 2
recruit-admitted-on = 接收为中共预备党员：{ $date }（预备期至 { $ends }）
recruit-full-on = 转为中共正式党员：{ $date }
recruit-clock-publicity-ends = 公示期满（次日起可表决）
