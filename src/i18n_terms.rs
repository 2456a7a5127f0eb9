//! The strings of Bazaar's terms of purchase page, in English and Simplified Chinese. The
//! numbers in them (days, percentages) are filled in from core's constants, so the page
//! always states the rules the server enforces.

use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct TermsMessages {
    pub title: &'static str,
    pub intro: &'static str,
    pub terms_heading: &'static str,
    /// Fills in: days an unpaid order stays payable.
    pub terms_text: fn(i64) -> String,
    pub expiry_heading: &'static str,
    /// Fills in: days of grace, days frozen.
    pub expiry_text: fn(i64, i64) -> String,
    pub renewal_heading: &'static str,
    /// Fills in: days before expiry auto-renew pays.
    pub renewal_text: fn(i64) -> String,
    pub leaving_heading: &'static str,
    /// Fills in: days of the full refund, the handling fee in percent.
    pub leaving_text: fn(i64, i64) -> String,
    pub supervised_heading: &'static str,
    pub supervised_text: &'static str,
    pub seller_heading: &'static str,
    pub seller_text: &'static str,
    pub checkout_link: &'static str,
}

static EN: TermsMessages = TermsMessages {
    title: "Terms of purchase",
    intro: "What you agree to when you buy in Bazaar, and what Bazaar promises you in return.",
    terms_heading: "When a subscription starts",
    terms_text: |days| {
        format!(
            "A monthly or yearly subscription starts when your payment is confirmed, not when you place the order, and runs for whole calendar months or years. An order you do not pay within {days} days is cancelled and cannot be paid any more; you are told the day before."
        )
    },
    expiry_heading: "When it expires",
    expiry_text: |grace, frozen| {
        format!(
            "For {grace} days after it expires you can still use the app and renew it. For the {frozen} days after that it is frozen: its credentials cannot be shown, and renewing brings it back. After that it is released and leaves Purchased Apps; the order stays in My Orders."
        )
    },
    renewal_heading: "Renewing",
    renewal_text: |days| {
        format!(
            "A renewal continues from the old expiry, so no day is paid twice or lost. With auto-renew on, Bazaar pays the renewal {days} days before the expiry with your payment method, at most once per term, and tries again each day if the payment fails."
        )
    },
    leaving_heading: "Leaving early",
    leaving_text: |days, percent| {
        format!(
            "Within {days} days of a payment you can unsubscribe and get all of that payment back. After that you get back the unused time of what you paid for, to the second, less a {percent} % handling fee. The refund goes back the way you paid. Pay-per-use apps stop at any time with nothing to refund."
        )
    },
    supervised_heading: "Supervised services",
    supervised_text: "For a supervised service, leaving before its delivery is complete is agreed with the seller on the service's timeline; if you cannot agree, you can appeal and Bazaar's operations staff decide.",
    seller_heading: "The seller's service agreement",
    seller_text: "What the seller delivers, how and with what support is described on the product's page (its description, usage guide and the seller's contact). That description is the seller's service agreement with you.",
    checkout_link: "Read the terms of purchase",
};

static ZH_CN: TermsMessages = TermsMessages {
    title: "购买条款",
    intro: "在 Bazaar 购买时您同意的内容，以及 Bazaar 对您的承诺。",
    terms_heading: "订阅何时开始",
    terms_text: |days| {
        format!(
            "包月或包年订阅从您的付款确认时开始计算，而不是下单时，按完整的自然月或自然年计。下单后 {days} 天内未付款的订单将被取消，之后无法再付款；取消前一天会提醒您。"
        )
    },
    expiry_heading: "到期之后",
    expiry_text: |grace, frozen| {
        format!(
            "到期后 {grace} 天内仍可使用并续费。此后 {frozen} 天为冻结期：无法查看凭据，续费即可恢复。冻结期结束后资源被释放，不再出现在已购应用中；订单仍保留在我的订单里。"
        )
    },
    renewal_heading: "续费",
    renewal_text: |days| {
        format!(
            "续费从原到期时间起算，不会重复付费，也不会少算一天。开启自动续费后，Bazaar 会在到期前 {days} 天用您的支付方式支付续费，每个周期最多一次；支付失败时每天重试。"
        )
    },
    leaving_heading: "提前退订",
    leaving_text: |days, percent| {
        format!(
            "付款后 {days} 天内可无条件退订，退还该笔付款的全部金额。此后退还已付费用中未使用的时间（精确到秒），扣除 {percent}% 的手续费。退款原路返回。按需计费的应用可随时停止，无需退款。"
        )
    },
    supervised_heading: "监管服务",
    supervised_text: "监管类服务在交付完成前退订，需在服务时间线上与卖家协商；无法达成一致时，您可以申诉，由 Bazaar 运营人员裁决。",
    seller_heading: "卖家服务协议",
    seller_text: "卖家交付什么、如何交付以及提供哪些支持，均在商品页面中说明（商品描述、使用指南和卖家联系方式）。这些说明即卖家与您的服务协议。",
    checkout_link: "阅读购买条款",
};

impl Locale {
    pub fn terms_messages(self) -> &'static TermsMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Terms-of-purchase strings of the current language (reactive).
    pub fn terms(&self) -> &'static TermsMessages {
        self.0.get().terms_messages()
    }
}
