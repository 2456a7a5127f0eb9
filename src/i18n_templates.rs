//! The i18n strings of the sellers' request-template editor, in English and Simplified
//! Chinese; one struct per language, so a missing string is a compile error.

use bazaar_core::error::{FieldError, FieldErrorCode};
use bazaar_core::supervision::{
    TEMPLATE_MAX_CHARS, TEMPLATE_MAX_FIELDS, TEMPLATE_MAX_HINT_CHARS, TEMPLATE_MAX_KEY_CHARS, TEMPLATE_MAX_LABEL_CHARS,
    TEMPLATE_MAX_OPTION_CHARS, TEMPLATE_MAX_OPTIONS,
};
use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct TemplateMessages {
    pub link: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub only_sellers: &'static str,
    pub no_products: &'static str,
    pub product: &'static str,
    /// Fills in: `number`.
    pub field_heading: fn(&str) -> String,
    pub label: &'static str,
    pub key: &'static str,
    pub key_hint: &'static str,
    pub kind: &'static str,
    pub kind_text: &'static str,
    pub kind_long_text: &'static str,
    pub kind_number: &'static str,
    pub kind_date: &'static str,
    pub kind_choice: &'static str,
    pub max_chars: &'static str,
    pub min: &'static str,
    pub max: &'static str,
    pub options: &'static str,
    pub required: &'static str,
    pub hint: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub remove: &'static str,
    pub add: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub fix_problems: &'static str,
    /// Fills in: `max`.
    pub err_fields: fn(usize) -> String,
    /// Fills in: `max`.
    pub err_key: fn(usize) -> String,
    pub err_key_duplicate: &'static str,
    /// Fills in: `max`.
    pub err_label: fn(usize) -> String,
    /// Fills in: `max`.
    pub err_hint: fn(usize) -> String,
    /// Fills in: `max`.
    pub err_max_chars: fn(u32) -> String,
    pub err_range: &'static str,
    pub err_number: &'static str,
    /// Fills in: `max`, `max_chars`.
    pub err_options: fn(usize, usize) -> String,
}

static EN: TemplateMessages = TemplateMessages {
    link: "Request templates",
    title: "Request templates",
    intro: "Buyers of your supervised products fill in this form when they submit their request. Requests already submitted keep the values they were sent with.",
    only_sellers: "Only sellers edit request templates.",
    no_products: "You have no supervised products.",
    product: "Product",
    field_heading: |number| format!("Field {number}"),
    label: "Label",
    key: "Key",
    key_hint: "Names the answer in requests; keep it when you rename the field. a-z, 0-9 and _.",
    kind: "Type",
    kind_text: "Short text",
    kind_long_text: "Long text",
    kind_number: "Whole number",
    kind_date: "Date",
    kind_choice: "Choice",
    max_chars: "Most characters",
    min: "Smallest number",
    max: "Largest number",
    options: "Choices, one per line",
    required: "Buyers must fill it in",
    hint: "Help for buyers (optional)",
    move_up: "Move up",
    move_down: "Move down",
    remove: "Remove",
    add: "Add a field",
    save: "Save template",
    saving: "Saving…",
    saved: "Template saved. New requests use it.",
    fix_problems: "Correct the fields marked below.",
    err_fields: |max| format!("A template has 1 to {max} fields."),
    err_key: |max| format!("Use 1 to {max} of a-z, 0-9 and _."),
    err_key_duplicate: "Another field has this key.",
    err_label: |max| format!("Labels have 1 to {max} characters."),
    err_hint: |max| format!("Hints have at most {max} characters."),
    err_max_chars: |max| format!("Allow 1 to {max} characters."),
    err_range: "The largest number must not be below the smallest.",
    err_number: "Enter whole numbers.",
    err_options: |max, max_chars| format!("Offer 1 to {max} different choices of 1 to {max_chars} characters each."),
};

static ZH_CN: TemplateMessages = TemplateMessages {
    link: "需求模板",
    title: "需求模板",
    intro: "购买您受监管商品的买家在提交需求时填写此表单。已提交的需求保留其提交时的内容。",
    only_sellers: "只有卖家可以编辑需求模板。",
    no_products: "您没有受监管的商品。",
    product: "商品",
    field_heading: |number| format!("字段 {number}"),
    label: "标签",
    key: "键",
    key_hint: "在需求中标识该答案；重命名字段时请保持不变。仅限 a-z、0-9 和 _。",
    kind: "类型",
    kind_text: "短文本",
    kind_long_text: "长文本",
    kind_number: "整数",
    kind_date: "日期",
    kind_choice: "选项",
    max_chars: "最多字符数",
    min: "最小值",
    max: "最大值",
    options: "选项（每行一个）",
    required: "买家必须填写",
    hint: "给买家的说明（可选）",
    move_up: "上移",
    move_down: "下移",
    remove: "删除",
    add: "添加字段",
    save: "保存模板",
    saving: "正在保存…",
    saved: "模板已保存，新的需求将使用它。",
    fix_problems: "请更正下方标出的字段。",
    err_fields: |max| format!("模板包含 1 到 {max} 个字段。"),
    err_key: |max| format!("请使用 1 到 {max} 个 a-z、0-9 或 _ 字符。"),
    err_key_duplicate: "已有字段使用此键。",
    err_label: |max| format!("标签为 1 到 {max} 个字符。"),
    err_hint: |max| format!("说明最多 {max} 个字符。"),
    err_max_chars: |max| format!("允许 1 到 {max} 个字符。"),
    err_range: "最大值不能小于最小值。",
    err_number: "请输入整数。",
    err_options: |max, max_chars| format!("请提供 1 到 {max} 个互不相同的选项，每个 1 到 {max_chars} 个字符。"),
};

impl Locale {
    pub fn template_messages(self) -> &'static TemplateMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Template-editor strings of the current language (reactive).
    pub fn tpl(&self) -> &'static TemplateMessages {
        self.0.get().template_messages()
    }
}

impl TemplateMessages {
    /// The message for a problem of `bazaar_core::supervision::validate_template`, by the
    /// part of the field it names (`fields[2].label` → `label`) and its code.
    pub fn problem(&self, error: &FieldError) -> String {
        let part = error.field.rsplit('.').next().unwrap_or_default();
        match (part, &error.code) {
            ("fields", _) => (self.err_fields)(TEMPLATE_MAX_FIELDS),
            ("key", FieldErrorCode::Duplicate) => self.err_key_duplicate.to_owned(),
            ("key", _) => (self.err_key)(TEMPLATE_MAX_KEY_CHARS),
            ("label", _) => (self.err_label)(TEMPLATE_MAX_LABEL_CHARS),
            ("hint", _) => (self.err_hint)(TEMPLATE_MAX_HINT_CHARS),
            ("max_chars", _) => (self.err_max_chars)(TEMPLATE_MAX_CHARS),
            ("min" | "max", FieldErrorCode::NotANumber) => self.err_number.to_owned(),
            ("max", _) => self.err_range.to_owned(),
            ("options", _) => (self.err_options)(TEMPLATE_MAX_OPTIONS, TEMPLATE_MAX_OPTION_CHARS),
            _ => self.fix_problems.to_owned(),
        }
    }
}
