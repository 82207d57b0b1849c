# 三会一课的日常做法：代请假、补学登记、动态签到码（签到大屏）。

## 代请假
meeting-leave-for-usage = 代请假格式：/proxyleave 会议编号 成员编号 原因，例如 /proxyleave 12 S103 家中有事。也可以在 /attendance 会议编号 里点“代请假”。
meeting-leave-for-not-secretary = 只有本支部的书记或副书记可以代请假。
meeting-leave-for-ended = 这个会议已经结束，不能再请假。会后请登记补学（/makeup）。
meeting-leave-for-empty-reason = 请写明请假原因，例如：/proxyleave 12 S103 家中有事。
meeting-leave-for-not-attendee = { $name }同志不在这个会议的参会名单里，无需请假。
meeting-leave-for-signed-in = { $name }同志已经签到，无需请假。
meeting-leave-for-button = 代请假
meeting-leave-for-ask-member = 为哪位同志代请假？
meeting-leave-for-nobody = 参会同志都已签到或请假，没有需要代请假的同志。
meeting-leave-for-ask-reason = 请输入{ $name }同志的请假原因（如：出差、家中有事）。
meeting-leave-for-done = 已为{ $name }同志代请假：{ $when } { $kind }，原因：{ $reason }。已通知本人。
meeting-leave-for-told = 【{ $branch }】{ $by }同志已为您登记请假：{ $when } { $kind }，原因：{ $reason }。会后请按要求补学。如有出入，请联系书记。
meeting-leave-for-told-office = 【{ $branch }】已为您登记请假：{ $when } { $kind }，原因：{ $reason }。会后请按要求补学。如有出入，请联系书记。
meeting-leave-entry = { $name }（{ $reason }{ $made_up ->
        [yes] ，已补学
       *[no] {""}
    }）
meeting-leave-entry-proxy = { $name }（{ $reason }，书记代请假{ $made_up ->
        [yes] ，已补学
       *[no] {""}
    }）
meeting-absent-entry-made-up = { $name }（已补学）

## 补学
meeting-makeup-usage = 补学登记格式：/makeup 会议编号 补学情况，例如 /makeup 12 已自学会议精神并写了心得。只发 /makeup 可查看需要补学的会议。
meeting-makeup-not-allowed = 只有本人，或本支部的书记、副书记，可以登记补学。
meeting-makeup-not-over = 会议结束后才能登记补学。
meeting-makeup-attended = { $name }同志参加了这次会议，无需补学。
meeting-makeup-empty-note = 请简要写明补学情况，例如：已自学会议精神并写了心得。
meeting-makeup-already = 这次会议的补学已于 { $day } 登记过了。
meeting-makeup-none-owed = 近半年没有需要您补学的会议。
meeting-makeup-owed = 以下会议您未参加，补学完成后请选择会议登记：
meeting-makeup-ask-note = 请简要写明{ $when } { $kind }的补学情况（如：已自学会议精神并写了心得）。
meeting-makeup-done = 已登记补学：{ $when } { $kind }。谢谢您！
meeting-makeup-done-for = 已为{ $name }同志登记补学：{ $when } { $kind }。
meeting-makeup-told = 【{ $branch }】已为您登记补学：{ $when } { $kind }（{ $note }）。
compliance-makeup-line = 补学 { $made_up }/{ $missed } 人次 · 未补学的无故缺席 { $open } 人次
cli-report-made-up = 已补学
cli-report-absent-open = 未补学缺席

## 动态签到码与签到大屏
meeting-code-rotating-only = 动态签到码，请发送 /signin_screen { $id } 打开签到大屏
meeting-signin-stale = 签到码 { $code } 已过期（签到码每 30 秒更换一次）。请看会场屏幕上的最新签到码再发送。
meeting-signin-code-rotating = 【{ $branch }】{ $kind }（{ $when }）使用动态签到码，会前 { $opens } 分钟开放签到。请发送 /signin_screen { $id }，在会场屏幕上打开签到大屏。
meeting-screen-button = 签到大屏
meeting-screen-link = 签到大屏链接（{ $minutes } 分钟内打开一次有效）：{ $link }
    请在会场屏幕上打开。签到码每 30 秒更换一次，参会同志发送屏幕上的签到码即可签到；原签到码仍可使用。
meeting-screen-link-only = 签到大屏链接（{ $minutes } 分钟内打开一次有效）：{ $link }
    请在会场屏幕上打开。签到码每 30 秒更换一次，参会同志发送屏幕上的签到码即可签到；原签到码已停用。
meeting-screen-ended = 这个会议已经结束，不能再打开签到大屏。
screen-title = 会议签到
screen-heading = 【{ $branch }】{ $kind }
screen-hint = 请发送屏幕上的签到码签到
screen-changes = 签到码每 30 秒更换，{ $seconds } 秒后更新
screen-not-open = 签到将于 { $at } 开放，届时这里显示签到码。
screen-ended = 会议已经结束，签到已关闭。
screen-cancelled = 会议已取消。
screen-preview = 这是会议签到大屏的链接，请在会场屏幕的浏览器中打开。
screen-error-link = 链接无效、已过期或已经打开过。请书记在对话中发送 /signin_screen 会议编号 获取新链接。
screen-error-session = 请先通过书记获取的签到大屏链接打开本页。
screen-error-internal = 服务暂时出现问题，请稍后刷新。

## 审计日志
audit-action-leave-recorded = 代请假
audit-action-makeup-recorded = 登记补学

## /help
meeting-help-makeup = /makeup 登记补学（缺席或请假后补学完成时；短信回复“补学 会议编号 补学情况”）
meeting-help-practice = /proxyleave 编号 成员编号 原因 代请假（书记、副书记），/makeup 编号 成员编号 情况 代为登记补学，/signin_screen 编号 打开签到大屏（动态签到码）
