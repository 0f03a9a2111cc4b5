//! Entities and value objects of the `finances` module: pure, no I/O.

mod entities;
mod money;
mod period;
mod text;

pub use entities::{
    Budget, BudgetStatus, Category, CategoryRef, CategoryTotals, Kind, Summary, Transaction,
};
pub use money::{MAX_INTEGER_DIGITS, Money, MoneyError, SCALE, Total};
pub use period::{DateRange, Month, PeriodError, parse_date};
pub use text::{
    CategoryName, Description, ExternalId, MAX_CATEGORY_NAME, MAX_DESCRIPTION, MAX_EXTERNAL_ID,
    SearchText, TextError,
};
