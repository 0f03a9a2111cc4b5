//! Use cases of the `calendar` module and the ports (repository traits) they need.
//! Other modules (the dashboard) call [`CalendarService`]; none reads the `calendar` schema.

mod ports;
mod service;
mod user_data;

pub use ports::{EventException, EventRepo, FeedTokenRepo, UidMatch, UserTimezones};
pub use service::{
    AGENDA_HORIZON_DAYS, Agenda, CalendarService, EventPatch, ImportReport, MAX_IMPORT_BYTES,
    MAX_WINDOW_DAYS,
};
pub use user_data::export_record;
