//! Raw inputs of the use cases (as a client sent them) and their parsing into
//! domain values: every problem at once, each naming its field.

use crate::domain::{
    CategoryName, DateRange, Description, ExternalId, Kind, Money, Month, SearchText, parse_date,
};
use chrono::NaiveDate;
use kernel::{ApiError, FieldError};
use std::fmt::Display;

/// An amount as sent: money travels as a decimal string, never a JSON number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawAmount {
    /// A string, to parse.
    Text(String),
    /// Anything else (the JSON type's name: `number`, `boolean`, `object`…).
    NotText(&'static str),
}

/// `POST /transactions`.
#[derive(Clone, Debug, Default)]
pub struct NewTransaction {
    /// `income` or `expense` (required).
    pub kind: Option<String>,
    /// Decimal string (required).
    pub amount: Option<RawAmount>,
    /// `YYYY-MM-DD` (required).
    pub occurred_on: Option<String>,
    /// A category name; created when the user has none by that name.
    pub category: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// The bank's id.
    pub external_id: Option<String>,
}

/// `PATCH /transactions/{id}`: absent leaves a field, `Some(None)` (JSON null) clears it.
#[derive(Clone, Debug, Default)]
pub struct TransactionPatch {
    /// New kind (not nullable).
    pub kind: Option<Option<String>>,
    /// New amount (not nullable).
    pub amount: Option<Option<RawAmount>>,
    /// New date (not nullable).
    pub occurred_on: Option<Option<String>>,
    /// New category, or null for none.
    pub category: Option<Option<String>>,
    /// New description, or null for none.
    pub description: Option<Option<String>>,
    /// New external id, or null for none.
    pub external_id: Option<Option<String>>,
}

/// The list's and the export's filters, raw.
#[derive(Clone, Debug, Default)]
pub struct TransactionQuery {
    /// First day, included.
    pub from: Option<String>,
    /// Last day, included.
    pub to: Option<String>,
    /// `income` or `expense`.
    pub kind: Option<String>,
    /// Category name (case-insensitive).
    pub category: Option<String>,
    /// Text in the description (case-insensitive).
    pub q: Option<String>,
    /// Smallest amount, included.
    pub min_amount: Option<String>,
    /// Largest amount, included.
    pub max_amount: Option<String>,
}

/// The summary's period, raw: a month, or a range, or neither (this month).
#[derive(Clone, Debug, Default)]
pub struct PeriodQuery {
    /// `YYYY-MM`.
    pub month: Option<String>,
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
}

/// `PUT /budgets/{category}`.
#[derive(Clone, Debug, Default)]
pub struct BudgetInput {
    /// `YYYY-MM` (required).
    pub month: Option<String>,
    /// The month's limit, decimal string (required).
    pub limit: Option<RawAmount>,
}

/// Collects field errors.
#[derive(Debug, Default)]
pub(crate) struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn check<T, E: Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.push(field, e.to_string())).ok()
    }

    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.push(field, "is required");
        }
        value
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// Parses an amount.
pub(crate) fn parse_amount(raw: &RawAmount) -> Result<Money, String> {
    match raw {
        RawAmount::Text(text) => Money::parse(text).map_err(|e| e.to_string()),
        RawAmount::NotText(kind) => Err(format!(
            "must be a decimal string such as \"12.34\", not a JSON {kind}"
        )),
    }
}

/// A transaction's values, parsed.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    pub kind: Kind,
    pub amount: Money,
    pub occurred_on: NaiveDate,
    pub category: Option<CategoryName>,
    pub description: Option<Description>,
    pub external_id: Option<ExternalId>,
}

fn optional_text<T, E: Display>(
    errors: &mut Errors,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Option<T> {
    raw.and_then(|r| errors.check(field, parse(r)))
}

impl Draft {
    /// Parses a new transaction.
    pub fn parse(input: &NewTransaction) -> Result<Self, ApiError> {
        let mut e = Errors::default();
        let kind = e
            .required("kind", input.kind.as_deref())
            .and_then(|k| e.check("kind", Kind::parse(k)));
        let amount = e
            .required("amount", input.amount.as_ref())
            .and_then(|a| e.check("amount", parse_amount(a)));
        let occurred_on = e
            .required("occurred_on", input.occurred_on.as_deref())
            .and_then(|d| e.check("occurred_on", parse_date(d)));
        let category = optional_text(
            &mut e,
            "category",
            input.category.as_deref(),
            CategoryName::parse,
        );
        let description = optional_text(
            &mut e,
            "description",
            input.description.as_deref(),
            Description::parse,
        )
        .flatten();
        let external_id = optional_text(
            &mut e,
            "external_id",
            input.external_id.as_deref(),
            ExternalId::parse,
        );
        e.finish()?;
        match (kind, amount, occurred_on) {
            (Some(kind), Some(amount), Some(occurred_on)) => Ok(Self {
                kind,
                amount,
                occurred_on,
                category,
                description,
                external_id,
            }),
            _ => Err(ApiError::internal(anyhow::anyhow!(
                "draft parsed without its values"
            ))),
        }
    }
}

/// What a patch changes, parsed; `None` leaves a field.
#[derive(Clone, Debug, Default)]
pub(crate) struct ParsedPatch {
    pub kind: Option<Kind>,
    pub amount: Option<Money>,
    pub occurred_on: Option<NaiveDate>,
    pub category: Option<Option<CategoryName>>,
    pub description: Option<Option<Description>>,
    pub external_id: Option<Option<ExternalId>>,
}

impl ParsedPatch {
    pub fn parse(patch: &TransactionPatch) -> Result<Self, ApiError> {
        let mut e = Errors::default();
        for (field, is_null) in [
            ("kind", matches!(patch.kind, Some(None))),
            ("amount", matches!(patch.amount, Some(None))),
            ("occurred_on", matches!(patch.occurred_on, Some(None))),
        ] {
            if is_null {
                e.push(field, "must not be null");
            }
        }
        let parsed = Self {
            kind: patch
                .kind
                .clone()
                .flatten()
                .and_then(|k| e.check("kind", Kind::parse(&k))),
            amount: patch
                .amount
                .clone()
                .flatten()
                .and_then(|a| e.check("amount", parse_amount(&a))),
            occurred_on: patch
                .occurred_on
                .clone()
                .flatten()
                .and_then(|d| e.check("occurred_on", parse_date(&d))),
            category: patch.category.as_ref().and_then(|c| match c {
                None => Some(None),
                Some(name) => e.check("category", CategoryName::parse(name)).map(Some),
            }),
            description: patch.description.as_ref().and_then(|d| match d {
                None => Some(None),
                Some(text) => e.check("description", Description::parse(text)),
            }),
            external_id: patch.external_id.as_ref().and_then(|x| match x {
                None => Some(None),
                Some(id) => e.check("external_id", ExternalId::parse(id)).map(Some),
            }),
        };
        e.finish()?;
        Ok(parsed)
    }
}

/// The list's filters, parsed (the category still by name).
#[derive(Clone, Debug, Default)]
pub(crate) struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<Kind>,
    pub category: Option<CategoryName>,
    pub q: Option<SearchText>,
    pub min_amount: Option<Money>,
    pub max_amount: Option<Money>,
}

impl Filter {
    pub fn parse(q: &TransactionQuery) -> Result<Self, ApiError> {
        let mut e = Errors::default();
        let from = optional_text(&mut e, "from", q.from.as_deref(), parse_date);
        let to = optional_text(&mut e, "to", q.to.as_deref(), parse_date);
        if let (Some(from), Some(to)) = (from, to) {
            e.check("to", DateRange::new(from, to));
        }
        let kind = optional_text(&mut e, "kind", q.kind.as_deref(), Kind::parse);
        let category = optional_text(
            &mut e,
            "category",
            q.category.as_deref(),
            CategoryName::parse,
        );
        let search = optional_text(&mut e, "q", q.q.as_deref(), SearchText::parse);
        let min_amount = optional_text(&mut e, "min_amount", q.min_amount.as_deref(), Money::parse);
        let max_amount = optional_text(&mut e, "max_amount", q.max_amount.as_deref(), Money::parse);
        if let (Some(min), Some(max)) = (&min_amount, &max_amount)
            && max < min
        {
            e.push("max_amount", "must not be less than min_amount");
        }
        e.finish()?;
        Ok(Self {
            from,
            to,
            kind,
            category,
            q: search,
            min_amount,
            max_amount,
        })
    }
}

/// The period of a summary: `None` means "this month in the user's zone".
pub(crate) fn parse_period(q: &PeriodQuery) -> Result<Option<DateRange>, ApiError> {
    let mut e = Errors::default();
    let month = optional_text(&mut e, "month", q.month.as_deref(), Month::parse);
    let from = optional_text(&mut e, "from", q.from.as_deref(), parse_date);
    let to = optional_text(&mut e, "to", q.to.as_deref(), parse_date);
    if q.month.is_some() && (q.from.is_some() || q.to.is_some()) {
        e.push("month", "give either month or from and to, not both");
    }
    if q.from.is_some() != q.to.is_some() {
        let missing = if q.from.is_some() { "to" } else { "from" };
        e.push(missing, "is required with the other end of the range");
    }
    let range = match (from, to) {
        (Some(from), Some(to)) => e.check("to", DateRange::new(from, to)),
        _ => None,
    };
    e.finish()?;
    Ok(range.or(month.map(Month::range)))
}
