//! A user's currency: an active ISO 4217 alphabetic code.

use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An active ISO 4217 currency (`USD`, `EUR`, `BRL`, `JPY`, ...).
///
/// Accepted codes are those of [`ACTIVE_CODES`]. Ordering follows the code
/// alphabetically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct Currency(u8); // index into ACTIVE; always valid

/// Why a string is not a [`Currency`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyError {
    /// Not three uppercase ASCII letters.
    #[error("must be a three-letter uppercase ISO 4217 code, such as USD")]
    Malformed,
    /// Well formed, but not an active ISO 4217 currency.
    #[error("is not an active ISO 4217 currency code")]
    Unknown,
}

/// Every accepted code with its minor units (decimal places), sorted.
///
/// Source: ISO 4217 list one as published by SIX on 2026-01-01 (shipped in
/// the PyPI package `iso4217` 1.16.20260101, public domain). It holds every
/// active code, including the fund codes (BOV, CHE, CHW, CLF, COU, MXV, USN,
/// UYI, UYW) and the X-prefixed codes of real circulating currencies (XAF,
/// XCD, XCG, XOF, XPF). Left out on purpose: the other X codes, which are no
/// one's everyday money (metals XAG/XAU/XPD/XPT, bond-market units XBA-XBD,
/// the accounting units XDR/XSU/XUA/XAD, and XTS/XXX for tests and "no
/// currency"). Withdrawn codes (DEM, HRK, BGN, CUC, SLL, ZWL, ...) are absent.
#[rustfmt::skip]
const ACTIVE: [(&str, u8); 164] = [
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("AOA", 2), ("ARS", 2), ("AUD", 2),
    ("AWG", 2), ("AZN", 2),
    ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BHD", 3), ("BIF", 0), ("BMD", 2), ("BND", 2),
    ("BOB", 2), ("BOV", 2), ("BRL", 2), ("BSD", 2), ("BTN", 2), ("BWP", 2), ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2), ("CDF", 2), ("CHE", 2), ("CHF", 2), ("CHW", 2), ("CLF", 4), ("CLP", 0),
    ("CNY", 2), ("COP", 2), ("COU", 2), ("CRC", 2), ("CUP", 2), ("CVE", 2), ("CZK", 2),
    ("DJF", 0), ("DKK", 2), ("DOP", 2), ("DZD", 2),
    ("EGP", 2), ("ERN", 2), ("ETB", 2), ("EUR", 2),
    ("FJD", 2), ("FKP", 2),
    ("GBP", 2), ("GEL", 2), ("GHS", 2), ("GIP", 2), ("GMD", 2), ("GNF", 0), ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2), ("HNL", 2), ("HTG", 2), ("HUF", 2),
    ("IDR", 2), ("ILS", 2), ("INR", 2), ("IQD", 3), ("IRR", 2), ("ISK", 0),
    ("JMD", 2), ("JOD", 3), ("JPY", 0),
    ("KES", 2), ("KGS", 2), ("KHR", 2), ("KMF", 0), ("KPW", 2), ("KRW", 0), ("KWD", 3),
    ("KYD", 2), ("KZT", 2),
    ("LAK", 2), ("LBP", 2), ("LKR", 2), ("LRD", 2), ("LSL", 2), ("LYD", 3),
    ("MAD", 2), ("MDL", 2), ("MGA", 2), ("MKD", 2), ("MMK", 2), ("MNT", 2), ("MOP", 2),
    ("MRU", 2), ("MUR", 2), ("MVR", 2), ("MWK", 2), ("MXN", 2), ("MXV", 2), ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2), ("NGN", 2), ("NIO", 2), ("NOK", 2), ("NPR", 2), ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2), ("PEN", 2), ("PGK", 2), ("PHP", 2), ("PKR", 2), ("PLN", 2), ("PYG", 0),
    ("QAR", 2),
    ("RON", 2), ("RSD", 2), ("RUB", 2), ("RWF", 0),
    ("SAR", 2), ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2), ("SGD", 2), ("SHP", 2),
    ("SLE", 2), ("SOS", 2), ("SRD", 2), ("SSP", 2), ("STN", 2), ("SVC", 2), ("SYP", 2),
    ("SZL", 2),
    ("THB", 2), ("TJS", 2), ("TMT", 2), ("TND", 3), ("TOP", 2), ("TRY", 2), ("TTD", 2),
    ("TWD", 2), ("TZS", 2),
    ("UAH", 2), ("UGX", 0), ("USD", 2), ("USN", 2), ("UYI", 0), ("UYU", 2), ("UYW", 4),
    ("UZS", 2),
    ("VED", 2), ("VES", 2), ("VND", 0), ("VUV", 0),
    ("WST", 2),
    ("XAF", 0), ("XCD", 2), ("XCG", 2), ("XOF", 0), ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2), ("ZMW", 2), ("ZWG", 2),
];

/// Every accepted ISO 4217 code, sorted.
pub const ACTIVE_CODES: [&str; ACTIVE.len()] = {
    let mut codes = [""; ACTIVE.len()];
    let mut i = 0;
    while i < ACTIVE.len() {
        codes[i] = ACTIVE[i].0;
        i += 1;
    }
    codes
};

impl Currency {
    /// US dollar, the default.
    pub const USD: Self = Self::known("USD");
    /// Euro.
    pub const EUR: Self = Self::known("EUR");
    /// Brazilian real.
    pub const BRL: Self = Self::known("BRL");

    /// Parses an ISO 4217 alphabetic code: exactly three uppercase letters
    /// naming an active currency (no trimming, no case folding).
    pub fn parse(raw: &str) -> Result<Self, CurrencyError> {
        if raw.len() != 3 || !raw.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CurrencyError::Malformed);
        }
        ACTIVE
            .binary_search_by(|(code, _)| (*code).cmp(raw))
            .ok()
            .and_then(|i| u8::try_from(i).ok())
            .map(Self)
            .ok_or(CurrencyError::Unknown)
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &'static str {
        self.entry().0
    }

    /// Number of decimal places of the currency's minor unit, per ISO 4217
    /// (JPY 0, USD 2, BHD 3, CLF 4).
    pub fn minor_units(&self) -> u8 {
        self.entry().1
    }

    fn entry(&self) -> (&'static str, u8) {
        ACTIVE[usize::from(self.0)]
    }

    /// A currency from a code known at compile time; fails the build if the
    /// code is not in the table.
    const fn known(code: &str) -> Self {
        let code = code.as_bytes();
        let mut i = 0;
        while i < ACTIVE.len() {
            let candidate = ACTIVE[i].0.as_bytes();
            if candidate[0] == code[0] && candidate[1] == code[1] && candidate[2] == code[2] {
                return Self(i as u8);
            }
            i += 1;
        }
        panic!("currency code missing from the ISO 4217 table");
    }
}

impl Default for Currency {
    fn default() -> Self {
        Self::USD
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = CurrencyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_well_formed() {
        assert!(
            ACTIVE.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no duplicates"
        );
        for (code, units) in ACTIVE {
            assert!(
                code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code}"
            );
            assert!(units <= 4, "{code}");
        }
        assert!(ACTIVE.len() <= usize::from(u8::MAX));
    }

    #[test]
    fn every_table_code_round_trips() {
        for code in ACTIVE_CODES {
            let currency = Currency::parse(code).unwrap();
            assert_eq!(currency.as_str(), code);
        }
    }

    #[test]
    fn accepts_common_currencies() {
        for code in [
            "USD", "EUR", "BRL", "JPY", "GBP", "CHF", "CNY", "INR", "XOF", "XCG", "ZWG",
        ] {
            assert_eq!(Currency::parse(code).unwrap().to_string(), code);
        }
    }

    #[test]
    fn rejects_malformed() {
        for raw in [
            "", "US", "USDD", "usd", "Usd", " USD", "USD ", "U$D", "123", "ÉUR",
        ] {
            assert_eq!(
                Currency::parse(raw),
                Err(CurrencyError::Malformed),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn rejects_unknown_historic_and_excluded_codes() {
        for raw in [
            "ABC", "DEM", "FRF", "ITL", "HRK", "BGN", "CUC", "SLL", "ZWL", "VEF", "ANG", "XAU",
            "XAG", "XDR", "XTS", "XXX", "XBA", "XSU", "XUA", "XAD",
        ] {
            assert_eq!(Currency::parse(raw), Err(CurrencyError::Unknown), "{raw}");
        }
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        let units = |code| Currency::parse(code).unwrap().minor_units();
        for code in [
            "JPY", "KRW", "CLP", "ISK", "VND", "XOF", "XAF", "PYG", "UGX", "UYI",
        ] {
            assert_eq!(units(code), 0, "{code}");
        }
        for code in ["USD", "EUR", "BRL", "GBP", "CHF", "HUF", "IDR", "COP"] {
            assert_eq!(units(code), 2, "{code}");
        }
        for code in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] {
            assert_eq!(units(code), 3, "{code}");
        }
        for code in ["CLF", "UYW"] {
            assert_eq!(units(code), 4, "{code}");
        }
    }

    #[test]
    fn constants_and_default() {
        assert_eq!(Currency::default(), Currency::USD);
        assert_eq!(Currency::USD.as_str(), "USD");
        assert_eq!(Currency::EUR.as_str(), "EUR");
        assert_eq!(Currency::BRL.as_str(), "BRL");
    }

    #[test]
    fn orders_alphabetically() {
        assert!(Currency::BRL < Currency::EUR && Currency::EUR < Currency::USD);
    }

    #[test]
    fn serde_round_trip_as_string() {
        let json = serde_json::to_string(&Currency::BRL).unwrap();
        assert_eq!(json, r#""BRL""#);
        assert_eq!(
            serde_json::from_str::<Currency>(&json).unwrap(),
            Currency::BRL
        );
    }

    #[test]
    fn deserialize_rejects_invalid() {
        for json in [r#""brl""#, r#""DEM""#, r#""""#, "986"] {
            assert!(serde_json::from_str::<Currency>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn error_messages_are_user_facing() {
        assert_eq!(
            CurrencyError::Malformed.to_string(),
            "must be a three-letter uppercase ISO 4217 code, such as USD"
        );
        assert_eq!(
            CurrencyError::Unknown.to_string(),
            "is not an active ISO 4217 currency code"
        );
    }
}
