//! Reviews and support ratings: only a buyer with a delivered order of the product may
//! review it, until 45 days after unsubscribing; a review holds 1–5 stars and 20–5,000
//! characters; the product page shows the average, the count and the distribution, and
//! the seller's support figures once enough tickets were rated.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::{FieldErrorCode, FieldErrors};

stable_names!(ReviewRefusal);

/// How long after unsubscribing a buyer may still review (or edit a review).
pub const REVIEW_AFTER_LEAVING: Duration = Duration::days(45);
pub const REVIEW_TEXT_MIN: usize = 20;
pub const REVIEW_TEXT_MAX: usize = 5_000;
/// A seller's answer to a review, and operations' reason for hiding one.
pub const ANSWER_MAX: usize = 2_000;
pub const HIDE_REASON_MIN: usize = 5;
pub const HIDE_REASON_MAX: usize = 500;
/// The product page shows a seller's support figures once this many tickets were rated.
pub const SUPPORT_RATINGS_TO_SHOW: usize = 5;

/// A delivered order of the product: when it was delivered, and when the buyer left the
/// app (if they did).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub delivered_at: OffsetDateTime,
    pub unsubscribed_at: Option<OffsetDateTime>,
}

/// Why a buyer may not review a product now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReviewRefusal {
    /// No order of the product was delivered to them.
    NoDeliveredOrder,
    /// They left every app of it more than 45 days ago.
    LeftTooLongAgo,
}

/// Whether a buyer with `orders` of a product may review it at `now`: one delivered order
/// they still hold, or left less than 45 days ago, is enough.
pub fn review_eligibility(orders: &[Delivered], now: OffsetDateTime) -> Result<(), ReviewRefusal> {
    let delivered: Vec<&Delivered> = orders.iter().filter(|order| order.delivered_at <= now).collect();
    if delivered.is_empty() {
        return Err(ReviewRefusal::NoDeliveredOrder);
    }
    let open = |order: &&Delivered| order.unsubscribed_at.is_none_or(|left| now < left + REVIEW_AFTER_LEAVING);
    if delivered.iter().any(open) { Ok(()) } else { Err(ReviewRefusal::LeftTooLongAgo) }
}

/// Checks a review: 1–5 stars and 20–5,000 characters once trimmed.
pub fn check_review(stars: i64, text: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if !(1..=5).contains(&stars) {
        errors.push("stars", FieldErrorCode::OutOfRange, "Give 1 to 5 stars.");
    }
    let length = text.trim().chars().count();
    if length < REVIEW_TEXT_MIN {
        errors.push("text", FieldErrorCode::TooShort, format!("Write at least {REVIEW_TEXT_MIN} characters."));
    } else if length > REVIEW_TEXT_MAX {
        errors.push("text", FieldErrorCode::TooLong, format!("Use at most {REVIEW_TEXT_MAX} characters."));
    }
    errors
}

/// A product's ratings as its page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingSummary {
    pub count: u32,
    /// The average in tenths of a star (43 = 4.3), rounded half up; 0 without reviews.
    pub average_tenths: u32,
    /// How many reviews gave 1, 2, 3, 4 and 5 stars.
    pub distribution: [u32; 5],
}

impl RatingSummary {
    /// The summary of `counts` (reviews with 1..=5 stars).
    pub fn from_distribution(distribution: [u32; 5]) -> RatingSummary {
        let count: u32 = distribution.iter().sum();
        let stars: u64 = distribution.iter().enumerate().map(|(index, n)| (index as u64 + 1) * u64::from(*n)).sum();
        let average_tenths =
            if count == 0 { 0 } else { ((stars * 20 + u64::from(count)) / (2 * u64::from(count))) as u32 };
        RatingSummary { count, average_tenths, distribution }
    }

    /// "4.3".
    pub fn average_text(&self) -> String {
        format!("{}.{}", self.average_tenths / 10, self.average_tenths % 10)
    }
}

/// A product's rating as catalog cards and search use it: the average of its visible reviews in
/// tenths of a star (43 = 4.3, rounded half up as on the product page) and their count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    pub average_tenths: u32,
    pub count: u32,
}

/// The search filter "4 stars and up" (`rating_min=4`), which has its own facet count.
pub const FOUR_STARS_AND_UP: u32 = 4;

impl Rating {
    /// The rating of a product with `distribution` visible reviews of 1..=5 stars; `None`
    /// without any.
    pub fn from_distribution(distribution: [u32; 5]) -> Option<Rating> {
        let summary = RatingSummary::from_distribution(distribution);
        (summary.count > 0).then_some(Rating { average_tenths: summary.average_tenths, count: summary.count })
    }

    /// Whether an average of at least `min_stars` stars is shown ("4 stars and up" takes a
    /// 4.0, not a 3.96 that would be shown as 4.0 — averages are in tenths already).
    pub fn at_least(rating: Option<Rating>, min_stars: u32) -> bool {
        rating.is_some_and(|rating| rating.average_tenths >= min_stars.saturating_mul(10))
    }

    /// Orders by rating, higher first: the average, then (among equal averages) the count,
    /// so 4.8 from 200 reviews comes before 4.8 from 2; no reviews ranks 0, below all.
    pub fn rank(rating: Option<Rating>) -> u64 {
        rating.map_or(0, |rating| (u64::from(rating.average_tenths) << 32) | u64::from(rating.count))
    }

    /// The rating [`Rating::rank`] was made from.
    pub fn from_rank(rank: u64) -> Option<Rating> {
        let count = (rank & u64::from(u32::MAX)) as u32;
        (count > 0).then_some(Rating { average_tenths: (rank >> 32) as u32, count })
    }

    /// "4.3".
    pub fn average_text(&self) -> String {
        format!("{}.{}", self.average_tenths / 10, self.average_tenths % 10)
    }
}

/// The median of `values` (the lower middle one of an even count), if any.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn four_stars_and_up_starts_at_an_average_of_exactly_four() {
        let rated = |average_tenths| Some(Rating { average_tenths, count: 3 });
        assert!(!Rating::at_least(rated(39), FOUR_STARS_AND_UP));
        assert!(Rating::at_least(rated(40), FOUR_STARS_AND_UP));
        assert!(Rating::at_least(rated(50), FOUR_STARS_AND_UP));
        assert!(!Rating::at_least(None, FOUR_STARS_AND_UP));
        // 4, 4, 4, 3 averages 3.75, shown as 3.8: not four stars.
        let rating = Rating::from_distribution([0, 0, 1, 3, 0]);
        assert_eq!(rating, Some(Rating { average_tenths: 38, count: 4 }));
        assert!(!Rating::at_least(rating, FOUR_STARS_AND_UP));
        assert_eq!(Rating::from_distribution([0; 5]), None);
    }

    #[test]
    fn ranks_order_by_average_then_count_with_unrated_last() {
        let rank = |average_tenths, count| Rating::rank(Some(Rating { average_tenths, count }));
        assert!(rank(48, 2) > rank(47, 900));
        assert!(rank(48, 200) > rank(48, 2));
        assert!(rank(10, 1) > Rating::rank(None));
        assert_eq!(Rating { average_tenths: 43, count: 7 }.average_text(), "4.3");
    }

    proptest! {
        #[test]
        fn a_rank_gives_back_its_rating(average_tenths in 10u32..=50, count in 1u32..) {
            let rating = Some(Rating { average_tenths, count });
            prop_assert_eq!(Rating::from_rank(Rating::rank(rating)), rating);
        }

        #[test]
        fn a_higher_average_always_ranks_higher(a in 10u32..=50, b in 10u32..=50, m in 1u32.., n in 1u32..) {
            prop_assume!(a != b);
            let (ra, rb) = (Rating::rank(Some(Rating { average_tenths: a, count: m })), Rating::rank(Some(Rating { average_tenths: b, count: n })));
            prop_assert_eq!(a > b, ra > rb);
        }
    }
}
