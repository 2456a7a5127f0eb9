//! A product's average rating as five stars filled to the nearest half, the average and
//! the count; screen readers hear one sentence ("Rated 4.3 of 5, 12 reviews") instead.

use bazaar_core::catalog::Rating;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// How many half stars the stars show for an average in tenths (4.3 → 9, 4.2 → 8).
pub fn half_stars(average_tenths: u32) -> u32 {
    ((average_tenths + 2) / 5).min(10)
}

#[component]
pub fn RatingStars(rating: Rating) -> impl IntoView {
    let i18n = use_i18n();
    let average = rating.average_text();
    let spoken = average.clone();
    let count = rating.count;
    // A class per half star: the CSP allows no inline style, and a shell page renders the
    // same markup as text.
    let fill = format!("rating-stars__icons rating-stars__icons--{}", half_stars(rating.average_tenths));
    view! {
        <p class="rating-stars" data-testid="rating-stars">
            <span class="visually-hidden">{move || (i18n.t().card_rating)(&spoken, count)}</span>
            <span class=fill aria-hidden="true">"★★★★★"</span>
            <span class="rating-stars__average" aria-hidden="true">{average}</span>
            <span class="rating-stars__count" aria-hidden="true">{format!("({count})")}</span>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::half_stars;

    #[test]
    fn averages_round_to_the_nearest_half_star() {
        assert_eq!(half_stars(10), 2);
        assert_eq!(half_stars(42), 8);
        assert_eq!(half_stars(43), 9);
        assert_eq!(half_stars(47), 9);
        assert_eq!(half_stars(48), 10);
        assert_eq!(half_stars(50), 10);
    }
}
