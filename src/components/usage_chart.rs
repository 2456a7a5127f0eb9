//! The usage chart of a pay-per-use app: one bar per hour of the last 30 days (its usage)
//! and a line of the cost accumulated over the window, drawn as plain SVG, with the same figures in a table for screen
//! readers and for anyone who wants the numbers. No fetching: the page hands it the hours.

use bazaar_core::money::{Currency, Money};
use bazaar_core::usage::UsageHour;
use leptos::prelude::*;
use time::{Duration, OffsetDateTime};

use crate::format::{local_date, local_date_time};
use crate::i18n::use_i18n;

/// Width of the plot in SVG units: one unit per hour of 30 days.
const HOURS: i64 = 30 * 24;
const PLOT_HEIGHT: f64 = 160.0;
const LEFT: f64 = 48.0;
/// Room on the right for the cost scale and the last date.
const RIGHT: f64 = 72.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// Where each hour's bar goes and how tall bars and the cost line are.
struct Geometry {
    start: OffsetDateTime,
    max_quantity: i64,
    /// The cost of the whole window: the top of the cumulative line.
    total_cost: i64,
}

impl Geometry {
    fn of(hours: &[UsageHour], end: OffsetDateTime) -> Geometry {
        Geometry {
            start: end - Duration::hours(HOURS),
            max_quantity: hours.iter().map(|h| h.quantity).max().unwrap_or(0).max(1),
            total_cost: hours.iter().map(|h| h.amount.amount_minor).sum::<i64>().max(1),
        }
    }

    fn x(&self, hour: OffsetDateTime) -> f64 {
        LEFT + (hour - self.start).whole_hours() as f64
    }

    fn bar_height(&self, quantity: i64) -> f64 {
        PLOT_HEIGHT * quantity as f64 / self.max_quantity as f64
    }

    /// The height of the cost accumulated so far.
    fn cost_y(&self, cumulative_minor: i64) -> f64 {
        TOP + PLOT_HEIGHT - PLOT_HEIGHT * cumulative_minor as f64 / self.total_cost as f64
    }
}

/// The chart and its table. `end` is the end of the window (the current hour's end).
#[component]
pub fn UsageChart(hours: Vec<UsageHour>, end: OffsetDateTime, currency: Currency) -> impl IntoView {
    let i18n = use_i18n();
    let geometry = Geometry::of(&hours, end);
    let total_quantity: i64 = hours.iter().map(|h| h.quantity).sum();
    let total_cost = Money::new(hours.iter().map(|h| h.amount.amount_minor).sum(), currency);
    let count = hours.len();
    let bars = hours
        .iter()
        .map(|hour| {
            let height = geometry.bar_height(hour.quantity);
            view! {
                <rect class="usage-chart__bar" x=geometry.x(hour.hour) y=TOP + PLOT_HEIGHT - height width="1" height=height />
            }
        })
        .collect_view();
    let mut so_far = 0;
    let cost_points = hours
        .iter()
        .map(|hour| {
            so_far += hour.amount.amount_minor;
            format!("{:.1},{:.1}", geometry.x(hour.hour) + 1.0, geometry.cost_y(so_far))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let right_edge = LEFT + HOURS as f64;
    let ticks: Vec<OffsetDateTime> = (0..=6).map(|step| geometry.start + Duration::days(step * 5)).collect();
    let max_quantity = geometry.max_quantity;
    let width = LEFT + HOURS as f64 + RIGHT;
    let height = TOP + PLOT_HEIGHT + BOTTOM;
    let rows = hours.clone();
    view! {
        <figure class="usage-chart">
            <figcaption class="usage-chart__title">{move || i18n.billing().chart_title}</figcaption>
            <svg class="usage-chart__svg" viewBox=format!("0 0 {width} {height}") role="img"
                aria-labelledby="usage-chart-title usage-chart-summary" preserveAspectRatio="none">
                <title id="usage-chart-title">{move || i18n.billing().chart_title}</title>
                <desc id="usage-chart-summary">
                    {move || (i18n.billing().chart_summary)(count, total_quantity, &total_cost.display())}
                </desc>
                <line class="usage-chart__axis" x1=LEFT y1=TOP + PLOT_HEIGHT x2=LEFT + HOURS as f64 y2=TOP + PLOT_HEIGHT />
                <line class="usage-chart__axis" x1=LEFT y1=TOP x2=LEFT y2=TOP + PLOT_HEIGHT />
                <text class="usage-chart__label" x=LEFT - 4.0 y=TOP + 8.0 text-anchor="end">{max_quantity}</text>
                <text class="usage-chart__label" x=LEFT - 4.0 y=TOP + PLOT_HEIGHT text-anchor="end">"0"</text>
                {bars}
                <polyline class="usage-chart__cost" points=cost_points />
                <text class="usage-chart__label" x=right_edge + 4.0 y=TOP + 8.0>{total_cost.display()}</text>
                <text class="usage-chart__label" x=right_edge + 4.0 y=TOP + PLOT_HEIGHT>{Money::zero(currency).display()}</text>
                {ticks.into_iter().map(|tick| view! {
                    <text class="usage-chart__label" x=geometry.x(tick) y=TOP + PLOT_HEIGHT + 18.0 text-anchor="middle">
                        {move || local_date(tick, i18n.locale())}
                    </text>
                }).collect_view()}
            </svg>
            <p class="hint" aria-hidden="true">{move || i18n.billing().chart_cost_legend}</p>
            <p class="hint">{move || (i18n.billing().chart_summary)(count, total_quantity, &total_cost.display())}</p>
            <details class="usage-chart__table">
                <summary>{move || i18n.billing().chart_table}</summary>
                <div class="table-scroll">
                <table class="orders-table" data-testid="usage-table">
                    <caption class="visually-hidden">{move || i18n.billing().chart_title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.billing().column_hour}</th>
                            <th scope="col">{move || i18n.billing().column_quantity}</th>
                            <th scope="col">{move || i18n.billing().column_cost}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().rev().map(|hour| {
                            let at = hour.hour;
                            view! {
                                <tr>
                                    <th scope="row">{move || local_date_time(at, i18n.locale())}</th>
                                    <td>{hour.quantity}</td>
                                    <td>{hour.amount.display()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn bars_sit_on_their_hour_and_scale_to_the_busiest_one() {
        let end = datetime!(2026-12-05 10:00 UTC);
        let hour = |at, quantity| UsageHour { hour: at, quantity, amount: Money::new(quantity * 40, Currency::CNY) };
        let hours = vec![hour(end - Duration::hours(1), 5), hour(end - Duration::hours(HOURS), 10)];
        let geometry = Geometry::of(&hours, end);
        assert_eq!(geometry.x(end - Duration::hours(HOURS)), LEFT);
        assert_eq!(geometry.x(end - Duration::hours(1)), LEFT + (HOURS - 1) as f64);
        assert_eq!(geometry.bar_height(10), PLOT_HEIGHT);
        assert_eq!(geometry.bar_height(5), PLOT_HEIGHT / 2.0);
        // The cumulative line ends at the top: the window's whole cost.
        assert_eq!(geometry.cost_y(15 * 40), TOP);
        // No usage at all still draws (nothing divides by zero).
        assert_eq!(Geometry::of(&[], end).bar_height(0), 0.0);
    }
}
