//! Resource Details (`/apps/:id`): Application Information (user name, the initial password
//! behind an eye button, management and frontend URLs), Basic Information and Seller
//! Information. Revealing asks the backend each time; when the login is too old a dialog
//! asks for the password and keeps the page.

use bazaar_core::apps::{ApplicationInfo, PurchasedAppDetail, REVEAL_VISIBLE_SECONDS};
use bazaar_core::catalog::DeliveryMethod;
use bazaar_core::error::ErrorCode;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::fields::TextField;
use crate::components::require_login::RequireLogin;
use crate::components::secret_field::SecretField;
use crate::components::status::{error_message, render_resource};
use crate::format::local_date_time;
use crate::i18n::{Locale, fill, use_i18n};
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

/// A link that opens in a new tab without giving that page a handle on this one.
#[component]
fn ExternalLink(href: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = href.clone();
    view! {
        <a href=href target="_blank" rel="noopener noreferrer" class="external-link">
            {text}<span class="visually-hidden">" "{move || i18n.o().details_new_tab}</span>
            <span aria-hidden="true">" ↗"</span>
        </a>
    }
}

#[component]
fn ResourceDetails(app: PurchasedAppDetail) -> impl IntoView {
    let i18n = use_i18n();
    let basic = app.basic.clone();
    let seller = app.seller.clone();
    let image = app.delivery_method == DeliveryMethod::Image;
    let locale = i18n.locale();
    let when = move |moment| local_date_time(moment, locale);
    let messages = i18n.o();
    view! {
        <section class="resource-details">
            <p><A href="/apps">{messages.apps_title}</A></p>
            <div class="order__heading">
                <h1>{basic.product_name.clone()}</h1>
                <span class="status-badge status-badge--completed">{messages.app_status(basic.status)}</span>
            </div>

            <ApplicationPanel app_id=app.id application=app.application.clone() image />

            <div class="card" data-testid="basic-information">
                <h2 class="card__title">{messages.details_basic}</h2>
                <dl class="details">
                    <dt>{i18n.t().product_overview}</dt>
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
                    <dd>{messages.app_status(basic.status)}</dd>
                    {basic.server_address.clone().map(|address| view! { <dt>{messages.details_server_address}</dt><dd data-testid="server-address">{address}</dd> })}
                    {basic.login_user.clone().map(|user| view! { <dt>{messages.details_login_user}</dt><dd>{user}</dd> })}
                </dl>
            </div>

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
        </section>
    }
}

/// Application Information with the password behind the eye button: each reveal asks the
/// backend (re-authenticating in a dialog when the login is too old), and the secret lives
/// only in this component while shown. Also used by Service Supervision before a
/// supervised SaaS flow completes.
#[component]
pub fn ApplicationPanel(app_id: bazaar_core::ids::AppId, application: ApplicationInfo, image: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // The revealed password lives only here, only while shown.
    let secret = RwSignal::new(None::<String>);
    let reveal = Action::new_local(move |_: &()| api::apps::reveal_password(app_id));
    let reauth_open = RwSignal::new(false);
    let reveal_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match reveal.value().get() {
        Some(Ok(revealed)) => {
            reveal_error.set(None);
            secret.set(Some(revealed.password.clone()));
        }
        Some(Err(error)) if error.code() == ErrorCode::ReauthenticationRequired => reauth_open.set(true),
        Some(Err(error)) if error.code() == ErrorCode::RateLimited => reveal_error.set(Some(fill(
            i18n.o().reveal_rate_limited,
            &[("seconds", &error.retry_after_seconds.unwrap_or(60).to_string())],
        ))),
        Some(Err(error)) => reveal_error.set(Some(error_message(&error))),
        None => {}
    });
    // Logging out (or the session ending) drops the secret at once.
    Effect::new(move |_| {
        if !session.is_signed_in() {
            secret.set(None);
        }
    });
    on_cleanup(move || secret.set(None));
    // Clear the last answer so the action holds no copy of the password either.
    let hide = Callback::new(move |_| {
        secret.set(None);
        reveal.value().set(None);
    });
    let show = Callback::new(move |_| {
        reveal.dispatch(());
    });

    let reauthenticate = Action::new_local(|password: &String| api::session::reauthenticate(password.clone()));
    Effect::new(move |_| {
        if let Some(Ok(info)) = reauthenticate.value().get() {
            session.0.set(crate::session::SessionState::SignedIn(info));
            reauth_open.set(false);
            reauthenticate.value().set(None);
            reveal.dispatch(());
        }
    });
    let messages = i18n.o();
    view! {
        <div class="card" data-testid="application-information">
            <h2 class="card__title">{messages.details_application}</h2>
            <dl class="details">
                {application.instance_id.clone().map(|instance| view! { <dt>{messages.details_instance}</dt><dd>{instance}</dd> })}
                <dt>{messages.details_username}</dt>
                <dd data-testid="app-username">{application.username.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>{messages.details_password}</dt>
                <dd>
                    {if application.password_revealable {
                        view! {
                            <SecretField id="app-password" label=Signal::derive(move || i18n.o().details_password.to_owned())
                                secret=secret pending=reveal.pending() hide_after_seconds=REVEAL_VISIBLE_SECONDS
                                on_show=show on_hide=hide />
                            <p class="field__error" role="alert">{move || reveal_error.get()}</p>
                        }.into_any()
                    } else if image {
                        view! { <span class="hint">{messages.details_password_own}</span> }.into_any()
                    } else {
                        view! { <span class="hint">{messages.details_no_password}</span> }.into_any()
                    }}
                </dd>
                {application.management_url.clone().map(|url| view! {
                    <dt>{messages.details_management_url}</dt><dd data-testid="management-url"><ExternalLink href=url /></dd>
                })}
                {application.frontend_url.clone().map(|url| view! {
                    <dt>{messages.details_frontend_url}</dt><dd data-testid="frontend-url"><ExternalLink href=url /></dd>
                })}
            </dl>
            <ReauthDialog open=reauth_open pending=reauthenticate.pending()
                error=Signal::derive(move || reauthenticate.value().get().and_then(Result::err))
                on_submit=Callback::new(move |password: String| { reauthenticate.dispatch(password); }) />
        </div>
    }
}

/// Asks for the account password in a modal dialog that keeps the page underneath.
#[component]
fn ReauthDialog(
    open: RwSignal<bool>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<ApiError>>,
    on_submit: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    let password = RwSignal::new(String::new());
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if open.get() {
            password.set(String::new());
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        } else if dialog.open() {
            dialog.close();
        }
    });
    let error_text = Signal::derive(move || {
        error.get().map(|error| {
            error
                .body
                .field_errors
                .first()
                .map(|field| i18n.t().field_error(field))
                .unwrap_or_else(|| error_message(&error))
        })
    });
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="reauth-title" aria-describedby="reauth-text"
            on:close=move |_| open.set(false)>
            <form class="dialog__body" on:submit=move |event| {
                event.prevent_default();
                on_submit.run(password.get_untracked());
            }>
                <h2 id="reauth-title">{move || i18n.o().reauth_title}</h2>
                <p id="reauth-text">{move || i18n.o().reauth_text}</p>
                <TextField id="reauth-password" input_type="password" autocomplete="current-password"
                    label=Signal::derive(move || i18n.o().reauth_password.to_owned()) value=password error=error_text required=true />
                <div class="dialog__actions">
                    <button type="submit" class="button button--primary" disabled=move || pending.get() || password.with(String::is_empty)>
                        {move || i18n.o().reauth_confirm}
                    </button>
                    <button type="button" class="button button--quiet" on:click=move |_| open.set(false)>
                        {move || i18n.o().reauth_cancel}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
