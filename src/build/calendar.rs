//! `sessions.ics`: the group's calendar (RFC 5545), one event per dated session. A session
//! with a `time` is an event of `duration` minutes (an hour when none is given) at that time in
//! site.toml's `timezone`, written in UTC; without a time it is an all-day event. Each event's
//! UID is stable across builds, so a calendar that imported the file updates rather than
//! duplicates.

use crate::content::{Date, Meta};
use crate::site::{Session, Site};

/// The calendar, or None when no session has a date.
pub fn sessions_ics(site: &Site) -> Option<String> {
    let events: Vec<String> = site
        .sessions
        .iter()
        .filter_map(|s| event(site, s))
        .collect();
    if events.is_empty() {
        return None;
    }
    let config = &site.config;
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//lectern//{}//EN", escape(&config.title)),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(&config.title)),
    ];
    if let Some(zone) = &config.timezone {
        lines.push(format!("X-WR-TIMEZONE:{zone}"));
    }
    let mut out = String::new();
    for line in lines {
        push_folded(&mut out, &line);
    }
    for e in events {
        out.push_str(&e);
    }
    push_folded(&mut out, "END:VCALENDAR");
    Some(out)
}

/// One session's VEVENT, folded, or None when it has no date.
fn event(site: &Site, session: &Session) -> Option<String> {
    let entry = site.entry(session.entry);
    let Meta::Session {
        number,
        date: Some(date),
        time,
        duration,
        ..
    } = &entry.item.meta
    else {
        return None;
    };
    let config = &site.config;
    let permalink = config.permalink(&entry.url);
    let host = url_host(&config.base_url).unwrap_or("lectern.invalid");
    let path = config.base_path.trim_matches('/').replace('/', "-");
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!(
            "UID:session-{number}{}{path}@{host}",
            if path.is_empty() { "" } else { "-" }
        ),
        // When the event was made: the build holds no clock, so the session's own day.
        format!("DTSTAMP:{}T000000Z", compact(*date)),
    ];
    lines.extend(when(*date, *time, *duration, config.timezone.as_deref()));
    let word = config.strings.get("session");
    let summary = format!("{word} {number}: {}", entry.item.title);
    lines.push(format!("SUMMARY:{}", escape(&summary)));
    lines.push(format!(
        "DESCRIPTION:{}",
        escape(&description(site, session, &permalink))
    ));
    if config.has_host() {
        lines.push(format!("URL:{permalink}"));
    }
    lines.push("END:VEVENT".to_string());
    let mut out = String::new();
    for line in lines {
        push_folded(&mut out, &line);
    }
    Some(out)
}

/// The event's summary and readings, then its page's address.
fn description(site: &Site, session: &Session, permalink: &str) -> String {
    let entry = site.entry(session.entry);
    let mut text = String::new();
    if let Some(summary) = entry.item.summary() {
        text.push_str(summary);
        text.push_str("\n\n");
    }
    if !session.essays.is_empty() {
        text.push_str(site.config.strings.get("readings"));
        text.push_str(":\n");
        for &id in &session.essays {
            let essay = site.entry(id);
            text.push_str(&format!("- {}", essay.item.title));
            if site.config.has_host() {
                text.push_str(&format!(" ({})", site.config.permalink(&essay.url)));
            }
            text.push('\n');
        }
        text.push('\n');
    }
    if site.config.has_host() {
        text.push_str(permalink);
    }
    text.trim_end().to_string()
}

/// DTSTART and DTEND (or DURATION) lines: all day without a time; with one, in UTC when the
/// site names its time zone, else as local ("floating") time.
fn when(
    date: Date,
    time: Option<(u8, u8)>,
    duration: Option<u32>,
    zone: Option<&str>,
) -> Vec<String> {
    let Some((hour, minute)) = time else {
        let next = next_day(date);
        return vec![
            format!("DTSTART;VALUE=DATE:{}", compact(date)),
            format!("DTEND;VALUE=DATE:{}", compact(next)),
        ];
    };
    let minutes = duration.unwrap_or(60);
    let local = format!("{}T{hour:02}{minute:02}00", compact(date));
    let start = zone
        .and_then(|z| utc(date, hour, minute, z))
        .unwrap_or(local);
    vec![format!("DTSTART:{start}"), format!("DURATION:PT{minutes}M")]
}

/// A local time in `zone` as a UTC date-time, `20270113T183000Z`.
fn utc(date: Date, hour: u8, minute: u8, zone: &str) -> Option<String> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let civil = jiff::civil::DateTime::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        0,
        0,
    )
    .ok()?;
    let instant = tz.to_timestamp(civil).ok()?;
    Some(instant.strftime("%Y%m%dT%H%M%SZ").to_string())
}

fn compact(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year, date.month, date.day)
}

fn next_day(date: Date) -> Date {
    let next = Date {
        day: date.day + 1,
        ..date
    };
    if Date::parse(&next.to_string()).is_some() {
        return next;
    }
    if date.month == 12 {
        Date {
            year: date.year + 1,
            month: 1,
            day: 1,
        }
    } else {
        Date {
            month: date.month + 1,
            day: 1,
            ..date
        }
    }
}

/// The host of a URL such as `https://example.org/course/`.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', ':']).next()?;
    (!host.is_empty()).then_some(host)
}

/// TEXT escaping (RFC 5545, 3.3.11): backslash, semicolon, comma and newline.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (never inside a character), with CRLF endings.
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}
