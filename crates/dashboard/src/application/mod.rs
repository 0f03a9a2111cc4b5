//! The dashboard's use case and the ports it reads through. The binary
//! wires each port to the owning module's use case.

mod ports;
mod service;

pub use ports::{CalendarSource, FinancesSource, RemindersSource, TimezoneSource, When};
pub use service::DashboardService;
