//! The strings of the login and account pages, in English and Simplified Chinese. They are
//! apart from `i18n`'s because only those pages (a wasm chunk of their own) show them; in
//! `Messages` they would be in the main module every page downloads first.

use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct AccountMessages {
    pub logging_in: &'static str,
    pub login_title: &'static str,
    /// The login page in the document title, which adds the app's name itself.
    pub login_page_name: &'static str,
    pub login_intro: &'static str,
    pub login_username: &'static str,
    pub login_password: &'static str,
    pub login_demo_hint: &'static str,
    pub login_required_notice: &'static str,
    pub account_title: &'static str,
    pub account_contact_heading: &'static str,
    pub account_contact_hint: &'static str,
    pub sessions_title: &'static str,
    /// Fills in: `idle_minutes`, `absolute_hours` (core::security).
    pub sessions_intro: fn(i64, i64) -> String,
    pub sessions_this_device: &'static str,
    pub sessions_unknown_device: &'static str,
    pub sessions_signed_in: &'static str,
    pub sessions_last_seen: &'static str,
    pub sessions_address: &'static str,
    pub sessions_sign_out: &'static str,
    pub sessions_sign_out_everywhere: &'static str,
    pub sessions_everywhere_hint: &'static str,
    pub sessions_signed_out: &'static str,
    pub contact_mobile: &'static str,
    pub contact_iam: &'static str,
    pub account_role: &'static str,
    pub account_billed_to: &'static str,
    pub role_buyer: &'static str,
    pub role_reseller_customer: &'static str,
    pub role_seller: &'static str,
    pub role_operations: &'static str,
    pub err_login_failed: &'static str,
}

static EN: AccountMessages = AccountMessages {
    logging_in: "Logging in…",
    login_title: "Log in to Bazaar",
    login_page_name: "Log in",
    login_intro: "Log in to buy software, use what you bought, and follow your service deliveries.",
    login_username: "User name",
    login_password: "Password",
    login_demo_hint: "Demo: log in as lin.wei with the password bazaar-demo (the README lists every demo account).",
    login_required_notice: "Please log in to see this page.",
    account_title: "My Account",
    account_contact_heading: "Contact profile",
    account_contact_hint: "Sellers of some SaaS products ask to use one of these to create your app account; you decide at checkout.",
    sessions_title: "Signed-in devices",
    sessions_intro: |idle_minutes, absolute_hours| {
        format!(
            "A sign-in ends after {idle_minutes} minutes without use, and {absolute_hours} hours after the password was entered. Sign out any device you do not recognise, then change your password."
        )
    },
    sessions_this_device: "This device",
    sessions_unknown_device: "Unknown browser",
    sessions_signed_in: "Signed in",
    sessions_last_seen: "Last active",
    sessions_address: "Network address",
    sessions_sign_out: "Sign out",
    sessions_sign_out_everywhere: "Sign out everywhere",
    sessions_everywhere_hint: "Ends every sign-in of this account, this one included.",
    sessions_signed_out: "Signed out.",
    contact_mobile: "Mobile number",
    contact_iam: "IAM user name",
    account_role: "Account type",
    account_billed_to: "Billed to reseller",
    role_buyer: "Buyer",
    role_reseller_customer: "Reseller customer",
    role_seller: "Seller",
    role_operations: "Operations manager",
    err_login_failed: "Wrong user name or password.",
};

static ZH_CN: AccountMessages = AccountMessages {
    logging_in: "正在登录…",
    login_title: "登录 Bazaar",
    login_page_name: "登录",
    login_intro: "登录后即可购买软件、使用已购应用并跟进服务交付。",
    login_username: "用户名",
    login_password: "密码",
    login_demo_hint: "演示：用户名 lin.wei，密码 bazaar-demo（README 列出了所有演示账号）。",
    login_required_notice: "请先登录再查看此页面。",
    account_title: "我的账号",
    account_contact_heading: "联系信息",
    account_contact_hint: "部分 SaaS 商品的卖家需使用其中一项为您创建应用账号，是否授权由您在下单时决定。",
    sessions_title: "已登录的设备",
    sessions_intro: |idle_minutes, absolute_hours| {
        format!(
            "登录状态在 {idle_minutes} 分钟无操作后或输入密码 {absolute_hours} 小时后结束。如发现不认识的设备，请将其退出并修改密码。"
        )
    },
    sessions_this_device: "本设备",
    sessions_unknown_device: "未知浏览器",
    sessions_signed_in: "登录时间",
    sessions_last_seen: "最近活动",
    sessions_address: "网络地址",
    sessions_sign_out: "退出登录",
    sessions_sign_out_everywhere: "在所有设备上退出",
    sessions_everywhere_hint: "结束此账号的所有登录，包括当前设备。",
    sessions_signed_out: "已退出登录。",
    contact_mobile: "手机号码",
    contact_iam: "IAM 用户名",
    account_role: "账号类型",
    account_billed_to: "结算经销商",
    role_buyer: "买家",
    role_reseller_customer: "经销商客户",
    role_seller: "卖家",
    role_operations: "运营经理",
    err_login_failed: "用户名或密码错误。",
};

impl Locale {
    pub fn account_messages(self) -> &'static AccountMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Login and account strings of the current language (reactive).
    pub fn account(&self) -> &'static AccountMessages {
        self.0.get().account_messages()
    }
}
