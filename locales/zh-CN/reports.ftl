# 报表与图表（branchbot report …）

chart-no-data = 该时段没有数据
chart-attendance-title = 各支部每月出勤率（{ $period }）
chart-attendance-axis = 出勤率
chart-cadence-title = 三会一课：已开次数与应开次数（{ $period }）
chart-cadence-axis = 会议次数
chart-cadence-due = 应开次数
chart-pledges-title = 各支部承诺践诺检查情况（最近一轮）
chart-pledges-axis = 人数或项数
chart-pledges-answered = 已回复（人）
chart-pledges-unanswered = 未回复（人）
chart-pledges-attention = 落后或遇到困难（项）
chart-pledges-no-pledge = 未作承诺（人）
chart-pledges-awaiting = 待审核（人）
chart-feedback-title = 各评价对象的评价分布（{ $period }）
chart-feedback-axis = 评价数
chart-feedback-hidden = { $month } 有 { $count } 个对象评价不足 { $min } 条，不予显示：{ $targets }
