//! Resource Details (`/apps/:id`): Application Information (user name, the initial password
//! behind an eye button, management and frontend URLs), Basic Information and Seller
//! Information. Revealing asks the backend each time; when the login is too old a dialog
//! asks for the password and keeps the page. `RevealableApplication` wires the panel of
//! `components::application_panel` to those requests (also used by Service Supervision).

use bazaar_core::apps::{ApplicationInfo, BasicInfo, PurchasedAppDetail, SellerInfo};
use bazaar_core::catalog::{BillingMode, DeliveryMethod};
use bazaar_core::error::ErrorCode;
use bazaar_core::ids::AppId;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::application_panel::{ApplicationPanel, Reveal};
use crate::components::page_heading::PageHeading;
use crate::components::phase::{PhaseBadge, PhaseBanner};
use crate::components::require_login::RequireLogin;
use crate::components::status::{error_message, render_resource};
use crate::components::trial_status::TrialStatus;
use crate::format::local_date_time;
use crate::i18n::{I18n, Locale, use_i18n};
use crate::pages::app_usage::UsageSection;
use crate::pages::unsubscribe::UnsubscribeButton;
use crate::routing::{not_found, use_id_param};
use crate::session::use_session;

#[component]
pub fn AppDetailPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <AppLoader />
        </RequireLogin>
    }
}

#[component]
fn AppLoader() -> impl IntoView {
    let id = use_id_param::<bazaar_core::ids::AppId>();
    let app = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::apps::app(id).await,
                None => Err::<PurchasedAppDetail, ApiError>(not_found()),
            }
        }
    });
    view! { {render_resource(app, |app| view! { <ResourceDetails app /> })} }
}

#[component]
fn ResourceDetails(app: PurchasedAppDetail) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let order_id = app.basic.order_id;
    // Leaving the app releases it at once: its order page shows the refund.
    let on_done = Callback::new(move |_| navigate(&format!("/orders/{order_id}"), Default::default()));
    let image = app.delivery_method == DeliveryMethod::Image;
    let (heading, basic, seller) = (app.basic.clone(), app.basic.clone(), app.seller.clone());
    // The panel keeps its state (a shown password) through a language switch; the cards
    // around it are drawn again in the new language.
    view! {
        <section class="resource-details">
            {move || heading_view(&heading, i18n)}
            {match (app.basic.trial, app.basic.expires_at) {
                (true, Some(ends_at)) => view! {
                    <div class="card"><TrialStatus app_id=app.id ends_at server_now=app.server_now /></div>
                }.into_any(),
                _ => view! {
                    <PhaseBanner phase=app.basic.phase expires_at=app.basic.expires_at renew_href=format!("/renewals?app={}", app.id) />
                }.into_any(),
            }}
            <RevealableApplication app_id=app.id application=app.application.clone() image usable=app.basic.phase.is_usable() />
            {(app.basic.billing_mode == BillingMode::PayPerUse).then(|| view! { <UsageSection app_id=app.id /> })}
            {move || basic_information(&basic, i18n)}
            {move || seller_information(&seller, i18n)}
            <div class="card">
                <p><A href=format!("/support/new?order_id={}", app.id.order()) attr:class="button button--secondary">{move || i18n.support().get_help}</A></p>
                <UnsubscribeButton app_id=app.id product_name=app.basic.product_name.clone() on_done />
            </div>
        </section>
    }
}

fn heading_view(basic: &BasicInfo, i18n: I18n) -> impl IntoView + use<> {
    let messages = i18n.o();
    view! {
        <p><A href="/apps">{messages.apps_title}</A></p>
        <div class="order__heading">
            <PageHeading text={basic.product_name.clone()} />
            <PhaseBadge phase=basic.phase />
        </div>
    }
}

fn basic_information(basic: &BasicInfo, i18n: I18n) -> impl IntoView + use<> {
    let basic = basic.clone();
    let messages = i18n.o();
    let locale = i18n.locale();
    let when = move |moment| local_date_time(moment, locale);
    view! {
        <div class="card" data-testid="basic-information">
            <h2 class="card__title">{messages.details_basic}</h2>
            <dl class="details">
                <dt>{move || i18n.t().product_label}</dt>
                <dd><A href=format!("/products/{}", basic.product_id)>{basic.product_name.clone()}</A></dd>
                <dt>{i18n.t().configure_sku}</dt>
                <dd>{basic.sku_name.clone()}</dd>
                <dt>{messages.details_order}</dt>
                <dd><A href=format!("/orders/{}", basic.order_id)>{basic.order_number.clone()}</A></dd>
                <dt>{messages.details_purchased_at}</dt>
                <dd>{when(basic.purchased_at)}</dd>
                <dt>{messages.details_expires_at}</dt>
                <dd>{basic.expires_at.map(when).unwrap_or_else(|| messages.details_never_expires.to_owned())}</dd>
                <dt>{i18n.t().configure_billing}</dt>
                <dd>{i18n.t().billing(basic.billing_mode)}</dd>
                <dt>{i18n.t().configure_region}</dt>
                <dd>{bazaar_core::regions::name(&basic.region, locale == Locale::ZhCn).to_owned()}</dd>
                <dt>{messages.apps_filter_status}</dt>
                <dd>{i18n.lc().phase(basic.phase)}</dd>
                {basic.server_address.clone().map(|address| view! { <dt>{messages.details_server_address}</dt><dd data-testid="server-address">{address}</dd> })}
                {basic.login_user.clone().map(|user| view! { <dt>{messages.details_login_user}</dt><dd>{user}</dd> })}
            </dl>
        </div>
    }
}

fn seller_information(seller: &SellerInfo, i18n: I18n) -> impl IntoView + use<> {
    let messages = i18n.o();
    view! {
        <div class="card" data-testid="seller-information">
            <h2 class="card__title">{messages.details_seller}</h2>
            <p class="notice notice--info">{messages.details_seller_hint}</p>
            <dl class="details">
                <dt>{messages.details_seller_name}</dt><dd>{seller.name.clone()}</dd>
                <dt>{messages.details_seller_email}</dt><dd><a href=format!("mailto:{}", seller.email)>{seller.email.clone()}</a></dd>
                <dt>{messages.details_seller_phone}</dt><dd><a href=format!("tel:{}", seller.phone.replace(' ', ""))>{seller.phone.clone()}</a></dd>
                <dt>{messages.details_seller_hours}</dt><dd>{seller.support_hours.clone()}</dd>
            </dl>
        </div>
    }
}

/// Application Information with the password behind the eye button: each reveal asks the
/// backend (re-authenticating in a dialog when the login is too old). The password lives
/// only in this component while shown — the reveal action keeps no copy of it — and is
/// dropped on hiding, on leaving the page and on logging out.
#[component]
pub fn RevealableApplication(
    app_id: AppId,
    application: ApplicationInfo,
    image: bool,
    /// False while the app is frozen: the password and links are locked.
    #[prop(default = true)]
    usable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let secret = RwSignal::new(None::<String>);
    let reauth_open = RwSignal::new(false);
    let reveal = Action::new_local(move |_: &()| async move {
        match api::apps::reveal_password(app_id).await {
            Ok(revealed) => {
                secret.set(Some(revealed.password));
                Ok(())
            }
            Err(error) => {
                if error.code() == ErrorCode::ReauthenticationRequired {
                    reauth_open.set(true);
                }
                Err(error)
            }
        }
    });
    let reauthenticate = Action::new_local(move |password: &String| {
        let password = password.clone();
        async move {
            let result = api::session::reauthenticate(password).await;
            if let Ok(info) = &result {
                session.0.set(crate::session::SessionState::SignedIn(info.clone()));
                reauth_open.set(false);
                reveal.dispatch(());
            }
            result
        }
    });
    on_cleanup(move || secret.set(None));
    // Shown only while signed in; logging out also leaves the page, which drops it.
    let shown = Signal::derive(move || secret.get().filter(|_| session.is_signed_in()));
    let reveal_error = Signal::derive(move || {
        reveal.value().with(|value| match value {
            Some(Err(error)) if error.code() == ErrorCode::ReauthenticationRequired => None,
            Some(Err(error)) if error.code() == ErrorCode::RateLimited => {
                Some((i18n.o().reveal_rate_limited)(&error.retry_after_seconds.unwrap_or(60).to_string()))
            }
            Some(Err(error)) => Some(error_message(error)),
            _ => None,
        })
    });
    let state = Reveal {
        secret: shown,
        pending: reveal.pending().into(),
        error: reveal_error,
        on_show: Callback::new(move |_| {
            reveal.dispatch(());
        }),
        on_hide: Callback::new(move |_| secret.set(None)),
        reauth_open,
        reauth_pending: reauthenticate.pending().into(),
        reauth_error: Signal::derive(move || {
            reauthenticate.value().get().filter(|_| reauth_open.get()).and_then(Result::err)
        }),
        on_reauthenticate: Callback::new(move |password: String| {
            reauthenticate.dispatch(password);
        }),
    };
    view! { <ApplicationPanel application image usable reveal=state /> }
}
