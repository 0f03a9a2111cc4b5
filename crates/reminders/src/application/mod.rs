//! Use cases of the `reminders` module and the ports (repository traits) they need.
//! Other modules (the dashboard) call [`RemindersService`]; none reads
//! `reminders.reminders`.

mod ports;
mod service;
mod user_data;

pub use kernel::precondition::IfMatch;
pub use ports::{ListFilter, ListKey, ReminderRepo, UserTimezones};
pub use service::{Attention, ListParams, NewReminderInput, ReminderPatch, RemindersService};
