//! The strings of After-Sales Support — tickets, the seller's queue, operations' escalated
//! tickets, and their messages — in English and Simplified Chinese.

use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct SupportMessages {
    pub group: &'static str,
    pub topic_needs_answer: fn(&str, &str) -> String,
    pub topic_answered: fn(&str, &str) -> String,
    pub topic_resolved: fn(&str, &str) -> String,
    pub topic_escalated: fn(&str, &str) -> String,
    pub topic_closed: fn(&str, &str) -> String,
}

static EN: SupportMessages = SupportMessages {
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
};

static ZH_CN: SupportMessages = SupportMessages {
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
