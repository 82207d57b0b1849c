# 匿名评价：示范宿舍、党员服务窗口、支部与党员。

menu-feedback = 查看评价结果
help-feedback = /feedback 查看您可见的评价结果
help-reply = /reply 回执码 查看您的评价有没有收到答复
help-feedback-answer = /answer 编号 答复内容 答复一条意见
help-feedback-hide = /hide 编号 隐藏一条不当的意见

feedback-kind-dormitory = 学生党员示范宿舍
feedback-kind-post = 党员服务窗口
feedback-kind-branch = 党支部
feedback-kind-member = 党员

feedback-rating-satisfied = 满意
feedback-rating-fair = 基本满意
feedback-rating-dissatisfied = 不满意
feedback-skip = 跳过

feedback-intro = 
    评价：{ $kind } · { $name }（匿名，不记录您的身份）
    总体感受？
feedback-pick-rating = 请选择：满意、基本满意或不满意。
feedback-ask-comment = 想补充几句吗？（可跳过）
feedback-too-long = 补充意见最多 { $max } 个字，请精简后再发，或选择跳过。
feedback-thanks =
    谢谢！您的回执码：{ $code }（只显示这一次）。
    之后发送 /reply { $code } 可查看支部的答复。
    您的评价会在凑满至少 5 位评价人后与其他评价一起公布，日期只记到天。
feedback-already = 本期您已经评价过这一对象，谢谢！下期可以再次评价。
feedback-unknown-target = 找不到评价对象“{ $code }”。请重新扫描门牌上的二维码。
feedback-expired = 这次评价已经结束或超时。请重新扫描二维码开始。

feedback-reply-usage = 请发送 /reply 加上回执码，例如 /reply K7Q-4MX。
feedback-reply-unknown = 回执码 { $code } 不正确。请检查后重发；回执码只在评价后显示一次。
feedback-reply-pending = 支部还没有答复，请过几天再来查看。
feedback-reply-answer = 支部的答复：{ $answer }

feedback-not-allowed = 您没有权限这样做。需要帮助请发 /help。
feedback-none-visible = 没有您可以查看的评价对象。
feedback-report-title = 评价结果（{ $period }）
feedback-report-building = { $building }号楼合计：{ $figures }
feedback-report-target = · { $kind } · { $name }：{ $figures }
feedback-report-comment =   [{ $id }] { $day } { $text }
feedback-report-answer =     答复：{ $answer }
feedback-counts = 满意 { $satisfied }，基本满意 { $fair }，不满意 { $dissatisfied }（共 { $total }）
feedback-too-few = 评价少于 5 条，暂不显示
feedback-answer-usage = 请发送 /answer 编号 答复内容，例如 /answer ABCD2345 已与宿舍沟通。
feedback-no-comment = 没有编号为 { $id } 的意见。
feedback-answered = 已答复意见 { $id }，评价人可凭回执码查看。
feedback-hide-usage = 请发送 /hide 编号，例如 /hide ABCD2345。
feedback-hidden = 意见 { $id } 已隐藏（保留存档）。

# branchbot targets load / qr / report feedback
targets-problem = 第 { $line } 行，“{ $column }”列：{ $what }
targets-unreadable = 文件无法读取（{ $value }）
targets-bad-code = 编号“{ $value }”无效：只能用字母、数字、- 和 _，最多 24 个字符
targets-duplicate-code = 编号“{ $value }”重复
targets-bad-kind = 类型“{ $value }”无效：请写 dormitory、post、branch 或 member（示范宿舍、党员服务窗口、党支部、党员）
targets-missing = 不能为空{ $value }
targets-unknown-branch = 没有名为“{ $value }”的支部
targets-unknown-member = 名册中没有编号为“{ $value }”的成员
targets-refused = { $file } 未导入，发现 { $count } 个问题：
targets-loaded = 已从 { $file } 导入 { $count } 个评价对象。
targets-unknown = 没有编号为 { $code } 的评价对象。先用 branchbot targets load 导入。
qr-invitation = 扫码匿名评价
qr-written = 已写入 { $file }
qr-no-font = 已写入 SVG，但无法生成 PNG：本机没有中文字体（需要其中之一：{ $fonts }）。请安装，例如 sudo apt-get install fonts-noto-cjk 或 fonts-wqy-zenhei，然后重试。
feedback-published = { $kind } · { $name } 收到了新的匿名意见。发送 /feedback 查看，并用 /answer 答复。
feedback-stored = 只保存评分和意见（加密，凑满 5 人后混合公布，只记到天），不保存您是谁。
feedback-withheld = 为保护匿名，暂不显示
feedback-report-semester =     本学期累计：{ $figures }
