//! The i18n layer: every user-visible string, in English and Simplified Chinese.
//!
//! Each language is one value of the `Messages` struct, so a string missing from either
//! language is a compile error rather than a blank on screen. A string with values to fill
//! in is a `fn` of those values (`|count| format!("{count} products")`): a placeholder the
//! closure does not have fails to compile, one it has but leaves out of the text is an
//! unused variable (denied by clippy), and a plural is a `match` in the closure.

use bazaar_core::error::{ErrorCode, FieldError, FieldErrorCode};
use bazaar_core::orders::{MAX_VPCS_PER_ACCOUNT, SERVER_LOGIN_USER};
use bazaar_core::pricing::MAX_QUANTITY;
use bazaar_core::validation::{SERVER_PASSWORD_MAX_CHARS, SERVER_PASSWORD_MIN_CHARS, SERVER_PASSWORD_SPECIALS};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    ZhCn,
}

/// Where the chosen language is remembered (the app shell reads it too).
pub(crate) const STORAGE_KEY: &str = "bazaar.locale";

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
            ErrorCode::QuoteChanged => self.err_quote_changed,
            ErrorCode::Gone => self.err_gone,
            ErrorCode::PreconditionFailed => self.err_precondition,
            ErrorCode::IdempotencyKeyReused => self.err_idempotency,
            ErrorCode::RateLimited => self.err_rate_limited,
            ErrorCode::InsufficientBalance => self.err_insufficient_balance,
            ErrorCode::PaymentDeclined => self.err_payment_declined,
            ErrorCode::RuleViolation => self.err_rule,
            ErrorCode::AccountLocked => self.err_account_locked,
            ErrorCode::MethodNotAllowed | ErrorCode::UnsupportedMediaType => self.err_bad_request,
            ErrorCode::PayloadTooLarge => self.err_payload_too_large,
            ErrorCode::Unavailable => self.err_unavailable,
            ErrorCode::SignatureRefused => self.err_signature_refused,
            ErrorCode::Internal | ErrorCode::Unknown => self.err_internal,
        }
    }

    /// The message for a field error, in this language; the server's own (English)
    /// explanation only for a code this build does not know.
    pub fn field_error(&self, error: &FieldError) -> String {
        use FieldErrorCode as Code;
        let text = match (&error.code, error.field.as_str()) {
            (Code::OutOfRange, "quantity") => return (self.field_quantity_range)(MAX_QUANTITY),
            (Code::TooLarge, "quantity") => self.field_total_too_large,
            (Code::Quota, _) => return (self.field_vpc_quota)(MAX_VPCS_PER_ACCOUNT),
            (Code::TooFewKinds | Code::ContainsUserName | Code::NotPrintableAscii, _)
            | (Code::TooShort | Code::TooLong, "server_password") => return self.server_password_rules(),
            (Code::Required, _) => self.field_required,
            (Code::TooShort, _) | (Code::Invalid, _) => self.field_invalid,
            (Code::TooLong, _) => self.field_too_long,
            (Code::WrongPassword, _) => self.field_wrong_password,
            (Code::UnknownValue, _) => self.field_unknown_choice,
            (Code::RegionMismatch, _) => self.field_region_mismatch,
            (Code::OutOfRange | Code::TooLarge, _) => self.field_out_of_range,
            (Code::RangeReversed, _) => self.field_range_reversed,
            (Code::BeforeStart, _) => self.field_before_start,
            (Code::Duplicate, _) => self.field_duplicate,
            (Code::Taken, _) => self.field_taken,
            (Code::NotANumber, _) => self.field_not_a_number,
            (Code::Unavailable, _) => self.field_unavailable,
            // Parameters and fields only a hand-written request can get wrong: the
            // server names them, which helps that developer more than a translation.
            (Code::UnknownField | Code::UnknownParameter | Code::UnknownAttribute | Code::Other(_), _) => {
                return error.message.clone();
            }
        };
        text.to_owned()
    }

    /// The rules of a cloud server's login password, with the limits core enforces.
    pub fn server_password_rules(&self) -> String {
        (self.checkout_password_rules)(
            SERVER_PASSWORD_MIN_CHARS,
            SERVER_PASSWORD_MAX_CHARS,
            SERVER_PASSWORD_SPECIALS,
            SERVER_LOGIN_USER,
        )
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
    // The header's links and bell for what follows a purchase live here, not with the rest
    // of those pages' strings (i18n_lifecycle), because the header is on every page: this
    // struct is in the main wasm module, the others in their pages' chunks.
    pub nav_renewals: &'static str,
    pub nav_notices: &'static str,
    /// Fills in: `count`.
    pub bell_label: fn(u64) -> String,
    pub nav_account: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub language_label: &'static str,
    pub language_switch_to: &'static str,
    pub account_menu_label: &'static str,
    pub log_in: &'static str,
    pub log_out: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub error_title: &'static str,
    pub error_network: &'static str,
    pub error_unexpected: &'static str,
    pub error_page_download: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    /// Fills in: `time`, `minutes`.
    pub err_account_locked_until: fn(&str, &str) -> String,
    /// Fills in: `seconds`.
    pub err_wait_seconds: fn(&str) -> String,
    pub contact_email: &'static str,
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
    pub err_quote_changed: &'static str,
    pub err_gone: &'static str,
    pub err_precondition: &'static str,
    pub err_idempotency: &'static str,
    pub err_rate_limited: &'static str,
    pub err_insufficient_balance: &'static str,
    pub err_payment_declined: &'static str,
    pub err_rule: &'static str,
    pub err_account_locked: &'static str,
    pub err_payload_too_large: &'static str,
    pub err_unavailable: &'static str,
    pub err_signature_refused: &'static str,
    pub err_internal: &'static str,
    pub field_required: &'static str,
    pub field_too_long: &'static str,
    pub field_wrong_password: &'static str,
    pub catalog_title: &'static str,
    /// Fills in: `count`.
    pub results_count: fn(u64) -> String,
    /// Fills in: `query`.
    pub results_for: fn(&str) -> String,
    pub filters_heading: &'static str,
    pub filter_category: &'static str,
    pub filter_all_categories: &'static str,
    pub filter_delivery: &'static str,
    pub filter_billing: &'static str,
    pub filter_price: &'static str,
    pub filter_seller: &'static str,
    /// Fills in: `count`.
    pub filter_more_sellers: fn(&str) -> String,
    pub filter_fewer_sellers: &'static str,
    pub filter_supervised: &'static str,
    pub filter_trial: &'static str,
    pub filter_four_stars: &'static str,
    pub filter_clear: &'static str,
    pub filter_price_min: &'static str,
    pub filter_price_max: &'static str,
    pub filter_price_apply: &'static str,
    pub sort_label: &'static str,
    pub sort_relevance: &'static str,
    pub sort_popularity: &'static str,
    pub sort_price_asc: &'static str,
    pub sort_price_desc: &'static str,
    pub sort_newest: &'static str,
    pub sort_rating: &'static str,
    /// A card's stars for screen readers. Fills in: `average`, `count`.
    pub card_rating: fn(&str, u32) -> String,
    pub pagination_label: &'static str,
    pub pagination_previous: &'static str,
    pub pagination_next: &'static str,
    /// Fills in: `page`, `pages`.
    pub pagination_page: fn(&str, &str) -> String,
    pub empty_results_title: &'static str,
    pub empty_results_hint: &'static str,
    pub delivery_saas: &'static str,
    pub delivery_image: &'static str,
    pub delivery_license: &'static str,
    pub delivery_professional_service: &'static str,
    pub delivery_consulting: &'static str,
    pub billing_yearly_monthly: &'static str,
    pub billing_pay_per_use: &'static str,
    pub billing_one_off: &'static str,
    /// Fills in: `price`.
    pub price_per_month: fn(&str) -> String,
    /// Fills in: `price`.
    pub price_per_hour: fn(&str) -> String,
    /// Fills in: `price`.
    pub price_once: fn(&str) -> String,
    /// Fills in: `price`.
    pub price_from: fn(&str) -> String,
    pub price_range_0: &'static str,
    pub price_range_1: &'static str,
    pub price_range_2: &'static str,
    pub price_range_3: &'static str,
    pub badge_supervised: &'static str,
    pub badge_trial: &'static str,
    /// Fills in: `seller`.
    pub by_seller: fn(&str) -> String,
    pub home_popular: &'static str,
    pub home_popular_hint: &'static str,
    pub home_categories: &'static str,
    /// Fills in: `count`.
    pub category_products: fn(u64) -> String,
    /// The product row of an order, a payment or an app (a name, not an overview).
    pub product_label: &'static str,
    pub product_category: &'static str,
    pub configure_sku: &'static str,
    pub configure_billing: &'static str,
    pub configure_duration: &'static str,
    pub configure_quantity: &'static str,
    pub configure_region: &'static str,
    /// Fills in: `count`.
    pub duration_months: fn(&str) -> String,
    pub duration_month: &'static str,
    /// Fills in: `count`.
    pub duration_years: fn(&str) -> String,
    pub duration_year: &'static str,
    pub price_due_now: &'static str,
    pub operation: &'static str,
    /// Fills in: `max` (core::pricing::MAX_QUANTITY).
    pub field_quantity_range: fn(u32) -> String,
    pub field_total_too_large: &'static str,
    pub field_unknown_choice: &'static str,
    pub field_invalid: &'static str,
    pub field_unavailable: &'static str,
    pub field_region_mismatch: &'static str,
    /// Fills in: `max` (core::orders::MAX_VPCS_PER_ACCOUNT).
    pub field_vpc_quota: fn(u32) -> String,
    pub field_taken: &'static str,
    pub field_duplicate: &'static str,
    pub field_range_reversed: &'static str,
    pub field_before_start: &'static str,
    pub field_not_a_number: &'static str,
    pub field_out_of_range: &'static str,
    /// Fills in: `min`, `max`, `specials`, `user` (core::validation, core::orders).
    pub checkout_password_rules: fn(usize, usize, &str, &str) -> String,
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
    nav_renewals: "Renewal Management",
    nav_notices: "Lifecycle notices",
    bell_label: |count| match count {
        0 => "Messages, none unread".to_owned(),
        1 => "Messages, 1 unread".to_owned(),
        _ => format!("Messages, {count} unread"),
    },
    nav_account: "My Account",
    search_label: "Search products",
    search_placeholder: "Search software, sellers, tags…",
    search_button: "Search",
    language_label: "Language",
    language_switch_to: "中文",
    account_menu_label: "Account",
    log_in: "Log in",
    log_out: "Log out",
    loading: "Loading…",
    retry: "Try again",
    error_title: "Something went wrong",
    error_network: "We could not reach Bazaar. Check your connection and try again.",
    error_unexpected: "This part of the page failed to display.",
    error_page_download: "This page could not be downloaded. Check your connection and try again.",
    not_found_title: "Page not found",
    not_found_text: "There is nothing at this address. It may have moved, or the link may be mistyped.",
    back_home: "Back to the home page",
    err_account_locked_until: |time, minutes| {
        format!(
            "Too many wrong passwords: logging in is locked until {time} (about {minutes} min), even with the right password."
        )
    },
    err_wait_seconds: |seconds| format!("Too many attempts. Try again in {seconds} s."),
    contact_email: "E-mail",
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
    err_quote_changed: "The amount changed while you were deciding. Check the new one and confirm again.",
    err_gone: "You unsubscribed from this app: it was released and its password and links were revoked. Its order stays in My Orders.",
    err_precondition: "This changed since you loaded it. Reload and try again.",
    err_idempotency: "This checkout attempt was already used for a different order. Start the checkout again.",
    err_rate_limited: "Too many attempts. Please wait a moment and try again.",
    err_insufficient_balance: "Your balance does not cover this amount. Nothing was charged.",
    err_payment_declined: "The payment was declined. Nothing was charged.",
    err_rule: "This is not allowed right now.",
    err_account_locked: "Too many wrong passwords: logging in is locked for a while.",
    err_payload_too_large: "That is too much to send at once. Shorten it and try again.",
    err_unavailable: "The server took too long to answer; nothing was changed. Please try again.",
    err_signature_refused: "The request's signature was refused.",
    err_internal: "Something went wrong on our side. Please try again.",
    field_required: "This field is required.",
    field_too_long: "This is too long.",
    field_wrong_password: "That password is not correct.",
    catalog_title: "Catalog",
    results_count: |count| match count {
        1 => "1 product".to_owned(),
        _ => format!("{count} products"),
    },
    results_for: |query| format!("Results for “{query}”"),
    filters_heading: "Filters",
    filter_category: "Category",
    filter_all_categories: "All categories",
    filter_delivery: "Delivery method",
    filter_billing: "Billing mode",
    filter_price: "Price",
    filter_seller: "Seller",
    filter_more_sellers: |count| format!("Show all {count} sellers"),
    filter_fewer_sellers: "Show fewer sellers",
    filter_supervised: "Involves service supervision",
    filter_trial: "Free trial",
    filter_four_stars: "4 stars and up",
    filter_clear: "Clear all filters",
    filter_price_min: "Lowest (¥)",
    filter_price_max: "Highest (¥)",
    filter_price_apply: "Apply",
    sort_label: "Sort by",
    sort_relevance: "Relevance",
    sort_popularity: "Popularity",
    sort_price_asc: "Price: low to high",
    sort_price_desc: "Price: high to low",
    sort_newest: "Newest",
    sort_rating: "Rating",
    card_rating: |average, count| {
        if count == 1 {
            format!("Rated {average} of 5, 1 review")
        } else {
            format!("Rated {average} of 5, {count} reviews")
        }
    },
    pagination_label: "Pages",
    pagination_previous: "Previous",
    pagination_next: "Next",
    pagination_page: |page, pages| format!("Page {page} of {pages}"),
    empty_results_title: "No products match",
    empty_results_hint: "Try fewer words, check the spelling, or remove some filters.",
    delivery_saas: "SaaS",
    delivery_image: "Image",
    delivery_license: "License",
    delivery_professional_service: "Professional service",
    delivery_consulting: "Consulting",
    billing_yearly_monthly: "Yearly/monthly",
    billing_pay_per_use: "Pay-per-use",
    billing_one_off: "One-off",
    price_per_month: |price| format!("{price}/month"),
    price_per_hour: |price| format!("{price}/hour"),
    price_once: |price| price.to_owned(),
    price_from: |price| format!("From {price}"),
    price_range_0: "Under ¥100",
    price_range_1: "¥100 – ¥999",
    price_range_2: "¥1,000 – ¥9,999",
    price_range_3: "¥10,000 and above",
    badge_supervised: "Service supervision",
    badge_trial: "Free trial",
    by_seller: |seller| format!("by {seller}"),
    home_popular: "Popular applications",
    home_popular_hint: "Ranked by sales in the last 30 days.",
    home_categories: "Browse by category",
    category_products: |count| match count {
        1 => "1 product".to_owned(),
        _ => format!("{count} products"),
    },
    product_label: "Product",
    product_category: "Category",
    configure_sku: "Specification",
    configure_billing: "Billing mode",
    configure_duration: "Duration",
    configure_quantity: "Quantity",
    configure_region: "Region",
    duration_months: |count| format!("{count} months"),
    duration_month: "1 month",
    duration_years: |count| format!("{count} years"),
    duration_year: "1 year",
    price_due_now: "Due now",
    operation: "Operation",
    field_quantity_range: |max| format!("Choose a quantity from 1 to {max}."),
    field_total_too_large: "The total is too large.",
    field_unknown_choice: "This choice is not available.",
    field_invalid: "This value is not valid.",
    field_unavailable: "This option is not available to your account.",
    field_region_mismatch: "Choose a VPC in the region the server is deployed to.",
    field_vpc_quota: |max| format!("You can have at most {max} VPCs."),
    field_taken: "You already have one with this name.",
    field_duplicate: "Another entry already uses this.",
    field_range_reversed: "The upper end is below the lower end.",
    field_before_start: "The end must be after the start.",
    field_not_a_number: "Enter a whole number.",
    field_out_of_range: "This value is outside the allowed range.",
    checkout_password_rules: |min, max, specials, user| {
        format!(
            "{min}–{max} characters with at least three of: upper-case, lower-case, digits, special characters ({specials}). Must not contain \"{user}\"."
        )
    },
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
    nav_renewals: "续费管理",
    nav_notices: "生命周期通知",
    bell_label: |count| match count {
        0 => "消息，无未读".to_owned(),
        _ => format!("消息，{count} 条未读"),
    },
    nav_account: "我的账号",
    search_label: "搜索商品",
    search_placeholder: "搜索软件、卖家、标签…",
    search_button: "搜索",
    language_label: "语言",
    language_switch_to: "English",
    account_menu_label: "账号",
    log_in: "登录",
    log_out: "退出登录",
    loading: "加载中…",
    retry: "重试",
    error_title: "出错了",
    error_network: "无法连接 Bazaar，请检查网络后重试。",
    error_unexpected: "页面的这一部分未能显示。",
    error_page_download: "无法下载此页面，请检查网络后重试。",
    not_found_title: "页面不存在",
    not_found_text: "此地址没有内容，可能已移动，或链接有误。",
    back_home: "返回首页",
    err_account_locked_until: |time, minutes| {
        format!("密码错误次数过多：登录已锁定至 {time}（约 {minutes} 分钟），在此期间输入正确密码也无法登录。")
    },
    err_wait_seconds: |seconds| format!("尝试次数过多，请在 {seconds} 秒后重试。"),
    contact_email: "电子邮箱",
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
    err_quote_changed: "在您确认之前金额已变化。请查看新金额后再次确认。",
    err_gone: "您已退订此应用：它已被释放，密码和链接已被收回。其订单仍保留在“我的订单”中。",
    err_precondition: "内容在您加载后已更改，请刷新后重试。",
    err_idempotency: "此次结算已用于另一个订单，请重新开始结算。",
    err_rate_limited: "尝试次数过多，请稍候再试。",
    err_insufficient_balance: "账户余额不足，未产生任何扣款。",
    err_payment_declined: "支付被拒绝，未产生任何扣款。",
    err_rule: "当前不允许此操作。",
    err_account_locked: "密码错误次数过多，登录已暂时锁定。",
    err_payload_too_large: "一次提交的内容过多，请精简后重试。",
    err_unavailable: "服务器响应超时，未做任何更改，请重试。",
    err_signature_refused: "请求签名被拒绝。",
    err_internal: "服务器出现问题，请重试。",
    field_required: "此项为必填项。",
    field_too_long: "内容过长。",
    field_wrong_password: "密码不正确。",
    catalog_title: "商品目录",
    results_count: |count| format!("共 {count} 个商品"),
    results_for: |query| format!("“{query}”的搜索结果"),
    filters_heading: "筛选",
    filter_category: "类别",
    filter_all_categories: "全部类别",
    filter_delivery: "交付方式",
    filter_billing: "计费模式",
    filter_price: "价格",
    filter_seller: "卖家",
    filter_more_sellers: |count| format!("显示全部 {count} 个卖家"),
    filter_fewer_sellers: "收起卖家",
    filter_supervised: "含服务监管",
    filter_trial: "可免费试用",
    filter_four_stars: "4 星及以上",
    filter_clear: "清除全部筛选",
    filter_price_min: "最低价（¥）",
    filter_price_max: "最高价（¥）",
    filter_price_apply: "应用",
    sort_label: "排序",
    sort_relevance: "相关度",
    sort_popularity: "热度",
    sort_price_asc: "价格从低到高",
    sort_price_desc: "价格从高到低",
    sort_newest: "最新上架",
    sort_rating: "评分",
    card_rating: |average, count| format!("评分 {average}（满分 5 分），{count} 条评价"),
    pagination_label: "分页",
    pagination_previous: "上一页",
    pagination_next: "下一页",
    pagination_page: |page, pages| format!("第 {page} / {pages} 页"),
    empty_results_title: "没有符合条件的商品",
    empty_results_hint: "请尝试减少关键词、检查拼写或减少筛选条件。",
    delivery_saas: "SaaS",
    delivery_image: "镜像",
    delivery_license: "许可证",
    delivery_professional_service: "专业服务",
    delivery_consulting: "咨询服务",
    billing_yearly_monthly: "包年/包月",
    billing_pay_per_use: "按需计费",
    billing_one_off: "一次性",
    price_per_month: |price| format!("{price}/月"),
    price_per_hour: |price| format!("{price}/小时"),
    price_once: |price| price.to_owned(),
    price_from: |price| format!("{price} 起"),
    price_range_0: "¥100 以下",
    price_range_1: "¥100 – ¥999",
    price_range_2: "¥1,000 – ¥9,999",
    price_range_3: "¥10,000 及以上",
    badge_supervised: "服务监管",
    badge_trial: "免费试用",
    by_seller: |seller| format!("卖家：{seller}"),
    home_popular: "热门应用",
    home_popular_hint: "按近 30 天销量排名。",
    home_categories: "按类别浏览",
    category_products: |count| format!("{count} 个商品"),
    product_label: "商品",
    product_category: "类别",
    configure_sku: "规格",
    configure_billing: "计费模式",
    configure_duration: "购买时长",
    configure_quantity: "数量",
    configure_region: "区域",
    duration_months: |count| format!("{count} 个月"),
    duration_month: "1 个月",
    duration_years: |count| format!("{count} 年"),
    duration_year: "1 年",
    price_due_now: "应付金额",
    operation: "操作",
    field_quantity_range: |max| format!("请选择 1 到 {max} 之间的数量。"),
    field_total_too_large: "总金额过大。",
    field_unknown_choice: "该选项不可用。",
    field_invalid: "该值无效。",
    field_unavailable: "您的账户无法使用该选项。",
    field_region_mismatch: "请选择与服务器部署地域相同的 VPC。",
    field_vpc_quota: |max| format!("最多可创建 {max} 个 VPC。"),
    field_taken: "您已有同名的条目。",
    field_duplicate: "已有其他条目使用该值。",
    field_range_reversed: "上限低于下限。",
    field_before_start: "结束时间必须晚于开始时间。",
    field_not_a_number: "请输入整数。",
    field_out_of_range: "该值超出允许范围。",
    checkout_password_rules: |min, max, specials, user| {
        format!(
            "{min}–{max} 个字符，至少包含大写字母、小写字母、数字、特殊字符（{specials}）中的三种，且不能包含“{user}”。"
        )
    },
};

use bazaar_core::catalog::{BillingMode, DeliveryMethod, LocalizedText, SortOrder};
use bazaar_core::money::Money;

impl Messages {
    pub fn delivery(&self, method: DeliveryMethod) -> &'static str {
        match method {
            DeliveryMethod::Saas => self.delivery_saas,
            DeliveryMethod::Image => self.delivery_image,
            DeliveryMethod::License => self.delivery_license,
            DeliveryMethod::ProfessionalService => self.delivery_professional_service,
            DeliveryMethod::Consulting => self.delivery_consulting,
        }
    }

    pub fn billing(&self, mode: BillingMode) -> &'static str {
        match mode {
            BillingMode::YearlyMonthly => self.billing_yearly_monthly,
            BillingMode::PayPerUse => self.billing_pay_per_use,
            BillingMode::OneOff => self.billing_one_off,
        }
    }

    pub fn sort(&self, order: SortOrder) -> &'static str {
        match order {
            SortOrder::Relevance => self.sort_relevance,
            SortOrder::Popularity => self.sort_popularity,
            SortOrder::PriceAsc => self.sort_price_asc,
            SortOrder::PriceDesc => self.sort_price_desc,
            SortOrder::Newest => self.sort_newest,
            SortOrder::Rating => self.sort_rating,
        }
    }

    /// A price with its unit: "¥299.00/month", "¥0.35/hour" or "¥8,000.00".
    pub fn price(&self, money: Money, mode: BillingMode) -> String {
        let template = match mode {
            BillingMode::YearlyMonthly => self.price_per_month,
            BillingMode::PayPerUse => self.price_per_hour,
            BillingMode::OneOff => self.price_once,
        };
        template(&money.display())
    }

    pub fn duration(&self, months: u32) -> String {
        match months {
            1 => self.duration_month.to_owned(),
            12 => self.duration_year.to_owned(),
            months if months % 12 == 0 => (self.duration_years)(&(months / 12).to_string()),
            months => (self.duration_months)(&months.to_string()),
        }
    }
}

impl Locale {
    /// Picks this language's side of a catalog text.
    pub fn pick(self, text: &LocalizedText) -> String {
        match self {
            Locale::En => text.en.clone(),
            Locale::ZhCn => text.zh.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(field: &str, code: FieldErrorCode) -> FieldError {
        FieldError::new(field, code, "The server's English explanation.")
    }

    #[test]
    fn every_field_error_a_form_can_show_is_worded_in_both_languages() {
        use FieldErrorCode as Code;
        let codes = [
            Code::Required,
            Code::TooShort,
            Code::TooLong,
            Code::Invalid,
            Code::UnknownValue,
            Code::RegionMismatch,
            Code::OutOfRange,
            Code::TooLarge,
            Code::RangeReversed,
            Code::BeforeStart,
            Code::Duplicate,
            Code::Taken,
            Code::Quota,
            Code::Unavailable,
            Code::NotANumber,
            Code::WrongPassword,
            Code::TooFewKinds,
            Code::ContainsUserName,
            Code::NotPrintableAscii,
        ];
        for code in codes {
            let problem = error("name", code.clone());
            let (english, chinese) = (EN.field_error(&problem), ZH_CN.field_error(&problem));
            assert_ne!(english, problem.message, "{code:?} falls back to the server's text");
            assert_ne!(english, chinese, "{code:?} is not translated");
        }
        // A code from a newer server still says something.
        let newer = error("name", Code::Other("too_spicy".to_owned()));
        assert_eq!(ZH_CN.field_error(&newer), newer.message);
    }

    #[test]
    fn limits_in_messages_are_the_ones_core_enforces() {
        let quantity = EN.field_error(&error("quantity", FieldErrorCode::OutOfRange));
        assert!(quantity.contains(&MAX_QUANTITY.to_string()), "{quantity}");
        let password = ZH_CN.field_error(&error("server_password", FieldErrorCode::TooShort));
        assert!(
            password.starts_with(&format!("{SERVER_PASSWORD_MIN_CHARS}–{SERVER_PASSWORD_MAX_CHARS} ")),
            "{password}"
        );
        assert!(password.contains(SERVER_PASSWORD_SPECIALS) && password.contains(SERVER_LOGIN_USER), "{password}");
        let quota = EN.field_error(&error("name", FieldErrorCode::Quota));
        assert!(quota.contains(&MAX_VPCS_PER_ACCOUNT.to_string()), "{quota}");
    }

    #[test]
    fn counts_of_one_are_singular_in_english() {
        assert_eq!((EN.results_count)(1), "1 product");
        assert_eq!((EN.results_count)(0), "0 products");
        assert_eq!((EN.category_products)(1), "1 product");
        assert_eq!((ZH_CN.results_count)(1), "共 1 个商品");
    }
}
