//! Calendar dates as analysts write them: a year, a month or a day.
//!
//! Public statements are often dated only to a month ("July 2022") or a year (a vendor report of
//! "2024"), so a date here may be partial. A partial date covers a period; [`Date::latest_day`]
//! gives the last day of that period, which is what `--as-of` compares against: a claim dated
//! "2022-07" is only known to have been made by 31 July 2022.

use std::fmt;

/// A date with optional month and day (`2022`, `2022-07`, `2022-07-18`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month (1–12), when known.
    pub month: Option<u8>,
    /// Day of the month, when known.
    pub day: Option<u8>,
}

/// Why a date string was rejected; the text is shown to the analyst as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl Date {
    /// `20141219` as the date it runs together, `2014-12-19`, when it is one.
    pub(crate) fn from_compact(text: &str) -> Option<String> {
        let t = text.trim();
        let date = (t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]))?;
        Date::parse(&date).is_ok().then_some(date)
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the day exists in that month.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let bad_shape = || {
            DateError(format!(
                "`{text}` is not a date: write `YYYY-MM-DD`, `YYYY-MM` or `YYYY`"
            ))
        };
        let (year, month, day) = parts(text.as_bytes()).ok_or_else(bad_shape)?;
        let number = |s: &[u8], width: usize| -> Result<u16, DateError> {
            if s.len() != width || !s.iter().all(u8::is_ascii_digit) {
                return Err(bad_shape());
            }
            // At most four digits: no overflow.
            Ok(s.iter().fold(0, |n, &b| n * 10 + u16::from(b - b'0')))
        };
        let year = number(year, 4)?;
        if year < 1900 {
            return Err(DateError(format!(
                "year {year} is before 1900; cyber incidents are later than that"
            )));
        }
        let month = match month {
            None => None,
            Some(m) => {
                let m = number(m, 2)?;
                if !(1..=12).contains(&m) {
                    return Err(DateError(format!(
                        "month {m:02} in `{text}` does not exist: months run from 01 to 12"
                    )));
                }
                Some(m as u8)
            }
        };
        let day = match (month, day) {
            (_, None) => None,
            (None, Some(_)) => return Err(bad_shape()),
            (Some(m), Some(d)) => {
                let d = number(d, 2)?;
                let last = days_in_month(year, m);
                if d == 0 || d > u16::from(last) {
                    return Err(DateError(format!(
                        "day {d:02} in `{text}` does not exist: that month has {last} days"
                    )));
                }
                Some(d as u8)
            }
        };
        Ok(Date { year, month, day })
    }

    /// The last day of the period this date covers (itself when it names a day).
    pub fn latest_day(self) -> Date {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        Date {
            year: self.year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// The first day of the period this date covers.
    pub fn earliest_day(self) -> Date {
        Date {
            year: self.year,
            month: Some(self.month.unwrap_or(1)),
            day: Some(self.day.unwrap_or(1)),
        }
    }

    /// Whether every day of this date's period comes before every day of `other`'s: only then
    /// is one certainly earlier (`2014-12` is not before `2014-12-19`, nor after it).
    pub fn wholly_before(self, other: Date) -> bool {
        self.latest_day() < other.earliest_day()
    }
}

impl Date {
    /// The number of days from 1970-01-01 to the first day of the period this date covers
    /// (proleptic Gregorian calendar): what places dates on a time axis.
    pub fn days(self) -> i64 {
        let d = self.earliest_day();
        let (m, day) = (
            i64::from(d.month.unwrap_or(1)),
            i64::from(d.day.unwrap_or(1)),
        );
        // Years counted from March, so that a leap day ends its year.
        let y = i64::from(d.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let day_of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// The year, month and day of a date as written, each perhaps missing.
type Parts<'a> = (&'a [u8], Option<&'a [u8]>, Option<&'a [u8]>);

/// The year, month and day of `YYYY[-MM[-DD]]` as written, unchecked; `None` when there are
/// more than three parts.
fn parts(b: &[u8]) -> Option<Parts<'_>> {
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        // A full date, as nearly every claim carries: its parts are where they stand.
        return Some((&b[..4], Some(&b[5..7]), Some(&b[8..])));
    }
    // Split on bytes: a `char` pattern goes through a searcher that compares encoded characters.
    let mut parts = b.split(|&b| b == b'-');
    let year = parts.next()?;
    let (month, day) = (parts.next(), parts.next());
    parts.next().is_none().then_some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_and_partial_dates() {
        assert_eq!(
            Date::parse("2022-09-07").unwrap(),
            Date {
                year: 2022,
                month: Some(9),
                day: Some(7)
            }
        );
        assert_eq!(Date::parse("2022-07").unwrap().to_string(), "2022-07");
        assert_eq!(Date::parse("2024").unwrap().to_string(), "2024");
    }

    /// Only a period wholly before another is before it: a month is not before a day within
    /// it, nor after it.
    #[test]
    fn wholly_before_compares_the_periods_ends() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert!(d("2014-12-01").wholly_before(d("2014-12-19")));
        assert!(d("2014-11").wholly_before(d("2014-12")));
        assert!(d("2014-12-31").wholly_before(d("2015")));
        assert!(!d("2014-12-19").wholly_before(d("2014-12-19")));
        assert!(!d("2014-12").wholly_before(d("2014-12-19")));
        assert!(!d("2014-12-19").wholly_before(d("2014-12")));
        assert!(!d("2014").wholly_before(d("2014-06")));
    }

    proptest::proptest! {
        /// A full date's parts are read where they stand, as splitting at every `-` reads them.
        #[test]
        fn a_dates_parts_are_its_pieces_between_dashes(
            text in proptest::prop_oneof!["[0-9-]{0,12}", "[0-9a-]{4}-[0-9-]{2}-[0-9-]{2}"],
        ) {
            let b = text.as_bytes();
            let mut split = b.split(|&c| c == b'-');
            let (year, month, day, more) = (split.next(), split.next(), split.next(), split.next());
            let expected = match (year, more) {
                (Some(year), None) => Some((year, month, day)),
                _ => None,
            };
            proptest::prop_assert_eq!(parts(b), expected);
        }
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        assert!(Date::parse("2022-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("2022-04-31").is_err());
        assert!(Date::parse("2022-13").is_err());
        assert!(Date::parse("2022-00-10").is_err());
        assert!(Date::parse("22-01-01").is_err());
        assert!(Date::parse("2022-1-01").is_err());
        assert!(Date::parse("2022--01").is_err());
        assert!(Date::parse("").is_err());
        assert!(Date::parse("２０２２").is_err());
        for bad in [
            "2022-07-",
            "-2022",
            "+202",
            "2022-07-01-01",
            " 2022",
            "2022-0a",
            "20-2",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_count_from_the_epoch() {
        let days = |t: &str| Date::parse(t).unwrap().days();
        assert_eq!(days("1970-01-01"), 0);
        assert_eq!(days("2000-03-01"), 11_017);
        assert_eq!(days("2022-07-15"), 19_188);
        assert_eq!(days("2022-07"), days("2022-07-01"));
        assert_eq!(days("2024"), days("2024-01-01"));
        assert_eq!(days("1900-01-01"), -25_567);
        // Every day is one more than the day before, across months, years and leap days.
        for years in [1899u16..=1901, 1999..=2001, 2023..=2025] {
            let mut last = None;
            for year in years {
                for month in 1..=12u8 {
                    for day in 1..=days_in_month(year, month) {
                        let d = Date {
                            year,
                            month: Some(month),
                            day: Some(day),
                        }
                        .days();
                        if let Some(l) = last {
                            assert_eq!(d, l + 1, "{year}-{month}-{day}");
                        }
                        last = Some(d);
                    }
                }
            }
        }
    }

    #[test]
    fn every_day_reads_back_as_written() {
        for year in [1900, 1999, 2000, 2022, 2024, 2100, 9999] {
            for month in 1..=12u8 {
                for day in 1..=days_in_month(year, month) {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let d = Date::parse(&text).unwrap();
                    assert_eq!((d.year, d.month, d.day), (year, Some(month), Some(day)));
                    assert_eq!(d.to_string(), text);
                }
            }
        }
    }

    #[test]
    fn partial_dates_cover_their_period() {
        let d = Date::parse("2022-07").unwrap();
        assert_eq!(d.latest_day().to_string(), "2022-07-31");
        assert_eq!(d.earliest_day().to_string(), "2022-07-01");
        assert_eq!(
            Date::parse("2024").unwrap().latest_day().to_string(),
            "2024-12-31"
        );
        assert_eq!(
            Date::parse("2023-02").unwrap().latest_day().to_string(),
            "2023-02-28"
        );
    }
}
