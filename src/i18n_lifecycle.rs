//! The i18n strings of what follows a purchase — expiry phases, renewals, auto-renew and
//! messages — in English and Simplified Chinese; one struct per language, so a missing
//! string is a compile error, and a string with values is a function of them.

use bazaar_core::lifecycle::{Phase, RenewalFilter};
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
    pub nav_renewals: &'static str,
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
    nav_renewals: "Renewal Management",
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
    nav_renewals: "续费管理",
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
};

impl LifecycleMessages {
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
