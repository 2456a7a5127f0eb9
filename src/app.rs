//! The root component: contexts (language, session), the frame, and the whole route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;

use crate::api;
use crate::components::layout::{Footer, Header, SkipLink};
use crate::components::status::ErrorFallback;
use crate::i18n::{I18n, apply_document_language, initial_locale};
use crate::pages::account::AccountPage;
use crate::pages::app_detail::AppDetailPage;
use crate::pages::apps::AppsPage;
use crate::pages::favorites::FavoritesPage;
use crate::pages::home::HomePage;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::order_detail::OrderDetailPage;
use crate::pages::order_payment::OrderPaymentPage;
use crate::pages::orders::OrdersPage;
use crate::pages::product::ProductPage;
use crate::pages::products::ProductsPage;
use crate::pages::purchase::PurchasePage;
use crate::pages::supervision::SupervisionPage;
use crate::pages::supervision_detail::SupervisionDetailPage;
use crate::session::{CurrentSession, SessionState};

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n(RwSignal::new(initial_locale()));
    apply_document_language(i18n.0.get_untracked());
    provide_context(i18n);

    let session = CurrentSession(RwSignal::new(SessionState::Checking));
    provide_context(session);
    leptos::task::spawn_local(async move {
        // A network failure here leaves the visitor anonymous; pages that need a session
        // send them to the login page, which reports the problem if it persists.
        let state = match api::session::current().await {
            Ok(Some(info)) => SessionState::SignedIn(info),
            Ok(None) | Err(_) => SessionState::Anonymous,
        };
        session.0.set(state);
    });

    view! {
        <Router>
            <Shell />
        </Router>
    }
}

/// Everything inside the router: frame and routes.
#[component]
fn Shell() -> impl IntoView {
    let session = crate::session::use_session();
    let navigate = use_navigate();
    let log_out = Action::new_local(|_: &()| api::session::log_out());
    Effect::new(move |_| {
        if log_out.value().with(|result| matches!(result, Some(Ok(())))) {
            // Whatever the pages held (revealed secrets included) is dropped as they unmount.
            session.0.set(SessionState::Anonymous);
            navigate("/", Default::default());
        }
    });

    view! {
        <SkipLink />
        <Header on_log_out=Callback::new(move |_| { log_out.dispatch(()); }) logging_out=log_out.pending() />
        <main id="main" class="site-main" tabindex="-1">
            // The safety net for errors no page handled itself: the frame stays usable.
            <ErrorBoundary fallback=|errors| view! { <ErrorFallback errors /> }>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/account") view=AccountPage />
                <Route path=path!("/products") view=ProductsPage />
                <Route path=path!("/products/:id") view=ProductPage />
                <Route path=path!("/purchase/:id") view=PurchasePage />
                <Route path=path!("/favorites") view=FavoritesPage />
                <Route path=path!("/orders") view=OrdersPage />
                <Route path=path!("/apps") view=AppsPage />
                <Route path=path!("/supervision") view=SupervisionPage />
                <Route path=path!("/supervision/:id") view=SupervisionDetailPage />
                <Route path=path!("/apps/:id") view=AppDetailPage />
                <Route path=path!("/orders/:id") view=OrderDetailPage />
                <Route path=path!("/orders/:id/pay") view=OrderPaymentPage />
            </Routes>
            </ErrorBoundary>
        </main>
        <Footer />
    }
}
