//! Checkout's cloud server part (image products): the VPC, created on the spot if need
//! be, and the server's login password.

use super::*;

/// Image products: where the server goes (VPC) and its login password.
#[component]
pub(super) fn ServerSection(
    configuration_region: Signal<String>,
    vpc_id: RwSignal<Option<i64>>,
    password: RwSignal<String>,
    password_confirmation: RwSignal<String>,
    server_errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let new_vpc_name = RwSignal::new(String::new());
    // A new VPC becomes the chosen one, and the list is read again.
    let create = Action::new_local(move |request: &CreateVpcRequest| {
        let request = request.clone();
        async move {
            let result = api::orders::create_vpc(request).await;
            if let Ok(vpc) = &result {
                vpc_id.set(Some(vpc.id));
                new_vpc_name.set(String::new());
            }
            result
        }
    });
    let created_name = Signal::derive(move || create.value().get().and_then(Result::ok).map(|vpc| vpc.name));
    let vpcs = LocalResource::new(move || {
        create.version().get();
        api::orders::vpcs()
    });
    // The VPCs in the chosen region; the first is preselected.
    let in_region = Memo::new(move |_| {
        let region = configuration_region.get();
        vpcs.get()
            .and_then(Result::ok)
            .map(|vpcs| vpcs.into_iter().filter(|vpc| vpc.region == region).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    // Keeps the choice valid when the region or the list changes: state that depends on
    // both the buyer's pick and the fetched list, not an answer to an event.
    Effect::new(move |_| {
        let list = in_region.get();
        if !list.iter().any(|vpc| Some(vpc.id) == vpc_id.get_untracked()) {
            vpc_id.set(list.first().map(|vpc| vpc.id));
        }
    });
    let create_error = move || create.value().get().and_then(Result::err).map(|error| vpc_refusal(i18n, &error));
    let vpc_error = use_field_error(server_errors, "vpc_id");
    let region_name =
        move || bazaar_core::regions::name(&configuration_region.get(), i18n.locale() == Locale::ZhCn).to_owned();
    view! {
        <fieldset class="card checkout-form__section" data-testid="server-section">
            <legend class="card__title">{move || i18n.o().checkout_server_heading}</legend>
            {render_resource(vpcs, move |_| {
                view! {
                    <Show when=move || !in_region.with(Vec::is_empty)
                        fallback=move || view! { <p class="hint" data-testid="no-vpc">{move || i18n.o().checkout_vpc_none}</p> }>
                        <div class="field" class:field--invalid=move || vpc_error.get().is_some()>
                            <label class="field__label" for="vpc">{move || i18n.o().checkout_vpc}</label>
                            <select id="vpc" class="field__input"
                                aria-invalid=move || if vpc_error.get().is_some() { "true" } else { "false" }
                                aria-describedby="vpc-error"
                                on:change=move |event| vpc_id.set(event_target_value(&event).parse().ok())>
                                {move || in_region.get().into_iter().map(|vpc| {
                                    let id = vpc.id;
                                    view! {
                                        <option value=id.to_string() prop:selected=move || vpc_id.get() == Some(id)>
                                            {format!("{} ({})", vpc.name, vpc.cidr)}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                            <p class="field__error" id="vpc-error" aria-live="polite">{move || vpc_error.get()}</p>
                        </div>
                    </Show>
                }
            })}
            <div class="inline-create">
                <div class="field">
                    <label class="field__label" for="new-vpc-name">{move || i18n.o().checkout_vpc_name}</label>
                    <p class="field__hint" id="new-vpc-hint">{move || (i18n.o().checkout_vpc_region_note)(&region_name())}</p>
                    <input id="new-vpc-name" class="field__input" type="text" maxlength="64" autocomplete="off"
                        aria-describedby="new-vpc-hint new-vpc-error" bind:value=new_vpc_name />
                    <p class="field__error" id="new-vpc-error" aria-live="polite">{create_error}</p>
                </div>
                <button type="button" class="button button--secondary"
                    disabled=move || create.pending().get() || new_vpc_name.with(|name| name.trim().is_empty())
                    on:click=move |_| {
                        create.dispatch(CreateVpcRequest { name: new_vpc_name.get_untracked(), region: configuration_region.get_untracked() });
                    }>
                    {move || if create.pending().get() { i18n.o().checkout_vpc_creating } else { i18n.o().checkout_vpc_create }}
                </button>
                <p class="visually-hidden" role="status">
                    {move || created_name.get().map(|name| (i18n.o().checkout_vpc_created)(&name))}
                </p>
            </div>
            <ServerPasswordFields password password_confirmation server_errors />
        </fieldset>
    }
}

/// The server's login password, twice, checked by core's rules as it is typed.
#[component]
fn ServerPasswordFields(
    password: RwSignal<String>,
    password_confirmation: RwSignal<String>,
    server_errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let password_problem = Memo::new(move |_| {
        let value = password.get();
        (!value.is_empty()
            && !bazaar_core::validation::server_password_problems(&value, bazaar_core::orders::SERVER_LOGIN_USER)
                .is_empty())
        .then(|| i18n.t().server_password_rules())
    });
    let password_error =
        Signal::derive(move || use_field_error(server_errors, "server_password").get().or(password_problem.get()));
    let mismatch = Signal::derive(move || {
        let confirmation = password_confirmation.get();
        (!confirmation.is_empty() && confirmation != password.get())
            .then(|| i18n.o().checkout_password_mismatch.to_owned())
    });
    view! {
        <p class="hint">{move || i18n.o().checkout_login_user}</p>
        <crate::components::fields::TextField id="server-password" input_type="password" autocomplete="new-password"
            label=Signal::derive(move || i18n.o().checkout_password.to_owned())
            hint=Signal::derive(move || i18n.t().server_password_rules())
            value=password error=password_error required=true />
        <crate::components::fields::TextField id="server-password-confirm" input_type="password" autocomplete="new-password"
            label=Signal::derive(move || i18n.o().checkout_password_confirm.to_owned())
            value=password_confirmation error=mismatch required=true />
        <p class="notice notice--warning">{move || i18n.o().checkout_password_keep}</p>
    }
}

/// Why a new VPC was refused: its first field problem, else the answer's message.
fn vpc_refusal(i18n: crate::i18n::I18n, error: &ApiError) -> String {
    error
        .body
        .field_errors()
        .first()
        .map(|field_error| i18n.t().field_error(field_error))
        .unwrap_or_else(|| error_message(error))
}
