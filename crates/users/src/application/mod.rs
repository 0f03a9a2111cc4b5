//! Use cases of the `users` module and the port they need. Other modules
//! (auth at registration, the dashboard, finances and reminders for "today")
//! call [`UsersService`]; none reads `users.profiles`.

mod ports;
mod service;
mod user_data;

pub use ports::{AccountEmails, AccountLifecycle, ProfileRepo};
pub use service::{NewProfile, ProfilePatch, UsersService};
