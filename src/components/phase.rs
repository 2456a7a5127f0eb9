//! Where an app's term stands: a badge for lists, a banner for Resource Details.

use bazaar_core::lifecycle::{Phase, grace_ends_at, released_at};
use leptos::prelude::*;
use time::OffsetDateTime;

use crate::format::local_date;
use crate::i18n::use_i18n;

/// The phase as a coloured badge.
#[component]
pub fn PhaseBadge(phase: Phase) -> impl IntoView {
    let i18n = use_i18n();
    let modifier = match phase {
        Phase::Active => "completed",
        Phase::Grace => "processing",
        Phase::Frozen | Phase::Released => "cancelled",
    };
    view! {
        <span class=format!("status-badge status-badge--{modifier}") data-testid="phase-badge">
            {move || i18n.lc().phase(phase)}
        </span>
    }
}

/// What an expired app's owner must know and do, with the way to renew; nothing while the
/// app is active.
#[component]
pub fn PhaseBanner(
    phase: Phase,
    expires_at: Option<OffsetDateTime>,
    #[prop(into)] renew_href: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let expires_at = expires_at?;
    let (class, text): (&str, Box<dyn Fn() -> String + Send + Sync>) = match phase {
        Phase::Active | Phase::Released => return None,
        Phase::Grace => (
            "notice notice--warning",
            Box::new(move || {
                let locale = i18n.locale();
                (i18n.lc().grace_banner)(
                    &local_date(expires_at, locale),
                    &local_date(grace_ends_at(expires_at), locale),
                )
            }),
        ),
        Phase::Frozen => (
            "notice notice--error",
            Box::new(move || {
                let locale = i18n.locale();
                (i18n.lc().frozen_banner)(
                    &local_date(grace_ends_at(expires_at), locale),
                    &local_date(released_at(expires_at), locale),
                )
            }),
        ),
    };
    Some(view! {
        <div class=class role="status" data-testid="phase-banner">
            <p>{text}</p>
            <a href=renew_href class="button button--primary button--small">{move || i18n.lc().renew_now}</a>
        </div>
    })
}
