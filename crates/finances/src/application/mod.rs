//! Use cases of the `finances` module and the ports (repository traits) they need.
//! Other modules (the dashboard) call [`FinancesService`]; none reads the
//! `finances` tables.

pub mod csv;
mod import;
mod inputs;
mod ports;
mod service;
mod user_data;

pub use import::{ImportReport, SkippedRow};
pub use inputs::{
    BudgetInput, NewTransaction, PeriodQuery, RawAmount, TransactionPatch, TransactionQuery,
};
pub use ports::{
    BudgetRepo, CategoryKey, CategoryRepo, KindSum, ListFilter, TransactionKey, TransactionRepo,
    UQ_CATEGORY_NAME, UQ_EXTERNAL_ID, UserTimezones,
};
pub use service::{EXPORT_PAGE, FinancesDeps, FinancesService};
