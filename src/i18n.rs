//! The i18n layer: every user-visible string, in English and Simplified Chinese.
//!
//! Each language is one value of the `Messages` struct, so a string missing from either
//! language is a compile error rather than a blank on screen. Strings with values to fill
//! in use `{name}` placeholders and [`fill`].

use bazaar_core::error::{ErrorCode, FieldError};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    ZhCn,
}

const STORAGE_KEY: &str = "bazaar.locale";

impl Locale {
    /// The BCP 47 tag, for `<html lang>` and `Intl` formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    fn from_tag(tag: &str) -> Option<Locale> {
        match tag {
            "en" => Some(Locale::En),
            "zh-CN" => Some(Locale::ZhCn),
            _ => None,
        }
    }

    pub fn messages(self) -> &'static Messages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

/// The chosen language in context.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Locale>);

impl I18n {
    /// The messages of the current language (reactive: re-renders on a switch).
    pub fn t(&self) -> &'static Messages {
        self.0.get().messages()
    }

    pub fn locale(&self) -> Locale {
        self.0.get()
    }

    /// Switches language, remembers the choice, and updates `<html lang>`.
    pub fn set(&self, locale: Locale) {
        self.0.set(locale);
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(STORAGE_KEY, locale.tag());
        }
        apply_document_language(locale);
    }
}

/// The remembered language, else the browser's preference.
pub fn initial_locale() -> Locale {
    let remembered = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| Locale::from_tag(&tag));
    remembered.unwrap_or_else(|| {
        let browser = window().navigator().language().unwrap_or_default();
        if browser.to_ascii_lowercase().starts_with("zh") { Locale::ZhCn } else { Locale::En }
    })
}

pub fn apply_document_language(locale: Locale) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", locale.tag());
    }
    document().set_title(locale.messages().app_name);
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

impl Messages {
    /// The message for an API error code, in this language.
    pub fn error_code(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::BadRequest => self.err_bad_request,
            ErrorCode::ValidationFailed => self.err_validation,
            ErrorCode::Unauthenticated => self.err_unauthenticated,
            ErrorCode::ReauthenticationRequired => self.err_reauthentication,
            ErrorCode::Forbidden => self.err_forbidden,
            ErrorCode::NotFound => self.err_not_found,
            ErrorCode::Conflict => self.err_conflict,
            ErrorCode::PreconditionFailed => self.err_precondition,
            ErrorCode::IdempotencyKeyReused => self.err_idempotency,
            ErrorCode::RateLimited => self.err_rate_limited,
            ErrorCode::InsufficientBalance => self.err_insufficient_balance,
            ErrorCode::PaymentDeclined => self.err_payment_declined,
            ErrorCode::RuleViolation => self.err_rule,
            ErrorCode::Internal | ErrorCode::Unknown => self.err_internal,
        }
    }

    /// The message for a field error: translated when its code is known, else the
    /// server's own (English) explanation.
    pub fn field_error(&self, error: &FieldError) -> String {
        let known = match error.code.as_str() {
            "required" => Some(self.field_required),
            "too_long" => Some(self.field_too_long),
            "wrong_password" => Some(self.field_wrong_password),
            _ => None,
        };
        known.map(str::to_owned).unwrap_or_else(|| error.message.clone())
    }
}

/// Every user-visible string of the SPA.
pub struct Messages {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_catalog: &'static str,
    pub nav_favorites: &'static str,
    pub nav_orders: &'static str,
    pub nav_purchased_apps: &'static str,
    pub nav_supervision: &'static str,
    pub nav_seller_console: &'static str,
    pub nav_operations: &'static str,
    pub nav_account: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub language_label: &'static str,
    pub language_switch_to: &'static str,
    pub account_menu_label: &'static str,
    pub log_in: &'static str,
    pub log_out: &'static str,
    pub logging_in: &'static str,
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub login_username: &'static str,
    pub login_password: &'static str,
    pub login_demo_hint: &'static str,
    pub login_required_notice: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub error_title: &'static str,
    pub error_network: &'static str,
    pub error_unexpected: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub account_title: &'static str,
    pub account_contact_heading: &'static str,
    pub account_contact_hint: &'static str,
    pub contact_mobile: &'static str,
    pub contact_email: &'static str,
    pub contact_iam: &'static str,
    pub account_role: &'static str,
    pub account_billed_to: &'static str,
    pub role_buyer: &'static str,
    pub role_reseller_customer: &'static str,
    pub role_seller: &'static str,
    pub role_operations: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_browse_all: &'static str,
    pub footer_text: &'static str,
    pub err_bad_request: &'static str,
    pub err_validation: &'static str,
    pub err_unauthenticated: &'static str,
    pub err_reauthentication: &'static str,
    pub err_forbidden: &'static str,
    pub err_not_found: &'static str,
    pub err_conflict: &'static str,
    pub err_precondition: &'static str,
    pub err_idempotency: &'static str,
    pub err_rate_limited: &'static str,
    pub err_insufficient_balance: &'static str,
    pub err_payment_declined: &'static str,
    pub err_rule: &'static str,
    pub err_internal: &'static str,
    pub err_login_failed: &'static str,
    pub field_required: &'static str,
    pub field_too_long: &'static str,
    pub field_wrong_password: &'static str,
}

pub static EN: Messages = Messages {
    app_name: "Bazaar",
    tagline: "Cloud software, bought with confidence",
    skip_to_content: "Skip to main content",
    nav_label: "Main",
    nav_home: "Home",
    nav_catalog: "Catalog",
    nav_favorites: "My Favorites",
    nav_orders: "My Orders",
    nav_purchased_apps: "Purchased Apps",
    nav_supervision: "Service Supervision",
    nav_seller_console: "Seller Console",
    nav_operations: "Operations",
    nav_account: "My Account",
    search_label: "Search products",
    search_placeholder: "Search software, sellers, tags…",
    search_button: "Search",
    language_label: "Language",
    language_switch_to: "中文",
    account_menu_label: "Account",
    log_in: "Log in",
    log_out: "Log out",
    logging_in: "Logging in…",
    login_title: "Log in to Bazaar",
    login_intro: "Log in to buy software, use what you bought, and follow your service deliveries.",
    login_username: "User name",
    login_password: "Password",
    login_demo_hint: "Demo: log in as lin.wei with the password bazaar-demo (the README lists every demo account).",
    login_required_notice: "Please log in to see this page.",
    loading: "Loading…",
    retry: "Try again",
    error_title: "Something went wrong",
    error_network: "We could not reach Bazaar. Check your connection and try again.",
    error_unexpected: "This part of the page failed to display.",
    not_found_title: "Page not found",
    not_found_text: "There is nothing at this address. It may have moved, or the link may be mistyped.",
    back_home: "Back to the home page",
    account_title: "My Account",
    account_contact_heading: "Contact profile",
    account_contact_hint: "Sellers of some SaaS products ask to use one of these to create your app account; you decide at checkout.",
    contact_mobile: "Mobile number",
    contact_email: "E-mail",
    contact_iam: "IAM user name",
    account_role: "Account type",
    account_billed_to: "Billed to reseller",
    role_buyer: "Buyer",
    role_reseller_customer: "Reseller customer",
    role_seller: "Seller",
    role_operations: "Operations manager",
    home_title: "Find the software your team needs",
    home_intro: "SaaS, images, licenses and professional services from vetted sellers — with deliveries supervised until you accept them.",
    home_browse_all: "Browse the catalog",
    footer_text: "Bazaar — a cloud-software marketplace demo.",
    err_bad_request: "The request could not be understood.",
    err_validation: "Please correct the highlighted fields.",
    err_unauthenticated: "Please log in.",
    err_reauthentication: "Enter your password again to continue.",
    err_forbidden: "You are not allowed to do this.",
    err_not_found: "We could not find this. It may not exist, or it may not be yours.",
    err_conflict: "This cannot be done in the current state.",
    err_precondition: "This changed since you loaded it. Reload and try again.",
    err_idempotency: "This checkout attempt was already used for a different order. Start the checkout again.",
    err_rate_limited: "Too many attempts. Please wait a moment and try again.",
    err_insufficient_balance: "Your balance does not cover this amount. Nothing was charged.",
    err_payment_declined: "The payment was declined. Nothing was charged.",
    err_rule: "This is not allowed right now.",
    err_internal: "Something went wrong on our side. Please try again.",
    err_login_failed: "Wrong user name or password.",
    field_required: "This field is required.",
    field_too_long: "This is too long.",
    field_wrong_password: "That password is not correct.",
};

pub static ZH_CN: Messages = Messages {
    app_name: "Bazaar 云市场",
    tagline: "放心选购云软件",
    skip_to_content: "跳到主要内容",
    nav_label: "主导航",
    nav_home: "首页",
    nav_catalog: "商品目录",
    nav_favorites: "我的收藏",
    nav_orders: "我的订单",
    nav_purchased_apps: "已购应用",
    nav_supervision: "服务监管",
    nav_seller_console: "卖家中心",
    nav_operations: "运营管理",
    nav_account: "我的账号",
    search_label: "搜索商品",
    search_placeholder: "搜索软件、卖家、标签…",
    search_button: "搜索",
    language_label: "语言",
    language_switch_to: "English",
    account_menu_label: "账号",
    log_in: "登录",
    log_out: "退出登录",
    logging_in: "正在登录…",
    login_title: "登录 Bazaar",
    login_intro: "登录后即可购买软件、使用已购应用并跟进服务交付。",
    login_username: "用户名",
    login_password: "密码",
    login_demo_hint: "演示：用户名 lin.wei，密码 bazaar-demo（README 列出了所有演示账号）。",
    login_required_notice: "请先登录再查看此页面。",
    loading: "加载中…",
    retry: "重试",
    error_title: "出错了",
    error_network: "无法连接 Bazaar，请检查网络后重试。",
    error_unexpected: "页面的这一部分未能显示。",
    not_found_title: "页面不存在",
    not_found_text: "此地址没有内容，可能已移动，或链接有误。",
    back_home: "返回首页",
    account_title: "我的账号",
    account_contact_heading: "联系信息",
    account_contact_hint: "部分 SaaS 商品的卖家需使用其中一项为您创建应用账号，是否授权由您在下单时决定。",
    contact_mobile: "手机号码",
    contact_email: "电子邮箱",
    contact_iam: "IAM 用户名",
    account_role: "账号类型",
    account_billed_to: "结算经销商",
    role_buyer: "买家",
    role_reseller_customer: "经销商客户",
    role_seller: "卖家",
    role_operations: "运营经理",
    home_title: "为团队找到合适的软件",
    home_intro: "来自认证卖家的 SaaS、镜像、许可证和专业服务——服务交付全程监管，直到您验收满意。",
    home_browse_all: "浏览商品目录",
    footer_text: "Bazaar —— 云软件市场演示。",
    err_bad_request: "无法理解该请求。",
    err_validation: "请修改标出的字段。",
    err_unauthenticated: "请先登录。",
    err_reauthentication: "请再次输入密码以继续。",
    err_forbidden: "您无权执行此操作。",
    err_not_found: "未找到该内容，它可能不存在或不属于您。",
    err_conflict: "当前状态下无法执行此操作。",
    err_precondition: "内容在您加载后已更改，请刷新后重试。",
    err_idempotency: "此次结算已用于另一个订单，请重新开始结算。",
    err_rate_limited: "尝试次数过多，请稍候再试。",
    err_insufficient_balance: "账户余额不足，未产生任何扣款。",
    err_payment_declined: "支付被拒绝，未产生任何扣款。",
    err_rule: "当前不允许此操作。",
    err_internal: "服务器出现问题，请重试。",
    err_login_failed: "用户名或密码错误。",
    field_required: "此项为必填项。",
    field_too_long: "内容过长。",
    field_wrong_password: "密码不正确。",
};
