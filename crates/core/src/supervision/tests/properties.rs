//! Invariants over random histories by random parties at random times.

use proptest::prelude::*;

use super::*;

fn party_strategy() -> impl Strategy<Value = Party> {
    prop_oneof![Just(Party::Buyer), Just(Party::Seller), Just(Party::Operations)]
}

fn action_strategy() -> impl Strategy<Value = FlowAction> {
    prop_oneof![
        Just(FlowAction::SubmitRequest),
        Just(FlowAction::AcceptRequest),
        Just(FlowAction::RejectRequest),
        Just(FlowAction::PostProgress),
        Just(FlowAction::Deliver),
        Just(FlowAction::AcceptDelivery),
        Just(FlowAction::RejectDelivery),
        Just(FlowAction::Remind),
        Just(FlowAction::Appeal),
        Just(FlowAction::ResolveAppeal),
        Just(FlowAction::AskUnsubscription),
        Just(FlowAction::ProposeRefund),
        Just(FlowAction::DeclineUnsubscription),
        Just(FlowAction::AcceptProposal),
        Just(FlowAction::RejectProposal),
        Just(FlowAction::DecideUnsubscription),
    ]
}

fn outcome_strategy() -> impl Strategy<Value = AppealOutcome> {
    prop_oneof![Just(AppealOutcome::Resume), Just(AppealOutcome::CompleteForSeller), Just(AppealOutcome::RefundBuyer)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random attempts by random parties at random times: the rules accept or refuse each,
    /// and whatever they accept keeps every invariant.
    #[test]
    fn random_histories_keep_every_invariant(
        license in any::<bool>(),
        attempts in prop::collection::vec(
            (0i64..(7 * 86_400), party_strategy(), action_strategy(), outcome_strategy()), 1..60),
    ) {
        let kind = if license { FlowKind::License } else { FlowKind::Standard };
        let mut flow = Flow::new(kind);
        let mut now = START;
        let mut terminal_since: Option<(OffsetDateTime, Step)> = None;
        for (delta, party, action, outcome) in attempts {
            now += Duration::seconds(delta);
            let before = flow.state(now);
            let allowed = before.check(party, action);
            // Nothing but a resolution happens while frozen.
            let own_action = FlowAction::for_party(party).contains(&action);
            let resolution = matches!(action, FlowAction::ResolveAppeal | FlowAction::DecideUnsubscription);
            if before.frozen() && !resolution && own_action {
                prop_assert_eq!(allowed.clone(), Err(if before.step.is_terminal() { Blocked::Finished } else { Blocked::Frozen }));
            }
            // Every action belongs to its party's list.
            if !own_action {
                prop_assert!(allowed.is_err());
            }
            if allowed.is_ok() {
                if action == FlowAction::ResolveAppeal {
                    flow.resolve(outcome, now);
                } else {
                    flow.act(party, action, now).unwrap();
                }
            }
            let after = flow.state(now);
            // Counters never exceed their limits.
            prop_assert!(after.counters.request_rejections <= REJECTION_LIMIT);
            prop_assert!(after.counters.delivery_rejections <= REJECTION_LIMIT);
            // Terminal states stay terminal, whatever is attempted and however late.
            if let Some((_, step)) = terminal_since {
                prop_assert_eq!(after.step, step);
                prop_assert!(after.buyer_actions.iter().chain(&after.seller_actions).chain(&after.operations_actions)
                    .all(|a| a.blocked.is_some()));
            }
            if after.step.is_terminal() && terminal_since.is_none() {
                terminal_since = Some((now, after.step));
            }
            // The order status follows the step.
            let expected = match after.step {
                Step::Completed => OrderStatus::Completed,
                Step::Cancelled => OrderStatus::Cancelled,
                _ => OrderStatus::Processing,
            };
            prop_assert_eq!(after.order_status, expected);
            // Appeals are never allowed inside the closing window.
            if now >= after.deadlines.appeal_window_closes_at {
                prop_assert!(after.check(Party::Buyer, FlowAction::Appeal).is_err());
                prop_assert!(after.check(Party::Seller, FlowAction::Appeal).is_err());
            }
            // A settled unsubscription cancels the order, with a refund it agreed on.
            if let Some(negotiation) = &after.unsubscription {
                let settled = negotiation.stage == NegotiationStage::Agreed;
                prop_assert_eq!(settled, negotiation.agreed_refund.is_some());
                if settled {
                    prop_assert_eq!(after.step, Step::Cancelled);
                }
            }
            // Only one unsubscription request is open at a time.
            if matches!(before.unsubscription.as_ref().map(|n| n.stage), Some(NegotiationStage::Asked | NegotiationStage::Proposed)) {
                prop_assert!(before.check(Party::Buyer, FlowAction::AskUnsubscription).is_err());
            }
            // Exactly one side (or nobody) has the turn, and only that side's step moves are open.
            if after.turn == Some(Party::Seller) && !after.frozen() {
                prop_assert!(after.check(Party::Buyer, FlowAction::SubmitRequest).is_err());
                prop_assert!(after.check(Party::Buyer, FlowAction::AcceptDelivery).is_err());
            }
        }
    }

    /// Time alone never moves a flow backwards, and completion happens exactly at the delay.
    #[test]
    fn completion_is_exactly_three_hours_after_acceptance(offset in 0i64..(4 * 3600)) {
        let mut flow = Flow::new(FlowKind::License);
        flow.act(Party::Seller, FlowAction::Deliver, START).unwrap();
        let accepted = START + minutes(1);
        flow.act(Party::Buyer, FlowAction::AcceptDelivery, accepted).unwrap();
        let state = flow.state(accepted + Duration::seconds(offset));
        let expected = if offset >= 3 * 3600 { Step::Completed } else { Step::Accepted };
        prop_assert_eq!(state.step, expected);
    }
}
