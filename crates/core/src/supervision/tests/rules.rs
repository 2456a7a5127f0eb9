//! Every boundary of the rules, decided exactly.

use super::*;

#[test]
fn a_sound_template_has_no_problems() {
    let fields = vec![
        template_field("contact", TemplateFieldKind::Text { max_chars: 80 }),
        template_field("seats", TemplateFieldKind::Number { min: 1, max: 500 }),
        template_field("window", TemplateFieldKind::Choice { options: vec!["Weekdays".into(), "Weekends".into()] }),
        template_field("start", TemplateFieldKind::Date),
    ];
    assert!(validate_template(&fields).is_empty());
}

#[test]
fn template_problems_name_the_field_and_the_part() {
    let problems = |fields: Vec<TemplateField>| -> Vec<(String, String)> {
        validate_template(&fields).0.into_iter().map(|error| (error.field, error.code.as_str().to_owned())).collect()
    };
    let text = || TemplateFieldKind::Text { max_chars: 80 };
    assert_eq!(problems(vec![]), vec![("fields".to_owned(), "out_of_range".to_owned())]);
    assert_eq!(
        problems(vec![template_field("a", text()), template_field("a", text())]),
        vec![("fields[1].key".to_owned(), "duplicate".to_owned())]
    );
    assert_eq!(problems(vec![template_field("Has Space", text())])[0].0, "fields[0].key");
    let mut unlabelled = template_field("a", text());
    unlabelled.label = "  ".into();
    assert_eq!(problems(vec![unlabelled])[0].0, "fields[0].label");
    assert_eq!(problems(vec![template_field("n", TemplateFieldKind::Number { min: 5, max: 1 })])[0].0, "fields[0].max");
    assert_eq!(
        problems(vec![template_field("t", TemplateFieldKind::LongText { max_chars: 0 })])[0].0,
        "fields[0].max_chars"
    );
    for options in [vec![], vec!["A".to_owned(), " A ".to_owned()], vec![" ".to_owned()]] {
        assert_eq!(
            problems(vec![template_field("c", TemplateFieldKind::Choice { options })])[0].0,
            "fields[0].options"
        );
    }
    let too_many: Vec<_> = (0..=TEMPLATE_MAX_FIELDS).map(|n| template_field(&format!("f{n}"), text())).collect();
    assert_eq!(problems(too_many)[0].0, "fields");
}

#[test]
fn a_full_flow_completes_exactly_three_hours_after_acceptance() {
    let mut flow = Flow::new(FlowKind::Standard);
    assert_eq!(flow.state(START).step, Step::AwaitingRequest);
    assert_eq!(flow.state(START).turn, Some(Party::Buyer));
    flow.act(Party::Buyer, FlowAction::SubmitRequest, START + minutes(10)).unwrap();
    flow.act(Party::Seller, FlowAction::AcceptRequest, START + minutes(20)).unwrap();
    flow.act(Party::Seller, FlowAction::PostProgress, START + minutes(30)).unwrap();
    flow.act(Party::Seller, FlowAction::Deliver, START + minutes(40)).unwrap();
    let accepted_at = START + minutes(50);
    flow.act(Party::Buyer, FlowAction::AcceptDelivery, accepted_at).unwrap();
    let before = flow.state(accepted_at + Duration::hours(3) - Duration::seconds(1));
    assert_eq!(before.step, Step::Accepted);
    assert_eq!(before.order_status, OrderStatus::Processing);
    assert_eq!(before.deadlines.completes_at, Some(accepted_at + Duration::hours(3)));
    let at = flow.state(accepted_at + Duration::hours(3));
    assert_eq!(at.step, Step::Completed);
    assert_eq!(at.order_status, OrderStatus::Completed);
    assert!(at.buyer_actions.iter().all(|a| a.blocked == Some(Blocked::Finished)));
}

#[test]
fn licences_start_with_the_seller_providing_the_service() {
    let flow = Flow::new(FlowKind::License);
    let state = flow.state(START);
    assert_eq!(state.step, Step::InService);
    assert_eq!(state.turn, Some(Party::Seller));
    assert_eq!(state.check(Party::Buyer, FlowAction::SubmitRequest), Err(Blocked::WrongStep));
    assert!(state.check(Party::Seller, FlowAction::Deliver).is_ok());
}

#[test]
fn the_buyer_may_appeal_only_after_more_than_five_idle_seller_days() {
    let mut flow = Flow::new(FlowKind::Standard);
    let submitted = START + minutes(1);
    flow.act(Party::Buyer, FlowAction::SubmitRequest, submitted).unwrap();
    let exactly = flow.state(submitted + Duration::days(5));
    assert_eq!(
        exactly.check(Party::Buyer, FlowAction::Appeal),
        Err(Blocked::NotIdleLongEnough {
            idle_since: submitted,
            allowed_at: submitted + Duration::days(5) + Duration::seconds(1)
        })
    );
    let one_second_less = flow.state(submitted + Duration::days(5) - Duration::seconds(1));
    assert!(one_second_less.check(Party::Buyer, FlowAction::Appeal).is_err());
    let one_second_more = flow.state(submitted + Duration::days(5) + Duration::seconds(1));
    assert!(one_second_more.check(Party::Buyer, FlowAction::Appeal).is_ok());
    // The seller cannot appeal on its own turn.
    assert_eq!(one_second_more.check(Party::Seller, FlowAction::Appeal), Err(Blocked::NoGrounds));
}

#[test]
fn seller_activity_restarts_the_idle_clock_but_reminders_do_not() {
    let mut flow = Flow::new(FlowKind::Standard);
    flow.act(Party::Buyer, FlowAction::SubmitRequest, START).unwrap();
    flow.act(Party::Seller, FlowAction::AcceptRequest, START + Duration::days(1)).unwrap();
    flow.act(Party::Buyer, FlowAction::Remind, START + Duration::days(2)).unwrap();
    let progress = START + Duration::days(4);
    flow.act(Party::Seller, FlowAction::PostProgress, progress).unwrap();
    let state = flow.state(progress + Duration::days(5));
    assert_eq!(state.deadlines.idle_since, Some(progress));
    assert!(state.check(Party::Buyer, FlowAction::Appeal).is_err());
    assert!(
        flow.state(progress + Duration::days(5) + Duration::seconds(1)).check(Party::Buyer, FlowAction::Appeal).is_ok()
    );
}

#[test]
fn the_seller_may_appeal_when_the_buyer_idles_more_than_five_days() {
    let flow = Flow::new(FlowKind::Standard);
    assert!(flow.state(START + Duration::days(5)).check(Party::Seller, FlowAction::Appeal).is_err());
    assert!(
        flow.state(START + Duration::days(5) + Duration::seconds(1)).check(Party::Seller, FlowAction::Appeal).is_ok()
    );
    assert_eq!(
        flow.state(START + Duration::days(6)).check(Party::Buyer, FlowAction::Appeal),
        Err(Blocked::NoGrounds),
        "the buyer cannot appeal on its own turn"
    );
}

#[test]
fn the_third_request_rejection_opens_the_appeal_and_is_the_last() {
    let mut flow = Flow::new(FlowKind::Standard);
    let mut at = START;
    for rejection in 1..=3 {
        at += minutes(5);
        flow.act(Party::Buyer, FlowAction::SubmitRequest, at).unwrap();
        at += minutes(5);
        flow.act(Party::Seller, FlowAction::RejectRequest, at).unwrap();
        let state = flow.state(at);
        assert_eq!(state.counters.request_rejections, rejection);
        let appeal = state.check(Party::Buyer, FlowAction::Appeal);
        if rejection < 3 {
            assert_eq!(appeal, Err(Blocked::NoGrounds), "after {rejection} rejections");
        } else {
            assert!(appeal.is_ok(), "after the third rejection");
        }
    }
    at += minutes(5);
    flow.act(Party::Buyer, FlowAction::SubmitRequest, at).unwrap();
    assert_eq!(
        flow.state(at).check(Party::Seller, FlowAction::RejectRequest),
        Err(Blocked::RejectionLimitReached { limit: 3 })
    );
    assert!(flow.state(at).check(Party::Buyer, FlowAction::Appeal).is_ok(), "the ground stays");
}

#[test]
fn the_third_delivery_rejection_opens_the_appeal() {
    let mut flow = Flow::new(FlowKind::License);
    let mut at = START;
    for rejection in 1..=3 {
        at += minutes(5);
        flow.act(Party::Seller, FlowAction::Deliver, at).unwrap();
        at += minutes(5);
        flow.act(Party::Buyer, FlowAction::RejectDelivery, at).unwrap();
        assert_eq!(flow.state(at).check(Party::Buyer, FlowAction::Appeal).is_ok(), rejection == 3);
    }
    at += minutes(5);
    flow.act(Party::Seller, FlowAction::Deliver, at).unwrap();
    assert_eq!(
        flow.state(at).check(Party::Buyer, FlowAction::RejectDelivery),
        Err(Blocked::RejectionLimitReached { limit: 3 })
    );
}

#[test]
fn no_appeal_in_the_last_fifteen_days_before_planned_completion() {
    let mut flow = Flow::new(FlowKind::Standard);
    let mut at = START;
    for _ in 0..3 {
        at += minutes(1);
        flow.act(Party::Buyer, FlowAction::SubmitRequest, at).unwrap();
        at += minutes(1);
        flow.act(Party::Seller, FlowAction::RejectRequest, at).unwrap();
    }
    let closes = planned() - Duration::days(15);
    assert!(flow.state(closes - Duration::seconds(1)).check(Party::Buyer, FlowAction::Appeal).is_ok());
    assert_eq!(
        flow.state(closes).check(Party::Buyer, FlowAction::Appeal),
        Err(Blocked::AppealWindowClosed { closed_at: closes })
    );
}

#[test]
fn idleness_that_would_only_ripen_after_the_window_closes_says_so() {
    let mut flow = Flow::new(FlowKind::Standard);
    let late = planned() - Duration::days(17);
    flow.act(Party::Buyer, FlowAction::SubmitRequest, late).unwrap();
    let state = flow.state(late + Duration::hours(1));
    assert_eq!(
        state.check(Party::Buyer, FlowAction::Appeal),
        Err(Blocked::AppealWindowClosed { closed_at: planned() - Duration::days(15) })
    );
}

#[test]
fn an_open_appeal_freezes_everything_but_its_resolution() {
    let mut flow = Flow::new(FlowKind::Standard);
    flow.act(Party::Buyer, FlowAction::SubmitRequest, START).unwrap();
    let appealed = START + Duration::days(6);
    flow.act(Party::Buyer, FlowAction::Appeal, appealed).unwrap();
    let state = flow.state(appealed + minutes(1));
    assert!(state.frozen());
    for party in [Party::Buyer, Party::Seller] {
        for action in state.actions_for(party) {
            assert_eq!(action.blocked, Some(Blocked::Frozen), "{party:?} {:?}", action.action);
        }
    }
    assert!(state.check(Party::Operations, FlowAction::ResolveAppeal).is_ok());
    flow.resolve(AppealOutcome::Resume, appealed + minutes(2));
    let resumed = flow.state(appealed + minutes(3));
    assert!(!resumed.frozen());
    assert_eq!(resumed.step, Step::RequestUnderReview);
    assert!(resumed.check(Party::Seller, FlowAction::AcceptRequest).is_ok());
    assert!(resumed.check(Party::Buyer, FlowAction::Appeal).is_err(), "the idle clock restarted");
    assert_eq!(resumed.check(Party::Operations, FlowAction::ResolveAppeal), Err(Blocked::NoOpenAppeal));
}

#[test]
fn resolutions_can_complete_or_cancel_the_flow() {
    for (outcome, step, status) in [
        (AppealOutcome::CompleteForSeller, Step::Completed, OrderStatus::Completed),
        (AppealOutcome::RefundBuyer, Step::Cancelled, OrderStatus::Cancelled),
    ] {
        let mut flow = Flow::new(FlowKind::Standard);
        flow.act(Party::Seller, FlowAction::Appeal, START + Duration::days(6)).unwrap();
        flow.resolve(outcome, START + Duration::days(7));
        let state = flow.state(START + Duration::days(8));
        assert_eq!((state.step, state.order_status), (step, status));
        assert!(state.buyer_actions.iter().chain(&state.seller_actions).all(|a| a.blocked == Some(Blocked::Finished)));
    }
}

#[test]
fn reminders_are_once_a_day_and_only_on_the_sellers_turn() {
    let mut flow = Flow::new(FlowKind::Standard);
    assert_eq!(flow.state(START).check(Party::Buyer, FlowAction::Remind), Err(Blocked::WrongStep));
    flow.act(Party::Buyer, FlowAction::SubmitRequest, START).unwrap();
    let reminded = START + Duration::hours(2);
    flow.act(Party::Buyer, FlowAction::Remind, reminded).unwrap();
    let next_at = reminded + Duration::hours(24);
    assert_eq!(
        flow.state(next_at - Duration::seconds(1)).check(Party::Buyer, FlowAction::Remind),
        Err(Blocked::RemindedRecently { next_at })
    );
    assert!(flow.state(next_at).check(Party::Buyer, FlowAction::Remind).is_ok());
}

#[test]
fn request_templates_are_enforced() {
    let template = vec![
        TemplateField {
            key: "db".into(),
            label: "Database".into(),
            kind: TemplateFieldKind::Text { max_chars: 10 },
            required: true,
            hint: None,
        },
        TemplateField {
            key: "size".into(),
            label: "Size (GB)".into(),
            kind: TemplateFieldKind::Number { min: 1, max: 500 },
            required: false,
            hint: None,
        },
        TemplateField {
            key: "window".into(),
            label: "Window".into(),
            kind: TemplateFieldKind::Date,
            required: false,
            hint: None,
        },
        TemplateField {
            key: "tier".into(),
            label: "Tier".into(),
            kind: TemplateFieldKind::Choice { options: vec!["gold".into()] },
            required: false,
            hint: None,
        },
    ];
    let values =
        |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<RequestValues>();
    assert!(
        validate_request(
            &template,
            &values(&[("db", "orders"), ("size", "20"), ("window", "2026-02-01"), ("tier", "gold")])
        )
        .is_empty()
    );
    let errors =
        validate_request(&template, &values(&[("size", "900"), ("window", "soon"), ("tier", "tin"), ("x", "1")]));
    let fields: Vec<(&str, &str)> = errors.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(
        fields,
        vec![
            ("x", "unknown_field"),
            ("db", "required"),
            ("size", "out_of_range"),
            ("window", "invalid"),
            ("tier", "unknown_value")
        ]
    );
    assert_eq!(validate_request(&template, &values(&[("db", "a-very-long-name")])).0[0].code, "too_long");
}

mod negotiated_unsubscription {
    use super::*;
    use crate::error::FieldErrorCode;

    fn in_service() -> Flow {
        let mut flow = Flow::new(FlowKind::License);
        flow.act(Party::Seller, FlowAction::PostProgress, START + minutes(1)).unwrap();
        flow
    }

    #[test]
    fn ask_propose_accept_cancels_with_the_offer() {
        let mut flow = in_service();
        let asked = START + minutes(10);
        assert_eq!(flow.act(Party::Seller, FlowAction::ProposeRefund, asked), Err(Blocked::NoUnsubscriptionAsked));
        assert_eq!(flow.act(Party::Buyer, FlowAction::AcceptProposal, asked), Err(Blocked::NoProposal));
        flow.act(Party::Buyer, FlowAction::AskUnsubscription, asked).unwrap();
        assert_eq!(flow.act(Party::Buyer, FlowAction::AskUnsubscription, asked), Err(Blocked::UnsubscriptionUnderWay));
        flow.act(Party::Seller, FlowAction::ProposeRefund, asked + minutes(5)).unwrap();
        let state = flow.state(asked + minutes(5));
        assert_eq!(state.unsubscription.as_ref().unwrap().proposal, Some(yuan(5_000)));
        flow.act(Party::Buyer, FlowAction::AcceptProposal, asked + minutes(6)).unwrap();
        let state = flow.state(asked + minutes(6));
        assert_eq!((state.step, state.order_status), (Step::Cancelled, OrderStatus::Cancelled));
        assert_eq!(state.unsubscription.unwrap().agreed_refund, Some(yuan(5_000)));
    }

    #[test]
    fn five_silent_seller_days_open_the_appeal_to_the_second() {
        let mut flow = in_service();
        let asked = START + minutes(10);
        flow.act(Party::Buyer, FlowAction::AskUnsubscription, asked).unwrap();
        // The seller keeps working but does not answer: progress does not count as an
        // answer (the step's own idle clock, restarted by it, would allow an appeal later).
        flow.act(Party::Seller, FlowAction::PostProgress, asked + Duration::days(2)).unwrap();
        let edge = asked + IDLE_BEFORE_APPEAL + Duration::seconds(1);
        assert!(flow.state(edge - Duration::seconds(1)).check(Party::Buyer, FlowAction::Appeal).is_err());
        assert_eq!(flow.state(edge).check(Party::Buyer, FlowAction::Appeal), Ok(()));
    }

    #[test]
    fn a_declined_or_rejected_request_can_be_appealed_and_operations_decide_the_amount() {
        let mut flow = in_service();
        let asked = START + minutes(10);
        flow.act(Party::Buyer, FlowAction::AskUnsubscription, asked).unwrap();
        flow.act(Party::Seller, FlowAction::ProposeRefund, asked + minutes(1)).unwrap();
        flow.act(Party::Buyer, FlowAction::RejectProposal, asked + minutes(2)).unwrap();
        // The seller may offer again; the buyer may appeal at once.
        assert_eq!(flow.state(asked + minutes(3)).check(Party::Seller, FlowAction::ProposeRefund), Ok(()));
        assert_eq!(
            flow.state(asked + minutes(3)).check(Party::Operations, FlowAction::DecideUnsubscription),
            Err(Blocked::NoOpenAppeal)
        );
        flow.act(Party::Seller, FlowAction::DeclineUnsubscription, asked + minutes(3)).unwrap();
        flow.act(Party::Buyer, FlowAction::Appeal, asked + minutes(4)).unwrap();
        let frozen = flow.state(asked + minutes(5));
        assert_eq!(frozen.check(Party::Seller, FlowAction::ProposeRefund), Err(Blocked::Frozen));
        flow.act(Party::Operations, FlowAction::DecideUnsubscription, asked + minutes(5)).unwrap();
        let state = flow.state(asked + minutes(5));
        assert_eq!(state.step, Step::Cancelled);
        assert!(state.open_appeal.is_none());
        assert_eq!(state.unsubscription.unwrap().agreed_refund, Some(yuan(7_000)));
    }

    #[test]
    fn a_refund_is_between_nothing_and_what_was_paid() {
        let paid = yuan(10_000);
        let propose = |minor: i64| {
            FlowCommand::ProposeRefund { amount: yuan(minor), note: None }.to_event(&[], START, paid, START)
        };
        assert!(propose(0).is_ok());
        assert!(propose(10_000).is_ok());
        assert_eq!(propose(10_001).unwrap_err().0[0].code, FieldErrorCode::OutOfRange);
        assert_eq!(propose(-1).unwrap_err().0[0].code, FieldErrorCode::OutOfRange);
        let dollars = FlowCommand::DecideUnsubscription {
            amount: crate::money::Money::new(1, crate::money::Currency::USD),
            note: "x".into(),
        };
        assert_eq!(dollars.to_event(&[], START, paid, START).unwrap_err().0[0].code, FieldErrorCode::Invalid);
    }
}
