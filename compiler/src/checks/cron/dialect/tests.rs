//! Tests of the robfig/cron dialect: what it accepts and rejects, and the firing semantics
//! compared with croner (the oracle) on schedules both accept.

use super::*;

fn parse(spec: &str) -> Result<Parsed, CronError> {
    let (_, rest, offset) = split_tz(spec)?;
    parse_fields(rest, offset)
}

fn message(spec: &str) -> String {
    parse(spec).expect_err(spec).message
}

#[test]
fn accepts_what_robfig_accepts() {
    for spec in [
        "* * * * *",
        "*/5 * * * *",
        "0 0 * * 1-5",
        "0 9 * * MON-FRI",
        "0 9 * * mon-fri",
        "0 0 1 JAN *",
        "0 0 ? * MON",
        "5/10 * * * *",
        "0 0 1,15 * *",
        "*-5 * * * *",
        "+5 * * * *",
        "0 0 30 2 *",
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
        "@every 1h30m",
        "@every 0",
        "CRON_TZ=America/New_York 0 9 * * *",
        "TZ=UTC   0 9 * * *  ",
        "0\t0  * *\n*",
    ] {
        assert!(parse(spec).is_ok(), "{spec:?}: {:?}", parse(spec));
    }
}

#[test]
fn rejects_what_robfig_rejects_with_its_messages() {
    assert_eq!(message(""), "empty spec string");
    assert_eq!(
        message("* * * * * *"),
        "expected exactly 5 fields, found 6: [* * * * * *]"
    );
    assert_eq!(
        message("* * * *"),
        "expected exactly 5 fields, found 4: [* * * *]"
    );
    assert_eq!(
        message("60 * * * *"),
        "end of range (60) above maximum (59): 60"
    );
    assert_eq!(
        message("0 0 * * 7"),
        "end of range (7) above maximum (6): 7"
    );
    assert_eq!(
        message("0 0 L * *"),
        "failed to parse int from L: strconv.Atoi: parsing \"L\": invalid syntax"
    );
    assert!(message("0 0 1W * *").starts_with("failed to parse int from 1W"));
    assert!(message("0 0 * * SUN#2").starts_with("failed to parse int from SUN#2"));
    assert_eq!(
        message("0 0 0 * *"),
        "beginning of range (0) below minimum (1): 0"
    );
    assert_eq!(
        message("5-1 * * * *"),
        "beginning of range (5) beyond end of range (1): 5-1"
    );
    assert_eq!(
        message("*/0 * * * *"),
        "step of range should be a positive number: */0"
    );
    assert_eq!(message("1-2-3 * * * *"), "too many hyphens: 1-2-3");
    assert_eq!(message("*/2/3 * * * *"), "too many slashes: */2/3");
    // robfig splits on `-` first, so a leading minus leaves an empty number.
    assert_eq!(
        message("-1 * * * *"),
        "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"
    );
    assert_eq!(message("1--1 * * * *"), "too many hyphens: 1--1");
    assert_eq!(
        message("*/-1 * * * *"),
        "negative number (-1) not allowed: -1"
    );
    assert_eq!(message("@reboot"), "unrecognized descriptor: @reboot");
    assert_eq!(message("@daily "), "unrecognized descriptor: @daily ");
    assert!(message("@every 1d").starts_with("failed to parse duration @every 1d"));
    assert_eq!(
        message(" @daily"),
        "expected exactly 5 fields, found 1: [@daily]"
    );
    assert_eq!(
        message("CRON_TZ=UTC"),
        "a time zone prefix must be followed by a space and the schedule"
    );
    assert!(message("garbage").starts_with("expected exactly 5 fields"));
    assert!(message("1,,2 * * * *").starts_with("failed to parse int from "));
}

#[test]
fn errors_point_at_the_offending_field() {
    let e = parse("0 0 * * 7").unwrap_err();
    assert_eq!((e.start, e.end), (8, 9));
    let e = parse("CRON_TZ=UTC  0 0 1,2,99 * *").unwrap_err();
    assert_eq!(&"CRON_TZ=UTC  0 0 1,2,99 * *"[e.start..e.end], "99");
    let (tz, _, _) = split_tz("TZ=Europe/Paris 0 0 * * *").unwrap();
    assert_eq!(tz.map(|t| t.zone), Some("Europe/Paris"));
}

#[test]
fn never_firing_schedules_are_recognised() {
    let never = |s: &str| match parse(s).unwrap() {
        Parsed::Fields(f) => f.never_fires(),
        Parsed::Every => false,
    };
    assert!(never("0 0 30 2 *"));
    assert!(never("0 0 31 4,6,9,11 *"));
    assert!(never("0 0 30,31 feb *"));
    assert!(!never("0 0 29 2 *"));
    assert!(!never("0 0 30 2 MON"), "day of month OR day of week");
    assert!(
        never("0 0 30 2 ?"),
        "`?` is a star: day of month AND day of week"
    );
    assert!(!never("0 0 31 * *"));
    assert!(!never("@yearly"));
    assert!(!never("* * * * *"));
}

mod oracle {
    //! croner agrees with our reading of robfig's firing rules (OR of day of month and day of
    //! week when both are restricted, AND otherwise) on schedules both accept.

    use super::*;
    use chrono::{Datelike, NaiveDate, TimeZone, Timelike, Utc};
    use croner::parser::{CronParser, Seconds, Year};

    fn matches(s: &Schedule, t: &chrono::DateTime<Utc>) -> bool {
        let has = |set: u64, n: u32| set & (1 << n) != 0;
        let dom = has(s.dom, t.day());
        let dow = has(s.dow, t.weekday().num_days_from_sunday());
        let day = if s.dom & STAR != 0 || s.dow & STAR != 0 {
            dom && dow
        } else {
            dom || dow
        };
        has(s.minute, t.minute()) && has(s.hour, t.hour()) && has(s.month, t.month()) && day
    }

    #[test]
    fn next_occurrences_agree_with_croner() {
        let parser = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .sloppy_ranges(true)
            .build();
        let start = Utc.from_utc_datetime(
            &NaiveDate::from_ymd_opt(2026, 1, 15)
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .expect("date"),
        );
        for spec in [
            "*/7 * * * *",
            "0 0 16 * MON",
            "0 0 16 * *",
            "0 0 * * MON",
            "30 4 1,15 * 5",
            "0 9 * * MON-FRI",
            "15 3 */10 2-4 *",
            "0 12 ? * SUN",
            "0 0 29 2 *",
            "5/20 1-3 * * *",
        ] {
            let Ok(Parsed::Fields(ours)) = parse(spec) else {
                panic!("{spec} does not parse")
            };
            let theirs = parser.parse(spec).expect("croner parses");
            let mut t = start;
            for _ in 0..6 {
                let next = theirs
                    .find_next_occurrence(&t, false)
                    .expect("croner finds a time");
                assert!(matches(&ours, &next), "{spec}: croner fires at {next}");
                // Nothing in between matches our reading either (minute resolution, bounded).
                let mut probe = t + chrono::Duration::minutes(1);
                let mut steps = 0;
                while probe < next && steps < 50_000 {
                    assert!(!matches(&ours, &probe), "{spec}: we would fire at {probe}");
                    probe += chrono::Duration::minutes(1);
                    steps += 1;
                }
                t = next;
            }
        }
    }
}
