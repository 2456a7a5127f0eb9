// Generated from the app's Rust sources by src/shell_tables.rs: do not edit. A test fails
// when it is stale; `UPDATE_SHELL=1 cargo test -p bazaar-web --lib shell_tables` rewrites it.
window.__bazaarShell = {
  localeKey: "bazaar.locale",
  accountKey: "bazaar.account",
  searchKeys: ["q", "category", "delivery", "billing", "seller", "supervised", "trial", "rating_min", "price_min", "price_max", "sort", "page", "page_size"],
  routeGroups: [["/", "home_pages"], ["/login", "account_pages"], ["/account", "account_pages"], ["/terms", "account_pages"], ["/products", "catalog_pages"], ["/products/:id", "product_pages"], ["/purchase/:id", "buying_pages"], ["/favorites", "product_pages"], ["/orders", "buying_pages"], ["/apps", "app_pages"], ["/supervision", "supervision_pages"], ["/supervision/templates", "supervision_pages"], ["/supervision/:id", "supervision_pages"], ["/apps/:id", "app_pages"], ["/renewals", "app_pages"], ["/billing", "app_pages"], ["/invoices", "app_pages"], ["/seller/invoices", "app_pages"], ["/support", "support_pages"], ["/support/new", "support_pages"], ["/support/:id", "support_pages"], ["/seller/tickets", "support_pages"], ["/operations/tickets", "support_pages"], ["/billing/:month/:currency", "app_pages"], ["/messages", "app_pages"], ["/seller/notices", "supervision_pages"], ["/orders/:id", "buying_pages"], ["/orders/:id/pay", "buying_pages"]],
};
