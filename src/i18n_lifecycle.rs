//! The i18n strings of what follows a purchase — expiry phases, renewals, auto-renew and
//! messages — in English and Simplified Chinese; one struct per language, so a missing
//! string is a compile error, and a string with values is a function of them.

use bazaar_core::lifecycle::Phase;
use leptos::prelude::Get;

use crate::i18n::{I18n, Locale};

pub struct LifecycleMessages {
    pub phase_active: &'static str,
    pub phase_grace: &'static str,
    pub phase_frozen: &'static str,
    pub phase_released: &'static str,
    /// Fills in: `expired`, `renew_by`.
    pub grace_banner: fn(&str, &str) -> String,
    /// Fills in: `frozen`, `released`.
    pub frozen_banner: fn(&str, &str) -> String,
    pub frozen_password: &'static str,
    pub renew_now: &'static str,
}

static EN: LifecycleMessages = LifecycleMessages {
    phase_active: "Active",
    phase_grace: "Expired · grace period",
    phase_frozen: "Frozen",
    phase_released: "Released",
    grace_banner: |expired, renew_by| format!("Expired on {expired} — renew by {renew_by} to keep it."),
    frozen_banner: |frozen, released| {
        format!("Frozen since {frozen}: the password and links are locked. Renew by {released} or the app is released.")
    },
    frozen_password: "Locked while the app is frozen — renew it to see the password again.",
    renew_now: "Renew",
};

static ZH_CN: LifecycleMessages = LifecycleMessages {
    phase_active: "使用中",
    phase_grace: "已到期 · 宽限期",
    phase_frozen: "已冻结",
    phase_released: "已释放",
    grace_banner: |expired, renew_by| format!("已于 {expired} 到期——请在 {renew_by} 前续费以保留该应用。"),
    frozen_banner: |frozen, released| {
        format!("自 {frozen} 起已冻结：密码和链接已锁定。请在 {released} 前续费，否则应用将被释放。")
    },
    frozen_password: "应用冻结期间不可查看——续费后即可再次查看密码。",
    renew_now: "续费",
};

impl LifecycleMessages {
    pub fn phase(&self, phase: Phase) -> &'static str {
        match phase {
            Phase::Active => self.phase_active,
            Phase::Grace => self.phase_grace,
            Phase::Frozen => self.phase_frozen,
            Phase::Released => self.phase_released,
        }
    }
}

impl Locale {
    pub fn lifecycle_messages(self) -> &'static LifecycleMessages {
        match self {
            Locale::En => &EN,
            Locale::ZhCn => &ZH_CN,
        }
    }
}

impl I18n {
    /// Lifecycle strings of the current language (reactive).
    pub fn lc(&self) -> &'static LifecycleMessages {
        self.0.get().lifecycle_messages()
    }
}
