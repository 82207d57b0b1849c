-- CHECK constraints on the rest of the text columns that hold enums (0027 did the first
-- ones): members' role and locale, meetings' kind and status, the inbox's and outbox's channel
-- and status, the channel of bindings, conversations and notice recipients, and a notice's
-- escalation. The values are exactly what the code writes (domain::org::Role, i18n::Locale,
-- domain::meetings::MeetingKind, chat::ChannelKind, store::inbox, store::outbox::Outcome,
-- store::pushes, store::sms, store::notices::set_escalation); a row holding anything else makes
-- this migration fail, naming the constraint. The names match SQLite's (its 0029 rebuilds the
-- tables), so both report the same constraint. Adding a CHECK rewrites no row: the sealed
-- payloads and bodies stay as they were written (docs/PRIVACY.md).

ALTER TABLE members
    ADD CONSTRAINT members_role_check CHECK (role IN ('secretary', 'deputy_secretary',
        'committee_member', 'group_leader', 'member', 'probationary', 'activist', 'masses')),
    ADD CONSTRAINT members_locale_check CHECK (locale IN ('zh-CN', 'en'));

ALTER TABLE bindings
    ADD CONSTRAINT bindings_channel_check
        CHECK (channel IN ('telegram', 'console', 'sms', 'wecom'));

ALTER TABLE inbox
    ADD CONSTRAINT inbox_channel_check CHECK (channel IN ('telegram', 'console', 'sms', 'wecom')),
    ADD CONSTRAINT inbox_status_check CHECK (status IN ('pending', 'done', 'ignored', 'failed'));

ALTER TABLE conversations
    ADD CONSTRAINT conversations_channel_check
        CHECK (channel IN ('telegram', 'console', 'sms', 'wecom'));

ALTER TABLE outbox
    ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('telegram', 'console', 'sms', 'wecom')),
    ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'delivered',
        'failed', 'blocked', 'expired', 'held', 'digested'));

ALTER TABLE meetings
    ADD CONSTRAINT meetings_kind_check CHECK (kind IN ('general', 'committee', 'group', 'lesson',
        'themed_day', 'life', 'other')),
    ADD CONSTRAINT meetings_status_check CHECK (status IN ('scheduled', 'cancelled'));

ALTER TABLE notices
    ADD CONSTRAINT notices_escalation_check
        CHECK (escalation IN ('scheduled', 'pending', 'sent'));

ALTER TABLE notice_recipients
    ADD CONSTRAINT notice_recipients_channel_check
        CHECK (channel IN ('telegram', 'console', 'sms', 'wecom'));
