use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::reviews::{
    Delivered, REVIEW_AFTER_LEAVING, RatingSummary, ReviewRefusal, check_review, median, review_eligibility,
};
use super::tickets::{
    AUTO_CLOSE_AFTER, SELLER_ANSWER_WITHIN, SupportRole, TicketAction, TicketBlocked, TicketFacts, TicketState,
};

const OPENED: OffsetDateTime = datetime!(2026-12-05 10:00 UTC);
const SECOND: Duration = Duration::seconds(1);
use SupportRole::{Buyer, Operations, Seller};
use TicketAction::*;

fn opened() -> TicketFacts {
    TicketFacts::opened(OPENED)
}

#[test]
fn the_seller_has_24_hours_to_the_second_before_the_buyer_may_escalate() {
    let ticket = opened();
    let deadline = OPENED + SELLER_ANSWER_WITHIN;
    assert_eq!(ticket.seller_deadline(), Some(deadline));
    assert_eq!(
        ticket.check(Buyer, Escalate, deadline - SECOND),
        Err(TicketBlocked::SellerStillHasTime { until: deadline })
    );
    assert_eq!(ticket.check(Buyer, Escalate, deadline), Ok(()));
    let escalated = ticket.apply(Buyer, Escalate, deadline).unwrap();
    assert_eq!(escalated.check(Buyer, Escalate, deadline), Err(TicketBlocked::AlreadyEscalated));
    assert_eq!(escalated.check(Seller, Reply, deadline), Err(TicketBlocked::WithOperations));
    assert_eq!(escalated.seller_deadline(), None, "no seller countdown while operations have it");
}

#[test]
fn an_answered_ticket_is_escalated_only_after_two_reopenings() {
    let now = OPENED + Duration::hours(1);
    let answered = opened().apply(Seller, Reply, now).unwrap();
    assert_eq!(answered.state, TicketState::AwaitingBuyer);
    assert_eq!(answered.check(Buyer, Escalate, now + Duration::days(3)), Err(TicketBlocked::SellerAnswered));
    let mut ticket = answered;
    for round in 1..=2 {
        ticket = ticket.apply(Seller, Resolve, now).unwrap();
        assert_eq!(ticket.check(Seller, Reply, now), Err(TicketBlocked::AwaitingConfirmation));
        ticket = ticket.apply(Buyer, Reopen, now).unwrap();
        assert_eq!((ticket.state, ticket.reopened), (TicketState::AwaitingSeller, round));
    }
    // Reopened twice: escalation at once, although the seller's fresh 24 hours run.
    assert_eq!(ticket.check(Buyer, Escalate, now), Ok(()));
}

#[test]
fn operations_reply_return_or_close_an_escalated_ticket_only() {
    let late = OPENED + SELLER_ANSWER_WITHIN;
    assert_eq!(opened().check(Operations, CloseWithDecision, late), Err(TicketBlocked::NotEscalated));
    let escalated = opened().apply(Buyer, Escalate, late).unwrap();
    let returned = escalated.apply(Operations, ReturnToSeller, late).unwrap();
    assert!(!returned.escalated);
    assert_eq!(returned.seller_deadline(), Some(late + SELLER_ANSWER_WITHIN), "a fresh 24 hours");
    let closed = escalated.apply(Operations, CloseWithDecision, late).unwrap();
    assert_eq!(closed.state, TicketState::Closed);
    for (role, action) in [(Buyer, Reply), (Seller, Reply), (Operations, Reply), (Buyer, Reopen)] {
        assert!(closed.check(role, action, late).is_err(), "{role:?} {action:?} on a closed ticket");
    }
    assert_eq!(closed.check(Buyer, Rate, late), Ok(()));
    let rated = closed.apply(Buyer, Rate, late).unwrap();
    assert_eq!(rated.check(Buyer, Rate, late), Err(TicketBlocked::AlreadyRated));
    assert_eq!(opened().check(Buyer, Rate, late), Err(TicketBlocked::NotClosed));
    assert_eq!(opened().check(Seller, Escalate, late), Err(TicketBlocked::NotYourAction));
}

#[test]
fn a_resolved_ticket_closes_itself_after_7_days_to_the_second() {
    let resolved_at = OPENED + Duration::hours(2);
    let resolved = opened().apply(Seller, Resolve, resolved_at).unwrap();
    assert_eq!(resolved.check(Buyer, Reply, resolved_at), Err(TicketBlocked::AwaitingConfirmation));
    assert!(!resolved.closes_itself(resolved_at + AUTO_CLOSE_AFTER - SECOND));
    assert!(resolved.closes_itself(resolved_at + AUTO_CLOSE_AFTER));
    let confirmed = resolved.apply(Buyer, Confirm, resolved_at).unwrap();
    assert_eq!((confirmed.state, confirmed.closes_itself_at()), (TicketState::Closed, None));
}

#[test]
fn a_buyer_reply_restarts_the_sellers_clock_only_when_it_had_answered() {
    let answered_at = OPENED + Duration::hours(3);
    let answered = opened().apply(Seller, Reply, answered_at).unwrap();
    let again = answered.apply(Buyer, Reply, answered_at + Duration::hours(1)).unwrap();
    assert_eq!(again.seller_deadline(), Some(answered_at + Duration::hours(1) + SELLER_ANSWER_WITHIN));
    // A second message while waiting does not buy the seller more time.
    let twice = again.apply(Buyer, Reply, answered_at + Duration::hours(5)).unwrap();
    assert_eq!(twice.seller_deadline(), again.seller_deadline());
}

fn arbitrary_step() -> impl Strategy<Value = (SupportRole, TicketAction, i64)> {
    let roles = prop_oneof![Just(Buyer), Just(Seller), Just(Operations)];
    let actions = prop_oneof![
        Just(Reply),
        Just(Resolve),
        Just(Confirm),
        Just(Reopen),
        Just(Escalate),
        Just(ReturnToSeller),
        Just(CloseWithDecision),
        Just(Rate)
    ];
    (roles, actions, 0i64..200_000)
}

proptest! {
    /// Whatever happens, a closed ticket stays closed, reopenings only grow, a rating comes
    /// once and only at close, a resolved ticket knows when it closes itself, and the
    /// seller's countdown runs exactly while the ticket waits for the seller.
    #[test]
    fn any_history_keeps_the_invariants(steps in proptest::collection::vec(arbitrary_step(), 0..40)) {
        let mut ticket = opened();
        let mut now = OPENED;
        for (role, action, seconds) in steps {
            now += Duration::seconds(seconds);
            let before = ticket;
            match ticket.apply(role, action, now) {
                Ok(next) => {
                    prop_assert!(before.state != TicketState::Closed || action == Rate);
                    prop_assert!(next.reopened >= before.reopened);
                    prop_assert!(!(before.rated && action == Rate), "a second rating was taken");
                    prop_assert!(!next.rated || next.state == TicketState::Closed);
                    prop_assert_eq!(next.state == TicketState::Resolved, next.closes_itself_at().is_some());
                    prop_assert_eq!(
                        next.seller_deadline().is_some(),
                        next.state == TicketState::AwaitingSeller && !next.escalated
                    );
                    ticket = next;
                }
                Err(blocked) => prop_assert_eq!(ticket.check(role, action, now), Err(blocked)),
            }
            let allowed: Vec<_> = ticket.actions(role, now).into_iter().filter(|(_, r)| r.is_ok()).map(|(a, _)| a).collect();
            for action in allowed {
                prop_assert!(ticket.apply(role, action, now).is_ok());
            }
        }
    }

    /// The average is within half a tenth of the exact mean, and the count is the sum.
    #[test]
    fn the_average_is_the_mean_rounded_to_a_tenth(distribution in proptest::array::uniform5(0u32..1000)) {
        let summary = RatingSummary::from_distribution(distribution);
        let count: u32 = distribution.iter().sum();
        prop_assert_eq!(summary.count, count);
        if count > 0 {
            let mean: f64 = distribution.iter().enumerate().map(|(i, n)| (i as f64 + 1.0) * f64::from(*n)).sum::<f64>() / f64::from(count);
            prop_assert!((f64::from(summary.average_tenths) / 10.0 - mean).abs() <= 0.05 + 1e-9);
            prop_assert!((10..=50).contains(&summary.average_tenths));
        }
    }
}

#[test]
fn reviews_need_a_delivered_order_until_45_days_after_leaving() {
    let delivered_at = OPENED;
    assert_eq!(review_eligibility(&[], OPENED), Err(ReviewRefusal::NoDeliveredOrder));
    let held = Delivered { delivered_at, unsubscribed_at: None };
    assert_eq!(review_eligibility(&[held], OPENED - SECOND), Err(ReviewRefusal::NoDeliveredOrder));
    assert_eq!(review_eligibility(&[held], OPENED), Ok(()));
    let left_at = OPENED + Duration::days(10);
    let left = Delivered { delivered_at, unsubscribed_at: Some(left_at) };
    assert_eq!(review_eligibility(&[left], left_at + REVIEW_AFTER_LEAVING - SECOND), Ok(()));
    assert_eq!(review_eligibility(&[left], left_at + REVIEW_AFTER_LEAVING), Err(ReviewRefusal::LeftTooLongAgo));
    assert_eq!(review_eligibility(&[left, held], left_at + Duration::days(400)), Ok(()), "another app still held");
}

#[test]
fn a_review_has_1_to_5_stars_and_20_to_5000_characters() {
    let fine = "Works well, and support answered in an hour.";
    assert!(check_review(5, fine).is_empty());
    for stars in [0, 6, -1] {
        assert_eq!(check_review(stars, fine).0[0].field, "stars");
    }
    assert_eq!(check_review(3, &"x".repeat(19)).0[0].field, "text");
    assert!(check_review(3, &"好".repeat(20)).is_empty());
    assert!(check_review(3, &"好".repeat(5_000)).is_empty());
    assert_eq!(check_review(3, &"好".repeat(5_001)).0[0].field, "text");
    assert_eq!(check_review(3, &format!("  {}  ", "x".repeat(19))).0[0].field, "text", "trimmed");
}

#[test]
fn summaries_and_medians() {
    let summary = RatingSummary::from_distribution([0, 0, 1, 1, 1]);
    assert_eq!((summary.count, summary.average_tenths, summary.average_text()), (3, 40, "4.0".to_owned()));
    assert_eq!(RatingSummary::from_distribution([0, 0, 0, 1, 1]).average_tenths, 45, "4.5 exactly");
    assert_eq!(RatingSummary::from_distribution([0; 5]).average_tenths, 0);
    assert_eq!(median(&mut []), None);
    assert_eq!(median(&mut [30, 10, 20]), Some(20));
    assert_eq!(median(&mut [40, 10, 30, 20]), Some(20));
}
