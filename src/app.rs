//! The root component: contexts (language, session), the frame, and the whole route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use leptos_router::{Lazy, LazyRoute};

use crate::api;
use crate::components::layout::{Footer, Header, SkipLink};
use crate::components::page_heading::{PageAnnouncement, PageFocus};
use crate::components::status::{ErrorFallback, PageDownloadFailed};
use crate::i18n::{I18n, apply_document_language, initial_locale};
use crate::pages::account::AccountPage;
use crate::pages::app_detail::AppDetailPage;
use crate::pages::apps::AppsPage;
use crate::pages::bill::BillPage;
use crate::pages::billing::BillingPage;
use crate::pages::favorites::FavoritesPage;
use crate::pages::home::HomePage;
use crate::pages::invoices::InvoicesPage;
use crate::pages::invoices::seller::SellerInvoicesPage;
use crate::pages::login::LoginPage;
use crate::pages::messages::MessagesPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::order_detail::OrderDetailPage;
use crate::pages::order_payment::OrderPaymentPage;
use crate::pages::orders::OrdersPage;
use crate::pages::product::ProductPage;
use crate::pages::products::ProductsPage;
use crate::pages::purchase::PurchasePage;
use crate::pages::renewals::RenewalsPage;
use crate::pages::request_templates::RequestTemplatesPage;
use crate::pages::seller_notices::SellerNoticesPage;
use crate::pages::supervision::SupervisionPage;
use crate::pages::supervision_detail::SupervisionDetailPage;
use crate::pages::support::new_ticket::NewTicketPage;
use crate::pages::support::ticket::TicketPage;
use crate::pages::support::{OperationsTicketsPage, SellerTicketsPage, SupportPage};
use crate::pages::terms::TermsPage;
use crate::session::{CurrentSession, SessionState};

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n(RwSignal::new(initial_locale()));
    apply_document_language(i18n.0.get_untracked());
    provide_context(i18n);
    // While the app is mounted out of sight behind a shell that shows the page
    // (`early_responses::hand_over_when_drawn`), the shell's language switch still works; it
    // stores the choice and tells the app with this event, so both speak the same language.
    let _ = window_event_listener_untyped("bazaar-shell-language", move |_| {
        let chosen = initial_locale();
        if chosen != i18n.0.get_untracked() {
            i18n.0.set(chosen);
        }
    });

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
    crate::session::remember_account_across_visits(session);
    crate::unread_messages::UnreadMessages::provide();
    PageFocus::provide();

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
    let log_out = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let result = api::session::log_out().await;
            if result.is_ok() {
                // Whatever the pages held (revealed secrets included) is dropped as they unmount.
                session.0.set(SessionState::Anonymous);
                navigate("/", Default::default());
            }
            result
        }
    });

    view! {
        <SkipLink />
        <Header on_log_out=Callback::new(move |_| { log_out.dispatch(()); }) logging_out=log_out.pending() />
        <main id="main" class="site-main" tabindex="-1">
            // The safety net for errors no page handled itself: the frame stays usable.
            <ErrorBoundary fallback=|errors| view! { <ErrorFallback errors /> }>
            {app_routes()}
            </ErrorBoundary>
        </main>
        <PageAnnouncement />
        <Footer />
    }
}

/// The route table: each address and the route that draws its page, the first match
/// winning. Also, for the app shell's loader, the same table as data (`ROUTE_PATHS`), so
/// that the shell knows each address's chunk group from the router's own paths.
macro_rules! route_table {
    ($($path:tt => $route:ident,)*) => {
        #[cfg(all(test, not(target_arch = "wasm32")))]
        pub(crate) const ROUTE_PATHS: &[(&str, &str)] = &[$(($path, stringify!($route)),)*];

        fn app_routes() -> impl IntoView {
            view! {
                <Routes fallback=NotFoundPage>
                    $(<Route path=path!($path) view={Lazy::<$route>::new()} />)*
                </Routes>
            }
        }
    };
}

route_table! {
    "/" => HomeRoute,
    "/login" => LoginRoute,
    "/account" => AccountRoute,
    "/terms" => TermsRoute,
    "/products" => ProductsRoute,
    "/products/:id" => ProductRoute,
    "/purchase/:id" => PurchaseRoute,
    "/favorites" => FavoritesRoute,
    "/orders" => OrdersRoute,
    "/apps" => AppsRoute,
    "/supervision" => SupervisionRoute,
    "/supervision/templates" => RequestTemplatesRoute,
    "/supervision/:id" => SupervisionDetailRoute,
    "/apps/:id" => AppDetailRoute,
    "/renewals" => RenewalsRoute,
    "/billing" => BillingRoute,
    "/invoices" => InvoicesRoute,
    "/seller/invoices" => SellerInvoicesRoute,
    "/support" => SupportRoute,
    "/support/new" => NewTicketRoute,
    "/support/:id" => TicketRoute,
    "/seller/tickets" => SellerTicketsRoute,
    "/operations/tickets" => OperationsTicketsRoute,
    "/billing/:month/:currency" => BillRoute,
    "/messages" => MessagesRoute,
    "/seller/notices" => SellerNoticesRoute,
    "/orders/:id" => OrderDetailRoute,
    "/orders/:id/pay" => OrderPaymentRoute,
}

/// Declares routes whose pages are lazily loaded wasm chunks in the release build: one
/// chunk per group, so pages used together arrive together.
///
/// The release SPA is built with `--cfg bazaar_split` and cut by `wasm-split` at these
/// points (`cargo xtask dist`), so a cold load downloads the frame and the catalog, and the
/// rest of the app when it is first visited. Every other build (`trunk serve`, tests) has
/// no splitter, so there the same routes render their pages directly.
macro_rules! lazy_page_routes {
    ($($group:ident { $($route:ident, $view_function:ident => $page:ident;)* })*) => {
    /// Each lazily loaded route's chunk group, for the app shell's loader
    /// (`shell_tables::route_groups` pairs them with the route table's paths).
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) const CHUNK_GROUPS: &[(&str, &str)] = &[$($((stringify!($route), stringify!($group)),)*)*];
    $($(
        struct $route;

        // `fallible`: a chunk that cannot be downloaded is an error the route shows, not a
        // panic that would stop the whole app.
        #[cfg(bazaar_split)]
        #[leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $view_function() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
            Ok(view! { <$page /> }.into_any())
        }

        #[cfg(not(bazaar_split))]
        async fn $view_function() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
            Ok(view! { <$page /> }.into_any())
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                match $view_function().await {
                    Ok(page) => page,
                    Err(_) => view! { <PageDownloadFailed /> }.into_any(),
                }
            }
        }
    )*)*};
}

lazy_page_routes! {
    home_pages {
        HomeRoute, home_view => HomePage;
    }
    catalog_pages {
        ProductsRoute, products_view => ProductsPage;
    }
    product_pages {
        ProductRoute, product_view => ProductPage;
        FavoritesRoute, favorites_view => FavoritesPage;
    }
    account_pages {
        LoginRoute, login_view => LoginPage;
        AccountRoute, account_view => AccountPage;
        TermsRoute, terms_view => TermsPage;
    }
    buying_pages {
        PurchaseRoute, purchase_view => PurchasePage;
        OrderPaymentRoute, order_payment_view => OrderPaymentPage;
        OrdersRoute, orders_view => OrdersPage;
        OrderDetailRoute, order_detail_view => OrderDetailPage;
    }
    app_pages {
        AppsRoute, apps_view => AppsPage;
        AppDetailRoute, app_detail_view => AppDetailPage;
        RenewalsRoute, renewals_view => RenewalsPage;
        MessagesRoute, messages_view => MessagesPage;
        BillingRoute, billing_view => BillingPage;
        BillRoute, bill_view => BillPage;
        InvoicesRoute, invoices_view => InvoicesPage;
        SellerInvoicesRoute, seller_invoices_view => SellerInvoicesPage;
    }
    support_pages {
        SupportRoute, support_view => SupportPage;
        NewTicketRoute, new_ticket_view => NewTicketPage;
        TicketRoute, ticket_view => TicketPage;
        SellerTicketsRoute, seller_tickets_view => SellerTicketsPage;
        OperationsTicketsRoute, operations_tickets_view => OperationsTicketsPage;
    }
    supervision_pages {
        SupervisionRoute, supervision_view => SupervisionPage;
        SupervisionDetailRoute, supervision_detail_view => SupervisionDetailPage;
        RequestTemplatesRoute, request_templates_view => RequestTemplatesPage;
        SellerNoticesRoute, seller_notices_view => SellerNoticesPage;
    }
}
