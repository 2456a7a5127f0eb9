//! The i18n strings of pay-per-use billing — the Billing page, a bill, and the usage area
//! of Resource Details (chart, spending cap, arrears) — in English and Simplified Chinese;
//! one struct per language, so a missing string is a compile error, and a string with
//! values is a function of them.

use bazaar_core::usage::{BillState, CapLevel};
use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct BillingMessages {
    pub nav_billing: &'static str,
    pub billing_title: &'static str,
    pub billing_intro: &'static str,
    pub outstanding_title: &'static str,
    pub outstanding_none: &'static str,
    /// Fills in: `amount`.
    pub outstanding_amount: fn(&str) -> String,
    pub pay_with: &'static str,
    /// Fills in: `amount`.
    pub pay_amount: fn(&str) -> String,
    pub paying: &'static str,
    /// Fills in: `amount`.
    pub paid: fn(&str) -> String,
    pub reinstated: &'static str,
    pub bills_title: &'static str,
    pub bills_empty: &'static str,
    pub column_month: &'static str,
    pub column_state: &'static str,
    pub column_rated: &'static str,
    pub column_charged: &'static str,
    pub column_outstanding: &'static str,
    pub column_waived: &'static str,
    pub column_quantity: &'static str,
    pub column_product: &'static str,
    pub column_dimension: &'static str,
    pub column_order: &'static str,
    pub column_hour: &'static str,
    pub column_cost: &'static str,
    /// Fills in: `date` (when it closes).
    pub state_open: fn(&str) -> String,
    pub state_closed: &'static str,
    /// Fills in: `month`.
    pub view_bill: fn(&str) -> String,
    /// Fills in: `month`.
    pub bill_title: fn(&str) -> String,
    pub bill_open_note: &'static str,
    pub bill_closed_note: &'static str,
    pub download_csv: &'static str,
    pub total: &'static str,
    pub dimension_hours: &'static str,
    pub usage_title: &'static str,
    pub price: &'static str,
    pub usage_loading: &'static str,
    pub usage_empty: &'static str,
    /// Fills in: `price`.
    pub unit_price: fn(&str) -> String,
    pub this_month: &'static str,
    pub month_charged: &'static str,
    pub month_waived: &'static str,
    /// Fills in: `amount`.
    pub not_charged_yet: fn(&str) -> String,
    pub chart_title: &'static str,
    /// Fills in: `hours`, `quantity`, `cost`.
    pub chart_summary: fn(usize, i64, &str) -> String,
    pub chart_table: &'static str,
    pub chart_quantity_axis: &'static str,
    pub chart_cost_legend: &'static str,
    pub cap_title: &'static str,
    pub cap_none: &'static str,
    /// Fills in: `amount`.
    pub cap_current: fn(&str) -> String,
    pub cap_label: &'static str,
    pub cap_hint: &'static str,
    pub cap_save: &'static str,
    pub cap_remove: &'static str,
    pub cap_saving: &'static str,
    pub cap_saved: &'static str,
    pub cap_invalid: &'static str,
    pub cap_warning: &'static str,
    pub cap_reached: &'static str,
    /// Fills in: `date`.
    pub arrears_banner: fn(&str) -> String,
    /// Fills in: `date`.
    pub frozen_banner: fn(&str) -> String,
    pub frozen_password: &'static str,
    pub pay_outstanding_link: &'static str,
    pub reseller_note: &'static str,
}

static EN: BillingMessages = BillingMessages {
    nav_billing: "Billing",
    billing_title: "Billing",
    billing_intro: "Pay-per-use apps are charged every hour, from your card on file first, then your balance. Each month's bill closes on the 3rd of the next month and never changes after.",
    outstanding_title: "Outstanding",
    outstanding_none: "Nothing is outstanding.",
    outstanding_amount: |amount| format!("Usage of {amount} is not charged yet."),
    pay_with: "Pay with",
    pay_amount: |amount| format!("Pay {amount} now"),
    paying: "Paying…",
    paid: |amount| format!("Paid {amount}."),
    reinstated: "Your apps frozen for unpaid usage are usable again.",
    bills_title: "Monthly bills",
    bills_empty: "No usage yet. Bills of pay-per-use apps appear here.",
    column_month: "Month",
    column_state: "Status",
    column_rated: "Usage",
    column_charged: "Charged",
    column_outstanding: "Outstanding",
    column_waived: "Beyond the cap (not charged)",
    column_quantity: "Quantity",
    column_product: "Product",
    column_dimension: "Measured in",
    column_order: "Order",
    column_hour: "Hour",
    column_cost: "Cost",
    state_open: |date| format!("Open — closes on {date}"),
    state_closed: "Closed",
    view_bill: |month| format!("View the bill for {month}"),
    bill_title: |month| format!("Bill for {month}"),
    bill_open_note: "This month is still open: its figures grow as usage is reported and charged.",
    bill_closed_note: "This bill is closed: its lines never change.",
    download_csv: "Download CSV",
    total: "Total",
    dimension_hours: "hours",
    usage_title: "Usage and cost",
    price: "Price",
    usage_loading: "Loading usage…",
    usage_empty: "No usage reported in the last 30 days.",
    unit_price: |price| format!("{price} per hour"),
    this_month: "This month",
    month_charged: "Charged",
    month_waived: "Beyond the cap, not charged",
    not_charged_yet: |amount| format!("Not charged yet: {amount}"),
    chart_title: "Hourly usage over the last 30 days",
    chart_summary: |hours, quantity, cost| {
        format!("{hours} hours with usage, {quantity} in all, costing {cost}. The table below has every hour.")
    },
    chart_table: "Show every hour as a table",
    chart_quantity_axis: "Usage per hour",
    chart_cost_legend: "Bars: usage per hour (left scale). Line: cost so far over the 30 days (right scale).",
    cap_title: "Monthly spending cap",
    cap_none: "No cap: all usage is charged.",
    cap_current: |amount| format!("Cap: {amount} a month"),
    cap_label: "Cap per month (¥)",
    cap_hint: "You are told at 80 % and at 100 %. At 100 % the app is suspended until you raise the cap or the month ends; usage beyond it is recorded but never charged. You can lower a cap only to what this month has spent.",
    cap_save: "Save the cap",
    cap_remove: "Remove the cap",
    cap_saving: "Saving…",
    cap_saved: "Saved.",
    cap_invalid: "Enter an amount, such as 200 or 199.50.",
    cap_warning: "80 % of this month's cap is spent.",
    cap_reached: "This month's cap is reached: the app is suspended until you raise the cap or the month ends.",
    arrears_banner: |date| format!("A usage charge failed. Pay what is outstanding by {date}, or the app is frozen."),
    frozen_banner: |date| {
        format!(
            "Frozen for unpaid usage: the password and links are locked. Pay what is outstanding by {date}, or the app is released."
        )
    },
    frozen_password: "Locked while the app is frozen for unpaid usage — pay what is outstanding to see it again.",
    pay_outstanding_link: "Pay outstanding",
    reseller_note: "Your usage is billed to your reseller; nothing is charged to you here.",
};

static ZH_CN: BillingMessages = BillingMessages {
    nav_billing: "费用中心",
    billing_title: "费用中心",
    billing_intro: "按需计费的应用每小时扣费一次，先从已绑定的银行卡扣款，再从余额扣款。每月账单于次月 3 日关闭，关闭后不再变化。",
    outstanding_title: "待支付",
    outstanding_none: "没有待支付的费用。",
    outstanding_amount: |amount| format!("有 {amount} 的使用费尚未扣费。"),
    pay_with: "支付方式",
    pay_amount: |amount| format!("立即支付 {amount}"),
    paying: "正在支付…",
    paid: |amount| format!("已支付 {amount}。"),
    reinstated: "因欠费冻结的应用已恢复可用。",
    bills_title: "月度账单",
    bills_empty: "暂无用量。按需计费应用的账单会显示在这里。",
    column_month: "月份",
    column_state: "状态",
    column_rated: "使用金额",
    column_charged: "已扣费",
    column_outstanding: "待支付",
    column_waived: "超出上限（不收费）",
    column_quantity: "用量",
    column_product: "产品",
    column_dimension: "计量单位",
    column_order: "订单",
    column_hour: "时段",
    column_cost: "费用",
    state_open: |date| format!("未关闭 — {date} 关闭"),
    state_closed: "已关闭",
    view_bill: |month| format!("查看 {month} 账单"),
    bill_title: |month| format!("{month} 账单"),
    bill_open_note: "本月尚未结束：随着用量上报和扣费，金额会继续增加。",
    bill_closed_note: "本账单已关闭，各行金额不再变化。",
    download_csv: "下载 CSV",
    total: "合计",
    dimension_hours: "小时",
    usage_title: "用量与费用",
    price: "价格",
    usage_loading: "正在加载用量…",
    usage_empty: "最近 30 天没有用量记录。",
    unit_price: |price| format!("每小时 {price}"),
    this_month: "本月",
    month_charged: "已扣费",
    month_waived: "超出上限，不收费",
    not_charged_yet: |amount| format!("尚未扣费：{amount}"),
    chart_title: "最近 30 天每小时用量",
    chart_summary: |hours, quantity, cost| {
        format!("共 {hours} 个小时有用量，合计 {quantity}，费用 {cost}。下表列出每个小时。")
    },
    chart_table: "以表格显示每个小时",
    chart_quantity_axis: "每小时用量",
    chart_cost_legend: "柱：每小时用量（左侧刻度）。折线：30 天内累计费用（右侧刻度）。",
    cap_title: "每月消费上限",
    cap_none: "未设置上限：所有用量都会扣费。",
    cap_current: |amount| format!("上限：每月 {amount}"),
    cap_label: "每月上限（¥）",
    cap_hint: "达到上限的 80% 和 100% 时会通知您。达到 100% 后应用将暂停，直到您提高上限或本月结束；超出部分会记录但不收费。上限只能降低到本月已产生的费用。",
    cap_save: "保存上限",
    cap_remove: "取消上限",
    cap_saving: "正在保存…",
    cap_saved: "已保存。",
    cap_invalid: "请输入金额，例如 200 或 199.50。",
    cap_warning: "本月上限已使用 80%。",
    cap_reached: "本月上限已用完：应用已暂停，直到您提高上限或本月结束。",
    arrears_banner: |date| format!("使用费扣款失败。请在 {date} 前支付欠费，否则应用将被冻结。"),
    frozen_banner: |date| format!("因欠费已冻结：密码和链接已锁定。请在 {date} 前支付欠费，否则应用将被释放。"),
    frozen_password: "应用因欠费冻结期间已锁定 — 支付欠费后可再次查看。",
    pay_outstanding_link: "支付欠费",
    reseller_note: "您的用量由经销商结算，此处不会向您扣费。",
};

impl BillingMessages {
    pub fn state(&self, state: BillState, closes_on: &str) -> String {
        match state {
            BillState::Open => (self.state_open)(closes_on),
            BillState::Closed => self.state_closed.to_owned(),
        }
    }

    pub fn cap_level(&self, level: CapLevel) -> &'static str {
        match level {
            CapLevel::Warning => self.cap_warning,
            CapLevel::Reached => self.cap_reached,
        }
    }

    /// A dimension's name; unknown ones as the seller named them.
    pub fn dimension(&self, dimension: &str) -> String {
        match dimension {
            bazaar_core::usage::DEFAULT_DIMENSION => self.dimension_hours.to_owned(),
            other => other.to_owned(),
        }
    }
}

impl Locale {
    pub fn billing_messages(self) -> &'static BillingMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Billing strings of the current language (reactive).
    pub fn billing(&self) -> &'static BillingMessages {
        self.0.get().billing_messages()
    }
}
