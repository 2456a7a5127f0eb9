//! Rules tests: every boundary decided exactly, and property tests over random histories.

use proptest::prelude::*;
use time::macros::datetime;

use super::*;

const START: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

fn planned() -> OffsetDateTime {
    START + Duration::days(90)
}

fn event(sequence: u32, by: Party, at: OffsetDateTime, kind: FlowEventKind) -> FlowEvent {
    FlowEvent { sequence, by, by_name: format!("{by:?}"), at, kind }
}

/// A history built step by step; each step is checked against the rules first.
struct Flow {
    kind: FlowKind,
    history: Vec<FlowEvent>,
}

impl Flow {
    fn new(kind: FlowKind) -> Flow {
        Flow { kind, history: vec![event(0, Party::System, START, FlowEventKind::FlowStarted)] }
    }

    fn state(&self, now: OffsetDateTime) -> FlowState {
        evaluate(&self.history, self.kind, START, planned(), now)
    }

    /// Applies `action` by `party` at `at` when the rules allow it; returns whether they did.
    fn act(&mut self, party: Party, action: FlowAction, at: OffsetDateTime) -> Result<(), Blocked> {
        self.state(at).check(party, action)?;
        let kind = match action {
            FlowAction::SubmitRequest => FlowEventKind::RequestSubmitted { values: RequestValues::new() },
            FlowAction::AcceptRequest => FlowEventKind::RequestAccepted { note: None },
            FlowAction::RejectRequest => FlowEventKind::RequestRejected { reason: "no".into() },
            FlowAction::PostProgress => FlowEventKind::ProgressUpdated { note: "working".into() },
            FlowAction::Deliver => FlowEventKind::Delivered { note: "done".into(), service_started_at: at },
            FlowAction::AcceptDelivery => FlowEventKind::DeliveryAccepted { note: None },
            FlowAction::RejectDelivery => FlowEventKind::DeliveryRejected { reason: "no".into() },
            FlowAction::Remind => FlowEventKind::Reminded,
            FlowAction::Appeal => FlowEventKind::AppealOpened { reason: "stuck".into() },
            FlowAction::ResolveAppeal => {
                FlowEventKind::AppealResolved { outcome: AppealOutcome::Resume, note: "resume".into() }
            }
        };
        let sequence = self.history.len() as u32;
        self.history.push(event(sequence, party, at, kind));
        Ok(())
    }

    fn resolve(&mut self, outcome: AppealOutcome, at: OffsetDateTime) {
        self.state(at).check(Party::Operations, FlowAction::ResolveAppeal).unwrap();
        let sequence = self.history.len() as u32;
        self.history.push(event(
            sequence,
            Party::Operations,
            at,
            FlowEventKind::AppealResolved { outcome, note: "decided".into() },
        ));
    }
}

fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

fn template_field(key: &str, kind: TemplateFieldKind) -> TemplateField {
    TemplateField { key: key.to_owned(), label: format!("Label of {key}"), kind, required: true, hint: None }
}

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
        validate_template(&fields).0.into_iter().map(|error| (error.field, error.code)).collect()
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
            if before.frozen() && action != FlowAction::ResolveAppeal && own_action {
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
