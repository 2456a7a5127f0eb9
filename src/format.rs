//! Formatting of times and durations for display, in the viewer's locale and time zone.

use time::OffsetDateTime;
use wasm_bindgen::JsValue;

use crate::i18n::Locale;

/// A wire time (UTC) shown in the browser's local time zone, e.g. "2026/11/22 14:03".
pub fn local_date_time(moment: OffsetDateTime, locale: Locale) -> String {
    let millis = (moment.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = js_sys::Date::new(&JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    for (key, value) in
        [("year", "numeric"), ("month", "short"), ("day", "numeric"), ("hour", "2-digit"), ("minute", "2-digit")]
    {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    date.to_locale_string(locale.tag(), &options).into()
}

/// A local clock time, e.g. "14:03", `seconds_from_now` seconds after the browser's now.
pub fn local_time_in(seconds_from_now: u64, locale: Locale) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + seconds_from_now as f64 * 1000.0));
    let options = js_sys::Object::new();
    for (key, value) in [("hour", "2-digit"), ("minute", "2-digit")] {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    date.to_locale_time_string_with_options(locale.tag(), &options).into()
}

/// A wire date shown as a local calendar date.
pub fn local_date(moment: OffsetDateTime, locale: Locale) -> String {
    let millis = (moment.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = js_sys::Date::new(&JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    for (key, value) in [("year", "numeric"), ("month", "short"), ("day", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    date.to_locale_date_string(locale.tag(), &options).into()
}

/// The start of local calendar day `date` (`YYYY-MM-DD`), plus `add_days`, as an RFC 3339
/// UTC time for the API; `None` when `date` is not a date.
pub fn local_day_start_utc(date: &str, add_days: u32) -> Option<String> {
    let valid = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !valid {
        return None;
    }
    // Without a zone designator, `Date` reads a date-time as local time.
    let day = js_sys::Date::new(&JsValue::from_str(&format!("{date}T00:00:00")));
    if day.get_time().is_nan() {
        return None;
    }
    day.set_date(day.get_date() + add_days);
    day.to_iso_string().as_string()
}
