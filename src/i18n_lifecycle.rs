//! The i18n strings of what follows a purchase — expiry phases, renewals, auto-renew and
//! messages — in English and Simplified Chinese; one struct per language, so a missing
//! string is a compile error, and a string with values is a function of them.

use bazaar_core::lifecycle::{Phase, RenewalFilter};
use bazaar_core::messages::{MessageGroup, MessageTopic};
use bazaar_core::notices::{NoticeKind, NoticeState};
use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct LifecycleMessages {
    pub phase_active: &'static str,
    pub phase_grace: &'static str,
    pub phase_frozen: &'static str,
    pub phase_released: &'static str,
    /// Fills in: `expired`, `renew_by`.
    pub grace_banner: fn(&str, &str) -> String,
    /// Fills in: `frozen`, `released`.
    pub frozen_banner: fn(&str, &str) -> String,
    pub frozen_password: &'static str,
    pub renew_now: &'static str,
    pub renewals_title: &'static str,
    pub renewals_intro: &'static str,
    pub renewals_filter_label: &'static str,
    pub filter_all: &'static str,
    pub filter_within_7_days: &'static str,
    pub filter_within_15_days: &'static str,
    pub filter_within_30_days: &'static str,
    pub filter_expired: &'static str,
    pub filter_frozen: &'static str,
    pub renewals_empty: &'static str,
    /// Fills in: `count`.
    pub renewals_selected: fn(usize) -> String,
    pub renew_selected: &'static str,
    pub renewing: &'static str,
    /// Fills in: `name`.
    pub select_app: fn(&str) -> String,
    pub awaiting_payment: &'static str,
    pub not_sold: &'static str,
    pub period: &'static str,
    /// Fills in: `date`, `days`.
    pub expires_in: fn(&str, i64) -> String,
    /// Fills in: `date`.
    pub expired_on: fn(&str) -> String,
    pub auto_renew: &'static str,
    /// Fills in: `period`.
    pub auto_renew_on: fn(&str) -> String,
    pub order_kind_renewal: &'static str,
    pub renewal_lines_title: &'static str,
    /// Fills in: `period`, `from`, `until`.
    pub renewal_line: fn(&str, &str, &str) -> String,
    pub nav_messages: &'static str,
    pub messages_title: &'static str,
    pub messages_filter_label: &'static str,
    pub group_all: &'static str,
    pub group_renewals: &'static str,
    pub group_orders: &'static str,
    pub group_supervision: &'static str,
    pub group_billing: &'static str,
    pub unread_only: &'static str,
    pub mark_read: &'static str,
    pub mark_all_read: &'static str,
    pub messages_empty: &'static str,
    pub unread: &'static str,
    /// A message sent late (the sweeper was down). Fills in: `date` (when it fell due).
    pub sent_late: fn(&str) -> String,
    /// Each topic: fills in `subject` (a product) and `date` (see MessageTopic).
    pub topic_expires_soon: fn(&str, &str) -> String,
    pub topic_will_renew: fn(&str, &str) -> String,
    pub topic_expired: fn(&str, &str) -> String,
    pub topic_frozen: fn(&str, &str) -> String,
    pub topic_releases_soon: fn(&str, &str) -> String,
    pub topic_released: fn(&str, &str) -> String,
    pub topic_auto_renewed: fn(&str, &str) -> String,
    pub topic_auto_renew_failed: fn(&str, &str) -> String,
    pub topic_provisioning_failed: fn(&str, &str) -> String,
    pub topic_unsubscribed: fn(&str, &str) -> String,
    pub topic_unpaid: fn(&str, &str) -> String,
    pub topic_your_turn: fn(&str, &str) -> String,
    pub topic_appeal_opened: fn(&str, &str) -> String,
    pub topic_appeal_resolved: fn(&str, &str) -> String,
    pub topic_flow_completed: fn(&str, &str) -> String,
    pub topic_usage_charge_failed: fn(&str, &str) -> String,
    pub topic_usage_frozen: fn(&str, &str) -> String,
    pub topic_usage_released: fn(&str, &str) -> String,
    pub topic_usage_reinstated: fn(&str, &str) -> String,
    pub topic_cap_warning: fn(&str, &str) -> String,
    pub topic_cap_reached: fn(&str, &str) -> String,
    pub notices_title: &'static str,
    pub notices_intro: &'static str,
    pub notices_only_sellers: &'static str,
    pub notices_empty: &'static str,
    pub notice_event: &'static str,
    pub notice_app: &'static str,
    pub notice_occurred: &'static str,
    pub notice_delivery: &'static str,
    pub notice_renewed: &'static str,
    pub notice_suspended: &'static str,
    pub notice_reinstated: &'static str,
    pub notice_released: &'static str,
    pub notice_unsubscribed: &'static str,
    pub notice_queued: &'static str,
    pub notice_delivered: &'static str,
    pub notice_failed: &'static str,
    /// Fills in: `count`.
    pub notice_attempts: fn(u32) -> String,
}

static EN: LifecycleMessages = LifecycleMessages {
    phase_active: "Active",
    phase_grace: "Expired · grace period",
    phase_frozen: "Frozen",
    phase_released: "Released",
    grace_banner: |expired, renew_by| format!("Expired on {expired} — renew by {renew_by} to keep it."),
    frozen_banner: |frozen, released| {
        format!("Frozen since {frozen}: the password and links are locked. Renew by {released} or the app is released.")
    },
    frozen_password: "Locked while the app is frozen — renew it to see the password again.",
    renew_now: "Renew",
    renewals_title: "Renewal Management",
    renewals_intro: "Renew one app or several in one payment. A renewal always continues from the current expiry date, so renewing early loses nothing.",
    renewals_filter_label: "Show",
    filter_all: "All",
    filter_within_7_days: "Expiring within 7 days",
    filter_within_15_days: "Within 15 days",
    filter_within_30_days: "Within 30 days",
    filter_expired: "Expired",
    filter_frozen: "Frozen",
    renewals_empty: "No apps to renew here.",
    renewals_selected: |count| match count {
        1 => "1 app selected".to_owned(),
        _ => format!("{count} apps selected"),
    },
    renew_selected: "Renew selected",
    renewing: "Placing the renewal…",
    select_app: |name| format!("Select {name} for renewal"),
    awaiting_payment: "A renewal of this app is waiting for payment",
    not_sold: "No longer sold: it cannot be renewed.",
    period: "Renewal period",
    expires_in: |date, days| match days {
        1 => format!("Expires on {date} (tomorrow)"),
        _ => format!("Expires on {date} (in {days} days)"),
    },
    expired_on: |date| format!("Expired on {date}"),
    auto_renew: "Renew automatically",
    auto_renew_on: |period| format!("Renews automatically for {period}"),
    order_kind_renewal: "Renewal",
    renewal_lines_title: "Apps renewed",
    renewal_line: |period, from, until| format!("{period}: from {from} to {until}"),
    nav_messages: "Messages",
    messages_title: "Messages",
    messages_filter_label: "Show messages about",
    group_all: "Everything",
    group_renewals: "Expiry and renewals",
    group_orders: "Orders",
    group_supervision: "Service supervision",
    group_billing: "Billing",
    unread_only: "Unread only",
    mark_read: "Mark as read",
    mark_all_read: "Mark all as read",
    messages_empty: "No messages here.",
    unread: "Unread",
    sent_late: |date| format!("Sent late: this was due on {date}"),
    topic_expires_soon: |subject, date| format!("{subject} expires on {date}. Renew it to keep using it."),
    topic_will_renew: |subject, date| format!("{subject} renews automatically on {date}."),
    topic_expired: |subject, date| format!("{subject} has expired. It stays usable until {date}; renew it to keep it."),
    topic_frozen: |subject, date| {
        format!("{subject} is frozen: its password and links are locked. Renew it by {date} or it is released.")
    },
    topic_releases_soon: |subject, date| format!("{subject} is released on {date} unless you renew it."),
    topic_released: |subject, _date| format!("{subject} was released. Its order stays in My Orders."),
    topic_auto_renewed: |subject, date| format!("{subject} was renewed automatically; the new term ends on {date}."),
    topic_auto_renew_failed: |subject, date| {
        format!(
            "{subject} could not be renewed automatically. It is tried again on {date}; check your payment methods."
        )
    },
    topic_provisioning_failed: |subject, _date| format!("{subject} could not be set up; your payment was refunded."),
    topic_unsubscribed: |subject, _date| {
        format!("You unsubscribed from {subject}. It was released; the order shows your refund.")
    },
    topic_unpaid: |subject, date| format!("Your order for {subject} is cancelled on {date} unless you pay it."),
    topic_your_turn: |subject, _date| format!("{subject}: it is your turn in the service flow."),
    topic_appeal_opened: |subject, _date| format!("{subject}: an appeal was opened; operations will decide."),
    topic_appeal_resolved: |subject, _date| format!("{subject}: operations resolved the appeal."),
    topic_flow_completed: |subject, _date| format!("{subject}: the service flow is completed."),
    topic_usage_charge_failed: |subject, date| {
        format!("{subject}: a usage charge failed. Pay what is outstanding by {date}, or the app is frozen.")
    },
    topic_usage_frozen: |subject, date| {
        format!("{subject} is frozen for unpaid usage. Pay what is outstanding by {date}, or it is released.")
    },
    topic_usage_released: |subject, _date| format!("{subject} was released for unpaid usage."),
    topic_usage_reinstated: |subject, _date| format!("{subject}: the outstanding usage is paid; it is usable again."),
    topic_cap_warning: |subject, _date| format!("{subject} has spent 80 % of this month's spending cap."),
    topic_cap_reached: |subject, date| {
        format!(
            "{subject} reached this month's spending cap: it is suspended until {date}, or until you raise the cap."
        )
    },
    notices_title: "Lifecycle notices",
    notices_intro: "What Bazaar told your system about your customers' apps: renewed, suspended when frozen, reinstated when renewed, released, unsubscribed, a trial bought. Each event is signed with your provisioning key and retried until your system answers.",
    notices_only_sellers: "Only sellers receive lifecycle notices.",
    notices_empty: "No notices yet.",
    notice_event: "Event",
    notice_app: "App",
    notice_occurred: "Occurred",
    notice_delivery: "Delivery",
    notice_renewed: "Renewed",
    notice_suspended: "Suspend (frozen)",
    notice_reinstated: "Reinstate",
    notice_released: "Release",
    notice_unsubscribed: "Unsubscribed",
    notice_queued: "Waiting to retry",
    notice_delivered: "Delivered",
    notice_failed: "Failed",
    notice_attempts: |count| match count {
        1 => "1 try".to_owned(),
        _ => format!("{count} tries"),
    },
};

static ZH_CN: LifecycleMessages = LifecycleMessages {
    phase_active: "使用中",
    phase_grace: "已到期 · 宽限期",
    phase_frozen: "已冻结",
    phase_released: "已释放",
    grace_banner: |expired, renew_by| format!("已于 {expired} 到期——请在 {renew_by} 前续费以保留该应用。"),
    frozen_banner: |frozen, released| {
        format!("自 {frozen} 起已冻结：密码和链接已锁定。请在 {released} 前续费，否则应用将被释放。")
    },
    frozen_password: "应用冻结期间不可查看——续费后即可再次查看密码。",
    renew_now: "续费",
    renewals_title: "续费管理",
    renewals_intro: "可单个续费，也可多个应用一次支付。续费总是从当前到期日接续，提前续费不会损失时长。",
    renewals_filter_label: "显示",
    filter_all: "全部",
    filter_within_7_days: "7 天内到期",
    filter_within_15_days: "15 天内",
    filter_within_30_days: "30 天内",
    filter_expired: "已到期",
    filter_frozen: "已冻结",
    renewals_empty: "这里没有需要续费的应用。",
    renewals_selected: |count| format!("已选 {count} 个应用"),
    renew_selected: "续费所选",
    renewing: "正在提交续费…",
    select_app: |name| format!("选择续费 {name}"),
    awaiting_payment: "该应用的续费订单待支付",
    not_sold: "已停售，无法续费。",
    period: "续费时长",
    expires_in: |date, days| match days {
        1 => format!("{date} 到期（明天）"),
        _ => format!("{date} 到期（{days} 天后）"),
    },
    expired_on: |date| format!("已于 {date} 到期"),
    auto_renew: "自动续费",
    auto_renew_on: |period| format!("自动续费，每次 {period}"),
    order_kind_renewal: "续费",
    renewal_lines_title: "续费的应用",
    renewal_line: |period, from, until| format!("{period}：{from} 至 {until}"),
    nav_messages: "消息",
    messages_title: "消息中心",
    messages_filter_label: "显示消息类别",
    group_all: "全部",
    group_renewals: "到期与续费",
    group_orders: "订单",
    group_supervision: "服务监管",
    group_billing: "费用",
    unread_only: "仅看未读",
    mark_read: "标为已读",
    mark_all_read: "全部标为已读",
    messages_empty: "这里没有消息。",
    unread: "未读",
    sent_late: |date| format!("延迟发送：本应于 {date} 发送"),
    topic_expires_soon: |subject, date| format!("{subject} 将于 {date} 到期，请续费以继续使用。"),
    topic_will_renew: |subject, date| format!("{subject} 将于 {date} 自动续费。"),
    topic_expired: |subject, date| format!("{subject} 已到期，可继续使用至 {date}；请续费以保留该应用。"),
    topic_frozen: |subject, date| format!("{subject} 已冻结：密码和链接已锁定。请在 {date} 前续费，否则将被释放。"),
    topic_releases_soon: |subject, date| format!("{subject} 将于 {date} 释放，除非您续费。"),
    topic_released: |subject, _date| format!("{subject} 已释放，订单仍保留在“我的订单”中。"),
    topic_auto_renewed: |subject, date| format!("{subject} 已自动续费，新周期至 {date}。"),
    topic_auto_renew_failed: |subject, date| {
        format!("{subject} 自动续费未成功，将于 {date} 再次尝试；请检查您的支付方式。")
    },
    topic_provisioning_failed: |subject, _date| format!("{subject} 开通失败，款项已退回。"),
    topic_unsubscribed: |subject, _date| format!("您已退订 {subject}。应用已释放，订单中显示您的退款。"),
    topic_unpaid: |subject, date| format!("您购买 {subject} 的订单如未支付，将于 {date} 自动取消。"),
    topic_your_turn: |subject, _date| format!("{subject}：服务流程轮到您处理。"),
    topic_appeal_opened: |subject, _date| format!("{subject}：已发起申诉，将由运营人员裁决。"),
    topic_appeal_resolved: |subject, _date| format!("{subject}：运营人员已处理申诉。"),
    topic_flow_completed: |subject, _date| format!("{subject}：服务流程已完成。"),
    topic_usage_charge_failed: |subject, date| {
        format!("{subject}：使用费扣款失败。请在 {date} 前支付欠费，否则应用将被冻结。")
    },
    topic_usage_frozen: |subject, date| format!("{subject} 因欠费已冻结。请在 {date} 前支付欠费，否则将被释放。"),
    topic_usage_released: |subject, _date| format!("{subject} 因欠费已被释放。"),
    topic_usage_reinstated: |subject, _date| format!("{subject}：欠费已付清，应用已恢复可用。"),
    topic_cap_warning: |subject, _date| format!("{subject} 本月费用已达到消费上限的 80%。"),
    topic_cap_reached: |subject, date| {
        format!("{subject} 本月费用已达到消费上限：应用暂停至 {date}，或直到您提高上限。")
    },
    notices_title: "生命周期通知",
    notices_intro: "Bazaar 向您的系统发送的客户应用事件：已续费、冻结时暂停、续费后恢复、释放、退订、试用转购买。每个事件都用您的开通密钥签名，并会重试直到您的系统响应。",
    notices_only_sellers: "只有卖家会收到生命周期通知。",
    notices_empty: "暂无通知。",
    notice_event: "事件",
    notice_app: "应用",
    notice_occurred: "发生时间",
    notice_delivery: "送达情况",
    notice_renewed: "已续费",
    notice_suspended: "暂停（已冻结）",
    notice_reinstated: "恢复",
    notice_released: "释放",
    notice_unsubscribed: "已退订",
    notice_queued: "等待重试",
    notice_delivered: "已送达",
    notice_failed: "失败",
    notice_attempts: |count| format!("尝试 {count} 次"),
};

impl LifecycleMessages {
    pub fn notice_kind(&self, kind: NoticeKind) -> &'static str {
        match kind {
            NoticeKind::Renewed => self.notice_renewed,
            NoticeKind::Suspended => self.notice_suspended,
            NoticeKind::Reinstated => self.notice_reinstated,
            NoticeKind::Released => self.notice_released,
            NoticeKind::Unsubscribed => self.notice_unsubscribed,
            NoticeKind::TrialConverted => trials_of(self).notice_converted,
        }
    }

    pub fn notice_state(&self, state: NoticeState) -> &'static str {
        match state {
            NoticeState::Queued => self.notice_queued,
            NoticeState::Delivered => self.notice_delivered,
            NoticeState::Failed => self.notice_failed,
        }
    }

    /// What a message says, with its product and date filled in.
    pub fn topic(&self, topic: MessageTopic, subject: &str, date: &str) -> String {
        let text = match topic {
            MessageTopic::ExpiresSoon => self.topic_expires_soon,
            MessageTopic::WillRenewAutomatically => self.topic_will_renew,
            MessageTopic::Expired => self.topic_expired,
            MessageTopic::Frozen => self.topic_frozen,
            MessageTopic::ReleasesSoon => self.topic_releases_soon,
            MessageTopic::Released => self.topic_released,
            MessageTopic::AutoRenewed => self.topic_auto_renewed,
            MessageTopic::AutoRenewFailed => self.topic_auto_renew_failed,
            MessageTopic::ProvisioningFailed => self.topic_provisioning_failed,
            MessageTopic::Unsubscribed => self.topic_unsubscribed,
            MessageTopic::UnpaidOrderCancelsSoon => self.topic_unpaid,
            MessageTopic::FlowYourTurn => self.topic_your_turn,
            MessageTopic::AppealOpened => self.topic_appeal_opened,
            MessageTopic::AppealResolved => self.topic_appeal_resolved,
            MessageTopic::FlowCompleted => self.topic_flow_completed,
            MessageTopic::UsageChargeFailed => self.topic_usage_charge_failed,
            MessageTopic::UsageFrozen => self.topic_usage_frozen,
            MessageTopic::UsageReleased => self.topic_usage_released,
            MessageTopic::UsageReinstated => self.topic_usage_reinstated,
            MessageTopic::SpendingCapWarning => self.topic_cap_warning,
            MessageTopic::SpendingCapReached => self.topic_cap_reached,
            MessageTopic::TrialEndsSoon => trials_of(self).topic_ends_soon,
            MessageTopic::TrialEnded => trials_of(self).topic_ended,
            MessageTopic::TrialReleased => trials_of(self).topic_released,
            MessageTopic::InvoiceIssued => invoices_of(self).topic_issued,
            MessageTopic::InvoiceRejected => invoices_of(self).topic_rejected,
            MessageTopic::InvoiceOverdue => invoices_of(self).topic_overdue,
            MessageTopic::TicketNeedsAnswer => support_of(self).topic_needs_answer,
            MessageTopic::TicketAnswered => support_of(self).topic_answered,
            MessageTopic::TicketResolved => support_of(self).topic_resolved,
            MessageTopic::TicketEscalated => support_of(self).topic_escalated,
            MessageTopic::TicketClosed => support_of(self).topic_closed,
            MessageTopic::TicketSellerLate => support_of(self).topic_seller_late,
            MessageTopic::TicketOverdue => support_of(self).topic_overdue,
        };
        text(subject, date)
    }

    pub fn group(&self, group: Option<MessageGroup>) -> &'static str {
        match group {
            None => self.group_all,
            Some(MessageGroup::Renewals) => self.group_renewals,
            Some(MessageGroup::Orders) => self.group_orders,
            Some(MessageGroup::Supervision) => self.group_supervision,
            Some(MessageGroup::Billing) => self.group_billing,
            Some(MessageGroup::Support) => support_of(self).group,
        }
    }

    pub fn filter(&self, filter: Option<RenewalFilter>) -> &'static str {
        match filter {
            None => self.filter_all,
            Some(RenewalFilter::Within7Days) => self.filter_within_7_days,
            Some(RenewalFilter::Within15Days) => self.filter_within_15_days,
            Some(RenewalFilter::Within30Days) => self.filter_within_30_days,
            Some(RenewalFilter::Expired) => self.filter_expired,
            Some(RenewalFilter::Frozen) => self.filter_frozen,
        }
    }

    pub fn phase(&self, phase: Phase) -> &'static str {
        match phase {
            Phase::Active => self.phase_active,
            Phase::Grace => self.phase_grace,
            Phase::Frozen => self.phase_frozen,
            Phase::Released => self.phase_released,
        }
    }
}

/// The language of `messages` (the trial and invoice strings of that language are apart).
fn locale_of(messages: &LifecycleMessages) -> Locale {
    if std::ptr::eq(messages, &ZH_CN) { Locale::ZhCn } else { Locale::En }
}

fn invoices_of(messages: &LifecycleMessages) -> &'static crate::i18n_invoices::InvoiceMessages {
    locale_of(messages).invoice_messages()
}

fn support_of(messages: &LifecycleMessages) -> &'static crate::i18n_support::SupportMessages {
    locale_of(messages).support_messages()
}

fn trials_of(messages: &LifecycleMessages) -> &'static crate::i18n_trials::TrialMessages {
    locale_of(messages).trial_messages()
}

impl Locale {
    pub fn lifecycle_messages(self) -> &'static LifecycleMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Lifecycle strings of the current language (reactive).
    pub fn lc(&self) -> &'static LifecycleMessages {
        self.0.get().lifecycle_messages()
    }
}
