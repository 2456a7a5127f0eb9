//! Application Information: user name, the initial password behind the eye button,
//! management and frontend URLs (opened in a new tab), and the dialog that asks for the
//! password again when the login is too old. Markup only: the page passes in what a reveal
//! holds and does (`Reveal`); fetching stays with the page.

use bazaar_core::apps::{ApplicationInfo, PasswordLock, REVEAL_VISIBLE_SECONDS};
use leptos::html;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::fields::TextField;
use crate::components::secret_field::SecretField;
use crate::components::status::error_message;
use crate::i18n::use_i18n;

/// What the page's reveal and re-authentication hold, and what the panel may ask of them.
#[derive(Clone, Copy)]
pub struct Reveal {
    /// `Some` while the password is shown.
    pub secret: Signal<Option<String>>,
    pub pending: Signal<bool>,
    pub error: Signal<Option<String>>,
    pub on_show: Callback<()>,
    pub on_hide: Callback<()>,
    pub reauth_open: RwSignal<bool>,
    pub reauth_pending: Signal<bool>,
    pub reauth_error: Signal<Option<ApiError>>,
    pub on_reauthenticate: Callback<String>,
}

/// A link that opens in a new tab without giving that page a handle on this one.
#[component]
pub fn ExternalLink(href: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = href.clone();
    view! {
        <a href=href target="_blank" rel="noopener noreferrer" class="external-link">
            {text}<span class="visually-hidden">" "{move || i18n.o().details_new_tab}</span>
            <span aria-hidden="true">" ↗"</span>
        </a>
    }
}

/// The Application Information card. `image`: the server's password is the one the buyer
/// chose at checkout, which Bazaar never kept.
#[component]
pub fn ApplicationPanel(
    application: ApplicationInfo,
    image: bool,
    /// False while the app is frozen: no eye button, and addresses as text, not links.
    #[prop(default = true)]
    usable: bool,
    reveal: Reveal,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card" data-testid="application-information">
            <h2 class="card__title">{move || i18n.o().details_application}</h2>
            <dl class="details">
                {application.instance_id.clone().map(|instance| view! { <dt>{move || i18n.o().details_instance}</dt><dd>{instance}</dd> })}
                <dt>{move || i18n.o().details_username}</dt>
                <dd data-testid="app-username">{application.username.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>{move || i18n.o().details_password}</dt>
                <dd>
                    {if let Some(lock) = application.password_locked {
                        let text = move || match lock {
                            PasswordLock::Frozen => i18n.lc().frozen_password,
                            PasswordLock::UnpaidUsage => i18n.billing().frozen_password,
                        };
                        view! { <span class="hint" data-testid="password-locked">{text}</span> }.into_any()
                    } else if application.password_revealable {
                        view! {
                            <SecretField id="app-password" label=Signal::derive(move || i18n.o().details_password.to_owned())
                                secret=reveal.secret pending=reveal.pending hide_after_seconds=REVEAL_VISIBLE_SECONDS
                                on_show=reveal.on_show on_hide=reveal.on_hide />
                            <p class="field__error" role="alert">{move || reveal.error.get()}</p>
                        }.into_any()
                    } else if image {
                        view! { <span class="hint">{move || i18n.o().details_password_own}</span> }.into_any()
                    } else {
                        view! { <span class="hint">{move || i18n.o().details_no_password}</span> }.into_any()
                    }}
                </dd>
                {application.management_url.clone().map(|url| view! {
                    <dt>{move || i18n.o().details_management_url}</dt><dd data-testid="management-url">{address(url, usable)}</dd>
                })}
                {application.frontend_url.clone().map(|url| view! {
                    <dt>{move || i18n.o().details_frontend_url}</dt><dd data-testid="frontend-url">{address(url, usable)}</dd>
                })}
            </dl>
            <ReauthDialog open=reveal.reauth_open pending=reveal.reauth_pending error=reveal.reauth_error
                on_submit=reveal.on_reauthenticate />
        </div>
    }
}

/// An app's address: a link while the app is usable, plain text while it is frozen.
fn address(url: String, usable: bool) -> AnyView {
    if usable { view! { <ExternalLink href=url /> }.into_any() } else { view! { <span>{url}</span> }.into_any() }
}

/// Asks for the account password in a modal dialog that keeps the page underneath.
#[component]
pub fn ReauthDialog(
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
                .field_errors()
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
