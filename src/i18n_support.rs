//! The strings of After-Sales Support — tickets, the seller's queue, operations' escalated
//! tickets, and their messages — in English and Simplified Chinese.

use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct SupportMessages {
    /// Categories, states, authors, actions and the reasons an action is refused.
    pub terms: &'static crate::i18n_support_terms::SupportTerms,
    pub nav: &'static str,
    pub seller_nav: &'static str,
    pub operations_nav: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub seller_intro: &'static str,
    pub operations_intro: &'static str,
    pub filter_label: &'static str,
    pub filter_open: &'static str,
    pub filter_closed: &'static str,
    pub empty: &'static str,
    pub empty_hint: &'static str,
    pub empty_link: &'static str,
    pub get_help: &'static str,
    pub column_ticket: &'static str,
    pub column_product: &'static str,
    pub column_category: &'static str,
    pub column_state: &'static str,
    pub column_updated: &'static str,
    pub column_deadline: &'static str,
    pub with_operations: &'static str,
    pub new_title: fn(&str) -> String,
    pub category_label: &'static str,
    pub description_label: &'static str,
    pub description_hint: &'static str,
    pub files_label: &'static str,
    pub files_hint: &'static str,
    pub submit: &'static str,
    pub sending: &'static str,
    pub ticket_title: fn(i64) -> String,
    pub answers_by: fn(&str) -> String,
    pub seller_late: fn(&str) -> String,
    pub closes_itself: fn(&str) -> String,
    pub seller_contact: fn(&str, &str, &str) -> String,
    pub thread: &'static str,
    pub cause: &'static str,
    pub fix: &'static str,
    pub attachments: &'static str,
    pub reply_label: &'static str,
    pub decision_label: &'static str,
    pub rating_label: &'static str,
    pub rated: fn(u8) -> String,
    pub stars: fn(u8) -> String,
    pub done: &'static str,
    pub group: &'static str,
    pub topic_needs_answer: fn(&str, &str) -> String,
    pub topic_answered: fn(&str, &str) -> String,
    pub topic_resolved: fn(&str, &str) -> String,
    pub topic_escalated: fn(&str, &str) -> String,
    pub topic_closed: fn(&str, &str) -> String,
    pub topic_seller_late: fn(&str, &str) -> String,
    pub topic_overdue: fn(&str, &str) -> String,
    pub reviews_title: &'static str,
    pub average: fn(&str, u32) -> String,
    pub no_reviews: &'static str,
    pub chart_label: &'static str,
    pub column_stars: &'static str,
    pub column_reviews: &'static str,
    pub stars_of_5: fn(u8) -> String,
    pub your_review: &'static str,
    pub review_stars_label: &'static str,
    pub review_text_label: &'static str,
    pub review_text_hint: &'static str,
    pub review_text_too_short: &'static str,
    pub save_review: &'static str,
    pub saving: &'static str,
    pub refusal_no_order: &'static str,
    pub refusal_left: &'static str,
    pub hidden_notice: fn(&str) -> String,
    pub seller_answer: &'static str,
    pub answer_label: &'static str,
    pub answer_button: &'static str,
    pub hide_label: &'static str,
    pub hide_button: &'static str,
    pub support_figures: fn(&str, &str, u32) -> String,
    pub previous_page: &'static str,
    pub next_page: &'static str,
}

static EN: SupportMessages = SupportMessages {
    terms: &crate::i18n_support_terms::EN,
    nav: "Support",
    seller_nav: "Support tickets",
    operations_nav: "Escalated tickets",
    title: "After-Sales Support",
    intro: "Tell the seller about a problem with something you bought. The seller answers within 24 hours; if it does not, or a resolution does not hold twice, you can escalate to Bazaar's operations team.",
    seller_intro: "Answer each ticket within 24 hours of the buyer's message, and resolve it with its cause and fix. Tickets you do not answer in time can be escalated to operations.",
    operations_intro: "Tickets buyers escalated: answer the buyer, send the ticket back to the seller, or close it with a decision.",
    filter_label: "Show",
    filter_open: "Open",
    filter_closed: "Closed",
    empty: "No tickets here.",
    empty_hint: "Something wrong with an app you bought? Choose Get help on its page or on its order.",
    empty_link: "Go to Purchased Apps",
    get_help: "Get help",
    column_ticket: "Ticket",
    column_product: "Product",
    column_category: "About",
    column_state: "State",
    column_updated: "Last change",
    column_deadline: "Seller answers by",
    with_operations: "With operations",
    new_title: |order| format!("Get help with {order}"),
    category_label: "What is it about?",
    description_label: "What happened?",
    description_hint: "Up to 5,000 characters. The seller sees it as you write it.",
    files_label: "Screenshots or documents",
    files_hint: "Up to 3 PNG, JPEG or PDF files of at most 5 MB each.",
    submit: "Send to the seller",
    sending: "Sending…",
    ticket_title: |id| format!("Support ticket #{id}"),
    answers_by: |date| format!("The seller answers by {date}."),
    seller_late: |date| format!("The seller did not answer by {date}: you can escalate to operations."),
    closes_itself: |date| format!("Resolved: confirm or reopen it; it closes by itself on {date}."),
    seller_contact: |hours, email, phone| format!("Seller support: {hours} · {email} · {phone}"),
    thread: "Conversation",
    cause: "Cause",
    fix: "Fix",
    attachments: "Attachments",
    reply_label: "Your message",
    decision_label: "Decision (the buyer and the seller read it)",
    rating_label: "How was the support?",
    rated: |stars| format!("Support rated {stars} of 5"),
    stars: |stars| if stars == 1 { "1 star".to_owned() } else { format!("{stars} stars") },
    done: "Saved.",
    reviews_title: "Reviews",
    average: |average, count| format!("{average} out of 5 · {count} {}", if count == 1 { "review" } else { "reviews" }),
    no_reviews: "No reviews yet. Buyers who received this product can write one.",
    chart_label: "Reviews per number of stars",
    column_stars: "Stars",
    column_reviews: "Reviews",
    stars_of_5: |stars| format!("{stars} of 5 stars"),
    your_review: "Your review",
    review_stars_label: "Stars",
    review_text_label: "What did you think?",
    review_text_hint: "20 to 5,000 characters. You can edit it later.",
    review_text_too_short: "Write at least 20 characters.",
    save_review: "Save review",
    saving: "Saving…",
    refusal_no_order: "You can review this product once an order of it was delivered to you.",
    refusal_left: "You left this product more than 45 days ago, so you can no longer review it.",
    hidden_notice: |reason| format!("Operations hid your review: {reason}"),
    seller_answer: "The seller answered",
    answer_label: "Your answer (once)",
    answer_button: "Answer",
    hide_label: "Reason for hiding it",
    hide_button: "Hide review",
    support_figures: |time, rating, tickets| {
        format!("Seller support: first answer in a median of {time}; rated {rating} of 5 over {tickets} tickets.")
    },
    previous_page: "Newer reviews",
    next_page: "Older reviews",
    group: "Support",
    topic_needs_answer: |subject, date| {
        if date.is_empty() {
            format!("A support ticket about {subject} waits for your answer.")
        } else {
            format!("A support ticket about {subject} waits for your answer by {date}.")
        }
    },
    topic_answered: |subject, _| format!("Your support ticket about {subject} was answered."),
    topic_resolved: |subject, date| {
        format!("Your support ticket about {subject} was resolved: confirm or reopen it by {date}.")
    },
    topic_escalated: |subject, _| format!("The support ticket about {subject} was escalated to operations."),
    topic_closed: |subject, _| format!("The support ticket about {subject} was closed."),
    topic_seller_late: |subject, date| {
        format!(
            "The seller did not answer your ticket about {subject} by {date}: you can escalate it to operations now."
        )
    },
    topic_overdue: |subject, date| {
        format!(
            "The support ticket about {subject} passed its answer deadline ({date}); the buyer can escalate it now."
        )
    },
};

static ZH_CN: SupportMessages = SupportMessages {
    terms: &crate::i18n_support_terms::ZH_CN,
    nav: "售后支持",
    seller_nav: "售后工单",
    operations_nav: "升级工单",
    title: "售后支持",
    intro: "向卖家反映已购商品的问题。卖家须在 24 小时内答复；若未答复，或解决方案两次无效，您可以升级至 Bazaar 运营团队。",
    seller_intro: "请在买家留言后 24 小时内答复每个工单，并附上原因和解决方法。未按时答复的工单可能被升级至运营团队。",
    operations_intro: "买家升级的工单：答复买家、退回卖家处理，或作出决定并关闭。",
    filter_label: "显示",
    filter_open: "处理中",
    filter_closed: "已关闭",
    empty: "暂无工单。",
    empty_hint: "已购应用遇到问题？请在应用详情或订单页面点击“获取帮助”。",
    empty_link: "前往已购应用",
    get_help: "获取帮助",
    column_ticket: "工单",
    column_product: "商品",
    column_category: "问题类型",
    column_state: "状态",
    column_updated: "最近更新",
    column_deadline: "卖家答复截止",
    with_operations: "运营处理中",
    new_title: |order| format!("就 {order} 获取帮助"),
    category_label: "问题类型",
    description_label: "问题描述",
    description_hint: "最多 5,000 字。卖家将看到您填写的原文。",
    files_label: "截图或文件",
    files_hint: "最多 3 个 PNG、JPEG 或 PDF 文件，每个不超过 5 MB。",
    submit: "提交给卖家",
    sending: "提交中…",
    ticket_title: |id| format!("售后工单 #{id}"),
    answers_by: |date| format!("卖家将于 {date} 前答复。"),
    seller_late: |date| format!("卖家未在 {date} 前答复：您可以升级至运营团队。"),
    closes_itself: |date| format!("已解决：请确认或重新打开；{date} 将自动关闭。"),
    seller_contact: |hours, email, phone| format!("卖家客服：{hours} · {email} · {phone}"),
    thread: "沟通记录",
    cause: "原因",
    fix: "解决方法",
    attachments: "附件",
    reply_label: "您的消息",
    decision_label: "处理决定（买家和卖家可见）",
    rating_label: "您对本次服务的评价",
    rated: |stars| format!("服务评分 {stars}/5"),
    stars: |stars| format!("{stars} 星"),
    done: "已保存。",
    reviews_title: "用户评价",
    average: |average, count| format!("{average} 分（满分 5 分）· {count} 条评价"),
    no_reviews: "暂无评价。收到此商品的买家可以发表评价。",
    chart_label: "各星级评价数",
    column_stars: "星级",
    column_reviews: "评价数",
    stars_of_5: |stars| format!("{stars} 星（满分 5 星）"),
    your_review: "我的评价",
    review_stars_label: "星级",
    review_text_label: "您的使用感受",
    review_text_hint: "20 至 5,000 字，之后可以修改。",
    review_text_too_short: "请至少写 20 个字。",
    save_review: "保存评价",
    saving: "保存中…",
    refusal_no_order: "此商品交付给您后即可评价。",
    refusal_left: "您已退订此商品超过 45 天，无法再评价。",
    hidden_notice: |reason| format!("您的评价已被运营隐藏：{reason}"),
    seller_answer: "卖家回复",
    answer_label: "您的回复（仅一次）",
    answer_button: "回复",
    hide_label: "隐藏原因",
    hide_button: "隐藏评价",
    support_figures: |time, rating, tickets| {
        format!("卖家售后：首次答复时间中位数 {time}；{tickets} 个工单评分 {rating}/5。")
    },
    previous_page: "较新的评价",
    next_page: "较早的评价",
    group: "售后支持",
    topic_needs_answer: |subject, date| {
        if date.is_empty() {
            format!("关于 {subject} 的工单等待您的答复。")
        } else {
            format!("关于 {subject} 的工单等待您在 {date} 前答复。")
        }
    },
    topic_answered: |subject, _| format!("您关于 {subject} 的工单已有答复。"),
    topic_resolved: |subject, date| format!("您关于 {subject} 的工单已标记为解决：请在 {date} 前确认或重新打开。"),
    topic_escalated: |subject, _| format!("关于 {subject} 的工单已升级至运营团队。"),
    topic_closed: |subject, _| format!("关于 {subject} 的工单已关闭。"),
    topic_seller_late: |subject, date| {
        format!("卖家未在 {date} 前答复您关于 {subject} 的工单：您现在可以将其升级至运营团队。")
    },
    topic_overdue: |subject, date| format!("关于 {subject} 的工单已超过答复时限（{date}），买家现在可以将其升级。"),
};

impl Locale {
    pub fn support_messages(self) -> &'static SupportMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// After-Sales Support strings of the current language (reactive).
    pub fn support(&self) -> &'static SupportMessages {
        self.0.get().support_messages()
    }
}
