//! The site's feeds: `atom.xml` (essays and sessions, newest first, for feed readers) and
//! `sessions.ics` (one event per dated session, for the group's calendars). Both hold full
//! addresses, so both need a `base_url` with a host.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};

use crate::content::{Date, Item, Kind, Meta};
use crate::site::Site;

/// Midnight UTC of `date`, the time an undated-by-the-hour item counts as written.
fn midnight(date: Date) -> Option<FixedDateTime> {
    FixedDateTime::parse_from_rfc3339(&format!("{date}T00:00:00Z")).ok()
}

/// Entries in the feed: the newest, which is what a feed reader shows and checks for news. A
/// feed of every essay a large course has ever dated would be megabytes fetched on every poll.
const FEED_ENTRIES: usize = 50;

/// The Atom feed of the newest dated essays and sessions, or None when none has a date (a
/// feed's entries need one).
pub fn atom(site: &Site) -> Option<String> {
    let config = &site.config;
    let mut dated: Vec<(Date, &Item, &str)> = site
        .included()
        .filter(|(_, e)| matches!(e.item.kind, Kind::Essay | Kind::Session))
        .filter_map(|(_, e)| Some((e.item.date()?, &*e.item, e.url.as_str())))
        .collect();
    // Newest first; a day's items in the order the site lists them (path order).
    dated.sort_by_key(|d| std::cmp::Reverse(d.0));
    dated.truncate(FEED_ENTRIES);
    let newest = midnight(dated.first()?.0)?;
    let entries: Vec<Entry> = dated
        .iter()
        .filter_map(|&(date, item, url)| {
            let mut entry = Entry::default();
            let permalink = config.permalink(url);
            entry.set_id(permalink.clone());
            entry.set_title(Text::plain(entry_title(site, item)));
            entry.set_updated(midnight(date)?);
            entry.set_published(midnight(date));
            entry.set_links(vec![alternate(&permalink)]);
            if let Some(summary) = item.summary() {
                entry.set_summary(Some(Text::plain(summary)));
            }
            if let Meta::Essay {
                author: Some(author),
                ..
            } = &item.meta
            {
                entry.set_authors(vec![person(author)]);
            }
            Some(entry)
        })
        .collect();
    let home = config.permalink(&config.base_path);
    let mut feed = Feed::default();
    feed.set_id(home.clone());
    feed.set_title(Text::plain(config.title.clone()));
    if !config.description.is_empty() {
        feed.set_subtitle(Some(Text::plain(config.description.clone())));
    }
    feed.set_updated(newest);
    feed.set_authors(vec![person(&config.title)]);
    feed.set_lang(Some(config.language.clone()));
    let mut this = Link::default();
    this.set_href(config.permalink(&format!("{}atom.xml", config.base_path)));
    this.set_rel("self");
    this.set_mime_type(Some("application/atom+xml".to_string()));
    feed.set_links(vec![alternate(&home), this]);
    feed.set_entries(entries);
    feed.set_generator(None);
    Some(feed.to_string())
}

fn entry_title(site: &Site, item: &Item) -> String {
    match &item.meta {
        Meta::Session { number, .. } => {
            format!(
                "{} {number}: {}",
                site.config.strings.get("session"),
                item.title
            )
        }
        _ => item.title.clone(),
    }
}

fn alternate(href: &str) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel("alternate");
    link.set_mime_type(Some("text/html".to_string()));
    link
}

fn person(name: &str) -> Person {
    let mut p = Person::default();
    p.set_name(name);
    p
}
