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
