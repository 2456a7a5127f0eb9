//! Tax IDs, tax splitting, invoiceable amounts, credit notes and the seller's deadline, at
//! their edges and over random inputs.

use proptest::prelude::*;
use time::macros::datetime;

use super::*;
use crate::error::FieldErrorCode;
use crate::money::Currency;

fn cny(amount_minor: i64) -> Money {
    Money::new(amount_minor, Currency::CNY)
}

#[test]
fn a_unified_social_credit_code_needs_its_check_character() {
    // The example of GB 32100-2015's explanatory material.
    assert_eq!(uscc_check_character("91350100M000100Y4"), Some('3'));
    assert_eq!(validate_tax_id("91350100M000100Y43"), Ok(TaxIdKind::ChinaUnifiedSocialCreditCode));
    assert_eq!(validate_tax_id(" 9135 0100-M000.100Y43 "), Ok(TaxIdKind::ChinaUnifiedSocialCreditCode));
    assert_eq!(validate_tax_id("91350100m000100y43"), Ok(TaxIdKind::ChinaUnifiedSocialCreditCode));
    assert_eq!(validate_tax_id("91350100M000100Y44"), Err(TaxIdProblem::WrongCheckCharacter));
    assert_eq!(validate_tax_id("91350100M000100I43"), Err(TaxIdProblem::InvalidCharacter));
    assert_eq!(validate_tax_id("91350100M000100Y4"), Err(TaxIdProblem::Unrecognised));
    assert_eq!(validate_tax_id(""), Err(TaxIdProblem::Empty));
    assert_eq!(validate_tax_id("  "), Err(TaxIdProblem::Empty));
}

#[test]
fn eu_vat_numbers_follow_their_countrys_pattern() {
    for valid in [
        "DE123456789",
        "de 123 456 789",
        "ATU12345678",
        "NL123456789B01",
        "FR4A123456789",
        "ESX1234567Z",
        "IE1234567WA",
        "RO12",
    ] {
        assert_eq!(validate_tax_id(valid), Ok(TaxIdKind::EuVat), "{valid}");
    }
    for wrong in ["DE12345678", "ATX12345678", "NL123456789C01", "SE123456789012", "IT1234567890"] {
        assert_eq!(validate_tax_id(wrong), Err(TaxIdProblem::WrongFormatForCountry), "{wrong}");
    }
    assert_eq!(validate_tax_id("US123456789"), Err(TaxIdProblem::Unrecognised));
}

#[test]
fn tax_is_split_out_of_the_tax_inclusive_amount() {
    assert_eq!(split_tax(10_600, 600), (10_000, 600));
    assert_eq!(split_tax(19_900, 600), (18_774, 1_126));
    assert_eq!(split_tax(1, 600), (1, 0));
    assert_eq!(split_tax(0, 600), (0, 0));
    assert_eq!(split_tax(-10_600, 600), (-10_000, -600));
    assert_eq!(split_tax(12_345, 0), (12_345, 0));
}

#[test]
fn lines_add_up_to_the_totals_and_do_not_mix_currencies() {
    let items = vec![("CRM, 1 month".to_owned(), cny(19_900)), ("Renewal, 3 months".to_owned(), cny(59_700))];
    let (lines, totals) = invoice_lines(&items, 600).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(totals.total, cny(79_600));
    assert_eq!(totals.net.amount_minor + totals.tax.amount_minor, 79_600);
    assert_eq!(totals.net.amount_minor, lines.iter().map(|line| line.net.amount_minor).sum::<i64>());
    let mixed = vec![("a".to_owned(), cny(1)), ("b".to_owned(), Money::new(1, Currency::USD))];
    assert_eq!(invoice_lines(&mixed, 600), None);
    assert_eq!(invoice_lines(&[], 600), None);
}

#[test]
fn what_is_invoiceable_is_paid_less_refunded_less_invoiced() {
    assert_eq!(invoiceable(cny(10_000), cny(0), cny(0)), cny(10_000));
    assert_eq!(invoiceable(cny(10_000), cny(2_500), cny(0)), cny(7_500));
    assert_eq!(invoiceable(cny(10_000), cny(2_500), cny(7_500)), cny(0));
    assert_eq!(invoiceable(cny(10_000), cny(10_000), cny(0)), cny(0));
    // Refunded after it was invoiced: nothing more, never negative.
    assert_eq!(invoiceable(cny(10_000), cny(5_000), cny(10_000)), cny(0));
}

#[test]
fn a_credit_note_takes_back_what_is_no_longer_paid() {
    assert_eq!(credit_note_amount(cny(10_000), cny(6_000)), cny(4_000));
    assert_eq!(credit_note_amount(cny(10_000), cny(0)), cny(10_000));
    assert_eq!(credit_note_amount(cny(6_000), cny(8_000)), cny(0));
}

#[test]
fn a_seller_has_five_business_days_to_the_second() {
    // Monday → the next Monday, same time; Friday → the next Friday.
    let monday = datetime!(2026-12-07 10:00 UTC);
    assert_eq!(seller_deadline(monday), datetime!(2026-12-14 10:00 UTC));
    assert_eq!(seller_deadline(datetime!(2026-12-11 10:00 UTC)), datetime!(2026-12-18 10:00 UTC));
    // Wednesday → the next Wednesday over the weekend.
    assert_eq!(seller_deadline(datetime!(2026-12-09 23:59:59 UTC)), datetime!(2026-12-16 23:59:59 UTC));
    // On a weekend the count starts on Monday morning: five whole business days.
    assert_eq!(seller_deadline(datetime!(2026-12-12 15:00 UTC)), datetime!(2026-12-21 00:00 UTC));
    let deadline = seller_deadline(monday);
    assert!(!seller_overdue(monday, deadline - Duration::seconds(1)));
    assert!(seller_overdue(monday, deadline));
}

fn enterprise() -> InvoiceProfileInput {
    InvoiceProfileInput {
        kind: ProfileKind::Enterprise,
        title: "福州示例科技有限公司".to_owned(),
        tax_id: Some("91350100M000100Y43".to_owned()),
        address: Some("福建省福州市".to_owned()),
        phone: Some("+86 591 1234 5678".to_owned()),
        bank_account: None,
        email: "finance@example.cn".to_owned(),
        is_default: true,
    }
}

#[test]
fn an_enterprise_profile_needs_a_valid_tax_id_and_every_field_has_a_limit() {
    assert!(invoice_profile_problems(&enterprise()).is_empty());
    let fields = |input: &InvoiceProfileInput| -> Vec<(String, FieldErrorCode)> {
        invoice_profile_problems(input).0.into_iter().map(|error| (error.field, error.code)).collect()
    };
    let no_tax_id = InvoiceProfileInput { tax_id: Some("  ".to_owned()), ..enterprise() };
    assert_eq!(fields(&no_tax_id), [("tax_id".to_owned(), FieldErrorCode::Required)]);
    let wrong_check = InvoiceProfileInput { tax_id: Some("91350100M000100Y44".to_owned()), ..enterprise() };
    assert_eq!(fields(&wrong_check), [("tax_id".to_owned(), FieldErrorCode::Invalid)]);
    // A person needs no tax ID.
    let person = InvoiceProfileInput { kind: ProfileKind::Personal, tax_id: None, ..enterprise() };
    assert!(invoice_profile_problems(&person).is_empty());
    let huge = "x".repeat(10_000);
    let everything_long = InvoiceProfileInput {
        title: huge.clone(),
        tax_id: Some(huge.clone()),
        address: Some(huge.clone()),
        phone: Some("1".repeat(10_000)),
        bank_account: Some(huge.clone()),
        email: huge,
        ..enterprise()
    };
    let codes = fields(&everything_long);
    for field in ["title", "tax_id", "address", "phone", "bank_account", "email"] {
        assert!(codes.contains(&(field.to_owned(), FieldErrorCode::TooLong)), "{field}: {codes:?}");
    }
    let bad_email = InvoiceProfileInput { email: "finance@".to_owned(), ..enterprise() };
    assert_eq!(fields(&bad_email), [("email".to_owned(), FieldErrorCode::Invalid)]);
    let spaced = InvoiceProfileInput { tax_id: Some(" 91350100-m000100y43 ".to_owned()), ..enterprise() };
    assert_eq!(normalised_profile(&spaced).tax_id.as_deref(), Some("91350100M000100Y43"));
}

fn instant() -> impl Strategy<Value = OffsetDateTime> {
    (1_700_000_000i64..1_900_000_000).prop_map(|seconds| OffsetDateTime::from_unix_timestamp(seconds).unwrap())
}

/// A valid credit code from 17 random characters of the code's alphabet.
fn credit_code() -> impl Strategy<Value = String> {
    proptest::collection::vec(0usize..31, 17).prop_map(|indexes| {
        let first: String =
            indexes.iter().map(|index| char::from(b"0123456789ABCDEFGHJKLMNPQRTUWXY"[*index])).collect();
        let check = uscc_check_character(&first).unwrap();
        format!("{first}{check}")
    })
}

proptest! {
    #[test]
    fn every_code_with_its_check_character_is_valid_and_any_other_last_character_is_not(code in credit_code(), other in 0usize..31) {
        prop_assert_eq!(validate_tax_id(&code), Ok(TaxIdKind::ChinaUnifiedSocialCreditCode));
        let replacement = char::from(b"0123456789ABCDEFGHJKLMNPQRTUWXY"[other]);
        if !code.ends_with(replacement) {
            let changed = format!("{}{replacement}", &code[..17]);
            prop_assert_ne!(validate_tax_id(&changed), Ok(TaxIdKind::ChinaUnifiedSocialCreditCode));
        }
    }

    #[test]
    fn net_and_tax_add_up_and_the_tax_is_the_rate_to_a_minor_unit(gross in -10_000_000_000i64..10_000_000_000, rate in 0u32..3_000) {
        let (net, tax) = split_tax(gross, rate);
        prop_assert_eq!(net + tax, gross);
        let exact = i128::from(gross) * i128::from(rate) * 2;
        let doubled = i128::from(tax) * 2 * (10_000 + i128::from(rate));
        prop_assert!((doubled - exact).abs() <= 10_000 + i128::from(rate));
    }

    /// Invoices requested up to what is invoiceable, refunds at any time, each refund of an
    /// invoiced item followed by its credit note: what invoices cover never exceeds what was
    /// paid less refunded, and an invoice with its credit note sums to what remains.
    #[test]
    fn invoiced_never_exceeds_paid_less_refunded(paid in 0i64..1_000_000, steps in proptest::collection::vec((any::<bool>(), 0i64..600_000), 1..20)) {
        let (mut refunded, mut invoiced) = (0i64, 0i64);
        for (invoice, amount) in steps {
            if invoice {
                let open = invoiceable(cny(paid), cny(refunded), cny(invoiced)).amount_minor;
                invoiced += amount.min(open);
            } else {
                refunded += amount.min(paid - refunded);
                let credit = credit_note_amount(cny(invoiced), cny(paid - refunded)).amount_minor;
                prop_assert_eq!(invoiced - credit, invoiced.min(paid - refunded));
                invoiced -= credit;
            }
            prop_assert!(invoiced <= paid - refunded);
            prop_assert!(invoiced >= 0);
        }
    }

    #[test]
    fn the_deadline_is_a_weekday_a_week_or_a_little_more_on(requested in instant(), later in 0i64..20 * 86_400) {
        let deadline = seller_deadline(requested);
        prop_assert!(!is_weekend(deadline.weekday()));
        let days = (deadline - requested).whole_seconds();
        prop_assert!((7 * 86_400..=9 * 86_400).contains(&days), "{} days", days as f64 / 86_400.0);
        prop_assert_eq!(seller_overdue(requested, requested + Duration::seconds(later)), requested + Duration::seconds(later) >= deadline);
    }
}
