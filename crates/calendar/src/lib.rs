//! The `calendar` module of my-agent: Events, recurrence and iCalendar (schema calendar).
//!
//! Layers: `domain` (pure types) ← `application` (use cases and the ports
//! they need) ← `infra` (Diesel repositories, feature `infra`) and `http`
//! (actix handlers and OpenAPI, feature `http`). Other modules may use the
//! first two only.
//!
//! Decisions worth knowing:
//! - An event lives in an IANA zone (the user's by default). Its recurrence
//!   is expanded in that zone with the `rrule` crate (09:00 stays 09:00 local
//!   across DST); all-day events keep their dates and start at local midnight
//!   of that zone. Instants are whole seconds (what iCalendar carries).
//! - Range queries are bounded: the window is at most 366 days; candidates
//!   come from an index on `(user_id, series_ends_at, starts_at)`; an endless
//!   rule starts walking at the rule period just before the window (its
//!   implicit parts spelled out first), so a daily rule since 1970 costs a
//!   few days of work, not fifty years. `COUNT` rules (at most 10 000) walk
//!   from their start.
//! - The ICS feed is written with the `icalendar` crate; every non-UTC zone
//!   gets a `VTIMEZONE` generated from the IANA data for the years its
//!   events span (yearly `RRULE`s where the transitions follow one).
//! - Import resolves a `TZID` as an IANA name, then a Windows name (CLDR
//!   `windowsZones`, `data/windows_zones.tsv`), then a `VTIMEZONE` of the
//!   file: instants come from that definition's own offsets, and the event's
//!   zone is the IANA zone whose offsets agree with it around the event
//!   (names embedded in the TZID, like `custom_America/New_York`, first).
//!   Modified instances (`RECURRENCE-ID`), cancelled events, sub-daily
//!   rules, `RDATE`s and non-event components are skipped and counted.

pub mod application;
pub mod domain;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "infra")]
pub mod infra;

#[cfg(feature = "http")]
pub use http::configure;
