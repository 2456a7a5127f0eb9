//! The strings of Invoice Management — invoice profiles in My Account, the Invoices page
//! (what can be invoiced, by issuer; requesting; the list of invoices and credit notes) —
//! in English and Simplified Chinese.

use bazaar_core::invoices::{InvoiceKind, InvoiceState, ProfileKind};
use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct InvoiceMessages {
    pub nav: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub profiles_title: &'static str,
    pub profiles_intro: &'static str,
    pub profiles_empty: &'static str,
    pub add_profile: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub cancel: &'static str,
    pub kind_label: &'static str,
    pub personal: &'static str,
    pub enterprise: &'static str,
    pub title_label: &'static str,
    pub tax_id_label: &'static str,
    pub tax_id_hint: &'static str,
    pub tax_id_invalid: &'static str,
    pub address_label: &'static str,
    pub phone_label: &'static str,
    pub bank_account_label: &'static str,
    pub email_label: &'static str,
    pub default_label: &'static str,
    pub default_badge: &'static str,
    pub invoiceable_title: &'static str,
    pub invoiceable_empty: &'static str,
    /// Fills in: the reseller's name.
    pub by_reseller: fn(&str) -> String,
    /// Fills in: the issuer's name.
    pub issued_by: fn(&str) -> String,
    pub bazaar_issues_at_once: &'static str,
    pub seller_issues_within: &'static str,
    pub column_order: &'static str,
    pub column_product: &'static str,
    pub column_paid: &'static str,
    pub column_invoiceable: &'static str,
    /// Fills in: the order number.
    pub select_item: fn(&str) -> String,
    /// The checkbox of a pay-per-use app's closed month: the app's number and the month.
    pub select_bill: fn(&str, &str) -> String,
    pub usage_bill: fn(&str) -> String,
    pub column_document: &'static str,
    pub download_pdf: &'static str,
    pub download_pdf_of: fn(&str) -> String,
    pub profile_choice: &'static str,
    pub no_profile: &'static str,
    pub request: &'static str,
    pub requesting: &'static str,
    pub invoices_title: &'static str,
    pub invoices_empty: &'static str,
    pub column_number: &'static str,
    pub column_issuer: &'static str,
    pub column_state: &'static str,
    pub column_date: &'static str,
    pub column_total: &'static str,
    pub credit_note: &'static str,
    /// Fills in: the original invoice's number.
    pub against: fn(&str) -> String,
    /// Fills in: the deadline.
    pub waiting_until: fn(&str) -> String,
    pub requested: &'static str,
    pub issued: &'static str,
    pub rejected: &'static str,
    /// Messages. Fill in: the issuer, a date.
    pub topic_issued: fn(&str, &str) -> String,
    pub topic_rejected: fn(&str, &str) -> String,
    pub topic_overdue: fn(&str, &str) -> String,
    pub seller_title: &'static str,
    pub seller_intro: &'static str,
    pub seller_empty: &'static str,
    pub issue: &'static str,
    pub reject: &'static str,
    pub reject_reason_label: &'static str,
    pub made_out_to: &'static str,
    /// Fills in: the deadline.
    pub due_by: fn(&str) -> String,
}

const EN: InvoiceMessages = InvoiceMessages {
    nav: "Invoices",
    title: "Invoice Management",
    intro: "Request invoices for what you paid: purchases, renewals and closed pay-per-use bills, less refunds. Bazaar issues the invoices of the products it operates at once; other sellers issue their own within 5 business days.",
    profiles_title: "Invoice profiles",
    profiles_intro: "Whom invoices are made out to. An issued invoice keeps the profile as it was.",
    profiles_empty: "No invoice profile yet: add one to request invoices.",
    add_profile: "Add a profile",
    edit: "Edit",
    delete: "Delete",
    save: "Save profile",
    saving: "Saving…",
    cancel: "Cancel",
    kind_label: "Invoice for",
    personal: "A person",
    enterprise: "An enterprise",
    title_label: "Name on the invoice",
    tax_id_label: "Tax ID",
    tax_id_hint: "An 18-character unified social credit code, or an EU VAT number with its country prefix.",
    tax_id_invalid: "This tax ID is not valid: check every character (a credit code's last one is a check character).",
    address_label: "Address (optional)",
    phone_label: "Phone (optional)",
    bank_account_label: "Bank and account (optional)",
    email_label: "E-mail the invoice is sent to",
    default_label: "Use this profile by default",
    default_badge: "Default",
    invoiceable_title: "What you can have invoiced",
    invoiceable_empty: "Nothing to invoice: everything paid is invoiced or refunded.",
    by_reseller: |reseller| format!("You buy through {reseller}: they invoice what you buy, not Bazaar."),
    issued_by: |issuer| format!("Issued by {issuer}"),
    bazaar_issues_at_once: "Issued at once.",
    seller_issues_within: "The seller issues it within 5 business days.",
    column_order: "Order",
    column_product: "Product",
    column_paid: "Paid",
    column_invoiceable: "To invoice",
    select_item: |number| format!("Invoice order {number}"),
    select_bill: |number, month| format!("Invoice the {month} pay-per-use bill of {number}"),
    usage_bill: |month| format!("Pay-per-use, {month} bill"),
    column_document: "Document",
    download_pdf: "PDF",
    download_pdf_of: |number| format!("Download {number} as PDF"),
    profile_choice: "Make it out to",
    no_profile: "Add an invoice profile in My Account first.",
    request: "Request invoice",
    requesting: "Requesting…",
    invoices_title: "Your invoices",
    invoices_empty: "No invoices yet.",
    column_number: "Number",
    column_issuer: "Issuer",
    column_state: "State",
    column_date: "Date",
    column_total: "Total",
    credit_note: "Credit note",
    against: |number| format!("against {number}"),
    waiting_until: |date| format!("Requested — the seller issues it by {date}"),
    requested: "Requested",
    issued: "Issued",
    rejected: "Rejected",
    topic_issued: |issuer, _| format!("{issuer} issued your invoice: it is on the Invoices page."),
    topic_rejected: |issuer, _| format!("{issuer} rejected your invoice request: the reason is on the Invoices page."),
    topic_overdue: |issuer, date| format!("{issuer} has not issued a requested invoice by its deadline, {date}."),
    seller_title: "Invoice requests",
    seller_intro: "Issue or reject each request within 5 business days; Bazaar makes the document with your details and numbers it in your sequence.",
    seller_empty: "No invoice requests.",
    issue: "Issue",
    reject: "Reject",
    reject_reason_label: "Reason for the buyer",
    made_out_to: "Made out to",
    due_by: |date| format!("Due by {date}"),
};

const ZH_CN: InvoiceMessages = InvoiceMessages {
    nav: "发票管理",
    title: "发票管理",
    intro: "为已支付的项目申请发票：购买、续费和已结算的按需账单，扣除退款。云市场自营商品的发票立即开具；其他卖家在 5 个工作日内自行开具。",
    profiles_title: "发票信息",
    profiles_intro: "发票抬头等信息。已开具的发票保留申请时的信息。",
    profiles_empty: "还没有发票信息：请先添加，再申请发票。",
    add_profile: "添加发票信息",
    edit: "编辑",
    delete: "删除",
    save: "保存",
    saving: "正在保存…",
    cancel: "取消",
    kind_label: "发票类型",
    personal: "个人",
    enterprise: "企业",
    title_label: "发票抬头",
    tax_id_label: "税号",
    tax_id_hint: "18 位统一社会信用代码，或带国家前缀的欧盟增值税号。",
    tax_id_invalid: "税号无效：请逐位核对（统一社会信用代码的最后一位是校验码）。",
    address_label: "地址（选填）",
    phone_label: "电话（选填）",
    bank_account_label: "开户行及账号（选填）",
    email_label: "接收发票的邮箱",
    default_label: "设为默认",
    default_badge: "默认",
    invoiceable_title: "可开票项目",
    invoiceable_empty: "没有可开票的项目：已支付的项目均已开票或已退款。",
    by_reseller: |reseller| format!("您通过 {reseller} 购买：发票由该经销商开具，而非云市场。"),
    issued_by: |issuer| format!("开票方：{issuer}"),
    bazaar_issues_at_once: "立即开具。",
    seller_issues_within: "卖家在 5 个工作日内开具。",
    column_order: "订单",
    column_product: "商品",
    column_paid: "已支付",
    column_invoiceable: "可开票金额",
    select_item: |number| format!("为订单 {number} 开票"),
    select_bill: |number, month| format!("为 {number} 的 {month} 按需账单开票"),
    usage_bill: |month| format!("按需计费，{month} 账单"),
    column_document: "文件",
    download_pdf: "PDF",
    download_pdf_of: |number| format!("下载 {number} 的 PDF"),
    profile_choice: "发票抬头",
    no_profile: "请先在“我的账户”中添加发票信息。",
    request: "申请发票",
    requesting: "正在申请…",
    invoices_title: "我的发票",
    invoices_empty: "暂无发票。",
    column_number: "发票号",
    column_issuer: "开票方",
    column_state: "状态",
    column_date: "日期",
    column_total: "金额",
    credit_note: "红字发票",
    against: |number| format!("冲红 {number}"),
    waiting_until: |date| format!("已申请 — 卖家将于 {date} 前开具"),
    requested: "已申请",
    issued: "已开具",
    rejected: "已驳回",
    topic_issued: |issuer, _| format!("{issuer} 已为您开具发票：请在发票管理页面查看。"),
    topic_rejected: |issuer, _| format!("{issuer} 驳回了您的开票申请：原因请在发票管理页面查看。"),
    topic_overdue: |issuer, date| format!("{issuer} 未在截止时间 {date} 前开具已申请的发票。"),
    seller_title: "开票申请",
    seller_intro: "请在 5 个工作日内开具或驳回每个申请；云市场按您的信息生成发票，并按您的序列编号。",
    seller_empty: "暂无开票申请。",
    issue: "开具",
    reject: "驳回",
    reject_reason_label: "驳回原因（买家可见）",
    made_out_to: "发票抬头",
    due_by: |date| format!("截止 {date}"),
};

impl InvoiceMessages {
    pub fn kind(&self, kind: ProfileKind) -> &'static str {
        match kind {
            ProfileKind::Personal => self.personal,
            ProfileKind::Enterprise => self.enterprise,
        }
    }

    pub fn state(&self, state: InvoiceState) -> &'static str {
        match state {
            InvoiceState::Requested => self.requested,
            InvoiceState::Issued => self.issued,
            InvoiceState::Rejected => self.rejected,
        }
    }

    pub fn invoice_kind(&self, kind: InvoiceKind) -> Option<&'static str> {
        (kind == InvoiceKind::CreditNote).then_some(self.credit_note)
    }
}

impl Locale {
    pub fn invoice_messages(self) -> &'static InvoiceMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Invoice Management strings of the current language (reactive).
    pub fn invoices(&self) -> &'static InvoiceMessages {
        self.0.get().invoice_messages()
    }
}
