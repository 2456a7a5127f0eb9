//! After-Sales Support's terms in both languages: ticket categories, states, who wrote a
//! post and what it did, the actions, and why an action is refused. Kept in tables read by
//! the enums' positions, so a new language is one more table.

use bazaar_core::support::tickets::{TicketAction, TicketBlocked, TicketCategory, TicketState};

pub struct SupportTerms {
    /// In `TicketCategory::ALL`'s order.
    categories: [&'static str; 5],
    /// Awaiting the seller, awaiting the buyer, resolved, closed.
    states: [&'static str; 4],
    /// The buyer, the seller, operations, Bazaar itself.
    authors: [&'static str; 4],
    /// What a post did, by its stored action (a plain reply has none).
    post_actions: [(&'static str, &'static str); 9],
    /// Reply, resolve, confirm, reopen, escalate, return to seller, close with a decision,
    /// rate.
    actions: [&'static str; 8],
    /// Why an action is refused, in `TicketBlocked`'s order (without the deadline's own).
    blocked: [&'static str; 10],
    /// Fills in: the seller's deadline.
    seller_has_until: fn(&str) -> String,
}

pub static EN: SupportTerms = SupportTerms {
    categories: ["Cannot log in", "How to use it", "Something is broken", "Billing", "Something else"],
    states: ["Waiting for the seller", "Answered", "Resolved, waiting for confirmation", "Closed"],
    authors: ["Buyer", "Seller", "Bazaar operations", "Bazaar"],
    post_actions: [
        ("opened", "opened the ticket"),
        ("resolve", "marked it resolved"),
        ("confirm", "confirmed it is solved"),
        ("reopen", "reopened it"),
        ("escalate", "escalated it to operations"),
        ("return_to_seller", "sent it back to the seller"),
        ("close_with_decision", "closed it with a decision"),
        ("rate", "rated the support"),
        ("closed_by_time", "closed it: 7 days without an answer"),
    ],
    actions: [
        "Send reply",
        "Mark resolved",
        "Confirm it is solved",
        "Reopen",
        "Escalate to operations",
        "Send back to the seller",
        "Close with this decision",
        "Rate the support",
    ],
    blocked: [
        "The ticket is closed.",
        "Not yours to do.",
        "Operations have the ticket now.",
        "Only escalated tickets.",
        "Only once the seller marks it resolved.",
        "Resolved: the buyer confirms or reopens it first.",
        "The seller answered; escalate after reopening twice.",
        "Operations have it already.",
        "Once the ticket is closed.",
        "You rated it already.",
    ],
    seller_has_until: |date| format!("The seller has until {date} to answer."),
};

pub static ZH_CN: SupportTerms = SupportTerms {
    categories: ["无法登录", "使用咨询", "故障", "计费问题", "其他"],
    states: ["等待卖家答复", "已答复", "已解决，待确认", "已关闭"],
    authors: ["买家", "卖家", "Bazaar 运营", "Bazaar"],
    post_actions: [
        ("opened", "提交了工单"),
        ("resolve", "标记为已解决"),
        ("confirm", "确认已解决"),
        ("reopen", "重新打开了工单"),
        ("escalate", "升级至运营团队"),
        ("return_to_seller", "退回卖家处理"),
        ("close_with_decision", "作出决定并关闭"),
        ("rate", "评价了服务"),
        ("closed_by_time", "7 天未回复，自动关闭"),
    ],
    actions: [
        "发送回复",
        "标记为已解决",
        "确认已解决",
        "重新打开",
        "升级至运营团队",
        "退回卖家",
        "作出决定并关闭",
        "提交评价",
    ],
    blocked: [
        "工单已关闭。",
        "您无此操作。",
        "工单正由运营团队处理。",
        "仅限已升级的工单。",
        "卖家标记为已解决后可用。",
        "已解决：请先由买家确认或重新打开。",
        "卖家已答复；重新打开两次后可升级。",
        "已升级至运营团队。",
        "工单关闭后可评价。",
        "您已评价。",
    ],
    seller_has_until: |date| format!("卖家可在 {date} 前答复。"),
};

impl SupportTerms {
    pub fn category(&self, category: TicketCategory) -> &'static str {
        let index = TicketCategory::ALL.iter().position(|each| *each == category).unwrap_or(0);
        self.categories[index]
    }

    pub fn state(&self, state: TicketState) -> &'static str {
        self.states[match state {
            TicketState::AwaitingSeller => 0,
            TicketState::AwaitingBuyer => 1,
            TicketState::Resolved => 2,
            TicketState::Closed => 3,
        }]
    }

    /// A post's author, by its stored role.
    pub fn author(&self, role: &str) -> &'static str {
        self.authors[match role {
            "buyer" => 0,
            "seller" => 1,
            "operations" => 2,
            _ => 3,
        }]
    }

    /// What a post did, when it is more than a message.
    pub fn post_action(&self, action: &str) -> Option<&'static str> {
        self.post_actions.iter().find(|(stored, _)| *stored == action).map(|(_, words)| *words)
    }

    pub fn action(&self, action: TicketAction) -> &'static str {
        self.actions[match action {
            TicketAction::Reply => 0,
            TicketAction::Resolve => 1,
            TicketAction::Confirm => 2,
            TicketAction::Reopen => 3,
            TicketAction::Escalate => 4,
            TicketAction::ReturnToSeller => 5,
            TicketAction::CloseWithDecision => 6,
            TicketAction::Rate => 7,
        }]
    }

    /// Why an action is disabled, with its date worded by `date`.
    pub fn blocked(&self, blocked: TicketBlocked, date: impl Fn(time::OffsetDateTime) -> String) -> String {
        let index = match blocked {
            TicketBlocked::SellerStillHasTime { until } => return (self.seller_has_until)(&date(until)),
            TicketBlocked::Closed => 0,
            TicketBlocked::NotYourAction => 1,
            TicketBlocked::WithOperations => 2,
            TicketBlocked::NotEscalated => 3,
            TicketBlocked::NotResolved => 4,
            TicketBlocked::AwaitingConfirmation => 5,
            TicketBlocked::SellerAnswered => 6,
            TicketBlocked::AlreadyEscalated => 7,
            TicketBlocked::NotClosed => 8,
            TicketBlocked::AlreadyRated => 9,
        };
        self.blocked[index].to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_words_every_term() {
        for terms in [&EN, &ZH_CN] {
            assert!(TicketCategory::ALL.iter().all(|category| !terms.category(*category).is_empty()));
            assert_eq!(terms.post_action("reply"), None);
            assert!(terms.post_action("closed_by_time").is_some());
        }
        assert_eq!(EN.state(TicketState::Resolved), "Resolved, waiting for confirmation");
        assert_eq!(ZH_CN.action(TicketAction::Escalate), "升级至运营团队");
    }
}
