//! Images. A local image is one of the site's static files, written from the site root
//! (`/images/stoa.jpg` for `static/images/stoa.jpg`) or by its path from the Markdown file
//! (`../../static/images/stoa.jpg`, which editors preview); either way it must exist. Its width
//! and height come from the file, so that the page keeps its place while it loads, and every
//! image after a page's first loads lazily. An image without alt text is a warning.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, TagEnd};
use pulldown_cmark_escape::escape_href;

use super::converter::Converter;
use super::links::runs_script;
use crate::diagnostics::Diagnostic;
use crate::site::Size;
use crate::text::{escape_attr, percent_decode, url_scheme};

/// An image whose alt text is being read.
pub(super) struct OpenImage {
    src: String,
    title: String,
    size: Option<Size>,
    alt: String,
    at: (usize, usize),
}

impl<'a> Converter<'a, '_> {
    pub(super) fn start_image(&mut self, dest: &str, title: &str, range: &Range<usize>) {
        let at = self.position(range.start);
        let (src, size) = self.image_source(dest, at);
        self.image = Some(OpenImage {
            src,
            title: title.to_string(),
            size,
            alt: String::new(),
            at,
        });
    }

    /// An image inside facilitator notes that this build leaves out: checked all the same, so
    /// that the public build fails as the facilitator's does.
    pub(super) fn check_hidden_image(&mut self, dest: &str, range: &Range<usize>) {
        let at = self.position(range.start);
        let _ = self.image_source(dest, at);
    }

    /// An event inside an open image: its text becomes the alt text; the end writes the image.
    pub(super) fn inside_image(&mut self, event: &Event<'a>) {
        let Some(image) = self.image.as_mut() else {
            return;
        };
        match event {
            Event::Text(t) | Event::Code(t) => {
                image.alt.push_str(t);
                self.result.text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
            Event::End(TagEnd::Image) => self.end_image(),
            _ => {}
        }
    }

    fn end_image(&mut self) {
        let Some(image) = self.image.take() else {
            return;
        };
        if image.alt.trim().is_empty() {
            let (line, col) = image.at;
            let d = Diagnostic::warning(
                &self.item.path,
                line,
                col,
                "this image has no alt text, so readers who cannot see it learn nothing of it",
            )
            .with_source(&self.item.source)
            .with_hint(
                "say what it shows between the brackets: ![A stoa in Athens](/images/stoa.jpg)",
            );
            self.result.diagnostics.push(d);
        }
        let mut html = String::with_capacity(image.src.len() + image.alt.len() + 64);
        html.push_str("<img src=\"");
        // Writing to a String cannot fail.
        let _ = escape_href(&mut html, &image.src);
        html.push_str("\" alt=\"");
        html.push_str(&escape_attr(image.alt.trim()));
        html.push('"');
        if !image.title.is_empty() {
            html.push_str(" title=\"");
            html.push_str(&escape_attr(&image.title));
            html.push('"');
        }
        if let Some((width, height)) = image.size {
            html.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        }
        if self.images > 0 {
            html.push_str(" loading=\"lazy\"");
        }
        html.push_str(" decoding=\"async\">");
        self.images += 1;
        self.result.text.push('\n');
        self.out.push(Event::InlineHtml(CowStr::from(html)));
    }

    /// The URL an image is served from, with its size when it is a local raster image. A
    /// local image that is not among the static files, or a URL that can run script, is an
    /// error (and gives an empty URL).
    fn image_source(&mut self, dest: &str, at: (usize, usize)) -> (String, Option<Size>) {
        if let Some(scheme) = url_scheme(dest) {
            if runs_script(&scheme, dest, false) {
                let message = format!(
                    "an image may not use a `{scheme}:` URL, which can run script in the reader's browser"
                );
                self.push_error(
                    at,
                    message,
                    "use a file in static/ or a web address (https://…)",
                );
                return (String::new(), None);
            }
            return (dest.to_string(), None);
        }
        if dest.starts_with("//") {
            return (dest.to_string(), None);
        }
        let split = dest.find(['?', '#']).unwrap_or(dest.len());
        let (path, rest) = dest.split_at(split);
        let Some(key) = self.static_key(path) else {
            self.missing_image(dest, path, at, true);
            return (String::new(), None);
        };
        match self.ctx.assets.get(&key) {
            Some(size) => (format!("{}{key}{rest}", self.ctx.base_path), size),
            None => {
                self.missing_image(dest, path, at, false);
                (String::new(), None)
            }
        }
    }

    /// The static file a local image path names, by output path (`images/stoa.jpg`): rooted
    /// at the site (with or without the base path), or relative to the Markdown file and
    /// inside static/. None for a relative path that does not lead into static/.
    fn static_key(&self, path: &str) -> Option<String> {
        let path = percent_decode(path);
        if let Some(rooted) = path.strip_prefix('/') {
            let base = self.ctx.base_path.trim_start_matches('/');
            let key = rooted.strip_prefix(base).filter(|_| !base.is_empty());
            return Some(key.unwrap_or(rooted).to_string());
        }
        let from = self.item.path.parent().unwrap_or(Path::new(""));
        let joined = crate::paths::lexical(&from.join(&path));
        let inside = joined.strip_prefix("static").ok()?;
        Some(crate::paths::output_key(inside))
    }

    fn missing_image(&mut self, dest: &str, path: &str, at: (usize, usize), outside: bool) {
        let message = if outside {
            format!("image `{dest}` is not in static/, where images live")
        } else {
            format!("image `{dest}` does not exist in static/ or the theme")
        };
        let hint = match self.ctx.assets.suggest(path) {
            Some(found) => format!("did you mean `{found}`?"),
            None => "put the file in static/ and write its path from there: \
                     static/images/stoa.jpg is `/images/stoa.jpg`"
                .to_string(),
        };
        self.push_error(at, message, &hint);
    }

    fn push_error(&mut self, (line, col): (usize, usize), message: String, hint: &str) {
        let d = self.error(line, col, message).with_hint(hint);
        self.result.diagnostics.push(d);
    }
}
