//! The strings of free trials (SPEC §11.3) — the product page's "Start free trial" and why
//! it is not offered, the checkout of a trial, trial apps in Purchased Apps and Renewal
//! Management, their messages and the seller's `trial_converted` notice — in English and
//! Simplified Chinese.

use bazaar_core::trials::{TrialRefusal, TrialRefusalReason};
use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct TrialMessages {
    pub start_trial: &'static str,
    /// Fills in: the date the buyer's earlier trial started.
    pub used_on: fn(&str) -> String,
    pub no_trial: &'static str,
    pub supervised: &'static str,
    pub not_yearly_monthly: &'static str,
    pub sign_in_first: &'static str,
    /// The checkout of a trial. Fills in: days, the end's date.
    pub checkout_note: fn(i64, &str) -> String,
    pub checkout_title: &'static str,
    pub checkout_submit: &'static str,
    pub starting: &'static str,
    pub blocked_intro: &'static str,
    /// Fills in: the end's date, days left.
    pub ends_on: fn(&str, i64) -> String,
    /// Fills in: the end's date.
    pub ended_on: fn(&str) -> String,
    pub buy: &'static str,
    pub auto_renew_off: &'static str,
    pub order_kind: &'static str,
    pub badge: &'static str,
    pub notice_converted: &'static str,
    /// Messages. Fill in: product, date.
    pub topic_ends_soon: fn(&str, &str) -> String,
    pub topic_ended: fn(&str, &str) -> String,
    pub topic_released: fn(&str, &str) -> String,
}

const EN: TrialMessages = TrialMessages {
    start_trial: "Start free trial",
    used_on: |date| format!("You already used this product's trial on {date}."),
    no_trial: "This product has no free trial.",
    supervised: "Supervised services have no free trial.",
    not_yearly_monthly: "Only yearly/monthly plans have a free trial.",
    sign_in_first: "Sign in to start a free trial.",
    checkout_note: |days, date| {
        format!(
            "Free trial: {days} days, nothing to pay. It ends on {date}; nothing is ever charged unless you buy it."
        )
    },
    checkout_title: "Free trial",
    checkout_submit: "Start free trial",
    starting: "Starting…",
    blocked_intro: "Before you can start the trial:",
    ends_on: |date, days| match days {
        1 => format!("Trial — ends on {date} (in 1 day)"),
        days => format!("Trial — ends on {date} (in {days} days)"),
    },
    ended_on: |date| format!("Trial ended on {date}: buy it to use it again"),
    buy: "Buy",
    auto_renew_off: "Auto-renew is off during a free trial",
    order_kind: "Free trial",
    badge: "Trial",
    notice_converted: "Trial bought",
    topic_ends_soon: |subject, date| {
        format!("Your free trial of {subject} ends on {date}. Buy it to keep it; nothing is charged otherwise.")
    },
    topic_ended: |subject, date| {
        format!("Your free trial of {subject} has ended and the app is frozen. Buy it by {date} or it is released.")
    },
    topic_released: |subject, _| format!("Your free trial of {subject} ended unbought; the app was released."),
};

const ZH_CN: TrialMessages = TrialMessages {
    start_trial: "免费试用",
    used_on: |date| format!("您已于 {date} 试用过此商品。"),
    no_trial: "此商品不提供免费试用。",
    supervised: "监管类服务不提供免费试用。",
    not_yearly_monthly: "只有包年/包月规格提供免费试用。",
    sign_in_first: "登录后即可免费试用。",
    checkout_note: |days, date| format!("免费试用 {days} 天，无需付款。试用于 {date} 结束；除非您购买，否则不会扣费。"),
    checkout_title: "免费试用",
    checkout_submit: "开始免费试用",
    starting: "正在开通…",
    blocked_intro: "开始试用前请完成：",
    ends_on: |date, days| format!("试用中 — {date} 结束（剩余 {days} 天）"),
    ended_on: |date| format!("试用已于 {date} 结束：购买后即可继续使用"),
    buy: "购买",
    auto_renew_off: "试用期间不自动续费",
    order_kind: "免费试用",
    badge: "试用",
    notice_converted: "试用转购买",
    topic_ends_soon: |subject, date| {
        format!("您对 {subject} 的免费试用将于 {date} 结束。购买即可继续使用；否则不会扣费。")
    },
    topic_ended: |subject, date| {
        format!("您对 {subject} 的免费试用已结束，应用已冻结。请在 {date} 前购买，否则将被释放。")
    },
    topic_released: |subject, _| format!("您对 {subject} 的免费试用已结束且未购买，应用已释放。"),
};

impl TrialMessages {
    /// Why the trial button is disabled, with the date of an earlier trial.
    pub fn refusal(&self, refusal: &TrialRefusal, used_on: &str) -> String {
        match refusal.reason {
            TrialRefusalReason::NoTrial => self.no_trial.to_owned(),
            TrialRefusalReason::Supervised => self.supervised.to_owned(),
            TrialRefusalReason::NotYearlyMonthly => self.not_yearly_monthly.to_owned(),
            TrialRefusalReason::AlreadyUsed => (self.used_on)(used_on),
        }
    }
}

impl Locale {
    pub fn trial_messages(self) -> &'static TrialMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Free-trial strings of the current language (reactive).
    pub fn trials(&self) -> &'static TrialMessages {
        self.0.get().trial_messages()
    }
}
