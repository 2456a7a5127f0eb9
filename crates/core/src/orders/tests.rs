//! Checkout rules, statuses and channels.

use super::*;

fn request() -> PlaceOrderRequest {
    PlaceOrderRequest {
        product_id: ProductId(1),
        configuration: Configuration {
            sku_id: 1,
            billing_mode: BillingMode::OneOff,
            duration_months: None,
            quantity: 1,
            region: "cn-east-1".to_owned(),
        },
        accept_terms: true,
        authorize_contact_sharing: false,
        vpc_id: None,
        server_password: None,
        trial: false,
    }
}

fn fields(errors: &FieldErrors) -> Vec<(&str, &str)> {
    errors.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
}

#[test]
fn saas_with_seller_account_needs_consent_and_terms() {
    let facts = CheckoutFacts { delivery_method: DeliveryMethod::Saas, seller_creates_account: true };
    let mut order = request();
    order.accept_terms = false;
    assert_eq!(
        fields(&checkout_problems(facts, &order)),
        vec![("authorize_contact_sharing", "required"), ("accept_terms", "required")]
    );
    order.accept_terms = true;
    order.authorize_contact_sharing = true;
    assert!(checkout_problems(facts, &order).is_empty());
    // Without a seller-created account there is nothing to authorise.
    let facts = CheckoutFacts { seller_creates_account: false, ..facts };
    order.authorize_contact_sharing = false;
    assert!(checkout_problems(facts, &order).is_empty());
}

#[test]
fn image_needs_vpc_and_a_strong_password() {
    let facts = CheckoutFacts { delivery_method: DeliveryMethod::Image, seller_creates_account: false };
    let mut order = request();
    assert_eq!(
        fields(&checkout_problems(facts, &order)),
        vec![("vpc_id", "required"), ("server_password", "required")]
    );
    order.vpc_id = Some(3);
    order.server_password = Some("weakpass".to_owned());
    assert_eq!(fields(&checkout_problems(facts, &order)), vec![("server_password", "too_few_kinds")]);
    order.server_password = Some("Harbor-Light42".to_owned());
    assert!(checkout_problems(facts, &order).is_empty());
}

#[test]
fn vpc_names_and_regions_are_checked() {
    let ok = CreateVpcRequest { name: "prod-vpc".to_owned(), region: "cn-east-3".to_owned() };
    assert!(validate_vpc(&ok).is_empty());
    let bad = CreateVpcRequest { name: "a b".to_owned(), region: "mars-1".to_owned() };
    assert_eq!(fields(&validate_vpc(&bad)), vec![("name", "invalid"), ("region", "unknown_value")]);
    let empty = CreateVpcRequest { name: "  ".to_owned(), region: "cn-east-3".to_owned() };
    assert_eq!(fields(&validate_vpc(&empty)), vec![("name", "required")]);
}

#[test]
fn orders_move_forward_only() {
    use OrderStatus::*;
    assert!(PendingPayment.can_become(Processing) && PendingPayment.can_become(Cancelled));
    assert!(Processing.can_become(Completed) && Processing.can_become(Cancelled));
    for terminal in [Completed, Cancelled] {
        assert!(OrderStatus::ALL.iter().all(|next| !terminal.can_become(*next)), "{terminal:?} is final");
    }
    assert!(!PendingPayment.can_become(Completed), "an unpaid order never completes");
    assert!(OrderStatus::ALL.iter().all(|status| !status.can_become(PendingPayment)));
}

#[test]
fn statuses_and_channels_round_trip() {
    for status in OrderStatus::ALL {
        assert_eq!(str::parse::<OrderStatus>(status.as_str()).ok(), Some(status));
    }
    for channel in [PaymentChannel::Balance, PaymentChannel::Card, PaymentChannel::Credit, PaymentChannel::Reseller] {
        assert_eq!(str::parse::<PaymentChannel>(channel.as_str()).ok(), Some(channel));
    }
    assert_eq!(order_number(OrderId(42)), "BZ00000042");
}
