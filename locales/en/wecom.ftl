# The WeCom channel
roster-column-wecom = wecom
roster-wecom-invalid = '{ $value }' is not a WeCom userid: a userid is 1–64 letters, digits or _-.@
roster-wecom-duplicate = WeCom userid { $value } is already used on line { $first }; two members cannot share one
roster-wecom-held = WeCom userid { $value } belongs to member '{ $holder }', who is not in this file; add that member to the file or check this userid
reach-wecom = reachable on WeCom
reach-not-preferred = none of their chosen channels reaches them
prefer-set = { $name } ({ $key }): pushes now go to { $channel }
prefer-bad = "{ $channel }" is not a channel. Write one or more of telegram, wecom, sms, console in order (separated by commas), or both.
wecom-unknown = Hello, this is the Party branch assistant. Your WeCom account is not on the members' list, so the assistant cannot serve you yet; please ask your branch secretary.
wecom-card-hint = Tap a button, or reply with the number
wecom-card-chosen = Chosen: { $label }
