//! The strings of the product page, the price summary, My Favorites and the checkout's
//! title, in English and Simplified Chinese. They are apart from `i18n`'s because only pages
//! in wasm chunks show them; in `Messages` they would be in the main module every page
//! downloads first.

use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct ProductMessages {
    pub product_overview: &'static str,
    pub product_usage_guide: &'static str,
    pub product_details: &'static str,
    pub product_delivery: &'static str,
    pub product_regions: &'static str,
    pub product_seller: &'static str,
    pub product_support_hours: &'static str,
    /// Under a seller's masked e-mail and phone.
    pub product_contact_masked: &'static str,
    /// Fills in: `days`.
    pub product_trial_days: fn(&str) -> String,
    pub supervision_title: &'static str,
    /// Fills in: `days`.
    pub supervision_text: fn(&str) -> String,
    pub configure_title: &'static str,
    /// The phone's sticky bar: takes the buyer to the options, price and Continue.
    pub configure_jump: &'static str,
    pub price_total: &'static str,
    pub price_hourly_note: &'static str,
    pub price_line_software: &'static str,
    pub price_line_image: &'static str,
    pub price_line_server: &'static str,
    /// Fills in: `free_months`.
    pub price_line_discount: fn(u32) -> String,
    pub continue_to_submit: &'static str,
    pub save_to_list: &'static str,
    pub saved_to_list: &'static str,
    pub login_to_save: &'static str,
    pub favorites_title: &'static str,
    pub favorites_empty: &'static str,
    /// Fills in: `date`.
    pub favorites_saved_at: fn(&str) -> String,
    pub favorites_buy: &'static str,
    pub favorites_remove: &'static str,
    pub purchase_title: &'static str,
    pub product_seller_phone: &'static str,
}

static EN: ProductMessages = ProductMessages {
    product_overview: "Overview",
    product_usage_guide: "Usage guide",
    product_details: "Details",
    product_delivery: "Delivery method",
    product_regions: "Regions",
    product_seller: "Seller",
    product_support_hours: "Support hours",
    product_contact_masked: "The full e-mail and phone show once you have an order with this seller.",
    product_trial_days: |days| format!("{days}-day free trial"),
    supervision_title: "This product involves service supervision",
    supervision_text: |days| {
        format!(
            "After you pay, you and the seller work through a supervised service flow: you submit your request, the seller delivers, and you accept or reject the delivery. Bazaar watches deadlines, and you can appeal if the seller stalls. Service period: {days} days."
        )
    },
    configure_title: "Configure and buy",
    configure_jump: "Choose options",
    price_total: "Total",
    price_hourly_note: "Billed by the hour after provisioning; nothing is due now.",
    price_line_software: "Software",
    price_line_image: "Image fee",
    price_line_server: "Server fee",
    price_line_discount: |free_months| format!("Yearly discount ({free_months} months free per year)"),
    continue_to_submit: "Continue to Submit",
    save_to_list: "Save to List",
    saved_to_list: "Saved to List",
    login_to_save: "Log in to save",
    favorites_title: "My Favorites",
    favorites_empty: "You have not saved any products yet.",
    favorites_saved_at: |date| format!("Saved {date}"),
    favorites_buy: "Buy",
    favorites_remove: "Remove",
    purchase_title: "Confirm your order",
    product_seller_phone: "Phone",
};

static ZH_CN: ProductMessages = ProductMessages {
    product_overview: "概述",
    product_usage_guide: "使用指南",
    product_details: "详细信息",
    product_delivery: "交付方式",
    product_regions: "可用区域",
    product_seller: "卖家",
    product_support_hours: "服务时间",
    product_contact_masked: "您在该卖家有订单后，可查看完整的电子邮箱和电话。",
    product_trial_days: |days| format!("{days} 天免费试用"),
    supervision_title: "此商品含服务监管",
    supervision_text: |days| {
        format!(
            "付款后，您与卖家将在平台监管下完成服务流程：您提交需求，卖家交付，您验收或驳回。平台跟踪各项时限，卖家拖延时您可以申诉。服务周期：{days} 天。"
        )
    },
    configure_title: "配置并购买",
    configure_jump: "选择配置",
    price_total: "合计",
    price_hourly_note: "开通后按小时计费，现在无需付款。",
    price_line_software: "软件费用",
    price_line_image: "镜像费用",
    price_line_server: "云服务器费用",
    price_line_discount: |free_months| format!("包年优惠（每年免 {free_months} 个月）"),
    continue_to_submit: "继续提交",
    save_to_list: "收藏",
    saved_to_list: "已收藏",
    login_to_save: "登录后收藏",
    favorites_title: "我的收藏",
    favorites_empty: "您还没有收藏任何商品。",
    favorites_saved_at: |date| format!("收藏于 {date}"),
    favorites_buy: "购买",
    favorites_remove: "移除",
    purchase_title: "确认订单",
    product_seller_phone: "电话",
};

impl Locale {
    pub fn product_messages(self) -> &'static ProductMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Product page, price and favorites strings of the current language (reactive).
    pub fn product(&self) -> &'static ProductMessages {
        self.0.get().product_messages()
    }
}
