//! The dashboard's ports answered by the modules' use cases (their
//! application layers only: no database reachable from here).

mod calendar;
mod finances;
mod reminders;
mod timezone;

pub use calendar::CalendarFromModule;
pub use finances::FinancesFromModule;
pub use reminders::RemindersFromModule;
pub use timezone::TimezoneFromUsers;
