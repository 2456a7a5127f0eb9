//! A secret behind an eye button: hidden until asked for, hidden again on the next click or
//! by itself after a while, with a copy button that confirms. The component never fetches:
//! the page reveals (and forgets) the secret through the callbacks.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use bazaar_core::apps::REVEAL_VISIBLE_SECONDS;

use crate::i18n::use_i18n;

#[component]
pub fn SecretField(
    /// The element id base.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    /// `Some` while the secret is shown.
    #[prop(into)]
    secret: Signal<Option<String>>,
    /// A reveal is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// Seconds after which a shown secret hides itself.
    hide_after_seconds: u32,
    on_show: Callback<()>,
    on_hide: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = move || secret.with(Option::is_some);
    let copy_state = RwSignal::new(None::<bool>);

    // Hide again after the delay; a new reveal restarts the clock.
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let visible = secret.with(Option::is_some);
        if let Some(handle) = timer.get_value() {
            handle.clear();
            timer.set_value(None);
        }
        if visible {
            let handle =
                set_timeout_with_handle(move || on_hide.run(()), Duration::from_secs(u64::from(hide_after_seconds)))
                    .ok();
            timer.set_value(handle);
        } else {
            copy_state.set(None);
        }
    });
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });

    let copy = move |_| {
        let Some(text) = secret.get_untracked() else { return };
        let clipboard = window().navigator().clipboard();
        leptos::task::spawn_local(async move {
            let copied = JsFuture::from(clipboard.write_text(&text)).await.is_ok();
            copy_state.set(Some(copied));
        });
    };
    let value_id = format!("{id}-value");
    view! {
        <div class="secret-field" data-testid=id.clone()>
            <span class="secret-field__value" id=value_id.clone() data-testid=format!("{id}-value")
                title=move || label.get()>
                {move || secret.get().unwrap_or_else(|| "••••••••••••".to_owned())}
            </span>
            <button type="button" class="button button--quiet button--small secret-field__toggle"
                aria-pressed=move || if shown() { "true" } else { "false" }
                aria-controls=value_id.clone()
                aria-label=move || if shown() { i18n.o().details_hide_password } else { i18n.o().details_show_password }
                disabled=move || pending.get()
                on:click=move |_| if shown() { on_hide.run(()) } else { on_show.run(()) }>
                // Inline icons: no icon font or emoji font needed.
                <svg class="secret-field__eye" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"
                    fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                    <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z"></path>
                    <circle cx="12" cy="12" r="3"></circle>
                    <Show when=shown><line x1="3" y1="3" x2="21" y2="21"></line></Show>
                </svg>
            </button>
            <Show when=shown>
                <button type="button" class="button button--secondary button--small"
                    aria-label=move || i18n.o().details_copy_label on:click=copy>
                    {move || i18n.o().details_copy}
                </button>
            </Show>
        </div>
        <p class="hint" role="status" data-testid=format!("{id}-status")>
            {move || match copy_state.get() {
                Some(true) => i18n.o().details_copied.to_owned(),
                Some(false) => i18n.o().details_copy_failed.to_owned(),
                None if shown() => (i18n.o().details_auto_hide)(REVEAL_VISIBLE_SECONDS),
                None => String::new(),
            }}
        </p>
    }
}
