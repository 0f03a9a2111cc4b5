//! Entities and value objects of the `users` module: pure, no I/O.

pub mod currency;
pub mod display_name;
pub mod locale;
pub mod profile;
pub mod timezone;
pub mod week_start;

pub use currency::{Currency, CurrencyError};
pub use display_name::{DisplayName, DisplayNameError};
pub use locale::{Locale, LocaleError};
pub use profile::Profile;
pub use timezone::{Timezone, TimezoneError};
pub use week_start::{WeekStart, WeekStartError};
