//! The one instant a build is stamped with.
//!
//! It is decided once, from `SOURCE_DATE_EPOCH`, else the manifest's date,
//! else [`Timestamp::DEFAULT`], and used for `dcterms:modified` and for
//! every zip entry, so the same input always gives the same bytes.

/// Seconds since 1970-01-01T00:00:00Z, with the calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub unix: i64,
}

/// Calendar fields in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Year.
    pub year: i64,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
    /// 0–59.
    pub second: u8,
}

impl Timestamp {
    /// 1980-01-01T00:00:00Z: the earliest instant a zip timestamp holds.
    pub const DEFAULT: Timestamp = Timestamp { unix: 315_532_800 };

    /// The instant of a build: `SOURCE_DATE_EPOCH` (seconds since the Unix
    /// epoch), which wins, else midnight UTC at the start of the
    /// manifest's date (a year, or a year and month, counts from its first
    /// day), else [`Timestamp::DEFAULT`].
    pub fn of_build(
        source_date_epoch: Option<i64>,
        date: Option<(i64, Option<u8>, Option<u8>)>,
    ) -> Timestamp {
        match (source_date_epoch, date) {
            (Some(unix), _) => Timestamp { unix },
            (None, Some((year, month, day))) => {
                Timestamp::from_date(year, month.unwrap_or(1), day.unwrap_or(1))
            }
            (None, None) => Timestamp::DEFAULT,
        }
    }

    /// Midnight UTC at the start of a date.
    pub fn from_date(year: i64, month: u8, day: u8) -> Timestamp {
        Timestamp {
            unix: days_from_civil(year, month, day) * 86_400,
        }
    }

    /// The calendar fields, in UTC.
    pub fn civil(self) -> Civil {
        let days = self.unix.div_euclid(86_400);
        let seconds = self.unix.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (seconds / 3600) as u8,
            minute: (seconds / 60 % 60) as u8,
            second: (seconds % 60) as u8,
        }
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, as `dcterms:modified` requires.
    pub fn to_rfc3339(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

// Howard Hinnant's days-from-civil algorithm, proleptic Gregorian calendar.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways() {
        assert_eq!(Timestamp::DEFAULT.to_rfc3339(), "1980-01-01T00:00:00Z");
        assert_eq!(Timestamp { unix: 0 }.to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp {
                unix: 1_700_000_000
            }
            .to_rfc3339(),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            Timestamp::from_date(2024, 2, 29).to_rfc3339(),
            "2024-02-29T00:00:00Z"
        );
        assert_eq!(Timestamp::from_date(2026, 11, 27).unix, 1_795_737_600);
    }

    #[test]
    fn the_build_instant_is_source_date_epoch_then_the_date_then_1980() {
        let date = Some((2026, Some(11), None));
        assert_eq!(Timestamp::of_build(Some(5), date).unix, 5);
        assert_eq!(
            Timestamp::of_build(None, date),
            Timestamp::from_date(2026, 11, 1)
        );
        assert_eq!(
            Timestamp::of_build(None, Some((2026, None, None))),
            Timestamp::from_date(2026, 1, 1)
        );
        assert_eq!(Timestamp::of_build(None, None), Timestamp::DEFAULT);
    }
}
