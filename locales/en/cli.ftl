# The command line (branchbot import, invite, unbound, members, chat, serve) and the roster file's
# problems. Keep the ids and variables in step with zh-CN/cli.ftl.

## Roster columns: the names of the columns as a file may write them.

roster-column-key = key
roster-column-name = name
roster-column-branch = branch
roster-column-branch-kind = branch_kind
roster-column-group = group
roster-column-role = role
roster-column-mobile = mobile
roster-column-locale = locale
roster-column-college = college

## Roster problems: where, then what is wrong and what would be right.

roster-problem-line = line { $line }: { $problem }
roster-problem-cell = line { $line }, column '{ $column }': { $problem }

roster-unreadable = cannot read this line as CSV ({ $detail }); save the file as CSV (comma-separated, UTF-8)
roster-empty-file = the file is empty; the first line must name the columns ({ $columns })
roster-header-not-utf8 = the header is not valid UTF-8; save the file as UTF-8 (in Excel: Save As, "CSV UTF-8")
roster-duplicate-column = this column appears twice; keep one of them
roster-unknown-column = unknown column '{ $header }'; known columns: { $known }
roster-missing-column = this column is required; add it to the first line
roster-too-many-fields = { $found } fields but the header names { $expected }; quote a value that contains a comma
roster-not-utf8 = not valid UTF-8; save the file as UTF-8
roster-key-empty = empty; every member needs a unique key (staff or student number)
roster-key-invalid = '{ $value }' is not a key: at most { $max } characters, no spaces
roster-key-duplicate = '{ $value }' is already used on line { $first }; keys must be unique
roster-name-empty = empty; write the member's name
roster-too-long = longer than { $max } characters; shorten it
roster-control-character = contains a control character (such as a tab or a line break); remove it
roster-role-empty = empty; use one of: secretary, deputy_secretary, committee_member, group_leader, member, probationary, activist, masses (or 书记, 副书记, 支委, 党小组长, 党员, 预备党员, 入党积极分子, 群众)
roster-role-invalid = '{ $value }' is not a role; use one of: secretary, deputy_secretary, committee_member, group_leader, member, probationary, activist, masses (or 书记, 副书记, 支委, 党小组长, 党员, 预备党员, 入党积极分子, 群众)
roster-college-invalid = '{ $value }' is not yes or no (是/否)
roster-phone-invalid = '{ $value }' is not a phone number: { $reason }
roster-phone-duplicate = { $phone } is already used on line { $first }; two members cannot share a mobile number
roster-locale-invalid = '{ $value }' is not a locale; use zh-CN or en
roster-group-without-branch = a party group needs a branch; fill in the branch or leave the group empty
roster-branch-empty = empty; every member except the masses and college committee members belongs to a branch
roster-branch-kind-invalid = '{ $value }' is not a branch kind; use teacher or student (教师/学生)
roster-branch-kind-conflict = line { $first } says this branch is { $kind }; a branch has one kind, so write the same on every line
roster-branch-kind-missing = no line gives the kind of branch '{ $branch }'; write teacher or student (教师/学生) on at least one of its lines
roster-no-members = no members in the file; write one member per line below the header
roster-phone-held = { $phone } belongs to member '{ $holder }', who is not in this file; add that member to the file (with their new number) or check this number
roster-kind-teacher = teacher
roster-kind-student = student

## Why a text is not a phone number.

phone-error-empty = it is empty; write a mobile number such as 13812345678
phone-error-bad-character = it contains '{ $char }'; use only digits, spaces, dashes and a leading +
phone-error-wrong-length = it has { $digits ->
        [one] 1 digit
       *[other] { $digits } digits
    }; write an 11-digit Chinese mobile number (13812345678) or + and the country code (+8613812345678)

## Messages of the command line.

cli-list-separator = {", "}
cli-scope-all = all branches
cli-placeholder-bot-username = <bot username>

cli-config-error =
    Configuration problem: { $detail }
    Check branchbot.toml (or the file in BRANCHBOT_CONFIG) and the BRANCHBOT_* environment variables.
cli-config-unknown-field = Configuration error: { $file }, line { $line }: there is no setting "{ $field }". Settings here: { $expected }.
cli-config-missing-field = Configuration error: { $file } lacks the setting "{ $field }".
cli-config-bad-value = Configuration error: { $file }, line { $line }: the value has the wrong type: { $source }. See Configuration in the README (text in quotes; numbers and true/false without).
cli-config-syntax = Configuration error: { $file }, line { $line } is not valid TOML: { $source }. Check the quotes, equals signs and brackets.
cli-config-bad-locale = Configuration error: BRANCHBOT_LOCALE is "{ $value }", which is not a language here; use zh-CN or en.
cli-config-wecom-check = Configuration error: feedback.web_check = "wecom" lets people rate on the feedback page through WeCom, but WeCom is not configured. Set BRANCHBOT_WECOM_CORP_ID, BRANCHBOT_WECOM_AGENT_ID, BRANCHBOT_WECOM_SECRET, BRANCHBOT_WECOM_TOKEN and BRANCHBOT_WECOM_AES_KEY (see Connecting WeCom in the README), or use web_check = "sms" (with an SMS gateway) or "device".
cli-bad-database-url = Cannot use the database URL '{ $url }': write sqlite://FILE or postgres://USER@HOST/DATABASE.
cli-listen-error = Cannot listen on { $addr } ({ $detail }). Choose another address with http.listen or BRANCHBOT_HTTP_LISTEN.
cli-internal-error = error: { $detail }

cli-no-member = There is no active member with key or mobile number '{ $who }'. Check the key (list the roster with: branchbot members), or import a roster first: branchbot import FILE
cli-no-branch = There is no branch named '{ $branch }'. Branches: { $branches }
cli-invite-needs-target = Name a member (branchbot invite KEY) or a branch (branchbot invite --branch NAME).

cli-file-not-found = There is no file '{ $file }'. Check the path.
cli-file-unreadable = Cannot read '{ $file }' ({ $detail }).
cli-import-refused = { $file }: refused, nothing was imported ({ $count ->
        [one] 1 problem
       *[other] { $count } problems
    }):
cli-import-refused-footer = Correct the file and import it again.
cli-import-done = { $file }: { $branches ->
        [one] 1 branch
       *[other] { $branches } branches
    } and { $groups ->
        [one] 1 party group
       *[other] { $groups } party groups
    } created; { $added ->
        [one] 1 member
       *[other] { $added } members
    } added, { $updated } updated, { $unchanged } unchanged.
cli-import-dry-run = Dry run, nothing written. { $file }: would create { $branches ->
        [one] 1 branch
       *[other] { $branches } branches
    } and { $groups ->
        [one] 1 party group
       *[other] { $groups } party groups
    }; would add { $added ->
        [one] 1 member
       *[other] { $added } members
    }, update { $updated }, leave { $unchanged } unchanged.
cli-import-missing = { $count ->
        [one] 1 active member is
       *[other] { $count } active members are
    } not in the file: { $keys }. To mark them as having left, import again with --prune.
cli-import-pruned = { $count ->
        [one] 1 member who is
       *[other] { $count } members who are
    } not in the file marked as having left: { $keys }
cli-import-would-prune = Would mark { $count ->
        [one] 1 member who is
       *[other] { $count } members who are
    } not in the file as having left: { $keys }

cli-migrated = The database is up to date: { $database }

cli-column-code = code
cli-column-link = link
cli-invite-all-bound = Everyone in { $branch } has linked an account already; no codes are needed.
cli-invite-footer = Codes are single-use and valid until { $until }. In Telegram the member opens the link or sends: /start CODE
cli-invite-no-username = (Set telegram.username or TELOXIDE_TOKEN to print the bot's real username in the links.)

cli-unbound-header = { $scope }: { $count ->
        [one] 1 member has
       *[other] { $count } members have
    } not linked an account:
cli-unbound-none = { $scope }: every member has linked an account.
cli-unbound-footer = To make invite codes: branchbot invite KEY, or branchbot invite --branch NAME for a whole branch.
cli-column-reach = contact

cli-members-header = { $scope }: { $count ->
        [one] 1 active member
       *[other] { $count } active members
    }:
cli-members-none = { $scope }: no active members. Import a roster with: branchbot import FILE
cli-column-telegram = telegram

cli-serve-example-loaded = No Telegram token (TELOXIDE_TOKEN) and an empty database: loaded the example college ({ $count } members).
cli-serve-listening = branchbot is listening on http://{ $addr } (health: /healthz, readiness: /readyz, metrics: { $metrics })
cli-serve-metrics-at = http://{ $addr }/metrics
cli-serve-metrics-token = /metrics, with the BRANCHBOT_METRICS_TOKEN bearer token
cli-serve-metrics-off = off
cli-telegram-unreachable = The network could not reach Telegram (api.telegram.org), as is usual on mainland networks; the token is not the problem. The console, SMS and the web dashboard run as usual; Telegram keeps retrying and works once it can be reached (or set api_url under [telegram] in branchbot.toml to a Bot API address that can be reached). On the mainland, members can use WeCom instead (see "Connecting WeCom (企业微信)" in the README).
cli-telegram-token-refused = Telegram refused the token (TELOXIDE_TOKEN): { $detail }. Check it with @BotFather and try again; without a token the console and SMS still run.
cli-serve-telegram-off =
    Telegram is off. Next steps:
      · talk to the bot here as a member: { $bin } chat --as KEY (e.g. S103)
      · connect Telegram: set TELOXIDE_TOKEN (from @BotFather) and run { $bin } serve again
      · connect SMS: configure [sms] in branchbot.toml (see "Connecting an SMS gateway" in the README)
      · connect WeCom (企业微信): configure [wecom] in branchbot.toml (see "Connecting WeCom (企业微信)" in the README)
cli-serve-console = Opening a console chat as { $name } ({ $key }). Ctrl-D leaves the chat and stops the server.
cli-anonymity-key-required =
    With PostgreSQL the anonymity key must be set, and shared by every replica: set { $variables } (for example from your deployment's secret) and start again.
    To make one: openssl rand -hex 32. See docs/PRIVACY.md.
