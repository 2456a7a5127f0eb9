//! The i18n strings of Product Unsubscription — the quote dialog, its rules and the record
//! on the order page — in English and Simplified Chinese; one struct per language, so a
//! missing string is a compile error, and a string with values is a function of them.

use bazaar_core::lifecycle::UnsubscriptionRule;
use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct UnsubscriptionMessages {
    pub unsubscribe: &'static str,
    /// Fills in: `product`.
    pub dialog_title: fn(&str) -> String,
    pub rule_window: &'static str,
    pub rule_pro_rata: &'static str,
    pub rule_nothing: &'static str,
    pub rule_negotiated: &'static str,
    pub open_flow: &'static str,
    pub loading_quote: &'static str,
    pub payment: &'static str,
    pub paid: &'static str,
    pub used: &'static str,
    pub fee: &'static str,
    pub refund: &'static str,
    pub total: &'static str,
    pub in_full: &'static str,
    /// Fills in: `channel`.
    pub refund_to: fn(&str) -> String,
    /// Fills in: `reseller`.
    pub reseller_reference: fn(&str) -> String,
    pub stops_now: &'static str,
    /// Fills in: `date`.
    pub instead_of: fn(&str) -> String,
    /// Fills in: `amount`.
    pub confirm: fn(&str) -> String,
    pub confirm_no_refund: &'static str,
    pub working: &'static str,
    pub keep: &'static str,
    /// Fills in: `amount`.
    pub quote_changed: fn(&str) -> String,
    pub unsubscribed_tag: &'static str,
    pub record_title: &'static str,
    /// Fills in: `date`, `amount`.
    pub record_summary: fn(&str, &str) -> String,
    /// Fills in: `amount`, `channel`, `order`.
    pub record_refund: fn(&str, &str, &str) -> String,
    pub record_nothing: &'static str,
}

static EN: UnsubscriptionMessages = UnsubscriptionMessages {
    unsubscribe: "Unsubscribe",
    dialog_title: |product| format!("Unsubscribe from {product}"),
    rule_window: "Within 5 days of a payment (the purchase or a renewal) that payment comes back in full. After that, the unused time of its term comes back, by the second, less a 5 % handling fee.",
    rule_pro_rata: "The unused time of each paid term comes back, by the second, less a 5 % handling fee. (Supervised services have no 5-day full refund once delivered.)",
    rule_nothing: "Pay-per-use and one-off purchases stop at once; there is nothing to refund.",
    rule_negotiated: "This supervised service is still in its service flow: leaving it is agreed with the seller on the flow's timeline.",
    open_flow: "Open Service Supervision",
    loading_quote: "Working out your refund…",
    payment: "Payment",
    paid: "Paid",
    used: "Used",
    fee: "Fee",
    refund: "Refund",
    total: "Total",
    in_full: "in full (within 5 days)",
    refund_to: |channel| format!("to {channel}"),
    reseller_reference: |reseller| format!("A reference amount: {reseller} settles it with you."),
    stops_now: "The app stops now: it is released at once, its password and links are revoked, automatic renewal is turned off and unpaid renewals of it are cancelled. The seller is told.",
    instead_of: |date| format!("It would otherwise have run until {date}."),
    confirm: |amount| format!("Unsubscribe and refund {amount}"),
    confirm_no_refund: "Unsubscribe",
    working: "Unsubscribing…",
    keep: "Keep the app",
    quote_changed: |amount| {
        format!("The refund changed to {amount} while you were deciding. Check it and confirm again.")
    },
    unsubscribed_tag: "Unsubscribed",
    record_title: "Unsubscribed",
    record_summary: |date, amount| format!("You unsubscribed on {date}. Refund: {amount}."),
    record_refund: |amount, channel, order| format!("{amount} back to {channel} (paid with order {order})"),
    record_nothing: "Nothing was refunded.",
};

static ZH_CN: UnsubscriptionMessages = UnsubscriptionMessages {
    unsubscribe: "退订",
    dialog_title: |product| format!("退订 {product}"),
    rule_window: "每笔付款（购买或续费）后 5 天内退订，该笔付款全额退还。超过 5 天，按秒退还该期限未使用的部分，并扣除 5% 的手续费。",
    rule_pro_rata: "按秒退还每个已付期限未使用的部分，并扣除 5% 的手续费。（受监管服务交付后不享受 5 天全额退款。）",
    rule_nothing: "按量付费和一次性购买立即停止，无可退金额。",
    rule_negotiated: "此受监管服务仍在服务流程中：退订需在流程时间线上与卖家协商。",
    open_flow: "打开服务监管",
    loading_quote: "正在计算退款…",
    payment: "付款",
    paid: "已付",
    used: "已使用",
    fee: "手续费",
    refund: "退款",
    total: "合计",
    in_full: "全额（5 天内）",
    refund_to: |channel| format!("退至{channel}"),
    reseller_reference: |reseller| format!("参考金额：由 {reseller} 与您结算。"),
    stops_now: "应用将立即停止：立即释放，密码和链接被收回，自动续费关闭，未支付的续费订单被取消。卖家会收到通知。",
    instead_of: |date| format!("否则它将运行至 {date}。"),
    confirm: |amount| format!("退订并退款 {amount}"),
    confirm_no_refund: "退订",
    working: "正在退订…",
    keep: "保留应用",
    quote_changed: |amount| format!("在您确认之前退款已变为 {amount}。请核对后再次确认。"),
    unsubscribed_tag: "已退订",
    record_title: "已退订",
    record_summary: |date, amount| format!("您于 {date} 退订。退款：{amount}。"),
    record_refund: |amount, channel, order| format!("{amount} 退至{channel}（付款订单 {order}）"),
    record_nothing: "没有退款。",
};

impl UnsubscriptionMessages {
    pub fn rule(&self, rule: UnsubscriptionRule) -> &'static str {
        match rule {
            UnsubscriptionRule::WindowThenProRata => self.rule_window,
            UnsubscriptionRule::ProRata => self.rule_pro_rata,
            UnsubscriptionRule::NothingToRefund => self.rule_nothing,
            UnsubscriptionRule::Negotiated => self.rule_negotiated,
        }
    }
}

impl Locale {
    pub fn unsubscription_messages(self) -> &'static UnsubscriptionMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Unsubscription strings of the current language (reactive).
    pub fn us(&self) -> &'static UnsubscriptionMessages {
        self.0.get().unsubscription_messages()
    }
}
