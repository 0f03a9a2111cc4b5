//! Money: exact decimals with two fractional digits, never a float.
//!
//! [`Money`] is an amount a client sends (a transaction's amount, a budget's
//! limit): positive, at most 12 integer digits and 2 fractional digits, so it
//! fits `NUMERIC(14,2)`. [`Total`] is what sums and differences produce
//! (totals, balances, what is left of a budget): any sign, any size, still
//! exact. Both print as plain decimal strings with exactly two fractional
//! digits (`"1234.50"`).

use bigdecimal::{BigDecimal, Zero as _};
use std::fmt;
use std::ops::{Add, Sub};
use std::str::FromStr as _;

/// Most integer digits of an amount (`NUMERIC(14,2)`).
pub const MAX_INTEGER_DIGITS: usize = 12;
/// Fractional digits of every amount.
pub const SCALE: i64 = 2;

/// Why a text is not an amount.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing was sent.
    #[error("must not be empty")]
    Empty,
    /// A sign: amounts are positive; the transaction's `kind` says which way money went.
    #[error("must be positive; use kind to tell income from expense")]
    Signed,
    /// Exponents, spaces, thousands separators, `NaN`, anything not `digits[.digits]`.
    #[error(
        "must be a plain decimal such as \"1234.50\" (digits, an optional point and at most 2 decimals)"
    )]
    Malformed,
    /// More than two decimals.
    #[error("must have at most 2 decimals")]
    TooPrecise,
    /// More than twelve integer digits.
    #[error("must have at most 12 digits before the decimal point")]
    TooLarge,
    /// Zero.
    #[error("must be greater than zero")]
    Zero,
}

/// A positive amount with at most 2 decimals and 12 integer digits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(BigDecimal);

impl Money {
    /// Parses a decimal string: `digits[.d[d]]`, positive, no sign, no
    /// exponent, no separators, no surrounding spaces, no redundant leading zeros.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        if text.starts_with(['-', '+']) {
            return Err(MoneyError::Signed);
        }
        let (int, frac) = match text.split_once('.') {
            Some((int, frac)) => (int, Some(frac)),
            None => (text, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
            return Err(MoneyError::Malformed);
        }
        if int.len() > 1 && int.starts_with('0') {
            return Err(MoneyError::Malformed);
        }
        if frac.is_some_and(|f| f.len() > SCALE as usize) {
            return Err(MoneyError::TooPrecise);
        }
        if int.len() > MAX_INTEGER_DIGITS {
            return Err(MoneyError::TooLarge);
        }
        let value = BigDecimal::from_str(text).map_err(|_| MoneyError::Malformed)?;
        Self::from_decimal(value)
    }

    /// An amount from a decimal (a database value): the same limits as [`Money::parse`].
    pub fn from_decimal(value: BigDecimal) -> Result<Self, MoneyError> {
        if value.sign() == bigdecimal::num_bigint::Sign::Minus {
            return Err(MoneyError::Signed);
        }
        if value.is_zero() {
            return Err(MoneyError::Zero);
        }
        let scaled = value.with_scale(SCALE);
        if scaled != value {
            return Err(MoneyError::TooPrecise);
        }
        let value = scaled;
        let integer_digits = value.digits().saturating_sub(SCALE as u64);
        if integer_digits > MAX_INTEGER_DIGITS as u64 {
            return Err(MoneyError::TooLarge);
        }
        Ok(Self(value))
    }

    /// The exact value, at scale 2.
    pub fn as_decimal(&self) -> &BigDecimal {
        &self.0
    }

    /// This amount as a [`Total`].
    pub fn to_total(&self) -> Total {
        Total(self.0.clone())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.with_scale(SCALE).to_plain_string())
    }
}

/// An exact sum or difference of amounts: any sign, any size, two decimals.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Total(BigDecimal);

impl Total {
    /// Zero.
    pub fn zero() -> Self {
        Self(BigDecimal::from(0).with_scale(SCALE))
    }

    /// A total from a decimal (a database sum).
    pub fn from_decimal(value: BigDecimal) -> Self {
        Self(value)
    }

    /// The exact value.
    pub fn as_decimal(&self) -> &BigDecimal {
        &self.0
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// `self` as a percentage of `of`, rounded half-up to two decimals.
    pub fn percent_of(&self, of: &Money) -> Total {
        let ratio = (&self.0 * BigDecimal::from(100)) / of.as_decimal();
        Self(ratio.with_scale_round(SCALE, bigdecimal::RoundingMode::HalfUp))
    }
}

impl fmt::Display for Total {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.with_scale(SCALE).to_plain_string())
    }
}

impl Add<&Money> for Total {
    type Output = Total;
    fn add(self, rhs: &Money) -> Total {
        Total(self.0 + rhs.as_decimal())
    }
}

impl Add<&Total> for Total {
    type Output = Total;
    fn add(self, rhs: &Total) -> Total {
        Total(self.0 + &rhs.0)
    }
}

impl Sub<&Total> for Total {
    type Output = Total;
    fn sub(self, rhs: &Total) -> Total {
        Total(self.0 - &rhs.0)
    }
}

impl Sub<&Total> for &Money {
    type Output = Total;
    fn sub(self, rhs: &Total) -> Total {
        Total(self.as_decimal() - &rhs.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_decimals_parse_and_print_with_two_decimals() {
        for (text, shown) in [
            ("1", "1.00"),
            ("0.01", "0.01"),
            ("0.5", "0.50"),
            ("1234.5", "1234.50"),
            ("1234.56", "1234.56"),
            ("999999999999.99", "999999999999.99"),
            ("100", "100.00"),
            ("10.10", "10.10"),
        ] {
            assert_eq!(Money::parse(text).unwrap().to_string(), shown, "{text}");
        }
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        use MoneyError::*;
        for (text, why) in [
            ("", Empty),
            ("-1", Signed),
            ("+1", Signed),
            ("-0.00", Signed),
            ("0", Zero),
            ("0.00", Zero),
            ("0.0", Zero),
            ("1.234", TooPrecise),
            ("0.001", TooPrecise),
            ("1.000", TooPrecise),
            ("1000000000000", TooLarge),
            ("1000000000000.00", TooLarge),
            ("1e3", Malformed),
            ("1E3", Malformed),
            ("NaN", Malformed),
            ("nan", Malformed),
            ("inf", Malformed),
            ("Infinity", Malformed),
            (" 1", Malformed),
            ("1 ", Malformed),
            ("1,50", Malformed),
            ("1,000.00", Malformed),
            ("1_000", Malformed),
            (".5", Malformed),
            ("5.", Malformed),
            ("1.2.3", Malformed),
            ("01", Malformed),
            ("00.50", Malformed),
            ("0x10", Malformed),
            ("١٢", Malformed),
        ] {
            assert_eq!(Money::parse(text), Err(why), "{text:?}");
        }
    }

    #[test]
    fn database_values_keep_their_limits() {
        let d = |s: &str| BigDecimal::from_str(s).unwrap();
        assert_eq!(
            Money::from_decimal(d("12.30")).unwrap().to_string(),
            "12.30"
        );
        assert_eq!(
            Money::from_decimal(d("12.300")).unwrap().to_string(),
            "12.30"
        );
        assert_eq!(Money::from_decimal(d("1.005")), Err(MoneyError::TooPrecise));
        assert_eq!(Money::from_decimal(d("-1")), Err(MoneyError::Signed));
        assert_eq!(Money::from_decimal(d("0")), Err(MoneyError::Zero));
        assert_eq!(Money::from_decimal(d("1e12")), Err(MoneyError::TooLarge));
        assert_eq!(
            Money::from_decimal(d("9.9999999999999e11"))
                .unwrap()
                .to_string(),
            "999999999999.99"
        );
    }

    #[test]
    fn sums_are_exact() {
        // 0.1 + 0.2 is 0.30, not 0.30000000000000004.
        let total = Total::zero() + &Money::parse("0.1").unwrap() + &Money::parse("0.2").unwrap();
        assert_eq!(total.to_string(), "0.30");
        let mut big = Total::zero();
        for _ in 0..1000 {
            big = big + &Money::parse("999999999999.99").unwrap();
        }
        assert_eq!(big.to_string(), "999999999999990.00");
        let balance = Total::zero() + &Money::parse("10").unwrap()
            - &(Total::zero() + &Money::parse("25.5").unwrap());
        assert_eq!(balance.to_string(), "-15.50");
        assert_eq!(Total::zero().to_string(), "0.00");
    }

    #[test]
    fn percentages_round_half_up() {
        let limit = Money::parse("3").unwrap();
        let spent = Total::zero() + &Money::parse("1").unwrap();
        assert_eq!(spent.percent_of(&limit).to_string(), "33.33");
        let spent = Total::zero() + &Money::parse("2").unwrap();
        assert_eq!(spent.percent_of(&limit).to_string(), "66.67");
        assert_eq!(Total::zero().percent_of(&limit).to_string(), "0.00");
        let over = Total::zero() + &Money::parse("4.5").unwrap();
        assert_eq!(over.percent_of(&limit).to_string(), "150.00");
    }

    proptest! {
        #[test]
        fn cents_round_trip(cents in 1u64..=99_999_999_999_999) {
            let text = format!("{}.{:02}", cents / 100, cents % 100);
            let money = Money::parse(&text).unwrap();
            prop_assert_eq!(money.to_string(), text.clone());
            prop_assert_eq!(Money::parse(&money.to_string()).unwrap(), money.clone());
            prop_assert_eq!(Money::from_decimal(money.as_decimal().clone()).unwrap(), money);
        }

        #[test]
        fn short_forms_mean_the_same_amount(int in 0u64..=999_999_999_999, frac in proptest::option::of(0u8..=9)) {
            let text = match frac { Some(d) => format!("{int}.{d}"), None => int.to_string() };
            let expected = match frac { Some(d) => format!("{int}.{d}0"), None => format!("{int}.00") };
            match Money::parse(&text) {
                Ok(m) => prop_assert_eq!(m.to_string(), expected),
                Err(e) => {
                    prop_assert_eq!(e, MoneyError::Zero);
                    prop_assert!(int == 0 && frac.unwrap_or(0) == 0);
                }
            }
        }

        #[test]
        fn any_text_either_parses_to_itself_or_is_refused(text in "[-+0-9.eE ,a-zA-Z]{0,20}") {
            if let Ok(m) = Money::parse(&text) {
                // Accepted text is canonical up to trailing decimals.
                let shown = m.to_string();
                prop_assert!(shown.starts_with(text.split('.').next().unwrap_or_default()));
                prop_assert_eq!(Money::parse(&shown).unwrap(), m);
            }
        }

        #[test]
        fn too_many_decimals_are_refused(int in 0u64..1_000_000, frac in "[0-9]{3,6}") {
            prop_assert_eq!(Money::parse(&format!("{int}.{frac}")), Err(MoneyError::TooPrecise));
        }

        #[test]
        fn too_many_digits_are_refused(int in 1_000_000_000_000u64..u64::MAX) {
            prop_assert_eq!(Money::parse(&int.to_string()), Err(MoneyError::TooLarge));
        }

        #[test]
        fn sums_match_integer_cents(amounts in proptest::collection::vec(1u64..=99_999_999_999_999, 0..50)) {
            let mut total = Total::zero();
            for cents in &amounts {
                total = total + &Money::parse(&format!("{}.{:02}", cents / 100, cents % 100)).unwrap();
            }
            let sum: u128 = amounts.iter().map(|c| u128::from(*c)).sum();
            prop_assert_eq!(total.to_string(), format!("{}.{:02}", sum / 100, sum % 100));
        }
    }
}
