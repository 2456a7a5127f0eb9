//! The i18n strings of service supervision (buyer list and detail, seller console,
//! operations), in English and Simplified Chinese; one struct per language, so a missing
//! string is a compile error.

use bazaar_core::supervision::{AppealOutcome, FlowAction, FlowEventKind, Party, Step};
use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct SupervisionMessages {
    pub title_buyer: &'static str,
    pub title_seller: &'static str,
    pub title_operations: &'static str,
    pub intro_buyer: &'static str,
    pub intro_seller: &'static str,
    pub intro_operations: &'static str,
    pub filter_search: &'static str,
    pub filter_step: &'static str,
    pub filter_all_steps: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_open_appeals: &'static str,
    pub filter_apply: &'static str,
    pub empty: &'static str,
    pub empty_buyer: &'static str,
    pub col_order: &'static str,
    pub col_product: &'static str,
    pub col_counterpart: &'static str,
    pub col_step: &'static str,
    pub col_operations: &'static str,
    pub view_details: &'static str,
    /// Fills in: `order`.
    pub view_details_of: fn(&str) -> String,
    /// Fills in: `count`.
    pub count: fn(&str) -> String,
    pub frozen_badge: &'static str,
    pub your_turn: &'static str,
    /// Fills in: `party`.
    pub their_turn: fn(&str) -> String,
    pub nobody_turn: &'static str,
    pub step_awaiting_request: &'static str,
    pub step_request_under_review: &'static str,
    pub step_request_rejected: &'static str,
    pub step_in_service: &'static str,
    pub step_delivery_under_review: &'static str,
    pub step_accepted: &'static str,
    pub step_completed: &'static str,
    pub step_cancelled: &'static str,
    pub party_buyer: &'static str,
    pub party_seller: &'static str,
    pub party_operations: &'static str,
    pub party_system: &'static str,
    pub action_submit_request: &'static str,
    pub action_accept_request: &'static str,
    pub action_reject_request: &'static str,
    pub action_post_progress: &'static str,
    pub action_deliver: &'static str,
    pub action_accept_delivery: &'static str,
    pub action_reject_delivery: &'static str,
    pub action_remind: &'static str,
    pub action_appeal: &'static str,
    pub action_resolve_appeal: &'static str,
    pub action_ask_unsubscription: &'static str,
    pub action_propose_refund: &'static str,
    pub action_decline_unsubscription: &'static str,
    pub action_accept_proposal: &'static str,
    pub action_reject_proposal: &'static str,
    pub action_decide_unsubscription: &'static str,
    pub event_flow_started: &'static str,
    pub event_request_submitted: &'static str,
    pub event_request_accepted: &'static str,
    pub event_request_rejected: &'static str,
    pub event_progress_updated: &'static str,
    pub event_delivered: &'static str,
    pub event_delivery_accepted: &'static str,
    pub event_delivery_rejected: &'static str,
    pub event_reminded: &'static str,
    pub event_appeal_opened: &'static str,
    pub event_appeal_resolved: &'static str,
    pub event_completed: &'static str,
    pub event_unsubscription_asked: &'static str,
    pub event_refund_proposed: &'static str,
    pub event_unsubscription_declined: &'static str,
    pub event_proposal_accepted: &'static str,
    pub event_proposal_rejected: &'static str,
    pub event_unsubscription_decided: &'static str,
    /// Fills in: `amount`.
    pub refund_line: fn(&str) -> String,
    pub negotiation_title: &'static str,
    /// Fills in: `date`, `reason`.
    pub negotiation_asked: fn(&str, &str) -> String,
    pub stage_asked: &'static str,
    /// Fills in: `amount`.
    pub stage_proposed: fn(&str) -> String,
    pub stage_declined: &'static str,
    /// Fills in: `amount`.
    pub stage_rejected: fn(&str) -> String,
    /// Fills in: `amount`.
    pub stage_agreed: fn(&str) -> String,
    /// Fills in: `amount`.
    pub accept_offer_explained: fn(&str) -> String,
    pub form_amount: &'static str,
    /// Fills in: `paid`.
    pub form_amount_hint: fn(&str) -> String,
    /// Fills in: `date`.
    pub service_started: fn(&str) -> String,
    pub outcome_resume: &'static str,
    pub outcome_complete_for_seller: &'static str,
    pub outcome_refund_buyer: &'static str,
    pub blocked_frozen: &'static str,
    pub blocked_finished: &'static str,
    /// Fills in: `remaining`.
    pub blocked_awaiting_completion: fn(&str) -> String,
    pub blocked_wrong_step: &'static str,
    /// Fills in: `limit`.
    pub blocked_rejection_limit: fn(&str) -> String,
    /// Fills in: `remaining`.
    pub blocked_reminded: fn(&str) -> String,
    /// Fills in: `remaining`, `party`, `ago`.
    pub blocked_not_idle: fn(&str, &str, &str) -> String,
    /// Fills in: `days`, `limit`.
    pub blocked_no_grounds_buyer: fn(i64, u32) -> String,
    /// Fills in: `days`.
    pub blocked_no_grounds_seller: fn(i64) -> String,
    /// Fills in: `days`, `date`.
    pub blocked_window_closed: fn(i64, &str) -> String,
    pub blocked_no_open_appeal: &'static str,
    /// Fills in: `limit` (core::supervision::MAX_EVENTS_PER_FLOW).
    pub blocked_timeline_full: fn(u32) -> String,
    pub blocked_no_unsubscription_asked: &'static str,
    pub blocked_unsubscription_under_way: &'static str,
    pub blocked_no_proposal: &'static str,
    pub rules_title: &'static str,
    /// Fills in: `count`, `limit`.
    pub rules_request_rejections: fn(&str, &str) -> String,
    /// Fills in: `count`, `limit`.
    pub rules_delivery_rejections: fn(&str, &str) -> String,
    /// Fills in: `party`, `elapsed`, `allowed`.
    pub rules_idle: fn(&str, &str, &str) -> String,
    /// Fills in: `date`, `remaining`.
    pub rules_window: fn(&str, &str) -> String,
    /// Fills in: `date`.
    pub rules_window_closed: fn(&str) -> String,
    /// Fills in: `date`.
    pub rules_planned: fn(&str) -> String,
    /// Fills in: `date`, `remaining`.
    pub rules_completes: fn(&str, &str) -> String,
    /// Fills in: `remaining`.
    pub rules_next_reminder: fn(&str) -> String,
    /// Fills in: `remaining`.
    pub in_prefix: fn(&str) -> String,
    pub timeline_title: &'static str,
    pub current_step: &'static str,
    /// Fills in: `party`, `date`, `reason`.
    pub appeal_open_by: fn(&str, &str, &str) -> String,
    pub form_reason: &'static str,
    pub form_note: &'static str,
    pub form_note_optional: &'static str,
    pub form_delivery_note: &'static str,
    pub form_service_start: &'static str,
    pub form_outcome: &'static str,
    pub form_send: &'static str,
    pub form_cancel: &'static str,
    pub form_request_title: &'static str,
    pub application_title: &'static str,
    pub application_pending: &'static str,
    pub stale: &'static str,
    pub acted: &'static str,
    /// Fills in: `name`.
    pub counterpart_buyer: fn(&str) -> String,
    /// Fills in: `name`.
    pub counterpart_seller: fn(&str) -> String,
    pub back: &'static str,
}

pub static EN: SupervisionMessages = SupervisionMessages {
    title_buyer: "Service Supervision",
    title_seller: "Seller Console",
    title_operations: "Appeals and flows",
    intro_buyer: "Supervised purchases: submit your request, follow the seller's work and accept the delivery.",
    intro_seller: "Flows of your products: review requests, post progress and deliver.",
    intro_operations: "Flows frozen by an appeal wait for your resolution.",
    filter_search: "Order number or product",
    filter_step: "Step",
    filter_all_steps: "All steps",
    filter_from: "Started from",
    filter_to: "Started until",
    filter_open_appeals: "Only flows with an open appeal",
    filter_apply: "Search",
    empty: "No service flows match.",
    empty_buyer: "You have no supervised purchases yet.",
    col_order: "Order",
    col_product: "Product",
    col_counterpart: "With",
    col_step: "Step",
    col_operations: "Operations",
    view_details: "View Details",
    view_details_of: |order| format!("View details of {order}"),
    count: |count| format!("Flows: {count}"),
    frozen_badge: "Frozen by an appeal",
    your_turn: "Your turn",
    their_turn: |party| format!("Waiting for the {party}"),
    nobody_turn: "No action needed",
    step_awaiting_request: "Awaiting the buyer's request",
    step_request_under_review: "Request under review by the seller",
    step_request_rejected: "Request rejected — the buyer edits and resubmits",
    step_in_service: "The seller is providing the service",
    step_delivery_under_review: "Delivered — awaiting the buyer's acceptance",
    step_accepted: "Accepted — completing",
    step_completed: "Completed",
    step_cancelled: "Cancelled",
    party_buyer: "buyer",
    party_seller: "seller",
    party_operations: "operations",
    party_system: "Bazaar",
    action_submit_request: "Submit request",
    action_accept_request: "Accept request",
    action_reject_request: "Reject request",
    action_post_progress: "Post progress",
    action_deliver: "Deliver",
    action_accept_delivery: "Accept delivery",
    action_reject_delivery: "Reject delivery",
    action_remind: "Remind seller",
    action_appeal: "Appeal",
    action_resolve_appeal: "Resolve appeal",
    action_ask_unsubscription: "Ask to unsubscribe",
    action_propose_refund: "Offer a refund",
    action_decline_unsubscription: "Decline the unsubscription",
    action_accept_proposal: "Accept the offer",
    action_reject_proposal: "Reject the offer",
    action_decide_unsubscription: "Decide the refund",
    event_flow_started: "Flow started: the order was paid",
    event_request_submitted: "Request submitted",
    event_request_accepted: "Request accepted",
    event_request_rejected: "Request rejected",
    event_progress_updated: "Progress update",
    event_delivered: "Delivered",
    event_delivery_accepted: "Delivery accepted",
    event_delivery_rejected: "Delivery rejected",
    event_reminded: "Reminder sent to the seller",
    event_appeal_opened: "Appeal opened",
    event_appeal_resolved: "Appeal resolved",
    event_completed: "Completed",
    event_unsubscription_asked: "Unsubscription asked",
    event_refund_proposed: "Refund offered",
    event_unsubscription_declined: "Unsubscription declined",
    event_proposal_accepted: "Offer accepted — unsubscribed",
    event_proposal_rejected: "Offer rejected",
    event_unsubscription_decided: "Refund decided by operations — unsubscribed",
    refund_line: |amount| format!("Refund: {amount}"),
    negotiation_title: "Unsubscription",
    negotiation_asked: |date, reason| format!("The buyer asked to unsubscribe on {date}: {reason}"),
    stage_asked: "Waiting for the seller to offer a refund or decline. After 5 days without an answer the buyer may appeal.",
    stage_proposed: |amount| format!("The seller offers {amount}. Waiting for the buyer to accept or reject."),
    stage_declined: "The seller declined. The buyer may appeal; operations then decide the refund.",
    stage_rejected: |amount| {
        format!("The buyer rejected the offer of {amount}. The seller may offer again; the buyer may appeal.")
    },
    stage_agreed: |amount| format!("Unsubscribed with a refund of {amount}. The order is cancelled."),
    accept_offer_explained: |amount| {
        format!("Accepting cancels the order now and refunds {amount} to the way you paid.")
    },
    form_amount: "Refund amount",
    form_amount_hint: |paid| format!("Between 0 and {paid} (what the buyer paid)."),
    service_started: |date| format!("Service started {date}"),
    outcome_resume: "Resume the flow",
    outcome_complete_for_seller: "Complete it for the seller",
    outcome_refund_buyer: "Cancel and refund the buyer",
    blocked_frozen: "Frozen: an appeal is open until operations resolve it.",
    blocked_finished: "The flow is over.",
    blocked_awaiting_completion: |remaining| format!("Accepted; the order completes in {remaining}."),
    blocked_wrong_step: "Not possible at this step.",
    blocked_rejection_limit: |limit| format!("The limit of {limit} rejections is reached: accept, or appeal."),
    blocked_reminded: |remaining| format!("You reminded the seller recently; you can remind again in {remaining}."),
    blocked_not_idle: |remaining, party, ago| {
        format!("Appeal possible in {remaining} — the {party} was last active {ago} ago.")
    },
    blocked_no_grounds_buyer: |days, limit| {
        format!(
            "Appeal possible once the seller has been idle on their turn for more than {days} days, or after {limit} rejections."
        )
    },
    blocked_no_grounds_seller: |days| {
        format!("Appeal possible once the buyer has not acted on their turn for more than {days} days.")
    },
    blocked_window_closed: |days, date| {
        format!("No appeals in the last {days} days before planned completion (closed {date}).")
    },
    blocked_no_open_appeal: "There is no open appeal.",
    blocked_timeline_full: |limit| format!("This timeline is full ({limit} entries); ask operations for help."),
    blocked_no_unsubscription_asked: "The buyer has not asked to unsubscribe, or the request was answered.",
    blocked_unsubscription_under_way: "An unsubscription request is already waiting for an answer.",
    blocked_no_proposal: "There is no refund offer to answer.",
    rules_title: "Rules and deadlines",
    rules_request_rejections: |count, limit| format!("Seller rejections of the request: {count} of {limit}"),
    rules_delivery_rejections: |count, limit| format!("Buyer rejections of the delivery: {count} of {limit}"),
    rules_idle: |party, elapsed, allowed| format!("{party} idle: {elapsed} of {allowed}"),
    rules_window: |date, remaining| format!("Appeal window closes {date} ({remaining})"),
    rules_window_closed: |date| format!("Appeal window closed {date}"),
    rules_planned: |date| format!("Planned completion {date}"),
    rules_completes: |date, remaining| format!("Completes {date} (in {remaining})"),
    rules_next_reminder: |remaining| format!("Next reminder possible in {remaining}"),
    in_prefix: |remaining| format!("in {remaining}"),
    timeline_title: "Timeline",
    current_step: "Current step",
    appeal_open_by: |party, date, reason| format!("Appeal opened by the {party} on {date}: {reason}"),
    form_reason: "Reason",
    form_note: "Note",
    form_note_optional: "Note (optional)",
    form_delivery_note: "Delivery note",
    form_service_start: "Actual service start time",
    form_outcome: "Outcome",
    form_send: "Send",
    form_cancel: "Cancel",
    form_request_title: "Your request",
    application_title: "Application information",
    application_pending: "The application is being set up.",
    stale: "Someone acted on this flow meanwhile; it has been reloaded. Check and try again.",
    acted: "Done.",
    counterpart_buyer: |name| format!("Buyer: {name}"),
    counterpart_seller: |name| format!("Seller: {name}"),
    back: "Back to the list",
};

pub static ZH_CN: SupervisionMessages = SupervisionMessages {
    title_buyer: "服务监管",
    title_seller: "卖家控制台",
    title_operations: "申诉与服务流程",
    intro_buyer: "受监管的购买：提交需求、跟进卖家进度并验收交付。",
    intro_seller: "您商品的服务流程：审核需求、更新进度并交付。",
    intro_operations: "因申诉而冻结的流程等待您处理。",
    filter_search: "订单号或商品",
    filter_step: "环节",
    filter_all_steps: "全部环节",
    filter_from: "开始日期自",
    filter_to: "开始日期至",
    filter_open_appeals: "仅显示有未处理申诉的流程",
    filter_apply: "搜索",
    empty: "没有符合条件的服务流程。",
    empty_buyer: "您还没有受监管的购买。",
    col_order: "订单",
    col_product: "商品",
    col_counterpart: "对方",
    col_step: "当前环节",
    col_operations: "操作",
    view_details: "查看详情",
    view_details_of: |order| format!("查看 {order} 的详情"),
    count: |count| format!("共 {count} 个流程"),
    frozen_badge: "申诉冻结中",
    your_turn: "轮到您",
    their_turn: |party| format!("等待{party}"),
    nobody_turn: "无需操作",
    step_awaiting_request: "等待买家提交需求",
    step_request_under_review: "卖家审核需求中",
    step_request_rejected: "需求被驳回，待买家修改后重新提交",
    step_in_service: "卖家服务中",
    step_delivery_under_review: "已交付，待买家验收",
    step_accepted: "已验收，即将完成",
    step_completed: "已完成",
    step_cancelled: "已取消",
    party_buyer: "买家",
    party_seller: "卖家",
    party_operations: "运营",
    party_system: "Bazaar",
    action_submit_request: "提交需求",
    action_accept_request: "接受需求",
    action_reject_request: "驳回需求",
    action_post_progress: "更新进度",
    action_deliver: "交付",
    action_accept_delivery: "验收通过",
    action_reject_delivery: "验收不通过",
    action_remind: "提醒卖家",
    action_appeal: "申诉",
    action_resolve_appeal: "处理申诉",
    action_ask_unsubscription: "申请退订",
    action_propose_refund: "提出退款",
    action_decline_unsubscription: "拒绝退订",
    action_accept_proposal: "接受退款方案",
    action_reject_proposal: "拒绝退款方案",
    action_decide_unsubscription: "裁定退款",
    event_flow_started: "流程开始：订单已支付",
    event_request_submitted: "已提交需求",
    event_request_accepted: "需求已接受",
    event_request_rejected: "需求被驳回",
    event_progress_updated: "进度更新",
    event_delivered: "已交付",
    event_delivery_accepted: "验收通过",
    event_delivery_rejected: "验收不通过",
    event_reminded: "已提醒卖家",
    event_appeal_opened: "发起申诉",
    event_appeal_resolved: "申诉已处理",
    event_completed: "已完成",
    event_unsubscription_asked: "已申请退订",
    event_refund_proposed: "已提出退款",
    event_unsubscription_declined: "已拒绝退订",
    event_proposal_accepted: "已接受方案——已退订",
    event_proposal_rejected: "已拒绝方案",
    event_unsubscription_decided: "运营已裁定退款——已退订",
    refund_line: |amount| format!("退款：{amount}"),
    negotiation_title: "退订",
    negotiation_asked: |date, reason| format!("买家于 {date} 申请退订：{reason}"),
    stage_asked: "等待卖家提出退款或拒绝。5 天未答复，买家可以申诉。",
    stage_proposed: |amount| format!("卖家提出退款 {amount}。等待买家接受或拒绝。"),
    stage_declined: "卖家已拒绝。买家可以申诉，由运营裁定退款。",
    stage_rejected: |amount| format!("买家拒绝了 {amount} 的方案。卖家可以重新提出，买家可以申诉。"),
    stage_agreed: |amount| format!("已退订，退款 {amount}。订单已取消。"),
    accept_offer_explained: |amount| format!("接受后订单立即取消，{amount} 将退回原支付方式。"),
    form_amount: "退款金额",
    form_amount_hint: |paid| format!("0 至 {paid}（买家已付金额）。"),
    service_started: |date| format!("服务开始于 {date}"),
    outcome_resume: "恢复流程",
    outcome_complete_for_seller: "判定卖家完成",
    outcome_refund_buyer: "取消并退款给买家",
    blocked_frozen: "已冻结：申诉处理完成前无法操作。",
    blocked_finished: "流程已结束。",
    blocked_awaiting_completion: |remaining| format!("已验收，订单将在 {remaining} 后完成。"),
    blocked_wrong_step: "当前环节不可操作。",
    blocked_rejection_limit: |limit| format!("已达 {limit} 次驳回上限：请接受或申诉。"),
    blocked_reminded: |remaining| format!("您刚提醒过卖家，{remaining} 后可再次提醒。"),
    blocked_not_idle: |remaining, party, ago| format!("{remaining} 后可申诉——{party}上次操作在 {ago} 前。"),
    blocked_no_grounds_buyer: |days, limit| format!("卖家在其环节超过 {days} 天未操作，或被驳回 {limit} 次后可申诉。"),
    blocked_no_grounds_seller: |days| format!("买家在其环节超过 {days} 天未操作后可申诉。"),
    blocked_window_closed: |days, date| format!("计划完成前 {days} 天内不可申诉（已于 {date} 关闭）。"),
    blocked_no_open_appeal: "没有待处理的申诉。",
    blocked_timeline_full: |limit| format!("该流程的时间线已满（{limit} 条）；请联系运营人员处理。"),
    blocked_no_unsubscription_asked: "买家未申请退订，或申请已得到答复。",
    blocked_unsubscription_under_way: "已有退订申请在等待答复。",
    blocked_no_proposal: "没有待答复的退款方案。",
    rules_title: "规则与时限",
    rules_request_rejections: |count, limit| format!("卖家驳回需求：{count} / {limit} 次"),
    rules_delivery_rejections: |count, limit| format!("买家验收不通过：{count} / {limit} 次"),
    rules_idle: |party, elapsed, allowed| format!("{party}未操作：{elapsed} / {allowed}"),
    rules_window: |date, remaining| format!("申诉窗口于 {date} 关闭（{remaining}）"),
    rules_window_closed: |date| format!("申诉窗口已于 {date} 关闭"),
    rules_planned: |date| format!("计划完成时间 {date}"),
    rules_completes: |date, remaining| format!("将于 {date} 完成（还剩 {remaining}）"),
    rules_next_reminder: |remaining| format!("{remaining} 后可再次提醒"),
    in_prefix: |remaining| format!("剩余 {remaining}"),
    timeline_title: "时间线",
    current_step: "当前环节",
    appeal_open_by: |party, date, reason| format!("{party}于 {date} 发起申诉：{reason}"),
    form_reason: "原因",
    form_note: "说明",
    form_note_optional: "说明（可选）",
    form_delivery_note: "交付说明",
    form_service_start: "实际服务开始时间",
    form_outcome: "处理结果",
    form_send: "提交",
    form_cancel: "取消",
    form_request_title: "您的需求",
    application_title: "应用信息",
    application_pending: "应用正在开通中。",
    stale: "该流程已被他人更新并已刷新，请确认后重试。",
    acted: "操作成功。",
    counterpart_buyer: |name| format!("买家：{name}"),
    counterpart_seller: |name| format!("卖家：{name}"),
    back: "返回列表",
};

impl Locale {
    pub fn supervision_messages(self) -> &'static SupervisionMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Supervision strings of the current language (reactive).
    pub fn s(&self) -> &'static SupervisionMessages {
        self.0.get().supervision_messages()
    }
}

impl SupervisionMessages {
    pub fn step(&self, step: Step) -> &'static str {
        match step {
            Step::AwaitingRequest => self.step_awaiting_request,
            Step::RequestUnderReview => self.step_request_under_review,
            Step::RequestRejected => self.step_request_rejected,
            Step::InService => self.step_in_service,
            Step::DeliveryUnderReview => self.step_delivery_under_review,
            Step::Accepted => self.step_accepted,
            Step::Completed => self.step_completed,
            Step::Cancelled => self.step_cancelled,
        }
    }

    pub fn party(&self, party: Party) -> &'static str {
        match party {
            Party::Buyer => self.party_buyer,
            Party::Seller => self.party_seller,
            Party::Operations => self.party_operations,
            Party::System => self.party_system,
        }
    }

    pub fn action(&self, action: FlowAction) -> &'static str {
        match action {
            FlowAction::SubmitRequest => self.action_submit_request,
            FlowAction::AcceptRequest => self.action_accept_request,
            FlowAction::RejectRequest => self.action_reject_request,
            FlowAction::PostProgress => self.action_post_progress,
            FlowAction::Deliver => self.action_deliver,
            FlowAction::AcceptDelivery => self.action_accept_delivery,
            FlowAction::RejectDelivery => self.action_reject_delivery,
            FlowAction::Remind => self.action_remind,
            FlowAction::Appeal => self.action_appeal,
            FlowAction::ResolveAppeal => self.action_resolve_appeal,
            FlowAction::AskUnsubscription => self.action_ask_unsubscription,
            FlowAction::ProposeRefund => self.action_propose_refund,
            FlowAction::DeclineUnsubscription => self.action_decline_unsubscription,
            FlowAction::AcceptProposal => self.action_accept_proposal,
            FlowAction::RejectProposal => self.action_reject_proposal,
            FlowAction::DecideUnsubscription => self.action_decide_unsubscription,
        }
    }

    pub fn event(&self, kind: &FlowEventKind) -> &'static str {
        match kind {
            FlowEventKind::FlowStarted => self.event_flow_started,
            FlowEventKind::RequestSubmitted { .. } => self.event_request_submitted,
            FlowEventKind::RequestAccepted { .. } => self.event_request_accepted,
            FlowEventKind::RequestRejected { .. } => self.event_request_rejected,
            FlowEventKind::ProgressUpdated { .. } => self.event_progress_updated,
            FlowEventKind::Delivered { .. } => self.event_delivered,
            FlowEventKind::DeliveryAccepted { .. } => self.event_delivery_accepted,
            FlowEventKind::DeliveryRejected { .. } => self.event_delivery_rejected,
            FlowEventKind::Reminded => self.event_reminded,
            FlowEventKind::AppealOpened { .. } => self.event_appeal_opened,
            FlowEventKind::AppealResolved { .. } => self.event_appeal_resolved,
            FlowEventKind::Completed => self.event_completed,
            FlowEventKind::UnsubscriptionAsked { .. } => self.event_unsubscription_asked,
            FlowEventKind::RefundProposed { .. } => self.event_refund_proposed,
            FlowEventKind::UnsubscriptionDeclined { .. } => self.event_unsubscription_declined,
            FlowEventKind::ProposalAccepted => self.event_proposal_accepted,
            FlowEventKind::ProposalRejected { .. } => self.event_proposal_rejected,
            FlowEventKind::UnsubscriptionDecided { .. } => self.event_unsubscription_decided,
        }
    }

    pub fn outcome(&self, outcome: AppealOutcome) -> &'static str {
        match outcome {
            AppealOutcome::Resume => self.outcome_resume,
            AppealOutcome::CompleteForSeller => self.outcome_complete_for_seller,
            AppealOutcome::RefundBuyer => self.outcome_refund_buyer,
        }
    }
}

/// A span of time as "3 d 20 h 5 min" (or "3 天 20 小时 5 分"), to the minute; seconds
/// only when under a minute is left.
pub fn span(duration: time::Duration, locale: Locale) -> String {
    let seconds = duration.whole_seconds().max(0);
    let (days, hours, minutes, rest) =
        (seconds / 86_400, (seconds % 86_400) / 3_600, (seconds % 3_600) / 60, seconds % 60);
    let (d, h, m, s) = match locale {
        Locale::En => (" d", " h", " min", " s"),
        Locale::ZhCn => (" 天", " 小时", " 分", " 秒"),
    };
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days}{d}"));
    }
    if hours > 0 || days > 0 {
        parts.push(format!("{hours}{h}"));
    }
    if days == 0 {
        parts.push(format!("{minutes}{m}"));
    }
    if days == 0 && hours == 0 && minutes == 0 {
        return format!("{rest}{s}");
    }
    parts.join(" ")
}
